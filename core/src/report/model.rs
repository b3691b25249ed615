//! The report model: a [`Report`] is data — title, tenant, period, sections
//! of tables with typed cells and charts, notes — rendered by
//! [`super::html`], [`super::csv`] and [`super::svg`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::format::{self, Locale};
use super::ReportKind;
use crate::error::{Error, Result};

/// A text in French and in English (the model's names).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Label {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

impl Label {
    /// A label in both languages.
    #[must_use]
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Label {
        Label {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages (a code, a name).
    #[must_use]
    pub fn same(text: impl Into<String>) -> Label {
        let t = text.into();
        Label {
            fr: t.clone(),
            en: t,
        }
    }

    /// The text in `locale`.
    #[must_use]
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Free text (a name, a label).
    Text,
    /// A code (tenant, service, asset, agreement…), shown as is.
    Code,
    /// An amount in euros, exact to the cent.
    Amount,
    /// A date.
    Date,
    /// A count.
    Count,
    /// A percentage (in percent).
    Percent,
    /// A plain number shown with one decimal (a mean delay in days).
    Number,
}

impl ColumnKind {
    /// `text`, `code`, `amount`, `date`, `count` or `percent`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Code => "code",
            ColumnKind::Amount => "amount",
            ColumnKind::Date => "date",
            ColumnKind::Count => "count",
            ColumnKind::Percent => "percent",
            ColumnKind::Number => "number",
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing (a total row's text columns, a change against a zero year).
    Empty,
    /// Free text.
    Text(String),
    /// A text of the model in both languages (a nature, a mode, a status).
    Label(Label),
    /// A code.
    Code(String),
    /// An amount in euros, rounded to the cent.
    Amount(Decimal),
    /// A date.
    Date(NaiveDate),
    /// A count.
    Count(u64),
    /// A percentage, in percent (12.5 is 12,5 %).
    Percent(Decimal),
    /// A plain number, shown with one decimal.
    Number(Decimal),
}

impl Cell {
    /// An amount cell, rounded to the cent half away from zero.
    #[must_use]
    pub fn amount(x: Decimal) -> Cell {
        Cell::Amount(crate::money::round_cents(x))
    }

    /// The cell as a reader sees it in `locale` (empty for [`Cell::Empty`]).
    #[must_use]
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Code(s) => s.clone(),
            Cell::Label(l) => l.get(locale).to_owned(),
            Cell::Amount(x) => format::amount(*x, locale),
            Cell::Date(d) => format::date(*d, locale),
            Cell::Count(n) => format::count(*n, locale),
            Cell::Percent(p) => format::percent(*p, locale),
            Cell::Number(x) => format::number(*x, 1, locale),
        }
    }

    /// The amount of an amount cell.
    #[must_use]
    pub fn as_amount(&self) -> Option<Decimal> {
        match self {
            Cell::Amount(x) => Some(*x),
            _ => None,
        }
    }
}

/// A column: a stable key (the CSV header and the binding's column name),
/// its label and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Stable key (snake_case).
    pub key: String,
    /// Header.
    pub label: Label,
    /// Kind of its cells.
    pub kind: ColumnKind,
}

impl Column {
    /// A column.
    #[must_use]
    pub fn new(key: &str, fr: &str, en: &str, kind: ColumnKind) -> Column {
        Column {
            key: key.to_owned(),
            label: Label::new(fr, en),
            kind,
        }
    }
}

/// A table: columns, rows and, when it shows amounts, a total row whose
/// amounts are the sums of the rows (checked when built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Stable key (snake_case; the CSV file name).
    pub key: String,
    /// Caption.
    pub title: Label,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// The total row (amount and count columns summed), if any.
    pub total: Option<Vec<Cell>>,
}

impl Table {
    /// An empty table.
    #[must_use]
    pub fn new(key: &str, title: Label, columns: Vec<Column>) -> Table {
        Table {
            key: key.to_owned(),
            title,
            columns,
            rows: Vec::new(),
            total: None,
        }
    }

    /// Appends a row (one cell per column; a short row is padded with
    /// [`Cell::Empty`], extra cells are dropped).
    pub fn push(&mut self, mut row: Vec<Cell>) {
        row.resize(self.columns.len(), Cell::Empty);
        self.rows.push(row);
    }

