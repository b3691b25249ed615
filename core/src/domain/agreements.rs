//! Service agreements between collectivités (mises à disposition de services,
//! CGCT L5211-4-1 and D5211-16; prestations), pooled services (services
//! communs, L5211-4-2) and vehicle loans.
//!
//! - An **agreement** says that `provider`'s régie works for `beneficiary`
//!   within a scope (provider services, asset subtrees) over a period, and how
//!   it is reimbursed: at **actual cost** (the beneficiary's part of each line,
//!   labour at the provider's rate, materials at CMUP, vehicles at rate) or at
//!   **unit cost** (coût unitaire de fonctionnement × hours of labour; materials
//!   and vehicles are included in the unit cost). Internal reimbursements carry
//!   no VAT unless the agreement says so. Accounting references (M57 accounts
//!   such as 70846 / 6217) and the legal basis are data.
//! - A **pooled service** is a provider's service whose annual cost is split
//!   between members by an agreed key, with advances during the year and a
//!   year-end true-up.
//! - A **vehicle loan** charges the borrower per hour, day or km at the
//!   lender's rate.
//!
//! Agreements of the same provider and beneficiary may not overlap in time
//! when their scopes intersect ([`Error::AgreementOverlap`]), so at most one
//! agreement covers a line.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::check_code;
use crate::ids::{AssetId, ServiceId, TenantId};
use crate::kinds::named_enum;
use crate::money::{round_cents, to_cents, VatRate};
use crate::period::Period;
use crate::rates::UsageUnit;
use crate::stock::check_quantity;
use crate::Mutualis;

pub mod events;
pub use events::AgreementEvent;

named_enum! {
    /// How an agreement is reimbursed.
    pub enum AgreementMode as "agreement mode" {
        /// Actual cost: labour at the provider's rate, materials at CMUP, vehicles at rate.
        ActualCost = "actual_cost",
        /// Unit cost (D5211-16): coût unitaire de fonctionnement × hours of labour.
        UnitCost = "unit_cost",
    }
}

/// What is needed to record a service agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAgreement {
    /// Human code, unique ("CONV-2019-SPORTS").
    pub code: String,
    /// The tenant whose régie works (creditor).
    pub provider: String,
    /// The tenant it works for (debtor).
    pub beneficiary: String,
    /// Reimbursement mode.
    pub mode: AgreementMode,
    /// Validity.
    pub period: Period,
    /// Unit cost per hour, for [`AgreementMode::UnitCost`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<Decimal>,
    /// Provider services covered (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Asset subtrees covered (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<String>,
    /// VAT applied to reimbursements, if the agreement says so (none by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_rate: Option<VatRate>,
    /// Provider's revenue account (e.g. M57 "70846").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_account: Option<String>,
    /// Beneficiary's expense account (e.g. M57 "6217").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary_account: Option<String>,
    /// Legal basis printed on statements (e.g. "CGCT L5211-4-1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

impl NewAgreement {
    /// An actual-cost agreement over the whole scope.
    #[must_use]
    pub fn actual_cost(
        code: &str,
        provider: &str,
        beneficiary: &str,
        period: Period,
    ) -> NewAgreement {
        NewAgreement {
            code: code.into(),
            provider: provider.into(),
            beneficiary: beneficiary.into(),
            mode: AgreementMode::ActualCost,
            period,
            unit_cost: None,
            services: Vec::new(),
            assets: Vec::new(),
            vat_rate: None,
            provider_account: None,
            beneficiary_account: None,
            legal_basis: None,
        }
    }

    /// A unit-cost agreement (coût unitaire de fonctionnement per hour).
    #[must_use]
    pub fn unit_cost(
        code: &str,
        provider: &str,
        beneficiary: &str,
        period: Period,
        per_hour: Decimal,
    ) -> NewAgreement {
        NewAgreement {
            mode: AgreementMode::UnitCost,
            unit_cost: Some(per_hour),
            ..NewAgreement::actual_cost(code, provider, beneficiary, period)
        }
    }

    /// Restricts the agreement to a provider service.
    #[must_use]
    pub fn for_service(mut self, service: &str) -> NewAgreement {
        self.services.push(service.into());
        self
    }

