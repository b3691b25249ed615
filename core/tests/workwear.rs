//! Habillement / EPI (issue 15): the hand-worked cases, every typed error
//! with nothing changed, the dataset round trip, replay and the principal's
//! reads and writes.
//!
//! The figures, by hand:
//! - PANTALON in MAG-ROANNE: 3 received at 30.00 then 4 at 32.15 →
//!   CMUP (90.00 + 128.60) / 7 = 218.60 / 7 = 31.228571… → 31.2286;
//!   2 issued → 62.4572 → 62.46; 1 more → 31.23.
//! - HARNAIS: 2 received at 189.00 → CMUP 189.0000; lifetime 60 months,
//!   issued 2021-02-10 → expires 2026-02-10.

use chrono::NaiveDate;
use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
use mutualis::workwear::{
    NewAgent, NewAllotment, NewWorkwearIssue, NewWorkwearItem, NewWorkwearReturn, ReturnReason,
    SpendingBy,
};
use mutualis::{
    ChargeBasis, Clock, Error, Mutualis, NewItem, NewTenant, OverrunPolicy, Period, TenantKind,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(
        d(2026, 6, 1).and_hms_opt(9, 0, 0).unwrap().and_utc(),
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
    m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
    m.add_service("ROANNE", "EV", "Espaces verts").unwrap();
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central")
        .unwrap();
    m.add_store("MAG-AGGLO", "AGGLO", "Magasin de l'agglo")
        .unwrap();
    m.add_item(NewItem::new("PANTALON", "Pantalon de travail", "pièce"))
        .unwrap();
    m.add_item(NewItem::new("HARNAIS", "Harnais antichute", "pièce"))
        .unwrap();
    m.receive_stock(
        "MAG-ROANNE",
        "PANTALON",
        d(2026, 1, 2),
        dec!(3),
        dec!(30.00),
    )
    .unwrap();
    m.receive_stock(
        "MAG-ROANNE",
        "PANTALON",
        d(2026, 1, 5),
        dec!(4),
        dec!(32.15),
    )
    .unwrap();
    m.receive_stock(
        "MAG-ROANNE",
        "HARNAIS",
        d(2021, 1, 5),
        dec!(2),
        dec!(189.00),
    )
    .unwrap();
    m.add_workwear_item(
        NewWorkwearItem::new("EPI-PANT", "Pantalon multipoches", "PANTALON")
            .sizes(&["38", "40", "42", "44"])
            .standard("EN ISO 13688"),
    )
    .unwrap();
    m.add_workwear_item(
        NewWorkwearItem::new("EPI-HARNAIS", "Harnais antichute", "HARNAIS")
            .standard("EN 361")
            .lifetime(60),
    )
    .unwrap();
    m.add_agent(
        NewAgent::new(
            "ROANNE",
            "M001",
            "J. Martin",
            "VOIRIE",
            "cantonnier",
            d(2020, 1, 1),
        )
        .size("tour de taille", "42"),
    )
    .unwrap();
    m.add_agent(NewAgent::new(
        "ROANNE",
        "M002",
        "A. Dubois",
        "EV",
        "élagueur",
        d(2019, 5, 1),
    ))
    .unwrap();
    m.set_allotment(NewAllotment::for_job(
        "ROANNE",
        "cantonnier",
        "EPI-PANT",
        2,
        12,
    ))
    .unwrap();
    m.set_allotment(NewAllotment::for_job("ROANNE", "élagueur", "EPI-HARNAIS", 1, 60).initial())
        .unwrap();
    m
}

fn pant(date: NaiveDate, q: Decimal) -> NewWorkwearIssue {
    NewWorkwearIssue::new("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", date, q).size("42")
}

/// Two trousers every 12 months: 2 issued on 2026-01-15 are next due on
/// 2027-01-15; valued at CMUP and charged to the agent's service.
#[test]
fn two_trousers_every_twelve_months() {
    let mut m = seed();
    assert_eq!(
        m.stock_level("MAG-ROANNE", "PANTALON").unwrap().cmup,
        dec!(31.2286)
    );
    let issue = m.issue_workwear(pant(d(2026, 1, 15), dec!(2))).unwrap();
    assert_eq!(issue.cmup, dec!(31.2286));
    assert_eq!(issue.value, dec!(62.46));
    assert_eq!(issue.service, "VOIRIE");
    assert!(!issue.warning);
    assert_eq!(issue.expires, None);
    // the stock's own history and level
    let s = m.stock_issues().last().unwrap();
    assert_eq!((s.value, s.agent.as_deref()), (dec!(62.46), Some("M001")));
    assert_eq!(
        m.stock_level("MAG-ROANNE", "PANTALON").unwrap().quantity,
        dec!(5)
    );
    // next due
    let due = m.renewals_due("ROANNE", None, d(2027, 12, 31)).unwrap();
    let pants: Vec<_> = due.iter().filter(|r| r.item == "EPI-PANT").collect();
    assert_eq!(pants.len(), 1);
    assert_eq!(pants[0].due, d(2027, 1, 15));
    assert_eq!(pants[0].quantity, 2);
    assert_eq!(pants[0].last_issue, Some(d(2026, 1, 15)));
    assert_eq!(pants[0].service, "VOIRIE");
    // not yet due the day before
    assert!(m
        .renewals_due("ROANNE", None, d(2027, 1, 14))
        .unwrap()
        .iter()
        .all(|r| r.item != "EPI-PANT"));
    // the harness of the élagueur's initial kit, never issued: due since his start
    let h: Vec<_> = due.iter().filter(|r| r.item == "EPI-HARNAIS").collect();
    assert_eq!(
        (h[0].agent.as_str(), h[0].due, h[0].initial),
        ("M002", d(2019, 5, 1), true)
    );
    // holdings
    let held = m.agent_holdings("ROANNE", "M001").unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].quantity, held[0].size.as_deref()),
        (dec!(2), Some("42"))
    );
    // on the due day the allotment is whole again (policy refuse)
    m.receive_stock(
        "MAG-ROANNE",
        "PANTALON",
        d(2027, 1, 2),
        dec!(2),
        dec!(31.2286),
    )
    .unwrap();
    m.issue_workwear(pant(d(2027, 1, 15), dec!(2))).unwrap();
}

