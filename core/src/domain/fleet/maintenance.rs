//! Preventive maintenance plans, whichever of their intervals comes first,
//! and the work orders they create.

use chrono::NaiveDate;

use super::{
    not_in_fleet, value_on, FleetEvent, FleetUndo, MaintenancePlan, Meter, NewMaintenancePlan,
};
use crate::error::{Error, Result};
use crate::ids::{AssetId, WorkOrderId};
use crate::Mutualis;

impl Mutualis {
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

    pub(super) fn plan_index(&self, plan: &str) -> Result<usize> {
        self.fleet
            .plan_index
            .get(plan)
            .copied()
            .ok_or_else(|| not_in_fleet(plan, "is not a maintenance plan"))
    }

    /// The maintenance plans, in the order added.
    #[must_use]
    pub fn maintenance_plans(&self) -> &[MaintenancePlan] {
        &self.fleet.plans
    }
}
