//! Exact money: cent rounding, VAT lines and the split of an amount by weights.
//!
//! Amounts are [`Decimal`] euros, never floats (DOMAIN §3). Every amount a user
//! sees is rounded to the cent, half away from zero, per line; totals are sums
//! of rounded lines.
//!
//! # The split rule
//! An amount is split in integer cents by non-negative integer weights with a
//! positive sum: each part gets `floor(|amount| × w / Σw)` cents, then the
//! leftover cents go one by one to the largest remainders, ties broken by the
//! order of the receivers (callers pass them sorted by tenant code). A negative
//! amount (a credit note) is split as its absolute value and negated, so a
//! credit exactly reverses the invoice it cancels. The parts always sum to the
//! amount and each is within one cent of its exact share.
//!
//! ```
//! use mutualis::money::split;
//! use rust_decimal::Decimal;
//! let parts = split("1000.01".parse::<Decimal>().unwrap(), &[6000, 4000]).unwrap();
//! assert_eq!(parts, ["600.01".parse::<Decimal>().unwrap(), "400.00".parse().unwrap()]);
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Rounds an amount to the cent, half away from zero (0.005 → 0.01, −0.005 → −0.01).
///
/// ```
/// # use mutualis::money::round_cents;
/// # use rust_decimal::Decimal;
/// assert_eq!(round_cents("170.844".parse::<Decimal>().unwrap()).to_string(), "170.84");
/// assert_eq!(round_cents("0.125".parse::<Decimal>().unwrap()).to_string(), "0.13");
/// ```
#[must_use]
pub fn round_cents(amount: Decimal) -> Decimal {
    let mut r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Converts a whole-cent amount to integer cents.
///
/// Refuses an amount with a fraction of a cent ([`Error::SubCentAmount`]) or one
/// beyond ±92 233 720 368 547 758.07 € ([`Error::AmountOutOfRange`]).
pub fn to_cents(amount: Decimal) -> Result<i64> {
    // the common case, at most two decimals: the mantissa scaled up, exactly
    if amount.scale() <= 2 {
        let m = amount.mantissa()
            * if amount.scale() == 2 {
                1
            } else if amount.scale() == 1 {
                10
            } else {
                100
            };
        if let Ok(c) = i64::try_from(m) {
            return Ok(c);
        }
    }
    let scaled = amount
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or(Error::AmountOutOfRange(amount))?;
    if scaled.fract() != Decimal::ZERO {
        return Err(Error::SubCentAmount(amount));
    }
    scaled.to_i64().ok_or(Error::AmountOutOfRange(amount))
}

/// Converts integer cents to a [`Decimal`] with two decimal places.
#[must_use]
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Splits `amount` (whole cents) by `weights`; see the [module rule](self).
///
/// Parts come back in the order of the weights. Errors: [`Error::SubCentAmount`],
/// [`Error::AmountOutOfRange`], [`Error::WeightsSumToZero`] (also for no weights).
pub fn split(amount: Decimal, weights: &[u64]) -> Result<Vec<Decimal>> {
    let cents = to_cents(amount)?;
    let mut out = vec![0i64; weights.len()];
    split_cents_into(cents, weights, &mut out)?;
    Ok(out.into_iter().map(from_cents).collect())
}

/// Splits integer cents by `weights`; see the [module rule](self).
pub fn split_cents(cents: i64, weights: &[u64]) -> Result<Vec<i64>> {
    let mut out = vec![0i64; weights.len()];
    split_cents_into(cents, weights, &mut out)?;
    Ok(out)
}

/// Splits integer cents by `weights` into `out` without allocating for up to
/// 64 receivers (the hot path of bulk allocation).
///
/// `out` must have the same length as `weights`; otherwise
/// [`Error::InvalidField`] is returned and `out` is left untouched.
pub fn split_cents_into(cents: i64, weights: &[u64], out: &mut [i64]) -> Result<()> {
    if out.len() != weights.len() {
        return Err(Error::InvalidField {
            field: "out",
            reason: format!("has {} slots for {} weights", out.len(), weights.len()),
        });
    }
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if total == 0 {
        return Err(Error::WeightsSumToZero {
            count: weights.len(),
        });
    }
    if cents == i64::MIN {
        return Err(Error::AmountOutOfRange(from_cents(cents)));
    }
    let negative = cents < 0;
    let abs = u128::from(cents.unsigned_abs());
    // floor parts; |cents| ≤ 2^63 and w < 2^64, so the product fits in u128.
    let mut given: u128 = 0;
    for (slot, &w) in out.iter_mut().zip(weights) {
        let part = abs * u128::from(w) / total;
        given += part;
        // part ≤ abs < 2^63, so it fits in i64
        *slot = part as i64;
    }
    let mut leftover = abs - given; // < number of weights
    let n = weights.len();
    if leftover > 0 {
        if n <= 64 {
            // Selection without allocation: a bit set marks who already got a cent.
            let mut bumped: u64 = 0;
            while leftover > 0 {
                let mut best: Option<(usize, u128)> = None;
                for (i, &w) in weights.iter().enumerate() {
                    if bumped & (1 << i) != 0 {
                        continue;
                    }
                    let rem = abs * u128::from(w) % total;
                    match best {
                        Some((_, r)) if r >= rem => {}
                        _ => best = Some((i, rem)),
                    }
                }
                match best {
                    Some((i, _)) => {
                        bumped |= 1 << i;
                        out[i] += 1;
                    }
                    None => break,
                }
                leftover -= 1;
            }
        } else {
            let mut order: Vec<(u128, usize)> = weights
                .iter()
                .enumerate()
                .map(|(i, &w)| (abs * u128::from(w) % total, i))
                .collect();
            // largest remainder first, then lowest index
            order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, i) in order.iter().take(leftover as usize) {
                out[i] += 1;
            }
        }
    }
    if negative {
        for slot in out.iter_mut() {
            *slot = -*slot;
        }
    }
    Ok(())
}

