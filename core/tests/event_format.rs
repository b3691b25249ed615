//! The stored form of every kind of journal event is pinned.
//!
//! `tests/data/roannais-journal.json` (the integration tests' fixture) holds
//! the 32 kinds the Roannais scenario records; this test adds the others,
//! recorded on top of that scenario (`data/journal-more-kinds.json`) and in a
//! journal that starts with a dataset import (`data/journal-dataset.json`).
//! Each must replay, serialise back byte for byte, and encode to the same
//! MessagePack (`data/journal-msgpack.hex`, the bytes the store keeps and
//! hashes), so neither a renamed builder field nor a reshaped event type can
//! silently break stored journals. Regenerate the files only with a deliberate
//! format change: `MUTUALIS_BLESS=1 cargo test -p mutualis --all-features --test event_format`.

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
use mutualis::fleet::{
    Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine, NewInspection,
    NewMaintenancePlan, NewVehicle, VehicleCategory, VehicleStatus,
};
use mutualis::furniture::{Condition, FurnitureStatus, NewFurniture, Reform};
use mutualis::leases::{
    ChargeCategory, LeaseKind, NewCharges, NewLease, NewParty, PartyKind, Quarter, RentPeriodicity,
    RentTerm,
};
use mutualis::stock::IssueReason;
use mutualis::workwear::{
    NewAgent, NewAllotment, NewWorkwearIssue, NewWorkwearItem, NewWorkwearReturn, ReturnReason,
};
use mutualis::{
    AssetKind, Clock, JournalEntry, KeyBasis, Mutualis, NewAsset, NewPooledService, NewRequest,
    NewStockIssue, NewTenant, Period, RequestOrigin,
};
use rust_decimal_macros::dec;

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn scenario() -> Vec<JournalEntry> {
    let path = format!(
        "{}/../tests/data/roannais-journal.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The scenario, then one command of each kind it does not record.
fn more_kinds() -> Mutualis {
    let mut m = Mutualis::replay(&scenario()).unwrap();
    m.set_actor("agent.pin");
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(),
    ));
    let asset =
        |code: &str| NewAsset::new(code, code, AssetKind::Building, "ROANNE", d(2000, 1, 1));
    m.add_asset(asset("PIN-A")).unwrap();
    m.add_asset(asset("PIN-B")).unwrap();
    m.set_parent("PIN-B", Some("PIN-A")).unwrap();
    m.grant_custody("PIN-A", "AGGLO", Period::starting(d(2020, 1, 1)))
        .unwrap();
    m.end_custody("PIN-A", d(2025, 12, 31)).unwrap();
    m.set_sharing_key(
        "PIN-B",
        KeyBasis::Agreed,
        Period::starting(d(2021, 1, 1)),
        &[("ROANNE", 2), ("MABLY", 1)],
    )
    .unwrap();
    m.end_sharing_key("PIN-B", d(2024, 12, 31)).unwrap();
    let mut issue = NewStockIssue::new(
        "MAG-ROANNE",
        "LED-E27",
        d(2026, 3, 1),
        dec!(5),
        IssueReason::Agent,
    );
    issue.agent = Some("J. Martin".into());
    issue.note = Some("lampes du hall".into());
    m.issue_stock(issue).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 8, 20, 9, 30, 0).unwrap();
    m.receive_request(NewRequest::new(
        "DI-PIN-1",
        RequestOrigin::Agent,
        "eclairage",
        "Lampadaire éteint",
        "AGGLO",
        at,
    ))
    .unwrap();
    m.route_request(
        "DI-PIN-1",
        "ROANNE",
        Some("SPORTS"),
        at + chrono::Duration::hours(1),
    )
    .unwrap();
    m.add_pooled_service(NewPooledService {
        code: "SC-PIN".into(),
        provider: "MABLY".into(),
        services: vec!["TECH".into()],
        period: Period::starting(d(2026, 1, 1)),
        key: [("MABLY".to_owned(), 1), ("VILLEREST".to_owned(), 3)]
            .into_iter()
            .collect(),
        legal_basis: Some("CGCT L5211-4-2".into()),
    })
    .unwrap();
    m.record_advance("SC-PIN", 2026, "VILLEREST", dec!(1500.00))
        .unwrap();
    m.commit_budget(
        "AGGLO",
        2026,
        "011-SPORTS",
        "ENG-PIN",
        dec!(1000.00),
        Some("BT-2026-0412"),
    )
    .unwrap();
    m.assign_budget_line("BT-2026-0412", "ROANNE", "011-BAT")
        .unwrap();
    m.link_work_order("OP-GYM-ENERGIE", "BT-2026-0412").unwrap();
    m.transfer_ownership("PIN-A", "AGGLO", d(2026, 1, 1))
        .unwrap();
    m.add_role("ELU", "Élu (lecture)", &["budgets:read", "work:read"])
        .unwrap();
    m.add_principal(NewPrincipal {
        code: "elu.mably".into(),
        name: "Élu de Mably".into(),
        kind: PrincipalKind::Elected,
        tenant: Some("MABLY".into()),
        supplier: None,
    })
    .unwrap();
    m.grant(
        "elu.mably",
        "ELU",
        &ScopeRef::Tenant {
            tenant: "MABLY".into(),
        },
        Period::new(d(2026, 1, 1), Some(d(2026, 12, 31))).unwrap(),
    )
    .unwrap();
    // the fleet (issue 13)
    m.add_asset(NewAsset::new(
        "PIN-VL",
        "Kangoo",
        AssetKind::Vehicle,
        "ROANNE",
        d(2022, 3, 15),
    ))
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("PIN-VL", VehicleCategory::Van, Energy::Diesel)
            .registered("GA-123-BC", d(2022, 3, 15))
            .with_vin("VF1FW0ZBC12345678"),
    )
    .unwrap();
    m.record_meter_reading("PIN-VL", Meter::Km, d(2026, 1, 10), 42_000)
        .unwrap();
    m.replace_meter("PIN-VL", Meter::Km, d(2026, 2, 1), 10)
        .unwrap();
    m.record_fuel(
        "PIN-VL",
        NewFuelLine {
            date: d(2026, 2, 3),
            quantity: dec!(45.20),
            unit: FuelUnit::Litres,
            ht: dec!(68.43),
            vat: mutualis::VatRate::Standard,
        },
    )
    .unwrap();
    m.record_inspection(
        "PIN-VL",
        NewInspection {
            kind: InspectionKind::ControleTechnique,
            date: d(2026, 2, 10),
            result: InspectionResult::CounterVisit,
            counter_visit_by: Some(d(2026, 4, 10)),
        },
    )
    .unwrap();
    m.add_maintenance_plan(NewMaintenancePlan {
        code: "PM-PIN".into(),
        vehicle: "PIN-VL".into(),
        label: "Vidange".into(),
        every_km: Some(15_000),
        every_hours: None,
        every_months: Some(12),
        last_date: d(2026, 1, 10),
        last_km: Some(42_000),
        last_hours: None,
    })
    .unwrap();
    m.record_maintenance("PM-PIN", d(2026, 2, 5), Some(10), None)
        .unwrap_err(); // lower than the plan's last km: refused
    m.set_vehicle_status("PIN-VL", VehicleStatus::Immobilised, d(2026, 3, 1))
        .unwrap();
    m.record_maintenance("PM-PIN", d(2026, 3, 2), Some(42_500), None)
        .unwrap();
    // the leases (issue 14)
    m.add_party(
        NewParty::new("PIN-ASSO", "Club de l'épingle", PartyKind::Association)
            .identified_by("W423001234"),
    )
    .unwrap();
    let q = |s: &str| s.parse::<Quarter>().unwrap();
    m.set_index_value("ILC", q("2024-Q3"), dec!(131.67))
        .unwrap();
    m.set_index_value("ILC", q("2025-Q3"), dec!(137.21))
        .unwrap();
    let mut lease = NewLease::new(
        "PIN-BAIL",
        "PIN-B",
        "ROANNE",
        "PIN-ASSO",
        LeaseKind::Commercial,
        d(2025, 1, 1),
        dec!(823.05),
    )
    .paying(dec!(823.05), RentPeriodicity::Monthly, RentTerm::Advance)
    .indexed("ILC", q("2024-Q3"))
    .with_surface(dec!(85.50))
    .with_rental_value(dec!(12000.00))
    .ending(d(2033, 12, 31));
    lease.deposit = dec!(1646.10);
    lease.charges_provision = dec!(40.00);
    lease.tacit_renewal = true;
    m.add_lease(lease).unwrap();
    m.revise_rent("PIN-BAIL", d(2026, 1, 1), q("2025-Q3"))
        .unwrap();
    m.record_rent_receipt("PIN-BAIL", d(2026, 1, 5), dec!(897.64), Some("T-2026-17"))
        .unwrap();
    m.record_charges(NewCharges {
        building: "PIN-A".into(),
        year: 2026,
        category: ChargeCategory::Energy,
        amount: dec!(1234.56),
        key: Some([("PIN-BAIL".to_owned(), 1)].into_iter().collect()),
    })
    .unwrap();
    m.end_lease("PIN-BAIL", d(2026, 6, 30)).unwrap();
    m.set_vehicle_purchase(
        "PIN-VL",
        mutualis::fleet::Purchase {
            amount: dec!(30000.00),
            date: d(2022, 3, 15),
            years: 7,
        },
    )
    .unwrap();
    m.record_vehicle_cost(
        "PIN-VL",
        mutualis::fleet::NewVehicleCost {
            date: d(2026, 1, 5),
            kind: mutualis::fleet::VehicleCostKind::Insurance,
            label: "Assurance flotte 2026".into(),
            amount: dec!(612.40),
        },
    )
    .unwrap();
    // the furniture inventory (issue 15)
    let room = |code: &str, owner: &str, parent: &str| {
        NewAsset::new(code, code, AssetKind::Room, owner, d(2000, 1, 1)).under(parent)
    };
    m.add_asset(room("PIN-R1", "ROANNE", "PIN-B")).unwrap();
    m.add_asset(room("PIN-R2", "ROANNE", "PIN-B")).unwrap();
    m.add_asset(NewAsset::new(
        "PIN-AG",
        "PIN-AG",
        AssetKind::Building,
        "AGGLO",
        d(2000, 1, 1),
    ))
    .unwrap();
    m.add_asset(room("PIN-AG-1", "AGGLO", "PIN-AG")).unwrap();
    for i in 1..=4 {
        let code = format!("PIN-MOB-{i}");
        m.add_asset(NewAsset::new(
            &code,
            "Chaise",
            AssetKind::Furniture,
            "ROANNE",
            d(2020, 1, 6),
        ))
        .unwrap();
        let mut f = NewFurniture::new(&code, &format!("PIN-INV-{i}"), "chair", "PIN-R1");
        if i == 1 {
            f = f
                .purchased(d(2020, 1, 6), dec!(89.90))
                .assigned_to("ROANNE", "VOIRIE")
                .in_condition(Condition::New);
        }
        m.register_furniture(f).unwrap();
    }
    m.move_furniture("PIN-INV-1", "PIN-R2", d(2025, 1, 6))
        .unwrap();
    m.set_furniture_status("PIN-INV-1", FurnitureStatus::InStore, d(2025, 2, 1))
        .unwrap();
    m.set_furniture_condition("PIN-INV-1", Condition::Worn, d(2025, 2, 1))
        .unwrap();
    m.transfer_furniture("PIN-INV-2", "PIN-AG-1", d(2025, 3, 1))
        .unwrap();
    m.lend_furniture("PIN-INV-3", "PIN-AG-1", d(2025, 4, 1), Some(d(2025, 6, 30)))
        .unwrap();
    m.return_furniture("PIN-INV-3", "PIN-R1", d(2025, 7, 1))
        .unwrap();
    m.reform_furniture("PIN-INV-4", Reform::sold(d(2025, 9, 1), dec!(5.00)))
        .unwrap();
    m.open_campaign("PIN-REC", "PIN-B", d(2026, 3, 2)).unwrap();
    m.record_scan("PIN-REC", "PIN-INV-3", "PIN-R2", d(2026, 3, 3))
        .unwrap();
    m.close_campaign("PIN-REC", d(2026, 3, 4), true).unwrap();
    // the budget's credits from rents (issue 14)
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", None, "752", dec!(9600.00))
        .unwrap();
    m.assign_lease_budget_line("PIN-BAIL", "ROANNE", "752-LOYERS")
        .unwrap();
    // the workwear (issue 15)
    m.add_item(mutualis::NewItem::new(
        "PIN-CASQUE",
        "Casque de chantier",
        "pièce",
    ))
    .unwrap();
    m.receive_stock(
        "MAG-ROANNE",
        "PIN-CASQUE",
        d(2026, 1, 5),
        dec!(10),
        dec!(24.90),
    )
    .unwrap();
    m.add_workwear_item(
        NewWorkwearItem::new("PIN-EPI-CASQUE", "Casque", "PIN-CASQUE")
            .sizes(&["S", "M", "L"])
            .standard("EN 397")
            .lifetime(48),
    )
    .unwrap();
    m.add_agent(
        NewAgent::new(
            "ROANNE",
            "PIN-M1",
            "J. Épingle",
            "VOIRIE",
            "cantonnier",
            d(2020, 1, 1),
        )
        .size("tour de tête", "M"),
    )
    .unwrap();
    m.set_allotment(
        NewAllotment::for_job("ROANNE", "cantonnier", "PIN-EPI-CASQUE", 1, 48).initial(),
    )
    .unwrap();
    m.set_workwear_policy("ROANNE", mutualis::OverrunPolicy::Warn)
        .unwrap();
    m.set_workwear_budget_line("ROANNE", "VOIRIE", "011-VOIRIE")
        .unwrap();
    m.issue_workwear(
        NewWorkwearIssue::new(
            "ROANNE",
            "PIN-M1",
            "PIN-EPI-CASQUE",
            "MAG-ROANNE",
            d(2026, 2, 1),
            dec!(2),
        )
        .size("M"),
    )
    .unwrap();
    m.return_workwear(NewWorkwearReturn {
        tenant: "ROANNE".into(),
        agent: "PIN-M1".into(),
        item: "PIN-EPI-CASQUE".into(),
        size: Some("M".into()),
        date: d(2026, 3, 1),
        quantity: dec!(1),
        reason: ReturnReason::Lost,
    })
    .unwrap();
    m.end_agent_assignment("ROANNE", "PIN-M1", d(2026, 12, 31))
        .unwrap();
    // energy (issue 16)
    use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter, NewTertiarySite};
    m.add_meter(
        NewMeter::new("PIN-GAZ", "PIN-A", EnergySource::Gas, EnergyUnit::M3)
            .delivery_point("GI123456")
            .heating("ROANNE-MTO"),
    )
    .unwrap();
    m.add_meter(
        NewMeter::new("PIN-GAZ-2", "PIN-B", EnergySource::Gas, EnergyUnit::M3).under("PIN-GAZ"),
    )
    .unwrap();
    m.set_conversion("PIN-GAZ", d(2025, 1, 1), dec!(11.2))
        .unwrap();
    m.record_reading("PIN-GAZ", d(2025, 1, 1), dec!(1000), None)
        .unwrap();
    m.record_reading("PIN-GAZ", d(2025, 6, 30), dec!(4000), Some(dec!(0)))
        .unwrap();
    m.record_energy_invoice(
        NewEnergyInvoice::new(
            "PIN-GAZ",
            "GZ-1",
            d(2026, 1, 10),
            d(2025, 12, 1),
            d(2025, 12, 31),
            dec!(1500),
            EnergyUnit::M3,
            dec!(20.00),
            dec!(180.00),
            dec!(40.00),
        )
        .with_factor(dec!(11.31)),
    )
    .unwrap();
    m.set_dju("ROANNE-MTO", 2025, dec!(2100)).unwrap();
    m.set_dju_reference("ROANNE-MTO", dec!(2400)).unwrap();
    m.declare_tertiary_site(NewTertiarySite::new(
        "PIN-A",
        "bureaux",
        dec!(1200),
        2019,
        dec!(200000),
    ))
    .unwrap();
    // the request catalogue (issue 17)
    use mutualis::requests::routing::{CategoryAttribute, Competence, Intake, NewCategory};
    m.set_request_agglomeration("AGGLO").unwrap();
    let mut k = NewCategory::new("ROANNE", "pin-tags", "Tags", Some(3));
    k.description = "Tags sur un mur".into();
    k.keywords = vec!["tag".into()];
    k.group = "Propreté".into();
    k.attributes = vec![CategoryAttribute {
        code: "SURFACE".into(),
        datatype: "singlevaluelist".into(),
        required: false,
        description: "Quelle surface ?".into(),
        order: 1,
        values: vec![("mur".into(), "Mur".into())],
    }];
    m.add_request_category(k).unwrap();
    m.add_request_category(NewCategory::new("AGGLO", "pin-divers", "Divers", None))
        .unwrap();
    m.set_request_competence("pin-tags", Competence::Communes)
        .unwrap();
    let square = r#"{"type":"Polygon","coordinates":[[[4.0,46.0],[4.1,46.0],[4.1,46.1],[4.0,46.1],[4.0,46.0]]]}"#;
    m.add_request_territory("ROANNE", square).unwrap();
    m.add_request_council("PIN-CQ", "Conseil de quartier", square)
        .unwrap();
    let t = Utc.with_ymd_and_hms(2026, 8, 3, 9, 0, 0).unwrap();
    m.submit_request(
        Intake::new(
            "PIN-DI-1",
            RequestOrigin::CitizenPortal,
            "pin-tags",
            "Tag",
            t,
        )
        .at_address("1 rue Jean Jaurès", Some("42187")),
    )
    .unwrap();
    m.submit_request(Intake::new(
        "PIN-DI-2",
        RequestOrigin::Phone,
        "pin-divers",
        "Autre",
        t,
    ))
    .unwrap();
    m.route_request_by_hand("PIN-DI-2", "MABLY", None).unwrap();
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    m.create_request_from_fields(
        &f(&[
            ("service_code", "pin-tags"),
            ("lat", "46.05"),
            ("long", "4.05"),
            ("email", "a@b.fr"),
            ("media_url", "https://example.org/1.jpg"),
            ("attribute[SURFACE]", "mur"),
        ]),
        "PIN-WEB-",
        t,
    )
    .unwrap();
    m
}

