//! The fleet (parc auto): vehicles and equipment registered on top of
//! assets of the patrimoine, their meters, fuel and charging lines,
//! regulatory inspections and preventive maintenance plans (docs/fleet.md).
//!
//! A vehicle is an asset of kind [`AssetKind::Vehicle`] or
//! [`AssetKind::Equipment`] with fleet attributes: it stays an asset (costs,
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

use crate::assets::{AssetKind, ServiceRef};
use crate::error::{Error, Result};
use crate::ids::{AssetId, ServiceId, TenantId, WorkOrderId};
use crate::kinds::named_enum;
use crate::money::VatRate;
use crate::period::Period;
use crate::Mutualis;

pub mod events;
pub use events::FleetEvent;

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

/// Validates a French registration number: SIV `AB-123-CD` (since 2009:
/// letters without I, O, U; `SS` and `WW` not as the first pair, `SS` not as
/// the last) or old FNI `123 ABC 45` (1 to 4 digits, 1 to 3 letters, the
/// département). Returns it normalised (upper case, single spaces).
///
/// ```
/// use mutualis::fleet::check_registration;
/// assert_eq!(check_registration("ga-123-bc").unwrap(), "GA-123-BC");
/// assert_eq!(check_registration("1234 AB 42").unwrap(), "1234 AB 42");
/// assert!(check_registration("GI-123-BC").is_err());
/// ```
///
/// Errors: [`Error::InvalidRegistration`].
pub fn check_registration(value: &str) -> Result<String> {
    let bad = |reason| Error::InvalidRegistration {
        value: value.to_owned(),
        reason,
    };
    let v = value.trim().to_ascii_uppercase();
    let parts: Vec<&str> = if v.contains('-') {
        v.split('-').collect()
    } else {
        v.split_whitespace().collect()
    };
    let letters = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [a, n, b] if v.contains('-') => {
            if a.len() != 2 || n.len() != 3 || b.len() != 2 {
                return Err(bad(
                    "SIV numbers are two letters, three digits, two letters",
                ));
            }
            if !letters(a) || !letters(b) || !digits(n) {
                return Err(bad(
                    "SIV numbers are two letters, three digits, two letters",
                ));
            }
            if a.bytes()
                .chain(b.bytes())
                .any(|c| matches!(c, b'I' | b'O' | b'U'))
            {
                return Err(bad("SIV numbers never use the letters I, O and U"));
            }
            if *n == "000" || *a == "SS" || *a == "WW" || *b == "SS" {
                return Err(bad("000, SS and WW are not issued"));
            }
            Ok(format!("{a}-{n}-{b}"))
        }
        [n, l, dep] => {
            let dep_ok = (dep.len() == 2 && (digits(dep) || *dep == "2A" || *dep == "2B"))
                || (dep.len() == 3 && digits(dep) && dep.starts_with("97"));
            if !(1..=4).contains(&n.len())
                || !digits(n)
                || !(1..=3).contains(&l.len())
                || !letters(l)
            {
                return Err(bad(
                    "FNI numbers are 1–4 digits, 1–3 letters, a département",
                ));
            }
            if !dep_ok {
                return Err(bad("the last part of an FNI number is a département"));
            }
            Ok(format!("{n} {l} {dep}"))
        }
        _ => Err(bad("neither SIV (AB-123-CD) nor FNI (123 ABC 45)")),
    }
}

/// Validates a VIN: 17 characters of `A-Z 0-9` without I, O, Q; returns it
/// in upper case.
///
/// Errors: [`Error::InvalidVin`].
pub fn check_vin(value: &str) -> Result<String> {
    let bad = |reason| Error::InvalidVin {
        value: value.to_owned(),
        reason,
    };
    let v = value.trim().to_ascii_uppercase();
    if v.len() != 17 {
        return Err(bad("a VIN has 17 characters"));
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(bad("a VIN has letters and digits only"));
    }
    if v.bytes().any(|b| matches!(b, b'I' | b'O' | b'Q')) {
        return Err(bad("a VIN never uses I, O or Q"));
    }
    Ok(v)
}

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
    /// A maintenance plan (index in [`Mutualis::maintenance_plans`]).
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

