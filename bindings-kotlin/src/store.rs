//! The embedded store seen from Kotlin: a registry persisted in a SQLite
//! file (on Android, in the app's files directory), changed through a unit
//! of work (`checkout` → ordinary commands on the copy → `commit`), and
//! synchronised between an offline device and a central store.
//!
//! Every rule is the core's (`mutualis::store::Store`); this file converts
//! values and maps errors.

use std::sync::{Arc, Mutex, MutexGuard};

use mutualis::store as ms;

use crate::error::MutualisError;
use crate::field::journal_entry_rec;
use crate::field_types::JournalEntry;
use crate::registry::Mutualis;

/// An event refused by `importEvents`: it no longer applies to the store
/// (e.g. a cost line on a work order closed meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncConflict {
    /// Its position on the device that recorded it.
    pub origin_seq: i64,
    /// The error kind, snake_case as in docs/errors.md ("work_order_not_open").
    pub kind: String,
    /// The error message.
    pub message: String,
}

/// What `importEvents` did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// Events applied and stored.
    pub applied: u64,
    /// Events already in the store (same origin device and sequence), skipped.
    pub duplicates: u64,
    /// Events refused, one by one, in the order of the export.
    pub conflicts: Vec<SyncConflict>,
}

impl From<ms::ImportReport> for ImportReport {
    fn from(r: ms::ImportReport) -> Self {
        ImportReport {
            applied: r.applied as u64,
            duplicates: r.duplicates as u64,
            conflicts: r
                .conflicts
                .into_iter()
                .map(|(origin_seq, e)| SyncConflict {
                    origin_seq,
                    kind: e.kind().to_owned(),
                    message: e.to_string(),
                })
                .collect(),
        }
    }
}

/// A registry persisted in a SQLite file: the journal of every change (one
/// transaction per commit, WAL, synchronous writes), so what a run committed
/// is what the next run reads.
///
/// Change it through a unit of work: `checkout()` gives a working copy (a new
/// `Mutualis`), ordinary commands change the copy, `commit(copy)` writes
/// every journal entry the copy recorded since the checkout in one
/// transaction — all or nothing. Several handles (or processes) may share a
/// file: a commit on a handle that missed another handle's commits is refused
/// with `StaleState`; call `refresh()`, check out again and redo.
///
/// Thread-safe (calls are serialised). It holds the file open: call `close()`
/// (or `use { }`) when done.
#[derive(Debug, uniffi::Object)]
pub struct Store {
    inner: Mutex<ms::Store>,
}

impl Store {
    fn wrap(s: ms::Store) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(s),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, ms::Store>, MutualisError> {
        self.inner.lock().map_err(|_| {
            MutualisError::Internal(
                "the store handle is unusable: an earlier call failed while changing it".to_owned(),
            )
        })
    }
}

#[uniffi::export]
impl Store {
    /// Opens the store at `path`, creating it when the file does not exist;
    /// `device` names this handle's origin for sync ("central", an Android
    /// device id). The registry is rebuilt from the latest snapshot and the
    /// events after it.
    ///
    /// Throws `CorruptStore` (not a Mutualis store, damaged file: the file is
    /// not modified), `SchemaTooNew` (written by a newer library: not
    /// modified), `Storage` (cannot open, e.g. missing directory),
    /// `InvalidField` (blank device), or the error of an event that no longer
    /// replays.
    #[uniffi::constructor]
    pub fn new(path: String, device: String) -> Result<Arc<Self>, MutualisError> {
        Ok(Self::wrap(ms::Store::open(&path, &device)?))
    }

    /// A store in memory (tests, scratch work): lost when closed.
    /// Throws `InvalidField` (blank device), `Storage`.
    #[uniffi::constructor]
    pub fn in_memory(device: String) -> Result<Arc<Self>, MutualisError> {
        Ok(Self::wrap(ms::Store::open_in_memory(&device)?))
    }

    /// The sequence of the last stored event this handle has seen (0 for a
    /// new store).
    pub fn head(&self) -> Result<i64, MutualisError> {
        Ok(self.lock()?.head())
    }

    /// This handle's device name.
    pub fn device(&self) -> Result<String, MutualisError> {
        Ok(self.lock()?.device().to_owned())
    }

    /// Sets who records the next changes (copies checked out afterwards
    /// carry it).
    pub fn set_actor(&self, actor: String) -> Result<(), MutualisError> {
        self.lock()?.set_actor(&actor);
        Ok(())
    }

    /// A working copy of the registry as of `head()`: a new, independent
    /// `Mutualis` to change with ordinary commands and hand to `commit`.
    pub fn checkout(&self) -> Result<Arc<Mutualis>, MutualisError> {
        Ok(Mutualis::wrap(self.lock()?.checkout()))
    }

    /// Writes, in one transaction, every journal entry `work` recorded since
    /// it was checked out, and returns how many (0: nothing to write). The
    /// copy stays usable; check out again after a refused commit.
    ///
    /// Throws `StaleState` (another handle committed since this one last
    /// read the store, or `work` was checked out before this handle's last
    /// commit or refresh: nothing is written), `Storage`.
    pub fn commit(&self, work: Arc<Mutualis>) -> Result<u64, MutualisError> {
        let mut store = self.lock()?;
        let work = work.lock()?;
        Ok(store.commit(&work)? as u64)
    }

    /// A copy of the registry as of `head()` (a new `Mutualis`: changing it
    /// does not change the store unless it is committed).
    pub fn registry(&self) -> Result<Arc<Mutualis>, MutualisError> {
        self.checkout()
    }

    /// Loads the events other handles committed since this one last read the
    /// store; returns how many. Throws `Storage`, or the error of an event
    /// that does not apply.
    pub fn refresh(&self) -> Result<u64, MutualisError> {
        Ok(self.lock()?.refresh()? as u64)
    }

    /// Writes a snapshot of the registry at `head()` (the next opening starts
    /// from it). Throws `Storage`.
    pub fn snapshot(&self) -> Result<(), MutualisError> {
        Ok(self.lock()?.snapshot()?)
    }

    /// The whole stored journal, oldest first (histories that survive
    /// restarts). Throws `Storage`.
    pub fn journal(&self) -> Result<Vec<JournalEntry>, MutualisError> {
        self.lock()?
            .journal()?
            .iter()
            .map(journal_entry_rec)
            .collect()
    }

    /// The stored events after `seq` as JSON text, to hand to another store's
    /// `importEvents` (a device exports what it recorded since its last sync).
    /// Throws `Storage`.
    pub fn export_since(&self, seq: i64) -> Result<String, MutualisError> {
        Ok(self.lock()?.export_since(seq)?)
    }

    /// Imports events exported by another store: events already imported
    /// (same origin device and sequence) are skipped, events that no longer
    /// apply are reported one by one in `conflicts`, the rest are applied and
    /// stored in one transaction. Importing the same export twice applies it
    /// once.
    ///
    /// Throws `InvalidJson` (not an export), `StaleState` (another handle
    /// committed since this one last read the store), `Storage`.
    pub fn import_events(&self, json: String) -> Result<ImportReport, MutualisError> {
        Ok(self.lock()?.import(&json)?.into())
    }
}
