//! The fleet's sections of the JSON dataset (each optional).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    events, meter_index, Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine,
    NewInspection, NewVehicle, NewVehicleCost, Purchase, VehicleCategory, VehicleCostKind,
    VehicleStatus, WeightClass,
};
use crate::assets::ServiceRef;
use crate::error::Result;
use crate::money::VatRate;
use crate::Mutualis;

impl Mutualis {
    /// Restores a vehicle's status as saved (dataset loading).
    pub(crate) fn restore_vehicle_status(
        &mut self,
        vehicle: &str,
        status: VehicleStatus,
        since: Option<NaiveDate>,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        let v = &mut self.fleet.vehicles[at];
        v.status = status;
        v.status_since = since;
        Ok(())
    }

    /// Restores a vehicle's status history and purchase as saved (dataset
    /// loading); a dataset without history has the current status's change.
    fn restore_vehicle_extras(&mut self, r: &VehicleRec) -> Result<()> {
        let at = self.vehicle_index(&r.asset)?;
        let history = if r.status_history.is_empty() {
            derived_history(r.status, r.status_since)
        } else {
            r.status_history
                .iter()
                .map(|h| (h.since, h.status))
                .collect()
        };
        self.fleet.statuses[at] = history;
        if let Some(p) = r.purchase {
            self.set_vehicle_purchase(&r.asset, p)?;
        }
        Ok(())
    }

    /// Restores an inspection as recorded, without changing the status (dataset loading).
    pub(crate) fn restore_inspection(&mut self, vehicle: &str, i: NewInspection) -> Result<()> {
        self.push_inspection(vehicle, i, false)
    }
}

/// A vehicle in the dataset: its attributes and current status.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VehicleRec {
    asset: String,
    category: VehicleCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_registration: Option<NaiveDate>,
    weight: WeightClass,
    energy: Energy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<ServiceRef>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    lifts_persons: bool,
    status: VehicleStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_since: Option<NaiveDate>,
    /// The status changes, when more than the current one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    status_history: Vec<StatusRec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purchase: Option<Purchase>,
}

/// A status change in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusRec {
    since: NaiveDate,
    status: VehicleStatus,
}

/// An other cost line of a vehicle in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VehicleCostRec {
    vehicle: String,
    date: NaiveDate,
    kind: VehicleCostKind,
    label: String,
    amount: Decimal,
}

/// The history a vehicle saved without one has: its current status's change.
fn derived_history(
    status: VehicleStatus,
    since: Option<NaiveDate>,
) -> Vec<(NaiveDate, VehicleStatus)> {
    since.map(|d| (d, status)).into_iter().collect()
}

/// A meter reading in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingRec {
    vehicle: String,
    meter: Meter,
    date: NaiveDate,
    value: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    replaced: bool,
}

/// A fuel line in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FuelRec {
    vehicle: String,
    date: NaiveDate,
    quantity: Decimal,
    unit: FuelUnit,
    ht: Decimal,
    vat: VatRate,
}

/// An inspection in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InspectionRec {
    vehicle: String,
    kind: InspectionKind,
    date: NaiveDate,
    result: InspectionResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter_visit_by: Option<NaiveDate>,
}

/// The fleet's sections of the dataset (each optional: a dataset written
/// before the fleet existed has none).
#[derive(Default)]
pub(crate) struct FleetRecords {
    pub(crate) vehicles: Vec<VehicleRec>,
    pub(crate) meter_readings: Vec<ReadingRec>,
    pub(crate) fuel_lines: Vec<FuelRec>,
    pub(crate) inspections: Vec<InspectionRec>,
    pub(crate) maintenance_plans: Vec<events::PlanV1>,
    pub(crate) vehicle_costs: Vec<VehicleCostRec>,
}

