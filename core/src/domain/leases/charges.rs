//! Recoverable charges of a shared building, split among its occupants to
//! the cent with the sharing-key split ([`crate::money::split_cents_into`]:
//! largest remainder, ties in contract-code order), and the annual
//! regularisation against the provisions called.
//!
//! By surface, an occupant's weight is its surface (m², to the hundredth)
//! × the days it occupies in the year; when the building's floor area is
//! known, the part not let (floor area × days of the year − the weights)
//! is the vacant part, the lessor's. By key, the weights are the key's.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::contracts::surface_weight;
use super::{days_between, year_bounds, ChargeShare, Charges, LeaseEvent, LeaseUndo, NewCharges};
use crate::error::{Error, Result};
use crate::money::{from_cents, split_cents_into, to_cents};
use crate::Mutualis;

impl Mutualis {
    /// Records the recoverable charges of a building for a year.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::YearOutOfRange`], [`Error::NegativeAmount`],
    /// [`Error::SubCentAmount`], [`Error::UnknownLease`] (in the key),
    /// [`Error::InvalidField`] (a contract of the key not on the building
    /// or its descendants, or not a letting),
    /// [`Error::WeightsSumToZero`] (nobody to split among).
    pub fn record_charges(&mut self, spec: NewCharges) -> Result<()> {
        let building = self.asset_id(&spec.building)?;
        crate::period::check_year("year", spec.year)?;
        super::nonnegative("amount", spec.amount)?;
        let key = match &spec.key {
            None => None,
            Some(k) => {
                let inside = self.leases_in_subtree(building);
                let mut v = Vec::with_capacity(k.len());
                for (code, w) in k {
                    let at = self.lease_index(code)?;
                    if !inside.contains(&at) || !Self::is_letting(&self.leases.leases[at]) {
                        return Err(Error::InvalidField {
                            field: "key",
                            reason: format!(
                                "{code} is no letting of {} or below it",
                                spec.building
                            ),
                        });
                    }
                    v.push((at, *w));
                }
                Some(v)
            }
        };
        let c = Charges {
            building,
            year: spec.year,
            category: spec.category,
            amount: spec.amount,
            key,
        };
        // the split must be possible now
        let (occ, vacant_slot) = self.occupants(&c);
        let mut w = Vec::new();
        self.weights_of(&c, &occ, vacant_slot, &mut w);
        let mut out = vec![0i64; w.len()];
        split_cents_into(to_cents(c.amount)?, &w, &mut out)?;
        let tenant = self.owner_code(building);
        self.leases.charges.push(c);
        self.lease_undo(LeaseUndo::Charges);
        self.log(
            tenant,
            LeaseEvent::ChargesRecorded {
                charges: spec.into(),
            },
        );
        Ok(())
    }

    /// The charges recorded, in order.
    #[must_use]
    pub fn charges(&self) -> &[Charges] {
        &self.leases.charges
    }

    /// The lettings meeting the year on the charges' building (and key),
    /// by contract code; whether a vacant slot follows them.
    fn occupants(&self, c: &Charges) -> (Vec<usize>, bool) {
        let Some((y0, y1)) = year_bounds(c.year) else {
            return (Vec::new(), false);
        };
        let year = crate::Period {
            from: y0,
            to: Some(y1),
        };
        let mut occ: Vec<usize> = self
            .leases_in_subtree(c.building)
            .into_iter()
            .filter(|&i| {
                let l = &self.leases.leases[i];
                Self::is_letting(l) && l.period().overlaps(&year)
            })
            .collect();
        if let Some(k) = &c.key {
            for (i, _) in k {
                if !occ.contains(i) {
                    occ.push(*i);
                }
            }
        }
        occ.sort_by(|a, b| {
            self.leases.leases[*a]
                .code
                .cmp(&self.leases.leases[*b].code)
        });
        let vacant = c.key.is_none() && self.assets()[c.building.index()].floor_area.is_some();
        (occ, vacant)
    }

    /// The weights of `occ` (then the vacant slot) for charges `c`.
    fn weights_of(&self, c: &Charges, occ: &[usize], vacant: bool, out: &mut Vec<u64>) {
        out.clear();
        match &c.key {
            Some(k) => {
                for i in occ {
                    out.push(k.iter().find(|(j, _)| j == i).map_or(0, |(_, w)| *w));
                }
            }
            None => {
                let Some((y0, y1)) = year_bounds(c.year) else {
                    return;
                };
                let mut sum: u64 = 0;
                for &i in occ {
                    let l = &self.leases.leases[i];
                    let from = l.start.max(y0);
                    let to = l.last_day().map_or(y1, |e| e.min(y1));
                    let w = l
                        .surface
                        .and_then(|s| surface_weight(s, days_between(from, to)))
                        .unwrap_or(0);
                    sum = sum.saturating_add(w);
                    out.push(w);
                }
                if vacant {
                    let area = self.assets()[c.building.index()].floor_area;
                    let total = area
                        .and_then(|a| surface_weight(a, days_between(y0, y1)))
                        .unwrap_or(0);
                    out.push(total.saturating_sub(sum));
                }
            }
        }
    }

    /// The regularisation of a building's charges for a year: each
    /// occupant's share of every charge recorded (split to the cent, so
    /// the shares sum to the charges exactly), the provisions called from
    /// it in the year, and the balance; the vacant part last.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::YearOutOfRange`].
    pub fn charges_regularisation(&self, building: &str, year: i32) -> Result<Vec<ChargeShare>> {
        let b = self.asset_id(building)?;
        crate::period::check_year("year", year)?;
        let Some((y0, y1)) = year_bounds(year) else {
            return Ok(Vec::new());
        };
        // receiver: Some(lease) or None (vacant) → (weight, share cents)
        let mut acc: BTreeMap<Option<String>, (u64, i64)> = BTreeMap::new();
        let mut w = Vec::new();
        let mut parts = Vec::new();
        for c in self
            .leases
            .charges
            .iter()
            .filter(|c| c.building == b && c.year == year)
        {
            let (occ, vacant) = self.occupants(c);
            self.weights_of(c, &occ, vacant, &mut w);
            parts.clear();
            parts.resize(w.len(), 0i64);
            let cents = to_cents(c.amount)?;
            if split_cents_into(cents, &w, &mut parts).is_err() {
                continue;
            }
            for (k, (&wt, &p)) in w.iter().zip(&parts).enumerate() {
                let key = occ.get(k).map(|&i| self.leases.leases[i].code.clone());
                let e = acc.entry(key).or_insert((0, 0));
                e.0 = e.0.max(wt);
                e.1 += p;
            }
        }
        let mut rows = Vec::with_capacity(acc.len());
        let mut vacant_row = None;
        for (lease, (weight, cents)) in acc {
            let share = from_cents(cents);
            match lease {
                Some(code) => {
                    let at = self.lease_index(&code)?;
                    let mut provisions = Decimal::ZERO;
                    self.calls_of(at, y0, y1, |call| provisions += call.provision);
                    let provisions = crate::money::round_cents(provisions);
                    rows.push(ChargeShare {
                        party: Some(self.party_code(&self.leases.leases[at]).to_owned()),
                        lease: Some(code),
                        weight,
                        share,
                        provisions,
                        balance: share - provisions,
                    });
                }
                None if weight == 0 && cents == 0 => {}
                None => {
                    vacant_row = Some(ChargeShare {
                        lease: None,
                        party: None,
                        weight,
                        share,
                        provisions: from_cents(0),
                        balance: share,
                    });
                }
            }
        }
        rows.extend(vacant_row);
        Ok(rows)
    }
}
