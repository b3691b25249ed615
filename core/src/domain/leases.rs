//! Locatif: leases and occupation agreements on assets of the patrimoine,
//! indexed rents, rent calls and receipts, recoverable charges, and the
//! in-kind aid given to associations (docs/leases.md, DOMAIN §7).
//!
//! A contract is on an existing asset (building, floor, room, plot); a
//! collectivité of the group is lessor or lessee, the other side is a
//! [`Party`] (a company with its SIRET, an association with its RNA number,
//! a person, or another collectivité of the group). Index series (ILC, ILAT,
//! IRL, ICC or any other) are data: quarterly values by name.
//!
//! ```
//! use mutualis::leases::{LeaseKind, NewLease, NewParty, PartyKind, Quarter};
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("LOC-1", "Local commercial", AssetKind::Building, "ROANNE", d(1990, 1, 1))).unwrap();
//! m.add_party(NewParty::new("BOULANGERIE", "Boulangerie du centre", PartyKind::Company).identified_by("73282932000074")).unwrap();
//! let q = |s: &str| s.parse::<Quarter>().unwrap();
//! m.set_index_value("ILC", q("2024-Q3"), dec!(131.67)).unwrap();
//! m.set_index_value("ILC", q("2025-Q3"), dec!(137.21)).unwrap();
//! m.add_lease(
//!     NewLease::new("BC-1", "LOC-1", "ROANNE", "BOULANGERIE", LeaseKind::Commercial, d(2025, 1, 1), dec!(9876.54))
//!         .indexed("ILC", q("2024-Q3")),
//! ).unwrap();
//! let r = m.revise_rent("BC-1", d(2026, 1, 1), q("2025-Q3")).unwrap();
//! assert_eq!(r.new_rent, dec!(10292.09));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::ids::{AssetId, TenantId};
use crate::kinds::named_enum;

mod aid;
mod calls;
mod charges;
mod contracts;
mod dashboards;
pub(crate) mod dataset;
pub mod events;
mod indexation;

pub use contracts::check_rna;
pub(crate) use dataset::LeaseRecords;
pub use events::LeaseEvent;

/// Above this amount per year, in-kind and cash aid to one association from
/// one authority needs a written convention (loi 2000-321 art. 10, décret
/// 2001-495 art. 1: 23 000 €).
pub const CONVENTION_THRESHOLD: Decimal = Decimal::from_parts(2_300_000, 0, 0, false, 2);

/// From this population (population légale), a commune annexes to its
/// budget documents the list of the aids in kind it gives to associations
/// (CGCT L2313-1: communes of 3 500 inhabitants and more).
pub const ANNEX_POPULATION: u32 = 3_500;

/// A variation of the rent since the last revision above this fraction is
/// flagged (Code de commerce L145-39: 25 %).
pub const REVISION_WARNING: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

named_enum! {
    /// What the other party of a contract is.
    pub enum PartyKind as "party kind" {
        /// A company, identified by its SIRET.
        Company = "company",
        /// An association, identified by its RNA number (`W` + 9 digits).
        Association = "association",
        /// A natural person.
        Person = "person",
        /// A collectivité of the group (its tenant code).
        Collectivite = "collectivite",
    }
}

named_enum! {
    /// The type of a contract.
    pub enum LeaseKind as "lease kind" {
        /// Bail commercial (Code de commerce L145-1 ff.).
        Commercial = "commercial",
        /// Bail professionnel (loi 86-1290 art. 57 A).
        Professional = "professional",
        /// Bail d'habitation (loi 89-462).
        Residential = "residential",
        /// Convention d'occupation du domaine public, for a fee (redevance, CG3P L2125-1).
        PublicDomain = "public_domain",
        /// Mise à disposition gratuite (free occupation, typically by an association).
        FreeOccupation = "free_occupation",
        /// A lease between collectivités of the group.
        BetweenCollectivites = "between_collectivites",
    }
}

named_enum! {
    /// Which side the collectivité of the group is on.
    pub enum LeaseSide as "lease side" {
        /// The collectivité lets the premises (rent is a receipt of its budget).
        Lessor = "lessor",
        /// The collectivité rents the premises (rent is an expense).
        Lessee = "lessee",
    }
}

named_enum! {
    /// How often rent is called.
    pub enum RentPeriodicity as "rent periodicity" {
        /// Every calendar month.
        Monthly = "monthly",
        /// Every calendar quarter (January, April, July, October).
        Quarterly = "quarterly",
        /// Every calendar year.
        Yearly = "yearly",
    }
}

