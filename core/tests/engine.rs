//! The engine: the incremental ledger equals a from-scratch allocation after
//! random sequences of every command that changes who pays (custody, keys,
//! parents, decommissioning, ownership transfers) interleaved with cost lines and credit notes;
//! amounts are conserved per line and per year; the registry's own exports
//! (JSON, journal) always reload to the same registry; failed batches change
//! nothing.

use chrono::{Datelike, NaiveDate};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::{
    AssetKind, CostInput, KeyBasis, Mutualis, NewAsset, NewSupplier, NewTenant, NewWorkOrder,
    Period, TenantKind, VatRate, WorkOrderStatus,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

const ASSETS: [&str; 6] = ["SITE", "GYM", "HALL", "ROOM", "SCHOOL", "DEPOT"];
const TENANTS: [&str; 3] = ["AGGLO", "MABLY", "ROANNE"];

fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    let a = |code: &str, owner: &str, parent: Option<&str>| {
        let spec = NewAsset::new(code, code, AssetKind::Building, owner, d(2000, 1, 1));
        match parent {
            Some(p) => spec.under(p),
            None => spec,
        }
    };
    m.add_asset(a("SITE", "ROANNE", None)).unwrap();
    m.add_asset(a("GYM", "ROANNE", Some("SITE"))).unwrap();
    m.add_asset(a("HALL", "ROANNE", Some("GYM"))).unwrap();
    m.add_asset(a("ROOM", "ROANNE", Some("HALL"))).unwrap();
    m.add_asset(a("SCHOOL", "MABLY", None)).unwrap();
    m.add_asset(a("DEPOT", "AGGLO", None)).unwrap();
    m.add_team("T-ROANNE", "ROANNE", "Régie Roanne", None)
        .unwrap();
    m.add_team("T-AGGLO", "AGGLO", "Régie agglo", None).unwrap();
    m.add_supplier(NewSupplier::new("SUP", "Fournisseur", "73282932000074"))
        .unwrap();
    for year in 2024..=2027 {
        m.set_labour_rate("ROANNE", year, None, None, dec!(38.50))
            .unwrap();
        m.set_labour_rate("AGGLO", year, None, None, dec!(41.10))
            .unwrap();
    }
    for (i, asset) in ASSETS.iter().enumerate() {
        let team = if i % 2 == 0 { "T-ROANNE" } else { "T-AGGLO" };
        let code = format!("W-{asset}");
        m.create_work_order(NewWorkOrder::by_team(&code, "Entretien", asset, team))
            .unwrap();
        m.set_work_order_status(
            &code,
            WorkOrderStatus::InProgress,
            chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        )
        .unwrap();
        let ext = format!("X-{asset}");
        m.create_work_order(NewWorkOrder::by_supplier(&ext, "Prestation", asset, "SUP"))
            .unwrap();
        m.set_work_order_status(
            &ext,
            WorkOrderStatus::InProgress,
            chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        )
        .unwrap();
    }
    m
}

fn day(n: u16) -> NaiveDate {
    d(2024, 1, 1) + chrono::Duration::days(i64::from(n % (4 * 365)))
}

