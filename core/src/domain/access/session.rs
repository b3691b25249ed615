//! The write side of the authorised handle: a [`Session`] bound to a
//! principal runs commands and keeps their changes only when every event
//! they recorded is allowed by the principal's grants.
//!
//! What each kind of event needs is written once, in [`Mutualis::needs`]:
//! an [`Area`], written, on a [`Target`], judged on a date. Two dates decide:
//! - a grant must be **valid on the action's date**: the day of the journal
//!   entry (`at`, the registry clock's date; for a device's events imported
//!   by sync, the event's own `at`);
//! - what a scope **covers** is judged on the data's own date where there is
//!   one — a cost line's date (who held the asset then), a status change's
//!   time, a stock movement's date, a custody's first day — else on the
//!   action's date.

use chrono::NaiveDate;

use super::{Area, Mode, Target};
use crate::error::{Error, Result};
use crate::journal::{Event, JournalEntry};
use crate::work::{CostInput, WorkOrderStatus};
use crate::AccessEvent;
use crate::{
    AgreementEvent, AssetEvent, BudgetEvent, CostLineId, CustodyEvent, Mutualis, NewRequest,
    NewWorkOrder, OwnershipEvent, PlanningEvent, RateEvent, RequestEvent, RequestId, RequestStatus,
    StockEvent, SupplierEvent, TenancyEvent, WorkEvent, WorkOrderId,
};

/// The last access decision that allowed a call, kept by the registry so
/// that a run of calls of one principal on one target (a contractor's
/// lines on its work order) is judged once: valid while the registry's
/// `access_generation` is the one it was taken at (any event but a cost
/// line, a rollback or a muted batch moves it on, so a grant, a custody, a
/// key, a transfer, a work order, a move of the tree all invalidate it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Memo {
    generation: u64,
    principal: usize,
    area: Area,
    mode: Mode,
    target: Target,
    action_on: NaiveDate,
    data_on: NaiveDate,
}

impl Memo {
    /// The same question, asked of the same state.
    fn answers(&self, o: &Memo) -> bool {
        self.generation == o.generation
            && self.principal == o.principal
            && self.area == o.area
            && self.mode == o.mode
            && self.target == o.target
            && self.action_on == o.action_on
            && self.data_on == o.data_on
    }
}

/// What an event needs: writing `area` of `target`, the scope judged on
/// `on` (the data's own date; `None`: the action's date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    /// The area written.
    pub area: Area,
    /// Always [`Mode::Write`] for an event (kept for the error's text).
    pub mode: Mode,
    /// What the event changes.
    pub target: Target,
    /// The data's own date, if it has one.
    pub on: Option<NaiveDate>,
}

