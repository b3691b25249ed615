//! The work orders, stored as columns: codes in one text arena, titles, tags
//! and associations interned, requests and tags in flat offset lists, status
//! changes in their own columns, each order's cost lines linked through a
//! per-line column — no heap allocation per work order.
//!
//! [`WorkOrders`] is what [`crate::Mutualis::work_orders`] returns; a
//! [`WorkOrder`] record is materialised on demand.
//!
//! ```
//! use mutualis::Mutualis;
//! let m = Mutualis::new();
//! assert!(m.work_orders().is_empty());
//! ```

use chrono::{DateTime, NaiveDate, Utc};

use crate::ids::{CostLineId, RequestId, ServiceId, SupplierId, TeamId, WorkOrderId};
use crate::lines::{date_of, day_of, Texts, NONE};
use crate::requests::StatusChange;
use crate::work::{PerformerId, WorkOrder, WorkOrderStatus};

/// What a new work order is made of (checked by the command).
pub(crate) struct NewOrder<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub asset: crate::ids::AssetId,
    pub performer: PerformerId,
    pub service: Option<ServiceId>,
    pub requests: &'a [RequestId],
    pub tags: &'a [&'a str],
    pub association: Option<&'a str>,
    pub planned_on: Option<NaiveDate>,
}

/// The work orders, as columns (see the [module](self) docs).
#[derive(Debug, Clone, Default)]
pub struct WorkOrders {
    /// End offset of each code in `codes`.
    code_end: Vec<u32>,
    codes: String,
    by_code: CodeIndex,
    /// The order last found by code: commands come in runs on one order
    /// (a session's check looks up the order its command just used).
    last_hit: LastHit,
    title: Vec<u32>,
    asset: Vec<u32>,
    /// Team id, or supplier id with the top bit set.
    performer: Vec<u32>,
    service: Vec<u32>,
    planned: Vec<i32>,
    status: Vec<u8>,
    association: Vec<u32>,
    /// Offsets into `req_ids` (n + 1 entries once non-empty).
    req_start: Vec<u32>,
    req_ids: Vec<u32>,
    /// Offsets into `tag_ids` (n + 1 entries once non-empty).
    tag_start: Vec<u32>,
    tag_ids: Vec<u32>,
    texts: Texts,
    /// First and last status change of each order; next change of each change.
    h_first: Vec<u32>,
    h_last: Vec<u32>,
    h_next: Vec<u32>,
    /// Status changes: order, time, status, note.
    h_wo: Vec<u32>,
    h_time: Times,
    h_status: Vec<u8>,
    /// (change, text) of the changes with a note, changes ascending.
    h_note: Vec<(u32, u32)>,
    /// First and last line of each order, and the next line of each line.
    first_line: Vec<u32>,
    last_line: Vec<u32>,
    next_line: Vec<u32>,
    /// Number of lines whose previous line in their order is not the line
    /// recorded just before them: 0 when every order's lines are
    /// consecutive line ids (a scan in line order then meets each order's
    /// lines together, see [`WorkOrders::lines_consecutive`]).
    breaks: usize,
}

const SUPPLIER: u32 = 1 << 31;

/// A one-entry cache of the last id found by code (`u32::MAX`: none). Only
/// a hint: [`WorkOrders::id`] checks the code it names before using it, so
/// a stale entry (after a rollback) is never wrong, just missed.
#[derive(Debug, Default)]
struct LastHit(std::sync::atomic::AtomicU32);

