//! Records and columns of who pays and who is owed: service agreements,
//! pooled services, vehicle loans, settlement statements, budgets and the
//! cost ledger (core modules `agreements`, `settlement`, `budget`, `ledger`).
//!
//! Like every record of the binding, each class is a frozen snapshot with
//! `__eq__`, `__hash__` and a `__repr__`; codes replace the core's dense ids,
//! kinds are their snake_case names, periods are `start`/`end` (inclusive,
//! `end=None` open-ended), VAT rates are percents.
//!
//! How a debt line is settled is two fields: `settled_by` is
//! `"agreement"`, `"pooled_service"` or `"no_agreement"`, and `settled_under`
//! the agreement's or pooled service's code (`None` for `"no_agreement"`).

use chrono::NaiveDate;
use mutualis::ledger::NONE;
use mutualis::{
    Agreement, Budget, BudgetLineStatus, BudgetWarning, CostNature, Debt, DebtLine, GroupRow, Loan,
    LoanStatement, LoanUse, PooledService, PooledShare, PooledStatement, SettledBy, Statement,
    TenantId,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

use crate::records::service_pair;

/// The core registry.
type Registry = mutualis::Mutualis;

/// Tenant code of an id.
fn tenant(m: &Registry, id: TenantId) -> String {
    m.tenant_code(id).to_owned()
}

/// Service codes (of their tenant) of service ids.
fn service_codes(m: &Registry, ids: &[mutualis::ServiceId]) -> Vec<String> {
    ids.iter()
        .map(|s| {
            service_pair(m, *s).map_or_else(|| mutualis::UNKNOWN_CODE.to_owned(), |(_, code)| code)
        })
        .collect()
}

/// (kind, code) of a settlement.
fn settled_parts(s: &SettledBy) -> (&'static str, Option<String>) {
    match s {
        SettledBy::Agreement(code) => ("agreement", Some(code.clone())),
        SettledBy::PooledService(code) => ("pooled_service", Some(code.clone())),
        SettledBy::NoAgreement => ("no_agreement", None),
    }
}

/// A service agreement between a provider's régie and a beneficiary.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Agreement",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyAgreement {
    /// Human code.
    code: String,
    /// Provider tenant code (creditor).
    provider: String,
    /// Beneficiary tenant code (debtor).
    beneficiary: String,
    /// "actual_cost" or "unit_cost".
    mode: crate::protocol::Label,
    /// First day.
    start: NaiveDate,
    /// Last day, `None` when open-ended.
    end: Option<NaiveDate>,
    /// Unit cost per hour (unit_cost mode).
    unit_cost: Option<Decimal>,
    /// Provider service codes covered (empty: all).
    services: Vec<String>,
    /// Asset subtrees covered (empty: all).
    assets: Vec<String>,
    /// VAT rate in percent applied to reimbursements, if any.
    vat_rate: Option<Decimal>,
    /// Provider's revenue account.
    provider_account: Option<String>,
    /// Beneficiary's expense account.
    beneficiary_account: Option<String>,
    /// Legal basis.
    legal_basis: Option<String>,
}

impl PyAgreement {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, a: &Agreement) -> PyAgreement {
        PyAgreement {
            code: a.code.clone(),
            provider: tenant(m, a.provider),
            beneficiary: tenant(m, a.beneficiary),
            mode: a.mode.as_str().into(),
            start: a.period.from,
            end: a.period.to,
            unit_cost: a.unit_cost,
            services: service_codes(m, &a.services),
            assets: a
                .assets
                .iter()
                .map(|x| m.asset_code(*x).to_owned())
                .collect(),
            vat_rate: a.vat_rate.map(|r| r.percent()),
            provider_account: a.provider_account.clone(),
            beneficiary_account: a.beneficiary_account.clone(),
            legal_basis: a.legal_basis.clone(),
        }
    }
}

record_class! {
    PyAgreement { code, provider, beneficiary, mode, start, end, unit_cost, services, assets, vat_rate, provider_account, beneficiary_account, legal_basis }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Agreement",
            code = &self.code,
            provider = &self.provider,
            beneficiary = &self.beneficiary,
            mode = &self.mode,
            start = self.start,
            end = self.end,
            unit_cost = self.unit_cost,
            services = &self.services,
            assets = &self.assets,
            vat_rate = self.vat_rate,
            provider_account = &self.provider_account,
            beneficiary_account = &self.beneficiary_account,
            legal_basis = &self.legal_basis
        )
    }
}

