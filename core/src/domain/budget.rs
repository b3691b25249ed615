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
//! - A line is an **expense** line (dépenses, the default) or a **revenue**
//!   line (recettes, [`Mutualis::add_revenue_line`]). A contract where the
//!   collectivité is lessor is assigned a revenue line
//!   ([`Mutualis::assign_lease_budget_line`]); its rent calls of a year are
//!   what the line has called, its receipts of the year (rent and charge
//!   provisions, credited for the receipt's year) what it has collected
//!   ([`Mutualis::revenue_status`]). Cost lines never go to a revenue line.

use std::collections::HashMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{ServiceId, TenantId, WorkOrderId};
use crate::kinds::named_enum;
use crate::money::from_cents;
use crate::undo::Undo;
use crate::work::CostLine;
use crate::Mutualis;

pub mod events;
pub use events::BudgetEvent;

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

named_enum! {
    /// Whether a budget line is spent (dépenses) or collected (recettes).
    #[derive(Default)]
    pub enum LineDirection as "budget line direction" {
        /// Dépenses: cost lines are charged to it (the default).
        #[default]
        Expense = "expense",
        /// Recettes: rent and charge provisions received are credited to it.
        Revenue = "revenue",
    }
}

impl LineDirection {
    /// True for an expense line (serde: the default, not written).
    #[must_use]
    pub fn is_expense(&self) -> bool {
        *self == LineDirection::Expense
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
    /// Voted credits (budget primitif; for a revenue line, the receipts forecast).
    pub voted: Decimal,
    /// Amendments (décisions modificatives), with their labels.
    pub amendments: Vec<(Decimal, String)>,
    /// Commitments.
    pub commitments: Vec<Commitment>,
    /// Expense (dépenses) or revenue (recettes).
    pub direction: LineDirection,
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
    /// Spending from cost lines, on the budget's basis (a revenue line:
    /// the amount collected in the year).
    pub spent: Decimal,
    /// Credits − commitments − spending not covered by a commitment (a
    /// revenue line: credits − collected, what is still to collect).
    pub remaining: Decimal,
    /// Expense or revenue.
    pub direction: LineDirection,
}

/// The execution of a revenue line (recettes) for a year: what was
/// budgeted, what the contracts assigned to it called, collected and still
/// owe, exact to the cent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueLineStatus {
    /// Line code ("" for the receipts of the tenant's lettings assigned to
    /// no revenue line).
    pub code: String,
    /// Service.
    pub service: Option<ServiceId>,
    /// Account (M57, e.g. "752").
    pub account: String,
    /// Voted + amendments.
    pub budgeted: Decimal,
    /// The rent calls of the year (rent + provisions; each calendar period
    /// belongs to the year it starts in) of the contracts assigned to it.
    pub called: Decimal,
    /// The receipts dated in the year of those contracts.
    pub collected: Decimal,
    /// called − collected (negative: received ahead).
    pub outstanding: Decimal,
    /// budgeted − collected.
    pub to_collect: Decimal,
    /// The contracts assigned to it, by code.
    pub leases: Vec<String>,
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
/// What a budget has spent so far, kept up to date as lines are allocated
/// (a read model: the ledger's parts of the budget's tenant and year).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spent {
    /// Per budget line, in cents.
    lines: Vec<i64>,
    /// The tenant's spending of the year that matches no line, in cents.
    unmatched: i64,
    /// Per (budget line, work order), in cents (commitments cover these).
    per_wo: HashMap<(usize, WorkOrderId), i64>,
}

impl Spent {
    fn add(&mut self, target: Option<usize>, w: WorkOrderId, cents: i64) {
        match target {
            Some(i) => {
                if self.lines.len() <= i {
                    self.lines.resize(i + 1, 0);
                }
                self.lines[i] += cents;
                *self.per_wo.entry((i, w)).or_insert(0) += cents;
            }
            None => self.unmatched += cents,
        }
    }
}

