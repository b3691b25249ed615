//! End to end: the server started on a free local port over a seeded store
//! (the Roannais scenario) and catalogue, spoken to over HTTP.

mod common;

use common::{call, keys, raw, seed, tags, temp_dir, xml_text, Server, KEY};

// The field lists of the GeoReport v2 specification's examples, in order.
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

/// A point inside the demo's VILLEREST territory.
const IN_VILLEREST: [(&str, &str); 2] = [("lat", "46.01"), ("long", "4.05")];

fn tenant_of(s: &Server, id: &str) -> String {
    let a = s.shared.app();
    let m = a.registry();
    m.tenant_code(m.request(id).unwrap().tenant).to_owned()
}

fn post(s: &Server, ext: &str, extra: &[(&str, &str)]) -> common::Reply {
    let mut form = vec![("api_key", KEY)];
    form.extend_from_slice(extra);
    s.post_form(&format!("/requests.{ext}"), &form)
}

#[test]
fn services_match_the_specification_examples_in_json_and_xml() {
    let dir = temp_dir("services");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);

    let r = s.get("/services.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/json; charset=utf-8");
    assert_eq!(keys(&r.body), SERVICE);
    let v = r.json();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 4);
    let ex = list.iter().find(|x| x["service_code"] == "001").unwrap();
    // every object has exactly the spec's fields, typed as in its example
    for x in list {
        let mut k: Vec<&str> = x.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort_unstable();
        let mut want = SERVICE.to_vec();
        want.sort_unstable();
        assert_eq!(k, want);
        assert!(x["metadata"].is_boolean());
        assert!(x["service_code"].is_string());
    }
    assert_eq!(ex["service_name"], "Cans left out 24x7");
    assert_eq!(ex["metadata"], true);
    assert_eq!(ex["type"], "realtime");
    assert_eq!(ex["keywords"], "lorem, ipsum, dolor");
    assert_eq!(ex["group"], "sanitation");

    let x = s.get("/services.xml");
    assert_eq!(x.status, 200);
    assert_eq!(x.content_type, "text/xml; charset=utf-8");
    assert!(x
        .body
        .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"));
    let t = tags(&x.body);
    assert_eq!(t[0], "services");
    // each <service> holds the spec's elements in its order
    for chunk in t[1..].chunks(SERVICE.len() + 1) {
        assert_eq!(chunk[0], "service");
        assert_eq!(&chunk[1..], SERVICE);
    }
    let svc = &x.body[x.body.find("<service_code>001<").unwrap()..];
    assert_eq!(xml_text(svc, "service_name"), Some("Cans left out 24x7"));
    assert_eq!(xml_text(svc, "metadata"), Some("true"));
    assert_eq!(xml_text(svc, "type"), Some("realtime"));
    assert_eq!(xml_text(svc, "keywords"), Some("lorem, ipsum, dolor"));
    assert_eq!(xml_text(svc, "group"), Some("sanitation"));

    // the service definition
    let d = s.get("/services/001.json");
    assert_eq!(d.status, 200);
    let v = d.json();
    assert_eq!(v["service_code"], "001");
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
    assert_eq!(a["values"][0]["key"], "1");
    let d = s.get("/services/001.xml");
    assert_eq!(d.status, 200);
    assert_eq!(
        &tags(&d.body)[..4],
        [
            "service_definition",
            "service_code",
            "attributes",
            "attribute"
        ]
    );

    // an unknown service: the spec's error format, in both formats
    let e = s.get("/services/nope.json");
    assert_eq!(e.status, 400);
    let v = e.json();
    assert_eq!(v[0]["code"], 400);
    assert!(v[0]["description"].as_str().unwrap().contains("nope"));
    let e = s.get("/services/nope.xml");
    assert_eq!(e.status, 400);
    assert_eq!(tags(&e.body), ["errors", "error", "code", "description"]);
    assert_eq!(xml_text(&e.body, "code"), Some("400"));
    // no format, unknown route
    assert_eq!(s.get("/services/001").status, 404);
    assert_eq!(s.get("/nothing.json").status, 404);
    s.stop();
}

