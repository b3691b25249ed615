//! FCTVA (fonds de compensation pour la TVA, CGCT L1615-1 and L1615-6): the
//! State refunds a share of the VAT-inclusive spending of collectivités.
//! Rate and eligibility are dated data, as finance laws change them
//! (DOMAIN §3):
//!
//! - rate: 15.482 % from 2003, 15.761 % in 2014, 16.404 % from 2015 (the
//!   rate of the spending's year, [`fctva_rate`]);
//! - investment spending is eligible throughout: an AP's payments (mandats)
//!   of the year;
//! - maintenance paid to suppliers is eligible for public buildings and
//!   roads from 2016, for networks from 2020 ([`maintenance_eligible`]):
//!   the external lines of the year on such assets, for the part the tenant
//!   pays (its share under custody and keys). Régie labour, stock and
//!   vehicle lines carry no VAT and are never eligible.
//!
//! [`Mutualis::fctva_estimate`] is the FCTVA attributable to a tenant's
//! spending of a year, whatever the year it is received in (the N, N+1 or
//! N+2 regimes only shift when it is paid).
//!
//! ```
//! # use mutualis::fctva::{fctva_rate, maintenance_eligible};
//! # use mutualis::AssetKind;
//! # use chrono::NaiveDate;
//! assert_eq!(fctva_rate(2026).unwrap().to_string(), "16.404");
//! let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
//! assert!(maintenance_eligible(AssetKind::Building, d(2016)) && !maintenance_eligible(AssetKind::Building, d(2015)));
//! ```

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::assets::AssetKind;
use crate::error::{Error, Result};
use crate::ids::TenantId;
use crate::money::{from_cents, round_cents};
use crate::work::CostNature;
use crate::Mutualis;

/// The dated FCTVA rates: (first year, rate in percent with 3 decimals).
const RATES: [(i32, i64); 3] = [(2003, 15_482), (2014, 15_761), (2015, 16_404)];

/// The FCTVA rate (percent) for spending of `year`, from the dated table;
/// [`Error::InvalidField`] before 2003 (no rate in the table), and
/// [`Error::YearOutOfRange`] outside [`crate::YEARS`].
pub fn fctva_rate(year: i32) -> Result<Decimal> {
    crate::period::check_year("year", year)?;
    RATES
        .iter()
        .rev()
        .find(|(from, _)| year >= *from)
        .map(|(_, r)| Decimal::new(*r, 3))
        .ok_or_else(|| Error::InvalidField {
            field: "year",
            reason: format!("no FCTVA rate is known for {year} (the table starts in 2003)"),
        })
}

/// True if maintenance of an asset of `kind` paid on `date` is eligible:
/// public buildings (buildings, their floors and rooms) and road sections
/// from 2016-01-01, networks from 2020-01-01.
#[must_use]
pub fn maintenance_eligible(kind: AssetKind, date: NaiveDate) -> bool {
    let since = match kind {
        AssetKind::Building | AssetKind::Floor | AssetKind::Room | AssetKind::RoadSection => 2016,
        AssetKind::Network => 2020,
        _ => return false,
    };
    date.year() >= since
}

/// The FCTVA a tenant can expect for its spending of a year
/// ([`Mutualis::fctva_estimate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FctvaEstimate {
    /// The tenant.
    pub tenant: TenantId,
    /// Year of the spending.
    pub year: i32,
    /// Rate applied (percent).
    pub rate: Decimal,
    /// Eligible maintenance paid to suppliers, TTC (the tenant's parts).
    pub maintenance_base: Decimal,
    /// Supplier lines the tenant paid that are not eligible, TTC.
    pub not_eligible: Decimal,
    /// Investment: the year's payments on the tenant's APs, TTC.
    pub investment_base: Decimal,
    /// maintenance_base × rate, to the cent.
    pub maintenance: Decimal,
    /// investment_base × rate, to the cent.
    pub investment: Decimal,
    /// maintenance + investment.
    pub total: Decimal,
}

impl Mutualis {
    /// The FCTVA attributable to `tenant`'s spending of `year` (see the
    /// [module](self) for the rules): one pass over the year's lines.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidField`] (a year before the rate table).
    pub fn fctva_estimate(&self, tenant: &str, year: i32) -> Result<FctvaEstimate> {
        let rate = fctva_rate(year)?;
        let t = self.tenant_id(tenant)?;
        let (first, last) = (
            crate::lines::day_of(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default()),
            crate::lines::day_of(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default()),
        );
        let external = crate::lines::nature_index(CostNature::External);
        let lines = &self.cost_lines;
        let (mut eligible, mut other) = (0i64, 0i64);
        for i in 0..lines.len() {
            let day = lines.days()[i];
            if day < first || day > last || lines.natures()[i] != external {
                continue;
            }
            let asset = &self.assets()[self.line_asset(i) as usize];
            let ok = maintenance_eligible(asset.kind, lines.date(i));
            for p in self.line_parts(i).filter(|p| p.payer == t) {
                if ok {
                    eligible += p.ttc;
                } else {
                    other += p.ttc;
                }
            }
        }
        let investment_base = self
            .aps()
            .iter()
            .filter(|a| a.tenant == t)
            .map(|a| a.paid_in(year))
            .sum::<Decimal>()
            + Decimal::new(0, 2);
        let maintenance_base = from_cents(eligible);
        let share = |base: Decimal| {
            base.checked_mul(rate)
                .map(|x| round_cents(x / Decimal::ONE_HUNDRED))
                .ok_or(Error::AmountOutOfRange(base))
        };
        let (maintenance, investment) = (share(maintenance_base)?, share(investment_base)?);
        Ok(FctvaEstimate {
            tenant: t,
            year,
            rate,
            maintenance_base,
            not_eligible: from_cents(other),
            investment_base,
            maintenance,
            investment,
            total: maintenance + investment,
        })
    }
}
