//! The reports on the Roannais scenario (issue 18): each report's figures
//! against the queries it is built from (reconciliation), and its HTML
//! against a structural snapshot (headings, table cells, SVG elements with
//! their values), searched rather than pinned whole.

use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::report::{Cell, CsvStyle, Locale, Report, ReportKind};
use mutualis::{CostNature, Mutualis, NewTenant, Period};
use mutualis_examples::{roannais_14_juillet, roannais_full};
use mutualis_integration_tests::html::{all_between, headings, svg, table, total_cells};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const TENANTS: [&str; 4] = ["AGGLO", "ROANNE", "MABLY", "VILLEREST"];

fn scenario() -> Mutualis {
    let mut m = roannais_full().unwrap();
    roannais_14_juillet(&mut m).unwrap();
    m
}

fn year(y: i32) -> Period {
    Period::new(
        chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(y, 12, 31),
    )
    .unwrap()
}

/// The `data-value` of every element of class `class` in an SVG.
fn values(svg: &str, class: &str) -> Vec<Decimal> {
    all_between(svg, &format!("<rect class=\"{class}\""), ">")
        .into_iter()
        .map(|r| all_between(r, "data-value=\"", "\"")[0].parse().unwrap())
        .collect()
}

fn fr(x: Decimal) -> String {
    mutualis::report::format::amount(x, Locale::Fr)
}

fn amount_column(r: &Report, table: &str, column: &str) -> Vec<Decimal> {
    let t = r.table(table).unwrap();
    let i = t.column_index(column).unwrap();
    t.rows
        .iter()
        .map(|row| row[i].as_amount().unwrap())
        .collect()
}

fn code_column(r: &Report, table: &str, column: &str) -> Vec<String> {
    let t = r.table(table).unwrap();
    let i = t.column_index(column).unwrap();
    t.rows
        .iter()
        .map(|row| match &row[i] {
            Cell::Code(c) | Cell::Text(c) => c.clone(),
            c => c.display(Locale::Fr),
        })
        .collect()
}

#[test]
fn spending_reconciles_with_the_ledger_and_shows_the_previous_year() {
    let m = scenario();
    for tenant in TENANTS {
        let r = m.report(ReportKind::Spending, tenant, 2026).unwrap();
        r.check().unwrap();
        let filter = LedgerFilter {
            period: Some(year(2026)),
            payer: Some(tenant.into()),
            ..LedgerFilter::default()
        };
        let by_service = m.ledger_group(&[Dimension::Service], &filter).unwrap();
        let total = m.ledger_group(&[Dimension::Year], &filter).unwrap();
        let (ht, ttc) = total.first().map_or((dec!(0), dec!(0)), |g| (g.ht, g.ttc));
        for key in ["by_service", "by_service_nature", "by_nature"] {
            let t = r.table(key).unwrap();
            assert_eq!(t.total_of("ttc"), Some(ttc), "{tenant} {key}");
            assert_eq!(t.total_of("ht"), Some(ht), "{tenant} {key}");
            assert_eq!(
                t.total_of("ttc_previous"),
                Some(dec!(0.00)),
                "no 2025 costs"
            );
        }
        assert_eq!(
            amount_column(&r, "by_service", "ttc"),
            by_service.iter().map(|g| g.ttc).collect::<Vec<_>>(),
            "{tenant}"
        );
        let html = r.to_html(Locale::Fr);
        let (h1, h2) = headings(&html);
        assert_eq!(h1, ["Dépenses par service et nature"]);
        assert!(h2.contains(&"Dépenses par service") && h2.contains(&"Détail par nature"));
        let foot = total_cells(&html, "by_service");
        assert_eq!(foot[0], "Total");
        assert_eq!(foot[5], fr(ttc), "{tenant}");
        // one bar per service and year, with the exact values
        let bars = values(svg(&html, "by_service"), "bar");
        assert_eq!(bars.len(), 2 * by_service.len());
        for g in &by_service {
            assert!(bars.contains(&g.ttc), "{tenant} {g:?}");
        }
    }
    // the agglomeration holds the gymnasium: the gymnasium case is its cost
    let r = m.report(ReportKind::Spending, "AGGLO", 2026).unwrap();
    let html = r.to_html(Locale::Fr);
    assert!(html.contains("AGGLO/SPORTS") || html.contains("ROANNE/SPORTS"));
    assert!(table(&html, "by_service_nature").contains("Main-d&#39;œuvre (régie)"));
}

