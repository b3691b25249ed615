//! Parquet export of the registry's tables (feature `parquet`):
//! [`Mutualis::write_parquet_dir`] writes `dir/<table>.parquet` for every
//! table of the bulk ingestion's documented schema (`docs/ingest.md`,
//! [`crate::ingest::TABLES`]: tenants, services, assets, custody, sharing
//! keys and their shares, suppliers, teams, labour and vehicle rates,
//! stores, items, work orders, cost lines), plus `ledger.parquet`, the cost
//! ledger (one row per payer's part, as `Reader::ledger_columns`).
//!
//! The files are what [`Mutualis::ingest_parquet_dir`] reads (it ignores
//! `ledger.parquet`), so an export ingested into an empty registry gives the
//! same cost lines and the same ledger; DuckDB, polars or Spark read them as
//! they are. Types: codes and text `utf8` (the ledger's codes
//! dictionary-encoded), dates `date32`, amounts `decimal128(18, 2)` from the
//! integer cents, quantities, unit costs, rates and areas `decimal128(38,
//! s)` with the largest scale a column's values have (at least 2), weights
//! and years `int64`/`int32`. Zstd-compressed.
//!
//! What the ingestion schema does not carry is not written: memberships,
//! ownership transfers, asset attributes, requests, the status history of
//! work orders (only the status reached), stock levels, agreements, budgets,
//! plans and the modules' own records; export the dataset (JSON) for a full
//! copy. Work orders and cost lines are written in batches of
//! [`BATCH_ROWS`] rows read from the registry's columns (no record per
//! line), so the export needs little memory beyond the registry.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{Field, Schema, SchemaRef};
use chrono::{Datelike, NaiveDate};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ids::{AssetId, TenantId};
use crate::work::{PerformerId, Provider};
use crate::Mutualis;

/// Rows per record batch of the work orders and cost lines.
pub const BATCH_ROWS: usize = 65_536;

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// A file written by [`Mutualis::write_parquet_dir`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedTable {
    /// Table name (the file is `<table>.parquet`).
    pub table: &'static str,
    /// Rows written.
    pub rows: usize,
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Storage {
        message: format!("writing {}: {e}", path.display()),
    }
}

fn date32(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - EPOCH_FROM_CE
}

/// The columns of one batch, in schema order.
struct Batch {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            fields: Vec::new(),
            arrays: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
    }

    fn text<'a>(&mut self, name: &str, values: impl Iterator<Item = Option<&'a str>>) {
        let mut b = StringBuilder::new();
        values.for_each(|v| b.append_option(v));
        self.push(name, Arc::new(b.finish()));
    }

    fn date(&mut self, name: &str, values: impl Iterator<Item = Option<NaiveDate>>) {
        let mut b = Date32Builder::new();
        values.for_each(|v| b.append_option(v.map(date32)));
        self.push(name, Arc::new(b.finish()));
    }

    fn int(&mut self, name: &str, values: impl Iterator<Item = i64>) {
        let mut b = Int64Builder::new();
        values.for_each(|v| b.append_value(v));
        self.push(name, Arc::new(b.finish()));
    }

    fn year(&mut self, name: &str, values: impl Iterator<Item = i32>) {
        let mut b = Int32Builder::new();
        values.for_each(|v| b.append_value(v));
        self.push(name, Arc::new(b.finish()));
    }

    /// Whole cents as `decimal128(18, 2)`.
    fn cents(&mut self, name: &str, values: impl Iterator<Item = Option<i64>>) -> Result<()> {
        let mut b = Decimal128Builder::new();
        values.for_each(|v| b.append_option(v.map(i128::from)));
        let a = b
            .finish()
            .with_precision_and_scale(18, 2)
            .map_err(arrow_error)?;
        self.push(name, Arc::new(a));
        Ok(())
    }

    /// Exact decimals at `scale` as `decimal128(38, scale)`.
    fn decimal(
        &mut self,
        name: &str,
        scale: u32,
        values: impl Iterator<Item = Option<Decimal>>,
    ) -> Result<()> {
        let mut b = Decimal128Builder::new();
        values.for_each(|v| {
            b.append_option(v.map(|mut d| {
                d.rescale(scale);
                d.mantissa()
            }));
        });
        let scale = i8::try_from(scale).unwrap_or(28);
        let a = b
            .finish()
            .with_precision_and_scale(38, scale)
            .map_err(arrow_error)?;
        self.push(name, Arc::new(a));
        Ok(())
    }

    fn finish(self) -> Result<RecordBatch> {
        let schema: SchemaRef = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.arrays).map_err(arrow_error)
    }
}

