//! The cost lines of every work order, stored as columns: dense ids, days as
//! integers, amounts in integer cents, descriptions interned — no heap
//! allocation per line.
//!
//! [`CostLines`] is what [`crate::Mutualis::cost_lines`] returns; a
//! [`CostLine`] record is materialised on demand by [`CostLines::get`] and
//! [`CostLines::iter`]. Queries of the read layer scan the columns directly.
//!
//! ```
//! use mutualis::Mutualis;
//! let m = Mutualis::new();
//! assert!(m.cost_lines().is_empty());
//! assert_eq!(m.cost_lines().iter().count(), 0);
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ids::{AssetId, CostLineId, ItemId, StoreId, SupplierId, TeamId, TenantId, WorkOrderId};
use crate::money::{from_cents, VatRate};
use crate::rates::UsageUnit;
use crate::work::{CostLine, CostNature, Provider};

/// Marks an absent id in a column.
pub(crate) const NONE: u32 = u32::MAX;

/// Days from 0001-01-01 (proleptic Gregorian), the integer form of a date.
#[must_use]
pub(crate) fn day_of(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce()
}

/// The date of a day number.
#[must_use]
pub(crate) fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default()
}

/// Interned texts: each distinct text stored once, referred to by a `u32`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    texts: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32, foldhash::fast::RandomState>,
    /// The id interned last (a memo).
    last: u32,
}

impl Texts {
    /// The id of `text`, interning it if new.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        // runs of one text (a table's description column) skip the hash
        if let Some(last) = self.texts.get(self.last as usize) {
            if **last == *text {
                return self.last;
            }
        }
        if let Some(&id) = self.index.get(text) {
            self.last = id;
            return id;
        }
        let id = self.texts.len() as u32;
        let shared: Arc<str> = Arc::from(text);
        self.texts.push(shared.clone());
        self.index.insert(shared, id);
        self.last = id;
        id
    }

    /// The id of `text` if it was interned.
    pub(crate) fn find(&self, text: &str) -> Option<u32> {
        self.index.get(text).copied()
    }

    /// The text of an id ("" if unknown).
    pub(crate) fn get(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |t| t)
    }

    /// Drops the texts interned after the first `len` (rollback).
    pub(crate) fn truncate(&mut self, len: usize) {
        for t in self.texts.drain(len.min(self.texts.len())..) {
            self.index.remove(&t);
        }
    }

    /// Number of texts.
    pub(crate) fn len(&self) -> usize {
        self.texts.len()
    }
}

/// A column of exact decimals in 4 bytes each: the mantissa (27 bits,
/// signed) and the scale (5 bits) packed in a `u32`; the rare value that
/// does not fit (a larger mantissa, a negative zero) is kept whole in a side
/// list sorted by row, its slot holding [`Decs::ODD`]. A value reads back as
/// the identical [`Decimal`] (mantissa, scale and sign).
#[derive(Debug, Clone, Default)]
pub(crate) struct Decs {
    packed: Vec<u32>,
    /// (row, value) of the values that do not fit, rows ascending.
    odd: Vec<(u32, Decimal)>,
}

impl Decs {
    /// The slot of a value kept in the side list (scale bits 31: no decimal
    /// has a scale above 28).
    const ODD: u32 = 31;
    const LIMIT: i128 = 1 << 26;

    fn pack(d: Decimal) -> Option<u32> {
        let m = d.mantissa();
        if m == 0 && d.is_sign_negative() || !(-Self::LIMIT..Self::LIMIT).contains(&m) {
            return None;
        }
        // two's complement of the 27-bit mantissa, above the scale
        Some(((m as i32 as u32) << 5) | d.scale())
    }

    fn unpack(p: u32) -> Decimal {
        let m = (p as i32) >> 5;
        Decimal::from_i128_with_scale(i128::from(m), p & 31)
    }

    pub(crate) fn len(&self) -> usize {
        self.packed.len()
    }

    pub(crate) fn push(&mut self, d: Decimal) {
        match Self::pack(d) {
            Some(p) => self.packed.push(p),
            None => {
                self.odd.push((self.packed.len() as u32, d));
                self.packed.push(Self::ODD);
            }
        }
    }

    pub(crate) fn get(&self, i: usize) -> Decimal {
        let p = self.packed[i];
        if p & 31 == Self::ODD {
            let k = self.odd.partition_point(|&(r, _)| (r as usize) < i);
            self.odd.get(k).map_or(Decimal::ZERO, |&(_, d)| d)
        } else {
            Self::unpack(p)
        }
    }

    pub(crate) fn reserve_exact(&mut self, n: usize) {
        self.packed.reserve_exact(n);
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.packed.truncate(len);
        let k = self.odd.partition_point(|&(r, _)| (r as usize) < len);
        self.odd.truncate(k);
    }
}

