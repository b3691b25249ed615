//! Interventions and external spending per supplier.

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, year_period, ReportKind};
use crate::ledger::{Dimension, LedgerFilter};
use crate::{CostNature, Mutualis, Result};

impl Mutualis {
    /// Interventions (work orders) and external spending per supplier
    /// charged to `tenant` in `year` ([`Mutualis::ledger_group`] by
    /// supplier, external lines); the totals equal the tenant's external
    /// nature in the ledger for the year (checked).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_suppliers(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Suppliers,
            Label::new(
                format!("Interventions par prestataire {year}"),
                format!("Interventions per supplier {year}"),
            ),
            tenant,
            year,
        )?;
        let filter = LedgerFilter {
            period: Some(year_period(year)?),
            payer: Some(r.tenant.clone()),
            nature: Some(CostNature::External),
            ..LedgerFilter::default()
        };
        let mut groups = self.ledger_group(&[Dimension::Supplier], &filter)?;
        groups.sort_by(|a, b| b.ttc.cmp(&a.ttc).then_with(|| a.keys.cmp(&b.keys)));
        let all = self.ledger_group(&[Dimension::Nature], &filter)?;
        let (ht, ttc) = all
            .first()
            .map_or((Decimal::ZERO, Decimal::ZERO), |g| (g.ht, g.ttc));
        let mut t = Table::new(
            "suppliers",
            Label::new("Par prestataire", "Per supplier"),
            vec![
                Column::new("supplier", "Prestataire", "Supplier", K::Code),
                Column::new("name", "Raison sociale", "Name", K::Text),
                Column::new("siret", "SIRET", "SIRET", K::Code),
                Column::new("work_orders", "Interventions", "Interventions", K::Count),
                Column::new("lines", "Lignes facturées", "Invoice lines", K::Count),
                Column::new("ht", "Montant HT", "Amount excl. VAT", K::Amount),
                Column::new("ttc", "Montant TTC", "Amount incl. VAT", K::Amount),
            ],
        );
        let mut chart = Chart {
            key: "suppliers".into(),
            kind: ChartKind::Bars,
            title: Label::new(
                "Dépenses TTC par prestataire",
                "Spending incl. VAT per supplier",
            ),
            unit: Unit::Euros,
            categories: Vec::new(),
            series: vec![Series {
                label: Label::new(year.to_string(), year.to_string()),
                values: Vec::new(),
            }],
        };
        for g in &groups {
            let s = self.supplier(&g.keys[0]).ok();
            t.push(vec![
                Cell::Code(g.keys[0].clone()),
                Cell::Text(s.map(|s| s.name.clone()).unwrap_or_default()),
                Cell::Code(s.map(|s| s.siret.to_string()).unwrap_or_default()),
                Cell::Count(g.work_orders as u64),
                Cell::Count(g.rows as u64),
                Cell::amount(g.ht),
                Cell::amount(g.ttc),
            ]);
            chart.categories.push(g.keys[0].clone());
            chart.series[0].values.push(g.ttc);
        }
        t.close("Total", &[("ht", ht), ("ttc", ttc)])?;
        if let (Some(total), Some(g)) = (t.total.as_mut(), all.first()) {
            total[3] = Cell::Count(g.work_orders as u64);
        }
        let mut s = Section::new("Prestataires", "Suppliers");
        if !chart.categories.is_empty() {
            s.charts.push(chart);
        }
        s.tables.push(t);
        r.sections.push(s);
        r.notes.push(Label::new(
            "Source : ledger_group par prestataire, lignes externes imputées à la collectivité dans l'année (sa part quand une clé de répartition s'applique). Une intervention est un bon de travaux comptant au moins une ligne du prestataire ; le total compte les bons distincts.",
            "Source: ledger_group per supplier, external lines charged to the tenant in the year (its part under a sharing key). An intervention is a work order with at least one line of the supplier; the total counts distinct orders.",
        ));
        Ok(r)
    }
}
