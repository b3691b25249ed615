//! Work orders (bons de travaux, interventions) and their cost lines.
//!
//! A work order is done on an asset, for zero or more requests, by a régie
//! team of a tenant or by a supplier. Its lifecycle is
//! `planned → scheduled → in_progress → done → closed`, with `cancelled`
//! reachable before `done`; `done` can be reopened to `in_progress`; other
//! moves are refused ([`Error::IllegalTransition`]).
//!
//! Cost lines are recorded while the order is `in_progress` or `done`, each
//! dated by the day the cost was incurred (not the order's date), within the
//! asset's life. Four natures (DOMAIN §4–5):
//! - **labour**: hours × agents × the hourly rate of the team's tenant for the
//!   line's year (see [`crate::rates`]);
//! - **material**: issued from a store at CMUP (see [`crate::stock`]);
//! - **vehicle**: hours, days or km × the vehicle's rate;
//! - **external**: a supplier invoice line HT with a VAT rate in force.
//!
//! Each line keeps its quantity, unit cost and amounts, rounded to the cent;
//! régie lines carry no VAT (HT = TTC).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::ServiceRef;
use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{
    AssetId, CostLineId, ItemId, RequestId, ServiceId, StoreId, SupplierId, TeamId, TenantId,
    WorkOrderId,
};
use crate::kinds::named_enum;
use crate::lines::NewLine;
use crate::money::{round_cents, to_cents, VatLine, VatRate};
use crate::orders::{NewOrder, WorkOrders};
use crate::rates::UsageUnit;
use crate::requests::StatusChange;
use crate::stock::check_quantity;
use crate::Mutualis;

pub mod events;
pub use events::WorkEvent;

named_enum! {
    /// Lifecycle status of a work order.
    pub enum WorkOrderStatus as "work order status" {
        /// Created, not yet scheduled.
        Planned = "planned",
        /// Given a date and a team.
        Scheduled = "scheduled",
        /// Work started.
        InProgress = "in_progress",
        /// Work finished; late invoices may still be recorded.
        Done = "done",
        /// Closed: no more cost lines.
        Closed = "closed",
        /// Cancelled.
        Cancelled = "cancelled",
    }
}

impl WorkOrderStatus {
    /// The statuses reachable from this one.
    #[must_use]
    pub fn next(self) -> &'static [WorkOrderStatus] {
        use WorkOrderStatus::*;
        match self {
            Planned => &[Scheduled, InProgress, Cancelled],
            Scheduled => &[Planned, InProgress, Cancelled],
            InProgress => &[Done, Cancelled],
            Done => &[Closed, InProgress],
            Closed | Cancelled => &[],
        }
    }

    /// True when cost lines may be recorded.
    #[must_use]
    pub fn accepts_costs(self) -> bool {
        matches!(self, WorkOrderStatus::InProgress | WorkOrderStatus::Done)
    }
}

named_enum! {
    /// Nature of a cost line.
    pub enum CostNature as "cost nature" {
        /// Régie labour.
        Labour = "labour",
        /// Material issued from a store.
        Material = "material",
        /// Vehicle or equipment use.
        Vehicle = "vehicle",
        /// External supplier invoice line.
        External = "external",
        /// An energy supplier's invoice of a meter (docs/energy.md): never a
        /// work order's line, it enters the ledger from the energy register.
        Energy = "energy",
    }
}

/// Who performs a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Performer {
    /// A régie team (code).
    Team(String),
    /// A supplier (code).
    Supplier(String),
}

/// Who performs a work order, by dense id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerformerId {
    /// A régie team.
    Team(TeamId),
    /// A supplier.
    Supplier(SupplierId),
}

/// What is needed to create a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWorkOrder {
    /// Human code, unique ("BT-2026-0142").
    pub code: String,
    /// What is to be done.
    pub title: String,
    /// The asset worked on.
    pub asset: String,
    /// Who does it.
    pub performer: Performer,
    /// The ordering service (cost centre), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Requests it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<String>,
    /// Event tags ("14-juillet-2026").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Beneficiary association (aide en nature), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<String>,
    /// Planned day, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_on: Option<NaiveDate>,
}

impl NewWorkOrder {
    /// A work order by a régie team.
    #[must_use]
    pub fn by_team(code: &str, title: &str, asset: &str, team: &str) -> NewWorkOrder {
        NewWorkOrder {
            code: code.into(),
            title: title.into(),
            asset: asset.into(),
            performer: Performer::Team(team.into()),
            service: None,
            requests: Vec::new(),
            tags: Vec::new(),
            association: None,
            planned_on: None,
        }
    }

