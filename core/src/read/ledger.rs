//! The allocation ledger: who pays what for every cost line, kept up to date
//! as events arrive — one read model in flat columns of dense ids and
//! integer cents.
//!
//! Each line is allocated once, when it is recorded: to a single payer (the
//! holder, DOMAIN §4 step 2) or to the parts of a sharing key (step 1, split
//! by the largest-remainder rule of DOMAIN §3). A custody, key, parent or
//! decommissioning change re-allocates only the lines of the affected asset
//! subtree whose dates fall in the changed period (lines are indexed by
//! asset), so the ledger is never stale and a change costs what it touches.
//!
//! [`Mutualis::ledger_group`] answers the group-by questions of the seed in
//! one pass over the columns, with integer keys: spending per service, per
//! supplier, the cost of an event, of the premises lent to associations, what
//! each commune's régie did for the agglomeration.
//!
//! ```
//! use mutualis::{ledger::{Dimension, LedgerFilter}, Mutualis};
//! let m = Mutualis::new();
//! let rows = m.ledger_group(&[Dimension::Payer, Dimension::Nature], &LedgerFilter::default()).unwrap();
//! assert!(rows.is_empty());
//! ```

use rust_decimal::Decimal;

use crate::custody::PayerRef;
use crate::error::Result;
use crate::ids::{AssetId, TenantId};
use crate::kinds::named_enum;
use crate::lines::{date_of, day_of};
use crate::money::split_cents_into;
use crate::period::Period;
use crate::work::CostNature;
use crate::Mutualis;

/// Marks an absent id in a ledger column.
pub const NONE: u32 = u32::MAX;

/// Set on an allocation that points to split parts.
const SPLIT: u32 = 1 << 31;

/// The allocation of every cost line (see the [module](self) docs).
///
/// Per line: one payer, or a range of parts (payer, HT, TTC in cents) for a
/// line split by a sharing key. Re-allocation leaves the old parts as
/// garbage, compacted when it outweighs the live parts.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Per line: payer tenant id, or `SPLIT | split index`.
    alloc: Vec<u32>,
    /// Per split: first part.
    split_start: Vec<u32>,
    /// Per split: number of parts.
    split_len: Vec<u32>,
    /// Per part: payer.
    part_payer: Vec<u32>,
    /// Per part: HT cents.
    part_ht: Vec<i64>,
    /// Per part: TTC cents.
    part_ttc: Vec<i64>,
    /// Parts no split refers to any more.
    garbage: usize,
    /// Number of (line, payer) rows.
    rows: usize,
    /// The lines recorded on each asset (index = asset id), in order.
    asset_lines: Vec<Vec<u32>>,
    /// During a bulk ingestion, the first line not yet in `asset_lines`:
    /// the ingestion lists its lines once all are recorded, each asset's
    /// list grown once ([`Mutualis::ledger_index_deferred`]).
    deferred: Option<usize>,
    /// During a bulk ingestion (while `deferred`), per asset: who pays and
    /// the days (first, last) over which that holds
    /// ([`Mutualis::payer_span`]); nothing changes who pays meanwhile.
    payers: Vec<Option<(i32, i32, PayerRef)>>,
}

impl PartialEq for Ledger {
    fn eq(&self, o: &Ledger) -> bool {
        self.alloc.len() == o.alloc.len()
            && self.rows == o.rows
            && (0..self.alloc.len()).all(|i| self.parts(i).eq(o.parts(i)))
    }
}

impl Eq for Ledger {}

/// One allocated part: a payer's share of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The paying tenant.
    pub payer: TenantId,
    /// Its part HT, in cents.
    pub ht: i64,
    /// Its part TTC, in cents.
    pub ttc: i64,
}

impl Ledger {
    /// Number of (cost line, payer) rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when no line is allocated.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Number of allocated lines.
    #[must_use]
    pub fn lines(&self) -> usize {
        self.alloc.len()
    }

    /// The single payer of line `i`, or `None` when it is split.
    fn single(&self, i: usize) -> Option<u32> {
        let a = self.alloc[i];
        (a != NONE && a & SPLIT == 0).then_some(a)
    }

