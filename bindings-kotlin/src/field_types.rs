//! Enums and records of the field flow (requests, work orders, stock, cost
//! lines, journal), mirrored from the core. Like `types.rs`, records refer to
//! entities by human codes; conversions that need the registry to turn dense
//! ids into codes live in `field.rs`.

use std::time::Duration;

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::types::VatRate;
use crate::UtcDateTime;

mirror_enum! {
    /// Where a request (demande d'intervention) comes from.
    pub enum RequestOrigin mirrors mx::RequestOrigin, "request origin" {
        /// The citizen portal (web or app).
        CitizenPortal,
        /// A neighbourhood council (conseil de quartier).
        NeighbourhoodCouncil,
        /// An agent of a tenant.
        Agent,
        /// An elected official.
        ElectedOfficial,
        /// Telephone.
        Phone,
        /// E-mail or letter.
        Mail,
    }
}

mirror_enum! {
    /// Status of a request: Open311 GeoReport v2 `open`/`closed` with the
    /// common detail values. `open311()` gives the two-valued Open311 status.
    pub enum RequestStatus mirrors mx::RequestStatus, "request status" {
        /// Received, not yet handled (Open311 open).
        Open,
        /// Being looked at (open).
        Investigating,
        /// Work in progress (open).
        InProgress,
        /// Work scheduled (open).
        ActionScheduled,
        /// Passed to another service or tenant (open).
        InternalReferral,
        /// Fixed (closed).
        Fixed,
        /// Duplicate of another request (closed).
        Duplicate,
        /// Not the responsibility of any tenant of the group (closed).
        NotCouncilsResponsibility,
        /// Closed without action (closed).
        NoFurtherAction,
        /// Closed, without detail (closed).
        Closed,
    }
}

#[uniffi::export]
impl RequestStatus {
    /// The Open311 GeoReport v2 `status` of this detailed status: `"open"` or `"closed"`.
    pub fn open311(&self) -> String {
        mx::RequestStatus::from(*self).open311().to_owned()
    }

    /// True for the closed statuses (`FIXED`, `DUPLICATE`,
    /// `NOT_COUNCILS_RESPONSIBILITY`, `NO_FURTHER_ACTION`, `CLOSED`); a closed
    /// request can only be reopened (back to `OPEN`).
    pub fn is_closed(&self) -> bool {
        mx::RequestStatus::from(*self).is_closed()
    }
}

mirror_enum! {
    /// Lifecycle status of a work order: `PLANNED → SCHEDULED → IN_PROGRESS →
    /// DONE → CLOSED`, `CANCELLED` reachable before `DONE`, `DONE` reopenable
    /// to `IN_PROGRESS`; `next()` lists the allowed moves.
    pub enum WorkOrderStatus mirrors mx::WorkOrderStatus, "work order status" {
        /// Created, not yet scheduled.
        Planned,
        /// Given a date and a team.
        Scheduled,
        /// Work started: cost lines may be recorded.
        InProgress,
        /// Work finished; late invoices may still be recorded.
        Done,
        /// Closed: no more cost lines.
        Closed,
        /// Cancelled.
        Cancelled,
    }
}

#[uniffi::export]
impl WorkOrderStatus {
    /// The statuses this one may move to (empty for `CLOSED` and `CANCELLED`).
    pub fn next(&self) -> Vec<WorkOrderStatus> {
        mx::WorkOrderStatus::from(*self)
            .next()
            .iter()
            .filter_map(|s| WorkOrderStatus::try_from(*s).ok())
            .collect()
    }

    /// True when cost lines may be recorded (`IN_PROGRESS` or `DONE`).
    pub fn accepts_costs(&self) -> bool {
        mx::WorkOrderStatus::from(*self).accepts_costs()
    }
}

mirror_enum! {
    /// Nature of a cost line (DOMAIN §4–5).
    pub enum CostNature mirrors mx::CostNature, "cost nature" {
        /// Régie labour: hours × agents × the team tenant's hourly rate.
        Labour,
        /// Material issued from a store at CMUP.
        Material,
        /// Vehicle or equipment use at its rate.
        Vehicle,
        /// External supplier invoice line (HT + VAT).
        External,
        /// An energy supplier's invoice of a meter (never a work order's
        /// line: it enters the ledger from the energy register).
        Energy,
    }
}

mirror_enum! {
    /// The unit a vehicle or equipment is charged by.
    pub enum UsageUnit mirrors mx::UsageUnit, "usage unit" {
        /// Per hour of use.
        Hour,
        /// Per day of use.
        Day,
        /// Per kilometre.
        Km,
    }
}

