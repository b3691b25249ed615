//! The PPI and the situation des AP/CP.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, ReportKind};
use crate::{Mutualis, Result};

impl Mutualis {
    /// The PPI report of `tenant` for `year`: the situation des AP/CP of
    /// the year ([`Mutualis::ap_situation`]), then the multi-year schedule
    /// ([`Mutualis::ppi_rows`]: CP of open years, payments of closed ones)
    /// as a table and as stacked bars per year. The schedule's total equals
    /// the sum of the current APs (DOMAIN §6: Σ paid in closed years + Σ CP
    /// of open years = AP; checked).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_ppi(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Ppi,
            Label::new(
                format!("PPI et situation des AP/CP {year}"),
                format!("Investment plan and AP/CP situation {year}"),
            ),
            tenant,
            year,
        )?;
        let situation = self.ap_situation(tenant, year)?;
        let mut t = Table::new(
            "situation",
            Label::new(
                format!("Situation des autorisations de programme au titre de {year}"),
                format!("Programme authorisations in {year}"),
            ),
            vec![
                Column::new("ap", "AP", "AP", K::Code),
                Column::new("title", "Libellé", "Title", K::Text),
                Column::new("voted", "Montant voté", "First voted", K::Amount),
                Column::new("revisions", "Révisions", "Revisions", K::Amount),
                Column::new("amount", "AP en cours", "Current AP", K::Amount),
                Column::new("paid_before", "Mandaté antérieur", "Paid before", K::Amount),
                Column::new(
                    "cp_year",
                    format!("CP {year}").as_str(),
                    format!("CP {year}").as_str(),
                    K::Amount,
                ),
                Column::new(
                    "paid_year",
                    format!("Mandaté {year}").as_str(),
                    format!("Paid {year}").as_str(),
                    K::Amount,
                ),
                Column::new("later", "CP ultérieurs", "Later CP", K::Amount),
                Column::new("status", "État", "Status", K::Text),
            ],
        );
        let mut sums = [Decimal::ZERO; 7];
        for s in &situation {
            t.push(vec![
                Cell::Code(s.ap.clone()),
                Cell::Text(s.title.clone()),
                Cell::amount(s.voted),
                Cell::amount(s.revisions),
                Cell::amount(s.amount),
                Cell::amount(s.paid_before),
                Cell::amount(s.cp_year),
                Cell::amount(s.paid_year),
                Cell::amount(s.later),
                Cell::Label(if s.lapsed {
                    Label::new("caduque", "lapsed")
                } else {
                    Label::new("active", "active")
                }),
            ]);
            for (acc, x) in sums.iter_mut().zip([
                s.voted,
                s.revisions,
                s.amount,
                s.paid_before,
                s.cp_year,
                s.paid_year,
                s.later,
            ]) {
                *acc += crate::money::round_cents(x);
            }
        }
        t.close(
            "Total",
            &[
                ("voted", sums[0]),
                ("revisions", sums[1]),
                ("amount", sums[2]),
                ("paid_before", sums[3]),
                ("cp_year", sums[4]),
                ("paid_year", sums[5]),
                ("later", sums[6]),
            ],
        )?;
        let mut s1 = Section::new("Situation des AP/CP", "AP/CP situation");
        s1.tables.push(t);
        s1.notes.push(Label::new(
            "AP : plafond des dépenses engageables, valable jusqu'à son annulation, révisable (CGCT L2311-3) ; CP : plafond mandatable dans l'année.",
            "AP: ceiling of the spending that may be committed, valid until cancelled, revisable (CGCT L2311-3); CP: ceiling payable in the year.",
        ));

        // the schedule: AP × year
        let rows = self.ppi_rows(tenant)?;
        let expected: Decimal = self
            .aps()
            .iter()
            .filter(|a| self.tenant_code(a.tenant) == r.tenant)
            .map(|a| crate::money::round_cents(a.amount))
            .sum();
        let mut t = Table::new(
            "schedule",
            Label::new(
                "Échéancier des crédits de paiement",
                "Payment credit schedule",
            ),
            vec![
                Column::new("ap", "AP", "AP", K::Code),
                Column::new("year", "Année", "Year", K::Code),
                Column::new(
                    "scheduled",
                    "CP (mandaté si clos)",
                    "CP (paid once closed)",
                    K::Amount,
                ),
                Column::new("paid", "Mandaté", "Paid", K::Amount),
                Column::new("status", "Exercice", "Year status", K::Text),
            ],
        );
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        let mut aps: Vec<(String, String)> = Vec::new();
        for row in &rows {
            years.entry(row.year).or_insert(0);
            if !aps.iter().any(|(c, _)| *c == row.ap) {
                aps.push((row.ap.clone(), row.title.clone()));
            }
            t.push(vec![
                Cell::Code(row.ap.clone()),
                Cell::Code(row.year.to_string()),
                Cell::amount(row.scheduled),
                Cell::amount(row.paid),
                Cell::Label(if row.closed {
                    Label::new("clos", "closed")
                } else {
                    Label::new("ouvert", "open")
                }),
            ]);
        }
        let paid: Decimal = rows.iter().map(|x| crate::money::round_cents(x.paid)).sum();
        t.close("Total", &[("scheduled", expected), ("paid", paid)])?;
        for (i, y) in years.values_mut().enumerate() {
            *y = i;
        }
        let mut chart = Chart {
            key: "schedule".into(),
            kind: ChartKind::Stacked,
            title: Label::new(
                "Crédits de paiement par année et par AP",
                "Payment credits per year and AP",
            ),
            unit: Unit::Euros,
            categories: years.keys().map(ToString::to_string).collect(),
            series: aps
                .iter()
                .map(|(code, _)| Series {
                    label: Label::same(code.clone()),
                    values: vec![Decimal::ZERO; years.len()],
                })
                .collect(),
        };
        for row in &rows {
            if let (Some(j), Some(&i)) = (
                aps.iter().position(|(c, _)| *c == row.ap),
                years.get(&row.year),
            ) {
                chart.series[j].values[i] += row.scheduled;
            }
        }
        let mut s2 = Section::new(
            "Programmation pluriannuelle (PPI)",
            "Multi-year investment plan (PPI)",
        );
        if !chart.categories.is_empty() {
            s2.charts.push(chart);
        }
        s2.tables.push(t);
        s2.notes.push(Label::new(
            "Invariant vérifié : Σ mandaté des exercices clos + Σ CP des exercices ouverts = montant de l'AP en cours.",
            "Invariant checked: Σ paid in closed years + Σ CP of open years = current AP.",
        ));
        r.sections.extend([s1, s2]);
        r.notes.push(Label::new(
            "Sources : ap_situation et ppi_rows. Caducité et report des crédits selon le règlement budgétaire et financier de la collectivité.",
            "Sources: ap_situation and ppi_rows. Lapse and carry-over follow the tenant's règlement budgétaire et financier.",
        ));
        Ok(r)
    }
}
