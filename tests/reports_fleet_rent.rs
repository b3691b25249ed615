//! The fleet and rent-roll reports (issue 18) on the Roannais scenario with
//! its fleet at a small scale and its leases: each report's figures against
//! the queries it is built from (reconciliation), its HTML against a
//! structural snapshot (headings, table cells, SVG elements with their
//! values), an empty tenant, the typed errors.

use chrono::NaiveDate;
use mutualis::fleet::DueWhat;
use mutualis::leases::{LeaseSide, RollBy};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::report::{Cell, Locale, Report, ReportKind};
use mutualis::{Mutualis, NewTenant, Period};
use mutualis_examples::{roannais_fleet, roannais_full, roannais_leases};
use mutualis_integration_tests::html::{all_between, cells, headings, svg, table, total_cells};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const TENANTS: [&str; 4] = ["AGGLO", "ROANNE", "MABLY", "VILLEREST"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn scenario() -> Mutualis {
    let mut m = roannais_full().unwrap();
    roannais_fleet(&mut m, 60).unwrap();
    roannais_leases(&mut m).unwrap();
    m
}

/// The `data-value` of every bar of an SVG.
fn bars(svg: &str) -> Vec<Decimal> {
    all_between(svg, "<rect class=\"bar\"", ">")
        .into_iter()
        .map(|r| all_between(r, "data-value=\"", "\"")[0].parse().unwrap())
        .collect()
}

fn fr(x: Decimal) -> String {
    mutualis::report::format::amount(x, Locale::Fr)
}

fn column<'a>(r: &'a Report, table: &str, column: &str) -> Vec<&'a Cell> {
    let t = r.table(table).unwrap();
    let i = t.column_index(column).unwrap();
    t.rows.iter().map(|row| &row[i]).collect()
}

fn codes(r: &Report, table: &str, col: &str) -> Vec<String> {
    column(r, table, col)
        .into_iter()
        .map(|c| c.display(Locale::Fr))
        .collect()
}

fn amounts(r: &Report, table: &str, col: &str) -> Vec<Decimal> {
    column(r, table, col)
        .into_iter()
        .map(|c| c.as_amount().unwrap())
        .collect()
}

fn year(y: i32) -> Period {
    Period::new(day(y, 1, 1), Some(day(y, 12, 31))).unwrap()
}