    /// A work order by a supplier.
    #[must_use]
    pub fn by_supplier(code: &str, title: &str, asset: &str, supplier: &str) -> NewWorkOrder {
        NewWorkOrder {
            performer: Performer::Supplier(supplier.into()),
            ..NewWorkOrder::by_team(code, title, asset, "")
        }
    }

    /// Adds an event tag.
    #[must_use]
    pub fn tagged(mut self, tag: &str) -> NewWorkOrder {
        self.tags.push(tag.into());
        self
    }

    /// Links a request.
    #[must_use]
    pub fn for_request(mut self, request: &str) -> NewWorkOrder {
        self.requests.push(request.into());
        self
    }

    /// Sets the beneficiary association.
    #[must_use]
    pub fn for_association(mut self, association: &str) -> NewWorkOrder {
        self.association = Some(association.into());
        self
    }

    /// Sets the ordering service.
    #[must_use]
    pub fn ordered_by(mut self, tenant: &str, service: &str) -> NewWorkOrder {
        self.service = Some(ServiceRef {
            tenant: tenant.into(),
            service: service.into(),
        });
        self
    }
}

/// A work order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrder {
    /// Dense id.
    pub id: WorkOrderId,
    /// Human code.
    pub code: String,
    /// What is to be done.
    pub title: String,
    /// The asset worked on.
    pub asset: AssetId,
    /// Who does it.
    pub performer: PerformerId,
    /// Ordering service.
    pub service: Option<ServiceId>,
    /// Requests it answers.
    pub requests: Vec<RequestId>,
    /// Event tags.
    pub tags: Vec<String>,
    /// Beneficiary association.
    pub association: Option<String>,
    /// Planned day.
    pub planned_on: Option<NaiveDate>,
    /// Current status.
    pub status: WorkOrderStatus,
    /// Status changes, oldest first.
    pub history: Vec<StatusChange<WorkOrderStatus>>,
    /// Its cost lines, in recording order.
    pub lines: Vec<CostLineId>,
}

/// A cost to record on a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "nature", rename_all = "snake_case")]
pub enum CostInput {
    /// Régie labour: `hours` per agent × `agents`.
    Labour {
        /// Day the work was done.
        date: NaiveDate,
        /// Hours per agent (> 0).
        hours: Decimal,
        /// Number of agents (≥ 1).
        agents: u32,
        /// Team, if not the work order's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
        /// Grade, for grade-specific rates.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grade: Option<String>,
    },
    /// Material issued from a store at CMUP.
    Material {
        /// Day of issue.
        date: NaiveDate,
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Quantity (> 0).
        quantity: Decimal,
    },
    /// Vehicle or equipment use.
    Vehicle {
        /// Day of use.
        date: NaiveDate,
        /// Vehicle asset code.
        vehicle: String,
        /// Unit.
        unit: UsageUnit,
        /// Quantity (> 0).
        quantity: Decimal,
    },
    /// External supplier invoice line.
    External {
        /// Day the cost was incurred (invoice line date).
        date: NaiveDate,
        /// Supplier, if not the work order's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supplier: Option<String>,
        /// What was bought.
        description: String,
        /// Amount HT, whole cents; negative for a credit note, never zero.
        ht: Decimal,
        /// VAT rate.
        vat_rate: VatRate,
    },
}

impl CostInput {
    /// Labour of `agents` agents for `hours` each on `date`, at the work order team's rate.
    #[must_use]
    pub fn labour(date: NaiveDate, hours: Decimal, agents: u32) -> CostInput {
        CostInput::Labour {
            date,
            hours,
            agents,
            team: None,
            grade: None,
        }
    }

    /// Material issued from a store.
    #[must_use]
    pub fn material(date: NaiveDate, store: &str, item: &str, quantity: Decimal) -> CostInput {
        CostInput::Material {
            date,
            store: store.into(),
            item: item.into(),
            quantity,
        }
    }

    /// Vehicle use.
    #[must_use]
    pub fn vehicle(
        date: NaiveDate,
        vehicle: &str,
        unit: UsageUnit,
        quantity: Decimal,
    ) -> CostInput {
        CostInput::Vehicle {
            date,
            vehicle: vehicle.into(),
            unit,
            quantity,
        }
    }

