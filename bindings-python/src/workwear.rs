//! Habillement / EPI seen from Python: agents, the catalogue, allotments,
//! issues, returns, holdings, renewals, spending and the forecast as
//! records, and the lists as columns. The rules stay in the core
//! (`mutualis::workwear`); this module only converts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mutualis::workwear::{
    Agent, Allotment, AllotmentWarning, ForecastRow, Holding, RenewalDue, SpendingRow,
    WorkwearIssue, WorkwearItem, WorkwearReturn,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

/// The core registry.
type Registry = mutualis::Mutualis;

/// Records as columns: one list per named field, in that order.
macro_rules! record_columns {
    ($py:expr, $rows:expr, $($field:ident),+ $(,)?) => {{
        let _ = $py;
        let mut out = crate::table::Columns::new();
        $(
            out.set_item(
                stringify!($field),
                $rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>(),
            )?;
        )+
        out.finish()
    }};
}

py_record! {
    /// An agent of a tenant (no more personal data than needed).
    PyAgent as "Agent" {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// Name.
        name: String,
        /// Service code.
        service: String,
        /// Job.
        job: String,
        /// Sizes per size system.
        sizes: BTreeMap<String, String>,
        /// First day of assignment.
        start: NaiveDate,
        /// Last day of assignment.
        end: Option<NaiveDate>,
    }
    repr(tenant, matricule, name, service, job)
}

impl PyAgent {
    pub(crate) fn new(m: &Registry, a: &Agent) -> PyAgent {
        let (tenant, service) = m.service_codes(a.service);
        PyAgent {
            tenant: tenant.to_owned(),
            matricule: a.matricule.clone(),
            name: a.name.clone(),
            service: service.to_owned(),
            job: a.job.clone(),
            sizes: a.sizes.clone(),
            start: a.start,
            end: a.end,
        }
    }
}

py_record! {
    /// An item of the workwear catalogue.
    PyWorkwearItem as "WorkwearItem" {
        /// Code.
        code: String,
        /// Label.
        label: String,
        /// The stock item it is drawn from.
        stock_item: String,
        /// Sizes offered.
        sizes: Vec<String>,
        /// Standards met ("EN ISO 20345").
        standards: Vec<String>,
        /// Lifetime of an issued unit in months.
        lifetime_months: Option<u32>,
    }
    repr(code, label, stock_item)
}

impl PyWorkwearItem {
    pub(crate) fn new(m: &Registry, i: &WorkwearItem) -> PyWorkwearItem {
        PyWorkwearItem {
            code: i.code.clone(),
            label: i.label.clone(),
            stock_item: m.item_code(i.stock_item).to_owned(),
            sizes: i.sizes.clone(),
            standards: i.standards.clone(),
            lifetime_months: i.lifetime_months,
        }
    }
}

py_record! {
    /// An allotment (dotation) of a job or of one agent.
    PyAllotment as "Allotment" {
        /// Tenant code.
        tenant: String,
        /// Job (None: an agent's own).
        job: Option<String>,
        /// Agent matricule (None: a job's).
        agent: Option<String>,
        /// Catalogue item code.
        item: String,
        /// Quantity per period.
        quantity: u32,
        /// Period in months.
        period_months: u32,
        /// Part of the initial kit.
        initial: bool,
    }
    repr(tenant, job, agent, item, quantity, period_months)
}

impl PyAllotment {
    pub(crate) fn new(a: &Allotment) -> PyAllotment {
        PyAllotment {
            tenant: a.tenant.clone(),
            job: a.job.clone(),
            agent: a.agent.clone(),
            item: a.item.clone(),
            quantity: a.quantity,
            period_months: a.period_months,
            initial: a.initial,
        }
    }
}

