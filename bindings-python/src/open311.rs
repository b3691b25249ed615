//! The citizens' request portal seen from Python (issue 17): a
//! `RequestCatalogue` of categories, competences and territories routing
//! requests into a `Mutualis`, the statistics as records and columns, and
//! the Open311 GeoReport v2 calls as JSON/XML strings. The rules stay in the
//! core (`mutualis::requests::{routing, stats, georeport}`); this module only
//! converts.

use std::sync::Mutex;

use mutualis::requests::georeport::{
    render_requests, render_service_definition, render_services, render_token, Format, RequestQuery,
};
use mutualis::requests::routing::{
    CategoryAttribute, Competence, Intake, NewCategory, RequestCatalogue, Routed,
};
use mutualis::requests::stats::{Overdue, RequestStats, StatsBy};
use mutualis::{Error, GeoPoint, RequestOrigin};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::time::Instant;
use crate::{core, to_py_err, PyMutualis};

/// A request's statistics group (see `RequestCatalogue.statistics`).
#[pyclass(
    frozen,
    eq,
    get_all,
    name = "RequestStats",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct PyRequestStats {
    /// The group's key.
    key: String,
    /// Requests received.
    received: usize,
    /// Of those, closed.
    closed: usize,
    /// Of those, open.
    open: usize,
    /// Requests with a first response.
    first_response_count: usize,
    /// Mean delay to first response, days.
    first_response_mean: Option<Decimal>,
    /// Median delay to first response, days.
    first_response_median: Option<Decimal>,
    /// 90th percentile of the delay to first response, days.
    first_response_p90: Option<Decimal>,
    /// Requests closed.
    closure_count: usize,
    /// Mean delay to closure, days.
    closure_mean: Option<Decimal>,
    /// Median delay to closure, days.
    closure_median: Option<Decimal>,
    /// 90th percentile of the delay to closure, days.
    closure_p90: Option<Decimal>,
    /// Closed requests whose category has a target delay.
    with_target: usize,
    /// Share of those closed within it.
    within_target: Option<Decimal>,
}

impl PyRequestStats {
    fn new(s: &RequestStats) -> PyRequestStats {
        PyRequestStats {
            key: s.key.clone(),
            received: s.received,
            closed: s.closed,
            open: s.open,
            first_response_count: s.to_first_response.count,
            first_response_mean: s.to_first_response.mean,
            first_response_median: s.to_first_response.median,
            first_response_p90: s.to_first_response.p90,
            closure_count: s.to_closure.count,
            closure_mean: s.to_closure.mean,
            closure_median: s.to_closure.median,
            closure_p90: s.to_closure.p90,
            with_target: s.with_target,
            within_target: s.within_target,
        }
    }
}

#[pymethods]
impl PyRequestStats {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "RequestStats",
            key = self.key.clone(),
            received = self.received,
            closure_mean = self.closure_mean,
            closure_median = self.closure_median
        )
    }
}

/// An open request past its category's target delay.
#[pyclass(
    frozen,
    eq,
    get_all,
    name = "OverdueRequest",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct PyOverdue {
    /// Request code.
    code: String,
    /// Category.
    category: String,
    /// Competent tenant code.
    tenant: String,
    /// When it was due (aware UTC datetime).
    due: chrono::DateTime<chrono::Utc>,
    /// Days late.
    days_late: Decimal,
}

impl PyOverdue {
    fn new(o: &Overdue) -> PyOverdue {
        PyOverdue {
            code: o.code.clone(),
            category: o.category.clone(),
            tenant: o.tenant.clone(),
            due: o.due,
            days_late: o.days_late,
        }
    }
}

#[pymethods]
impl PyOverdue {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "OverdueRequest",
            code = self.code.clone(),
            days_late = self.days_late
        )
    }
}

fn format(s: &str) -> PyResult<Format> {
    core(Format::parse(s))
}

fn stats_by(s: &str) -> PyResult<StatsBy> {
    Ok(match s {
        "service" => StatsBy::Service,
        "category" => StatsBy::Category,
        "tenant" => StatsBy::Tenant,
        "council" => StatsBy::Council,
        "provider" => StatsBy::Provider,
        "month" => StatsBy::Month,
        "all" => StatsBy::All,
        other => {
            return Err(to_py_err(Error::InvalidField {
                field: "by",
                reason: format!(
                    "{other:?}: expected service, category, tenant, council, provider, month or all"
                ),
            }))
        }
    })
}

/// Categories, competences and territories routing citizens' requests, and
/// the requests waiting for manual routing.
#[pyclass(name = "RequestCatalogue", module = "mutualis._mutualis")]
pub struct PyRequestCatalogue {
    inner: Mutex<RequestCatalogue>,
}