    /// The index of the column `key`.
    #[must_use]
    pub fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// The sum of the rows' amounts in column `i`.
    fn sum_amounts(&self, i: usize) -> Decimal {
        self.rows
            .iter()
            .filter_map(|r| r.get(i).and_then(Cell::as_amount))
            .sum()
    }

    /// Adds the total row: `label` in the first column, the sums of the
    /// amount and count columns, then checks each `(column, total)` of
    /// `expected` — the totals the queries give — against the rows' sum.
    ///
    /// Errors: [`Error::ReportTotalMismatch`] naming the table and column
    /// when the rows do not add up to the query's total, or when `expected`
    /// names no amount column of the table.
    pub fn close(&mut self, label: &str, expected: &[(&str, Decimal)]) -> Result<()> {
        let mut total = vec![Cell::Empty; self.columns.len()];
        if let Some(first) = total.first_mut() {
            *first = Cell::Text(label.to_owned());
        }
        for (i, c) in self.columns.iter().enumerate() {
            match c.kind {
                ColumnKind::Amount => total[i] = Cell::amount(self.sum_amounts(i)),
                ColumnKind::Count if i > 0 => {
                    let n = self
                        .rows
                        .iter()
                        .filter_map(|r| match r.get(i) {
                            Some(Cell::Count(n)) => Some(*n),
                            _ => None,
                        })
                        .sum();
                    total[i] = Cell::Count(n);
                }
                _ => {}
            }
        }
        for (key, want) in expected {
            let want = crate::money::round_cents(*want);
            let got = self
                .column_index(key)
                .filter(|&i| self.columns[i].kind == ColumnKind::Amount)
                .map(|i| self.sum_amounts(i));
            if got != Some(want) {
                return Err(Error::ReportTotalMismatch {
                    table: self.key.clone(),
                    column: (*key).to_owned(),
                    rows: got.unwrap_or_default(),
                    total: want,
                });
            }
        }
        self.total = Some(total);
        Ok(())
    }

    /// Checks that every amount column of the total row is the sum of the
    /// rows (a table read back or changed by hand).
    ///
    /// Errors: [`Error::ReportTotalMismatch`].
    pub fn check(&self) -> Result<()> {
        let Some(total) = &self.total else {
            return Ok(());
        };
        for (i, c) in self.columns.iter().enumerate() {
            if c.kind != ColumnKind::Amount {
                continue;
            }
            let rows = self.sum_amounts(i);
            let want = total.get(i).and_then(Cell::as_amount).unwrap_or_default();
            if rows != want {
                return Err(Error::ReportTotalMismatch {
                    table: self.key.clone(),
                    column: c.key.clone(),
                    rows,
                    total: want,
                });
            }
        }
        Ok(())
    }

    /// The amount of column `key` in the total row.
    #[must_use]
    pub fn total_of(&self, key: &str) -> Option<Decimal> {
        let i = self.column_index(key)?;
        self.total.as_ref()?.get(i)?.as_amount()
    }
}

/// The check every table of a report passes: `rows`, each rounded to the
/// cent, add up to `total` rounded to the cent (for an analyst's own tables
/// too).
///
/// Errors: [`Error::ReportTotalMismatch`] naming `table` and `column`.
pub fn check_total(table: &str, column: &str, rows: &[Decimal], total: Decimal) -> Result<()> {
    let sum: Decimal = rows.iter().map(|x| crate::money::round_cents(*x)).sum();
    let total = crate::money::round_cents(total);
    if sum == total {
        Ok(())
    } else {
        Err(Error::ReportTotalMismatch {
            table: table.to_owned(),
            column: column.to_owned(),
            rows: sum,
            total,
        })
    }
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Grouped bars: per category, one bar per series (e.g. per service,
    /// the previous year beside the year).
    Bars,
    /// Stacked bars: per category, the series stacked (e.g. per year, the
    /// parts paid and scheduled; per payer, its parts).
    Stacked,
    /// A matrix: categories are both the rows (creditors, the series in
    /// order) and the columns (debtors); a cell's shade grows with its value.
    Matrix,
    /// A histogram: categories are the bins, one series of counts.
    Histogram,
}

impl ChartKind {
    /// `bars`, `stacked`, `matrix` or `histogram`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Bars => "bars",
            ChartKind::Stacked => "stacked",
            ChartKind::Matrix => "matrix",
            ChartKind::Histogram => "histogram",
        }
    }
}

