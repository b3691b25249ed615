//! AP/CP and the multi-year investment plan (DOMAIN §6).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mutualis::planning::{schedule, Candidate, NewAp, NewOperation, RbfRules};
use mutualis::{Error, Mutualis, NewTenant};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn tenant(carry_over: bool, lapse: Option<u32>) -> Mutualis {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.set_rbf_rules(
        "ROANNE",
        RbfRules {
            carry_over,
            lapse_after_years: lapse,
            reference: Some("RBF 2024 art. 12".into()),
        },
    )
    .unwrap();
    m
}

fn gym_ap() -> NewAp {
    NewAp {
        code: "AP-2025-GYM".into(),
        tenant: "ROANNE".into(),
        title: "Rénovation énergétique du gymnase".into(),
        year: 2025,
        amount: dec!(1200000.00),
        schedule: vec![
            (2025, dec!(200000.00)),
            (2026, dec!(600000.00)),
            (2027, dec!(400000.00)),
        ],
        operations: vec![],
    }
}

#[test]
fn domain_worked_example_with_every_intermediate_figure() {
    let mut m = tenant(true, None);
    m.vote_ap(gym_ap()).unwrap();
    let ap = m.ap("AP-2025-GYM").unwrap();
    assert_eq!(
        (
            ap.amount,
            ap.scheduled(2025),
            ap.scheduled(2026),
            ap.scheduled(2027)
        ),
        (
            dec!(1200000.00),
            dec!(200000.00),
            dec!(600000.00),
            dec!(400000.00)
        )
    );
    assert!(ap.invariant_holds());
    m.pay_ap("AP-2025-GYM", d(2025, 6, 30), dec!(100000.00))
        .unwrap();
    m.pay_ap("AP-2025-GYM", d(2025, 11, 15), dec!(50000.00))
        .unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    let ap = m.ap("AP-2025-GYM").unwrap();
    // 2025 closes with 150 000 paid; the 50 000 unspent move to 2026
    assert_eq!(
        (ap.paid_in(2025), ap.scheduled(2026), ap.scheduled(2027)),
        (dec!(150000.00), dec!(650000.00), dec!(400000.00))
    );
    assert!(ap.invariant_holds());
    // the re-spread rules give the explicit schedule of the worked example…
    use mutualis::planning::Respread;
    assert_eq!(
        m.respread("AP-2025-GYM", 2026, dec!(1300000.00), Respread::LastYear),
        Ok(vec![(2026, dec!(650000.00)), (2027, dec!(500000.00))])
    );
    // …or share the +100 000 by what each open year has left (650:400, largest remainder)
    assert_eq!(
        m.respread(
            "AP-2025-GYM",
            2026,
            dec!(1300000.00),
            Respread::Proportional
        ),
        Ok(vec![(2026, dec!(711904.76)), (2027, dec!(438095.24))])
    );
    let mut by_rule = m.clone();
    by_rule
        .respread_ap("AP-2025-GYM", 2026, dec!(1300000.00), Respread::LastYear)
        .unwrap();
    // revision in 2026: AP 1 300 000, the +100 000 going to 2027
    m.revise_ap(
        "AP-2025-GYM",
        2026,
        dec!(1300000.00),
        &[(2026, dec!(650000.00)), (2027, dec!(500000.00))],
    )
    .unwrap();
    let ap = m.ap("AP-2025-GYM").unwrap();
    assert_eq!(
        (ap.amount, ap.scheduled(2026), ap.scheduled(2027)),
        (dec!(1300000.00), dec!(650000.00), dec!(500000.00))
    );
    // check: 150 000 + 650 000 + 500 000 = 1 300 000
    assert_eq!(
        ap.paid_closed() + ap.scheduled(2026) + ap.scheduled(2027),
        dec!(1300000.00)
    );
    assert!(ap.invariant_holds());
    let situation = m.ap_situation("ROANNE", 2026).unwrap();
    assert_eq!(
        (
            situation[0].voted,
            situation[0].revisions,
            situation[0].amount,
            situation[0].paid_before,
            situation[0].cp_year,
            situation[0].later
        ),
        (
            dec!(1200000.00),
            dec!(100000.00),
            dec!(1300000.00),
            dec!(150000.00),
            dec!(650000.00),
            dec!(500000.00)
        )
    );
    // the journal replays to the same plan
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    assert_eq!(
        by_rule.ap("AP-2025-GYM").unwrap(),
        m.ap("AP-2025-GYM").unwrap()
    );
    // decreases: from the last year back, never below what a year paid
    m.pay_ap("AP-2025-GYM", d(2026, 3, 1), dec!(600000.00))
        .unwrap();
    assert_eq!(
        m.respread("AP-2025-GYM", 2026, dec!(800000.00), Respread::LastYear),
        Ok(vec![(2026, dec!(650000.00)), (2027, dec!(0.00))])
    );
    assert_eq!(
        m.respread("AP-2025-GYM", 2026, dec!(760000.00), Respread::LastYear),
        Ok(vec![(2026, dec!(610000.00)), (2027, dec!(0.00))])
    );
    assert!(matches!(
        m.respread("AP-2025-GYM", 2026, dec!(749999.99), Respread::LastYear),
        Err(Error::RevisionBelowPaid { .. })
    ));
    assert_eq!(
        m.respread(
            "AP-2025-GYM",
            2026,
            dec!(1250000.00),
            Respread::Proportional
        ),
        // left to pay: 2026 50 000, 2027 500 000 → −50 000 split 1:10
        Ok(vec![(2026, dec!(645454.55)), (2027, dec!(454545.45))])
    );
    assert!(matches!(
        m.respread("AP-2025-GYM", 2025, dec!(1300000.00), Respread::LastYear),
        Err(Error::YearClosed { year: 2025, .. })
    ));
    let before = m.clone();
    assert!(m
        .respread_ap("AP-2025-GYM", 2026, dec!(100.00), Respread::Proportional)
        .is_err());
    assert_eq!(m, before);
    assert_eq!(
        "proportional".parse::<Respread>(),
        Ok(Respread::Proportional)
    );
}

