//! Mobilier: the furniture inventory on top of the patrimoine — furniture
//! items, their moves between rooms and collectivités, their reform, and
//! inventory campaigns (récolement) with their report (docs/furniture.md).
//!
//! A furniture item is an asset of kind
//! [`AssetKind::Furniture`](crate::AssetKind::Furniture) with an inventory
//! number (the text of its label or QR code, unique in the group, see
//! [`check_inventory_number`]), a category (data: "chair", "desk",
//! "mobilier urbain"…), a location in the asset tree (a room, floor,
//! building or site: [`LOCATION_KINDS`]), an assigned service, a purchase,
//! a condition and a status. It stays an asset: its location is its parent
//! in the tree, costs, payers and transfers of ownership apply.
//!
//! ```
//! use mutualis::furniture::{Finding, NewFurniture};
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("HDV", "Hôtel de ville", AssetKind::Building, "ROANNE", d(1900, 1, 1))).unwrap();
//! m.add_asset(NewAsset::new("HDV-101", "Bureau 101", AssetKind::Room, "ROANNE", d(1900, 1, 1)).under("HDV")).unwrap();
//! m.add_asset(NewAsset::new("HDV-102", "Bureau 102", AssetKind::Room, "ROANNE", d(1900, 1, 1)).under("HDV")).unwrap();
//! m.add_asset(NewAsset::new("BUR-1", "Bureau droit", AssetKind::Furniture, "ROANNE", d(2020, 1, 6))).unwrap();
//! m.register_furniture(NewFurniture::new("BUR-1", "ROANNE-MOB-000001", "desk", "HDV-101")).unwrap();
//! m.open_campaign("REC-2026", "HDV", d(2026, 3, 2)).unwrap();
//! m.record_scan("REC-2026", "roanne-mob-000001", "HDV-102", d(2026, 3, 3)).unwrap();
//! let report = m.campaign_report("REC-2026").unwrap();
//! assert_eq!(report.lines[0].finding, Finding::Misplaced);
//! m.close_campaign("REC-2026", d(2026, 3, 6), true).unwrap(); // moves it to HDV-102
//! assert_eq!(m.asset("BUR-1").unwrap().parent, Some(m.asset_id("HDV-102").unwrap()));
//! ```

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::{AssetKind, ServiceRef};
use crate::error::Error;
use crate::ids::{AssetId, ServiceId, TenantId};
use crate::kinds::named_enum;

mod campaigns;
pub(crate) mod dataset;
pub mod events;
mod moves;
mod register;

pub(crate) use dataset::FurnitureRecords;
pub use events::FurnitureEvent;
pub use register::check_inventory_number;

/// The asset kinds a furniture item may be located in (and a scan found in).
pub const LOCATION_KINDS: &[AssetKind] = &[
    AssetKind::Room,
    AssetKind::Floor,
    AssetKind::Building,
    AssetKind::Site,
];

/// The asset kinds an inventory campaign may cover.
pub const CAMPAIGN_KINDS: &[AssetKind] = &[AssetKind::Building, AssetKind::Site];

named_enum! {
    /// The condition of a furniture item.
    pub enum Condition as "condition" {
        /// New.
        New = "new",
        /// Good.
        Good = "good",
        /// Worn (usé).
        Worn = "worn",
        /// Damaged (dégradé, hors d'usage).
        Damaged = "damaged",
    }
}

named_enum! {
    /// Where a furniture item stands.
    pub enum FurnitureStatus as "furniture status" {
        /// In use.
        InUse = "in_use",
        /// In store (en réserve).
        InStore = "in_store",
        /// Reformed (réformé): out of the inventory from its reform's date.
        Reformed = "reformed",
    }
}

named_enum! {
    /// What became of a reformed item.
    pub enum ReformOutcome as "reform outcome" {
        /// Sold (cédé), at a price.
        Sold = "sold",
        /// Given (donné), to someone.
        Given = "given",
        /// Destroyed (détruit).
        Destroyed = "destroyed",
    }
}

named_enum! {
    /// How an item came to a location.
    pub enum MoveKind as "move kind" {
        /// A move within its owner's (or borrower's) premises.
        Move = "move",
        /// A move to another collectivité's premises with a transfer of ownership.
        Transfer = "transfer",
        /// A loan to another collectivité (owner unchanged).
        Loan = "loan",
        /// The return of a loan to its owner's premises.
        Return = "return",
        /// The findings of an inventory campaign applied (misplaced item).
        Inventory = "inventory",
    }
}

