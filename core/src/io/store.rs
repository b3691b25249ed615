//! The store: the journal persisted in SQLite (bundled), so data
//! survives across runs on a laptop, a server or an Android phone, with a
//! history auditors can follow — or, with the feature `postgres`, in a
//! PostgreSQL database shared by many users ([`Store::open_url`] with a
//! `postgres://` URL; docs/store.md). Both backends keep the same rows and
//! the same semantics: everything below is written once, over the rows.
//!
//! - **Commands run in place, one transaction each.** [`Store::execute`]
//!   runs a command on the store's own registry (no copy) while holding the
//!   file's write lock, then writes the journal entries it recorded in one
//!   SQLite transaction. A failing command changes nothing (the core
//!   validates, then mutates). When a closure ran several commands and a
//!   later one failed, or when the write itself fails after the commands
//!   succeeded, the registry is restored to the last committed state by
//!   reloading it from the file (latest snapshot + tail): a rare path whose
//!   cost is that of opening the store.
//! - **Units of work without copies.** [`Store::begin`] gives a [`Work`]
//!   guard that *is* the store's registry: ordinary commands change it, and
//!   [`Work::commit`] persists the entries recorded since `begin` (a journal
//!   watermark), all or nothing; dropping the guard uncommitted rolls back.
//!   The bindings use the same watermark through [`Store::working`],
//!   [`Store::commit`] and [`Store::rollback`].
//! - **Loading is reading the latest snapshot and replaying the tail.**
//!   Snapshots are columnar: the dataset's records in MessagePack (see
//!   [`Mutualis::write_msgpack`]) except the work orders and cost lines,
//!   which follow as their own little-endian columns, so reopening costs
//!   little more than reading them (every row is checked, then the ledger is
//!   allocated once). The stream is LZ4-compressed in chunks of
//!   [`CHUNK_BYTES`] spread over rows of `snapshot_chunks`, each with a
//!   CRC-32, so there is no size ceiling. A damaged snapshot (bad checksum,
//!   a row referring to what does not exist) is ignored: the registry is
//!   then replayed from the first event, which is always kept. Snapshots of
//!   the previous layout (the whole dataset in MessagePack) still read.
//! - **Automatic snapshots, amortised.** After a commit, a snapshot is written
//!   (in its own transaction) once the events stored since the last snapshot
//!   weigh more than [`SNAPSHOT_TAIL_RATIO`]⁻¹ of that snapshot's size (and
//!   at least [`SNAPSHOT_MIN_TAIL_BYTES`]). A snapshot costs time proportional
//!   to the registry, but it comes after proportionally many events, so the
//!   cost per commit stays bounded and the tail replayed on opening stays a
//!   small fraction of the registry. [`Store::snapshot`] writes one on demand.
//! - **Compact events.** Each event is one row: integer sequence, origin,
//!   actor and tenant interned in a `names` table, the origin sequence only
//!   when it differs from the sequence (events imported from a device; the
//!   unique index covers only those), time as integer
//!   nanoseconds, and the event as MessagePack, LZ4-compressed against a
//!   frozen dictionary of sample events (a cost line takes about 30 bytes).
//! - **Optimistic concurrency.** Each handle knows the last event it has seen;
//!   a command on a handle that missed another handle's commits is refused
//!   ([`Error::StaleState`]) — call [`Store::refresh`] and retry.
//! - **Sync.** A device exports what it recorded since a point
//!   ([`Store::export_since`], JSON); the central store imports it
//!   idempotently ([`Store::import`]): an event already imported (same origin
//!   device and sequence) is skipped, an event that no longer applies is
//!   reported with its error, the rest is applied.
//! - **A hash chain for auditors.** Each event row carries
//!   `hash = SHA-256(previous hash ‖ the event's canonical bytes)` truncated
//!   to its first [`HASH_BYTES`] bytes (128 bits: forging an event that keeps
//!   the chain means finding a SHA-256 second preimage on 128 bits, while a
//!   cost line's events stay within the file's size budget); the first
//!   event chains to zero bytes; the canonical bytes are its sequence,
//!   origin, origin sequence, time, actor, tenant and payload, each length- or
//!   width-prefixed). Every read of events verifies the chain from the row
//!   before the first one read, so opening (snapshot + tail) checks the tail
//!   and [`Store::verify`] checks the whole journal; an altered event is
//!   refused with [`Error::TamperedJournal`] naming its sequence number.
//! - **Schema versions.** The file carries its schema version; a version-1
//!   store (JSON events and snapshots) is migrated in place, in one
//!   transaction, on opening; a newer version, a file that is not a Mutualis
//!   store, or a corrupted file is refused with a clear error and is never
//!   written to.
//!
//! ```
//! use mutualis::{store::Store, NewTenant};
//! let mut store = Store::open_in_memory("laptop").unwrap();
//! store.execute(|m| m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))).unwrap();
//! assert_eq!(store.registry().tenants().len(), 1);
//! // a unit of work: the guard is the store's registry, no copy
//! let mut work = store.begin().unwrap();
//! work.add_service("ROANNE", "SPORTS", "Sports").unwrap();
//! assert_eq!(work.commit().unwrap(), 1);
//! assert_eq!(store.events_since(0).unwrap().len(), 2);
//! ```

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{Event, JournalEntry};
use crate::Mutualis;

#[cfg(feature = "postgres")]
mod pg;

/// The schema version this library writes (it reads and migrates version 1).
pub const SCHEMA_VERSION: i64 = 3;

/// Uncompressed bytes per snapshot chunk (one row of `snapshot_chunks`).
pub const CHUNK_BYTES: usize = 4 << 20;

/// An automatic snapshot waits for at least this many bytes of events
/// stored since the previous one.
pub const SNAPSHOT_MIN_TAIL_BYTES: u64 = 1 << 20;

/// An automatic snapshot is written once the events stored since the last
/// one weigh more than the last snapshot's (uncompressed) size divided by
/// this ratio.
pub const SNAPSHOT_TAIL_RATIO: u64 = 4;

/// Bytes of each event's stored chain hash (a SHA-256 prefix).
pub const HASH_BYTES: usize = 16;

/// Payload tags: how an event's bytes are encoded.
const PAYLOAD_MSGPACK: u8 = 1;
const PAYLOAD_MSGPACK_LZ4: u8 = 2;
const PAYLOAD_MSGPACK_LZ4_DICT1: u8 = 3;

/// The LZ4 dictionary of event payloads (tag 3): the MessagePack encodings
/// of sample events of every kind (from the Roannais scenario), so the field
/// names and common values of a small event compress against it. Stored
/// events depend on these exact bytes: never change this file; a better
/// dictionary gets a new file and a new tag.
const EVENT_DICT_V1: &[u8] = include_bytes!("event_dict_v1.bin");

/// Events larger than this are compressed without the dictionary.
const DICT_EVENTS_UP_TO: usize = 16 << 10;

const SCHEMA_V2_TABLES: &str = "
CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE events_v2 (
    seq        INTEGER PRIMARY KEY,
    origin     INTEGER NOT NULL,
    origin_seq INTEGER,
    at         INTEGER NOT NULL,
    actor      INTEGER NOT NULL,
    tenant     INTEGER,
    payload    BLOB    NOT NULL,
    hash       BLOB
);
CREATE TABLE snapshots_v2 (
    seq          INTEGER PRIMARY KEY,
    chunks       INTEGER NOT NULL,
    raw_bytes    INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL,
    checksum     INTEGER NOT NULL
);
CREATE TABLE snapshot_chunks (
    seq      INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    data     BLOB    NOT NULL,
    PRIMARY KEY (seq, n)
);
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

fn corrupt(message: String) -> Error {
    Error::CorruptStore { message }
}

/// One stored event row as a backend reads it (names still as their ids).
pub(crate) struct RawRow<'a> {
    pub(crate) seq: i64,
    pub(crate) origin: i64,
    pub(crate) origin_seq: Option<i64>,
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: i64,
    pub(crate) tenant: Option<i64>,
    pub(crate) payload: &'a [u8],
    pub(crate) hash: Option<&'a [u8]>,
}

/// One event row to write (names already interned).
pub(crate) struct NewRow<'a> {
    pub(crate) seq: i64,
    pub(crate) origin: i64,
    /// `None` when it equals `seq` (an event stored where it was recorded).
    pub(crate) origin_seq: Option<i64>,
    pub(crate) at: &'a DateTime<Utc>,
    pub(crate) actor: i64,
    pub(crate) tenant: Option<i64>,
    pub(crate) payload: &'a [u8],
    pub(crate) hash: &'a [u8],
}

/// A visitor of a snapshot's chunks: number, stored checksum, data (`None`
/// when it is not binary).
pub(crate) type ChunkVisit<'v> = dyn FnMut(i64, u32, Option<&[u8]>) -> Result<()> + 'v;

