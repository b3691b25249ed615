//! Record classes of the operations modules: suppliers, teams and rates,
//! stores and stock, requests, work orders, cost lines, costing results and
//! journal entries.
//!
//! Like the registry records in `lib.rs`, each is a frozen snapshot with
//! `__eq__`, `__hash__` and a `__repr__` built from Python's repr of each
//! field; codes replace the core's dense ids, kinds are their snake_case
//! names, instants are UTC-aware `datetime.datetime`, durations
//! `datetime.timedelta`.

use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mutualis::{
    Amounts, Charge, CostLine, CostSummary, Item, JournalEntry, LabourRate, PerformerId, Provider,
    Request, RequestDelays, StatusChange, StockLevel, Store, Supplier, SupplierActivity, Team,
    VehicleRate, WorkOrder,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::{to_py_err, Error};

/// The core registry.
type Registry = mutualis::Mutualis;

/// Code of a team id (the core's [`mutualis::UNKNOWN_CODE`] for an id of another registry).
pub(crate) fn team_code(m: &Registry, id: mutualis::TeamId) -> String {
    m.team_code(id).to_owned()
}

/// Code of a supplier id.
pub(crate) fn supplier_code(m: &Registry, id: mutualis::SupplierId) -> String {
    m.supplier_code(id).to_owned()
}

/// Code of a work order id.
pub(crate) fn work_order_code(m: &Registry, id: mutualis::WorkOrderId) -> String {
    m.work_order_code(id)
        .unwrap_or(mutualis::UNKNOWN_CODE)
        .to_owned()
}

/// (tenant code, service code) of a service id.
pub(crate) fn service_pair(m: &Registry, id: mutualis::ServiceId) -> Option<(String, String)> {
    m.services()
        .get(id.index())
        .map(|s| (m.tenant_code(s.tenant).to_owned(), s.code.clone()))
}

/// A supplier (prestataire), identified by its SIRET.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Supplier",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PySupplier {
    /// Human code.
    code: String,
    /// Company name.
    name: String,
    /// SIRET (14 digits).
    siret: String,
    /// Purchase categories.
    categories: Vec<String>,
}

impl PySupplier {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(s: &Supplier) -> PySupplier {
        PySupplier {
            code: s.code.clone(),
            name: s.name.clone(),
            siret: s.siret.to_string(),
            categories: s.categories.clone(),
        }
    }
}

record_class! {
    PySupplier { code, name, siret, categories }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Supplier",
            code = &self.code,
            name = &self.name,
            siret = &self.siret,
            categories = &self.categories
        )
    }
}

/// A régie team of a tenant.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Team",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyTeam {
    /// Human code.
    code: String,
    /// Tenant code.
    tenant: String,
    /// Name.
    name: String,
    /// Service code (of the same tenant), if any.
    service: Option<String>,
}

impl PyTeam {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, t: &Team) -> PyTeam {
        PyTeam {
            code: t.code.clone(),
            tenant: m.tenant_code(t.tenant).to_owned(),
            name: t.name.clone(),
            service: t
                .service
                .and_then(|s| m.services().get(s.index()))
                .map(|s| s.code.clone()),
        }
    }
}

record_class! {
    PyTeam { code, tenant, name, service }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Team",
            code = &self.code,
            tenant = &self.tenant,
            name = &self.name,
            service = &self.service
        )
    }
}

/// An hourly labour rate of a tenant for a year (optionally per team and/or grade).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "LabourRate",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyLabourRate {
    /// Tenant code.
    tenant: String,
    /// Year.
    year: i32,
    /// Team code, for a team-specific rate.
    team: Option<String>,
    /// Grade, for a grade-specific rate.
    grade: Option<String>,
    /// Euros per hour.
    rate: Decimal,
}

impl From<LabourRate> for PyLabourRate {
    fn from(r: LabourRate) -> PyLabourRate {
        PyLabourRate {
            tenant: r.tenant,
            year: r.year,
            team: r.team,
            grade: r.grade,
            rate: r.rate,
        }
    }
}

record_class! {
    PyLabourRate { tenant, year, team, grade, rate }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "LabourRate",
            tenant = &self.tenant,
            year = self.year,
            team = &self.team,
            grade = &self.grade,
            rate = self.rate
        )
    }
}

