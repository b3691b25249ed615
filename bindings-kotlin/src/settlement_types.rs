//! Enums and records of settlements and budgets (agreements, pooled services,
//! vehicle loans, annual statements, budget lines), mirrored from the core.
//! Like `types.rs`, records refer to entities by human codes; conversions
//! that need the registry to turn dense ids into codes live in
//! `settlement.rs`.

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::field_types::{CostNature, UsageUnit};
use crate::types::VatRate;

mirror_enum! {
    /// How a service agreement is reimbursed.
    pub enum AgreementMode mirrors mx::AgreementMode, "agreement mode" {
        /// Actual cost: the beneficiary's part of each line (labour at the
        /// provider's rate, materials at CMUP, vehicles at rate).
        ActualCost,
        /// Unit cost (CGCT D5211-16): coût unitaire de fonctionnement × hours
        /// of labour; materials and vehicles are included in the unit cost.
        UnitCost,
    }
}

mirror_enum! {
    /// What a budget is charged (DOMAIN §3).
    pub enum ChargeBasis mirrors mx::ChargeBasis, "charge basis" {
        /// Toutes taxes comprises: a general budget, VAT not recovered (the default).
        Ttc,
        /// Hors taxes: a budget subject to VAT.
        Ht,
    }
}

mirror_enum! {
    /// What happens when a cost would take a budget line below zero.
    pub enum OverrunPolicy mirrors mx::OverrunPolicy, "overrun policy" {
        /// The cost line is refused (`MutualisException.BudgetExceeded`).
        Refuse,
        /// The cost line is recorded and a warning kept (`budgetWarnings()`).
        Warn,
    }
}

mirror_enum! {
    /// Whether a budget line is spent (dépenses) or collected (recettes).
    pub enum LineDirection mirrors mx::LineDirection, "budget line direction" {
        /// Dépenses: cost lines are charged to it.
        Expense,
        /// Recettes: rent and charge provisions received are credited to it.
        Revenue,
    }
}

/// The execution of a revenue line for a year (or, with `code` "", of the
/// tenant's lettings assigned to no revenue line), exact to the cent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RevenueLineStatus {
    /// Line code.
    pub code: String,
    /// Code of the line's service, if any.
    pub service: Option<String>,
    /// Account (M57, e.g. "752").
    pub account: String,
    /// Voted + amendments.
    pub budgeted: Decimal,
    /// The rent calls of the year (rent + provisions) of the contracts assigned to it.
    pub called: Decimal,
    /// Their receipts dated in the year.
    pub collected: Decimal,
    /// `called` − `collected`.
    pub outstanding: Decimal,
    /// `budgeted` − `collected`.
    pub to_collect: Decimal,
    /// The contracts assigned to it, by code.
    pub leases: Vec<String>,
}

/// How one payer's part of a régie line is settled; the code of the agreement
/// or pooled service is in `DebtLine.settledByCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SettledBy {
    /// Under a service agreement, in its annual `statement`.
    Agreement,
    /// Through a pooled service's annual key statement (`pooledStatement`).
    PooledService,
    /// No agreement covers it: costed and flagged ("no agreement"), not settled.
    NoAgreement,
}

/// What is needed to record a service agreement (mise à disposition de
/// services, prestation): `provider`'s régie works for `beneficiary`. Only
/// `code`, `provider`, `beneficiary`, `mode` and `from` are required; use
/// named arguments for the rest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewAgreement {
    /// Human code, unique among agreements, pooled services and loans ("CONV-2019-SPORTS").
    pub code: String,
    /// Code of the tenant whose régie works (creditor).
    pub provider: String,
    /// Code of the tenant it works for (debtor).
    pub beneficiary: String,
    /// Reimbursement mode.
    pub mode: AgreementMode,
    /// First day of validity (inclusive).
    pub from: NaiveDate,
    /// Last day of validity (inclusive); null when open-ended.
    #[uniffi(default = None)]
    pub to: Option<NaiveDate>,
    /// Unit cost per hour: required in `UNIT_COST` mode, refused in `ACTUAL_COST` mode.
    #[uniffi(default = None)]
    pub unit_cost: Option<Decimal>,
    /// Codes of the provider's services covered (empty: all).
    #[uniffi(default)]
    pub services: Vec<String>,
    /// Codes of the asset subtrees covered (empty: all).
    #[uniffi(default)]
    pub assets: Vec<String>,
    /// VAT applied to reimbursements, if the agreement says so (none by default).
    #[uniffi(default = None)]
    pub vat_rate: Option<VatRate>,
    /// Provider's revenue account (e.g. M57 "70846").
    #[uniffi(default = None)]
    pub provider_account: Option<String>,
    /// Beneficiary's expense account (e.g. M57 "6217").
    #[uniffi(default = None)]
    pub beneficiary_account: Option<String>,
    /// Legal basis printed on statements (e.g. "CGCT L5211-4-1").
    #[uniffi(default = None)]
    pub legal_basis: Option<String>,
}

