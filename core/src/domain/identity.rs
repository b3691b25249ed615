//! Identifiers of French public bodies and companies: SIREN, SIRET, INSEE
//! commune codes, and the human codes used throughout the library.
//!
//! ```
//! use mutualis::identity::Siren;
//! assert_eq!(Siren::parse("732 829 320").unwrap().as_str(), "732829320");
//! assert!(Siren::parse("732829321").is_err()); // wrong Luhn key
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// SIREN of La Poste, whose establishments' SIRETs use a digit-sum rule instead of Luhn.
pub const LA_POSTE_SIREN: &str = "356000000";

/// True when the digit string passes the Luhn check (from the right, every
/// second digit doubled, digits of products summed, total divisible by 10).
#[must_use]
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A SIREN: the 9-digit identifier of a legal unit (collectivités included),
/// with a Luhn key. Spaces in the input are ignored ("214 201 871").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Validates and normalises a SIREN; [`Error::InvalidSiren`] says what is wrong.
    pub fn parse(value: &str) -> Result<Siren> {
        let s = strip_spaces(value);
        let err = |reason| Error::InvalidSiren {
            value: value.to_owned(),
            reason,
        };
        if s.len() != 9 {
            return Err(err("a SIREN has 9 digits"));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("a SIREN has only digits"));
        }
        if !luhn_valid(&s) {
            return Err(err("the Luhn check digit does not match"));
        }
        Ok(Siren(s))
    }

    /// The 9 digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Siren {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Siren::parse(&value)
    }
}

impl From<Siren> for String {
    fn from(s: Siren) -> String {
        s.0
    }
}

/// A SIRET: the 14-digit identifier of an establishment (SIREN + NIC), with a
/// Luhn key — except La Poste's establishments (SIREN 356000000), whose digit
/// sum must be divisible by 5.
///
/// ```
/// # use mutualis::identity::Siret;
/// assert!(Siret::parse("73282932000074").is_ok());
/// assert!(Siret::parse("35600000000056").is_ok()); // La Poste: digit sum 25
/// assert!(Siret::parse("73282932000075").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

impl Siret {
    /// Validates and normalises a SIRET; [`Error::InvalidSiret`] says what is wrong.
    pub fn parse(value: &str) -> Result<Siret> {
        let s = strip_spaces(value);
        let err = |reason| Error::InvalidSiret {
            value: value.to_owned(),
            reason,
        };
        if s.len() != 14 {
            return Err(err("a SIRET has 14 digits"));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("a SIRET has only digits"));
        }
        if s.starts_with(LA_POSTE_SIREN) {
            let sum: u32 = s.bytes().map(|b| u32::from(b - b'0')).sum();
            if !sum.is_multiple_of(5) {
                return Err(err("La Poste SIRET digit sum is not divisible by 5"));
            }
        } else if !luhn_valid(&s) {
            return Err(err("the Luhn check digit does not match"));
        }
        Ok(Siret(s))
    }

    /// The 14 digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN part (first 9 digits).
    #[must_use]
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Siret {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Siret::parse(&value)
    }
}

impl From<Siret> for String {
    fn from(s: Siret) -> String {
        s.0
    }
}

/// An INSEE commune code (code officiel géographique): 5 characters, digits,
/// or `2A`/`2B` followed by 3 digits for Corsica.
///
/// ```
/// # use mutualis::identity::InseeCode;
/// assert!(InseeCode::parse("42187").is_ok());
/// assert!(InseeCode::parse("2A004").is_ok());
/// assert!(InseeCode::parse("4218").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InseeCode(String);