/// The stock of one item in one store, valued at CMUP (DOMAIN §5).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StockLevel {
    /// Quantity on hand.
    pub quantity: Decimal,
    /// Current weighted average unit cost, 4 decimals; zero when nothing was ever received.
    pub cmup: Decimal,
    /// Value on hand, quantity × CMUP rounded to the cent.
    pub value: Decimal,
    /// Date of the first receipt (null: nothing received yet); material
    /// cannot be issued before it.
    pub first_receipt: Option<NaiveDate>,
}

impl From<mx::StockLevel> for StockLevel {
    fn from(l: mx::StockLevel) -> Self {
        StockLevel {
            quantity: l.quantity,
            cmup: l.cmup,
            value: l.value(),
            first_receipt: l.first_receipt,
        }
    }
}

/// What is needed to issue stock outside a work order (`issueStock`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewStockIssue {
    /// Store code.
    pub store: String,
    /// Item code.
    pub item: String,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Quantity issued (> 0).
    pub quantity: Decimal,
    /// Why.
    pub reason: crate::types::IssueReason,
    /// The agent who received it (issues to an agent).
    #[uniffi(default = None)]
    pub agent: Option<String>,
    /// Tenant of the service that received it (issues to a service, with `service`).
    #[uniffi(default = None)]
    pub service_tenant: Option<String>,
    /// The service that received it (issues to a service, with `serviceTenant`).
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Free note (inventory reference, what was lost…).
    #[uniffi(default = None)]
    pub note: Option<String>,
}

impl TryFrom<NewStockIssue> for mx::NewStockIssue {
    type Error = MutualisError;
    fn try_from(i: NewStockIssue) -> Result<Self, MutualisError> {
        let service = match (i.service_tenant, i.service) {
            (Some(tenant), Some(service)) => Some(mx::ServiceRef { tenant, service }),
            (None, None) => None,
            _ => {
                return Err(mx::Error::InvalidField {
                    field: "service",
                    reason: "serviceTenant and service go together".into(),
                }
                .into())
            }
        };
        Ok(mx::NewStockIssue {
            store: i.store,
            item: i.item,
            date: i.date,
            quantity: i.quantity,
            reason: i.reason.into(),
            agent: i.agent,
            service,
            note: i.note,
        })
    }
}

/// An issue of stock outside a work order, valued at the CMUP of the day.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StockIssue {
    /// Store code.
    pub store: String,
    /// Item code.
    pub item: String,
    /// Day of the issue.
    pub date: NaiveDate,
    /// Quantity issued.
    pub quantity: Decimal,
    /// CMUP applied, 4 decimals.
    pub cmup: Decimal,
    /// quantity × CMUP, to the cent.
    pub value: Decimal,
    /// Why.
    pub reason: crate::types::IssueReason,
    /// The agent who received it.
    pub agent: Option<String>,
    /// Tenant of the service that received it.
    pub service_tenant: Option<String>,
    /// The service that received it.
    pub service: Option<String>,
    /// Free note.
    pub note: Option<String>,
}

/// The Kotlin record of a core issue (codes for ids).
pub(crate) fn stock_issue_rec(
    m: &mx::Mutualis,
    i: &mx::StockIssue,
) -> Result<StockIssue, MutualisError> {
    let service = i.service.map(|s| m.service_codes(s));
    Ok(StockIssue {
        store: m.store_code(i.store).to_owned(),
        item: m.item_code(i.item).to_owned(),
        date: i.date,
        quantity: i.quantity,
        cmup: i.cmup,
        value: i.value,
        reason: i.reason.try_into()?,
        agent: i.agent.clone(),
        service_tenant: service.map(|(t, _)| t.to_owned()),
        service: service.map(|(_, s)| s.to_owned()),
        note: i.note.clone(),
    })
}

