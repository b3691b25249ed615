//! The fleet (parc auto): vehicles and equipment registered on top of
//! assets of the patrimoine, their meters, fuel and charging lines,
//! regulatory inspections and preventive maintenance plans (docs/fleet.md).
//!
//! A vehicle is an asset of kind [`AssetKind::Vehicle`](crate::AssetKind::Vehicle) or
//! [`AssetKind::Equipment`](crate::AssetKind::Equipment) with fleet attributes: it stays an asset (costs,
//! payers, custody, keys and transfers of ownership apply). Inspection
//! periodicities are dated data with their legal basis
//! ([`INSPECTION_RULES`]).
//!
//! ```
//! use mutualis::fleet::{Energy, NewVehicle, VehicleCategory};
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("VL-01", "Kangoo", AssetKind::Vehicle, "ROANNE", d(2022, 3, 15))).unwrap();
//! m.register_vehicle(
//!     NewVehicle::new("VL-01", VehicleCategory::Van, Energy::Diesel)
//!         .registered("GA-123-BC", d(2022, 3, 15)),
//! ).unwrap();
//! let due = m.vehicle_due("VL-01", d(2026, 1, 1)).unwrap();
//! assert_eq!(due[0].due, d(2026, 3, 15)); // contrôle technique, R323-22
//! ```

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assets::ServiceRef;
use crate::error::Error;
use crate::ids::{AssetId, ServiceId, TenantId};
use crate::kinds::named_enum;
use crate::money::VatRate;
use crate::period::Period;

mod costs;
mod dashboards;
pub(crate) mod dataset;
pub mod events;
mod inspections;
mod maintenance;
mod meters;
mod register;
mod yearly;

pub(crate) use dashboards::kept;
pub(crate) use dataset::{
    FleetRecords, FuelRec, InspectionRec, ReadingRec, VehicleCostRec, VehicleRec,
};
pub use events::FleetEvent;
pub use register::{check_registration, check_vin};

named_enum! {
    /// The category of a vehicle or machine.
    pub enum VehicleCategory as "vehicle category" {
        /// Passenger car (VP).
        Car = "car",
        /// Light commercial vehicle (VUL), ≤ 3.5 t.
        Van = "van",
        /// Truck over 3.5 t (PL).
        TruckOver3_5t = "truck_over_3_5t",
        /// Bus or coach (transport en commun de personnes).
        Bus = "bus",
        /// Tractor.
        Tractor = "tractor",
        /// Mower.
        Mower = "mower",
        /// Aerial work platform (nacelle, PEMP).
        AerialWorkPlatform = "aerial_work_platform",
        /// Crane or other lifting equipment.
        Crane = "crane",
        /// Trailer.
        Trailer = "trailer",
        /// Anything else.
        Other = "other",
    }
}

named_enum! {
    /// The gross weight category (PTAC).
    pub enum WeightClass as "weight class" {
        /// Up to 3.5 t.
        UpTo3_5t = "up_to_3_5t",
        /// Over 3.5 t.
        Over3_5t = "over_3_5t",
    }
}

named_enum! {
    /// The energy a vehicle runs on.
    pub enum Energy as "energy" {
        /// Diesel (gazole).
        Diesel = "diesel",
        /// Petrol (essence).
        Petrol = "petrol",
        /// Battery electric.
        Electric = "electric",
        /// Hybrid.
        Hybrid = "hybrid",
        /// Compressed natural gas (GNV).
        Cng = "cng",
        /// Liquefied petroleum gas (GPL).
        Lpg = "lpg",
        /// Hydrogen.
        Hydrogen = "hydrogen",
        /// None or anything else (a trailer, a hand tool).
        Other = "other",
    }
}

named_enum! {
    /// Where a vehicle stands.
    pub enum VehicleStatus as "vehicle status" {
        /// In service.
        InService = "in_service",
        /// Immobilised (broken down, failed inspection) from a date.
        Immobilised = "immobilised",
        /// Reformed (réformé) on a date.
        Reformed = "reformed",
        /// Sold (cédé) on a date.
        Sold = "sold",
    }
}

