//! The events of work orders and their cost lines.
//!
//! [`WorkOrderV1`] and [`CostV1`] are the stored forms of a [`NewWorkOrder`]
//! and a [`CostInput`] (see [`crate::journal`]).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::ServiceRef;
use crate::error::Result;
use crate::money::VatRate;
use crate::rates::UsageUnit;
use crate::work::{CostInput, NewWorkOrder, Performer, WorkOrderStatus};
use crate::Mutualis;

/// An event of work orders (wrapped by [`crate::Event::Work`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WorkEvent {
    /// A work order was created.
    WorkOrderCreated {
        /// Its description.
        work_order: WorkOrderV1,
    },
    /// A work order's status changed.
    WorkOrderStatusChanged {
        /// Work order code.
        work_order: String,
        /// New status.
        status: WorkOrderStatus,
        /// When.
        at: DateTime<Utc>,
    },
    /// A cost line was recorded on a work order.
    CostRecorded {
        /// Work order code.
        work_order: String,
        /// What was recorded.
        cost: CostV1,
    },
}

/// The stored form of a [`NewWorkOrder`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderV1 {
    /// Human code, unique.
    pub code: String,
    /// What is to be done.
    pub title: String,
    /// The asset worked on.
    pub asset: String,
    /// Who does it.
    pub performer: Performer,
    /// The ordering service, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Requests it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<String>,
    /// Event tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Beneficiary association, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<String>,
    /// Planned day, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_on: Option<NaiveDate>,
}

impl From<NewWorkOrder> for WorkOrderV1 {
    fn from(w: NewWorkOrder) -> WorkOrderV1 {
        WorkOrderV1 {
            code: w.code,
            title: w.title,
            asset: w.asset,
            performer: w.performer,
            service: w.service,
            requests: w.requests,
            tags: w.tags,
            association: w.association,
            planned_on: w.planned_on,
        }
    }
}

impl From<WorkOrderV1> for NewWorkOrder {
    fn from(w: WorkOrderV1) -> NewWorkOrder {
        NewWorkOrder {
            code: w.code,
            title: w.title,
            asset: w.asset,
            performer: w.performer,
            service: w.service,
            requests: w.requests,
            tags: w.tags,
            association: w.association,
            planned_on: w.planned_on,
        }
    }
}

/// The stored form of a [`CostInput`] (version 1), tagged by `nature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "nature", rename_all = "snake_case")]
pub enum CostV1 {
    /// Régie labour.
    Labour {
        /// Day the work was done.
        date: NaiveDate,
        /// Hours per agent.
        hours: Decimal,
        /// Number of agents.
        agents: u32,
        /// Team, if not the work order's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
        /// Grade, for grade-specific rates.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grade: Option<String>,
    },
    /// Material issued from a store.
    Material {
        /// Day of issue.
        date: NaiveDate,
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Quantity.
        quantity: Decimal,
    },
    /// Vehicle or equipment use.
    Vehicle {
        /// Day of use.
        date: NaiveDate,
        /// Vehicle asset code.
        vehicle: String,
        /// Unit.
        unit: UsageUnit,
        /// Quantity.
        quantity: Decimal,
    },
    /// External supplier invoice line.
    External {
        /// Day the cost was incurred.
        date: NaiveDate,
        /// Supplier, if not the work order's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supplier: Option<String>,
        /// What was bought.
        description: String,
        /// Amount HT.
        ht: Decimal,
        /// VAT rate.
        vat_rate: VatRate,
    },
}

impl CostV1 {
    /// The day of the cost.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        match self {
            CostV1::Labour { date, .. }
            | CostV1::Material { date, .. }
            | CostV1::Vehicle { date, .. }
            | CostV1::External { date, .. } => *date,
        }
    }
}

impl From<CostInput> for CostV1 {
    fn from(c: CostInput) -> CostV1 {
        match c {
            CostInput::Labour {
                date,
                hours,
                agents,
                team,
                grade,
            } => CostV1::Labour {
                date,
                hours,
                agents,
                team,
                grade,
            },
            CostInput::Material {
                date,
                store,
                item,
                quantity,
            } => CostV1::Material {
                date,
                store,
                item,
                quantity,
            },
            CostInput::Vehicle {
                date,
                vehicle,
                unit,
                quantity,
            } => CostV1::Vehicle {
                date,
                vehicle,
                unit,
                quantity,
            },
            CostInput::External {
                date,
                supplier,
                description,
                ht,
                vat_rate,
            } => CostV1::External {
                date,
                supplier,
                description,
                ht,
                vat_rate,
            },
        }
    }
}

impl From<CostV1> for CostInput {
    fn from(c: CostV1) -> CostInput {
        match c {
            CostV1::Labour {
                date,
                hours,
                agents,
                team,
                grade,
            } => CostInput::Labour {
                date,
                hours,
                agents,
                team,
                grade,
            },
            CostV1::Material {
                date,
                store,
                item,
                quantity,
            } => CostInput::Material {
                date,
                store,
                item,
                quantity,
            },
            CostV1::Vehicle {
                date,
                vehicle,
                unit,
                quantity,
            } => CostInput::Vehicle {
                date,
                vehicle,
                unit,
                quantity,
            },
            CostV1::External {
                date,
                supplier,
                description,
                ht,
                vat_rate,
            } => CostInput::External {
                date,
                supplier,
                description,
                ht,
                vat_rate,
            },
        }
    }
}

impl WorkEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "work_order_created",
        "work_order_status_changed",
        "cost_recorded",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            WorkEvent::WorkOrderCreated { .. }
            | WorkEvent::WorkOrderStatusChanged { .. }
            | WorkEvent::CostRecorded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            WorkEvent::WorkOrderCreated { work_order } => {
                let mut v = vec![
                    ("work_order", work_order.code.as_str()),
                    ("asset", work_order.asset.as_str()),
                ];
                v.extend(work_order.requests.iter().map(|r| ("request", r.as_str())));
                v
            }
            WorkEvent::WorkOrderStatusChanged { work_order, .. }
            | WorkEvent::CostRecorded { work_order, .. } => vec![("work_order", work_order)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            WorkEvent::WorkOrderCreated { work_order } => {
                m.create_work_order(work_order.into()).map(drop)
            }
            WorkEvent::WorkOrderStatusChanged {
                work_order,
                status,
                at,
            } => m.set_work_order_status(&work_order, status, at),
            WorkEvent::CostRecorded { work_order, cost } => {
                m.record_cost(&work_order, cost.into()).map(drop)
            }
        }
    }
}