/// What is needed to record a request. `service`, `asset`, `address` and the
/// coordinates are optional (use named arguments); `lat` and `lon` go together.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewRequest {
    /// Human code, unique (e.g. the portal's id "DI-2026-00042").
    pub code: String,
    /// Where it comes from.
    pub origin: RequestOrigin,
    /// Category (Open311 `service_code`: "eclairage", "nid-de-poule"…).
    pub category: String,
    /// What is asked.
    pub description: String,
    /// Code of the competent tenant it is routed to.
    pub tenant: String,
    /// When it was received.
    pub received: UtcDateTime,
    /// Code of the competent service of `tenant`, if known.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Code of the asset concerned, if known.
    #[uniffi(default = None)]
    pub asset: Option<String>,
    /// Postal address, if given.
    #[uniffi(default = None)]
    pub address: Option<String>,
    /// Latitude (WGS 84 degrees, −90 to 90); given together with `lon`.
    #[uniffi(default = None)]
    pub lat: Option<f64>,
    /// Longitude (WGS 84 degrees, −180 to 180); given together with `lat`.
    #[uniffi(default = None)]
    pub lon: Option<f64>,
}

impl TryFrom<NewRequest> for mx::NewRequest {
    type Error = MutualisError;

    /// Fails with `InvalidField` when only one of `lat` and `lon` is given.
    fn try_from(r: NewRequest) -> Result<Self, MutualisError> {
        let location = match (r.lat, r.lon) {
            (Some(lat), Some(lon)) => Some(mx::GeoPoint { lat, lon }),
            (None, None) => None,
            _ => {
                return Err(mx::Error::InvalidField {
                    field: "location",
                    reason: "give both lat and lon, or neither".to_owned(),
                }
                .into())
            }
        };
        Ok(mx::NewRequest {
            code: r.code,
            origin: r.origin.into(),
            category: r.category,
            description: r.description,
            tenant: r.tenant,
            service: r.service,
            asset: r.asset,
            address: r.address,
            location,
            received: r.received,
        })
    }
}

/// A status change of a request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatusChange {
    /// When.
    pub at: UtcDateTime,
    /// The new status.
    pub status: RequestStatus,
    /// Comment, if any (a routing records "routed to TENANT / SERVICE").
    pub note: Option<String>,
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Request {
    /// Human code.
    pub code: String,
    /// Where it came from.
    pub origin: RequestOrigin,
    /// Category (Open311 `service_code`).
    pub category: String,
    /// What is asked.
    pub description: String,
    /// Code of the competent tenant (changes when the request is routed).
    pub tenant: String,
    /// Code of the competent service of `tenant`, if any.
    pub service: Option<String>,
    /// Code of the asset concerned, if any.
    pub asset: Option<String>,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Latitude (WGS 84), if given.
    pub lat: Option<f64>,
    /// Longitude (WGS 84), if given.
    pub lon: Option<f64>,
    /// When it was received.
    pub received: UtcDateTime,
    /// Current status (`status.open311()` gives "open" or "closed").
    pub status: RequestStatus,
    /// Status changes after reception, oldest first.
    pub history: Vec<StatusChange>,
}

/// Delays of a request, exact to the nanosecond (`java.time.Duration`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestDelays {
    /// From reception to the first status change; null while there is none.
    pub to_first_response: Option<Duration>,
    /// From reception to the first closing status; null while never closed.
    pub to_closure: Option<Duration>,
}

impl TryFrom<mx::RequestDelays> for RequestDelays {
    type Error = MutualisError;
    fn try_from(d: mx::RequestDelays) -> Result<Self, MutualisError> {
        // Status changes are never earlier than the reception (the core
        // refuses them), so a delay is never negative.
        let std = |d: chrono::Duration| {
            d.to_std().map_err(|_| {
                MutualisError::Internal(format!("negative request delay {d} from the core"))
            })
        };
        Ok(RequestDelays {
            to_first_response: d.to_first_response.map(std).transpose()?,
            to_closure: d.to_closure.map(std).transpose()?,
        })
    }
}

/// What is needed to create a work order. Exactly one of `team` (a régie
/// team) and `supplier` performs it; the rest is optional (named arguments).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewWorkOrder {
    /// Human code, unique ("BT-2026-0142").
    pub code: String,
    /// What is to be done.
    pub title: String,
    /// Code of the asset worked on.
    pub asset: String,
    /// Code of the régie team doing it (or give `supplier`).
    #[uniffi(default = None)]
    pub team: Option<String>,
    /// Code of the supplier doing it (or give `team`).
    #[uniffi(default = None)]
    pub supplier: Option<String>,
    /// Tenant code of the ordering service (cost centre); given together with `service`.
    #[uniffi(default = None)]
    pub service_tenant: Option<String>,
    /// Code of the ordering service within `serviceTenant`.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Codes of the requests it answers.
    #[uniffi(default)]
    pub requests: Vec<String>,
    /// Event tags ("14-juillet-2026"), for `costByTag`.
    #[uniffi(default)]
    pub tags: Vec<String>,
    /// Beneficiary association (aide en nature), for `costByAssociation`.
    #[uniffi(default = None)]
    pub association: Option<String>,
    /// Planned day, if any.
    #[uniffi(default = None)]
    pub planned_on: Option<NaiveDate>,
}