    /// True when line `i` is split between the parts of a key.
    fn is_split(&self, i: usize) -> bool {
        let a = self.alloc[i];
        a != NONE && a & SPLIT != 0
    }

    /// The split parts of line `i` (empty for a single payer).
    fn split_range(&self, i: usize) -> std::ops::Range<usize> {
        let a = self.alloc[i];
        if !self.is_split(i) {
            return 0..0;
        }
        let k = (a & !SPLIT) as usize;
        let s = self.split_start[k] as usize;
        s..s + self.split_len[k] as usize
    }

    /// The parts of line `i`, given its HT and TTC cents for a single payer.
    #[inline]
    fn parts_with(&self, i: usize, ht: i64, ttc: i64) -> PartsIter<'_> {
        if i >= self.alloc.len() || self.alloc[i] == NONE {
            return PartsIter::One(None);
        }
        match self.single(i) {
            Some(p) => PartsIter::One(Some(Part {
                payer: TenantId(p),
                ht,
                ttc,
            })),
            None => PartsIter::Many(self, self.split_range(i)),
        }
    }

    /// The parts of line `i` with the single payer's amounts unknown (0): for equality.
    fn parts(&self, i: usize) -> PartsIter<'_> {
        self.parts_with(i, 0, 0)
    }

    fn set_single(&mut self, i: usize, payer: TenantId) {
        self.release(i);
        self.rows += 1;
        self.alloc[i] = payer.0;
    }

    fn set_parts(&mut self, i: usize, parts: impl Iterator<Item = Part>) {
        self.release(i);
        let k = self.split_start.len() as u32;
        let start = self.part_payer.len();
        for p in parts {
            self.part_payer.push(p.payer.0);
            self.part_ht.push(p.ht);
            self.part_ttc.push(p.ttc);
        }
        let n = self.part_payer.len() - start;
        self.split_start.push(start as u32);
        self.split_len.push(n as u32);
        self.rows += n;
        self.alloc[i] = SPLIT | k;
    }

    /// Forgets the current allocation of line `i` (its parts become garbage).
    fn release(&mut self, i: usize) {
        let r = self.split_range(i);
        if self.is_split(i) {
            self.garbage += r.len();
            self.rows -= r.len();
        } else if self.alloc[i] != NONE {
            self.rows -= 1;
        }
        self.alloc[i] = NONE;
    }

    /// Rewrites the parts without garbage when it outweighs the live parts.
    fn maybe_compact(&mut self) {
        if self.garbage < 1024 || self.garbage * 2 < self.part_payer.len() {
            return;
        }
        let mut ss = Vec::new();
        let mut sl = Vec::new();
        let (mut pp, mut ph, mut pt) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..self.alloc.len() {
            if !self.is_split(i) {
                continue;
            }
            let r = self.split_range(i);
            let k = ss.len() as u32;
            ss.push(pp.len() as u32);
            sl.push(r.len() as u32);
            pp.extend_from_slice(&self.part_payer[r.clone()]);
            ph.extend_from_slice(&self.part_ht[r.clone()]);
            pt.extend_from_slice(&self.part_ttc[r]);
            self.alloc[i] = SPLIT | k;
        }
        self.split_start = ss;
        self.split_len = sl;
        self.part_payer = pp;
        self.part_ht = ph;
        self.part_ttc = pt;
        self.garbage = 0;
    }

    /// Reserves room for `n` more lines (bulk ingestion).
    pub(crate) fn reserve(&mut self, n: usize) {
        self.alloc.reserve_exact(n);
    }

    /// Gives back the slack of the per-asset line lists (after a bulk
    /// ingestion: each list grew by doubling).
    pub(crate) fn shrink(&mut self) {
        for v in &mut self.asset_lines {
            v.shrink_to_fit();
        }
        self.asset_lines.shrink_to_fit();
    }

    /// Keeps the allocation of the first `lines` lines (rollback). The lines
    /// dropped were the last recorded, so they are the tail of each asset's list.
    pub(crate) fn truncate(&mut self, lines: usize, assets: usize) {
        for i in lines..self.alloc.len() {
            self.release(i);
        }
        self.alloc.truncate(lines);
        self.asset_lines.truncate(assets);
        for v in &mut self.asset_lines {
            while v.last().is_some_and(|&l| l as usize >= lines) {
                v.pop();
            }
        }
    }
}