/// A vehicle rate (of one vehicle, or of a tenant's vehicle category).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "VehicleRate",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyVehicleRate {
    /// Tenant code (the vehicle's owner, or the category table's tenant).
    tenant: String,
    /// Vehicle asset code, or category name.
    subject: String,
    /// True when `subject` is a category.
    category: bool,
    /// Year.
    year: i32,
    /// Unit charged ("hour", "day", "km").
    unit: crate::protocol::Label,
    /// Euros per unit.
    rate: Decimal,
}

impl From<VehicleRate> for PyVehicleRate {
    fn from(r: VehicleRate) -> PyVehicleRate {
        PyVehicleRate {
            tenant: r.tenant,
            subject: r.subject,
            category: r.category,
            year: r.year,
            unit: r.unit.as_str().into(),
            rate: r.rate,
        }
    }
}

record_class! {
    PyVehicleRate { tenant, subject, category, year, unit, rate }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "VehicleRate",
            tenant = &self.tenant,
            subject = &self.subject,
            category = self.category,
            year = self.year,
            unit = &self.unit,
            rate = self.rate
        )
    }
}

/// A store (magasin) of a tenant.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "StockStore",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStore {
    /// Human code.
    code: String,
    /// Tenant code.
    tenant: String,
    /// Name.
    name: String,
}

impl PyStore {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, s: &Store) -> PyStore {
        PyStore {
            code: s.code.clone(),
            tenant: m.tenant_code(s.tenant).to_owned(),
            name: s.name.clone(),
        }
    }
}

record_class! {
    PyStore { code, tenant, name }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "StockStore",
            code = &self.code,
            tenant = &self.tenant,
            name = &self.name
        )
    }
}

/// An item of the stock catalogue.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Item",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyItem {
    /// Human code.
    code: String,
    /// Name.
    name: String,
    /// Unit of quantity.
    unit: String,
}

impl From<&Item> for PyItem {
    fn from(i: &Item) -> PyItem {
        PyItem {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
        }
    }
}

record_class! {
    PyItem { code, name, unit }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Item",
            code = &self.code,
            name = &self.name,
            unit = &self.unit
        )
    }
}

/// The stock of one item in one store, valued at CMUP.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "StockLevel",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStockLevel {
    /// Quantity on hand.
    quantity: Decimal,
    /// Weighted average unit cost, 4 decimals.
    cmup: Decimal,
    /// quantity x CMUP, to the cent.
    value: Decimal,
    /// Date of the first receipt (None: nothing received yet); material
    /// cannot be issued before it.
    first_receipt: Option<NaiveDate>,
}

impl From<StockLevel> for PyStockLevel {
    fn from(l: StockLevel) -> PyStockLevel {
        PyStockLevel {
            quantity: l.quantity,
            cmup: l.cmup,
            value: l.value(),
            first_receipt: l.first_receipt,
        }
    }
}

record_class! {
    PyStockLevel { quantity, cmup, value, first_receipt }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "StockLevel",
            quantity = self.quantity,
            cmup = self.cmup,
            value = self.value,
            first_receipt = self.first_receipt
        )
    }
}

/// An issue of stock outside a work order, valued at the CMUP of the day.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "StockIssue",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStockIssue {
    /// Store code.
    store: String,
    /// Item code.
    item: String,
    /// Day of the issue.
    date: NaiveDate,
    /// Quantity issued.
    quantity: Decimal,
    /// CMUP applied, 4 decimals.
    cmup: Decimal,
    /// quantity x CMUP, to the cent.
    value: Decimal,
    /// "agent", "service", "loss" or "inventory".
    reason: crate::protocol::Label,
    /// The agent who received it.
    agent: Option<String>,
    /// (tenant, service) that received it.
    service: Option<(String, String)>,
    /// Free note.
    note: Option<String>,
}

impl PyStockIssue {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, i: &mutualis::StockIssue) -> PyStockIssue {
        PyStockIssue {
            store: m.store_code(i.store).to_owned(),
            item: m.item_code(i.item).to_owned(),
            date: i.date,
            quantity: i.quantity,
            cmup: i.cmup,
            value: i.value,
            reason: i.reason.as_str().into(),
            agent: i.agent.clone(),
            service: i.service.map(|s| {
                let (tenant, service) = m.service_codes(s);
                (tenant.to_owned(), service.to_owned())
            }),
            note: i.note.clone(),
        }
    }
}