impl RentPeriodicity {
    /// Periods in a year (12, 4, 1).
    #[must_use]
    pub fn per_year(self) -> u32 {
        match self {
            RentPeriodicity::Monthly => 12,
            RentPeriodicity::Quarterly => 4,
            RentPeriodicity::Yearly => 1,
        }
    }

    fn months(self) -> u32 {
        12 / self.per_year()
    }
}

named_enum! {
    /// When rent is payable.
    pub enum RentTerm as "rent term" {
        /// In advance (terme à échoir): due on the period's first day.
        Advance = "advance",
        /// In arrears (terme échu): due on the period's last day.
        Arrears = "arrears",
    }
}

named_enum! {
    /// A category of recoverable charges.
    pub enum ChargeCategory as "charge category" {
        /// Energy (heating, electricity of common parts, water).
        Energy = "energy",
        /// Cleaning.
        Cleaning = "cleaning",
        /// Maintenance of common parts and equipment.
        Maintenance = "maintenance",
        /// Taxes recovered (taxe d'enlèvement des ordures ménagères…).
        Taxes = "taxes",
        /// Anything else.
        Other = "other",
    }
}

/// A calendar quarter of an index series (`2025-Q3`).
///
/// ```
/// use mutualis::leases::Quarter;
/// let q: Quarter = "2025-Q3".parse().unwrap();
/// assert_eq!((q.year(), q.quarter()), (2025, 3));
/// assert_eq!(q.plus(4).to_string(), "2026-Q3");
/// assert!("2025-Q5".parse::<Quarter>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    year: i32,
    q: u8,
}

