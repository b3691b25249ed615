//! Multi-year investment plans (core module `planning`, DOMAIN §6): records
//! of operations, AP/CP, the situation des AP/CP and the PPI rows; the
//! scheduler's candidates and plans; and their columns.
//!
//! Like every record of the binding, each class is a frozen snapshot with
//! `__eq__`, `__hash__` and a `__repr__`; codes replace dense ids. CP
//! schedules and payments are `dict[int, Decimal]` (year → amount).
//! `Candidate` is the one record Python constructs (what-if scheduling of
//! operations that are not, or not yet, in a registry).

use crate::args::Year;
use std::collections::BTreeMap;

use mutualis::planning::{Ap, ApRevision, ApSituation, Candidate, Operation, Placed, Plan, PpiRow};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::{core, Codes, Money, Weight};

/// The core registry.
type Registry = mutualis::Mutualis;

/// An investment operation of a tenant (a project of the PPI).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Operation",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyOperation {
    code: String,
    tenant: String,
    title: String,
    work_type: String,
    assets: Vec<String>,
    priority: u32,
    estimated_cost: Decimal,
    earliest_year: i32,
    profile: Vec<u64>,
    depends_on: Vec<String>,
    work_orders: Vec<String>,
}

impl PyOperation {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, o: &Operation) -> PyOperation {
        PyOperation {
            code: o.code.clone(),
            tenant: m.tenant_code(o.tenant).to_owned(),
            title: o.title.clone(),
            work_type: o.work_type.clone(),
            assets: o
                .assets
                .iter()
                .map(|a| m.asset_code(*a).to_owned())
                .collect(),
            priority: o.priority,
            estimated_cost: o.estimated_cost,
            earliest_year: o.earliest_year,
            profile: o.profile.clone(),
            depends_on: o.depends_on.clone(),
            work_orders: o
                .work_orders
                .iter()
                .map(|w| {
                    m.work_order_code(*w)
                        .unwrap_or(mutualis::UNKNOWN_CODE)
                        .to_owned()
                })
                .collect(),
        }
    }
}

record_class! {
    PyOperation { code, tenant, title, work_type, assets, priority, estimated_cost, earliest_year, profile, depends_on, work_orders }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Operation",
            code = &self.code,
            tenant = &self.tenant,
            title = &self.title,
            work_type = &self.work_type,
            assets = &self.assets,
            priority = self.priority,
            estimated_cost = self.estimated_cost,
            earliest_year = self.earliest_year,
            profile = &self.profile,
            depends_on = &self.depends_on,
            work_orders = &self.work_orders
        )
    }
}

/// A change of an AP's amount: a revision, cancelled CP of a closed year
/// (no carry-over), or a lapse.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "ApRevision",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyApRevision {
    year: i32,
    before: Decimal,
    after: Decimal,
    reason: String,
}

impl From<&ApRevision> for PyApRevision {
    fn from(r: &ApRevision) -> PyApRevision {
        PyApRevision {
            year: r.year,
            before: r.from,
            after: r.to,
            reason: r.reason.clone(),
        }
    }
}

record_class! {
    PyApRevision { year, before, after, reason }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "ApRevision",
            year = self.year,
            before = self.before,
            after = self.after,
            reason = &self.reason
        )
    }
}

/// An autorisation de programme with its CP schedule and payments.
#[pyclass(frozen, eq, hash, name = "Ap", module = "mutualis._mutualis")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyAp {
    code: String,
    tenant: String,
    title: String,
    voted_year: i32,
    voted: Decimal,
    amount: Decimal,
    schedule: BTreeMap<i32, Decimal>,
    paid: BTreeMap<i32, Decimal>,
    closed_through: Option<i32>,
    lapsed: bool,
    revisions: Vec<PyApRevision>,
    operations: Vec<String>,
    invariant_holds: bool,
    remaining: Decimal,
}

