//! Settlements between collectivités (DOMAIN §4 step 3): for each régie cost
//! line whose payer T is not the providing tenant P, T owes P under the
//! agreement covering (P, T, service, date, asset); lines of a pooled service
//! are settled by its annual key statement; anything else is flagged
//! "no agreement" — still costed, never lost.
//!
//! Annual statements (états récapitulatifs) never cover more than one year:
//! [`Mutualis::statement`] per agreement, [`Mutualis::pooled_statement`] per
//! pooled service (true-up against advances), [`Mutualis::loan_statement`] per
//! vehicle loan, and [`Mutualis::settlement_matrix`] for who owes whom.
//!
//! The providing tenant of a line is the team's tenant (labour), the store's
//! (material) or the vehicle's owner (vehicle); its service is the team's
//! service, or for material and vehicle lines the service of the work order's
//! team. External supplier lines create no debt between tenants.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::agreements::{AgreementMode, LoanUse};
use crate::custody::PayerRef;
use crate::error::{Error, Result};
use crate::ids::{AssetId, CostLineId, ServiceId, TenantId};
use crate::ledger::NONE;
use crate::lines::day_of;
use crate::money::{from_cents, round_cents, split_cents_into, to_cents, VatRate};
use crate::work::{CostLine, CostNature, PerformerId, Provider};
use crate::Mutualis;

/// How one payer's part of a régie line is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettledBy {
    /// Under this service agreement (code).
    Agreement(String),
    /// Through this pooled service's annual key statement (code).
    PooledService(String),
    /// No agreement covers it: costed, flagged, not settled.
    NoAgreement,
}

/// One payer's part of a régie line done for it by another tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtLine {
    /// The cost line.
    pub line: CostLineId,
    /// Its work order code.
    pub work_order: String,
    /// Day of the cost.
    pub date: NaiveDate,
    /// Nature.
    pub nature: CostNature,
    /// The providing tenant (creditor).
    pub provider: TenantId,
    /// The paying tenant (debtor).
    pub payer: TenantId,
    /// The payer's part of the line, as costed.
    pub part: Decimal,
    /// Units reimbursed (hours in unit-cost mode; the line quantity share otherwise).
    pub units: Decimal,
    /// Amount owed under the settlement rule (before any agreement VAT).
    pub amount: Decimal,
    /// How it is settled.
    pub settled_by: SettledBy,
}

/// An annual statement of one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Agreement code.
    pub agreement: String,
    /// Year covered.
    pub year: i32,
    /// Creditor (provider).
    pub creditor: TenantId,
    /// Debtor (beneficiary).
    pub debtor: TenantId,
    /// Mode.
    pub mode: AgreementMode,
    /// The detail, in line order.
    pub lines: Vec<DebtLine>,
    /// Sum of the lines' amounts.
    pub total_ht: Decimal,
    /// VAT rate, if the agreement applies one.
    pub vat_rate: Option<VatRate>,
    /// VAT on the total.
    pub vat: Decimal,
    /// Amount due.
    pub total: Decimal,
    /// Creditor's account.
    pub creditor_account: Option<String>,
    /// Debtor's account.
    pub debtor_account: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
}

/// One member's row of a pooled-service statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PooledShare {
    /// Member.
    pub tenant: TenantId,
    /// Its weight in the key.
    pub weight: u64,
    /// Its share of the year's cost.
    pub share: Decimal,
    /// Advances it paid for the year.
    pub advances: Decimal,
    /// share − advances: positive, it owes the provider; negative, the provider refunds it.
    pub balance: Decimal,
}

/// The annual statement of a pooled service, with its true-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PooledStatement {
    /// Pooled service code.
    pub pooled: String,
    /// Year.
    pub year: i32,
    /// The provider.
    pub provider: TenantId,
    /// Cost of the pooled services' régie lines in the year.
    pub total_cost: Decimal,
    /// Members' shares, sorted by tenant code.
    pub shares: Vec<PooledShare>,
}

/// The annual statement of a vehicle loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanStatement {
    /// Loan code.
    pub loan: String,
    /// Year.
    pub year: i32,
    /// Lender (creditor).
    pub lender: TenantId,
    /// Borrower (debtor).
    pub borrower: TenantId,
    /// Uses in the year.
    pub uses: Vec<LoanUse>,
    /// Amount due.
    pub total: Decimal,
}

/// One cell of the settlement matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debt {
    /// Who is owed.
    pub creditor: TenantId,
    /// Who owes.
    pub debtor: TenantId,
    /// How much, over all agreements, pooled services and loans of the year.
    pub amount: Decimal,
}

