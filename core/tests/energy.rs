//! Énergies (issue 16): the hand-worked cases of the acceptance,
//! refusals that change nothing, the dataset round trip, undo of each
//! event kind, the split of an invoice between tenants and principal reads.

use chrono::NaiveDate;
use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter, NewTertiarySite};
use mutualis::{AssetKind, Error, KeyBasis, Mutualis, NewAsset, NewTenant, Period, TenantKind};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn invoice(
    meter: &str,
    number: &str,
    from: NaiveDate,
    to: NaiveDate,
    kwh: Decimal,
    sub: Decimal,
    cons: Decimal,
    vat: Decimal,
) -> NewEnergyInvoice {
    NewEnergyInvoice::new(
        meter,
        number,
        to,
        from,
        to,
        kwh,
        EnergyUnit::Kwh,
        sub,
        cons,
        vat,
    )
}

/// AGGLO, ROANNE, MABLY; the SIEGE (2 000 m², shared ROANNE 1 : MABLY 2)
/// with its ground floor; the ECOLE (1 500 m²); an electricity meter with
/// a sub-meter on the ground floor; a heating meter on the school with
/// its degree days; the school declared under the décret tertiaire.
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
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    let asset = |code: &str, kind, owner| NewAsset::new(code, code, kind, owner, d(1990, 1, 1));
    m.add_asset(asset("SIEGE", AssetKind::Building, "AGGLO").with_floor_area(dec!(2000)))
        .unwrap();
    m.add_asset(asset("SIEGE-RDC", AssetKind::Room, "AGGLO").under("SIEGE"))
        .unwrap();
    m.add_asset(asset("ECOLE", AssetKind::Building, "ROANNE").with_floor_area(dec!(1500)))
        .unwrap();
    m.set_sharing_key(
        "SIEGE",
        KeyBasis::Agreed,
        Period::starting(d(2025, 1, 1)),
        &[("ROANNE", 1), ("MABLY", 2)],
    )
    .unwrap();
    m.add_meter(
        NewMeter::new("ELEC", "SIEGE", EnergySource::Electricity, EnergyUnit::Kwh)
            .delivery_point("30001234567890"),
    )
    .unwrap();
    m.add_meter(
        NewMeter::new(
            "ELEC-RDC",
            "SIEGE-RDC",
            EnergySource::Electricity,
            EnergyUnit::Kwh,
        )
        .under("ELEC"),
    )
    .unwrap();
    // an invoice straddling two years, then the rest of 2026
    m.record_energy_invoice(invoice(
        "ELEC",
        "F-0",
        d(2025, 12, 1),
        d(2026, 2, 28),
        dec!(9000),
        dec!(100.00),
        dec!(928.80),
        dec!(205.76),
    ))
    .unwrap();
    m.record_energy_invoice(invoice(
        "ELEC",
        "F-1",
        d(2026, 3, 1),
        d(2026, 12, 31),
        dec!(41100),
        dec!(300.00),
        dec!(5000.00),
        dec!(1060.00),
    ))
    .unwrap();
    m.record_reading("ELEC-RDC", d(2025, 12, 31), dec!(1000), None)
        .unwrap();
    m.record_reading("ELEC-RDC", d(2026, 12, 31), dec!(13000), None)
        .unwrap();
    m.add_meter(
        NewMeter::new("GAZ", "SIEGE", EnergySource::Gas, EnergyUnit::M3).delivery_point("GI123456"),
    )
    .unwrap();
    m.set_conversion("GAZ", d(2025, 1, 1), dec!(11.2)).unwrap();
    m.add_meter(
        NewMeter::new(
            "CHAUF",
            "ECOLE",
            EnergySource::HeatingNetwork,
            EnergyUnit::Kwh,
        )
        .heating("ROANNE-MTO"),
    )
    .unwrap();
    m.record_energy_invoice(invoice(
        "CHAUF",
        "C-2026",
        d(2026, 1, 1),
        d(2026, 12, 31),
        dec!(120000),
        dec!(1000.00),
        dec!(9000.00),
        dec!(550.00),
    ))
    .unwrap();
    m.set_dju("ROANNE-MTO", 2026, dec!(2100)).unwrap();
    m.set_dju_reference("ROANNE-MTO", dec!(2400)).unwrap();
    m.declare_tertiary_site(NewTertiarySite::new(
        "ECOLE",
        "enseignement",
        dec!(1500),
        2019,
        dec!(200000),
    ))
    .unwrap();
    m
}

