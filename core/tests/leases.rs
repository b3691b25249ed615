//! Locatif (issue 14): the hand-worked cases of the acceptance,
//! refusals that change nothing, the dataset round trip, undo of each
//! event kind and the exact split of charges.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mutualis::leases::{
    AidSource, ChargeCategory, DeadlineKind, LeaseKind, LeaseSide, NewCharges, NewLease, NewParty,
    PartyKind, Quarter, RentPeriodicity, RentTerm, RollBy,
};
use mutualis::{
    AssetKind, ChargeBasis, CostInput, LineDirection, Mutualis, NewAsset, NewTenant, NewWorkOrder,
    OverrunPolicy, Period, TenantKind, WorkOrderStatus,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

/// AGGLO and ROANNE; a building of 500 m² with three rooms, a shop, a
/// club house; parties of each kind; ILC and ICC values; a régie team.
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
    let asset = |code: &str, kind| NewAsset::new(code, code, kind, "ROANNE", d(1990, 1, 1));
    m.add_asset(asset("HOTEL-ENT", AssetKind::Building).with_floor_area(dec!(500)))
        .unwrap();
    for r in ["R1", "R2", "R3"] {
        m.add_asset(asset(r, AssetKind::Room).under("HOTEL-ENT"))
            .unwrap();
    }
    m.add_asset(asset("SHOP", AssetKind::Building)).unwrap();
    m.add_asset(asset("CLUB", AssetKind::Building)).unwrap();
    m.add_party(
        NewParty::new("BOULANGERIE", "Boulangerie du centre", PartyKind::Company)
            .identified_by("73282932000074"),
    )
    .unwrap();
    m.add_party(
        NewParty::new("FOOT", "Football club roannais", PartyKind::Association)
            .identified_by("W423001234"),
    )
    .unwrap();
    m.add_party(NewParty::new("DUPONT", "Mme Dupont", PartyKind::Person))
        .unwrap();
    m.add_party(
        NewParty::new("P-AGGLO", "Roannais Agglomération", PartyKind::Collectivite)
            .identified_by("AGGLO"),
    )
    .unwrap();
    m.set_index_value("ILC", q("2024-Q3"), dec!(131.67))
        .unwrap();
    m.set_index_value("ILC", q("2025-Q3"), dec!(137.21))
        .unwrap();
    m.set_index_value("ICC", q("2024-Q2"), dec!(130.00))
        .unwrap();
    m.set_index_value("ICC", q("2025-Q2"), dec!(133.90))
        .unwrap();
    m.add_team("REGIE", "ROANNE", "Régie bâtiments", None)
        .unwrap();
    m.set_labour_rate("ROANNE", 2026, None, None, dec!(40))
        .unwrap();
    m
}

fn commercial() -> NewLease {
    NewLease::new(
        "BC-SHOP",
        "SHOP",
        "ROANNE",
        "BOULANGERIE",
        LeaseKind::Commercial,
        d(2025, 1, 1),
        dec!(9876.54),
    )
    .indexed("ILC", q("2024-Q3"))
}

#[test]
fn a_commercial_rent_indexed_on_the_ilc() {
    let mut m = seed();
    m.add_lease(commercial()).unwrap();
    let r = m
        .revise_rent("BC-SHOP", d(2026, 1, 1), q("2025-Q3"))
        .unwrap();
    // 9 876.54 × 137.21 / 131.67 = 10 292.0901… → 10 292.09
    assert_eq!(r.new_rent, dec!(10292.09));
    assert_eq!(r.old_rent, dec!(9876.54));
    assert_eq!(r.variation, dec!(0.0421));
    assert!(!r.warning);
    assert_eq!(
        m.rent_on("BC-SHOP", d(2025, 12, 31)).unwrap(),
        dec!(9876.54)
    );
    assert_eq!(m.rent_on("BC-SHOP", d(2026, 1, 1)).unwrap(), dec!(10292.09));
    // the yearly call of 2026 carries the revised rent
    let calls = m
        .rent_calls("BC-SHOP", d(2026, 1, 1), d(2026, 12, 31))
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].rent, dec!(10292.09));
}

#[test]
fn a_rent_indexed_on_the_icc() {
    let mut m = seed();
    m.add_lease(
        NewLease::new(
            "BP-R1",
            "R1",
            "ROANNE",
            "DUPONT",
            LeaseKind::Professional,
            d(2025, 7, 1),
            dec!(12000.00),
        )
        .indexed("ICC", q("2024-Q2")),
    )
    .unwrap();
    let r = m.revise_rent("BP-R1", d(2026, 7, 1), q("2025-Q2")).unwrap();
    // 12 000.00 × 133.90 / 130.00 = 12 360.00
    assert_eq!(r.new_rent, dec!(12360.00));
    assert_eq!(r.variation, dec!(0.03));
}

#[test]
fn a_variation_over_25_percent_is_flagged_and_no_floor_applies() {
    let mut m = seed();
    m.set_index_value("IRL", q("2024-Q1"), dec!(100)).unwrap();
    m.set_index_value("IRL", q("2025-Q1"), dec!(126)).unwrap();
    m.set_index_value("IRL", q("2026-Q1"), dec!(90)).unwrap();
    m.add_lease(
        NewLease::new(
            "H-1",
            "R2",
            "ROANNE",
            "DUPONT",
            LeaseKind::Residential,
            d(2024, 6, 1),
            dec!(500.00),
        )
        .paying(dec!(500.00), RentPeriodicity::Monthly, RentTerm::Advance)
        .indexed("IRL", q("2024-Q1")),
    )
    .unwrap();
    let up = m.revise_rent("H-1", d(2025, 6, 1), q("2025-Q1")).unwrap();
    assert_eq!(up.new_rent, dec!(630.00));
    assert!(up.warning);
    // the index fell: the rent follows it down (no upward-only clause)
    let down = m.revise_rent("H-1", d(2026, 6, 1), q("2026-Q1")).unwrap();
    assert_eq!(down.from_quarter, q("2025-Q1"));
    // 630 × 90 / 126 = 450
    assert_eq!(down.new_rent, dec!(450.00));
    assert!(down.warning);
}