impl PyAp {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, a: &Ap) -> PyAp {
        PyAp {
            code: a.code.clone(),
            tenant: m.tenant_code(a.tenant).to_owned(),
            title: a.title.clone(),
            voted_year: a.voted_year,
            voted: a.voted,
            amount: a.amount,
            schedule: a.schedule.clone(),
            paid: a.paid.clone(),
            closed_through: a.closed_through,
            lapsed: a.lapsed,
            revisions: a.revisions.iter().map(PyApRevision::from).collect(),
            operations: a.operations.clone(),
            invariant_holds: a.invariant_holds(),
            remaining: a.remaining(),
        }
    }
}

record_class! {
    PyAp { code, tenant, title, voted_year, voted, amount, schedule, paid, closed_through, lapsed, revisions, operations, invariant_holds, remaining }

    /// Human code.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }
    /// Tenant code.
    #[getter]
    fn tenant(&self) -> &str {
        &self.tenant
    }
    /// Title.
    #[getter]
    fn title(&self) -> &str {
        &self.title
    }
    /// Year of the vote.
    #[getter]
    fn voted_year(&self) -> i32 {
        self.voted_year
    }
    /// Amount first voted.
    #[getter]
    fn voted(&self) -> Decimal {
        self.voted
    }
    /// Current amount (after revisions, cancellations, lapse).
    #[getter]
    fn amount(&self) -> Decimal {
        self.amount
    }
    /// CP scheduled for the open years: {year: amount} (a copy).
    #[getter]
    fn schedule(&self) -> BTreeMap<i32, Decimal> {
        self.schedule.clone()
    }
    /// Payments per year, closed and open years (a copy).
    #[getter]
    fn paid(&self) -> BTreeMap<i32, Decimal> {
        self.paid.clone()
    }
    /// Last closed year, if any.
    #[getter]
    fn closed_through(&self) -> Option<i32> {
        self.closed_through
    }
    /// Lapsed (caduque).
    #[getter]
    fn lapsed(&self) -> bool {
        self.lapsed
    }
    /// Changes of the amount, oldest first (a copy).
    #[getter]
    fn revisions(&self) -> Vec<PyApRevision> {
        self.revisions.clone()
    }
    /// Operation codes of the programme.
    #[getter]
    fn operations(&self) -> Vec<String> {
        self.operations.clone()
    }
    /// Σ paid in closed years + Σ CP of open years = AP.
    #[getter]
    fn invariant_holds(&self) -> bool {
        self.invariant_holds
    }
    /// AP minus every payment.
    #[getter]
    fn remaining(&self) -> Decimal {
        self.remaining
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Ap",
            code = &self.code,
            tenant = &self.tenant,
            voted_year = self.voted_year,
            voted = self.voted,
            amount = self.amount,
            schedule = &self.schedule,
            paid = &self.paid,
            closed_through = self.closed_through,
            lapsed = self.lapsed
        )
    }
}

/// One row of the situation des AP/CP of a tenant for a year.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "ApSituation",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyApSituation {
    ap: String,
    title: String,
    voted: Decimal,
    revisions: Decimal,
    amount: Decimal,
    paid_before: Decimal,
    cp_year: Decimal,
    paid_year: Decimal,
    later: Decimal,
    lapsed: bool,
}

impl From<&ApSituation> for PyApSituation {
    fn from(s: &ApSituation) -> PyApSituation {
        PyApSituation {
            ap: s.ap.clone(),
            title: s.title.clone(),
            voted: s.voted,
            revisions: s.revisions,
            amount: s.amount,
            paid_before: s.paid_before,
            cp_year: s.cp_year,
            paid_year: s.paid_year,
            later: s.later,
            lapsed: s.lapsed,
        }
    }
}

record_class! {
    PyApSituation { ap, title, voted, revisions, amount, paid_before, cp_year, paid_year, later, lapsed }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "ApSituation",
            ap = &self.ap,
            voted = self.voted,
            revisions = self.revisions,
            amount = self.amount,
            paid_before = self.paid_before,
            cp_year = self.cp_year,
            paid_year = self.paid_year,
            later = self.later,
            lapsed = self.lapsed
        )
    }
}

