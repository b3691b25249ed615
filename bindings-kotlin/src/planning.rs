//! Multi-year investment plans (PPI, AP/CP, DOMAIN §6) on the `Mutualis`
//! façade: the setup calls (budgetary rules, operations, AP votes, payments,
//! year closes, revisions) and the read-only plan summaries a field or
//! tablet app shows per building.
//!
//! As in `registry.rs`, every rule is the core's; this file converts
//! arguments and results (dense ids → human codes) and maps errors.

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use mutualis::planning as mp;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::planning_types::{
    sorted_schedule, Ap, ApRevision, ApSituation, BuildingPlan, NewAp, NewOperation, PpiRow,
};
use crate::registry::Mutualis;
use crate::types::Respread;

#[uniffi::export]
impl Mutualis {
    // -- Setup -------------------------------------------------------------------

    /// Sets a tenant's règlement budgétaire et financier (RBF): whether the
    /// unspent CP of a closed year move to the next year (`carryOver`) or are
    /// cancelled, and after how many years without payment an AP lapses
    /// (`lapseAfterYears`, null: never). `reference` is the rule's legal
    /// reference, kept as data (deliberation, article).
    ///
    /// Throws `UnknownTenant`.
    #[uniffi::method(default(lapse_after_years = None, reference = None))]
    pub fn set_rbf_rules(
        &self,
        tenant: String,
        carry_over: bool,
        lapse_after_years: Option<u32>,
        reference: Option<String>,
    ) -> Result<(), MutualisError> {
        let rules = mp::RbfRules {
            carry_over,
            lapse_after_years,
            reference,
        };
        self.write(|m| m.set_rbf_rules(&tenant, rules))
    }

    /// Adds an investment operation.
    ///
    /// Throws `InvalidCode`, `InvalidField` (blank title or type of work,
    /// priority 0), `UnknownTenant`, `UnknownAsset`, `UnknownOperation` (a
    /// dependency), `WeightsSumToZero` (profile empty or all zero),
    /// `SubCentAmount`, `InvalidQuantity` (negative cost), `DuplicateOperation`.
    pub fn add_operation(&self, operation: NewOperation) -> Result<(), MutualisError> {
        self.write(|m| m.add_operation(operation.into()))
    }