#[test]
fn a_first_monthly_call_is_pro_rata_on_actual_days() {
    let mut m = seed();
    m.add_lease(
        NewLease::new(
            "H-2",
            "R3",
            "ROANNE",
            "DUPONT",
            LeaseKind::Residential,
            d(2026, 3, 10),
            dec!(620.00),
        )
        .paying(dec!(620.00), RentPeriodicity::Monthly, RentTerm::Advance),
    )
    .unwrap();
    let calls = m.rent_calls("H-2", d(2026, 3, 1), d(2026, 5, 31)).unwrap();
    assert_eq!(calls.len(), 3);
    // 10 to 31 March: 22 days of 31 → 620 × 22 / 31 = 440.00
    assert_eq!(
        (calls[0].from, calls[0].to),
        (d(2026, 3, 10), d(2026, 3, 31))
    );
    assert_eq!((calls[0].days, calls[0].period_days), (22, 31));
    assert_eq!(calls[0].rent, dec!(440.00));
    assert_eq!(calls[0].due, d(2026, 3, 10));
    assert_eq!(calls[1].rent, dec!(620.00));
    assert_eq!(calls[1].due, d(2026, 4, 1));
    assert_eq!(calls[1].side, LeaseSide::Lessor);
    // a quarterly call in arrears, first quarter partial: 15 Feb–31 Mar is
    // 45 days of Q1 2026's 90 → 3 000 × 45 / 90 = 1 500.00, due 31 March
    m.add_lease(
        NewLease::new(
            "BC-2",
            "R2",
            "ROANNE",
            "BOULANGERIE",
            LeaseKind::Commercial,
            d(2026, 2, 15),
            dec!(3000),
        )
        .paying(dec!(3000.00), RentPeriodicity::Quarterly, RentTerm::Arrears),
    )
    .unwrap();
    let c = m.rent_calls("BC-2", d(2026, 1, 1), d(2026, 3, 31)).unwrap();
    assert_eq!(
        (c[0].days, c[0].period_days, c[0].rent),
        (45, 90, dec!(1500.00))
    );
    assert_eq!(c[0].due, d(2026, 3, 31));
}

#[test]
fn receipts_and_arrears() {
    let mut m = seed();
    m.add_lease(
        NewLease::new(
            "H-2",
            "R3",
            "ROANNE",
            "DUPONT",
            LeaseKind::Residential,
            d(2026, 3, 10),
            dec!(620.00),
        )
        .paying(dec!(620.00), RentPeriodicity::Monthly, RentTerm::Advance),
    )
    .unwrap();
    m.record_rent_receipt("H-2", d(2026, 3, 12), dec!(440.00), Some("T-1"))
        .unwrap();
    m.record_rent_receipt("H-2", d(2026, 4, 5), dec!(300.00), None)
        .unwrap();
    let a = m.arrears_of("H-2", d(2026, 5, 15)).unwrap().unwrap();
    // called 440 + 620 + 620 = 1 680; received 740
    assert_eq!(a.called, dec!(1680.00));
    assert_eq!(a.received, dec!(740.00));
    assert_eq!(a.balance, dec!(940.00));
    assert_eq!(a.oldest_due, d(2026, 4, 1));
    assert_eq!(m.lease_arrears(d(2026, 5, 15)).len(), 1);
    assert!(m.arrears_of("H-2", d(2026, 3, 31)).unwrap().is_none());
}

/// Three occupants of the 500 m² building, charges split by surface ×
/// days, the vacant part the lessor's, and regularised against provisions.
#[test]
fn charges_regularisation_over_three_occupants_sums_to_the_cent() {
    let mut m = seed();
    let room = |code: &str, asset: &str, party: &str, m2: Decimal, provision: Decimal| {
        let mut l = NewLease::new(
            code,
            asset,
            "ROANNE",
            party,
            LeaseKind::Professional,
            d(2025, 1, 1),
            dec!(300),
        )
        .paying(dec!(300.00), RentPeriodicity::Monthly, RentTerm::Advance)
        .with_surface(m2);
        l.charges_provision = provision;
        l
    };
    m.add_lease(room("L-A", "R1", "DUPONT", dec!(100), dec!(50.00)))
        .unwrap();
    m.add_lease(room("L-B", "R2", "BOULANGERIE", dec!(150), dec!(80.00)))
        .unwrap();
    m.add_lease(room("L-C", "R3", "FOOT", dec!(250), dec!(100.00)))
        .unwrap();
    for (cat, amount) in [
        (ChargeCategory::Energy, dec!(7000.00)),
        (ChargeCategory::Cleaning, dec!(3000.01)),
    ] {
        m.record_charges(NewCharges {
            building: "HOTEL-ENT".into(),
            year: 2026,
            category: cat,
            amount,
            key: None,
        })
        .unwrap();
    }
    let rows = m.charges_regularisation("HOTEL-ENT", 2026).unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    // 10 000.01 by 100/150/250 m²: 2 000.00, 3 000.00, 5 000.01 (7 000 →
    // 1 400/2 100/3 500; 3 000.01 → 600.00/900.00/1 500.01, the cent to
    // the largest remainder, L-C)
    let shares: Vec<Decimal> = rows.iter().map(|r| r.share).collect();
    assert_eq!(shares, [dec!(2000.00), dec!(3000.00), dec!(5000.01)]);
    assert_eq!(shares.iter().sum::<Decimal>(), dec!(10000.01));
    // provisions called over the year: 12 × 50, 12 × 80, 12 × 100
    assert_eq!(rows[0].provisions, dec!(600.00));
    assert_eq!(rows[0].balance, dec!(1400.00));
    assert_eq!(rows[2].provisions, dec!(1200.00));
    assert_eq!(rows[2].balance, dec!(3800.01));
    assert_eq!(rows[2].party.as_deref(), Some("FOOT"));

    // by a key instead, and with a room let for half the year the vacant
    // part appears by surface
    let mut k = seed();
    k.add_lease(room("L-A", "R1", "DUPONT", dec!(100), dec!(0)))
        .unwrap();
    k.add_lease(room("L-B", "R2", "BOULANGERIE", dec!(150), dec!(0)).ending(d(2026, 6, 30)))
        .unwrap();
    k.record_charges(NewCharges {
        building: "HOTEL-ENT".into(),
        year: 2026,
        category: ChargeCategory::Maintenance,
        amount: dec!(0.10),
        key: Some(BTreeMap::from([
            ("L-A".to_owned(), 3334),
            ("L-B".to_owned(), 6666),
        ])),
    })
    .unwrap();
    k.record_charges(NewCharges {
        building: "HOTEL-ENT".into(),
        year: 2026,
        category: ChargeCategory::Energy,
        amount: dec!(3650.00),
        key: None,
    })
    .unwrap();
    let rows = k.charges_regularisation("HOTEL-ENT", 2026).unwrap();
    let total: Decimal = rows.iter().map(|r| r.share).sum();
    assert_eq!(total, dec!(3650.10));
    assert!(
        rows.last().unwrap().lease.is_none(),
        "the vacant part comes last"
    );
    // L-A: 100 m² all year of 500 m² → 730.00 + 0.03 of the key
    assert_eq!(rows[0].share, dec!(730.03));
}

