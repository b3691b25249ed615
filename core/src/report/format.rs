//! French (and English) formatting of the values a report shows.
//!
//! French follows the CLDR `fr` conventions a French reader expects:
//! - amounts `1 300 000,00 €`: digits grouped by three with U+202F (narrow
//!   no-break space), a decimal comma, two decimals, U+00A0 (no-break space)
//!   before the euro sign; negative `-1 234,50 €`;
//! - dates `12/03/2026`;
//! - percentages `12,5 %`: one decimal at most, U+202F before the sign.
//!
//! English: `€1,300,000.00`, `-€1,234.50`, `2026-03-12`, `12.5%`.
//!
//! Amounts are rounded to the cent half away from zero (DOMAIN §3), a
//! percentage to one decimal the same way: the figure a reader sees is the
//! one the table adds up.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// The thousands separator of French numbers: U+202F NARROW NO-BREAK SPACE.
pub const NNBSP: char = '\u{202f}';
/// The space before the euro sign in French: U+00A0 NO-BREAK SPACE.
pub const NBSP: char = '\u{a0}';

/// The language of a report's labels and the conventions of its numbers
/// and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// French (the default).
    #[default]
    Fr,
    /// English: the model's English names, ISO dates, `€1,234.50`.
    En,
}

impl Locale {
    /// `fr` or `en`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// `fr` or `en` (case-insensitive, a region suffix such as `fr-FR` is
    /// ignored); anything else is [`crate::Error::UnknownKind`].
    pub fn parse(s: &str) -> crate::Result<Locale> {
        let lang = s.split(['-', '_']).next().unwrap_or("");
        match lang.to_ascii_lowercase().as_str() {
            "fr" => Ok(Locale::Fr),
            "en" => Ok(Locale::En),
            _ => Err(crate::Error::UnknownKind {
                what: "locale",
                value: s.to_owned(),
                expected: "fr, en",
            }),
        }
    }
}

/// Groups the digits of `digits` (ASCII digits only) by three with `sep`.
fn group(digits: &str, sep: char, out: &mut String) {
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
}

/// `x` with `dp` decimals, rounded half away from zero: (negative, integer
/// digits, decimal digits).
fn parts(x: Decimal, dp: u32) -> (bool, String, String) {
    let mut r = x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    let negative = r.is_sign_negative() && !r.is_zero();
    let s = r.abs().to_string();
    let (int, dec) = s.split_once('.').unwrap_or((&s, ""));
    // a value too large to carry `dp` decimals keeps fewer: pad with zeros
    let mut dec = dec.to_owned();
    while dec.len() < dp as usize {
        dec.push('0');
    }
    (negative, int.to_owned(), dec)
}

/// A number with `dp` decimals and grouped thousands, without unit:
/// `1 300 000,00` (fr), `1,300,000.00` (en).
#[must_use]
pub fn number(x: Decimal, dp: u32, locale: Locale) -> String {
    let (negative, int, dec) = parts(x, dp);
    let (sep, point) = match locale {
        Locale::Fr => (NNBSP, ','),
        Locale::En => (',', '.'),
    };
    let mut out = String::with_capacity(int.len() + dec.len() + 8);
    if negative {
        out.push('-');
    }
    group(&int, sep, &mut out);
    if !dec.is_empty() {
        out.push(point);
        out.push_str(&dec);
    }
    out
}

/// An amount in euros, rounded to the cent: `1 300 000,00 €` (fr),
/// `€1,300,000.00` (en).
///
/// ```
/// use mutualis::report::format::{amount, Locale};
/// use rust_decimal::Decimal;
/// assert_eq!(amount(Decimal::new(-123_450, 2), Locale::Fr), "-1\u{202f}234,50\u{a0}€");
/// assert_eq!(amount(Decimal::new(-123_450, 2), Locale::En), "-€1,234.50");
/// ```
#[must_use]
pub fn amount(x: Decimal, locale: Locale) -> String {
    match locale {
        Locale::Fr => {
            let mut s = number(x, 2, locale);
            s.push(NBSP);
            s.push('€');
            s
        }
        Locale::En => {
            let s = number(x, 2, locale);
            match s.strip_prefix('-') {
                Some(rest) => format!("-€{rest}"),
                None => format!("€{s}"),
            }
        }
    }
}

/// An amount in integer cents (see [`amount`]).
#[must_use]
pub fn cents(c: i64, locale: Locale) -> String {
    amount(Decimal::new(c, 2), locale)
}

/// A date: `29/02/2028` (fr), `2028-02-29` (en).
#[must_use]
pub fn date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Locale::En => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