fn arrow_error(e: arrow_schema::ArrowError) -> Error {
    Error::InvalidField {
        field: "parquet export",
        reason: e.to_string(),
    }
}

/// The scale that holds every value exactly (at least 2).
fn scale_of(values: impl Iterator<Item = Decimal>) -> u32 {
    values.map(|d| d.scale()).fold(2, u32::max)
}

/// A dictionary column of codes from dense ids (`None` → null; an id past
/// the end of `codes` reads as [`crate::UNKNOWN_CODE`]).
fn id_codes(codes: Vec<&str>, ids: impl Iterator<Item = Option<u32>>) -> Result<ArrayRef> {
    let mut values = codes;
    let unknown = i32::try_from(values.len()).unwrap_or(i32::MAX);
    values.push(crate::UNKNOWN_CODE);
    let keys: Int32Array = ids
        .map(|id| id.map(|id| i32::try_from(id).map_or(unknown, |k| k.min(unknown))))
        .collect();
    let values: ArrayRef = Arc::new(StringArray::from(values));
    let d = DictionaryArray::<Int32Type>::try_new(keys, values).map_err(arrow_error)?;
    Ok(Arc::new(d))
}

/// A Parquet file being written batch by batch.
struct Out {
    path: std::path::PathBuf,
    writer: Option<ArrowWriter<File>>,
    rows: usize,
}

impl Out {
    fn new(dir: &Path, table: &str) -> Out {
        Out {
            path: dir.join(format!("{table}.parquet")),
            writer: None,
            rows: 0,
        }
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if self.writer.is_none() {
            let file = File::create(&self.path).map_err(|e| write_error(&self.path, e))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::default()))
                .build();
            let w = ArrowWriter::try_new(file, batch.schema(), Some(props))
                .map_err(|e| write_error(&self.path, e))?;
            self.writer = Some(w);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write(batch).map_err(|e| write_error(&self.path, e))?;
        }
        self.rows += batch.num_rows();
        Ok(())
    }

    fn close(self, table: &'static str) -> Result<ExportedTable> {
        if let Some(w) = self.writer {
            w.close().map_err(|e| write_error(&self.path, e))?;
        }
        Ok(ExportedTable {
            table,
            rows: self.rows,
        })
    }
}

/// Writes one table given whole.
fn write_one(dir: &Path, table: &'static str, batch: Batch) -> Result<ExportedTable> {
    let mut out = Out::new(dir, table);
    out.write(&batch.finish()?)?;
    out.close(table)
}