/// A column of amounts in cents in 4 bytes each; the rare amount beyond
/// ±21 474 836.47 € is kept whole in a side list sorted by row, its slot
/// holding [`Cents::ODD`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Cents {
    small: Vec<i32>,
    /// (row, cents) of the amounts that do not fit, rows ascending.
    odd: Vec<(u32, i64)>,
}

impl Cents {
    const ODD: i32 = i32::MIN;

    pub(crate) fn len(&self) -> usize {
        self.small.len()
    }

    pub(crate) fn push(&mut self, c: i64) {
        match i32::try_from(c) {
            Ok(s) if s != Self::ODD => self.small.push(s),
            _ => {
                self.odd.push((self.small.len() as u32, c));
                self.small.push(Self::ODD);
            }
        }
    }

    /// The cents of row `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> i64 {
        match self.small[i] {
            Self::ODD => self.odd_at(i),
            s => i64::from(s),
        }
    }

    #[cold]
    fn odd_at(&self, i: usize) -> i64 {
        let k = self.odd.partition_point(|&(r, _)| (r as usize) < i);
        self.odd.get(k).map_or(0, |&(_, c)| c)
    }

    pub(crate) fn reserve_exact(&mut self, n: usize) {
        self.small.reserve_exact(n);
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.small.truncate(len);
        let k = self.odd.partition_point(|&(r, _)| (r as usize) < len);
        self.odd.truncate(k);
    }

    /// The column of `v`.
    pub(crate) fn from_slice(v: &[i64]) -> Cents {
        let mut c = Cents::default();
        c.small.reserve_exact(v.len());
        for &x in v {
            c.push(x);
        }
        c
    }
}

/// The providers of the lines, interned: each line refers (a `u32`) to a
/// distinct (tenant, provider, detail) triple — a registry has few teams,
/// stores, vehicles and suppliers, so 4 bytes per line instead of 12.
/// Triples are kept on a rollback (unused ones are harmless).
#[derive(Debug, Clone, Default)]
pub(crate) struct Providers {
    id: Vec<u32>,
    triples: Vec<(u32, u32, u32)>,
    index: HashMap<(u32, u32, u32), u32, foldhash::fast::RandomState>,
}

impl Providers {
    fn push(&mut self, t: (u32, u32, u32)) {
        // runs of one provider skip the hash
        let last = self.id.last().map(|&k| k as usize);
        if let Some(k) = last.filter(|&k| self.triples[k] == t) {
            self.id.push(k as u32);
            return;
        }
        let next = self.triples.len() as u32;
        let k = *self.index.entry(t).or_insert(next);
        if k == next {
            self.triples.push(t);
        }
        self.id.push(k);
    }

    /// The (tenant, provider, detail) of line `i`.
    #[inline]
    fn get(&self, i: usize) -> (u32, u32, u32) {
        self.triples[self.id[i] as usize]
    }

    fn from_columns(t: &[u32], a: &[u32], b: &[u32]) -> Providers {
        let mut p = Providers::default();
        p.id.reserve_exact(t.len());
        for ((&t, &a), &b) in t.iter().zip(a).zip(b) {
            p.push((t, a, b));
        }
        p
    }
}

/// The provider columns' encoding of a [`Provider`].
fn encode_provider(p: Provider) -> (u32, u32, u32) {
    match p {
        Provider::Team { tenant, team } => (tenant.0, team.0, NONE),
        Provider::Store {
            tenant,
            store,
            item,
        } => (tenant.0, store.0, item.0),
        Provider::Vehicle {
            tenant,
            vehicle,
            unit,
        } => (tenant.0, vehicle.0, unit_index(unit)),
        Provider::Supplier(s) => (NONE, s.0, NONE),
    }
}

fn unit_index(u: UsageUnit) -> u32 {
    UsageUnit::ALL.iter().position(|x| *x == u).unwrap_or(0) as u32
}

pub(crate) fn nature_index(n: CostNature) -> u8 {
    CostNature::ALL.iter().position(|x| *x == n).unwrap_or(0) as u8
}

fn vat_index(r: Option<VatRate>) -> u8 {
    r.and_then(|r| VatRate::ALL.iter().position(|x| *x == r))
        .map_or(0, |i| i as u8 + 1)
}

/// A line to append, in column form (amounts already checked as whole cents).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewLine<'a> {
    pub work_order: WorkOrderId,
    pub date: NaiveDate,
    pub nature: CostNature,
    pub provider: Provider,
    pub description: &'a str,
    pub quantity: Decimal,
    pub unit_cost: Decimal,
    pub ht: i64,
    pub vat_rate: Option<VatRate>,
    pub vat: i64,
}

/// The columns of the cost lines as a table, in order, for every binding's
/// column view (`cost_lines()` in Python): the line id; the work order code;
/// the date; the nature; the provider's own code and its tenant
/// ([`crate::ProviderCodes`]); the item and the vehicle unit; the
/// description; quantity, unit cost; HT, VAT rate (percent), VAT and TTC.
pub const COST_LINE_COLUMNS: [&str; 15] = [
    "line",
    "work_order",
    "date",
    "nature",
    "provider",
    "provider_tenant",
    "item",
    "unit",
    "description",
    "quantity",
    "unit_cost",
    "ht",
    "vat_rate",
    "vat",
    "ttc",
];

