//! Habillement / EPI seen from Kotlin (issue 15): agents, the catalogue,
//! allotments, issues at CMUP, returns, holdings, renewals, expiry,
//! spending against budget lines and the forecast. The rules are the
//! core's (`mutualis::workwear`); this file only converts.

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use mx::workwear as mw;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;
use crate::settlement_types::OverrunPolicy;

mirror_enum! {
    /// Why workwear comes back from an agent (or is replaced).
    pub enum ReturnReason mirrors mw::ReturnReason, "return reason" {
        /// Worn out.
        Worn,
        /// Lost.
        Lost,
        /// Damaged.
        Damaged,
        /// The agent's assignment ended.
        EndOfAssignment,
    }
}

mirror_enum! {
    /// How workwear spending is grouped.
    pub enum SpendingBy mirrors mw::SpendingBy, "spending grouping" {
        /// One row for the tenant.
        Tenant,
        /// Per service (with its workwear budget line).
        Service,
        /// Per catalogue item.
        Item,
        /// Per agent.
        Agent,
    }
}

/// An agent of a tenant (no more personal data than needed).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Agent {
    /// Tenant code.
    pub tenant: String,
    /// Matricule, unique within the tenant.
    pub matricule: String,
    /// Name.
    pub name: String,
    /// Service code (the cost centre charged).
    pub service: String,
    /// Job, as the allotments name it.
    pub job: String,
    /// Sizes per size system ("tour de taille" → "42"; may be empty).
    pub sizes: HashMap<String, String>,
    /// First day of assignment.
    pub start: NaiveDate,
    /// Last day of assignment (null: open).
    #[uniffi(default = None)]
    pub end: Option<NaiveDate>,
}

/// An item of the workwear catalogue.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkwearItem {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// The stock item it is drawn from.
    pub stock_item: String,
    /// Sizes offered (empty: one size).
    #[uniffi(default = [])]
    pub sizes: Vec<String>,
    /// Standards met ("EN ISO 20345").
    #[uniffi(default = [])]
    pub standards: Vec<String>,
    /// Lifetime of an issued unit in months (harness, helmet).
    #[uniffi(default = None)]
    pub lifetime_months: Option<u32>,
}

/// An allotment (dotation): `quantity` of `item` every `period_months`,
/// for a job or for one agent (exactly one of them).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Allotment {
    /// Tenant code.
    pub tenant: String,
    /// Catalogue item code.
    pub item: String,
    /// Quantity per period.
    pub quantity: u32,
    /// Period in months.
    pub period_months: u32,
    /// The job.
    #[uniffi(default = None)]
    pub job: Option<String>,
    /// The agent (its own replaces its job's).
    #[uniffi(default = None)]
    pub agent: Option<String>,
    /// Part of the initial kit.
    #[uniffi(default = false)]
    pub initial: bool,
}

/// An issue to record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewWorkwearIssue {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Store code (of the tenant).
    pub store: String,
    /// Day.
    pub date: NaiveDate,
    /// Quantity, whole pieces.
    pub quantity: Decimal,
    /// Size (required for an item with sizes).
    #[uniffi(default = None)]
    pub size: Option<String>,
    /// A replacement of units returned for this reason (outside the allotment).
    #[uniffi(default = None)]
    pub replaces: Option<ReturnReason>,
}

/// An issue, valued at CMUP.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkwearIssue {
    /// Number (from 1); the budget commitment is "EPI-<number>".
    pub number: u64,
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Store code.
    pub store: String,
    /// Day.
    pub date: NaiveDate,
    /// Size.
    pub size: Option<String>,
    /// Quantity.
    pub quantity: Decimal,
    /// CMUP applied.
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
    /// Service charged.
    pub service: String,
    /// Budget line committed.
    pub budget_line: Option<String>,
    /// A replacement: the reason of the units returned.
    pub replaces: Option<ReturnReason>,
    /// Beyond the allotment (warn policy).
    pub warning: bool,
    /// Expiry of the units.
    pub expires: Option<NaiveDate>,
}

/// Workwear returned by an agent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkwearReturn {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Day.
    pub date: NaiveDate,
    /// Quantity.
    pub quantity: Decimal,
    /// Why.
    pub reason: ReturnReason,
    /// Size (null: any size held).
    #[uniffi(default = None)]
    pub size: Option<String>,
}

