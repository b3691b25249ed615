//! Transfers of ownership (transferts de propriété): from a date, an asset
//! has a new owner (a sale between collectivités, a transfer in full
//! ownership of a zone d'activité to the agglomeration, CGCT L5211-17).
//!
//! Unlike a mise à disposition (custody, [`crate::custody`]), the title
//! itself moves. History is kept, never rewritten: an asset's transfers are
//! appended in date order, each from its first day (inclusive). The owner on
//! a date is the new owner of the last transfer dated on or before it, else
//! the owner recorded when the asset was added ([`crate::Asset::owner`]).
//! Payers follow: a line on the asset is paid by the owner on the line's date
//! (unless a custody or a sharing key decides otherwise), so a transfer
//! splits a year's costs between the two owners at its date, and the lines
//! already recorded from that date are re-allocated.
//!
//! A transfer moves the asset and every descendant that had the same owner
//! on that date (a building goes with its floors, rooms and equipment; a
//! descendant owned by someone else stays theirs).
//!
//! ```
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, TenantKind};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("ZAE", "Zone d'activité", AssetKind::Site, "ROANNE", d(1990, 1, 1))).unwrap();
//! m.transfer_ownership("ZAE", "AGGLO", d(2026, 7, 1)).unwrap();
//! assert_eq!(m.tenant_code(m.owner_on("ZAE", d(2026, 6, 30)).unwrap()), "ROANNE");
//! assert_eq!(m.tenant_code(m.owner_on("ZAE", d(2026, 7, 1)).unwrap()), "AGGLO");
//! ```

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::ids::{AssetId, TenantId};
use crate::period::Period;
use crate::Mutualis;

pub mod events;
pub use events::OwnershipEvent;

/// One transfer of ownership of an asset: `owner` holds title from `from`
/// (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    /// The new owner.
    pub owner: TenantId,
    /// First day of the new ownership.
    pub from: NaiveDate,
}

/// [`Error::TransferRefused`] for a transfer of `asset` to `owner` from `from`.
fn refused(asset: &str, owner: &str, from: NaiveDate, reason: String) -> Error {
    Error::TransferRefused {
        asset: asset.to_owned(),
        owner: owner.to_owned(),
        from,
        reason,
    }
}

/// The ownership domain's state: the transfers of each asset (index = asset
/// id), in date order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Transfers {
    lists: Vec<Vec<Transfer>>,
}

impl Transfers {
    /// Opens the (empty) history of a new asset.
    pub(crate) fn push_asset(&mut self) {
        self.lists.push(Vec::new());
    }

    /// Drops the histories of the assets after the first `assets`.
    pub(crate) fn truncate(&mut self, assets: usize) {
        self.lists.truncate(assets);
    }

    /// The transfers of `asset`, oldest first (empty for an unknown id).
    pub(crate) fn of(&self, asset: AssetId) -> &[Transfer] {
        self.lists.get(asset.index()).map_or(&[], Vec::as_slice)
    }

    /// Removes the last transfer of `asset` (undo of a transfer).
    pub(crate) fn pop(&mut self, asset: AssetId) {
        if let Some(list) = self.lists.get_mut(asset.index()) {
            list.pop();
        }
    }
}

