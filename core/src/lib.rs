//! # Mutualis
//!
//! The domain core of a technical-asset management tool shared by a group of
//! French local governments (collectivités): an agglomeration (EPCI) and its
//! member communes. Each manages its own patrimoine; assets transferred to the
//! agglomeration (mise à disposition, CGCT L1321-1) or shared between tenants
//! are managed jointly, and the library answers *who holds* and *who pays*
//! for every asset on every date, exactly to the cent.
//!
//! ```
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, Period, TenantKind};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("GYM", "Gymnase Coubertin", AssetKind::Building, "ROANNE", d(1975, 9, 1))).unwrap();
//! m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1))).unwrap();
//! let payers = m.payers("GYM", d(2026, 3, 12)).unwrap();
//! assert_eq!(m.tenant_code(payers.shares[0].tenant), "AGGLO");
//! ```
//!
//! Modules follow the domain: [`money`] (cents, VAT, split), [`identity`]
//! (SIREN, SIRET, INSEE), [`tenancy`] (collectivités and services), [`assets`]
//! (the patrimoine tree), [`custody`] (mises à disposition, sharing keys,
//! payers), [`dataset`] (the versioned JSON format). Every fallible call
//! returns the crate's one [`Error`] and changes nothing when it fails.
//!
//! **[`Mutualis`] is the unchecked façade**: whoever holds it reads and
//! writes everything (single-user embedded use, tests, the host's own
//! administration). An application serving several users hands out handles
//! bound to a principal instead (docs/access.md): a
//! [`access::Session`] ([`Mutualis::as_principal_mut`]) whose commands are
//! authorised by the principal's grants and journalled with it as actor, and
//! a [`access::Reader`] ([`Mutualis::as_principal`]) whose queries answer
//! only what it may read. [`access::Session::execute`]'s closure must only
//! run commands: what it reads is not filtered.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod kinds;

/// The README's Rust tour, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub mod domain;
pub mod error;
pub mod io;
pub mod journal;
pub mod read;
pub mod report;
mod undo;

pub use domain::{
    access, agreements, assets, budget, custody, energy, fctva, fleet, furniture, identity, ids,
    leases, lines, money, orders, ownership, period, planning, rates, requests, stock, suppliers,
    tenancy, work, workwear,
};
#[cfg(feature = "csv")]
pub use io::import;
#[cfg(feature = "parquet")]
pub use io::parquet_out;
#[cfg(feature = "sqlite")]
pub use io::store;
pub use io::{dataset, ingest};
pub use read::{costing, ledger, reconcile, settlement, show};

use chrono::{DateTime, Utc};

pub use agreements::{
    Agreement, AgreementMode, Loan, LoanUse, NewAgreement, NewLoan, NewPooledService, PooledService,
};
pub use assets::{Asset, AssetKind, NewAsset, ServiceRef};
pub use budget::{
    Budget, BudgetLine, BudgetLineStatus, BudgetWarning, ChargeBasis, Commitment, LineDirection,
    OverrunPolicy, RevenueLineStatus,
};
pub use costing::{Amounts, BreakdownRow, Charge, CostSummary, SupplierActivity};
pub use custody::{CustodyPeriod, Holder, KeyBasis, PayerShare, PayerSource, Payers, SharingKey};
pub use error::{Error, Result};
pub use ids::{
    AssetId, CostLineId, ItemId, RequestId, ServiceId, StoreId, SupplierId, TeamId, TenantId,
    WorkOrderId,
};
pub use journal::{Clock, Event, JournalEntry};
// each domain's events, wrapped by `Event` (their payload types stay in the
// domain's `events` module: `mutualis::work::events::CostV1`…)
pub use access::AccessEvent;
pub use agreements::AgreementEvent;
pub use assets::AssetEvent;
pub use budget::BudgetEvent;
pub use custody::CustodyEvent;
pub use energy::EnergyEvent;
pub use fleet::FleetEvent;
pub use furniture::FurnitureEvent;
pub use leases::LeaseEvent;
pub use ledger::{Dimension, GroupRow, Ledger, LedgerColumns, LedgerFilter, Part};
pub use lines::CostLines;
pub use money::{VatLine, VatRate};
pub use orders::WorkOrders;
pub use ownership::OwnershipEvent;
pub use ownership::Transfer;
pub use period::{Period, ASSET_YEARS, YEARS};
pub use planning::PlanningEvent;
pub use rates::RateEvent;
pub use requests::RequestEvent;
pub use show::{ShowWithCodes, Shown};
pub use stock::StockEvent;
pub use suppliers::SupplierEvent;
pub use tenancy::TenancyEvent;
pub use work::WorkEvent;
pub use workwear::WorkwearEvent;

