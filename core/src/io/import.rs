//! CSV imports of what collectivités keep in spreadsheets: an asset register
//! and interventions, with line-numbered errors.
//!
//! - The delimiter is `,` or `;` (French spreadsheets), detected from the
//!   header; a UTF-8 byte-order mark is ignored.
//! - Numbers accept a decimal comma and spaces as thousands separators
//!   (`1 200,50`); dates are `YYYY-MM-DD` or `DD/MM/YYYY`.
//! - Every bad row is reported with its line number in the file (the header
//!   is line 1). Without `all_or_nothing` the good rows are imported; with it,
//!   one bad row means nothing is imported ([`Error::CsvRows`]).
//!
//! Assets: columns `code`, `name`, `kind`, `owner`, `commissioned` (required),
//! `parent`, `service_tenant`, `service`, `decommissioned`, `floor_area`,
//! `address` (optional); any other column becomes a free attribute. A parent
//! may be declared after its child.
//!
//! Interventions: columns `work_order`, `date`, `nature` (required) and, by
//! nature, `hours`/`agents`/`team`/`grade`, `store`/`item`/`quantity`,
//! `vehicle`/`unit`/`quantity`, `supplier`/`description`/`ht`/`vat_rate`. An
//! unknown work order is created (and started) when the row also gives
//! `asset`, `title` and a `team` or `supplier`; a `tag` column tags it.
//!
//! Fleet: a register ([`Mutualis::import_vehicles_csv`]) and meter readings
//! with fuel or charging lines from a fuel-card or telematics export
//! ([`Mutualis::import_fleet_lines_csv`]).
//!
//! ```
//! use mutualis::{Mutualis, NewTenant};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! let csv = "code;name;kind;owner;commissioned;floor_area\nGYM;Gymnase;building;ROANNE;01/09/1975;2 150,5\nBAD;x;castle;ROANNE;1975-09-01;\n";
//! let report = m.import_assets_csv(csv, false).unwrap();
//! assert_eq!((report.imported, report.errors[0].0), (1, 3));
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::assets::{AssetKind, NewAsset, ServiceRef};
use crate::error::{Error, Result};
use crate::money::VatRate;
use crate::rates::UsageUnit;
use crate::work::{CostInput, CostNature, NewWorkOrder, WorkOrderStatus};
use crate::Mutualis;

/// What a CSV import did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsvReport {
    /// Rows imported.
    pub imported: usize,
    /// Bad rows: (line number in the file, error).
    pub errors: Vec<(usize, Error)>,
}