/// One row of the PPI: an AP in a year.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "PpiRow",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPpiRow {
    ap: String,
    title: String,
    assets: Vec<String>,
    work_types: Vec<String>,
    year: i32,
    amount: Decimal,
    scheduled: Decimal,
    paid: Decimal,
    closed: bool,
}

impl From<&PpiRow> for PyPpiRow {
    fn from(r: &PpiRow) -> PyPpiRow {
        PyPpiRow {
            ap: r.ap.clone(),
            title: r.title.clone(),
            assets: r.assets.clone(),
            work_types: r.work_types.clone(),
            year: r.year,
            amount: r.amount,
            scheduled: r.scheduled,
            paid: r.paid,
            closed: r.closed,
        }
    }
}

record_class! {
    PyPpiRow { ap, title, assets, work_types, year, amount, scheduled, paid, closed }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "PpiRow",
            ap = &self.ap,
            year = self.year,
            amount = self.amount,
            scheduled = self.scheduled,
            paid = self.paid,
            closed = self.closed,
            assets = &self.assets,
            work_types = &self.work_types
        )
    }
}

/// The situation des AP/CP as columns.
pub fn ap_situation_columns(rows: &[ApSituation]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item("ap", rows.iter().map(|r| r.ap.as_str()).collect::<Vec<_>>())?;
    out.set_item(
        "title",
        rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
    )?;
    for (name, get) in [
        ("voted", (|r| r.voted) as fn(&ApSituation) -> Decimal),
        ("revisions", |r| r.revisions),
        ("amount", |r| r.amount),
        ("paid_before", |r| r.paid_before),
        ("cp_year", |r| r.cp_year),
        ("paid_year", |r| r.paid_year),
        ("later", |r| r.later),
    ] {
        out.set_item(name, rows.iter().map(get).collect::<Vec<_>>())?;
    }
    out.set_item("lapsed", rows.iter().map(|r| r.lapsed).collect::<Vec<_>>())?;
    out.finish()
}

/// The PPI rows as columns (assets and work types joined by ", ").
pub fn ppi_columns(rows: &[PpiRow]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item("ap", rows.iter().map(|r| r.ap.as_str()).collect::<Vec<_>>())?;
    out.set_item(
        "title",
        rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "assets",
        rows.iter().map(|r| r.assets.join(", ")).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "work_types",
        rows.iter()
            .map(|r| r.work_types.join(", "))
            .collect::<Vec<_>>(),
    )?;
    out.set_item("year", rows.iter().map(|r| r.year).collect::<Vec<_>>())?;
    for (name, get) in [
        ("amount", (|r| r.amount) as fn(&PpiRow) -> Decimal),
        ("scheduled", |r| r.scheduled),
        ("paid", |r| r.paid),
    ] {
        out.set_item(name, rows.iter().map(get).collect::<Vec<_>>())?;
    }
    out.set_item("closed", rows.iter().map(|r| r.closed).collect::<Vec<_>>())?;
    out.finish()
}

/// A candidate operation for `schedule`: its cost in euros of
/// `earliest_year`, its profile (share of the cost per year of works) and the
/// operations that must end before it starts.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Candidate",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyCandidate {
    code: String,
    tenant: String,
    priority: u32,
    cost: Decimal,
    earliest_year: i32,
    profile: Vec<u64>,
    depends_on: Vec<String>,
}

impl PyCandidate {
    fn to_core(&self) -> Candidate {
        Candidate {
            code: self.code.clone(),
            tenant: self.tenant.clone(),
            priority: self.priority,
            cost: self.cost,
            earliest_year: self.earliest_year,
            profile: self.profile.clone(),
            depends_on: self.depends_on.clone(),
        }
    }

