//! Multi-year investment plans (PPI) with autorisations de programme and
//! crédits de paiement (AP/CP), DOMAIN §6.
//!
//! - An **operation** is an investment project of a tenant on assets, with a
//!   type of work, a priority, an estimated cost, a payment profile (share of
//!   the cost per year of works), dependencies, and the work orders that pay it
//!   (plan vs actual reads the cost lines of those orders).
//! - An **AP** is voted for one operation or a programme of operations, with a
//!   CP schedule by year summing to the AP. Payments (mandats) consume a
//!   year's CP. Closing a year freezes what was paid; its unspent CP move to
//!   the next year when the tenant's règlement budgétaire et financier (RBF)
//!   allows carry-over, and are cancelled otherwise (the AP is reduced by
//!   them). A revision sets a new AP and a new schedule of the open years.
//!   An AP with no payment within the RBF's lapse period (caducité) lapses.
//! - **Invariant**, checked after every change: Σ CP paid in closed years +
//!   Σ CP scheduled for open years = current AP.
//! - **Scheduling** ([`schedule`]) places candidate operations over years
//!   under a yearly CP cap per tenant, greedy by priority (ties: earliest
//!   year, then code), after their dependencies end, revaluing future costs by
//!   a cost index; what does not fit is listed with the reason.
//!
//! Legal references move (ordonnance 2025-526): they are data on the tenant's
//! rules, never constants here.
//!
//! ```
//! use mutualis::{Mutualis, NewTenant};
//! use mutualis::planning::{NewAp, RbfRules};
//! use rust_decimal::Decimal;
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.set_rbf_rules("ROANNE", RbfRules { carry_over: true, lapse_after_years: None, reference: None }).unwrap();
//! let k = |n: i64| Decimal::new(n * 1000, 0);
//! m.vote_ap(NewAp { code: "AP-GYM".into(), tenant: "ROANNE".into(), title: "Rénovation".into(), year: 2025,
//!     amount: k(1200), schedule: vec![(2025, k(200)), (2026, k(600)), (2027, k(400))], operations: vec![] }).unwrap();
//! assert_eq!(m.ap("AP-GYM").unwrap().scheduled(2026), k(600));
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{AssetId, TenantId, WorkOrderId};
use crate::kinds::named_enum;
use crate::money::{from_cents, round_cents, split_cents_into, to_cents};
use crate::Mutualis;

pub mod events;
pub use events::PlanningEvent;

named_enum! {
    /// How [`Mutualis::respread_ap`] spreads the difference between the new
    /// and the current AP over the open years from the revision's year.
    pub enum Respread as "re-spread rule" {
        /// All of it on the last open year (DOMAIN §6's worked example: the
        /// +100 000.00 go to 2027); a decrease takes from the last year
        /// first, then the years before, never below what a year has paid.
        LastYear = "last_year",
        /// In proportion to each open year's CP still to pay (largest
        /// remainder, to the cent); years with nothing left to pay take
        /// nothing unless all are so, then equal shares.
        Proportional = "proportional",
    }
}

/// A tenant's budgetary rules (règlement budgétaire et financier).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RbfRules {
    /// Unspent CP of a closed year move to the next year (else they are cancelled).
    pub carry_over: bool,
    /// An AP with no payment within this many years after its vote lapses.
    pub lapse_after_years: Option<u32>,
    /// The reference of the rule (deliberation, article), as data.
    pub reference: Option<String>,
}

/// What is needed to create an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOperation {
    /// Human code, unique.
    pub code: String,
    /// The tenant carrying it.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Type of work ("toiture", "accessibilite", "renovation-energetique"…).
    pub work_type: String,
    /// Assets concerned (buildings…).
    #[serde(default)]
    pub assets: Vec<String>,
    /// Priority, 1 = highest.
    pub priority: u32,
    /// Estimated cost (TTC, in euros of `earliest_year`).
    pub estimated_cost: Decimal,
    /// Earliest year works can start.
    pub earliest_year: i32,
    /// Share of the cost per year of works (non-negative integers, e.g. [30, 70]).
    pub profile: Vec<u64>,
    /// Operations that must end before this one starts.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// An operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Code.
    pub code: String,
    /// Tenant.
    pub tenant: TenantId,
    /// Title.
    pub title: String,
    /// Type of work.
    pub work_type: String,
    /// Assets.
    pub assets: Vec<AssetId>,
    /// Priority (1 = highest).
    pub priority: u32,
    /// Estimated cost.
    pub estimated_cost: Decimal,
    /// Earliest year.
    pub earliest_year: i32,
    /// Payment profile.
    pub profile: Vec<u64>,
    /// Dependencies (codes).
    pub depends_on: Vec<String>,
    /// Work orders paying it.
    pub work_orders: Vec<WorkOrderId>,
}

/// What is needed to vote an AP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAp {
    /// Human code, unique.
    pub code: String,
    /// Tenant.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Year of the vote.
    pub year: i32,
    /// Amount of the AP.
    pub amount: Decimal,
    /// CP per year; must sum to `amount`.
    pub schedule: Vec<(i32, Decimal)>,
    /// Operations of the programme.
    #[serde(default)]
    pub operations: Vec<String>,
}

