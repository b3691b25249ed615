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

criterion_group!(core_benches, benches, ingested);
criterion_main!(core_benches);
