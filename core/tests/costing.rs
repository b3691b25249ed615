//! Work orders, cost lines and their exact cost: DOMAIN §4–5 worked examples
//! and every refusal of the costing commands.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mutualis::{
    AssetKind, Clock, CostInput, CostNature, Error, Event, Mutualis, NewAsset, NewItem, NewRequest,
    NewSupplier, NewTenant, NewWorkOrder, Period, RequestEvent, RequestOrigin, RequestStatus,
    TenantKind, UsageUnit, VatRate, WorkEvent, WorkOrderStatus,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn t(y: i32, m: u32, j: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, j, h, 0, 0).unwrap()
}

/// The seed: AGGLO, ROANNE, VILLEREST; the gymnasium transferred to AGGLO;
/// Roanne's sports régie and store; Villerest's agents and the 14 juillet suppliers.
fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(t(2026, 1, 1, 8)));
    m.set_actor("test");
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214233207",
        "42332",
    ))
    .unwrap();
    m.add_service("AGGLO", "SPORTS", "Sports").unwrap();
    m.add_service("ROANNE", "SPORTS", "Régie sports").unwrap();
    m.add_service("VILLEREST", "TECH", "Services techniques")
        .unwrap();
    m.add_asset(
        NewAsset::new(
            "GYM",
            "Gymnase Coubertin",
            AssetKind::Building,
            "ROANNE",
            d(1975, 9, 1),
        )
        .managed_by("AGGLO", "SPORTS"),
    )
    .unwrap();
    m.add_asset(
        NewAsset::new(
            "GYM-SALLE",
            "Grande salle",
            AssetKind::Room,
            "ROANNE",
            d(1975, 9, 1),
        )
        .under("GYM"),
    )
    .unwrap();
    m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
        .unwrap();
    m.add_asset(NewAsset::new(
        "PLACE-VILLEREST",
        "Place du bourg",
        AssetKind::GreenSpace,
        "VILLEREST",
        d(1990, 1, 1),
    ))
    .unwrap();
    m.add_asset(
        NewAsset::new(
            "VH-ROANNE-1",
            "Fourgon",
            AssetKind::Vehicle,
            "ROANNE",
            d(2020, 1, 1),
        )
        .with_attribute("category", "VUL"),
    )
    .unwrap();
    m.add_team(
        "ROANNE-SPORTS",
        "ROANNE",
        "Régie équipements sportifs",
        Some("SPORTS"),
    )
    .unwrap();
    m.add_team(
        "VILLEREST-AGENTS",
        "VILLEREST",
        "Agents polyvalents",
        Some("TECH"),
    )
    .unwrap();
    m.set_labour_rate("ROANNE", 2026, None, None, dec!(38.50))
        .unwrap();
    m.set_labour_rate("VILLEREST", 2026, None, None, dec!(32.00))
        .unwrap();
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central")
        .unwrap();
    m.add_item(NewItem::new("PEINTURE", "Peinture acrylique 15 L", "pot"))
        .unwrap();
    // 10 pots at 14.00 then 30 at 14.316 → CMUP (140 + 429.48) / 40 = 14.2370
    m.receive_stock(
        "MAG-ROANNE",
        "PEINTURE",
        d(2026, 1, 5),
        dec!(10),
        dec!(14.00),
    )
    .unwrap();
    m.receive_stock(
        "MAG-ROANNE",
        "PEINTURE",
        d(2026, 2, 2),
        dec!(30),
        dec!(14.316),
    )
    .unwrap();
    m.add_supplier(
        NewSupplier::new("LOCABARRIERES", "Loca Barrières", "73282932000074")
            .in_category("location"),
    )
    .unwrap();
    m.add_supplier(
        NewSupplier::new("ARTIFICES", "Loire Artifices", "35600000000056")
            .in_category("pyrotechnie"),
    )
    .unwrap();
    m
}

