//! Access rights seen from Python: principals, roles, grants and scopes as
//! records, and the conversions from the core's (`mutualis::access`). The
//! rules stay in the core; this module only converts.

use chrono::NaiveDate;
use mutualis::access::{Area, Grant, Mode, Permissions, Principal, Role, ScopeRef, Target};
use mutualis::Error;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::core;

/// A principal: who acts (the host application authenticates them).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Principal",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPrincipal {
    /// Identifier given by the host application.
    code: String,
    /// Display name.
    name: String,
    /// "agent", "elected", "contractor", "citizen" or "administrator".
    kind: String,
    /// The tenant of an agent or elected official.
    tenant: Option<String>,
    /// The supplier of a contractor.
    supplier: Option<String>,
}

impl PyPrincipal {
    pub(crate) fn new(m: &mutualis::Mutualis, p: &Principal) -> PyPrincipal {
        PyPrincipal {
            code: p.code.clone(),
            name: p.name.clone(),
            kind: p.kind.to_string(),
            tenant: p.tenant.map(|t| m.tenant_code(t).to_owned()),
            supplier: p.supplier.map(|s| m.supplier_code(s).to_owned()),
        }
    }
}

record_class! {
    PyPrincipal { code, name, kind, tenant, supplier }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Principal",
            code = &self.code,
            name = &self.name,
            kind = &self.kind,
            tenant = &self.tenant,
            supplier = &self.supplier
        )
    }
}

/// A role: a name for permissions (`"work:write"`, `"budgets:read"`…).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Role",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyRole {
    /// Code.
    code: String,
    /// Display name.
    name: String,
    /// The permissions as `"area:mode"` items (writes shown without their
    /// implied reads).
    permissions: Vec<String>,
}

impl From<&Role> for PyRole {
    fn from(r: &Role) -> PyRole {
        PyRole {
            code: r.code.clone(),
            name: r.name.clone(),
            permissions: r.permissions.items(),
        }
    }
}

record_class! {
    PyRole { code, name, permissions }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Role",
            code = &self.code,
            name = &self.name,
            permissions = &self.permissions
        )
    }
}

/// Where a grant applies: `kind` is "group", "tenant", "service",
/// "subtree", "work_orders" or "budget"; the other fields are those the
/// kind uses (`None` or empty otherwise).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Scope",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyScope {
    /// The kind of scope.
    kind: String,
    /// Tenant code (tenant, service and budget scopes).
    tenant: Option<String>,
    /// Service code (service scopes).
    service: Option<String>,
    /// Asset code at the top of the subtree (subtree scopes).
    asset: Option<String>,
    /// Work-order codes (work-order scopes).
    work_orders: Vec<String>,
    /// Year (budget scopes).
    year: Option<i32>,
}

impl From<ScopeRef> for PyScope {
    fn from(s: ScopeRef) -> PyScope {
        let mut out = PyScope {
            kind: String::new(),
            tenant: None,
            service: None,
            asset: None,
            work_orders: Vec::new(),
            year: None,
        };
        match s {
            ScopeRef::Group => out.kind = "group".into(),
            ScopeRef::Tenant { tenant } => {
                out.kind = "tenant".into();
                out.tenant = Some(tenant);
            }
            ScopeRef::Service { tenant, service } => {
                out.kind = "service".into();
                out.tenant = Some(tenant);
                out.service = Some(service);
            }
            ScopeRef::Subtree { asset } => {
                out.kind = "subtree".into();
                out.asset = Some(asset);
            }
            ScopeRef::WorkOrders { work_orders } => {
                out.kind = "work_orders".into();
                out.work_orders = work_orders;
            }
            ScopeRef::Budget { tenant, year } => {
                out.kind = "budget".into();
                out.tenant = Some(tenant);
                out.year = Some(year);
            }
        }
        out
    }
}

record_class! {
    PyScope { kind, tenant, service, asset, work_orders, year }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Scope",
            kind = &self.kind,
            tenant = &self.tenant,
            service = &self.service,
            asset = &self.asset,
            work_orders = &self.work_orders,
            year = self.year
        )
    }
}

/// A role given to a principal on a scope from `start` to `end` (inclusive;
/// `end` `None` = open-ended).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Grant",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyGrant {
    /// Principal code.
    principal: String,
    /// Role code.
    role: String,
    /// Where it applies.
    scope: PyScope,
    /// First day.
    start: NaiveDate,
    /// Last day, `None` when open-ended.
    end: Option<NaiveDate>,
}

impl PyGrant {
    pub(crate) fn new(m: &mutualis::Mutualis, g: &Grant) -> PyGrant {
        PyGrant {
            principal: m.principals()[g.principal].code.clone(),
            role: m.roles()[g.role].code.clone(),
            scope: m.scope_ref(&g.scope).into(),
            start: g.period.from,
            end: g.period.to,
        }
    }
}

record_class! {
    PyGrant { principal, role, scope, start, end }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Grant",
            principal = &self.principal,
            role = &self.role,
            scope = self.scope.clone(),
            start = self.start,
            end = self.end
        )
    }
}

/// The scope a `grant` call names with its keyword arguments: nothing = the
/// group; `tenant`; `tenant` + `service`; `asset` (its subtree);
/// `work_orders`; `tenant` + `year` (a budget). Another mix is refused.
pub(crate) fn scope_of(
    tenant: Option<String>,
    service: Option<String>,
    asset: Option<String>,
    work_orders: Option<Vec<String>>,
    year: Option<i32>,
) -> PyResult<ScopeRef> {
    let scope = match (tenant, service, asset, work_orders, year) {
        (None, None, None, None, None) => ScopeRef::Group,
        (Some(tenant), None, None, None, None) => ScopeRef::Tenant { tenant },
        (Some(tenant), Some(service), None, None, None) => ScopeRef::Service { tenant, service },
        (None, None, Some(asset), None, None) => ScopeRef::Subtree { asset },
        (None, None, None, Some(work_orders), None) => ScopeRef::WorkOrders { work_orders },
        (Some(tenant), None, None, None, Some(year)) => ScopeRef::Budget { tenant, year },
        _ => {
            return Err(crate::to_py_err(Error::InvalidField {
                field: "scope",
                reason: "give nothing (the group), tenant, tenant and service, asset, \
                         work_orders, or tenant and year"
                    .into(),
            }))
        }
    };
    Ok(scope)
}

/// The target an `allowed` call names with its keyword arguments: nothing =
/// the group; `tenant`; `asset`; `work_order`; `tenant` + `year` (a budget).
pub(crate) fn target_of(
    m: &mutualis::Mutualis,
    tenant: Option<&str>,
    asset: Option<&str>,
    work_order: Option<&str>,
    year: Option<i32>,
) -> PyResult<Target> {
    let target = match (tenant, asset, work_order, year) {
        (None, None, None, None) => Target::Group,
        (Some(t), None, None, None) => Target::Tenant(core(m.tenant_id(t))?),
        (None, Some(a), None, None) => Target::Asset(core(m.asset_id(a))?),
        (None, None, Some(w), None) => Target::WorkOrder(core(m.work_order_id(w))?),
        (Some(t), None, None, Some(y)) => Target::Budget(core(m.tenant_id(t))?, y),
        _ => {
            return Err(crate::to_py_err(Error::InvalidField {
                field: "target",
                reason: "give nothing (the group), tenant, asset, work_order, or tenant and year"
                    .into(),
            }))
        }
    };
    Ok(target)
}

/// An `"area:mode"` permission (`"work:write"`) as the core's pair.
pub(crate) fn permission(text: &str) -> PyResult<(Area, Mode)> {
    core(Permissions::parse_one(text))
}
