//! The authorisation overhead on the hot paths (issue 12), measured robustly
//! on a shared machine: the unchecked and the authorised calls alternate in
//! rounds, and each reports its fastest round (noise only ever adds time).
//!
//! Run: `cargo run --release -p mutualis-benches --bin access_overhead`.
//!
//! On a loaded machine, count instructions instead of time: `access_overhead
//! --only MODE N` makes N calls one way only and exits, so `valgrind
//! --tool=callgrind` run with N and with 0 gives the instructions per call
//! of each way (deterministic whatever the load). The modes:
//! - a labour line recorded `unchecked`, through a new `session` per call,
//!   through `one` session for all calls;
//! - `ledger_group` (Year × Payer × Service × Nature, over 20 000 generated
//!   interventions, or the count given after N): `ledger` unchecked,
//!   `ledger-group` through a group-wide reader, `ledger-payer` unchecked
//!   for payer T0000, `ledger-tenant` through a reader scoped to T0000.

use std::error::Error;
use std::time::Instant;

use chrono::NaiveDate;
use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::{CostInput, Mutualis, NewWorkOrder, Period, WorkOrderStatus};
use rust_decimal::Decimal;

fn agent(code: &str, tenant: &str) -> NewPrincipal {
    NewPrincipal {
        code: code.into(),
        name: code.into(),
        kind: PrincipalKind::Agent,
        tenant: Some(tenant.into()),
        supplier: None,
    }
}

/// Fastest time per call of `f` over `rounds` rounds of `n` calls,
/// alternating with `g`; returns (f, g) in nanoseconds.
fn race(rounds: usize, n: usize, mut f: impl FnMut(), mut g: impl FnMut()) -> (f64, f64) {
    let (mut best_f, mut best_g) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best_f = best_f.min(t.elapsed().as_nanos() as f64 / n as f64);
        let t = Instant::now();
        for _ in 0..n {
            g();
        }
        best_g = best_g.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    (best_f, best_g)
}

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

/// The Roannais scenario with a ROANNE agent allowed to write work, and an
/// open work order BENCH of a ROANNE régie team.
fn scenario() -> Result<Mutualis, Box<dyn Error>> {
    let from = Period::starting(d(2020, 1, 1));
    let mut m = mutualis_examples::roannais()?;
    mutualis_examples::roannais_march_2026(&mut m)?;
    m.add_role("BENCH-AGENT", "Agent", &["work:write"])?;
    m.add_principal(agent("bench.roanne", "ROANNE"))?;
    m.grant(
        "bench.roanne",
        "BENCH-AGENT",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        from,
    )?;
    m.create_work_order(NewWorkOrder::by_team(
        "BENCH",
        "Bench",
        "GYM-COUBERTIN-SALLE",
        "ROANNE-SPORTS",
    ))?;
    m.set_work_order_status("BENCH", WorkOrderStatus::InProgress, chrono::Utc::now())?;
    Ok(m)
}

/// `interventions` generated interventions ingested, with a reader of
/// tenant T0000's work (`bench.t0`) and a group-wide one (`bench.dsi`).
fn ledger_registry(interventions: usize) -> Result<Mutualis, Box<dyn Error>> {
    let from = Period::starting(d(2020, 1, 1));
    let (tables, _) = mutualis_benches::generate::generate(interventions, 1);
    let mut t = mutualis::ingest::Tables::new();
    for table in &tables {
        // tables the registry does not take (the peers' extras) are skipped
        let _ = t.insert(table.name, table.batch()?);
    }
    let mut g = Mutualis::new();
    g.ingest(&t, mutualis::ingest::IngestMode::AllOrNothing, None)?;
    g.add_role("BENCH-READ", "Lecture", &["work:read"])?;
    g.add_role("BENCH-ALL", "Lecture", &["work:read"])?;
    g.add_principal(agent("bench.t0", "T0000"))?;
    g.add_principal(agent("bench.dsi", "T0000"))?;
    g.grant(
        "bench.t0",
        "BENCH-READ",
        &ScopeRef::Tenant {
            tenant: "T0000".into(),
        },
        from,
    )?;
    g.grant("bench.dsi", "BENCH-ALL", &ScopeRef::Group, from)?;
    Ok(g)
}

const DIMS: [Dimension; 4] = [
    Dimension::Year,
    Dimension::Payer,
    Dimension::Service,
    Dimension::Nature,
];

fn payer_t0000() -> LedgerFilter {
    LedgerFilter {
        payer: Some("T0000".into()),
        ..LedgerFilter::default()
    }
}

