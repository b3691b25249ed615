//! Énergies seen from Kotlin (issue 16): meters, readings, invoices,
//! degree days, the décret tertiaire. The rules are the core's
//! (`mutualis::energy`); this file only converts.

use std::collections::HashMap;

use chrono::NaiveDate;
use mutualis as mx;
use mx::energy as me;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::registry::Mutualis;

mirror_enum! {
    /// The energy a meter measures.
    pub enum EnergySource mirrors me::EnergySource, "energy source" {
        /// Electricity (PDL/PRM).
        Electricity,
        /// Natural gas (PCE).
        Gas,
        /// Water.
        Water,
        /// A heating network.
        HeatingNetwork,
        /// Fuel oil.
        FuelOil,
        /// Wood.
        Wood,
    }
}

mirror_enum! {
    /// The unit a meter counts in.
    pub enum EnergyUnit mirrors me::EnergyUnit, "energy unit" {
        /// kWh.
        Kwh,
        /// m³.
        M3,
        /// Litres.
        Litre,
    }
}

/// A meter's consumption and cost over a calendar year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MeterYear {
    /// Meter code.
    pub meter: String,
    /// Year.
    pub year: i32,
    /// kWh measured.
    pub gross_kwh: Decimal,
    /// Its sub-meters' kWh.
    pub sub_meters_kwh: Decimal,
    /// gross − sub-meters.
    pub net_kwh: Decimal,
    /// TTC of its invoices' parts in the year.
    pub cost_ttc: Decimal,
}

/// The part of an invoice in one calendar year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InvoicePart {
    /// Year.
    pub year: i32,
    /// First day in the year.
    pub start: NaiveDate,
    /// Last day in the year.
    pub end: NaiveDate,
    /// Days.
    pub days: u32,
    /// kWh.
    pub kwh: Decimal,
    /// HT.
    pub ht: Decimal,
    /// TTC.
    pub ttc: Decimal,
}

/// A share of consumption and cost (a service of a key, or a tenant).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnergyShare {
    /// Who.
    pub key: String,
    /// kWh.
    pub kwh: Decimal,
    /// TTC.
    pub cost_ttc: Decimal,
}

/// The décret tertiaire status of a site in a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TertiaryStatus {
    /// Building code.
    pub building: String,
    /// Year.
    pub year: i32,
    /// Raw kWh.
    pub raw_kwh: Decimal,
    /// Climate-adjusted kWh.
    pub adjusted_kwh: Decimal,
    /// Next milestone.
    pub milestone: i32,
    /// Its target.
    pub target_kwh: Decimal,
    /// adjusted − target.
    pub gap_kwh: Decimal,
    /// Reduction achieved.
    pub reduction: Decimal,
}

/// A dashboard row: one asset and energy in a year.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnergyDashboardRow {
    /// Asset code (where the meters are).
    pub asset: String,
    /// Owner (tenant code).
    pub tenant: String,
    /// Energy.
    pub source: EnergySource,
    /// Year.
    pub year: i32,
    /// Raw kWh net of sub-meters.
    pub kwh: Decimal,
    /// Climate-adjusted kWh (null when a station lacks DJU for the year).
    pub adjusted_kwh: Option<Decimal>,
    /// Cost TTC.
    pub cost_ttc: Decimal,
    /// kWh per m² of the asset's floor area, if known.
    pub kwh_per_m2: Option<Decimal>,
    /// Cost per m², if known.
    pub cost_per_m2: Option<Decimal>,
}

impl TryFrom<me::EnergyDashboardRow> for EnergyDashboardRow {
    type Error = MutualisError;
    fn try_from(r: me::EnergyDashboardRow) -> Result<Self, MutualisError> {
        Ok(EnergyDashboardRow {
            asset: r.asset,
            tenant: r.tenant,
            source: r.source.try_into()?,
            year: r.year,
            kwh: r.kwh,
            adjusted_kwh: r.adjusted_kwh,
            cost_ttc: r.cost_ttc,
            kwh_per_m2: r.kwh_per_m2,
            cost_per_m2: r.cost_per_m2,
        })
    }
}

/// A month deviating from the same month of previous years.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnergyAnomaly {
    /// Meter code.
    pub meter: String,
    /// Year.
    pub year: i32,
    /// Month (1 to 12).
    pub month: u32,
    /// kWh of the month.
    pub kwh: Decimal,
    /// Mean of the same month of the previous years with data.
    pub baseline: Decimal,
    /// (kWh − baseline) / baseline, to 4 decimals.
    pub deviation: Decimal,
}

impl From<me::EnergyAnomaly> for EnergyAnomaly {
    fn from(a: me::EnergyAnomaly) -> Self {
        EnergyAnomaly {
            meter: a.meter,
            year: a.year,
            month: a.month,
            kwh: a.kwh,
            baseline: a.baseline,
            deviation: a.deviation,
        }
    }
}

