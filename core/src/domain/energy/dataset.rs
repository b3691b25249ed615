//! The energy sections of the JSON dataset (all optional: an older dataset
//! without them loads with no meter).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::events::{InvoiceV1, MeterV1, SiteV1};
use crate::error::Result;
use crate::Mutualis;

/// A reading, as the dataset keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingRec {
    pub meter: String,
    pub date: NaiveDate,
    pub index: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_index: Option<Decimal>,
}

/// A conversion coefficient, as the dataset keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversionRec {
    pub meter: String,
    pub from: NaiveDate,
    pub factor: Decimal,
}

/// Degree days of a station (a year's, or the reference without year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DjuRec {
    pub station: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub dju: Decimal,
}

/// The energy state as dataset records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnergyRecords {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meters: Vec<MeterV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conversions: Vec<ConversionRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<ReadingRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invoices: Vec<InvoiceV1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dju: Vec<DjuRec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteV1>,
}

impl EnergyRecords {
    /// True when there is nothing to write.
    pub(crate) fn is_empty(&self) -> bool {
        self == &EnergyRecords::default()
    }
}

impl Mutualis {
    /// The energy state as dataset records.
    pub(crate) fn energy_records(&self) -> EnergyRecords {
        let e = &self.energy;
        let mut r = EnergyRecords::default();
        for mt in &e.meters {
            r.meters.push(MeterV1 {
                code: mt.code.clone(),
                asset: self.asset_code(mt.asset).to_owned(),
                source: mt.source,
                unit: mt.unit,
                delivery_point: mt.delivery_point.clone(),
                parent: mt.parent.map(|p| e.meters[p].code.clone()),
                station: mt.station.clone(),
            });
        }
        for (at, c) in e.conversions.iter().enumerate() {
            for (from, factor) in c {
                r.conversions.push(ConversionRec {
                    meter: e.meters[at].code.clone(),
                    from: *from,
                    factor: *factor,
                });
            }
        }
        for (at, rs) in e.readings.iter().enumerate() {
            for x in rs {
                r.readings.push(ReadingRec {
                    meter: e.meters[at].code.clone(),
                    date: x.date,
                    index: x.index,
                    new_index: x.new_index,
                });
            }
        }
        for inv in &e.invoices {
            let mt = &e.meters[inv.meter];
            r.invoices.push(InvoiceV1 {
                meter: mt.code.clone(),
                number: inv.number.clone(),
                date: inv.date,
                from: inv.from,
                to: inv.to,
                consumption: inv.consumption,
                unit: mt.unit,
                subscription_ht: inv.subscription_ht,
                consumption_ht: inv.consumption_ht,
                vat: inv.vat,
                factor: inv.factor,
            });
        }
        for (station, ys) in &e.dju {
            for (y, v) in ys {
                r.dju.push(DjuRec {
                    station: station.clone(),
                    year: Some(*y),
                    dju: *v,
                });
            }
        }
        for (station, v) in &e.dju_ref {
            r.dju.push(DjuRec {
                station: station.clone(),
                year: None,
                dju: *v,
            });
        }
        for s in &e.sites {
            r.sites.push(SiteV1 {
                building: self.asset_code(s.building).to_owned(),
                activity: s.activity.clone(),
                floor_area: s.floor_area,
                reference_year: s.reference_year,
                reference_kwh: s.reference_kwh,
                absolute_threshold: s.absolute_threshold,
            });
        }
        r
    }

    /// Restores the energy state from dataset records (by its commands).
    pub(crate) fn restore_energy(&mut self, r: EnergyRecords) -> Result<()> {
        for mt in r.meters {
            self.add_meter(mt.into())?;
        }
        for c in r.conversions {
            self.set_conversion(&c.meter, c.from, c.factor)?;
        }
        for x in r.readings {
            self.record_reading(&x.meter, x.date, x.index, x.new_index)?;
        }
        for inv in r.invoices {
            self.record_energy_invoice(inv.into())?;
        }
        for d in r.dju {
            match d.year {
                Some(y) => self.set_dju(&d.station, y, d.dju)?,
                None => self.set_dju_reference(&d.station, d.dju)?,
            }
        }
        for s in r.sites {
            self.declare_tertiary_site(s.into())?;
        }
        Ok(())
    }
}