/// A change of an AP's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApRevision {
    /// Year of the revision.
    pub year: i32,
    /// Amount before.
    pub from: Decimal,
    /// Amount after.
    pub to: Decimal,
    /// Why ("révision", "CP annulés 2025", "caducité").
    pub reason: String,
}

/// An autorisation de programme with its CP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ap {
    /// Code.
    pub code: String,
    /// Tenant.
    pub tenant: TenantId,
    /// Title.
    pub title: String,
    /// Year voted.
    pub voted_year: i32,
    /// Amount first voted.
    pub voted: Decimal,
    /// Current amount.
    pub amount: Decimal,
    /// CP scheduled for open years.
    pub schedule: BTreeMap<i32, Decimal>,
    /// Payments per year (closed and open years).
    pub paid: BTreeMap<i32, Decimal>,
    /// Last closed year, if any.
    pub closed_through: Option<i32>,
    /// Lapsed (caduque).
    pub lapsed: bool,
    /// Revisions, oldest first.
    pub revisions: Vec<ApRevision>,
    /// Operations of the programme.
    pub operations: Vec<String>,
}

impl Ap {
    /// CP scheduled for `year` (zero if none or closed).
    #[must_use]
    pub fn scheduled(&self, year: i32) -> Decimal {
        self.schedule
            .get(&year)
            .copied()
            .unwrap_or(Decimal::new(0, 2))
    }

    /// Amount paid in `year`.
    #[must_use]
    pub fn paid_in(&self, year: i32) -> Decimal {
        self.paid.get(&year).copied().unwrap_or(Decimal::new(0, 2))
    }

    /// True if `year` is closed.
    #[must_use]
    pub fn is_closed(&self, year: i32) -> bool {
        self.closed_through.is_some_and(|c| year <= c)
    }

    /// Σ paid in closed years.
    #[must_use]
    pub fn paid_closed(&self) -> Decimal {
        self.paid
            .iter()
            .filter(|(y, _)| self.is_closed(**y))
            .map(|(_, a)| *a)
            .sum()
    }

    /// Σ paid in all years.
    #[must_use]
    pub fn paid_total(&self) -> Decimal {
        self.paid.values().copied().sum()
    }

    /// What remains to pay: AP − all payments.
    #[must_use]
    pub fn remaining(&self) -> Decimal {
        self.amount - self.paid_total()
    }

    /// Σ paid closed + Σ scheduled open = AP.
    #[must_use]
    pub fn invariant_holds(&self) -> bool {
        self.paid_closed() + self.schedule.values().copied().sum::<Decimal>() == self.amount
    }
}

fn check_amount(what: &'static str, a: Decimal) -> Result<()> {
    to_cents(a)?;
    if a.is_sign_negative() && !a.is_zero() {
        return Err(Error::InvalidQuantity { what, value: a });
    }
    Ok(())
}

/// The planning domain's state: each tenant's RBF rules, the PPI's
/// operations and the APs with their CP schedules.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Planning {
    rbf: HashMap<TenantId, RbfRules>,
    operations: Vec<Operation>,
    aps: Vec<Ap>,
}

impl Planning {
    /// The RBF rules set, by tenant.
    pub(crate) fn rbf(&self) -> &HashMap<TenantId, RbfRules> {
        &self.rbf
    }

    /// Puts the AP at `idx` in the state it was recorded in (dataset
    /// loading; the caller checks its invariant).
    pub(crate) fn restore_ap(&mut self, idx: usize, ap: Ap) {
        if let Some(a) = self.aps.get_mut(idx) {
            *a = ap;
        }
    }
}

impl Mutualis {
    /// Sets a tenant's budgetary rules (carry-over, lapse).
    pub fn set_rbf_rules(&mut self, tenant: &str, rules: RbfRules) -> Result<()> {
        self.save_planning();
        let t = self.tenant_id(tenant)?;
        check_lapse(rules.lapse_after_years)?;
        self.planning.rbf.insert(t, rules.clone());
        self.log(
            Some(tenant.to_owned()),
            PlanningEvent::RbfRulesSet {
                tenant: tenant.to_owned(),
                rules: rules.into(),
            },
        );
        Ok(())
    }

    /// A tenant's budgetary rules (defaults: no carry-over, no lapse).
    pub fn rbf_rules(&self, tenant: &str) -> Result<RbfRules> {
        Ok(self
            .planning
            .rbf
            .get(&self.tenant_id(tenant)?)
            .cloned()
            .unwrap_or_default())
    }