#[test]
fn climate_correction_and_the_decret_tertiaire_gap() {
    let m = seed();
    // 120 000 × 2 400 / 2 100 = 137 142.857… → 137 142.86
    assert_eq!(
        m.climate_corrected("ROANNE-MTO", 2026, dec!(120000))
            .unwrap(),
        dec!(137142.86)
    );
    let s = m.tertiary_status("ECOLE", 2026).unwrap();
    assert_eq!(s.raw_kwh, dec!(120000));
    assert_eq!(s.adjusted_kwh, dec!(137142.86));
    assert_eq!(s.milestone, 2030);
    // 200 000 × (1 − 40 %)
    assert_eq!(s.target_kwh, dec!(120000));
    assert_eq!(s.gap_kwh, dec!(17142.86));
    // 1 − 137 142.86 / 200 000 = 0.3142857 → 0.3143
    assert_eq!(s.reduction, dec!(0.3143));
    let csv = m.operat_csv(2026).unwrap();
    assert_eq!(
        csv,
        "building;activity;floor_area;year;energy;kwh\nECOLE;enseignement;1500;2026;heating_network;120000\n"
    );
}

#[test]
fn an_absolute_threshold_replaces_the_trajectory() {
    let mut m = seed();
    m.add_asset(
        NewAsset::new(
            "MEDIA",
            "Médiathèque",
            AssetKind::Building,
            "ROANNE",
            d(1990, 1, 1),
        )
        .with_floor_area(dec!(1000)),
    )
    .unwrap();
    let mut site = NewTertiarySite::new("MEDIA", "bibliotheque", dec!(1000), 2010, dec!(150000));
    site.absolute_threshold = Some(dec!(85.5));
    m.declare_tertiary_site(site).unwrap();
    let s = m.tertiary_status("MEDIA", 2041).unwrap();
    assert_eq!(
        (s.milestone, s.target_kwh, s.gap_kwh),
        (2050, dec!(85500), dec!(-85500))
    );
}

#[test]
fn an_invoice_straddling_two_years_is_prorated_by_days() {
    let m = seed();
    let p = m.invoice_parts("ELEC", "F-0").unwrap();
    assert_eq!(p.len(), 2);
    // 90 days: 31 in 2025, 59 in 2026
    assert_eq!((p[0].year, p[0].days, p[1].days), (2025, 31, 59));
    // 9 000 × 31 / 90 = 3 100; the rest on 2026
    assert_eq!((p[0].kwh, p[1].kwh), (dec!(3100), dec!(5900)));
    // TTC 1 234.56 × 31 / 90 = 425.237… → 425.24; 2026 takes the remainder
    assert_eq!((p[0].ttc, p[1].ttc), (dec!(425.24), dec!(809.32)));
    // HT 1 028.80 × 31 / 90 = 354.364… → 354.36
    assert_eq!((p[0].ht, p[1].ht), (dec!(354.36), dec!(674.44)));
    let y25 = m.meter_year("ELEC", 2025).unwrap();
    assert_eq!((y25.gross_kwh, y25.cost_ttc), (dec!(3100), dec!(425.24)));
}

#[test]
fn a_sub_meter_is_deducted_from_its_parent() {
    let m = seed();
    let y = m.meter_year("ELEC", 2026).unwrap();
    // 5 900 (F-0's 2026 part) + 41 100
    assert_eq!(y.gross_kwh, dec!(47000));
    // readings 1 000 → 13 000
    assert_eq!(y.sub_meters_kwh, dec!(12000));
    assert_eq!(y.net_kwh, dec!(35000));
    assert_eq!(y.cost_ttc, dec!(7169.32));
    let rdc = m.meter_year("ELEC-RDC", 2026).unwrap();
    assert_eq!(rdc.net_kwh, dec!(12000));
    // the dashboard counts each kWh once, on the asset of its meter
    let rows = m.energy_dashboard(2026).unwrap();
    let by = |a: &str| rows.iter().find(|r| r.asset == a).unwrap();
    assert_eq!(by("SIEGE").kwh, dec!(35000));
    assert_eq!(by("SIEGE").kwh_per_m2, Some(dec!(17.50)));
    assert_eq!(by("SIEGE-RDC").kwh, dec!(12000));
    assert_eq!(by("ECOLE").adjusted_kwh, Some(dec!(137142.86)));
    assert_eq!(by("ECOLE").tenant, "ROANNE");
}