/// The cost lines, as columns (see the [module](self) docs).
#[derive(Debug, Clone, Default)]
pub struct CostLines {
    work_order: Vec<u32>,
    day: Vec<i32>,
    nature: Vec<u8>,
    prov: Providers,
    quantity: Decs,
    unit_cost: Decs,
    ht: Cents,
    vat: Cents,
    vat_rate: Vec<u8>,
    description: Vec<u32>,
    texts: Texts,
    /// The least and greatest day recorded (`None`: no line). A rollback
    /// keeps it: it then bounds the days without being tight.
    day_span: Option<(i32, i32)>,
}

impl PartialEq for CostLines {
    fn eq(&self, o: &CostLines) -> bool {
        self.len() == o.len() && self.iter().eq(o.iter())
    }
}

impl Eq for CostLines {}

/// Iterates the lines as records, in recording order.
impl<'a> IntoIterator for &'a CostLines {
    type Item = CostLine;
    type IntoIter = Box<dyn Iterator<Item = CostLine> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl CostLines {
    /// Number of lines.
    #[must_use]
    pub fn len(&self) -> usize {
        self.day.len()
    }

    /// True when there is no line.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }

    /// The line with this id, as a record.
    #[must_use]
    pub fn get(&self, id: CostLineId) -> Option<CostLine> {
        (id.index() < self.len()).then(|| self.line(id.index()))
    }

    /// The `index`-th line recorded (from 0), as a record.
    #[must_use]
    pub fn at(&self, index: usize) -> Option<CostLine> {
        (index < self.len()).then(|| self.line(index))
    }

    /// Every line, in recording order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = CostLine> + '_ {
        (0..self.len()).map(|i| self.line(i))
    }

    fn line(&self, i: usize) -> CostLine {
        let (ht_c, vat_c) = (self.ht.get(i), self.vat.get(i));
        let (ht, vat) = (from_cents(ht_c), from_cents(vat_c));
        CostLine {
            id: CostLineId(i as u32),
            work_order: WorkOrderId(self.work_order[i]),
            date: date_of(self.day[i]),
            nature: self.nature_of(i),
            provider: self.provider(i),
            description: self.texts.get(self.description[i]).to_owned(),
            quantity: self.quantity.get(i),
            unit_cost: self.unit_cost.get(i),
            ht,
            vat_rate: self.vat_rate_of(i),
            vat,
            ttc: from_cents(ht_c + vat_c),
        }
    }

    pub(crate) fn push(&mut self, l: &NewLine<'_>) -> CostLineId {
        let id = CostLineId(self.len() as u32);
        let (t, a, b) = encode_provider(l.provider);
        self.work_order.push(l.work_order.0);
        let day = day_of(l.date);
        self.day.push(day);
        self.day_span = Some(
            self.day_span
                .map_or((day, day), |(lo, hi)| (lo.min(day), hi.max(day))),
        );
        self.nature.push(nature_index(l.nature));
        self.prov.push((t, a, b));
        self.quantity.push(l.quantity);
        self.unit_cost.push(l.unit_cost);
        self.ht.push(l.ht);
        self.vat.push(l.vat);
        self.vat_rate.push(vat_index(l.vat_rate));
        let d = self.texts.intern(l.description);
        self.description.push(d);
        id
    }

    /// Reserves room for `n` more lines in every column (bulk ingestion
    /// knows its row count: no doubling slack).
    pub(crate) fn reserve(&mut self, n: usize) {
        for v in [
            &mut self.work_order,
            &mut self.prov.id,
            &mut self.description,
        ] {
            v.reserve_exact(n);
        }
        self.day.reserve_exact(n);
        self.nature.reserve_exact(n);
        self.quantity.reserve_exact(n);
        self.unit_cost.reserve_exact(n);
        self.ht.reserve_exact(n);
        self.vat.reserve_exact(n);
        self.vat_rate.reserve_exact(n);
    }

    /// Keeps the first `len` lines (rollback); `texts` is the text count to keep.
    pub(crate) fn truncate(&mut self, len: usize, texts: usize) {
        self.work_order.truncate(len);
        self.day.truncate(len);
        self.nature.truncate(len);
        self.prov.id.truncate(len);
        self.quantity.truncate(len);
        self.unit_cost.truncate(len);
        self.ht.truncate(len);
        self.vat.truncate(len);
        self.vat_rate.truncate(len);
        self.description.truncate(len);
        self.texts.truncate(texts);
        if len == 0 {
            self.day_span = None;
        }
    }

    /// Number of interned texts (for a rollback point).
    pub(crate) fn text_count(&self) -> usize {
        self.texts.len()
    }

