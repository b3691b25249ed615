//! [`Tables`]: the record batches of each table, from Arrow, Parquet, CSV
//! or the journal's Arrow IPC form.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema};

use super::schema::{table_index, TABLES};
use super::{IngestMode, IngestedTables, IpcTable, PAYLOAD_VERSION};
use crate::error::{Error, Result};

/// Record batches per table name (docs/ingest.md), ready for
/// [`crate::Mutualis::ingest`]. Tables not given are simply not ingested.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// Batches per table, indexed like [`TABLES`].
    pub(crate) batches: Vec<Vec<RecordBatch>>,
}

fn read_error(what: impl std::fmt::Display, e: impl std::fmt::Display) -> Error {
    Error::IngestRead {
        message: format!("{what}: {e}"),
    }
}

const BATCH_ROWS: usize = 64 * 1024;

impl Tables {
    /// No tables.
    #[must_use]
    pub fn new() -> Tables {
        Tables {
            batches: vec![Vec::new(); TABLES.len()],
        }
    }

    /// Adds a batch of rows to `table`; rows of several batches of one
    /// table are numbered on from one batch to the next.
    ///
    /// Errors: [`Error::UnknownTable`].
    pub fn insert(&mut self, table: &str, batch: RecordBatch) -> Result<()> {
        let i = table_index(table).ok_or_else(|| Error::UnknownTable(table.to_owned()))?;
        if self.batches.len() != TABLES.len() {
            self.batches.resize(TABLES.len(), Vec::new());
        }
        self.batches[i].push(batch);
        Ok(())
    }

    /// The batches given for `table` (empty if none, or not a table).
    #[must_use]
    pub fn batches(&self, table: &str) -> &[RecordBatch] {
        table_index(table)
            .and_then(|i| self.batches.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of rows given for `table`.
    #[must_use]
    pub fn rows(&self, table: &str) -> usize {
        self.batches(table).iter().map(RecordBatch::num_rows).sum()
    }

    /// The names of the tables given, in ingestion order.
    #[must_use]
    pub fn names(&self) -> Vec<&'static str> {
        TABLES
            .iter()
            .zip(&self.batches)
            .filter(|(_, b)| !b.is_empty())
            .map(|(t, _)| t.name)
            .collect()
    }

    /// Reads `<table>.parquet` for every table of the schema found in `dir`
    /// (other files are ignored).
    ///
    /// Errors: [`Error::IngestRead`].
    #[cfg(feature = "parquet")]
    pub fn from_parquet_dir(dir: impl AsRef<Path>) -> Result<Tables> {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = dir.as_ref();
        check_dir(dir)?;
        let mut t = Tables::new();
        for (i, def) in TABLES.iter().enumerate() {
            let path = dir.join(format!("{}.parquet", def.name));
            if !path.exists() {
                continue;
            }
            let file = File::open(&path).map_err(|e| read_error(path.display(), e))?;
            let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
                .map_err(|e| read_error(path.display(), e))?;
            for batch in reader {
                t.batches[i].push(batch.map_err(|e| read_error(path.display(), e))?);
            }
        }
        Ok(t)
    }

    /// Reads `<table>.csv` for every table of the schema found in `dir`
    /// (RFC 4180, a header line, UTF-8; other files are ignored). Every
    /// column is read as text and parsed by the ingestion itself, so a bad
    /// value is reported at its row and column: row 1 is the first line
    /// after the header.
    ///
    /// Errors: [`Error::IngestRead`].
    pub fn from_csv_dir(dir: impl AsRef<Path>) -> Result<Tables> {
        let dir = dir.as_ref();
        check_dir(dir)?;
        let mut t = Tables::new();
        for (i, def) in TABLES.iter().enumerate() {
            let path = dir.join(format!("{}.csv", def.name));
            if !path.exists() {
                continue;
            }
            t.batches[i] = read_csv(&path)?;
        }
        Ok(t)
    }

    /// The tables as the journal keeps them: one LZ4-compressed Arrow IPC
    /// stream per table given.
    pub(crate) fn to_ipc(&self, mode: IngestMode) -> Result<IngestedTables> {
        use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
        use arrow_ipc::CompressionType;
        let mut tables = Vec::new();
        for (def, batches) in TABLES.iter().zip(&self.batches) {
            let Some(first) = batches.first() else {
                continue;
            };
            let enc = |e: arrow_schema::ArrowError| read_error(def.name, e);
            let options = IpcWriteOptions::default()
                .try_with_compression(Some(CompressionType::LZ4_FRAME))
                .map_err(enc)?;
            // batches of one table may differ in schema (several sources):
            // each schema change starts a new stream in the same table entry
            let mut bytes = Vec::new();
            let mut schema = first.schema();
            let mut w = StreamWriter::try_new_with_options(Vec::new(), &schema, options.clone())
                .map_err(enc)?;
            for b in batches {
                if b.schema() != schema {
                    bytes.extend(w.into_inner().map_err(enc)?);
                    schema = b.schema();
                    w = StreamWriter::try_new_with_options(Vec::new(), &schema, options.clone())
                        .map_err(enc)?;
                }
                w.write(b).map_err(enc)?;
            }
            w.finish().map_err(enc)?;
            bytes.extend(w.into_inner().map_err(enc)?);
            tables.push(IpcTable {
                name: def.name.to_owned(),
                ipc: bytes,
            });
        }
        Ok(IngestedTables {
            version: PAYLOAD_VERSION,
            mode,
            tables,
        })
    }

    /// The tables of a journalled ingestion.
    pub(crate) fn from_ipc(payload: &IngestedTables) -> Result<Tables> {
        use arrow_ipc::reader::StreamReader;
        let mut t = Tables::new();
        for table in &payload.tables {
            let i =
                table_index(&table.name).ok_or_else(|| Error::UnknownTable(table.name.clone()))?;
            let mut rest: &[u8] = &table.ipc;
            while !rest.is_empty() {
                let mut cursor = std::io::Cursor::new(rest);
                let reader = StreamReader::try_new(&mut cursor, None)
                    .map_err(|e| read_error(&table.name, e))?;
                for b in reader {
                    t.batches[i].push(b.map_err(|e| read_error(&table.name, e))?);
                }
                let used = usize::try_from(cursor.position()).unwrap_or(rest.len());
                if used == 0 {
                    break;
                }
                rest = &rest[used.min(rest.len())..];
            }
        }
        Ok(t)
    }
}

fn check_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(read_error(dir.display(), "not a directory"))
    }
}

fn read_csv(path: &Path) -> Result<Vec<RecordBatch>> {
    use arrow_csv::reader::{Format, ReaderBuilder};
    let open = || File::open(path).map_err(|e| read_error(path.display(), e));
    let format = Format::default().with_header(true);
    let (inferred, _) = format
        .infer_schema(open()?, Some(0))
        .map_err(|e| read_error(path.display(), e))?;
    let fields: Vec<Field> = inferred
        .fields()
        .iter()
        .map(|f| {
            Field::new(
                f.name().trim_start_matches('\u{feff}'),
                DataType::Utf8,
                true,
            )
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let reader = ReaderBuilder::new(schema)
        .with_format(format)
        .with_batch_size(BATCH_ROWS)
        .build(open()?)
        .map_err(|e| read_error(path.display(), e))?;
    reader
        .map(|b| b.map_err(|e| read_error(path.display(), e)))
        .collect()
}