/// The ledger's columns, borrowed for a scan (the group-by's inner loop
/// reads them directly).
pub(crate) struct LedgerView<'a> {
    /// Per line: payer tenant id, `SPLIT | split index`, or [`NONE`].
    pub alloc: &'a [u32],
    /// Per split: first part.
    pub split_start: &'a [u32],
    /// Per split: number of parts.
    pub split_len: &'a [u32],
    /// Per part: payer.
    pub part_payer: &'a [u32],
    /// Per part: HT cents.
    pub part_ht: &'a [i64],
    /// Per part: TTC cents.
    pub part_ttc: &'a [i64],
}

impl LedgerView<'_> {
    /// Set on an allocation that points to split parts.
    pub const SPLIT: u32 = SPLIT;
}

impl Ledger {
    /// The columns, for a scan.
    pub(crate) fn view(&self) -> LedgerView<'_> {
        LedgerView {
            alloc: &self.alloc,
            split_start: &self.split_start,
            split_len: &self.split_len,
            part_payer: &self.part_payer,
            part_ht: &self.part_ht,
            part_ttc: &self.part_ttc,
        }
    }
}

/// The parts of one line.
enum PartsIter<'a> {
    One(Option<Part>),
    Many(&'a Ledger, std::ops::Range<usize>),
}

impl Iterator for PartsIter<'_> {
    type Item = Part;
    fn next(&mut self) -> Option<Part> {
        match self {
            PartsIter::One(p) => p.take(),
            PartsIter::Many(l, r) => r.next().map(|j| Part {
                payer: TenantId(l.part_payer[j]),
                ht: l.part_ht[j],
                ttc: l.part_ttc[j],
            }),
        }
    }
}

/// The ledger materialised as one row per (cost line, payer), in line order,
/// then one row per (energy invoice, payer) in recording order (nature
/// `energy`, line, work order, performer and supplier [`NONE`]): the columns
/// [`Mutualis::ledger_columns`] returns for exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerColumns {
    /// Cost line id ([`NONE`] for an energy invoice's row).
    pub line: Vec<u32>,
    /// Paying tenant id.
    pub payer: Vec<u32>,
    /// Performing (providing) tenant id, [`NONE`] for supplier lines.
    pub performer: Vec<u32>,
    /// Supplier id, [`NONE`] for régie lines.
    pub supplier: Vec<u32>,
    /// Service id (ordering, else managing), [`NONE`] if none.
    pub service: Vec<u32>,
    /// Nature (index in [`CostNature::ALL`]).
    pub nature: Vec<u8>,
    /// Asset id.
    pub asset: Vec<u32>,
    /// Work order id ([`NONE`] for an energy invoice's row).
    pub work_order: Vec<u32>,
    /// Day of the cost (days from 0001-01-01, proleptic Gregorian).
    pub day: Vec<i32>,
    /// Payer's part HT, in cents.
    pub ht: Vec<i64>,
    /// Payer's part TTC, in cents.
    pub ttc: Vec<i64>,
}

named_enum! {
    /// A dimension to group the ledger by.
    pub enum Dimension as "dimension" {
        /// Paying tenant.
        Payer = "payer",
        /// Providing tenant (régie); "" for suppliers.
        Performer = "performer",
        /// Supplier; "" for régie lines.
        Supplier = "supplier",
        /// Service, as "TENANT/SERVICE"; "" if none.
        Service = "service",
        /// Nature.
        Nature = "nature",
        /// Asset worked on.
        Asset = "asset",
        /// Work order.
        WorkOrder = "work_order",
        /// Event tag (a row counts once per tag of its work order; "" if none).
        Tag = "tag",
        /// Beneficiary association; "" if none.
        Association = "association",
        /// Year of the cost.
        Year = "year",
        /// Month of the cost, "YYYY-MM".
        Month = "month",
    }
}

