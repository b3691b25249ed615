//! Moves: between rooms, and between collectivités as a transfer of
//! ownership or a loan (explicitly chosen), with their dated history.

use chrono::NaiveDate;

use super::{
    is_location, not_a_location, FurnitureEvent, FurnitureLoan, FurnitureMove, FurnitureUndo,
    MoveKind,
};
use crate::error::{Error, Result};
use crate::ids::{AssetId, TenantId};
use crate::Mutualis;

impl Mutualis {
    /// The checks every move shares: the item not reformed, the location a
    /// location in service that is not the item itself (or under it) nor
    /// where it already is, the date not before the item's last change.
    fn check_move(&self, at: usize, to: &str, date: NaiveDate) -> Result<AssetId> {
        self.check_not_reformed(at)?;
        let loc = self.asset_id(to)?;
        let kind = self.assets()[loc.index()].kind;
        if !is_location(kind) {
            return Err(not_a_location(to, kind, "a room, floor, building or site"));
        }
        let i = &self.furniture.items[at];
        if self.ancestors_and_self(loc).any(|x| x == i.asset) {
            return Err(Error::AssetCycle {
                asset: self.asset_code(i.asset).to_owned(),
                parent: to.to_owned(),
            });
        }
        if loc == i.location {
            return Err(Error::InvalidField {
                field: "location",
                reason: format!("{} is already in {to}", i.number),
            });
        }
        self.check_item_date(at, "date", date)?;
        self.check_in_service(loc, date)?;
        Ok(loc)
    }

    /// True when `tenant` owns or holds (custody) location `loc` on `date`.
    fn premises_of(&self, loc: AssetId, tenant: TenantId, date: NaiveDate) -> bool {
        self.owner_at(loc, date) == tenant
            || self.holder_of(loc, date).is_ok_and(|h| h.tenant == tenant)
    }

    /// The tenant whose premises item `at` may move within on `date`: its
    /// borrower while lent, else its owner.
    fn custodian(&self, at: usize, date: NaiveDate) -> TenantId {
        let i = &self.furniture.items[at];
        match i.loan {
            Some(l) => l.borrower,
            None => self.owner_at(i.asset, date),
        }
    }

    fn cross(&self, at: usize, to: &str, reason: String) -> Error {
        Error::CrossTenantMove {
            number: self.furniture.items[at].number.clone(),
            location: to.to_owned(),
            reason,
        }
    }

    /// Records the move of item `at` to `loc` (checked), moving its asset in
    /// the tree.
    fn push_move(&mut self, at: usize, loc: AssetId, date: NaiveDate, kind: MoveKind) {
        self.save_item(at);
        let i = &mut self.furniture.items[at];
        let from = i.location;
        i.location = loc;
        let a = i.asset;
        self.furniture.moves[at].push(FurnitureMove {
            date,
            from,
            to: loc,
            kind,
        });
        self.furniture_undo(FurnitureUndo::Moved { at });
        self.place_in_tree(a, loc);
    }

    /// The checks of a plain move (or an inventory correction) of item `at`.
    pub(super) fn check_plain_move(&self, at: usize, to: &str, date: NaiveDate) -> Result<AssetId> {
        let loc = self.check_move(at, to, date)?;
        let keeper = self.custodian(at, date);
        if !self.premises_of(loc, keeper, date) {
            return Err(self.cross(
                at,
                to,
                format!(
                    "{to} is {}'s on {date}, not {}'s: record a transfer of ownership or a loan",
                    self.tenant_code(self.owner_at(loc, date)),
                    self.tenant_code(keeper)
                ),
            ));
        }
        Ok(loc)
    }

