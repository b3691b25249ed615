//! The fleet seen from Kotlin (parc auto, issue 13): the register, meter
//! readings, fuel and charging lines, inspections and maintenance plans,
//! the due list and use figures. The rules are the core's
//! (`mutualis::fleet`); this file only converts.

use chrono::NaiveDate;
use mutualis as mx;
use mx::fleet as mf;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;
use crate::types::VatRate;

mirror_enum! {
    /// The category of a vehicle or machine.
    pub enum VehicleCategory mirrors mf::VehicleCategory, "vehicle category" {
        /// Passenger car.
        Car,
        /// Light commercial vehicle, ≤ 3.5 t.
        Van,
        /// Truck over 3.5 t.
        TruckOver3_5t,
        /// Bus or coach.
        Bus,
        /// Tractor.
        Tractor,
        /// Mower.
        Mower,
        /// Aerial work platform (nacelle).
        AerialWorkPlatform,
        /// Crane or other lifting equipment.
        Crane,
        /// Trailer.
        Trailer,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// The gross weight category.
    pub enum WeightClass mirrors mf::WeightClass, "weight class" {
        /// Up to 3.5 t.
        UpTo3_5t,
        /// Over 3.5 t.
        Over3_5t,
    }
}

mirror_enum! {
    /// The energy a vehicle runs on.
    pub enum Energy mirrors mf::Energy, "energy" {
        /// Diesel.
        Diesel,
        /// Petrol.
        Petrol,
        /// Battery electric.
        Electric,
        /// Hybrid.
        Hybrid,
        /// Compressed natural gas.
        Cng,
        /// Liquefied petroleum gas.
        Lpg,
        /// Hydrogen.
        Hydrogen,
        /// None or anything else.
        Other,
    }
}

mirror_enum! {
    /// Where a vehicle stands.
    pub enum VehicleStatus mirrors mf::VehicleStatus, "vehicle status" {
        /// In service.
        InService,
        /// Immobilised from a date.
        Immobilised,
        /// Reformed on a date.
        Reformed,
        /// Sold on a date.
        Sold,
    }
}

mirror_enum! {
    /// A meter of a vehicle.
    pub enum Meter mirrors mf::Meter, "meter" {
        /// Odometer, km.
        Km,
        /// Engine hours.
        Hours,
    }
}

mirror_enum! {
    /// What a fuel or charging line measures.
    pub enum FuelUnit mirrors mf::FuelUnit, "fuel unit" {
        /// Litres of fuel.
        Litres,
        /// kWh of electricity.
        Kwh,
    }
}

mirror_enum! {
    /// A regulatory inspection.
    pub enum InspectionKind mirrors mf::InspectionKind, "inspection kind" {
        /// Contrôle technique (Code de la route R323-22 ff.).
        ControleTechnique,
        /// Vérification générale périodique of lifting equipment (arrêté du 1er mars 2004).
        Vgp,
    }
}

mirror_enum! {
    /// The result of an inspection.
    pub enum InspectionResult mirrors mf::InspectionResult, "inspection result" {
        /// Passed.
        Passed,
        /// A counter-visit is required by a deadline.
        CounterVisit,
        /// Failed: the vehicle is immobilised.
        Failed,
    }
}

/// A vehicle or machine to register (the fleet attributes of an existing asset).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewVehicle {
    /// Asset code (an asset of kind vehicle or equipment).
    pub asset: String,
    /// Category.
    pub category: VehicleCategory,
    /// Energy.
    pub energy: Energy,
    /// Registration number (SIV `AB-123-CD` or FNI `123 ABC 45`; null for machines).
    #[uniffi(default = None)]
    pub registration: Option<String>,
    /// First registration date (with a registration number).
    #[uniffi(default = None)]
    pub first_registration: Option<NaiveDate>,
    /// VIN.
    #[uniffi(default = None)]
    pub vin: Option<String>,
    /// Gross weight category (null: by category).
    #[uniffi(default = None)]
    pub weight: Option<WeightClass>,
    /// Tenant of the assigned service.
    #[uniffi(default = None)]
    pub service_tenant: Option<String>,
    /// Assigned service.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Lifts persons (null: true for an aerial work platform).
    #[uniffi(default = None)]
    pub lifts_persons: Option<bool>,
}