    /// An external line from the work order's supplier (or `supplier`).
    #[must_use]
    pub fn external(
        date: NaiveDate,
        supplier: Option<&str>,
        description: &str,
        ht: Decimal,
        vat_rate: VatRate,
    ) -> CostInput {
        CostInput::External {
            date,
            supplier: supplier.map(Into::into),
            description: description.into(),
            ht,
            vat_rate,
        }
    }

    /// The day of the cost.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        match self {
            CostInput::Labour { date, .. }
            | CostInput::Material { date, .. }
            | CostInput::Vehicle { date, .. }
            | CostInput::External { date, .. } => *date,
        }
    }
}

/// Where the resource of a cost line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// A régie team of a tenant.
    Team {
        /// The team's tenant.
        tenant: TenantId,
        /// The team.
        team: TeamId,
    },
    /// A store of a tenant.
    Store {
        /// The store's tenant.
        tenant: TenantId,
        /// The store.
        store: StoreId,
        /// The item.
        item: ItemId,
    },
    /// A vehicle of a tenant.
    Vehicle {
        /// The vehicle's owner.
        tenant: TenantId,
        /// The vehicle.
        vehicle: AssetId,
        /// The unit charged.
        unit: UsageUnit,
    },
    /// A supplier.
    Supplier(SupplierId),
}

impl Provider {
    /// The tenant whose régie provided the resource (none for a supplier).
    #[must_use]
    pub fn tenant(&self) -> Option<TenantId> {
        match self {
            Provider::Team { tenant, .. }
            | Provider::Store { tenant, .. }
            | Provider::Vehicle { tenant, .. } => Some(*tenant),
            Provider::Supplier(_) => None,
        }
    }
}

/// The codes of a cost line's provider, flattened by nature (see
/// [`Mutualis::provider_codes`]): what every column view and record of the
/// bindings shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProviderCodes<'a> {
    /// Tenant whose régie provided the resource (none for a supplier).
    pub tenant: Option<&'a str>,
    /// Régie team (labour lines).
    pub team: Option<&'a str>,
    /// Store (material lines).
    pub store: Option<&'a str>,
    /// Item (material lines).
    pub item: Option<&'a str>,
    /// Vehicle (vehicle lines).
    pub vehicle: Option<&'a str>,
    /// Unit charged (vehicle lines).
    pub unit: Option<UsageUnit>,
    /// Supplier (external lines).
    pub supplier: Option<&'a str>,
}

impl<'a> ProviderCodes<'a> {
    /// The provider's own code: the team, store, vehicle or supplier.
    #[must_use]
    pub fn code(&self) -> &'a str {
        self.team
            .or(self.store)
            .or(self.vehicle)
            .or(self.supplier)
            .unwrap_or(crate::UNKNOWN_CODE)
    }
}

impl Mutualis {
    /// The codes of a provider (ids of another registry give
    /// [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn provider_codes(&self, p: &Provider) -> ProviderCodes<'_> {
        let tenant = p.tenant().map(|t| self.tenant_code(t));
        match *p {
            Provider::Team { team, .. } => ProviderCodes {
                tenant,
                team: Some(self.team_code(team)),
                ..ProviderCodes::default()
            },
            Provider::Store { store, item, .. } => ProviderCodes {
                tenant,
                store: Some(self.store_code(store)),
                item: Some(self.item_code(item)),
                ..ProviderCodes::default()
            },
            Provider::Vehicle { vehicle, unit, .. } => ProviderCodes {
                tenant,
                vehicle: Some(self.asset_code(vehicle)),
                unit: Some(unit),
                ..ProviderCodes::default()
            },
            Provider::Supplier(s) => ProviderCodes {
                supplier: Some(self.supplier_code(s)),
                ..ProviderCodes::default()
            },
        }
    }
}

/// A recorded cost line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    /// Dense id.
    pub id: CostLineId,
    /// The work order.
    pub work_order: WorkOrderId,
    /// Day the cost was incurred.
    pub date: NaiveDate,
    /// Nature.
    pub nature: CostNature,
    /// Where the resource came from.
    pub provider: Provider,
    /// Description ("Main d'œuvre 2 × 4 h", the item name, the invoice label).
    pub description: String,
    /// Quantity (hours, item units, km…; 1 for an external line).
    pub quantity: Decimal,
    /// Unit cost (hourly rate, CMUP, vehicle rate; HT for an external line).
    pub unit_cost: Decimal,
    /// Amount HT, to the cent.
    pub ht: Decimal,
    /// VAT rate (external lines only).
    pub vat_rate: Option<VatRate>,
    /// VAT, to the cent (zero for régie lines).
    pub vat: Decimal,
    /// Amount TTC, to the cent.
    pub ttc: Decimal,
}