impl Quarter {
    /// The quarter `q` (1 to 4) of `year` (within [`crate::YEARS`]).
    ///
    /// Errors: [`Error::InvalidField`] (quarter), [`Error::YearOutOfRange`].
    pub fn new(year: i32, q: u32) -> Result<Quarter> {
        crate::period::check_year("quarter", year)?;
        if !(1..=4).contains(&q) {
            return Err(Error::InvalidField {
                field: "quarter",
                reason: format!("quarter {q} is not 1 to 4"),
            });
        }
        Ok(Quarter { year, q: q as u8 })
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    /// The quarter, 1 to 4.
    #[must_use]
    pub fn quarter(self) -> u32 {
        u32::from(self.q)
    }

    /// The quarter `n` quarters later.
    #[must_use]
    pub fn plus(self, n: u32) -> Quarter {
        let i = i64::from(self.year) * 4 + i64::from(self.q - 1) + i64::from(n);
        Quarter {
            year: i32::try_from(i.div_euclid(4)).unwrap_or(i32::MAX),
            q: (i.rem_euclid(4) + 1) as u8,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Quarter> {
        let bad = || Error::InvalidField {
            field: "quarter",
            reason: format!("{s:?} is not a quarter like 2025-Q3"),
        };
        let (y, q) = s.trim().split_once(['-', ' ']).ok_or_else(bad)?;
        let q = q.strip_prefix(['Q', 'q', 'T', 't']).ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        Quarter::new(year, q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Quarter, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A party to add to the register of lessees and lessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    /// Code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// SIRET (company), RNA number (association), tenant code
    /// (collectivité); none for a person (and optional for a company).
    pub identifier: Option<String>,
}

impl NewParty {
    /// A party without identifier.
    #[must_use]
    pub fn new(code: &str, name: &str, kind: PartyKind) -> NewParty {
        NewParty {
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            identifier: None,
        }
    }

    /// With its SIRET, RNA number or tenant code.
    #[must_use]
    pub fn identified_by(mut self, identifier: &str) -> NewParty {
        self.identifier = Some(identifier.to_owned());
        self
    }
}

/// A party of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// SIRET, RNA number (normalised) or tenant code.
    pub identifier: Option<String>,
}

/// A contract to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLease {
    /// Contract code, unique.
    pub code: String,
    /// The asset occupied (building, floor, room, plot).
    pub asset: String,
    /// The collectivité of the group that signs (tenant code).
    pub tenant: String,
    /// Its side.
    pub side: LeaseSide,
    /// The other party (party code).
    pub party: String,
    /// Type of contract.
    pub kind: LeaseKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day of the contractual term (none: indefinite).
    pub end: Option<NaiveDate>,
    /// Notice, in months.
    pub notice_months: u32,
    /// Renewed tacitly at its end (it then runs until ended).
    pub tacit_renewal: bool,
    /// Surface occupied, in m² (at most 2 decimals).
    pub surface: Option<Decimal>,
    /// Security deposit (dépôt de garantie).
    pub deposit: Decimal,
    /// Exclusive occupation: no other contract of the same side may overlap it on the asset.
    pub exclusive: bool,
    /// Rent (or fee) per period, whole cents, ≥ 0 (0: free occupation).
    pub rent: Decimal,
    /// Periodicity of rent calls.
    pub periodicity: RentPeriodicity,
    /// Payable in advance or in arrears.
    pub term: RentTerm,
    /// Provision for charges per period, whole cents, ≥ 0.
    pub charges_provision: Decimal,
    /// Yearly rental value of the premises (valeur locative), for a free or
    /// reduced occupation (in-kind aid).
    pub rental_value: Option<Decimal>,
    /// Index series name ("ILC", "ILAT", "IRL", "ICC"…), if indexed.
    pub index: Option<String>,
    /// Reference quarter of the rent as signed (or last revised before it was recorded).
    pub reference_quarter: Option<Quarter>,
    /// First revision date (default: the first anniversary of `start`);
    /// revisions then follow yearly.
    pub first_revision: Option<NaiveDate>,
}

impl NewLease {
    /// An exclusive lease where the collectivité is lessor, rent yearly in
    /// advance, no end, 6 months' notice, no deposit, not indexed.
    #[must_use]
    pub fn new(
        code: &str,
        asset: &str,
        tenant: &str,
        party: &str,
        kind: LeaseKind,
        start: NaiveDate,
        rent: Decimal,
    ) -> NewLease {
        NewLease {
            code: code.to_owned(),
            asset: asset.to_owned(),
            tenant: tenant.to_owned(),
            side: LeaseSide::Lessor,
            party: party.to_owned(),
            kind,
            start,
            end: None,
            notice_months: 6,
            tacit_renewal: false,
            surface: None,
            deposit: Decimal::ZERO,
            exclusive: true,
            rent,
            periodicity: RentPeriodicity::Yearly,
            term: RentTerm::Advance,
            charges_provision: Decimal::ZERO,
            rental_value: None,
            index: None,
            reference_quarter: None,
            first_revision: None,
        }
    }

    /// Indexed on a series from a reference quarter.
    #[must_use]
    pub fn indexed(mut self, series: &str, reference: Quarter) -> NewLease {
        self.index = Some(series.to_owned());
        self.reference_quarter = Some(reference);
        self
    }

    /// Rent per period, called monthly, quarterly or yearly, in advance or arrears.
    #[must_use]
    pub fn paying(
        mut self,
        rent: Decimal,
        periodicity: RentPeriodicity,
        term: RentTerm,
    ) -> NewLease {
        self.rent = rent;
        self.periodicity = periodicity;
        self.term = term;
        self
    }

    /// Ending on `end` (last day).
    #[must_use]
    pub fn ending(mut self, end: NaiveDate) -> NewLease {
        self.end = Some(end);
        self
    }

    /// Occupying `m2` square metres.
    #[must_use]
    pub fn with_surface(mut self, m2: Decimal) -> NewLease {
        self.surface = Some(m2);
        self
    }

    /// With a yearly rental value (free or reduced occupation).
    #[must_use]
    pub fn with_rental_value(mut self, yearly: Decimal) -> NewLease {
        self.rental_value = Some(yearly);
        self
    }

    /// The collectivité is the lessee.
    #[must_use]
    pub fn as_lessee(mut self) -> NewLease {
        self.side = LeaseSide::Lessee;
        self
    }
}

/// A contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Contract code.
    pub code: String,
    /// The asset occupied.
    pub asset: AssetId,
    /// The collectivité of the group that signed.
    pub tenant: TenantId,
    /// Its side.
    pub side: LeaseSide,
    /// The other party (index in [`crate::Mutualis::parties`]).
    pub party: usize,
    /// Type.
    pub kind: LeaseKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day of the contractual term.
    pub end: Option<NaiveDate>,
    /// Notice, in months.
    pub notice_months: u32,
    /// Tacit renewal.
    pub tacit_renewal: bool,
    /// Surface in m².
    pub surface: Option<Decimal>,
    /// Deposit.
    pub deposit: Decimal,
    /// Exclusive.
    pub exclusive: bool,
    /// Rent per period as signed.
    pub rent: Decimal,
    /// Periodicity.
    pub periodicity: RentPeriodicity,
    /// Term.
    pub term: RentTerm,
    /// Provision for charges per period.
    pub charges_provision: Decimal,
    /// Yearly rental value.
    pub rental_value: Option<Decimal>,
    /// Index series.
    pub index: Option<String>,
    /// Reference quarter as signed.
    pub reference_quarter: Option<Quarter>,
    /// First revision date.
    pub first_revision: Option<NaiveDate>,
    /// Ended (résilié) on this last day, if it was.
    pub terminated: Option<NaiveDate>,
}

impl Lease {
    /// The last day of occupation: the termination, else the contractual
    /// end unless tacitly renewed (none: running).
    #[must_use]
    pub fn last_day(&self) -> Option<NaiveDate> {
        match self.terminated {
            Some(t) => Some(t),
            None if self.tacit_renewal => None,
            None => self.end,
        }
    }

    /// True when the contract runs on `date`.
    #[must_use]
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.start && self.last_day().is_none_or(|l| date <= l)
    }

    fn period(&self) -> crate::Period {
        crate::Period {
            from: self.start,
            to: self.last_day(),
        }
    }
}

/// A rent revision by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Effective date.
    pub date: NaiveDate,
    /// The index series.
    pub series: String,
    /// The previous reference quarter.
    pub from_quarter: Quarter,
    /// The new reference quarter.
    pub quarter: Quarter,
    /// The index value of the previous reference quarter.
    pub from_value: Decimal,
    /// The index value of the new reference quarter.
    pub value: Decimal,
    /// Rent per period before.
    pub old_rent: Decimal,
    /// Rent per period from `date`: old × value / from_value, rounded to
    /// the cent half away from zero.
    pub new_rent: Decimal,
    /// new / old − 1, to 4 decimals.
    pub variation: Decimal,
    /// The variation exceeds 25 % (Code de commerce L145-39: the lessee
    /// may ask for the rent to be re-set at the rental value).
    pub warning: bool,
}

