//! Routing citizens' requests by competence (issue 17, DOMAIN §7).
//!
//! A [`RequestCatalogue`] holds, as data, the tenants' request categories
//! (with their target delay, the SLA), the competences (which categories the
//! agglomeration handles, which the communes keep) and the territories
//! (commune polygons given as GeoJSON; a commune is also found by the INSEE
//! code of the address). It lives in the registry
//! ([`Mutualis::request_catalogue`]) and changes only by its commands
//! ([`Mutualis::add_request_category`], [`Mutualis::set_request_competence`],
//! [`Mutualis::add_request_territory`], [`Mutualis::add_request_council`],
//! [`Mutualis::set_request_agglomeration`], [`Mutualis::submit_request`],
//! [`Mutualis::route_request_by_hand`]), each journalled, saved with the
//! dataset and the store, undoable and access-checked like any other.
//! [`Mutualis::submit_request`] routes a request in this order:
//!
//! 1. a request on an asset goes to the asset's holder (custody) on its date;
//! 2. else a category whose competence is the agglomeration's goes to the
//!    agglomeration;
//! 3. else, for a category the communes kept, the commune whose INSEE code is
//!    the address's, or whose territory contains the location;
//! 4. else the request is flagged for manual routing: kept in
//!    [`RequestCatalogue::pending`] (never dropped) until
//!    [`Mutualis::route_request_by_hand`] records it for a tenant.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use mutualis::requests::routing::{Competence, Intake, NewCategory, Routed};
//! use mutualis::{GeoPoint, Mutualis, NewTenant, RequestOrigin};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("VILLEREST", "Villerest", "214203317", "42332")).unwrap();
//! m.add_request_category(NewCategory::new("VILLEREST", "nid-de-poule", "Nid de poule", Some(10))).unwrap();
//! m.set_request_competence("nid-de-poule", Competence::Communes).unwrap();
//! m.add_request_territory("VILLEREST", r#"{"type":"Polygon","coordinates":[[[4.0,46.0],[4.1,46.0],[4.1,46.1],[4.0,46.1],[4.0,46.0]]]}"#).unwrap();
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let intake = Intake::new("DI-1", RequestOrigin::CitizenPortal, "nid-de-poule", "Trou", t0)
//!     .at_point(GeoPoint { lat: 46.05, lon: 4.05 });
//! match m.submit_request(intake).unwrap() {
//!     Routed::To { tenant, .. } => assert_eq!(tenant, "VILLEREST"),
//!     Routed::Manual => unreachable!(),
//! }
//! assert_eq!(m.request_catalogue().categories().len(), 1);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::RequestId;
use crate::requests::{GeoPoint, NewRequest, RequestOrigin};
use crate::Mutualis;

/// An attribute of a category's service definition (Open311 `attributes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryAttribute {
    /// Unique code within the category.
    pub code: String,
    /// Open311 datatype: `string`, `number`, `datetime`, `text`,
    /// `singlevaluelist` or `multivaluelist`.
    pub datatype: String,
    /// True when the citizen must answer it.
    pub required: bool,
    /// The question asked.
    pub description: String,
    /// Display order.
    pub order: u32,
    /// The allowed values `(key, name)` for the list datatypes.
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

/// The Open311 attribute datatypes.
pub const ATTRIBUTE_DATATYPES: &[&str] = &[
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
];

/// A tenant's request category (an Open311 service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCategory {
    /// The tenant defining it.
    pub tenant: String,
    /// Code, unique across the catalogue (Open311 `service_code`).
    pub code: String,
    /// Name (`service_name`).
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Group ("Voirie", "Espaces verts"…).
    #[serde(default)]
    pub group: String,
    /// Target delay to closure in days (the SLA), if any.
    #[serde(default)]
    pub target_days: Option<u32>,
    /// Attributes of its service definition.
    #[serde(default)]
    pub attributes: Vec<CategoryAttribute>,
}

