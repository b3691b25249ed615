//! Who holds and who pays: custody periods (mise à disposition, CGCT
//! L1321-1 to L1321-5), sharing keys of shared assets (biens partagés), and
//! [`Mutualis::payers`], DOMAIN §4 steps 1–2.
//!
//! # Rules
//! - **Custody.** During a custody period the beneficiary bears all the owner's
//!   obligations, maintenance and major works included; the owner keeps title.
//!   Periods of one asset never overlap; first and last days are inclusive; an
//!   open period is closed with [`Mutualis::end_custody`]; history is never
//!   overwritten. A custody covers the asset's descendants with the same owner,
//!   unless a descendant has a custody of its own on that date.
//! - **Sharing keys.** A key gives integer weights per tenant for a validity
//!   period. The key of the asset, or else of its nearest ancestor with a key
//!   valid on the date, decides the payers; zero weights pay nothing.
//! - **Payers at a date.** The key if any (step 1), else the holder: the
//!   beneficiary of the custody covering the date, else the owner (step 2).
//!   Payers come sorted by tenant code, the tie order of [`crate::money::split`].
//!
//! ```
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, Period, TenantKind};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("GYM", "Gymnase", AssetKind::Building, "ROANNE", d(1975, 9, 1))).unwrap();
//! m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1))).unwrap();
//! assert_eq!(m.holder("GYM", d(2018, 12, 31)).unwrap().tenant, m.tenant_id("ROANNE").unwrap());
//! assert_eq!(m.holder("GYM", d(2019, 1, 1)).unwrap().tenant, m.tenant_id("AGGLO").unwrap());
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ids::{AssetId, TenantId};
use crate::kinds::named_enum;
use crate::money::{from_cents, split_cents_into, to_cents};
use crate::period::Period;
use crate::Mutualis;

pub mod events;
pub use events::CustodyEvent;

/// A custody period (mise à disposition) of an asset to a beneficiary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustodyPeriod {
    /// The tenant that holds the asset and bears its costs.
    pub beneficiary: TenantId,
    /// Validity, first and last days inclusive.
    pub period: Period,
}

named_enum! {
    /// What the weights of a sharing key measure (informative: the split rule
    /// is the same for all).
    pub enum KeyBasis as "key basis" {
        /// Floor area in m² used by each tenant.
        FloorArea = "floor_area",
        /// Headcount (agents) of each tenant.
        Headcount = "headcount",
        /// Usage (hours, bookings…).
        Usage = "usage",
        /// Shares agreed by deliberation (e.g. basis points).
        Agreed = "agreed",
    }
}

/// Who pays, located without allocation (see `Mutualis::payer_ref`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayerRef {
    /// One tenant pays all (custody beneficiary or owner).
    Single(TenantId),
    /// The `key`-th sharing key recorded on `asset` decides.
    Key {
        /// The asset carrying the key.
        asset: AssetId,
        /// Its index in the asset's keys.
        key: usize,
    },
}

/// One tenant's weight in a sharing key or a payers list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayerShare {
    /// The tenant.
    pub tenant: TenantId,
    /// Its integer weight.
    pub weight: u64,
}

/// A sharing key of a shared asset over a validity period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingKey {
    /// What the weights measure.
    pub basis: KeyBasis,
    /// Validity, first and last days inclusive.
    pub period: Period,
    /// Weights per tenant, sorted by tenant code.
    pub shares: Vec<PayerShare>,
}

/// Why a tenant pays or holds (the rule of DOMAIN §4 that applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayerSource {
    /// The sharing key of this asset (the asset itself or an ancestor).
    SharingKey {
        /// The asset carrying the key.
        asset: AssetId,
    },
    /// The custody (mise à disposition) recorded on this asset.
    Custody {
        /// The asset carrying the custody period.
        asset: AssetId,
    },
    /// No key and no custody: the owner.
    Owner,
}

/// The tenant holding an asset on a date, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// The holder (beneficiary or owner).
    pub tenant: TenantId,
    /// [`PayerSource::Custody`] or [`PayerSource::Owner`].
    pub source: PayerSource,
}

