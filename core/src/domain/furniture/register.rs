//! The register: furniture items on top of assets, their inventory numbers,
//! status, condition and reform.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    is_location, not_a_location, Condition, FurnitureEvent, FurnitureItem, FurnitureLoan,
    FurnitureMove, FurnitureStatus, FurnitureUndo, NewFurniture, Reform, ReformOutcome,
};
use crate::assets::AssetKind;
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::Mutualis;

/// The longest inventory number accepted.
pub const MAX_INVENTORY_NUMBER_LEN: usize = 32;

/// Validates an inventory number (the text of an item's label or QR code):
/// 1 to 32 characters among `A-Z 0-9 - / .`, starting and ending with a
/// letter or digit; letters are upper-cased and surrounding spaces trimmed
/// (a scanner may give either case). Returns it normalised. The library
/// fixes no further structure: a collectivité's own scheme (e.g.
/// `ROANNE-MOB-2026-000042`) is data.
///
/// ```
/// use mutualis::furniture::check_inventory_number;
/// assert_eq!(check_inventory_number(" roanne-mob-000042 ").unwrap(), "ROANNE-MOB-000042");
/// assert!(check_inventory_number("").is_err());
/// assert!(check_inventory_number("MOB 42").is_err()); // no inner space
/// assert!(check_inventory_number("-42").is_err());
/// ```
///
/// Errors: [`Error::InvalidField`] (field `inventory_number`).
pub fn check_inventory_number(value: &str) -> Result<String> {
    let bad = |reason: &str| Error::InvalidField {
        field: "inventory_number",
        reason: format!("{value:?}: {reason}"),
    };
    let v = value.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Err(bad("cannot be blank"));
    }
    if v.len() > MAX_INVENTORY_NUMBER_LEN {
        return Err(bad("has at most 32 characters"));
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.'))
    {
        return Err(bad("only letters, digits and - / . are allowed"));
    }
    let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !edge(v.bytes().next()) || !edge(v.bytes().last()) {
        return Err(bad("starts and ends with a letter or a digit"));
    }
    Ok(v)
}

/// [`Error::NotFurniture`].
pub(super) fn not_furniture(asset: &str, reason: impl Into<String>) -> Error {
    Error::NotFurniture {
        asset: asset.to_owned(),
        reason: reason.into(),
    }
}

/// Checks a purchase value or sale price: whole cents, not negative.
pub(super) fn check_value(field: &'static str, value: Decimal) -> Result<()> {
    crate::money::to_cents(value)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::NegativeAmount {
            field,
            amount: value,
        });
    }
    Ok(())
}

impl Mutualis {
    /// The register position of the item with inventory number `number`
    /// (normalised first).
    pub(crate) fn furniture_index(&self, number: &str) -> Result<usize> {
        let n = check_inventory_number(number)
            .map_err(|_| Error::UnknownInventoryNumber(number.to_owned()))?;
        self.furniture
            .by_number
            .get(&n)
            .copied()
            .ok_or(Error::UnknownInventoryNumber(n))
    }

    /// The register position of the item of asset `a`, if registered.
    pub(crate) fn furniture_at(&self, a: AssetId) -> Option<usize> {
        self.furniture.by_asset.get(&a).copied()
    }

    pub(super) fn furniture_undo(&mut self, u: FurnitureUndo) {
        self.push_undo(crate::undo::Undo::Furniture(u));
    }

    /// Saves an item's record before an in-place change (checkpoint open).
    pub(super) fn save_item(&mut self, at: usize) {
        if self.undo.is_some() {
            if let Some(i) = self.furniture.items.get(at) {
                let old = Box::new(i.clone());
                self.furniture_undo(FurnitureUndo::Item { at, old });
            }
        }
    }

    pub(super) fn furniture_log(&mut self, a: AssetId, e: FurnitureEvent) {
        let owner = self.owner_code(a);
        self.log(owner, e);
    }

    /// [`Error::ItemReformed`] if the item is reformed.
    pub(super) fn check_not_reformed(&self, at: usize) -> Result<()> {
        let i = &self.furniture.items[at];
        match &i.reform {
            Some(r) => Err(Error::ItemReformed {
                number: i.number.clone(),
                date: r.date,
            }),
            None => Ok(()),
        }
    }

    /// Moves asset `a` under `parent` in the tree (undoable; the lines on
    /// it re-allocated), without journalling.
    pub(super) fn place_in_tree(&mut self, a: AssetId, parent: AssetId) {
        let old = self.assets()[a.index()].parent;
        if old == Some(parent) {
            return;
        }
        self.push_undo(crate::undo::Undo::Parent {
            asset: a,
            parent: old,
        });
        self.patrimoine.move_in_tree(a, Some(parent));
        self.reallocate_subtree(a, None);
    }

