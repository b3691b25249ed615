//! The read side of the authorised handle: a [`Reader`] bound to a
//! principal answers the registry's queries restricted to what it may read.
//!
//! - a **lookup** of one thing (an asset, a work order, a request, a
//!   budget, a tenant's statements) it may not read answers
//!   [`crate::Error::Forbidden`];
//! - a **list** drops the rows it may not read;
//! - an **aggregate** over cost lines (the ledger, `ledger_group`, the cost
//!   of a tag, a supplier's activity) is computed over the parts it may
//!   read: every part of a line of a work order it acts on (its scope
//!   covers the order for writing: a contractor's assignments, a régie's
//!   orders, the orders on assets a tenant holds), and the parts paid by a
//!   tenant whose figures it reads (a tenant scope) — so an elected
//!   official of MABLY sees MABLY's spending and MABLY's share on a shared
//!   hall, not ROANNE's internals;
//! - a query of the whole group (the settlement matrix, the debt lines) or
//!   of an area it has no read grant on at all answers Forbidden.
//!
//! The restriction is a [`Mask`] over work orders and payers computed once
//! per call, on the registry clock's date (the grants valid that day); a
//! principal with a group-wide grant of the area takes the unchecked path.

use chrono::NaiveDate;

use super::{Area, Mode, Scope, Target};

mod energy;
mod fleet;
mod furniture;
mod leases;
mod requests;
mod workwear;
use crate::error::Result;
use crate::ids::{TenantId, WorkOrderId};
use crate::ledger::{Dimension, GroupRow, LedgerColumns, LedgerFilter};
use crate::work::PerformerId;
use crate::{
    Asset, Budget, BudgetLineStatus, Charge, CostLine, CostSummary, Debt, DebtLine, Mutualis,
    Payers, Request, Statement, SupplierActivity, WorkOrder,
};

/// What a principal reads of the cost lines: every part of the work orders
/// it acts on, and the parts paid by the tenants whose figures it reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mask {
    /// Per tenant id: its payments are readable.
    payers: Vec<bool>,
    /// Per work order: all its lines are readable.
    orders: Vec<bool>,
}

impl Mask {
    /// All the lines of work order `w` are readable.
    #[inline]
    pub(crate) fn order(&self, w: usize) -> bool {
        self.orders.get(w).copied().unwrap_or(false)
    }

    /// What `payer` pays is readable.
    #[inline]
    pub(crate) fn payer(&self, payer: TenantId) -> bool {
        self.payers.get(payer.index()).copied().unwrap_or(false)
    }

    /// The part of a line of work order `w` paid by `payer` is readable.
    #[inline]
    pub(crate) fn part(&self, w: usize, payer: TenantId) -> bool {
        self.order(w) || self.payer(payer)
    }
}