impl TryFrom<NewAgreement> for mx::NewAgreement {
    type Error = MutualisError;

    /// Fails with `DatesOutOfOrder` when `to` is before `from`.
    fn try_from(a: NewAgreement) -> Result<Self, MutualisError> {
        Ok(mx::NewAgreement {
            code: a.code,
            provider: a.provider,
            beneficiary: a.beneficiary,
            mode: a.mode.into(),
            period: mx::Period::new(a.from, a.to)?,
            unit_cost: a.unit_cost,
            services: a.services,
            assets: a.assets,
            vat_rate: a.vat_rate.map(Into::into),
            provider_account: a.provider_account,
            beneficiary_account: a.beneficiary_account,
            legal_basis: a.legal_basis,
        })
    }
}

/// What is needed to record a pooled service (service commun, CGCT
/// L5211-4-2): the annual cost of the provider's `services` is split between
/// members by `key`, against their advances.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPooledService {
    /// Human code, unique among agreements, pooled services and loans.
    pub code: String,
    /// Code of the tenant carrying the service.
    pub provider: String,
    /// Codes of the provider's services pooled (at least one).
    pub services: Vec<String>,
    /// First day of validity (inclusive).
    pub from: NaiveDate,
    /// Last day of validity (inclusive); null when open-ended.
    #[uniffi(default = None)]
    pub to: Option<NaiveDate>,
    /// Agreed key: integer weight per member tenant code (the provider may be a member).
    pub key: HashMap<String, u64>,
    /// Legal basis printed on statements.
    #[uniffi(default = None)]
    pub legal_basis: Option<String>,
}

impl TryFrom<NewPooledService> for mx::NewPooledService {
    type Error = MutualisError;

    /// Fails with `DatesOutOfOrder` when `to` is before `from`.
    fn try_from(p: NewPooledService) -> Result<Self, MutualisError> {
        Ok(mx::NewPooledService {
            code: p.code,
            provider: p.provider,
            services: p.services,
            period: mx::Period::new(p.from, p.to)?,
            key: p.key.into_iter().collect(),
            legal_basis: p.legal_basis,
        })
    }
}

/// What is needed to record a vehicle loan from the vehicle's owner to `borrower`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewLoan {
    /// Human code, unique among agreements, pooled services and loans.
    pub code: String,
    /// Code of the vehicle (or equipment) asset lent; its owner is the lender.
    pub vehicle: String,
    /// Code of the borrowing tenant.
    pub borrower: String,
    /// First day of the loan (inclusive).
    pub from: NaiveDate,
    /// Last day of the loan (inclusive); null when open-ended.
    #[uniffi(default = None)]
    pub to: Option<NaiveDate>,
    /// Unit charged, at the lender's rate for the vehicle.
    pub unit: UsageUnit,
}

impl TryFrom<NewLoan> for mx::NewLoan {
    type Error = MutualisError;

    /// Fails with `DatesOutOfOrder` when `to` is before `from`.
    fn try_from(l: NewLoan) -> Result<Self, MutualisError> {
        Ok(mx::NewLoan {
            code: l.code,
            vehicle: l.vehicle,
            borrower: l.borrower,
            period: mx::Period::new(l.from, l.to)?,
            unit: l.unit.into(),
        })
    }
}

/// One use of a lent vehicle.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanUse {
    /// Day of use.
    pub date: NaiveDate,
    /// Quantity in the loan's unit.
    pub quantity: Decimal,
    /// The lender's rate on that day.
    pub rate: Decimal,
    /// Amount owed, quantity × rate rounded to the cent.
    pub amount: Decimal,
}

impl From<mx::LoanUse> for LoanUse {
    fn from(u: mx::LoanUse) -> Self {
        LoanUse {
            date: u.date,
            quantity: u.quantity,
            rate: u.rate,
            amount: u.amount,
        }
    }
}