py_record! {
    /// An issue of workwear to an agent, valued at CMUP.
    PyWorkwearIssue as "WorkwearIssue" {
        /// Number (from 1); the budget commitment is "EPI-<number>".
        number: usize,
        /// Tenant code.
        tenant: String,
        /// Agent matricule.
        agent: String,
        /// Catalogue item code.
        item: String,
        /// Store code.
        store: String,
        /// Day.
        date: NaiveDate,
        /// Size.
        size: Option<String>,
        /// Quantity.
        quantity: Decimal,
        /// CMUP applied.
        cmup: Decimal,
        /// quantity x CMUP, to the cent.
        value: Decimal,
        /// Service charged.
        service: String,
        /// Budget line committed.
        budget_line: Option<String>,
        /// A replacement: the reason of the units returned.
        replaces: Option<String>,
        /// Beyond the allotment (warn policy).
        warning: bool,
        /// Expiry of the units.
        expires: Option<NaiveDate>,
    }
    repr(number, agent, item, date, quantity, value, service)
}

impl PyWorkwearIssue {
    pub(crate) fn new(i: &WorkwearIssue) -> PyWorkwearIssue {
        PyWorkwearIssue {
            number: i.number,
            tenant: i.tenant.clone(),
            agent: i.agent.clone(),
            item: i.item.clone(),
            store: i.store.clone(),
            date: i.date,
            size: i.size.clone(),
            quantity: i.quantity,
            cmup: i.cmup,
            value: i.value,
            service: i.service.clone(),
            budget_line: i.budget_line.clone(),
            replaces: i.replaces.map(|r| r.as_str().to_owned()),
            warning: i.warning,
            expires: i.expires,
        }
    }
}

py_record! {
    /// Workwear returned by an agent.
    PyWorkwearReturn as "WorkwearReturn" {
        /// Tenant code.
        tenant: String,
        /// Agent matricule.
        agent: String,
        /// Catalogue item code.
        item: String,
        /// Size.
        size: Option<String>,
        /// Day.
        date: NaiveDate,
        /// Quantity.
        quantity: Decimal,
        /// "worn", "lost", "damaged" or "end_of_assignment".
        reason: String,
    }
    repr(agent, item, date, quantity, reason)
}

impl PyWorkwearReturn {
    pub(crate) fn new(r: &WorkwearReturn) -> PyWorkwearReturn {
        PyWorkwearReturn {
            tenant: r.tenant.clone(),
            agent: r.agent.clone(),
            item: r.item.clone(),
            size: r.size.clone(),
            date: r.date,
            quantity: r.quantity,
            reason: r.reason.as_str().to_owned(),
        }
    }
}

py_record! {
    /// Units an agent holds from one issue.
    PyWorkwearHolding as "WorkwearHolding" {
        /// Agent matricule.
        agent: String,
        /// Catalogue item code.
        item: String,
        /// Size.
        size: Option<String>,
        /// Day of the issue.
        issued: NaiveDate,
        /// Quantity still held.
        quantity: Decimal,
        /// Expiry.
        expires: Option<NaiveDate>,
    }
    repr(agent, item, issued, quantity, expires)
}

impl PyWorkwearHolding {
    pub(crate) fn new(h: &Holding) -> PyWorkwearHolding {
        PyWorkwearHolding {
            agent: h.agent.clone(),
            item: h.item.clone(),
            size: h.size.clone(),
            issued: h.issued,
            quantity: h.quantity,
            expires: h.expires,
        }
    }
}

py_record! {
    /// A renewal due.
    PyRenewalDue as "RenewalDue" {
        /// Agent matricule.
        agent: String,
        /// Agent name.
        name: String,
        /// Service code.
        service: String,
        /// Catalogue item code.
        item: String,
        /// Quantity due.
        quantity: u32,
        /// Day due.
        due: NaiveDate,
        /// The latest issue counted.
        last_issue: Option<NaiveDate>,
        /// Part of the initial kit.
        initial: bool,
    }
    repr(agent, item, quantity, due)
}

impl PyRenewalDue {
    pub(crate) fn new(r: &RenewalDue) -> PyRenewalDue {
        PyRenewalDue {
            agent: r.agent.clone(),
            name: r.name.clone(),
            service: r.service.clone(),
            item: r.item.clone(),
            quantity: r.quantity,
            due: r.due,
            last_issue: r.last_issue,
            initial: r.initial,
        }
    }
}

