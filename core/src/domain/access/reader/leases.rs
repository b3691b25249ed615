//! The leases' queries on a [`Reader`]: a principal sees the contracts its
//! `leases:read` grants cover on the registry clock's date.
//!
//! A contract is covered by a grant's scope when the scope covers its
//! asset for reading (a tenant scope: the assets the tenant owns, holds or
//! pays a share of; a service scope: the assets the service manages; a
//! subtree scope: the assets under it), and a tenant scope also covers the
//! contracts its tenant signed. Then:
//! - a principal without any grant to read the leases gets
//!   [`crate::Error::Forbidden`] for every lease query;
//! - a **lookup** of one contract (its record, revisions, calls, receipts,
//!   arrears, revenue line) answers Forbidden when the contract is not
//!   covered; a party is seen when it faces a covered contract;
//! - a **list** or **dashboard** (contracts, parties, arrears, rent roll,
//!   occupancy, deadlines, in-kind aid) keeps the covered contracts' rows,
//!   and totals are computed over them;
//! - the regularisation of a building's charges keeps the covered
//!   occupants' rows (the vacant part to those who see the building);
//! - the revenue status of a budget is the whole budget's to those who
//!   read that budget (`budgets:read`), else computed over the covered
//!   contracts.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::super::{Area, Mode, Scope, Target};
use super::Reader;
use crate::error::{Error, Result};
use crate::leases::{
    AidAnnex, Arrears, ChargeShare, Charges, Deadline, InKindAid, Lease, LeaseSide, Occupancy,
    Party, Quarter, Receipt, RentCall, RentRollRow, Revision, RollBy, RollTotal,
};
use crate::RevenueLineStatus;

