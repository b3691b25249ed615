//! Reports that elected officials and managers read (docs/reports.md):
//! French by default, reconciled, with SVG charts, the same from Rust,
//! Python and Kotlin.
//!
//! A [`Report`] is data — title, tenant, period, sections of [`Table`]s
//! with typed [`Cell`]s and [`Chart`]s, notes on sources and rules — built
//! by [`crate::Mutualis::report`] from the public queries only (the ledger's
//! groups, statements and the settlement matrix, budget status, the PPI and
//! AP/CP situation, …). Every table showing amounts has a total row, and the
//! builder checks that its rows add up to the total the queries give
//! ([`crate::Error::ReportTotalMismatch`] otherwise, never a silent
//! mismatch). Renderers: [`Report::to_html`] (one self-contained page, inline
//! CSS and SVG), [`Table::to_csv`] (French Excel or plain), [`svg::chart`].
//!
//! ```
//! use mutualis::report::{Locale, ReportKind};
//! use mutualis::{Mutualis, NewTenant};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("VILLEREST", "Villerest", "214203317", "42332")).unwrap();
//! let r = m.report(ReportKind::Spending, "VILLEREST", 2026).unwrap();
//! let html = r.to_html(Locale::Fr);
//! assert!(html.contains("<h1>Dépenses par service et nature</h1>"));
//! assert_eq!(r.table("by_service").unwrap().total_of("ttc"), Some(rust_decimal::Decimal::new(0, 2)));
//! ```

pub mod csv;
pub mod format;
pub mod html;
pub mod model;
pub mod svg;

mod aid;
mod budget;
mod energy;
mod event;
mod fleet;
mod planning;
mod rent;
mod requests;
mod settlement;
mod spending;
mod suppliers;

pub use self::csv::CsvStyle;
pub use format::Locale;
pub use model::{
    check_total, Cell, Chart, ChartKind, Column, ColumnKind, Label, Report, Section, Series, Table,
    Unit,
};

use chrono::NaiveDate;

use crate::kinds::named_enum;
use crate::{CostNature, Mutualis, Period, Result};

named_enum! {
    /// Which report (its name on the command line and in the bindings).
    pub enum ReportKind as "report" {
        /// Spending per service, nature and year, the previous year beside it.
        Spending = "spending",
        /// The settlement between tenants: statements, pooled services,
        /// loans, no-agreement lines, the matrix.
        Settlement = "settlement",
        /// Budget consumption per line.
        Budget = "budget",
        /// The PPI and the situation des AP/CP.
        Ppi = "ppi",
        /// The cost of an event (default tag `14-juillet-YEAR`) across tenants.
        Event = "event",
        /// Interventions and external spending per supplier.
        Suppliers = "suppliers",
        /// In-kind aid per association.
        Aid = "aid",
        /// Citizen-request statistics with a delay histogram.
        Requests = "requests",
        /// Fleet inspections due, performed, and costs per vehicle.
        Fleet = "fleet",
        /// The rent roll (état locatif): rent and charges due, received, balance.
        Rent = "rent",
        /// Energy per service and energy, the previous year beside it.
        Energy = "energy",
        /// Décret tertiaire progress per building subject to it.
        Tertiaire = "tertiaire",
    }
}

/// Escapes text for HTML and SVG (`& < > " '`).
#[must_use]
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// January 1st and December 31st of `year` (checked against [`crate::YEARS`]).
pub(crate) fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    crate::period::check_year("year", year)?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    match (first, last) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(crate::Error::YearOutOfRange {
            field: "year",
            year: i64::from(year),
            min: *crate::YEARS.start(),
            max: *crate::YEARS.end(),
        }),
    }
}

/// The calendar year `year` as a period.
pub(crate) fn year_period(year: i32) -> Result<Period> {
    let (a, b) = year_bounds(year)?;
    Period::new(a, Some(b))
}

/// The French and English label of a cost nature.
pub(crate) fn nature_label(n: CostNature) -> Label {
    match n {
        CostNature::Labour => Label::new("Main-d'œuvre (régie)", "Labour (in-house)"),
        CostNature::Material => Label::new("Fournitures (stock)", "Material (stores)"),
        CostNature::Vehicle => Label::new("Véhicules et engins", "Vehicles and equipment"),
        CostNature::External => Label::new("Prestations externes", "External services"),
        CostNature::Energy => Label::new("Énergie", "Energy"),
    }
}

/// A report's frame: kind, title, tenant and its name, the year.
pub(crate) fn frame(
    m: &Mutualis,
    kind: ReportKind,
    title: Label,
    tenant: &str,
    year: i32,
) -> Result<Report> {
    let t = m.tenant(tenant)?;
    let (from, to) = year_bounds(year)?;
    Ok(Report {
        kind,
        title,
        tenant: t.code.clone(),
        tenant_name: t.name.clone(),
        from,
        to,
        sections: Vec::new(),
        notes: vec![Label::new(
            "Montants exacts au centime, arrondis à la ligne au demi-centime supérieur en valeur absolue ; les totaux sont les sommes des lignes arrondies et sont vérifiés contre les requêtes.",
            "Amounts exact to the cent, each line rounded half away from zero; totals are sums of the rounded lines, checked against the queries.",
        )],
    })
}

/// A percentage `part / whole × 100`, `None` when `whole` is zero.
pub(crate) fn ratio(
    part: rust_decimal::Decimal,
    whole: rust_decimal::Decimal,
) -> Option<rust_decimal::Decimal> {
    if whole.is_zero() {
        None
    } else {
        part.checked_mul(rust_decimal::Decimal::ONE_HUNDRED)?
            .checked_div(whole)
    }
}

/// A percentage cell or [`Cell::Empty`].
pub(crate) fn pct_cell(p: Option<rust_decimal::Decimal>) -> Cell {
    p.map_or(Cell::Empty, Cell::Percent)
}

impl Mutualis {
    /// Builds report `kind` for `tenant` and calendar `year` from the
    /// public queries (the event report uses the tag `14-juillet-YEAR`; see
    /// [`Mutualis::report_event`] for another tag; the fleet report's
    /// reference date is December 31st, see [`Mutualis::report_fleet`]).
    ///
    /// Errors: [`crate::Error::UnknownTenant`],
    /// [`crate::Error::YearOutOfRange`], [`crate::Error::ReportTotalMismatch`]
    /// (a table whose rows do not add up to the queries' total), plus those
    /// of the queries read.
    pub fn report(&self, kind: ReportKind, tenant: &str, year: i32) -> Result<Report> {
        match kind {
            ReportKind::Spending => self.report_spending(tenant, year),
            ReportKind::Settlement => self.report_settlement(tenant, year),
            ReportKind::Budget => self.report_budget(tenant, year),
            ReportKind::Ppi => self.report_ppi(tenant, year),
            ReportKind::Event => self.report_event(tenant, year, &format!("14-juillet-{year}")),
            ReportKind::Suppliers => self.report_suppliers(tenant, year),
            ReportKind::Aid => self.report_aid(tenant, year),
            ReportKind::Requests => self.report_requests(tenant, year),
            ReportKind::Fleet => self.report_fleet(tenant, year, None),
            ReportKind::Rent => self.report_rent(tenant, year),
            ReportKind::Energy => self.report_energy(tenant, year),
            ReportKind::Tertiaire => self.report_tertiaire(tenant, year),
        }
    }
}
