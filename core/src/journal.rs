//! The journal: every change is a domain event with who, when, what and for
//! which tenant (DOMAIN §8), appended in order.
//!
//! Events carry human codes, not dense ids, so a journal can be exchanged,
//! persisted and replayed on another device. [`Mutualis::replay`] rebuilds the
//! same registry from a journal by re-running each event's validated command
//! with the entry's own actor and timestamp.
//!
//! ```
//! use mutualis::{Clock, Mutualis, NewTenant};
//! use chrono::{TimeZone, Utc};
//! let mut m = Mutualis::new();
//! m.set_actor("agent.roanne");
//! m.set_clock(Clock::Fixed(Utc.with_ymd_and_hms(2026, 3, 12, 8, 0, 0).unwrap()));
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! assert_eq!(m.journal()[0].actor, "agent.roanne");
//! assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::agreements::{NewAgreement, NewLoan, NewPooledService};
use crate::assets::NewAsset;
use crate::budget::{ChargeBasis, OverrunPolicy};
use crate::custody::KeyBasis;
use crate::error::{Error, Result};
use crate::period::Period;
use crate::planning::{NewAp, NewOperation, RbfRules};
use crate::rates::UsageUnit;
use crate::requests::{NewRequest, RequestStatus};
use crate::stock::NewItem;
use crate::suppliers::NewSupplier;
use crate::tenancy::NewTenant;
use crate::work::{CostInput, NewWorkOrder, WorkOrderStatus};
use crate::Mutualis;

/// Where event timestamps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock (UTC).
    #[default]
    System,
    /// A fixed instant (tests, imports, replays).
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant of this clock.
    #[must_use]
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// When it was recorded (UTC).
    pub at: DateTime<Utc>,
    /// Who recorded it (user or device id).
    pub actor: String,
    /// The tenant the change is for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// What changed.
    pub event: Event,
}

