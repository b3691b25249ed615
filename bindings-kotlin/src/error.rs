//! The one exception hierarchy seen from Kotlin.

use mutualis as mx;

/// Everything that can go wrong in Mutualis, seen from Kotlin as
/// `sealed class MutualisException : kotlin.Exception` with one subclass per
/// variant (`MutualisException.UnknownTenant`, …).
///
/// There is one variant per variant of the core's `mutualis::Error`, plus
/// [`MutualisError::Io`] (file access) and [`MutualisError::Internal`] (a bug
/// or a core error this binding does not know yet). Each carries the core's
/// message, which is the exception's `message`: it names the offending
/// values and can be shown to a user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum MutualisError {
    /// A SIREN is not 9 digits with a valid Luhn key.
    #[error("{0}")]
    InvalidSiren(String),
    /// A SIRET is not 14 digits with a valid key (La Poste: digit sum divisible by 5).
    #[error("{0}")]
    InvalidSiret(String),
    /// An INSEE commune code is malformed, missing for a commune, or given for a non-commune.
    #[error("{0}")]
    InvalidInsee(String),
    /// A human code (tenant, service, asset) is empty, too long or has forbidden characters.
    #[error("{0}")]
    InvalidCode(String),
    /// A name or field is unusable (blank name, negative area, date out of range…).
    #[error("{0}")]
    InvalidField(String),
    /// An unknown kind name (tenant kind, asset kind, key basis).
    #[error("{0}")]
    UnknownKind(String),
    /// No tenant has this code.
    #[error("{0}")]
    UnknownTenant(String),
    /// The tenant has no service with this code.
    #[error("{0}")]
    UnknownService(String),
    /// No asset has this code.
    #[error("{0}")]
    UnknownAsset(String),
    /// A tenant with this code already exists.
    #[error("{0}")]
    DuplicateTenant(String),
    /// Another tenant already has this SIREN.
    #[error("{0}")]
    DuplicateSiren(String),
    /// The tenant already has a service with this code.
    #[error("{0}")]
    DuplicateService(String),
    /// An asset with this code already exists.
    #[error("{0}")]
    DuplicateAsset(String),
    /// A membership is not allowed (commune in a commune, second EPCI à fiscalité propre…).
    #[error("{0}")]
    InvalidMembership(String),
    /// Moving an asset under itself or one of its descendants.
    #[error("{0}")]
    AssetCycle(String),
    /// A period ends before it starts (first and last days inclusive).
    #[error("{0}")]
    DatesOutOfOrder(String),
    /// A date before the asset's commissioning or after its decommissioning.
    #[error("{0}")]
    OutsideAssetLife(String),
    /// A custody period (mise à disposition) overlaps an existing one.
    #[error("{0}")]
    CustodyOverlap(String),
    /// Custody requested to the asset's own owner (CGCT L1321-1 does not provide for it).
    #[error("{0}")]
    CustodyToOwner(String),
    /// Two sharing keys of one asset overlap.
    #[error("{0}")]
    KeyOverlap(String),
    /// No open-ended custody or sharing key to close.
    #[error("{0}")]
    NothingToEnd(String),
    /// Split weights are empty or all zero.
    #[error("{0}")]
    WeightsSumToZero(String),
    /// The same tenant twice in one sharing key.
    #[error("{0}")]
    DuplicateKeyTenant(String),
    /// An amount to split has a fraction of a cent.
    #[error("{0}")]
    SubCentAmount(String),
    /// An amount too large (or too precise) to be handled exactly.
    #[error("{0}")]
    AmountOutOfRange(String),
    /// A VAT rate not in force in France (20, 10, 5.5, 2.1 %).
    #[error("{0}")]
    UnknownVatRate(String),
    /// A dataset is not valid JSON or does not follow the format (line and column in the message).
    #[error("{0}")]
    InvalidJson(String),
    /// A dataset of another format or of a newer version.
    #[error("{0}")]
    UnsupportedFormat(String),
    /// A file could not be read or written (`load`, `save`).
    #[error("{0}")]
    Io(String),
    /// A bug, or an error of a newer core that this binding does not map yet.
    /// Never expected: report it.
    #[error("{0}")]
    Internal(String),
}