    /// Adds an investment operation.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::InvalidField`] (blank title or
    /// type, empty profile, priority 0), [`Error::UnknownTenant`],
    /// [`Error::UnknownAsset`], [`Error::UnknownOperation`] (dependency),
    /// [`Error::WeightsSumToZero`], [`Error::DuplicateOperation`].
    pub fn add_operation(&mut self, spec: NewOperation) -> Result<()> {
        self.save_planning();
        check_code("operation", &spec.code)?;
        check_name("operation title", &spec.title)?;
        check_name("type of work", &spec.work_type)?;
        let tenant = self.tenant_id(&spec.tenant)?;
        let assets = spec
            .assets
            .iter()
            .map(|a| self.asset_id(a))
            .collect::<Result<Vec<_>>>()?;
        check_amount("estimated cost", spec.estimated_cost)?;
        crate::period::check_year("earliest_year", spec.earliest_year)?;
        check_profile(&spec.profile)?;
        if spec.priority == 0 {
            return Err(Error::InvalidField {
                field: "priority",
                reason: "1 is the highest priority; 0 is not allowed".into(),
            });
        }
        for dep in &spec.depends_on {
            if !self.planning.operations.iter().any(|o| &o.code == dep) {
                return Err(Error::UnknownOperation(dep.clone()));
            }
        }
        if self.planning.operations.iter().any(|o| o.code == spec.code) {
            return Err(Error::DuplicateOperation(spec.code));
        }
        self.planning.operations.push(Operation {
            code: spec.code.clone(),
            tenant,
            title: spec.title.clone(),
            work_type: spec.work_type.clone(),
            assets,
            priority: spec.priority,
            estimated_cost: spec.estimated_cost,
            earliest_year: spec.earliest_year,
            profile: spec.profile.clone(),
            depends_on: spec.depends_on.clone(),
            work_orders: Vec::new(),
        });
        self.log(
            Some(spec.tenant.clone()),
            PlanningEvent::OperationAdded {
                operation: spec.into(),
            },
        );
        Ok(())
    }

    /// Links a work order to an operation (its cost lines become the operation's actuals).
    pub fn link_work_order(&mut self, operation: &str, work_order: &str) -> Result<()> {
        self.save_planning();
        let o = self.operation_index(operation)?;
        let w = self.work_order_id(work_order)?;
        if !self.planning.operations[o].work_orders.contains(&w) {
            self.planning.operations[o].work_orders.push(w);
        }
        let tenant = Some(
            self.tenant_code(self.planning.operations[o].tenant)
                .to_owned(),
        );
        self.log(
            tenant,
            PlanningEvent::OperationLinked {
                operation: operation.to_owned(),
                work_order: work_order.to_owned(),
            },
        );
        Ok(())
    }

    fn operation_index(&self, code: &str) -> Result<usize> {
        self.planning
            .operations
            .iter()
            .position(|o| o.code == code)
            .ok_or_else(|| Error::UnknownOperation(code.to_owned()))
    }

    /// The operations, in creation order.
    #[must_use]
    pub fn operations(&self) -> &[Operation] {
        &self.planning.operations
    }

    fn ap_index(&self, code: &str) -> Result<usize> {
        self.planning
            .aps
            .iter()
            .position(|a| a.code == code)
            .ok_or_else(|| Error::UnknownOperation(code.to_owned()))
    }

    /// The AP with this code.
    pub fn ap(&self, code: &str) -> Result<&Ap> {
        Ok(&self.planning.aps[self.ap_index(code)?])
    }

    /// All APs, in vote order.
    #[must_use]
    pub fn aps(&self) -> &[Ap] {
        &self.planning.aps
    }

    /// Votes an AP with its CP schedule.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::UnknownTenant`], [`Error::UnknownOperation`],
    /// [`Error::SubCentAmount`], [`Error::InvalidQuantity`], [`Error::CpMismatch`]
    /// (schedule not summing to the AP, a year twice, a year before the vote),
    /// [`Error::DuplicateOperation`].
    pub fn vote_ap(&mut self, spec: NewAp) -> Result<()> {
        self.save_planning();
        check_code("AP", &spec.code)?;
        check_name("AP title", &spec.title)?;
        let tenant = self.tenant_id(&spec.tenant)?;
        for o in &spec.operations {
            self.operation_index(o)?;
        }
        check_amount("AP", spec.amount)?;
        crate::period::check_year("year", spec.year)?;
        let schedule = self.checked_schedule(&spec.code, &spec.schedule, spec.year, spec.amount)?;
        if self.planning.aps.iter().any(|a| a.code == spec.code) {
            return Err(Error::DuplicateOperation(spec.code));
        }
        self.planning.aps.push(Ap {
            code: spec.code.clone(),
            tenant,
            title: spec.title.clone(),
            voted_year: spec.year,
            voted: spec.amount,
            amount: spec.amount,
            schedule,
            paid: BTreeMap::new(),
            closed_through: None,
            lapsed: false,
            revisions: Vec::new(),
            operations: spec.operations.clone(),
        });
        self.log(
            Some(spec.tenant.clone()),
            PlanningEvent::ApVoted { ap: spec.into() },
        );
        Ok(())
    }

    fn checked_schedule(
        &self,
        code: &str,
        schedule: &[(i32, Decimal)],
        first_year: i32,
        target: Decimal,
    ) -> Result<BTreeMap<i32, Decimal>> {
        let mut map = BTreeMap::new();
        for &(year, cp) in schedule {
            crate::period::check_year("schedule year", year)?;
            check_amount("CP", cp)?;
            if year < first_year {
                return Err(Error::CpMismatch {
                    ap: code.to_owned(),
                    reason: format!("CP {year} is before {first_year}, the first open year"),
                });
            }
            if map.insert(year, cp).is_some() {
                return Err(Error::CpMismatch {
                    ap: code.to_owned(),
                    reason: format!("year {year} appears twice"),
                });
            }
        }
        let sum = map
            .values()
            .try_fold(Decimal::ZERO, |acc, cp| acc.checked_add(*cp))
            .ok_or(Error::AmountOutOfRange(target))?;
        if sum != target {
            return Err(Error::CpMismatch {
                ap: code.to_owned(),
                reason: format!("the CP sum to {sum}, not {target}"),
            });
        }
        Ok(map)
    }