    /// The candidate of a registry's operation (its tenant's cap applies).
    pub(crate) fn from_operation(m: &Registry, o: &Operation) -> PyCandidate {
        PyCandidate {
            code: o.code.clone(),
            tenant: m.tenant_code(o.tenant).to_owned(),
            priority: o.priority,
            cost: o.estimated_cost,
            earliest_year: o.earliest_year,
            profile: o.profile.clone(),
            depends_on: o.depends_on.clone(),
        }
    }
}

record_class! {
    PyCandidate { code, tenant, priority, cost, earliest_year, profile, depends_on }

    /// A candidate; `profile` is a sequence of non-negative ints.
    #[new]
    #[pyo3(signature = (code, tenant, priority, cost, earliest_year, profile, depends_on=Codes::default()))]
    fn py_new(
        code: String,
        tenant: String,
        #[pyo3(from_py_with = crate::args::priority)] priority: u32,
        cost: Money,
        #[pyo3(from_py_with = crate::args::earliest_year)] earliest_year: i32,
        profile: Vec<Weight>,
        depends_on: Codes,
    ) -> PyCandidate {
        PyCandidate {
            code,
            tenant,
            priority,
            cost: cost.0,
            earliest_year,
            profile: profile.into_iter().map(|w| w.0).collect(),
            depends_on: depends_on.0,
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Candidate",
            code = &self.code,
            tenant = &self.tenant,
            priority = self.priority,
            cost = self.cost,
            earliest_year = self.earliest_year,
            profile = &self.profile,
            depends_on = &self.depends_on
        )
    }
}

/// An operation placed by `schedule`: first year and CP per year (revalued).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Placed",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPlaced {
    code: String,
    tenant: String,
    start: i32,
    cp: Vec<(i32, Decimal)>,
}

impl From<&Placed> for PyPlaced {
    fn from(p: &Placed) -> PyPlaced {
        PyPlaced {
            code: p.code.clone(),
            tenant: p.tenant.clone(),
            start: p.start,
            cp: p.cp.clone(),
        }
    }
}

record_class! {
    PyPlaced { code, tenant, start, cp }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Placed",
            code = &self.code,
            tenant = &self.tenant,
            start = self.start,
            cp = &self.cp
        )
    }
}

/// The result of `schedule`: what was placed (in placement order), what was
/// not (with the reason), and the CP per (tenant, year).
#[pyclass(frozen, eq, name = "Plan", module = "mutualis._mutualis")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyPlan {
    plan: Plan,
}