#[test]
fn a_meter_replacement_counts_both_meters() {
    let mut m = seed();
    m.record_reading("ELEC-RDC", d(2027, 6, 30), dec!(14000), Some(dec!(0)))
        .unwrap();
    // the new meter counts from 0: a lower index than 14 000 is fine now
    m.record_reading("ELEC-RDC", d(2027, 12, 31), dec!(500), None)
        .unwrap();
    assert_eq!(
        m.meter_year("ELEC-RDC", 2027).unwrap().gross_kwh,
        dec!(1500)
    );
}

#[test]
fn consumption_and_cost_split_between_services_and_tenants_to_the_cent() {
    let m = seed();
    let s = m
        .energy_allocation(
            "SIEGE",
            2026,
            &[("VOIRIE", 300), ("ESPACES-VERTS", 200), ("DSI", 100)],
        )
        .unwrap();
    let got: Vec<(&str, Decimal, Decimal)> = s
        .iter()
        .map(|x| (x.key.as_str(), x.kwh, x.cost_ttc))
        .collect();
    assert_eq!(
        got,
        vec![
            ("VOIRIE", dec!(23500.00), dec!(3584.66)),
            ("ESPACES-VERTS", dec!(15666.67), dec!(2389.77)),
            ("DSI", dec!(7833.33), dec!(1194.89)),
        ]
    );
    // an invoice is split by the sharing key in force on its date, like any cost line
    let t = m.energy_invoice_tenants("ELEC", "F-0").unwrap();
    let got: Vec<(&str, Decimal)> = t.iter().map(|x| (x.key.as_str(), x.cost_ttc)).collect();
    assert_eq!(got, vec![("MABLY", dec!(823.04)), ("ROANNE", dec!(411.52))]);
    assert_eq!(t[0].kwh + t[1].kwh, dec!(9000));
}

#[test]
fn a_month_far_from_previous_years_is_an_anomaly() {
    let mut m = seed();
    m.add_meter(NewMeter::new(
        "EAU",
        "ECOLE",
        EnergySource::Water,
        EnergyUnit::M3,
    ))
    .unwrap();
    m.set_conversion("EAU", d(2000, 1, 1), dec!(1)).unwrap();
    for (y, q) in [(2024, dec!(31)), (2025, dec!(31)), (2026, dec!(93))] {
        m.record_energy_invoice(NewEnergyInvoice::new(
            "EAU",
            &format!("E-{y}"),
            d(y, 2, 1),
            d(y, 1, 1),
            d(y, 1, 31),
            q,
            EnergyUnit::M3,
            dec!(0),
            dec!(10.00),
            dec!(0.55),
        ))
        .unwrap();
    }
    let a = m.energy_anomalies("EAU", dec!(0.5)).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].year, a[0].month, a[0].kwh, a[0].baseline),
        (2026, 1, dec!(93), dec!(31))
    );
    assert_eq!(a[0].deviation, dec!(2));
    assert!(m.energy_anomalies("EAU", dec!(3)).unwrap().is_empty());
}

/// Runs `f`, expects the error kind, and checks nothing changed.
fn refused(m: &mut Mutualis, kind: &str, f: impl FnOnce(&mut Mutualis) -> mutualis::Result<()>) {
    let before = m.to_json();
    let n = m.journal().len();
    let err = f(m).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(m.to_json(), before, "{kind}");
    assert_eq!(m.journal().len(), n, "{kind}");
}