    /// Registers an existing asset of kind furniture in the inventory,
    /// located in `location` from the asset's commissioning (the asset is
    /// placed under it in the tree).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotFurniture`] (not of kind furniture, already registered),
    /// [`Error::InvalidField`] (a malformed inventory number, a blank
    /// category, a status reformed), [`Error::DuplicateInventoryNumber`],
    /// [`Error::NotALocation`] (the location is not a room, floor, building
    /// or site), [`Error::AssetCycle`], [`Error::UnknownTenant`],
    /// [`Error::UnknownService`], [`Error::YearOutOfRange`],
    /// [`Error::SubCentAmount`], [`Error::NegativeAmount`].
    pub fn register_furniture(&mut self, spec: NewFurniture) -> Result<()> {
        let a = self.asset_id(&spec.asset)?;
        let asset = &self.assets()[a.index()];
        if asset.kind != AssetKind::Furniture {
            return Err(not_furniture(
                &spec.asset,
                format!("is of kind {}, not furniture", asset.kind),
            ));
        }
        if self.furniture.by_asset.contains_key(&a) {
            return Err(not_furniture(
                &spec.asset,
                "is already in the furniture register",
            ));
        }
        let number = check_inventory_number(&spec.number)?;
        if let Some(&other) = self.furniture.by_number.get(&number) {
            return Err(Error::DuplicateInventoryNumber {
                number,
                asset: self
                    .asset_code(self.furniture.items[other].asset)
                    .to_owned(),
            });
        }
        crate::identity::check_name("category", &spec.category)?;
        let loc = self.asset_id(&spec.location)?;
        let kind = self.assets()[loc.index()].kind;
        if !is_location(kind) {
            return Err(not_a_location(
                &spec.location,
                kind,
                "a room, floor, building or site",
            ));
        }
        if self.ancestors_and_self(loc).any(|x| x == a) {
            return Err(Error::AssetCycle {
                asset: spec.asset.clone(),
                parent: spec.location.clone(),
            });
        }
        if spec.status == FurnitureStatus::Reformed {
            return Err(Error::InvalidField {
                field: "status",
                reason: "an item is registered in use or in store; reform it afterwards".into(),
            });
        }
        if let Some(d) = spec.purchase_date {
            crate::period::check_date("purchase_date", d)?;
        }
        if let Some(v) = spec.purchase_value {
            check_value("purchase_value", v)?;
        }
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&s.tenant, &s.service)?),
            None => None,
        };
        let at = self.furniture.items.len();
        self.furniture.by_asset.insert(a, at);
        self.furniture.by_number.insert(number.clone(), at);
        self.furniture.items.push(FurnitureItem {
            asset: a,
            number: number.clone(),
            category: spec.category.clone(),
            service,
            purchase_date: spec.purchase_date,
            purchase_value: spec.purchase_value,
            condition: spec.condition,
            status: spec.status,
            status_since: None,
            reform: None,
            first_location: loc,
            location: loc,
            loan: None,
        });
        self.furniture.moves.push(Vec::new());
        self.furniture.statuses.push(Vec::new());
        self.furniture.conditions.push(Vec::new());
        self.furniture.initial.push((spec.status, spec.condition));
        self.furniture.loans.push(Vec::new());
        self.furniture_undo(FurnitureUndo::Registered);
        self.place_in_tree(a, loc);
        let mut spec = spec;
        spec.number = number;
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureRegistered {
                furniture: spec.into(),
            },
        );
        Ok(())
    }

    /// The last date of an item's history (moves, status and condition
    /// changes), if any: later changes are dated on or after it.
    pub(super) fn item_last_date(&self, at: usize) -> Option<NaiveDate> {
        let f = &self.furniture;
        [
            f.moves[at].last().map(|m| m.date),
            f.statuses[at].last().map(|s| s.0),
            f.conditions[at].last().map(|c| c.0),
        ]
        .into_iter()
        .flatten()
        .max()
    }

    /// Refuses a change of item `at` dated before its last change or
    /// outside its asset's life.
    pub(super) fn check_item_date(
        &self,
        at: usize,
        field: &'static str,
        date: NaiveDate,
    ) -> Result<()> {
        crate::period::check_date(field, date)?;
        let i = &self.furniture.items[at];
        self.check_in_service(i.asset, date)?;
        if let Some(last) = self.item_last_date(at) {
            if date < last {
                return Err(Error::InvalidField {
                    field,
                    reason: format!(
                        "{date} is before the last change of {} on {last} (history is kept in date order)",
                        i.number
                    ),
                });
            }
        }
        Ok(())
    }

    /// Sets an item's status (in use, in store) from a date.
    ///
    /// Errors (nothing changes): [`Error::UnknownInventoryNumber`],
    /// [`Error::ItemReformed`], [`Error::InvalidField`] (status reformed:
    /// use [`Mutualis::reform_furniture`]; a date before the item's last
    /// change), [`Error::OutsideAssetLife`], [`Error::YearOutOfRange`].
    pub fn set_furniture_status(
        &mut self,
        number: &str,
        status: FurnitureStatus,
        since: NaiveDate,
    ) -> Result<()> {
        let at = self.furniture_index(number)?;
        self.check_not_reformed(at)?;
        if status == FurnitureStatus::Reformed {
            return Err(Error::InvalidField {
                field: "status",
                reason: "a reform has a date and an outcome: use reform_furniture".into(),
            });
        }
        self.check_item_date(at, "since", since)?;
        self.save_item(at);
        let i = &mut self.furniture.items[at];
        i.status = status;
        i.status_since = Some(since);
        let (a, number) = (i.asset, i.number.clone());
        self.furniture.statuses[at].push((since, status));
        self.furniture_undo(FurnitureUndo::Status { at });
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureStatusSet {
                number,
                status,
                since,
            },
        );
        Ok(())
    }

    /// Records an item's condition from a date.
    ///
    /// Errors (nothing changes): [`Error::UnknownInventoryNumber`],
    /// [`Error::ItemReformed`], [`Error::InvalidField`] (a date before the
    /// item's last change), [`Error::OutsideAssetLife`],
    /// [`Error::YearOutOfRange`].
    pub fn set_furniture_condition(
        &mut self,
        number: &str,
        condition: Condition,
        date: NaiveDate,
    ) -> Result<()> {
        let at = self.furniture_index(number)?;
        self.check_not_reformed(at)?;
        self.check_item_date(at, "date", date)?;
        self.save_item(at);
        let i = &mut self.furniture.items[at];
        i.condition = condition;
        let (a, number) = (i.asset, i.number.clone());
        self.furniture.conditions[at].push((date, condition));
        self.furniture_undo(FurnitureUndo::Condition { at });
        self.furniture_log(
            a,
            FurnitureEvent::FurnitureConditionSet {
                number,
                condition,
                date,
            },
        );
        Ok(())
    }

    /// Reforms an item: from the reform's date it leaves the inventory
    /// (no longer expected by campaigns, no longer moved); sold at a price,
    /// given to someone, or destroyed. The asset itself stays (decommission
    /// it separately if wanted).
    ///
    /// Errors (nothing changes): [`Error::UnknownInventoryNumber`],
    /// [`Error::ItemReformed`] (already), [`Error::ReformBeforePurchase`],
    /// [`Error::InvalidField`] (a sale without price, a gift without
    /// recipient, a price or recipient for another outcome, an item on
    /// loan, a date before its last change), [`Error::NegativeAmount`],
    /// [`Error::SubCentAmount`], [`Error::OutsideAssetLife`],
    /// [`Error::YearOutOfRange`].
    pub fn reform_furniture(&mut self, number: &str, reform: Reform) -> Result<()> {
        let at = self.furniture_index(number)?;
        self.check_not_reformed(at)?;
        let i = &self.furniture.items[at];
        if let Some(p) = i.purchase_date {
            if reform.date < p {
                return Err(Error::ReformBeforePurchase {
                    number: i.number.clone(),
                    date: reform.date,
                    purchase: p,
                });
            }
        }
        if let Some(l) = i.loan {
            let borrower = l.borrower;
            return Err(Error::InvalidField {
                field: "reform",
                reason: format!(
                    "{} is on loan to {}: return it first",
                    i.number,
                    self.tenant_code(borrower)
                ),
            });
        }
        let bad = |reason: &str| Error::InvalidField {
            field: "reform",
            reason: reason.to_owned(),
        };
        match reform.outcome {
            ReformOutcome::Sold => match reform.price {
                Some(p) => check_value("price", p)?,
                None => return Err(bad("a sale has a price")),
            },
            _ if reform.price.is_some() => return Err(bad("only a sale has a price")),
            _ => {}
        }
        match (reform.outcome, &reform.recipient) {
            (ReformOutcome::Given, Some(r)) => crate::identity::check_name("recipient", r)?,
            (ReformOutcome::Given, None) => return Err(bad("a gift has a recipient")),
            (_, Some(_)) => return Err(bad("only a gift has a recipient")),
            _ => {}
        }
        self.check_item_date(at, "date", reform.date)?;
        self.save_item(at);
        let i = &mut self.furniture.items[at];
        i.status = FurnitureStatus::Reformed;
        i.status_since = Some(reform.date);
        i.reform = Some(reform.clone());
        let (a, number) = (i.asset, i.number.clone());
        self.furniture.statuses[at].push((reform.date, FurnitureStatus::Reformed));
        self.furniture_undo(FurnitureUndo::Status { at });
        self.furniture_log(a, FurnitureEvent::FurnitureReformed { number, reform });
        Ok(())
    }

    /// The registered furniture items, in registration order.
    #[must_use]
    pub fn furniture(&self) -> &[FurnitureItem] {
        &self.furniture.items
    }

    /// The item with this inventory number (either case).
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_item(&self, number: &str) -> Result<&FurnitureItem> {
        Ok(&self.furniture.items[self.furniture_index(number)?])
    }

    /// The item registered on an asset.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotFurniture`].
    pub fn furniture_of_asset(&self, asset: &str) -> Result<&FurnitureItem> {
        let a = self.asset_id(asset)?;
        self.furniture_at(a)
            .map(|at| &self.furniture.items[at])
            .ok_or_else(|| not_furniture(asset, "is not in the furniture register"))
    }

    /// An item's moves, oldest first (its location before the first is
    /// [`FurnitureItem::first_location`]).
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_moves(&self, number: &str) -> Result<&[FurnitureMove]> {
        Ok(&self.furniture.moves[self.furniture_index(number)?])
    }

    /// An item's status changes after registration, oldest first.
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_status_history(
        &self,
        number: &str,
    ) -> Result<&[(NaiveDate, FurnitureStatus)]> {
        Ok(&self.furniture.statuses[self.furniture_index(number)?])
    }

    /// An item's condition changes after registration, oldest first.
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_condition_history(&self, number: &str) -> Result<&[(NaiveDate, Condition)]> {
        Ok(&self.furniture.conditions[self.furniture_index(number)?])
    }

    /// Every loan of furniture, item by item (register order), each
    /// item's in date order.
    #[must_use]
    pub fn furniture_loans(&self) -> Vec<&FurnitureLoan> {
        self.furniture.loans.iter().flatten().collect()
    }

    /// An item's loans, in date order.
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_loans_of(&self, number: &str) -> Result<&[FurnitureLoan]> {
        Ok(&self.furniture.loans[self.furniture_index(number)?])
    }

    /// Where an item was on `date` (`None` before its asset's commissioning).
    ///
    /// Errors: [`Error::UnknownInventoryNumber`].
    pub fn furniture_location_on(&self, number: &str, date: NaiveDate) -> Result<Option<AssetId>> {
        let at = self.furniture_index(number)?;
        let i = &self.furniture.items[at];
        if date < self.assets()[i.asset.index()].commissioned {
            return Ok(None);
        }
        Ok(self.furniture.location_on(at, date))
    }

    /// The items located in `location` or under it on `date`, not reformed
    /// on that date and in service (register order).
    ///
    /// Errors: [`Error::UnknownAsset`].
    pub fn furniture_in(&self, location: &str, date: NaiveDate) -> Result<Vec<&FurnitureItem>> {
        let root = self.asset_id(location)?;
        let inside = self.subtree_set(root);
        Ok(self
            .expected_on(&inside, date)
            .map(|(at, _)| &self.furniture.items[at])
            .collect())
    }

    /// The set of an asset's subtree (its size, not the registry's).
    pub(super) fn subtree_set(&self, root: AssetId) -> std::collections::HashSet<AssetId> {
        self.subtree_ids(root).into_iter().collect()
    }

    /// The items in service, not reformed on `date`, located in `inside`
    /// on `date`, with their location.
    pub(super) fn expected_on<'s>(
        &'s self,
        inside: &'s std::collections::HashSet<AssetId>,
        date: NaiveDate,
    ) -> impl Iterator<Item = (usize, AssetId)> + 's {
        self.furniture
            .items
            .iter()
            .enumerate()
            .filter(move |(_, i)| {
                self.assets()[i.asset.index()].in_service(date)
                    && i.reform.as_ref().is_none_or(|r| r.date > date)
            })
            .filter_map(move |(at, _)| {
                let loc = self.furniture.location_on(at, date)?;
                inside.contains(&loc).then_some((at, loc))
            })
    }
}
