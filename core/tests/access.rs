//! Access rights through the authorised handles (issue 12, DOMAIN §8): the
//! acceptance scenario on the Roannais journal, custody and keys, every kind
//! of event refused without a grant and changing nothing, sync, and property
//! tests over random principals, grants and commands.

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::access::{Area, Mode, NewPrincipal, PrincipalKind, ScopeRef, Target};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::store::Store;
use mutualis::{
    AssetKind, Clock, CostInput, Error, JournalEntry, KeyBasis, Mutualis, NewAsset, NewSupplier,
    NewTenant, NewWorkOrder, Period, TenantKind, VatRate, WorkOrderStatus,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn entries(path: &str) -> Vec<JournalEntry> {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Roannais scenario, its clock fixed on 2026-06-01.
fn roannais() -> Mutualis {
    let mut m = Mutualis::replay(&entries("../tests/data/roannais-journal.json")).unwrap();
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap(),
    ));
    m
}

fn principal(
    code: &str,
    kind: PrincipalKind,
    tenant: Option<&str>,
    supplier: Option<&str>,
) -> NewPrincipal {
    NewPrincipal {
        code: code.into(),
        name: code.into(),
        kind,
        tenant: tenant.map(Into::into),
        supplier: supplier.map(Into::into),
    }
}

fn tenant(t: &str) -> ScopeRef {
    ScopeRef::Tenant { tenant: t.into() }
}

fn from_2020() -> Period {
    Period::starting(d(2020, 1, 1))
}

/// `e` is Forbidden with these fields.
fn forbidden<T: std::fmt::Debug>(r: mutualis::Result<T>, who: &str, action: &str, target: &str) {
    match r {
        Err(Error::Forbidden {
            principal,
            action: a,
            target: t,
        }) => {
            assert_eq!(
                (principal.as_str(), a.as_str(), t.as_str()),
                (who, action, target)
            );
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

/// The scenario with a signalisation contractor assigned BT-2026-0417 only.
fn with_contractor() -> Mutualis {
    let mut m = roannais();
    m.add_role("PRESTATAIRE", "Prestataire", &["work:write"])
        .unwrap();
    m.add_principal(principal(
        "signa.martin",
        PrincipalKind::Contractor,
        None,
        Some("SIGNA-LOIRE"),
    ))
    .unwrap();
    m.grant(
        "signa.martin",
        "PRESTATAIRE",
        &ScopeRef::WorkOrders {
            work_orders: vec!["BT-2026-0417".into()],
        },
        Period::new(d(2026, 1, 1), Some(d(2026, 12, 31))).unwrap(),
    )
    .unwrap();
    m
}

#[test]
fn a_contractor_assigned_one_work_order_acts_and_reads_there_only() {
    let mut m = with_contractor();
    let before = m.clone();
    let journal = m.journal().len();
    let who = "signa.martin";
    // recording on 18: refused, nothing changed
    let mut s = m.as_principal_mut(who).unwrap();
    forbidden(
        s.record_external(
            "BT-2026-0418",
            d(2026, 3, 18),
            None,
            "Panneaux",
            dec!(200),
            VatRate::Standard,
        ),
        who,
        "work:write (cost_recorded)",
        "work order BT-2026-0418",
    );
    forbidden(
        s.set_work_order_status(
            "BT-2026-0418",
            WorkOrderStatus::Closed,
            Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap(),
        ),
        who,
        "work:write (work_order_status_changed)",
        "work order BT-2026-0418",
    );
    // a closure that records on 17 then on 18: all or nothing
    forbidden(
        s.execute(|m| {
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(1), 1),
            )?;
            m.record_cost(
                "BT-2026-0418",
                CostInput::external(
                    d(2026, 3, 18),
                    None,
                    "Panneaux",
                    dec!(100),
                    VatRate::Standard,
                ),
            )
        }),
        who,
        "work:write (cost_recorded)",
        "work order BT-2026-0418",
    );
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), journal);
    // reading 18, another tenant's asset, the settlement matrix: refused
    let r = m.as_principal(who).unwrap();
    forbidden(
        r.work_order("BT-2026-0418"),
        who,
        "work:read (work_order)",
        "work order BT-2026-0418",
    );
    forbidden(
        r.work_order_lines("BT-2026-0418"),
        who,
        "work:read (work_order_lines)",
        "work order BT-2026-0418",
    );
    forbidden(
        r.asset("GYM-COUBERTIN-SALLE"),
        who,
        "assets:read (asset)",
        "asset GYM-COUBERTIN-SALLE",
    );
    forbidden(
        r.settlement_matrix(2026),
        who,
        "settlements:read (settlement_matrix)",
        "the group",
    );
    assert!(r.work_order("BT-2026-0417").is_ok());
    // its ledger: the lines of 17 only
    let lines = r.ledger_columns().unwrap();
    let w17 = m.work_order_id("BT-2026-0417").unwrap().index() as u32;
    assert!(!lines.line.is_empty());
    assert!(lines.work_order.iter().all(|&w| w == w17));
    assert_eq!(r.work_orders().len(), 1);
    // recording hours on 17: accepted, journalled with the contractor as actor
    let mut s = m.as_principal_mut(who).unwrap();
    s.record_labour("BT-2026-0417", d(2026, 3, 19), dec!(1.5), 2)
        .unwrap();
    let last = m.journal().last().unwrap();
    assert_eq!(last.actor, who);
    assert_eq!(m.actor(), "system", "the actor is restored after the call");
    // a closure journalling as someone else: refused, and the session keeps
    // its principal
    let n = m.journal().len();
    let mut s = m.as_principal_mut(who).unwrap();
    forbidden(
        s.execute(|m| {
            m.set_actor("agent.roanne");
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(1), 1),
            )
        }),
        who,
        "journal an event as another actor",
        "actor agent.roanne",
    );
    assert_eq!(s.principal(), who);
    s.record_labour("BT-2026-0417", d(2026, 3, 19), dec!(0.5), 1)
        .unwrap();
    assert_eq!(m.journal().len(), n + 1);
    assert_eq!(m.journal()[n].actor, who);
    m.set_actor("system");
    // the same command on a copy through the unchecked façade: same registry
    let mut copy = before.clone();
    copy.record_cost(
        "BT-2026-0417",
        CostInput::labour(d(2026, 3, 19), dec!(1.5), 2),
    )
    .unwrap();
    copy.record_cost(
        "BT-2026-0417",
        CostInput::labour(d(2026, 3, 19), dec!(0.5), 1),
    )
    .unwrap();
    assert_eq!(m, copy);
    // outside the grant's period (the action's date): refused
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).unwrap(),
    ));
    forbidden(
        m.as_principal_mut(who)
            .unwrap()
            .record_labour("BT-2026-0417", d(2026, 3, 19), dec!(1), 1),
        who,
        "work:write (cost_recorded)",
        "work order BT-2026-0417",
    );
    assert_eq!(
        m.as_principal_mut("nobody").unwrap_err().kind(),
        "unknown_principal"
    );
}