fn amount(q: Decimal, unit: Decimal) -> Result<Decimal> {
    q.checked_mul(unit)
        .map(round_cents)
        .ok_or(Error::AmountOutOfRange(q))
}

/// A cost line as it was recorded elsewhere (a dataset, a user's table):
/// its amounts are kept as they were (rates may since have changed) and
/// checked for consistency, not recomputed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordedLine<'a> {
    /// The work order.
    pub work_order: WorkOrderId,
    /// Day of the cost.
    pub date: NaiveDate,
    /// Nature.
    pub nature: CostNature,
    /// Régie team (labour lines).
    pub team: Option<&'a str>,
    /// Store (material lines).
    pub store: Option<&'a str>,
    /// Item (material lines).
    pub item: Option<&'a str>,
    /// Vehicle asset (vehicle lines).
    pub vehicle: Option<&'a str>,
    /// Unit (vehicle lines).
    pub unit: Option<UsageUnit>,
    /// Supplier (external lines).
    pub supplier: Option<&'a str>,
    /// Description.
    pub description: &'a str,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit cost.
    pub unit_cost: Decimal,
    /// HT, whole cents.
    pub ht: Decimal,
    /// VAT rate (external lines only).
    pub vat_rate: Option<VatRate>,
    /// VAT, whole cents.
    pub vat: Decimal,
    /// TTC, whole cents (= HT + VAT).
    pub ttc: Decimal,
}

/// The checks of a new work order's own code and title (the first checks of
/// [`Mutualis::create_work_order`], shared with bulk ingestion).
pub(crate) fn check_order_head(code: &str, title: &str) -> Result<()> {
    check_code("work order", code)?;
    check_name("work order title", title)
}

/// The column form of a recorded line once its asset (checked by
/// [`Mutualis::recorded_line_asset`]) and provider are known: amounts whole cents with HT + VAT = TTC, a VAT rate and VAT on
/// external lines only (the last checks of
/// [`Mutualis::record_line_as_was`], shared with bulk ingestion).
pub(crate) fn recorded_new_line<'a>(
    rec: &RecordedLine<'a>,
    provider: Provider,
) -> Result<NewLine<'a>> {
    for a in [rec.ht, rec.vat, rec.ttc] {
        to_cents(a)?;
    }
    if rec.ht + rec.vat != rec.ttc {
        return Err(bad_line(format!(
            "HT {} + VAT {} is not TTC {}",
            rec.ht, rec.vat, rec.ttc
        )));
    }
    if (rec.nature == CostNature::External) != rec.vat_rate.is_some()
        || (rec.vat_rate.is_none() && !rec.vat.is_zero())
    {
        return Err(bad_line("only external lines carry a VAT rate and VAT"));
    }
    Ok(NewLine {
        work_order: rec.work_order,
        date: rec.date,
        nature: rec.nature,
        provider,
        description: rec.description,
        quantity: rec.quantity,
        unit_cost: rec.unit_cost,
        ht: to_cents(rec.ht)?,
        vat_rate: rec.vat_rate,
        vat: to_cents(rec.vat)?,
    })
}

fn bad_line(reason: impl Into<String>) -> Error {
    Error::InvalidField {
        field: "cost_lines",
        reason: reason.into(),
    }
}

