//! [`Tables`]: the record batches of each table, from Arrow, Parquet, CSV
//! or the journal's Arrow IPC form.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema};

use super::schema::{table_index, TABLES};
use super::{IngestMode, IngestedTables, IpcTable};
use crate::error::{Error, Result};

/// Record batches per table name (docs/ingest.md), ready for
/// [`crate::Mutualis::ingest`]. Tables not given are simply not ingested.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// Batches per table, indexed like [`TABLES`].
    pub(crate) batches: Vec<Vec<RecordBatch>>,
    /// The Parquet file each table was read from, byte for byte, when it
    /// was read whole from one ([`Tables::from_parquet_dir`]): the journal
    /// keeps these bytes instead of encoding the batches again (indexed
    /// like [`TABLES`]; absent or `None`: no source).
    #[cfg(feature = "parquet")]
    sources: Vec<Option<bytes::Bytes>>,
}

fn read_error(what: impl std::fmt::Display, e: impl std::fmt::Display) -> Error {
    Error::IngestRead {
        message: format!("{what}: {e}"),
    }
}

const BATCH_ROWS: usize = 16 * 1024;

/// Rows per row group of the journal's Parquet form.
#[cfg(feature = "parquet")]
const JOURNAL_ROW_GROUP: usize = 256 * 1024;

