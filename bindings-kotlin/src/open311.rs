//! The citizens' request portal seen from Kotlin (issue 17): a
//! `RequestCatalogue` of categories, competences and territories routing
//! requests into a `Mutualis`, the statistics as records, and the Open311
//! GeoReport v2 calls as JSON/XML strings. The rules are the core's
//! (`mutualis::requests::{routing, stats, georeport}`); this file only converts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    /// Share closed within the category's target, if any.
    pub within_target: Option<Decimal>,
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

/// Categories, competences and territories routing citizens' requests.
#[derive(uniffi::Object)]
pub struct RequestCatalogue {
    inner: Mutex<rt::RequestCatalogue>,
}

impl RequestCatalogue {
    fn cat(&self) -> Result<std::sync::MutexGuard<'_, rt::RequestCatalogue>, MutualisError> {
        self.inner.lock().map_err(|_| {
            MutualisError::from(mx::Error::InvalidField {
                field: "catalogue",
                reason: "its lock is poisoned".into(),
            })
        })
    }
}

#[uniffi::export]
impl RequestCatalogue {
    /// An empty catalogue.
    #[uniffi::constructor]
    pub fn new() -> Arc<RequestCatalogue> {
        Arc::new(RequestCatalogue {
            inner: Mutex::new(rt::RequestCatalogue::new()),
        })
    }