named_enum! {
    /// A meter of a vehicle.
    pub enum Meter as "meter" {
        /// Odometer, in km.
        Km = "km",
        /// Engine hours.
        Hours = "hours",
    }
}

named_enum! {
    /// What a fuel or charging line measures.
    pub enum FuelUnit as "fuel unit" {
        /// Litres of fuel.
        Litres = "litres",
        /// kWh of electricity.
        Kwh = "kwh",
    }
}

named_enum! {
    /// A regulatory inspection.
    pub enum InspectionKind as "inspection kind" {
        /// Contrôle technique (Code de la route R323-22 ff.).
        ControleTechnique = "controle_technique",
        /// Vérification générale périodique of lifting equipment (arrêté du 1er mars 2004).
        Vgp = "vgp",
    }
}

named_enum! {
    /// The result of an inspection.
    pub enum InspectionResult as "inspection result" {
        /// Passed: next due after the periodicity.
        Passed = "passed",
        /// A counter-visit is required by a deadline.
        CounterVisit = "counter_visit",
        /// Failed: the vehicle is immobilised from the inspection's date.
        Failed = "failed",
    }
}

named_enum! {
    /// The kind of a vehicle's other dated cost line (besides work orders and fuel).
    pub enum VehicleCostKind as "vehicle cost kind" {
        /// Insurance premium.
        Insurance = "insurance",
        /// A tax (certificat d'immatriculation, taxe à l'essieu…).
        Tax = "tax",
        /// Anything else (leasing fee, parking, tolls…).
        Other = "other",
    }
}

/// Which vehicles an [`InspectionRule`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleScope {
    /// Registered road vehicles ≤ 3.5 t (cars, vans).
    LightRoad,
    /// Registered road vehicles > 3.5 t (trucks, heavy trailers), buses excepted.
    HeavyRoad,
    /// Buses and coaches.
    Bus,
    /// Lifting equipment (cranes).
    Lifting,
    /// Aerial work platforms and equipment lifting persons.
    LiftingPersons,
}

/// A periodicity of a regulatory inspection, as data with its legal basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectionRule {
    /// The inspection.
    pub kind: InspectionKind,
    /// The vehicles it applies to.
    pub scope: RuleScope,
    /// In force from this date (the rule in force on the due list's date applies).
    pub since: NaiveDate,
    /// Months from the base date (first registration; commissioning for a
    /// VGP) to the first due date.
    pub first_months: u32,
    /// How many months before the first due date an inspection is accepted.
    pub window_months: u32,
    /// Months from an inspection passed to the next due date.
    pub every_months: u32,
    /// Months given for a counter-visit when the inspection names no deadline.
    pub counter_visit_months: u32,
    /// The legal basis.
    pub basis: &'static str,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => NaiveDate::MIN,
    }
}

/// The inspection periodicities (data; several versions of a rule may be
/// listed with their `since` dates).
pub const INSPECTION_RULES: &[InspectionRule] = &[
    InspectionRule {
        kind: InspectionKind::ControleTechnique,
        scope: RuleScope::LightRoad,
        since: ymd(1992, 1, 1),
        first_months: 48,
        window_months: 6,
        every_months: 24,
        counter_visit_months: 2,
        basis: "Code de la route R323-22",
    },
    InspectionRule {
        kind: InspectionKind::ControleTechnique,
        scope: RuleScope::HeavyRoad,
        since: ymd(1992, 1, 1),
        first_months: 12,
        window_months: 3,
        every_months: 12,
        counter_visit_months: 2,
        basis: "Code de la route R323-25, R323-26",
    },
    InspectionRule {
        kind: InspectionKind::ControleTechnique,
        scope: RuleScope::Bus,
        since: ymd(1992, 1, 1),
        first_months: 6,
        window_months: 0,
        every_months: 6,
        counter_visit_months: 2,
        basis: "Code de la route R323-23",
    },
    InspectionRule {
        kind: InspectionKind::Vgp,
        scope: RuleScope::Lifting,
        since: ymd(2004, 3, 1),
        first_months: 12,
        window_months: 0,
        every_months: 12,
        counter_visit_months: 1,
        basis: "arrêté du 1er mars 2004, art. 23",
    },
    InspectionRule {
        kind: InspectionKind::Vgp,
        scope: RuleScope::LiftingPersons,
        since: ymd(2004, 3, 1),
        first_months: 6,
        window_months: 0,
        every_months: 6,
        counter_visit_months: 1,
        basis: "arrêté du 1er mars 2004, art. 23 (appareils de levage de personnes)",
    },
];