/// One payer's part of a régie line done for it by another tenant (DOMAIN §4
/// step 3), with how it is settled.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DebtLine {
    /// Code of the work order of the cost line.
    pub work_order: String,
    /// Day of the cost.
    pub date: NaiveDate,
    /// Nature of the cost line.
    pub nature: CostNature,
    /// Code of the providing tenant (creditor).
    pub provider: String,
    /// Code of the paying tenant (debtor).
    pub payer: String,
    /// The payer's part of the line, as costed (TTC, to the cent).
    pub part: Decimal,
    /// Units reimbursed: hours in unit-cost mode, the payer's share of the line quantity otherwise.
    pub units: Decimal,
    /// Amount owed under the settlement rule, before any agreement VAT.
    pub amount: Decimal,
    /// How it is settled.
    pub settled_by: SettledBy,
    /// Code of the agreement or pooled service settling it; null for `NO_AGREEMENT`.
    pub settled_by_code: Option<String>,
}

/// The annual statement (état récapitulatif) of one service agreement; never
/// more than one year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Statement {
    /// Agreement code.
    pub agreement: String,
    /// Year covered.
    pub year: i32,
    /// Code of the creditor (the provider).
    pub creditor: String,
    /// Code of the debtor (the beneficiary).
    pub debtor: String,
    /// Reimbursement mode.
    pub mode: AgreementMode,
    /// The detail, in cost-line order.
    pub lines: Vec<DebtLine>,
    /// Sum of the lines' amounts.
    pub total_ht: Decimal,
    /// VAT rate, if the agreement applies one.
    pub vat_rate: Option<VatRate>,
    /// VAT on the total, to the cent (0.00 without a rate).
    pub vat: Decimal,
    /// Amount due: `totalHt` + `vat`.
    pub total: Decimal,
    /// Creditor's account (e.g. "70846"), if recorded.
    pub creditor_account: Option<String>,
    /// Debtor's account (e.g. "6217"), if recorded.
    pub debtor_account: Option<String>,
    /// Legal basis, if recorded.
    pub legal_basis: Option<String>,
}

/// One member's row of a pooled-service statement.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PooledShare {
    /// Member tenant code.
    pub tenant: String,
    /// Its weight in the key.
    pub weight: u64,
    /// Its share of the year's cost (largest-remainder split, to the cent).
    pub share: Decimal,
    /// Advances it paid for the year.
    pub advances: Decimal,
    /// `share` − `advances`: positive, it owes the provider; negative, the provider refunds it.
    pub balance: Decimal,
}

/// The annual statement of a pooled service, with its year-end true-up.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PooledStatement {
    /// Pooled service code.
    pub pooled: String,
    /// Year covered.
    pub year: i32,
    /// Code of the provider.
    pub provider: String,
    /// Cost of the pooled services' régie lines in the year.
    pub total_cost: Decimal,
    /// Members' rows, sorted by tenant code.
    pub shares: Vec<PooledShare>,
}

/// The annual statement of a vehicle loan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanStatement {
    /// Loan code.
    pub loan: String,
    /// Year covered.
    pub year: i32,
    /// Code of the lender (creditor).
    pub lender: String,
    /// Code of the borrower (debtor).
    pub borrower: String,
    /// Uses in the year, in recording order.
    pub uses: Vec<LoanUse>,
    /// Amount due, the sum of the uses.
    pub total: Decimal,
}

/// One cell of the settlement matrix: who owes whom for a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Debt {
    /// Code of the tenant owed.
    pub creditor: String,
    /// Code of the tenant owing.
    pub debtor: String,
    /// How much, over all agreements, pooled services and loans of the year.
    pub amount: Decimal,
}

/// Consumption of one budget line (or, with `code` "", the tenant's spending
/// of the year that matches no line).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BudgetLineStatus {
    /// Line code ("" for the row of spending that matches no line).
    pub code: String,
    /// Code of the line's service (of the budget's tenant), if any.
    pub service: Option<String>,
    /// Account (nature M57, e.g. "615221"); "" for the unmatched row.
    pub account: String,
    /// Voted credits (budget primitif).
    pub voted: Decimal,
    /// Sum of the amendments (décisions modificatives).
    pub amendments: Decimal,
    /// `voted` + `amendments`.
    pub credits: Decimal,
    /// Sum of the commitments (engagements).
    pub committed: Decimal,
    /// Spending from cost lines, on the budget's basis (TTC or HT).
    pub spent: Decimal,
    /// `credits` − `committed` − spending not covered by a commitment (a
    /// revenue line: `credits` − collected).
    pub remaining: Decimal,
    /// Expense or revenue (for a revenue line, `spent` is what was collected).
    pub direction: LineDirection,
}

