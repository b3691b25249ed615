//! The fleet seen from Python: vehicles, inspections, maintenance plans,
//! due lists and use figures as records, and the due list and the cost per
//! km by service as columns. The rules stay in the core
//! (`mutualis::fleet`); this module only converts.

use chrono::NaiveDate;
use mutualis::fleet::{
    DueItem, DueWhat, Inspection, MaintenancePlan, ServiceCost, ServiceDashboard, Vehicle,
    VehicleDashboard, VehicleUse,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::records::service_pair;

/// The core registry.
type Registry = mutualis::Mutualis;

/// A vehicle or machine of the fleet register.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Vehicle",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyVehicle {
    /// Asset code.
    asset: String,
    /// "car", "van", "truck_over_3_5t", "bus", "tractor", "mower",
    /// "aerial_work_platform", "crane", "trailer" or "other".
    category: String,
    /// Registration number, normalised.
    registration: Option<String>,
    /// VIN.
    vin: Option<String>,
    /// First registration date.
    first_registration: Option<NaiveDate>,
    /// "up_to_3_5t" or "over_3_5t".
    weight: String,
    /// "diesel", "petrol", "electric", "hybrid", "cng", "lpg", "hydrogen", "other".
    energy: String,
    /// Tenant of the assigned service.
    service_tenant: Option<String>,
    /// Assigned service.
    service: Option<String>,
    /// Lifts persons (VGP every 6 months).
    lifts_persons: bool,
    /// "in_service", "immobilised", "reformed" or "sold".
    status: String,
    /// Since when.
    status_since: Option<NaiveDate>,
}

impl PyVehicle {
    pub(crate) fn new(m: &Registry, v: &Vehicle) -> PyVehicle {
        let (service_tenant, service) = v.service.and_then(|s| service_pair(m, s)).unzip();
        PyVehicle {
            asset: m.asset_code(v.asset).to_owned(),
            category: v.category.to_string(),
            registration: v.registration.clone(),
            vin: v.vin.clone(),
            first_registration: v.first_registration,
            weight: v.weight.to_string(),
            energy: v.energy.to_string(),
            service_tenant,
            service,
            lifts_persons: v.lifts_persons,
            status: v.status.to_string(),
            status_since: v.status_since,
        }
    }
}

record_class! {
    PyVehicle { asset, category, registration, vin, first_registration, weight, energy, service_tenant, service, lifts_persons, status, status_since }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Vehicle",
            asset = &self.asset,
            category = &self.category,
            registration = &self.registration,
            status = &self.status
        )
    }
}

/// A recorded inspection.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Inspection",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyInspection {
    /// Asset code.
    vehicle: String,
    /// "controle_technique" or "vgp".
    kind: String,
    /// Date.
    date: NaiveDate,
    /// "passed", "counter_visit" or "failed".
    result: String,
    /// Counter-visit deadline.
    counter_visit_by: Option<NaiveDate>,
}

impl PyInspection {
    pub(crate) fn new(m: &Registry, i: &Inspection) -> PyInspection {
        PyInspection {
            vehicle: m.asset_code(i.vehicle).to_owned(),
            kind: i.kind.to_string(),
            date: i.date,
            result: i.result.to_string(),
            counter_visit_by: i.counter_visit_by,
        }
    }
}

record_class! {
    PyInspection { vehicle, kind, date, result, counter_visit_by }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Inspection",
            vehicle = &self.vehicle,
            kind = &self.kind,
            date = self.date,
            result = &self.result
        )
    }
}

/// A preventive maintenance plan ("whichever first" of its intervals).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "MaintenancePlan",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyMaintenancePlan {
    /// Plan code.
    code: String,
    /// Asset code.
    vehicle: String,
    /// What is done.
    label: String,
    /// Interval in km.
    every_km: Option<u64>,
    /// Interval in engine hours.
    every_hours: Option<u64>,
    /// Interval in months.
    every_months: Option<u32>,
    /// The last service's date.
    last_date: NaiveDate,
    /// Odometer at the last service.
    last_km: Option<u64>,
    /// Engine hours at the last service.
    last_hours: Option<u64>,
}

impl PyMaintenancePlan {
    pub(crate) fn new(m: &Registry, p: &MaintenancePlan) -> PyMaintenancePlan {
        PyMaintenancePlan {
            code: p.code.clone(),
            vehicle: m.asset_code(p.vehicle).to_owned(),
            label: p.label.clone(),
            every_km: p.every_km,
            every_hours: p.every_hours,
            every_months: p.every_months,
            last_date: p.last_date,
            last_km: p.last_km,
            last_hours: p.last_hours,
        }
    }
}