/// A vehicle or machine to register (the fleet attributes of an existing asset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVehicle {
    /// Asset code (an asset of kind vehicle or equipment).
    pub asset: String,
    /// Category.
    pub category: VehicleCategory,
    /// Registration number (none for machines).
    pub registration: Option<String>,
    /// VIN, if known.
    pub vin: Option<String>,
    /// Date of first registration (mise en circulation), if registered.
    pub first_registration: Option<NaiveDate>,
    /// Gross weight category.
    pub weight: WeightClass,
    /// Energy.
    pub energy: Energy,
    /// Assigned service (else the asset's managing service).
    pub service: Option<ServiceRef>,
    /// The equipment lifts persons (VGP every 6 months).
    pub lifts_persons: bool,
}

impl NewVehicle {
    /// A machine without registration; the weight class is over 3.5 t for
    /// trucks and buses, else up to 3.5 t.
    #[must_use]
    pub fn new(asset: &str, category: VehicleCategory, energy: Energy) -> NewVehicle {
        let weight = match category {
            VehicleCategory::TruckOver3_5t | VehicleCategory::Bus => WeightClass::Over3_5t,
            _ => WeightClass::UpTo3_5t,
        };
        NewVehicle {
            asset: asset.to_owned(),
            category,
            registration: None,
            vin: None,
            first_registration: None,
            weight,
            energy,
            service: None,
            lifts_persons: category == VehicleCategory::AerialWorkPlatform,
        }
    }

    /// With a registration number and its first registration date.
    #[must_use]
    pub fn registered(mut self, number: &str, first: NaiveDate) -> NewVehicle {
        self.registration = Some(number.to_owned());
        self.first_registration = Some(first);
        self
    }

    /// With a VIN.
    #[must_use]
    pub fn with_vin(mut self, vin: &str) -> NewVehicle {
        self.vin = Some(vin.to_owned());
        self
    }

    /// With a gross weight category.
    #[must_use]
    pub fn weighing(mut self, weight: WeightClass) -> NewVehicle {
        self.weight = weight;
        self
    }

    /// Assigned to a service.
    #[must_use]
    pub fn assigned_to(mut self, tenant: &str, service: &str) -> NewVehicle {
        self.service = Some(ServiceRef {
            tenant: tenant.to_owned(),
            service: service.to_owned(),
        });
        self
    }

    /// Lifting persons (or not).
    #[must_use]
    pub fn lifting_persons(mut self, yes: bool) -> NewVehicle {
        self.lifts_persons = yes;
        self
    }
}

/// A registered vehicle or machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    /// The asset.
    pub asset: AssetId,
    /// Category.
    pub category: VehicleCategory,
    /// Registration number, normalised.
    pub registration: Option<String>,
    /// VIN, upper case.
    pub vin: Option<String>,
    /// Date of first registration.
    pub first_registration: Option<NaiveDate>,
    /// Gross weight category.
    pub weight: WeightClass,
    /// Energy.
    pub energy: Energy,
    /// Assigned service (none: the asset's managing service, if any).
    pub service: Option<ServiceId>,
    /// Lifts persons.
    pub lifts_persons: bool,
    /// Status.
    pub status: VehicleStatus,
    /// Since when (none: in service since registration).
    pub status_since: Option<NaiveDate>,
}

/// A meter reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Date.
    pub date: NaiveDate,
    /// Value (km or hours).
    pub value: u64,
    /// The first reading of a replaced meter (no distance from the previous one).
    pub replaced: bool,
}

