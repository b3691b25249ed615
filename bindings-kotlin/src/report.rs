//! Reports (issue 18) on the Kotlin side: `m.report(kind, tenant, year,
//! tag)` returns a `Report` built by the core from its public queries — the
//! same report as in Rust and Python — with `toHtml(lang)`,
//! `writeHtml(path, lang)`, `tables()` (typed cells) and `csv(table, …)`.

use std::sync::Arc;

use chrono::NaiveDate;
use mutualis as mx;
use mutualis::report::{Cell, CsvStyle, Locale};
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReportCell {
    /// Nothing.
    Empty,
    /// Text or a code (a model label in French).
    Text {
        /// The text.
        value: String,
    },
    /// An amount in euros, exact to the cent.
    Amount {
        /// The amount.
        value: Decimal,
    },
    /// A date.
    Date {
        /// The date.
        value: NaiveDate,
    },
    /// A count.
    Count {
        /// The count.
        value: u64,
    },
    /// A percentage, in percent.
    Percent {
        /// The percentage.
        value: Decimal,
    },
    /// A plain number (a mean delay in days).
    Number {
        /// The number.
        value: Decimal,
    },
}

/// A column of a report table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportColumn {
    /// Stable key (snake_case).
    pub key: String,
    /// Header in French.
    pub label: String,
    /// "text", "code", "amount", "date", "count", "percent" or "number".
    pub kind: String,
}

/// A report table: its rows add up to its total row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportTable {
    /// Stable key.
    pub key: String,
    /// Caption in French.
    pub title: String,
    /// Columns.
    pub columns: Vec<ReportColumn>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<ReportCell>>,
    /// The total row, if any.
    pub total: Option<Vec<ReportCell>>,
}

fn cell(c: &Cell) -> ReportCell {
    match c {
        Cell::Text(s) | Cell::Code(s) => ReportCell::Text { value: s.clone() },
        Cell::Label(l) => ReportCell::Text {
            value: l.fr.clone(),
        },
        Cell::Amount(x) => ReportCell::Amount { value: *x },
        Cell::Date(d) => ReportCell::Date { value: *d },
        Cell::Count(n) => ReportCell::Count { value: *n },
        Cell::Percent(p) => ReportCell::Percent { value: *p },
        Cell::Number(x) => ReportCell::Number { value: *x },
        Cell::Empty => ReportCell::Empty,
    }
}

fn locale(lang: &str) -> Result<Locale, MutualisError> {
    Ok(Locale::parse(lang)?)
}

/// A report: title, tenant, period, tables and charts.
#[derive(Debug, uniffi::Object)]
pub struct Report {
    inner: mx::report::Report,
}

#[uniffi::export]
impl Report {
    /// The kind ("spending", "settlement", …).
    pub fn kind(&self) -> String {
        self.inner.kind.as_str().to_owned()
    }

    /// The title in French.
    pub fn title(&self) -> String {
        self.inner.title.fr.clone()
    }

    /// The tenant's code.
    pub fn tenant(&self) -> String {
        self.inner.tenant.clone()
    }

    /// First and last day of the period.
    pub fn period(&self) -> Vec<NaiveDate> {
        vec![self.inner.from, self.inner.to]
    }

    /// The page as one self-contained HTML string (`lang`: "fr" or "en").
    /// Throws `UnknownKind` for another language.
    pub fn to_html(&self, lang: String) -> Result<String, MutualisError> {
        Ok(self.inner.to_html(locale(&lang)?))
    }

    /// Writes the HTML page to `path`. Throws `Io`, `UnknownKind`.
    pub fn write_html(&self, path: String, lang: String) -> Result<(), MutualisError> {
        let html = self.inner.to_html(locale(&lang)?);
        std::fs::write(&path, html)
            .map_err(|e| MutualisError::io(format!("cannot write {path}: {e}")))
    }

    /// The tables, with typed cells.
    pub fn tables(&self) -> Vec<ReportTable> {
        self.inner
            .tables()
            .map(|t| ReportTable {
                key: t.key.clone(),
                title: t.title.fr.clone(),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ReportColumn {
                        key: c.key.clone(),
                        label: c.label.fr.clone(),
                        kind: c.kind.as_str().to_owned(),
                    })
                    .collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(cell).collect())
                    .collect(),
                total: t.total.as_ref().map(|r| r.iter().map(cell).collect()),
            })
            .collect()
    }

    /// Table `table` as CSV: `excel` true for what a French Excel opens
    /// (UTF-8 BOM, `;`, decimal comma), false for the plain form. Throws
    /// `UnknownKind` for an unknown table or language.
    pub fn csv(&self, table: String, excel: bool, lang: String) -> Result<String, MutualisError> {
        let t = self.inner.table(&table).ok_or_else(|| {
            MutualisError::from(mx::Error::UnknownKind {
                what: "report table",
                value: table.clone(),
                expected: "a table key of this report",
            })
        })?;
        let style = if excel {
            CsvStyle::Excel
        } else {
            CsvStyle::Plain
        };
        Ok(t.to_csv(locale(&lang)?, style))
    }
}

#[uniffi::export]
impl Mutualis {
    /// Report `kind` ("spending", "settlement", "budget", "ppi", "event",
    /// "suppliers", "aid", "requests", "energy", "tertiaire", "fleet", "rent") for `tenant` and calendar `year`, built by the core from
    /// its public queries (the event report's tag: `tag`, else
    /// "14-juillet-YEAR"). For the unchecked façade. Throws `UnknownKind`,
    /// `UnknownTenant`, `YearOutOfRange`, `ReportTotalMismatch`, `Forbidden`.
    pub fn report(
        &self,
        kind: String,
        tenant: String,
        year: i32,
        tag: Option<String>,
    ) -> Result<Arc<Report>, MutualisError> {
        let kind: mx::report::ReportKind = kind.parse()?;
        self.read(|m| {
            let inner = match (tag, kind) {
                (Some(tag), mx::report::ReportKind::Event) => {
                    m.report_event(&tenant, year, &tag)?
                }
                _ => m.report(kind, &tenant, year)?,
            };
            Ok(Arc::new(Report { inner }))
        })
    }
}

/// The check every report table passes, for an app's own columns: `rows`
/// (each rounded to the cent) add up to `total`. Throws
/// `ReportTotalMismatch` naming `table` and `column`.
#[uniffi::export]
pub fn report_check_total(
    table: String,
    column: String,
    rows: Vec<Decimal>,
    total: Decimal,
) -> Result<(), MutualisError> {
    Ok(mx::report::check_total(&table, &column, &rows, total)?)
}