/// What the `*_code` lookups (`tenant_code`, `asset_code`, `team_code`…)
/// give for an id that is not of this registry (an id of another registry:
/// they never panic). Bindings that turn id columns into codes use it too.
pub const UNKNOWN_CODE: &str = "?";
pub use rates::{LabourRate, Team, UsageUnit, VehicleRate};
pub use requests::{
    GeoPoint, NewRequest, Request, RequestDelays, RequestOrigin, RequestStatus, StatusChange,
};
pub use settlement::{
    Debt, DebtLine, LoanStatement, PooledShare, PooledStatement, RequestTrace, SettledBy,
    Statement, TracedLine, TracedWorkOrder,
};
pub use stock::{IssueReason, Item, NewItem, NewStockIssue, StockIssue, StockLevel, Store};
pub use suppliers::{NewSupplier, Supplier};
pub use tenancy::{NewTenant, Service, Tenant, TenantKind};
pub use work::{
    CostInput, CostLine, CostNature, NewWorkOrder, Performer, PerformerId, Provider, ProviderCodes,
    WorkOrder, WorkOrderStatus,
};

/// The registry of a group of collectivités: tenants, services, assets,
/// custody periods and sharing keys.
///
/// Commands take human codes, validate everything first and change nothing
/// when they fail; queries by code have `_of`/`_by_id` twins taking dense ids
/// for hot paths.
///
/// Equality compares the data, not its history: two registries with the same
/// content are equal whatever their journals.
#[derive(Debug, Clone)]
pub struct Mutualis {
    /// Collectivités and services.
    pub(crate) tenancy: tenancy::Tenancy,
    /// The assets and their tree.
    pub(crate) patrimoine: assets::Patrimoine,
    /// Custody periods and sharing keys.
    pub(crate) custody: custody::Custody,
    /// Transfers of ownership.
    pub(crate) transfers: ownership::Transfers,
    /// The fleet register, meters, fuel, inspections, maintenance plans.
    pub(crate) fleet: fleet::Fleet,
    /// The furniture inventory: items, moves, loans, campaigns.
    pub(crate) furniture: furniture::Furniture,
    /// Parties, contracts, index values, revisions, receipts, charges.
    pub(crate) leases: leases::Leases,
    /// Meters, readings, invoices, degree days, décret tertiaire sites.
    pub(crate) energy: energy::Energy,
    /// Agents, workwear catalogue, allotments, issues and returns.
    pub(crate) workwear: workwear::Workwear,
    /// Principals, roles and grants.
    pub(crate) policies: access::Policies,
    /// Suppliers.
    pub(crate) suppliers: suppliers::Suppliers,
    /// Régie teams, labour and vehicle rates.
    pub(crate) rates: rates::Rates,
    /// Stores, items, stock levels and issues.
    pub(crate) stock: stock::Stock,
    /// Citizen and agent requests.
    pub(crate) requests: requests::Requests,
    /// The request catalogue: categories, competences, territories,
    /// councils, requests waiting for manual routing.
    pub(crate) catalogue: requests::routing::RequestCatalogue,
    pub(crate) work_orders: orders::WorkOrders,
    pub(crate) cost_lines: CostLines,
    /// Service agreements, pooled services, vehicle loans.
    pub(crate) agreements: agreements::Agreements,
    /// Budgets, their spending, assignments and warnings.
    pub(crate) budgets: budget::Budgets,
    /// RBF rules, PPI operations, AP/CP.
    pub(crate) planning: planning::Planning,
    /// Columnar read model of allocated amounts.
    pub(crate) ledger: Ledger,
    pub(crate) journal: Vec<JournalEntry>,
    pub(crate) actor: String,
    /// A spare buffer for the actor of a session (reused: no allocation per
    /// session).
    pub(crate) actor_spare: String,
    pub(crate) clock: Clock,
    /// While replaying: the entry's time and actor.
    pub(crate) replaying: Option<(DateTime<Utc>, String)>,
    /// While a batch (a bulk ingestion) runs its commands: they journal
    /// nothing, the batch journals one event for all.
    pub(crate) muted: bool,
    /// While a dataset loads: budget spending is computed once at the end.
    pub(crate) budgets_deferred: bool,
    /// While a checkpoint is open: the in-place changes to revert on rollback.
    pub(crate) undo: Option<Vec<undo::Undo>>,
    /// A command a checkpoint cannot undo ran while one was open.
    pub(crate) undo_incomplete: bool,
    /// When set, the time of the events logged: a session pins the instant
    /// whose date it authorised a call on.
    pub(crate) pinned_at: Option<DateTime<Utc>>,
    /// Changes with everything an access decision reads (bumped by every
    /// event but a cost line, a rollback, a muted batch): the memo of the
    /// last decision holds while it does not change.
    pub(crate) access_generation: u64,
    /// The last access decision that allowed a call (see `access::Memo`).
    pub(crate) access_memo: Option<access::Memo>,
}