/// A third pair in 2026: refused under the policy refuse (nothing
/// changes), accepted with a warning recorded under warn.
#[test]
fn a_third_pair_in_the_year_is_refused_or_warned() {
    let mut m = seed();
    m.issue_workwear(pant(d(2026, 1, 15), dec!(2))).unwrap();
    let before = m.to_json();
    let n = m.journal().len();
    let e = m.issue_workwear(pant(d(2026, 6, 1), dec!(1))).unwrap_err();
    assert_eq!(
        e,
        Error::AllotmentExceeded {
            tenant: "ROANNE".into(),
            matricule: "M001".into(),
            item: "EPI-PANT".into(),
            allowed: 2,
            already: dec!(2),
            requested: dec!(1),
        }
    );
    assert_eq!(m.to_json(), before);
    assert_eq!(m.journal().len(), n);
    assert_eq!(m.workwear_policy("ROANNE").unwrap(), OverrunPolicy::Refuse);
    m.set_workwear_policy("ROANNE", OverrunPolicy::Warn)
        .unwrap();
    let third = m.issue_workwear(pant(d(2026, 6, 1), dec!(1))).unwrap();
    assert!(third.warning);
    assert_eq!(third.value, dec!(31.23));
    let w = m.allotment_warnings("ROANNE").unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (
            w[0].issue,
            w[0].allowed,
            w[0].already,
            w[0].requested,
            w[0].date
        ),
        (2, 2, dec!(2), dec!(1), d(2026, 6, 1))
    );
    // a replacement of a torn pair is outside the allotment, even under refuse
    m.set_workwear_policy("ROANNE", OverrunPolicy::Refuse)
        .unwrap();
    let r = m
        .issue_workwear(pant(d(2026, 7, 1), dec!(1)).replacing(ReturnReason::Damaged))
        .unwrap();
    assert_eq!(r.replaces, Some(ReturnReason::Damaged));
    let returns = m.workwear_returns("ROANNE").unwrap();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].reason, ReturnReason::Damaged);
    // 2 + 1 + 1 issued, 1 returned (the oldest lot first)
    let held = m.agent_holdings("ROANNE", "M001").unwrap();
    let total: Decimal = held.iter().map(|h| h.quantity).sum();
    assert_eq!(total, dec!(3));
    assert_eq!(held[0].quantity, dec!(1));
    assert_eq!(held[0].issued, d(2026, 1, 15));
    // a replacement does not move the renewal
    let due = m
        .renewals_due("ROANNE", Some(d(2027, 1, 1)), d(2027, 12, 31))
        .unwrap();
    let p: Vec<_> = due.iter().filter(|r| r.item == "EPI-PANT").collect();
    assert_eq!(p[0].due, d(2027, 6, 1));
}

