//! Habillement / EPI: workwear and personal protective equipment issued to
//! the agents of a collectivité from its stores at CMUP, their allotments
//! (dotations), renewals, expiry and the spending they cost (docs/workwear.md,
//! DOMAIN §2 and §5).
//!
//! - **Agents** of a tenant: matricule (unique within the tenant), name,
//!   service, job, sizes per size system, start and end of assignment —
//!   no other personal data.
//! - **Catalogue** (shared by the group, like stock items): each item draws
//!   from a stock item, offers sizes, meets standards (data: "EN ISO 20345"),
//!   and may have a lifetime in months (harness, helmet) giving each issued
//!   unit an expiry date.
//! - **Allotments** per job or per agent (an agent's own allotment of an
//!   item replaces its job's): quantity per renewal period in months, part
//!   of the initial kit or not. An issue beyond the allotment — more than
//!   its quantity issued in the rolling period ending on the issue's day — is
//!   refused ([`Error::AllotmentExceeded`]) or recorded with a warning, as
//!   the tenant's policy says ([`Mutualis::set_workwear_policy`]).
//! - **Issues** take the stock item from a store of the agent's tenant at the
//!   current CMUP (the stock's own computation: the issue also appears in
//!   [`Mutualis::stock_issues`] as an issue to the agent), are charged to the
//!   agent's service and, when the tenant assigned a budget line to that
//!   service ([`Mutualis::set_workwear_budget_line`]) and the year's budget
//!   has it, committed on that line. **Returns** (worn, lost, damaged, end of
//!   assignment) reduce what the agent holds; a **replacement** is an issue
//!   that returns as many units of the item with its reason and does not
//!   count against the allotment.
//! - **Due** for renewal: the period after the latest issue of the item
//!   (replacements aside); never issued: the start of the assignment for an
//!   item of the initial kit. **Past expiry** on a date: a unit held whose expiry
//!   (issue day + lifetime) is on or before it.
//!
//! ```
//! use mutualis::workwear::{NewAgent, NewAllotment, NewWorkwearIssue, NewWorkwearItem};
//! use mutualis::{Mutualis, NewItem, NewTenant};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
//! m.add_store("MAG", "ROANNE", "Magasin").unwrap();
//! m.add_item(NewItem::new("PANTALON", "Pantalon de travail", "pièce")).unwrap();
//! m.receive_stock("MAG", "PANTALON", d(2026, 1, 2), dec!(10), dec!(31.50)).unwrap();
//! m.add_workwear_item(NewWorkwearItem::new("EPI-PANT", "Pantalon", "PANTALON").sizes(&["40", "42"])).unwrap();
//! m.add_agent(NewAgent::new("ROANNE", "M001", "J. Martin", "VOIRIE", "cantonnier", d(2020, 1, 1))).unwrap();
//! m.set_allotment(NewAllotment::for_job("ROANNE", "cantonnier", "EPI-PANT", 2, 12)).unwrap();
//! let issue = m.issue_workwear(NewWorkwearIssue::new("ROANNE", "M001", "EPI-PANT", "MAG", d(2026, 1, 15), dec!(2)).size("42")).unwrap();
//! assert_eq!(issue.value, dec!(63.00));
//! let due = m.renewals_due("ROANNE", None, d(2027, 12, 31)).unwrap();
//! assert_eq!(due[0].due, d(2027, 1, 15));
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::budget::OverrunPolicy;
use crate::error::{Error, Result};
use crate::ids::{ServiceId, StoreId, TenantId};
use crate::kinds::named_enum;

mod agents;
mod catalogue;
pub(crate) mod dataset;
pub mod events;
mod issues;
mod spending;

pub(crate) use dataset::WorkwearRecords;
pub use events::WorkwearEvent;

named_enum! {
    /// Why workwear comes back from an agent (or is replaced).
    pub enum ReturnReason as "return reason" {
        /// Worn out.
        Worn = "worn",
        /// Lost.
        Lost = "lost",
        /// Damaged.
        Damaged = "damaged",
        /// The agent's assignment ended.
        EndOfAssignment = "end_of_assignment",
    }
}

