//! Mobilier (issue 15): the inventory campaign of the acceptance, moves
//! between rooms and collectivités, refusals that change nothing, the
//! dataset round trip, undo of each event and principal reads.

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
use mutualis::furniture::{
    Condition, Finding, FurnitureStatus, MoveKind, NewFurniture, Reform, ReformOutcome,
};
use mutualis::{AssetKind, Clock, Error, Mutualis, NewAsset, NewTenant, Period, TenantKind};
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn number(i: usize) -> String {
    format!("ROANNE-MOB-{i:04}")
}

/// ROANNE's town hall (a site, the building HDV with rooms R1, R2, R3 on a
/// floor, a boiler), AGGLO's seat (building SIEGE, room SIEGE-1), 41 items
/// in HDV: 14 in R1, 13 in R2, 14 in R3.
fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap(),
    ));
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_service("ROANNE", "ADMIN", "Administration générale")
        .unwrap();
    let old = d(1900, 1, 1);
    let add = |m: &mut Mutualis, code: &str, kind, owner: &str, parent: Option<&str>| {
        let mut a = NewAsset::new(code, code, kind, owner, old);
        a.parent = parent.map(str::to_owned);
        m.add_asset(a).unwrap();
    };
    add(&mut m, "SITE-HDV", AssetKind::Site, "ROANNE", None);
    add(
        &mut m,
        "HDV",
        AssetKind::Building,
        "ROANNE",
        Some("SITE-HDV"),
    );
    add(&mut m, "HDV-1", AssetKind::Floor, "ROANNE", Some("HDV"));
    for r in ["R1", "R2", "R3"] {
        add(&mut m, r, AssetKind::Room, "ROANNE", Some("HDV-1"));
    }
    add(
        &mut m,
        "CHAUDIERE",
        AssetKind::Equipment,
        "ROANNE",
        Some("HDV"),
    );
    add(&mut m, "DEPOT", AssetKind::Building, "ROANNE", None);
    add(&mut m, "SIEGE", AssetKind::Building, "AGGLO", None);
    add(&mut m, "SIEGE-1", AssetKind::Room, "AGGLO", Some("SIEGE"));
    for i in 1..=41 {
        let room = match i {
            1..=14 => "R1",
            15..=27 => "R2",
            _ => "R3",
        };
        let code = format!("MOB-{i:04}");
        m.add_asset(NewAsset::new(
            &code,
            "Mobilier",
            AssetKind::Furniture,
            "ROANNE",
            d(2020, 1, 6),
        ))
        .unwrap();
        let category = ["chair", "desk", "cupboard"][i % 3];
        m.register_furniture(
            NewFurniture::new(&code, &number(i), category, room)
                .purchased(d(2020, 1, 6), dec!(149.90))
                .assigned_to("ROANNE", "ADMIN"),
        )
        .unwrap();
    }
    m
}