/// A journal that starts with a dataset import.
fn dataset() -> Mutualis {
    let mut small = Mutualis::new();
    small
        .add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    let mut m = Mutualis::from_json(&small.to_json()).unwrap();
    m.set_actor("agent.pin");
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 9, 2, 8, 0, 0).unwrap(),
    ));
    m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
    // entries are dated by the clock, except the import's: pin it too
    let mut j = m.journal().to_vec();
    j[0].at = Utc.with_ymd_and_hms(2026, 9, 2, 7, 0, 0).unwrap();
    Mutualis::replay(&j).unwrap()
}

/// Checks (or with `MUTUALIS_BLESS`, writes) one fixture; gives its entries.
fn pinned(name: &str, entries: &[JournalEntry]) -> Vec<JournalEntry> {
    let written = serde_json::to_string_pretty(entries).unwrap();
    if std::env::var_os("MUTUALIS_BLESS").is_some() {
        std::fs::write(data(name), &written).unwrap();
    }
    let stored = std::fs::read_to_string(data(name)).expect("the fixture is checked in");
    let back: Vec<JournalEntry> = serde_json::from_str(&stored).expect("the fixture parses");
    assert_eq!(
        serde_json::to_string_pretty(&back).unwrap(),
        stored,
        "{name} no longer serialises as it was written"
    );
    assert_eq!(back, entries, "{name} no longer reads as it was written");
    back
}

