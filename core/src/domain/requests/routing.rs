//! Routing citizens' requests by competence (issue 17, DOMAIN §7).
//!
//! A [`RequestCatalogue`] holds, as data, the tenants' request categories
//! (with their target delay, the SLA), the competences (which categories the
//! agglomeration handles, which the communes keep) and the territories
//! (commune polygons given as GeoJSON; a commune is also found by the INSEE
//! code of the address). [`RequestCatalogue::submit`] routes a request in this
//! order:
//!
//! 1. a request on an asset goes to the asset's holder (custody) on its date;
//! 2. else a category whose competence is the agglomeration's goes to the
//!    agglomeration;
//! 3. else, for a category the communes kept, the commune whose INSEE code is
//!    the address's, or whose territory contains the location;
//! 4. else the request is flagged for manual routing: kept in
//!    [`RequestCatalogue::pending`] (never dropped) until
//!    [`RequestCatalogue::route_by_hand`] records it for a tenant.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use mutualis::requests::routing::{Competence, Intake, NewCategory, RequestCatalogue, Routed};
//! use mutualis::{GeoPoint, Mutualis, NewTenant, RequestOrigin};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("VILLEREST", "Villerest", "214203317", "42332")).unwrap();
//! let mut cat = RequestCatalogue::new();
//! cat.add_category(&m, NewCategory::new("VILLEREST", "nid-de-poule", "Nid de poule", Some(10))).unwrap();
//! cat.set_competence("nid-de-poule", Competence::Communes).unwrap();
//! cat.add_territory(&m, "VILLEREST", r#"{"type":"Polygon","coordinates":[[[4.0,46.0],[4.1,46.0],[4.1,46.1],[4.0,46.1],[4.0,46.0]]]}"#).unwrap();
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let intake = Intake::new("DI-1", RequestOrigin::CitizenPortal, "nid-de-poule", "Trou", t0)
//!     .at_point(GeoPoint { lat: 46.05, lon: 4.05 });
//! match cat.submit(&mut m, intake).unwrap() {
//!     Routed::To { tenant, .. } => assert_eq!(tenant, "VILLEREST"),
//!     Routed::Manual => unreachable!(),
//! }
//! ```

