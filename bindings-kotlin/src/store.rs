//! The embedded store seen from Kotlin: a registry persisted in a SQLite
//! file (on Android, in the app's files directory), changed through a unit
//! of work without copies (`checkout` → ordinary commands on the store's own
//! registry → `commit`, or `rollback`), and synchronised between an offline
//! device and a central store.
//!
//! Every rule is the core's (`mutualis::store::Store`); this file converts
//! values and maps errors.

use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use mutualis::store as ms;

use crate::error::MutualisError;
use crate::field::journal_entry_rec;
use crate::field_types::JournalEntry;
use crate::registry::Mutualis;

fn unusable() -> MutualisError {
    MutualisError::internal(
        "the store handle is unusable: an earlier call failed while changing it".to_owned(),
    )
}

fn closed() -> MutualisError {
    MutualisError::Storage {
        reason: "this store handle is closed".to_owned(),
        text: "this store handle is closed".to_owned(),
    }
}

/// A store handle's shared slot (`None` once closed).
type Shared = Arc<Mutex<Option<ms::Store>>>;

/// Where a `Mutualis` object's registry lives: its own, or the store's (a
/// view handed out by `Store.checkout()`, valid while the store keeps the
/// generation it was taken at).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per object, locked on every call: no extra indirection
pub(crate) enum Registry {
    /// A registry of its own (shared with the objects `asPrincipal` binds
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

/// The registry of a closed slot (never handed out: `lock` checks first).
static CLOSED: LazyLock<mutualis::Mutualis> = LazyLock::new(mutualis::Mutualis::new);

/// A locked registry: derefs to the `Mutualis` to read or change.
pub(crate) enum RegistryGuard<'a> {
    /// An own registry.
    Own(MutexGuard<'a, mutualis::Mutualis>),
    /// A store's registry (the store is open).
    View(
        MutexGuard<'a, Option<ms::Store>>,
        Option<Box<mutualis::Mutualis>>,
    ),
}

impl std::ops::Deref for RegistryGuard<'_> {
    type Target = mutualis::Mutualis;
    fn deref(&self) -> &mutualis::Mutualis {
        match self {
            RegistryGuard::Own(m) => m,
            RegistryGuard::View(s, _) => s.as_ref().map_or(&CLOSED, ms::Store::registry),
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

    /// Locks the registry; a view checks that its store is open and still at
    /// the view's generation (`StaleCopy` otherwise).
    pub(crate) fn lock(&self) -> Result<RegistryGuard<'_>, MutualisError> {
        match self {
            Registry::Own(m) => m.lock().map(RegistryGuard::Own).map_err(|_| {
                MutualisError::internal(
                    "the registry is unusable: an earlier call failed while changing it".to_owned(),
                )
            }),
            Registry::View { store, generation } => {
                let guard = store.lock().map_err(|_| unusable())?;
                let s = guard.as_ref().ok_or_else(closed)?;
                if s.generation() != *generation {
                    return Err(mutualis::Error::StaleCopy { head: s.head() }.into());
                }
                Ok(RegistryGuard::View(guard, None))
            }
        }
    }
}

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
/// Change it through a unit of work, without copies: `checkout()` gives the
/// store's own registry (a `Mutualis` view of it), ordinary commands change
/// it in place and stay pending — visible through every view, not yet in the
/// file — until `commit(work)` writes them in one transaction (all or
/// nothing) or `rollback()` discards them. Several handles (or processes)
/// may share a file: a commit on a handle that missed another handle's
/// commits is refused with `StaleState` and its changes are rolled back;
/// call `refresh()`, check out again and redo. A view whose changes were
/// rolled back is stale (`StaleCopy` on any use). `refresh`, `snapshot` and
/// `importEvents` refuse to run over pending changes (`UncommittedChanges`).
///
/// Thread-safe (calls are serialised). It holds the file open: call `close()`
/// (or `use { }`) when done; views of a closed store throw `Storage`.
#[derive(Debug, uniffi::Object)]
pub struct Store {
    inner: Shared,
}

impl Store {
    fn wrap(s: ms::Store) -> Arc<Self> {
        Arc::new(Self {
            inner: Arc::new(Mutex::new(Some(s))),
        })
    }