/// A receipt of rent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Date received.
    pub date: NaiveDate,
    /// Amount, whole cents, > 0.
    pub amount: Decimal,
    /// Reference (titre de recette, bank reference).
    pub reference: Option<String>,
}

/// Recoverable charges of a building for a year, to split among its occupants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCharges {
    /// The building (asset code): occupants are the lessor contracts on it
    /// or on its descendants.
    pub building: String,
    /// Year.
    pub year: i32,
    /// Category.
    pub category: ChargeCategory,
    /// Amount, whole cents, ≥ 0.
    pub amount: Decimal,
    /// Split key by contract code (none: by surface × days occupied in
    /// the year, the vacant part staying with the lessor).
    pub key: Option<BTreeMap<String, u64>>,
}

/// Recorded charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charges {
    /// The building.
    pub building: AssetId,
    /// Year.
    pub year: i32,
    /// Category.
    pub category: ChargeCategory,
    /// Amount.
    pub amount: Decimal,
    /// Key by contract index (none: by surface).
    pub key: Option<Vec<(usize, u64)>>,
}

/// One call of rent (avis d'échéance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentCall {
    /// Contract code.
    pub lease: String,
    /// First day of the period called (the contract's start for a first partial period).
    pub from: NaiveDate,
    /// Last day called.
    pub to: NaiveDate,
    /// Due date: `from` in advance, `to` in arrears.
    pub due: NaiveDate,
    /// Days called / days of the calendar period (pro rata temporis).
    pub days: u32,
    /// Days of the calendar period.
    pub period_days: u32,
    /// Rent per period in force on `from`.
    pub rent_per_period: Decimal,
    /// Rent called: rent × days / period days, rounded to the cent.
    pub rent: Decimal,
    /// Provision for charges called, pro rata likewise.
    pub provision: Decimal,
    /// rent + provision.
    pub total: Decimal,
    /// The collectivité's side (lessor: a receipt of its budget; lessee: an expense).
    pub side: LeaseSide,
}

/// One occupant's share of a building's charges for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeShare {
    /// Contract code (none: the vacant part, the lessor's).
    pub lease: Option<String>,
    /// The occupant (party code; none for the vacant part).
    pub party: Option<String>,
    /// Its weight (m² × 100 × days, or the key's weight).
    pub weight: u64,
    /// Its share of the charges.
    pub share: Decimal,
    /// Provisions called in the year.
    pub provisions: Decimal,
    /// share − provisions: positive, the occupant owes; negative, it is refunded.
    pub balance: Decimal,
}

