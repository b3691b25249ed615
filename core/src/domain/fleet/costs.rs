//! What a vehicle costs besides its work orders and fuel: its purchase
//! (amortised) and other dated cost lines (insurance, taxes…).

use rust_decimal::Decimal;

use super::{FleetEvent, FleetUndo, NewVehicleCost, Purchase, VehicleCost};
use crate::error::{Error, Result};
use crate::Mutualis;

impl Mutualis {
    /// Sets (or replaces) a vehicle's purchase: amount, date, years of
    /// linear amortisation ([`Purchase::amortisation`]).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidQuantity`] (amount not positive),
    /// [`Error::SubCentAmount`], [`Error::AmountOutOfRange`],
    /// [`Error::InvalidField`] (years not within 1 to 100).
    pub fn set_vehicle_purchase(&mut self, vehicle: &str, purchase: Purchase) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", purchase.date)?;
        if purchase.amount <= Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "purchase amount",
                value: purchase.amount,
            });
        }
        crate::money::to_cents(purchase.amount)?;
        if !(1..=100).contains(&purchase.years) {
            return Err(Error::InvalidField {
                field: "years",
                reason: format!(
                    "{} years: an amortisation lasts 1 to 100 years",
                    purchase.years
                ),
            });
        }
        let a = self.fleet.vehicles[at].asset;
        let old = self.fleet.purchases[at].replace(purchase);
        self.fleet_undo(FleetUndo::Purchase { at, old });
        self.fleet_log(
            a,
            FleetEvent::VehiclePurchaseSet {
                vehicle: vehicle.to_owned(),
                purchase,
            },
        );
        Ok(())
    }

    /// A vehicle's purchase, if given.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle_purchase(&self, vehicle: &str) -> Result<Option<Purchase>> {
        Ok(self.fleet.purchases[self.vehicle_index(vehicle)?])
    }

    /// Records another dated cost line of a vehicle (insurance, tax…),
    /// counted in its total cost of ownership.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidQuantity`] (a negative amount),
    /// [`Error::SubCentAmount`], [`Error::AmountOutOfRange`],
    /// [`Error::InvalidField`] (an empty label).
    pub fn record_vehicle_cost(&mut self, vehicle: &str, cost: NewVehicleCost) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", cost.date)?;
        if cost.amount < Decimal::ZERO {
            return Err(Error::InvalidQuantity {
                what: "vehicle cost amount",
                value: cost.amount,
            });
        }
        crate::money::to_cents(cost.amount)?;
        if cost.label.trim().is_empty() {
            return Err(Error::InvalidField {
                field: "label",
                reason: "is empty".into(),
            });
        }
        let a = self.fleet.vehicles[at].asset;
        self.fleet.costs[at].push(VehicleCost {
            vehicle: a,
            date: cost.date,
            kind: cost.kind,
            label: cost.label.clone(),
            amount: cost.amount,
        });
        self.fleet_undo(FleetUndo::Cost { at });
        self.fleet_log(
            a,
            FleetEvent::VehicleCostRecorded {
                vehicle: vehicle.to_owned(),
                cost,
            },
        );
        Ok(())
    }

    /// A vehicle's other cost lines, in recording order.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle_costs(&self, vehicle: &str) -> Result<&[VehicleCost]> {
        Ok(&self.fleet.costs[self.vehicle_index(vehicle)?])
    }
}