#[test]
fn the_campaign_of_the_acceptance_lists_exactly_the_missing_and_the_unexpected() {
    let mut m = seed();
    // item 41 (in R3) is reformed before the campaign: no longer expected
    m.reform_furniture(&number(41), Reform::destroyed(d(2025, 11, 3)))
        .unwrap();
    m.open_campaign("REC-HDV-2026", "HDV", d(2026, 3, 2))
        .unwrap();
    let room = |i: usize| match i {
        1..=14 => "R1",
        15..=27 => "R2",
        _ => "R3",
    };
    // 38 of the 40 found where expected (5 in R1 and 30 in R3 are not)
    for i in (1..=40).filter(|&i| i != 5 && i != 30) {
        m.record_scan("REC-HDV-2026", &number(i), room(i), d(2026, 3, 3))
            .unwrap();
    }
    // a label nobody registered, found in R2 (lower case from the scanner)
    m.record_scan("REC-HDV-2026", "inconnu-0001", "R2", d(2026, 3, 4))
        .unwrap();
    let r = m.campaign_report("REC-HDV-2026").unwrap();
    assert_eq!(
        (r.expected, r.found, r.missing, r.misplaced, r.unexpected),
        (40, 38, 2, 0, 1)
    );
    let with = |f: Finding| -> Vec<&str> {
        r.lines
            .iter()
            .filter(|l| l.finding == f)
            .map(|l| l.number.as_str())
            .collect()
    };
    assert_eq!(with(Finding::Missing), [number(5), number(30)]);
    assert_eq!(with(Finding::Unexpected), ["INCONNU-0001"]);
    assert!(with(Finding::Misplaced).is_empty());
    assert!(!r.lines.iter().any(|l| l.number == number(41)));
    let unexpected = r
        .lines
        .iter()
        .find(|l| l.finding == Finding::Unexpected)
        .unwrap();
    assert_eq!(unexpected.item, None);
    assert_eq!(unexpected.found_room, Some(m.asset_id("R2").unwrap()));
    assert_eq!(unexpected.scanned, Some(d(2026, 3, 4)));
    // per room: R1 14 expected (1 missing), R2 13 (+1 unexpected), R3 13 (1 missing)
    let rooms: Vec<(&str, u32, u32, u32, u32, u32)> = r
        .rooms
        .iter()
        .map(|c| {
            (
                m.asset_code(c.room),
                c.expected,
                c.found,
                c.missing,
                c.misplaced,
                c.unexpected,
            )
        })
        .collect();
    assert_eq!(
        rooms,
        [
            ("R1", 14, 13, 1, 0, 0),
            ("R2", 13, 13, 0, 0, 1),
            ("R3", 13, 12, 1, 0, 0)
        ]
    );
    // closing without applying moves nothing; the report stays
    let before = m.furniture().to_vec();
    m.close_campaign("REC-HDV-2026", d(2026, 3, 6), false)
        .unwrap();
    assert_eq!(m.furniture(), &before[..]);
    let closed = m.campaign_report("REC-HDV-2026").unwrap();
    assert_eq!(closed.lines, r.lines);
    assert_eq!(closed.closed, Some(d(2026, 3, 6)));
}

#[test]
fn misplaced_items_are_reported_and_moved_when_the_findings_are_applied() {
    let mut m = seed();
    m.open_campaign("REC", "SITE-HDV", d(2026, 3, 2)).unwrap();
    m.record_scan("REC", &number(1), "R2", d(2026, 3, 3))
        .unwrap();
    // scanned twice: the last scan counts
    m.record_scan("REC", &number(2), "R3", d(2026, 3, 3))
        .unwrap();
    m.record_scan("REC", &number(2), "R1", d(2026, 3, 4))
        .unwrap();
    // an item of the floor itself (not a room)
    m.record_scan("REC", &number(3), "HDV-1", d(2026, 3, 4))
        .unwrap();
    let r = m.campaign_report("REC").unwrap();
    assert_eq!(
        (r.expected, r.found, r.missing, r.misplaced, r.unexpected),
        (41, 1, 38, 2, 0)
    );
    let line = |n: usize| r.lines.iter().find(|l| l.number == number(n)).unwrap();
    assert_eq!(line(1).finding, Finding::Misplaced);
    assert_eq!(line(1).expected_room, Some(m.asset_id("R1").unwrap()));
    assert_eq!(line(1).found_room, Some(m.asset_id("R2").unwrap()));
    assert_eq!(line(2).finding, Finding::Found);
    assert_eq!(line(3).finding, Finding::Misplaced);
    // R2 counts the item found there, R1 its absence from R1 is not "missing"
    let r2 = r
        .rooms
        .iter()
        .find(|c| c.room == m.asset_id("R2").unwrap())
        .unwrap();
    assert_eq!((r2.expected, r2.misplaced), (13, 1));
    m.close_campaign("REC", d(2026, 3, 6), true).unwrap();
    assert!(m.campaign("REC").unwrap().applied);
    let i1 = m.furniture_item(&number(1)).unwrap();
    assert_eq!(i1.location, m.asset_id("R2").unwrap());
    assert_eq!(
        m.asset("MOB-0001").unwrap().parent,
        Some(m.asset_id("R2").unwrap())
    );
    let moves = m.furniture_moves(&number(1)).unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].kind, MoveKind::Inventory);
    assert_eq!(moves[0].date, d(2026, 3, 6));
    assert_eq!(
        m.furniture_location_on(&number(1), d(2026, 3, 5)).unwrap(),
        Some(m.asset_id("R1").unwrap())
    );
    // the report is judged on the opening date: unchanged by the moves
    assert_eq!(m.campaign_report("REC").unwrap().lines, r.lines);
    // a closed campaign takes no more scans
    let before = m.to_json();
    assert_eq!(
        m.record_scan("REC", &number(4), "R1", d(2026, 3, 7)),
        Err(Error::CampaignClosed {
            campaign: "REC".into(),
            closed: d(2026, 3, 6)
        })
    );
    assert_eq!(m.to_json(), before);
    // the replayed journal applies the findings again
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
}