fn field_err(field: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// Parses a decimal with `.` or `,` and optional spaces.
fn parse_decimal(field: &'static str, s: &str) -> Result<Decimal> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let cleaned = cleaned.replace(',', ".");
    Decimal::from_str_exact(&cleaned)
        .map_err(|_| field_err(field, format!("{s:?} is not a number")))
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`.
fn parse_date(field: &'static str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| {
            field_err(
                field,
                format!("{s:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
            )
        })
}

struct Table {
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    /// Rows refused while reading (more fields than the header has).
    bad: Vec<(usize, Error)>,
}

/// The line (from 1) where a quoted field opens and never closes, if one does.
fn unclosed_quote(data: &[u8], delimiter: u8) -> Option<usize> {
    let (mut line, mut opened, mut in_quotes, mut at_start) = (1, 0, false, true);
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if in_quotes {
            if b == b'"' {
                if data.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && at_start {
            in_quotes = true;
            opened = line;
        } else {
            if b == b'\n' {
                line += 1;
            }
            at_start = b == delimiter || b == b'\n' || b == b'\r';
            i += 1;
            continue;
        }
        at_start = false;
        i += 1;
    }
    in_quotes.then_some(opened)
}

/// Reads a CSV table. Line numbers count `\n`, `\r\n` and lone `\r` line
/// endings alike (old spreadsheet exports end lines with CR only). The whole
/// file is refused when a header column appears twice or a quoted field is
/// never closed; a row with more fields than the header is a bad row.
fn read_table(data: &str) -> Result<Table> {
    let data = data.strip_prefix('\u{feff}').unwrap_or(data);
    // CR-only files: the csv reader ends records on a lone CR but counts
    // lines on LF only, so such a file is read with LF endings.
    let normalized;
    let data = if data.contains('\r') && !data.contains('\n') {
        normalized = data.replace('\r', "\n");
        normalized.as_str()
    } else {
        data
    };
    let first = data.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    if let Some(line) = unclosed_quote(data.as_bytes(), delimiter) {
        return Err(field_err(
            "csv",
            format!("line {line}: a quoted field is never closed (unbalanced \")"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(data.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| field_err("csv header", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut seen = HashSet::new();
    if let Some(dup) = headers
        .iter()
        .find(|h| !h.is_empty() && !seen.insert(h.as_str()))
    {
        return Err(field_err(
            "csv header",
            format!("column {dup:?} appears twice"),
        ));
    }
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| field_err("csv", e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            let extra = record
                .iter()
                .skip(headers.len())
                .any(|f| !f.trim().is_empty());
            if extra {
                bad.push((
                    line,
                    field_err(
                        "csv",
                        format!(
                            "{} fields where the header has {} columns",
                            record.len(),
                            headers.len()
                        ),
                    ),
                ));
                continue;
            }
        }
        rows.push((line, record.iter().map(|f| f.trim().to_owned()).collect()));
    }
    Ok(Table { headers, rows, bad })
}

struct Row<'a> {
    headers: &'a [String],
    values: &'a [String],
}

impl<'a> Row<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        let i = self.headers.iter().position(|h| h == name)?;
        self.values
            .get(i)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn required(&self, name: &'static str) -> Result<&'a str> {
        self.get(name).ok_or_else(|| field_err(name, "missing"))
    }
}

fn require_columns(headers: &[String], required: &[&str]) -> Result<()> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(field_err(
            "csv header",
            format!("missing column(s): {}", missing.join(", ")),
        ))
    }
}

const ASSET_COLUMNS: [&str; 11] = [
    "code",
    "name",
    "kind",
    "owner",
    "commissioned",
    "parent",
    "service_tenant",
    "service",
    "decommissioned",
    "floor_area",
    "address",
];

impl Mutualis {
    /// Imports an asset register from CSV; see the [module](self) for columns.
    pub fn import_assets_csv(&mut self, data: &str, all_or_nothing: bool) -> Result<CsvReport> {
        let table = read_table(data)?;
        require_columns(&table.headers, &ASSET_COLUMNS[..5])?;
        let backup = self.checkpoint();
        let mut report = CsvReport {
            imported: 0,
            errors: table.bad.clone(),
        };
        // Parents may come later in the file: rows are added parents first;
        // a row whose parent row failed fails too; rows left (a cycle) fail.
        let rows: Vec<(usize, Row<'_>)> = table
            .rows
            .iter()
            .map(|(l, v)| {
                (
                    *l,
                    Row {
                        headers: &table.headers,
                        values: v,
                    },
                )
            })
            .collect();
        let file_codes: HashSet<&str> = rows.iter().filter_map(|(_, r)| r.get("code")).collect();
        let mut failed: HashSet<String> = HashSet::new();
        let mut pending: Vec<usize> = (0..rows.len()).collect();
        loop {
            let mut next = Vec::new();
            for i in pending.iter().copied() {
                let (line, row) = &rows[i];
                let parent = row.get("parent");
                let ready = match parent {
                    None => true,
                    Some(p) => {
                        self.asset_id(p).is_ok() || failed.contains(p) || !file_codes.contains(p)
                    }
                };
                if !ready {
                    next.push(i);
                    continue;
                }
                let result = match parent {
                    Some(p) if self.asset_id(p).is_err() => Err(Error::UnknownAsset(p.to_owned())),
                    _ => self.asset_row(row),
                };
                match result {
                    Ok(()) => report.imported += 1,
                    Err(e) => {
                        if let Some(code) = row.get("code") {
                            failed.insert(code.to_owned());
                        }
                        report.errors.push((*line, e));
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            if next.len() == pending.len() {
                for i in next {
                    let (line, row) = &rows[i];
                    report.errors.push((
                        *line,
                        Error::AssetCycle {
                            asset: row.get("code").unwrap_or_default().to_owned(),
                            parent: row.get("parent").unwrap_or_default().to_owned(),
                        },
                    ));
                }
                break;
            }
            pending = next;
        }
        report.errors.sort_by_key(|e| e.0);
        if all_or_nothing && !report.errors.is_empty() {
            self.rollback(backup)?;
            return Err(Error::CsvRows {
                errors: report
                    .errors
                    .iter()
                    .map(|(l, e)| (*l, e.to_string()))
                    .collect(),
            });
        }
        self.release(backup);
        Ok(report)
    }

    fn asset_row(&mut self, row: &Row<'_>) -> Result<()> {
        let code = row.required("code")?;
        let kind = AssetKind::from_str(row.required("kind")?)?;
        let mut spec = NewAsset::new(
            code,
            row.required("name")?,
            kind,
            row.required("owner")?,
            parse_date("commissioned", row.required("commissioned")?)?,
        );
        if let Some(d) = row.get("decommissioned") {
            spec.decommissioned = Some(parse_date("decommissioned", d)?);
        }
        if let Some(a) = row.get("floor_area") {
            spec.floor_area = Some(parse_decimal("floor_area", a)?);
        }
        spec.address = row.get("address").map(str::to_owned);
        match (row.get("service_tenant"), row.get("service")) {
            (Some(t), Some(s)) => {
                spec.service = Some(ServiceRef {
                    tenant: t.into(),
                    service: s.into(),
                })
            }
            (None, Some(s)) => {
                spec.service = Some(ServiceRef {
                    tenant: spec.owner.clone(),
                    service: s.into(),
                })
            }
            (Some(_), None) => {
                return Err(field_err("service", "service_tenant given without service"))
            }
            (None, None) => {}
        }
        let attributes: BTreeMap<String, String> = row
            .headers
            .iter()
            .zip(row.values)
            .filter(|(h, v)| !ASSET_COLUMNS.contains(&h.as_str()) && !v.is_empty())
            .map(|(h, v)| (h.clone(), v.clone()))
            .collect();
        spec.attributes = attributes;
        spec.parent = row.get("parent").map(str::to_owned);
        self.add_asset(spec)?;
        Ok(())
    }

    /// Imports interventions (cost lines) from CSV; see the [module](self) for columns.
    pub fn import_interventions_csv(
        &mut self,
        data: &str,
        all_or_nothing: bool,
    ) -> Result<CsvReport> {
        let table = read_table(data)?;
        require_columns(&table.headers, &["work_order", "date", "nature"])?;
        let backup = self.checkpoint();
        let mut report = CsvReport {
            imported: 0,
            errors: table.bad.clone(),
        };
        let mut created: HashMap<String, ()> = HashMap::new();
        for (line, values) in &table.rows {
            let row = Row {
                headers: &table.headers,
                values,
            };
            let before = (!all_or_nothing).then(|| self.checkpoint());
            match self.intervention_row(&row, &mut created) {
                Ok(()) => {
                    report.imported += 1;
                    if let Some(cp) = before {
                        self.release(cp);
                    }
                }
                Err(e) => {
                    // a row that created its work order then failed is undone whole
                    if let Some(cp) = before {
                        self.rollback(cp)?;
                    }
                    report.errors.push((*line, e));
                }
            }
        }
        report.errors.sort_by_key(|e| e.0);
        if all_or_nothing && !report.errors.is_empty() {
            self.rollback(backup)?;
            return Err(Error::CsvRows {
                errors: report
                    .errors
                    .iter()
                    .map(|(l, e)| (*l, e.to_string()))
                    .collect(),
            });
        }
        self.release(backup);
        Ok(report)
    }

    fn intervention_row(&mut self, row: &Row<'_>, created: &mut HashMap<String, ()>) -> Result<()> {
        let wo = row.required("work_order")?.to_owned();
        let date = parse_date("date", row.required("date")?)?;
        let nature = CostNature::from_str(row.required("nature")?)?;
        if nature == CostNature::Energy {
            return Err(field_err(
                "nature",
                "energy costs come from the meters' invoices, not from work orders",
            ));
        }
        if self.work_order_id(&wo).is_err() {
            if let (Some(asset), Some(title)) = (row.get("asset"), row.get("title")) {
                let mut spec = match (row.get("team"), row.get("supplier")) {
                    (Some(t), _) => NewWorkOrder::by_team(&wo, title, asset, t),
                    (None, Some(s)) => NewWorkOrder::by_supplier(&wo, title, asset, s),
                    (None, None) => {
                        return Err(field_err(
                            "team",
                            "a new work order needs a team or a supplier",
                        ))
                    }
                };
                if let Some(tag) = row.get("tag") {
                    spec = spec.tagged(tag);
                }
                self.create_work_order(spec)?;
                let at = date
                    .and_hms_opt(8, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or_default();
                self.set_work_order_status(&wo, WorkOrderStatus::InProgress, at)?;
                created.insert(wo.clone(), ());
            }
        }
        let cost = match nature {
            CostNature::Labour => CostInput::Labour {
                date,
                hours: parse_decimal("hours", row.required("hours")?)?,
                agents: row.get("agents").map_or(Ok(1), |a| {
                    a.parse::<u32>()
                        .map_err(|_| field_err("agents", format!("{a:?} is not a whole number")))
                })?,
                team: row.get("team").map(str::to_owned),
                grade: row.get("grade").map(str::to_owned),
            },
            CostNature::Material => CostInput::Material {
                date,
                store: row.required("store")?.to_owned(),
                item: row.required("item")?.to_owned(),
                quantity: parse_decimal("quantity", row.required("quantity")?)?,
            },
            CostNature::Vehicle => CostInput::Vehicle {
                date,
                vehicle: row.required("vehicle")?.to_owned(),
                unit: UsageUnit::from_str(row.required("unit")?)?,
                quantity: parse_decimal("quantity", row.required("quantity")?)?,
            },
            CostNature::External | CostNature::Energy => CostInput::External {
                date,
                supplier: row.get("supplier").map(str::to_owned),
                description: row.required("description")?.to_owned(),
                ht: parse_decimal("ht", row.required("ht")?)?,
                vat_rate: VatRate::from_percent(parse_decimal(
                    "vat_rate",
                    row.required("vat_rate")?,
                )?)?,
            },
        };
        self.record_cost(&wo, cost)?;
        Ok(())
    }
}

/// Runs `row_fn` on every row of `table` under the import's rules: each
/// row all or nothing; with `all_or_nothing`, one bad row undoes the whole
/// import ([`Error::CsvRows`]).
fn run_rows<S>(
    m: &mut Mutualis,
    table: &Table,
    all_or_nothing: bool,
    state: &mut S,
    mut row_fn: impl FnMut(&mut Mutualis, &Row<'_>, &mut S) -> Result<()>,
) -> Result<CsvReport> {
    let backup = m.checkpoint();
    let mut report = CsvReport {
        imported: 0,
        errors: table.bad.clone(),
    };
    for (line, values) in &table.rows {
        let row = Row {
            headers: &table.headers,
            values,
        };
        let before = (!all_or_nothing).then(|| m.checkpoint());
        match row_fn(m, &row, state) {
            Ok(()) => {
                report.imported += 1;
                if let Some(cp) = before {
                    m.release(cp);
                }
            }
            Err(e) => {
                if let Some(cp) = before {
                    m.rollback(cp)?;
                }
                report.errors.push((*line, e));
            }
        }
    }
    report.errors.sort_by_key(|e| e.0);
    if all_or_nothing && !report.errors.is_empty() {
        m.rollback(backup)?;
        return Err(Error::CsvRows {
            errors: report
                .errors
                .iter()
                .map(|(l, e)| (*l, e.to_string()))
                .collect(),
        });
    }
    m.release(backup);
    Ok(report)
}

fn parse_u64(field: &'static str, s: &str) -> Result<u64> {
    let d = parse_decimal(field, s)?;
    if d.fract() != Decimal::ZERO || d < Decimal::ZERO {
        return Err(field_err(field, format!("{s:?} is not a whole number")));
    }
    u64::try_from(d).map_err(|_| field_err(field, format!("{s:?} is out of range")))
}

impl Mutualis {
    /// Imports a fleet register from CSV: columns `asset`, `category`,
    /// `energy` (required); `registration` with `first_registration`,
    /// `vin`, `weight`, `service_tenant` with `service`, `lifts_persons`
    /// (`yes`/`true`/`1`). An unknown asset is created (kind vehicle, or
    /// equipment for machines) when the row gives `name` and `owner`
    /// (commissioned on `commissioned`, else the first registration).
    ///
    /// Errors: [`Error::InvalidField`] (a header missing a column or a
    /// malformed file), [`Error::CsvRows`] with `all_or_nothing`; bad rows
    /// are reported by line otherwise.
    pub fn import_vehicles_csv(&mut self, data: &str, all_or_nothing: bool) -> Result<CsvReport> {
        use crate::fleet::{Energy, NewVehicle, VehicleCategory, WeightClass};
        let table = read_table(data)?;
        require_columns(&table.headers, &["asset", "category", "energy"])?;
        run_rows(self, &table, all_or_nothing, &mut (), |m, row, ()| {
            let asset = row.required("asset")?;
            let category = VehicleCategory::from_str(row.required("category")?)?;
            let energy = Energy::from_str(row.required("energy")?)?;
            let mut spec = NewVehicle::new(asset, category, energy);
            let first = row
                .get("first_registration")
                .map(|s| parse_date("first_registration", s))
                .transpose()?;
            spec.first_registration = first;
            spec.registration = row.get("registration").map(str::to_owned);
            spec.vin = row.get("vin").map(str::to_owned);
            if let Some(w) = row.get("weight") {
                spec.weight = WeightClass::from_str(w)?;
            }
            if let Some(s) = row.get("service") {
                let tenant = row.required("service_tenant")?;
                spec = spec.assigned_to(tenant, s);
            }
            if let Some(l) = row.get("lifts_persons") {
                spec.lifts_persons =
                    matches!(l.to_lowercase().as_str(), "yes" | "oui" | "true" | "1");
            }
            if m.asset_id(asset).is_err() {
                if let (Some(name), Some(owner)) = (row.get("name"), row.get("owner")) {
                    let kind = match category {
                        VehicleCategory::Mower
                        | VehicleCategory::Crane
                        | VehicleCategory::AerialWorkPlatform => AssetKind::Equipment,
                        _ => AssetKind::Vehicle,
                    };
                    let from = match row.get("commissioned") {
                        Some(c) => parse_date("commissioned", c)?,
                        None => first.ok_or_else(|| {
                            field_err("commissioned", "a new asset needs a commissioning date")
                        })?,
                    };
                    m.add_asset(NewAsset::new(asset, name, kind, owner, from))?;
                }
            }
            m.register_vehicle(spec)
        })
    }

    /// Imports meter readings and fuel or charging lines in bulk (a
    /// fuel-card or telematics export): columns `date` and `vehicle` (an
    /// asset code) or `registration` (required, one of them); a row with
    /// `km` and/or `hours` records readings, a row with `quantity`, `ht`
    /// and `vat_rate` (`unit`: `litres` by default, or `kwh`) a fuel line;
    /// both on one row (the pump's odometer) is one row. Rows are applied
    /// in file order (a lower reading is a bad row).
    ///
    /// Errors: as [`Mutualis::import_vehicles_csv`].
    pub fn import_fleet_lines_csv(
        &mut self,
        data: &str,
        all_or_nothing: bool,
    ) -> Result<CsvReport> {
        use crate::fleet::{FuelUnit, Meter, NewFuelLine};
        let table = read_table(data)?;
        require_columns(&table.headers, &["date"])?;
        if !table
            .headers
            .iter()
            .any(|h| h == "vehicle" || h == "registration")
        {
            return Err(field_err(
                "csv header",
                "missing column(s): vehicle or registration",
            ));
        }
        // registration → asset code, once (not a scan per row)
        let mut by_registration: HashMap<String, String> = HashMap::new();
        for v in self.vehicles() {
            if let Some(r) = &v.registration {
                by_registration.insert(r.clone(), self.asset_code(v.asset).to_owned());
            }
        }
        run_rows(
            self,
            &table,
            all_or_nothing,
            &mut by_registration,
            |m, row, regs| {
                let date = parse_date("date", row.required("date")?)?;
                let vehicle = match (row.get("vehicle"), row.get("registration")) {
                    (Some(v), _) => v.to_owned(),
                    (None, Some(r)) => {
                        let r = crate::fleet::check_registration(r)?;
                        regs.get(&r).cloned().ok_or_else(|| Error::NotInFleet {
                            asset: r.clone(),
                            reason: "is no registration number of the fleet".into(),
                        })?
                    }
                    (None, None) => return Err(field_err("vehicle", "missing")),
                };
                let mut any = false;
                if let Some(km) = row.get("km") {
                    m.record_meter_reading(&vehicle, Meter::Km, date, parse_u64("km", km)?)?;
                    any = true;
                }
                if let Some(h) = row.get("hours") {
                    m.record_meter_reading(&vehicle, Meter::Hours, date, parse_u64("hours", h)?)?;
                    any = true;
                }
                if let Some(q) = row.get("quantity") {
                    let unit = match row.get("unit") {
                        Some(u) => FuelUnit::from_str(u)?,
                        None => FuelUnit::Litres,
                    };
                    m.record_fuel(
                        &vehicle,
                        NewFuelLine {
                            date,
                            quantity: parse_decimal("quantity", q)?,
                            unit,
                            ht: parse_decimal("ht", row.required("ht")?)?,
                            vat: VatRate::from_percent(parse_decimal(
                                "vat_rate",
                                row.required("vat_rate")?,
                            )?)?,
                        },
                    )?;
                    any = true;
                }
                if any {
                    Ok(())
                } else {
                    Err(field_err("km", "a row needs km, hours or a fuel quantity"))
                }
            },
        )
    }
}
