//! Applying ingested tables through the registry's commands, table by
//! table in schema order, row by row.

// A row's error carries the crate's (large) Error, as every command does.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use arrow_array::RecordBatch;

use super::columns::{Batch, Cell, Column, KeyCache, Places, RawDecs};
use super::schema::TABLES;
use super::{IngestMode, IngestReport, IngestedTables, IpcTable, RowError, TableCount, Tables};
use crate::assets::{AssetKind, NewAsset, ServiceRef};
use crate::custody::KeyBasis;
use crate::error::{Error, Result};
use crate::ids::{AssetId, ServiceId, SupplierId, TeamId, WorkOrderId};
use crate::journal::Event;
use crate::lines::NewLine;
use crate::money::{round_cents, VatLine, VatRate};
use crate::orders::NewOrder;
use crate::period::Period;
use crate::rates::UsageUnit;
use crate::stock::NewItem;
use crate::suppliers::NewSupplier;
use crate::tenancy::{NewTenant, TenantKind};
use crate::work::{
    check_order_head, recorded_new_line, CostNature, PerformerId, Provider, RecordedLine,
    WorkOrderStatus,
};
use crate::Mutualis;

/// Bookkeeping of one ingestion: mode, report, progress.
struct Run<'p> {
    mode: IngestMode,
    report: IngestReport,
    progress: Option<&'p mut dyn FnMut(usize, usize)>,
    done: usize,
    total: usize,
    /// The last table counted and its index in the report.
    counted: Option<(&'static str, usize)>,
    /// The work orders' assets resolved, per value of a dictionary column.
    order_assets: KeyCache<AssetId>,
    /// The cost lines' vehicles resolved, per value of a dictionary column.
    vehicles: KeyCache<AssetId>,
    /// The cost lines' dates and VAT rates already read (the amount checks).
    cents: CentsMemo,
}

impl Run<'_> {
    /// Handles the outcome of one row: counts it, or reports it (report
    /// mode), or stops the ingestion (all-or-nothing).
    fn row<T>(&mut self, table: &'static str, row: usize, r: Result<T, Cell>) -> Result<Option<T>> {
        self.done += 1;
        if self.done.is_multiple_of(1024) {
            if let Some(p) = self.progress.as_mut() {
                p(self.done, self.total);
            }
        }
        match r {
            Ok(v) => {
                // the table's count, found once per run of rows of one table
                let k = match self.counted {
                    Some((t, k)) if std::ptr::eq(t, table) => Some(k),
                    _ => {
                        let k = self.report.tables.iter().position(|c| c.table == table);
                        self.counted = k.map(|k| (table, k));
                        k
                    }
                };
                if let Some(c) = k.and_then(|k| self.report.tables.get_mut(k)) {
                    c.ingested += 1;
                }
                Ok(Some(v))
            }
            Err(Cell(column, error)) => match self.mode {
                IngestMode::AllOrNothing => Err(Error::IngestRow {
                    table,
                    row,
                    column,
                    error: Box::new(error),
                }),
                IngestMode::Report => {
                    self.report.errors.push(RowError {
                        table,
                        row,
                        column,
                        error,
                    });
                    Ok(None)
                }
            },
        }
    }
}

/// Where a streamed table's batches come from, and its journal copy.
trait BatchSource {
    /// The next batch, if any.
    fn next_batch(&mut self) -> Result<Option<RecordBatch>>;
    /// The journal's copy of the rows read.
    fn into_journal(self: Box<Self>) -> IpcTable;
}

#[cfg(feature = "parquet")]
impl BatchSource for super::tables::ParquetStream {
    fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        super::tables::ParquetStream::next_batch(self)
    }
    fn into_journal(self: Box<Self>) -> IpcTable {
        super::tables::ParquetStream::into_journal(*self)
    }
}

/// A table read batch by batch while it is ingested.
struct Stream<'s> {
    /// Index in [`TABLES`].
    table: usize,
    /// Rows announced (the file's metadata).
    rows: usize,
    schema: arrow_schema::SchemaRef,
    source: Box<dyn BatchSource + 's>,
}

/// The semicolon-separated list in a text cell.
fn list(s: Option<&str>) -> impl Iterator<Item = &str> {
    s.unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

/// The column a command's error is about, for the report.
fn blame(table: &str, e: &Error) -> Option<&'static str> {
    Some(match (table, e) {
        (_, Error::InvalidSiren { .. }) => "siren",
        (_, Error::InvalidSiret { .. }) => "siret",
        (_, Error::InvalidInsee { .. }) => "insee",
        (_, Error::DuplicateTenant(_) | Error::DuplicateAsset(_) | Error::DuplicateSupplier(_))
        | (_, Error::DuplicateTeam(_) | Error::DuplicateStore(_) | Error::DuplicateItem(_))
        | (_, Error::DuplicateWorkOrder(_) | Error::DuplicateService { .. }) => "code",
        ("assets", Error::UnknownTenant(_)) => "owner",
        ("assets", Error::UnknownAsset(_) | Error::AssetCycle { .. }) => "parent",
        ("assets" | "work_orders", Error::UnknownService { .. }) => "service",
        ("custody", Error::UnknownTenant(_) | Error::CustodyToOwner { .. }) => "beneficiary",
        ("custody" | "sharing_keys", Error::UnknownAsset(_)) => "asset",
        ("custody" | "sharing_keys", Error::DatesOutOfOrder { .. }) => "to",
        ("custody" | "sharing_keys", Error::CustodyOverlap { .. } | Error::KeyOverlap { .. }) => {
            "from"
        }
        ("teams", Error::UnknownService { .. }) => "service",
        ("work_orders", Error::UnknownAsset(_)) => "asset",
        (_, Error::UnknownTeam(_)) => "team",
        (_, Error::UnknownSupplier(_)) => "supplier",
        (_, Error::UnknownStore(_)) => "store",
        (_, Error::UnknownItem(_)) => "item",
        ("vehicle_rates" | "cost_lines", Error::UnknownAsset(_)) => "vehicle",
        ("cost_lines", Error::UnknownWorkOrder(_) | Error::WorkOrderNotOpen { .. }) => "work_order",
        ("cost_lines", Error::OutsideAssetLife { .. }) => "date",
        (_, Error::UnknownTenant(_)) => "tenant",
        (_, Error::RateAlreadySet { .. } | Error::InvalidQuantity { .. }) => "rate",
        (_, Error::SubCentAmount(_)) => "ht",
        (_, Error::InvalidField { field, .. }) => {
            return TABLES
                .iter()
                .find(|t| t.name == table)
                .and_then(|t| t.columns.iter().find(|c| c.name == *field))
                .map(|c| c.name)
        }
        _ => return None,
    })
}

/// Runs one command of `table`, blaming its error on a column.
fn cmd<T>(table: &'static str, r: Result<T>) -> Result<T, Cell> {
    r.map_err(|e| Cell(blame(table, &e), e))
}

fn bad(column: &'static str, reason: impl Into<String>) -> Cell {
    Cell(
        Some(column),
        Error::InvalidField {
            field: column,
            reason: reason.into(),
        },
    )
}

/// A key's row in sharing_keys, its shares, its first bad share row.
type KeyRows<'a> = (usize, Vec<(&'a str, u64)>, Option<usize>);

