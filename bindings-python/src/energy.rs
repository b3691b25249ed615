//! Énergies seen from Python: meters, a meter's year, invoice parts,
//! shares, the décret tertiaire status, anomalies and the dashboard as
//! records, and the dashboard as columns. The rules stay in the core
//! (`mutualis::energy`); this module only converts.

use mutualis::energy::{
    EnergyAnomaly, EnergyBreakdownRow, EnergyDashboardRow, EnergyShare, InvoicePart, Meter,
    MeterYear, TertiaryStatus,
};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

py_record! {
    /// An energy meter on an asset.
    PyMeter as "Meter" {
        /// Code.
        code: String,
        /// Asset code.
        asset: String,
        /// "electricity", "gas", "water", "heating_network", "fuel_oil", "wood".
        source: String,
        /// "kwh", "m3", "litre".
        unit: String,
        /// Delivery point (PDL/PRM, PCE).
        delivery_point: Option<String>,
        /// Parent meter code (a sub-meter).
        parent: Option<String>,
        /// Weather station correcting it.
        station: Option<String>,
    }
    repr(code, asset, source, unit)
}

impl PyMeter {
    pub(crate) fn new(m: &mutualis::Mutualis, x: &Meter) -> PyMeter {
        PyMeter {
            code: x.code.clone(),
            asset: m.asset_code(x.asset).to_owned(),
            source: x.source.to_string(),
            unit: x.unit.to_string(),
            delivery_point: x.delivery_point.clone(),
            parent: x.parent.map(|p| m.meters()[p].code.clone()),
            station: x.station.clone(),
        }
    }
}

py_record! {
    /// A meter's consumption and cost over a calendar year.
    PyMeterYear as "MeterYear" {
        /// Meter code.
        meter: String,
        /// Year.
        year: i32,
        /// kWh measured.
        gross_kwh: Decimal,
        /// Its sub-meters' kWh.
        sub_meters_kwh: Decimal,
        /// gross − sub-meters.
        net_kwh: Decimal,
        /// TTC of its invoices' parts in the year.
        cost_ttc: Decimal,
    }
    repr(meter, year, net_kwh, cost_ttc)
}

impl PyMeterYear {
    pub(crate) fn new(x: &MeterYear) -> PyMeterYear {
        PyMeterYear {
            meter: x.meter.clone(),
            year: x.year,
            gross_kwh: x.gross_kwh,
            sub_meters_kwh: x.sub_meters_kwh,
            net_kwh: x.net_kwh,
            cost_ttc: x.cost_ttc,
        }
    }
}

py_record! {
    /// The part of an invoice in one calendar year.
    PyInvoicePart as "InvoicePart" {
        /// Year.
        year: i32,
        /// First day in the year.
        start: chrono::NaiveDate,
        /// Last day in the year.
        end: chrono::NaiveDate,
        /// Days.
        days: u32,
        /// kWh.
        kwh: Decimal,
        /// HT.
        ht: Decimal,
        /// TTC.
        ttc: Decimal,
    }
    repr(year, days, kwh, ttc)
}

impl PyInvoicePart {
    pub(crate) fn new(x: &InvoicePart) -> PyInvoicePart {
        PyInvoicePart {
            year: x.year,
            start: x.from,
            end: x.to,
            days: x.days,
            kwh: x.kwh,
            ht: x.ht,
            ttc: x.ttc,
        }
    }
}

py_record! {
    /// A share of consumption and cost (a service of a key, or a tenant).
    PyEnergyShare as "EnergyShare" {
        /// Who.
        key: String,
        /// kWh.
        kwh: Decimal,
        /// TTC.
        cost_ttc: Decimal,
    }
    repr(key, kwh, cost_ttc)
}

impl PyEnergyShare {
    pub(crate) fn new(x: &EnergyShare) -> PyEnergyShare {
        PyEnergyShare {
            key: x.key.clone(),
            kwh: x.kwh,
            cost_ttc: x.cost_ttc,
        }
    }
}

py_record! {
    /// The décret tertiaire status of a site in a year.
    PyTertiaryStatus as "TertiaryStatus" {
        /// Building code.
        building: String,
        /// Activity.
        activity: String,
        /// Floor area.
        floor_area: Decimal,
        /// Year.
        year: i32,
        /// Raw kWh.
        raw_kwh: Decimal,
        /// Climate-adjusted kWh.
        adjusted_kwh: Decimal,
        /// Reference year.
        reference_year: i32,
        /// Reference kWh.
        reference_kwh: Decimal,
        /// Next milestone.
        milestone: i32,
        /// Its target.
        target_kwh: Decimal,
        /// adjusted − target.
        gap_kwh: Decimal,
        /// Reduction achieved.
        reduction: Decimal,
    }
    repr(building, year, adjusted_kwh, milestone, target_kwh, gap_kwh)
}

impl PyTertiaryStatus {
    pub(crate) fn new(x: &TertiaryStatus) -> PyTertiaryStatus {
        PyTertiaryStatus {
            building: x.building.clone(),
            activity: x.activity.clone(),
            floor_area: x.floor_area,
            year: x.year,
            raw_kwh: x.raw_kwh,
            adjusted_kwh: x.adjusted_kwh,
            reference_year: x.reference_year,
            reference_kwh: x.reference_kwh,
            milestone: x.milestone,
            target_kwh: x.target_kwh,
            gap_kwh: x.gap_kwh,
            reduction: x.reduction,
        }
    }
}