#[test]
fn in_kind_aid_flags_a_convention_above_23_000() {
    for (hours, total, flagged) in [
        (dec!(450), dec!(24000.00), true),
        (dec!(400), dec!(22000.00), false),
    ] {
        let mut m = seed();
        m.add_lease(
            NewLease::new(
                "MAD-CLUB",
                "CLUB",
                "ROANNE",
                "FOOT",
                LeaseKind::FreeOccupation,
                d(2020, 1, 1),
                dec!(0),
            )
            .with_rental_value(dec!(6000.00)),
        )
        .unwrap();
        m.create_work_order(NewWorkOrder::by_team("BT-CLUB", "Toiture", "CLUB", "REGIE"))
            .unwrap();
        m.set_work_order_status(
            "BT-CLUB",
            WorkOrderStatus::InProgress,
            chrono::DateTime::from_timestamp(1_770_000_000, 0).unwrap(),
        )
        .unwrap();
        // hours × 40.00 €/h: 18 000.00 or 16 000.00 TTC (régie labour has no VAT)
        m.record_cost("BT-CLUB", CostInput::labour(d(2026, 4, 1), hours, 1))
            .unwrap();
        // a line of 2025 is not counted in 2026
        let aid = m.in_kind_aid(2026).unwrap();
        assert_eq!(aid.len(), 1);
        let a = &aid[0];
        assert_eq!(
            (a.tenant.as_str(), a.association.as_str()),
            ("ROANNE", "FOOT")
        );
        assert_eq!(a.rna.as_deref(), Some("W423001234"));
        assert_eq!(a.waived_rent, dec!(6000.00));
        assert_eq!(a.interventions, total - dec!(6000.00));
        assert_eq!(a.total, total);
        assert_eq!(a.convention_required, flagged);
        assert_eq!(a.lines.len(), 2);
        assert_eq!(a.lines[0].source, AidSource::WaivedRent);
        assert_eq!(a.lines[1].source, AidSource::Intervention);
        assert_eq!(a.lines[1].work_order.as_deref(), Some("BT-CLUB"));
        assert_eq!(m.in_kind_aid_of("FOOT", 2026).unwrap(), aid);
    }
}

#[test]
fn a_reduced_rent_and_a_partial_year_are_waived_pro_rata() {
    let mut m = seed();
    // from 1 July 2026 (184 days of 365) at 100 €/month, rental value 7 300 €/year
    m.add_lease(
        NewLease::new(
            "MAD-R1",
            "R1",
            "ROANNE",
            "FOOT",
            LeaseKind::FreeOccupation,
            d(2026, 7, 1),
            dec!(100),
        )
        .paying(dec!(100.00), RentPeriodicity::Monthly, RentTerm::Advance)
        .with_rental_value(dec!(7300.00)),
    )
    .unwrap();
    let a = &m.in_kind_aid(2026).unwrap()[0];
    // 7 300 × 184 / 365 = 3 680.00, minus 6 × 100 called
    assert_eq!(a.waived_rent, dec!(3080.00));
    assert!(!a.convention_required);
}

#[test]
fn exclusive_contracts_cannot_overlap() {
    let mut m = seed();
    m.add_lease(commercial().ending(d(2026, 12, 31))).unwrap();
    let mut other = commercial();
    other.code = "BC-SHOP-2".into();
    other.start = d(2026, 6, 1);
    let before = m.clone();
    assert_eq!(
        m.add_lease(other.clone()).unwrap_err().kind(),
        "lease_overlap"
    );
    assert_eq!(m, before);
    // after the first one, fine
    other.start = d(2027, 1, 1);
    m.add_lease(other).unwrap();
    // two non-exclusive public-domain occupations of the same plot may overlap
    let mut a = NewLease::new(
        "COT-1",
        "CLUB",
        "ROANNE",
        "DUPONT",
        LeaseKind::PublicDomain,
        d(2026, 1, 1),
        dec!(120),
    );
    a.exclusive = false;
    let mut b = a.clone();
    b.code = "COT-2".into();
    m.add_lease(a).unwrap();
    m.add_lease(b).unwrap();
}