    /// Moves an item within its owner's premises (or, while lent, its
    /// borrower's) from `date`: a room, floor, building or site owned or
    /// held (custody) by that tenant.
    ///
    /// Errors (nothing changes): [`Error::UnknownInventoryNumber`],
    /// [`Error::UnknownAsset`], [`Error::NotALocation`] (a move to a
    /// non-room asset), [`Error::ItemReformed`], [`Error::CrossTenantMove`]
    /// (another collectivité's premises: transfer or lend instead),
    /// [`Error::InvalidField`] (already there, a date before the item's
    /// last change), [`Error::AssetCycle`], [`Error::OutsideAssetLife`],
    /// [`Error::YearOutOfRange`].
    pub fn move_furniture(&mut self, number: &str, to: &str, date: NaiveDate) -> Result<()> {
        let at = self.furniture_index(number)?;
        let loc = self.check_plain_move(at, to, date)?;
        self.push_move(at, loc, date, MoveKind::Move);
        let i = &self.furniture.items[at];
        let (a, number) = (i.asset, i.number.clone());
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureMoved {
                number,
                to: to.to_owned(),
                date,
            },
        );
        Ok(())
    }

    /// Moves an item (found misplaced by a campaign) within its keeper's
    /// premises, as the campaign's correction (not journalled: the
    /// campaign's closing is).
    pub(super) fn inventory_move(&mut self, at: usize, loc: AssetId, date: NaiveDate) {
        self.push_move(at, loc, date, MoveKind::Inventory);
    }

    /// Moves an item to another collectivité's premises and transfers its
    /// ownership to that collectivité from `date` (the ownership transfer
    /// of [`Mutualis::transfer_ownership`]: payers follow from that date).
    ///
    /// Errors (nothing changes): as [`Mutualis::move_furniture`];
    /// [`Error::CrossTenantMove`] (the location is the owner's own, or the
    /// item is on loan), [`Error::TransferRefused`],
    /// [`Error::CustodyToOwner`].
    pub fn transfer_furniture(&mut self, number: &str, to: &str, date: NaiveDate) -> Result<()> {
        let at = self.furniture_index(number)?;
        let loc = self.check_move(at, to, date)?;
        let i = &self.furniture.items[at];
        let a = i.asset;
        if i.loan.is_some() {
            return Err(self.cross(at, to, "the item is on loan: return it first".into()));
        }
        let owner = self.owner_at(a, date);
        let new_owner = self.owner_at(loc, date);
        if new_owner == owner {
            return Err(self.cross(
                at,
                to,
                format!(
                    "{to} is {}'s own: a plain move, not a transfer",
                    self.tenant_code(owner)
                ),
            ));
        }
        let asset = self.asset_code(a).to_owned();
        let tenant = self.tenant_code(new_owner).to_owned();
        // the asset module's transfer (validated before anything changes),
        // journalled as this event only
        self.muted(|m| m.transfer_ownership(&asset, &tenant, date))?;
        self.push_move(at, loc, date, MoveKind::Transfer);
        let number = self.furniture.items[at].number.clone();
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureTransferred {
                number,
                to: to.to_owned(),
                date,
            },
        );
        Ok(())
    }

    /// Restores a transfer move of a dataset: the ownership transfer is in
    /// the dataset's own section, so only the move is checked (the item's
    /// owner on `date` owns the location) and recorded.
    pub(super) fn restore_transfer_move(
        &mut self,
        number: &str,
        to: &str,
        date: NaiveDate,
    ) -> Result<()> {
        let at = self.furniture_index(number)?;
        let loc = self.check_move(at, to, date)?;
        let a = self.furniture.items[at].asset;
        if self.owner_at(a, date) != self.owner_at(loc, date) {
            return Err(self.cross(
                at,
                to,
                "a transfer's location belongs to the item's new owner".into(),
            ));
        }
        self.push_move(at, loc, date, MoveKind::Transfer);
        Ok(())
    }

    /// Lends an item to the collectivité that holds location `to` from
    /// `from` (its owner unchanged), to be returned by `until` (last day,
    /// if agreed).
    ///
    /// Errors (nothing changes): as [`Mutualis::move_furniture`];
    /// [`Error::CrossTenantMove`] (the location is the owner's own, or the
    /// item is already on loan), [`Error::DatesOutOfOrder`] (`until` before
    /// `from`).
    pub fn lend_furniture(
        &mut self,
        number: &str,
        to: &str,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) -> Result<()> {
        let at = self.furniture_index(number)?;
        let loc = self.check_move(at, to, from)?;
        let i = &self.furniture.items[at];
        let a = i.asset;
        if let Some(l) = i.loan {
            let b = l.borrower;
            return Err(self.cross(
                at,
                to,
                format!("the item is already on loan to {}", self.tenant_code(b)),
            ));
        }
        if let Some(u) = until {
            crate::period::check_date("until", u)?;
            if u < from {
                return Err(Error::DatesOutOfOrder { from, to: u });
            }
        }
        let owner = self.owner_at(a, from);
        let borrower = self.holder_of(loc, from)?.tenant;
        if self.premises_of(loc, owner, from) {
            return Err(self.cross(
                at,
                to,
                format!(
                    "{to} is {}'s own premises: a plain move, not a loan",
                    self.tenant_code(owner)
                ),
            ));
        }
        self.push_move(at, loc, from, MoveKind::Loan);
        let loan = FurnitureLoan {
            item: a,
            borrower,
            from,
            until,
            returned: None,
        };
        self.furniture.loans[at].push(loan);
        self.furniture_undo(FurnitureUndo::LoanAdded { at });
        self.furniture.items[at].loan = Some(loan);
        let number = self.furniture.items[at].number.clone();
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureLent {
                number,
                to: to.to_owned(),
                from,
                until,
            },
        );
        Ok(())
    }

    /// Returns a lent item to its owner's premises (`to`) on `date` (its
    /// first day back): the loan ends.
    ///
    /// Errors (nothing changes): as [`Mutualis::move_furniture`];
    /// [`Error::InvalidField`] (not on loan), [`Error::CrossTenantMove`]
    /// (the location is not the owner's).
    pub fn return_furniture(&mut self, number: &str, to: &str, date: NaiveDate) -> Result<()> {
        let at = self.furniture_index(number)?;
        let loc = self.check_move(at, to, date)?;
        let i = &self.furniture.items[at];
        let a = i.asset;
        if i.loan.is_none() {
            return Err(Error::InvalidField {
                field: "loan",
                reason: format!("{} is not on loan", i.number),
            });
        }
        let owner = self.owner_at(a, date);
        if !self.premises_of(loc, owner, date) {
            return Err(self.cross(
                at,
                to,
                format!("a return goes to {}'s premises", self.tenant_code(owner)),
            ));
        }
        self.push_move(at, loc, date, MoveKind::Return);
        if let Some(l) = self.furniture.loans[at].last_mut() {
            let old = *l;
            l.returned = Some(date);
            self.furniture_undo(FurnitureUndo::Loan { at, old });
        }
        self.furniture.items[at].loan = None;
        let number = self.furniture.items[at].number.clone();
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureReturned {
                number,
                to: to.to_owned(),
                date,
            },
        );
        Ok(())
    }
}