fn kind(e: &JournalEntry) -> String {
    serde_json::to_value(&e.event).unwrap()["type"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn every_kind_of_event_keeps_its_stored_form() {
    let scenario = scenario();
    let m = more_kinds();
    let more = pinned("journal-more-kinds.json", &m.journal()[scenario.len()..]);
    let all: Vec<JournalEntry> = scenario.iter().chain(&more).cloned().collect();
    assert_eq!(Mutualis::replay(&all).unwrap(), m);
    let ds = dataset();
    let ds_entries = pinned("journal-dataset.json", ds.journal());
    assert_eq!(Mutualis::replay(&ds_entries).unwrap(), ds);

    let kinds: BTreeSet<String> = all.iter().chain(&ds_entries).map(kind).collect();
    // every kind but `tables_ingested` (its payload, `IngestedTables`, is
    // versioned on its own; tests/ingest.rs replays it)
    assert_eq!(kinds.len(), 99, "{kinds:?}");
}

#[cfg(feature = "binary")]
#[test]
fn every_kind_of_event_keeps_its_messagepack_encoding() {
    // the same entries as the JSON fixtures (the other test checks them)
    let mut all = scenario();
    let n = all.len();
    all.extend_from_slice(&more_kinds().journal()[n..]);
    all.extend_from_slice(dataset().journal());
    let mut hex = String::new();
    for e in &all {
        let bytes = rmp_serde::to_vec_named(&e.event).unwrap();
        let back: mutualis::Event = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(back, e.event, "entry {} does not decode back", e.seq);
        for b in &bytes {
            hex.push_str(&format!("{b:02x}"));
        }
        hex.push('\n');
    }
    let path = data("journal-msgpack.hex");
    if std::env::var_os("MUTUALIS_BLESS").is_some() {
        std::fs::write(&path, &hex).unwrap();
    }
    let stored = std::fs::read_to_string(&path).expect("the fixture is checked in");
    for (i, (a, b)) in stored.lines().zip(hex.lines()).enumerate() {
        assert_eq!(
            a, b,
            "entry {i} (of {n} scenario entries first) encodes differently"
        );
    }
    assert_eq!(stored.lines().count(), all.len());
}
