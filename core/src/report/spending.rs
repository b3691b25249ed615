//! Spending per service, nature and year, the previous year beside it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, nature_label, pct_cell, ratio, ReportKind};
use crate::ledger::{Dimension, LedgerFilter};
use crate::{CostNature, Mutualis, Period, Result};

/// (HT, TTC) of the previous year and of the year.
#[derive(Default, Clone, Copy)]
struct Pair {
    ht0: Decimal,
    ttc0: Decimal,
    ht: Decimal,
    ttc: Decimal,
}

impl Mutualis {
    /// The spending report: what `tenant` is charged (DOMAIN §4: the holder
    /// or the sharing key's parts) per service and nature in `year`, with
    /// `year - 1` beside it, HT and TTC. Reconciles with
    /// [`Mutualis::ledger_group`] by year for the same payer.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_spending(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Spending,
            Label::new(
                "Dépenses par service et nature",
                "Spending per service and nature",
            ),
            tenant,
            year,
        )?;
        let prev = year - 1;
        let (from, _) = super::year_bounds(prev)?;
        let (_, to) = super::year_bounds(year)?;
        let filter = LedgerFilter {
            period: Some(Period::new(from, Some(to))?),
            payer: Some(r.tenant.clone()),
            ..LedgerFilter::default()
        };
        let groups = self.ledger_group(
            &[Dimension::Service, Dimension::Nature, Dimension::Year],
            &filter,
        )?;
        let totals = self.ledger_group(&[Dimension::Year], &filter)?;
        let (y0, y1) = (prev.to_string(), year.to_string());
        let total_of = |y: &str| {
            totals
                .iter()
                .find(|g| g.keys[0] == y)
                .map_or((Decimal::ZERO, Decimal::ZERO), |g| (g.ht, g.ttc))
        };
        let (ht0, ttc0) = total_of(&y0);
        let (ht1, ttc1) = total_of(&y1);

        let mut by_nature: BTreeMap<(String, usize), Pair> = BTreeMap::new();
        let mut by_service: BTreeMap<String, Pair> = BTreeMap::new();
        for g in &groups {
            let nature = CostNature::ALL
                .iter()
                .position(|n| n.as_str() == g.keys[1])
                .unwrap_or(0);
            for p in [
                by_nature.entry((g.keys[0].clone(), nature)).or_default(),
                by_service.entry(g.keys[0].clone()).or_default(),
            ] {
                if g.keys[2] == y1 {
                    p.ht += g.ht;
                    p.ttc += g.ttc;
                } else {
                    p.ht0 += g.ht;
                    p.ttc0 += g.ttc;
                }
            }
        }
        let columns = |first: Vec<Column>| {
            let mut c = first;
            c.extend([
                Column::new(
                    "ht_previous",
                    &format!("HT {prev}"),
                    &format!("Excl. VAT {prev}"),
                    K::Amount,
                ),
                Column::new(
                    "ttc_previous",
                    &format!("TTC {prev}"),
                    &format!("Incl. VAT {prev}"),
                    K::Amount,
                ),
                Column::new(
                    "ht",
                    &format!("HT {year}"),
                    &format!("Excl. VAT {year}"),
                    K::Amount,
                ),
                Column::new(
                    "ttc",
                    &format!("TTC {year}"),
                    &format!("Incl. VAT {year}"),
                    K::Amount,
                ),
                Column::new("change", "Évolution TTC", "Change incl. VAT", K::Percent),
            ]);
            c
        };
        let amounts = |p: &Pair| {
            [
                Cell::amount(p.ht0),
                Cell::amount(p.ttc0),
                Cell::amount(p.ht),
                Cell::amount(p.ttc),
                pct_cell(ratio(p.ttc - p.ttc0, p.ttc0)),
            ]
        };
        let expected = [
            ("ht_previous", ht0),
            ("ttc_previous", ttc0),
            ("ht", ht1),
            ("ttc", ttc1),
        ];

        let mut t = Table::new(
            "by_service",
            Label::new("Par service", "Per service"),
            columns(vec![
                Column::new("service", "Service", "Service", K::Code),
                Column::new("service_name", "Libellé", "Name", K::Text),
            ]),
        );
        let mut chart = Chart {
            key: "by_service".into(),
            kind: ChartKind::Bars,
            title: Label::new(
                format!("Dépenses TTC par service, {prev} et {year}"),
                format!("Spending incl. VAT per service, {prev} and {year}"),
            ),
            unit: Unit::Euros,
            categories: Vec::new(),
            series: vec![
                Series {
                    label: Label::same(y0.clone()),
                    values: Vec::new(),
                },
                Series {
                    label: Label::same(y1.clone()),
                    values: Vec::new(),
                },
            ],
        };
        for (service, p) in &by_service {
            let (code, name) = self.service_display(service);
            let mut row = vec![Cell::Code(code.clone()), Cell::Text(name)];
            row.extend(amounts(p));
            t.push(row);
            chart.categories.push(code);
            chart.series[0].values.push(p.ttc0);
            chart.series[1].values.push(p.ttc);
        }
        t.close("Total", &expected)?;
        let mut s1 = Section::new("Dépenses par service", "Spending per service");
        s1.charts.push(chart);
        s1.tables.push(t);

        let mut t = Table::new(
            "by_service_nature",
            Label::new("Par service et nature", "Per service and nature"),
            columns(vec![
                Column::new("service", "Service", "Service", K::Code),
                Column::new("nature", "Nature", "Nature", K::Text),
            ]),
        );
        let mut natures = vec![Pair::default(); CostNature::ALL.len()];
        for ((service, n), p) in &by_nature {
            let (code, _) = self.service_display(service);
            let mut row = vec![
                Cell::Code(code),
                Cell::Label(nature_label(CostNature::ALL[*n])),
            ];
            row.extend(amounts(p));
            t.push(row);
            let q = &mut natures[*n];
            q.ht0 += p.ht0;
            q.ttc0 += p.ttc0;
            q.ht += p.ht;
            q.ttc += p.ttc;
        }
        t.close("Total", &expected)?;
        let mut s2 = Section::new("Détail par nature", "Detail per nature");
        s2.tables.push(t);
        let mut t = Table::new(
            "by_nature",
            Label::new("Par nature", "Per nature"),
            columns(vec![Column::new("nature", "Nature", "Nature", K::Text)]),
        );
        for (n, p) in natures.iter().enumerate() {
            let mut row = vec![Cell::Label(nature_label(CostNature::ALL[n]))];
            row.extend(amounts(p));
            t.push(row);
        }
        t.close("Total", &expected)?;
        s2.tables.push(t);
        r.sections.push(s1);
        r.sections.push(s2);
        r.notes.push(Label::new(
            "Source : le grand livre des coûts (ledger_group par service, nature et année, payeur = la collectivité). Qui paie : la clé de répartition du bien, sinon le bénéficiaire de la mise à disposition, sinon le propriétaire (CGCT L1321-1 à 5).",
            "Source: the cost ledger (ledger_group by service, nature and year, payer = the tenant). Who pays: the asset's sharing key, else the custody beneficiary, else the owner (CGCT L1321-1..5).",
        ));
        r.notes.push(Label::new(
            "Service : celui qui a commandé le bon de travaux, sinon le service gestionnaire du bien ; « (sans service) » si aucun.",
            "Service: the work order's ordering service, else the asset's managing service; \"(no service)\" if none.",
        ));
        Ok(r)
    }

    /// A ledger service key ("TENANT/SERVICE" or "") as (code, name).
    pub(crate) fn service_display(&self, key: &str) -> (String, String) {
        match key.split_once('/') {
            Some((t, s)) => {
                let name = self
                    .service(t, s)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                (key.to_owned(), name)
            }
            None if key.is_empty() => ("—".to_owned(), "(sans service)".to_owned()),
            None => (key.to_owned(), String::new()),
        }
    }
}