    /// A catalogue saved by `toJson`. Throws `InvalidField`.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<RequestCatalogue>, MutualisError> {
        Ok(Arc::new(RequestCatalogue {
            inner: Mutex::new(rt::RequestCatalogue::from_json(&text)?),
        }))
    }

    /// The catalogue as JSON text.
    pub fn to_json(&self) -> Result<String, MutualisError> {
        Ok(self.cat()?.to_json())
    }

    /// Sets the agglomeration. Throws `UnknownTenant`.
    pub fn set_agglomeration(
        &self,
        registry: Arc<Mutualis>,
        tenant: String,
    ) -> Result<(), MutualisError> {
        let m = registry.lock()?;
        Ok(self.cat()?.set_agglomeration(&m, &tenant)?)
    }

    /// Adds a category with its target delay in days. Throws `InvalidCode`,
    /// `InvalidField`, `UnknownTenant`.
    #[uniffi::method(default(target_days = None, group = None))]
    pub fn add_category(
        &self,
        registry: Arc<Mutualis>,
        tenant: String,
        code: String,
        name: String,
        target_days: Option<u32>,
        group: Option<String>,
    ) -> Result<(), MutualisError> {
        let mut c = rt::NewCategory::new(&tenant, &code, &name, target_days);
        c.group = group.unwrap_or_default();
        let m = registry.lock()?;
        Ok(self.cat()?.add_category(&m, c)?)
    }

    /// Sets who is competent for a category. Throws `InvalidField`.
    pub fn set_competence(
        &self,
        category: String,
        competence: Competence,
    ) -> Result<(), MutualisError> {
        let c = match competence {
            Competence::Agglomeration => rt::Competence::Agglomeration,
            Competence::Communes => rt::Competence::Communes,
        };
        Ok(self.cat()?.set_competence(&category, c)?)
    }

    /// Adds a commune's territory as GeoJSON. Throws `UnknownTenant`, `InvalidField`.
    pub fn add_territory(
        &self,
        registry: Arc<Mutualis>,
        commune: String,
        geojson: String,
    ) -> Result<(), MutualisError> {
        let m = registry.lock()?;
        Ok(self.cat()?.add_territory(&m, &commune, &geojson)?)
    }

    /// Routes and records a request from the citizen portal. Throws as
    /// the core's `submit` (`InvalidField`, `UnknownAsset`, `DuplicateRequest`…).
    #[uniffi::method(default(asset = None, insee = None, lat = None, lon = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &self,
        registry: Arc<Mutualis>,
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
                return Err(mx::Error::InvalidField {
                    field: "location",
                    reason: "give both lat and lon, or neither".into(),
                }
                .into())
            }
        };
        let mut cat = self.cat()?;
        Ok(match registry.write(|m| cat.submit(m, i))? {
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
            .cat()?
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
        registry: Arc<Mutualis>,
        code: String,
        tenant: String,
        service: Option<String>,
    ) -> Result<(), MutualisError> {
        let mut cat = self.cat()?;
        registry
            .write(|m| cat.route_by_hand(m, &code, &tenant, service.as_deref()))
            .map(drop)
    }

    /// Statistics per group of the requests received in `[start, end)`.
    #[uniffi::method(default(start = None, end = None))]
    pub fn statistics(
        &self,
        registry: Arc<Mutualis>,
        by: StatsBy,
        start: Option<UtcDateTime>,
        end: Option<UtcDateTime>,
    ) -> Result<Vec<RequestStats>, MutualisError> {
        let by = match by {
            StatsBy::Service => st::StatsBy::Service,
            StatsBy::Category => st::StatsBy::Category,
            StatsBy::Tenant => st::StatsBy::Tenant,
            StatsBy::Council => st::StatsBy::Council,
            StatsBy::Provider => st::StatsBy::Provider,
            StatsBy::Month => st::StatsBy::Month,
            StatsBy::All => st::StatsBy::All,
        };
        let cat = self.cat()?;
        registry.read(|m| {
            Ok(cat
                .statistics(m, by, start, end)
                .into_iter()
                .map(|s| RequestStats {
                    key: s.key,
                    received: s.received as u64,
                    closed: s.closed as u64,
                    open: s.open as u64,
                    first_response_mean: s.to_first_response.mean,
                    first_response_median: s.to_first_response.median,
                    first_response_p90: s.to_first_response.p90,
                    closure_count: s.to_closure.count as u64,
                    closure_mean: s.to_closure.mean,
                    closure_median: s.to_closure.median,
                    closure_p90: s.to_closure.p90,
                    within_target: s.within_target,
                })
                .collect())
        })
    }

    /// The open requests past their category's target delay at `now`.
    pub fn overdue(
        &self,
        registry: Arc<Mutualis>,
        now: UtcDateTime,
    ) -> Result<Vec<OverdueRequest>, MutualisError> {
        let cat = self.cat()?;
        registry.read(|m| {
            Ok(cat
                .overdue(m, now)
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
        Ok(geo::render_services(&*self.cat()?, fmt(format)))
    }

    /// GeoReport `GET services/{code}`. Throws `InvalidField`.
    pub fn service_definition(
        &self,
        code: String,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        Ok(geo::render_service_definition(
            &*self.cat()?,
            &code,
            fmt(format),
        )?)
    }

    /// GeoReport `POST requests` from its fields, received at `now`.
    /// Throws `InvalidField` naming the bad field (nothing changes).
    pub fn create_request(
        &self,
        registry: Arc<Mutualis>,
        fields: HashMap<String, String>,
        now: UtcDateTime,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        let mut fields: Vec<(String, String)> = fields.into_iter().collect();
        fields.sort();
        let mut cat = self.cat()?;
        let created = registry.write(|m| cat.create_from_fields(m, &fields, "WEB-", now))?;
        Ok(created.render(fmt(format)))
    }

    /// GeoReport `GET requests` with its parameters.
    pub fn requests(
        &self,
        registry: Arc<Mutualis>,
        params: HashMap<String, String>,
        format: GeoFormat,
    ) -> Result<String, MutualisError> {
        let params: Vec<(String, String)> = params.into_iter().collect();
        let q = geo::RequestQuery::from_params(&params)?;
        let cat = self.cat()?;
        registry.read(|m| {
            Ok(geo::render_requests(
                &cat.service_requests(m, &q)?,
                fmt(format),
            ))
        })
    }
}