record_class! {
    PyStockIssue { store, item, date, quantity, cmup, value, reason, agent, service, note }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "StockIssue",
            store = &self.store,
            item = &self.item,
            date = self.date,
            quantity = self.quantity,
            value = self.value,
            reason = &self.reason
        )
    }
}

/// A status change of a request or a work order.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "StatusChange",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStatusChange {
    /// When (UTC).
    at: DateTime<Utc>,
    /// New status (snake_case).
    status: crate::protocol::Label,
    /// Comment, if any.
    note: Option<String>,
}

impl PyStatusChange {
    /// The snapshot of a status change, `name` giving the status's snake_case name.
    fn new<S: Copy>(c: &StatusChange<S>, name: impl Fn(S) -> &'static str) -> PyStatusChange {
        PyStatusChange {
            at: crate::time::to_python(c.at),
            status: name(c.status).into(),
            note: c.note.clone(),
        }
    }
}

record_class! {
    PyStatusChange { at, status, note }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "StatusChange",
            at = self.at,
            status = &self.status,
            note = &self.note
        )
    }
}

/// A request (demande d'intervention), Open311-compatible.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Request",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq)]
pub struct PyRequest {
    /// Human code.
    code: String,
    /// Origin (snake_case).
    origin: crate::protocol::Label,
    /// Category (Open311 service_code).
    category: String,
    /// What is asked.
    description: String,
    /// Competent tenant code.
    tenant: String,
    /// Competent service code (of `tenant`), if any.
    service: Option<String>,
    /// Asset concerned, if any.
    asset: Option<String>,
    /// Address, if any.
    address: Option<String>,
    /// Latitude (WGS 84), if located.
    lat: Option<f64>,
    /// Longitude (WGS 84), if located.
    lon: Option<f64>,
    /// When received (UTC).
    received: DateTime<Utc>,
    /// Current status (snake_case).
    status: crate::protocol::Label,
    /// Open311 GeoReport v2 status: "open" or "closed".
    open311_status: crate::protocol::Label,
    /// Status changes after reception, oldest first.
    history: Vec<PyStatusChange>,
}

// Coordinates are finite (checked by the core), so hashing their bits is
// consistent with `==` except for 0.0 / -0.0, which we normalise.
impl Hash for PyRequest {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let bits = |x: Option<f64>| x.map(|v| if v == 0.0 { 0 } else { v.to_bits() });
        self.code.hash(state);
        self.origin.hash(state);
        self.category.hash(state);
        self.description.hash(state);
        self.tenant.hash(state);
        self.service.hash(state);
        self.asset.hash(state);
        self.address.hash(state);
        bits(self.lat).hash(state);
        bits(self.lon).hash(state);
        self.received.hash(state);
        self.status.hash(state);
        self.history.hash(state);
    }
}

impl PyRequest {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, r: &Request) -> PyRequest {
        PyRequest {
            code: r.code.clone(),
            origin: r.origin.as_str().into(),
            category: r.category.clone(),
            description: r.description.clone(),
            tenant: m.tenant_code(r.tenant).to_owned(),
            service: r
                .service
                .and_then(|s| m.services().get(s.index()))
                .map(|s| s.code.clone()),
            asset: r.asset.map(|a| m.asset_code(a).to_owned()),
            address: r.address.clone(),
            lat: r.location.map(|p| p.lat),
            lon: r.location.map(|p| p.lon),
            received: crate::time::to_python(r.received),
            status: r.status.as_str().into(),
            open311_status: r.status.open311().into(),
            history: r
                .history
                .iter()
                .map(|c| PyStatusChange::new(c, |s| s.as_str()))
                .collect(),
        }
    }
}