impl NewCategory {
    /// A category with its name and target delay.
    #[must_use]
    pub fn new(tenant: &str, code: &str, name: &str, target_days: Option<u32>) -> NewCategory {
        NewCategory {
            tenant: tenant.into(),
            code: code.into(),
            name: name.into(),
            description: String::new(),
            keywords: Vec::new(),
            group: String::new(),
            target_days,
            attributes: Vec::new(),
        }
    }
}

/// Who is competent for a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Competence {
    /// Transferred to the agglomeration.
    Agglomeration,
    /// Kept by the communes (routed by territory).
    Communes,
}

/// A polygon area: outer rings and their holes, `[lon, lat]` points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// Polygons, each a list of rings (the first outer, the others holes).
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl Area {
    /// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry, or a `Feature`
    /// holding one. Errors: [`Error::InvalidField`] (`geojson`).
    pub fn from_geojson(text: &str) -> Result<Area> {
        let bad = |reason: String| Error::InvalidField {
            field: "geojson",
            reason,
        };
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let g = if v.get("type").and_then(|t| t.as_str()) == Some("Feature") {
            v.get("geometry").cloned().unwrap_or_default()
        } else {
            v
        };
        let kind = g.get("type").and_then(|t| t.as_str()).unwrap_or("");
        let coords = g.get("coordinates").cloned().unwrap_or_default();
        let polygons: Vec<Vec<Vec<[f64; 2]>>> = match kind {
            "Polygon" => vec![serde_json::from_value(coords).map_err(|e| bad(e.to_string()))?],
            "MultiPolygon" => serde_json::from_value(coords).map_err(|e| bad(e.to_string()))?,
            other => {
                return Err(bad(format!(
                    "expected a Polygon or MultiPolygon geometry, got {other:?}"
                )))
            }
        };
        if polygons.is_empty() {
            return Err(bad("no polygon".into()));
        }
        for ring in polygons.iter().flatten() {
            if ring.len() < 4 {
                return Err(bad("a ring needs at least 4 points".into()));
            }
            if ring.iter().flatten().any(|c| !c.is_finite()) {
                return Err(bad("a coordinate is not a number".into()));
            }
        }
        Ok(Area { polygons })
    }

    /// The area as a GeoJSON `MultiPolygon` geometry.
    #[must_use]
    pub fn to_geojson(&self) -> String {
        serde_json::json!({"type": "MultiPolygon", "coordinates": self.polygons}).to_string()
    }

    /// True when the point is inside (on an outer ring, outside its holes).
    #[must_use]
    pub fn contains(&self, p: GeoPoint) -> bool {
        self.polygons.iter().any(|rings| {
            let mut it = rings.iter();
            it.next().is_some_and(|outer| in_ring(outer, p)) && !it.any(|h| in_ring(h, p))
        })
    }
}

/// Even-odd ray casting on `[lon, lat]` points.
fn in_ring(ring: &[[f64; 2]], p: GeoPoint) -> bool {
    let (x, y) = (p.lon, p.lat);
    let mut inside = false;
    let mut j = ring.len() - 1;
    for i in 0..ring.len() {
        let [xi, yi] = ring[i];
        let [xj, yj] = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// A commune's territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Territory {
    /// The commune's tenant code.
    pub commune: String,
    /// Its boundary.
    pub area: Area,
    /// The GeoJSON it was given as (what the journal and the dataset keep).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub geojson: String,
}

/// A neighbourhood council's area (for statistics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Council {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its area.
    pub area: Area,
    /// The GeoJSON it was given as (what the journal and the dataset keep).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub geojson: String,
}

/// A request as submitted, before routing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intake {
    /// Code, unique.
    pub code: String,
    /// Origin.
    pub origin: RequestOrigin,
    /// Category code.
    pub category: String,
    /// What is asked.
    pub description: String,
    /// Asset concerned, if known.
    #[serde(default)]
    pub asset: Option<String>,
    /// Address, if given.
    #[serde(default)]
    pub address: Option<String>,
    /// INSEE code of the address's commune, if known.
    #[serde(default)]
    pub insee: Option<String>,
    /// Coordinates, if given.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// When received.
    pub received: DateTime<Utc>,
}