#[test]
fn posts_are_routed_as_the_acceptance_says_and_read_back() {
    let dir = temp_dir("routing");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);
    let (n0, p0, h0) = s.counts();

    // located in VILLEREST, a category the communes kept → VILLEREST
    let mut f = vec![
        ("service_code", "eclairage"),
        ("description", "Lampadaire éteint rue des Écoles"),
        ("email", "ana@example.org"),
        ("first_name", "Ana"),
        ("phone", "0600000000"),
        ("media_url", "https://example.org/p.jpg"),
        ("zipcode", "42300"),
    ];
    f.extend_from_slice(&IN_VILLEREST);
    let r = post(&s, "json", &f);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        keys(&r.body),
        ["service_request_id", "service_notice", "account_id"]
    );
    let id1 = r.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(tenant_of(&s, &id1), "VILLEREST");

    // the same category on an asset in custody of AGGLO → AGGLO (XML answer)
    let mut f = vec![
        ("service_code", "eclairage"),
        ("address_id", "VOIE-ZA-MABLY"),
    ];
    f.extend_from_slice(&IN_VILLEREST);
    let r = post(&s, "xml", &f);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        tags(&r.body),
        [
            "service_requests",
            "request",
            "service_request_id",
            "service_notice",
            "account_id"
        ]
    );
    let id2 = xml_text(&r.body, "service_request_id").unwrap().to_owned();
    assert_eq!(tenant_of(&s, &id2), "AGGLO");

    // a category with no rule → manual routing: a token, nothing dropped
    let r = post(
        &s,
        "json",
        &[
            ("service_code", "divers"),
            ("address_string", "Place du marché"),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(keys(&r.body), ["token", "service_notice", "account_id"]);
    let token = r.json()[0]["token"].as_str().unwrap().to_owned();
    let (n, p, h) = s.counts();
    assert_eq!((n, p), (n0 + 2, p0 + 1));
    assert!(h > h0);

    // the token: no id until routed by hand
    let t = s.get(&format!("/tokens/{token}.json"));
    assert_eq!(t.status, 200);
    assert_eq!(keys(&t.body), ["service_request_id", "token"]);
    assert!(t.json()[0]["service_request_id"].is_null());
    let t = s.get(&format!("/tokens/{token}.xml"));
    assert_eq!(
        tags(&t.body),
        ["service_requests", "request", "service_request_id", "token"]
    );
    assert_eq!(s.get("/tokens/NOPE.json").status, 404);

    // GET one request, JSON and XML, with the spec's fields in its order
    let g = s.get(&format!("/requests/{id1}.json"));
    assert_eq!(g.status, 200);
    let v = g.json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let one = &v[0];
    let mut k: Vec<&str> = one
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    k.retain(|k| *k != "extended_status");
    k.sort_unstable();
    let mut want = REQUEST.to_vec();
    want.sort_unstable();
    assert_eq!(k, want);
    assert_eq!(one["service_request_id"], id1.as_str());
    assert_eq!(one["status"], "open");
    assert_eq!(one["service_code"], "eclairage");
    assert_eq!(one["service_name"], "Éclairage public");
    assert_eq!(one["description"], "Lampadaire éteint rue des Écoles");
    assert_eq!(one["agency_responsible"], "Commune de Villerest");
    assert_eq!(one["lat"], 46.01);
    assert_eq!(one["long"], 4.05);
    assert_eq!(one["zipcode"], "42300");
    assert_eq!(one["media_url"], "https://example.org/p.jpg");
    // contact fields are kept, never shown
    assert!(!g.body.contains("ana@example.org") && !g.body.contains("0600000000"));
    let x = s.get(&format!("/requests/{id2}.xml"));
    assert_eq!(x.status, 200);
    let t = tags(&x.body);
    assert_eq!(&t[..2], ["service_requests", "request"]);
    let fields: Vec<&str> = t[2..]
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "extended_status")
        .collect();
    assert_eq!(fields, REQUEST);
    assert_eq!(
        xml_text(&x.body, "agency_responsible"),
        Some("Roannais Agglomération")
    );
    assert_eq!(xml_text(&x.body, "address_id"), Some("VOIE-ZA-MABLY"));
    assert_eq!(s.get("/requests/NOPE.json").status, 404);
    let e = s.get("/requests/NOPE.xml");
    assert_eq!(e.status, 404);
    assert_eq!(xml_text(&e.body, "code"), Some("404"));
    s.stop();
}