impl TryFrom<NewWorkOrder> for mx::NewWorkOrder {
    type Error = MutualisError;

    /// Fails with `InvalidField` unless exactly one of `team` and `supplier`
    /// is given, or when only one of `serviceTenant` and `service` is.
    fn try_from(w: NewWorkOrder) -> Result<Self, MutualisError> {
        let invalid = |field: &'static str, reason: &str| -> MutualisError {
            mx::Error::InvalidField {
                field,
                reason: reason.to_owned(),
            }
            .into()
        };
        let performer = match (w.team, w.supplier) {
            (Some(t), None) => mx::Performer::Team(t),
            (None, Some(s)) => mx::Performer::Supplier(s),
            _ => {
                return Err(invalid(
                    "performer",
                    "give exactly one of team and supplier",
                ))
            }
        };
        let service = match (w.service_tenant, w.service) {
            (Some(tenant), Some(service)) => Some(mx::ServiceRef { tenant, service }),
            (None, None) => None,
            _ => {
                return Err(invalid(
                    "service",
                    "give both serviceTenant and service, or neither",
                ))
            }
        };
        Ok(mx::NewWorkOrder {
            code: w.code,
            title: w.title,
            asset: w.asset,
            performer,
            service,
            requests: w.requests,
            tags: w.tags,
            association: w.association,
            planned_on: w.planned_on,
        })
    }
}

/// A status change of a work order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkOrderStatusChange {
    /// When.
    pub at: UtcDateTime,
    /// The new status.
    pub status: WorkOrderStatus,
}

/// A work order (bon de travaux) as recorded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkOrder {
    /// Human code.
    pub code: String,
    /// What is to be done.
    pub title: String,
    /// Code of the asset worked on.
    pub asset: String,
    /// Code of the régie team doing it (null when a supplier does).
    pub team: Option<String>,
    /// Code of the supplier doing it (null when a régie team does).
    pub supplier: Option<String>,
    /// Tenant code of the ordering service, if any.
    pub service_tenant: Option<String>,
    /// Code of the ordering service, if any.
    pub service: Option<String>,
    /// Codes of the requests it answers.
    pub requests: Vec<String>,
    /// Event tags.
    pub tags: Vec<String>,
    /// Beneficiary association, if any.
    pub association: Option<String>,
    /// Planned day, if any.
    pub planned_on: Option<NaiveDate>,
    /// Current status.
    pub status: WorkOrderStatus,
    /// Status changes, oldest first.
    pub history: Vec<WorkOrderStatusChange>,
    /// Number of cost lines recorded on it.
    pub line_count: u64,
}

/// A recorded cost line, rounded to the cent. Régie lines (labour, material,
/// vehicle) carry no VAT (HT = TTC); the provider fields that apply to the
/// nature are set, the others are null.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CostLine {
    /// Code of the work order.
    pub work_order: String,
    /// Day the cost was incurred.
    pub date: NaiveDate,
    /// Nature.
    pub nature: CostNature,
    /// Tenant whose régie provided the resource (team, store or vehicle
    /// owner); null for a supplier line.
    pub provider_tenant: Option<String>,
    /// Régie team (labour).
    pub team: Option<String>,
    /// Store (material).
    pub store: Option<String>,
    /// Catalogue item (material).
    pub item: Option<String>,
    /// Vehicle asset (vehicle).
    pub vehicle: Option<String>,
    /// Unit charged (vehicle).
    pub unit: Option<UsageUnit>,
    /// Supplier (external).
    pub supplier: Option<String>,
    /// Description ("main d'œuvre 2 × 4 h", the item name, the invoice label).
    pub description: String,
    /// Quantity (hours × agents, item units, km…; 1 for an external line).
    pub quantity: Decimal,
    /// Unit cost (hourly rate, CMUP, vehicle rate; HT for an external line).
    pub unit_cost: Decimal,
    /// Amount HT, to the cent.
    pub ht: Decimal,
    /// VAT rate (external lines only).
    pub vat_rate: Option<VatRate>,
    /// VAT, to the cent (0.00 for régie lines).
    pub vat: Decimal,
    /// Amount TTC, to the cent.
    pub ttc: Decimal,
}