#[test]
fn the_holder_writes_the_owner_reads_a_payer_sees_what_it_pays() {
    let mut m = roannais();
    m.add_role("AGENT", "Agent", &["assets:write", "work:write"])
        .unwrap();
    m.add_role("ELU", "Élu", &["assets:read", "work:read", "budgets:read"])
        .unwrap();
    for (code, t) in [("agglo.sports", "AGGLO"), ("roanne.bat", "ROANNE")] {
        m.add_principal(principal(code, PrincipalKind::Agent, Some(t), None))
            .unwrap();
        m.grant(code, "AGENT", &tenant(t), from_2020()).unwrap();
    }
    m.add_principal(principal(
        "elu.mably",
        PrincipalKind::Elected,
        Some("MABLY"),
        None,
    ))
    .unwrap();
    m.grant("elu.mably", "ELU", &tenant("MABLY"), from_2020())
        .unwrap();
    // the gymnasium: owned by ROANNE, in AGGLO's custody since 2019
    m.as_principal_mut("agglo.sports")
        .unwrap()
        .execute(|m| m.set_attribute("GYM-COUBERTIN-SALLE", "sol", Some("parquet")))
        .unwrap();
    let before = m.clone();
    forbidden(
        m.as_principal_mut("roanne.bat")
            .unwrap()
            .execute(|m| m.set_attribute("GYM-COUBERTIN-SALLE", "sol", Some("lino"))),
        "roanne.bat",
        "assets:write (attribute_set)",
        "asset GYM-COUBERTIN-SALLE",
    );
    assert_eq!(m, before);
    // custody is the owner's decision: ROANNE may end it, AGGLO may not
    forbidden(
        m.as_principal_mut("agglo.sports")
            .unwrap()
            .execute(|m| m.end_custody("GYM-COUBERTIN", d(2026, 12, 31))),
        "agglo.sports",
        "assets:write (custody_ended)",
        "tenant ROANNE",
    );
    assert_eq!(m, before);
    let r = m.as_principal("roanne.bat").unwrap();
    assert_eq!(
        r.asset("GYM-COUBERTIN-SALLE").unwrap().code,
        "GYM-COUBERTIN-SALLE"
    );
    // the régie of ROANNE keeps recording on its order on the gymnasium
    m.as_principal_mut("roanne.bat")
        .unwrap()
        .record_labour("BT-2026-0412", d(2026, 3, 12), dec!(1), 1)
        .unwrap();
    // MABLY pays a share of MAISON-SERVICES-R1 (a key): its elected official
    // reads that asset and MABLY's parts of its lines, not ROANNE's
    let r = m.as_principal("elu.mably").unwrap();
    assert!(r.asset("MAISON-SERVICES-R1").is_ok());
    forbidden(
        r.asset("VOIE-R-JAURES"),
        "elu.mably",
        "assets:read (asset)",
        "asset VOIE-R-JAURES",
    );
    let rows = r
        .ledger_group(&[Dimension::Payer], &LedgerFilter::default())
        .unwrap();
    let all = m
        .ledger_group(&[Dimension::Payer], &LedgerFilter::default())
        .unwrap();
    let mably = all.iter().find(|g| g.keys == ["MABLY"]).unwrap();
    let mine: Vec<_> = rows.iter().filter(|g| g.keys == ["MABLY"]).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].ttc, mably.ttc, "all that MABLY pays");
    // lines of orders on MABLY's own assets show their other payers too;
    // ROANNE's régie lines on ROANNE's assets do not appear at all
    let cols = r.ledger_columns().unwrap();
    let jaures = m.asset_id("VOIE-R-JAURES").unwrap().index() as u32;
    assert!(!cols.asset.contains(&jaures));
    forbidden(
        r.settlement_matrix(2026),
        "elu.mably",
        "settlements:read (settlement_matrix)",
        "the group",
    );
}

