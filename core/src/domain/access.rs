//! Who may see and do what (DOMAIN §8): principals, roles, grants on
//! scopes, and the decision a call needs — may this principal read or write
//! this area of this target on this date?
//!
//! The library authenticates nobody (the host application does); it
//! authorises. A **principal** is an agent of a tenant, an elected official,
//! a contractor (a supplier's staff), a citizen or the group's DSI
//! administrator. A **role** names permitted actions: read or write per
//! [`Area`] (write implies read). A **grant** gives a role on a **scope** —
//! the whole group, a tenant, a service, an asset subtree, a set of work
//! orders (a contractor's assignments), a budget — over a validity period.
//!
//! Custody and sharing keys make scopes non-trivial, and the rules are
//! written once here:
//! - a tenant scope covers, on a date, the assets the tenant **holds**
//!   (custody beneficiary, else owner) for writing, and the assets it owns,
//!   holds or pays a share of (a sharing key) for reading: the holder's
//!   agents act on an asset they do not own; the owner keeps read access; a
//!   payer sees the costs it pays;
//! - a work order belongs to the tenant whose régie performs it, or (ordered
//!   from a supplier) to the tenant of its service, else its asset's holder;
//!   a tenant scope covers it for writing when the order belongs to the
//!   tenant or the tenant holds its asset, for reading also when the tenant
//!   owns or pays on its asset;
//! - a service scope covers the assets it manages and the work orders of the
//!   service (or done by its teams); an asset scope covers the subtree and
//!   its work orders; a work-order scope covers those orders only; a budget
//!   scope covers that budget only.
//!
//! Why not a general policy engine (such as Cedar)? The decision runs on the
//! hot paths (recording a cost line costs a few microseconds; the budget for
//! authorisation is a tenth of that), it needs the registry's own facts at a
//! date (holder, owner, key payers, the tree), which an engine would need
//! copied into its entity store on every change, and Android builds must
//! stay small. Grants and roles are plain data instead — auditable,
//! exportable, and simple enough to be rendered as policies for review.

use chrono::NaiveDate;

use crate::ids::{AssetId, ServiceId, TenantId, WorkOrderId};
use crate::kinds::named_enum;
use crate::work::PerformerId;
use crate::Mutualis;

named_enum! {
    /// Who a principal is.
    pub enum PrincipalKind as "principal kind" {
        /// An agent of a tenant (possibly with several roles in a small commune).
        Agent = "agent",
        /// An elected official (read-only dashboards).
        Elected = "elected",
        /// A contractor: a supplier's staff, acting on assigned work orders.
        Contractor = "contractor",
        /// A citizen (their own requests only).
        Citizen = "citizen",
        /// The group's DSI administrator.
        Administrator = "administrator",
    }
}

named_enum! {
    /// A domain of the registry that permissions name.
    pub enum Area as "area" {
        /// The patrimoine: assets, custody, keys, ownership.
        Assets = "assets",
        /// Requests' work orders, cost lines and their costs.
        Work = "work",
        /// Stores, items, receipts and issues.
        Stock = "stock",
        /// Budgets, commitments, spending.
        Budgets = "budgets",
        /// PPI operations and AP/CP.
        Plans = "plans",
        /// Agreements, loans, pooled services, statements and the settlement matrix.
        Settlements = "settlements",
        /// Leases and occupation agreements.
        Leases = "leases",
        /// Vehicles and equipment.
        Fleet = "fleet",
        /// Meters, readings and energy invoices.
        Energy = "energy",
        /// Citizen and agent requests.
        Requests = "requests",
        /// Principals, roles and grants.
        Access = "access",
    }
}

/// Reading or writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Seeing.
    Read,
    /// Changing (implies reading).
    Write,
}

/// The permissions of a role: read and write bits per [`Area`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Permissions(u32);

impl Permissions {
    /// No permission at all.
    pub const NONE: Permissions = Permissions(0);

    fn bit(area: Area, mode: Mode) -> u32 {
        let i = Area::ALL.iter().position(|&a| a == area).unwrap_or(0) as u32;
        match mode {
            Mode::Read => 1 << (2 * i),
            Mode::Write => 1 << (2 * i + 1),
        }
    }

    /// These permissions and `mode` on `area` (writing brings reading).
    #[must_use]
    pub fn with(self, area: Area, mode: Mode) -> Permissions {
        let read = Permissions::bit(area, Mode::Read);
        match mode {
            Mode::Read => Permissions(self.0 | read),
            Mode::Write => Permissions(self.0 | read | Permissions::bit(area, Mode::Write)),
        }
    }