impl Mutualis {
    /// The providing tenant and service of régie line `i` (none for external lines).
    fn line_provider(&self, i: usize) -> Option<(TenantId, Option<ServiceId>)> {
        let l = &self.cost_lines;
        let wo_team_service = match self.work_orders.performer(l.work_orders()[i] as usize) {
            PerformerId::Team(t) => self.teams()[t.index()].service,
            PerformerId::Supplier(_) => None,
        };
        match l.provider(i) {
            Provider::Team { tenant, team } => Some((tenant, self.teams()[team.index()].service)),
            Provider::Store { tenant, .. } | Provider::Vehicle { tenant, .. } => {
                Some((tenant, wo_team_service))
            }
            Provider::Supplier(_) => None,
        }
    }

    /// The weight of `payer` and the total weight of the key deciding who
    /// pays line `i` ((1, 1) for a single payer).
    fn line_weight(&self, i: usize, payer: TenantId) -> (u64, u128) {
        let l = &self.cost_lines;
        match self.payer_ref(AssetId(self.line_asset(i)), l.date(i)) {
            PayerRef::Single(_) => (1, 1),
            PayerRef::Key { asset, key } => {
                let shares = self.key_shares(asset, key);
                let total = shares.iter().map(|s| u128::from(s.weight)).sum();
                let w = shares
                    .iter()
                    .find(|s| s.tenant == payer)
                    .map_or(0, |s| s.weight);
                (w, total)
            }
        }
    }

    /// Every payer part of régie lines of `year` done for a tenant other than
    /// the provider, with how each is settled, in line order. Reads the
    /// ledger's allocation (one pass over the year's lines).
    pub fn debt_lines(&self, year: i32) -> Result<Vec<DebtLine>> {
        crate::period::check_year("year", year)?;
        let mut out = Vec::new();
        let l = &self.cost_lines;
        let (first, last) = year_days(year);
        for i in 0..l.len() {
            let day = l.days()[i];
            if day < first || day > last || l.provider_tenant(i) == NONE {
                continue;
            }
            let Some((provider, service)) = self.line_provider(i) else {
                continue;
            };
            let date = l.date(i);
            let asset = AssetId(self.line_asset(i));
            let nature = l.nature_of(i);
            let quantity = l.quantity(i);
            for p in self.line_parts(i) {
                if p.payer == provider {
                    continue;
                }
                let part = from_cents(p.ttc);
                let (weight, total_w) = self.line_weight(i, p.payer);
                let units = Decimal::try_from_i128_with_scale(total_w as i128, 0)
                    .ok()
                    .and_then(|t| quantity.checked_mul(Decimal::from(weight))?.checked_div(t))
                    .map(round_units)
                    .ok_or(Error::AmountOutOfRange(quantity))?;
                let (settled_by, units, amount) = if let Some(a) =
                    self.covering_agreement(provider, p.payer, service, asset, date)
                {
                    let a = &self.agreements()[a];
                    match a.mode {
                        AgreementMode::ActualCost => {
                            (SettledBy::Agreement(a.code.clone()), units, part)
                        }
                        AgreementMode::UnitCost if nature == CostNature::Labour => {
                            let rate = a.unit_cost.unwrap_or_default();
                            let amount = units
                                .checked_mul(rate)
                                .map(round_cents)
                                .ok_or(Error::AmountOutOfRange(units))?;
                            (SettledBy::Agreement(a.code.clone()), units, amount)
                        }
                        // materials and vehicles are part of the unit cost
                        AgreementMode::UnitCost => (
                            SettledBy::Agreement(a.code.clone()),
                            Decimal::ZERO,
                            Decimal::new(0, 2),
                        ),
                    }
                } else if let Some(k) = self.covering_pool(provider, p.payer, service, date) {
                    (
                        SettledBy::PooledService(self.pooled_services()[k].code.clone()),
                        units,
                        part,
                    )
                } else {
                    (SettledBy::NoAgreement, units, part)
                };
                out.push(DebtLine {
                    line: CostLineId(i as u32),
                    work_order: self
                        .work_orders
                        .code(l.work_orders()[i] as usize)
                        .to_owned(),
                    date,
                    nature,
                    provider,
                    payer: p.payer,
                    part,
                    units,
                    amount,
                    settled_by,
                });
            }
        }
        Ok(out)
    }

    /// The régie parts of `year` that no agreement covers ("no agreement").
    pub fn unsettled(&self, year: i32) -> Result<Vec<DebtLine>> {
        crate::period::check_year("year", year)?;
        Ok(self
            .debt_lines(year)?
            .into_iter()
            .filter(|d| d.settled_by == SettledBy::NoAgreement)
            .collect())
    }