impl Mutualis {
    /// Ingests a user's tables (docs/ingest.md) through the registry's
    /// commands, in schema order; returns what was ingested and, in
    /// [`IngestMode::Report`], the rows skipped. `progress` is called with
    /// (rows done, rows given) every 1 024 rows and at the end. The whole
    /// ingestion is one journal event ([`Event::TablesIngested`]).
    ///
    /// Errors (nothing changes): [`Error::MissingColumn`],
    /// [`Error::ColumnType`], [`Error::FloatColumn`], [`Error::IngestRead`];
    /// in all-or-nothing mode, [`Error::IngestRow`] for the first bad row.
    pub fn ingest(
        &mut self,
        tables: &Tables,
        mode: IngestMode,
        progress: Option<&mut dyn FnMut(usize, usize)>,
    ) -> Result<IngestReport> {
        self.ingest_tables(tables, mode, progress, |t| t.to_ipc(mode))
    }

    /// Ingests `DIR/<table>.parquet` files (docs/ingest.md) as
    /// [`Mutualis::ingest`] ingests [`Tables::from_parquet_dir`], with the
    /// same checks, errors, report and journal event, but reading the work
    /// orders and the cost lines batch by batch while they are ingested:
    /// the tables are never all in memory at once (what a million
    /// interventions would otherwise cost twice over, and leave behind in
    /// the allocator once dropped).
    ///
    /// Errors: as [`Mutualis::ingest`] (a file that cannot be read:
    /// [`Error::IngestRead`], nothing changes).
    #[cfg(feature = "parquet")]
    pub fn ingest_parquet_dir(
        &mut self,
        dir: impl AsRef<std::path::Path>,
        mode: IngestMode,
        progress: Option<&mut dyn FnMut(usize, usize)>,
    ) -> Result<IngestReport> {
        let (tables, streams) = super::tables::parquet_dir_streams(dir.as_ref())?;
        self.ingest_streams(&tables, streams, mode, progress)
    }

    /// Ingests `tables`, journalling the payload `journal` returns.
    pub(crate) fn ingest_tables(
        &mut self,
        tables: &Tables,
        mode: IngestMode,
        progress: Option<&mut dyn FnMut(usize, usize)>,
        journal: impl FnOnce(&Tables) -> Result<IngestedTables>,
    ) -> Result<IngestReport> {
        let payload = |t: &Tables| journal(t);
        self.ingest_core(tables, Vec::new(), mode, progress, payload)
    }

    #[cfg(feature = "parquet")]
    fn ingest_streams(
        &mut self,
        tables: &Tables,
        streams: Vec<super::tables::ParquetStream>,
        mode: IngestMode,
        progress: Option<&mut dyn FnMut(usize, usize)>,
    ) -> Result<IngestReport> {
        let streams = streams
            .into_iter()
            .map(|s| Stream {
                table: s.table,
                rows: s.rows,
                schema: s.schema.clone(),
                source: Box::new(s),
            })
            .collect();
        self.ingest_core(tables, streams, mode, progress, |t| t.to_ipc(mode))
    }

    /// Ingests the batches of `tables`, then those of `streams` (tables after
    /// every table of `tables`, in schema order, read batch by batch),
    /// journalling the payload `journal` returns with the streamed tables
    /// appended.
    fn ingest_core(
        &mut self,
        tables: &Tables,
        mut streams: Vec<Stream<'_>>,
        mode: IngestMode,
        progress: Option<&mut dyn FnMut(usize, usize)>,
        journal: impl FnOnce(&Tables) -> Result<IngestedTables>,
    ) -> Result<IngestReport> {
        // every batch checked against the schema before anything changes
        let mut resolved: Vec<Vec<Batch<'_>>> = Vec::with_capacity(TABLES.len());
        for (def, batches) in TABLES.iter().zip(&tables.batches) {
            let mut v = Vec::with_capacity(batches.len());
            for b in batches {
                v.push(Batch::resolve(def, b)?);
            }
            resolved.push(v);
        }
        resolved.resize_with(TABLES.len(), Vec::new);
        let mut empties = Vec::with_capacity(streams.len());
        for s in &streams {
            empties.push(RecordBatch::new_empty(s.schema.clone()));
        }
        for (s, e) in streams.iter().zip(&empties) {
            Batch::resolve(&TABLES[s.table], e)?;
        }
        let mut payload = journal(tables)?;
        let total = resolved.iter().flatten().map(|b| b.rows).sum::<usize>()
            + streams.iter().map(|s| s.rows).sum::<usize>();
        let mut counts: Vec<TableCount> = TABLES
            .iter()
            .zip(&resolved)
            .filter(|(_, b)| !b.is_empty())
            .map(|(t, b)| TableCount {
                table: t.name,
                rows: b.iter().map(|x| x.rows).sum(),
                ingested: 0,
            })
            .collect();
        for s in &streams {
            counts.push(TableCount {
                table: TABLES[s.table].name,
                rows: s.rows,
                ingested: 0,
            });
        }
        let mut run = Run {
            mode,
            report: IngestReport {
                tables: counts,
                errors: Vec::new(),
            },
            progress,
            done: 0,
            total,
            counted: None,
            order_assets: KeyCache::new(),
            vehicles: KeyCache::new(),
            cents: CentsMemo::new(),
        };
        let at = self
            .replaying
            .as_ref()
            .map_or_else(|| self.clock.now(), |(t, _)| *t);
        // all or nothing without a copy: every command ingestion runs is
        // covered by checkpoints (report mode needs none: a row's command
        // changes nothing when it fails; but a streamed file may fail to
        // read half way)
        let cp =
            (mode == IngestMode::AllOrNothing || !streams.is_empty()).then(|| self.checkpoint());
        let r = self.muted(|m| m.apply_all(&resolved, &mut streams, at, &mut run));
        if r.is_ok() {
            // a streamed table's copy: its source's bytes, not encoded again
            for s in streams {
                payload.tables.push(s.source.into_journal());
            }
        }
        match (r, cp) {
            (Err(e), Some(cp)) => {
                // the commands run are all covered: the rollback cannot fail
                let _ = self.rollback(cp);
                return Err(e);
            }
            (Err(e), None) => return Err(e),
            (Ok(()), Some(cp)) => self.release(cp),
            (Ok(()), None) => {}
        }
        if let Some(p) = run.progress.as_mut() {
            p(run.total, run.total);
        }
        // the entry is dated like the status changes it made, so a replay
        // (which dates them by the entry) rebuilds the same histories
        let clock = std::mem::replace(&mut self.clock, crate::journal::Clock::Fixed(at));
        self.log(None, Event::TablesIngested { tables: payload });
        self.clock = clock;
        Ok(run.report)
    }

