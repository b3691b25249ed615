//! Savepoints: undo a run of commands without copying the registry.
//!
//! A batch that must be all or nothing (bulk cost recording, CSV and table
//! imports, a store's unit of work) takes a [`Checkpoint`], runs ordinary
//! commands, and on failure rolls back to it. Most state is append-only, so
//! rolling back truncates it to the lengths the checkpoint saw; the few
//! in-place changes (a custody or key inserted in an asset's history, a rate
//! overwritten, a stock level, a work order's status, an asset moved) are
//! written to an undo log while a checkpoint is open. The cost is what the
//! batch changed, never the registry's size.
//!
//! Commands a checkpoint covers: adding tenants, memberships, services,
//! assets, suppliers, teams, stores, items, requests and work orders;
//! moving an asset; granting and ending custody; setting and ending sharing
//! keys; labour and vehicle rates; stock receipts and issues; request and
//! work-order status changes; cost lines; budget warnings; the journal.
//! Any other command run under a checkpoint marks it as not undoable
//! (`rollback` then answers [`crate::Error::InvalidField`] and the caller
//! must reload).

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ids::{AssetId, ItemId, StoreId, TenantId, WorkOrderId};
use crate::period::Period;
use crate::rates::{LabourKey, VehicleKey};
use crate::stock::StockLevel;
use crate::work::WorkOrderStatus;
use crate::Mutualis;

/// An in-place change to revert.
#[derive(Debug, Clone)]
pub(crate) enum Undo {
    /// A custody period was inserted at `at` in the asset's list.
    CustodyInserted { asset: AssetId, at: usize },
    /// The custody at `at` had this period before it was ended.
    CustodyEnded {
        asset: AssetId,
        at: usize,
        period: Period,
    },
    /// A sharing key was inserted at `at` in the asset's list.
    KeyInserted { asset: AssetId, at: usize },
    /// The key at `at` had this period before it was ended.
    KeyEnded {
        asset: AssetId,
        at: usize,
        period: Period,
    },
    /// An asset had this parent before it moved.
    Parent {
        asset: AssetId,
        parent: Option<AssetId>,
    },
    /// A labour rate had this value (none: it was new).
    LabourRate {
        key: LabourKey,
        old: Option<Decimal>,
    },
    /// A vehicle rate had this value (none: it was new).
    VehicleRate {
        key: VehicleKey,
        old: Option<Decimal>,
    },
    /// A stock level was this (none: no stock yet).
    Stock {
        store: StoreId,
        item: ItemId,
        old: Option<StockLevel>,
    },
    /// A work order had this status before a change was pushed on its history.
    WorkOrderStatus {
        work_order: WorkOrderId,
        old: WorkOrderStatus,
    },
    /// A request had this status (and tenant/service) before a change.
    Request {
        request: usize,
        old: Box<crate::requests::Request>,
    },
    /// A transfer of ownership was appended to the asset's list.
    Transferred { asset: AssetId },
    /// A tenant joined a group (its `member_of` got one more entry).
    Joined { member: TenantId },
}

/// A point to roll back to (see the [module](self) docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub(crate) struct Checkpoint {
    tenants: usize,
    services: usize,
    assets: usize,
    suppliers: usize,
    teams: usize,
    stores: usize,
    items: usize,
    stock_issues: usize,
    requests: usize,
    work_orders: usize,
    status_changes: usize,
    lines: usize,
    texts: usize,
    warnings: usize,
    journal: usize,
    /// (principals, roles, grants).
    policies: (usize, usize, usize),
    undo: usize,
    /// The checkpoint that was open when this one was taken (nesting).
    outer: bool,
    /// Whether the enclosing span had already run a command it cannot undo.
    was_incomplete: bool,
}

impl Mutualis {
    /// Opens a checkpoint: from now on, covered commands can be undone.
    pub(crate) fn checkpoint(&mut self) -> Checkpoint {
        let outer = self.undo.is_some();
        let was_incomplete = std::mem::replace(&mut self.undo_incomplete, false);
        let log = self.undo.get_or_insert_with(Vec::new);
        Checkpoint {
            tenants: self.tenancy.lens().0,
            services: self.tenancy.lens().1,
            assets: self.patrimoine.len(),
            suppliers: self.suppliers.len(),
            teams: self.rates.team_count(),
            stores: self.stock.lens().0,
            items: self.stock.lens().1,
            stock_issues: self.stock.lens().2,
            requests: self.requests.len(),
            work_orders: self.work_orders.len(),
            status_changes: self.work_orders.change_count(),
            lines: self.cost_lines.len(),
            texts: self.cost_lines.text_count(),
            warnings: self.budgets.warning_count(),
            journal: self.journal.len(),
            policies: self.policies.lens(),
            undo: log.len(),
            outer,
            was_incomplete,
        }
    }

    /// Keeps what was done since `cp` (closes the checkpoint).
    pub(crate) fn release(&mut self, cp: Checkpoint) {
        if cp.outer {
            // the enclosing span now contains what this one ran
            self.undo_incomplete |= cp.was_incomplete;
        } else {
            self.undo = None;
            self.undo_incomplete = false;
        }
    }

