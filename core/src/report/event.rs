//! The cost of an event (the 14 juillet) across tenants.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, nature_label, ReportKind};
use crate::ledger::{Dimension, LedgerFilter};
use crate::{CostNature, Mutualis, Result};

impl Mutualis {
    /// The cost of the event tagged `tag` (e.g. `14-juillet-2026`) for the
    /// report of `tenant` and `year`: what each tenant is charged per
    /// nature ([`Mutualis::ledger_group`] by payer and nature, stacked per
    /// payer), the work orders, and the totals HT and TTC, which equal
    /// [`Mutualis::cost_by_tag`] (checked). The event is shown across
    /// tenants: each pays its part.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_event(
        &self,
        tenant: &str,
        year: i32,
        tag: &str,
    ) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Event,
            Label::new(
                format!("Coût de l'événement « {tag} »"),
                format!("Cost of the event \"{tag}\""),
            ),
            tenant,
            year,
        )?;
        let filter = LedgerFilter {
            tag: Some(tag.to_owned()),
            ..LedgerFilter::default()
        };
        let summary = self.cost_by_tag(tag);
        let groups = self.ledger_group(&[Dimension::Payer, Dimension::Nature], &filter)?;
        let mut t = Table::new(
            "by_payer_nature",
            Label::new("Par collectivité et nature", "Per tenant and nature"),
            vec![
                Column::new("payer", "Collectivité", "Tenant", K::Code),
                Column::new("nature", "Nature", "Nature", K::Text),
                Column::new("work_orders", "Bons de travaux", "Work orders", K::Count),
                Column::new("ht", "Montant HT", "Amount excl. VAT", K::Amount),
                Column::new("ttc", "Montant TTC", "Amount incl. VAT", K::Amount),
            ],
        );
        let mut payers: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
        for g in &groups {
            let n = CostNature::ALL
                .iter()
                .position(|x| x.as_str() == g.keys[1])
                .unwrap_or(0);
            t.push(vec![
                Cell::Code(g.keys[0].clone()),
                Cell::Label(nature_label(CostNature::ALL[n])),
                Cell::Count(g.work_orders as u64),
                Cell::amount(g.ht),
                Cell::amount(g.ttc),
            ]);
            payers
                .entry(g.keys[0].clone())
                .or_insert_with(|| vec![Decimal::ZERO; CostNature::ALL.len()])[n] += g.ttc;
        }
        t.close(
            "Total",
            &[("ht", summary.total.ht), ("ttc", summary.total.ttc)],
        )?;
        // the work-order count of the total row is not a sum of rows (an
        // order can have several natures): show the distinct count
        let orders = self.ledger_group(&[Dimension::WorkOrder], &filter)?;
        if let Some(total) = t.total.as_mut() {
            total[2] = Cell::Count(orders.len() as u64);
        }
        let chart = Chart {
            key: "by_payer".into(),
            kind: ChartKind::Stacked,
            title: Label::new(
                "Coût TTC par collectivité et nature",
                "Cost incl. VAT per tenant and nature",
            ),
            unit: Unit::Euros,
            categories: payers.keys().cloned().collect(),
            series: CostNature::ALL
                .iter()
                .enumerate()
                .map(|(n, nature)| Series {
                    label: nature_label(*nature),
                    values: payers.values().map(|v| v[n]).collect(),
                })
                .collect(),
        };
        let mut s1 = Section::new("Répartition du coût", "Who pays what");
        if !chart.categories.is_empty() {
            s1.charts.push(chart);
        }
        s1.tables.push(t);

        let mut t = Table::new(
            "by_nature",
            Label::new("Par nature", "Per nature"),
            vec![
                Column::new("nature", "Nature", "Nature", K::Text),
                Column::new("lines", "Lignes", "Lines", K::Count),
                Column::new("ht", "Montant HT", "Amount excl. VAT", K::Amount),
                Column::new("vat", "TVA", "VAT", K::Amount),
                Column::new("ttc", "Montant TTC", "Amount incl. VAT", K::Amount),
            ],
        );
        let line_groups = self.ledger_group(&[Dimension::Nature], &filter)?;
        for n in CostNature::ALL {
            let a = summary.of(*n);
            let lines = line_groups
                .iter()
                .find(|g| g.keys[0] == n.as_str())
                .map_or(0, |g| g.rows as u64);
            t.push(vec![
                Cell::Label(nature_label(*n)),
                Cell::Count(lines),
                Cell::amount(a.ht),
                Cell::amount(a.vat),
                Cell::amount(a.ttc),
            ]);
        }
        t.close(
            "Total",
            &[
                ("ht", summary.total.ht),
                ("vat", summary.total.vat),
                ("ttc", summary.total.ttc),
            ],
        )?;
        s1.tables.push(t);

        let mut t = Table::new(
            "work_orders",
            Label::new("Bons de travaux", "Work orders"),
            vec![
                Column::new("work_order", "Bon de travaux", "Work order", K::Code),
                Column::new("ht", "Montant HT", "Amount excl. VAT", K::Amount),
                Column::new("ttc", "Montant TTC", "Amount incl. VAT", K::Amount),
            ],
        );
        for g in &orders {
            t.push(vec![
                Cell::Code(g.keys[0].clone()),
                Cell::amount(g.ht),
                Cell::amount(g.ttc),
            ]);
        }
        t.close(
            "Total",
            &[("ht", summary.total.ht), ("ttc", summary.total.ttc)],
        )?;
        let mut s2 = Section::new("Détail", "Detail");
        s2.tables.push(t);
        r.sections.extend([s1, s2]);
        r.notes.push(Label::new(
            format!("Sources : cost_by_tag(« {tag} ») et ledger_group filtré sur l'étiquette. Main-d'œuvre en régie au taux interne, sans TVA ; prestations externes HT + TVA au taux en vigueur à la date de la ligne."),
            format!("Sources: cost_by_tag(\"{tag}\") and ledger_group filtered on the tag. In-house labour at the internal rate, no VAT; external services HT + VAT at the rate in force on the line's date."),
        ));
        Ok(r)
    }
}
