//! The embedded SQLite store (core module `store`) and the reports of
//! imports (device sync, CSV).
//!
//! `Store` holds one core `mutualis::store::Store` behind a shared mutex, so
//! one handle can be shared between Python threads; SQLite work runs with
//! the GIL released. The unit-of-work style, without copies:
//! `checkout()` (and `registry()`) return a `Mutualis` that is a *view of
//! the store's own registry*; ordinary commands on it change the store's
//! registry in place and are *pending* (visible through every view of that
//! store, not yet in the file) until `commit(work)` persists them in one
//! transaction (all or nothing) or `rollback()` discards them. A commit
//! refused with `StaleStateError` (another handle committed) discards them
//! too: `refresh()`, check out again, redo. A view whose changes were
//! discarded is stale: using it raises `StaleCopyError`. `refresh()`,
//! `snapshot()` and `import_events()` refuse to run over pending changes
//! (`UncommittedChangesError`). `commit(m)` of a registry built elsewhere
//! (not a view) takes it into an empty store; into a store with events it is
//! `StaleCopyError`. `close()` (or leaving a `with` block) releases the
//! file; a closed handle, and its views, raise `StorageError`.
//!
//! Reports carry the refused rows or events as `(number, exception)` pairs:
//! the exception is an instance of the class `to_py_err` would raise, not
//! raised.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use mutualis::store::{ImportReport, Store, StoredEvent};
use mutualis::Error;
use pyo3::exceptions::PyBaseException;
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::IntoPyObjectExt;

use crate::records::PyJournalEntry;
use crate::{core, is_busy, to_py_err, PyMutualis};

/// A store handle's shared slot (`None` once closed).
type Shared = Arc<Mutex<Option<Store>>>;

/// Where a `Mutualis` object's registry lives: its own, or the store's (a
/// view handed out by `Store.checkout()`, valid while the store keeps the
/// generation it was taken at).
#[allow(clippy::large_enum_variant)] // one per object, locked on every call: no extra indirection
pub(crate) enum Registry {
    /// A registry of its own (shared with the objects `as_principal` binds
    /// to it).
    Own(Arc<Mutex<mutualis::Mutualis>>),
    /// A view of a store's registry.
    View {
        /// The store's slot.
        store: Shared,
        /// The store's generation when the view was taken.
        generation: u64,
    },
}

/// The registry of an empty, closed slot (never handed out: `lock` checks
/// the store is open first).
static CLOSED: LazyLock<mutualis::Mutualis> = LazyLock::new(mutualis::Mutualis::new);

/// A locked registry: derefs to the `Mutualis` to read or change.
pub(crate) enum RegistryGuard<'a> {
    /// An own registry.
    Own(MutexGuard<'a, mutualis::Mutualis>),
    /// A store's registry (the store is open).
    View(
        MutexGuard<'a, Option<Store>>,
        Option<Box<mutualis::Mutualis>>,
    ),
}

impl std::ops::Deref for RegistryGuard<'_> {
    type Target = mutualis::Mutualis;
    fn deref(&self) -> &mutualis::Mutualis {
        match self {
            RegistryGuard::Own(m) => m,
            RegistryGuard::View(s, _) => s.as_ref().map_or(&CLOSED, Store::registry),
        }
    }
}

impl std::ops::DerefMut for RegistryGuard<'_> {
    fn deref_mut(&mut self) -> &mut mutualis::Mutualis {
        match self {
            RegistryGuard::Own(m) => m,
            RegistryGuard::View(s, fallback) => match s.as_mut() {
                Some(s) => s.working(),
                None => fallback.get_or_insert_with(Box::default),
            },
        }
    }
}