/// A percentage given in percent (12.5 → `12,5 %`), one decimal at most,
/// rounded half away from zero; `12 %` when whole.
#[must_use]
pub fn percent(p: Decimal, locale: Locale) -> String {
    let (negative, int, dec) = parts(p, 1);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let sep = if locale == Locale::Fr { NNBSP } else { ',' };
    group(&int, sep, &mut out);
    if dec != "0" && !dec.is_empty() {
        out.push(if locale == Locale::Fr { ',' } else { '.' });
        out.push_str(&dec);
    }
    match locale {
        Locale::Fr => {
            out.push(NNBSP);
            out.push('%');
        }
        Locale::En => out.push('%'),
    }
    out
}

/// A count with grouped thousands: `12 345` (fr), `12,345` (en).
#[must_use]
pub fn count(n: u64, locale: Locale) -> String {
    let mut out = String::new();
    group(
        &n.to_string(),
        if locale == Locale::Fr { NNBSP } else { ',' },
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn fr(x: Decimal) -> String {
        amount(x, Locale::Fr)
    }

    #[test]
    fn amounts_in_french() {
        assert_eq!(fr(dec!(1300000)), "1\u{202f}300\u{202f}000,00\u{a0}€");
        assert_eq!(fr(dec!(1000000.00)), "1\u{202f}000\u{202f}000,00\u{a0}€");
        assert_eq!(fr(dec!(0)), "0,00\u{a0}€");
        assert_eq!(fr(dec!(-0.001)), "0,00\u{a0}€", "no negative zero");
        assert_eq!(fr(dec!(-1234.5)), "-1\u{202f}234,50\u{a0}€");
        assert_eq!(fr(dec!(999.99)), "999,99\u{a0}€");
        assert_eq!(fr(dec!(100000)), "100\u{202f}000,00\u{a0}€");
        assert_eq!(fr(dec!(0.07)), "0,07\u{a0}€");
        // rounding half away from zero, both signs
        assert_eq!(fr(dec!(170.845)), "170,85\u{a0}€");
        assert_eq!(fr(dec!(-170.845)), "-170,85\u{a0}€");
        assert_eq!(fr(dec!(170.844)), "170,84\u{a0}€");
        assert_eq!(fr(dec!(0.005)), "0,01\u{a0}€");
        assert_eq!(cents(-5, Locale::Fr), "-0,05\u{a0}€");
        // the largest Decimal still formats
        assert!(fr(Decimal::MAX).ends_with(",00\u{a0}€"));
    }

    #[test]
    fn amounts_in_english() {
        assert_eq!(amount(dec!(1300000), Locale::En), "€1,300,000.00");
        assert_eq!(amount(dec!(-1234.5), Locale::En), "-€1,234.50");
        assert_eq!(amount(dec!(0), Locale::En), "€0.00");
    }

    #[test]
    fn dates() {
        let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
        assert_eq!(date(d(2026, 3, 12), Locale::Fr), "12/03/2026");
        assert_eq!(date(d(2028, 2, 29), Locale::Fr), "29/02/2028");
        assert_eq!(date(d(2028, 2, 29), Locale::En), "2028-02-29");
        assert_eq!(date(d(1900, 1, 1), Locale::Fr), "01/01/1900");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(dec!(12.5), Locale::Fr), "12,5\u{202f}%");
        assert_eq!(percent(dec!(12.5), Locale::En), "12.5%");
        assert_eq!(percent(dec!(12), Locale::Fr), "12\u{202f}%");
        assert_eq!(percent(dec!(0), Locale::Fr), "0\u{202f}%");
        assert_eq!(percent(dec!(-40), Locale::Fr), "-40\u{202f}%");
        assert_eq!(percent(dec!(33.35), Locale::Fr), "33,4\u{202f}%");
        assert_eq!(percent(dec!(-33.35), Locale::Fr), "-33,4\u{202f}%");
        assert_eq!(percent(dec!(1250), Locale::Fr), "1\u{202f}250\u{202f}%");
    }

    #[test]
    fn counts_and_locales() {
        assert_eq!(count(1_000_000, Locale::Fr), "1\u{202f}000\u{202f}000");
        assert_eq!(count(999, Locale::En), "999");
        assert_eq!(Locale::parse("fr-FR").unwrap(), Locale::Fr);
        assert_eq!(Locale::parse("EN").unwrap(), Locale::En);
        assert!(matches!(
            Locale::parse("de"),
            Err(crate::Error::UnknownKind { what: "locale", .. })
        ));
    }
}