/// Who pays for a cost on an asset at a date, with weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payers {
    /// The rule that decided.
    pub source: PayerSource,
    /// Paying tenants with positive weights, sorted by tenant code.
    pub shares: Vec<PayerShare>,
}

impl Payers {
    /// Splits an amount (whole cents) between the payers by the DOMAIN §3 rule.
    pub fn split(&self, amount: Decimal) -> Result<Vec<(TenantId, Decimal)>> {
        let cents = to_cents(amount)?;
        let weights: Vec<u64> = self.shares.iter().map(|s| s.weight).collect();
        let mut parts = vec![0i64; weights.len()];
        split_cents_into(cents, &weights, &mut parts)?;
        Ok(self
            .shares
            .iter()
            .zip(parts)
            .map(|(s, p)| (s.tenant, from_cents(p)))
            .collect())
    }
}

fn find_period<T>(items: &[T], date: NaiveDate, period: impl Fn(&T) -> &Period) -> Option<&T> {
    // items are sorted by start and never overlap
    let idx = items.partition_point(|x| period(x).from <= date);
    idx.checked_sub(1)
        .map(|i| &items[i])
        .filter(|x| period(x).contains(date))
}

/// The open period after `last_day` (what closing a period on it changes).
fn after(last_day: NaiveDate) -> Option<Period> {
    last_day.succ_opt().map(Period::starting)
}

/// The custody domain's state, per asset (index = asset id): the custody
/// periods and the sharing keys, each list sorted by start.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Custody {
    periods: Vec<Vec<CustodyPeriod>>,
    keys: Vec<Vec<SharingKey>>,
}

impl Custody {
    /// Opens the (empty) histories of a new asset.
    pub(crate) fn push_asset(&mut self) {
        self.periods.push(Vec::new());
        self.keys.push(Vec::new());
    }

    /// Drops the histories of the assets after the first `assets`.
    pub(crate) fn truncate(&mut self, assets: usize) {
        self.periods.truncate(assets);
        self.keys.truncate(assets);
    }

    /// The custody periods of `asset`, sorted by start (empty for an
    /// unknown id).
    pub(crate) fn periods_of(&self, asset: AssetId) -> &[CustodyPeriod] {
        self.periods.get(asset.index()).map_or(&[], Vec::as_slice)
    }

    /// The sharing keys of `asset`, sorted by start (empty for an unknown
    /// id).
    pub(crate) fn keys_of(&self, asset: AssetId) -> &[SharingKey] {
        self.keys.get(asset.index()).map_or(&[], Vec::as_slice)
    }

    /// Removes the custody period at `at` of `asset` (undo of a grant).
    pub(crate) fn remove_period(&mut self, asset: AssetId, at: usize) {
        if let Some(list) = self.periods.get_mut(asset.index()) {
            if at < list.len() {
                list.remove(at);
            }
        }
    }

    /// Gives the custody period at `at` of `asset` its former period (undo
    /// of an end).
    pub(crate) fn restore_period(&mut self, asset: AssetId, at: usize, period: Period) {
        if let Some(c) = self
            .periods
            .get_mut(asset.index())
            .and_then(|l| l.get_mut(at))
        {
            c.period = period;
        }
    }

    /// Removes the sharing key at `at` of `asset` (undo of a key set).
    pub(crate) fn remove_key(&mut self, asset: AssetId, at: usize) {
        if let Some(list) = self.keys.get_mut(asset.index()) {
            if at < list.len() {
                list.remove(at);
            }
        }
    }

    /// Gives the sharing key at `at` of `asset` its former period (undo of
    /// an end).
    pub(crate) fn restore_key_period(&mut self, asset: AssetId, at: usize, period: Period) {
        if let Some(k) = self.keys.get_mut(asset.index()).and_then(|l| l.get_mut(at)) {
            k.period = period;
        }
    }
}

