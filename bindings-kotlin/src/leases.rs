//! Locatif seen from Kotlin (issue 14): parties, contracts, index values,
//! revisions, rent calls, receipts, charges, in-kind aid and dashboards.
//! The rules are the core's (`mutualis::leases`); this file only converts.
//! Quarters are strings like `"2025-Q3"`.

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use mx::leases as ml;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;

mirror_enum! {
    /// What the other party of a contract is.
    pub enum PartyKind mirrors ml::PartyKind, "party kind" {
        /// A company (SIRET).
        Company,
        /// An association (RNA number).
        Association,
        /// A natural person.
        Person,
        /// A collectivité of the group (its tenant code).
        Collectivite,
    }
}

mirror_enum! {
    /// The type of a contract.
    pub enum LeaseKind mirrors ml::LeaseKind, "lease kind" {
        /// Bail commercial.
        Commercial,
        /// Bail professionnel.
        Professional,
        /// Bail d'habitation.
        Residential,
        /// Convention d'occupation du domaine public (redevance, CG3P L2125-1).
        PublicDomain,
        /// Mise à disposition gratuite.
        FreeOccupation,
        /// A lease between collectivités of the group.
        BetweenCollectivites,
    }
}

mirror_enum! {
    /// Which side the collectivité is on.
    pub enum LeaseSide mirrors ml::LeaseSide, "lease side" {
        /// It lets the premises (rent is a receipt).
        Lessor,
        /// It rents them (rent is an expense).
        Lessee,
    }
}

mirror_enum! {
    /// How often rent is called.
    pub enum RentPeriodicity mirrors ml::RentPeriodicity, "rent periodicity" {
        /// Every calendar month.
        Monthly,
        /// Every calendar quarter.
        Quarterly,
        /// Every calendar year.
        Yearly,
    }
}

mirror_enum! {
    /// When rent is payable.
    pub enum RentTerm mirrors ml::RentTerm, "rent term" {
        /// In advance (first day of the period).
        Advance,
        /// In arrears (last day of the period).
        Arrears,
    }
}

mirror_enum! {
    /// A category of recoverable charges.
    pub enum ChargeCategory mirrors ml::ChargeCategory, "charge category" {
        /// Energy.
        Energy,
        /// Cleaning.
        Cleaning,
        /// Maintenance.
        Maintenance,
        /// Taxes recovered.
        Taxes,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// What a line of in-kind aid is.
    pub enum AidSource mirrors ml::AidSource, "aid source" {
        /// Rent waived.
        WaivedRent,
        /// An intervention in the premises (TTC).
        Intervention,
    }
}

mirror_enum! {
    /// How a rent roll groups contracts.
    pub enum RollBy mirrors ml::RollBy, "rent roll grouping" {
        /// By party.
        Party,
        /// By collectivité.
        Tenant,
        /// By building.
        Building,
        /// By type of contract.
        Kind,
    }
}

mirror_enum! {
    /// A deadline of a contract.
    pub enum DeadlineKind mirrors ml::DeadlineKind, "deadline kind" {
        /// A rent revision is due.
        Revision,
        /// The term ends and renews tacitly.
        Renewal,
        /// The contract ends.
        End,
        /// The last day to give notice.
        Notice,
    }
}

/// A party facing a collectivité.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Party {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// SIRET, RNA number or tenant code.
    pub identifier: Option<String>,
}

/// A contract to add.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewLease {
    /// Contract code.
    pub code: String,
    /// Asset occupied.
    pub asset: String,
    /// The collectivité that signs.
    pub tenant: String,
    /// The other party's code.
    pub party: String,
    /// Type.
    pub kind: LeaseKind,
    /// First day.
    pub start: NaiveDate,
    /// Rent (or fee) per period.
    pub rent: Decimal,
    /// Side (null: lessor).
    #[uniffi(default = None)]
    pub side: Option<LeaseSide>,
    /// Last day of the term.
    #[uniffi(default = None)]
    pub end: Option<NaiveDate>,
    /// Notice in months (null: 6).
    #[uniffi(default = None)]
    pub notice_months: Option<u32>,
    /// Tacit renewal.
    #[uniffi(default = false)]
    pub tacit_renewal: bool,
    /// Surface in m².
    #[uniffi(default = None)]
    pub surface: Option<Decimal>,
    /// Deposit.
    #[uniffi(default = None)]
    pub deposit: Option<Decimal>,
    /// Exclusive (null: true).
    #[uniffi(default = None)]
    pub exclusive: Option<bool>,
    /// Periodicity (null: yearly).
    #[uniffi(default = None)]
    pub periodicity: Option<RentPeriodicity>,
    /// Term (null: advance).
    #[uniffi(default = None)]
    pub term: Option<RentTerm>,
    /// Provision for charges per period.
    #[uniffi(default = None)]
    pub charges_provision: Option<Decimal>,
    /// Yearly rental value (free or reduced occupation).
    #[uniffi(default = None)]
    pub rental_value: Option<Decimal>,
    /// Index series ("ILC", "ICC"…).
    #[uniffi(default = None)]
    pub index: Option<String>,
    /// Reference quarter ("2024-Q3").
    #[uniffi(default = None)]
    pub reference_quarter: Option<String>,
    /// First revision date.
    #[uniffi(default = None)]
    pub first_revision: Option<NaiveDate>,
}

