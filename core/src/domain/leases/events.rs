//! The events of the leases: parties, contracts, index values, revisions,
//! receipts and charges.
//!
//! [`PartyV1`], [`LeaseV1`] and [`ChargesV1`] are the stored forms of
//! [`NewParty`], [`NewLease`] and [`NewCharges`] (see [`crate::journal`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    ChargeCategory, LeaseKind, LeaseSide, NewCharges, NewLease, NewParty, PartyKind, Quarter,
    RentPeriodicity, RentTerm,
};
use crate::error::Result;
use crate::Mutualis;

/// An event of the leases (wrapped by [`crate::Event::Leases`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeaseEvent {
    /// A party was added.
    PartyAdded {
        /// The party.
        party: PartyV1,
    },
    /// A contract was added.
    LeaseAdded {
        /// The contract.
        lease: LeaseV1,
    },
    /// A contract was ended.
    LeaseEnded {
        /// Contract code.
        lease: String,
        /// Its last day.
        last_day: NaiveDate,
    },
    /// An index value was set.
    IndexValueSet {
        /// Series name.
        series: String,
        /// Quarter.
        quarter: Quarter,
        /// Value.
        value: Decimal,
    },
    /// A rent was revised by index.
    RentRevised {
        /// Contract code.
        lease: String,
        /// Effective date.
        date: NaiveDate,
        /// New reference quarter.
        quarter: Quarter,
    },
    /// Rent was received.
    RentReceived {
        /// Contract code.
        lease: String,
        /// Date.
        date: NaiveDate,
        /// Amount.
        amount: Decimal,
        /// Reference.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// Recoverable charges were recorded.
    ChargesRecorded {
        /// The charges.
        charges: ChargesV1,
    },
}

/// The stored form of a [`NewParty`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyV1 {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// SIRET, RNA number or tenant code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

impl From<NewParty> for PartyV1 {
    fn from(p: NewParty) -> PartyV1 {
        PartyV1 {
            code: p.code,
            name: p.name,
            kind: p.kind,
            identifier: p.identifier,
        }
    }
}

impl From<PartyV1> for NewParty {
    fn from(p: PartyV1) -> NewParty {
        NewParty {
            code: p.code,
            name: p.name,
            kind: p.kind,
            identifier: p.identifier,
        }
    }
}

fn is_zero(d: &Decimal) -> bool {
    d.is_zero()
}

/// The stored form of a [`NewLease`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseV1 {
    /// Contract code.
    pub code: String,
    /// Asset code.
    pub asset: String,
    /// Collectivité (tenant code).
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// Notice in months.
    pub notice_months: u32,
    /// Tacit renewal.
    #[serde(default)]
    pub tacit_renewal: bool,
    /// Surface in m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Decimal>,
    /// Deposit.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub deposit: Decimal,
    /// Exclusive.
    pub exclusive: bool,
    /// Rent per period.
    pub rent: Decimal,
    /// Periodicity.
    pub periodicity: RentPeriodicity,
    /// Term.
    pub term: RentTerm,
    /// Provision for charges per period.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub charges_provision: Decimal,
    /// Yearly rental value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rental_value: Option<Decimal>,
    /// Index series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// Reference quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_quarter: Option<Quarter>,
    /// First revision date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_revision: Option<NaiveDate>,
}

impl From<NewLease> for LeaseV1 {
    fn from(l: NewLease) -> LeaseV1 {
        LeaseV1 {
            code: l.code,
            asset: l.asset,
            tenant: l.tenant,
            side: l.side,
            party: l.party,
            kind: l.kind,
            start: l.start,
            end: l.end,
            notice_months: l.notice_months,
            tacit_renewal: l.tacit_renewal,
            surface: l.surface,
            deposit: l.deposit,
            exclusive: l.exclusive,
            rent: l.rent,
            periodicity: l.periodicity,
            term: l.term,
            charges_provision: l.charges_provision,
            rental_value: l.rental_value,
            index: l.index,
            reference_quarter: l.reference_quarter,
            first_revision: l.first_revision,
        }
    }
}