#[test]
fn fleet_report_is_the_due_list_the_inspections_and_the_dashboard() {
    let m = scenario();
    let mut seen = (0, 0, 0);
    for tenant in TENANTS {
        let me = m.tenant_id(tenant).unwrap();
        for y in [2025, 2026] {
            let r = m.report(ReportKind::Fleet, tenant, y).unwrap();
            r.check().unwrap();
            let (first, last) = (day(y, 1, 1), day(y, 12, 31));
            // the due list on December 31st: due in the year, or overdue from before
            let due: Vec<_> = m
                .fleet_due(last, 0)
                .into_iter()
                .filter(|d| d.owner == me && matches!(d.what, DueWhat::Inspection(_)))
                .filter(|d| d.due >= first || d.overdue)
                .collect();
            assert_eq!(
                codes(&r, "due", "vehicle"),
                due.iter()
                    .map(|d| m.asset_code(d.vehicle).to_owned())
                    .collect::<Vec<_>>(),
                "{tenant} {y}"
            );
            assert_eq!(
                column(&r, "due", "due")
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>(),
                due.iter().map(|d| Cell::Date(d.due)).collect::<Vec<_>>()
            );
            // on December 31st everything still due is late, by the days since its date
            for (c, d) in column(&r, "due", "days_late").into_iter().zip(&due) {
                let late = (last - d.due).num_days() as u64;
                if late > 0 {
                    assert_eq!(*c, Cell::Count(late));
                }
            }
            seen.0 += due.len();
            // the vehicles owned on January 1st: their dashboards and inspections
            let dash: Vec<_> = m
                .fleet_dashboard(y)
                .unwrap()
                .into_iter()
                .filter(|d| d.owner == me && (d.days_in_fleet > 0 || !d.tco.is_zero()))
                .collect();
            let done: usize = dash
                .iter()
                .map(|d| {
                    m.inspections(m.asset_code(d.vehicle))
                        .unwrap()
                        .iter()
                        .filter(|i| year(y).contains(i.date))
                        .count()
                })
                .sum();
            assert_eq!(r.table("done").unwrap().rows.len(), done, "{tenant} {y}");
            seen.1 += done;
            let t = r.table("costs").unwrap();
            let tco: Decimal = dash.iter().map(|d| d.tco).sum();
            let amortisation: Decimal = dash.iter().map(|d| d.amortisation).sum();
            assert_eq!(t.total_of("tco"), Some(tco), "{tenant} {y}");
            assert_eq!(t.total_of("amortisation"), Some(amortisation));
            assert_eq!(
                amounts(&r, "costs", "energy_ttc"),
                dash.iter().map(|d| d.energy_ttc).collect::<Vec<_>>()
            );
            // maintenance = the ledger's costs on those vehicles in the year
            let filter = LedgerFilter {
                period: Some(year(y)),
                ..LedgerFilter::default()
            };
            let vehicles: Vec<&str> = dash.iter().map(|d| m.asset_code(d.vehicle)).collect();
            let ledger: Decimal = m
                .ledger_group(&[Dimension::Asset], &filter)
                .unwrap()
                .iter()
                .filter(|g| vehicles.contains(&g.keys[0].as_str()))
                .map(|g| g.ttc)
                .sum();
            assert_eq!(t.total_of("maintenance_ttc"), Some(ledger), "{tenant} {y}");
            if y == 2025 {
                assert!(ledger > dec!(0), "{tenant}: the garage's yearly services");
                seen.2 += 1;
            }
            // the HTML
            let html = r.to_html(Locale::Fr);
            let (h1, h2) = headings(&html);
            assert_eq!(
                h1,
                [format!("Parc auto : contrôles réglementaires et coûts {y}").as_str()]
            );
            for h in [
                "Contrôles réglementaires dus",
                "Contrôles réalisés",
                "Coûts des véhicules",
            ] {
                assert!(h2.contains(&h), "{h}");
            }
            let foot = total_cells(&html, "costs");
            assert_eq!(foot[0], "Total");
            assert_eq!(foot[3], fr(ledger));
            assert_eq!(foot[7], fr(tco));
            if !due.is_empty() {
                let chart = svg(&html, "due_by_month");
                assert!(chart.contains("class=\"chart stacked\""));
                let b = bars(chart);
                assert_eq!(b.iter().copied().sum::<Decimal>(), Decimal::from(due.len()));
                assert!(chart.contains(&format!(">{y}-01</text>")));
                let rows = table(&html, "due");
                assert!(rows.contains("En retard"));
                assert!(
                    rows.contains("Code de la route R323-2")
                        || rows.contains("arrêté du 1er mars 2004")
                );
            }
            if !tco.is_zero() {
                // the costliest vehicle first, its four parts stacked
                let mut by_tco: Vec<_> = dash.iter().filter(|d| !d.tco.is_zero()).collect();
                by_tco.sort_by_key(|b| std::cmp::Reverse(b.tco));
                let top = by_tco[0];
                let b = bars(svg(&html, "costs"));
                let n = by_tco.len().min(20);
                assert_eq!(b.len(), 4 * n);
                assert_eq!(
                    &b[..4],
                    [
                        top.maintenance_ttc,
                        top.energy_ttc,
                        top.other_costs,
                        top.amortisation
                    ]
                );
            }
        }
    }
    assert!(seen.0 > 0 && seen.1 > 0 && seen.2 == 4, "{seen:?}");
}

