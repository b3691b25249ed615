//! The events of the fleet: register, meters, fuel, inspections and
//! maintenance plans.
//!
//! [`VehicleV1`], [`FuelV1`], [`InspectionV1`] and [`PlanV1`] are the stored
//! forms of [`NewVehicle`], [`NewFuelLine`], [`NewInspection`] and
//! [`NewMaintenancePlan`] (see [`crate::journal`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine, NewInspection,
    NewMaintenancePlan, NewVehicle, NewVehicleCost, Purchase, VehicleCategory, VehicleStatus,
    WeightClass,
};
use crate::assets::ServiceRef;
use crate::error::Result;
use crate::money::VatRate;
use crate::Mutualis;

/// An event of the fleet (wrapped by [`crate::Event::Fleet`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FleetEvent {
    /// An asset was registered in the fleet.
    VehicleRegistered {
        /// Its fleet attributes.
        vehicle: VehicleV1,
    },
    /// A vehicle's status was set from a date.
    VehicleStatusSet {
        /// Asset code.
        vehicle: String,
        /// New status.
        status: VehicleStatus,
        /// From this date.
        since: NaiveDate,
    },
    /// A meter was read.
    MeterRead {
        /// Asset code.
        vehicle: String,
        /// Which meter.
        meter: Meter,
        /// Date.
        date: NaiveDate,
        /// Value.
        value: u64,
    },
    /// A meter was replaced (its first reading).
    MeterReplaced {
        /// Asset code.
        vehicle: String,
        /// Which meter.
        meter: Meter,
        /// Date.
        date: NaiveDate,
        /// The new meter's value.
        value: u64,
    },
    /// A fuel or charging line was recorded.
    FuelRecorded {
        /// Asset code.
        vehicle: String,
        /// The line.
        line: FuelV1,
    },
    /// An inspection's result was recorded.
    InspectionRecorded {
        /// Asset code.
        vehicle: String,
        /// The inspection.
        inspection: InspectionV1,
    },
    /// A maintenance plan was added.
    MaintenancePlanAdded {
        /// The plan.
        plan: PlanV1,
    },
    /// A vehicle's purchase was set (amortised in its total cost of ownership).
    VehiclePurchaseSet {
        /// Asset code.
        vehicle: String,
        /// The purchase.
        purchase: Purchase,
    },
    /// Another cost line of a vehicle was recorded (insurance, tax…).
    VehicleCostRecorded {
        /// Asset code.
        vehicle: String,
        /// The line.
        cost: NewVehicleCost,
    },
    /// A plan's service was done.
    MaintenanceDone {
        /// Plan code.
        plan: String,
        /// Date.
        date: NaiveDate,
        /// Odometer (none: the reading of the day, if any).
        km: Option<u64>,
        /// Engine hours (none: the reading of the day, if any).
        hours: Option<u64>,
    },
}

/// The stored form of a [`NewVehicle`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleV1 {
    /// Asset code.
    pub asset: String,
    /// Category.
    pub category: VehicleCategory,
    /// Registration number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    /// VIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vin: Option<String>,
    /// First registration date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_registration: Option<NaiveDate>,
    /// Gross weight category.
    pub weight: WeightClass,
    /// Energy.
    pub energy: Energy,
    /// Assigned service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// Lifts persons.
    #[serde(default)]
    pub lifts_persons: bool,
}

impl From<NewVehicle> for VehicleV1 {
    fn from(v: NewVehicle) -> VehicleV1 {
        VehicleV1 {
            asset: v.asset,
            category: v.category,
            registration: v.registration,
            vin: v.vin,
            first_registration: v.first_registration,
            weight: v.weight,
            energy: v.energy,
            service: v.service,
            lifts_persons: v.lifts_persons,
        }
    }
}

