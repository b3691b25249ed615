//! Records of the multi-year investment plans (PPI, AP/CP, DOMAIN §6)
//! exchanged with Kotlin, mirrored from `mutualis::planning`.
//!
//! CP schedules cross as `Map<Int, BigDecimal>` (year → CP); the binding
//! hands them to the core sorted by year, so the journal and the dataset are
//! the same whatever the map's iteration order.

use std::collections::HashMap;

use mutualis::planning as mp;
use rust_decimal::Decimal;

/// What is needed to create an investment operation (a project of a tenant
/// on assets). `assets`, `priority` and `dependsOn` have defaults; use named
/// arguments for them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewOperation {
    /// Human code, unique among operations and APs ("OP-GYM-ENERGIE").
    pub code: String,
    /// Code of the tenant carrying it.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Type of work ("toiture", "accessibilite", "renovation-energetique"…).
    pub work_type: String,
    /// Estimated cost (TTC, in euros of `earliestYear`).
    pub estimated_cost: Decimal,
    /// Earliest year works can start.
    pub earliest_year: i32,
    /// Share of the cost per year of works (non-negative integers with a
    /// positive sum, e.g. `[30, 70]`; `[1]` for one year).
    pub profile: Vec<u64>,
    /// Codes of the assets concerned (buildings…); the first one is the
    /// building `planByBuilding` files it under.
    #[uniffi(default)]
    pub assets: Vec<String>,
    /// Priority, 1 = highest (the default).
    #[uniffi(default = 1)]
    pub priority: u32,
    /// Codes of the operations that must end before this one starts.
    #[uniffi(default)]
    pub depends_on: Vec<String>,
}

impl From<NewOperation> for mp::NewOperation {
    fn from(o: NewOperation) -> Self {
        mp::NewOperation {
            code: o.code,
            tenant: o.tenant,
            title: o.title,
            work_type: o.work_type,
            assets: o.assets,
            priority: o.priority,
            estimated_cost: o.estimated_cost,
            earliest_year: o.earliest_year,
            profile: o.profile,
            depends_on: o.depends_on,
        }
    }
}

/// What is needed to vote an autorisation de programme (AP) with its crédits
/// de paiement (CP) by year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewAp {
    /// Human code, unique among operations and APs ("AP-2025-GYM").
    pub code: String,
    /// Code of the tenant voting it.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Year of the vote.
    pub year: i32,
    /// Amount of the AP.
    pub amount: Decimal,
    /// CP per year (year → amount); they must sum to `amount`, none before `year`.
    pub schedule: HashMap<i32, Decimal>,
    /// Codes of the operations of the programme.
    #[uniffi(default)]
    pub operations: Vec<String>,
}

/// A schedule as the core takes it: (year, CP) sorted by year.
pub(crate) fn sorted_schedule(schedule: HashMap<i32, Decimal>) -> Vec<(i32, Decimal)> {
    let mut v: Vec<(i32, Decimal)> = schedule.into_iter().collect();
    v.sort_by_key(|(y, _)| *y);
    v
}

impl From<NewAp> for mp::NewAp {
    fn from(a: NewAp) -> Self {
        mp::NewAp {
            code: a.code,
            tenant: a.tenant,
            title: a.title,
            year: a.year,
            amount: a.amount,
            schedule: sorted_schedule(a.schedule),
            operations: a.operations,
        }
    }
}

/// A change of an AP's amount: a revision, CP cancelled at a year's close
/// (no carry-over), or a lapse (caducité).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApRevision {
    /// Year of the change.
    pub year: i32,
    /// Amount before.
    pub from: Decimal,
    /// Amount after.
    pub to: Decimal,
    /// Why ("révision", "CP 2025 annulés", "caducité (3 ans sans paiement)").
    pub reason: String,
}

impl From<&mp::ApRevision> for ApRevision {
    fn from(r: &mp::ApRevision) -> Self {
        ApRevision {
            year: r.year,
            from: r.from,
            to: r.to,
            reason: r.reason.clone(),
        }
    }
}

/// An autorisation de programme with its CP. Invariant (checked by the core
/// after every change): Σ `paid` of closed years + Σ `schedule` = `amount`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Ap {
    /// Code.
    pub code: String,
    /// Code of the tenant.
    pub tenant: String,
    /// Title.
    pub title: String,
    /// Year voted.
    pub voted_year: i32,
    /// Amount first voted.
    pub voted: Decimal,
    /// Current amount (after revisions and cancellations).
    pub amount: Decimal,
    /// CP scheduled for the open years (year → amount).
    pub schedule: HashMap<i32, Decimal>,
    /// Payments per year, closed and open years (year → amount).
    pub paid: HashMap<i32, Decimal>,
    /// Last closed year; null while no year is closed.
    pub closed_through: Option<i32>,
    /// True once the AP has lapsed (caduque).
    pub lapsed: bool,
    /// Changes of the amount, oldest first.
    pub revisions: Vec<ApRevision>,
    /// Codes of the operations of the programme.
    pub operations: Vec<String>,
}

/// One row of the "situation des AP/CP" of a tenant for a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApSituation {
    /// AP code.
    pub ap: String,
    /// Title.
    pub title: String,
    /// Amount first voted.
    pub voted: Decimal,
    /// Net revisions (current − voted).
    pub revisions: Decimal,
    /// Current AP.
    pub amount: Decimal,
    /// Paid in the years before.
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

impl From<mp::ApSituation> for ApSituation {
    fn from(s: mp::ApSituation) -> Self {
        ApSituation {
            ap: s.ap,
            title: s.title,
            voted: s.voted,
            revisions: s.revisions,
            amount: s.amount,
            paid_before: s.paid_before,
            cp_year: s.cp_year,
            paid_year: s.paid_year,
            later: s.later,
            lapsed: s.lapsed,
        }
    }
}

/// One row of the PPI of a tenant: an AP in a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PpiRow {
    /// AP code.
    pub ap: String,
    /// AP title.
    pub title: String,
    /// Codes of the buildings and other assets of its operations.
    pub assets: Vec<String>,
    /// Types of work of its operations, sorted.
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

impl From<mp::PpiRow> for PpiRow {
    fn from(r: mp::PpiRow) -> Self {
        PpiRow {
            ap: r.ap,
            title: r.title,
            assets: r.assets,
            work_types: r.work_types,
            year: r.year,
            amount: r.amount,
            scheduled: r.scheduled,
            paid: r.paid,
            closed: r.closed,
        }
    }
}

/// The PPI rows of one building (the first asset of the AP's operations).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BuildingPlan {
    /// Asset code; null for the APs whose operations name no asset.
    pub asset: Option<String>,
    /// Its rows, by AP then year.
    pub rows: Vec<PpiRow>,
}

impl From<mp::BuildingPlan> for BuildingPlan {
    fn from(p: mp::BuildingPlan) -> Self {
        BuildingPlan {
            asset: p.asset,
            rows: p.rows.into_iter().map(PpiRow::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_reach_the_core_sorted_by_year() {
        let m: HashMap<i32, Decimal> = (2020..2040).map(|y| (y, Decimal::ONE)).collect();
        let years: Vec<i32> = sorted_schedule(m).into_iter().map(|(y, _)| y).collect();
        assert_eq!(years, (2020..2040).collect::<Vec<_>>());
    }
}
