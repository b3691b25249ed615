//! The energy and décret tertiaire reports (issue 18 with issue 16): their
//! figures against the energy queries (reconciliation) and their HTML
//! searched for headings, table cells and SVG elements with their values.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter, NewTertiarySite};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::report::{Cell, Locale, Report, ReportKind, Table};
use mutualis::{AssetKind, CostNature, KeyBasis, Mutualis, NewAsset, NewTenant, Period, YEARS};
use mutualis_examples::{roannais_14_juillet, roannais_energy, roannais_full, ENERGY_YEAR};
use mutualis_integration_tests::html::{all_between, cells, headings, svg, table, total_cells};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const TENANTS: [&str; 4] = ["AGGLO", "ROANNE", "MABLY", "VILLEREST"];

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn scenario() -> Mutualis {
    let mut m = roannais_full().unwrap();
    roannais_14_juillet(&mut m).unwrap();
    roannais_energy(&mut m).unwrap();
    m
}

fn body_rows(html: &str, key: &str) -> Vec<Vec<String>> {
    let body = all_between(table(html, key), "<tbody>", "</tbody>")[0];
    all_between(body, "<tr>", "</tr>")
        .into_iter()
        .map(cells)
        .collect()
}

/// (category, series, value) of every bar of an SVG.
fn bars(svg: &str) -> Vec<(String, usize, Decimal)> {
    all_between(svg, "<rect class=\"bar\"", ">")
        .into_iter()
        .map(|r| {
            (
                all_between(r, "data-category=\"", "\"")[0].to_owned(),
                all_between(r, "data-series=\"", "\"")[0].parse().unwrap(),
                all_between(r, "data-value=\"", "\"")[0].parse().unwrap(),
            )
        })
        .collect()
}

fn eur(x: Decimal) -> String {
    mutualis::report::format::amount(x, Locale::Fr)
}

fn num(x: Decimal) -> String {
    mutualis::report::format::number(x, 1, Locale::Fr)
}

/// The column `key` of a table as cells.
fn column<'a>(t: &'a Table, key: &str) -> Vec<&'a Cell> {
    let i = t.column_index(key).unwrap();
    t.rows.iter().map(|r| &r[i]).collect()
}

fn number(c: &Cell) -> Decimal {
    match c {
        Cell::Number(x) => *x,
        c => panic!("not a number: {c:?}"),
    }
}

fn total_number(t: &Table, key: &str) -> Option<Decimal> {
    let i = t.column_index(key).unwrap();
    match &t.total.as_ref()?[i] {
        Cell::Number(x) => Some(*x),
        _ => None,
    }
}

fn code(c: &Cell) -> String {
    match c {
        Cell::Code(s) | Cell::Text(s) => s.clone(),
        c => c.display(Locale::Fr),
    }
}

/// kWh and TTC per service ("" for none) of `tenant` in `year`.
fn per_service(m: &Mutualis, tenant: &str, year: i32) -> BTreeMap<String, (Decimal, Decimal)> {
    let mut out: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for r in m.energy_by_service(year).unwrap() {
        if r.tenant == tenant {
            let e = out
                .entry(r.service.clone().unwrap_or_default())
                .or_default();
            e.0 += r.kwh;
            e.1 += r.cost_ttc;
        }
    }
    out
}