impl Registry {
    /// Locks the registry (without deadlocking against the GIL).
    pub(crate) fn lock(&self, py: Python<'_>) -> PyResult<RegistryGuard<'_>> {
        match self {
            Registry::Own(m) => Ok(RegistryGuard::Own(
                m.lock_py_attached(py)
                    .unwrap_or_else(PoisonError::into_inner),
            )),
            Registry::View { store, generation } => {
                let guard = store
                    .lock_py_attached(py)
                    .unwrap_or_else(PoisonError::into_inner);
                let s = guard.as_ref().ok_or_else(closed)?;
                if s.generation() != *generation {
                    return Err(to_py_err(Error::StaleCopy { head: s.head() }));
                }
                Ok(RegistryGuard::View(guard, None))
            }
        }
    }

    /// The store's address for a view (its identity for the busy check).
    pub(crate) fn address(&self) -> Option<usize> {
        match self {
            Registry::Own(m) => Some(Arc::as_ptr(m) as usize),
            Registry::View { store, .. } => Some(Arc::as_ptr(store) as usize),
        }
    }

    /// The same registry, for another object (a principal's handle).
    pub(crate) fn share(&self) -> Registry {
        match self {
            Registry::Own(m) => Registry::Own(Arc::clone(m)),
            Registry::View { store, generation } => Registry::View {
                store: Arc::clone(store),
                generation: *generation,
            },
        }
    }
}

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

record_class! {
    PyCsvReport ["imported", "errors"] |fields| PyCsvReport {
        imported: crate::protocol::field(fields, "imported")?,
        errors: crate::protocol::field(fields, "errors")?,
    };

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

record_class! {
    PyImportReport ["applied", "duplicates", "conflicts"] |fields| PyImportReport {
        applied: crate::protocol::field(fields, "applied")?,
        duplicates: crate::protocol::field(fields, "duplicates")?,
        conflicts: crate::protocol::field(fields, "conflicts")?,
    };

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

record_class! {
    PyStoredEvent { seq, origin, origin_seq, entry }

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
    inner: Shared,
}

/// The error of a closed handle.
fn closed() -> PyErr {
    to_py_err(Error::Storage {
        message: "this store handle is closed".into(),
    })
}

impl PyStoreHandle {
    fn new(store: Store) -> PyStoreHandle {
        PyStoreHandle {
            inner: Arc::new(Mutex::new(Some(store))),
        }
    }

    fn lock<'a>(&'a self, py: Python<'_>) -> PyResult<MutexGuard<'a, Option<Store>>> {
        if is_busy(Arc::as_ptr(&self.inner) as usize) {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "this store's registry is recording costs: its progress callback cannot use the store",
            ));
        }
        Ok(self
            .inner
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `f` on the open store, with the GIL released.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Store) -> mutualis::Result<T> + Send,
    ) -> PyResult<T> {
        let mut guard = self.lock(py)?;
        let store = guard.as_mut().ok_or_else(closed)?;
        core(py.detach(|| f(store)))
    }

    /// A view of the store's registry at its current generation.
    fn view(&self, py: Python<'_>) -> PyResult<PyMutualis> {
        let generation = self.with(py, |s| Ok(s.generation()))?;
        Ok(PyMutualis {
            state: Registry::View {
                store: Arc::clone(&self.inner),
                generation,
            },
            principal: None,
        })
    }
}

#[pymethods]
impl PyStoreHandle {
    /// Opens (or creates) the store at `path`; `device` names this handle's
    /// origin for sync ("central", a tablet's id...). A store written by the
    /// previous schema is migrated in place.
    #[new]
    fn py_new(py: Python<'_>, path: PathBuf, device: &str) -> PyResult<PyStoreHandle> {
        let store = core(py.detach(|| Store::open(&path, device)))?;
        Ok(PyStoreHandle::new(store))
    }

    /// A store in memory (tests, scratch work).
    #[staticmethod]
    fn in_memory(py: Python<'_>, device: &str) -> PyResult<PyStoreHandle> {
        let store = core(py.detach(|| Store::open_in_memory(device)))?;
        Ok(PyStoreHandle::new(store))
    }

    /// Opens (or creates) the store at `url`: `postgres://user:password@host:port/database`
    /// (a shared PostgreSQL server; `sslmode=require` and other parameters
    /// after `?`), `sqlite:PATH` or a file path. The password appears in no
    /// error message. `Store(path, device)` takes a `postgres://` URL too.
    #[staticmethod]
    fn open_url(py: Python<'_>, url: &str, device: &str) -> PyResult<PyStoreHandle> {
        let store = core(py.detach(|| Store::open_url(url, device)))?;
        Ok(PyStoreHandle::new(store))
    }

    /// Copies every stored event of this store into the empty store
    /// `target` (a SQLite file into PostgreSQL, or back) as stored: same
    /// sequence, origin, time, payload bytes and hash chain; returns how
    /// many. Raises `StaleCopyError` when `target` is not empty (or is this
    /// store), `TamperedJournalError` when this store's chain is broken.
    fn copy_to(&self, py: Python<'_>, target: &PyStoreHandle) -> PyResult<u64> {
        if Arc::ptr_eq(&self.inner, &target.inner) {
            return self.with(py, |s| Err(Error::StaleCopy { head: s.head() }));
        }
        // two locks, always taken in the same order (by address)
        let source_first = Arc::as_ptr(&self.inner) < Arc::as_ptr(&target.inner);
        let (mut a, mut b) = if source_first {
            let a = self.lock(py)?;
            (a, target.lock(py)?)
        } else {
            let b = target.lock(py)?;
            (self.lock(py)?, b)
        };
        let from = a.as_mut().ok_or_else(closed)?;
        let to = b.as_mut().ok_or_else(closed)?;
        core(py.detach(move || mutualis::store::copy(from, to)))
    }

    /// Sequence of the last event this handle has seen (0: empty store).
    #[getter]
    fn head(&self, py: Python<'_>) -> PyResult<i64> {
        Ok(self.lock(py)?.as_ref().ok_or_else(closed)?.head())
    }

