//! The versioned JSON format of a whole dataset, so it can be saved,
//! exchanged and loaded from Rust, Python and Kotlin alike.
//!
//! The format is described in `docs/json-format.md`. In short: one object
//! with `"format": "mutualis"`, `"version": 2` and arrays `tenants`,
//! `services`, `assets`, `custody`, `sharing_keys`, `suppliers`, `teams`,
//! `labour_rates`, `vehicle_rates`, `stores`, `items`, `stock`,
//! `stock_issues`, `requests`,
//! `work_orders`, `cost_lines`, `agreements`, `pooled_services`, `loans`,
//! `budgets`, `budget_assignments`, `rbf_rules`, `operations` and `aps`, in
//! creation order. Files of versions 1 to 3 (fewer sections) are still read.
//! Amounts are strings ("1200.50"), dates ISO `YYYY-MM-DD`, references are
//! human codes. Unknown fields are refused; so are newer versions.
//!
//! Loading replays the same validated commands as the API for the registry,
//! then restores stock levels, status histories and recorded cost lines as
//! they are (rates may have changed since), each checked for consistency; a
//! hand-edited file with an error gets a typed error and no registry. Exporting
//! again gives the same bytes. The loaded registry's journal starts with one
//! [`crate::Event::DatasetImported`] entry carrying the document, so replaying
//! it still rebuilds the registry.
//!
//! ```
//! use mutualis::{Mutualis, NewTenant};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! let json = m.to_json();
//! assert_eq!(Mutualis::from_json(&json).unwrap().to_json(), json);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::agreements::{LoanUse, NewAgreement, NewLoan, NewPooledService};
use crate::assets::{NewAsset, ServiceRef};
use crate::budget::{ChargeBasis, LineDirection, OverrunPolicy};
use crate::custody::KeyBasis;
use crate::error::{Error, Result};
use crate::journal::Event;
use crate::money::{to_cents, VatRate};
use crate::period::Period;
use crate::planning::{ApRevision, NewAp, NewOperation, RbfRules};
use crate::rates::UsageUnit;
use crate::requests::{GeoPoint, NewRequest, RequestOrigin, RequestStatus, StatusChange};
use crate::stock::{NewItem, StockLevel};
use crate::suppliers::NewSupplier;
use crate::tenancy::{NewTenant, TenantKind};
use crate::work::{
    CostLine, CostNature, NewWorkOrder, Performer, PerformerId, Provider, RecordedLine,
    WorkOrderStatus,
};
use crate::Mutualis;

