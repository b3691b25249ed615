//! In-kind aid (aide en nature) to associations, per collectivité,
//! association and year (loi 2000-321 art. 9-1 and 10, décret 2001-495):
//! the rent waived — the rental value of premises occupied free, or its
//! difference with a reduced rent, pro rata of the days occupied in the
//! year — plus the cost of the interventions in those premises (the
//! ledger's cost lines on the asset and its descendants dated while
//! occupied, TTC as the ledger holds them), with the line detail; a
//! convention is required above 23 000 €.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use super::{
    days_between, pro_rata, year_bounds, AidAnnex, AidLine, AidSource, InKindAid, PartyKind,
    CONVENTION_THRESHOLD,
};
use crate::error::Result;
use crate::money::from_cents;
use crate::Mutualis;

impl Mutualis {
    /// The in-kind aid of a year per collectivité and association, by
    /// collectivité then association code.
    ///
    /// Errors: [`crate::Error::YearOutOfRange`].
    pub fn in_kind_aid(&self, year: i32) -> Result<Vec<InKindAid>> {
        self.aid_where(year, |_| true, None)
    }

    /// The in-kind aid of one association for a year (one record per
    /// collectivité giving it).
    ///
    /// Errors: [`crate::Error::UnknownParty`], [`crate::Error::YearOutOfRange`].
    pub fn in_kind_aid_of(&self, association: &str, year: i32) -> Result<Vec<InKindAid>> {
        let p = self.party_index(association)?;
        self.aid_where(year, |party| party == p, None)
    }

    /// The in-kind aid of a year over the contracts `leases` marks (by
    /// index; `None`: all), of one association when given.
    ///
    /// Errors: as [`Mutualis::in_kind_aid_of`].
    pub(crate) fn in_kind_aid_masked(
        &self,
        association: Option<&str>,
        year: i32,
        leases: Option<&[bool]>,
    ) -> Result<Vec<InKindAid>> {
        match association {
            Some(a) => {
                let p = self.party_index(a)?;
                self.aid_where(year, |party| party == p, leases)
            }
            None => self.aid_where(year, |_| true, leases),
        }
    }

    /// The annex of the aids in kind `tenant` gives to associations in
    /// `year` (CGCT L2313-1): one row per association with its line
    /// detail, the totals (sums of the rows), and whether it is due — for a
    /// commune of [`super::ANNEX_POPULATION`] inhabitants or more; the
    /// population légale is the host's data, given here.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`].
    pub fn in_kind_aid_annex(&self, tenant: &str, year: i32, population: u32) -> Result<AidAnnex> {
        self.in_kind_aid_annex_masked(tenant, year, population, None)
    }

    /// [`Mutualis::in_kind_aid_annex`] over the contracts `leases` marks.
    pub(crate) fn in_kind_aid_annex_masked(
        &self,
        tenant: &str,
        year: i32,
        population: u32,
        leases: Option<&[bool]>,
    ) -> Result<AidAnnex> {
        let t = self.tenant_id(tenant)?;
        let commune = self.tenants()[t.index()].kind == crate::TenantKind::Commune;
        let rows: Vec<InKindAid> = self
            .aid_where(year, |_| true, leases)?
            .into_iter()
            .filter(|a| a.tenant == tenant)
            .collect();
        let waived_rent = rows.iter().fold(from_cents(0), |s, r| s + r.waived_rent);
        let interventions = rows.iter().fold(from_cents(0), |s, r| s + r.interventions);
        Ok(AidAnnex {
            tenant: tenant.to_owned(),
            year,
            population,
            required: commune && population >= super::ANNEX_POPULATION,
            rows,
            waived_rent,
            interventions,
            total: waived_rent + interventions,
        })
    }

    fn aid_where(
        &self,
        year: i32,
        keep: impl Fn(usize) -> bool,
        leases: Option<&[bool]>,
    ) -> Result<Vec<InKindAid>> {
        crate::period::check_year("year", year)?;
        let Some((y0, y1)) = year_bounds(year) else {
            return Ok(Vec::new());
        };
        let year_days = days_between(y0, y1);
        let mut groups: BTreeMap<(String, String), (InKindAid, HashSet<u32>)> = BTreeMap::new();
        for (at, l) in self.leases.leases.iter().enumerate() {
            let party = &self.leases.parties[l.party];
            if !Self::is_letting(l)
                || party.kind != PartyKind::Association
                || !keep(l.party)
                || !super::kept(leases, at)
            {
                continue;
            }
            let from = l.start.max(y0);
            let to = l.last_day().map_or(y1, |e| e.min(y1));
            if to < from {
                continue;
            }
            let tenant = self.tenant_code(l.tenant).to_owned();
            let (aid, seen) = groups
                .entry((tenant.clone(), party.code.clone()))
                .or_insert_with(|| {
                    (
                        InKindAid {
                            tenant,
                            association: party.code.clone(),
                            name: party.name.clone(),
                            rna: party.identifier.clone(),
                            year,
                            waived_rent: from_cents(0),
                            interventions: from_cents(0),
                            total: from_cents(0),
                            convention_required: false,
                            lines: Vec::new(),
                        },
                        HashSet::new(),
                    )
                });
            if let Some(value) = l.rental_value {
                let due = pro_rata(value, days_between(from, to), year_days);
                let mut called = Decimal::ZERO;
                self.calls_of(at, y0, y1, |c| called += c.rent);
                let waived = due - called;
                if waived > Decimal::ZERO {
                    aid.waived_rent += waived;
                    aid.lines.push(AidLine {
                        source: AidSource::WaivedRent,
                        lease: l.code.clone(),
                        asset: self.asset_code(l.asset).to_owned(),
                        work_order: None,
                        date: from,
                        amount: waived,
                    });
                }
            }
            for a in self.subtree_ids(l.asset) {
                for &i in self.lines_of_asset(a) {
                    let date = self.cost_lines.date(i as usize);
                    if date < from || date > to || !seen.insert(i) {
                        continue;
                    }
                    let amount = from_cents(self.cost_lines.ttc_cents(i as usize));
                    let w = self.cost_lines.work_orders()[i as usize] as usize;
                    aid.interventions += amount;
                    aid.lines.push(AidLine {
                        source: AidSource::Intervention,
                        lease: l.code.clone(),
                        asset: self.asset_code(a).to_owned(),
                        work_order: Some(self.work_orders.code(w).to_owned()),
                        date,
                        amount,
                    });
                }
            }
        }
        Ok(groups
            .into_values()
            .map(|(mut aid, _)| {
                aid.total = aid.waived_rent + aid.interventions;
                aid.convention_required = aid.total > CONVENTION_THRESHOLD;
                aid
            })
            .collect())
    }
}