#[test]
fn settlement_report_equals_the_matrix() {
    let m = scenario();
    let matrix = m.settlement_matrix(2026).unwrap();
    let whole: Decimal = matrix.iter().map(|d| d.amount).sum();
    assert!(whole > dec!(0));
    for tenant in TENANTS {
        let me = m.tenant_id(tenant).unwrap();
        let r = m.report(ReportKind::Settlement, tenant, 2026).unwrap();
        r.check().unwrap();
        let mine: Decimal = matrix
            .iter()
            .filter(|d| d.creditor == me || d.debtor == me)
            .map(|d| d.amount)
            .sum();
        assert_eq!(
            r.table("flows").unwrap().total_of("amount"),
            Some(mine),
            "{tenant}"
        );
        assert_eq!(r.table("matrix").unwrap().total_of("amount"), Some(whole));
        let statements = m.statements_for(tenant, 2026).unwrap();
        assert_eq!(
            code_column(&r, "statements", "agreement"),
            statements
                .iter()
                .map(|s| s.agreement.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            amount_column(&r, "statements", "total"),
            statements.iter().map(|s| s.total).collect::<Vec<_>>()
        );
        let unsettled: Decimal = m
            .unsettled(2026)
            .unwrap()
            .iter()
            .filter(|d| d.provider == me || d.payer == me)
            .map(|d| mutualis::money::round_cents(d.part))
            .sum();
        assert_eq!(
            r.table("no_agreement").unwrap().total_of("part"),
            Some(unsettled)
        );
        let html = r.to_html(Locale::Fr);
        let (h1, h2) = headings(&html);
        assert_eq!(h1, ["Règlements entre collectivités 2026"]);
        for h in [
            "Conventions de mise à disposition de services",
            "Services communs",
            "Prêts de véhicules",
            "Sans convention",
            "Soldes et matrice",
        ] {
            assert!(h2.contains(&h), "{h}");
        }
        assert_eq!(total_cells(&html, "flows")[4], fr(mine));
        assert_eq!(total_cells(&html, "matrix")[2], fr(whole));
        // the matrix chart: one cell per (creditor, debtor) pair, the debts in it
        let cells = values(svg(&html, "matrix"), "cell");
        let n = all_between(svg(&html, "matrix"), "class=\"category column\"", "</text>").len();
        assert_eq!(cells.len(), n * n);
        for d in &matrix {
            assert!(cells.contains(&d.amount));
            assert!(html.contains(&fr(d.amount)));
        }
    }
    // the loan of the agglomeration's truck to Villerest
    let r = m.report(ReportKind::Settlement, "VILLEREST", 2026).unwrap();
    assert_eq!(code_column(&r, "loans", "lender"), ["AGGLO"]);
    assert!(r.table("no_agreement").unwrap().rows.len() >= 1);
}

#[test]
fn budget_report_is_the_budget_status() {
    let m = scenario();
    for tenant in TENANTS {
        let r = m.report(ReportKind::Budget, tenant, 2026).unwrap();
        r.check().unwrap();
        let status: Vec<_> = m
            .budget_status(tenant, 2026)
            .unwrap()
            .into_iter()
            .filter(|s| s.direction == mutualis::LineDirection::Expense)
            .collect();
        assert_eq!(
            amount_column(&r, "expense", "spent"),
            status.iter().map(|s| s.spent).collect::<Vec<_>>()
        );
        let credits: Decimal = status.iter().map(|s| s.credits).sum();
        let spent: Decimal = status.iter().map(|s| s.spent).sum();
        let t = r.table("expense").unwrap();
        assert_eq!(t.total_of("credits"), Some(credits));
        assert_eq!(t.total_of("spent"), Some(spent));
        let html = r.to_html(Locale::Fr);
        assert_eq!(headings(&html).0, ["Exécution budgétaire 2026"]);
        let foot = total_cells(&html, "expense");
        assert_eq!(foot[5], fr(credits));
        assert_eq!(foot[7], fr(spent));
        let bars = values(svg(&html, "expense_lines"), "bar");
        assert_eq!(bars.len(), 2 * status.len());
        assert!(bars.contains(&status[0].credits));
    }
    // the spending of the budget is the spending report's (TTC basis)
    let budget = m.report(ReportKind::Budget, "AGGLO", 2026).unwrap();
    let spending = m.report(ReportKind::Spending, "AGGLO", 2026).unwrap();
    assert_eq!(
        budget.table("expense").unwrap().total_of("spent"),
        spending.table("by_service").unwrap().total_of("ttc")
    );
}

#[test]
fn ppi_report_keeps_the_ap_cp_invariant() {
    let m = scenario();
    let r = m.report(ReportKind::Ppi, "AGGLO", 2026).unwrap();
    r.check().unwrap();
    let situation = m.ap_situation("AGGLO", 2026).unwrap();
    let amount: Decimal = situation.iter().map(|s| s.amount).sum();
    let t = r.table("situation").unwrap();
    assert_eq!(t.total_of("amount"), Some(amount));
    assert_eq!(
        code_column(&r, "situation", "ap"),
        situation.iter().map(|s| s.ap.clone()).collect::<Vec<_>>()
    );
    // Σ CP over the years (paid once closed) = Σ current APs
    assert_eq!(
        r.table("schedule").unwrap().total_of("scheduled"),
        Some(amount)
    );
    let rows = m.ppi_rows("AGGLO").unwrap();
    assert_eq!(r.table("schedule").unwrap().rows.len(), rows.len());
    let html = r.to_html(Locale::Fr);
    let (h1, h2) = headings(&html);
    assert_eq!(h1, ["PPI et situation des AP/CP 2026"]);
    assert!(h2.contains(&"Situation des AP/CP"));
    assert_eq!(total_cells(&html, "situation")[4], fr(amount));
    // the gymnasium's AP of the domain guide: 1 300 000,00 €
    assert!(table(&html, "situation").contains(&fr(dec!(1300000))));
    let chart = svg(&html, "schedule");
    assert!(chart.contains("class=\"chart stacked\""));
    let bars = values(chart, "bar");
    let years: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
    let aps: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.ap.as_str()).collect();
    assert_eq!(bars.len(), years.len() * aps.len());
    assert_eq!(bars.iter().copied().sum::<Decimal>(), amount);
    for y in years {
        assert!(chart.contains(&format!(">{y}</text>")));
    }
    // a tenant without a PPI: empty tables, zero totals, no chart
    let r = m.report(ReportKind::Ppi, "MABLY", 2026).unwrap();
    assert_eq!(
        r.table("schedule").unwrap().total_of("scheduled"),
        Some(dec!(0))
    );
    assert!(r
        .to_html(Locale::Fr)
        .contains("Aucune ligne pour cette période."));
}