impl Tables {
    /// No tables.
    #[must_use]
    pub fn new() -> Tables {
        Tables {
            batches: vec![Vec::new(); TABLES.len()],
            #[cfg(feature = "parquet")]
            sources: Vec::new(),
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
        // the table is no longer its file's rows alone
        #[cfg(feature = "parquet")]
        if let Some(s) = self.sources.get_mut(i) {
            *s = None;
        }
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
        let dir = dir.as_ref();
        check_dir(dir)?;
        let mut t = Tables::new();
        for (i, def) in TABLES.iter().enumerate() {
            let path = dir.join(format!("{}.parquet", def.name));
            if !path.exists() {
                continue;
            }
            let mut s = ParquetStream::open(i, &path)?;
            while let Some(b) = s.next_batch()? {
                t.batches[i].push(b);
            }
            t.set_source(i, s.file());
        }
        Ok(t)
    }

    /// Notes that table `i`'s batches are the rows of the Parquet file
    /// `bytes`, which the journal then keeps as they are.
    #[cfg(feature = "parquet")]
    fn set_source(&mut self, i: usize, bytes: bytes::Bytes) {
        self.sources.resize(TABLES.len(), None);
        self.sources[i] = Some(bytes);
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

    /// The tables as the journal keeps them (payload version 2 with the
    /// `parquet` feature: a table read from a Parquet file is that file,
    /// byte for byte; another is encoded as parts; version 1 without it:
    /// LZ4-compressed Arrow IPC streams).
    pub(crate) fn to_ipc(&self, mode: IngestMode) -> Result<IngestedTables> {
        let mut tables = Vec::new();
        for (i, (def, batches)) in TABLES.iter().zip(&self.batches).enumerate() {
            if batches.is_empty() {
                continue;
            }
            #[cfg(feature = "parquet")]
            if let Some(Some(source)) = self.sources.get(i) {
                let mut ipc = Vec::with_capacity(PART_HEADER + source.len());
                ipc.extend_from_slice(&part_header(PART_PARQUET, source.len()));
                ipc.extend_from_slice(source);
                tables.push(IpcTable {
                    name: def.name.to_owned(),
                    ipc,
                });
                continue;
            }
            let _ = i;
            let mut sink = IpcSink::new(def.name);
            for b in batches {
                sink.write(b)?;
            }
            tables.push(sink.finish()?);
        }
        Ok(IngestedTables {
            version: WRITTEN_VERSION,
            mode,
            tables,
        })
    }

    /// The tables of a journalled ingestion (payload version 1 or 2).
    pub(crate) fn from_ipc(payload: &IngestedTables) -> Result<Tables> {
        let mut t = Tables::new();
        for table in &payload.tables {
            let i =
                table_index(&table.name).ok_or_else(|| Error::UnknownTable(table.name.clone()))?;
            if payload.version >= 2 {
                read_parts(&table.name, &table.ipc, &mut t.batches[i])?;
            } else {
                read_ipc_streams(&table.name, &table.ipc, &mut t.batches[i])?;
            }
        }
        Ok(t)
    }
}

/// The payload version the journal's tables are written in: 2 (each table
/// as framed parts, Parquet where its types allow) with the `parquet`
/// feature, else 1 (Arrow IPC streams).
#[cfg(feature = "parquet")]
pub(crate) const WRITTEN_VERSION: u32 = 2;
/// The payload version the journal's tables are written in (1: Arrow IPC
/// streams; a build with the `parquet` feature writes version 2).
#[cfg(not(feature = "parquet"))]
pub(crate) const WRITTEN_VERSION: u32 = 1;

/// The text columns of the journal's Parquet parts written without a
/// dictionary: a work order's code (unique) and a cost line's work order (a
/// few lines per order).
#[cfg(feature = "parquet")]
const UNIQUE_CODES: [(&str, &str); 2] = [("work_orders", "code"), ("cost_lines", "work_order")];

/// A part of a version-2 table: a Parquet file.
const PART_PARQUET: u8 = b'P';
/// The header of a version-2 part: its kind byte and its length.
const PART_HEADER: usize = 9;

/// The header of a version-2 part of `kind` and `len` bytes.
fn part_header(kind: u8, len: usize) -> [u8; PART_HEADER] {
    let mut h = [0; PART_HEADER];
    h[0] = kind;
    h[1..].copy_from_slice(&(len as u64).to_le_bytes());
    h
}
/// A part of a version-2 table: an LZ4-compressed Arrow IPC stream.
const PART_IPC: u8 = b'I';

enum PartWriter {
    Ipc(arrow_ipc::writer::StreamWriter<Vec<u8>>),
    #[cfg(feature = "parquet")]
    Parquet(parquet::arrow::ArrowWriter<Vec<u8>>),
}

/// One table's journal form written batch by batch, a new part at each
/// change of schema. Version 1 (without the `parquet` feature): the parts
/// are LZ4-compressed Arrow IPC streams, one after the other. Version 2:
/// each part is a kind byte (`P` a Parquet file, zstd, dictionaries; `I`
/// an IPC stream, for the types Parquet cannot hold), its length (`u64`,
/// little-endian) and its bytes — about a third of the IPC's size.
pub(crate) struct IpcSink {
    name: &'static str,
    /// The parts closed, then (while a part is open) inside its writer.
    bytes: Vec<u8>,
    /// Where the open part's header starts in the bytes.
    start: usize,
    writer: Option<(arrow_schema::SchemaRef, PartWriter)>,
}

impl IpcSink {
    pub(crate) fn new(name: &'static str) -> IpcSink {
        IpcSink {
            name,
            bytes: Vec::new(),
            start: 0,
            writer: None,
        }
    }

    fn enc(&self) -> impl Fn(arrow_schema::ArrowError) -> Error + '_ {
        move |e| read_error(self.name, e)
    }

    /// The bytes a new part is appended to, its header reserved.
    fn part_buffer(&mut self) -> Vec<u8> {
        let mut buf = std::mem::take(&mut self.bytes);
        self.start = buf.len();
        if WRITTEN_VERSION >= 2 {
            buf.extend_from_slice(&[0; PART_HEADER]);
        }
        buf
    }

    fn ipc_writer(&self, buf: Vec<u8>, schema: &arrow_schema::SchemaRef) -> Result<PartWriter> {
        use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
        use arrow_ipc::CompressionType;
        let options = IpcWriteOptions::default()
            .try_with_compression(Some(CompressionType::LZ4_FRAME))
            .map_err(self.enc())?;
        let w = StreamWriter::try_new_with_options(buf, schema, options).map_err(self.enc())?;
        Ok(PartWriter::Ipc(w))
    }

    #[cfg(feature = "parquet")]
    fn part_writer(&self, buf: Vec<u8>, schema: &arrow_schema::SchemaRef) -> Result<PartWriter> {
        use parquet::basic::{Compression, ZstdLevel};
        use parquet::file::properties::{EnabledStatistics, WriterProperties};
        // a type Parquet cannot hold keeps this part in Arrow IPC
        if parquet::arrow::ArrowSchemaConverter::new()
            .convert(schema)
            .is_err()
        {
            return self.ipc_writer(buf, schema);
        }
        let mut props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_statistics_enabled(EnabledStatistics::None)
            .set_max_row_group_row_count(Some(JOURNAL_ROW_GROUP));
        // amounts: their bytes split in streams compress far better (the
        // high bytes are zeros) than a dictionary of distinct amounts
        for f in schema.fields() {
            let col = parquet::schema::types::ColumnPath::from(f.name().as_str());
            if matches!(f.data_type(), DataType::Decimal128(..)) {
                props = props
                    .set_column_dictionary_enabled(col.clone(), false)
                    .set_column_encoding(col, parquet::basic::Encoding::BYTE_STREAM_SPLIT);
            } else if UNIQUE_CODES.contains(&(self.name, f.name().as_str())) {
                // codes (nearly) unique per row: a dictionary would intern
                // every value only to overflow; plain then zstd is smaller
                // and about a third faster to write at a million orders
                props = props.set_column_dictionary_enabled(col, false);
            }
        }
        let props = props.build();
        let w = parquet::arrow::ArrowWriter::try_new(buf, schema.clone(), Some(props))
            .map_err(|e| read_error(self.name, e))?;
        Ok(PartWriter::Parquet(w))
    }

    #[cfg(not(feature = "parquet"))]
    fn part_writer(&self, buf: Vec<u8>, schema: &arrow_schema::SchemaRef) -> Result<PartWriter> {
        self.ipc_writer(buf, schema)
    }

    /// Appends a batch.
    pub(crate) fn write(&mut self, b: &RecordBatch) -> Result<()> {
        if self.writer.as_ref().is_some_and(|(s, _)| *s != b.schema()) {
            self.close()?;
        }
        if self.writer.is_none() {
            let schema = b.schema();
            let buf = self.part_buffer();
            let w = self.part_writer(buf, &schema)?;
            self.writer = Some((schema, w));
        }
        let name = self.name;
        match self.writer.as_mut().map(|(_, w)| w) {
            Some(PartWriter::Ipc(w)) => w.write(b).map_err(|e| read_error(name, e))?,
            #[cfg(feature = "parquet")]
            Some(PartWriter::Parquet(w)) => w.write(b).map_err(|e| read_error(name, e))?,
            None => {}
        }
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        let (kind, mut buf) = match self.writer.take() {
            None => return Ok(()),
            Some((_, PartWriter::Ipc(mut w))) => {
                w.finish().map_err(self.enc())?;
                (PART_IPC, w.into_inner().map_err(self.enc())?)
            }
            #[cfg(feature = "parquet")]
            Some((_, PartWriter::Parquet(w))) => (
                PART_PARQUET,
                w.into_inner().map_err(|e| read_error(self.name, e))?,
            ),
        };
        if WRITTEN_VERSION >= 2 {
            let len = buf.len() - self.start - PART_HEADER;
            buf[self.start..self.start + PART_HEADER].copy_from_slice(&part_header(kind, len));
        }
        self.bytes = buf;
        Ok(())
    }

    /// The table's entry.
    pub(crate) fn finish(mut self) -> Result<IpcTable> {
        self.close()?;
        self.bytes.shrink_to_fit();
        Ok(IpcTable {
            name: self.name.to_owned(),
            ipc: self.bytes,
        })
    }
}

/// Reads the concatenated IPC streams of `bytes` into `out`.
fn read_ipc_streams(name: &str, bytes: &[u8], out: &mut Vec<RecordBatch>) -> Result<()> {
    use arrow_ipc::reader::StreamReader;
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut cursor = std::io::Cursor::new(rest);
        let reader = StreamReader::try_new(&mut cursor, None).map_err(|e| read_error(name, e))?;
        for b in reader {
            out.push(b.map_err(|e| read_error(name, e))?);
        }
        let used = usize::try_from(cursor.position()).unwrap_or(rest.len());
        if used == 0 {
            break;
        }
        rest = &rest[used.min(rest.len())..];
    }
    Ok(())
}