named_enum! {
    /// What an inventory campaign found of an item or a scan.
    pub enum Finding as "finding" {
        /// Expected in a room and scanned there.
        Found = "found",
        /// Expected, scanned nowhere.
        Missing = "missing",
        /// Expected in a room, scanned in another room of the campaign.
        Misplaced = "misplaced",
        /// Scanned, but not expected in the campaign (unknown inventory
        /// number, reformed, or located outside the campaign's perimeter).
        Unexpected = "unexpected",
    }
}

/// A furniture item to register (the inventory attributes of an existing
/// asset of kind furniture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFurniture {
    /// Asset code (an asset of kind furniture).
    pub asset: String,
    /// Inventory number (label / QR code text, [`check_inventory_number`]).
    pub number: String,
    /// Category (data: "chair", "desk", "cupboard", "mobilier urbain"…).
    pub category: String,
    /// Its location from the asset's commissioning (asset code of a room,
    /// floor, building or site); the asset is placed under it.
    pub location: String,
    /// Assigned service, if any.
    pub service: Option<ServiceRef>,
    /// Date of purchase, if known.
    pub purchase_date: Option<NaiveDate>,
    /// Purchase value in euros (whole cents, not negative), if known.
    pub purchase_value: Option<Decimal>,
    /// Condition.
    pub condition: Condition,
    /// Status: in use or in store (reform with [`crate::Mutualis::reform_furniture`]).
    pub status: FurnitureStatus,
}

impl NewFurniture {
    /// An item in use, in good condition, with no service nor purchase.
    #[must_use]
    pub fn new(asset: &str, number: &str, category: &str, location: &str) -> NewFurniture {
        NewFurniture {
            asset: asset.to_owned(),
            number: number.to_owned(),
            category: category.to_owned(),
            location: location.to_owned(),
            service: None,
            purchase_date: None,
            purchase_value: None,
            condition: Condition::Good,
            status: FurnitureStatus::InUse,
        }
    }

    /// Purchased on `date` for `value` euros.
    #[must_use]
    pub fn purchased(mut self, date: NaiveDate, value: Decimal) -> NewFurniture {
        self.purchase_date = Some(date);
        self.purchase_value = Some(value);
        self
    }

    /// Assigned to a service.
    #[must_use]
    pub fn assigned_to(mut self, tenant: &str, service: &str) -> NewFurniture {
        self.service = Some(ServiceRef {
            tenant: tenant.to_owned(),
            service: service.to_owned(),
        });
        self
    }

    /// In this condition.
    #[must_use]
    pub fn in_condition(mut self, condition: Condition) -> NewFurniture {
        self.condition = condition;
        self
    }

    /// With this status.
    #[must_use]
    pub fn with_status(mut self, status: FurnitureStatus) -> NewFurniture {
        self.status = status;
        self
    }
}

/// A reform (réforme): the date the item leaves the inventory and what
/// became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reform {
    /// Date of the reform (the item is not expected from this day on).
    pub date: NaiveDate,
    /// Sold, given or destroyed.
    pub outcome: ReformOutcome,
    /// The sale price in euros (sold only; whole cents, not negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// To whom it was given (given only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
}

impl Reform {
    /// Sold on `date` at `price`.
    #[must_use]
    pub fn sold(date: NaiveDate, price: Decimal) -> Reform {
        Reform {
            date,
            outcome: ReformOutcome::Sold,
            price: Some(price),
            recipient: None,
        }
    }

    /// Given on `date` to `recipient`.
    #[must_use]
    pub fn given(date: NaiveDate, recipient: &str) -> Reform {
        Reform {
            date,
            outcome: ReformOutcome::Given,
            price: None,
            recipient: Some(recipient.to_owned()),
        }
    }

    /// Destroyed on `date`.
    #[must_use]
    pub fn destroyed(date: NaiveDate) -> Reform {
        Reform {
            date,
            outcome: ReformOutcome::Destroyed,
            price: None,
            recipient: None,
        }
    }
}