impl Intake {
    /// An intake with its mandatory fields.
    #[must_use]
    pub fn new(
        code: &str,
        origin: RequestOrigin,
        category: &str,
        description: &str,
        received: DateTime<Utc>,
    ) -> Intake {
        Intake {
            code: code.into(),
            origin,
            category: category.into(),
            description: description.into(),
            asset: None,
            address: None,
            insee: None,
            location: None,
            received,
        }
    }

    /// Sets the coordinates.
    #[must_use]
    pub fn at_point(mut self, p: GeoPoint) -> Intake {
        self.location = Some(p);
        self
    }

    /// Sets the address and its commune's INSEE code.
    #[must_use]
    pub fn at_address(mut self, address: &str, insee: Option<&str>) -> Intake {
        self.address = Some(address.into());
        self.insee = insee.map(Into::into);
        self
    }

    /// Sets the asset concerned.
    #[must_use]
    pub fn on_asset(mut self, asset: &str) -> Intake {
        self.asset = Some(asset.into());
        self
    }

    fn to_request(&self, tenant: &str, service: Option<&str>) -> NewRequest {
        NewRequest {
            code: self.code.clone(),
            origin: self.origin,
            category: self.category.clone(),
            description: self.description.clone(),
            tenant: tenant.into(),
            service: service.map(Into::into),
            asset: self.asset.clone(),
            address: self.address.clone(),
            location: self.location,
            received: self.received,
        }
    }
}

/// The rule that routed a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingRule {
    /// The holder of the asset on the date.
    AssetHolder,
    /// The agglomeration's competence.
    Agglomeration,
    /// The commune of the address's INSEE code.
    Insee,
    /// The commune whose territory contains the location.
    Territory,
}

/// The outcome of routing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routing {
    /// To this tenant, by this rule.
    Tenant {
        /// Tenant code.
        tenant: String,
        /// The rule.
        rule: RoutingRule,
    },
    /// No rule applies.
    Manual,
}

/// The outcome of [`Mutualis::submit_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    /// Recorded for this tenant.
    To {
        /// The request's id.
        id: RequestId,
        /// Tenant code.
        tenant: String,
        /// The rule.
        rule: RoutingRule,
    },
    /// Kept for manual routing.
    Manual,
}

/// Categories, competences and territories, and the requests waiting for
/// manual routing (see the [module](self) docs): the registry's state,
/// read through [`Mutualis::request_catalogue`], changed by the registry's
/// commands. Serialisable as JSON ([`RequestCatalogue::to_json`]; such a file
/// is imported by [`Mutualis::import_request_catalogue`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestCatalogue {
    /// The agglomeration's tenant code.
    #[serde(default)]
    agglomeration: Option<String>,
    /// The categories, in creation order.
    #[serde(default)]
    categories: Vec<NewCategory>,
    /// Competence per category code (ordered, so `to_json` gives the same
    /// text for the same catalogue).
    #[serde(default)]
    competences: BTreeMap<String, Competence>,
    /// Commune territories.
    #[serde(default)]
    territories: Vec<Territory>,
    /// Neighbourhood councils.
    #[serde(default)]
    councils: Vec<Council>,
    /// Requests waiting for manual routing, oldest first.
    #[serde(default)]
    pending: Vec<Intake>,
    /// What a GeoReport POST gave beyond the request (media, zipcode,
    /// contact, attributes), by request code.
    #[serde(default)]
    pub(crate) extras: BTreeMap<String, super::georeport::PostExtras>,
}

/// An in-place change of the catalogue to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum CatalogueUndo {
    /// The agglomeration was this.
    Agglomeration(Option<String>),
    /// A category was added (the last one).
    CategoryAdded,
    /// A category's competence was this (none: unset).
    Competence {
        category: String,
        old: Option<Competence>,
    },
    /// A territory was added (the last one).
    TerritoryAdded,
    /// A council was added (the last one).
    CouncilAdded,
    /// A request was kept for manual routing (the last one).
    PendingAdded,
    /// A pending request at `at` left the list (routed by hand).
    PendingRemoved { at: usize, intake: Box<Intake> },
    /// A POST's extras were kept for this request code.
    ExtrasAdded(String),
}