named_enum! {
    /// How workwear spending is grouped.
    pub enum SpendingBy as "spending grouping" {
        /// One row for the tenant.
        Tenant = "tenant",
        /// Per service charged (with its workwear budget line).
        Service = "service",
        /// Per catalogue item.
        Item = "item",
        /// Per agent (matricule).
        Agent = "agent",
    }
}

/// An agent to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgent {
    /// Tenant code.
    pub tenant: String,
    /// Matricule, unique within the tenant (a code).
    pub matricule: String,
    /// Name as shown.
    pub name: String,
    /// Service code (of the tenant): the cost centre charged.
    pub service: String,
    /// Job (métier), as the allotments name it ("cantonnier").
    pub job: String,
    /// Sizes per size system ("tour de taille" → "42").
    pub sizes: BTreeMap<String, String>,
    /// First day of assignment.
    pub start: NaiveDate,
    /// Last day of assignment (none: open).
    pub end: Option<NaiveDate>,
}

impl NewAgent {
    /// An agent assigned from `start`, without sizes.
    #[must_use]
    pub fn new(
        tenant: &str,
        matricule: &str,
        name: &str,
        service: &str,
        job: &str,
        start: NaiveDate,
    ) -> NewAgent {
        NewAgent {
            tenant: tenant.to_owned(),
            matricule: matricule.to_owned(),
            name: name.to_owned(),
            service: service.to_owned(),
            job: job.to_owned(),
            sizes: BTreeMap::new(),
            start,
            end: None,
        }
    }

    /// With a size in a size system.
    #[must_use]
    pub fn size(mut self, system: &str, size: &str) -> NewAgent {
        self.sizes.insert(system.to_owned(), size.to_owned());
        self
    }
}

/// A registered agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// Tenant.
    pub tenant: TenantId,
    /// Matricule.
    pub matricule: String,
    /// Name.
    pub name: String,
    /// Service.
    pub service: ServiceId,
    /// Job.
    pub job: String,
    /// Sizes per size system.
    pub sizes: BTreeMap<String, String>,
    /// First day of assignment.
    pub start: NaiveDate,
    /// Last day of assignment.
    pub end: Option<NaiveDate>,
}

impl Agent {
    /// True when the agent is assigned on `date` (first and last days included).
    #[must_use]
    pub fn assigned_on(&self, date: NaiveDate) -> bool {
        date >= self.start && self.end.is_none_or(|e| date <= e)
    }
}

/// A catalogue item to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkwearItem {
    /// Code, unique in the group's catalogue.
    pub code: String,
    /// Label.
    pub label: String,
    /// The stock item it is drawn from (stock item code).
    pub stock_item: String,
    /// Sizes offered (none: one size).
    pub sizes: Vec<String>,
    /// Standards met, as data ("EN ISO 20345").
    pub standards: Vec<String>,
    /// Lifetime of an issued unit in months (harness, helmet), if any.
    pub lifetime_months: Option<u32>,
}

impl NewWorkwearItem {
    /// A one-size item without standard or lifetime.
    #[must_use]
    pub fn new(code: &str, label: &str, stock_item: &str) -> NewWorkwearItem {
        NewWorkwearItem {
            code: code.to_owned(),
            label: label.to_owned(),
            stock_item: stock_item.to_owned(),
            sizes: Vec::new(),
            standards: Vec::new(),
            lifetime_months: None,
        }
    }

    /// Offering these sizes.
    #[must_use]
    pub fn sizes(mut self, sizes: &[&str]) -> NewWorkwearItem {
        self.sizes = sizes.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// Meeting this standard.
    #[must_use]
    pub fn standard(mut self, standard: &str) -> NewWorkwearItem {
        self.standards.push(standard.to_owned());
        self
    }

    /// Lasting `months` from its issue.
    #[must_use]
    pub fn lifetime(mut self, months: u32) -> NewWorkwearItem {
        self.lifetime_months = Some(months);
        self
    }
}

/// A catalogue item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkwearItem {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// The stock item.
    pub stock_item: crate::ItemId,
    /// Sizes offered.
    pub sizes: Vec<String>,
    /// Standards met.
    pub standards: Vec<String>,
    /// Lifetime in months.
    pub lifetime_months: Option<u32>,
}