    /// Restricts the agreement to an asset subtree.
    #[must_use]
    pub fn on_asset(mut self, asset: &str) -> NewAgreement {
        self.assets.push(asset.into());
        self
    }

    /// Sets the accounting references.
    #[must_use]
    pub fn accounts(mut self, provider_account: &str, beneficiary_account: &str) -> NewAgreement {
        self.provider_account = Some(provider_account.into());
        self.beneficiary_account = Some(beneficiary_account.into());
        self
    }
}

/// A recorded service agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Human code.
    pub code: String,
    /// Provider (creditor).
    pub provider: TenantId,
    /// Beneficiary (debtor).
    pub beneficiary: TenantId,
    /// Mode.
    pub mode: AgreementMode,
    /// Validity.
    pub period: Period,
    /// Unit cost per hour (unit-cost mode).
    pub unit_cost: Option<Decimal>,
    /// Provider services covered (empty: all).
    pub services: Vec<ServiceId>,
    /// Asset subtrees covered (empty: all).
    pub assets: Vec<AssetId>,
    /// VAT on reimbursements.
    pub vat_rate: Option<VatRate>,
    /// Provider's account.
    pub provider_account: Option<String>,
    /// Beneficiary's account.
    pub beneficiary_account: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
}

/// What is needed to record a pooled service (service commun).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPooledService {
    /// Human code, unique.
    pub code: String,
    /// The tenant carrying the service.
    pub provider: String,
    /// The provider's services pooled (at least one).
    pub services: Vec<String>,
    /// Validity.
    pub period: Period,
    /// Agreed key: weights per member tenant (the provider may be a member).
    pub key: BTreeMap<String, u64>,
    /// Legal basis printed on statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

/// A recorded pooled service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PooledService {
    /// Human code.
    pub code: String,
    /// Provider.
    pub provider: TenantId,
    /// Services pooled.
    pub services: Vec<ServiceId>,
    /// Validity.
    pub period: Period,
    /// Members and weights, sorted by tenant code.
    pub key: Vec<(TenantId, u64)>,
    /// Legal basis.
    pub legal_basis: Option<String>,
    /// Advances paid: (year, member) → amount.
    pub advances: BTreeMap<(i32, TenantId), Decimal>,
}

/// What is needed to record a vehicle loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLoan {
    /// Human code, unique.
    pub code: String,
    /// The vehicle lent (its owner is the lender).
    pub vehicle: String,
    /// The borrowing tenant.
    pub borrower: String,
    /// Validity.
    pub period: Period,
    /// Unit charged.
    pub unit: UsageUnit,
}

/// A recorded vehicle loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loan {
    /// Human code.
    pub code: String,
    /// The vehicle.
    pub vehicle: AssetId,
    /// Lender (the vehicle's owner).
    pub lender: TenantId,
    /// Borrower.
    pub borrower: TenantId,
    /// Validity.
    pub period: Period,
    /// Unit charged.
    pub unit: UsageUnit,
    /// Uses recorded.
    pub uses: Vec<LoanUse>,
}

/// One use of a lent vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanUse {
    /// Day of use.
    pub date: NaiveDate,
    /// Quantity in the loan's unit.
    pub quantity: Decimal,
    /// Lender's rate on that day.
    pub rate: Decimal,
    /// Amount owed, to the cent.
    pub amount: Decimal,
}

/// The agreements domain's state: service agreements, pooled services and
/// vehicle loans, in creation order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Agreements {
    agreements: Vec<Agreement>,
    pooled: Vec<PooledService>,
    loans: Vec<Loan>,
}

impl Agreements {
    /// Restores a recorded use of the loan at `idx` as it was (dataset
    /// loading; the caller checks it).
    pub(crate) fn push_recorded_loan_use(&mut self, idx: usize, u: LoanUse) {
        if let Some(l) = self.loans.get_mut(idx) {
            l.uses.push(u);
        }
    }
}