impl Mutualis {
    /// Puts `asset` at the disposal of `beneficiary` over `period`.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::UnknownTenant`],
    /// [`Error::CustodyToOwner`], [`Error::CustodyOverlap`]. Nothing changes on error.
    pub fn grant_custody(&mut self, asset: &str, beneficiary: &str, period: Period) -> Result<()> {
        let a = self.asset_id(asset)?;
        let b = self.tenant_id(beneficiary)?;
        Period::recorded(period.from, period.to)?;
        if self.owns_during(a, b, &period) {
            return Err(Error::CustodyToOwner {
                asset: asset.to_owned(),
                owner: beneficiary.to_owned(),
            });
        }
        if let Some(existing) = self.custody.periods[a.index()]
            .iter()
            .find(|c| c.period.overlaps(&period))
        {
            return Err(Error::CustodyOverlap {
                asset: asset.to_owned(),
                beneficiary: beneficiary.to_owned(),
                period: period.to_string(),
                existing_beneficiary: self.tenant_code(existing.beneficiary).to_owned(),
                existing: existing.period.to_string(),
            });
        }
        let list = &mut self.custody.periods[a.index()];
        let at = list.partition_point(|c| c.period.from < period.from);
        self.push_undo(crate::undo::Undo::CustodyInserted { asset: a, at });
        let list = &mut self.custody.periods[a.index()];
        list.insert(
            at,
            CustodyPeriod {
                beneficiary: b,
                period,
            },
        );
        self.reallocate_subtree(a, Some(period));
        self.log(
            Some(beneficiary.to_owned()),
            CustodyEvent::CustodyGranted {
                asset: asset.to_owned(),
                beneficiary: beneficiary.to_owned(),
                period,
            },
        );
        Ok(())
    }

    /// Closes the open-ended custody of `asset` on `last_day` (inclusive).
    ///
    /// Errors: [`Error::NothingToEnd`], [`Error::DatesOutOfOrder`].
    pub fn end_custody(&mut self, asset: &str, last_day: NaiveDate) -> Result<()> {
        let a = self.asset_id(asset)?;
        crate::period::check_date("last_day", last_day)?;
        let at = self.custody.periods[a.index()]
            .iter()
            .position(|c| c.period.to.is_none())
            .ok_or_else(|| Error::NothingToEnd {
                asset: asset.to_owned(),
                what: "custody",
            })?;
        let old = self.custody.periods[a.index()][at].period;
        let ended = Period::new(old.from, Some(last_day))?;
        self.push_undo(crate::undo::Undo::CustodyEnded {
            asset: a,
            at,
            period: old,
        });
        let open = &mut self.custody.periods[a.index()][at];
        open.period = ended;
        let beneficiary = open.beneficiary;
        self.reallocate_subtree(a, after(last_day));
        self.log(
            Some(self.tenant_code(beneficiary).to_owned()),
            CustodyEvent::CustodyEnded {
                asset: asset.to_owned(),
                last_day,
            },
        );
        Ok(())
    }

    /// The custody history of an asset, oldest first.
    pub fn custody_history(&self, asset: &str) -> Result<&[CustodyPeriod]> {
        Ok(&self.custody.periods[self.asset_id(asset)?.index()])
    }

