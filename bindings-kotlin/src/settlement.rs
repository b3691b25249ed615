//! Settlements and budgets on the `Mutualis` façade: the setup calls
//! (agreements, pooled services, vehicle loans, budgets) and the reads a
//! field or tablet app needs (annual statements, settlement matrix,
//! unsettled lines, budget consumption and warnings).
//!
//! As in `registry.rs`, every rule is the core's; this file converts
//! arguments and results (dense ids → human codes) and maps errors.

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;
use crate::settlement_types::{
    BudgetLineStatus, BudgetWarning, ChargeBasis, Debt, DebtLine, FctvaEstimate, LoanStatement,
    LoanUse, NewAgreement, NewLoan, NewPooledService, OverrunPolicy, PooledShare, PooledStatement,
    RevenueLineStatus, SettledBy, SettlementItem, SettlementReport, SettlementSourceKind,
    Statement,
};
use crate::types::VatRate;

#[uniffi::export]
impl Mutualis {
    // -- Agreements, pooled services, vehicle loans ---------------------------------

    /// Records a service agreement: `provider`'s régie works for
    /// `beneficiary` within its scope (services, asset subtrees) and period,
    /// reimbursed at actual cost or at unit cost. Costs done before it was
    /// recorded are settled too (settlements are derived, never stored).
    ///
    /// Throws `InvalidCode`, `DatesOutOfOrder`, `UnknownTenant`,
    /// `UnknownService`, `UnknownAsset`, `InvalidField` (provider =
    /// beneficiary, unit cost missing in `UNIT_COST` mode or given in
    /// `ACTUAL_COST` mode), `InvalidQuantity` (unit cost ≤ 0),
    /// `DuplicateAgreement`, `AgreementOverlap` (same tenants, intersecting
    /// scope and overlapping days).
    pub fn add_agreement(&self, agreement: NewAgreement) -> Result<(), MutualisError> {
        let spec = mx::NewAgreement::try_from(agreement)?;
        self.write(|m| m.add_agreement(spec))
    }

    /// Records a pooled service (service commun) with its agreed key.
    ///
    /// Throws `InvalidCode`, `DatesOutOfOrder`, `UnknownTenant`,
    /// `UnknownService`, `InvalidField` (no service), `WeightsSumToZero`,
    /// `DuplicateAgreement`, `AgreementOverlap` (a pooled service of the same
    /// provider with a common service over overlapping days).
    pub fn add_pooled_service(&self, pooled: NewPooledService) -> Result<(), MutualisError> {
        let spec = mx::NewPooledService::try_from(pooled)?;
        self.write(|m| m.add_pooled_service(spec))
    }

