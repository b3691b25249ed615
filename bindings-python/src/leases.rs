//! Locatif seen from Python: parties, contracts, revisions, rent calls,
//! charge shares, in-kind aid and the dashboards as records, and the rent
//! roll, the rent calls and the in-kind aid as columns. The rules stay in
//! the core (`mutualis::leases`); this module only converts.

use chrono::NaiveDate;
use mutualis::leases::{
    AidLine, Arrears, ChargeShare, Deadline, InKindAid, Lease, Occupancy, Party, RentCall,
    RentRollRow, Revision, RollTotal,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

/// The core registry.
type Registry = mutualis::Mutualis;

py_record! {
    /// A party facing a collectivité: a company, an association, a person
    /// or a collectivité of the group.
    PyParty as "Party" {
        /// Code.
        code: String,
        /// Name.
        name: String,
        /// "company", "association", "person" or "collectivite".
        kind: String,
        /// SIRET, RNA number or tenant code.
        identifier: Option<String>,
    }
    repr(code, kind, identifier)
}

impl PyParty {
    pub(crate) fn new(p: &Party) -> PyParty {
        PyParty {
            code: p.code.clone(),
            name: p.name.clone(),
            kind: p.kind.to_string(),
            identifier: p.identifier.clone(),
        }
    }
}

py_record! {
    /// A lease or occupation agreement.
    PyLease as "Lease" {
        /// Contract code.
        code: String,
        /// Asset code.
        asset: String,
        /// The collectivité of the group that signed.
        tenant: String,
        /// "lessor" or "lessee".
        side: String,
        /// Party code.
        party: String,
        /// "commercial", "professional", "residential", "public_domain",
        /// "free_occupation" or "between_collectivites".
        kind: String,
        /// First day.
        start: NaiveDate,
        /// Last day of the term.
        end: Option<NaiveDate>,
        /// Notice in months.
        notice_months: u32,
        /// Tacit renewal.
        tacit_renewal: bool,
        /// Surface in m².
        surface: Option<Decimal>,
        /// Deposit.
        deposit: Decimal,
        /// Exclusive.
        exclusive: bool,
        /// Rent per period as signed.
        rent: Decimal,
        /// "monthly", "quarterly" or "yearly".
        periodicity: String,
        /// "advance" or "arrears".
        term: String,
        /// Provision for charges per period.
        charges_provision: Decimal,
        /// Yearly rental value.
        rental_value: Option<Decimal>,
        /// Index series.
        index: Option<String>,
        /// Reference quarter as signed ("2024-Q3").
        reference_quarter: Option<String>,
        /// First revision date.
        first_revision: Option<NaiveDate>,
        /// Ended on this last day.
        terminated: Option<NaiveDate>,
        /// The last day of occupation (none: running).
        last_day: Option<NaiveDate>,
    }
    repr(code, asset, tenant, side, party, kind, start, rent)
}

impl PyLease {
    pub(crate) fn new(m: &Registry, l: &Lease) -> PyLease {
        PyLease {
            code: l.code.clone(),
            asset: m.asset_code(l.asset).to_owned(),
            tenant: m.tenant_code(l.tenant).to_owned(),
            side: l.side.to_string(),
            party: m
                .parties()
                .get(l.party)
                .map_or(mutualis::UNKNOWN_CODE, |p| p.code.as_str())
                .to_owned(),
            kind: l.kind.to_string(),
            start: l.start,
            end: l.end,
            notice_months: l.notice_months,
            tacit_renewal: l.tacit_renewal,
            surface: l.surface,
            deposit: l.deposit,
            exclusive: l.exclusive,
            rent: l.rent,
            periodicity: l.periodicity.to_string(),
            term: l.term.to_string(),
            charges_provision: l.charges_provision,
            rental_value: l.rental_value,
            index: l.index.clone(),
            reference_quarter: l.reference_quarter.map(|q| q.to_string()),
            first_revision: l.first_revision,
            terminated: l.terminated,
            last_day: l.last_day(),
        }
    }
}

py_record! {
    /// A rent revision by index: new = old × value / from_value, rounded to
    /// the cent; `warning` above 25 % (Code de commerce L145-39).
    PyRentRevision as "RentRevision" {
        /// Effective date.
        date: NaiveDate,
        /// Index series.
        series: String,
        /// Previous reference quarter.
        from_quarter: String,
        /// New reference quarter.
        quarter: String,
        /// Index value of the previous reference quarter.
        from_value: Decimal,
        /// Index value of the new reference quarter.
        value: Decimal,
        /// Rent per period before.
        old_rent: Decimal,
        /// Rent per period from `date`.
        new_rent: Decimal,
        /// new / old - 1, to 4 decimals.
        variation: Decimal,
        /// The variation exceeds 25 %.
        warning: bool,
    }
    repr(date, quarter, old_rent, new_rent, warning)
}

impl PyRentRevision {
    pub(crate) fn new(r: &Revision) -> PyRentRevision {
        PyRentRevision {
            date: r.date,
            series: r.series.clone(),
            from_quarter: r.from_quarter.to_string(),
            quarter: r.quarter.to_string(),
            from_value: r.from_value,
            value: r.value,
            old_rent: r.old_rent,
            new_rent: r.new_rent,
            variation: r.variation,
            warning: r.warning,
        }
    }
}

py_record! {
    /// One rent call (avis d'échéance), pro rata on actual days for a
    /// partial period.
    PyRentCall as "RentCall" {
        /// Contract code.
        lease: String,
        /// First day called.
        start: NaiveDate,
        /// Last day called.
        end: NaiveDate,
        /// Due date.
        due: NaiveDate,
        /// Days called.
        days: u32,
        /// Days of the calendar period.
        period_days: u32,
        /// Rent per period in force.
        rent_per_period: Decimal,
        /// Rent called.
        rent: Decimal,
        /// Provision for charges called.
        provision: Decimal,
        /// rent + provision.
        total: Decimal,
        /// "lessor" (a receipt of the collectivité) or "lessee" (an expense).
        side: String,
    }
    repr(lease, start, end, due, rent, total)
}

impl PyRentCall {
    pub(crate) fn new(c: &RentCall) -> PyRentCall {
        PyRentCall {
            lease: c.lease.clone(),
            start: c.from,
            end: c.to,
            due: c.due,
            days: c.days,
            period_days: c.period_days,
            rent_per_period: c.rent_per_period,
            rent: c.rent,
            provision: c.provision,
            total: c.total,
            side: c.side.to_string(),
        }
    }
}

py_record! {
    /// One occupant's share of a building's charges for a year.
    PyChargeShare as "ChargeShare" {
        /// Contract code (None: the vacant part, the lessor's).
        lease: Option<String>,
        /// Party code.
        party: Option<String>,
        /// Weight (m² × 100 × days, or the key's).
        weight: u64,
        /// Share of the charges.
        share: Decimal,
        /// Provisions called in the year.
        provisions: Decimal,
        /// share - provisions.
        balance: Decimal,
    }
    repr(lease, share, provisions, balance)
}

impl PyChargeShare {
    pub(crate) fn new(s: &ChargeShare) -> PyChargeShare {
        PyChargeShare {
            lease: s.lease.clone(),
            party: s.party.clone(),
            weight: s.weight,
            share: s.share,
            provisions: s.provisions,
            balance: s.balance,
        }
    }
}

py_record! {
    /// One line of in-kind aid.
    PyAidLine as "AidLine" {
        /// "waived_rent" or "intervention".
        source: String,
        /// Contract code.
        lease: String,
        /// Asset code.
        asset: String,
        /// Work order (interventions).
        work_order: Option<String>,
        /// Date.
        date: NaiveDate,
        /// Amount (TTC for interventions).
        amount: Decimal,
    }
    repr(source, lease, work_order, date, amount)
}

impl PyAidLine {
    fn new(l: &AidLine) -> PyAidLine {
        PyAidLine {
            source: l.source.to_string(),
            lease: l.lease.clone(),
            asset: l.asset.clone(),
            work_order: l.work_order.clone(),
            date: l.date,
            amount: l.amount,
        }
    }
}

py_record! {
    /// The in-kind aid of one association from one collectivité for a year.
    PyInKindAid as "InKindAid" {
        /// The collectivité giving it.
        tenant: String,
        /// The association (party code).
        association: String,
        /// Its name.
        name: String,
        /// Its RNA number.
        rna: Option<String>,
        /// Year.
        year: i32,
        /// Rent waived.
        waived_rent: Decimal,
        /// Interventions in the premises, TTC.
        interventions: Decimal,
        /// waived_rent + interventions.
        total: Decimal,
        /// total above 23 000 € (loi 2000-321 art. 10).
        convention_required: bool,
        /// The lines.
        lines: Vec<PyAidLine>,
    }
    repr(tenant, association, year, total, convention_required)
}

impl PyInKindAid {
    pub(crate) fn new(a: &InKindAid) -> PyInKindAid {
        PyInKindAid {
            tenant: a.tenant.clone(),
            association: a.association.clone(),
            name: a.name.clone(),
            rna: a.rna.clone(),
            year: a.year,
            waived_rent: a.waived_rent,
            interventions: a.interventions,
            total: a.total,
            convention_required: a.convention_required,
            lines: a.lines.iter().map(PyAidLine::new).collect(),
        }
    }
}

py_record! {
    /// The annex of the aids in kind one collectivité gives to associations
    /// for a year (CGCT L2313-1): due for a commune of 3 500 inhabitants or more.
    PyAidAnnex as "AidAnnex" {
        /// The collectivité.
        tenant: String,
        /// Year.
        year: i32,
        /// The population given.
        population: u32,
        /// The annex is due (a commune of 3 500 inhabitants or more).
        required: bool,
        /// One row per association.
        rows: Vec<PyInKindAid>,
        /// Rent waived, over the rows.
        waived_rent: Decimal,
        /// Interventions, over the rows.
        interventions: Decimal,
        /// waived_rent + interventions.
        total: Decimal,
    }
    repr(tenant, year, required, total)
}

impl PyAidAnnex {
    pub(crate) fn new(a: &mutualis::leases::AidAnnex) -> PyAidAnnex {
        PyAidAnnex {
            tenant: a.tenant.clone(),
            year: a.year,
            population: a.population,
            required: a.required,
            rows: a.rows.iter().map(PyInKindAid::new).collect(),
            waived_rent: a.waived_rent,
            interventions: a.interventions,
            total: a.total,
        }
    }
}

py_record! {
    /// A contract in force in a rent roll.
    PyRentRollRow as "RentRollRow" {
        /// Contract code.
        lease: String,
        /// Collectivité.
        tenant: String,
        /// Party code.
        party: String,
        /// Asset code.
        asset: String,
        /// Building code.
        building: String,
        /// Type.
        kind: String,
        /// Side.
        side: String,
        /// Rent per period in force.
        rent: Decimal,
        /// Yearly rent.
        annual_rent: Decimal,
        /// Surface.
        surface: Option<Decimal>,
    }
    repr(lease, party, building, annual_rent)
}

impl PyRentRollRow {
    pub(crate) fn new(r: &RentRollRow) -> PyRentRollRow {
        PyRentRollRow {
            lease: r.lease.clone(),
            tenant: r.tenant.clone(),
            party: r.party.clone(),
            asset: r.asset.clone(),
            building: r.building.clone(),
            kind: r.kind.to_string(),
            side: r.side.to_string(),
            rent: r.rent,
            annual_rent: r.annual_rent,
            surface: r.surface,
        }
    }
}

py_record! {
    /// A rent roll total (per party, collectivité, building or type).
    PyRollTotal as "RollTotal" {
        /// The key.
        key: String,
        /// Contracts.
        leases: usize,
        /// Yearly rent.
        annual_rent: Decimal,
        /// Surface.
        surface: Decimal,
    }
    repr(key, leases, annual_rent)
}

impl PyRollTotal {
    pub(crate) fn new(t: &RollTotal) -> PyRollTotal {
        PyRollTotal {
            key: t.key.clone(),
            leases: t.leases,
            annual_rent: t.annual_rent,
            surface: t.surface,
        }
    }
}

py_record! {
    /// Occupancy of a building on a date.
    PyOccupancy as "Occupancy" {
        /// Building code.
        building: String,
        /// Floor area.
        floor_area: Option<Decimal>,
        /// Surface let.
        occupied: Decimal,
        /// Vacant surface.
        vacant: Option<Decimal>,
        /// occupied / floor area.
        rate: Option<Decimal>,
        /// Contracts in force.
        leases: usize,
    }
    repr(building, occupied, vacant, rate)
}

impl PyOccupancy {
    pub(crate) fn new(o: &Occupancy) -> PyOccupancy {
        PyOccupancy {
            building: o.building.clone(),
            floor_area: o.floor_area,
            occupied: o.occupied,
            vacant: o.vacant,
            rate: o.rate,
            leases: o.leases,
        }
    }
}

py_record! {
    /// What a contract owes on a date.
    PyArrears as "Arrears" {
        /// Contract code.
        lease: String,
        /// Party code.
        party: String,
        /// Called and due.
        called: Decimal,
        /// Received.
        received: Decimal,
        /// called - received.
        balance: Decimal,
        /// Oldest due date not covered.
        oldest_due: NaiveDate,
    }
    repr(lease, balance, oldest_due)
}

impl PyArrears {
    pub(crate) fn new(a: &Arrears) -> PyArrears {
        PyArrears {
            lease: a.lease.clone(),
            party: a.party.clone(),
            called: a.called,
            received: a.received,
            balance: a.balance,
            oldest_due: a.oldest_due,
        }
    }
}

py_record! {
    /// An upcoming deadline of a contract.
    PyDeadline as "Deadline" {
        /// Contract code.
        lease: String,
        /// "revision", "renewal", "end" or "notice".
        kind: String,
        /// When.
        date: NaiveDate,
        /// For a revision: the reference quarter to use.
        quarter: Option<String>,
    }
    repr(lease, kind, date)
}

impl PyDeadline {
    pub(crate) fn new(d: &Deadline) -> PyDeadline {
        PyDeadline {
            lease: d.lease.clone(),
            kind: d.kind.to_string(),
            date: d.date,
            quarter: d.quarter.map(|q| q.to_string()),
        }
    }
}

py_record! {
    /// The execution of a revenue line for a year (code "" for the
    /// lettings assigned to no revenue line).
    PyRevenueLineStatus as "RevenueLineStatus" {
        /// Line code.
        code: String,
        /// Service code, if any.
        service: Option<String>,
        /// Account.
        account: String,
        /// Voted + amendments.
        budgeted: Decimal,
        /// Rent calls of the year (rent + provisions).
        called: Decimal,
        /// Receipts dated in the year.
        collected: Decimal,
        /// called - collected.
        outstanding: Decimal,
        /// budgeted - collected.
        to_collect: Decimal,
        /// The contracts assigned to it.
        leases: Vec<String>,
    }
    repr(code, budgeted, called, collected, outstanding)
}

impl PyRevenueLineStatus {
    pub(crate) fn new(m: &Registry, s: &mutualis::RevenueLineStatus) -> PyRevenueLineStatus {
        PyRevenueLineStatus {
            code: s.code.clone(),
            service: s
                .service
                .and_then(|x| m.services().get(x.index()))
                .map(|x| x.code.clone()),
            account: s.account.clone(),
            budgeted: s.budgeted,
            called: s.called,
            collected: s.collected,
            outstanding: s.outstanding,
            to_collect: s.to_collect,
            leases: s.leases.clone(),
        }
    }
}

/// The rent roll as columns: lease, tenant, party, asset, building, kind,
/// side, rent, annual_rent, surface.
pub fn rent_roll_columns(rows: &[RentRollRow]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "lease",
        rows.iter().map(|r| r.lease.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "tenant",
        rows.iter().map(|r| r.tenant.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "party",
        rows.iter().map(|r| r.party.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "asset",
        rows.iter().map(|r| r.asset.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "building",
        rows.iter().map(|r| r.building.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "kind",
        rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "side",
        rows.iter().map(|r| r.side.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item("rent", rows.iter().map(|r| r.rent).collect::<Vec<_>>())?;
    out.set_item(
        "annual_rent",
        rows.iter().map(|r| r.annual_rent).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "surface",
        rows.iter().map(|r| r.surface).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// Rent calls as columns: lease, start, end, due, days, period_days,
/// rent_per_period, rent, provision, total, side.
pub fn rent_call_columns(rows: &[RentCall]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "lease",
        rows.iter().map(|r| r.lease.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item("start", rows.iter().map(|r| r.from).collect::<Vec<_>>())?;
    out.set_item("end", rows.iter().map(|r| r.to).collect::<Vec<_>>())?;
    out.set_item("due", rows.iter().map(|r| r.due).collect::<Vec<_>>())?;
    out.set_item("days", rows.iter().map(|r| r.days).collect::<Vec<_>>())?;
    out.set_item(
        "period_days",
        rows.iter().map(|r| r.period_days).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "rent_per_period",
        rows.iter().map(|r| r.rent_per_period).collect::<Vec<_>>(),
    )?;
    out.set_item("rent", rows.iter().map(|r| r.rent).collect::<Vec<_>>())?;
    out.set_item(
        "provision",
        rows.iter().map(|r| r.provision).collect::<Vec<_>>(),
    )?;
    out.set_item("total", rows.iter().map(|r| r.total).collect::<Vec<_>>())?;
    out.set_item(
        "side",
        rows.iter().map(|r| r.side.as_str()).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// In-kind aid as columns, one row per collectivité and association:
/// tenant, association, name, rna, year, waived_rent, interventions,
/// total, convention_required.
pub fn aid_columns(rows: &[InKindAid]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "tenant",
        rows.iter().map(|r| r.tenant.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "association",
        rows.iter()
            .map(|r| r.association.as_str())
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "name",
        rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "rna",
        rows.iter().map(|r| r.rna.as_deref()).collect::<Vec<_>>(),
    )?;
    out.set_item("year", rows.iter().map(|r| r.year).collect::<Vec<_>>())?;
    out.set_item(
        "waived_rent",
        rows.iter().map(|r| r.waived_rent).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "interventions",
        rows.iter().map(|r| r.interventions).collect::<Vec<_>>(),
    )?;
    out.set_item("total", rows.iter().map(|r| r.total).collect::<Vec<_>>())?;
    out.set_item(
        "convention_required",
        rows.iter()
            .map(|r| r.convention_required)
            .collect::<Vec<_>>(),
    )?;
    out.finish()
}
