//! Shared by the end-to-end tests: a seeded store and catalogue in a
//! temporary directory, a server started on a free local port in its own
//! runtime, and a small HTTP/1.1 client over a raw `TcpStream`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use mutualis::requests::routing::{CategoryAttribute, NewCategory, RequestCatalogue};
use mutualis::store::Store;
use mutualis_server::{app, Config, Shared};

/// A fresh directory under the target's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mutualis-server-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The spec's example service: code `001`, "Cans left out 24x7", group
/// `sanitation`, keywords `lorem, ipsum, dolor`, with metadata.
pub fn spec_example_category() -> NewCategory {
    let mut k = NewCategory::new("AGGLO", "001", "Cans left out 24x7", Some(3));
    k.description = "Bacs laissés sur le trottoir plus d'un jour après la collecte.".into();
    k.keywords = vec!["lorem".into(), "ipsum".into(), "dolor".into()];
    k.group = "sanitation".into();
    k.attributes = vec![CategoryAttribute {
        code: "WHISPERED".into(),
        datatype: "singlevaluelist".into(),
        required: false,
        description: "Combien de bacs ?".into(),
        order: 1,
        values: vec![("1".into(), "Un".into()), ("2".into(), "Plusieurs".into())],
    }];
    k
}

/// The Roannais scenario with its costs (work orders, lines), two public
/// facilities, in a store; the demo catalogue plus the spec's example
/// service in a catalogue file. Returns (store, catalogue).
pub fn seed(dir: &Path) -> (PathBuf, PathBuf) {
    let store = dir.join("roannais.db");
    let cat = dir.join("catalogue.json");
    let mut m = mutualis_examples::roannais_full().unwrap();
    app::demo_public_facilities(&mut m).unwrap();
    let mut with_cat = m.clone();
    app::seed_demo_catalogue(&mut with_cat).unwrap();
    with_cat
        .add_request_category(spec_example_category())
        .unwrap();
    let c: RequestCatalogue = with_cat.request_catalogue().clone();
    // the store starts without a catalogue: the server imports the file
    let mut s = Store::open(&store, "test").unwrap();
    s.adopt(m).unwrap();
    drop(s);
    std::fs::write(&cat, c.to_json()).unwrap();
    (store, cat)
}

/// The API key of the tests.
pub const KEY: &str = "k-3f9a27c1";

/// A server running in its own runtime on a free port.
pub struct Server {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Starts the server with these extra arguments.
    pub fn start(store: &Path, cat: &Path, extra: &[&str]) -> Server {
        let mut args: Vec<String> = vec![
            "--store".into(),
            store.display().to_string(),
            "--catalogue".into(),
            cat.display().to_string(),
            "--api-key".into(),
            KEY.into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--max-body".into(),
            "4096".into(),
            "--quiet".into(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let config = Config::parse(args).unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (listener, shared) = rt.block_on(mutualis_server::start(&config)).unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let s2 = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            rt.block_on(mutualis_server::serve(listener, s2, &config, async {
                let _ = rx.await;
            }))
        });
        Server {
            addr,
            shared,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// Requests recorded in the registry, requests waiting for manual
    /// routing, and the store's head (its last event).
    pub fn counts(&self) -> (usize, usize, i64) {
        let a = self.shared.app();
        let (r, p) = a.counts();
        (r, p, a.store_head())
    }

    /// Stops it (gracefully) and waits for the end.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap().unwrap();
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        call(self.addr, "GET", path, None, b"")
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        call(
            self.addr,
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            encode(form).as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A form body, percent-encoded.
pub fn encode(form: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        let mut o = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    o.push(b as char);
                }
                b' ' => o.push('+'),
                _ => o.push_str(&format!("%{b:02X}")),
            }
        }
        o
    }
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One HTTP/1.1 exchange (`Connection: close`).
pub fn call(addr: SocketAddr, method: &str, path: &str, ctype: Option<&str>, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(c) = ctype {
        head.push_str(&format!("Content-Type: {c}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // the server may answer (413) before reading all of a large body
    let _ = s.write_all(body);
    raw_reply(&mut s)
}

/// Sends raw bytes and reads the answer.
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(bytes).unwrap();
    raw_reply(&mut s)
}

fn raw_reply(s: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8(buf[..split].to_vec()).unwrap();
    let mut body = buf[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut content_type = String::new();
    let mut chunked = false;
    for l in lines {
        let (k, v) = l.split_once(':').unwrap();
        match k.to_ascii_lowercase().as_str() {
            "content-type" => content_type = v.trim().to_owned(),
            "transfer-encoding" => chunked = v.trim().eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
            rest = &rest[eol + 2 + n + 2..];
        }
        body = out;
    }
    Reply {
        status,
        content_type,
        body: String::from_utf8(body).unwrap(),
    }
}

/// The element names of an XML text, in order (opening tags only).
pub fn tags(xml: &str) -> Vec<String> {
    xml.split('<')
        .skip(1)
        .filter(|t| !t.starts_with('/') && !t.starts_with('?'))
        .map(|t| t.split(['>', ' ', '/']).next().unwrap().to_owned())
        .collect()
}

/// The text of the first `<tag>` element of an XML text.
pub fn xml_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// The keys of the first JSON object in a list, in text order.
pub fn keys(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let obj = v[0].as_object().unwrap();
    let first = &json[json.find('{').unwrap()..];
    let mut k: Vec<(usize, String)> = obj
        .keys()
        .map(|k| (first.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    k.sort();
    k.into_iter().map(|(_, k)| k).collect()
}