record_class! {
    PyMaintenancePlan { code, vehicle, label, every_km, every_hours, every_months, last_date, last_km, last_hours }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "MaintenancePlan",
            code = &self.code,
            vehicle = &self.vehicle,
            label = &self.label,
            last_date = self.last_date
        )
    }
}

/// One row of a due list: an inspection or a maintenance plan.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "DueItem",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyDueItem {
    /// Asset code.
    vehicle: String,
    /// The owner's code on the list's date.
    owner: String,
    /// Tenant of the vehicle's service.
    service_tenant: Option<String>,
    /// The vehicle's service.
    service: Option<String>,
    /// "controle_technique", "vgp" or "maintenance".
    what: String,
    /// The plan's code (maintenance).
    plan: Option<String>,
    /// Due by this date (inclusive).
    due: NaiveDate,
    /// Odometer due (maintenance by km).
    due_km: Option<u64>,
    /// Engine hours due (maintenance by hours).
    due_hours: Option<u64>,
    /// The list's date is after `due`.
    overdue: bool,
    /// Legal basis, or "plan".
    basis: String,
}

/// The parts of a due row, shared by the records and the columns.
struct DueParts {
    what: &'static str,
    plan: Option<String>,
    service: Option<(String, String)>,
}

fn due_parts(m: &Registry, d: &DueItem) -> DueParts {
    let (what, plan) = match d.what {
        DueWhat::Inspection(k) => (k.as_str(), None),
        DueWhat::Maintenance(i) => (
            "maintenance",
            m.maintenance_plans().get(i).map(|p| p.code.clone()),
        ),
        _ => ("other", None),
    };
    DueParts {
        what,
        plan,
        service: d.service.and_then(|s| service_pair(m, s)),
    }
}

impl PyDueItem {
    pub(crate) fn new(m: &Registry, d: &DueItem) -> PyDueItem {
        let p = due_parts(m, d);
        let (service_tenant, service) = p.service.unzip();
        PyDueItem {
            vehicle: m.asset_code(d.vehicle).to_owned(),
            owner: m.tenant_code(d.owner).to_owned(),
            service_tenant,
            service,
            what: p.what.to_owned(),
            plan: p.plan,
            due: d.due,
            due_km: d.due_km,
            due_hours: d.due_hours,
            overdue: d.overdue,
            basis: d.basis.to_owned(),
        }
    }
}

record_class! {
    PyDueItem { vehicle, owner, service_tenant, service, what, plan, due, due_km, due_hours, overdue, basis }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "DueItem",
            vehicle = &self.vehicle,
            what = &self.what,
            plan = &self.plan,
            due = self.due,
            overdue = self.overdue
        )
    }
}

/// A vehicle's km, hours, energy and costs over a period.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "VehicleUse",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyVehicleUse {
    /// Asset code.
    vehicle: String,
    /// Km driven.
    km: u64,
    /// Engine hours.
    hours: u64,
    /// Litres of fuel.
    litres: Decimal,
    /// kWh charged.
    kwh: Decimal,
    /// Energy excluding VAT.
    energy_ht: Decimal,
    /// Litres per 100 km.
    litres_per_100km: Option<Decimal>,
    /// kWh per 100 km.
    kwh_per_100km: Option<Decimal>,
    /// Energy cost per km excluding VAT.
    cost_per_km: Option<Decimal>,
}

impl PyVehicleUse {
    pub(crate) fn new(m: &Registry, u: &VehicleUse) -> PyVehicleUse {
        PyVehicleUse {
            vehicle: m.asset_code(u.vehicle).to_owned(),
            km: u.km,
            hours: u.hours,
            litres: u.litres,
            kwh: u.kwh,
            energy_ht: u.energy_ht,
            litres_per_100km: u.litres_per_100km,
            kwh_per_100km: u.kwh_per_100km,
            cost_per_km: u.cost_per_km,
        }
    }
}

record_class! {
    PyVehicleUse { vehicle, km, hours, litres, kwh, energy_ht, litres_per_100km, kwh_per_100km, cost_per_km }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "VehicleUse",
            vehicle = &self.vehicle,
            km = self.km,
            energy_ht = self.energy_ht,
            cost_per_km = self.cost_per_km
        )
    }
}

