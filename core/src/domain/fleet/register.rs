//! The register: vehicles and machines on top of assets, their identifiers
//! (SIV/FNI registration numbers, VIN) and status.

use chrono::NaiveDate;

use super::{not_in_fleet, FleetEvent, FleetUndo, NewVehicle, Vehicle, VehicleStatus};
use crate::assets::AssetKind;
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::Mutualis;

/// Validates a French registration number: SIV `AB-123-CD` (since 2009:
/// letters without I, O, U; `SS` and `WW` not as the first pair, `SS` not as
/// the last) or old FNI `123 ABC 45` (1 to 4 digits, 1 to 3 letters, the
/// département: `01`–`95`, `2A`, `2B`, `971`–`976`). Returns it normalised
/// (upper case, single spaces).
///
/// ```
/// use mutualis::fleet::check_registration;
/// assert_eq!(check_registration("ga-123-bc").unwrap(), "GA-123-BC");
/// assert_eq!(check_registration("1234 AB 42").unwrap(), "1234 AB 42");
/// assert!(check_registration("GI-123-BC").is_err());
/// assert!(check_registration("1234 AB 96").is_err()); // no département 96
/// assert_eq!(check_registration("12 AB 974").unwrap(), "12 AB 974"); // La Réunion
/// ```
///
/// Errors: [`Error::InvalidRegistration`].
pub fn check_registration(value: &str) -> Result<String> {
    let bad = |reason| Error::InvalidRegistration {
        value: value.to_owned(),
        reason,
    };
    let v = value.trim().to_ascii_uppercase();
    let parts: Vec<&str> = if v.contains('-') {
        v.split('-').collect()
    } else {
        v.split_whitespace().collect()
    };
    let letters = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [a, n, b] if v.contains('-') => {
            if a.len() != 2 || n.len() != 3 || b.len() != 2 {
                return Err(bad(
                    "SIV numbers are two letters, three digits, two letters",
                ));
            }
            if !letters(a) || !letters(b) || !digits(n) {
                return Err(bad(
                    "SIV numbers are two letters, three digits, two letters",
                ));
            }
            if a.bytes()
                .chain(b.bytes())
                .any(|c| matches!(c, b'I' | b'O' | b'U'))
            {
                return Err(bad("SIV numbers never use the letters I, O and U"));
            }
            if *n == "000" || *a == "SS" || *a == "WW" || *b == "SS" {
                return Err(bad("000, SS and WW are not issued"));
            }
            Ok(format!("{a}-{n}-{b}"))
        }
        [n, l, dep] => {
            // 01 to 95 (20: Corsica before its division in 1976), 2A, 2B,
            // and the overseas départements and collectivities 971 to 976
            let number = |s: &str| s.parse::<u16>().ok();
            let dep_ok = match dep.len() {
                2 if *dep == "2A" || *dep == "2B" => true,
                2 => digits(dep) && number(dep).is_some_and(|n| (1..=95).contains(&n)),
                3 => digits(dep) && number(dep).is_some_and(|n| (971..=976).contains(&n)),
                _ => false,
            };
            if !(1..=4).contains(&n.len())
                || !digits(n)
                || !(1..=3).contains(&l.len())
                || !letters(l)
            {
                return Err(bad(
                    "FNI numbers are 1–4 digits, 1–3 letters, a département",
                ));
            }
            if !dep_ok {
                return Err(bad("the last part of an FNI number is a département"));
            }
            Ok(format!("{n} {l} {dep}"))
        }
        _ => Err(bad("neither SIV (AB-123-CD) nor FNI (123 ABC 45)")),
    }
}

/// Validates a VIN: 17 characters of `A-Z 0-9` without I, O, Q; returns it
/// in upper case.
///
/// Errors: [`Error::InvalidVin`].
pub fn check_vin(value: &str) -> Result<String> {
    let bad = |reason| Error::InvalidVin {
        value: value.to_owned(),
        reason,
    };
    let v = value.trim().to_ascii_uppercase();
    if v.len() != 17 {
        return Err(bad("a VIN has 17 characters"));
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(bad("a VIN has letters and digits only"));
    }
    if v.bytes().any(|b| matches!(b, b'I' | b'O' | b'Q')) {
        return Err(bad("a VIN never uses I, O or Q"));
    }
    Ok(v)
}

impl Mutualis {
    /// The fleet index of a registered vehicle.
    pub(crate) fn vehicle_index(&self, code: &str) -> Result<usize> {
        let a = self.asset_id(code)?;
        self.fleet
            .by_asset
            .get(&a)
            .copied()
            .ok_or_else(|| not_in_fleet(code, "is not in the fleet register"))
    }

    /// The register position of the vehicle of asset `a`, if registered.
    pub(crate) fn vehicle_at(&self, a: AssetId) -> Option<usize> {
        self.fleet.by_asset.get(&a).copied()
    }

    pub(super) fn save_vehicle(&mut self, at: usize) {
        if self.undo.is_some() {
            if let Some(v) = self.fleet.vehicles.get(at) {
                let old = Box::new(v.clone());
                self.push_undo(crate::undo::Undo::Fleet(FleetUndo::Vehicle { at, old }));
            }
        }
    }