#[test]
fn refusals_change_nothing() {
    let mut m = seed();
    m.add_lease(commercial().ending(d(2030, 12, 31))).unwrap();
    let before = m.clone();
    let n = m.journal().len();
    let mut end_before_start = commercial();
    end_before_start.code = "X-1".into();
    end_before_start.asset = "CLUB".into();
    end_before_start.end = Some(d(2024, 12, 31));
    let mut negative = commercial();
    negative.code = "X-2".into();
    negative.asset = "CLUB".into();
    negative.rent = dec!(-1.00);
    let mut unknown_party = commercial();
    unknown_party.code = "X-3".into();
    unknown_party.asset = "CLUB".into();
    unknown_party.party = "NOBODY".into();
    let mut overlap = commercial();
    overlap.code = "X-4".into();
    let mut m2 = m.clone();
    let cases: Vec<(&str, mutualis::Error)> = vec![
        (
            "dates_out_of_order",
            m2.add_lease(end_before_start).unwrap_err(),
        ),
        ("negative_amount", m2.add_lease(negative).unwrap_err()),
        ("unknown_party", m2.add_lease(unknown_party).unwrap_err()),
        ("lease_overlap", m2.add_lease(overlap).unwrap_err()),
        (
            "missing_index_value",
            m2.revise_rent("BC-SHOP", d(2027, 1, 1), q("2026-Q3"))
                .unwrap_err(),
        ),
        (
            "unknown_lease",
            m2.revise_rent("NOPE", d(2027, 1, 1), q("2026-Q3"))
                .unwrap_err(),
        ),
        ("duplicate_lease", m2.add_lease(commercial()).unwrap_err()),
        (
            "duplicate_party",
            m2.add_party(NewParty::new("DUPONT", "Autre", PartyKind::Person))
                .unwrap_err(),
        ),
        (
            "invalid_rna",
            m2.add_party(NewParty::new("A2", "Club", PartyKind::Association).identified_by("W12"))
                .unwrap_err(),
        ),
        (
            "invalid_siret",
            m2.add_party(
                NewParty::new("C2", "Société", PartyKind::Company).identified_by("73282932000075"),
            )
            .unwrap_err(),
        ),
        (
            "unknown_tenant",
            m2.add_party(
                NewParty::new("C3", "X", PartyKind::Collectivite).identified_by("NOWHERE"),
            )
            .unwrap_err(),
        ),
        ("unknown_asset", {
            let mut l = commercial();
            l.code = "X-5".into();
            l.asset = "NOWHERE".into();
            m2.add_lease(l).unwrap_err()
        }),
        (
            "negative_amount",
            m2.record_rent_receipt("BC-SHOP", d(2026, 1, 2), dec!(-5), None)
                .unwrap_err(),
        ),
        (
            "sub_cent_amount",
            m2.record_rent_receipt("BC-SHOP", d(2026, 1, 2), dec!(5.001), None)
                .unwrap_err(),
        ),
        (
            "invalid_field",
            m2.set_index_value("ILC", q("2024-Q3"), dec!(132))
                .unwrap_err(),
        ),
        (
            "negative_amount",
            m2.record_charges(NewCharges {
                building: "HOTEL-ENT".into(),
                year: 2026,
                category: ChargeCategory::Energy,
                amount: dec!(-1),
                key: None,
            })
            .unwrap_err(),
        ),
        (
            "weights_sum_to_zero",
            m2.record_charges(NewCharges {
                building: "SHOP".into(),
                year: 2026,
                category: ChargeCategory::Energy,
                amount: dec!(10),
                key: None,
            })
            .unwrap_err(),
        ),
        (
            "dates_out_of_order",
            m2.end_lease("BC-SHOP", d(2024, 1, 1)).unwrap_err(),
        ),
        (
            "unknown_party",
            m2.in_kind_aid_of("NOBODY", 2026).unwrap_err(),
        ),
    ];
    for (kind, e) in cases {
        assert_eq!(e.kind(), kind, "{e}");
    }
    assert_eq!(m2, before);
    assert_eq!(m2.journal().len(), n);
    assert_eq!(m, before);
    assert!("2025-Q5".parse::<Quarter>().is_err());
}