named_enum! {
    /// What one line of in-kind aid is.
    pub enum AidSource as "aid source" {
        /// Rent waived: rental value (pro rata) minus the rent called.
        WaivedRent = "waived_rent",
        /// A cost line of an intervention in the premises (TTC).
        Intervention = "intervention",
    }
}

/// One line of in-kind aid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidLine {
    /// What it is.
    pub source: AidSource,
    /// Contract code.
    pub lease: String,
    /// Asset code (the premises, or the asset of the intervention).
    pub asset: String,
    /// The work order (interventions).
    pub work_order: Option<String>,
    /// Date (interventions; the year's first day occupied for waived rent).
    pub date: NaiveDate,
    /// Amount (TTC for interventions).
    pub amount: Decimal,
}

/// The in-kind aid of one association from one collectivité for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InKindAid {
    /// The collectivité giving it (tenant code).
    pub tenant: String,
    /// The association (party code).
    pub association: String,
    /// Its name.
    pub name: String,
    /// Its RNA number.
    pub rna: Option<String>,
    /// Year.
    pub year: i32,
    /// Rent waived.
    pub waived_rent: Decimal,
    /// Interventions in the premises, TTC.
    pub interventions: Decimal,
    /// waived_rent + interventions.
    pub total: Decimal,
    /// total > 23 000 €: a convention is required (loi 2000-321 art. 10).
    pub convention_required: bool,
    /// The lines.
    pub lines: Vec<AidLine>,
}

/// The annex of the aids in kind one collectivité gives to associations
/// for a year (CGCT L2313-1), one row per association.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidAnnex {
    /// The collectivité (tenant code).
    pub tenant: String,
    /// Year.
    pub year: i32,
    /// The population given (population légale: data of the host).
    pub population: u32,
    /// population ≥ 3 500 ([`ANNEX_POPULATION`]): the annex is due with the
    /// budget documents.
    pub required: bool,
    /// One row per association, by code.
    pub rows: Vec<InKindAid>,
    /// Rent waived, over the rows.
    pub waived_rent: Decimal,
    /// Interventions, over the rows.
    pub interventions: Decimal,
    /// waived_rent + interventions.
    pub total: Decimal,
}

named_enum! {
    /// How a rent roll groups contracts.
    pub enum RollBy as "rent roll grouping" {
        /// By party (the lessee or lessor facing the collectivité).
        Party = "party",
        /// By collectivité of the group.
        Tenant = "tenant",
        /// By building (the nearest building at or above the asset).
        Building = "building",
        /// By type of contract.
        Kind = "kind",
    }
}

/// One contract in force in a rent roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentRollRow {
    /// Contract code.
    pub lease: String,
    /// Collectivité (tenant code).
    pub tenant: String,
    /// Party code.
    pub party: String,
    /// Asset code.
    pub asset: String,
    /// Building code.
    pub building: String,
    /// Type.
    pub kind: LeaseKind,
    /// Side.
    pub side: LeaseSide,
    /// Rent per period in force.
    pub rent: Decimal,
    /// Yearly rent (rent × periods per year).
    pub annual_rent: Decimal,
    /// Surface.
    pub surface: Option<Decimal>,
}

/// A rent roll total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollTotal {
    /// The group's key (party, tenant or building code, or type name).
    pub key: String,
    /// Contracts.
    pub leases: usize,
    /// Yearly rent.
    pub annual_rent: Decimal,
    /// Surface (m²) of the contracts that give one.
    pub surface: Decimal,
}

/// Occupancy of a building on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupancy {
    /// Building code.
    pub building: String,
    /// Its floor area, if known.
    pub floor_area: Option<Decimal>,
    /// Surface let (lessor contracts in force).
    pub occupied: Decimal,
    /// floor area − occupied (none without floor area).
    pub vacant: Option<Decimal>,
    /// occupied / floor area, to 4 decimals.
    pub rate: Option<Decimal>,
    /// Contracts in force.
    pub leases: usize,
}

/// Arrears of a contract on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrears {
    /// Contract code.
    pub lease: String,
    /// Party code.
    pub party: String,
    /// Called and due by the date.
    pub called: Decimal,
    /// Received by the date.
    pub received: Decimal,
    /// called − received (> 0).
    pub balance: Decimal,
    /// The oldest due date not covered by receipts.
    pub oldest_due: NaiveDate,
}