#[test]
fn moves_between_rooms_and_collectivites() {
    let mut m = seed();
    let n = number(1);
    m.move_furniture(&n, "R2", d(2024, 9, 1)).unwrap();
    m.move_furniture(&n, "DEPOT", d(2025, 1, 15)).unwrap();
    m.set_furniture_status(&n, FurnitureStatus::InStore, d(2025, 1, 15))
        .unwrap();
    let ids = m.clone(); // asset ids do not change
    let id = |c: &str| ids.asset_id(c).unwrap();
    assert_eq!(
        m.furniture_location_on(&n, d(2024, 8, 31)).unwrap(),
        Some(id("R1"))
    );
    assert_eq!(
        m.furniture_location_on(&n, d(2024, 9, 1)).unwrap(),
        Some(id("R2"))
    );
    assert_eq!(
        m.furniture_location_on(&n, d(2019, 1, 1)).unwrap(),
        None,
        "before commissioning"
    );
    assert_eq!(m.asset("MOB-0001").unwrap().parent, Some(id("DEPOT")));
    let hist: Vec<_> = m
        .furniture_moves(&n)
        .unwrap()
        .iter()
        .map(|x| (x.date, x.from, x.to, x.kind))
        .collect();
    assert_eq!(
        hist,
        [
            (d(2024, 9, 1), id("R1"), id("R2"), MoveKind::Move),
            (d(2025, 1, 15), id("R2"), id("DEPOT"), MoveKind::Move)
        ]
    );
    assert_eq!(
        m.furniture_in("HDV", d(2025, 6, 1)).unwrap().len(),
        40,
        "item 1 left for the depot"
    );
    // to another tenant: a plain move is refused, a transfer or a loan is chosen
    let before = m.to_json();
    assert!(matches!(
        m.move_furniture(&number(2), "SIEGE-1", d(2026, 2, 1)),
        Err(Error::CrossTenantMove { .. })
    ));
    assert_eq!(m.to_json(), before);
    m.transfer_furniture(&number(2), "SIEGE-1", d(2026, 2, 1))
        .unwrap();
    let agglo = m.tenant_id("AGGLO").unwrap();
    let roanne = m.tenant_id("ROANNE").unwrap();
    assert_eq!(m.owner_on("MOB-0002", d(2026, 1, 31)).unwrap(), roanne);
    assert_eq!(m.owner_on("MOB-0002", d(2026, 2, 1)).unwrap(), agglo);
    assert_eq!(m.ownership_history("MOB-0002").unwrap().len(), 1);
    assert_eq!(
        m.furniture_moves(&number(2)).unwrap()[0].kind,
        MoveKind::Transfer
    );
    // the new owner moves it within its own premises
    m.move_furniture(&number(2), "SIEGE", d(2026, 2, 2))
        .unwrap();
    // a loan: the owner stays ROANNE
    m.lend_furniture(&number(3), "SIEGE-1", d(2026, 3, 1), Some(d(2026, 6, 30)))
        .unwrap();
    assert_eq!(m.owner_on("MOB-0003", d(2026, 4, 1)).unwrap(), roanne);
    let loan = m.furniture_item(&number(3)).unwrap().loan.unwrap();
    assert_eq!(
        (loan.borrower, loan.from, loan.until, loan.returned),
        (agglo, d(2026, 3, 1), Some(d(2026, 6, 30)), None)
    );
    // the borrower moves it within its premises; a second loan is refused
    m.move_furniture(&number(3), "SIEGE", d(2026, 3, 10))
        .unwrap();
    assert!(matches!(
        m.lend_furniture(&number(3), "SIEGE-1", d(2026, 3, 11), None),
        Err(Error::CrossTenantMove { .. })
    ));
    // a return goes to the owner's premises
    assert!(matches!(
        m.return_furniture(&number(3), "SIEGE-1", d(2026, 6, 30)),
        Err(Error::CrossTenantMove { .. })
    ));
    m.return_furniture(&number(3), "R1", d(2026, 6, 30))
        .unwrap();
    let i3 = m.furniture_item(&number(3)).unwrap();
    assert_eq!(i3.loan, None);
    assert_eq!(i3.location, id("R1"));
    assert_eq!(
        m.furniture_loans_of(&number(3)).unwrap()[0].returned,
        Some(d(2026, 6, 30))
    );
    assert_eq!(m.furniture_loans().len(), 1);
    // a loan to its owner's own premises, a transfer to them: refused
    assert!(matches!(
        m.lend_furniture(&number(4), "R2", d(2026, 3, 1), None),
        Err(Error::CrossTenantMove { .. })
    ));
    assert!(matches!(
        m.transfer_furniture(&number(4), "R2", d(2026, 3, 1)),
        Err(Error::CrossTenantMove { .. })
    ));
    // condition, status history
    m.set_furniture_condition(&number(4), Condition::Worn, d(2026, 1, 1))
        .unwrap();
    assert_eq!(
        m.furniture_condition_history(&number(4)).unwrap(),
        &[(d(2026, 1, 1), Condition::Worn)]
    );
    assert_eq!(
        m.furniture_status_history(&n).unwrap(),
        &[(d(2025, 1, 15), FurnitureStatus::InStore)]
    );
    // sold, given
    m.reform_furniture(&number(5), Reform::sold(d(2026, 5, 1), dec!(20.00)))
        .unwrap();
    m.reform_furniture(&number(6), Reform::given(d(2026, 5, 1), "Emmaüs Roanne"))
        .unwrap();
    let i6 = m.furniture_item(&number(6)).unwrap();
    assert_eq!(i6.status, FurnitureStatus::Reformed);
    assert_eq!(i6.reform.as_ref().unwrap().outcome, ReformOutcome::Given);
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
}