/// A fuel or charging line to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFuelLine {
    /// Date.
    pub date: NaiveDate,
    /// Litres or kWh (positive).
    pub quantity: Decimal,
    /// Unit of `quantity`.
    pub unit: FuelUnit,
    /// Amount excluding VAT, in euros (whole cents).
    pub ht: Decimal,
    /// VAT rate.
    pub vat: VatRate,
}

/// A recorded fuel or charging line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuelLine {
    /// The vehicle.
    pub vehicle: AssetId,
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

/// An inspection to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    /// Which inspection.
    pub kind: InspectionKind,
    /// Date.
    pub date: NaiveDate,
    /// Result.
    pub result: InspectionResult,
    /// Counter-visit deadline (a counter-visit without one gets the rule's default).
    pub counter_visit_by: Option<NaiveDate>,
}

/// A recorded inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspection {
    /// The vehicle.
    pub vehicle: AssetId,
    /// Which inspection.
    pub kind: InspectionKind,
    /// Date.
    pub date: NaiveDate,
    /// Result.
    pub result: InspectionResult,
    /// Counter-visit deadline.
    pub counter_visit_by: Option<NaiveDate>,
}

/// A preventive maintenance plan to add: every `every_km`, `every_hours`
/// or `every_months`, whichever comes first, from the last service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaintenancePlan {
    /// Plan code, unique.
    pub code: String,
    /// Vehicle (asset code).
    pub vehicle: String,
    /// What is done ("Vidange + filtres").
    pub label: String,
    /// Interval in km.
    pub every_km: Option<u64>,
    /// Interval in engine hours.
    pub every_hours: Option<u64>,
    /// Interval in months.
    pub every_months: Option<u32>,
    /// The last service's date.
    pub last_date: NaiveDate,
    /// The odometer at the last service.
    pub last_km: Option<u64>,
    /// The engine hours at the last service.
    pub last_hours: Option<u64>,
}

/// A preventive maintenance plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenancePlan {
    /// Plan code.
    pub code: String,
    /// The vehicle.
    pub vehicle: AssetId,
    /// What is done.
    pub label: String,
    /// Interval in km.
    pub every_km: Option<u64>,
    /// Interval in engine hours.
    pub every_hours: Option<u64>,
    /// Interval in months.
    pub every_months: Option<u32>,
    /// The last service's date.
    pub last_date: NaiveDate,
    /// The odometer at the last service.
    pub last_km: Option<u64>,
    /// The engine hours at the last service.
    pub last_hours: Option<u64>,
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DueWhat {
    /// A regulatory inspection.
    Inspection(InspectionKind),
    /// A maintenance plan (index in [`crate::Mutualis::maintenance_plans`]).
    Maintenance(usize),
}

/// One row of a due list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueItem {
    /// The vehicle.
    pub vehicle: AssetId,
    /// Its owner on the list's date.
    pub owner: TenantId,
    /// Its service (assigned, else managing), if any.
    pub service: Option<ServiceId>,
    /// What is due.
    pub what: DueWhat,
    /// Due by this date (inclusive); for a plan, the calendar or projected
    /// meter date, whichever first.
    pub due: NaiveDate,
    /// For a plan: the odometer value due.
    pub due_km: Option<u64>,
    /// For a plan: the engine hours due.
    pub due_hours: Option<u64>,
    /// The list's date is after `due`.
    pub overdue: bool,
    /// The legal basis (inspections) or "plan" (maintenance).
    pub basis: &'static str,
}

/// A vehicle's figures over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VehicleUse {
    /// The vehicle.
    pub vehicle: AssetId,
    /// Km driven (odometer differences of readings in the period).
    pub km: u64,
    /// Engine hours (differences of readings in the period).
    pub hours: u64,
    /// Litres of fuel.
    pub litres: Decimal,
    /// kWh charged.
    pub kwh: Decimal,
    /// Fuel and charging, excluding VAT.
    pub energy_ht: Decimal,
    /// Litres per 100 km (none without km).
    pub litres_per_100km: Option<Decimal>,
    /// kWh per 100 km (none without km).
    pub kwh_per_100km: Option<Decimal>,
    /// Energy cost per km, excluding VAT (none without km).
    pub cost_per_km: Option<Decimal>,
}

