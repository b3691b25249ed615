//! Costing: totals of work orders by nature, what each tenant is charged,
//! roll-ups of an asset subtree, and costs per event tag, association and
//! supplier.
//!
//! Every total is a sum of lines already rounded to the cent, so a report's
//! lines always add up to its total (DOMAIN §3). What a tenant is charged for
//! a line follows [`Mutualis::payers`] on the line's date: HT and TTC are each
//! split by the payers' weights (largest remainder), and each part's VAT is
//! its TTC minus its HT.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Add, AddAssign};

use rust_decimal::Decimal;

use crate::error::Result;
use crate::ids::{ServiceId, TenantId};
use crate::money::{from_cents, split_cents_into, to_cents};
use crate::period::Period;
use crate::work::{CostLine, CostNature};
use crate::Mutualis;

/// HT, VAT and TTC amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    /// Hors taxes.
    pub ht: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Toutes taxes comprises.
    pub ttc: Decimal,
}

impl Default for Amounts {
    fn default() -> Amounts {
        let zero = Decimal::new(0, 2);
        Amounts {
            ht: zero,
            vat: zero,
            ttc: zero,
        }
    }
}

impl Add for Amounts {
    type Output = Amounts;
    fn add(self, o: Amounts) -> Amounts {
        Amounts {
            ht: self.ht + o.ht,
            vat: self.vat + o.vat,
            ttc: self.ttc + o.ttc,
        }
    }
}

impl AddAssign for Amounts {
    fn add_assign(&mut self, o: Amounts) {
        *self = *self + o;
    }
}

impl From<&CostLine> for Amounts {
    fn from(l: &CostLine) -> Amounts {
        Amounts {
            ht: l.ht,
            vat: l.vat,
            ttc: l.ttc,
        }
    }
}

/// Totals by nature and overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CostSummary {
    /// Régie labour.
    pub labour: Amounts,
    /// Material from stores.
    pub material: Amounts,
    /// Vehicle and equipment use.
    pub vehicle: Amounts,
    /// External invoices.
    pub external: Amounts,
    /// Energy invoices of meters (docs/energy.md).
    pub energy: Amounts,
    /// All natures.
    pub total: Amounts,
    /// Number of lines.
    pub lines: usize,
}

impl CostSummary {
    /// Adds one line.
    pub fn add_line(&mut self, l: &CostLine) {
        let a = Amounts::from(l);
        match l.nature {
            CostNature::Labour => self.labour += a,
            CostNature::Material => self.material += a,
            CostNature::Vehicle => self.vehicle += a,
            CostNature::External => self.external += a,
            CostNature::Energy => self.energy += a,
        }
        self.total += a;
        self.lines += 1;
    }

    /// The amounts of one nature.
    #[must_use]
    pub fn of(&self, nature: CostNature) -> Amounts {
        match nature {
            CostNature::Labour => self.labour,
            CostNature::Material => self.material,
            CostNature::Vehicle => self.vehicle,
            CostNature::External => self.external,
            CostNature::Energy => self.energy,
        }
    }
}

/// What one tenant is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    /// The paying tenant.
    pub tenant: TenantId,
    /// Its amounts.
    pub amounts: Amounts,
}

/// One row of [`Mutualis::cost_breakdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakdownRow {
    /// Paying tenant.
    pub payer: TenantId,
    /// Service: the work order's ordering service, else the managing service
    /// of the asset or of its nearest ancestor that has one.
    pub service: Option<ServiceId>,
    /// Nature.
    pub nature: CostNature,
    /// Amounts charged to the payer.
    pub amounts: Amounts,
}

/// Costs of a supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SupplierActivity {
    /// Work orders with at least one line of the supplier in the period.
    pub interventions: usize,
    /// The supplier's external lines.
    pub cost: CostSummary,
}

/// Number of cost natures.
const NATURES: usize = CostNature::ALL.len();

/// A [`CostSummary`] being accumulated in integer cents, per nature index.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CentsSummary {
    ht: [i64; NATURES],
    vat: [i64; NATURES],
    lines: usize,
}

impl CentsSummary {
    /// Adds line `i` of `lines`.
    pub(crate) fn add(&mut self, lines: &crate::lines::CostLines, i: usize) {
        let n = usize::from(lines.natures()[i]);
        self.ht[n] += lines.ht_cents(i);
        self.vat[n] += lines.vat_cents(i);
        self.lines += 1;
    }

    /// Adds a payer's part (HT and TTC cents) of a line of nature index `n`,
    /// counting the line when `count`.
    pub(crate) fn add_part(&mut self, n: usize, ht: i64, ttc: i64, count: bool) {
        self.ht[n] += ht;
        self.vat[n] += ttc - ht;
        self.lines += usize::from(count);
    }

