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
//! Every command is covered (`tests::every_kind_of_event_rolls_back` pins
//! it for each kind of event): the appends are truncated; the in-place
//! changes are logged — custody and keys inserted or ended, an asset moved,
//! decommissioned or given an attribute (its record saved), rates, stock
//! levels, request and work-order statuses, a request routed, budget lines,
//! amendments, commitments and assignments (the touched budgets' spending is
//! recomputed once at the end); the planning and agreements domains, small
//! and administrative, are saved whole before each of their commands while a
//! checkpoint is open. The one exception is a dataset import (it loads an
//! empty registry, not by commands): it marks the checkpoint as not undoable
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
    /// An asset record as it was before an in-place change (decommissioning,
    /// an attribute).
    Asset {
        asset: AssetId,
        old: Box<crate::Asset>,
    },
    /// A line was pushed on a budget.
    BudgetLineAdded { budget: usize },
    /// An amendment was pushed on a budget line.
    BudgetAmended { budget: usize, line: usize },
    /// A commitment was pushed on a budget line.
    BudgetCommitted { budget: usize, line: usize },
    /// A work order's assignment to a budget line had this value (none: new).
    BudgetAssigned {
        work_order: WorkOrderId,
        tenant: TenantId,
        old: Option<String>,
    },
    /// A contract's assignment to a revenue line had this value (none: new).
    BudgetLeaseAssigned { lease: usize, old: Option<String> },
    /// The planning domain as it was before a command (a small,
    /// administrative state: RBF rules, operations, APs).
    Planning(Box<crate::planning::Planning>),
    /// The agreements domain as it was before a command (agreements, pooled
    /// services, loans).
    Agreements(Box<crate::agreements::Agreements>),
    /// An in-place change of the fleet.
    Fleet(crate::fleet::FleetUndo),
    /// An in-place change of the leases.
    Leases(crate::leases::LeaseUndo),
    /// An in-place change of the energy state.
    Energy(crate::energy::EnergyUndo),
    /// An in-place change of the furniture inventory.
    Furniture(crate::furniture::FurnitureUndo),
    /// An in-place change of the workwear.
    Workwear(crate::workwear::WorkwearUndo),
    /// An in-place change of the request catalogue.
    Catalogue(crate::requests::routing::CatalogueUndo),
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
    budgets: usize,
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
            budgets: self.budgets.len(),
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

    /// Saves an asset's record before an in-place change, while a checkpoint
    /// is open (the cost of one record).
    pub(crate) fn save_asset(&mut self, asset: AssetId) {
        if self.undo.is_some() {
            if let Some(old) = self.patrimoine.get(asset) {
                let old = Box::new(old.clone());
                self.push_undo(Undo::Asset { asset, old });
            }
        }
    }

    /// Saves the planning domain before a planning command, while a
    /// checkpoint is open (planning commands are rare and administrative;
    /// the state is a few records per operation and AP).
    pub(crate) fn save_planning(&mut self) {
        if self.undo.is_some() {
            let old = Box::new(self.planning.clone());
            self.push_undo(Undo::Planning(old));
        }
    }

    /// Saves the agreements domain before an agreements command, while a
    /// checkpoint is open (rare, administrative; a few records).
    pub(crate) fn save_agreements(&mut self) {
        if self.undo.is_some() {
            let old = Box::new(self.agreements.clone());
            self.push_undo(Undo::Agreements(old));
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
        // what access decisions read may go back (an order, a grant removed)
        self.access_generation = self.access_generation.wrapping_add(1);
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
        let mut budgets: Vec<usize> = Vec::new();
        for u in log.into_iter().rev() {
            match u {
                Undo::Asset { asset, old } => self.patrimoine.restore(asset, *old),
                Undo::Planning(old) => self.planning = *old,
                Undo::Agreements(old) => self.agreements = *old,
                Undo::Fleet(u) => self.fleet.undo(u),
                Undo::Leases(u) => self.leases.undo(u),
                Undo::Energy(u) => self.energy.undo(u),
                Undo::Furniture(u) => self.furniture.undo(u),
                Undo::Workwear(u) => self.workwear.undo(u),
                Undo::Catalogue(u) => self.catalogue.undo(u),
                u @ (Undo::BudgetLineAdded { .. }
                | Undo::BudgetAmended { .. }
                | Undo::BudgetCommitted { .. }
                | Undo::BudgetAssigned { .. }
                | Undo::BudgetLeaseAssigned { .. }) => self.budgets.undo(&u, &mut budgets),
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
        self.budgets.truncate(cp.budgets);
        self.journal.truncate(cp.journal);
        moved.retain(|a| a.index() < self.patrimoine.len());
        moved.sort_unstable();
        moved.dedup();
        for a in moved {
            self.reallocate_subtree(a, None);
        }
        // budgets whose lines or assignments changed: their spending, once
        budgets.retain(|&b| b < self.budgets.len());
        budgets.sort_unstable();
        budgets.dedup();
        for b in budgets {
            self.recompute_budget(b);
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

    /// What an uncovered command does (only a dataset import, into an
    /// empty registry, is uncovered now).
    fn uncovered(m: &mut Mutualis) {
        m.not_undoable();
    }

    #[test]
    fn a_nested_checkpoint_rolls_back_after_an_uncovered_command_outside_it() {
        let mut m = seed();
        let outer = m.checkpoint();
        uncovered(&mut m);
        let before = m.clone();
        let inner = m.checkpoint();
        m.record_cost("W", CostInput::labour(d(10), Decimal::ONE, 1))
            .unwrap();
        m.rollback(inner).unwrap();
        assert_eq!(m, before);
        // the outer span still ran an uncovered command
        assert!(m.rollback(outer).is_err());
    }

    /// Every kind of event a journal records (but a dataset import, which
    /// loads an empty registry) is undone by a checkpoint: each entry of the
    /// Roannais scenario and of the pinned journal of the other kinds is
    /// applied under a checkpoint, rolled back (the registry, its ledger and
    /// its budgets' spending exactly as before), then applied for good.
    #[test]
    fn every_kind_of_event_rolls_back() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let read = |p: &str| -> Vec<crate::JournalEntry> {
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{p}")).unwrap()).unwrap()
        };
        let mut entries = read("../tests/data/roannais-journal.json");
        entries.extend(read("tests/data/journal-more-kinds.json"));
        let mut m = Mutualis::new();
        let mut kinds = std::collections::BTreeSet::new();
        for e in &entries {
            let kind = serde_json::to_value(&e.event).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(e.event.undoable(), "{kind}");
            let before = m.clone();
            let rows = m.ledger_columns();
            let status = |m: &Mutualis| {
                m.budgets()
                    .iter()
                    .map(|b| format!("{:?}", m.budget_status(m.tenant_code(b.tenant), b.year)))
                    .collect::<Vec<_>>()
            };
            let spent = status(&m);
            let cp = m.checkpoint();
            m.apply_recorded(e).unwrap();
            m.rollback(cp).unwrap_or_else(|err| panic!("{kind}: {err}"));
            assert_eq!(m, before, "{kind}");
            assert_eq!(m.journal().len(), before.journal().len(), "{kind}");
            assert_eq!(m.ledger_columns(), rows, "{kind}");
            assert_eq!(status(&m), spent, "{kind}");
            assert!(m.undo.is_none());
            m.apply_recorded(e).unwrap();
            kinds.insert(kind);
        }
        // 100 kinds: all but dataset_imported (not undoable: it loads an empty
        // registry) and tables_ingested (tests/ingest.rs rolls it back)
        assert_eq!(kinds.len(), 98, "{kinds:?}");
        assert!(!crate::Event::DatasetImported {
            dataset: String::new()
        }
        .undoable());
    }

    #[test]
    fn an_uncovered_command_makes_the_checkpoint_refuse() {
        let mut m = seed();
        let cp = m.checkpoint();
        uncovered(&mut m);
        assert!(m.rollback(cp).is_err());
    }
}