/// A pooled service (service commun) with its agreed key and advances.
#[pyclass(
    frozen,
    eq,
    hash,
    name = "PooledService",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPooledService {
    code: String,
    provider: String,
    services: Vec<String>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    key: Vec<(String, u64)>,
    legal_basis: Option<String>,
    advances: Vec<(i32, String, Decimal)>,
}

impl PyPooledService {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, p: &PooledService) -> PyPooledService {
        let mut key: Vec<(String, u64)> = p.key.iter().map(|(t, w)| (tenant(m, *t), *w)).collect();
        key.sort();
        PyPooledService {
            code: p.code.clone(),
            provider: tenant(m, p.provider),
            services: service_codes(m, &p.services),
            start: p.period.from,
            end: p.period.to,
            key,
            legal_basis: p.legal_basis.clone(),
            advances: p
                .advances
                .iter()
                .map(|((year, t), amount)| (*year, tenant(m, *t), *amount))
                .collect(),
        }
    }
}

record_class! {
    PyPooledService { code, provider, services, start, end, key, legal_basis, advances }

    /// Human code.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }

    /// Provider tenant code.
    #[getter]
    fn provider(&self) -> &str {
        &self.provider
    }

    /// The provider's pooled service codes.
    #[getter]
    fn services(&self) -> Vec<String> {
        self.services.clone()
    }

    /// First day.
    #[getter]
    fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day, `None` when open-ended.
    #[getter]
    fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// Weights per member tenant code, in code order (a fresh dict each time).
    #[getter]
    fn key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (t, w) in &self.key {
            dict.set_item(t, w)?;
        }
        Ok(dict)
    }

    /// Legal basis.
    #[getter]
    fn legal_basis(&self) -> Option<String> {
        self.legal_basis.clone()
    }

    /// Advances paid as (year, member, amount), sorted by year then member id.
    #[getter]
    fn advances(&self) -> Vec<(i32, String, Decimal)> {
        self.advances.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "PooledService",
            code = &self.code,
            provider = &self.provider,
            services = &self.services,
            start = self.start,
            end = self.end,
            key = self.key(py)?,
            legal_basis = &self.legal_basis,
            advances = self.advances.clone()
        )
    }
}

/// One use of a lent vehicle.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "LoanUse",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyLoanUse {
    /// Day of use.
    date: NaiveDate,
    /// Quantity in the loan's unit.
    quantity: Decimal,
    /// Lender's rate that day.
    rate: Decimal,
    /// Amount owed, to the cent.
    amount: Decimal,
}

impl From<&LoanUse> for PyLoanUse {
    fn from(u: &LoanUse) -> PyLoanUse {
        PyLoanUse {
            date: u.date,
            quantity: u.quantity,
            rate: u.rate,
            amount: u.amount,
        }
    }
}

record_class! {
    PyLoanUse { date, quantity, rate, amount }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "LoanUse",
            date = self.date,
            quantity = self.quantity,
            rate = self.rate,
            amount = self.amount
        )
    }
}

/// A vehicle loan from the vehicle's owner to a borrower.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Loan",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyLoan {
    /// Human code.
    code: String,
    /// Vehicle asset code.
    vehicle: String,
    /// Lender tenant code (the vehicle's owner).
    lender: String,
    /// Borrower tenant code.
    borrower: String,
    /// First day.
    start: NaiveDate,
    /// Last day, `None` when open-ended.
    end: Option<NaiveDate>,
    /// "hour", "day" or "km".
    unit: crate::protocol::Label,
    /// Uses recorded, in recording order.
    uses: Vec<PyLoanUse>,
}

impl PyLoan {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, l: &Loan) -> PyLoan {
        PyLoan {
            code: l.code.clone(),
            vehicle: m.asset_code(l.vehicle).to_owned(),
            lender: tenant(m, l.lender),
            borrower: tenant(m, l.borrower),
            start: l.period.from,
            end: l.period.to,
            unit: l.unit.as_str().into(),
            uses: l.uses.iter().map(Into::into).collect(),
        }
    }
}

record_class! {
    PyLoan { code, vehicle, lender, borrower, start, end, unit, uses }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Loan",
            code = &self.code,
            vehicle = &self.vehicle,
            lender = &self.lender,
            borrower = &self.borrower,
            start = self.start,
            end = self.end,
            unit = &self.unit,
            uses = self.uses.clone()
        )
    }
}