/// A registry with every kind of lease event.
fn full() -> Mutualis {
    let mut m = seed();
    m.add_lease(commercial().ending(d(2033, 12, 31))).unwrap();
    m.revise_rent("BC-SHOP", d(2026, 1, 1), q("2025-Q3"))
        .unwrap();
    m.record_rent_receipt("BC-SHOP", d(2026, 1, 5), dec!(10292.09), Some("T-2026-1"))
        .unwrap();
    let mut shared = NewLease::new(
        "AGGLO-R1",
        "R1",
        "ROANNE",
        "P-AGGLO",
        LeaseKind::BetweenCollectivites,
        d(2024, 1, 1),
        dec!(1500),
    )
    .paying(dec!(1500.00), RentPeriodicity::Quarterly, RentTerm::Arrears)
    .with_surface(dec!(120.50))
    .ending(d(2026, 12, 31));
    shared.tacit_renewal = true;
    shared.charges_provision = dec!(150.00);
    m.add_lease(shared).unwrap();
    m.add_lease(
        NewLease::new(
            "MAD-CLUB",
            "CLUB",
            "ROANNE",
            "FOOT",
            LeaseKind::FreeOccupation,
            d(2020, 1, 1),
            dec!(0),
        )
        .with_rental_value(dec!(6000.00)),
    )
    .unwrap();
    m.add_lease(
        NewLease::new(
            "PRENEUR",
            "R2",
            "AGGLO",
            "DUPONT",
            LeaseKind::Residential,
            d(2025, 1, 1),
            dec!(700),
        )
        .paying(dec!(700.00), RentPeriodicity::Monthly, RentTerm::Advance)
        .as_lessee(),
    )
    .unwrap();
    m.end_lease("PRENEUR", d(2026, 8, 31)).unwrap();
    m.record_charges(NewCharges {
        building: "HOTEL-ENT".into(),
        year: 2026,
        category: ChargeCategory::Energy,
        amount: dec!(4321.09),
        key: None,
    })
    .unwrap();
    m.add_budget("ROANNE", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", None, "752", dec!(20000.00))
        .unwrap();
    m.assign_lease_budget_line("BC-SHOP", "ROANNE", "752-LOYERS")
        .unwrap();
    m
}

#[test]
fn the_leases_round_trip_through_json_and_the_journal() {
    let m = full();
    let json = m.to_json();
    assert!(json.contains("\"rent_revisions\""));
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    assert_eq!(
        back.charges_regularisation("HOTEL-ENT", 2026).unwrap(),
        m.charges_regularisation("HOTEL-ENT", 2026).unwrap()
    );
    // a dataset without the leases' sections still opens, and an empty one
    // writes none of them
    let empty = Mutualis::new().to_json();
    assert!(!empty.contains("\"leases\""));
    assert!(Mutualis::from_json(&empty).is_ok());
}

#[test]
fn dashboards() {
    let m = full();
    let on = d(2026, 6, 1);
    let roll = m.rent_roll(on);
    assert_eq!(roll.len(), 4);
    let shop = roll.iter().find(|r| r.lease == "BC-SHOP").unwrap();
    assert_eq!(shop.annual_rent, dec!(10292.09));
    let agglo = roll.iter().find(|r| r.lease == "AGGLO-R1").unwrap();
    assert_eq!(agglo.annual_rent, dec!(6000.00));
    assert_eq!(agglo.building, "HOTEL-ENT");
    let by_building = m.rent_roll_by(on, RollBy::Building, LeaseSide::Lessor);
    assert_eq!(
        by_building
            .iter()
            .map(|t| t.key.as_str())
            .collect::<Vec<_>>(),
        ["CLUB", "HOTEL-ENT", "SHOP"]
    );
    let by_kind = m.rent_roll_by(on, RollBy::Kind, LeaseSide::Lessee);
    assert_eq!(by_kind.len(), 1);
    assert_eq!(by_kind[0].annual_rent, dec!(8400.00));
    assert_eq!(
        m.rent_roll_by(on, RollBy::Tenant, LeaseSide::Lessor).len(),
        1
    );
    assert_eq!(
        m.rent_roll_by(on, RollBy::Party, LeaseSide::Lessor).len(),
        3
    );
    let occ = m.occupancy(on);
    let h = occ.iter().find(|o| o.building == "HOTEL-ENT").unwrap();
    assert_eq!(
        (h.occupied, h.vacant, h.rate),
        (dec!(120.50), Some(dec!(379.50)), Some(dec!(0.241)))
    );
    // AGGLO-R1: Q1 2026 in arrears (1 650.00 due 31 March) is unpaid
    let arrears = m.lease_arrears(on);
    let a = arrears.iter().find(|a| a.lease == "AGGLO-R1").unwrap();
    assert_eq!(a.oldest_due, d(2024, 3, 31));
    assert_eq!(a.balance, dec!(1650.00) * Decimal::from(9));
    // within 12 months of 1 June 2026: AGGLO-R1's notice (6 months before
    // its term) and renewal, PRENEUR's end, the shop's revision
    let dl = m.lease_deadlines(on, 12).unwrap();
    let kinds: Vec<(&str, DeadlineKind)> = dl.iter().map(|x| (x.lease.as_str(), x.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("AGGLO-R1", DeadlineKind::Notice),
            ("PRENEUR", DeadlineKind::End),
            ("AGGLO-R1", DeadlineKind::Renewal),
            ("BC-SHOP", DeadlineKind::Revision),
        ]
    );
    assert_eq!(dl[0].date, d(2026, 6, 30));
    assert_eq!(dl[3].date, d(2027, 1, 1));
    assert_eq!(dl[3].quarter, Some(q("2026-Q3")));
}

/// Each lease event is undone when the unit of work that ran it fails.
#[test]
fn each_lease_event_is_undone_by_a_failing_unit_of_work() {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
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
        .position(|e| kind(&e.event) == "party_added")
        .unwrap();
    let entries = &m.journal()[start..];
    let mut r = Mutualis::replay(&m.journal()[..start]).unwrap();
    let everything: Vec<String> = mutualis::access::Area::ALL
        .iter()
        .map(|a| format!("{a}:write"))
        .collect();
    r.add_role("GESTION", "Gestion locative", &everything)
        .unwrap();
    r.add_principal(NewPrincipal {
        code: "gestion".into(),
        name: "Gestion".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("ROANNE".into()),
        supplier: None,
    })
    .unwrap();
    r.grant(
        "gestion",
        "GESTION",
        &ScopeRef::Group,
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for e in entries {
        let before = r.clone();
        let n = r.journal().len();
        let res = r.as_principal_mut("gestion").unwrap().execute(|m| {
            m.apply(e.event.clone())?;
            Err::<(), _>(mutualis::Error::InvalidField {
                field: "test",
                reason: "the batch fails after the event".into(),
            })
        });
        assert_eq!(res.unwrap_err().kind(), "invalid_field", "{:?}", e.event);
        assert_eq!(r, before, "{:?}", e.event);
        assert_eq!(r.journal().len(), n);
        r.apply(e.event.clone()).unwrap();
        kinds.insert(kind(&e.event));
    }
    for k in [
        "party_added",
        "lease_added",
        "lease_ended",
        "index_value_set",
        "rent_revised",
        "rent_received",
        "charges_recorded",
        "budget_revenue_line_added",
        "budget_lease_assigned",
    ] {
        assert!(kinds.contains(k), "{k}: {kinds:?}");
    }
}

/// The hand case for the budget's credits: a revenue line of
/// 12 000.00 for 2026, a monthly rent of 1 000.00 called January to
/// December, 11 receipts → called 12 000.00, collected 11 000.00,
/// outstanding 1 000.00.
#[test]
fn rent_is_credited_to_a_revenue_line() {
    let mut m = seed();
    m.add_lease(
        NewLease::new(
            "BP-R3",
            "R3",
            "ROANNE",
            "DUPONT",
            LeaseKind::Professional,
            d(2026, 1, 1),
            dec!(1000.00),
        )
        .paying(dec!(1000.00), RentPeriodicity::Monthly, RentTerm::Advance),
    )
    .unwrap();
    m.add_lease(commercial()).unwrap();
    m.add_budget("ROANNE", 2026, ChargeBasis::Ttc, OverrunPolicy::Refuse)
        .unwrap();
    m.add_budget_line("ROANNE", 2026, "011-BAT", None, "615221", dec!(5000))
        .unwrap();
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", None, "752", dec!(12000.00))
        .unwrap();
    m.assign_lease_budget_line("BP-R3", "ROANNE", "752-LOYERS")
        .unwrap();
    assert_eq!(m.lease_budget_line("BP-R3").unwrap(), Some("752-LOYERS"));
    for month in 1..=11 {
        m.record_rent_receipt("BP-R3", d(2026, month, 5), dec!(1000.00), None)
            .unwrap();
    }
    // the December rent is paid in January: credited to 2027
    m.record_rent_receipt("BP-R3", d(2027, 1, 5), dec!(1000.00), None)
        .unwrap();
    m.record_rent_receipt("BC-SHOP", d(2026, 1, 5), dec!(9876.54), None)
        .unwrap();
    let rows = m.revenue_status("ROANNE", 2026).unwrap();
    assert_eq!(rows.len(), 2);
    let r = &rows[0];
    assert_eq!(
        (r.code.as_str(), r.account.as_str(), r.leases.clone()),
        ("752-LOYERS", "752", vec!["BP-R3".to_owned()])
    );
    assert_eq!(r.budgeted, dec!(12000.00));
    assert_eq!(r.called, dec!(12000.00));
    assert_eq!(r.collected, dec!(11000.00));
    assert_eq!(r.outstanding, dec!(1000.00));
    assert_eq!(r.to_collect, dec!(1000.00));
    assert_eq!(r.called.to_string(), "12000.00");
    // the commercial lease is assigned to no line: the last row
    let u = &rows[1];
    assert_eq!(u.code, "");
    assert_eq!(u.leases, vec!["BC-SHOP".to_owned()]);
    assert_eq!((u.called, u.collected), (dec!(9876.54), dec!(9876.54)));
    assert_eq!(u.outstanding, dec!(0));
    // budget_status: the expense line keeps its meaning, the revenue line
    // shows its direction, collected and what is left to collect
    let st = m.budget_status("ROANNE", 2026).unwrap();
    assert_eq!(st[0].direction, LineDirection::Expense);
    assert_eq!((st[0].spent, st[0].remaining), (dec!(0), dec!(5000)));
    assert_eq!(st[1].code, "752-LOYERS");
    assert_eq!(st[1].direction, LineDirection::Revenue);
    assert_eq!(
        (st[1].spent, st[1].remaining),
        (dec!(11000.00), dec!(1000.00))
    );
    // an amendment of the forecast
    m.amend_budget_line("ROANNE", 2026, "752-LOYERS", dec!(500), "DM1")
        .unwrap();
    assert_eq!(
        m.revenue_status("ROANNE", 2026).unwrap()[0].budgeted,
        dec!(12500.00)
    );
    // 2027: the January receipt, the calls of a line of that year's budget
    m.add_budget("ROANNE", 2027, ChargeBasis::Ttc, OverrunPolicy::Refuse)
        .unwrap();
    m.add_revenue_line("ROANNE", 2027, "752-LOYERS", None, "752", dec!(12000.00))
        .unwrap();
    let r27 = &m.revenue_status("ROANNE", 2027).unwrap()[0];
    assert_eq!((r27.called, r27.collected), (dec!(12000.00), dec!(1000.00)));
    // round trip and replay
    let back = Mutualis::from_json(&m.to_json()).unwrap();
    assert_eq!(back, m);
    assert_eq!(
        back.revenue_status("ROANNE", 2026).unwrap(),
        m.revenue_status("ROANNE", 2026).unwrap()
    );
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
}

#[test]
fn budget_lines_go_to_what_their_direction_allows() {
    let mut m = full();
    m.add_budget("AGGLO", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m.add_revenue_line("AGGLO", 2026, "752-AGGLO", None, "752", dec!(100))
        .unwrap();
    m.add_budget_line("ROANNE", 2026, "011-BAT", None, "615221", dec!(5000))
        .unwrap();
    m.create_work_order(NewWorkOrder::by_team(
        "WO-CLUB", "Peinture", "CLUB", "REGIE",
    ))
    .unwrap();
    let before = m.clone();
    let n = m.journal().len();
    let kind = |r: mutualis::Result<()>| r.unwrap_err().kind();
    // a revenue line to a work order
    assert_eq!(
        kind(m.assign_budget_line("WO-CLUB", "ROANNE", "752-LOYERS")),
        "budget_line_mismatch"
    );
    // an expense line to a contract
    assert_eq!(
        kind(m.assign_lease_budget_line("AGGLO-R1", "ROANNE", "011-BAT")),
        "budget_line_mismatch"
    );
    // a line of another tenant than the contract's
    assert_eq!(
        kind(m.assign_lease_budget_line("AGGLO-R1", "AGGLO", "752-AGGLO")),
        "budget_line_mismatch"
    );
    // a contract where the collectivité is lessee
    assert_eq!(
        kind(m.assign_lease_budget_line("PRENEUR", "AGGLO", "752-AGGLO")),
        "budget_line_mismatch"
    );
    // unknown line, contract, tenant
    assert_eq!(
        kind(m.assign_lease_budget_line("AGGLO-R1", "ROANNE", "NOPE")),
        "unknown_budget"
    );
    assert_eq!(
        kind(m.assign_lease_budget_line("NOPE", "ROANNE", "752-LOYERS")),
        "unknown_lease"
    );
    assert_eq!(
        kind(m.assign_lease_budget_line("AGGLO-R1", "NOPE", "752-LOYERS")),
        "unknown_tenant"
    );
    // a commitment on a revenue line
    assert_eq!(
        kind(m.commit_budget("ROANNE", 2026, "752-LOYERS", "BC-1", dec!(10), None)),
        "budget_line_mismatch"
    );
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), n);
    // costs never go to a revenue line, even one matching the service
    m.assign_budget_line("WO-CLUB", "ROANNE", "011-BAT")
        .unwrap();
}

/// A principal reads the contracts its `leases:read` grants cover: those
/// its tenant signed or on assets its scope covers; lists and dashboards
/// are filtered, lookups refused, and no leases grant at all is Forbidden.
#[test]
fn lease_queries_on_the_reader_are_scoped() {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    let mut m = full();
    m.add_role("LOC", "Locatif (lecture)", &["leases:read"])
        .unwrap();
    m.add_role("TRAV", "Travaux", &["work:read"]).unwrap();
    let on = d(2026, 3, 1);
    let mut who = |code: &str, tenant: &str, role: &str, scope: ScopeRef| {
        m.add_principal(NewPrincipal {
            code: code.into(),
            name: code.into(),
            kind: PrincipalKind::Agent,
            tenant: Some(tenant.into()),
            supplier: None,
        })
        .unwrap();
        m.grant(code, role, &scope, Period::starting(d(2000, 1, 1)))
            .unwrap();
    };
    who(
        "agglo",
        "AGGLO",
        "LOC",
        ScopeRef::Tenant {
            tenant: "AGGLO".into(),
        },
    );
    who(
        "roanne",
        "ROANNE",
        "LOC",
        ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
    );
    who(
        "shop",
        "ROANNE",
        "LOC",
        ScopeRef::Subtree {
            asset: "SHOP".into(),
        },
    );
    who(
        "r1",
        "ROANNE",
        "LOC",
        ScopeRef::Subtree { asset: "R1".into() },
    );
    who(
        "trav",
        "ROANNE",
        "TRAV",
        ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
    );
    m.set_clock(mutualis::Clock::Fixed(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 8, 0, 0).unwrap(),
    ));
    let codes =
        |v: Vec<&mutualis::leases::Lease>| v.iter().map(|l| l.code.clone()).collect::<Vec<_>>();
    #[track_caller]
    fn forbidden(r: mutualis::Result<()>) -> bool {
        r.unwrap_err().kind() == "forbidden"
    }

    // AGGLO's agent sees the contract AGGLO signed, not ROANNE's
    let agglo = m.as_principal("agglo").unwrap();
    assert_eq!(codes(agglo.leases().unwrap()), ["PRENEUR"]);
    assert_eq!(agglo.lease("PRENEUR").unwrap().code, "PRENEUR");
    assert!(forbidden(agglo.lease("BC-SHOP").map(drop)));
    assert!(forbidden(agglo.rent_calls("BC-SHOP", on, on).map(drop)));
    assert!(forbidden(agglo.rent_receipts("BC-SHOP").map(drop)));
    assert!(forbidden(agglo.revisions("BC-SHOP").map(drop)));
    assert!(forbidden(agglo.arrears_of("BC-SHOP", on).map(drop)));
    assert!(forbidden(agglo.lease_budget_line("BC-SHOP").map(drop)));
    assert_eq!(agglo.lease("NOPE").unwrap_err().kind(), "unknown_lease");
    let roll = agglo.rent_roll(on).unwrap();
    assert_eq!(
        roll.iter().map(|r| r.lease.as_str()).collect::<Vec<_>>(),
        ["PRENEUR"]
    );
    let by = agglo
        .rent_roll_by(on, RollBy::Tenant, LeaseSide::Lessee)
        .unwrap();
    assert_eq!((by.len(), by[0].annual_rent), (1, dec!(8400.00)));
    assert!(agglo
        .rent_roll_by(on, RollBy::Tenant, LeaseSide::Lessor)
        .unwrap()
        .is_empty());
    assert!(agglo.occupancy(on).unwrap().is_empty());
    assert!(agglo.in_kind_aid(2026).unwrap().is_empty());
    assert!(agglo
        .in_kind_aid_annex("ROANNE", 2026, 35_544)
        .unwrap()
        .rows
        .is_empty());
    assert!(agglo
        .lease_arrears(d(2026, 12, 31))
        .unwrap()
        .iter()
        .all(|a| a.lease == "PRENEUR"));
    assert!(agglo
        .lease_deadlines(on, 12)
        .unwrap()
        .iter()
        .all(|x| x.lease == "PRENEUR"));
    assert_eq!(
        agglo
            .parties()
            .unwrap()
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        ["DUPONT"]
    );
    assert!(forbidden(agglo.party("FOOT").map(drop)));
    assert!(forbidden(
        agglo.charges_regularisation("HOTEL-ENT", 2026).map(drop)
    ));
    assert!(agglo.charges().unwrap().is_empty());
    assert_eq!(
        agglo.index_value("ILC", q("2025-Q3")).unwrap(),
        dec!(137.21)
    );
    // the revenue status over what it sees: ROANNE's rent is not its own
    let rev = agglo.revenue_status("ROANNE", 2026).unwrap();
    assert_eq!(rev[0].code, "752-LOYERS");
    assert!(rev[0].leases.is_empty() && rev[0].collected.is_zero());

    // ROANNE's agent sees every contract on its assets, AGGLO's included
    let roanne = m.as_principal("roanne").unwrap();
    assert_eq!(
        codes(roanne.leases().unwrap()),
        ["BC-SHOP", "AGGLO-R1", "MAD-CLUB", "PRENEUR"]
    );
    assert_eq!(roanne.rent_roll(on).unwrap(), m.rent_roll(on));
    assert_eq!(
        roanne.in_kind_aid(2026).unwrap(),
        m.in_kind_aid(2026).unwrap()
    );
    assert_eq!(
        roanne.charges_regularisation("HOTEL-ENT", 2026).unwrap(),
        m.charges_regularisation("HOTEL-ENT", 2026).unwrap()
    );
    let rev = roanne.revenue_status("ROANNE", 2026).unwrap();
    assert_eq!(rev[0].leases, ["BC-SHOP"]);
    assert_eq!(
        (rev[0].called, rev[0].collected),
        (dec!(10292.09), dec!(10292.09))
    );

    // a subtree: the shop's contract only
    let shop = m.as_principal("shop").unwrap();
    assert_eq!(codes(shop.leases().unwrap()), ["BC-SHOP"]);
    assert_eq!(codes(shop.leases_of("SHOP").unwrap()), ["BC-SHOP"]);
    assert!(shop.leases_of("CLUB").unwrap().is_empty());
    assert_eq!(shop.rent_on("BC-SHOP", on).unwrap(), dec!(10292.09));
    // one room of the building: its occupant's row, not the vacant part
    let r1 = m.as_principal("r1").unwrap();
    let rows = r1.charges_regularisation("HOTEL-ENT", 2026).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].lease.as_deref(), Some("AGGLO-R1"));
    assert_eq!(r1.charges().unwrap().len(), 1);

    // no leases grant at all: Forbidden, lists included
    let trav = m.as_principal("trav").unwrap();
    assert!(forbidden(trav.leases().map(drop)));
    assert!(forbidden(trav.parties().map(drop)));
    assert!(forbidden(trav.rent_roll(on).map(drop)));
    assert!(forbidden(trav.occupancy(on).map(drop)));
    assert!(forbidden(trav.in_kind_aid(2026).map(drop)));
    assert!(forbidden(
        trav.in_kind_aid_annex("ROANNE", 2026, 35_544).map(drop)
    ));
    assert!(forbidden(trav.lease_arrears(on).map(drop)));
    assert!(forbidden(trav.lease_deadlines(on, 12).map(drop)));
    assert!(forbidden(trav.index_value("ILC", q("2025-Q3")).map(drop)));
    assert!(forbidden(trav.revenue_status("ROANNE", 2026).map(drop)));
    assert!(forbidden(trav.lease("BC-SHOP").map(drop)));

    // the unchecked reader answers everything
    let all = m.unchecked_reader();
    assert_eq!(all.leases().unwrap().len(), m.leases().len());
    assert_eq!(all.occupancy(on).unwrap(), m.occupancy(on));
}