    /// Records a payment (mandat) on an AP in an open year, within that year's CP.
    ///
    /// Errors: [`Error::UnknownOperation`], [`Error::YearClosed`], [`Error::InvalidQuantity`],
    /// [`Error::CpMismatch`] (beyond the year's CP), [`Error::SubCentAmount`].
    pub fn pay_ap(&mut self, ap: &str, date: NaiveDate, amount: Decimal) -> Result<()> {
        self.save_planning();
        let i = self.ap_index(ap)?;
        let year = crate::period::check_date("date", date)?.year();
        let a = &self.planning.aps[i];
        if a.is_closed(year) {
            return Err(Error::YearClosed {
                ap: ap.to_owned(),
                year,
            });
        }
        if a.lapsed {
            return Err(Error::CpMismatch {
                ap: ap.to_owned(),
                reason: "the AP has lapsed".into(),
            });
        }
        to_cents(amount)?;
        if amount <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "payment",
                value: amount,
            });
        }
        let available = a.scheduled(year) - a.paid_in(year);
        if amount > available {
            return Err(Error::CpMismatch {
                ap: ap.to_owned(),
                reason: format!("{amount} exceeds the {available} of CP left in {year}"),
            });
        }
        *self.planning.aps[i]
            .paid
            .entry(year)
            .or_insert(Decimal::ZERO) += amount;
        let tenant = Some(self.tenant_code(self.planning.aps[i].tenant).to_owned());
        self.log(
            tenant,
            PlanningEvent::ApPaid {
                ap: ap.to_owned(),
                date,
                amount,
            },
        );
        Ok(())
    }

    /// Closes `year` for every AP of `tenant` not closed yet: what was paid is
    /// frozen; unspent CP move to the next year (carry-over) or are cancelled,
    /// reducing the AP. Years must be closed in order.
    pub fn close_year(&mut self, tenant: &str, year: i32) -> Result<()> {
        self.save_planning();
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        let rules = self.planning.rbf.get(&t).cloned().unwrap_or_default();
        // every AP voted by then closes its years in order, from its vote
        for a in self
            .planning
            .aps
            .iter()
            .filter(|a| a.tenant == t && a.voted_year <= year)
        {
            if a.closed_through.is_some_and(|c| year <= c) {
                return Err(Error::YearClosed {
                    ap: a.code.clone(),
                    year,
                });
            }
            let next = a.closed_through.map_or(a.voted_year, |c| c + 1);
            if year != next {
                return Err(Error::YearNotNext {
                    ap: a.code.clone(),
                    year,
                    next,
                });
            }
        }
        for a in self
            .planning
            .aps
            .iter_mut()
            .filter(|a| a.tenant == t && a.voted_year <= year)
        {
            let scheduled = a.schedule.remove(&year).unwrap_or(Decimal::ZERO);
            // schedule entries before this year (never closed) are folded in too
            let earlier: Vec<i32> = a.schedule.range(..year).map(|(y, _)| *y).collect();
            let mut unspent = scheduled;
            for y in earlier {
                unspent += a.schedule.remove(&y).unwrap_or(Decimal::ZERO);
            }
            unspent -= a.paid.get(&year).copied().unwrap_or(Decimal::ZERO);
            a.closed_through = Some(year);
            if unspent > Decimal::ZERO {
                if rules.carry_over && !a.lapsed {
                    *a.schedule.entry(year + 1).or_insert(Decimal::ZERO) += unspent;
                } else {
                    let to = a.amount - unspent;
                    a.revisions.push(ApRevision {
                        year,
                        from: a.amount,
                        to,
                        reason: format!("CP {year} annulés"),
                    });
                    a.amount = to;
                }
            }
            if let Some(n) = rules.lapse_after_years {
                let paid_any = a.paid.values().any(|p| !p.is_zero());
                if !paid_any
                    && !a.lapsed
                    && i64::from(year) >= i64::from(a.voted_year) + i64::from(n) - 1
                {
                    let rest: Decimal = a.schedule.values().copied().sum();
                    a.schedule.clear();
                    a.lapsed = true;
                    let to = a.amount - rest;
                    a.revisions.push(ApRevision {
                        year,
                        from: a.amount,
                        to,
                        reason: format!("caducité ({n} ans sans paiement)"),
                    });
                    a.amount = to;
                }
            }
        }
        self.log(
            Some(tenant.to_owned()),
            PlanningEvent::YearClosed {
                tenant: tenant.to_owned(),
                year,
            },
        );
        Ok(())
    }

    /// Revises an AP to `amount` with a new schedule of the open years.
    ///
    /// Errors: [`Error::RevisionBelowPaid`], [`Error::CpMismatch`] (schedule not
    /// summing to the AP minus what closed years paid, or touching a closed year).
    pub fn revise_ap(
        &mut self,
        ap: &str,
        year: i32,
        amount: Decimal,
        schedule: &[(i32, Decimal)],
    ) -> Result<()> {
        self.save_planning();
        crate::period::check_year("year", year)?;
        let i = self.ap_index(ap)?;
        check_amount("AP", amount)?;
        let a = &self.planning.aps[i];
        let paid = a.paid_total();
        if amount < paid {
            return Err(Error::RevisionBelowPaid {
                ap: ap.to_owned(),
                amount,
                paid,
            });
        }
        let first_open = a.closed_through.map_or(a.voted_year, |c| c + 1);
        let open_schedule =
            self.checked_schedule(ap, schedule, first_open, amount - a.paid_closed())?;
        for (y, cp) in &open_schedule {
            if *cp < a.paid_in(*y) {
                return Err(Error::CpMismatch {
                    ap: ap.to_owned(),
                    reason: format!("CP {y} below the {} already paid", a.paid_in(*y)),
                });
            }
        }
        let a = &mut self.planning.aps[i];
        a.revisions.push(ApRevision {
            year,
            from: a.amount,
            to: amount,
            reason: "révision".into(),
        });
        a.amount = amount;
        a.schedule = open_schedule;
        let tenant = Some(self.tenant_code(self.planning.aps[i].tenant).to_owned());
        self.log(
            tenant,
            PlanningEvent::ApRevised {
                ap: ap.to_owned(),
                year,
                amount,
                schedule: schedule.to_vec(),
            },
        );
        Ok(())
    }

    /// The schedule of open years a revision of `ap` to `amount` in `year`
    /// gets under `rule` (DOMAIN §6: "a revision changes the AP and
    /// re-spreads the remaining CP"), without changing anything: the years
    /// open from `year` on share the difference; CP of earlier open years
    /// stay.
    ///
    /// Errors: [`Error::UnknownOperation`], [`Error::YearOutOfRange`],
    /// [`Error::YearClosed`] (`year` is closed), [`Error::RevisionBelowPaid`],
    /// [`Error::CpMismatch`] (a decrease larger than what the open years
    /// still have to pay), [`Error::SubCentAmount`].
    pub fn respread(
        &self,
        ap: &str,
        year: i32,
        amount: Decimal,
        rule: Respread,
    ) -> Result<Vec<(i32, Decimal)>> {
        crate::period::check_year("year", year)?;
        let a = &self.planning.aps[self.ap_index(ap)?];
        check_amount("AP", amount)?;
        if a.is_closed(year) {
            return Err(Error::YearClosed {
                ap: ap.to_owned(),
                year,
            });
        }
        let paid = a.paid_total();
        if amount < paid {
            return Err(Error::RevisionBelowPaid {
                ap: ap.to_owned(),
                amount,
                paid,
            });
        }
        let mut schedule: BTreeMap<i32, i64> = a
            .schedule
            .iter()
            .map(|(y, cp)| Ok((*y, to_cents(*cp)?)))
            .collect::<Result<_>>()?;
        let years: Vec<i32> = schedule.range(year..).map(|(y, _)| *y).collect();
        let years = if years.is_empty() { vec![year] } else { years };
        let floor = |y: i32| to_cents(a.paid_in(y));
        let diff = to_cents(amount)? - to_cents(a.amount)?;
        match rule {
            Respread::LastYear => {
                let mut rest = diff;
                for (k, y) in years.iter().rev().enumerate() {
                    let cp = schedule.entry(*y).or_insert(0);
                    if rest >= 0 {
                        *cp += rest;
                        rest = 0;
                        break;
                    }
                    // a decrease: take what this year still has to pay
                    let room = *cp - floor(*y)?;
                    let take = room.min(-rest).max(0);
                    *cp -= take;
                    rest += take;
                    if rest == 0 || k + 1 == years.len() {
                        break;
                    }
                }
                if rest != 0 {
                    return Err(cannot_take(ap, -rest));
                }
            }
            Respread::Proportional => {
                let left: Vec<i64> = years
                    .iter()
                    .map(|y| Ok(schedule.get(y).copied().unwrap_or(0) - floor(*y)?))
                    .collect::<Result<_>>()?;
                let room: i64 = left.iter().map(|l| (*l).max(0)).sum();
                if diff < 0 && -diff > room {
                    return Err(cannot_take(ap, -diff - room));
                }
                let weights: Vec<u64> = if room > 0 {
                    left.iter().map(|l| (*l).max(0) as u64).collect()
                } else {
                    vec![1; years.len()]
                };
                let mut parts = vec![0i64; years.len()];
                split_cents_into(diff, &weights, &mut parts)?;
                for (y, part) in years.iter().zip(parts) {
                    *schedule.entry(*y).or_insert(0) += part;
                }
            }
        }
        Ok(schedule
            .into_iter()
            .map(|(y, cents)| (y, from_cents(cents)))
            .collect())
    }

    /// Revises `ap` to `amount` in `year`, re-spreading the difference by
    /// `rule` ([`Mutualis::respread`]); the journal records the resulting
    /// schedule, as [`Mutualis::revise_ap`] does.
    ///
    /// Errors: those of [`Mutualis::respread`] and [`Mutualis::revise_ap`].
    pub fn respread_ap(
        &mut self,
        ap: &str,
        year: i32,
        amount: Decimal,
        rule: Respread,
    ) -> Result<()> {
        let schedule = self.respread(ap, year, amount, rule)?;
        self.revise_ap(ap, year, amount, &schedule)
    }

    /// The "situation des AP/CP" of a tenant for `year`, one row per AP.
    pub fn ap_situation(&self, tenant: &str, year: i32) -> Result<Vec<ApSituation>> {
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        Ok(self
            .planning
            .aps
            .iter()
            .filter(|a| a.tenant == t)
            .map(|a| {
                let paid_before: Decimal =
                    a.paid.range(..year).map(|(_, p)| *p).sum::<Decimal>() + Decimal::new(0, 2);
                ApSituation {
                    ap: a.code.clone(),
                    title: a.title.clone(),
                    voted: a.voted,
                    revisions: a.amount - a.voted,
                    amount: a.amount,
                    paid_before,
                    cp_year: a.scheduled(year),
                    paid_year: a.paid_in(year),
                    later: a
                        .schedule
                        .range(year + 1..)
                        .map(|(_, c)| *c)
                        .sum::<Decimal>()
                        + Decimal::new(0, 2),
                    lapsed: a.lapsed,
                }
            })
            .collect())
    }

    /// The PPI of a tenant by AP and year: voted, scheduled (open years),
    /// paid, with the AP's buildings (assets of its operations) and types of
    /// work; rows sorted by AP then year.
    pub fn ppi_rows(&self, tenant: &str) -> Result<Vec<PpiRow>> {
        let t = self.tenant_id(tenant)?;
        let mut out = Vec::new();
        for a in self.planning.aps.iter().filter(|a| a.tenant == t) {
            let ops: Vec<&Operation> = a
                .operations
                .iter()
                .filter_map(|c| self.planning.operations.iter().find(|o| &o.code == c))
                .collect();
            let mut assets: Vec<String> = ops
                .iter()
                .flat_map(|o| o.assets.iter().map(|x| self.asset_code(*x).to_owned()))
                .collect();
            let mut seen = std::collections::HashSet::new();
            assets.retain(|a| seen.insert(a.clone()));
            let mut work_types: Vec<String> = ops.iter().map(|o| o.work_type.clone()).collect();
            work_types.sort();
            work_types.dedup();
            let mut years: Vec<i32> = a.schedule.keys().chain(a.paid.keys()).copied().collect();
            years.sort_unstable();
            years.dedup();
            for year in years {
                out.push(PpiRow {
                    ap: a.code.clone(),
                    title: a.title.clone(),
                    assets: assets.clone(),
                    work_types: work_types.clone(),
                    year,
                    amount: a.amount,
                    scheduled: if a.is_closed(year) {
                        a.paid_in(year)
                    } else {
                        a.scheduled(year)
                    },
                    paid: a.paid_in(year),
                    closed: a.is_closed(year),
                });
            }
        }
        Ok(out)
    }

    /// The PPI of a tenant grouped by building: each AP's rows go under the
    /// first asset of its operations; buildings by code, then the APs
    /// without an asset; rows keep their [`Mutualis::ppi_rows`] order.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn plan_by_building(&self, tenant: &str) -> Result<Vec<BuildingPlan>> {
        let mut plans: BTreeMap<Option<String>, Vec<PpiRow>> = BTreeMap::new();
        for row in self.ppi_rows(tenant)? {
            plans
                .entry(row.assets.first().cloned())
                .or_default()
                .push(row);
        }
        // `None` sorts first in a BTreeMap: the rows without an asset go last
        let none = plans.remove(&None);
        let mut out: Vec<BuildingPlan> = plans
            .into_iter()
            .map(|(asset, rows)| BuildingPlan { asset, rows })
            .collect();
        if let Some(rows) = none {
            out.push(BuildingPlan { asset: None, rows });
        }
        Ok(out)
    }

    /// The operations of a tenant as candidates for [`schedule`].
    pub fn plan_candidates(&self, tenant: &str) -> Result<Vec<Candidate>> {
        let t = self.tenant_id(tenant)?;
        Ok(self
            .planning
            .operations
            .iter()
            .filter(|o| o.tenant == t)
            .map(|o| Candidate {
                code: o.code.clone(),
                tenant: tenant.to_owned(),
                priority: o.priority,
                cost: o.estimated_cost,
                earliest_year: o.earliest_year,
                profile: o.profile.clone(),
                depends_on: o.depends_on.clone(),
            })
            .collect())
    }

    /// Plan vs actual per operation and year: the operations' TTC cost lines
    /// (from their linked work orders) per year.
    pub fn operation_actuals(&self, operation: &str) -> Result<BTreeMap<i32, Decimal>> {
        let o = &self.planning.operations[self.operation_index(operation)?];
        let mut out = BTreeMap::new();
        let mut cents: BTreeMap<i32, i64> = BTreeMap::new();
        for w in &o.work_orders {
            for l in self.work_orders.lines(w.index()) {
                let i = l.index();
                *cents.entry(self.cost_lines.date(i).year()).or_insert(0) +=
                    self.cost_lines.ttc_cents(i);
            }
        }
        for (year, c) in cents {
            out.insert(year, crate::money::from_cents(c));
        }
        Ok(out)
    }
}