#[test]
fn refusals_use_the_spec_error_format_and_store_nothing() {
    let dir = temp_dir("refusals");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);
    let before = s.counts();
    let cat_before = std::fs::read_to_string(&cat).unwrap();

    let check = |r: common::Reply, status: u16, needle: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        let v = r.json();
        assert_eq!(v[0]["code"], status);
        let d = v[0]["description"].as_str().unwrap();
        assert!(d.contains(needle), "{d:?} lacks {needle:?}");
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0].as_object().unwrap().len(), 2);
    };
    // unknown service_code → 400
    let mut f = vec![("service_code", "nope")];
    f.extend_from_slice(&IN_VILLEREST);
    check(post(&s, "json", &f), 400, "service_code");
    // in XML too
    let x = post(&s, "xml", &f);
    assert_eq!(x.status, 400);
    assert_eq!(tags(&x.body), ["errors", "error", "code", "description"]);
    // missing service_code, missing location, half a location, bad numbers
    check(post(&s, "json", &IN_VILLEREST), 400, "service_code");
    check(
        post(&s, "json", &[("service_code", "eclairage")]),
        400,
        "location",
    );
    check(
        post(
            &s,
            "json",
            &[("service_code", "eclairage"), ("lat", "46.01")],
        ),
        400,
        "location",
    );
    check(
        post(
            &s,
            "json",
            &[("service_code", "eclairage"), ("lat", "x"), ("long", "4")],
        ),
        400,
        "lat",
    );
    check(
        post(
            &s,
            "json",
            &[("service_code", "eclairage"), ("lat", "95"), ("long", "4")],
        ),
        400,
        "location",
    );
    // an attribute value not in the list
    check(
        post(
            &s,
            "json",
            &[
                ("service_code", "dechets"),
                ("address_string", "ici"),
                ("attribute[VOLUME]", "énorme"),
            ],
        ),
        400,
        "attribute",
    );
    // no API key → 400, a wrong one → 403
    let mut f = vec![("service_code", "eclairage")];
    f.extend_from_slice(&IN_VILLEREST);
    check(s.post_form("/requests.json", &f), 400, "api_key");
    let mut g = vec![("api_key", "wrong")];
    g.extend_from_slice(&f);
    check(s.post_form("/requests.json", &g), 403, "api_key");
    let x = s.post_form("/requests.xml", &g);
    assert_eq!(x.status, 403);
    assert_eq!(xml_text(&x.body, "code"), Some("403"));
    // malformed form bodies
    let form = |body: &[u8]| {
        call(
            s.addr,
            "POST",
            "/requests.json",
            Some("application/x-www-form-urlencoded"),
            body,
        )
    };
    check(form(b"api_key=k-3f9a27c1&service_code=%ZZ"), 400, "percent");
    check(
        form(b"api_key=k-3f9a27c1&service_code=\xff\xfe"),
        400,
        "UTF-8",
    );
    check(form(b"api_key=k-3f9a27c1&description=%C3"), 400, "UTF-8");
    // bad JSON (the JSON extension), a type that is neither
    let json = |body: &[u8]| {
        call(
            s.addr,
            "POST",
            "/requests.json",
            Some("application/json"),
            body,
        )
    };
    check(
        json(br#"{"api_key":"k-3f9a27c1","service_code":"#),
        400,
        "JSON",
    );
    check(json(b"[1,2]"), 400, "object");
    check(
        call(
            s.addr,
            "POST",
            "/requests.json",
            Some("text/plain"),
            b"hello",
        ),
        400,
        "not supported",
    );
    // an oversized body → 413, whatever it holds
    let big = format!(
        "api_key={KEY}&service_code=eclairage&lat=46.01&long=4.05&description={}",
        "x".repeat(10_000)
    );
    check(form(big.as_bytes()), 413, "4096 bytes");
    // a body announced larger than anything drained: refused at once
    check(
        raw(
            s.addr,
            format!(
                "POST /requests.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 900000000\r\n\r\napi_key={KEY}"
            )
            .as_bytes(),
        ),
        413,
        "exceeds",
    );
    // bad query parameters of GET requests
    check(
        s.get("/requests.json?start_date=yesterday"),
        400,
        "start_date",
    );
    check(s.get("/requests.json?page_size=5000"), 400, "page_size");
    check(s.get("/requests.json?status=maybe"), 400, "status");
    check(s.get("/requests.json?page=%G1"), 400, "percent");

    // nothing was stored: same requests, same pending list, same store head,
    // same catalogue file
    assert_eq!(s.counts(), before);
    assert_eq!(std::fs::read_to_string(&cat).unwrap(), cat_before);
    // and the server still works
    let mut f = vec![("service_code", "eclairage")];
    f.extend_from_slice(&IN_VILLEREST);
    assert_eq!(post(&s, "json", &f).status, 201);
    assert_eq!(s.counts().0, before.0 + 1);
    s.stop();
}