impl From<mx::Error> for MutualisError {
    fn from(e: mx::Error) -> Self {
        use mx::Error as E;
        let msg = e.to_string();
        match e {
            E::InvalidSiren { .. } => Self::InvalidSiren(msg),
            E::InvalidSiret { .. } => Self::InvalidSiret(msg),
            E::InvalidInsee { .. } => Self::InvalidInsee(msg),
            E::InvalidCode { .. } => Self::InvalidCode(msg),
            E::InvalidField { .. } => Self::InvalidField(msg),
            E::UnknownKind { .. } => Self::UnknownKind(msg),
            E::UnknownTenant(_) => Self::UnknownTenant(msg),
            E::UnknownService { .. } => Self::UnknownService(msg),
            E::UnknownAsset(_) => Self::UnknownAsset(msg),
            E::DuplicateTenant(_) => Self::DuplicateTenant(msg),
            E::DuplicateSiren { .. } => Self::DuplicateSiren(msg),
            E::DuplicateService { .. } => Self::DuplicateService(msg),
            E::DuplicateAsset(_) => Self::DuplicateAsset(msg),
            E::InvalidMembership { .. } => Self::InvalidMembership(msg),
            E::AssetCycle { .. } => Self::AssetCycle(msg),
            E::DatesOutOfOrder { .. } => Self::DatesOutOfOrder(msg),
            E::OutsideAssetLife { .. } => Self::OutsideAssetLife(msg),
            E::CustodyOverlap { .. } => Self::CustodyOverlap(msg),
            E::CustodyToOwner { .. } => Self::CustodyToOwner(msg),
            E::KeyOverlap { .. } => Self::KeyOverlap(msg),
            E::NothingToEnd { .. } => Self::NothingToEnd(msg),
            E::WeightsSumToZero { .. } => Self::WeightsSumToZero(msg),
            E::DuplicateKeyTenant(_) => Self::DuplicateKeyTenant(msg),
            E::SubCentAmount(_) => Self::SubCentAmount(msg),
            E::AmountOutOfRange(_) => Self::AmountOutOfRange(msg),
            E::UnknownVatRate(_) => Self::UnknownVatRate(msg),
            E::InvalidJson { .. } => Self::InvalidJson(msg),
            E::UnsupportedFormat { .. } => Self::UnsupportedFormat(msg),
            // `mutualis::Error` is #[non_exhaustive]: a variant added to the
            // core later still reaches Kotlin, with its kind and message.
            other => Self::Internal(format!("{} ({})", msg, other.kind())),
        }
    }
}

/// Builds the error returned by a failed custom-type lift (BigDecimal or
/// LocalDate that Rust cannot represent). UniFFI downcasts it back to
/// [`MutualisError`], so Kotlin gets a typed exception, not an internal one.
pub(crate) fn lift_error(e: MutualisError) -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::Error::new(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    /// snake_case name of a binding variant, to compare with `mutualis::Error::kind`.
    fn kind(e: &MutualisError) -> String {
        let debug = format!("{e:?}");
        let name = debug.split('(').next().unwrap_or_default();
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_core_variant_maps_to_its_namesake_with_the_core_message() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let s = || "X".to_owned();
        let all = vec![
            mx::Error::InvalidSiren {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidSiret {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidInsee {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidCode {
                what: "asset",
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidField {
                field: "f",
                reason: s(),
            },
            mx::Error::UnknownKind {
                what: "w",
                value: s(),
                expected: "e",
            },
            mx::Error::UnknownTenant(s()),
            mx::Error::UnknownService {
                tenant: s(),
                service: s(),
            },
            mx::Error::UnknownAsset(s()),
            mx::Error::DuplicateTenant(s()),
            mx::Error::DuplicateSiren {
                siren: s(),
                tenant: s(),
            },
            mx::Error::DuplicateService {
                tenant: s(),
                service: s(),
            },
            mx::Error::DuplicateAsset(s()),
            mx::Error::InvalidMembership {
                member: s(),
                group: s(),
                reason: "r",
            },
            mx::Error::AssetCycle {
                asset: s(),
                parent: s(),
            },
            mx::Error::DatesOutOfOrder { from: day, to: day },
            mx::Error::OutsideAssetLife {
                asset: s(),
                date: day,
                life: s(),
            },
            mx::Error::CustodyOverlap {
                asset: s(),
                beneficiary: s(),
                period: s(),
                existing_beneficiary: s(),
                existing: s(),
            },
            mx::Error::CustodyToOwner {
                asset: s(),
                owner: s(),
            },
            mx::Error::KeyOverlap {
                asset: s(),
                period: s(),
                existing: s(),
            },
            mx::Error::NothingToEnd {
                asset: s(),
                what: "custody",
            },
            mx::Error::WeightsSumToZero { count: 0 },
            mx::Error::DuplicateKeyTenant(s()),
            mx::Error::SubCentAmount(Decimal::ONE),
            mx::Error::AmountOutOfRange(Decimal::ONE),
            mx::Error::UnknownVatRate(Decimal::ONE),
            mx::Error::InvalidJson {
                line: 1,
                column: 2,
                message: s(),
            },
            mx::Error::UnsupportedFormat {
                format: s(),
                version: 2,
                supported: "v1",
            },
        ];
        for e in all {
            let core_kind = e.kind();
            let core_msg = e.to_string();
            let ours = MutualisError::from(e);
            assert_eq!(kind(&ours), core_kind);
            assert_eq!(ours.to_string(), core_msg);
        }
    }
}
