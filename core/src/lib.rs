//! # Mutualis
//!
//! The domain core of a technical-asset management tool shared by a group of
//! French local governments (collectivités): an agglomeration (EPCI) and its
//! member communes. Each manages its own patrimoine; assets transferred to the
//! agglomeration (mise à disposition, CGCT L1321-1) or shared between tenants
//! are managed jointly, and the library answers *who holds* and *who pays*
//! for every asset on every date, exactly to the cent.
//!
//! ```
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant, Period, TenantKind};
//! use chrono::NaiveDate;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("GYM", "Gymnase Coubertin", AssetKind::Building, "ROANNE", d(1975, 9, 1))).unwrap();
//! m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1))).unwrap();
//! let payers = m.payers("GYM", d(2026, 3, 12)).unwrap();
//! assert_eq!(m.tenant_code(payers.shares[0].tenant), "AGGLO");
//! ```
//!
//! Modules follow the domain: [`money`] (cents, VAT, split), [`identity`]
//! (SIREN, SIRET, INSEE), [`tenancy`] (collectivités and services), [`assets`]
//! (the patrimoine tree), [`custody`] (mises à disposition, sharing keys,
//! payers), [`dataset`] (the versioned JSON format). Every fallible call
//! returns the crate's one [`Error`] and changes nothing when it fails.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod kinds;

pub mod assets;
pub mod custody;
pub mod dataset;
pub mod error;
pub mod identity;
pub mod ids;
pub mod money;
pub mod period;
pub mod tenancy;

use std::collections::HashMap;

pub use assets::{Asset, AssetKind, NewAsset, ServiceRef};
pub use custody::{CustodyPeriod, Holder, KeyBasis, PayerShare, PayerSource, Payers, SharingKey};
pub use error::{Error, Result};
pub use ids::{AssetId, ServiceId, TenantId};
pub use money::{VatLine, VatRate};
pub use period::Period;
pub use tenancy::{NewTenant, Service, Tenant, TenantKind};

/// The registry of a group of collectivités: tenants, services, assets,
/// custody periods and sharing keys.
///
/// Commands take human codes, validate everything first and change nothing
/// when they fail; queries by code have `_of`/`_by_id` twins taking dense ids
/// for hot paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mutualis {
    pub(crate) tenants: Vec<Tenant>,
    pub(crate) tenant_by_code: HashMap<String, TenantId>,
    pub(crate) services: Vec<Service>,
    pub(crate) service_by_code: HashMap<(TenantId, String), ServiceId>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) asset_by_code: HashMap<String, AssetId>,
    /// Custody periods per asset (index = asset id), sorted by start.
    pub(crate) custody: Vec<Vec<CustodyPeriod>>,
    /// Sharing keys per asset (index = asset id), sorted by start.
    pub(crate) keys: Vec<Vec<SharingKey>>,
}

impl Mutualis {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Mutualis {
        Mutualis::default()
    }
}