#[test]
fn bad_input_is_refused_with_a_typed_error_and_changes_nothing() {
    let mut m = seed();
    refused(&mut m, "unknown_meter", |m| {
        m.record_reading("NOPE", d(2027, 1, 1), dec!(1), None)
    });
    refused(&mut m, "index_below_last", |m| {
        m.record_reading("ELEC-RDC", d(2027, 1, 31), dec!(12999), None)
    });
    refused(&mut m, "invalid_delivery_point", |m| {
        m.add_meter(
            NewMeter::new("E2", "SIEGE", EnergySource::Electricity, EnergyUnit::Kwh)
                .delivery_point("3000123456789"),
        )
    });
    refused(&mut m, "duplicate_meter", |m| {
        m.add_meter(NewMeter::new(
            "ELEC",
            "SIEGE",
            EnergySource::Gas,
            EnergyUnit::M3,
        ))
    });
    refused(&mut m, "unit_mismatch", |m| {
        let mut i = invoice(
            "ELEC",
            "F-9",
            d(2027, 1, 1),
            d(2027, 1, 31),
            dec!(10),
            dec!(0),
            dec!(1),
            dec!(0),
        );
        i.unit = EnergyUnit::M3;
        m.record_energy_invoice(i)
    });
    refused(&mut m, "unit_mismatch", |m| {
        m.add_meter(NewMeter::new("G2", "SIEGE", EnergySource::Gas, EnergyUnit::M3).under("ELEC"))
    });
    refused(&mut m, "negative_consumption", |m| {
        m.record_energy_invoice(invoice(
            "ELEC",
            "F-9",
            d(2027, 1, 1),
            d(2027, 1, 31),
            dec!(-5),
            dec!(0),
            dec!(1),
            dec!(0),
        ))
    });
    refused(&mut m, "negative_amount", |m| {
        m.record_energy_invoice(invoice(
            "ELEC",
            "F-9",
            d(2027, 1, 1),
            d(2027, 1, 31),
            dec!(5),
            dec!(0),
            dec!(-1),
            dec!(0),
        ))
    });
    refused(&mut m, "invalid_field", |m| {
        m.record_energy_invoice(invoice(
            "ELEC",
            "F-0",
            d(2027, 1, 1),
            d(2027, 1, 31),
            dec!(5),
            dec!(0),
            dec!(1),
            dec!(0),
        ))
    });
    // gas in m³ with no conversion coefficient to kWh
    m.add_meter(NewMeter::new(
        "G3",
        "SIEGE",
        EnergySource::Gas,
        EnergyUnit::M3,
    ))
    .unwrap();
    refused(&mut m, "invalid_field", |m| {
        m.record_energy_invoice(NewEnergyInvoice::new(
            "G3",
            "G-1",
            d(2027, 2, 1),
            d(2027, 1, 1),
            d(2027, 1, 31),
            dec!(100),
            EnergyUnit::M3,
            dec!(0),
            dec!(1),
            dec!(0),
        ))
    });
    refused(&mut m, "reference_year_too_early", |m| {
        m.declare_tertiary_site(NewTertiarySite::new(
            "SIEGE",
            "bureaux",
            dec!(2000),
            2009,
            dec!(1),
        ))
    });
    refused(&mut m, "invalid_field", |m| {
        m.declare_tertiary_site(NewTertiarySite::new(
            "SIEGE",
            "bureaux",
            dec!(999),
            2019,
            dec!(1),
        ))
    });
    refused(&mut m, "missing_dju", |m| {
        m.tertiary_status("ECOLE", 2025).map(drop)
    });
    refused(&mut m, "missing_dju", |m| {
        m.climate_corrected("ELSEWHERE", 2026, dec!(1)).map(drop)
    });
}