/// A registered vehicle or machine.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Vehicle {
    /// Asset code.
    pub asset: String,
    /// Category.
    pub category: VehicleCategory,
    /// Registration number, normalised.
    pub registration: Option<String>,
    /// VIN.
    pub vin: Option<String>,
    /// First registration date.
    pub first_registration: Option<NaiveDate>,
    /// Gross weight category.
    pub weight: WeightClass,
    /// Energy.
    pub energy: Energy,
    /// Tenant of the assigned service.
    pub service_tenant: Option<String>,
    /// Assigned service.
    pub service: Option<String>,
    /// Lifts persons.
    pub lifts_persons: bool,
    /// Status.
    pub status: VehicleStatus,
    /// Since when.
    pub status_since: Option<NaiveDate>,
}

/// A meter reading.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reading {
    /// Date.
    pub date: NaiveDate,
    /// Value.
    pub value: u64,
    /// The first reading of a replaced meter.
    pub replaced: bool,
}

/// A recorded inspection.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Inspection {
    /// Asset code.
    pub vehicle: String,
    /// Which inspection.
    pub kind: InspectionKind,
    /// Date.
    pub date: NaiveDate,
    /// Result.
    pub result: InspectionResult,
    /// Counter-visit deadline.
    pub counter_visit_by: Option<NaiveDate>,
}

/// One row of a due list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DueItem {
    /// Asset code.
    pub vehicle: String,
    /// The owner's code on the list's date.
    pub owner: String,
    /// The inspection due (null: a maintenance plan).
    pub inspection: Option<InspectionKind>,
    /// The maintenance plan's code (null: an inspection).
    pub plan: Option<String>,
    /// Due by this date (inclusive).
    pub due: NaiveDate,
    /// Odometer due.
    pub due_km: Option<u64>,
    /// Engine hours due.
    pub due_hours: Option<u64>,
    /// The list's date is after `due`.
    pub overdue: bool,
    /// Legal basis, or "plan".
    pub basis: String,
}

/// A vehicle's figures over a period.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VehicleUse {
    /// Asset code.
    pub vehicle: String,
    /// Km driven.
    pub km: u64,
    /// Engine hours.
    pub hours: u64,
    /// Litres of fuel.
    pub litres: Decimal,
    /// kWh charged.
    pub kwh: Decimal,
    /// Energy excluding VAT.
    pub energy_ht: Decimal,
    /// Litres per 100 km.
    pub litres_per_100km: Option<Decimal>,
    /// Energy cost per km excluding VAT.
    pub cost_per_km: Option<Decimal>,
}

fn due_item(m: &mx::Mutualis, d: &mf::DueItem) -> Result<DueItem, MutualisError> {
    let (inspection, plan) = match d.what {
        mf::DueWhat::Inspection(k) => (Some(k.try_into()?), None),
        mf::DueWhat::Maintenance(i) => (None, m.maintenance_plans().get(i).map(|p| p.code.clone())),
        other => {
            return Err(MutualisError::internal(format!(
                "due item {other:?} is not known to this binding"
            )))
        }
    };
    Ok(DueItem {
        vehicle: m.asset_code(d.vehicle).to_owned(),
        owner: m.tenant_code(d.owner).to_owned(),
        inspection,
        plan,
        due: d.due,
        due_km: d.due_km,
        due_hours: d.due_hours,
        overdue: d.overdue,
        basis: d.basis.to_owned(),
    })
}

#[uniffi::export]
impl Mutualis {
    // -- Fleet (parc auto) -------------------------------------------------------

    /// Registers an existing asset (kind vehicle or equipment) in the fleet.
    /// Throws `UnknownAsset`, `NotInFleet` (not a vehicle or equipment,
    /// already registered), `InvalidRegistration`, `InvalidVin`,
    /// `InvalidField`, `UnknownTenant`, `UnknownService`.
    pub fn register_vehicle(&self, vehicle: NewVehicle) -> Result<(), MutualisError> {
        let mut spec = mf::NewVehicle::new(
            &vehicle.asset,
            vehicle.category.into(),
            vehicle.energy.into(),
        );
        spec.registration = vehicle.registration;
        spec.first_registration = vehicle.first_registration;
        spec.vin = vehicle.vin;
        if let Some(w) = vehicle.weight {
            spec.weight = w.into();
        }
        if let Some(l) = vehicle.lifts_persons {
            spec.lifts_persons = l;
        }
        match (vehicle.service_tenant, vehicle.service) {
            (Some(t), Some(s)) => spec = spec.assigned_to(&t, &s),
            (None, None) => {}
            _ => {
                return Err(mx::Error::InvalidField {
                    field: "service",
                    reason: "serviceTenant and service go together".into(),
                }
                .into())
            }
        }
        self.write(|m| m.register_vehicle(spec))
    }