impl RequestCatalogue {
    /// An empty catalogue.
    #[must_use]
    pub fn new() -> RequestCatalogue {
        RequestCatalogue::default()
    }

    /// Reads a catalogue saved by [`RequestCatalogue::to_json`] (a detached
    /// value: [`Mutualis::import_request_catalogue`] brings it into a
    /// registry). Errors: [`Error::InvalidField`] (`catalogue`).
    pub fn from_json(text: &str) -> Result<RequestCatalogue> {
        serde_json::from_str(text).map_err(|e| Error::InvalidField {
            field: "catalogue",
            reason: e.to_string(),
        })
    }

    /// The catalogue as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// True when nothing is set (no dataset section to write).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.agglomeration.is_none()
            && self.categories.is_empty()
            && self.competences.is_empty()
            && self.territories.is_empty()
            && self.councils.is_empty()
            && self.pending.is_empty()
            && self.extras.is_empty()
    }

    /// The agglomeration's tenant code, if set.
    #[must_use]
    pub fn agglomeration(&self) -> Option<&str> {
        self.agglomeration.as_deref()
    }

    /// The category with this code.
    #[must_use]
    pub fn category(&self, code: &str) -> Option<&NewCategory> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The category with this code; [`Error::UnknownServiceCode`] if none.
    pub fn category_or_err(&self, code: &str) -> Result<&NewCategory> {
        self.category(code)
            .ok_or_else(|| Error::UnknownServiceCode(code.to_owned()))
    }

    /// The categories, in creation order.
    #[must_use]
    pub fn categories(&self) -> &[NewCategory] {
        &self.categories
    }

    /// The competence of a category, if set.
    #[must_use]
    pub fn competence(&self, category: &str) -> Option<Competence> {
        self.competences.get(category).copied()
    }

    /// The communes' territories, in the order added.
    #[must_use]
    pub fn territories(&self) -> &[Territory] {
        &self.territories
    }

    /// The neighbourhood councils.
    #[must_use]
    pub fn councils(&self) -> &[Council] {
        &self.councils
    }

    /// The requests waiting for manual routing, oldest first.
    #[must_use]
    pub fn pending(&self) -> &[Intake] {
        &self.pending
    }

    /// True when a request with this code waits for manual routing.
    #[must_use]
    pub fn is_pending(&self, code: &str) -> bool {
        self.pending.iter().any(|p| p.code == code)
    }

    /// What a GeoReport POST gave beyond the request, by request code.
    #[must_use]
    pub fn post_extras(&self, code: &str) -> Option<&super::georeport::PostExtras> {
        self.extras.get(code)
    }

    /// The neighbourhood council whose area contains a point.
    #[must_use]
    pub fn council_at(&self, p: GeoPoint) -> Option<&Council> {
        self.councils.iter().find(|c| c.area.contains(p))
    }

    /// Decides where a request goes (nothing is recorded).
    ///
    /// Errors: [`Error::UnknownServiceCode`], [`Error::UnknownAsset`],
    /// [`Error::OutsideAssetLife`].
    pub fn route(&self, m: &Mutualis, i: &Intake) -> Result<Routing> {
        self.category_or_err(&i.category)?;
        if let Some(a) = &i.asset {
            let h = m.holder(a, i.received.date_naive())?;
            return Ok(Routing::Tenant {
                tenant: m.tenant_code(h.tenant).to_owned(),
                rule: RoutingRule::AssetHolder,
            });
        }
        match self.competence(&i.category) {
            Some(Competence::Agglomeration) => {
                if let Some(a) = &self.agglomeration {
                    return Ok(Routing::Tenant {
                        tenant: a.clone(),
                        rule: RoutingRule::Agglomeration,
                    });
                }
            }
            Some(Competence::Communes) => {
                if let Some(insee) = &i.insee {
                    if let Some(t) = m
                        .tenants()
                        .iter()
                        .find(|t| t.insee.as_ref().is_some_and(|c| c.as_str() == insee))
                    {
                        return Ok(Routing::Tenant {
                            tenant: t.code.clone(),
                            rule: RoutingRule::Insee,
                        });
                    }
                }
                if let Some(p) = i.location {
                    if let Some(t) = self.territories.iter().find(|t| t.area.contains(p)) {
                        return Ok(Routing::Tenant {
                            tenant: t.commune.clone(),
                            rule: RoutingRule::Territory,
                        });
                    }
                }
            }
            None => {}
        }
        Ok(Routing::Manual)
    }

    /// Reverts one in-place change (see `crate::undo`).
    pub(crate) fn undo(&mut self, u: CatalogueUndo) {
        match u {
            CatalogueUndo::Agglomeration(old) => self.agglomeration = old,
            CatalogueUndo::CategoryAdded => {
                self.categories.pop();
            }
            CatalogueUndo::Competence { category, old } => match old {
                Some(c) => {
                    self.competences.insert(category, c);
                }
                None => {
                    self.competences.remove(&category);
                }
            },
            CatalogueUndo::TerritoryAdded => {
                self.territories.pop();
            }
            CatalogueUndo::CouncilAdded => {
                self.councils.pop();
            }
            CatalogueUndo::PendingAdded => {
                self.pending.pop();
            }
            CatalogueUndo::PendingRemoved { at, intake } => {
                let at = at.min(self.pending.len());
                self.pending.insert(at, *intake);
            }
            CatalogueUndo::ExtrasAdded(code) => {
                self.extras.remove(&code);
            }
        }
    }

    /// The competences in the categories' order (deterministic, for the
    /// dataset).
    pub(crate) fn competences_in_order(&self) -> Vec<(String, Competence)> {
        self.categories
            .iter()
            .filter_map(|c| self.competence(&c.code).map(|k| (c.code.clone(), k)))
            .collect()
    }

    /// The extras in the order of the requests (routed, then pending), for
    /// the dataset.
    pub(crate) fn extras_in_order<'a>(
        &'a self,
        m: &'a Mutualis,
    ) -> Vec<(&'a str, &'a super::georeport::PostExtras)> {
        if self.extras.is_empty() {
            return Vec::new();
        }
        m.requests()
            .iter()
            .map(|r| r.code.as_str())
            .chain(self.pending.iter().map(|p| p.code.as_str()))
            .filter_map(|c| self.extras.get(c).map(|x| (c, x)))
            .collect()
    }
}