    // ---- column access for the read layer (index = line id) ----

    /// Work order column.
    pub(crate) fn work_orders(&self) -> &[u32] {
        &self.work_order
    }
    /// Day column.
    pub(crate) fn days(&self) -> &[i32] {
        &self.day
    }
    /// Days `(lo, hi)` that bound every line's day (`None`: no line): the
    /// least and greatest, or wider after a rollback.
    pub(crate) fn day_bounds(&self) -> Option<(i32, i32)> {
        self.day_span
    }
    /// Nature column (index in [`CostNature::ALL`]).
    pub(crate) fn natures(&self) -> &[u8] {
        &self.nature
    }
    /// Provider column: each line's index into [`CostLines::provider_triples`].
    pub(crate) fn provider_ids(&self) -> &[u32] {
        &self.prov.id
    }
    /// The distinct (tenant, provider, detail) triples the lines refer to:
    /// tenant [`NONE`] and the supplier id for a supplier line.
    pub(crate) fn provider_triples(&self) -> &[(u32, u32, u32)] {
        &self.prov.triples
    }
    /// Providing tenant of line `i` ([`NONE`] for supplier lines).
    #[inline]
    pub(crate) fn provider_tenant(&self, i: usize) -> u32 {
        self.prov.get(i).0
    }
    /// HT cents of line `i`.
    #[inline]
    pub(crate) fn ht_cents(&self, i: usize) -> i64 {
        self.ht.get(i)
    }
    /// VAT cents of line `i`.
    #[inline]
    pub(crate) fn vat_cents(&self, i: usize) -> i64 {
        self.vat.get(i)
    }
    /// TTC cents of line `i`.
    #[inline]
    pub(crate) fn ttc_cents(&self, i: usize) -> i64 {
        self.ht.get(i) + self.vat.get(i)
    }
    /// Supplier of line `i` (external lines only).
    pub(crate) fn supplier(&self, i: usize) -> Option<SupplierId> {
        let (t, a, _) = self.prov.get(i);
        (t == NONE).then_some(SupplierId(a))
    }
    /// Quantity of line `i`.
    pub(crate) fn quantity(&self, i: usize) -> Decimal {
        self.quantity.get(i)
    }
    /// Unit cost of line `i`.
    pub(crate) fn unit_cost(&self, i: usize) -> Decimal {
        self.unit_cost.get(i)
    }
    /// Description of line `i`.
    pub(crate) fn description(&self, i: usize) -> &str {
        self.texts.get(self.description[i])
    }
    /// VAT rate of line `i` (external lines).
    pub(crate) fn vat_rate(&self, i: usize) -> Option<VatRate> {
        self.vat_rate_of(i)
    }
    /// Nature of line `i`.
    pub(crate) fn nature_of(&self, i: usize) -> CostNature {
        CostNature::ALL[self.nature[i] as usize]
    }
    /// Date of line `i`.
    pub(crate) fn date(&self, i: usize) -> NaiveDate {
        date_of(self.day[i])
    }
    fn vat_rate_of(&self, i: usize) -> Option<VatRate> {
        match self.vat_rate[i] {
            0 => None,
            k => VatRate::ALL.get(k as usize - 1).copied(),
        }
    }
    /// Provider of line `i`.
    pub(crate) fn provider(&self, i: usize) -> Provider {
        let (t, a, b) = self.prov.get(i);
        match self.nature_of(i) {
            CostNature::Labour => Provider::Team {
                tenant: TenantId(t),
                team: TeamId(a),
            },
            CostNature::Material => Provider::Store {
                tenant: TenantId(t),
                store: StoreId(a),
                item: ItemId(b),
            },
            CostNature::Vehicle => Provider::Vehicle {
                tenant: TenantId(t),
                vehicle: AssetId(a),
                unit: UsageUnit::ALL
                    .get(b as usize)
                    .copied()
                    .unwrap_or(UsageUnit::ALL[0]),
            },
            // never stored (decoding refuses it): read as a supplier line
            CostNature::External | CostNature::Energy => Provider::Supplier(SupplierId(a)),
        }
    }
}

// ---- columnar snapshots (the store's binary layout) ----

/// Writes columns as little-endian arrays, each prefixed by its element
/// count (a `u64`).
pub(crate) struct ColOut<'w> {
    out: &'w mut dyn std::io::Write,
    buf: Vec<u8>,
}