#[test]
fn without_carry_over_unspent_cp_are_cancelled() {
    let mut m = tenant(false, None);
    m.vote_ap(gym_ap()).unwrap();
    m.pay_ap("AP-2025-GYM", d(2025, 6, 30), dec!(150000.00))
        .unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    let ap = m.ap("AP-2025-GYM").unwrap();
    assert_eq!(
        (ap.amount, ap.scheduled(2026)),
        (dec!(1150000.00), dec!(600000.00))
    );
    assert_eq!(ap.revisions[0].reason, "CP 2025 annulés");
    assert!(ap.invariant_holds());
}

#[test]
fn lapse_after_n_years_without_payment() {
    let mut m = tenant(true, Some(2));
    m.vote_ap(gym_ap()).unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    assert!(!m.ap("AP-2025-GYM").unwrap().lapsed);
    m.close_year("ROANNE", 2026).unwrap();
    let ap = m.ap("AP-2025-GYM").unwrap();
    assert!(ap.lapsed);
    assert_eq!(ap.amount, dec!(0.00));
    assert!(ap.invariant_holds());
}

#[test]
fn refusals_are_typed_and_change_nothing() {
    let mut m = tenant(true, None);
    let mut bad = gym_ap();
    bad.schedule[2].1 = dec!(399999.99);
    assert!(matches!(m.vote_ap(bad), Err(Error::CpMismatch { .. })));
    m.vote_ap(gym_ap()).unwrap();
    m.pay_ap("AP-2025-GYM", d(2025, 6, 30), dec!(150000.00))
        .unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    let before = m.clone();
    assert_eq!(
        m.pay_ap("AP-2025-GYM", d(2025, 12, 31), dec!(1)),
        Err(Error::YearClosed {
            ap: "AP-2025-GYM".into(),
            year: 2025
        })
    );
    assert!(matches!(
        m.pay_ap("AP-2025-GYM", d(2026, 1, 2), dec!(650000.01)),
        Err(Error::CpMismatch { .. })
    ));
    assert!(matches!(
        m.revise_ap("AP-2025-GYM", 2026, dec!(149999.99), &[]),
        Err(Error::RevisionBelowPaid { paid, .. }) if paid == dec!(150000.00)
    ));
    assert!(matches!(
        m.revise_ap(
            "AP-2025-GYM",
            2026,
            dec!(1300000.00),
            &[(2026, dec!(650000.00)), (2027, dec!(400000.00))]
        ),
        Err(Error::CpMismatch { .. })
    ));
    assert!(matches!(
        m.revise_ap(
            "AP-2025-GYM",
            2026,
            dec!(1200000.00),
            &[
                (2025, dec!(1)),
                (2026, dec!(649999.00)),
                (2027, dec!(400000.00))
            ]
        ),
        Err(Error::CpMismatch { .. })
    ));
    assert!(matches!(
        m.pay_ap("AP-NOPE", d(2026, 1, 2), dec!(1)),
        Err(Error::UnknownOperation(_))
    ));
    // the year not closed yet is named, not the last closed one
    assert_eq!(
        m.close_year("ROANNE", 2027),
        Err(Error::YearNotNext {
            ap: "AP-2025-GYM".into(),
            year: 2027,
            next: 2026
        })
    );
    assert_eq!(
        m.close_year("ROANNE", 2025),
        Err(Error::YearClosed {
            ap: "AP-2025-GYM".into(),
            year: 2025
        })
    );
    let op = |code: &str, deps: Vec<String>| NewOperation {
        code: code.into(),
        tenant: "ROANNE".into(),
        title: "Toiture".into(),
        work_type: "toiture".into(),
        assets: vec![],
        priority: 1,
        estimated_cost: dec!(100000),
        earliest_year: 2026,
        profile: vec![100],
        depends_on: deps,
    };
    assert!(matches!(
        m.add_operation(op("OP-B", vec!["OP-A".into()])),
        Err(Error::UnknownOperation(_))
    ));
    assert_eq!(m, before);
}