impl PyRequestCatalogue {
    fn cat(&self) -> PyResult<std::sync::MutexGuard<'_, RequestCatalogue>> {
        self.inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the catalogue's lock is poisoned"))
    }
}

#[pymethods]
impl PyRequestCatalogue {
    /// An empty catalogue.
    #[new]
    fn new() -> PyRequestCatalogue {
        PyRequestCatalogue {
            inner: Mutex::new(RequestCatalogue::new()),
        }
    }

    /// A catalogue saved by `to_json`.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyRequestCatalogue> {
        Ok(PyRequestCatalogue {
            inner: Mutex::new(core(RequestCatalogue::from_json(text))?),
        })
    }

    /// The catalogue as JSON text.
    fn to_json(&self) -> PyResult<String> {
        Ok(self.cat()?.to_json())
    }

    /// Sets the agglomeration (a tenant code of `registry`).
    fn set_agglomeration(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        tenant: &str,
    ) -> PyResult<()> {
        let m = registry.locked(py)?;
        core(self.cat()?.set_agglomeration(&m, tenant))
    }

    /// Adds a tenant's request category (an Open311 service). `attributes`
    /// are `(code, datatype, required, description, order, values)` with
    /// `values` a list of `(key, name)`.
    #[pyo3(signature = (registry, tenant, code, name, *, target_days=None, description=String::new(),
                        keywords=Vec::new(), group=String::new(), attributes=Vec::new()))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn add_category(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        tenant: &str,
        code: &str,
        name: &str,
        target_days: Option<u32>,
        description: String,
        keywords: Vec<String>,
        group: String,
        attributes: Vec<(String, String, bool, String, u32, Vec<(String, String)>)>,
    ) -> PyResult<()> {
        let mut c = NewCategory::new(tenant, code, name, target_days);
        c.description = description;
        c.keywords = keywords;
        c.group = group;
        c.attributes = attributes
            .into_iter()
            .map(
                |(code, datatype, required, description, order, values)| CategoryAttribute {
                    code,
                    datatype,
                    required,
                    description,
                    order,
                    values,
                },
            )
            .collect();
        let m = registry.locked(py)?;
        core(self.cat()?.add_category(&m, c))
    }

    /// Sets who is competent for a category: "agglomeration" or "communes".
    fn set_competence(&self, category: &str, competence: &str) -> PyResult<()> {
        let c = match competence {
            "agglomeration" => Competence::Agglomeration,
            "communes" => Competence::Communes,
            other => {
                return Err(to_py_err(Error::InvalidField {
                    field: "competence",
                    reason: format!("{other:?}: expected agglomeration or communes"),
                }))
            }
        };
        core(self.cat()?.set_competence(category, c))
    }

    /// Adds a commune's territory as GeoJSON (Polygon, MultiPolygon or a Feature).
    fn add_territory(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        commune: &str,
        geojson: &str,
    ) -> PyResult<()> {
        let m = registry.locked(py)?;
        core(self.cat()?.add_territory(&m, commune, geojson))
    }

    /// Adds a neighbourhood council's area as GeoJSON.
    fn add_council(&self, code: &str, name: &str, geojson: &str) -> PyResult<()> {
        core(self.cat()?.add_council(code, name, geojson))
    }

    /// Routes and records a request. Returns `(tenant, rule)`: the rule is
    /// "asset_holder", "agglomeration", "insee" or "territory", or
    /// `(None, "manual")` for a request kept for manual routing.
    #[pyo3(signature = (registry, code, origin, category, description, received, *,
                        asset=None, address=None, insee=None, lat=None, lon=None))]
    #[allow(clippy::too_many_arguments)]
    fn submit(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        code: &str,
        origin: &str,
        category: &str,
        description: &str,
        received: Instant,
        asset: Option<String>,
        address: Option<String>,
        insee: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    ) -> PyResult<(Option<String>, String)> {
        let origin: RequestOrigin = core(origin.parse())?;
        let mut i = Intake::new(code, origin, category, description, received.0);
        i.asset = asset;
        i.address = address;
        i.insee = insee;
        i.location = match (lat, lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
            (None, None) => None,
            _ => {
                return Err(to_py_err(Error::InvalidField {
                    field: "location",
                    reason: "give both lat and lon, or neither".into(),
                }))
            }
        };
        let mut cat = self.cat()?;
        let routed = registry.write(py, |m| cat.submit(m, i))?;
        Ok(match routed {
            Routed::To { tenant, rule, .. } => (
                Some(tenant),
                serde_json::to_value(rule)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            ),
            Routed::Manual => (None, "manual".to_owned()),
        })
    }

    /// The codes of the requests waiting for manual routing, oldest first.
    fn pending(&self) -> PyResult<Vec<String>> {
        Ok(self
            .cat()?
            .pending()
            .iter()
            .map(|p| p.code.clone())
            .collect())
    }

    /// Records a request waiting for manual routing for `tenant` (and `service`).
    #[pyo3(signature = (registry, code, tenant, service=None))]
    fn route_by_hand(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        code: &str,
        tenant: &str,
        service: Option<String>,
    ) -> PyResult<()> {
        let mut cat = self.cat()?;
        registry
            .write(py, |m| {
                cat.route_by_hand(m, code, tenant, service.as_deref())
            })
            .map(drop)
    }

    /// Statistics per group ("service", "category", "tenant", "council",
    /// "provider", "month" or "all") of the requests received in `[start, end)`.
    #[pyo3(signature = (registry, by, start=None, end=None))]
    fn statistics(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        by: &str,
        start: Option<Instant>,
        end: Option<Instant>,
    ) -> PyResult<Vec<PyRequestStats>> {
        let by = stats_by(by)?;
        let m = registry.state(py)?;
        Ok(self
            .cat()?
            .statistics(&m, by, start.map(|i| i.0), end.map(|i| i.0))
            .iter()
            .map(PyRequestStats::new)
            .collect())
    }

    /// `statistics` as columns (`dict[str, list]`), the record fields as keys.
    #[pyo3(signature = (registry, by, start=None, end=None))]
    fn statistics_columns<'py>(
        &self,
        py: Python<'py>,
        registry: &PyMutualis,
        by: &str,
        start: Option<Instant>,
        end: Option<Instant>,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.statistics(py, registry, by, start, end)?;
        let mut d = crate::table::Columns::new();
        macro_rules! col {
            ($($f:ident),+) => {$(
                d.set_item(stringify!($f), rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>())?;
            )+};
        }
        col!(
            key,
            received,
            closed,
            open,
            first_response_count,
            first_response_mean,
            first_response_median,
            first_response_p90,
            closure_count,
            closure_mean,
            closure_median,
            closure_p90,
            with_target,
            within_target
        );
        d.finish()
    }

    /// The open requests past their category's target delay at `now`.
    fn overdue(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        now: Instant,
    ) -> PyResult<Vec<PyOverdue>> {
        let m = registry.state(py)?;
        Ok(self
            .cat()?
            .overdue(&m, now.0)
            .iter()
            .map(PyOverdue::new)
            .collect())
    }

    /// GeoReport `GET services` as "json" or "xml" text.
    #[pyo3(signature = (format="json"))]
    fn services(&self, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        Ok(render_services(&*self.cat()?, f))
    }

    /// GeoReport `GET services/{code}` (the service definition).
    #[pyo3(signature = (code, format="json"))]
    fn service_definition(&self, code: &str, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        core(render_service_definition(&*self.cat()?, code, f))
    }

    /// GeoReport `POST requests` from its fields (`(name, value)` pairs, e.g. `list(form.items())`; the
    /// attributes as "attribute[CODE]"), received at `now`; returns the
    /// response text (`service_request_id`, or `token` for manual routing).
    #[pyo3(signature = (registry, fields, now, format="json", prefix="WEB-"))]
    fn create_request(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        fields: Vec<(String, String)>,
        now: Instant,
        format: &str,
        prefix: &str,
    ) -> PyResult<String> {
        let f = self::format(format)?;
        let mut cat = self.cat()?;
        let created = registry.write(py, |m| cat.create_from_fields(m, &fields, prefix, now.0))?;
        Ok(created.render(f))
    }

    /// GeoReport `GET requests` with its parameters (`(name, value)` pairs:
    /// service_request_id, service_code, start_date, end_date, status,
    /// updated_since, extensions, page, page_size).
    #[pyo3(signature = (registry, params=Vec::new(), format="json"))]
    fn requests(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        params: Vec<(String, String)>,
        format: &str,
    ) -> PyResult<String> {
        let f = self::format(format)?;
        let q = core(RequestQuery::from_params(&params))?;
        let m = registry.state(py)?;
        let list = core(self.cat()?.service_requests(&m, &q))?;
        Ok(render_requests(&list, f))
    }

    /// GeoReport `GET tokens/{token}`.
    #[pyo3(signature = (registry, token, format="json"))]
    fn token(
        &self,
        py: Python<'_>,
        registry: &PyMutualis,
        token: &str,
        format: &str,
    ) -> PyResult<String> {
        let f = self::format(format)?;
        let m = registry.state(py)?;
        let id = core(self.cat()?.token(&m, token))?;
        Ok(render_token(token, id.as_deref(), f))
    }
}