/// The `format` field of every dataset.
pub const FORMAT_NAME: &str = "mutualis";
/// The dataset version this library writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 4;

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetV1 {
    format: String,
    version: u32,
    #[serde(default)]
    tenants: Vec<TenantRec>,
    #[serde(default)]
    services: Vec<ServiceRec>,
    #[serde(default)]
    assets: Vec<AssetRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ownership_transfers: Vec<TransferRec>,
    #[serde(default)]
    custody: Vec<CustodyRec>,
    #[serde(default)]
    sharing_keys: Vec<KeyRec>,
    #[serde(default)]
    suppliers: Vec<NewSupplier>,
    #[serde(default)]
    teams: Vec<TeamRec>,
    #[serde(default)]
    labour_rates: Vec<LabourRateRec>,
    #[serde(default)]
    vehicle_rates: Vec<VehicleRateRec>,
    #[serde(default)]
    stores: Vec<StoreRec>,
    #[serde(default)]
    items: Vec<NewItem>,
    #[serde(default)]
    stock: Vec<StockRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    stock_issues: Vec<StockIssueRec>,
    #[serde(default)]
    requests: Vec<RequestRec>,
    #[serde(default)]
    work_orders: Vec<WorkOrderRec>,
    #[serde(default)]
    cost_lines: Vec<CostLineRec>,
    #[serde(default)]
    agreements: Vec<NewAgreement>,
    #[serde(default)]
    pooled_services: Vec<PooledRec>,
    #[serde(default)]
    loans: Vec<LoanRec>,
    #[serde(default)]
    budgets: Vec<BudgetRec>,
    #[serde(default)]
    budget_assignments: Vec<AssignmentRec>,
    #[serde(default)]
    rbf_rules: Vec<RbfRec>,
    #[serde(default)]
    operations: Vec<OperationRec>,
    #[serde(default)]
    aps: Vec<ApRec>,
    #[serde(default)]
    budget_warnings: Vec<WarningRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    principals: Vec<crate::access::NewPrincipal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    roles: Vec<RoleRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    grants: Vec<GrantRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    vehicles: Vec<crate::fleet::VehicleRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    meter_readings: Vec<crate::fleet::ReadingRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fuel_lines: Vec<crate::fleet::FuelRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inspections: Vec<crate::fleet::InspectionRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    maintenance_plans: Vec<crate::fleet::events::PlanV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parties: Vec<crate::leases::events::PartyV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    index_values: Vec<crate::leases::dataset::IndexValueRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    leases: Vec<crate::leases::events::LeaseV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lease_ends: Vec<crate::leases::dataset::LeaseEndRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rent_revisions: Vec<crate::leases::dataset::RevisionRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rent_receipts: Vec<crate::leases::dataset::ReceiptRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lease_charges: Vec<crate::leases::events::ChargesV1>,
    #[serde(
        default,
        skip_serializing_if = "crate::energy::EnergyRecords::is_empty"
    )]
    energy: crate::energy::EnergyRecords,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    vehicle_costs: Vec<crate::fleet::VehicleCostRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    furniture: Vec<crate::furniture::events::FurnitureV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    furniture_moves: Vec<crate::furniture::dataset::MoveRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    furniture_statuses: Vec<crate::furniture::dataset::StatusRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    furniture_conditions: Vec<crate::furniture::dataset::ConditionRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    furniture_reforms: Vec<crate::furniture::dataset::ReformRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inventory_campaigns: Vec<crate::furniture::dataset::CampaignRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inventory_scans: Vec<crate::furniture::dataset::ScanRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lease_budget_assignments: Vec<LeaseAssignmentRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    agents: Vec<crate::workwear::events::AgentV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workwear_items: Vec<crate::workwear::events::WorkwearItemV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    allotments: Vec<crate::workwear::events::AllotmentV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workwear_policies: Vec<crate::workwear::dataset::PolicyRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workwear_budget_lines: Vec<crate::workwear::dataset::BudgetLineRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workwear_issues: Vec<crate::workwear::dataset::IssueRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workwear_returns: Vec<crate::workwear::events::WorkwearReturnV1>,
    #[serde(
        default,
        skip_serializing_if = "crate::requests::routing::CatalogueRecords::is_empty"
    )]
    request_catalogue: crate::requests::routing::CatalogueRecords,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRec {
    code: String,
    name: String,
    permissions: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantRec {
    principal: String,
    role: String,
    scope: crate::access::ScopeRef,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WarningRec {
    tenant: String,
    year: i32,
    line: String,
    work_order: String,
    amount: Decimal,
    remaining: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RbfRec {
    tenant: String,
    carry_over: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lapse_after_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationRec {
    code: String,
    tenant: String,
    title: String,
    work_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    assets: Vec<String>,
    priority: u32,
    estimated_cost: Decimal,
    earliest_year: i32,
    profile: Vec<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    work_orders: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRec {
    year: i32,
    from: Decimal,
    to: Decimal,
    reason: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApRec {
    code: String,
    tenant: String,
    title: String,
    voted_year: i32,
    voted: Decimal,
    amount: Decimal,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    schedule: BTreeMap<i32, Decimal>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    paid: BTreeMap<i32, Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_through: Option<i32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    lapsed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    revisions: Vec<RevisionRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    operations: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceRec {
    year: i32,
    member: String,
    amount: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PooledRec {
    code: String,
    provider: String,
    services: Vec<String>,
    period: Period,
    key: BTreeMap<String, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    legal_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    advances: Vec<AdvanceRec>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoanUseRec {
    date: NaiveDate,
    quantity: Decimal,
    rate: Decimal,
    amount: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoanRec {
    code: String,
    vehicle: String,
    borrower: String,
    period: Period,
    unit: UsageUnit,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    uses: Vec<LoanUseRec>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentRec {
    amount: Decimal,
    label: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitmentRec {
    code: String,
    amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    work_order: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetLineRec {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    account: String,
    voted: Decimal,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    amendments: Vec<AmendmentRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    commitments: Vec<CommitmentRec>,
    #[serde(default, skip_serializing_if = "LineDirection::is_expense")]
    direction: LineDirection,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetRec {
    tenant: String,
    year: i32,
    basis: ChargeBasis,
    policy: OverrunPolicy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lines: Vec<BudgetLineRec>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaseAssignmentRec {
    lease: String,
    tenant: String,
    line: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentRec {
    work_order: String,
    tenant: String,
    line: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamRec {
    code: String,
    tenant: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabourRateRec {
    tenant: String,
    year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    rate: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VehicleRateRec {
    tenant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vehicle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    year: i32,
    unit: UsageUnit,
    rate: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreRec {
    code: String,
    tenant: String,
    name: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StockRec {
    store: String,
    item: String,
    quantity: Decimal,
    cmup: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_receipt: Option<NaiveDate>,
}

/// An issue outside a work order, as recorded (its CMUP and value are kept:
/// the stock levels are restored as they are, not replayed).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StockIssueRec {
    store: String,
    item: String,
    date: NaiveDate,
    quantity: Decimal,
    cmup: Decimal,
    value: Decimal,
    reason: crate::stock::IssueReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<crate::assets::ServiceRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeRec<S> {
    at: DateTime<Utc>,
    status: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestRec {
    code: String,
    origin: RequestOrigin,
    category: String,
    description: String,
    tenant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<GeoPoint>,
    received: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<ChangeRec<RequestStatus>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkOrderRec {
    code: String,
    title: String,
    asset: String,
    performer: Performer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<ServiceRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requests: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    association: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    planned_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<ChangeRec<WorkOrderStatus>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CostLineRec {
    work_order: String,
    date: NaiveDate,
    nature: CostNature,
    description: String,
    quantity: Decimal,
    unit_cost: Decimal,
    ht: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vat_rate: Option<VatRate>,
    vat: Decimal,
    ttc: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vehicle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<UsageUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supplier: Option<String>,
}

fn bad_record(section: &'static str, index: usize, reason: impl Into<String>) -> Error {
    Error::InvalidField {
        field: section,
        reason: format!("record {}: {}", index + 1, reason.into()),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantRec {
    code: String,
    name: String,
    kind: TenantKind,
    siren: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    insee: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    member_of: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceRec {
    tenant: String,
    code: String,
    name: String,
}

type AssetRec = NewAsset;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferRec {
    asset: String,
    owner: String,
    from: NaiveDate,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustodyRec {
    asset: String,
    beneficiary: String,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRec {
    asset: String,
    basis: KeyBasis,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
    weights: BTreeMap<String, u64>,
}

fn json_error(e: &serde_json::Error) -> Error {
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

impl Mutualis {
    /// Serialises the whole dataset to the versioned JSON format (pretty-printed,
    /// deterministic: the same dataset always gives the same bytes).
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising plain records with string keys cannot fail.
        let mut out = serde_json::to_string_pretty(&self.to_doc()).unwrap_or_default();
        out.push('\n');
        out
    }

    /// The dataset as records (shared by the JSON and binary encodings).
    fn to_doc(&self) -> DatasetV1 {
        self.to_doc_with(true)
    }

    /// The dataset's records; without the work orders and cost lines when
    /// `big` is false (a columnar snapshot stores them as columns).
    fn to_doc_with(&self, big: bool) -> DatasetV1 {
        let tenants = self
            .tenants()
            .iter()
            .map(|t| TenantRec {
                code: t.code.clone(),
                name: t.name.clone(),
                kind: t.kind,
                siren: t.siren.to_string(),
                insee: t.insee.as_ref().map(ToString::to_string),
                member_of: t
                    .member_of
                    .iter()
                    .map(|g| self.tenant_code(*g).to_owned())
                    .collect(),
            })
            .collect();
        let services = self
            .services()
            .iter()
            .map(|s| ServiceRec {
                tenant: self.tenant_code(s.tenant).to_owned(),
                code: s.code.clone(),
                name: s.name.clone(),
            })
            .collect();
        let assets = self
            .assets()
            .iter()
            .map(|a| NewAsset {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind,
                parent: a.parent.map(|p| self.asset_code(p).to_owned()),
                owner: self.tenant_code(a.owner).to_owned(),
                service: a.service.map(|s| {
                    let s = &self.services()[s.index()];
                    ServiceRef {
                        tenant: self.tenant_code(s.tenant).to_owned(),
                        service: s.code.clone(),
                    }
                }),
                commissioned: a.commissioned,
                decommissioned: a.decommissioned,
                floor_area: a.floor_area,
                address: a.address.clone(),
                attributes: a.attributes.clone(),
            })
            .collect();
        let mut custody = Vec::new();
        let mut sharing_keys = Vec::new();
        let mut ownership_transfers = Vec::new();
        for a in self.assets() {
            for t in self.transfers.of(a.id) {
                ownership_transfers.push(TransferRec {
                    asset: a.code.clone(),
                    owner: self.tenant_code(t.owner).to_owned(),
                    from: t.from,
                });
            }
            for c in self.custody.periods_of(a.id) {
                custody.push(CustodyRec {
                    asset: a.code.clone(),
                    beneficiary: self.tenant_code(c.beneficiary).to_owned(),
                    from: c.period.from,
                    to: c.period.to,
                });
            }
            for k in self.custody.keys_of(a.id) {
                sharing_keys.push(KeyRec {
                    asset: a.code.clone(),
                    basis: k.basis,
                    from: k.period.from,
                    to: k.period.to,
                    weights: k
                        .shares
                        .iter()
                        .map(|s| (self.tenant_code(s.tenant).to_owned(), s.weight))
                        .collect(),
                });
            }
        }
        let fleet = self.fleet_records();
        let leases = self.lease_records();
        let workwear = self.workwear_records();
        let furniture = self.furniture_records();
        let doc = DatasetV1 {
            furniture: furniture.furniture,
            furniture_moves: furniture.furniture_moves,
            furniture_statuses: furniture.furniture_statuses,
            furniture_conditions: furniture.furniture_conditions,
            furniture_reforms: furniture.furniture_reforms,
            inventory_campaigns: furniture.inventory_campaigns,
            inventory_scans: furniture.inventory_scans,
            agents: workwear.agents,
            workwear_items: workwear.workwear_items,
            allotments: workwear.allotments,
            workwear_policies: workwear.workwear_policies,
            workwear_budget_lines: workwear.workwear_budget_lines,
            workwear_issues: workwear.workwear_issues,
            workwear_returns: workwear.workwear_returns,
            request_catalogue: self.catalogue_records(),
            parties: leases.parties,
            index_values: leases.index_values,
            leases: leases.leases,
            lease_ends: leases.lease_ends,
            rent_revisions: leases.rent_revisions,
            rent_receipts: leases.rent_receipts,
            lease_charges: leases.lease_charges,
            energy: self.energy_records(),
            vehicles: fleet.vehicles,
            meter_readings: fleet.meter_readings,
            fuel_lines: fleet.fuel_lines,
            inspections: fleet.inspections,
            maintenance_plans: fleet.maintenance_plans,
            vehicle_costs: fleet.vehicle_costs,
            lease_budget_assignments: {
                let mut v: Vec<LeaseAssignmentRec> = self
                    .budgets
                    .lease_lines()
                    .iter()
                    .filter_map(|(&at, line)| {
                        let l = self.leases().get(at)?;
                        Some(LeaseAssignmentRec {
                            lease: l.code.clone(),
                            tenant: self.tenant_code(l.tenant).to_owned(),
                            line: line.clone(),
                        })
                    })
                    .collect();
                v.sort_by(|a, b| a.lease.cmp(&b.lease));
                v
            },
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            tenants,
            services,
            assets,
            ownership_transfers,
            custody,
            sharing_keys,
            suppliers: self
                .suppliers()
                .iter()
                .map(|x| NewSupplier {
                    code: x.code.clone(),
                    name: x.name.clone(),
                    siret: x.siret.to_string(),
                    categories: x.categories.clone(),
                })
                .collect(),
            teams: self
                .teams()
                .iter()
                .map(|t| TeamRec {
                    code: t.code.clone(),
                    tenant: self.tenant_code(t.tenant).to_owned(),
                    name: t.name.clone(),
                    service: t.service.map(|s| self.services()[s.index()].code.clone()),
                })
                .collect(),
            labour_rates: self
                .labour_rates()
                .into_iter()
                .map(|r| LabourRateRec {
                    tenant: r.tenant,
                    year: r.year,
                    team: r.team,
                    grade: r.grade,
                    rate: r.rate,
                })
                .collect(),
            vehicle_rates: self
                .vehicle_rates()
                .into_iter()
                .map(|r| VehicleRateRec {
                    tenant: r.tenant,
                    vehicle: (!r.category).then(|| r.subject.clone()),
                    category: r.category.then_some(r.subject),
                    year: r.year,
                    unit: r.unit,
                    rate: r.rate,
                })
                .collect(),
            stores: self
                .stores()
                .iter()
                .map(|x| StoreRec {
                    code: x.code.clone(),
                    tenant: self.tenant_code(x.tenant).to_owned(),
                    name: x.name.clone(),
                })
                .collect(),
            items: self
                .items()
                .iter()
                .map(|i| NewItem {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                })
                .collect(),
            stock: self
                .stock
                .levels()
                .iter()
                .map(|((st, it), level)| StockRec {
                    store: self.stores()[st.index()].code.clone(),
                    item: self.items()[it.index()].code.clone(),
                    quantity: level.quantity,
                    cmup: level.cmup,
                    first_receipt: level.first_receipt,
                })
                .collect(),
            stock_issues: self
                .stock_issues()
                .iter()
                .map(|x| StockIssueRec {
                    store: self.store_code(x.store).to_owned(),
                    item: self.item_code(x.item).to_owned(),
                    date: x.date,
                    quantity: x.quantity,
                    cmup: x.cmup,
                    value: x.value,
                    reason: x.reason,
                    agent: x.agent.clone(),
                    service: x.service.map(|s| {
                        let (tenant, service) = self.service_codes(s);
                        crate::assets::ServiceRef {
                            tenant: tenant.to_owned(),
                            service: service.to_owned(),
                        }
                    }),
                    note: x.note.clone(),
                })
                .collect(),
            requests: self
                .requests()
                .iter()
                .map(|r| self.request_rec(r))
                .collect(),
            work_orders: if big {
                self.work_orders
                    .iter()
                    .map(|w| self.work_order_rec(&w))
                    .collect()
            } else {
                Vec::new()
            },
            cost_lines: if big {
                self.cost_lines
                    .iter()
                    .map(|l| self.cost_line_rec(&l))
                    .collect()
            } else {
                Vec::new()
            },
            agreements: self
                .agreements()
                .iter()
                .map(|a| NewAgreement {
                    code: a.code.clone(),
                    provider: self.tenant_code(a.provider).to_owned(),
                    beneficiary: self.tenant_code(a.beneficiary).to_owned(),
                    mode: a.mode,
                    period: a.period,
                    unit_cost: a.unit_cost,
                    services: a
                        .services
                        .iter()
                        .map(|s| self.services()[s.index()].code.clone())
                        .collect(),
                    assets: a
                        .assets
                        .iter()
                        .map(|x| self.asset_code(*x).to_owned())
                        .collect(),
                    vat_rate: a.vat_rate,
                    provider_account: a.provider_account.clone(),
                    beneficiary_account: a.beneficiary_account.clone(),
                    legal_basis: a.legal_basis.clone(),
                })
                .collect(),
            pooled_services: self
                .pooled_services()
                .iter()
                .map(|p| PooledRec {
                    code: p.code.clone(),
                    provider: self.tenant_code(p.provider).to_owned(),
                    services: p
                        .services
                        .iter()
                        .map(|s| self.services()[s.index()].code.clone())
                        .collect(),
                    period: p.period,
                    key: p
                        .key
                        .iter()
                        .map(|(t, w)| (self.tenant_code(*t).to_owned(), *w))
                        .collect(),
                    legal_basis: p.legal_basis.clone(),
                    advances: p
                        .advances
                        .iter()
                        .map(|((year, t), amount)| AdvanceRec {
                            year: *year,
                            member: self.tenant_code(*t).to_owned(),
                            amount: *amount,
                        })
                        .collect(),
                })
                .collect(),
            loans: self
                .loans()
                .iter()
                .map(|l| LoanRec {
                    code: l.code.clone(),
                    vehicle: self.asset_code(l.vehicle).to_owned(),
                    borrower: self.tenant_code(l.borrower).to_owned(),
                    period: l.period,
                    unit: l.unit,
                    uses: l
                        .uses
                        .iter()
                        .map(|u| LoanUseRec {
                            date: u.date,
                            quantity: u.quantity,
                            rate: u.rate,
                            amount: u.amount,
                        })
                        .collect(),
                })
                .collect(),
            budgets: self
                .budgets()
                .iter()
                .map(|b| BudgetRec {
                    tenant: self.tenant_code(b.tenant).to_owned(),
                    year: b.year,
                    basis: b.basis,
                    policy: b.policy,
                    lines: b
                        .lines
                        .iter()
                        .map(|l| BudgetLineRec {
                            code: l.code.clone(),
                            service: l.service.map(|s| self.services()[s.index()].code.clone()),
                            account: l.account.clone(),
                            voted: l.voted,
                            amendments: l
                                .amendments
                                .iter()
                                .map(|(amount, label)| AmendmentRec {
                                    amount: *amount,
                                    label: label.clone(),
                                })
                                .collect(),
                            commitments: l
                                .commitments
                                .iter()
                                .map(|c| CommitmentRec {
                                    code: c.code.clone(),
                                    amount: c.amount,
                                    work_order: c
                                        .work_order
                                        .map(|w| self.work_orders.code(w.index()).to_owned()),
                                })
                                .collect(),
                            direction: l.direction,
                        })
                        .collect(),
                })
                .collect(),
            rbf_rules: {
                let mut v: Vec<RbfRec> = self
                    .planning
                    .rbf()
                    .iter()
                    .map(|(t, r)| RbfRec {
                        tenant: self.tenant_code(*t).to_owned(),
                        carry_over: r.carry_over,
                        lapse_after_years: r.lapse_after_years,
                        reference: r.reference.clone(),
                    })
                    .collect();
                v.sort_by(|a, b| a.tenant.cmp(&b.tenant));
                v
            },
            operations: self
                .operations()
                .iter()
                .map(|o| OperationRec {
                    code: o.code.clone(),
                    tenant: self.tenant_code(o.tenant).to_owned(),
                    title: o.title.clone(),
                    work_type: o.work_type.clone(),
                    assets: o
                        .assets
                        .iter()
                        .map(|a| self.asset_code(*a).to_owned())
                        .collect(),
                    priority: o.priority,
                    estimated_cost: o.estimated_cost,
                    earliest_year: o.earliest_year,
                    profile: o.profile.clone(),
                    depends_on: o.depends_on.clone(),
                    work_orders: o
                        .work_orders
                        .iter()
                        .map(|w| self.work_orders.code(w.index()).to_owned())
                        .collect(),
                })
                .collect(),
            aps: self
                .aps()
                .iter()
                .map(|a| ApRec {
                    code: a.code.clone(),
                    tenant: self.tenant_code(a.tenant).to_owned(),
                    title: a.title.clone(),
                    voted_year: a.voted_year,
                    voted: a.voted,
                    amount: a.amount,
                    schedule: a.schedule.clone(),
                    paid: a.paid.clone(),
                    closed_through: a.closed_through,
                    lapsed: a.lapsed,
                    revisions: a
                        .revisions
                        .iter()
                        .map(|r| RevisionRec {
                            year: r.year,
                            from: r.from,
                            to: r.to,
                            reason: r.reason.clone(),
                        })
                        .collect(),
                    operations: a.operations.clone(),
                })
                .collect(),
            principals: self
                .principals()
                .iter()
                .map(|p| crate::access::NewPrincipal {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    kind: p.kind,
                    tenant: p.tenant.map(|t| self.tenant_code(t).to_owned()),
                    supplier: p.supplier.map(|s| self.supplier_code(s).to_owned()),
                })
                .collect(),
            roles: self
                .roles()
                .iter()
                .map(|r| RoleRec {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    permissions: r.permissions.items(),
                })
                .collect(),
            grants: self
                .policies
                .grants()
                .iter()
                .map(|g| GrantRec {
                    principal: self.principals()[g.principal].code.clone(),
                    role: self.roles()[g.role].code.clone(),
                    scope: self.scope_ref(&g.scope),
                    from: g.period.from,
                    to: g.period.to,
                })
                .collect(),
            budget_warnings: self
                .budget_warnings()
                .iter()
                .map(|w| WarningRec {
                    tenant: w.tenant.clone(),
                    year: w.year,
                    line: w.line.clone(),
                    work_order: w.work_order.clone(),
                    amount: w.amount,
                    remaining: w.remaining,
                })
                .collect(),
            budget_assignments: {
                let mut v: Vec<AssignmentRec> = self
                    .budgets
                    .assignments()
                    .iter()
                    .map(|((w, t), line)| AssignmentRec {
                        work_order: self.work_orders.code(w.index()).to_owned(),
                        tenant: self.tenant_code(*t).to_owned(),
                        line: line.clone(),
                    })
                    .collect();
                v.sort_by(|a, b| (&a.work_order, &a.tenant).cmp(&(&b.work_order, &b.tenant)));
                v
            },
        };
        doc
    }

    fn request_rec(&self, r: &crate::requests::Request) -> RequestRec {
        RequestRec {
            code: r.code.clone(),
            origin: r.origin,
            category: r.category.clone(),
            description: r.description.clone(),
            tenant: self.tenant_code(r.tenant).to_owned(),
            service: r.service.map(|s| self.services()[s.index()].code.clone()),
            asset: r.asset.map(|a| self.asset_code(a).to_owned()),
            address: r.address.clone(),
            location: r.location,
            received: r.received,
            history: r
                .history
                .iter()
                .map(|c| ChangeRec {
                    at: c.at,
                    status: c.status,
                    note: c.note.clone(),
                })
                .collect(),
        }
    }

    fn work_order_rec(&self, w: &crate::work::WorkOrder) -> WorkOrderRec {
        WorkOrderRec {
            code: w.code.clone(),
            title: w.title.clone(),
            asset: self.asset_code(w.asset).to_owned(),
            performer: match w.performer {
                PerformerId::Team(t) => Performer::Team(self.teams()[t.index()].code.clone()),
                PerformerId::Supplier(s) => {
                    Performer::Supplier(self.suppliers()[s.index()].code.clone())
                }
            },
            service: w.service.map(|s| {
                let s = &self.services()[s.index()];
                ServiceRef {
                    tenant: self.tenant_code(s.tenant).to_owned(),
                    service: s.code.clone(),
                }
            }),
            requests: w
                .requests
                .iter()
                .map(|r| self.requests()[r.index()].code.clone())
                .collect(),
            tags: w.tags.clone(),
            association: w.association.clone(),
            planned_on: w.planned_on,
            history: w
                .history
                .iter()
                .map(|c| ChangeRec {
                    at: c.at,
                    status: c.status,
                    note: c.note.clone(),
                })
                .collect(),
        }
    }

    fn cost_line_rec(&self, l: &CostLine) -> CostLineRec {
        let mut rec = CostLineRec {
            work_order: self.work_orders.code(l.work_order.index()).to_owned(),
            date: l.date,
            nature: l.nature,
            description: l.description.clone(),
            quantity: l.quantity,
            unit_cost: l.unit_cost,
            ht: l.ht,
            vat_rate: l.vat_rate,
            vat: l.vat,
            ttc: l.ttc,
            team: None,
            store: None,
            item: None,
            vehicle: None,
            unit: None,
            supplier: None,
        };
        match l.provider {
            Provider::Team { team, .. } => rec.team = Some(self.teams()[team.index()].code.clone()),
            Provider::Store { store, item, .. } => {
                rec.store = Some(self.stores()[store.index()].code.clone());
                rec.item = Some(self.items()[item.index()].code.clone());
            }
            Provider::Vehicle { vehicle, unit, .. } => {
                rec.vehicle = Some(self.asset_code(vehicle).to_owned());
                rec.unit = Some(unit);
            }
            Provider::Supplier(s) => rec.supplier = Some(self.suppliers()[s.index()].code.clone()),
        }
        rec
    }

    fn restore_cost_line(&mut self, i: usize, rec: CostLineRec) -> Result<()> {
        let work_order = self.work_order_id(&rec.work_order)?;
        self.record_line_as_was(&RecordedLine {
            work_order,
            date: rec.date,
            nature: rec.nature,
            team: rec.team.as_deref(),
            store: rec.store.as_deref(),
            item: rec.item.as_deref(),
            vehicle: rec.vehicle.as_deref(),
            unit: rec.unit,
            supplier: rec.supplier.as_deref(),
            description: &rec.description,
            quantity: rec.quantity,
            unit_cost: rec.unit_cost,
            ht: rec.ht,
            vat_rate: rec.vat_rate,
            vat: rec.vat,
            ttc: rec.ttc,
        })
        .map_err(|e| match e {
            Error::InvalidField { reason, .. } => bad_record("cost_lines", i, reason),
            other => other,
        })
        .map(drop)
    }

    /// Loads a dataset from the versioned JSON format.
    ///
    /// Errors: [`Error::InvalidJson`] (syntax, missing or unknown fields),
    /// [`Error::UnsupportedFormat`] (another format or a newer version), or
    /// the error of the first invalid record (e.g. [`Error::InvalidSiren`]).
    pub fn from_json(json: &str) -> Result<Mutualis> {
        let header: Header = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        let format = header.format.unwrap_or_default();
        let version = header.version.unwrap_or(0);
        if format != FORMAT_NAME || version == 0 || version > FORMAT_VERSION {
            return Err(Error::UnsupportedFormat {
                format,
                version,
                supported: "format \"mutualis\" versions 1 to 4",
            });
        }
        let doc: DatasetV1 = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        let mut m = Mutualis::from_doc(doc)?;
        m.log(
            None,
            Event::DatasetImported {
                dataset: json.to_owned(),
            },
        );
        Ok(m)
    }

    /// Builds a registry from the records of a dataset (its journal empty).
    fn from_doc(doc: DatasetV1) -> Result<Mutualis> {
        Mutualis::from_doc_with(doc, |_| Ok(()))
    }

    /// [`Mutualis::from_doc`], calling `install` once the work orders and
    /// cost lines of the records are loaded (before the records that refer
    /// to them: budgets, operations…).
    fn from_doc_with(
        doc: DatasetV1,
        install: impl FnOnce(&mut Mutualis) -> Result<()>,
    ) -> Result<Mutualis> {
        let mut m = Mutualis::new();
        // Loading journals nothing (the caller journals the dataset as one
        // event) and computes budget spending once, at the end.
        m.muted = true;
        m.budgets_deferred = true;
        for t in &doc.tenants {
            m.add_tenant(NewTenant {
                code: t.code.clone(),
                name: t.name.clone(),
                kind: t.kind,
                siren: t.siren.clone(),
                insee: t.insee.clone(),
            })?;
        }
        for t in &doc.tenants {
            for g in &t.member_of {
                m.join(&t.code, g)?;
            }
        }
        for s in &doc.services {
            m.add_service(&s.tenant, &s.code, &s.name)?;
        }
        for a in &doc.assets {
            m.add_asset(NewAsset {
                parent: None,
                ..a.clone()
            })?;
        }
        for a in &doc.assets {
            if let Some(p) = &a.parent {
                m.set_parent(&a.code, Some(p))?;
            }
        }
        for t in doc.ownership_transfers {
            m.restore_transfer(&t.asset, &t.owner, t.from)?;
        }
        for c in doc.custody {
            m.grant_custody(&c.asset, &c.beneficiary, Period::new(c.from, c.to)?)?;
        }
        for k in doc.sharing_keys {
            let weights: Vec<(&str, u64)> =
                k.weights.iter().map(|(t, w)| (t.as_str(), *w)).collect();
            m.set_sharing_key(&k.asset, k.basis, Period::new(k.from, k.to)?, &weights)?;
        }
        for s in doc.suppliers {
            m.insert_supplier(s, false)?;
        }
        for t in doc.teams {
            m.add_team(&t.code, &t.tenant, &t.name, t.service.as_deref())?;
        }
        for r in doc.labour_rates {
            m.set_labour_rate(
                &r.tenant,
                r.year,
                r.team.as_deref(),
                r.grade.as_deref(),
                r.rate,
            )?;
        }
        for (i, r) in doc.vehicle_rates.into_iter().enumerate() {
            match (r.vehicle, r.category) {
                (Some(v), None) => {
                    m.set_vehicle_rate(&v, r.year, r.unit, r.rate)?;
                    let owner = m.latest_owner(m.asset_id(&v)?);
                    if m.tenant_code(owner) != r.tenant {
                        return Err(bad_record(
                            "vehicle_rates",
                            i,
                            format!("vehicle {v:?} does not belong to {:?}", r.tenant),
                        ));
                    }
                }
                (None, Some(c)) => m.set_category_rate(&r.tenant, &c, r.year, r.unit, r.rate)?,
                _ => {
                    return Err(bad_record(
                        "vehicle_rates",
                        i,
                        "give either a vehicle or a category",
                    ))
                }
            }
        }
        for s in doc.stores {
            m.add_store(&s.code, &s.tenant, &s.name)?;
        }
        for it in doc.items {
            m.add_item(it)?;
        }
        for (i, st) in doc.stock.into_iter().enumerate() {
            let key = (m.store_id(&st.store)?, m.item_id(&st.item)?);
            if st.quantity < Decimal::ZERO
                || st.cmup < Decimal::ZERO
                || st.cmup.scale() > crate::stock::CMUP_DECIMALS
            {
                return Err(bad_record(
                    "stock",
                    i,
                    "quantity and CMUP must be non-negative, CMUP with at most 4 decimals",
                ));
            }
            if !m.stock.restore_recorded_level(
                key.0,
                key.1,
                StockLevel {
                    quantity: st.quantity,
                    cmup: crate::stock::round_cmup(st.cmup),
                    first_receipt: st
                        .first_receipt
                        .map(|d| crate::period::check_date("first_receipt", d))
                        .transpose()?,
                },
            ) {
                return Err(bad_record("stock", i, "this store and item appear twice"));
            }
        }
        for (i, x) in doc.stock_issues.into_iter().enumerate() {
            let (store, item) = (m.store_id(&x.store)?, m.item_id(&x.item)?);
            crate::period::check_date("date", x.date)?;
            crate::stock::check_quantity("quantity issued", x.quantity)?;
            if x.cmup < Decimal::ZERO
                || x.cmup.scale() > crate::stock::CMUP_DECIMALS
                || x.quantity
                    .checked_mul(x.cmup)
                    .map(crate::money::round_cents)
                    != Some(x.value)
            {
                return Err(bad_record(
                    "stock_issues",
                    i,
                    "the value must be quantity × CMUP (4 decimals) to the cent",
                ));
            }
            let service = match &x.service {
                Some(r) => Some(m.service_id(&r.tenant, &r.service)?),
                None => None,
            };
            m.stock.push_recorded_issue(crate::stock::StockIssue {
                store,
                item,
                date: x.date,
                quantity: x.quantity,
                cmup: x.cmup,
                value: x.value,
                reason: x.reason,
                agent: x.agent,
                service,
                note: x.note,
            });
        }
        for (i, r) in doc.requests.into_iter().enumerate() {
            let id = m.receive_request(NewRequest {
                code: r.code,
                origin: r.origin,
                category: r.category,
                description: r.description,
                tenant: r.tenant,
                service: r.service,
                asset: r.asset,
                address: r.address,
                location: r.location,
                received: r.received,
            })?;
            let mut last = r.received;
            for c in r.history {
                if c.at < last {
                    return Err(bad_record(
                        "requests",
                        i,
                        "status changes are not in time order",
                    ));
                }
                last = c.at;
                m.requests.push_recorded_change(
                    id,
                    StatusChange {
                        at: c.at,
                        status: c.status,
                        note: c.note,
                    },
                );
            }
        }
        m.restore_catalogue(doc.request_catalogue)?;
        for (i, w) in doc.work_orders.into_iter().enumerate() {
            let id = m.create_work_order(NewWorkOrder {
                code: w.code,
                title: w.title,
                asset: w.asset,
                performer: w.performer,
                service: w.service,
                requests: w.requests,
                tags: w.tags,
                association: w.association,
                planned_on: w.planned_on,
            })?;
            let mut status = WorkOrderStatus::Planned;
            let mut last: Option<DateTime<Utc>> = None;
            for c in w.history {
                if !status.next().contains(&c.status) || last.is_some_and(|l| c.at < l) {
                    return Err(bad_record(
                        "work_orders",
                        i,
                        format!(
                            "status history is not a valid lifecycle at {} ({})",
                            c.at, c.status
                        ),
                    ));
                }
                status = c.status;
                last = Some(c.at);
                m.work_orders
                    .set_status(id, c.status, c.at, c.note.as_deref());
            }
        }
        for (i, l) in doc.cost_lines.into_iter().enumerate() {
            m.restore_cost_line(i, l)?;
        }
        install(&mut m)?;
        for a in doc.agreements {
            m.add_agreement(a)?;
        }
        for p in doc.pooled_services {
            let code = p.code.clone();
            m.add_pooled_service(NewPooledService {
                code: p.code,
                provider: p.provider,
                services: p.services,
                period: p.period,
                key: p.key,
                legal_basis: p.legal_basis,
            })?;
            for a in p.advances {
                m.record_advance(&code, a.year, &a.member, a.amount)?;
            }
        }
        for (i, l) in doc.loans.into_iter().enumerate() {
            let code = l.code.clone();
            m.lend_vehicle(NewLoan {
                code: l.code,
                vehicle: l.vehicle,
                borrower: l.borrower,
                period: l.period,
                unit: l.unit,
            })?;
            let idx = m.loans().len() - 1;
            for u in l.uses {
                crate::stock::check_quantity("loan use", u.quantity)?;
                if !m.loans()[idx].period.contains(u.date)
                    || u.amount != crate::money::round_cents(u.quantity * u.rate)
                {
                    return Err(bad_record(
                        "loans",
                        i,
                        format!("a use of {code} is outside the loan or does not add up"),
                    ));
                }
                m.agreements.push_recorded_loan_use(
                    idx,
                    LoanUse {
                        date: u.date,
                        quantity: u.quantity,
                        rate: u.rate,
                        amount: u.amount,
                    },
                );
            }
        }
        for b in doc.budgets {
            m.add_budget(&b.tenant, b.year, b.basis, b.policy)?;
            for l in b.lines {
                let add = match l.direction {
                    LineDirection::Expense => Mutualis::add_budget_line,
                    LineDirection::Revenue => Mutualis::add_revenue_line,
                };
                add(
                    &mut m,
                    &b.tenant,
                    b.year,
                    &l.code,
                    l.service.as_deref(),
                    &l.account,
                    l.voted,
                )?;
                for a in l.amendments {
                    m.amend_budget_line(&b.tenant, b.year, &l.code, a.amount, &a.label)?;
                }
                for c in l.commitments {
                    m.commit_budget(
                        &b.tenant,
                        b.year,
                        &l.code,
                        &c.code,
                        c.amount,
                        c.work_order.as_deref(),
                    )?;
                }
            }
        }
        for a in doc.budget_assignments {
            m.assign_budget_line(&a.work_order, &a.tenant, &a.line)?;
        }
        for r in doc.rbf_rules {
            m.set_rbf_rules(
                &r.tenant,
                RbfRules {
                    carry_over: r.carry_over,
                    lapse_after_years: r.lapse_after_years,
                    reference: r.reference,
                },
            )?;
        }
        for o in doc.operations {
            let (code, work_orders) = (o.code.clone(), o.work_orders);
            m.add_operation(NewOperation {
                code: o.code,
                tenant: o.tenant,
                title: o.title,
                work_type: o.work_type,
                assets: o.assets,
                priority: o.priority,
                estimated_cost: o.estimated_cost,
                earliest_year: o.earliest_year,
                profile: o.profile,
                depends_on: o.depends_on,
            })?;
            for w in work_orders {
                m.link_work_order(&code, &w)?;
            }
        }
        for (i, a) in doc.aps.into_iter().enumerate() {
            // vote with the restored schedule + paid, then set the state as recorded
            m.vote_ap(NewAp {
                code: a.code.clone(),
                tenant: a.tenant.clone(),
                title: a.title.clone(),
                year: a.voted_year,
                amount: a.voted,
                schedule: vec![(a.voted_year, a.voted)],
                operations: a.operations.clone(),
            })?;
            let idx = m.aps().len() - 1;
            for v in a.schedule.values().chain(a.paid.values()) {
                to_cents(*v)?;
            }
            let mut ap = m.aps()[idx].clone();
            ap.amount = a.amount;
            ap.schedule = a.schedule;
            ap.paid = a.paid;
            ap.closed_through = a.closed_through;
            ap.lapsed = a.lapsed;
            ap.revisions = a
                .revisions
                .into_iter()
                .map(|r| ApRevision {
                    year: r.year,
                    from: r.from,
                    to: r.to,
                    reason: r.reason,
                })
                .collect();
            if !ap.invariant_holds() || ap.schedule.keys().any(|y| ap.is_closed(*y)) {
                return Err(bad_record(
                    "aps",
                    i,
                    "closed-year payments plus open-year CP do not equal the AP",
                ));
            }
            m.planning.restore_ap(idx, ap);
        }
        for (i, w) in doc.budget_warnings.into_iter().enumerate() {
            let (b, _) = m.budget_line_of(&w.tenant, w.year, &w.line)?;
            m.work_order_id(&w.work_order)?;
            if m.budgets()[b].policy != crate::budget::OverrunPolicy::Warn {
                return Err(bad_record(
                    "budget_warnings",
                    i,
                    "a warning on a budget that refuses overruns",
                ));
            }
            m.budgets.extend_warnings([crate::budget::BudgetWarning {
                tenant: w.tenant,
                year: w.year,
                line: w.line,
                work_order: w.work_order,
                amount: w.amount,
                remaining: w.remaining,
            }]);
        }
        for p in doc.principals {
            m.add_principal(p)?;
        }
        for r in doc.roles {
            m.add_role(&r.code, &r.name, &r.permissions)?;
        }
        for g in doc.grants {
            m.grant(&g.principal, &g.role, &g.scope, Period::new(g.from, g.to)?)?;
        }
        m.restore_fleet(crate::fleet::FleetRecords {
            vehicles: doc.vehicles,
            meter_readings: doc.meter_readings,
            fuel_lines: doc.fuel_lines,
            inspections: doc.inspections,
            maintenance_plans: doc.maintenance_plans,
            vehicle_costs: doc.vehicle_costs,
        })?;
        m.restore_leases(crate::leases::LeaseRecords {
            parties: doc.parties,
            index_values: doc.index_values,
            leases: doc.leases,
            rent_revisions: doc.rent_revisions,
            lease_ends: doc.lease_ends,
            rent_receipts: doc.rent_receipts,
            lease_charges: doc.lease_charges,
        })?;
        m.restore_energy(doc.energy)?;
        m.restore_furniture(crate::furniture::FurnitureRecords {
            furniture: doc.furniture,
            furniture_moves: doc.furniture_moves,
            furniture_statuses: doc.furniture_statuses,
            furniture_conditions: doc.furniture_conditions,
            furniture_reforms: doc.furniture_reforms,
            inventory_campaigns: doc.inventory_campaigns,
            inventory_scans: doc.inventory_scans,
        })?;
        for a in doc.lease_budget_assignments {
            m.assign_lease_budget_line(&a.lease, &a.tenant, &a.line)?;
        }
        m.restore_workwear(crate::workwear::WorkwearRecords {
            agents: doc.agents,
            workwear_items: doc.workwear_items,
            allotments: doc.allotments,
            workwear_policies: doc.workwear_policies,
            workwear_budget_lines: doc.workwear_budget_lines,
            workwear_issues: doc.workwear_issues,
            workwear_returns: doc.workwear_returns,
        })?;
        m.muted = false;
        m.budgets_deferred = false;
        m.rebuild_budget_spending();
        m.journal.clear();
        Ok(m)
    }
}

/// The binary encoding of a dataset: the same records as the JSON format,
/// in MessagePack with field names (self-describing, so optional fields and
/// tagged enums read back exactly). It is the store's snapshot format: far
/// smaller and faster than JSON, streamed (no single text in memory), and
/// checked on load like a JSON document.
#[cfg(feature = "binary")]
impl Mutualis {
    /// Writes the dataset in the binary encoding to `out`.
    ///
    /// Errors: [`Error::Storage`] when `out` fails.
    pub fn write_msgpack(&self, out: &mut impl std::io::Write) -> Result<()> {
        rmp_serde::encode::write_named(out, &self.to_doc()).map_err(|e| Error::Storage {
            message: format!("cannot write the binary dataset: {e}"),
        })
    }

    /// The dataset in the binary encoding.
    #[must_use]
    pub fn to_msgpack(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // writing to a Vec cannot fail
        let _ = self.write_msgpack(&mut out);
        out
    }

    /// Reads a dataset in the binary encoding ([`Mutualis::write_msgpack`]).
    /// Unlike [`Mutualis::from_json`], the registry's journal starts empty:
    /// the binary encoding is a snapshot whose history lives elsewhere (the
    /// store's events); exchange datasets as JSON.
    ///
    /// Errors: [`Error::UnsupportedFormat`] (not a dataset, a newer version,
    /// undecodable bytes), or the error of the first invalid record.
    pub fn read_msgpack(input: impl std::io::Read) -> Result<Mutualis> {
        Mutualis::from_doc(read_msgpack_doc(input)?)
    }

    /// The binary encoding of every record except the work orders and cost
    /// lines (a columnar snapshot stores those as columns).
    pub(crate) fn write_msgpack_without_columns(
        &self,
        out: &mut impl std::io::Write,
    ) -> Result<()> {
        rmp_serde::encode::write_named(out, &self.to_doc_with(false)).map_err(|e| Error::Storage {
            message: format!("cannot write the binary dataset: {e}"),
        })
    }

    /// Reads records written by [`Mutualis::write_msgpack_without_columns`];
    /// `install` puts the work orders and cost lines in place, at the point
    /// of loading where the records would have restored them.
    ///
    /// Errors: as [`Mutualis::read_msgpack`], or `install`'s.
    pub(crate) fn read_msgpack_with(
        input: impl std::io::Read,
        install: impl FnOnce(&mut Mutualis) -> Result<()>,
    ) -> Result<Mutualis> {
        Mutualis::from_doc_with(read_msgpack_doc(input)?, install)
    }
}

/// Decodes a binary dataset and checks its format and version.
#[cfg(feature = "binary")]
fn read_msgpack_doc(input: impl std::io::Read) -> Result<DatasetV1> {
    const SUPPORTED: &str = "format \"mutualis\" versions 1 to 4";
    let doc: DatasetV1 = rmp_serde::from_read(input).map_err(|e| Error::UnsupportedFormat {
        format: format!("undecodable binary dataset ({e})"),
        version: 0,
        supported: SUPPORTED,
    })?;
    if doc.format != FORMAT_NAME || doc.version == 0 || doc.version > FORMAT_VERSION {
        return Err(Error::UnsupportedFormat {
            format: doc.format,
            version: doc.version,
            supported: SUPPORTED,
        });
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_formats_and_versions() {
        let newer = format!(
            r#"{{"format":"mutualis","version":{},"tenants":[]}}"#,
            FORMAT_VERSION + 1
        );
        assert!(matches!(
            Mutualis::from_json(&newer),
            Err(Error::UnsupportedFormat { version, .. }) if version == FORMAT_VERSION + 1
        ));
        let other = r#"{"format":"geojson","version":1}"#;
        assert!(matches!(
            Mutualis::from_json(other),
            Err(Error::UnsupportedFormat { .. })
        ));
        let missing = r#"{"tenants":[]}"#;
        assert!(matches!(
            Mutualis::from_json(missing),
            Err(Error::UnsupportedFormat { version: 0, .. })
        ));
        let broken = "{\"format\":\"mutualis\",\n\"version\":1,";
        assert!(matches!(
            Mutualis::from_json(broken),
            Err(Error::InvalidJson { line: 2, .. })
        ));
        let typo = r#"{"format":"mutualis","version":1,"tenant":[]}"#;
        assert!(
            matches!(Mutualis::from_json(typo), Err(Error::InvalidJson { message, .. }) if message.contains("unknown field"))
        );
        let bad_siren = r#"{"format":"mutualis","version":1,"tenants":[{"code":"X","name":"X","kind":"syndicat","siren":"123456789"}]}"#;
        assert!(matches!(
            Mutualis::from_json(bad_siren),
            Err(Error::InvalidSiren { .. })
        ));
        let bad_kind = r#"{"format":"mutualis","version":1,"tenants":[{"code":"X","name":"X","kind":"village","siren":"200035731"}]}"#;
        assert!(matches!(
            Mutualis::from_json(bad_kind),
            Err(Error::InvalidJson { .. })
        ));
    }

    #[test]
    fn parent_declared_after_child_loads() {
        let json = r#"{"format":"mutualis","version":1,
          "tenants":[{"code":"R","name":"R","kind":"commune","siren":"214218703","insee":"42187"}],
          "assets":[{"code":"ROOM","name":"Salle","kind":"room","parent":"B","owner":"R","commissioned":"2000-01-01"},
                    {"code":"B","name":"Bât","kind":"building","owner":"R","commissioned":"2000-01-01"}]}"#;
        let m = Mutualis::from_json(json).unwrap();
        assert_eq!(
            m.asset("ROOM").unwrap().parent,
            Some(m.asset_id("B").unwrap())
        );
        let cyclic = json.replace(
            r#""owner":"R","commissioned":"2000-01-01"}]"#,
            r#""parent":"ROOM","owner":"R","commissioned":"2000-01-01"}]"#,
        );
        assert!(matches!(
            Mutualis::from_json(&cyclic),
            Err(Error::AssetCycle { .. })
        ));
    }
}