/// A domain event: a validated command, with human codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A collectivité was added.
    TenantAdded {
        /// Its description.
        tenant: NewTenant,
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
    /// An asset was added.
    AssetAdded {
        /// Its description.
        asset: NewAsset,
    },
    /// An asset was moved in the tree.
    AssetMoved {
        /// Asset code.
        asset: String,
        /// New parent code (none: top level).
        parent: Option<String>,
    },
    /// An asset's last day in service was recorded.
    AssetDecommissioned {
        /// Asset code.
        asset: String,
        /// Last day in service.
        last_day: NaiveDate,
    },
    /// A free attribute was set or removed.
    AttributeSet {
        /// Asset code.
        asset: String,
        /// Attribute name.
        name: String,
        /// New value (none: removed).
        value: Option<String>,
    },
    /// The ownership of an asset (and of its descendants that had the same
    /// owner) was transferred from a date.
    OwnershipTransferred {
        /// Asset code.
        asset: String,
        /// The new owner's code.
        owner: String,
        /// First day of the new ownership.
        from: NaiveDate,
    },
    /// A custody period (mise à disposition) was granted.
    CustodyGranted {
        /// Asset code.
        asset: String,
        /// Beneficiary code.
        beneficiary: String,
        /// Validity.
        period: Period,
    },
    /// The open custody of an asset was closed.
    CustodyEnded {
        /// Asset code.
        asset: String,
        /// Last day of custody.
        last_day: NaiveDate,
    },
    /// A sharing key was set.
    SharingKeySet {
        /// Asset code.
        asset: String,
        /// What the weights measure.
        basis: KeyBasis,
        /// Validity.
        period: Period,
        /// Weights per tenant code.
        weights: BTreeMap<String, u64>,
    },
    /// The open sharing key of an asset was closed.
    SharingKeyEnded {
        /// Asset code.
        asset: String,
        /// Last day of the key.
        last_day: NaiveDate,
    },
    /// A supplier was added.
    SupplierAdded {
        /// Its description.
        supplier: NewSupplier,
    },
    /// A régie team was added.
    TeamAdded {
        /// Team code.
        code: String,
        /// Tenant code.
        tenant: String,
        /// Team name.
        name: String,
        /// Service code of the tenant, if any.
        service: Option<String>,
    },
    /// An hourly labour rate was set.
    LabourRateSet {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
        /// Team code, if the rate is team-specific.
        team: Option<String>,
        /// Grade, if the rate is grade-specific.
        grade: Option<String>,
        /// Euros per hour.
        rate: Decimal,
    },
    /// A vehicle or equipment rate was set.
    VehicleRateSet {
        /// Tenant code (owner of the vehicle, or of the category table).
        tenant: String,
        /// Vehicle asset code, or category name.
        subject: String,
        /// True when `subject` is a category, not an asset.
        category: bool,
        /// Year.
        year: i32,
        /// Unit charged.
        unit: UsageUnit,
        /// Euros per unit.
        rate: Decimal,
    },
    /// A store was added.
    StoreAdded {
        /// Store code.
        code: String,
        /// Tenant code.
        tenant: String,
        /// Store name.
        name: String,
    },
    /// A stock item was added to the catalogue.
    ItemAdded {
        /// Its description.
        item: NewItem,
    },
    /// Goods were received into a store.
    StockReceived {
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Date of receipt.
        date: NaiveDate,
        /// Quantity received.
        quantity: Decimal,
        /// Unit purchase price.
        unit_price: Decimal,
    },
    /// Stock left a store outside a work order.
    StockIssued {
        /// Its description.
        issue: crate::stock::NewStockIssue,
    },
    /// A request was received.
    RequestReceived {
        /// Its description.
        request: NewRequest,
    },
    /// A request's status changed.
    RequestStatusChanged {
        /// Request code.
        request: String,
        /// New status.
        status: RequestStatus,
        /// When.
        at: DateTime<Utc>,
        /// Comment, if any.
        note: Option<String>,
    },
    /// A request was routed to another tenant and service.
    RequestRouted {
        /// Request code.
        request: String,
        /// Tenant code.
        tenant: String,
        /// Service code, if any.
        service: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A work order was created.
    WorkOrderCreated {
        /// Its description.
        work_order: NewWorkOrder,
    },
    /// A work order's status changed.
    WorkOrderStatusChanged {
        /// Work order code.
        work_order: String,
        /// New status.
        status: WorkOrderStatus,
        /// When.
        at: DateTime<Utc>,
    },
    /// A cost line was recorded on a work order.
    CostRecorded {
        /// Work order code.
        work_order: String,
        /// What was recorded.
        cost: CostInput,
    },
    /// A service agreement was recorded.
    AgreementAdded {
        /// Its description.
        agreement: NewAgreement,
    },
    /// A pooled service was recorded.
    PooledServiceAdded {
        /// Its description.
        pooled: NewPooledService,
    },
    /// An advance to a pooled service was recorded.
    AdvanceRecorded {
        /// Pooled service code.
        pooled: String,
        /// Year.
        year: i32,
        /// Member code.
        member: String,
        /// Amount.
        amount: Decimal,
    },
    /// A vehicle loan was recorded.
    VehicleLent {
        /// Its description.
        loan: NewLoan,
    },
    /// A use of a lent vehicle was recorded.
    LoanUsed {
        /// Loan code.
        loan: String,
        /// Day of use.
        date: NaiveDate,
        /// Quantity in the loan's unit.
        quantity: Decimal,
    },
    /// A budget was opened.
    BudgetOpened {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// TTC or HT.
        basis: ChargeBasis,
        /// Refuse or warn on overrun.
        policy: OverrunPolicy,
    },
    /// A budget line was added.
    BudgetLineAdded {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        code: String,
        /// Service code.
        service: Option<String>,
        /// Account.
        account: String,
        /// Voted credits.
        voted: Decimal,
    },
    /// A budget line was amended.
    BudgetAmended {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        line: String,
        /// Amount (±).
        amount: Decimal,
        /// Label.
        label: String,
    },
    /// A commitment was recorded.
    BudgetCommitted {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code.
        line: String,
        /// Commitment code.
        code: String,
        /// Amount.
        amount: Decimal,
        /// Work order code.
        work_order: Option<String>,
    },
    /// A work order was assigned to a budget line of a tenant.
    BudgetAssigned {
        /// Work order code.
        work_order: String,
        /// Tenant code.
        tenant: String,
        /// Line code.
        line: String,
    },
    /// A tenant's budgetary rules were set.
    RbfRulesSet {
        /// Tenant code.
        tenant: String,
        /// The rules.
        rules: RbfRules,
    },
    /// An investment operation was added.
    OperationAdded {
        /// Its description.
        operation: NewOperation,
    },
    /// A work order was linked to an operation.
    OperationLinked {
        /// Operation code.
        operation: String,
        /// Work order code.
        work_order: String,
    },
    /// An AP was voted.
    ApVoted {
        /// Its description.
        ap: NewAp,
    },
    /// A payment was made on an AP.
    ApPaid {
        /// AP code.
        ap: String,
        /// Day of payment.
        date: NaiveDate,
        /// Amount.
        amount: Decimal,
    },
    /// A year was closed for a tenant's APs.
    YearClosed {
        /// Tenant code.
        tenant: String,
        /// Year.
        year: i32,
    },
    /// An AP was revised.
    ApRevised {
        /// AP code.
        ap: String,
        /// Year of the revision.
        year: i32,
        /// New amount.
        amount: Decimal,
        /// New schedule of open years.
        schedule: Vec<(i32, Decimal)>,
    },
    /// A whole dataset was loaded from its JSON format (always the first entry).
    DatasetImported {
        /// The JSON document.
        dataset: String,
    },
    /// A user's tables were ingested in bulk (docs/ingest.md); replaying
    /// re-ingests the same tables in the same mode.
    TablesIngested {
        /// The tables, as compressed Arrow IPC streams.
        tables: crate::io::ingest::IngestedTables,
    },
}

impl Event {
    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        matches!(
            self,
            Event::TenantAdded { .. }
                | Event::TenantJoined { .. }
                | Event::ServiceAdded { .. }
                | Event::AssetAdded { .. }
                | Event::AssetMoved { .. }
                | Event::OwnershipTransferred { .. }
                | Event::CustodyGranted { .. }
                | Event::CustodyEnded { .. }
                | Event::SharingKeySet { .. }
                | Event::SharingKeyEnded { .. }
                | Event::SupplierAdded { .. }
                | Event::TeamAdded { .. }
                | Event::LabourRateSet { .. }
                | Event::VehicleRateSet { .. }
                | Event::StoreAdded { .. }
                | Event::ItemAdded { .. }
                | Event::StockReceived { .. }
                | Event::StockIssued { .. }
                | Event::RequestReceived { .. }
                | Event::RequestStatusChanged { .. }
                | Event::RequestRouted { .. }
                | Event::WorkOrderCreated { .. }
                | Event::WorkOrderStatusChanged { .. }
                | Event::CostRecorded { .. }
        )
    }

    /// The codes this event refers to, as `(kind, code)` pairs
    /// (`"request"`, `"work_order"`, `"asset"`…), for history queries.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            Event::TenantAdded { tenant } => vec![("tenant", &tenant.code)],
            Event::TenantJoined { member, group } => vec![("tenant", member), ("tenant", group)],
            Event::ServiceAdded { tenant, .. } => vec![("tenant", tenant)],
            Event::AssetAdded { asset } => vec![("asset", &asset.code)],
            Event::AssetMoved { asset, .. }
            | Event::AssetDecommissioned { asset, .. }
            | Event::AttributeSet { asset, .. }
            | Event::OwnershipTransferred { asset, .. }
            | Event::CustodyGranted { asset, .. }
            | Event::CustodyEnded { asset, .. }
            | Event::SharingKeySet { asset, .. }
            | Event::SharingKeyEnded { asset, .. } => vec![("asset", asset)],
            Event::SupplierAdded { supplier } => vec![("supplier", &supplier.code)],
            Event::TeamAdded { code, .. } => vec![("team", code)],
            Event::LabourRateSet { tenant, .. } | Event::VehicleRateSet { tenant, .. } => {
                vec![("tenant", tenant)]
            }
            Event::StoreAdded { code, .. } => vec![("store", code)],
            Event::ItemAdded { item } => vec![("item", &item.code)],
            Event::StockReceived { store, item, .. } => vec![("store", store), ("item", item)],
            Event::StockIssued { issue } => vec![("store", &issue.store), ("item", &issue.item)],
            Event::RequestReceived { request } => vec![("request", &request.code)],
            Event::RequestStatusChanged { request, .. } | Event::RequestRouted { request, .. } => {
                vec![("request", request)]
            }
            Event::WorkOrderCreated { work_order } => {
                let mut v = vec![
                    ("work_order", work_order.code.as_str()),
                    ("asset", work_order.asset.as_str()),
                ];
                v.extend(work_order.requests.iter().map(|r| ("request", r.as_str())));
                v
            }
            Event::WorkOrderStatusChanged { work_order, .. }
            | Event::CostRecorded { work_order, .. } => {
                vec![("work_order", work_order)]
            }
            Event::AgreementAdded { agreement } => vec![("agreement", &agreement.code)],
            Event::PooledServiceAdded { pooled } => vec![("agreement", &pooled.code)],
            Event::AdvanceRecorded { pooled, .. } => vec![("agreement", pooled)],
            Event::VehicleLent { loan } => {
                vec![("agreement", &loan.code), ("asset", &loan.vehicle)]
            }
            Event::LoanUsed { loan, .. } => vec![("agreement", loan)],
            Event::BudgetOpened { tenant, .. }
            | Event::BudgetLineAdded { tenant, .. }
            | Event::BudgetAmended { tenant, .. }
            | Event::BudgetCommitted { tenant, .. } => vec![("budget", tenant)],
            Event::BudgetAssigned {
                work_order, tenant, ..
            } => vec![("work_order", work_order), ("budget", tenant)],
            Event::RbfRulesSet { tenant, .. } | Event::YearClosed { tenant, .. } => {
                vec![("tenant", tenant)]
            }
            Event::OperationAdded { operation } => vec![("operation", &operation.code)],
            Event::OperationLinked {
                operation,
                work_order,
            } => vec![("operation", operation), ("work_order", work_order)],
            Event::ApVoted { ap } => vec![("ap", &ap.code)],
            Event::ApPaid { ap, .. } | Event::ApRevised { ap, .. } => vec![("ap", ap)],
            Event::DatasetImported { .. } | Event::TablesIngested { .. } => Vec::new(),
        }
    }
}

