//! The events of the energy domain: meters, readings, conversions,
//! invoices, degree days and décret tertiaire sites.
//!
//! [`MeterV1`], [`InvoiceV1`] and [`SiteV1`] are the stored forms of
//! [`NewMeter`], [`NewEnergyInvoice`] and [`NewTertiarySite`] (see
//! [`crate::journal`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter, NewTertiarySite};
use crate::error::Result;
use crate::Mutualis;

/// An event of the energy domain (wrapped by [`crate::Event::Energy`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EnergyEvent {
    /// A meter was added.
    MeterAdded {
        /// The meter.
        meter: MeterV1,
    },
    /// An index was read (or a meter replaced).
    ReadingRecorded {
        /// Meter code.
        meter: String,
        /// Date.
        date: NaiveDate,
        /// Index (the old meter's final index on a replacement).
        index: Decimal,
        /// The new meter's first index, on a replacement.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_index: Option<Decimal>,
    },
    /// A conversion coefficient to kWh was set.
    ConversionSet {
        /// Meter code.
        meter: String,
        /// First day.
        from: NaiveDate,
        /// kWh per unit.
        factor: Decimal,
    },
    /// A supplier invoice was recorded.
    InvoiceRecorded {
        /// The invoice.
        invoice: InvoiceV1,
    },
    /// Degree days of a station for a year were set.
    DjuSet {
        /// Weather station.
        station: String,
        /// Year.
        year: i32,
        /// DJU.
        dju: Decimal,
    },
    /// The reference degree days of a station were set.
    DjuReferenceSet {
        /// Weather station.
        station: String,
        /// DJU.
        dju: Decimal,
    },
    /// A building was declared under the décret tertiaire.
    TertiarySiteDeclared {
        /// The site.
        site: SiteV1,
    },
}

/// The stored form of a [`NewMeter`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeterV1 {
    /// Code.
    pub code: String,
    /// Asset code.
    pub asset: String,
    /// Energy.
    pub source: EnergySource,
    /// Unit.
    pub unit: EnergyUnit,
    /// Delivery point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_point: Option<String>,
    /// Parent meter code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Weather station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
}

impl From<NewMeter> for MeterV1 {
    fn from(m: NewMeter) -> MeterV1 {
        MeterV1 {
            code: m.code,
            asset: m.asset,
            source: m.source,
            unit: m.unit,
            delivery_point: m.delivery_point,
            parent: m.parent,
            station: m.station,
        }
    }
}

impl From<MeterV1> for NewMeter {
    fn from(m: MeterV1) -> NewMeter {
        NewMeter {
            code: m.code,
            asset: m.asset,
            source: m.source,
            unit: m.unit,
            delivery_point: m.delivery_point,
            parent: m.parent,
            station: m.station,
        }
    }
}

/// The stored form of a [`NewEnergyInvoice`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceV1 {
    /// Meter code.
    pub meter: String,
    /// Number.
    pub number: String,
    /// Invoice date.
    pub date: NaiveDate,
    /// First day billed.
    pub from: NaiveDate,
    /// Last day billed.
    pub to: NaiveDate,
    /// Consumption.
    pub consumption: Decimal,
    /// Unit.
    pub unit: EnergyUnit,
    /// Subscription HT.
    pub subscription_ht: Decimal,
    /// Consumption part HT.
    pub consumption_ht: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Own conversion coefficient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<Decimal>,
}

impl From<NewEnergyInvoice> for InvoiceV1 {
    fn from(i: NewEnergyInvoice) -> InvoiceV1 {
        InvoiceV1 {
            meter: i.meter,
            number: i.number,
            date: i.date,
            from: i.from,
            to: i.to,
            consumption: i.consumption,
            unit: i.unit,
            subscription_ht: i.subscription_ht,
            consumption_ht: i.consumption_ht,
            vat: i.vat,
            factor: i.factor,
        }
    }
}

impl From<InvoiceV1> for NewEnergyInvoice {
    fn from(i: InvoiceV1) -> NewEnergyInvoice {
        NewEnergyInvoice {
            meter: i.meter,
            number: i.number,
            date: i.date,
            from: i.from,
            to: i.to,
            consumption: i.consumption,
            unit: i.unit,
            subscription_ht: i.subscription_ht,
            consumption_ht: i.consumption_ht,
            vat: i.vat,
            factor: i.factor,
        }
    }
}