/// A contract.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Lease {
    /// Contract code.
    pub code: String,
    /// Asset code.
    pub asset: String,
    /// The collectivité.
    pub tenant: String,
    /// Side.
    pub side: LeaseSide,
    /// Party code.
    pub party: String,
    /// Type.
    pub kind: LeaseKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day of the term.
    pub end: Option<NaiveDate>,
    /// Notice in months.
    pub notice_months: u32,
    /// Tacit renewal.
    pub tacit_renewal: bool,
    /// Surface.
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
    /// Provision per period.
    pub charges_provision: Decimal,
    /// Yearly rental value.
    pub rental_value: Option<Decimal>,
    /// Index series.
    pub index: Option<String>,
    /// Reference quarter as signed.
    pub reference_quarter: Option<String>,
    /// Ended on this day.
    pub terminated: Option<NaiveDate>,
    /// The last day of occupation (null: running).
    pub last_day: Option<NaiveDate>,
}

/// A rent revision by index.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RentRevision {
    /// Effective date.
    pub date: NaiveDate,
    /// Series.
    pub series: String,
    /// Previous reference quarter.
    pub from_quarter: String,
    /// New reference quarter.
    pub quarter: String,
    /// Index value of the previous reference quarter.
    pub from_value: Decimal,
    /// Index value of the new one.
    pub value: Decimal,
    /// Rent per period before.
    pub old_rent: Decimal,
    /// Rent per period from `date` (rounded to the cent).
    pub new_rent: Decimal,
    /// new / old − 1.
    pub variation: Decimal,
    /// Above 25 % (Code de commerce L145-39).
    pub warning: bool,
}

/// One rent call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RentCall {
    /// Contract code.
    pub lease: String,
    /// First day called.
    pub from: NaiveDate,
    /// Last day called.
    pub to: NaiveDate,
    /// Due date.
    pub due: NaiveDate,
    /// Days called.
    pub days: u32,
    /// Days of the calendar period.
    pub period_days: u32,
    /// Rent per period in force.
    pub rent_per_period: Decimal,
    /// Rent called (pro rata on actual days).
    pub rent: Decimal,
    /// Provision called.
    pub provision: Decimal,
    /// rent + provision.
    pub total: Decimal,
    /// Side.
    pub side: LeaseSide,
}

/// A receipt of rent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RentReceipt {
    /// Date.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// Reference.
    pub reference: Option<String>,
}

/// One occupant's share of a building's charges.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChargeShare {
    /// Contract code (null: the vacant part).
    pub lease: Option<String>,
    /// Party code.
    pub party: Option<String>,
    /// Weight.
    pub weight: u64,
    /// Share.
    pub share: Decimal,
    /// Provisions called in the year.
    pub provisions: Decimal,
    /// share − provisions.
    pub balance: Decimal,
}

/// One line of in-kind aid.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AidLine {
    /// What it is.
    pub source: AidSource,
    /// Contract code.
    pub lease: String,
    /// Asset code.
    pub asset: String,
    /// Work order (interventions).
    pub work_order: Option<String>,
    /// Date.
    pub date: NaiveDate,
    /// Amount (TTC).
    pub amount: Decimal,
}

/// The in-kind aid of one association from one collectivité for a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InKindAid {
    /// The collectivité.
    pub tenant: String,
    /// The association.
    pub association: String,
    /// Its name.
    pub name: String,
    /// Its RNA number.
    pub rna: Option<String>,
    /// Year.
    pub year: i32,
    /// Rent waived.
    pub waived_rent: Decimal,
    /// Interventions, TTC.
    pub interventions: Decimal,
    /// Total.
    pub total: Decimal,
    /// Above 23 000 € (loi 2000-321 art. 10).
    pub convention_required: bool,
    /// The lines.
    pub lines: Vec<AidLine>,
}