/// Reads the parts of a version-2 table into `out`.
fn read_parts(name: &str, bytes: &[u8], out: &mut Vec<RecordBatch>) -> Result<()> {
    let mut rest = bytes;
    while let Some((&kind, tail)) = rest.split_first() {
        let (len, tail) = match tail.split_first_chunk::<8>() {
            Some((len, tail)) => (u64::from_le_bytes(*len), tail),
            None => return Err(read_error(name, "truncated part header")),
        };
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= tail.len())
            .ok_or_else(|| {
                read_error(
                    name,
                    format!("part of {len} bytes, only {} left", tail.len()),
                )
            })?;
        let (part, tail) = tail.split_at(len);
        match kind {
            PART_IPC => read_ipc_streams(name, part, out)?,
            PART_PARQUET => read_parquet_part(name, part, out)?,
            k => return Err(read_error(name, format!("unknown part kind {k}"))),
        }
        rest = tail;
    }
    Ok(())
}

#[cfg(feature = "parquet")]
fn read_parquet_part(name: &str, part: &[u8], out: &mut Vec<RecordBatch>) -> Result<()> {
    // read as the user's file was (a source file is kept as it is)
    let reader = parquet_builder(name, bytes::Bytes::copy_from_slice(part))
        .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
        .map_err(|e| read_error(name, e))?;
    for b in reader {
        out.push(b.map_err(|e| read_error(name, e))?);
    }
    Ok(())
}

