//! The events of agreements between tenants: service agreements, pooled
//! services and vehicle loans.
//!
//! [`AgreementV1`], [`PooledServiceV1`] and [`LoanV1`] are the stored forms of
//! a [`NewAgreement`], a [`NewPooledService`] and a [`NewLoan`] (see
//! [`crate::journal`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::agreements::{AgreementMode, NewAgreement, NewLoan, NewPooledService};
use crate::error::Result;
use crate::money::VatRate;
use crate::period::Period;
use crate::rates::UsageUnit;
use crate::Mutualis;

/// An event of agreements (wrapped by [`crate::Event::Agreements`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AgreementEvent {
    /// A service agreement was recorded.
    AgreementAdded {
        /// Its description.
        agreement: AgreementV1,
    },
    /// A pooled service was recorded.
    PooledServiceAdded {
        /// Its description.
        pooled: PooledServiceV1,
    },
    /// An advance to a pooled service was recorded.
    AdvanceRecorded {
        /// Pooled service code.
        pooled: String,
        /// Year.
        year: i32,
        /// Member code.
        member: String,
        /// Amount.
        amount: Decimal,
    },
    /// A vehicle loan was recorded.
    VehicleLent {
        /// Its description.
        loan: LoanV1,
    },
    /// A use of a lent vehicle was recorded.
    LoanUsed {
        /// Loan code.
        loan: String,
        /// Day of use.
        date: NaiveDate,
        /// Quantity in the loan's unit.
        quantity: Decimal,
    },
}

/// The stored form of a [`NewAgreement`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementV1 {
    /// Human code, unique.
    pub code: String,
    /// The tenant whose régie works (creditor).
    pub provider: String,
    /// The tenant it works for (debtor).
    pub beneficiary: String,
    /// Reimbursement mode.
    pub mode: AgreementMode,
    /// Validity.
    pub period: Period,
    /// Unit cost per hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<Decimal>,
    /// Provider services covered (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Asset subtrees covered (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<String>,
    /// VAT applied to reimbursements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_rate: Option<VatRate>,
    /// Provider's revenue account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_account: Option<String>,
    /// Beneficiary's expense account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary_account: Option<String>,
    /// Legal basis printed on statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

impl From<NewAgreement> for AgreementV1 {
    fn from(a: NewAgreement) -> AgreementV1 {
        AgreementV1 {
            code: a.code,
            provider: a.provider,
            beneficiary: a.beneficiary,
            mode: a.mode,
            period: a.period,
            unit_cost: a.unit_cost,
            services: a.services,
            assets: a.assets,
            vat_rate: a.vat_rate,
            provider_account: a.provider_account,
            beneficiary_account: a.beneficiary_account,
            legal_basis: a.legal_basis,
        }
    }
}

impl From<AgreementV1> for NewAgreement {
    fn from(a: AgreementV1) -> NewAgreement {
        NewAgreement {
            code: a.code,
            provider: a.provider,
            beneficiary: a.beneficiary,
            mode: a.mode,
            period: a.period,
            unit_cost: a.unit_cost,
            services: a.services,
            assets: a.assets,
            vat_rate: a.vat_rate,
            provider_account: a.provider_account,
            beneficiary_account: a.beneficiary_account,
            legal_basis: a.legal_basis,
        }
    }
}

/// The stored form of a [`NewPooledService`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PooledServiceV1 {
    /// Human code, unique.
    pub code: String,
    /// The tenant carrying the service.
    pub provider: String,
    /// The provider's services pooled.
    pub services: Vec<String>,
    /// Validity.
    pub period: Period,
    /// Agreed key: weights per member tenant.
    pub key: BTreeMap<String, u64>,
    /// Legal basis printed on statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

impl From<NewPooledService> for PooledServiceV1 {
    fn from(p: NewPooledService) -> PooledServiceV1 {
        PooledServiceV1 {
            code: p.code,
            provider: p.provider,
            services: p.services,
            period: p.period,
            key: p.key,
            legal_basis: p.legal_basis,
        }
    }
}

impl From<PooledServiceV1> for NewPooledService {
    fn from(p: PooledServiceV1) -> NewPooledService {
        NewPooledService {
            code: p.code,
            provider: p.provider,
            services: p.services,
            period: p.period,
            key: p.key,
            legal_basis: p.legal_basis,
        }
    }
}

/// The stored form of a [`NewLoan`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanV1 {
    /// Human code, unique.
    pub code: String,
    /// The vehicle lent.
    pub vehicle: String,
    /// The borrowing tenant.
    pub borrower: String,
    /// Validity.
    pub period: Period,
    /// Unit charged.
    pub unit: UsageUnit,
}

impl From<NewLoan> for LoanV1 {
    fn from(l: NewLoan) -> LoanV1 {
        LoanV1 {
            code: l.code,
            vehicle: l.vehicle,
            borrower: l.borrower,
            period: l.period,
            unit: l.unit,
        }
    }
}

impl From<LoanV1> for NewLoan {
    fn from(l: LoanV1) -> NewLoan {
        NewLoan {
            code: l.code,
            vehicle: l.vehicle,
            borrower: l.borrower,
            period: l.period,
            unit: l.unit,
        }
    }
}

impl AgreementEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "agreement_added",
        "pooled_service_added",
        "advance_recorded",
        "vehicle_lent",
        "loan_used",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            AgreementEvent::AgreementAdded { .. }
            | AgreementEvent::PooledServiceAdded { .. }
            | AgreementEvent::AdvanceRecorded { .. }
            | AgreementEvent::VehicleLent { .. }
            | AgreementEvent::LoanUsed { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            AgreementEvent::AgreementAdded { agreement } => vec![("agreement", &agreement.code)],
            AgreementEvent::PooledServiceAdded { pooled } => vec![("agreement", &pooled.code)],
            AgreementEvent::AdvanceRecorded { pooled, .. } => vec![("agreement", pooled)],
            AgreementEvent::VehicleLent { loan } => {
                vec![("agreement", &loan.code), ("asset", &loan.vehicle)]
            }
            AgreementEvent::LoanUsed { loan, .. } => vec![("agreement", loan)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            AgreementEvent::AgreementAdded { agreement } => m.add_agreement(agreement.into()),
            AgreementEvent::PooledServiceAdded { pooled } => m.add_pooled_service(pooled.into()),
            AgreementEvent::AdvanceRecorded {
                pooled,
                year,
                member,
                amount,
            } => m.record_advance(&pooled, year, &member, amount),
            AgreementEvent::VehicleLent { loan } => m.lend_vehicle(loan.into()),
            AgreementEvent::LoanUsed {
                loan,
                date,
                quantity,
            } => m.record_loan_use(&loan, date, quantity).map(drop),
        }
    }
}