    /// Pushes a status change on the vehicle's history (undoable).
    pub(super) fn push_status(&mut self, at: usize, since: NaiveDate, status: VehicleStatus) {
        if let Some(h) = self.fleet.statuses.get_mut(at) {
            h.push((since, status));
            self.fleet_undo(FleetUndo::Status { at });
        }
    }

    /// A vehicle's status changes, oldest first (in service before the first).
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn status_history(&self, vehicle: &str) -> Result<&[(NaiveDate, VehicleStatus)]> {
        Ok(&self.fleet.statuses[self.vehicle_index(vehicle)?])
    }

    pub(super) fn fleet_undo(&mut self, u: FleetUndo) {
        self.push_undo(crate::undo::Undo::Fleet(u));
    }

    pub(super) fn fleet_log(&mut self, a: AssetId, e: FleetEvent) {
        let owner = self.owner_code(a);
        self.log(owner, e);
    }

    /// Registers an existing asset (kind vehicle or equipment) in the fleet.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`] (not a vehicle or equipment, already
    /// registered), [`Error::InvalidRegistration`] (malformed, or given for
    /// a mower, tractor or crane… that has none: give none),
    /// [`Error::InvalidVin`], [`Error::InvalidField`] (a registration
    /// number without first registration date or the reverse),
    /// [`Error::YearOutOfRange`], [`Error::UnknownTenant`],
    /// [`Error::UnknownService`].
    pub fn register_vehicle(&mut self, spec: NewVehicle) -> Result<()> {
        let a = self.asset_id(&spec.asset)?;
        let asset = &self.assets()[a.index()];
        if !matches!(asset.kind, AssetKind::Vehicle | AssetKind::Equipment) {
            return Err(not_in_fleet(
                &spec.asset,
                format!("is a {} asset, not a vehicle or equipment", asset.kind),
            ));
        }
        if self.fleet.by_asset.contains_key(&a) {
            return Err(not_in_fleet(
                &spec.asset,
                "is already in the fleet register",
            ));
        }
        let registration = match &spec.registration {
            Some(r) => Some(check_registration(r)?),
            None => None,
        };
        if registration.is_some() != spec.first_registration.is_some() {
            return Err(Error::InvalidField {
                field: "first_registration",
                reason: "a registration number and its first registration date go together".into(),
            });
        }
        if let Some(d) = spec.first_registration {
            crate::period::check_date("first_registration", d)?;
        }
        let vin = match &spec.vin {
            Some(v) => Some(check_vin(v)?),
            None => None,
        };
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&s.tenant, &s.service)?),
            None => None,
        };
        let at = self.fleet.vehicles.len();
        self.fleet.by_asset.insert(a, at);
        self.fleet.vehicles.push(Vehicle {
            asset: a,
            category: spec.category,
            registration,
            vin,
            first_registration: spec.first_registration,
            weight: spec.weight,
            energy: spec.energy,
            service,
            lifts_persons: spec.lifts_persons,
            status: VehicleStatus::InService,
            status_since: None,
        });
        self.fleet.meters.push([Vec::new(), Vec::new()]);
        self.fleet.fuel.push(Vec::new());
        self.fleet.inspections.push(Vec::new());
        self.fleet.statuses.push(Vec::new());
        self.fleet.purchases.push(None);
        self.fleet.costs.push(Vec::new());
        self.fleet_undo(FleetUndo::Registered);
        self.fleet_log(
            a,
            FleetEvent::VehicleRegistered {
                vehicle: spec.into(),
            },
        );
        Ok(())
    }

    /// Sets a vehicle's status from a date (immobilised, back in service,
    /// reformed, sold).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`], [`Error::YearOutOfRange`],
    /// [`Error::TimeOutOfOrder`] (before the current status's date).
    pub fn set_vehicle_status(
        &mut self,
        vehicle: &str,
        status: VehicleStatus,
        since: NaiveDate,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("since", since)?;
        let v = &self.fleet.vehicles[at];
        if let Some(prev) = v.status_since {
            if since < prev {
                return Err(Error::InvalidField {
                    field: "since",
                    reason: format!(
                        "{since} is before the current status's date {prev} ({})",
                        v.status
                    ),
                });
            }
        }
        let a = v.asset;
        self.save_vehicle(at);
        let v = &mut self.fleet.vehicles[at];
        v.status = status;
        v.status_since = Some(since);
        self.push_status(at, since, status);
        self.fleet_log(
            a,
            FleetEvent::VehicleStatusSet {
                vehicle: vehicle.to_owned(),
                status,
                since,
            },
        );
        Ok(())
    }

    /// The registered vehicles, in registration order.
    #[must_use]
    pub fn vehicles(&self) -> &[Vehicle] {
        &self.fleet.vehicles
    }

    /// A registered vehicle.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn vehicle(&self, code: &str) -> Result<&Vehicle> {
        Ok(&self.fleet.vehicles[self.vehicle_index(code)?])
    }
}
