//! The events of the patrimoine: assets, their place in the tree, their life
//! and their attributes.
//!
//! [`AssetV1`] is the stored form of a [`NewAsset`] (see [`crate::journal`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::{AssetKind, NewAsset, ServiceRef};
use crate::error::Result;
use crate::Mutualis;

/// An event of the patrimoine (wrapped by [`crate::Event::Assets`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssetEvent {
    /// An asset was added.
    AssetAdded {
        /// Its description.
        asset: AssetV1,
    },
    /// An asset was moved in the tree.
    AssetMoved {
        /// Asset code.
        asset: String,
        /// New parent code (none: top level).
        parent: Option<String>,
    },
    /// An asset's last day in service was recorded.
    AssetDecommissioned {
        /// Asset code.
        asset: String,
        /// Last day in service.
        last_day: NaiveDate,
    },
    /// A free attribute was set or removed.
    AttributeSet {
        /// Asset code.
        asset: String,
        /// Attribute name.
        name: String,
        /// New value (none: removed).
        value: Option<String>,
    },
}

/// The stored form of a [`NewAsset`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetV1 {
    /// Human code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AssetKind,
    /// Parent asset code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Owner tenant code.
    pub owner: String,
    /// Managing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Commissioning date.
    pub commissioned: NaiveDate,
    /// Decommissioning date (last day in service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decommissioned: Option<NaiveDate>,
    /// Floor area in m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_area: Option<Decimal>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Free attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl From<NewAsset> for AssetV1 {
    fn from(a: NewAsset) -> AssetV1 {
        AssetV1 {
            code: a.code,
            name: a.name,
            kind: a.kind,
            parent: a.parent,
            owner: a.owner,
            service: a.service,
            commissioned: a.commissioned,
            decommissioned: a.decommissioned,
            floor_area: a.floor_area,
            address: a.address,
            attributes: a.attributes,
        }
    }
}

impl From<AssetV1> for NewAsset {
    fn from(a: AssetV1) -> NewAsset {
        NewAsset {
            code: a.code,
            name: a.name,
            kind: a.kind,
            parent: a.parent,
            owner: a.owner,
            service: a.service,
            commissioned: a.commissioned,
            decommissioned: a.decommissioned,
            floor_area: a.floor_area,
            address: a.address,
            attributes: a.attributes,
        }
    }
}

impl AssetEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "asset_added",
        "asset_moved",
        "asset_decommissioned",
        "attribute_set",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            AssetEvent::AssetAdded { .. }
            | AssetEvent::AssetMoved { .. }
            | AssetEvent::AssetDecommissioned { .. }
            | AssetEvent::AttributeSet { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            AssetEvent::AssetAdded { asset } => vec![("asset", &asset.code)],
            AssetEvent::AssetMoved { asset, .. }
            | AssetEvent::AssetDecommissioned { asset, .. }
            | AssetEvent::AttributeSet { asset, .. } => vec![("asset", asset)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            AssetEvent::AssetAdded { asset } => m.add_asset(asset.into()).map(drop),
            AssetEvent::AssetMoved { asset, parent } => m.set_parent(&asset, parent.as_deref()),
            AssetEvent::AssetDecommissioned { asset, last_day } => m.decommission(&asset, last_day),
            AssetEvent::AttributeSet { asset, name, value } => {
                m.set_attribute(&asset, &name, value.as_deref())
            }
        }
    }
}
