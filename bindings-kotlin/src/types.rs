//! Enums and records exchanged with Kotlin, mirrored from the core types.
//!
//! Records refer to tenants, services and assets by their human codes (the
//! core's dense ids never cross the FFI: they only mean something inside one
//! registry). Conversions from the core that need those codes live in
//! `registry.rs`; the ones here are self-contained.
//!
//! The core's kind enums are `#[non_exhaustive]`: Kotlin → core is a `From`,
//! core → Kotlin a `TryFrom` whose error (a kind this binding does not know
//! yet) is [`MutualisError::Internal`].

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;

/// Declares a fieldless enum mirrored from a core enum, with `From` (binding
/// → core) and `TryFrom` (core → binding, the core enum being non-exhaustive).
macro_rules! mirror_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident mirrors $core:path, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                match v {
                    $( $name::$variant => <$core>::$variant, )+
                }
            }
        }

        impl TryFrom<$core> for $name {
            type Error = MutualisError;
            fn try_from(v: $core) -> Result<Self, MutualisError> {
                match v {
                    $( <$core>::$variant => Ok($name::$variant), )+
                    other => Err(MutualisError::internal(format!(
                        "{} {:?} is not known to this version of the Kotlin binding",
                        $what, other
                    ))),
                }
            }
        }
    };
}

mirror_enum! {
    /// The legal kind of a collectivité.
    pub enum TenantKind mirrors mx::TenantKind, "tenant kind" {
        /// Commune.
        Commune,
        /// Communauté de communes (EPCI à fiscalité propre).
        CommunauteDeCommunes,
        /// Communauté d'agglomération (EPCI à fiscalité propre).
        CommunauteDAgglomeration,
        /// Communauté urbaine (EPCI à fiscalité propre).
        CommunauteUrbaine,
        /// Métropole (EPCI à fiscalité propre).
        Metropole,
        /// Syndicat (intercommunal or mixte), an EPCI without own taxation.
        Syndicat,
        /// Département.
        Departement,
        /// Any other public body (CCAS, office de tourisme…).
        Other,
    }
}

mirror_enum! {
    /// What an asset is.
    pub enum AssetKind mirrors mx::AssetKind, "asset kind" {
        /// A site (campus, depot, park) grouping buildings and spaces.
        Site,
        /// A building.
        Building,
        /// A floor (niveau) of a building.
        Floor,
        /// A room (local, salle).
        Room,
        /// A piece of equipment (boiler, lift, lighting…).
        Equipment,
        /// A road section (tronçon de voirie).
        RoadSection,
        /// A green space (espace vert).
        GreenSpace,
        /// A vehicle or mobile machine (parc auto).
        Vehicle,
        /// Furniture (mobilier, mobilier urbain).
        Furniture,
        /// A network (lighting, water, sewer).
        Network,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// What the weights of a sharing key measure (informative: the split rule
    /// is the same for all).
    pub enum KeyBasis mirrors mx::KeyBasis, "key basis" {
        /// Floor area in m² used by each tenant.
        FloorArea,
        /// Headcount (agents) of each tenant.
        Headcount,
        /// Usage (hours, bookings…).
        Usage,
        /// Shares agreed by deliberation (e.g. basis points).
        Agreed,
    }
}

mirror_enum! {
    /// A French VAT rate (CGI art. 278 ff.), today's and the former ones;
    /// which apply depends on the line's date (`vatRatesOn`).
    pub enum VatRate mirrors mx::VatRate, "VAT rate" {
        /// Taux normal, 20 % (CGI 278), since 2014-01-01.
        Standard,
        /// Taux intermédiaire, 10 % (CGI 279), since 2014-01-01.
        Intermediate,
        /// Taux réduit, 5.5 % (CGI 278-0 bis).
        Reduced,
        /// Taux particulier, 2.1 % (CGI 281 quater ff.).
        SuperReduced,
        /// Former taux normal, 19.6 %, 2000-04-01 to 2013-12-31.
        Standard196,
        /// Former taux intermédiaire, 7 %, 2012-01-01 to 2013-12-31.
        Intermediate7,
        /// Former taux normal, 20.6 %, 1995-08-01 to 2000-03-31.
        Standard206,
        /// Former taux normal, 18.6 %, 1982-07-01 to 1995-07-31.
        Standard186,
    }
}

/// Why a tenant holds or pays for an asset (the rule of DOMAIN §4 that applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PayerSourceKind {
    /// The sharing key of the asset or of its nearest ancestor with a key.
    SharingKey,
    /// A custody period (mise à disposition) on the asset or an ancestor with the same owner.
    Custody,
    /// No key and no custody: the owner.
    Owner,
}

