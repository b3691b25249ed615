//! The yearly dashboards: immobilisation days, utilisation rate, cost per
//! km including maintenance and the total cost of ownership, per vehicle and
//! per tenant and service (docs/fleet.md, "Dashboards").
//!
//! One pass over the loans and one over the cost lines mark the used days
//! of every vehicle (a bit per day of the year); then each vehicle is read
//! once (its status history, inspections, fuel lines, cost lines on its
//! asset, other costs): no allocation per vehicle.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    kept, per, run_in, InspectionResult, ServiceDashboard, VehicleDashboard, VehicleStatus,
};
use crate::error::Result;
use crate::ids::{ServiceId, TenantId};
use crate::period::Period;
use crate::work::{CostNature, Provider};
use crate::Mutualis;

/// One bit per day of a year.
type Days = [u64; 6];

/// The days of a year, as a period and its first day's number.
#[derive(Clone, Copy)]
struct Year {
    year: i32,
    first: NaiveDate,
    last: NaiveDate,
}

impl Year {
    fn new(year: i32) -> Result<Year> {
        crate::period::check_year("year", year)?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| crate::period::year_error("year", i64::from(year), &crate::YEARS))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(first);
        Ok(Year { year, first, last })
    }

    fn period(self) -> Period {
        Period {
            from: self.first,
            to: Some(self.last),
        }
    }

    /// Marks the days from `from` to `to` (inclusive; none: the year's end)
    /// that fall in the year.
    fn mark(self, bits: &mut Days, from: NaiveDate, to: Option<NaiveDate>) {
        let from = from.max(self.first);
        let to = to.map_or(self.last, |t| t.min(self.last));
        if from > to {
            return;
        }
        let a = (from - self.first).num_days() as usize;
        let b = (to - self.first).num_days() as usize;
        for d in a..=b {
            bits[d / 64] |= 1 << (d % 64);
        }
    }

    /// Marks one day if it falls in the year.
    fn mark_day(self, bits: &mut Days, day: NaiveDate) {
        if day >= self.first && day <= self.last {
            let d = (day - self.first).num_days() as usize;
            bits[d / 64] |= 1 << (d % 64);
        }
    }
}

fn count(bits: &Days) -> u32 {
    bits.iter().map(|w| w.count_ones()).sum()
}

fn ratio(numer: u32, denom: u32) -> Option<Decimal> {
    if denom == 0 {
        return None;
    }
    Some((Decimal::from(numer) / Decimal::from(denom)).round_dp(4))
}

impl Mutualis {
    /// A vehicle's dashboard for a year: days in the fleet, immobilised,
    /// available and used, utilisation rate, km, cost per km including
    /// maintenance, and the total cost of ownership (amortisation,
    /// maintenance, energy, other costs).
    ///
    /// Errors: [`crate::Error::UnknownAsset`], [`crate::Error::NotInFleet`],
    /// [`crate::Error::YearOutOfRange`].
    pub fn vehicle_dashboard(&self, vehicle: &str, year: i32) -> Result<VehicleDashboard> {
        let at = self.vehicle_index(vehicle)?;
        let y = Year::new(year)?;
        let mut used = vec![[0u64; 6]; self.fleet.vehicles.len()];
        self.mark_used(y, &mut used);
        Ok(self.dashboard_of(at, y, &used[at]))
    }

    /// Every vehicle's dashboard for a year, in registration order.
    ///
    /// Errors: [`crate::Error::YearOutOfRange`].
    pub fn fleet_dashboard(&self, year: i32) -> Result<Vec<VehicleDashboard>> {
        self.fleet_dashboard_masked(year, None)
    }

    /// [`Mutualis::fleet_dashboard`] of the vehicles `keep` lets through.
    pub(crate) fn fleet_dashboard_masked(
        &self,
        year: i32,
        keep: Option<&[bool]>,
    ) -> Result<Vec<VehicleDashboard>> {
        let y = Year::new(year)?;
        let mut used = vec![[0u64; 6]; self.fleet.vehicles.len()];
        self.mark_used(y, &mut used);
        Ok((0..self.fleet.vehicles.len())
            .filter(|&at| kept(keep, at))
            .map(|at| self.dashboard_of(at, y, &used[at]))
            .collect())
    }

