//! Collectivités (tenants), their memberships and their services.
//!
//! A tenant is a commune, an EPCI (communauté de communes, d'agglomération,
//! urbaine, métropole) or a syndicat, identified by its SIREN; communes also
//! carry their INSEE code. Services (voirie, bâtiments, sports…) are the cost
//! centres of a tenant.
//!
//! ```
//! use mutualis::{Mutualis, NewTenant, TenantKind};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.join("ROANNE", "AGGLO").unwrap();
//! m.add_service("ROANNE", "SPORTS", "Équipements sportifs").unwrap();
//! assert_eq!(m.tenant("ROANNE").unwrap().member_of.len(), 1);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name, InseeCode, Siren};
use crate::ids::{ServiceId, TenantId};
use crate::kinds::named_enum;
use crate::Mutualis;

pub mod events;
pub use events::TenancyEvent;

named_enum! {
    /// The legal kind of a collectivité.
    pub enum TenantKind as "tenant" {
        /// Commune.
        Commune = "commune",
        /// Communauté de communes (EPCI à fiscalité propre).
        CommunauteDeCommunes = "communaute_de_communes",
        /// Communauté d'agglomération (EPCI à fiscalité propre).
        CommunauteDAgglomeration = "communaute_d_agglomeration",
        /// Communauté urbaine (EPCI à fiscalité propre).
        CommunauteUrbaine = "communaute_urbaine",
        /// Métropole (EPCI à fiscalité propre).
        Metropole = "metropole",
        /// Syndicat (intercommunal or mixte), an EPCI without own taxation.
        Syndicat = "syndicat",
        /// Département.
        Departement = "departement",
        /// Any other public body (CCAS, office de tourisme…).
        Other = "other",
    }
}

impl TenantKind {
    /// True for groupings that other tenants can join (EPCIs and syndicats).
    #[must_use]
    pub fn is_grouping(self) -> bool {
        self.has_own_taxation() || self == TenantKind::Syndicat
    }

    /// True for EPCI à fiscalité propre (a commune belongs to at most one).
    #[must_use]
    pub fn has_own_taxation(self) -> bool {
        matches!(
            self,
            TenantKind::CommunauteDeCommunes
                | TenantKind::CommunauteDAgglomeration
                | TenantKind::CommunauteUrbaine
                | TenantKind::Metropole
        )
    }
}

/// A collectivité sharing the tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Dense id.
    pub id: TenantId,
    /// Human code, unique ("ROANNE").
    pub code: String,
    /// Official name ("Ville de Roanne").
    pub name: String,
    /// Legal kind.
    pub kind: TenantKind,
    /// SIREN (validated).
    pub siren: Siren,
    /// INSEE code, for communes only.
    pub insee: Option<InseeCode>,
    /// Groupings (EPCI, syndicats) this tenant is a member of, in joining order.
    pub member_of: Vec<TenantId>,
}

/// What is needed to create a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTenant {
    /// Human code, unique.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Legal kind.
    pub kind: TenantKind,
    /// SIREN, 9 digits with Luhn key (spaces ignored).
    pub siren: String,
    /// INSEE code: required for a commune, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee: Option<String>,
}

impl NewTenant {
    /// A tenant of any kind but commune (no INSEE code).
    #[must_use]
    pub fn new(code: &str, name: &str, kind: TenantKind, siren: &str) -> NewTenant {
        NewTenant {
            code: code.into(),
            name: name.into(),
            kind,
            siren: siren.into(),
            insee: None,
        }
    }

    /// A commune with its INSEE code.
    #[must_use]
    pub fn commune(code: &str, name: &str, siren: &str, insee: &str) -> NewTenant {
        NewTenant {
            insee: Some(insee.into()),
            ..NewTenant::new(code, name, TenantKind::Commune, siren)
        }
    }
}

/// A service of a tenant: the cost centre that manages assets and bears costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Dense id.
    pub id: ServiceId,
    /// The tenant it belongs to.
    pub tenant: TenantId,
    /// Code, unique within the tenant ("VOIRIE").
    pub code: String,
    /// Name ("Voirie et réseaux").
    pub name: String,
}

/// The tenancy domain's state: collectivités and their services, with their
/// code indexes (ids are positions, creation order).
#[derive(Debug, Clone, Default)]
pub(crate) struct Tenancy {
    tenants: Vec<Tenant>,
    by_code: HashMap<String, TenantId>,
    services: Vec<Service>,
    service_by_code: HashMap<(TenantId, String), ServiceId>,
}

/// Equality compares the records (the indexes follow from them).
impl PartialEq for Tenancy {
    fn eq(&self, o: &Tenancy) -> bool {
        self.tenants == o.tenants && self.services == o.services
    }
}

