//! Access rights seen from Kotlin (DOMAIN §8): principals, roles, grants on
//! scopes, the decision `allowed`, and `asPrincipal`, the same registry
//! bound to a principal. The rules are the core's (`mutualis::access`); this
//! file only converts.

use std::sync::Arc;

use chrono::NaiveDate;
use mutualis as mx;
use mx::access as ma;

use crate::error::MutualisError;
use crate::registry::Mutualis;

/// Who a principal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PrincipalKind {
    /// An agent of a tenant (possibly with several roles in a small commune).
    Agent,
    /// An elected official (read-only dashboards).
    Elected,
    /// A contractor: a supplier's staff, acting on assigned work orders.
    Contractor,
    /// A citizen (their own requests only).
    Citizen,
    /// The group's DSI administrator.
    Administrator,
}

impl TryFrom<ma::PrincipalKind> for PrincipalKind {
    type Error = MutualisError;
    fn try_from(k: ma::PrincipalKind) -> Result<Self, MutualisError> {
        Ok(match k {
            ma::PrincipalKind::Agent => Self::Agent,
            ma::PrincipalKind::Elected => Self::Elected,
            ma::PrincipalKind::Contractor => Self::Contractor,
            ma::PrincipalKind::Citizen => Self::Citizen,
            ma::PrincipalKind::Administrator => Self::Administrator,
            other => {
                return Err(MutualisError::internal(format!(
                    "principal kind {other} is not known to this binding"
                )))
            }
        })
    }
}

impl From<PrincipalKind> for ma::PrincipalKind {
    fn from(k: PrincipalKind) -> Self {
        match k {
            PrincipalKind::Agent => Self::Agent,
            PrincipalKind::Elected => Self::Elected,
            PrincipalKind::Contractor => Self::Contractor,
            PrincipalKind::Citizen => Self::Citizen,
            PrincipalKind::Administrator => Self::Administrator,
        }
    }
}

/// A principal: who acts (the host application authenticates them).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Principal {
    /// Identifier given by the host application.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: PrincipalKind,
    /// The tenant of an agent or elected official.
    pub tenant: Option<String>,
    /// The supplier of a contractor.
    pub supplier: Option<String>,
}

/// A role: a name for permissions.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Role {
    /// Code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The permissions as `"area:mode"` items (`"work:write"`; writes shown
    /// without their implied reads).
    pub permissions: Vec<String>,
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Scope {
    /// Every tenant of the group (the DSI administrator).
    Group,
    /// A tenant: what it holds, owns or pays for.
    Tenant {
        /// Tenant code.
        tenant: String,
    },
    /// A service of a tenant: the assets it manages, its work orders.
    Service {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
    },
    /// An asset and its descendants, with their work orders.
    Subtree {
        /// Asset code.
        asset: String,
    },
    /// These work orders only (a contractor's assignments).
    WorkOrders {
        /// Work-order codes.
        work_orders: Vec<String>,
    },
    /// One budget: a tenant's, for a year.
    Budget {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
    },
}

impl From<ma::ScopeRef> for Scope {
    fn from(s: ma::ScopeRef) -> Self {
        match s {
            ma::ScopeRef::Group => Self::Group,
            ma::ScopeRef::Tenant { tenant } => Self::Tenant { tenant },
            ma::ScopeRef::Service { tenant, service } => Self::Service { tenant, service },
            ma::ScopeRef::Subtree { asset } => Self::Subtree { asset },
            ma::ScopeRef::WorkOrders { work_orders } => Self::WorkOrders { work_orders },
            ma::ScopeRef::Budget { tenant, year } => Self::Budget { tenant, year },
        }
    }
}

impl From<Scope> for ma::ScopeRef {
    fn from(s: Scope) -> Self {
        match s {
            Scope::Group => Self::Group,
            Scope::Tenant { tenant } => Self::Tenant { tenant },
            Scope::Service { tenant, service } => Self::Service { tenant, service },
            Scope::Subtree { asset } => Self::Subtree { asset },
            Scope::WorkOrders { work_orders } => Self::WorkOrders { work_orders },
            Scope::Budget { tenant, year } => Self::Budget { tenant, year },
        }
    }
}

/// A role given to a principal on a scope from `from` to `to` (inclusive;
/// `to` null = open-ended).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Grant {
    /// Principal code.
    pub principal: String,
    /// Role code.
    pub role: String,
    /// Where it applies.
    pub scope: Scope,
    /// First day.
    pub from: NaiveDate,
    /// Last day, null when open-ended.
    pub to: Option<NaiveDate>,
}

/// What a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AccessTarget {
    /// The group as a whole (the settlement matrix, every tenant's figures).
    Group,
    /// A tenant's own records.
    Tenant {
        /// Tenant code.
        tenant: String,
    },
    /// An asset.
    Asset {
        /// Asset code.
        asset: String,
    },
    /// A work order and its cost lines.
    WorkOrder {
        /// Work-order code.
        work_order: String,
    },
    /// A tenant's budget of a year.
    Budget {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
    },
}