/// Which ledger rows to keep (all given criteria must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    /// Costs dated within this period.
    pub period: Option<Period>,
    /// Paid by this tenant.
    pub payer: Option<String>,
    /// Provided by this tenant's régie.
    pub performer: Option<String>,
    /// Of this nature.
    pub nature: Option<CostNature>,
    /// On work orders with this tag.
    pub tag: Option<String>,
    /// On this asset or its descendants.
    pub asset: Option<String>,
}

/// One group of [`Mutualis::ledger_group`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    /// The group's keys, one per dimension, as codes.
    pub keys: Vec<String>,
    /// Sum of HT parts.
    pub ht: Decimal,
    /// Sum of TTC parts.
    pub ttc: Decimal,
    /// Number of ledger rows.
    pub rows: usize,
    /// Number of distinct work orders.
    pub work_orders: usize,
}

impl Mutualis {
    /// The ledger (allocation of every cost line).
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The asset of line `i` (its work order's).
    #[inline]
    pub(crate) fn line_asset(&self, i: usize) -> u32 {
        self.work_orders
            .asset(self.cost_lines.work_orders()[i] as usize)
            .0
    }

    /// Allocates line `i` (newly recorded, or after a change of who pays).
    pub(crate) fn allocate(&mut self, i: usize) -> Result<()> {
        self.allocate_on(i, self.cost_lines.date(i))
    }

    /// [`Mutualis::allocate`] given line `i`'s date.
    fn allocate_on(&mut self, i: usize, date: chrono::NaiveDate) -> Result<()> {
        let asset = AssetId(self.line_asset(i));
        if self.ledger.alloc.len() <= i {
            self.ledger.alloc.resize(i + 1, NONE);
        }
        let tracked = !self.budgets.is_empty() && self.ledger.alloc[i] != NONE;
        if tracked {
            self.track_budgets(i, -1);
        }
        self.allocate_parts(i, asset, date)?;
        if !self.budgets.is_empty() {
            self.track_budgets(i, 1);
        }
        Ok(())
    }

    /// Who pays on `asset` at `date`: during a bulk ingestion, from the
    /// asset's last answer when `date` is in its span.
    fn payer_ref_memo(&mut self, asset: AssetId, date: chrono::NaiveDate) -> PayerRef {
        if self.ledger.deferred.is_none() {
            return self.payer_ref(asset, date);
        }
        let day = day_of(date);
        if let Some(Some((lo, hi, r))) = self.ledger.payers.get(asset.index()) {
            if *lo <= day && day <= *hi {
                return *r;
            }
        }
        let (r, lo, hi) = self.payer_span(asset, date);
        let memo = &mut self.ledger.payers;
        if memo.len() <= asset.index() {
            memo.resize(asset.index() + 1, None);
        }
        memo[asset.index()] = Some((lo, hi, r));
        r
    }

    fn allocate_parts(&mut self, i: usize, asset: AssetId, date: chrono::NaiveDate) -> Result<()> {
        let payer = self.payer_ref_memo(asset, date);
        let lines = &self.cost_lines;
        match payer {
            PayerRef::Single(t) => self.ledger.set_single(i, t),
            PayerRef::Key { asset: x, key } => {
                let shares = &self.custody.keys_of(x)[key].shares;
                let (ht_c, ttc_c) = (lines.ht_cents(i), lines.ttc_cents(i));
                // keys rarely have more than 16 tenants: split on the stack then
                let (mut w16, mut h16, mut t16) = ([0u64; 16], [0i64; 16], [0i64; 16]);
                let (mut wv, mut hv, mut tv) = (Vec::new(), Vec::new(), Vec::new());
                let n = shares.len();
                let (weights, ht, ttc): (&mut [u64], &mut [i64], &mut [i64]) = if n <= 16 {
                    (&mut w16[..n], &mut h16[..n], &mut t16[..n])
                } else {
                    wv.resize(n, 0);
                    hv.resize(n, 0);
                    tv.resize(n, 0);
                    (&mut wv, &mut hv, &mut tv)
                };
                for (w, s) in weights.iter_mut().zip(shares) {
                    *w = s.weight;
                }
                split_cents_into(ht_c, weights, ht)?;
                split_cents_into(ttc_c, weights, ttc)?;
                // written straight into the parts arena: no allocation per line
                self.ledger.set_parts(
                    i,
                    shares
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.weight > 0)
                        .map(|(j, s)| Part {
                            payer: s.tenant,
                            ht: ht[j],
                            ttc: ttc[j],
                        }),
                );
            }
        }
        Ok(())
    }