impl InseeCode {
    /// Validates an INSEE commune code; [`Error::InvalidInsee`] says what is wrong.
    pub fn parse(value: &str) -> Result<InseeCode> {
        let s = value.trim();
        let err = |reason| Error::InvalidInsee {
            value: value.to_owned(),
            reason,
        };
        if s.len() != 5 {
            return Err(err("an INSEE commune code has 5 characters"));
        }
        let b = s.as_bytes();
        let corsica = b[0] == b'2' && (b[1] == b'A' || b[1] == b'B');
        let head_ok = corsica || (b[0].is_ascii_digit() && b[1].is_ascii_digit());
        if !head_ok || !b[2..].iter().all(u8::is_ascii_digit) {
            return Err(err("expected 5 digits, or 2A/2B and 3 digits"));
        }
        if &s[..2] == "00" || &s[..2] == "20" {
            return Err(err("no French department has this number"));
        }
        Ok(InseeCode(s.to_owned()))
    }

    /// The 5 characters.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InseeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for InseeCode {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        InseeCode::parse(&value)
    }
}

impl From<InseeCode> for String {
    fn from(s: InseeCode) -> String {
        s.0
    }
}

/// Longest human code accepted.
pub const MAX_CODE_LEN: usize = 64;

/// Checks a human code (tenant "ROANNE", asset "GYM-COUBERTIN"…): 1 to 64
/// characters among `A-Z a-z 0-9 - _ . /`. `what` names the code in the error.
pub fn check_code(what: &'static str, value: &str) -> Result<()> {
    let err = |reason| Error::InvalidCode {
        what,
        value: value.to_owned(),
        reason,
    };
    if value.is_empty() {
        return Err(err("a code cannot be empty"));
    }
    if value.len() > MAX_CODE_LEN {
        return Err(err("a code has at most 64 characters"));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
    {
        return Err(err("only letters, digits and - _ . / are allowed"));
    }
    Ok(())
}

/// Checks that a name is not blank; [`Error::InvalidField`] otherwise.
pub fn check_name(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::InvalidField {
            field,
            reason: "cannot be blank".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn siren_rules() {
        assert!(Siren::parse("732829320").is_ok());
        assert!(matches!(
            Siren::parse("73282932"),
            Err(Error::InvalidSiren { .. })
        ));
        assert!(matches!(
            Siren::parse("73282932A"),
            Err(Error::InvalidSiren { .. })
        ));
        assert!(
            matches!(Siren::parse("732829321"), Err(Error::InvalidSiren { reason, .. }) if reason.contains("Luhn"))
        );
    }

    #[test]
    fn siret_rules() {
        assert_eq!(
            Siret::parse("732 829 320 00074").unwrap().siren(),
            "732829320"
        );
        // La Poste establishments: digit sum divisible by 5, Luhn ignored
        let bad = "35600000000071"; // 3+5+6+7+1 = 22
        assert!(Siret::parse(bad).is_err());
        assert!(!luhn_valid("35600000000056")); // accepted only through La Poste's rule
        let ok = "35600000000056"; // 3+5+6+5+6 = 25
        assert!(Siret::parse(ok).is_ok());
        assert!(matches!(
            Siret::parse("123"),
            Err(Error::InvalidSiret { .. })
        ));
    }

    #[test]
    fn insee_rules() {
        assert!(InseeCode::parse("42187").is_ok());
        assert!(InseeCode::parse("2B033").is_ok());
        assert!(InseeCode::parse("2C033").is_err());
        assert!(InseeCode::parse("00123").is_err());
        assert!(InseeCode::parse("4218A").is_err());
    }

    #[test]
    fn codes() {
        assert!(check_code("asset", "GYM-COUBERTIN").is_ok());
        assert!(check_code("asset", "").is_err());
        assert!(check_code("asset", "GYM COUBERTIN").is_err());
        assert!(check_code("asset", &"A".repeat(65)).is_err());
    }

    proptest! {
        #[test]
        fn one_wrong_digit_breaks_luhn(body in "[0-9]{8}", pos in 0usize..9, delta in 1u8..10) {
            // complete the body with its check digit, then alter one digit
            let check = (0..10u8).find(|d| luhn_valid(&format!("{body}{d}"))).unwrap();
            let good = format!("{body}{check}");
            prop_assert!(Siren::parse(&good).is_ok());
            let mut bytes = good.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            prop_assert!(Siren::parse(&bad).is_err());
        }
    }
}
