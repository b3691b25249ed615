//! The patrimoine: a tree of assets (site > building > floor > room >
//! equipment; road sections, green spaces, vehicles, furniture…), each owned by
//! a tenant, optionally managed by a service, with its life dates and free
//! attributes.
//!
//! ```
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! use chrono::NaiveDate;
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! let d = NaiveDate::from_ymd_opt(1975, 9, 1).unwrap();
//! m.add_asset(NewAsset::new("GYM", "Gymnase Coubertin", AssetKind::Building, "ROANNE", d)).unwrap();
//! m.add_asset(NewAsset::new("GYM-HALL", "Grande salle", AssetKind::Room, "ROANNE", d).under("GYM")).unwrap();
//! assert!(m.set_parent("GYM", Some("GYM-HALL")).is_err()); // a cycle
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{AssetId, ServiceId, TenantId};
use crate::kinds::named_enum;
use crate::Mutualis;

pub mod events;
pub mod public;
pub use events::AssetEvent;

named_enum! {
    /// What an asset is.
    pub enum AssetKind as "asset" {
        /// A site (campus, depot, park) grouping buildings and spaces.
        Site = "site",
        /// A building.
        Building = "building",
        /// A floor (niveau) of a building.
        Floor = "floor",
        /// A room (local, salle).
        Room = "room",
        /// A piece of equipment (boiler, lift, lighting…).
        Equipment = "equipment",
        /// A road section (tronçon de voirie).
        RoadSection = "road_section",
        /// A green space (espace vert).
        GreenSpace = "green_space",
        /// A vehicle or mobile machine (parc auto).
        Vehicle = "vehicle",
        /// Furniture (mobilier, mobilier urbain).
        Furniture = "furniture",
        /// A network (lighting, water, sewer).
        Network = "network",
        /// Anything else.
        Other = "other",
    }
}

/// Reference to a service by tenant code and service code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceRef {
    /// Tenant code.
    pub tenant: String,
    /// Service code within the tenant.
    pub service: String,
}

/// An asset of the patrimoine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Dense id.
    pub id: AssetId,
    /// Human code, unique ("GYM-COUBERTIN").
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AssetKind,
    /// Parent in the tree, if any.
    pub parent: Option<AssetId>,
    /// Owner (propriétaire): keeps title whatever the custody.
    pub owner: TenantId,
    /// Managing service, if any.
    pub service: Option<ServiceId>,
    /// Commissioning date (mise en service).
    pub commissioned: NaiveDate,
    /// Decommissioning date (last day in service), if any.
    pub decommissioned: Option<NaiveDate>,
    /// Floor area in m², if known (a common sharing basis).
    pub floor_area: Option<Decimal>,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Free attributes (name → value), sorted by name.
    pub attributes: BTreeMap<String, String>,
}

impl Asset {
    /// True when the asset is in service on `date`.
    #[must_use]
    pub fn in_service(&self, date: NaiveDate) -> bool {
        date >= self.commissioned && self.decommissioned.is_none_or(|d| date <= d)
    }

    /// A readable description of the asset's life, for messages.
    #[must_use]
    pub fn life(&self) -> String {
        match self.decommissioned {
            Some(d) => format!("in service from {} to {}", self.commissioned, d),
            None => format!("in service from {}", self.commissioned),
        }
    }
}

/// What is needed to create an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAsset {
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
    /// Floor area in m² (non-negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_area: Option<Decimal>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Free attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl NewAsset {
    /// The minimal asset: code, name, kind, owner and commissioning date.
    #[must_use]
    pub fn new(
        code: &str,
        name: &str,
        kind: AssetKind,
        owner: &str,
        commissioned: NaiveDate,
    ) -> NewAsset {
        NewAsset {
            code: code.into(),
            name: name.into(),
            kind,
            parent: None,
            owner: owner.into(),
            service: None,
            commissioned,
            decommissioned: None,
            floor_area: None,
            address: None,
            attributes: BTreeMap::new(),
        }
    }

    /// Places the asset under `parent`.
    #[must_use]
    pub fn under(mut self, parent: &str) -> NewAsset {
        self.parent = Some(parent.into());
        self
    }

    /// Sets the managing service.
    #[must_use]
    pub fn managed_by(mut self, tenant: &str, service: &str) -> NewAsset {
        self.service = Some(ServiceRef {
            tenant: tenant.into(),
            service: service.into(),
        });
        self
    }

    /// Sets the floor area in m².
    #[must_use]
    pub fn with_floor_area(mut self, m2: Decimal) -> NewAsset {
        self.floor_area = Some(m2);
        self
    }

    /// Sets the address.
    #[must_use]
    pub fn at(mut self, address: &str) -> NewAsset {
        self.address = Some(address.into());
        self
    }

    /// Adds a free attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: &str, value: &str) -> NewAsset {
        self.attributes.insert(name.into(), value.into());
        self
    }
}