/// A principal with no grant: every kind of event the scenario and the
/// pinned journal record is refused through a session and changes nothing;
/// an administrator with every permission on the group applies them all,
/// to the registry the unchecked replay builds.
#[test]
fn every_kind_of_event_is_authorised() {
    let mut all = entries("../tests/data/roannais-journal.json");
    all.extend(entries("tests/data/journal-more-kinds.json"));
    let mut m = Mutualis::new();
    let everything: Vec<String> = mutualis::access::Area::ALL
        .iter()
        .map(|a| format!("{a}:write"))
        .collect();
    m.add_role("ADMIN", "DSI", &everything).unwrap();
    m.add_principal(principal("nobody", PrincipalKind::Citizen, None, None))
        .unwrap();
    m.add_principal(principal("dsi", PrincipalKind::Administrator, None, None))
        .unwrap();
    m.grant(
        "dsi",
        "ADMIN",
        &ScopeRef::Group,
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let mut kinds = BTreeSet::new();
    for e in &all {
        let kind = serde_json::to_value(&e.event).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned();
        let before = m.clone();
        let n = m.journal().len();
        // the entry as each principal recorded it on its device
        let as_who = |who: &str| JournalEntry {
            actor: who.to_owned(),
            ..e.clone()
        };
        let err = m
            .as_principal_mut("nobody")
            .unwrap()
            .apply_recorded(&as_who("nobody"))
            .unwrap_err();
        match &err {
            Error::Forbidden {
                principal, action, ..
            } => {
                assert_eq!(principal, "nobody");
                assert!(action.ends_with(&format!(":write ({kind})")), "{action}");
            }
            other => panic!("{kind}: {other:?}"),
        }
        assert_eq!(m, before, "{kind}");
        assert_eq!(m.journal().len(), n, "{kind}");
        m.as_principal_mut("dsi")
            .unwrap()
            .apply_recorded(&as_who("dsi"))
            .unwrap();
        // an entry of another actor is refused even to the administrator
        if kind == "cost_recorded" {
            let again = m.clone();
            let r = m.as_principal_mut("dsi").unwrap().apply_recorded(e);
            let target = format!("actor {}", e.actor);
            forbidden(r, "dsi", "journal an event as another actor", &target);
            assert_eq!(m, again);
        }
        kinds.insert(kind);
    }
    assert_eq!(kinds.len(), 98);
    let mut unchecked = Mutualis::new();
    unchecked.add_role("ADMIN", "DSI", &everything).unwrap();
    unchecked
        .add_principal(principal("nobody", PrincipalKind::Citizen, None, None))
        .unwrap();
    unchecked
        .add_principal(principal("dsi", PrincipalKind::Administrator, None, None))
        .unwrap();
    unchecked
        .grant(
            "dsi",
            "ADMIN",
            &ScopeRef::Group,
            Period::starting(d(2000, 1, 1)),
        )
        .unwrap();
    for e in &all {
        unchecked.apply_recorded(e).unwrap();
    }
    assert_eq!(m, unchecked);
    assert!(m.journal()[4..].iter().all(|e| e.actor == "dsi"));
}

#[test]
fn a_store_authorises_its_unit_of_work_and_sync_refuses_events_outside_the_grants() {
    let mut central = Store::open_in_memory("central").unwrap();
    central.adopt(with_contractor()).unwrap();
    // a unit of work as the contractor
    forbidden(
        central.execute_as("signa.martin", |m| {
            m.record_cost(
                "BT-2026-0418",
                CostInput::external(
                    d(2026, 3, 18),
                    None,
                    "Panneaux",
                    dec!(100),
                    VatRate::Standard,
                ),
            )
        }),
        "signa.martin",
        "work:write (cost_recorded)",
        "work order BT-2026-0418",
    );
    assert_eq!(central.pending(), 0);
    let head = central.head();
    central
        .execute_as("signa.martin", |m| {
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(1), 1),
            )
        })
        .unwrap();
    assert_eq!(central.head(), head + 1);
    // a tablet synced from central records offline as the contractor
    let mut tablet = Store::open_in_memory("tablet-07").unwrap();
    // importing it as a device's upload refuses the central administrator's
    // own events (its actor is no principal); replicating takes them whole
    let mut strict = Store::open_in_memory("tablet-08").unwrap();
    let refused = strict.import(&central.export_since(0).unwrap()).unwrap();
    assert!(
        matches!(refused.conflicts[0].1, Error::Forbidden { ref principal, .. } if principal == "system")
    );
    let first = tablet.replicate(&central.export_since(0).unwrap()).unwrap();
    assert_eq!(
        first.conflicts,
        vec![],
        "the central's journal replicates whole"
    );
    assert_eq!(tablet.registry().to_json(), central.registry().to_json());
    let synced = tablet.head();
    tablet
        .execute(|m| {
            m.set_actor("signa.martin");
            m.set_clock(Clock::Fixed(
                Utc.with_ymd_and_hms(2026, 6, 2, 8, 0, 0).unwrap(),
            ));
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(2), 1),
            )?;
            m.record_cost(
                "BT-2026-0418",
                CostInput::external(
                    d(2026, 3, 18),
                    None,
                    "Panneaux",
                    dec!(100),
                    VatRate::Standard,
                ),
            )?;
            // an actor that is no principal, once the registry has principals
            m.set_actor("tablet-user");
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(3), 1),
            )?;
            // the contractor again, after its grant ended
            m.set_actor("signa.martin");
            m.set_clock(Clock::Fixed(
                Utc.with_ymd_and_hms(2027, 2, 1, 8, 0, 0).unwrap(),
            ));
            m.record_cost(
                "BT-2026-0417",
                CostInput::labour(d(2026, 3, 19), dec!(4), 1),
            )
            .map(drop)
        })
        .unwrap();
    let report = central
        .import(&tablet.export_since(synced).unwrap())
        .unwrap();
    assert_eq!(report.applied, 1);
    let refused: Vec<(String, String)> = report
        .conflicts
        .iter()
        .map(|(_, e)| match e {
            Error::Forbidden {
                principal, target, ..
            } => (principal.clone(), target.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        refused,
        [
            (
                "signa.martin".to_owned(),
                "work order BT-2026-0418".to_owned()
            ),
            (
                "tablet-user".to_owned(),
                "work order BT-2026-0417".to_owned()
            ),
            (
                "signa.martin".to_owned(),
                "work order BT-2026-0417".to_owned()
            ),
        ]
    );
    let lines = central.registry().work_order_lines("BT-2026-0417").unwrap();
    assert_eq!(lines.last().unwrap().quantity, dec!(2));
}

// ---------------------------------------------------------------------------
// Properties: random principals, grants and commands.

const TENANTS: [&str; 3] = ["AGGLO", "MABLY", "ROANNE"];
const ASSETS: [&str; 4] = ["GYM", "HALL", "ROOM", "SCHOOL"];
const ORDERS: [&str; 5] = ["W-GYM", "W-HALL", "W-ROOM", "W-SCHOOL", "X-HALL"];
const ROLES: [(&str, &[&str]); 4] = [
    ("WORK", &["work:write"]),
    ("READ", &["work:read", "assets:read"]),
    ("ASSETS", &["assets:write", "work:read"]),
    ("ALL", &["assets:write", "work:write", "settlements:read"]),
];

fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap(),
    ));
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Agglo",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    let a = |code: &str, owner: &str| {
        NewAsset::new(code, code, AssetKind::Building, owner, d(2000, 1, 1))
    };
    m.add_asset(a("GYM", "ROANNE")).unwrap();
    m.add_asset(a("HALL", "ROANNE").under("GYM")).unwrap();
    m.add_asset(a("ROOM", "ROANNE").under("HALL")).unwrap();
    m.add_asset(a("SCHOOL", "MABLY")).unwrap();
    m.grant_custody(
        "GYM",
        "AGGLO",
        Period::new(d(2025, 1, 1), Some(d(2025, 12, 31))).unwrap(),
    )
    .unwrap();
    m.set_sharing_key(
        "HALL",
        KeyBasis::Agreed,
        Period::starting(d(2026, 1, 1)),
        &[("MABLY", 1), ("ROANNE", 2)],
    )
    .unwrap();
    m.add_team("T-ROANNE", "ROANNE", "Régie", None).unwrap();
    m.add_team("T-AGGLO", "AGGLO", "Régie", None).unwrap();
    m.add_supplier(NewSupplier::new("SUP", "Fournisseur", "73282932000074"))
        .unwrap();
    for y in 2024..=2027 {
        m.set_labour_rate("ROANNE", y, None, None, dec!(38.50))
            .unwrap();
        m.set_labour_rate("AGGLO", y, None, None, dec!(41.10))
            .unwrap();
    }
    for (code, asset, team) in [
        ("W-GYM", "GYM", "T-AGGLO"),
        ("W-HALL", "HALL", "T-ROANNE"),
        ("W-ROOM", "ROOM", "T-ROANNE"),
        ("W-SCHOOL", "SCHOOL", "T-AGGLO"),
    ] {
        m.create_work_order(NewWorkOrder::by_team(code, "Travaux", asset, team))
            .unwrap();
    }
    m.create_work_order(NewWorkOrder::by_supplier(
        "X-HALL",
        "Prestation",
        "HALL",
        "SUP",
    ))
    .unwrap();
    let t = Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap();
    for w in ORDERS {
        m.set_work_order_status(w, WorkOrderStatus::InProgress, t)
            .unwrap();
    }
    for (code, perms) in ROLES {
        m.add_role(code, code, perms).unwrap();
    }
    m.add_principal(principal("p", PrincipalKind::Agent, Some("ROANNE"), None))
        .unwrap();
    m
}