/// One row of the situation des AP/CP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApSituation {
    /// AP code.
    pub ap: String,
    /// Title.
    pub title: String,
    /// Amount first voted.
    pub voted: Decimal,
    /// Net revisions.
    pub revisions: Decimal,
    /// Current AP.
    pub amount: Decimal,
    /// Paid in earlier years.
    pub paid_before: Decimal,
    /// CP of the year.
    pub cp_year: Decimal,
    /// Paid in the year.
    pub paid_year: Decimal,
    /// CP scheduled after the year.
    pub later: Decimal,
    /// Lapsed.
    pub lapsed: bool,
}

/// One row of [`Mutualis::ppi_rows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PpiRow {
    /// AP code.
    pub ap: String,
    /// AP title.
    pub title: String,
    /// Buildings and other assets of its operations.
    pub assets: Vec<String>,
    /// Types of work of its operations.
    pub work_types: Vec<String>,
    /// Year.
    pub year: i32,
    /// Current AP.
    pub amount: Decimal,
    /// CP of the year (what was paid, once the year is closed).
    pub scheduled: Decimal,
    /// Paid in the year.
    pub paid: Decimal,
    /// True once the year is closed.
    pub closed: bool,
}

/// The PPI rows of one building (see [`Mutualis::plan_by_building`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingPlan {
    /// Asset code (the first asset of the AP's operations); `None` for the
    /// APs whose operations name no asset.
    pub asset: Option<String>,
    /// Its rows, by AP then year.
    pub rows: Vec<PpiRow>,
}