/// What the store asks of its database, row by row: the one interface the
/// SQLite backend and the PostgreSQL backend (feature `postgres`) both
/// implement. Everything above it — the hash chain, the event encoding, the
/// snapshot stream, optimistic concurrency, sync — is written once.
pub(crate) trait Rows {
    /// The last stored sequence (0: no event).
    fn head(&mut self) -> Result<i64>;
    /// The stored chain hash of event `seq` (`None`: no such row, or no hash).
    fn hash_of(&mut self, seq: i64) -> Result<Option<Vec<u8>>>;
    /// The id of an interned name, adding it when new.
    fn intern(&mut self, name: &str) -> Result<i64>;
    /// Every interned name by id.
    fn all_names(&mut self) -> Result<HashMap<i64, String>>;
    /// Writes one event row.
    fn insert_row(&mut self, row: &NewRow<'_>) -> Result<()>;
    /// Whether an event recorded at `origin` as its `origin_seq` is stored.
    fn known(&mut self, origin: &str, origin_seq: i64) -> Result<bool>;
    /// Visits the event rows with `after < seq <= until`, oldest first.
    fn event_rows(
        &mut self,
        after: i64,
        until: i64,
        visit: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()>;
    /// The latest snapshot at or before `until`.
    fn latest_snapshot(&mut self, until: i64) -> Result<Option<SnapshotRow>>;
    /// Visits the chunks of the snapshot at `seq` in order: number, stored
    /// checksum, data (`None` when it is not binary).
    fn snapshot_chunks(&mut self, seq: i64, visit: &mut ChunkVisit<'_>) -> Result<()>;
    /// Deletes the snapshots (and their chunks) at or before `seq`.
    fn delete_snapshots(&mut self, seq: i64) -> Result<()>;
    /// Writes one snapshot chunk.
    fn insert_chunk(&mut self, seq: i64, n: i64, checksum: u32, data: &[u8]) -> Result<()>;
    /// Writes a snapshot's header row.
    fn insert_snapshot(&mut self, row: &SnapshotRow, stored_bytes: u64) -> Result<()>;
}

/// The SQLite backend's rows: a connection (or an open transaction, which
/// dereferences to one).
struct Lite<'c>(&'c Connection);

impl Rows for Lite<'_> {
    fn head(&mut self) -> Result<i64> {
        db_head(self.0)
    }

    fn hash_of(&mut self, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .0
            .prepare_cached("SELECT hash FROM events WHERE seq = ?1")
            .and_then(|mut s| s.query_row([seq], |r| r.get(0)).optional())
            .map_err(|e| storage(&e))?
            .flatten())
    }

    fn intern(&mut self, name: &str) -> Result<i64> {
        self.0
            .prepare_cached("INSERT OR IGNORE INTO names (name) VALUES (?1)")
            .and_then(|mut s| s.execute([name]))
            .map_err(|e| storage(&e))?;
        self.0
            .prepare_cached("SELECT id FROM names WHERE name = ?1")
            .and_then(|mut s| s.query_row([name], |r| r.get(0)))
            .map_err(|e| storage(&e))
    }

    fn all_names(&mut self) -> Result<HashMap<i64, String>> {
        all_names(self.0)
    }

    fn insert_row(&mut self, row: &NewRow<'_>) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO events (seq, origin, origin_seq, at, actor, tenant, payload, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    row.seq,
                    row.origin,
                    row.origin_seq,
                    time_value(row.at),
                    row.actor,
                    row.tenant,
                    row.payload,
                    row.hash
                ])
            })
            .map(drop)
            .map_err(|e| storage(&e))
    }

    fn known(&mut self, origin: &str, origin_seq: i64) -> Result<bool> {
        // an event stored where it was recorded keeps its origin sequence
        // as its own (origin_seq NULL)
        let known: Option<i64> = self
            .0
            .prepare_cached(
                "SELECT e.seq FROM events e JOIN names n ON n.id = e.origin WHERE n.name = ?1 AND e.origin_seq = ?2
                 UNION ALL
                 SELECT e.seq FROM events e JOIN names n ON n.id = e.origin WHERE e.seq = ?2 AND n.name = ?1 AND e.origin_seq IS NULL
                 LIMIT 1",
            )
            .and_then(|mut s| s.query_row(params![origin, origin_seq], |r| r.get(0)).optional())
            .map_err(|e| storage(&e))?;
        Ok(known.is_some())
    }

    fn event_rows(
        &mut self,
        after: i64,
        until: i64,
        visit: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        // a store of before the chain (being migrated) has no hash column
        let has_hash = self
            .0
            .prepare_cached("SELECT hash FROM events LIMIT 0")
            .is_ok();
        let sql = if has_hash {
            "SELECT seq, origin, origin_seq, at, actor, tenant, payload, hash FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq"
        } else {
            "SELECT seq, origin, origin_seq, at, actor, tenant, payload, NULL FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq"
        };
        let mut stmt = self.0.prepare_cached(sql).map_err(|e| storage(&e))?;
        let mut rows = stmt.query([after, until]).map_err(|e| storage(&e))?;
        while let Some(r) = rows.next().map_err(|e| storage(&e))? {
            let seq: i64 = r.get(0).map_err(|e| storage(&e))?;
            let payload = r.get_ref(6).map_err(|e| storage(&e))?;
            let payload = payload
                .as_blob()
                .map_err(|_| corrupt(format!("event {seq}: payload is not binary")))?;
            let hash = r.get_ref(7).map_err(|e| storage(&e))?;
            visit(RawRow {
                seq,
                origin: r.get(1).map_err(|e| storage(&e))?,
                origin_seq: r.get(2).map_err(|e| storage(&e))?,
                at: read_time(seq, r.get_ref(3).map_err(|e| storage(&e))?)?,
                actor: r.get(4).map_err(|e| storage(&e))?,
                tenant: r.get(5).map_err(|e| storage(&e))?,
                payload,
                hash: hash.as_blob_or_null().ok().flatten(),
            })?;
        }
        Ok(())
    }

    fn latest_snapshot(&mut self, until: i64) -> Result<Option<SnapshotRow>> {
        latest_snapshot(self.0, until)
    }

    fn snapshot_chunks(&mut self, seq: i64, visit: &mut ChunkVisit<'_>) -> Result<()> {
        let mut stmt = self
            .0
            .prepare("SELECT n, checksum, data FROM snapshot_chunks WHERE seq = ?1 ORDER BY n")
            .map_err(|e| storage(&e))?;
        let mut rows = stmt.query([seq]).map_err(|e| storage(&e))?;
        while let Some(r) = rows.next().map_err(|e| storage(&e))? {
            let n: i64 = r.get(0).map_err(|e| storage(&e))?;
            let checksum = r.get::<_, i64>(1).map_err(|e| storage(&e))? as u32;
            let data = r.get_ref(2).map_err(|e| storage(&e))?;
            visit(n, checksum, data.as_blob().ok())?;
        }
        Ok(())
    }

    fn delete_snapshots(&mut self, seq: i64) -> Result<()> {
        self.0
            .execute("DELETE FROM snapshot_chunks WHERE seq <= ?1", [seq])
            .and_then(|_| {
                self.0
                    .execute("DELETE FROM snapshots WHERE seq <= ?1", [seq])
            })
            .map(drop)
            .map_err(|e| storage(&e))
    }

    fn insert_chunk(&mut self, seq: i64, n: i64, checksum: u32, data: &[u8]) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO snapshot_chunks (seq, n, checksum, data) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![seq, n, i64::from(checksum), data]))
            .map(drop)
            .map_err(|e| storage(&e))
    }

    fn insert_snapshot(&mut self, row: &SnapshotRow, stored_bytes: u64) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO snapshots (seq, chunks, raw_bytes, stored_bytes, checksum) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    row.seq,
                    row.chunks,
                    row.raw_bytes as i64,
                    stored_bytes as i64,
                    i64::from(row.checksum)
                ],
            )
            .map(drop)
            .map_err(|e| storage(&e))
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
    db: Backend,
    state: Mutualis,
    head: i64,
    device: String,
    /// Journal entries of `state` already persisted (the watermark).
    committed: usize,
    /// Bumped whenever uncommitted changes are discarded.
    generation: u64,
    /// Interned names (origins, actors, tenants) → row id.
    names: HashMap<String, i64>,
    /// The chain hash of the last event this handle wrote (sequence, hash),
    /// so a commit does not read it back.
    chain: Option<(i64, [u8; HASH_BYTES])>,
    /// Uncompressed size of the latest snapshot this handle knows of.
    snapshot_raw: u64,
    /// Bytes of events stored after that snapshot, up to `head`.
    tail_bytes: u64,
    /// The core's checkpoint taken before an `execute` command: rolling back
    /// to it costs what the command changed.
    checkpoint: Option<crate::undo::Checkpoint>,
}

/// Which lock a write transaction takes: the events' (commands, imports,
/// copies) or the snapshots' (a snapshot does not hold writers back on a
/// server; SQLite has one lock for both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// Appending events.
    Events,
    /// Writing a snapshot.
    Snapshots,
}

/// The database behind a store: the embedded SQLite file, or a PostgreSQL
/// server (feature `postgres`).
#[derive(Debug)]
enum Backend {
    Sqlite(Connection),
    #[cfg(feature = "postgres")]
    Postgres(Box<pg::Pg>),
}

impl Backend {
    /// Runs `f` on the database outside a write transaction (PostgreSQL: in
    /// one read-only, repeatable-read transaction, so every query of `f`
    /// sees the same state while writers go on).
    fn read<T>(&self, f: impl FnOnce(&mut dyn Rows) -> Result<T>) -> Result<T> {
        match self {
            Backend::Sqlite(conn) => f(&mut Lite(conn)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.read(f),
        }
    }

    /// Runs `f` in a write transaction holding `lock`, committed when `f`
    /// succeeds, rolled back otherwise.
    fn write<T>(&mut self, lock: Lock, f: impl FnOnce(&mut dyn Rows) -> Result<T>) -> Result<T> {
        match self {
            Backend::Sqlite(conn) => {
                let _ = lock; // one lock for the whole file
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|e| storage(&e))?;
                let out = f(&mut Lite(&tx))?;
                tx.commit().map_err(|e| storage(&e))?;
                Ok(out)
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.write(lock, f),
        }
    }
}

/// A unit of work on a [`Store`]: it dereferences to the store's own
/// registry (no copy); [`Work::commit`] persists every journal entry
/// recorded since [`Store::begin`] in one transaction. Dropped without a
/// commit, it rolls the registry back to the last committed state.
#[derive(Debug)]
pub struct Work<'s> {
    store: &'s mut Store,
}

