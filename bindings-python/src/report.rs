//! Reports (issue 18): `m.report(kind, tenant=..., year=...)` returns a
//! `Report` built by the core from its public queries — the same report as
//! in Rust and Kotlin — with `.html()`, `.to_html(path)`, `.tables`
//! (dict-of-columns per table, pandas / polars-ready) and `.csv(table)`.

use mutualis::report::{Cell, CsvStyle, Locale, Report};
use pyo3::exceptions::{PyKeyError, PyOSError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::core;

/// A report: title, tenant, period, tables and charts, rendered in French
/// (default) or English.
#[pyclass(frozen, name = "Report", module = "mutualis._mutualis")]
pub struct PyReport {
    pub(crate) inner: Report,
}

fn locale(lang: &str) -> PyResult<Locale> {
    core(Locale::parse(lang))
}

fn cell<'py>(py: Python<'py>, c: &Cell) -> PyResult<Bound<'py, PyAny>> {
    match c {
        Cell::Empty => Ok(py.None().into_bound(py)),
        Cell::Text(s) | Cell::Code(s) => s.into_bound_py_any(py),
        Cell::Label(l) => l.fr.clone().into_bound_py_any(py),
        Cell::Amount(x) | Cell::Percent(x) | Cell::Number(x) => x.into_bound_py_any(py),
        Cell::Date(d) => d.into_bound_py_any(py),
        Cell::Count(n) => n.into_bound_py_any(py),
    }
}

#[pymethods]
impl PyReport {
    /// The report's kind ("spending", "settlement", ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.as_str()
    }

    /// The title, in French.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title.fr
    }

    /// The tenant's code.
    #[getter]
    fn tenant(&self) -> &str {
        &self.inner.tenant
    }

    /// The tenant's name.
    #[getter]
    fn tenant_name(&self) -> &str {
        &self.inner.tenant_name
    }

    /// First day of the period.
    #[getter]
    fn start(&self) -> chrono::NaiveDate {
        self.inner.from
    }

    /// Last day of the period.
    #[getter]
    fn end(&self) -> chrono::NaiveDate {
        self.inner.to
    }

    /// The tables as `{table: {column: [values]}}` (rows only, the total
    /// row in `totals`): amounts and percentages `Decimal`, dates
    /// `datetime.date`, counts `int`, texts and codes `str`, empty `None`.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for t in self.inner.tables() {
            let cols = PyDict::new(py);
            for (i, c) in t.columns.iter().enumerate() {
                let values = t
                    .rows
                    .iter()
                    .map(|r| cell(py, &r[i]))
                    .collect::<PyResult<Vec<_>>>()?;
                cols.set_item(&c.key, values)?;
            }
            out.set_item(&t.key, cols)?;
        }
        Ok(out)
    }

    /// The total row of each table that has one, as `{table: {column:
    /// value}}` (amount and count columns; the rows add up to them).
    #[getter]
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for t in self.inner.tables() {
            let Some(total) = &t.total else { continue };
            let cols = PyDict::new(py);
            for (c, v) in t.columns.iter().zip(total) {
                if matches!(v, Cell::Amount(_) | Cell::Count(_)) {
                    cols.set_item(&c.key, cell(py, v)?)?;
                }
            }
            out.set_item(&t.key, cols)?;
        }
        Ok(out)
    }

    /// The page as one self-contained HTML string (`lang`: "fr" or "en").
    #[pyo3(signature = (lang="fr"))]
    fn html(&self, lang: &str) -> PyResult<String> {
        Ok(self.inner.to_html(locale(lang)?))
    }

    /// Writes the HTML page to `path`.
    #[pyo3(signature = (path, lang="fr"))]
    fn to_html(&self, path: std::path::PathBuf, lang: &str) -> PyResult<()> {
        let html = self.inner.to_html(locale(lang)?);
        std::fs::write(&path, html)
            .map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))
    }

    /// Table `table` as CSV: `style` "excel" (UTF-8 BOM, `;`, decimal
    /// comma, what a French Excel opens) or "plain".
    #[pyo3(signature = (table, style="excel", lang="fr"))]
    fn csv(&self, table: &str, style: &str, lang: &str) -> PyResult<String> {
        let style = match style {
            "excel" => CsvStyle::Excel,
            "plain" => CsvStyle::Plain,
            other => {
                return Err(crate::to_py_err(mutualis::Error::UnknownKind {
                    what: "csv style",
                    value: other.to_owned(),
                    expected: "excel, plain",
                }))
            }
        };
        let t = self
            .inner
            .table(table)
            .ok_or_else(|| PyKeyError::new_err(format!("no table {table:?} in this report")))?;
        Ok(t.to_csv(locale(lang)?, style))
    }

    /// Checks every table's total row (`ReportTotalMismatchError`).
    fn check(&self) -> PyResult<()> {
        core(self.inner.check())
    }

    /// The check every report table passes, for an analyst's own columns:
    /// `rows` (each rounded to the cent) add up to `total`, else
    /// `ReportTotalMismatchError` naming `table` and `column`.
    #[staticmethod]
    fn check_total(table: &str, column: &str, rows: Vec<Decimal>, total: Decimal) -> PyResult<()> {
        core(mutualis::report::check_total(table, column, &rows, total))
    }

    fn __repr__(&self) -> String {
        format!(
            "Report(kind='{}', tenant='{}', start={}, end={}, tables={})",
            self.inner.kind.as_str(),
            self.inner.tenant,
            self.inner.from,
            self.inner.to,
            self.inner.tables().count()
        )
    }
}