/// An allotment (dotation) to set, for a job or for one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllotment {
    /// Tenant code.
    pub tenant: String,
    /// The job it applies to (exactly one of `job` and `agent`).
    pub job: Option<String>,
    /// The agent (matricule) it applies to, replacing the job's allotment of the item.
    pub agent: Option<String>,
    /// Catalogue item code.
    pub item: String,
    /// Quantity per period (≥ 1).
    pub quantity: u32,
    /// Renewal period in months (≥ 1).
    pub period_months: u32,
    /// Part of the initial kit on arrival.
    pub initial: bool,
}

impl NewAllotment {
    /// `quantity` of `item` every `period_months` for a job, not in the initial kit.
    #[must_use]
    pub fn for_job(
        tenant: &str,
        job: &str,
        item: &str,
        quantity: u32,
        period_months: u32,
    ) -> NewAllotment {
        NewAllotment {
            tenant: tenant.to_owned(),
            job: Some(job.to_owned()),
            agent: None,
            item: item.to_owned(),
            quantity,
            period_months,
            initial: false,
        }
    }

    /// `quantity` of `item` every `period_months` for one agent.
    #[must_use]
    pub fn for_agent(
        tenant: &str,
        agent: &str,
        item: &str,
        quantity: u32,
        period_months: u32,
    ) -> NewAllotment {
        NewAllotment {
            job: None,
            agent: Some(agent.to_owned()),
            ..NewAllotment::for_job(tenant, "", item, quantity, period_months)
        }
    }

    /// Part of the initial kit.
    #[must_use]
    pub fn initial(mut self) -> NewAllotment {
        self.initial = true;
        self
    }
}

/// An allotment in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allotment {
    /// Tenant code.
    pub tenant: String,
    /// Job (none: an agent's own).
    pub job: Option<String>,
    /// Agent matricule (none: a job's).
    pub agent: Option<String>,
    /// Catalogue item code.
    pub item: String,
    /// Quantity per period.
    pub quantity: u32,
    /// Period in months.
    pub period_months: u32,
    /// Part of the initial kit.
    pub initial: bool,
}

/// An issue to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkwearIssue {
    /// Tenant code (the agent's).
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Store code (a store of the tenant).
    pub store: String,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Size (required when the item offers sizes, and one of them).
    pub size: Option<String>,
    /// Quantity, whole pieces (> 0).
    pub quantity: Decimal,
    /// A replacement of as many units returned for this reason (outside
    /// the allotment).
    pub replaces: Option<ReturnReason>,
}

impl NewWorkwearIssue {
    /// An issue of one-size pieces.
    #[must_use]
    pub fn new(
        tenant: &str,
        agent: &str,
        item: &str,
        store: &str,
        date: NaiveDate,
        quantity: Decimal,
    ) -> NewWorkwearIssue {
        NewWorkwearIssue {
            tenant: tenant.to_owned(),
            agent: agent.to_owned(),
            item: item.to_owned(),
            store: store.to_owned(),
            date,
            size: None,
            quantity,
            replaces: None,
        }
    }

    /// In this size.
    #[must_use]
    pub fn size(mut self, size: &str) -> NewWorkwearIssue {
        self.size = Some(size.to_owned());
        self
    }

    /// Replacing as many units returned for `reason`.
    #[must_use]
    pub fn replacing(mut self, reason: ReturnReason) -> NewWorkwearIssue {
        self.replaces = Some(reason);
        self
    }
}

/// A recorded issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkwearIssue {
    /// Position in the issues of the registry (from 1): the commitment
    /// code on a budget line is `EPI-<number>`.
    pub number: usize,
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
    /// CMUP applied (4 decimals).
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
    /// Service charged (the agent's on the day), service code.
    pub service: String,
    /// Budget line committed (its code), if any.
    pub budget_line: Option<String>,
    /// A replacement, with the reason of the units returned.
    pub replaces: Option<ReturnReason>,
    /// Beyond the allotment, accepted under the warn policy.
    pub warning: bool,
    /// Expiry of the units (issue day + lifetime), if the item has a lifetime.
    pub expires: Option<NaiveDate>,
}

