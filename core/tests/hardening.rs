//! Hardening: extreme inputs are refused with typed errors that name what
//! was wrong, never a panic or a silently wrong answer; each case here was
//! seen by running the library as a new user would (issue 11).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mutualis::agreements::NewLoan;
use mutualis::planning::{schedule, Candidate, NewAp, NewOperation, RbfRules};
use mutualis::store::Store;
use mutualis::{
    AssetKind, CostInput, Error, Mutualis, NewAsset, NewItem, NewSupplier, NewTenant, NewWorkOrder,
    Period, UsageUnit, WorkOrderStatus, YEARS,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

/// AGGLO and ROANNE, a gymnasium, a van, a store with an item, a régie team
/// with a 2026 rate and a work order in progress.
fn base() -> Mutualis {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        mutualis::TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.join("ROANNE", "AGGLO").unwrap();
    m.add_asset(NewAsset::new(
        "GYM",
        "Gymnase",
        AssetKind::Building,
        "ROANNE",
        d(1975, 9, 1),
    ))
    .unwrap();
    m.add_asset(NewAsset::new(
        "VAN",
        "Fourgon",
        AssetKind::Vehicle,
        "ROANNE",
        d(2015, 1, 1),
    ))
    .unwrap();
    m.add_team("T", "ROANNE", "Régie", None).unwrap();
    m.set_labour_rate("ROANNE", 2026, None, None, dec!(38.50))
        .unwrap();
    m.add_store("S", "ROANNE", "Magasin").unwrap();
    m.add_item(NewItem::new("I", "Peinture", "l")).unwrap();
    m.create_work_order(NewWorkOrder::by_team("W", "Peinture", "GYM", "T"))
        .unwrap();
    m.set_work_order_status(
        "W",
        WorkOrderStatus::InProgress,
        chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
    )
    .unwrap();
    m
}

fn year_refused<T: std::fmt::Debug>(r: mutualis::Result<T>, field: &str, year: i64) {
    match r {
        Err(Error::YearOutOfRange {
            field: f, year: y, ..
        }) => {
            assert_eq!((f, y), (field, year));
        }
        other => panic!("expected YearOutOfRange {{ {field}, {year} }}, got {other:?}"),
    }
}

fn gym_ap(year: i32, schedule: Vec<(i32, Decimal)>) -> NewAp {
    NewAp {
        code: "AP-GYM".into(),
        tenant: "ROANNE".into(),
        title: "Rénovation".into(),
        year,
        amount: dec!(1000.00),
        schedule,
        operations: vec![],
    }
}

#[test]
fn years_outside_the_range_are_refused_everywhere() {
    let mut m = base();
    m.vote_ap(gym_ap(2025, vec![(2025, dec!(1000.00))]))
        .unwrap();
    let before = m.clone();
    // the panic seen from Python: ap_situation with 2**31 - 1
    year_refused(
        m.ap_situation("ROANNE", i32::MAX),
        "year",
        i64::from(i32::MAX),
    );
    year_refused(
        m.ap_situation("ROANNE", i32::MIN),
        "year",
        i64::from(i32::MIN),
    );
    for y in [YEARS.start() - 1, YEARS.end() + 1, 20026, 0, -1] {
        year_refused(m.close_year("ROANNE", y), "year", i64::from(y));
        year_refused(m.settlement_matrix(y), "year", i64::from(y));
        year_refused(m.budget_status("ROANNE", y), "year", i64::from(y));
        year_refused(
            m.set_labour_rate("ROANNE", y, None, None, dec!(10)),
            "year",
            i64::from(y),
        );
        year_refused(
            m.set_vehicle_rate("VAN", y, UsageUnit::Km, dec!(1)),
            "year",
            i64::from(y),
        );
        year_refused(
            m.vote_ap(NewAp {
                code: "AP-2".into(),
                ..gym_ap(y, vec![(y, dec!(1000.00))])
            }),
            "year",
            i64::from(y),
        );
        year_refused(
            m.vote_ap(NewAp {
                code: "AP-2".into(),
                ..gym_ap(2026, vec![(2026, dec!(500.00)), (y, dec!(500.00))])
            }),
            "schedule year",
            i64::from(y),
        );
        year_refused(
            m.revise_ap("AP-GYM", y, dec!(1000.00), &[(2025, dec!(1000.00))]),
            "year",
            i64::from(y),
        );
    }
    // the edges are accepted
    assert!(m.settlement_matrix(*YEARS.start()).is_ok());
    assert!(m.ap_situation("ROANNE", *YEARS.end()).is_ok());
    assert_eq!(m, before, "refused commands changed nothing");
    // a church built in 1850 is an asset like any other
    let mut church = m.clone();
    church
        .add_asset(NewAsset::new(
            "EGLISE",
            "Église Saint-Étienne",
            AssetKind::Building,
            "ROANNE",
            d(1850, 5, 1),
        ))
        .unwrap();
    // dates carry years too
    year_refused(
        m.record_cost("W", CostInput::labour(d(20026, 1, 5), dec!(2), 1)),
        "date",
        20026,
    );
    year_refused(m.pay_ap("AP-GYM", d(1899, 12, 31), dec!(1)), "date", 1899);
    year_refused(
        m.grant_custody(
            "GYM",
            "AGGLO",
            Period::new(d(2026, 1, 1), Some(d(9999, 1, 1))).unwrap(),
        ),
        "to",
        9999,
    );
    year_refused(
        m.grant_custody("GYM", "AGGLO", Period::starting(d(1850, 1, 1))),
        "from",
        1850,
    );
    let mut held = m.clone();
    held.grant_custody("GYM", "AGGLO", Period::starting(d(2026, 1, 1)))
        .unwrap();
    year_refused(held.end_custody("GYM", d(9999, 12, 31)), "last_day", 9999);
    held.end_custody("GYM", d(2026, 12, 31)).unwrap();
    year_refused(
        m.add_asset(NewAsset::new(
            "OLD",
            "Vieux",
            AssetKind::Building,
            "ROANNE",
            d(999, 10, 14),
        )),
        "commissioned",
        999,
    );
    year_refused(m.decommission("GYM", d(2201, 1, 1)), "last_day", 2201);
    let far = chrono::DateTime::from_timestamp(400_000_000_000, 0).unwrap(); // year 14645
    year_refused(
        m.set_work_order_status("W", WorkOrderStatus::Done, far),
        "at",
        14645,
    );
    year_refused(
        m.receive_stock("S", "I", d(1800, 1, 1), dec!(1), dec!(1)),
        "date",
        1800,
    );
    assert_eq!(m, before);
}

#[test]
fn schedule_refuses_extreme_years_and_overflowing_costs() {
    let candidate = |earliest_year: i32, cost: Decimal, profile: Vec<u64>| Candidate {
        code: "OP".into(),
        tenant: "ROANNE".into(),
        priority: 1,
        cost,
        earliest_year,
        profile,
        depends_on: vec![],
    };
    let caps = BTreeMap::new();
    let index = BTreeMap::new();
    let c = [candidate(2026, dec!(1000), vec![1, 1])];
    year_refused(
        schedule(&c, &caps, i32::MAX - 1, i32::MAX, &index),
        "first_year",
        i64::from(i32::MAX - 1),
    );
    year_refused(
        schedule(&c, &caps, 2026, i32::MAX, &index),
        "last_year",
        i64::from(i32::MAX),
    );
    let far = [candidate(i32::MAX, dec!(1000), vec![1])];
    year_refused(
        schedule(&far, &caps, 2026, 2030, &index),
        "earliest_year",
        i64::from(i32::MAX),
    );
    let long = [candidate(2026, dec!(1000), vec![1; 51])];
    assert!(matches!(
        schedule(&long, &caps, 2026, 2030, &index),
        Err(Error::InvalidField {
            field: "profile",
            ..
        })
    ));
    // revaluing a huge cost by a huge index overflows Decimal: typed error, no panic
    let big = [candidate(2026, Decimal::MAX, vec![1])];
    let index: BTreeMap<i32, Decimal> = [(2026, dec!(1)), (2027, Decimal::MAX)].into();
    let caps: BTreeMap<(String, i32), Decimal> = [(("ROANNE".to_owned(), 2026), dec!(0))].into();
    assert!(matches!(
        schedule(&big, &caps, 2026, 2027, &index),
        Err(Error::AmountOutOfRange(_) | Error::SubCentAmount(_) | Error::InvalidQuantity { .. })
    ));
    let zero: BTreeMap<i32, Decimal> = [(2026, dec!(0))].into();
    assert!(matches!(
        schedule(&c, &BTreeMap::new(), 2026, 2030, &zero),
        Err(Error::InvalidQuantity {
            what: "cost index",
            ..
        })
    ));
}

#[test]
fn rbf_lapse_and_operation_years_are_bounded() {
    let mut m = base();
    for lapse in [0, 101, u32::MAX] {
        let r = m.set_rbf_rules(
            "ROANNE",
            RbfRules {
                carry_over: false,
                lapse_after_years: Some(lapse),
                reference: None,
            },
        );
        assert!(
            matches!(
                r,
                Err(Error::InvalidField {
                    field: "lapse_after_years",
                    ..
                })
            ),
            "{lapse}: {r:?}"
        );
    }
    let op = NewOperation {
        code: "OP".into(),
        tenant: "ROANNE".into(),
        title: "Toiture".into(),
        work_type: "couverture".into(),
        priority: 1,
        estimated_cost: dec!(1000),
        earliest_year: i32::MAX,
        profile: vec![1],
        assets: vec![],
        depends_on: vec![],
    };
    year_refused(m.add_operation(op), "earliest_year", i64::from(i32::MAX));
}

#[test]
fn close_year_names_the_year_that_must_close_first() {
    let mut m = base();
    m.vote_ap(gym_ap(2025, vec![(2025, dec!(1000.00))]))
        .unwrap();
    m.close_year("ROANNE", 2025).unwrap();
    let err = m.close_year("ROANNE", 2030).unwrap_err();
    assert_eq!(
        err,
        Error::YearNotNext {
            ap: "AP-GYM".into(),
            year: 2030,
            next: 2026
        }
    );
    assert!(
        err.to_string().contains("2026 must be closed first"),
        "{err}"
    );
    m.close_year("ROANNE", 2026).unwrap();
}

#[test]
fn only_vehicles_and_equipment_are_lent() {
    let mut m = base();
    let loan = |vehicle: &str| NewLoan {
        code: "PRET".into(),
        vehicle: vehicle.into(),
        borrower: "AGGLO".into(),
        period: Period::starting(d(2026, 1, 1)),
        unit: UsageUnit::Day,
    };
    let before = m.clone();
    match m.lend_vehicle(loan("GYM")) {
        Err(Error::InvalidField {
            field: "vehicle",
            reason,
        }) => {
            assert!(reason.contains("building"), "{reason}")
        }
        other => panic!("a building was lent: {other:?}"),
    }
    assert_eq!(m, before);
    m.lend_vehicle(loan("VAN")).unwrap();
}

#[test]
fn material_is_not_issued_before_its_first_receipt() {
    let mut m = base();
    m.receive_stock("S", "I", d(2026, 3, 1), dec!(10), dec!(4.5))
        .unwrap();
    assert_eq!(
        m.stock_level("S", "I").unwrap().first_receipt,
        Some(d(2026, 3, 1))
    );
    let before = m.clone();
    match m.record_cost("W", CostInput::material(d(2026, 2, 27), "S", "I", dec!(1))) {
        Err(Error::InvalidField {
            field: "date",
            reason,
        }) => {
            assert!(reason.contains("2026-03-01"), "{reason}")
        }
        other => panic!("issued before the receipt: {other:?}"),
    }
    assert_eq!(m, before);
    m.record_cost("W", CostInput::material(d(2026, 3, 1), "S", "I", dec!(1)))
        .unwrap();
    // an earlier receipt moves the first receipt back; the date survives JSON
    m.receive_stock("S", "I", d(2026, 1, 10), dec!(1), dec!(4.5))
        .unwrap();
    let back = Mutualis::from_json(&m.to_json()).unwrap();
    assert_eq!(
        back.stock_level("S", "I").unwrap().first_receipt,
        Some(d(2026, 1, 10))
    );
}

#[test]
fn vat_rates_are_checked_at_the_line_date() {
    use mutualis::money::{vat_rates_on, VatRate};
    let mut m = base();
    m.add_supplier(NewSupplier::new("A", "Artifices", "73282932000074"))
        .unwrap();
    let line = |date, rate| CostInput::external(date, Some("A"), "Facture", dec!(100), rate);
    // the transition of 2014-01-01 (DOMAIN §3)
    assert_eq!(
        vat_rates_on(d(2013, 6, 1)),
        [
            VatRate::Standard196,
            VatRate::Intermediate7,
            VatRate::Reduced,
            VatRate::SuperReduced
        ]
    );
    assert_eq!(
        vat_rates_on(d(2014, 1, 1)),
        [
            VatRate::Standard,
            VatRate::Intermediate,
            VatRate::Reduced,
            VatRate::SuperReduced
        ]
    );
    assert_eq!(
        vat_rates_on(d(2011, 12, 31)),
        [
            VatRate::Standard196,
            VatRate::Reduced,
            VatRate::SuperReduced
        ]
    );
    assert!(vat_rates_on(d(1982, 6, 30)).is_empty());
    let before = m.clone();
    assert_eq!(
        m.record_cost("W", line(d(2012, 6, 1), VatRate::Standard)),
        Err(Error::VatRateNotInForce {
            rate: dec!(20),
            date: d(2012, 6, 1),
            in_force: "19.6, 7, 5.5, 2.1".into()
        })
    );
    let err = m
        .record_cost("W", line(d(2014, 1, 1), VatRate::Standard196))
        .unwrap_err();
    assert!(
        err.to_string().contains("rates then: 20, 10, 5.5, 2.1"),
        "{err}"
    );
    assert!(matches!(
        m.record_cost("W", line(d(2013, 12, 31), VatRate::Intermediate)),
        Err(Error::VatRateNotInForce { .. })
    ));
    assert_eq!(m, before);
    // 19.6 % on 2013-06-01 is valid; the VAT is computed at that rate
    let id = m
        .record_cost("W", line(d(2013, 6, 1), VatRate::Standard196))
        .unwrap();
    let l = m.cost_lines().get(id).unwrap();
    assert_eq!(
        (l.vat, l.ttc, l.vat_rate),
        (dec!(19.60), dec!(119.60), Some(VatRate::Standard196))
    );
    m.record_cost("W", line(d(2013, 6, 1), VatRate::Intermediate7))
        .unwrap();
    m.record_cost("W", line(d(2026, 6, 1), VatRate::Standard))
        .unwrap();
    // a journal recorded before the dated table (a 2012 line at 20 %) still replays
    let journal = m
        .journal_json()
        .replace("\"date\":\"2026-06-01\"", "\"date\":\"2012-06-01\"");
    assert!(journal.contains("2012-06-01"));
    let old = Mutualis::from_journal_json(&journal).unwrap();
    assert_eq!(old.cost_lines().len(), m.cost_lines().len());
    // former rates survive the dataset and the store
    let back = Mutualis::from_json(&m.to_json()).unwrap();
    assert_eq!(back, m);
    let mut s = Store::open_in_memory("t").unwrap();
    s.adopt(m.clone()).unwrap();
    s.snapshot().unwrap();
    assert_eq!(s.registry().cost_lines().len(), m.cost_lines().len());
}

#[test]
fn two_suppliers_cannot_share_a_siret() {
    let mut m = base();
    m.add_supplier(NewSupplier::new("A", "Artifices", "73282932000074"))
        .unwrap();
    let before = m.clone();
    assert_eq!(
        m.add_supplier(NewSupplier::new("B", "Autre", "732 829 320 00074")),
        Err(Error::DuplicateSiret {
            siret: "732 829 320 00074".into(),
            supplier: "A".into()
        })
    );
    assert_eq!(m, before);
    m.add_supplier(NewSupplier::new("B", "Autre", "35600000000056"))
        .unwrap();
    // data saved before the rule still reopens (datasets and journals)…
    let old = m.to_json().replace("35600000000056", "73282932000074");
    let mut reopened = Mutualis::from_json(&old).unwrap();
    assert_eq!(reopened.suppliers().len(), 2);
    // …while a new supplier with either SIRET is still refused
    assert!(matches!(
        reopened.add_supplier(NewSupplier::new("C", "Encore", "73282932000074")),
        Err(Error::DuplicateSiret { .. })
    ));
    let replayed = Mutualis::replay(reopened.journal()).unwrap();
    assert_eq!(replayed.suppliers().len(), 2);
}

#[test]
fn history_of_an_unknown_kind_is_an_error() {
    let m = base();
    assert!(matches!(
        m.history("castle", "GYM"),
        Err(Error::UnknownKind {
            what: "history",
            ..
        })
    ));
    assert!(!m.history("asset", "GYM").unwrap().is_empty());
    assert!(m.history("asset", "NOPE").unwrap().is_empty());
    // every kind the journal refers to is accepted
    for kind in mutualis::journal::HISTORY_KINDS {
        assert!(m.history(kind, "X").is_ok(), "{kind}");
    }
}

#[test]
fn csv_line_numbers_and_strictness() {
    let mut m = base();
    // CR-only line endings (old spreadsheet exports): line 3 is the bad row
    let cr = "code;name;kind;owner;commissioned\rA1;Salle;room;ROANNE;2000-01-01\rA2;x;castle;ROANNE;2000-01-01\r";
    let report = m.import_assets_csv(cr, false).unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].0, 3);
    // a row with more fields than the header is a bad row, with its line
    let mut m = base();
    let extra = "code;name;kind;owner;commissioned\nB1;Salle;room;ROANNE;2000-01-01;surplus\nB2;Salle;room;ROANNE;2000-01-01\n";
    let report = m.import_assets_csv(extra, false).unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.errors[0].0, 2);
    assert!(
        report.errors[0].1.to_string().contains("6 fields"),
        "{}",
        report.errors[0].1
    );
    assert!(m.asset_id("B1").is_err());
    // a duplicated header column refuses the file
    let before = m.clone();
    let dup = "code;name;kind;owner;commissioned;name\nC1;Salle;room;ROANNE;2000-01-01;Autre\n";
    match m.import_assets_csv(dup, false) {
        Err(Error::InvalidField {
            field: "csv header",
            reason,
        }) => {
            assert!(reason.contains("\"name\" appears twice"), "{reason}")
        }
        other => panic!("duplicate header accepted: {other:?}"),
    }
    // an unbalanced quote refuses the file and names the line where it opens
    let quote = "code;name;kind;owner;commissioned\nD1;Salle;room;ROANNE;2000-01-01\nD2;\"Salle;room;ROANNE;2000-01-01\nD3;Salle;room;ROANNE;2000-01-01\n";
    match m.import_assets_csv(quote, false) {
        Err(Error::InvalidField {
            field: "csv",
            reason,
        }) => {
            assert!(reason.starts_with("line 3:"), "{reason}")
        }
        other => panic!("unbalanced quote accepted: {other:?}"),
    }
    assert_eq!(m, before);
    // quoted fields with doubled quotes and newlines are still fine
    let ok = "code;name;kind;owner;commissioned\nE1;\"Salle \"\"bleue\"\"\n(aile)\";room;ROANNE;2000-01-01\nE2;x;castle;ROANNE;2000-01-01\n";
    let report = m.import_assets_csv(ok, false).unwrap();
    assert_eq!((report.imported, report.errors[0].0), (1, 4));
}