/// Units an agent holds from one issue.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkwearHolding {
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Size.
    pub size: Option<String>,
    /// Day of the issue.
    pub issued: NaiveDate,
    /// Quantity still held.
    pub quantity: Decimal,
    /// Expiry.
    pub expires: Option<NaiveDate>,
}

/// A renewal due.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RenewalDue {
    /// Agent matricule.
    pub agent: String,
    /// Agent name.
    pub name: String,
    /// Service code.
    pub service: String,
    /// Catalogue item code.
    pub item: String,
    /// Quantity due.
    pub quantity: u32,
    /// Day due (latest issue + period; the start for an initial-kit item never issued).
    pub due: NaiveDate,
    /// The latest issue counted.
    pub last_issue: Option<NaiveDate>,
    /// Part of the initial kit.
    pub initial: bool,
}

/// An issue beyond the allotment accepted under the warn policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AllotmentWarning {
    /// The issue's number.
    pub issue: u64,
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Day.
    pub date: NaiveDate,
    /// Allotment per period (0: none).
    pub allowed: u32,
    /// Already issued in the period.
    pub already: Decimal,
    /// Quantity issued.
    pub requested: Decimal,
}

/// Workwear spending of a year, with the previous year's.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkwearSpending {
    /// Tenant, service, item code or matricule.
    pub key: String,
    /// Quantity issued in the year.
    pub quantity: Decimal,
    /// Value issued in the year.
    pub spent: Decimal,
    /// Value issued the previous year.
    pub previous: Decimal,
    /// spent − previous.
    pub change: Decimal,
    /// Per service: its workwear budget line.
    pub budget_line: Option<String>,
    /// The line's credits in the year's budget.
    pub credits: Option<Decimal>,
    /// The line's remaining credit.
    pub remaining: Option<Decimal>,
}

/// A line of a year's renewals forecast, at current CMUP.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RenewalForecast {
    /// Catalogue item code.
    pub item: String,
    /// Store valued at ("" when none).
    pub store: String,
    /// Units due in the year.
    pub quantity: Decimal,
    /// The store's current CMUP.
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
}

fn issue(i: &mw::WorkwearIssue) -> Result<WorkwearIssue, MutualisError> {
    Ok(WorkwearIssue {
        number: i.number as u64,
        tenant: i.tenant.clone(),
        agent: i.agent.clone(),
        item: i.item.clone(),
        store: i.store.clone(),
        date: i.date,
        size: i.size.clone(),
        quantity: i.quantity,
        cmup: i.cmup,
        value: i.value,
        service: i.service.clone(),
        budget_line: i.budget_line.clone(),
        replaces: i.replaces.map(TryInto::try_into).transpose()?,
        warning: i.warning,
        expires: i.expires,
    })
}

fn holding(h: &mw::Holding) -> WorkwearHolding {
    WorkwearHolding {
        agent: h.agent.clone(),
        item: h.item.clone(),
        size: h.size.clone(),
        issued: h.issued,
        quantity: h.quantity,
        expires: h.expires,
    }
}

#[uniffi::export]
impl Mutualis {
    // -- Habillement / EPI (workwear) -----------------------------------------------

    /// Registers an agent. Throws `UnknownTenant`, `UnknownService`,
    /// `DuplicateAgent`, `InvalidCode`, `InvalidField`, `DatesOutOfOrder`.
    pub fn add_agent(&self, agent: Agent) -> Result<(), MutualisError> {
        let a = mw::NewAgent {
            tenant: agent.tenant,
            matricule: agent.matricule,
            name: agent.name,
            service: agent.service,
            job: agent.job,
            sizes: agent.sizes.into_iter().collect(),
            start: agent.start,
            end: agent.end,
        };
        self.write(|m| m.add_agent(a))
    }

