//! The energy queries on a [`Reader`]: a meter is read as its asset is
//! (`energy:read` on a scope covering the meter's asset on the registry
//! clock's date), a décret tertiaire site as its building.
//!
//! A **lookup** (a meter, its readings, invoices, year, anomalies, a site's
//! status, a building's allocation) answers [`crate::Error::Forbidden`]
//! when not covered; a **list** (the meters, the dashboard) keeps what is
//! covered.

use rust_decimal::Decimal;

use super::super::{Area, Target};
use super::Reader;
use crate::energy::{
    EnergyAnomaly, EnergyBreakdownRow, EnergyDashboardRow, EnergyInvoice, EnergyShare, Meter,
    MeterYear, Reading, TertiaryStatus,
};
use crate::error::Result;

impl<'a> Reader<'a> {
    fn check_meter(&self, meter: &str, what: &str) -> Result<()> {
        let mt = self.m.meter(meter)?;
        self.check(Area::Energy, Target::Asset(mt.asset), what)
    }

    /// [`crate::Mutualis::meters`]: the meters the principal sees.
    #[must_use]
    pub fn meters(&self) -> Vec<&'a Meter> {
        let today = self.today();
        self.m
            .meters()
            .iter()
            .filter(|mt| self.sees(Area::Energy, Target::Asset(mt.asset), today))
            .collect()
    }

    /// [`crate::Mutualis::readings`], if the principal sees the meter.
    ///
    /// Errors: as [`crate::Mutualis::readings`], [`crate::Error::Forbidden`].
    pub fn readings(&self, meter: &str) -> Result<&'a [Reading]> {
        self.check_meter(meter, "readings")?;
        self.m.readings(meter)
    }

    /// [`crate::Mutualis::energy_invoices`], if the principal sees the meter.
    ///
    /// Errors: as [`crate::Mutualis::energy_invoices`], [`crate::Error::Forbidden`].
    pub fn energy_invoices(&self, meter: &str) -> Result<Vec<&'a EnergyInvoice>> {
        self.check_meter(meter, "energy_invoices")?;
        self.m.energy_invoices(meter)
    }

    /// [`crate::Mutualis::meter_year`], if the principal sees the meter.
    ///
    /// Errors: as [`crate::Mutualis::meter_year`], [`crate::Error::Forbidden`].
    pub fn meter_year(&self, meter: &str, year: i32) -> Result<MeterYear> {
        self.check_meter(meter, "meter_year")?;
        self.m.meter_year(meter, year)
    }

    /// [`crate::Mutualis::energy_anomalies`], if the principal sees the meter.
    ///
    /// Errors: as [`crate::Mutualis::energy_anomalies`], [`crate::Error::Forbidden`].
    pub fn energy_anomalies(&self, meter: &str, threshold: Decimal) -> Result<Vec<EnergyAnomaly>> {
        self.check_meter(meter, "energy_anomalies")?;
        self.m.energy_anomalies(meter, threshold)
    }

    /// [`crate::Mutualis::energy_allocation`], if the principal sees the building.
    ///
    /// Errors: as [`crate::Mutualis::energy_allocation`], [`crate::Error::Forbidden`].
    pub fn energy_allocation(
        &self,
        building: &str,
        year: i32,
        key: &[(&str, u64)],
    ) -> Result<Vec<EnergyShare>> {
        let a = self.m.asset_id(building)?;
        self.check(Area::Energy, Target::Asset(a), "energy_allocation")?;
        self.m.energy_allocation(building, year, key)
    }

    /// [`crate::Mutualis::tertiary_status`], if the principal sees the building.
    ///
    /// Errors: as [`crate::Mutualis::tertiary_status`], [`crate::Error::Forbidden`].
    pub fn tertiary_status(&self, building: &str, year: i32) -> Result<TertiaryStatus> {
        let a = self.m.asset_id(building)?;
        self.check(Area::Energy, Target::Asset(a), "tertiary_status")?;
        self.m.tertiary_status(building, year)
    }

    /// [`crate::Mutualis::energy_invoice_tenants`], if the principal sees the meter.
    ///
    /// Errors: as [`crate::Mutualis::energy_invoice_tenants`], [`crate::Error::Forbidden`].
    pub fn energy_invoice_tenants(&self, meter: &str, number: &str) -> Result<Vec<EnergyShare>> {
        self.check_meter(meter, "energy_invoice_tenants")?;
        self.m.energy_invoice_tenants(meter, number)
    }

    /// [`crate::Mutualis::energy_by_tenant`] over the meters the principal
    /// sees (on assets covered by its `energy:read` scopes).
    ///
    /// Errors: as [`crate::Mutualis::energy_by_tenant`].
    pub fn energy_by_tenant(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>> {
        crate::period::check_year("year", year)?;
        let today = self.today();
        Ok(self.m.energy_breakdown_where(year, false, |a| {
            self.sees(Area::Energy, Target::Asset(a), today)
        }))
    }

    /// [`crate::Mutualis::energy_by_service`] over the meters the principal
    /// sees (on assets covered by its `energy:read` scopes).
    ///
    /// Errors: as [`crate::Mutualis::energy_by_service`].
    pub fn energy_by_service(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>> {
        crate::period::check_year("year", year)?;
        let today = self.today();
        Ok(self.m.energy_breakdown_where(year, true, |a| {
            self.sees(Area::Energy, Target::Asset(a), today)
        }))
    }

    /// [`crate::Mutualis::energy_dashboard`]: the rows of the assets the
    /// principal sees.
    ///
    /// Errors: as [`crate::Mutualis::energy_dashboard`].
    pub fn energy_dashboard(&self, year: i32) -> Result<Vec<EnergyDashboardRow>> {
        let today = self.today();
        let mut rows = self.m.energy_dashboard(year)?;
        rows.retain(|r| {
            self.m
                .asset_id(&r.asset)
                .is_ok_and(|a| self.sees(Area::Energy, Target::Asset(a), today))
        });
        Ok(rows)
    }
}