/// HT, VAT and TTC amounts, each to the cent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Amounts {
    /// Hors taxes.
    pub ht: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Toutes taxes comprises.
    pub ttc: Decimal,
}

impl From<mx::Amounts> for Amounts {
    fn from(a: mx::Amounts) -> Self {
        Amounts {
            ht: a.ht,
            vat: a.vat,
            ttc: a.ttc,
        }
    }
}

/// Totals by nature and overall; every total is a sum of lines already
/// rounded to the cent, so the parts always add up to `total`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CostSummary {
    /// Régie labour.
    pub labour: Amounts,
    /// Material from stores.
    pub material: Amounts,
    /// Vehicle and equipment use.
    pub vehicle: Amounts,
    /// External invoices.
    pub external: Amounts,
    /// Energy invoices of meters.
    pub energy: Amounts,
    /// All natures.
    pub total: Amounts,
    /// Number of lines.
    pub lines: u64,
}

impl From<mx::CostSummary> for CostSummary {
    fn from(s: mx::CostSummary) -> Self {
        CostSummary {
            labour: s.labour.into(),
            material: s.material.into(),
            vehicle: s.vehicle.into(),
            external: s.external.into(),
            energy: s.energy.into(),
            total: s.total.into(),
            lines: s.lines as u64,
        }
    }
}

/// What one tenant is charged (DOMAIN §4: the payers on each line's date).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Charge {
    /// Code of the paying tenant.
    pub tenant: String,
    /// Its amounts.
    pub amounts: Amounts,
}

/// Interventions and external spending of a supplier.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupplierActivity {
    /// Work orders with at least one line of the supplier in the period.
    pub interventions: u64,
    /// The supplier's external lines.
    pub cost: CostSummary,
}

/// One cost line to record in bulk (`recordCosts`): the same four natures
/// as `recordLabour`, `recordMaterial`, `recordVehicle` and `recordExternal`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CostEntry {
    /// Régie labour: `hours` per agent × `agents`, at the team tenant's rate.
    Labour {
        /// Work order code.
        work_order: String,
        /// Day the work was done.
        on: NaiveDate,
        /// Hours per agent (> 0).
        hours: Decimal,
        /// Number of agents (≥ 1).
        #[uniffi(default = 1)]
        agents: u32,
        /// Team, if not the work order's own (required on a supplier's work order).
        #[uniffi(default = None)]
        team: Option<String>,
        /// Grade, for grade-specific rates.
        #[uniffi(default = None)]
        grade: Option<String>,
    },
    /// Material issued from a store at CMUP.
    Material {
        /// Work order code.
        work_order: String,
        /// Day of issue.
        on: NaiveDate,
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Quantity (> 0, at most the quantity on hand).
        quantity: Decimal,
    },
    /// Vehicle or equipment use at its rate.
    Vehicle {
        /// Work order code.
        work_order: String,
        /// Day of use.
        on: NaiveDate,
        /// Vehicle asset code.
        vehicle: String,
        /// Unit charged.
        unit: UsageUnit,
        /// Quantity (> 0).
        quantity: Decimal,
    },
    /// External supplier invoice line.
    External {
        /// Work order code.
        work_order: String,
        /// Day the cost was incurred.
        on: NaiveDate,
        /// What was bought.
        description: String,
        /// Amount HT, whole cents; negative for a credit note, never zero.
        ht: Decimal,
        /// VAT rate in force.
        vat_rate: VatRate,
        /// Supplier, if not the work order's own (required on a régie work order).
        #[uniffi(default = None)]
        supplier: Option<String>,
    },
}

impl From<CostEntry> for (String, mx::CostInput) {
    fn from(e: CostEntry) -> Self {
        match e {
            CostEntry::Labour {
                work_order,
                on,
                hours,
                agents,
                team,
                grade,
            } => (
                work_order,
                mx::CostInput::Labour {
                    date: on,
                    hours,
                    agents,
                    team,
                    grade,
                },
            ),
            CostEntry::Material {
                work_order,
                on,
                store,
                item,
                quantity,
            } => (
                work_order,
                mx::CostInput::material(on, &store, &item, quantity),
            ),
            CostEntry::Vehicle {
                work_order,
                on,
                vehicle,
                unit,
                quantity,
            } => (
                work_order,
                mx::CostInput::vehicle(on, &vehicle, unit.into(), quantity),
            ),
            CostEntry::External {
                work_order,
                on,
                description,
                ht,
                vat_rate,
                supplier,
            } => (
                work_order,
                mx::CostInput::External {
                    date: on,
                    supplier,
                    description,
                    ht,
                    vat_rate: vat_rate.into(),
                },
            ),
        }
    }
}