/// A collectivité (tenant) as recorded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Tenant {
    /// Human code, unique ("ROANNE").
    pub code: String,
    /// Official name ("Ville de Roanne").
    pub name: String,
    /// Legal kind.
    pub kind: TenantKind,
    /// SIREN, 9 digits (normalised: spaces removed).
    pub siren: String,
    /// INSEE commune code, for communes only.
    pub insee: Option<String>,
    /// Codes of the groupings (EPCI, syndicats) it is a member of, in joining order.
    pub member_of: Vec<String>,
}

/// A service (cost centre) of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Service {
    /// Code of the tenant it belongs to.
    pub tenant: String,
    /// Code, unique within the tenant ("VOIRIE").
    pub code: String,
    /// Name ("Voirie et réseaux").
    pub name: String,
}

/// What is needed to create an asset. Only `code`, `name`, `kind`, `owner` and
/// `commissioned` are required; use named arguments for the rest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewAsset {
    /// Human code, unique ("GYM-COUBERTIN").
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AssetKind,
    /// Owner tenant code (propriétaire: keeps title whatever the custody).
    pub owner: String,
    /// Commissioning date (mise en service).
    pub commissioned: NaiveDate,
    /// Parent asset code.
    #[uniffi(default = None)]
    pub parent: Option<String>,
    /// Tenant code of the managing service; given together with `service`.
    #[uniffi(default = None)]
    pub service_tenant: Option<String>,
    /// Code of the managing service within `service_tenant`.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Decommissioning date (last day in service).
    #[uniffi(default = None)]
    pub decommissioned: Option<NaiveDate>,
    /// Floor area in m² (non-negative).
    #[uniffi(default = None)]
    pub floor_area: Option<Decimal>,
    /// Postal address.
    #[uniffi(default = None)]
    pub address: Option<String>,
    /// Free attributes (name → value).
    #[uniffi(default)]
    pub attributes: HashMap<String, String>,
}

impl TryFrom<NewAsset> for mx::NewAsset {
    type Error = MutualisError;

    /// Fails with `InvalidField` when only one of `service_tenant` and
    /// `service` is given (the core references a service by both).
    fn try_from(a: NewAsset) -> Result<Self, MutualisError> {
        let only = |given: String| -> MutualisError {
            mx::Error::InvalidField {
                field: "service",
                reason: format!(
                    "give both serviceTenant and service, or neither (got only {given})"
                ),
            }
            .into()
        };
        let service = match (a.service_tenant, a.service) {
            (Some(tenant), Some(service)) => Some(mx::ServiceRef { tenant, service }),
            (None, None) => None,
            (Some(tenant), None) => return Err(only(format!("serviceTenant {tenant:?}"))),
            (None, Some(service)) => return Err(only(format!("service {service:?}"))),
        };
        Ok(mx::NewAsset {
            code: a.code,
            name: a.name,
            kind: a.kind.into(),
            parent: a.parent,
            owner: a.owner,
            service,
            commissioned: a.commissioned,
            decommissioned: a.decommissioned,
            floor_area: a.floor_area,
            address: a.address,
            attributes: a.attributes.into_iter().collect(),
        })
    }
}

/// An asset of the patrimoine as recorded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Asset {
    /// Human code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AssetKind,
    /// Owner tenant code.
    pub owner: String,
    /// Commissioning date.
    pub commissioned: NaiveDate,
    /// Parent asset code, if any.
    pub parent: Option<String>,
    /// Tenant code of the managing service, if any.
    pub service_tenant: Option<String>,
    /// Code of the managing service, if any.
    pub service: Option<String>,
    /// Decommissioning date (last day in service), if any.
    pub decommissioned: Option<NaiveDate>,
    /// Floor area in m², if known.
    pub floor_area: Option<Decimal>,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Free attributes (name → value).
    pub attributes: HashMap<String, String>,
}

/// A custody period (mise à disposition, CGCT L1321-1): the beneficiary holds
/// the asset and bears its costs from `from` to `to`, both days inclusive.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Custody {
    /// Asset code.
    pub asset: String,
    /// Beneficiary tenant code.
    pub beneficiary: String,
    /// First day (inclusive).
    pub from: NaiveDate,
    /// Last day (inclusive); null when open-ended.
    pub to: Option<NaiveDate>,
}

