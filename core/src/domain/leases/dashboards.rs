//! Dashboards as records: the rent roll (per party, collectivité, building
//! and type), occupancy and vacancy per building, arrears, and the
//! revisions, renewals, notices and ends due in the next N months.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::{
    Arrears, Deadline, DeadlineKind, LeaseSide, Occupancy, RentRollRow, RollBy, RollTotal,
};
use crate::error::{Error, Result};
use crate::Mutualis;

impl Mutualis {
    /// The contracts in force on `on`, in creation order, with their rent
    /// in force and its yearly amount.
    #[must_use]
    pub fn rent_roll(&self, on: NaiveDate) -> Vec<RentRollRow> {
        self.rent_roll_masked(on, None)
    }

    /// [`Mutualis::rent_roll`] of the contracts `keep` marks (`None`: all).
    pub(crate) fn rent_roll_masked(
        &self,
        on: NaiveDate,
        keep: Option<&[bool]>,
    ) -> Vec<RentRollRow> {
        let mut out = Vec::new();
        for (at, l) in self.leases.leases.iter().enumerate() {
            if !l.in_force_on(on) || !super::kept(keep, at) {
                continue;
            }
            let rent = self.rent_at(at, on);
            out.push(RentRollRow {
                lease: l.code.clone(),
                tenant: self.tenant_code(l.tenant).to_owned(),
                party: self.party_code(l).to_owned(),
                asset: self.asset_code(l.asset).to_owned(),
                building: self.asset_code(self.building_of(l.asset)).to_owned(),
                kind: l.kind,
                side: l.side,
                rent,
                annual_rent: rent * Decimal::from(l.periodicity.per_year()),
                surface: l.surface,
            });
        }
        out
    }

    /// The rent roll on `on` totalled by party, collectivité, building or
    /// type (sorted by key), for the contracts of one side.
    #[must_use]
    pub fn rent_roll_by(&self, on: NaiveDate, by: RollBy, side: LeaseSide) -> Vec<RollTotal> {
        self.rent_roll_by_masked(on, by, side, None)
    }

    /// [`Mutualis::rent_roll_by`] over the contracts `keep` marks.
    pub(crate) fn rent_roll_by_masked(
        &self,
        on: NaiveDate,
        by: RollBy,
        side: LeaseSide,
        keep: Option<&[bool]>,
    ) -> Vec<RollTotal> {
        let mut acc: BTreeMap<String, RollTotal> = BTreeMap::new();
        for r in self
            .rent_roll_masked(on, keep)
            .into_iter()
            .filter(|r| r.side == side)
        {
            let key = match by {
                RollBy::Party => r.party,
                RollBy::Tenant => r.tenant,
                RollBy::Building => r.building,
                RollBy::Kind => r.kind.as_str().to_owned(),
            };
            let t = acc.entry(key.clone()).or_insert_with(|| RollTotal {
                key,
                leases: 0,
                annual_rent: crate::money::from_cents(0),
                surface: Decimal::ZERO,
            });
            t.leases += 1;
            t.annual_rent += r.annual_rent;
            t.surface += r.surface.unwrap_or_default();
        }
        acc.into_values().collect()
    }

    /// Occupancy on `on` of each building with lettings (the nearest
    /// building at or above each contract's asset), by building code.
    #[must_use]
    pub fn occupancy(&self, on: NaiveDate) -> Vec<Occupancy> {
        self.occupancy_masked(on, None)
    }