impl From<VehicleV1> for NewVehicle {
    fn from(v: VehicleV1) -> NewVehicle {
        NewVehicle {
            asset: v.asset,
            category: v.category,
            registration: v.registration,
            vin: v.vin,
            first_registration: v.first_registration,
            weight: v.weight,
            energy: v.energy,
            service: v.service,
            lifts_persons: v.lifts_persons,
        }
    }
}

/// The stored form of a [`NewFuelLine`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelV1 {
    /// Date.
    pub date: NaiveDate,
    /// Litres or kWh.
    pub quantity: Decimal,
    /// Unit.
    pub unit: FuelUnit,
    /// Amount excluding VAT.
    pub ht: Decimal,
    /// VAT rate.
    pub vat: VatRate,
}

impl From<NewFuelLine> for FuelV1 {
    fn from(l: NewFuelLine) -> FuelV1 {
        FuelV1 {
            date: l.date,
            quantity: l.quantity,
            unit: l.unit,
            ht: l.ht,
            vat: l.vat,
        }
    }
}

impl From<FuelV1> for NewFuelLine {
    fn from(l: FuelV1) -> NewFuelLine {
        NewFuelLine {
            date: l.date,
            quantity: l.quantity,
            unit: l.unit,
            ht: l.ht,
            vat: l.vat,
        }
    }
}

/// The stored form of a [`NewInspection`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionV1 {
    /// Which inspection.
    pub kind: InspectionKind,
    /// Date.
    pub date: NaiveDate,
    /// Result.
    pub result: InspectionResult,
    /// Counter-visit deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_visit_by: Option<NaiveDate>,
}

impl From<NewInspection> for InspectionV1 {
    fn from(i: NewInspection) -> InspectionV1 {
        InspectionV1 {
            kind: i.kind,
            date: i.date,
            result: i.result,
            counter_visit_by: i.counter_visit_by,
        }
    }
}

impl From<InspectionV1> for NewInspection {
    fn from(i: InspectionV1) -> NewInspection {
        NewInspection {
            kind: i.kind,
            date: i.date,
            result: i.result,
            counter_visit_by: i.counter_visit_by,
        }
    }
}

/// The stored form of a [`NewMaintenancePlan`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanV1 {
    /// Plan code.
    pub code: String,
    /// Vehicle (asset code).
    pub vehicle: String,
    /// What is done.
    pub label: String,
    /// Interval in km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_km: Option<u64>,
    /// Interval in engine hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_hours: Option<u64>,
    /// Interval in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_months: Option<u32>,
    /// The last service's date.
    pub last_date: NaiveDate,
    /// The odometer at the last service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_km: Option<u64>,
    /// The engine hours at the last service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_hours: Option<u64>,
}

impl From<NewMaintenancePlan> for PlanV1 {
    fn from(p: NewMaintenancePlan) -> PlanV1 {
        PlanV1 {
            code: p.code,
            vehicle: p.vehicle,
            label: p.label,
            every_km: p.every_km,
            every_hours: p.every_hours,
            every_months: p.every_months,
            last_date: p.last_date,
            last_km: p.last_km,
            last_hours: p.last_hours,
        }
    }
}

impl From<PlanV1> for NewMaintenancePlan {
    fn from(p: PlanV1) -> NewMaintenancePlan {
        NewMaintenancePlan {
            code: p.code,
            vehicle: p.vehicle,
            label: p.label,
            every_km: p.every_km,
            every_hours: p.every_hours,
            every_months: p.every_months,
            last_date: p.last_date,
            last_km: p.last_km,
            last_hours: p.last_hours,
        }
    }
}