/// A registered furniture item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FurnitureItem {
    /// The asset.
    pub asset: AssetId,
    /// Inventory number (upper case).
    pub number: String,
    /// Category.
    pub category: String,
    /// Assigned service, if any.
    pub service: Option<ServiceId>,
    /// Date of purchase, if known.
    pub purchase_date: Option<NaiveDate>,
    /// Purchase value, if known.
    pub purchase_value: Option<Decimal>,
    /// Current condition.
    pub condition: Condition,
    /// Current status.
    pub status: FurnitureStatus,
    /// Since when (none: since registration).
    pub status_since: Option<NaiveDate>,
    /// The reform, once reformed.
    pub reform: Option<Reform>,
    /// Its location from the asset's commissioning (before any move).
    pub first_location: AssetId,
    /// Its current location (the last move's).
    pub location: AssetId,
    /// The open loan, if lent (its history: [`crate::Mutualis::furniture_loans_of`]).
    pub loan: Option<FurnitureLoan>,
}

/// A move of an item (its location history, oldest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FurnitureMove {
    /// First day at the new location.
    pub date: NaiveDate,
    /// Where it was.
    pub from: AssetId,
    /// Where it went.
    pub to: AssetId,
    /// How.
    pub kind: MoveKind,
}

/// A loan of an item to another collectivité.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FurnitureLoan {
    /// The item's asset.
    pub item: AssetId,
    /// The borrower.
    pub borrower: TenantId,
    /// First day of the loan.
    pub from: NaiveDate,
    /// Planned return (last day), if agreed.
    pub until: Option<NaiveDate>,
    /// Returned on (first day back), once returned.
    pub returned: Option<NaiveDate>,
}

/// An inventory campaign (récolement) of a building or site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Campaign code.
    pub code: String,
    /// The building or site it covers (its subtree is the perimeter).
    pub scope: AssetId,
    /// Opening date: the expected items are those located in the perimeter
    /// and not reformed on this date.
    pub opened: NaiveDate,
    /// Closing date, once closed.
    pub closed: Option<NaiveDate>,
    /// The findings were applied on closing (misplaced items moved).
    pub applied: bool,
}

/// A scan recorded in a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Inventory number read (upper case; maybe unknown).
    pub number: String,
    /// The location where it was found.
    pub room: AssetId,
    /// Scan date.
    pub date: NaiveDate,
}

/// One line of a campaign's report: an expected item, or a scan of an
/// item not expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignLine {
    /// Inventory number.
    pub number: String,
    /// The item's asset (none: unknown inventory number).
    pub item: Option<AssetId>,
    /// What was found.
    pub finding: Finding,
    /// Where it was expected (none: unexpected).
    pub expected_room: Option<AssetId>,
    /// Where it was scanned (none: missing).
    pub found_room: Option<AssetId>,
    /// The scan's date (none: missing).
    pub scanned: Option<NaiveDate>,
}

/// The counts of one location of a campaign's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomCount {
    /// The location.
    pub room: AssetId,
    /// Items expected there.
    pub expected: u32,
    /// Of those, scanned there.
    pub found: u32,
    /// Of those, scanned nowhere.
    pub missing: u32,
    /// Items scanned there but expected in another location.
    pub misplaced: u32,
    /// Scans there of items not expected in the campaign.
    pub unexpected: u32,
}

/// A campaign's report (docs/furniture.md, "The campaign's report").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignReport {
    /// Campaign code.
    pub campaign: String,
    /// The building or site covered.
    pub scope: AssetId,
    /// Opening date.
    pub opened: NaiveDate,
    /// Closing date, if closed.
    pub closed: Option<NaiveDate>,
    /// Per location (expected or scanned in), in asset order.
    pub rooms: Vec<RoomCount>,
    /// Every expected item and every unexpected scan, by location (the
    /// expected one, else where scanned) then inventory number.
    pub lines: Vec<CampaignLine>,
    /// Items expected.
    pub expected: u32,
    /// Found where expected.
    pub found: u32,
    /// Scanned nowhere.
    pub missing: u32,
    /// Found in another location of the campaign.
    pub misplaced: u32,
    /// Scanned, not expected.
    pub unexpected: u32,
}