fn scope_of(k: u8, x: u8) -> ScopeRef {
    match k % 5 {
        0 => tenant(TENANTS[x as usize % 3]),
        1 => ScopeRef::Subtree {
            asset: ASSETS[x as usize % 4].into(),
        },
        2 => ScopeRef::WorkOrders {
            work_orders: vec![
                ORDERS[x as usize % 5].into(),
                ORDERS[(x as usize + 2) % 5].into(),
            ],
        },
        3 => ScopeRef::Service {
            tenant: "ROANNE".into(),
            service: "S".into(),
        },
        _ => ScopeRef::Group,
    }
}

/// A command on the registry, by kind.
fn command(m: &mut Mutualis, k: u8, x: u8, day: u16) -> mutualis::Result<()> {
    let date = d(2025, 1, 1) + chrono::Duration::days(i64::from(day % 700));
    let w = ORDERS[x as usize % 5];
    match k % 4 {
        0 | 1 if w.starts_with('X') => m
            .record_cost(
                w,
                CostInput::external(date, None, "Prestation", dec!(100), VatRate::Standard),
            )
            .map(drop),
        0 | 1 => m
            .record_cost(
                w,
                CostInput::labour(date, Decimal::from(u32::from(x % 7) + 1), 1),
            )
            .map(drop),
        2 => m.set_attribute(ASSETS[x as usize % 4], "etat", Some("bon")),
        _ => {
            m.record_cost(w, CostInput::labour(date, dec!(1), 1))?;
            m.set_attribute(ASSETS[(x as usize + 1) % 4], "etat", Some("moyen"))
        }
    }
}