#[test]
fn fleet_report_on_a_stated_reference_date() {
    let m = scenario();
    let on = day(2026, 3, 12);
    let r = m.report_fleet("AGGLO", 2026, Some(on)).unwrap();
    let me = m.tenant_id("AGGLO").unwrap();
    let due: Vec<_> = m
        .fleet_due(on, 294)
        .into_iter()
        .filter(|d| d.owner == me && matches!(d.what, DueWhat::Inspection(_)))
        .filter(|d| d.due >= day(2026, 1, 1) || d.overdue)
        .collect();
    assert_eq!(r.table("due").unwrap().rows.len(), due.len());
    let (mut late, mut ahead) = (0, 0);
    for (row, d) in r.table("due").unwrap().rows.iter().zip(&due) {
        let days = (d.due - on).num_days();
        if d.overdue {
            late += 1;
            assert_eq!(row[9], Cell::Count(days.unsigned_abs()));
            assert_eq!(row[8], Cell::Empty);
            assert_eq!(row[7].display(Locale::Fr), "En retard");
        } else {
            ahead += 1;
            assert_eq!(row[8], Cell::Count(days as u64));
            assert_eq!(row[9], Cell::Empty);
            let status = if days <= 30 {
                "Sous 30 jours"
            } else {
                "À venir"
            };
            assert_eq!(row[7].display(Locale::Fr), status);
            assert_eq!(
                row[7].display(Locale::En),
                if days <= 30 {
                    "Within 30 days"
                } else {
                    "Upcoming"
                }
            );
        }
    }
    assert!(late > 0 && ahead > 0, "{late} {ahead}");
    let html = r.to_html(Locale::Fr);
    assert!(html.contains("Date de référence : 12/03/2026"));
    assert!(html.contains(&format!(
        "{} contrôle(s) dû(s), dont {late} en retard",
        due.len()
    )));
    // the stacked chart: overdue and to do per month
    let b = bars(svg(&html, "due_by_month"));
    assert_eq!(b.iter().copied().sum::<Decimal>(), Decimal::from(due.len()));
    // a reference date out of range is a typed error
    assert!(matches!(
        m.report_fleet("AGGLO", 2026, Some(day(1700, 1, 1))),
        Err(mutualis::Error::YearOutOfRange { .. })
    ));
}

#[test]
fn fleet_report_hand_case() {
    use mutualis::fleet::VehicleCategory;
    use mutualis::fleet::{Energy, InspectionKind, InspectionResult, NewInspection, NewVehicle};
    use mutualis::{AssetKind, NewAsset};
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune(
        "ROANNE",
        "Ville de Roanne",
        "214218703",
        "42187",
    ))
    .unwrap();
    m.add_asset(NewAsset::new(
        "VL-01",
        "Kangoo",
        AssetKind::Vehicle,
        "ROANNE",
        day(2022, 3, 15),
    ))
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("VL-01", VehicleCategory::Van, Energy::Diesel)
            .registered("GA-123-BC", day(2022, 3, 15)),
    )
    .unwrap();
    // the first contrôle technique: four years after the first registration
    let r = m
        .report_fleet("ROANNE", 2026, Some(day(2026, 3, 1)))
        .unwrap();
    let t = r.table("due").unwrap();
    assert_eq!(t.rows.len(), 1);
    let row = &t.rows[0];
    assert_eq!(row[0], Cell::Date(day(2026, 3, 15)));
    assert_eq!(row[1], Cell::Code("VL-01".into()));
    assert_eq!(row[2], Cell::Text("Kangoo".into()));
    assert_eq!(row[3], Cell::Code("GA-123-BC".into()));
    assert_eq!(row[5].display(Locale::Fr), "Contrôle technique");
    assert_eq!(row[6], Cell::Text("Code de la route R323-22".into()));
    assert_eq!(row[7].display(Locale::Fr), "Sous 30 jours");
    assert_eq!(row[8], Cell::Count(14));
    // at the year's end it is 291 days late
    let r = m.report(ReportKind::Fleet, "ROANNE", 2026).unwrap();
    let row = &r.table("due").unwrap().rows[0];
    assert_eq!(
        (row[8].clone(), row[9].clone()),
        (Cell::Empty, Cell::Count(291))
    );
    let html = r.to_html(Locale::Fr);
    let due = cells(table(&html, "due"));
    assert_eq!(due[0], "15/03/2026");
    assert_eq!(due[7], "En retard");
    assert_eq!(due[9], "291");
    assert_eq!(
        bars(svg(&html, "due_by_month")).len(),
        24,
        "two series, twelve months"
    );
    // a count axis ticks whole numbers
    let ticks: Vec<&str> = all_between(svg(&html, "due_by_month"), "class=\"tick\"", "</text>")
        .into_iter()
        .map(|t| t.rsplit('>').next().unwrap())
        .collect();
    assert_eq!(ticks, ["0", "1", "2", "3", "4"]);
    // passed on 2026-03-10: nothing due in 2026 any more, the inspection is listed
    m.record_inspection(
        "VL-01",
        NewInspection {
            kind: InspectionKind::ControleTechnique,
            date: day(2026, 3, 10),
            result: InspectionResult::Passed,
            counter_visit_by: None,
        },
    )
    .unwrap();
    let r = m.report(ReportKind::Fleet, "ROANNE", 2026).unwrap();
    assert!(r.table("due").unwrap().rows.is_empty());
    let html = r.to_html(Locale::Fr);
    let done = cells(table(&html, "done"));
    assert_eq!(
        &done[..5],
        [
            "10/03/2026",
            "VL-01",
            "Kangoo",
            "Contrôle technique",
            "Favorable"
        ]
    );
    assert!(html.contains("0 contrôle(s) dû(s), dont 0 en retard"));
    // the 2028 report plans the next one (due 10/03/2028), seen from today
    let r = m
        .report_fleet("ROANNE", 2028, Some(day(2026, 12, 7)))
        .unwrap();
    let row = &r.table("due").unwrap().rows[0];
    assert_eq!(row[0], Cell::Date(day(2028, 3, 10)));
    assert_eq!(row[8], Cell::Count(459));
    assert_eq!(row[7].display(Locale::En), "Upcoming");
}