/// An in-place change of the furniture register to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum FurnitureUndo {
    /// An item was registered (the last one).
    Registered,
    /// An item record as it was.
    Item { at: usize, old: Box<FurnitureItem> },
    /// A move was pushed on an item's history.
    Moved { at: usize },
    /// A status change was pushed on an item's history.
    Status { at: usize },
    /// A condition change was pushed on an item's history.
    Condition { at: usize },
    /// A loan was pushed on an item's list.
    LoanAdded { at: usize },
    /// An item's last loan as it was.
    Loan { at: usize, old: FurnitureLoan },
    /// A campaign was opened (the last one).
    CampaignOpened,
    /// A scan was pushed on a campaign.
    Scan { at: usize },
    /// A campaign as it was.
    Campaign { at: usize, old: Box<Campaign> },
}

/// The furniture register's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Furniture {
    items: Vec<FurnitureItem>,
    by_asset: HashMap<AssetId, usize>,
    by_number: HashMap<String, usize>,
    /// Per item: its moves, in date order.
    moves: Vec<Vec<FurnitureMove>>,
    /// Per item: its status changes after registration, in date order.
    statuses: Vec<Vec<(NaiveDate, FurnitureStatus)>>,
    /// Per item: its condition changes after registration, in date order.
    conditions: Vec<Vec<(NaiveDate, Condition)>>,
    /// Per item: its status and condition at registration.
    initial: Vec<(FurnitureStatus, Condition)>,
    /// Per item: its loans, in date order.
    loans: Vec<Vec<FurnitureLoan>>,
    campaigns: Vec<Campaign>,
    campaign_index: HashMap<String, usize>,
    /// Per campaign: its scans, in recording order.
    scans: Vec<Vec<Scan>>,
}

impl Furniture {
    pub(crate) fn undo(&mut self, u: FurnitureUndo) {
        match u {
            FurnitureUndo::Registered => {
                if let Some(i) = self.items.pop() {
                    self.by_asset.remove(&i.asset);
                    self.by_number.remove(&i.number);
                    self.moves.pop();
                    self.statuses.pop();
                    self.conditions.pop();
                    self.initial.pop();
                    self.loans.pop();
                }
            }
            FurnitureUndo::Item { at, old } => {
                if let Some(i) = self.items.get_mut(at) {
                    *i = *old;
                }
            }
            FurnitureUndo::Moved { at } => {
                if let Some(v) = self.moves.get_mut(at) {
                    v.pop();
                }
            }
            FurnitureUndo::Status { at } => {
                if let Some(v) = self.statuses.get_mut(at) {
                    v.pop();
                }
            }
            FurnitureUndo::Condition { at } => {
                if let Some(v) = self.conditions.get_mut(at) {
                    v.pop();
                }
            }
            FurnitureUndo::LoanAdded { at } => {
                if let Some(v) = self.loans.get_mut(at) {
                    v.pop();
                }
            }
            FurnitureUndo::Loan { at, old } => {
                if let Some(l) = self.loans.get_mut(at).and_then(|v| v.last_mut()) {
                    *l = old;
                }
            }
            FurnitureUndo::CampaignOpened => {
                if let Some(c) = self.campaigns.pop() {
                    self.campaign_index.remove(&c.code);
                    self.scans.pop();
                }
            }
            FurnitureUndo::Scan { at } => {
                if let Some(v) = self.scans.get_mut(at) {
                    v.pop();
                }
            }
            FurnitureUndo::Campaign { at, old } => {
                if let Some(c) = self.campaigns.get_mut(at) {
                    *c = *old;
                }
            }
        }
    }

    /// The location of item `at` on `date` from its history (`None` for an
    /// unknown item; before commissioning the caller decides).
    fn location_on(&self, at: usize, date: NaiveDate) -> Option<AssetId> {
        let item = self.items.get(at)?;
        let moves = self.moves.get(at)?;
        Some(match moves.partition_point(|m| m.date <= date) {
            0 => item.first_location,
            n => moves[n - 1].to,
        })
    }
}

/// [`Error::NotALocation`] for `asset` of `kind`, expected `expected`.
fn not_a_location(asset: &str, kind: AssetKind, expected: &'static str) -> Error {
    Error::NotALocation {
        asset: asset.to_owned(),
        kind: kind.as_str(),
        expected,
    }
}

/// True when `kind` may hold furniture.
fn is_location(kind: AssetKind) -> bool {
    LOCATION_KINDS.contains(&kind)
}
