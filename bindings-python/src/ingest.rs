//! Bulk ingestion of a user's tables (docs/ingest.md): a mapping of table
//! names to objects exposing `__arrow_c_stream__` (pyarrow tables, polars
//! data frames…), imported through the Arrow C stream interface, or a
//! folder of Parquet or CSV files; and the report.

use std::path::PathBuf;

use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use mutualis::ingest::{IngestMode, IngestReport, Tables};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyMapping};

use crate::core;

/// A row that was not ingested (report mode).
#[pyclass(
    frozen,
    eq,
    hash,
    name = "IngestRowReport",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyRowError {
    /// Table name.
    #[pyo3(get)]
    table: String,
    /// Row number, from 1.
    #[pyo3(get)]
    row: usize,
    /// The column at fault, if known.
    #[pyo3(get)]
    column: Option<String>,
    /// The error's kind (`"unknown_work_order"`…).
    #[pyo3(get)]
    kind: String,
    /// The error's message.
    #[pyo3(get)]
    message: String,
}

record_class! {
    PyRowError { table, row, column, kind, message }

    fn __repr__(&self) -> String {
        format!(
            "IngestRowReport(table={:?}, row={}, column={:?}, kind={:?})",
            self.table, self.row, self.column, self.kind
        )
    }
}

/// What an ingestion did.
#[pyclass(frozen, eq, hash, name = "IngestReport", module = "mutualis._mutualis")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyIngestReport {
    /// (table, rows given, rows ingested), in ingestion order.
    #[pyo3(get)]
    tables: Vec<(String, usize, usize)>,
    /// The rows skipped (report mode).
    #[pyo3(get)]
    errors: Vec<PyRowError>,
}

record_class! {
    PyIngestReport { tables, errors }

    /// Rows ingested from `table` (0 if it was not given).
    fn ingested(&self, table: &str) -> usize {
        self.tables.iter().find(|t| t.0 == table).map_or(0, |t| t.2)
    }

    fn __repr__(&self) -> String {
        format!(
            "IngestReport({} rows ingested, {} refused)",
            self.tables.iter().map(|t| t.2).sum::<usize>(),
            self.errors.len()
        )
    }
}

impl From<IngestReport> for PyIngestReport {
    fn from(r: IngestReport) -> PyIngestReport {
        PyIngestReport {
            tables: r
                .tables
                .iter()
                .map(|t| (t.table.to_owned(), t.rows, t.ingested))
                .collect(),
            errors: r
                .errors
                .iter()
                .map(|e| PyRowError {
                    table: e.table.to_owned(),
                    row: e.row,
                    column: e.column.map(str::to_owned),
                    kind: e.error.kind().to_owned(),
                    message: e.error.to_string(),
                })
                .collect(),
        }
    }
}

/// The mode from its name.
pub(crate) fn mode(name: &str) -> PyResult<IngestMode> {
    core(name.parse())
}

fn read_error(message: String) -> PyErr {
    crate::to_py_err(mutualis::Error::IngestRead { message })
}

/// The tables of a mapping `name -> object with __arrow_c_stream__`.
pub(crate) fn tables_from_mapping(tables: &Bound<'_, PyAny>) -> PyResult<Tables> {
    let mapping = tables.cast::<PyMapping>()?;
    let mut out = Tables::new();
    for item in mapping.items()?.iter() {
        let (name, table): (String, Bound<'_, PyAny>) = item.extract()?;
        if !table.hasattr("__arrow_c_stream__")? {
            return Err(crate::argument_type_error(
                table.py(),
                format!("table {name:?}: expected an object with __arrow_c_stream__ (a pyarrow Table, a polars DataFrame…)"),
            ));
        }
        let capsule = table.call_method1("__arrow_c_stream__", (table.py().None(),))?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let ptr = capsule
            .pointer_checked(Some(c"arrow_array_stream"))
            .map_err(|_| read_error(format!("table {name:?}: not an Arrow C stream capsule")))?;
        // SAFETY: the capsule named "arrow_array_stream" holds a valid
        // ArrowArrayStream (Arrow PyCapsule interface). `from_raw` moves the
        // stream out and marks the capsule's copy released, so the capsule's
        // destructor does not release it a second time.
        let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
        let reader = RecordBatchStreamReader::try_new(stream)
            .map_err(|e| read_error(format!("table {name:?}: {e}")))?;
        for batch in reader {
            let batch = batch.map_err(|e| read_error(format!("table {name:?}: {e}")))?;
            core(out.insert(&name, batch))?;
        }
    }
    Ok(out)
}

/// The tables of a folder of CSV files.
pub(crate) fn tables_from_csv(dir: PathBuf) -> PyResult<Tables> {
    core(Tables::from_csv_dir(dir))
}