#[test]
fn rent_report_is_the_rent_roll() {
    let m = scenario();
    let mut lessee_seen = false;
    for tenant in TENANTS {
        let me = m.tenant_id(tenant).unwrap();
        for y in [2025, 2026] {
            let r = m.report(ReportKind::Rent, tenant, y).unwrap();
            r.check().unwrap();
            let (first, last) = (day(y, 1, 1), day(y, 12, 31));
            for side in [LeaseSide::Lessor, LeaseSide::Lessee] {
                let suffix = if side == LeaseSide::Lessor {
                    ""
                } else {
                    "_lessee"
                };
                let key = format!("rent_roll{suffix}");
                let leases: Vec<_> = m
                    .leases()
                    .iter()
                    .filter(|l| l.tenant == me && l.side == side)
                    .collect();
                // figures from the queries, contract by contract
                let (mut rent, mut charges, mut received) = (dec!(0), dec!(0), dec!(0));
                let mut listed = Vec::new();
                for l in &leases {
                    let calls = m.rent_calls(&l.code, first, last).unwrap();
                    let got: Decimal = m
                        .rent_receipts(&l.code)
                        .unwrap()
                        .iter()
                        .filter(|x| x.date >= first && x.date <= last)
                        .map(|x| x.amount)
                        .sum();
                    if calls.is_empty() && got.is_zero() {
                        continue;
                    }
                    listed.push(l.code.clone());
                    rent += calls.iter().map(|c| c.rent).sum::<Decimal>();
                    charges += calls.iter().map(|c| c.provision).sum::<Decimal>();
                    received += got;
                }
                let in_force: Decimal = m
                    .rent_roll_by(last, RollBy::Tenant, side)
                    .iter()
                    .filter(|g| g.key == tenant)
                    .map(|g| g.annual_rent)
                    .sum();
                let Some(t) = r.table(&key) else {
                    assert_eq!(side, LeaseSide::Lessee);
                    assert!(listed.is_empty() && in_force.is_zero(), "{tenant} {y}");
                    continue;
                };
                lessee_seen |= side == LeaseSide::Lessee;
                assert_eq!(codes(&r, &key, "lease"), listed, "{tenant} {y}");
                assert_eq!(t.total_of("rent"), Some(rent), "{tenant} {y}");
                assert_eq!(t.total_of("charges"), Some(charges));
                assert_eq!(t.total_of("due"), Some(rent + charges));
                assert_eq!(t.total_of("received"), Some(received));
                assert_eq!(t.total_of("balance"), Some(rent + charges - received));
                let roll = r.table(&format!("in_force{suffix}")).unwrap();
                assert_eq!(roll.total_of("annual_rent"), Some(in_force), "{tenant} {y}");
                let rows: Vec<_> = m
                    .rent_roll(last)
                    .into_iter()
                    .filter(|x| x.tenant == tenant && x.side == side)
                    .collect();
                assert_eq!(
                    codes(&r, &format!("in_force{suffix}"), "lease"),
                    rows.iter().map(|x| x.lease.clone()).collect::<Vec<_>>()
                );
                // the HTML: totals and the monthly chart adding up to the due
                let html = r.to_html(Locale::Fr);
                let foot = total_cells(&html, &key);
                assert_eq!(foot[0], "Total");
                assert_eq!(foot[4], fr(rent));
                assert_eq!(foot[6], fr(rent + charges));
                assert_eq!(foot[7], fr(received));
                assert_eq!(foot[8], fr(rent + charges - received));
                assert_eq!(
                    total_cells(&html, &format!("in_force{suffix}"))[8],
                    fr(in_force)
                );
                if !listed.is_empty() {
                    let chart = svg(&html, &format!("by_month{suffix}"));
                    assert!(chart.contains("class=\"chart stacked\""));
                    let b = bars(chart);
                    assert_eq!(b.len(), 24);
                    assert_eq!(b.iter().copied().sum::<Decimal>(), rent + charges);
                }
            }
            let html = r.to_html(Locale::Fr);
            let (h1, h2) = headings(&html);
            assert_eq!(h1, [format!("État locatif {y}").as_str()]);
            assert_eq!(h2[0], "Locaux loués par la collectivité (bailleur)");
        }
    }
    assert!(lessee_seen, "Roanne rents premises");
    // one contract read in the HTML: BAIL-001, its occupant's name and type
    let r = m.report(ReportKind::Rent, "ROANNE", 2026).unwrap();
    let html = r.to_html(Locale::Fr);
    let roll = table(&html, "rent_roll");
    let lease = m.lease("BAIL-001").unwrap();
    let party = &m.parties()[lease.party];
    assert!(roll.contains("BAIL-001") && roll.contains(&party.name));
    assert!(roll.contains("Bail commercial"));
    assert!(r.to_html(Locale::En).contains("<h1>Rent roll 2026</h1>"));
}