/// One payer's part of a régie line done for it by another tenant.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "DebtLine",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyDebtLine {
    /// Cost line id.
    line: usize,
    /// Work order code.
    work_order: String,
    /// Day of the cost.
    date: NaiveDate,
    /// Nature (snake_case).
    nature: crate::protocol::Label,
    /// Providing tenant code (creditor).
    provider: String,
    /// Paying tenant code (debtor).
    payer: String,
    /// The payer's part of the line, as costed (TTC).
    part: Decimal,
    /// Units reimbursed.
    units: Decimal,
    /// Amount owed under the settlement rule (before any agreement VAT).
    amount: Decimal,
    /// "agreement", "pooled_service" or "no_agreement".
    settled_by: crate::protocol::Label,
    /// Code of the agreement or pooled service; `None` for "no_agreement".
    settled_under: Option<String>,
}

impl PyDebtLine {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, d: &DebtLine) -> PyDebtLine {
        let (settled_by, settled_under) = settled_parts(&d.settled_by);
        PyDebtLine {
            line: d.line.index(),
            work_order: d.work_order.clone(),
            date: d.date,
            nature: d.nature.as_str().into(),
            provider: tenant(m, d.provider),
            payer: tenant(m, d.payer),
            part: d.part,
            units: d.units,
            amount: d.amount,
            settled_by: settled_by.into(),
            settled_under,
        }
    }
}

record_class! {
    PyDebtLine { line, work_order, date, nature, provider, payer, part, units, amount, settled_by, settled_under }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "DebtLine",
            line = self.line,
            work_order = &self.work_order,
            date = self.date,
            nature = &self.nature,
            provider = &self.provider,
            payer = &self.payer,
            part = self.part,
            units = self.units,
            amount = self.amount,
            settled_by = &self.settled_by,
            settled_under = &self.settled_under
        )
    }
}

/// The annual statement of a service agreement.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Statement",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyStatement {
    /// Agreement code.
    agreement: String,
    /// Year covered.
    year: i32,
    /// Creditor tenant code (provider).
    creditor: String,
    /// Debtor tenant code (beneficiary).
    debtor: String,
    /// "actual_cost" or "unit_cost".
    mode: crate::protocol::Label,
    /// The detail, in line order.
    lines: Vec<PyDebtLine>,
    /// Sum of the lines' amounts.
    total_ht: Decimal,
    /// VAT rate in percent, if the agreement applies one.
    vat_rate: Option<Decimal>,
    /// VAT on the total.
    vat: Decimal,
    /// Amount due.
    total: Decimal,
    /// Creditor's account.
    creditor_account: Option<String>,
    /// Debtor's account.
    debtor_account: Option<String>,
    /// Legal basis.
    legal_basis: Option<String>,
}

impl PyStatement {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, s: &Statement) -> PyStatement {
        PyStatement {
            agreement: s.agreement.clone(),
            year: s.year,
            creditor: tenant(m, s.creditor),
            debtor: tenant(m, s.debtor),
            mode: s.mode.as_str().into(),
            lines: s.lines.iter().map(|l| PyDebtLine::new(m, l)).collect(),
            total_ht: s.total_ht,
            vat_rate: s.vat_rate.map(|r| r.percent()),
            vat: s.vat,
            total: s.total,
            creditor_account: s.creditor_account.clone(),
            debtor_account: s.debtor_account.clone(),
            legal_basis: s.legal_basis.clone(),
        }
    }
}

record_class! {
    PyStatement { agreement, year, creditor, debtor, mode, lines, total_ht, vat_rate, vat, total, creditor_account, debtor_account, legal_basis }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Statement",
            agreement = &self.agreement,
            year = self.year,
            creditor = &self.creditor,
            debtor = &self.debtor,
            mode = &self.mode,
            lines = self.lines.clone(),
            total_ht = self.total_ht,
            vat_rate = self.vat_rate,
            vat = self.vat,
            total = self.total,
            creditor_account = &self.creditor_account,
            debtor_account = &self.debtor_account,
            legal_basis = &self.legal_basis
        )
    }
}

/// One member's row of a pooled-service statement.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "PooledShare",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPooledShare {
    /// Member tenant code.
    tenant: String,
    /// Its weight in the key.
    weight: u64,
    /// Its share of the year's cost.
    share: Decimal,
    /// Advances it paid for the year.
    advances: Decimal,
    /// share - advances: positive, it owes the provider; negative, it is refunded.
    balance: Decimal,
}

impl PyPooledShare {
    fn new(m: &Registry, s: &PooledShare) -> PyPooledShare {
        PyPooledShare {
            tenant: tenant(m, s.tenant),
            weight: s.weight,
            share: s.share,
            advances: s.advances,
            balance: s.balance,
        }
    }
}

