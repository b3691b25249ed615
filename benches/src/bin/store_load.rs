//! Load test of the store's PostgreSQL backend (outside CI, loopback only):
//! W concurrent writers, each with its own handle, record C interventions
//! (work order + start + labour line, one transaction each, through
//! `Store::execute_latest`) for their own tenant; prints commands/s, p50/p99
//! commit latency, and the lost and duplicated commands (both must be 0).
//!
//!   eval "$(bash scripts/pg-test-server.sh start)"
//!   cargo run --release -p mutualis-benches --bin store_load
//!   bash scripts/pg-test-server.sh stop
//!
//! `MUTUALIS_LOAD_WRITERS` (50), `MUTUALIS_LOAD_COMMANDS` (2000) and
//! `MUTUALIS_LOAD_SECONDS` (300: each writer stops there, whatever it has
//! done) bound it. `MUTUALIS_LOAD_URL` runs it on SQLite instead (a file
//! path) for comparison. It creates its own database on the server and
//! drops it.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::store::Store;
use mutualis::{
    AssetKind, CostInput, NewAsset, NewTenant, NewWorkOrder, TenantKind, WorkOrderStatus,
};
use rust_decimal::Decimal;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn siren(i: usize) -> String {
    let body = format!("{:08}", 21_000_000 + i);
    (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|s| mutualis::identity::luhn_valid(s))
        .expect("a Luhn key digit exists")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let writers = env("MUTUALIS_LOAD_WRITERS", 50) as usize;
    let commands = env("MUTUALIS_LOAD_COMMANDS", 2000) as usize;
    let limit = Duration::from_secs(env("MUTUALIS_LOAD_SECONDS", 300));
    // the store: a database of its own on the test server, or a given URL
    let mut dropper: Option<(String, String)> = None;
    let url = match std::env::var("MUTUALIS_LOAD_URL") {
        Ok(u) => u,
        Err(_) => {
            let admin = std::env::var("MUTUALIS_PG_URL").map_err(|_| {
                "MUTUALIS_PG_URL is not set: eval \"$(bash scripts/pg-test-server.sh start)\""
            })?;
            let host = admin
                .split_once("://")
                .map(|(_, r)| r.rsplit_once('@').map_or(r, |(_, h)| h))
                .unwrap_or("");
            if !(host.starts_with("127.")
                || host.starts_with("localhost")
                || host.starts_with("[::1]"))
            {
                return Err("the load test runs against a loopback server only".into());
            }
            let database = format!("mutualis_load_{}", std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls)?;
            c.batch_execute(&format!("CREATE DATABASE {database}"))?;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{database}");
            dropper = Some((admin.clone(), database));
            url
        }
    };
    println!(
        "store load: {writers} writers × {commands} commands on {}",
        mutualis::store::redact_url(&url)
    );
    {
        let mut s = Store::open_url(&url, "setup")?;
        s.execute(|m| {
            for i in 0..writers {
                let code = format!("T{i:03}");
                m.add_tenant(NewTenant::new(
                    &code,
                    &format!("Tenant {i}"),
                    TenantKind::Syndicat,
                    &siren(i),
                ))?;
                m.add_team(&format!("{code}-REGIE"), &code, "Régie", None)?;
                m.set_labour_rate(&code, 2026, None, None, Decimal::new(30, 0))?;
                m.add_asset(NewAsset::new(
                    &format!("{code}-SITE"),
                    "Site",
                    AssetKind::Site,
                    &code,
                    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"),
                ))?;
            }
            Ok(())
        })?;
    }
    let setup_events = (writers * 4) as i64;
    let barrier = Arc::new(Barrier::new(writers + 1));
    let threads: Vec<_> = (0..writers)
        .map(|i| {
            let url = url.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || -> Result<Vec<Duration>, String> {
                let mut s =
                    Store::open_url(&url, &format!("writer-{i}")).map_err(|e| e.to_string())?;
                let code = format!("T{i:03}");
                let (site, team) = (format!("{code}-SITE"), format!("{code}-REGIE"));
                let start_at = Utc
                    .with_ymd_and_hms(2026, 3, 2, 7, 0, 0)
                    .single()
                    .expect("a time");
                let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
                barrier.wait();
                let begin = Instant::now();
                let mut latencies = Vec::with_capacity(commands);
                for k in 0..commands {
                    if begin.elapsed() > limit {
                        break;
                    }
                    let order = format!("{code}-BT-{k}");
                    let t = Instant::now();
                    s.execute_latest(|m| {
                        m.create_work_order(NewWorkOrder::by_team(
                            &order,
                            "Intervention",
                            &site,
                            &team,
                        ))?;
                        m.set_work_order_status(&order, WorkOrderStatus::InProgress, start_at)?;
                        m.record_cost(&order, CostInput::labour(day, Decimal::new(2, 0), 1))
                    })
                    .map_err(|e| e.to_string())?;
                    latencies.push(t.elapsed());
                }
                Ok(latencies)
            })
        })
        .collect();
    barrier.wait();
    let t = Instant::now();
    let mut latencies = Vec::new();
    let mut done = Vec::new();
    for th in threads {
        let l = th.join().map_err(|_| "a writer panicked")??;
        done.push(l.len());
        latencies.extend(l);
    }
    let elapsed = t.elapsed().as_secs_f64();
    latencies.sort();
    let total: usize = done.iter().sum();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    // what is stored: each writer's commands exactly once
    let check = Store::open_url(&url, "check")?;
    let events = check.verify()? as i64;
    let m = check.registry();
    let mut lost = 0usize;
    for (i, n) in done.iter().enumerate() {
        for k in 0..*n {
            if m.work_order_cost(&format!("T{i:03}-BT-{k}"))
                .map(|c| c.lines)
                != Ok(1)
            {
                lost += 1;
            }
        }
    }
    let stored_commands = (events - setup_events) / 3;
    let duplicated = (stored_commands - total as i64).max(0);
    println!(
        "{total} commands ({} events) in {elapsed:.1} s: {:.0} commands/s; commit latency p50 {:.2} ms, p99 {:.2} ms",
        total * 3,
        total as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
    println!(
        "lost = {lost}, duplicated = {duplicated} (stored {stored_commands} commands, {events} events, hash chain verified)"
    );
    drop(check);
    if let Some((admin, database)) = dropper {
        let mut c = postgres::Client::connect(&admin, postgres::NoTls)?;
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))?;
    }
    if lost > 0 || duplicated > 0 {
        return Err("commands were lost or duplicated".into());
    }
    Ok(())
}