    /// Indexes and allocates a newly recorded line, dated `date`.
    pub(crate) fn ledger_append(&mut self, i: usize, date: chrono::NaiveDate) -> Result<()> {
        if self.ledger.deferred.is_none() {
            let asset = self.line_asset(i) as usize;
            if self.ledger.asset_lines.len() <= asset {
                self.ledger.asset_lines.resize_with(asset + 1, Vec::new);
            }
            self.ledger.asset_lines[asset].push(i as u32);
        }
        self.allocate_on(i, date)
    }

    /// Lines recorded from now on are allocated but not yet listed per
    /// asset, until [`Mutualis::ledger_index_deferred`] (bulk ingestion:
    /// nothing reads the lists in between).
    #[cfg(feature = "arrow")]
    pub(crate) fn ledger_defer_index(&mut self) {
        if self.ledger.deferred.is_none() {
            self.ledger.deferred = Some(self.cost_lines.len());
        }
    }

    /// Lists the lines recorded since [`Mutualis::ledger_defer_index`] on
    /// their assets, in recording order: counted first, so each asset's
    /// list grows once, not by doubling.
    #[cfg(feature = "arrow")]
    pub(crate) fn ledger_index_deferred(&mut self) {
        let Some(from) = self.ledger.deferred.take() else {
            return;
        };
        self.ledger.payers = Vec::new();
        let to = self.cost_lines.len();
        let mut counts: Vec<u32> = Vec::new();
        for i in from..to {
            let a = self.line_asset(i) as usize;
            if counts.len() <= a {
                counts.resize(a + 1, 0);
            }
            counts[a] += 1;
        }
        let lists = &mut self.ledger.asset_lines;
        if lists.len() < counts.len() {
            lists.resize_with(counts.len(), Vec::new);
        }
        for (list, &n) in lists.iter_mut().zip(&counts) {
            list.reserve_exact(n as usize);
        }
        for i in from..to {
            let a = self.line_asset(i) as usize;
            self.ledger.asset_lines[a].push(i as u32);
        }
    }

    /// Re-allocates the lines on `assets` dated within `period` (all dates
    /// if `None`) after a change of who pays for them.
    pub(crate) fn reallocate(&mut self, assets: &[AssetId], period: Option<Period>) {
        let (from, to) = period.map_or((i32::MIN, i32::MAX), |p| {
            (day_of(p.from), p.to.map_or(i32::MAX, day_of))
        });
        let mut todo = Vec::new();
        for a in assets {
            if let Some(lines) = self.ledger.asset_lines.get(a.index()) {
                for &l in lines {
                    let day = self.cost_lines.days()[l as usize];
                    if day >= from && day <= to {
                        todo.push(l as usize);
                    }
                }
            }
        }
        for i in todo {
            // recorded lines were checked: their amounts split and their
            // assets exist, so allocation cannot fail here
            let _ = self.allocate(i);
        }
        self.ledger.maybe_compact();
    }

    /// The ids of the lines recorded on `asset`, in recording order.
    pub(crate) fn lines_of_asset(&self, asset: AssetId) -> &[u32] {
        self.ledger
            .asset_lines
            .get(asset.index())
            .map_or(&[], |v| v.as_slice())
    }

    /// The latest day of the cost lines recorded on `asset`, if any.
    pub(crate) fn last_line_date(&self, asset: AssetId) -> Option<chrono::NaiveDate> {
        let days = self.cost_lines.days();
        self.ledger
            .asset_lines
            .get(asset.index())?
            .iter()
            .map(|&l| days[l as usize])
            .max()
            .map(date_of)
    }