    /// Records an advance paid by `member` to a pooled service for `year`
    /// (added to its earlier advances of that year); the year-end true-up
    /// deducts them.
    ///
    /// Throws `UnknownAgreement`, `UnknownTenant`, `InvalidField` (not a
    /// member), `SubCentAmount`, `AmountOutOfRange`.
    pub fn record_advance(
        &self,
        pooled: String,
        year: i32,
        member: String,
        amount: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_advance(&pooled, year, &member, amount))
    }

    /// Records a vehicle loan from the vehicle's owner (the lender) to the borrower.
    ///
    /// Throws `InvalidCode`, `DatesOutOfOrder`, `UnknownAsset`,
    /// `UnknownTenant`, `InvalidField` (lending to the owner), `DuplicateAgreement`.
    pub fn lend_vehicle(&self, loan: NewLoan) -> Result<(), MutualisError> {
        let spec = mx::NewLoan::try_from(loan)?;
        self.write(|m| m.lend_vehicle(spec))
    }

    /// Records a use of a lent vehicle on day `on`: `quantity` in the loan's
    /// unit at the lender's rate of the day, rounded to the cent.
    ///
    /// Throws `UnknownAgreement` (no such loan), `InvalidQuantity`,
    /// `OutsideAssetLife`, `InvalidField` (day outside the loan), `NoRate`.
    pub fn record_loan_use(
        &self,
        loan: String,
        on: NaiveDate,
        quantity: Decimal,
    ) -> Result<LoanUse, MutualisError> {
        self.write(|m| m.record_loan_use(&loan, on, quantity))
            .map(LoanUse::from)
    }

    // -- Settlement statements ----------------------------------------------------------

    /// The annual statement of a service agreement for `year`: its debt
    /// lines, total HT, VAT (if the agreement applies one), total due,
    /// accounts and legal basis.
    ///
    /// Throws `UnknownAgreement`.
    pub fn statement(&self, agreement: String, year: i32) -> Result<Statement, MutualisError> {
        self.view(|m, r| statement_rec(m, r.statement(&agreement, year)?))
    }

    /// The annual statements for `year` of every service agreement where
    /// `tenant` is creditor (provider) or debtor (beneficiary), in agreement
    /// creation order: the "settlement statements" of one tenant. Empty
    /// when it has none.
    ///
    /// Throws `UnknownTenant`.
    pub fn statements_for(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<Vec<Statement>, MutualisError> {
        self.view(|m, r| {
            r.statements_for(&tenant, year)?
                .into_iter()
                .map(|s| statement_rec(m, s))
                .collect()
        })
    }

    /// The annual statement of a pooled service for `year`: the cost of its
    /// régie lines split by the key, less each member's advances.
    ///
    /// Throws `UnknownAgreement`.
    pub fn pooled_statement(
        &self,
        pooled: String,
        year: i32,
    ) -> Result<PooledStatement, MutualisError> {
        self.read(|m| {
            let s = m.pooled_statement(&pooled, year)?;
            Ok(PooledStatement {
                pooled: s.pooled,
                year: s.year,
                provider: m.tenant_code(s.provider).to_owned(),
                total_cost: s.total_cost,
                shares: s
                    .shares
                    .iter()
                    .map(|r| PooledShare {
                        tenant: m.tenant_code(r.tenant).to_owned(),
                        weight: r.weight,
                        share: r.share,
                        advances: r.advances,
                        balance: r.balance,
                    })
                    .collect(),
            })
        })
    }

    /// The annual statement of a vehicle loan for `year`.
    ///
    /// Throws `UnknownAgreement`.
    pub fn loan_statement(&self, loan: String, year: i32) -> Result<LoanStatement, MutualisError> {
        self.read(|m| {
            let s = m.loan_statement(&loan, year)?;
            Ok(LoanStatement {
                loan: s.loan,
                year: s.year,
                lender: m.tenant_code(s.lender).to_owned(),
                borrower: m.tenant_code(s.borrower).to_owned(),
                uses: s.uses.into_iter().map(LoanUse::from).collect(),
                total: s.total,
            })
        })
    }

    /// The settlement of `first` and `second` for `year`: every agreement
    /// statement, pooled-service balance and vehicle loan between them
    /// (which add up to their matrix cells: `reconciles`), and the régie work
    /// without an agreement. Throws `UnknownTenant`, `YearOutOfRange`.
    pub fn settlement_report(
        &self,
        first: String,
        second: String,
        year: i32,
    ) -> Result<SettlementReport, MutualisError> {
        use mx::reconcile::SettlementSource;
        self.view(|m, r| {
            let r = r.settlement_report(&first, &second, year)?;
            let code = |t: mx::TenantId| m.tenant_code(t).to_owned();
            let items = r
                .items
                .iter()
                .map(|i| {
                    let (kind, source) = match &i.source {
                        SettlementSource::Agreement(c) => {
                            (SettlementSourceKind::Agreement, c.clone())
                        }
                        SettlementSource::PooledService(c) => {
                            (SettlementSourceKind::PooledService, c.clone())
                        }
                        SettlementSource::Loan(c) => (SettlementSourceKind::Loan, c.clone()),
                    };
                    Ok(SettlementItem {
                        kind,
                        source,
                        creditor: code(i.creditor),
                        debtor: code(i.debtor),
                        amount: i.amount,
                        lines: i
                            .lines
                            .iter()
                            .map(|l| debt_line_rec(m, l.clone()))
                            .collect::<Result<_, _>>()?,
                    })
                })
                .collect::<Result<Vec<_>, MutualisError>>()?;
            Ok(SettlementReport {
                year: r.year,
                first: code(r.first),
                second: code(r.second),
                items,
                matrix: r
                    .matrix
                    .iter()
                    .map(|d| Debt {
                        creditor: code(d.creditor),
                        debtor: code(d.debtor),
                        amount: d.amount,
                    })
                    .collect(),
                unsettled: r
                    .unsettled
                    .iter()
                    .map(|l| debt_line_rec(m, l.clone()))
                    .collect::<Result<_, _>>()?,
                reconciles: r.reconciles(),
            })
        })
    }

    /// The FCTVA attributable to `tenant`'s spending of `year`: the dated
    /// rate times the eligible maintenance paid to suppliers (public
    /// buildings and roads from 2016, networks from 2020) and the year's AP
    /// payments. Throws `UnknownTenant`, `YearOutOfRange`, `InvalidField`
    /// (a year before the rate table, 2003).
    pub fn fctva_estimate(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<FctvaEstimate, MutualisError> {
        self.view(|m, r| {
            let e = r.fctva_estimate(&tenant, year)?;
            Ok(FctvaEstimate {
                tenant: m.tenant_code(e.tenant).to_owned(),
                year: e.year,
                rate: e.rate,
                maintenance_base: e.maintenance_base,
                not_eligible: e.not_eligible,
                investment_base: e.investment_base,
                maintenance: e.maintenance,
                investment: e.investment,
                total: e.total,
            })
        })
    }

    /// `settlementReport` as French text, line by line, ending with the
    /// balance and whether it matches the settlement matrix.
    pub fn settlement_report_text(
        &self,
        first: String,
        second: String,
        year: i32,
    ) -> Result<String, MutualisError> {
        self.view(|_, r| Ok(r.settlement_report_text(&first, &second, year)?))
    }

    /// Who owes whom for `year`, over every agreement, pooled service and
    /// loan: one row per (creditor, debtor), sorted by their codes. A
    /// negative pooled balance is a debt of the provider to the member.
    pub fn settlement_matrix(&self, year: i32) -> Result<Vec<Debt>, MutualisError> {
        self.view(|m, r| {
            Ok(r.settlement_matrix(year)?
                .into_iter()
                .map(|d| Debt {
                    creditor: m.tenant_code(d.creditor).to_owned(),
                    debtor: m.tenant_code(d.debtor).to_owned(),
                    amount: d.amount,
                })
                .collect())
        })
    }

    /// The régie parts of `year` done for another tenant that no agreement
    /// or pooled service covers ("no agreement"): costed, never lost, to be
    /// regularised.
    pub fn unsettled(&self, year: i32) -> Result<Vec<DebtLine>, MutualisError> {
        self.view(|m, r| {
            r.unsettled(year)?
                .into_iter()
                .map(|d| debt_line_rec(m, d))
                .collect()
        })
    }

    // -- Budgets -------------------------------------------------------------------------

    /// Opens the budget of `tenant` for fiscal `year`, charged TTC (general
    /// budget) or HT (budget subject to VAT), refusing or warning on overrun.
    ///
    /// Throws `UnknownTenant`, `DuplicateBudget`.
    pub fn add_budget(
        &self,
        tenant: String,
        year: i32,
        basis: ChargeBasis,
        policy: OverrunPolicy,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_budget(&tenant, year, basis.into(), policy.into()))
    }

    /// Adds a line to a budget with its voted credits (budget primitif). Its
    /// spending is the tenant's charges on cost lines of the year whose work
    /// order is assigned to it (`assignBudgetLine`) or, without an
    /// assignment, booked to its `service`.
    ///
    /// Throws `UnknownBudget`, `InvalidCode`, `UnknownService`, `InvalidField`
    /// (blank account), `SubCentAmount`, `InvalidQuantity` (negative),
    /// `DuplicateBudget` (line code already in the budget).
    #[uniffi::method(default(service = None))]
    pub fn add_budget_line(
        &self,
        tenant: String,
        year: i32,
        code: String,
        service: Option<String>,
        account: String,
        voted: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_budget_line(&tenant, year, &code, service.as_deref(), &account, voted))
    }

    /// Records an amendment (décision modificative) of a budget line,
    /// positive or negative, with its label ("DM1").
    ///
    /// Throws `UnknownBudget`, `SubCentAmount`, `InvalidField` (blank label).
    pub fn amend_budget_line(
        &self,
        tenant: String,
        year: i32,
        line: String,
        amount: Decimal,
        label: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.amend_budget_line(&tenant, year, &line, amount, &label))
    }

    /// Records a commitment (engagement, e.g. a purchase order) on a budget
    /// line, optionally for a work order: it then covers that order's
    /// spending on the line up to its amount.
    ///
    /// Throws `UnknownBudget`, `InvalidCode`, `SubCentAmount`,
    /// `InvalidQuantity` (amount ≤ 0), `UnknownWorkOrder`.
    #[uniffi::method(default(work_order = None))]
    pub fn commit_budget(
        &self,
        tenant: String,
        year: i32,
        line: String,
        code: String,
        amount: Decimal,
        work_order: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.commit_budget(&tenant, year, &line, &code, amount, work_order.as_deref()))
    }

    /// Assigns a work order's charges to `tenant` to the budget line `line`
    /// (by code, in every year's budget of the tenant that has it), instead
    /// of the line of its service.
    ///
    /// Throws `UnknownWorkOrder`, `UnknownTenant`, `InvalidCode`,
    /// `UnknownBudget` (no budget of the tenant has this line).
    pub fn assign_budget_line(
        &self,
        work_order: String,
        tenant: String,
        line: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.assign_budget_line(&work_order, &tenant, &line))
    }

    /// Adds a revenue line (recettes: rents, charge provisions) to a budget
    /// with its forecast; contracts where the tenant is lessor are assigned
    /// to it (`assignLeaseBudgetLine`).
    ///
    /// Throws as `addBudgetLine`.
    #[uniffi::method(default(service = None))]
    pub fn add_revenue_line(
        &self,
        tenant: String,
        year: i32,
        code: String,
        service: Option<String>,
        account: String,
        voted: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| {
            m.add_revenue_line(&tenant, year, &code, service.as_deref(), &account, voted)
        })
    }

    /// Assigns a contract where `tenant` is lessor to its revenue line
    /// `line` (by code, in every year's budget that has it): its rent calls
    /// and receipts count on it (`revenueStatus`).
    ///
    /// Throws `UnknownLease`, `UnknownTenant`, `UnknownBudget`,
    /// `BudgetLineMismatch` (an expense line, a line of another collectivité
    /// than the contract's, a lessee's contract).
    pub fn assign_lease_budget_line(
        &self,
        lease: String,
        tenant: String,
        line: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.assign_lease_budget_line(&lease, &tenant, &line))
    }

    /// The revenue line a contract is assigned to (null: none). Throws
    /// `UnknownLease`.
    pub fn lease_budget_line(&self, lease: String) -> Result<Option<String>, MutualisError> {
        self.view(|_, r| Ok(r.lease_budget_line(&lease)?.map(str::to_owned)))
    }

    /// The execution of the revenue lines of the budget of `tenant` for
    /// `year`: budgeted, called (rent calls of the year), collected
    /// (receipts of the year), outstanding, exact to the cent; a last row
    /// (code "") for the lettings assigned to no revenue line.
    ///
    /// Throws `UnknownTenant`, `UnknownBudget`.
    pub fn revenue_status(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<Vec<RevenueLineStatus>, MutualisError> {
        self.view(|m, r| {
            r.revenue_status(&tenant, year)?
                .into_iter()
                .map(|s| {
                    let service = match s.service {
                        Some(id) => Some(m.service_by_id(id)?.code.clone()),
                        None => None,
                    };
                    Ok(RevenueLineStatus {
                        code: s.code,
                        service,
                        account: s.account,
                        budgeted: s.budgeted,
                        called: s.called,
                        collected: s.collected,
                        outstanding: s.outstanding,
                        to_collect: s.to_collect,
                        leases: s.leases,
                    })
                })
                .collect()
        })
    }

    /// Consumption of every line of the budget of `tenant` for `year`, in
    /// creation order, plus a last row (code "") for its spending of the
    /// year that matches no line.
    ///
    /// Throws `UnknownTenant`, `UnknownBudget`.
    pub fn budget_status(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<Vec<BudgetLineStatus>, MutualisError> {
        self.view(|m, r| {
            r.budget_status(&tenant, year)?
                .into_iter()
                .map(|s| {
                    let service = match s.service {
                        Some(id) => Some(m.service_by_id(id)?.code.clone()),
                        None => None,
                    };
                    Ok(BudgetLineStatus {
                        code: s.code,
                        service,
                        account: s.account,
                        voted: s.voted,
                        amendments: s.amendments,
                        credits: s.credits,
                        committed: s.committed,
                        spent: s.spent,
                        remaining: s.remaining,
                        direction: s.direction.try_into()?,
                    })
                })
                .collect()
        })
    }

    /// The warnings left by costs recorded beyond a budget line whose policy
    /// is `WARN`, oldest first.
    pub fn budget_warnings(&self) -> Result<Vec<BudgetWarning>, MutualisError> {
        self.view(|_, r| Ok(r.budget_warnings().into_iter().map(Into::into).collect()))
    }
}

fn debt_line_rec(m: &mx::Mutualis, d: mx::DebtLine) -> Result<DebtLine, MutualisError> {
    let (settled_by, settled_by_code) = match d.settled_by {
        mx::SettledBy::Agreement(code) => (SettledBy::Agreement, Some(code)),
        mx::SettledBy::PooledService(code) => (SettledBy::PooledService, Some(code)),
        mx::SettledBy::NoAgreement => (SettledBy::NoAgreement, None),
    };
    Ok(DebtLine {
        work_order: d.work_order,
        date: d.date,
        nature: d.nature.try_into()?,
        provider: m.tenant_code(d.provider).to_owned(),
        payer: m.tenant_code(d.payer).to_owned(),
        part: d.part,
        units: d.units,
        amount: d.amount,
        settled_by,
        settled_by_code,
    })
}

fn statement_rec(m: &mx::Mutualis, s: mx::Statement) -> Result<Statement, MutualisError> {
    Ok(Statement {
        agreement: s.agreement,
        year: s.year,
        creditor: m.tenant_code(s.creditor).to_owned(),
        debtor: m.tenant_code(s.debtor).to_owned(),
        mode: s.mode.try_into()?,
        lines: s
            .lines
            .into_iter()
            .map(|d| debt_line_rec(m, d))
            .collect::<Result<_, _>>()?,
        total_ht: s.total_ht,
        vat_rate: s.vat_rate.map(VatRate::try_from).transpose()?,
        vat: s.vat,
        total: s.total,
        creditor_account: s.creditor_account,
        debtor_account: s.debtor_account,
        legal_basis: s.legal_basis,
    })
}