/// Consumption and cost of a year per paying tenant (and service).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnergyBreakdownRow {
    /// Paying tenant code.
    pub tenant: String,
    /// "TENANT/SERVICE" managing the meter's asset (null: none, or a
    /// breakdown per tenant).
    pub service: Option<String>,
    /// Energy.
    pub source: EnergySource,
    /// Year.
    pub year: i32,
    /// Raw kWh net of sub-meters.
    pub kwh: Decimal,
    /// Climate-adjusted kWh (null when a station lacks DJU).
    pub adjusted_kwh: Option<Decimal>,
    /// Cost TTC.
    pub cost_ttc: Decimal,
}

impl TryFrom<me::EnergyBreakdownRow> for EnergyBreakdownRow {
    type Error = MutualisError;
    fn try_from(r: me::EnergyBreakdownRow) -> Result<Self, MutualisError> {
        Ok(EnergyBreakdownRow {
            tenant: r.tenant,
            service: r.service,
            source: r.source.try_into()?,
            year: r.year,
            kwh: r.kwh,
            adjusted_kwh: r.adjusted_kwh,
            cost_ttc: r.cost_ttc,
        })
    }
}

fn share(s: &me::EnergyShare) -> EnergyShare {
    EnergyShare {
        key: s.key.clone(),
        kwh: s.kwh,
        cost_ttc: s.cost_ttc,
    }
}

#[uniffi::export]
impl Mutualis {
    // -- Énergies (energy) ----------------------------------------------------------

    /// Adds a meter on an asset. Throws `UnknownAsset`, `DuplicateMeter`,
    /// `InvalidDeliveryPoint`, `UnknownMeter` (parent), `UnitMismatch`.
    #[uniffi::method(default(delivery_point = None, parent = None, station = None))]
    pub fn add_meter(
        &self,
        code: String,
        asset: String,
        source: EnergySource,
        unit: EnergyUnit,
        delivery_point: Option<String>,
        parent: Option<String>,
        station: Option<String>,
    ) -> Result<(), MutualisError> {
        let mut spec = me::NewMeter::new(&code, &asset, source.into(), unit.into());
        spec.delivery_point = delivery_point;
        spec.parent = parent;
        spec.station = station;
        self.write(|m| m.add_meter(spec))
    }