impl std::ops::Deref for Work<'_> {
    type Target = Mutualis;
    fn deref(&self) -> &Mutualis {
        &self.store.state
    }
}

impl std::ops::DerefMut for Work<'_> {
    fn deref_mut(&mut self) -> &mut Mutualis {
        &mut self.store.state
    }
}

impl Work<'_> {
    /// Journal entries recorded since `begin` (not yet persisted).
    #[must_use]
    pub fn pending(&self) -> usize {
        self.store.pending()
    }

    /// Persists the changes in one transaction; returns how many events.
    ///
    /// Errors: [`Error::StaleState`] (another handle committed since
    /// `begin`: the changes are rolled back; refresh and redo),
    /// [`Error::Storage`] (rolled back too).
    pub fn commit(self) -> Result<usize> {
        self.store.commit()
    }

    /// Discards the changes; returns how many events were discarded.
    ///
    /// Errors: [`Error::Storage`] or [`Error::CorruptStore`] when the file
    /// cannot be read back.
    pub fn rollback(self) -> Result<usize> {
        self.store.rollback()
    }
}

impl Drop for Work<'_> {
    fn drop(&mut self) {
        if self.store.pending() > 0 {
            // a failed rollback leaves the changes pending: the next call
            // on the store reports them (UncommittedChanges)
            let _ = self.store.rollback();
        }
    }
}

/// Reads the store's tables (done before anything is written).
fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .map_err(|e| storage(&e))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| storage(&e))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(|e| storage(&e))
}

fn schema_version(conn: &Connection) -> Result<i64> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| storage(&e))?;
    version
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| corrupt("the store has no readable schema version".into()))
}

fn db_head(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
        .map_err(|e| storage(&e))
}

/// The id of an interned name, adding it when new.
fn name_id(conn: &Connection, cache: &mut HashMap<String, i64>, name: &str) -> Result<i64> {
    if let Some(id) = cache.get(name) {
        return Ok(*id);
    }
    conn.prepare_cached("INSERT OR IGNORE INTO names (name) VALUES (?1)")
        .and_then(|mut s| s.execute([name]))
        .map_err(|e| storage(&e))?;
    let id: i64 = conn
        .prepare_cached("SELECT id FROM names WHERE name = ?1")
        .and_then(|mut s| s.query_row([name], |r| r.get(0)))
        .map_err(|e| storage(&e))?;
    cache.insert(name.to_owned(), id);
    Ok(id)
}