record_class! {
    PyPooledShare { tenant, weight, share, advances, balance }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "PooledShare",
            tenant = &self.tenant,
            weight = self.weight,
            share = self.share,
            advances = self.advances,
            balance = self.balance
        )
    }
}

/// The annual statement of a pooled service, with its true-up.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "PooledStatement",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPooledStatement {
    /// Pooled service code.
    pooled: String,
    /// Year.
    year: i32,
    /// Provider tenant code.
    provider: String,
    /// Cost of the pooled services' régie lines in the year.
    total_cost: Decimal,
    /// Members' rows, sorted by tenant code.
    shares: Vec<PyPooledShare>,
}

impl PyPooledStatement {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, s: &PooledStatement) -> PyPooledStatement {
        PyPooledStatement {
            pooled: s.pooled.clone(),
            year: s.year,
            provider: tenant(m, s.provider),
            total_cost: s.total_cost,
            shares: s.shares.iter().map(|x| PyPooledShare::new(m, x)).collect(),
        }
    }
}

record_class! {
    PyPooledStatement { pooled, year, provider, total_cost, shares }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "PooledStatement",
            pooled = &self.pooled,
            year = self.year,
            provider = &self.provider,
            total_cost = self.total_cost,
            shares = self.shares.clone()
        )
    }
}

/// The annual statement of a vehicle loan.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "LoanStatement",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyLoanStatement {
    /// Loan code.
    loan: String,
    /// Year.
    year: i32,
    /// Lender tenant code (creditor).
    lender: String,
    /// Borrower tenant code (debtor).
    borrower: String,
    /// Uses in the year.
    uses: Vec<PyLoanUse>,
    /// Amount due.
    total: Decimal,
}

impl PyLoanStatement {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, s: &LoanStatement) -> PyLoanStatement {
        PyLoanStatement {
            loan: s.loan.clone(),
            year: s.year,
            lender: tenant(m, s.lender),
            borrower: tenant(m, s.borrower),
            uses: s.uses.iter().map(Into::into).collect(),
            total: s.total,
        }
    }
}

record_class! {
    PyLoanStatement { loan, year, lender, borrower, uses, total }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "LoanStatement",
            loan = &self.loan,
            year = self.year,
            lender = &self.lender,
            borrower = &self.borrower,
            uses = self.uses.clone(),
            total = self.total
        )
    }
}

/// One cell of the settlement matrix: `debtor` owes `creditor` `amount`.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Debt",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyDebt {
    /// Who is owed.
    creditor: String,
    /// Who owes.
    debtor: String,
    /// How much, over all agreements, pooled services and loans of the year.
    amount: Decimal,
}

impl PyDebt {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, d: &Debt) -> PyDebt {
        PyDebt {
            creditor: tenant(m, d.creditor),
            debtor: tenant(m, d.debtor),
            amount: d.amount,
        }
    }
}

record_class! {
    PyDebt { creditor, debtor, amount }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Debt",
            creditor = &self.creditor,
            debtor = &self.debtor,
            amount = self.amount
        )
    }
}

/// One amount of a settlement report: `debtor` owes `creditor` `amount`
/// under `source` (an agreement's statement, a pooled service's balance or
/// a vehicle loan).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "SettlementItem",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PySettlementItem {
    /// "agreement", "pooled_service" or "loan".
    kind: crate::protocol::Label,
    /// Its code.
    source: String,
    /// Who is owed.
    creditor: String,
    /// Who owes.
    debtor: String,
    /// Amount due (VAT included where the agreement applies one).
    amount: Decimal,
    /// An agreement's statement lines (empty otherwise).
    lines: Vec<PyDebtLine>,
}

record_class! {
    PySettlementItem { kind, source, creditor, debtor, amount, lines }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "SettlementItem",
            kind = &self.kind,
            source = &self.source,
            creditor = &self.creditor,
            debtor = &self.debtor,
            amount = self.amount
        )
    }
}

/// The settlement of two tenants for a year: the items add up to their
/// matrix cells (`reconciles`); `unsettled` lists the régie work without an
/// agreement.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "SettlementReport",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PySettlementReport {
    /// Year covered.
    year: i32,
    /// The first tenant asked.
    first: String,
    /// The second tenant asked.
    second: String,
    /// Agreements, then pooled services, then loans.
    items: Vec<PySettlementItem>,
    /// Their cells of the settlement matrix.
    matrix: Vec<PyDebt>,
    /// Régie parts one did for the other without an agreement.
    unsettled: Vec<PyDebtLine>,
    /// True when the items add up to the matrix cells in both directions.
    reconciles: bool,
}