impl Mutualis {
    /// Transfers the ownership of `asset` to `owner` from `from`
    /// (inclusive), with every descendant that had the asset's owner on that
    /// date; returns the assets transferred (the asset first). Lines already
    /// recorded on them from that date are re-allocated.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::UnknownTenant`], [`Error::YearOutOfRange`],
    /// [`Error::OutsideAssetLife`] (the asset is not in service on `from`),
    /// [`Error::TransferRefused`] (`owner` already owns it on `from`, or a
    /// transferred asset has a transfer on or after `from`),
    /// [`Error::CustodyToOwner`] (a custody of a transferred asset from
    /// `from` on is to the new owner: end it first).
    pub fn transfer_ownership(
        &mut self,
        asset: &str,
        owner: &str,
        from: NaiveDate,
    ) -> Result<Vec<AssetId>> {
        let a = self.asset_id(asset)?;
        let to = self.tenant_id(owner)?;
        crate::period::check_date("from", from)?;
        self.check_in_service(a, from)?;
        let previous = self.owner_at(a, from);
        let refused = |reason| refused(asset, owner, from, reason);
        if previous == to {
            return Err(refused(format!("{owner} already owns it on {from}")));
        }
        // the asset and its descendants owned by the same tenant on that date
        let mut moved = vec![a];
        let mut i = 0;
        while let Some(&x) = moved.get(i) {
            i += 1;
            for &c in self.patrimoine.children_of(x) {
                if self.owner_at(c, from) == previous {
                    moved.push(c);
                }
            }
        }
        let after = Period::starting(from);
        for &x in &moved {
            if let Some(last) = self.transferred_since(x, from) {
                return Err(refused(format!(
                    "{} was already transferred from {last} (transfers are recorded in date order)",
                    self.asset_code(x)
                )));
            }
            if self
                .custody
                .periods_of(x)
                .iter()
                .any(|c| c.beneficiary == to && c.period.overlaps(&after))
            {
                return Err(Error::CustodyToOwner {
                    asset: self.asset_code(x).to_owned(),
                    owner: owner.to_owned(),
                });
            }
        }
        for &x in &moved {
            self.push_undo(crate::undo::Undo::Transferred { asset: x });
            self.transfers.lists[x.index()].push(Transfer { owner: to, from });
        }
        self.reallocate_subtree(a, Some(after));
        self.log(
            Some(owner.to_owned()),
            OwnershipEvent::OwnershipTransferred {
                asset: asset.to_owned(),
                owner: owner.to_owned(),
                from,
            },
        );
        Ok(moved)
    }

    /// The owner of `asset` on `date` (whether or not it is in service then).
    ///
    /// Errors: [`Error::UnknownAsset`].
    pub fn owner_on(&self, asset: &str, date: NaiveDate) -> Result<TenantId> {
        Ok(self.owner_at(self.asset_id(asset)?, date))
    }

    /// The transfers of ownership of `asset`, oldest first (empty when it
    /// never changed hands: its owner is [`crate::Asset::owner`]).
    ///
    /// Errors: [`Error::UnknownAsset`].
    pub fn ownership_history(&self, asset: &str) -> Result<&[Transfer]> {
        Ok(self.transfers.of(self.asset_id(asset)?))
    }

    /// The date of the asset's last transfer when it is on or after `from`
    /// (a new transfer must come after it).
    fn transferred_since(&self, a: AssetId, from: NaiveDate) -> Option<NaiveDate> {
        self.transfers
            .of(a)
            .last()
            .map(|t| t.from)
            .filter(|&last| last >= from)
    }

    /// The owner of an existing asset on `date`.
    pub(crate) fn owner_at(&self, a: AssetId, date: NaiveDate) -> TenantId {
        let first = self.assets()[a.index()].owner;
        let list = self.transfers.of(a);
        match list.partition_point(|t| t.from <= date) {
            0 => first,
            n => list[n - 1].owner,
        }
    }

    /// The owner of an existing asset after its last transfer.
    pub(crate) fn latest_owner(&self, a: AssetId) -> TenantId {
        self.transfers
            .of(a)
            .last()
            .map_or(self.assets()[a.index()].owner, |t| t.owner)
    }

    /// True when `tenant` owns the existing asset on some day of `period`.
    pub(crate) fn owns_during(&self, a: AssetId, tenant: TenantId, period: &Period) -> bool {
        let list = self.transfers.of(a);
        let mut owner = self.assets()[a.index()].owner;
        let mut start = None::<NaiveDate>;
        for t in list {
            // `owner` holds title over [start, t.from - 1]
            let segment = Period {
                from: start.unwrap_or(NaiveDate::MIN),
                to: t.from.pred_opt(),
            };
            if owner == tenant && segment.overlaps(period) {
                return true;
            }
            owner = t.owner;
            start = Some(t.from);
        }
        let last = Period {
            from: start.unwrap_or(NaiveDate::MIN),
            to: None,
        };
        owner == tenant && last.overlaps(period)
    }