impl Mutualis {
    /// Writes the registry's tables as Parquet files in `dir` (created if
    /// missing), in the schema bulk ingestion reads (`docs/ingest.md`),
    /// plus `ledger.parquet`; see [`crate::parquet_out`]. Returns the files
    /// written, in ingestion order then the ledger.
    ///
    /// ```
    /// # #[cfg(feature = "parquet")] {
    /// use mutualis::{ingest::IngestMode, Mutualis};
    /// let m = Mutualis::new();
    /// let dir = std::env::temp_dir().join(format!("mutualis-doc-export-{}", std::process::id()));
    /// let files = m.write_parquet_dir(&dir).unwrap();
    /// assert_eq!(files.last().unwrap().table, "ledger");
    /// let mut copy = Mutualis::new();
    /// copy.ingest_parquet_dir(&dir, IngestMode::AllOrNothing, None).unwrap();
    /// assert!(copy.tenants().is_empty());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # }
    /// ```
    ///
    /// Errors: [`Error::Storage`] when the folder or a file cannot be
    /// written (the files already written stay).
    pub fn write_parquet_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<ExportedTable>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut out = Vec::with_capacity(15);
        out.push(write_one(dir, "tenants", self.tenants_batch())?);
        out.push(write_one(dir, "services", self.services_batch())?);
        out.push(write_one(dir, "assets", self.assets_batch()?)?);
        let (custody, keys, shares) = self.custody_batches()?;
        out.push(write_one(dir, "custody", custody)?);
        out.push(write_one(dir, "sharing_keys", keys)?);
        out.push(write_one(dir, "key_shares", shares)?);
        out.push(write_one(dir, "suppliers", self.suppliers_batch())?);
        out.push(write_one(dir, "teams", self.teams_batch())?);
        let (labour, vehicle) = self.rates_batches()?;
        out.push(write_one(dir, "labour_rates", labour)?);
        out.push(write_one(dir, "vehicle_rates", vehicle)?);
        out.push(write_one(dir, "stores", self.stores_batch())?);
        out.push(write_one(dir, "items", self.items_batch())?);
        out.push(self.write_work_orders(dir)?);
        out.push(self.write_cost_lines(dir)?);
        out.push(self.write_ledger(dir)?);
        Ok(out)
    }

    fn tenants_batch(&self) -> Batch {
        let t = self.tenants();
        let mut b = Batch::new();
        b.text("code", t.iter().map(|t| Some(t.code.as_str())));
        b.text("name", t.iter().map(|t| Some(t.name.as_str())));
        b.text("kind", t.iter().map(|t| Some(t.kind.as_str())));
        b.text("siren", t.iter().map(|t| Some(t.siren.as_str())));
        b.text(
            "insee",
            t.iter().map(|t| t.insee.as_ref().map(|i| i.as_str())),
        );
        b
    }

    fn services_batch(&self) -> Batch {
        let s = self.services();
        let mut b = Batch::new();
        b.text("tenant", s.iter().map(|s| Some(self.tenant_code(s.tenant))));
        b.text("code", s.iter().map(|s| Some(s.code.as_str())));
        b.text("name", s.iter().map(|s| Some(s.name.as_str())));
        b
    }

    fn assets_batch(&self) -> Result<Batch> {
        let a = self.assets();
        let service = |s: Option<crate::ids::ServiceId>| s.map(|s| self.service_codes(s));
        let mut b = Batch::new();
        b.text("code", a.iter().map(|a| Some(a.code.as_str())));
        b.text("name", a.iter().map(|a| Some(a.name.as_str())));
        b.text("kind", a.iter().map(|a| Some(a.kind.as_str())));
        b.text("owner", a.iter().map(|a| Some(self.tenant_code(a.owner))));
        b.text(
            "parent",
            a.iter().map(|a| a.parent.map(|p| self.asset_code(p))),
        );
        b.text(
            "service_tenant",
            a.iter().map(|a| service(a.service).map(|s| s.0)),
        );
        b.text("service", a.iter().map(|a| service(a.service).map(|s| s.1)));
        b.date("commissioned", a.iter().map(|a| Some(a.commissioned)));
        b.date("decommissioned", a.iter().map(|a| a.decommissioned));
        let scale = scale_of(a.iter().filter_map(|a| a.floor_area));
        b.decimal("floor_area", scale, a.iter().map(|a| a.floor_area))?;
        b.text("address", a.iter().map(|a| a.address.as_deref()));
        Ok(b)
    }

    /// Custody periods, sharing keys (identified `<asset>#<n>`, n from 1 per
    /// asset) and their shares.
    fn custody_batches(&self) -> Result<(Batch, Batch, Batch)> {
        let mut custody: Vec<(AssetId, TenantId, NaiveDate, Option<NaiveDate>)> = Vec::new();
        let mut keys: Vec<(String, AssetId, &'static str, NaiveDate, Option<NaiveDate>)> =
            Vec::new();
        let mut shares: Vec<(usize, TenantId, u64)> = Vec::new();
        for a in self.assets() {
            for c in self.custody.periods_of(a.id) {
                custody.push((a.id, c.beneficiary, c.period.from, c.period.to));
            }
            for (n, k) in self.custody.keys_of(a.id).iter().enumerate() {
                for s in &k.shares {
                    shares.push((keys.len(), s.tenant, s.weight));
                }
                keys.push((
                    format!("{}#{}", a.code, n + 1),
                    a.id,
                    k.basis.as_str(),
                    k.period.from,
                    k.period.to,
                ));
            }
        }
        let mut c = Batch::new();
        c.text("asset", custody.iter().map(|r| Some(self.asset_code(r.0))));
        c.text(
            "beneficiary",
            custody.iter().map(|r| Some(self.tenant_code(r.1))),
        );
        c.date("from", custody.iter().map(|r| Some(r.2)));
        c.date("to", custody.iter().map(|r| r.3));
        let mut k = Batch::new();
        k.text("key", keys.iter().map(|r| Some(r.0.as_str())));
        k.text("asset", keys.iter().map(|r| Some(self.asset_code(r.1))));
        k.text("basis", keys.iter().map(|r| Some(r.2)));
        k.date("from", keys.iter().map(|r| Some(r.3)));
        k.date("to", keys.iter().map(|r| r.4));
        let mut s = Batch::new();
        s.text(
            "key",
            shares.iter().map(|r| keys.get(r.0).map(|k| k.0.as_str())),
        );
        s.text("tenant", shares.iter().map(|r| Some(self.tenant_code(r.1))));
        s.int(
            "weight",
            shares
                .iter()
                .map(|r| i64::try_from(r.2).unwrap_or(i64::MAX)),
        );
        Ok((c, k, s))
    }

    fn suppliers_batch(&self) -> Batch {
        let s = self.suppliers();
        let categories: Vec<String> = s.iter().map(|s| s.categories.join(";")).collect();
        let mut b = Batch::new();
        b.text("code", s.iter().map(|s| Some(s.code.as_str())));
        b.text("name", s.iter().map(|s| Some(s.name.as_str())));
        b.text("siret", s.iter().map(|s| Some(s.siret.as_str())));
        b.text(
            "categories",
            categories
                .iter()
                .map(|c| Some(c.as_str()).filter(|c| !c.is_empty())),
        );
        b
    }

    fn teams_batch(&self) -> Batch {
        let t = self.teams();
        let mut b = Batch::new();
        b.text("code", t.iter().map(|t| Some(t.code.as_str())));
        b.text("tenant", t.iter().map(|t| Some(self.tenant_code(t.tenant))));
        b.text("name", t.iter().map(|t| Some(t.name.as_str())));
        b.text(
            "service",
            t.iter().map(|t| t.service.map(|s| self.service_codes(s).1)),
        );
        b
    }

    fn rates_batches(&self) -> Result<(Batch, Batch)> {
        let labour = self.labour_rates();
        let mut l = Batch::new();
        l.text("tenant", labour.iter().map(|r| Some(r.tenant.as_str())));
        l.year("year", labour.iter().map(|r| r.year));
        l.text("team", labour.iter().map(|r| r.team.as_deref()));
        l.text("grade", labour.iter().map(|r| r.grade.as_deref()));
        let scale = scale_of(labour.iter().map(|r| r.rate));
        l.decimal("rate", scale, labour.iter().map(|r| Some(r.rate)))?;
        let vehicle = self.vehicle_rates();
        let mut v = Batch::new();
        v.text(
            "vehicle",
            vehicle
                .iter()
                .map(|r| (!r.category).then_some(r.subject.as_str())),
        );
        v.text(
            "tenant",
            vehicle
                .iter()
                .map(|r| r.category.then_some(r.tenant.as_str())),
        );
        v.text(
            "category",
            vehicle
                .iter()
                .map(|r| r.category.then_some(r.subject.as_str())),
        );
        v.year("year", vehicle.iter().map(|r| r.year));
        v.text("unit", vehicle.iter().map(|r| Some(r.unit.as_str())));
        let scale = scale_of(vehicle.iter().map(|r| r.rate));
        v.decimal("rate", scale, vehicle.iter().map(|r| Some(r.rate)))?;
        Ok((l, v))
    }

    fn stores_batch(&self) -> Batch {
        let s = self.stores();
        let mut b = Batch::new();
        b.text("code", s.iter().map(|s| Some(s.code.as_str())));
        b.text("tenant", s.iter().map(|s| Some(self.tenant_code(s.tenant))));
        b.text("name", s.iter().map(|s| Some(s.name.as_str())));
        b
    }

    fn items_batch(&self) -> Batch {
        let i = self.items();
        let mut b = Batch::new();
        b.text("code", i.iter().map(|i| Some(i.code.as_str())));
        b.text("name", i.iter().map(|i| Some(i.name.as_str())));
        b.text("unit", i.iter().map(|i| Some(i.unit.as_str())));
        b
    }

    fn write_work_orders(&self, dir: &Path) -> Result<ExportedTable> {
        let w = &self.work_orders;
        let mut out = Out::new(dir, "work_orders");
        let mut tags = String::new();
        let mut tag_end: Vec<usize> = Vec::with_capacity(BATCH_ROWS.min(w.len()));
        let mut start = 0;
        loop {
            let end = (start + BATCH_ROWS).min(w.len());
            let rows = start..end;
            tags.clear();
            tag_end.clear();
            for i in rows.clone() {
                for (k, t) in w.tags(i).enumerate() {
                    if k > 0 {
                        tags.push(';');
                    }
                    tags.push_str(t);
                }
                tag_end.push(tags.len());
            }
            let tag = |i: usize| {
                let j = i - start;
                let from = if j == 0 { 0 } else { tag_end[j - 1] };
                Some(&tags[from..tag_end[j]]).filter(|t| !t.is_empty())
            };
            let service = |i: usize| w.service(i).map(|s| self.service_codes(s));
            let mut b = Batch::new();
            b.text("code", rows.clone().map(|i| Some(w.code(i))));
            b.text("title", rows.clone().map(|i| Some(w.title(i))));
            b.text(
                "asset",
                rows.clone().map(|i| Some(self.asset_code(w.asset(i)))),
            );
            b.text(
                "team",
                rows.clone().map(|i| match w.performer(i) {
                    PerformerId::Team(t) => Some(self.team_code(t)),
                    PerformerId::Supplier(_) => None,
                }),
            );
            b.text(
                "supplier",
                rows.clone().map(|i| match w.performer(i) {
                    PerformerId::Supplier(s) => Some(self.supplier_code(s)),
                    PerformerId::Team(_) => None,
                }),
            );
            b.text(
                "service_tenant",
                rows.clone().map(|i| service(i).map(|s| s.0)),
            );
            b.text("service", rows.clone().map(|i| service(i).map(|s| s.1)));
            b.text("tags", rows.clone().map(tag));
            b.text("association", rows.clone().map(|i| w.association(i)));
            b.date("planned_on", rows.clone().map(|i| w.planned_on(i)));
            b.text("status", rows.clone().map(|i| Some(w.status(i).as_str())));
            out.write(&b.finish()?)?;
            start = end;
            if start >= w.len() {
                break;
            }
        }
        out.close("work_orders")
    }

    fn write_cost_lines(&self, dir: &Path) -> Result<ExportedTable> {
        let l = &self.cost_lines;
        let n = l.len();
        // one scale per file: the largest the values need
        let q_scale = scale_of((0..n).map(|i| l.quantity(i)));
        let u_scale = scale_of((0..n).map(|i| l.unit_cost(i)));
        let mut out = Out::new(dir, "cost_lines");
        let mut start = 0;
        loop {
            let end = (start + BATCH_ROWS).min(n);
            let rows = start..end;
            let providers: Vec<Provider> = rows.clone().map(|i| l.provider(i)).collect();
            let p = |i: usize| &providers[i - start];
            let mut b = Batch::new();
            b.text(
                "work_order",
                rows.clone()
                    .map(|i| Some(self.work_orders.code(l.work_orders()[i] as usize))),
            );
            b.date("date", rows.clone().map(|i| Some(l.date(i))));
            b.text(
                "nature",
                rows.clone().map(|i| Some(l.nature_of(i).as_str())),
            );
            b.text(
                "team",
                rows.clone().map(|i| match *p(i) {
                    Provider::Team { team, .. } => Some(self.team_code(team)),
                    _ => None,
                }),
            );
            b.text(
                "store",
                rows.clone().map(|i| match *p(i) {
                    Provider::Store { store, .. } => Some(self.store_code(store)),
                    _ => None,
                }),
            );
            b.text(
                "item",
                rows.clone().map(|i| match *p(i) {
                    Provider::Store { item, .. } => Some(self.item_code(item)),
                    _ => None,
                }),
            );
            b.text(
                "vehicle",
                rows.clone().map(|i| match *p(i) {
                    Provider::Vehicle { vehicle, .. } => Some(self.asset_code(vehicle)),
                    _ => None,
                }),
            );
            b.text(
                "unit",
                rows.clone().map(|i| match *p(i) {
                    Provider::Vehicle { unit, .. } => Some(unit.as_str()),
                    _ => None,
                }),
            );
            b.text(
                "supplier",
                rows.clone().map(|i| match *p(i) {
                    Provider::Supplier(s) => Some(self.supplier_code(s)),
                    _ => None,
                }),
            );
            b.text("description", rows.clone().map(|i| Some(l.description(i))));
            b.decimal(
                "quantity",
                q_scale,
                rows.clone().map(|i| Some(l.quantity(i))),
            )?;
            b.decimal(
                "unit_cost",
                u_scale,
                rows.clone().map(|i| Some(l.unit_cost(i))),
            )?;
            b.cents("ht", rows.clone().map(|i| Some(l.ht_cents(i))))?;
            let rate_scale = 2;
            b.decimal(
                "vat_rate",
                rate_scale,
                rows.clone().map(|i| l.vat_rate(i).map(|r| r.percent())),
            )?;
            b.cents("vat", rows.clone().map(|i| Some(l.vat_cents(i))))?;
            b.cents("ttc", rows.clone().map(|i| Some(l.ttc_cents(i))))?;
            out.write(&b.finish()?)?;
            start = end;
            if start >= n {
                break;
            }
        }
        out.close("cost_lines")
    }

    /// The ledger: line, payer, performer, supplier, service
    /// ("TENANT/SERVICE"), nature, asset, work_order, date, ht, ttc.
    fn write_ledger(&self, dir: &Path) -> Result<ExportedTable> {
        let l = self.ledger_columns();
        let none = crate::ledger::NONE;
        let opt = |id: u32| (id != none).then_some(id);
        let tenants: Vec<&str> = self.tenants().iter().map(|t| t.code.as_str()).collect();
        let suppliers: Vec<&str> = self.suppliers().iter().map(|s| s.code.as_str()).collect();
        let services: Vec<String> = self
            .services()
            .iter()
            .map(|s| format!("{}/{}", self.tenant_code(s.tenant), s.code))
            .collect();
        let assets: Vec<&str> = self.assets().iter().map(|a| a.code.as_str()).collect();
        let orders: Vec<&str> = self.work_orders.codes().collect();
        let natures: Vec<&str> = crate::CostNature::ALL.iter().map(|n| n.as_str()).collect();
        let mut b = Batch::new();
        // an energy invoice's row has no cost line
        b.push(
            "line",
            Arc::new(UInt32Array::from_iter(l.line.iter().map(|&i| opt(i)))),
        );
        b.push(
            "payer",
            id_codes(tenants.clone(), l.payer.iter().map(|&i| opt(i)))?,
        );
        b.push(
            "performer",
            id_codes(tenants, l.performer.iter().map(|&i| opt(i)))?,
        );
        b.push(
            "supplier",
            id_codes(suppliers, l.supplier.iter().map(|&i| opt(i)))?,
        );
        b.push(
            "service",
            id_codes(
                services.iter().map(String::as_str).collect(),
                l.service.iter().map(|&i| opt(i)),
            )?,
        );
        b.push(
            "nature",
            id_codes(natures, l.nature.iter().map(|&n| Some(u32::from(n))))?,
        );
        b.push("asset", id_codes(assets, l.asset.iter().map(|&i| opt(i)))?);
        b.push(
            "work_order",
            id_codes(orders, l.work_order.iter().map(|&i| opt(i)))?,
        );
        let mut days = Date32Builder::with_capacity(l.day.len());
        l.day
            .iter()
            .for_each(|&d| days.append_value(d - EPOCH_FROM_CE));
        b.push("date", Arc::new(days.finish()));
        b.cents("ht", l.ht.iter().map(|&c| Some(c)))?;
        b.cents("ttc", l.ttc.iter().map(|&c| Some(c)))?;
        let mut out = Out::new(dir, "ledger");
        out.write(&b.finish()?)?;
        out.close("ledger")
    }
}