/// One random command; refusals are fine (they must change nothing).
fn step(m: &mut Mutualis, op: (u8, u8, u8, u16, u16)) {
    let (kind, a, b, x, y) = op;
    let asset = ASSETS[usize::from(a) % ASSETS.len()];
    let tenant = TENANTS[usize::from(b) % TENANTS.len()];
    let (from, to) = (day(x).min(day(y)), day(x).max(day(y)));
    let before = m.clone();
    let result = match kind % 11 {
        0..=2 => m
            .record_cost(
                &format!("W-{asset}"),
                CostInput::labour(
                    day(x),
                    Decimal::new(i64::from(y % 40 + 1) * 25, 2),
                    1 + u32::from(b % 3),
                ),
            )
            .map(drop),
        3 => {
            let ht = Decimal::new(i64::from(y % 5000) + 1, 2);
            let ht = if b % 4 == 0 { -ht } else { ht }; // credit notes too
            m.record_cost(
                &format!("X-{asset}"),
                CostInput::external(day(x), None, "Facture", ht, VatRate::Standard),
            )
            .map(drop)
        }
        4 => m.grant_custody(
            asset,
            tenant,
            if b % 2 == 0 {
                Period::starting(from)
            } else {
                Period::new(from, Some(to)).unwrap()
            },
        ),
        5 => m.end_custody(asset, to),
        6 => m.set_sharing_key(
            asset,
            KeyBasis::FloorArea,
            if b % 2 == 0 {
                Period::starting(from)
            } else {
                Period::new(from, Some(to)).unwrap()
            },
            &[
                ("AGGLO", u64::from(x % 7)),
                ("MABLY", u64::from(y % 5) + 1),
                ("ROANNE", u64::from(b % 3)),
            ],
        ),
        7 => m.end_sharing_key(asset, to),
        8 => {
            let parent = ASSETS[usize::from(b) % ASSETS.len()];
            m.set_parent(asset, if x % 5 == 0 { None } else { Some(parent) })
        }
        9 => m.decommission(asset, day(x)),
        _ => m.transfer_ownership(asset, tenant, day(x)).map(drop),
    };
    if result.is_err() {
        assert_eq!(*m, before, "a refused command changed the registry");
        assert_eq!(m.journal().len(), before.journal().len());
    }
}

/// The allocation of every line recomputed independently: `line_charges`
/// asks `payers` on the line's date.
fn expected_rows(m: &Mutualis) -> Vec<(u32, String, i64, i64)> {
    let mut out = Vec::new();
    for (i, line) in m.cost_lines().iter().enumerate() {
        for c in m.line_charges(&line).unwrap() {
            if c.amounts.ht.is_zero() && c.amounts.ttc.is_zero() && line.ttc.is_zero() {
                continue;
            }
            out.push((
                i as u32,
                m.tenant_code(c.tenant).to_owned(),
                mutualis::money::to_cents(c.amounts.ht).unwrap(),
                mutualis::money::to_cents(c.amounts.ttc).unwrap(),
            ));
        }
    }
    out
}

fn ledger_rows(m: &Mutualis) -> Vec<(u32, String, i64, i64)> {
    let c = m.ledger_columns();
    (0..c.line.len())
        .map(|r| {
            (
                c.line[r],
                m.tenants()[c.payer[r] as usize].code.clone(),
                c.ht[r],
                c.ttc[r],
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn incremental_ledger_equals_from_scratch(ops in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()), 1..80)) {
        let mut m = seed();
        for op in ops {
            step(&mut m, op);
        }
        // the ledger kept up to date = an independent recomputation
        prop_assert_eq!(ledger_rows(&m), expected_rows(&m));
        // conservation per line and per year
        let c = m.ledger_columns();
        for (i, line) in m.cost_lines().iter().enumerate() {
            let (mut ht, mut ttc) = (0i64, 0i64);
            for r in (0..c.line.len()).filter(|&r| c.line[r] as usize == i) {
                ht += c.ht[r];
                ttc += c.ttc[r];
            }
            prop_assert_eq!(Decimal::new(ht, 2), line.ht);
            prop_assert_eq!(Decimal::new(ttc, 2), line.ttc);
        }
        for row in m.ledger_group(&[Dimension::Year], &LedgerFilter::default()).unwrap() {
            let year: i32 = row.keys[0].parse().unwrap();
            let of_year: Decimal = m.cost_lines().iter().filter(|l| l.date.year() == year).map(|l| l.ttc).sum();
            prop_assert_eq!(row.ttc, of_year);
        }
        // the registry's own exports reload to the same registry and ledger
        let json = m.to_json();
        let loaded = Mutualis::from_json(&json).unwrap();
        prop_assert_eq!(&loaded, &m);
        prop_assert_eq!(ledger_rows(&loaded), ledger_rows(&m));
        prop_assert_eq!(loaded.to_json(), json);
        let replayed = Mutualis::replay(m.journal()).unwrap();
        prop_assert_eq!(&replayed, &m);
    }

    #[test]
    fn a_failed_batch_changes_nothing(ops in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()), 0..30), n in 0usize..20) {
        let mut m = seed();
        for op in ops {
            step(&mut m, op);
        }
        let before = m.clone();
        let mut batch: Vec<(String, CostInput)> = (0..n)
            .map(|i| (format!("W-{}", ASSETS[i % ASSETS.len()]), CostInput::labour(day(i as u16 * 37), dec!(1.5), 1)))
            .collect();
        batch.push(("W-NOPE".into(), CostInput::labour(day(3), dec!(1), 1)));
        let err = m.record_costs(batch, None).unwrap_err();
        prop_assert!(err.0 <= n); // an earlier line may be refused too (decommissioned asset)
        prop_assert_eq!(&m, &before);
        prop_assert_eq!(m.journal().len(), before.journal().len());
        prop_assert_eq!(ledger_rows(&m), ledger_rows(&before));
        // and the registry keeps working after the rollback
        for asset in ASSETS {
            let _ = m.record_cost(&format!("W-{asset}"), CostInput::labour(d(2024, 1, 2), dec!(2), 1));
        }
        prop_assert_eq!(ledger_rows(&m), expected_rows(&m));
    }
}