    /// Restores a transfer of one asset as it was recorded (dataset
    /// loading): the same checks as [`Mutualis::transfer_ownership`] for
    /// that asset alone, without its descendants.
    pub(crate) fn restore_transfer(
        &mut self,
        asset: &str,
        owner: &str,
        from: NaiveDate,
    ) -> Result<()> {
        let a = self.asset_id(asset)?;
        let to = self.tenant_id(owner)?;
        crate::period::check_date("from", from)?;
        let refused = |reason| refused(asset, owner, from, reason);
        if self.owner_at(a, from) == to {
            return Err(refused(format!("{owner} already owns it on {from}")));
        }
        if let Some(last) = self.transferred_since(a, from) {
            return Err(refused(format!(
                "it was already transferred from {last} (transfers are recorded in date order)"
            )));
        }
        self.transfers.lists[a.index()].push(Transfer { owner: to, from });
        self.reallocate_subtree(a, Some(Period::starting(from)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AssetKind, CostInput, NewAsset, NewTenant, NewWorkOrder, TenantKind, WorkOrderStatus,
    };
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, j).unwrap()
    }

    /// ROANNE owns a site with a building and a room, and MABLY an
    /// equipment in the building; a ROANNE régie works on the room.
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
        let a = |code: &str, owner: &str| {
            NewAsset::new(code, code, AssetKind::Building, owner, d(2000, 1, 1))
        };
        m.add_asset(a("SITE", "ROANNE")).unwrap();
        m.add_asset(a("HALL", "ROANNE").under("SITE")).unwrap();
        m.add_asset(a("ROOM", "ROANNE").under("HALL")).unwrap();
        m.add_asset(a("SCORE", "MABLY").under("HALL")).unwrap();
        m.add_team("T", "ROANNE", "Régie", None).unwrap();
        m.set_labour_rate("ROANNE", 2026, None, None, dec!(40))
            .unwrap();
        m.create_work_order(NewWorkOrder::by_team("W", "Entretien", "ROOM", "T"))
            .unwrap();
        m.set_work_order_status(
            "W",
            WorkOrderStatus::InProgress,
            chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        )
        .unwrap();
        m
    }

    fn paid_by(m: &Mutualis, tenant: &str) -> rust_decimal::Decimal {
        let t = m.tenant_id(tenant).unwrap();
        m.cost_lines()
            .iter()
            .flat_map(|l| m.line_charges(&l).unwrap())
            .filter(|c| c.tenant == t)
            .map(|c| c.amounts.ttc)
            .sum()
    }

    #[test]
    fn a_transfer_splits_a_year_between_the_owners_at_its_date() {
        let mut m = seed();
        // recorded before the transfer: re-allocated by it
        m.record_cost("W", CostInput::labour(d(2026, 6, 30), dec!(2), 1))
            .unwrap();
        m.record_cost("W", CostInput::labour(d(2026, 7, 1), dec!(3), 1))
            .unwrap();
        let moved = m
            .transfer_ownership("SITE", "AGGLO", d(2026, 7, 1))
            .unwrap();
        let codes: Vec<&str> = moved.iter().map(|&a| m.asset_code(a)).collect();
        assert_eq!(codes, ["SITE", "HALL", "ROOM"]); // not MABLY's equipment
        assert_eq!(paid_by(&m, "ROANNE"), dec!(80.00)); // up to 30 June
        assert_eq!(paid_by(&m, "AGGLO"), dec!(120.00)); // from 1 July, inclusive
        m.record_cost("W", CostInput::labour(d(2026, 12, 31), dec!(1), 1))
            .unwrap();
        assert_eq!(paid_by(&m, "AGGLO"), dec!(160.00));
        let mably = m.tenant_id("MABLY").unwrap();
        assert_eq!(m.owner_on("SCORE", d(2027, 1, 1)).unwrap(), mably);
        let agglo = m.tenant_id("AGGLO").unwrap();
        assert_eq!(
            m.ownership_history("ROOM").unwrap(),
            &[Transfer {
                owner: agglo,
                from: d(2026, 7, 1)
            }]
        );
        // the registry's own exports reload to the same registry
        assert_eq!(Mutualis::from_json(&m.to_json()).unwrap(), m);
        assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    }

    #[test]
    fn refused_transfers_change_nothing() {
        let mut m = seed();
        m.transfer_ownership("HALL", "AGGLO", d(2026, 1, 1))
            .unwrap();
        m.grant_custody("SITE", "MABLY", Period::starting(d(2026, 1, 1)))
            .unwrap();
        let before = m.clone();
        let n = m.journal().len();
        let cases = [
            ("HALL", "AGGLO", d(2027, 1, 1), "transfer_refused"), // already owns it
            ("HALL", "ROANNE", d(2025, 6, 1), "transfer_refused"), // not after the last
            ("ROOM", "MABLY", d(2025, 12, 31), "transfer_refused"), // ROOM moved with HALL in 2026
            ("SITE", "MABLY", d(2027, 1, 1), "custody_to_owner"), // MABLY holds it in custody
            ("SITE", "AGGLO", d(1999, 1, 1), "outside_asset_life"),
            ("SITE", "AGGLO", d(3000, 1, 1), "year_out_of_range"),
            ("NOPE", "AGGLO", d(2026, 1, 1), "unknown_asset"),
            ("SITE", "NOPE", d(2026, 1, 1), "unknown_tenant"),
        ];
        for (asset, owner, from, kind) in cases {
            let e = m.transfer_ownership(asset, owner, from).unwrap_err();
            assert_eq!(e.kind(), kind, "{asset} → {owner} from {from}: {e}");
            assert_eq!(m, before);
            assert_eq!(m.journal().len(), n);
        }
    }

    #[test]
    fn custody_is_never_to_the_owner_of_the_day() {
        let mut m = seed();
        m.transfer_ownership("SITE", "AGGLO", d(2026, 7, 1))
            .unwrap();
        // AGGLO owns the site from July: custody to AGGLO over June–August refused
        let e = m
            .grant_custody(
                "SITE",
                "AGGLO",
                Period::new(d(2026, 6, 1), Some(d(2026, 8, 31))).unwrap(),
            )
            .unwrap_err();
        assert_eq!(e.kind(), "custody_to_owner");
        // ROANNE no longer owns it from July: custody to ROANNE from then is fine
        m.grant_custody("SITE", "ROANNE", Period::starting(d(2026, 7, 1)))
            .unwrap();
        let roanne = m.tenant_id("ROANNE").unwrap();
        assert_eq!(m.holder("ROOM", d(2026, 9, 1)).unwrap().tenant, roanne);
        // and before July ROANNE, the owner, cannot be given custody
        let e = m
            .grant_custody(
                "HALL",
                "ROANNE",
                Period::new(d(2026, 1, 1), Some(d(2026, 6, 30))).unwrap(),
            )
            .unwrap_err();
        assert_eq!(e.kind(), "custody_to_owner");
    }

    #[test]
    fn a_checkpoint_undoes_a_transfer() {
        let mut m = seed();
        m.record_cost("W", CostInput::labour(d(2026, 9, 1), dec!(1), 1))
            .unwrap();
        let before = m.clone();
        let cp = m.checkpoint();
        m.transfer_ownership("SITE", "AGGLO", d(2026, 7, 1))
            .unwrap();
        assert_eq!(paid_by(&m, "AGGLO"), dec!(40.00));
        m.rollback(cp).unwrap();
        assert_eq!(m, before);
        assert_eq!(paid_by(&m, "AGGLO"), dec!(0));
    }
}