impl Default for Mutualis {
    fn default() -> Mutualis {
        Mutualis {
            tenancy: tenancy::Tenancy::default(),
            patrimoine: assets::Patrimoine::default(),
            custody: custody::Custody::default(),
            transfers: ownership::Transfers::default(),
            fleet: fleet::Fleet::default(),
            furniture: furniture::Furniture::default(),
            leases: leases::Leases::default(),
            energy: energy::Energy::default(),
            workwear: workwear::Workwear::default(),
            policies: access::Policies::default(),
            suppliers: suppliers::Suppliers::default(),
            rates: rates::Rates::default(),
            stock: stock::Stock::default(),
            requests: requests::Requests::default(),
            catalogue: requests::routing::RequestCatalogue::default(),
            work_orders: orders::WorkOrders::default(),
            cost_lines: CostLines::default(),
            agreements: agreements::Agreements::default(),
            budgets: budget::Budgets::default(),
            ledger: Ledger::default(),
            planning: planning::Planning::default(),
            journal: Vec::new(),
            actor: "system".to_owned(),
            actor_spare: String::new(),
            clock: Clock::System,
            replaying: None,
            muted: false,
            budgets_deferred: false,
            undo: None,
            undo_incomplete: false,
            pinned_at: None,
            access_generation: 0,
            access_memo: None,
        }
    }
}

impl PartialEq for Mutualis {
    fn eq(&self, o: &Mutualis) -> bool {
        self.tenancy == o.tenancy
            && self.patrimoine == o.patrimoine
            && self.custody == o.custody
            && self.transfers == o.transfers
            && self.fleet == o.fleet
            && self.furniture == o.furniture
            && self.leases == o.leases
            && self.energy == o.energy
            && self.workwear == o.workwear
            && self.policies == o.policies
            && self.suppliers == o.suppliers
            && self.rates == o.rates
            && self.stock == o.stock
            && self.requests == o.requests
            && self.catalogue == o.catalogue
            && self.work_orders == o.work_orders
            && self.cost_lines == o.cost_lines
            && self.agreements == o.agreements
            && self.budgets == o.budgets
            && self.ledger == o.ledger
            && self.planning == o.planning
    }
}

impl Mutualis {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Mutualis {
        Mutualis::default()
    }
}