#[test]
fn decommissioning_before_recorded_costs_is_refused() {
    let mut m = seed();
    m.record_cost("W-GYM", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1))
        .unwrap();
    let before = m.clone();
    let err = m.decommission("GYM", d(2026, 3, 11)).unwrap_err();
    assert!(
        matches!(err, mutualis::Error::OutsideAssetLife { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("2026-03-12"), "{err}");
    assert_eq!(m, before);
    m.decommission("GYM", d(2026, 3, 12)).unwrap();
    assert!(Mutualis::from_json(&m.to_json()).is_ok());
}

#[test]
fn moving_an_asset_moves_who_pays_for_its_past_lines() {
    let mut m = seed();
    m.grant_custody("SITE", "AGGLO", Period::starting(d(2024, 1, 1)))
        .unwrap();
    m.record_cost("W-ROOM", CostInput::labour(d(2026, 3, 12), dec!(1), 1))
        .unwrap();
    let payer = |m: &Mutualis| ledger_rows(m)[0].1.clone();
    assert_eq!(payer(&m), "AGGLO");
    m.set_parent("ROOM", None).unwrap();
    assert_eq!(payer(&m), "ROANNE");
    m.set_parent("ROOM", Some("HALL")).unwrap();
    assert_eq!(payer(&m), "AGGLO");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A store holding a registry built by random commands (each one
    /// committed, refused ones included) reopens to the same registry and
    /// ledger, with and without a snapshot.
    #[test]
    fn the_store_reopens_after_random_commands(ops in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()), 1..40), snap in any::<bool>()) {
        let dir = std::env::temp_dir().join(format!("mutualis-engine-{}-{}", std::process::id(), rand_suffix(&ops)));
        let _ = std::fs::remove_file(&dir);
        let mut m = seed();
        {
            let mut store = mutualis::store::Store::open(&dir, "test").unwrap();
            store.adopt(seed()).unwrap();
            for op in &ops {
                let _ = store.execute(|r| {
                    let before = r.journal().len();
                    step(r, *op);
                    if r.journal().len() == before { Err(mutualis::Error::InvalidField { field: "op", reason: "refused".into() }) } else { Ok(()) }
                });
                step(&mut m, *op);
            }
            if snap {
                store.snapshot().unwrap();
            }
            prop_assert_eq!(store.registry(), &m);
        }
        let reopened = mutualis::store::Store::open(&dir, "test").unwrap();
        prop_assert_eq!(reopened.registry(), &m);
        prop_assert_eq!(ledger_rows(reopened.registry()), ledger_rows(&m));
        drop(reopened);
        let _ = std::fs::remove_file(&dir);
        let _ = std::fs::remove_file(dir.with_extension("db-wal"));
    }
}

fn rand_suffix(ops: &[(u8, u8, u8, u16, u16)]) -> u64 {
    ops.iter().fold(1469598103934665603u64, |h, o| {
        (h ^ (u64::from(o.0) << 40 | u64::from(o.3) << 16 | u64::from(o.4)))
            .wrapping_mul(1099511628211)
    })
}