impl PySettlementReport {
    /// The Python snapshot of a core report.
    pub(crate) fn new(m: &Registry, r: &mutualis::reconcile::PairSettlement) -> PySettlementReport {
        use mutualis::reconcile::SettlementSource;
        PySettlementReport {
            year: r.year,
            first: tenant(m, r.first),
            second: tenant(m, r.second),
            items: r
                .items
                .iter()
                .map(|i| {
                    let (kind, source) = match &i.source {
                        SettlementSource::Agreement(c) => ("agreement", c.clone()),
                        SettlementSource::PooledService(c) => ("pooled_service", c.clone()),
                        SettlementSource::Loan(c) => ("loan", c.clone()),
                    };
                    PySettlementItem {
                        kind: kind.into(),
                        source,
                        creditor: tenant(m, i.creditor),
                        debtor: tenant(m, i.debtor),
                        amount: i.amount,
                        lines: i.lines.iter().map(|l| PyDebtLine::new(m, l)).collect(),
                    }
                })
                .collect(),
            matrix: r.matrix.iter().map(|d| PyDebt::new(m, d)).collect(),
            unsettled: r.unsettled.iter().map(|l| PyDebtLine::new(m, l)).collect(),
            reconciles: r.reconciles(),
        }
    }
}

record_class! {
    PySettlementReport { year, first, second, items, matrix, unsettled, reconciles }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "SettlementReport",
            year = self.year,
            first = &self.first,
            second = &self.second,
            items = self.items.clone(),
            reconciles = self.reconciles
        )
    }
}

/// A budget line as voted and amended, with its commitments.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "BudgetLine",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyBudgetLine {
    /// Line code.
    code: String,
    /// Service code (of the budget's tenant), if any.
    service: Option<String>,
    /// Account (nature M57).
    account: String,
    /// Voted credits.
    voted: Decimal,
    /// Amendments as (amount, label), in order.
    amendments: Vec<(Decimal, String)>,
    /// Commitments as (code, amount, work order code or None), in order.
    commitments: Vec<(String, Decimal, Option<String>)>,
    /// "expense" (dépenses) or "revenue" (recettes).
    direction: crate::protocol::Label,
}

/// A tenant's budget for a fiscal year.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Budget",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyBudget {
    /// Tenant code.
    tenant: String,
    /// Fiscal year.
    year: i32,
    /// "ttc" or "ht".
    basis: crate::protocol::Label,
    /// "refuse" or "warn".
    policy: crate::protocol::Label,
    /// Lines, in creation order.
    lines: Vec<PyBudgetLine>,
}

impl PyBudget {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, b: &Budget) -> PyBudget {
        PyBudget {
            tenant: tenant(m, b.tenant),
            year: b.year,
            basis: b.basis.as_str().into(),
            policy: b.policy.as_str().into(),
            lines: b
                .lines
                .iter()
                .map(|l| PyBudgetLine {
                    code: l.code.clone(),
                    service: l.service.and_then(|s| service_pair(m, s)).map(|(_, c)| c),
                    account: l.account.clone(),
                    voted: l.voted,
                    amendments: l.amendments.clone(),
                    commitments: l
                        .commitments
                        .iter()
                        .map(|c| {
                            (
                                c.code.clone(),
                                c.amount,
                                c.work_order.map(|w| crate::records::work_order_code(m, w)),
                            )
                        })
                        .collect(),
                    direction: l.direction.as_str().into(),
                })
                .collect(),
        }
    }
}

record_class! {
    PyBudgetLine { code, service, account, voted, amendments, commitments, direction }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "BudgetLine",
            code = &self.code,
            service = &self.service,
            account = &self.account,
            voted = self.voted,
            amendments = self.amendments.clone(),
            commitments = self.commitments.clone(),
            direction = &self.direction
        )
    }
}

record_class! {
    PyBudget { tenant, year, basis, policy, lines }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Budget",
            tenant = &self.tenant,
            year = self.year,
            basis = &self.basis,
            policy = &self.policy,
            lines = self.lines.clone()
        )
    }
}