/// A due list as columns: vehicle, owner, service_tenant, service, what,
/// plan, due, due_km, due_hours, overdue, basis.
pub fn due_columns(m: &Registry, rows: &[DueItem]) -> PyResult<crate::table::PyTable> {
    let n = rows.len();
    let mut vehicle = Vec::with_capacity(n);
    let mut owner = Vec::with_capacity(n);
    let mut service_tenant = Vec::with_capacity(n);
    let mut service = Vec::with_capacity(n);
    let mut what = Vec::with_capacity(n);
    let mut plan = Vec::with_capacity(n);
    let mut due = Vec::with_capacity(n);
    let mut due_km = Vec::with_capacity(n);
    let mut due_hours = Vec::with_capacity(n);
    let mut overdue = Vec::with_capacity(n);
    let mut basis = Vec::with_capacity(n);
    for d in rows {
        let p = due_parts(m, d);
        let (st, s) = p.service.unzip();
        vehicle.push(m.asset_code(d.vehicle));
        owner.push(m.tenant_code(d.owner));
        service_tenant.push(st);
        service.push(s);
        what.push(p.what);
        plan.push(p.plan);
        due.push(d.due);
        due_km.push(d.due_km);
        due_hours.push(d.due_hours);
        overdue.push(d.overdue);
        basis.push(d.basis);
    }
    let mut out = crate::table::Columns::new();
    out.set_item("vehicle", vehicle)?;
    out.set_item("owner", owner)?;
    out.set_item("service_tenant", service_tenant)?;
    out.set_item("service", service)?;
    out.set_item("what", what)?;
    out.set_item("plan", plan)?;
    out.set_item("due", due)?;
    out.set_item("due_km", due_km)?;
    out.set_item("due_hours", due_hours)?;
    out.set_item("overdue", overdue)?;
    out.set_item("basis", basis)?;
    out.finish()
}

/// Cost per km by service as columns: tenant, service_tenant, service,
/// vehicles, km, energy_ht, cost_per_km.
pub fn cost_per_km_columns(m: &Registry, rows: &[ServiceCost]) -> PyResult<crate::table::PyTable> {
    let n = rows.len();
    let mut tenant = Vec::with_capacity(n);
    let mut service_tenant = Vec::with_capacity(n);
    let mut service = Vec::with_capacity(n);
    let mut vehicles = Vec::with_capacity(n);
    let mut km = Vec::with_capacity(n);
    let mut energy_ht = Vec::with_capacity(n);
    let mut cost_per_km = Vec::with_capacity(n);
    for r in rows {
        let (st, s) = r.service.and_then(|s| service_pair(m, s)).unzip();
        tenant.push(m.tenant_code(r.tenant));
        service_tenant.push(st);
        service.push(s);
        vehicles.push(r.vehicles);
        km.push(r.km);
        energy_ht.push(r.energy_ht);
        cost_per_km.push(r.cost_per_km);
    }
    let mut out = crate::table::Columns::new();
    out.set_item("tenant", tenant)?;
    out.set_item("service_tenant", service_tenant)?;
    out.set_item("service", service)?;
    out.set_item("vehicles", vehicles)?;
    out.set_item("km", km)?;
    out.set_item("energy_ht", energy_ht)?;
    out.set_item("cost_per_km", cost_per_km)?;
    out.finish()
}

/// The figures a vehicle's and a service's dashboards share.
struct DashFigures {
    year: i32,
    days_in_fleet: u32,
    days_immobilised: u32,
    days_available: u32,
    days_used: u32,
    utilisation: Option<Decimal>,
    km: u64,
    energy_ht: Decimal,
    maintenance_ht: Decimal,
    cost_per_km: Option<Decimal>,
    amortisation: Decimal,
    maintenance_ttc: Decimal,
    energy_ttc: Decimal,
    other_costs: Decimal,
    tco: Decimal,
}

