//! Citizen-request statistics: delays, with a histogram.

use chrono::Datelike;
use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, pct_cell, ratio, ReportKind};
use crate::{Mutualis, Result};

/// The histogram's bins of the delay to closure, in hours: upper bounds
/// (exclusive), the last bin open.
const BINS: [(i64, &str, &str); 6] = [
    (24, "< 1 j", "< 1 d"),
    (72, "1 à 3 j", "1–3 d"),
    (168, "3 à 7 j", "3–7 d"),
    (720, "7 à 30 j", "7–30 d"),
    (2160, "30 à 90 j", "30–90 d"),
    (i64::MAX, "≥ 90 j", "≥ 90 d"),
];

impl Mutualis {
    /// Statistics of the requests routed to `tenant` and received in
    /// `year`: per category received, closed, open, the mean delay to
    /// closure ([`Mutualis::request_delays`]), and a histogram of the delays
    /// to closure. The counts add up to the requests of the year (checked).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_requests(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Requests,
            Label::new(
                format!("Demandes d'intervention {year}"),
                format!("Service requests {year}"),
            ),
            tenant,
            year,
        )?;
        let me = self.tenant_id(tenant)?;
        let mut rows: std::collections::BTreeMap<String, (u64, u64, i64, u64)> = Default::default();
        let mut bins = [0u64; BINS.len()];
        let mut received = 0u64;
        for q in self
            .requests()
            .iter()
            .filter(|q| q.tenant == me && q.received.year() == year)
        {
            received += 1;
            let e = rows.entry(q.category.clone()).or_default();
            e.0 += 1;
            if let Some(d) = self.request_delays(&q.code)?.to_closure {
                e.1 += 1;
                e.2 += d.num_seconds();
                e.3 += 1;
                let h = d.num_hours();
                if let Some(i) = BINS.iter().position(|(max, ..)| h < *max) {
                    bins[i] += 1;
                }
            }
        }
        let mut t = Table::new(
            "by_category",
            Label::new("Par catégorie", "Per category"),
            vec![
                Column::new("category", "Catégorie", "Category", K::Code),
                Column::new("received", "Reçues", "Received", K::Count),
                Column::new("closed", "Clôturées", "Closed", K::Count),
                Column::new("open", "En cours", "Open", K::Count),
                Column::new(
                    "closed_share",
                    "Taux de clôture",
                    "Closed share",
                    K::Percent,
                ),
                Column::new(
                    "mean_days",
                    "Délai moyen de clôture (jours)",
                    "Mean delay to closure (days)",
                    K::Number,
                ),
            ],
        );
        for (category, (n, closed, secs, with_delay)) in &rows {
            let mean = if *with_delay > 0 {
                let days = Decimal::from(*secs) / Decimal::from(86_400 * *with_delay as i64);
                Cell::Number(days)
            } else {
                Cell::Empty
            };
            t.push(vec![
                Cell::Code(category.clone()),
                Cell::Count(*n),
                Cell::Count(*closed),
                Cell::Count(n - closed),
                pct_cell(ratio(Decimal::from(*closed), Decimal::from(*n))),
                mean,
            ]);
        }
        t.close("Total", &[])?;
        let counted: u64 = rows.values().map(|v| v.0).sum();
        let binned: u64 = bins.iter().sum();
        let closed: u64 = rows.values().map(|v| v.3).sum();
        if counted != received || binned != closed {
            return Err(crate::Error::ReportTotalMismatch {
                table: "by_category".into(),
                column: "received".into(),
                rows: Decimal::from(counted + binned),
                total: Decimal::from(received + closed),
            });
        }
        let chart = Chart {
            key: "delays".into(),
            kind: ChartKind::Histogram,
            title: Label::new("Délai de clôture des demandes", "Delay to closure"),
            unit: Unit::Count,
            categories: BINS.iter().map(|(_, fr, _)| (*fr).to_owned()).collect(),
            series: vec![Series {
                label: Label::new("Demandes", "Requests"),
                values: bins.iter().map(|n| Decimal::from(*n)).collect(),
            }],
        };
        let mut s = Section::new("Demandes reçues et délais", "Requests received and delays");
        s.charts.push(chart);
        s.tables.push(t);
        r.sections.push(s);
        r.notes.push(Label::new(
            "Source : les demandes dont la collectivité est compétente, reçues dans l'année, et request_delays (de la réception à la première clôture, statuts Open311).",
            "Source: the requests the tenant is competent for, received in the year, and request_delays (from reception to the first closing status, Open311 statuses).",
        ));
        Ok(r)
    }
}
