//! Mobilier seen from Kotlin (issue 15): the furniture register, moves
//! between rooms and collectivités, reform, inventory campaigns and their
//! report. The rules are the core's (`mutualis::furniture`); this file only
//! converts.

use chrono::NaiveDate;
use mutualis as mx;
use mx::furniture as mf;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;

mirror_enum! {
    /// The condition of a furniture item.
    pub enum FurnitureCondition mirrors mf::Condition, "condition" {
        /// New.
        New,
        /// Good.
        Good,
        /// Worn.
        Worn,
        /// Damaged.
        Damaged,
    }
}

mirror_enum! {
    /// Where a furniture item stands.
    pub enum FurnitureStatus mirrors mf::FurnitureStatus, "furniture status" {
        /// In use.
        InUse,
        /// In store.
        InStore,
        /// Reformed (out of the inventory from its reform's date).
        Reformed,
    }
}

mirror_enum! {
    /// What became of a reformed item.
    pub enum ReformOutcome mirrors mf::ReformOutcome, "reform outcome" {
        /// Sold, at a price.
        Sold,
        /// Given, to someone.
        Given,
        /// Destroyed.
        Destroyed,
    }
}

mirror_enum! {
    /// How an item came to a location.
    pub enum MoveKind mirrors mf::MoveKind, "move kind" {
        /// Within its owner's (or borrower's) premises.
        Move,
        /// To another collectivité, with a transfer of ownership.
        Transfer,
        /// A loan to another collectivité.
        Loan,
        /// The return of a loan.
        Return,
        /// A campaign's findings applied.
        Inventory,
    }
}

mirror_enum! {
    /// What a campaign found of an item or a scan.
    pub enum Finding mirrors mf::Finding, "finding" {
        /// Expected and scanned there.
        Found,
        /// Expected, scanned nowhere.
        Missing,
        /// Expected in a location, scanned in another.
        Misplaced,
        /// Scanned, not expected.
        Unexpected,
    }
}

/// A furniture item to register (an existing asset of kind furniture).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewFurniture {
    /// Asset code.
    pub asset: String,
    /// Inventory number (label / QR code text).
    pub number: String,
    /// Category (data: "chair", "desk"…).
    pub category: String,
    /// First location (room, floor, building or site).
    pub location: String,
    /// Assigned service's tenant.
    #[uniffi(default = None)]
    pub service_tenant: Option<String>,
    /// Assigned service's code.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Date of purchase.
    #[uniffi(default = None)]
    pub purchase_date: Option<NaiveDate>,
    /// Purchase value.
    #[uniffi(default = None)]
    pub purchase_value: Option<Decimal>,
    /// Condition (null: good).
    #[uniffi(default = None)]
    pub condition: Option<FurnitureCondition>,
    /// Status (null: in use).
    #[uniffi(default = None)]
    pub status: Option<FurnitureStatus>,
}

/// A registered furniture item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FurnitureItem {
    /// Asset code.
    pub asset: String,
    /// Inventory number.
    pub number: String,
    /// Category.
    pub category: String,
    /// Assigned service's tenant.
    pub service_tenant: Option<String>,
    /// Assigned service's code.
    pub service: Option<String>,
    /// Date of purchase.
    pub purchase_date: Option<NaiveDate>,
    /// Purchase value.
    pub purchase_value: Option<Decimal>,
    /// Condition.
    pub condition: FurnitureCondition,
    /// Status.
    pub status: FurnitureStatus,
    /// Since when (null: since registration).
    pub status_since: Option<NaiveDate>,
    /// The reform's outcome (reformed only).
    pub reform_outcome: Option<ReformOutcome>,
    /// The sale price (sold only).
    pub reform_price: Option<Decimal>,
    /// To whom it was given (given only).
    pub reform_recipient: Option<String>,
    /// Current location.
    pub location: String,
    /// Location from the asset's commissioning.
    pub first_location: String,
    /// The borrower while lent.
    pub lent_to: Option<String>,
}

