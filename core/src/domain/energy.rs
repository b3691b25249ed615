//! Énergies: meters and delivery points on assets, index readings, supplier
//! invoices, climate correction by degree days (DJU), the décret tertiaire
//! trajectory, anomalies and dashboards (docs/energy.md, DOMAIN §7).
//!
//! A meter is on an asset (a building, a floor, a room); it measures one
//! energy in one unit; a sub-meter names its parent, whose remainder is its
//! own consumption minus its sub-meters'. Consumption in final-energy kWh is
//! the quantity × the conversion coefficient in force (kWh meters: 1; gas:
//! the PCS coefficient of the invoice or, failing it, the one set for the
//! meter on or before the invoice's last day).
//!
//! ```
//! use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter};
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_asset(NewAsset::new("MAIRIE", "Hôtel de ville", AssetKind::Building, "ROANNE", d(1990, 1, 1))).unwrap();
//! m.add_meter(NewMeter::new("ELEC-1", "MAIRIE", EnergySource::Electricity, EnergyUnit::Kwh)
//!     .delivery_point("30001234567890")).unwrap();
//! m.record_energy_invoice(NewEnergyInvoice::new("ELEC-1", "F-1", d(2026, 3, 5), d(2025, 12, 1), d(2026, 2, 28),
//!     dec!(9000), EnergyUnit::Kwh, dec!(100.00), dec!(928.80), dec!(205.76))).unwrap();
//! let parts = m.invoice_parts("ELEC-1", "F-1").unwrap();
//! assert_eq!((parts[0].kwh, parts[1].kwh), (dec!(3100), dec!(5900)));
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::kinds::named_enum;
use crate::Mutualis;

mod analysis;
mod dataset;
pub mod events;
mod ledger;
mod tertiary;

pub use analysis::{EnergyAnomaly, EnergyBreakdownRow, EnergyDashboardRow, EnergyShare, MeterYear};
pub(crate) use dataset::EnergyRecords;
pub use events::EnergyEvent;
pub use tertiary::TertiaryStatus;

named_enum! {
    /// The energy a meter measures.
    pub enum EnergySource as "energy source" {
        /// Electricity (delivery point: PDL/PRM, 14 digits).
        Electricity = "electricity",
        /// Natural gas (delivery point: PCE, 14 digits or `GI` + 6 digits).
        Gas = "gas",
        /// Water.
        Water = "water",
        /// A heating network.
        HeatingNetwork = "heating_network",
        /// Fuel oil.
        FuelOil = "fuel_oil",
        /// Wood (logs, pellets, chips).
        Wood = "wood",
    }
}

named_enum! {
    /// The unit a meter counts in.
    pub enum EnergyUnit as "energy unit" {
        /// Kilowatt-hours.
        Kwh = "kwh",
        /// Cubic metres.
        M3 = "m3",
        /// Litres.
        Litre = "litre",
    }
}

/// The décret tertiaire milestones: (year, reduction from the reference).
pub const MILESTONES: [(i32, Decimal); 3] = [
    (2030, Decimal::from_parts(40, 0, 0, false, 2)),
    (2040, Decimal::from_parts(50, 0, 0, false, 2)),
    (2050, Decimal::from_parts(60, 0, 0, false, 2)),
];

/// The smallest tertiary floor area the décret tertiaire applies to (m²,
/// CCH R174-22).
pub const TERTIARY_MIN_AREA: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// The earliest reference year (CCH R174-23: 2010 or later).
pub const EARLIEST_REFERENCE_YEAR: i32 = 2010;

/// A meter to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeter {
    /// Code, unique.
    pub code: String,
    /// The asset it serves (asset code).
    pub asset: String,
    /// Energy.
    pub source: EnergySource,
    /// Unit of its index and of its invoices.
    pub unit: EnergyUnit,
    /// Delivery point (PDL/PRM for electricity, PCE for gas).
    pub delivery_point: Option<String>,
    /// The main meter it is a sub-meter of (meter code).
    pub parent: Option<String>,
    /// The weather station whose degree days correct its consumption
    /// (heating); none: not climate-corrected.
    pub station: Option<String>,
}

impl NewMeter {
    /// A main meter without delivery point, not climate-corrected.
    #[must_use]
    pub fn new(code: &str, asset: &str, source: EnergySource, unit: EnergyUnit) -> NewMeter {
        NewMeter {
            code: code.to_owned(),
            asset: asset.to_owned(),
            source,
            unit,
            delivery_point: None,
            parent: None,
            station: None,
        }
    }

