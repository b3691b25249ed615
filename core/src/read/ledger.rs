//! The cost ledger: one columnar read model of every allocated amount — one
//! row per (cost line, payer) — with dense integer columns and amounts in
//! integer cents, kept up to date as lines are recorded (and rebuilt when a
//! custody or key change moves past payers).
//!
//! [`Mutualis::ledger_group`] answers the group-by questions of the seed in
//! one call: spending per service, per supplier, the cost of an event, of the
//! premises lent to associations, what each commune's régie did for the
//! agglomeration.
//!
//! ```
//! use mutualis::{ledger::{Dimension, LedgerFilter}, Mutualis};
//! let m = Mutualis::new();
//! let rows = m.ledger_group(&[Dimension::Payer, Dimension::Nature], &LedgerFilter::default()).unwrap();
//! assert!(rows.is_empty());
//! ```

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::Result;
use crate::ids::CostLineId;
use crate::kinds::named_enum;
use crate::money::{from_cents, to_cents};
use crate::period::Period;
use crate::work::{CostNature, Provider};
use crate::Mutualis;

/// Marks an absent id in a ledger column.
pub const NONE: u32 = u32::MAX;

/// The columns of the ledger, one entry per (cost line, payer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
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

impl Ledger {
    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// True when empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }
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

fn nature_index(n: CostNature) -> u8 {
    CostNature::ALL.iter().position(|x| *x == n).unwrap_or(0) as u8
}

fn day_of(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

impl Mutualis {
    /// The ledger's columns.
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Appends the rows of one recorded line.
    pub(crate) fn ledger_append(&mut self, id: CostLineId) -> Result<()> {
        let line = &self.cost_lines[id.index()];
        let charges = self.line_charges(line)?;
        let wo = &self.work_orders[line.work_order.index()];
        let (performer, supplier) = match line.provider {
            Provider::Supplier(s) => (NONE, s.0),
            other => (other.tenant().map_or(NONE, |t| t.0), NONE),
        };
        let service = self.line_service(line).map_or(NONE, |s| s.0);
        let (nature, asset, work_order, day) = (
            nature_index(line.nature),
            wo.asset.0,
            wo.id.0,
            day_of(line.date),
        );
        let l = &mut self.ledger;
        for c in charges {
            l.line.push(id.0);
            l.payer.push(c.tenant.0);
            l.performer.push(performer);
            l.supplier.push(supplier);
            l.service.push(service);
            l.nature.push(nature);
            l.asset.push(asset);
            l.work_order.push(work_order);
            l.day.push(day);
            l.ht.push(to_cents(c.amounts.ht)?);
            l.ttc.push(to_cents(c.amounts.ttc)?);
        }
        Ok(())
    }

    /// Rebuilds the ledger from the cost lines (after custody or key changes).
    pub(crate) fn rebuild_ledger(&mut self) {
        self.ledger = Ledger::default();
        for i in 0..self.cost_lines.len() {
            // lines were validated when recorded; a line whose payers can no
            // longer be found (asset life shortened) is left out, not a panic
            let _ = self.ledger_append(self.cost_lines[i].id);
        }
    }

    /// Groups the ledger rows kept by `filter` by `dims`; rows sorted by keys.
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
                for a in self.subtree(code)? {
                    v[a.id.index()] = true;
                }
                Some(v)
            }
            None => None,
        };
        let (from, to) = filter.period.map_or((i32::MIN, i32::MAX), |p| {
            (day_of(p.from), p.to.map_or(i32::MAX, day_of))
        });
        let nature = filter.nature.map(nature_index);
        let l = &self.ledger;
        let mut acc: BTreeMap<Vec<String>, (i64, i64, usize, Vec<u32>)> = BTreeMap::new();
        let code_or_empty =
            |id: u32, f: &dyn Fn(u32) -> String| if id == NONE { String::new() } else { f(id) };
        for r in 0..l.len() {
            if l.day[r] < from
                || l.day[r] > to
                || payer.is_some_and(|p| p.0 != l.payer[r])
                || performer.is_some_and(|p| p.0 != l.performer[r])
                || nature.is_some_and(|n| n != l.nature[r])
                || in_subtree.as_ref().is_some_and(|v| !v[l.asset[r] as usize])
            {
                continue;
            }
            let wo = &self.work_orders[l.work_order[r] as usize];
            if let Some(tag) = &filter.tag {
                if !wo.tags.contains(tag) {
                    continue;
                }
            }
            let date = NaiveDate::from_num_days_from_ce_opt(l.day[r]).unwrap_or_default();
            // one key set per tag when grouping by tag
            let tags: Vec<String> = if dims.contains(&Dimension::Tag) {
                if wo.tags.is_empty() {
                    vec![String::new()]
                } else {
                    wo.tags.clone()
                }
            } else {
                vec![String::new()]
            };
            for tag in tags {
                let keys: Vec<String> = dims
                    .iter()
                    .map(|d| match d {
                        Dimension::Payer => {
                            self.tenant_code(crate::TenantId(l.payer[r])).to_owned()
                        }
                        Dimension::Performer => code_or_empty(l.performer[r], &|t| {
                            self.tenant_code(crate::TenantId(t)).to_owned()
                        }),
                        Dimension::Supplier => code_or_empty(l.supplier[r], &|s| {
                            self.suppliers[s as usize].code.clone()
                        }),
                        Dimension::Service => code_or_empty(l.service[r], &|s| {
                            let s = &self.services[s as usize];
                            format!("{}/{}", self.tenant_code(s.tenant), s.code)
                        }),
                        Dimension::Nature => {
                            CostNature::ALL[l.nature[r] as usize].as_str().to_owned()
                        }
                        Dimension::Asset => self.assets[l.asset[r] as usize].code.clone(),
                        Dimension::WorkOrder => wo.code.clone(),
                        Dimension::Tag => tag.clone(),
                        Dimension::Association => wo.association.clone().unwrap_or_default(),
                        Dimension::Year => date.year().to_string(),
                        Dimension::Month => format!("{:04}-{:02}", date.year(), date.month()),
                    })
                    .collect();
                let e = acc.entry(keys).or_insert((0, 0, 0, Vec::new()));
                e.0 += l.ht[r];
                e.1 += l.ttc[r];
                e.2 += 1;
                if !e.3.contains(&l.work_order[r]) {
                    e.3.push(l.work_order[r]);
                }
            }
        }
        Ok(acc
            .into_iter()
            .map(|(keys, (ht, ttc, rows, wos))| GroupRow {
                keys,
                ht: from_cents(ht),
                ttc: from_cents(ttc),
                rows,
                work_orders: wos.len(),
            })
            .collect())
    }
}