#[test]
fn a_store_path_must_be_a_real_file() {
    for path in ["", ":memory:"] {
        assert!(matches!(
            Store::open(path, "t"),
            Err(Error::InvalidField { field: "path", .. })
        ));
    }
    let dir = std::env::temp_dir().join(format!("mutualis-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in [("empty.db", &b""[..]), ("one.db", &b"x"[..])] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        match Store::open(&path, "t") {
            Err(Error::CorruptStore { message }) => {
                assert!(message.contains("not a Mutualis store"))
            }
            Err(other) => panic!("{name}: {other:?}"),
            Ok(_) => panic!("{name}: a {}-byte file was taken for a store", bytes.len()),
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name} was not modified"
        );
    }
    // a new path still creates a store
    let fresh = dir.join("fresh.db");
    let _ = std::fs::remove_file(&fresh);
    assert!(Store::open(&fresh, "t").is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_fields_in_dataset_sections_are_refused() {
    let mut m = base();
    m.add_supplier(NewSupplier::new("A", "Artifices", "73282932000074"))
        .unwrap();
    let json = m.to_json();
    assert!(Mutualis::from_json(&json).is_ok());
    for (section, key) in [
        ("assets", "\"code\":\"GYM\""),
        ("suppliers", "\"code\":\"A\""),
        ("items", "\"code\":\"I\""),
    ] {
        let compact: serde_json::Value = serde_json::from_str(&json).unwrap();
        let text = serde_json::to_string(&compact).unwrap();
        assert!(text.contains(key), "{section}: {key} not in the dataset");
        let tampered = text.replacen(key, &format!("{key},\"colour\":\"red\""), 1);
        match Mutualis::from_json(&tampered) {
            Err(Error::InvalidJson { message, .. }) => {
                assert!(message.contains("colour"), "{section}: {message}")
            }
            other => panic!("{section}: unknown field accepted: {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn unknown_fields_in_agreements_are_refused() {
    let json = r#"{"format":"mutualis","version":1,"agreements":[{"code":"C","colour":"red"}]}"#;
    match Mutualis::from_json(json) {
        Err(Error::InvalidJson { message, .. }) => assert!(message.contains("colour"), "{message}"),
        Err(Error::UnsupportedFormat { .. }) => {
            panic!("fix the test header: the dataset format name changed")
        }
        other => panic!("unknown field accepted: {:?}", other.map(|_| ())),
    }
}

/// A command of the public API with extreme arguments.
#[derive(Debug, Clone)]
enum Call {
    Situation(i32),
    CloseYear(i32),
    Matrix(i32),
    Budget(i32),
    LabourRate(i32, i64),
    VoteAp(i32, i32, i64),
    Revise(i32, i64),
    Pay(i32, i64),
    Schedule(i32, i32, i32, u8),
    Lapse(u32),
    Labour(i32, i64, u32),
    Receive(i32, i64, i64),
    Material(i32, i64),
    Supplier(u8),
    History(u8),
    Transfer(i32, u8),
}

fn extreme_i32() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(i32::MIN),
        Just(i32::MAX),
        Just(i32::MAX - 1),
        Just(0),
        Just(-1),
        Just(1899),
        Just(1900),
        Just(2200),
        Just(2201),
        2020..2030i32,
        any::<i32>(),
    ]
}

fn extreme_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        Just(-1),
        1..1_000_000i64,
        any::<i64>()
    ]
}