/// Told how far a bulk recording (`recordCosts`) has gone. Implement it in
/// Kotlin (e.g. to move a progress bar); it is called on the thread that
/// called `recordCosts`, while the registry is locked: it must not call the
/// registry back (that would deadlock) — post to the UI thread instead.
#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    /// `done` of `total` lines checked and recorded so far: every 1 024 lines
    /// and once at the end (`done == total`) when the whole batch succeeds.
    /// Return `true` to go on, `false` to stop the batch: nothing is then
    /// recorded and `recordCosts` throws `Cancelled`.
    fn on_progress(&self, done: u64, total: u64) -> bool;
}

/// One recorded change of the journal (DOMAIN §8): who, when, for which
/// tenant, what.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JournalEntry {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// When it was recorded.
    pub at: UtcDateTime,
    /// Who recorded it (`setActor`: agent or device id).
    pub actor: String,
    /// Code of the tenant the change is for, if any.
    pub tenant: Option<String>,
    /// The event type, snake_case ("work_order_created", "cost_recorded"…).
    pub r#type: String,
    /// The event as a JSON object (the same object as in `journalJson()`).
    pub json: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Must;
    use uniffi::{Lift, Lower};

    #[test]
    fn enums_round_trip_through_the_core() {
        for s in mx::RequestOrigin::ALL {
            assert_eq!(
                mx::RequestOrigin::from(RequestOrigin::try_from(*s).must()),
                *s
            );
        }
        for s in mx::RequestStatus::ALL {
            let ours = RequestStatus::try_from(*s).must();
            assert_eq!(mx::RequestStatus::from(ours), *s);
            assert_eq!(ours.open311(), s.open311());
        }
        for s in mx::WorkOrderStatus::ALL {
            let ours = WorkOrderStatus::try_from(*s).must();
            assert_eq!(mx::WorkOrderStatus::from(ours), *s);
            assert_eq!(ours.next().len(), s.next().len());
        }
        for s in mx::CostNature::ALL {
            assert_eq!(mx::CostNature::from(CostNature::try_from(*s).must()), *s);
        }
        for s in mx::UsageUnit::ALL {
            assert_eq!(mx::UsageUnit::from(UsageUnit::try_from(*s).must()), *s);
        }
    }

    /// What Kotlin's `Instant.toString()` sends, lifted then lowered again.
    fn through_ffi(s: &str) -> Result<String, String> {
        let lowered = <String as Lower<crate::UniFfiTag>>::lower(s.to_owned());
        // UniFFI hands the `MutualisError` inside the lift error to Kotlin.
        let t = <UtcDateTime as Lift<crate::UniFfiTag>>::try_lift(lowered).map_err(|e| {
            e.downcast_ref::<MutualisError>()
                .map_or_else(|| e.to_string(), ToString::to_string)
        })?;
        let back = <UtcDateTime as Lower<crate::UniFfiTag>>::lower(t);
        <String as Lift<crate::UniFfiTag>>::try_lift(back).map_err(|e| e.to_string())
    }

    #[test]
    fn instants_round_trip_exactly() {
        for s in [
            "2026-03-12T07:00:00Z",
            "2026-03-12T07:00:00.123Z",
            "2026-03-12T07:00:00.123456Z",
            "2026-03-12T07:00:00.123456789Z",
            "1969-07-20T20:17:40.500Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            assert_eq!(through_ffi(s).as_deref(), Ok(s));
        }
        let err = through_ffi("+10000-01-01T00:00:00Z").unwrap_err();
        assert!(err.contains("invalid instant"), "{err}");
    }

    #[test]
    fn delays_become_std_durations() {
        let d = mx::RequestDelays {
            to_first_response: Some(chrono::Duration::milliseconds(90_061_001)),
            to_closure: None,
        };
        let ours = RequestDelays::try_from(d).must();
        assert_eq!(
            ours.to_first_response,
            Some(Duration::from_millis(90_061_001))
        );
        assert_eq!(ours.to_closure, None);
        let negative = mx::RequestDelays {
            to_first_response: Some(chrono::Duration::seconds(-1)),
            to_closure: None,
        };
        assert!(matches!(
            RequestDelays::try_from(negative),
            Err(MutualisError::Internal(_))
        ));
    }
}