/// The stored form of a [`NewTertiarySite`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteV1 {
    /// Building code.
    pub building: String,
    /// Activity.
    pub activity: String,
    /// Floor area.
    pub floor_area: Decimal,
    /// Reference year.
    pub reference_year: i32,
    /// Reference adjusted consumption.
    pub reference_kwh: Decimal,
    /// Absolute threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_threshold: Option<Decimal>,
}

impl From<NewTertiarySite> for SiteV1 {
    fn from(s: NewTertiarySite) -> SiteV1 {
        SiteV1 {
            building: s.building,
            activity: s.activity,
            floor_area: s.floor_area,
            reference_year: s.reference_year,
            reference_kwh: s.reference_kwh,
            absolute_threshold: s.absolute_threshold,
        }
    }
}

impl From<SiteV1> for NewTertiarySite {
    fn from(s: SiteV1) -> NewTertiarySite {
        NewTertiarySite {
            building: s.building,
            activity: s.activity,
            floor_area: s.floor_area,
            reference_year: s.reference_year,
            reference_kwh: s.reference_kwh,
            absolute_threshold: s.absolute_threshold,
        }
    }
}

impl EnergyEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "meter_added",
        "reading_recorded",
        "conversion_set",
        "invoice_recorded",
        "dju_set",
        "dju_reference_set",
        "tertiary_site_declared",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            EnergyEvent::MeterAdded { .. }
            | EnergyEvent::ReadingRecorded { .. }
            | EnergyEvent::ConversionSet { .. }
            | EnergyEvent::InvoiceRecorded { .. }
            | EnergyEvent::DjuSet { .. }
            | EnergyEvent::DjuReferenceSet { .. }
            | EnergyEvent::TertiarySiteDeclared { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            EnergyEvent::MeterAdded { meter } => {
                vec![("meter", &meter.code), ("asset", &meter.asset)]
            }
            EnergyEvent::ReadingRecorded { meter, .. }
            | EnergyEvent::ConversionSet { meter, .. } => {
                vec![("meter", meter)]
            }
            EnergyEvent::InvoiceRecorded { invoice } => vec![("meter", &invoice.meter)],
            EnergyEvent::DjuSet { .. } | EnergyEvent::DjuReferenceSet { .. } => Vec::new(),
            EnergyEvent::TertiarySiteDeclared { site } => vec![("asset", &site.building)],
        }
    }

    /// The meter this event names, if any, else the asset; and the date it
    /// is judged on.
    pub(crate) fn target_and_date(&self) -> (Option<&str>, Option<&str>, Option<NaiveDate>) {
        match self {
            EnergyEvent::MeterAdded { meter } => (None, Some(&meter.asset), None),
            EnergyEvent::ReadingRecorded { meter, date, .. } => (Some(meter), None, Some(*date)),
            EnergyEvent::ConversionSet { meter, from, .. } => (Some(meter), None, Some(*from)),
            EnergyEvent::InvoiceRecorded { invoice } => {
                (Some(&invoice.meter), None, Some(invoice.date))
            }
            EnergyEvent::DjuSet { .. } | EnergyEvent::DjuReferenceSet { .. } => (None, None, None),
            EnergyEvent::TertiarySiteDeclared { site } => (None, Some(&site.building), None),
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            EnergyEvent::MeterAdded { meter } => m.add_meter(meter.into()),
            EnergyEvent::ReadingRecorded {
                meter,
                date,
                index,
                new_index,
            } => m.record_reading(&meter, date, index, new_index),
            EnergyEvent::ConversionSet {
                meter,
                from,
                factor,
            } => m.set_conversion(&meter, from, factor),
            EnergyEvent::InvoiceRecorded { invoice } => m.record_energy_invoice(invoice.into()),
            EnergyEvent::DjuSet { station, year, dju } => m.set_dju(&station, year, dju),
            EnergyEvent::DjuReferenceSet { station, dju } => m.set_dju_reference(&station, dju),
            EnergyEvent::TertiarySiteDeclared { site } => m.declare_tertiary_site(site.into()),
        }
    }
}