    /// True when `mode` on `area` is permitted.
    #[must_use]
    pub fn allows(self, area: Area, mode: Mode) -> bool {
        self.0 & Permissions::bit(area, mode) != 0
    }

    /// Parses `"work:write"`, `"budgets:read"`… (an area and a mode).
    ///
    /// Errors: [`crate::Error::UnknownKind`] naming the area or mode.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> crate::Result<Permissions> {
        let mut p = Permissions::NONE;
        for item in items {
            let item = item.as_ref();
            let (area, mode) = item.split_once(':').unwrap_or((item, ""));
            let area: Area = area.parse()?;
            let mode = match mode {
                "read" => Mode::Read,
                "write" => Mode::Write,
                other => {
                    return Err(crate::Error::UnknownKind {
                        what: "permission mode",
                        value: other.to_owned(),
                        expected: "read, write",
                    })
                }
            };
            p = p.with(area, mode);
        }
        Ok(p)
    }

    /// The permissions as `"area:mode"` items, writes shown without their
    /// implied reads, in [`Area`] order.
    #[must_use]
    pub fn items(self) -> Vec<String> {
        Area::ALL
            .iter()
            .filter_map(|&a| {
                if self.allows(a, Mode::Write) {
                    Some(format!("{a}:write"))
                } else if self.allows(a, Mode::Read) {
                    Some(format!("{a}:read"))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every tenant of the group (the DSI administrator).
    Group,
    /// A tenant: what it holds, owns or pays for (see the module docs).
    Tenant(TenantId),
    /// A service of a tenant: the assets it manages, its work orders.
    Service(ServiceId),
    /// An asset and its descendants, with their work orders.
    Subtree(AssetId),
    /// These work orders only (a contractor's assignments).
    WorkOrders(Vec<WorkOrderId>),
    /// One budget: a tenant's, for a year.
    Budget(TenantId, i32),
}

/// What a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The group as a whole (the settlement matrix, every tenant's figures).
    Group,
    /// A tenant's own records (its services, teams, rates, budgets list…).
    Tenant(TenantId),
    /// An asset.
    Asset(AssetId),
    /// A work order (and its cost lines).
    WorkOrder(WorkOrderId),
    /// A tenant's budget of a year.
    Budget(TenantId, i32),
}

impl Mutualis {
    /// The tenant a work order belongs to on `on`: the régie's tenant, else
    /// (a supplier's order) its service's tenant, else its asset's holder
    /// (`None` for an id of another registry).
    #[must_use]
    pub fn work_order_tenant(&self, w: WorkOrderId, on: NaiveDate) -> Option<TenantId> {
        let i = w.index();
        if i >= self.work_orders.len() {
            return None;
        }
        match self.work_orders.performer(i) {
            PerformerId::Team(t) => self.teams().get(t.index()).map(|t| t.tenant),
            PerformerId::Supplier(_) => match self.work_orders.service(i) {
                Some(s) => self.services().get(s.index()).map(|s| s.tenant),
                None => self
                    .holder_of(self.work_orders.asset(i), on)
                    .ok()
                    .map(|h| h.tenant),
            },
        }
    }

    /// True when `tenant` holds `asset` on `on` (custody beneficiary, else owner).
    fn holds(&self, tenant: TenantId, asset: AssetId, on: NaiveDate) -> bool {
        self.holder_of(asset, on).is_ok_and(|h| h.tenant == tenant)
    }

    /// True when `tenant` owns, holds or pays a share of `asset` on `on`.
    fn concerns(&self, tenant: TenantId, asset: AssetId, on: NaiveDate) -> bool {
        asset.index() < self.assets().len()
            && (self.owner_at(asset, on) == tenant
                || self.holds(tenant, asset, on)
                || self
                    .payers_of(asset, on)
                    .is_ok_and(|p| p.shares.iter().any(|s| s.tenant == tenant)))
    }

    /// True when `scope` covers `target` for `mode` on `on` (the rules of
    /// the [module docs](crate::access)).
    #[must_use]
    pub fn scope_covers(&self, scope: &Scope, target: Target, mode: Mode, on: NaiveDate) -> bool {
        match (scope, target) {
            (Scope::Group, _) => true,
            (Scope::Tenant(t), Target::Tenant(x)) => *t == x,
            (Scope::Tenant(t), Target::Budget(x, _)) => *t == x,
            (Scope::Tenant(t), Target::Asset(a)) => match mode {
                Mode::Write => self.holds(*t, a, on),
                Mode::Read => self.concerns(*t, a, on),
            },
            (Scope::Tenant(t), Target::WorkOrder(w)) => {
                if w.index() >= self.work_orders.len() {
                    return false;
                }
                let asset = self.work_orders.asset(w.index());
                self.work_order_tenant(w, on) == Some(*t)
                    || match mode {
                        Mode::Write => self.holds(*t, asset, on),
                        Mode::Read => self.concerns(*t, asset, on),
                    }
            }
            (Scope::Service(s), Target::Asset(a)) => self
                .assets()
                .get(a.index())
                .is_some_and(|x| x.service == Some(*s)),
            (Scope::Service(s), Target::WorkOrder(w)) => {
                let i = w.index();
                i < self.work_orders.len()
                    && (self.work_orders.service(i) == Some(*s)
                        || match self.work_orders.performer(i) {
                            PerformerId::Team(t) => self
                                .teams()
                                .get(t.index())
                                .is_some_and(|t| t.service == Some(*s)),
                            PerformerId::Supplier(_) => false,
                        }
                        || self
                            .assets()
                            .get(self.work_orders.asset(i).index())
                            .is_some_and(|x| x.service == Some(*s)))
            }
            (Scope::Subtree(root), Target::Asset(a)) => {
                a.index() < self.assets().len() && self.ancestors_and_self(a).any(|x| x == *root)
            }
            (Scope::Subtree(root), Target::WorkOrder(w)) => {
                w.index() < self.work_orders.len()
                    && self
                        .ancestors_and_self(self.work_orders.asset(w.index()))
                        .any(|x| x == *root)
            }
            (Scope::WorkOrders(list), Target::WorkOrder(w)) => list.contains(&w),
            (Scope::Budget(t, y), Target::Budget(x, z)) => *t == x && *y == z,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AssetKind, KeyBasis, NewAsset, NewSupplier, NewTenant, NewWorkOrder, Period, TenantKind,
    };

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap()
    }

    #[test]
    fn permissions_parse_and_write_implies_read() {
        let p = Permissions::parse(&["work:write", "budgets:read"]).unwrap();
        assert!(p.allows(Area::Work, Mode::Write) && p.allows(Area::Work, Mode::Read));
        assert!(p.allows(Area::Budgets, Mode::Read) && !p.allows(Area::Budgets, Mode::Write));
        assert!(!p.allows(Area::Assets, Mode::Read));
        assert_eq!(p.items(), ["work:write", "budgets:read"]);
        let e = Permissions::parse(&["castles:read"]).unwrap_err();
        assert_eq!(e.kind(), "unknown_kind");
        let e = Permissions::parse(&["work:admin"]).unwrap_err();
        assert!(e.to_string().contains("admin"), "{e}");
        // every area has its own two bits
        let all = Area::ALL
            .iter()
            .fold(Permissions::NONE, |p, &a| p.with(a, Mode::Write));
        assert_eq!(all.items().len(), Area::ALL.len());
    }

    /// The gymnasium: owned by ROANNE, in custody of AGGLO; a hall shared by
    /// a key between AGGLO and MABLY; a ROANNE régie order and a supplier's
    /// order on the gymnasium.
    fn seed() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::new(
            "AGGLO",
            "Agglo",
            TenantKind::CommunauteDAgglomeration,
            "200035731",
        ))
        .unwrap();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
            .unwrap();
        m.add_service("ROANNE", "SPORTS", "Sports").unwrap();
        m.add_asset(
            NewAsset::new(
                "GYM",
                "Gymnase",
                AssetKind::Building,
                "ROANNE",
                d(1975, 9, 1),
            )
            .managed_by("ROANNE", "SPORTS"),
        )
        .unwrap();
        m.add_asset(NewAsset::new(
            "HALL",
            "Salle",
            AssetKind::Building,
            "AGGLO",
            d(2000, 1, 1),
        ))
        .unwrap();
        m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
            .unwrap();
        m.set_sharing_key(
            "HALL",
            KeyBasis::Agreed,
            Period::starting(d(2020, 1, 1)),
            &[("AGGLO", 1), ("MABLY", 1)],
        )
        .unwrap();
        m.add_team("T-ROANNE", "ROANNE", "Régie sports", Some("SPORTS"))
            .unwrap();
        m.add_supplier(NewSupplier::new("SURV", "Surveillance", "73282932000074"))
            .unwrap();
        m.create_work_order(NewWorkOrder::by_team(
            "W-REGIE", "Peinture", "GYM", "T-ROANNE",
        ))
        .unwrap();
        m.create_work_order(NewWorkOrder::by_supplier("W-SURV", "Ronde", "GYM", "SURV"))
            .unwrap();
        m.create_work_order(NewWorkOrder::by_supplier("W-HALL", "Ronde", "HALL", "SURV"))
            .unwrap();
        m
    }

    #[test]
    fn a_tenant_scope_follows_custody_ownership_and_keys() {
        let m = seed();
        let t = |c: &str| m.tenant_id(c).unwrap();
        let a = |c: &str| m.asset_id(c).unwrap();
        let w = |c: &str| m.work_order_id(c).unwrap();
        let on = d(2026, 3, 12);
        let covers = |tenant: &str, target: Target, mode: Mode| {
            m.scope_covers(&Scope::Tenant(t(tenant)), target, mode, on)
        };
        // the holder writes, the owner reads, a stranger does neither
        assert!(covers("AGGLO", Target::Asset(a("GYM")), Mode::Write));
        assert!(!covers("ROANNE", Target::Asset(a("GYM")), Mode::Write));
        assert!(covers("ROANNE", Target::Asset(a("GYM")), Mode::Read));
        assert!(!covers("MABLY", Target::Asset(a("GYM")), Mode::Read));
        // a payer on a key sees what it pays, without writing
        assert!(covers("MABLY", Target::Asset(a("HALL")), Mode::Read));
        assert!(!covers("MABLY", Target::Asset(a("HALL")), Mode::Write));
        assert!(covers("MABLY", Target::WorkOrder(w("W-HALL")), Mode::Read));
        // the régie's tenant acts on its order on an asset it does not hold
        assert!(covers(
            "ROANNE",
            Target::WorkOrder(w("W-REGIE")),
            Mode::Write
        ));
        // a supplier's order belongs to the holder of its asset
        assert!(covers("AGGLO", Target::WorkOrder(w("W-SURV")), Mode::Write));
        assert!(!covers(
            "ROANNE",
            Target::WorkOrder(w("W-SURV")),
            Mode::Write
        ));
        assert!(covers("ROANNE", Target::WorkOrder(w("W-SURV")), Mode::Read));
        // before the custody, ROANNE held the gymnasium
        assert!(m.scope_covers(
            &Scope::Tenant(t("ROANNE")),
            Target::Asset(a("GYM")),
            Mode::Write,
            d(2018, 12, 31)
        ));
        // budgets and tenants by identity; the group only by the group scope
        assert!(covers(
            "MABLY",
            Target::Budget(t("MABLY"), 2026),
            Mode::Write
        ));
        assert!(!covers(
            "MABLY",
            Target::Budget(t("ROANNE"), 2026),
            Mode::Read
        ));
        assert!(!covers("AGGLO", Target::Group, Mode::Read));
        assert!(m.scope_covers(&Scope::Group, Target::Group, Mode::Write, on));
    }

    #[test]
    fn narrower_scopes_cover_only_their_part() {
        let m = seed();
        let a = |c: &str| m.asset_id(c).unwrap();
        let w = |c: &str| m.work_order_id(c).unwrap();
        let on = d(2026, 3, 12);
        let sports = m.service_id("ROANNE", "SPORTS").unwrap();
        let service = Scope::Service(sports);
        assert!(m.scope_covers(&service, Target::Asset(a("GYM")), Mode::Write, on));
        assert!(!m.scope_covers(&service, Target::Asset(a("HALL")), Mode::Read, on));
        assert!(m.scope_covers(&service, Target::WorkOrder(w("W-REGIE")), Mode::Read, on));
        assert!(!m.scope_covers(&service, Target::WorkOrder(w("W-HALL")), Mode::Read, on));
        let gym = Scope::Subtree(a("GYM"));
        assert!(m.scope_covers(&gym, Target::WorkOrder(w("W-SURV")), Mode::Write, on));
        assert!(!m.scope_covers(&gym, Target::WorkOrder(w("W-HALL")), Mode::Read, on));
        // a contractor's assignment: that order, nothing else
        let assigned = Scope::WorkOrders(vec![w("W-SURV")]);
        assert!(m.scope_covers(&assigned, Target::WorkOrder(w("W-SURV")), Mode::Write, on));
        assert!(!m.scope_covers(&assigned, Target::WorkOrder(w("W-HALL")), Mode::Read, on));
        assert!(!m.scope_covers(&assigned, Target::Asset(a("GYM")), Mode::Read, on));
        assert!(!m.scope_covers(&assigned, Target::Group, Mode::Read, on));
        // ids of another registry are covered by nothing but the group
        let stranger = Target::WorkOrder(WorkOrderId(999));
        assert!(!m.scope_covers(&gym, stranger, Mode::Read, on));
        assert!(!m.scope_covers(&Scope::Tenant(TenantId(0)), stranger, Mode::Read, on));
    }
}
