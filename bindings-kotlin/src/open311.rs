//! The citizens' request portal seen from Kotlin (issue 17): a
//! `RequestCatalogue` view of a registry's catalogue (categories,
//! competences, territories, councils, requests waiting for manual routing)
//! whose calls are the registry's commands (journalled, saved, undoable,
//! checked against the principal's grants), the statistics as records, and
//! the Open311 GeoReport v2 calls as JSON/XML strings. The rules are the
//! core's (`mutualis::requests::{routing, stats, georeport}`); this file only
//! converts.

use std::collections::HashMap;
use std::sync::Arc;

use mutualis as mx;
use mx::requests::georeport as geo;
use mx::requests::routing as rt;
use mx::requests::stats as st;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;
use crate::UtcDateTime;

/// Who is competent for a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Competence {
    /// Transferred to the agglomeration.
    Agglomeration,
    /// Kept by the communes (routed by territory).
    Communes,
}

/// The grouping of `RequestCatalogue.statistics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StatsBy {
    /// "TENANT/SERVICE".
    Service,
    /// Category code.
    Category,
    /// Tenant code.
    Tenant,
    /// Neighbourhood council.
    Council,
    /// Team or supplier that answered.
    Provider,
    /// "YYYY-MM" of reception.
    Month,
    /// One group "all".
    All,
}

/// Open311 rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum GeoFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
}

fn fmt(f: GeoFormat) -> geo::Format {
    match f {
        GeoFormat::Json => geo::Format::Json,
        GeoFormat::Xml => geo::Format::Xml,
    }
}

/// Where a submitted request went.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RoutingOutcome {
    /// Tenant code, `null` when kept for manual routing.
    pub tenant: Option<String>,
    /// "asset_holder", "agglomeration", "insee", "territory" or "manual".
    pub rule: String,
}

/// A group's request statistics (delays in days).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestStats {
    /// The group's key.
    pub key: String,
    /// Requests received.
    pub received: u64,
    /// Of those, closed.
    pub closed: u64,
    /// Of those, open.
    pub open: u64,
    /// Requests with a first response.
    pub first_response_count: u64,
    /// Mean delay to first response.
    pub first_response_mean: Option<Decimal>,
    /// Median delay to first response.
    pub first_response_median: Option<Decimal>,
    /// 90th percentile of the delay to first response.
    pub first_response_p90: Option<Decimal>,
    /// Requests closed (with a delay to closure).
    pub closure_count: u64,
    /// Mean delay to closure.
    pub closure_mean: Option<Decimal>,
    /// Median delay to closure.
    pub closure_median: Option<Decimal>,
    /// 90th percentile of the delay to closure.
    pub closure_p90: Option<Decimal>,
    /// Closed requests whose category has a target delay.
    pub with_target: u64,
    /// Share closed within the category's target, if any.
    pub within_target: Option<Decimal>,
}

/// A question of a category's service definition (Open311 attribute).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CategoryAttribute {
    /// Unique code within the category.
    pub code: String,
    /// "string", "number", "datetime", "text", "singlevaluelist" or "multivaluelist".
    pub datatype: String,
    /// True when the citizen must answer it.
    pub required: bool,
    /// The question asked.
    pub description: String,
    /// Display order.
    pub order: u32,
    /// The allowed values (key to name) of the list datatypes, in order.
    #[uniffi(default = [])]
    pub values: Vec<AttributeValue>,
}

/// An allowed value of a list attribute.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttributeValue {
    /// Key.
    pub key: String,
    /// Name shown.
    pub name: String,
}

/// An open request past its category's target delay.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OverdueRequest {
    /// Request code.
    pub code: String,
    /// Category.
    pub category: String,
    /// Tenant code.
    pub tenant: String,
    /// When it was due.
    pub due: UtcDateTime,
    /// Days late.
    pub days_late: Decimal,
}

/// The request catalogue of a registry: a view, no state of its own. Its
/// changes are the registry's commands (journalled, saved with the dataset
/// and the store, undoable, checked against the grants of a registry bound
/// to a principal); its statistics count what the principal may read.
#[derive(uniffi::Object)]
pub struct RequestCatalogue {
    registry: Arc<Mutualis>,
}

fn stats_by(by: StatsBy) -> st::StatsBy {
    match by {
        StatsBy::Service => st::StatsBy::Service,
        StatsBy::Category => st::StatsBy::Category,
        StatsBy::Tenant => st::StatsBy::Tenant,
        StatsBy::Council => st::StatsBy::Council,
        StatsBy::Provider => st::StatsBy::Provider,
        StatsBy::Month => st::StatsBy::Month,
        StatsBy::All => st::StatsBy::All,
    }
}