/// A move of an item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FurnitureMove {
    /// First day at the new location.
    pub date: NaiveDate,
    /// Where it was.
    pub from: String,
    /// Where it went.
    pub to: String,
    /// How.
    pub kind: MoveKind,
}

/// A loan of an item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FurnitureLoan {
    /// The item's asset code.
    pub asset: String,
    /// The borrower.
    pub borrower: String,
    /// First day.
    pub from: NaiveDate,
    /// Planned return (last day).
    pub until: Option<NaiveDate>,
    /// Returned on (first day back).
    pub returned: Option<NaiveDate>,
}

/// An inventory campaign.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Campaign {
    /// Code.
    pub code: String,
    /// The building or site covered.
    pub scope: String,
    /// Opening date.
    pub opened: NaiveDate,
    /// Closing date.
    pub closed: Option<NaiveDate>,
    /// The findings were applied on closing.
    pub applied: bool,
}

/// One line of a campaign's report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CampaignLine {
    /// Inventory number.
    pub number: String,
    /// The item's asset code (null: unknown number).
    pub asset: Option<String>,
    /// What was found.
    pub finding: Finding,
    /// Where it was expected.
    pub expected_room: Option<String>,
    /// Where it was scanned.
    pub found_room: Option<String>,
    /// The scan's date.
    pub scanned: Option<NaiveDate>,
}

/// The counts of one location of a report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RoomCount {
    /// The location.
    pub room: String,
    /// Expected there.
    pub expected: u32,
    /// Of those, scanned there.
    pub found: u32,
    /// Of those, scanned nowhere.
    pub missing: u32,
    /// Scanned there, expected elsewhere.
    pub misplaced: u32,
    /// Scanned there, not expected.
    pub unexpected: u32,
}

/// A campaign's report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CampaignReport {
    /// Campaign code.
    pub campaign: String,
    /// The building or site.
    pub scope: String,
    /// Opening date.
    pub opened: NaiveDate,
    /// Closing date.
    pub closed: Option<NaiveDate>,
    /// Per location.
    pub rooms: Vec<RoomCount>,
    /// Every expected item and unexpected scan.
    pub lines: Vec<CampaignLine>,
    /// Items expected.
    pub expected: u32,
    /// Found where expected.
    pub found: u32,
    /// Scanned nowhere.
    pub missing: u32,
    /// Found elsewhere in the campaign.
    pub misplaced: u32,
    /// Scanned, not expected.
    pub unexpected: u32,
}

fn code(m: &mx::Mutualis, a: mx::AssetId) -> String {
    m.asset_code(a).to_owned()
}

fn item(m: &mx::Mutualis, i: &mf::FurnitureItem) -> Result<FurnitureItem, MutualisError> {
    let (service_tenant, service) = match i.service {
        Some(s) => {
            let (t, c) = m.service_codes(s);
            (Some(t.to_owned()), Some(c.to_owned()))
        }
        None => (None, None),
    };
    Ok(FurnitureItem {
        asset: code(m, i.asset),
        number: i.number.clone(),
        category: i.category.clone(),
        service_tenant,
        service,
        purchase_date: i.purchase_date,
        purchase_value: i.purchase_value,
        condition: i.condition.try_into()?,
        status: i.status.try_into()?,
        status_since: i.status_since,
        reform_outcome: match &i.reform {
            Some(r) => Some(r.outcome.try_into()?),
            None => None,
        },
        reform_price: i.reform.as_ref().and_then(|r| r.price),
        reform_recipient: i.reform.as_ref().and_then(|r| r.recipient.clone()),
        location: code(m, i.location),
        first_location: code(m, i.first_location),
        lent_to: i.loan.map(|l| m.tenant_code(l.borrower).to_owned()),
    })
}

