//! The embedded SQLite store (core module `store`) and the reports of
//! imports (device sync, CSV).
//!
//! `Store` holds one core `mutualis::store::Store` behind a mutex, so one
//! handle can be shared between Python threads; SQLite work runs with the
//! GIL released. The unit-of-work style: `checkout()` gives a working
//! `Mutualis` (a copy), ordinary commands change it, `commit(work)` persists
//! everything it recorded in one transaction (all or nothing), or raises
//! `StaleStateError` when the store moved on (`refresh()`, check out again,
//! redo). `close()` (or leaving a `with` block) releases the file; a closed
//! handle raises `StorageError`.
//!
//! Reports carry the refused rows or events as `(number, exception)` pairs:
//! the exception is an instance of the class `to_py_err` would raise, not
//! raised.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use mutualis::store::{ImportReport, Store, StoredEvent};
use mutualis::Error;
use pyo3::exceptions::PyBaseException;
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::IntoPyObjectExt;

use crate::records::PyJournalEntry;
use crate::{core, to_py_err, PyMutualis};

/// An error as an exception instance (for reports).
pub(crate) fn exception(py: Python<'_>, e: Error) -> Py<PyBaseException> {
    to_py_err(e).into_value(py)
}

/// `(number, exception)` pairs as a Python list of tuples.
fn pairs<'py, N: IntoPyObject<'py> + Copy>(
    py: Python<'py>,
    items: &[(N, Py<PyBaseException>)],
) -> PyResult<Bound<'py, pyo3::types::PyList>> {
    let tuples = items
        .iter()
        .map(|(n, e)| (*n, e.clone_ref(py)).into_bound_py_any(py))
        .collect::<PyResult<Vec<_>>>()?;
    pyo3::types::PyList::new(py, tuples)
}

/// What a CSV import did: rows imported, and each bad row's line number in
/// the file (the header is line 1) with its error.
#[pyclass(frozen, name = "CsvReport", module = "mutualis._mutualis")]
pub struct PyCsvReport {
    imported: usize,
    errors: Vec<(usize, Py<PyBaseException>)>,
}

impl PyCsvReport {
    pub(crate) fn new(py: Python<'_>, r: mutualis::import::CsvReport) -> PyCsvReport {
        PyCsvReport {
            imported: r.imported,
            errors: r
                .errors
                .into_iter()
                .map(|(l, e)| (l, exception(py, e)))
                .collect(),
        }
    }
}

#[pymethods]
impl PyCsvReport {
    /// Rows imported.
    #[getter]
    fn imported(&self) -> usize {
        self.imported
    }

    /// (line number, exception instance) of every bad row, in line order.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        pairs(py, &self.errors)
    }

    fn __repr__(&self) -> String {
        let lines: Vec<String> = self.errors.iter().map(|(l, _)| l.to_string()).collect();
        format!(
            "CsvReport(imported={}, errors=[lines {}])",
            self.imported,
            lines.join(", ")
        )
    }
}

/// What `Store.import_events` did: events applied, duplicates skipped, and
/// the conflicts as (origin sequence, exception instance).
#[pyclass(frozen, name = "ImportReport", module = "mutualis._mutualis")]
pub struct PyImportReport {
    applied: usize,
    duplicates: usize,
    conflicts: Vec<(i64, Py<PyBaseException>)>,
}

impl PyImportReport {
    fn new(py: Python<'_>, r: ImportReport) -> PyImportReport {
        PyImportReport {
            applied: r.applied,
            duplicates: r.duplicates,
            conflicts: r
                .conflicts
                .into_iter()
                .map(|(s, e)| (s, exception(py, e)))
                .collect(),
        }
    }
}

#[pymethods]
impl PyImportReport {
    /// Events applied and stored.
    #[getter]
    fn applied(&self) -> usize {
        self.applied
    }

    /// Events already in the store (skipped).
    #[getter]
    fn duplicates(&self) -> usize {
        self.duplicates
    }

    /// (origin sequence, exception instance) of each refused event.
    #[getter]
    fn conflicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        pairs(py, &self.conflicts)
    }

    fn __repr__(&self) -> String {
        format!(
            "ImportReport(applied={}, duplicates={}, conflicts={})",
            self.applied,
            self.duplicates,
            self.conflicts.len()
        )
    }
}

/// An event as stored: its place in this store, the device that recorded it
/// first and its place there, and the journal entry.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "StoredEvent",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStoredEvent {
    seq: i64,
    origin: String,
    origin_seq: i64,
    entry: PyJournalEntry,
}

impl PyStoredEvent {
    fn new(e: &StoredEvent) -> PyResult<PyStoredEvent> {
        Ok(PyStoredEvent {
            seq: e.seq,
            origin: e.origin.clone(),
            origin_seq: e.origin_seq,
            entry: PyJournalEntry::new(&e.entry)?,
        })
    }
}

#[pymethods]
impl PyStoredEvent {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let entry = self
            .entry
            .clone()
            .into_bound_py_any(py)?
            .repr()?
            .to_string();
        Ok(format!(
            "StoredEvent(seq={}, origin={}, origin_seq={}, entry={entry})",
            self.seq,
            self.origin.clone().into_bound_py_any(py)?.repr()?,
            self.origin_seq
        ))
    }
}