#[test]
fn the_suppliers_csv_imports_all_or_nothing() {
    let mut m = seed();
    let bad = "meter;number;date;from;to;consumption;unit;subscription_ht;consumption_ht;vat\n\
               ELEC;F-2;2027-02-01;2027-01-01;2027-01-31;4000;kwh;30,00;500,00;106,00\n\
               ELEC;F-3;2027-03-01;2027-02-01;2027-02-28;-1;kwh;30,00;500,00;106,00\n\
               NOPE;F-4;2027-03-01;2027-02-01;2027-02-28;1;kwh;30,00;500,00;106,00\n";
    let before = m.to_json();
    match m.import_energy_invoices(bad).unwrap_err() {
        Error::CsvRows { errors } => {
            assert_eq!(errors.len(), 2);
            assert_eq!((errors[0].0, errors[1].0), (3, 4));
            assert!(errors[1].1.contains("unknown meter"), "{}", errors[1].1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(m.to_json(), before);
    let good =
        "meter;number;date;from;to;consumption;unit;subscription_ht;consumption_ht;vat;factor\n\
                ELEC;F-2;2027-02-01;2027-01-01;2027-01-31;4000;kwh;30,00;500,00;106,00;\n\
                ELEC;F-3;2027-03-01;2027-02-01;2027-02-28;3500;kwh;30.00;450.00;96.00;\n";
    assert_eq!(m.import_energy_invoices(good).unwrap(), 2);
    assert_eq!(m.meter_year("ELEC", 2027).unwrap().gross_kwh, dec!(7500));
    assert_eq!(m.meter_year("ELEC", 2027).unwrap().cost_ttc, dec!(1212.00));
}

#[test]
fn the_dataset_round_trips_and_the_journal_replays() {
    let m = seed();
    let json = m.to_json();
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    assert_eq!(
        back.tertiary_status("ECOLE", 2026).unwrap(),
        m.tertiary_status("ECOLE", 2026).unwrap()
    );
    assert_eq!(
        back.energy_dashboard(2026).unwrap(),
        m.energy_dashboard(2026).unwrap()
    );
    let replayed = Mutualis::replay(m.journal()).unwrap();
    assert_eq!(replayed, m);
    // a dataset without energy sections still loads
    assert!(!Mutualis::new().to_json().contains("energy"));
}

#[test]
fn each_energy_event_is_undone_by_a_failing_batch() {
    let m = seed();
    let kind = |e: &mutualis::Event| {
        serde_json::to_value(e).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let start = m
        .journal()
        .iter()
        .position(|e| kind(&e.event) == "meter_added")
        .unwrap();
    let mut r = Mutualis::replay(&m.journal()[..start]).unwrap();
    let everything: Vec<String> = mutualis::access::Area::ALL
        .iter()
        .map(|a| format!("{a}:write"))
        .collect();
    r.add_role("ALL", "Tout", &everything).unwrap();
    r.add_principal(NewPrincipal {
        code: "energie".into(),
        name: "Énergie".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("AGGLO".into()),
        supplier: None,
    })
    .unwrap();
    r.grant(
        "energie",
        "ALL",
        &ScopeRef::Group,
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for e in &m.journal()[start..] {
        let before = r.clone();
        let json = r.to_json();
        let res = r.as_principal_mut("energie").unwrap().execute(|m| {
            m.apply(e.event.clone())?;
            Err::<(), _>(Error::InvalidField {
                field: "test",
                reason: "the batch fails after the event".into(),
            })
        });
        assert_eq!(res.unwrap_err().kind(), "invalid_field");
        assert_eq!(r, before, "{:?}", e.event);
        assert_eq!(r.to_json(), json);
        r.apply(e.event.clone()).unwrap();
        kinds.insert(kind(&e.event));
    }
    assert_eq!(kinds.len(), 7, "{kinds:?}");
}

#[test]
fn principals_read_the_meters_they_see() {
    let mut m = seed();
    m.add_role("ENERGIE", "Lecture énergie", &["energy:read"])
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
            "ENERGIE",
            &ScopeRef::Tenant {
                tenant: tenant.into(),
            },
            Period::starting(d(2000, 1, 1)),
        )
        .unwrap();
    }
    let agglo = m.as_principal("agent.agglo").unwrap();
    assert_eq!(
        agglo.meter_year("ELEC", 2026).unwrap(),
        m.meter_year("ELEC", 2026).unwrap()
    );
    assert_eq!(
        agglo.tertiary_status("ECOLE", 2026).unwrap_err().kind(),
        "forbidden"
    );
    assert!(agglo
        .energy_dashboard(2026)
        .unwrap()
        .iter()
        .all(|r| r.asset != "ECOLE"));
    let roanne = m.as_principal("agent.roanne").unwrap();
    assert_eq!(
        roanne.tertiary_status("ECOLE", 2026).unwrap().gap_kwh,
        dec!(17142.86)
    );
    // ROANNE pays a share of the SIEGE: it sees its meters
    assert_eq!(roanne.readings("ELEC-RDC").unwrap().len(), 2);
    // a write outside one's grants is refused, nothing changes
    m.add_role("ECRITURE", "Saisie énergie", &["energy:write"])
        .unwrap();
    for who in ["agent.roanne", "agent.agglo"] {
        let tenant = if who == "agent.roanne" {
            "ROANNE"
        } else {
            "AGGLO"
        };
        m.grant(
            who,
            "ECRITURE",
            &ScopeRef::Tenant {
                tenant: tenant.into(),
            },
            Period::starting(d(2000, 1, 1)),
        )
        .unwrap();
    }
    let before = m.to_json();
    let r = m
        .as_principal_mut("agent.agglo")
        .unwrap()
        .execute(|m| m.record_reading("CHAUF", d(2027, 1, 31), dec!(13500), None));
    assert_eq!(r.unwrap_err().kind(), "forbidden");
    assert_eq!(m.to_json(), before);
    m.as_principal_mut("agent.agglo")
        .unwrap()
        .execute(|m| m.record_reading("ELEC-RDC", d(2027, 1, 31), dec!(13500), None))
        .unwrap();
    // degree days are the group's data
    m.as_principal_mut("agent.roanne")
        .unwrap()
        .execute(|m| m.set_dju("ROANNE-MTO", 2027, dec!(2000)))
        .unwrap_err();
}

/// The HALLE (AGGLO's, managed by AGGLO/BAT) shared AGGLO 60 : MABLY 40,
/// with an electricity meter and one invoice of 1 200.00 TTC.
fn shared_hall() -> Mutualis {
    use mutualis::budget::{ChargeBasis, OverrunPolicy};
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    m.add_service("AGGLO", "BAT", "Bâtiments").unwrap();
    m.add_asset(
        NewAsset::new(
            "HALLE",
            "Halle",
            AssetKind::Building,
            "AGGLO",
            d(1990, 1, 1),
        )
        .managed_by("AGGLO", "BAT")
        .with_floor_area(dec!(1200)),
    )
    .unwrap();
    m.set_sharing_key(
        "HALLE",
        KeyBasis::Agreed,
        Period::starting(d(2026, 1, 1)),
        &[("AGGLO", 60), ("MABLY", 40)],
    )
    .unwrap();
    m.add_meter(NewMeter::new(
        "H-ELEC",
        "HALLE",
        EnergySource::Electricity,
        EnergyUnit::Kwh,
    ))
    .unwrap();
    m.add_budget("AGGLO", 2026, ChargeBasis::Ttc, OverrunPolicy::Warn)
        .unwrap();
    m.add_budget_line(
        "AGGLO",
        2026,
        "BAT-FONCT",
        Some("BAT"),
        "60612",
        dec!(10000),
    )
    .unwrap();
    // 5 000 kWh, subscription 200.00 + consumption 800.00 HT, VAT 200.00: 1 200.00 TTC
    m.record_energy_invoice(NewEnergyInvoice::new(
        "H-ELEC",
        "F-2026-03",
        d(2026, 3, 5),
        d(2026, 2, 1),
        d(2026, 2, 28),
        dec!(5000),
        EnergyUnit::Kwh,
        dec!(200.00),
        dec!(800.00),
        dec!(200.00),
    ))
    .unwrap();
    m
}

#[test]
fn an_energy_invoice_enters_the_ledger_with_its_own_nature() {
    use mutualis::ledger::{Dimension, LedgerFilter};
    use mutualis::CostNature;
    let m = shared_hall();
    // ledger_group: payer × nature × service × year, 720.00 / 480.00
    let rows = m
        .ledger_group(
            &[
                Dimension::Payer,
                Dimension::Nature,
                Dimension::Service,
                Dimension::Year,
                Dimension::WorkOrder,
            ],
            &LedgerFilter::default(),
        )
        .unwrap();
    let got: Vec<(Vec<&str>, Decimal, Decimal, usize)> = rows
        .iter()
        .map(|r| {
            (
                r.keys.iter().map(String::as_str).collect(),
                r.ht,
                r.ttc,
                r.work_orders,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                vec!["AGGLO", "energy", "AGGLO/BAT", "2026", ""],
                dec!(600.00),
                dec!(720.00),
                0
            ),
            (
                vec!["MABLY", "energy", "AGGLO/BAT", "2026", ""],
                dec!(400.00),
                dec!(480.00),
                0
            ),
        ]
    );
    // filters: the nature, the month of the invoice date, the payer
    let f = LedgerFilter {
        nature: Some(CostNature::Energy),
        payer: Some("MABLY".into()),
        period: Some(Period::new(d(2026, 3, 1), Some(d(2026, 3, 31))).unwrap()),
        ..LedgerFilter::default()
    };
    let rows = m.ledger_group(&[Dimension::Month], &f).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].keys[0].as_str(), rows[0].ttc),
        ("2026-03", dec!(480.00))
    );
    let other = LedgerFilter {
        nature: Some(CostNature::External),
        ..LedgerFilter::default()
    };
    assert!(m
        .ledger_group(&[Dimension::Payer], &other)
        .unwrap()
        .is_empty());
    // the columns: two rows without line nor work order
    let c = m.ledger_columns();
    assert_eq!(c.payer.len(), 2);
    assert!(c.line.iter().all(|&l| l == mutualis::ledger::NONE));
    assert_eq!(c.ttc, vec![72000, 48000]);
    // the breakdown per payer, service and nature
    let b = m.cost_breakdown(None).unwrap();
    let got: Vec<(&str, CostNature, Decimal)> = b
        .iter()
        .map(|r| (m.tenant_code(r.payer), r.nature, r.amounts.ttc))
        .collect();
    assert_eq!(
        got,
        vec![
            ("AGGLO", CostNature::Energy, dec!(720.00)),
            ("MABLY", CostNature::Energy, dec!(480.00))
        ]
    );
    // the roll-up of the building
    let r = m.rollup("HALLE", None).unwrap();
    assert_eq!(
        (r.energy.ttc, r.energy.vat, r.total.ttc),
        (dec!(1200.00), dec!(200.00), dec!(1200.00))
    );
    assert_eq!(r.lines, 1);
    // the budget: AGGLO's share on the line of its managing service
    let s = m.budget_status("AGGLO", 2026).unwrap();
    assert_eq!(
        (s[0].code.as_str(), s[0].spent, s[0].remaining),
        ("BAT-FONCT", dec!(720.00), dec!(9280.00))
    );
    assert_eq!(s[1].spent, dec!(0));
    // the per-invoice query answers from the same parts
    let t = m.energy_invoice_tenants("H-ELEC", "F-2026-03").unwrap();
    let got: Vec<(&str, Decimal, Decimal)> = t
        .iter()
        .map(|x| (x.key.as_str(), x.cost_ttc, x.kwh))
        .collect();
    assert_eq!(
        got,
        vec![
            ("AGGLO", dec!(720.00), dec!(3000)),
            ("MABLY", dec!(480.00), dec!(2000))
        ]
    );
    // a nature `energy` cost line on a work order is refused
    assert!(matches!(
        "energy".parse::<CostNature>(),
        Ok(CostNature::Energy)
    ));
}

