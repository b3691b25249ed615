//! [`Mutualis::ledger_group`]: one pass over the ledger's columns with
//! integer group keys.
//!
//! Each dimension maps a row to a dense code (a tenant id, a year offset, a
//! nature index…); the codes combine into one mixed-radix index, so groups
//! accumulate in a flat array without hashing when the key space is small
//! (the usual case: years × payers × services × natures), and in a hash map
//! with a fast integer hasher otherwise. Rows are visited work order by work
//! order, so distinct work orders per group are counted exactly in the same
//! pass (a group remembers the last order it counted). Codes are looked up
//! once per group at the end.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::Datelike;

use crate::error::{Error, Result};
use crate::ids::TenantId;
use crate::ledger::{Dimension, GroupRow, LedgerFilter, NONE};
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

/// Day number → year, by table over the days the ledger spans.
struct Years {
    first_day: i32,
    first_year: i32,
    /// Year offset of each day from `first_day`.
    table: Vec<u16>,
    /// Number of distinct year offsets.
    span: u32,
}

impl Years {
    /// The table over `days` and the span `also` (the energy invoices' days).
    fn new(days: &[i32], also: Option<(i32, i32)>) -> Years {
        let (lo, hi) = days
            .iter()
            .fold((i32::MAX, i32::MIN), |(a, b), &d| (a.min(d), b.max(d)));
        let (lo, hi) = also.map_or((lo, hi), |(a, b)| (lo.min(a), hi.max(b)));
        if lo > hi {
            return Years {
                first_day: 0,
                first_year: 0,
                table: Vec::new(),
                span: 1,
            };
        }
        let (y0, y1) = (date_of(lo).year(), date_of(hi).year());
        let mut table = Vec::with_capacity((hi - lo + 1).max(0) as usize);
        let mut year = y0;
        let mut next = first_day_of(year + 1);
        for day in lo..=hi {
            while day >= next {
                year += 1;
                next = first_day_of(year + 1);
            }
            table.push((year - y0) as u16);
        }
        Years {
            first_day: lo,
            first_year: y0,
            table,
            span: (y1 - y0 + 1) as u32,
        }
    }

    fn offset(&self, day: i32) -> u32 {
        u32::from(self.table[(day - self.first_day) as usize])
    }
}

/// True when no tag filters the rows (energy rows have no tag).
fn tag_filter_none(filter: &LedgerFilter) -> bool {
    filter.tag.is_none()
}

