//! Criterion benches of the fleet's dashboards at the seed's scale (issue
//! 13): 918 vehicles and machines with 10 years of monthly odometer
//! readings and fuel lines (≈ 110 000 of each), an inspection and a
//! maintenance plan each. The due list and the cost per km by service for
//! all of them must answer in < 50 ms.
//!
//! Run: `cargo bench -p mutualis-benches --bench fleet`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use mutualis::fleet::{
    Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine, NewInspection,
    NewMaintenancePlan, NewVehicle, VehicleCategory,
};
use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, Period, TenantKind, VatRate};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

/// The registration number of vehicle `i` (SIV, valid letters only).
fn plate(i: usize) -> String {
    const L: &[u8] = b"ABCDEFGHJKLMNPQRSTVXYZ";
    let a = L[i % L.len()] as char;
    let b = L[(i / L.len()) % L.len()] as char;
    format!("F{a}-{:03}-{b}Z", 100 + i % 900)
}

/// 918 vehicles of four tenants and eight services, 10 years of readings and fuel.
fn fleet() -> mutualis::Result<Mutualis> {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))?;
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214203317",
        "42332",
    ))?;
    let tenants = ["AGGLO", "ROANNE", "MABLY", "VILLEREST"];
    for t in tenants {
        m.add_service(t, "PARC", "Parc auto")?;
        m.add_service(t, "VOIRIE", "Voirie")?;
    }
    let categories = [
        VehicleCategory::Car,
        VehicleCategory::Van,
        VehicleCategory::Van,
        VehicleCategory::TruckOver3_5t,
        VehicleCategory::Mower,
        VehicleCategory::AerialWorkPlatform,
        VehicleCategory::Bus,
        VehicleCategory::Crane,
    ];
    for i in 0..918usize {
        let code = format!("VH-{i:04}");
        let tenant = tenants[i % 4];
        let category = categories[i % categories.len()];
        let first = d(
            2014 + (i % 10) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        );
        let kind = match category {
            VehicleCategory::Mower
            | VehicleCategory::AerialWorkPlatform
            | VehicleCategory::Crane => AssetKind::Equipment,
            _ => AssetKind::Vehicle,
        };
        m.add_asset(NewAsset::new(&code, "Véhicule", kind, tenant, first))?;
        let service = if i % 2 == 0 { "PARC" } else { "VOIRIE" };
        let mut spec =
            NewVehicle::new(&code, category, Energy::Diesel).assigned_to(tenant, service);
        if kind == AssetKind::Vehicle {
            spec = spec.registered(&plate(i), first);
        }
        m.register_vehicle(spec)?;
        let mut km = 1_000 + (i as u64 % 7) * 100;
        for month in 0..120u32 {
            let date = d(2016 + (month / 12) as i32, 1 + month % 12, 28);
            km += 800 + (i as u64 % 5) * 100;
            m.record_meter_reading(&code, Meter::Km, date, km)?;
            m.record_fuel(
                &code,
                NewFuelLine {
                    date,
                    quantity: Decimal::new(650, 1),
                    unit: FuelUnit::Litres,
                    ht: Decimal::new(9_750, 2),
                    vat: VatRate::Standard,
                },
            )?;
        }
        let inspection = match category {
            VehicleCategory::Mower => None,
            VehicleCategory::AerialWorkPlatform | VehicleCategory::Crane => {
                Some(InspectionKind::Vgp)
            }
            _ => Some(InspectionKind::ControleTechnique),
        };
        if let Some(kind) = inspection {
            m.record_inspection(
                &code,
                NewInspection {
                    kind,
                    date: d(2025, 1 + (i % 12) as u32, 10),
                    result: InspectionResult::Passed,
                    counter_visit_by: None,
                },
            )?;
        }
        m.add_maintenance_plan(NewMaintenancePlan {
            code: format!("PM-{i:04}"),
            vehicle: code.clone(),
            label: "Vidange".into(),
            every_km: Some(15_000),
            every_hours: None,
            every_months: Some(12),
            last_date: d(2025, 6, 1),
            last_km: Some(km - 5_000),
            last_hours: None,
        })?;
    }
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
}

criterion_group!(fleet_benches, benches);
criterion_main!(fleet_benches);
