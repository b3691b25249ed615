//! The events of access rights: principals, roles and grants.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::period::Period;
use crate::Mutualis;

use super::{NewPrincipal, PrincipalKind, ScopeRef};

/// A principal as stored in the journal (version 1 of the payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipalV1 {
    /// Identifier given by the host application.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: PrincipalKind,
    /// Tenant code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Supplier code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
}

impl From<NewPrincipal> for PrincipalV1 {
    fn from(p: NewPrincipal) -> PrincipalV1 {
        PrincipalV1 {
            code: p.code,
            name: p.name,
            kind: p.kind,
            tenant: p.tenant,
            supplier: p.supplier,
        }
    }
}

impl From<PrincipalV1> for NewPrincipal {
    fn from(p: PrincipalV1) -> NewPrincipal {
        NewPrincipal {
            code: p.code,
            name: p.name,
            kind: p.kind,
            tenant: p.tenant,
            supplier: p.supplier,
        }
    }
}

/// An event of access rights (wrapped by [`crate::Event::Access`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessEvent {
    /// A principal was added.
    PrincipalAdded {
        /// Its description.
        principal: PrincipalV1,
    },
    /// A role was added.
    RoleAdded {
        /// Role code.
        code: String,
        /// Role name.
        name: String,
        /// Permissions as `"area:mode"` items.
        permissions: Vec<String>,
    },
    /// A role was granted to a principal on a scope over a period.
    RoleGranted {
        /// Principal code.
        principal: String,
        /// Role code.
        role: String,
        /// Where it applies.
        scope: ScopeRef,
        /// When it applies.
        period: Period,
    },
}

impl AccessEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] =
        &["principal_added", "role_added", "role_granted"];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            AccessEvent::PrincipalAdded { .. }
            | AccessEvent::RoleAdded { .. }
            | AccessEvent::RoleGranted { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            AccessEvent::PrincipalAdded { principal } => vec![("principal", &principal.code)],
            AccessEvent::RoleAdded { code, .. } => vec![("role", code)],
            AccessEvent::RoleGranted {
                principal, role, ..
            } => vec![("principal", principal), ("role", role)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            AccessEvent::PrincipalAdded { principal } => m.add_principal(principal.into()),
            AccessEvent::RoleAdded {
                code,
                name,
                permissions,
            } => m.add_role(&code, &name, &permissions),
            AccessEvent::RoleGranted {
                principal,
                role,
                scope,
                period,
            } => m.grant(&principal, &role, &scope, period),
        }
    }
}