    /// Adds line `i` whole, or (masked) the parts the mask lets through;
    /// true when something was added.
    pub(crate) fn add_masked(
        &mut self,
        m: &Mutualis,
        i: usize,
        w: usize,
        mask: Option<&crate::access::Mask>,
    ) -> bool {
        match mask {
            Some(k) if !k.order(w) => {
                let n = usize::from(m.cost_lines.natures()[i]);
                let mut first = true;
                for p in m.line_parts(i).filter(|p| k.payer(p.payer)) {
                    self.add_part(n, p.ht, p.ttc, first);
                    first = false;
                }
                !first
            }
            _ => {
                self.add(&m.cost_lines, i);
                true
            }
        }
    }

    /// The summary in euros.
    pub(crate) fn finish(self) -> CostSummary {
        let a = |n: usize| Amounts {
            ht: from_cents(self.ht[n]),
            vat: from_cents(self.vat[n]),
            ttc: from_cents(self.ht[n] + self.vat[n]),
        };
        let (ht, vat): (i64, i64) = (self.ht.iter().sum(), self.vat.iter().sum());
        CostSummary {
            labour: a(0),
            material: a(1),
            vehicle: a(2),
            external: a(3),
            energy: a(4),
            total: Amounts {
                ht: from_cents(ht),
                vat: from_cents(vat),
                ttc: from_cents(ht + vat),
            },
            lines: self.lines,
        }
    }
}

impl Mutualis {
    /// Totals of a work order by nature.
    pub fn work_order_cost(&self, code: &str) -> Result<CostSummary> {
        let mut acc = CentsSummary::default();
        let w = self.work_order_id(code)?;
        for l in self.work_orders.lines(w.index()) {
            acc.add(&self.cost_lines, l.index());
        }
        Ok(acc.finish())
    }

    /// Splits one line between its payers on its date.
    pub fn line_charges(&self, line: &CostLine) -> Result<Vec<Charge>> {
        let asset = self.work_orders.asset(line.work_order.index());
        let payers = self.payers_of(asset, line.date)?;
        let weights: Vec<u64> = payers.shares.iter().map(|s| s.weight).collect();
        let mut ht = vec![0i64; weights.len()];
        let mut ttc = vec![0i64; weights.len()];
        split_cents_into(to_cents(line.ht)?, &weights, &mut ht)?;
        split_cents_into(to_cents(line.ttc)?, &weights, &mut ttc)?;
        Ok(payers
            .shares
            .iter()
            .enumerate()
            .map(|(i, s)| Charge {
                tenant: s.tenant,
                amounts: Amounts {
                    ht: from_cents(ht[i]),
                    vat: from_cents(ttc[i] - ht[i]),
                    ttc: from_cents(ttc[i]),
                },
            })
            .collect())
    }

    /// What each tenant is charged for a work order, sorted by tenant code
    /// (read from the ledger).
    pub fn work_order_charges(&self, code: &str) -> Result<Vec<Charge>> {
        let mut by: BTreeMap<&str, (TenantId, i64, i64)> = BTreeMap::new();
        let w = self.work_order_id(code)?;
        for l in self.work_orders.lines(w.index()) {
            for p in self.line_parts(l.index()) {
                let e = by
                    .entry(self.tenant_code(p.payer))
                    .or_insert((p.payer, 0, 0));
                e.1 += p.ht;
                e.2 += p.ttc;
            }
        }
        Ok(by
            .into_values()
            .map(|(tenant, ht, ttc)| Charge {
                tenant,
                amounts: Amounts {
                    ht: from_cents(ht),
                    vat: from_cents(ttc - ht),
                    ttc: from_cents(ttc),
                },
            })
            .collect())
    }

    /// Costs of all work orders on an asset and its descendants, for lines
    /// dated within `period` (all dates if `None`): Maximo's roll-up. Costs
    /// the subtree's lines, not the registry's, and the invoices of the
    /// meters in the subtree (nature `energy`, at their invoice dates).
    pub fn rollup(&self, asset: &str, period: Option<Period>) -> Result<CostSummary> {
        self.rollup_masked(asset, period, None)
    }

    /// [`Mutualis::rollup`] over the lines and parts of `mask`.
    pub(crate) fn rollup_masked(
        &self,
        asset: &str,
        period: Option<Period>,
        mask: Option<&crate::access::Mask>,
    ) -> Result<CostSummary> {
        let root = self.asset_id(asset)?;
        let mut acc = CentsSummary::default();
        for a in self.subtree_ids(root) {
            for &l in self.lines_of_asset(a) {
                let i = l as usize;
                if period.is_none_or(|p| p.contains(self.cost_lines.date(i))) {
                    let w = self.cost_lines.work_orders()[i] as usize;
                    acc.add_masked(self, i, w, mask);
                }
            }
        }
        self.energy_rollup(&mut acc, root, period, mask);
        Ok(acc.finish())
    }

    /// Costs of the work orders tagged with an event tag.
    #[must_use]
    pub fn cost_by_tag(&self, tag: &str) -> CostSummary {
        self.cost_of_work_orders(|w| self.work_orders.has_tag(w, tag))
    }

