//! The due list (inspections and plans, with projected dates) and the use
//! and cost figures per vehicle and service.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    add_months, per, projected, run_in, DueItem, DueWhat, FuelUnit, Inspection, InspectionKind,
    InspectionResult, MaintenancePlan, ServiceCost, VehicleStatus, VehicleUse,
};
use crate::error::Result;
use crate::ids::{ServiceId, TenantId};
use crate::period::Period;
use crate::Mutualis;

impl Mutualis {
    /// What is due for the vehicle at `at` on `on`: its inspections and its
    /// plans (`plans`: their indices; none: found by a scan of the plans).
    pub(super) fn due_of(
        &self,
        at: usize,
        on: NaiveDate,
        plans: Option<&[usize]>,
        out: &mut Vec<DueItem>,
    ) {
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

    pub(super) fn plan_due(
        &self,
        p: &MaintenancePlan,
        at: usize,
        on: NaiveDate,
        mut row: DueItem,
    ) -> DueItem {
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
        self.fleet_due_masked(on, within_days, None)
    }

    /// [`Mutualis::fleet_due`] of the vehicles `keep` lets through (by
    /// register position; none: all).
    pub(crate) fn fleet_due_masked(
        &self,
        on: NaiveDate,
        within_days: u32,
        keep: Option<&[bool]>,
    ) -> Vec<DueItem> {
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
            if !kept(keep, at) {
                continue;
            }
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

    pub(super) fn use_of(&self, at: usize, period: &Period) -> VehicleUse {
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
        self.fleet_use_masked(period, None)
    }

    /// [`Mutualis::fleet_use`] of the vehicles `keep` lets through.
    pub(crate) fn fleet_use_masked(
        &self,
        period: &Period,
        keep: Option<&[bool]>,
    ) -> Vec<VehicleUse> {
        (0..self.fleet.vehicles.len())
            .filter(|&at| kept(keep, at))
            .map(|at| self.use_of(at, period))
            .collect()
    }

    /// Energy cost per km by owner (on the period's first day) and service,
    /// sorted by tenant then service.
    #[must_use]
    pub fn cost_per_km_by_service(&self, period: &Period) -> Vec<ServiceCost> {
        self.cost_per_km_by_service_masked(period, None)
    }

    /// [`Mutualis::cost_per_km_by_service`] over the vehicles `keep` lets through.
    pub(crate) fn cost_per_km_by_service_masked(
        &self,
        period: &Period,
        keep: Option<&[bool]>,
    ) -> Vec<ServiceCost> {
        let mut groups: HashMap<(TenantId, Option<ServiceId>), ServiceCost> = HashMap::new();
        for (at, v) in self.fleet.vehicles.iter().enumerate() {
            if !kept(keep, at) {
                continue;
            }
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
}

/// True when the vehicle at `at` is kept (`None`: every vehicle).
pub(crate) fn kept(keep: Option<&[bool]>, at: usize) -> bool {
    keep.is_none_or(|k| k.get(at).copied().unwrap_or(false))
}