#[cfg(not(feature = "parquet"))]
fn read_parquet_part(name: &str, _: &[u8], _: &mut Vec<RecordBatch>) -> Result<()> {
    Err(read_error(
        name,
        "this build of Mutualis has no `parquet` feature: it cannot read the journal's Parquet form of ingested tables",
    ))
}

/// The text columns of a user's Parquet file read as dictionaries (Arrow
/// `Dictionary(Int32, Utf8)`): columns of few distinct values, which the
/// Parquet pages usually hold as dictionaries. Read so, they are not
/// copied value by value into each batch, and the ingestion resolves each
/// distinct value once per dictionary (a work order's asset, a line's
/// nature and provider), not once per row. (A column chunk that is not
/// dictionary-encoded still reads, at the cost of building a dictionary.)
#[cfg(feature = "parquet")]
const DICTIONARY_COLUMNS: [(&str, &str); 13] = [
    ("work_orders", "asset"),
    ("work_orders", "team"),
    ("work_orders", "supplier"),
    ("work_orders", "service_tenant"),
    ("work_orders", "service"),
    ("work_orders", "status"),
    ("cost_lines", "nature"),
    ("cost_lines", "team"),
    ("cost_lines", "store"),
    ("cost_lines", "item"),
    ("cost_lines", "vehicle"),
    ("cost_lines", "unit"),
    ("cost_lines", "supplier"),
];

/// A reader of a user's Parquet file for `table`, its
/// [`DICTIONARY_COLUMNS`] given as plain text read as dictionaries.
#[cfg(feature = "parquet")]
fn parquet_builder<R: parquet::file::reader::ChunkReader + 'static>(
    table: &str,
    file: R,
) -> parquet::errors::Result<parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<R>> {
    use parquet::arrow::arrow_reader::{
        ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
    };
    let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())?;
    // the columns the table's schema knows, and only those, are decoded
    // (a column it does not know is ignored: not read at all)
    let known: Vec<usize> = match table_index(table) {
        Some(t) => meta
            .schema()
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| TABLES[t].columns.iter().any(|c| c.name == f.name()))
            .map(|(i, _)| i)
            .collect(),
        None => (0..meta.schema().fields().len()).collect(),
    };
    let project = |b: ParquetRecordBatchReaderBuilder<R>| {
        if known.len() == b.schema().fields().len() {
            b
        } else {
            let mask = parquet::arrow::ProjectionMask::roots(b.parquet_schema(), known.clone());
            b.with_projection(mask)
        }
    };
    let schema = meta.schema();
    let hinted = schema.fields().iter().any(|f| {
        f.data_type() == &DataType::Utf8 && DICTIONARY_COLUMNS.contains(&(table, f.name().as_str()))
    });
    if !hinted {
        return Ok(project(ParquetRecordBatchReaderBuilder::new_with_metadata(
            file, meta,
        )));
    }
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| {
            if f.data_type() == &DataType::Utf8
                && DICTIONARY_COLUMNS.contains(&(table, f.name().as_str()))
            {
                Field::new_dictionary(f.name(), DataType::Int32, DataType::Utf8, f.is_nullable())
                    .with_metadata(f.metadata().clone())
            } else {
                f.as_ref().clone()
            }
        })
        .collect();
    let hint = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let options = ArrowReaderOptions::new().with_schema(hint);
    let meta = ArrowReaderMetadata::try_new(meta.metadata().clone(), options)?;
    Ok(project(ParquetRecordBatchReaderBuilder::new_with_metadata(
        file, meta,
    )))
}

