//! Index series as data and rent revisions: new = current × I(new
//! reference quarter) / I(reference quarter of the last revision), rounded
//! half away from zero to the cent; a warning above 25 % (L145-39); no
//! floor (an upward-only clause is not applied).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{LeaseEvent, LeaseUndo, Quarter, Revision, REVISION_WARNING};
use crate::error::{Error, Result};
use crate::money::round_cents;
use crate::Mutualis;

impl Mutualis {
    /// Sets the value of an index series (ILC, ILAT, IRL, ICC or any other
    /// name) for a quarter. A published value is not overwritten.
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`] (series name),
    /// [`Error::YearOutOfRange`], [`Error::InvalidField`] (a value not
    /// positive, or already set for the quarter).
    pub fn set_index_value(
        &mut self,
        series: &str,
        quarter: Quarter,
        value: Decimal,
    ) -> Result<()> {
        crate::identity::check_code("index series", series)?;
        crate::period::check_year("quarter", quarter.year())?;
        if value <= Decimal::ZERO {
            return Err(Error::InvalidField {
                field: "value",
                reason: format!("an index value is positive, not {value}"),
            });
        }
        if let Some(v) = self
            .leases
            .indices
            .get(series)
            .and_then(|s| s.get(&quarter))
        {
            return Err(Error::InvalidField {
                field: "quarter",
                reason: format!("{series} of {quarter} is already {v}"),
            });
        }
        self.leases
            .indices
            .entry(series.to_owned())
            .or_default()
            .insert(quarter, value);
        self.lease_undo(LeaseUndo::IndexValue {
            series: series.to_owned(),
            quarter,
        });
        self.lease_log(
            None,
            LeaseEvent::IndexValueSet {
                series: series.to_owned(),
                quarter,
                value,
            },
        );
        Ok(())
    }

    /// The value of an index series for a quarter.
    ///
    /// Errors: [`Error::MissingIndexValue`].
    pub fn index_value(&self, series: &str, quarter: Quarter) -> Result<Decimal> {
        self.leases
            .indices
            .get(series)
            .and_then(|s| s.get(&quarter))
            .copied()
            .ok_or_else(|| Error::MissingIndexValue {
                series: series.to_owned(),
                quarter: quarter.to_string(),
            })
    }

    /// The index series and their values, by name and quarter.
    pub fn index_series(&self) -> impl Iterator<Item = (&str, Quarter, Decimal)> + '_ {
        self.leases
            .indices
            .iter()
            .flat_map(|(s, v)| v.iter().map(move |(q, x)| (s.as_str(), *q, *x)))
    }

    /// The revision of a contract's rent from `date` on the reference
    /// quarter `quarter`, computed without recording it.
    ///
    /// Errors: [`Error::UnknownLease`], [`Error::InvalidField`] (not
    /// indexed, a date not after the last revision or outside the contract,
    /// a quarter not after the last reference quarter),
    /// [`Error::MissingIndexValue`].
    pub fn rent_revision(
        &self,
        lease: &str,
        date: NaiveDate,
        quarter: Quarter,
    ) -> Result<Revision> {
        let at = self.lease_index(lease)?;
        let l = &self.leases.leases[at];
        let (Some(series), Some(signed)) = (&l.index, l.reference_quarter) else {
            return Err(Error::InvalidField {
                field: "lease",
                reason: format!("{lease} is not indexed"),
            });
        };
        let last = self.leases.revisions[at].last();
        let from_quarter = last.map_or(signed, |r| r.quarter);
        if quarter <= from_quarter {
            return Err(Error::InvalidField {
                field: "quarter",
                reason: format!("{quarter} is not after the last reference quarter {from_quarter}"),
            });
        }
        if date <= l.start || !l.in_force_on(date) {
            return Err(Error::InvalidField {
                field: "date",
                reason: format!("{date} is not within {lease} after its start"),
            });
        }
        if let Some(r) = last {
            if date <= r.date {
                return Err(Error::InvalidField {
                    field: "date",
                    reason: format!("{date} is not after the last revision of {}", r.date),
                });
            }
        }
        let from_value = self.index_value(series, from_quarter)?;
        let value = self.index_value(series, quarter)?;
        let old_rent = self.rent_at(at, date);
        let new_rent = round_cents(
            old_rent
                .checked_mul(value)
                .and_then(|x| x.checked_div(from_value))
                .ok_or(Error::AmountOutOfRange(old_rent))?,
        );
        let variation = if old_rent.is_zero() {
            Decimal::ZERO
        } else {
            (new_rent / old_rent - Decimal::ONE).round_dp(4)
        };
        Ok(Revision {
            date,
            series: series.clone(),
            from_quarter,
            quarter,
            from_value,
            value,
            old_rent,
            new_rent,
            variation,
            warning: variation.abs() > REVISION_WARNING,
        })
    }

    /// Revises a contract's rent from `date` on the reference quarter
    /// `quarter` (see [`Mutualis::rent_revision`]) and records it.
    ///
    /// Errors (nothing changes): as [`Mutualis::rent_revision`].
    pub fn revise_rent(
        &mut self,
        lease: &str,
        date: NaiveDate,
        quarter: Quarter,
    ) -> Result<Revision> {
        crate::period::check_date("date", date)?;
        let r = self.rent_revision(lease, date, quarter)?;
        let at = self.lease_index(lease)?;
        let tenant = self.leases.leases[at].tenant;
        self.leases.revisions[at].push(r.clone());
        self.lease_undo(LeaseUndo::Revision { at });
        self.lease_log(
            Some(tenant),
            LeaseEvent::RentRevised {
                lease: lease.to_owned(),
                date,
                quarter,
            },
        );
        Ok(r)
    }

    /// A contract's revisions, in date order.
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn revisions(&self, lease: &str) -> Result<&[Revision]> {
        Ok(&self.leases.revisions[self.lease_index(lease)?])
    }

    /// The date the next revision of a contract is due, with the reference
    /// quarter to use (none when not indexed): the first revision date
    /// (default: the start's first anniversary), then yearly after the last
    /// revision; the quarter four after the last reference quarter.
    pub(super) fn next_revision(&self, at: usize) -> Option<(NaiveDate, Quarter)> {
        let l = &self.leases.leases[at];
        let signed = l.reference_quarter?;
        l.index.as_ref()?;
        let year = chrono::Months::new(12);
        match self.leases.revisions[at].last() {
            Some(r) => Some((r.date.checked_add_months(year)?, r.quarter.plus(4))),
            None => Some((
                l.first_revision
                    .or_else(|| l.start.checked_add_months(year))?,
                signed.plus(4),
            )),
        }
    }
}