/// The annex of the aids in kind of one collectivité (CGCT L2313-1): due
/// for a commune of 3 500 inhabitants or more.
#[test]
fn the_annex_of_aids_in_kind() {
    let m = full();
    let a = m.in_kind_aid_annex("ROANNE", 2026, 35_544).unwrap();
    assert!(a.required);
    assert_eq!(
        (a.tenant.as_str(), a.year, a.population),
        ("ROANNE", 2026, 35_544)
    );
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.rows[0].association, "FOOT");
    assert_eq!(a.rows[0].rna.as_deref(), Some("W423001234"));
    assert_eq!(
        (a.waived_rent, a.interventions, a.total),
        (dec!(6000.00), dec!(0.00), dec!(6000.00))
    );
    assert_eq!(a.rows, m.in_kind_aid(2026).unwrap());
    assert!(!m.in_kind_aid_annex("ROANNE", 2026, 3_499).unwrap().required);
    assert!(m.in_kind_aid_annex("ROANNE", 2026, 3_500).unwrap().required);
    // an EPCI is not held to the communes' annex; AGGLO gives no aid here
    let agglo = m.in_kind_aid_annex("AGGLO", 2026, 100_000).unwrap();
    assert!(!agglo.required && agglo.rows.is_empty() && agglo.total.is_zero());
    assert_eq!(
        m.in_kind_aid_annex("NOPE", 2026, 1).unwrap_err().kind(),
        "unknown_tenant"
    );
    assert_eq!(
        m.in_kind_aid_annex("ROANNE", 1800, 1).unwrap_err().kind(),
        "year_out_of_range"
    );
}