impl Mutualis {
    /// The fleet index of a registered vehicle.
    fn vehicle_index(&self, code: &str) -> Result<usize> {
        let a = self.asset_id(code)?;
        self.fleet
            .by_asset
            .get(&a)
            .copied()
            .ok_or_else(|| not_in_fleet(code, "is not in the fleet register"))
    }

    fn save_vehicle(&mut self, at: usize) {
        if self.undo.is_some() {
            if let Some(v) = self.fleet.vehicles.get(at) {
                let old = Box::new(v.clone());
                self.push_undo(crate::undo::Undo::Fleet(FleetUndo::Vehicle { at, old }));
            }
        }
    }

    fn fleet_undo(&mut self, u: FleetUndo) {
        self.push_undo(crate::undo::Undo::Fleet(u));
    }

    fn fleet_log(&mut self, a: AssetId, e: FleetEvent) {
        let owner = self.owner_code(a);
        self.log(owner, e);
    }

    /// Registers an existing asset (kind vehicle or equipment) in the fleet.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`] (not a vehicle or equipment, already
    /// registered), [`Error::InvalidRegistration`] (malformed, or given for
    /// a mower, tractor or crane… that has none: give none),
    /// [`Error::InvalidVin`], [`Error::InvalidField`] (a registration
    /// number without first registration date or the reverse),
    /// [`Error::YearOutOfRange`], [`Error::UnknownTenant`],
    /// [`Error::UnknownService`].
    pub fn register_vehicle(&mut self, spec: NewVehicle) -> Result<()> {
        let a = self.asset_id(&spec.asset)?;
        let asset = &self.assets()[a.index()];
        if !matches!(asset.kind, AssetKind::Vehicle | AssetKind::Equipment) {
            return Err(not_in_fleet(
                &spec.asset,
                format!("is a {} asset, not a vehicle or equipment", asset.kind),
            ));
        }
        if self.fleet.by_asset.contains_key(&a) {
            return Err(not_in_fleet(
                &spec.asset,
                "is already in the fleet register",
            ));
        }
        let registration = match &spec.registration {
            Some(r) => Some(check_registration(r)?),
            None => None,
        };
        if registration.is_some() != spec.first_registration.is_some() {
            return Err(Error::InvalidField {
                field: "first_registration",
                reason: "a registration number and its first registration date go together".into(),
            });
        }
        if let Some(d) = spec.first_registration {
            crate::period::check_date("first_registration", d)?;
        }
        let vin = match &spec.vin {
            Some(v) => Some(check_vin(v)?),
            None => None,
        };
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&s.tenant, &s.service)?),
            None => None,
        };
        let at = self.fleet.vehicles.len();
        self.fleet.by_asset.insert(a, at);
        self.fleet.vehicles.push(Vehicle {
            asset: a,
            category: spec.category,
            registration,
            vin,
            first_registration: spec.first_registration,
            weight: spec.weight,
            energy: spec.energy,
            service,
            lifts_persons: spec.lifts_persons,
            status: VehicleStatus::InService,
            status_since: None,
        });
        self.fleet.meters.push([Vec::new(), Vec::new()]);
        self.fleet.fuel.push(Vec::new());
        self.fleet.inspections.push(Vec::new());
        self.fleet_undo(FleetUndo::Registered);
        self.fleet_log(
            a,
            FleetEvent::VehicleRegistered {
                vehicle: spec.into(),
            },
        );
        Ok(())
    }

    /// Sets a vehicle's status from a date (immobilised, back in service,
    /// reformed, sold).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::TimeOutOfOrder`] (before the current status's date).
    pub fn set_vehicle_status(
        &mut self,
        vehicle: &str,
        status: VehicleStatus,
        since: NaiveDate,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("since", since)?;
        let v = &self.fleet.vehicles[at];
        if let Some(prev) = v.status_since {
            if since < prev {
                return Err(Error::InvalidField {
                    field: "since",
                    reason: format!(
                        "{since} is before the current status's date {prev} ({})",
                        v.status
                    ),
                });
            }
        }
        let a = v.asset;
        self.save_vehicle(at);
        let v = &mut self.fleet.vehicles[at];
        v.status = status;
        v.status_since = Some(since);
        self.fleet_log(
            a,
            FleetEvent::VehicleStatusSet {
                vehicle: vehicle.to_owned(),
                status,
                since,
            },
        );
        Ok(())
    }

    /// Records a meter reading. Readings of a meter are monotonic: a reading
    /// dated before the last one or lower than it is refused (record a
    /// meter replacement first, [`Mutualis::replace_meter`]).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::MeterRegression`].
    pub fn record_meter_reading(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<()> {
        self.push_reading(vehicle, meter, date, value, false)
    }

    /// Records a meter replacement: from `date` the meter reads `value`
    /// (its first reading; no distance is counted from the old meter's last).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::MeterRegression`] (dated before the last reading).
    pub fn replace_meter(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<()> {
        self.push_reading(vehicle, meter, date, value, true)
    }

    fn push_reading(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
        replaced: bool,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", date)?;
        let list = &self.fleet.meters[at][meter_index(meter)];
        if let Some(last) = list.last() {
            if date < last.date || (!replaced && value < last.value) {
                return Err(Error::MeterRegression {
                    vehicle: vehicle.to_owned(),
                    meter: meter.as_str(),
                    value,
                    date,
                    last: last.value,
                    last_date: last.date,
                });
            }
        }
        let a = self.fleet.vehicles[at].asset;
        self.fleet.meters[at][meter_index(meter)].push(Reading {
            date,
            value,
            replaced,
        });
        self.fleet_undo(FleetUndo::Reading { at, meter });
        let vehicle = vehicle.to_owned();
        let e = if replaced {
            FleetEvent::MeterReplaced {
                vehicle,
                meter,
                date,
                value,
            }
        } else {
            FleetEvent::MeterRead {
                vehicle,
                meter,
                date,
                value,
            }
        };
        self.fleet_log(a, e);
        Ok(())
    }

    /// Records a fuel or charging line.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidQuantity`] (quantity not positive, amount negative),
    /// [`Error::SubCentAmount`], [`Error::AmountOutOfRange`],
    /// [`Error::VatRateNotInForce`].
    pub fn record_fuel(&mut self, vehicle: &str, line: NewFuelLine) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", line.date)?;
        if line.quantity <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "fuel quantity",
                value: line.quantity,
            });
        }
        if line.ht < Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "fuel amount",
                value: line.ht,
            });
        }
        crate::money::to_cents(line.ht)?;
        line.vat.check_on(line.date)?;
        let a = self.fleet.vehicles[at].asset;
        self.fleet.fuel[at].push(FuelLine {
            vehicle: a,
            date: line.date,
            quantity: line.quantity,
            unit: line.unit,
            ht: line.ht,
            vat: line.vat,
        });
        self.fleet_undo(FleetUndo::Fuel { at });
        self.fleet_log(
            a,
            FleetEvent::FuelRecorded {
                vehicle: vehicle.to_owned(),
                line: line.into(),
            },
        );
        Ok(())
    }

    /// Records an inspection's result; a failed one immobilises the vehicle
    /// from its date (when it was in service).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`] (also: no rule of this kind applies to the
    /// vehicle), [`Error::YearOutOfRange`], [`Error::DatesOutOfOrder`] (a
    /// counter-visit deadline before the inspection),
    /// [`Error::InvalidField`] (a deadline given for another result).
    pub fn record_inspection(&mut self, vehicle: &str, inspection: NewInspection) -> Result<()> {
        self.push_inspection(vehicle, inspection, true)
    }

    fn push_inspection(&mut self, vehicle: &str, i: NewInspection, immobilise: bool) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", i.date)?;
        if self.rule_for(at, i.kind, i.date).is_none() {
            return Err(not_in_fleet(
                vehicle,
                format!("has no {} inspection rule", i.kind),
            ));
        }
        if let Some(by) = i.counter_visit_by {
            if i.result != InspectionResult::CounterVisit {
                return Err(Error::InvalidField {
                    field: "counter_visit_by",
                    reason: format!(
                        "a deadline is for a counter-visit, not a {} result",
                        i.result
                    ),
                });
            }
            if by < i.date {
                return Err(Error::DatesOutOfOrder {
                    from: i.date,
                    to: by,
                });
            }
        }
        let v = &self.fleet.vehicles[at];
        let a = v.asset;
        let immobilise = immobilise
            && i.result == InspectionResult::Failed
            && v.status == VehicleStatus::InService;
        if immobilise {
            self.save_vehicle(at);
            let v = &mut self.fleet.vehicles[at];
            v.status = VehicleStatus::Immobilised;
            v.status_since = Some(i.date);
        }
        self.fleet.inspections[at].push(Inspection {
            vehicle: a,
            kind: i.kind,
            date: i.date,
            result: i.result,
            counter_visit_by: i.counter_visit_by,
        });
        self.fleet_undo(FleetUndo::Inspection { at });
        self.fleet_log(
            a,
            FleetEvent::InspectionRecorded {
                vehicle: vehicle.to_owned(),
                inspection: i.into(),
            },
        );
        Ok(())
    }

    /// Adds a preventive maintenance plan ("whichever first" of its intervals).
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`],
    /// [`Error::NotInFleet`] (the vehicle; a duplicate plan code),
    /// [`Error::UnknownAsset`], [`Error::InvalidField`] (no interval, a zero
    /// interval, an empty label, a km or hours interval without the last
    /// value), [`Error::YearOutOfRange`].
    pub fn add_maintenance_plan(&mut self, plan: NewMaintenancePlan) -> Result<()> {
        crate::identity::check_code("maintenance plan", &plan.code)?;
        let at = self.vehicle_index(&plan.vehicle)?;
        if self.fleet.plan_index.contains_key(&plan.code) {
            return Err(not_in_fleet(&plan.code, "is already a maintenance plan"));
        }
        crate::period::check_date("last_date", plan.last_date)?;
        let field = |field, reason: &str| Error::InvalidField {
            field,
            reason: reason.to_owned(),
        };
        if plan.label.trim().is_empty() {
            return Err(field("label", "is empty"));
        }
        if plan.every_km.is_none() && plan.every_hours.is_none() && plan.every_months.is_none() {
            return Err(field(
                "every",
                "a plan needs a km, hours or months interval",
            ));
        }
        if plan.every_km == Some(0) || plan.every_hours == Some(0) || plan.every_months == Some(0) {
            return Err(field("every", "an interval is positive"));
        }
        if plan.every_km.is_some() && plan.last_km.is_none() {
            return Err(field(
                "last_km",
                "a km interval needs the km at the last service",
            ));
        }
        if plan.every_hours.is_some() && plan.last_hours.is_none() {
            return Err(field(
                "last_hours",
                "an hours interval needs the hours at the last service",
            ));
        }
        let a = self.fleet.vehicles[at].asset;
        let i = self.fleet.plans.len();
        self.fleet.plan_index.insert(plan.code.clone(), i);
        self.fleet.plans.push(MaintenancePlan {
            code: plan.code.clone(),
            vehicle: a,
            label: plan.label.clone(),
            every_km: plan.every_km,
            every_hours: plan.every_hours,
            every_months: plan.every_months,
            last_date: plan.last_date,
            last_km: plan.last_km,
            last_hours: plan.last_hours,
        });
        self.fleet_undo(FleetUndo::PlanAdded);
        self.fleet_log(a, FleetEvent::MaintenancePlanAdded { plan: plan.into() });
        Ok(())
    }

    /// Records that a plan's service was done on `date`, at `km` and
    /// `hours` (none: the meter's value on that date, if read).
    ///
    /// Errors (nothing changes): [`Error::NotInFleet`] (unknown plan),
    /// [`Error::YearOutOfRange`], [`Error::MeterRegression`] (before the
    /// last service, or a lower value).
    pub fn record_maintenance(
        &mut self,
        plan: &str,
        date: NaiveDate,
        km: Option<u64>,
        hours: Option<u64>,
    ) -> Result<()> {
        let i = self.plan_index(plan)?;
        crate::period::check_date("date", date)?;
        let p = &self.fleet.plans[i];
        let at = self.fleet.by_asset[&p.vehicle];
        let meters = &self.fleet.meters[at];
        let km = km.or_else(|| value_on(&meters[0], date).map(|r| r.value));
        let hours = hours.or_else(|| value_on(&meters[1], date).map(|r| r.value));
        let regress = |meter: Meter, value: u64, last: u64| Error::MeterRegression {
            vehicle: self.asset_code(p.vehicle).to_owned(),
            meter: meter.as_str(),
            value,
            date,
            last,
            last_date: p.last_date,
        };
        if date < p.last_date {
            return Err(regress(Meter::Km, km.unwrap_or(0), p.last_km.unwrap_or(0)));
        }
        for (meter, new, old) in [
            (Meter::Km, km, p.last_km),
            (Meter::Hours, hours, p.last_hours),
        ] {
            if let (Some(n), Some(o)) = (new, old) {
                if n < o {
                    return Err(regress(meter, n, o));
                }
            }
        }
        let a = p.vehicle;
        if self.undo.is_some() {
            let old = Box::new(self.fleet.plans[i].clone());
            self.fleet_undo(FleetUndo::Plan { at: i, old });
        }
        let p = &mut self.fleet.plans[i];
        p.last_date = date;
        p.last_km = km.or(p.last_km);
        p.last_hours = hours.or(p.last_hours);
        self.fleet_log(
            a,
            FleetEvent::MaintenanceDone {
                plan: plan.to_owned(),
                date,
                km,
                hours,
            },
        );
        Ok(())
    }

    /// Creates the work order of a plan's next service, by a régie team
    /// (costed as any work order: labour, parts, invoices). Journalled as the
    /// work order's creation.
    ///
    /// Errors: [`Error::NotInFleet`] (unknown plan), and those of
    /// [`Mutualis::create_work_order`].
    pub fn maintenance_work_order(
        &mut self,
        plan: &str,
        code: &str,
        team: &str,
    ) -> Result<WorkOrderId> {
        let i = self.plan_index(plan)?;
        let p = &self.fleet.plans[i];
        let spec = crate::NewWorkOrder::by_team(
            code,
            &format!("{} ({})", p.label, p.code),
            self.asset_code(p.vehicle),
            team,
        );
        self.create_work_order(spec)
    }

    /// The vehicle of a plan, if the plan exists.
    pub(crate) fn plan_vehicle(&self, plan: &str) -> Option<AssetId> {
        let i = *self.fleet.plan_index.get(plan)?;
        self.fleet.plans.get(i).map(|p| p.vehicle)
    }

    fn plan_index(&self, plan: &str) -> Result<usize> {
        self.fleet
            .plan_index
            .get(plan)
            .copied()
            .ok_or_else(|| not_in_fleet(plan, "is not a maintenance plan"))
    }

    /// The registered vehicles, in registration order.
    #[must_use]
    pub fn vehicles(&self) -> &[Vehicle] {
        &self.fleet.vehicles
    }

    /// A registered vehicle.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle(&self, code: &str) -> Result<&Vehicle> {
        Ok(&self.fleet.vehicles[self.vehicle_index(code)?])
    }

    /// A vehicle's readings of a meter, oldest first.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn meter_readings(&self, vehicle: &str, meter: Meter) -> Result<&[Reading]> {
        Ok(&self.fleet.meters[self.vehicle_index(vehicle)?][meter_index(meter)])
    }

    /// A vehicle's fuel and charging lines, in recording order.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn fuel_lines(&self, vehicle: &str) -> Result<&[FuelLine]> {
        Ok(&self.fleet.fuel[self.vehicle_index(vehicle)?])
    }

    /// A vehicle's inspections, in recording order.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn inspections(&self, vehicle: &str) -> Result<&[Inspection]> {
        Ok(&self.fleet.inspections[self.vehicle_index(vehicle)?])
    }

    /// The maintenance plans, in the order added.
    #[must_use]
    pub fn maintenance_plans(&self) -> &[MaintenancePlan] {
        &self.fleet.plans
    }

    /// The inspection rule of `kind` applying to the vehicle at `at`, in force on `on`.
    fn rule_for(
        &self,
        at: usize,
        kind: InspectionKind,
        on: NaiveDate,
    ) -> Option<&'static InspectionRule> {
        let v = &self.fleet.vehicles[at];
        let scope = match kind {
            InspectionKind::ControleTechnique => {
                v.registration.as_ref()?;
                match v.category {
                    VehicleCategory::Bus => RuleScope::Bus,
                    VehicleCategory::Tractor | VehicleCategory::Mower => return None,
                    VehicleCategory::TruckOver3_5t => RuleScope::HeavyRoad,
                    _ if v.weight == WeightClass::Over3_5t => RuleScope::HeavyRoad,
                    _ => RuleScope::LightRoad,
                }
            }
            InspectionKind::Vgp => {
                if v.lifts_persons || v.category == VehicleCategory::AerialWorkPlatform {
                    RuleScope::LiftingPersons
                } else if v.category == VehicleCategory::Crane {
                    RuleScope::Lifting
                } else {
                    return None;
                }
            }
        };
        INSPECTION_RULES
            .iter()
            .filter(|r| r.kind == kind && r.scope == scope && r.since <= on)
            .max_by_key(|r| r.since)
    }

    /// What is due for the vehicle at `at` on `on`: its inspections and its
    /// plans (`plans`: their indices; none: found by a scan of the plans).
    fn due_of(&self, at: usize, on: NaiveDate, plans: Option<&[usize]>, out: &mut Vec<DueItem>) {
        let v = &self.fleet.vehicles[at];
        if matches!(v.status, VehicleStatus::Reformed | VehicleStatus::Sold)
            && v.status_since.is_some_and(|s| s <= on)
        {
            return;
        }
        let asset = &self.assets()[v.asset.index()];
        let owner = self.owner_at(v.asset, on);
        let service = v.service.or(asset.service);
        let row = |what, due: NaiveDate, basis| DueItem {
            vehicle: v.asset,
            owner,
            service,
            what,
            due,
            due_km: None,
            due_hours: None,
            overdue: on > due,
            basis,
        };
        for kind in InspectionKind::ALL {
            let Some(rule) = self.rule_for(at, *kind, on) else {
                continue;
            };
            // the last inspection of this kind (the latest date, the last recorded of a day)
            let last = self.fleet.inspections[at]
                .iter()
                .filter(|i| i.kind == *kind)
                .fold(None::<&Inspection>, |acc, i| match acc {
                    Some(a) if a.date > i.date => Some(a),
                    _ => Some(i),
                });
            let due = match last {
                Some(i) => match i.result {
                    InspectionResult::Passed => add_months(i.date, rule.every_months),
                    InspectionResult::CounterVisit => i
                        .counter_visit_by
                        .unwrap_or_else(|| add_months(i.date, rule.counter_visit_months)),
                    _ => i.date,
                },
                None => {
                    let base = match kind {
                        InspectionKind::ControleTechnique => v.first_registration,
                        _ => Some(asset.commissioned),
                    };
                    match base {
                        Some(b) => add_months(b, rule.first_months),
                        None => continue,
                    }
                }
            };
            out.push(row(DueWhat::Inspection(*kind), due, rule.basis));
        }
        let scanned: Vec<usize>;
        let plans = match plans {
            Some(p) => p,
            None => {
                scanned = (0..self.fleet.plans.len())
                    .filter(|&i| self.fleet.plans[i].vehicle == v.asset)
                    .collect();
                &scanned
            }
        };
        for &i in plans {
            let p = &self.fleet.plans[i];
            out.push(self.plan_due(p, at, on, row(DueWhat::Maintenance(i), on, "plan")));
        }
    }

    fn plan_due(&self, p: &MaintenancePlan, at: usize, on: NaiveDate, mut row: DueItem) -> DueItem {
        let meters = &self.fleet.meters[at];
        let mut due = p
            .every_months
            .map_or(NaiveDate::MAX, |m| add_months(p.last_date, m));
        if let (Some(e), Some(l)) = (p.every_km, p.last_km) {
            let target = l.saturating_add(e);
            row.due_km = Some(target);
            if let Some(d) = projected(&meters[0], on, target) {
                due = due.min(d);
            }
        }
        if let (Some(e), Some(l)) = (p.every_hours, p.last_hours) {
            let target = l.saturating_add(e);
            row.due_hours = Some(target);
            if let Some(d) = projected(&meters[1], on, target) {
                due = due.min(d);
            }
        }
        row.due = due;
        row.overdue = on > due;
        row
    }

    /// Everything due for one vehicle on `on` (inspections, then plans),
    /// whatever the horizon.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle_due(&self, vehicle: &str, on: NaiveDate) -> Result<Vec<DueItem>> {
        let at = self.vehicle_index(vehicle)?;
        let mut out = Vec::new();
        self.due_of(at, on, None, &mut out);
        Ok(out)
    }

    /// The fleet's due list on `on`: every inspection and maintenance due by
    /// `on + within_days` (overdue ones included), vehicles reformed or sold
    /// by then excepted, soonest first. Filter by [`DueItem::owner`] and
    /// [`DueItem::service`] for a tenant's or a service's list.
    #[must_use]
    pub fn fleet_due(&self, on: NaiveDate, within_days: u32) -> Vec<DueItem> {
        let horizon = on
            .checked_add_days(chrono::Days::new(u64::from(within_days)))
            .unwrap_or(NaiveDate::MAX);
        let mut out = Vec::new();
        // plans by vehicle once, not a scan of all plans per vehicle
        let mut plans_of: Vec<Vec<usize>> = vec![Vec::new(); self.fleet.vehicles.len()];
        for (i, p) in self.fleet.plans.iter().enumerate() {
            if let Some(&at) = self.fleet.by_asset.get(&p.vehicle) {
                plans_of[at].push(i);
            }
        }
        let mut one = Vec::new();
        for (at, plans) in plans_of.iter().enumerate() {
            one.clear();
            self.due_of(at, on, Some(plans), &mut one);
            out.extend(one.iter().filter(|d| d.due <= horizon));
        }
        out.sort_by_key(|d: &DueItem| (d.due, d.vehicle));
        out
    }

    /// A vehicle's km, hours, energy and costs over a period.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle_use(&self, vehicle: &str, period: &Period) -> Result<VehicleUse> {
        Ok(self.use_of(self.vehicle_index(vehicle)?, period))
    }

    fn use_of(&self, at: usize, period: &Period) -> VehicleUse {
        let meters = &self.fleet.meters[at];
        let km = run_in(&meters[0], period);
        let hours = run_in(&meters[1], period);
        let (mut litres, mut kwh, mut ht) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for f in self.fleet.fuel[at]
            .iter()
            .filter(|f| period.contains(f.date))
        {
            match f.unit {
                FuelUnit::Kwh => kwh += f.quantity,
                _ => litres += f.quantity,
            }
            ht += f.ht;
        }
        let hundred = Decimal::ONE_HUNDRED;
        VehicleUse {
            vehicle: self.fleet.vehicles[at].asset,
            km,
            hours,
            litres,
            kwh,
            energy_ht: ht,
            litres_per_100km: per(litres, km, hundred).filter(|_| !litres.is_zero()),
            kwh_per_100km: per(kwh, km, hundred).filter(|_| !kwh.is_zero()),
            cost_per_km: per(ht, km, Decimal::ONE),
        }
    }

    /// Every vehicle's figures over a period, in registration order.
    #[must_use]
    pub fn fleet_use(&self, period: &Period) -> Vec<VehicleUse> {
        (0..self.fleet.vehicles.len())
            .map(|at| self.use_of(at, period))
            .collect()
    }

    /// Energy cost per km by owner (on the period's first day) and service,
    /// sorted by tenant then service.
    #[must_use]
    pub fn cost_per_km_by_service(&self, period: &Period) -> Vec<ServiceCost> {
        let mut groups: HashMap<(TenantId, Option<ServiceId>), ServiceCost> = HashMap::new();
        for (at, v) in self.fleet.vehicles.iter().enumerate() {
            let u = self.use_of(at, period);
            let tenant = self.owner_at(v.asset, period.from);
            let service = v.service.or(self.assets()[v.asset.index()].service);
            let g = groups.entry((tenant, service)).or_insert(ServiceCost {
                tenant,
                service,
                vehicles: 0,
                km: 0,
                energy_ht: Decimal::ZERO,
                cost_per_km: None,
            });
            g.vehicles += 1;
            g.km = g.km.saturating_add(u.km);
            g.energy_ht += u.energy_ht;
        }
        let mut out: Vec<ServiceCost> = groups
            .into_values()
            .map(|mut g| {
                g.cost_per_km = per(g.energy_ht, g.km, Decimal::ONE);
                g
            })
            .collect();
        out.sort_by_key(|g| (g.tenant, g.service));
        out
    }

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
            });
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
        let mut statuses = Vec::with_capacity(r.vehicles.len());
        for v in r.vehicles {
            statuses.push((v.asset.clone(), v.status, v.status_since));
            self.register_vehicle(NewVehicle {
                asset: v.asset,
                category: v.category,
                registration: v.registration,
                vin: v.vin,
                first_registration: v.first_registration,
                weight: v.weight,
                energy: v.energy,
                service: v.service,
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
        for (code, status, since) in statuses {
            self.restore_vehicle_status(&code, status, since)?;
        }
        Ok(())
    }
}