#[test]
fn refusals_are_typed_and_change_nothing() {
    let mut m = seed();
    m.reform_furniture(&number(41), Reform::destroyed(d(2025, 11, 3)))
        .unwrap();
    m.open_campaign("REC", "HDV", d(2026, 3, 2)).unwrap();
    m.open_campaign("OLD", "HDV", d(2025, 3, 2)).unwrap();
    m.close_campaign("OLD", d(2025, 3, 9), false).unwrap();
    m.add_asset(NewAsset::new(
        "MOB-X",
        "Mobilier",
        AssetKind::Furniture,
        "ROANNE",
        d(2020, 1, 6),
    ))
    .unwrap();
    let before = m.to_json();
    let journal = m.journal().len();
    let check = |m: &mut Mutualis, r: mutualis::Result<()>, kind: &str| {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        assert_eq!(m.to_json(), before, "{kind}");
        assert_eq!(m.journal().len(), journal);
    };
    let r = m.move_furniture("ROANNE-MOB-9999", "R2", d(2026, 1, 1));
    check(&mut m, r, "unknown_inventory_number");
    let r = m.register_furniture(NewFurniture::new("MOB-X", &number(1), "chair", "R1"));
    check(&mut m, r, "duplicate_inventory_number");
    let r = m.register_furniture(NewFurniture::new("MOB-X", "X 1", "chair", "R1"));
    check(&mut m, r, "invalid_field");
    let r = m.register_furniture(NewFurniture::new("CHAUDIERE", "X-1", "chair", "R1"));
    check(&mut m, r, "not_furniture");
    let r = m.register_furniture(NewFurniture::new("MOB-0001", "X-1", "chair", "R1"));
    check(&mut m, r, "not_furniture");
    let r = m.register_furniture(NewFurniture::new("MOB-X", "X-1", "chair", "CHAUDIERE"));
    check(&mut m, r, "not_a_location");
    let r = m.move_furniture(&number(1), "CHAUDIERE", d(2026, 1, 1));
    assert_eq!(
        r,
        Err(Error::NotALocation {
            asset: "CHAUDIERE".into(),
            kind: "equipment",
            expected: "a room, floor, building or site"
        })
    );
    check(&mut m, r, "not_a_location");
    let r = m.move_furniture(&number(1), "MOB-0002", d(2026, 1, 1));
    check(&mut m, r, "not_a_location");
    let r = m.move_furniture(&number(41), "R1", d(2026, 1, 1));
    check(&mut m, r, "item_reformed");
    let r = m.lend_furniture(&number(41), "SIEGE-1", d(2026, 1, 1), None);
    check(&mut m, r, "item_reformed");
    let r = m.reform_furniture(&number(41), Reform::destroyed(d(2026, 1, 1)));
    check(&mut m, r, "item_reformed");
    let r = m.record_scan("OLD", &number(1), "R1", d(2025, 3, 10));
    check(&mut m, r, "campaign_closed");
    let r = m.close_campaign("OLD", d(2025, 3, 10), false);
    check(&mut m, r, "campaign_closed");
    let r = m.record_scan("REC", &number(1), "SIEGE-1", d(2026, 3, 3));
    check(&mut m, r, "outside_campaign");
    let r = m.record_scan("REC", &number(1), "DEPOT", d(2026, 3, 3));
    check(&mut m, r, "outside_campaign");
    let r = m.record_scan("REC", &number(1), "CHAUDIERE", d(2026, 3, 3));
    check(&mut m, r, "not_a_location");
    let r = m.record_scan("REC", &number(1), "R1", d(2026, 3, 1));
    check(&mut m, r, "dates_out_of_order");
    let r = m.reform_furniture(&number(1), Reform::destroyed(d(2019, 12, 31)));
    assert_eq!(
        r,
        Err(Error::ReformBeforePurchase {
            number: number(1),
            date: d(2019, 12, 31),
            purchase: d(2020, 1, 6)
        })
    );
    check(&mut m, r, "reform_before_purchase");
    let mut no_price = Reform::sold(d(2026, 1, 1), dec!(1));
    no_price.price = None;
    let r = m.reform_furniture(&number(1), no_price);
    check(&mut m, r, "invalid_field");
    let r = m.reform_furniture(&number(1), Reform::sold(d(2026, 1, 1), dec!(-1)));
    check(&mut m, r, "negative_amount");
    let r = m.move_furniture(&number(1), "SIEGE-1", d(2026, 1, 1));
    check(&mut m, r, "cross_tenant_move");
    let r = m.open_campaign("REC", "HDV", d(2026, 3, 2));
    check(&mut m, r, "duplicate_campaign");
    let r = m.open_campaign("R", "R1", d(2026, 3, 2));
    check(&mut m, r, "not_a_location");
    let r = m.record_scan("NONE", &number(1), "R1", d(2026, 3, 3));
    check(&mut m, r, "unknown_campaign");
    let r = m.move_furniture(&number(1), "R1", d(2026, 1, 1));
    check(&mut m, r, "invalid_field"); // already there
    m.move_furniture(&number(1), "R2", d(2026, 1, 1)).unwrap();
    let before = m.to_json();
    let r = m.move_furniture(&number(1), "R3", d(2025, 12, 31));
    assert_eq!(r.unwrap_err().kind(), "invalid_field"); // before its last move
    assert_eq!(m.to_json(), before);
}

