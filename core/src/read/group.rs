//! [`Mutualis::ledger_group`]: one pass over the ledger's columns with
//! integer group keys.
//!
//! Each dimension maps a row to a dense code (a tenant id, a year offset, a
//! nature index…); the codes combine into one mixed-radix key (`u64`, or
//! `u128` for a very large key space), so groups accumulate through a flat
//! array of group slots without hashing when the key space is small (the
//! usual case: years × payers × services × natures), and through a hash map
//! with a fast integer hasher otherwise.
//!
//! A key is a sum of per-dimension terms (code × the dimension's stride), and
//! most terms are read from small tables built once per query instead of
//! being computed per row: the year and month terms per day of the span, the
//! nature term per nature, the performer and supplier terms per distinct
//! provider of the lines, the service, asset, work order and association
//! terms once per work order. The filters fold into the same tables (a
//! nature, a performer, a period) or are checked once per work order (an
//! asset subtree, a tag, a principal's mask), so the inner loop reads the
//! line columns in order, adds three table entries and accumulates integer
//! cents. A line with a single payer (no sharing key) is one row; a split
//! line adds its parts, one row each, or their sum when the payer is not a
//! dimension.
//!
//! Distinct work orders per group are counted exactly in the same pass: a
//! group remembers the last order it counted, which is exact when the rows
//! of an order come together. Lines recorded order by order (bulk
//! ingestion, batches) have consecutive ids per order, and the scan follows
//! the line columns in id order; otherwise it walks the lines order by order.
//! Codes are looked up once per distinct value at the end, and the groups
//! are sorted by the ranks of their codes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::{Add, Mul};

use chrono::Datelike;

use crate::error::{Error, Result};
use crate::ids::TenantId;
use crate::ledger::{Dimension, GroupRow, LedgerFilter, LedgerView, NONE};
use crate::lines::{date_of, day_of, nature_index};
use crate::money::from_cents;
use crate::work::CostNature;
use crate::Mutualis;

/// Above this many possible keys, groups go to a hash map.
const DENSE_LIMIT: u64 = 1 << 20;

/// A multiplicative hasher for integer keys (FxHash's constant).
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn write_u128(&mut self, x: u128) {
        self.write_u64(x as u64);
        self.write_u64((x >> 64) as u64);
    }
}

type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// A group key: `u64` when the key space fits, else `u128`.
trait Key:
    Copy + Default + Eq + Hash + Add<Output = Self> + Mul<Output = Self> + From<u32> + 'static
{
    fn of(x: u64) -> Self;
    /// The key as an index (dense key spaces only, below [`DENSE_LIMIT`]).
    fn index(self) -> usize;
    /// (self / r, self % r).
    fn divmod(self, r: u64) -> (Self, u64);
}

impl Key for u64 {
    #[inline]
    fn of(x: u64) -> u64 {
        x
    }
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
    fn divmod(self, r: u64) -> (u64, u64) {
        (self / r, self % r)
    }
}

impl Key for u128 {
    #[inline]
    fn of(x: u64) -> u128 {
        u128::from(x)
    }
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
    fn divmod(self, r: u64) -> (u128, u64) {
        (self / u128::from(r), (self % u128::from(r)) as u64)
    }
}

/// Where a key's group slot lives (`u32::MAX`: no group yet).
trait Slots<K> {
    fn slot(&mut self, key: K) -> &mut u32;
}

/// A slot per possible key.
struct Dense(Vec<u32>);

impl<K: Key> Slots<K> for Dense {
    #[inline]
    fn slot(&mut self, key: K) -> &mut u32 {
        &mut self.0[key.index()]
    }
}

/// A slot per key met.
struct Sparse<K>(IntMap<K, u32>);

impl<K: Key> Slots<K> for Sparse<K> {
    #[inline]
    fn slot(&mut self, key: K) -> &mut u32 {
        self.0.entry(key).or_insert(u32::MAX)
    }
}

/// A group's sums.
#[derive(Clone, Copy)]
struct Acc {
    ht: i64,
    ttc: i64,
    rows: usize,
    orders: usize,
    /// The work order counted last ([`NONE`]: none yet).
    last: u32,
}