/// A Parquet file read batch by batch, from its bytes read once: the
/// journal keeps these bytes as the table's part
/// ([`ParquetStream::into_journal`]), so the rows are not encoded again.
#[cfg(feature = "parquet")]
pub(crate) struct ParquetStream {
    pub(crate) table: usize,
    pub(crate) rows: usize,
    pub(crate) schema: arrow_schema::SchemaRef,
    pub(crate) path: std::path::PathBuf,
    /// The reader (dropped once the rows are read: it shares the bytes).
    reader: Option<parquet::arrow::arrow_reader::ParquetRecordBatchReader>,
    /// A part's header, then the file's bytes.
    part: bytes::Bytes,
}

#[cfg(feature = "parquet")]
impl ParquetStream {
    /// Reads `path` for table `table` (its row count from the metadata).
    pub(crate) fn open(table: usize, path: &Path) -> Result<ParquetStream> {
        use std::io::Read;
        let mut file = File::open(path).map_err(|e| read_error(path.display(), e))?;
        let len = file
            .metadata()
            .map_or(0, |m| usize::try_from(m.len()).unwrap_or(0));
        // the file's bytes after a part's header, read in place: the part
        // is the journal's copy as it is
        let mut buf = Vec::new();
        buf.try_reserve_exact(PART_HEADER + len)
            .map_err(|e| read_error(path.display(), e))?;
        buf.extend_from_slice(&[0; PART_HEADER]);
        file.read_to_end(&mut buf)
            .map_err(|e| read_error(path.display(), e))?;
        let header = part_header(PART_PARQUET, buf.len() - PART_HEADER);
        buf[..PART_HEADER].copy_from_slice(&header);
        let part = bytes::Bytes::from(buf);
        let builder = parquet_builder(TABLES[table].name, part.slice(PART_HEADER..))
            .map_err(|e| read_error(path.display(), e))?;
        let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
        let schema = builder.schema().clone();
        let reader = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| read_error(path.display(), e))?;
        Ok(ParquetStream {
            table,
            rows,
            schema,
            path: path.to_owned(),
            reader: Some(reader),
            part,
        })
    }

    /// The next batch, if any.
    pub(crate) fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(None);
        };
        let next = reader
            .next()
            .transpose()
            .map_err(|e| read_error(self.path.display(), e))?;
        if next.is_none() {
            self.reader = None;
        }
        Ok(next)
    }

    /// The file's bytes (shared, not copied).
    pub(crate) fn file(&self) -> bytes::Bytes {
        self.part.slice(PART_HEADER..)
    }

    /// The journal's copy of the table: the file's bytes as one Parquet
    /// part (without a copy once the reader is done with them).
    pub(crate) fn into_journal(mut self) -> IpcTable {
        self.reader = None;
        IpcTable {
            name: TABLES[self.table].name.to_owned(),
            ipc: Vec::from(self.part),
        }
    }
}

