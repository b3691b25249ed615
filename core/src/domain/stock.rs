//! Stores (magasins) and stock valued at CMUP (coût moyen unitaire pondéré),
//! DOMAIN §5.
//!
//! - Receipt: new CMUP = (q × CMUP + q_in × price) / (q + q_in), kept at 4
//!   decimals (half away from zero).
//! - Issue: valued at the current CMUP, the line rounded to the cent; an issue
//!   larger than the quantity on hand is refused ([`Error::InsufficientStock`])
//!   and changes nothing. Issues happen through material cost lines
//!   ([`Mutualis::record_cost`]) or, outside a work order, through
//!   [`Mutualis::issue_stock`] (to an agent or a service, a loss, an
//!   inventory adjustment), which keeps its own history
//!   ([`Mutualis::stock_issues`]).
//! - Rounding bound: over any sequence, Σ receipts (q_in × price) and
//!   Σ issue values + remaining value (q × CMUP, to the cent) differ by at most
//!   0.00005 € × the quantity on hand after each receipt, plus 0.005 € per
//!   issue, plus 0.005 € for the remaining value.
//!
//! ```
//! use mutualis::{Mutualis, NewItem, NewTenant};
//! use rust_decimal::Decimal;
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_store("MAG-ROANNE", "ROANNE", "Magasin central").unwrap();
//! m.add_item(NewItem::new("PEINTURE-15L", "Peinture acrylique 15 L", "pot")).unwrap();
//! let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
//! m.receive_stock("MAG-ROANNE", "PEINTURE-15L", d, Decimal::from(10), "14.00".parse().unwrap()).unwrap();
//! let level = m.receive_stock("MAG-ROANNE", "PEINTURE-15L", d, Decimal::from(30), "14.316".parse().unwrap()).unwrap();
//! assert_eq!(level.cmup.to_string(), "14.2370");
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::assets::ServiceRef;
use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{ItemId, ServiceId, StoreId};
use crate::kinds::named_enum;
use crate::money::round_cents;
use crate::Mutualis;

pub mod events;
pub use events::StockEvent;

/// Decimal places of a CMUP.
pub const CMUP_DECIMALS: u32 = 4;

/// A store of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    /// Dense id.
    pub id: StoreId,
    /// Human code, unique.
    pub code: String,
    /// The tenant that owns the stock.
    pub tenant: crate::TenantId,
    /// Name.
    pub name: String,
}

/// An item of the stock catalogue (shared by all stores).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Dense id.
    pub id: ItemId,
    /// Human code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit of quantity ("pot", "kg", "m").
    pub unit: String,
}

/// What is needed to create a catalogue item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// Human code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit of quantity.
    pub unit: String,
}

impl NewItem {
    /// A catalogue item.
    #[must_use]
    pub fn new(code: &str, name: &str, unit: &str) -> NewItem {
        NewItem {
            code: code.into(),
            name: name.into(),
            unit: unit.into(),
        }
    }
}

named_enum! {
    /// Why stock leaves a store without a work order.
    pub enum IssueReason as "stock issue reason" {
        /// Handed to an agent (consumables, small tools, workwear…).
        Agent = "agent",
        /// Handed to a service of a tenant.
        Service = "service",
        /// Lost, broken, stolen or past its date.
        Loss = "loss",
        /// An inventory count found less than recorded.
        Inventory = "inventory",
    }
}

/// What is needed to issue stock outside a work order
/// ([`Mutualis::issue_stock`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStockIssue {
    /// Store code.
    pub store: String,
    /// Item code.
    pub item: String,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Quantity issued (> 0).
    pub quantity: Decimal,
    /// Why.
    pub reason: IssueReason,
    /// The agent who received it (required for [`IssueReason::Agent`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The service that received it (required for [`IssueReason::Service`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Free note (the inventory reference, what was lost…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A recorded issue outside a work order, valued at the CMUP of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockIssue {
    /// The store.
    pub store: StoreId,
    /// The item.
    pub item: ItemId,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Quantity issued.
    pub quantity: Decimal,
    /// CMUP applied (4 decimals).
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
    /// Why.
    pub reason: IssueReason,
    /// The agent who received it.
    pub agent: Option<String>,
    /// The service that received it.
    pub service: Option<ServiceId>,
    /// Free note.
    pub note: Option<String>,
}