/// A contract in force in a rent roll.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RentRollRow {
    /// Contract code.
    pub lease: String,
    /// Collectivité.
    pub tenant: String,
    /// Party.
    pub party: String,
    /// Asset.
    pub asset: String,
    /// Building.
    pub building: String,
    /// Type.
    pub kind: LeaseKind,
    /// Side.
    pub side: LeaseSide,
    /// Rent per period in force.
    pub rent: Decimal,
    /// Yearly rent.
    pub annual_rent: Decimal,
    /// Surface.
    pub surface: Option<Decimal>,
}

/// A rent roll total.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RollTotal {
    /// Key.
    pub key: String,
    /// Contracts.
    pub leases: u64,
    /// Yearly rent.
    pub annual_rent: Decimal,
    /// Surface.
    pub surface: Decimal,
}

/// Occupancy of a building.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Occupancy {
    /// Building.
    pub building: String,
    /// Floor area.
    pub floor_area: Option<Decimal>,
    /// Surface let.
    pub occupied: Decimal,
    /// Vacant surface.
    pub vacant: Option<Decimal>,
    /// Occupancy rate.
    pub rate: Option<Decimal>,
    /// Contracts in force.
    pub leases: u64,
}

/// What a contract owes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LeaseArrears {
    /// Contract code.
    pub lease: String,
    /// Party code.
    pub party: String,
    /// Called and due.
    pub called: Decimal,
    /// Received.
    pub received: Decimal,
    /// Balance.
    pub balance: Decimal,
    /// Oldest due date not covered.
    pub oldest_due: NaiveDate,
}

/// An upcoming deadline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LeaseDeadline {
    /// Contract code.
    pub lease: String,
    /// What.
    pub kind: DeadlineKind,
    /// When.
    pub date: NaiveDate,
    /// For a revision: the reference quarter to use.
    pub quarter: Option<String>,
}

fn quarter(s: &str) -> Result<ml::Quarter, MutualisError> {
    Ok(s.parse::<ml::Quarter>()?)
}

fn revision(r: &ml::Revision) -> RentRevision {
    RentRevision {
        date: r.date,
        series: r.series.clone(),
        from_quarter: r.from_quarter.to_string(),
        quarter: r.quarter.to_string(),
        from_value: r.from_value,
        value: r.value,
        old_rent: r.old_rent,
        new_rent: r.new_rent,
        variation: r.variation,
        warning: r.warning,
    }
}

fn lease(m: &mx::Mutualis, l: &ml::Lease) -> Result<Lease, MutualisError> {
    Ok(Lease {
        code: l.code.clone(),
        asset: m.asset_code(l.asset).to_owned(),
        tenant: m.tenant_code(l.tenant).to_owned(),
        side: l.side.try_into()?,
        party: m
            .parties()
            .get(l.party)
            .map_or(mx::UNKNOWN_CODE, |p| p.code.as_str())
            .to_owned(),
        kind: l.kind.try_into()?,
        start: l.start,
        end: l.end,
        notice_months: l.notice_months,
        tacit_renewal: l.tacit_renewal,
        surface: l.surface,
        deposit: l.deposit,
        exclusive: l.exclusive,
        rent: l.rent,
        periodicity: l.periodicity.try_into()?,
        term: l.term.try_into()?,
        charges_provision: l.charges_provision,
        rental_value: l.rental_value,
        index: l.index.clone(),
        reference_quarter: l.reference_quarter.map(|q| q.to_string()),
        terminated: l.terminated,
        last_day: l.last_day(),
    })
}

fn call(c: &ml::RentCall) -> Result<RentCall, MutualisError> {
    Ok(RentCall {
        lease: c.lease.clone(),
        from: c.from,
        to: c.to,
        due: c.due,
        days: c.days,
        period_days: c.period_days,
        rent_per_period: c.rent_per_period,
        rent: c.rent,
        provision: c.provision,
        total: c.total,
        side: c.side.try_into()?,
    })
}