use std::collections::HashMap;

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

    fn into_request(self, tenant: &str, service: Option<&str>) -> NewRequest {
        NewRequest {
            code: self.code,
            origin: self.origin,
            category: self.category,
            description: self.description,
            tenant: tenant.into(),
            service: service.map(Into::into),
            asset: self.asset,
            address: self.address,
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

/// The outcome of [`RequestCatalogue::submit`].
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
/// manual routing (see the [module](self) docs). Serialisable as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestCatalogue {
    /// The agglomeration's tenant code.
    #[serde(default)]
    agglomeration: Option<String>,
    /// The categories, in creation order.
    #[serde(default)]
    categories: Vec<NewCategory>,
    /// Competence per category code.
    #[serde(default)]
    competences: HashMap<String, Competence>,
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
    pub(crate) extras: HashMap<String, super::georeport::PostExtras>,
}

impl RequestCatalogue {
    /// An empty catalogue.
    #[must_use]
    pub fn new() -> RequestCatalogue {
        RequestCatalogue::default()
    }

    /// Reads a catalogue saved by [`RequestCatalogue::to_json`].
    /// Errors: [`Error::InvalidField`] (`catalogue`).
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

    /// Sets the agglomeration. Errors: [`Error::UnknownTenant`].
    pub fn set_agglomeration(&mut self, m: &Mutualis, tenant: &str) -> Result<()> {
        m.tenant_id(tenant)?;
        self.agglomeration = Some(tenant.to_owned());
        Ok(())
    }

    /// Adds a category. Errors: [`Error::InvalidCode`], [`Error::InvalidField`]
    /// (blank name, duplicate code, bad attribute), [`Error::UnknownTenant`].
    pub fn add_category(&mut self, m: &Mutualis, c: NewCategory) -> Result<()> {
        check_code("request category", &c.code)?;
        check_name("category name", &c.name)?;
        m.tenant_id(&c.tenant)?;
        if self.category(&c.code).is_some() {
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
        self.categories.push(c);
        Ok(())
    }

    /// Sets who is competent for a category. Errors: [`Error::InvalidField`]
    /// (`service_code`: unknown category).
    pub fn set_competence(&mut self, category: &str, c: Competence) -> Result<()> {
        self.category_or_err(category)?;
        self.competences.insert(category.to_owned(), c);
        Ok(())
    }

    /// Adds a commune's territory from GeoJSON. Errors: [`Error::UnknownTenant`],
    /// [`Error::InvalidField`] (`geojson`, or a tenant that is not a commune).
    pub fn add_territory(&mut self, m: &Mutualis, commune: &str, geojson: &str) -> Result<()> {
        if m.tenant(commune)?.insee.is_none() {
            return Err(Error::InvalidField {
                field: "commune",
                reason: format!("{commune} is not a commune"),
            });
        }
        let area = Area::from_geojson(geojson)?;
        self.territories.push(Territory {
            commune: commune.to_owned(),
            area,
        });
        Ok(())
    }

    /// Adds a neighbourhood council's area from GeoJSON. Errors:
    /// [`Error::InvalidCode`], [`Error::InvalidField`].
    pub fn add_council(&mut self, code: &str, name: &str, geojson: &str) -> Result<()> {
        check_code("council", code)?;
        check_name("council name", name)?;
        if self.councils.iter().any(|c| c.code == code) {
            return Err(Error::InvalidField {
                field: "council",
                reason: format!("council {code:?} already exists"),
            });
        }
        let area = Area::from_geojson(geojson)?;
        self.councils.push(Council {
            code: code.to_owned(),
            name: name.to_owned(),
            area,
        });
        Ok(())
    }

    /// The category with this code.
    #[must_use]
    pub fn category(&self, code: &str) -> Option<&NewCategory> {
        self.categories.iter().find(|c| c.code == code)
    }

    pub(crate) fn category_or_err(&self, code: &str) -> Result<&NewCategory> {
        self.category(code).ok_or_else(|| Error::InvalidField {
            field: "service_code",
            reason: format!("unknown request category {code:?}"),
        })
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

    /// The neighbourhood council whose area contains a point.
    #[must_use]
    pub fn council_at(&self, p: GeoPoint) -> Option<&Council> {
        self.councils.iter().find(|c| c.area.contains(p))
    }

    /// Decides where a request goes (nothing is recorded).
    ///
    /// Errors: [`Error::InvalidField`] (`service_code`: unknown category),
    /// [`Error::UnknownAsset`], [`Error::OutsideAssetLife`].
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

    /// Routes and records a request (see the [module](self) docs); a request
    /// no rule routes is kept in [`RequestCatalogue::pending`].
    ///
    /// Errors: as [`RequestCatalogue::route`] and [`Mutualis::receive_request`];
    /// [`Error::DuplicateRequest`] also for a code waiting for manual routing.
    pub fn submit(&mut self, m: &mut Mutualis, i: Intake) -> Result<Routed> {
        if self.pending.iter().any(|p| p.code == i.code) || m.request_id(&i.code).is_ok() {
            return Err(Error::DuplicateRequest(i.code));
        }
        match self.route(m, &i)? {
            Routing::Tenant { tenant, rule } => {
                let id = m.receive_request(i.into_request(&tenant, None))?;
                Ok(Routed::To { id, tenant, rule })
            }
            Routing::Manual => {
                check_code("request", &i.code)?;
                check_name("request description", &i.description)?;
                crate::period::check_time("received", i.received)?;
                if let Some(p) = i.location {
                    super::check_location(p)?;
                }
                self.pending.push(i);
                Ok(Routed::Manual)
            }
        }
    }

    /// Records a request waiting for manual routing for `tenant` (and
    /// `service`); it leaves the pending list.
    ///
    /// Errors: [`Error::UnknownRequest`] (not pending), and as
    /// [`Mutualis::receive_request`] (nothing changes).
    pub fn route_by_hand(
        &mut self,
        m: &mut Mutualis,
        code: &str,
        tenant: &str,
        service: Option<&str>,
    ) -> Result<RequestId> {
        let at = self
            .pending
            .iter()
            .position(|p| p.code == code)
            .ok_or_else(|| Error::UnknownRequest(code.to_owned()))?;
        let id = m.receive_request(self.pending[at].clone().into_request(tenant, service))?;
        self.pending.remove(at);
        Ok(id)
    }
}
