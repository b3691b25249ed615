//! Criterion benches of the fleet's dashboards at the seed's scale (issue
//! 13): the Roannais scenario's fleet grown to 918 vehicles and machines
//! with 10 years of monthly odometer readings and fuel lines, a yearly
//! maintenance work order and insurance line, a purchase, an inspection and
//! a maintenance plan each (`mutualis_examples::roannais_fleet`). The due
//! list and the dashboards for all of them must answer in < 50 ms.
//!
//! Run: `cargo bench -p mutualis-benches --bench fleet`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use mutualis::fleet::Meter;
use mutualis::{Mutualis, Period};

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

/// The Roannais scenario with its fleet grown to the seed's 918 vehicles
/// and machines (`mutualis_examples::roannais_fleet`, the main job's).
fn fleet() -> Result<Mutualis, Box<dyn std::error::Error>> {
    let mut m = mutualis_examples::roannais()?;
    let more = 918usize.saturating_sub(m.vehicles().len());
    mutualis_examples::roannais_fleet(&mut m, more)?;
    Ok(m)
}

fn benches(c: &mut Criterion) {
    let m = match fleet() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("fleet generation failed: {e}");
            return;
        }
    };
    let on = d(2026, 3, 12);
    let year = Period::new(d(2025, 1, 1), Some(d(2025, 12, 31))).unwrap_or(Period::starting(on));
    let readings: usize = m
        .vehicles()
        .iter()
        .map(|v| {
            m.meter_readings(m.asset_code(v.asset), Meter::Km)
                .map_or(0, <[_]>::len)
        })
        .sum();
    let due = m.fleet_due(on, 60);
    println!(
        "fleet: {} vehicles, {readings} km readings, {} plans; {} rows due within 60 days of {on} ({} overdue)",
        m.vehicles().len(),
        m.maintenance_plans().len(),
        due.len(),
        due.iter().filter(|d| d.overdue).count()
    );
    c.bench_function("fleet due list, 918 vehicles, 10 years of readings", |b| {
        b.iter(|| black_box(m.fleet_due(on, 60)))
    });
    c.bench_function("cost per km by service over a year, 918 vehicles", |b| {
        b.iter(|| black_box(m.cost_per_km_by_service(&year)))
    });
    c.bench_function("use of every vehicle over a year, 918 vehicles", |b| {
        b.iter(|| black_box(m.fleet_use(&year)))
    });
    c.bench_function("dashboard of every vehicle for 2025, 918 vehicles", |b| {
        b.iter(|| black_box(m.fleet_dashboard(2025)))
    });
    c.bench_function("dashboards by service for 2025, 918 vehicles", |b| {
        b.iter(|| black_box(m.fleet_dashboard_by_service(2025)))
    });
}

criterion_group!(fleet_benches, benches);
criterion_main!(fleet_benches);
