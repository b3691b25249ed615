//! The read layer: read models kept up to date as events arrive, and the
//! queries that scan them — the allocation ledger (columns of dense ids and
//! integer cents), costing roll-ups, settlement between tenants.
//!
//! Modules are re-exported at the crate root (`mutualis::ledger`…).

pub mod costing;
pub mod group;
pub mod ledger;
pub mod reconcile;
pub mod settlement;
pub mod show;
