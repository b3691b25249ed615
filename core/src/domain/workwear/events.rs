//! The events of the workwear: agents, catalogue, allotments, policies,
//! budget lines, issues and returns.
//!
//! [`AgentV1`], [`WorkwearItemV1`], [`AllotmentV1`], [`WorkwearIssueV1`]
//! and [`WorkwearReturnV1`] are the stored forms of [`NewAgent`],
//! [`NewWorkwearItem`], [`NewAllotment`], [`NewWorkwearIssue`] and
//! [`NewWorkwearReturn`] (see [`crate::journal`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    NewAgent, NewAllotment, NewWorkwearIssue, NewWorkwearItem, NewWorkwearReturn, ReturnReason,
};
use crate::budget::OverrunPolicy;
use crate::error::Result;
use crate::Mutualis;

/// An event of the workwear (wrapped by [`crate::Event::Workwear`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WorkwearEvent {
    /// An agent was registered.
    AgentAdded {
        /// The agent.
        agent: AgentV1,
    },
    /// An agent's assignment was ended.
    AgentAssignmentEnded {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        agent: String,
        /// Last day.
        last_day: NaiveDate,
    },
    /// An item was added to the workwear catalogue.
    WorkwearItemAdded {
        /// The item.
        item: WorkwearItemV1,
    },
    /// An allotment was set.
    AllotmentSet {
        /// The allotment.
        allotment: AllotmentV1,
    },
    /// A tenant's policy on issues beyond the allotment was set.
    WorkwearPolicySet {
        /// Tenant code.
        tenant: String,
        /// Refuse or warn.
        policy: OverrunPolicy,
    },
    /// A service's workwear was charged to a budget line.
    WorkwearBudgetLineSet {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
        /// Budget line code.
        line: String,
    },
    /// Workwear was issued to an agent.
    WorkwearIssued {
        /// The issue.
        issue: WorkwearIssueV1,
    },
    /// Workwear was returned by an agent.
    WorkwearReturned {
        /// The return.
        returned: WorkwearReturnV1,
    },
}

/// The stored form of a [`NewAgent`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentV1 {
    /// Tenant code.
    pub tenant: String,
    /// Matricule.
    pub matricule: String,
    /// Name.
    pub name: String,
    /// Service code.
    pub service: String,
    /// Job.
    pub job: String,
    /// Sizes per size system.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sizes: BTreeMap<String, String>,
    /// First day of assignment.
    pub start: NaiveDate,
    /// Last day of assignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

impl From<NewAgent> for AgentV1 {
    fn from(a: NewAgent) -> AgentV1 {
        AgentV1 {
            tenant: a.tenant,
            matricule: a.matricule,
            name: a.name,
            service: a.service,
            job: a.job,
            sizes: a.sizes,
            start: a.start,
            end: a.end,
        }
    }
}

impl From<AgentV1> for NewAgent {
    fn from(a: AgentV1) -> NewAgent {
        NewAgent {
            tenant: a.tenant,
            matricule: a.matricule,
            name: a.name,
            service: a.service,
            job: a.job,
            sizes: a.sizes,
            start: a.start,
            end: a.end,
        }
    }
}

/// The stored form of a [`NewWorkwearItem`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkwearItemV1 {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Stock item code.
    pub stock_item: String,
    /// Sizes offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<String>,
    /// Standards met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<String>,
    /// Lifetime in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_months: Option<u32>,
}

impl From<NewWorkwearItem> for WorkwearItemV1 {
    fn from(i: NewWorkwearItem) -> WorkwearItemV1 {
        WorkwearItemV1 {
            code: i.code,
            label: i.label,
            stock_item: i.stock_item,
            sizes: i.sizes,
            standards: i.standards,
            lifetime_months: i.lifetime_months,
        }
    }
}