impl Mutualis {
    /// What recording `e` needs (one exhaustive match over every kind of
    /// event). Called after the event's command ran, so the codes it names
    /// resolve (a created work order, asset or request exists); a code that
    /// does not resolve asks for the group (only a group grant covers it).
    ///
    /// - tenancy: adding a tenant or a membership is the group's
    ///   (`access`), a service its tenant's (`access`);
    /// - assets: the asset (`assets`), judged on its commissioning day when
    ///   added, its last day when decommissioned;
    /// - custody, sharing keys and ownership are the **owner's** decisions:
    ///   the tenant owning the asset on the change's first day (a transfer:
    ///   the owner the day before), `assets`;
    /// - suppliers and items are the group's registers (`work`, `stock`);
    /// - teams and labour rates: the tenant (`work`); vehicle rates
    ///   (`fleet`); stores and stock movements: the store's tenant (`stock`);
    /// - requests: the tenant the request is for (`requests`); a routing
    ///   is the **sending** tenant's decision: the tenant the request was
    ///   for before (found in the journal before the entry `seq`; the group
    ///   when the journal does not say, e.g. after a dataset import); a
    ///   submitted request: the tenant it was routed to, the group when it
    ///   waits for manual routing; routing one by hand: the group
    ///   (`requests`);
    /// - the request catalogue is configuration (`access`): a category, a
    ///   commune's territory: that tenant; competences, the agglomeration,
    ///   neighbourhood councils: the group;
    /// - work orders and cost lines: the work order (`work`), judged on the
    ///   line's date, the status change's day, the planned day;
    /// - agreements and pooled services: the provider (`settlements`); an
    ///   advance: the member; a loan: the vehicle, its use: the borrower
    ///   (`fleet`);
    /// - budgets: the budget of the tenant and year (`budgets`; an
    ///   assignment: the tenant);
    /// - planning: the operation's or AP's tenant (`plans`);
    /// - access: a principal or grant on a tenant, service or budget scope:
    ///   that tenant; a role, a group, subtree or work-order scope, a
    ///   principal of no tenant: the group (`access`);
    /// - the fleet: the vehicle (`fleet`), judged on the reading's, line's,
    ///   inspection's, service's or status's date;
    /// - leases: the contract's asset (`leases`), judged on its start, end,
    ///   revision's or receipt's date; charges: the building; a party and
    ///   an index value are the group's registers (a collectivité party:
    ///   that tenant);
    /// - energy: the meter's asset (`energy`), judged on the reading's,
    ///   conversion's or invoice's date; a site: its building; degree days
    ///   are the group's data;
    /// - the furniture inventory: the item's asset, a campaign's building
    ///   or site (`assets`), judged on the move's, change's, reform's,
    ///   opening's, scan's or closing's date; a transfer: as a transfer of
    ///   ownership, the owner giving it, the day before;
    /// - workwear: the agent's tenant (`stock`), judged on the issue's,
    ///   return's, start or end date; a budget line for a service's
    ///   workwear: the tenant (`budgets`); the catalogue is the group's
    ///   register;
    /// - a dataset import or an ingestion of tables: the group (`assets`),
    ///   i.e. only a group-wide grant (the DSI administrator).
    pub(crate) fn needs(&self, e: &Event, seq: u64) -> Needs {
        let tenant = |code: &str| self.tenant_id(code).map_or(Target::Group, Target::Tenant);
        let asset = |code: &str| self.asset_id(code).map_or(Target::Group, Target::Asset);
        let work_order = |code: &str| {
            self.work_order_id(code)
                .map_or(Target::Group, Target::WorkOrder)
        };
        let owner = |code: &str, on: NaiveDate| {
            self.asset_id(code)
                .map_or(Target::Group, |a| Target::Tenant(self.owner_at(a, on)))
        };
        let store = |code: &str| {
            self.store_id(code)
                .ok()
                .and_then(|s| self.stores().get(s.index()))
                .map_or(Target::Group, |s| Target::Tenant(s.tenant))
        };
        let budget = |code: &str, year: i32| {
            self.tenant_id(code)
                .map_or(Target::Group, |t| Target::Budget(t, year))
        };
        let operation = |code: &str| {
            self.operations()
                .iter()
                .find(|o| o.code == code)
                .map_or(Target::Group, |o| Target::Tenant(o.tenant))
        };
        let ap = |code: &str| {
            self.ap(code)
                .map_or(Target::Group, |a| Target::Tenant(a.tenant))
        };
        let need = |area, target, on| Needs {
            area,
            mode: Mode::Write,
            target,
            on,
        };
        match e {
            Event::Tenancy(e) => match e {
                TenancyEvent::TenantAdded { .. } | TenancyEvent::TenantJoined { .. } => {
                    need(Area::Access, Target::Group, None)
                }
                TenancyEvent::ServiceAdded { tenant: t, .. } => need(Area::Access, tenant(t), None),
            },
            Event::Assets(e) => match e {
                AssetEvent::AssetAdded { asset: a } => {
                    need(Area::Assets, asset(&a.code), Some(a.commissioned))
                }
                AssetEvent::AssetMoved { asset: a, .. }
                | AssetEvent::AttributeSet { asset: a, .. } => need(Area::Assets, asset(a), None),
                AssetEvent::AssetDecommissioned { asset: a, last_day } => {
                    need(Area::Assets, asset(a), Some(*last_day))
                }
            },
            Event::Custody(e) => {
                let (a, on) = match e {
                    CustodyEvent::CustodyGranted { asset, period, .. }
                    | CustodyEvent::SharingKeySet { asset, period, .. } => (asset, period.from),
                    CustodyEvent::CustodyEnded { asset, last_day }
                    | CustodyEvent::SharingKeyEnded { asset, last_day } => (asset, *last_day),
                };
                need(Area::Assets, owner(a, on), Some(on))
            }
            Event::Ownership(OwnershipEvent::OwnershipTransferred { asset, from, .. }) => {
                let before = from.pred_opt().unwrap_or(*from);
                need(Area::Assets, owner(asset, before), Some(before))
            }
            Event::Suppliers(SupplierEvent::SupplierAdded { .. }) => {
                need(Area::Work, Target::Group, None)
            }
            Event::Rates(e) => match e {
                RateEvent::TeamAdded { tenant: t, .. }
                | RateEvent::LabourRateSet { tenant: t, .. } => need(Area::Work, tenant(t), None),
                RateEvent::VehicleRateSet { tenant: t, .. } => need(Area::Fleet, tenant(t), None),
            },
            Event::Stock(e) => match e {
                StockEvent::StoreAdded { tenant: t, .. } => need(Area::Stock, tenant(t), None),
                StockEvent::ItemAdded { .. } => need(Area::Stock, Target::Group, None),
                StockEvent::StockReceived { store: s, date, .. } => {
                    need(Area::Stock, store(s), Some(*date))
                }
                StockEvent::StockIssued { issue } => {
                    need(Area::Stock, store(&issue.store), Some(issue.date))
                }
            },
            Event::Requests(e) => {
                let (area, target) = match e {
                    RequestEvent::RequestRouted { request, .. } => (
                        Area::Requests,
                        self.request_tenant_before(request, seq)
                            .map_or(Target::Group, Target::Tenant),
                    ),
                    RequestEvent::RequestReceived { request: r } => (
                        Area::Requests,
                        self.request(&r.code)
                            .map_or(Target::Group, |r| Target::Tenant(r.tenant)),
                    ),
                    RequestEvent::RequestSubmitted { intake: r, .. } => (
                        Area::Requests,
                        self.request(&r.code)
                            .map_or(Target::Group, |r| Target::Tenant(r.tenant)),
                    ),
                    RequestEvent::RequestStatusChanged { request, .. } => (
                        Area::Requests,
                        self.request(request)
                            .map_or(Target::Group, |r| Target::Tenant(r.tenant)),
                    ),
                    // a request waiting for manual routing is no tenant's yet:
                    // the group's dispatcher routes it
                    RequestEvent::RequestRoutedByHand { .. } => (Area::Requests, Target::Group),
                    // the catalogue is configuration: a tenant's categories
                    // and territory are its administrator's, the competences,
                    // the agglomeration and the councils the group's
                    RequestEvent::RequestCategoryAdded { category } => {
                        (Area::Access, tenant(&category.tenant))
                    }
                    RequestEvent::RequestTerritoryAdded { commune, .. } => {
                        (Area::Access, tenant(commune))
                    }
                    RequestEvent::RequestCompetenceSet { .. }
                    | RequestEvent::RequestAgglomerationSet { .. }
                    | RequestEvent::RequestCouncilAdded { .. } => (Area::Access, Target::Group),
                };
                need(area, target, None)
            }
            Event::Work(e) => match e {
                WorkEvent::WorkOrderCreated { work_order: w } => {
                    need(Area::Work, work_order(&w.code), w.planned_on)
                }
                WorkEvent::WorkOrderStatusChanged {
                    work_order: w, at, ..
                } => need(Area::Work, work_order(w), Some(at.date_naive())),
                WorkEvent::CostRecorded {
                    work_order: w,
                    cost,
                } => need(Area::Work, work_order(w), Some(cost.date())),
            },
            Event::Agreements(e) => match e {
                AgreementEvent::AgreementAdded { agreement } => {
                    need(Area::Settlements, tenant(&agreement.provider), None)
                }
                AgreementEvent::PooledServiceAdded { pooled } => {
                    need(Area::Settlements, tenant(&pooled.provider), None)
                }
                AgreementEvent::AdvanceRecorded { member, .. } => {
                    need(Area::Settlements, tenant(member), None)
                }
                AgreementEvent::VehicleLent { loan } => {
                    need(Area::Fleet, asset(&loan.vehicle), Some(loan.period.from))
                }
                AgreementEvent::LoanUsed { loan, date, .. } => {
                    let target = self
                        .loans()
                        .iter()
                        .find(|l| l.code == *loan)
                        .map_or(Target::Group, |l| Target::Tenant(l.borrower));
                    need(Area::Fleet, target, Some(*date))
                }
            },
            Event::Budget(e) => match e {
                BudgetEvent::BudgetOpened {
                    tenant: t, year, ..
                }
                | BudgetEvent::BudgetLineAdded {
                    tenant: t, year, ..
                }
                | BudgetEvent::BudgetAmended {
                    tenant: t, year, ..
                }
                | BudgetEvent::BudgetCommitted {
                    tenant: t, year, ..
                }
                | BudgetEvent::BudgetRevenueLineAdded {
                    tenant: t, year, ..
                } => need(Area::Budgets, budget(t, *year), None),
                BudgetEvent::BudgetAssigned { tenant: t, .. }
                | BudgetEvent::BudgetLeaseAssigned { tenant: t, .. } => {
                    need(Area::Budgets, tenant(t), None)
                }
            },
            Event::Planning(e) => match e {
                PlanningEvent::RbfRulesSet { tenant: t, .. }
                | PlanningEvent::YearClosed { tenant: t, .. } => need(Area::Plans, tenant(t), None),
                PlanningEvent::OperationAdded { operation: o } => {
                    need(Area::Plans, tenant(&o.tenant), None)
                }
                PlanningEvent::OperationLinked { operation: o, .. } => {
                    need(Area::Plans, operation(o), None)
                }
                PlanningEvent::ApVoted { ap: a } => need(Area::Plans, tenant(&a.tenant), None),
                PlanningEvent::ApPaid { ap: a, date, .. } => need(Area::Plans, ap(a), Some(*date)),
                PlanningEvent::ApRevised { ap: a, .. } => need(Area::Plans, ap(a), None),
            },
            Event::Access(e) => match e {
                AccessEvent::PrincipalAdded { principal } => {
                    let target = principal.tenant.as_deref().map_or(Target::Group, tenant);
                    need(Area::Access, target, None)
                }
                AccessEvent::RoleAdded { .. } => need(Area::Access, Target::Group, None),
                AccessEvent::RoleGranted { scope, .. } => {
                    let target = scope.tenant_code().map_or(Target::Group, tenant);
                    need(Area::Access, target, None)
                }
            },
            Event::Fleet(e) => {
                let (vehicle, on) = e.vehicle_and_date();
                let target = match (vehicle, e) {
                    (Some(v), _) => asset(v),
                    (None, crate::fleet::FleetEvent::MaintenanceDone { plan, .. }) => {
                        self.plan_vehicle(plan).map_or(Target::Group, Target::Asset)
                    }
                    (None, _) => Target::Group,
                };
                need(Area::Fleet, target, on)
            }
            Event::Energy(e) => {
                let (meter, on_asset, on) = e.target_and_date();
                let target = match (meter, on_asset) {
                    (Some(mt), _) => self
                        .meter(mt)
                        .map_or(Target::Group, |mt| Target::Asset(mt.asset)),
                    (None, Some(a)) => asset(a),
                    (None, None) => Target::Group,
                };
                need(Area::Energy, target, on)
            }
            Event::Leases(e) => {
                let (lease, on) = e.lease_and_date();
                let target = match (lease, e) {
                    (Some(l), _) => self
                        .lease(l)
                        .map_or(Target::Group, |l| Target::Asset(l.asset)),
                    (None, crate::leases::LeaseEvent::ChargesRecorded { charges }) => {
                        asset(&charges.building)
                    }
                    (None, crate::leases::LeaseEvent::PartyAdded { party }) => {
                        match (party.kind, party.identifier.as_deref()) {
                            (crate::leases::PartyKind::Collectivite, Some(t)) => tenant(t),
                            _ => Target::Group,
                        }
                    }
                    (None, _) => Target::Group,
                };
                need(Area::Leases, target, on)
            }
            Event::Workwear(e) => {
                let (t, on) = e.tenant_and_date();
                let area = match e {
                    crate::workwear::WorkwearEvent::WorkwearBudgetLineSet { .. } => Area::Budgets,
                    _ => Area::Stock,
                };
                need(area, t.map_or(Target::Group, tenant), on)
            }
            Event::Furniture(crate::furniture::FurnitureEvent::FurnitureTransferred {
                number,
                date,
                ..
            }) => {
                // as a transfer of ownership: the owner giving it, the day before
                let before = date.pred_opt().unwrap_or(*date);
                let target = self.furniture_item(number).map_or(Target::Group, |i| {
                    Target::Tenant(self.owner_at(i.asset, before))
                });
                need(Area::Assets, target, Some(before))
            }
            Event::Furniture(e) => {
                use crate::furniture::events::Subject;
                let (subject, on) = e.subject_and_date();
                let target = match subject {
                    Subject::Asset(a) => asset(a),
                    Subject::Item(n) => self
                        .furniture_item(n)
                        .map_or(Target::Group, |i| Target::Asset(i.asset)),
                    Subject::Campaign(c) => self
                        .campaign(c)
                        .map_or(Target::Group, |c| Target::Asset(c.scope)),
                };
                need(Area::Assets, target, on)
            }
            Event::DatasetImported { .. } | Event::TablesIngested { .. } => {
                need(Area::Assets, Target::Group, None)
            }
        }
    }