fn calls() -> impl Strategy<Value = Vec<Call>> {
    let call = prop_oneof![
        extreme_i32().prop_map(Call::Situation),
        extreme_i32().prop_map(Call::CloseYear),
        extreme_i32().prop_map(Call::Matrix),
        extreme_i32().prop_map(Call::Budget),
        (extreme_i32(), extreme_i64()).prop_map(|(y, r)| Call::LabourRate(y, r)),
        (extreme_i32(), extreme_i32(), extreme_i64()).prop_map(|(y, s, a)| Call::VoteAp(y, s, a)),
        (extreme_i32(), extreme_i64()).prop_map(|(y, a)| Call::Revise(y, a)),
        (extreme_i32(), extreme_i64()).prop_map(|(y, a)| Call::Pay(y, a)),
        (extreme_i32(), extreme_i32(), extreme_i32(), any::<u8>())
            .prop_map(|(a, b, c, n)| Call::Schedule(a, b, c, n)),
        any::<u32>().prop_map(Call::Lapse),
        (extreme_i32(), extreme_i64(), any::<u32>()).prop_map(|(y, h, n)| Call::Labour(y, h, n)),
        (extreme_i32(), extreme_i64(), extreme_i64()).prop_map(|(y, q, p)| Call::Receive(y, q, p)),
        (extreme_i32(), extreme_i64()).prop_map(|(y, q)| Call::Material(y, q)),
        any::<u8>().prop_map(Call::Supplier),
        any::<u8>().prop_map(Call::History),
        (extreme_i32(), any::<u8>()).prop_map(|(y, n)| Call::Transfer(y, n)),
    ];
    prop::collection::vec(call, 1..30)
}