named_enum! {
    /// A deadline of a contract.
    pub enum DeadlineKind as "deadline kind" {
        /// A rent revision is due.
        Revision = "revision",
        /// The term ends and the contract renews tacitly (unless notice is given).
        Renewal = "renewal",
        /// The contract ends.
        End = "end",
        /// The last day to give notice before the term.
        Notice = "notice",
    }
}

/// An upcoming deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// Contract code.
    pub lease: String,
    /// What.
    pub kind: DeadlineKind,
    /// When.
    pub date: NaiveDate,
    /// For a revision: the reference quarter to use.
    pub quarter: Option<Quarter>,
}

/// An in-place change of the leases to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum LeaseUndo {
    /// A party was added (the last one).
    PartyAdded,
    /// A contract was added (the last one).
    LeaseAdded,
    /// A contract as it was.
    Lease { at: usize, old: Box<Lease> },
    /// An index value was set (new).
    IndexValue { series: String, quarter: Quarter },
    /// A revision was pushed on a contract.
    Revision { at: usize },
    /// A receipt was pushed on a contract.
    Receipt { at: usize },
    /// Charges were recorded (the last ones).
    Charges,
}

/// The leases' state.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Leases {
    parties: Vec<Party>,
    party_index: HashMap<String, usize>,
    leases: Vec<Lease>,
    lease_index: HashMap<String, usize>,
    /// Contracts per asset, in creation order.
    by_asset: HashMap<AssetId, Vec<usize>>,
    /// Index series: name → quarter → value.
    indices: BTreeMap<String, BTreeMap<Quarter, Decimal>>,
    /// Per contract: revisions in date order.
    revisions: Vec<Vec<Revision>>,
    /// Per contract: receipts in the order recorded.
    receipts: Vec<Vec<Receipt>>,
    charges: Vec<Charges>,
}

impl Leases {
    pub(crate) fn undo(&mut self, u: LeaseUndo) {
        match u {
            LeaseUndo::PartyAdded => {
                if let Some(p) = self.parties.pop() {
                    self.party_index.remove(&p.code);
                }
            }
            LeaseUndo::LeaseAdded => {
                if let Some(l) = self.leases.pop() {
                    self.lease_index.remove(&l.code);
                    let at = self.leases.len();
                    if let Some(v) = self.by_asset.get_mut(&l.asset) {
                        v.retain(|&i| i != at);
                        if v.is_empty() {
                            self.by_asset.remove(&l.asset);
                        }
                    }
                    self.revisions.pop();
                    self.receipts.pop();
                }
            }
            LeaseUndo::Lease { at, old } => {
                if let Some(l) = self.leases.get_mut(at) {
                    *l = *old;
                }
            }
            LeaseUndo::IndexValue { series, quarter } => {
                if let Some(s) = self.indices.get_mut(&series) {
                    s.remove(&quarter);
                    if s.is_empty() {
                        self.indices.remove(&series);
                    }
                }
            }
            LeaseUndo::Revision { at } => {
                if let Some(r) = self.revisions.get_mut(at) {
                    r.pop();
                }
            }
            LeaseUndo::Receipt { at } => {
                if let Some(r) = self.receipts.get_mut(at) {
                    r.pop();
                }
            }
            LeaseUndo::Charges => {
                self.charges.pop();
            }
        }
    }
}

/// True when the contract at `at` is kept (`None`: every contract).
pub(crate) fn kept(keep: Option<&[bool]>, at: usize) -> bool {
    keep.is_none_or(|k| k.get(at).copied().unwrap_or(false))
}

/// Days from `a` to `b` inclusive (0 when `b < a`).
fn days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    u32::try_from((b - a).num_days() + 1).unwrap_or(0)
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// The calendar period of `periodicity` containing `date`.
fn period_containing(periodicity: RentPeriodicity, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let months = periodicity.months();
    let m0 = (date.month0() / months) * months + 1;
    let first = NaiveDate::from_ymd_opt(date.year(), m0, 1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    (first, next.pred_opt().unwrap_or(next))
}

/// amount × num / den rounded to the cent half away from zero.
fn pro_rata(amount: Decimal, num: u32, den: u32) -> Decimal {
    if den == 0 || num >= den {
        return crate::money::round_cents(amount);
    }
    crate::money::round_cents(amount * Decimal::from(num) / Decimal::from(den))
}

fn nonnegative(field: &'static str, amount: Decimal) -> Result<Decimal> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::NegativeAmount { field, amount });
    }
    crate::money::to_cents(amount)?;
    Ok(amount)
}