    /// Records a sharing key on `asset` over `period`, with `weights` per tenant code.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::UnknownTenant`],
    /// [`Error::DuplicateKeyTenant`], [`Error::WeightsSumToZero`],
    /// [`Error::KeyOverlap`]. Nothing changes on error.
    pub fn set_sharing_key<S: AsRef<str>>(
        &mut self,
        asset: &str,
        basis: KeyBasis,
        period: Period,
        weights: &[(S, u64)],
    ) -> Result<()> {
        let a = self.asset_id(asset)?;
        Period::recorded(period.from, period.to)?;
        let mut shares = Vec::with_capacity(weights.len());
        for (code, weight) in weights {
            let (code, weight) = (code.as_ref(), *weight);
            let t = self.tenant_id(code)?;
            if shares.iter().any(|s: &PayerShare| s.tenant == t) {
                return Err(Error::DuplicateKeyTenant(code.to_owned()));
            }
            shares.push(PayerShare { tenant: t, weight });
        }
        if shares.iter().map(|s| u128::from(s.weight)).sum::<u128>() == 0 {
            return Err(Error::WeightsSumToZero {
                count: shares.len(),
            });
        }
        if let Some(existing) = self.custody.keys[a.index()]
            .iter()
            .find(|k| k.period.overlaps(&period))
        {
            return Err(Error::KeyOverlap {
                asset: asset.to_owned(),
                period: period.to_string(),
                existing: existing.period.to_string(),
            });
        }
        let tenants = self.tenants();
        shares.sort_by(|x, y| {
            tenants[x.tenant.index()]
                .code
                .cmp(&tenants[y.tenant.index()].code)
        });
        let list = &mut self.custody.keys[a.index()];
        let at = list.partition_point(|k| k.period.from < period.from);
        self.push_undo(crate::undo::Undo::KeyInserted { asset: a, at });
        let list = &mut self.custody.keys[a.index()];
        list.insert(
            at,
            SharingKey {
                basis,
                period,
                shares,
            },
        );
        self.reallocate_subtree(a, Some(period));
        self.log(
            self.owner_code(a),
            CustodyEvent::SharingKeySet {
                asset: asset.to_owned(),
                basis,
                period,
                weights: weights
                    .iter()
                    .map(|(t, w)| (t.as_ref().to_owned(), *w))
                    .collect(),
            },
        );
        Ok(())
    }

    /// Closes the open-ended sharing key of `asset` on `last_day` (inclusive).
    ///
    /// Errors: [`Error::NothingToEnd`], [`Error::DatesOutOfOrder`].
    pub fn end_sharing_key(&mut self, asset: &str, last_day: NaiveDate) -> Result<()> {
        let a = self.asset_id(asset)?;
        crate::period::check_date("last_day", last_day)?;
        let at = self.custody.keys[a.index()]
            .iter()
            .position(|k| k.period.to.is_none())
            .ok_or_else(|| Error::NothingToEnd {
                asset: asset.to_owned(),
                what: "sharing key",
            })?;
        let old = self.custody.keys[a.index()][at].period;
        let ended = Period::new(old.from, Some(last_day))?;
        self.push_undo(crate::undo::Undo::KeyEnded {
            asset: a,
            at,
            period: old,
        });
        self.custody.keys[a.index()][at].period = ended;
        self.reallocate_subtree(a, after(last_day));
        self.log(
            self.owner_code(a),
            CustodyEvent::SharingKeyEnded {
                asset: asset.to_owned(),
                last_day,
            },
        );
        Ok(())
    }

    /// The sharing keys recorded on an asset itself (not inherited), oldest first.
    pub fn sharing_keys(&self, asset: &str) -> Result<&[SharingKey]> {
        Ok(&self.custody.keys[self.asset_id(asset)?.index()])
    }

    /// The holder of an asset on a date: the custody beneficiary, else the owner.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::OutsideAssetLife`].
    pub fn holder(&self, asset: &str, date: NaiveDate) -> Result<Holder> {
        self.holder_of(self.asset_id(asset)?, date)
    }

    /// [`Mutualis::holder`] by dense id.
    pub fn holder_of(&self, asset: AssetId, date: NaiveDate) -> Result<Holder> {
        self.asset_by_id(asset)?;
        self.check_in_service(asset, date)?;
        let owner = self.owner_at(asset, date);
        for x in self.ancestors_and_self(asset) {
            if self.owner_at(x, date) != owner {
                break;
            }
            if let Some(c) = find_period(&self.custody.periods[x.index()], date, |c| &c.period) {
                return Ok(Holder {
                    tenant: c.beneficiary,
                    source: PayerSource::Custody { asset: x },
                });
            }
        }
        Ok(Holder {
            tenant: owner,
            source: PayerSource::Owner,
        })
    }

