//! The events of multi-year planning: budgetary rules, investment operations
//! and autorisations de programme.
//!
//! [`RbfRulesV1`], [`OperationV1`] and [`ApV1`] are the stored forms of
//! [`RbfRules`], a [`NewOperation`] and a [`NewAp`] (see [`crate::journal`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::planning::{NewAp, NewOperation, RbfRules};
use crate::Mutualis;

/// An event of planning (wrapped by [`crate::Event::Planning`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanningEvent {
    /// A tenant's budgetary rules were set.
    RbfRulesSet {
        /// Tenant code.
        tenant: String,
        /// The rules.
        rules: RbfRulesV1,
    },
    /// An investment operation was added.
    OperationAdded {
        /// Its description.
        operation: OperationV1,
    },
    /// A work order was linked to an operation.
    OperationLinked {
        /// Operation code.
        operation: String,
        /// Work order code.
        work_order: String,
    },
    /// An AP was voted.
    ApVoted {
        /// Its description.
        ap: ApV1,
    },
    /// A payment was made on an AP.
    ApPaid {
        /// AP code.
        ap: String,
        /// Day of payment.
        date: NaiveDate,
        /// Amount.
        amount: Decimal,
    },
    /// A year was closed for a tenant's APs.
    YearClosed {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
    },
    /// An AP was revised.
    ApRevised {
        /// AP code.
        ap: String,
        /// Year of the revision.
        year: i32,
        /// New amount.
        amount: Decimal,
        /// New schedule of open years.
        schedule: Vec<(i32, Decimal)>,
    },
}

/// The stored form of [`RbfRules`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RbfRulesV1 {
    /// Unspent CP of a closed year move to the next year.
    pub carry_over: bool,
    /// An AP with no payment within this many years after its vote lapses.
    pub lapse_after_years: Option<u32>,
    /// The reference of the rule.
    pub reference: Option<String>,
}

impl From<RbfRules> for RbfRulesV1 {
    fn from(r: RbfRules) -> RbfRulesV1 {
        RbfRulesV1 {
            carry_over: r.carry_over,
            lapse_after_years: r.lapse_after_years,
            reference: r.reference,
        }
    }
}

impl From<RbfRulesV1> for RbfRules {
    fn from(r: RbfRulesV1) -> RbfRules {
        RbfRules {
            carry_over: r.carry_over,
            lapse_after_years: r.lapse_after_years,
            reference: r.reference,
        }
    }
}

/// The stored form of a [`NewOperation`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationV1 {
    /// Human code, unique.
    pub code: String,
    /// The tenant carrying it.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Type of work.
    pub work_type: String,
    /// Assets concerned.
    #[serde(default)]
    pub assets: Vec<String>,
    /// Priority, 1 = highest.
    pub priority: u32,
    /// Estimated cost.
    pub estimated_cost: Decimal,
    /// Earliest year works can start.
    pub earliest_year: i32,
    /// Share of the cost per year of works.
    pub profile: Vec<u64>,
    /// Operations that must end before this one starts.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

impl From<NewOperation> for OperationV1 {
    fn from(o: NewOperation) -> OperationV1 {
        OperationV1 {
            code: o.code,
            tenant: o.tenant,
            title: o.title,
            work_type: o.work_type,
            assets: o.assets,
            priority: o.priority,
            estimated_cost: o.estimated_cost,
            earliest_year: o.earliest_year,
            profile: o.profile,
            depends_on: o.depends_on,
        }
    }
}

impl From<OperationV1> for NewOperation {
    fn from(o: OperationV1) -> NewOperation {
        NewOperation {
            code: o.code,
            tenant: o.tenant,
            title: o.title,
            work_type: o.work_type,
            assets: o.assets,
            priority: o.priority,
            estimated_cost: o.estimated_cost,
            earliest_year: o.earliest_year,
            profile: o.profile,
            depends_on: o.depends_on,
        }
    }
}

/// The stored form of a [`NewAp`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApV1 {
    /// Human code, unique.
    pub code: String,
    /// Tenant.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Year of the vote.
    pub year: i32,
    /// Amount of the AP.
    pub amount: Decimal,
    /// CP per year.
    pub schedule: Vec<(i32, Decimal)>,
    /// Operations of the programme.
    #[serde(default)]
    pub operations: Vec<String>,
}

impl From<NewAp> for ApV1 {
    fn from(a: NewAp) -> ApV1 {
        ApV1 {
            code: a.code,
            tenant: a.tenant,
            title: a.title,
            year: a.year,
            amount: a.amount,
            schedule: a.schedule,
            operations: a.operations,
        }
    }
}

impl From<ApV1> for NewAp {
    fn from(a: ApV1) -> NewAp {
        NewAp {
            code: a.code,
            tenant: a.tenant,
            title: a.title,
            year: a.year,
            amount: a.amount,
            schedule: a.schedule,
            operations: a.operations,
        }
    }
}

impl PlanningEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "rbf_rules_set",
        "operation_added",
        "operation_linked",
        "ap_voted",
        "ap_paid",
        "year_closed",
        "ap_revised",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            PlanningEvent::RbfRulesSet { .. }
            | PlanningEvent::OperationAdded { .. }
            | PlanningEvent::OperationLinked { .. }
            | PlanningEvent::ApVoted { .. }
            | PlanningEvent::ApPaid { .. }
            | PlanningEvent::YearClosed { .. }
            | PlanningEvent::ApRevised { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            PlanningEvent::RbfRulesSet { tenant, .. }
            | PlanningEvent::YearClosed { tenant, .. } => {
                vec![("tenant", tenant)]
            }
            PlanningEvent::OperationAdded { operation } => vec![("operation", &operation.code)],
            PlanningEvent::OperationLinked {
                operation,
                work_order,
            } => vec![("operation", operation), ("work_order", work_order)],
            PlanningEvent::ApVoted { ap } => vec![("ap", &ap.code)],
            PlanningEvent::ApPaid { ap, .. } | PlanningEvent::ApRevised { ap, .. } => {
                vec![("ap", ap)]
            }
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            PlanningEvent::RbfRulesSet { tenant, rules } => m.set_rbf_rules(&tenant, rules.into()),
            PlanningEvent::OperationAdded { operation } => m.add_operation(operation.into()),
            PlanningEvent::OperationLinked {
                operation,
                work_order,
            } => m.link_work_order(&operation, &work_order),
            PlanningEvent::ApVoted { ap } => m.vote_ap(ap.into()),
            PlanningEvent::ApPaid { ap, date, amount } => m.pay_ap(&ap, date, amount),
            PlanningEvent::YearClosed { tenant, year } => m.close_year(&tenant, year),
            PlanningEvent::ApRevised {
                ap,
                year,
                amount,
                schedule,
            } => m.revise_ap(&ap, year, amount, &schedule),
        }
    }
}