/// Consumption of one budget line (code "" for spending that matches no line).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "BudgetLineStatus",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyBudgetLineStatus {
    /// Line code ("" for the unmatched-spending row).
    code: String,
    /// Service code, if any.
    service: Option<String>,
    /// Account.
    account: String,
    /// Voted credits.
    voted: Decimal,
    /// Sum of amendments.
    amendments: Decimal,
    /// voted + amendments.
    credits: Decimal,
    /// Sum of commitments.
    committed: Decimal,
    /// Spending from cost lines, on the budget's basis.
    spent: Decimal,
    /// credits - committed - spending not covered by a commitment (a
    /// revenue line: credits - collected).
    remaining: Decimal,
    /// "expense" or "revenue" (`spent` is then what was collected).
    direction: crate::protocol::Label,
}

impl PyBudgetLineStatus {
    /// The Python snapshot of a core record.
    pub(crate) fn new(m: &Registry, s: &BudgetLineStatus) -> PyBudgetLineStatus {
        PyBudgetLineStatus {
            code: s.code.clone(),
            service: s.service.and_then(|x| service_pair(m, x)).map(|(_, c)| c),
            account: s.account.clone(),
            voted: s.voted,
            amendments: s.amendments,
            credits: s.credits,
            committed: s.committed,
            spent: s.spent,
            remaining: s.remaining,
            direction: s.direction.as_str().into(),
        }
    }
}

record_class! {
    PyBudgetLineStatus { code, service, account, voted, amendments, credits, committed, spent, remaining, direction }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "BudgetLineStatus",
            code = &self.code,
            service = &self.service,
            account = &self.account,
            voted = self.voted,
            amendments = self.amendments,
            credits = self.credits,
            committed = self.committed,
            spent = self.spent,
            remaining = self.remaining,
            direction = &self.direction
        )
    }
}

/// A warning left by a cost recorded beyond a budget line (warn policy).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "BudgetWarning",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyBudgetWarning {
    /// Tenant code.
    tenant: String,
    /// Year.
    year: i32,
    /// Budget line code.
    line: String,
    /// Work order code.
    work_order: String,
    /// Amount charged by the cost line.
    amount: Decimal,
    /// Remaining credit before it.
    remaining: Decimal,
}

impl From<&BudgetWarning> for PyBudgetWarning {
    fn from(w: &BudgetWarning) -> PyBudgetWarning {
        PyBudgetWarning {
            tenant: w.tenant.clone(),
            year: w.year,
            line: w.line.clone(),
            work_order: w.work_order.clone(),
            amount: w.amount,
            remaining: w.remaining,
        }
    }
}

record_class! {
    PyBudgetWarning { tenant, year, line, work_order, amount, remaining }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "BudgetWarning",
            tenant = &self.tenant,
            year = self.year,
            line = &self.line,
            work_order = &self.work_order,
            amount = self.amount,
            remaining = self.remaining
        )
    }
}

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

/// Debt lines as columns: line, work_order, date, nature, provider, payer,
/// part, units, amount, settled_by, settled_under.
pub fn debt_lines(m: &Registry, lines: &[DebtLine]) -> PyResult<crate::table::PyTable> {
    let n = lines.len();
    let mut line = Vec::with_capacity(n);
    let mut work_order = Vec::with_capacity(n);
    let mut date = Vec::with_capacity(n);
    let mut nature = Vec::with_capacity(n);
    let mut provider = Vec::with_capacity(n);
    let mut payer = Vec::with_capacity(n);
    let mut part = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    let mut amount = Vec::with_capacity(n);
    let mut settled_by = Vec::with_capacity(n);
    let mut settled_under = Vec::with_capacity(n);
    for d in lines {
        let (by, under) = settled_parts(&d.settled_by);
        line.push(u32::try_from(d.line.index()).unwrap_or(u32::MAX)); // u32, as the ledger's line column
        work_order.push(d.work_order.as_str());
        date.push(d.date);
        nature.push(d.nature.as_str());
        provider.push(d.provider);
        payer.push(d.payer);
        part.push(d.part);
        units.push(d.units);
        amount.push(d.amount);
        settled_by.push(by);
        settled_under.push(under);
    }
    let mut out = crate::table::Columns::new();
    out.set_item("line", line)?;
    out.set_item("work_order", work_order)?;
    out.set_item("date", date)?;
    out.set_item("nature", nature)?;
    out.push("provider", crate::table::tenant_codes(m, &provider));
    out.push("payer", crate::table::tenant_codes(m, &payer));
    out.set_item("part", part)?;
    out.set_item("units", units)?;
    out.set_item("amount", amount)?;
    out.set_item("settled_by", settled_by)?;
    out.set_item("settled_under", settled_under)?;
    out.finish()
}

