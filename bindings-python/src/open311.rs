//! The citizens' request portal seen from Python (issue 17): a
//! `RequestCatalogue` view of a registry's catalogue (categories,
//! competences, territories, councils, requests waiting for manual routing)
//! whose calls are the registry's commands (journalled, saved, undoable,
//! checked against the principal's grants), the statistics as records and
//! columns, and the Open311 GeoReport v2 calls as JSON/XML strings. The rules
//! stay in the core (`mutualis::requests::{routing, stats, georeport}`); this
//! module only converts.

use mutualis::requests::georeport::{
    render_requests, render_service_definition, render_services, render_token, Format, RequestQuery,
};
use mutualis::requests::routing::{CategoryAttribute, Competence, Intake, NewCategory, Routed};
use mutualis::requests::stats::{Overdue, RequestStats, StatsBy};
use mutualis::{Error, GeoPoint, RequestOrigin};
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

record_class! {
    PyRequestStats { key, received, closed, open, first_response_count, first_response_mean, first_response_median, first_response_p90, closure_count, closure_mean, closure_median, closure_p90, with_target, within_target }

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

record_class! {
    PyOverdue { code, category, tenant, due, days_late }

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

/// The request catalogue of a registry (categories, competences,
/// territories, councils, requests waiting for manual routing): a view, no
/// state of its own. Its changes are the registry's commands: journalled,
/// saved with the dataset and the store, undoable, checked against the
/// grants of a registry bound to a principal; its statistics count what the
/// principal may read.
#[pyclass(frozen, name = "RequestCatalogue", module = "mutualis._mutualis")]
pub struct PyRequestCatalogue {
    registry: Py<PyMutualis>,
}

fn competence(s: &str) -> PyResult<Competence> {
    match s {
        "agglomeration" => Ok(Competence::Agglomeration),
        "communes" => Ok(Competence::Communes),
        other => Err(to_py_err(Error::InvalidField {
            field: "competence",
            reason: format!("{other:?}: expected agglomeration or communes"),
        })),
    }
}

impl PyRequestCatalogue {
    /// The catalogue view of `registry`.
    pub(crate) fn of(registry: Py<PyMutualis>) -> PyRequestCatalogue {
        PyRequestCatalogue { registry }
    }

    fn m(&self) -> &PyMutualis {
        self.registry.get()
    }
}

#[pymethods]
impl PyRequestCatalogue {
    /// The catalogue of `registry`.
    #[new]
    fn new(registry: Py<PyMutualis>) -> PyRequestCatalogue {
        PyRequestCatalogue::of(registry)
    }

    /// The registry this catalogue belongs to.
    #[getter]
    fn registry(&self, py: Python<'_>) -> Py<PyMutualis> {
        self.registry.clone_ref(py)
    }

    /// The catalogue as JSON text (a file `import_json` reads back).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let m = self.m().locked(py)?;
        Ok(m.request_catalogue().to_json())
    }

    /// Imports a catalogue saved by `to_json` as the registry's commands
    /// (all or nothing).
    fn import_json(&self, py: Python<'_>, text: &str) -> PyResult<()> {
        self.m().write(py, |m| m.import_request_catalogue(text))
    }

    /// Sets the agglomeration (a tenant code).
    fn set_agglomeration(&self, py: Python<'_>, tenant: &str) -> PyResult<()> {
        self.m().write(py, |m| m.set_request_agglomeration(tenant))
    }

    /// Adds a tenant's request category (an Open311 service). `attributes`
    /// are `(code, datatype, required, description, order, values)` with
    /// `values` a list of `(key, name)`.
    #[pyo3(signature = (tenant, code, name, *, target_days=None, description=String::new(),
                        keywords=Vec::new(), group=String::new(), attributes=Vec::new()))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn add_category(
        &self,
        py: Python<'_>,
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
        self.m().write(py, |m| m.add_request_category(c))
    }

    /// The categories' codes, in creation order.
    fn categories(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let m = self.m().locked(py)?;
        Ok(m.request_catalogue()
            .categories()
            .iter()
            .map(|c| c.code.clone())
            .collect())
    }

    /// Sets who is competent for a category: "agglomeration" or "communes".
    fn set_competence(&self, py: Python<'_>, category: &str, competence: &str) -> PyResult<()> {
        let c = self::competence(competence)?;
        self.m()
            .write(py, |m| m.set_request_competence(category, c))
    }

    /// Adds a commune's territory as GeoJSON (Polygon, MultiPolygon or a Feature).
    fn add_territory(&self, py: Python<'_>, commune: &str, geojson: &str) -> PyResult<()> {
        self.m()
            .write(py, |m| m.add_request_territory(commune, geojson))
    }

    /// Adds a neighbourhood council's area as GeoJSON.
    fn add_council(&self, py: Python<'_>, code: &str, name: &str, geojson: &str) -> PyResult<()> {
        self.m()
            .write(py, |m| m.add_request_council(code, name, geojson))
    }

    /// Routes and records a request. Returns `(tenant, rule)`: the rule is
    /// "asset_holder", "agglomeration", "insee" or "territory", or
    /// `(None, "manual")` for a request kept for manual routing.
    #[pyo3(signature = (code, origin, category, description, received, *,
                        asset=None, address=None, insee=None, lat=None, lon=None))]
    #[allow(clippy::too_many_arguments)]
    fn submit(
        &self,
        py: Python<'_>,
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
                return Err(to_py_err(Error::MissingLocation(
                    "give both lat and lon, or neither".into(),
                )))
            }
        };
        let routed = self.m().write(py, |m| m.submit_request(i))?;
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
    fn pending(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let m = self.m().locked(py)?;
        Ok(m.request_catalogue()
            .pending()
            .iter()
            .map(|p| p.code.clone())
            .collect())
    }

    /// Records a request waiting for manual routing for `tenant` (and `service`).
    #[pyo3(signature = (code, tenant, service=None))]
    fn route_by_hand(
        &self,
        py: Python<'_>,
        code: &str,
        tenant: &str,
        service: Option<String>,
    ) -> PyResult<()> {
        self.m()
            .write(py, |m| {
                m.route_request_by_hand(code, tenant, service.as_deref())
            })
            .map(drop)
    }

    /// Statistics per group ("service", "category", "tenant", "council",
    /// "provider", "month" or "all") of the requests received in `[start,
    /// end)` that the registry's principal may read.
    #[pyo3(signature = (by, start=None, end=None))]
    fn statistics(
        &self,
        py: Python<'_>,
        by: &str,
        start: Option<Instant>,
        end: Option<Instant>,
    ) -> PyResult<Vec<PyRequestStats>> {
        let by = stats_by(by)?;
        let m = self.m().locked(py)?;
        let r = self.m().reader(&m)?;
        Ok(
            r.request_statistics(by, start.map(|i| i.0), end.map(|i| i.0))
                .iter()
                .map(PyRequestStats::new)
                .collect(),
        )
    }

    /// `statistics` as columns (`dict[str, list]`), the record fields as keys.
    #[pyo3(signature = (by, start=None, end=None))]
    fn statistics_columns<'py>(
        &self,
        py: Python<'py>,
        by: &str,
        start: Option<Instant>,
        end: Option<Instant>,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.statistics(py, by, start, end)?;
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

    /// The open requests past their category's target delay at `now` (that
    /// the registry's principal may read).
    fn overdue(&self, py: Python<'_>, now: Instant) -> PyResult<Vec<PyOverdue>> {
        let m = self.m().locked(py)?;
        let r = self.m().reader(&m)?;
        Ok(r.overdue_requests(now.0)
            .iter()
            .map(PyOverdue::new)
            .collect())
    }

    /// GeoReport `GET services` as "json" or "xml" text.
    #[pyo3(signature = (format="json"))]
    fn services(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        let m = self.m().locked(py)?;
        Ok(render_services(m.request_catalogue(), f))
    }

    /// GeoReport `GET services/{code}` (the service definition).
    #[pyo3(signature = (code, format="json"))]
    fn service_definition(&self, py: Python<'_>, code: &str, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        let m = self.m().locked(py)?;
        core(render_service_definition(m.request_catalogue(), code, f))
    }

    /// GeoReport `POST requests` from its fields (`(name, value)` pairs, e.g. `list(form.items())`; the
    /// attributes as "attribute[CODE]"), received at `now`; returns the
    /// response text (`service_request_id`, or `token` for manual routing).
    #[pyo3(signature = (fields, now, format="json", prefix="WEB-"))]
    fn create_request(
        &self,
        py: Python<'_>,
        fields: Vec<(String, String)>,
        now: Instant,
        format: &str,
        prefix: &str,
    ) -> PyResult<String> {
        let f = self::format(format)?;
        let created = self
            .m()
            .write(py, |m| m.create_request_from_fields(&fields, prefix, now.0))?;
        Ok(created.render(f))
    }

    /// GeoReport `GET requests` with its parameters (`(name, value)` pairs:
    /// service_request_id, service_code, start_date, end_date, status,
    /// updated_since, extensions, page, page_size), among the requests the
    /// registry's principal may read.
    #[pyo3(signature = (params=Vec::new(), format="json"))]
    fn requests(
        &self,
        py: Python<'_>,
        params: Vec<(String, String)>,
        format: &str,
    ) -> PyResult<String> {
        let f = self::format(format)?;
        let q = core(RequestQuery::from_params(&params))?;
        let m = self.m().locked(py)?;
        let r = self.m().reader(&m)?;
        let list = core(r.service_requests(&q))?;
        Ok(render_requests(&list, f))
    }

    /// GeoReport `GET tokens/{token}`.
    #[pyo3(signature = (token, format="json"))]
    fn token(&self, py: Python<'_>, token: &str, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        let m = self.m().locked(py)?;
        let id = core(m.request_catalogue().token(&m, token))?;
        Ok(render_token(token, id.as_deref(), f))
    }
}