/// A warning left by a cost recorded beyond a budget line whose policy is `WARN`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BudgetWarning {
    /// Tenant code.
    pub tenant: String,
    /// Fiscal year.
    pub year: i32,
    /// Budget line code.
    pub line: String,
    /// Work order code of the cost line.
    pub work_order: String,
    /// Amount the cost line charged.
    pub amount: Decimal,
    /// Remaining credit before it.
    pub remaining: Decimal,
}

impl From<&mx::BudgetWarning> for BudgetWarning {
    fn from(w: &mx::BudgetWarning) -> Self {
        BudgetWarning {
            tenant: w.tenant.clone(),
            year: w.year,
            line: w.line.clone(),
            work_order: w.work_order.clone(),
            amount: w.amount,
            remaining: w.remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Must;

    #[test]
    fn enums_round_trip_through_the_core() {
        for k in mx::AgreementMode::ALL {
            assert_eq!(
                mx::AgreementMode::from(AgreementMode::try_from(*k).must()),
                *k
            );
        }
        for k in mx::ChargeBasis::ALL {
            assert_eq!(mx::ChargeBasis::from(ChargeBasis::try_from(*k).must()), *k);
        }
        for k in mx::LineDirection::ALL {
            assert_eq!(
                mx::LineDirection::from(LineDirection::try_from(*k).must()),
                *k
            );
        }
        for k in mx::OverrunPolicy::ALL {
            assert_eq!(
                mx::OverrunPolicy::from(OverrunPolicy::try_from(*k).must()),
                *k
            );
        }
    }

    #[test]
    fn periods_out_of_order_are_refused_by_the_conversion() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).must();
        let loan = NewLoan {
            code: "P".into(),
            vehicle: "V".into(),
            borrower: "B".into(),
            from: d(5),
            to: Some(d(4)),
            unit: UsageUnit::Day,
        };
        assert!(matches!(
            mx::NewLoan::try_from(loan),
            Err(MutualisError::DatesOutOfOrder { .. })
        ));
    }
}

/// What settles an amount between two tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SettlementSourceKind {
    /// A service agreement's annual statement.
    Agreement,
    /// A pooled service's balance after advances.
    PooledService,
    /// A vehicle loan's annual statement.
    Loan,
}

/// One amount of a settlement report: `debtor` owes `creditor` `amount`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementItem {
    /// What it comes from.
    pub kind: SettlementSourceKind,
    /// The agreement, pooled service or loan code.
    pub source: String,
    /// Code of the tenant owed.
    pub creditor: String,
    /// Code of the tenant owing.
    pub debtor: String,
    /// Amount due (VAT included where the agreement applies one).
    pub amount: Decimal,
    /// An agreement's statement lines (empty otherwise).
    pub lines: Vec<DebtLine>,
}

/// The settlement of two tenants for a year (`settlementReport`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementReport {
    /// Year covered.
    pub year: i32,
    /// The first tenant asked.
    pub first: String,
    /// The second tenant asked.
    pub second: String,
    /// Agreements, then pooled services, then loans.
    pub items: Vec<SettlementItem>,
    /// Their cells of the settlement matrix.
    pub matrix: Vec<Debt>,
    /// Régie parts one did for the other without an agreement.
    pub unsettled: Vec<DebtLine>,
    /// True when the items add up to the matrix cells in both directions.
    pub reconciles: bool,
}

/// The FCTVA a tenant can expect for its spending of a year (`fctvaEstimate`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FctvaEstimate {
    /// Tenant code.
    pub tenant: String,
    /// Year of the spending.
    pub year: i32,
    /// Rate applied (percent).
    pub rate: Decimal,
    /// Eligible maintenance paid to suppliers, TTC (the tenant's parts).
    pub maintenance_base: Decimal,
    /// Supplier lines the tenant paid that are not eligible, TTC.
    pub not_eligible: Decimal,
    /// The year's payments on the tenant's APs, TTC.
    pub investment_base: Decimal,
    /// maintenanceBase × rate, to the cent.
    pub maintenance: Decimal,
    /// investmentBase × rate, to the cent.
    pub investment: Decimal,
    /// maintenance + investment.
    pub total: Decimal,
}
