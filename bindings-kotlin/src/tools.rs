//! CSV imports (core module `import`) and the PPI scheduler (core function
//! `planning::schedule`) on the Kotlin side: a tablet can import a
//! spreadsheet export and run a what-if plan.

use std::collections::BTreeMap;

use mutualis as mx;
use mutualis::planning as mp;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;

/// A refused row of a CSV import.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvRowError {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    /// The error kind, snake_case as in docs/errors.md.
    pub kind: String,
    /// The error message.
    pub message: String,
}

/// What a CSV import did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvReport {
    /// Rows imported.
    pub imported: u64,
    /// Rows refused.
    pub errors: Vec<CsvRowError>,
}

impl From<mx::import::CsvReport> for CsvReport {
    fn from(r: mx::import::CsvReport) -> Self {
        CsvReport {
            imported: r.imported as u64,
            errors: r
                .errors
                .into_iter()
                .map(|(line, e)| CsvRowError {
                    line: line as u64,
                    kind: e.kind().to_owned(),
                    message: e.to_string(),
                })
                .collect(),
        }
    }
}

/// An operation to place in a plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Candidate {
    /// Operation code.
    pub code: String,
    /// Tenant code (whose yearly cap applies).
    pub tenant: String,
    /// Priority, 1 = highest.
    pub priority: u32,
    /// Cost in euros of `earliestYear`.
    pub cost: Decimal,
    /// Earliest start year.
    pub earliest_year: i32,
    /// Share of the cost per year of works.
    pub profile: Vec<u64>,
    /// Operations that must end before it starts (none by default).
    #[uniffi(default)]
    pub depends_on: Vec<String>,
}

impl From<mp::Candidate> for Candidate {
    fn from(c: mp::Candidate) -> Self {
        Candidate {
            code: c.code,
            tenant: c.tenant,
            priority: c.priority,
            cost: c.cost,
            earliest_year: c.earliest_year,
            profile: c.profile,
            depends_on: c.depends_on,
        }
    }
}

impl From<Candidate> for mp::Candidate {
    fn from(c: Candidate) -> Self {
        mp::Candidate {
            code: c.code,
            tenant: c.tenant,
            priority: c.priority,
            cost: c.cost,
            earliest_year: c.earliest_year,
            profile: c.profile,
            depends_on: c.depends_on,
        }
    }
}

/// The CP cap of a tenant for a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct YearCap {
    /// Tenant code.
    pub tenant: String,
    /// Year.
    pub year: i32,
    /// Cap.
    pub amount: Decimal,
}

/// CP of a placed operation in a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct YearAmount {
    /// Year.
    pub year: i32,
    /// Amount.
    pub amount: Decimal,
}

/// An operation placed by the scheduler.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlacedOperation {
    /// Operation code.
    pub code: String,
    /// Tenant code.
    pub tenant: String,
    /// First year of works.
    pub start: i32,
    /// CP per year (revalued).
    pub cp: Vec<YearAmount>,
}

/// An operation the scheduler could not place, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotPlaced {
    /// Operation code.
    pub code: String,
    /// Why.
    pub reason: String,
}

/// A plan built by [`schedule_plan`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Plan {
    /// Placed operations, in placement order.
    pub placed: Vec<PlacedOperation>,
    /// Operations not placed.
    pub not_placed: Vec<NotPlaced>,
    /// CP per tenant and year.
    pub totals: Vec<YearCap>,
}

/// Builds a plan over `firstYear..=lastYear` under yearly caps: greedy by
/// priority (ties: earliest year, then code), after dependencies end, costs
/// revalued by `index` (value per year, e.g. BT01; empty: no revaluation).
///
/// Throws `CyclicDependency`, `UnknownOperation` (a dependency not among the
/// candidates), `WeightsSumToZero`.
#[uniffi::export]
pub fn schedule_plan(
    candidates: Vec<Candidate>,
    caps: Vec<YearCap>,
    first_year: i32,
    last_year: i32,
    index: std::collections::HashMap<i32, Decimal>,
) -> Result<Plan, MutualisError> {
    let candidates: Vec<mp::Candidate> = candidates.into_iter().map(Into::into).collect();
    let caps: BTreeMap<(String, i32), Decimal> = caps
        .into_iter()
        .map(|c| ((c.tenant, c.year), c.amount))
        .collect();
    let index: BTreeMap<i32, Decimal> = index.into_iter().collect();
    let plan = mp::schedule(&candidates, &caps, first_year, last_year, &index)?;
    Ok(Plan {
        placed: plan
            .placed
            .into_iter()
            .map(|p| PlacedOperation {
                code: p.code,
                tenant: p.tenant,
                start: p.start,
                cp: p
                    .cp
                    .into_iter()
                    .map(|(year, amount)| YearAmount { year, amount })
                    .collect(),
            })
            .collect(),
        not_placed: plan
            .not_placed
            .into_iter()
            .map(|(code, reason)| NotPlaced { code, reason })
            .collect(),
        totals: plan
            .totals
            .into_iter()
            .map(|((tenant, year), amount)| YearCap {
                tenant,
                year,
                amount,
            })
            .collect(),
    })
}

#[uniffi::export]
impl Mutualis {
    /// Imports an asset register from CSV text (`,` or `;`, decimal commas,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`; see the core's `import` module). Bad rows
    /// are reported with their line numbers and the rest imported; with
    /// `allOrNothing`, one bad row imports nothing and throws `CsvRows`.
    pub fn import_assets_csv(
        &self,
        csv: String,
        all_or_nothing: bool,
    ) -> Result<CsvReport, MutualisError> {
        Ok(self
            .write(|m| m.import_assets_csv(&csv, all_or_nothing))?
            .into())
    }

    /// Imports interventions (cost lines) from CSV text; unknown work orders
    /// are created when the row gives `asset`, `title` and a team or supplier.
    /// Same reporting as [`Mutualis::import_assets_csv`].
    pub fn import_interventions_csv(
        &self,
        csv: String,
        all_or_nothing: bool,
    ) -> Result<CsvReport, MutualisError> {
        Ok(self
            .write(|m| m.import_interventions_csv(&csv, all_or_nothing))?
            .into())
    }

    /// The operations of a tenant as candidates for [`schedule_plan`].
    /// Throws `UnknownTenant`.
    pub fn plan_candidates(&self, tenant: String) -> Result<Vec<Candidate>, MutualisError> {
        let candidates = self.read(|m| Ok(m.plan_candidates(&tenant)?))?;
        Ok(candidates.into_iter().map(Into::into).collect())
    }
}