/// Leases are written under `leases:write` on the contract's asset.
#[test]
fn writing_a_lease_needs_the_leases_area() {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    let mut m = seed();
    m.add_role("BAT", "Bâtiments", &["assets:write"]).unwrap();
    m.add_principal(NewPrincipal {
        code: "bat".into(),
        name: "Bâtiments".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("ROANNE".into()),
        supplier: None,
    })
    .unwrap();
    m.grant(
        "bat",
        "BAT",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let before = m.clone();
    let e = m
        .as_principal_mut("bat")
        .unwrap()
        .execute(|m| m.add_lease(commercial()))
        .unwrap_err();
    assert_eq!(e.kind(), "forbidden");
    assert_eq!(m, before);
    m.add_role("LOC", "Locatif", &["leases:write"]).unwrap();
    m.grant(
        "bat",
        "LOC",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    m.as_principal_mut("bat")
        .unwrap()
        .execute(|m| m.add_lease(commercial()))
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// Whatever the surfaces, dates and amounts, the shares of a
    /// building's charges sum exactly to the charges recorded.
    #[test]
    fn charges_shares_sum_to_the_charges(
        occupants in prop::collection::vec((1u32..50_000, 0u32..365, 0u32..365), 1..6),
        amounts in prop::collection::vec(0i64..100_000_000, 1..4),
        keyed in any::<bool>(),
    ) {
        let mut m = seed();
        let mut key = BTreeMap::new();
        for (i, (m2, a, b)) in occupants.iter().enumerate() {
            let room = format!("X{i}");
            m.add_asset(NewAsset::new(&room, &room, AssetKind::Room, "ROANNE", d(1990, 1, 1)).under("HOTEL-ENT")).unwrap();
            let from = d(2026, 1, 1) + chrono::Duration::days(i64::from(*a.min(b)));
            let to = d(2026, 1, 1) + chrono::Duration::days(i64::from(*a.max(b)));
            let code = format!("L{i}");
            m.add_lease(
                NewLease::new(&code, &room, "ROANNE", "DUPONT", LeaseKind::Professional, from, dec!(100))
                    .with_surface(Decimal::new(i64::from(*m2), 2))
                    .ending(to),
            ).unwrap();
            key.insert(code, u64::from(*m2));
        }
        let mut total = Decimal::ZERO;
        for cents in &amounts {
            let amount = Decimal::new(*cents, 2);
            total += amount;
            m.record_charges(NewCharges {
                building: "HOTEL-ENT".into(),
                year: 2026,
                category: ChargeCategory::Other,
                amount,
                key: keyed.then(|| key.clone()),
            }).unwrap();
        }
        let rows = m.charges_regularisation("HOTEL-ENT", 2026).unwrap();
        prop_assert_eq!(rows.iter().map(|r| r.share).sum::<Decimal>(), total);
    }
}
