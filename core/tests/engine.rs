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

/// The seed with services, a managed asset tree and tagged orders, for the
/// group-by comparison.
fn seed_grouped() -> Mutualis {
    let mut m = seed();
    m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
    m.add_service("ROANNE", "EV", "Espaces verts").unwrap();
    m.add_service("MABLY", "BAT", "Bâtiments").unwrap();
    m.add_asset(
        NewAsset::new("PARK", "Parc", AssetKind::Site, "ROANNE", d(2000, 1, 1))
            .managed_by("ROANNE", "EV"),
    )
    .unwrap();
    m.add_asset(
        NewAsset::new(
            "POND",
            "Bassin",
            AssetKind::Equipment,
            "ROANNE",
            d(2000, 1, 1),
        )
        .under("PARK"),
    )
    .unwrap();
    let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let orders = [
        NewWorkOrder::by_team("T-GYM", "Fête", "GYM", "T-ROANNE")
            .tagged("FETE")
            .tagged("ETE")
            .for_association("CLUB")
            .ordered_by("ROANNE", "VOIRIE"),
        NewWorkOrder::by_supplier("S-HALL", "Fête", "HALL", "SUP").tagged("FETE"),
        NewWorkOrder::by_team("T-POND", "Curage", "POND", "T-AGGLO").for_association("PECHE"),
        NewWorkOrder::by_supplier("S-PARK", "Élagage", "PARK", "SUP").ordered_by("MABLY", "BAT"),
    ];
    for o in orders {
        let code = o.code.clone();
        m.create_work_order(o).unwrap();
        m.set_work_order_status(&code, WorkOrderStatus::InProgress, at)
            .unwrap();
    }
    m
}

/// [`Mutualis::ledger_group`] recomputed naively from the ledger's rows
/// (`ledger_columns`) and the work orders' records.
fn reference_group(
    m: &Mutualis,
    dims: &[Dimension],
    f: &LedgerFilter,
) -> Vec<mutualis::ledger::GroupRow> {
    use std::collections::{BTreeMap, BTreeSet};
    let c = m.ledger_columns();
    let orders: Vec<mutualis::WorkOrder> = m.work_orders().iter().collect();
    let tenant = |id: u32| {
        if id == u32::MAX {
            String::new()
        } else {
            m.tenants()[id as usize].code.clone()
        }
    };
    let in_subtree = |mut a: Option<usize>, root: &str| {
        while let Some(x) = a {
            if m.assets()[x].code == root {
                return true;
            }
            a = m.assets()[x].parent.map(|p| p.index());
        }
        false
    };
    type Sums = (Decimal, Decimal, usize, BTreeSet<u32>);
    let mut groups: BTreeMap<Vec<String>, Sums> = BTreeMap::new();
    for r in 0..c.line.len() {
        let date = NaiveDate::from_num_days_from_ce_opt(c.day[r]).unwrap();
        let wo = &orders[c.work_order[r] as usize];
        let nature = mutualis::CostNature::ALL[usize::from(c.nature[r])];
        let payer = tenant(c.payer[r]);
        let performer = tenant(c.performer[r]);
        if f.period.is_some_and(|p| !p.contains(date))
            || f.payer.as_ref().is_some_and(|p| *p != payer)
            || f.performer.as_ref().is_some_and(|p| *p != performer)
            || f.nature.is_some_and(|n| n != nature)
            || f.tag.as_ref().is_some_and(|t| !wo.tags.contains(t))
            || f.asset
                .as_ref()
                .is_some_and(|a| !in_subtree(Some(c.asset[r] as usize), a))
        {
            continue;
        }
        let tags: Vec<String> = if dims.contains(&Dimension::Tag) && !wo.tags.is_empty() {
            wo.tags.clone()
        } else {
            vec![String::new()]
        };
        for tag in tags {
            let keys: Vec<String> = dims
                .iter()
                .map(|d| match d {
                    Dimension::Payer => payer.clone(),
                    Dimension::Performer => performer.clone(),
                    Dimension::Supplier => {
                        if c.supplier[r] == u32::MAX {
                            String::new()
                        } else {
                            m.suppliers()[c.supplier[r] as usize].code.clone()
                        }
                    }
                    Dimension::Service => {
                        if c.service[r] == u32::MAX {
                            String::new()
                        } else {
                            let s = &m.services()[c.service[r] as usize];
                            format!("{}/{}", m.tenant_code(s.tenant), s.code)
                        }
                    }
                    Dimension::Nature => nature.as_str().to_owned(),
                    Dimension::Asset => m.assets()[c.asset[r] as usize].code.clone(),
                    Dimension::WorkOrder => wo.code.clone(),
                    Dimension::Tag => tag.clone(),
                    Dimension::Association => wo.association.clone().unwrap_or_default(),
                    Dimension::Year => date.year().to_string(),
                    Dimension::Month => format!("{:04}-{:02}", date.year(), date.month()),
                    _ => unreachable!("a dimension this test does not know"),
                })
                .collect();
            let g = groups.entry(keys).or_default();
            g.0 += Decimal::new(c.ht[r], 2);
            g.1 += Decimal::new(c.ttc[r], 2);
            g.2 += 1;
            g.3.insert(c.work_order[r]);
        }
    }
    groups
        .into_iter()
        .map(
            |(keys, (ht, ttc, rows, orders))| mutualis::ledger::GroupRow {
                keys,
                ht,
                ttc,
                rows,
                work_orders: orders.len(),
            },
        )
        .collect()
}