#[uniffi::export]
impl RequestCatalogue {
    /// The catalogue of `registry`.
    #[uniffi::constructor]
    pub fn new(registry: Arc<Mutualis>) -> Arc<RequestCatalogue> {
        Arc::new(RequestCatalogue { registry })
    }

    /// The catalogue as JSON text (a file `importJson` reads back).
    pub fn to_json(&self) -> Result<String, MutualisError> {
        Ok(self.registry.lock()?.request_catalogue().to_json())
    }

    /// Imports a catalogue saved by `toJson` as the registry's commands (all
    /// or nothing). Throws `InvalidField` and as each command.
    pub fn import_json(&self, text: String) -> Result<(), MutualisError> {
        self.registry.write(|m| m.import_request_catalogue(&text))
    }

    /// Sets the agglomeration. Throws `UnknownTenant`.
    pub fn set_agglomeration(&self, tenant: String) -> Result<(), MutualisError> {
        self.registry
            .write(|m| m.set_request_agglomeration(&tenant))
    }

    /// Adds a category with its target delay in days, description,
    /// keywords, group and service-definition attributes. Throws
    /// `InvalidCode`, `InvalidField`, `UnknownTenant`.
    #[uniffi::method(default(target_days = None, group = None, description = None, keywords = [], attributes = []))]
    #[allow(clippy::too_many_arguments)]
    pub fn add_category(
        &self,
        tenant: String,
        code: String,
        name: String,
        target_days: Option<u32>,
        group: Option<String>,
        description: Option<String>,
        keywords: Vec<String>,
        attributes: Vec<CategoryAttribute>,
    ) -> Result<(), MutualisError> {
        let mut c = rt::NewCategory::new(&tenant, &code, &name, target_days);
        c.group = group.unwrap_or_default();
        c.description = description.unwrap_or_default();
        c.keywords = keywords;
        c.attributes = attributes
            .into_iter()
            .map(|a| rt::CategoryAttribute {
                code: a.code,
                datatype: a.datatype,
                required: a.required,
                description: a.description,
                order: a.order,
                values: a.values.into_iter().map(|v| (v.key, v.name)).collect(),
            })
            .collect();
        self.registry.write(|m| m.add_request_category(c))
    }

    /// The categories' codes, in creation order.
    pub fn categories(&self) -> Result<Vec<String>, MutualisError> {
        Ok(self
            .registry
            .lock()?
            .request_catalogue()
            .categories()
            .iter()
            .map(|c| c.code.clone())
            .collect())
    }

    /// Sets who is competent for a category. Throws `UnknownServiceCode`.
    pub fn set_competence(
        &self,
        category: String,
        competence: Competence,
    ) -> Result<(), MutualisError> {
        let c = match competence {
            Competence::Agglomeration => rt::Competence::Agglomeration,
            Competence::Communes => rt::Competence::Communes,
        };
        self.registry
            .write(|m| m.set_request_competence(&category, c))
    }

    /// Adds a commune's territory as GeoJSON. Throws `UnknownTenant`, `InvalidField`.
    pub fn add_territory(&self, commune: String, geojson: String) -> Result<(), MutualisError> {
        self.registry
            .write(|m| m.add_request_territory(&commune, &geojson))
    }

    /// Adds a neighbourhood council's area as GeoJSON. Throws `InvalidCode`,
    /// `InvalidField`.
    pub fn add_council(
        &self,
        code: String,
        name: String,
        geojson: String,
    ) -> Result<(), MutualisError> {
        self.registry
            .write(|m| m.add_request_council(&code, &name, &geojson))
    }