    /// Ends an agent's assignment on `last_day`. Throws `UnknownAgent`,
    /// `DatesOutOfOrder`.
    pub fn end_agent_assignment(
        &self,
        tenant: String,
        matricule: String,
        last_day: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.end_agent_assignment(&tenant, &matricule, last_day))
    }

    /// The agents of a tenant, in registration order.
    pub fn agents(&self, tenant: String) -> Result<Vec<Agent>, MutualisError> {
        self.view(|m, r| {
            Ok(r.agents(&tenant)?
                .into_iter()
                .map(|a| {
                    let (t, s) = m.service_codes(a.service);
                    Agent {
                        tenant: t.to_owned(),
                        matricule: a.matricule.clone(),
                        name: a.name.clone(),
                        service: s.to_owned(),
                        job: a.job.clone(),
                        sizes: a
                            .sizes
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                        start: a.start,
                        end: a.end,
                    }
                })
                .collect())
        })
    }

    /// Adds an item to the group's workwear catalogue. Throws
    /// `DuplicateWorkwearItem`, `UnknownItem` (the stock item),
    /// `InvalidCode`, `InvalidField`.
    pub fn add_workwear_item(&self, item: WorkwearItem) -> Result<(), MutualisError> {
        let i = mw::NewWorkwearItem {
            code: item.code,
            label: item.label,
            stock_item: item.stock_item,
            sizes: item.sizes,
            standards: item.standards,
            lifetime_months: item.lifetime_months,
        };
        self.write(|m| m.add_workwear_item(i))
    }

    /// The workwear catalogue, in creation order.
    pub fn workwear_items(&self) -> Result<Vec<WorkwearItem>, MutualisError> {
        self.view(|m, r| {
            Ok(r.workwear_items()
                .iter()
                .map(|i| WorkwearItem {
                    code: i.code.clone(),
                    label: i.label.clone(),
                    stock_item: m.item_code(i.stock_item).to_owned(),
                    sizes: i.sizes.clone(),
                    standards: i.standards.clone(),
                    lifetime_months: i.lifetime_months,
                })
                .collect())
        })
    }

    /// Sets (or replaces) an allotment. Throws `UnknownTenant`,
    /// `UnknownAgent`, `UnknownWorkwearItem`, `InvalidQuantity`, `InvalidField`.
    pub fn set_allotment(&self, allotment: Allotment) -> Result<(), MutualisError> {
        let a = mw::NewAllotment {
            tenant: allotment.tenant,
            job: allotment.job,
            agent: allotment.agent,
            item: allotment.item,
            quantity: allotment.quantity,
            period_months: allotment.period_months,
            initial: allotment.initial,
        };
        self.write(|m| m.set_allotment(a))
    }

    /// A tenant's allotments.
    pub fn allotments(&self, tenant: String) -> Result<Vec<Allotment>, MutualisError> {
        self.view(|_, r| {
            Ok(r.allotments(&tenant)?
                .into_iter()
                .map(|a| Allotment {
                    tenant: a.tenant,
                    item: a.item,
                    quantity: a.quantity,
                    period_months: a.period_months,
                    job: a.job,
                    agent: a.agent,
                    initial: a.initial,
                })
                .collect())
        })
    }

    /// Sets a tenant's policy for an issue beyond the allotment (REFUSE,
    /// the default, or WARN). Throws `UnknownTenant`.
    pub fn set_workwear_policy(
        &self,
        tenant: String,
        policy: OverrunPolicy,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_workwear_policy(&tenant, policy.into()))
    }

    /// A tenant's policy for an issue beyond the allotment.
    pub fn workwear_policy(&self, tenant: String) -> Result<OverrunPolicy, MutualisError> {
        self.read(|m| m.workwear_policy(&tenant)?.try_into())
    }

    /// Charges a service's workwear to a budget line (each issue a
    /// commitment on it). Throws `UnknownService`, `UnknownBudget`.
    pub fn set_workwear_budget_line(
        &self,
        tenant: String,
        service: String,
        line: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_workwear_budget_line(&tenant, &service, &line))
    }

    /// Issues workwear to an agent at the store's current CMUP, charged to
    /// its service. Throws `UnknownAgent`, `UnknownWorkwearItem`,
    /// `UnknownStore`, `SizeNotOffered`, `InvalidQuantity`,
    /// `AgentNotAssigned`, `AllotmentExceeded`, `InsufficientStock`,
    /// `InvalidField`.
    pub fn issue_workwear(&self, issue: NewWorkwearIssue) -> Result<WorkwearIssue, MutualisError> {
        let spec = mw::NewWorkwearIssue {
            tenant: issue.tenant,
            agent: issue.agent,
            item: issue.item,
            store: issue.store,
            date: issue.date,
            size: issue.size,
            quantity: issue.quantity,
            replaces: issue.replaces.map(Into::into),
        };
        let i = self.write(|m| m.issue_workwear(spec))?;
        self::issue(&i)
    }

    /// Records workwear returned by an agent. Throws `UnknownAgent`,
    /// `UnknownWorkwearItem`, `SizeNotOffered`, `InvalidQuantity`.
    pub fn return_workwear(&self, returned: WorkwearReturn) -> Result<(), MutualisError> {
        let spec = mw::NewWorkwearReturn {
            tenant: returned.tenant,
            agent: returned.agent,
            item: returned.item,
            size: returned.size,
            date: returned.date,
            quantity: returned.quantity,
            reason: returned.reason.into(),
        };
        self.write(|m| m.return_workwear(spec))
    }

    /// The issues to a tenant's agents, in the order recorded.
    pub fn workwear_issues(&self, tenant: String) -> Result<Vec<WorkwearIssue>, MutualisError> {
        self.view(|_, r| r.workwear_issues(&tenant)?.iter().map(issue).collect())
    }

    /// The returns of a tenant's agents (replacements included).
    pub fn workwear_returns(&self, tenant: String) -> Result<Vec<WorkwearReturn>, MutualisError> {
        self.view(|_, r| {
            r.workwear_returns(&tenant)?
                .into_iter()
                .map(|x| {
                    Ok(WorkwearReturn {
                        tenant: x.tenant,
                        agent: x.agent,
                        item: x.item,
                        date: x.date,
                        quantity: x.quantity,
                        reason: x.reason.try_into()?,
                        size: x.size,
                    })
                })
                .collect()
        })
    }

    /// The issues beyond the allotment recorded under the warn policy.
    pub fn allotment_warnings(
        &self,
        tenant: String,
    ) -> Result<Vec<AllotmentWarning>, MutualisError> {
        self.view(|_, r| {
            Ok(r.allotment_warnings(&tenant)?
                .into_iter()
                .map(|w| AllotmentWarning {
                    issue: w.issue as u64,
                    tenant: w.tenant,
                    agent: w.agent,
                    item: w.item,
                    date: w.date,
                    allowed: w.allowed,
                    already: w.already,
                    requested: w.requested,
                })
                .collect())
        })
    }

    /// What an agent holds, per issue lot. Throws `UnknownAgent`.
    pub fn agent_holdings(
        &self,
        tenant: String,
        matricule: String,
    ) -> Result<Vec<WorkwearHolding>, MutualisError> {
        self.view(|_, r| {
            Ok(r.agent_holdings(&tenant, &matricule)?
                .iter()
                .map(holding)
                .collect())
        })
    }

    /// The units a tenant's agents hold past their expiry on `on`.
    pub fn expired_workwear(
        &self,
        tenant: String,
        on: NaiveDate,
    ) -> Result<Vec<WorkwearHolding>, MutualisError> {
        self.view(|_, r| {
            Ok(r.expired_workwear(&tenant, on)?
                .iter()
                .map(holding)
                .collect())
        })
    }

    /// The renewals falling due from `from` (null: overdue included) to
    /// `to`, both days included.
    #[uniffi::method(default(from = None))]
    pub fn renewals_due(
        &self,
        tenant: String,
        to: NaiveDate,
        from: Option<NaiveDate>,
    ) -> Result<Vec<RenewalDue>, MutualisError> {
        self.view(|_, r| {
            Ok(r.renewals_due(&tenant, from, to)?
                .into_iter()
                .map(|x| RenewalDue {
                    agent: x.agent,
                    name: x.name,
                    service: x.service,
                    item: x.item,
                    quantity: x.quantity,
                    due: x.due,
                    last_issue: x.last_issue,
                    initial: x.initial,
                })
                .collect())
        })
    }

    /// Workwear spending of a year and the previous one, grouped `by`
    /// tenant, service (with its budget line), item or agent.
    pub fn workwear_spending(
        &self,
        tenant: String,
        year: i32,
        by: SpendingBy,
    ) -> Result<Vec<WorkwearSpending>, MutualisError> {
        self.view(|_, r| {
            Ok(r.workwear_spending(&tenant, year, by.into())?
                .into_iter()
                .map(|x| WorkwearSpending {
                    key: x.key,
                    quantity: x.quantity,
                    spent: x.spent,
                    previous: x.previous,
                    change: x.change,
                    budget_line: x.budget_line,
                    credits: x.credits,
                    remaining: x.remaining,
                })
                .collect())
        })
    }

    /// The renewals a tenant's allotments bring in `year`, per item and
    /// store, valued at current CMUP.
    pub fn renewal_forecast(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<Vec<RenewalForecast>, MutualisError> {
        self.view(|_, r| {
            Ok(r.renewal_forecast(&tenant, year)?
                .into_iter()
                .map(|x| RenewalForecast {
                    item: x.item,
                    store: x.store,
                    quantity: x.quantity,
                    cmup: x.cmup,
                    value: x.value,
                })
                .collect())
        })
    }
}
