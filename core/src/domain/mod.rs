//! The domain layer: one module per concept, each owning its state and the
//! commands that change it (validate everything, then mutate, then journal).
//!
//! Modules are re-exported at the crate root (`mutualis::money`,
//! `mutualis::custody`…), the paths users write.

pub mod access;
pub mod agreements;
pub mod assets;
pub mod budget;
pub mod custody;
pub mod fctva;
pub mod fleet;
pub mod furniture;
pub mod identity;
pub mod ids;
pub mod leases;
pub mod lines;
pub mod money;
pub mod orders;
pub mod ownership;
pub mod period;
pub mod planning;
pub mod rates;
pub mod requests;
pub mod stock;
pub mod suppliers;
pub mod tenancy;
pub mod work;
pub mod workwear;