#[test]
fn energy_report_reconciles_with_the_energy_queries() {
    let m = scenario();
    let year = ENERGY_YEAR;
    let mut seen = 0;
    for tenant in TENANTS {
        let r = m.report(ReportKind::Energy, tenant, year).unwrap();
        r.check().unwrap();
        let services = per_service(&m, tenant, year);
        let mine: Vec<_> = m
            .energy_by_tenant(year)
            .unwrap()
            .into_iter()
            .filter(|x| x.tenant == tenant)
            .collect();
        let kwh: Decimal = mine.iter().map(|x| x.kwh).sum();
        let ttc: Decimal = mine.iter().map(|x| x.cost_ttc).sum();
        seen += mine.len();

        let t = r.table("by_service").unwrap();
        assert_eq!(
            column(t, "service")
                .into_iter()
                .map(code)
                .collect::<Vec<_>>(),
            services
                .keys()
                .map(|s| if s.is_empty() {
                    "—".to_owned()
                } else {
                    s.clone()
                })
                .collect::<Vec<_>>(),
            "{tenant}"
        );
        assert_eq!(
            column(t, "kwh").into_iter().map(number).collect::<Vec<_>>(),
            services.values().map(|v| v.0).collect::<Vec<_>>()
        );
        assert_eq!(
            column(t, "ttc")
                .into_iter()
                .map(|c| c.as_amount().unwrap())
                .collect::<Vec<_>>(),
            services.values().map(|v| v.1).collect::<Vec<_>>()
        );
        for key in ["by_service", "by_service_energy", "by_energy"] {
            let t = r.table(key).unwrap();
            assert_eq!(t.total_of("ttc"), Some(ttc), "{tenant} {key}");
            assert_eq!(total_number(t, "kwh"), Some(kwh), "{tenant} {key}");
            assert_eq!(
                t.total_of("ttc_previous"),
                Some(dec!(0.00)),
                "no 2024 energy"
            );
            assert_eq!(total_number(t, "kwh_previous"), Some(dec!(0)));
        }
        // per energy: the energy_by_tenant rows themselves
        let t = r.table("by_energy").unwrap();
        assert_eq!(
            column(t, "kwh").into_iter().map(number).collect::<Vec<_>>(),
            mine.iter().map(|x| x.kwh).collect::<Vec<_>>()
        );
        assert_eq!(
            column(t, "adjusted_kwh")
                .into_iter()
                .map(number)
                .collect::<Vec<_>>(),
            mine.iter()
                .map(|x| x.adjusted_kwh.unwrap())
                .collect::<Vec<_>>()
        );
        // the ledger's energy rows of the two years
        let filter = LedgerFilter {
            period: Some(Period::new(d(year, 1, 1), Some(d(year, 12, 31))).unwrap()),
            payer: Some(tenant.into()),
            nature: Some(CostNature::Energy),
            ..LedgerFilter::default()
        };
        let ledger = m.ledger_group(&[Dimension::Year], &filter).unwrap();
        let lt = ledger.first().map_or(dec!(0), |g| g.ttc);
        assert_eq!(r.table("ledger").unwrap().total_of("ttc"), Some(lt));

        let html = r.to_html(Locale::Fr);
        let (h1, h2) = headings(&html);
        assert_eq!(h1, [format!("Énergie par service {year}").as_str()]);
        assert!(
            h2.contains(&"Consommation et coût par service") && h2.contains(&"Détail par énergie")
        );
        let foot = total_cells(&html, "by_service");
        assert_eq!(foot[0], "Total");
        assert_eq!(foot[4], num(kwh), "{tenant}");
        assert_eq!(foot[5], eur(ttc), "{tenant}");
        if services.is_empty() {
            assert!(!html.contains("data-chart=\"by_service_kwh\""));
            continue;
        }
        // one bar per service and year, the exact values
        let kb = bars(svg(&html, "by_service_kwh"));
        assert_eq!(kb.len(), 2 * services.len());
        let cb = bars(svg(&html, "by_service_ttc"));
        for (s, (k, c)) in &services {
            let s = if s.is_empty() { "—" } else { s.as_str() };
            assert!(kb.contains(&(s.to_owned(), 1, *k)), "{tenant} {s}");
            assert!(kb.contains(&(s.to_owned(), 0, dec!(0))), "{tenant} {s}");
            assert!(cb.contains(&(s.to_owned(), 1, *c)), "{tenant} {s}");
        }
    }
    assert!(seen > 0, "the scenario has energy");

    // the main job's figure: AGGLO 1 397 800 kWh, 210 446,40 €
    let r = m.report(ReportKind::Energy, "AGGLO", year).unwrap();
    let html = r.to_html(Locale::Fr);
    assert_eq!(
        total_cells(&html, "by_service")[4..6],
        ["1\u{202f}397\u{202f}800,0", "210\u{202f}446,40\u{a0}€"]
    );
    assert!(table(&html, "by_service_energy").contains("Réseau de chaleur"));
    assert!(table(&html, "by_service").contains("AGGLO/SPORTS"));
    let en = r.to_html(Locale::En);
    assert_eq!(
        headings(&en).0,
        [format!("Energy per service {year}").as_str()]
    );
    assert!(en.contains("€210,446.40") && en.contains("Heating network"));
    assert!(svg(&en, "by_service_kwh").contains("\u{a0}kWh</text>"));
}