impl<'w> ColOut<'w> {
    pub(crate) fn new(out: &'w mut dyn std::io::Write) -> ColOut<'w> {
        ColOut {
            out,
            buf: Vec::with_capacity(64 << 10),
        }
    }

    fn count(&mut self, n: usize) -> std::io::Result<()> {
        self.out.write_all(&(n as u64).to_le_bytes())
    }

    /// A byte array.
    pub(crate) fn bytes(&mut self, v: &[u8]) -> std::io::Result<()> {
        self.count(v.len())?;
        self.out.write_all(v)
    }

    fn fixed<T: Copy, const N: usize>(
        &mut self,
        v: &[T],
        le: impl Fn(T) -> [u8; N],
    ) -> std::io::Result<()> {
        self.count(v.len())?;
        for chunk in v.chunks(8192) {
            self.buf.clear();
            for &x in chunk {
                self.buf.extend_from_slice(&le(x));
            }
            self.out.write_all(&self.buf)?;
        }
        Ok(())
    }

    pub(crate) fn u32s(&mut self, v: &[u32]) -> std::io::Result<()> {
        self.fixed(v, u32::to_le_bytes)
    }

    pub(crate) fn i32s(&mut self, v: &[i32]) -> std::io::Result<()> {
        self.fixed(v, i32::to_le_bytes)
    }

    pub(crate) fn i64s(&mut self, v: &[i64]) -> std::io::Result<()> {
        self.fixed(v, i64::to_le_bytes)
    }

    /// The `n` values of `get` as a `u32` column (no copy of the column).
    pub(crate) fn u32s_of(&mut self, n: usize, get: impl Fn(usize) -> u32) -> std::io::Result<()> {
        self.count(n)?;
        let mut start = 0;
        while start < n {
            let end = (start + 8192).min(n);
            self.buf.clear();
            for i in start..end {
                self.buf.extend_from_slice(&get(i).to_le_bytes());
            }
            self.out.write_all(&self.buf)?;
            start = end;
        }
        Ok(())
    }

    /// The `n` values of `get` as an `i64` column (no copy of the column).
    pub(crate) fn i64s_of(&mut self, n: usize, get: impl Fn(usize) -> i64) -> std::io::Result<()> {
        self.count(n)?;
        let mut start = 0;
        while start < n {
            let end = (start + 8192).min(n);
            self.buf.clear();
            for i in start..end {
                self.buf.extend_from_slice(&get(i).to_le_bytes());
            }
            self.out.write_all(&self.buf)?;
            start = end;
        }
        Ok(())
    }

    /// Decimals: a scale column, an `i64` mantissa column, and the few that
    /// do not fit (mantissa beyond `i64`, negative zero) as (row, 16 bytes).
    pub(crate) fn decimals(&mut self, v: &Decs) -> std::io::Result<()> {
        let mut scale = Vec::with_capacity(v.len());
        let mut mantissa = Vec::with_capacity(v.len());
        let mut odd_rows = Vec::new();
        let mut odd = Vec::new();
        for i in 0..v.len() {
            let d = v.get(i);
            let m = i64::try_from(d.mantissa()).ok();
            match m {
                Some(m) if !(m == 0 && d.is_sign_negative()) => {
                    scale.push(d.scale() as u8);
                    mantissa.push(m);
                }
                _ => {
                    scale.push(0);
                    mantissa.push(0);
                    odd_rows.push(i as u32);
                    odd.extend_from_slice(&d.serialize());
                }
            }
        }
        self.bytes(&scale)?;
        self.i64s(&mantissa)?;
        self.u32s(&odd_rows)?;
        self.bytes(&odd)
    }
}

/// Reads what [`ColOut`] wrote, refusing lengths beyond the bytes left in
/// the snapshot (a damaged length never allocates more than the file holds).
pub(crate) struct ColIn<'r> {
    input: &'r mut dyn std::io::Read,
    left: u64,
    /// Reused for the bytes of fixed-width columns.
    scratch: Vec<u8>,
    /// The table being read, for messages.
    pub(crate) table: &'static str,
}

/// The error of a damaged snapshot table.
pub(crate) fn corrupt_table(table: &str, what: impl std::fmt::Display) -> crate::Error {
    crate::Error::CorruptStore {
        message: format!("snapshot table {table}: {what}"),
    }
}

/// The error of a damaged snapshot row.
pub(crate) fn corrupt_row(table: &str, row: usize, what: impl std::fmt::Display) -> crate::Error {
    crate::Error::CorruptStore {
        message: format!("snapshot table {table}, row {row}: {what}"),
    }
}