/// Every furniture command once (transfer, loan and return, campaign
/// applied).
fn full() -> Mutualis {
    let mut m = seed();
    m.move_furniture(&number(1), "R2", d(2024, 9, 1)).unwrap();
    m.set_furniture_status(&number(1), FurnitureStatus::InStore, d(2024, 10, 1))
        .unwrap();
    m.move_furniture(&number(1), "DEPOT", d(2025, 1, 15))
        .unwrap();
    m.set_furniture_condition(&number(1), Condition::Worn, d(2025, 2, 1))
        .unwrap();
    m.transfer_furniture(&number(2), "SIEGE-1", d(2026, 2, 1))
        .unwrap();
    m.lend_furniture(&number(3), "SIEGE-1", d(2025, 3, 1), Some(d(2025, 6, 30)))
        .unwrap();
    m.lend_furniture(&number(4), "SIEGE-1", d(2025, 2, 1), None)
        .unwrap();
    m.return_furniture(&number(3), "R1", d(2025, 7, 1)).unwrap();
    m.lend_furniture(&number(3), "SIEGE", d(2025, 9, 1), None)
        .unwrap();
    m.reform_furniture(&number(41), Reform::sold(d(2025, 11, 3), dec!(35.00)))
        .unwrap();
    m.reform_furniture(&number(40), Reform::given(d(2025, 11, 3), "Emmaüs"))
        .unwrap();
    m.open_campaign("REC", "HDV", d(2026, 3, 2)).unwrap();
    m.record_scan("REC", &number(5), "R2", d(2026, 3, 3))
        .unwrap();
    m.record_scan("REC", &number(6), "R1", d(2026, 3, 3))
        .unwrap();
    m.record_scan("REC", "INCONNU-1", "R1", d(2026, 3, 3))
        .unwrap();
    m.close_campaign("REC", d(2026, 3, 6), true).unwrap();
    m.open_campaign("REC-2", "SITE-HDV", d(2026, 9, 1)).unwrap();
    m.record_scan("REC-2", &number(7), "R1", d(2026, 9, 2))
        .unwrap();
    m
}