    /// With its delivery point (PDL/PRM, PCE).
    #[must_use]
    pub fn delivery_point(mut self, number: &str) -> NewMeter {
        self.delivery_point = Some(number.to_owned());
        self
    }

    /// As a sub-meter of `parent`.
    #[must_use]
    pub fn under(mut self, parent: &str) -> NewMeter {
        self.parent = Some(parent.to_owned());
        self
    }

    /// Heating corrected by the degree days of `station`.
    #[must_use]
    pub fn heating(mut self, station: &str) -> NewMeter {
        self.station = Some(station.to_owned());
        self
    }
}

/// A meter of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meter {
    /// Code.
    pub code: String,
    /// Asset.
    pub asset: AssetId,
    /// Energy.
    pub source: EnergySource,
    /// Unit.
    pub unit: EnergyUnit,
    /// Delivery point, normalised (no spaces).
    pub delivery_point: Option<String>,
    /// Parent meter (index in the register).
    pub parent: Option<usize>,
    /// Weather station for climate correction.
    pub station: Option<String>,
}

/// An index reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Date read.
    pub date: NaiveDate,
    /// Index read (for a replacement: the old meter's final index).
    pub index: Decimal,
    /// For a replacement: the new meter's first index, from which the
    /// next readings count.
    pub new_index: Option<Decimal>,
}

impl Reading {
    /// The index the next reading counts from.
    #[must_use]
    pub fn base(&self) -> Decimal {
        self.new_index.unwrap_or(self.index)
    }
}

/// A supplier invoice to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnergyInvoice {
    /// Meter code.
    pub meter: String,
    /// Invoice number, unique per meter.
    pub number: String,
    /// Invoice date.
    pub date: NaiveDate,
    /// First day of the period billed.
    pub from: NaiveDate,
    /// Last day of the period billed.
    pub to: NaiveDate,
    /// Consumption billed, in `unit` (≥ 0).
    pub consumption: Decimal,
    /// Unit of the consumption (must be the meter's).
    pub unit: EnergyUnit,
    /// Subscription part, HT (cents).
    pub subscription_ht: Decimal,
    /// Consumption part, HT (cents).
    pub consumption_ht: Decimal,
    /// VAT (cents).
    pub vat: Decimal,
    /// Conversion coefficient to kWh of this invoice (gas PCS), if given.
    pub factor: Option<Decimal>,
}

impl NewEnergyInvoice {
    /// An invoice without its own conversion coefficient.
    #[allow(clippy::too_many_arguments)]
    #[must_use]
    pub fn new(
        meter: &str,
        number: &str,
        date: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        consumption: Decimal,
        unit: EnergyUnit,
        subscription_ht: Decimal,
        consumption_ht: Decimal,
        vat: Decimal,
    ) -> NewEnergyInvoice {
        NewEnergyInvoice {
            meter: meter.to_owned(),
            number: number.to_owned(),
            date,
            from,
            to,
            consumption,
            unit,
            subscription_ht,
            consumption_ht,
            vat,
            factor: None,
        }
    }

    /// With its own kWh conversion coefficient (gas PCS).
    #[must_use]
    pub fn with_factor(mut self, factor: Decimal) -> NewEnergyInvoice {
        self.factor = Some(factor);
        self
    }
}

/// An invoice of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyInvoice {
    /// Meter (index in the register).
    pub meter: usize,
    /// Number.
    pub number: String,
    /// Invoice date.
    pub date: NaiveDate,
    /// First day billed.
    pub from: NaiveDate,
    /// Last day billed.
    pub to: NaiveDate,
    /// Consumption in the meter's unit.
    pub consumption: Decimal,
    /// Subscription HT.
    pub subscription_ht: Decimal,
    /// Consumption part HT.
    pub consumption_ht: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Own conversion coefficient.
    pub factor: Option<Decimal>,
}

impl EnergyInvoice {
    /// HT total (subscription + consumption).
    #[must_use]
    pub fn ht(&self) -> Decimal {
        self.subscription_ht + self.consumption_ht
    }

    /// TTC total (HT + VAT).
    #[must_use]
    pub fn ttc(&self) -> Decimal {
        self.ht() + self.vat
    }