    /// Routes and records a request from the citizen portal. Throws as
    /// the core's `submit_request` (`UnknownServiceCode`, `UnknownAsset`,
    /// `DuplicateRequest`, `MissingLocation`…).
    #[uniffi::method(default(asset = None, insee = None, lat = None, lon = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &self,
        code: String,
        category: String,
        description: String,
        received: UtcDateTime,
        asset: Option<String>,
        insee: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    ) -> Result<RoutingOutcome, MutualisError> {
        let mut i = rt::Intake::new(
            &code,
            mx::RequestOrigin::CitizenPortal,
            &category,
            &description,
            received,
        );
        i.asset = asset;
        i.insee = insee;
        i.location = match (lat, lon) {
            (Some(lat), Some(lon)) => Some(mx::GeoPoint { lat, lon }),
            (None, None) => None,
            _ => {
                return Err(
                    mx::Error::MissingLocation("give both lat and lon, or neither".into()).into(),
                )
            }
        };
        Ok(match self.registry.write(|m| m.submit_request(i))? {
            rt::Routed::To { tenant, rule, .. } => RoutingOutcome {
                tenant: Some(tenant),
                rule: serde_json::to_value(rule)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            },
            rt::Routed::Manual => RoutingOutcome {
                tenant: None,
                rule: "manual".into(),
            },
        })
    }

    /// The codes of the requests waiting for manual routing.
    pub fn pending(&self) -> Result<Vec<String>, MutualisError> {
        Ok(self
            .registry
            .lock()?
            .request_catalogue()
            .pending()
            .iter()
            .map(|p| p.code.clone())
            .collect())
    }

    /// Records a request waiting for manual routing for `tenant`. Throws
    /// `UnknownRequest`, `UnknownTenant`, `UnknownService`.
    #[uniffi::method(default(service = None))]
    pub fn route_by_hand(
        &self,
        code: String,
        tenant: String,
        service: Option<String>,
    ) -> Result<(), MutualisError> {
        self.registry
            .write(|m| m.route_request_by_hand(&code, &tenant, service.as_deref()))
            .map(drop)
    }

    /// Statistics per group of the requests received in `[start, end)` that
    /// the registry's principal may read.
    #[uniffi::method(default(start = None, end = None))]
    pub fn statistics(
        &self,
        by: StatsBy,
        start: Option<UtcDateTime>,
        end: Option<UtcDateTime>,
    ) -> Result<Vec<RequestStats>, MutualisError> {
        let by = stats_by(by);
        self.registry.view(|_, r| {
            Ok(r.request_statistics(by, start, end)
                .into_iter()
                .map(|s| RequestStats {
                    key: s.key,
                    received: s.received as u64,
                    closed: s.closed as u64,
                    open: s.open as u64,
                    first_response_count: s.to_first_response.count as u64,
                    first_response_mean: s.to_first_response.mean,
                    first_response_median: s.to_first_response.median,
                    first_response_p90: s.to_first_response.p90,
                    closure_count: s.to_closure.count as u64,
                    closure_mean: s.to_closure.mean,
                    closure_median: s.to_closure.median,
                    closure_p90: s.to_closure.p90,
                    with_target: s.with_target as u64,
                    within_target: s.within_target,
                })
                .collect())
        })
    }

    /// The open requests past their category's target delay at `now` (that
    /// the registry's principal may read).
    pub fn overdue(&self, now: UtcDateTime) -> Result<Vec<OverdueRequest>, MutualisError> {
        self.registry.view(|_, r| {
            Ok(r.overdue_requests(now)
                .into_iter()
                .map(|o| OverdueRequest {
                    code: o.code,
                    category: o.category,
                    tenant: o.tenant,
                    due: o.due,
                    days_late: o.days_late,
                })
                .collect())
        })
    }

    /// GeoReport `GET services`.
    pub fn services(&self, format: GeoFormat) -> Result<String, MutualisError> {
        let m = self.registry.lock()?;
        Ok(geo::render_services(m.request_catalogue(), fmt(format)))
    }

    /// GeoReport `GET services/{code}`. Throws `UnknownServiceCode`.
    pub fn service_definition(
        &self,
        code: String,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        let m = self.registry.lock()?;
        Ok(geo::render_service_definition(
            m.request_catalogue(),
            &code,
            fmt(format),
        )?)
    }

    /// GeoReport `POST requests` from its fields, received at `now`.
    /// Throws `UnknownServiceCode`, `MissingLocation`, `InvalidField` naming
    /// the bad field (nothing changes).
    pub fn create_request(
        &self,
        fields: HashMap<String, String>,
        now: UtcDateTime,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        let mut fields: Vec<(String, String)> = fields.into_iter().collect();
        fields.sort();
        let created = self
            .registry
            .write(|m| m.create_request_from_fields(&fields, "WEB-", now))?;
        Ok(created.render(fmt(format)))
    }

    /// GeoReport `GET requests` with its parameters (among the requests the
    /// registry's principal may read).
    pub fn requests(
        &self,
        params: HashMap<String, String>,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        let params: Vec<(String, String)> = params.into_iter().collect();
        let q = geo::RequestQuery::from_params(&params)?;
        self.registry
            .view(|_, r| Ok(geo::render_requests(&r.service_requests(&q)?, fmt(format))))
    }

    /// GeoReport `GET tokens/{token}`. Throws `UnknownToken`.
    pub fn token(&self, token: String, format: GeoFormat) -> Result<String, MutualisError> {
        let m = self.registry.lock()?;
        let id = m.request_catalogue().token(&m, &token)?;
        Ok(geo::render_token(&token, id.as_deref(), fmt(format)))
    }
}
