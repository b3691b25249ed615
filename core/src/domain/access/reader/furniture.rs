//! The furniture inventory's queries on a [`Reader`]: an item is read as
//! its asset is (`assets:read` on a scope covering the item's asset on the
//! registry clock's date), a campaign as its building or site.
//!
//! A **lookup** (an item, its moves, a campaign's report or scans) answers
//! [`crate::Error::Forbidden`] when not covered; a **list** (the register,
//! the loans, the items in a location, the campaigns) keeps what is covered.

use chrono::NaiveDate;

use super::super::{Area, Target};
use super::Reader;
use crate::error::Result;
use crate::furniture::{
    Campaign, CampaignReport, FurnitureItem, FurnitureLoan, FurnitureMove, Scan,
};

impl<'a> Reader<'a> {
    /// True when the principal reads asset `a` today.
    fn sees_asset(&self, a: crate::AssetId) -> bool {
        self.sees(Area::Assets, Target::Asset(a), self.today())
    }

    /// [`crate::Mutualis::furniture`]: the items the principal sees.
    #[must_use]
    pub fn furniture(&self) -> Vec<&'a FurnitureItem> {
        self.m
            .furniture()
            .iter()
            .filter(|i| self.sees_asset(i.asset))
            .collect()
    }

    /// [`crate::Mutualis::furniture_item`], if the principal sees it.
    ///
    /// Errors: as [`crate::Mutualis::furniture_item`], [`crate::Error::Forbidden`].
    pub fn furniture_item(&self, number: &str) -> Result<&'a FurnitureItem> {
        let i = self.m.furniture_item(number)?;
        self.check(Area::Assets, Target::Asset(i.asset), "furniture_item")?;
        Ok(i)
    }

    /// [`crate::Mutualis::furniture_moves`] of an item the principal sees.
    ///
    /// Errors: as [`crate::Mutualis::furniture_moves`], [`crate::Error::Forbidden`].
    pub fn furniture_moves(&self, number: &str) -> Result<&'a [FurnitureMove]> {
        let i = self.m.furniture_item(number)?;
        self.check(Area::Assets, Target::Asset(i.asset), "furniture_moves")?;
        self.m.furniture_moves(number)
    }

    /// [`crate::Mutualis::furniture_loans`]: the loans of items the principal sees.
    #[must_use]
    pub fn furniture_loans(&self) -> Vec<&'a FurnitureLoan> {
        self.m
            .furniture_loans()
            .into_iter()
            .filter(|l| self.sees_asset(l.item))
            .collect()
    }

    /// [`crate::Mutualis::furniture_in`]: the items the principal sees in a
    /// location it reads.
    ///
    /// Errors: as [`crate::Mutualis::furniture_in`], [`crate::Error::Forbidden`].
    pub fn furniture_in(&self, location: &str, date: NaiveDate) -> Result<Vec<&'a FurnitureItem>> {
        let a = self.m.asset_id(location)?;
        self.check(Area::Assets, Target::Asset(a), "furniture_in")?;
        Ok(self
            .m
            .furniture_in(location, date)?
            .into_iter()
            .filter(|i| self.sees_asset(i.asset))
            .collect())
    }

    /// [`crate::Mutualis::campaigns`]: those on a building or site the
    /// principal reads.
    #[must_use]
    pub fn campaigns(&self) -> Vec<&'a Campaign> {
        self.m
            .campaigns()
            .iter()
            .filter(|c| self.sees_asset(c.scope))
            .collect()
    }

    /// [`crate::Mutualis::campaign_report`], if the principal reads the
    /// campaign's building or site.
    ///
    /// Errors: as [`crate::Mutualis::campaign_report`], [`crate::Error::Forbidden`].
    pub fn campaign_report(&self, code: &str) -> Result<CampaignReport> {
        let c = self.m.campaign(code)?;
        self.check(Area::Assets, Target::Asset(c.scope), "campaign_report")?;
        self.m.campaign_report(code)
    }

    /// [`crate::Mutualis::campaign_scans`], if the principal reads the
    /// campaign's building or site.
    ///
    /// Errors: as [`crate::Mutualis::campaign_scans`], [`crate::Error::Forbidden`].
    pub fn campaign_scans(&self, code: &str) -> Result<&'a [Scan]> {
        let c = self.m.campaign(code)?;
        self.check(Area::Assets, Target::Asset(c.scope), "campaign_scans")?;
        self.m.campaign_scans(code)
    }
}