py_record! {
    /// A month deviating from the same month of previous years.
    PyEnergyAnomaly as "EnergyAnomaly" {
        /// Meter code.
        meter: String,
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// kWh.
        kwh: Decimal,
        /// Mean of the same month before.
        baseline: Decimal,
        /// Deviation (fraction).
        deviation: Decimal,
    }
    repr(meter, year, month, kwh, baseline)
}

impl PyEnergyAnomaly {
    pub(crate) fn new(x: &EnergyAnomaly) -> PyEnergyAnomaly {
        PyEnergyAnomaly {
            meter: x.meter.clone(),
            year: x.year,
            month: x.month,
            kwh: x.kwh,
            baseline: x.baseline,
            deviation: x.deviation,
        }
    }
}

py_record! {
    /// A dashboard row: one asset and energy in a year.
    PyEnergyDashboardRow as "EnergyDashboardRow" {
        /// Asset code.
        asset: String,
        /// Owner.
        tenant: String,
        /// Energy.
        source: String,
        /// Year.
        year: i32,
        /// Raw kWh net of sub-meters.
        kwh: Decimal,
        /// Adjusted kWh.
        adjusted_kwh: Option<Decimal>,
        /// TTC.
        cost_ttc: Decimal,
        /// kWh per m².
        kwh_per_m2: Option<Decimal>,
        /// Cost per m².
        cost_per_m2: Option<Decimal>,
    }
    repr(asset, source, year, kwh, cost_ttc)
}

impl PyEnergyDashboardRow {
    pub(crate) fn new(x: &EnergyDashboardRow) -> PyEnergyDashboardRow {
        PyEnergyDashboardRow {
            asset: x.asset.clone(),
            tenant: x.tenant.clone(),
            source: x.source.to_string(),
            year: x.year,
            kwh: x.kwh,
            adjusted_kwh: x.adjusted_kwh,
            cost_ttc: x.cost_ttc,
            kwh_per_m2: x.kwh_per_m2,
            cost_per_m2: x.cost_per_m2,
        }
    }
}

py_record! {
    /// Consumption and cost of a year per paying tenant (and service).
    PyEnergyBreakdownRow as "EnergyBreakdownRow" {
        /// Paying tenant.
        tenant: String,
        /// "TENANT/SERVICE" managing the meter's asset, or None.
        service: Option<String>,
        /// Energy.
        source: String,
        /// Year.
        year: i32,
        /// Raw kWh net of sub-meters.
        kwh: Decimal,
        /// Adjusted kWh (None when a station lacks DJU).
        adjusted_kwh: Option<Decimal>,
        /// TTC.
        cost_ttc: Decimal,
    }
    repr(tenant, service, source, year, kwh, cost_ttc)
}

impl PyEnergyBreakdownRow {
    pub(crate) fn new(x: &EnergyBreakdownRow) -> PyEnergyBreakdownRow {
        PyEnergyBreakdownRow {
            tenant: x.tenant.clone(),
            service: x.service.clone(),
            source: x.source.to_string(),
            year: x.year,
            kwh: x.kwh,
            adjusted_kwh: x.adjusted_kwh,
            cost_ttc: x.cost_ttc,
        }
    }
}

/// The breakdown as columns.
pub fn breakdown_columns(rows: &[EnergyBreakdownRow]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "tenant",
        rows.iter().map(|r| r.tenant.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "service",
        rows.iter()
            .map(|r| r.service.as_deref())
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "source",
        rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item("year", rows.iter().map(|r| r.year).collect::<Vec<_>>())?;
    out.set_item("kwh", rows.iter().map(|r| r.kwh).collect::<Vec<_>>())?;
    out.set_item(
        "adjusted_kwh",
        rows.iter().map(|r| r.adjusted_kwh).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "cost_ttc",
        rows.iter().map(|r| r.cost_ttc).collect::<Vec<_>>(),
    )?;
    out.finish()
}

/// The dashboard as columns.
pub fn dashboard_columns(rows: &[EnergyDashboardRow]) -> PyResult<crate::table::PyTable> {
    let mut out = crate::table::Columns::new();
    out.set_item(
        "asset",
        rows.iter().map(|r| r.asset.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "tenant",
        rows.iter().map(|r| r.tenant.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "source",
        rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(),
    )?;
    out.set_item("year", rows.iter().map(|r| r.year).collect::<Vec<_>>())?;
    out.set_item("kwh", rows.iter().map(|r| r.kwh).collect::<Vec<_>>())?;
    out.set_item(
        "adjusted_kwh",
        rows.iter().map(|r| r.adjusted_kwh).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "cost_ttc",
        rows.iter().map(|r| r.cost_ttc).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "kwh_per_m2",
        rows.iter().map(|r| r.kwh_per_m2).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "cost_per_m2",
        rows.iter().map(|r| r.cost_per_m2).collect::<Vec<_>>(),
    )?;
    out.finish()
}