/// The stock of one item in one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StockLevel {
    /// Quantity on hand.
    pub quantity: Decimal,
    /// Current CMUP (4 decimals); zero when nothing was ever received.
    pub cmup: Decimal,
    /// Date of the first receipt (none: nothing received yet, or a dataset
    /// written before this date was kept). Material cannot be issued before it.
    pub first_receipt: Option<NaiveDate>,
}

impl NewStockIssue {
    /// An issue of `quantity` of `item` from `store` on `date` for `reason`
    /// (set `agent` or `service` for issues to a recipient).
    #[must_use]
    pub fn new(
        store: &str,
        item: &str,
        date: NaiveDate,
        quantity: Decimal,
        reason: IssueReason,
    ) -> NewStockIssue {
        NewStockIssue {
            store: store.into(),
            item: item.into(),
            date,
            quantity,
            reason,
            agent: None,
            service: None,
            note: None,
        }
    }
}

impl StockLevel {
    /// Value of the stock on hand, q × CMUP rounded to the cent.
    #[must_use]
    pub fn value(&self) -> Decimal {
        round_cents(self.quantity * self.cmup)
    }
}

pub(crate) fn round_cmup(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(CMUP_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(CMUP_DECIMALS);
    r
}

pub(crate) fn check_quantity(what: &'static str, q: Decimal) -> Result<()> {
    if q <= Decimal::ZERO {
        return Err(Error::InvalidQuantity { what, value: q });
    }
    Ok(())
}

/// The stock domain's state: stores and items (with their code indexes),
/// the level of each item in each store, the issues outside work orders.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stock {
    stores: Vec<Store>,
    store_by_code: HashMap<String, StoreId>,
    items: Vec<Item>,
    item_by_code: HashMap<String, ItemId>,
    levels: BTreeMap<(StoreId, ItemId), StockLevel>,
    issues: Vec<StockIssue>,
}

/// Equality compares the records (the indexes follow from them).
impl PartialEq for Stock {
    fn eq(&self, o: &Stock) -> bool {
        self.stores == o.stores
            && self.items == o.items
            && self.levels == o.levels
            && self.issues == o.issues
    }
}

impl Stock {
    /// The numbers of stores, items and issues (a checkpoint's lengths).
    pub(crate) fn lens(&self) -> (usize, usize, usize) {
        (self.stores.len(), self.items.len(), self.issues.len())
    }

    /// Drops the stores, items and issues created after the given lengths.
    pub(crate) fn truncate(&mut self, stores: usize, items: usize, issues: usize) {
        self.issues.truncate(issues);
        for i in self.items.drain(items.min(self.items.len())..) {
            self.item_by_code.remove(&i.code);
        }
        for s in self.stores.drain(stores.min(self.stores.len())..) {
            self.store_by_code.remove(&s.code);
        }
    }

    /// Puts a stock level back as it was (`None`: no stock yet).
    pub(crate) fn restore_level(&mut self, store: StoreId, item: ItemId, old: Option<StockLevel>) {
        match old {
            Some(level) => {
                self.levels.insert((store, item), level);
            }
            None => {
                self.levels.remove(&(store, item));
            }
        }
    }

    /// The level of every (store, item) with stock, in id order.
    pub(crate) fn levels(&self) -> &BTreeMap<(StoreId, ItemId), StockLevel> {
        &self.levels
    }

    /// Restores a recorded level (dataset loading); false when this store
    /// and item already had one.
    pub(crate) fn restore_recorded_level(
        &mut self,
        store: StoreId,
        item: ItemId,
        level: StockLevel,
    ) -> bool {
        self.levels.insert((store, item), level).is_none()
    }

    /// Restores a recorded issue as it was (dataset loading).
    pub(crate) fn push_recorded_issue(&mut self, issue: StockIssue) {
        self.issues.push(issue);
    }
}

impl Mutualis {
    /// Adds a store of `tenant`. Errors: [`Error::InvalidCode`], [`Error::InvalidField`],
    /// [`Error::UnknownTenant`], [`Error::DuplicateStore`].
    pub fn add_store(&mut self, code: &str, tenant: &str, name: &str) -> Result<StoreId> {
        check_code("store", code)?;
        check_name("store name", name)?;
        let t = self.tenant_id(tenant)?;
        if self.stock.store_by_code.contains_key(code) {
            return Err(Error::DuplicateStore(code.to_owned()));
        }
        let id = StoreId(self.stock.stores.len() as u32);
        self.stock.store_by_code.insert(code.to_owned(), id);
        self.stock.stores.push(Store {
            id,
            code: code.to_owned(),
            tenant: t,
            name: name.to_owned(),
        });
        self.log(
            Some(tenant.to_owned()),
            StockEvent::StoreAdded {
                code: code.to_owned(),
                tenant: tenant.to_owned(),
                name: name.to_owned(),
            },
        );
        Ok(id)
    }