impl FleetEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "vehicle_registered",
        "vehicle_status_set",
        "meter_read",
        "meter_replaced",
        "fuel_recorded",
        "inspection_recorded",
        "maintenance_plan_added",
        "maintenance_done",
        "vehicle_purchase_set",
        "vehicle_cost_recorded",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            FleetEvent::VehicleRegistered { .. }
            | FleetEvent::VehicleStatusSet { .. }
            | FleetEvent::MeterRead { .. }
            | FleetEvent::MeterReplaced { .. }
            | FleetEvent::FuelRecorded { .. }
            | FleetEvent::InspectionRecorded { .. }
            | FleetEvent::MaintenancePlanAdded { .. }
            | FleetEvent::MaintenanceDone { .. }
            | FleetEvent::VehiclePurchaseSet { .. }
            | FleetEvent::VehicleCostRecorded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            FleetEvent::VehicleRegistered { vehicle } => vec![("asset", &vehicle.asset)],
            FleetEvent::VehicleStatusSet { vehicle, .. }
            | FleetEvent::MeterRead { vehicle, .. }
            | FleetEvent::MeterReplaced { vehicle, .. }
            | FleetEvent::FuelRecorded { vehicle, .. }
            | FleetEvent::InspectionRecorded { vehicle, .. }
            | FleetEvent::VehiclePurchaseSet { vehicle, .. }
            | FleetEvent::VehicleCostRecorded { vehicle, .. } => vec![("asset", vehicle)],
            FleetEvent::MaintenancePlanAdded { plan } => {
                vec![("asset", &plan.vehicle), ("maintenance_plan", &plan.code)]
            }
            FleetEvent::MaintenanceDone { plan, .. } => vec![("maintenance_plan", plan)],
        }
    }

    /// The vehicle (asset code) this event is about, when it names it, and
    /// the date it is judged on.
    pub(crate) fn vehicle_and_date(&self) -> (Option<&str>, Option<NaiveDate>) {
        match self {
            FleetEvent::VehicleRegistered { vehicle } => (Some(&vehicle.asset), None),
            FleetEvent::VehicleStatusSet { vehicle, since, .. } => (Some(vehicle), Some(*since)),
            FleetEvent::MeterRead { vehicle, date, .. }
            | FleetEvent::MeterReplaced { vehicle, date, .. } => (Some(vehicle), Some(*date)),
            FleetEvent::FuelRecorded { vehicle, line } => (Some(vehicle), Some(line.date)),
            FleetEvent::InspectionRecorded {
                vehicle,
                inspection,
            } => (Some(vehicle), Some(inspection.date)),
            FleetEvent::MaintenancePlanAdded { plan } => (Some(&plan.vehicle), None),
            FleetEvent::MaintenanceDone { date, .. } => (None, Some(*date)),
            FleetEvent::VehiclePurchaseSet { vehicle, purchase } => {
                (Some(vehicle), Some(purchase.date))
            }
            FleetEvent::VehicleCostRecorded { vehicle, cost } => (Some(vehicle), Some(cost.date)),
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            FleetEvent::VehicleRegistered { vehicle } => m.register_vehicle(vehicle.into()),
            FleetEvent::VehicleStatusSet {
                vehicle,
                status,
                since,
            } => m.set_vehicle_status(&vehicle, status, since),
            FleetEvent::MeterRead {
                vehicle,
                meter,
                date,
                value,
            } => m.record_meter_reading(&vehicle, meter, date, value),
            FleetEvent::MeterReplaced {
                vehicle,
                meter,
                date,
                value,
            } => m.replace_meter(&vehicle, meter, date, value),
            FleetEvent::FuelRecorded { vehicle, line } => m.record_fuel(&vehicle, line.into()),
            FleetEvent::InspectionRecorded {
                vehicle,
                inspection,
            } => m.record_inspection(&vehicle, inspection.into()),
            FleetEvent::MaintenancePlanAdded { plan } => m.add_maintenance_plan(plan.into()),
            FleetEvent::MaintenanceDone {
                plan,
                date,
                km,
                hours,
            } => m.record_maintenance(&plan, date, km, hours),
            FleetEvent::VehiclePurchaseSet { vehicle, purchase } => {
                m.set_vehicle_purchase(&vehicle, purchase)
            }
            FleetEvent::VehicleCostRecorded { vehicle, cost } => {
                m.record_vehicle_cost(&vehicle, cost)
            }
        }
    }
}