    /// Sets a vehicle's status from a date. Throws `NotInFleet`, `InvalidField`.
    pub fn set_vehicle_status(
        &self,
        vehicle: String,
        status: VehicleStatus,
        since: NaiveDate,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_vehicle_status(&vehicle, status.into(), since))
    }

    /// Records a meter reading (a driver's or a mechanic's). Throws
    /// `MeterRegression` (lower than, or dated before, the last reading:
    /// record a replacement first), `NotInFleet`.
    pub fn record_meter_reading(
        &self,
        vehicle: String,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_meter_reading(&vehicle, meter.into(), date, value))
    }

    /// Records a meter replacement: from `date` the meter reads `value`.
    pub fn replace_meter(
        &self,
        vehicle: String,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.replace_meter(&vehicle, meter.into(), date, value))
    }

    /// Records a fuel or charging line. Throws `InvalidQuantity`,
    /// `SubCentAmount`, `VatRateNotInForce`, `NotInFleet`.
    pub fn record_fuel(
        &self,
        vehicle: String,
        date: NaiveDate,
        quantity: Decimal,
        unit: FuelUnit,
        ht: Decimal,
        vat: VatRate,
    ) -> Result<(), MutualisError> {
        let line = mf::NewFuelLine {
            date,
            quantity,
            unit: unit.into(),
            ht,
            vat: vat.into(),
        };
        self.write(|m| m.record_fuel(&vehicle, line))
    }

    /// Records an inspection's result (a failed one immobilises the
    /// vehicle). Throws `NotInFleet` (no such inspection applies),
    /// `DatesOutOfOrder`, `InvalidField`.
    #[uniffi::method(default(counter_visit_by = None))]
    pub fn record_inspection(
        &self,
        vehicle: String,
        kind: InspectionKind,
        date: NaiveDate,
        result: InspectionResult,
        counter_visit_by: Option<NaiveDate>,
    ) -> Result<(), MutualisError> {
        let i = mf::NewInspection {
            kind: kind.into(),
            date,
            result: result.into(),
            counter_visit_by,
        };
        self.write(|m| m.record_inspection(&vehicle, i))
    }

    /// Adds a preventive maintenance plan, whichever of its intervals first.
    #[uniffi::method(default(every_km = None, every_hours = None, every_months = None, last_km = None, last_hours = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn add_maintenance_plan(
        &self,
        code: String,
        vehicle: String,
        label: String,
        last_date: NaiveDate,
        every_km: Option<u64>,
        every_hours: Option<u64>,
        every_months: Option<u32>,
        last_km: Option<u64>,
        last_hours: Option<u64>,
    ) -> Result<(), MutualisError> {
        let plan = mf::NewMaintenancePlan {
            code,
            vehicle,
            label,
            every_km,
            every_hours,
            every_months,
            last_date,
            last_km,
            last_hours,
        };
        self.write(|m| m.add_maintenance_plan(plan))
    }

    /// Records that a plan's service was done (km and hours: the day's
    /// readings when null).
    #[uniffi::method(default(km = None, hours = None))]
    pub fn record_maintenance(
        &self,
        plan: String,
        date: NaiveDate,
        km: Option<u64>,
        hours: Option<u64>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_maintenance(&plan, date, km, hours))
    }

    /// Creates the work order `code` of a plan's next service by a régie team.
    pub fn maintenance_work_order(
        &self,
        plan: String,
        code: String,
        team: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.maintenance_work_order(&plan, &code, &team).map(drop))
    }

    /// The fleet register.
    pub fn vehicles(&self) -> Result<Vec<Vehicle>, MutualisError> {
        self.view(|m, r| r.vehicles().into_iter().map(|v| vehicle(m, v)).collect())
    }

    /// One vehicle. Throws `UnknownAsset`, `NotInFleet`.
    pub fn vehicle(&self, code: String) -> Result<Vehicle, MutualisError> {
        self.view(|m, r| vehicle(m, r.vehicle(&code)?))
    }

    /// A vehicle's readings of a meter, oldest first.
    pub fn meter_readings(
        &self,
        vehicle: String,
        meter: Meter,
    ) -> Result<Vec<Reading>, MutualisError> {
        self.view(|_, r| {
            Ok(r.meter_readings(&vehicle, meter.into())?
                .iter()
                .map(|r| Reading {
                    date: r.date,
                    value: r.value,
                    replaced: r.replaced,
                })
                .collect())
        })
    }

    /// A vehicle's inspections, in recording order.
    pub fn inspections(&self, vehicle: String) -> Result<Vec<Inspection>, MutualisError> {
        self.view(|m, r| {
            r.inspections(&vehicle)?
                .iter()
                .map(|i| {
                    Ok(Inspection {
                        vehicle: m.asset_code(i.vehicle).to_owned(),
                        kind: i.kind.try_into()?,
                        date: i.date,
                        result: i.result.try_into()?,
                        counter_visit_by: i.counter_visit_by,
                    })
                })
                .collect()
        })
    }

    /// Everything due for one vehicle on `on`.
    pub fn vehicle_due(
        &self,
        vehicle: String,
        on: NaiveDate,
    ) -> Result<Vec<DueItem>, MutualisError> {
        self.view(|m, r| {
            r.vehicle_due(&vehicle, on)?
                .iter()
                .map(|d| due_item(m, d))
                .collect()
        })
    }

    /// The fleet's due list on `on`: due by `on + withinDays`, overdue included.
    pub fn fleet_due(
        &self,
        on: NaiveDate,
        within_days: u32,
    ) -> Result<Vec<DueItem>, MutualisError> {
        self.view(|m, r| {
            r.fleet_due(on, within_days)
                .iter()
                .map(|d| due_item(m, d))
                .collect()
        })
    }

    /// A vehicle's km, energy and cost per km from `from` to `to` (inclusive).
    pub fn vehicle_use(
        &self,
        vehicle: String,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<VehicleUse, MutualisError> {
        let p = mx::Period::new(from, Some(to))?;
        self.view(|m, r| {
            let u = r.vehicle_use(&vehicle, &p)?;
            Ok(VehicleUse {
                vehicle: m.asset_code(u.vehicle).to_owned(),
                km: u.km,
                hours: u.hours,
                litres: u.litres,
                kwh: u.kwh,
                energy_ht: u.energy_ht,
                litres_per_100km: u.litres_per_100km,
                cost_per_km: u.cost_per_km,
            })
        })
    }
}

