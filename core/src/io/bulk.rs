//! The bulk path: a columnar dataset for metropolis-scale questions —
//! dense integer ids, flat vectors, integer cents, custody and keys resolved
//! by binary search, no allocation per line.
//!
//! The data model and the four questions are specified in
//! `docs/bench-spec.md`; the payer rule is the registry's
//! ([`crate::Mutualis::payers`]) and the split the library's
//! ([`crate::money::split_cents_into`]), so the answers agree with the
//! registry and with any engine that follows the spec.
//!
//! A line costs 33 bytes in memory (work order, day, nature, provider,
//! supplier: 4 + 4 + 1 + 4 + 4; HT and TTC cents: 8 + 8).
//!
//! ```
//! use mutualis::bulk::{generate, Answers};
//! let data = generate(200, 7);
//! let answers: Answers = data.answers().unwrap();
//! let total: i64 = answers.q1.iter().map(|r| r[4]).sum();
//! assert_eq!(total, data.line_ttc.iter().sum::<i64>());
//! ```

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::money::split_cents_into;

/// Marks an absent id.
pub const NONE: u32 = u32::MAX;
/// `to_day` of an open-ended period.
pub const OPEN: i32 = 99_999_999;

/// A columnar dataset (see `docs/bench-spec.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkData {
    /// Tenant codes (sorted in id order).
    pub tenant_code: Vec<String>,
    /// Parent of each asset ([`NONE`] for a root).
    pub asset_parent: Vec<u32>,
    /// Owner of each asset.
    pub asset_owner: Vec<u32>,
    /// Managing service of each asset ([`NONE`] if none).
    pub asset_service: Vec<u32>,
    /// Custody periods per asset: `custody_off[a]..custody_off[a + 1]`, sorted by start.
    pub custody_off: Vec<u32>,
    /// First day of each custody period.
    pub custody_from: Vec<i32>,
    /// Last day ([`OPEN`] if open-ended).
    pub custody_to: Vec<i32>,
    /// Beneficiary.
    pub custody_tenant: Vec<u32>,
    /// Keys per asset: `key_off[a]..key_off[a + 1]`, sorted by start.
    pub key_off: Vec<u32>,
    /// First day of each key.
    pub key_from: Vec<i32>,
    /// Last day ([`OPEN`] if open-ended).
    pub key_to: Vec<i32>,
    /// Shares per key: `share_off[k]..share_off[k + 1]`, sorted by tenant id.
    pub share_off: Vec<u32>,
    /// Tenant of each share.
    pub share_tenant: Vec<u32>,
    /// Weight of each share (> 0).
    pub share_weight: Vec<u64>,
    /// Number of services (ids `0..n`).
    pub n_services: u32,
    /// Number of suppliers.
    pub n_suppliers: u32,
    /// Number of event tags.
    pub n_tags: u32,
    /// Asset of each work order.
    pub wo_asset: Vec<u32>,
    /// Service of each work order.
    pub wo_service: Vec<u32>,
    /// Performing tenant ([`NONE`] for a supplier).
    pub wo_performer: Vec<u32>,
    /// Supplier ([`NONE`] for a régie).
    pub wo_supplier: Vec<u32>,
    /// Event tag ([`NONE`] if none).
    pub wo_tag: Vec<u32>,
    /// Beneficiary association ([`NONE`] if none).
    pub wo_association: Vec<u32>,
    /// Work order of each line.
    pub line_wo: Vec<u32>,
    /// Day of each line (days from 0001-01-01).
    pub line_day: Vec<i32>,
    /// Nature: 0 labour, 1 material, 2 vehicle, 3 external.
    pub line_nature: Vec<u8>,
    /// Providing tenant ([`NONE`] for external lines).
    pub line_provider: Vec<u32>,
    /// Supplier of external lines ([`NONE`] otherwise).
    pub line_supplier: Vec<u32>,
    /// HT in cents.
    pub line_ht: Vec<i64>,
    /// TTC in cents.
    pub line_ttc: Vec<i64>,
}

/// The answers to the four questions, as sorted rows of integers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// (year, payer, service, nature, TTC cents).
    pub q1: Vec<[i64; 5]>,
    /// (year, creditor, debtor, TTC cents).
    pub q2: Vec<[i64; 4]>,
    /// (year, supplier, distinct work orders, HT cents).
    pub q3: Vec<[i64; 4]>,
    /// (tag, TTC cents).
    pub q4: Vec<[i64; 2]>,
}

