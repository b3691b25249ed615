//! The fleet's queries on a [`Reader`]: a principal sees the vehicles its
//! `fleet:read` grants cover on the registry clock's date.
//!
//! A vehicle is covered by a grant's scope as its asset is (a tenant scope:
//! the vehicles the tenant owns, holds or pays a share of; a subtree scope:
//! the vehicles under it), and a service scope also covers the vehicles
//! assigned to that service. Then:
//! - a **lookup** of one vehicle (its record, readings, fuel lines,
//!   inspections, what is due, its use) answers [`crate::Error::Forbidden`]
//!   when the vehicle is not covered;
//! - a **list** (the register, the plans, the due list, every vehicle's use,
//!   the dashboards per vehicle) keeps the covered vehicles' rows: empty
//!   without any fleet grant, like [`Reader::assets`];
//! - an **aggregate** per tenant and service (cost per km, dashboards by
//!   service) is computed over the covered vehicles, and answers Forbidden
//!   without any grant to read the fleet, like [`Reader::ledger_group`].

use chrono::NaiveDate;

use super::super::{Area, Mode, Scope, Target};
use super::Reader;
use crate::error::Result;
use crate::fleet::{
    DueItem, FuelLine, Inspection, MaintenancePlan, Meter, Purchase, Reading, ServiceCost,
    ServiceDashboard, Vehicle, VehicleCost, VehicleDashboard, VehicleStatus, VehicleUse,
};
use crate::period::Period;