/// The checks of a new category (nothing changes).
fn check_category(cat: &RequestCatalogue, m: &Mutualis, c: &NewCategory) -> Result<()> {
    check_code("request category", &c.code)?;
    check_name("category name", &c.name)?;
    m.tenant_id(&c.tenant)?;
    if cat.category(&c.code).is_some() {
        return Err(Error::InvalidField {
            field: "service_code",
            reason: format!("category {:?} already exists", c.code),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for a in &c.attributes {
        check_code("attribute", &a.code)?;
        if !seen.insert(a.code.as_str()) {
            return Err(Error::InvalidField {
                field: "attribute",
                reason: format!("attribute {:?} given twice", a.code),
            });
        }
        if !ATTRIBUTE_DATATYPES.contains(&a.datatype.as_str()) {
            return Err(Error::InvalidField {
                field: "datatype",
                reason: format!("{:?} is not an Open311 datatype", a.datatype),
            });
        }
    }
    Ok(())
}

impl Mutualis {
    /// The request catalogue: categories, competences, territories,
    /// councils and the requests waiting for manual routing.
    #[must_use]
    pub fn request_catalogue(&self) -> &RequestCatalogue {
        &self.catalogue
    }

    fn save_catalogue(&mut self, u: CatalogueUndo) {
        if self.undo.is_some() {
            self.push_undo(crate::undo::Undo::Catalogue(u));
        }
    }

    /// Sets the agglomeration the transferred competences route to.
    /// Errors: [`Error::UnknownTenant`].
    pub fn set_request_agglomeration(&mut self, tenant: &str) -> Result<()> {
        self.tenant_id(tenant)?;
        let old = self.catalogue.agglomeration.replace(tenant.to_owned());
        self.save_catalogue(CatalogueUndo::Agglomeration(old));
        self.log(
            Some(tenant.to_owned()),
            super::RequestEvent::RequestAgglomerationSet {
                tenant: tenant.to_owned(),
            },
        );
        Ok(())
    }

    /// Adds a tenant's request category (an Open311 service). Errors:
    /// [`Error::InvalidCode`], [`Error::InvalidField`] (blank name, duplicate
    /// code, bad attribute), [`Error::UnknownTenant`].
    pub fn add_request_category(&mut self, c: NewCategory) -> Result<()> {
        check_category(&self.catalogue, self, &c)?;
        let tenant = c.tenant.clone();
        self.catalogue.categories.push(c.clone());
        self.save_catalogue(CatalogueUndo::CategoryAdded);
        self.log(
            Some(tenant),
            super::RequestEvent::RequestCategoryAdded { category: c.into() },
        );
        Ok(())
    }

    /// Sets who is competent for a category. Errors:
    /// [`Error::UnknownServiceCode`].
    pub fn set_request_competence(&mut self, category: &str, c: Competence) -> Result<()> {
        let tenant = self.catalogue.category_or_err(category)?.tenant.clone();
        let old = self.catalogue.competences.insert(category.to_owned(), c);
        self.save_catalogue(CatalogueUndo::Competence {
            category: category.to_owned(),
            old,
        });
        self.log(
            Some(tenant),
            super::RequestEvent::RequestCompetenceSet {
                category: category.to_owned(),
                competence: c,
            },
        );
        Ok(())
    }

    /// Adds a commune's territory from GeoJSON. Errors: [`Error::UnknownTenant`],
    /// [`Error::InvalidField`] (`geojson`, or a tenant that is not a commune).
    pub fn add_request_territory(&mut self, commune: &str, geojson: &str) -> Result<()> {
        if self.tenant(commune)?.insee.is_none() {
            return Err(Error::InvalidField {
                field: "commune",
                reason: format!("{commune} is not a commune"),
            });
        }
        let area = Area::from_geojson(geojson)?;
        self.catalogue.territories.push(Territory {
            commune: commune.to_owned(),
            area,
            geojson: geojson.to_owned(),
        });
        self.save_catalogue(CatalogueUndo::TerritoryAdded);
        self.log(
            Some(commune.to_owned()),
            super::RequestEvent::RequestTerritoryAdded {
                commune: commune.to_owned(),
                geojson: geojson.to_owned(),
            },
        );
        Ok(())
    }

    /// Adds a neighbourhood council's area from GeoJSON. Errors:
    /// [`Error::InvalidCode`], [`Error::InvalidField`] (duplicate code,
    /// blank name, `geojson`).
    pub fn add_request_council(&mut self, code: &str, name: &str, geojson: &str) -> Result<()> {
        check_code("council", code)?;
        check_name("council name", name)?;
        if self.catalogue.councils.iter().any(|c| c.code == code) {
            return Err(Error::InvalidField {
                field: "council",
                reason: format!("council {code:?} already exists"),
            });
        }
        let area = Area::from_geojson(geojson)?;
        self.catalogue.councils.push(Council {
            code: code.to_owned(),
            name: name.to_owned(),
            area,
            geojson: geojson.to_owned(),
        });
        self.save_catalogue(CatalogueUndo::CouncilAdded);
        self.log(
            None,
            super::RequestEvent::RequestCouncilAdded {
                code: code.to_owned(),
                name: name.to_owned(),
                geojson: geojson.to_owned(),
            },
        );
        Ok(())
    }

    /// Routes and records a request (see the [module](self) docs); a request
    /// no rule routes is kept in [`RequestCatalogue::pending`]. One
    /// `request_submitted` event either way.
    ///
    /// Errors (nothing changes): as [`RequestCatalogue::route`] and
    /// [`Mutualis::receive_request`]; [`Error::DuplicateRequest`] also for a
    /// code waiting for manual routing.
    pub fn submit_request(&mut self, i: Intake) -> Result<Routed> {
        self.submit_with_extras(i, None)
    }

    /// [`Mutualis::submit_request`] keeping a GeoReport POST's extras.
    pub(crate) fn submit_with_extras(
        &mut self,
        i: Intake,
        extras: Option<super::georeport::PostExtras>,
    ) -> Result<Routed> {
        if self.catalogue.is_pending(&i.code) || self.requests.contains(&i.code) {
            return Err(Error::DuplicateRequest(i.code));
        }
        let routed = match self.catalogue.route(self, &i)? {
            Routing::Tenant { tenant, rule } => {
                let id = self.insert_request(&i.to_request(&tenant, None))?;
                Routed::To { id, tenant, rule }
            }
            Routing::Manual => {
                check_code("request", &i.code)?;
                check_name("request description", &i.description)?;
                crate::period::check_time("received", i.received)?;
                if let Some(p) = i.location {
                    super::check_location(p)?;
                }
                self.catalogue.pending.push(i.clone());
                self.save_catalogue(CatalogueUndo::PendingAdded);
                Routed::Manual
            }
        };
        if let Some(x) = &extras {
            self.catalogue.extras.insert(i.code.clone(), x.clone());
            self.save_catalogue(CatalogueUndo::ExtrasAdded(i.code.clone()));
        }
        let tenant = match &routed {
            Routed::To { tenant, .. } => Some(tenant.clone()),
            Routed::Manual => None,
        };
        self.log(
            tenant,
            super::RequestEvent::RequestSubmitted {
                intake: i.into(),
                extras: extras.map(Into::into),
            },
        );
        Ok(routed)
    }

    /// Records a request waiting for manual routing for `tenant` (and
    /// `service`); it leaves the pending list.
    ///
    /// Errors (nothing changes): [`Error::UnknownRequest`] (not pending), and
    /// as [`Mutualis::receive_request`].
    pub fn route_request_by_hand(
        &mut self,
        code: &str,
        tenant: &str,
        service: Option<&str>,
    ) -> Result<RequestId> {
        let at = self
            .catalogue
            .pending
            .iter()
            .position(|p| p.code == code)
            .ok_or_else(|| Error::UnknownRequest(code.to_owned()))?;
        let spec = self.catalogue.pending[at].to_request(tenant, service);
        // out of the pending list while it is recorded (its code is free),
        // back in place if it cannot be
        let intake = self.catalogue.pending.remove(at);
        let id = match self.insert_request(&spec) {
            Ok(id) => id,
            Err(e) => {
                self.catalogue.pending.insert(at, intake);
                return Err(e);
            }
        };
        self.save_catalogue(CatalogueUndo::PendingRemoved {
            at,
            intake: Box::new(intake),
        });
        self.log(
            Some(tenant.to_owned()),
            super::RequestEvent::RequestRoutedByHand {
                request: code.to_owned(),
                tenant: tenant.to_owned(),
                service: service.map(str::to_owned),
            },
        );
        Ok(id)
    }

    /// Brings a catalogue saved as JSON ([`RequestCatalogue::to_json`]) into
    /// the registry, as its commands: the agglomeration, the categories,
    /// competences, territories and councils, then the pending requests
    /// (routed again: a rule may apply now). All or nothing.
    ///
    /// Errors: [`Error::InvalidField`] (`catalogue`), or the first command's.
    pub fn import_request_catalogue(&mut self, json: &str) -> Result<()> {
        let c = RequestCatalogue::from_json(json)?;
        let cp = self.checkpoint();
        let r = self.import_catalogue_value(c);
        match r {
            Ok(()) => {
                self.release(cp);
                Ok(())
            }
            Err(e) => {
                self.rollback(cp)?;
                Err(e)
            }
        }
    }

    fn import_catalogue_value(&mut self, mut c: RequestCatalogue) -> Result<()> {
        if let Some(a) = &c.agglomeration {
            self.set_request_agglomeration(a)?;
        }
        let competences = c.competences_in_order();
        for k in std::mem::take(&mut c.categories) {
            self.add_request_category(k)?;
        }
        for (k, v) in competences {
            self.set_request_competence(&k, v)?;
        }
        for t in std::mem::take(&mut c.territories) {
            let g = if t.geojson.is_empty() {
                t.area.to_geojson()
            } else {
                t.geojson
            };
            self.add_request_territory(&t.commune, &g)?;
        }
        for k in std::mem::take(&mut c.councils) {
            let g = if k.geojson.is_empty() {
                k.area.to_geojson()
            } else {
                k.geojson
            };
            self.add_request_council(&k.code, &k.name, &g)?;
        }
        for p in std::mem::take(&mut c.pending) {
            let x = c.extras.remove(&p.code);
            self.submit_with_extras(p, x)?;
        }
        Ok(())
    }

    /// Restores the dataset's catalogue section (loading: the commands, muted).
    pub(crate) fn restore_catalogue(&mut self, rec: CatalogueRecords) -> Result<()> {
        if let Some(a) = &rec.agglomeration {
            self.set_request_agglomeration(a)?;
        }
        for k in rec.categories {
            self.add_request_category(k.into())?;
        }
        for (k, v) in rec.competences {
            self.set_request_competence(&k, v)?;
        }
        for t in rec.territories {
            self.add_request_territory(&t.commune, &t.geojson)?;
        }
        for c in rec.councils {
            self.add_request_council(&c.code, &c.name, &c.geojson)?;
        }
        for p in rec.pending {
            let i: Intake = p.into();
            if self.catalogue.is_pending(&i.code) || self.requests.contains(&i.code) {
                return Err(Error::DuplicateRequest(i.code));
            }
            self.catalogue.pending.push(i);
        }
        for (code, x) in rec.extras {
            if !self.requests.contains(&code) && !self.catalogue.is_pending(&code) {
                return Err(Error::InvalidField {
                    field: "request_extras",
                    reason: format!("unknown request {code:?}"),
                });
            }
            self.catalogue.extras.insert(code, x.into());
        }
        Ok(())
    }

    /// The dataset's catalogue section.
    pub(crate) fn catalogue_records(&self) -> CatalogueRecords {
        let c = &self.catalogue;
        CatalogueRecords {
            agglomeration: c.agglomeration.clone(),
            categories: c.categories.iter().cloned().map(Into::into).collect(),
            competences: c.competences_in_order(),
            territories: c
                .territories
                .iter()
                .map(|t| TerritoryRec {
                    commune: t.commune.clone(),
                    geojson: t.geojson.clone(),
                })
                .collect(),
            councils: c
                .councils
                .iter()
                .map(|k| CouncilRec {
                    code: k.code.clone(),
                    name: k.name.clone(),
                    geojson: k.geojson.clone(),
                })
                .collect(),
            pending: c.pending.iter().cloned().map(Into::into).collect(),
            extras: c
                .extras_in_order(self)
                .into_iter()
                .map(|(k, x)| (k.to_owned(), x.clone().into()))
                .collect(),
        }
    }
}

/// A territory in the dataset: the commune and its GeoJSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TerritoryRec {
    commune: String,
    geojson: String,
}

/// A council in the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CouncilRec {
    code: String,
    name: String,
    geojson: String,
}

/// The dataset's `request_catalogue` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogueRecords {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agglomeration: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<super::events::CategoryV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    competences: Vec<(String, Competence)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    territories: Vec<TerritoryRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    councils: Vec<CouncilRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pending: Vec<super::events::IntakeV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    extras: Vec<(String, super::events::PostExtrasV1)>,
}

impl CatalogueRecords {
    /// True when there is nothing to write.
    pub(crate) fn is_empty(&self) -> bool {
        *self == CatalogueRecords::default()
    }
}