impl Mutualis {
    /// Creates a work order (status `planned`).
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::InvalidField`], [`Error::UnknownAsset`],
    /// [`Error::UnknownTeam`], [`Error::UnknownSupplier`], [`Error::UnknownService`],
    /// [`Error::UnknownRequest`], [`Error::DuplicateWorkOrder`].
    pub fn create_work_order(&mut self, spec: NewWorkOrder) -> Result<WorkOrderId> {
        check_order_head(&spec.code, &spec.title)?;
        let asset = self.asset_id(&spec.asset)?;
        let performer = match &spec.performer {
            Performer::Team(t) => PerformerId::Team(self.team_id(t)?),
            Performer::Supplier(s) => PerformerId::Supplier(self.supplier_id(s)?),
        };
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&s.tenant, &s.service)?),
            None => None,
        };
        let mut requests = Vec::with_capacity(spec.requests.len());
        for r in &spec.requests {
            requests.push(self.request_id(r)?);
        }
        let tags: Vec<&str> = spec.tags.iter().map(String::as_str).collect();
        let new = NewOrder {
            code: &spec.code,
            title: &spec.title,
            asset,
            performer,
            service,
            requests: &requests,
            tags: &tags,
            association: spec.association.as_deref(),
            planned_on: spec.planned_on,
        };
        self.check_order_tail(&new)?;
        let id = self.work_orders.push(&new);
        if self.muted {
            return Ok(id);
        }
        let tenant = match performer {
            PerformerId::Team(t) => {
                Some(self.tenant_code(self.teams()[t.index()].tenant).to_owned())
            }
            PerformerId::Supplier(_) => self.owner_code(asset),
        };
        self.log(
            tenant,
            WorkEvent::WorkOrderCreated {
                work_order: spec.into(),
            },
        );
        Ok(id)
    }

    /// The checks of a new work order once its references are resolved
    /// (tags, association, a code not taken), shared by
    /// [`Mutualis::create_work_order`] and bulk ingestion; the code and
    /// title are checked first by [`check_order_head`].
    pub(crate) fn check_order_tail(&self, o: &NewOrder<'_>) -> Result<()> {
        for t in o.tags {
            check_code("tag", t)?;
        }
        if let Some(a) = o.association {
            check_code("association", a)?;
        }
        if self.work_orders.id(o.code).is_some() {
            return Err(Error::DuplicateWorkOrder(o.code.to_owned()));
        }
        Ok(())
    }

    /// Checks that work order `w` (code `code`) may move to `status` at
    /// `at`; returns its current status. Shared by
    /// [`Mutualis::set_work_order_status`] and bulk ingestion.
    pub(crate) fn check_status_change(
        &self,
        w: WorkOrderId,
        code: &str,
        status: WorkOrderStatus,
        at: DateTime<Utc>,
    ) -> Result<WorkOrderStatus> {
        crate::period::check_time("at", at)?;
        let current = self.work_orders.status(w.index());
        if !current.next().contains(&status) {
            return Err(Error::IllegalTransition {
                what: "work order",
                code: code.to_owned(),
                from: current.as_str(),
                to: status.as_str(),
            });
        }
        if let Some(last) = self.work_orders.last_change(w.index()) {
            if at < last {
                return Err(Error::TimeOutOfOrder {
                    code: code.to_owned(),
                    at,
                    last,
                });
            }
        }
        Ok(current)
    }

    /// Moves a work order to `status` at `at`.
    ///
    /// Errors: [`Error::UnknownWorkOrder`], [`Error::IllegalTransition`],
    /// [`Error::TimeOutOfOrder`].
    pub fn set_work_order_status(
        &mut self,
        work_order: &str,
        status: WorkOrderStatus,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let w = self.work_order_id(work_order)?;
        let current = self.check_status_change(w, work_order, status, at)?;
        let tenant = self.performer_tenant_code(w);
        self.push_undo(crate::undo::Undo::WorkOrderStatus {
            work_order: w,
            old: current,
        });
        self.work_orders.set_status(w, status, at, None);
        if self.muted {
            return Ok(());
        }
        self.log(
            tenant,
            WorkEvent::WorkOrderStatusChanged {
                work_order: work_order.to_owned(),
                status,
                at,
            },
        );
        Ok(())
    }

    fn performer_tenant_code(&self, w: WorkOrderId) -> Option<String> {
        match self.work_orders.performer(w.index()) {
            PerformerId::Team(t) => {
                Some(self.tenant_code(self.teams()[t.index()].tenant).to_owned())
            }
            PerformerId::Supplier(_) => self.owner_code(self.work_orders.asset(w.index())),
        }
    }

    /// Records a cost line on a work order; returns its id.
    ///
    /// Errors: [`Error::UnknownWorkOrder`], [`Error::WorkOrderNotOpen`],
    /// [`Error::OutsideAssetLife`], [`Error::InvalidQuantity`], [`Error::UnknownTeam`],
    /// [`Error::UnknownStore`], [`Error::UnknownItem`], [`Error::InsufficientStock`],
    /// [`Error::UnknownAsset`], [`Error::UnknownSupplier`], [`Error::NoRate`],
    /// [`Error::SubCentAmount`], [`Error::InvalidField`]. Nothing changes on error.
    pub fn record_cost(&mut self, work_order: &str, cost: CostInput) -> Result<CostLineId> {
        let w = self.work_order_id(work_order)?;
        self.record_cost_on(w, work_order, cost)
    }

    /// [`Mutualis::record_cost`] on work order `w`, whose code is
    /// `work_order` (a session looked it up already).
    pub(crate) fn record_cost_on(
        &mut self,
        w: WorkOrderId,
        work_order: &str,
        cost: CostInput,
    ) -> Result<CostLineId> {
        let status = self.work_orders.status(w.index());
        if !status.accepts_costs() {
            return Err(Error::WorkOrderNotOpen {
                code: work_order.to_owned(),
                status: status.as_str(),
            });
        }
        let (asset, performer) = (
            self.work_orders.asset(w.index()),
            self.work_orders.performer(w.index()),
        );
        let date = crate::period::check_date("date", cost.date())?;
        self.check_in_service(asset, date)?;
        let id = CostLineId(self.cost_lines.len() as u32);
        let mut issue = None;
        let line = match &cost {
            CostInput::Labour {
                hours,
                agents,
                team,
                grade,
                ..
            } => {
                check_quantity("hours", *hours)?;
                if *agents == 0 {
                    return Err(Error::InvalidQuantity {
                        what: "agents",
                        value: Decimal::ZERO,
                    });
                }
                let team = match (team, performer) {
                    (Some(code), _) => self.team_id(code)?,
                    (None, PerformerId::Team(t)) => t,
                    (None, PerformerId::Supplier(_)) => {
                        return Err(Error::InvalidField {
                            field: "team",
                            reason: format!("work order {work_order:?} is done by a supplier: name the régie team of this labour"),
                        })
                    }
                };
                if let Some(g) = grade {
                    check_name("grade", g)?;
                }
                let rate = self.labour_rate_of(team, grade.as_deref(), date)?;
                let quantity = hours
                    .checked_mul(Decimal::from(*agents))
                    .ok_or(Error::AmountOutOfRange(*hours))?;
                let ht = amount(quantity, rate)?;
                let description = if *agents == 1 {
                    format!("main d'œuvre {hours} h")
                } else {
                    format!("main d'œuvre {agents} × {hours} h")
                };
                self.regie_line(
                    id,
                    w,
                    date,
                    CostNature::Labour,
                    Provider::Team {
                        tenant: self.teams()[team.index()].tenant,
                        team,
                    },
                    description,
                    quantity,
                    rate,
                    ht,
                )
            }
            CostInput::Material {
                store,
                item,
                quantity,
                ..
            } => {
                let s = self.store_id(store)?;
                let i = self.item_id(item)?;
                let (cmup, ht) = self.check_issue(s, i, *quantity, date)?;
                issue = Some((s, i, *quantity));
                let description = self.items()[i.index()].name.clone();
                self.regie_line(
                    id,
                    w,
                    date,
                    CostNature::Material,
                    Provider::Store {
                        tenant: self.stores()[s.index()].tenant,
                        store: s,
                        item: i,
                    },
                    description,
                    *quantity,
                    cmup,
                    ht,
                )
            }
            CostInput::Vehicle {
                vehicle,
                unit,
                quantity,
                ..
            } => {
                let v = self.asset_id(vehicle)?;
                check_quantity("vehicle use", *quantity)?;
                let rate = self.vehicle_rate_of(v, *unit, date)?;
                let ht = amount(*quantity, rate)?;
                let description = format!("{} {quantity} {unit}", self.assets()[v.index()].name);
                self.regie_line(
                    id,
                    w,
                    date,
                    CostNature::Vehicle,
                    Provider::Vehicle {
                        tenant: self.owner_at(v, date),
                        vehicle: v,
                        unit: *unit,
                    },
                    description,
                    *quantity,
                    rate,
                    ht,
                )
            }
            CostInput::External {
                supplier,
                description,
                ht,
                vat_rate,
                ..
            } => {
                let s = match (supplier, performer) {
                    (Some(code), _) => self.supplier_id(code)?,
                    (None, PerformerId::Supplier(s)) => s,
                    (None, PerformerId::Team(_)) => {
                        return Err(Error::InvalidField {
                            field: "supplier",
                            reason: format!("work order {work_order:?} is done by a régie team: name the supplier of this invoice line"),
                        })
                    }
                };
                check_name("external line description", description)?;
                to_cents(*ht)?;
                if ht.is_zero() {
                    return Err(Error::InvalidQuantity {
                        what: "amount HT",
                        value: *ht,
                    });
                }
                // a replayed journal keeps the lines recorded before the
                // dated table (saved data always reopens)
                let rate = if self.replaying.is_some() {
                    *vat_rate
                } else {
                    vat_rate.check_on(date)?
                };
                let v = VatLine::from_ht(*ht, rate)?;
                CostLine {
                    id,
                    work_order: w,
                    date,
                    nature: CostNature::External,
                    provider: Provider::Supplier(s),
                    description: description.clone(),
                    quantity: Decimal::ONE,
                    unit_cost: v.ht,
                    ht: v.ht,
                    vat_rate: Some(v.rate),
                    vat: v.vat,
                    ttc: v.ttc,
                }
            }
        };
        let warnings = self.check_budgets(&line)?;
        let new = self.new_line(&line)?;
        if let Some((s, i, q)) = issue {
            self.apply_issue(s, i, q);
        }
        self.push_line(&new)?;
        self.budgets.extend_warnings(warnings);
        let tenant = self.performer_tenant_code(w);
        self.log(
            tenant,
            WorkEvent::CostRecorded {
                work_order: work_order.to_owned(),
                cost: cost.into(),
            },
        );
        Ok(id)
    }

    /// Records many cost lines, all or nothing: on the first refused line the
    /// registry is left exactly as before and the error comes with the line's
    /// 0-based index. `progress` is called with (done, total) every 1 024
    /// lines and at the end; when it answers [`ControlFlow::Break`], the
    /// batch stops, nothing is recorded, and the error is
    /// [`Error::Cancelled`] (with the index of the next line).
    ///
    /// [`ControlFlow::Break`]: std::ops::ControlFlow::Break
    #[allow(clippy::result_large_err)]
    pub fn record_costs(
        &mut self,
        batch: Vec<(String, CostInput)>,
        mut progress: Option<&mut dyn FnMut(usize, usize) -> std::ops::ControlFlow<()>>,
    ) -> std::result::Result<Vec<CostLineId>, (usize, Error)> {
        let total = batch.len();
        let backup = self.checkpoint();
        let mut ids = Vec::with_capacity(total);
        for (i, (work_order, cost)) in batch.into_iter().enumerate() {
            match self.record_cost(&work_order, cost) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    // record_cost is covered by checkpoints: the rollback cannot fail
                    let _ = self.rollback(backup);
                    return Err((i, e));
                }
            }
            if let Some(p) = progress.as_mut() {
                if (i + 1) % 1024 == 0 && p(i + 1, total).is_break() {
                    let _ = self.rollback(backup);
                    return Err((i + 1, Error::Cancelled { done: i + 1, total }));
                }
            }
        }
        if let Some(p) = progress.as_mut() {
            if p(total, total).is_break() {
                let _ = self.rollback(backup);
                return Err((total, Error::Cancelled { done: total, total }));
            }
        }
        self.release(backup);
        Ok(ids)
    }

    /// Appends a line recorded elsewhere ([`RecordedLine`]) after checking
    /// that its provider matches its nature, that it lies within the asset's
    /// life and that its amounts are whole cents with HT + VAT = TTC. Does
    /// not journal (the caller journals the dataset or the tables it came
    /// from) and does not move stock.
    pub(crate) fn record_line_as_was(&mut self, rec: &RecordedLine<'_>) -> Result<CostLineId> {
        self.recorded_line_asset(rec.work_order, rec.date)?;
        let provider = self.recorded_provider(rec)?;
        let new = recorded_new_line(rec, provider)?;
        self.push_line(&new)
    }

    /// The asset of a recorded line's work order, checking that the order
    /// exists and that the asset is in service on `date` (the first checks
    /// of [`Mutualis::record_line_as_was`], shared with bulk ingestion).
    pub(crate) fn recorded_line_asset(&self, w: WorkOrderId, date: NaiveDate) -> Result<AssetId> {
        if w.index() >= self.work_orders.len() {
            return Err(Error::UnknownWorkOrder(w.0.to_string()));
        }
        let asset = self.work_orders.asset(w.index());
        self.check_in_service(asset, date)?;
        Ok(asset)
    }

    /// The provider of a recorded line: the fields its nature needs, and
    /// only those, resolved to ids. Depends only on the line's nature and
    /// provider fields, and for a vehicle on the date (its owner then):
    /// bulk ingestion resolves each distinct combination once, vehicles per
    /// line.
    pub(crate) fn recorded_provider(&self, rec: &RecordedLine<'_>) -> Result<Provider> {
        Ok(match (rec.nature, rec.team, rec.store, rec.item, rec.vehicle, rec.unit, rec.supplier) {
            (CostNature::Labour, Some(t), None, None, None, None, None) => {
                let team = self.team_id(t)?;
                Provider::Team { tenant: self.teams()[team.index()].tenant, team }
            }
            (CostNature::Material, None, Some(s), Some(it), None, None, None) => {
                let store = self.store_id(s)?;
                let item = self.item_id(it)?;
                Provider::Store { tenant: self.stores()[store.index()].tenant, store, item }
            }
            (CostNature::Vehicle, None, None, None, Some(v), Some(unit), None) => {
                let vehicle = self.asset_id(v)?;
                Provider::Vehicle { tenant: self.owner_at(vehicle, rec.date), vehicle, unit }
            }
            (CostNature::External, None, None, None, None, None, Some(s)) => Provider::Supplier(self.supplier_id(s)?),
            _ => {
                return Err(bad_line(
                    "the provider fields do not match the nature (labour: team; material: store and item; vehicle: vehicle and unit; external: supplier)",
                ))
            }
        })
    }

    /// Appends a line checked by [`recorded_new_line`]: its columns, its
    /// work order's list, its allocation.
    pub(crate) fn push_recorded_line(&mut self, new: &NewLine<'_>) -> Result<CostLineId> {
        self.push_line(new)
    }

    /// The column form of a line about to be recorded (amounts in cents).
    fn new_line<'a>(&self, line: &'a CostLine) -> Result<NewLine<'a>> {
        Ok(NewLine {
            work_order: line.work_order,
            date: line.date,
            nature: line.nature,
            provider: line.provider,
            description: &line.description,
            quantity: line.quantity,
            unit_cost: line.unit_cost,
            ht: to_cents(line.ht)?,
            vat_rate: line.vat_rate,
            vat: to_cents(line.vat)?,
        })
    }

    /// Appends a checked line: its columns, its work order's list, its allocation.
    fn push_line(&mut self, new: &NewLine<'_>) -> Result<CostLineId> {
        let id = self.cost_lines.push(new);
        self.work_orders.add_line(new.work_order, id);
        self.ledger_append(id.index(), new.date)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    fn regie_line(
        &self,
        id: CostLineId,
        work_order: WorkOrderId,
        date: NaiveDate,
        nature: CostNature,
        provider: Provider,
        description: String,
        quantity: Decimal,
        unit_cost: Decimal,
        ht: Decimal,
    ) -> CostLine {
        CostLine {
            id,
            work_order,
            date,
            nature,
            provider,
            description,
            quantity,
            unit_cost,
            ht,
            vat_rate: None,
            vat: Decimal::new(0, 2),
            ttc: ht,
        }
    }

    /// The dense id of a work order code; [`Error::UnknownWorkOrder`] if none.
    pub fn work_order_id(&self, code: &str) -> Result<WorkOrderId> {
        self.work_orders
            .id(code)
            .ok_or_else(|| Error::UnknownWorkOrder(code.to_owned()))
    }

    /// The code of a work order id (`None` for an id of another registry).
    #[must_use]
    pub fn work_order_code(&self, id: WorkOrderId) -> Option<&str> {
        (id.index() < self.work_orders.len()).then(|| self.work_orders.code(id.index()))
    }

    /// The work order with this code, as a record.
    pub fn work_order(&self, code: &str) -> Result<WorkOrder> {
        let w = self.work_order_id(code)?;
        self.work_orders
            .get(w)
            .ok_or_else(|| Error::UnknownWorkOrder(code.to_owned()))
    }

    /// All work orders, in creation order (columns; records on demand).
    #[must_use]
    pub fn work_orders(&self) -> &WorkOrders {
        &self.work_orders
    }

    /// The work orders assigned to a régie team, in creation order.
    pub fn work_orders_of_team(&self, team: &str) -> Result<Vec<WorkOrder>> {
        let t = self.team_id(team)?;
        Ok((0..self.work_orders.len())
            .filter(|&w| self.work_orders.performer(w) == PerformerId::Team(t))
            .filter_map(|w| self.work_orders.get(WorkOrderId(w as u32)))
            .collect())
    }

    /// The cost lines of a work order, in recording order.
    pub fn work_order_lines(&self, code: &str) -> Result<Vec<CostLine>> {
        let w = self.work_order_id(code)?;
        Ok(self
            .work_orders
            .lines(w.index())
            .filter_map(|l| self.cost_lines.get(l))
            .collect())
    }

    /// All cost lines, in recording order (columns; records on demand).
    #[must_use]
    pub fn cost_lines(&self) -> &crate::lines::CostLines {
        &self.cost_lines
    }
}
