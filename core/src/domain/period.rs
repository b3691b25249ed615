//! Validity periods: first and last days inclusive, possibly open-ended.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The years Mutualis accepts, in every year argument and in the dates of
/// what it records: 1900 to 2200 inclusive. Anything outside is refused with
/// [`Error::YearOutOfRange`] (a typo such as 20026, or an integer overflow on
/// the caller's side), so no computation on years can overflow.
///
/// ```
/// assert!(mutualis::YEARS.contains(&2026) && !mutualis::YEARS.contains(&20026));
/// ```
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The years an asset's commissioning and decommissioning may fall in:
/// communes keep churches and town halls built centuries ago.
///
/// ```
/// assert!(mutualis::ASSET_YEARS.contains(&1850) && !mutualis::ASSET_YEARS.contains(&999));
/// ```
pub const ASSET_YEARS: std::ops::RangeInclusive<i32> = 1000..=2200;

/// [`Error::YearOutOfRange`] for `year` and the range `years`.
pub(crate) fn year_error(
    field: &'static str,
    year: i64,
    years: &std::ops::RangeInclusive<i32>,
) -> Error {
    Error::YearOutOfRange {
        field,
        year,
        min: *years.start(),
        max: *years.end(),
    }
}

/// `year` if it is in [`YEARS`], else [`Error::YearOutOfRange`] naming `field`.
pub(crate) fn check_year(field: &'static str, year: i32) -> Result<i32> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(year_error(field, i64::from(year), &YEARS))
    }
}

/// `date` if its year is in [`ASSET_YEARS`], else [`Error::YearOutOfRange`] naming `field`.
pub(crate) fn check_asset_date(field: &'static str, date: NaiveDate) -> Result<NaiveDate> {
    use chrono::Datelike;
    if ASSET_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(year_error(field, i64::from(date.year()), &ASSET_YEARS))
    }
}

/// `at` if its (UTC) year is in [`YEARS`], else [`Error::YearOutOfRange`] naming `field`.
pub(crate) fn check_time(
    field: &'static str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>> {
    use chrono::Datelike;
    check_year(field, at.year()).map(|_| at)
}

/// `date` if its year is in [`YEARS`], else [`Error::YearOutOfRange`] naming `field`.
pub(crate) fn check_date(field: &'static str, date: NaiveDate) -> Result<NaiveDate> {
    use chrono::Datelike;
    check_year(field, date.year()).map(|_| date)
}

/// A span of days, first and last inclusive; `to: None` means open-ended.
///
/// ```
/// # use mutualis::Period;
/// # use chrono::NaiveDate;
/// let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
/// let p = Period::new(d(2019, 1, 1), Some(d(2026, 12, 31))).unwrap();
/// assert!(p.contains(d(2026, 12, 31)) && !p.contains(d(2027, 1, 1)));
/// assert!(Period::new(d(2026, 2, 1), Some(d(2026, 1, 31))).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First day (inclusive).
    pub from: NaiveDate,
    /// Last day (inclusive); `None` when open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

impl Period {
    /// A period from `from` to `to` inclusive; [`Error::DatesOutOfOrder`] if `to < from`.
    ///
    /// A query may span any dates (e.g. from `NaiveDate::MIN`); the commands
    /// that record a period also check both dates fall in [`YEARS`].
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Period> {
        if let Some(to) = to {
            if to < from {
                return Err(Error::DatesOutOfOrder { from, to });
            }
        }
        Ok(Period { from, to })
    }

    /// [`Period::new`] for a period a command records: both dates must also
    /// fall in [`YEARS`] ([`Error::YearOutOfRange`]).
    pub(crate) fn recorded(from: NaiveDate, to: Option<NaiveDate>) -> Result<Period> {
        check_date("from", from)?;
        if let Some(to) = to {
            check_date("to", to)?;
        }
        Period::new(from, to)
    }

    /// An open-ended period starting on `from`.
    #[must_use]
    pub fn starting(from: NaiveDate) -> Period {
        Period { from, to: None }
    }

    /// True when `date` is within the period.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    /// True when the two periods share at least one day.
    #[must_use]
    pub fn overlaps(&self, other: &Period) -> bool {
        let a_before_b = self.to.is_some_and(|to| to < other.from);
        let b_before_a = other.to.is_some_and(|to| to < self.from);
        !(a_before_b || b_before_a)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "{} to {}", self.from, to),
            None => write!(f, "from {}", self.from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(days: i32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(738_000 + days).unwrap()
    }

    proptest! {
        #[test]
        fn overlap_iff_a_common_day(a in 0i32..60, la in proptest::option::of(0i32..30),
                                    b in 0i32..60, lb in proptest::option::of(0i32..30)) {
            let p = Period::new(d(a), la.map(|l| d(a + l))).unwrap();
            let q = Period::new(d(b), lb.map(|l| d(b + l))).unwrap();
            let common = (0..200).any(|x| p.contains(d(x)) && q.contains(d(x)));
            prop_assert_eq!(p.overlaps(&q), common);
            prop_assert_eq!(q.overlaps(&p), common);
        }
    }

    #[test]
    fn boundaries_are_inclusive() {
        let p = Period::new(d(10), Some(d(10))).unwrap();
        assert!(p.contains(d(10)) && !p.contains(d(9)) && !p.contains(d(11)));
        assert_eq!(p.to_string(), format!("{} to {}", d(10), d(10)));
    }
}
