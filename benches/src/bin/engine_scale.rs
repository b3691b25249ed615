//! The registry at metropolis scale, through the public commands only:
//! builds N interventions (work order + 3 cost lines each) on a tree of
//! assets with custody and sharing keys, then prints what one more command
//! costs, the resident memory per cost line, and the time of the ledger
//! questions.
//!
//!     cargo run --release -p mutualis-benches --bin engine_scale -- [N]
//!
//! Figures for the closing notes; nothing here is asserted.

use std::time::Instant;

use chrono::{DateTime, NaiveDate};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::{
    AssetKind, CostInput, KeyBasis, Mutualis, NewAsset, NewSupplier, NewTenant, NewWorkOrder,
    Period, TenantKind, VatRate, WorkOrderStatus,
};
use rust_decimal::Decimal;

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
}

fn main() -> mutualis::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let rss0 = rss_mib();
    let mut m = Mutualis::new();
    m.set_clock(mutualis::Clock::Fixed(
        DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default(),
    ));
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))?;
    let tenants = ["AGGLO", "ROANNE", "MABLY"];
    for t in tenants {
        m.add_team(&format!("T-{t}"), t, "Régie", None)?;
        for y in 2024..=2027 {
            m.set_labour_rate(t, y, None, None, Decimal::new(3850, 2))?;
        }
    }
    m.add_supplier(NewSupplier::new("SUP", "Fournisseur", "73282932000074"))?;
    let sites = (n / 200).max(10);
    for s in 0..sites {
        let owner = tenants[s % 3];
        let site = format!("S{s}");
        m.add_asset(NewAsset::new(
            &site,
            "Site",
            AssetKind::Site,
            owner,
            d(2000, 1, 1),
        ))?;
        for b in 0..4 {
            m.add_asset(
                NewAsset::new(
                    &format!("S{s}-B{b}"),
                    "Bâtiment",
                    AssetKind::Building,
                    owner,
                    d(2000, 1, 1),
                )
                .under(&site),
            )?;
        }
        if s % 5 == 0 {
            m.grant_custody(&site, tenants[(s + 1) % 3], Period::starting(d(2025, 7, 1)))?;
        }
        if s % 7 == 0 {
            m.set_sharing_key(
                &format!("S{s}-B0"),
                KeyBasis::FloorArea,
                Period::new(d(2024, 1, 1), Some(d(2026, 6, 30)))?,
                &[("AGGLO", 40), ("MABLY", 25), ("ROANNE", 35)],
            )?;
        }
    }
    let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let t0 = Instant::now();
    for i in 0..n {
        let asset = format!("S{}-B{}", i % sites, (i / sites) % 4);
        let code = format!("BT-{i}");
        let team = format!("T-{}", tenants[i % 3]);
        let spec = if i % 4 == 3 {
            NewWorkOrder::by_supplier(&code, "Prestation", &asset, "SUP")
        } else {
            NewWorkOrder::by_team(&code, "Entretien", &asset, &team)
        };
        m.create_work_order(spec)?;
        m.set_work_order_status(&code, WorkOrderStatus::InProgress, at)?;
        let day = d(2024, 1, 1) + chrono::Duration::days((i % 1400) as i64);
        if i % 4 == 3 {
            for k in 0..3 {
                m.record_cost(
                    &code,
                    CostInput::external(
                        day,
                        None,
                        "Facture",
                        Decimal::new(10_000 + k, 2),
                        VatRate::Standard,
                    ),
                )?;
            }
        } else {
            for k in 0..3 {
                m.record_cost(&code, CostInput::labour(day, Decimal::new(15 + k, 1), 1))?;
            }
        }
    }
    let build = t0.elapsed();
    let lines = m.cost_lines().len();
    let rss = rss_mib();
    println!(
        "sizes: journal entry {} B, work order {} B",
        std::mem::size_of::<mutualis::JournalEntry>(),
        std::mem::size_of::<mutualis::WorkOrder>()
    );
    println!(
        "interventions {n}, cost lines {lines}, ledger rows {}",
        m.ledger().len()
    );
    println!(
        "built through commands in {:.2} s ({:.2} µs per intervention)",
        build.as_secs_f64(),
        build.as_secs_f64() * 1e6 / n as f64
    );
    println!(
        "resident {:.0} MiB, {:.0} bytes per cost line (journal included: {} entries)",
        rss - rss0,
        (rss - rss0) * 1024.0 * 1024.0 / lines as f64,
        m.journal().len()
    );
    // one more intervention
    let t = Instant::now();
    m.create_work_order(NewWorkOrder::by_team(
        "BT-ONE",
        "Une de plus",
        "S1-B1",
        "T-ROANNE",
    ))?;
    m.set_work_order_status("BT-ONE", WorkOrderStatus::InProgress, at)?;
    m.record_cost(
        "BT-ONE",
        CostInput::labour(d(2026, 3, 12), Decimal::new(65, 1), 1),
    )?;
    println!(
        "one intervention (work order + status + line + ledger): {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6
    );
    // custody change on one site
    let site_lines: usize = ["S4"]
        .iter()
        .map(|a| m.rollup(a, None).map(|s| s.lines).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let t = Instant::now();
    m.grant_custody("S4", "AGGLO", Period::starting(d(2024, 1, 1)))?;
    println!(
        "custody change on a site with {site_lines} lines: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6
    );
    for s in [7, 13, 19, 22] {
        let site = format!("S{s}");
        let lines = m.rollup(&site, None).map(|x| x.lines).unwrap_or(0);
        let owner = m.asset(&site)?.owner;
        let to = if m.tenant_code(owner) == "AGGLO" {
            "MABLY"
        } else {
            "AGGLO"
        };
        let t = Instant::now();
        let r = m.grant_custody(&site, to, Period::starting(d(2024, 1, 1)));
        println!(
            "  again on {site} ({lines} lines, {:?}): {:.1} µs",
            r.is_ok(),
            t.elapsed().as_secs_f64() * 1e6
        );
    }
    let all = LedgerFilter::default();
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for _ in 1..repeat {
        let _ = m.ledger_group(
            &[
                Dimension::Year,
                Dimension::Payer,
                Dimension::Service,
                Dimension::Nature,
            ],
            &all,
        )?;
    }
    let t = Instant::now();
    let q1 = m.ledger_group(
        &[
            Dimension::Year,
            Dimension::Payer,
            Dimension::Service,
            Dimension::Nature,
        ],
        &all,
    )?;
    println!(
        "Q1 allocation by year × payer × service × nature: {} rows in {:.3} s",
        q1.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let q2 = m.ledger_group(
        &[Dimension::Year, Dimension::Performer, Dimension::Payer],
        &all,
    )?;
    println!(
        "Q2 régie work by year × performer × payer: {} rows in {:.3} s",
        q2.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let q3 = m.ledger_group(&[Dimension::Year, Dimension::Supplier], &all)?;
    println!(
        "Q3 suppliers by year: {} rows in {:.3} s",
        q3.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut debts = 0;
    for y in 2024..=2027 {
        debts += m.settlement_matrix(y)?.len();
    }
    println!(
        "settlement matrices 2024–2027: {debts} cells in {:.3} s",
        t.elapsed().as_secs_f64()
    );
    // the reports (issue 18): each built from the queries and rendered as
    // HTML, for the agglomeration in 2026
    for kind in mutualis::report::ReportKind::ALL {
        let t = Instant::now();
        let r = m.report(*kind, "AGGLO", 2026)?;
        let built = t.elapsed();
        let html = r.to_html(mutualis::report::Locale::Fr);
        println!(
            "report {:<11} built in {:.3} s, HTML ({} KiB) in {:.3} s: {:.3} s",
            kind.as_str(),
            built.as_secs_f64(),
            html.len() >> 10,
            (t.elapsed() - built).as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let json = m.to_json();
    let to_json = t.elapsed();
    let t = Instant::now();
    let back = Mutualis::from_json(&json)?;
    println!(
        "dataset JSON: {} MiB, written in {:.2} s, loaded in {:.2} s ({} lines)",
        json.len() >> 20,
        to_json.as_secs_f64(),
        t.elapsed().as_secs_f64(),
        back.cost_lines().len()
    );
    Ok(())
}