fn vehicle(m: &mx::Mutualis, v: &mf::Vehicle) -> Result<Vehicle, MutualisError> {
    let (service_tenant, service) = v
        .service
        .map(|s| {
            let (t, c) = m.service_codes(s);
            (t.to_owned(), c.to_owned())
        })
        .unzip();
    Ok(Vehicle {
        asset: m.asset_code(v.asset).to_owned(),
        category: v.category.try_into()?,
        registration: v.registration.clone(),
        vin: v.vin.clone(),
        first_registration: v.first_registration,
        weight: v.weight.try_into()?,
        energy: v.energy.try_into()?,
        service_tenant,
        service,
        lifts_persons: v.lifts_persons,
        status: v.status.try_into()?,
        status_since: v.status_since,
    })
}

mirror_enum! {
    /// The kind of a vehicle's other dated cost line.
    pub enum VehicleCostKind mirrors mf::VehicleCostKind, "vehicle cost kind" {
        /// Insurance premium.
        Insurance,
        /// A tax.
        Tax,
        /// Anything else.
        Other,
    }
}

/// A dashboard row for a year, a vehicle's (`vehicle` set, `vehicles` 1) or
/// a tenant's service's (docs/fleet.md, "Dashboards").
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FleetDashboard {
    /// Asset code (a vehicle's row), else null.
    pub vehicle: Option<String>,
    /// Owner on the year's first day.
    pub tenant: String,
    /// Tenant of the service.
    pub service_tenant: Option<String>,
    /// Service (assigned, else managing).
    pub service: Option<String>,
    /// Vehicles counted.
    pub vehicles: u32,
    /// The year.
    pub year: i32,
    /// Days in the fleet (commissioned, not reformed or sold).
    pub days_in_fleet: u32,
    /// Days immobilised (status, or a failed inspection until the next pass).
    pub days_immobilised: u32,
    /// Days available (in the fleet, not immobilised).
    pub days_available: u32,
    /// Available days used (a loan use, a work order, a fuel line).
    pub days_used: u32,
    /// daysUsed / daysAvailable, 4 decimals.
    pub utilisation: Option<Decimal>,
    /// Km driven.
    pub km: u64,
    /// Fuel and charging, HT.
    pub energy_ht: Decimal,
    /// Maintenance (cost lines on the vehicle), HT.
    pub maintenance_ht: Decimal,
    /// (energyHt + maintenanceHt) / km, 4 decimals.
    pub cost_per_km: Option<Decimal>,
    /// The purchase's amortisation of the year.
    pub amortisation: Decimal,
    /// Maintenance TTC.
    pub maintenance_ttc: Decimal,
    /// Fuel and charging TTC.
    pub energy_ttc: Decimal,
    /// Insurance, taxes and other costs.
    pub other_costs: Decimal,
    /// Total cost of ownership.
    pub tco: Decimal,
}