    /// Runs `f` on the open store.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut ms::Store) -> Result<T, MutualisError>,
    ) -> Result<T, MutualisError> {
        let mut guard = self.inner.lock().map_err(|_| unusable())?;
        f(guard.as_mut().ok_or_else(closed)?)
    }

    fn view(&self) -> Result<Arc<Mutualis>, MutualisError> {
        let generation = self.with(|s| Ok(s.generation()))?;
        Ok(Arc::new(Mutualis {
            inner: Registry::View {
                store: Arc::clone(&self.inner),
                generation,
            },
            principal: None,
        }))
    }
}

#[uniffi::export]
impl Store {
    /// Opens the store at `path`, creating it when the file does not exist;
    /// `device` names this handle's origin for sync ("central", an Android
    /// device id). The registry is rebuilt from the latest snapshot and the
    /// events after it; a store written by the previous schema is migrated
    /// in place.
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

    /// Opens (or creates) the store at `url`:
    /// `postgres://user:password@host:port/database` (a shared PostgreSQL
    /// server; `?sslmode=require` for TLS), `sqlite:PATH` or a file path.
    /// The password appears in no error message.
    ///
    /// Throws as the main constructor; `InvalidField` (`url`) for an unknown
    /// scheme.
    #[uniffi::constructor]
    pub fn open_url(url: String, device: String) -> Result<Arc<Self>, MutualisError> {
        Ok(Self::wrap(ms::Store::open_url(&url, &device)?))
    }

    /// Copies every stored event of this store into the empty store
    /// `target` (SQLite into PostgreSQL, or back) as stored: same
    /// sequence, origin, time, payload bytes and hash chain; returns how
    /// many. Throws `StaleCopy` when `target` is not empty (or is this
    /// store), `TamperedJournal` when this store's chain is broken.
    pub fn copy_to(&self, target: Arc<Store>) -> Result<u64, MutualisError> {
        if Arc::ptr_eq(&self.inner, &target.inner) {
            return self.with(|s| Err(mutualis::Error::StaleCopy { head: s.head() }.into()));
        }
        // two locks, always taken in the same order (by address)
        let source_first = Arc::as_ptr(&self.inner) < Arc::as_ptr(&target.inner);
        let (mut a, mut b) = if source_first {
            let a = self.inner.lock().map_err(|_| unusable())?;
            (a, target.inner.lock().map_err(|_| unusable())?)
        } else {
            let b = target.inner.lock().map_err(|_| unusable())?;
            (self.inner.lock().map_err(|_| unusable())?, b)
        };
        let from = a.as_mut().ok_or_else(closed)?;
        let to = b.as_mut().ok_or_else(closed)?;
        Ok(ms::copy(from, to)?)
    }

    /// The sequence of the last stored event this handle has seen (0 for a
    /// new store).
    pub fn head(&self) -> Result<i64, MutualisError> {
        self.with(|s| Ok(s.head()))
    }

    /// This handle's device name.
    pub fn device(&self) -> Result<String, MutualisError> {
        self.with(|s| Ok(s.device().to_owned()))
    }

    /// Changes made on the store's registry and not yet committed (journal
    /// entries).
    pub fn pending(&self) -> Result<u64, MutualisError> {
        self.with(|s| Ok(s.pending() as u64))
    }

    /// Sets who records the next changes.
    pub fn set_actor(&self, actor: String) -> Result<(), MutualisError> {
        self.with(|s| {
            s.set_actor(&actor);
            Ok(())
        })
    }

    /// The store's registry to work on: a `Mutualis` view of it (not a
    /// copy); change it with ordinary commands, then `commit` it (or
    /// `rollback()`).
    pub fn checkout(&self) -> Result<Arc<Mutualis>, MutualisError> {
        self.view()
    }