fn report(m: &mx::Mutualis, r: &mf::CampaignReport) -> Result<CampaignReport, MutualisError> {
    let opt = |a: Option<mx::AssetId>| a.map(|a| code(m, a));
    Ok(CampaignReport {
        campaign: r.campaign.clone(),
        scope: code(m, r.scope),
        opened: r.opened,
        closed: r.closed,
        rooms: r
            .rooms
            .iter()
            .map(|x| RoomCount {
                room: code(m, x.room),
                expected: x.expected,
                found: x.found,
                missing: x.missing,
                misplaced: x.misplaced,
                unexpected: x.unexpected,
            })
            .collect(),
        lines: r
            .lines
            .iter()
            .map(|l| {
                Ok(CampaignLine {
                    number: l.number.clone(),
                    asset: opt(l.item),
                    finding: l.finding.try_into()?,
                    expected_room: opt(l.expected_room),
                    found_room: opt(l.found_room),
                    scanned: l.scanned,
                })
            })
            .collect::<Result<_, MutualisError>>()?,
        expected: r.expected,
        found: r.found,
        missing: r.missing,
        misplaced: r.misplaced,
        unexpected: r.unexpected,
    })
}

#[uniffi::export]
impl Mutualis {
    // -- Mobilier (furniture) -------------------------------------------------

    /// Registers an existing asset of kind furniture in the inventory.
    /// Throws `NotFurniture`, `DuplicateInventoryNumber`, `NotALocation`,
    /// `InvalidField`, `UnknownAsset`, `UnknownService`, `NegativeAmount`.
    pub fn register_furniture(&self, item: NewFurniture) -> Result<(), MutualisError> {
        let mut f =
            mf::NewFurniture::new(&item.asset, &item.number, &item.category, &item.location);
        match (item.service_tenant, item.service) {
            (Some(t), Some(s)) => f = f.assigned_to(&t, &s),
            (None, None) => {}
            _ => {
                return Err(mx::Error::InvalidField {
                    field: "service",
                    reason: "serviceTenant and service go together".into(),
                }
                .into())
            }
        }
        f.purchase_date = item.purchase_date;
        f.purchase_value = item.purchase_value;
        if let Some(c) = item.condition {
            f.condition = c.into();
        }
        if let Some(s) = item.status {
            f.status = s.into();
        }
        self.write(|m| m.register_furniture(f))
    }