/// The patrimoine's state: the assets (ids are positions, creation order),
/// their code index, and the tree's children index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Patrimoine {
    assets: Vec<Asset>,
    by_code: HashMap<String, AssetId>,
    /// Children of each asset (index = asset id), in id order.
    children: Vec<Vec<AssetId>>,
}

/// Equality compares the assets (the indexes follow from them).
impl PartialEq for Patrimoine {
    fn eq(&self, o: &Patrimoine) -> bool {
        self.assets == o.assets
    }
}

impl Patrimoine {
    /// The number of assets (a checkpoint's length).
    pub(crate) fn len(&self) -> usize {
        self.assets.len()
    }

    /// The record of an asset of this registry.
    pub(crate) fn get(&self, asset: AssetId) -> Option<&Asset> {
        self.assets.get(asset.index())
    }

    /// Puts back an asset's record saved before an in-place change (its
    /// code, parent and id are unchanged by such changes).
    pub(crate) fn restore(&mut self, asset: AssetId, old: Asset) {
        if let Some(a) = self.assets.get_mut(asset.index()) {
            *a = old;
        }
    }

    /// Drops the assets created after the first `len` (newest first, out of
    /// their parents' children too).
    pub(crate) fn truncate(&mut self, len: usize) {
        for a in self.assets.drain(len.min(self.assets.len())..).rev() {
            self.by_code.remove(&a.code);
            if let Some(p) = a.parent {
                if let Some(c) = self.children.get_mut(p.index()) {
                    c.retain(|&x| x != a.id);
                }
            }
        }
        self.children.truncate(len);
    }

    /// Moves `asset` under `parent` in the tree index and the asset itself
    /// (no checks, no journal, no re-allocation).
    pub(crate) fn move_in_tree(&mut self, asset: AssetId, parent: Option<AssetId>) {
        if let Some(old) = self.assets[asset.index()].parent {
            self.children[old.index()].retain(|&c| c != asset);
        }
        if let Some(p) = parent {
            let siblings = &mut self.children[p.index()];
            let at = siblings.partition_point(|&c| c < asset);
            siblings.insert(at, asset);
        }
        self.assets[asset.index()].parent = parent;
    }

    /// The children of `asset`, in creation order (empty for an unknown id).
    pub(crate) fn children_of(&self, asset: AssetId) -> &[AssetId] {
        self.children.get(asset.index()).map_or(&[], Vec::as_slice)
    }

    /// The children index (tests compare it after a rollback).
    #[cfg(test)]
    pub(crate) fn children_index(&self) -> &[Vec<AssetId>] {
        &self.children
    }
}