    /// [`Mutualis::occupancy`] of the buildings with a letting `keep` marks
    /// (counting those lettings only).
    pub(crate) fn occupancy_masked(&self, on: NaiveDate, keep: Option<&[bool]>) -> Vec<Occupancy> {
        let mut acc: BTreeMap<String, (crate::AssetId, Decimal, usize)> = BTreeMap::new();
        for (at, l) in self.leases.leases.iter().enumerate() {
            if !Self::is_letting(l) || !super::kept(keep, at) {
                continue;
            }
            let b = self.building_of(l.asset);
            let e = acc
                .entry(self.asset_code(b).to_owned())
                .or_insert((b, Decimal::ZERO, 0));
            if l.in_force_on(on) {
                e.1 += l.surface.unwrap_or_default();
                e.2 += 1;
            }
        }
        acc.into_iter()
            .map(|(building, (b, occupied, leases))| {
                let floor_area = self.assets()[b.index()].floor_area;
                Occupancy {
                    building,
                    floor_area,
                    occupied,
                    vacant: floor_area.map(|f| (f - occupied).max(Decimal::ZERO)),
                    rate: floor_area
                        .filter(|f| !f.is_zero())
                        .map(|f| (occupied / f).round_dp(4)),
                    leases,
                }
            })
            .collect()
    }

    /// The contracts owing rent on `on` (calls due by then not covered by
    /// receipts by then), in creation order.
    #[must_use]
    pub fn lease_arrears(&self, on: NaiveDate) -> Vec<Arrears> {
        self.lease_arrears_masked(on, None)
    }

    /// [`Mutualis::lease_arrears`] of the contracts `keep` marks.
    pub(crate) fn lease_arrears_masked(
        &self,
        on: NaiveDate,
        keep: Option<&[bool]>,
    ) -> Vec<Arrears> {
        (0..self.leases.leases.len())
            .filter(|&at| super::kept(keep, at))
            .filter_map(|at| self.arrears_at(at, on))
            .collect()
    }

    /// What a contract owes on `on` (none: nothing).
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn arrears_of(&self, lease: &str, on: NaiveDate) -> Result<Option<Arrears>> {
        Ok(self.arrears_at(self.lease_index(lease)?, on))
    }

    /// Revisions, notices, renewals and ends falling from `on` to `months`
    /// months later (inclusive), by date then contract code.
    ///
    /// Errors: [`Error::InvalidField`] (more than 1 200 months).
    pub fn lease_deadlines(&self, on: NaiveDate, months: u32) -> Result<Vec<Deadline>> {
        self.lease_deadlines_masked(on, months, None)
    }

    /// [`Mutualis::lease_deadlines`] of the contracts `keep` marks.
    pub(crate) fn lease_deadlines_masked(
        &self,
        on: NaiveDate,
        months: u32,
        keep: Option<&[bool]>,
    ) -> Result<Vec<Deadline>> {
        if months > 1200 {
            return Err(Error::InvalidField {
                field: "months",
                reason: format!("{months} months is more than a century"),
            });
        }
        let until = on
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX);
        let within = |d: NaiveDate| d >= on && d <= until;
        let mut out = Vec::new();
        for (at, l) in self.leases.leases.iter().enumerate() {
            if l.terminated.is_some_and(|t| t < on) || !super::kept(keep, at) {
                continue;
            }
            if let Some((date, quarter)) = self.next_revision(at) {
                if within(date) && l.in_force_on(date) {
                    out.push(Deadline {
                        lease: l.code.clone(),
                        kind: DeadlineKind::Revision,
                        date,
                        quarter: Some(quarter),
                    });
                }
            }
            let Some(end) = l.terminated.or(l.end) else {
                continue;
            };
            if l.terminated.is_none() {
                if let Some(notice) = end.checked_sub_months(Months::new(l.notice_months)) {
                    if within(notice) {
                        out.push(Deadline {
                            lease: l.code.clone(),
                            kind: DeadlineKind::Notice,
                            date: notice,
                            quarter: None,
                        });
                    }
                }
            }
            if within(end) {
                let kind = if l.tacit_renewal && l.terminated.is_none() {
                    DeadlineKind::Renewal
                } else {
                    DeadlineKind::End
                };
                out.push(Deadline {
                    lease: l.code.clone(),
                    kind,
                    date: end,
                    quarter: None,
                });
            }
        }
        out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.lease.cmp(&b.lease)));
        Ok(out)
    }
}