fn all_names(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, name FROM names")
        .map_err(|e| storage(&e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(|e| storage(&e))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(|e| storage(&e))
}

/// An event in its stored form: a tag byte, then MessagePack (with field
/// names), LZ4-compressed (size-prepended) when large.
fn encode_event(event: &Event) -> Result<Vec<u8>> {
    let body = rmp_serde::to_vec_named(event).map_err(|e| Error::Storage {
        message: format!("cannot encode an event: {e}"),
    })?;
    let (tag, packed) = if body.len() <= DICT_EVENTS_UP_TO {
        // the size as a LEB128 varint (one byte for most events), then the block
        let mut packed = Vec::with_capacity(body.len());
        let mut n = body.len();
        while n >= 0x80 {
            packed.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        packed.push(n as u8);
        packed.extend_from_slice(&lz4_flex::block::compress_with_dict(&body, EVENT_DICT_V1));
        (PAYLOAD_MSGPACK_LZ4_DICT1, packed)
    } else {
        (
            PAYLOAD_MSGPACK_LZ4,
            lz4_flex::block::compress_prepend_size(&body),
        )
    };
    let mut out = Vec::with_capacity(body.len().min(packed.len()) + 1);
    if packed.len() < body.len() {
        out.push(tag);
        out.extend_from_slice(&packed);
    } else {
        out.push(PAYLOAD_MSGPACK);
        out.extend_from_slice(&body);
    }
    Ok(out)
}

fn decode_event(seq: i64, payload: &[u8]) -> Result<Event> {
    let bad = |what: String| corrupt(format!("event {seq}: {what}"));
    match payload.split_first() {
        Some((&PAYLOAD_MSGPACK, body)) => {
            rmp_serde::from_slice(body).map_err(|e| bad(format!("undecodable event: {e}")))
        }
        Some((&PAYLOAD_MSGPACK_LZ4, body)) => {
            let raw = lz4_flex::block::decompress_size_prepended(body)
                .map_err(|e| bad(format!("undecodable compressed event: {e}")))?;
            rmp_serde::from_slice(&raw).map_err(|e| bad(format!("undecodable event: {e}")))
        }
        Some((&PAYLOAD_MSGPACK_LZ4_DICT1, body)) => {
            let (mut size, mut shift, mut used) = (0usize, 0u32, 0usize);
            for b in body.iter().take(3) {
                size |= usize::from(b & 0x7f) << shift;
                shift += 7;
                used += 1;
                if b & 0x80 == 0 {
                    break;
                }
            }
            if size > DICT_EVENTS_UP_TO {
                return Err(bad("bad compressed event size".into()));
            }
            let raw = lz4_flex::block::decompress_with_dict(&body[used..], size, EVENT_DICT_V1)
                .map_err(|e| bad(format!("undecodable compressed event: {e}")))?;
            rmp_serde::from_slice(&raw).map_err(|e| bad(format!("undecodable event: {e}")))
        }
        Some((tag, _)) => Err(bad(format!("unknown event encoding {tag}"))),
        None => Err(bad("empty event".into())),
    }
}

/// The time column: integer nanoseconds since the epoch (UTC), or RFC 3339
/// text for instants outside 1677–2262.
fn time_value(at: &DateTime<Utc>) -> rusqlite::types::Value {
    match at.timestamp_nanos_opt() {
        Some(n) => rusqlite::types::Value::Integer(n),
        None => rusqlite::types::Value::Text(at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
    }
}

fn read_time(seq: i64, v: ValueRef<'_>) -> Result<DateTime<Utc>> {
    match v {
        ValueRef::Integer(n) => Ok(DateTime::from_timestamp_nanos(n)),
        ValueRef::Text(t) => {
            let t = String::from_utf8_lossy(t);
            DateTime::parse_from_rfc3339(&t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| corrupt(format!("event {seq}: bad time {t:?}: {e}")))
        }
        _ => Err(corrupt(format!("event {seq}: bad time"))),
    }
}

/// Writes one event row; returns the payload's size.
fn insert_event(
    db: &mut dyn Rows,
    names: &mut HashMap<String, i64>,
    seq: i64,
    origin: &str,
    origin_seq: i64,
    entry: &JournalEntry,
    chain: &mut Option<(i64, [u8; HASH_BYTES])>,
) -> Result<u64> {
    let payload = encode_event(&entry.event)?;
    let head = Head {
        seq,
        origin,
        origin_seq,
        at: &entry.at,
        actor: &entry.actor,
        tenant: entry.tenant.as_deref(),
    };
    insert_encoded(db, names, &head, &payload, chain)?;
    Ok(payload.len() as u64)
}

/// Writes one event row whose payload is already encoded, chaining it to
/// the previous one.
fn insert_encoded(
    db: &mut dyn Rows,
    names: &mut HashMap<String, i64>,
    e: &Head<'_>,
    payload: &[u8],
    chain: &mut Option<(i64, [u8; HASH_BYTES])>,
) -> Result<()> {
    let seq = e.seq;
    // the previous event's hash: the one this handle wrote last, else read
    let previous = match *chain {
        Some((s, h)) if s == seq - 1 => h,
        _ => chain_before(db, seq)?,
    };
    let hash = chain_hash(
        &previous,
        &Canonical {
            seq,
            origin: e.origin,
            origin_seq: e.origin_seq,
            at: e.at,
            actor: e.actor,
            tenant: e.tenant,
            payload,
        },
    );
    let origin = cached_name(db, names, e.origin)?;
    let actor = cached_name(db, names, e.actor)?;
    let tenant = match e.tenant {
        Some(t) => Some(cached_name(db, names, t)?),
        None => None,
    };
    db.insert_row(&NewRow {
        seq,
        origin,
        origin_seq: (e.origin_seq != seq).then_some(e.origin_seq),
        at: e.at,
        actor,
        tenant,
        payload,
        hash: &hash,
    })?;
    *chain = Some((seq, hash));
    Ok(())
}

/// The id of an interned name, from the handle's cache or the database.
fn cached_name(db: &mut dyn Rows, cache: &mut HashMap<String, i64>, name: &str) -> Result<i64> {
    if let Some(id) = cache.get(name) {
        return Ok(*id);
    }
    let id = db.intern(name)?;
    cache.insert(name.to_owned(), id);
    Ok(id)
}

/// What the hash chain covers of one event.
struct Canonical<'a> {
    seq: i64,
    origin: &'a str,
    origin_seq: i64,
    at: &'a DateTime<Utc>,
    actor: &'a str,
    tenant: Option<&'a str>,
    payload: &'a [u8],
}

/// SHA-256 of the previous hash and the event's canonical bytes, truncated
/// to [`HASH_BYTES`].
fn chain_hash(previous: &[u8; HASH_BYTES], e: &Canonical<'_>) -> [u8; HASH_BYTES] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(previous);
    h.update(e.seq.to_le_bytes());
    h.update(e.origin_seq.to_le_bytes());
    // nanoseconds when representable (every time a command records), else the RFC 3339 text
    match e.at.timestamp_nanos_opt() {
        Some(n) => {
            h.update([0u8]);
            h.update(n.to_le_bytes());
        }
        None => {
            let t = e.at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
            h.update([1u8]);
            h.update((t.len() as u64).to_le_bytes());
            h.update(t.as_bytes());
        }
    }
    for text in [Some(e.origin), Some(e.actor), e.tenant] {
        match text {
            Some(t) => {
                h.update([1u8]);
                h.update((t.len() as u64).to_le_bytes());
                h.update(t.as_bytes());
            }
            None => h.update([0u8]),
        }
    }
    h.update((e.payload.len() as u64).to_le_bytes());
    h.update(e.payload);
    let full: [u8; 32] = h.finalize().into();
    let mut out = [0u8; HASH_BYTES];
    out.copy_from_slice(&full[..HASH_BYTES]);
    out
}

/// The chain hash of the event before `seq` (zero bytes before the first).
fn chain_before(db: &mut dyn Rows, seq: i64) -> Result<[u8; HASH_BYTES]> {
    if seq <= 1 {
        return Ok([0; HASH_BYTES]);
    }
    match db.hash_of(seq - 1)? {
        Some(h) => stored_hash(seq - 1, &h),
        // the previous event is missing (never written, or deleted)
        None => Err(Error::TamperedJournal { seq: seq - 1 }),
    }
}

fn stored_hash(seq: i64, h: &[u8]) -> Result<[u8; HASH_BYTES]> {
    h.try_into().map_err(|_| Error::TamperedJournal { seq })
}

/// Walks the events in order, computing their chain from the first one:
/// `visit(seq, computed hash, stored hash)` for each.
fn walk_chain(
    db: &mut dyn Rows,
    mut visit: impl FnMut(i64, &[u8; HASH_BYTES], Option<&[u8]>) -> Result<()>,
) -> Result<u64> {
    let names = db.all_names()?;
    let name = |seq: i64, id: i64| {
        names
            .get(&id)
            .map(String::as_str)
            .ok_or_else(|| corrupt(format!("event {seq}: unknown name #{id}")))
    };
    let mut previous = [0u8; HASH_BYTES];
    let mut count = 0u64;
    db.event_rows(i64::MIN, i64::MAX, &mut |r| {
        let seq = r.seq;
        count += 1;
        if seq != count as i64 {
            return Err(Error::TamperedJournal { seq: count as i64 });
        }
        previous = chain_hash(
            &previous,
            &Canonical {
                seq,
                origin: name(seq, r.origin)?,
                origin_seq: r.origin_seq.unwrap_or(seq),
                at: &r.at,
                actor: name(seq, r.actor)?,
                tenant: r.tenant.map(|t| name(seq, t)).transpose()?,
                payload: r.payload,
            },
        );
        visit(seq, &previous, r.hash)
    })?;
    Ok(count)
}

/// Computes and stores the chain of every event (in the open transaction):
/// the migration of a version-2 store (`add_column`), or the end of the
/// migration of a version-1 store (whose new table has the column).
fn migrate_v2(conn: &Connection, add_column: bool) -> Result<()> {
    if add_column {
        conn.execute_batch("ALTER TABLE events ADD COLUMN hash BLOB")
            .map_err(|e| storage(&e))?;
    }
    let mut hashes: Vec<(i64, [u8; HASH_BYTES])> = Vec::new();
    walk_chain(&mut Lite(conn), |seq, hash, _| {
        hashes.push((seq, *hash));
        Ok(())
    })?;
    let mut update = conn
        .prepare("UPDATE events SET hash = ?2 WHERE seq = ?1")
        .map_err(|e| storage(&e))?;
    for (seq, hash) in hashes {
        update
            .execute(params![seq, &hash[..]])
            .map_err(|e| storage(&e))?;
    }
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        [SCHEMA_VERSION.to_string()],
    )
    .map_err(|e| storage(&e))?;
    Ok(())
}

/// Reads the events with `after < seq <= until`, oldest first, with their
/// payload sizes.
fn read_events(db: &mut dyn Rows, after: i64, until: i64) -> Result<Vec<(StoredEvent, u64)>> {
    let mut out = Vec::new();
    read_raw_events(db, after, until, &mut |e, payload| {
        let seq = e.seq;
        let event = decode_event(seq, payload)?;
        out.push((
            StoredEvent {
                seq,
                origin: e.origin.to_owned(),
                origin_seq: e.origin_seq,
                entry: JournalEntry {
                    seq: seq as u64,
                    at: *e.at,
                    actor: e.actor.to_owned(),
                    tenant: e.tenant.map(str::to_owned),
                    event,
                },
            },
            payload.len() as u64,
        ));
        Ok(())
    })?;
    Ok(out)
}

/// An event's place and metadata, its names resolved (its payload aside):
/// what is written, or what was read back and verified.
struct Head<'a> {
    seq: i64,
    origin: &'a str,
    origin_seq: i64,
    at: &'a DateTime<Utc>,
    actor: &'a str,
    tenant: Option<&'a str>,
}

/// Visits the events with `after < seq <= until`, oldest first, after
/// checking each one's chain hash (an altered row is never decoded).
fn read_raw_events(
    db: &mut dyn Rows,
    after: i64,
    until: i64,
    visit: &mut dyn FnMut(&Head<'_>, &[u8]) -> Result<()>,
) -> Result<()> {
    let names = db.all_names()?;
    let name = |seq: i64, id: i64| {
        names
            .get(&id)
            .map(String::as_str)
            .ok_or_else(|| corrupt(format!("event {seq}: unknown name #{id}")))
    };
    let mut previous = chain_before(db, after + 1)?;
    let mut expected = after + 1;
    db.event_rows(after, until, &mut |r| {
        let seq = r.seq;
        // the chain first: an altered row must not even be decoded
        if seq != expected {
            return Err(Error::TamperedJournal { seq: expected });
        }
        let row = Head {
            seq,
            origin: name(seq, r.origin)?,
            origin_seq: r.origin_seq.unwrap_or(seq),
            at: &r.at,
            actor: name(seq, r.actor)?,
            tenant: r.tenant.map(|t| name(seq, t)).transpose()?,
        };
        let hash = chain_hash(
            &previous,
            &Canonical {
                seq,
                origin: row.origin,
                origin_seq: row.origin_seq,
                at: row.at,
                actor: row.actor,
                tenant: row.tenant,
                payload: r.payload,
            },
        );
        if r.hash != Some(&hash[..]) {
            return Err(Error::TamperedJournal { seq });
        }
        previous = hash;
        expected = seq + 1;
        visit(&row, r.payload)
    })
}

/// A snapshot's header row.
pub(crate) struct SnapshotRow {
    pub(crate) seq: i64,
    pub(crate) chunks: i64,
    pub(crate) raw_bytes: u64,
    pub(crate) checksum: u32,
}

fn latest_snapshot(conn: &Connection, until: i64) -> Result<Option<SnapshotRow>> {
    conn.query_row(
        "SELECT seq, chunks, raw_bytes, checksum FROM snapshots WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1",
        [until],
        |r| {
            Ok(SnapshotRow {
                seq: r.get(0)?,
                chunks: r.get(1)?,
                raw_bytes: r.get::<_, i64>(2)? as u64,
                checksum: r.get::<_, i64>(3)? as u32,
            })
        },
    )
    .optional()
    .map_err(|e| storage(&e))
}

/// Streams the registry's binary encoding into LZ4-compressed chunks of
/// [`CHUNK_BYTES`], each inserted as a row with its CRC-32.
struct ChunkWriter<'c> {
    db: &'c mut dyn Rows,
    seq: i64,
    n: i64,
    buf: Vec<u8>,
    raw: crc32fast::Hasher,
    raw_bytes: u64,
    stored_bytes: u64,
}

impl ChunkWriter<'_> {
    fn flush_chunk(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let data = lz4_flex::block::compress_prepend_size(&self.buf);
        self.buf.clear();
        let checksum = crc32fast::hash(&data);
        self.db
            .insert_chunk(self.seq, self.n, checksum, &data)
            .map_err(std::io::Error::other)?;
        self.n += 1;
        self.stored_bytes += data.len() as u64;
        Ok(())
    }
}

