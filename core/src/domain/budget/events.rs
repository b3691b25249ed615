//! The events of budgets: lines (expense, revenue), amendments, commitments
//! and assignments (of work orders, of contracts).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::budget::{ChargeBasis, OverrunPolicy};
use crate::error::Result;
use crate::Mutualis;

/// An event of budgets (wrapped by [`crate::Event::Budget`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
#[allow(clippy::enum_variant_names)] // the variants are named as their stored tags
pub enum BudgetEvent {
    /// A budget was opened.
    BudgetOpened {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// TTC or HT.
        basis: ChargeBasis,
        /// Refuse or warn on overrun.
        policy: OverrunPolicy,
    },
    /// A budget line was added.
    BudgetLineAdded {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        code: String,
        /// Service code.
        service: Option<String>,
        /// Account.
        account: String,
        /// Voted credits.
        voted: Decimal,
    },
    /// A budget line was amended.
    BudgetAmended {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        line: String,
        /// Amount (±).
        amount: Decimal,
        /// Label.
        label: String,
    },
    /// A commitment was recorded.
    BudgetCommitted {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        line: String,
        /// Commitment code.
        code: String,
        /// Amount.
        amount: Decimal,
        /// Work order code.
        work_order: Option<String>,
    },
    /// A work order was assigned to a budget line of a tenant.
    BudgetAssigned {
        /// Work order code.
        work_order: String,
        /// Tenant code.
        tenant: String,
        /// Line code.
        line: String,
    },
    /// A revenue line (recettes) was added.
    BudgetRevenueLineAdded {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        code: String,
        /// Service code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        /// Account.
        account: String,
        /// Voted (forecast).
        voted: Decimal,
    },
    /// A contract was assigned to a revenue line of its collectivité.
    BudgetLeaseAssigned {
        /// Contract code.
        lease: String,
        /// Tenant code.
        tenant: String,
        /// Line code.
        line: String,
    },
}

impl BudgetEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "budget_opened",
        "budget_line_added",
        "budget_amended",
        "budget_committed",
        "budget_assigned",
        "budget_revenue_line_added",
        "budget_lease_assigned",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            BudgetEvent::BudgetOpened { .. }
            | BudgetEvent::BudgetLineAdded { .. }
            | BudgetEvent::BudgetAmended { .. }
            | BudgetEvent::BudgetCommitted { .. }
            | BudgetEvent::BudgetAssigned { .. }
            | BudgetEvent::BudgetRevenueLineAdded { .. }
            | BudgetEvent::BudgetLeaseAssigned { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            BudgetEvent::BudgetOpened { tenant, .. }
            | BudgetEvent::BudgetLineAdded { tenant, .. }
            | BudgetEvent::BudgetAmended { tenant, .. }
            | BudgetEvent::BudgetCommitted { tenant, .. }
            | BudgetEvent::BudgetRevenueLineAdded { tenant, .. } => vec![("budget", tenant)],
            BudgetEvent::BudgetLeaseAssigned { lease, tenant, .. } => {
                vec![("lease", lease), ("budget", tenant)]
            }
            BudgetEvent::BudgetAssigned {
                work_order, tenant, ..
            } => vec![("work_order", work_order), ("budget", tenant)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            BudgetEvent::BudgetOpened {
                tenant,
                year,
                basis,
                policy,
            } => m.add_budget(&tenant, year, basis, policy),
            BudgetEvent::BudgetLineAdded {
                tenant,
                year,
                code,
                service,
                account,
                voted,
            } => m.add_budget_line(&tenant, year, &code, service.as_deref(), &account, voted),
            BudgetEvent::BudgetAmended {
                tenant,
                year,
                line,
                amount,
                label,
            } => m.amend_budget_line(&tenant, year, &line, amount, &label),
            BudgetEvent::BudgetCommitted {
                tenant,
                year,
                line,
                code,
                amount,
                work_order,
            } => m.commit_budget(&tenant, year, &line, &code, amount, work_order.as_deref()),
            BudgetEvent::BudgetAssigned {
                work_order,
                tenant,
                line,
            } => m.assign_budget_line(&work_order, &tenant, &line),
            BudgetEvent::BudgetRevenueLineAdded {
                tenant,
                year,
                code,
                service,
                account,
                voted,
            } => m.add_revenue_line(&tenant, year, &code, service.as_deref(), &account, voted),
            BudgetEvent::BudgetLeaseAssigned {
                lease,
                tenant,
                line,
            } => m.assign_lease_budget_line(&lease, &tenant, &line),
        }
    }
}