#[test]
fn the_inventory_round_trips_through_json_and_the_journal() {
    let m = full();
    let json = m.to_json();
    for section in [
        "\"furniture\"",
        "\"furniture_moves\"",
        "\"furniture_statuses\"",
        "\"furniture_conditions\"",
        "\"furniture_reforms\"",
        "\"inventory_campaigns\"",
        "\"inventory_scans\"",
    ] {
        assert!(json.contains(section), "{section}");
    }
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    assert_eq!(
        back.campaign_report("REC").unwrap(),
        m.campaign_report("REC").unwrap()
    );
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    // a dataset without the furniture sections still opens
    assert!(Mutualis::from_json(&Mutualis::new().to_json()).is_ok());
}

/// The furniture's state, for comparisons.
fn view(m: &Mutualis) -> String {
    let mut out = format!("{:?}\n{:?}\n", m.furniture(), m.campaigns());
    for i in m.furniture() {
        out += &format!(
            "{:?}{:?}{:?}{:?}\n",
            m.furniture_moves(&i.number).unwrap(),
            m.furniture_status_history(&i.number).unwrap(),
            m.furniture_condition_history(&i.number).unwrap(),
            m.furniture_loans_of(&i.number).unwrap()
        );
    }
    for c in m.campaigns() {
        out += &format!("{:?}\n", m.campaign_scans(&c.code).unwrap());
    }
    out
}