/// Cost per km of a tenant's service over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceCost {
    /// The owner (on the period's first day).
    pub tenant: TenantId,
    /// The service (none: vehicles of no service).
    pub service: Option<ServiceId>,
    /// Vehicles counted.
    pub vehicles: usize,
    /// Km driven.
    pub km: u64,
    /// Energy, excluding VAT.
    pub energy_ht: Decimal,
    /// Energy cost per km (none without km).
    pub cost_per_km: Option<Decimal>,
}

/// A vehicle's purchase, amortised linearly over `years` from the year of
/// `date` (that year counts in full, no prorata temporis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purchase {
    /// Amount paid (what the budget was charged), in euros, whole cents.
    pub amount: Decimal,
    /// Date of purchase (or commissioning).
    pub date: NaiveDate,
    /// Duration of the amortisation, in years (1 to 100).
    pub years: u32,
}

impl Purchase {
    /// The amortisation charged to `year`: the amount divided by the
    /// years, rounded to the cent (half away from zero), the last year
    /// absorbing the rounding so that the years sum to the amount; zero
    /// outside the years.
    ///
    /// ```
    /// use mutualis::fleet::Purchase;
    /// use rust_decimal_macros::dec;
    /// let van = Purchase { amount: dec!(30000.00), date: chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(), years: 7 };
    /// assert_eq!(van.amortisation(2020), dec!(4285.71));
    /// assert_eq!(van.amortisation(2026), dec!(4285.74));
    /// assert_eq!(van.amortisation(2027), dec!(0));
    /// assert_eq!((2020..2027).map(|y| van.amortisation(y)).sum::<rust_decimal::Decimal>(), dec!(30000.00));
    /// ```
    #[must_use]
    pub fn amortisation(&self, year: i32) -> Decimal {
        use chrono::Datelike;
        let k = i64::from(year) - i64::from(self.date.year());
        let n = i64::from(self.years);
        if self.years == 0 || k < 0 || k >= n {
            return Decimal::ZERO;
        }
        let annuity = crate::money::round_cents(self.amount / Decimal::from(self.years));
        if k == n - 1 {
            self.amount - annuity * Decimal::from(self.years - 1)
        } else {
            annuity
        }
    }
}

/// Another dated cost line of a vehicle to record (insurance, tax…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVehicleCost {
    /// Date (the cost counts in this date's year).
    pub date: NaiveDate,
    /// Kind.
    pub kind: VehicleCostKind,
    /// What it is ("Assurance flotte 2026").
    pub label: String,
    /// Amount charged to the budget, in euros, whole cents, not negative.
    pub amount: Decimal,
}

/// A recorded other cost line of a vehicle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleCost {
    /// The vehicle.
    pub vehicle: AssetId,
    /// Date.
    pub date: NaiveDate,
    /// Kind.
    pub kind: VehicleCostKind,
    /// What it is.
    pub label: String,
    /// Amount.
    pub amount: Decimal,
}

/// A vehicle's dashboard for a year (docs/fleet.md, "Dashboards").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VehicleDashboard {
    /// The vehicle.
    pub vehicle: AssetId,
    /// Its owner on the year's first day.
    pub owner: TenantId,
    /// Its service (assigned, else managing), if any.
    pub service: Option<ServiceId>,
    /// The year.
    pub year: i32,
    /// Days of the year in the fleet: the asset in service (commissioned,
    /// not decommissioned), the vehicle not reformed or sold.
    pub days_in_fleet: u32,
    /// Days of those immobilised: status immobilised, or from a failed
    /// inspection to the day before the next one of its kind not failed.
    pub days_immobilised: u32,
    /// Days available: in the fleet and not immobilised.
    pub days_available: u32,
    /// Available days used: a loan use, a vehicle cost line on a work
    /// order, or a fuel or charging line dated that day.
    pub days_used: u32,
    /// `days_used / days_available`, 4 decimals (none without available day).
    pub utilisation: Option<Decimal>,
    /// Km driven in the year.
    pub km: u64,
    /// Fuel and charging, excluding VAT.
    pub energy_ht: Decimal,
    /// Maintenance: the cost lines on the vehicle's asset, excluding VAT.
    pub maintenance_ht: Decimal,
    /// `(energy_ht + maintenance_ht) / km`, 4 decimals (none without km).
    pub cost_per_km: Option<Decimal>,
    /// The purchase's amortisation of the year (zero if none given).
    pub amortisation: Decimal,
    /// Maintenance, VAT included (what the budget pays).
    pub maintenance_ttc: Decimal,
    /// Fuel and charging, VAT included (per line, to the cent).
    pub energy_ttc: Decimal,
    /// Insurance, taxes and other cost lines.
    pub other_costs: Decimal,
    /// Total cost of ownership: amortisation + maintenance TTC + energy
    /// TTC + other costs.
    pub tco: Decimal,
}