impl Mutualis {
    /// Agreements, pooled services and loans share one code space.
    fn agreement_code_taken(&self, code: &str) -> bool {
        self.agreements.agreements.iter().any(|a| a.code == code)
            || self.agreements.pooled.iter().any(|p| p.code == code)
            || self.agreements.loans.iter().any(|l| l.code == code)
    }

    fn service_ids(&self, tenant: &str, services: &[String]) -> Result<Vec<ServiceId>> {
        services
            .iter()
            .map(|s| self.service_id(tenant, s))
            .collect()
    }

    /// Records a service agreement.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::UnknownTenant`], [`Error::UnknownService`],
    /// [`Error::UnknownAsset`], [`Error::InvalidField`] (provider = beneficiary, unit
    /// cost missing or given in actual-cost mode), [`Error::InvalidQuantity`],
    /// [`Error::DuplicateAgreement`], [`Error::AgreementOverlap`].
    pub fn add_agreement(&mut self, spec: NewAgreement) -> Result<()> {
        self.save_agreements();
        check_code("agreement", &spec.code)?;
        let provider = self.tenant_id(&spec.provider)?;
        let beneficiary = self.tenant_id(&spec.beneficiary)?;
        Period::recorded(spec.period.from, spec.period.to)?;
        if provider == beneficiary {
            return Err(Error::InvalidField {
                field: "agreement",
                reason: format!("{} cannot have an agreement with itself", spec.provider),
            });
        }
        match (spec.mode, spec.unit_cost) {
            (AgreementMode::UnitCost, Some(c)) => check_quantity("unit cost", c)?,
            (AgreementMode::UnitCost, None) => {
                return Err(Error::InvalidField {
                    field: "unit cost",
                    reason: "required in unit_cost mode".into(),
                })
            }
            (AgreementMode::ActualCost, Some(_)) => {
                return Err(Error::InvalidField {
                    field: "unit cost",
                    reason: "an actual_cost agreement has no unit cost".into(),
                })
            }
            (AgreementMode::ActualCost, None) => {}
        }
        let services = self.service_ids(&spec.provider, &spec.services)?;
        let assets: Vec<AssetId> = spec
            .assets
            .iter()
            .map(|a| self.asset_id(a))
            .collect::<Result<_>>()?;
        if self.agreement_code_taken(&spec.code) {
            return Err(Error::DuplicateAgreement(spec.code));
        }
        let intersects = |a: &[ServiceId], b: &[ServiceId]| {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        };
        if let Some(other) = self.agreements.agreements.iter().find(|a| {
            a.provider == provider
                && a.beneficiary == beneficiary
                && a.period.overlaps(&spec.period)
                && intersects(&a.services, &services)
                && (a.assets.is_empty()
                    || assets.is_empty()
                    || a.assets.iter().any(|x| assets.contains(x)))
        }) {
            return Err(Error::AgreementOverlap {
                code: spec.code,
                existing: other.code.clone(),
            });
        }
        self.agreements.agreements.push(Agreement {
            code: spec.code.clone(),
            provider,
            beneficiary,
            mode: spec.mode,
            period: spec.period,
            unit_cost: spec.unit_cost,
            services,
            assets,
            vat_rate: spec.vat_rate,
            provider_account: spec.provider_account.clone(),
            beneficiary_account: spec.beneficiary_account.clone(),
            legal_basis: spec.legal_basis.clone(),
        });
        let tenant = Some(spec.provider.clone());
        self.log(
            tenant,
            AgreementEvent::AgreementAdded {
                agreement: spec.into(),
            },
        );
        Ok(())
    }