    /// Records an index reading (with `new_index`: a replacement). Throws
    /// `UnknownMeter`, `IndexBelowLast`, `NegativeConsumption`.
    #[uniffi::method(default(new_index = None))]
    pub fn record_reading(
        &self,
        meter: String,
        on: NaiveDate,
        index: Decimal,
        new_index: Option<Decimal>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.record_reading(&meter, on, index, new_index))
    }

    /// Sets a meter's coefficient to kWh from `start`. Throws `UnknownMeter`.
    pub fn set_conversion(
        &self,
        meter: String,
        start: NaiveDate,
        factor: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_conversion(&meter, start, factor))
    }

    /// Records a supplier invoice. Throws `UnknownMeter`, `UnitMismatch`,
    /// `NegativeConsumption`, `NegativeAmount`, `InvalidField`.
    #[uniffi::method(default(factor = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn record_energy_invoice(
        &self,
        meter: String,
        number: String,
        on: NaiveDate,
        start: NaiveDate,
        end: NaiveDate,
        consumption: Decimal,
        unit: EnergyUnit,
        subscription_ht: Decimal,
        consumption_ht: Decimal,
        vat: Decimal,
        factor: Option<Decimal>,
    ) -> Result<(), MutualisError> {
        let mut spec = me::NewEnergyInvoice::new(
            &meter,
            &number,
            on,
            start,
            end,
            consumption,
            unit.into(),
            subscription_ht,
            consumption_ht,
            vat,
        );
        spec.factor = factor;
        self.write(|m| m.record_energy_invoice(spec))
    }

    /// Sets the degree days of a station for a year.
    pub fn set_dju(&self, station: String, year: i32, dju: Decimal) -> Result<(), MutualisError> {
        self.write(|m| m.set_dju(&station, year, dju))
    }

    /// Sets the reference degree days of a station.
    pub fn set_dju_reference(&self, station: String, dju: Decimal) -> Result<(), MutualisError> {
        self.write(|m| m.set_dju_reference(&station, dju))
    }

    /// kWh × DJU_ref / DJU_year, to the hundredth. Throws `MissingDju`.
    pub fn climate_corrected(
        &self,
        station: String,
        year: i32,
        kwh: Decimal,
    ) -> Result<Decimal, MutualisError> {
        self.read(|m| Ok(m.climate_corrected(&station, year, kwh)?))
    }

    /// Declares a building under the décret tertiaire. Throws
    /// `ReferenceYearTooEarly`, `UnknownAsset`, `InvalidField`.
    #[uniffi::method(default(absolute_threshold = None))]
    pub fn declare_tertiary_site(
        &self,
        building: String,
        activity: String,
        floor_area: Decimal,
        reference_year: i32,
        reference_kwh: Decimal,
        absolute_threshold: Option<Decimal>,
    ) -> Result<(), MutualisError> {
        let mut spec = me::NewTertiarySite::new(
            &building,
            &activity,
            floor_area,
            reference_year,
            reference_kwh,
        );
        spec.absolute_threshold = absolute_threshold;
        self.write(|m| m.declare_tertiary_site(spec))
    }

    /// A meter's consumption and cost in a year, sub-meters deducted.
    pub fn meter_year(&self, meter: String, year: i32) -> Result<MeterYear, MutualisError> {
        self.view(|_, r| {
            let y = r.meter_year(&meter, year)?;
            Ok(MeterYear {
                meter: y.meter,
                year: y.year,
                gross_kwh: y.gross_kwh,
                sub_meters_kwh: y.sub_meters_kwh,
                net_kwh: y.net_kwh,
                cost_ttc: y.cost_ttc,
            })
        })
    }

    /// An invoice split by calendar year, prorated by days.
    pub fn invoice_parts(
        &self,
        meter: String,
        number: String,
    ) -> Result<Vec<InvoicePart>, MutualisError> {
        self.read(|m| {
            Ok(m.invoice_parts(&meter, &number)?
                .into_iter()
                .map(|p| InvoicePart {
                    year: p.year,
                    start: p.from,
                    end: p.to,
                    days: p.days,
                    kwh: p.kwh,
                    ht: p.ht,
                    ttc: p.ttc,
                })
                .collect())
        })
    }

    /// A building's kWh and TTC of a year split between services by `key`
    /// (listed in key order).
    pub fn energy_allocation(
        &self,
        building: String,
        year: i32,
        key: HashMap<String, u64>,
    ) -> Result<Vec<EnergyShare>, MutualisError> {
        let mut k: Vec<(&str, u64)> = key.iter().map(|(a, w)| (a.as_str(), *w)).collect();
        k.sort_unstable();
        self.view(|_, r| {
            Ok(r.energy_allocation(&building, year, &k)?
                .iter()
                .map(share)
                .collect())
        })
    }

    /// An invoice split between the tenants paying for the meter's asset on its date.
    pub fn energy_invoice_tenants(
        &self,
        meter: String,
        number: String,
    ) -> Result<Vec<EnergyShare>, MutualisError> {
        self.view(|_, r| {
            Ok(r.energy_invoice_tenants(&meter, &number)?
                .iter()
                .map(share)
                .collect())
        })
    }

    /// The décret tertiaire status of a site in a year. Throws `MissingDju`.
    pub fn tertiary_status(
        &self,
        building: String,
        year: i32,
    ) -> Result<TertiaryStatus, MutualisError> {
        self.view(|_, r| {
            let s = r.tertiary_status(&building, year)?;
            Ok(TertiaryStatus {
                building: s.building,
                year: s.year,
                raw_kwh: s.raw_kwh,
                adjusted_kwh: s.adjusted_kwh,
                milestone: s.milestone,
                target_kwh: s.target_kwh,
                gap_kwh: s.gap_kwh,
                reduction: s.reduction,
            })
        })
    }

    /// The OPERAT-shaped CSV of the declared sites for a year.
    pub fn operat_csv(&self, year: i32) -> Result<String, MutualisError> {
        self.read(|m| Ok(m.operat_csv(year)?))
    }

    /// The energy dashboard of a year, per asset and energy (a principal:
    /// the assets it reads).
    pub fn energy_dashboard(&self, year: i32) -> Result<Vec<EnergyDashboardRow>, MutualisError> {
        self.view(|_, r| {
            r.energy_dashboard(year)?
                .into_iter()
                .map(TryInto::try_into)
                .collect()
        })
    }

    /// The months of a meter deviating from the same month of previous
    /// years by more than `threshold` (a fraction: 0.30 for 30 %).
    pub fn energy_anomalies(
        &self,
        meter: String,
        threshold: Decimal,
    ) -> Result<Vec<EnergyAnomaly>, MutualisError> {
        self.view(|_, r| {
            Ok(r.energy_anomalies(&meter, threshold)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Consumption and cost of a year per paying tenant, service and
    /// energy (a principal: the meters it reads).
    pub fn energy_by_service(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>, MutualisError> {
        self.view(|_, r| {
            r.energy_by_service(year)?
                .into_iter()
                .map(TryInto::try_into)
                .collect()
        })
    }

    /// Consumption and cost of a year per paying tenant and energy (a
    /// principal: the meters it reads).
    pub fn energy_by_tenant(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>, MutualisError> {
        self.view(|_, r| {
            r.energy_by_tenant(year)?
                .into_iter()
                .map(TryInto::try_into)
                .collect()
        })
    }
}