/// The dashboards of a tenant's service for a year: the sums of its
/// vehicles' (grouped by owner on the year's first day and service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDashboard {
    /// The owner.
    pub tenant: TenantId,
    /// The service (none: vehicles of no service).
    pub service: Option<ServiceId>,
    /// The year.
    pub year: i32,
    /// Vehicles counted.
    pub vehicles: usize,
    /// Σ days in the fleet.
    pub days_in_fleet: u32,
    /// Σ days immobilised.
    pub days_immobilised: u32,
    /// Σ days available.
    pub days_available: u32,
    /// Σ days used.
    pub days_used: u32,
    /// Σ days used / Σ days available, 4 decimals.
    pub utilisation: Option<Decimal>,
    /// Σ km.
    pub km: u64,
    /// Σ energy HT.
    pub energy_ht: Decimal,
    /// Σ maintenance HT.
    pub maintenance_ht: Decimal,
    /// (Σ energy HT + Σ maintenance HT) / Σ km, 4 decimals.
    pub cost_per_km: Option<Decimal>,
    /// Σ amortisation.
    pub amortisation: Decimal,
    /// Σ maintenance TTC.
    pub maintenance_ttc: Decimal,
    /// Σ energy TTC.
    pub energy_ttc: Decimal,
    /// Σ other costs.
    pub other_costs: Decimal,
    /// Σ total cost of ownership.
    pub tco: Decimal,
}

/// An in-place change of the fleet to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum FleetUndo {
    /// A vehicle was registered (the last one).
    Registered,
    /// A vehicle record as it was.
    Vehicle { at: usize, old: Box<Vehicle> },
    /// A reading was pushed on a vehicle's meter.
    Reading { at: usize, meter: Meter },
    /// A fuel line was pushed on a vehicle's list.
    Fuel { at: usize },
    /// An inspection was pushed on a vehicle's list.
    Inspection { at: usize },
    /// A plan was added (the last one).
    PlanAdded,
    /// A plan as it was.
    Plan {
        at: usize,
        old: Box<MaintenancePlan>,
    },
    /// A status change was pushed on a vehicle's history.
    Status { at: usize },
    /// A vehicle's purchase as it was.
    Purchase { at: usize, old: Option<Purchase> },
    /// A cost line was pushed on a vehicle's list.
    Cost { at: usize },
}

/// The fleet's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fleet {
    by_asset: HashMap<AssetId, usize>,
    vehicles: Vec<Vehicle>,
    /// Per vehicle: km readings, hours readings.
    meters: Vec<[Vec<Reading>; 2]>,
    fuel: Vec<Vec<FuelLine>>,
    inspections: Vec<Vec<Inspection>>,
    plans: Vec<MaintenancePlan>,
    plan_index: HashMap<String, usize>,
    /// Per vehicle: its status changes, oldest first (in service before the first).
    statuses: Vec<Vec<(NaiveDate, VehicleStatus)>>,
    /// Per vehicle: its purchase, if given.
    purchases: Vec<Option<Purchase>>,
    /// Per vehicle: its other cost lines, in recording order.
    costs: Vec<Vec<VehicleCost>>,
}