/// Who pays a line: the shares of a key, or one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkPayers<'a> {
    /// Tenants and weights of a sharing key.
    Shares(&'a [u32], &'a [u64]),
    /// A single payer (custody beneficiary or owner).
    Single(u32),
}

fn find(from: &[i32], to: &[i32], day: i32) -> Option<usize> {
    let i = from.partition_point(|&f| f <= day);
    i.checked_sub(1).filter(|&j| to[j] >= day)
}

fn year_of(day: i32) -> i64 {
    NaiveDate::from_num_days_from_ce_opt(day).map_or(0, |d| i64::from(d.year()))
}

impl BulkData {
    /// Number of lines.
    #[must_use]
    pub fn lines(&self) -> usize {
        self.line_wo.len()
    }

    /// Number of tenants.
    #[must_use]
    pub fn tenants(&self) -> usize {
        self.tenant_code.len()
    }

    /// The payers of a cost on `asset` at `day` (DOMAIN §4 steps 1–2).
    #[must_use]
    pub fn payers(&self, asset: u32, day: i32) -> BulkPayers<'_> {
        let mut a = asset;
        while a != NONE {
            let (lo, hi) = (
                self.key_off[a as usize] as usize,
                self.key_off[a as usize + 1] as usize,
            );
            if lo < hi {
                if let Some(k) = find(&self.key_from[lo..hi], &self.key_to[lo..hi], day) {
                    let k = lo + k;
                    let (s, e) = (self.share_off[k] as usize, self.share_off[k + 1] as usize);
                    return BulkPayers::Shares(&self.share_tenant[s..e], &self.share_weight[s..e]);
                }
            }
            a = self.asset_parent[a as usize];
        }
        let owner = self.asset_owner[asset as usize];
        let mut a = asset;
        while a != NONE && self.asset_owner[a as usize] == owner {
            let (lo, hi) = (
                self.custody_off[a as usize] as usize,
                self.custody_off[a as usize + 1] as usize,
            );
            if lo < hi {
                if let Some(c) = find(&self.custody_from[lo..hi], &self.custody_to[lo..hi], day) {
                    return BulkPayers::Single(self.custody_tenant[lo + c]);
                }
            }
            a = self.asset_parent[a as usize];
        }
        BulkPayers::Single(owner)
    }

    /// Calls `f(line, payer, ttc_part, ht_part)` for every payer part of every
    /// line, without allocating per line.
    pub fn for_each_part(&self, mut f: impl FnMut(usize, u32, i64, i64)) -> Result<()> {
        let max_shares = self
            .share_off
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(1)
            .max(1);
        let mut ttc = vec![0i64; max_shares];
        let mut ht = vec![0i64; max_shares];
        for l in 0..self.lines() {
            let wo = self.line_wo[l] as usize;
            match self.payers(self.wo_asset[wo], self.line_day[l]) {
                BulkPayers::Single(t) => f(l, t, self.line_ttc[l], self.line_ht[l]),
                BulkPayers::Shares(tenants, weights) => {
                    let n = tenants.len();
                    split_cents_into(self.line_ttc[l], weights, &mut ttc[..n])?;
                    split_cents_into(self.line_ht[l], weights, &mut ht[..n])?;
                    for i in 0..n {
                        f(l, tenants[i], ttc[i], ht[i]);
                    }
                }
            }
        }
        Ok(())
    }

    /// Answers the four questions of `docs/bench-spec.md`.
    pub fn answers(&self) -> Result<Answers> {
        let (min_day, max_day) = (
            self.line_day.iter().copied().min().unwrap_or(0),
            self.line_day.iter().copied().max().unwrap_or(0),
        );
        let (y0, y1) = (year_of(min_day), year_of(max_day));
        let years = (y1 - y0 + 1).max(1) as usize;
        // year of every day in range, computed once
        let year_of_day: Vec<u16> = (min_day..=max_day)
            .map(|d| (year_of(d) - y0) as u16)
            .collect();
        let nt = self.tenants();
        let ns = self.n_services as usize + 1; // + "none"
        let mut q1 = vec![0i64; years * nt * ns * 4];
        let mut q1_seen = vec![false; q1.len()];
        let mut q2 = vec![0i64; years * nt * nt];
        let mut q2_seen = vec![false; q2.len()];
        let nsup = self.n_suppliers as usize;
        let mut q3_ht = vec![0i64; years * nsup];
        let mut q3_wos = vec![0i64; years * nsup];
        let mut q3_last = vec![NONE; years * nsup];
        let mut q3_sets: Option<Vec<HashSet<u32>>> = None;
        let sorted_by_wo = self.line_wo.windows(2).all(|w| w[0] <= w[1]);
        if !sorted_by_wo {
            q3_sets = Some(vec![HashSet::new(); years * nsup]);
        }
        let mut q4 = vec![0i64; self.n_tags as usize];
        let mut q4_seen = vec![false; q4.len()];
        self.for_each_part(|l, payer, ttc, _ht| {
            let wo = self.line_wo[l] as usize;
            let y = year_of_day[(self.line_day[l] - min_day) as usize] as usize;
            let service = self.wo_service[wo];
            let s = if service == NONE {
                ns - 1
            } else {
                service as usize
            };
            let i = ((y * nt + payer as usize) * ns + s) * 4 + self.line_nature[l] as usize;
            q1[i] += ttc;
            q1_seen[i] = true;
            let provider = self.line_provider[l];
            if provider != NONE && provider != payer {
                let j = (y * nt + provider as usize) * nt + payer as usize;
                q2[j] += ttc;
                q2_seen[j] = true;
            }
        })?;
        for l in 0..self.lines() {
            let wo = self.line_wo[l];
            let y = year_of_day[(self.line_day[l] - min_day) as usize] as usize;
            let sup = self.line_supplier[l];
            if self.line_nature[l] == 3 && sup != NONE {
                let k = y * nsup + sup as usize;
                q3_ht[k] += self.line_ht[l];
                match q3_sets.as_mut() {
                    Some(sets) => {
                        sets[k].insert(wo);
                    }
                    None => {
                        if q3_last[k] != wo {
                            q3_last[k] = wo;
                            q3_wos[k] += 1;
                        }
                    }
                }
            }
            let tag = self.wo_tag[wo as usize];
            if tag != NONE {
                q4[tag as usize] += self.line_ttc[l];
                q4_seen[tag as usize] = true;
            }
        }
        if let Some(sets) = q3_sets {
            for (k, s) in sets.iter().enumerate() {
                q3_wos[k] = s.len() as i64;
            }
        }
        let mut a = Answers::default();
        for (i, v) in q1.iter().enumerate() {
            if q1_seen[i] {
                let nature = (i % 4) as i64;
                let rest = i / 4;
                let s = rest % ns;
                let rest = rest / ns;
                let (payer, y) = (rest % nt, rest / nt);
                let service = if s == ns - 1 { -1 } else { s as i64 };
                a.q1.push([y0 + y as i64, payer as i64, service, nature, *v]);
            }
        }
        for (j, v) in q2.iter().enumerate() {
            if q2_seen[j] {
                let debtor = j % nt;
                let rest = j / nt;
                a.q2.push([
                    y0 + (rest / nt) as i64,
                    (rest % nt) as i64,
                    debtor as i64,
                    *v,
                ]);
            }
        }
        for k in 0..years * nsup {
            if q3_wos[k] > 0 {
                a.q3.push([
                    y0 + (k / nsup) as i64,
                    (k % nsup) as i64,
                    q3_wos[k],
                    q3_ht[k],
                ]);
            }
        }
        for (t, v) in q4.iter().enumerate() {
            if q4_seen[t] {
                a.q4.push([t as i64, *v]);
            }
        }
        a.q1.sort_unstable();
        a.q2.sort_unstable();
        a.q3.sort_unstable();
        a.q4.sort_unstable();
        Ok(a)
    }
}