/// The annex of the aids in kind one collectivité gives to associations
/// for a year (CGCT L2313-1): due for a commune of 3 500 inhabitants or more.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AidAnnex {
    /// The collectivité.
    pub tenant: String,
    /// Year.
    pub year: i32,
    /// The population given (population légale).
    pub population: u32,
    /// The annex is due (a commune of 3 500 inhabitants or more).
    pub required: bool,
    /// One row per association.
    pub rows: Vec<InKindAid>,
    /// Rent waived, over the rows.
    pub waived_rent: Decimal,
    /// Interventions, over the rows.
    pub interventions: Decimal,
    /// `waivedRent` + `interventions`.
    pub total: Decimal,
}

fn aid(a: &ml::InKindAid) -> Result<InKindAid, MutualisError> {
    Ok(InKindAid {
        tenant: a.tenant.clone(),
        association: a.association.clone(),
        name: a.name.clone(),
        rna: a.rna.clone(),
        year: a.year,
        waived_rent: a.waived_rent,
        interventions: a.interventions,
        total: a.total,
        convention_required: a.convention_required,
        lines: a
            .lines
            .iter()
            .map(|l| {
                Ok(AidLine {
                    source: l.source.try_into()?,
                    lease: l.lease.clone(),
                    asset: l.asset.clone(),
                    work_order: l.work_order.clone(),
                    date: l.date,
                    amount: l.amount,
                })
            })
            .collect::<Result<_, MutualisError>>()?,
    })
}

fn arrears(a: &ml::Arrears) -> LeaseArrears {
    LeaseArrears {
        lease: a.lease.clone(),
        party: a.party.clone(),
        called: a.called,
        received: a.received,
        balance: a.balance,
        oldest_due: a.oldest_due,
    }
}

#[uniffi::export]
impl Mutualis {
    // -- Locatif (leases) ---------------------------------------------------------

    /// Adds a party: a company (SIRET, optional), an association (RNA
    /// number, required), a person (none) or a collectivité (its tenant
    /// code). Throws `InvalidSiret`, `InvalidRna`, `UnknownTenant`,
    /// `DuplicateParty`, `InvalidField`, `InvalidCode`.
    #[uniffi::method(default(identifier = None))]
    pub fn add_party(
        &self,
        code: String,
        name: String,
        kind: PartyKind,
        identifier: Option<String>,
    ) -> Result<(), MutualisError> {
        let mut p = ml::NewParty::new(&code, &name, kind.into());
        p.identifier = identifier;
        self.write(|m| m.add_party(p))
    }

    /// Sets an index value ("ILC", "2025-Q3", 137.21). Throws `InvalidField`
    /// (already set, not positive, bad quarter), `InvalidCode`.
    pub fn set_index_value(
        &self,
        series: String,
        quarter: String,
        value: Decimal,
    ) -> Result<(), MutualisError> {
        let q = self::quarter(&quarter)?;
        self.write(|m| m.set_index_value(&series, q, value))
    }

    /// Adds a lease or occupation agreement. Throws `DatesOutOfOrder` (end
    /// before start), `NegativeAmount`, `UnknownParty`, `LeaseOverlap`,
    /// `UnknownAsset`, `UnknownTenant`, `DuplicateLease`, `InvalidField`,
    /// `SubCentAmount`.
    pub fn add_lease(&self, lease: NewLease) -> Result<(), MutualisError> {
        let mut l = ml::NewLease::new(
            &lease.code,
            &lease.asset,
            &lease.tenant,
            &lease.party,
            lease.kind.into(),
            lease.start,
            lease.rent,
        );
        if let Some(s) = lease.side {
            l.side = s.into();
        }
        l.end = lease.end;
        if let Some(n) = lease.notice_months {
            l.notice_months = n;
        }
        l.tacit_renewal = lease.tacit_renewal;
        l.surface = lease.surface;
        if let Some(d) = lease.deposit {
            l.deposit = d;
        }
        if let Some(e) = lease.exclusive {
            l.exclusive = e;
        }
        if let Some(p) = lease.periodicity {
            l.periodicity = p.into();
        }
        if let Some(t) = lease.term {
            l.term = t.into();
        }
        if let Some(p) = lease.charges_provision {
            l.charges_provision = p;
        }
        l.rental_value = lease.rental_value;
        l.index = lease.index;
        l.reference_quarter = match lease.reference_quarter {
            Some(q) => Some(quarter(&q)?),
            None => None,
        };
        l.first_revision = lease.first_revision;
        self.write(|m| m.add_lease(l))
    }

    /// Ends a contract on `last_day`. Throws `UnknownLease`,
    /// `DatesOutOfOrder`, `InvalidField`.
    pub fn end_lease(&self, lease: String, last_day: NaiveDate) -> Result<(), MutualisError> {
        self.write(|m| m.end_lease(&lease, last_day))
    }