    /// Records a pooled service (service commun) with its agreed key.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::UnknownTenant`], [`Error::UnknownService`],
    /// [`Error::InvalidField`] (no service), [`Error::WeightsSumToZero`],
    /// [`Error::DuplicateAgreement`], [`Error::AgreementOverlap`].
    pub fn add_pooled_service(&mut self, spec: NewPooledService) -> Result<()> {
        self.save_agreements();
        check_code("pooled service", &spec.code)?;
        let provider = self.tenant_id(&spec.provider)?;
        Period::recorded(spec.period.from, spec.period.to)?;
        if spec.services.is_empty() {
            return Err(Error::InvalidField {
                field: "pooled service",
                reason: "name at least one service".into(),
            });
        }
        let services = self.service_ids(&spec.provider, &spec.services)?;
        let mut key = Vec::with_capacity(spec.key.len());
        for (t, w) in &spec.key {
            key.push((self.tenant_id(t)?, *w));
        }
        if key.iter().map(|(_, w)| u128::from(*w)).sum::<u128>() == 0 {
            return Err(Error::WeightsSumToZero { count: key.len() });
        }
        if self.agreement_code_taken(&spec.code) {
            return Err(Error::DuplicateAgreement(spec.code));
        }
        if let Some(other) = self.agreements.pooled.iter().find(|p| {
            p.provider == provider
                && p.period.overlaps(&spec.period)
                && p.services.iter().any(|s| services.contains(s))
        }) {
            return Err(Error::AgreementOverlap {
                code: spec.code,
                existing: other.code.clone(),
            });
        }
        self.agreements.pooled.push(PooledService {
            code: spec.code.clone(),
            provider,
            services,
            period: spec.period,
            key,
            legal_basis: spec.legal_basis.clone(),
            advances: BTreeMap::new(),
        });
        let tenant = Some(spec.provider.clone());
        self.log(
            tenant,
            AgreementEvent::PooledServiceAdded {
                pooled: spec.into(),
            },
        );
        Ok(())
    }

    /// Records an advance paid by a member of a pooled service for a year
    /// (added to earlier advances of the same year).
    ///
    /// Errors: [`Error::UnknownAgreement`], [`Error::UnknownTenant`],
    /// [`Error::InvalidField`] (not a member), [`Error::SubCentAmount`].
    pub fn record_advance(
        &mut self,
        pooled: &str,
        year: i32,
        member: &str,
        amount: Decimal,
    ) -> Result<()> {
        self.save_agreements();
        crate::period::check_year("year", year)?;
        let idx = self
            .agreements
            .pooled
            .iter()
            .position(|p| p.code == pooled)
            .ok_or_else(|| Error::UnknownAgreement(pooled.to_owned()))?;
        let t = self.tenant_id(member)?;
        to_cents(amount)?;
        if !self.agreements.pooled[idx].key.iter().any(|(m, _)| *m == t) {
            return Err(Error::InvalidField {
                field: "member",
                reason: format!("{member} is not a member of pooled service {pooled}"),
            });
        }
        *self.agreements.pooled[idx]
            .advances
            .entry((year, t))
            .or_insert(Decimal::ZERO) += amount;
        self.log(
            Some(member.to_owned()),
            AgreementEvent::AdvanceRecorded {
                pooled: pooled.to_owned(),
                year,
                member: member.to_owned(),
                amount,
            },
        );
        Ok(())
    }

    /// Records a vehicle loan from the vehicle's owner to `borrower`.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::UnknownAsset`], [`Error::UnknownTenant`],
    /// [`Error::InvalidField`] (lending to the owner), [`Error::DuplicateAgreement`].
    pub fn lend_vehicle(&mut self, spec: NewLoan) -> Result<()> {
        self.save_agreements();
        check_code("loan", &spec.code)?;
        let vehicle = self.asset_id(&spec.vehicle)?;
        let kind = self.assets()[vehicle.index()].kind;
        if !matches!(
            kind,
            crate::AssetKind::Vehicle | crate::AssetKind::Equipment
        ) {
            return Err(Error::InvalidField {
                field: "vehicle",
                reason: format!("{:?} is a {kind}, not a vehicle or equipment", spec.vehicle),
            });
        }
        let borrower = self.tenant_id(&spec.borrower)?;
        Period::recorded(spec.period.from, spec.period.to)?;
        let lender = self.owner_at(vehicle, spec.period.from);
        if lender == borrower {
            return Err(Error::InvalidField {
                field: "borrower",
                reason: format!("{} already owns {}", spec.borrower, spec.vehicle),
            });
        }
        if self.agreement_code_taken(&spec.code) {
            return Err(Error::DuplicateAgreement(spec.code));
        }
        self.agreements.loans.push(Loan {
            code: spec.code.clone(),
            vehicle,
            lender,
            borrower,
            period: spec.period,
            unit: spec.unit,
            uses: Vec::new(),
        });
        let tenant = Some(spec.borrower.clone());
        self.log(tenant, AgreementEvent::VehicleLent { loan: spec.into() });
        Ok(())
    }

