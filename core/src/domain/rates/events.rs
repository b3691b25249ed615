//! The events of régie teams and rates.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::rates::UsageUnit;
use crate::Mutualis;

/// An event of teams and rates (wrapped by [`crate::Event::Rates`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RateEvent {
    /// A régie team was added.
    TeamAdded {
        /// Team code.
        code: String,
        /// Tenant code.
        tenant: String,
        /// Team name.
        name: String,
        /// Service code of the tenant, if any.
        service: Option<String>,
    },
    /// An hourly labour rate was set.
    LabourRateSet {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
        /// Team code, if the rate is team-specific.
        team: Option<String>,
        /// Grade, if the rate is grade-specific.
        grade: Option<String>,
        /// Euros per hour.
        rate: Decimal,
    },
    /// A vehicle or equipment rate was set.
    VehicleRateSet {
        /// Tenant code (owner of the vehicle, or of the category table).
        tenant: String,
        /// Vehicle asset code, or category name.
        subject: String,
        /// True when `subject` is a category, not an asset.
        category: bool,
        /// Year.
        year: i32,
        /// Unit charged.
        unit: UsageUnit,
        /// Euros per unit.
        rate: Decimal,
    },
}

impl RateEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] =
        &["team_added", "labour_rate_set", "vehicle_rate_set"];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            RateEvent::TeamAdded { .. }
            | RateEvent::LabourRateSet { .. }
            | RateEvent::VehicleRateSet { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            RateEvent::TeamAdded { code, .. } => vec![("team", code)],
            RateEvent::LabourRateSet { tenant, .. } | RateEvent::VehicleRateSet { tenant, .. } => {
                vec![("tenant", tenant)]
            }
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            RateEvent::TeamAdded {
                code,
                tenant,
                name,
                service,
            } => m
                .add_team(&code, &tenant, &name, service.as_deref())
                .map(drop),
            RateEvent::LabourRateSet {
                tenant,
                year,
                team,
                grade,
                rate,
            } => m.set_labour_rate(&tenant, year, team.as_deref(), grade.as_deref(), rate),
            RateEvent::VehicleRateSet {
                tenant,
                subject,
                category,
                year,
                unit,
                rate,
            } => {
                if category {
                    m.set_category_rate(&tenant, &subject, year, unit, rate)
                } else {
                    m.set_vehicle_rate(&subject, year, unit, rate)
                }
            }
        }
    }
}
