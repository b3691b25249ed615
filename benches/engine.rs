//! Criterion benches of the engine's command costs on a registry that
//! already holds many interventions: one intervention recorded (work order,
//! status, labour line, ledger), and one custody change on an asset with
//! 1 000 lines. Each must cost what it changes, not what the registry holds.
//!
//! Run: `cargo bench -p mutualis-benches --bench engine`.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mutualis::{
    AssetKind, CostInput, Mutualis, NewAsset, NewTenant, NewWorkOrder, Period, TenantKind,
    WorkOrderStatus,
};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

/// A registry with `n` interventions of 3 lines, plus asset "HOT" with 1 000 lines.
fn registry(n: usize) -> mutualis::Result<Mutualis> {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
    m.add_team("T", "ROANNE", "Régie", None)?;
    for y in 2024..=2027 {
        m.set_labour_rate("ROANNE", y, None, None, Decimal::new(3850, 2))?;
    }
    for a in 0..(n / 100).max(1) {
        m.add_asset(NewAsset::new(
            &format!("A{a}"),
            "Bâtiment",
            AssetKind::Building,
            "ROANNE",
            d(2000, 1, 1),
        ))?;
    }
    m.add_asset(NewAsset::new(
        "HOT",
        "Gymnase",
        AssetKind::Building,
        "ROANNE",
        d(2000, 1, 1),
    ))?;
    let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let add = |m: &mut Mutualis,
               code: String,
               asset: String,
               lines: usize,
               i: usize|
     -> mutualis::Result<()> {
        m.create_work_order(NewWorkOrder::by_team(&code, "Entretien", &asset, "T"))?;
        m.set_work_order_status(&code, WorkOrderStatus::InProgress, at)?;
        for k in 0..lines {
            let day = d(2024, 1, 1) + chrono::Duration::days(((i + k) % 1400) as i64);
            m.record_cost(&code, CostInput::labour(day, Decimal::new(15, 1), 1))?;
        }
        Ok(())
    };
    for i in 0..n {
        add(
            &mut m,
            format!("BT-{i}"),
            format!("A{}", i % (n / 100).max(1)),
            3,
            i,
        )?;
    }
    for i in 0..100 {
        add(&mut m, format!("HOT-{i}"), "HOT".into(), 10, i * 13)?;
    }
    Ok(m)
}

fn benches(c: &mut Criterion) {
    let Ok(base) = registry(100_000) else {
        return;
    };
    let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let mut m = base.clone();
    let mut k = 0u64;
    c.bench_function(
        "one intervention (work order + status + line + ledger), 300k lines held",
        |b| {
            b.iter(|| {
                k += 1;
                let code = format!("NEW-{k}");
                let _ = m.create_work_order(NewWorkOrder::by_team(&code, "Une de plus", "A1", "T"));
                let _ = m.set_work_order_status(&code, WorkOrderStatus::InProgress, at);
                black_box(m.record_cost(
                    &code,
                    CostInput::labour(d(2026, 3, 12), Decimal::new(65, 1), 1),
                ))
            })
        },
    );
    c.bench_function(
        "custody change on an asset with 1 000 lines, 300k lines held",
        |b| {
            b.iter_batched_ref(
                || base.clone(),
                |m| black_box(m.grant_custody("HOT", "AGGLO", Period::starting(d(2025, 1, 1)))),
                BatchSize::LargeInput,
            )
        },
    );
}

criterion_group!(engine, benches);
criterion_main!(engine);