impl Fleet {
    pub(crate) fn undo(&mut self, u: FleetUndo) {
        match u {
            FleetUndo::Registered => {
                if let Some(v) = self.vehicles.pop() {
                    self.by_asset.remove(&v.asset);
                    self.meters.pop();
                    self.fuel.pop();
                    self.inspections.pop();
                    self.statuses.pop();
                    self.purchases.pop();
                    self.costs.pop();
                }
            }
            FleetUndo::Vehicle { at, old } => {
                if let Some(v) = self.vehicles.get_mut(at) {
                    *v = *old;
                }
            }
            FleetUndo::Reading { at, meter } => {
                if let Some(m) = self.meters.get_mut(at) {
                    m[meter_index(meter)].pop();
                }
            }
            FleetUndo::Fuel { at } => {
                if let Some(f) = self.fuel.get_mut(at) {
                    f.pop();
                }
            }
            FleetUndo::Inspection { at } => {
                if let Some(i) = self.inspections.get_mut(at) {
                    i.pop();
                }
            }
            FleetUndo::PlanAdded => {
                if let Some(p) = self.plans.pop() {
                    self.plan_index.remove(&p.code);
                }
            }
            FleetUndo::Plan { at, old } => {
                if let Some(p) = self.plans.get_mut(at) {
                    *p = *old;
                }
            }
            FleetUndo::Status { at } => {
                if let Some(s) = self.statuses.get_mut(at) {
                    s.pop();
                }
            }
            FleetUndo::Purchase { at, old } => {
                if let Some(p) = self.purchases.get_mut(at) {
                    *p = old;
                }
            }
            FleetUndo::Cost { at } => {
                if let Some(c) = self.costs.get_mut(at) {
                    c.pop();
                }
            }
        }
    }
}

fn meter_index(m: Meter) -> usize {
    match m {
        Meter::Hours => 1,
        _ => 0,
    }
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn not_in_fleet(asset: &str, reason: impl Into<String>) -> Error {
    Error::NotInFleet {
        asset: asset.to_owned(),
        reason: reason.into(),
    }
}

/// The value of `readings` on `date` (the last reading on or before it).
fn value_on(readings: &[Reading], date: NaiveDate) -> Option<&Reading> {
    match readings.partition_point(|r| r.date <= date) {
        0 => None,
        n => readings.get(n - 1),
    }
}

/// The projected date a meter reaches `target`, from its rate over the
/// year before its last reading on or before `on` (none without a rate).
fn projected(readings: &[Reading], on: NaiveDate, target: u64) -> Option<NaiveDate> {
    let n = readings.partition_point(|r| r.date <= on);
    let last = *readings.get(n.checked_sub(1)?)?;
    if target <= last.value {
        return Some(last.date);
    }
    let since = last.date - chrono::Duration::days(365);
    // the oldest reading of the last year, on the same meter (no replacement between)
    let mut first = last;
    for r in readings[..n].iter().rev() {
        if r.date < since {
            break;
        }
        first = *r;
        if r.replaced {
            break;
        }
    }
    let days = (last.date - first.date).num_days();
    let run = last.value - first.value;
    if days <= 0 || run == 0 {
        return None;
    }
    // days to run (target - last) at run/days per day, rounded up
    let need = u128::from(target - last.value) * u128::try_from(days).ok()?;
    let more = need.div_ceil(u128::from(run));
    let more = i64::try_from(more).ok()?;
    last.date
        .checked_add_signed(chrono::Duration::try_days(more)?)
}

/// The run of a meter over a period: the differences of consecutive
/// readings dated in it (a replacement starts afresh).
fn run_in(readings: &[Reading], period: &Period) -> u64 {
    let mut total = 0u64;
    for w in readings.windows(2) {
        if period.contains(w[1].date) && !w[1].replaced {
            total = total.saturating_add(w[1].value.saturating_sub(w[0].value));
        }
    }
    total
}

fn per(numer: Decimal, km: u64, scale: Decimal) -> Option<Decimal> {
    if km == 0 {
        return None;
    }
    numer
        .checked_mul(scale)?
        .checked_div(Decimal::from(km))
        .map(|x| x.round_dp(4))
}
