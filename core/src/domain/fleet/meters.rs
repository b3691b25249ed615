//! Meters (km, engine hours), monotonic per meter unless replaced, and fuel
//! or charging lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{meter_index, FleetEvent, FleetUndo, FuelLine, Meter, NewFuelLine, Reading};
use crate::error::{Error, Result};
use crate::Mutualis;

impl Mutualis {
    /// Records a meter reading. Readings of a meter are monotonic: a reading
    /// dated before the last one or lower than it is refused (record a
    /// meter replacement first, [`Mutualis::replace_meter`]).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::MeterRegression`].
    pub fn record_meter_reading(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<()> {
        self.push_reading(vehicle, meter, date, value, false)
    }

    /// Records a meter replacement: from `date` the meter reads `value`
    /// (its first reading; no distance is counted from the old meter's last).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::MeterRegression`] (dated before the last reading).
    pub fn replace_meter(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
    ) -> Result<()> {
        self.push_reading(vehicle, meter, date, value, true)
    }

    pub(super) fn push_reading(
        &mut self,
        vehicle: &str,
        meter: Meter,
        date: NaiveDate,
        value: u64,
        replaced: bool,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", date)?;
        let list = &self.fleet.meters[at][meter_index(meter)];
        if let Some(last) = list.last() {
            if date < last.date || (!replaced && value < last.value) {
                return Err(Error::MeterRegression {
                    vehicle: vehicle.to_owned(),
                    meter: meter.as_str(),
                    value,
                    date,
                    last: last.value,
                    last_date: last.date,
                });
            }
        }
        let a = self.fleet.vehicles[at].asset;
        self.fleet.meters[at][meter_index(meter)].push(Reading {
            date,
            value,
            replaced,
        });
        self.fleet_undo(FleetUndo::Reading { at, meter });
        let vehicle = vehicle.to_owned();
        let e = if replaced {
            FleetEvent::MeterReplaced {
                vehicle,
                meter,
                date,
                value,
            }
        } else {
            FleetEvent::MeterRead {
                vehicle,
                meter,
                date,
                value,
            }
        };
        self.fleet_log(a, e);
        Ok(())
    }

    /// Records a fuel or charging line.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidQuantity`] (quantity not positive, amount negative),
    /// [`Error::SubCentAmount`], [`Error::AmountOutOfRange`],
    /// [`Error::VatRateNotInForce`].
    pub fn record_fuel(&mut self, vehicle: &str, line: NewFuelLine) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", line.date)?;
        if line.quantity <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "fuel quantity",
                value: line.quantity,
            });
        }
        if line.ht < Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "fuel amount",
                value: line.ht,
            });
        }
        crate::money::to_cents(line.ht)?;
        line.vat.check_on(line.date)?;
        let a = self.fleet.vehicles[at].asset;
        self.fleet.fuel[at].push(FuelLine {
            vehicle: a,
            date: line.date,
            quantity: line.quantity,
            unit: line.unit,
            ht: line.ht,
            vat: line.vat,
        });
        self.fleet_undo(FleetUndo::Fuel { at });
        self.fleet_log(
            a,
            FleetEvent::FuelRecorded {
                vehicle: vehicle.to_owned(),
                line: line.into(),
            },
        );
        Ok(())
    }

    /// A vehicle's readings of a meter, oldest first.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn meter_readings(&self, vehicle: &str, meter: Meter) -> Result<&[Reading]> {
        Ok(&self.fleet.meters[self.vehicle_index(vehicle)?][meter_index(meter)])
    }

    /// A vehicle's fuel and charging lines, in recording order.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn fuel_lines(&self, vehicle: &str) -> Result<&[FuelLine]> {
        Ok(&self.fleet.fuel[self.vehicle_index(vehicle)?])
    }
}
