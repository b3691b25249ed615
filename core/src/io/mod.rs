//! The I/O layer: the versioned JSON dataset, bulk imports and the
//! persistent store, each behind its cargo feature where it pulls a
//! dependency (`csv` for CSV imports, `sqlite` for the embedded store, `arrow`
//! and `parquet` for bulk ingestion of a user's tables), so an
//! Android build carries only what it uses.
//!
//! Modules are re-exported at the crate root (`mutualis::dataset`…).

pub mod dataset;
#[cfg(feature = "csv")]
pub mod import;
pub mod ingest;
#[cfg(feature = "parquet")]
pub mod parquet_out;
#[cfg(feature = "sqlite")]
pub mod store;