    /// The dashboards summed by owner (on the year's first day) and
    /// service, sorted by tenant then service.
    ///
    /// Errors: [`crate::Error::YearOutOfRange`].
    pub fn fleet_dashboard_by_service(&self, year: i32) -> Result<Vec<ServiceDashboard>> {
        self.fleet_dashboard_by_service_masked(year, None)
    }

    /// [`Mutualis::fleet_dashboard_by_service`] over the vehicles `keep` lets through.
    pub(crate) fn fleet_dashboard_by_service_masked(
        &self,
        year: i32,
        keep: Option<&[bool]>,
    ) -> Result<Vec<ServiceDashboard>> {
        let rows = self.fleet_dashboard_masked(year, keep)?;
        let mut groups: HashMap<(TenantId, Option<ServiceId>), ServiceDashboard> = HashMap::new();
        for r in &rows {
            let g = groups
                .entry((r.owner, r.service))
                .or_insert(ServiceDashboard {
                    tenant: r.owner,
                    service: r.service,
                    year,
                    vehicles: 0,
                    days_in_fleet: 0,
                    days_immobilised: 0,
                    days_available: 0,
                    days_used: 0,
                    utilisation: None,
                    km: 0,
                    energy_ht: Decimal::ZERO,
                    maintenance_ht: Decimal::ZERO,
                    cost_per_km: None,
                    amortisation: Decimal::ZERO,
                    maintenance_ttc: Decimal::ZERO,
                    energy_ttc: Decimal::ZERO,
                    other_costs: Decimal::ZERO,
                    tco: Decimal::ZERO,
                });
            g.vehicles += 1;
            g.days_in_fleet += r.days_in_fleet;
            g.days_immobilised += r.days_immobilised;
            g.days_available += r.days_available;
            g.days_used += r.days_used;
            g.km = g.km.saturating_add(r.km);
            g.energy_ht += r.energy_ht;
            g.maintenance_ht += r.maintenance_ht;
            g.amortisation += r.amortisation;
            g.maintenance_ttc += r.maintenance_ttc;
            g.energy_ttc += r.energy_ttc;
            g.other_costs += r.other_costs;
            g.tco += r.tco;
        }
        let mut out: Vec<ServiceDashboard> = groups
            .into_values()
            .map(|mut g| {
                g.utilisation = ratio(g.days_used, g.days_available);
                g.cost_per_km = per(g.energy_ht + g.maintenance_ht, g.km, Decimal::ONE);
                g
            })
            .collect();
        out.sort_by_key(|g| (g.tenant, g.service));
        Ok(out)
    }

    /// Marks, per vehicle, the days of `y` with a loan use or a vehicle
    /// cost line on a work order (one pass over each).
    fn mark_used(&self, y: Year, used: &mut [Days]) {
        for loan in self.loans() {
            if let Some(at) = self.vehicle_at(loan.vehicle) {
                for u in &loan.uses {
                    y.mark_day(&mut used[at], u.date);
                }
            }
        }
        let lines = &self.cost_lines;
        let vehicle = crate::lines::nature_index(CostNature::Vehicle);
        let (first, last) = (crate::lines::day_of(y.first), crate::lines::day_of(y.last));
        for (i, (&n, &day)) in lines.natures().iter().zip(lines.days()).enumerate() {
            if n != vehicle || day < first || day > last {
                continue;
            }
            if let Provider::Vehicle { vehicle, .. } = lines.provider(i) {
                if let Some(at) = self.vehicle_at(vehicle) {
                    y.mark_day(&mut used[at], lines.date(i));
                }
            }
        }
    }

