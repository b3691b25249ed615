//! Results printed with codes, not dense ids.
//!
//! Query results refer to tenants and assets by dense id ([`TenantId`],
//! [`AssetId`]): compact, but `TenantId#0` means nothing to a reader.
//! [`Mutualis::show`] pairs a result with the registry that made it, and the
//! pair prints with the codes:
//!
//! ```
//! # use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, Period, TenantKind};
//! # use chrono::NaiveDate;
//! # fn main() -> mutualis::Result<()> {
//! # let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731"))?;
//! m.add_tenant(NewTenant::commune("ROANNE", "Ville de Roanne", "214218703", "42187"))?;
//! m.add_asset(NewAsset::new("GYM", "Gymnase", AssetKind::Building, "ROANNE", d(1975, 9, 1)))?;
//! m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))?;
//! let payers = m.payers("GYM", d(2026, 3, 12))?;
//! assert_eq!(m.show(&payers).to_string(), "AGGLO (custody of GYM)");
//! # Ok(())
//! # }
//! ```

use std::fmt;

use crate::{Amounts, AssetId, Charge, Mutualis, PayerSource, Payers, TenantId};

/// A result that prints with the codes of the registry that made it; see
/// [`Mutualis::show`].
pub trait ShowWithCodes {
    /// Writes `self`, naming tenants and assets by their codes in `m`.
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A result and its registry: `Display` with codes. Made by
/// [`Mutualis::show`]; borrows both, copies nothing.
#[derive(Clone, Copy)]
pub struct Shown<'a, T: ?Sized> {
    m: &'a Mutualis,
    value: &'a T,
}

impl<T: ShowWithCodes + ?Sized> fmt::Display for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_with_codes(self.m, f)
    }
}

impl<T: ShowWithCodes + ?Sized> fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_with_codes(self.m, f)
    }
}

impl Mutualis {
    /// `value` ready to print with this registry's codes rather than dense
    /// ids: `println!("{}", m.show(&payers))` prints `AGGLO (custody of GYM)`,
    /// `m.show(&charge)` prints `AGGLO pays 250.25 € TTC (HT 250.25, VAT 0.00)`,
    /// and a slice of results prints one per line.
    #[must_use]
    pub fn show<'a, T: ShowWithCodes + ?Sized>(&'a self, value: &'a T) -> Shown<'a, T> {
        Shown { m: self, value }
    }
}

impl ShowWithCodes for TenantId {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(m.tenant_code(*self))
    }
}

impl ShowWithCodes for AssetId {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(m.asset_code(*self))
    }
}

/// `AGGLO (custody of GYM)`; with a sharing key, every payer with its weight:
/// `AGGLO 6000, ROANNE 4000 (sharing key of GYM)`; `ROANNE (owner)`.
impl ShowWithCodes for Payers {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let weighted = matches!(self.source, PayerSource::SharingKey { .. });
        for (i, share) in self.shares.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(m.tenant_code(share.tenant))?;
            if weighted {
                write!(f, " {}", share.weight)?;
            }
        }
        match self.source {
            PayerSource::SharingKey { asset } => {
                write!(f, " (sharing key of {})", m.asset_code(asset))
            }
            PayerSource::Custody { asset } => write!(f, " (custody of {})", m.asset_code(asset)),
            PayerSource::Owner => f.write_str(" (owner)"),
        }
    }
}

/// `AGGLO pays 250.25 € TTC (HT 250.25, VAT 0.00)`.
impl ShowWithCodes for Charge {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} pays {} € TTC (HT {}, VAT {})",
            m.tenant_code(self.tenant),
            self.amounts.ttc,
            self.amounts.ht,
            self.amounts.vat
        )
    }
}

/// One item per line.
impl<T: ShowWithCodes> ShowWithCodes for [T] {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            item.fmt_with_codes(m, f)?;
        }
        Ok(())
    }
}

impl<T: ShowWithCodes> ShowWithCodes for Vec<T> {
    fn fmt_with_codes(&self, m: &Mutualis, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt_with_codes(m, f)
    }
}

/// `250.25 TTC (HT 250.25, VAT 0.00)`: amounts need no codes.
impl fmt::Display for Amounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} TTC (HT {}, VAT {})", self.ttc, self.ht, self.vat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetKind, KeyBasis, NewAsset, NewTenant, Period, TenantKind};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap_or_default()
    }

    fn registry() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::new(
            "AGGLO",
            "Roannais Agglomération",
            TenantKind::CommunauteDAgglomeration,
            "200035731",
        ))
        .unwrap();
        m.add_tenant(NewTenant::commune(
            "ROANNE",
            "Ville de Roanne",
            "214218703",
            "42187",
        ))
        .unwrap();
        for code in ["GYM", "HALL", "PARC"] {
            m.add_asset(NewAsset::new(
                code,
                "Bâtiment",
                AssetKind::Building,
                "ROANNE",
                d(1975, 9, 1),
            ))
            .unwrap();
        }
        m
    }

    #[test]
    fn payers_print_codes_for_each_source() {
        let mut m = registry();
        m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
            .unwrap();
        m.set_sharing_key(
            "HALL",
            KeyBasis::FloorArea,
            Period::starting(d(2020, 1, 1)),
            &[("AGGLO", 6000), ("ROANNE", 4000)],
        )
        .unwrap();
        let on = d(2026, 3, 12);
        let show = |a: &str| m.show(&m.payers(a, on).unwrap()).to_string();
        assert_eq!(show("GYM"), "AGGLO (custody of GYM)");
        assert_eq!(
            show("HALL"),
            "AGGLO 6000, ROANNE 4000 (sharing key of HALL)"
        );
        assert_eq!(show("PARC"), "ROANNE (owner)");
    }

    #[test]
    fn charges_and_lists_print_codes() {
        let m = registry();
        let amounts = Amounts {
            ht: Decimal::new(10000, 2),
            vat: Decimal::new(2000, 2),
            ttc: Decimal::new(12000, 2),
        };
        let tenant = m.tenant_id("ROANNE").unwrap();
        let charges = vec![Charge { tenant, amounts }; 2];
        assert_eq!(
            m.show(&charges).to_string(),
            "ROANNE pays 120.00 € TTC (HT 100.00, VAT 20.00)\nROANNE pays 120.00 € TTC (HT 100.00, VAT 20.00)"
        );
        assert_eq!(amounts.to_string(), "120.00 TTC (HT 100.00, VAT 20.00)");
        assert_eq!(m.show(&tenant).to_string(), "ROANNE");
    }
}
