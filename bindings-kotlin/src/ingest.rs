//! Bulk ingestion of a user's tables (docs/ingest.md) from a folder of
//! Parquet or CSV files: `ingestParquet(dir, mode)`, `ingestCsv(dir, mode)`.

use mutualis as mx;

use crate::error::MutualisError;
use crate::registry::Mutualis;

/// How bad rows are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum IngestMode {
    /// The first bad row stops the ingestion; nothing changes.
    AllOrNothing,
    /// Bad rows are skipped and reported; the rest is ingested.
    Report,
}

impl From<IngestMode> for mx::ingest::IngestMode {
    fn from(m: IngestMode) -> Self {
        match m {
            IngestMode::AllOrNothing => mx::ingest::IngestMode::AllOrNothing,
            IngestMode::Report => mx::ingest::IngestMode::Report,
        }
    }
}

/// Rows given and ingested for one table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IngestTableCount {
    /// Table name.
    pub table: String,
    /// Rows given.
    pub rows: u64,
    /// Rows ingested.
    pub ingested: u64,
}

/// A row that was not ingested (report mode).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IngestRowError {
    /// Table name.
    pub table: String,
    /// Row number, from 1 (a CSV header is not counted).
    pub row: u64,
    /// The column at fault, if known.
    pub column: Option<String>,
    /// The error's kind (`unknown_work_order`…).
    pub kind: String,
    /// The error's message.
    pub message: String,
}

/// What an ingestion did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IngestReport {
    /// Per table given, in ingestion order.
    pub tables: Vec<IngestTableCount>,
    /// The rows skipped (report mode).
    pub errors: Vec<IngestRowError>,
}

impl From<mx::ingest::IngestReport> for IngestReport {
    fn from(r: mx::ingest::IngestReport) -> Self {
        IngestReport {
            tables: r
                .tables
                .iter()
                .map(|t| IngestTableCount {
                    table: t.table.to_owned(),
                    rows: t.rows as u64,
                    ingested: t.ingested as u64,
                })
                .collect(),
            errors: r
                .errors
                .iter()
                .map(|e| IngestRowError {
                    table: e.table.to_owned(),
                    row: e.row as u64,
                    column: e.column.map(str::to_owned),
                    kind: e.error.kind().to_owned(),
                    message: e.error.to_string(),
                })
                .collect(),
        }
    }
}

#[uniffi::export]
impl Mutualis {
    /// Ingests `dir/<table>.parquet` files (docs/ingest.md).
    pub fn ingest_parquet(
        &self,
        dir: String,
        mode: IngestMode,
    ) -> Result<IngestReport, MutualisError> {
        // read batch by batch while ingested: the tables are never all in memory
        self.write(|m| m.ingest_parquet_dir(&dir, mode.into(), None))
            .map(Into::into)
    }

    /// Ingests `dir/<table>.csv` files (docs/ingest.md).
    pub fn ingest_csv(&self, dir: String, mode: IngestMode) -> Result<IngestReport, MutualisError> {
        let tables = mx::ingest::Tables::from_csv_dir(dir)?;
        self.write(|m| m.ingest(&tables, mode.into(), None))
            .map(Into::into)
    }
}