#[test]
fn an_empty_tenant_gets_valid_reports_with_zero_totals() {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214203317",
        "42332",
    ))
    .unwrap();
    let r = m.report(ReportKind::Fleet, "VILLEREST", 2026).unwrap();
    r.check().unwrap();
    assert!(r.table("due").unwrap().rows.is_empty());
    assert!(r.table("done").unwrap().rows.is_empty());
    let costs = r.table("costs").unwrap();
    assert_eq!(costs.total_of("tco"), Some(dec!(0)));
    assert_eq!(costs.total_of("maintenance_ttc"), Some(dec!(0)));
    assert_eq!(r.charts().count(), 0);
    let html = r.to_html(Locale::Fr);
    assert!(html.contains("Aucune ligne pour cette période."));
    assert_eq!(total_cells(&html, "costs")[7], "0,00\u{a0}€");
    let r = m.report(ReportKind::Rent, "VILLEREST", 2026).unwrap();
    r.check().unwrap();
    assert_eq!(r.tables().count(), 2, "the lessor side only");
    assert_eq!(r.table("rent_roll").unwrap().total_of("due"), Some(dec!(0)));
    assert_eq!(
        r.table("in_force").unwrap().total_of("annual_rent"),
        Some(dec!(0))
    );
    assert_eq!(r.charts().count(), 0);
    let html = r.to_html(Locale::Fr);
    assert_eq!(total_cells(&html, "rent_roll")[8], "0,00\u{a0}€");
}

#[test]
fn bad_arguments_are_typed_errors() {
    let m = scenario();
    for kind in [ReportKind::Fleet, ReportKind::Rent] {
        assert!(matches!(
            m.report(kind, "NOPE", 2026),
            Err(mutualis::Error::UnknownTenant(_))
        ));
        assert!(matches!(
            m.report(kind, "AGGLO", 1800),
            Err(mutualis::Error::YearOutOfRange { .. })
        ));
        assert!(matches!(
            m.report(kind, "AGGLO", 10_000),
            Err(mutualis::Error::YearOutOfRange { .. })
        ));
    }
    assert_eq!("fleet".parse::<ReportKind>().unwrap(), ReportKind::Fleet);
    assert_eq!("rent".parse::<ReportKind>().unwrap(), ReportKind::Rent);
    assert_eq!(ReportKind::Rent.as_str(), "rent");
}
