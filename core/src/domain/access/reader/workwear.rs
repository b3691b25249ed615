//! The workwear's queries on a [`Reader`]: a tenant's agents, issues,
//! holdings, renewals, expiry and spending need `stock:read` on that tenant
//! (a tenant or group scope), else [`crate::Error::Forbidden`]; the
//! catalogue is the group's register, readable by anyone.

use chrono::NaiveDate;

use super::super::{Area, Target};
use super::Reader;
use crate::error::Result;
use crate::workwear::{
    Agent, Allotment, AllotmentWarning, ForecastRow, Holding, RenewalDue, SpendingBy, SpendingRow,
    WorkwearIssue, WorkwearItem, WorkwearReturn,
};

impl<'a> Reader<'a> {
    /// Ok when the principal may read the workwear of `tenant`.
    fn workwear_check(&self, tenant: &str, what: &str) -> Result<()> {
        let t = self.m.tenant_id(tenant)?;
        self.check(Area::Stock, Target::Tenant(t), what)
    }

    /// [`crate::Mutualis::workwear_items`] (the group's catalogue).
    #[must_use]
    pub fn workwear_items(&self) -> &'a [WorkwearItem] {
        self.m.workwear_items()
    }

    /// [`crate::Mutualis::agents`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::agents`], [`crate::Error::Forbidden`].
    pub fn agents(&self, tenant: &str) -> Result<Vec<&'a Agent>> {
        self.workwear_check(tenant, "agents")?;
        self.m.agents(tenant)
    }

    /// [`crate::Mutualis::allotments`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::allotments`], [`crate::Error::Forbidden`].
    pub fn allotments(&self, tenant: &str) -> Result<Vec<Allotment>> {
        self.workwear_check(tenant, "allotments")?;
        self.m.allotments(tenant)
    }

    /// [`crate::Mutualis::workwear_issues`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::workwear_issues`], [`crate::Error::Forbidden`].
    pub fn workwear_issues(&self, tenant: &str) -> Result<Vec<WorkwearIssue>> {
        self.workwear_check(tenant, "workwear_issues")?;
        self.m.workwear_issues(tenant)
    }

    /// [`crate::Mutualis::workwear_returns`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::workwear_returns`], [`crate::Error::Forbidden`].
    pub fn workwear_returns(&self, tenant: &str) -> Result<Vec<WorkwearReturn>> {
        self.workwear_check(tenant, "workwear_returns")?;
        self.m.workwear_returns(tenant)
    }

    /// [`crate::Mutualis::allotment_warnings`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::allotment_warnings`], [`crate::Error::Forbidden`].
    pub fn allotment_warnings(&self, tenant: &str) -> Result<Vec<AllotmentWarning>> {
        self.workwear_check(tenant, "allotment_warnings")?;
        self.m.allotment_warnings(tenant)
    }

    /// [`crate::Mutualis::agent_holdings`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::agent_holdings`], [`crate::Error::Forbidden`].
    pub fn agent_holdings(&self, tenant: &str, matricule: &str) -> Result<Vec<Holding>> {
        self.workwear_check(tenant, "agent_holdings")?;
        self.m.agent_holdings(tenant, matricule)
    }

    /// [`crate::Mutualis::expired_workwear`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::expired_workwear`], [`crate::Error::Forbidden`].
    pub fn expired_workwear(&self, tenant: &str, on: NaiveDate) -> Result<Vec<Holding>> {
        self.workwear_check(tenant, "expired_workwear")?;
        self.m.expired_workwear(tenant, on)
    }

    /// [`crate::Mutualis::renewals_due`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::renewals_due`], [`crate::Error::Forbidden`].
    pub fn renewals_due(
        &self,
        tenant: &str,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<Vec<RenewalDue>> {
        self.workwear_check(tenant, "renewals_due")?;
        self.m.renewals_due(tenant, from, to)
    }

    /// [`crate::Mutualis::workwear_spending`], if the principal reads the
    /// tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::workwear_spending`], [`crate::Error::Forbidden`].
    pub fn workwear_spending(
        &self,
        tenant: &str,
        year: i32,
        by: SpendingBy,
    ) -> Result<Vec<SpendingRow>> {
        self.workwear_check(tenant, "workwear_spending")?;
        self.m.workwear_spending(tenant, year, by)
    }

    /// [`crate::Mutualis::renewal_forecast`], if the principal reads the tenant's stock.
    ///
    /// Errors: as [`crate::Mutualis::renewal_forecast`], [`crate::Error::Forbidden`].
    pub fn renewal_forecast(&self, tenant: &str, year: i32) -> Result<Vec<ForecastRow>> {
        self.workwear_check(tenant, "renewal_forecast")?;
        self.m.renewal_forecast(tenant, year)
    }
}