#[test]
fn event_report_is_the_fourteenth_of_july() {
    let m = scenario();
    let summary = m.cost_by_tag("14-juillet-2026");
    assert_eq!(
        (summary.total.ht, summary.total.ttc),
        (dec!(4332.00), dec!(5128.00))
    );
    let r = m.report(ReportKind::Event, "VILLEREST", 2026).unwrap();
    r.check().unwrap();
    let t = r.table("by_payer_nature").unwrap();
    assert_eq!(t.total_of("ht"), Some(dec!(4332.00)));
    assert_eq!(t.total_of("ttc"), Some(dec!(5128.00)));
    assert_eq!(
        r.table("by_nature").unwrap().total_of("vat"),
        Some(dec!(796.00))
    );
    assert_eq!(code_column(&r, "work_orders", "work_order").len(), 4);
    let html = r.to_html(Locale::Fr);
    assert_eq!(
        headings(&html).0,
        ["Coût de l&#39;événement « 14-juillet-2026 »"]
    );
    let foot = total_cells(&html, "by_payer_nature");
    assert_eq!(foot[2], "4");
    assert_eq!(foot[3], "4\u{202f}332,00\u{a0}€");
    assert_eq!(foot[4], "5\u{202f}128,00\u{a0}€");
    let by_nature = table(&html, "by_nature");
    assert!(by_nature.contains("352,00\u{a0}€") && by_nature.contains("3\u{202f}980,00\u{a0}€"));
    // stacked per payer: Villerest's four natures
    let bars = values(svg(&html, "by_payer"), "bar");
    assert_eq!(
        bars,
        [dec!(352.00), dec!(0), dec!(0), dec!(4776.00), dec!(0)]
    );
    assert!(
        svg(&html, "by_payer").contains("5\u{202f}128\u{a0}€"),
        "the stack's total"
    );
    // another tag, same call
    let r = m.report_event("VILLEREST", 2026, "no-such-tag").unwrap();
    assert_eq!(r.table("by_nature").unwrap().total_of("ttc"), Some(dec!(0)));
}