impl<'a> Reader<'a> {
    /// The scopes of the principal's grants valid today whose role reads
    /// the fleet (`None`: the unchecked reader).
    fn fleet_scopes(&self) -> Option<Vec<&'a Scope>> {
        let p = self.principal?;
        let today = self.today();
        let g = &self.m.policies;
        Some(
            g.grants_of
                .get(p)
                .into_iter()
                .flatten()
                .map(|&i| &g.grants[i])
                .filter(|x| {
                    x.period.contains(today)
                        && g.roles[x.role].permissions.allows(Area::Fleet, Mode::Read)
                })
                .map(|x| &x.scope)
                .collect(),
        )
    }

    /// True when one of `scopes` covers `v` today.
    fn covers_vehicle(&self, scopes: &[&Scope], v: &Vehicle, today: NaiveDate) -> bool {
        scopes.iter().any(|s| match s {
            Scope::Service(x) if v.service == Some(*x) => true,
            _ => self
                .m
                .scope_covers(s, Target::Asset(v.asset), Mode::Read, today),
        })
    }

    /// Per register position, whether the principal sees the vehicle
    /// (`None`: every vehicle). With `strict`, no fleet grant at all answers
    /// Forbidden naming `what` (aggregates); else an all-false mask (lists).
    fn fleet_keep(&self, what: &str, strict: bool) -> Result<Option<Vec<bool>>> {
        let Some(scopes) = self.fleet_scopes() else {
            return Ok(None);
        };
        let vehicles = self.m.vehicles();
        if scopes.is_empty() {
            if let (true, Some(p)) = (strict, self.principal) {
                return Err(self.m.forbidden(
                    p,
                    Area::Fleet,
                    Mode::Read,
                    Some(what),
                    Target::Group,
                ));
            }
            return Ok(Some(vec![false; vehicles.len()]));
        }
        if scopes.iter().any(|s| matches!(s, Scope::Group)) {
            return Ok(None);
        }
        let today = self.today();
        Ok(Some(
            vehicles
                .iter()
                .map(|v| self.covers_vehicle(&scopes, v, today))
                .collect(),
        ))
    }

    /// The vehicle `code` if the principal sees it, else Forbidden naming `what`.
    fn fleet_check(&self, code: &str, what: &str) -> Result<&'a Vehicle> {
        let m = self.m;
        let a = m.asset_id(code)?;
        let v = m.vehicle(code);
        if let (Some(p), Some(scopes)) = (self.principal, self.fleet_scopes()) {
            let seen = match &v {
                Ok(v) => self.covers_vehicle(&scopes, v, self.today()),
                // not in the fleet: judged on the asset, so that an unknown
                // vehicle is told apart only to those who see the asset
                Err(_) => scopes
                    .iter()
                    .any(|s| m.scope_covers(s, Target::Asset(a), Mode::Read, self.today())),
            };
            if !seen {
                return Err(m.forbidden(p, Area::Fleet, Mode::Read, Some(what), Target::Asset(a)));
            }
        }
        v
    }

    /// [`crate::Mutualis::vehicles`]: those the principal sees.
    #[must_use]
    pub fn vehicles(&self) -> Vec<&'a Vehicle> {
        let keep = self.fleet_keep("vehicles", false).ok().flatten();
        self.m
            .vehicles()
            .iter()
            .enumerate()
            .filter(|(at, _)| crate::fleet::kept(keep.as_deref(), *at))
            .map(|(_, v)| v)
            .collect()
    }

    /// [`crate::Mutualis::vehicle`], if the principal sees it.
    ///
    /// Errors: as [`crate::Mutualis::vehicle`], [`crate::Error::Forbidden`].
    pub fn vehicle(&self, code: &str) -> Result<&'a Vehicle> {
        self.fleet_check(code, "vehicle")
    }

    /// [`crate::Mutualis::meter_readings`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::meter_readings`], [`crate::Error::Forbidden`].
    pub fn meter_readings(&self, vehicle: &str, meter: Meter) -> Result<&'a [Reading]> {
        self.fleet_check(vehicle, "meter_readings")?;
        self.m.meter_readings(vehicle, meter)
    }

    /// [`crate::Mutualis::fuel_lines`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::fuel_lines`], [`crate::Error::Forbidden`].
    pub fn fuel_lines(&self, vehicle: &str) -> Result<&'a [FuelLine]> {
        self.fleet_check(vehicle, "fuel_lines")?;
        self.m.fuel_lines(vehicle)
    }

    /// [`crate::Mutualis::inspections`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::inspections`], [`crate::Error::Forbidden`].
    pub fn inspections(&self, vehicle: &str) -> Result<&'a [Inspection]> {
        self.fleet_check(vehicle, "inspections")?;
        self.m.inspections(vehicle)
    }

    /// [`crate::Mutualis::maintenance_plans`] of the vehicles the principal sees.
    #[must_use]
    pub fn maintenance_plans(&self) -> Vec<&'a MaintenancePlan> {
        let m = self.m;
        let keep = self.fleet_keep("maintenance_plans", false).ok().flatten();
        m.maintenance_plans()
            .iter()
            .filter(|p| match &keep {
                None => true,
                Some(k) => m
                    .vehicle_at(p.vehicle)
                    .is_some_and(|at| k.get(at).copied().unwrap_or(false)),
            })
            .collect()
    }

    /// [`crate::Mutualis::vehicle_due`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::vehicle_due`], [`crate::Error::Forbidden`].
    pub fn vehicle_due(&self, vehicle: &str, on: NaiveDate) -> Result<Vec<DueItem>> {
        self.fleet_check(vehicle, "vehicle_due")?;
        self.m.vehicle_due(vehicle, on)
    }

    /// [`crate::Mutualis::fleet_due`]: the rows of the vehicles the principal sees.
    #[must_use]
    pub fn fleet_due(&self, on: NaiveDate, within_days: u32) -> Vec<DueItem> {
        match self.fleet_keep("fleet_due", false) {
            Ok(keep) => self.m.fleet_due_masked(on, within_days, keep.as_deref()),
            Err(_) => Vec::new(),
        }
    }

    /// [`crate::Mutualis::vehicle_use`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::vehicle_use`], [`crate::Error::Forbidden`].
    pub fn vehicle_use(&self, vehicle: &str, period: &Period) -> Result<VehicleUse> {
        self.fleet_check(vehicle, "vehicle_use")?;
        self.m.vehicle_use(vehicle, period)
    }

    /// [`crate::Mutualis::fleet_use`]: the vehicles the principal sees.
    #[must_use]
    pub fn fleet_use(&self, period: &Period) -> Vec<VehicleUse> {
        match self.fleet_keep("fleet_use", false) {
            Ok(keep) => self.m.fleet_use_masked(period, keep.as_deref()),
            Err(_) => Vec::new(),
        }
    }

    /// [`crate::Mutualis::cost_per_km_by_service`] over the vehicles the
    /// principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the fleet.
    pub fn cost_per_km_by_service(&self, period: &Period) -> Result<Vec<ServiceCost>> {
        let keep = self.fleet_keep("cost_per_km_by_service", true)?;
        Ok(self
            .m
            .cost_per_km_by_service_masked(period, keep.as_deref()))
    }

    /// [`crate::Mutualis::vehicle_dashboard`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::vehicle_dashboard`], [`crate::Error::Forbidden`].
    pub fn vehicle_dashboard(&self, vehicle: &str, year: i32) -> Result<VehicleDashboard> {
        self.fleet_check(vehicle, "vehicle_dashboard")?;
        self.m.vehicle_dashboard(vehicle, year)
    }

    /// [`crate::Mutualis::fleet_dashboard`]: the vehicles the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::fleet_dashboard`].
    pub fn fleet_dashboard(&self, year: i32) -> Result<Vec<VehicleDashboard>> {
        let keep = self.fleet_keep("fleet_dashboard", false)?;
        self.m.fleet_dashboard_masked(year, keep.as_deref())
    }

    /// [`crate::Mutualis::fleet_dashboard_by_service`] over the vehicles the
    /// principal sees.
    ///
    /// Errors: as [`crate::Mutualis::fleet_dashboard_by_service`],
    /// [`crate::Error::Forbidden`] without any grant to read the fleet.
    pub fn fleet_dashboard_by_service(&self, year: i32) -> Result<Vec<ServiceDashboard>> {
        let keep = self.fleet_keep("fleet_dashboard_by_service", true)?;
        self.m
            .fleet_dashboard_by_service_masked(year, keep.as_deref())
    }

    /// [`crate::Mutualis::status_history`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::status_history`], [`crate::Error::Forbidden`].
    pub fn status_history(&self, vehicle: &str) -> Result<&'a [(NaiveDate, VehicleStatus)]> {
        self.fleet_check(vehicle, "status_history")?;
        self.m.status_history(vehicle)
    }

    /// [`crate::Mutualis::vehicle_purchase`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::vehicle_purchase`], [`crate::Error::Forbidden`].
    pub fn vehicle_purchase(&self, vehicle: &str) -> Result<Option<Purchase>> {
        self.fleet_check(vehicle, "vehicle_purchase")?;
        self.m.vehicle_purchase(vehicle)
    }

    /// [`crate::Mutualis::vehicle_costs`] of a vehicle the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::vehicle_costs`], [`crate::Error::Forbidden`].
    pub fn vehicle_costs(&self, vehicle: &str) -> Result<&'a [VehicleCost]> {
        self.fleet_check(vehicle, "vehicle_costs")?;
        self.m.vehicle_costs(vehicle)
    }
}