/// A French VAT rate (CGI art. 278 ff.): today's four and the earlier ones
/// a line dated before 2014 may carry. Which rates apply depends on the
/// line's date: see [`VatRate::in_force_on`] and [`vat_rates_on`].
///
/// ```
/// # use mutualis::money::VatRate;
/// # use rust_decimal::Decimal;
/// # use chrono::NaiveDate;
/// assert_eq!(VatRate::from_percent("5.5".parse::<Decimal>().unwrap()).unwrap(), VatRate::Reduced);
/// assert!(VatRate::from_percent(Decimal::from(19)).is_err());
/// let june_2013 = NaiveDate::from_ymd_opt(2013, 6, 1).unwrap();
/// assert!(VatRate::Standard196.check_on(june_2013).is_ok() && VatRate::Standard.check_on(june_2013).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum VatRate {
    /// Taux normal, 20 % (CGI 278), since 2014-01-01.
    #[serde(rename = "20")]
    Standard,
    /// Taux intermédiaire, 10 % (CGI 279), since 2014-01-01.
    #[serde(rename = "10")]
    Intermediate,
    /// Taux réduit, 5.5 % (CGI 278-0 bis), throughout.
    #[serde(rename = "5.5")]
    Reduced,
    /// Taux particulier, 2.1 % (CGI 281 quater ff.), throughout.
    #[serde(rename = "2.1")]
    SuperReduced,
    /// Former taux normal, 19.6 %, from 2000-04-01 to 2013-12-31.
    #[serde(rename = "19.6")]
    Standard196,
    /// Former taux intermédiaire, 7 %, from 2012-01-01 to 2013-12-31.
    #[serde(rename = "7")]
    Intermediate7,
    /// Former taux normal, 20.6 %, from 1995-08-01 to 2000-03-31.
    #[serde(rename = "20.6")]
    Standard206,
    /// Former taux normal, 18.6 %, from 1982-07-01 to 1995-07-31.
    #[serde(rename = "18.6")]
    Standard186,
}

/// First day of the dated VAT table: no rate is known before it.
const VAT_TABLE_START: (i32, u32, u32) = (1982, 7, 1);

/// A calendar day as (year, month, day), for tables of dated rules.
pub type Ymd = (i32, u32, u32);