/// A candidate for [`schedule`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Operation code.
    pub code: String,
    /// Tenant code (whose cap applies).
    pub tenant: String,
    /// Priority, 1 = highest.
    pub priority: u32,
    /// Cost in euros of `earliest_year`.
    pub cost: Decimal,
    /// Earliest start year.
    pub earliest_year: i32,
    /// Share of cost per year of works.
    pub profile: Vec<u64>,
    /// Operations that must end before it starts.
    pub depends_on: Vec<String>,
}

/// An operation placed by [`schedule`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Operation code.
    pub code: String,
    /// Tenant code.
    pub tenant: String,
    /// First year of works.
    pub start: i32,
    /// CP per year (revalued), summing to the revalued cost.
    pub cp: Vec<(i32, Decimal)>,
}

/// The result of [`schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Placed operations, in placement order.
    pub placed: Vec<Placed>,
    /// Operations not placed, with the reason.
    pub not_placed: Vec<(String, String)>,
    /// CP per (tenant, year).
    pub totals: BTreeMap<(String, i32), Decimal>,
}

impl Plan {
    /// Year-by-year difference with another plan: (tenant, year, this, other).
    #[must_use]
    pub fn compare(&self, other: &Plan) -> Vec<(String, i32, Decimal, Decimal)> {
        let mut keys: Vec<&(String, i32)> = self.totals.keys().chain(other.totals.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                (
                    k.0.clone(),
                    k.1,
                    self.totals.get(k).copied().unwrap_or(Decimal::ZERO),
                    other.totals.get(k).copied().unwrap_or(Decimal::ZERO),
                )
            })
            .collect()
    }
}

