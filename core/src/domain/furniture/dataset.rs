//! The furniture inventory's sections of the JSON dataset (each optional:
//! a dataset written before the inventory existed has none).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::FurnitureV1;
use super::{Condition, FurnitureStatus, MoveKind, Reform};
use crate::error::{Error, Result};
use crate::Mutualis;

/// A move in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MoveRec {
    number: String,
    date: NaiveDate,
    to: String,
    kind: MoveKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<NaiveDate>,
}

/// A status change in the dataset (a reform is in its own section).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusRec {
    number: String,
    since: NaiveDate,
    status: FurnitureStatus,
}

/// A condition change in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionRec {
    number: String,
    date: NaiveDate,
    condition: Condition,
}

/// A reform in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReformRec {
    number: String,
    reform: Reform,
}

/// A campaign in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CampaignRec {
    code: String,
    scope: String,
    opened: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    applied: bool,
}

/// A scan in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScanRec {
    campaign: String,
    number: String,
    room: String,
    date: NaiveDate,
}

/// The furniture inventory's sections of the dataset.
#[derive(Default)]
pub(crate) struct FurnitureRecords {
    pub(crate) furniture: Vec<FurnitureV1>,
    pub(crate) furniture_moves: Vec<MoveRec>,
    pub(crate) furniture_statuses: Vec<StatusRec>,
    pub(crate) furniture_conditions: Vec<ConditionRec>,
    pub(crate) furniture_reforms: Vec<ReformRec>,
    pub(crate) inventory_campaigns: Vec<CampaignRec>,
    pub(crate) inventory_scans: Vec<ScanRec>,
}

/// One dated change of an item's history, to restore in date order.
enum Change {
    Move(MoveRec),
    Status(StatusRec),
    Condition(ConditionRec),
}

impl Change {
    fn date(&self) -> NaiveDate {
        match self {
            Change::Move(m) => m.date,
            Change::Status(s) => s.since,
            Change::Condition(c) => c.date,
        }
    }
}

impl Mutualis {
    /// The furniture inventory as dataset records.
    pub(crate) fn furniture_records(&self) -> FurnitureRecords {
        let mut r = FurnitureRecords::default();
        let f = &self.furniture;
        for (at, i) in f.items.iter().enumerate() {
            let (status, condition) = f.initial[at];
            r.furniture.push(FurnitureV1 {
                asset: self.asset_code(i.asset).to_owned(),
                number: i.number.clone(),
                category: i.category.clone(),
                location: self.asset_code(i.first_location).to_owned(),
                service: i.service.map(|s| {
                    let (t, c) = self.service_codes(s);
                    crate::ServiceRef {
                        tenant: t.to_owned(),
                        service: c.to_owned(),
                    }
                }),
                purchase_date: i.purchase_date,
                purchase_value: i.purchase_value,
                condition,
                status,
            });
            for m in &f.moves[at] {
                let until = match m.kind {
                    MoveKind::Loan => f.loans[at]
                        .iter()
                        .find(|l| l.from == m.date)
                        .and_then(|l| l.until),
                    _ => None,
                };
                r.furniture_moves.push(MoveRec {
                    number: i.number.clone(),
                    date: m.date,
                    to: self.asset_code(m.to).to_owned(),
                    kind: m.kind,
                    until,
                });
            }
            for &(since, status) in &f.statuses[at] {
                if status != FurnitureStatus::Reformed {
                    r.furniture_statuses.push(StatusRec {
                        number: i.number.clone(),
                        since,
                        status,
                    });
                }
            }
            for &(date, condition) in &f.conditions[at] {
                r.furniture_conditions.push(ConditionRec {
                    number: i.number.clone(),
                    date,
                    condition,
                });
            }
            if let Some(reform) = &i.reform {
                r.furniture_reforms.push(ReformRec {
                    number: i.number.clone(),
                    reform: reform.clone(),
                });
            }
        }
        for (at, c) in f.campaigns.iter().enumerate() {
            r.inventory_campaigns.push(CampaignRec {
                code: c.code.clone(),
                scope: self.asset_code(c.scope).to_owned(),
                opened: c.opened,
                closed: c.closed,
                applied: c.applied,
            });
            for s in &f.scans[at] {
                r.inventory_scans.push(ScanRec {
                    campaign: c.code.clone(),
                    number: s.number.clone(),
                    room: self.asset_code(s.room).to_owned(),
                    date: s.date,
                });
            }
        }
        r
    }

    /// Loads the furniture inventory's dataset records with the commands'
    /// checks: each item's moves, status and condition changes in date
    /// order, then its reform; the ownership transfers of transfer moves
    /// are the dataset's own section (restored before).
    pub(crate) fn restore_furniture(&mut self, r: FurnitureRecords) -> Result<()> {
        let mut history: HashMap<String, Vec<Change>> = HashMap::new();
        for m in r.furniture_moves {
            history
                .entry(m.number.clone())
                .or_default()
                .push(Change::Move(m));
        }
        for s in r.furniture_statuses {
            history
                .entry(s.number.clone())
                .or_default()
                .push(Change::Status(s));
        }
        for c in r.furniture_conditions {
            history
                .entry(c.number.clone())
                .or_default()
                .push(Change::Condition(c));
        }
        let numbers: Vec<String> = r.furniture.iter().map(|f| f.number.clone()).collect();
        for f in r.furniture {
            self.register_furniture(f.into())?;
        }
        for number in numbers {
            let Some(mut changes) = history.remove(&number) else {
                continue;
            };
            changes.sort_by_key(Change::date);
            for c in changes {
                match c {
                    Change::Move(m) => match m.kind {
                        MoveKind::Transfer => {
                            self.restore_transfer_move(&m.number, &m.to, m.date)?
                        }
                        MoveKind::Loan => {
                            self.lend_furniture(&m.number, &m.to, m.date, m.until)?;
                        }
                        MoveKind::Return => self.return_furniture(&m.number, &m.to, m.date)?,
                        MoveKind::Inventory => {
                            let at = self.furniture_index(&m.number)?;
                            let loc = self.check_plain_move(at, &m.to, m.date)?;
                            self.inventory_move(at, loc, m.date);
                        }
                        _ => self.move_furniture(&m.number, &m.to, m.date)?,
                    },
                    Change::Status(s) => self.set_furniture_status(&s.number, s.status, s.since)?,
                    Change::Condition(c) => {
                        self.set_furniture_condition(&c.number, c.condition, c.date)?;
                    }
                }
            }
        }
        if let Some(number) = history.into_keys().next() {
            return Err(Error::UnknownInventoryNumber(number));
        }
        for x in r.furniture_reforms {
            self.reform_furniture(&x.number, x.reform)?;
        }
        let mut scans: HashMap<String, Vec<ScanRec>> = HashMap::new();
        for s in r.inventory_scans {
            scans.entry(s.campaign.clone()).or_default().push(s);
        }
        for c in r.inventory_campaigns {
            self.open_campaign(&c.code, &c.scope, c.opened)?;
            for s in scans.remove(&c.code).unwrap_or_default() {
                self.record_scan(&s.campaign, &s.number, &s.room, s.date)?;
            }
            if let Some(closed) = c.closed {
                self.restore_campaign_close(&c.code, closed, c.applied)?;
            }
        }
        if let Some(campaign) = scans.into_keys().next() {
            return Err(Error::UnknownCampaign(campaign));
        }
        Ok(())
    }
}