    /// Records a use of a lent vehicle, charged at the lender's rate of the day.
    ///
    /// Errors: [`Error::UnknownAgreement`], [`Error::InvalidQuantity`],
    /// [`Error::OutsideAssetLife`], [`Error::InvalidField`] (date outside the loan),
    /// [`Error::NoRate`].
    pub fn record_loan_use(
        &mut self,
        loan: &str,
        date: NaiveDate,
        quantity: Decimal,
    ) -> Result<LoanUse> {
        self.save_agreements();
        let idx = self
            .agreements
            .loans
            .iter()
            .position(|l| l.code == loan)
            .ok_or_else(|| Error::UnknownAgreement(loan.to_owned()))?;
        check_quantity("loan use", quantity)?;
        let (vehicle, unit, period, borrower) = {
            let l = &self.agreements.loans[idx];
            (l.vehicle, l.unit, l.period, l.borrower)
        };
        if !period.contains(date) {
            return Err(Error::InvalidField {
                field: "date",
                reason: format!("{date} is outside loan {loan} ({period})"),
            });
        }
        self.check_in_service(vehicle, date)?;
        let rate = self.vehicle_rate_of(vehicle, unit, date)?;
        let amount = quantity
            .checked_mul(rate)
            .map(round_cents)
            .ok_or(Error::AmountOutOfRange(quantity))?;
        let u = LoanUse {
            date,
            quantity,
            rate,
            amount,
        };
        self.agreements.loans[idx].uses.push(u);
        let tenant = Some(self.tenant_code(borrower).to_owned());
        self.log(
            tenant,
            AgreementEvent::LoanUsed {
                loan: loan.to_owned(),
                date,
                quantity,
            },
        );
        Ok(u)
    }

    /// All service agreements, in creation order.
    #[must_use]
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements.agreements
    }

    /// All pooled services, in creation order.
    #[must_use]
    pub fn pooled_services(&self) -> &[PooledService] {
        &self.agreements.pooled
    }

    /// All vehicle loans, in creation order.
    #[must_use]
    pub fn loans(&self) -> &[Loan] {
        &self.agreements.loans
    }

    /// The agreement covering régie work of `provider` for `payer` through
    /// `service` on `asset` at `date`, if any.
    pub(crate) fn covering_agreement(
        &self,
        provider: TenantId,
        payer: TenantId,
        service: Option<ServiceId>,
        asset: AssetId,
        date: NaiveDate,
    ) -> Option<usize> {
        self.agreements.agreements.iter().position(|a| {
            a.provider == provider
                && a.beneficiary == payer
                && a.period.contains(date)
                && (a.services.is_empty() || service.is_some_and(|s| a.services.contains(&s)))
                && (a.assets.is_empty()
                    || self
                        .ancestors_and_self(asset)
                        .any(|x| a.assets.contains(&x)))
        })
    }

    /// The pooled service of `provider` covering `service` at `date` with `payer` as member.
    pub(crate) fn covering_pool(
        &self,
        provider: TenantId,
        payer: TenantId,
        service: Option<ServiceId>,
        date: NaiveDate,
    ) -> Option<usize> {
        let service = service?;
        self.agreements.pooled.iter().position(|p| {
            p.provider == provider
                && p.period.contains(date)
                && p.services.contains(&service)
                && p.key.iter().any(|(m, w)| *m == payer && *w > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewTenant;

    #[test]
    fn names_and_validation() {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
            .unwrap();
        let p = Period::starting(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(m
            .add_agreement(NewAgreement::actual_cost("C", "ROANNE", "ROANNE", p))
            .is_err());
        assert_eq!(
            "unit_cost".parse::<AgreementMode>().unwrap(),
            AgreementMode::UnitCost
        );
    }
}