// the schema is the ingestion's: pinned by a test against TABLES
#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::DataType;

    #[test]
    fn every_exported_table_has_the_ingestion_columns_in_order() {
        let m = Mutualis::new();
        let dir =
            std::env::temp_dir().join(format!("mutualis-export-schema-{}", std::process::id()));
        let files = m.write_parquet_dir(&dir).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.table).collect();
        let mut expected: Vec<&str> = crate::ingest::TABLE_NAMES.to_vec();
        expected.push("ledger");
        assert_eq!(names, expected);
        for def in crate::ingest::TABLES {
            let file = File::open(dir.join(format!("{}.parquet", def.name))).unwrap();
            let reader =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .unwrap();
            let got: Vec<String> = reader
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            let want: Vec<&str> = def.columns.iter().map(|c| c.name).collect();
            assert_eq!(got, want, "{}", def.name);
            for (f, c) in reader.schema().fields().iter().zip(def.columns) {
                let ok = match c.kind {
                    crate::ingest::ColumnKind::Text => f.data_type() == &DataType::Utf8,
                    crate::ingest::ColumnKind::Date => f.data_type() == &DataType::Date32,
                    crate::ingest::ColumnKind::Integer => f.data_type().is_integer(),
                    crate::ingest::ColumnKind::Decimal => {
                        matches!(f.data_type(), DataType::Decimal128(..))
                    }
                };
                assert!(ok, "{}.{}: {:?}", def.name, c.name, f.data_type());
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