#[test]
fn a_late_key_change_reallocates_past_invoices() {
    let mut m = shared_hall();
    // from 2026-03-01, MABLY alone
    m.end_sharing_key("HALLE", d(2026, 2, 28)).unwrap();
    m.set_sharing_key(
        "HALLE",
        KeyBasis::Agreed,
        Period::starting(d(2026, 3, 1)),
        &[("MABLY", 1)],
    )
    .unwrap();
    let t = m.energy_invoice_tenants("H-ELEC", "F-2026-03").unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!((t[0].key.as_str(), t[0].cost_ttc), ("MABLY", dec!(1200.00)));
    let s = m.budget_status("AGGLO", 2026).unwrap();
    assert_eq!(s[0].spent, dec!(0));
}

/// The shared hall plus MABLY's town hall (managed by MABLY/TECH) with a
/// gas heating meter read 12 000 kWh over 2026, DJU 2 100 for a normal of
/// 2 400.
fn hall_and_town_hall() -> Mutualis {
    let mut m = shared_hall();
    m.add_service("MABLY", "TECH", "Services techniques")
        .unwrap();
    m.add_asset(
        NewAsset::new(
            "MAIRIE-M",
            "Mairie de Mably",
            AssetKind::Building,
            "MABLY",
            d(1990, 1, 1),
        )
        .managed_by("MABLY", "TECH"),
    )
    .unwrap();
    m.add_meter(
        NewMeter::new("M-GAZ", "MAIRIE-M", EnergySource::Gas, EnergyUnit::Kwh)
            .heating("ROANNE-MTO"),
    )
    .unwrap();
    m.record_reading("M-GAZ", d(2025, 12, 31), dec!(0), None)
        .unwrap();
    m.record_reading("M-GAZ", d(2026, 12, 31), dec!(12000), None)
        .unwrap();
    m.set_dju("ROANNE-MTO", 2026, dec!(2100)).unwrap();
    m.set_dju_reference("ROANNE-MTO", dec!(2400)).unwrap();
    m
}

