//! Kotlin/JVM (and Android) bindings for Mutualis, generated with UniFFI
//! (proc-macro mode, no UDL). Kotlin package `fr.mutualis`.
//!
//! A thin wrapper in the style of bdk-ffi: every domain rule is the core's
//! (`mutualis` crate); this crate converts values, refers to entities by their
//! human codes, and maps errors.
//!
//! * Money is `java.math.BigDecimal` (exact; carried as a string, lowered with
//!   `toPlainString()`); dates are `java.time.LocalDate` (epoch days);
//!   instants are `java.time.Instant` (an RFC 3339 UTC string, exact to the
//!   nanosecond); request delays are `java.time.Duration` (UniFFI's built-in
//!   duration, exact to the nanosecond).
//! * Every failure is a `MutualisException` subclass named after the core
//!   error variant, whose `message` is the core's text; see [`MutualisError`].
//! * [`Mutualis`] is the registry object (thread-safe, `AutoCloseable`).
//!   Besides the registry and the field flow, it reads settlements between
//!   tenants (annual statements, settlement matrix), budget consumption and
//!   multi-year investment plans (AP/CP, PPI per building).
//! * [`Store`] persists a registry in a SQLite file (unit of work:
//!   `checkout` → commands on the copy → `commit`) and syncs devices.
//! * No `unwrap`/`expect`/`panic` on a path reachable from Kotlin (enforced
//!   below). UniFFI also catches panics (they would surface as
//!   `InternalException`), but that is a safety net, not a mechanism.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod access;
mod error;
#[macro_use]
mod types;
mod energy;
mod field;
mod field_types;
mod fleet;
mod furniture;
#[cfg(feature = "ingest")]
mod ingest;
mod leases;
mod open311;
mod planning;
mod planning_types;
mod registry;
mod report;
mod settlement;
mod settlement_types;
mod store;
mod tools;
mod workwear;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use mutualis as mx;
use rust_decimal::Decimal;

pub use error::{BadRow, MutualisError};
pub use field_types::{
    Amounts, Charge, CostEntry, CostLine, CostNature, CostSummary, JournalEntry, NewRequest,
    NewWorkOrder, ProgressListener, Request, RequestDelays, RequestOrigin, RequestStatus,
    StatusChange, StockLevel, SupplierActivity, UsageUnit, WorkOrder, WorkOrderStatus,
    WorkOrderStatusChange,
};
#[cfg(feature = "ingest")]
pub use ingest::{IngestMode, IngestReport, IngestRowError, IngestTableCount};
pub use planning_types::{Ap, ApRevision, ApSituation, BuildingPlan, NewAp, NewOperation, PpiRow};
pub use registry::Mutualis;
pub use settlement_types::{
    AgreementMode, BudgetLineStatus, BudgetWarning, ChargeBasis, Debt, DebtLine, LoanStatement,
    LoanUse, NewAgreement, NewLoan, NewPooledService, OverrunPolicy, PooledShare, PooledStatement,
    SettledBy, Statement,
};
pub use store::{ImportReport, Store, SyncConflict};
pub use tools::{
    schedule_plan, Candidate, CsvReport, CsvRowError, NotPlaced, PlacedOperation, Plan, YearAmount,
    YearCap,
};
pub use types::{
    Allocation, Asset, AssetKind, Custody, Holder, KeyBasis, NewAsset, PayerSourceKind, Payers,
    Service, Share, SharingKey, Tenant, TenantKind, VatLine, VatRate,
};

use error::lift_error;

uniffi::setup_scaffolding!();

// ---------------------------------------------------------------------------
// Custom types
// ---------------------------------------------------------------------------