/// A transfer of ownership (transfert de propriété): `owner` holds title
/// from `from` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Transfer {
    /// Asset code.
    pub asset: String,
    /// The new owner's code.
    pub owner: String,
    /// First day of the new ownership.
    pub from: NaiveDate,
}

/// One tenant's integer weight in a sharing key or a payers list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Share {
    /// Tenant code.
    pub tenant: String,
    /// Its weight (m², agents, hours, basis points…).
    pub weight: u64,
}

/// A sharing key of a shared asset (bien partagé) over a validity period.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SharingKey {
    /// Code of the asset carrying the key.
    pub asset: String,
    /// What the weights measure.
    pub basis: KeyBasis,
    /// First day (inclusive).
    pub from: NaiveDate,
    /// Last day (inclusive); null when open-ended.
    pub to: Option<NaiveDate>,
    /// Weights per tenant, sorted by tenant code.
    pub weights: Vec<Share>,
}

/// The tenant holding an asset on a date, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Holder {
    /// The holder: the custody beneficiary, else the owner.
    pub tenant: String,
    /// `CUSTODY` or `OWNER`.
    pub source: PayerSourceKind,
    /// Code of the asset carrying the custody period (the asset or an ancestor); null for `OWNER`.
    pub source_asset: Option<String>,
}

/// Who pays for a cost on an asset at a date (DOMAIN §4 steps 1–2).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Payers {
    /// The rule that decided.
    pub source: PayerSourceKind,
    /// Code of the asset carrying the key or the custody; null for `OWNER`.
    pub source_asset: Option<String>,
    /// Paying tenants with positive weights, sorted by tenant code.
    pub shares: Vec<Share>,
}

/// One tenant's part of a cost.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Allocation {
    /// Tenant code.
    pub tenant: String,
    /// Its part, in euros, to the cent.
    pub amount: Decimal,
}

/// A supplier line: HT, VAT rate, VAT and TTC, each to the cent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VatLine {
    /// Amount before tax (hors taxes), rounded to the cent.
    pub ht: Decimal,
    /// The rate applied.
    pub rate: VatRate,
    /// The rate in percent (20, 10, 5.5, 2.1).
    pub rate_percent: Decimal,
    /// The tax, round(HT × rate), half away from zero.
    pub vat: Decimal,
    /// Amount with tax (toutes taxes comprises), HT + VAT.
    pub ttc: Decimal,
}

impl TryFrom<mx::VatLine> for VatLine {
    type Error = MutualisError;
    fn try_from(l: mx::VatLine) -> Result<Self, MutualisError> {
        Ok(VatLine {
            ht: l.ht,
            rate: l.rate.try_into()?,
            rate_percent: l.rate.percent(),
            vat: l.vat,
            ttc: l.ttc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Must;

    #[test]
    fn enums_round_trip_through_the_core() {
        for k in mx::TenantKind::ALL {
            assert_eq!(mx::TenantKind::from(TenantKind::try_from(*k).must()), *k);
        }
        for k in mx::AssetKind::ALL {
            assert_eq!(mx::AssetKind::from(AssetKind::try_from(*k).must()), *k);
        }
        for k in mx::KeyBasis::ALL {
            assert_eq!(mx::KeyBasis::from(KeyBasis::try_from(*k).must()), *k);
        }
        for r in mx::VatRate::ALL {
            assert_eq!(mx::VatRate::from(VatRate::try_from(r).must()), r);
        }
    }
}

mirror_enum! {
    /// How `respreadAp` spreads the difference between the new and the
    /// current AP over the open years from the revision's year.
    pub enum Respread mirrors mx::planning::Respread, "re-spread rule" {
        /// All of it on the last open year (a decrease takes from the last
        /// year first, never below what a year has paid).
        LastYear,
        /// In proportion to each open year's CP still to pay (largest remainder).
        Proportional,
    }
}

mirror_enum! {
    /// Why stock leaves a store without a work order.
    pub enum IssueReason mirrors mx::IssueReason, "stock issue reason" {
        /// Handed to an agent (`agent` names them).
        Agent,
        /// Handed to a service (`serviceTenant` and `service` name it).
        Service,
        /// Lost, broken, stolen or past its date.
        Loss,
        /// An inventory count found less than recorded.
        Inventory,
    }
}