record_class! {
    PyRequest { code, origin, category, description, tenant, service, asset, address, lat, lon, received, status, open311_status, history }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Request",
            code = &self.code,
            origin = &self.origin,
            category = &self.category,
            description = &self.description,
            tenant = &self.tenant,
            service = &self.service,
            asset = &self.asset,
            address = &self.address,
            lat = self.lat,
            lon = self.lon,
            received = self.received,
            status = &self.status,
            open311_status = &self.open311_status,
            history = self.history.clone()
        )
    }
}

/// Delays of a request from its reception.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "RequestDelays",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyRequestDelays {
    /// To the first status change, if any.
    to_first_response: Option<TimeDelta>,
    /// To the first closing status, if any.
    to_closure: Option<TimeDelta>,
}

impl From<RequestDelays> for PyRequestDelays {
    fn from(d: RequestDelays) -> PyRequestDelays {
        PyRequestDelays {
            to_first_response: d.to_first_response,
            to_closure: d.to_closure,
        }
    }
}

record_class! {
    PyRequestDelays { to_first_response, to_closure }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "RequestDelays",
            to_first_response = self.to_first_response,
            to_closure = self.to_closure
        )
    }
}

/// A work order (bon de travaux), done by a régie team or a supplier.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "WorkOrder",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyWorkOrder {
    /// Human code.
    code: String,
    /// What is to be done.
    title: String,
    /// Asset code.
    asset: String,
    /// Régie team code, when done by a team.
    team: Option<String>,
    /// Supplier code, when done by a supplier.
    supplier: Option<String>,
    /// Ordering service as (tenant code, service code), if any.
    service: Option<(String, String)>,
    /// Codes of the requests it answers.
    requests: Vec<String>,
    /// Event tags.
    tags: Vec<String>,
    /// Beneficiary association, if any.
    association: Option<String>,
    /// Planned day, if any.
    planned_on: Option<NaiveDate>,
    /// Current status (snake_case).
    status: crate::protocol::Label,
    /// Status changes, oldest first.
    history: Vec<PyStatusChange>,
    /// Number of cost lines recorded on it.
    line_count: usize,
}

impl PyWorkOrder {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, w: &WorkOrder) -> PyWorkOrder {
        let (team, supplier) = match w.performer {
            PerformerId::Team(t) => (Some(team_code(m, t)), None),
            PerformerId::Supplier(s) => (None, Some(supplier_code(m, s))),
        };
        PyWorkOrder {
            code: w.code.clone(),
            title: w.title.clone(),
            asset: m.asset_code(w.asset).to_owned(),
            team,
            supplier,
            service: w.service.and_then(|s| service_pair(m, s)),
            requests: w
                .requests
                .iter()
                .map(|r| {
                    m.requests()
                        .get(r.index())
                        .map_or_else(|| mutualis::UNKNOWN_CODE.to_owned(), |r| r.code.clone())
                })
                .collect(),
            tags: w.tags.clone(),
            association: w.association.clone(),
            planned_on: w.planned_on,
            status: w.status.as_str().into(),
            history: w
                .history
                .iter()
                .map(|c| PyStatusChange::new(c, |s| s.as_str()))
                .collect(),
            line_count: w.lines.len(),
        }
    }
}

record_class! {
    PyWorkOrder { code, title, asset, team, supplier, service, requests, tags, association, planned_on, status, history, line_count }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "WorkOrder",
            code = &self.code,
            title = &self.title,
            asset = &self.asset,
            team = &self.team,
            supplier = &self.supplier,
            service = self.service.clone(),
            requests = &self.requests,
            tags = &self.tags,
            association = &self.association,
            planned_on = self.planned_on,
            status = &self.status,
            history = self.history.clone(),
            line_count = self.line_count
        )
    }
}

/// Where a cost line's resource came from, flattened: (provider code,
/// provider tenant, item, unit).
pub(crate) struct ProviderParts {
    /// Team, store, vehicle or supplier code (by nature).
    pub provider: String,
    /// Tenant whose régie provided it (none for a supplier).
    pub tenant: Option<String>,
    /// Item code (material lines).
    pub item: Option<String>,
    /// Unit (vehicle lines).
    pub unit: Option<&'static str>,
}

impl ProviderParts {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, p: &Provider) -> ProviderParts {
        let codes = m.provider_codes(p);
        ProviderParts {
            provider: codes.code().to_owned(),
            tenant: codes.tenant.map(str::to_owned),
            item: codes.item.map(str::to_owned),
            unit: codes.unit.map(|u| u.as_str()),
        }
    }
}