impl LastHit {
    fn get(&self) -> u32 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn set(&self, id: u32) {
        self.0.store(id, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clone for LastHit {
    fn clone(&self) -> Self {
        LastHit(std::sync::atomic::AtomicU32::new(self.get()))
    }
}

/// The times of the status changes: each change refers (a `u32`) to a
/// table of distinct times, a new entry only when a change's time differs
/// from the last one — the changes a batch makes share one time (4 bytes
/// each instead of 12). Ids never decrease, so truncation keeps a prefix of
/// the table.
#[derive(Debug, Clone, Default)]
struct Times {
    id: Vec<u32>,
    secs: Vec<i64>,
    nanos: Vec<u32>,
}

impl Times {
    fn push(&mut self, secs: i64, nanos: u32) {
        if self.secs.last() != Some(&secs) || self.nanos.last() != Some(&nanos) {
            self.secs.push(secs);
            self.nanos.push(nanos);
        }
        self.id.push(self.secs.len() as u32 - 1);
    }

    /// Seconds and nanoseconds of change `k`.
    fn get(&self, k: usize) -> (i64, u32) {
        let t = self.id[k] as usize;
        (self.secs[t], self.nanos[t])
    }

    fn at(&self, k: usize) -> Option<DateTime<Utc>> {
        let (s, n) = self.get(k);
        DateTime::from_timestamp(s, n)
    }

    fn truncate(&mut self, k: usize) {
        self.id.truncate(k);
        let keep = self.id.last().map_or(0, |&t| t as usize + 1);
        self.secs.truncate(keep);
        self.nanos.truncate(keep);
    }

    fn reserve_exact(&mut self, n: usize) {
        self.id.reserve_exact(n);
    }

    fn shrink_to_fit(&mut self) {
        self.id.shrink_to_fit();
        self.secs.shrink_to_fit();
        self.nanos.shrink_to_fit();
    }

    /// The times from their seconds and nanoseconds columns.
    fn from_columns(secs: &[i64], nanos: &[u32]) -> Times {
        let mut t = Times::default();
        t.id.reserve_exact(secs.len());
        for (&s, &n) in secs.iter().zip(nanos) {
            t.push(s, n);
        }
        t
    }
}

/// The code of order `w` in a code arena (its end offsets and bytes).
fn code_at<'c>(ends: &[u32], codes: &'c str, w: u32) -> &'c str {
    let w = w as usize;
    let start = if w == 0 { 0 } else { ends[w - 1] as usize };
    codes.get(start..ends[w] as usize).unwrap_or("")
}

/// The code → id index of the work orders: an open-addressing table of ids
/// (linear probing, at most half full) whose keys are the codes in the
/// arena — 5 to 10 bytes per order, no allocation per code. Each slot has
/// a tag byte (seven bits of the code's hash): a probe compares a code in
/// the arena only when its tag matches, so looking up a code that is not
/// there (every new order's duplicate check) rarely reads the arena. The
/// hasher is randomly seeded (codes come from users).
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeIndex {
    slots: Vec<u32>,
    /// Per slot: the tag of the code it holds (meaningless when empty).
    tags: Vec<u8>,
    len: usize,
    hasher: foldhash::fast::RandomState,
}

impl CodeIndex {
    /// The home slot of `code` and its tag.
    #[inline]
    fn hash(&self, code: &str) -> (usize, u8) {
        use std::hash::BuildHasher;
        let mask = self.slots.len().max(1) - 1;
        let h = self.hasher.hash_one(code);
        ((h as usize) & mask, (h >> 57) as u8)
    }

    /// The id of `code` (`code_of` gives the code of an id).
    fn get<'c>(&self, code: &str, code_of: impl Fn(u32) -> &'c str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.hash(code);
        loop {
            let id = self.slots[i];
            if id == NONE {
                return None;
            }
            if self.tags[i] == tag && code_of(id) == code {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Room for `n` codes in all (the table doubles until at most half full).
    fn reserve<'c>(&mut self, n: usize, code_of: impl Fn(u32) -> &'c str) {
        let want = (n.max(4) * 2).next_power_of_two();
        if want <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![NONE; want]);
        self.tags = vec![0; want];
        for id in old.into_iter().filter(|&id| id != NONE) {
            self.place(code_of(id), id);
        }
    }

    fn place(&mut self, code: &str, id: u32) {
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.hash(code);
        while self.slots[i] != NONE {
            i = (i + 1) & mask;
        }
        self.slots[i] = id;
        self.tags[i] = tag;
    }

