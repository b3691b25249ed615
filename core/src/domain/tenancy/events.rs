//! The events of the tenancy domain: tenants, memberships and services.
//!
//! Payloads are the stored form (see [`crate::journal`]): [`TenantV1`] is the
//! persisted shape of a [`NewTenant`], converted both ways, so the builder can
//! evolve while stored journals keep reading.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::tenancy::{NewTenant, TenantKind};
use crate::Mutualis;

/// An event of the tenancy domain (wrapped by [`crate::Event::Tenancy`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TenancyEvent {
    /// A collectivité was added.
    TenantAdded {
        /// Its description.
        tenant: TenantV1,
    },
    /// A tenant joined a grouping.
    TenantJoined {
        /// Member code.
        member: String,
        /// Group code.
        group: String,
    },
    /// A service was added.
    ServiceAdded {
        /// Tenant code.
        tenant: String,
        /// Service code.
        code: String,
        /// Service name.
        name: String,
    },
}

/// The stored form of a [`NewTenant`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantV1 {
    /// Human code, unique.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Legal kind.
    pub kind: TenantKind,
    /// SIREN.
    pub siren: String,
    /// INSEE code (communes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee: Option<String>,
}

impl From<NewTenant> for TenantV1 {
    fn from(t: NewTenant) -> TenantV1 {
        TenantV1 {
            code: t.code,
            name: t.name,
            kind: t.kind,
            siren: t.siren,
            insee: t.insee,
        }
    }
}

impl From<TenantV1> for NewTenant {
    fn from(t: TenantV1) -> NewTenant {
        NewTenant {
            code: t.code,
            name: t.name,
            kind: t.kind,
            siren: t.siren,
            insee: t.insee,
        }
    }
}

impl TenancyEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] =
        &["tenant_added", "tenant_joined", "service_added"];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            TenancyEvent::TenantAdded { .. }
            | TenancyEvent::TenantJoined { .. }
            | TenancyEvent::ServiceAdded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            TenancyEvent::TenantAdded { tenant } => vec![("tenant", &tenant.code)],
            TenancyEvent::TenantJoined { member, group } => {
                vec![("tenant", member), ("tenant", group)]
            }
            TenancyEvent::ServiceAdded { tenant, .. } => vec![("tenant", tenant)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            TenancyEvent::TenantAdded { tenant } => m.add_tenant(tenant.into()).map(drop),
            TenancyEvent::TenantJoined { member, group } => m.join(&member, &group),
            TenancyEvent::ServiceAdded { tenant, code, name } => {
                m.add_service(&tenant, &code, &name).map(drop)
            }
        }
    }
}