/// The settlement matrix as columns: creditor, debtor, amount.
pub fn matrix(m: &Registry, rows: &[Debt]) -> PyResult<crate::table::PyTable> {
    let creditors: Vec<TenantId> = rows.iter().map(|d| d.creditor).collect();
    let debtors: Vec<TenantId> = rows.iter().map(|d| d.debtor).collect();
    let amounts: Vec<Decimal> = rows.iter().map(|d| d.amount).collect();
    let mut out = crate::table::Columns::new();
    out.push("creditor", crate::table::tenant_codes(m, &creditors));
    out.push("debtor", crate::table::tenant_codes(m, &debtors));
    out.set_item("amount", amounts)?;
    out.finish()
}

/// A pooled statement's shares as columns: tenant, weight, share, advances, balance.
pub fn pooled_shares(m: &Registry, s: &PooledStatement) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "tenant",
        s.shares
            .iter()
            .map(|x| m.tenant_code(x.tenant))
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "weight",
        s.shares.iter().map(|x| x.weight).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "share",
        s.shares.iter().map(|x| x.share).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "advances",
        s.shares.iter().map(|x| x.advances).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "balance",
        s.shares.iter().map(|x| x.balance).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// Loan uses as columns: date, quantity, rate, amount.
pub fn loan_uses(uses: &[LoanUse]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item("date", uses.iter().map(|u| u.date).collect::<Vec<_>>())?;
    out.set_item(
        "quantity",
        uses.iter().map(|u| u.quantity).collect::<Vec<_>>(),
    )?;
    out.set_item("rate", uses.iter().map(|u| u.rate).collect::<Vec<_>>())?;
    out.set_item("amount", uses.iter().map(|u| u.amount).collect::<Vec<_>>())?;
    out.finish()
}