    /// The tenant `request` was for before the journal entry `seq`: its
    /// last reception or routing recorded before it (`None` when the
    /// journal does not say). A backward scan, for routings only (rare).
    fn request_tenant_before(&self, request: &str, seq: u64) -> Option<crate::TenantId> {
        let end = usize::try_from(seq.saturating_sub(1))
            .unwrap_or(usize::MAX)
            .min(self.journal.len());
        self.journal[..end]
            .iter()
            .rev()
            .find_map(|e| match &e.event {
                Event::Requests(RequestEvent::RequestReceived { request: r })
                    if r.code == request =>
                {
                    self.tenant_id(&r.tenant).ok()
                }
                Event::Requests(RequestEvent::RequestRouted {
                    request: r, tenant, ..
                }) if r == request => self.tenant_id(tenant).ok(),
                _ => None,
            })
    }

    /// True when principal `p` may `mode` `area` on `target`: a grant valid
    /// on `action_on` with a role permitting it, on a scope covering the
    /// target on `data_on`.
    pub(crate) fn permits(
        &self,
        p: usize,
        area: Area,
        mode: Mode,
        target: Target,
        action_on: NaiveDate,
        data_on: NaiveDate,
    ) -> bool {
        let g = &self.policies;
        g.grants_of.get(p).is_some_and(|list| {
            list.iter().any(|&i| {
                let grant = &g.grants[i];
                grant.period.contains(action_on)
                    && g.roles[grant.role].permissions.allows(area, mode)
                    && self.scope_covers(&grant.scope, target, mode, data_on)
            })
        })
    }