    /// Days billed (both ends included).
    #[must_use]
    pub fn days(&self) -> u32 {
        days_incl(self.from, self.to)
    }
}

/// The part of an invoice in one calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePart {
    /// Year.
    pub year: i32,
    /// First day in the year.
    pub from: NaiveDate,
    /// Last day in the year.
    pub to: NaiveDate,
    /// Days in the year.
    pub days: u32,
    /// kWh (final energy) of the part: to the kWh, the last part taking the remainder.
    pub kwh: Decimal,
    /// HT of the part, to the cent, the last part taking the remainder.
    pub ht: Decimal,
    /// TTC of the part, to the cent, the last part taking the remainder.
    pub ttc: Decimal,
}

/// A building declared under the décret tertiaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTertiarySite {
    /// Building (asset code): its meters and those below it count.
    pub building: String,
    /// Activity (OPERAT category, as data: `bureaux`, `enseignement`…).
    pub activity: String,
    /// Tertiary floor area (m², ≥ 1 000).
    pub floor_area: Decimal,
    /// Reference year (≥ 2010).
    pub reference_year: i32,
    /// Its climate-adjusted consumption (kWh).
    pub reference_kwh: Decimal,
    /// Absolute threshold (kWh/m²/year) for the activity, instead of the
    /// relative trajectory.
    pub absolute_threshold: Option<Decimal>,
}

impl NewTertiarySite {
    /// A site on the relative trajectory.
    #[must_use]
    pub fn new(
        building: &str,
        activity: &str,
        floor_area: Decimal,
        reference_year: i32,
        reference_kwh: Decimal,
    ) -> NewTertiarySite {
        NewTertiarySite {
            building: building.to_owned(),
            activity: activity.to_owned(),
            floor_area,
            reference_year,
            reference_kwh,
            absolute_threshold: None,
        }
    }
}

/// A declared site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TertiarySite {
    /// Building.
    pub building: AssetId,
    /// Activity.
    pub activity: String,
    /// Floor area.
    pub floor_area: Decimal,
    /// Reference year.
    pub reference_year: i32,
    /// Reference adjusted consumption.
    pub reference_kwh: Decimal,
    /// Absolute threshold (kWh/m²/year).
    pub absolute_threshold: Option<Decimal>,
}

/// An in-place change of the energy state to revert (see `crate::undo`).
#[derive(Debug, Clone)]
pub(crate) enum EnergyUndo {
    /// A meter was added (the last one).
    MeterAdded,
    /// A reading was pushed on a meter.
    Reading { at: usize },
    /// A conversion coefficient was set (its old value).
    Conversion {
        at: usize,
        from: NaiveDate,
        old: Option<Decimal>,
    },
    /// An invoice was added (the last one).
    Invoice,
    /// A DJU value was set (its old value).
    Dju {
        station: String,
        year: i32,
        old: Option<Decimal>,
    },
    /// A reference DJU was set (its old value).
    DjuReference {
        station: String,
        old: Option<Decimal>,
    },
    /// A site was declared (the last one).
    Site,
}

/// The energy state.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Energy {
    meters: Vec<Meter>,
    meter_index: HashMap<String, usize>,
    /// Per meter: sub-meters.
    children: Vec<Vec<usize>>,
    /// Per meter: readings in date order.
    readings: Vec<Vec<Reading>>,
    /// Per meter: conversion coefficients by first day.
    conversions: Vec<BTreeMap<NaiveDate, Decimal>>,
    /// Per meter: its invoices (indices), in the order recorded.
    by_meter: Vec<Vec<usize>>,
    /// Per meter: invoice number → invoice index (the uniqueness check and
    /// the lookup by number in one hash probe).
    numbers: Vec<HashMap<String, usize>>,
    invoices: Vec<EnergyInvoice>,
    /// Degree days: station → year → DJU.
    dju: BTreeMap<String, BTreeMap<i32, Decimal>>,
    /// Reference DJU per station.
    dju_ref: BTreeMap<String, Decimal>,
    sites: Vec<TertiarySite>,
}

impl Energy {
    /// The index of meter `at`'s invoice `number`.
    pub(crate) fn invoice_number(&self, at: usize, number: &str) -> Option<usize> {
        self.numbers.get(at)?.get(number).copied()
    }