impl Mutualis {
    /// Sets who records the next changes (a user or device id).
    pub fn set_actor(&mut self, actor: &str) {
        actor.clone_into(&mut self.actor);
    }

    /// The current actor ("system" by default).
    #[must_use]
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Sets where event timestamps come from.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The journal, oldest first.
    #[must_use]
    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Appends an event recorded by a successful command.
    pub(crate) fn log(&mut self, tenant: Option<String>, event: Event) {
        if self.undo.is_some() && !event.undoable() {
            self.not_undoable();
        }
        if self.muted {
            return;
        }
        let (at, actor) = match &self.replaying {
            Some((at, actor)) => (*at, actor.clone()),
            None => (self.clock.now(), self.actor.clone()),
        };
        let seq = self.journal.len() as u64 + 1;
        self.journal.push(JournalEntry {
            seq,
            at,
            actor,
            tenant,
            event,
        });
    }

    /// Runs `batch` with journaling muted: the commands it runs record no
    /// event (the batch records one for all of them afterwards).
    #[allow(dead_code)] // used by bulk ingestion (feature `arrow`)
    pub(crate) fn muted<T>(&mut self, batch: impl FnOnce(&mut Mutualis) -> T) -> T {
        let was = std::mem::replace(&mut self.muted, true);
        let out = batch(self);
        self.muted = was;
        out
    }

