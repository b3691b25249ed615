//! Costing: totals of work orders by nature, what each tenant is charged,
//! roll-ups of an asset subtree, and costs per event tag, association and
//! supplier.
//!
//! Every total is a sum of lines already rounded to the cent, so a report's
//! lines always add up to its total (DOMAIN §3). What a tenant is charged for
//! a line follows [`Mutualis::payers`] on the line's date: HT and TTC are each
//! split by the payers' weights (largest remainder), and each part's VAT is
//! its TTC minus its HT.

use std::collections::BTreeMap;
use std::ops::{Add, AddAssign};

use rust_decimal::Decimal;

use crate::error::Result;
use crate::ids::{ServiceId, TenantId};
use crate::money::{from_cents, split_cents_into, to_cents};
use crate::period::Period;
use crate::work::{CostLine, CostNature, Provider};
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
        }
    }

    fn of_lines<'a>(lines: impl Iterator<Item = &'a CostLine>) -> CostSummary {
        let mut s = CostSummary::default();
        for l in lines {
            s.add_line(l);
        }
        s
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

impl Mutualis {
    /// Totals of a work order by nature.
    pub fn work_order_cost(&self, code: &str) -> Result<CostSummary> {
        Ok(CostSummary::of_lines(
            self.work_order_lines(code)?.into_iter(),
        ))
    }

    /// Splits one line between its payers on its date.
    pub fn line_charges(&self, line: &CostLine) -> Result<Vec<Charge>> {
        let asset = self.work_orders[line.work_order.index()].asset;
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

    /// What each tenant is charged for a work order, sorted by tenant code.
    pub fn work_order_charges(&self, code: &str) -> Result<Vec<Charge>> {
        let mut by: BTreeMap<&str, Charge> = BTreeMap::new();
        for line in self.work_order_lines(code)? {
            for c in self.line_charges(line)? {
                by.entry(self.tenant_code(c.tenant))
                    .or_insert(Charge {
                        tenant: c.tenant,
                        amounts: Amounts::default(),
                    })
                    .amounts += c.amounts;
            }
        }
        Ok(by.into_values().collect())
    }

    /// Costs of all work orders on an asset and its descendants, for lines
    /// dated within `period` (all dates if `None`): Maximo's roll-up.
    pub fn rollup(&self, asset: &str, period: Option<Period>) -> Result<CostSummary> {
        let subtree: Vec<bool> = {
            let mut inside = vec![false; self.assets.len()];
            for a in self.subtree(asset)? {
                inside[a.id.index()] = true;
            }
            inside
        };
        Ok(CostSummary::of_lines(self.cost_lines.iter().filter(|l| {
            subtree[self.work_orders[l.work_order.index()].asset.index()]
                && period.is_none_or(|p| p.contains(l.date))
        })))
    }

    /// Costs of the work orders tagged with an event tag.
    #[must_use]
    pub fn cost_by_tag(&self, tag: &str) -> CostSummary {
        CostSummary::of_lines(self.cost_lines.iter().filter(|l| {
            self.work_orders[l.work_order.index()]
                .tags
                .iter()
                .any(|t| t == tag)
        }))
    }

    /// Costs of the work orders done for an association (aide en nature).
    #[must_use]
    pub fn cost_by_association(&self, association: &str) -> CostSummary {
        CostSummary::of_lines(self.cost_lines.iter().filter(|l| {
            self.work_orders[l.work_order.index()]
                .association
                .as_deref()
                == Some(association)
        }))
    }

    /// Interventions and external spending of a supplier, for lines within `period`.
    pub fn supplier_activity(
        &self,
        supplier: &str,
        period: Option<Period>,
    ) -> Result<SupplierActivity> {
        let s = self.supplier_id(supplier)?;
        let mut out = SupplierActivity::default();
        let mut seen = vec![false; self.work_orders.len()];
        for l in &self.cost_lines {
            if l.provider == Provider::Supplier(s) && period.is_none_or(|p| p.contains(l.date)) {
                out.cost.add_line(l);
                if !std::mem::replace(&mut seen[l.work_order.index()], true) {
                    out.interventions += 1;
                }
            }
        }
        Ok(out)
    }

    /// What each payer is charged per service and nature, for lines within
    /// `period`; rows sorted by payer code, service, nature.
    pub fn cost_breakdown(&self, period: Option<Period>) -> Result<Vec<BreakdownRow>> {
        type Key = (String, Option<(String, String)>, CostNature);
        let mut acc: BTreeMap<Key, BreakdownRow> = BTreeMap::new();
        for l in self
            .cost_lines
            .iter()
            .filter(|l| period.is_none_or(|p| p.contains(l.date)))
        {
            let wo = &self.work_orders[l.work_order.index()];
            let service = wo.service.or_else(|| {
                self.ancestors_and_self(wo.asset)
                    .find_map(|a| self.assets[a.index()].service)
            });
            let service_key = service.map(|s| {
                let s = &self.services[s.index()];
                (self.tenant_code(s.tenant).to_owned(), s.code.clone())
            });
            for c in self.line_charges(l)? {
                let key = (
                    self.tenant_code(c.tenant).to_owned(),
                    service_key.clone(),
                    l.nature,
                );
                acc.entry(key)
                    .or_insert(BreakdownRow {
                        payer: c.tenant,
                        service,
                        nature: l.nature,
                        amounts: Amounts::default(),
                    })
                    .amounts += c.amounts;
            }
        }
        Ok(acc.into_values().collect())
    }
}
