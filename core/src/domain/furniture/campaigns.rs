//! Inventory campaigns (récolement): opened on a building or site, scans
//! recorded, closed (optionally applying the findings), and the report.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    not_a_location, Campaign, CampaignLine, CampaignReport, Finding, FurnitureEvent, FurnitureUndo,
    RoomCount, Scan, CAMPAIGN_KINDS,
};
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::Mutualis;

use super::register::check_inventory_number;

impl Mutualis {
    /// The position of campaign `code`.
    fn campaign_index(&self, code: &str) -> Result<usize> {
        self.furniture
            .campaign_index
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownCampaign(code.to_owned()))
    }

    /// Opens an inventory campaign on a building or site on `date`: the
    /// items expected are those located in its subtree and not reformed on
    /// that date (computed by the report from the items' histories).
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`],
    /// [`Error::DuplicateCampaign`], [`Error::UnknownAsset`],
    /// [`Error::NotALocation`] (not a building or site),
    /// [`Error::OutsideAssetLife`], [`Error::YearOutOfRange`].
    pub fn open_campaign(&mut self, code: &str, scope: &str, date: NaiveDate) -> Result<()> {
        crate::identity::check_code("campaign", code)?;
        if self.furniture.campaign_index.contains_key(code) {
            return Err(Error::DuplicateCampaign(code.to_owned()));
        }
        let a = self.asset_id(scope)?;
        let kind = self.assets()[a.index()].kind;
        if !CAMPAIGN_KINDS.contains(&kind) {
            return Err(not_a_location(scope, kind, "a building or site"));
        }
        crate::period::check_date("date", date)?;
        self.check_in_service(a, date)?;
        let at = self.furniture.campaigns.len();
        self.furniture.campaign_index.insert(code.to_owned(), at);
        self.furniture.campaigns.push(Campaign {
            code: code.to_owned(),
            scope: a,
            opened: date,
            closed: None,
            applied: false,
        });
        self.furniture.scans.push(Vec::new());
        self.furniture_undo(FurnitureUndo::CampaignOpened);
        self.furniture_log(
            a,
            FurnitureEvent::InventoryCampaignOpened {
                campaign: code.to_owned(),
                scope: scope.to_owned(),
                date,
            },
        );
        Ok(())
    }

    /// Records a scan: inventory number `number` (known or not: an unknown
    /// one is reported unexpected) found in location `room` on `date`.
    ///
    /// Errors (nothing changes): [`Error::UnknownCampaign`],
    /// [`Error::CampaignClosed`], [`Error::UnknownAsset`],
    /// [`Error::NotALocation`] (the place is not a room, floor, building or
    /// site), [`Error::OutsideCampaign`] (not in the campaign's building or
    /// site), [`Error::InvalidField`] (a malformed inventory number),
    /// [`Error::DatesOutOfOrder`] (before the opening),
    /// [`Error::YearOutOfRange`].
    pub fn record_scan(
        &mut self,
        campaign: &str,
        number: &str,
        room: &str,
        date: NaiveDate,
    ) -> Result<()> {
        let at = self.campaign_index(campaign)?;
        let c = &self.furniture.campaigns[at];
        if let Some(closed) = c.closed {
            return Err(Error::CampaignClosed {
                campaign: campaign.to_owned(),
                closed,
            });
        }
        let (scope, opened) = (c.scope, c.opened);
        let r = self.asset_id(room)?;
        let kind = self.assets()[r.index()].kind;
        if !super::is_location(kind) {
            return Err(not_a_location(
                room,
                kind,
                "a room, floor, building or site",
            ));
        }
        if !self.ancestors_and_self(r).any(|x| x == scope) {
            return Err(Error::OutsideCampaign {
                campaign: campaign.to_owned(),
                asset: room.to_owned(),
            });
        }
        let number = check_inventory_number(number)?;
        crate::period::check_date("date", date)?;
        if date < opened {
            return Err(Error::DatesOutOfOrder {
                from: opened,
                to: date,
            });
        }
        self.furniture.scans[at].push(Scan {
            number: number.clone(),
            room: r,
            date,
        });
        self.furniture_undo(FurnitureUndo::Scan { at });
        self.furniture_log(
            scope,
            FurnitureEvent::InventoryScanned {
                campaign: campaign.to_owned(),
                number,
                room: room.to_owned(),
                date,
            },
        );
        Ok(())
    }

    /// Closes a campaign on `date`; with `apply`, the misplaced items are
    /// moved to where they were found, dated `date` (kind inventory; each
    /// move checked as [`Mutualis::move_furniture`]'s: all or none).
    ///
    /// Errors (nothing changes): [`Error::UnknownCampaign`],
    /// [`Error::CampaignClosed`], [`Error::DatesOutOfOrder`] (before the
    /// opening or a scan), [`Error::YearOutOfRange`]; with `apply`, the
    /// first misplaced item's move refused ([`Error::ItemReformed`],
    /// [`Error::CrossTenantMove`], [`Error::InvalidField`]…).
    pub fn close_campaign(&mut self, campaign: &str, date: NaiveDate, apply: bool) -> Result<()> {
        let at = self.campaign_index(campaign)?;
        let c = &self.furniture.campaigns[at];
        if let Some(closed) = c.closed {
            return Err(Error::CampaignClosed {
                campaign: campaign.to_owned(),
                closed,
            });
        }
        crate::period::check_date("date", date)?;
        let last = self.furniture.scans[at]
            .iter()
            .map(|s| s.date)
            .max()
            .unwrap_or(c.opened)
            .max(c.opened);
        if date < last {
            return Err(Error::DatesOutOfOrder {
                from: last,
                to: date,
            });
        }
        let scope = c.scope;
        let mut planned: Vec<(usize, AssetId)> = Vec::new();
        if apply {
            let report = self.report_of(at);
            for l in report
                .lines
                .iter()
                .filter(|l| l.finding == Finding::Misplaced)
            {
                let (Some(item), Some(room)) = (l.item, l.found_room) else {
                    continue;
                };
                let Some(i) = self.furniture_at(item) else {
                    continue;
                };
                let loc = self.check_plain_move(i, self.asset_code(room), date)?;
                planned.push((i, loc));
            }
        }
        let old = Box::new(self.furniture.campaigns[at].clone());
        self.furniture_undo(FurnitureUndo::Campaign { at, old });
        let c = &mut self.furniture.campaigns[at];
        c.closed = Some(date);
        c.applied = apply;
        for (i, loc) in planned {
            self.inventory_move(i, loc, date);
        }
        self.furniture_log(
            scope,
            FurnitureEvent::InventoryCampaignClosed {
                campaign: campaign.to_owned(),
                date,
                apply,
            },
        );
        Ok(())
    }

    /// Closes a campaign as a dataset records it (its inventory moves are
    /// in the moves' section).
    pub(super) fn restore_campaign_close(
        &mut self,
        campaign: &str,
        date: NaiveDate,
        applied: bool,
    ) -> Result<()> {
        self.close_campaign(campaign, date, false)?;
        let at = self.campaign_index(campaign)?;
        self.furniture.campaigns[at].applied = applied;
        Ok(())
    }

    /// The inventory campaigns, in the order opened.
    #[must_use]
    pub fn campaigns(&self) -> &[Campaign] {
        &self.furniture.campaigns
    }

    /// A campaign.
    ///
    /// Errors: [`Error::UnknownCampaign`].
    pub fn campaign(&self, code: &str) -> Result<&Campaign> {
        Ok(&self.furniture.campaigns[self.campaign_index(code)?])
    }

    /// A campaign's scans, in the order recorded.
    ///
    /// Errors: [`Error::UnknownCampaign`].
    pub fn campaign_scans(&self, code: &str) -> Result<&[Scan]> {
        Ok(&self.furniture.scans[self.campaign_index(code)?])
    }

    /// A campaign's report (docs/furniture.md): every expected item found,
    /// missing or misplaced, every unexpected scan, and the counts per
    /// location. An item scanned several times counts at its last scan
    /// (latest date, then last recorded).
    ///
    /// Errors: [`Error::UnknownCampaign`].
    pub fn campaign_report(&self, code: &str) -> Result<CampaignReport> {
        Ok(self.report_of(self.campaign_index(code)?))
    }

    fn report_of(&self, at: usize) -> CampaignReport {
        let c = &self.furniture.campaigns[at];
        let inside = self.subtree_set(c.scope);
        // the last scan of each number
        let mut last: HashMap<&str, &Scan> = HashMap::new();
        for s in &self.furniture.scans[at] {
            let e = last.entry(s.number.as_str()).or_insert(s);
            if s.date >= e.date {
                *e = s;
            }
        }
        let mut lines = Vec::new();
        let mut expected_numbers = std::collections::HashSet::new();
        for (i, loc) in self.expected_on(&inside, c.opened) {
            let item = &self.furniture.items[i];
            expected_numbers.insert(item.number.as_str());
            let scan = last.get(item.number.as_str());
            let finding = match scan {
                None => Finding::Missing,
                Some(s) if s.room == loc => Finding::Found,
                Some(_) => Finding::Misplaced,
            };
            lines.push(CampaignLine {
                number: item.number.clone(),
                item: Some(item.asset),
                finding,
                expected_room: Some(loc),
                found_room: scan.map(|s| s.room),
                scanned: scan.map(|s| s.date),
            });
        }
        for s in last.values() {
            if expected_numbers.contains(s.number.as_str()) {
                continue;
            }
            lines.push(CampaignLine {
                number: s.number.clone(),
                item: self
                    .furniture
                    .by_number
                    .get(&s.number)
                    .map(|&i| self.furniture.items[i].asset),
                finding: Finding::Unexpected,
                expected_room: None,
                found_room: Some(s.room),
                scanned: Some(s.date),
            });
        }
        let room_of = |l: &CampaignLine| l.expected_room.or(l.found_room).unwrap_or(c.scope);
        lines.sort_by(|a, b| {
            room_of(a)
                .cmp(&room_of(b))
                .then_with(|| a.number.cmp(&b.number))
        });
        let mut rooms: Vec<RoomCount> = Vec::new();
        let mut count = |room: AssetId, f: &mut dyn FnMut(&mut RoomCount)| {
            let at = match rooms.binary_search_by_key(&room, |r| r.room) {
                Ok(at) => at,
                Err(at) => {
                    rooms.insert(
                        at,
                        RoomCount {
                            room,
                            expected: 0,
                            found: 0,
                            missing: 0,
                            misplaced: 0,
                            unexpected: 0,
                        },
                    );
                    at
                }
            };
            f(&mut rooms[at]);
        };
        let mut totals = [0u32; 5];
        for l in &lines {
            if let Some(r) = l.expected_room {
                totals[0] += 1;
                count(r, &mut |x| x.expected += 1);
            }
            match (l.finding, l.expected_room, l.found_room) {
                (Finding::Found, Some(r), _) => {
                    totals[1] += 1;
                    count(r, &mut |x| x.found += 1);
                }
                (Finding::Missing, Some(r), _) => {
                    totals[2] += 1;
                    count(r, &mut |x| x.missing += 1);
                }
                (Finding::Misplaced, _, Some(r)) => {
                    totals[3] += 1;
                    count(r, &mut |x| x.misplaced += 1);
                }
                (Finding::Unexpected, _, Some(r)) => {
                    totals[4] += 1;
                    count(r, &mut |x| x.unexpected += 1);
                }
                _ => {}
            }
        }
        CampaignReport {
            campaign: c.code.clone(),
            scope: c.scope,
            opened: c.opened,
            closed: c.closed,
            rooms,
            lines,
            expected: totals[0],
            found: totals[1],
            missing: totals[2],
            misplaced: totals[3],
            unexpected: totals[4],
        }
    }
}
