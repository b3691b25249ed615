//! Scale benchmark of the server (issue 17): 100 000 requests over 5 years
//! (generated), the statistics of all services, categories and providers
//! (target < 50 ms), then `GET /requests.json` with a date window over
//! loopback, timed (target < 20 ms). Prints figures, asserts nothing but the answers'
//! shape.
//!
//!     cargo run --release -p mutualis-server --example open311_bench [-- COUNT]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use mutualis::requests::stats::StatsBy;
use mutualis::store::Store;
use mutualis::{GeoPoint, NewRequest, RequestOrigin, RequestStatus};
use mutualis_server::{app, Config};

fn get(addr: SocketAddr, path: &str) -> (u16, usize) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let status = std::str::from_utf8(&buf[9..12]).unwrap().parse().unwrap();
    let body = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (status, buf.len() - body)
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse())?;
    let dir = std::env::temp_dir().join(format!("open311-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = dir.join("bench.db");
    let cat = dir.join("cat.json");

    // 100 000 requests over 5 years, in time order, a third closed later
    let t = Instant::now();
    let mut m = mutualis_examples::roannais()?;
    let c = app::demo_catalogue(&m)?;
    let start = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap();
    let span = 5 * 365 * 86_400_i64;
    let tenants = ["VILLEREST", "AGGLO", "MABLY", "ROANNE"];
    let cats = ["eclairage", "dechets", "divers"];
    for i in 0..count {
        let at = start + Duration::seconds(span * i as i64 / count as i64);
        let code = format!("GEN-{i}");
        let r = NewRequest::new(
            &code,
            RequestOrigin::CitizenPortal,
            cats[i % 3],
            "Demande générée",
            tenants[i % 4],
            at,
        )
        .located(
            Some("1 place de l'Hôtel de Ville"),
            Some(GeoPoint {
                lat: 46.0 + (i % 100) as f64 * 1e-4,
                lon: 4.05,
            }),
        );
        m.receive_request(r)?;
        if i % 3 == 0 {
            m.set_request_status(
                &code,
                RequestStatus::Fixed,
                at + Duration::hours(30),
                Some("Fait"),
            )?;
        }
    }
    println!(
        "generated {count} requests over 5 years in {:.0} ms",
        ms(t.elapsed())
    );
    // the statistics elected officials ask for, over the whole 5 years
    for (label, by) in [
        ("service", StatsBy::Service),
        ("category", StatsBy::Category),
        ("provider", StatsBy::Provider),
        ("month", StatsBy::Month),
    ] {
        let mut times = Vec::new();
        let mut groups = 0;
        for _ in 0..7 {
            let t = Instant::now();
            groups = c.statistics(&m, by, None, None).len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "statistics of {count} requests by {label}: {groups} groups, median {:.2} ms, max {:.2} ms",
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
    let t = Instant::now();
    let mut s = Store::open(&store, "bench")?;
    s.adopt(m)?;
    drop(s);
    std::fs::write(&cat, c.to_json())?;
    println!("stored them in {:.0} ms", ms(t.elapsed()));

    let config = Config::parse(
        [
            "--store",
            &store.display().to_string(),
            "--catalogue",
            &cat.display().to_string(),
            "--api-key",
            "bench",
            "--listen",
            "127.0.0.1:0",
            "--quiet",
        ]
        .map(String::from),
    )?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let t = Instant::now();
    let (listener, shared) = rt
        .block_on(mutualis_server::start(&config))
        .map_err(|e| -> Box<dyn std::error::Error> { e })?;
    println!("opened the store in {:.0} ms", ms(t.elapsed()));
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        rt.block_on(mutualis_server::serve(listener, shared, &config, async {
            let _ = rx.await;
        }))
    });

    // windows of a week, a month and a quarter, spread over the 5 years
    for (label, days) in [("a week", 7), ("a month", 30), ("a quarter", 91)] {
        let mut times = Vec::new();
        let mut sizes = (0, 0);
        for k in 0..50_i64 {
            let from = start + Duration::days(k * 36);
            let to = from + Duration::days(days);
            let iso = |d: chrono::DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let path = format!(
                "/requests.json?start_date={}&end_date={}",
                iso(from),
                iso(to)
            );
            let t = Instant::now();
            let (status, bytes) = get(addr, &path);
            times.push(t.elapsed());
            assert_eq!(status, 200);
            sizes = (sizes.0 + bytes, sizes.1 + 1);
        }
        times.sort();
        println!(
            "GET /requests.json, a window of {label}: median {:.2} ms, p90 {:.2} ms, max {:.2} ms ({} KiB per answer, at most 1000 requests)",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(times[times.len() - 1]),
            sizes.0 / sizes.1 / 1024
        );
    }
    let _ = tx.send(());
    server.join().unwrap()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