impl Mutualis {
    /// Adds an asset. Errors: [`Error::InvalidCode`], [`Error::InvalidField`],
    /// [`Error::DuplicateAsset`], [`Error::UnknownTenant`], [`Error::UnknownService`],
    /// [`Error::UnknownAsset`] (parent), [`Error::DatesOutOfOrder`]. Nothing changes on error.
    pub fn add_asset(&mut self, spec: NewAsset) -> Result<AssetId> {
        check_code("asset", &spec.code)?;
        check_name("asset name", &spec.name)?;
        crate::period::check_asset_date("commissioned", spec.commissioned)?;
        if let Some(d) = spec.decommissioned {
            crate::period::check_asset_date("decommissioned", d)?;
        }
        if self.patrimoine.by_code.contains_key(&spec.code) {
            return Err(Error::DuplicateAsset(spec.code));
        }
        let owner = self.tenant_id(&spec.owner)?;
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&s.tenant, &s.service)?),
            None => None,
        };
        let parent = match &spec.parent {
            Some(p) => Some(self.asset_id(p)?),
            None => None,
        };
        if let Some(d) = spec.decommissioned {
            if d < spec.commissioned {
                return Err(Error::DatesOutOfOrder {
                    from: spec.commissioned,
                    to: d,
                });
            }
        }
        if let Some(area) = spec.floor_area {
            if area.is_sign_negative() && !area.is_zero() {
                return Err(Error::InvalidField {
                    field: "floor area",
                    reason: format!("{area} m² is negative"),
                });
            }
        }
        for name in spec.attributes.keys() {
            check_name("attribute name", name)?;
        }
        let id = AssetId(self.patrimoine.assets.len() as u32);
        self.patrimoine.by_code.insert(spec.code.clone(), id);
        self.patrimoine.assets.push(Asset {
            id,
            code: spec.code.clone(),
            name: spec.name.clone(),
            kind: spec.kind,
            parent,
            owner,
            service,
            commissioned: spec.commissioned,
            decommissioned: spec.decommissioned,
            floor_area: spec.floor_area,
            address: spec.address.clone(),
            attributes: spec.attributes.clone(),
        });
        self.custody.push_asset();
        self.transfers.push_asset();
        self.patrimoine.children.push(Vec::new());
        if let Some(p) = parent {
            self.patrimoine.children[p.index()].push(id);
        }
        let tenant = Some(spec.owner.clone());
        self.log(tenant, AssetEvent::AssetAdded { asset: spec.into() });
        Ok(id)
    }

    /// Moves an asset under another (or to the top with `None`).
    /// [`Error::AssetCycle`] if `parent` is the asset or one of its descendants.
    pub fn set_parent(&mut self, asset: &str, parent: Option<&str>) -> Result<()> {
        let a = self.asset_id(asset)?;
        let p = match parent {
            Some(code) => Some(self.asset_id(code)?),
            None => None,
        };
        if let Some(p) = p {
            if self.ancestors_and_self(p).any(|x| x == a) {
                return Err(Error::AssetCycle {
                    asset: asset.to_owned(),
                    parent: parent.unwrap_or_default().to_owned(),
                });
            }
        }
        self.push_undo(crate::undo::Undo::Parent {
            asset: a,
            parent: self.patrimoine.assets[a.index()].parent,
        });
        self.patrimoine.move_in_tree(a, p);
        // keys and custody inherited from the tree may change for the whole subtree
        self.reallocate_subtree(a, None);
        self.log(
            self.owner_code(a),
            AssetEvent::AssetMoved {
                asset: asset.to_owned(),
                parent: parent.map(str::to_owned),
            },
        );
        Ok(())
    }

    /// Records the last day in service of an asset.
    /// [`Error::DatesOutOfOrder`] if before its commissioning;
    /// [`Error::OutsideAssetLife`] if cost lines on the asset are dated after it.
    pub fn decommission(&mut self, asset: &str, last_day: NaiveDate) -> Result<()> {
        let a = self.asset_id(asset)?;
        crate::period::check_asset_date("last_day", last_day)?;
        let commissioned = self.patrimoine.assets[a.index()].commissioned;
        if last_day < commissioned {
            return Err(Error::DatesOutOfOrder {
                from: commissioned,
                to: last_day,
            });
        }
        // A saved registry must always reload: refuse a last day that would
        // leave recorded cost lines outside the asset's life.
        if let Some(date) = self.last_line_date(a) {
            if date > last_day {
                return Err(Error::OutsideAssetLife {
                    asset: asset.to_owned(),
                    date,
                    life: format!(
                        "in service from {} to {last_day} as asked, but a cost line is dated {date}",
                        self.patrimoine.assets[a.index()].commissioned
                    ),
                });
            }
        }
        self.save_asset(a);
        self.patrimoine.assets[a.index()].decommissioned = Some(last_day);
        self.log(
            self.owner_code(a),
            AssetEvent::AssetDecommissioned {
                asset: asset.to_owned(),
                last_day,
            },
        );
        Ok(())
    }

    /// Sets (or with `None`, removes) a free attribute of an asset.
    pub fn set_attribute(&mut self, asset: &str, name: &str, value: Option<&str>) -> Result<()> {
        let a = self.asset_id(asset)?;
        check_name("attribute name", name)?;
        self.save_asset(a);
        let attrs = &mut self.patrimoine.assets[a.index()].attributes;
        match value {
            Some(v) => attrs.insert(name.to_owned(), v.to_owned()),
            None => attrs.remove(name),
        };
        self.log(
            self.owner_code(a),
            AssetEvent::AttributeSet {
                asset: asset.to_owned(),
                name: name.to_owned(),
                value: value.map(str::to_owned),
            },
        );
        Ok(())
    }

    /// The dense id of an asset code; [`Error::UnknownAsset`] if none.
    pub fn asset_id(&self, code: &str) -> Result<AssetId> {
        self.patrimoine
            .by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownAsset(code.to_owned()))
    }

    /// The asset with this code.
    pub fn asset(&self, code: &str) -> Result<&Asset> {
        Ok(&self.patrimoine.assets[self.asset_id(code)?.index()])
    }

    /// The asset with this id; [`Error::UnknownAsset`] for an id of another registry.
    pub fn asset_by_id(&self, id: AssetId) -> Result<&Asset> {
        self.patrimoine
            .assets
            .get(id.index())
            .ok_or_else(|| Error::UnknownAsset(id.to_string()))
    }

    /// All assets, in creation order.
    #[must_use]
    pub fn assets(&self) -> &[Asset] {
        &self.patrimoine.assets
    }

    /// The assets in service on `date`, in creation order.
    #[must_use]
    pub fn assets_in_service(&self, date: NaiveDate) -> Vec<&Asset> {
        self.patrimoine
            .assets
            .iter()
            .filter(|a| a.in_service(date))
            .collect()
    }

    /// The asset and its ancestors, nearest first.
    pub fn ancestors_and_self(&self, asset: AssetId) -> impl Iterator<Item = AssetId> + '_ {
        std::iter::successors(Some(asset), move |a| {
            self.patrimoine.assets.get(a.index()).and_then(|x| x.parent)
        })
    }

    /// The direct children of an asset, in creation order.
    pub fn children(&self, asset: &str) -> Result<Vec<&Asset>> {
        let a = self.asset_id(asset)?;
        Ok(self.patrimoine.children[a.index()]
            .iter()
            .map(|c| &self.patrimoine.assets[c.index()])
            .collect())
    }

    /// The asset and all its descendants (depth-first, children in creation order).
    pub fn subtree(&self, asset: &str) -> Result<Vec<&Asset>> {
        let root = self.asset_id(asset)?;
        Ok(self
            .subtree_ids(root)
            .into_iter()
            .map(|a| &self.patrimoine.assets[a.index()])
            .collect())
    }

    /// The ids of an asset and its descendants (depth-first, children in
    /// creation order); costs the subtree's size, not the registry's.
    pub(crate) fn subtree_ids(&self, root: AssetId) -> Vec<AssetId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(a) = stack.pop() {
            out.push(a);
            if let Some(c) = self.patrimoine.children.get(a.index()) {
                stack.extend(c.iter().rev().copied());
            }
        }
        out
    }

    /// The code of an asset id (unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn asset_code(&self, id: AssetId) -> &str {
        self.patrimoine
            .assets
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |a| a.code.as_str())
    }

    /// The owner's code of an asset, for journal entries.
    pub(crate) fn owner_code(&self, a: AssetId) -> Option<String> {
        self.patrimoine.assets.get(a.index())?;
        Some(self.tenant_code(self.latest_owner(a)).to_owned())
    }

    /// [`Error::OutsideAssetLife`] unless the asset is in service on `date`.
    pub(crate) fn check_in_service(&self, a: AssetId, date: NaiveDate) -> Result<()> {
        let asset = &self.patrimoine.assets[a.index()];
        if asset.in_service(date) {
            Ok(())
        } else {
            Err(Error::OutsideAssetLife {
                asset: asset.code.clone(),
                date,
                life: asset.life(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewTenant;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap()
    }

    fn base() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        m.add_service("ROANNE", "BAT", "Bâtiments").unwrap();
        m.add_asset(NewAsset::new(
            "SITE",
            "Site",
            AssetKind::Site,
            "ROANNE",
            d(1970, 1, 1),
        ))
        .unwrap();
        m.add_asset(
            NewAsset::new(
                "B",
                "Bâtiment",
                AssetKind::Building,
                "ROANNE",
                d(1970, 1, 1),
            )
            .under("SITE"),
        )
        .unwrap();
        m.add_asset(
            NewAsset::new("R", "Salle", AssetKind::Room, "ROANNE", d(1970, 1, 1)).under("B"),
        )
        .unwrap();
        m
    }

    #[test]
    fn tree_and_cycles() {
        let mut m = base();
        let before = m.clone();
        assert!(matches!(
            m.set_parent("SITE", Some("R")),
            Err(Error::AssetCycle { .. })
        ));
        assert!(matches!(
            m.set_parent("B", Some("B")),
            Err(Error::AssetCycle { .. })
        ));
        assert_eq!(m, before);
        let codes: Vec<_> = m
            .subtree("SITE")
            .unwrap()
            .iter()
            .map(|a| a.code.as_str())
            .collect();
        assert_eq!(codes, ["SITE", "B", "R"]);
        m.set_parent("R", Some("SITE")).unwrap();
        assert_eq!(m.children("SITE").unwrap().len(), 2);
        m.set_parent("R", None).unwrap();
        assert_eq!(m.asset("R").unwrap().parent, None);
    }

    #[test]
    fn refusals() {
        let mut m = base();
        let before = m.clone();
        let dup = NewAsset::new("B", "x", AssetKind::Building, "ROANNE", d(1970, 1, 1));
        assert_eq!(m.add_asset(dup), Err(Error::DuplicateAsset("B".into())));
        let mut bad_dates = NewAsset::new("C", "x", AssetKind::Building, "ROANNE", d(1970, 1, 1));
        bad_dates.decommissioned = Some(d(1969, 12, 31));
        assert!(matches!(
            m.add_asset(bad_dates),
            Err(Error::DatesOutOfOrder { .. })
        ));
        let unknown_owner = NewAsset::new("C", "x", AssetKind::Building, "MABLY", d(1970, 1, 1));
        assert_eq!(
            m.add_asset(unknown_owner),
            Err(Error::UnknownTenant("MABLY".into()))
        );
        let unknown_parent =
            NewAsset::new("C", "x", AssetKind::Room, "ROANNE", d(1970, 1, 1)).under("Z");
        assert_eq!(
            m.add_asset(unknown_parent),
            Err(Error::UnknownAsset("Z".into()))
        );
        let unknown_service = NewAsset::new("C", "x", AssetKind::Room, "ROANNE", d(1970, 1, 1))
            .managed_by("ROANNE", "VOIRIE");
        assert!(matches!(
            m.add_asset(unknown_service),
            Err(Error::UnknownService { .. })
        ));
        let neg = NewAsset::new("C", "x", AssetKind::Room, "ROANNE", d(1970, 1, 1))
            .with_floor_area(Decimal::NEGATIVE_ONE);
        assert!(matches!(m.add_asset(neg), Err(Error::InvalidField { .. })));
        assert!(matches!(
            m.decommission("B", d(1960, 1, 1)),
            Err(Error::DatesOutOfOrder { .. })
        ));
        assert_eq!(m, before);
    }

    #[test]
    fn life_and_attributes() {
        let mut m = base();
        m.decommission("R", d(2020, 6, 30)).unwrap();
        let r = m.asset("R").unwrap();
        assert!(r.in_service(d(2020, 6, 30)) && !r.in_service(d(2020, 7, 1)));
        m.set_attribute("B", "erp_category", Some("3")).unwrap();
        assert_eq!(m.asset("B").unwrap().attributes["erp_category"], "3");
        m.set_attribute("B", "erp_category", None).unwrap();
        assert!(m.asset("B").unwrap().attributes.is_empty());
    }
}