py_record! {
    /// An issue beyond the allotment accepted under the warn policy.
    PyAllotmentWarning as "AllotmentWarning" {
        /// The issue's number.
        issue: usize,
        /// Tenant code.
        tenant: String,
        /// Agent matricule.
        agent: String,
        /// Catalogue item code.
        item: String,
        /// Day.
        date: NaiveDate,
        /// Allotment per period (0: none).
        allowed: u32,
        /// Already issued in the period.
        already: Decimal,
        /// Quantity issued.
        requested: Decimal,
    }
    repr(issue, agent, item, date, allowed, already, requested)
}

impl PyAllotmentWarning {
    pub(crate) fn new(w: &AllotmentWarning) -> PyAllotmentWarning {
        PyAllotmentWarning {
            issue: w.issue,
            tenant: w.tenant.clone(),
            agent: w.agent.clone(),
            item: w.item.clone(),
            date: w.date,
            allowed: w.allowed,
            already: w.already,
            requested: w.requested,
        }
    }
}

py_record! {
    /// Workwear spending of a year with the previous year's.
    PyWorkwearSpending as "WorkwearSpending" {
        /// Tenant, service, item code or matricule.
        key: String,
        /// Quantity issued in the year.
        quantity: Decimal,
        /// Value issued in the year.
        spent: Decimal,
        /// Value issued the previous year.
        previous: Decimal,
        /// spent - previous.
        change: Decimal,
        /// Per service: its workwear budget line.
        budget_line: Option<String>,
        /// The line's credits in the year's budget.
        credits: Option<Decimal>,
        /// The line's remaining credit.
        remaining: Option<Decimal>,
    }
    repr(key, spent, previous, budget_line, remaining)
}

impl PyWorkwearSpending {
    pub(crate) fn new(r: &SpendingRow) -> PyWorkwearSpending {
        PyWorkwearSpending {
            key: r.key.clone(),
            quantity: r.quantity,
            spent: r.spent,
            previous: r.previous,
            change: r.change,
            budget_line: r.budget_line.clone(),
            credits: r.credits,
            remaining: r.remaining,
        }
    }
}

py_record! {
    /// A line of a year's renewals forecast, at current CMUP.
    PyRenewalForecast as "RenewalForecast" {
        /// Catalogue item code.
        item: String,
        /// Store valued at ("" when none).
        store: String,
        /// Units due in the year.
        quantity: Decimal,
        /// The store's current CMUP.
        cmup: Decimal,
        /// quantity x CMUP, to the cent.
        value: Decimal,
    }
    repr(item, store, quantity, cmup, value)
}

impl PyRenewalForecast {
    pub(crate) fn new(r: &ForecastRow) -> PyRenewalForecast {
        PyRenewalForecast {
            item: r.item.clone(),
            store: r.store.clone(),
            quantity: r.quantity,
            cmup: r.cmup,
            value: r.value,
        }
    }
}

/// Issues as columns.
pub fn issue_columns<'py>(
    py: Python<'py>,
    rows: &[PyWorkwearIssue],
) -> PyResult<crate::table::PyTable> {
    record_columns!(
        py,
        rows,
        number,
        tenant,
        agent,
        item,
        store,
        date,
        size,
        quantity,
        cmup,
        value,
        service,
        budget_line,
        replaces,
        warning,
        expires
    )
}

/// Renewals due as columns.
pub fn renewal_columns<'py>(
    py: Python<'py>,
    rows: &[PyRenewalDue],
) -> PyResult<crate::table::PyTable> {
    record_columns!(py, rows, agent, name, service, item, quantity, due, last_issue, initial)
}

/// Spending as columns.
pub fn spending_columns<'py>(
    py: Python<'py>,
    rows: &[PyWorkwearSpending],
) -> PyResult<crate::table::PyTable> {
    record_columns!(
        py,
        rows,
        key,
        quantity,
        spent,
        previous,
        change,
        budget_line,
        credits,
        remaining
    )
}

/// The forecast as columns.
pub fn forecast_columns<'py>(
    py: Python<'py>,
    rows: &[PyRenewalForecast],
) -> PyResult<crate::table::PyTable> {
    record_columns!(py, rows, item, store, quantity, cmup, value)
}

/// Holdings as columns.
pub fn holding_columns<'py>(
    py: Python<'py>,
    rows: &[PyWorkwearHolding],
) -> PyResult<crate::table::PyTable> {
    record_columns!(py, rows, agent, item, size, issued, quantity, expires)
}