    /// Applies one event as the command it records (validated; nothing changes on error).
    pub fn apply(&mut self, event: Event) -> Result<()> {
        match event {
            Event::TenantAdded { tenant } => self.add_tenant(tenant).map(drop),
            Event::TenantJoined { member, group } => self.join(&member, &group),
            Event::ServiceAdded { tenant, code, name } => {
                self.add_service(&tenant, &code, &name).map(drop)
            }
            Event::AssetAdded { asset } => self.add_asset(asset).map(drop),
            Event::AssetMoved { asset, parent } => self.set_parent(&asset, parent.as_deref()),
            Event::AssetDecommissioned { asset, last_day } => self.decommission(&asset, last_day),
            Event::AttributeSet { asset, name, value } => {
                self.set_attribute(&asset, &name, value.as_deref())
            }
            Event::OwnershipTransferred { asset, owner, from } => {
                self.transfer_ownership(&asset, &owner, from).map(drop)
            }
            Event::CustodyGranted {
                asset,
                beneficiary,
                period,
            } => self.grant_custody(&asset, &beneficiary, period),
            Event::CustodyEnded { asset, last_day } => self.end_custody(&asset, last_day),
            Event::SharingKeySet {
                asset,
                basis,
                period,
                weights,
            } => {
                let w: Vec<(&str, u64)> = weights.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                self.set_sharing_key(&asset, basis, period, &w)
            }
            Event::SharingKeyEnded { asset, last_day } => self.end_sharing_key(&asset, last_day),
            // recorded before SIRETs had to be unique: replays as it was
            Event::SupplierAdded { supplier } => self.insert_supplier(supplier, false).map(drop),
            Event::TeamAdded {
                code,
                tenant,
                name,
                service,
            } => self
                .add_team(&code, &tenant, &name, service.as_deref())
                .map(drop),
            Event::LabourRateSet {
                tenant,
                year,
                team,
                grade,
                rate,
            } => self.set_labour_rate(&tenant, year, team.as_deref(), grade.as_deref(), rate),
            Event::VehicleRateSet {
                tenant,
                subject,
                category,
                year,
                unit,
                rate,
            } => {
                if category {
                    self.set_category_rate(&tenant, &subject, year, unit, rate)
                } else {
                    self.set_vehicle_rate(&subject, year, unit, rate)
                }
            }
            Event::StoreAdded { code, tenant, name } => {
                self.add_store(&code, &tenant, &name).map(drop)
            }
            Event::ItemAdded { item } => self.add_item(item).map(drop),
            Event::StockReceived {
                store,
                item,
                date,
                quantity,
                unit_price,
            } => self
                .receive_stock(&store, &item, date, quantity, unit_price)
                .map(drop),
            Event::StockIssued { issue } => self.issue_stock(issue).map(drop),
            Event::RequestReceived { request } => self.receive_request(request).map(drop),
            Event::RequestStatusChanged {
                request,
                status,
                at,
                note,
            } => self.set_request_status(&request, status, at, note.as_deref()),
            Event::RequestRouted {
                request,
                tenant,
                service,
                at,
            } => self.route_request(&request, &tenant, service.as_deref(), at),
            Event::WorkOrderCreated { work_order } => self.create_work_order(work_order).map(drop),
            Event::WorkOrderStatusChanged {
                work_order,
                status,
                at,
            } => self.set_work_order_status(&work_order, status, at),
            Event::CostRecorded { work_order, cost } => {
                self.record_cost(&work_order, cost).map(drop)
            }
            Event::AgreementAdded { agreement } => self.add_agreement(agreement),
            Event::PooledServiceAdded { pooled } => self.add_pooled_service(pooled),
            Event::AdvanceRecorded {
                pooled,
                year,
                member,
                amount,
            } => self.record_advance(&pooled, year, &member, amount),
            Event::VehicleLent { loan } => self.lend_vehicle(loan),
            Event::LoanUsed {
                loan,
                date,
                quantity,
            } => self.record_loan_use(&loan, date, quantity).map(drop),
            Event::BudgetOpened {
                tenant,
                year,
                basis,
                policy,
            } => self.add_budget(&tenant, year, basis, policy),
            Event::BudgetLineAdded {
                tenant,
                year,
                code,
                service,
                account,
                voted,
            } => self.add_budget_line(&tenant, year, &code, service.as_deref(), &account, voted),
            Event::BudgetAmended {
                tenant,
                year,
                line,
                amount,
                label,
            } => self.amend_budget_line(&tenant, year, &line, amount, &label),
            Event::BudgetCommitted {
                tenant,
                year,
                line,
                code,
                amount,
                work_order,
            } => self.commit_budget(&tenant, year, &line, &code, amount, work_order.as_deref()),
            Event::BudgetAssigned {
                work_order,
                tenant,
                line,
            } => self.assign_budget_line(&work_order, &tenant, &line),
            Event::RbfRulesSet { tenant, rules } => self.set_rbf_rules(&tenant, rules),
            Event::OperationAdded { operation } => self.add_operation(operation),
            Event::OperationLinked {
                operation,
                work_order,
            } => self.link_work_order(&operation, &work_order),
            Event::ApVoted { ap } => self.vote_ap(ap),
            Event::ApPaid { ap, date, amount } => self.pay_ap(&ap, date, amount),
            Event::YearClosed { tenant, year } => self.close_year(&tenant, year),
            Event::ApRevised {
                ap,
                year,
                amount,
                schedule,
            } => self.revise_ap(&ap, year, amount, &schedule),
            Event::DatasetImported { dataset } => {
                if !self.journal.is_empty() {
                    return Err(Error::InvalidField {
                        field: "journal",
                        reason: "a dataset import can only be the first entry".into(),
                    });
                }
                let mut loaded = Mutualis::from_json(&dataset)?;
                loaded.journal.clear();
                loaded.actor = std::mem::take(&mut self.actor);
                loaded.clock = self.clock;
                loaded.replaying = self.replaying.take();
                *self = loaded;
                self.log(None, Event::DatasetImported { dataset });
                Ok(())
            }
            Event::TablesIngested { tables } => self.replay_ingestion(tables),
        }
    }