fn zero() -> Decimal {
    Decimal::new(0, 2)
}

/// The budget domain's state: each tenant's yearly budgets, their spending
/// (a read model kept as lines are allocated), the work orders assigned to a
/// budget line, and the overrun warnings recorded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Budgets {
    list: Vec<Budget>,
    /// Spending of each budget (index = budget).
    spent: Vec<Spent>,
    assignments: HashMap<(WorkOrderId, TenantId), String>,
    /// The revenue line (code) each contract (index) is assigned to, for
    /// its collectivité.
    lease_lines: HashMap<usize, String>,
    warnings: Vec<BudgetWarning>,
}

/// Equality compares the records (the spending follows from the ledger).
impl PartialEq for Budgets {
    fn eq(&self, o: &Budgets) -> bool {
        self.list == o.list
            && self.assignments == o.assignments
            && self.lease_lines == o.lease_lines
            && self.warnings == o.warnings
    }
}

impl Budgets {
    /// Whether no budget exists (spending then needs no tracking).
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The budget line assigned to each (work order, tenant).
    pub(crate) fn assignments(&self) -> &HashMap<(WorkOrderId, TenantId), String> {
        &self.assignments
    }

    /// The revenue line each contract (index) is assigned to.
    pub(crate) fn lease_lines(&self) -> &HashMap<usize, String> {
        &self.lease_lines
    }

    /// The number of budgets (a checkpoint's length).
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Drops the budgets opened after the first `n` (a checkpoint's rollback).
    pub(crate) fn truncate(&mut self, n: usize) {
        self.list.truncate(n);
        self.spent.truncate(n);
    }

    /// Reverts one recorded change of a budget (a checkpoint's rollback);
    /// returns the budgets whose spending must be recomputed.
    pub(crate) fn undo(&mut self, u: &Undo, touched: &mut Vec<usize>) {
        match u {
            Undo::BudgetLineAdded { budget } => {
                if let Some(b) = self.list.get_mut(*budget) {
                    b.lines.pop();
                    touched.push(*budget);
                }
            }
            Undo::BudgetAmended { budget, line } => {
                if let Some(l) = self
                    .list
                    .get_mut(*budget)
                    .and_then(|b| b.lines.get_mut(*line))
                {
                    l.amendments.pop();
                }
            }
            Undo::BudgetCommitted { budget, line } => {
                if let Some(l) = self
                    .list
                    .get_mut(*budget)
                    .and_then(|b| b.lines.get_mut(*line))
                {
                    l.commitments.pop();
                }
            }
            Undo::BudgetLeaseAssigned { lease, old } => {
                match old {
                    Some(line) => self.lease_lines.insert(*lease, line.clone()),
                    None => self.lease_lines.remove(lease),
                };
            }
            Undo::BudgetAssigned {
                work_order,
                tenant,
                old,
            } => {
                match old {
                    Some(line) => self
                        .assignments
                        .insert((*work_order, *tenant), line.clone()),
                    None => self.assignments.remove(&(*work_order, *tenant)),
                };
                touched.extend(
                    self.list
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| b.tenant == *tenant)
                        .map(|(i, _)| i),
                );
            }
            _ => {}
        }
    }

    /// The number of warnings recorded (a checkpoint's length).
    pub(crate) fn warning_count(&self) -> usize {
        self.warnings.len()
    }

    /// Drops the warnings recorded after the first `len`.
    pub(crate) fn truncate_warnings(&mut self, len: usize) {
        self.warnings.truncate(len);
    }

    /// Records overrun warnings (a cost line accepted under a `Warn` policy,
    /// or a recorded warning restored as it was).
    pub(crate) fn extend_warnings(&mut self, warnings: impl IntoIterator<Item = BudgetWarning>) {
        self.warnings.extend(warnings);
    }

    /// Each budget's spending (tests compare it with a recomputation).
    #[cfg(test)]
    pub(crate) fn spent(&self) -> &[Spent] {
        &self.spent
    }
}