/// A harness past its expiry (issued 2021-02-10, 60 months) is listed from 2026-02-10.
#[test]
fn a_harness_past_its_expiry_is_listed() {
    let mut m = seed();
    let i = m
        .issue_workwear(NewWorkwearIssue::new(
            "ROANNE",
            "M002",
            "EPI-HARNAIS",
            "MAG-ROANNE",
            d(2021, 2, 10),
            dec!(1),
        ))
        .unwrap();
    assert_eq!((i.value, i.service.as_str()), (dec!(189.00), "EV"));
    assert_eq!(i.expires, Some(d(2026, 2, 10)));
    assert!(m
        .expired_workwear("ROANNE", d(2026, 2, 9))
        .unwrap()
        .is_empty());
    let x = m.expired_workwear("ROANNE", d(2026, 6, 1)).unwrap();
    assert_eq!(x.len(), 1);
    assert_eq!(
        (x[0].agent.as_str(), x[0].item.as_str(), x[0].expires),
        ("M002", "EPI-HARNAIS", Some(d(2026, 2, 10)))
    );
    // returned: no longer held, no longer listed
    m.return_workwear(NewWorkwearReturn {
        tenant: "ROANNE".into(),
        agent: "M002".into(),
        item: "EPI-HARNAIS".into(),
        size: None,
        date: d(2026, 6, 2),
        quantity: dec!(1),
        reason: ReturnReason::Worn,
    })
    .unwrap();
    assert!(m
        .expired_workwear("ROANNE", d(2026, 6, 3))
        .unwrap()
        .is_empty());
    assert!(m.agent_holdings("ROANNE", "M002").unwrap().is_empty());
}