/// A registry persisted in a SQLite file (or in memory): `Store(path, device)`.
#[pyclass(frozen, name = "Store", module = "mutualis._mutualis")]
pub struct PyStoreHandle {
    inner: Mutex<Option<Store>>,
}

/// The error of a closed handle.
fn closed() -> PyErr {
    to_py_err(Error::Storage {
        message: "this store handle is closed".into(),
    })
}

impl PyStoreHandle {
    fn lock<'a>(&'a self, py: Python<'_>) -> MutexGuard<'a, Option<Store>> {
        self.inner
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the open store, with the GIL released.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Store) -> mutualis::Result<T> + Send,
    ) -> PyResult<T> {
        let mut guard = self.lock(py);
        let store = guard.as_mut().ok_or_else(closed)?;
        core(py.detach(|| f(store)))
    }
}

#[pymethods]
impl PyStoreHandle {
    /// Opens (or creates) the store at `path`; `device` names this handle's
    /// origin for sync ("central", a tablet's id...).
    #[new]
    fn py_new(py: Python<'_>, path: PathBuf, device: &str) -> PyResult<PyStoreHandle> {
        let store = core(py.detach(|| Store::open(&path, device)))?;
        Ok(PyStoreHandle {
            inner: Mutex::new(Some(store)),
        })
    }

    /// A store in memory (tests, scratch work).
    #[staticmethod]
    fn in_memory(py: Python<'_>, device: &str) -> PyResult<PyStoreHandle> {
        let store = core(py.detach(|| Store::open_in_memory(device)))?;
        Ok(PyStoreHandle {
            inner: Mutex::new(Some(store)),
        })
    }

    /// Sequence of the last event this handle has seen (0: empty store).
    #[getter]
    fn head(&self, py: Python<'_>) -> PyResult<i64> {
        Ok(self.lock(py).as_ref().ok_or_else(closed)?.head())
    }

    /// This handle's device name.
    #[getter]
    fn device(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self
            .lock(py)
            .as_ref()
            .ok_or_else(closed)?
            .device()
            .to_owned())
    }

    /// True once `close()` was called.
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        self.lock(py).is_none()
    }

    /// Sets who records the next changes (journal actor).
    fn set_actor(&self, py: Python<'_>, actor: &str) -> PyResult<()> {
        self.with(py, |s| {
            s.set_actor(actor);
            Ok(())
        })
    }

    /// A working copy of the registry; change it with ordinary commands, then
    /// `commit` it.
    fn checkout(&self, py: Python<'_>) -> PyResult<PyMutualis> {
        self.with(py, |s| Ok(s.checkout())).map(PyMutualis::wrap)
    }

    /// Persists, in one transaction, everything `work` recorded since it was
    /// checked out; returns how many events. Raises `StaleStateError` when
    /// the store moved on, `StaleCopyError` when `work` is not a checkout of
    /// this handle's current state.
    fn commit(&self, py: Python<'_>, work: &PyMutualis) -> PyResult<usize> {
        // Lock order: store, then registry (a registry never locks a store).
        let mut guard = self.lock(py);
        let store = guard.as_mut().ok_or_else(closed)?;
        let working = work.state(py)?;
        let working: &mutualis::Mutualis = &working;
        core(py.detach(|| store.commit(working)))
    }

    /// A copy of the registry as of this handle's head.
    fn registry(&self, py: Python<'_>) -> PyResult<PyMutualis> {
        self.checkout(py)
    }

    /// Loads the events other handles committed; returns how many.
    fn refresh(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, Store::refresh)
    }

    /// Writes a snapshot of the registry at the current head.
    fn snapshot(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, Store::snapshot)
    }

    /// The whole stored journal.
    fn journal(&self, py: Python<'_>) -> PyResult<Vec<PyJournalEntry>> {
        let entries = self.with(py, |s| s.journal())?;
        entries.iter().map(PyJournalEntry::new).collect()
    }

    /// The stored events after `seq`, oldest first.
    fn events_since(&self, py: Python<'_>, seq: i64) -> PyResult<Vec<PyStoredEvent>> {
        let events = self.with(py, |s| s.events_since(seq))?;
        events.iter().map(PyStoredEvent::new).collect()
    }

    /// The events after `seq` as JSON, to send to another store.
    fn export_since(&self, py: Python<'_>, seq: i64) -> PyResult<String> {
        self.with(py, |s| s.export_since(seq))
    }

    /// Imports events exported by another store: duplicates are skipped,
    /// events that no longer apply are reported, the rest are applied in one
    /// transaction.
    fn import_events(&self, py: Python<'_>, json: &str) -> PyResult<PyImportReport> {
        let report = self.with(py, |s| s.import(json))?;
        Ok(PyImportReport::new(py, report))
    }

    /// Closes the file (idempotent).
    fn close(&self, py: Python<'_>) {
        let store = self.lock(py).take();
        py.detach(|| drop(store));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        match self.lock(py).as_ref() {
            Some(s) => format!("Store(device={:?}, head={})", s.device(), s.head()),
            None => "Store(closed)".to_owned(),
        }
    }
}