#[test]
fn energy_report_by_hand_with_the_previous_year() {
    // the shared hall of docs/energy.md: 60 % ROANNE, 40 % MABLY
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
        .unwrap();
    m.add_service("ROANNE", "SPORTS", "Sports").unwrap();
    m.add_asset(
        NewAsset::new(
            "HALLE",
            "Halle",
            AssetKind::Building,
            "ROANNE",
            d(1990, 1, 1),
        )
        .managed_by("ROANNE", "SPORTS"),
    )
    .unwrap();
    m.set_sharing_key(
        "HALLE",
        KeyBasis::Agreed,
        Period::starting(d(2025, 1, 1)),
        &[("ROANNE", 60), ("MABLY", 40)],
    )
    .unwrap();
    m.add_meter(NewMeter::new(
        "E",
        "HALLE",
        EnergySource::Electricity,
        EnergyUnit::Kwh,
    ))
    .unwrap();
    for (n, y, kwh, ht, vat) in [
        ("F-1", 2025, dec!(4000), dec!(800), dec!(160)),
        ("F-2", 2026, dec!(5000), dec!(1000), dec!(200)),
    ] {
        m.record_energy_invoice(NewEnergyInvoice::new(
            "E",
            n,
            d(y, 3, 5),
            d(y, 2, 1),
            d(y, 2, 28),
            kwh,
            EnergyUnit::Kwh,
            dec!(200),
            ht - dec!(200),
            vat,
        ))
        .unwrap();
    }
    let r = m.report(ReportKind::Energy, "ROANNE", 2026).unwrap();
    let t = r.table("by_service").unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(
        t.rows[0],
        [
            Cell::Code("ROANNE/SPORTS".into()),
            Cell::Text("Sports".into()),
            Cell::Number(dec!(2400)),
            Cell::Amount(dec!(576.00)),
            Cell::Number(dec!(3000)),
            Cell::Amount(dec!(720.00)),
            Cell::Percent(dec!(25)),
        ]
    );
    let html = r.to_html(Locale::Fr);
    assert_eq!(
        body_rows(&html, "by_energy"),
        [[
            "Électricité",
            "2\u{202f}400,0",
            "576,00\u{a0}€",
            "3\u{202f}000,0",
            "3\u{202f}000,0",
            "720,00\u{a0}€",
            "25\u{202f}%"
        ]]
    );
    assert_eq!(
        bars(svg(&html, "by_service_kwh")),
        [
            ("ROANNE/SPORTS".to_owned(), 0, dec!(2400)),
            ("ROANNE/SPORTS".to_owned(), 1, dec!(3000)),
        ]
    );
    assert!(
        svg(&html, "by_service_kwh").contains("ROANNE/SPORTS — 2026 : 3\u{202f}000,00\u{a0}kWh")
    );
    // MABLY's part: no service of its own, the hall's managing service
    let r = m.report(ReportKind::Energy, "MABLY", 2026).unwrap();
    assert_eq!(
        r.table("by_service").unwrap().total_of("ttc"),
        Some(dec!(480.00))
    );
    assert_eq!(
        total_number(r.table("by_service").unwrap(), "kwh"),
        Some(dec!(2000))
    );
    assert_eq!(
        r.table("ledger").unwrap().total_of("ttc"),
        Some(dec!(480.00))
    );
    assert_eq!(
        r.table("ledger").unwrap().total_of("ttc_previous"),
        Some(dec!(384.00))
    );
}

fn status_cell(t: &Table, row: usize) -> String {
    let i = t.column_index("status").unwrap();
    t.rows[row][i].display(Locale::Fr)
}