impl<'a> Reader<'a> {
    /// The scopes of the principal's grants valid today whose role reads
    /// the leases (`None`: the unchecked reader).
    fn lease_scopes(&self) -> Option<Vec<&'a Scope>> {
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
                        && g.roles[x.role].permissions.allows(Area::Leases, Mode::Read)
                })
                .map(|x| &x.scope)
                .collect(),
        )
    }

    /// True when one of `scopes` covers contract `l` today.
    fn covers_lease(&self, scopes: &[&Scope], l: &Lease, today: NaiveDate) -> bool {
        scopes.iter().any(|s| match s {
            Scope::Tenant(t) if *t == l.tenant => true,
            _ => self
                .m
                .scope_covers(s, Target::Asset(l.asset), Mode::Read, today),
        })
    }

    /// Forbidden naming `what`, on `target`.
    fn lease_refusal(&self, what: &str, target: Target) -> Error {
        match self.principal {
            Some(p) => self
                .m
                .forbidden(p, Area::Leases, Mode::Read, Some(what), target),
            None => Error::InvalidField {
                field: "principal",
                reason: "the unchecked reader refuses nothing".into(),
            },
        }
    }

    /// Per contract (index), whether the principal sees it (`None`: every
    /// contract). Without any grant to read the leases: Forbidden naming
    /// `what`.
    fn lease_keep(&self, what: &str) -> Result<Option<Vec<bool>>> {
        let Some(scopes) = self.lease_scopes() else {
            return Ok(None);
        };
        if scopes.is_empty() {
            return Err(self.lease_refusal(what, Target::Group));
        }
        if scopes.iter().any(|s| matches!(s, Scope::Group)) {
            return Ok(None);
        }
        let today = self.today();
        Ok(Some(
            self.m
                .leases()
                .iter()
                .map(|l| self.covers_lease(&scopes, l, today))
                .collect(),
        ))
    }

    /// The contract `code` if the principal sees it, else Forbidden naming `what`.
    fn lease_check(&self, code: &str, what: &str) -> Result<&'a Lease> {
        let m = self.m;
        let l = m.lease(code)?;
        if let Some(scopes) = self.lease_scopes() {
            if !self.covers_lease(&scopes, l, self.today()) {
                return Err(self.lease_refusal(what, Target::Asset(l.asset)));
            }
        }
        Ok(l)
    }

    /// [`crate::Mutualis::leases`]: those the principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn leases(&self) -> Result<Vec<&'a Lease>> {
        let keep = self.lease_keep("leases")?;
        Ok(self
            .m
            .leases()
            .iter()
            .enumerate()
            .filter(|(at, _)| crate::leases::kept(keep.as_deref(), *at))
            .map(|(_, l)| l)
            .collect())
    }

    /// [`crate::Mutualis::lease`], if the principal sees it.
    ///
    /// Errors: [`crate::Error::UnknownLease`], [`crate::Error::Forbidden`].
    pub fn lease(&self, code: &str) -> Result<&'a Lease> {
        self.lease_check(code, "lease")
    }

    /// [`crate::Mutualis::leases_of`]: those on the asset the principal sees.
    ///
    /// Errors: [`crate::Error::UnknownAsset`], [`crate::Error::Forbidden`]
    /// without any grant to read the leases.
    pub fn leases_of(&self, asset: &str) -> Result<Vec<&'a Lease>> {
        let all = self.m.leases_of(asset)?;
        let Some(scopes) = self.lease_scopes() else {
            return Ok(all);
        };
        if scopes.is_empty() {
            return Err(self.lease_refusal("leases_of", Target::Group));
        }
        let today = self.today();
        Ok(all
            .into_iter()
            .filter(|l| self.covers_lease(&scopes, l, today))
            .collect())
    }

    /// The parties facing a contract the principal sees
    /// ([`crate::Mutualis::parties`]; all of them for a group-wide grant).
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn parties(&self) -> Result<Vec<&'a Party>> {
        let m = self.m;
        let Some(keep) = self.lease_keep("parties")? else {
            return Ok(m.parties().iter().collect());
        };
        let mut seen = vec![false; m.parties().len()];
        for (l, _) in m.leases().iter().zip(&keep).filter(|(_, k)| **k) {
            if let Some(x) = seen.get_mut(l.party) {
                *x = true;
            }
        }
        Ok(m.parties()
            .iter()
            .zip(seen)
            .filter(|(_, s)| *s)
            .map(|(p, _)| p)
            .collect())
    }

    /// [`crate::Mutualis::party`], if it faces a contract the principal sees.
    ///
    /// Errors: [`crate::Error::UnknownParty`], [`crate::Error::Forbidden`].
    pub fn party(&self, code: &str) -> Result<&'a Party> {
        let m = self.m;
        let p = m.party(code)?;
        if let Some(keep) = self.lease_keep("party")? {
            let at = m.parties().iter().position(|x| x.code == p.code);
            let faces = m
                .leases()
                .iter()
                .zip(&keep)
                .any(|(l, k)| *k && Some(l.party) == at);
            if !faces {
                return Err(self.lease_refusal("party", Target::Group));
            }
        }
        Ok(p)
    }

    /// [`crate::Mutualis::index_value`] (index series are public data), to
    /// a principal who reads leases.
    ///
    /// Errors: as [`crate::Mutualis::index_value`], [`crate::Error::Forbidden`].
    pub fn index_value(&self, series: &str, quarter: Quarter) -> Result<Decimal> {
        self.any_lease_grant("index_value")?;
        self.m.index_value(series, quarter)
    }

    /// Ok when the principal has some grant to read the leases today.
    fn any_lease_grant(&self, what: &str) -> Result<()> {
        match self.lease_scopes() {
            Some(s) if s.is_empty() => Err(self.lease_refusal(what, Target::Group)),
            _ => Ok(()),
        }
    }

    /// [`crate::Mutualis::rent_on`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::rent_on`], [`crate::Error::Forbidden`].
    pub fn rent_on(&self, lease: &str, date: NaiveDate) -> Result<Decimal> {
        self.lease_check(lease, "rent_on")?;
        self.m.rent_on(lease, date)
    }

    /// [`crate::Mutualis::revisions`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::revisions`], [`crate::Error::Forbidden`].
    pub fn revisions(&self, lease: &str) -> Result<&'a [Revision]> {
        self.lease_check(lease, "revisions")?;
        self.m.revisions(lease)
    }

    /// [`crate::Mutualis::rent_revision`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::rent_revision`], [`crate::Error::Forbidden`].
    pub fn rent_revision(
        &self,
        lease: &str,
        date: NaiveDate,
        quarter: Quarter,
    ) -> Result<Revision> {
        self.lease_check(lease, "rent_revision")?;
        self.m.rent_revision(lease, date, quarter)
    }

    /// [`crate::Mutualis::rent_calls`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::rent_calls`], [`crate::Error::Forbidden`].
    pub fn rent_calls(&self, lease: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<RentCall>> {
        self.lease_check(lease, "rent_calls")?;
        self.m.rent_calls(lease, from, to)
    }

    /// [`crate::Mutualis::rent_receipts`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::rent_receipts`], [`crate::Error::Forbidden`].
    pub fn rent_receipts(&self, lease: &str) -> Result<&'a [Receipt]> {
        self.lease_check(lease, "rent_receipts")?;
        self.m.rent_receipts(lease)
    }

    /// [`crate::Mutualis::arrears_of`] a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::arrears_of`], [`crate::Error::Forbidden`].
    pub fn arrears_of(&self, lease: &str, on: NaiveDate) -> Result<Option<Arrears>> {
        self.lease_check(lease, "arrears_of")?;
        self.m.arrears_of(lease, on)
    }

    /// [`crate::Mutualis::lease_budget_line`] of a contract the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::lease_budget_line`], [`crate::Error::Forbidden`].
    pub fn lease_budget_line(&self, lease: &str) -> Result<Option<&'a str>> {
        self.lease_check(lease, "lease_budget_line")?;
        self.m.lease_budget_line(lease)
    }

    /// [`crate::Mutualis::lease_arrears`]: the contracts the principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn lease_arrears(&self, on: NaiveDate) -> Result<Vec<Arrears>> {
        let keep = self.lease_keep("lease_arrears")?;
        Ok(self.m.lease_arrears_masked(on, keep.as_deref()))
    }

    /// [`crate::Mutualis::charges`]: those of the buildings the principal
    /// sees (as an asset, or through a contract in it).
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn charges(&self) -> Result<Vec<&'a Charges>> {
        let m = self.m;
        let Some(keep) = self.lease_keep("charges")? else {
            return Ok(m.charges().iter().collect());
        };
        Ok(m.charges()
            .iter()
            .filter(|c| self.sees_building(c.building, &keep))
            .collect())
    }

    /// True when the principal sees `building` as an asset, or a letting
    /// (an occupant sharing its charges) on it or below it.
    fn sees_building(&self, building: crate::AssetId, keep: &[bool]) -> bool {
        let m = self.m;
        self.building_visible(building)
            || m.leases().iter().zip(keep).any(|(l, k)| {
                *k && l.side == LeaseSide::Lessor
                    && m.ancestors_and_self(l.asset).any(|a| a == building)
            })
    }

    /// True when a leases grant's scope covers `building` as an asset.
    fn building_visible(&self, building: crate::AssetId) -> bool {
        let today = self.today();
        self.lease_scopes().is_none_or(|scopes| {
            scopes.iter().any(|s| {
                self.m
                    .scope_covers(s, Target::Asset(building), Mode::Read, today)
            })
        })
    }

    /// [`crate::Mutualis::charges_regularisation`]: the rows of the
    /// occupants the principal sees, and the vacant part when it sees the
    /// building.
    ///
    /// Errors: as [`crate::Mutualis::charges_regularisation`],
    /// [`crate::Error::Forbidden`] when it sees neither the building nor
    /// any occupant.
    pub fn charges_regularisation(&self, building: &str, year: i32) -> Result<Vec<ChargeShare>> {
        let m = self.m;
        let b = m.asset_id(building)?;
        let rows = m.charges_regularisation(building, year)?;
        let Some(keep) = self.lease_keep("charges_regularisation")? else {
            return Ok(rows);
        };
        let whole = self.building_visible(b);
        let rows: Vec<ChargeShare> = rows
            .into_iter()
            .filter(|r| match &r.lease {
                Some(code) => m.lease_index(code).is_ok_and(|at| keep[at]),
                None => whole,
            })
            .collect();
        if !whole && !self.sees_building(b, &keep) {
            return Err(self.lease_refusal("charges_regularisation", Target::Asset(b)));
        }
        Ok(rows)
    }

    /// [`crate::Mutualis::in_kind_aid`] over the contracts the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::in_kind_aid`], [`crate::Error::Forbidden`].
    pub fn in_kind_aid(&self, year: i32) -> Result<Vec<InKindAid>> {
        let keep = self.lease_keep("in_kind_aid")?;
        self.m.in_kind_aid_masked(None, year, keep.as_deref())
    }

    /// [`crate::Mutualis::in_kind_aid_of`] over the contracts the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::in_kind_aid_of`], [`crate::Error::Forbidden`].
    pub fn in_kind_aid_of(&self, association: &str, year: i32) -> Result<Vec<InKindAid>> {
        let keep = self.lease_keep("in_kind_aid_of")?;
        self.m
            .in_kind_aid_masked(Some(association), year, keep.as_deref())
    }

    /// [`crate::Mutualis::in_kind_aid_annex`] over the contracts the
    /// principal sees.
    ///
    /// Errors: as [`crate::Mutualis::in_kind_aid_annex`], [`crate::Error::Forbidden`].
    pub fn in_kind_aid_annex(&self, tenant: &str, year: i32, population: u32) -> Result<AidAnnex> {
        let keep = self.lease_keep("in_kind_aid_annex")?;
        self.m
            .in_kind_aid_annex_masked(tenant, year, population, keep.as_deref())
    }

    /// [`crate::Mutualis::rent_roll`]: the contracts the principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn rent_roll(&self, on: NaiveDate) -> Result<Vec<RentRollRow>> {
        let keep = self.lease_keep("rent_roll")?;
        Ok(self.m.rent_roll_masked(on, keep.as_deref()))
    }

    /// [`crate::Mutualis::rent_roll_by`] over the contracts the principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn rent_roll_by(
        &self,
        on: NaiveDate,
        by: RollBy,
        side: LeaseSide,
    ) -> Result<Vec<RollTotal>> {
        let keep = self.lease_keep("rent_roll_by")?;
        Ok(self.m.rent_roll_by_masked(on, by, side, keep.as_deref()))
    }

    /// [`crate::Mutualis::occupancy`] over the lettings the principal sees.
    ///
    /// Errors: [`crate::Error::Forbidden`] without any grant to read the leases.
    pub fn occupancy(&self, on: NaiveDate) -> Result<Vec<Occupancy>> {
        let keep = self.lease_keep("occupancy")?;
        Ok(self.m.occupancy_masked(on, keep.as_deref()))
    }

    /// [`crate::Mutualis::lease_deadlines`] of the contracts the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::lease_deadlines`], [`crate::Error::Forbidden`].
    pub fn lease_deadlines(&self, on: NaiveDate, months: u32) -> Result<Vec<Deadline>> {
        let keep = self.lease_keep("lease_deadlines")?;
        self.m.lease_deadlines_masked(on, months, keep.as_deref())
    }

    /// [`crate::Mutualis::revenue_status`]: the whole budget's to a
    /// principal who reads the budget, else over the contracts it sees.
    ///
    /// Errors: as [`crate::Mutualis::revenue_status`],
    /// [`crate::Error::Forbidden`] without either.
    pub fn revenue_status(&self, tenant: &str, year: i32) -> Result<Vec<RevenueLineStatus>> {
        let t = self.m.tenant_id(tenant)?;
        if self.sees(Area::Budgets, Target::Budget(t, year), self.today()) {
            return self.m.revenue_status(tenant, year);
        }
        let keep = self.lease_keep("revenue_status")?;
        self.m.revenue_status_masked(tenant, year, keep.as_deref())
    }
}