/// Each furniture event is undone when the unit of work that ran it fails.
#[test]
fn each_furniture_event_is_undone_by_a_failing_unit_of_work() {
    let m = full();
    let kind = |e: &mutualis::Event| {
        serde_json::to_value(e).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let start = m
        .journal()
        .iter()
        .position(|e| kind(&e.event) == "furniture_registered")
        .unwrap();
    let entries = &m.journal()[start..];
    let mut r = Mutualis::replay(&m.journal()[..start]).unwrap();
    let everything: Vec<String> = mutualis::access::Area::ALL
        .iter()
        .map(|a| format!("{a}:write"))
        .collect();
    r.add_role("ALL", "Tout", &everything).unwrap();
    r.add_principal(NewPrincipal {
        code: "inventaire".into(),
        name: "Inventaire".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("ROANNE".into()),
        supplier: None,
    })
    .unwrap();
    r.grant(
        "inventaire",
        "ALL",
        &ScopeRef::Group,
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for e in entries {
        let before = r.clone();
        let n = r.journal().len();
        let res = r.as_principal_mut("inventaire").unwrap().execute(|m| {
            m.apply(e.event.clone())?;
            Err::<(), _>(Error::InvalidField {
                field: "test",
                reason: "the batch fails after the event".into(),
            })
        });
        assert_eq!(res.unwrap_err().kind(), "invalid_field", "{:?}", e.event);
        assert_eq!(r, before, "{:?}", e.event);
        assert_eq!(view(&r), view(&before), "{:?}", e.event);
        assert_eq!(r.journal().len(), n);
        r.apply(e.event.clone()).unwrap();
        kinds.insert(kind(&e.event));
    }
    assert_eq!(view(&r), view(&m));
    for k in [
        "furniture_registered",
        "furniture_moved",
        "furniture_transferred",
        "furniture_lent",
        "furniture_returned",
        "furniture_status_set",
        "furniture_condition_set",
        "furniture_reformed",
        "inventory_campaign_opened",
        "inventory_scanned",
        "inventory_campaign_closed",
    ] {
        assert!(kinds.contains(k), "{k}: {kinds:?}");
    }
}

#[test]
fn principals_read_the_furniture_they_see() {
    let mut m = full();
    m.add_role("LECTEUR", "Lecture patrimoine", &["assets:read"])
        .unwrap();
    for (code, tenant) in [("agent.roanne", "ROANNE"), ("agent.agglo", "AGGLO")] {
        m.add_principal(NewPrincipal {
            code: code.into(),
            name: code.into(),
            kind: PrincipalKind::Agent,
            tenant: Some(tenant.into()),
            supplier: None,
        })
        .unwrap();
        m.grant(
            code,
            "LECTEUR",
            &ScopeRef::Tenant {
                tenant: tenant.into(),
            },
            Period::starting(d(2000, 1, 1)),
        )
        .unwrap();
    }
    let roanne = m.as_principal("agent.roanne").unwrap();
    let agglo = m.as_principal("agent.agglo").unwrap();
    // item 2 was transferred to AGGLO: it is AGGLO's, not ROANNE's
    assert_eq!(roanne.furniture().len(), 40);
    assert_eq!(agglo.furniture().len(), 1);
    assert!(roanne.furniture_item(&number(1)).is_ok());
    assert_eq!(
        roanne.furniture_item(&number(2)).unwrap_err().kind(),
        "forbidden"
    );
    assert!(agglo.furniture_moves(&number(2)).is_ok());
    assert_eq!(
        agglo.furniture_moves(&number(1)).unwrap_err().kind(),
        "forbidden"
    );
    assert_eq!(
        roanne.campaign_report("REC").unwrap(),
        m.campaign_report("REC").unwrap()
    );
    assert_eq!(
        agglo.campaign_report("REC").unwrap_err().kind(),
        "forbidden"
    );
    assert_eq!(agglo.campaign_scans("REC").unwrap_err().kind(), "forbidden");
    assert_eq!(roanne.campaigns().len(), 2);
    assert!(agglo.campaigns().is_empty());
    assert_eq!(roanne.furniture_loans().len(), 3);
    assert_eq!(
        agglo.furniture_in("HDV", d(2026, 1, 1)).unwrap_err().kind(),
        "forbidden"
    );
    // on 2026-01-01 item 2 was still in R1, but the reader judges on its
    // clock's date (2026-04-01), when item 2 is AGGLO's
    assert_eq!(m.furniture_in("HDV", d(2026, 1, 1)).unwrap().len(), 36);
    assert_eq!(roanne.furniture_in("HDV", d(2026, 1, 1)).unwrap().len(), 35);
    // a write outside one's grants is refused, nothing changes
    m.add_role("GESTION", "Gestion patrimoine", &["assets:write"])
        .unwrap();
    m.grant(
        "agent.agglo",
        "GESTION",
        &ScopeRef::Tenant {
            tenant: "AGGLO".into(),
        },
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let before = m.to_json();
    let r = m
        .as_principal_mut("agent.agglo")
        .unwrap()
        .execute(|m| m.move_furniture(&number(8), "R2", d(2026, 10, 1)));
    assert_eq!(r.unwrap_err().kind(), "forbidden");
    assert_eq!(m.to_json(), before);
    m.as_principal_mut("agent.agglo")
        .unwrap()
        .execute(|m| m.move_furniture(&number(2), "SIEGE", d(2026, 10, 1)))
        .unwrap();
    // a transfer is judged as a transfer of ownership: on the tenant giving
    // the item (the day before), so ROANNE's manager may give one to AGGLO
    m.grant(
        "agent.roanne",
        "GESTION",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let r = m
        .as_principal_mut("agent.agglo")
        .unwrap()
        .execute(|m| m.transfer_furniture(&number(9), "SIEGE-1", d(2026, 10, 1)));
    assert_eq!(r.unwrap_err().kind(), "forbidden");
    m.as_principal_mut("agent.roanne")
        .unwrap()
        .execute(|m| m.transfer_furniture(&number(9), "SIEGE-1", d(2026, 10, 1)))
        .unwrap();
    assert_eq!(
        m.tenant_code(m.owner_on("MOB-0009", d(2026, 10, 1)).unwrap()),
        "AGGLO"
    );
}