    /// Who pays for a cost on `asset` at `date` (DOMAIN §4 steps 1–2).
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::OutsideAssetLife`].
    pub fn payers(&self, asset: &str, date: NaiveDate) -> Result<Payers> {
        self.payers_of(self.asset_id(asset)?, date)
    }

    /// [`Mutualis::payers`] by dense id.
    pub fn payers_of(&self, asset: AssetId, date: NaiveDate) -> Result<Payers> {
        self.asset_by_id(asset)?;
        self.check_in_service(asset, date)?;
        for x in self.ancestors_and_self(asset) {
            if let Some(k) = find_period(&self.custody.keys[x.index()], date, |k| &k.period) {
                return Ok(Payers {
                    source: PayerSource::SharingKey { asset: x },
                    shares: k.shares.iter().copied().filter(|s| s.weight > 0).collect(),
                });
            }
        }
        let h = self.holder_of(asset, date)?;
        Ok(Payers {
            source: h.source,
            shares: vec![PayerShare {
                tenant: h.tenant,
                weight: 1,
            }],
        })
    }

    /// Who pays on `asset` at `day` (a day number), without allocating: the
    /// key's location, or the single payer. The asset must exist; the date is
    /// not checked against its life (recorded lines always are within it).
    pub(crate) fn payer_ref(&self, asset: AssetId, date: NaiveDate) -> PayerRef {
        for x in self.ancestors_and_self(asset) {
            let keys = &self.custody.keys[x.index()];
            let idx = keys.partition_point(|k| k.period.from <= date);
            if let Some(k) = idx.checked_sub(1) {
                if keys[k].period.contains(date) {
                    return PayerRef::Key { asset: x, key: k };
                }
            }
        }
        let owner = self.owner_at(asset, date);
        for x in self.ancestors_and_self(asset) {
            if self.owner_at(x, date) != owner {
                break;
            }
            if let Some(c) = find_period(&self.custody.periods[x.index()], date, |c| &c.period) {
                return PayerRef::Single(c.beneficiary);
            }
        }
        PayerRef::Single(owner)
    }

    /// Who pays on `asset` at `date` ([`Mutualis::payer_ref`]) and the
    /// days (first, last; day numbers) around `date` over which that
    /// answer cannot change: no sharing key, custody period or transfer of
    /// the asset or an ancestor starts or ends inside them. Bulk ingestion
    /// reuses the answer for the asset's other lines in that span.
    pub(crate) fn payer_span(&self, asset: AssetId, date: NaiveDate) -> (PayerRef, i32, i32) {
        use crate::lines::day_of;
        let day = day_of(date);
        let mut span = (i32::MIN, i32::MAX);
        // a change starts on day `b`: the span stays on one side of it
        let cut = |span: &mut (i32, i32), b: i32| {
            if b <= day {
                span.0 = span.0.max(b);
            } else {
                span.1 = span.1.min(b - 1);
            }
        };
        let period = |span: &mut (i32, i32), p: &Period| {
            cut(span, day_of(p.from));
            if let Some(to) = p.to {
                cut(span, day_of(to).saturating_add(1));
            }
        };
        for x in self.ancestors_and_self(asset) {
            for k in &self.custody.keys[x.index()] {
                period(&mut span, &k.period);
            }
            for c in &self.custody.periods[x.index()] {
                period(&mut span, &c.period);
            }
            for t in self.transfers.of(x) {
                cut(&mut span, day_of(t.from));
            }
        }
        let (lo, hi) = span;
        (self.payer_ref(asset, date), lo, hi)
    }

    /// The shares of the key a [`PayerRef::Key`] points to (zero weights included).
    pub(crate) fn key_shares(&self, asset: AssetId, key: usize) -> &[PayerShare] {
        &self.custody.keys[asset.index()][key].shares
    }

    /// Splits a cost of `amount` (whole cents) on `asset` at `date` between its payers.
    pub fn split_cost(
        &self,
        asset: &str,
        date: NaiveDate,
        amount: Decimal,
    ) -> Result<Vec<(TenantId, Decimal)>> {
        self.payers(asset, date)?.split(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetKind, NewAsset, NewTenant, TenantKind};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap()
    }

    fn seed() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::new(
            "AGGLO",
            "Agglo",
            TenantKind::CommunauteDAgglomeration,
            "200035731",
        ))
        .unwrap();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
            .unwrap();
        m.add_asset(NewAsset::new(
            "GYM",
            "Gymnase",
            AssetKind::Building,
            "ROANNE",
            d(1975, 9, 1),
        ))
        .unwrap();
        m.add_asset(
            NewAsset::new(
                "GYM-BOILER",
                "Chaudière",
                AssetKind::Equipment,
                "ROANNE",
                d(2010, 1, 1),
            )
            .under("GYM"),
        )
        .unwrap();
        m.add_asset(
            NewAsset::new(
                "GYM-SCORE",
                "Tableau (agglo)",
                AssetKind::Equipment,
                "AGGLO",
                d(2010, 1, 1),
            )
            .under("GYM"),
        )
        .unwrap();
        m.add_asset(NewAsset::new(
            "HQ",
            "Hôtel de ville",
            AssetKind::Building,
            "ROANNE",
            d(1900, 1, 1),
        ))
        .unwrap();
        m.add_asset(
            NewAsset::new(
                "HQ-F1",
                "Étage 1",
                AssetKind::Floor,
                "ROANNE",
                d(1900, 1, 1),
            )
            .under("HQ"),
        )
        .unwrap();
        m
    }

    #[test]
    fn custody_boundaries_and_inheritance() {
        let mut m = seed();
        m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
            .unwrap();
        let agglo = m.tenant_id("AGGLO").unwrap();
        let roanne = m.tenant_id("ROANNE").unwrap();
        assert_eq!(m.holder("GYM", d(2018, 12, 31)).unwrap().tenant, roanne);
        assert_eq!(m.holder("GYM", d(2019, 1, 1)).unwrap().tenant, agglo);
        // inherited by a same-owner descendant
        let h = m.holder("GYM-BOILER", d(2026, 3, 12)).unwrap();
        assert_eq!(h.tenant, agglo);
        assert_eq!(
            h.source,
            PayerSource::Custody {
                asset: m.asset_id("GYM").unwrap()
            }
        );
        m.end_custody("GYM", d(2026, 6, 30)).unwrap();
        assert_eq!(m.holder("GYM", d(2026, 6, 30)).unwrap().tenant, agglo);
        assert_eq!(m.holder("GYM", d(2026, 7, 1)).unwrap().tenant, roanne);
        assert!(matches!(
            m.end_custody("GYM", d(2027, 1, 1)),
            Err(Error::NothingToEnd { .. })
        ));
        // history kept
        assert_eq!(m.custody_history("GYM").unwrap().len(), 1);
    }

    #[test]
    fn custody_refusals_change_nothing() {
        let mut m = seed();
        m.grant_custody(
            "GYM",
            "AGGLO",
            Period::new(d(2019, 1, 1), Some(d(2020, 12, 31))).unwrap(),
        )
        .unwrap();
        let before = m.clone();
        let overlapping = Period::new(d(2020, 12, 31), None).unwrap();
        assert!(matches!(
            m.grant_custody("GYM", "MABLY", overlapping),
            Err(Error::CustodyOverlap { .. })
        ));
        assert!(matches!(
            m.grant_custody("GYM", "ROANNE", Period::starting(d(2021, 1, 1))),
            Err(Error::CustodyToOwner { .. })
        ));
        let reversed = Period {
            from: d(2022, 1, 1),
            to: Some(d(2021, 1, 1)),
        };
        assert!(matches!(
            m.grant_custody("GYM", "AGGLO", reversed),
            Err(Error::DatesOutOfOrder { .. })
        ));
        assert_eq!(
            m.grant_custody("NOPE", "AGGLO", overlapping),
            Err(Error::UnknownAsset("NOPE".into()))
        );
        assert!(matches!(
            m.holder("GYM", d(1970, 1, 1)),
            Err(Error::OutsideAssetLife { .. })
        ));
        assert_eq!(m, before);
        // an adjacent period is fine, and comes back sorted
        m.grant_custody("GYM", "MABLY", Period::starting(d(2021, 1, 1)))
            .unwrap();
        m.grant_custody(
            "GYM",
            "MABLY",
            Period::new(d(2000, 1, 1), Some(d(2000, 12, 31))).unwrap(),
        )
        .unwrap();
        let froms: Vec<_> = m
            .custody_history("GYM")
            .unwrap()
            .iter()
            .map(|c| c.period.from)
            .collect();
        assert_eq!(froms, [d(2000, 1, 1), d(2019, 1, 1), d(2021, 1, 1)]);
    }

    #[test]
    fn custody_does_not_cross_owners() {
        let mut m = seed();
        m.grant_custody("GYM", "MABLY", Period::starting(d(2019, 1, 1)))
            .unwrap();
        // GYM-SCORE is AGGLO's own equipment inside ROANNE's building
        assert_eq!(
            m.holder("GYM-SCORE", d(2020, 1, 1)).unwrap().tenant,
            m.tenant_id("AGGLO").unwrap()
        );
    }

    #[test]
    fn keys_inherit_and_override() {
        let mut m = seed();
        let p = Period::starting(d(2020, 1, 1));
        m.set_sharing_key(
            "HQ",
            KeyBasis::FloorArea,
            p,
            &[("ROANNE", 4000), ("AGGLO", 6000)],
        )
        .unwrap();
        let payers = m.payers("HQ-F1", d(2026, 1, 1)).unwrap();
        assert_eq!(
            payers.source,
            PayerSource::SharingKey {
                asset: m.asset_id("HQ").unwrap()
            }
        );
        // sorted by tenant code: AGGLO first
        let split = payers.split(dec!(0.01)).unwrap();
        assert_eq!(
            split,
            vec![
                (m.tenant_id("AGGLO").unwrap(), dec!(0.01)),
                (m.tenant_id("ROANNE").unwrap(), dec!(0.00))
            ]
        );
        // a floor key over 2026 overrides the building key, only then
        let p26 = Period::new(d(2026, 1, 1), Some(d(2026, 12, 31))).unwrap();
        m.set_sharing_key("HQ-F1", KeyBasis::Headcount, p26, &[("MABLY", 1)])
            .unwrap();
        assert_eq!(
            m.payers("HQ-F1", d(2026, 5, 1)).unwrap().shares[0].tenant,
            m.tenant_id("MABLY").unwrap()
        );
        assert_eq!(m.payers("HQ-F1", d(2027, 1, 1)).unwrap().shares.len(), 2);
        // before any key: the owner
        let before = m.payers("HQ-F1", d(2019, 12, 31)).unwrap();
        assert_eq!(before.source, PayerSource::Owner);
        // key change mid-year: close, then reopen with new weights
        m.end_sharing_key("HQ", d(2026, 6, 30)).unwrap();
        m.set_sharing_key(
            "HQ",
            KeyBasis::FloorArea,
            Period::starting(d(2026, 7, 1)),
            &[("ROANNE", 1), ("AGGLO", 0)],
        )
        .unwrap();
        let july = m.payers("HQ", d(2026, 7, 1)).unwrap();
        assert_eq!(
            july.shares,
            vec![PayerShare {
                tenant: m.tenant_id("ROANNE").unwrap(),
                weight: 1
            }]
        );
        let june = m.payers("HQ", d(2026, 6, 30)).unwrap();
        assert_eq!(june.shares.len(), 2);
    }

    #[test]
    fn key_refusals_change_nothing() {
        let mut m = seed();
        let p = Period::starting(d(2020, 1, 1));
        m.set_sharing_key("HQ", KeyBasis::Agreed, p, &[("ROANNE", 1), ("AGGLO", 1)])
            .unwrap();
        let before = m.clone();
        assert_eq!(
            m.set_sharing_key("HQ-F1", KeyBasis::Agreed, p, &[("ROANNE", 0), ("AGGLO", 0)]),
            Err(Error::WeightsSumToZero { count: 2 })
        );
        assert_eq!(
            m.set_sharing_key("HQ-F1", KeyBasis::Agreed, p, &[] as &[(&str, u64)]),
            Err(Error::WeightsSumToZero { count: 0 })
        );
        assert_eq!(
            m.set_sharing_key(
                "HQ-F1",
                KeyBasis::Agreed,
                p,
                &[("ROANNE", 1), ("ROANNE", 2)]
            ),
            Err(Error::DuplicateKeyTenant("ROANNE".into()))
        );
        assert_eq!(
            m.set_sharing_key("HQ-F1", KeyBasis::Agreed, p, &[("NOPE", 1)]),
            Err(Error::UnknownTenant("NOPE".into()))
        );
        assert!(matches!(
            m.set_sharing_key(
                "HQ",
                KeyBasis::Agreed,
                Period::starting(d(2025, 1, 1)),
                &[("ROANNE", 1)]
            ),
            Err(Error::KeyOverlap { .. })
        ));
        assert_eq!(m, before);
    }

    proptest! {
        /// Who pays is the same on every day of the span `payer_span` gives,
        /// whatever the keys, custody periods and transfers of the asset
        /// and its parent.
        #[test]
        fn the_payer_is_the_same_over_its_span(
            periods in prop::collection::vec((0u32..3, 0u32..900, 0u32..200, any::<bool>()), 0..10),
            transfer in prop::option::of(0u32..900),
            probe in 0u32..1000,
        ) {
            use crate::lines::date_of;
            let mut m = seed();
            let base = d(2020, 1, 1);
            for (i, (what, s, len, open)) in periods.into_iter().enumerate() {
                let from = base + chrono::Days::new(u64::from(s));
                let to = if open { None } else { Some(from + chrono::Days::new(u64::from(len))) };
                let p = Period::new(from, to).unwrap();
                let (asset, who) = if i % 2 == 0 { ("GYM", "AGGLO") } else { ("GYM-BOILER", "MABLY") };
                // refused ones (overlaps) change nothing
                let _ = match what {
                    0 => m.grant_custody(asset, who, p),
                    _ => m.set_sharing_key(asset, KeyBasis::FloorArea, p, &[("AGGLO", 1), (who, 2)]),
                };
            }
            if let Some(t) = transfer {
                let _ = m.transfer_ownership("GYM", "AGGLO", base + chrono::Days::new(u64::from(t)));
            }
            let a = m.asset_id("GYM-BOILER").unwrap();
            let day = base + chrono::Days::new(u64::from(probe));
            let (r, lo, hi) = m.payer_span(a, day);
            let n = crate::lines::day_of(day);
            prop_assert!(lo <= n && n <= hi);
            prop_assert_eq!(r, m.payer_ref(a, day));
            let (lo, hi) = (lo.max(n - 2000), hi.min(n + 2000));
            for probe in [lo, hi, lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3] {
                prop_assert_eq!(m.payer_ref(a, date_of(probe)), r, "day {}", probe);
            }
        }

        /// For any sequence of non-overlapping custody periods, the holder on any
        /// day is the beneficiary of the unique period containing it, else the owner.
        #[test]
        fn holder_matches_linear_scan(starts in prop::collection::vec((0u32..400, 0u32..40, any::<bool>()), 0..12),
                                      probe in 0u32..500) {
            let mut m = seed();
            let base = d(2020, 1, 1);
            let mut accepted: Vec<(Period, &str)> = Vec::new();
            for (i, (s, len, open)) in starts.into_iter().enumerate() {
                let from = base + chrono::Days::new(u64::from(s));
                let to = if open { None } else { Some(from + chrono::Days::new(u64::from(len))) };
                let who = if i % 2 == 0 { "AGGLO" } else { "MABLY" };
                let p = Period::new(from, to).unwrap();
                let clash = accepted.iter().any(|(q, _)| q.overlaps(&p));
                let r = m.grant_custody("GYM", who, p);
                prop_assert_eq!(r.is_err(), clash);
                if !clash { accepted.push((p, who)); }
            }
            let day = base + chrono::Days::new(u64::from(probe));
            let expected = accepted.iter().find(|(p, _)| p.contains(day)).map_or("ROANNE", |(_, w)| *w);
            let got = m.holder("GYM", day).unwrap().tenant;
            prop_assert_eq!(m.tenant_code(got), expected);
        }
    }
}