    /// Adds `code` (not present) with `id`.
    fn insert<'c>(&mut self, code: &str, id: u32, code_of: impl Fn(u32) -> &'c str) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.reserve(self.len + 1, &code_of);
        }
        self.place(code, id);
        self.len += 1;
    }

    /// Removes `code` (rollback), shifting back the entries after it.
    fn remove<'c>(&mut self, code: &str, code_of: impl Fn(u32) -> &'c str) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.hash(code);
        loop {
            let id = self.slots[i];
            if id == NONE {
                return;
            }
            if self.tags[i] == tag && code_of(id) == code {
                break;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion: no tombstones
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let id = self.slots[j];
            if id == NONE {
                break;
            }
            let (home, _) = self.hash(code_of(id));
            // move `id` into the hole unless its home lies in (hole, j]
            let between = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !between {
                self.slots[hole] = id;
                self.tags[hole] = self.tags[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.slots[hole] = NONE;
        self.len -= 1;
    }
}

fn status_index(s: WorkOrderStatus) -> u8 {
    WorkOrderStatus::ALL
        .iter()
        .position(|x| *x == s)
        .unwrap_or(0) as u8
}

fn status_of(i: u8) -> WorkOrderStatus {
    WorkOrderStatus::ALL
        .get(usize::from(i))
        .copied()
        .unwrap_or(WorkOrderStatus::Planned)
}

impl PartialEq for WorkOrders {
    fn eq(&self, o: &WorkOrders) -> bool {
        self.len() == o.len() && self.iter().eq(o.iter())
    }
}

impl Eq for WorkOrders {}

/// Iterates the work orders as records, in creation order.
impl<'a> IntoIterator for &'a WorkOrders {
    type Item = WorkOrder;
    type IntoIter = Box<dyn Iterator<Item = WorkOrder> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl WorkOrders {
    /// Number of work orders.
    #[must_use]
    pub fn len(&self) -> usize {
        self.asset.len()
    }

    /// True when there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.asset.is_empty()
    }

    /// The work order with this id, as a record.
    #[must_use]
    pub fn get(&self, id: WorkOrderId) -> Option<WorkOrder> {
        (id.index() < self.len()).then(|| self.record(id.index()))
    }

    /// Every work order's code, in creation order (no record built).
    pub fn codes(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|w| self.code(w))
    }

    /// Every work order, in creation order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = WorkOrder> + '_ {
        (0..self.len()).map(|i| self.record(i))
    }

    fn record(&self, w: usize) -> WorkOrder {
        WorkOrder {
            id: WorkOrderId(w as u32),
            code: self.code(w).to_owned(),
            title: self.texts.get(self.title[w]).to_owned(),
            asset: crate::ids::AssetId(self.asset[w]),
            performer: self.performer(w),
            service: self.service(w),
            requests: self
                .requests(w)
                .to_vec()
                .into_iter()
                .map(RequestId)
                .collect(),
            tags: self.tags(w).map(str::to_owned).collect(),
            association: self.association(w).map(str::to_owned),
            planned_on: (self.planned[w] != i32::MIN).then(|| date_of(self.planned[w])),
            status: status_of(self.status[w]),
            history: self.history(w),
            lines: self.lines(w).collect(),
        }
    }

    /// The id of a code.
    pub(crate) fn id(&self, code: &str) -> Option<WorkOrderId> {
        let (ends, codes) = (&self.code_end, &self.codes);
        let last = self.last_hit.get();
        if (last as usize) < ends.len() && code_at(ends, codes, last) == code {
            return Some(WorkOrderId(last));
        }
        let w = self.by_code.get(code, |w| code_at(ends, codes, w))?;
        self.last_hit.set(w);
        Some(WorkOrderId(w))
    }

    pub(crate) fn push(&mut self, o: &NewOrder<'_>) -> WorkOrderId {
        let w = self.len() as u32;
        self.codes.push_str(o.code);
        self.code_end.push(self.codes.len() as u32);
        let (ends, codes) = (&self.code_end, &self.codes);
        self.by_code.insert(o.code, w, |w| code_at(ends, codes, w));
        let t = self.texts.intern(o.title);
        self.title.push(t);
        self.asset.push(o.asset.0);
        self.performer.push(match o.performer {
            PerformerId::Team(t) => t.0,
            PerformerId::Supplier(s) => SUPPLIER | s.0,
        });
        self.service.push(o.service.map_or(NONE, |s| s.0));
        self.planned.push(o.planned_on.map_or(i32::MIN, day_of));
        self.status.push(status_index(WorkOrderStatus::Planned));
        let a = o.association.map_or(NONE, |a| self.texts.intern(a));
        self.association.push(a);
        if self.req_start.is_empty() {
            self.req_start.push(0);
            self.tag_start.push(0);
        }
        self.req_ids.extend(o.requests.iter().map(|r| r.0));
        self.req_start.push(self.req_ids.len() as u32);
        for tag in o.tags {
            let id = self.texts.intern(tag);
            self.tag_ids.push(id);
        }
        self.tag_start.push(self.tag_ids.len() as u32);
        self.first_line.push(NONE);
        self.last_line.push(NONE);
        self.h_first.push(NONE);
        self.h_last.push(NONE);
        WorkOrderId(w)
    }

    /// Records a status change.
    pub(crate) fn set_status(
        &mut self,
        w: WorkOrderId,
        status: WorkOrderStatus,
        at: DateTime<Utc>,
        note: Option<&str>,
    ) {
        let i = w.index();
        let k = self.h_wo.len() as u32;
        self.status[i] = status_index(status);
        self.h_wo.push(w.0);
        self.h_time
            .push(at.timestamp(), at.timestamp_subsec_nanos());
        self.h_status.push(status_index(status));
        if let Some(n) = note {
            let n = self.texts.intern(n);
            self.h_note.push((k, n));
        }
        self.h_next.push(NONE);
        if self.h_last[i] == NONE {
            self.h_first[i] = k;
        } else {
            let last = self.h_last[i] as usize;
            self.h_next[last] = k;
        }
        self.h_last[i] = k;
    }

    /// Sets the status of order `w` back to `old` (rollback; the status
    /// changes themselves are dropped by [`WorkOrders::truncate_history`]).
    pub(crate) fn restore_status(&mut self, w: WorkOrderId, old: WorkOrderStatus) {
        if let Some(s) = self.status.get_mut(w.index()) {
            *s = status_index(old);
        }
    }

    /// Number of status changes recorded (for a rollback point).
    pub(crate) fn change_count(&self) -> usize {
        self.h_wo.len()
    }

    /// Keeps the first `k` status changes (rollback): each order that had
    /// later ones is relinked to its last change kept. Costs the changes
    /// dropped and the histories of their orders.
    pub(crate) fn truncate_history(&mut self, k: usize) {
        let keep = k as u32;
        for c in (k..self.h_wo.len()).rev() {
            let w = self.h_wo[c] as usize;
            if w >= self.h_last.len() || self.h_last[w] == NONE || self.h_last[w] < keep {
                continue; // already relinked (or the order itself is dropped)
            }
            let mut cur = self.h_first[w];
            let mut prev = NONE;
            while cur != NONE && cur < keep {
                prev = cur;
                cur = self.h_next[cur as usize];
            }
            self.h_last[w] = prev;
            if prev == NONE {
                self.h_first[w] = NONE;
            } else {
                self.h_next[prev as usize] = NONE;
            }
        }
        self.h_wo.truncate(k);
        self.h_time.truncate(k);
        self.h_status.truncate(k);
        let kept = self.h_note.partition_point(|&(c, _)| c < keep);
        self.h_note.truncate(kept);
        self.h_next.truncate(k);
    }

    /// Gives back the spare capacity of the status-change columns (after a
    /// bulk ingestion that could not count them ahead).
    pub(crate) fn shrink(&mut self) {
        for v in [&mut self.h_wo, &mut self.h_next] {
            v.shrink_to_fit();
        }
        self.h_note.shrink_to_fit();
        self.h_time.shrink_to_fit();
        self.h_status.shrink_to_fit();
        self.next_line.shrink_to_fit();
    }

    /// Reserves room for `orders` more orders, `changes` more status
    /// changes, `lines` more line links and `code_bytes` more code bytes
    /// (bulk ingestion knows its row counts: no doubling slack).
    pub(crate) fn reserve(
        &mut self,
        orders: usize,
        changes: usize,
        lines: usize,
        code_bytes: usize,
    ) {
        self.code_end.reserve_exact(orders);
        self.codes.reserve_exact(code_bytes);
        let (ends, codes) = (&self.code_end, &self.codes);
        self.by_code
            .reserve(self.asset.len() + orders, |w| code_at(ends, codes, w));
        for v in [
            &mut self.title,
            &mut self.asset,
            &mut self.performer,
            &mut self.service,
            &mut self.association,
            &mut self.req_start,
            &mut self.tag_start,
            &mut self.h_first,
            &mut self.h_last,
            &mut self.first_line,
            &mut self.last_line,
        ] {
            v.reserve_exact(orders + 1);
        }
        self.planned.reserve_exact(orders);
        self.status.reserve_exact(orders);
        for v in [&mut self.h_wo, &mut self.h_next] {
            v.reserve_exact(changes);
        }
        self.h_time.reserve_exact(changes);
        self.h_status.reserve_exact(changes);
        self.next_line.reserve_exact(lines);
    }

    /// Links a new line (the highest id so far) to its order.
    pub(crate) fn add_line(&mut self, w: WorkOrderId, line: CostLineId) {
        let i = w.index();
        let l = line.index();
        if self.next_line.len() <= l {
            self.next_line.resize(l + 1, NONE);
        }
        if self.last_line[i] == NONE {
            self.first_line[i] = line.0;
        } else {
            let last = self.last_line[i] as usize;
            self.next_line[last] = line.0;
            if last + 1 != l {
                self.breaks += 1;
            }
        }
        self.last_line[i] = line.0;
    }

    /// True when the lines of every order are consecutive line ids (the
    /// lines were recorded order by order, as bulk ingestion and the usual
    /// batches do): a scan of the lines in id order meets all the lines of
    /// an order together.
    pub(crate) fn lines_consecutive(&self) -> bool {
        self.breaks == 0
    }

    /// Keeps the first `n` orders and the links of the first `lines` lines
    /// (rollback: the lines dropped are the newest, so each order's last ones;
    /// the status changes of dropped orders were undone one by one before).
    pub(crate) fn truncate(&mut self, n: usize, lines: usize) {
        // every order, the dropped ones too: their dropped links leave the
        // count of breaks
        for w in 0..self.last_line.len() {
            if self.last_line[w] == NONE || (self.last_line[w] as usize) < lines {
                continue;
            }
            let mut cur = self.first_line[w];
            let mut last = NONE;
            while cur != NONE && (cur as usize) < lines {
                last = cur;
                cur = self.next_line[cur as usize];
            }
            // the dropped tail of the order's list
            let mut prev = last;
            while cur != NONE {
                if prev != NONE && prev + 1 != cur {
                    debug_assert!(self.breaks > 0, "line links out of count");
                    self.breaks = self.breaks.saturating_sub(1);
                }
                prev = cur;
                cur = self.next_line.get(cur as usize).copied().unwrap_or(NONE);
            }
            if w >= n {
                continue;
            }
            self.last_line[w] = last;
            if last == NONE {
                self.first_line[w] = NONE;
            } else {
                self.next_line[last as usize] = NONE;
            }
        }
        self.next_line.truncate(lines);
        if n >= self.len() {
            return;
        }
        for w in (n..self.len()).rev() {
            let (ends, codes) = (&self.code_end, &self.codes);
            self.by_code
                .remove(code_at(ends, codes, w as u32), |w| code_at(ends, codes, w));
        }
        let code_len = if n == 0 {
            0
        } else {
            self.code_end[n - 1] as usize
        };
        self.codes.truncate(code_len);
        self.code_end.truncate(n);
        self.title.truncate(n);
        self.asset.truncate(n);
        self.performer.truncate(n);
        self.service.truncate(n);
        self.planned.truncate(n);
        self.status.truncate(n);
        self.association.truncate(n);
        if !self.req_start.is_empty() {
            self.req_ids.truncate(self.req_start[n] as usize);
            self.req_start.truncate(n + 1);
            self.tag_ids.truncate(self.tag_start[n] as usize);
            self.tag_start.truncate(n + 1);
        }
        self.first_line.truncate(n);
        self.last_line.truncate(n);
        self.h_first.truncate(n);
        self.h_last.truncate(n);
    }

    // ---- column access ----

    /// Code of order `w`.
    pub(crate) fn code(&self, w: usize) -> &str {
        let start = if w == 0 {
            0
        } else {
            self.code_end[w - 1] as usize
        };
        &self.codes[start..self.code_end[w] as usize]
    }
    /// Asset of order `w`.
    /// Title of work order `w`.
    pub(crate) fn title(&self, w: usize) -> &str {
        self.texts.get(self.title[w])
    }
    /// Planned day of work order `w`.
    pub(crate) fn planned_on(&self, w: usize) -> Option<NaiveDate> {
        (self.planned[w] != i32::MIN).then(|| date_of(self.planned[w]))
    }
    pub(crate) fn asset(&self, w: usize) -> crate::ids::AssetId {
        crate::ids::AssetId(self.asset[w])
    }
    /// Performer of order `w`.
    pub(crate) fn performer(&self, w: usize) -> PerformerId {
        let p = self.performer[w];
        if p & SUPPLIER != 0 {
            PerformerId::Supplier(SupplierId(p & !SUPPLIER))
        } else {
            PerformerId::Team(TeamId(p))
        }
    }
    /// Ordering service of order `w`.
    pub(crate) fn service(&self, w: usize) -> Option<ServiceId> {
        let s = self.service[w];
        (s != NONE).then_some(ServiceId(s))
    }
    /// Status of order `w`.
    pub(crate) fn status(&self, w: usize) -> WorkOrderStatus {
        status_of(self.status[w])
    }
    /// Requests of order `w`.
    pub(crate) fn requests(&self, w: usize) -> &[u32] {
        if self.req_start.is_empty() {
            return &[];
        }
        &self.req_ids[self.req_start[w] as usize..self.req_start[w + 1] as usize]
    }
    /// Tag ids of order `w` (see [`WorkOrders::text`]).
    pub(crate) fn tag_ids(&self, w: usize) -> &[u32] {
        if self.tag_start.is_empty() {
            return &[];
        }
        &self.tag_ids[self.tag_start[w] as usize..self.tag_start[w + 1] as usize]
    }
    /// Tags of order `w`.
    pub(crate) fn tags(&self, w: usize) -> impl Iterator<Item = &str> + '_ {
        self.tag_ids(w).iter().map(|&t| self.texts.get(t))
    }
    /// True when order `w` carries `tag`.
    pub(crate) fn has_tag(&self, w: usize, tag: &str) -> bool {
        self.tags(w).any(|t| t == tag)
    }
    /// Association id of order `w` ([`NONE`] if none).
    pub(crate) fn association_id(&self, w: usize) -> u32 {
        self.association[w]
    }
    /// Association of order `w`.
    pub(crate) fn association(&self, w: usize) -> Option<&str> {
        let a = self.association[w];
        (a != NONE).then(|| self.texts.get(a))
    }
    /// The id of an interned text (tag or association), if any order uses it.
    pub(crate) fn text_id(&self, text: &str) -> Option<u32> {
        self.texts.find(text)
    }
    /// An interned text (tag or association) by id.
    pub(crate) fn text(&self, id: u32) -> &str {
        self.texts.get(id)
    }
    /// Number of interned texts (tag and association ids are below it).
    pub(crate) fn text_count(&self) -> usize {
        self.texts.len()
    }
    /// The lines of order `w`, in recording order.
    pub(crate) fn lines(&self, w: usize) -> impl Iterator<Item = CostLineId> + '_ {
        let mut cur = self.first_line.get(w).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let l = cur;
            cur = self.next_line.get(l as usize).copied().unwrap_or(NONE);
            Some(CostLineId(l))
        })
    }
    /// Last status change time of order `w`.
    pub(crate) fn last_change(&self, w: usize) -> Option<DateTime<Utc>> {
        let k = self.h_last[w];
        if k == NONE {
            return None;
        }
        self.h_time.at(k as usize)
    }

    /// The note text of status change `k`, if it has one.
    fn note(&self, k: usize) -> Option<u32> {
        let i = self.h_note.partition_point(|&(c, _)| (c as usize) < k);
        self.h_note
            .get(i)
            .filter(|&&(c, _)| c as usize == k)
            .map(|&(_, n)| n)
    }

    /// The status history of order `w`, oldest first.
    pub(crate) fn history(&self, w: usize) -> Vec<StatusChange<WorkOrderStatus>> {
        let mut out = Vec::new();
        let mut cur = self.h_first.get(w).copied().unwrap_or(NONE);
        while cur != NONE {
            let k = cur as usize;
            out.push(StatusChange {
                at: self.h_time.at(k).unwrap_or_default(),
                status: status_of(self.h_status[k]),
                note: self.note(k).map(|n| self.texts.get(n).to_owned()),
            });
            cur = self.h_next[k];
        }
        out
    }
}