impl Write for ChunkWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let room = CHUNK_BYTES - self.buf.len();
        let take = room.min(bytes.len());
        self.buf.extend_from_slice(&bytes[..take]);
        self.raw.update(&bytes[..take]);
        self.raw_bytes += take as u64;
        if self.buf.len() == CHUNK_BYTES {
            self.flush_chunk()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads a snapshot's chunks back as one stream, checking each chunk's
/// CRC-32 and, at the end, the whole stream's.
struct ChunkReader {
    chunks: std::vec::IntoIter<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    raw: crc32fast::Hasher,
    raw_bytes: u64,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.current.len() {
            let Some(next) = self.chunks.next() else {
                return Ok(0);
            };
            self.current =
                lz4_flex::block::decompress_size_prepended(&next).map_err(std::io::Error::other)?;
            self.pos = 0;
        }
        let n = out.len().min(self.current.len() - self.pos);
        out[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.raw.update(&out[..n]);
        self.raw_bytes += n as u64;
        self.pos += n;
        Ok(n)
    }
}

/// The tag opening a columnar snapshot stream. A MessagePack dataset (the
/// snapshots written before) starts with a map marker, never with `M`.
const SNAPSHOT_COLUMNS_V1: &[u8; 8] = b"MUTCOL\x01\x00";

/// A columnar snapshot: [`SNAPSHOT_COLUMNS_V1`], the MessagePack records of
/// everything except the work orders and cost lines (length-prefixed), then
/// the work orders' columns, then the cost lines' (little-endian arrays,
/// each length-prefixed; see `lines.rs` and `orders.rs`).
fn write_snapshot_stream(state: &Mutualis, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Storage {
        message: format!("cannot write a snapshot: {e}"),
    };
    out.write_all(SNAPSHOT_COLUMNS_V1).map_err(io)?;
    let mut records = Vec::new();
    state.write_msgpack_without_columns(&mut records)?;
    let mut cols = crate::lines::ColOut::new(out);
    cols.bytes(&records).map_err(io)?;
    state.work_orders.encode_columns(&mut cols).map_err(io)?;
    state.cost_lines.encode_columns(&mut cols).map_err(io)
}

/// Reads a columnar snapshot stream (after its tag; `left` bytes remain):
/// the records through the dataset loader, the columns installed where it
/// would have restored work orders and lines, every row checked, then the
/// ledger allocated once (budget spending follows at the end of loading).
fn read_snapshot_columns(input: &mut dyn Read, left: u64) -> Result<Mutualis> {
    let mut cols = crate::lines::ColIn::new(input, left);
    cols.table = "records";
    let records = cols.bytes("records")?;
    let m = Mutualis::read_msgpack_with(&records[..], |m| {
        if !m.work_orders.is_empty() || !m.cost_lines.is_empty() {
            return Err(crate::lines::corrupt_table(
                "records",
                "work orders or cost lines outside their columns",
            ));
        }
        let mut orders = crate::WorkOrders::decode_columns(&mut cols, m)?;
        // the code index (a hash map of every code) builds on another core
        // from the code arena while the lines load, the orders and lines are
        // installed and the ledger allocates (it reads a line's asset from
        // its order, never a code)
        let (code_end, codes) = orders.take_codes();
        let (installed, by_code) = std::thread::scope(|scope| {
            let index = || crate::orders::index_code_arena(&code_end, &codes);
            let thread = std::thread::Builder::new()
                .name("mutualis-codes".into())
                .spawn_scoped(scope, index)
                .ok();
            let installed = crate::CostLines::decode_columns(&mut cols, m, &orders).map(|lines| {
                orders.link_lines(lines.work_orders());
                m.work_orders = std::mem::take(&mut orders);
                m.cost_lines = lines;
                m.rebuild_ledger();
            });
            let by_code = match thread {
                Some(t) => t.join().unwrap_or_else(|_| {
                    Err(crate::lines::corrupt_table(
                        "work_orders",
                        "indexing the codes failed",
                    ))
                }),
                None => index(),
            };
            (installed, by_code)
        });
        installed?;
        m.work_orders.restore_codes(code_end, codes, by_code?);
        Ok(())
    })?;
    match cols.remaining() {
        0 => Ok(m),
        n => Err(crate::lines::corrupt_table(
            "cost_lines",
            format!("{n} bytes after the last column"),
        )),
    }
}

/// Writes a snapshot of `state` at `seq` in `db`'s open transaction and
/// deletes older ones; returns its uncompressed size.
fn write_snapshot(db: &mut dyn Rows, seq: i64, state: &Mutualis) -> Result<u64> {
    db.delete_snapshots(seq)?;
    let mut w = ChunkWriter {
        db,
        seq,
        n: 0,
        buf: Vec::with_capacity(CHUNK_BYTES),
        raw: crc32fast::Hasher::new(),
        raw_bytes: 0,
        stored_bytes: 0,
    };
    write_snapshot_stream(state, &mut w)?;
    w.flush_chunk().map_err(|e| Error::Storage {
        message: format!("cannot write a snapshot chunk: {e}"),
    })?;
    let checksum = w.raw.clone().finalize();
    let (chunks, raw_bytes, stored_bytes) = (w.n, w.raw_bytes, w.stored_bytes);
    db.insert_snapshot(
        &SnapshotRow {
            seq,
            chunks,
            raw_bytes,
            checksum,
        },
        stored_bytes,
    )?;
    Ok(raw_bytes)
}

/// Reads a snapshot back. A damaged one (missing chunk, bad checksum,
/// undecodable) is [`Error::CorruptStore`].
fn read_snapshot(db: &mut dyn Rows, snap: &SnapshotRow) -> Result<Mutualis> {
    let bad = |what: String| corrupt(format!("snapshot at event {}: {what}", snap.seq));
    let mut chunks = Vec::new();
    db.snapshot_chunks(snap.seq, &mut |n, checksum, data| {
        let data = data.ok_or_else(|| bad(format!("chunk {n} is not binary")))?;
        if n != chunks.len() as i64 || crc32fast::hash(data) != checksum {
            return Err(bad(format!("chunk {n} is damaged")));
        }
        chunks.push(data.to_vec());
        Ok(())
    })?;
    if chunks.len() as i64 != snap.chunks {
        return Err(bad(format!("{} chunk(s) of {}", chunks.len(), snap.chunks)));
    }
    let mut reader = ChunkReader {
        chunks: chunks.into_iter(),
        current: Vec::new(),
        pos: 0,
        raw: crc32fast::Hasher::new(),
        raw_bytes: 0,
    };
    let mut tag = [0u8; 8];
    let mut got = 0;
    while got < tag.len() {
        match reader.read(&mut tag[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) => return Err(bad(format!("undecodable chunk: {e}"))),
        }
    }
    let state = if got == tag.len() && &tag == SNAPSHOT_COLUMNS_V1 {
        let left = snap.raw_bytes.saturating_sub(tag.len() as u64);
        read_snapshot_columns(&mut reader, left)
    } else {
        // a snapshot written before the columnar layout: the whole dataset
        Mutualis::read_msgpack(std::io::Cursor::new(&tag[..got]).chain(&mut reader))
    };
    // drain what the decoder did not need, then check the whole stream
    std::io::copy(&mut reader, &mut std::io::sink())
        .map_err(|e| bad(format!("undecodable chunk: {e}")))?;
    if reader.raw_bytes != snap.raw_bytes || reader.raw.finalize() != snap.checksum {
        return Err(bad("checksum mismatch".into()));
    }
    state.map_err(|e| match e {
        Error::CorruptStore { message } => bad(message),
        e => bad(e.to_string()),
    })
}

/// Migrates a version-1 store (JSON events and snapshots) to version 2 in
/// the open transaction.
fn migrate_v1(conn: &Connection) -> Result<()> {
    conn.execute_batch(SCHEMA_V2_TABLES)
        .map_err(|e| storage(&e))?;
    let mut names = HashMap::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT seq, origin, origin_seq, at, actor, tenant, event FROM events ORDER BY seq",
            )
            .map_err(|e| storage(&e))?;
        let mut rows = stmt.query([]).map_err(|e| storage(&e))?;
        while let Some(r) = rows.next().map_err(|e| storage(&e))? {
            let seq: i64 = r.get(0).map_err(|e| storage(&e))?;
            let origin: String = r.get(1).map_err(|e| storage(&e))?;
            let origin_seq: i64 = r.get(2).map_err(|e| storage(&e))?;
            let at = read_time(seq, r.get_ref(3).map_err(|e| storage(&e))?)?;
            let actor: String = r.get(4).map_err(|e| storage(&e))?;
            let tenant: Option<String> = r.get(5).map_err(|e| storage(&e))?;
            let event: String = r.get(6).map_err(|e| storage(&e))?;
            let event: Event =
                serde_json::from_str(&event).map_err(|e| corrupt(format!("event {seq}: {e}")))?;
            let entry = JournalEntry {
                seq: seq as u64,
                at,
                actor,
                tenant,
                event,
            };
            let payload = encode_event(&entry.event)?;
            let o = name_id(conn, &mut names, &origin)?;
            let a = name_id(conn, &mut names, &entry.actor)?;
            let t = match &entry.tenant {
                Some(t) => Some(name_id(conn, &mut names, t)?),
                None => None,
            };
            conn.prepare_cached(
                "INSERT INTO events_v2 (seq, origin, origin_seq, at, actor, tenant, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    seq,
                    o,
                    (origin_seq != seq).then_some(origin_seq),
                    time_value(&entry.at),
                    a,
                    t,
                    payload
                ])
            })
            .map_err(|e| storage(&e))?;
        }
    }
    let latest: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, dataset FROM snapshots ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| storage(&e))?;
    conn.execute_batch(
        "DROP TABLE events; DROP TABLE snapshots;
         ALTER TABLE events_v2 RENAME TO events;
         CREATE UNIQUE INDEX events_by_origin ON events (origin, origin_seq) WHERE origin_seq IS NOT NULL;
         ALTER TABLE snapshots_v2 RENAME TO snapshots;",
    )
    .map_err(|e| storage(&e))?;
    if let Some((seq, json)) = latest {
        // the JSON snapshot becomes a binary one (a bad one is dropped: the
        // registry is then replayed from the first event)
        if let Ok(state) = Mutualis::from_json(&json) {
            write_snapshot(&mut Lite(conn), seq, &state)?;
        }
    }
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        [SCHEMA_VERSION.to_string()],
    )
    .map_err(|e| storage(&e))?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the store at `path`; `device` names this handle's
    /// origin for sync (e.g. "central", or an Android device id). A
    /// version-1 store is migrated in place (one transaction).
    ///
    /// Errors: [`Error::CorruptStore`] (not a Mutualis store, damaged file),
    /// [`Error::SchemaTooNew`], [`Error::Storage`], or the error of an event
    /// that no longer replays.
    ///
    /// An empty path or `":memory:"` is refused ([`Error::InvalidField`]):
    /// SQLite would open a temporary database that loses every commit (use
    /// [`Store::open_in_memory`] for scratch work). An existing file shorter
    /// than an SQLite header (100 bytes), empty ones included, is refused as
    /// not a store ([`Error::CorruptStore`]) instead of being overwritten.
    pub fn open(path: impl AsRef<Path>, device: &str) -> Result<Store> {
        let path = path.as_ref();
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Err(Error::InvalidField {
                field: "path",
                reason: format!(
                    "{:?} would open a temporary database that loses every commit: give a file path (or open a store in memory)",
                    path.as_os_str()
                ),
            });
        }
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.is_file() && meta.len() < 100 {
                return Err(corrupt(format!(
                    "not a Mutualis store: {} is a {}-byte file (an SQLite database has a 100-byte header)",
                    path.display(),
                    meta.len()
                )));
            }
        }
        #[cfg(feature = "postgres")]
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Store::open_url(url, device);
        }
        let conn = Connection::open(path).map_err(|e| storage(&e))?;
        Store::init(conn, device)
    }

    /// Opens (or creates) a store given by URL: `postgres://` or
    /// `postgresql://` (a PostgreSQL server, feature `postgres`: user,
    /// password, host, port, database and libpq-style parameters such as
    /// `sslmode` or `options=-csearch_path%3Dmyschema`), `sqlite:PATH` or a
    /// plain file path (the embedded store, as [`Store::open`]). The URL's
    /// credentials appear in no error message and no `Debug` output.
    ///
    /// Errors: as [`Store::open`]; an unknown scheme, or a PostgreSQL URL
    /// without the feature, is [`Error::InvalidField`] (`url`).
    pub fn open_url(url: &str, device: &str) -> Result<Store> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            return Store::open(path, device);
        }
        let scheme = url.split_once("://").map(|(s, _)| s);
        #[cfg(feature = "postgres")]
        if pg::is_url(url) {
            crate::identity::check_name("device", device)?;
            let db = Backend::Postgres(Box::new(pg::Pg::connect(url)?));
            return Store::start(db, device);
        }
        match scheme {
            Some("postgres" | "postgresql") => Err(Error::InvalidField {
                field: "url",
                reason: "a PostgreSQL store needs the library built with the `postgres` feature"
                    .into(),
            }),
            Some(other) if !other.contains(['/', '\\']) && other.len() > 1 => {
                Err(Error::InvalidField {
                    field: "url",
                    reason: format!(
                        "unknown store scheme {other:?}: give postgres://..., sqlite:PATH or a file path"
                    ),
                })
            }
            _ => Store::open(url, device),
        }
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
        let tables = table_names(&conn)?;
        if tables.is_empty() {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| storage(&e))?;
            let tx = conn.transaction().map_err(|e| storage(&e))?;
            tx.execute_batch(&format!(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 {SCHEMA_V2_TABLES}
                 ALTER TABLE events_v2 RENAME TO events;
                 CREATE UNIQUE INDEX events_by_origin ON events (origin, origin_seq) WHERE origin_seq IS NOT NULL;
                 ALTER TABLE snapshots_v2 RENAME TO snapshots;"
            ))
            .map_err(|e| storage(&e))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), ('format', 'mutualis-store')",
                params![SCHEMA_VERSION.to_string()],
            )
            .map_err(|e| storage(&e))?;
            tx.commit().map_err(|e| storage(&e))?;
        } else {
            if !tables.iter().any(|t| t == "meta") {
                return Err(corrupt(format!(
                    "not a Mutualis store (tables: {})",
                    tables.join(", ")
                )));
            }
            let version = schema_version(&conn)?;
            if version > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew {
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| storage(&e))?;
        let integrity: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| storage(&e))?;
        if integrity != "ok" {
            return Err(corrupt(integrity));
        }
        if schema_version(&conn)? < SCHEMA_VERSION {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| storage(&e))?;
            // another handle may have migrated it meanwhile
            match schema_version(&tx)? {
                1 => {
                    migrate_v1(&tx)?;
                    migrate_v2(&tx, false)?;
                }
                2 => migrate_v2(&tx, true)?,
                v if v == SCHEMA_VERSION => {}
                v => return Err(corrupt(format!("unknown schema version {v}"))),
            }
            tx.commit().map_err(|e| storage(&e))?;
        }
        Store::start(Backend::Sqlite(conn), device)
    }

    /// A handle on a database whose schema is ready: loads the registry.
    fn start(db: Backend, device: &str) -> Result<Store> {
        let mut store = Store {
            db,
            state: Mutualis::new(),
            head: 0,
            device: device.to_owned(),
            committed: 0,
            generation: 0,
            names: HashMap::new(),
            chain: None,
            snapshot_raw: 0,
            tail_bytes: 0,
            checkpoint: None,
        };
        let until = store.db.read(|db| db.head())?;
        store.load(until)?;
        Ok(store)
    }

    /// Rebuilds the registry from the latest snapshot at or before `until`
    /// and the events after it, up to `until`; keeps the actor and clock.
    fn load(&mut self, until: i64) -> Result<()> {
        let (mut state, from, raw, events) = self.db.read(|db| {
            let snapshot = db.latest_snapshot(until)?;
            let (state, from, raw) = match snapshot {
                Some(s) => match read_snapshot(db, &s) {
                    Ok(m) => (m, s.seq, s.raw_bytes),
                    // a damaged snapshot: every event is kept, replay them all
                    Err(Error::CorruptStore { .. }) => (Mutualis::new(), 0, 0),
                    Err(e) => return Err(e),
                },
                None => (Mutualis::new(), 0, 0),
            };
            let events = read_events(db, from, until)?;
            Ok((state, from, raw, events))
        })?;
        let mut tail = 0;
        for (e, bytes) in &events {
            state.apply_recorded(&e.entry)?;
            tail += bytes;
        }
        state.actor = std::mem::take(&mut self.state.actor);
        state.clock = self.state.clock;
        self.head = events.last().map_or(from, |e| e.0.seq);
        self.committed = state.journal.len();
        self.state = state;
        self.snapshot_raw = raw;
        self.tail_bytes = tail;
        self.checkpoint = None;
        self.mark_committed();
        Ok(())
    }

    /// Moves the watermark to the end of the journal (everything so far is
    /// committed) and closes the checkpoint, if any.
    fn mark_committed(&mut self) {
        if let Some(cp) = self.checkpoint.take() {
            self.state.release(cp);
        }
        self.committed = self.state.journal.len();
    }

    /// Brings the registry back to the last committed state (rare path: a
    /// write that failed after its commands succeeded, a unit of work rolled
    /// back); every working view handed out before becomes stale.
    fn restore(&mut self) -> Result<()> {
        self.generation += 1;
        self.names.clear();
        // cheap: undo what the pending commands changed, when the checkpoint
        // covers them all (docs of `undo.rs`)
        if let Some(cp) = self.checkpoint.take() {
            if self.state.rollback(cp).is_ok() && self.state.journal.len() == self.committed {
                return Ok(());
            }
        }
        // otherwise: reload from the file
        let head = self.head;
        self.load(head)
    }

    /// The registry as of the last event this handle has seen, plus any
    /// uncommitted change made through [`Store::begin`] or [`Store::working`].
    #[must_use]
    pub fn registry(&self) -> &Mutualis {
        &self.state
    }

    /// The store's own registry, to change with ordinary commands: every
    /// journal entry it records from now on is pending until
    /// [`Store::commit`] (or discarded by [`Store::rollback`]). The
    /// unit-of-work style of the bindings; Rust code prefers
    /// [`Store::begin`], whose guard rolls back when dropped.
    pub fn working(&mut self) -> &mut Mutualis {
        &mut self.state
    }

    /// Journal entries recorded on the registry since the last commit (not
    /// yet persisted).
    #[must_use]
    pub fn pending(&self) -> usize {
        self.state.journal.len().saturating_sub(self.committed)
    }

    /// A counter bumped every time uncommitted changes are discarded
    /// (rollback, refused commit): a binding's working view taken before
    /// is stale ([`Error::StaleCopy`]).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
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

    fn check_clean(&self) -> Result<()> {
        match self.pending() {
            0 => Ok(()),
            pending => Err(Error::UncommittedChanges { pending }),
        }
    }

    /// Starts a unit of work: the returned guard is the store's registry.
    ///
    /// Errors: [`Error::UncommittedChanges`] (changes made through
    /// [`Store::working`] are pending), [`Error::StaleState`] (another
    /// handle committed: refresh first), [`Error::Storage`].
    pub fn begin(&mut self) -> Result<Work<'_>> {
        self.check_clean()?;
        let stored = self.db.read(|db| db.head())?;
        if stored != self.head {
            return Err(Error::StaleState {
                seen: self.head,
                stored,
            });
        }
        Ok(Work { store: self })
    }

    /// Runs a command (or several) on the registry, in place, and persists
    /// its events in one transaction: all or nothing.
    ///
    /// Errors: the command's own error, [`Error::StaleState`] when another
    /// handle committed since this one last loaded,
    /// [`Error::UncommittedChanges`], [`Error::Storage`].
    pub fn execute<T>(&mut self, command: impl FnOnce(&mut Mutualis) -> Result<T>) -> Result<T> {
        self.check_clean()?;
        self.write(false, command)
    }

    /// Like [`Store::execute`], but a handle that missed other handles'
    /// commits first catches up under the write lock (it reads and applies
    /// only the events after its head), then runs the command on the latest
    /// state: never [`Error::StaleState`]. For servers whose handles record
    /// independent commands (each user's interventions) at once; the command
    /// is validated against what the others committed.
    ///
    /// Errors: the command's own error, the error of a missed event that
    /// does not apply, [`Error::UncommittedChanges`], [`Error::Storage`].
    pub fn execute_latest<T>(
        &mut self,
        command: impl FnOnce(&mut Mutualis) -> Result<T>,
    ) -> Result<T> {
        self.check_clean()?;
        self.write(true, command)
    }

    /// Runs a command (or several) as `principal`, like
    /// [`Store::execute`]: the unit of work is authorised by the principal's
    /// grants ([`crate::access::Session::execute`]) and journalled with the
    /// principal as actor; a refused one changes nothing, in memory or in
    /// the file.
    ///
    /// Errors: as [`Store::execute`], [`Error::UnknownPrincipal`],
    /// [`Error::Forbidden`].
    pub fn execute_as<T>(
        &mut self,
        principal: &str,
        command: impl FnOnce(&mut Mutualis) -> Result<T>,
    ) -> Result<T> {
        self.execute(|m| m.as_principal_mut(principal)?.execute(command))
    }

    /// Persists, in one transaction, every journal entry recorded on the
    /// registry since the last commit; returns how many.
    ///
    /// Errors: [`Error::StaleState`] (another handle committed: the pending
    /// changes are rolled back; refresh and redo), [`Error::Storage`]
    /// (rolled back too).
    pub fn commit(&mut self) -> Result<usize> {
        let n = self.pending();
        if n == 0 {
            return Ok(0);
        }
        self.write(false, |_| Ok(n))
    }

    /// Discards the changes recorded since the last commit; returns how many
    /// journal entries were discarded. The registry is reloaded from the file
    /// (latest snapshot + tail up to this handle's head): the cost of an
    /// opening.
    ///
    /// Errors: [`Error::Storage`] or [`Error::CorruptStore`] when the file
    /// cannot be read back (the changes then stay pending).
    pub fn rollback(&mut self) -> Result<usize> {
        let n = self.pending();
        if n > 0 {
            self.restore()?;
        }
        Ok(n)
    }

    /// Takes a registry built elsewhere (e.g. loaded from a JSON dataset)
    /// into an empty store and persists its whole journal; returns how many
    /// events.
    ///
    /// Errors: [`Error::StaleCopy`] when the store is not empty,
    /// [`Error::Storage`].
    pub fn adopt(&mut self, registry: Mutualis) -> Result<usize> {
        if self.head != 0 || self.pending() != 0 || self.db.read(|db| db.head())? != 0 {
            return Err(Error::StaleCopy { head: self.head });
        }
        // the checkpoint belonged to the registry being replaced
        self.checkpoint = None;
        self.state = registry;
        self.committed = 0;
        self.commit()
    }

    /// Runs `command` in place under the write lock, then writes the pending
    /// entries; on any failure the registry is restored.
    fn write<T>(
        &mut self,
        catch_up: bool,
        command: impl FnOnce(&mut Mutualis) -> Result<T>,
    ) -> Result<T> {
        let mut chain = self.chain;
        let result = self.db.write(Lock::Events, |tx| {
            let stored = tx.head()?;
            if stored != self.head && catch_up && self.state.journal.len() == self.committed {
                // under the lock: only the events this handle missed
                for (e, bytes) in read_events(tx, self.head, stored)? {
                    self.state.apply_recorded(&e.entry)?;
                    self.tail_bytes += bytes;
                }
                self.head = stored;
                if let Some(cp) = self.checkpoint.take() {
                    self.state.release(cp);
                }
                self.committed = self.state.journal.len();
            }
            if stored != self.head {
                return Err(Error::StaleState {
                    seen: self.head,
                    stored,
                });
            }
            if self.checkpoint.is_none() && self.state.journal.len() == self.committed {
                // a command run by `execute`: undone cheaply if it fails
                self.checkpoint = Some(self.state.checkpoint());
            }
            let out = command(&mut self.state)?;
            let mut seq = stored;
            let mut bytes = 0;
            for entry in &self.state.journal[self.committed..] {
                seq += 1;
                bytes += insert_event(
                    tx,
                    &mut self.names,
                    seq,
                    &self.device,
                    seq,
                    entry,
                    &mut chain,
                )?;
            }
            Ok((out, seq, bytes))
        });
        match result {
            Ok((out, seq, bytes)) => {
                self.chain = chain;
                self.head = seq;
                self.mark_committed();
                self.tail_bytes += bytes;
                self.maybe_snapshot();
                Ok(out)
            }
            Err(e) => {
                self.names.clear();
                if self.pending() > 0 {
                    // the original error matters more than a failed reload
                    let _ = self.restore();
                }
                Err(e)
            }
        }
    }

    /// Writes a snapshot when the tail outgrew the policy's share of the last
    /// one. Its failure does not undo the commit that preceded it (the next
    /// commit tries again).
    fn maybe_snapshot(&mut self) {
        let threshold = SNAPSHOT_MIN_TAIL_BYTES.max(self.snapshot_raw / SNAPSHOT_TAIL_RATIO);
        if self.tail_bytes >= threshold {
            let _ = self.snapshot();
        }
    }

    /// Loads the events other handles committed since this one last saw the store.
    ///
    /// Errors: [`Error::UncommittedChanges`], [`Error::Storage`], or the
    /// error of an event that does not apply (the registry is then left as
    /// it was).
    pub fn refresh(&mut self) -> Result<usize> {
        self.check_clean()?;
        let head = self.head;
        let events = self.db.read(|db| read_events(db, head, i64::MAX))?;
        for (e, _) in &events {
            if let Err(err) = self.state.apply_recorded(&e.entry) {
                let _ = self.restore();
                return Err(err);
            }
        }
        if let Some((last, _)) = events.last() {
            self.head = last.seq;
        }
        self.mark_committed();
        self.tail_bytes += events.iter().map(|e| e.1).sum::<u64>();
        Ok(events.len())
    }

    /// Verifies the hash chain of every stored event, from the first one
    /// (opening verifies only the events it replays after the snapshot);
    /// returns the number of events verified.
    ///
    /// Errors: [`Error::TamperedJournal`] naming the first event whose
    /// stored hash does not match its bytes (or that is missing),
    /// [`Error::Storage`].
    pub fn verify(&self) -> Result<u64> {
        self.db.read(|db| {
            walk_chain(db, |seq, computed, stored| {
                if stored == Some(&computed[..]) {
                    Ok(())
                } else {
                    Err(Error::TamperedJournal { seq })
                }
            })
        })
    }

    /// Writes a snapshot of the registry at the current head (opening then
    /// starts from it) and deletes older snapshots.
    ///
    /// Errors: [`Error::UncommittedChanges`], [`Error::Storage`].
    pub fn snapshot(&mut self) -> Result<()> {
        self.check_clean()?;
        let (head, state) = (self.head, &self.state);
        let raw = self
            .db
            .write(Lock::Snapshots, |tx| write_snapshot(tx, head, state))?;
        self.snapshot_raw = raw;
        self.tail_bytes = 0;
        Ok(())
    }

    /// The stored events after `seq`, oldest first.
    pub fn events_since(&self, seq: i64) -> Result<Vec<StoredEvent>> {
        Ok(self
            .db
            .read(|db| read_events(db, seq, i64::MAX))?
            .into_iter()
            .map(|e| e.0)
            .collect())
    }

    /// The whole stored journal (for histories that must survive restarts).
    pub fn journal(&self) -> Result<Vec<JournalEntry>> {
        Ok(self.events_since(0)?.into_iter().map(|e| e.entry).collect())
    }

    /// The events after `seq` as JSON, to send to another store.
    pub fn export_since(&self, seq: i64) -> Result<String> {
        serde_json::to_string(&self.events_since(seq)?).map_err(|e| json_err(&e))
    }

    /// Imports events exported by another store — a device's upload:
    /// duplicates (same origin and origin sequence) are skipped, events that
    /// do not apply are reported one by one, the rest are applied and stored
    /// in one transaction. An event whose actor lacked the grant on its date
    /// is one of those reported ([`Error::Forbidden`]; see
    /// [`Mutualis::apply_recorded_authorised`]).
    ///
    /// Errors: [`Error::InvalidJson`], [`Error::StaleState`],
    /// [`Error::UncommittedChanges`], [`Error::Storage`] (nothing imported).
    pub fn import(&mut self, json: &str) -> Result<ImportReport> {
        self.import_events(json, true)
    }

    /// Replicates events exported by a store this one trusts — a device
    /// pulling the central store's journal — as [`Store::import`] does, but
    /// applied as they were recorded: the exporting store authorised them
    /// (its administrators' own events included, whatever their actor), so
    /// a device's copy never diverges from the central one. Never use it for
    /// what a device uploads.
    ///
    /// Errors: as [`Store::import`].
    pub fn replicate(&mut self, json: &str) -> Result<ImportReport> {
        self.import_events(json, false)
    }

    fn import_events(&mut self, json: &str, authorise: bool) -> Result<ImportReport> {
        self.check_clean()?;
        let events: Vec<StoredEvent> = serde_json::from_str(json).map_err(|e| json_err(&e))?;
        let mut chain = self.chain;
        let result = self.db.write(Lock::Events, |tx| {
            let stored = tx.head()?;
            if stored != self.head {
                return Err(Error::StaleState {
                    seen: self.head,
                    stored,
                });
            }
            let mut report = ImportReport::default();
            let mut seq = stored;
            let mut bytes = 0;
            for e in events {
                if tx.known(&e.origin, e.origin_seq)? {
                    report.duplicates += 1;
                    continue;
                }
                // refused when its actor is a principal lacking the grant on
                // the event's date (docs/access.md, sync)
                let applied = if authorise {
                    self.state.apply_recorded_authorised(&e.entry)
                } else {
                    self.state.apply_recorded(&e.entry)
                };
                match applied {
                    Ok(()) => {
                        seq += 1;
                        bytes += insert_event(
                            tx,
                            &mut self.names,
                            seq,
                            &e.origin,
                            e.origin_seq,
                            &e.entry,
                            &mut chain,
                        )?;
                        report.applied += 1;
                    }
                    Err(err) => report.conflicts.push((e.origin_seq, err)),
                }
            }
            Ok((report, seq, bytes))
        });
        match result {
            Ok((report, seq, bytes)) => {
                self.chain = chain;
                self.head = seq;
                self.mark_committed();
                self.tail_bytes += bytes;
                self.maybe_snapshot();
                Ok(report)
            }
            Err(e) => {
                self.names.clear();
                if self.pending() > 0 {
                    let _ = self.restore();
                }
                Err(e)
            }
        }
    }
}