/// The groups met so far, in order of first meeting.
struct Groups<K, S> {
    slots: S,
    keys: Vec<K>,
    acc: Vec<Acc>,
}

impl<K: Key, S: Slots<K>> Groups<K, S> {
    /// Adds `rows` rows of order `order` ([`NONE`] for an energy invoice,
    /// which counts no order) to the group of `key`.
    #[inline(always)]
    fn add(&mut self, key: K, ht: i64, ttc: i64, rows: usize, order: u32) {
        let slot = self.slots.slot(key);
        if *slot == u32::MAX {
            *slot = self.acc.len() as u32;
            self.acc.push(Acc {
                ht: 0,
                ttc: 0,
                rows: 0,
                orders: 0,
                last: NONE,
            });
            self.keys.push(key);
        }
        let g = *slot as usize;
        let a = &mut self.acc[g];
        a.ht += ht;
        a.ttc += ttc;
        a.rows += rows;
        if order != NONE && a.last != order {
            a.last = order;
            a.orders += 1;
        }
    }
}

/// A dimension read once per work order.
#[derive(Clone, Copy)]
enum OrderDim {
    Service,
    Asset,
    WorkOrder,
    Association,
}

/// What one query reads, resolved into tables (see the [module](self) docs).
struct Plan<'a, K> {
    /// First day of `day_key`.
    day0: i32,
    /// The year and month terms of each day of the span (empty: no time
    /// dimension).
    day_key: Vec<K>,
    /// The nature term and the nature filter, per nature index.
    nat_key: [K; 256],
    nat_ok: [bool; 256],
    /// The performer and supplier terms and the performer filter, per
    /// distinct provider of the lines.
    prov_key: Vec<K>,
    prov_ok: Vec<bool>,
    /// The period filter, as days.
    from: i32,
    to: i32,
    /// The payer's stride, when the payer is a dimension.
    payer_stride: Option<K>,
    /// Per tenant: a part it pays is kept (payer filter) on an order the
    /// mask lets through whole; on another order (the mask's payers too).
    pass_whole: Vec<bool>,
    pass_masked: Vec<bool>,
    /// The tag's stride, when the tag is a dimension, and the term of "no tag".
    tag_stride: Option<K>,
    tag_none: K,
    /// The dimensions read per work order: (dimension, stride, radix).
    order_dims: Vec<(OrderDim, K, u64)>,
    /// The managing service of each asset (when the service is a dimension).
    managing: Vec<u32>,
    /// The tag filter: `Some(None)` when no order carries the tag.
    tag_filter: Option<Option<u32>>,
    /// The asset filter: the assets of the subtree.
    in_subtree: Option<&'a [bool]>,
    mask: Option<&'a crate::access::Mask>,
    /// True when nothing is read per work order (no order dimension, no
    /// asset, tag or mask filter): every order is kept whole, base 0.
    orderless: bool,
}

/// A work order's part of a key: kept, its terms, whole under the mask.
struct OrderPart<K> {
    ok: bool,
    base: K,
    whole: bool,
}

impl<K: Key> Plan<'_, K> {
    /// The term of `code` in a dimension of radix `r` ([`NONE`]: the last code).
    #[inline]
    fn term(code: u32, r: u64, stride: K) -> K {
        let c = if code == NONE { r - 1 } else { u64::from(code) };
        K::of(c) * stride
    }

    #[inline]
    fn order(&self, m: &Mutualis, w: usize) -> OrderPart<K> {
        let wos = &m.work_orders;
        let asset = wos.asset(w).index();
        let ok = self
            .in_subtree
            .is_none_or(|v| v.get(asset).copied().unwrap_or(false))
            && self
                .tag_filter
                .is_none_or(|t| t.is_some_and(|t| wos.tag_ids(w).contains(&t)));
        let mut base = K::default();
        for &(d, stride, r) in &self.order_dims {
            let code = match d {
                OrderDim::Service => wos.service(w).map_or_else(
                    || self.managing.get(asset).copied().unwrap_or(NONE),
                    |s| s.0,
                ),
                OrderDim::Asset => asset as u32,
                OrderDim::WorkOrder => w as u32,
                OrderDim::Association => wos.association_id(w),
            };
            base = base + Self::term(code, r, stride);
        }
        OrderPart {
            ok,
            base,
            whole: self.mask.is_none_or(|m| m.order(w)),
        }
    }
}

