//! Scale check of the energy domain (issue 16): a deterministic group of
//! 300 buildings with 1 500 meters (1 200 electricity, 300 gas in m³ with
//! a PCS coefficient), 10 years (2016-2025) of monthly invoices (180 000)
//! and yearly readings; prints the time to load them and to answer the
//! dashboards (per building, per tenant and service, and the ledger's
//! energy rows grouped per payer, nature and year), in French.
//!
//!   cargo run --release -p mutualis-examples --example energy_scale

use std::time::Instant;

use chrono::NaiveDate;
use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter};
use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).expect("a valid date")
}

fn main() {
    let t0 = Instant::now();
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .expect("tenant");
    for b in 0..300 {
        m.add_asset(
            NewAsset::new(
                &format!("BAT-{b:03}"),
                "Bâtiment",
                AssetKind::Building,
                "ROANNE",
                d(1990, 1, 1),
            )
            .with_floor_area(Decimal::from(800 + b * 7)),
        )
        .expect("asset");
    }
    let mut n = 0u64;
    for i in 0..1500 {
        let code = format!("CPT-{i:04}");
        let building = format!("BAT-{:03}", i % 300);
        let gas = i % 5 == 4;
        let (source, unit) = if gas {
            (EnergySource::Gas, EnergyUnit::M3)
        } else {
            (EnergySource::Electricity, EnergyUnit::Kwh)
        };
        m.add_meter(NewMeter::new(&code, &building, source, unit))
            .expect("meter");
        if gas {
            m.set_conversion(&code, d(2016, 1, 1), Decimal::new(112, 1))
                .expect("pcs");
        }
        let mut index = 0i64;
        for y in 2016..2026 {
            let base = 1000 + ((i * 37 + y as usize * 11) % 900) as i64;
            m.record_reading(&code, d(y, 1, 1), Decimal::from(index), None)
                .expect("reading");
            index += base * 12;
            for mo in 1..=12u32 {
                let last = d(y, mo, 1)
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|x| x.pred_opt())
                    .expect("a month end");
                let q = base + i64::from((mo * 13) % 7) * 40;
                let ht = Decimal::new(q * 18, 2);
                m.record_energy_invoice(NewEnergyInvoice::new(
                    &code,
                    &format!("F-{y}-{mo:02}"),
                    last,
                    d(y, mo, 1),
                    last,
                    Decimal::from(q),
                    unit,
                    Decimal::new(1500, 2),
                    ht,
                    crate_vat(ht + Decimal::new(1500, 2)),
                ))
                .expect("invoice");
                n += 1;
            }
        }
    }
    let load = t0.elapsed();
    let t1 = Instant::now();
    let rows = m.energy_dashboard(2025).expect("dashboard");
    let dash = t1.elapsed();
    let total: Decimal = rows.iter().map(|r| r.kwh).sum();
    let cost: Decimal = rows.iter().map(|r| r.cost_ttc).sum();
    println!("Énergies à l'échelle : 1 500 compteurs, {n} factures mensuelles sur 10 ans");
    println!("  chargement : {:.0} ms", load.as_secs_f64() * 1000.0);
    println!(
        "  tableau de bord 2025 : {} lignes, {total} kWh, {cost} € TTC, en {:.1} ms",
        rows.len(),
        dash.as_secs_f64() * 1000.0
    );
    let t2 = Instant::now();
    let by_service = m.energy_by_service(2025).expect("breakdown");
    let breakdown = t2.elapsed();
    println!(
        "  par collectivité et service 2025 : {} lignes en {:.1} ms",
        by_service.len(),
        breakdown.as_secs_f64() * 1000.0
    );
    let t3 = Instant::now();
    let groups = m
        .ledger_group(
            &[
                mutualis::ledger::Dimension::Payer,
                mutualis::ledger::Dimension::Nature,
                mutualis::ledger::Dimension::Year,
            ],
            &mutualis::ledger::LedgerFilter::default(),
        )
        .expect("ledger");
    let ledger = t3.elapsed();
    let energy: Decimal = groups.iter().map(|g| g.ttc).sum();
    println!(
        "  grand livre (payeur × nature × année, {n} factures en nature energy) : {} groupes, {energy} € TTC, en {:.1} ms",
        groups.len(),
        ledger.as_secs_f64() * 1000.0
    );
}

/// TVA at 20 %, to the cent.
fn crate_vat(ht: Decimal) -> Decimal {
    mutualis::money::round_cents(ht * Decimal::new(20, 2))
}