    /// [`Mutualis::permits`], remembering the last decision that allowed a
    /// call (see [`Memo`]): the same question again, with nothing changed
    /// since, is answered by one comparison.
    pub(crate) fn permits_memo(
        &mut self,
        p: usize,
        area: Area,
        mode: Mode,
        target: Target,
        action_on: NaiveDate,
        data_on: NaiveDate,
    ) -> bool {
        let key = Memo {
            generation: self.access_generation,
            principal: p,
            area,
            mode,
            target,
            action_on,
            data_on,
        };
        if self.access_memo.is_some_and(|m| m.answers(&key)) {
            return true;
        }
        let allowed = self.permits(p, area, mode, target, action_on, data_on);
        if allowed {
            self.access_memo = Some(key);
        }
        allowed
    }

    /// Checks that principal `p` may record `entry` (its date is the
    /// action's; [`Mutualis::needs`] gives the rest).
    ///
    /// Errors: [`Error::Forbidden`] naming the permission and event kind
    /// (`"work:write (cost_recorded)"`) and the target.
    pub(crate) fn authorise_entry(&self, p: usize, entry: &JournalEntry) -> Result<()> {
        let n = self.needs(&entry.event, entry.seq);
        let action_on = entry.at.date_naive();
        if self.permits(
            p,
            n.area,
            n.mode,
            n.target,
            action_on,
            n.on.unwrap_or(action_on),
        ) {
            return Ok(());
        }
        let kind = serde_json::to_value(&entry.event)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default();
        Err(self.forbidden(p, n.area, n.mode, Some(&kind), n.target))
    }

