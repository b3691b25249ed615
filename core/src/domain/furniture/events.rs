//! The events of the furniture inventory: register, moves, status,
//! condition, reform, campaigns.
//!
//! [`FurnitureV1`] is the stored form of [`NewFurniture`]; [`Reform`] is
//! stored as itself (see [`crate::journal`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Condition, FurnitureStatus, NewFurniture, Reform};
use crate::assets::ServiceRef;
use crate::error::Result;
use crate::Mutualis;

/// An event of the furniture inventory (wrapped by [`crate::Event::Furniture`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FurnitureEvent {
    /// An asset was registered in the furniture inventory.
    FurnitureRegistered {
        /// Its inventory attributes.
        furniture: FurnitureV1,
    },
    /// An item moved within its owner's (or borrower's) premises.
    FurnitureMoved {
        /// Inventory number.
        number: String,
        /// The location (asset code).
        to: String,
        /// First day there.
        date: NaiveDate,
    },
    /// An item moved to another collectivité's premises, its ownership
    /// transferred to that collectivité from the date.
    FurnitureTransferred {
        /// Inventory number.
        number: String,
        /// The location (asset code).
        to: String,
        /// First day there and of the new ownership.
        date: NaiveDate,
    },
    /// An item was lent to another collectivité.
    FurnitureLent {
        /// Inventory number.
        number: String,
        /// The location (asset code).
        to: String,
        /// First day of the loan.
        from: NaiveDate,
        /// Planned return (last day).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// A lent item was returned.
    FurnitureReturned {
        /// Inventory number.
        number: String,
        /// The location (asset code).
        to: String,
        /// First day back.
        date: NaiveDate,
    },
    /// An item's status was set from a date.
    FurnitureStatusSet {
        /// Inventory number.
        number: String,
        /// New status.
        status: FurnitureStatus,
        /// From this date.
        since: NaiveDate,
    },
    /// An item's condition was recorded.
    FurnitureConditionSet {
        /// Inventory number.
        number: String,
        /// Condition.
        condition: Condition,
        /// From this date.
        date: NaiveDate,
    },
    /// An item was reformed.
    FurnitureReformed {
        /// Inventory number.
        number: String,
        /// The reform.
        reform: Reform,
    },
    /// An inventory campaign was opened.
    InventoryCampaignOpened {
        /// Campaign code.
        campaign: String,
        /// The building or site (asset code).
        scope: String,
        /// Opening date.
        date: NaiveDate,
    },
    /// An inventory number was scanned in a campaign.
    InventoryScanned {
        /// Campaign code.
        campaign: String,
        /// Inventory number read.
        number: String,
        /// Where (asset code).
        room: String,
        /// Scan date.
        date: NaiveDate,
    },
    /// An inventory campaign was closed.
    InventoryCampaignClosed {
        /// Campaign code.
        campaign: String,
        /// Closing date.
        date: NaiveDate,
        /// The misplaced items were moved to where found.
        apply: bool,
    },
}

/// The stored form of a [`NewFurniture`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FurnitureV1 {
    /// Asset code.
    pub asset: String,
    /// Inventory number.
    pub number: String,
    /// Category.
    pub category: String,
    /// Location from the asset's commissioning (asset code).
    pub location: String,
    /// Assigned service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Date of purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    /// Purchase value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_value: Option<Decimal>,
    /// Condition.
    pub condition: Condition,
    /// Status.
    pub status: FurnitureStatus,
}

impl From<NewFurniture> for FurnitureV1 {
    fn from(f: NewFurniture) -> FurnitureV1 {
        FurnitureV1 {
            asset: f.asset,
            number: f.number,
            category: f.category,
            location: f.location,
            service: f.service,
            purchase_date: f.purchase_date,
            purchase_value: f.purchase_value,
            condition: f.condition,
            status: f.status,
        }
    }
}

impl From<FurnitureV1> for NewFurniture {
    fn from(f: FurnitureV1) -> NewFurniture {
        NewFurniture {
            asset: f.asset,
            number: f.number,
            category: f.category,
            location: f.location,
            service: f.service,
            purchase_date: f.purchase_date,
            purchase_value: f.purchase_value,
            condition: f.condition,
            status: f.status,
        }
    }
}