    /// Adds a catalogue item. Errors: [`Error::InvalidCode`], [`Error::InvalidField`],
    /// [`Error::DuplicateItem`].
    pub fn add_item(&mut self, spec: NewItem) -> Result<ItemId> {
        check_code("item", &spec.code)?;
        check_name("item name", &spec.name)?;
        check_name("item unit", &spec.unit)?;
        if self.stock.item_by_code.contains_key(&spec.code) {
            return Err(Error::DuplicateItem(spec.code));
        }
        let id = ItemId(self.stock.items.len() as u32);
        self.stock.item_by_code.insert(spec.code.clone(), id);
        self.stock.items.push(Item {
            id,
            code: spec.code.clone(),
            name: spec.name.clone(),
            unit: spec.unit.clone(),
        });
        self.log(None, StockEvent::ItemAdded { item: spec.into() });
        Ok(id)
    }

    /// The dense id of a store code; [`Error::UnknownStore`] if none.
    pub fn store_id(&self, code: &str) -> Result<StoreId> {
        self.stock
            .store_by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownStore(code.to_owned()))
    }

    /// The dense id of an item code; [`Error::UnknownItem`] if none.
    pub fn item_id(&self, code: &str) -> Result<ItemId> {
        self.stock
            .item_by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownItem(code.to_owned()))
    }

    /// All stores, in creation order.
    #[must_use]
    pub fn stores(&self) -> &[Store] {
        &self.stock.stores
    }

    /// All catalogue items, in creation order.
    #[must_use]
    pub fn items(&self) -> &[Item] {
        &self.stock.items
    }

    /// Receives `quantity` of `item` into `store` at `unit_price`; returns the new level.
    ///
    /// Errors: [`Error::UnknownStore`], [`Error::UnknownItem`],
    /// [`Error::InvalidQuantity`] (quantity ≤ 0 or price < 0).
    pub fn receive_stock(
        &mut self,
        store: &str,
        item: &str,
        date: NaiveDate,
        quantity: Decimal,
        unit_price: Decimal,
    ) -> Result<StockLevel> {
        let s = self.store_id(store)?;
        let i = self.item_id(item)?;
        crate::period::check_date("date", date)?;
        check_quantity("quantity received", quantity)?;
        if unit_price < Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "unit price",
                value: unit_price,
            });
        }
        let level = self.stock.levels.get(&(s, i)).copied().unwrap_or_default();
        let new_qty = level
            .quantity
            .checked_add(quantity)
            .ok_or(Error::AmountOutOfRange(quantity))?;
        let value = level
            .quantity
            .checked_mul(level.cmup)
            .and_then(|v| {
                quantity
                    .checked_mul(unit_price)
                    .and_then(|w| v.checked_add(w))
            })
            .ok_or(Error::AmountOutOfRange(unit_price))?;
        let cmup = round_cmup(value / new_qty);
        let new_level = StockLevel {
            quantity: new_qty,
            cmup,
            first_receipt: Some(level.first_receipt.map_or(date, |d| d.min(date))),
        };
        let old = self.stock.levels.get(&(s, i)).copied();
        self.push_undo(crate::undo::Undo::Stock {
            store: s,
            item: i,
            old,
        });
        self.stock.levels.insert((s, i), new_level);
        let tenant = self
            .tenant_code(self.stock.stores[s.index()].tenant)
            .to_owned();
        self.log(
            Some(tenant),
            StockEvent::StockReceived {
                store: store.to_owned(),
                item: item.to_owned(),
                date,
                quantity,
                unit_price,
            },
        );
        Ok(new_level)
    }

    /// The code of a store id (unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn store_code(&self, id: StoreId) -> &str {
        self.stock
            .stores
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |s| s.code.as_str())
    }

    /// The code of an item id (unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn item_code(&self, id: ItemId) -> &str {
        self.stock
            .items
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |i| i.code.as_str())
    }

    /// The stock of `item` in `store` (zero if never received).
    pub fn stock_level(&self, store: &str, item: &str) -> Result<StockLevel> {
        let s = self.store_id(store)?;
        let i = self.item_id(item)?;
        Ok(self.stock.levels.get(&(s, i)).copied().unwrap_or_default())
    }

    /// Issues stock outside a work order: to an agent, to a service, a loss
    /// or an inventory adjustment, valued at the current CMUP (the value
    /// rounded to the cent), with the same checks as a material line
    /// (quantity on hand, not before the first receipt). Returns the issue.
    ///
    /// Errors: [`Error::UnknownStore`], [`Error::UnknownItem`],
    /// [`Error::InvalidQuantity`], [`Error::InsufficientStock`],
    /// [`Error::YearOutOfRange`], [`Error::InvalidField`] (no agent for an
    /// issue to an agent, no service for an issue to a service, a recipient
    /// given for a loss or an inventory, a date before the first receipt),
    /// [`Error::UnknownService`].
    ///
    /// ```
    /// # use mutualis::{Mutualis, NewItem, NewTenant, stock::{IssueReason, NewStockIssue}};
    /// # use rust_decimal::Decimal;
    /// # let mut m = Mutualis::new();
    /// # m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
    /// # m.add_store("MAG", "ROANNE", "Magasin").unwrap();
    /// # m.add_item(NewItem::new("GANTS", "Gants", "paire")).unwrap();
    /// # let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// m.receive_stock("MAG", "GANTS", d, Decimal::from(10), "3.20".parse().unwrap()).unwrap();
    /// let lost = NewStockIssue::new("MAG", "GANTS", d, Decimal::from(2), IssueReason::Loss);
    /// assert_eq!(m.issue_stock(lost).unwrap().value.to_string(), "6.40");
    /// ```
    pub fn issue_stock(&mut self, spec: NewStockIssue) -> Result<StockIssue> {
        let s = self.store_id(&spec.store)?;
        let i = self.item_id(&spec.item)?;
        crate::period::check_date("date", spec.date)?;
        let service = match (spec.reason, &spec.agent, &spec.service) {
            (IssueReason::Agent, Some(agent), None) => {
                check_name("agent", agent)?;
                None
            }
            (IssueReason::Service, None, Some(r)) => Some(self.service_id(&r.tenant, &r.service)?),
            (IssueReason::Loss | IssueReason::Inventory, None, None) => None,
            (reason, _, _) => {
                return Err(Error::InvalidField {
                    field: "recipient",
                    reason: match reason {
                        IssueReason::Agent => {
                            "an issue to an agent names the agent (and no service)".into()
                        }
                        IssueReason::Service => {
                            "an issue to a service names the service (and no agent)".into()
                        }
                        other => format!("a {} names no recipient", other.as_str()),
                    },
                })
            }
        };
        if let Some(note) = &spec.note {
            check_name("note", note)?;
        }
        let (cmup, value) = self.check_issue(s, i, spec.quantity, spec.date)?;
        let issue = StockIssue {
            store: s,
            item: i,
            date: spec.date,
            quantity: spec.quantity,
            cmup,
            value,
            reason: spec.reason,
            agent: spec.agent.clone(),
            service,
            note: spec.note.clone(),
        };
        self.take_stock(issue.clone());
        let tenant = self
            .tenant_code(self.stock.stores[s.index()].tenant)
            .to_owned();
        self.log(Some(tenant), StockEvent::StockIssued { issue: spec.into() });
        Ok(issue)
    }

    /// The issues outside work orders, in the order they were recorded.
    #[must_use]
    pub fn stock_issues(&self) -> &[StockIssue] {
        &self.stock.issues
    }

    /// Checks an issue and returns (CMUP, value) without changing anything.
    pub(crate) fn check_issue(
        &self,
        s: StoreId,
        i: ItemId,
        quantity: Decimal,
        date: NaiveDate,
    ) -> Result<(Decimal, Decimal)> {
        check_quantity("quantity issued", quantity)?;
        let level = self.stock.levels.get(&(s, i)).copied().unwrap_or_default();
        // (a replayed journal keeps the issues recorded before the rule)
        let checked = self.replaying.is_none();
        if let Some(first) = level.first_receipt.filter(|first| checked && date < *first) {
            return Err(Error::InvalidField {
                field: "date",
                reason: format!(
                    "material issued on {date}, before the first receipt of {} in store {} ({first})",
                    self.stock.items[i.index()].code,
                    self.stock.stores[s.index()].code
                ),
            });
        }
        if quantity > level.quantity {
            return Err(Error::InsufficientStock {
                store: self.stock.stores[s.index()].code.clone(),
                item: self.stock.items[i.index()].code.clone(),
                requested: quantity,
                on_hand: level.quantity,
            });
        }
        let value = level
            .cmup
            .checked_mul(quantity)
            .map(round_cents)
            .ok_or(Error::AmountOutOfRange(quantity))?;
        Ok((level.cmup, value))
    }

    /// Records an issue outside a work order checked by
    /// [`Mutualis::check_issue`] (its CMUP and value): removes the quantity
    /// and keeps the issue in the history ([`Mutualis::issue_stock`], and
    /// workwear issued to an agent, which journals its own event).
    pub(crate) fn take_stock(&mut self, issue: StockIssue) {
        self.apply_issue(issue.store, issue.item, issue.quantity);
        self.stock.issues.push(issue);
    }

    /// Removes an issued quantity (after [`Mutualis::check_issue`]).
    pub(crate) fn apply_issue(&mut self, s: StoreId, i: ItemId, quantity: Decimal) {
        let old = self.stock.levels.get(&(s, i)).copied();
        self.push_undo(crate::undo::Undo::Stock {
            store: s,
            item: i,
            old,
        });
        if let Some(level) = self.stock.levels.get_mut(&(s, i)) {
            level.quantity -= quantity;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetKind, CostInput, NewAsset, NewTenant, NewWorkOrder, WorkOrderStatus};
    use proptest::prelude::*;

    fn base() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        m.add_store("S", "ROANNE", "Magasin").unwrap();
        m.add_item(NewItem::new("I", "Article", "u")).unwrap();
        m.add_team("T", "ROANNE", "Régie", None).unwrap();
        let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        m.add_asset(NewAsset::new(
            "A",
            "Bâtiment",
            AssetKind::Building,
            "ROANNE",
            d,
        ))
        .unwrap();
        m.create_work_order(NewWorkOrder::by_team("W", "Travaux", "A", "T"))
            .unwrap();
        m.set_work_order_status("W", WorkOrderStatus::InProgress, chrono::Utc::now())
            .unwrap();
        m
    }

    #[derive(Debug, Clone)]
    enum Move {
        Receive(i64, i64), // quantity in hundredths, price in ten-thousandths
        Issue(i64),        // quantity in hundredths
    }

    fn moves() -> impl Strategy<Value = Vec<Move>> {
        prop::collection::vec(
            prop_oneof![
                (1i64..100_000, 0i64..10_000_000).prop_map(|(q, p)| Move::Receive(q, p)),
                (1i64..100_000).prop_map(Move::Issue),
            ],
            1..40,
        )
    }

    proptest! {
        /// Stock never goes negative, refused issues change nothing, and value is
        /// conserved within the documented rounding bound.
        #[test]
        fn cmup_conserves_value_within_bound(seq in moves()) {
            let mut m = base();
            let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let mut received = Decimal::ZERO;
            let mut issued = Decimal::ZERO;
            let mut bound = Decimal::new(5, 3); // remaining value's rounding
            for mv in seq {
                match mv {
                    Move::Receive(q, p) => {
                        let (q, p) = (Decimal::new(q, 2), Decimal::new(p, 4));
                        let level = m.receive_stock("S", "I", d, q, p).unwrap();
                        received += q * p;
                        bound += Decimal::new(5, 5) * level.quantity;
                    }
                    Move::Issue(q) => {
                        let q = Decimal::new(q, 2);
                        let before = m.stock_level("S", "I").unwrap();
                        match m.record_cost("W", CostInput::material(d, "S", "I", q)) {
                            Ok(id) => {
                                issued += m.cost_lines().get(id).unwrap().ht;
                                bound += Decimal::new(5, 3);
                            }
                            Err(Error::InsufficientStock { .. }) => {
                                prop_assert!(q > before.quantity);
                                prop_assert_eq!(m.stock_level("S", "I").unwrap(), before);
                            }
                            Err(e) => return Err(TestCaseError::fail(format!("unexpected {e}"))),
                        }
                    }
                }
                let level = m.stock_level("S", "I").unwrap();
                prop_assert!(level.quantity >= Decimal::ZERO);
                prop_assert!(level.value() >= Decimal::ZERO);
            }
            let remaining = m.stock_level("S", "I").unwrap().value();
            let gap = (received - issued - remaining).abs();
            prop_assert!(gap <= bound, "gap {} above bound {}", gap, bound);
        }
    }
}