/// A date in `year` when chrono can represent it (else the 1st of January 2026:
/// a caller of the Rust API cannot build such a date at all).
fn day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 6, 15).unwrap_or(d(2026, 1, 1))
}

fn cents(x: i64) -> Decimal {
    Decimal::new(x, 2)
}

fn run(m: &mut Mutualis, call: &Call) -> Result<(), Error> {
    match call.clone() {
        Call::Situation(y) => m.ap_situation("ROANNE", y).map(drop),
        Call::CloseYear(y) => m.close_year("ROANNE", y),
        Call::Matrix(y) => m.settlement_matrix(y).map(drop),
        Call::Budget(y) => m.budget_status("ROANNE", y).map(drop),
        Call::LabourRate(y, r) => m.set_labour_rate("ROANNE", y, Some("T"), None, cents(r)),
        Call::VoteAp(y, s, a) => m.vote_ap(NewAp {
            code: format!("AP-{y}-{s}"),
            amount: cents(a),
            ..gym_ap(y, vec![(s, cents(a))])
        }),
        Call::Revise(y, a) => m.revise_ap("AP-GYM", y, cents(a), &[(y, cents(a))]),
        Call::Pay(y, a) => m.pay_ap("AP-GYM", day(y), cents(a)),
        Call::Schedule(first, last, earliest, n) => {
            let c = Candidate {
                code: "OP".into(),
                tenant: "ROANNE".into(),
                priority: 1,
                cost: dec!(1000),
                earliest_year: earliest,
                profile: vec![1; usize::from(n % 60)],
                depends_on: vec![],
            };
            schedule(&[c], &BTreeMap::new(), first, last, &BTreeMap::new()).map(drop)
        }
        Call::Lapse(n) => m.set_rbf_rules(
            "ROANNE",
            RbfRules {
                carry_over: n % 2 == 0,
                lapse_after_years: Some(n),
                reference: None,
            },
        ),
        Call::Labour(y, h, n) => m
            .record_cost("W", CostInput::labour(day(y), cents(h), n))
            .map(drop),
        Call::Receive(y, q, p) => m
            .receive_stock("S", "I", day(y), cents(q), cents(p))
            .map(drop),
        Call::Material(y, q) => m
            .record_cost("W", CostInput::material(day(y), "S", "I", cents(q)))
            .map(drop),
        Call::Supplier(n) => {
            let siret = if n % 2 == 0 {
                "73282932000074"
            } else {
                "35600000000056"
            };
            m.add_supplier(NewSupplier::new(&format!("S{n}"), "Fournisseur", siret))
                .map(drop)
        }
        Call::History(n) => {
            let kind = ["asset", "castle", "work_order", "", "ap"][usize::from(n % 5)];
            m.history(kind, "GYM").map(drop)
        }
        Call::Transfer(y, n) => {
            let owner = ["AGGLO", "ROANNE", "NOPE"][usize::from(n % 3)];
            m.transfer_ownership("GYM", owner, day(y)).map(drop)
        }
    }
}