const GROUP_ORDERS: [&str; 16] = [
    "W-SITE", "W-GYM", "W-HALL", "W-ROOM", "W-SCHOOL", "W-DEPOT", "X-SITE", "X-GYM", "X-HALL",
    "X-ROOM", "X-SCHOOL", "X-DEPOT", "T-GYM", "S-HALL", "T-POND", "S-PARK",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every dimension and filter, on lines recorded order by order (the scan
    /// in line order) or interleaved (the walk order by order), equals a
    /// naive grouping of the ledger's rows.
    #[test]
    fn ledger_group_equals_a_grouping_of_the_ledger_rows(
        ops in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()), 0..40),
        lines in prop::collection::vec((0usize..16, any::<u16>(), 1u16..5000), 0..40),
        by_order in any::<bool>(),
    ) {
        let mut m = seed_grouped();
        for op in ops {
            // lines come below (in runs per order when `by_order`)
            if op.0 % 11 > 3 {
                step(&mut m, op);
            }
        }
        let mut lines = lines;
        if by_order {
            lines.sort_by_key(|l| l.0);
        }
        for (o, x, amount) in lines {
            let code = GROUP_ORDERS[o];
            let input = if code.starts_with('X') || code.starts_with('S') {
                let ht = Decimal::new(i64::from(amount), 2);
                let ht = if amount % 7 == 0 { -ht } else { ht };
                CostInput::external(day(x), None, "Facture", ht, VatRate::Standard)
            } else {
                CostInput::labour(day(x), Decimal::new(i64::from(amount % 40 + 1) * 25, 2), 1)
            };
            let _ = m.record_cost(code, input);
        }
        let all = LedgerFilter::default();
        let filters = [
            all.clone(),
            LedgerFilter { nature: Some(mutualis::CostNature::External), ..all.clone() },
            LedgerFilter { payer: Some("ROANNE".into()), ..all.clone() },
            LedgerFilter { performer: Some("AGGLO".into()), ..all.clone() },
            LedgerFilter { tag: Some("FETE".into()), ..all.clone() },
            LedgerFilter { tag: Some("NOPE".into()), ..all.clone() },
            LedgerFilter { asset: Some("GYM".into()), ..all.clone() },
            LedgerFilter { period: Some(Period::new(d(2025, 3, 1), Some(d(2026, 2, 28))).unwrap()), ..all.clone() },
        ];
        let dims: [&[Dimension]; 9] = [
            &[Dimension::Year, Dimension::Payer, Dimension::Service, Dimension::Nature],
            &[Dimension::Year, Dimension::Performer, Dimension::Payer],
            &[Dimension::Year, Dimension::Supplier],
            &[Dimension::Tag],
            &[Dimension::Month, Dimension::Asset],
            &[Dimension::WorkOrder, Dimension::Tag, Dimension::Year],
            &[Dimension::Association, Dimension::Payer],
            &[Dimension::Nature],
            &[],
        ];
        for f in &filters {
            for d in dims {
                prop_assert_eq!(m.ledger_group(d, f).unwrap(), reference_group(&m, d, f), "{:?} {:?}", d, f);
            }
        }
    }
}