    /// Re-allocates the lines of `asset`'s subtree within `period`.
    pub(crate) fn reallocate_subtree(&mut self, asset: AssetId, period: Option<Period>) {
        let subtree = self.subtree_ids(asset);
        self.reallocate(&subtree, period);
    }

    /// Allocates every line from scratch (loading a dataset, and the
    /// reference the incremental ledger is tested against).
    pub(crate) fn rebuild_ledger(&mut self) {
        self.ledger = Ledger::default();
        self.reset_budget_spending();
        for i in 0..self.cost_lines.len() {
            let _ = self.ledger_append(i, self.cost_lines.date(i));
        }
    }

    /// The parts of line `i`: (payer, HT cents, TTC cents).
    #[inline]
    pub(crate) fn line_parts(&self, i: usize) -> impl Iterator<Item = Part> + '_ {
        let l = &self.cost_lines;
        self.ledger.parts_with(i, l.ht_cents(i), l.ttc_cents(i))
    }

    /// The service of each asset: its managing service, else its nearest
    /// ancestor's ([`NONE`] if none). One pass over the assets.
    pub(crate) fn managing_services(&self) -> Vec<u32> {
        let mut out = vec![NONE; self.assets().len()];
        let mut done = vec![false; self.assets().len()];
        let mut path = Vec::new();
        for a in 0..self.assets().len() {
            if done[a] {
                continue;
            }
            // walk up to a resolved ancestor, then fill the path
            path.clear();
            let mut x = Some(AssetId(a as u32));
            let mut found = NONE;
            while let Some(id) = x {
                if done[id.index()] {
                    found = out[id.index()];
                    break;
                }
                path.push(id.index());
                if let Some(s) = self.assets()[id.index()].service {
                    found = s.0;
                    break;
                }
                x = self.assets()[id.index()].parent;
            }
            // every asset on the path below the one with a service gets it;
            // the one with a service keeps its own
            for &p in path.iter().rev() {
                if let Some(s) = self.assets()[p].service {
                    found = s.0;
                }
                out[p] = found;
                done[p] = true;
            }
        }
        out
    }

    /// The ledger as one row per (cost line, payer), for exports.
    #[must_use]
    pub fn ledger_columns(&self) -> LedgerColumns {
        self.ledger_columns_masked(None)
    }

    /// [`Mutualis::ledger_columns`] with the rows `mask` lets through.
    pub(crate) fn ledger_columns_masked(
        &self,
        mask: Option<&crate::access::Mask>,
    ) -> LedgerColumns {
        let l = &self.cost_lines;
        let managing = self.managing_services();
        let mut out = LedgerColumns::default();
        for i in 0..l.len() {
            let w = l.work_orders()[i] as usize;
            let service = self
                .work_orders
                .service(w)
                .map_or(managing[self.line_asset(i) as usize], |s| s.0);
            let supplier = l.supplier(i).map_or(NONE, |s| s.0);
            for p in self.line_parts(i) {
                if mask.is_some_and(|m| !m.part(w, p.payer)) {
                    continue;
                }
                out.line.push(i as u32);
                out.payer.push(p.payer.0);
                out.performer.push(l.provider_tenant(i));
                out.supplier.push(supplier);
                out.service.push(service);
                out.nature.push(l.natures()[i]);
                out.asset.push(self.line_asset(i));
                out.work_order.push(l.work_orders()[i]);
                out.day.push(l.days()[i]);
                out.ht.push(p.ht);
                out.ttc.push(p.ttc);
            }
        }
        // the energy invoices (nature `energy`, no line, order, performer
        // or supplier), after the cost lines
        let energy = crate::lines::nature_index(CostNature::Energy);
        self.energy_parts(|p| {
            if mask.is_some_and(|m| !m.payer(p.payer)) {
                return;
            }
            out.line.push(NONE);
            out.payer.push(p.payer.0);
            out.performer.push(NONE);
            out.supplier.push(NONE);
            out.service.push(managing[p.asset.index()]);
            out.nature.push(energy);
            out.asset.push(p.asset.0);
            out.work_order.push(NONE);
            out.day.push(p.day);
            out.ht.push(p.ht);
            out.ttc.push(p.ttc);
        });
        out
    }
}