// ---- columnar snapshots (the store's binary layout) ----

impl WorkOrders {
    /// Writes the columns; the code map, the statuses and the links of
    /// status changes and lines are derived on reading.
    pub(crate) fn encode_columns(&self, out: &mut crate::lines::ColOut<'_>) -> std::io::Result<()> {
        out.u32s(&self.code_end)?;
        out.bytes(self.codes.as_bytes())?;
        out.u32s(&self.title)?;
        out.u32s(&self.asset)?;
        out.u32s(&self.performer)?;
        out.u32s(&self.service)?;
        out.i32s(&self.planned)?;
        out.u32s(&self.association)?;
        out.u32s(&self.req_start)?;
        out.u32s(&self.req_ids)?;
        out.u32s(&self.tag_start)?;
        out.u32s(&self.tag_ids)?;
        self.texts.encode(out)?;
        out.u32s(&self.h_wo)?;
        let (secs, nanos): (Vec<i64>, Vec<u32>) =
            (0..self.h_wo.len()).map(|k| self.h_time.get(k)).unzip();
        out.i64s(&secs)?;
        out.u32s(&nanos)?;
        out.bytes(&self.h_status)?;
        let mut notes = vec![NONE; self.h_wo.len()];
        for &(c, n) in &self.h_note {
            notes[c as usize] = n;
        }
        out.u32s(&notes)
    }