impl Tenancy {
    /// The number of tenants and of services (a checkpoint's lengths).
    pub(crate) fn lens(&self) -> (usize, usize) {
        (self.tenants.len(), self.services.len())
    }

    /// Drops the tenants and services created after the given lengths.
    pub(crate) fn truncate(&mut self, tenants: usize, services: usize) {
        for s in self.services.drain(services.min(self.services.len())..) {
            self.service_by_code.remove(&(s.tenant, s.code));
        }
        for t in self.tenants.drain(tenants.min(self.tenants.len())..) {
            self.by_code.remove(&t.code);
        }
    }

    /// Undoes the last membership `member` joined.
    pub(crate) fn undo_join(&mut self, member: TenantId) {
        if let Some(t) = self.tenants.get_mut(member.index()) {
            t.member_of.pop();
        }
    }
}

impl Mutualis {
    /// Adds a collectivité. Errors: [`Error::InvalidCode`], [`Error::InvalidField`],
    /// [`Error::InvalidSiren`], [`Error::InvalidInsee`], [`Error::DuplicateTenant`],
    /// [`Error::DuplicateSiren`]. Nothing changes on error.
    pub fn add_tenant(&mut self, spec: NewTenant) -> Result<TenantId> {
        check_code("tenant", &spec.code)?;
        check_name("tenant name", &spec.name)?;
        let siren = Siren::parse(&spec.siren)?;
        let insee = match (spec.kind, &spec.insee) {
            (TenantKind::Commune, Some(code)) => Some(InseeCode::parse(code)?),
            (TenantKind::Commune, None) => {
                return Err(Error::InvalidInsee {
                    value: String::new(),
                    reason: "a commune needs its INSEE code",
                })
            }
            (_, Some(code)) => {
                return Err(Error::InvalidInsee {
                    value: code.clone(),
                    reason: "only communes have an INSEE commune code",
                })
            }
            (_, None) => None,
        };
        if self.tenancy.by_code.contains_key(&spec.code) {
            return Err(Error::DuplicateTenant(spec.code));
        }
        if let Some(other) = self.tenancy.tenants.iter().find(|t| t.siren == siren) {
            return Err(Error::DuplicateSiren {
                siren: siren.to_string(),
                tenant: other.code.clone(),
            });
        }
        let id = TenantId(self.tenancy.tenants.len() as u32);
        self.tenancy.by_code.insert(spec.code.clone(), id);
        self.tenancy.tenants.push(Tenant {
            id,
            code: spec.code.clone(),
            name: spec.name.clone(),
            kind: spec.kind,
            siren,
            insee,
            member_of: Vec::new(),
        });
        self.log(
            Some(spec.code.clone()),
            TenancyEvent::TenantAdded {
                tenant: spec.into(),
            },
        );
        Ok(id)
    }

    /// Records that `member` belongs to the grouping `group` (EPCI or syndicat).
    ///
    /// Refused ([`Error::InvalidMembership`]) when `group` is not a grouping, is
    /// the member itself, already counts it, when an EPCI à fiscalité propre
    /// would get a non-commune member, or when a commune would join a second
    /// EPCI à fiscalité propre.
    pub fn join(&mut self, member: &str, group: &str) -> Result<()> {
        let m = self.tenant_id(member)?;
        let g = self.tenant_id(group)?;
        let refuse = |reason| {
            Err(Error::InvalidMembership {
                member: member.to_owned(),
                group: group.to_owned(),
                reason,
            })
        };
        if m == g {
            return refuse("a tenant cannot be a member of itself");
        }
        let group_kind = self.tenancy.tenants[g.index()].kind;
        if !group_kind.is_grouping() {
            return refuse("only an EPCI or a syndicat has members");
        }
        let member_t = &self.tenancy.tenants[m.index()];
        if member_t.member_of.contains(&g) {
            return refuse("already a member");
        }
        if group_kind.has_own_taxation() {
            if member_t.kind != TenantKind::Commune {
                return refuse("the members of an EPCI à fiscalité propre are communes");
            }
            if member_t
                .member_of
                .iter()
                .any(|o| self.tenancy.tenants[o.index()].kind.has_own_taxation())
            {
                return refuse("a commune belongs to one EPCI à fiscalité propre only");
            }
        }
        if self.is_member_transitively(g, m) {
            return refuse("the group is itself a member of this tenant");
        }
        self.tenancy.tenants[m.index()].member_of.push(g);
        self.push_undo(crate::undo::Undo::Joined { member: m });
        self.log(
            Some(member.to_owned()),
            TenancyEvent::TenantJoined {
                member: member.to_owned(),
                group: group.to_owned(),
            },
        );
        Ok(())
    }