    fn apply_all(
        &mut self,
        t: &[Vec<Batch<'_>>],
        streams: &mut [Stream<'_>],
        at: DateTime<Utc>,
        run: &mut Run<'_>,
    ) -> Result<()> {
        let rows = |i: usize| {
            t[i].iter().scan(0usize, |off, b| {
                let o = *off;
                *off += b.rows;
                Some((o, b))
            })
        };
        for (off, b) in rows(0) {
            self.ingest_tenants(b, off, run)?;
        }
        for (off, b) in rows(1) {
            self.ingest_services(b, off, run)?;
        }
        self.ingest_assets(&t[2], run)?;
        for (off, b) in rows(3) {
            self.ingest_custody(b, off, run)?;
        }
        self.ingest_keys(&t[4], &t[5], run)?;
        for (off, b) in rows(6) {
            self.ingest_suppliers(b, off, run)?;
        }
        for (off, b) in rows(7) {
            self.ingest_teams(b, off, run)?;
        }
        for (off, b) in rows(8) {
            self.ingest_labour_rates(b, off, run)?;
        }
        for (off, b) in rows(9) {
            self.ingest_vehicle_rates(b, off, run)?;
        }
        for (off, b) in rows(10) {
            self.ingest_stores(b, off, run)?;
        }
        for (off, b) in rows(11) {
            self.ingest_items(b, off, run)?;
        }
        // the columns grow once, by the rows given (no doubling slack)
        let (mut orders, mut changes, mut code_bytes) = (0, 0, 0);
        for b in &t[12] {
            let (code, status) = (b.column("code"), b.column("status"));
            orders += b.rows;
            for i in 0..b.rows {
                code_bytes += code.text(i).map_or(0, str::len);
                let s = status.named::<WorkOrderStatus>(i).ok().flatten();
                changes += lifecycle(s.unwrap_or(WorkOrderStatus::Planned)).len();
            }
        }
        let mut lines: usize = t[13].iter().map(|b| b.rows).sum();
        for s in streams.iter() {
            match TABLES[s.table].name {
                // a streamed table is read once: its statuses are not
                // counted ahead (the history columns are shrunk at the end)
                "work_orders" => orders += s.rows,
                "cost_lines" => lines += s.rows,
                _ => {}
            }
        }
        self.work_orders.reserve(orders, changes, lines, code_bytes);
        self.cost_lines.reserve(lines);
        self.ledger.reserve(lines);
        // the lines are listed per asset once all are recorded (also when
        // a row stops the ingestion: the rollback finds them listed)
        self.ledger_defer_index();
        let recorded = (|| {
            for (off, b) in rows(12) {
                self.ingest_work_orders(b, off, at, run)?;
            }
            for (off, b) in rows(13) {
                self.ingest_cost_lines(b, off, run)?;
            }
            for s in streams.iter_mut() {
                let def = &TABLES[s.table];
                let mut off = 0;
                while let Some(batch) = s.source.next_batch()? {
                    let b = Batch::resolve(def, &batch)?;
                    match def.name {
                        "work_orders" => self.ingest_work_orders(&b, off, at, run)?,
                        "cost_lines" => self.ingest_cost_lines(&b, off, run)?,
                        _ => {}
                    }
                    off += b.rows;
                }
            }
            Ok(())
        })();
        self.ledger_index_deferred();
        recorded?;
        if orders > 0 || lines > 0 {
            self.work_orders.shrink();
            self.ledger.shrink();
        }
        Ok(())
    }

    fn ingest_tenants(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "tenants";
        for i in 0..b.rows {
            let r = (|| {
                let spec = NewTenant {
                    code: b.req_text("code", i)?.to_owned(),
                    name: b.req_text("name", i)?.to_owned(),
                    kind: b.req_named::<TenantKind>("kind", i)?,
                    siren: b.req_text("siren", i)?.to_owned(),
                    insee: b.text("insee", i).map(str::to_owned),
                };
                cmd(T, self.add_tenant(spec))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_services(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "services";
        for i in 0..b.rows {
            let r = (|| {
                let (tenant, code, name) = (
                    b.req_text("tenant", i)?,
                    b.req_text("code", i)?,
                    b.req_text("name", i)?,
                );
                cmd(T, self.add_service(tenant, code, name))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    /// Assets, parents first whatever the row order: rows are sorted by
    /// their depth in the table's own tree (parents already in the registry
    /// count as roots), in O(n log n).
    fn ingest_assets(&mut self, batches: &[Batch<'_>], run: &mut Run<'_>) -> Result<()> {
        const T: &str = "assets";
        let mut rows: Vec<(usize, usize, usize)> = Vec::new(); // (batch, index, row number)
        let mut by_code: HashMap<&str, usize> = HashMap::new();
        let mut n = 0;
        for (bi, b) in batches.iter().enumerate() {
            for i in 0..b.rows {
                n += 1;
                if let Some(code) = b.text("code", i) {
                    by_code.entry(code).or_insert(rows.len());
                }
                rows.push((bi, i, n));
            }
        }
        // depth of each row within the table (0: no parent in the table);
        // a cycle leaves its rows at depth usize::MAX - the parent check of
        // add_asset then reports them
        const UNSET: usize = usize::MAX - 1;
        let mut depth = vec![UNSET; rows.len()];
        let parent_row = |r: usize| {
            let (bi, i, _) = rows[r];
            batches[bi]
                .text("parent", i)
                .and_then(|p| by_code.get(p).copied())
        };
        let mut stack = Vec::new();
        for start in 0..rows.len() {
            let mut r = start;
            while depth[r] == UNSET {
                depth[r] = usize::MAX; // visiting
                stack.push(r);
                match parent_row(r) {
                    Some(p) => r = p,
                    None => break,
                }
            }
            // unwind: each row is one deeper than its parent
            while let Some(x) = stack.pop() {
                let d = match parent_row(x) {
                    None => 0,
                    Some(p) if p == x => usize::MAX,
                    Some(p) => match depth[p] {
                        usize::MAX => usize::MAX,
                        d => d + 1,
                    },
                };
                depth[x] = d;
            }
        }
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by_key(|&r| depth[r]);
        for r in order {
            let (bi, i, row) = rows[r];
            let b = &batches[bi];
            let res = (|| {
                let mut spec = NewAsset::new(
                    b.req_text("code", i)?,
                    b.req_text("name", i)?,
                    b.req_named::<AssetKind>("kind", i)?,
                    b.req_text("owner", i)?,
                    b.req_date("commissioned", i)?,
                );
                spec.parent = b.text("parent", i).map(str::to_owned);
                spec.decommissioned = b.date("decommissioned", i)?;
                spec.floor_area = b.dec("floor_area", i)?;
                spec.address = b.text("address", i).map(str::to_owned);
                match (b.text("service_tenant", i), b.text("service", i)) {
                    (Some(t), Some(s)) => {
                        spec.service = Some(ServiceRef {
                            tenant: t.to_owned(),
                            service: s.to_owned(),
                        });
                    }
                    (None, None) => {}
                    (None, Some(_)) => {
                        return Err(bad("service_tenant", "a service needs its tenant"))
                    }
                    (Some(_), None) => {
                        return Err(bad("service", "a service tenant needs a service code"))
                    }
                }
                if depth[r] == usize::MAX {
                    return Err(Cell(
                        Some("parent"),
                        Error::AssetCycle {
                            asset: spec.code.clone(),
                            parent: spec.parent.clone().unwrap_or_default(),
                        },
                    ));
                }
                cmd(T, self.add_asset(spec))
            })();
            run.row(T, row, res)?;
        }
        Ok(())
    }

    fn ingest_custody(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "custody";
        for i in 0..b.rows {
            let r = (|| {
                let period = Period::new(b.req_date("from", i)?, b.date("to", i)?)
                    .map_err(Cell::at("to"))?;
                let (asset, ben) = (b.req_text("asset", i)?, b.req_text("beneficiary", i)?);
                cmd(T, self.grant_custody(asset, ben, period))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    /// Sharing keys with their shares: the shares of each key id are
    /// gathered first (one pass), then each key is set in one command. A
    /// key with a bad share row is not set (both rows are reported).
    fn ingest_keys(
        &mut self,
        keys: &[Batch<'_>],
        shares: &[Batch<'_>],
        run: &mut Run<'_>,
    ) -> Result<()> {
        const K: &str = "sharing_keys";
        const S: &str = "key_shares";
        // key id -> (its row in sharing_keys, shares, first bad share row)
        let mut by_key: HashMap<&str, KeyRows<'_>> = HashMap::new();
        let mut key_rows = Vec::new();
        let mut n = 0;
        for (bi, b) in keys.iter().enumerate() {
            for i in 0..b.rows {
                n += 1;
                key_rows.push((bi, i, n));
                if let Some(k) = b.text("key", i) {
                    by_key.entry(k).or_insert((n, Vec::new(), None));
                }
            }
        }
        let mut n = 0;
        for b in shares {
            for i in 0..b.rows {
                n += 1;
                let r = (|| {
                    let key = b.req_text("key", i)?;
                    let tenant = b.req_text("tenant", i)?;
                    let w = b.req_int("weight", i)?;
                    let w = u64::try_from(w)
                        .map_err(|_| bad("weight", format!("{w} is not a non-negative integer")))?;
                    match by_key.get_mut(key) {
                        Some(e) => {
                            e.1.push((tenant, w));
                            Ok(())
                        }
                        None => Err(bad(
                            "key",
                            format!("no sharing key {key:?} in sharing_keys"),
                        )),
                    }
                })();
                if let Err(Cell(_, _)) = &r {
                    if let Some(key) = b.text("key", i) {
                        if let Some(e) = by_key.get_mut(key) {
                            e.2.get_or_insert(n);
                        }
                    }
                }
                run.row(S, n, r)?;
            }
        }
        for (bi, i, row) in key_rows {
            let b = &keys[bi];
            let r = (|| {
                let key = b.req_text("key", i)?;
                let asset = b.req_text("asset", i)?;
                let basis = b.named::<KeyBasis>("basis", i)?.unwrap_or(KeyBasis::Agreed);
                let period = Period::new(b.req_date("from", i)?, b.date("to", i)?)
                    .map_err(Cell::at("to"))?;
                let (first, shares, bad_share) = &by_key[key];
                if *first != row {
                    return Err(bad("key", format!("key {key:?} is already on row {first}")));
                }
                if let Some(s) = bad_share {
                    return Err(bad(
                        "key",
                        format!("share row {s} of key {key:?} was refused"),
                    ));
                }
                cmd(K, self.set_sharing_key(asset, basis, period, shares))
            })();
            run.row(K, row, r)?;
        }
        Ok(())
    }

    fn ingest_suppliers(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "suppliers";
        for i in 0..b.rows {
            let r = (|| {
                let mut spec = NewSupplier::new(
                    b.req_text("code", i)?,
                    b.req_text("name", i)?,
                    b.req_text("siret", i)?,
                );
                spec.categories = list(b.text("categories", i)).map(str::to_owned).collect();
                cmd(T, self.add_supplier(spec))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_teams(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "teams";
        for i in 0..b.rows {
            let r = (|| {
                let (code, tenant, name) = (
                    b.req_text("code", i)?,
                    b.req_text("tenant", i)?,
                    b.req_text("name", i)?,
                );
                cmd(T, self.add_team(code, tenant, name, b.text("service", i)))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_labour_rates(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "labour_rates";
        for i in 0..b.rows {
            let r = (|| {
                let tenant = b.req_text("tenant", i)?;
                let year = year(b.req_int("year", i)?)?;
                let rate = b.req_dec("rate", i)?;
                cmd(
                    T,
                    self.set_labour_rate(tenant, year, b.text("team", i), b.text("grade", i), rate),
                )
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_vehicle_rates(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "vehicle_rates";
        for i in 0..b.rows {
            let r = (|| {
                let year = year(b.req_int("year", i)?)?;
                let unit = b.req_named::<UsageUnit>("unit", i)?;
                let rate = b.req_dec("rate", i)?;
                match (
                    b.text("vehicle", i),
                    b.text("tenant", i),
                    b.text("category", i),
                ) {
                    (Some(v), None, None) => cmd(T, self.set_vehicle_rate(v, year, unit, rate)),
                    (None, Some(t), Some(c)) => {
                        cmd(T, self.set_category_rate(t, c, year, unit, rate))
                    }
                    _ => Err(bad(
                        "vehicle",
                        "give either a vehicle, or a tenant and a category",
                    )),
                }
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_stores(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "stores";
        for i in 0..b.rows {
            let r = (|| {
                let (code, tenant, name) = (
                    b.req_text("code", i)?,
                    b.req_text("tenant", i)?,
                    b.req_text("name", i)?,
                );
                cmd(T, self.add_store(code, tenant, name))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    fn ingest_items(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "items";
        for i in 0..b.rows {
            let r = (|| {
                let spec = NewItem::new(
                    b.req_text("code", i)?,
                    b.req_text("name", i)?,
                    b.req_text("unit", i)?,
                );
                cmd(T, self.add_item(spec))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    /// Work orders, batched: each row goes through the checks of
    /// [`Mutualis::create_work_order`] and [`Mutualis::set_work_order_status`]
    /// (the same functions, in the same order), with its asset, performer
    /// and service resolved once per distinct code, then is appended to the
    /// columns with its lifecycle. The status changes of the orders created
    /// here need no undo entry: a rollback truncates them.
    fn ingest_work_orders(
        &mut self,
        b: &Batch<'_>,
        off: usize,
        at: DateTime<Utc>,
        run: &mut Run<'_>,
    ) -> Result<()> {
        const T: &str = "work_orders";
        let (c_code, c_title, c_asset) = (b.column("code"), b.column("title"), b.column("asset"));
        let (c_team, c_supplier) = (b.column("team"), b.column("supplier"));
        let (c_st, c_service) = (b.column("service_tenant"), b.column("service"));
        let (c_tags, c_assoc) = (b.column("tags"), b.column("association"));
        let (c_planned, c_status) = (b.column("planned_on"), b.column("status"));
        let mut assets: FastMap<&str, AssetId> = FastMap::default();
        let mut teams: FastMap<&str, TeamId> = FastMap::default();
        let mut suppliers: FastMap<&str, SupplierId> = FastMap::default();
        let mut services: FastMap<(&str, &str), ServiceId> = FastMap::default();
        let mut tags: Vec<&str> = Vec::new();
        // the performer, service and status columns as dictionary places,
        // when they all are dictionaries: resolved once per batch and
        // combination
        let places = Places::new([c_team, c_supplier, c_st, c_service, c_status]);
        let mut by_place: FastMap<[u32; 5], Resolved> = FastMap::default();
        run.order_assets.bind(&c_asset);
        for i in 0..b.rows {
            let r = (|| {
                let code = c_code.req_text(i)?;
                let place = places.as_ref().map(|p| p.at(i));
                let known = place.and_then(|k| by_place.get(&k).copied());
                let fields = match known {
                    Some(resolved) => Ok(resolved),
                    None => {
                        let performer = match (c_team.text(i), c_supplier.text(i)) {
                            (Some(t), None) => Ok(t),
                            (None, Some(s)) => Err(s),
                            _ => return Err(bad("team", "give either a team or a supplier")),
                        };
                        let status = c_status
                            .named::<WorkOrderStatus>(i)?
                            .unwrap_or(WorkOrderStatus::Planned);
                        let service = match (c_st.text(i), c_service.text(i)) {
                            (Some(t), Some(s)) => Some((t, s)),
                            (None, None) => None,
                            (None, Some(_)) => {
                                return Err(bad("service_tenant", "a service needs its tenant"))
                            }
                            (Some(_), None) => {
                                return Err(bad("service", "a service tenant needs a service code"))
                            }
                        };
                        Err((performer, service, status))
                    }
                };
                let title = c_title.req_text(i)?;
                let asset = c_asset.req_text(i)?;
                tags.clear();
                tags.extend(list(c_tags.text(i)));
                let association = c_assoc.text(i);
                let planned_on = c_planned.date(i)?;
                // create_work_order's checks, in its order
                cmd(T, check_order_head(code, title))?;
                let asset = match run.order_assets.get(&c_asset, i) {
                    Some(a) => a,
                    None => {
                        let a = cached(&mut assets, asset, |a| cmd(T, self.asset_id(a)))?;
                        run.order_assets.set(&c_asset, i, a);
                        a
                    }
                };
                let (performer, service, status) = match fields {
                    Ok(resolved) => resolved,
                    Err((performer, service, status)) => {
                        let performer = match performer {
                            Ok(t) => PerformerId::Team(cached(&mut teams, t, |t| {
                                cmd(T, self.team_id(t))
                            })?),
                            Err(s) => PerformerId::Supplier(cached(&mut suppliers, s, |s| {
                                cmd(T, self.supplier_id(s))
                            })?),
                        };
                        let service = match service {
                            Some(key) => Some(cached(&mut services, key, |(t, s)| {
                                cmd(T, self.service_id(t, s))
                            })?),
                            None => None,
                        };
                        if let Some(k) = place {
                            by_place.insert(k, (performer, service, status));
                        }
                        (performer, service, status)
                    }
                };
                let new = NewOrder {
                    code,
                    title,
                    asset,
                    performer,
                    service,
                    requests: &[],
                    tags: &tags,
                    association,
                    planned_on,
                };
                cmd(T, self.check_order_tail(&new))?;
                let w = self.work_orders.push(&new);
                // the lifecycle from planned to the status given; each step is
                // legal, so once the order is created its steps cannot fail
                for &s in lifecycle(status) {
                    cmd(T, self.check_status_change(w, code, s, at))?;
                    self.work_orders.set_status(w, s, at, None);
                }
                Ok(())
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }

    /// Cost lines, batched: each row goes through the checks of
    /// [`Mutualis::record_line_as_was`] (the same functions, in the same
    /// order), its work order resolved once per run of rows with the same
    /// code and its provider once per distinct combination (a vehicle's per
    /// row: its owner depends on the date), then is
    /// appended to the columns and allocated.
    fn ingest_cost_lines(&mut self, b: &Batch<'_>, off: usize, run: &mut Run<'_>) -> Result<()> {
        const T: &str = "cost_lines";
        let (c_wo, c_nature, c_date) =
            (b.column("work_order"), b.column("nature"), b.column("date"));
        let (c_ht, c_ttc, c_vat, c_rate) = (
            b.column("ht"),
            b.column("ttc"),
            b.column("vat"),
            b.column("vat_rate"),
        );
        let (c_qty, c_unit_cost) = (b.column("quantity"), b.column("unit_cost"));
        let (c_team, c_store, c_item) = (b.column("team"), b.column("store"), b.column("item"));
        let (c_vehicle, c_unit, c_supplier) =
            (b.column("vehicle"), b.column("unit"), b.column("supplier"));
        let c_description = b.column("description");
        let mut last: Option<(&str, WorkOrderId)> = None;
        let mut providers: FastMap<ProviderKey<'_>, Provider> = FastMap::default();
        // the nature and provider fields as dictionary places, when they all
        // are dictionaries: a row's nature and provider resolved once per
        // batch and combination (a vehicle's owner still per row: it depends
        // on the date)
        let places = Places::new([
            c_nature, c_team, c_store, c_item, c_vehicle, c_unit, c_supplier,
        ]);
        let mut by_place: FastMap<[u32; 7], (CostNature, Provider)> = FastMap::default();
        let amounts = [c_ht, c_ttc, c_vat, c_qty, c_unit_cost, c_rate].map(Column::raw_decs);
        run.vehicles.bind(&c_vehicle);
        for i in 0..b.rows {
            let r = (|| {
                let code = c_wo.req_text(i)?;
                let w = match last {
                    Some((c, w)) if c == code => w,
                    _ => {
                        // lines usually follow their orders: try the order
                        // after the previous run's before the code index
                        let next = last.map_or(0, |(_, w)| w.index() + 1);
                        let w = if next < self.work_orders.len()
                            && self.work_orders.code(next) == code
                        {
                            WorkOrderId(next as u32)
                        } else {
                            cmd(T, self.work_order_id(code))?
                        };
                        last = Some((code, w));
                        w
                    }
                };
                let status = self.work_orders.status(w.index());
                if !matches!(
                    status,
                    WorkOrderStatus::InProgress | WorkOrderStatus::Done | WorkOrderStatus::Closed
                ) {
                    return Err(Cell(
                        Some("work_order"),
                        Error::WorkOrderNotOpen {
                            code: code.to_owned(),
                            status: status.as_str(),
                        },
                    ));
                }
                let place = places.as_ref().map(|p| p.at(i));
                let known = place.and_then(|k| by_place.get(&k).copied());
                let nature = match known {
                    Some((n, _)) => n,
                    None => c_nature.req_named::<CostNature>(i)?,
                };
                let fast = cents_checked(nature, &mut run.cents, c_date, &amounts, i);
                let (date, vat_rate, quantity, unit_cost, checked) = match fast {
                    Some(f) => (
                        f.date,
                        f.vat_rate,
                        f.quantity,
                        f.unit_cost,
                        Checked::Cents(f.ht_cents, f.vat_cents, f.ttc_cents),
                    ),
                    // a check failing (or text amounts): the checks as they
                    // are, which say which and why
                    None => {
                        let ht = c_ht.req_dec(i)?;
                        let ttc = c_ttc.req_dec(i)?;
                        let date = c_date.req_date(i)?;
                        crate::period::check_date("date", date).map_err(Cell::at("date"))?;
                        let vat_rate = c_rate
                            .dec(i)?
                            .map(|p| {
                                VatRate::from_percent(p)
                                    .and_then(|r| r.check_on(date))
                                    .map_err(Cell::at("vat_rate"))
                            })
                            .transpose()?;
                        let vat = c_vat.dec(i)?.unwrap_or(ttc - ht);
                        let quantity = c_qty.dec(i)?.unwrap_or(Decimal::ONE);
                        let unit_cost = c_unit_cost.dec(i)?.unwrap_or(ht);
                        // the amounts a command would have computed
                        if let Some(rate) = vat_rate {
                            let v = VatLine::from_ht(ht, rate).map_err(Cell::at("ht"))?;
                            if v.vat != vat || v.ttc != ttc {
                                return Err(bad(
                                "vat",
                                format!(
                                    "HT {ht} at {rate} % gives VAT {} and TTC {}, not {vat} and {ttc}",
                                    v.vat, v.ttc
                                ),
                            ));
                            }
                        } else {
                            let expected = quantity
                                .checked_mul(unit_cost)
                                .map(round_cents)
                                .ok_or(Cell(Some("quantity"), Error::AmountOutOfRange(quantity)))?;
                            if expected != ht {
                                return Err(bad(
                                    "ht",
                                    format!("{quantity} × {unit_cost} is {expected}, not {ht}"),
                                ));
                            }
                        }
                        (
                            date,
                            vat_rate,
                            quantity,
                            unit_cost,
                            Checked::Decimals(ht, vat, ttc),
                        )
                    }
                };
                let description = c_description.text(i).unwrap_or_default();
                let recorded = || -> Result<RecordedLine<'_>, Cell> {
                    let (ht, vat, ttc) = checked.decimals();
                    Ok(RecordedLine {
                        work_order: w,
                        date,
                        nature,
                        team: c_team.text(i),
                        store: c_store.text(i),
                        item: c_item.text(i),
                        vehicle: c_vehicle.text(i),
                        unit: c_unit.named::<UsageUnit>(i)?,
                        supplier: c_supplier.text(i),
                        description,
                        quantity,
                        unit_cost,
                        ht,
                        vat_rate,
                        vat,
                        ttc,
                    })
                };
                // record_line_as_was's checks, in its order
                let (rec, provider) = match known {
                    // the combination resolved before: the same provider (a
                    // vehicle's owner on this line's date)
                    Some((_, p)) => {
                        cmd(T, self.recorded_line_asset(w, date))?;
                        let p = match p {
                            Provider::Vehicle { vehicle, unit, .. } => Provider::Vehicle {
                                tenant: self.owner_at(vehicle, date),
                                vehicle,
                                unit,
                            },
                            p => p,
                        };
                        (None, p)
                    }
                    None => {
                        let rec = recorded()?;
                        cmd(T, self.recorded_line_asset(w, date))?;
                        let key = (
                            nature,
                            rec.team,
                            rec.store,
                            rec.item,
                            rec.vehicle,
                            rec.unit,
                            rec.supplier,
                        );
                        // a vehicle's tenant is its owner on the line's date: not cached
                        let provider = match providers.get(&key) {
                            Some(p) => *p,
                            None if nature == CostNature::Vehicle => {
                                // the vehicle's id known for its value: its owner
                                // on the line's date, as recorded_provider gives it
                                let known = match (&rec, run.vehicles.get(&c_vehicle, i)) {
                                    (
                                        RecordedLine {
                                            team: None,
                                            store: None,
                                            item: None,
                                            vehicle: Some(_),
                                            unit: Some(unit),
                                            supplier: None,
                                            ..
                                        },
                                        Some(vehicle),
                                    ) => Some(Provider::Vehicle {
                                        tenant: self.owner_at(vehicle, rec.date),
                                        vehicle,
                                        unit: *unit,
                                    }),
                                    _ => None,
                                };
                                match known {
                                    Some(p) => p,
                                    None => {
                                        let p = cmd(T, self.recorded_provider(&rec))?;
                                        if let Provider::Vehicle { vehicle, .. } = p {
                                            run.vehicles.set(&c_vehicle, i, vehicle);
                                        }
                                        p
                                    }
                                }
                            }
                            None => {
                                let p = cmd(T, self.recorded_provider(&rec))?;
                                providers.insert(key, p);
                                p
                            }
                        };
                        if let Some(k) = place {
                            by_place.insert(k, (nature, provider));
                        }
                        (Some(rec), provider)
                    }
                };
                let new = match (checked, rec) {
                    // recorded_new_line's checks passed in cents
                    (Checked::Cents(ht, vat, _), _) => NewLine {
                        work_order: w,
                        date,
                        nature,
                        provider,
                        description,
                        quantity,
                        unit_cost,
                        ht,
                        vat_rate,
                        vat,
                    },
                    (Checked::Decimals(..), rec) => {
                        let rec = match rec {
                            Some(rec) => rec,
                            None => recorded()?,
                        };
                        cmd(T, recorded_new_line(&rec, provider))?
                    }
                };
                cmd(T, self.push_recorded_line(&new))
            })();
            run.row(T, off + i + 1, r)?;
        }
        Ok(())
    }
}

/// A cost line's amounts once all their checks passed in integer cents.
struct Cents {
    date: NaiveDate,
    vat_rate: Option<VatRate>,
    quantity: Decimal,
    unit_cost: Decimal,
    ht_cents: i64,
    vat_cents: i64,
    ttc_cents: i64,
}

/// A cost line's HT, VAT and TTC as checked: in whole cents by
/// [`cents_checked`], else as the `Decimal` checks read them.
#[derive(Clone, Copy)]
enum Checked {
    Cents(i64, i64, i64),
    Decimals(Decimal, Decimal, Decimal),
}

impl Checked {
    /// HT, VAT and TTC as `Decimal`s (whole cents: the same values).
    fn decimals(self) -> (Decimal, Decimal, Decimal) {
        match self {
            Checked::Cents(ht, vat, ttc) => (
                Decimal::new(ht, 2),
                Decimal::new(vat, 2),
                Decimal::new(ttc, 2),
            ),
            Checked::Decimals(ht, vat, ttc) => (ht, vat, ttc),
        }
    }
}

/// What the fast amount checks of one ingestion's cost lines have
/// already worked out (a day number's date and a raw rate's meaning do not
/// depend on the batch): the dates seen (a date column holds few distinct days) and
/// the VAT rates (a handful of values), so each is converted and checked
/// once, not once per row.
struct CentsMemo {
    /// Direct-mapped on the day number: a day seen and its date (its year
    /// checked).
    days: Vec<Option<(i32, NaiveDate)>>,
    /// Raw rate values (mantissa, scale) and the rate each names.
    rates: Vec<((i128, u32), VatRate)>,
}

/// Slots of [`CentsMemo::days`] (a power of two: about eleven years of days).
const DAY_SLOTS: usize = 4096;

impl CentsMemo {
    fn new() -> CentsMemo {
        CentsMemo {
            days: vec![None; DAY_SLOTS],
            rates: Vec::new(),
        }
    }

    /// Row `i`'s date when it is a valid day of a date column whose year
    /// is in range (`None`: anything else, left to the checks that say why).
    fn date(&mut self, c_date: Column<'_, '_>, i: usize) -> Option<NaiveDate> {
        let Some(day) = c_date.raw_day(i) else {
            let date = c_date.req_date(i).ok()?;
            return crate::period::check_date("date", date).ok();
        };
        let slot = &mut self.days[day as usize & (DAY_SLOTS - 1)];
        match *slot {
            Some((d, date)) if d == day => Some(date),
            _ => {
                let date = c_date.req_date(i).ok()?;
                crate::period::check_date("date", date).ok()?;
                *slot = Some((day, date));
                Some(date)
            }
        }
    }

    /// The VAT rate a raw percent names (`None`: no known rate).
    fn rate(&mut self, raw: (i128, u32)) -> Option<VatRate> {
        if let Some(&(_, r)) = self.rates.iter().find(|(k, _)| *k == raw) {
            return Some(r);
        }
        let r = VatRate::from_percent(decimal(raw)?).ok()?;
        self.rates.push((raw, r));
        Some(r)
    }
}

/// `10^n` for `n` ≤ 38.
fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `num / den` rounded half away from zero (`den` > 0), in 64 bits when
/// both fit (a 128-bit division is a library call).
fn div_round(num: i128, den: i128) -> i128 {
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den)) {
        let (q, r) = (n / d, n % d);
        // |r| < d ≤ i64::MAX: 2|r| fits in u64
        return i128::from(if 2 * r.unsigned_abs() >= d.unsigned_abs() {
            q + n.signum()
        } else {
            q
        });
    }
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// A raw decimal (mantissa, scale) as the `Decimal` the column reader
/// gives for it.
fn decimal((m, s): (i128, u32)) -> Option<Decimal> {
    match i64::try_from(m) {
        Ok(m) if s <= 28 => Some(Decimal::new(m, s)),
        _ => Decimal::try_from_i128_with_scale(m, s).ok(),
    }
}

/// Whether a raw decimal is one a `Decimal` holds (96 bits, scale ≤ 28).
fn fits_decimal((m, s): (i128, u32)) -> bool {
    s <= 28 && m.unsigned_abs() < 1u128 << 96
}

/// A raw decimal as whole cents (`None`: a fraction of a cent, or beyond
/// `i64`), as [`crate::money::to_cents`] reads it.
fn whole_cents((m, s): (i128, u32)) -> Option<i64> {
    let c = match s {
        2 => m,
        0 | 1 => m.checked_mul(pow10(2 - s)?)?,
        _ => {
            let d = pow10(s - 2)?;
            if m % d != 0 {
                return None;
            }
            m / d
        }
    };
    i64::try_from(c).ok()
}

/// The amount checks of a cost line (`ingest_cost_lines`' own, then
/// [`recorded_new_line`]'s) done in integer cents, straight from an exact
/// decimal column's values, when every one of them passes: what the
/// checks on `Decimal`s would accept, with the same values. `None` when a
/// value is text, missing, out of range, or a check fails: the row then
/// goes through the `Decimal` checks, which report the error as before.
/// `amounts`: ht, ttc, vat, quantity, unit_cost, vat_rate.
fn cents_checked(
    nature: CostNature,
    memo: &mut CentsMemo,
    c_date: Column<'_, '_>,
    amounts: &[RawDecs<'_, '_>; 6],
    i: usize,
) -> Option<Cents> {
    let [c_ht, c_ttc, c_vat, c_qty, c_unit_cost, c_rate] = amounts;
    let ht_raw = c_ht.get(i)??;
    let ttc_raw = c_ttc.get(i)??;
    let date = memo.date(c_date, i)?;
    let vat_rate = match c_rate.get(i)? {
        Some(p) => Some(memo.rate(p)?.check_on(date).ok()?),
        None => None,
    };
    // the Decimal checks would refuse what a Decimal cannot hold
    if !(fits_decimal(ht_raw) && fits_decimal(ttc_raw)) {
        return None;
    }
    let (ht_cents, ttc_cents) = (whole_cents(ht_raw)?, whole_cents(ttc_raw)?);
    let vat_cents = match c_vat.get(i)? {
        Some(v) if fits_decimal(v) => whole_cents(v)?,
        Some(_) => return None,
        None => ttc_cents.checked_sub(ht_cents)?,
    };
    let q_raw = c_qty.get(i)?;
    let quantity = match q_raw {
        Some(q) => decimal(q)?,
        None => Decimal::ONE,
    };
    let u_raw = c_unit_cost.get(i)?;
    let unit_cost = match u_raw {
        Some(u) => decimal(u)?,
        None => decimal(ht_raw)?,
    };
    match vat_rate {
        Some(rate) => {
            // VatLine::from_ht: VAT = round(HT × percent / 100), TTC = HT + VAT
            let p = rate.percent();
            let den = pow10(p.scale() + 2)?;
            let expected = div_round(i128::from(ht_cents).checked_mul(p.mantissa())?, den);
            if i128::from(vat_cents) != expected
                || i128::from(ttc_cents) != i128::from(ht_cents) + expected
            {
                return None;
            }
        }
        None => {
            // round(quantity × unit cost) = HT, the product exact (within a
            // Decimal's 96 bits and 28 decimals, as Decimal's would be)
            let (qm, qs) = q_raw.unwrap_or((1, 0));
            let (um, us) = u_raw.unwrap_or(ht_raw);
            let (m, s) = (qm.checked_mul(um)?, qs + us);
            if s > 28 || m.unsigned_abs() >= 1u128 << 96 {
                return None;
            }
            let expected = match s {
                2 => m,
                0 | 1 => m.checked_mul(pow10(2 - s)?)?,
                _ => div_round(m, pow10(s - 2)?),
            };
            if expected != i128::from(ht_cents) {
                return None;
            }
        }
    }
    // recorded_new_line: HT + VAT = TTC; a VAT rate and VAT on external
    // lines only
    if ht_cents.checked_add(vat_cents)? != ttc_cents
        || (nature == CostNature::External) != vat_rate.is_some()
        || (vat_rate.is_none() && vat_cents != 0)
    {
        return None;
    }
    Some(Cents {
        date,
        vat_rate,
        quantity,
        unit_cost,
        ht_cents,
        vat_cents,
        ttc_cents,
    })
}

/// The lifecycle steps from `planned` to `status`.
fn lifecycle(status: WorkOrderStatus) -> &'static [WorkOrderStatus] {
    use WorkOrderStatus::{Cancelled, Closed, Done, InProgress, Scheduled};
    match status {
        Scheduled => &[Scheduled],
        InProgress => &[InProgress],
        Done => &[InProgress, Done],
        Closed => &[InProgress, Done, Closed],
        Cancelled => &[Cancelled],
        _ => &[],
    }
}

/// A work order's performer, service and status, resolved.
type Resolved = (PerformerId, Option<ServiceId>, WorkOrderStatus);

/// A cost line's nature and provider fields: what its provider depends on.
type ProviderKey<'a> = (
    CostNature,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<UsageUnit>,
    Option<&'a str>,
);

/// The id of `key`, resolved by `resolve` the first time only (errors are
/// not cached: each bad row reports its own).
fn cached<K: std::hash::Hash + Eq + Copy, V: Copy>(
    map: &mut FastMap<K, V>,
    key: K,
    resolve: impl FnOnce(K) -> Result<V, Cell>,
) -> Result<V, Cell> {
    if let Some(v) = map.get(&key) {
        return Ok(*v);
    }
    let v = resolve(key)?;
    map.insert(key, v);
    Ok(v)
}

/// FxHash (the Rust compiler's hasher): a few cycles per word, for the
/// small per-batch maps of codes (keys come from the user's own table).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(K);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

fn year(y: i128) -> Result<i32, Cell> {
    i32::try_from(y)
        .ok()
        .filter(|y| crate::YEARS.contains(y))
        .ok_or(Cell(
            Some("year"),
            crate::period::year_error(
                "year",
                i64::try_from(y).unwrap_or(if y < 0 { i64::MIN } else { i64::MAX }),
                &crate::YEARS,
            ),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::ingest::schema::table_index;
    use arrow_array::{ArrayRef, Date32Array, Decimal128Array};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// The date memo: days sharing a slot keep their own dates, a date
    /// out of [`crate::period::YEARS`] is refused each time it is met, and
    /// a null is left to the checks that say why.
    #[test]
    fn the_date_memo_keeps_days_apart_and_checks_each_year() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let late = (NaiveDate::from_ymd_opt(2201, 1, 1).unwrap() - epoch).num_days() as i32;
        let slot = DAY_SLOTS as i32;
        let days = [
            Some(5),
            Some(5 + slot),
            Some(5),
            Some(late),
            Some(late),
            None,
        ];
        let batch = arrow_array::RecordBatch::try_from_iter([(
            "date",
            Arc::new(Date32Array::from(days.to_vec())) as ArrayRef,
        )])
        .unwrap();
        static DATES: crate::ingest::TableDef = crate::ingest::TableDef {
            name: "cost_lines",
            columns: &[crate::ingest::ColumnDef {
                name: "date",
                kind: crate::ingest::ColumnKind::Date,
                required: false,
            }],
        };
        let b = Batch::resolve(&DATES, &batch).unwrap();
        let mut memo = CentsMemo::new();
        let got: Vec<Option<NaiveDate>> = (0..days.len())
            .map(|i| memo.date(b.column("date"), i))
            .collect();
        let day = |n: i64| Some(epoch + chrono::Duration::days(n));
        assert_eq!(got, [day(5), day(5 + 4096), day(5), None, None, None]);
    }

    /// VAT rates: each raw value read once, the same rate whatever its
    /// scale; a value naming no rate refused each time.
    #[test]
    fn the_rate_memo_reads_each_value_once() {
        let mut memo = CentsMemo::new();
        assert_eq!(memo.rate((20, 0)), Some(VatRate::Standard));
        assert_eq!(memo.rate((2000, 2)), Some(VatRate::Standard));
        assert_eq!(memo.rate((55, 1)), Some(VatRate::Reduced));
        assert_eq!(memo.rate((20, 0)), Some(VatRate::Standard));
        assert_eq!(memo.rate((19, 0)), None);
        assert_eq!(memo.rate((19, 0)), None);
        assert_eq!(memo.rates.len(), 3);
    }

    /// The amount checks on `Decimal`s, as `ingest_cost_lines` and
    /// `recorded_new_line` make them: the cents when every one passes.
    #[allow(clippy::too_many_arguments)]
    fn by_decimals(
        nature: CostNature,
        ht: Decimal,
        ttc: Decimal,
        vat: Option<Decimal>,
        quantity: Option<Decimal>,
        unit_cost: Option<Decimal>,
        rate: Option<VatRate>,
    ) -> Option<(i64, i64)> {
        let vat = vat.unwrap_or(ttc - ht);
        let quantity = quantity.unwrap_or(Decimal::ONE);
        let unit_cost = unit_cost.unwrap_or(ht);
        if let Some(rate) = rate {
            let v = VatLine::from_ht(ht, rate).ok()?;
            if v.vat != vat || v.ttc != ttc {
                return None;
            }
        } else if quantity.checked_mul(unit_cost).map(round_cents)? != ht {
            return None;
        }
        for a in [ht, vat, ttc] {
            crate::money::to_cents(a).ok()?;
        }
        if ht + vat != ttc
            || (nature == CostNature::External) != rate.is_some()
            || (rate.is_none() && !vat.is_zero())
        {
            return None;
        }
        Some((
            crate::money::to_cents(ht).ok()?,
            crate::money::to_cents(vat).ok()?,
        ))
    }

    fn dec_col(v: Option<(i64, u32)>) -> (ArrayRef, Option<Decimal>) {
        let (m, s) = v.map_or((None, 2), |(m, s)| (Some(i128::from(m)), s));
        let a = Decimal128Array::from(vec![m])
            .with_precision_and_scale(38, s as i8)
            .unwrap();
        (Arc::new(a), m.map(|m| Decimal::from_i128_with_scale(m, s)))
    }

    fn amount() -> impl Strategy<Value = (i64, u32)> {
        (-2_000_000i64..2_000_000, 0u32..5)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The checks in cents accept exactly the lines the checks on
        /// `Decimal`s accept, with the same amounts.
        #[test]
        fn cents_checks_agree_with_the_decimal_checks(
            nature in 0usize..4,
            ht in amount(),
            vat_off in prop::option::of(-2i64..3),
            ttc_off in -1i64..2,
            quantity in prop::option::of((0i64..2000, 0u32..4)),
            unit_cost in prop::option::of(amount()),
            rate in prop::option::of(0usize..4),
        ) {
            let nature = [CostNature::Labour, CostNature::Material, CostNature::Vehicle,
                CostNature::External][nature];
            let rate = rate.map(|r| [VatRate::Standard, VatRate::Intermediate, VatRate::Reduced,
                VatRate::SuperReduced][r]);
            // a VAT near the right one, a TTC near HT + VAT (in cents when
            // HT has at most two decimals)
            let ht_d = Decimal::new(ht.0, ht.1);
            let right = rate.map_or(Decimal::ZERO, |r| {
                VatLine::from_ht(ht_d, r).map_or(Decimal::ZERO, |v| v.vat)
            });
            let vat = vat_off.map(|o| {
                let v = right + Decimal::new(o, 2);
                (i64::try_from(v.mantissa()).unwrap(), v.scale())
            });
            let vat_d = vat.map_or(right, |(m, s)| Decimal::new(m, s));
            let ttc = ht_d + vat_d + Decimal::new(ttc_off, 2);
            let ttc = (i64::try_from(ttc.mantissa()).unwrap(), ttc.scale());
            let (a_ht, d_ht) = dec_col(Some(ht));
            let (a_ttc, d_ttc) = dec_col(Some(ttc));
            let (a_vat, d_vat) = dec_col(vat);
            let (a_q, d_q) = dec_col(quantity);
            let (a_u, d_u) = dec_col(unit_cost);
            let (a_rate, _) = dec_col(rate.map(|r| {
                let p = r.percent();
                (i64::try_from(p.mantissa()).unwrap(), p.scale())
            }));
            let date: ArrayRef = Arc::new(Date32Array::from(vec![20_000]));
            let text = |v: &str| {
                Arc::new(arrow_array::StringArray::from(vec![v])) as ArrayRef
            };
            let batch = arrow_array::RecordBatch::try_from_iter([
                ("work_order", text("BT-1")),
                ("nature", text(nature.as_str())),
                ("date", date), ("ht", a_ht), ("ttc", a_ttc), ("vat", a_vat),
                ("quantity", a_q), ("unit_cost", a_u), ("vat_rate", a_rate),
            ]).unwrap();
            let def = &TABLES[table_index("cost_lines").unwrap()];
            let b = Batch::resolve(def, &batch).unwrap();
            let amounts = [b.column("ht"), b.column("ttc"), b.column("vat"),
                b.column("quantity"), b.column("unit_cost"), b.column("vat_rate")].map(Column::raw_decs);
            let fast = cents_checked(nature, &mut CentsMemo::new(), b.column("date"), &amounts, 0);
            let slow = by_decimals(nature, d_ht.unwrap(), d_ttc.unwrap(), d_vat, d_q, d_u, rate);
            // the slow checks read the same values
            prop_assert_eq!(fast.as_ref().map(|f| (f.ht_cents, f.vat_cents)), slow);
            if let Some(f) = fast {
                prop_assert_eq!(f.quantity, d_q.unwrap_or(Decimal::ONE));
                prop_assert_eq!(f.unit_cost, d_u.unwrap_or(d_ht.unwrap()));
                prop_assert_eq!(f.vat_rate, rate);
            }
        }
    }
}
