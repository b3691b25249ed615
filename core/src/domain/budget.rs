//! Budgets per tenant and fiscal year: lines by service and account with
//! voted credits and amendments (décisions modificatives), commitments
//! (engagements), and actual spending drawn from the cost lines charged to
//! the tenant.
//!
//! - A budget is charged **TTC** by default (a collectivité does not recover
//!   VAT on its general budget) or **HT** for a budget subject to VAT (DOMAIN §3).
//! - Spending of a line: the tenant's charges (per [`Mutualis::line_charges`])
//!   on cost lines of the year whose work order is assigned to that budget line
//!   for the tenant ([`Mutualis::assign_budget_line`]), or, without an
//!   assignment, whose service (the work order's ordering service, else the
//!   asset's managing service) is the budget line's service.
//! - Remaining credit = voted + amendments − commitments − spending not
//!   covered by a commitment (a commitment linked to a work order covers that
//!   order's spending up to its amount).
//! - Recording a cost that would take a line below zero is refused
//!   ([`Error::BudgetExceeded`]) or accepted with a warning
//!   ([`Mutualis::budget_warnings`]), as the budget's policy says.

use std::collections::HashMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{ServiceId, TenantId, WorkOrderId};
use crate::journal::Event;
use crate::kinds::named_enum;
use crate::work::CostLine;
use crate::Mutualis;

named_enum! {
    /// What a budget is charged.
    pub enum ChargeBasis as "charge basis" {
        /// Toutes taxes comprises (general budget, VAT not recovered).
        Ttc = "ttc",
        /// Hors taxes (budget subject to VAT).
        Ht = "ht",
    }
}

named_enum! {
    /// What happens when a cost would exceed a budget line.
    pub enum OverrunPolicy as "overrun policy" {
        /// Refuse the cost line.
        Refuse = "refuse",
        /// Record it and keep a warning.
        Warn = "warn",
    }
}

/// A commitment (engagement) on a budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// Code (e.g. the purchase order number).
    pub code: String,
    /// Amount committed.
    pub amount: Decimal,
    /// The work order it is for, if any.
    pub work_order: Option<WorkOrderId>,
}

/// A budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    /// Code, unique within the budget ("011-SPORTS").
    pub code: String,
    /// Service (cost centre), if any.
    pub service: Option<ServiceId>,
    /// Account (nature M57, e.g. "615221").
    pub account: String,
    /// Voted credits (budget primitif).
    pub voted: Decimal,
    /// Amendments (décisions modificatives), with their labels.
    pub amendments: Vec<(Decimal, String)>,
    /// Commitments.
    pub commitments: Vec<Commitment>,
}

/// A tenant's budget for a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The tenant.
    pub tenant: TenantId,
    /// Fiscal year.
    pub year: i32,
    /// TTC or HT.
    pub basis: ChargeBasis,
    /// Refuse or warn on overrun.
    pub policy: OverrunPolicy,
    /// Lines, in creation order.
    pub lines: Vec<BudgetLine>,
}

/// Consumption of one budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLineStatus {
    /// Line code ("" for spending that matches no line).
    pub code: String,
    /// Service.
    pub service: Option<ServiceId>,
    /// Account.
    pub account: String,
    /// Voted.
    pub voted: Decimal,
    /// Sum of amendments.
    pub amendments: Decimal,
    /// Voted + amendments.
    pub credits: Decimal,
    /// Sum of commitments.
    pub committed: Decimal,
    /// Spending from cost lines, on the budget's basis.
    pub spent: Decimal,
    /// Credits − commitments − spending not covered by a commitment.
    pub remaining: Decimal,
}

/// A warning left by a cost recorded beyond a budget line (warn policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetWarning {
    /// Tenant code.
    pub tenant: String,
    /// Year.
    pub year: i32,
    /// Budget line code.
    pub line: String,
    /// Work order code.
    pub work_order: String,
    /// Amount charged by the cost line.
    pub amount: Decimal,
    /// Remaining credit before it.
    pub remaining: Decimal,
}