/// The unit of a chart's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Euros.
    Euros,
    /// A count.
    Count,
    /// Kilowatt-hours (final energy).
    Kwh,
}

/// One series of a chart: a value per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Legend.
    pub label: Label,
    /// One value per category.
    pub values: Vec<Decimal>,
}

/// A chart, drawn as SVG by [`super::svg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Stable key.
    pub key: String,
    /// How it is drawn.
    pub kind: ChartKind,
    /// Caption.
    pub title: Label,
    /// Unit of the values.
    pub unit: Unit,
    /// Categories (x axis; a matrix's rows and columns).
    pub categories: Vec<String>,
    /// Series.
    pub series: Vec<Series>,
}

/// A section: a heading, its tables and charts, notes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// Heading.
    pub title: Label,
    /// Tables.
    pub tables: Vec<Table>,
    /// Charts.
    pub charts: Vec<Chart>,
    /// Notes under the section.
    pub notes: Vec<Label>,
}

impl Section {
    /// An empty section.
    #[must_use]
    pub fn new(fr: &str, en: &str) -> Section {
        Section {
            title: Label::new(fr, en),
            ..Section::default()
        }
    }
}

/// A report: built from the public queries by [`crate::Mutualis::report`],
/// rendered by [`Report::to_html`] and [`Table::to_csv`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Which report.
    pub kind: ReportKind,
    /// Title.
    pub title: Label,
    /// Tenant code (the collectivité it is for).
    pub tenant: String,
    /// Tenant name.
    pub tenant_name: String,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Sections.
    pub sections: Vec<Section>,
    /// Sources and rules applied.
    pub notes: Vec<Label>,
}

impl Report {
    /// Every table of the report, section by section.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| s.tables.iter())
    }

    /// Every chart of the report, section by section.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| s.charts.iter())
    }

    /// The table `key`.
    #[must_use]
    pub fn table(&self, key: &str) -> Option<&Table> {
        self.tables().find(|t| t.key == key)
    }

    /// Checks every table's total row (see [`Table::check`]).
    ///
    /// Errors: [`Error::ReportTotalMismatch`].
    pub fn check(&self) -> Result<()> {
        self.tables().try_for_each(Table::check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn table() -> Table {
        Table::new(
            "t",
            Label::same("T"),
            vec![
                Column::new("who", "Qui", "Who", ColumnKind::Code),
                Column::new("n", "Nombre", "Count", ColumnKind::Count),
                Column::new("ttc", "TTC", "Incl. VAT", ColumnKind::Amount),
            ],
        )
    }

    #[test]
    fn a_total_row_is_the_sum_and_matches_the_query() {
        let mut t = table();
        t.push(vec![
            Cell::Code("A".into()),
            Cell::Count(2),
            Cell::amount(dec!(10.005)),
        ]);
        t.push(vec![
            Cell::Code("B".into()),
            Cell::Count(1),
            Cell::amount(dec!(-3)),
        ]);
        t.close("Total", &[("ttc", dec!(7.01))]).unwrap();
        assert_eq!(t.total_of("ttc"), Some(dec!(7.01)));
        assert_eq!(t.total.as_ref().unwrap()[1], Cell::Count(3));
        t.check().unwrap();
    }

    #[test]
    fn a_mismatch_is_a_typed_error() {
        let mut t = table();
        t.push(vec![
            Cell::Code("A".into()),
            Cell::Count(1),
            Cell::amount(dec!(10)),
        ]);
        let e = t.close("Total", &[("ttc", dec!(10.01))]).unwrap_err();
        assert_eq!(
            e,
            Error::ReportTotalMismatch {
                table: "t".into(),
                column: "ttc".into(),
                rows: dec!(10.00),
                total: dec!(10.01),
            }
        );
        assert!(t.total.is_none(), "nothing changed");
        let e = t.close("Total", &[("who", dec!(0))]).unwrap_err();
        assert!(matches!(e, Error::ReportTotalMismatch { .. }));
        t.close("Total", &[]).unwrap();
        t.rows[0][2] = Cell::amount(dec!(11));
        assert!(matches!(t.check(), Err(Error::ReportTotalMismatch { .. })));
    }
}