    /// Writes, in one transaction, every change made on the store's registry
    /// since the last commit, and returns how many events (0: nothing to
    /// write). A registry of its own (not a view) goes whole into an empty
    /// store.
    ///
    /// Throws `StaleState` (another handle committed since this one last
    /// read the store: the changes are rolled back, nothing is written),
    /// `StaleCopy` (`work` is a stale view, another store's, or a registry of
    /// its own given to a store that is not empty), `Storage`.
    pub fn commit(&self, work: Arc<Mutualis>) -> Result<u64, MutualisError> {
        match &work.inner {
            Registry::View { store, generation } if Arc::ptr_eq(store, &self.inner) => {
                let generation = *generation;
                self.with(|s| {
                    if s.generation() != generation {
                        return Err(mutualis::Error::StaleCopy { head: s.head() }.into());
                    }
                    Ok(s.commit()? as u64)
                })
            }
            Registry::View { .. } => {
                self.with(|s| Err(mutualis::Error::StaleCopy { head: s.head() }.into()))
            }
            Registry::Own(_) => {
                // Lock order: the registry, released, then the store.
                let registry = work.read(|m| Ok(m.clone()))?;
                self.with(|s| Ok(s.adopt(registry)? as u64))
            }
        }
    }

    /// Discards the changes made on the store's registry since the last
    /// commit (reloading it from the file); returns how many events were
    /// discarded. Views taken before become stale. Throws `Storage`.
    pub fn rollback(&self) -> Result<u64, MutualisError> {
        self.with(|s| Ok(s.rollback()? as u64))
    }

    /// The store's registry (a view, like `checkout()`: it shows pending
    /// changes; `copy()` it for an independent registry).
    pub fn registry(&self) -> Result<Arc<Mutualis>, MutualisError> {
        self.view()
    }

    /// Loads the events other handles committed since this one last read the
    /// store; returns how many. Throws `UncommittedChanges`, `Storage`, or
    /// the error of an event that does not apply.
    pub fn refresh(&self) -> Result<u64, MutualisError> {
        self.with(|s| Ok(s.refresh()? as u64))
    }

    /// Writes a snapshot of the registry at `head()` (the next opening starts
    /// from it). Throws `UncommittedChanges`, `Storage`.
    pub fn snapshot(&self) -> Result<(), MutualisError> {
        self.with(|s| Ok(s.snapshot()?))
    }

    /// Verifies the hash chain of every stored event (opening verifies only
    /// the events replayed after the snapshot); returns how many were
    /// verified. Throws `TamperedJournal` (the message names the first
    /// altered event), `Storage`.
    pub fn verify(&self) -> Result<u64, MutualisError> {
        self.with(|s| Ok(s.verify()?))
    }

    /// The whole stored journal, oldest first (histories that survive
    /// restarts). Throws `Storage`.
    pub fn journal(&self) -> Result<Vec<JournalEntry>, MutualisError> {
        self.with(|s| s.journal()?.iter().map(journal_entry_rec).collect())
    }

    /// The stored events after `seq` as JSON text, to hand to another store's
    /// `importEvents` (a device exports what it recorded since its last sync).
    /// Throws `Storage`.
    pub fn export_since(&self, seq: i64) -> Result<String, MutualisError> {
        self.with(|s| Ok(s.export_since(seq)?))
    }

    /// Imports events exported by another store: events already imported
    /// (same origin device and sequence) are skipped, events that no longer
    /// apply (or whose actor lacked the grant: `forbidden`) are reported one
    /// by one in `conflicts`, the rest are applied and
    /// stored in one transaction. Importing the same export twice applies it
    /// once.
    ///
    /// Throws `InvalidJson` (not an export), `StaleState` (another handle
    /// committed since this one last read the store), `UncommittedChanges`,
    /// `Storage`.
    pub fn import_events(&self, json: String) -> Result<ImportReport, MutualisError> {
        self.with(|s| Ok(s.import(&json)?.into()))
    }

    /// Replicates events exported by a store this one trusts — a device
    /// pulling the central store's journal — as `importEvents`, but applied
    /// as they were recorded, without authorising them again (the central
    /// store did; its administrators' own events included). Never for what a
    /// device uploads. Throws as `importEvents`.
    pub fn replicate(&self, json: String) -> Result<ImportReport, MutualisError> {
        self.with(|s| Ok(s.replicate(&json)?.into()))
    }
}