/// Spending per budget line, unmatched spending, and spending per (line, work order).
type Spending = (
    Vec<Decimal>,
    Decimal,
    HashMap<(usize, WorkOrderId), Decimal>,
);

fn zero() -> Decimal {
    Decimal::new(0, 2)
}

impl Mutualis {
    fn budget_index(&self, tenant: TenantId, year: i32) -> Option<usize> {
        self.budgets
            .iter()
            .position(|b| b.tenant == tenant && b.year == year)
    }

    fn budget_of(&self, tenant: &str, year: i32) -> Result<usize> {
        let t = self.tenant_id(tenant)?;
        self.budget_index(t, year)
            .ok_or_else(|| Error::UnknownBudget {
                tenant: tenant.to_owned(),
                year,
                line: None,
            })
    }

    pub(crate) fn budget_line_of(
        &self,
        tenant: &str,
        year: i32,
        line: &str,
    ) -> Result<(usize, usize)> {
        let b = self.budget_of(tenant, year)?;
        let l = self.budgets[b]
            .lines
            .iter()
            .position(|x| x.code == line)
            .ok_or_else(|| Error::UnknownBudget {
                tenant: tenant.to_owned(),
                year,
                line: Some(line.to_owned()),
            })?;
        Ok((b, l))
    }

    /// Opens the budget of `tenant` for `year`.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::DuplicateBudget`].
    pub fn add_budget(
        &mut self,
        tenant: &str,
        year: i32,
        basis: ChargeBasis,
        policy: OverrunPolicy,
    ) -> Result<()> {
        let t = self.tenant_id(tenant)?;
        if self.budget_index(t, year).is_some() {
            return Err(Error::DuplicateBudget {
                tenant: tenant.to_owned(),
                year,
                line: None,
            });
        }
        self.budgets.push(Budget {
            tenant: t,
            year,
            basis,
            policy,
            lines: Vec::new(),
        });
        self.log(
            Some(tenant.to_owned()),
            Event::BudgetOpened {
                tenant: tenant.to_owned(),
                year,
                basis,
                policy,
            },
        );
        Ok(())
    }

    /// Adds a line with its voted credits.
    ///
    /// Errors: [`Error::UnknownBudget`], [`Error::InvalidCode`], [`Error::UnknownService`],
    /// [`Error::InvalidField`], [`Error::SubCentAmount`], [`Error::DuplicateBudget`].
    pub fn add_budget_line(
        &mut self,
        tenant: &str,
        year: i32,
        code: &str,
        service: Option<&str>,
        account: &str,
        voted: Decimal,
    ) -> Result<()> {
        let b = self.budget_of(tenant, year)?;
        check_code("budget line", code)?;
        check_name("account", account)?;
        let service_id = service.map(|s| self.service_id(tenant, s)).transpose()?;
        crate::money::to_cents(voted)?;
        if voted.is_sign_negative() && !voted.is_zero() {
            return Err(Error::InvalidQuantity {
                what: "voted credits",
                value: voted,
            });
        }
        if self.budgets[b].lines.iter().any(|l| l.code == code) {
            return Err(Error::DuplicateBudget {
                tenant: tenant.to_owned(),
                year,
                line: Some(code.to_owned()),
            });
        }
        self.budgets[b].lines.push(BudgetLine {
            code: code.to_owned(),
            service: service_id,
            account: account.to_owned(),
            voted,
            amendments: Vec::new(),
            commitments: Vec::new(),
        });
        self.log(
            Some(tenant.to_owned()),
            Event::BudgetLineAdded {
                tenant: tenant.to_owned(),
                year,
                code: code.to_owned(),
                service: service.map(str::to_owned),
                account: account.to_owned(),
                voted,
            },
        );
        Ok(())
    }