impl FurnitureEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "furniture_registered",
        "furniture_moved",
        "furniture_transferred",
        "furniture_lent",
        "furniture_returned",
        "furniture_status_set",
        "furniture_condition_set",
        "furniture_reformed",
        "inventory_campaign_opened",
        "inventory_scanned",
        "inventory_campaign_closed",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            FurnitureEvent::FurnitureRegistered { .. }
            | FurnitureEvent::FurnitureMoved { .. }
            | FurnitureEvent::FurnitureTransferred { .. }
            | FurnitureEvent::FurnitureLent { .. }
            | FurnitureEvent::FurnitureReturned { .. }
            | FurnitureEvent::FurnitureStatusSet { .. }
            | FurnitureEvent::FurnitureConditionSet { .. }
            | FurnitureEvent::FurnitureReformed { .. }
            | FurnitureEvent::InventoryCampaignOpened { .. }
            | FurnitureEvent::InventoryScanned { .. }
            | FurnitureEvent::InventoryCampaignClosed { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs
    /// (`"furniture"`: an inventory number; `"campaign"`; `"asset"`).
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            FurnitureEvent::FurnitureRegistered { furniture } => vec![
                ("asset", &furniture.asset),
                ("furniture", &furniture.number),
                ("asset", &furniture.location),
            ],
            FurnitureEvent::FurnitureMoved { number, to, .. }
            | FurnitureEvent::FurnitureTransferred { number, to, .. }
            | FurnitureEvent::FurnitureLent { number, to, .. }
            | FurnitureEvent::FurnitureReturned { number, to, .. } => {
                vec![("furniture", number), ("asset", to)]
            }
            FurnitureEvent::FurnitureStatusSet { number, .. }
            | FurnitureEvent::FurnitureConditionSet { number, .. }
            | FurnitureEvent::FurnitureReformed { number, .. } => vec![("furniture", number)],
            FurnitureEvent::InventoryCampaignOpened {
                campaign, scope, ..
            } => {
                vec![("campaign", campaign), ("asset", scope)]
            }
            FurnitureEvent::InventoryScanned {
                campaign, number, ..
            } => vec![("campaign", campaign), ("furniture", number)],
            FurnitureEvent::InventoryCampaignClosed { campaign, .. } => {
                vec![("campaign", campaign)]
            }
        }
    }

    /// What this event is judged on by access rights: the item's inventory
    /// number or asset code, or the campaign, and the date.
    pub(crate) fn subject_and_date(&self) -> (Subject<'_>, Option<NaiveDate>) {
        match self {
            FurnitureEvent::FurnitureRegistered { furniture } => {
                (Subject::Asset(&furniture.asset), None)
            }
            FurnitureEvent::FurnitureMoved { number, date, .. }
            | FurnitureEvent::FurnitureTransferred { number, date, .. }
            | FurnitureEvent::FurnitureReturned { number, date, .. }
            | FurnitureEvent::FurnitureConditionSet { number, date, .. } => {
                (Subject::Item(number), Some(*date))
            }
            FurnitureEvent::FurnitureLent { number, from, .. } => {
                (Subject::Item(number), Some(*from))
            }
            FurnitureEvent::FurnitureStatusSet { number, since, .. } => {
                (Subject::Item(number), Some(*since))
            }
            FurnitureEvent::FurnitureReformed { number, reform } => {
                (Subject::Item(number), Some(reform.date))
            }
            FurnitureEvent::InventoryCampaignOpened { scope, date, .. } => {
                (Subject::Asset(scope), Some(*date))
            }
            FurnitureEvent::InventoryScanned { campaign, date, .. }
            | FurnitureEvent::InventoryCampaignClosed { campaign, date, .. } => {
                (Subject::Campaign(campaign), Some(*date))
            }
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            FurnitureEvent::FurnitureRegistered { furniture } => {
                m.register_furniture(furniture.into())
            }
            FurnitureEvent::FurnitureMoved { number, to, date } => {
                m.move_furniture(&number, &to, date)
            }
            FurnitureEvent::FurnitureTransferred { number, to, date } => {
                m.transfer_furniture(&number, &to, date)
            }
            FurnitureEvent::FurnitureLent {
                number,
                to,
                from,
                until,
            } => m.lend_furniture(&number, &to, from, until),
            FurnitureEvent::FurnitureReturned { number, to, date } => {
                m.return_furniture(&number, &to, date)
            }
            FurnitureEvent::FurnitureStatusSet {
                number,
                status,
                since,
            } => m.set_furniture_status(&number, status, since),
            FurnitureEvent::FurnitureConditionSet {
                number,
                condition,
                date,
            } => m.set_furniture_condition(&number, condition, date),
            FurnitureEvent::FurnitureReformed { number, reform } => {
                m.reform_furniture(&number, reform)
            }
            FurnitureEvent::InventoryCampaignOpened {
                campaign,
                scope,
                date,
            } => m.open_campaign(&campaign, &scope, date),
            FurnitureEvent::InventoryScanned {
                campaign,
                number,
                room,
                date,
            } => m.record_scan(&campaign, &number, &room, date),
            FurnitureEvent::InventoryCampaignClosed {
                campaign,
                date,
                apply,
            } => m.close_campaign(&campaign, date, apply),
        }
    }
}

/// What a furniture event is about, for access rights.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// An asset code.
    Asset(&'a str),
    /// An inventory number.
    Item(&'a str),
    /// A campaign code.
    Campaign(&'a str),
}