impl VatRate {
    /// Every rate of the table: today's four first (20, 10, 5.5, 2.1), then
    /// the former ones. Positions are stored in the cost-line columns, so
    /// rates are only ever appended.
    pub const ALL: [VatRate; 8] = [
        VatRate::Standard,
        VatRate::Intermediate,
        VatRate::Reduced,
        VatRate::SuperReduced,
        VatRate::Standard196,
        VatRate::Intermediate7,
        VatRate::Standard206,
        VatRate::Standard186,
    ];

    /// The rate in percent (20, 10, 5.5, 2.1, 19.6, 7, 20.6, 18.6).
    #[must_use]
    pub fn percent(self) -> Decimal {
        match self {
            VatRate::Standard => Decimal::new(20, 0),
            VatRate::Intermediate => Decimal::new(10, 0),
            VatRate::Reduced => Decimal::new(55, 1),
            VatRate::SuperReduced => Decimal::new(21, 1),
            VatRate::Standard196 => Decimal::new(196, 1),
            VatRate::Intermediate7 => Decimal::new(7, 0),
            VatRate::Standard206 => Decimal::new(206, 1),
            VatRate::Standard186 => Decimal::new(186, 1),
        }
    }

    /// The rate as a fraction (0.20, 0.10, 0.055, 0.021…).
    #[must_use]
    pub fn fraction(self) -> Decimal {
        self.percent() / Decimal::ONE_HUNDRED
    }

    /// First and last days (inclusive; `None`: still in force) the rate applies,
    /// as (year, month, day).
    #[must_use]
    pub fn validity(self) -> (Ymd, Option<Ymd>) {
        match self {
            VatRate::Standard | VatRate::Intermediate => ((2014, 1, 1), None),
            VatRate::Reduced | VatRate::SuperReduced => (VAT_TABLE_START, None),
            VatRate::Standard196 => ((2000, 4, 1), Some((2013, 12, 31))),
            VatRate::Intermediate7 => ((2012, 1, 1), Some((2013, 12, 31))),
            VatRate::Standard206 => ((1995, 8, 1), Some((2000, 3, 31))),
            VatRate::Standard186 => (VAT_TABLE_START, Some((1995, 7, 31))),
        }
    }

    /// True if the rate applied on `date`.
    #[must_use]
    pub fn in_force_on(self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        let day = (date.year(), date.month(), date.day());
        let (from, to) = self.validity();
        from <= day && to.is_none_or(|to| day <= to)
    }

    /// `self` if it applied on `date`, else [`Error::VatRateNotInForce`]
    /// listing the rates that did.
    pub fn check_on(self, date: NaiveDate) -> Result<VatRate> {
        if self.in_force_on(date) {
            return Ok(self);
        }
        let then: Vec<String> = vat_rates_on(date)
            .iter()
            .map(|r| r.percent().to_string())
            .collect();
        Err(Error::VatRateNotInForce {
            rate: self.percent(),
            date,
            in_force: if then.is_empty() {
                "none known (the table starts on 1982-07-01)".to_owned()
            } else {
                then.join(", ")
            },
        })
    }

    /// The rate whose percentage is `percent` (any rate of the table, whatever
    /// its dates); [`Error::UnknownVatRate`] otherwise.
    pub fn from_percent(percent: Decimal) -> Result<VatRate> {
        VatRate::ALL
            .into_iter()
            .find(|r| r.percent() == percent)
            .ok_or(Error::UnknownVatRate(percent))
    }
}

/// The VAT rates in force on `date`, highest first (none before 1982-07-01).
///
/// ```
/// # use mutualis::money::{vat_rates_on, VatRate};
/// # use chrono::NaiveDate;
/// let rates = vat_rates_on(NaiveDate::from_ymd_opt(2013, 6, 1).unwrap());
/// assert_eq!(rates, [VatRate::Standard196, VatRate::Intermediate7, VatRate::Reduced, VatRate::SuperReduced]);
/// ```
#[must_use]
pub fn vat_rates_on(date: NaiveDate) -> Vec<VatRate> {
    let mut rates: Vec<VatRate> = VatRate::ALL
        .into_iter()
        .filter(|r| r.in_force_on(date))
        .collect();
    rates.sort_by_key(|r| std::cmp::Reverse(r.percent()));
    rates
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.percent())
    }
}

