//! Budget consumption per line: credits, commitments, spending, what is left.

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, pct_cell, ratio, ReportKind};
use crate::{BudgetLineStatus, LineDirection, Mutualis, Result};

impl Mutualis {
    /// The budget consumption report of `tenant` for `year`, from
    /// [`Mutualis::budget_status`]: per expense line voted, amendments,
    /// credits, commitments, spending (on the budget's basis, TTC unless the
    /// budget is subject to VAT), what remains and the rate of consumption;
    /// the revenue lines apart. Each total equals the sum of the status
    /// rows (checked).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_budget(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Budget,
            Label::new(
                format!("Exécution budgétaire {year}"),
                format!("Budget consumption {year}"),
            ),
            tenant,
            year,
        )?;
        let status = match self.budget_status(tenant, year) {
            Ok(s) => s,
            Err(crate::Error::UnknownBudget { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let basis = self
            .budgets()
            .iter()
            .find(|b| self.tenant_code(b.tenant) == r.tenant && b.year == year)
            .map(|b| b.basis);
        for (dir, key, fr, en) in [
            (LineDirection::Expense, "expense", "Dépenses", "Expenses"),
            (LineDirection::Revenue, "revenue", "Recettes", "Revenue"),
        ] {
            let rows: Vec<&BudgetLineStatus> =
                status.iter().filter(|s| s.direction == dir).collect();
            if dir == LineDirection::Revenue && rows.is_empty() {
                continue;
            }
            let (spent_fr, spent_en, left_fr, left_en) = if dir == LineDirection::Expense {
                ("Mandaté", "Spent", "Disponible", "Available")
            } else {
                (
                    "Encaissé",
                    "Collected",
                    "Reste à encaisser",
                    "Still to collect",
                )
            };
            let mut t = Table::new(
                key,
                Label::new(format!("{fr} par ligne"), format!("{en} per line")),
                vec![
                    Column::new("line", "Ligne", "Line", K::Code),
                    Column::new("service", "Service", "Service", K::Code),
                    Column::new("account", "Compte", "Account", K::Code),
                    Column::new("voted", "Voté", "Voted", K::Amount),
                    Column::new(
                        "amendments",
                        "Décisions modificatives",
                        "Amendments",
                        K::Amount,
                    ),
                    Column::new("credits", "Crédits ouverts", "Credits", K::Amount),
                    Column::new("committed", "Engagé", "Committed", K::Amount),
                    Column::new("spent", spent_fr, spent_en, K::Amount),
                    Column::new("remaining", left_fr, left_en, K::Amount),
                    Column::new("rate", "Taux", "Rate", K::Percent),
                ],
            );
            let mut sums = [Decimal::ZERO; 6];
            let mut chart = Chart {
                key: format!("{key}_lines"),
                kind: ChartKind::Bars,
                title: Label::new(
                    format!("{fr} : crédits ouverts et {}", spent_fr.to_lowercase()),
                    format!("{en}: credits and {}", spent_en.to_lowercase()),
                ),
                unit: Unit::Euros,
                categories: Vec::new(),
                series: vec![
                    Series {
                        label: Label::new("Crédits ouverts", "Credits"),
                        values: Vec::new(),
                    },
                    Series {
                        label: Label::new(spent_fr, spent_en),
                        values: Vec::new(),
                    },
                ],
            };
            for s in rows {
                let service = s
                    .service
                    .map(|id| self.service_codes(id).1.to_owned())
                    .unwrap_or_default();
                let line = if s.code.is_empty() {
                    "—".to_owned()
                } else {
                    s.code.clone()
                };
                t.push(vec![
                    Cell::Code(line.clone()),
                    Cell::Code(service),
                    Cell::Code(s.account.clone()),
                    Cell::amount(s.voted),
                    Cell::amount(s.amendments),
                    Cell::amount(s.credits),
                    Cell::amount(s.committed),
                    Cell::amount(s.spent),
                    Cell::amount(s.remaining),
                    pct_cell(ratio(s.spent, s.credits)),
                ]);
                for (acc, x) in sums.iter_mut().zip([
                    s.voted,
                    s.amendments,
                    s.credits,
                    s.committed,
                    s.spent,
                    s.remaining,
                ]) {
                    *acc += crate::money::round_cents(x);
                }
                chart.categories.push(line);
                chart.series[0].values.push(s.credits);
                chart.series[1].values.push(s.spent);
            }
            t.close(
                "Total",
                &[
                    ("voted", sums[0]),
                    ("amendments", sums[1]),
                    ("credits", sums[2]),
                    ("committed", sums[3]),
                    ("spent", sums[4]),
                    ("remaining", sums[5]),
                ],
            )?;
            if let Some(total) = t.total.as_mut() {
                total[9] = pct_cell(ratio(sums[4], sums[2]));
            }
            let mut s = Section::new(fr, en);
            if !chart.categories.is_empty() {
                s.charts.push(chart);
            }
            s.tables.push(t);
            r.sections.push(s);
        }
        r.notes.push(Label::new(
            format!(
                "Source : budget_status ({}). Une collectivité ne récupère pas la TVA sur son budget principal : il est imputé TTC ; un budget assujetti l'est HT.",
                match basis {
                    Some(crate::ChargeBasis::Ht) => "budget imputé HT",
                    Some(_) => "budget imputé TTC",
                    None => "aucun budget voté pour l'année",
                }
            ),
            format!(
                "Source: budget_status ({}). A collectivité does not recover VAT on its general budget: it is charged incl. VAT; a budget subject to VAT excl. VAT.",
                match basis {
                    Some(crate::ChargeBasis::Ht) => "budget charged excl. VAT",
                    Some(_) => "budget charged incl. VAT",
                    None => "no budget voted for the year",
                }
            ),
        ));
        r.notes.push(Label::new(
            "Disponible = crédits ouverts − engagements − dépenses non couvertes par un engagement ; ligne « — » : dépenses qui ne correspondent à aucune ligne.",
            "Available = credits − commitments − spending no commitment covers; line \"—\": spending matching no line.",
        ));
        Ok(r)
    }
}