    pub(crate) fn undo(&mut self, u: EnergyUndo) {
        match u {
            EnergyUndo::MeterAdded => {
                if let Some(mt) = self.meters.pop() {
                    self.meter_index.remove(&mt.code);
                    self.children.pop();
                    self.readings.pop();
                    self.conversions.pop();
                    self.by_meter.pop();
                    self.numbers.pop();
                    if let Some(p) = mt.parent {
                        if let Some(c) = self.children.get_mut(p) {
                            c.pop();
                        }
                    }
                }
            }
            EnergyUndo::Reading { at } => {
                if let Some(r) = self.readings.get_mut(at) {
                    r.pop();
                }
            }
            EnergyUndo::Conversion { at, from, old } => {
                if let Some(c) = self.conversions.get_mut(at) {
                    match old {
                        Some(v) => {
                            c.insert(from, v);
                        }
                        None => {
                            c.remove(&from);
                        }
                    }
                }
            }
            EnergyUndo::Invoice => {
                if let Some(inv) = self.invoices.pop() {
                    if let Some(v) = self.by_meter.get_mut(inv.meter) {
                        v.pop();
                    }
                    if let Some(n) = self.numbers.get_mut(inv.meter) {
                        n.remove(&inv.number);
                    }
                }
            }
            EnergyUndo::Dju { station, year, old } => {
                let s = self.dju.entry(station.clone()).or_default();
                match old {
                    Some(v) => {
                        s.insert(year, v);
                    }
                    None => {
                        s.remove(&year);
                        if s.is_empty() {
                            self.dju.remove(&station);
                        }
                    }
                }
            }
            EnergyUndo::DjuReference { station, old } => match old {
                Some(v) => {
                    self.dju_ref.insert(station, v);
                }
                None => {
                    self.dju_ref.remove(&station);
                }
            },
            EnergyUndo::Site => {
                self.sites.pop();
            }
        }
    }
}

/// Checks a delivery point: PDL/PRM (electricity) is 14 digits; PCE (gas)
/// is 14 digits or `GI` + 6 digits. Spaces are ignored; gives the number
/// normalised.
///
/// ```
/// use mutualis::energy::{check_delivery_point, EnergySource};
/// assert_eq!(check_delivery_point(EnergySource::Electricity, "300 0123 4567 890").unwrap(), "30001234567890");
/// assert!(check_delivery_point(EnergySource::Electricity, "3000123456789").is_err());
/// assert!(check_delivery_point(EnergySource::Gas, "GI123456").is_ok());
/// ```
///
/// Errors: [`Error::InvalidDeliveryPoint`].
pub fn check_delivery_point(source: EnergySource, value: &str) -> Result<String> {
    let n: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = |reason: &str| Error::InvalidDeliveryPoint {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let digits14 = n.len() == 14 && n.bytes().all(|b| b.is_ascii_digit());
    match source {
        EnergySource::Electricity if !digits14 => Err(bad("a PDL/PRM is 14 digits")),
        EnergySource::Gas => {
            let gi = n.len() == 8
                && n.starts_with("GI")
                && n.bytes().skip(2).all(|b| b.is_ascii_digit());
            if digits14 || gi {
                Ok(n)
            } else {
                Err(bad("a PCE is 14 digits or GI and 6 digits"))
            }
        }
        _ if n.is_empty() => Err(bad("empty")),
        _ => Ok(n),
    }
}

/// Days from `a` to `b`, both included (0 when `b < a`).
pub(crate) fn days_incl(a: NaiveDate, b: NaiveDate) -> u32 {
    u32::try_from((b - a).num_days() + 1).unwrap_or(0)
}

/// Rounds to 2 decimals, half away from zero.
pub(crate) fn round2(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn nonnegative(field: &'static str, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::NegativeConsumption { field, value: v });
    }
    Ok(())
}

fn amount(field: &'static str, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::NegativeAmount { field, amount: v });
    }
    crate::money::to_cents(v)?;
    Ok(())
}