    /// Links a work order to an operation: its cost lines become the
    /// operation's actuals. Throws `UnknownOperation`, `UnknownWorkOrder`.
    pub fn link_work_order(
        &self,
        operation: String,
        work_order: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.link_work_order(&operation, &work_order))
    }

    /// Votes an AP with its CP schedule.
    ///
    /// Throws `InvalidCode`, `InvalidField` (blank title), `UnknownTenant`,
    /// `UnknownOperation`, `SubCentAmount`, `InvalidQuantity` (negative
    /// amount), `CpMismatch` (CP not summing to the AP, or a year before the
    /// vote), `DuplicateOperation`.
    pub fn vote_ap(&self, ap: NewAp) -> Result<(), MutualisError> {
        self.write(|m| m.vote_ap(ap.into()))
    }

    /// Records a payment (mandat) of `amount` on day `on` against the CP of
    /// that year.
    ///
    /// Throws `UnknownOperation`, `YearClosed`, `InvalidQuantity` (amount ≤ 0),
    /// `SubCentAmount`, `CpMismatch` (beyond the year's CP left, or a lapsed AP).
    pub fn pay_ap(&self, ap: String, on: NaiveDate, amount: Decimal) -> Result<(), MutualisError> {
        self.write(|m| m.pay_ap(&ap, on, amount))
    }

    /// Closes `year` for every AP of `tenant`: what was paid is frozen, the
    /// unspent CP move to the next year when the RBF allows carry-over and
    /// are cancelled otherwise (reducing the AP, visibly, as a revision); an
    /// AP without payment past the RBF's lapse period lapses. Years close in
    /// order.
    ///
    /// Throws `UnknownTenant`, `YearClosed` (not the year after the last closed one).
    pub fn close_year(&self, tenant: String, year: i32) -> Result<(), MutualisError> {
        self.write(|m| m.close_year(&tenant, year))
    }

    /// Revises an AP in `year` to `amount`, with a new schedule of the open
    /// years (year → CP) summing to `amount` minus what closed years paid.
    ///
    /// Throws `UnknownOperation`, `SubCentAmount`, `InvalidQuantity`,
    /// `RevisionBelowPaid`, `CpMismatch` (wrong sum, a closed year, a year's CP
    /// below what it already paid).
    pub fn revise_ap(
        &self,
        ap: String,
        year: i32,
        amount: Decimal,
        schedule: HashMap<i32, Decimal>,
    ) -> Result<(), MutualisError> {
        let schedule = sorted_schedule(schedule);
        self.write(|m| m.revise_ap(&ap, year, amount, &schedule))
    }

    /// The schedule of open years (year → CP) a revision of `ap` to
    /// `amount` in `year` gets under `rule`, without changing anything.
    ///
    /// Throws `UnknownOperation`, `YearOutOfRange`, `YearClosed`,
    /// `RevisionBelowPaid`, `CpMismatch` (a decrease larger than what the
    /// open years still have to pay).
    pub fn respread(
        &self,
        ap: String,
        year: i32,
        amount: Decimal,
        rule: Respread,
    ) -> Result<HashMap<i32, Decimal>, MutualisError> {
        self.read(|m| {
            Ok(m.respread(&ap, year, amount, rule.into())?
                .into_iter()
                .collect())
        })
    }

    /// Revises `ap` to `amount` in `year`, re-spreading the difference by
    /// `rule` (the journal records the resulting schedule). Throws as
    /// `respread` and `reviseAp`.
    pub fn respread_ap(
        &self,
        ap: String,
        year: i32,
        amount: Decimal,
        rule: Respread,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.respread_ap(&ap, year, amount, rule.into()))
    }

    // -- Reads -------------------------------------------------------------------

    /// The AP with this code. Throws `UnknownOperation`.
    pub fn ap(&self, code: String) -> Result<Ap, MutualisError> {
        self.read(|m| Ok(ap_rec(m, m.ap(&code)?)))
    }

    /// All APs of all tenants, in vote order.
    pub fn aps(&self) -> Result<Vec<Ap>, MutualisError> {
        self.read(|m| Ok(m.aps().iter().map(|a| ap_rec(m, a)).collect()))
    }

    /// The "situation des AP/CP" of `tenant` for `year`: one row per AP of
    /// the tenant, in vote order. Throws `UnknownTenant`.
    pub fn ap_situation(
        &self,
        tenant: String,
        year: i32,
    ) -> Result<Vec<ApSituation>, MutualisError> {
        self.view(|_, r| {
            Ok(r.ap_situation(&tenant, year)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// The PPI of `tenant`: one row per AP and year (voted, scheduled, paid,
    /// closed), with the AP's buildings and types of work; sorted by AP then
    /// year. Throws `UnknownTenant`.
    pub fn ppi_rows(&self, tenant: String) -> Result<Vec<PpiRow>, MutualisError> {
        self.view(|_, r| Ok(r.ppi_rows(&tenant)?.into_iter().map(Into::into).collect()))
    }

    /// The PPI of `tenant` per building: `ppiRows` grouped by the first asset
    /// of each row, buildings by code, then (asset null) the APs whose
    /// operations name no asset. Throws `UnknownTenant`.
    pub fn plan_by_building(&self, tenant: String) -> Result<Vec<BuildingPlan>, MutualisError> {
        self.view(|_, r| {
            Ok(r.plan_by_building(&tenant)?
                .into_iter()
                .map(BuildingPlan::from)
                .collect())
        })
    }
}

fn ap_rec(m: &mx::Mutualis, a: &mp::Ap) -> Ap {
    Ap {
        code: a.code.clone(),
        tenant: m.tenant_code(a.tenant).to_owned(),
        title: a.title.clone(),
        voted_year: a.voted_year,
        voted: a.voted,
        amount: a.amount,
        schedule: a.schedule.iter().map(|(y, c)| (*y, *c)).collect(),
        paid: a.paid.iter().map(|(y, c)| (*y, *c)).collect(),
        closed_through: a.closed_through,
        lapsed: a.lapsed,
        revisions: a.revisions.iter().map(ApRevision::from).collect(),
        operations: a.operations.clone(),
    }
}