    /// This handle's device name.
    #[getter]
    fn device(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self
            .lock(py)?
            .as_ref()
            .ok_or_else(closed)?
            .device()
            .to_owned())
    }

    /// Changes made on the store's registry and not yet committed (journal
    /// entries).
    #[getter]
    fn pending(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.lock(py)?.as_ref().ok_or_else(closed)?.pending())
    }

    /// True once `close()` was called.
    #[getter]
    fn closed(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(self.lock(py)?.is_none())
    }

    /// Sets who records the next changes (journal actor).
    fn set_actor(&self, py: Python<'_>, actor: &str) -> PyResult<()> {
        self.with(py, |s| {
            s.set_actor(actor);
            Ok(())
        })
    }

    /// The store's registry to work on (a view, not a copy): change it with
    /// ordinary commands, then `commit` it (or `rollback()`).
    fn checkout(&self, py: Python<'_>) -> PyResult<PyMutualis> {
        self.view(py)
    }

    /// Persists, in one transaction, every change made on the store's
    /// registry since the last commit; returns how many events. Raises
    /// `StaleStateError` when the store moved on (the changes are rolled
    /// back), `StaleCopyError` when `work` is a stale view, another store's
    /// view, or a registry of its own given to a store that is not empty (a
    /// registry of its own goes into an empty store whole).
    fn commit(&self, py: Python<'_>, work: &PyMutualis) -> PyResult<usize> {
        match &work.state {
            Registry::View { store, generation } if Arc::ptr_eq(store, &self.inner) => {
                let generation = *generation;
                self.with(py, |s| {
                    if s.generation() != generation {
                        return Err(Error::StaleCopy { head: s.head() });
                    }
                    s.commit()
                })
            }
            Registry::View { .. } => self.with(py, |s| Err(Error::StaleCopy { head: s.head() })),
            Registry::Own(_) => {
                // Lock order: the registry, released, then the store.
                let registry = work.state(py)?.clone();
                self.with(py, |s| s.adopt(registry))
            }
        }
    }

    /// Discards the changes made on the store's registry since the last
    /// commit (reloading it from the file); returns how many events were
    /// discarded. Views taken before become stale.
    fn rollback(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, Store::rollback)
    }

    /// The store's registry (a view, like `checkout()`: it shows pending
    /// changes; `copy()` it for an independent registry).
    fn registry(&self, py: Python<'_>) -> PyResult<PyMutualis> {
        self.view(py)
    }

    /// Loads the events other handles committed; returns how many.
    fn refresh(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, Store::refresh)
    }

    /// Writes a snapshot of the registry at the current head.
    fn snapshot(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, Store::snapshot)
    }

    /// Verifies the hash chain of every stored event (opening verifies only
    /// the events after the snapshot); returns how many were verified.
    /// Raises `TamperedJournalError` (its `seq`: the first altered event).
    fn verify(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, |s| s.verify())
    }

    /// The whole stored journal.
    fn journal(&self, py: Python<'_>) -> PyResult<Vec<PyJournalEntry>> {
        let entries = self.with(py, |s| s.journal())?;
        entries.iter().map(PyJournalEntry::new).collect()
    }

    /// The stored events after `seq`, oldest first.
    fn events_since(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::seq)] seq: i64,
    ) -> PyResult<Vec<PyStoredEvent>> {
        let events = self.with(py, |s| s.events_since(seq))?;
        events.iter().map(PyStoredEvent::new).collect()
    }

    /// The events after `seq` as JSON, to send to another store.
    fn export_since(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::seq)] seq: i64,
    ) -> PyResult<String> {
        self.with(py, |s| s.export_since(seq))
    }

    /// Imports events exported by another store (a device's upload):
    /// duplicates are skipped, events that no longer apply or whose actor
    /// lacked the grant are reported, the rest are applied in one
    /// transaction.
    fn import_events(&self, py: Python<'_>, json: &str) -> PyResult<PyImportReport> {
        let report = self.with(py, |s| s.import(json))?;
        Ok(PyImportReport::new(py, report))
    }

    /// Replicates events exported by a store this one trusts (a device
    /// pulling the central store's journal): as `import_events`, but applied
    /// as recorded, without authorising them again. Never for uploads.
    fn replicate(&self, py: Python<'_>, json: &str) -> PyResult<PyImportReport> {
        let report = self.with(py, |s| s.replicate(json))?;
        Ok(PyImportReport::new(py, report))
    }

    /// Closes the file (idempotent); views of the registry then raise
    /// `StorageError`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let store = self.lock(py)?.take();
        py.detach(|| drop(store));
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match self.lock(py)?.as_ref() {
            Some(s) => format!(
                "Store(device={:?}, head={}, pending={})",
                s.device(),
                s.head(),
                s.pending()
            ),
            None => "Store(closed)".to_owned(),
        })
    }
}