fn target(m: &mx::Mutualis, t: &AccessTarget) -> mx::Result<ma::Target> {
    Ok(match t {
        AccessTarget::Group => ma::Target::Group,
        AccessTarget::Tenant { tenant } => ma::Target::Tenant(m.tenant_id(tenant)?),
        AccessTarget::Asset { asset } => ma::Target::Asset(m.asset_id(asset)?),
        AccessTarget::WorkOrder { work_order } => {
            ma::Target::WorkOrder(m.work_order_id(work_order)?)
        }
        AccessTarget::Budget { tenant, year } => ma::Target::Budget(m.tenant_id(tenant)?, *year),
    })
}

#[uniffi::export]
impl Mutualis {
    // -- Access rights (DOMAIN §8) ----------------------------------------------

    /// Adds a principal: an agent or elected official of `tenant`, a
    /// contractor working for `supplier`, a citizen or the group's DSI
    /// administrator. The host application authenticates; Mutualis
    /// authorises. Throws `InvalidCode`, `InvalidField` (a tenant or supplier
    /// missing or not expected for the kind), `DuplicatePrincipal`,
    /// `UnknownTenant`, `UnknownSupplier`.
    #[uniffi::method(default(tenant = None, supplier = None))]
    pub fn add_principal(
        &self,
        code: String,
        name: String,
        kind: PrincipalKind,
        tenant: Option<String>,
        supplier: Option<String>,
    ) -> Result<(), MutualisError> {
        let spec = ma::NewPrincipal {
            code,
            name,
            kind: kind.into(),
            tenant,
            supplier,
        };
        self.write(|m| m.add_principal(spec))
    }

    /// Adds a role permitting `permissions` (`"work:write"`,
    /// `"budgets:read"`…; writing implies reading). Throws `InvalidCode`,
    /// `InvalidField`, `UnknownKind` (an area or mode), `DuplicateRole`.
    pub fn add_role(
        &self,
        code: String,
        name: String,
        permissions: Vec<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_role(&code, &name, &permissions))
    }

    /// Gives `role` to `principal` on `scope` from `from` to `to` (inclusive;
    /// null = open-ended). Throws `UnknownPrincipal`, `UnknownRole`, the
    /// unknown tenant, service, asset or work order of the scope,
    /// `DatesOutOfOrder`, `YearOutOfRange`.
    #[uniffi::method(default(to = None))]
    pub fn grant(
        &self,
        principal: String,
        role: String,
        scope: Scope,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> Result<(), MutualisError> {
        let period = mx::Period::new(from, to)?;
        let scope: ma::ScopeRef = scope.into();
        self.write(|m| m.grant(&principal, &role, &scope, period))
    }

    /// The principals, in creation order.
    pub fn principals(&self) -> Result<Vec<Principal>, MutualisError> {
        self.read(|m| {
            m.principals()
                .iter()
                .map(|p| {
                    Ok(Principal {
                        code: p.code.clone(),
                        name: p.name.clone(),
                        kind: p.kind.try_into()?,
                        tenant: p.tenant.map(|t| m.tenant_code(t).to_owned()),
                        supplier: p.supplier.map(|s| m.supplier_code(s).to_owned()),
                    })
                })
                .collect()
        })
    }

    /// The roles, in creation order.
    pub fn roles(&self) -> Result<Vec<Role>, MutualisError> {
        self.read(|m| {
            Ok(m.roles()
                .iter()
                .map(|r| Role {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    permissions: r.permissions.items(),
                })
                .collect())
        })
    }

    /// The grants of a principal, in creation order. Throws `UnknownPrincipal`.
    pub fn grants_of(&self, principal: String) -> Result<Vec<Grant>, MutualisError> {
        self.read(|m| {
            Ok(m.grants_of(&principal)?
                .into_iter()
                .map(|g| Grant {
                    principal: m.principals()[g.principal].code.clone(),
                    role: m.roles()[g.role].code.clone(),
                    scope: m.scope_ref(&g.scope).into(),
                    from: g.period.from,
                    to: g.period.to,
                })
                .collect())
        })
    }

    /// True when `principal` may use `permission` (`"work:write"`) on
    /// `target` on `date`: one of its grants valid that day has a role
    /// permitting it, on a scope covering the target (custody and keys
    /// count: the holder's agents write an asset they do not own, the owner
    /// and the payers read it). Throws `UnknownPrincipal`, `UnknownKind`, the
    /// target's unknown code.
    pub fn allowed(
        &self,
        principal: String,
        permission: String,
        target: AccessTarget,
        date: NaiveDate,
    ) -> Result<bool, MutualisError> {
        let (area, mode) = ma::Permissions::parse_one(&permission)?;
        self.read(|m| {
            let t = self::target(m, &target)?;
            Ok(m.allowed(&principal, area, mode, t, date)?)
        })
    }

    /// The same registry seen and changed by `principal`: every command is
    /// authorised against its grants (a refused one changes nothing and
    /// throws `Forbidden`), queries answer only what it may read, and the
    /// journal records it as the actor. This object stays the unchecked
    /// façade. Throws `UnknownPrincipal`.
    pub fn as_principal(&self, principal: String) -> Result<Arc<Mutualis>, MutualisError> {
        self.peek(|m| m.grants_of(&principal).map(drop))??;
        Ok(Arc::new(Mutualis {
            inner: self.inner.share(),
            principal: Some(principal),
        }))
    }

    /// The principal this object acts for (null for the unchecked façade).
    pub fn principal(&self) -> Option<String> {
        self.principal.clone()
    }
}