    /// Moves an item within its owner's (or borrower's) premises. Throws
    /// `UnknownInventoryNumber`, `NotALocation`, `ItemReformed`,
    /// `CrossTenantMove`, `InvalidField`.
    pub fn move_furniture(
        &self,
        number: String,
        to: String,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.move_furniture(&number, &to, date))
    }

    /// Moves an item to another collectivité's premises, its ownership
    /// transferred from `date`. Throws as `moveFurniture`, `TransferRefused`.
    pub fn transfer_furniture(
        &self,
        number: String,
        to: String,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.transfer_furniture(&number, &to, date))
    }

    /// Lends an item to the collectivité holding `to` from `from`.
    #[uniffi::method(default(until = None))]
    pub fn lend_furniture(
        &self,
        number: String,
        to: String,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.lend_furniture(&number, &to, from, until))
    }

    /// Returns a lent item to its owner's premises on `date`.
    pub fn return_furniture(
        &self,
        number: String,
        to: String,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.return_furniture(&number, &to, date))
    }

    /// Sets an item's status (in use, in store) from `since`.
    pub fn set_furniture_status(
        &self,
        number: String,
        status: FurnitureStatus,
        since: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_furniture_status(&number, status.into(), since))
    }

    /// Records an item's condition from `date`.
    pub fn set_furniture_condition(
        &self,
        number: String,
        condition: FurnitureCondition,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_furniture_condition(&number, condition.into(), date))
    }

    /// Reforms an item: sold (with `price`), given (with `recipient`) or
    /// destroyed. Throws `ItemReformed`, `ReformBeforePurchase`,
    /// `InvalidField`, `NegativeAmount`.
    #[uniffi::method(default(price = None, recipient = None))]
    pub fn reform_furniture(
        &self,
        number: String,
        date: NaiveDate,
        outcome: ReformOutcome,
        price: Option<Decimal>,
        recipient: Option<String>,
    ) -> Result<(), MutualisError> {
        let r = mf::Reform {
            date,
            outcome: outcome.into(),
            price,
            recipient,
        };
        self.write(|m| m.reform_furniture(&number, r))
    }

    /// Opens an inventory campaign on a building or site. Throws
    /// `DuplicateCampaign`, `NotALocation`, `InvalidCode`.
    pub fn open_campaign(
        &self,
        code: String,
        scope: String,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.open_campaign(&code, &scope, date))
    }

    /// Records a scan of an inventory number (known or not) in `room`.
    /// Throws `UnknownCampaign`, `CampaignClosed`, `OutsideCampaign`,
    /// `NotALocation`, `DatesOutOfOrder`.
    pub fn record_scan(
        &self,
        campaign: String,
        number: String,
        room: String,
        date: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_scan(&campaign, &number, &room, date))
    }

    /// Closes a campaign; with `apply`, the misplaced items are moved to
    /// where they were found. Throws `CampaignClosed`, `DatesOutOfOrder`.
    #[uniffi::method(default(apply = false))]
    pub fn close_campaign(
        &self,
        campaign: String,
        date: NaiveDate,
        apply: bool,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.close_campaign(&campaign, date, apply))
    }

    /// The furniture register.
    pub fn furniture(&self) -> Result<Vec<FurnitureItem>, MutualisError> {
        self.view(|m, r| r.furniture().into_iter().map(|i| item(m, i)).collect())
    }

    /// One item, by inventory number. Throws `UnknownInventoryNumber`.
    pub fn furniture_item(&self, number: String) -> Result<FurnitureItem, MutualisError> {
        self.view(|m, r| item(m, r.furniture_item(&number)?))
    }

    /// An item's moves, oldest first.
    pub fn furniture_moves(&self, number: String) -> Result<Vec<FurnitureMove>, MutualisError> {
        self.view(|m, r| {
            r.furniture_moves(&number)?
                .iter()
                .map(|x| {
                    Ok(FurnitureMove {
                        date: x.date,
                        from: code(m, x.from),
                        to: code(m, x.to),
                        kind: x.kind.try_into()?,
                    })
                })
                .collect()
        })
    }

    /// Every loan of furniture, item by item.
    pub fn furniture_loans(&self) -> Result<Vec<FurnitureLoan>, MutualisError> {
        self.view(|m, r| {
            Ok(r.furniture_loans()
                .into_iter()
                .map(|l| FurnitureLoan {
                    asset: code(m, l.item),
                    borrower: m.tenant_code(l.borrower).to_owned(),
                    from: l.from,
                    until: l.until,
                    returned: l.returned,
                })
                .collect())
        })
    }

    /// The items in a location (or under it) on `date`, not reformed.
    pub fn furniture_in(
        &self,
        location: String,
        date: NaiveDate,
    ) -> Result<Vec<FurnitureItem>, MutualisError> {
        self.view(|m, r| {
            r.furniture_in(&location, date)?
                .into_iter()
                .map(|i| item(m, i))
                .collect()
        })
    }

    /// The inventory campaigns, in the order opened.
    pub fn campaigns(&self) -> Result<Vec<Campaign>, MutualisError> {
        self.view(|m, r| {
            Ok(r.campaigns()
                .into_iter()
                .map(|c| Campaign {
                    code: c.code.clone(),
                    scope: code(m, c.scope),
                    opened: c.opened,
                    closed: c.closed,
                    applied: c.applied,
                })
                .collect())
        })
    }

    /// A campaign's report. Throws `UnknownCampaign`.
    pub fn campaign_report(&self, campaign: String) -> Result<CampaignReport, MutualisError> {
        self.view(|m, r| report(m, &r.campaign_report(&campaign)?))
    }
}