    /// Costs of the work orders done for an association (aide en nature).
    #[must_use]
    pub fn cost_by_association(&self, association: &str) -> CostSummary {
        self.cost_of_work_orders(|w| self.work_orders.association(w) == Some(association))
    }

    fn cost_of_work_orders(&self, keep: impl Fn(usize) -> bool) -> CostSummary {
        self.cost_of_work_orders_masked(keep, None)
    }

    /// The cost of the kept work orders' lines, restricted to `mask`.
    pub(crate) fn cost_of_work_orders_masked(
        &self,
        keep: impl Fn(usize) -> bool,
        mask: Option<&crate::access::Mask>,
    ) -> CostSummary {
        let mut acc = CentsSummary::default();
        for w in (0..self.work_orders.len()).filter(|&w| keep(w)) {
            for l in self.work_orders.lines(w) {
                acc.add_masked(self, l.index(), w, mask);
            }
        }
        acc.finish()
    }

    /// Interventions and external spending of a supplier, for lines within `period`.
    pub fn supplier_activity(
        &self,
        supplier: &str,
        period: Option<Period>,
    ) -> Result<SupplierActivity> {
        self.supplier_activity_masked(supplier, period, None)
    }

    /// [`Mutualis::supplier_activity`] over the lines and parts of `mask`.
    pub(crate) fn supplier_activity_masked(
        &self,
        supplier: &str,
        period: Option<Period>,
        mask: Option<&crate::access::Mask>,
    ) -> Result<SupplierActivity> {
        let s = self.supplier_id(supplier)?;
        let l = &self.cost_lines;
        let mut acc = CentsSummary::default();
        let mut interventions = 0;
        let mut seen = vec![false; self.work_orders.len()];
        for i in 0..l.len() {
            let w = l.work_orders()[i] as usize;
            if l.supplier(i) == Some(s)
                && period.is_none_or(|p| p.contains(l.date(i)))
                && acc.add_masked(self, i, w, mask)
                && !std::mem::replace(&mut seen[w], true)
            {
                interventions += 1;
            }
        }
        Ok(SupplierActivity {
            interventions,
            cost: acc.finish(),
        })
    }

    /// What each payer is charged per service and nature, for lines within
    /// `period`; rows sorted by payer code, service, nature.
    pub fn cost_breakdown(&self, period: Option<Period>) -> Result<Vec<BreakdownRow>> {
        self.cost_breakdown_masked(period, None)
    }

    /// [`Mutualis::cost_breakdown`] over the parts of `mask`.
    pub(crate) fn cost_breakdown_masked(
        &self,
        period: Option<Period>,
        mask: Option<&crate::access::Mask>,
    ) -> Result<Vec<BreakdownRow>> {
        let l = &self.cost_lines;
        let managing = self.managing_services();
        let mut acc: HashMap<(u32, u32, u8), (i64, i64)> = HashMap::new();
        for i in 0..l.len() {
            if !period.is_none_or(|p| p.contains(l.date(i))) {
                continue;
            }
            let w = l.work_orders()[i] as usize;
            let service = self
                .work_orders
                .service(w)
                .map_or(managing[self.line_asset(i) as usize], |s| s.0);
            for p in self.line_parts(i) {
                if mask.is_some_and(|m| !m.part(w, p.payer)) {
                    continue;
                }
                let e = acc.entry((p.payer.0, service, l.natures()[i])).or_default();
                e.0 += p.ht;
                e.1 += p.ttc;
            }
        }
        // the energy invoices, service: the asset's managing service
        let energy = crate::lines::nature_index(CostNature::Energy);
        self.energy_parts(|p| {
            if !period.is_none_or(|x| x.contains(crate::lines::date_of(p.day)))
                || mask.is_some_and(|m| !m.payer(p.payer))
            {
                return;
            }
            let e = acc
                .entry((p.payer.0, managing[p.asset.index()], energy))
                .or_default();
            e.0 += p.ht;
            e.1 += p.ttc;
        });
        type Key = (String, Option<(String, String)>, CostNature);
        let mut rows: BTreeMap<Key, BreakdownRow> = BTreeMap::new();
        for ((payer, service, nature), (ht, ttc)) in acc {
            let service = (service != crate::ledger::NONE).then_some(ServiceId(service));
            let service_key = service.map(|s| {
                let s = &self.services()[s.index()];
                (self.tenant_code(s.tenant).to_owned(), s.code.clone())
            });
            let payer = TenantId(payer);
            let nature = CostNature::ALL[usize::from(nature)];
            rows.insert(
                (self.tenant_code(payer).to_owned(), service_key, nature),
                BreakdownRow {
                    payer,
                    service,
                    nature,
                    amounts: Amounts {
                        ht: from_cents(ht),
                        vat: from_cents(ttc - ht),
                        ttc: from_cents(ttc),
                    },
                },
            );
        }
        Ok(rows.into_values().collect())
    }
}