/// The events `command` would record, judged with the public decision
/// (`allowed` on the event's date; the line's date for a scope).
fn all_allowed(m: &Mutualis, k: u8, x: u8, day: u16) -> bool {
    let mut copy = m.clone();
    let n = copy.journal().len();
    if command(&mut copy, k, x, day).is_err() {
        return true; // an error of the command itself comes first
    }
    let date = d(2025, 1, 1) + chrono::Duration::days(i64::from(day % 700));
    let today = d(2026, 6, 1);
    copy.journal()[n..].iter().all(|e| {
        let v = serde_json::to_value(&e.event).unwrap();
        match v["type"].as_str().unwrap() {
            "cost_recorded" => {
                let w = copy
                    .work_order_id(v["work_order"].as_str().unwrap())
                    .unwrap();
                // the scope on the line's date, the grant on today's: the
                // grants here are open-ended, so `allowed` on the line's date
                // decides when the grant also covers today
                m.allowed("p", Area::Work, Mode::Write, Target::WorkOrder(w), date)
                    .unwrap()
            }
            "attribute_set" => {
                let a = copy.asset_id(v["asset"].as_str().unwrap()).unwrap();
                m.allowed("p", Area::Assets, Mode::Write, Target::Asset(a), today)
                    .unwrap()
            }
            other => panic!("{other}"),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A call through a session succeeds iff every event it makes is
    /// allowed, and then leaves the registry as the unchecked call does;
    /// otherwise it is Forbidden and changes nothing. A reader's ledger is
    /// the unchecked ledger filtered by the read scope.
    #[test]
    fn sessions_and_readers_follow_the_grants(
        grants in prop::collection::vec((0u8..4, any::<u8>(), any::<u8>()), 0..3),
        commands in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u16>()), 1..8),
    ) {
        let mut m = seed();
        m.add_service("ROANNE", "S", "Service").unwrap();
        m.set_clock(Clock::Fixed(Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap()));
        for (r, k, x) in grants {
            // every grant open-ended from 2020 (grants in the past are pinned
            // by the acceptance tests)
            m.grant("p", ROLES[r as usize].0, &scope_of(k, x), from_2020()).unwrap();
        }
        for (k, x, day) in commands {
            let expect_ok = all_allowed(&m, k, x, day);
            let mut copy = m.clone();
            let unchecked = command(&mut copy, k, x, day);
            let before = m.clone();
            let n = m.journal().len();
            let r = m.as_principal_mut("p").unwrap().execute(|m| command(m, k, x, day));
            match (&unchecked, &r) {
                (Err(a), Err(b)) if !matches!(b, Error::Forbidden { .. }) => {
                    prop_assert_eq!(a.kind(), b.kind());
                    prop_assert_eq!(&m, &before);
                }
                (Ok(()), Ok(())) => {
                    prop_assert!(expect_ok);
                    prop_assert_eq!(&m, &copy);
                    prop_assert_eq!(m.to_json(), copy.to_json());
                    prop_assert!(m.journal()[n..].iter().all(|e| e.actor == "p"));
                }
                (Ok(()), Err(Error::Forbidden { principal, .. })) => {
                    prop_assert!(!expect_ok);
                    prop_assert_eq!(principal.as_str(), "p");
                    prop_assert_eq!(&m, &before);
                    prop_assert_eq!(m.journal().len(), n);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
        // the reader's ledger: the unchecked rows the grants let it read
        let today = d(2026, 6, 1);
        let grants = m.grants_of("p").unwrap();
        let reads_work = grants.iter().any(|g| m.roles()[g.role].permissions.allows(Area::Work, Mode::Read));
        let reader = m.as_principal("p").unwrap();
        if !reads_work {
            let refused = matches!(reader.ledger_columns(), Err(Error::Forbidden { .. }));
            prop_assert!(refused);
            return Ok(());
        }
        let readers: Vec<_> = grants
            .iter()
            .filter(|g| m.roles()[g.role].permissions.allows(Area::Work, Mode::Read))
            .collect();
        let order_ids: Vec<mutualis::WorkOrderId> = m
            .work_orders()
            .codes()
            .map(|c| m.work_order_id(c).unwrap())
            .collect();
        let tenant_ids: Vec<mutualis::TenantId> = m.tenants().iter().map(|t| t.id).collect();
        let all = m.ledger_columns();
        let keep: Vec<bool> = (0..all.line.len())
            .map(|i| {
                let w = order_ids[all.work_order[i] as usize];
                let payer = tenant_ids[all.payer[i] as usize];
                readers.iter().any(|g| {
                    m.scope_covers(&g.scope, Target::WorkOrder(w), Mode::Write, today)
                        || m.scope_covers(&g.scope, Target::Tenant(payer), Mode::Read, today)
                })
            })
            .collect();
        let mine = reader.ledger_columns().unwrap();
        let pick = |v: &[u32]| v.iter().zip(&keep).filter(|(_, k)| **k).map(|(x, _)| *x).collect::<Vec<_>>();
        prop_assert_eq!(&mine.line, &pick(&all.line));
        prop_assert_eq!(&mine.payer, &pick(&all.payer));
        let ttc: Vec<i64> = all.ttc.iter().zip(&keep).filter(|(_, k)| **k).map(|(x, _)| *x).collect();
        prop_assert_eq!(&mine.ttc, &ttc);
        // ledger_group by payer and year: the sums of the kept rows
        let groups = reader.ledger_group(&[Dimension::Payer], &LedgerFilter::default()).unwrap();
        for t in 0..3u32 {
            let want: i64 = ttc.iter().zip(&mine.payer).filter(|(_, p)| **p == t).map(|(x, _)| *x).sum();
            let code = m.tenant_code(tenant_ids[t as usize]);
            let got = groups.iter().find(|g| g.keys == [code]).map_or(Decimal::ZERO, |g| g.ttc);
            prop_assert_eq!(got, Decimal::new(want, 2));
        }
        // cost_breakdown: per payer, the sums of the kept rows too
        let rows = reader.cost_breakdown(None).unwrap();
        for t in 0..3u32 {
            let want: i64 = ttc
                .iter()
                .zip(&mine.payer)
                .filter(|(_, p)| **p == t)
                .map(|(x, _)| *x)
                .sum();
            let got: Decimal = rows
                .iter()
                .filter(|r| r.payer == tenant_ids[t as usize])
                .map(|r| r.amounts.ttc)
                .sum();
            prop_assert_eq!(got, Decimal::new(want, 2));
        }
        // lookups: Forbidden exactly where `allowed` says no
        for w in ORDERS {
            let id = m.work_order_id(w).unwrap();
            let ok = m.allowed("p", Area::Work, Mode::Read, Target::WorkOrder(id), today).unwrap();
            prop_assert_eq!(reader.work_order(w).is_ok(), ok);
        }
        for a in ASSETS {
            let id = m.asset_id(a).unwrap();
            let ok = m.allowed("p", Area::Assets, Mode::Read, Target::Asset(id), today).unwrap();
            prop_assert_eq!(reader.asset(a).is_ok(), ok);
        }
        let matrix = reader.settlement_matrix(2026);
        let group = grants.iter().any(|g| matches!(g.scope, mutualis::access::Scope::Group)
            && m.roles()[g.role].permissions.allows(Area::Settlements, Mode::Read));
        prop_assert_eq!(matrix.is_ok(), group);
    }
}

/// Routing a request is the sending tenant's decision: an agent may not
/// pull another tenant's request to its own.
#[test]
fn a_request_is_routed_by_the_tenant_it_is_for() {
    let mut m = roannais();
    m.receive_request(mutualis::NewRequest::new(
        "DI-2026-0501",
        mutualis::RequestOrigin::Agent,
        "voirie",
        "Bordure descellée",
        "MABLY",
        Utc.with_ymd_and_hms(2026, 5, 20, 9, 0, 0).unwrap(),
    ))
    .unwrap();
    m.add_role("ACCUEIL", "Accueil", &["requests:write"])
        .unwrap();
    for (code, t) in [("accueil.roanne", "ROANNE"), ("accueil.mably", "MABLY")] {
        m.add_principal(principal(code, PrincipalKind::Agent, Some(t), None))
            .unwrap();
        m.grant(code, "ACCUEIL", &tenant(t), from_2020()).unwrap();
    }
    let at = Utc.with_ymd_and_hms(2026, 5, 21, 9, 0, 0).unwrap();
    let before = m.clone();
    forbidden(
        m.as_principal_mut("accueil.roanne")
            .unwrap()
            .execute(|m| m.route_request("DI-2026-0501", "ROANNE", None, at)),
        "accueil.roanne",
        "requests:write (request_routed)",
        "tenant MABLY",
    );
    assert_eq!(m, before);
    m.as_principal_mut("accueil.mably")
        .unwrap()
        .execute(|m| m.route_request("DI-2026-0501", "ROANNE", None, at))
        .unwrap();
    // now ROANNE's: its agent reads it, MABLY's no longer does
    assert!(m
        .as_principal("accueil.roanne")
        .unwrap()
        .request("DI-2026-0501")
        .is_ok());
    assert!(m
        .as_principal("accueil.mably")
        .unwrap()
        .request("DI-2026-0501")
        .is_err());
}

/// A session's decision follows a change made between two of its calls: a
/// custody given by the owner moves a supplier's order to the new holder,
/// and a grant given in the same session opens an order to it.
#[test]
fn a_session_sees_a_change_between_two_calls() {
    let mut m = seed();
    m.add_role("ADMIN", "Administration", &["access:write"])
        .unwrap();
    m.grant("p", "ALL", &tenant("ROANNE"), from_2020()).unwrap();
    m.grant("p", "ADMIN", &ScopeRef::Group, from_2020())
        .unwrap();
    let external = |date| CostInput::external(date, None, "Ronde", dec!(100), VatRate::Standard);
    let w = m.work_order_id("X-HALL").unwrap();
    let mut s = m.as_principal_mut("p").unwrap();
    // ROANNE holds its hall: the supplier's order on it is ROANNE's
    s.record_cost("X-HALL", external(d(2026, 3, 1))).unwrap();
    s.record_cost("X-HALL", external(d(2026, 3, 1))).unwrap();
    // the owner gives the hall in custody to AGGLO, in the same session
    s.execute(|m| m.grant_custody("HALL", "AGGLO", Period::starting(d(2026, 1, 1))))
        .unwrap();
    let n = s.reader().work_order_lines("X-HALL").unwrap().len();
    let e = s
        .record_cost("X-HALL", external(d(2026, 3, 1)))
        .unwrap_err();
    forbidden(
        Err::<(), _>(e),
        "p",
        "work:write (cost_recorded)",
        "work order X-HALL",
    );
    // a line dated before the custody is judged on its own date
    let before = s.record_cost("X-HALL", external(d(2025, 12, 1)));
    let allowed = m
        .allowed(
            "p",
            Area::Work,
            Mode::Write,
            Target::WorkOrder(w),
            d(2025, 12, 1),
        )
        .unwrap();
    assert_eq!(before.is_ok(), allowed, "{before:?}");
    let lines = m.work_order_lines("X-HALL").unwrap().len();
    assert_eq!(lines, n + usize::from(allowed));

    // a grant given between two calls opens an order to the same session
    let mut s = m.as_principal_mut("p").unwrap();
    let e = s
        .record_cost("W-SCHOOL", CostInput::labour(d(2026, 3, 2), dec!(2), 1))
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
    s.execute(|m| {
        m.grant(
            "p",
            "WORK",
            &ScopeRef::WorkOrders {
                work_orders: vec!["W-SCHOOL".into()],
            },
            from_2020(),
        )
    })
    .unwrap();
    s.record_cost("W-SCHOOL", CostInput::labour(d(2026, 3, 2), dec!(2), 1))
        .unwrap();
    assert!(m.journal().iter().rev().take(2).all(|e| e.actor == "p"));
}

/// A command of `line_or_custody`: a line through the session's named
/// method (`named`) or through `execute`, or a custody through `execute`.
fn line_or_custody(m: &mut Mutualis, named: bool, k: u8, x: u8, day: u16) -> mutualis::Result<()> {
    let date = d(2025, 1, 1) + chrono::Duration::days(i64::from(day % 700));
    let mut s = m.as_principal_mut("p")?;
    let w = match k % 4 {
        0 | 1 => ORDERS[x as usize % 5],
        2 => "NOPE",
        _ => {
            let asset = ASSETS[x as usize % 4];
            let to = TENANTS[(x as usize / 4) % 3];
            return s.execute(|m| m.grant_custody(asset, to, Period::starting(date)));
        }
    };
    let cost = if w.starts_with('X') {
        CostInput::external(date, None, "Prestation", dec!(100), VatRate::Standard)
    } else {
        CostInput::labour(date, Decimal::from(u32::from(x % 7) + 1), 1)
    };
    if named {
        s.record_cost(w, cost).map(drop)
    } else {
        s.execute(|m| m.record_cost(w, cost)).map(drop)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A line recorded through the session's named method (judged before
    /// the command runs, the decision remembered while nothing changes)
    /// answers and changes exactly what the general path (`execute`: run,
    /// then judge the event) does, custody changes between calls included.
    #[test]
    fn a_named_line_is_the_general_path(
        grants in prop::collection::vec((0u8..4, any::<u8>(), any::<u8>()), 0..3),
        commands in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u16>()), 1..12),
    ) {
        let mut a = seed();
        a.add_service("ROANNE", "S", "Service").unwrap();
        for (r, k, x) in grants {
            a.grant("p", ROLES[r as usize].0, &scope_of(k, x), from_2020()).unwrap();
        }
        let mut b = a.clone();
        for (k, x, day) in commands {
            let ra = line_or_custody(&mut a, true, k, x, day);
            let rb = line_or_custody(&mut b, false, k, x, day);
            prop_assert_eq!(format!("{ra:?}"), format!("{rb:?}"));
        }
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.journal(), b.journal());
        prop_assert_eq!(a.to_json(), b.to_json());
    }
}