/// `--only MODE N [interventions]`: N calls one way, for callgrind.
fn only(mode: &str, n: usize, interventions: usize) -> Result<(), Box<dyn Error>> {
    let hours = Decimal::new(15, 1);
    let date = d(2026, 3, 20);
    let all = LedgerFilter::default();
    match mode {
        "unchecked" | "session" | "one" => {
            let mut m = scenario()?;
            match mode {
                "unchecked" => (0..n).try_for_each(|_| {
                    m.record_cost("BENCH", CostInput::labour(date, hours, 1))
                        .map(drop)
                })?,
                "session" => (0..n).try_for_each(|_| {
                    m.as_principal_mut("bench.roanne")
                        .and_then(|mut s| s.record_labour("BENCH", date, hours, 1))
                        .map(drop)
                })?,
                _ => {
                    let mut s = m.as_principal_mut("bench.roanne")?;
                    (0..n).try_for_each(|_| s.record_labour("BENCH", date, hours, 1).map(drop))?
                }
            }
            println!("{n} labour lines recorded ({mode})");
        }
        "ledger" | "ledger-group" | "ledger-payer" | "ledger-tenant" => {
            let g = ledger_registry(interventions)?;
            let one = payer_t0000();
            let mut rows = 0;
            for _ in 0..n {
                rows += match mode {
                    "ledger" => g.ledger_group(&DIMS, &all)?,
                    "ledger-group" => g.as_principal("bench.dsi")?.ledger_group(&DIMS, &all)?,
                    "ledger-payer" => g.ledger_group(&DIMS, &one)?,
                    _ => g.as_principal("bench.t0")?.ledger_group(&DIMS, &all)?,
                }
                .len();
            }
            println!(
                "{n} ledger_group calls over {} lines ({mode}), {rows} rows",
                g.cost_lines().len()
            );
        }
        _ => return Err(format!(
            "--only unchecked|session|one|ledger|ledger-group|ledger-payer|ledger-tenant N, not {mode:?}"
        )
        .into()),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--only") {
        let mode = args.get(2).map_or("", String::as_str);
        let n: usize = args.get(3).map_or(Ok(0), |s| s.parse())?;
        let interventions: usize = args.get(4).map_or(Ok(20_000), |s| s.parse())?;
        return only(mode, n, interventions);
    }
    let hours = Decimal::new(15, 1);
    let m = scenario()?;
    let (mut a, mut b, mut c) = (m.clone(), m.clone(), m);
    let (unchecked, session) = race(
        30,
        20_000,
        || {
            let _ = a.record_cost("BENCH", CostInput::labour(d(2026, 3, 20), hours, 1));
        },
        || {
            let _ = b
                .as_principal_mut("bench.roanne")
                .and_then(|mut s| s.record_labour("BENCH", d(2026, 3, 20), hours, 1));
        },
    );
    println!(
        "record a labour line: unchecked {unchecked:.0} ns, through a new session per call {session:.0} ns ({:+.1} %)",
        (session / unchecked - 1.0) * 100.0
    );
    let mut a = c.clone();
    let mut s = c.as_principal_mut("bench.roanne")?;
    let (unchecked, session) = race(
        30,
        20_000,
        || {
            let _ = a.record_cost("BENCH", CostInput::labour(d(2026, 3, 20), hours, 1));
        },
        || {
            let _ = s.record_labour("BENCH", d(2026, 3, 20), hours, 1);
        },
    );
    println!(
        "record a labour line: unchecked {unchecked:.0} ns, through one session {session:.0} ns ({:+.1} %)",
        (session / unchecked - 1.0) * 100.0
    );

    let g = ledger_registry(20_000)?;
    let dims = DIMS;
    let all = LedgerFilter::default();
    let one = payer_t0000();
    let (plain, group) = race(
        20,
        20,
        || {
            let _ = g.ledger_group(&dims, &all);
        },
        || {
            let _ = g
                .as_principal("bench.dsi")
                .and_then(|r| r.ledger_group(&dims, &all));
        },
    );
    println!(
        "ledger_group, {} lines: unchecked {:.2} ms, group-wide reader {:.2} ms ({:+.1} %)",
        g.cost_lines().len(),
        plain / 1e6,
        group / 1e6,
        (group / plain - 1.0) * 100.0
    );
    let (filtered, tenant) = race(
        20,
        20,
        || {
            let _ = g.ledger_group(&dims, &one);
        },
        || {
            let _ = g
                .as_principal("bench.t0")
                .and_then(|r| r.ledger_group(&dims, &all));
        },
    );
    println!(
        "ledger_group: unchecked for payer T0000 {:.2} ms, tenant-scoped reader of T0000 {:.2} ms ({:+.1} %; the reader also counts the other payers' parts of the orders T0000 acts on)",
        filtered / 1e6,
        tenant / 1e6,
        (tenant / filtered - 1.0) * 100.0
    );
    Ok(())
}
