//! Mobilier seen from Python: the furniture register, moves, loans,
//! campaigns and their report as records, and the register and a report's
//! lines as columns. The rules stay in the core (`mutualis::furniture`);
//! this module only converts.

use chrono::NaiveDate;
use mutualis::furniture::{
    Campaign, CampaignLine, CampaignReport, FurnitureItem, FurnitureLoan, FurnitureMove, RoomCount,
    Scan,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

/// The core registry.
type Registry = mutualis::Mutualis;

fn code(m: &Registry, a: mutualis::AssetId) -> String {
    m.asset_code(a).to_owned()
}

py_record! {
    /// A registered furniture item.
    PyFurnitureItem as "FurnitureItem" {
        /// Asset code.
        asset: String,
        /// Inventory number (upper case).
        number: String,
        /// Category.
        category: String,
        /// Owner (tenant code) on the registry clock's date.
        owner: String,
        /// Assigned service's tenant code.
        service_tenant: Option<String>,
        /// Assigned service's code.
        service: Option<String>,
        /// Date of purchase.
        purchase_date: Option<NaiveDate>,
        /// Purchase value.
        purchase_value: Option<Decimal>,
        /// "new", "good", "worn" or "damaged".
        condition: String,
        /// "in_use", "in_store" or "reformed".
        status: String,
        /// Since when (none: since registration).
        status_since: Option<NaiveDate>,
        /// "sold", "given" or "destroyed" (reformed only).
        reform_outcome: Option<String>,
        /// The sale price (sold only).
        reform_price: Option<Decimal>,
        /// To whom it was given (given only).
        reform_recipient: Option<String>,
        /// Current location (asset code).
        location: String,
        /// Location from the asset's commissioning (asset code).
        first_location: String,
        /// The borrower (tenant code) while lent.
        lent_to: Option<String>,
    }
    repr(number, asset, category, location, status)
}

impl PyFurnitureItem {
    pub(crate) fn new(m: &Registry, i: &FurnitureItem) -> PyFurnitureItem {
        let today = m.clock().now().date_naive();
        let owner = m
            .owner_on(m.asset_code(i.asset), today)
            .map_or(mutualis::UNKNOWN_CODE, |t| m.tenant_code(t))
            .to_owned();
        let (service_tenant, service) = match i.service {
            Some(s) => {
                let (t, c) = m.service_codes(s);
                (Some(t.to_owned()), Some(c.to_owned()))
            }
            None => (None, None),
        };
        PyFurnitureItem {
            asset: code(m, i.asset),
            number: i.number.clone(),
            category: i.category.clone(),
            owner,
            service_tenant,
            service,
            purchase_date: i.purchase_date,
            purchase_value: i.purchase_value,
            condition: i.condition.to_string(),
            status: i.status.to_string(),
            status_since: i.status_since,
            reform_outcome: i.reform.as_ref().map(|r| r.outcome.to_string()),
            reform_price: i.reform.as_ref().and_then(|r| r.price),
            reform_recipient: i.reform.as_ref().and_then(|r| r.recipient.clone()),
            location: code(m, i.location),
            first_location: code(m, i.first_location),
            lent_to: i.loan.map(|l| m.tenant_code(l.borrower).to_owned()),
        }
    }
}

py_record! {
    /// A move of an item.
    PyFurnitureMove as "FurnitureMove" {
        /// First day at the new location.
        date: NaiveDate,
        /// Where it was (asset code).
        origin: String,
        /// Where it went (asset code).
        destination: String,
        /// "move", "transfer", "loan", "return" or "inventory".
        kind: String,
    }
    repr(date, origin, destination, kind)
}

impl PyFurnitureMove {
    pub(crate) fn new(m: &Registry, x: &FurnitureMove) -> PyFurnitureMove {
        PyFurnitureMove {
            date: x.date,
            origin: code(m, x.from),
            destination: code(m, x.to),
            kind: x.kind.to_string(),
        }
    }
}

py_record! {
    /// A loan of an item to another collectivité.
    PyFurnitureLoan as "FurnitureLoan" {
        /// The item's asset code.
        asset: String,
        /// The borrower (tenant code).
        borrower: String,
        /// First day.
        start: NaiveDate,
        /// Planned return (last day).
        until: Option<NaiveDate>,
        /// Returned on (first day back).
        returned: Option<NaiveDate>,
    }
    repr(asset, borrower, start, until, returned)
}

impl PyFurnitureLoan {
    pub(crate) fn new(m: &Registry, l: &FurnitureLoan) -> PyFurnitureLoan {
        PyFurnitureLoan {
            asset: code(m, l.item),
            borrower: m.tenant_code(l.borrower).to_owned(),
            start: l.from,
            until: l.until,
            returned: l.returned,
        }
    }
}

py_record! {
    /// An inventory campaign (récolement).
    PyCampaign as "Campaign" {
        /// Code.
        code: String,
        /// The building or site covered (asset code).
        scope: String,
        /// Opening date.
        opened: NaiveDate,
        /// Closing date.
        closed: Option<NaiveDate>,
        /// The findings were applied on closing.
        applied: bool,
    }
    repr(code, scope, opened, closed)
}

impl PyCampaign {
    pub(crate) fn new(m: &Registry, c: &Campaign) -> PyCampaign {
        PyCampaign {
            code: c.code.clone(),
            scope: code(m, c.scope),
            opened: c.opened,
            closed: c.closed,
            applied: c.applied,
        }
    }
}

py_record! {
    /// A scan recorded in a campaign.
    PyScan as "Scan" {
        /// Inventory number read.
        number: String,
        /// Where (asset code).
        room: String,
        /// Scan date.
        date: NaiveDate,
    }
    repr(number, room, date)
}

impl PyScan {
    pub(crate) fn new(m: &Registry, s: &Scan) -> PyScan {
        PyScan {
            number: s.number.clone(),
            room: code(m, s.room),
            date: s.date,
        }
    }
}

py_record! {
    /// One line of a campaign's report.
    PyCampaignLine as "CampaignLine" {
        /// Inventory number.
        number: String,
        /// The item's asset code (none: unknown number).
        asset: Option<String>,
        /// "found", "missing", "misplaced" or "unexpected".
        finding: String,
        /// Where it was expected.
        expected_room: Option<String>,
        /// Where it was scanned.
        found_room: Option<String>,
        /// The scan's date.
        scanned: Option<NaiveDate>,
    }
    repr(number, finding, expected_room, found_room)
}

impl PyCampaignLine {
    pub(crate) fn new(m: &Registry, l: &CampaignLine) -> PyCampaignLine {
        PyCampaignLine {
            number: l.number.clone(),
            asset: l.item.map(|a| code(m, a)),
            finding: l.finding.to_string(),
            expected_room: l.expected_room.map(|a| code(m, a)),
            found_room: l.found_room.map(|a| code(m, a)),
            scanned: l.scanned,
        }
    }
}

py_record! {
    /// The counts of one location of a campaign's report.
    PyRoomCount as "RoomCount" {
        /// The location (asset code).
        room: String,
        /// Expected there.
        expected: u32,
        /// Of those, scanned there.
        found: u32,
        /// Of those, scanned nowhere.
        missing: u32,
        /// Scanned there, expected elsewhere.
        misplaced: u32,
        /// Scanned there, not expected.
        unexpected: u32,
    }
    repr(room, expected, found, missing, misplaced, unexpected)
}

impl PyRoomCount {
    pub(crate) fn new(m: &Registry, r: &RoomCount) -> PyRoomCount {
        PyRoomCount {
            room: code(m, r.room),
            expected: r.expected,
            found: r.found,
            missing: r.missing,
            misplaced: r.misplaced,
            unexpected: r.unexpected,
        }
    }
}

py_record! {
    /// A campaign's report: the lines, the counts per location, the totals.
    PyCampaignReport as "CampaignReport" {
        /// Campaign code.
        campaign: String,
        /// The building or site (asset code).
        scope: String,
        /// Opening date.
        opened: NaiveDate,
        /// Closing date.
        closed: Option<NaiveDate>,
        /// Per location, in asset order.
        rooms: Vec<PyRoomCount>,
        /// Every expected item and unexpected scan.
        lines: Vec<PyCampaignLine>,
        /// Items expected.
        expected: u32,
        /// Found where expected.
        found: u32,
        /// Scanned nowhere.
        missing: u32,
        /// Found elsewhere in the campaign.
        misplaced: u32,
        /// Scanned, not expected.
        unexpected: u32,
    }
    repr(campaign, expected, found, missing, misplaced, unexpected)
}

impl PyCampaignReport {
    pub(crate) fn new(m: &Registry, r: &CampaignReport) -> PyCampaignReport {
        PyCampaignReport {
            campaign: r.campaign.clone(),
            scope: code(m, r.scope),
            opened: r.opened,
            closed: r.closed,
            rooms: r.rooms.iter().map(|x| PyRoomCount::new(m, x)).collect(),
            lines: r.lines.iter().map(|x| PyCampaignLine::new(m, x)).collect(),
            expected: r.expected,
            found: r.found,
            missing: r.missing,
            misplaced: r.misplaced,
            unexpected: r.unexpected,
        }
    }
}

/// The register as columns: number, asset, category, location, status,
/// condition, purchase_date, purchase_value.
pub fn furniture_columns(m: &Registry, rows: &[&FurnitureItem]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "number",
        rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "asset",
        rows.iter()
            .map(|r| m.asset_code(r.asset))
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "category",
        rows.iter().map(|r| r.category.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "location",
        rows.iter()
            .map(|r| m.asset_code(r.location))
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "status",
        rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "condition",
        rows.iter()
            .map(|r| r.condition.as_str())
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "purchase_date",
        rows.iter().map(|r| r.purchase_date).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "purchase_value",
        rows.iter().map(|r| r.purchase_value).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// A report's lines as columns: number, asset, finding, expected_room,
/// found_room, scanned.
pub fn campaign_line_columns(
    m: &Registry,
    rows: &[CampaignLine],
) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    let opt = |a: Option<mutualis::AssetId>| a.map(|a| m.asset_code(a));
    out.set_item(
        "number",
        rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "asset",
        rows.iter().map(|r| opt(r.item)).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "finding",
        rows.iter().map(|r| r.finding.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "expected_room",
        rows.iter()
            .map(|r| opt(r.expected_room))
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "found_room",
        rows.iter().map(|r| opt(r.found_room)).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "scanned",
        rows.iter().map(|r| r.scanned).collect::<Vec<_>>(),
    )?;
    out.finish()
}