/// Builds a plan over `first_year ..= last_year` under yearly CP `caps` per
/// (tenant, year) (a missing cap means no money that year).
///
/// Greedy by priority (1 first); ties by earliest year, then code. Each
/// operation starts at the first year ≥ its earliest year and after all its
/// dependencies' last year where every year of its profile fits under the
/// remaining cap. Costs are revalued by `index` (value per year, e.g. BT01):
/// cost × index[start] / index[earliest_year] when both are given. Each
/// year's CP is the revalued cost split by the profile (largest remainder).
///
/// Errors: [`Error::CyclicDependency`], [`Error::UnknownOperation`] (a
/// dependency not among the candidates), [`Error::WeightsSumToZero`].
pub fn schedule(
    candidates: &[Candidate],
    caps: &BTreeMap<(String, i32), Decimal>,
    first_year: i32,
    last_year: i32,
    index: &BTreeMap<i32, Decimal>,
) -> Result<Plan> {
    crate::period::check_year("first_year", first_year)?;
    crate::period::check_year("last_year", last_year)?;
    for (tenant_year, cap) in caps {
        crate::period::check_year("cap year", tenant_year.1)?;
        check_amount("cap", *cap)?;
    }
    for (&year, value) in index {
        crate::period::check_year("index year", year)?;
        if *value <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "cost index",
                value: *value,
            });
        }
    }
    // dependency checks: known and acyclic
    let pos = |code: &str| candidates.iter().position(|c| c.code == code);
    for c in candidates {
        for d in &c.depends_on {
            if pos(d).is_none() {
                return Err(Error::UnknownOperation(d.clone()));
            }
        }
        crate::period::check_year("earliest_year", c.earliest_year)?;
        check_profile(&c.profile)?;
        check_amount("estimated cost", c.cost)?;
    }
    let n = candidates.len();
    let mut state = vec![0u8; n]; // 0 new, 1 visiting, 2 done
    fn visit(
        i: usize,
        cs: &[Candidate],
        state: &mut [u8],
        pos: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<()> {
        match state[i] {
            1 => return Err(Error::CyclicDependency(cs[i].code.clone())),
            2 => return Ok(()),
            _ => {}
        }
        state[i] = 1;
        for d in &cs[i].depends_on {
            if let Some(j) = pos(d) {
                visit(j, cs, state, pos)?;
            }
        }
        state[i] = 2;
        Ok(())
    }
    for i in 0..n {
        visit(i, candidates, &mut state, &pos)?;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        (x.priority, x.earliest_year, &x.code).cmp(&(y.priority, y.earliest_year, &y.code))
    });
    let mut plan = Plan::default();
    let mut used: BTreeMap<(String, i32), Decimal> = BTreeMap::new();
    let mut end_year: BTreeMap<String, i32> = BTreeMap::new();
    let mut failed: Vec<String> = Vec::new();
    // a dependency placed later in priority order: iterate until stable
    let mut pending = order;
    loop {
        let mut progressed = false;
        let mut next = Vec::new();
        for i in pending {
            let c = &candidates[i];
            if let Some(d) = c.depends_on.iter().find(|d| failed.contains(d)) {
                plan.not_placed.push((
                    c.code.clone(),
                    format!("depends on {d}, which was not placed"),
                ));
                failed.push(c.code.clone());
                progressed = true;
                continue;
            }
            if c.depends_on.iter().any(|d| !end_year.contains_key(d)) {
                next.push(i);
                continue;
            }
            let after = c
                .depends_on
                .iter()
                .filter_map(|d| end_year.get(d))
                .max()
                .map_or(c.earliest_year, |e| (e + 1).max(c.earliest_year));
            let mut placed = None;
            let mut reason = format!(
                "no year from {} to {last_year} has room under the cap",
                after.max(first_year)
            );
            for start in after.max(first_year)..=last_year {
                let end = start + c.profile.len() as i32 - 1;
                if end > last_year {
                    reason = format!(
                        "its {} years of works do not fit before {last_year}",
                        c.profile.len()
                    );
                    break;
                }
                let cost = match (index.get(&start), index.get(&c.earliest_year)) {
                    (Some(now), Some(base)) => round_cents(
                        c.cost
                            .checked_mul(*now)
                            .and_then(|v| v.checked_div(*base))
                            .ok_or(Error::AmountOutOfRange(c.cost))?,
                    ),
                    _ => round_cents(c.cost),
                };
                let mut parts = vec![0i64; c.profile.len()];
                split_cents_into(to_cents(cost)?, &c.profile, &mut parts)?;
                let cp: Vec<(i32, Decimal)> = parts
                    .iter()
                    .enumerate()
                    .map(|(k, p)| (start + k as i32, from_cents(*p)))
                    .collect();
                let fits = cp.iter().all(|(y, amount)| {
                    let cap = caps
                        .get(&(c.tenant.clone(), *y))
                        .copied()
                        .unwrap_or(Decimal::ZERO);
                    let u = used
                        .get(&(c.tenant.clone(), *y))
                        .copied()
                        .unwrap_or(Decimal::ZERO);
                    u + amount <= cap
                });
                if fits {
                    placed = Some((start, cp));
                    break;
                }
            }
            match placed {
                Some((start, cp)) => {
                    for (y, amount) in &cp {
                        *used.entry((c.tenant.clone(), *y)).or_insert(Decimal::ZERO) += *amount;
                    }
                    end_year.insert(c.code.clone(), start + c.profile.len() as i32 - 1);
                    plan.placed.push(Placed {
                        code: c.code.clone(),
                        tenant: c.tenant.clone(),
                        start,
                        cp,
                    });
                }
                None => {
                    plan.not_placed.push((c.code.clone(), reason));
                    failed.push(c.code.clone());
                }
            }
            progressed = true;
        }
        if next.is_empty() || !progressed {
            for i in next {
                plan.not_placed.push((
                    candidates[i].code.clone(),
                    "its dependencies could not be placed".into(),
                ));
            }
            break;
        }
        pending = next;
    }
    plan.totals = used;
    Ok(plan)
}

