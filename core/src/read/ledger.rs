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

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::custody::PayerRef;
use crate::error::Result;
use crate::ids::{AssetId, TenantId};
use crate::kinds::named_enum;
use crate::lines::{date_of, day_of, nature_index};
use crate::money::{from_cents, split_cents_into};
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

    fn set_parts(&mut self, i: usize, parts: &[Part]) {
        self.release(i);
        let k = self.split_start.len() as u32;
        self.split_start.push(self.part_payer.len() as u32);
        self.split_len.push(parts.len() as u32);
        for p in parts {
            self.part_payer.push(p.payer.0);
            self.part_ht.push(p.ht);
            self.part_ttc.push(p.ttc);
        }
        self.rows += parts.len();
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

/// The ledger materialised as one row per (cost line, payer), in line order:
/// the columns [`Mutualis::ledger_columns`] returns for exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerColumns {
    /// Cost line id.
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
    /// Work order id.
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

/// The most dimensions a group key can have (each dimension once).
const MAX_DIMS: usize = Dimension::ALL.len();

/// Interned strings of one query (tags, associations), by first appearance.
#[derive(Default)]
struct Names<'a> {
    names: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Names<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s);
        self.index.insert(s, i);
        i
    }
}

impl Mutualis {
    /// The ledger (allocation of every cost line).
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Allocates line `i` (newly recorded, or after a change of who pays).
    pub(crate) fn allocate(&mut self, i: usize) -> Result<()> {
        let lines = &self.cost_lines;
        let asset = AssetId(lines.assets()[i]);
        let date = lines.date(i);
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

    fn allocate_parts(&mut self, i: usize, asset: AssetId, date: chrono::NaiveDate) -> Result<()> {
        let lines = &self.cost_lines;
        match self.payer_ref(asset, date) {
            PayerRef::Single(t) => self.ledger.set_single(i, t),
            PayerRef::Key { asset: x, key } => {
                let shares = &self.keys[x.index()][key].shares;
                let mut weights = [0u64; 16];
                let mut ht = [0i64; 16];
                let mut ttc = [0i64; 16];
                let (ht_c, ttc_c) = (lines.ht_cents()[i], lines.ttc_cents(i));
                let parts: Vec<Part> = if shares.len() <= 16 {
                    let n = shares.len();
                    for (w, s) in weights.iter_mut().zip(shares) {
                        *w = s.weight;
                    }
                    split_cents_into(ht_c, &weights[..n], &mut ht[..n])?;
                    split_cents_into(ttc_c, &weights[..n], &mut ttc[..n])?;
                    shares
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.weight > 0)
                        .map(|(j, s)| Part {
                            payer: s.tenant,
                            ht: ht[j],
                            ttc: ttc[j],
                        })
                        .collect()
                } else {
                    let w: Vec<u64> = shares.iter().map(|s| s.weight).collect();
                    let mut h = vec![0; w.len()];
                    let mut t = vec![0; w.len()];
                    split_cents_into(ht_c, &w, &mut h)?;
                    split_cents_into(ttc_c, &w, &mut t)?;
                    shares
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.weight > 0)
                        .map(|(j, s)| Part {
                            payer: s.tenant,
                            ht: h[j],
                            ttc: t[j],
                        })
                        .collect()
                };
                self.ledger.set_parts(i, &parts);
            }
        }
        Ok(())
    }

    /// Indexes and allocates a newly recorded line.
    pub(crate) fn ledger_append(&mut self, i: usize) -> Result<()> {
        let asset = self.cost_lines.assets()[i] as usize;
        if self.ledger.asset_lines.len() <= asset {
            self.ledger.asset_lines.resize_with(asset + 1, Vec::new);
        }
        self.ledger.asset_lines[asset].push(i as u32);
        self.allocate(i)
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
            let _ = self.ledger_append(i);
        }
    }

    /// The parts of line `i`: (payer, HT cents, TTC cents).
    pub(crate) fn line_parts(&self, i: usize) -> impl Iterator<Item = Part> + '_ {
        let l = &self.cost_lines;
        self.ledger.parts_with(i, l.ht_cents()[i], l.ttc_cents(i))
    }

    /// The service of each asset: its managing service, else its nearest
    /// ancestor's ([`NONE`] if none). One pass over the assets.
    pub(crate) fn managing_services(&self) -> Vec<u32> {
        let mut out = vec![NONE; self.assets.len()];
        let mut done = vec![false; self.assets.len()];
        for a in 0..self.assets.len() {
            if done[a] {
                continue;
            }
            // walk up to a resolved ancestor, then fill the path
            let mut path = Vec::new();
            let mut x = Some(AssetId(a as u32));
            let mut found = NONE;
            while let Some(id) = x {
                if done[id.index()] {
                    found = out[id.index()];
                    break;
                }
                path.push(id.index());
                if let Some(s) = self.assets[id.index()].service {
                    found = s.0;
                    break;
                }
                x = self.assets[id.index()].parent;
            }
            // every asset on the path below the one with a service gets it;
            // the one with a service keeps its own
            for &p in path.iter().rev() {
                if let Some(s) = self.assets[p].service {
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
        let l = &self.cost_lines;
        let managing = self.managing_services();
        let mut out = LedgerColumns::default();
        for i in 0..l.len() {
            let wo = &self.work_orders[l.work_orders()[i] as usize];
            let service = wo.service.map_or(managing[wo.asset.index()], |s| s.0);
            let supplier = l.supplier(i).map_or(NONE, |s| s.0);
            for p in self.line_parts(i) {
                out.line.push(i as u32);
                out.payer.push(p.payer.0);
                out.performer.push(l.provider_tenants()[i]);
                out.supplier.push(supplier);
                out.service.push(service);
                out.nature.push(l.natures()[i]);
                out.asset.push(l.assets()[i]);
                out.work_order.push(l.work_orders()[i]);
                out.day.push(l.days()[i]);
                out.ht.push(p.ht);
                out.ttc.push(p.ttc);
            }
        }
        out
    }

    /// Groups the ledger rows kept by `filter` by `dims`; rows sorted by keys.
    ///
    /// One pass over the columns with integer group keys; codes are looked
    /// up once per group at the end.
    pub fn ledger_group(&self, dims: &[Dimension], filter: &LedgerFilter) -> Result<Vec<GroupRow>> {
        let payer = filter
            .payer
            .as_deref()
            .map(|t| self.tenant_id(t))
            .transpose()?;
        let performer = filter
            .performer
            .as_deref()
            .map(|t| self.tenant_id(t))
            .transpose()?;
        let in_subtree: Option<Vec<bool>> = match &filter.asset {
            Some(code) => {
                let mut v = vec![false; self.assets.len()];
                for a in self.subtree_ids(self.asset_id(code)?) {
                    v[a.index()] = true;
                }
                Some(v)
            }
            None => None,
        };
        let (from, to) = filter.period.map_or((i32::MIN, i32::MAX), |p| {
            (day_of(p.from), p.to.map_or(i32::MAX, day_of))
        });
        let nature = filter.nature.map(nature_index);
        let dims: Vec<Dimension> = dims.iter().copied().take(MAX_DIMS).collect();
        let by_tag = dims.contains(&Dimension::Tag);
        let needs_service = dims.contains(&Dimension::Service);
        let managing = if needs_service {
            self.managing_services()
        } else {
            Vec::new()
        };
        // per work order: tag ids (only what the query needs)
        let mut tag_names = Names::default();
        let mut assoc_names = Names::default();
        let tag_filter = filter.tag.as_deref();
        let n_wo = self.work_orders.len();
        let mut wo_tags_start = Vec::new();
        let mut wo_tags: Vec<u32> = Vec::new();
        let mut wo_keep = vec![tag_filter.is_none(); if tag_filter.is_some() { n_wo } else { 0 }];
        let mut wo_assoc = Vec::new();
        if by_tag {
            wo_tags_start.reserve(n_wo + 1);
        }
        for (w, wo) in self.work_orders.iter().enumerate() {
            if by_tag {
                wo_tags_start.push(wo_tags.len() as u32);
                if wo.tags.is_empty() {
                    wo_tags.push(NONE);
                }
                for t in &wo.tags {
                    wo_tags.push(tag_names.id(t));
                }
            }
            if let Some(tag) = tag_filter {
                wo_keep[w] = wo.tags.iter().any(|t| t == tag);
            }
            if dims.contains(&Dimension::Association) {
                wo_assoc.push(
                    wo.association
                        .as_deref()
                        .map_or(NONE, |a| assoc_names.id(a)),
                );
            }
        }
        if by_tag {
            wo_tags_start.push(wo_tags.len() as u32);
        }
        let l = &self.cost_lines;
        let (days, natures, wos, assets, prov) = (
            l.days(),
            l.natures(),
            l.work_orders(),
            l.assets(),
            l.provider_tenants(),
        );
        type Acc = (i64, i64, usize, u32);
        let mut index: HashMap<[u32; MAX_DIMS], usize> = HashMap::new();
        let mut groups: Vec<([u32; MAX_DIMS], Acc)> = Vec::new();
        let mut pairs: Vec<u64> = Vec::new();
        for i in 0..l.len() {
            let day = days[i];
            if day < from
                || day > to
                || performer.is_some_and(|p| p.0 != prov[i])
                || nature.is_some_and(|n| n != natures[i])
                || in_subtree.as_ref().is_some_and(|v| !v[assets[i] as usize])
            {
                continue;
            }
            let w = wos[i] as usize;
            if tag_filter.is_some() && !wo_keep[w] {
                continue;
            }
            let tags: &[u32] = if by_tag {
                &wo_tags[wo_tags_start[w] as usize..wo_tags_start[w + 1] as usize]
            } else {
                &[NONE]
            };
            for part in self.line_parts(i) {
                if payer.is_some_and(|p| p != part.payer) {
                    continue;
                }
                for &tag in tags {
                    let mut key = [0u32; MAX_DIMS];
                    for (k, d) in key.iter_mut().zip(&dims) {
                        *k = match d {
                            Dimension::Payer => part.payer.0,
                            Dimension::Performer => prov[i],
                            Dimension::Supplier => l.supplier(i).map_or(NONE, |s| s.0),
                            Dimension::Service => self.work_orders[w]
                                .service
                                .map_or(managing[assets[i] as usize], |s| s.0),
                            Dimension::Nature => u32::from(natures[i]),
                            Dimension::Asset => assets[i],
                            Dimension::WorkOrder => w as u32,
                            Dimension::Tag => tag,
                            Dimension::Association => wo_assoc[w],
                            Dimension::Year => date_of(day).year() as u32,
                            Dimension::Month => {
                                let d = date_of(day);
                                (d.year() as u32) * 100 + d.month()
                            }
                        };
                    }
                    let g = *index.entry(key).or_insert_with(|| {
                        groups.push((key, (0, 0, 0, NONE)));
                        groups.len() - 1
                    });
                    let acc = &mut groups[g].1;
                    acc.0 += part.ht;
                    acc.1 += part.ttc;
                    acc.2 += 1;
                    if acc.3 != w as u32 {
                        acc.3 = w as u32;
                        pairs.push(((g as u64) << 32) | w as u64);
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut distinct = vec![0usize; groups.len()];
        for p in pairs {
            distinct[(p >> 32) as usize] += 1;
        }
        let code = |d: Dimension, k: u32| -> String {
            if k == NONE {
                return String::new();
            }
            match d {
                Dimension::Payer | Dimension::Performer => self.tenant_code(TenantId(k)).to_owned(),
                Dimension::Supplier => self.suppliers[k as usize].code.clone(),
                Dimension::Service => {
                    let s = &self.services[k as usize];
                    format!("{}/{}", self.tenant_code(s.tenant), s.code)
                }
                Dimension::Nature => CostNature::ALL[k as usize].as_str().to_owned(),
                Dimension::Asset => self.assets[k as usize].code.clone(),
                Dimension::WorkOrder => self.work_orders[k as usize].code.clone(),
                Dimension::Tag => tag_names.names[k as usize].to_owned(),
                Dimension::Association => assoc_names.names[k as usize].to_owned(),
                Dimension::Year => (k as i32).to_string(),
                Dimension::Month => format!("{:04}-{:02}", k / 100, k % 100),
            }
        };
        let mut out: BTreeMap<Vec<String>, GroupRow> = BTreeMap::new();
        for (g, (key, (ht, ttc, rows, _))) in groups.into_iter().enumerate() {
            let keys: Vec<String> = dims.iter().zip(key).map(|(d, k)| code(*d, k)).collect();
            let row = out.entry(keys.clone()).or_insert(GroupRow {
                keys,
                ht: from_cents(0),
                ttc: from_cents(0),
                rows: 0,
                work_orders: 0,
            });
            row.ht += from_cents(ht);
            row.ttc += from_cents(ttc);
            row.rows += rows;
            row.work_orders += distinct[g];
        }
        Ok(out.into_values().collect())
    }
}