/// A return to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkwearReturn {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Size (none: any size held).
    pub size: Option<String>,
    /// Day.
    pub date: NaiveDate,
    /// Quantity, whole pieces (> 0, at most what is held).
    pub quantity: Decimal,
    /// Why.
    pub reason: ReturnReason,
}

/// A recorded return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkwearReturn {
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Size.
    pub size: Option<String>,
    /// Day.
    pub date: NaiveDate,
    /// Quantity.
    pub quantity: Decimal,
    /// Why.
    pub reason: ReturnReason,
}

/// Units an agent holds, per issue lot (returns taken from the oldest lots first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
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
    /// Expiry (issue day + lifetime), if any.
    pub expires: Option<NaiveDate>,
}

/// A renewal due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalDue {
    /// Agent matricule.
    pub agent: String,
    /// Agent name.
    pub name: String,
    /// Service code.
    pub service: String,
    /// Catalogue item code.
    pub item: String,
    /// Quantity due (the allotment's).
    pub quantity: u32,
    /// Day it is due: latest issue + period (the start of assignment for an
    /// initial-kit item never issued).
    pub due: NaiveDate,
    /// The latest issue counted, if any.
    pub last_issue: Option<NaiveDate>,
    /// Part of the initial kit.
    pub initial: bool,
}

/// An issue beyond the allotment, accepted under the warn policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllotmentWarning {
    /// The issue's number.
    pub issue: usize,
    /// Tenant code.
    pub tenant: String,
    /// Agent matricule.
    pub agent: String,
    /// Catalogue item code.
    pub item: String,
    /// Day.
    pub date: NaiveDate,
    /// The allotment's quantity per period (0: no allotment of the item).
    pub allowed: u32,
    /// Already issued in the period ending on the day.
    pub already: Decimal,
    /// Quantity issued.
    pub requested: Decimal,
}

/// A row of workwear spending for a year, with the previous year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingRow {
    /// The group's key: tenant, service, item code or matricule.
    pub key: String,
    /// Quantity issued in the year.
    pub quantity: Decimal,
    /// Value issued in the year (sum of the issues' values).
    pub spent: Decimal,
    /// Value issued in the previous year.
    pub previous: Decimal,
    /// spent − previous.
    pub change: Decimal,
    /// Per service: the workwear budget line assigned, if any.
    pub budget_line: Option<String>,
    /// Its credits (voted + amendments) in the year's budget, if it has the line.
    pub credits: Option<Decimal>,
    /// Its remaining credit (after commitments, the workwear issues among
    /// them, and spending), if the year's budget has the line.
    pub remaining: Option<Decimal>,
}

/// A line of next year's renewals forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastRow {
    /// Catalogue item code.
    pub item: String,
    /// Store code valued at (the latest issue's, else the tenant's first
    /// store holding the stock item; empty when none).
    pub store: String,
    /// Units due in the year.
    pub quantity: Decimal,
    /// The store's current CMUP (zero when it never received the item).
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
}

/// An issue as kept (ids, not codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IssueRec {
    pub(crate) agent: usize,
    pub(crate) item: usize,
    pub(crate) store: StoreId,
    pub(crate) date: NaiveDate,
    pub(crate) size: Option<u32>,
    pub(crate) quantity: Decimal,
    pub(crate) cmup: Decimal,
    pub(crate) value: Decimal,
    pub(crate) service: ServiceId,
    pub(crate) budget_line: Option<String>,
    pub(crate) replaces: Option<ReturnReason>,
    pub(crate) warning: Option<(u32, Decimal)>,
}

/// A return as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReturnRec {
    pub(crate) agent: usize,
    pub(crate) item: usize,
    pub(crate) size: Option<u32>,
    pub(crate) date: NaiveDate,
    pub(crate) quantity: Decimal,
    pub(crate) reason: ReturnReason,
}

/// An allotment as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AllotRec {
    pub(crate) quantity: u32,
    pub(crate) period_months: u32,
    pub(crate) initial: bool,
}

