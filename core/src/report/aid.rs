//! In-kind aid per association (aide en nature).

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, ReportKind};
use crate::{Mutualis, Result};

impl Mutualis {
    /// The in-kind aid `tenant` gives to associations in `year`, from
    /// [`Mutualis::in_kind_aid`]: per association the rent waived, the
    /// interventions in its premises (TTC) and their total, whether a
    /// convention is required (above 23 000 €, loi 2000-321 art. 10); the
    /// totals equal the query's (checked), and waived + interventions =
    /// total.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_aid(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Aid,
            Label::new(
                format!("Aides en nature aux associations {year}"),
                format!("In-kind aid to associations {year}"),
            ),
            tenant,
            year,
        )?;
        let aid: Vec<_> = self
            .in_kind_aid(year)?
            .into_iter()
            .filter(|a| a.tenant == r.tenant)
            .collect();
        let mut t = Table::new(
            "aid",
            Label::new("Par association", "Per association"),
            vec![
                Column::new("association", "Association", "Association", K::Code),
                Column::new("name", "Nom", "Name", K::Text),
                Column::new("rna", "RNA", "RNA", K::Code),
                Column::new("waived_rent", "Loyer non perçu", "Rent waived", K::Amount),
                Column::new(
                    "interventions",
                    "Interventions (TTC)",
                    "Interventions (incl. VAT)",
                    K::Amount,
                ),
                Column::new("total", "Total", "Total", K::Amount),
                Column::new(
                    "convention",
                    "Convention requise",
                    "Convention required",
                    K::Text,
                ),
            ],
        );
        let mut chart = Chart {
            key: "aid".into(),
            kind: ChartKind::Stacked,
            title: Label::new(
                "Aide en nature par association",
                "In-kind aid per association",
            ),
            unit: Unit::Euros,
            categories: Vec::new(),
            series: vec![
                Series {
                    label: Label::new("Loyer non perçu", "Rent waived"),
                    values: Vec::new(),
                },
                Series {
                    label: Label::new("Interventions", "Interventions"),
                    values: Vec::new(),
                },
            ],
        };
        let (mut waived, mut works, mut total) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for a in &aid {
            t.push(vec![
                Cell::Code(a.association.clone()),
                Cell::Text(a.name.clone()),
                a.rna.clone().map_or(Cell::Empty, Cell::Code),
                Cell::amount(a.waived_rent),
                Cell::amount(a.interventions),
                Cell::amount(a.total),
                Cell::Label(if a.convention_required {
                    Label::new("oui", "yes")
                } else {
                    Label::new("non", "no")
                }),
            ]);
            waived += crate::money::round_cents(a.waived_rent);
            works += crate::money::round_cents(a.interventions);
            total += crate::money::round_cents(a.total);
            chart.categories.push(a.association.clone());
            chart.series[0].values.push(a.waived_rent);
            chart.series[1].values.push(a.interventions);
        }
        t.close(
            "Total",
            &[
                ("waived_rent", waived),
                ("interventions", works),
                ("total", total),
            ],
        )?;
        // the two parts add up to the total
        super::check_total("aid", "total", &[waived, works], total)?;
        let mut s = Section::new("Associations aidées", "Associations aided");
        if !chart.categories.is_empty() {
            s.charts.push(chart);
        }
        s.tables.push(t);
        r.sections.push(s);
        r.notes.push(Label::new(
            "Source : in_kind_aid. Loi 2000-321 art. 9-1 et 10, décret 2001-495 : valeur locative non perçue au prorata des jours d'occupation, plus le coût des interventions dans les locaux occupés ; convention obligatoire au-delà de 23 000 €.",
            "Source: in_kind_aid. Loi 2000-321 art. 9-1 and 10, décret 2001-495: the rental value waived pro rata of the days occupied, plus the cost of the interventions in the premises; a convention is required above 23 000 €.",
        ));
        Ok(r)
    }
}