impl From<LeaseV1> for NewLease {
    fn from(l: LeaseV1) -> NewLease {
        NewLease {
            code: l.code,
            asset: l.asset,
            tenant: l.tenant,
            side: l.side,
            party: l.party,
            kind: l.kind,
            start: l.start,
            end: l.end,
            notice_months: l.notice_months,
            tacit_renewal: l.tacit_renewal,
            surface: l.surface,
            deposit: l.deposit,
            exclusive: l.exclusive,
            rent: l.rent,
            periodicity: l.periodicity,
            term: l.term,
            charges_provision: l.charges_provision,
            rental_value: l.rental_value,
            index: l.index,
            reference_quarter: l.reference_quarter,
            first_revision: l.first_revision,
        }
    }
}

/// The stored form of a [`NewCharges`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChargesV1 {
    /// Building (asset code).
    pub building: String,
    /// Year.
    pub year: i32,
    /// Category.
    pub category: ChargeCategory,
    /// Amount.
    pub amount: Decimal,
    /// Key by contract code (none: by surface).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<BTreeMap<String, u64>>,
}

impl From<NewCharges> for ChargesV1 {
    fn from(c: NewCharges) -> ChargesV1 {
        ChargesV1 {
            building: c.building,
            year: c.year,
            category: c.category,
            amount: c.amount,
            key: c.key,
        }
    }
}

impl From<ChargesV1> for NewCharges {
    fn from(c: ChargesV1) -> NewCharges {
        NewCharges {
            building: c.building,
            year: c.year,
            category: c.category,
            amount: c.amount,
            key: c.key,
        }
    }
}

impl LeaseEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "party_added",
        "lease_added",
        "lease_ended",
        "index_value_set",
        "rent_revised",
        "rent_received",
        "charges_recorded",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            LeaseEvent::PartyAdded { .. }
            | LeaseEvent::LeaseAdded { .. }
            | LeaseEvent::LeaseEnded { .. }
            | LeaseEvent::IndexValueSet { .. }
            | LeaseEvent::RentRevised { .. }
            | LeaseEvent::RentReceived { .. }
            | LeaseEvent::ChargesRecorded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            LeaseEvent::PartyAdded { party } => vec![("party", &party.code)],
            LeaseEvent::LeaseAdded { lease } => vec![
                ("lease", &lease.code),
                ("asset", &lease.asset),
                ("party", &lease.party),
            ],
            LeaseEvent::LeaseEnded { lease, .. }
            | LeaseEvent::RentRevised { lease, .. }
            | LeaseEvent::RentReceived { lease, .. } => vec![("lease", lease)],
            LeaseEvent::IndexValueSet { .. } => Vec::new(),
            LeaseEvent::ChargesRecorded { charges } => vec![("asset", &charges.building)],
        }
    }

    /// The contract this event is about, when it names one, and the date
    /// it is judged on.
    pub(crate) fn lease_and_date(&self) -> (Option<&str>, Option<NaiveDate>) {
        match self {
            LeaseEvent::LeaseAdded { lease } => (Some(&lease.code), Some(lease.start)),
            LeaseEvent::LeaseEnded { lease, last_day } => (Some(lease), Some(*last_day)),
            LeaseEvent::RentRevised { lease, date, .. }
            | LeaseEvent::RentReceived { lease, date, .. } => (Some(lease), Some(*date)),
            LeaseEvent::PartyAdded { .. }
            | LeaseEvent::IndexValueSet { .. }
            | LeaseEvent::ChargesRecorded { .. } => (None, None),
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            LeaseEvent::PartyAdded { party } => m.add_party(party.into()),
            LeaseEvent::LeaseAdded { lease } => m.add_lease(lease.into()),
            LeaseEvent::LeaseEnded { lease, last_day } => m.end_lease(&lease, last_day),
            LeaseEvent::IndexValueSet {
                series,
                quarter,
                value,
            } => m.set_index_value(&series, quarter, value),
            LeaseEvent::RentRevised {
                lease,
                date,
                quarter,
            } => m.revise_rent(&lease, date, quarter).map(drop),
            LeaseEvent::RentReceived {
                lease,
                date,
                amount,
                reference,
            } => m.record_rent_receipt(&lease, date, amount, reference.as_deref()),
            LeaseEvent::ChargesRecorded { charges } => m.record_charges(charges.into()),
        }
    }
}