impl<'r> ColIn<'r> {
    pub(crate) fn new(input: &'r mut dyn std::io::Read, left: u64) -> ColIn<'r> {
        ColIn {
            input,
            left,
            scratch: Vec::new(),
            table: "",
        }
    }

    /// Bytes of the snapshot not read yet.
    pub(crate) fn remaining(&self) -> u64 {
        self.left
    }

    fn err(&self, col: &str, what: impl std::fmt::Display) -> crate::Error {
        corrupt_table(self.table, format!("column {col}: {what}"))
    }

    fn take(&mut self, col: &str, n: u64) -> crate::Result<Vec<u8>> {
        if n > self.left {
            return Err(self.err(col, format!("{n} bytes, only {} left", self.left)));
        }
        let mut v = vec![0; n as usize];
        self.input
            .read_exact(&mut v)
            .map_err(|e| self.err(col, format!("truncated ({e})")))?;
        self.left -= n;
        Ok(v)
    }

    fn count(&mut self, col: &str, width: u64) -> crate::Result<u64> {
        let b = self.take(col, 8)?;
        let n = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        match n.checked_mul(width) {
            Some(bytes) if bytes <= self.left => Ok(bytes),
            _ => Err(self.err(col, format!("{n} elements exceed the snapshot"))),
        }
    }

    /// A byte array.
    pub(crate) fn bytes(&mut self, col: &str) -> crate::Result<Vec<u8>> {
        let n = self.count(col, 1)?;
        self.take(col, n)
    }

    fn fixed<T, const N: usize>(
        &mut self,
        col: &str,
        le: impl Fn([u8; N]) -> T,
    ) -> crate::Result<Vec<T>> {
        let n = self.count(col, N as u64)?;
        let mut raw = std::mem::take(&mut self.scratch);
        raw.resize(n as usize, 0);
        let read = self.input.read_exact(&mut raw);
        if let Err(e) = read {
            return Err(self.err(col, format!("truncated ({e})")));
        }
        self.left -= n;
        let out = raw
            .chunks_exact(N)
            .map(|c| {
                let mut a = [0u8; N];
                a.copy_from_slice(c);
                le(a)
            })
            .collect();
        self.scratch = raw;
        Ok(out)
    }

    pub(crate) fn u32s(&mut self, col: &str) -> crate::Result<Vec<u32>> {
        self.fixed(col, u32::from_le_bytes)
    }

    pub(crate) fn i32s(&mut self, col: &str) -> crate::Result<Vec<i32>> {
        self.fixed(col, i32::from_le_bytes)
    }

    pub(crate) fn i64s(&mut self, col: &str) -> crate::Result<Vec<i64>> {
        self.fixed(col, i64::from_le_bytes)
    }

    /// A column of `n` values that must have exactly `n` elements.
    pub(crate) fn exactly<T>(&self, col: &str, v: Vec<T>, n: usize) -> crate::Result<Vec<T>> {
        if v.len() == n {
            Ok(v)
        } else {
            Err(self.err(col, format!("{} values for {n} rows", v.len())))
        }
    }

    /// The decimals [`ColOut::decimals`] wrote (`n` of them), each checked
    /// (the rows of the whole values ascending).
    pub(crate) fn decimals(&mut self, col: &str, n: usize) -> crate::Result<Decs> {
        let scale = self.bytes(col)?;
        let scale = self.exactly(col, scale, n)?;
        let mantissa = self.i64s(col)?;
        let mantissa = self.exactly(col, mantissa, n)?;
        let odd_rows = self.u32s(col)?;
        let odd = self.bytes(col)?;
        let odd = self.exactly(col, odd, odd_rows.len() * 16)?;
        let mut out = Decs::default();
        out.reserve_exact(n);
        let mut next = 0;
        for (i, (&s, &m)) in scale.iter().zip(&mantissa).enumerate() {
            if odd_rows.get(next).is_some_and(|&r| r as usize == i) {
                let mut b = [0u8; 16];
                b.copy_from_slice(&odd[next * 16..next * 16 + 16]);
                let flags = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                let scale = (flags >> 16) & 0xff;
                if flags & 0x7f00_ffff != 0 || scale > 28 {
                    return Err(corrupt_row(self.table, i, format!("{col}: bad decimal")));
                }
                out.push(Decimal::deserialize(b));
                next += 1;
                continue;
            }
            let d = Decimal::try_from_i128_with_scale(i128::from(m), u32::from(s))
                .map_err(|e| corrupt_row(self.table, i, format!("{col}: {e}")))?;
            out.push(d);
        }
        if let Some(&row) = odd_rows.get(next) {
            return Err(corrupt_row(
                self.table,
                row as usize,
                format!("{col}: bad decimal (row out of order or range)"),
            ));
        }
        Ok(out)
    }
}

impl Texts {
    /// Writes the texts: end offsets, then the concatenated bytes.
    pub(crate) fn encode(&self, out: &mut ColOut<'_>) -> std::io::Result<()> {
        let mut all = String::new();
        let mut ends = Vec::with_capacity(self.texts.len());
        for t in &self.texts {
            all.push_str(t);
            ends.push(all.len() as u32);
        }
        out.u32s(&ends)?;
        out.bytes(all.as_bytes())
    }

    /// Reads texts [`Texts::encode`] wrote (each distinct, valid UTF-8).
    pub(crate) fn decode(input: &mut ColIn<'_>) -> crate::Result<Texts> {
        let ends = input.u32s("text ends")?;
        let bytes = input.bytes("texts")?;
        let all = String::from_utf8(bytes).map_err(|e| input.err("texts", e))?;
        let mut texts = Texts::default();
        texts.texts.reserve(ends.len());
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            let end = end as usize;
            if end < start || end > all.len() || !all.is_char_boundary(end) {
                return Err(input.err("text ends", format!("bad offset at text {i}")));
            }
            let t = &all[start..end];
            if texts.index.contains_key(t) {
                return Err(input.err("texts", format!("text {i} appears twice")));
            }
            texts.intern(t);
            start = end;
        }
        if start != all.len() {
            return Err(input.err("texts", "bytes after the last text"));
        }
        Ok(texts)
    }
}

