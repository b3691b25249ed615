//! The embedded store: the journal persisted in SQLite (bundled), so data
//! survives across runs on a laptop, a server or an Android phone, with a
//! history auditors can follow.
//!
//! - **One transaction per command.** [`Store::execute`] runs a command on a
//!   copy of the registry; its journal entries are written in one SQLite
//!   transaction; only after the commit does the copy replace the registry.
//!   A failing command, or a failing write, changes nothing.
//! - **Loading is replaying.** Opening reads the latest snapshot (the dataset
//!   JSON, if any) and replays the events written after it.
//! - **Optimistic concurrency.** Each handle knows the last event it has seen;
//!   a command on a handle that missed another handle's commits is refused
//!   ([`Error::StaleState`]) — call [`Store::refresh`] and retry.
//! - **Sync.** A device exports what it recorded since a point
//!   ([`Store::export_since`]); the central store imports it idempotently
//!   ([`Store::import`]): an event already imported (same origin device and
//!   sequence) is skipped, an event that no longer applies is reported with
//!   its error, the rest is applied.
//! - **Schema versions.** The file carries its schema version; a newer one,
//!   a file that is not a Mutualis store, or a corrupted file is refused with
//!   a clear error and is never written to.
//!
//! ```
//! use mutualis::{store::Store, NewTenant};
//! let mut store = Store::open_in_memory("laptop").unwrap();
//! store.execute(|m| m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))).unwrap();
//! assert_eq!(store.registry().tenants().len(), 1);
//! assert_eq!(store.events_since(0).unwrap().len(), 1);
//! ```

use std::path::Path;

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::JournalEntry;
use crate::Mutualis;

/// The schema version this library writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Write a snapshot every this many events.
pub const SNAPSHOT_EVERY: i64 = 5_000;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    origin     TEXT    NOT NULL,
    origin_seq INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    tenant     TEXT,
    event      TEXT    NOT NULL,
    UNIQUE (origin, origin_seq)
);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, dataset TEXT NOT NULL);
";

fn storage(e: &rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::CorruptStore {
            message: e.to_string(),
        },
        _ => Error::Storage {
            message: e.to_string(),
        },
    }
}

fn json_err(e: &serde_json::Error) -> Error {
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// An event as stored: its place in the store, where it was first recorded,
/// and the entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Position in this store, from 1.
    pub seq: i64,
    /// Device (or store) that recorded it first.
    pub origin: String,
    /// Its position on that device.
    pub origin_seq: i64,
    /// The journal entry.
    pub entry: JournalEntry,
}

/// What [`Store::import`] did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// Events applied and stored.
    pub applied: usize,
    /// Events already in the store (skipped).
    pub duplicates: usize,
    /// Events refused, with their origin sequence and the error.
    pub conflicts: Vec<(i64, Error)>,
}

/// A registry persisted in a SQLite file (or in memory).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    state: Mutualis,
    head: i64,
    device: String,
}