impl FromStr for VatRate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let trimmed = s.trim().trim_end_matches('%').trim();
        let percent = Decimal::from_str(trimmed).map_err(|_| Error::InvalidField {
            field: "VAT rate",
            reason: format!("{s:?} is not a percentage"),
        })?;
        VatRate::from_percent(percent)
    }
}

/// A supplier line: HT, VAT rate, VAT and TTC, each to the cent.
///
/// VAT = round(HT × rate); TTC = HT + VAT (DOMAIN §3).
///
/// ```
/// # use mutualis::money::{VatLine, VatRate};
/// # use rust_decimal::Decimal;
/// let line = VatLine::from_ht(Decimal::from(480), VatRate::Standard).unwrap();
/// assert_eq!((line.vat.to_string(), line.ttc.to_string()), ("96.00".into(), "576.00".into()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VatLine {
    /// Amount before tax (hors taxes), rounded to the cent.
    pub ht: Decimal,
    /// The rate applied.
    pub rate: VatRate,
    /// The tax, round(HT × rate).
    pub vat: Decimal,
    /// Amount with tax (toutes taxes comprises), HT + VAT.
    pub ttc: Decimal,
}

impl VatLine {
    /// Builds the line from an HT amount, which is first rounded to the cent
    /// (every line amount is). [`Error::AmountOutOfRange`] if the amounts
    /// cannot be represented exactly.
    pub fn from_ht(ht: Decimal, rate: VatRate) -> Result<VatLine> {
        let ht = round_cents(ht);
        // within the cent range every other amount lives in
        to_cents(ht)?;
        let vat = ht
            .checked_mul(rate.fraction())
            .map(round_cents)
            .ok_or(Error::AmountOutOfRange(ht))?;
        let ttc = ht.checked_add(vat).ok_or(Error::AmountOutOfRange(ht))?;
        Ok(VatLine { ht, rate, vat, ttc })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn domain_examples() {
        assert_eq!(
            split(dec!(1000.01), &[6000, 4000]).unwrap(),
            vec![dec!(600.01), dec!(400.00)]
        );
        assert_eq!(
            split(dec!(0.10), &[3334, 3333, 3333]).unwrap(),
            vec![dec!(0.04), dec!(0.03), dec!(0.03)]
        );
        assert_eq!(
            split(dec!(0.01), &[5000, 5000]).unwrap(),
            vec![dec!(0.01), dec!(0.00)]
        );
    }

    #[test]
    fn credit_note_reverses_invoice() {
        let inv = split(dec!(0.10), &[3334, 3333, 3333]).unwrap();
        let cred = split(dec!(-0.10), &[3334, 3333, 3333]).unwrap();
        for (a, b) in inv.iter().zip(&cred) {
            assert_eq!(*a, -*b);
        }
    }

    #[test]
    fn large_number_of_receivers_uses_same_rule() {
        // 100 receivers (sort path) must agree with the rule: 1.00 € over 100 equal
        // weights plus one extra cent → the first receiver gets the leftover.
        let w = vec![1u64; 100];
        let parts = split_cents(101, &w).unwrap();
        assert_eq!(parts[0], 2);
        assert!(parts[1..].iter().all(|&p| p == 1));
        let w65 = vec![1u64; 65];
        let p = split_cents(1, &w65).unwrap();
        assert_eq!(p.iter().sum::<i64>(), 1);
        assert_eq!(p[0], 1);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            split(dec!(1.001), &[1, 1]),
            Err(Error::SubCentAmount(dec!(1.001)))
        );
        assert_eq!(
            split(dec!(1), &[0, 0]),
            Err(Error::WeightsSumToZero { count: 2 })
        );
        assert_eq!(
            split(dec!(1), &[]),
            Err(Error::WeightsSumToZero { count: 0 })
        );
        assert!(matches!(
            split(Decimal::MAX, &[1]),
            Err(Error::AmountOutOfRange(_))
        ));
        let mut out = [0i64; 1];
        assert!(split_cents_into(5, &[1, 2], &mut out).is_err());
    }