    /// Applies one recorded entry, keeping its actor and time (used when
    /// loading from a store or importing a device's events).
    pub fn apply_recorded(&mut self, entry: &JournalEntry) -> Result<()> {
        self.replaying = Some((entry.at, entry.actor.clone()));
        let r = self.apply(entry.event.clone());
        self.replaying = None;
        r
    }

    /// Rebuilds a registry by replaying a journal; entries keep their actor and time.
    ///
    /// Fails with the error of the first entry that does not apply.
    pub fn replay(entries: &[JournalEntry]) -> Result<Mutualis> {
        let mut m = Mutualis::new();
        for e in entries {
            m.replaying = Some((e.at, e.actor.clone()));
            let r = m.apply(e.event.clone());
            m.replaying = None;
            r?;
        }
        Ok(m)
    }

    /// The journal as a JSON array of entries (the exchange format of
    /// [`Mutualis::from_journal_json`], the same from every language).
    #[must_use]
    pub fn journal_json(&self) -> String {
        // entries hold only strings, numbers, dates and decimals: cannot fail
        serde_json::to_string(&self.journal).unwrap_or_default()
    }

    /// Rebuilds a registry from a journal in JSON ([`Mutualis::journal_json`]).
    ///
    /// Errors: [`Error::InvalidJson`], or the error of the first entry that
    /// does not apply.
    pub fn from_journal_json(json: &str) -> Result<Mutualis> {
        let entries: Vec<JournalEntry> =
            serde_json::from_str(json).map_err(|e| Error::InvalidJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        Mutualis::replay(&entries)
    }

    /// The journal entries about a request, its work orders and their cost
    /// lines, in order: the request → work order → cost history (DOMAIN §8).
    pub fn request_history(&self, request: &str) -> Result<Vec<&JournalEntry>> {
        self.request_id(request)?;
        let orders: Vec<&str> = (0..self.work_orders.len())
            .filter(|&w| {
                self.work_orders
                    .requests(w)
                    .iter()
                    .any(|&r| self.requests()[r as usize].code == request)
            })
            .map(|w| self.work_orders.code(w))
            .collect();
        Ok(self
            .journal
            .iter()
            .filter(|e| {
                e.event.refs().iter().any(|(kind, code)| {
                    (*kind == "request" && *code == request)
                        || (*kind == "work_order" && orders.contains(code))
                })
            })
            .collect())
    }

    /// The journal entries that refer to a code of a kind (one of
    /// [`HISTORY_KINDS`]: `"asset"`, `"work_order"`…).
    ///
    /// Errors: [`Error::UnknownKind`] for any other kind.
    pub fn history(&self, kind: &str, code: &str) -> Result<Vec<&JournalEntry>> {
        if !HISTORY_KINDS.contains(&kind) {
            return Err(Error::UnknownKind {
                what: "history",
                value: kind.to_owned(),
                expected: HISTORY_EXPECTED,
            });
        }
        Ok(self
            .journal
            .iter()
            .filter(|e| e.event.refs().iter().any(|(k, c)| *k == kind && *c == code))
            .collect())
    }
}

/// The kinds of code [`Mutualis::history`] follows through the journal.
pub const HISTORY_KINDS: &[&str] = &[
    "agreement",
    "ap",
    "asset",
    "budget",
    "item",
    "operation",
    "request",
    "store",
    "supplier",
    "team",
    "tenant",
    "work_order",
];

const HISTORY_EXPECTED: &str =
    "agreement, ap, asset, budget, item, operation, request, store, supplier, team, tenant, work_order";