    fn is_member_transitively(&self, member: TenantId, group: TenantId) -> bool {
        let mut stack = vec![member];
        let mut seen = vec![false; self.tenancy.tenants.len()];
        while let Some(t) = stack.pop() {
            if t == group {
                return true;
            }
            if !std::mem::replace(&mut seen[t.index()], true) {
                stack.extend(self.tenancy.tenants[t.index()].member_of.iter().copied());
            }
        }
        false
    }

    /// Adds a service to a tenant. Errors: [`Error::UnknownTenant`],
    /// [`Error::InvalidCode`], [`Error::InvalidField`], [`Error::DuplicateService`].
    pub fn add_service(&mut self, tenant: &str, code: &str, name: &str) -> Result<ServiceId> {
        let t = self.tenant_id(tenant)?;
        check_code("service", code)?;
        check_name("service name", name)?;
        let key = (t, code.to_owned());
        if self.tenancy.service_by_code.contains_key(&key) {
            return Err(Error::DuplicateService {
                tenant: tenant.to_owned(),
                service: code.to_owned(),
            });
        }
        let id = ServiceId(self.tenancy.services.len() as u32);
        self.tenancy.service_by_code.insert(key, id);
        self.tenancy.services.push(Service {
            id,
            tenant: t,
            code: code.to_owned(),
            name: name.to_owned(),
        });
        self.log(
            Some(tenant.to_owned()),
            TenancyEvent::ServiceAdded {
                tenant: tenant.to_owned(),
                code: code.to_owned(),
                name: name.to_owned(),
            },
        );
        Ok(id)
    }