    /// The refusal of `mode` `area` on `target` to principal `p`, naming the
    /// command or query (`what`).
    pub(crate) fn forbidden(
        &self,
        p: usize,
        area: Area,
        mode: Mode,
        what: Option<&str>,
        target: Target,
    ) -> Error {
        let mode = match mode {
            Mode::Read => "read",
            Mode::Write => "write",
        };
        let action = match what {
            Some(w) => format!("{area}:{mode} ({w})"),
            None => format!("{area}:{mode}"),
        };
        Error::Forbidden {
            principal: self
                .policies
                .principals
                .get(p)
                .map(|x| x.code.clone())
                .unwrap_or_default(),
            action,
            target: self.target_label(target),
        }
    }

    /// A target as a refusal names it: `"work order BT-18"`, `"asset
    /// GYM-1"`, `"tenant ROANNE"`, `"budget ROANNE 2026"`, `"the group"`.
    #[must_use]
    pub fn target_label(&self, target: Target) -> String {
        match target {
            Target::Group => "the group".to_owned(),
            Target::Tenant(t) => format!("tenant {}", self.tenant_code(t)),
            Target::Asset(a) => format!("asset {}", self.asset_code(a)),
            Target::WorkOrder(w) => {
                let code = if w.index() < self.work_orders.len() {
                    self.work_orders.code(w.index())
                } else {
                    crate::UNKNOWN_CODE
                };
                format!("work order {code}")
            }
            Target::Budget(t, y) => format!("budget {} {y}", self.tenant_code(t)),
        }
    }

    /// Applies an entry recorded elsewhere (a device's event, by sync) as
    /// [`Mutualis::apply_recorded`] does, authorised as its actor:
    /// - an actor that is a principal needs the grant on the event's own
    ///   date (`at`), exactly as a [`Session`] would have needed it;
    /// - an actor that is not a principal is accepted while the registry
    ///   defines no principal at all (stores and devices from before access
    ///   rights, the system's own events), and refused once it defines one:
    ///   otherwise any device could bypass the grants by naming an unknown
    ///   actor.
    ///
    /// Errors: the entry's own error, or [`Error::Forbidden`] (nothing
    /// changed either way).
    pub fn apply_recorded_authorised(&mut self, entry: &JournalEntry) -> Result<()> {
        let p = match self.policies.principal_by_code.get(&entry.actor) {
            Some(&p) => p,
            None if self.policies.principals.is_empty() => return self.apply_recorded(entry),
            None => usize::MAX,
        };
        let cp = self.checkpoint();
        let start = self.journal.len();
        let r = self.apply_recorded(entry).and_then(|()| {
            self.journal[start..]
                .iter()
                .try_for_each(|e| self.authorise_entry(p, e))
        });
        match r {
            Ok(()) => {
                self.release(cp);
                Ok(())
            }
            Err(e) => {
                self.rollback(cp)?;
                Err(match e {
                    // an actor that is no principal: named as it came
                    Error::Forbidden { action, target, .. } if p == usize::MAX => {
                        Error::Forbidden {
                            principal: entry.actor.clone(),
                            action,
                            target,
                        }
                    }
                    e => e,
                })
            }
        }
    }