proptest! {
    // 256 cases in CI; PROPTEST_CASES runs more (benches/fuzz/run.sh: 20 000)
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]
    /// Random sequences of commands and queries with extreme arguments: no
    /// panic, a refused command changes nothing, and the registry's export
    /// always reloads.
    #[test]
    fn extreme_calls_never_panic_and_refusals_change_nothing(seq in calls()) {
        let mut m = base();
        m.vote_ap(gym_ap(2025, vec![(2025, dec!(400.00)), (2026, dec!(600.00))])).unwrap();
        for call in &seq {
            let before = m.clone();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&mut m, call)));
            match outcome {
                Err(_) => return Err(TestCaseError::fail(format!("panic on {call:?}"))),
                Ok(Err(_)) => prop_assert!(m == before, "refused {call:?} changed the registry"),
                Ok(Ok(())) => {}
            }
        }
        let back = Mutualis::from_json(&m.to_json());
        prop_assert!(back.is_ok(), "export does not reload: {:?}", back.err());
    }
}

/// A store file with a few committed commands (no snapshot unless asked).
fn stored(name: &str, snapshot: bool) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mutualis-chain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.db");
    let mut s = Store::open(&path, "t").unwrap();
    s.execute(|m| {
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .map(drop)
    })
    .unwrap();
    s.execute(|m| m.add_service("ROANNE", "SPORTS", "Sports").map(drop))
        .unwrap();
    if snapshot {
        s.snapshot().unwrap();
    }
    s.execute(|m| m.add_service("ROANNE", "VOIRIE", "Voirie").map(drop))
        .unwrap();
    assert_eq!(s.verify().unwrap(), 3);
    path
}