/// The longest profile of works accepted (years), so that a schedule stays
/// within [`crate::YEARS`].
pub const MAX_PROFILE_YEARS: usize = 50;

/// A profile of works: 1 to [`MAX_PROFILE_YEARS`] weights, not all zero.
fn check_profile(profile: &[u64]) -> Result<()> {
    if profile.len() > MAX_PROFILE_YEARS {
        return Err(Error::InvalidField {
            field: "profile",
            reason: format!(
                "{} years of works; at most {MAX_PROFILE_YEARS} are accepted",
                profile.len()
            ),
        });
    }
    if profile.iter().map(|&w| u128::from(w)).sum::<u128>() == 0 {
        return Err(Error::WeightsSumToZero {
            count: profile.len(),
        });
    }
    Ok(())
}

/// A lapse delay (caducité) of 1 to 100 years, when given.
fn check_lapse(lapse: Option<u32>) -> Result<()> {
    match lapse {
        Some(n) if n == 0 || n > 100 => Err(Error::InvalidField {
            field: "lapse_after_years",
            reason: format!("{n} years; give 1 to 100 years, or none"),
        }),
        _ => Ok(()),
    }
}

fn cannot_take(ap: &str, missing_cents: i64) -> Error {
    Error::CpMismatch {
        ap: ap.to_owned(),
        reason: format!(
            "the open years have {} less to pay than the decrease asks",
            from_cents(missing_cents)
        ),
    }
}