/// Each day of `lo..=hi` with its year offset from `lo`'s year and its
/// month (0-based), visited in order.
fn each_day(lo: i32, hi: i32, mut visit: impl FnMut(i32, u32, u32)) {
    if lo > hi {
        return;
    }
    let d0 = date_of(lo);
    let (mut year, mut month) = (0u32, d0.month0());
    let y0 = d0.year();
    let mut next = first_day_of_month(y0, month + 1);
    for day in lo..=hi {
        while day >= next {
            month += 1;
            if month == 12 {
                month = 0;
                year += 1;
            }
            next = first_day_of_month(y0 + year as i32, month + 1);
        }
        visit(day, year, month);
    }
}

/// The first day of month `month0` (0-based, 12: January of the next year).
fn first_day_of_month(year: i32, month0: u32) -> i32 {
    let (y, m) = if month0 >= 12 {
        (year + 1, month0 - 12)
    } else {
        (year, month0)
    };
    chrono::NaiveDate::from_ymd_opt(y, m + 1, 1).map_or(i32::MAX, day_of)
}

impl Mutualis {
    /// Groups the ledger rows kept by `filter` by `dims`; rows sorted by keys.
    ///
    /// One pass over the columns with integer group keys (see the
    /// [module](crate::read::group) docs).
    ///
    /// ```
    /// use mutualis::{ledger::{Dimension, LedgerFilter}, Mutualis};
    /// let m = Mutualis::new();
    /// assert!(m.ledger_group(&[Dimension::Year], &LedgerFilter::default()).unwrap().is_empty());
    /// ```
    pub fn ledger_group(&self, dims: &[Dimension], filter: &LedgerFilter) -> Result<Vec<GroupRow>> {
        self.ledger_group_masked(dims, filter, None)
    }

    /// [`Mutualis::ledger_group`] over the parts `mask` lets through (a
    /// principal's reader; `None`: every part).
    pub(crate) fn ledger_group_masked(
        &self,
        dims: &[Dimension],
        filter: &LedgerFilter,
        mask: Option<&crate::access::Mask>,
    ) -> Result<Vec<GroupRow>> {
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
                let mut v = vec![false; self.assets().len()];
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
        // energy invoices are ledger rows of their own (no work order)
        let energy_rows = performer.is_none() && filter.tag.is_none();
        // the days the time dimensions span (lines and energy invoices)
        let timed = dims
            .iter()
            .any(|d| matches!(d, Dimension::Year | Dimension::Month));
        let (lo, hi) = if timed {
            let (lo, hi) = self.cost_lines.day_bounds().unwrap_or((i32::MAX, i32::MIN));
            match energy_rows.then(|| self.energy_day_span()).flatten() {
                Some((a, b)) => (lo.min(a), hi.max(b)),
                None => (lo, hi),
            }
        } else {
            (1, 0)
        };
        let (first_year, years) = if lo <= hi {
            let y0 = date_of(lo).year();
            (y0, (date_of(hi).year() - y0 + 1) as u64)
        } else {
            (0, 1)
        };
        let n_texts = self.work_orders.text_count() as u64;
        // the radix of each dimension (codes 0..radix; NONE maps to radix - 1)
        let n_tenants = self.tenants().len() as u64;
        let radix: Vec<u64> = dims
            .iter()
            .map(|d| match d {
                Dimension::Payer => n_tenants.max(1),
                Dimension::Performer => n_tenants + 1,
                Dimension::Supplier => self.suppliers().len() as u64 + 1,
                Dimension::Service => self.services().len() as u64 + 1,
                Dimension::Nature => CostNature::ALL.len() as u64,
                Dimension::Asset => self.assets().len().max(1) as u64,
                Dimension::WorkOrder => self.work_orders.len() as u64 + 1,
                Dimension::Tag | Dimension::Association => n_texts + 1,
                Dimension::Year => years,
                Dimension::Month => years * 12,
            })
            .collect();
        let Some(total) = radix
            .iter()
            .try_fold(1u128, |acc, &r| acc.checked_mul(u128::from(r)))
        else {
            return Err(Error::InvalidField {
                field: "dims",
                reason: format!(
                    "{} dimensions have more than 2^128 possible keys",
                    dims.len()
                ),
            });
        };
        let ctx = Ctx {
            dims,
            radix: &radix,
            payer,
            performer,
            in_subtree,
            from,
            to,
            nature,
            energy_rows,
            lo,
            hi,
            first_year,
            mask,
            tag: filter.tag.as_deref(),
        };
        if total <= u128::from(DENSE_LIMIT) {
            let slots = Dense(vec![u32::MAX; total as usize]);
            self.group_with::<u64, _>(&ctx, slots)
        } else if total <= u128::from(u64::MAX) {
            self.group_with::<u64, _>(&ctx, Sparse(IntMap::default()))
        } else {
            self.group_with::<u128, _>(&ctx, Sparse(IntMap::default()))
        }
    }