fn vehicle_row(m: &mx::Mutualis, r: &mf::VehicleDashboard) -> FleetDashboard {
    let (service_tenant, service) = service_codes(m, r.service);
    FleetDashboard {
        vehicle: Some(m.asset_code(r.vehicle).to_owned()),
        tenant: m.tenant_code(r.owner).to_owned(),
        service_tenant,
        service,
        vehicles: 1,
        year: r.year,
        days_in_fleet: r.days_in_fleet,
        days_immobilised: r.days_immobilised,
        days_available: r.days_available,
        days_used: r.days_used,
        utilisation: r.utilisation,
        km: r.km,
        energy_ht: r.energy_ht,
        maintenance_ht: r.maintenance_ht,
        cost_per_km: r.cost_per_km,
        amortisation: r.amortisation,
        maintenance_ttc: r.maintenance_ttc,
        energy_ttc: r.energy_ttc,
        other_costs: r.other_costs,
        tco: r.tco,
    }
}

fn service_row(m: &mx::Mutualis, r: &mf::ServiceDashboard) -> FleetDashboard {
    let (service_tenant, service) = service_codes(m, r.service);
    FleetDashboard {
        vehicle: None,
        tenant: m.tenant_code(r.tenant).to_owned(),
        service_tenant,
        service,
        vehicles: u32::try_from(r.vehicles).unwrap_or(u32::MAX),
        year: r.year,
        days_in_fleet: r.days_in_fleet,
        days_immobilised: r.days_immobilised,
        days_available: r.days_available,
        days_used: r.days_used,
        utilisation: r.utilisation,
        km: r.km,
        energy_ht: r.energy_ht,
        maintenance_ht: r.maintenance_ht,
        cost_per_km: r.cost_per_km,
        amortisation: r.amortisation,
        maintenance_ttc: r.maintenance_ttc,
        energy_ttc: r.energy_ttc,
        other_costs: r.other_costs,
        tco: r.tco,
    }
}

fn service_codes(m: &mx::Mutualis, s: Option<mx::ServiceId>) -> (Option<String>, Option<String>) {
    s.map(|s| {
        let (t, c) = m.service_codes(s);
        (t.to_owned(), c.to_owned())
    })
    .unzip()
}

#[uniffi::export]
impl Mutualis {
    /// Sets a vehicle's purchase: `amount` paid on `date`, amortised linearly
    /// over `years` (the purchase's year counts in full, the last year absorbs
    /// the rounding). Throws `InvalidQuantity`, `SubCentAmount`, `InvalidField`,
    /// `NotInFleet`.
    pub fn set_vehicle_purchase(
        &self,
        vehicle: String,
        amount: Decimal,
        date: NaiveDate,
        years: u32,
    ) -> Result<(), MutualisError> {
        let p = mf::Purchase {
            amount,
            date,
            years,
        };
        self.write(|m| m.set_vehicle_purchase(&vehicle, p))
    }

    /// Records another dated cost of a vehicle (insurance, tax…). Throws
    /// `InvalidQuantity`, `SubCentAmount`, `InvalidField`, `NotInFleet`.
    pub fn record_vehicle_cost(
        &self,
        vehicle: String,
        date: NaiveDate,
        kind: VehicleCostKind,
        label: String,
        amount: Decimal,
    ) -> Result<(), MutualisError> {
        let cost = mf::NewVehicleCost {
            date,
            kind: kind.into(),
            label,
            amount,
        };
        self.write(|m| m.record_vehicle_cost(&vehicle, cost))
    }

    /// A vehicle's dashboard for a year. Throws `NotInFleet`, `YearOutOfRange`.
    pub fn vehicle_dashboard(
        &self,
        vehicle: String,
        year: i32,
    ) -> Result<FleetDashboard, MutualisError> {
        self.view(|m, r| Ok(vehicle_row(m, &r.vehicle_dashboard(&vehicle, year)?)))
    }

    /// Every vehicle's dashboard for a year (those the principal sees).
    pub fn fleet_dashboard(&self, year: i32) -> Result<Vec<FleetDashboard>, MutualisError> {
        self.view(|m, r| {
            Ok(r.fleet_dashboard(year)?
                .iter()
                .map(|x| vehicle_row(m, x))
                .collect())
        })
    }

    /// The dashboards summed by owner and service for a year.
    pub fn fleet_dashboard_by_service(
        &self,
        year: i32,
    ) -> Result<Vec<FleetDashboard>, MutualisError> {
        self.view(|m, r| {
            Ok(r.fleet_dashboard_by_service(year)?
                .iter()
                .map(|x| service_row(m, x))
                .collect())
        })
    }
}