fn first_day_of(year: i32) -> i32 {
    chrono::NaiveDate::from_ymd_opt(year, 1, 1).map_or(i32::MAX, day_of)
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
        let l = &self.cost_lines;
        let (days, natures) = (l.days(), l.natures());
        // energy invoices are ledger rows of their own (no work order)
        let energy_rows = performer.is_none() && tag_filter_none(filter);
        let years = Years::new(
            days,
            if energy_rows {
                self.energy_day_span()
            } else {
                None
            },
        );
        let managing = if dims.contains(&Dimension::Service) {
            self.managing_services()
        } else {
            Vec::new()
        };
        // tags and associations are the work orders' interned text ids
        let wos = &self.work_orders;
        let by_tag = dims.contains(&Dimension::Tag);
        let n_texts = wos.text_count() as u64;
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
                Dimension::Year => u64::from(years.span),
                Dimension::Month => u64::from(years.span) * 12,
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
        let space = (total <= u128::from(DENSE_LIMIT)).then_some(total as u64);
        // accumulators: (ht, ttc, rows, distinct work orders)
        let mut dense: Vec<u32> = space.map_or_else(Vec::new, |s| vec![u32::MAX; s as usize]);
        let mut sparse: IntMap<u128, u32> = IntMap::default();
        let mut keys: Vec<u128> = Vec::new();
        let mut acc: Vec<(i64, i64, usize, usize)> = Vec::new();
        let tag_filter = filter.tag.as_deref();
        let none_tag = [NONE];
        let wo_keep: Option<Vec<bool>> =
            tag_filter.map(|t| (0..wos.len()).map(|w| wos.has_tag(w, t)).collect());
        let wo_col = l.work_orders();
        let asset_of = |i: usize| wos.asset(wo_col[i] as usize).0;
        let key_of = |i: usize, w: usize, payer: TenantId, tag: u32| -> u128 {
            let day = days[i];
            let mut key = 0u128;
            for (d, &r) in dims.iter().zip(&radix) {
                let code = match d {
                    Dimension::Payer => payer.0,
                    Dimension::Performer => l.provider_tenant(i),
                    Dimension::Supplier => l.supplier(i).map_or(NONE, |s| s.0),
                    Dimension::Service => wos
                        .service(w)
                        .map_or(managing[wos.asset(w).0 as usize], |s| s.0),
                    Dimension::Nature => u32::from(natures[i]),
                    Dimension::Asset => wos.asset(w).0,
                    Dimension::WorkOrder => w as u32,
                    Dimension::Tag => tag,
                    Dimension::Association => wos.association_id(w),
                    Dimension::Year => years.offset(day),
                    Dimension::Month => years.offset(day) * 12 + date_of(day).month0(),
                };
                let code = if code == NONE { r - 1 } else { u64::from(code) };
                key = key * u128::from(r) + u128::from(code);
            }
            key
        };
        let kept = |i: usize| -> bool {
            let day = days[i];
            !(day < from
                || day > to
                || performer.is_some_and(|p| p.0 != l.provider_tenant(i))
                || nature.is_some_and(|n| n != natures[i])
                || in_subtree
                    .as_ref()
                    .is_some_and(|v| !v[asset_of(i) as usize])
                || wo_keep.as_ref().is_some_and(|k| !k[wo_col[i] as usize]))
        };
        let tags_of = |w: usize| -> &[u32] {
            if by_tag && !wos.tag_ids(w).is_empty() {
                wos.tag_ids(w)
            } else {
                &none_tag
            }
        };
        // One pass, work order by work order: all the lines of an order are
        // visited together, so a group counts an order once when the order
        // it last counted is not this one — exact, without a second pass.
        let mut last_order: Vec<u32> = Vec::new();
        for w in 0..wos.len() {
            // a masked order none of whose payers are readable is skipped whole
            let whole = mask.is_none_or(|m| m.order(w));
            for line in wos.lines(w) {
                let i = line.index();
                if !kept(i) {
                    continue;
                }
                for part in self.line_parts(i) {
                    if payer.is_some_and(|p| p != part.payer)
                        || !(whole || mask.is_some_and(|m| m.payer(part.payer)))
                    {
                        continue;
                    }
                    for &tag in tags_of(w) {
                        let key = key_of(i, w, part.payer, tag);
                        let slot = if space.is_some() {
                            &mut dense[key as usize]
                        } else {
                            sparse.entry(key).or_insert(u32::MAX)
                        };
                        if *slot == u32::MAX {
                            *slot = acc.len() as u32;
                            acc.push((0, 0, 0, 0));
                            keys.push(key);
                            last_order.push(NONE);
                        }
                        let g = *slot as usize;
                        let a = &mut acc[g];
                        a.0 += part.ht;
                        a.1 += part.ttc;
                        a.2 += 1;
                        if last_order[g] != w as u32 {
                            last_order[g] = w as u32;
                            a.3 += 1;
                        }
                    }
                }
            }
        }
        // the energy invoices: one row per payer's part, nature `energy`,
        // no performer, supplier, work order, tag or association
        if energy_rows && nature.is_none_or(|n| n == nature_index(CostNature::Energy)) {
            let energy = u32::from(nature_index(CostNature::Energy));
            self.energy_parts(|p| {
                if p.day < from
                    || p.day > to
                    || payer.is_some_and(|t| t != p.payer)
                    || mask.is_some_and(|m| !m.payer(p.payer))
                    || in_subtree.as_ref().is_some_and(|v| !v[p.asset.index()])
                {
                    return;
                }
                let mut key = 0u128;
                for (d, &r) in dims.iter().zip(&radix) {
                    let code = match d {
                        Dimension::Payer => p.payer.0,
                        Dimension::Service => managing[p.asset.index()],
                        Dimension::Nature => energy,
                        Dimension::Asset => p.asset.0,
                        Dimension::Year => years.offset(p.day),
                        Dimension::Month => years.offset(p.day) * 12 + date_of(p.day).month0(),
                        Dimension::Performer
                        | Dimension::Supplier
                        | Dimension::WorkOrder
                        | Dimension::Tag
                        | Dimension::Association => NONE,
                    };
                    let code = if code == NONE { r - 1 } else { u64::from(code) };
                    key = key * u128::from(r) + u128::from(code);
                }
                let slot = if space.is_some() {
                    &mut dense[key as usize]
                } else {
                    sparse.entry(key).or_insert(u32::MAX)
                };
                if *slot == u32::MAX {
                    *slot = acc.len() as u32;
                    acc.push((0, 0, 0, 0));
                    keys.push(key);
                    last_order.push(NONE);
                }
                let a = &mut acc[*slot as usize];
                a.0 += p.ht;
                a.1 += p.ttc;
                a.2 += 1;
            });
        }
        // decode keys into codes
        let code = |d: Dimension, r: u64, c: u64| -> String {
            let none = match d {
                Dimension::Payer
                | Dimension::Nature
                | Dimension::Asset
                | Dimension::Year
                | Dimension::Month => false,
                _ => c == r - 1,
            };
            if none {
                return String::new();
            }
            match d {
                Dimension::Payer | Dimension::Performer => {
                    self.tenant_code(TenantId(c as u32)).to_owned()
                }
                Dimension::Supplier => self.suppliers()[c as usize].code.clone(),
                Dimension::Service => {
                    let s = &self.services()[c as usize];
                    format!("{}/{}", self.tenant_code(s.tenant), s.code)
                }
                Dimension::Nature => CostNature::ALL[c as usize].as_str().to_owned(),
                Dimension::Asset => self.assets()[c as usize].code.clone(),
                Dimension::WorkOrder => wos.code(c as usize).to_owned(),
                Dimension::Tag | Dimension::Association => wos.text(c as u32).to_owned(),
                Dimension::Year => (years.first_year + c as i32).to_string(),
                Dimension::Month => format!(
                    "{:04}-{:02}",
                    years.first_year + (c / 12) as i32,
                    c % 12 + 1
                ),
            }
        };
        let mut out: BTreeMap<Vec<String>, GroupRow> = BTreeMap::new();
        for (key, (ht, ttc, rows, distinct)) in keys.into_iter().zip(acc) {
            let mut rest = key;
            let mut codes = vec![0u64; dims.len()];
            for (k, &r) in radix.iter().enumerate().rev() {
                codes[k] = (rest % u128::from(r)) as u64;
                rest /= u128::from(r);
            }
            let group_keys: Vec<String> = dims
                .iter()
                .zip(&radix)
                .zip(codes)
                .map(|((d, &r), c)| code(*d, r, c))
                .collect();
            let row = out.entry(group_keys.clone()).or_insert(GroupRow {
                keys: group_keys,
                ht: from_cents(0),
                ttc: from_cents(0),
                rows: 0,
                work_orders: 0,
            });
            row.ht += from_cents(ht);
            row.ttc += from_cents(ttc);
            row.rows += rows;
            row.work_orders += distinct;
        }
        Ok(out.into_values().collect())
    }
}