#[test]
fn suppliers_report_is_the_external_spending() {
    let m = scenario();
    for tenant in TENANTS {
        let r = m.report(ReportKind::Suppliers, tenant, 2026).unwrap();
        r.check().unwrap();
        let filter = LedgerFilter {
            period: Some(year(2026)),
            payer: Some(tenant.into()),
            nature: Some(CostNature::External),
            ..LedgerFilter::default()
        };
        let groups = m.ledger_group(&[Dimension::Supplier], &filter).unwrap();
        let ttc: Decimal = groups.iter().map(|g| g.ttc).sum();
        assert_eq!(r.table("suppliers").unwrap().total_of("ttc"), Some(ttc));
        let mut codes = code_column(&r, "suppliers", "supplier");
        codes.sort();
        assert_eq!(
            codes,
            groups.iter().map(|g| g.keys[0].clone()).collect::<Vec<_>>()
        );
    }
    let r = m.report(ReportKind::Suppliers, "VILLEREST", 2026).unwrap();
    assert_eq!(
        code_column(&r, "suppliers", "supplier"),
        ["ARTIFICES", "LOCABARRIERES"]
    );
    let activity = m.supplier_activity("ARTIFICES", Some(year(2026))).unwrap();
    assert_eq!(
        amount_column(&r, "suppliers", "ttc")[0],
        activity.cost.total.ttc
    );
    let html = r.to_html(Locale::Fr);
    assert!(table(&html, "suppliers").contains("Loire Artifices"));
    assert_eq!(total_cells(&html, "suppliers")[6], "4\u{202f}776,00\u{a0}€");
    assert_eq!(
        values(svg(&html, "suppliers"), "bar"),
        [dec!(4200.00), dec!(576.00)]
    );
}