fn sql(path: &std::path::Path, statement: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(statement).unwrap();
}

fn flip_payload_byte(path: &std::path::Path, seq: i64) {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut payload: Vec<u8> = c
        .query_row("SELECT payload FROM events WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .unwrap();
    let last = payload.len() - 1;
    payload[last] ^= 0x01;
    c.execute(
        "UPDATE events SET payload = ?2 WHERE seq = ?1",
        rusqlite::params![seq, payload],
    )
    .unwrap();
}

#[test]
fn an_altered_event_is_refused_with_its_sequence_number() {
    let path = stored("payload", false);
    flip_payload_byte(&path, 2);
    match Store::open(&path, "t") {
        Err(Error::TamperedJournal { seq }) => assert_eq!(seq, 2),
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("a store with an altered event opened"),
    }
    // a renamed actor (the names table) and a deleted event are caught too
    let path = stored("names", false);
    sql(&path, "UPDATE names SET name = 'mallory' WHERE name = 't'");
    assert!(matches!(
        Store::open(&path, "t"),
        Err(Error::TamperedJournal { seq: 1 })
    ));
    let path = stored("deleted", false);
    sql(&path, "DELETE FROM events WHERE seq = 2");
    assert!(matches!(
        Store::open(&path, "t"),
        Err(Error::TamperedJournal { seq: 2 })
    ));
}

#[test]
fn verify_checks_the_events_a_snapshot_covers() {
    let path = stored("snapshot", true);
    flip_payload_byte(&path, 1);
    // opening replays only the tail after the snapshot, whose chain holds…
    let s = Store::open(&path, "t").unwrap();
    assert_eq!(s.registry().tenants().len(), 1);
    // …and the full verification names the altered event
    assert_eq!(s.verify(), Err(Error::TamperedJournal { seq: 1 }));
    // an event of the tail is checked on opening
    let path = stored("tail", true);
    flip_payload_byte(&path, 3);
    assert!(matches!(
        Store::open(&path, "t"),
        Err(Error::TamperedJournal { seq: 3 })
    ));
}

#[test]
fn a_version_2_store_gains_its_chain_on_opening() {
    let path = stored("v2", false);
    sql(
        &path,
        "ALTER TABLE events DROP COLUMN hash; UPDATE meta SET value = '2' WHERE key = 'schema_version'",
    );
    let mut s = Store::open(&path, "t").unwrap();
    assert_eq!(s.verify().unwrap(), 3);
    s.execute(|m| m.add_service("ROANNE", "EV", "Espaces verts").map(drop))
        .unwrap();
    drop(s);
    let s = Store::open(&path, "t").unwrap();
    assert_eq!((s.verify().unwrap(), s.registry().services().len()), (4, 3));
}

#[test]
fn provider_codes_flatten_every_nature_for_the_bindings() {
    let mut m = base();
    m.add_supplier(NewSupplier::new("A", "Artifices", "73282932000074"))
        .unwrap();
    m.receive_stock("S", "I", d(2026, 1, 2), dec!(5), dec!(2))
        .unwrap();
    m.set_vehicle_rate("VAN", 2026, UsageUnit::Km, dec!(0.5))
        .unwrap();
    let day = d(2026, 3, 2);
    let ids = [
        m.record_cost("W", CostInput::labour(day, dec!(1), 1))
            .unwrap(),
        m.record_cost("W", CostInput::material(day, "S", "I", dec!(1)))
            .unwrap(),
        m.record_cost("W", CostInput::vehicle(day, "VAN", UsageUnit::Km, dec!(10)))
            .unwrap(),
        m.record_cost(
            "W",
            CostInput::external(
                day,
                Some("A"),
                "Facture",
                dec!(10),
                mutualis::money::VatRate::Standard,
            ),
        )
        .unwrap(),
    ];
    let codes: Vec<_> = ids
        .iter()
        .map(|id| {
            let l = m.cost_lines().get(*id).unwrap();
            let c = m.provider_codes(&l.provider);
            (c.code(), c.tenant, c.item, c.unit)
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("T", Some("ROANNE"), None, None),
            ("S", Some("ROANNE"), Some("I"), None),
            ("VAN", Some("ROANNE"), None, Some(UsageUnit::Km)),
            ("A", None, None, None),
        ]
    );
    // an id of another, bigger registry has no code here
    let mut other = base();
    other.add_team("T2", "ROANNE", "Régie 2", None).unwrap();
    let foreign = other.team_id("T2").unwrap();
    assert_eq!(m.team_code(foreign), mutualis::UNKNOWN_CODE);
}

#[test]
fn stock_leaves_a_store_outside_work_orders_valued_at_cmup() {
    use mutualis::{IssueReason, NewStockIssue, ServiceRef};
    let mut m = base();
    m.add_service("ROANNE", "SPORTS", "Sports").unwrap();
    m.receive_stock("S", "I", d(2026, 1, 5), dec!(10), dec!(14.00))
        .unwrap();
    m.receive_stock("S", "I", d(2026, 2, 2), dec!(30), dec!(14.316))
        .unwrap();
    let day = d(2026, 3, 1);
    let to_agent = NewStockIssue {
        agent: Some("J. Martin".into()),
        ..NewStockIssue::new("S", "I", day, dec!(3), IssueReason::Agent)
    };
    // 3 × 14.2370 = 42.711 → 42.71
    let issue = m.issue_stock(to_agent).unwrap();
    assert_eq!((issue.cmup, issue.value), (dec!(14.2370), dec!(42.71)));
    let to_service = NewStockIssue {
        service: Some(ServiceRef {
            tenant: "ROANNE".into(),
            service: "SPORTS".into(),
        }),
        ..NewStockIssue::new("S", "I", day, dec!(2), IssueReason::Service)
    };
    m.issue_stock(to_service).unwrap();
    let inventory = NewStockIssue {
        note: Some("inventaire 2026-03".into()),
        ..NewStockIssue::new("S", "I", day, dec!(1.5), IssueReason::Inventory)
    };
    m.issue_stock(inventory).unwrap();
    assert_eq!(m.stock_level("S", "I").unwrap().quantity, dec!(33.5));
    assert_eq!(m.stock_issues().len(), 3);
    // refusals change nothing
    let before = m.clone();
    let refusals = [
        NewStockIssue::new("S", "I", day, dec!(1), IssueReason::Agent),
        NewStockIssue::new("S", "I", day, dec!(1), IssueReason::Service),
        NewStockIssue {
            agent: Some("X".into()),
            ..NewStockIssue::new("S", "I", day, dec!(1), IssueReason::Loss)
        },
        NewStockIssue::new("S", "I", day, dec!(100), IssueReason::Loss),
        NewStockIssue::new("S", "I", d(2025, 12, 31), dec!(1), IssueReason::Loss),
        NewStockIssue::new("S", "I", day, dec!(0), IssueReason::Loss),
        NewStockIssue::new("S", "NOPE", day, dec!(1), IssueReason::Loss),
        NewStockIssue {
            service: Some(ServiceRef {
                tenant: "ROANNE".into(),
                service: "NOPE".into(),
            }),
            ..NewStockIssue::new("S", "I", day, dec!(1), IssueReason::Service)
        },
    ];
    for r in refusals {
        assert!(m.issue_stock(r.clone()).is_err(), "{r:?} accepted");
        assert_eq!(m, before);
    }
    assert!(matches!(
        m.issue_stock(NewStockIssue::new(
            "S",
            "I",
            day,
            dec!(100),
            IssueReason::Loss
        )),
        Err(Error::InsufficientStock { .. })
    ));
    // the history survives JSON, the journal and the store
    let back = Mutualis::from_json(&m.to_json()).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), m.to_json());
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    let mut s = Store::open_in_memory("t").unwrap();
    s.adopt(m.clone()).unwrap();
    s.snapshot().unwrap();
    assert_eq!(s.registry().stock_issues(), m.stock_issues());
    assert_eq!(
        m.history("item", "I")
            .unwrap()
            .iter()
            .filter(|e| matches!(
                e.event,
                mutualis::Event::Stock(mutualis::StockEvent::StockIssued { .. })
            ))
            .count(),
        3
    );
    assert_eq!(
        "inventory".parse::<IssueReason>(),
        Ok(IssueReason::Inventory)
    );
}