impl Mutualis {
    /// The mask of what principal `p` reads of `area` on `on` (`what` names
    /// the query for a refusal): `None` when a group-wide grant lets it read
    /// everything.
    ///
    /// Errors: [`crate::Error::Forbidden`] when no grant valid that day permits
    /// reading the area at all.
    pub(crate) fn read_mask(
        &self,
        p: usize,
        area: Area,
        what: &str,
        on: NaiveDate,
    ) -> Result<Option<Mask>> {
        let g = &self.policies;
        let scopes: Vec<&Scope> = g
            .grants_of
            .get(p)
            .into_iter()
            .flatten()
            .map(|&i| &g.grants[i])
            .filter(|x| {
                x.period.contains(on) && g.roles[x.role].permissions.allows(area, Mode::Read)
            })
            .map(|x| &x.scope)
            .collect();
        if scopes.is_empty() {
            return Err(self.forbidden(p, area, Mode::Read, Some(what), Target::Group));
        }
        if scopes.iter().any(|s| matches!(s, Scope::Group)) {
            return Ok(None);
        }
        let mut payers = vec![false; self.tenants().len()];
        for s in &scopes {
            if let Scope::Tenant(t) = s {
                if let Some(x) = payers.get_mut(t.index()) {
                    *x = true;
                }
            }
        }
        // tenant scopes: a flag per asset (its holder today is one of the
        // tenants), per team and per service (of one of the tenants),
        // computed once, so that each order costs a few lookups (not a
        // search of the tenants); the other scopes ask `scope_covers`
        let tenants: Vec<TenantId> = scopes
            .iter()
            .filter_map(|s| match s {
                Scope::Tenant(t) => Some(*t),
                _ => None,
            })
            .collect();
        let others: Vec<&Scope> = scopes
            .iter()
            .copied()
            .filter(|s| !matches!(s, Scope::Tenant(_)))
            .collect();
        let ours = |t: TenantId| tenants.contains(&t);
        let (held, teams, services): (Vec<bool>, Vec<bool>, Vec<bool>) = if tenants.is_empty() {
            (Vec::new(), Vec::new(), Vec::new())
        } else {
            (
                self.assets()
                    .iter()
                    .map(|a| self.holder_of(a.id, on).is_ok_and(|h| ours(h.tenant)))
                    .collect(),
                self.teams().iter().map(|t| ours(t.tenant)).collect(),
                self.services().iter().map(|s| ours(s.tenant)).collect(),
            )
        };
        let flag = |v: &[bool], i: usize| v.get(i).copied().unwrap_or(false);
        let wos = &self.work_orders;
        let orders = (0..wos.len())
            .map(|w| {
                // `work_order_tenant` (the régie's, else the service's, else
                // the holder's) is one of the tenants, or one holds the asset
                let covered_by_tenant = !tenants.is_empty()
                    && (flag(&held, wos.asset(w).index())
                        || match wos.performer(w) {
                            PerformerId::Team(t) => flag(&teams, t.index()),
                            PerformerId::Supplier(_) => {
                                wos.service(w).is_some_and(|s| flag(&services, s.index()))
                            }
                        });
                covered_by_tenant || {
                    let target = Target::WorkOrder(WorkOrderId(w as u32));
                    others
                        .iter()
                        .any(|s| self.scope_covers(s, target, Mode::Write, on))
                }
            })
            .collect();
        Ok(Some(Mask { payers, orders }))
    }
}