#[test]
fn get_requests_filters_by_the_spec_parameters_and_extensions() {
    let dir = temp_dir("query");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);
    let mut ids = Vec::new();
    for code in ["eclairage", "dechets", "eclairage"] {
        let mut f = vec![("service_code", code)];
        f.extend_from_slice(&IN_VILLEREST);
        let r = post(&s, "json", &f);
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(
            r.json()[0]["service_request_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let list = |q: &str| {
        let r = s.get(&format!("/requests.json{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["service_request_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let all = list("");
    assert!(ids.iter().all(|i| all.contains(i)));
    assert_eq!(list("?service_code=dechets"), [ids[1].clone()]);
    assert_eq!(
        list(&format!("?service_request_id={},{}", ids[0], ids[2])),
        [ids[0].clone(), ids[2].clone()]
    );
    assert_eq!(list("?status=open&service_code=eclairage").len(), 2);
    assert!(list(&format!(
        "?status=closed&service_request_id={}",
        ids.join(",")
    ))
    .is_empty());
    // a date window around now, and one in the past
    let now = chrono::Utc::now();
    let iso = |d: chrono::DateTime<chrono::Utc>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .replace('+', "%2B")
    };
    let w = list(&format!(
        "?start_date={}&end_date={}&service_code=eclairage,dechets",
        iso(now - chrono::Duration::hours(1)),
        iso(now + chrono::Duration::hours(1))
    ));
    assert_eq!(w, ids);
    assert!(list(&format!(
        "?end_date={}&service_code=eclairage",
        iso(now - chrono::Duration::days(400))
    ))
    .is_empty());
    // extensions: updated since, pages, extended status
    assert_eq!(
        list(&format!(
            "?updated_since={}&service_code=eclairage,dechets",
            iso(now - chrono::Duration::hours(1))
        ))
        .len(),
        3
    );
    assert_eq!(
        list(&format!(
            "?service_request_id={}&page_size=2&page=1",
            ids.join(",")
        ))
        .len(),
        2
    );
    assert_eq!(
        list(&format!(
            "?service_request_id={}&page_size=2&page=2",
            ids.join(",")
        )),
        [ids[2].clone()]
    );
    let r = s.get("/requests.json?extensions=true&service_code=dechets");
    assert_eq!(r.json()[0]["extended_status"], "open");
    let x = s.get("/requests.xml?service_code=dechets");
    assert_eq!(x.status, 200);
    assert_eq!(
        xml_text(&x.body, "service_request_id"),
        Some(ids[1].as_str())
    );
    s.stop();
}

#[test]
fn a_restart_keeps_the_requests_and_the_tokens() {
    let dir = temp_dir("restart");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);
    let mut f = vec![
        ("service_code", "eclairage"),
        ("media_url", "https://example.org/m.jpg"),
    ];
    f.extend_from_slice(&IN_VILLEREST);
    let id = post(&s, "json", &f).json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = post(
        &s,
        "json",
        &[("service_code", "divers"), ("address_string", "Quai")],
    )
    .json()[0]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let counts = s.counts();
    let before = s.get(&format!("/requests/{id}.json")).body;
    s.stop();

    let s = Server::start(&store, &cat, &[]);
    assert_eq!(s.counts(), counts);
    assert_eq!(s.get(&format!("/requests/{id}.json")).body, before);
    assert_eq!(tenant_of(&s, &id), "VILLEREST");
    let t = s.get(&format!("/tokens/{token}.json"));
    assert_eq!(t.status, 200);
    assert_eq!(t.json()[0]["token"], token.as_str());
    // new ids follow on
    let next = post(&s, "json", &f).json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(next, id);
    assert_ne!(next, token);
    s.stop();
}

#[test]
fn a_base_path_prefixes_every_endpoint() {
    let dir = temp_dir("base");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &["--base", "/open311/v2"]);
    assert_eq!(s.get("/open311/v2/services.json").status, 200);
    assert_eq!(s.get("/open311/v2/services/001.xml").status, 200);
    assert_eq!(s.get("/open311/v2/patrimoine.geojson").status, 200);
    let r = s.get("/services.json");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()[0]["code"], 404);
    let mut f = vec![("api_key", KEY), ("service_code", "eclairage")];
    f.extend_from_slice(&IN_VILLEREST);
    assert_eq!(s.post_form("/open311/v2/requests.json", &f).status, 201);
    s.stop();
}