    /// The annual statement of an agreement.
    ///
    /// Errors: [`Error::UnknownAgreement`], plus those of [`Mutualis::payers`].
    pub fn statement(&self, agreement: &str, year: i32) -> Result<Statement> {
        crate::period::check_year("year", year)?;
        let a = self
            .agreements()
            .iter()
            .find(|a| a.code == agreement)
            .ok_or_else(|| Error::UnknownAgreement(agreement.to_owned()))?;
        Ok(Self::statement_of(a, year, &self.debt_lines(year)?))
    }

    /// The annual statements of every agreement `tenant` is party to (as
    /// provider or beneficiary), in the order the agreements were recorded;
    /// the year's debt lines are computed once for all of them.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::YearOutOfRange`], plus
    /// those of [`Mutualis::payers`].
    pub fn statements_for(&self, tenant: &str, year: i32) -> Result<Vec<Statement>> {
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        let mine: Vec<&crate::agreements::Agreement> = self
            .agreements()
            .iter()
            .filter(|a| a.provider == t || a.beneficiary == t)
            .collect();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let debts = self.debt_lines(year)?;
        Ok(mine
            .into_iter()
            .map(|a| Self::statement_of(a, year, &debts))
            .collect())
    }

    /// The statement of `a` from the year's debt lines (computed once by the
    /// caller, so the matrix does not recompute them per agreement).
    pub(crate) fn statement_of(
        a: &crate::agreements::Agreement,
        year: i32,
        debts: &[DebtLine],
    ) -> Statement {
        let settled_by = SettledBy::Agreement(a.code.clone());
        let lines: Vec<DebtLine> = debts
            .iter()
            .filter(|d| d.settled_by == settled_by)
            .cloned()
            .collect();
        let total_ht: Decimal =
            lines.iter().map(|l| l.amount).sum::<Decimal>() + Decimal::new(0, 2);
        let vat = a
            .vat_rate
            .map_or(Decimal::new(0, 2), |r| round_cents(total_ht * r.fraction()));
        Statement {
            agreement: a.code.clone(),
            year,
            creditor: a.provider,
            debtor: a.beneficiary,
            mode: a.mode,
            lines,
            total_ht,
            vat_rate: a.vat_rate,
            vat,
            total: total_ht + vat,
            creditor_account: a.provider_account.clone(),
            debtor_account: a.beneficiary_account.clone(),
            legal_basis: a.legal_basis.clone(),
        }
    }

    /// The annual statement of a pooled service: the year's cost of its
    /// régie lines split by the key (largest remainder), less advances.
    pub fn pooled_statement(&self, pooled: &str, year: i32) -> Result<PooledStatement> {
        crate::period::check_year("year", year)?;
        let p = self
            .pooled_services()
            .iter()
            .find(|p| p.code == pooled)
            .ok_or_else(|| Error::UnknownAgreement(pooled.to_owned()))?;
        let mut total_cents = 0i64;
        let l = &self.cost_lines;
        let (first, last) = year_days(year);
        for i in 0..l.len() {
            let day = l.days()[i];
            if day < first || day > last || l.provider_tenant(i) == NONE {
                continue;
            }
            if !p.period.contains(l.date(i)) {
                continue;
            }
            if let Some((provider, Some(service))) = self.line_provider(i) {
                if provider == p.provider && p.services.contains(&service) {
                    total_cents += l.ttc_cents(i);
                }
            }
        }
        let total_cost = from_cents(total_cents);
        let mut key = p.key.clone();
        key.sort_by(|x, y| self.tenant_code(x.0).cmp(self.tenant_code(y.0)));
        let weights: Vec<u64> = key.iter().map(|(_, w)| *w).collect();
        let mut parts = vec![0i64; key.len()];
        split_cents_into(to_cents(total_cost)?, &weights, &mut parts)?;
        let shares = key
            .iter()
            .zip(parts)
            .map(|((t, w), part)| {
                let share = from_cents(part);
                let advances = p
                    .advances
                    .get(&(year, *t))
                    .copied()
                    .unwrap_or(Decimal::new(0, 2));
                PooledShare {
                    tenant: *t,
                    weight: *w,
                    share,
                    advances,
                    balance: share - advances,
                }
            })
            .collect();
        Ok(PooledStatement {
            pooled: p.code.clone(),
            year,
            provider: p.provider,
            total_cost,
            shares,
        })
    }

    /// The annual statement of a vehicle loan.
    pub fn loan_statement(&self, loan: &str, year: i32) -> Result<LoanStatement> {
        crate::period::check_year("year", year)?;
        let l = self
            .loans()
            .iter()
            .find(|l| l.code == loan)
            .ok_or_else(|| Error::UnknownAgreement(loan.to_owned()))?;
        let uses: Vec<LoanUse> = l
            .uses
            .iter()
            .copied()
            .filter(|u| u.date.year() == year)
            .collect();
        let total = uses.iter().map(|u| u.amount).sum::<Decimal>() + Decimal::new(0, 2);
        Ok(LoanStatement {
            loan: l.code.clone(),
            year,
            lender: l.lender,
            borrower: l.borrower,
            uses,
            total,
        })
    }