// `rust_decimal::Decimal` <-> `java.math.BigDecimal`, carried as a String.
// `Decimal`'s Display keeps the scale ("0.30" stays "0.30"); Kotlin lowers with
// `toPlainString()` (never `toString()`, which may use "1E+3" notation).
// `from_str_exact` refuses a value Rust cannot hold exactly (more than 28
// digits, or too large) instead of silently rounding it; UniFFI hands that
// `MutualisError` back to Kotlin as `MutualisException.AmountOutOfRange`.
// Mapping: see `uniffi.toml`.
uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| Decimal::from_str_exact(&s).map_err(|_| lift_error(MutualisError::AmountOutOfRange {
        amount: None,
        text: format!("amount {s} cannot be handled exactly (at most 28 significant digits)"),
    })),
});

/// Days between 0001-01-01 (CE day 1) and 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

// `chrono::NaiveDate` <-> `java.time.LocalDate`, carried as i32 days since
// 1970-01-01 (`LocalDate.toEpochDay()` / `LocalDate.ofEpochDay()`). A date
// outside chrono's range (about ±262 000 years) is
// `MutualisException.InvalidField`. Mapping: see `uniffi.toml`.
uniffi::custom_type!(NaiveDate, i32, {
    remote,
    lower: |d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE,
    try_lift: |days| days
        .checked_add(UNIX_EPOCH_DAYS_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| lift_error(MutualisError::InvalidField {
            field: "date".to_owned(),
            reason: format!("epoch day {days} is outside the supported range"),
            text: format!("invalid date: epoch day {days} is outside the supported range"),
        })),
});

/// `chrono::DateTime<Utc>` under the single-identifier name UniFFI needs for
/// a custom type: an instant, `java.time.Instant` in Kotlin.
pub type UtcDateTime = DateTime<Utc>;

// `chrono::DateTime<Utc>` <-> `java.time.Instant`, carried as an RFC 3339 /
// ISO-8601 UTC string ("2026-03-12T07:00:00Z", fraction digits only when
// needed: 0, 3, 6 or 9). Kotlin lowers with `Instant.toString()` and lifts
// with `Instant.parse()`, so an instant round-trips exactly, to the
// nanosecond, in both directions. An Instant chrono cannot hold, or a year
// outside 0000–9999, is `MutualisException.InvalidField`.
// Mapping: see `uniffi.toml`.
uniffi::custom_type!(UtcDateTime, String, {
    remote,
    lower: |t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    try_lift: |s| DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| lift_error(MutualisError::InvalidField {
            field: "instant".to_owned(),
            reason: format!("{s:?}: {e} (expected an ISO-8601 UTC instant of year 0000 to 9999)"),
            text: format!("invalid instant {s:?}: {e} (expected an ISO-8601 UTC instant of year 0000 to 9999)"),
        })),
});

// ---------------------------------------------------------------------------
// Money and identifiers
// ---------------------------------------------------------------------------

/// Splits `amount` euros (whole cents) by non-negative integer `weights` with
/// a positive sum (DOMAIN §3): each part gets floor(amount × w / Σw) cents,
/// the leftover cents go one by one to the largest remainders, ties to the
/// first receiver. A negative amount (credit note) is split as its absolute
/// value and negated. The parts always sum to `amount`; each has 2 decimals.
///
/// `split(BigDecimal("1000.01"), listOf(6000uL, 4000uL))` is `[600.01, 400.00]`.
/// Throws `WeightsSumToZero`, `SubCentAmount`, `AmountOutOfRange`.
#[uniffi::export]
pub fn split(amount: Decimal, weights: Vec<u64>) -> Result<Vec<Decimal>, MutualisError> {
    Ok(mx::money::split(amount, &weights)?)
}

/// Rounds an amount to the cent, half away from zero (0.005 → 0.01,
/// −0.005 → −0.01); the result always has 2 decimals.
#[uniffi::export]
pub fn round_cents(amount: Decimal) -> Result<Decimal, MutualisError> {
    Ok(mx::money::round_cents(amount))
}