#[test]
fn opus_patrimoine_publishes_public_facilities_and_never_a_cost() {
    let dir = temp_dir("patrimoine");
    let (store, cat) = seed(&dir);
    let s = Server::start(&store, &cat, &[]);
    // the gymnasium has costs in the scenario (421.09 on 2026-03-12)
    let total = {
        let a = s.shared.app();
        let r = a.registry().rollup("GYM-COUBERTIN", None).unwrap();
        assert!(r.lines > 0);
        r.total.ttc.to_string()
    };
    let j = s.get("/patrimoine.json");
    assert_eq!(j.status, 200);
    assert_eq!(j.content_type, "application/json; charset=utf-8");
    let v = j.json();
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["GYM-COUBERTIN", "EV-PARC-MABLY"]);
    let gym = &v[0];
    assert_eq!(gym["name"], "Gymnase Pierre de Coubertin");
    assert_eq!(gym["kind"], "building");
    assert_eq!(gym["address"], "Rue de Charlieu, 42300 Roanne");
    assert_eq!(gym["opening_status"], "open");
    assert_eq!(gym["accessibility"]["wheelchair"], "yes");
    let mut k: Vec<&str> = gym
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    assert_eq!(
        k,
        [
            "accessibility",
            "address",
            "code",
            "kind",
            "lat",
            "long",
            "name",
            "opening_hours",
            "opening_status"
        ]
    );
    let g = s.get("/patrimoine.geojson");
    assert_eq!(g.status, 200);
    assert_eq!(g.content_type, "application/geo+json; charset=utf-8");
    let v = g.json();
    assert_eq!(v["type"], "FeatureCollection");
    let f = &v["features"][0];
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(f["geometry"]["coordinates"][0], 4.0679);
    assert_eq!(f["properties"]["code"], "GYM-COUBERTIN");
    assert!(v["features"][1]["geometry"].is_null());
    // never a cost, never a private asset, never an internal attribute
    for body in [&j.body, &g.body] {
        assert!(!body.contains(&total), "{total} in {body}");
        for needle in [
            "421.09",
            "cost",
            "amount",
            "ttc",
            "ht\"",
            "floor_area",
            "2150",
            "owner",
            "MAISON-SERVICES",
            "GYM-COUBERTIN-CHAUFFERIE",
            "puissance_kw",
            "VH-",
        ] {
            assert!(
                !body.to_lowercase().contains(&needle.to_lowercase()),
                "{needle} in {body}"
            );
        }
    }
    s.stop();
}
