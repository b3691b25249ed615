//! Criterion benchmarks of the core operations: split, payers at a date,
//! recording one intervention (which also updates the ledger), costing a
//! work order, bulk ingestion of generated tables and the four questions
//! through the registry.
//!
//! Run: `cargo bench -p mutualis-benches`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use mutualis::money::{split_cents, split_cents_into};
use mutualis::{CostInput, NewWorkOrder, WorkOrderStatus};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

fn benches(c: &mut Criterion) {
    c.bench_function("split_cents_into 3 receivers", |b| {
        let mut out = [0i64; 3];
        b.iter(|| split_cents_into(black_box(100_001), black_box(&[3334, 3333, 3333]), &mut out))
    });
    c.bench_function("split_cents 100 receivers", |b| {
        let w: Vec<u64> = (1..=100).collect();
        b.iter(|| split_cents(black_box(987_654_321), black_box(&w)))
    });

    let Ok(mut m) = mutualis_examples::roannais() else {
        return;
    };
    let Ok(floor) = m.asset_id("MAISON-SERVICES-R2") else {
        return;
    };
    c.bench_function("payers_of (inherited key)", |b| {
        b.iter(|| m.payers_of(black_box(floor), black_box(d(2026, 3, 12))))
    });
    let Ok(gym) = m.asset_id("GYM-COUBERTIN-CHAUFFERIE") else {
        return;
    };
    c.bench_function("payers_of (inherited custody)", |b| {
        b.iter(|| m.payers_of(black_box(gym), black_box(d(2026, 3, 12))))
    });

    if mutualis_examples::roannais_march_2026(&mut m).is_err() {
        return;
    }
    let _ = m.create_work_order(NewWorkOrder::by_team(
        "BENCH",
        "Bench",
        "GYM-COUBERTIN-SALLE",
        "ROANNE-SPORTS",
    ));
    let _ = m.set_work_order_status("BENCH", WorkOrderStatus::InProgress, chrono::Utc::now());
    let hours = Decimal::new(15, 1);
    c.bench_function("record_cost labour (one intervention line)", |b| {
        b.iter(|| m.record_cost("BENCH", CostInput::labour(d(2026, 3, 20), hours, 1)))
    });
    c.bench_function("work_order_cost (gymnasium)", |b| {
        b.iter(|| m.work_order_cost(black_box("BT-2026-0412")))
    });
    c.bench_function("work_order_charges (shared floor)", |b| {
        b.iter(|| m.work_order_charges(black_box("BT-2026-0415")))
    });
}

fn ingested(c: &mut Criterion) {
    let (tables, _) = mutualis_benches::generate::generate(20_000, 1);
    let mut t = mutualis::ingest::Tables::new();
    for table in &tables {
        if let Ok(b) = table.batch() {
            let _ = t.insert(table.name, b);
        }
    }
    let mut group = c.benchmark_group("ingested");
    group.sample_size(10);
    group.bench_function("ingest 20k interventions (~60k lines)", |b| {
        b.iter(|| {
            let mut m = mutualis::Mutualis::new();
            m.ingest(&t, mutualis::ingest::IngestMode::Report, None)
        })
    });
    let mut m = mutualis::Mutualis::new();
    let _ = m.ingest(&t, mutualis::ingest::IngestMode::Report, None);
    group.bench_function(
        "four questions through ledger_group, 20k interventions",
        |b| b.iter(|| mutualis_benches::answers(&m)),
    );
    group.finish();
}

/// The authorisation overhead (issue 12): recording a line unchecked and
/// through a principal's session; `ledger_group` unchecked and through a
/// tenant-scoped reader (its mask computed per call). Run:
/// `cargo bench -p mutualis-benches --bench core -- access`.
fn access(c: &mut Criterion) {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    use mutualis::ledger::{Dimension, LedgerFilter};
    let Ok(mut m) = mutualis_examples::roannais() else {
        return;
    };
    if mutualis_examples::roannais_march_2026(&mut m).is_err() {
        return;
    }
    let agent = |code: &str, tenant: &str| NewPrincipal {
        code: code.into(),
        name: code.into(),
        kind: PrincipalKind::Agent,
        tenant: Some(tenant.into()),
        supplier: None,
    };
    let from = mutualis::Period::starting(d(2020, 1, 1));
    let ok = m.add_role("BENCH-AGENT", "Agent", &["work:write"]).is_ok()
        && m.add_principal(agent("bench.roanne", "ROANNE")).is_ok()
        && m.grant(
            "bench.roanne",
            "BENCH-AGENT",
            &ScopeRef::Tenant {
                tenant: "ROANNE".into(),
            },
            from,
        )
        .is_ok()
        && m.create_work_order(NewWorkOrder::by_team(
            "BENCH",
            "Bench",
            "GYM-COUBERTIN-SALLE",
            "ROANNE-SPORTS",
        ))
        .is_ok()
        && m.set_work_order_status("BENCH", WorkOrderStatus::InProgress, chrono::Utc::now())
            .is_ok();
    if !ok {
        return;
    }
    let hours = Decimal::new(15, 1);
    let mut group = c.benchmark_group("access");
    // each on its own copy: both grow the registry the same way
    let mut unchecked = m.clone();
    group.bench_function("record a line, unchecked", |b| {
        b.iter(|| unchecked.record_cost("BENCH", CostInput::labour(d(2026, 3, 20), hours, 1)))
    });
    drop(unchecked);
    let mut checked = m.clone();
    group.bench_function("record a line, through a session", |b| {
        b.iter(|| {
            checked
                .as_principal_mut("bench.roanne")
                .and_then(|mut s| s.record_labour("BENCH", d(2026, 3, 20), hours, 1))
        })
    });
    drop(checked);
    // ledger_group over 20k generated interventions (~60k lines)
    let (tables, _) = mutualis_benches::generate::generate(20_000, 1);
    let mut t = mutualis::ingest::Tables::new();
    for table in &tables {
        if let Ok(b) = table.batch() {
            let _ = t.insert(table.name, b);
        }
    }
    let mut g = mutualis::Mutualis::new();
    let _ = g.ingest(&t, mutualis::ingest::IngestMode::Report, None);
    let ok = g.add_role("BENCH-READ", "Lecture", &["work:read"]).is_ok()
        && g.add_principal(agent("bench.t0", "T0000")).is_ok()
        && g.grant(
            "bench.t0",
            "BENCH-READ",
            &ScopeRef::Tenant {
                tenant: "T0000".into(),
            },
            from,
        )
        .is_ok();
    if !ok {
        return;
    }
    let dims = [
        Dimension::Year,
        Dimension::Payer,
        Dimension::Service,
        Dimension::Nature,
    ];
    let all = LedgerFilter::default();
    group.sample_size(20);
    group.bench_function("ledger_group, unchecked, 20k interventions", |b| {
        b.iter(|| g.ledger_group(black_box(&dims), &all))
    });
    group.bench_function(
        "ledger_group, unchecked, payer T0000, 20k interventions",
        |b| {
            let one = LedgerFilter {
                payer: Some("T0000".into()),
                ..LedgerFilter::default()
            };
            b.iter(|| g.ledger_group(black_box(&dims), &one))
        },
    );
    group.bench_function(
        "ledger_group, tenant-scoped reader T0000, 20k interventions",
        |b| {
            b.iter(|| {
                g.as_principal("bench.t0")
                    .and_then(|r| r.ledger_group(black_box(&dims), &all))
            })
        },
    );
    group.finish();
}

criterion_group!(core_benches, benches, ingested, access);
criterion_main!(core_benches);
