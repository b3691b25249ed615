//! Bulk ingestion of a user's own tables: tenants, services, assets,
//! custody, sharing keys, suppliers, teams, rates, stores, items, work
//! orders and cost lines, given as Arrow record batches, Parquet files or
//! CSV files (feature `arrow`; Parquet with feature `parquet`).
//!
//! The columnar schema is documented table by table in `docs/ingest.md`
//! (and in [`TABLES`]). Every row goes through the same command as a single
//! change would (`add_tenant`, `add_asset`, `grant_custody`,
//! `set_sharing_key`, `create_work_order`…; cost lines through the check
//! of lines recorded elsewhere), so an ingested registry is one the
//! commands could have built. Two modes ([`IngestMode`]):
//! - **all or nothing**: the first bad row stops the ingestion and the
//!   registry is left exactly as before; the error
//!   ([`crate::Error::IngestRow`]) names the table, the 1-based row and the
//!   reason;
//! - **report**: bad rows are skipped, each reported ([`RowError`]) with its
//!   table, row, column and typed error; the rest is ingested.
//!
//! Schema errors (an unknown table, a missing column, a column of the wrong
//! Arrow type, a floating-point amount) are refused before anything changes,
//! in both modes.
//!
//! The whole ingestion is one journal event, [`crate::Event::TablesIngested`],
//! carrying the tables (base64 in JSON) — a table read from a Parquet file
//! as that file's bytes, others encoded ([`IngestedTables`]) — so
//! [`crate::Mutualis::replay`] re-ingests them identically.
//!
//! ```
//! # #[cfg(feature = "arrow")] {
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, StringArray, ArrayRef};
//! use mutualis::ingest::{IngestMode, Tables};
//! use mutualis::Mutualis;
//! let col = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
//! let tenants = RecordBatch::try_from_iter([
//!     ("code", col(&["ROANNE", "MABLY"])),
//!     ("name", col(&["Roanne", "Mably"])),
//!     ("kind", col(&["commune", "commune"])),
//!     ("siren", col(&["214218703", "214201261"])),
//!     ("insee", col(&["42187", "42127"])),
//! ]).unwrap();
//! let mut tables = Tables::new();
//! tables.insert("tenants", tenants).unwrap();
//! let mut m = Mutualis::new();
//! let report = m.ingest(&tables, IngestMode::AllOrNothing, None).unwrap();
//! assert_eq!(report.ingested("tenants"), 2);
//! assert_eq!(m.journal().len(), 1);
//! assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
//! # }
//! ```

mod base64;
mod schema;

#[cfg(feature = "arrow")]
mod apply;
#[cfg(feature = "arrow")]
mod columns;
#[cfg(feature = "arrow")]
mod tables;

use serde::{Deserialize, Serialize};

pub use schema::{ColumnDef, ColumnKind, TableDef, TABLES, TABLE_NAMES};
#[cfg(feature = "arrow")]
pub use tables::Tables;

use crate::error::Error;

/// How bad rows are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IngestMode {
    /// The first bad row stops the ingestion; nothing changes.
    #[default]
    AllOrNothing,
    /// Bad rows are skipped and reported; the rest is ingested.
    Report,
}

impl IngestMode {
    /// The mode's name: `"all_or_nothing"` or `"report"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            IngestMode::AllOrNothing => "all_or_nothing",
            IngestMode::Report => "report",
        }
    }
}

impl std::str::FromStr for IngestMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<IngestMode, Error> {
        match s {
            "all_or_nothing" => Ok(IngestMode::AllOrNothing),
            "report" => Ok(IngestMode::Report),
            _ => Err(Error::UnknownKind {
                what: "ingest mode",
                value: s.to_owned(),
                expected: "all_or_nothing, report",
            }),
        }
    }
}

/// A row that was not ingested (report mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Table name.
    pub table: &'static str,
    /// Row number, from 1 (a CSV file's header is not counted).
    pub row: usize,
    /// The column at fault, when one is.
    pub column: Option<&'static str>,
    /// Why the row was refused.
    pub error: Error,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "table {:?}, row {}", self.table, self.row)?;
        if let Some(c) = self.column {
            write!(f, ", column {c:?}")?;
        }
        write!(f, ": {}", self.error)
    }
}

/// Rows read and ingested for one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableCount {
    /// Table name.
    pub table: &'static str,
    /// Rows given.
    pub rows: usize,
    /// Rows ingested.
    pub ingested: usize,
}

/// What an ingestion did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IngestReport {
    /// Per table given, in ingestion order.
    pub tables: Vec<TableCount>,
    /// The rows skipped (always empty in all-or-nothing mode).
    pub errors: Vec<RowError>,
}

impl IngestReport {
    /// Rows ingested from `table` (0 if it was not given).
    #[must_use]
    pub fn ingested(&self, table: &str) -> usize {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map_or(0, |t| t.ingested)
    }

    /// Total rows ingested.
    #[must_use]
    pub fn total_ingested(&self) -> usize {
        self.tables.iter().map(|t| t.ingested).sum()
    }
}

/// One ingested table in the journal: its name and its rows — in payload
/// version 1 as Arrow IPC streams (LZ4-compressed buffers), one after the
/// other; in version 2 as parts, each a kind byte (`P`: a Parquet file,
/// `I`: an Arrow IPC stream), its length (`u64`, little-endian) and its
/// bytes, a new part at each change of schema (a table read from a Parquet
/// file: that file as it was read, one part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpcTable {
    /// Table name.
    pub name: String,
    /// The table's bytes (base64 in JSON), as its payload version says.
    #[serde(with = "base64")]
    pub ipc: Vec<u8>,
}

/// The payload of [`crate::Event::TablesIngested`]: the mode and the tables
/// exactly as they were ingested, so a replay re-ingests them identically.
///
/// Version 2 (tables as Parquet parts) is written by a build with the
/// `parquet` feature, version 1 (Arrow IPC) by one without; both are read
/// (version 2 needs the `parquet` feature); a later version is refused on
/// replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestedTables {
    /// Payload version (1 or 2).
    pub version: u32,
    /// The mode of the ingestion.
    pub mode: IngestMode,
    /// The tables, in ingestion order.
    pub tables: Vec<IpcTable>,
}

/// The latest payload version this library reads (it also reads version 1).
pub const PAYLOAD_VERSION: u32 = 2;

impl crate::Mutualis {
    /// Re-runs a journalled ingestion (the apply arm of
    /// [`crate::Event::TablesIngested`]).
    #[cfg(feature = "arrow")]
    pub(crate) fn replay_ingestion(&mut self, payload: IngestedTables) -> crate::Result<()> {
        if !(1..=PAYLOAD_VERSION).contains(&payload.version) {
            return Err(Error::UnsupportedFormat {
                format: "mutualis-ingested-tables".into(),
                version: payload.version,
                supported: "versions 1 and 2",
            });
        }
        let tables = Tables::from_ipc(&payload)?;
        self.ingest_tables(&tables, payload.mode, None, |_| Ok(payload))
            .map(drop)
    }

    /// Without the `arrow` feature a journalled ingestion cannot be replayed.
    #[cfg(not(feature = "arrow"))]
    pub(crate) fn replay_ingestion(&mut self, payload: IngestedTables) -> crate::Result<()> {
        let _ = payload;
        Err(Error::IngestRead {
            message:
                "this build of Mutualis has no `arrow` feature: it cannot replay ingested tables"
                    .into(),
        })
    }
}