/// The supplier line of an HT amount at a VAT rate: HT rounded to the cent,
/// VAT = round(HT × rate), TTC = HT + VAT (480 HT at 20 % → 96.00 VAT,
/// 576.00 TTC). Throws `AmountOutOfRange` for an HT beyond what the core
/// handles in cents.
#[uniffi::export]
pub fn vat_line(ht: Decimal, rate: VatRate) -> Result<VatLine, MutualisError> {
    mx::VatLine::from_ht(ht, rate.into())?.try_into()
}

/// The FCTVA rate (percent) for spending of `year` (dated table: 15.482 %
/// from 2003, 15.761 % in 2014, 16.404 % from 2015). Throws
/// `YearOutOfRange`, `InvalidField` (before 2003).
#[uniffi::export]
pub fn fctva_rate(year: i32) -> Result<Decimal, MutualisError> {
    Ok(mx::fctva::fctva_rate(year)?)
}

/// The VAT rates in force on `date`, highest first (19.6 % and 7 % until
/// 2013-12-31, then 20 % and 10 %; 5.5 % and 2.1 % throughout).
#[uniffi::export]
pub fn vat_rates_on(date: NaiveDate) -> Result<Vec<VatRate>, MutualisError> {
    mx::money::vat_rates_on(date)
        .into_iter()
        .map(VatRate::try_from)
        .collect()
}

/// The VAT rate of the dated table whose percentage is `percent` (20, 10,
/// 5.5, 2.1, and the former 19.6, 7, 20.6, 18.6; "20.0" works too). Throws
/// `UnknownVatRate` (e.g. 19). Whether it applies on a date is checked when a
/// line is recorded (`VatRateNotInForce`).
#[uniffi::export]
pub fn vat_rate_from_percent(percent: Decimal) -> Result<VatRate, MutualisError> {
    mx::VatRate::from_percent(percent)?.try_into()
}

/// Validates a SIREN (9 digits, Luhn key; spaces ignored) and returns its 9
/// digits. Throws `InvalidSiren`.
#[uniffi::export]
pub fn parse_siren(value: String) -> Result<String, MutualisError> {
    Ok(mx::identity::Siren::parse(&value)?.to_string())
}

/// Validates a SIRET (14 digits, Luhn key; La Poste's establishments, SIREN
/// 356000000, use a digit sum divisible by 5) and returns its 14 digits.
/// Throws `InvalidSiret`.
#[uniffi::export]
pub fn parse_siret(value: String) -> Result<String, MutualisError> {
    Ok(mx::identity::Siret::parse(&value)?.to_string())
}

/// Validates an INSEE commune code (5 digits, or 2A/2B and 3 digits for
/// Corsica) and returns it. Throws `InvalidInsee`.
#[uniffi::export]
pub fn parse_insee(value: String) -> Result<String, MutualisError> {
    Ok(mx::identity::InseeCode::parse(&value)?.to_string())
}

/// Test helpers: `must()` ends a test with the error's text when a setup
/// step that cannot fail does (test code only; FFI paths map errors).
#[cfg(test)]
pub(crate) mod test_support {
    /// Unwraps a test fixture's result or option, failing the test otherwise.
    pub(crate) trait Must<T> {
        /// The value, or a test failure naming the error.
        fn must(self) -> T;
    }

    impl<T, E: std::fmt::Debug> Must<T> for Result<T, E> {
        fn must(self) -> T {
            match self {
                Ok(v) => v,
                Err(e) => panic!("test fixture failed: {e:?}"),
            }
        }
    }

    impl<T> Must<T> for Option<T> {
        fn must(self) -> T {
            match self {
                Some(v) => v,
                None => panic!("test fixture produced nothing"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Must;

    #[test]
    fn epoch_day_conversion() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).must();
        assert_eq!(epoch.num_days_from_ce(), UNIX_EPOCH_DAYS_FROM_CE);
    }

    #[test]
    fn huge_vat_amount_is_an_error_not_a_panic() {
        assert!(matches!(
            vat_line(Decimal::MAX, VatRate::Standard),
            Err(MutualisError::AmountOutOfRange { .. })
        ));
    }
}