    /// Records an amendment (décision modificative), positive or negative.
    pub fn amend_budget_line(
        &mut self,
        tenant: &str,
        year: i32,
        line: &str,
        amount: Decimal,
        label: &str,
    ) -> Result<()> {
        let (b, l) = self.budget_line_of(tenant, year, line)?;
        crate::money::to_cents(amount)?;
        check_name("amendment label", label)?;
        self.budgets[b].lines[l]
            .amendments
            .push((amount, label.to_owned()));
        self.log(
            Some(tenant.to_owned()),
            Event::BudgetAmended {
                tenant: tenant.to_owned(),
                year,
                line: line.to_owned(),
                amount,
                label: label.to_owned(),
            },
        );
        Ok(())
    }

    /// Records a commitment (engagement) on a budget line, optionally for a work order.
    pub fn commit_budget(
        &mut self,
        tenant: &str,
        year: i32,
        line: &str,
        code: &str,
        amount: Decimal,
        work_order: Option<&str>,
    ) -> Result<()> {
        let (b, l) = self.budget_line_of(tenant, year, line)?;
        check_code("commitment", code)?;
        crate::money::to_cents(amount)?;
        if amount <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "commitment",
                value: amount,
            });
        }
        let wo = work_order.map(|w| self.work_order_id(w)).transpose()?;
        self.budgets[b].lines[l].commitments.push(Commitment {
            code: code.to_owned(),
            amount,
            work_order: wo,
        });
        self.log(
            Some(tenant.to_owned()),
            Event::BudgetCommitted {
                tenant: tenant.to_owned(),
                year,
                line: line.to_owned(),
                code: code.to_owned(),
                amount,
                work_order: work_order.map(str::to_owned),
            },
        );
        Ok(())
    }

    /// Assigns a work order's charges to `tenant` to one of its budget lines
    /// (by line code, in every year's budget that has it).
    pub fn assign_budget_line(&mut self, work_order: &str, tenant: &str, line: &str) -> Result<()> {
        let w = self.work_order_id(work_order)?;
        let t = self.tenant_id(tenant)?;
        check_code("budget line", line)?;
        if !self
            .budgets
            .iter()
            .any(|b| b.tenant == t && b.lines.iter().any(|l| l.code == line))
        {
            return Err(Error::UnknownBudget {
                tenant: tenant.to_owned(),
                year: 0,
                line: Some(line.to_owned()),
            });
        }
        self.budget_assignments.insert((w, t), line.to_owned());
        self.log(
            Some(tenant.to_owned()),
            Event::BudgetAssigned {
                work_order: work_order.to_owned(),
                tenant: tenant.to_owned(),
                line: line.to_owned(),
            },
        );
        Ok(())
    }

    /// The service a cost line is booked to: the work order's ordering
    /// service, else the managing service of the asset or its nearest ancestor.
    pub(crate) fn line_service(&self, line: &CostLine) -> Option<ServiceId> {
        let wo = &self.work_orders[line.work_order.index()];
        wo.service.or_else(|| {
            self.ancestors_and_self(wo.asset)
                .find_map(|a| self.assets[a.index()].service)
        })
    }

    /// The index of the budget line a tenant's charge on `line` goes to.
    fn target_line(&self, b: usize, tenant: TenantId, line: &CostLine) -> Option<usize> {
        let budget = &self.budgets[b];
        if let Some(code) = self.budget_assignments.get(&(line.work_order, tenant)) {
            return budget.lines.iter().position(|l| &l.code == code);
        }
        let service = self.line_service(line)?;
        budget.lines.iter().position(|l| l.service == Some(service))
    }

    /// Spending per budget line (index; `None` = unmatched) and per work order.
    fn spending(&self, b: usize) -> Result<Spending> {
        let budget = &self.budgets[b];
        let mut spent = vec![zero(); budget.lines.len()];
        let mut unmatched = zero();
        let mut per_wo: HashMap<(usize, WorkOrderId), Decimal> = HashMap::new();
        for line in self
            .cost_lines
            .iter()
            .filter(|l| l.date.year() == budget.year)
        {
            for c in self.line_charges(line)? {
                if c.tenant != budget.tenant {
                    continue;
                }
                let amount = match budget.basis {
                    ChargeBasis::Ttc => c.amounts.ttc,
                    ChargeBasis::Ht => c.amounts.ht,
                };
                match self.target_line(b, budget.tenant, line) {
                    Some(i) => {
                        spent[i] += amount;
                        *per_wo.entry((i, line.work_order)).or_insert(zero()) += amount;
                    }
                    None => unmatched += amount,
                }
            }
        }
        Ok((spent, unmatched, per_wo))
    }

    /// Consumption of every line of a budget, plus a last row (code "") for
    /// the tenant's spending of the year that matches no line.
    pub fn budget_status(&self, tenant: &str, year: i32) -> Result<Vec<BudgetLineStatus>> {
        let b = self.budget_of(tenant, year)?;
        let (spent, unmatched, per_wo) = self.spending(b)?;
        let mut out = Vec::new();
        for (i, l) in self.budgets[b].lines.iter().enumerate() {
            let amendments: Decimal =
                l.amendments.iter().map(|(a, _)| *a).sum::<Decimal>() + zero();
            let committed: Decimal =
                l.commitments.iter().map(|c| c.amount).sum::<Decimal>() + zero();
            let covered: Decimal = l
                .commitments
                .iter()
                .filter_map(|c| {
                    c.work_order.map(|w| {
                        c.amount
                            .min(per_wo.get(&(i, w)).copied().unwrap_or_default())
                    })
                })
                .sum();
            let credits = l.voted + amendments;
            out.push(BudgetLineStatus {
                code: l.code.clone(),
                service: l.service,
                account: l.account.clone(),
                voted: l.voted,
                amendments,
                credits,
                committed,
                spent: spent[i],
                remaining: credits - committed - (spent[i] - covered),
            });
        }
        out.push(BudgetLineStatus {
            code: String::new(),
            service: None,
            account: String::new(),
            voted: zero(),
            amendments: zero(),
            credits: zero(),
            committed: zero(),
            spent: unmatched,
            remaining: -unmatched,
        });
        Ok(out)
    }

    /// Warnings left by costs recorded beyond a budget line (warn policy).
    #[must_use]
    pub fn budget_warnings(&self) -> &[BudgetWarning] {
        &self.budget_warnings
    }

    /// All budgets.
    #[must_use]
    pub fn budgets(&self) -> &[Budget] {
        &self.budgets
    }

    /// Checks a new cost line against the payers' budgets; returns the
    /// warnings to keep if it is recorded, or the refusal.
    pub(crate) fn check_budgets(&self, line: &CostLine) -> Result<Vec<BudgetWarning>> {
        let mut warnings = Vec::new();
        if self.budgets.is_empty() {
            return Ok(warnings);
        }
        let year = line.date.year();
        for c in self.line_charges(line)? {
            let Some(b) = self.budget_index(c.tenant, year) else {
                continue;
            };
            let Some(i) = self.target_line(b, c.tenant, line) else {
                continue;
            };
            let budget = &self.budgets[b];
            let amount = match budget.basis {
                ChargeBasis::Ttc => c.amounts.ttc,
                ChargeBasis::Ht => c.amounts.ht,
            };
            let tenant = self.tenant_code(c.tenant).to_owned();
            let status = self.budget_status(&tenant, year)?;
            let remaining = status[i].remaining;
            if amount > remaining {
                let code = budget.lines[i].code.clone();
                let work_order = self.work_orders[line.work_order.index()].code.clone();
                match budget.policy {
                    OverrunPolicy::Refuse => {
                        return Err(Error::BudgetExceeded {
                            tenant,
                            year,
                            line: code,
                            work_order,
                            amount,
                            remaining,
                        })
                    }
                    OverrunPolicy::Warn => warnings.push(BudgetWarning {
                        tenant,
                        year,
                        line: code,
                        work_order,
                        amount,
                        remaining,
                    }),
                }
            }
        }
        Ok(warnings)
    }
}