/// The tables of `dir` read whole, except the largest (work orders and cost
/// lines), opened to be read batch by batch while they are ingested.
#[cfg(feature = "parquet")]
pub(crate) fn parquet_dir_streams(dir: &Path) -> Result<(Tables, Vec<ParquetStream>)> {
    check_dir(dir)?;
    let mut t = Tables::new();
    let mut streams = Vec::new();
    for (i, def) in TABLES.iter().enumerate() {
        let path = dir.join(format!("{}.parquet", def.name));
        if !path.exists() {
            continue;
        }
        let mut s = ParquetStream::open(i, &path)?;
        if def.name == "work_orders" || def.name == "cost_lines" {
            streams.push(s);
        } else {
            while let Some(b) = s.next_batch()? {
                t.batches[i].push(b);
            }
            t.set_source(i, s.file());
        }
    }
    Ok((t, streams))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestMode;
    use crate::{Event, Mutualis};
    use arrow_array::{ArrayRef, StringArray};

    fn tenants() -> Tables {
        let col = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
        let batch = RecordBatch::try_from_iter([
            ("code", col(&["ROANNE", "MABLY"])),
            ("name", col(&["Roanne", "Mably"])),
            ("kind", col(&["commune", "commune"])),
            ("siren", col(&["214218703", "214201261"])),
            ("insee", col(&["42187", "42127"])),
        ])
        .unwrap();
        let mut t = Tables::new();
        t.insert("tenants", batch).unwrap();
        t
    }

    #[test]
    fn a_version_1_payload_of_ipc_streams_still_replays() {
        use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
        let t = tenants();
        let b = &t.batches[table_index("tenants").unwrap()][0];
        let options = IpcWriteOptions::default()
            .try_with_compression(Some(arrow_ipc::CompressionType::LZ4_FRAME))
            .unwrap();
        let mut w = StreamWriter::try_new_with_options(Vec::new(), &b.schema(), options).unwrap();
        w.write(b).unwrap();
        w.finish().unwrap();
        let payload = IngestedTables {
            version: 1,
            mode: IngestMode::AllOrNothing,
            tables: vec![IpcTable {
                name: "tenants".into(),
                ipc: w.into_inner().unwrap(),
            }],
        };
        let mut old = Mutualis::new();
        old.apply(Event::TablesIngested { tables: payload })
            .unwrap();
        let mut new = Mutualis::new();
        new.ingest(&t, IngestMode::AllOrNothing, None).unwrap();
        assert_eq!(old.tenants(), new.tenants());
        assert_eq!(old.tenants().len(), 2);
        match &new.journal()[0].event {
            Event::TablesIngested { tables } => {
                assert_eq!(tables.version, WRITTEN_VERSION);
                #[cfg(feature = "parquet")]
                assert_eq!(tables.tables[0].ipc[0], PART_PARQUET);
            }
            e => panic!("unexpected event {e:?}"),
        }
        assert_eq!(Mutualis::replay(new.journal()).unwrap(), new);
    }

    #[test]
    fn a_change_of_schema_starts_a_new_part() {
        let col = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
        let a = RecordBatch::try_from_iter([("code", col(&["A", "B"]))]).unwrap();
        let b = RecordBatch::try_from_iter([("code", col(&["C"])), ("name", col(&["c"]))]).unwrap();
        let mut sink = IpcSink::new("tenants");
        for batch in [&a, &a, &b, &a] {
            sink.write(batch).unwrap();
        }
        let payload = IngestedTables {
            version: WRITTEN_VERSION,
            mode: IngestMode::Report,
            tables: vec![sink.finish().unwrap()],
        };
        let back = Tables::from_ipc(&payload).unwrap();
        let got = &back.batches[table_index("tenants").unwrap()];
        let rows: Vec<(usize, usize)> = got
            .iter()
            .map(|x| (x.num_rows(), x.num_columns()))
            .collect();
        // a Parquet part may regroup its rows in batches; the schemas and
        // rows come back in order
        let total: Vec<usize> = got.iter().map(RecordBatch::num_rows).collect();
        assert_eq!(total.iter().sum::<usize>(), 7, "{rows:?}");
        assert_eq!(got.last().unwrap().num_rows(), 2);
        assert_eq!(got.last().unwrap().num_columns(), 1);
        assert!(got
            .iter()
            .any(|x| x.num_columns() == 2 && x.num_rows() == 1));
    }

    #[test]
    fn damaged_parts_are_refused_not_panicking() {
        let mut m = Mutualis::new();
        m.ingest(&tenants(), IngestMode::AllOrNothing, None)
            .unwrap();
        let Event::TablesIngested { tables } = &m.journal()[0].event else {
            panic!("not an ingestion")
        };
        let good = tables.clone();
        for cut in [1, 5, 9, 20, good.tables[0].ipc.len() - 1] {
            let mut bad = good.clone();
            bad.tables[0].ipc.truncate(cut);
            assert!(Tables::from_ipc(&bad).is_err(), "cut at {cut}");
        }
        let mut bad = good.clone();
        bad.tables[0].ipc[0] = b'?';
        assert!(Tables::from_ipc(&bad).is_err());
    }
}