// ---------------------------------------------------------------------------
// The binary format: "MTB1", then each column as u64 length + little-endian values.

const MAGIC: &[u8; 4] = b"MTB1";

struct W(Vec<u8>);

impl W {
    fn u32s(&mut self, v: &[u32]) {
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn i32s(&mut self, v: &[i32]) {
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn i64s(&mut self, v: &[i64]) {
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn u64s(&mut self, v: &[u64]) {
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn u8s(&mut self, v: &[u8]) {
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        self.0.extend_from_slice(v);
    }
}

struct R<'a> {
    src: &'a mut dyn Read,
    left: u64,
    buf: Vec<u8>,
}

fn corrupt(what: &str) -> Error {
    Error::InvalidField {
        field: "bulk dataset",
        reason: format!("truncated or damaged at {what}"),
    }
}

impl R<'_> {
    /// Reads exactly `n` bytes into the reusable buffer (one column at a
    /// time, so the peak memory is the data plus one column).
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8]> {
        if n as u64 > self.left {
            return Err(corrupt(what));
        }
        self.buf.resize(n, 0);
        self.src
            .read_exact(&mut self.buf)
            .map_err(|_| corrupt(what))?;
        self.left -= n as u64;
        Ok(&self.buf)
    }
    fn len(&mut self, width: u64, what: &str) -> Result<usize> {
        let b = self.take(8, what)?;
        let n = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        if n.checked_mul(width).is_none_or(|bytes| bytes > self.left) {
            return Err(corrupt(what));
        }
        usize::try_from(n).map_err(|_| corrupt(what))
    }
    fn u32s(&mut self, what: &str) -> Result<Vec<u32>> {
        let n = self.len(4, what)?;
        Ok(self
            .take(n * 4, what)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
    fn i32s(&mut self, what: &str) -> Result<Vec<i32>> {
        let n = self.len(4, what)?;
        Ok(self
            .take(n * 4, what)?
            .chunks_exact(4)
            .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
    fn i64s(&mut self, what: &str) -> Result<Vec<i64>> {
        let n = self.len(8, what)?;
        Ok(self
            .take(n * 8, what)?
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect())
    }
    fn u64s(&mut self, what: &str) -> Result<Vec<u64>> {
        let n = self.len(8, what)?;
        Ok(self
            .take(n * 8, what)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect())
    }
    fn u8s(&mut self, what: &str) -> Result<Vec<u8>> {
        let n = self.len(1, what)?;
        Ok(self.take(n, what)?.to_vec())
    }
}

impl BulkData {
    /// Writes the dataset in the Mutualis binary columnar format.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut w = W(Vec::with_capacity(64 + self.lines() * 33));
        w.0.extend_from_slice(MAGIC);
        let codes = self.tenant_code.join("\n");
        w.u8s(codes.as_bytes());
        w.u32s(&self.asset_parent);
        w.u32s(&self.asset_owner);
        w.u32s(&self.asset_service);
        w.u32s(&self.custody_off);
        w.i32s(&self.custody_from);
        w.i32s(&self.custody_to);
        w.u32s(&self.custody_tenant);
        w.u32s(&self.key_off);
        w.i32s(&self.key_from);
        w.i32s(&self.key_to);
        w.u32s(&self.share_off);
        w.u32s(&self.share_tenant);
        w.u64s(&self.share_weight);
        w.u32s(&[self.n_services, self.n_suppliers, self.n_tags]);
        w.u32s(&self.wo_asset);
        w.u32s(&self.wo_service);
        w.u32s(&self.wo_performer);
        w.u32s(&self.wo_supplier);
        w.u32s(&self.wo_tag);
        w.u32s(&self.wo_association);
        w.u32s(&self.line_wo);
        w.i32s(&self.line_day);
        w.u8s(&self.line_nature);
        w.u32s(&self.line_provider);
        w.u32s(&self.line_supplier);
        w.i64s(&self.line_ht);
        w.i64s(&self.line_ttc);
        let mut f = std::fs::File::create(path).map_err(|e| Error::Storage {
            message: e.to_string(),
        })?;
        f.write_all(&w.0).map_err(|e| Error::Storage {
            message: e.to_string(),
        })
    }

    /// Reads a dataset written by [`BulkData::write`], checking its structure.
    pub fn read(path: impl AsRef<Path>) -> Result<BulkData> {
        let file = std::fs::File::open(path).map_err(|e| Error::Storage {
            message: e.to_string(),
        })?;
        let left = file
            .metadata()
            .map_err(|e| Error::Storage {
                message: e.to_string(),
            })?
            .len();
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let mut r = R {
            src: &mut reader,
            left,
            buf: Vec::new(),
        };
        if r.take(4, "magic")? != MAGIC {
            return Err(Error::InvalidField {
                field: "bulk dataset",
                reason: "not a Mutualis bulk dataset (MTB1)".into(),
            });
        }
        let codes = String::from_utf8(r.u8s("tenants")?).map_err(|_| corrupt("tenants"))?;
        let mut d = BulkData {
            tenant_code: if codes.is_empty() {
                Vec::new()
            } else {
                codes.split('\n').map(str::to_owned).collect()
            },
            asset_parent: r.u32s("assets")?,
            asset_owner: r.u32s("assets")?,
            asset_service: r.u32s("assets")?,
            custody_off: r.u32s("custody")?,
            custody_from: r.i32s("custody")?,
            custody_to: r.i32s("custody")?,
            custody_tenant: r.u32s("custody")?,
            key_off: r.u32s("keys")?,
            key_from: r.i32s("keys")?,
            key_to: r.i32s("keys")?,
            share_off: r.u32s("shares")?,
            share_tenant: r.u32s("shares")?,
            share_weight: r.u64s("shares")?,
            ..BulkData::default()
        };
        let counts = r.u32s("counts")?;
        if counts.len() != 3 {
            return Err(corrupt("counts"));
        }
        (d.n_services, d.n_suppliers, d.n_tags) = (counts[0], counts[1], counts[2]);
        d.wo_asset = r.u32s("work orders")?;
        d.wo_service = r.u32s("work orders")?;
        d.wo_performer = r.u32s("work orders")?;
        d.wo_supplier = r.u32s("work orders")?;
        d.wo_tag = r.u32s("work orders")?;
        d.wo_association = r.u32s("work orders")?;
        d.line_wo = r.u32s("lines")?;
        d.line_day = r.i32s("lines")?;
        d.line_nature = r.u8s("lines")?;
        d.line_provider = r.u32s("lines")?;
        d.line_supplier = r.u32s("lines")?;
        d.line_ht = r.i64s("lines")?;
        d.line_ttc = r.i64s("lines")?;
        d.validate()?;
        Ok(d)
    }

    /// Checks every id and offset, so queries never index out of bounds.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str| {
            Err(Error::InvalidField {
                field: "bulk dataset",
                reason: format!("inconsistent {what}"),
            })
        };
        let (na, nt) = (self.asset_parent.len(), self.tenants() as u32);
        let nk = self.key_from.len();
        let nw = self.wo_asset.len();
        let ok_id = |v: u32, n: u32| v == NONE || v < n;
        if self.asset_owner.len() != na
            || self.asset_service.len() != na
            || self.custody_off.len() != na + 1
            || self.key_off.len() != na + 1
        {
            return bad("asset columns");
        }
        if self.asset_parent.iter().any(|&p| !ok_id(p, na as u32))
            || self.asset_owner.iter().any(|&o| o >= nt)
        {
            return bad("asset ids");
        }
        let offs_ok = |off: &[u32], n: usize| {
            off.first() == Some(&0)
                && off.windows(2).all(|w| w[0] <= w[1])
                && off.last() == Some(&(n as u32))
        };
        if !offs_ok(&self.custody_off, self.custody_from.len())
            || self.custody_to.len() != self.custody_from.len()
            || self.custody_tenant.len() != self.custody_from.len()
        {
            return bad("custody");
        }
        if !offs_ok(&self.key_off, nk)
            || self.key_to.len() != nk
            || self.share_off.len() != nk + 1
            || !offs_ok(&self.share_off, self.share_tenant.len())
            || self.share_weight.len() != self.share_tenant.len()
        {
            return bad("keys");
        }
        if self
            .custody_tenant
            .iter()
            .chain(&self.share_tenant)
            .any(|&t| t >= nt)
            || self.share_weight.contains(&0)
        {
            return bad("tenants of custody or keys");
        }
        // no asset may be its own ancestor
        for a in 0..na {
            let mut p = self.asset_parent[a];
            let mut steps = 0;
            while p != NONE {
                steps += 1;
                if steps > na {
                    return bad("asset tree (cycle)");
                }
                p = self.asset_parent[p as usize];
            }
        }
        for col in [
            &self.wo_service,
            &self.wo_performer,
            &self.wo_supplier,
            &self.wo_tag,
            &self.wo_association,
        ] {
            if col.len() != nw {
                return bad("work order columns");
            }
        }
        if self.wo_asset.iter().any(|&a| a as usize >= na)
            || self.wo_service.iter().any(|&s| !ok_id(s, self.n_services))
            || self.wo_performer.iter().any(|&t| !ok_id(t, nt))
            || self
                .wo_supplier
                .iter()
                .any(|&s| !ok_id(s, self.n_suppliers))
            || self.wo_tag.iter().any(|&t| !ok_id(t, self.n_tags))
        {
            return bad("work order ids");
        }
        let nl = self.line_wo.len();
        if [
            self.line_day.len(),
            self.line_nature.len(),
            self.line_provider.len(),
            self.line_supplier.len(),
            self.line_ht.len(),
            self.line_ttc.len(),
        ]
        .iter()
        .any(|&n| n != nl)
        {
            return bad("line columns");
        }
        if self.line_wo.iter().any(|&w| w as usize >= nw)
            || self.line_nature.iter().any(|&n| n > 3)
            || self.line_provider.iter().any(|&t| !ok_id(t, nt))
            || self
                .line_supplier
                .iter()
                .any(|&s| !ok_id(s, self.n_suppliers))
            || self.line_ttc.iter().chain(&self.line_ht).any(|&c| c < 0)
            || self
                .line_day
                .iter()
                .any(|&d| NaiveDate::from_num_days_from_ce_opt(d).is_none())
        {
            return bad("line values");
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The deterministic generator.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Generates a realistic group of collectivités with `interventions` work
/// orders (about 3 cost lines each), deterministically from `seed`: an
/// agglomeration and member communes, asset trees (site > building > floor >
/// equipment), transfers to the agglomeration (some ending mid-year), shared
/// buildings with keys changing mid-year, régie work for other tenants,
/// suppliers, event tags and associations, over 2023–2026.
#[must_use]
pub fn generate(interventions: usize, seed: u64) -> BulkData {
    let mut rng = Rng(seed ^ 0x4D55_5455_414C_4953);
    let communes = (interventions / 25_000).clamp(6, 60);
    let nt = communes + 1; // tenant 0 is the agglomeration
    let services_per_tenant = 6u32;
    let mut d = BulkData {
        tenant_code: (0..nt).map(|i| format!("T{i:04}")).collect(),
        n_services: nt as u32 * services_per_tenant,
        n_suppliers: (interventions / 2_000).clamp(5, 400) as u32,
        n_tags: 20,
        ..BulkData::default()
    };
    let day = |y: i32, m: u32, j: u32| {
        NaiveDate::from_ymd_opt(y, m, j).map_or(0, |x| x.num_days_from_ce())
    };
    let (first_day, last_day) = (day(2023, 1, 1), day(2026, 12, 31));
    // assets: about one per 20 interventions, in trees of one owner
    let n_assets = (interventions / 20).max(40);
    let mut custody: Vec<Vec<(i32, i32, u32)>> = Vec::new();
    type KeyPeriods = Vec<(i32, i32, Vec<(u32, u64)>)>;
    let mut keys: Vec<KeyPeriods> = Vec::new();
    let mut buildings = Vec::new();
    while d.asset_parent.len() < n_assets {
        let owner = rng.below(nt as u64) as u32;
        let service =
            owner * services_per_tenant + rng.below(u64::from(services_per_tenant)) as u32;
        let site = d.asset_parent.len() as u32;
        let mut push = |parent: u32, d: &mut BulkData| {
            d.asset_parent.push(parent);
            d.asset_owner.push(owner);
            d.asset_service.push(service);
            custody.push(Vec::new());
            keys.push(Vec::new());
            d.asset_parent.len() as u32 - 1
        };
        push(NONE, &mut d);
        for _ in 0..1 + rng.below(3) {
            let b = push(site, &mut d);
            buildings.push(b);
            for _ in 0..rng.below(3) {
                let f = push(b, &mut d);
                for _ in 0..rng.below(3) {
                    push(f, &mut d);
                }
            }
        }
    }
    let n_assets = d.asset_parent.len();
    // transfers to the agglomeration and shared buildings
    for &b in &buildings {
        let owner = d.asset_owner[b as usize];
        if owner != 0 && rng.chance(12) {
            let from = first_day + rng.below(900) as i32;
            let to = if rng.chance(30) {
                from + 100 + rng.below(400) as i32
            } else {
                OPEN
            };
            custody[b as usize].push((from, to, 0));
            if to != OPEN && rng.chance(50) {
                let other = 1 + rng.below(communes as u64) as u32;
                if other != owner {
                    custody[b as usize].push((to + 1, OPEN, other));
                }
            }
        } else if rng.chance(6) {
            let change = day(2024 + rng.below(2) as i32, 1 + rng.below(12) as u32, 1);
            let a = owner;
            let mut b2 = rng.below(nt as u64) as u32;
            if b2 == a {
                b2 = (a + 1) % nt as u32;
            }
            let mut shares1 = vec![(a, 1 + rng.below(5000)), (b2, 1 + rng.below(5000))];
            let mut shares2 = vec![
                (a, 1 + rng.below(5000)),
                (b2, 1 + rng.below(5000)),
                (0, 1 + rng.below(3000)),
            ];
            shares2.dedup_by_key(|s| s.0);
            shares1.sort_unstable();
            shares2.sort_unstable();
            shares2.dedup_by_key(|s| s.0);
            keys[b as usize].push((first_day, change - 1, shares1));
            keys[b as usize].push((change, OPEN, shares2));
        }
    }
    d.custody_off.push(0);
    for list in &custody {
        for &(f, t, ten) in list {
            d.custody_from.push(f);
            d.custody_to.push(t);
            d.custody_tenant.push(ten);
        }
        d.custody_off.push(d.custody_from.len() as u32);
    }
    d.key_off.push(0);
    d.share_off.push(0);
    for list in &keys {
        for (f, t, shares) in list {
            d.key_from.push(*f);
            d.key_to.push(*t);
            for &(ten, w) in shares {
                d.share_tenant.push(ten);
                d.share_weight.push(w);
            }
            d.share_off.push(d.share_tenant.len() as u32);
        }
        d.key_off.push(d.key_from.len() as u32);
    }
    // work orders and lines
    let span = (last_day - first_day + 1) as u64;
    for w in 0..interventions as u32 {
        let asset = rng.below(n_assets as u64) as u32;
        let owner = d.asset_owner[asset as usize];
        let supplier_wo = rng.chance(20);
        let performer = if supplier_wo {
            NONE
        } else if rng.chance(15) {
            rng.below(nt as u64) as u32 // régie work for another tenant
        } else {
            owner
        };
        let supplier = if supplier_wo {
            rng.below(u64::from(d.n_suppliers)) as u32
        } else {
            NONE
        };
        d.wo_asset.push(asset);
        d.wo_service.push(d.asset_service[asset as usize]);
        d.wo_performer.push(performer);
        d.wo_supplier.push(supplier);
        d.wo_tag.push(if rng.chance(2) {
            rng.below(u64::from(d.n_tags)) as u32
        } else {
            NONE
        });
        d.wo_association.push(if rng.chance(3) {
            rng.below(200) as u32
        } else {
            NONE
        });
        let day0 = first_day + rng.below(span) as i32;
        let n_lines = 2 + rng.below(3);
        for k in 0..n_lines {
            let day = (day0 + k as i32 * rng.below(3) as i32).min(last_day);
            let (nature, provider, sup, ht, ttc) = if supplier_wo {
                let ht = 5_000 + rng.below(500_000) as i64;
                let vat = [2000i64, 1000, 550, 210][rng.below(4) as usize];
                let v = (ht * vat + 5_000) / 10_000;
                (3u8, NONE, supplier, ht, ht + v)
            } else {
                let nature = [0u8, 0, 1, 2][rng.below(4) as usize];
                let c = 1_000 + rng.below(120_000) as i64;
                (nature, performer, NONE, c, c)
            };
            d.line_wo.push(w);
            d.line_day.push(day);
            d.line_nature.push(nature);
            d.line_provider.push(provider);
            d.line_supplier.push(sup);
            d.line_ht.push(ht);
            d.line_ttc.push(ttc);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetKind, KeyBasis, Mutualis, NewAsset, NewTenant, Period, TenantKind};

    /// Builds the registry of a generated dataset's tenants, assets, custody
    /// and keys, so the bulk payer rule can be checked against the registry's.
    fn registry(d: &BulkData) -> Mutualis {
        let mut m = Mutualis::new();
        let luhn_siren = |i: usize| {
            let body = format!("2{i:07}");
            (0..10)
                .map(|c| format!("{body}{c}"))
                .find(|s| crate::identity::luhn_valid(s))
                .unwrap()
        };
        for (i, code) in d.tenant_code.iter().enumerate() {
            m.add_tenant(NewTenant::new(
                code,
                code,
                if i == 0 {
                    TenantKind::CommunauteDAgglomeration
                } else {
                    TenantKind::Syndicat
                },
                &luhn_siren(i),
            ))
            .unwrap();
        }
        let date = |x: i32| NaiveDate::from_num_days_from_ce_opt(x).unwrap();
        let to = |x: i32| if x == OPEN { None } else { Some(date(x)) };
        for a in 0..d.asset_parent.len() {
            let mut spec = NewAsset::new(
                &format!("A{a}"),
                "x",
                AssetKind::Building,
                &d.tenant_code[d.asset_owner[a] as usize],
                date(1),
            );
            if d.asset_parent[a] != NONE {
                spec = spec.under(&format!("A{}", d.asset_parent[a]));
            }
            m.add_asset(spec).unwrap();
        }
        for a in 0..d.asset_parent.len() {
            for c in d.custody_off[a] as usize..d.custody_off[a + 1] as usize {
                let p = Period::new(date(d.custody_from[c]), to(d.custody_to[c])).unwrap();
                m.grant_custody(
                    &format!("A{a}"),
                    &d.tenant_code[d.custody_tenant[c] as usize],
                    p,
                )
                .unwrap();
            }
            for k in d.key_off[a] as usize..d.key_off[a + 1] as usize {
                let p = Period::new(date(d.key_from[k]), to(d.key_to[k])).unwrap();
                let shares: Vec<(String, u64)> = (d.share_off[k] as usize
                    ..d.share_off[k + 1] as usize)
                    .map(|s| {
                        (
                            d.tenant_code[d.share_tenant[s] as usize].clone(),
                            d.share_weight[s],
                        )
                    })
                    .collect();
                m.set_sharing_key(&format!("A{a}"), KeyBasis::Agreed, p, &shares)
                    .unwrap();
            }
        }
        m
    }

    #[test]
    fn bulk_payers_agree_with_the_registry() {
        let d = generate(20_000, 42);
        d.validate().unwrap();
        let m = registry(&d);
        let mut checked = 0;
        for l in (0..d.lines()).step_by(7) {
            let asset = d.wo_asset[d.line_wo[l] as usize];
            let day = d.line_day[l];
            let expected = m
                .payers_of(
                    m.asset_id(&format!("A{asset}")).unwrap(),
                    NaiveDate::from_num_days_from_ce_opt(day).unwrap(),
                )
                .unwrap();
            let exp: Vec<(String, u64)> = expected
                .shares
                .iter()
                .map(|s| (m.tenant_code(s.tenant).to_owned(), s.weight))
                .collect();
            let got: Vec<(String, u64)> = match d.payers(asset, day) {
                BulkPayers::Single(t) => vec![(d.tenant_code[t as usize].clone(), 1)],
                BulkPayers::Shares(ts, ws) => ts
                    .iter()
                    .zip(ws)
                    .map(|(t, w)| (d.tenant_code[*t as usize].clone(), *w))
                    .collect(),
            };
            assert_eq!(got, exp, "line {l}");
            checked += 1;
        }
        assert!(checked > 5_000);
        // the generator produced all three cases
        let kinds = (0..d.lines()).map(|l| {
            match d.payers(d.wo_asset[d.line_wo[l] as usize], d.line_day[l]) {
                BulkPayers::Shares(..) => 0,
                BulkPayers::Single(t)
                    if t != d.asset_owner[d.wo_asset[d.line_wo[l] as usize] as usize] =>
                {
                    1
                }
                BulkPayers::Single(_) => 2,
            }
        });
        let mut seen = [false; 3];
        for k in kinds {
            seen[k] = true;
        }
        assert_eq!(seen, [true, true, true]);
    }

    #[test]
    fn answers_conserve_every_cent_and_survive_the_binary_format() {
        let d = generate(5_000, 1);
        let a = d.answers().unwrap();
        let total: i64 = d.line_ttc.iter().sum();
        assert_eq!(a.q1.iter().map(|r| r[4]).sum::<i64>(), total);
        let external_ht: i64 = (0..d.lines())
            .filter(|&l| d.line_nature[l] == 3)
            .map(|l| d.line_ht[l])
            .sum();
        assert_eq!(a.q3.iter().map(|r| r[3]).sum::<i64>(), external_ht);
        assert!(!a.q2.is_empty() && !a.q4.is_empty());
        let path = std::env::temp_dir().join(format!("mutualis-bulk-{}.mtb", std::process::id()));
        d.write(&path).unwrap();
        let back = BulkData::read(&path).unwrap();
        assert_eq!(back, d);
        assert_eq!(back.answers().unwrap(), a);
        // a truncated file is refused, not a panic
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
        assert!(BulkData::read(&path).is_err());
        let _ = std::fs::remove_file(&path);
        // same seed, same data
        assert_eq!(generate(5_000, 1), d);
    }
}