    /// Revises a contract's rent from `date` on `quarter`; returns the
    /// revision. Throws `MissingIndexValue`, `UnknownLease`, `InvalidField`.
    pub fn revise_rent(
        &self,
        lease: String,
        date: NaiveDate,
        quarter: String,
    ) -> Result<RentRevision, MutualisError> {
        let q = self::quarter(&quarter)?;
        let r = self.write(|m| m.revise_rent(&lease, date, q))?;
        Ok(revision(&r))
    }

    /// Records a receipt of rent. Throws `NegativeAmount`, `SubCentAmount`,
    /// `UnknownLease`, `InvalidField`.
    #[uniffi::method(default(reference = None))]
    pub fn record_rent_receipt(
        &self,
        lease: String,
        date: NaiveDate,
        amount: Decimal,
        reference: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_rent_receipt(&lease, date, amount, reference.as_deref()))
    }

    /// Records the recoverable charges of a building for a year, split by
    /// surface × days occupied, or by `key` (contract code → weight).
    /// Throws `NegativeAmount`, `WeightsSumToZero`, `UnknownLease`,
    /// `UnknownAsset`.
    #[uniffi::method(default(key = None))]
    pub fn record_charges(
        &self,
        building: String,
        year: i32,
        category: ChargeCategory,
        amount: Decimal,
        key: Option<HashMap<String, u64>>,
    ) -> Result<(), MutualisError> {
        let c = ml::NewCharges {
            building,
            year,
            category: category.into(),
            amount,
            key: key.map(|k| k.into_iter().collect()),
        };
        self.write(|m| m.record_charges(c))
    }

    /// The parties, in creation order.
    pub fn parties(&self) -> Result<Vec<Party>, MutualisError> {
        self.view(|_, r| {
            r.parties()?
                .into_iter()
                .map(|p| {
                    Ok(Party {
                        code: p.code.clone(),
                        name: p.name.clone(),
                        kind: p.kind.try_into()?,
                        identifier: p.identifier.clone(),
                    })
                })
                .collect()
        })
    }

    /// The contracts, in creation order.
    pub fn leases(&self) -> Result<Vec<Lease>, MutualisError> {
        self.view(|m, r| r.leases()?.into_iter().map(|l| lease(m, l)).collect())
    }

    /// One contract. Throws `UnknownLease`.
    pub fn lease(&self, code: String) -> Result<Lease, MutualisError> {
        self.view(|m, r| lease(m, r.lease(&code)?))
    }

    /// The value of an index series for a quarter. Throws `MissingIndexValue`.
    pub fn index_value(&self, series: String, quarter: String) -> Result<Decimal, MutualisError> {
        let q = self::quarter(&quarter)?;
        self.view(|_, r| Ok(r.index_value(&series, q)?))
    }

    /// A contract's revisions, in date order.
    pub fn revisions(&self, lease: String) -> Result<Vec<RentRevision>, MutualisError> {
        self.view(|_, r| Ok(r.revisions(&lease)?.iter().map(revision).collect()))
    }

    /// A contract's rent per period in force on `on`.
    pub fn rent_on(&self, lease: String, on: NaiveDate) -> Result<Decimal, MutualisError> {
        self.view(|_, r| Ok(r.rent_on(&lease, on)?))
    }

    /// A contract's rent calls for the calendar periods meeting `from`..`to`.
    pub fn rent_calls(
        &self,
        lease: String,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RentCall>, MutualisError> {
        self.view(|_, r| r.rent_calls(&lease, from, to)?.iter().map(call).collect())
    }

    /// A contract's receipts, in the order recorded.
    pub fn rent_receipts(&self, lease: String) -> Result<Vec<RentReceipt>, MutualisError> {
        self.view(|_, r| {
            Ok(r.rent_receipts(&lease)?
                .iter()
                .map(|r| RentReceipt {
                    date: r.date,
                    amount: r.amount,
                    reference: r.reference.clone(),
                })
                .collect())
        })
    }

    /// What a contract owes on `on` (null: nothing).
    pub fn arrears_of(
        &self,
        lease: String,
        on: NaiveDate,
    ) -> Result<Option<LeaseArrears>, MutualisError> {
        self.view(|_, r| Ok(r.arrears_of(&lease, on)?.as_ref().map(arrears)))
    }

    /// The contracts owing rent on `on`.
    pub fn lease_arrears(&self, on: NaiveDate) -> Result<Vec<LeaseArrears>, MutualisError> {
        self.view(|_, r| Ok(r.lease_arrears(on)?.iter().map(arrears).collect()))
    }

    /// The regularisation of a building's charges for a year (shares sum
    /// to the charges to the cent; the vacant part last).
    pub fn charges_regularisation(
        &self,
        building: String,
        year: i32,
    ) -> Result<Vec<ChargeShare>, MutualisError> {
        self.view(|_, r| {
            Ok(r.charges_regularisation(&building, year)?
                .into_iter()
                .map(|s| ChargeShare {
                    lease: s.lease,
                    party: s.party,
                    weight: s.weight,
                    share: s.share,
                    provisions: s.provisions,
                    balance: s.balance,
                })
                .collect())
        })
    }

    /// The in-kind aid of a year per collectivité and association (one
    /// association when given). Throws `UnknownParty`.
    #[uniffi::method(default(association = None))]
    pub fn in_kind_aid(
        &self,
        year: i32,
        association: Option<String>,
    ) -> Result<Vec<InKindAid>, MutualisError> {
        self.view(|_, r| {
            let rows = match &association {
                Some(a) => r.in_kind_aid_of(a, year)?,
                None => r.in_kind_aid(year)?,
            };
            rows.iter().map(aid).collect()
        })
    }

    /// The annex of the aids in kind `tenant` gives to associations in
    /// `year` (CGCT L2313-1), `required` for a commune of 3 500 inhabitants
    /// or more (the population légale is given). Throws `UnknownTenant`.
    pub fn in_kind_aid_annex(
        &self,
        tenant: String,
        year: i32,
        population: u32,
    ) -> Result<AidAnnex, MutualisError> {
        self.view(|_, r| {
            let a = r.in_kind_aid_annex(&tenant, year, population)?;
            Ok(AidAnnex {
                tenant: a.tenant.clone(),
                year: a.year,
                population: a.population,
                required: a.required,
                rows: a.rows.iter().map(aid).collect::<Result<_, _>>()?,
                waived_rent: a.waived_rent,
                interventions: a.interventions,
                total: a.total,
            })
        })
    }

    /// The contracts in force on `on`.
    pub fn rent_roll(&self, on: NaiveDate) -> Result<Vec<RentRollRow>, MutualisError> {
        self.view(|_, r| {
            r.rent_roll(on)?
                .into_iter()
                .map(|r| {
                    Ok(RentRollRow {
                        lease: r.lease,
                        tenant: r.tenant,
                        party: r.party,
                        asset: r.asset,
                        building: r.building,
                        kind: r.kind.try_into()?,
                        side: r.side.try_into()?,
                        rent: r.rent,
                        annual_rent: r.annual_rent,
                        surface: r.surface,
                    })
                })
                .collect()
        })
    }

    /// The rent roll on `on` totalled by party, tenant, building or kind,
    /// for one side.
    pub fn rent_roll_by(
        &self,
        on: NaiveDate,
        by: RollBy,
        side: LeaseSide,
    ) -> Result<Vec<RollTotal>, MutualisError> {
        self.view(|_, r| {
            Ok(r.rent_roll_by(on, by.into(), side.into())?
                .into_iter()
                .map(|t| RollTotal {
                    key: t.key,
                    leases: t.leases as u64,
                    annual_rent: t.annual_rent,
                    surface: t.surface,
                })
                .collect())
        })
    }

    /// Occupancy and vacancy per building on `on`.
    pub fn occupancy(&self, on: NaiveDate) -> Result<Vec<Occupancy>, MutualisError> {
        self.view(|_, r| {
            Ok(r.occupancy(on)?
                .into_iter()
                .map(|o| Occupancy {
                    building: o.building,
                    floor_area: o.floor_area,
                    occupied: o.occupied,
                    vacant: o.vacant,
                    rate: o.rate,
                    leases: o.leases as u64,
                })
                .collect())
        })
    }

    /// Revisions, notices, renewals and ends within `months` months of `on`.
    pub fn lease_deadlines(
        &self,
        on: NaiveDate,
        months: u32,
    ) -> Result<Vec<LeaseDeadline>, MutualisError> {
        self.view(|_, r| {
            r.lease_deadlines(on, months)?
                .into_iter()
                .map(|d| {
                    Ok(LeaseDeadline {
                        lease: d.lease,
                        kind: d.kind.try_into()?,
                        date: d.date,
                        quarter: d.quarter.map(|q| q.to_string()),
                    })
                })
                .collect()
        })
    }
}
