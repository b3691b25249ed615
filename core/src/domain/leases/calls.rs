//! The schedule of rent calls (avis d'échéance), receipts and arrears.
//!
//! Periods are calendar months, quarters (January, April, July, October)
//! or years. A period the contract covers in part is called pro rata
//! temporis on **actual days**: rent × days occupied in the period / days
//! of the calendar period (28 to 31 for a month, 90 to 92 for a quarter,
//! 365 or 366 for a year), rounded half away from zero to the cent. The
//! rent of a period is the one in force on its first day occupied (a
//! revision applies from the first period starting on or after its date).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    days_between, period_containing, pro_rata, LeaseEvent, LeaseUndo, Receipt, RentCall, RentTerm,
};
use crate::error::{Error, Result};
use crate::Mutualis;

impl Mutualis {
    /// The rent calls of a contract for the calendar periods meeting
    /// `from..=to` (inclusive), clipped to the contract, in order.
    ///
    /// Errors: [`Error::UnknownLease`], [`Error::DatesOutOfOrder`].
    pub fn rent_calls(&self, lease: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<RentCall>> {
        let at = self.lease_index(lease)?;
        crate::Period::new(from, Some(to))?;
        let mut out = Vec::new();
        self.calls_of(at, from, to, |c| out.push(c));
        Ok(out)
    }

    /// Visits the calls of the contract at `at` for the periods meeting `from..=to`.
    pub(super) fn calls_of(
        &self,
        at: usize,
        from: NaiveDate,
        to: NaiveDate,
        mut visit: impl FnMut(RentCall),
    ) {
        let l = &self.leases.leases[at];
        let first = from.max(l.start);
        let last = match l.last_day() {
            Some(e) => to.min(e),
            None => to,
        };
        if last < first {
            return;
        }
        let (mut pstart, mut pend) = period_containing(l.periodicity, first);
        while pstart <= last {
            let cf = pstart.max(l.start);
            let ct = match l.last_day() {
                Some(e) => pend.min(e),
                None => pend,
            };
            if cf <= ct {
                let days = days_between(cf, ct);
                let period_days = days_between(pstart, pend);
                let rent_per_period = self.rent_at(at, cf);
                let rent = pro_rata(rent_per_period, days, period_days);
                let provision = pro_rata(l.charges_provision, days, period_days);
                visit(RentCall {
                    lease: l.code.clone(),
                    from: cf,
                    to: ct,
                    due: match l.term {
                        RentTerm::Arrears => ct,
                        _ => cf,
                    },
                    days,
                    period_days,
                    rent_per_period,
                    rent,
                    provision,
                    total: rent + provision,
                    side: l.side,
                });
            }
            let Some(next) = pend.succ_opt() else { break };
            (pstart, pend) = period_containing(l.periodicity, next);
        }
    }

    /// Records a receipt of rent (and provisions) on a contract.
    ///
    /// Errors (nothing changes): [`Error::UnknownLease`],
    /// [`Error::YearOutOfRange`], [`Error::NegativeAmount`],
    /// [`Error::SubCentAmount`], [`Error::InvalidField`] (zero amount, a
    /// date before the contract's start).
    pub fn record_rent_receipt(
        &mut self,
        lease: &str,
        date: NaiveDate,
        amount: Decimal,
        reference: Option<&str>,
    ) -> Result<()> {
        let at = self.lease_index(lease)?;
        crate::period::check_date("date", date)?;
        super::nonnegative("amount", amount)?;
        if amount.is_zero() {
            return Err(Error::InvalidField {
                field: "amount",
                reason: "a receipt is not zero".into(),
            });
        }
        let l = &self.leases.leases[at];
        if date < l.start {
            return Err(Error::InvalidField {
                field: "date",
                reason: format!("{date} is before the start of {lease} ({})", l.start),
            });
        }
        let tenant = l.tenant;
        self.leases.receipts[at].push(Receipt {
            date,
            amount,
            reference: reference.map(str::to_owned),
        });
        self.lease_undo(LeaseUndo::Receipt { at });
        self.lease_log(
            Some(tenant),
            LeaseEvent::RentReceived {
                lease: lease.to_owned(),
                date,
                amount,
                reference: reference.map(str::to_owned),
            },
        );
        Ok(())
    }

    /// What the contract at `at` called in `year` (its calls of the
    /// calendar periods meeting the year, rent + provisions) and collected
    /// (its receipts dated in the year).
    pub(crate) fn lease_year_figures(&self, at: usize, year: i32) -> (Decimal, Decimal) {
        let zero = crate::money::from_cents(0);
        let Some((y0, y1)) = super::year_bounds(year) else {
            return (zero, zero);
        };
        let mut called = zero;
        self.calls_of(at, y0, y1, |c| called += c.total);
        let collected = self.leases.receipts[at]
            .iter()
            .filter(|r| r.date >= y0 && r.date <= y1)
            .fold(zero, |s, r| s + r.amount);
        (called, collected)
    }

    /// A contract's receipts, in the order recorded.
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn rent_receipts(&self, lease: &str) -> Result<&[Receipt]> {
        Ok(&self.leases.receipts[self.lease_index(lease)?])
    }

    /// What a contract owes on `on`: calls due by then minus receipts by
    /// then (none when nothing is owed).
    pub(super) fn arrears_at(&self, at: usize, on: NaiveDate) -> Option<super::Arrears> {
        let l = &self.leases.leases[at];
        let received: Decimal = self.leases.receipts[at]
            .iter()
            .filter(|r| r.date <= on)
            .map(|r| r.amount)
            .sum();
        let mut called = Decimal::ZERO;
        let mut oldest = None;
        self.calls_of(at, l.start, on, |c| {
            if c.due <= on {
                called += c.total;
                if oldest.is_none() && called > received {
                    oldest = Some(c.due);
                }
            }
        });
        let balance = called - received;
        if balance <= Decimal::ZERO {
            return None;
        }
        Some(super::Arrears {
            lease: l.code.clone(),
            party: self.party_code(l).to_owned(),
            called: crate::money::round_cents(called),
            received: crate::money::round_cents(received),
            balance: crate::money::round_cents(balance),
            oldest_due: oldest.unwrap_or(on),
        })
    }
}