fn cand(code: &str, priority: u32, cost: i64, profile: Vec<u64>, deps: &[&str]) -> Candidate {
    Candidate {
        code: code.into(),
        tenant: "ROANNE".into(),
        priority,
        cost: Decimal::from(cost),
        earliest_year: 2026,
        profile,
        depends_on: deps.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn caps(per_year: i64) -> BTreeMap<(String, i32), Decimal> {
    (2026..=2028)
        .map(|y| (("ROANNE".to_owned(), y), Decimal::from(per_year)))
        .collect()
}

#[test]
fn scheduling_worked_by_hand() {
    // caps 500 per year 2026–2028.
    // A (prio 1) 600 over 2 years → 300 + 300 in 2026–27.
    // B (prio 2) 400 in one year: 2026 (300 + 400) and 2027 (300 + 400) exceed
    //   the cap — binding twice — so 2028.
    // C (prio 3) 300 after A: 2028 only, where 400 + 300 > 500 → not placed.
    // D (prio 4) 200: fits 2026 exactly (300 + 200 = 500).
    let cs = vec![
        cand("A", 1, 600, vec![50, 50], &[]),
        cand("B", 2, 400, vec![100], &[]),
        cand("C", 3, 300, vec![100], &["A"]),
        cand("D", 4, 200, vec![100], &[]),
    ];
    let plan = schedule(&cs, &caps(500), 2026, 2028, &BTreeMap::new()).unwrap();
    let placed: Vec<_> = plan
        .placed
        .iter()
        .map(|p| (p.code.as_str(), p.start))
        .collect();
    assert_eq!(placed, [("A", 2026), ("B", 2028), ("D", 2026)]);
    assert_eq!(plan.not_placed.len(), 1);
    assert_eq!(plan.not_placed[0].0, "C");
    let t = |y| plan.totals[&("ROANNE".to_owned(), y)];
    assert_eq!(
        (t(2026), t(2027), t(2028)),
        (dec!(500), dec!(300), dec!(400))
    );
    // with BT01-like revaluation, B costs 400 × 106 / 100 = 424 in 2028
    let index: BTreeMap<i32, Decimal> = [(2026, dec!(100)), (2027, dec!(103)), (2028, dec!(106))]
        .into_iter()
        .collect();
    let plan2 = schedule(&cs, &caps(500), 2026, 2028, &index).unwrap();
    assert_eq!(plan2.placed[1].cp, vec![(2028, dec!(424.00))]);
    // what-if: raise the caps and compare
    let plan3 = schedule(&cs, &caps(800), 2026, 2028, &BTreeMap::new()).unwrap();
    assert!(plan3.not_placed.is_empty());
    let diff = plan.compare(&plan3);
    // caps 800: A 300+300 (2026–27), B 400 (2026: 700), C 300 (2028), D 200 (2027: 500)
    assert_eq!(diff[0], ("ROANNE".to_owned(), 2026, dec!(500), dec!(700)));
    assert_eq!(diff[1], ("ROANNE".to_owned(), 2027, dec!(300), dec!(500)));
    // cycles are refused
    let cyclic = vec![
        cand("X", 1, 1, vec![1], &["Y"]),
        cand("Y", 1, 1, vec![1], &["X"]),
    ];
    assert!(matches!(
        schedule(&cyclic, &caps(500), 2026, 2028, &BTreeMap::new()),
        Err(Error::CyclicDependency(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn invariant_holds_over_random_sequences(
        carry in any::<bool>(),
        steps in prop::collection::vec((0u8..4, 0i64..400_000, 0i64..3), 1..30),
    ) {
        let mut m = tenant(carry, Some(5));
        m.vote_ap(gym_ap()).unwrap();
        let mut year = 2025;
        for (kind, amount, shift) in steps {
            let amount = Decimal::new(amount * 100, 2);
            match kind {
                0 => { let _ = m.pay_ap("AP-2025-GYM", d(year, 6, 1), amount); }
                1 => { if m.close_year("ROANNE", year).is_ok() { year += 1; } }
                2 => {
                    let ap = m.ap("AP-2025-GYM").unwrap().clone();
                    let new_amount = ap.paid_closed() + amount + Decimal::new(shift, 0);
                    let first = ap.closed_through.map_or(ap.voted_year, |c| c + 1);
                    let _ = m.revise_ap("AP-2025-GYM", year, new_amount, &[(first, amount), (first + 1, Decimal::new(shift, 0))]);
                }
                _ => { let _ = m.revise_ap("AP-2025-GYM", year, amount, &[(year, amount)]); }
            }
            let ap = m.ap("AP-2025-GYM").unwrap();
            prop_assert!(ap.invariant_holds(), "{:?}", ap);
            prop_assert!(ap.paid_total() <= ap.amount);
        }
    }

    #[test]
    fn plans_respect_caps_and_dependencies(
        ops in prop::collection::vec((1u32..5, 1i64..500, prop::collection::vec(1u64..10, 1..4), any::<bool>()), 1..12),
        cap in 100i64..1000,
    ) {
        let cs: Vec<Candidate> = ops.iter().enumerate().map(|(i, (p, cost, profile, dep))| {
            let deps: Vec<&str> = Vec::new();
            let mut c = cand(&format!("OP{i}"), *p, *cost, profile.clone(), &deps);
            if *dep && i > 0 { c.depends_on = vec![format!("OP{}", i - 1)]; }
            c
        }).collect();
        let caps: BTreeMap<(String, i32), Decimal> = (2026..=2032).map(|y| (("ROANNE".to_owned(), y), Decimal::from(cap))).collect();
        let plan = schedule(&cs, &caps, 2026, 2032, &BTreeMap::new()).unwrap();
        for ((_, y), total) in &plan.totals {
            prop_assert!(*total <= caps[&("ROANNE".to_owned(), *y)]);
        }
        prop_assert_eq!(plan.placed.len() + plan.not_placed.len(), cs.len());
        for p in &plan.placed {
            let c = cs.iter().find(|c| c.code == p.code).unwrap();
            prop_assert_eq!(p.cp.iter().map(|(_, a)| *a).sum::<Decimal>(), c.cost);
            for dep in &c.depends_on {
                let dp = plan.placed.iter().find(|x| &x.code == dep);
                prop_assert!(dp.is_some(), "placed without its dependency");
                let dp = dp.unwrap();
                prop_assert!(p.start > dp.cp.last().unwrap().0, "started before its dependency ended");
            }
        }
    }
}

#[test]
fn plans_round_trip_through_json() {
    let mut m = tenant(true, Some(4));
    m.add_operation(NewOperation {
        code: "OP-1".into(),
        tenant: "ROANNE".into(),
        title: "Toiture".into(),
        work_type: "toiture".into(),
        assets: vec![],
        priority: 2,
        estimated_cost: dec!(100000),
        earliest_year: 2026,
        profile: vec![40, 60],
        depends_on: vec![],
    })
    .unwrap();
    let mut ap = gym_ap();
    ap.operations = vec!["OP-1".into()];
    m.vote_ap(ap).unwrap();
    m.pay_ap("AP-2025-GYM", d(2025, 6, 30), dec!(150000.00))
        .unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    m.revise_ap(
        "AP-2025-GYM",
        2026,
        dec!(1300000.00),
        &[(2026, dec!(650000.00)), (2027, dec!(500000.00))],
    )
    .unwrap();
    let json = m.to_json();
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    let tampered = json.replacen("\"650000.00\"", "\"650000.01\"", 1);
    assert_ne!(tampered, json);
    assert!(matches!(
        Mutualis::from_json(&tampered),
        Err(Error::InvalidField { field: "aps", .. })
    ));
    let rows = m.ppi_rows("ROANNE").unwrap();
    let cells: Vec<_> = rows
        .iter()
        .map(|r| (r.year, r.scheduled, r.closed))
        .collect();
    assert_eq!(
        cells,
        [
            (2025, dec!(150000.00), true),
            (2026, dec!(650000.00), false),
            (2027, dec!(500000.00), false)
        ]
    );
}

#[test]
fn the_plan_by_building_groups_aps_under_their_first_asset() {
    let mut m = tenant(true, None);
    for (code, name) in [("ECOLE", "École"), ("GYM", "Gymnase")] {
        m.add_asset(mutualis::NewAsset::new(
            code,
            name,
            mutualis::AssetKind::Building,
            "ROANNE",
            d(1970, 1, 1),
        ))
        .unwrap();
    }
    let op = |code: &str, assets: Vec<String>| NewOperation {
        code: code.into(),
        tenant: "ROANNE".into(),
        title: "Travaux".into(),
        work_type: "toiture".into(),
        assets,
        priority: 1,
        estimated_cost: dec!(1000),
        earliest_year: 2026,
        profile: vec![1],
        depends_on: vec![],
    };
    m.add_operation(op("OP-GYM", vec!["GYM".into(), "ECOLE".into()]))
        .unwrap();
    m.add_operation(op("OP-ECOLE", vec!["ECOLE".into()]))
        .unwrap();
    m.add_operation(op("OP-NONE", vec![])).unwrap();
    for (ap, ops, years) in [
        ("AP-1", vec!["OP-GYM"], vec![2026, 2027]),
        ("AP-2", vec!["OP-NONE"], vec![2026]),
        ("AP-3", vec!["OP-ECOLE"], vec![2027]),
    ] {
        let share = dec!(1000.00) / Decimal::from(years.len());
        m.vote_ap(NewAp {
            code: ap.into(),
            tenant: "ROANNE".into(),
            title: ap.into(),
            year: 2026,
            amount: dec!(1000.00),
            schedule: years.iter().map(|y| (*y, share)).collect(),
            operations: ops.into_iter().map(Into::into).collect(),
        })
        .unwrap();
    }
    let plans = m.plan_by_building("ROANNE").unwrap();
    type Shape<'a> = Vec<(Option<&'a str>, Vec<(&'a str, i32)>)>;
    let shape: Shape<'_> = plans
        .iter()
        .map(|p| {
            (
                p.asset.as_deref(),
                p.rows.iter().map(|r| (r.ap.as_str(), r.year)).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (Some("ECOLE"), vec![("AP-3", 2027)]),
            (Some("GYM"), vec![("AP-1", 2026), ("AP-1", 2027)]),
            (None, vec![("AP-2", 2026)]),
        ]
    );
    // every PPI row is in exactly one building plan
    let rows: usize = plans.iter().map(|p| p.rows.len()).sum();
    assert_eq!(rows, m.ppi_rows("ROANNE").unwrap().len());
    assert!(matches!(
        m.plan_by_building("NOPE"),
        Err(Error::UnknownTenant(_))
    ));
}