impl CostLines {
    /// Writes the columns (the asset column is the work orders', not stored).
    pub(crate) fn encode_columns(&self, out: &mut ColOut<'_>) -> std::io::Result<()> {
        out.u32s(&self.work_order)?;
        out.i32s(&self.day)?;
        out.bytes(&self.nature)?;
        let n = self.prov.id.len();
        out.u32s_of(n, |i| self.prov.get(i).0)?;
        out.u32s_of(n, |i| self.prov.get(i).1)?;
        out.u32s_of(n, |i| self.prov.get(i).2)?;
        out.decimals(&self.quantity)?;
        out.decimals(&self.unit_cost)?;
        out.i64s_of(self.ht.len(), |i| self.ht.get(i))?;
        out.i64s_of(self.vat.len(), |i| self.vat.get(i))?;
        out.bytes(&self.vat_rate)?;
        out.u32s(&self.description)?;
        self.texts.encode(out)
    }

    /// Reads the columns [`CostLines::encode_columns`] wrote, checking every
    /// row against the registry `m` (loaded up to its work orders) and the
    /// work orders: references in range, dates within the asset's life,
    /// providers matching the nature, amounts and VAT consistent.
    ///
    /// Errors: [`crate::Error::CorruptStore`] naming the table, row and reason.
    pub(crate) fn decode_columns(
        input: &mut ColIn<'_>,
        m: &crate::Mutualis,
        orders: &crate::WorkOrders,
    ) -> crate::Result<CostLines> {
        input.table = "cost_lines";
        let work_order = input.u32s("work_order")?;
        let n = work_order.len();
        let day = input.i32s("day")?;
        let day = input.exactly("day", day, n)?;
        let nature = input.bytes("nature")?;
        let nature = input.exactly("nature", nature, n)?;
        let prov_tenant = input.u32s("provider tenant")?;
        let prov_tenant = input.exactly("provider tenant", prov_tenant, n)?;
        let prov_a = input.u32s("provider")?;
        let prov_a = input.exactly("provider", prov_a, n)?;
        let prov_b = input.u32s("provider detail")?;
        let prov_b = input.exactly("provider detail", prov_b, n)?;
        let quantity = input.decimals("quantity", n)?;
        let unit_cost = input.decimals("unit_cost", n)?;
        let ht = input.i64s("ht")?;
        let ht = input.exactly("ht", ht, n)?;
        let vat = input.i64s("vat")?;
        let vat = input.exactly("vat", vat, n)?;
        let vat_rate = input.bytes("vat_rate")?;
        let vat_rate = input.exactly("vat_rate", vat_rate, n)?;
        let description = input.u32s("description")?;
        let description = input.exactly("description", description, n)?;
        let texts = Texts::decode(input)?;

        let life: Vec<(i32, i32)> = m
            .assets()
            .iter()
            .map(|a| {
                (
                    day_of(a.commissioned),
                    a.decommissioned.map_or(i32::MAX, day_of),
                )
            })
            .collect();
        let max_day = day_of(NaiveDate::MAX);
        let tenants = m.tenants().len() as u32;
        let (teams, stores, items) = (
            m.teams().len() as u32,
            m.stores().len() as u32,
            m.items().len() as u32,
        );
        let (assets, suppliers) = (m.assets().len() as u32, m.suppliers().len() as u32);
        let n_orders = orders.len() as u32;
        let n_texts = texts.len() as u32;
        for i in 0..n {
            let bad = |what: String| Err(corrupt_row("cost_lines", i, what));
            let w = work_order[i];
            if w >= n_orders {
                return bad(format!("work order id {w} out of range ({n_orders})"));
            }
            let a = orders.asset(w as usize).0;
            let (from, to) = life[a as usize];
            let d = day[i];
            if d < from || d > to || d > max_day {
                return bad(format!(
                    "day {d} outside the life of asset {} ({from}..={to})",
                    m.assets()[a as usize].code
                ));
            }
            let (t, pa, pb) = (prov_tenant[i], prov_a[i], prov_b[i]);
            let ok = match CostNature::ALL.get(usize::from(nature[i])) {
                None => return bad(format!("unknown nature {}", nature[i])),
                Some(CostNature::Labour) => t < tenants && pa < teams && pb == NONE,
                Some(CostNature::Material) => t < tenants && pa < stores && pb < items,
                Some(CostNature::Vehicle) => {
                    t < tenants && pa < assets && (pb as usize) < UsageUnit::ALL.len()
                }
                Some(CostNature::External) => t == NONE && pa < suppliers && pb == NONE,
                // energy costs come from the energy register, never a column
                Some(CostNature::Energy) => false,
            };
            if !ok {
                return bad(format!(
                    "provider ({t}, {pa}, {pb}) out of range for a {:?} line",
                    CostNature::ALL[usize::from(nature[i])]
                ));
            }
            let external = CostNature::ALL[usize::from(nature[i])] == CostNature::External;
            let r = vat_rate[i];
            if usize::from(r) > VatRate::ALL.len()
                || external != (r != 0)
                || (r == 0 && vat[i] != 0)
            {
                return bad(format!(
                    "VAT rate {r} and VAT {} do not fit the nature",
                    vat[i]
                ));
            }
            match ht[i].checked_add(vat[i]) {
                Some(ttc) if ttc != i64::MIN && ht[i] != i64::MIN && vat[i] != i64::MIN => {}
                _ => return bad(format!("HT {} + VAT {} overflows", ht[i], vat[i])),
            }
            if description[i] >= n_texts {
                return bad(format!("description text {} out of range", description[i]));
            }
        }
        let day_span = day.iter().fold(None, |acc, &d| {
            Some(acc.map_or((d, d), |(lo, hi): (i32, i32)| (lo.min(d), hi.max(d))))
        });
        Ok(CostLines {
            work_order,
            day,
            nature,
            prov: Providers::from_columns(&prov_tenant, &prov_a, &prov_b),
            quantity,
            unit_cost,
            ht: Cents::from_slice(&ht),
            vat: Cents::from_slice(&vat),
            day_span,
            vat_rate,
            description,
            texts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimals() -> Vec<Decimal> {
        let mut negative_zero = Decimal::new(0, 2);
        negative_zero.set_sign_negative(true);
        let mut v: Vec<Decimal> = [
            "0",
            "1",
            "6.5",
            "14.2370",
            "-3.25",
            "1.000",
            "0.0000000000000000000000000001",
            "67108863",
            "-67108864",
            "67108864",
            "-67108865",
            "79228162514264337593543950335",
            "-7922816251426433759354395033.5",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        v.push(negative_zero);
        v.push(Decimal::new(5, 0));
        v
    }

    #[test]
    fn packed_decimals_read_back_identical_and_truncate() {
        let v = decimals();
        let mut d = Decs::default();
        for &x in &v {
            d.push(x);
        }
        assert_eq!(d.odd.len(), 5, "beyond 27 bits, and the negative zero");
        for (i, x) in v.iter().enumerate() {
            assert_eq!(d.get(i).serialize(), x.serialize(), "row {i}: {x}");
        }
        d.truncate(10);
        assert_eq!((d.len(), d.odd.len()), (10, 1));
        d.push(v[12]);
        assert_eq!(d.get(10).serialize(), v[12].serialize());
        assert_eq!(d.get(9).serialize(), v[9].serialize());
    }

    #[test]
    fn packed_decimals_keep_the_snapshot_layout() {
        let v = decimals();
        let mut d = Decs::default();
        for &x in &v {
            d.push(x);
        }
        let mut bytes = Vec::new();
        ColOut::new(&mut bytes).decimals(&d).unwrap();
        let mut input: &[u8] = &bytes;
        let back = ColIn::new(&mut input, bytes.len() as u64)
            .decimals("quantity", v.len())
            .unwrap();
        for (i, x) in v.iter().enumerate() {
            assert_eq!(back.get(i).serialize(), x.serialize(), "row {i}");
        }
    }

    #[test]
    fn cents_beyond_i32_are_kept_whole() {
        let v = [
            0,
            -1,
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            i64::from(i32::MIN) + 1,
            i64::MAX,
            i64::MIN + 1,
            2_147_483_648,
            42,
        ];
        let mut c = Cents::default();
        for &x in &v {
            c.push(x);
        }
        assert_eq!(c.odd.len(), 4);
        for (i, &x) in v.iter().enumerate() {
            assert_eq!(c.get(i), x, "row {i}");
        }
        c.truncate(6);
        assert_eq!((c.len(), c.odd.len()), (6, 2));
        c.push(7);
        assert_eq!(c.get(6), 7);
        assert_eq!(c.get(5), i64::MAX);
        let back = Cents::from_slice(&v);
        assert!((0..v.len()).all(|i| back.get(i) == v[i]));
    }

    #[test]
    fn providers_are_interned_by_triple() {
        let mut p = Providers::default();
        for t in [
            (1, 2, NONE),
            (1, 2, NONE),
            (NONE, 2, NONE),
            (1, 2, NONE),
            (1, 3, 4),
        ] {
            p.push(t);
        }
        assert_eq!(p.triples.len(), 3);
        assert_eq!(p.get(3), (1, 2, NONE));
        assert_eq!(p.get(2), (NONE, 2, NONE));
        assert_eq!(p.get(4), (1, 3, 4));
    }
}