/// Who an allotment is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AllotFor {
    Job(String),
    Agent(usize),
}

/// An in-place change of the workwear to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum WorkwearUndo {
    /// An agent was added (the last one).
    AgentAdded,
    /// An agent's end of assignment was this.
    AgentEnd { at: usize, old: Option<NaiveDate> },
    /// A catalogue item was added (the last one).
    ItemAdded,
    /// An allotment had this value (none: new).
    Allotment {
        key: (TenantId, AllotFor, usize),
        old: Option<AllotRec>,
    },
    /// A tenant's policy was this (none: the default).
    Policy {
        tenant: TenantId,
        old: Option<OverrunPolicy>,
    },
    /// A service's workwear budget line was this.
    BudgetLine {
        service: ServiceId,
        old: Option<String>,
    },
    /// An issue was recorded (the last one).
    Issued,
    /// A return was recorded (the last one).
    Returned,
}

/// The workwear's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Workwear {
    agents: Vec<Agent>,
    agent_index: HashMap<(TenantId, String), usize>,
    items: Vec<WorkwearItem>,
    item_index: HashMap<String, usize>,
    allotments: BTreeMap<(TenantId, AllotFor, usize), AllotRec>,
    policies: BTreeMap<TenantId, OverrunPolicy>,
    budget_lines: BTreeMap<ServiceId, String>,
    issues: Vec<IssueRec>,
    returns: Vec<ReturnRec>,
    /// Per agent: its issues and returns, in the order recorded.
    issues_of: Vec<Vec<u32>>,
    returns_of: Vec<Vec<u32>>,
}

/// Equality compares the records (the indexes follow from them).
impl PartialEq for Workwear {
    fn eq(&self, o: &Workwear) -> bool {
        self.agents == o.agents
            && self.items == o.items
            && self.allotments == o.allotments
            && self.policies == o.policies
            && self.budget_lines == o.budget_lines
            && self.issues == o.issues
            && self.returns == o.returns
    }
}

impl Workwear {
    pub(crate) fn undo(&mut self, u: WorkwearUndo) {
        match u {
            WorkwearUndo::AgentAdded => {
                if let Some(a) = self.agents.pop() {
                    self.agent_index.remove(&(a.tenant, a.matricule));
                    self.issues_of.pop();
                    self.returns_of.pop();
                }
            }
            WorkwearUndo::AgentEnd { at, old } => {
                if let Some(a) = self.agents.get_mut(at) {
                    a.end = old;
                }
            }
            WorkwearUndo::ItemAdded => {
                if let Some(i) = self.items.pop() {
                    self.item_index.remove(&i.code);
                }
            }
            WorkwearUndo::Allotment { key, old } => match old {
                Some(a) => {
                    self.allotments.insert(key, a);
                }
                None => {
                    self.allotments.remove(&key);
                }
            },
            WorkwearUndo::Policy { tenant, old } => match old {
                Some(p) => {
                    self.policies.insert(tenant, p);
                }
                None => {
                    self.policies.remove(&tenant);
                }
            },
            WorkwearUndo::BudgetLine { service, old } => match old {
                Some(l) => {
                    self.budget_lines.insert(service, l);
                }
                None => {
                    self.budget_lines.remove(&service);
                }
            },
            WorkwearUndo::Issued => {
                if let Some(i) = self.issues.pop() {
                    if let Some(v) = self.issues_of.get_mut(i.agent) {
                        v.pop();
                    }
                }
            }
            WorkwearUndo::Returned => {
                if let Some(r) = self.returns.pop() {
                    if let Some(v) = self.returns_of.get_mut(r.agent) {
                        v.pop();
                    }
                }
            }
        }
    }
}

/// `date` + `months` (the last day of a shorter month; the far future on overflow).
pub(crate) fn plus_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Checks a quantity of pieces: > 0 and whole.
pub(crate) fn check_pieces(what: &'static str, q: Decimal) -> Result<()> {
    if q <= Decimal::ZERO || !q.fract().is_zero() {
        return Err(Error::InvalidQuantity { what, value: q });
    }
    Ok(())
}