/// Spending per service against the workwear budget line (issues are
/// commitments on it), per item and agent, year on year; the forecast.
#[test]
fn spending_against_budget_and_forecast() {
    let mut m = seed();
    m.add_budget("ROANNE", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m.add_budget_line(
        "ROANNE",
        2026,
        "60636-VOIRIE",
        Some("VOIRIE"),
        "60636",
        dec!(1000.00),
    )
    .unwrap();
    m.set_workwear_budget_line("ROANNE", "VOIRIE", "60636-VOIRIE")
        .unwrap();
    assert_eq!(
        m.workwear_budget_line("ROANNE", "VOIRIE").unwrap(),
        Some("60636-VOIRIE")
    );
    m.issue_workwear(pant(d(2026, 1, 15), dec!(2))).unwrap();
    // 2025: one harness to the élagueur (previous year)
    m.issue_workwear(NewWorkwearIssue::new(
        "ROANNE",
        "M002",
        "EPI-HARNAIS",
        "MAG-ROANNE",
        d(2025, 3, 1),
        dec!(1),
    ))
    .unwrap();
    let status = m.budget_status("ROANNE", 2026).unwrap();
    let line = status.iter().find(|l| l.code == "60636-VOIRIE").unwrap();
    assert_eq!(line.committed, dec!(62.46));
    assert_eq!(line.remaining, dec!(937.54));
    assert_eq!(
        m.budgets()[0].lines[0].commitments[0].code,
        "EPI-1".to_owned()
    );
    let by_service = m
        .workwear_spending("ROANNE", 2026, SpendingBy::Service)
        .unwrap();
    assert_eq!(by_service.len(), 2);
    let ev = &by_service[0];
    assert_eq!(
        (ev.key.as_str(), ev.spent, ev.previous, ev.change),
        ("EV", dec!(0.00), dec!(189.00), dec!(-189.00))
    );
    assert_eq!(ev.budget_line, None);
    let v = &by_service[1];
    assert_eq!(
        (v.key.as_str(), v.quantity, v.spent, v.previous),
        ("VOIRIE", dec!(2), dec!(62.46), dec!(0.00))
    );
    assert_eq!(v.budget_line.as_deref(), Some("60636-VOIRIE"));
    assert_eq!(
        (v.credits, v.remaining),
        (Some(dec!(1000.00)), Some(dec!(937.54)))
    );
    let tenant = m
        .workwear_spending("ROANNE", 2026, SpendingBy::Tenant)
        .unwrap();
    assert_eq!(
        (tenant[0].spent, tenant[0].previous),
        (dec!(62.46), dec!(189.00))
    );
    let by_item = m
        .workwear_spending("ROANNE", 2026, SpendingBy::Item)
        .unwrap();
    assert_eq!(
        by_item.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["EPI-HARNAIS", "EPI-PANT"]
    );
    let by_agent = m
        .workwear_spending("ROANNE", 2026, SpendingBy::Agent)
        .unwrap();
    assert_eq!(
        by_agent.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["M001", "M002"]
    );
    // 2027: 2 trousers (due 2027-01-15) at the current CMUP 31.2286 → 62.46;
    // the harness (issued 2025-03-01, every 60 months) is not due
    let f = m.renewal_forecast("ROANNE", 2027).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(
        (
            f[0].item.as_str(),
            f[0].store.as_str(),
            f[0].quantity,
            f[0].cmup,
            f[0].value
        ),
        (
            "EPI-PANT",
            "MAG-ROANNE",
            dec!(2),
            dec!(31.2286),
            dec!(62.46)
        )
    );
    // an agent leaving on 2027-01-14 brings no renewal
    m.end_agent_assignment("ROANNE", "M001", d(2027, 1, 14))
        .unwrap();
    assert!(m.renewal_forecast("ROANNE", 2027).unwrap().is_empty());
}

/// Every bad input is a typed error and changes nothing.
#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let mut m = seed();
    m.issue_workwear(pant(d(2026, 1, 15), dec!(1))).unwrap();
    let before = m.to_json();
    let n = m.journal().len();
    let check = |r: Result<(), Error>, kind: &str| {
        assert_eq!(r.unwrap_err().kind(), kind);
        assert_eq!(m.journal().len(), n, "{kind}");
    };
    let mut m2 = m.clone();
    let mut issue = |spec: NewWorkwearIssue| m2.issue_workwear(spec).map(drop);
    let r = issue(
        NewWorkwearIssue::new(
            "ROANNE",
            "M999",
            "EPI-PANT",
            "MAG-ROANNE",
            d(2026, 2, 1),
            dec!(1),
        )
        .size("42"),
    );
    check(r, "unknown_agent");
    let r = issue(NewWorkwearIssue::new(
        "ROANNE",
        "M001",
        "EPI-GILET",
        "MAG-ROANNE",
        d(2026, 2, 1),
        dec!(1),
    ));
    check(r, "unknown_workwear_item");
    let r = issue(pant(d(2026, 2, 1), dec!(1)).size("56"));
    check(r, "size_not_offered");
    let r = issue(NewWorkwearIssue::new(
        "ROANNE",
        "M001",
        "EPI-PANT",
        "MAG-ROANNE",
        d(2026, 2, 1),
        dec!(1),
    ));
    check(r, "size_not_offered");
    let r = issue(pant(d(2026, 2, 1), dec!(-1)));
    check(r, "invalid_quantity");
    let r = issue(pant(d(2026, 2, 1), dec!(0)));
    check(r, "invalid_quantity");
    let r = issue(pant(d(2026, 2, 1), dec!(0.5)));
    check(r, "invalid_quantity");
    let r = issue(pant(d(2019, 12, 31), dec!(1)));
    check(r, "agent_not_assigned");
    let r = issue(pant(d(2026, 2, 1), dec!(2)));
    check(r, "allotment_exceeded");
    let r = issue(
        NewWorkwearIssue::new(
            "ROANNE",
            "M001",
            "EPI-PANT",
            "MAG-AGGLO",
            d(2026, 2, 1),
            dec!(1),
        )
        .size("42"),
    );
    check(r, "invalid_field");
    let r = issue(
        NewWorkwearIssue::new(
            "ROANNE",
            "M001",
            "EPI-PANT",
            "MAG-X",
            d(2026, 2, 1),
            dec!(1),
        )
        .size("42"),
    );
    check(r, "unknown_store");
    let r = issue(pant(d(2026, 2, 1), dec!(2)).replacing(ReturnReason::Lost));
    check(r, "invalid_quantity");
    // beyond stock: 6 on hand, allotment raised for the test
    m2.set_allotment(NewAllotment::for_agent(
        "ROANNE", "M001", "EPI-PANT", 50, 12,
    ))
    .unwrap();
    let n2 = m2.journal().len();
    let before2 = m2.to_json();
    let e = m2.issue_workwear(pant(d(2026, 2, 1), dec!(7))).unwrap_err();
    assert!(
        matches!(e, Error::InsufficientStock { ref item, requested, on_hand, .. } if item == "PANTALON" && requested == dec!(7) && on_hand == dec!(6))
    );
    assert_eq!(m2.to_json(), before2);
    assert_eq!(m2.journal().len(), n2);
    // the other commands
    let mut m3 = m.clone();
    let e = m3
        .end_agent_assignment("ROANNE", "M001", d(2019, 1, 1))
        .unwrap_err();
    assert_eq!(e.kind(), "dates_out_of_order");
    let e = m3
        .add_agent(NewAgent::new(
            "ROANNE",
            "M001",
            "Autre",
            "VOIRIE",
            "cantonnier",
            d(2020, 1, 1),
        ))
        .unwrap_err();
    assert_eq!(e.kind(), "duplicate_agent");
    let e = m3
        .add_agent(NewAgent::new(
            "ROANNE",
            "M003",
            "Autre",
            "SPORTS",
            "cantonnier",
            d(2020, 1, 1),
        ))
        .unwrap_err();
    assert_eq!(e.kind(), "unknown_service");
    let e = m3
        .add_workwear_item(NewWorkwearItem::new("EPI-PANT", "Bis", "PANTALON"))
        .unwrap_err();
    assert_eq!(e.kind(), "duplicate_workwear_item");
    let e = m3
        .add_workwear_item(NewWorkwearItem::new("EPI-X", "X", "NOPE"))
        .unwrap_err();
    assert_eq!(e.kind(), "unknown_item");
    let e = m3
        .set_allotment(NewAllotment::for_job(
            "ROANNE",
            "cantonnier",
            "EPI-PANT",
            0,
            12,
        ))
        .unwrap_err();
    assert_eq!(e.kind(), "invalid_quantity");
    let e = m3
        .set_allotment(NewAllotment::for_agent("ROANNE", "M404", "EPI-PANT", 1, 12))
        .unwrap_err();
    assert_eq!(e.kind(), "unknown_agent");
    let e = m3
        .set_workwear_budget_line("ROANNE", "VOIRIE", "NOPE")
        .unwrap_err();
    assert_eq!(e.kind(), "unknown_budget");
    // a revenue line (recettes) cannot bear workwear spending
    let mut m4 = m3.clone();
    m4.add_budget("ROANNE", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m4.add_revenue_line("ROANNE", 2026, "70-LOYERS", None, "752", dec!(5000.00))
        .unwrap();
    let before_line = m4.to_json();
    let e = m4
        .set_workwear_budget_line("ROANNE", "VOIRIE", "70-LOYERS")
        .unwrap_err();
    assert_eq!(e.kind(), "budget_line_mismatch");
    assert_eq!(m4.workwear_budget_line("ROANNE", "VOIRIE").unwrap(), None);
    assert_eq!(m4.to_json(), before_line);
    let ret = |q: Decimal, size: Option<&str>| NewWorkwearReturn {
        tenant: "ROANNE".into(),
        agent: "M001".into(),
        item: "EPI-PANT".into(),
        size: size.map(Into::into),
        date: d(2026, 3, 1),
        quantity: q,
        reason: ReturnReason::Worn,
    };
    assert_eq!(
        m3.return_workwear(ret(dec!(2), None)).unwrap_err().kind(),
        "invalid_quantity"
    );
    assert_eq!(
        m3.return_workwear(ret(dec!(-1), None)).unwrap_err().kind(),
        "invalid_quantity"
    );
    assert_eq!(
        m3.return_workwear(ret(dec!(1), Some("40")))
            .unwrap_err()
            .kind(),
        "invalid_quantity"
    );
    assert_eq!(
        m3.return_workwear(ret(dec!(1), Some("99")))
            .unwrap_err()
            .kind(),
        "size_not_offered"
    );
    assert_eq!(m3.to_json(), before);
    assert_eq!(m3.journal().len(), n);
    assert_eq!(m.to_json(), before);
}

fn full() -> Mutualis {
    let mut m = seed();
    m.add_budget("ROANNE", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m.add_budget_line(
        "ROANNE",
        2026,
        "60636-VOIRIE",
        Some("VOIRIE"),
        "60636",
        dec!(1000.00),
    )
    .unwrap();
    m.set_workwear_budget_line("ROANNE", "VOIRIE", "60636-VOIRIE")
        .unwrap();
    m.set_workwear_policy("ROANNE", OverrunPolicy::Warn)
        .unwrap();
    m.issue_workwear(pant(d(2026, 1, 15), dec!(2))).unwrap();
    m.issue_workwear(pant(d(2026, 6, 1), dec!(1))).unwrap();
    m.issue_workwear(pant(d(2026, 7, 1), dec!(1)).replacing(ReturnReason::Lost))
        .unwrap();
    m.issue_workwear(NewWorkwearIssue::new(
        "ROANNE",
        "M002",
        "EPI-HARNAIS",
        "MAG-ROANNE",
        d(2021, 2, 10),
        dec!(1),
    ))
    .unwrap();
    m.return_workwear(NewWorkwearReturn {
        tenant: "ROANNE".into(),
        agent: "M001".into(),
        item: "EPI-PANT".into(),
        size: Some("42".into()),
        date: d(2026, 8, 1),
        quantity: dec!(1),
        reason: ReturnReason::Worn,
    })
    .unwrap();
    m.set_allotment(NewAllotment::for_agent("ROANNE", "M001", "EPI-PANT", 3, 12).initial())
        .unwrap();
    m.end_agent_assignment("ROANNE", "M002", d(2026, 12, 31))
        .unwrap();
    m
}

/// The JSON dataset carries the workwear and reads back the same registry;
/// the journal replays to it.
#[test]
fn dataset_round_trip_and_replay() {
    let m = full();
    let json = m.to_json();
    assert!(json.contains("\"workwear_issues\""));
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    assert_eq!(
        back.workwear_issues("ROANNE").unwrap(),
        m.workwear_issues("ROANNE").unwrap()
    );
    assert_eq!(
        back.agent_holdings("ROANNE", "M001").unwrap(),
        m.agent_holdings("ROANNE", "M001").unwrap()
    );
    assert_eq!(back.allotment_warnings("ROANNE").unwrap().len(), 1);
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    // a dataset written before the workwear (no sections) still reads
    let old = seed_without_workwear().to_json();
    assert!(!old.contains("agents"));
    Mutualis::from_json(&old).unwrap();
    // a bad record is a typed error
    let bad = json.replace("\"value\": \"62.46\"", "\"value\": \"62.47\"");
    assert_ne!(bad, json);
    assert_eq!(
        Mutualis::from_json(&bad).unwrap_err().kind(),
        "invalid_field"
    );
}

fn seed_without_workwear() -> Mutualis {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m
}

/// A principal reads the workwear of the tenants it has `stock:read` on,
/// and writes only with `stock:write` there.
#[test]
fn principal_reads_and_writes() {
    let mut m = full();
    m.add_role("MAG", "Magasin (lecture)", &["stock:read"])
        .unwrap();
    m.add_role("MAGW", "Magasinier", &["stock:write"]).unwrap();
    let person = |code: &str, tenant: &str| NewPrincipal {
        code: code.into(),
        name: code.into(),
        kind: PrincipalKind::Agent,
        tenant: Some(tenant.into()),
        supplier: None,
    };
    m.add_principal(person("lecteur", "ROANNE")).unwrap();
    m.add_principal(person("agglo", "AGGLO")).unwrap();
    let since = Period::starting(d(2020, 1, 1));
    m.grant(
        "lecteur",
        "MAG",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        since,
    )
    .unwrap();
    m.grant(
        "agglo",
        "MAGW",
        &ScopeRef::Tenant {
            tenant: "AGGLO".into(),
        },
        since,
    )
    .unwrap();
    let r = m.as_principal("lecteur").unwrap();
    assert_eq!(r.workwear_issues("ROANNE").unwrap().len(), 4);
    assert_eq!(r.agents("ROANNE").unwrap().len(), 2);
    let due = r.renewals_due("ROANNE", None, d(2027, 12, 31)).unwrap();
    assert_eq!(due.len(), 2, "{due:?}");
    assert_eq!(
        r.expired_workwear("ROANNE", d(2026, 6, 1)).unwrap().len(),
        1
    );
    assert_eq!(
        r.workwear_spending("ROANNE", 2026, SpendingBy::Service)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(r.renewal_forecast("ROANNE", 2027).unwrap().len(), 1);
    assert_eq!(r.agent_holdings("ROANNE", "M001").unwrap().len(), 2);
    assert_eq!(r.allotments("ROANNE").unwrap().len(), 3);
    assert_eq!(r.allotment_warnings("ROANNE").unwrap().len(), 1);
    assert_eq!(r.workwear_returns("ROANNE").unwrap().len(), 2);
    assert_eq!(r.workwear_items().len(), 2);
    let a = m.as_principal("agglo").unwrap();
    assert_eq!(a.workwear_issues("ROANNE").unwrap_err().kind(), "forbidden");
    assert_eq!(
        a.renewals_due("ROANNE", None, d(2027, 1, 1))
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    // AGGLO's storekeeper cannot issue to ROANNE's agents
    let before = m.clone();
    let e = m
        .as_principal_mut("agglo")
        .unwrap()
        .execute(|m| {
            m.issue_workwear(pant(d(2026, 9, 1), dec!(1)).replacing(ReturnReason::Worn))
                .map(drop)
        })
        .unwrap_err();
    assert_eq!(e.kind(), "forbidden");
    assert_eq!(m, before);
}