    /// Who owes whom for `year`, over every agreement, pooled service and
    /// loan: one row per (creditor, debtor), sorted by their codes. Pooled
    /// balances that are negative become debts of the provider to the member.
    pub fn settlement_matrix(&self, year: i32) -> Result<Vec<Debt>> {
        crate::period::check_year("year", year)?;
        let debts = if self.agreements().is_empty() {
            Vec::new()
        } else {
            self.debt_lines(year)?
        };
        self.settlement_matrix_with(year, &debts)
    }

    /// [`Mutualis::settlement_matrix`] from the year's debt lines, computed
    /// once by the caller.
    pub(crate) fn settlement_matrix_with(
        &self,
        year: i32,
        debts: &[DebtLine],
    ) -> Result<Vec<Debt>> {
        let mut acc: BTreeMap<(String, String), Debt> = BTreeMap::new();
        let mut add = |creditor: TenantId, debtor: TenantId, amount: Decimal| {
            if amount.is_zero() || creditor == debtor {
                return;
            }
            let (creditor, debtor, amount) = if amount.is_sign_negative() {
                (debtor, creditor, -amount)
            } else {
                (creditor, debtor, amount)
            };
            acc.entry((
                self.tenant_code(creditor).to_owned(),
                self.tenant_code(debtor).to_owned(),
            ))
            .or_insert(Debt {
                creditor,
                debtor,
                amount: Decimal::new(0, 2),
            })
            .amount += amount;
        };
        for a in self.agreements() {
            let s = Self::statement_of(a, year, debts);
            add(s.creditor, s.debtor, s.total);
        }
        for p in self.pooled_services() {
            let s = self.pooled_statement(&p.code, year)?;
            for sh in s.shares {
                add(s.provider, sh.tenant, sh.balance);
            }
        }
        for l in self.loans() {
            let s = self.loan_statement(&l.code, year)?;
            add(s.lender, s.borrower, s.total);
        }
        Ok(acc.into_values().collect())
    }
}

/// The end-to-end trace of a request (DOMAIN §8): its journal entries (request,
/// work orders, cost lines, in order), each cost line with what each tenant is
/// charged, and how each part done for another tenant is settled.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTrace {
    /// Journal entries about the request and its work orders, in order.
    pub events: Vec<crate::journal::JournalEntry>,
    /// The work orders answering it, with their lines.
    pub work_orders: Vec<TracedWorkOrder>,
}

/// A work order in a [`RequestTrace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedWorkOrder {
    /// Work order code.
    pub code: String,
    /// Its lines with their allocation and settlement.
    pub lines: Vec<TracedLine>,
}

/// A cost line in a [`RequestTrace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedLine {
    /// The line.
    pub line: CostLine,
    /// What each tenant is charged for it.
    pub charges: Vec<crate::costing::Charge>,
    /// How each part done for another tenant is settled.
    pub settlement: Vec<DebtLine>,
}

impl Mutualis {
    /// The trace request → work orders → cost lines → allocation → settlement.
    pub fn request_trace(&self, request: &str) -> Result<RequestTrace> {
        let r = self.request_id(request)?;
        let events = self
            .request_history(request)?
            .into_iter()
            .cloned()
            .collect();
        let mut debts_by_year: BTreeMap<i32, Vec<DebtLine>> = BTreeMap::new();
        let mut work_orders = Vec::new();
        for w in
            (0..self.work_orders.len()).filter(|&w| self.work_orders.requests(w).contains(&r.0))
        {
            let mut lines = Vec::new();
            for id in self.work_orders.lines(w) {
                let Some(line) = self.cost_lines.get(id) else {
                    continue;
                };
                let year = line.date.year();
                let debts = match debts_by_year.entry(year) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(self.debt_lines(year)?)
                    }
                };
                let settlement = debts.iter().filter(|d| d.line == id).cloned().collect();
                lines.push(TracedLine {
                    charges: self.line_charges(&line)?,
                    line,
                    settlement,
                });
            }
            work_orders.push(TracedWorkOrder {
                code: self.work_orders.code(w).to_owned(),
                lines,
            });
        }
        Ok(RequestTrace {
            events,
            work_orders,
        })
    }
}

/// The first and last day numbers of `year` (an empty range for a year
/// outside the calendar).
fn year_days(year: i32) -> (i32, i32) {
    match (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) => (day_of(a), day_of(b)),
        _ => (1, 0),
    }
}

fn round_units(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}