#[test]
fn consumption_and_cost_per_service_and_tenant() {
    let m = hall_and_town_hall();
    let rows = m.energy_by_service(2026).unwrap();
    let got: Vec<(
        &str,
        Option<&str>,
        EnergySource,
        Decimal,
        Option<Decimal>,
        Decimal,
    )> = rows
        .iter()
        .map(|r| {
            (
                r.tenant.as_str(),
                r.service.as_deref(),
                r.source,
                r.kwh,
                r.adjusted_kwh,
                r.cost_ttc,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "AGGLO",
                Some("AGGLO/BAT"),
                EnergySource::Electricity,
                dec!(3000),
                Some(dec!(3000)),
                dec!(720.00)
            ),
            (
                "MABLY",
                Some("AGGLO/BAT"),
                EnergySource::Electricity,
                dec!(2000),
                Some(dec!(2000)),
                dec!(480.00)
            ),
            (
                "MABLY",
                Some("MABLY/TECH"),
                EnergySource::Gas,
                dec!(12000),
                Some(dec!(13714.29)),
                dec!(0)
            ),
        ]
    );
    let rows = m.energy_by_tenant(2026).unwrap();
    let got: Vec<(&str, Option<&str>, EnergySource, Decimal)> = rows
        .iter()
        .map(|r| (r.tenant.as_str(), r.service.as_deref(), r.source, r.kwh))
        .collect();
    assert_eq!(
        got,
        vec![
            ("AGGLO", None, EnergySource::Electricity, dec!(3000)),
            ("MABLY", None, EnergySource::Electricity, dec!(2000)),
            ("MABLY", None, EnergySource::Gas, dec!(12000)),
        ]
    );
    // the year without data has no row; a year out of range is refused
    assert!(m.energy_by_service(2024).unwrap().is_empty());
    assert_eq!(
        m.energy_by_tenant(99999).unwrap_err().kind(),
        "year_out_of_range"
    );
    // the dashboard per building: per m² of the hall's 1 200 m²
    let dash = m.energy_dashboard(2026).unwrap();
    let hall = dash.iter().find(|r| r.asset == "HALLE").unwrap();
    assert_eq!(
        (hall.kwh_per_m2, hall.cost_per_m2),
        (Some(dec!(4.17)), Some(dec!(1.00)))
    );
}

#[test]
fn principals_read_the_breakdowns_of_the_meters_they_see() {
    let mut m = hall_and_town_hall();
    m.add_role("ENERGIE", "Lecture énergie", &["energy:read"])
        .unwrap();
    m.add_principal(NewPrincipal {
        code: "agent.agglo".into(),
        name: "agent.agglo".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("AGGLO".into()),
        supplier: None,
    })
    .unwrap();
    m.grant(
        "agent.agglo",
        "ENERGIE",
        &ScopeRef::Tenant {
            tenant: "AGGLO".into(),
        },
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let r = m.as_principal("agent.agglo").unwrap();
    // the hall (AGGLO's) is seen, MABLY's town hall is not
    let rows = r.energy_by_service(2026).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|x| x.source == EnergySource::Electricity));
    assert_eq!(r.energy_by_tenant(2026).unwrap().len(), 2);
    assert_eq!(
        r.energy_invoice_tenants("H-ELEC", "F-2026-03")
            .unwrap()
            .len(),
        2
    );
    let anomalies = r.energy_anomalies("M-GAZ", dec!(0.3));
    assert_eq!(anomalies.unwrap_err().kind(), "forbidden");
}
