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
    index: HashMap<Arc<str>, u32>,
}

impl Texts {
    /// The id of `text`, interning it if new.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.index.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        let shared: Arc<str> = Arc::from(text);
        self.texts.push(shared.clone());
        self.index.insert(shared, id);
        id
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
    pub asset: AssetId,
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

/// The cost lines, as columns (see the [module](self) docs).
#[derive(Debug, Clone, Default)]
pub struct CostLines {
    work_order: Vec<u32>,
    asset: Vec<u32>,
    day: Vec<i32>,
    nature: Vec<u8>,
    prov_tenant: Vec<u32>,
    prov_a: Vec<u32>,
    prov_b: Vec<u32>,
    quantity: Vec<Decimal>,
    unit_cost: Vec<Decimal>,
    ht: Vec<i64>,
    vat: Vec<i64>,
    vat_rate: Vec<u8>,
    description: Vec<u32>,
    texts: Texts,
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
        let ht = from_cents(self.ht[i]);
        let vat = from_cents(self.vat[i]);
        CostLine {
            id: CostLineId(i as u32),
            work_order: WorkOrderId(self.work_order[i]),
            date: date_of(self.day[i]),
            nature: self.nature_of(i),
            provider: self.provider(i),
            description: self.texts.get(self.description[i]).to_owned(),
            quantity: self.quantity[i],
            unit_cost: self.unit_cost[i],
            ht,
            vat_rate: self.vat_rate_of(i),
            vat,
            ttc: from_cents(self.ht[i] + self.vat[i]),
        }
    }

    pub(crate) fn push(&mut self, l: &NewLine<'_>) -> CostLineId {
        let id = CostLineId(self.len() as u32);
        let (t, a, b) = encode_provider(l.provider);
        self.work_order.push(l.work_order.0);
        self.asset.push(l.asset.0);
        self.day.push(day_of(l.date));
        self.nature.push(nature_index(l.nature));
        self.prov_tenant.push(t);
        self.prov_a.push(a);
        self.prov_b.push(b);
        self.quantity.push(l.quantity);
        self.unit_cost.push(l.unit_cost);
        self.ht.push(l.ht);
        self.vat.push(l.vat);
        self.vat_rate.push(vat_index(l.vat_rate));
        let d = self.texts.intern(l.description);
        self.description.push(d);
        id
    }

    /// Keeps the first `len` lines (rollback); `texts` is the text count to keep.
    pub(crate) fn truncate(&mut self, len: usize, texts: usize) {
        self.work_order.truncate(len);
        self.asset.truncate(len);
        self.day.truncate(len);
        self.nature.truncate(len);
        self.prov_tenant.truncate(len);
        self.prov_a.truncate(len);
        self.prov_b.truncate(len);
        self.quantity.truncate(len);
        self.unit_cost.truncate(len);
        self.ht.truncate(len);
        self.vat.truncate(len);
        self.vat_rate.truncate(len);
        self.description.truncate(len);
        self.texts.truncate(texts);
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
    /// Asset column (the work order's asset).
    pub(crate) fn assets(&self) -> &[u32] {
        &self.asset
    }
    /// Day column.
    pub(crate) fn days(&self) -> &[i32] {
        &self.day
    }
    /// Nature column (index in [`CostNature::ALL`]).
    pub(crate) fn natures(&self) -> &[u8] {
        &self.nature
    }
    /// Providing tenant column ([`NONE`] for supplier lines).
    pub(crate) fn provider_tenants(&self) -> &[u32] {
        &self.prov_tenant
    }
    /// HT cents column.
    pub(crate) fn ht_cents(&self) -> &[i64] {
        &self.ht
    }
    /// VAT cents column.
    pub(crate) fn vat_cents(&self) -> &[i64] {
        &self.vat
    }
    /// TTC cents of one line.
    pub(crate) fn ttc_cents(&self, i: usize) -> i64 {
        self.ht[i] + self.vat[i]
    }
    /// Supplier of line `i` (external lines only).
    pub(crate) fn supplier(&self, i: usize) -> Option<SupplierId> {
        (self.prov_tenant[i] == NONE).then_some(SupplierId(self.prov_a[i]))
    }
    /// Quantity of line `i`.
    pub(crate) fn quantity(&self, i: usize) -> Decimal {
        self.quantity[i]
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
        let (t, a, b) = (self.prov_tenant[i], self.prov_a[i], self.prov_b[i]);
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
            CostNature::External => Provider::Supplier(SupplierId(a)),
        }
    }
}