impl Mutualis {
    fn budget_index(&self, tenant: TenantId, year: i32) -> Option<usize> {
        self.budgets
            .list
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
        let l = self.budgets.list[b]
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
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        if self.budget_index(t, year).is_some() {
            return Err(Error::DuplicateBudget {
                tenant: tenant.to_owned(),
                year,
                line: None,
            });
        }
        self.budgets.list.push(Budget {
            tenant: t,
            year,
            basis,
            policy,
            lines: Vec::new(),
        });
        self.budgets.spent.push(Spent::default());
        self.recompute_budget(self.budgets.list.len() - 1);
        self.log(
            Some(tenant.to_owned()),
            BudgetEvent::BudgetOpened {
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
        self.add_line(
            tenant,
            year,
            code,
            service,
            account,
            voted,
            LineDirection::Expense,
        )
    }

    /// Adds a revenue line (recettes: rents, charge provisions, fees) with
    /// its forecast; contracts where the collectivité is lessor are
    /// assigned to it ([`Mutualis::assign_lease_budget_line`]).
    ///
    /// Errors (nothing changes): as [`Mutualis::add_budget_line`].
    pub fn add_revenue_line(
        &mut self,
        tenant: &str,
        year: i32,
        code: &str,
        service: Option<&str>,
        account: &str,
        voted: Decimal,
    ) -> Result<()> {
        self.add_line(
            tenant,
            year,
            code,
            service,
            account,
            voted,
            LineDirection::Revenue,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn add_line(
        &mut self,
        tenant: &str,
        year: i32,
        code: &str,
        service: Option<&str>,
        account: &str,
        voted: Decimal,
        direction: LineDirection,
    ) -> Result<()> {
        crate::period::check_year("year", year)?;
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
        if self.budgets.list[b].lines.iter().any(|l| l.code == code) {
            return Err(Error::DuplicateBudget {
                tenant: tenant.to_owned(),
                year,
                line: Some(code.to_owned()),
            });
        }
        self.push_undo(Undo::BudgetLineAdded { budget: b });
        self.budgets.list[b].lines.push(BudgetLine {
            code: code.to_owned(),
            service: service_id,
            account: account.to_owned(),
            voted,
            amendments: Vec::new(),
            commitments: Vec::new(),
            direction,
        });
        self.recompute_budget(b);
        let (tenant, code, service, account) = (
            tenant.to_owned(),
            code.to_owned(),
            service.map(str::to_owned),
            account.to_owned(),
        );
        let e = match direction {
            LineDirection::Expense => BudgetEvent::BudgetLineAdded {
                tenant: tenant.clone(),
                year,
                code,
                service,
                account,
                voted,
            },
            LineDirection::Revenue => BudgetEvent::BudgetRevenueLineAdded {
                tenant: tenant.clone(),
                year,
                code,
                service,
                account,
                voted,
            },
        };
        self.log(Some(tenant), e);
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
        crate::period::check_year("year", year)?;
        let (b, l) = self.budget_line_of(tenant, year, line)?;
        crate::money::to_cents(amount)?;
        check_name("amendment label", label)?;
        self.push_undo(Undo::BudgetAmended { budget: b, line: l });
        self.budgets.list[b].lines[l]
            .amendments
            .push((amount, label.to_owned()));
        self.log(
            Some(tenant.to_owned()),
            BudgetEvent::BudgetAmended {
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
        crate::period::check_year("year", year)?;
        let (b, l) = self.budget_line_of(tenant, year, line)?;
        check_code("commitment", code)?;
        if self.budgets.list[b].lines[l].direction == LineDirection::Revenue {
            return Err(Error::BudgetLineMismatch {
                tenant: tenant.to_owned(),
                line: line.to_owned(),
                reason: "a commitment (engagement) is on an expense line, this is a revenue line"
                    .into(),
            });
        }
        crate::money::to_cents(amount)?;
        if amount <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "commitment",
                value: amount,
            });
        }
        let wo = work_order.map(|w| self.work_order_id(w)).transpose()?;
        self.push_undo(Undo::BudgetCommitted { budget: b, line: l });
        self.budgets.list[b].lines[l].commitments.push(Commitment {
            code: code.to_owned(),
            amount,
            work_order: wo,
        });
        self.log(
            Some(tenant.to_owned()),
            BudgetEvent::BudgetCommitted {
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

    /// The budget of `tenant` for `year` and the position of its line
    /// `line`, if it has one.
    pub(crate) fn budget_line_at(
        &self,
        tenant: TenantId,
        year: i32,
        line: &str,
    ) -> Option<(usize, usize)> {
        let b = self.budget_index(tenant, year)?;
        let l = self.budgets.list[b]
            .lines
            .iter()
            .position(|x| x.code == line)?;
        Some((b, l))
    }

    /// Pushes a commitment on line `l` of budget `b` for a command that
    /// journals its own event (workwear issued to an agent); undone like
    /// [`Mutualis::commit_budget`]'s.
    pub(crate) fn push_commitment(&mut self, b: usize, l: usize, c: Commitment) {
        self.push_undo(Undo::BudgetCommitted { budget: b, line: l });
        if let Some(line) = self
            .budgets
            .list
            .get_mut(b)
            .and_then(|x| x.lines.get_mut(l))
        {
            line.commitments.push(c);
        }
    }

    /// The direction of the lines of `tenant` with code `line` in every
    /// year's budget: (some expense line, some revenue line).
    pub(crate) fn line_directions(&self, t: TenantId, line: &str) -> (bool, bool) {
        let mut found = (false, false);
        for l in self
            .budgets
            .list
            .iter()
            .filter(|b| b.tenant == t)
            .flat_map(|b| b.lines.iter())
            .filter(|l| l.code == line)
        {
            match l.direction {
                LineDirection::Expense => found.0 = true,
                LineDirection::Revenue => found.1 = true,
            }
        }
        found
    }

    /// Checks that `tenant` has an expense line `line` in some year's
    /// budget, for `user` (what the line is for: "work order BT-1").
    ///
    /// Errors: [`Error::BudgetLineMismatch`] when only a revenue line has
    /// this code, [`Error::UnknownBudget`] when no line has it.
    pub(crate) fn require_expense_line(
        &self,
        t: TenantId,
        tenant: &str,
        line: &str,
        user: &str,
    ) -> Result<()> {
        match self.line_directions(t, line) {
            (true, _) => Ok(()),
            (false, true) => Err(Error::BudgetLineMismatch {
                tenant: tenant.to_owned(),
                line: line.to_owned(),
                reason: format!("it is a revenue line; {user} needs an expense line"),
            }),
            (false, false) => Err(Error::UnknownBudget {
                tenant: tenant.to_owned(),
                year: 0,
                line: Some(line.to_owned()),
            }),
        }
    }

    /// Assigns a work order's charges to `tenant` to one of its expense
    /// lines (by line code, in every year's budget that has it).
    ///
    /// Errors (nothing changes): [`Error::UnknownWorkOrder`],
    /// [`Error::UnknownTenant`], [`Error::InvalidCode`],
    /// [`Error::UnknownBudget`] (no line of the tenant has this code),
    /// [`Error::BudgetLineMismatch`] (only a revenue line has it).
    pub fn assign_budget_line(&mut self, work_order: &str, tenant: &str, line: &str) -> Result<()> {
        let w = self.work_order_id(work_order)?;
        let t = self.tenant_id(tenant)?;
        check_code("budget line", line)?;
        self.require_expense_line(t, tenant, line, &format!("work order {work_order}"))?;
        let old = self.budgets.assignments.insert((w, t), line.to_owned());
        self.push_undo(Undo::BudgetAssigned {
            work_order: w,
            tenant: t,
            old,
        });
        for b in 0..self.budgets.list.len() {
            if self.budgets.list[b].tenant == t {
                self.recompute_budget(b);
            }
        }
        self.log(
            Some(tenant.to_owned()),
            BudgetEvent::BudgetAssigned {
                work_order: work_order.to_owned(),
                tenant: tenant.to_owned(),
                line: line.to_owned(),
            },
        );
        Ok(())
    }

    /// Assigns a contract where `tenant` is lessor to one of its revenue
    /// lines (by line code, in every year's budget that has it): its rent
    /// calls and receipts then count on that line
    /// ([`Mutualis::revenue_status`]). A new assignment replaces the last.
    ///
    /// Errors (nothing changes): [`Error::UnknownLease`],
    /// [`Error::UnknownTenant`], [`Error::InvalidCode`],
    /// [`Error::UnknownBudget`] (no line of the tenant has this code),
    /// [`Error::BudgetLineMismatch`] (a line of another collectivité than
    /// the contract's, a contract where the collectivité is lessee, or only
    /// an expense line has this code).
    pub fn assign_lease_budget_line(
        &mut self,
        lease: &str,
        tenant: &str,
        line: &str,
    ) -> Result<()> {
        let at = self.lease_index(lease)?;
        let t = self.tenant_id(tenant)?;
        check_code("budget line", line)?;
        let l = &self.leases()[at];
        let mismatch = |reason: String| Error::BudgetLineMismatch {
            tenant: tenant.to_owned(),
            line: line.to_owned(),
            reason,
        };
        if l.tenant != t {
            return Err(mismatch(format!(
                "contract {lease} is signed by {}, not {tenant}",
                self.tenant_code(l.tenant)
            )));
        }
        if l.side != crate::leases::LeaseSide::Lessor {
            return Err(mismatch(format!(
                "{tenant} is lessee of contract {lease}: its rent is an expense"
            )));
        }
        match self.line_directions(t, line) {
            (_, true) => {}
            (true, false) => {
                return Err(mismatch(format!(
                    "it is an expense line; the rent of contract {lease} needs a revenue line"
                )))
            }
            (false, false) => {
                return Err(Error::UnknownBudget {
                    tenant: tenant.to_owned(),
                    year: 0,
                    line: Some(line.to_owned()),
                })
            }
        }
        let old = self.budgets.lease_lines.insert(at, line.to_owned());
        self.push_undo(Undo::BudgetLeaseAssigned { lease: at, old });
        self.log(
            Some(tenant.to_owned()),
            BudgetEvent::BudgetLeaseAssigned {
                lease: lease.to_owned(),
                tenant: tenant.to_owned(),
                line: line.to_owned(),
            },
        );
        Ok(())
    }

    /// The revenue line (code) a contract is assigned to, if any.
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn lease_budget_line(&self, lease: &str) -> Result<Option<&str>> {
        let at = self.lease_index(lease)?;
        Ok(self.budgets.lease_lines.get(&at).map(String::as_str))
    }

    /// The execution of the revenue lines of a budget: per line, budgeted
    /// (voted + amendments), called (rent calls of the year of the
    /// contracts assigned to it, rent + provisions), collected (their
    /// receipts dated in the year) and outstanding (called − collected),
    /// exact to the cent; then a last row (code "") for the tenant's
    /// lettings assigned to no revenue line.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownBudget`],
    /// [`Error::YearOutOfRange`].
    pub fn revenue_status(&self, tenant: &str, year: i32) -> Result<Vec<RevenueLineStatus>> {
        self.revenue_status_masked(tenant, year, None)
    }

    /// [`Mutualis::revenue_status`] over the contracts `keep` marks (by
    /// index; `None`: all).
    pub(crate) fn revenue_status_masked(
        &self,
        tenant: &str,
        year: i32,
        keep: Option<&[bool]>,
    ) -> Result<Vec<RevenueLineStatus>> {
        crate::period::check_year("year", year)?;
        let b = self.budget_of(tenant, year)?;
        let budget = &self.budgets.list[b];
        let mut rows: Vec<RevenueLineStatus> = budget
            .lines
            .iter()
            .filter(|l| l.direction == LineDirection::Revenue)
            .map(|l| {
                let budgeted = l.voted + l.amendments.iter().map(|(a, _)| *a).sum::<Decimal>();
                RevenueLineStatus {
                    code: l.code.clone(),
                    service: l.service,
                    account: l.account.clone(),
                    budgeted: budgeted + zero(),
                    called: zero(),
                    collected: zero(),
                    outstanding: zero(),
                    to_collect: zero(),
                    leases: Vec::new(),
                }
            })
            .collect();
        let mut unassigned = RevenueLineStatus {
            code: String::new(),
            service: None,
            account: String::new(),
            budgeted: zero(),
            called: zero(),
            collected: zero(),
            outstanding: zero(),
            to_collect: zero(),
            leases: Vec::new(),
        };
        for (at, l) in self.leases().iter().enumerate() {
            if l.tenant != budget.tenant
                || l.side != crate::leases::LeaseSide::Lessor
                || keep.is_some_and(|k| !k.get(at).copied().unwrap_or(false))
            {
                continue;
            }
            let row = match self.budgets.lease_lines.get(&at) {
                Some(code) => match rows.iter_mut().find(|r| &r.code == code) {
                    Some(r) => r,
                    None => &mut unassigned,
                },
                None => &mut unassigned,
            };
            let (called, collected) = self.lease_year_figures(at, year);
            if row.code.is_empty() && called.is_zero() && collected.is_zero() {
                continue;
            }
            row.called += called;
            row.collected += collected;
            row.leases.push(l.code.clone());
        }
        rows.push(unassigned);
        for r in &mut rows {
            r.leases.sort_unstable();
            r.outstanding = r.called - r.collected;
            r.to_collect = r.budgeted - r.collected;
        }
        Ok(rows)
    }

    /// What budget line `i` of budget `b` (a revenue line) collected in its
    /// year.
    fn revenue_collected(&self, b: usize, i: usize) -> Decimal {
        let budget = &self.budgets.list[b];
        let code = &budget.lines[i].code;
        let mut collected = zero();
        for (&at, line) in &self.budgets.lease_lines {
            if line == code
                && self
                    .leases()
                    .get(at)
                    .is_some_and(|l| l.tenant == budget.tenant)
            {
                collected += self.lease_year_figures(at, budget.year).1;
            }
        }
        collected
    }

    /// The service a work order's costs are booked to: its ordering
    /// service, else the managing service of the asset or its nearest ancestor.
    pub(crate) fn work_order_service(&self, w: WorkOrderId) -> Option<ServiceId> {
        self.work_orders.service(w.index()).or_else(|| {
            self.ancestors_and_self(self.work_orders.asset(w.index()))
                .find_map(|a| self.assets()[a.index()].service)
        })
    }

    /// The index of the budget line a tenant's charge on work order `w` goes to.
    fn target_line(&self, b: usize, tenant: TenantId, w: WorkOrderId) -> Option<usize> {
        let budget = &self.budgets.list[b];
        let expense = |l: &BudgetLine| l.direction == LineDirection::Expense;
        if let Some(code) = self.budgets.assignments.get(&(w, tenant)) {
            return budget
                .lines
                .iter()
                .position(|l| &l.code == code && expense(l));
        }
        let service = self.work_order_service(w)?;
        budget
            .lines
            .iter()
            .position(|l| l.service == Some(service) && expense(l))
    }

    /// Adds (`sign` 1) or removes (`sign` -1) the allocated parts of line `i`
    /// to the spending of the budgets they fall in.
    pub(crate) fn track_budgets(&mut self, i: usize, sign: i64) {
        if self.budgets.list.is_empty() || self.budgets_deferred {
            return;
        }
        let year = self.cost_lines.date(i).year();
        let w = WorkOrderId(self.cost_lines.work_orders()[i]);
        let mut moves: Vec<(usize, Option<usize>, i64)> = Vec::new();
        for p in self.line_parts(i) {
            let Some(b) = self.budget_index(p.payer, year) else {
                continue;
            };
            let amount = match self.budgets.list[b].basis {
                ChargeBasis::Ttc => p.ttc,
                ChargeBasis::Ht => p.ht,
            };
            moves.push((b, self.target_line(b, p.payer, w), sign * amount));
        }
        for (b, target, amount) in moves {
            self.budgets.spent[b].add(target, w, amount);
        }
    }

    /// Recomputes the spending of budget `b` from the ledger (after a change
    /// of which line its costs go to).
    pub(crate) fn recompute_budget(&mut self, b: usize) {
        if self.budgets_deferred {
            return;
        }
        let (tenant, year) = (self.budgets.list[b].tenant, self.budgets.list[b].year);
        let mut spent = Spent {
            lines: vec![0; self.budgets.list[b].lines.len()],
            ..Spent::default()
        };
        let l = &self.cost_lines;
        for i in 0..l.len() {
            if l.date(i).year() != year {
                continue;
            }
            let w = WorkOrderId(l.work_orders()[i]);
            for p in self.line_parts(i).filter(|p| p.payer == tenant) {
                let amount = match self.budgets.list[b].basis {
                    ChargeBasis::Ttc => p.ttc,
                    ChargeBasis::Ht => p.ht,
                };
                spent.add(self.target_line(b, tenant, w), w, amount);
            }
        }
        self.budgets.spent[b] = spent;
    }

    /// Computes every budget's spending from the ledger, in one pass.
    pub(crate) fn rebuild_budget_spending(&mut self) {
        self.reset_budget_spending();
        if self.budgets.list.is_empty() {
            return;
        }
        for i in 0..self.cost_lines.len() {
            self.track_budgets(i, 1);
        }
    }

    /// Resets every budget's spending (before the ledger is rebuilt).
    pub(crate) fn reset_budget_spending(&mut self) {
        self.budgets.spent = self
            .budgets
            .list
            .iter()
            .map(|b| Spent {
                lines: vec![0; b.lines.len()],
                ..Spent::default()
            })
            .collect();
    }

    /// The remaining credits of line `i` of budget `b`.
    fn remaining(&self, b: usize, i: usize) -> Decimal {
        let l = &self.budgets.list[b].lines[i];
        let spent = &self.budgets.spent[b];
        let amendments: Decimal = l.amendments.iter().map(|(a, _)| *a).sum::<Decimal>() + zero();
        let committed: Decimal = l.commitments.iter().map(|c| c.amount).sum::<Decimal>() + zero();
        let covered: Decimal = l
            .commitments
            .iter()
            .filter_map(|c| {
                c.work_order.map(|w| {
                    c.amount.min(from_cents(
                        spent.per_wo.get(&(i, w)).copied().unwrap_or_default(),
                    ))
                })
            })
            .sum();
        let credits = l.voted + amendments;
        credits - committed - (from_cents(spent.lines[i]) - covered)
    }

    /// The tenant's parts of the energy invoices of budget `b`'s year, per
    /// expense line (the first of the managing service of the meter's
    /// asset) and unmatched, in cents of the budget's basis. Derived when
    /// read, as the ledger's energy rows are.
    fn energy_spending(&self, b: usize) -> (Vec<i64>, i64) {
        let budget = &self.budgets.list[b];
        let mut lines = vec![0i64; budget.lines.len()];
        let mut unmatched = 0i64;
        let (first, last) = (
            chrono::NaiveDate::from_ymd_opt(budget.year, 1, 1)
                .map_or(i32::MAX, crate::lines::day_of),
            chrono::NaiveDate::from_ymd_opt(budget.year, 12, 31)
                .map_or(i32::MIN, crate::lines::day_of),
        );
        let mut managing: Option<Vec<u32>> = None;
        self.energy_parts(|p| {
            if p.payer != budget.tenant || p.day < first || p.day > last {
                return;
            }
            let managing = managing.get_or_insert_with(|| self.managing_services());
            let service = managing[p.asset.index()];
            let amount = match budget.basis {
                ChargeBasis::Ttc => p.ttc,
                ChargeBasis::Ht => p.ht,
            };
            match budget.lines.iter().position(|l| {
                l.direction == LineDirection::Expense && l.service.is_some_and(|s| s.0 == service)
            }) {
                Some(i) => lines[i] += amount,
                None => unmatched += amount,
            }
        });
        (lines, unmatched)
    }

    /// Consumption of every line of a budget, plus a last row (code "") for
    /// the tenant's spending of the year that matches no line. Reads the
    /// spending kept up to date as lines are recorded, and the tenant's
    /// parts of the year's energy invoices (on the expense line of the
    /// managing service of the meter's asset).
    pub fn budget_status(&self, tenant: &str, year: i32) -> Result<Vec<BudgetLineStatus>> {
        crate::period::check_year("year", year)?;
        let b = self.budget_of(tenant, year)?;
        let spent = &self.budgets.spent[b];
        let (energy, energy_unmatched) = self.energy_spending(b);
        let mut out = Vec::new();
        for (i, l) in self.budgets.list[b].lines.iter().enumerate() {
            let amendments: Decimal =
                l.amendments.iter().map(|(a, _)| *a).sum::<Decimal>() + zero();
            let committed: Decimal =
                l.commitments.iter().map(|c| c.amount).sum::<Decimal>() + zero();
            let credits = l.voted + amendments;
            let (spent, remaining) = match l.direction {
                LineDirection::Expense => (
                    from_cents(spent.lines[i] + energy[i]),
                    self.remaining(b, i) - from_cents(energy[i]),
                ),
                LineDirection::Revenue => {
                    let collected = self.revenue_collected(b, i);
                    (collected, credits - collected)
                }
            };
            out.push(BudgetLineStatus {
                code: l.code.clone(),
                service: l.service,
                account: l.account.clone(),
                voted: l.voted,
                amendments,
                credits,
                committed,
                spent,
                remaining,
                direction: l.direction,
            });
        }
        let unmatched = from_cents(spent.unmatched + energy_unmatched);
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
            direction: LineDirection::Expense,
        });
        Ok(out)
    }

    /// Warnings left by costs recorded beyond a budget line (warn policy).
    #[must_use]
    pub fn budget_warnings(&self) -> &[BudgetWarning] {
        &self.budgets.warnings
    }

    /// All budgets.
    #[must_use]
    pub fn budgets(&self) -> &[Budget] {
        &self.budgets.list
    }

    /// Checks a new cost line against the payers' budgets; returns the
    /// warnings to keep if it is recorded, or the refusal.
    pub(crate) fn check_budgets(&self, line: &CostLine) -> Result<Vec<BudgetWarning>> {
        let mut warnings = Vec::new();
        if self.budgets.list.is_empty() {
            return Ok(warnings);
        }
        let year = line.date.year();
        for c in self.line_charges(line)? {
            let Some(b) = self.budget_index(c.tenant, year) else {
                continue;
            };
            let Some(i) = self.target_line(b, c.tenant, line.work_order) else {
                continue;
            };
            let budget = &self.budgets.list[b];
            let amount = match budget.basis {
                ChargeBasis::Ttc => c.amounts.ttc,
                ChargeBasis::Ht => c.amounts.ht,
            };
            let tenant = self.tenant_code(c.tenant).to_owned();
            let remaining = self.remaining(b, i);
            if amount > remaining {
                let code = budget.lines[i].code.clone();
                let work_order = self.work_orders.code(line.work_order.index()).to_owned();
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