impl Mutualis {
    pub(crate) fn meter_at(&self, code: &str) -> Result<usize> {
        self.energy
            .meter_index
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownMeter(code.to_owned()))
    }

    fn energy_undo(&mut self, u: EnergyUndo) {
        self.push_undo(crate::undo::Undo::Energy(u));
    }

    fn energy_log(&mut self, asset: Option<AssetId>, e: EnergyEvent) {
        let t = asset.and_then(|a| self.owner_code(a));
        self.log(t, e);
    }

    /// Adds a meter on an asset.
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`], [`Error::UnknownAsset`],
    /// [`Error::DuplicateMeter`], [`Error::InvalidDeliveryPoint`],
    /// [`Error::UnknownMeter`] (parent), [`Error::UnitMismatch`] (a
    /// sub-meter of another energy or unit than its parent's),
    /// [`Error::InvalidField`] (empty station).
    pub fn add_meter(&mut self, spec: NewMeter) -> Result<()> {
        crate::identity::check_code("meter", &spec.code)?;
        let asset = self.asset_id(&spec.asset)?;
        if self.energy.meter_index.contains_key(&spec.code) {
            return Err(Error::DuplicateMeter(spec.code));
        }
        let delivery_point = match &spec.delivery_point {
            Some(p) => Some(check_delivery_point(spec.source, p)?),
            None => None,
        };
        let parent = match &spec.parent {
            Some(p) => {
                let at = self.meter_at(p)?;
                let pm = &self.energy.meters[at];
                if pm.unit != spec.unit || pm.source != spec.source {
                    return Err(Error::UnitMismatch {
                        meter: p.clone(),
                        expected: format!("{} {}", pm.source, pm.unit),
                        given: format!("{} {}", spec.source, spec.unit),
                    });
                }
                Some(at)
            }
            None => None,
        };
        if spec.station.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(Error::InvalidField {
                field: "station",
                reason: "empty".into(),
            });
        }
        let e = &mut self.energy;
        let at = e.meters.len();
        e.meters.push(Meter {
            code: spec.code.clone(),
            asset,
            source: spec.source,
            unit: spec.unit,
            delivery_point,
            parent,
            station: spec.station.clone(),
        });
        e.meter_index.insert(spec.code.clone(), at);
        e.children.push(Vec::new());
        e.readings.push(Vec::new());
        e.conversions.push(BTreeMap::new());
        e.by_meter.push(Vec::new());
        e.numbers.push(HashMap::new());
        if let Some(p) = parent {
            e.children[p].push(at);
        }
        self.energy_undo(EnergyUndo::MeterAdded);
        self.energy_log(Some(asset), EnergyEvent::MeterAdded { meter: spec.into() });
        Ok(())
    }

    /// The meters, in the order added.
    #[must_use]
    pub fn meters(&self) -> &[Meter] {
        &self.energy.meters
    }

    /// One meter.
    ///
    /// Errors: [`Error::UnknownMeter`].
    pub fn meter(&self, code: &str) -> Result<&Meter> {
        Ok(&self.energy.meters[self.meter_at(code)?])
    }

    /// Records an index reading; with `new_index`, the meter was replaced
    /// that day: `index` is the old meter's final index and the next
    /// readings count from `new_index`.
    ///
    /// Errors (nothing changes): [`Error::UnknownMeter`],
    /// [`Error::YearOutOfRange`], [`Error::NegativeConsumption`] (a
    /// negative index), [`Error::IndexBelowLast`] (an index below the last
    /// one counted from), [`Error::InvalidField`] (a date not after the
    /// last reading's).
    pub fn record_reading(
        &mut self,
        meter: &str,
        date: NaiveDate,
        index: Decimal,
        new_index: Option<Decimal>,
    ) -> Result<()> {
        let at = self.meter_at(meter)?;
        crate::period::check_date("date", date)?;
        nonnegative("index", index)?;
        if let Some(n) = new_index {
            nonnegative("new_index", n)?;
        }
        if let Some(last) = self.energy.readings[at].last() {
            if date <= last.date {
                return Err(Error::InvalidField {
                    field: "date",
                    reason: format!(
                        "{date} is not after the last reading of {meter} ({})",
                        last.date
                    ),
                });
            }
            if index < last.base() {
                return Err(Error::IndexBelowLast {
                    meter: meter.to_owned(),
                    index,
                    date,
                    last: last.base(),
                    last_date: last.date,
                });
            }
        }
        self.energy.readings[at].push(Reading {
            date,
            index,
            new_index,
        });
        self.energy_undo(EnergyUndo::Reading { at });
        let asset = self.energy.meters[at].asset;
        self.energy_log(
            Some(asset),
            EnergyEvent::ReadingRecorded {
                meter: meter.to_owned(),
                date,
                index,
                new_index,
            },
        );
        Ok(())
    }

    /// A meter's readings, in date order.
    ///
    /// Errors: [`Error::UnknownMeter`].
    pub fn readings(&self, meter: &str) -> Result<&[Reading]> {
        Ok(&self.energy.readings[self.meter_at(meter)?])
    }

    /// Sets the coefficient converting a meter's unit to final-energy kWh
    /// from `from` on (gas: the PCS coefficient, ~11 kWh/m³).
    ///
    /// Errors (nothing changes): [`Error::UnknownMeter`],
    /// [`Error::YearOutOfRange`], [`Error::InvalidField`] (not > 0).
    pub fn set_conversion(&mut self, meter: &str, from: NaiveDate, factor: Decimal) -> Result<()> {
        let at = self.meter_at(meter)?;
        crate::period::check_date("from", from)?;
        if factor <= Decimal::ZERO {
            return Err(Error::InvalidField {
                field: "factor",
                reason: format!("{factor} is not > 0"),
            });
        }
        let old = self.energy.conversions[at].insert(from, factor);
        self.energy_undo(EnergyUndo::Conversion { at, from, old });
        let asset = self.energy.meters[at].asset;
        self.energy_log(
            Some(asset),
            EnergyEvent::ConversionSet {
                meter: meter.to_owned(),
                from,
                factor,
            },
        );
        Ok(())
    }

    /// The coefficient to kWh of meter `at` on `date` (1 for a kWh meter
    /// without coefficient; none for another unit without one).
    pub(crate) fn factor_on(&self, at: usize, date: NaiveDate) -> Option<Decimal> {
        let c = &self.energy.conversions[at];
        match c.range(..=date).next_back() {
            Some((_, f)) => Some(*f),
            None if self.energy.meters[at].unit == EnergyUnit::Kwh => Some(Decimal::ONE),
            None => None,
        }
    }

    /// Records a supplier invoice.
    ///
    /// Errors (nothing changes): [`Error::UnknownMeter`],
    /// [`Error::UnitMismatch`], [`Error::NegativeConsumption`],
    /// [`Error::NegativeAmount`], [`Error::SubCentAmount`],
    /// [`Error::YearOutOfRange`], [`Error::DatesOutOfOrder`],
    /// [`Error::InvalidField`] (empty or duplicate number, a factor not >
    /// 0, no conversion to kWh for a meter not in kWh).
    pub fn record_energy_invoice(&mut self, spec: NewEnergyInvoice) -> Result<()> {
        let at = self.meter_at(&spec.meter)?;
        let mt = &self.energy.meters[at];
        if spec.unit != mt.unit {
            return Err(Error::UnitMismatch {
                meter: spec.meter.clone(),
                expected: mt.unit.as_str().to_owned(),
                given: spec.unit.as_str().to_owned(),
            });
        }
        crate::period::check_date("date", spec.date)?;
        crate::Period::new(spec.from, Some(spec.to))?;
        nonnegative("consumption", spec.consumption)?;
        amount("subscription_ht", spec.subscription_ht)?;
        amount("consumption_ht", spec.consumption_ht)?;
        amount("vat", spec.vat)?;
        if spec.number.trim().is_empty() {
            return Err(Error::InvalidField {
                field: "number",
                reason: "empty".into(),
            });
        }
        if self.energy.numbers[at].contains_key(&spec.number) {
            return Err(Error::InvalidField {
                field: "number",
                reason: format!("invoice {} of {} already recorded", spec.number, spec.meter),
            });
        }
        match spec.factor {
            Some(f) if f <= Decimal::ZERO => {
                return Err(Error::InvalidField {
                    field: "factor",
                    reason: format!("{f} is not > 0"),
                })
            }
            None if self.factor_on(at, spec.to).is_none() => {
                return Err(Error::InvalidField {
                    field: "factor",
                    reason: format!(
                        "no conversion of {} to kWh on {}: give the invoice's or set one",
                        spec.meter, spec.to
                    ),
                })
            }
            _ => {}
        }
        let i = self.energy.invoices.len();
        self.energy.invoices.push(EnergyInvoice {
            meter: at,
            number: spec.number.clone(),
            date: spec.date,
            from: spec.from,
            to: spec.to,
            consumption: spec.consumption,
            subscription_ht: spec.subscription_ht,
            consumption_ht: spec.consumption_ht,
            vat: spec.vat,
            factor: spec.factor,
        });
        self.energy.by_meter[at].push(i);
        self.energy.numbers[at].insert(spec.number.clone(), i);
        self.energy_undo(EnergyUndo::Invoice);
        let asset = self.energy.meters[at].asset;
        self.energy_log(
            Some(asset),
            EnergyEvent::InvoiceRecorded {
                invoice: spec.into(),
            },
        );
        Ok(())
    }

    /// A meter's invoices, in the order recorded.
    ///
    /// Errors: [`Error::UnknownMeter`].
    pub fn energy_invoices(&self, meter: &str) -> Result<Vec<&EnergyInvoice>> {
        let at = self.meter_at(meter)?;
        Ok(self.energy.by_meter[at]
            .iter()
            .map(|&i| &self.energy.invoices[i])
            .collect())
    }

    /// Sets the degree days (DJU) of a weather station for a year.
    ///
    /// Errors (nothing changes): [`Error::InvalidField`] (empty station,
    /// DJU not > 0), [`Error::YearOutOfRange`].
    pub fn set_dju(&mut self, station: &str, year: i32, dju: Decimal) -> Result<()> {
        check_station(station, dju)?;
        crate::period::check_year("year", year)?;
        let old = self
            .energy
            .dju
            .entry(station.to_owned())
            .or_default()
            .insert(year, dju);
        self.energy_undo(EnergyUndo::Dju {
            station: station.to_owned(),
            year,
            old,
        });
        self.energy_log(
            None,
            EnergyEvent::DjuSet {
                station: station.to_owned(),
                year,
                dju,
            },
        );
        Ok(())
    }

    /// Sets the reference degree days of a station (the normal the
    /// consumption is corrected to).
    ///
    /// Errors (nothing changes): [`Error::InvalidField`] (empty station,
    /// DJU not > 0).
    pub fn set_dju_reference(&mut self, station: &str, dju: Decimal) -> Result<()> {
        check_station(station, dju)?;
        let old = self.energy.dju_ref.insert(station.to_owned(), dju);
        self.energy_undo(EnergyUndo::DjuReference {
            station: station.to_owned(),
            old,
        });
        self.energy_log(
            None,
            EnergyEvent::DjuReferenceSet {
                station: station.to_owned(),
                dju,
            },
        );
        Ok(())
    }

    /// Corrects a heating consumption of `year` by the degree days of
    /// `station`: kWh × DJU_ref / DJU_year, rounded half away from zero to
    /// the hundredth of kWh.
    ///
    /// ```
    /// use mutualis::Mutualis;
    /// use rust_decimal_macros::dec;
    /// let mut m = Mutualis::new();
    /// m.set_dju("ROANNE", 2026, dec!(2100)).unwrap();
    /// m.set_dju_reference("ROANNE", dec!(2400)).unwrap();
    /// assert_eq!(m.climate_corrected("ROANNE", 2026, dec!(120000)).unwrap(), dec!(137142.86));
    /// ```
    ///
    /// Errors: [`Error::MissingDju`] (no value for the year, or no reference).
    pub fn climate_corrected(&self, station: &str, year: i32, kwh: Decimal) -> Result<Decimal> {
        let y = self
            .energy
            .dju
            .get(station)
            .and_then(|s| s.get(&year))
            .copied()
            .ok_or_else(|| Error::MissingDju {
                station: station.to_owned(),
                year: Some(year),
            })?;
        let r = self
            .energy
            .dju_ref
            .get(station)
            .copied()
            .ok_or_else(|| Error::MissingDju {
                station: station.to_owned(),
                year: None,
            })?;
        Ok(round2(kwh * r / y))
    }
}

fn check_station(station: &str, dju: Decimal) -> Result<()> {
    if station.trim().is_empty() {
        return Err(Error::InvalidField {
            field: "station",
            reason: "empty".into(),
        });
    }
    if dju <= Decimal::ZERO {
        return Err(Error::InvalidField {
            field: "dju",
            reason: format!("{dju} is not > 0"),
        });
    }
    Ok(())
}

/// The calendar years `from..=to` meets, with each year's first and last day in it.
pub(crate) fn year_slices(
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = (i32, NaiveDate, NaiveDate)> {
    (from.year()..=to.year()).filter_map(move |y| {
        let a = NaiveDate::from_ymd_opt(y, 1, 1)?.max(from);
        let b = NaiveDate::from_ymd_opt(y, 12, 31)?.min(to);
        Some((y, a, b))
    })
}
