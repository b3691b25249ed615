//! The events of stores and stock.
//!
//! [`ItemV1`] and [`StockIssueV1`] are the stored forms of a [`NewItem`] and a
//! [`NewStockIssue`] (see [`crate::journal`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::ServiceRef;
use crate::error::Result;
use crate::stock::{IssueReason, NewItem, NewStockIssue};
use crate::Mutualis;

/// An event of stores and stock (wrapped by [`crate::Event::Stock`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StockEvent {
    /// A store was added.
    StoreAdded {
        /// Store code.
        code: String,
        /// Tenant code.
        tenant: String,
        /// Store name.
        name: String,
    },
    /// A stock item was added to the catalogue.
    ItemAdded {
        /// Its description.
        item: ItemV1,
    },
    /// Goods were received into a store.
    StockReceived {
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Date of receipt.
        date: NaiveDate,
        /// Quantity received.
        quantity: Decimal,
        /// Unit purchase price.
        unit_price: Decimal,
    },
    /// Stock left a store outside a work order.
    StockIssued {
        /// Its description.
        issue: StockIssueV1,
    },
}

/// The stored form of a [`NewItem`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemV1 {
    /// Human code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit of quantity.
    pub unit: String,
}

impl From<NewItem> for ItemV1 {
    fn from(i: NewItem) -> ItemV1 {
        ItemV1 {
            code: i.code,
            name: i.name,
            unit: i.unit,
        }
    }
}

impl From<ItemV1> for NewItem {
    fn from(i: ItemV1) -> NewItem {
        NewItem {
            code: i.code,
            name: i.name,
            unit: i.unit,
        }
    }
}

/// The stored form of a [`NewStockIssue`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockIssueV1 {
    /// Store code.
    pub store: String,
    /// Item code.
    pub item: String,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Quantity issued.
    pub quantity: Decimal,
    /// Why.
    pub reason: IssueReason,
    /// The agent who received it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The service that received it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<NewStockIssue> for StockIssueV1 {
    fn from(s: NewStockIssue) -> StockIssueV1 {
        StockIssueV1 {
            store: s.store,
            item: s.item,
            date: s.date,
            quantity: s.quantity,
            reason: s.reason,
            agent: s.agent,
            service: s.service,
            note: s.note,
        }
    }
}

impl From<StockIssueV1> for NewStockIssue {
    fn from(s: StockIssueV1) -> NewStockIssue {
        NewStockIssue {
            store: s.store,
            item: s.item,
            date: s.date,
            quantity: s.quantity,
            reason: s.reason,
            agent: s.agent,
            service: s.service,
            note: s.note,
        }
    }
}

impl StockEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "store_added",
        "item_added",
        "stock_received",
        "stock_issued",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            StockEvent::StoreAdded { .. }
            | StockEvent::ItemAdded { .. }
            | StockEvent::StockReceived { .. }
            | StockEvent::StockIssued { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            StockEvent::StoreAdded { code, .. } => vec![("store", code)],
            StockEvent::ItemAdded { item } => vec![("item", &item.code)],
            StockEvent::StockReceived { store, item, .. } => {
                vec![("store", store), ("item", item)]
            }
            StockEvent::StockIssued { issue } => {
                vec![("store", &issue.store), ("item", &issue.item)]
            }
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            StockEvent::StoreAdded { code, tenant, name } => {
                m.add_store(&code, &tenant, &name).map(drop)
            }
            StockEvent::ItemAdded { item } => m.add_item(item.into()).map(drop),
            StockEvent::StockReceived {
                store,
                item,
                date,
                quantity,
                unit_price,
            } => m
                .receive_stock(&store, &item, date, quantity, unit_price)
                .map(drop),
            StockEvent::StockIssued { issue } => m.issue_stock(issue.into()).map(drop),
        }
    }
}
