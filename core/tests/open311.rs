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

fn seed() -> Mutualis {
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
    m.set_request_agglomeration("AGGLO").unwrap();
    m.add_request_category(NewCategory::new(
        "VILLEREST",
        "eclairage",
        "Éclairage public",
        Some(5),
    ))
    .unwrap();
    m.add_request_category(NewCategory::new("AGGLO", "dechets", "Déchets", Some(2)))
        .unwrap();
    m.add_request_category(NewCategory::new("AGGLO", "divers", "Divers", None))
        .unwrap();
    m.set_request_competence("eclairage", Competence::Communes)
        .unwrap();
    m.set_request_competence("dechets", Competence::Agglomeration)
        .unwrap();
    m.add_request_territory("VILLEREST", VILLEREST_POLY)
        .unwrap();
    m
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

#[test]
fn routing_acceptance_villerest_agglo_custody_manual() {
    let mut m = seed();
    let inside = GeoPoint {
        lat: 46.01,
        lon: 4.05,
    };
    // a POSTed request located in VILLEREST, category kept by the commune
    let r = m
        .submit_request(
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
    let r = m
        .submit_request(
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
    let r = m
        .submit_request(
            Intake::new("R3", RequestOrigin::CitizenPortal, "divers", "Autre", t0())
                .at_point(inside),
        )
        .unwrap();
    assert_eq!(r, Routed::Manual);
    assert_eq!(m.requests().len(), before);
    assert_eq!(m.request_catalogue().pending().len(), 1);
    assert_eq!(m.request_catalogue().pending()[0].code, "R3");
    // its code is taken while pending
    assert!(matches!(
        m.submit_request(Intake::new(
            "R3",
            RequestOrigin::CitizenPortal,
            "divers",
            "x",
            t0()
        )),
        Err(Error::DuplicateRequest(_))
    ));
    // route by hand: a bad tenant changes nothing
    assert!(matches!(
        m.route_request_by_hand("R3", "NOPE", None),
        Err(Error::UnknownTenant(_))
    ));
    assert_eq!(m.request_catalogue().pending().len(), 1);
    m.route_request_by_hand("R3", "MABLY", None).unwrap();
    assert!(m.request_catalogue().pending().is_empty());
    assert_eq!(m.tenant_code(m.request("R3").unwrap().tenant), "MABLY");
    // agglomeration competence; INSEE routing; a point in the hole or outside → manual
    let r = m
        .submit_request(Intake::new(
            "R4",
            RequestOrigin::NeighbourhoodCouncil,
            "dechets",
            "Bac",
            t0(),
        ))
        .unwrap();
    assert!(
        matches!(r, Routed::To { ref tenant, rule: RoutingRule::Agglomeration, .. } if tenant == "AGGLO")
    );
    let r = m
        .submit_request(
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
        let r = m
            .submit_request(
                Intake::new(code, RequestOrigin::CitizenPortal, "eclairage", "x", t0()).at_point(p),
            )
            .unwrap();
        assert_eq!(r, Routed::Manual, "{code}");
    }
    // typed errors, nothing changed
    let (n, p) = (m.requests().len(), m.request_catalogue().pending().len());
    assert!(matches!(
        m.submit_request(Intake::new(
            "R8",
            RequestOrigin::CitizenPortal,
            "nope",
            "x",
            t0()
        )),
        Err(Error::UnknownServiceCode(_))
    ));
    assert!(matches!(
        m.add_request_territory("MABLY", r#"{"type":"Point","coordinates":[4,46]}"#),
        Err(Error::InvalidField {
            field: "geojson",
            ..
        })
    ));
    assert!(matches!(
        m.add_request_territory("AGGLO", VILLEREST_POLY),
        Err(Error::InvalidField {
            field: "commune",
            ..
        })
    ));
    assert_eq!(
        (m.requests().len(), m.request_catalogue().pending().len()),
        (n, p)
    );
    // the catalogue round-trips as JSON, and imports into another registry
    let c = m.request_catalogue();
    assert_eq!(&RequestCatalogue::from_json(&c.to_json()).unwrap(), c);
}

#[test]
fn statistics_hand_case() {
    let mut m = seed();
    m.add_service("VILLEREST", "VOIRIE", "Voirie").unwrap();
    m.add_team("T-VIL", "VILLEREST", "Régie", None).unwrap();
    m.add_supplier(NewSupplier::new("SUP", "Fournisseur", "73282932000074"))
        .unwrap();
    m.add_request_council("CQ-NORD", "Conseil de quartier nord", VILLEREST_POLY)
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
    let s = m
        .request_catalogue()
        .statistics(&m, StatsBy::Service, None, None);
    let v = s.iter().find(|r| r.key == "VILLEREST/VOIRIE").unwrap();
    assert_eq!((v.received, v.closed, v.open), (5, 5, 0));
    assert_eq!(v.to_closure.count, 5);
    assert_eq!(v.to_closure.mean, Some(dec!(4)));
    assert_eq!(v.to_closure.median, Some(dec!(3)));
    assert_eq!(v.to_closure.p90, Some(dec!(10)));
    assert_eq!(v.to_first_response.mean, Some(dec!(0.5)));
    // within the 5-day target: 1, 2, 3, 4 → 4 of 5
    assert_eq!(v.within_target, Some(dec!(0.8)));
    let p = m
        .request_catalogue()
        .statistics(&m, StatsBy::Provider, None, None);
    let team = p.iter().find(|r| r.key == "T-VIL").unwrap();
    assert_eq!(team.to_closure.mean, Some(dec!(2)));
    assert_eq!(team.to_closure.median, Some(dec!(2)));
    let sup = p.iter().find(|r| r.key == "SUP").unwrap();
    assert_eq!(sup.to_closure.mean, Some(dec!(7)));
    assert_eq!(sup.to_closure.median, Some(dec!(7)));
    assert_eq!(p.iter().find(|r| r.key == "(none)").unwrap().open, 1);
    let all = m
        .request_catalogue()
        .statistics(&m, StatsBy::All, None, None);
    assert_eq!((all[0].received, all[0].closed, all[0].open), (6, 5, 1));
    let council = m
        .request_catalogue()
        .statistics(&m, StatsBy::Council, None, None);
    assert_eq!(
        council
            .iter()
            .find(|r| r.key == "CQ-NORD")
            .unwrap()
            .received,
        5
    );
    let months = m
        .request_catalogue()
        .statistics(&m, StatsBy::Month, None, None);
    assert_eq!(months[0].key, "2026-03");
    // a window
    let w = m.request_catalogue().statistics(
        &m,
        StatsBy::Category,
        Some(t0() + Duration::days(1)),
        Some(t0() + Duration::days(3)),
    );
    assert_eq!(w[0].received, 2);
    let tenants = m
        .request_catalogue()
        .statistics(&m, StatsBy::Tenant, None, None);
    assert_eq!(tenants[0].key, "VILLEREST");
    // the overdue list
    let now = t0() + Duration::days(7);
    let o = m.request_catalogue().overdue(&m, now);
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

mod georeport {
    use super::*;
    use mutualis::requests::georeport::{
        error_status, render_error, render_requests, render_service_definition, render_services,
        render_token, Format, RequestQuery,
    };
    use mutualis::requests::routing::CategoryAttribute;

    /// The element names of an XML text, in order (opening tags only).
    fn tags(xml: &str) -> Vec<String> {
        xml.split('<')
            .skip(1)
            .filter(|t| !t.starts_with('/') && !t.starts_with('?'))
            .map(|t| t.split(['>', ' ', '/']).next().unwrap().to_owned())
            .collect()
    }

    /// The keys of the first JSON object in a list, in text order.
    fn keys(json: &str) -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let obj = v[0].as_object().unwrap();
        let mut k: Vec<(usize, String)> = obj
            .keys()
            .map(|k| (json.find(&format!("\"{k}\":")).unwrap(), k.clone()))
            .collect();
        k.sort();
        k.into_iter().map(|(_, k)| k).collect()
    }

    // The field lists of the specification's examples (GeoReport v2).
    const SERVICE: &[&str] = &[
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ];
    const REQUEST: &[&str] = &[
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ];

    fn portal() -> Mutualis {
        let mut m = seed();
        let mut k = NewCategory::new("VILLEREST", "tags", "Tags & graffitis", Some(3));
        k.description = "Tags sur un mur <public>".into();
        k.keywords = vec!["tag".into(), "graffiti".into()];
        k.group = "propreté".into();
        k.attributes = vec![CategoryAttribute {
            code: "SURFACE".into(),
            datatype: "singlevaluelist".into(),
            required: true,
            description: "Quelle surface ?".into(),
            order: 1,
            values: vec![("mur".into(), "Mur".into()), ("sol".into(), "Sol".into())],
        }];
        m.add_request_category(k).unwrap();
        m.set_request_competence("tags", Competence::Communes)
            .unwrap();
        m
    }

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn service_list_and_definition_match_the_spec() {
        let m = portal();
        let j = render_services(m.request_catalogue(), Format::Json);
        assert_eq!(keys(&j), SERVICE);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        let tags_svc = v
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == "tags")
            .unwrap();
        assert_eq!(tags_svc["metadata"], true);
        assert_eq!(tags_svc["type"], "realtime");
        assert_eq!(tags_svc["keywords"], "tag, graffiti");
        assert_eq!(tags_svc["group"], "propreté");
        let x = render_services(m.request_catalogue(), Format::Xml);
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"));
        let t = tags(&x);
        assert_eq!(&t[..2], ["services", "service"]);
        assert_eq!(&t[2..9], SERVICE);
        assert!(x.contains("<description>Tags sur un mur &lt;public&gt;</description>"));
        let d = render_service_definition(m.request_catalogue(), "tags", Format::Json).unwrap();
        let v: serde_json::Value = serde_json::from_str(&d).unwrap();
        assert_eq!(v["service_code"], "tags");
        let a = &v["attributes"][0];
        for k in [
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ] {
            assert!(a.get(k).is_some(), "{k}");
        }
        assert_eq!(a["values"][1]["key"], "sol");
        let x = render_service_definition(m.request_catalogue(), "tags", Format::Xml).unwrap();
        assert_eq!(
            tags(&x),
            [
                "service_definition",
                "service_code",
                "attributes",
                "attribute",
                "variable",
                "code",
                "datatype",
                "required",
                "datatype_description",
                "order",
                "description",
                "values",
                "value",
                "key",
                "name",
                "value",
                "key",
                "name"
            ]
        );
        let e = render_service_definition(m.request_catalogue(), "nope", Format::Json).unwrap_err();
        assert_eq!(error_status(&e), 400);
    }

    #[test]
    fn post_then_read_in_json_and_xml() {
        let mut m = portal();
        let now = t0();
        let created = m
            .create_request_from_fields(
                &f(&[
                    ("service_code", "tags"),
                    ("lat", "46.01"),
                    ("long", "4.05"),
                    ("email", "a@b.fr"),
                    ("first_name", "Ana"),
                    ("description", "Tag sur l'école"),
                    ("media_url", "https://example.org/1.jpg"),
                    ("attribute[SURFACE]", "mur"),
                    ("zipcode", "42300"),
                ]),
                "WEB-",
                now,
            )
            .unwrap();
        let id = created.service_request_id.clone().unwrap();
        assert_eq!(m.tenant_code(m.request(&id).unwrap().tenant), "VILLEREST");
        assert_eq!(
            keys(&created.render(Format::Json)),
            ["service_request_id", "service_notice", "account_id"]
        );
        assert_eq!(
            tags(&created.render(Format::Xml)),
            [
                "service_requests",
                "request",
                "service_request_id",
                "service_notice",
                "account_id"
            ]
        );
        m.set_request_status(
            &id,
            RequestStatus::Fixed,
            now + Duration::days(1),
            Some("Nettoyé"),
        )
        .unwrap();
        let list = m
            .request_catalogue()
            .service_requests(&m, &RequestQuery::default())
            .unwrap();
        assert_eq!(list.len(), 1);
        let j = render_requests(&list, Format::Json);
        assert_eq!(keys(&j), REQUEST);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        let r = &v[0];
        assert_eq!(r["service_request_id"], id.as_str());
        assert_eq!(r["status"], "closed");
        assert_eq!(r["status_notes"], "Nettoyé");
        assert_eq!(r["service_name"], "Tags & graffitis");
        assert_eq!(r["agency_responsible"], "Villerest");
        assert_eq!(r["requested_datetime"], "2026-03-02T09:00:00Z");
        assert_eq!(r["updated_datetime"], "2026-03-03T09:00:00Z");
        assert_eq!(r["expected_datetime"], "2026-03-05T09:00:00Z");
        assert_eq!(r["zipcode"], "42300");
        assert_eq!(r["lat"], 46.01);
        assert_eq!(r["long"], 4.05);
        assert_eq!(r["media_url"], "https://example.org/1.jpg");
        assert!(!j.contains("a@b.fr") && !j.contains("Ana"));
        let x = render_requests(&list, Format::Xml);
        let t = tags(&x);
        assert_eq!(&t[..2], ["service_requests", "request"]);
        assert_eq!(&t[2..], REQUEST);
        assert!(x.contains("<status_notes>Nettoyé</status_notes>"));
        assert!(x.contains("<service_name>Tags &amp; graffitis</service_name>"));
        // extensions: extended status, updated since, pagination, filters
        let q = RequestQuery::from_params(&f(&[
            ("extensions", "true"),
            ("updated_since", "2026-03-03T00:00:00Z"),
            ("status", "closed"),
        ]))
        .unwrap();
        let l = m.request_catalogue().service_requests(&m, &q).unwrap();
        assert_eq!(l[0].extended_status, Some("fixed"));
        let q = RequestQuery::from_params(&f(&[("updated_since", "2026-03-04T00:00:00+01:00")]))
            .unwrap();
        assert!(m
            .request_catalogue()
            .service_requests(&m, &q)
            .unwrap()
            .is_empty());
        let q = RequestQuery::from_params(&f(&[("page", "2"), ("page_size", "1")])).unwrap();
        assert!(m
            .request_catalogue()
            .service_requests(&m, &q)
            .unwrap()
            .is_empty());
        assert!(matches!(
            RequestQuery::from_params(&f(&[("start_date", "yesterday")])),
            Err(Error::InvalidField {
                field: "start_date",
                ..
            })
        ));
        // a category with no rule: a token, then the id once routed by hand
        let created = m
            .create_request_from_fields(
                &f(&[
                    ("service_code", "divers"),
                    ("address_string", "Place de la mairie"),
                ]),
                "WEB-",
                now,
            )
            .unwrap();
        let token = created.token.clone().unwrap();
        assert_eq!(created.service_request_id, None);
        assert_eq!(m.request_catalogue().token(&m, &token).unwrap(), None);
        assert_eq!(
            render_token(&token, None, Format::Json),
            format!("[{{\"service_request_id\":null,\"token\":\"{token}\"}}]")
        );
        m.route_request_by_hand(&token, "MABLY", None).unwrap();
        assert_eq!(
            m.request_catalogue().token(&m, &token).unwrap(),
            Some(token.clone())
        );
    }

    #[test]
    fn bad_posts_give_typed_errors_and_change_nothing() {
        let mut m = portal();
        let before = m.clone();
        for (fields, field) in [
            (vec![("lat", "46"), ("long", "4")], "service_code"),
            (
                vec![("service_code", "nope"), ("lat", "46"), ("long", "4")],
                "unknown_service_code",
            ),
            (vec![("service_code", "divers")], "missing_location"),
            (
                vec![("service_code", "divers"), ("lat", "46")],
                "missing_location",
            ),
            (
                vec![("service_code", "divers"), ("lat", "x"), ("long", "4")],
                "lat",
            ),
            (
                vec![("service_code", "tags"), ("address_string", "x")],
                "attribute",
            ),
            (
                vec![
                    ("service_code", "tags"),
                    ("address_string", "x"),
                    ("attribute[SURFACE]", "toit"),
                ],
                "attribute",
            ),
        ] {
            let e = m
                .create_request_from_fields(&f(&fields), "WEB-", t0())
                .unwrap_err();
            assert!(
                matches!(e, Error::InvalidField { field: f, .. } if f == field)
                    || e.kind() == field,
                "{e:?}"
            );
            assert_eq!(error_status(&e), 400);
        }
        let e = m
            .create_request_from_fields(
                &f(&[("service_code", "eclairage"), ("lat", "91"), ("long", "4")]),
                "WEB-",
                t0(),
            )
            .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidField {
                field: "location",
                ..
            }
        ));
        assert_eq!(m, before);
        // the spec's error format
        assert_eq!(
            render_error(400, "service_code not found", Format::Json),
            r#"[{"code":400,"description":"service_code not found"}]"#
        );
        assert_eq!(
            render_error(403, "Invalid api_key", Format::Xml),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>403</code><description>Invalid api_key</description></error></errors>"
        );
    }
}

/// The catalogue is part of the registry: built through commands, it is in
/// the journal (replay), the dataset (JSON and binary), the store, and each
/// command is undone by a failing unit of work.
mod catalogue_in_the_registry {
    use super::*;
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    use mutualis::requests::georeport::error_status;
    use mutualis::store::Store;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The seed, a council, a routed and a pending POST, a routed-by-hand one.
    fn built() -> Mutualis {
        let mut m = seed();
        m.add_request_council("CQ-NORD", "Conseil nord", VILLEREST_POLY)
            .unwrap();
        m.create_request_from_fields(
            &fields(&[
                ("service_code", "eclairage"),
                ("lat", "46.01"),
                ("long", "4.05"),
                ("email", "a@b.fr"),
                ("media_url", "https://example.org/1.jpg"),
            ]),
            "WEB-",
            t0(),
        )
        .unwrap();
        m.create_request_from_fields(
            &fields(&[("service_code", "divers"), ("address_string", "Mairie")]),
            "WEB-",
            t0(),
        )
        .unwrap();
        m.submit_request(Intake::new(
            "HAND",
            RequestOrigin::Phone,
            "divers",
            "x",
            t0(),
        ))
        .unwrap();
        m.route_request_by_hand("HAND", "MABLY", None).unwrap();
        m
    }

    #[test]
    fn survives_replay_dataset_and_store() {
        let m = built();
        let c = m.request_catalogue();
        assert_eq!(c.categories().len(), 3);
        assert_eq!(c.councils().len(), 1);
        assert_eq!(c.pending().len(), 1);
        assert_eq!(c.competence("dechets"), Some(Competence::Agglomeration));
        assert_eq!(
            c.post_extras("WEB-1").unwrap().media_url.as_deref(),
            Some("https://example.org/1.jpg")
        );
        // the journal
        let kinds: Vec<String> = m
            .journal()
            .iter()
            .map(|e| {
                serde_json::to_value(&e.event).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        for k in [
            "request_agglomeration_set",
            "request_category_added",
            "request_competence_set",
            "request_territory_added",
            "request_council_added",
            "request_submitted",
            "request_routed_by_hand",
        ] {
            assert!(kinds.iter().any(|x| x == k), "{k}");
        }
        assert!(!kinds.iter().any(|x| x == "request_received"));
        assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
        assert_eq!(Mutualis::from_journal_json(&m.journal_json()).unwrap(), m);
        // the dataset, JSON and binary
        let json = m.to_json();
        assert!(json.contains("\"request_catalogue\""));
        let back = Mutualis::from_json(&json).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_json(), json);
        assert_eq!(Mutualis::read_msgpack(&m.to_msgpack()[..]).unwrap(), m);
        // a dataset without the section (written before it) still loads
        assert_eq!(
            Mutualis::from_json(&Mutualis::new().to_json())
                .unwrap()
                .request_catalogue(),
            &RequestCatalogue::new()
        );
        // a catalogue file imports as commands, all or nothing
        let mut plain = Mutualis::new();
        plain
            .add_tenant(NewTenant::commune(
                "VILLEREST",
                "Villerest",
                "214203317",
                "42332",
            ))
            .unwrap();
        let file = m.request_catalogue().to_json();
        assert!(matches!(
            plain.import_request_catalogue(&file),
            Err(Error::UnknownTenant(_))
        ));
        assert_eq!(plain.request_catalogue(), &RequestCatalogue::new());
        assert_eq!(plain.journal().len(), 1);
        plain
            .add_tenant(NewTenant::new(
                "AGGLO",
                "Agglo",
                TenantKind::CommunauteDAgglomeration,
                "200035731",
            ))
            .unwrap();
        plain.import_request_catalogue(&file).unwrap();
        let c = plain.request_catalogue();
        assert_eq!(c.categories(), m.request_catalogue().categories());
        assert_eq!(c.territories(), m.request_catalogue().territories());
        assert_eq!(c.pending(), m.request_catalogue().pending());
        assert_eq!(
            c.post_extras("WEB-2"),
            m.request_catalogue().post_extras("WEB-2")
        );
        assert_eq!(Mutualis::replay(plain.journal()).unwrap(), plain);
        // the store: written through commands, reopened from the file
        let dir = std::env::temp_dir().join(format!("mutualis-catalogue-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("portal.db");
        let _ = std::fs::remove_file(&path);
        {
            let mut s = Store::open(&path, "t").unwrap();
            for e in m.journal() {
                let ev = e.event.clone();
                s.execute(move |r| r.apply(ev)).unwrap();
            }
            assert_eq!(s.registry(), &m);
            s.snapshot().unwrap();
            s.execute(|r| {
                r.submit_request(Intake::new(
                    "AFTER",
                    RequestOrigin::Agent,
                    "dechets",
                    "Bac",
                    t0(),
                ))
            })
            .unwrap();
        }
        let s = Store::open(&path, "t").unwrap();
        assert_eq!(s.registry().request_catalogue(), m.request_catalogue());
        assert_eq!(
            s.registry()
                .tenant_code(s.registry().request("AFTER").unwrap().tenant),
            "AGGLO"
        );
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn each_command_is_undone_by_a_failing_unit_of_work() {
        let mut s = Store::open_in_memory("t").unwrap();
        let base = built();
        for e in base.journal() {
            let ev = e.event.clone();
            s.execute(move |r| r.apply(ev)).unwrap();
        }
        let before = s.registry().clone();
        let fail = || Err::<(), _>(Error::UnknownTenant("STOP".into()));
        type Command = Box<dyn Fn(&mut Mutualis) -> mutualis::Result<()>>;
        let commands: Vec<Command> = vec![
            Box::new(|m| m.set_request_agglomeration("MABLY")),
            Box::new(|m| {
                m.add_request_category(NewCategory::new("MABLY", "voirie", "Voirie", Some(3)))
            }),
            Box::new(|m| m.set_request_competence("divers", Competence::Communes)),
            Box::new(|m| m.set_request_competence("eclairage", Competence::Agglomeration)),
            Box::new(|m| m.add_request_territory("MABLY", VILLEREST_POLY)),
            Box::new(|m| m.add_request_council("CQ-SUD", "Sud", VILLEREST_POLY)),
            Box::new(|m| {
                m.submit_request(Intake::new("U1", RequestOrigin::Agent, "divers", "x", t0()))
                    .map(drop)
            }),
            Box::new(|m| {
                m.submit_request(
                    Intake::new("U2", RequestOrigin::Agent, "eclairage", "x", t0()).at_point(
                        GeoPoint {
                            lat: 46.01,
                            lon: 4.05,
                        },
                    ),
                )
                .map(drop)
            }),
            Box::new(|m| m.route_request_by_hand("WEB-2", "MABLY", None).map(drop)),
            Box::new(|m| {
                m.create_request_from_fields(
                    &fields(&[("service_code", "divers"), ("address_id", "A-12")]),
                    "WEB-",
                    t0(),
                )
                .map(drop)
            }),
        ];
        for (i, c) in commands.iter().enumerate() {
            let r = s.execute(|m| {
                c(m)?;
                fail()
            });
            assert!(r.is_err(), "{i}");
            assert_eq!(s.registry(), &before, "command {i} was not undone");
            assert_eq!(s.registry().journal().len(), before.journal().len());
        }
        // …and each applies for good afterwards
        for c in &commands {
            s.execute(|m| c(m)).unwrap();
        }
        assert_eq!(s.registry().request_catalogue().pending().len(), 2);
    }

    #[test]
    fn typed_errors_for_tokens_and_pending_requests() {
        let mut m = built();
        let before = m.clone();
        let c = m.request_catalogue();
        assert_eq!(c.token(&m, "WEB-2").unwrap(), None);
        let e = c.token(&m, "NOPE").unwrap_err();
        assert!(matches!(e, Error::UnknownToken(_)));
        assert_eq!(error_status(&e), 404);
        // a pending request has a token, no id yet
        let e = m.request("WEB-2").unwrap_err();
        assert!(matches!(e, Error::AwaitingRouting(_)));
        assert_eq!(error_status(&e), 404);
        assert!(matches!(
            m.set_request_status("WEB-2", RequestStatus::Fixed, t0(), None),
            Err(Error::AwaitingRouting(_))
        ));
        // its code is taken, for a POST or a request received directly
        assert!(matches!(
            m.receive_request(mutualis::NewRequest::new(
                "WEB-2",
                RequestOrigin::Agent,
                "divers",
                "x",
                "MABLY",
                t0()
            )),
            Err(Error::DuplicateRequest(_))
        ));
        assert!(matches!(
            m.route_request_by_hand("NOPE", "MABLY", None),
            Err(Error::UnknownRequest(_))
        ));
        let e = m
            .set_request_competence("nope", Competence::Communes)
            .unwrap_err();
        assert!(matches!(e, Error::UnknownServiceCode(_)));
        assert_eq!(error_status(&e), 400);
        let e = m
            .create_request_from_fields(&fields(&[("service_code", "divers")]), "WEB-", t0())
            .unwrap_err();
        assert!(matches!(e, Error::MissingLocation(_)));
        assert_eq!(error_status(&e), 400);
        assert_eq!(m, before);
        assert_eq!(m.journal().len(), before.journal().len());
    }

    #[test]
    fn access_configuration_and_filtered_statistics() {
        let mut m = built();
        m.add_role("AGENT", "Agent", &["requests:write"]).unwrap();
        m.add_role("ADMIN", "Admin", &["access:write", "requests:write"])
            .unwrap();
        for (code, tenant) in [("agent.vil", "VILLEREST"), ("admin.vil", "VILLEREST")] {
            m.add_principal(NewPrincipal {
                code: code.into(),
                name: code.into(),
                kind: PrincipalKind::Agent,
                tenant: Some(tenant.into()),
                supplier: None,
            })
            .unwrap();
        }
        let scope = ScopeRef::Tenant {
            tenant: "VILLEREST".into(),
        };
        let from = mutualis::Period::starting(d(2020, 1, 1));
        m.grant("agent.vil", "AGENT", &scope, from).unwrap();
        m.grant("admin.vil", "ADMIN", &scope, from).unwrap();
        m.set_clock(mutualis::Clock::Fixed(t0()));
        // an agent cannot change the catalogue; its administrator can
        let before = m.clone();
        let k = || NewCategory::new("VILLEREST", "bancs", "Bancs", Some(7));
        let r = m
            .as_principal_mut("agent.vil")
            .unwrap()
            .execute(|m| m.add_request_category(k()));
        assert!(matches!(r, Err(Error::Forbidden { .. })), "{r:?}");
        assert_eq!(m.request_catalogue(), before.request_catalogue());
        m.as_principal_mut("admin.vil")
            .unwrap()
            .execute(|m| m.add_request_category(k()))
            .unwrap();
        // the competences are the group's
        let r = m
            .as_principal_mut("admin.vil")
            .unwrap()
            .execute(|m| m.set_request_competence("bancs", Competence::Communes));
        assert!(matches!(r, Err(Error::Forbidden { .. })));
        // the agent submits a request routed to its commune, not one kept
        // for manual routing (the group's)
        let inside = GeoPoint {
            lat: 46.01,
            lon: 4.05,
        };
        m.as_principal_mut("agent.vil")
            .unwrap()
            .execute(|m| {
                m.submit_request(
                    Intake::new("A1", RequestOrigin::Agent, "eclairage", "x", t0())
                        .at_point(inside),
                )
            })
            .unwrap();
        let r = m.as_principal_mut("agent.vil").unwrap().execute(|m| {
            m.submit_request(Intake::new("A2", RequestOrigin::Agent, "divers", "x", t0()))
        });
        assert!(matches!(r, Err(Error::Forbidden { .. })));
        // its reader counts VILLEREST's requests only
        let all = m
            .request_catalogue()
            .statistics(&m, StatsBy::Tenant, None, None);
        assert!(all.iter().any(|s| s.key == "MABLY"));
        let mine =
            m.as_principal("agent.vil")
                .unwrap()
                .request_statistics(StatsBy::Tenant, None, None);
        assert_eq!(
            mine.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
            ["VILLEREST"]
        );
        let q = mutualis::requests::georeport::RequestQuery::default();
        let seen = m
            .as_principal("agent.vil")
            .unwrap()
            .service_requests(&q)
            .unwrap();
        assert!(seen.iter().all(|r| m
            .tenant_code(m.request(&r.service_request_id).unwrap().tenant)
            == "VILLEREST"));
        assert_eq!(
            m.as_principal("agent.vil")
                .unwrap()
                .overdue_requests(t0() + Duration::days(30))
                .iter()
                .map(|o| o.tenant.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>(),
            ["VILLEREST"]
        );
    }
}