#[test]
fn tertiaire_report_is_the_tertiary_status() {
    let m = scenario();
    let year = ENERGY_YEAR;
    let r = m.report(ReportKind::Tertiaire, "AGGLO", year).unwrap();
    r.check().unwrap();
    let t = r.table("sites").unwrap();
    let buildings: Vec<String> = column(t, "building").into_iter().map(code).collect();
    assert_eq!(buildings, ["SIEGE-AGGLO", "GYM-COUBERTIN"]);
    let mut adjusted = dec!(0);
    for (i, b) in buildings.iter().enumerate() {
        let s = m.tertiary_status(b, year).unwrap();
        let row = &t.rows[i];
        let at = |k: &str| &row[t.column_index(k).unwrap()];
        assert_eq!(number(at("reference_kwh")), s.reference_kwh);
        assert_eq!(code(at("reference_year")), s.reference_year.to_string());
        assert_eq!(number(at("adjusted_kwh")), s.adjusted_kwh);
        assert_eq!(number(at("target_kwh")), s.target_kwh);
        assert_eq!(number(at("gap_kwh")), s.gap_kwh);
        assert_eq!(at("reduction"), &Cell::Percent(s.reduction * dec!(100)));
        assert_eq!(s.milestone, 2030);
        assert_eq!(status_cell(t, i), "Au-dessus de l'objectif");
        adjusted += s.adjusted_kwh;
    }
    assert_eq!(total_number(t, "adjusted_kwh"), Some(adjusted));
    // the main job's gaps
    assert_eq!(number(&t.rows[0][8]), dec!(84650.11));
    assert_eq!(number(&t.rows[1][8]), dec!(176948.08));
    // the shared Maison des services (1 800 m²) is not declared: no figure
    let u = r.table("undeclared").unwrap();
    let i = column(u, "building")
        .into_iter()
        .position(|c| code(c) == "MAISON-SERVICES")
        .unwrap();
    assert_eq!(
        u.rows[i][1..],
        [
            Cell::Text("Maison des services publics".into()),
            Cell::Number(dec!(1800)),
            Cell::Label(mutualis::report::Label::new(
                "Pas d'année de référence (non déclaré)",
                "No reference year (not declared)"
            )),
        ]
    );
    for row in &u.rows {
        let a = m.asset(&code(&row[0])).unwrap();
        assert!(a.floor_area.unwrap() >= dec!(1000) && a.kind == AssetKind::Building);
        assert!(m.tertiary_sites().iter().all(|s| s.building != a.id));
    }
    assert_eq!(
        total_number(u, "floor_area"),
        Some(u.rows.iter().map(|r| number(&r[2])).sum())
    );

    let html = r.to_html(Locale::Fr);
    assert_eq!(
        headings(&html).0,
        [format!("Décret tertiaire : trajectoire {year}").as_str()]
    );
    assert!(table(&html, "sites").contains(
        "<th class=\"number\" data-column=\"target_kwh\" scope=\"col\">Objectif 2030</th>"
    ));
    let rows = body_rows(&html, "sites");
    assert_eq!(rows[0][0], "SIEGE-AGGLO");
    assert_eq!(rows[0][8], "84\u{202f}650,1");
    assert_eq!(rows[0][9], "Au-dessus de l&#39;objectif");
    assert!(table(&html, "undeclared")
        .contains("<td class=\"text\">Pas d&#39;année de référence (non déclaré)</td>"));
    assert_eq!(total_cells(&html, "sites")[0], "Total");
    // per building: reference, adjusted, 2030 target
    let b = bars(svg(&html, "sites"));
    assert_eq!(b.len(), 6, "two buildings with figures, three bars each");
    for (i, name) in buildings.iter().enumerate() {
        let s = m.tertiary_status(name, year).unwrap();
        for (j, v) in [s.reference_kwh, s.adjusted_kwh, s.target_kwh]
            .into_iter()
            .enumerate()
        {
            assert_eq!(b[3 * i + j], (name.clone(), j, v));
        }
    }
    assert!(svg(&html, "sites").contains("Objectif 2030"));

    // ROANNE owns the gymnasium but AGGLO holds it (custody), so AGGLO
    // pays; ROANNE shares the Maison des services
    let r = m.report(ReportKind::Tertiaire, "ROANNE", year).unwrap();
    let t = r.table("sites").unwrap();
    assert!(t.rows.is_empty());
    assert!(r.charts().next().is_none());
    let u = r.table("undeclared").unwrap();
    assert!(column(u, "building")
        .into_iter()
        .any(|c| code(c) == "MAISON-SERVICES"));
    for tenant in ["MABLY", "VILLEREST"] {
        let r = m.report(ReportKind::Tertiaire, tenant, year).unwrap();
        assert!(r.table("sites").unwrap().rows.is_empty(), "{tenant}");
    }

    // a year without the station's degree days: said in the row, no figure
    let r = m.report(ReportKind::Tertiaire, "AGGLO", 2024).unwrap();
    let t = r.table("sites").unwrap();
    assert!(
        status_cell(t, 0).starts_with("Degrés-jours 2024 manquants"),
        "{}",
        status_cell(t, 0)
    );
    assert_eq!(column(t, "adjusted_kwh")[0], &Cell::Empty);
    assert_eq!(number(column(t, "reference_kwh")[0]), dec!(1120000));
    let html = r.to_html(Locale::Fr);
    assert!(
        !html.contains("data-chart=\"sites\""),
        "no figures, no chart"
    );
}