/// A store's location fit to print or log: a URL without its password
/// (`postgres://alice:secret@db/x` → `postgres://alice@db/x`); a path as it
/// is.
///
/// ```
/// use mutualis::store::redact_url;
/// assert_eq!(redact_url("postgres://alice:s3cret@db:5432/x?sslmode=require"), "postgres://alice@db:5432/x?sslmode=require");
/// assert_eq!(redact_url("target/roannais.db"), "target/roannais.db");
/// ```
#[must_use]
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Copies every event of `from` into the empty store `to` — a SQLite file
/// into a PostgreSQL database or back — as they are stored (same sequence,
/// origin, time, actor, tenant and payload bytes, hence the same hash
/// chain), in one transaction, verifying `from`'s chain on the way; `to`
/// then reloads. Both stores' exports are then byte-identical. Returns how
/// many events.
///
/// Errors: [`Error::StaleCopy`] when `to` is not empty,
/// [`Error::UncommittedChanges`] (`to` has pending changes),
/// [`Error::TamperedJournal`] (`from`'s chain is broken: nothing copied),
/// [`Error::Storage`].
pub fn copy(from: &Store, to: &mut Store) -> Result<u64> {
    to.check_clean()?;
    if to.head != 0 {
        return Err(Error::StaleCopy { head: to.head });
    }
    let mut names = HashMap::new();
    let mut chain = None;
    let result = from.db.read(|src| {
        to.db.write(Lock::Events, |dst| {
            let stored = dst.head()?;
            if stored != 0 {
                return Err(Error::StaleCopy { head: stored });
            }
            let mut n = 0;
            read_raw_events(src, 0, i64::MAX, &mut |e, payload| {
                n += 1;
                insert_encoded(dst, &mut names, e, payload, &mut chain)
            })?;
            Ok(n)
        })
    });
    let n = match result {
        Ok(n) => n,
        Err(e) => {
            to.names.clear();
            return Err(e);
        }
    };
    to.names.clear();
    to.chain = None;
    to.load(n as i64)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole Roannais scenario (every kind of event), as stored.
    const ROANNAIS: &str = include_str!("../../../tests/data/roannais-journal.json");

    /// An in-memory store holding the scenario, a snapshot at its head and
    /// one more event after it.
    fn scenario_store() -> (Store, Mutualis) {
        let entries: Vec<JournalEntry> = serde_json::from_str(ROANNAIS).unwrap();
        let m = Mutualis::replay(&entries).unwrap();
        assert!(m.cost_lines().len() > 10 && m.work_orders().len() > 5);
        let mut s = Store::open_in_memory("t").unwrap();
        s.adopt(m).unwrap();
        s.snapshot().unwrap();
        let asset = s.registry().assets().first().unwrap().code.clone();
        s.execute(|m| m.set_attribute(&asset, "snap", Some("after")))
            .unwrap();
        let expected = s.registry().clone();
        (s, expected)
    }

    fn snapshot_row(s: &Store) -> SnapshotRow {
        latest_snapshot(s.conn(), s.head).unwrap().unwrap()
    }

    /// The snapshot's uncompressed stream.
    fn stream(s: &Store) -> Vec<u8> {
        let data: Vec<Vec<u8>> = s
            .conn()
            .prepare("SELECT data FROM snapshot_chunks ORDER BY n")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        data.iter()
            .flat_map(|c| lz4_flex::block::decompress_size_prepended(c).unwrap())
            .collect()
    }

    /// Replaces the snapshot's stream by `raw`, with valid checksums.
    fn put_stream(s: &Store, raw: &[u8]) {
        let seq = snapshot_row(s).seq;
        s.conn().execute("DELETE FROM snapshot_chunks", []).unwrap();
        let data = lz4_flex::block::compress_prepend_size(raw);
        s.conn()
            .execute(
                "INSERT INTO snapshot_chunks (seq, n, checksum, data) VALUES (?1, 0, ?2, ?3)",
                params![seq, i64::from(crc32fast::hash(&data)), data],
            )
            .unwrap();
        s.conn()
            .execute(
                "UPDATE snapshots SET chunks = 1, raw_bytes = ?1, checksum = ?2",
                params![raw.len() as i64, i64::from(crc32fast::hash(raw))],
            )
            .unwrap();
    }

    impl Store {
        /// The SQLite connection of a test store.
        fn conn(&self) -> &Connection {
            match &self.db {
                Backend::Sqlite(c) => c,
                #[cfg(feature = "postgres")]
                Backend::Postgres(_) => panic!("not an SQLite store"),
            }
        }
    }

    fn reload(s: &mut Store) {
        let head = s.head;
        s.load(head).unwrap();
    }

    #[test]
    fn a_columnar_snapshot_reopens_to_the_same_registry() {
        let (mut s, expected) = scenario_store();
        assert_eq!(&stream(&s)[..8], SNAPSHOT_COLUMNS_V1);
        reload(&mut s);
        assert_eq!(s.registry(), &expected);
        assert_eq!(s.registry().ledger(), expected.ledger());
        // the snapshot was used: only the tail replayed
        assert_eq!(s.registry().journal().len(), 1);
        // budget spending and the code map came back too
        assert_eq!(s.registry().budgets.spent(), expected.budgets.spent());
        for (i, code) in expected.work_orders().codes().enumerate() {
            assert_eq!(s.registry().work_order_id(code).unwrap().index(), i);
        }
    }

    #[test]
    fn a_snapshot_in_the_previous_msgpack_layout_still_reads() {
        let (mut s, expected) = scenario_store();
        // the layout written before the columns: the whole dataset
        let mut old = Vec::new();
        Mutualis::replay(&s.journal().unwrap()[..s.head as usize - 1])
            .unwrap()
            .write_msgpack(&mut old)
            .unwrap();
        assert_ne!(&old[..8], SNAPSHOT_COLUMNS_V1);
        put_stream(&s, &old);
        reload(&mut s);
        assert_eq!(s.registry(), &expected);
        assert_eq!(s.registry().journal().len(), 1, "the old snapshot was used");
    }

    /// Patches 4 bytes of the stream at `at`, then checks the snapshot is
    /// refused with a message naming `what`, and the store replays.
    fn refused_after_patch(at: impl Fn(&[u8], &Mutualis) -> usize, value: u32, what: &str) {
        let (mut s, expected) = scenario_store();
        let mut raw = stream(&s);
        let i = at(&raw, s.registry());
        raw[i..i + 4].copy_from_slice(&value.to_le_bytes());
        put_stream(&s, &raw);
        let err = read_snapshot(&mut Lite(s.conn()), &snapshot_row(&s)).unwrap_err();
        match &err {
            Error::CorruptStore { message } => {
                assert!(message.contains(what), "{message:?} should name {what:?}");
            }
            other => panic!("not CorruptStore: {other:?}"),
        }
        reload(&mut s);
        assert_eq!(s.registry(), &expected);
        assert_eq!(
            s.registry().journal().len() as i64,
            s.head,
            "replayed from the first event"
        );
    }

    /// The byte offset of the cost lines' section (the stream's end).
    fn lines_section(raw: &[u8], m: &Mutualis) -> usize {
        let mut v = Vec::new();
        m.cost_lines
            .encode_columns(&mut crate::lines::ColOut::new(&mut v))
            .unwrap();
        raw.len() - v.len()
    }

    #[test]
    fn a_line_referring_to_a_missing_work_order_is_refused() {
        refused_after_patch(
            |raw, m| lines_section(raw, m) + 8,
            999_999,
            "cost_lines, row 0: work order id 999999 out of range",
        );
    }

    #[test]
    fn a_line_outside_its_asset_life_is_refused() {
        let n = |m: &Mutualis| m.cost_lines.len();
        refused_after_patch(
            |raw, m| lines_section(raw, m) + 8 + 4 * n(m) + 8 + 4,
            1,
            "cost_lines, row 1: day 1 outside the life of asset",
        );
    }

    #[test]
    fn a_work_order_on_a_missing_asset_is_refused() {
        refused_after_patch(
            |raw, m| {
                let records = u64::from_le_bytes(raw[8..16].try_into().unwrap()) as usize;
                let n = m.work_orders.len();
                let codes = m.work_orders.codes().map(str::len).sum::<usize>();
                // code_end, codes, title, then the asset column
                16 + records + (8 + 4 * n) + (8 + codes) + (8 + 4 * n) + 8 + 4 * 2
            },
            7_777,
            "work_orders, row 2: asset id 7777 out of range",
        );
    }

    #[test]
    fn a_damaged_chunk_is_refused_and_the_store_replays() {
        let (mut s, expected) = scenario_store();
        // flip bytes inside the compressed chunk: its CRC no longer matches
        s.conn()
            .execute(
                "UPDATE snapshot_chunks SET data = substr(data, 1, 40) || randomblob(8) || substr(data, 49)",
                [],
            )
            .unwrap();
        assert!(matches!(
            read_snapshot(&mut Lite(s.conn()), &snapshot_row(&s)),
            Err(Error::CorruptStore { .. })
        ));
        reload(&mut s);
        assert_eq!(s.registry(), &expected);
        assert_eq!(s.registry().journal().len() as i64, s.head);
    }

    #[test]
    fn no_damaged_byte_of_a_columnar_stream_panics() {
        let (s, expected) = scenario_store();
        let raw = stream(&s);
        let mut refused = 0;
        for i in (8..raw.len()).step_by(5) {
            for flip in [0xff_u8, 0x01] {
                let mut bad = raw.clone();
                bad[i] ^= flip;
                // decoding never panics; what it accepts is a registry
                match read_snapshot_columns(&mut &bad[8..], bad.len() as u64 - 8) {
                    Ok(m) => assert_eq!(m.cost_lines().len(), expected.cost_lines().len()),
                    Err(_) => refused += 1,
                }
            }
        }
        assert!(refused > 0);
    }
}