    /// The dashboard of the vehicle at `at` for `y`, its loan and work
    /// order days in `used`.
    fn dashboard_of(&self, at: usize, y: Year, used: &Days) -> VehicleDashboard {
        let v = &self.fleet.vehicles[at];
        let asset = &self.assets()[v.asset.index()];
        let inspections = &self.fleet.inspections[at];
        // the first inspection of a kind after `date` that is not failed
        let passed_after = |kind, date: NaiveDate| {
            inspections
                .iter()
                .filter(|i| i.kind == kind && i.date > date && i.result != InspectionResult::Failed)
                .map(|i| i.date)
                .min()
        };
        let day_before = |d: NaiveDate| d.pred_opt().unwrap_or(d);
        let (mut gone, mut immobilised) = ([0u64; 6], [0u64; 6]);
        let history = &self.fleet.statuses[at];
        for (k, &(since, status)) in history.iter().enumerate() {
            let mut end = history.get(k + 1).map(|&(next, _)| day_before(next));
            match status {
                VehicleStatus::Reformed | VehicleStatus::Sold => y.mark(&mut gone, since, end),
                VehicleStatus::Immobilised => {
                    // immobilised by a failed inspection: until the next pass at most
                    for i in inspections
                        .iter()
                        .filter(|i| i.date == since && i.result == InspectionResult::Failed)
                    {
                        if let Some(p) = passed_after(i.kind, i.date) {
                            let cut = day_before(p);
                            end = Some(end.map_or(cut, |e| e.min(cut)));
                        }
                    }
                    y.mark(&mut immobilised, since, end);
                }
                _ => {}
            }
        }
        for i in inspections
            .iter()
            .filter(|i| i.result == InspectionResult::Failed)
        {
            let end = passed_after(i.kind, i.date).map(day_before);
            y.mark(&mut immobilised, i.date, end);
        }
        let mut in_fleet = [0u64; 6];
        y.mark(&mut in_fleet, asset.commissioned, asset.decommissioned);
        let mut used = *used;
        for f in &self.fleet.fuel[at] {
            y.mark_day(&mut used, f.date);
        }
        let (mut available, mut immob, mut use_days) = ([0u64; 6], [0u64; 6], [0u64; 6]);
        for w in 0..6 {
            in_fleet[w] &= !gone[w];
            immob[w] = immobilised[w] & in_fleet[w];
            available[w] = in_fleet[w] & !immob[w];
            use_days[w] = used[w] & available[w];
        }
        let period = y.period();
        let km = run_in(&self.fleet.meters[at][0], &period);
        let (mut energy_ht, mut energy_ttc) = (Decimal::ZERO, Decimal::ZERO);
        for f in self.fleet.fuel[at]
            .iter()
            .filter(|f| period.contains(f.date))
        {
            energy_ht += f.ht;
            energy_ttc += f.ht + crate::money::round_cents(f.ht * f.vat.fraction());
        }
        let (mut m_ht, mut m_ttc) = (0i64, 0i64);
        for &l in self.lines_of_asset(v.asset) {
            let i = l as usize;
            if period.contains(self.cost_lines.date(i)) {
                m_ht += self.cost_lines.ht_cents(i);
                m_ttc += self.cost_lines.ttc_cents(i);
            }
        }
        let maintenance_ht = crate::money::from_cents(m_ht);
        let maintenance_ttc = crate::money::from_cents(m_ttc);
        let amortisation =
            self.fleet.purchases[at].map_or(Decimal::ZERO, |p| p.amortisation(y.year));
        let other_costs: Decimal = self.fleet.costs[at]
            .iter()
            .filter(|c| period.contains(c.date))
            .map(|c| c.amount)
            .sum();
        let (days_available, days_used) = (count(&available), count(&use_days));
        VehicleDashboard {
            vehicle: v.asset,
            owner: self.owner_at(v.asset, y.first),
            service: v.service.or(asset.service),
            year: y.year,
            days_in_fleet: count(&in_fleet),
            days_immobilised: count(&immob),
            days_available,
            days_used,
            utilisation: ratio(days_used, days_available),
            km,
            energy_ht,
            maintenance_ht,
            cost_per_km: per(energy_ht + maintenance_ht, km, Decimal::ONE),
            amortisation,
            maintenance_ttc,
            energy_ttc,
            other_costs,
            tco: amortisation + maintenance_ttc + energy_ttc + other_costs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_marks_and_counts_its_days() {
        let y = Year::new(2024).unwrap();
        let d = |m, j| NaiveDate::from_ymd_opt(2024, m, j).unwrap();
        let mut bits = [0u64; 6];
        y.mark(&mut bits, d(3, 1), Some(d(3, 10)));
        assert_eq!(count(&bits), 10);
        y.mark(&mut bits, d(12, 20), None);
        assert_eq!(count(&bits), 22);
        let mut all = [0u64; 6];
        y.mark(&mut all, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), None);
        assert_eq!(count(&all), 366);
        y.mark_day(&mut all, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        assert_eq!(count(&all), 366);
    }
}