#[test]
fn tertiaire_report_by_hand() {
    // docs/energy.md: heating 120 000 kWh, DJU 2 100 vs reference 2 400 →
    // adjusted 137 142.86; reference 200 000 → 2030 target 120 000 →
    // 17 142.86 above; reduction 31.43 %
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_asset(
        NewAsset::new(
            "MAIRIE",
            "Hôtel de ville",
            AssetKind::Building,
            "ROANNE",
            d(1990, 1, 1),
        )
        .with_floor_area(dec!(1500)),
    )
    .unwrap();
    m.add_meter(NewMeter::new("CH", "MAIRIE", EnergySource::Gas, EnergyUnit::Kwh).heating("MTO"))
        .unwrap();
    m.record_energy_invoice(NewEnergyInvoice::new(
        "CH",
        "F-1",
        d(2027, 1, 10),
        d(2026, 1, 1),
        d(2026, 12, 31),
        dec!(120000),
        EnergyUnit::Kwh,
        dec!(0),
        dec!(10000),
        dec!(2000),
    ))
    .unwrap();
    m.set_dju("MTO", 2026, dec!(2100)).unwrap();
    m.set_dju_reference("MTO", dec!(2400)).unwrap();
    m.declare_tertiary_site(NewTertiarySite::new(
        "MAIRIE",
        "bureaux",
        dec!(1500),
        2015,
        dec!(200000),
    ))
    .unwrap();
    let r = m.report(ReportKind::Tertiaire, "ROANNE", 2026).unwrap();
    let t = r.table("sites").unwrap();
    assert_eq!(
        t.rows[0][2..9],
        [
            Cell::Number(dec!(1500)),
            Cell::Code("2015".into()),
            Cell::Number(dec!(200000)),
            Cell::Number(dec!(137142.86)),
            Cell::Percent(dec!(31.43)),
            Cell::Number(dec!(120000.00)),
            Cell::Number(dec!(17142.86)),
        ]
    );
    let html = r.to_html(Locale::Fr);
    let row = &body_rows(&html, "sites")[0];
    assert_eq!(row[5], "137\u{202f}142,9");
    assert_eq!(row[6], "31,4\u{202f}%");
    assert_eq!(row[8], "17\u{202f}142,9");
    assert!(html.contains("data-value=\"137142.86\""));
    assert!(html.contains("data-value=\"120000.00\""));
    assert!(html.contains("MAIRIE — Objectif 2030 : 120\u{202f}000,00\u{a0}kWh"));
    // after 2030 the next milestone is 2040 (−50 %)
    m.set_dju("MTO", 2031, dec!(2400)).unwrap();
    let r = m.report(ReportKind::Tertiaire, "ROANNE", 2031).unwrap();
    let t = r.table("sites").unwrap();
    assert_eq!(t.columns[7].label.fr, "Objectif 2040");
    assert_eq!(column(t, "target_kwh")[0], &Cell::Number(dec!(100000.00)));
    assert_eq!(status_cell(t, 0), "Objectif atteint");
}

#[test]
fn an_empty_tenant_gives_valid_reports_and_bad_arguments_typed_errors() {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214203317",
        "42332",
    ))
    .unwrap();
    for kind in [ReportKind::Energy, ReportKind::Tertiaire] {
        let r: Report = m.report(kind, "VILLEREST", 2026).unwrap();
        r.check().unwrap();
        assert!(r.tables().all(|t| t.rows.is_empty() && t.total.is_some()));
        assert_eq!(r.charts().count(), 0);
        let html = r.to_html(Locale::Fr);
        assert!(html.contains("Aucune ligne pour cette période."));
        assert_eq!(
            html.matches("<table").count(),
            html.matches("</table>").count()
        );
        assert!(matches!(
            m.report(kind, "NOPE", 2026),
            Err(mutualis::Error::UnknownTenant(_))
        ));
        assert!(matches!(
            m.report(kind, "VILLEREST", 1800),
            Err(mutualis::Error::YearOutOfRange { .. })
        ));
        assert_eq!(kind.as_str().parse::<ReportKind>().unwrap(), kind);
    }
    let r = m.report(ReportKind::Energy, "VILLEREST", 2026).unwrap();
    assert_eq!(
        r.table("by_service").unwrap().total_of("ttc"),
        Some(dec!(0.00))
    );
    // the year before the first year is out of range too
    assert!(matches!(
        m.report(ReportKind::Energy, "VILLEREST", *YEARS.start()),
        Err(mutualis::Error::YearOutOfRange { .. })
    ));
}