impl Mutualis {
    /// The fleet as dataset records.
    pub(crate) fn fleet_records(&self) -> FleetRecords {
        let mut r = FleetRecords::default();
        for (at, v) in self.fleet.vehicles.iter().enumerate() {
            let code = self.asset_code(v.asset).to_owned();
            r.vehicles.push(VehicleRec {
                asset: code.clone(),
                category: v.category,
                registration: v.registration.clone(),
                vin: v.vin.clone(),
                first_registration: v.first_registration,
                weight: v.weight,
                energy: v.energy,
                service: v.service.map(|s| {
                    let (t, c) = self.service_codes(s);
                    ServiceRef {
                        tenant: t.to_owned(),
                        service: c.to_owned(),
                    }
                }),
                lifts_persons: v.lifts_persons,
                status: v.status,
                status_since: v.status_since,
                status_history: {
                    let h = &self.fleet.statuses[at];
                    if *h == derived_history(v.status, v.status_since) {
                        Vec::new()
                    } else {
                        h.iter()
                            .map(|&(since, status)| StatusRec { since, status })
                            .collect()
                    }
                },
                purchase: self.fleet.purchases[at],
            });
            for c in &self.fleet.costs[at] {
                r.vehicle_costs.push(VehicleCostRec {
                    vehicle: code.clone(),
                    date: c.date,
                    kind: c.kind,
                    label: c.label.clone(),
                    amount: c.amount,
                });
            }
            for meter in Meter::ALL {
                for x in &self.fleet.meters[at][meter_index(*meter)] {
                    r.meter_readings.push(ReadingRec {
                        vehicle: code.clone(),
                        meter: *meter,
                        date: x.date,
                        value: x.value,
                        replaced: x.replaced,
                    });
                }
            }
            for f in &self.fleet.fuel[at] {
                r.fuel_lines.push(FuelRec {
                    vehicle: code.clone(),
                    date: f.date,
                    quantity: f.quantity,
                    unit: f.unit,
                    ht: f.ht,
                    vat: f.vat,
                });
            }
            for i in &self.fleet.inspections[at] {
                r.inspections.push(InspectionRec {
                    vehicle: code.clone(),
                    kind: i.kind,
                    date: i.date,
                    result: i.result,
                    counter_visit_by: i.counter_visit_by,
                });
            }
        }
        for p in &self.fleet.plans {
            r.maintenance_plans.push(events::PlanV1 {
                code: p.code.clone(),
                vehicle: self.asset_code(p.vehicle).to_owned(),
                label: p.label.clone(),
                every_km: p.every_km,
                every_hours: p.every_hours,
                every_months: p.every_months,
                last_date: p.last_date,
                last_km: p.last_km,
                last_hours: p.last_hours,
            });
        }
        r
    }

    /// Loads the fleet's dataset records with the commands' checks.
    pub(crate) fn restore_fleet(&mut self, r: FleetRecords) -> Result<()> {
        for v in &r.vehicles {
            self.register_vehicle(NewVehicle {
                asset: v.asset.clone(),
                category: v.category,
                registration: v.registration.clone(),
                vin: v.vin.clone(),
                first_registration: v.first_registration,
                weight: v.weight,
                energy: v.energy,
                service: v.service.clone(),
                lifts_persons: v.lifts_persons,
            })?;
        }
        for x in r.meter_readings {
            self.push_reading(&x.vehicle, x.meter, x.date, x.value, x.replaced)?;
        }
        for f in r.fuel_lines {
            self.record_fuel(
                &f.vehicle,
                NewFuelLine {
                    date: f.date,
                    quantity: f.quantity,
                    unit: f.unit,
                    ht: f.ht,
                    vat: f.vat,
                },
            )?;
        }
        for i in r.inspections {
            self.restore_inspection(
                &i.vehicle,
                NewInspection {
                    kind: i.kind,
                    date: i.date,
                    result: i.result,
                    counter_visit_by: i.counter_visit_by,
                },
            )?;
        }
        for p in r.maintenance_plans {
            self.add_maintenance_plan(p.into())?;
        }
        for c in r.vehicle_costs {
            self.record_vehicle_cost(
                &c.vehicle,
                NewVehicleCost {
                    date: c.date,
                    kind: c.kind,
                    label: c.label,
                    amount: c.amount,
                },
            )?;
        }
        for v in &r.vehicles {
            self.restore_vehicle_status(&v.asset, v.status, v.status_since)?;
            self.restore_vehicle_extras(v)?;
        }
        Ok(())
    }
}
