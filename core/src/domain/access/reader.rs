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
use crate::error::Result;
use crate::ids::{TenantId, WorkOrderId};
use crate::ledger::{Dimension, GroupRow, LedgerColumns, LedgerFilter};
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
        let orders = (0..self.work_orders.len())
            .map(|w| {
                let target = Target::WorkOrder(WorkOrderId(w as u32));
                scopes
                    .iter()
                    .any(|s| self.scope_covers(s, target, Mode::Write, on))
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