#[test]
fn fctva_is_estimated_from_dated_rates_and_eligibility() {
    use mutualis::fctva::{fctva_rate, maintenance_eligible};
    use mutualis::money::VatRate;
    assert_eq!(fctva_rate(2014).unwrap(), dec!(15.761));
    assert_eq!(fctva_rate(2013).unwrap(), dec!(15.482));
    assert_eq!(fctva_rate(2015).unwrap(), dec!(16.404));
    assert!(matches!(
        fctva_rate(2002),
        Err(Error::InvalidField { field: "year", .. })
    ));
    year_refused(fctva_rate(20026), "year", 20026);
    assert!(maintenance_eligible(AssetKind::RoadSection, d(2016, 1, 1)));
    assert!(!maintenance_eligible(AssetKind::Network, d(2019, 12, 31)));
    assert!(maintenance_eligible(AssetKind::Network, d(2020, 1, 1)));
    assert!(!maintenance_eligible(AssetKind::Vehicle, d(2026, 1, 1)));

    let mut m = base();
    m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
        .unwrap();
    m.add_supplier(NewSupplier::new("A", "Artifices", "73282932000074"))
        .unwrap();
    m.create_work_order(NewWorkOrder::by_supplier("W-VAN", "Pneus", "VAN", "A"))
        .unwrap();
    m.set_work_order_status(
        "W-VAN",
        WorkOrderStatus::InProgress,
        chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
    )
    .unwrap();
    let ext = |date, ht| CostInput::external(date, Some("A"), "Facture", ht, VatRate::Standard);
    // the gymnasium, held by AGGLO: 1 000 HT → 1 200 TTC for AGGLO, eligible
    m.record_cost("W", ext(d(2026, 3, 1), dec!(1000))).unwrap();
    // the van of ROANNE: 100 HT → 120 TTC, not eligible
    m.record_cost("W-VAN", ext(d(2026, 3, 2), dec!(100)))
        .unwrap();
    // régie labour carries no VAT
    m.record_cost("W", CostInput::labour(d(2026, 3, 3), dec!(4), 1))
        .unwrap();
    // another year does not count
    m.record_cost("W", ext(d(2025, 12, 31), dec!(500))).unwrap();
    assert_eq!(
        m.fctva_estimate("AGGLO", 2025).unwrap().maintenance_base,
        dec!(600.00)
    );
    let agglo = m.fctva_estimate("AGGLO", 2026).unwrap();
    assert_eq!(
        (
            agglo.rate,
            agglo.maintenance_base,
            agglo.not_eligible,
            agglo.maintenance
        ),
        (dec!(16.404), dec!(1200.00), dec!(0.00), dec!(196.85))
    );
    let roanne = m.fctva_estimate("ROANNE", 2026).unwrap();
    assert_eq!(
        (roanne.maintenance_base, roanne.not_eligible, roanne.total),
        (dec!(0.00), dec!(120.00), dec!(0.00))
    );
    // investment: the AP payments of the year
    m.vote_ap(gym_ap(2026, vec![(2026, dec!(1000.00))]))
        .unwrap();
    m.pay_ap("AP-GYM", d(2026, 5, 1), dec!(600.00)).unwrap();
    let roanne = m.fctva_estimate("ROANNE", 2026).unwrap();
    // 600 × 16.404 % = 98.424 → 98.42
    assert_eq!(
        (roanne.investment_base, roanne.investment, roanne.total),
        (dec!(600.00), dec!(98.42), dec!(98.42))
    );
    assert!(matches!(
        m.fctva_estimate("NOPE", 2026),
        Err(Error::UnknownTenant(_))
    ));
}