/// A recorded cost line.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "CostLine",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyCostLine {
    /// Line id (recording order in the registry, from 0).
    id: usize,
    /// Work order code.
    work_order: String,
    /// Day the cost was incurred.
    date: NaiveDate,
    /// "labour", "material", "vehicle" or "external".
    nature: crate::protocol::Label,
    /// Team (labour), store (material), vehicle (vehicle) or supplier (external) code.
    provider: String,
    /// Tenant whose régie provided the resource (None for a supplier).
    provider_tenant: Option<String>,
    /// Item code (material lines).
    item: Option<String>,
    /// Unit charged (vehicle lines).
    unit: Option<crate::protocol::Label>,
    /// Description.
    description: String,
    /// Quantity (hours x agents, item units, vehicle units; 1 for external).
    quantity: Decimal,
    /// Unit cost (hourly rate, CMUP, vehicle rate; HT for external).
    unit_cost: Decimal,
    /// Amount HT, to the cent.
    ht: Decimal,
    /// VAT rate in percent (external lines), else None.
    vat_rate: Option<Decimal>,
    /// VAT, to the cent.
    vat: Decimal,
    /// Amount TTC, to the cent.
    ttc: Decimal,
}

impl PyCostLine {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, l: &CostLine) -> PyCostLine {
        let p = ProviderParts::new(m, &l.provider);
        PyCostLine {
            id: l.id.index(),
            work_order: work_order_code(m, l.work_order),
            date: l.date,
            nature: l.nature.as_str().into(),
            provider: p.provider,
            provider_tenant: p.tenant,
            item: p.item,
            unit: p.unit.map(Into::into),
            description: l.description.clone(),
            quantity: l.quantity,
            unit_cost: l.unit_cost,
            ht: l.ht,
            vat_rate: l.vat_rate.map(|r| r.percent()),
            vat: l.vat,
            ttc: l.ttc,
        }
    }
}

record_class! {
    PyCostLine { id, work_order, date, nature, provider, provider_tenant, item, unit, description, quantity, unit_cost, ht, vat_rate, vat, ttc }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "CostLine",
            id = self.id,
            work_order = &self.work_order,
            date = self.date,
            nature = &self.nature,
            provider = &self.provider,
            provider_tenant = &self.provider_tenant,
            item = &self.item,
            unit = &self.unit,
            description = &self.description,
            quantity = self.quantity,
            unit_cost = self.unit_cost,
            ht = self.ht,
            vat_rate = self.vat_rate,
            vat = self.vat,
            ttc = self.ttc
        )
    }
}

/// HT, VAT and TTC amounts.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Amounts",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyAmounts {
    /// Hors taxes.
    ht: Decimal,
    /// VAT.
    vat: Decimal,
    /// Toutes taxes comprises.
    ttc: Decimal,
}

impl From<Amounts> for PyAmounts {
    fn from(a: Amounts) -> PyAmounts {
        PyAmounts {
            ht: a.ht,
            vat: a.vat,
            ttc: a.ttc,
        }
    }
}

record_class! {
    PyAmounts { ht, vat, ttc }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(py, "Amounts", ht = self.ht, vat = self.vat, ttc = self.ttc)
    }
}

/// Costs by nature and in total (sums of lines rounded to the cent).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "CostSummary",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyCostSummary {
    /// Régie labour.
    labour: PyAmounts,
    /// Material issued from stores.
    material: PyAmounts,
    /// Vehicle and equipment use.
    vehicle: PyAmounts,
    /// External invoices.
    external: PyAmounts,
    /// Energy invoices of meters.
    energy: PyAmounts,
    /// All natures.
    total: PyAmounts,
    /// Number of lines.
    lines: usize,
}

impl From<CostSummary> for PyCostSummary {
    fn from(s: CostSummary) -> PyCostSummary {
        PyCostSummary {
            labour: s.labour.into(),
            material: s.material.into(),
            vehicle: s.vehicle.into(),
            external: s.external.into(),
            energy: s.energy.into(),
            total: s.total.into(),
            lines: s.lines,
        }
    }
}

