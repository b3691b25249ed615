//! The built binary: one command starts it (`--init-demo` seeds the demo),
//! it prints the address it listens on, serves, and stops cleanly on
//! SIGTERM with exit code 0; a restart keeps what was posted.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::{call, encode, temp_dir};

fn start(dir: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mutualis-server"))
        .args([
            "--store",
            "demo.db",
            "--catalogue",
            "cat.json",
            "--api-key",
            "secret-key-1",
            "--listen",
            "127.0.0.1:0",
            "--init-demo",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line:?}"))
        .parse()
        .unwrap();
    (child, addr)
}

fn stop(child: Child) -> String {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    String::from_utf8(out.stderr).unwrap()
}

#[cfg(unix)]
#[test]
fn the_binary_serves_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir("binary");
    let (child, addr) = start(&dir);
    let r = call(addr, "GET", "/services.json", None, b"");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("eclairage"));
    let form = encode(&[
        ("api_key", "secret-key-1"),
        ("service_code", "eclairage"),
        ("lat", "46.01"),
        ("long", "4.05"),
        ("email", "citizen@example.org"),
    ]);
    let r = call(
        addr,
        "POST",
        "/requests.json",
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body.split('"').nth(3).unwrap().to_owned();
    let log = stop(child);
    // one line per request, never the key nor the citizen's contact
    assert!(log.contains("POST /requests.json 201"), "{log}");
    assert!(
        !log.contains("secret-key-1") && !log.contains("citizen@"),
        "{log}"
    );
    assert!(log.contains("stopped"), "{log}");

    // the same command again: the demo is not re-seeded, the request is there
    let (child, addr) = start(&dir);
    let r = call(addr, "GET", &format!("/requests/{id}.json"), None, b"");
    assert_eq!(r.status, 200, "{}", r.body);
    stop(child);
}

#[test]
fn bad_arguments_are_refused_with_the_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_mutualis-server"))
        .args(["--store", "x.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--catalogue is required") && err.contains("usage:"),
        "{err}"
    );
}