impl From<WorkwearItemV1> for NewWorkwearItem {
    fn from(i: WorkwearItemV1) -> NewWorkwearItem {
        NewWorkwearItem {
            code: i.code,
            label: i.label,
            stock_item: i.stock_item,
            sizes: i.sizes,
            standards: i.standards,
            lifetime_months: i.lifetime_months,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The stored form of a [`NewAllotment`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllotmentV1 {
    /// Tenant code.
    pub tenant: String,
    /// Job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    /// Agent matricule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Catalogue item code.
    pub item: String,
    /// Quantity per period.
    pub quantity: u32,
    /// Period in months.
    pub period_months: u32,
    /// Part of the initial kit.
    #[serde(default, skip_serializing_if = "is_false")]
    pub initial: bool,
}

impl From<NewAllotment> for AllotmentV1 {
    fn from(a: NewAllotment) -> AllotmentV1 {
        AllotmentV1 {
            tenant: a.tenant,
            job: a.job,
            agent: a.agent,
            item: a.item,
            quantity: a.quantity,
            period_months: a.period_months,
            initial: a.initial,
        }
    }
}

impl From<AllotmentV1> for NewAllotment {
    fn from(a: AllotmentV1) -> NewAllotment {
        NewAllotment {
            tenant: a.tenant,
            job: a.job,
            agent: a.agent,
            item: a.item,
            quantity: a.quantity,
            period_months: a.period_months,
            initial: a.initial,
        }
    }
}

/// The stored form of a [`NewWorkwearIssue`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkwearIssueV1 {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Store code.
    pub store: String,
    /// Day.
    pub date: NaiveDate,
    /// Size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Quantity.
    pub quantity: Decimal,
    /// A replacement, with the reason of the units returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<ReturnReason>,
}

impl From<NewWorkwearIssue> for WorkwearIssueV1 {
    fn from(i: NewWorkwearIssue) -> WorkwearIssueV1 {
        WorkwearIssueV1 {
            tenant: i.tenant,
            agent: i.agent,
            item: i.item,
            store: i.store,
            date: i.date,
            size: i.size,
            quantity: i.quantity,
            replaces: i.replaces,
        }
    }
}

impl From<WorkwearIssueV1> for NewWorkwearIssue {
    fn from(i: WorkwearIssueV1) -> NewWorkwearIssue {
        NewWorkwearIssue {
            tenant: i.tenant,
            agent: i.agent,
            item: i.item,
            store: i.store,
            date: i.date,
            size: i.size,
            quantity: i.quantity,
            replaces: i.replaces,
        }
    }
}

/// The stored form of a [`NewWorkwearReturn`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkwearReturnV1 {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Day.
    pub date: NaiveDate,
    /// Quantity.
    pub quantity: Decimal,
    /// Why.
    pub reason: ReturnReason,
}

impl From<NewWorkwearReturn> for WorkwearReturnV1 {
    fn from(r: NewWorkwearReturn) -> WorkwearReturnV1 {
        WorkwearReturnV1 {
            tenant: r.tenant,
            agent: r.agent,
            item: r.item,
            size: r.size,
            date: r.date,
            quantity: r.quantity,
            reason: r.reason,
        }
    }
}

impl From<WorkwearReturnV1> for NewWorkwearReturn {
    fn from(r: WorkwearReturnV1) -> NewWorkwearReturn {
        NewWorkwearReturn {
            tenant: r.tenant,
            agent: r.agent,
            item: r.item,
            size: r.size,
            date: r.date,
            quantity: r.quantity,
            reason: r.reason,
        }
    }
}

impl WorkwearEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "agent_added",
        "agent_assignment_ended",
        "workwear_item_added",
        "allotment_set",
        "workwear_policy_set",
        "workwear_budget_line_set",
        "workwear_issued",
        "workwear_returned",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            WorkwearEvent::AgentAdded { .. }
            | WorkwearEvent::AgentAssignmentEnded { .. }
            | WorkwearEvent::WorkwearItemAdded { .. }
            | WorkwearEvent::AllotmentSet { .. }
            | WorkwearEvent::WorkwearPolicySet { .. }
            | WorkwearEvent::WorkwearBudgetLineSet { .. }
            | WorkwearEvent::WorkwearIssued { .. }
            | WorkwearEvent::WorkwearReturned { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs (an agent's
    /// matricule is unique only within its tenant).
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            WorkwearEvent::AgentAdded { agent } => vec![("agent", &agent.matricule)],
            WorkwearEvent::AgentAssignmentEnded { agent, .. } => vec![("agent", agent)],
            WorkwearEvent::WorkwearItemAdded { item } => {
                vec![("workwear_item", &item.code), ("item", &item.stock_item)]
            }
            WorkwearEvent::AllotmentSet { allotment } => {
                let mut v = vec![("workwear_item", allotment.item.as_str())];
                if let Some(a) = &allotment.agent {
                    v.push(("agent", a));
                }
                v
            }
            WorkwearEvent::WorkwearPolicySet { .. }
            | WorkwearEvent::WorkwearBudgetLineSet { .. } => Vec::new(),
            WorkwearEvent::WorkwearIssued { issue } => vec![
                ("agent", &issue.agent),
                ("workwear_item", &issue.item),
                ("store", &issue.store),
            ],
            WorkwearEvent::WorkwearReturned { returned } => {
                vec![
                    ("agent", &returned.agent),
                    ("workwear_item", &returned.item),
                ]
            }
        }
    }

    /// The tenant this event is about and the date it is judged on.
    pub(crate) fn tenant_and_date(&self) -> (Option<&str>, Option<NaiveDate>) {
        match self {
            WorkwearEvent::AgentAdded { agent } => (Some(&agent.tenant), Some(agent.start)),
            WorkwearEvent::AgentAssignmentEnded {
                tenant, last_day, ..
            } => (Some(tenant), Some(*last_day)),
            WorkwearEvent::WorkwearItemAdded { .. } => (None, None),
            WorkwearEvent::AllotmentSet { allotment } => (Some(&allotment.tenant), None),
            WorkwearEvent::WorkwearPolicySet { tenant, .. }
            | WorkwearEvent::WorkwearBudgetLineSet { tenant, .. } => (Some(tenant), None),
            WorkwearEvent::WorkwearIssued { issue } => (Some(&issue.tenant), Some(issue.date)),
            WorkwearEvent::WorkwearReturned { returned } => {
                (Some(&returned.tenant), Some(returned.date))
            }
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            WorkwearEvent::AgentAdded { agent } => m.add_agent(agent.into()),
            WorkwearEvent::AgentAssignmentEnded {
                tenant,
                agent,
                last_day,
            } => m.end_agent_assignment(&tenant, &agent, last_day),
            WorkwearEvent::WorkwearItemAdded { item } => m.add_workwear_item(item.into()),
            WorkwearEvent::AllotmentSet { allotment } => m.set_allotment(allotment.into()),
            WorkwearEvent::WorkwearPolicySet { tenant, policy } => {
                m.set_workwear_policy(&tenant, policy)
            }
            WorkwearEvent::WorkwearBudgetLineSet {
                tenant,
                service,
                line,
            } => m.set_workwear_budget_line(&tenant, &service, &line),
            WorkwearEvent::WorkwearIssued { issue } => m.issue_workwear(issue.into()).map(drop),
            WorkwearEvent::WorkwearReturned { returned } => m.return_workwear(returned.into()),
        }
    }
}