record_class! {
    PyCostSummary { labour, material, vehicle, external, energy, total, lines }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "CostSummary",
            labour = self.labour.clone(),
            material = self.material.clone(),
            vehicle = self.vehicle.clone(),
            external = self.external.clone(),
            energy = self.energy.clone(),
            total = self.total.clone(),
            lines = self.lines
        )
    }
}

/// What one tenant is charged.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Charge",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyCharge {
    /// Paying tenant code.
    tenant: String,
    /// HT charged.
    ht: Decimal,
    /// VAT charged (TTC - HT).
    vat: Decimal,
    /// TTC charged.
    ttc: Decimal,
}

impl PyCharge {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(m: &Registry, c: &Charge) -> PyCharge {
        PyCharge {
            tenant: m.tenant_code(c.tenant).to_owned(),
            ht: c.amounts.ht,
            vat: c.amounts.vat,
            ttc: c.amounts.ttc,
        }
    }
}

record_class! {
    PyCharge { tenant, ht, vat, ttc }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Charge",
            tenant = &self.tenant,
            ht = self.ht,
            vat = self.vat,
            ttc = self.ttc
        )
    }
}

/// Interventions and external spending of a supplier.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "SupplierActivity",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PySupplierActivity {
    /// Work orders with at least one line of the supplier.
    interventions: usize,
    /// The supplier's lines.
    cost: PyCostSummary,
}

impl From<SupplierActivity> for PySupplierActivity {
    fn from(a: SupplierActivity) -> PySupplierActivity {
        PySupplierActivity {
            interventions: a.interventions,
            cost: a.cost.into(),
        }
    }
}

record_class! {
    PySupplierActivity { interventions, cost }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "SupplierActivity",
            interventions = self.interventions,
            cost = self.cost.clone()
        )
    }
}

/// One journal entry: who recorded what, when, for which tenant.
#[pyclass(frozen, eq, hash, name = "JournalEntry", module = "mutualis._mutualis")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyJournalEntry {
    /// Position in the journal, from 1.
    #[pyo3(get)]
    seq: u64,
    /// When it was recorded (UTC).
    #[pyo3(get)]
    at: DateTime<Utc>,
    /// Who recorded it.
    #[pyo3(get)]
    actor: String,
    /// The tenant the change is for, if any.
    #[pyo3(get)]
    tenant: Option<String>,
    /// Event type ("tenant_added", "cost_recorded"...).
    #[pyo3(get, name = "type")]
    kind: String,
    /// The event as JSON (an object whose "type" is `type`).
    #[pyo3(get)]
    data: String,
}

/// A serialisation failure (cannot happen for core events) as a Python error.
fn json_failure(e: &serde_json::Error) -> PyErr {
    to_py_err(Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

impl PyJournalEntry {
    /// The Python snapshot of a core record (codes for ids).
    pub(crate) fn new(e: &JournalEntry) -> PyResult<PyJournalEntry> {
        let value = serde_json::to_value(&e.event).map_err(|e| json_failure(&e))?;
        let kind = value
            .get("type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(mutualis::UNKNOWN_CODE)
            .to_owned();
        let data = serde_json::to_string(&e.event).map_err(|e| json_failure(&e))?;
        Ok(PyJournalEntry {
            seq: e.seq,
            at: crate::time::to_python(e.at),
            actor: e.actor.clone(),
            tenant: e.tenant.clone(),
            kind,
            data,
        })
    }
}

record_class! {
    PyJournalEntry { seq, at, actor, tenant, kind as "type", data }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // `data` can be a whole dataset: show its size, not its text.
        let parts = [
            format!("seq={}", self.seq),
            format!("at={}", self.at.into_bound_py_any(py)?.repr()?),
            format!(
                "actor={}",
                self.actor.clone().into_bound_py_any(py)?.repr()?
            ),
            format!(
                "tenant={}",
                self.tenant.clone().into_bound_py_any(py)?.repr()?
            ),
            format!("type={}", self.kind.clone().into_bound_py_any(py)?.repr()?),
            format!("data=<{} chars of JSON>", self.data.chars().count()),
        ];
        Ok(format!("JournalEntry({})", parts.join(", ")))
    }
}