#[test]
fn every_report_renders_for_every_tenant_in_both_languages() {
    let m = scenario();
    for kind in ReportKind::ALL {
        for tenant in TENANTS {
            let r = m.report(*kind, tenant, 2026).unwrap();
            r.check().unwrap();
            for locale in [Locale::Fr, Locale::En] {
                let html = r.to_html(locale);
                assert!(html.starts_with("<!DOCTYPE html>"));
                assert!(html.contains("@page{size:A4"));
                assert!(!html.contains("<script"), "no script needed");
                assert_eq!(
                    html.matches("http").count(),
                    html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
                    "no network: the only URL is the SVG namespace"
                );
                assert!(!html.contains("<link"), "self-contained");
                assert_eq!(
                    html.matches("<table").count(),
                    html.matches("</table>").count()
                );
                assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
            }
            for t in r.tables() {
                let csv = t.to_csv(Locale::Fr, CsvStyle::Excel);
                assert!(csv.starts_with('\u{feff}'));
                assert_eq!(
                    csv.matches("\r\n").count(),
                    t.rows.len() + 1 + usize::from(t.total.is_some())
                );
            }
        }
    }
    let r = m.report(ReportKind::Spending, "AGGLO", 2026).unwrap();
    let en = r.to_html(Locale::En);
    assert_eq!(headings(&en).0, ["Spending per service and nature"]);
    assert!(en.contains("<html lang=\"en\">") && en.contains("€3,692.73"));
    assert!(table(&en, "by_nature").contains("Labour (in-house)"));
}

#[test]
fn text_is_escaped() {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest <&> \"l'été\"",
        "214203317",
        "42332",
    ))
    .unwrap();
    for kind in ReportKind::ALL {
        let html = m
            .report(*kind, "VILLEREST", 2026)
            .unwrap()
            .to_html(Locale::Fr);
        assert!(
            html.contains("Villerest &lt;&amp;&gt; &quot;l&#39;été&quot;"),
            "{kind}"
        );
        assert!(!html.contains("<&>"), "{kind}");
    }
}

#[test]
fn bad_arguments_are_typed_errors() {
    let m = scenario();
    assert!(matches!(
        m.report(ReportKind::Spending, "NOPE", 2026),
        Err(mutualis::Error::UnknownTenant(_))
    ));
    assert!(matches!(
        m.report(ReportKind::Budget, "AGGLO", 1800),
        Err(mutualis::Error::YearOutOfRange { .. })
    ));
    assert!(matches!(
        "nope".parse::<ReportKind>(),
        Err(mutualis::Error::UnknownKind { what: "report", .. })
    ));
}

#[test]
fn csv_of_a_report_table() {
    let m = scenario();
    let r = m.report(ReportKind::Event, "VILLEREST", 2026).unwrap();
    let t = r.table("by_nature").unwrap();
    let excel = t.to_csv(Locale::Fr, CsvStyle::Excel);
    assert!(excel.starts_with("\u{feff}Nature;Lignes;Montant HT;TVA;Montant TTC\r\n"));
    assert!(
        excel.ends_with("Total;4;4332,00;796,00;5128,00\r\n"),
        "{excel}"
    );
    let plain = t.to_csv(Locale::En, CsvStyle::Plain);
    assert!(plain.starts_with("nature,lines,ht,vat,ttc\n"));
    assert!(
        plain.contains("\nExternal services,2,3980.00,796.00,4776.00\n"),
        "{plain}"
    );
}

#[test]
fn aid_report_is_the_in_kind_aid() {
    let mut m = scenario();
    mutualis_examples::roannais_leases(&mut m).unwrap();
    let mut seen = 0;
    for tenant in TENANTS {
        let r = m.report(ReportKind::Aid, tenant, 2026).unwrap();
        r.check().unwrap();
        let aid: Vec<_> = m
            .in_kind_aid(2026)
            .unwrap()
            .into_iter()
            .filter(|a| a.tenant == tenant)
            .collect();
        seen += aid.len();
        let total: Decimal = aid.iter().map(|a| a.total).sum();
        let t = r.table("aid").unwrap();
        assert_eq!(t.total_of("total"), Some(total), "{tenant}");
        assert_eq!(
            code_column(&r, "aid", "association"),
            aid.iter()
                .map(|a| a.association.clone())
                .collect::<Vec<_>>()
        );
        let html = r.to_html(Locale::Fr);
        assert_eq!(headings(&html).0, ["Aides en nature aux associations 2026"]);
        assert_eq!(total_cells(&html, "aid")[5], fr(total));
        if !aid.is_empty() {
            let bars = values(svg(&html, "aid"), "bar");
            assert_eq!(bars.len(), 2 * aid.len());
            assert_eq!(bars.iter().copied().sum::<Decimal>(), total);
        }
    }
    assert!(seen > 0, "the scenario's leases give aid");
}