    /// The dense id of a tenant code; [`Error::UnknownTenant`] if none.
    pub fn tenant_id(&self, code: &str) -> Result<TenantId> {
        self.tenancy
            .by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownTenant(code.to_owned()))
    }

    /// The tenant with this code.
    pub fn tenant(&self, code: &str) -> Result<&Tenant> {
        Ok(&self.tenancy.tenants[self.tenant_id(code)?.index()])
    }

    /// The tenant with this id; [`Error::UnknownTenant`] for an id of another registry.
    pub fn tenant_by_id(&self, id: TenantId) -> Result<&Tenant> {
        self.tenancy
            .tenants
            .get(id.index())
            .ok_or_else(|| Error::UnknownTenant(id.to_string()))
    }

    /// All tenants, in creation order.
    #[must_use]
    pub fn tenants(&self) -> &[Tenant] {
        &self.tenancy.tenants
    }

    /// Tenants that are direct members of `group`, in creation order.
    pub fn members(&self, group: &str) -> Result<Vec<&Tenant>> {
        let g = self.tenant_id(group)?;
        Ok(self
            .tenancy
            .tenants
            .iter()
            .filter(|t| t.member_of.contains(&g))
            .collect())
    }

    /// The dense id of a service of a tenant; [`Error::UnknownTenant`] or
    /// [`Error::UnknownService`] if none.
    pub fn service_id(&self, tenant: &str, code: &str) -> Result<ServiceId> {
        let t = self.tenant_id(tenant)?;
        self.tenancy
            .service_by_code
            .get(&(t, code.to_owned()))
            .copied()
            .ok_or_else(|| Error::UnknownService {
                tenant: tenant.to_owned(),
                service: code.to_owned(),
            })
    }

    /// The service with this tenant and code.
    pub fn service(&self, tenant: &str, code: &str) -> Result<&Service> {
        Ok(&self.tenancy.services[self.service_id(tenant, code)?.index()])
    }

    /// The service with this id; [`Error::UnknownService`] for an id of another registry.
    pub fn service_by_id(&self, id: ServiceId) -> Result<&Service> {
        self.tenancy
            .services
            .get(id.index())
            .ok_or_else(|| Error::UnknownService {
                tenant: "?".into(),
                service: id.to_string(),
            })
    }

    /// All services, in creation order.
    #[must_use]
    pub fn services(&self) -> &[Service] {
        &self.tenancy.services
    }

    /// The (tenant code, service code) of a service id (unknown ids give
    /// [`crate::UNKNOWN_CODE`] twice).
    #[must_use]
    pub fn service_codes(&self, id: ServiceId) -> (&str, &str) {
        self.tenancy
            .services
            .get(id.index())
            .map_or((crate::UNKNOWN_CODE, crate::UNKNOWN_CODE), |s| {
                (self.tenant_code(s.tenant), s.code.as_str())
            })
    }

    /// The services of one tenant, in creation order.
    pub fn services_of(&self, tenant: &str) -> Result<Vec<&Service>> {
        let t = self.tenant_id(tenant)?;
        Ok(self
            .tenancy
            .services
            .iter()
            .filter(|s| s.tenant == t)
            .collect())
    }

    /// The code of a tenant id (panics never: unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn tenant_code(&self, id: TenantId) -> &str {
        self.tenancy
            .tenants
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |t| t.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::new(
            "AGGLO",
            "Roannais Agglomération",
            TenantKind::CommunauteDAgglomeration,
            "200035731",
        ))
        .unwrap();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        m
    }

    #[test]
    fn refusals_change_nothing() {
        let mut m = base();
        let before = m.clone();
        let bad_siren = NewTenant::commune("MABLY", "Mably", "214212707", "42127");
        assert!(matches!(
            m.add_tenant(bad_siren),
            Err(Error::InvalidSiren { .. })
        ));
        let dup = NewTenant::commune("ROANNE", "Roanne bis", "214212706", "42127");
        assert_eq!(
            m.add_tenant(dup),
            Err(Error::DuplicateTenant("ROANNE".into()))
        );
        let dup_siren = NewTenant::commune("MABLY", "Mably", "214218703", "42127");
        assert!(matches!(
            m.add_tenant(dup_siren),
            Err(Error::DuplicateSiren { .. })
        ));
        let no_insee = NewTenant::new("MABLY", "Mably", TenantKind::Commune, "214212706");
        assert!(matches!(
            m.add_tenant(no_insee),
            Err(Error::InvalidInsee { .. })
        ));
        let mut epci_insee = NewTenant::new("X", "X", TenantKind::Syndicat, "214212706");
        epci_insee.insee = Some("42127".into());
        assert!(matches!(
            m.add_tenant(epci_insee),
            Err(Error::InvalidInsee { .. })
        ));
        assert!(matches!(
            m.add_tenant(NewTenant::commune("M A", "Mably", "214212706", "42127")),
            Err(Error::InvalidCode { .. })
        ));
        assert!(matches!(
            m.add_tenant(NewTenant::commune("MABLY", " ", "214212706", "42127")),
            Err(Error::InvalidField { .. })
        ));
        assert_eq!(
            m.join("ROANNE", "NOPE"),
            Err(Error::UnknownTenant("NOPE".into()))
        );
        assert!(matches!(
            m.join("AGGLO", "ROANNE"),
            Err(Error::InvalidMembership { .. })
        ));
        assert!(matches!(
            m.join("ROANNE", "ROANNE"),
            Err(Error::InvalidMembership { .. })
        ));
        assert!(m.add_service("NOPE", "S", "S").is_err());
        assert_eq!(m, before);
    }

    #[test]
    fn memberships() {
        let mut m = base();
        m.add_tenant(NewTenant::new(
            "CC",
            "Une communauté de communes",
            TenantKind::CommunauteDeCommunes,
            "200035707",
        ))
        .unwrap();
        m.add_tenant(NewTenant::new(
            "SYE",
            "Syndicat d'énergie",
            TenantKind::Syndicat,
            "200035715",
        ))
        .unwrap();
        m.join("ROANNE", "AGGLO").unwrap();
        assert!(
            matches!(m.join("ROANNE", "AGGLO"), Err(Error::InvalidMembership { reason, .. }) if reason.contains("already"))
        );
        assert!(
            matches!(m.join("ROANNE", "CC"), Err(Error::InvalidMembership { reason, .. }) if reason.contains("one EPCI"))
        );
        m.join("ROANNE", "SYE").unwrap();
        m.join("AGGLO", "SYE").unwrap();
        assert!(matches!(
            m.join("SYE", "AGGLO"),
            Err(Error::InvalidMembership { .. })
        ));
        let members: Vec<_> = m
            .members("SYE")
            .unwrap()
            .iter()
            .map(|t| t.code.clone())
            .collect();
        assert_eq!(members, ["AGGLO", "ROANNE"]);
    }

    #[test]
    fn services() {
        let mut m = base();
        let s = m.add_service("ROANNE", "SPORTS", "Sports").unwrap();
        assert_eq!(m.service_id("ROANNE", "SPORTS").unwrap(), s);
        assert!(matches!(
            m.add_service("ROANNE", "SPORTS", "x"),
            Err(Error::DuplicateService { .. })
        ));
        // the same code in another tenant is another service
        m.add_service("AGGLO", "SPORTS", "Sports").unwrap();
        assert!(matches!(
            m.service_id("ROANNE", "VOIRIE"),
            Err(Error::UnknownService { .. })
        ));
        assert_eq!(m.services_of("ROANNE").unwrap().len(), 1);
    }
}