    /// A session acting as `principal`: its commands are authorised by the
    /// principal's grants and journalled with the principal as actor (see
    /// [`Session`]).
    ///
    /// Errors: [`Error::UnknownPrincipal`].
    pub fn as_principal_mut(&mut self, principal: &str) -> Result<Session<'_>> {
        let p = self.principal_index(principal)?;
        Ok(Session {
            principal: p,
            m: self,
        })
    }
}

/// A registry handle bound to a principal, for writing (issue 12, DOMAIN §8).
///
/// [`Session::execute`] runs commands on the registry in place, then
/// authorises each journal entry they recorded ([`Mutualis::needs`]); if
/// one is not allowed, everything they did is rolled back (the registry
/// exactly as before, journal included) and the call answers
/// [`Error::Forbidden`]. An error of the commands themselves is returned as
/// is, also rolled back. The entries are journalled with the principal's
/// code as actor. The hot commands have named methods
/// ([`Session::record_cost`], [`Session::record_labour`]…).
///
/// [`Mutualis`] itself stays the **unchecked** façade (single-user embedded
/// use, tests); a host application serving several users hands out only
/// sessions and [`super::Reader`]s.
///
/// ```
/// # use mutualis::{Mutualis, NewTenant, NewAsset, AssetKind, NewWorkOrder, NewSupplier, Period, Error};
/// # use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
/// # use chrono::NaiveDate;
/// # use rust_decimal_macros::dec;
/// # let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
/// # let mut m = Mutualis::new();
/// # m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
/// # m.add_asset(NewAsset::new("GYM", "Gymnase", AssetKind::Building, "ROANNE", d(1975, 9, 1))).unwrap();
/// # m.add_supplier(NewSupplier::new("SURV", "Surveillance", "73282932000074")).unwrap();
/// # m.create_work_order(NewWorkOrder::by_supplier("BT-17", "Ronde", "GYM", "SURV")).unwrap();
/// # m.create_work_order(NewWorkOrder::by_supplier("BT-18", "Ronde", "GYM", "SURV")).unwrap();
/// # let t = chrono::DateTime::from_timestamp(1_773_300_000, 0).unwrap();
/// # for w in ["BT-17", "BT-18"] { m.set_work_order_status(w, mutualis::WorkOrderStatus::InProgress, t).unwrap(); }
/// m.add_role("SURV", "Prestataire", &["work:write"]).unwrap();
/// m.add_principal(NewPrincipal { code: "surv.dupont".into(), name: "Dupont".into(),
///     kind: PrincipalKind::Contractor, tenant: None, supplier: Some("SURV".into()) }).unwrap();
/// m.grant("surv.dupont", "SURV", &ScopeRef::WorkOrders { work_orders: vec!["BT-17".into()] },
///     Period::starting(d(2020, 1, 1))).unwrap();
/// let mut s = m.as_principal_mut("surv.dupont").unwrap();
/// let e = s.record_external("BT-18", d(2026, 3, 12), None, "Ronde", dec!(100), mutualis::VatRate::Standard).unwrap_err();
/// assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
/// assert_eq!(e.to_string(), r#""surv.dupont" may not work:write (cost_recorded) on work order BT-18"#);
/// s.record_external("BT-17", d(2026, 3, 12), None, "Ronde", dec!(100), mutualis::VatRate::Standard).unwrap();
/// assert_eq!(m.journal().last().unwrap().actor, "surv.dupont");
/// ```
#[derive(Debug)]
pub struct Session<'a> {
    m: &'a mut Mutualis,
    principal: usize,
}