    /// Records an in-place change while a checkpoint is open.
    pub(crate) fn push_undo(&mut self, u: Undo) {
        if let Some(log) = self.undo.as_mut() {
            log.push(u);
        }
    }

    /// Marks the open checkpoint (if any) as not undoable: a command it does
    /// not cover ran.
    pub(crate) fn not_undoable(&mut self) {
        if self.undo.is_some() {
            self.undo_incomplete = true;
        }
    }

    /// Reverts everything done since `cp` and closes it.
    ///
    /// Errors: [`Error::InvalidField`] when a command the checkpoint does not
    /// cover ran since (the registry must then be reloaded).
    pub(crate) fn rollback(&mut self, cp: Checkpoint) -> Result<()> {
        if self.undo_incomplete {
            return Err(Error::InvalidField {
                field: "checkpoint",
                reason: "a command that cannot be undone ran since the checkpoint".into(),
            });
        }
        let log: Vec<Undo> = match self.undo.as_mut() {
            Some(log) => log.drain(cp.undo..).collect(),
            None => Vec::new(),
        };
        let mut moved: Vec<AssetId> = Vec::new();
        for u in log.into_iter().rev() {
            match u {
                Undo::Transferred { asset } => {
                    self.transfers.pop(asset);
                    moved.push(asset);
                }
                Undo::CustodyInserted { asset, at } => {
                    self.custody.remove_period(asset, at);
                    moved.push(asset);
                }
                Undo::CustodyEnded { asset, at, period } => {
                    self.custody.restore_period(asset, at, period);
                    moved.push(asset);
                }
                Undo::KeyInserted { asset, at } => {
                    self.custody.remove_key(asset, at);
                    moved.push(asset);
                }
                Undo::KeyEnded { asset, at, period } => {
                    self.custody.restore_key_period(asset, at, period);
                    moved.push(asset);
                }
                Undo::Parent { asset, parent } => {
                    if asset.index() < self.patrimoine.len() {
                        self.patrimoine.move_in_tree(asset, parent);
                        moved.push(asset);
                    }
                }
                Undo::LabourRate { key, old } => self.rates.restore_labour(key, old),
                Undo::VehicleRate { key, old } => self.rates.restore_vehicle(key, old),
                Undo::Stock { store, item, old } => self.stock.restore_level(store, item, old),
                Undo::WorkOrderStatus { work_order, old } => {
                    self.work_orders.restore_status(work_order, old);
                }
                Undo::Request { request, old } => {
                    self.requests.restore(request, *old);
                }
                Undo::Joined { member } => {
                    self.tenancy.undo_join(member);
                }
            }
        }
        // lines, newest first: leave the budgets, the work orders' lists, the ledger
        for i in (cp.lines..self.cost_lines.len()).rev() {
            self.track_budgets(i, -1);
        }
        let (principals, roles, grants) = cp.policies;
        self.policies.truncate(principals, roles, grants);
        self.work_orders.truncate_history(cp.status_changes);
        self.work_orders.truncate(cp.work_orders, cp.lines);
        self.ledger.truncate(cp.lines, cp.assets);
        self.cost_lines.truncate(cp.lines, cp.texts);
        self.requests.truncate(cp.requests);
        self.stock.truncate(cp.stores, cp.items, cp.stock_issues);
        self.rates.truncate_teams(cp.teams);
        self.suppliers.truncate(cp.suppliers);
        self.patrimoine.truncate(cp.assets);
        self.custody.truncate(cp.assets);
        self.transfers.truncate(cp.assets);
        self.tenancy.truncate(cp.tenants, cp.services);
        self.budgets.truncate_warnings(cp.warnings);
        self.journal.truncate(cp.journal);
        moved.retain(|a| a.index() < self.patrimoine.len());
        moved.sort_unstable();
        moved.dedup();
        for a in moved {
            self.reallocate_subtree(a, None);
        }
        if cp.outer {
            self.undo_incomplete = cp.was_incomplete;
        } else {
            self.undo = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        AssetKind, CostInput, KeyBasis, Mutualis, NewAsset, NewTenant, NewWorkOrder, Period,
        TenantKind, WorkOrderStatus,
    };
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn d(n: u16) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(i64::from(n % 1400))
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
        let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        m.add_asset(NewAsset::new(
            "SITE",
            "Site",
            AssetKind::Site,
            "ROANNE",
            start,
        ))
        .unwrap();
        m.add_asset(
            NewAsset::new("GYM", "Gym", AssetKind::Building, "ROANNE", start).under("SITE"),
        )
        .unwrap();
        m.add_team("T", "ROANNE", "Régie", None).unwrap();
        for y in 2024..=2027 {
            m.set_labour_rate("ROANNE", y, None, None, Decimal::new(3850, 2))
                .unwrap();
        }
        m.create_work_order(NewWorkOrder::by_team("W", "Travaux", "GYM", "T"))
            .unwrap();
        m.set_work_order_status(
            "W",
            WorkOrderStatus::InProgress,
            chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        )
        .unwrap();
        m
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any run of covered commands rolls back to exactly the registry
        /// (and ledger) of the checkpoint.
        #[test]
        fn rollback_restores_the_checkpoint(pre in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>()), 0..10),
                                            run in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>()), 0..30)) {
            let mut m = seed();
            let apply = |m: &mut Mutualis, (k, x, y): (u8, u16, u16), i: usize| {
                let (from, to) = (d(x).min(d(y)), d(x).max(d(y)));
                let _ = match k % 9 {
                    0 | 1 => m.record_cost("W", CostInput::labour(d(x), Decimal::new(i64::from(y % 30 + 1), 0), 1)).map(drop),
                    2 => m.grant_custody(if x % 2 == 0 { "GYM" } else { "SITE" }, "AGGLO", Period::new(from, Some(to)).unwrap()),
                    3 => m.set_sharing_key("SITE", KeyBasis::Agreed, Period::starting(from), &[("AGGLO", u64::from(x % 4)), ("ROANNE", 1)]),
                    4 => m.end_sharing_key("SITE", to),
                    5 => m.set_parent("GYM", if x % 2 == 0 { None } else { Some("SITE") }),
                    6 => m.add_asset(NewAsset::new(&format!("A{i}"), "A", AssetKind::Room, "ROANNE", d(0)).under("GYM")).map(drop),
                    7 => m.create_work_order(NewWorkOrder::by_team(&format!("W{i}"), "T", "GYM", "T")).map(drop),
                    _ => m.set_work_order_status("W", WorkOrderStatus::Done, chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap()),
                };
            };
            for (i, op) in pre.into_iter().enumerate() {
                apply(&mut m, op, i);
            }
            let before = m.clone();
            let rows = m.ledger_columns();
            let cp = m.checkpoint();
            for (i, op) in run.into_iter().enumerate() {
                apply(&mut m, op, 100 + i);
            }
            m.rollback(cp).unwrap();
            prop_assert_eq!(&m, &before);
            prop_assert_eq!(m.journal().len(), before.journal().len());
            prop_assert_eq!(m.ledger_columns(), rows);
            prop_assert_eq!(m.patrimoine.children_index(), before.patrimoine.children_index());
            prop_assert!(m.undo.is_none());
        }
    }

    /// Status changes of an older order interleaved with those of orders
    /// created in the span: the rollback truncates the history columns and
    /// relinks the older order to its last change kept.
    #[test]
    fn interleaved_status_changes_roll_back() {
        let mut m = seed();
        m.create_work_order(NewWorkOrder::by_team("OLD", "Travaux", "GYM", "T"))
            .unwrap();
        let t = |s: i64| chrono::DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap();
        m.set_work_order_status("OLD", WorkOrderStatus::InProgress, t(1))
            .unwrap();
        let before = m.clone();
        let cp = m.checkpoint();
        m.set_work_order_status("OLD", WorkOrderStatus::Done, t(2))
            .unwrap();
        m.create_work_order(NewWorkOrder::by_team("NEW", "Travaux", "GYM", "T"))
            .unwrap();
        m.set_work_order_status("NEW", WorkOrderStatus::InProgress, t(3))
            .unwrap();
        m.set_work_order_status("OLD", WorkOrderStatus::Closed, t(4))
            .unwrap();
        m.set_work_order_status("NEW", WorkOrderStatus::Done, t(5))
            .unwrap();
        m.rollback(cp).unwrap();
        assert_eq!(m, before);
        assert_eq!(m.work_order("OLD").unwrap().history.len(), 1);
        // the history goes on from the change kept
        m.set_work_order_status("OLD", WorkOrderStatus::Done, t(6))
            .unwrap();
        let h = m.work_order("OLD").unwrap().history;
        assert_eq!(
            h.iter().map(|c| c.status).collect::<Vec<_>>(),
            [WorkOrderStatus::InProgress, WorkOrderStatus::Done]
        );
    }

    #[test]
    fn a_nested_checkpoint_rolls_back_after_an_uncovered_command_outside_it() {
        let mut m = seed();
        let outer = m.checkpoint();
        m.decommission("SITE", NaiveDate::from_ymd_opt(2030, 1, 1).unwrap())
            .unwrap();
        let before = m.clone();
        let inner = m.checkpoint();
        m.record_cost("W", CostInput::labour(d(10), Decimal::ONE, 1))
            .unwrap();
        m.rollback(inner).unwrap();
        assert_eq!(m, before);
        // the outer span still ran an uncovered command
        assert!(m.rollback(outer).is_err());
    }

    #[test]
    fn an_uncovered_command_makes_the_checkpoint_refuse() {
        let mut m = seed();
        let cp = m.checkpoint();
        m.decommission("GYM", NaiveDate::from_ymd_opt(2030, 1, 1).unwrap())
            .unwrap();
        assert!(m.rollback(cp).is_err());
    }
}