impl From<&VehicleDashboard> for DashFigures {
    fn from(r: &VehicleDashboard) -> DashFigures {
        DashFigures {
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
}

impl From<&ServiceDashboard> for DashFigures {
    fn from(r: &ServiceDashboard) -> DashFigures {
        DashFigures {
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
}

/// A dashboard row (a vehicle's or a tenant's service's) for a year:
/// immobilisation, utilisation, cost per km with maintenance and the total
/// cost of ownership (docs/fleet.md).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "FleetDashboard",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyFleetDashboard {
    /// Asset code (a vehicle's row), else None.
    vehicle: Option<String>,
    /// Owner on the year's first day.
    tenant: String,
    /// Tenant of the service.
    service_tenant: Option<String>,
    /// Service (assigned, else managing).
    service: Option<String>,
    /// Vehicles counted (1 for a vehicle's row).
    vehicles: usize,
    /// The year.
    year: i32,
    /// Days in the fleet (commissioned, not reformed or sold).
    days_in_fleet: u32,
    /// Days immobilised.
    days_immobilised: u32,
    /// Days available (in the fleet, not immobilised).
    days_available: u32,
    /// Available days used (loan use, work order, fuel).
    days_used: u32,
    /// days_used / days_available, 4 decimals.
    utilisation: Option<Decimal>,
    /// Km driven.
    km: u64,
    /// Fuel and charging, HT.
    energy_ht: Decimal,
    /// Maintenance (cost lines on the vehicle), HT.
    maintenance_ht: Decimal,
    /// (energy_ht + maintenance_ht) / km, 4 decimals.
    cost_per_km: Option<Decimal>,
    /// The purchase's amortisation of the year.
    amortisation: Decimal,
    /// Maintenance TTC.
    maintenance_ttc: Decimal,
    /// Fuel and charging TTC.
    energy_ttc: Decimal,
    /// Insurance, taxes and other costs.
    other_costs: Decimal,
    /// Total cost of ownership.
    tco: Decimal,
}

impl PyFleetDashboard {
    fn build(
        m: &Registry,
        vehicle: Option<String>,
        tenant: mutualis::TenantId,
        service: Option<mutualis::ServiceId>,
        vehicles: usize,
        f: DashFigures,
    ) -> PyFleetDashboard {
        let (service_tenant, service) = service.and_then(|s| service_pair(m, s)).unzip();
        PyFleetDashboard {
            vehicle,
            tenant: m.tenant_code(tenant).to_owned(),
            service_tenant,
            service,
            vehicles,
            year: f.year,
            days_in_fleet: f.days_in_fleet,
            days_immobilised: f.days_immobilised,
            days_available: f.days_available,
            days_used: f.days_used,
            utilisation: f.utilisation,
            km: f.km,
            energy_ht: f.energy_ht,
            maintenance_ht: f.maintenance_ht,
            cost_per_km: f.cost_per_km,
            amortisation: f.amortisation,
            maintenance_ttc: f.maintenance_ttc,
            energy_ttc: f.energy_ttc,
            other_costs: f.other_costs,
            tco: f.tco,
        }
    }

    /// A vehicle's row.
    pub(crate) fn of_vehicle(m: &Registry, r: &VehicleDashboard) -> PyFleetDashboard {
        let code = m.asset_code(r.vehicle).to_owned();
        PyFleetDashboard::build(m, Some(code), r.owner, r.service, 1, r.into())
    }

    /// A service's row.
    pub(crate) fn of_service(m: &Registry, r: &ServiceDashboard) -> PyFleetDashboard {
        PyFleetDashboard::build(m, None, r.tenant, r.service, r.vehicles, r.into())
    }
}

record_class! {
    PyFleetDashboard { vehicle, tenant, service_tenant, service, vehicles, year, days_in_fleet, days_immobilised, days_available, days_used, utilisation, km, energy_ht, maintenance_ht, cost_per_km, amortisation, maintenance_ttc, energy_ttc, other_costs, tco }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "FleetDashboard",
            vehicle = &self.vehicle,
            tenant = &self.tenant,
            service = &self.service,
            year = self.year,
            days_immobilised = self.days_immobilised,
            utilisation = self.utilisation,
            tco = self.tco
        )
    }
}

/// Dashboard rows as columns (the fields of `FleetDashboard`, each a list).
pub fn dashboard_columns(rows: &[PyFleetDashboard]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    macro_rules! col {
        ($($f:ident),*) => {
            $(out.set_item(stringify!($f), rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>())?;)*
        };
    }
    col!(
        vehicle,
        tenant,
        service_tenant,
        service,
        vehicles,
        year,
        days_in_fleet,
        days_immobilised,
        days_available,
        days_used,
        utilisation,
        km,
        energy_ht,
        maintenance_ht,
        cost_per_km,
        amortisation,
        maintenance_ttc,
        energy_ttc,
        other_costs,
        tco
    );
    out.finish()
}