    /// The query resolved into a [`Plan`], scanned into `slots`, the groups
    /// decoded.
    fn group_with<'a, K: Key, S: Slots<K>>(
        &self,
        c: &'a Ctx<'a>,
        slots: S,
    ) -> Result<Vec<GroupRow>> {
        let (dims, radix) = (c.dims, c.radix);
        // stride of each dimension: the product of the radixes after it
        let mut stride = vec![K::of(1); dims.len()];
        for k in (0..dims.len().saturating_sub(1)).rev() {
            stride[k] = stride[k + 1] * K::of(radix[k + 1]);
        }
        let pos = |want: Dimension| dims.iter().position(|d| *d == want);
        let term = |k: usize, code: u32| Plan::<K>::term(code, radix[k], stride[k]);
        // the time terms per day
        let mut day_key = Vec::new();
        let (y_pos, m_pos) = (pos(Dimension::Year), pos(Dimension::Month));
        if (y_pos.is_some() || m_pos.is_some()) && c.lo <= c.hi {
            day_key.reserve_exact((c.hi - c.lo + 1) as usize);
            each_day(c.lo, c.hi, |_, year, month| {
                let mut key = K::default();
                for (k, d) in dims.iter().enumerate() {
                    match d {
                        Dimension::Year => key = key + term(k, year),
                        Dimension::Month => key = key + term(k, year * 12 + month),
                        _ => {}
                    }
                }
                day_key.push(key);
            });
        }
        // the nature terms
        let mut nat_key = [K::default(); 256];
        let mut nat_ok = [false; 256];
        for n in 0..CostNature::ALL.len() {
            if let Some(k) = pos(Dimension::Nature) {
                nat_key[n] = term(k, n as u32);
            }
            nat_ok[n] = c.nature.is_none_or(|x| usize::from(x) == n);
        }
        // the performer and supplier terms per distinct provider
        let triples = self.cost_lines.provider_triples();
        let mut prov_key = Vec::with_capacity(triples.len());
        let mut prov_ok = Vec::with_capacity(triples.len());
        for &(t, a, _) in triples {
            let mut key = K::default();
            for (k, d) in dims.iter().enumerate() {
                match d {
                    Dimension::Performer => key = key + term(k, t),
                    Dimension::Supplier => key = key + term(k, if t == NONE { a } else { NONE }),
                    _ => {}
                }
            }
            prov_key.push(key);
            prov_ok.push(c.performer.is_none_or(|p| p.0 == t));
        }
        // the parts kept per payer
        let n_tenants = self.tenants().len();
        let pass_whole: Vec<bool> = (0..n_tenants)
            .map(|p| c.payer.is_none_or(|f| f.index() == p))
            .collect();
        let pass_masked: Vec<bool> = (0..n_tenants)
            .map(|p| pass_whole[p] && c.mask.is_some_and(|m| m.payer(TenantId(p as u32))))
            .collect();
        let mut order_dims = Vec::new();
        for (k, d) in dims.iter().enumerate() {
            let od = match d {
                Dimension::Service => OrderDim::Service,
                Dimension::Asset => OrderDim::Asset,
                Dimension::WorkOrder => OrderDim::WorkOrder,
                Dimension::Association => OrderDim::Association,
                _ => continue,
            };
            order_dims.push((od, stride[k], radix[k]));
        }
        let tag_pos = pos(Dimension::Tag);
        let orderless =
            order_dims.is_empty() && c.in_subtree.is_none() && c.tag.is_none() && c.mask.is_none();
        let plan = Plan {
            orderless,
            day0: c.lo,
            day_key,
            nat_key,
            nat_ok,
            prov_key,
            prov_ok,
            from: c.from,
            to: c.to,
            payer_stride: pos(Dimension::Payer).map(|k| stride[k]),
            pass_whole,
            pass_masked,
            tag_stride: tag_pos.map(|k| stride[k]),
            tag_none: tag_pos.map_or(K::default(), |k| term(k, NONE)),
            order_dims,
            managing: if dims.contains(&Dimension::Service) {
                self.managing_services()
            } else {
                Vec::new()
            },
            tag_filter: c.tag.map(|t| self.work_orders.text_id(t)),
            in_subtree: c.in_subtree.as_deref(),
            mask: c.mask,
        };
        let mut groups = Groups {
            slots,
            keys: Vec::new(),
            acc: Vec::new(),
        };
        // the lines: in id order when every order's lines are consecutive,
        // else order by order (the distinct-order count needs an order's
        // rows together)
        let wos = &self.work_orders;
        if wos.lines_consecutive() {
            let col = self.cost_lines.work_orders();
            self.scan(
                &plan,
                &mut groups,
                col.iter().enumerate().map(|(i, &w)| (i, w)),
            );
        } else {
            self.scan(
                &plan,
                &mut groups,
                (0..wos.len()).flat_map(|w| wos.lines(w).map(move |l| (l.index(), w as u32))),
            );
        }
        // the energy invoices: one row per payer's part, nature `energy`,
        // no performer, supplier, work order, tag or association
        if c.energy_rows
            && c.nature
                .is_none_or(|n| n == nature_index(CostNature::Energy))
        {
            let energy = u32::from(nature_index(CostNature::Energy));
            self.energy_parts(|p| {
                if p.day < c.from
                    || p.day > c.to
                    || c.payer.is_some_and(|t| t != p.payer)
                    || c.mask.is_some_and(|m| !m.payer(p.payer))
                    || c.in_subtree
                        .as_ref()
                        .is_some_and(|v| !v.get(p.asset.index()).copied().unwrap_or(false))
                {
                    return;
                }
                // the year and month terms, from the day's table entry
                let mut key = if plan.day_key.is_empty() {
                    K::default()
                } else {
                    plan.day_key[(p.day - plan.day0) as usize]
                };
                for (k, d) in dims.iter().enumerate() {
                    let code = match d {
                        Dimension::Payer => p.payer.0,
                        Dimension::Service => {
                            plan.managing.get(p.asset.index()).copied().unwrap_or(NONE)
                        }
                        Dimension::Nature => energy,
                        Dimension::Asset => p.asset.0,
                        Dimension::Year | Dimension::Month => continue,
                        Dimension::Performer
                        | Dimension::Supplier
                        | Dimension::WorkOrder
                        | Dimension::Tag
                        | Dimension::Association => NONE,
                    };
                    key = key + term(k, code);
                }
                groups.add(key, p.ht, p.ttc, 1, NONE);
            });
        }
        Ok(self.decode(c, groups.keys, groups.acc))
    }

    /// The inner loop: the rows of `lines` ((line, work order) pairs, the
    /// lines of an order together) into `g`.
    #[inline(never)]
    fn scan<K: Key, S: Slots<K>>(
        &self,
        p: &Plan<'_, K>,
        g: &mut Groups<K, S>,
        lines: impl Iterator<Item = (usize, u32)>,
    ) {
        let l = &self.cost_lines;
        let LedgerView {
            alloc,
            split_start,
            split_len,
            part_payer,
            part_ht,
            part_ttc,
        } = self.ledger.view();
        // every column cut to one length, so one check of a line id covers
        // every column's bounds
        let n = l.len().min(alloc.len());
        let (days, natures, provs) = (&l.days()[..n], &l.natures()[..n], &l.provider_ids()[..n]);
        let alloc = &alloc[..n];
        let wos = &self.work_orders;
        let timed = !p.day_key.is_empty();
        let mut cur_w = NONE;
        let mut cur = OrderPart {
            ok: false,
            base: K::default(),
            whole: true,
        };
        let mut tags: &[u32] = &[];
        // one row (or the sum of a split line's parts), once per tag
        let emit = |g: &mut Groups<K, S>, key: K, tags: &[u32], ht, ttc, rows, w| match p.tag_stride
        {
            None => g.add(key, ht, ttc, rows, w),
            Some(ts) => {
                if tags.is_empty() {
                    g.add(key + p.tag_none, ht, ttc, rows, w);
                } else {
                    for &t in tags {
                        g.add(key + K::from(t) * ts, ht, ttc, rows, w);
                    }
                }
            }
        };
        let mut cur_whole = true;
        if p.orderless {
            cur.ok = true;
        }
        for (i, w) in lines {
            if i >= n {
                continue;
            }
            let day = days[i];
            if day < p.from || day > p.to {
                continue;
            }
            let nat = usize::from(natures[i]);
            let prov = provs[i] as usize;
            if !p.nat_ok[nat] || !p.prov_ok[prov] {
                continue;
            }
            if w != cur_w {
                cur_w = w;
                if !p.orderless {
                    cur = p.order(self, w as usize);
                    cur_whole = cur.whole;
                }
                if p.tag_stride.is_some() {
                    tags = wos.tag_ids(w as usize);
                }
            }
            if !cur.ok {
                continue;
            }
            let mut key = cur.base + p.nat_key[nat] + p.prov_key[prov];
            if timed {
                key = key + p.day_key[(day - p.day0) as usize];
            }
            let a = alloc[i];
            if a == NONE {
                continue;
            }
            let pass = if cur_whole {
                &p.pass_whole
            } else {
                &p.pass_masked
            };
            if a & LedgerView::SPLIT == 0 {
                if !pass.get(a as usize).copied().unwrap_or(false) {
                    continue;
                }
                let ht = l.ht_cents(i);
                let ttc = ht + l.vat_cents(i);
                let key = match p.payer_stride {
                    Some(s) => key + K::from(a) * s,
                    None => key,
                };
                emit(g, key, tags, ht, ttc, 1, w);
            } else {
                let k = (a & !LedgerView::SPLIT) as usize;
                let start = split_start[k] as usize;
                let parts = start..start + split_len[k] as usize;
                match p.payer_stride {
                    Some(s) => {
                        for j in parts {
                            let payer = part_payer[j];
                            if pass.get(payer as usize).copied().unwrap_or(false) {
                                let key = key + K::from(payer) * s;
                                emit(g, key, tags, part_ht[j], part_ttc[j], 1, w);
                            }
                        }
                    }
                    None => {
                        let (mut ht, mut ttc, mut rows) = (0, 0, 0);
                        for j in parts {
                            if pass.get(part_payer[j] as usize).copied().unwrap_or(false) {
                                ht += part_ht[j];
                                ttc += part_ttc[j];
                                rows += 1;
                            }
                        }
                        if rows > 0 {
                            emit(g, key, tags, ht, ttc, rows, w);
                        }
                    }
                }
            }
        }
    }

    /// The groups as rows: codes looked up once per distinct value, rows
    /// sorted by their codes (groups whose codes read the same merge).
    fn decode<K: Key>(&self, c: &Ctx<'_>, keys: Vec<K>, acc: Vec<Acc>) -> Vec<GroupRow> {
        let (dims, radix) = (c.dims, c.radix);
        let nd = dims.len();
        let n = keys.len();
        // the codes of each group, dimension by dimension
        let mut codes = vec![0u64; n * nd];
        for (g, &key) in keys.iter().enumerate() {
            let mut rest = key;
            for k in (0..nd).rev() {
                let (q, r) = rest.divmod(radix[k]);
                codes[g * nd + k] = r;
                rest = q;
            }
        }
        // per dimension: the distinct codes, their texts, and each group's
        // rank (equal texts, equal ranks)
        let mut ranks = vec![0u32; n * nd];
        let mut texts: Vec<Vec<String>> = Vec::with_capacity(nd);
        for k in 0..nd {
            let mut distinct: Vec<u64> = (0..n).map(|g| codes[g * nd + k]).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let strings: Vec<String> = distinct
                .iter()
                .map(|&v| self.code_text(c, dims[k], radix[k], v))
                .collect();
            let mut by_text: Vec<u32> = (0..distinct.len() as u32).collect();
            by_text.sort_by(|&a, &b| strings[a as usize].cmp(&strings[b as usize]));
            let mut rank_of = vec![0u32; distinct.len()];
            let mut sorted: Vec<String> = Vec::with_capacity(distinct.len());
            for &j in &by_text {
                let s = &strings[j as usize];
                if sorted.last() != Some(s) {
                    sorted.push(s.clone());
                }
                rank_of[j as usize] = sorted.len() as u32 - 1;
            }
            for g in 0..n {
                let j = distinct.partition_point(|&v| v < codes[g * nd + k]);
                ranks[g * nd + k] = rank_of[j];
            }
            texts.push(sorted);
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| {
            ranks[a * nd..(a + 1) * nd].cmp(&ranks[b * nd..(b + 1) * nd])
        });
        let mut out: Vec<GroupRow> = Vec::with_capacity(n);
        let mut sums: (i64, i64) = (0, 0);
        let mut prev: Option<usize> = None;
        for g in order {
            let a = acc[g];
            let same =
                prev.is_some_and(|p| ranks[p * nd..(p + 1) * nd] == ranks[g * nd..(g + 1) * nd]);
            if same {
                if let Some(row) = out.last_mut() {
                    sums.0 += a.ht;
                    sums.1 += a.ttc;
                    row.ht = from_cents(sums.0);
                    row.ttc = from_cents(sums.1);
                    row.rows += a.rows;
                    row.work_orders += a.orders;
                }
            } else {
                sums = (a.ht, a.ttc);
                out.push(GroupRow {
                    keys: (0..nd)
                        .map(|k| texts[k][ranks[g * nd + k] as usize].clone())
                        .collect(),
                    ht: from_cents(a.ht),
                    ttc: from_cents(a.ttc),
                    rows: a.rows,
                    work_orders: a.orders,
                });
            }
            prev = Some(g);
        }
        out
    }

    /// The text of code `v` of dimension `d` (radix `r`).
    fn code_text(&self, c: &Ctx<'_>, d: Dimension, r: u64, v: u64) -> String {
        let none = match d {
            Dimension::Payer
            | Dimension::Nature
            | Dimension::Asset
            | Dimension::Year
            | Dimension::Month => false,
            _ => v == r - 1,
        };
        if none {
            return String::new();
        }
        match d {
            Dimension::Payer | Dimension::Performer => {
                self.tenant_code(TenantId(v as u32)).to_owned()
            }
            Dimension::Supplier => self.suppliers()[v as usize].code.clone(),
            Dimension::Service => {
                let s = &self.services()[v as usize];
                format!("{}/{}", self.tenant_code(s.tenant), s.code)
            }
            Dimension::Nature => CostNature::ALL[v as usize].as_str().to_owned(),
            Dimension::Asset => self.assets()[v as usize].code.clone(),
            Dimension::WorkOrder => self.work_orders.code(v as usize).to_owned(),
            Dimension::Tag | Dimension::Association => self.work_orders.text(v as u32).to_owned(),
            Dimension::Year => (c.first_year + v as i32).to_string(),
            Dimension::Month => format!("{:04}-{:02}", c.first_year + (v / 12) as i32, v % 12 + 1),
        }
    }
}

/// A query's resolved filter and key space (before the key type is chosen).
struct Ctx<'a> {
    dims: &'a [Dimension],
    radix: &'a [u64],
    payer: Option<TenantId>,
    performer: Option<TenantId>,
    in_subtree: Option<Vec<bool>>,
    from: i32,
    to: i32,
    nature: Option<u8>,
    energy_rows: bool,
    /// The days the time dimensions span (`lo > hi`: none).
    lo: i32,
    hi: i32,
    first_year: i32,
    mask: Option<&'a crate::access::Mask>,
    tag: Option<&'a str>,
}