    #[test]
    fn vat_line_overflow_is_an_error() {
        assert!(matches!(
            VatLine::from_ht(Decimal::MAX, VatRate::Standard),
            Err(Error::AmountOutOfRange(_))
        ));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_cents(dec!(0.005)), dec!(0.01));
        assert_eq!(round_cents(dec!(-0.005)), dec!(-0.01));
        assert_eq!(round_cents(dec!(170.844)), dec!(170.84));
        assert_eq!(round_cents(dec!(2)).to_string(), "2.00");
    }

    #[test]
    fn vat_lines() {
        let l = VatLine::from_ht(dec!(3500), VatRate::Standard).unwrap();
        assert_eq!(
            (l.ht, l.vat, l.ttc),
            (dec!(3500.00), dec!(700.00), dec!(4200.00))
        );
        let l = VatLine::from_ht(dec!(10.01), VatRate::Reduced).unwrap();
        // 10.01 × 0.055 = 0.55055 → 0.55
        assert_eq!((l.vat, l.ttc), (dec!(0.55), dec!(10.56)));
        let l = VatLine::from_ht(dec!(12.50), VatRate::SuperReduced).unwrap();
        // 12.50 × 0.021 = 0.2625 → 0.26
        assert_eq!(l.vat, dec!(0.26));
        assert_eq!("5.5 %".parse::<VatRate>().unwrap(), VatRate::Reduced);
        assert_eq!("19.6".parse::<VatRate>(), Ok(VatRate::Standard196));
        assert_eq!(
            "19".parse::<VatRate>(),
            Err(Error::UnknownVatRate(dec!(19)))
        );
    }

    proptest! {
        #[test]
        fn split_conserves_every_cent(
            cents in -10_000_000_000i64..10_000_000_000i64,
            weights in prop::collection::vec(0u64..1_000_000, 1..80),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let parts = split_cents(cents, &weights).unwrap();
            prop_assert_eq!(parts.iter().sum::<i64>(), cents);
            let total: i128 = weights.iter().map(|&w| i128::from(w)).sum();
            for (p, &w) in parts.iter().zip(&weights) {
                // |part − exact share| < 1 cent, i.e. |part·Σw − cents·w| < Σw
                let diff = i128::from(*p) * total - i128::from(cents) * i128::from(w);
                prop_assert!(diff.abs() < total, "part {} for weight {} off by more than a cent", p, w);
                if w == 0 { prop_assert_eq!(*p, 0); }
            }
        }

        #[test]
        fn split_is_antisymmetric(
            cents in 0i64..1_000_000_000,
            weights in prop::collection::vec(1u64..10_000, 1..20),
        ) {
            let pos = split_cents(cents, &weights).unwrap();
            let neg = split_cents(-cents, &weights).unwrap();
            for (a, b) in pos.iter().zip(&neg) { prop_assert_eq!(*a, -*b); }
        }

        #[test]
        fn leftover_goes_to_largest_remainders_then_first(
            cents in 0i64..100_000,
            weights in prop::collection::vec(1u64..1_000, 1..10),
        ) {
            let parts = split_cents(cents, &weights).unwrap();
            let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
            let abs = cents as u128;
            // A receiver that got the extra cent never has a smaller remainder
            // (or an equal remainder and a later index) than one that did not.
            let info: Vec<(bool, u128)> = weights.iter().zip(&parts).map(|(&w, &p)| {
                let floor = abs * u128::from(w) / total;
                (p as u128 > floor, abs * u128::from(w) % total)
            }).collect();
            for (i, &(gi, ri)) in info.iter().enumerate() {
                for (j, &(gj, rj)) in info.iter().enumerate() {
                    if gi && !gj {
                        prop_assert!(ri > rj || (ri == rj && i < j));
                    }
                }
            }
        }

        #[test]
        fn vat_line_adds_up(ht_cents in 0i64..100_000_000, idx in 0usize..4) {
            let rate = VatRate::ALL[idx];
            let l = VatLine::from_ht(from_cents(ht_cents), rate).unwrap();
            prop_assert_eq!(l.ht + l.vat, l.ttc);
            prop_assert!((l.vat - from_cents(ht_cents) * rate.fraction()).abs() <= dec!(0.005));
        }
    }
}