impl Session<'_> {
    /// The principal's code.
    #[must_use]
    pub fn principal(&self) -> &str {
        &self.m.policies.principals[self.principal].code
    }

    /// A reader for the same principal (see [`super::Reader`]).
    #[must_use]
    pub fn reader(&self) -> super::Reader<'_> {
        super::Reader::new(self.m, Some(self.principal))
    }

    /// Runs `command` on the registry as the principal, all or nothing (see
    /// [`Session`]). The closure must only run commands: what it reads of
    /// the registry is not filtered. Every event it records is journalled as
    /// the principal: one recorded as another actor (by `set_actor`, or an
    /// entry of someone else given to `apply_recorded`) is refused.
    ///
    /// Errors: the command's own error, or [`Error::Forbidden`]; either way
    /// nothing changed.
    pub fn execute<T>(&mut self, command: impl FnOnce(&mut Mutualis) -> Result<T>) -> Result<T> {
        let m = &mut *self.m;
        let p = self.principal;
        let cp = m.checkpoint();
        let start = m.journal.len();
        // the principal's code as the journal's actor for the call, in a
        // buffer kept for the purpose (no allocation per call)
        m.actor_spare.clear();
        m.actor_spare.push_str(&m.policies.principals[p].code);
        std::mem::swap(&mut m.actor, &mut m.actor_spare);
        let r = command(m);
        std::mem::swap(&mut m.actor, &mut m.actor_spare);
        let code = &m.policies.principals[p].code;
        let r = r.and_then(|v| {
            m.journal[start..]
                .iter()
                .try_for_each(|e| {
                    if e.actor != *code {
                        // the journal names who acted: never another actor
                        return Err(Error::Forbidden {
                            principal: code.clone(),
                            action: "journal an event as another actor".to_owned(),
                            target: format!("actor {}", e.actor),
                        });
                    }
                    m.authorise_entry(p, e)
                })
                .map(|()| v)
        });
        match r {
            Ok(v) => {
                m.release(cp);
                Ok(v)
            }
            Err(e) => {
                // every command is covered by checkpoints but a dataset
                // import, which needs an empty registry (a principal exists)
                m.rollback(cp)?;
                Err(e)
            }
        }
    }

    /// [`Mutualis::record_cost`] as the principal.
    ///
    /// The hot path of a session: a cost line records one event, on its
    /// work order, needing `work:write` there on the line's date (the scope)
    /// and the call's (the grant) — known before the command runs. So the
    /// session judges it first, on the instant it then journals the line
    /// with, and when it is allowed runs the command directly: no
    /// checkpoint (the command changes nothing when it fails), no second
    /// lookup of the work order, no check of the entry afterwards. When it
    /// is not allowed (or the work order is unknown), the call takes the
    /// general path of [`Session::execute`], so the command's own error
    /// still comes before [`Error::Forbidden`].
    ///
    /// Errors: as [`Mutualis::record_cost`], and [`Error::Forbidden`].
    pub fn record_cost(&mut self, work_order: &str, cost: CostInput) -> Result<CostLineId> {
        let m = &mut *self.m;
        let p = self.principal;
        if m.replaying.is_none() && !m.muted {
            if let Ok(w) = m.work_order_id(work_order) {
                let now = m.clock.now();
                let action_on = now.date_naive();
                let target = Target::WorkOrder(w);
                if m.permits_memo(p, Area::Work, Mode::Write, target, action_on, cost.date()) {
                    m.pinned_at = Some(now);
                    m.actor_spare.clear();
                    m.actor_spare.push_str(&m.policies.principals[p].code);
                    std::mem::swap(&mut m.actor, &mut m.actor_spare);
                    let r = m.record_cost_on(w, work_order, cost);
                    std::mem::swap(&mut m.actor, &mut m.actor_spare);
                    m.pinned_at = None;
                    return r;
                }
            }
        }
        self.execute(|m| m.record_cost(work_order, cost))
    }

    /// Records régie labour: `hours` per agent × `agents` on `date`
    /// ([`CostInput::labour`]).
    ///
    /// Errors: as [`Mutualis::record_cost`], and [`Error::Forbidden`].
    pub fn record_labour(
        &mut self,
        work_order: &str,
        date: NaiveDate,
        hours: rust_decimal::Decimal,
        agents: u32,
    ) -> Result<CostLineId> {
        self.record_cost(work_order, CostInput::labour(date, hours, agents))
    }

    /// Records material issued from a store ([`CostInput::material`]).
    ///
    /// Errors: as [`Mutualis::record_cost`], and [`Error::Forbidden`].
    pub fn record_material(
        &mut self,
        work_order: &str,
        date: NaiveDate,
        store: &str,
        item: &str,
        quantity: rust_decimal::Decimal,
    ) -> Result<CostLineId> {
        self.record_cost(work_order, CostInput::material(date, store, item, quantity))
    }

    /// Records a vehicle's use ([`CostInput::vehicle`]).
    ///
    /// Errors: as [`Mutualis::record_cost`], and [`Error::Forbidden`].
    pub fn record_vehicle(
        &mut self,
        work_order: &str,
        date: NaiveDate,
        vehicle: &str,
        unit: crate::UsageUnit,
        quantity: rust_decimal::Decimal,
    ) -> Result<CostLineId> {
        self.record_cost(
            work_order,
            CostInput::vehicle(date, vehicle, unit, quantity),
        )
    }

    /// Records a supplier's line ([`CostInput::external`]).
    ///
    /// Errors: as [`Mutualis::record_cost`], and [`Error::Forbidden`].
    pub fn record_external(
        &mut self,
        work_order: &str,
        date: NaiveDate,
        supplier: Option<&str>,
        description: &str,
        ht: rust_decimal::Decimal,
        vat_rate: crate::VatRate,
    ) -> Result<CostLineId> {
        self.record_cost(
            work_order,
            CostInput::external(date, supplier, description, ht, vat_rate),
        )
    }

    /// [`Mutualis::create_work_order`] as the principal.
    ///
    /// Errors: as [`Mutualis::create_work_order`], and [`Error::Forbidden`].
    pub fn create_work_order(&mut self, spec: NewWorkOrder) -> Result<WorkOrderId> {
        self.execute(|m| m.create_work_order(spec))
    }

    /// [`Mutualis::set_work_order_status`] as the principal.
    ///
    /// Errors: as [`Mutualis::set_work_order_status`], and [`Error::Forbidden`].
    pub fn set_work_order_status(
        &mut self,
        work_order: &str,
        status: WorkOrderStatus,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        self.execute(|m| m.set_work_order_status(work_order, status, at))
    }

    /// [`Mutualis::receive_request`] as the principal.
    ///
    /// Errors: as [`Mutualis::receive_request`], and [`Error::Forbidden`].
    pub fn receive_request(&mut self, spec: NewRequest) -> Result<RequestId> {
        self.execute(|m| m.receive_request(spec))
    }

    /// [`Mutualis::set_request_status`] as the principal.
    ///
    /// Errors: as [`Mutualis::set_request_status`], and [`Error::Forbidden`].
    pub fn set_request_status(
        &mut self,
        request: &str,
        status: RequestStatus,
        at: chrono::DateTime<chrono::Utc>,
        note: Option<&str>,
    ) -> Result<()> {
        self.execute(|m| m.set_request_status(request, status, at, note))
    }

    /// Applies an entry the principal recorded elsewhere (its actor must be
    /// the principal's code; its time is kept, like
    /// [`Mutualis::apply_recorded`]).
    ///
    /// Errors: the entry's own error, and [`Error::Forbidden`] (also for an
    /// entry of another actor).
    pub fn apply_recorded(&mut self, entry: &JournalEntry) -> Result<()> {
        self.execute(|m| m.apply_recorded(entry))
    }
}