    /// Reads the columns [`WorkOrders::encode_columns`] wrote, checking every
    /// row against the registry `m` (loaded up to its work orders): asset,
    /// team, supplier, service and request ids in range, texts in range,
    /// status histories valid lifecycles in time order. The orders have no
    /// line yet ([`WorkOrders::link_lines`]) and no code index: the codes
    /// are checked and indexed by [`index_code_arena`] (on another
    /// thread while the lines load).
    ///
    /// Errors: [`crate::Error::CorruptStore`] naming the table, row and reason.
    pub(crate) fn decode_columns(
        input: &mut crate::lines::ColIn<'_>,
        m: &crate::Mutualis,
    ) -> crate::Result<WorkOrders> {
        use crate::lines::{corrupt_row, corrupt_table};
        const T: &str = "work_orders";
        input.table = T;
        let code_end = input.u32s("code_end")?;
        let n = code_end.len();
        let codes = input.bytes("codes")?;
        let codes = String::from_utf8(codes).map_err(|e| corrupt_table(T, e))?;
        let mut cols = Vec::new();
        for col in ["title", "asset", "performer", "service"] {
            let v = input.u32s(col)?;
            cols.push(input.exactly(col, v, n)?);
        }
        let planned = input.i32s("planned")?;
        let planned = input.exactly("planned", planned, n)?;
        let association = input.u32s("association")?;
        let association = input.exactly("association", association, n)?;
        let req_start = input.u32s("req_start")?;
        let req_ids = input.u32s("req_ids")?;
        let tag_start = input.u32s("tag_start")?;
        let tag_ids = input.u32s("tag_ids")?;
        let texts = Texts::decode(input)?;
        let h_wo = input.u32s("h_wo")?;
        let k = h_wo.len();
        let h_secs = input.i64s("h_secs")?;
        let h_secs = input.exactly("h_secs", h_secs, k)?;
        let h_nanos = input.u32s("h_nanos")?;
        let h_nanos = input.exactly("h_nanos", h_nanos, k)?;
        let h_status = input.bytes("h_status")?;
        let h_status = input.exactly("h_status", h_status, k)?;
        let h_note = input.u32s("h_note")?;
        let h_note = input.exactly("h_note", h_note, k)?;
        let service = cols.pop().unwrap_or_default();
        let performer = cols.pop().unwrap_or_default();
        let asset = cols.pop().unwrap_or_default();
        let title = cols.pop().unwrap_or_default();

        // offsets: n + 1 entries from 0 to the list's length (or none at all
        // while there is no order)
        let offsets = |col: &str, start: &[u32], ids: &[u32]| -> crate::Result<()> {
            let ok = if start.is_empty() {
                n == 0 && ids.is_empty()
            } else {
                start.len() == n + 1
                    && start[0] == 0
                    && start.windows(2).all(|w| w[0] <= w[1])
                    && start[n] as usize == ids.len()
            };
            if ok {
                Ok(())
            } else {
                Err(corrupt_table(T, format!("column {col}: bad offsets")))
            }
        };
        offsets("req_start", &req_start, &req_ids)?;
        offsets("tag_start", &tag_start, &tag_ids)?;

        let n_texts = texts.len() as u32;
        let (assets, teams, suppliers) = (
            m.assets().len() as u32,
            m.teams().len() as u32,
            m.suppliers().len() as u32,
        );
        let (services, requests) = (m.services().len() as u32, m.requests().len() as u32);
        for w in 0..n {
            let bad = |what: String| Err(corrupt_row(T, w, what));
            if title[w] >= n_texts {
                return bad(format!("title text {} out of range", title[w]));
            }
            if asset[w] >= assets {
                return bad(format!("asset id {} out of range ({assets})", asset[w]));
            }
            let p = performer[w];
            let performer_ok = if p & SUPPLIER != 0 {
                (p & !SUPPLIER) < suppliers
            } else {
                p < teams
            };
            if !performer_ok {
                return bad(format!("performer {p:#x} out of range"));
            }
            if service[w] != NONE && service[w] >= services {
                return bad(format!("service id {} out of range", service[w]));
            }
            if planned[w] != i32::MIN && NaiveDate::from_num_days_from_ce_opt(planned[w]).is_none()
            {
                return bad(format!("planned day {} is not a date", planned[w]));
            }
            if association[w] != NONE && association[w] >= n_texts {
                return bad(format!("association text {} out of range", association[w]));
            }
            if !req_start.is_empty() {
                let reqs = &req_ids[req_start[w] as usize..req_start[w + 1] as usize];
                if let Some(r) = reqs.iter().find(|&&r| r >= requests) {
                    return bad(format!("request id {r} out of range ({requests})"));
                }
                let tags = &tag_ids[tag_start[w] as usize..tag_start[w + 1] as usize];
                if let Some(t) = tags.iter().find(|&&t| t >= n_texts) {
                    return bad(format!("tag text {t} out of range"));
                }
            }
        }

        // status changes: each a valid transition, in time order per order
        let mut status = vec![status_index(WorkOrderStatus::Planned); n];
        let mut h_first = vec![NONE; n];
        let mut h_last = vec![NONE; n];
        let mut h_next = vec![NONE; k];
        for c in 0..k {
            let bad = |what: String| Err(corrupt_row("work_order_history", c, what));
            let w = h_wo[c] as usize;
            if w >= n {
                return bad(format!("work order id {w} out of range ({n})"));
            }
            let Some(&to) = WorkOrderStatus::ALL.get(usize::from(h_status[c])) else {
                return bad(format!("unknown status {}", h_status[c]));
            };
            if !status_of(status[w]).next().contains(&to) {
                return bad(format!(
                    "{} to {} is not a valid transition",
                    status_of(status[w]).as_str(),
                    to.as_str()
                ));
            }
            if DateTime::from_timestamp(h_secs[c], h_nanos[c]).is_none() {
                return bad("not a valid time".into());
            }
            if h_note[c] != NONE && h_note[c] >= n_texts {
                return bad(format!("note text {} out of range", h_note[c]));
            }
            let last = h_last[w];
            if last == NONE {
                h_first[w] = c as u32;
            } else {
                let l = last as usize;
                if (h_secs[c], h_nanos[c]) < (h_secs[l], h_nanos[l]) {
                    return bad("status changes are not in time order".into());
                }
                h_next[l] = c as u32;
            }
            h_last[w] = c as u32;
            status[w] = h_status[c];
        }
        Ok(WorkOrders {
            code_end,
            codes,
            by_code: CodeIndex::default(),
            last_hit: LastHit::default(),
            title,
            asset,
            performer,
            service,
            planned,
            status,
            association,
            req_start,
            req_ids,
            tag_start,
            tag_ids,
            texts,
            h_first,
            h_last,
            h_next,
            h_wo,
            h_time: Times::from_columns(&h_secs, &h_nanos),
            h_status,
            h_note: h_note
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n != NONE)
                .map(|(c, &n)| (c as u32, n))
                .collect(),
            first_line: vec![NONE; n],
            last_line: vec![NONE; n],
            next_line: Vec::new(),
            breaks: 0,
        })
    }

    /// Links each line to its order (`work_order` is the lines' column,
    /// already checked in range), in line order.
    pub(crate) fn link_lines(&mut self, work_order: &[u32]) {
        self.next_line = vec![NONE; work_order.len()];
        self.breaks = 0;
        for (l, &w) in work_order.iter().enumerate() {
            self.add_line(WorkOrderId(w), CostLineId(l as u32));
        }
    }

    /// Takes the code arena out (end offsets, bytes), so that its index can
    /// build on another thread while the orders are installed; give it back
    /// with [`WorkOrders::restore_codes`] before any code is read.
    pub(crate) fn take_codes(&mut self) -> (Vec<u32>, String) {
        (
            std::mem::take(&mut self.code_end),
            std::mem::take(&mut self.codes),
        )
    }

    /// Gives back the arena [`WorkOrders::take_codes`] took, with its index.
    pub(crate) fn restore_codes(&mut self, code_end: Vec<u32>, codes: String, by_code: CodeIndex) {
        self.code_end = code_end;
        self.codes = codes;
        self.by_code = by_code;
    }
}