impl Store {
    /// Opens (or creates) the store at `path`; `device` names this handle's
    /// origin for sync (e.g. "central", or an Android device id).
    ///
    /// Errors: [`Error::CorruptStore`] (not a Mutualis store, damaged file),
    /// [`Error::SchemaTooNew`], [`Error::Storage`], or the error of an event
    /// that no longer replays.
    pub fn open(path: impl AsRef<Path>, device: &str) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| storage(&e))?;
        Store::init(conn, device)
    }

    /// A store in memory (tests, scratch work).
    pub fn open_in_memory(device: &str) -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| storage(&e))?;
        Store::init(conn, device)
    }

    fn init(mut conn: Connection, device: &str) -> Result<Store> {
        crate::identity::check_name("device", device)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| storage(&e))?;
        // Reading the schema first also detects files that are not databases.
        let tables: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map_err(|e| storage(&e))?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| storage(&e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| storage(&e))?
        };
        if tables.is_empty() {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| storage(&e))?;
            let tx = conn.transaction().map_err(|e| storage(&e))?;
            tx.execute_batch(SCHEMA).map_err(|e| storage(&e))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), ('format', 'mutualis-store')",
                params![SCHEMA_VERSION.to_string()],
            )
            .map_err(|e| storage(&e))?;
            tx.commit().map_err(|e| storage(&e))?;
        } else {
            if !tables.iter().any(|t| t == "meta") {
                return Err(Error::CorruptStore {
                    message: format!("not a Mutualis store (tables: {})", tables.join(", ")),
                });
            }
            let version: Option<String> = conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'schema_version'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| storage(&e))?;
            let version: i64 =
                version
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| Error::CorruptStore {
                        message: "the store has no readable schema version".into(),
                    })?;
            if version > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew {
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            // future migrations from `version` to SCHEMA_VERSION go here, each in a transaction
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| storage(&e))?;
        let integrity: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| storage(&e))?;
        if integrity != "ok" {
            return Err(Error::CorruptStore { message: integrity });
        }
        let mut store = Store {
            conn,
            state: Mutualis::new(),
            head: 0,
            device: device.to_owned(),
        };
        store.load()?;
        Ok(store)
    }

    fn load(&mut self) -> Result<()> {
        let snapshot: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, dataset FROM snapshots ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| storage(&e))?;
        let (mut state, from) = match snapshot {
            Some((seq, json)) => (Mutualis::from_json(&json)?, seq),
            None => (Mutualis::new(), 0),
        };
        let events = self.read_events(from)?;
        for e in &events {
            state.apply_recorded(&e.entry)?;
        }
        self.head = events.last().map_or(from, |e| e.seq);
        self.state = state;
        Ok(())
    }

    fn read_events(&self, after: i64) -> Result<Vec<StoredEvent>> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, origin, origin_seq, at, actor, tenant, event FROM events WHERE seq > ?1 ORDER BY seq")
            .map_err(|e| storage(&e))?;
        let rows = stmt
            .query_map([after], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| storage(&e))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, origin, origin_seq, at, actor, tenant, event) =
                row.map_err(|e| storage(&e))?;
            let at = chrono::DateTime::parse_from_rfc3339(&at)
                .map_err(|e| Error::CorruptStore {
                    message: format!("event {seq}: bad time {at:?}: {e}"),
                })?
                .with_timezone(&chrono::Utc);
            let event = serde_json::from_str(&event).map_err(|e| json_err(&e))?;
            out.push(StoredEvent {
                seq,
                origin,
                origin_seq,
                entry: JournalEntry {
                    seq: seq as u64,
                    at,
                    actor,
                    tenant,
                    event,
                },
            });
        }
        Ok(out)
    }

    /// The registry as of the last event this handle has seen.
    #[must_use]
    pub fn registry(&self) -> &Mutualis {
        &self.state
    }

    /// The sequence of the last event this handle has seen.
    #[must_use]
    pub fn head(&self) -> i64 {
        self.head
    }

    /// This handle's device name.
    #[must_use]
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Sets who records the next changes.
    pub fn set_actor(&mut self, actor: &str) {
        self.state.set_actor(actor);
    }

    /// Runs a command (or several) on the registry and persists its events in
    /// one transaction: all or nothing.
    ///
    /// Errors: the command's own error, [`Error::StaleState`] when another
    /// handle committed since this one last loaded, [`Error::Storage`].
    pub fn execute<T>(&mut self, command: impl FnOnce(&mut Mutualis) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| storage(&e))?;
        let db_head: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(|e| storage(&e))?;
        if db_head != self.head {
            return Err(Error::StaleState {
                seen: self.head,
                stored: db_head,
            });
        }
        let mut next = self.state.clone();
        let before = next.journal().len();
        let out = command(&mut next)?;
        let new_entries = &next.journal()[before..];
        let mut seq = db_head;
        for entry in new_entries {
            seq += 1;
            insert_event(&tx, seq, &self.device, seq, entry)?;
        }
        if seq / SNAPSHOT_EVERY > db_head / SNAPSHOT_EVERY {
            tx.execute(
                "INSERT INTO snapshots (seq, dataset) VALUES (?1, ?2)",
                params![seq, next.to_json()],
            )
            .map_err(|e| storage(&e))?;
        }
        tx.commit().map_err(|e| storage(&e))?;
        self.head = seq;
        self.state = next;
        Ok(out)
    }

    /// A working copy of the registry, to change with ordinary commands and
    /// hand back to [`Store::commit`] (the unit-of-work style the bindings use).
    #[must_use]
    pub fn checkout(&self) -> Mutualis {
        self.state.clone()
    }

    /// Persists, in one transaction, every journal entry `working` recorded
    /// since it was checked out; returns how many. `working` must come from
    /// [`Store::checkout`] on this handle's current state.
    ///
    /// Errors: [`Error::StaleState`] (another handle committed, or `working`
    /// was checked out before this handle's last commit or refresh: refresh,
    /// check out again and redo), [`Error::Storage`].
    pub fn commit(&mut self, working: &Mutualis) -> Result<usize> {
        let base = self.state.journal();
        let mine = working.journal();
        if mine.len() < base.len() || mine[..base.len()] != base[..] {
            return Err(Error::StaleCopy { head: self.head });
        }
        let n = mine.len() - base.len();
        if n == 0 {
            return Ok(0);
        }
        let snapshot = working.clone();
        self.execute(move |m| {
            *m = snapshot;
            Ok(())
        })?;
        Ok(n)
    }

    /// Loads the events other handles committed since this one last saw the store.
    pub fn refresh(&mut self) -> Result<usize> {
        let events = self.read_events(self.head)?;
        let mut next = self.state.clone();
        for e in &events {
            next.apply_recorded(&e.entry)?;
        }
        if let Some(last) = events.last() {
            self.head = last.seq;
        }
        self.state = next;
        Ok(events.len())
    }

    /// Writes a snapshot of the registry at the current head (loading then
    /// starts from it).
    pub fn snapshot(&mut self) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO snapshots (seq, dataset) VALUES (?1, ?2)",
                params![self.head, self.state.to_json()],
            )
            .map_err(|e| storage(&e))?;
        Ok(())
    }

    /// The stored events after `seq`, oldest first.
    pub fn events_since(&self, seq: i64) -> Result<Vec<StoredEvent>> {
        self.read_events(seq)
    }

    /// The whole stored journal (for histories that must survive restarts).
    pub fn journal(&self) -> Result<Vec<JournalEntry>> {
        Ok(self.read_events(0)?.into_iter().map(|e| e.entry).collect())
    }

    /// The events after `seq` as JSON, to send to another store.
    pub fn export_since(&self, seq: i64) -> Result<String> {
        serde_json::to_string(&self.read_events(seq)?).map_err(|e| json_err(&e))
    }

    /// Imports events exported by another store: duplicates (same origin and
    /// origin sequence) are skipped, events that do not apply are reported one
    /// by one, the rest are applied and stored in one transaction.
    pub fn import(&mut self, json: &str) -> Result<ImportReport> {
        let events: Vec<StoredEvent> = serde_json::from_str(json).map_err(|e| json_err(&e))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| storage(&e))?;
        let db_head: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(|e| storage(&e))?;
        if db_head != self.head {
            return Err(Error::StaleState {
                seen: self.head,
                stored: db_head,
            });
        }
        let mut next = self.state.clone();
        let mut report = ImportReport::default();
        let mut seq = db_head;
        for e in events {
            let known: Option<i64> = tx
                .query_row(
                    "SELECT seq FROM events WHERE origin = ?1 AND origin_seq = ?2",
                    params![e.origin, e.origin_seq],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| storage(&e))?;
            if known.is_some() {
                report.duplicates += 1;
                continue;
            }
            match next.apply_recorded(&e.entry) {
                Ok(()) => {
                    seq += 1;
                    insert_event(&tx, seq, &e.origin, e.origin_seq, &e.entry)?;
                    report.applied += 1;
                }
                Err(err) => report.conflicts.push((e.origin_seq, err)),
            }
        }
        tx.commit().map_err(|e| storage(&e))?;
        self.head = seq;
        self.state = next;
        Ok(report)
    }
}

fn insert_event(
    tx: &rusqlite::Transaction<'_>,
    seq: i64,
    origin: &str,
    origin_seq: i64,
    entry: &JournalEntry,
) -> Result<()> {
    let event = serde_json::to_string(&entry.event).map_err(|e| json_err(&e))?;
    tx.execute(
        "INSERT INTO events (seq, origin, origin_seq, at, actor, tenant, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, origin, origin_seq, entry.at.to_rfc3339(), entry.actor, entry.tenant, event],
    )
    .map_err(|e| storage(&e))?;
    Ok(())
}