#[cfg(test)]
mod memo_tests {
    use chrono::{TimeZone, Utc};
    use rust_decimal::Decimal;

    use super::*;
    use crate::access::{NewPrincipal, PrincipalKind, ScopeRef};
    use crate::{Clock, Period, VatRate};

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap()
    }

    /// A decision remembered inside a span that is rolled back is
    /// forgotten with it (the grant it relied on is gone).
    #[test]
    fn a_rollback_forgets_the_decisions_taken_since() {
        let mut m = super::super::tests::seed_for_policies();
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        m.set_clock(Clock::Fixed(t));
        m.set_work_order_status("W-SURV", WorkOrderStatus::InProgress, t)
            .unwrap();
        m.add_role("SURV", "Surveillance", &["work:write"]).unwrap();
        m.add_principal(NewPrincipal {
            code: "c".into(),
            name: "Contractor".into(),
            kind: PrincipalKind::Contractor,
            tenant: None,
            supplier: Some("SURV".into()),
        })
        .unwrap();
        let before = m.clone();
        let cp = m.checkpoint();
        m.grant(
            "c",
            "SURV",
            &ScopeRef::WorkOrders {
                work_orders: vec!["W-SURV".into()],
            },
            Period::starting(d(2020, 1, 1)),
        )
        .unwrap();
        let line = CostInput::external(
            d(2026, 3, 1),
            None,
            "Ronde",
            Decimal::new(100, 0),
            VatRate::Standard,
        );
        let mut s = m.as_principal_mut("c").unwrap();
        s.record_cost("W-SURV", line.clone()).unwrap();
        s.record_cost("W-SURV", line.clone()).unwrap();
        assert!(m.access_memo.is_some());
        m.rollback(cp).unwrap();
        assert_eq!(m, before);
        let e = m
            .as_principal_mut("c")
            .unwrap()
            .record_cost("W-SURV", line)
            .unwrap_err();
        assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
        assert_eq!(m, before);
    }
}
