//! Issue 17 acceptance: routing by competence and request statistics.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mutualis::requests::routing::{
    Competence, Intake, NewCategory, RequestCatalogue, Routed, RoutingRule,
};
use mutualis::requests::stats::StatsBy;
use mutualis::{
    AssetKind, Error, GeoPoint, Mutualis, NewAsset, NewSupplier, NewTenant, NewWorkOrder,
    RequestOrigin, RequestStatus, TenantKind,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const VILLEREST_POLY: &str = r#"{"type":"Feature","properties":{"nom":"Villerest"},"geometry":{"type":"Polygon","coordinates":[[[4.00,45.98],[4.06,45.98],[4.06,46.02],[4.00,46.02],[4.00,45.98]],[[4.02,45.99],[4.03,45.99],[4.03,46.00],[4.02,46.00],[4.02,45.99]]]}}"#;

fn seed() -> (Mutualis, RequestCatalogue) {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Agglo",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214203317",
        "42332",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    m.add_asset(NewAsset::new(
        "LAMP-1",
        "Candélabre",
        AssetKind::Building,
        "VILLEREST",
        d(2000, 1, 1),
    ))
    .unwrap();
    m.grant_custody(
        "LAMP-1",
        "AGGLO",
        mutualis::Period::new(d(2026, 1, 1), None).unwrap(),
    )
    .unwrap();
    let mut c = RequestCatalogue::new();
    c.set_agglomeration(&m, "AGGLO").unwrap();
    c.add_category(
        &m,
        NewCategory::new("VILLEREST", "eclairage", "Éclairage public", Some(5)),
    )
    .unwrap();
    c.add_category(&m, NewCategory::new("AGGLO", "dechets", "Déchets", Some(2)))
        .unwrap();
    c.add_category(&m, NewCategory::new("AGGLO", "divers", "Divers", None))
        .unwrap();
    c.set_competence("eclairage", Competence::Communes).unwrap();
    c.set_competence("dechets", Competence::Agglomeration)
        .unwrap();
    c.add_territory(&m, "VILLEREST", VILLEREST_POLY).unwrap();
    (m, c)
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

#[test]
fn routing_acceptance_villerest_agglo_custody_manual() {
    let (mut m, mut c) = seed();
    let inside = GeoPoint {
        lat: 46.01,
        lon: 4.05,
    };
    // a POSTed request located in VILLEREST, category kept by the commune
    let r = c
        .submit(
            &mut m,
            Intake::new(
                "R1",
                RequestOrigin::CitizenPortal,
                "eclairage",
                "Lampe",
                t0(),
            )
            .at_point(inside),
        )
        .unwrap();
    assert!(
        matches!(r, Routed::To { ref tenant, rule: RoutingRule::Territory, .. } if tenant == "VILLEREST")
    );
    assert_eq!(m.tenant_code(m.request("R1").unwrap().tenant), "VILLEREST");
    // the same category on an asset in custody of AGGLO
    let r = c
        .submit(
            &mut m,
            Intake::new(
                "R2",
                RequestOrigin::CitizenPortal,
                "eclairage",
                "Lampe",
                t0(),
            )
            .at_point(inside)
            .on_asset("LAMP-1"),
        )
        .unwrap();
    assert!(
        matches!(r, Routed::To { ref tenant, rule: RoutingRule::AssetHolder, .. } if tenant == "AGGLO")
    );
    // a category with no rule: flagged for manual routing, not dropped
    let before = m.requests().len();
    let r = c
        .submit(
            &mut m,
            Intake::new("R3", RequestOrigin::CitizenPortal, "divers", "Autre", t0())
                .at_point(inside),
        )
        .unwrap();
    assert_eq!(r, Routed::Manual);
    assert_eq!(m.requests().len(), before);
    assert_eq!(c.pending().len(), 1);
    assert_eq!(c.pending()[0].code, "R3");
    // its code is taken while pending
    assert!(matches!(
        c.submit(
            &mut m,
            Intake::new("R3", RequestOrigin::CitizenPortal, "divers", "x", t0())
        ),
        Err(Error::DuplicateRequest(_))
    ));
    // route by hand: a bad tenant changes nothing
    assert!(matches!(
        c.route_by_hand(&mut m, "R3", "NOPE", None),
        Err(Error::UnknownTenant(_))
    ));
    assert_eq!(c.pending().len(), 1);
    c.route_by_hand(&mut m, "R3", "MABLY", None).unwrap();
    assert!(c.pending().is_empty());
    assert_eq!(m.tenant_code(m.request("R3").unwrap().tenant), "MABLY");
    // agglomeration competence; INSEE routing; a point in the hole or outside → manual
    let r = c
        .submit(
            &mut m,
            Intake::new(
                "R4",
                RequestOrigin::NeighbourhoodCouncil,
                "dechets",
                "Bac",
                t0(),
            ),
        )
        .unwrap();
    assert!(
        matches!(r, Routed::To { ref tenant, rule: RoutingRule::Agglomeration, .. } if tenant == "AGGLO")
    );
    let r = c
        .submit(
            &mut m,
            Intake::new("R5", RequestOrigin::Phone, "eclairage", "Lampe", t0())
                .at_address("1 rue de la Paix, 42300 Mably", Some("42127")),
        )
        .unwrap();
    assert!(
        matches!(r, Routed::To { ref tenant, rule: RoutingRule::Insee, .. } if tenant == "MABLY")
    );
    for (code, p) in [
        (
            "R6",
            GeoPoint {
                lat: 45.995,
                lon: 4.025,
            },
        ),
        (
            "R7",
            GeoPoint {
                lat: 47.0,
                lon: 4.05,
            },
        ),
    ] {
        let r = c
            .submit(
                &mut m,
                Intake::new(code, RequestOrigin::CitizenPortal, "eclairage", "x", t0()).at_point(p),
            )
            .unwrap();
        assert_eq!(r, Routed::Manual, "{code}");
    }
    // typed errors, nothing changed
    let (n, p) = (m.requests().len(), c.pending().len());
    assert!(matches!(
        c.submit(
            &mut m,
            Intake::new("R8", RequestOrigin::CitizenPortal, "nope", "x", t0())
        ),
        Err(Error::InvalidField {
            field: "service_code",
            ..
        })
    ));
    assert!(matches!(
        c.add_territory(&m, "MABLY", r#"{"type":"Point","coordinates":[4,46]}"#),
        Err(Error::InvalidField {
            field: "geojson",
            ..
        })
    ));
    assert!(matches!(
        c.add_territory(&m, "AGGLO", VILLEREST_POLY),
        Err(Error::InvalidField {
            field: "commune",
            ..
        })
    ));
    assert_eq!((m.requests().len(), c.pending().len()), (n, p));
    // the catalogue round-trips as JSON
    assert_eq!(RequestCatalogue::from_json(&c.to_json()).unwrap(), c);
}

#[test]
fn statistics_hand_case() {
    let (mut m, mut c) = seed();
    m.add_service("VILLEREST", "VOIRIE", "Voirie").unwrap();
    m.add_team("T-VIL", "VILLEREST", "Régie", None).unwrap();
    m.add_supplier(NewSupplier::new("SUP", "Fournisseur", "73282932000074"))
        .unwrap();
    c.add_council("CQ-NORD", "Conseil de quartier nord", VILLEREST_POLY)
        .unwrap();
    m.add_asset(NewAsset::new(
        "ROAD-1",
        "Rue",
        AssetKind::Building,
        "VILLEREST",
        d(2000, 1, 1),
    ))
    .unwrap();
    let inside = GeoPoint {
        lat: 46.01,
        lon: 4.05,
    };
    // five closed requests of one service, delays to closure 1, 2, 3, 4, 10 days;
    // the first three answered by the team, the others by the supplier
    for (i, days) in [1i64, 2, 3, 4, 10].into_iter().enumerate() {
        let code = format!("S{i}");
        let at = t0() + Duration::days(i as i64);
        m.receive_request(
            mutualis::NewRequest::new(
                &code,
                RequestOrigin::CitizenPortal,
                "eclairage",
                "x",
                "VILLEREST",
                at,
            )
            .for_service("VOIRIE")
            .located(None, Some(inside)),
        )
        .unwrap();
        let wo = if i < 3 {
            NewWorkOrder::by_team(&format!("W{i}"), "t", "ROAD-1", "T-VIL")
        } else {
            NewWorkOrder::by_supplier(&format!("W{i}"), "t", "ROAD-1", "SUP")
        };
        m.create_work_order(wo.for_request(&code)).unwrap();
        m.set_request_status(
            &code,
            RequestStatus::InProgress,
            at + Duration::hours(12),
            None,
        )
        .unwrap();
        m.set_request_status(&code, RequestStatus::Fixed, at + Duration::days(days), None)
            .unwrap();
    }
    // one open request, overdue (target 5 days)
    m.receive_request(mutualis::NewRequest::new(
        "OPEN",
        RequestOrigin::Agent,
        "eclairage",
        "x",
        "VILLEREST",
        t0(),
    ))
    .unwrap();
    let s = c.statistics(&m, StatsBy::Service, None, None);
    let v = s.iter().find(|r| r.key == "VILLEREST/VOIRIE").unwrap();
    assert_eq!((v.received, v.closed, v.open), (5, 5, 0));
    assert_eq!(v.to_closure.count, 5);
    assert_eq!(v.to_closure.mean, Some(dec!(4)));
    assert_eq!(v.to_closure.median, Some(dec!(3)));
    assert_eq!(v.to_closure.p90, Some(dec!(10)));
    assert_eq!(v.to_first_response.mean, Some(dec!(0.5)));
    // within the 5-day target: 1, 2, 3, 4 → 4 of 5
    assert_eq!(v.within_target, Some(dec!(0.8)));
    let p = c.statistics(&m, StatsBy::Provider, None, None);
    let team = p.iter().find(|r| r.key == "T-VIL").unwrap();
    assert_eq!(team.to_closure.mean, Some(dec!(2)));
    assert_eq!(team.to_closure.median, Some(dec!(2)));
    let sup = p.iter().find(|r| r.key == "SUP").unwrap();
    assert_eq!(sup.to_closure.mean, Some(dec!(7)));
    assert_eq!(sup.to_closure.median, Some(dec!(7)));
    assert_eq!(p.iter().find(|r| r.key == "(none)").unwrap().open, 1);
    let all = c.statistics(&m, StatsBy::All, None, None);
    assert_eq!((all[0].received, all[0].closed, all[0].open), (6, 5, 1));
    let council = c.statistics(&m, StatsBy::Council, None, None);
    assert_eq!(
        council
            .iter()
            .find(|r| r.key == "CQ-NORD")
            .unwrap()
            .received,
        5
    );
    let months = c.statistics(&m, StatsBy::Month, None, None);
    assert_eq!(months[0].key, "2026-03");
    // a window
    let w = c.statistics(
        &m,
        StatsBy::Category,
        Some(t0() + Duration::days(1)),
        Some(t0() + Duration::days(3)),
    );
    assert_eq!(w[0].received, 2);
    let tenants = c.statistics(&m, StatsBy::Tenant, None, None);
    assert_eq!(tenants[0].key, "VILLEREST");
    // the overdue list
    let now = t0() + Duration::days(7);
    let o = c.overdue(&m, now);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].code, "OPEN");
    assert_eq!(o[0].days_late, Decimal::from(2));
}

#[test]
fn delay_figures_even_count_and_empty() {
    use mutualis::requests::stats::delay_figures;
    let mut v = vec![86_400, 3 * 86_400];
    let f = delay_figures(&mut v);
    assert_eq!(f.median, Some(dec!(2)));
    assert_eq!(f.p90, Some(dec!(3)));
    assert_eq!(delay_figures(&mut []).mean, None);
}