#[test]
fn requests_report_counts_and_histogram() {
    let m = scenario();
    let mut any = false;
    for tenant in TENANTS {
        let r = m.report(ReportKind::Requests, tenant, 2026).unwrap();
        let me = m.tenant_id(tenant).unwrap();
        let mine: Vec<_> = m.requests().iter().filter(|q| q.tenant == me).collect();
        let closed = mine
            .iter()
            .filter(|q| m.request_delays(&q.code).unwrap().to_closure.is_some())
            .count();
        let t = r.table("by_category").unwrap();
        let total = t.total.as_ref().unwrap();
        assert_eq!(total[1], Cell::Count(mine.len() as u64), "{tenant}");
        assert_eq!(total[2], Cell::Count(closed as u64), "{tenant}");
        let html = r.to_html(Locale::Fr);
        let chart = svg(&html, "delays");
        assert!(chart.contains("class=\"chart histogram\""));
        let bins = values(chart, "bar");
        assert_eq!(bins.len(), 6);
        assert_eq!(
            bins.iter().copied().sum::<Decimal>(),
            Decimal::from(closed as u64)
        );
        any |= closed > 0;
    }
    assert!(any, "the scenario closes requests");
}

#[test]
fn settlement_report_lists_the_largest_no_agreement_lines_and_sums_the_rest() {
    let mut m = scenario();
    let line = m
        .unsettled(2026)
        .unwrap()
        .into_iter()
        .find(|d| matches!(d.settled_by, mutualis::SettledBy::NoAgreement))
        .expect("the scenario has régie work no agreement covers");
    let tenant = m.tenant_code(line.provider).to_owned();
    let me = line.provider;
    // 150 more lines on that work order: hours 0.25, 0.50, …
    for i in 1..=150u32 {
        m.record_cost(
            &line.work_order,
            mutualis::CostInput::labour(line.date, Decimal::new(i64::from(i) * 25, 2), 1),
        )
        .unwrap();
    }
    let mine: Vec<_> = m
        .unsettled(2026)
        .unwrap()
        .into_iter()
        .filter(|d| {
            (d.provider == me || d.payer == me)
                && matches!(d.settled_by, mutualis::SettledBy::NoAgreement)
        })
        .collect();
    assert!(mine.len() > 150);
    let r = m.report(ReportKind::Settlement, &tenant, 2026).unwrap();
    r.check().unwrap();
    let t = r.table("no_agreement").unwrap();
    // 100 lines, then one row for the others
    assert_eq!(t.rows.len(), 101);
    let parts = amount_column(&r, "no_agreement", "part");
    let whole: Decimal = mine
        .iter()
        .map(|d| mutualis::money::round_cents(d.part))
        .sum();
    assert_eq!(t.total_of("part"), Some(whole));
    assert_eq!(parts.iter().copied().sum::<Decimal>(), whole);
    // the listed ones are the largest
    let mut sorted: Vec<Decimal> = mine
        .iter()
        .map(|d| mutualis::money::round_cents(d.part).abs())
        .collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let smallest_shown = parts[..100].iter().map(|p| p.abs()).min().unwrap();
    assert_eq!(smallest_shown, sorted[99]);
    let others = mine.len() - 100;
    let html = r.to_html(Locale::Fr);
    assert!(
        html.contains(&format!("{others} autres lignes")),
        "{others}"
    );
    assert!(r
        .to_html(Locale::En)
        .contains(&format!("{others} other lines")));
}