/// Budget status as columns: code, service, account, voted, amendments,
/// credits, committed, spent, remaining, direction.
pub fn budget_status(m: &Registry, rows: &[BudgetLineStatus]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "code",
        rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "service",
        rows.iter()
            .map(|r| r.service.and_then(|s| service_pair(m, s)).map(|(_, c)| c))
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "account",
        rows.iter().map(|r| r.account.as_str()).collect::<Vec<_>>(),
    )?;
    for (name, get) in [
        ("voted", (|r| r.voted) as fn(&BudgetLineStatus) -> Decimal),
        ("amendments", |r| r.amendments),
        ("credits", |r| r.credits),
        ("committed", |r| r.committed),
        ("spent", |r| r.spent),
        ("remaining", |r| r.remaining),
    ] {
        out.set_item(name, rows.iter().map(get).collect::<Vec<_>>())?;
    }
    out.set_item(
        "direction",
        rows.iter()
            .map(|r| r.direction.as_str())
            .collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// Budget warnings as columns: tenant, year, line, work_order, amount, remaining.
pub fn budget_warnings(rows: &[BudgetWarning]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "tenant",
        rows.iter().map(|r| r.tenant.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item("year", rows.iter().map(|r| r.year).collect::<Vec<_>>())?;
    out.set_item(
        "line",
        rows.iter().map(|r| r.line.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "work_order",
        rows.iter()
            .map(|r| r.work_order.as_str())
            .collect::<Vec<_>>(),
    )?;
    out.set_item("amount", rows.iter().map(|r| r.amount).collect::<Vec<_>>())?;
    out.set_item(
        "remaining",
        rows.iter().map(|r| r.remaining).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// `ledger_group` rows as columns: one per dimension (named after it; codes,
/// `None` where the core's key is empty, `year` as int), then ht, ttc, rows,
/// work_orders.
pub fn ledger_groups(
    dims: &[mutualis::Dimension],
    rows: &[GroupRow],
) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    for (i, dim) in dims.iter().enumerate() {
        fn key(r: &GroupRow, i: usize) -> &str {
            r.keys.get(i).map_or("", String::as_str)
        }
        if *dim == mutualis::Dimension::Year {
            let years: Vec<Option<i32>> = rows.iter().map(|r| key(r, i).parse().ok()).collect();
            out.set_item(dim.as_str(), years)?;
        } else {
            let codes: Vec<Option<&str>> = rows
                .iter()
                .map(|r| Some(key(r, i)).filter(|k| !k.is_empty()))
                .collect();
            out.set_item(dim.as_str(), codes)?;
        }
    }
    out.set_item("ht", rows.iter().map(|r| r.ht).collect::<Vec<_>>())?;
    out.set_item("ttc", rows.iter().map(|r| r.ttc).collect::<Vec<_>>())?;
    out.set_item("rows", rows.iter().map(|r| r.rows).collect::<Vec<_>>())?;
    out.set_item(
        "work_orders",
        rows.iter().map(|r| r.work_orders).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// The cost ledger as columns: line, payer, performer, supplier, service
/// ("TENANT/SERVICE"), nature, asset, work_order, date, ht, ttc. Codes are
/// dictionary columns whose keys are the core's dense ids (no hashing, no
/// string per row); amounts `decimal128(18, 2)` from the cents.
pub fn ledger(m: &Registry, l: &mutualis::LedgerColumns) -> PyResult<crate::table::PyTable> {
    use crate::table::id_codes;
    use std::sync::Arc;
    let tenants: Vec<&str> = m.tenants().iter().map(|t| t.code.as_str()).collect();
    let suppliers: Vec<&str> = m.suppliers().iter().map(|s| s.code.as_str()).collect();
    let services: Vec<String> = m
        .services()
        .iter()
        .map(|s| format!("{}/{}", m.tenant_code(s.tenant), s.code))
        .collect();
    let assets: Vec<&str> = m.assets().iter().map(|a| a.code.as_str()).collect();
    let orders: Vec<&str> = m.work_orders().codes().collect();
    let natures: Vec<&str> = CostNature::ALL.iter().map(|n| n.as_str()).collect();
    let nature: Vec<u32> = l.nature.iter().map(|&n| u32::from(n)).collect();
    let mut out = crate::table::Columns::new();
    // an energy invoice's row has no cost line
    out.push(
        "line",
        Arc::new(arrow_array::UInt32Array::from_iter(
            l.line.iter().map(|&i| (i != NONE).then_some(i)),
        )),
    );
    out.push("payer", id_codes(&tenants, &l.payer, Some(NONE)));
    out.push("performer", id_codes(&tenants, &l.performer, Some(NONE)));
    out.push("supplier", id_codes(&suppliers, &l.supplier, Some(NONE)));
    out.push("service", id_codes(&services, &l.service, Some(NONE)));
    out.push("nature", id_codes(&natures, &nature, None));
    out.push("asset", id_codes(&assets, &l.asset, Some(NONE)));
    out.push("work_order", id_codes(&orders, &l.work_order, Some(NONE)));
    out.push(
        "date",
        Arc::new(arrow_array::Date32Array::from_iter_values(
            l.day.iter().map(|&d| crate::table::date32_of_ce(d)),
        )),
    );
    out.push("ht", crate::table::cents(&l.ht));
    out.push("ttc", crate::table::cents(&l.ttc));
    out.finish()
}

/// The FCTVA a tenant can expect for its spending of a year (dated rate;
/// eligible maintenance paid to suppliers and AP payments).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "FctvaEstimate",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyFctvaEstimate {
    /// Tenant code.
    tenant: String,
    /// Year of the spending.
    year: i32,
    /// Rate applied (percent).
    rate: Decimal,
    /// Eligible maintenance paid to suppliers, TTC (the tenant's parts).
    maintenance_base: Decimal,
    /// Supplier lines the tenant paid that are not eligible, TTC.
    not_eligible: Decimal,
    /// The year's payments on the tenant's APs, TTC.
    investment_base: Decimal,
    /// maintenance_base x rate, to the cent.
    maintenance: Decimal,
    /// investment_base x rate, to the cent.
    investment: Decimal,
    /// maintenance + investment.
    total: Decimal,
}

impl PyFctvaEstimate {
    /// The Python snapshot of a core estimate.
    pub(crate) fn new(m: &Registry, e: &mutualis::fctva::FctvaEstimate) -> PyFctvaEstimate {
        PyFctvaEstimate {
            tenant: tenant(m, e.tenant),
            year: e.year,
            rate: e.rate,
            maintenance_base: e.maintenance_base,
            not_eligible: e.not_eligible,
            investment_base: e.investment_base,
            maintenance: e.maintenance,
            investment: e.investment,
            total: e.total,
        }
    }
}

record_class! {
    PyFctvaEstimate { tenant, year, rate, maintenance_base, not_eligible, investment_base, maintenance, investment, total }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "FctvaEstimate",
            tenant = &self.tenant,
            year = self.year,
            rate = self.rate,
            maintenance = self.maintenance,
            investment = self.investment,
            total = self.total
        )
    }
}