record_class! {
    PyPlan ["placed", "not_placed", "totals"] |fields| PyPlan {
        plan: Plan {
            placed: crate::protocol::field::<Vec<PyPlaced>>(fields, "placed")?
                .into_iter()
                .map(|p| Placed {
                    code: p.code,
                    tenant: p.tenant,
                    start: p.start,
                    cp: p.cp,
                })
                .collect(),
            not_placed: crate::protocol::field(fields, "not_placed")?,
            totals: crate::protocol::field(fields, "totals")?,
        },
    };

    /// Placed operations, in placement order.
    #[getter]
    fn placed(&self) -> Vec<PyPlaced> {
        self.plan.placed.iter().map(PyPlaced::from).collect()
    }

    /// (code, reason) of the operations not placed.
    #[getter]
    fn not_placed(&self) -> Vec<(String, String)> {
        self.plan.not_placed.clone()
    }

    /// CP per (tenant, year).
    #[getter]
    fn totals(&self) -> BTreeMap<(String, i32), Decimal> {
        self.plan.totals.clone()
    }

    /// Year-by-year difference with another plan: (tenant, year, this, other).
    fn compare(&self, other: &PyPlan) -> Vec<(String, i32, Decimal, Decimal)> {
        self.plan.compare(&other.plan)
    }

    /// The placed CP as columns: code, tenant, start, year, cp (one row per
    /// operation and year of works).
    fn table(&self) -> PyResult<crate::table::PyTable> {
        let rows: Vec<(&Placed, i32, Decimal)> = self
            .plan
            .placed
            .iter()
            .flat_map(|p| p.cp.iter().map(move |(y, a)| (p, *y, *a)))
            .collect();
        let mut out = crate::table::Columns::new();
        out.set_item(
            "code",
            rows.iter().map(|r| r.0.code.as_str()).collect::<Vec<_>>(),
        )?;
        out.set_item(
            "tenant",
            rows.iter().map(|r| r.0.tenant.as_str()).collect::<Vec<_>>(),
        )?;
        out.set_item("start", rows.iter().map(|r| r.0.start).collect::<Vec<_>>())?;
        out.set_item("year", rows.iter().map(|r| r.1).collect::<Vec<_>>())?;
        out.set_item("cp", rows.iter().map(|r| r.2).collect::<Vec<_>>())?;
        out.finish()
    }

    /// `compare` as columns: tenant, year, this, other, difference (other − this).
    fn compare_table(&self, other: &PyPlan) -> PyResult<crate::table::PyTable> {
        let rows = self.plan.compare(&other.plan);
        let mut out = crate::table::Columns::new();
        out.set_item(
            "tenant",
            rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        )?;
        out.set_item("year", rows.iter().map(|r| r.1).collect::<Vec<_>>())?;
        out.set_item("this", rows.iter().map(|r| r.2).collect::<Vec<_>>())?;
        out.set_item("other", rows.iter().map(|r| r.3).collect::<Vec<_>>())?;
        out.set_item(
            "difference",
            rows.iter().map(|r| r.3 - r.2).collect::<Vec<_>>(),
        )?;
        out.finish()
    }

    fn __repr__(&self) -> String {
        format!(
            "Plan(placed={}, not_placed={}, years={})",
            self.plan.placed.len(),
            self.plan.not_placed.len(),
            self.plan.totals.len()
        )
    }
}

/// A CP schedule from a mapping {year: amount} (keys `int`, amounts as money).
pub struct Schedule(pub Vec<(i32, Decimal)>);

impl<'py> FromPyObject<'_, 'py> for Schedule {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let map: BTreeMap<Year, Money> = obj.extract().map_err(|e: PyErr| {
            if e.is_instance_of::<crate::MutualisError>(py) {
                e
            } else {
                crate::argument_type_error(
                    py,
                    format!("expected a mapping {{year: Decimal}} for a CP schedule: {e}"),
                )
            }
        })?;
        Ok(Schedule(map.into_iter().map(|(y, a)| (y.0, a.0)).collect()))
    }
}

/// Places candidate operations over `first_year ..= last_year` under yearly
/// CP caps per (tenant, year), greedy by priority; costs revalued by
/// `index` (value per year) when given.
#[pyfunction]
#[pyo3(signature = (candidates, caps, first_year, last_year, *, index=None))]
pub fn schedule(
    py: Python<'_>,
    candidates: Vec<PyRef<'_, PyCandidate>>,
    caps: BTreeMap<(String, Year), Money>,
    #[pyo3(from_py_with = crate::args::first_year)] first_year: i32,
    #[pyo3(from_py_with = crate::args::last_year)] last_year: i32,
    index: Option<BTreeMap<Year, Money>>,
) -> PyResult<PyPlan> {
    let candidates: Vec<Candidate> = candidates.iter().map(|c| c.to_core()).collect();
    let caps: BTreeMap<(String, i32), Decimal> = caps
        .into_iter()
        .map(|((t, y), v)| ((t, y.0), v.0))
        .collect();
    let index: BTreeMap<i32, Decimal> = index
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.0, v.0))
        .collect();
    let plan = py
        .detach(|| mutualis::planning::schedule(&candidates, &caps, first_year, last_year, &index));
    Ok(PyPlan { plan: core(plan)? })
}

/// `dict[int, Decimal]` from a year map.
pub fn year_map<'py>(
    py: Python<'py>,
    map: &BTreeMap<i32, Decimal>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (y, a) in map {
        out.set_item(*y, *a)?;
    }
    Ok(out)
}