fn start(m: &mut Mutualis, wo: &str) {
    m.set_work_order_status(wo, WorkOrderStatus::InProgress, t(2026, 3, 12, 7))
        .unwrap();
}

#[test]
fn gymnasium_worked_example() {
    let mut m = seed();
    assert_eq!(
        m.stock_level("MAG-ROANNE", "PEINTURE").unwrap().cmup,
        dec!(14.2370)
    );
    m.create_work_order(NewWorkOrder::by_team(
        "BT-GYM-1",
        "Peinture de la grande salle",
        "GYM-SALLE",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT-GYM-1");
    m.record_cost("BT-GYM-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1))
        .unwrap();
    m.record_cost(
        "BT-GYM-1",
        CostInput::material(d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", dec!(12)),
    )
    .unwrap();
    let lines = m.work_order_lines("BT-GYM-1").unwrap();
    assert_eq!(
        (lines[0].quantity, lines[0].unit_cost, lines[0].ht),
        (dec!(6.5), dec!(38.50), dec!(250.25))
    );
    assert_eq!(
        (lines[1].quantity, lines[1].unit_cost, lines[1].ht),
        (dec!(12), dec!(14.2370), dec!(170.84))
    );
    let cost = m.work_order_cost("BT-GYM-1").unwrap();
    assert_eq!(cost.labour.ttc, dec!(250.25));
    assert_eq!(cost.material.ttc, dec!(170.84));
    assert_eq!(
        (cost.total.ht, cost.total.vat, cost.total.ttc),
        (dec!(421.09), dec!(0.00), dec!(421.09))
    );
    // the holder on that date pays: AGGLO, although ROANNE's régie did the work
    let charges = m.work_order_charges("BT-GYM-1").unwrap();
    assert_eq!(charges.len(), 1);
    assert_eq!(m.tenant_code(charges[0].tenant), "AGGLO");
    assert_eq!(charges[0].amounts.ttc, dec!(421.09));
    assert_eq!(
        lines[0].provider.tenant(),
        Some(m.tenant_id("ROANNE").unwrap())
    );
    // stock went down by 12 pots
    assert_eq!(
        m.stock_level("MAG-ROANNE", "PEINTURE").unwrap().quantity,
        dec!(28)
    );
}

#[test]
fn quatorze_juillet_event_cost() {
    let mut m = seed();
    let day = d(2026, 7, 14);
    let tag = "14-juillet-2026";
    m.create_work_order(
        NewWorkOrder::by_team(
            "BT-14J-SCENE",
            "Montage scène",
            "PLACE-VILLEREST",
            "VILLEREST-AGENTS",
        )
        .tagged(tag),
    )
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_supplier(
            "BT-14J-BARRIERES",
            "Location barrières",
            "PLACE-VILLEREST",
            "LOCABARRIERES",
        )
        .tagged(tag),
    )
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_supplier(
            "BT-14J-FEU",
            "Feu d'artifice",
            "PLACE-VILLEREST",
            "ARTIFICES",
        )
        .tagged(tag),
    )
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_team(
            "BT-14J-NETTOYAGE",
            "Nettoyage",
            "PLACE-VILLEREST",
            "VILLEREST-AGENTS",
        )
        .tagged(tag),
    )
    .unwrap();
    for wo in [
        "BT-14J-SCENE",
        "BT-14J-BARRIERES",
        "BT-14J-FEU",
        "BT-14J-NETTOYAGE",
    ] {
        start(&mut m, wo);
    }
    m.record_cost("BT-14J-SCENE", CostInput::labour(day, dec!(4), 2))
        .unwrap();
    m.record_cost(
        "BT-14J-BARRIERES",
        CostInput::external(
            day,
            None,
            "Location 40 barrières",
            dec!(480.00),
            VatRate::Standard,
        ),
    )
    .unwrap();
    m.record_cost(
        "BT-14J-FEU",
        CostInput::external(
            day,
            None,
            "Feu d'artifice",
            dec!(3500.00),
            VatRate::Standard,
        ),
    )
    .unwrap();
    m.record_cost(
        "BT-14J-NETTOYAGE",
        CostInput::labour(d(2026, 7, 15), dec!(3), 1),
    )
    .unwrap();
    assert_eq!(
        m.work_order_cost("BT-14J-SCENE").unwrap().total.ht,
        dec!(256.00)
    );
    assert_eq!(
        m.work_order_cost("BT-14J-BARRIERES").unwrap().total.ttc,
        dec!(576.00)
    );
    assert_eq!(
        m.work_order_cost("BT-14J-FEU").unwrap().total.ttc,
        dec!(4200.00)
    );
    assert_eq!(
        m.work_order_cost("BT-14J-NETTOYAGE").unwrap().total.ttc,
        dec!(96.00)
    );
    let event = m.cost_by_tag(tag);
    assert_eq!(
        (event.total.ht, event.total.ttc),
        (dec!(4332.00), dec!(5128.00))
    );
    assert_eq!(event.total.vat, dec!(796.00));
    assert_eq!(event.labour.ht, dec!(352.00));
    assert_eq!(event.external.ht, dec!(3980.00));
    let artifices = m.supplier_activity("ARTIFICES", None).unwrap();
    assert_eq!(
        (artifices.interventions, artifices.cost.total.ttc),
        (1, dec!(4200.00))
    );
    // everything is paid by Villerest, holder of its square
    let b = m.cost_breakdown(None).unwrap();
    assert!(b.iter().all(|r| m.tenant_code(r.payer) == "VILLEREST"));
    let total: Decimal = b.iter().map(|r| r.amounts.ttc).sum();
    assert_eq!(total, dec!(5128.00));
}

#[test]
fn cmup_over_receipts_and_issues_and_over_issue_refused() {
    let mut m = seed();
    m.create_work_order(NewWorkOrder::by_team(
        "BT",
        "Travaux",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT");
    // 40 @ 14.2370; issue 15 → 213.555 → 213.56; 25 left
    m.record_cost(
        "BT",
        CostInput::material(d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", dec!(15)),
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(0).unwrap().ht, dec!(213.56));
    // receive 5 @ 15.10: (25 × 14.2370 + 75.50) / 30 = 14.38083… → 14.3808
    let level = m
        .receive_stock(
            "MAG-ROANNE",
            "PEINTURE",
            d(2026, 3, 13),
            dec!(5),
            dec!(15.10),
        )
        .unwrap();
    assert_eq!((level.quantity, level.cmup), (dec!(30), dec!(14.3808)));
    // issue 7 → 100.6656 → 100.67
    m.record_cost(
        "BT",
        CostInput::material(d(2026, 3, 14), "MAG-ROANNE", "PEINTURE", dec!(7)),
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(1).unwrap().ht, dec!(100.67));
    let before = m.clone();
    let err = m
        .record_cost(
            "BT",
            CostInput::material(d(2026, 3, 15), "MAG-ROANNE", "PEINTURE", dec!(23.5)),
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::InsufficientStock {
            store: "MAG-ROANNE".into(),
            item: "PEINTURE".into(),
            requested: dec!(23.5),
            on_hand: dec!(23)
        }
    );
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), before.journal().len());
    assert_eq!(
        m.stock_level("MAG-ROANNE", "PEINTURE").unwrap().value(),
        dec!(330.76)
    ); // 23 × 14.3808 = 330.7584
}

#[test]
fn refusals_are_typed_and_change_nothing() {
    let mut m = seed();
    m.create_work_order(NewWorkOrder::by_team(
        "BT",
        "Travaux",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    let snapshot = m.clone();
    let journal_len = m.journal().len();
    // not started yet
    assert!(matches!(
        m.record_cost("BT", CostInput::labour(d(2026, 3, 12), dec!(1), 1)),
        Err(Error::WorkOrderNotOpen { .. })
    ));
    // illegal lifecycle moves
    assert!(matches!(
        m.set_work_order_status("BT", WorkOrderStatus::Closed, t(2026, 3, 12, 8)),
        Err(Error::IllegalTransition {
            from: "planned",
            to: "closed",
            ..
        })
    ));
    assert!(matches!(
        m.set_work_order_status("BT", WorkOrderStatus::Done, t(2026, 3, 12, 8)),
        Err(Error::IllegalTransition { .. })
    ));
    assert_eq!(m, snapshot);
    start(&mut m, "BT");
    let snapshot = m.clone();
    let journal_len2 = m.journal().len();
    assert_eq!(journal_len2, journal_len + 1);
    let day = d(2026, 3, 12);
    type Case = (CostInput, fn(&Error) -> bool);
    let cases: Vec<Case> = vec![
        (CostInput::labour(day, dec!(0), 1), |e| {
            matches!(e, Error::InvalidQuantity { what: "hours", .. })
        }),
        (CostInput::labour(day, dec!(-2), 1), |e| {
            matches!(e, Error::InvalidQuantity { .. })
        }),
        (CostInput::labour(day, dec!(2), 0), |e| {
            matches!(e, Error::InvalidQuantity { what: "agents", .. })
        }),
        (CostInput::labour(d(1970, 1, 1), dec!(2), 1), |e| {
            matches!(e, Error::OutsideAssetLife { .. })
        }),
        (CostInput::labour(d(2025, 6, 1), dec!(2), 1), |e| {
            matches!(e, Error::NoRate { what: "labour", .. })
        }),
        (
            CostInput::Labour {
                date: day,
                hours: dec!(1),
                agents: 1,
                team: Some("NOPE".into()),
                grade: None,
            },
            |e| matches!(e, Error::UnknownTeam(_)),
        ),
        (
            CostInput::material(day, "MAG-ROANNE", "PEINTURE", dec!(-1)),
            |e| matches!(e, Error::InvalidQuantity { .. }),
        ),
        (CostInput::material(day, "NOPE", "PEINTURE", dec!(1)), |e| {
            matches!(e, Error::UnknownStore(_))
        }),
        (
            CostInput::material(day, "MAG-ROANNE", "NOPE", dec!(1)),
            |e| matches!(e, Error::UnknownItem(_)),
        ),
        (
            CostInput::vehicle(day, "VH-ROANNE-1", UsageUnit::Km, dec!(12)),
            |e| {
                matches!(
                    e,
                    Error::NoRate {
                        what: "vehicle",
                        ..
                    }
                )
            },
        ),
        (
            CostInput::vehicle(day, "VH-NOPE", UsageUnit::Km, dec!(12)),
            |e| matches!(e, Error::UnknownAsset(_)),
        ),
        (
            CostInput::vehicle(day, "VH-ROANNE-1", UsageUnit::Km, dec!(0)),
            |e| matches!(e, Error::InvalidQuantity { .. }),
        ),
        (
            CostInput::external(day, Some("NOPE"), "x", dec!(10), VatRate::Standard),
            |e| matches!(e, Error::UnknownSupplier(_)),
        ),
        (
            CostInput::external(day, None, "x", dec!(10), VatRate::Standard),
            |e| {
                matches!(
                    e,
                    Error::InvalidField {
                        field: "supplier",
                        ..
                    }
                )
            },
        ),
        (
            CostInput::external(day, Some("ARTIFICES"), "x", dec!(10.001), VatRate::Standard),
            |e| matches!(e, Error::SubCentAmount(_)),
        ),
        (
            CostInput::external(day, Some("ARTIFICES"), "x", dec!(0), VatRate::Standard),
            |e| matches!(e, Error::InvalidQuantity { .. }),
        ),
    ];
    for (input, check) in cases {
        let err = m.record_cost("BT", input.clone()).unwrap_err();
        assert!(check(&err), "{input:?} gave {err:?}");
        assert_eq!(m, snapshot, "{input:?} changed the registry");
        assert_eq!(m.journal().len(), journal_len2);
    }
    assert_eq!(
        VatRate::from_percent(dec!(19)),
        Err(Error::UnknownVatRate(dec!(19)))
    );
    assert!(matches!(
        m.record_cost("NOPE", CostInput::labour(day, dec!(1), 1)),
        Err(Error::UnknownWorkOrder(_))
    ));
    assert!(matches!(
        m.create_work_order(NewWorkOrder::by_team("BT2", "x", "GYM", "NOPE")),
        Err(Error::UnknownTeam(_))
    ));
    assert!(matches!(
        m.create_work_order(NewWorkOrder::by_supplier("BT2", "x", "GYM", "NOPE")),
        Err(Error::UnknownSupplier(_))
    ));
    assert!(matches!(
        m.create_work_order(NewWorkOrder::by_team("BT", "x", "GYM", "ROANNE-SPORTS")),
        Err(Error::DuplicateWorkOrder(_))
    ));
    assert!(matches!(
        m.set_labour_rate("ROANNE", 2026, None, None, dec!(40)),
        Err(Error::RateAlreadySet { .. })
    ));
    assert!(matches!(
        m.set_labour_rate("ROANNE", 2027, None, None, dec!(0)),
        Err(Error::InvalidQuantity { .. })
    ));
    assert!(matches!(
        m.add_supplier(NewSupplier::new("X", "X", "73282932000075")),
        Err(Error::InvalidSiret { .. })
    ));
    assert_eq!(m, snapshot);
}

#[test]
fn vehicle_rates_by_vehicle_then_category_and_team_grade_rates() {
    let mut m = seed();
    m.set_category_rate("ROANNE", "VUL", 2026, UsageUnit::Km, dec!(0.62))
        .unwrap();
    m.set_labour_rate(
        "ROANNE",
        2026,
        Some("ROANNE-SPORTS"),
        Some("technicien"),
        dec!(45.10),
    )
    .unwrap();
    m.create_work_order(NewWorkOrder::by_team(
        "BT",
        "Travaux",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT");
    let day = d(2026, 3, 12);
    m.record_cost(
        "BT",
        CostInput::vehicle(day, "VH-ROANNE-1", UsageUnit::Km, dec!(37)),
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(0).unwrap().ht, dec!(22.94));
    m.set_vehicle_rate("VH-ROANNE-1", 2026, UsageUnit::Km, dec!(0.55))
        .unwrap();
    m.record_cost(
        "BT",
        CostInput::vehicle(day, "VH-ROANNE-1", UsageUnit::Km, dec!(37)),
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(1).unwrap().ht, dec!(20.35)); // 20.35 exactly
    m.record_cost(
        "BT",
        CostInput::Labour {
            date: day,
            hours: dec!(2),
            agents: 1,
            team: None,
            grade: Some("technicien".into()),
        },
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(2).unwrap().unit_cost, dec!(45.10));
    m.record_cost(
        "BT",
        CostInput::Labour {
            date: day,
            hours: dec!(2),
            agents: 1,
            team: None,
            grade: Some("agent".into()),
        },
    )
    .unwrap();
    assert_eq!(m.cost_lines().at(3).unwrap().unit_cost, dec!(38.50));
    let cost = m.work_order_cost("BT").unwrap();
    assert_eq!(cost.vehicle.ht, dec!(43.29));
    assert_eq!(cost.total.ht, cost.labour.ht + cost.vehicle.ht);
}

#[test]
fn requests_statuses_delays_and_history() {
    let mut m = seed();
    let received = t(2026, 3, 2, 9);
    m.receive_request(
        NewRequest::new(
            "DI-1",
            RequestOrigin::CitizenPortal,
            "equipement-sportif",
            "Peinture écaillée au gymnase",
            "AGGLO",
            received,
        )
        .on_asset("GYM-SALLE")
        .for_service("SPORTS"),
    )
    .unwrap();
    assert_eq!(m.request("DI-1").unwrap().status.open311(), "open");
    m.set_request_status(
        "DI-1",
        RequestStatus::Investigating,
        t(2026, 3, 3, 9),
        Some("vu sur place"),
    )
    .unwrap();
    assert!(matches!(
        m.set_request_status("DI-1", RequestStatus::InProgress, t(2026, 3, 2, 10), None),
        Err(Error::TimeOutOfOrder { .. })
    ));
    assert!(matches!(
        m.set_request_status("DI-1", RequestStatus::Investigating, t(2026, 3, 4, 9), None),
        Err(Error::IllegalTransition { .. })
    ));
    m.create_work_order(
        NewWorkOrder::by_team("BT-GYM-1", "Peinture", "GYM-SALLE", "ROANNE-SPORTS")
            .for_request("DI-1"),
    )
    .unwrap();
    m.set_request_status(
        "DI-1",
        RequestStatus::ActionScheduled,
        t(2026, 3, 5, 9),
        None,
    )
    .unwrap();
    start(&mut m, "BT-GYM-1");
    m.record_cost("BT-GYM-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1))
        .unwrap();
    m.set_work_order_status("BT-GYM-1", WorkOrderStatus::Done, t(2026, 3, 12, 17))
        .unwrap();
    m.set_request_status("DI-1", RequestStatus::Fixed, t(2026, 3, 12, 18), None)
        .unwrap();
    m.set_work_order_status("BT-GYM-1", WorkOrderStatus::Closed, t(2026, 3, 13, 9))
        .unwrap();
    assert!(matches!(
        m.record_cost("BT-GYM-1", CostInput::labour(d(2026, 3, 13), dec!(1), 1)),
        Err(Error::WorkOrderNotOpen {
            status: "closed",
            ..
        })
    ));
    assert_eq!(m.request("DI-1").unwrap().status.open311(), "closed");
    assert!(matches!(
        m.set_request_status("DI-1", RequestStatus::InProgress, t(2026, 3, 14, 9), None),
        Err(Error::IllegalTransition { .. })
    ));
    let delays = m.request_delays("DI-1").unwrap();
    assert_eq!(delays.to_first_response, Some(chrono::Duration::hours(24)));
    assert_eq!(delays.to_closure, Some(t(2026, 3, 12, 18) - received));
    // request → work order → cost lines, in order
    let kinds: Vec<&str> = m
        .request_history("DI-1")
        .unwrap()
        .iter()
        .map(|e| match &e.event {
            Event::Requests(RequestEvent::RequestReceived { .. }) => "received",
            Event::Requests(RequestEvent::RequestStatusChanged { .. }) => "request status",
            Event::Work(WorkEvent::WorkOrderCreated { .. }) => "work order",
            Event::Work(WorkEvent::WorkOrderStatusChanged { .. }) => "work order status",
            Event::Work(WorkEvent::CostRecorded { .. }) => "cost",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "request status",
            "work order",
            "request status",
            "work order status",
            "cost",
            "work order status",
            "request status",
            "work order status"
        ]
    );
    let seqs: Vec<u64> = m
        .request_history("DI-1")
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert!(m
        .request_history("DI-1")
        .unwrap()
        .iter()
        .all(|e| e.actor == "test"));
}

#[test]
fn replaying_the_journal_rebuilds_the_same_registry() {
    let mut m = seed();
    m.create_work_order(
        NewWorkOrder::by_team("BT", "Travaux", "GYM-SALLE", "ROANNE-SPORTS").tagged("ete-2026"),
    )
    .unwrap();
    start(&mut m, "BT");
    m.record_cost(
        "BT",
        CostInput::material(d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", dec!(3)),
    )
    .unwrap();
    m.record_cost("BT", CostInput::labour(d(2026, 3, 12), dec!(1.25), 2))
        .unwrap();
    let again = Mutualis::replay(m.journal()).unwrap();
    assert_eq!(again, m);
    assert_eq!(again.journal(), m.journal());
    // a journal survives JSON
    let json = serde_json::to_string(m.journal()).unwrap();
    let entries: Vec<mutualis::JournalEntry> = serde_json::from_str(&json).unwrap();
    assert_eq!(Mutualis::replay(&entries).unwrap(), m);
}

#[test]
fn rollup_association_and_period() {
    let mut m = seed();
    m.create_work_order(
        NewWorkOrder::by_team("BT-A", "Salle", "GYM-SALLE", "ROANNE-SPORTS")
            .for_association("CLUB-BASKET"),
    )
    .unwrap();
    m.create_work_order(NewWorkOrder::by_team(
        "BT-B",
        "Bâtiment",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT-A");
    start(&mut m, "BT-B");
    m.record_cost("BT-A", CostInput::labour(d(2026, 3, 12), dec!(2), 1))
        .unwrap(); // 77.00
    m.record_cost("BT-B", CostInput::labour(d(2026, 4, 2), dec!(1), 1))
        .unwrap(); // 38.50
    assert_eq!(m.rollup("GYM", None).unwrap().total.ttc, dec!(115.50));
    assert_eq!(m.rollup("GYM-SALLE", None).unwrap().total.ttc, dec!(77.00));
    let march = Period::new(d(2026, 3, 1), Some(d(2026, 3, 31))).unwrap();
    assert_eq!(m.rollup("GYM", Some(march)).unwrap().total.ttc, dec!(77.00));
    assert_eq!(m.cost_by_association("CLUB-BASKET").total.ttc, dec!(77.00));
    assert_eq!(m.cost_by_association("AUTRE").lines, 0);
    assert_eq!(m.work_orders_of_team("ROANNE-SPORTS").unwrap().len(), 2);
    let b = m.cost_breakdown(None).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(
        (m.tenant_code(b[0].payer), b[0].nature),
        ("AGGLO", CostNature::Labour)
    );
    assert_eq!(b[0].amounts.ttc, dec!(115.50));
}

#[test]
fn whole_dataset_round_trips_through_json_and_replays() {
    let mut m = seed();
    m.receive_request(
        NewRequest::new(
            "DI-1",
            RequestOrigin::Agent,
            "peinture",
            "Repeindre",
            "AGGLO",
            t(2026, 3, 2, 9),
        )
        .on_asset("GYM"),
    )
    .unwrap();
    m.set_request_status(
        "DI-1",
        RequestStatus::InProgress,
        t(2026, 3, 3, 9),
        Some("pris en charge"),
    )
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_team("BT", "Travaux", "GYM-SALLE", "ROANNE-SPORTS")
            .for_request("DI-1")
            .tagged("ete"),
    )
    .unwrap();
    start(&mut m, "BT");
    m.set_category_rate("ROANNE", "VUL", 2026, UsageUnit::Km, dec!(0.62))
        .unwrap();
    m.set_vehicle_rate("VH-ROANNE-1", 2026, UsageUnit::Day, dec!(45))
        .unwrap();
    m.record_cost(
        "BT",
        CostInput::material(d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", dec!(3)),
    )
    .unwrap();
    m.record_cost("BT", CostInput::labour(d(2026, 3, 12), dec!(1.25), 2))
        .unwrap();
    m.record_cost(
        "BT",
        CostInput::vehicle(d(2026, 3, 12), "VH-ROANNE-1", UsageUnit::Km, dec!(12)),
    )
    .unwrap();
    m.record_cost(
        "BT",
        CostInput::external(
            d(2026, 3, 12),
            Some("ARTIFICES"),
            "Fumigènes",
            dec!(99.99),
            VatRate::Reduced,
        ),
    )
    .unwrap();
    let json = m.to_json();
    let mut back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    // the loaded registry keeps working and its journal still replays
    back.record_cost(
        "BT",
        CostInput::material(d(2026, 3, 13), "MAG-ROANNE", "PEINTURE", dec!(1)),
    )
    .unwrap();
    assert_eq!(back.journal().len(), 2);
    assert!(matches!(
        back.journal()[0].event,
        Event::DatasetImported { .. }
    ));
    assert_eq!(Mutualis::replay(back.journal()).unwrap(), back);
    // a tampered line is refused with a typed error
    let tampered = json.replacen("\"ttc\": \"105.49\"", "\"ttc\": \"105.48\"", 1);
    assert_ne!(tampered, json);
    assert!(Mutualis::from_json(&tampered).is_err());
    let needle = "\"team\": \"ROANNE-SPORTS\"";
    let at = json.rfind(needle).unwrap(); // the labour cost line, last section
    let wrong_provider = format!(
        "{}\"supplier\": \"ARTIFICES\"{}",
        &json[..at],
        &json[at + needle.len()..]
    );
    assert!(matches!(
        Mutualis::from_json(&wrong_provider),
        Err(Error::InvalidField {
            field: "cost_lines",
            ..
        })
    ));
}

#[test]
fn bulk_recording_is_all_or_nothing_with_progress() {
    let mut m = seed();
    m.create_work_order(NewWorkOrder::by_team(
        "BT",
        "Travaux",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT");
    let good: Vec<(String, CostInput)> = (0..3000)
        .map(|i| {
            (
                "BT".to_owned(),
                CostInput::labour(d(2026, 3, 1 + (i % 28) as u32), dec!(0.25), 1),
            )
        })
        .collect();
    let mut calls = Vec::new();
    let mut cb = |done: usize, total: usize| {
        calls.push((done, total));
        std::ops::ControlFlow::Continue(())
    };
    // a callback that stops the batch: nothing recorded, a typed error
    let before_all = m.clone();
    let mut stop = |done: usize, _: usize| {
        if done >= 2048 {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    assert_eq!(
        m.record_costs(good.clone(), Some(&mut stop)).unwrap_err(),
        (
            2048,
            Error::Cancelled {
                done: 2048,
                total: 3000
            }
        )
    );
    assert_eq!(m, before_all);
    let ids = m.record_costs(good, Some(&mut cb)).unwrap();
    assert_eq!(ids.len(), 3000);
    assert_eq!(calls, [(1024, 3000), (2048, 3000), (3000, 3000)]);
    // each line is 0.25 h × 38.50 = 9.625 → 9.63; the total is the sum of rounded lines
    assert_eq!(m.work_order_cost("BT").unwrap().total.ttc, dec!(28890.00));
    let before = m.clone();
    let journal = m.journal().len();
    let bad = vec![
        (
            "BT".to_owned(),
            CostInput::labour(d(2026, 3, 2), dec!(1), 1),
        ),
        (
            "BT".to_owned(),
            CostInput::material(d(2026, 3, 2), "MAG-ROANNE", "PEINTURE", dec!(1000)),
        ),
    ];
    let (row, err) = m.record_costs(bad, None).unwrap_err();
    assert_eq!(row, 1);
    assert!(matches!(err, Error::InsufficientStock { .. }));
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), journal);
}

#[test]
fn journal_json_round_trip_and_vehicle_rate_subject() {
    let mut m = seed();
    m.create_work_order(NewWorkOrder::by_team(
        "BT",
        "Travaux",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    start(&mut m, "BT");
    m.record_cost("BT", CostInput::labour(d(2026, 3, 12), dec!(2), 1))
        .unwrap();
    let back = Mutualis::from_journal_json(&m.journal_json()).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.journal_json(), m.journal_json());
    assert!(matches!(
        Mutualis::from_journal_json("[{"),
        Err(Error::InvalidJson { .. })
    ));
    assert!(matches!(
        m.set_vehicle_rate("GYM", 2026, UsageUnit::Day, dec!(10)),
        Err(Error::InvalidField {
            field: "vehicle",
            ..
        })
    ));
}