/// Checks a code arena read from a snapshot (offsets, each code valid and
/// distinct) and builds its code → id index (it only reads the arena: it
/// runs on another thread while the lines load).
///
/// Errors: [`crate::Error::CorruptStore`] naming the row and reason.
pub(crate) fn index_code_arena(code_end: &[u32], codes: &str) -> crate::Result<CodeIndex> {
    use crate::lines::{corrupt_row, corrupt_table};
    const T: &str = "work_orders";
    let n = code_end.len();
    let mut start = 0;
    for (w, &end) in code_end.iter().enumerate() {
        let end = end as usize;
        if end < start || end > codes.len() || !codes.is_char_boundary(end) {
            return Err(corrupt_row(T, w, "bad code offset"));
        }
        if let Err(e) = crate::identity::check_code("work order", &codes[start..end]) {
            return Err(corrupt_row(T, w, e));
        }
        start = end;
    }
    if start != codes.len() {
        return Err(corrupt_table(T, "bytes after the last code"));
    }
    let code_of = |w: u32| code_at(code_end, codes, w);
    let mut by_code = CodeIndex::default();
    by_code.reserve(n, code_of);
    // inserting in the order of the slots (where the hashes place the
    // codes) walks the table almost in sequence instead of at random
    let mut order: Vec<(usize, u32)> = (0..n as u32)
        .map(|w| (by_code.hash(code_of(w)).0, w))
        .collect();
    order.sort_unstable();
    for (_, w) in order {
        let code = code_of(w);
        if by_code.get(code, code_of).is_some() {
            return Err(corrupt_row(
                T,
                w as usize,
                format!("code {code:?} appears twice"),
            ));
        }
        by_code.insert(code, w, code_of);
    }
    Ok(by_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shared_by_runs_and_truncate_to_a_prefix() {
        let mut t = Times::default();
        for (s, n) in [(10, 0), (10, 0), (10, 5), (11, 0), (11, 0), (10, 0)] {
            t.push(s, n);
        }
        assert_eq!(t.secs.len(), 4, "a new entry at each change of time");
        let got: Vec<_> = (0..6).map(|k| t.get(k)).collect();
        assert_eq!(got, [(10, 0), (10, 0), (10, 5), (11, 0), (11, 0), (10, 0)]);
        t.truncate(4);
        assert_eq!((t.id.len(), t.secs.len()), (4, 3));
        t.push(12, 0);
        assert_eq!(t.get(4), (12, 0));
        assert_eq!(t.get(3), (11, 0));
        t.truncate(0);
        assert_eq!((t.id.len(), t.secs.len()), (0, 0));
    }
}