/// A registry handle for reading, bound to a principal (see the
/// [module](self) docs), or unchecked ([`Mutualis::unchecked_reader`]).
///
/// Its queries have the names and arguments of [`Mutualis`]'s; a query not
/// mirrored here is not reachable by a principal.
///
/// ```
/// # use mutualis::{Mutualis, NewTenant, NewAsset, AssetKind, Period, Error};
/// # use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
/// # use chrono::NaiveDate;
/// # let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
/// # let mut m = Mutualis::new();
/// # m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
/// # m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127")).unwrap();
/// # m.add_asset(NewAsset::new("GYM", "Gymnase", AssetKind::Building, "ROANNE", d(1975, 9, 1))).unwrap();
/// m.add_role("ELU", "Élu", &["assets:read", "work:read"]).unwrap();
/// m.add_principal(NewPrincipal { code: "elu.mably".into(), name: "Élu".into(),
///     kind: PrincipalKind::Elected, tenant: Some("MABLY".into()), supplier: None }).unwrap();
/// m.grant("elu.mably", "ELU", &ScopeRef::Tenant { tenant: "MABLY".into() },
///     Period::starting(d(2020, 1, 1))).unwrap();
/// let r = m.as_principal("elu.mably").unwrap();
/// assert!(matches!(r.asset("GYM"), Err(Error::Forbidden { .. })));
/// assert!(r.assets().is_empty());
/// assert!(matches!(r.settlement_matrix(2026), Err(Error::Forbidden { .. })));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    m: &'a Mutualis,
    principal: Option<usize>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(m: &'a Mutualis, principal: Option<usize>) -> Reader<'a> {
        Reader { m, principal }
    }

    /// The principal's code (`None`: the unchecked reader).
    #[must_use]
    pub fn principal(&self) -> Option<&'a str> {
        let m = self.m;
        self.principal
            .and_then(|p| m.policies.principals.get(p))
            .map(|p| p.code.as_str())
    }

    /// The date grants and scopes are judged on: the registry clock's.
    fn today(&self) -> NaiveDate {
        self.m.clock.now().date_naive()
    }

    /// True when the principal may read `area` of `target` today.
    fn sees(&self, area: Area, target: Target, today: NaiveDate) -> bool {
        self.principal
            .is_none_or(|p| self.m.permits(p, area, Mode::Read, target, today, today))
    }

    /// Ok when the principal may read `area` of `target` today, else
    /// Forbidden naming `what`.
    fn check(&self, area: Area, target: Target, what: &str) -> Result<()> {
        let today = self.today();
        match self.principal {
            Some(p) if !self.sees(area, target, today) => {
                Err(self.m.forbidden(p, area, Mode::Read, Some(what), target))
            }
            _ => Ok(()),
        }
    }

    /// The mask of the cost lines' parts readable (`None`: all).
    fn mask(&self, what: &str) -> Result<Option<Mask>> {
        match self.principal {
            None => Ok(None),
            Some(p) => self.m.read_mask(p, Area::Work, what, self.today()),
        }
    }

    /// [`Mutualis::asset`], if the principal may read it.
    ///
    /// Errors: [`crate::Error::UnknownAsset`], [`crate::Error::Forbidden`].
    pub fn asset(&self, code: &str) -> Result<&'a Asset> {
        let a = self.m.asset_id(code)?;
        self.check(Area::Assets, Target::Asset(a), "asset")?;
        self.m.asset_by_id(a)
    }

    /// The assets the principal may read ([`Mutualis::assets`]).
    #[must_use]
    pub fn assets(&self) -> Vec<&'a Asset> {
        let today = self.today();
        let m = self.m;
        m.assets()
            .iter()
            .filter(|a| self.sees(Area::Assets, Target::Asset(a.id), today))
            .collect()
    }

    /// [`Mutualis::payers`], if the principal may read the asset.
    ///
    /// Errors: as [`Mutualis::payers`], [`crate::Error::Forbidden`].
    pub fn payers(&self, asset: &str, date: NaiveDate) -> Result<Payers> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "payers")?;
        self.m.payers(asset, date)
    }

    /// [`Mutualis::work_order`], if the principal may read it.
    ///
    /// Errors: [`crate::Error::UnknownWorkOrder`], [`crate::Error::Forbidden`].
    pub fn work_order(&self, code: &str) -> Result<WorkOrder> {
        let w = self.m.work_order_id(code)?;
        self.check(Area::Work, Target::WorkOrder(w), "work_order")?;
        self.m.work_order(code)
    }

    /// The work orders the principal may read, as records, in creation
    /// order ([`Mutualis::work_orders`]).
    #[must_use]
    pub fn work_orders(&self) -> Vec<WorkOrder> {
        let today = self.today();
        let wos = &self.m.work_orders;
        (0..wos.len())
            .map(|w| WorkOrderId(w as u32))
            .filter(|&w| self.sees(Area::Work, Target::WorkOrder(w), today))
            .filter_map(|w| wos.get(w))
            .collect()
    }

    /// [`Mutualis::work_order_lines`], if the principal may read the order.
    ///
    /// Errors: [`crate::Error::UnknownWorkOrder`], [`crate::Error::Forbidden`].
    pub fn work_order_lines(&self, code: &str) -> Result<Vec<CostLine>> {
        let w = self.m.work_order_id(code)?;
        self.check(Area::Work, Target::WorkOrder(w), "work_order_lines")?;
        self.m.work_order_lines(code)
    }

    /// [`Mutualis::work_order_cost`], if the principal may read the order.
    ///
    /// Errors: [`crate::Error::UnknownWorkOrder`], [`crate::Error::Forbidden`].
    pub fn work_order_cost(&self, code: &str) -> Result<CostSummary> {
        let w = self.m.work_order_id(code)?;
        self.check(Area::Work, Target::WorkOrder(w), "work_order_cost")?;
        self.m.work_order_cost(code)
    }

    /// [`Mutualis::work_order_charges`], if the principal may read the order.
    ///
    /// Errors: [`crate::Error::UnknownWorkOrder`], [`crate::Error::Forbidden`].
    pub fn work_order_charges(&self, code: &str) -> Result<Vec<Charge>> {
        let w = self.m.work_order_id(code)?;
        self.check(Area::Work, Target::WorkOrder(w), "work_order_charges")?;
        self.m.work_order_charges(code)
    }

    /// [`Mutualis::ledger_columns`]: the rows (line, payer) the principal
    /// may read.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read work.
    pub fn ledger_columns(&self) -> Result<LedgerColumns> {
        let mask = self.mask("ledger_columns")?;
        Ok(self.m.ledger_columns_masked(mask.as_ref()))
    }

    /// [`Mutualis::ledger_group`] over the parts the principal may read.
    ///
    /// Errors: as [`Mutualis::ledger_group`], [`crate::Error::Forbidden`] without
    /// any grant to read work.
    pub fn ledger_group(&self, dims: &[Dimension], filter: &LedgerFilter) -> Result<Vec<GroupRow>> {
        let mask = self.mask("ledger_group")?;
        self.m.ledger_group_masked(dims, filter, mask.as_ref())
    }

    /// [`Mutualis::cost_by_tag`] over the parts the principal may read.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read work.
    pub fn cost_by_tag(&self, tag: &str) -> Result<CostSummary> {
        let mask = self.mask("cost_by_tag")?;
        let wos = &self.m.work_orders;
        Ok(self
            .m
            .cost_of_work_orders_masked(|w| wos.has_tag(w, tag), mask.as_ref()))
    }

    /// [`Mutualis::cost_by_association`] over the parts the principal may read.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read work.
    pub fn cost_by_association(&self, association: &str) -> Result<CostSummary> {
        let mask = self.mask("cost_by_association")?;
        let wos = &self.m.work_orders;
        Ok(self
            .m
            .cost_of_work_orders_masked(|w| wos.association(w) == Some(association), mask.as_ref()))
    }

    /// [`Mutualis::supplier_activity`] over the parts the principal may read.
    ///
    /// Errors: as [`Mutualis::supplier_activity`], [`crate::Error::Forbidden`].
    pub fn supplier_activity(
        &self,
        supplier: &str,
        period: Option<crate::Period>,
    ) -> Result<SupplierActivity> {
        let mask = self.mask("supplier_activity")?;
        self.m
            .supplier_activity_masked(supplier, period, mask.as_ref())
    }

    /// [`Mutualis::cost_breakdown`] over the parts the principal may read.
    ///
    /// Errors: as [`Mutualis::cost_breakdown`], [`crate::Error::Forbidden`].
    pub fn cost_breakdown(
        &self,
        period: Option<crate::Period>,
    ) -> Result<Vec<crate::BreakdownRow>> {
        let mask = self.mask("cost_breakdown")?;
        self.m.cost_breakdown_masked(period, mask.as_ref())
    }

    /// [`Mutualis::rollup`] of an asset the principal may read, over the
    /// parts it may read.
    ///
    /// Errors: as [`Mutualis::rollup`], [`crate::Error::Forbidden`].
    pub fn rollup(&self, asset: &str, period: Option<crate::Period>) -> Result<CostSummary> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "rollup")?;
        let mask = self.mask("rollup")?;
        self.m.rollup_masked(asset, period, mask.as_ref())
    }

    /// [`Mutualis::holder`] of an asset the principal may read.
    ///
    /// Errors: as [`Mutualis::holder`], [`crate::Error::Forbidden`].
    pub fn holder(&self, asset: &str, date: NaiveDate) -> Result<crate::Holder> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "holder")?;
        self.m.holder(asset, date)
    }

    /// [`Mutualis::owner_on`] of an asset the principal may read.
    ///
    /// Errors: as [`Mutualis::owner_on`], [`crate::Error::Forbidden`].
    pub fn owner_on(&self, asset: &str, date: NaiveDate) -> Result<TenantId> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "owner_on")?;
        self.m.owner_on(asset, date)
    }

    /// [`Mutualis::custody_history`] of an asset the principal may read.
    ///
    /// Errors: as [`Mutualis::custody_history`], [`crate::Error::Forbidden`].
    pub fn custody_history(&self, asset: &str) -> Result<&'a [crate::CustodyPeriod]> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "custody_history")?;
        self.m.custody_history(asset)
    }

    /// [`Mutualis::ownership_history`] of an asset the principal may read.
    ///
    /// Errors: as [`Mutualis::ownership_history`], [`crate::Error::Forbidden`].
    pub fn ownership_history(&self, asset: &str) -> Result<&'a [crate::Transfer]> {
        let a = self.m.asset_id(asset)?;
        self.check(Area::Assets, Target::Asset(a), "ownership_history")?;
        self.m.ownership_history(asset)
    }

    /// [`Mutualis::children`] of an asset, those the principal may read.
    ///
    /// Errors: as [`Mutualis::children`].
    pub fn children(&self, asset: &str) -> Result<Vec<&'a Asset>> {
        let today = self.today();
        let mut v = self.m.children(asset)?;
        v.retain(|a| self.sees(Area::Assets, Target::Asset(a.id), today));
        Ok(v)
    }

    /// [`Mutualis::subtree`] of an asset, the assets the principal may read.
    ///
    /// Errors: as [`Mutualis::subtree`].
    pub fn subtree(&self, asset: &str) -> Result<Vec<&'a Asset>> {
        let today = self.today();
        let mut v = self.m.subtree(asset)?;
        v.retain(|a| self.sees(Area::Assets, Target::Asset(a.id), today));
        Ok(v)
    }

    /// [`Mutualis::work_orders_of_team`], those the principal may read.
    ///
    /// Errors: as [`Mutualis::work_orders_of_team`].
    pub fn work_orders_of_team(&self, team: &str) -> Result<Vec<WorkOrder>> {
        let today = self.today();
        let mut v = self.m.work_orders_of_team(team)?;
        v.retain(|w| self.sees(Area::Work, Target::WorkOrder(w.id), today));
        Ok(v)
    }

    /// [`Mutualis::request_delays`] of a request the principal may read.
    ///
    /// Errors: as [`Mutualis::request_delays`], [`crate::Error::Forbidden`].
    pub fn request_delays(&self, code: &str) -> Result<crate::RequestDelays> {
        self.request(code)?;
        self.m.request_delays(code)
    }

    /// [`Mutualis::budget_warnings`] of the budgets the principal may read.
    #[must_use]
    pub fn budget_warnings(&self) -> Vec<&'a crate::BudgetWarning> {
        let today = self.today();
        let m = self.m;
        m.budget_warnings()
            .iter()
            .filter(|w| {
                m.tenant_id(&w.tenant)
                    .is_ok_and(|t| self.sees(Area::Budgets, Target::Budget(t, w.year), today))
            })
            .collect()
    }

    /// [`Mutualis::fctva_estimate`] of a tenant whose budgets the principal reads.
    ///
    /// Errors: as [`Mutualis::fctva_estimate`], [`crate::Error::Forbidden`].
    pub fn fctva_estimate(&self, tenant: &str, year: i32) -> Result<crate::fctva::FctvaEstimate> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Budgets, Target::Tenant(t), "fctva_estimate")?;
        self.m.fctva_estimate(tenant, year)
    }

    /// [`Mutualis::ap_situation`] of a tenant whose plans the principal reads.
    ///
    /// Errors: as [`Mutualis::ap_situation`], [`crate::Error::Forbidden`].
    pub fn ap_situation(
        &self,
        tenant: &str,
        year: i32,
    ) -> Result<Vec<crate::planning::ApSituation>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Plans, Target::Tenant(t), "ap_situation")?;
        self.m.ap_situation(tenant, year)
    }

    /// [`Mutualis::ppi_rows`] of a tenant whose plans the principal reads.
    ///
    /// Errors: as [`Mutualis::ppi_rows`], [`crate::Error::Forbidden`].
    pub fn ppi_rows(&self, tenant: &str) -> Result<Vec<crate::planning::PpiRow>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Plans, Target::Tenant(t), "ppi_rows")?;
        self.m.ppi_rows(tenant)
    }

    /// [`Mutualis::plan_by_building`] of a tenant whose plans the principal reads.
    ///
    /// Errors: as [`Mutualis::plan_by_building`], [`crate::Error::Forbidden`].
    pub fn plan_by_building(&self, tenant: &str) -> Result<Vec<crate::planning::BuildingPlan>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Plans, Target::Tenant(t), "plan_by_building")?;
        self.m.plan_by_building(tenant)
    }

    /// [`Mutualis::plan_candidates`] of a tenant whose plans the principal reads.
    ///
    /// Errors: as [`Mutualis::plan_candidates`], [`crate::Error::Forbidden`].
    pub fn plan_candidates(&self, tenant: &str) -> Result<Vec<crate::planning::Candidate>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Plans, Target::Tenant(t), "plan_candidates")?;
        self.m.plan_candidates(tenant)
    }

    /// [`Mutualis::stock_level`] of a store of a tenant whose stock the
    /// principal reads.
    ///
    /// Errors: as [`Mutualis::stock_level`], [`crate::Error::Forbidden`].
    pub fn stock_level(&self, store: &str, item: &str) -> Result<crate::StockLevel> {
        let s = self.m.store_id(store)?;
        if let Some(st) = self.m.stores().get(s.index()) {
            self.check(Area::Stock, Target::Tenant(st.tenant), "stock_level")?;
        }
        self.m.stock_level(store, item)
    }

    /// [`Mutualis::stock_issues`] of the stores whose tenant's stock the
    /// principal reads.
    #[must_use]
    pub fn stock_issues(&self) -> Vec<&'a crate::StockIssue> {
        let today = self.today();
        let m = self.m;
        m.stock_issues()
            .iter()
            .filter(|i| {
                m.stores()
                    .get(i.store.index())
                    .is_some_and(|s| self.sees(Area::Stock, Target::Tenant(s.tenant), today))
            })
            .collect()
    }

    /// [`Mutualis::settlement_report`] of two tenants, when the principal
    /// reads the settlements of one of them.
    ///
    /// Errors: as [`Mutualis::settlement_report`], [`crate::Error::Forbidden`].
    pub fn settlement_report(
        &self,
        first: &str,
        second: &str,
        year: i32,
    ) -> Result<crate::reconcile::PairSettlement> {
        self.pair(first, second, "settlement_report")?;
        self.m.settlement_report(first, second, year)
    }

    /// [`Mutualis::settlement_report_text`], like [`Reader::settlement_report`].
    ///
    /// Errors: as [`Mutualis::settlement_report_text`], [`crate::Error::Forbidden`].
    pub fn settlement_report_text(&self, first: &str, second: &str, year: i32) -> Result<String> {
        self.pair(first, second, "settlement_report_text")?;
        self.m.settlement_report_text(first, second, year)
    }

    /// Ok when the principal reads the settlements of `first` or `second`.
    fn pair(&self, first: &str, second: &str, what: &str) -> Result<()> {
        let (a, b) = (self.m.tenant_id(first)?, self.m.tenant_id(second)?);
        if self.sees(Area::Settlements, Target::Tenant(b), self.today()) {
            return Ok(());
        }
        self.check(Area::Settlements, Target::Tenant(a), what)
    }

    /// [`Mutualis::requests`]: those the principal may read (by the tenant
    /// each is for).
    #[must_use]
    pub fn requests(&self) -> Vec<&'a Request> {
        let today = self.today();
        let m = self.m;
        m.requests()
            .iter()
            .filter(|r| self.sees(Area::Requests, Target::Tenant(r.tenant), today))
            .collect()
    }

    /// [`Mutualis::request`], if the principal may read it.
    ///
    /// Errors: [`crate::Error::UnknownRequest`], [`crate::Error::Forbidden`].
    pub fn request(&self, code: &str) -> Result<&'a Request> {
        let r = self.m.request(code)?;
        self.check(Area::Requests, Target::Tenant(r.tenant), "request")?;
        Ok(r)
    }

    /// [`Mutualis::budgets`]: those the principal may read.
    #[must_use]
    pub fn budgets(&self) -> Vec<&'a Budget> {
        let today = self.today();
        let m = self.m;
        m.budgets()
            .iter()
            .filter(|b| self.sees(Area::Budgets, Target::Budget(b.tenant, b.year), today))
            .collect()
    }

    /// [`Mutualis::budget_status`], if the principal may read the budget.
    ///
    /// Errors: as [`Mutualis::budget_status`], [`crate::Error::Forbidden`].
    pub fn budget_status(&self, tenant: &str, year: i32) -> Result<Vec<BudgetLineStatus>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Budgets, Target::Budget(t, year), "budget_status")?;
        self.m.budget_status(tenant, year)
    }

    /// [`Mutualis::statements_for`], if the principal may read the tenant's
    /// settlements.
    ///
    /// Errors: as [`Mutualis::statements_for`], [`crate::Error::Forbidden`].
    pub fn statements_for(&self, tenant: &str, year: i32) -> Result<Vec<Statement>> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Settlements, Target::Tenant(t), "statements_for")?;
        self.m.statements_for(tenant, year)
    }

    /// [`Mutualis::statement`] of an agreement, if the principal may read
    /// the settlements of its provider or its beneficiary.
    ///
    /// Errors: as [`Mutualis::statement`], [`crate::Error::Forbidden`].
    pub fn statement(&self, agreement: &str, year: i32) -> Result<Statement> {
        let st = self.m.statement(agreement, year)?;
        if let Some(a) = self.m.agreements().iter().find(|a| a.code == agreement) {
            let today = self.today();
            if !self.sees(Area::Settlements, Target::Tenant(a.beneficiary), today) {
                self.check(Area::Settlements, Target::Tenant(a.provider), "statement")?;
            }
        }
        Ok(st)
    }

    /// [`Mutualis::settlement_matrix`]: the group's, for a group-wide grant.
    ///
    /// Errors: as [`Mutualis::settlement_matrix`], [`crate::Error::Forbidden`].
    pub fn settlement_matrix(&self, year: i32) -> Result<Vec<Debt>> {
        self.check(Area::Settlements, Target::Group, "settlement_matrix")?;
        self.m.settlement_matrix(year)
    }

    /// [`Mutualis::debt_lines`]: the group's, for a group-wide grant.
    ///
    /// Errors: as [`Mutualis::debt_lines`], [`crate::Error::Forbidden`].
    pub fn debt_lines(&self, year: i32) -> Result<Vec<DebtLine>> {
        self.check(Area::Settlements, Target::Group, "debt_lines")?;
        self.m.debt_lines(year)
    }

    /// [`Mutualis::unsettled`]: the group's, for a group-wide grant.
    ///
    /// Errors: as [`Mutualis::unsettled`], [`crate::Error::Forbidden`].
    pub fn unsettled(&self, year: i32) -> Result<Vec<DebtLine>> {
        self.check(Area::Settlements, Target::Group, "unsettled")?;
        self.m.unsettled(year)
    }
}

impl Mutualis {
    /// A reader acting as `principal`: its queries answer only what the
    /// principal may read (see [`Reader`]).
    ///
    /// Errors: [`crate::Error::UnknownPrincipal`].
    pub fn as_principal(&self, principal: &str) -> Result<Reader<'_>> {
        Ok(Reader::new(self, Some(self.principal_index(principal)?)))
    }

    /// The unchecked reader: every query answers everything (like
    /// [`Mutualis`] itself), so bindings can call one type.
    #[must_use]
    pub fn unchecked_reader(&self) -> Reader<'_> {
        Reader::new(self, None)
    }
}
