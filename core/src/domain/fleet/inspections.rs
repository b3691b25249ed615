//! Regulatory inspections: results recorded against the dated rules of
//! [`super::INSPECTION_RULES`].

use chrono::NaiveDate;

use super::{
    not_in_fleet, FleetEvent, FleetUndo, Inspection, InspectionKind, InspectionResult,
    InspectionRule, NewInspection, RuleScope, VehicleCategory, VehicleStatus, WeightClass,
    INSPECTION_RULES,
};
use crate::error::{Error, Result};
use crate::Mutualis;

impl Mutualis {
    /// Records an inspection's result; a failed one immobilises the vehicle
    /// from its date (when it was in service).
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::NotInFleet`] (also: no rule of this kind applies to the
    /// vehicle), [`Error::YearOutOfRange`], [`Error::DatesOutOfOrder`] (a
    /// counter-visit deadline before the inspection),
    /// [`Error::InvalidField`] (a deadline given for another result).
    pub fn record_inspection(&mut self, vehicle: &str, inspection: NewInspection) -> Result<()> {
        self.push_inspection(vehicle, inspection, true)
    }

    pub(super) fn push_inspection(
        &mut self,
        vehicle: &str,
        i: NewInspection,
        immobilise: bool,
    ) -> Result<()> {
        let at = self.vehicle_index(vehicle)?;
        crate::period::check_date("date", i.date)?;
        if self.rule_for(at, i.kind, i.date).is_none() {
            return Err(not_in_fleet(
                vehicle,
                format!("has no {} inspection rule", i.kind),
            ));
        }
        if let Some(by) = i.counter_visit_by {
            if i.result != InspectionResult::CounterVisit {
                return Err(Error::InvalidField {
                    field: "counter_visit_by",
                    reason: format!(
                        "a deadline is for a counter-visit, not a {} result",
                        i.result
                    ),
                });
            }
            if by < i.date {
                return Err(Error::DatesOutOfOrder {
                    from: i.date,
                    to: by,
                });
            }
        }
        let v = &self.fleet.vehicles[at];
        let a = v.asset;
        let immobilise = immobilise
            && i.result == InspectionResult::Failed
            && v.status == VehicleStatus::InService;
        if immobilise {
            self.save_vehicle(at);
            let v = &mut self.fleet.vehicles[at];
            v.status = VehicleStatus::Immobilised;
            v.status_since = Some(i.date);
            self.push_status(at, i.date, VehicleStatus::Immobilised);
        }
        self.fleet.inspections[at].push(Inspection {
            vehicle: a,
            kind: i.kind,
            date: i.date,
            result: i.result,
            counter_visit_by: i.counter_visit_by,
        });
        self.fleet_undo(FleetUndo::Inspection { at });
        self.fleet_log(
            a,
            FleetEvent::InspectionRecorded {
                vehicle: vehicle.to_owned(),
                inspection: i.into(),
            },
        );
        Ok(())
    }

    /// A vehicle's inspections, in recording order.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::NotInFleet`].
    pub fn inspections(&self, vehicle: &str) -> Result<&[Inspection]> {
        Ok(&self.fleet.inspections[self.vehicle_index(vehicle)?])
    }

    /// The inspection rule of `kind` applying to the vehicle at `at`, in force on `on`.
    pub(super) fn rule_for(
        &self,
        at: usize,
        kind: InspectionKind,
        on: NaiveDate,
    ) -> Option<&'static InspectionRule> {
        let v = &self.fleet.vehicles[at];
        let scope = match kind {
            InspectionKind::ControleTechnique => {
                v.registration.as_ref()?;
                match v.category {
                    VehicleCategory::Bus => RuleScope::Bus,
                    VehicleCategory::Tractor | VehicleCategory::Mower => return None,
                    VehicleCategory::TruckOver3_5t => RuleScope::HeavyRoad,
                    _ if v.weight == WeightClass::Over3_5t => RuleScope::HeavyRoad,
                    _ => RuleScope::LightRoad,
                }
            }
            InspectionKind::Vgp => {
                if v.lifts_persons || v.category == VehicleCategory::AerialWorkPlatform {
                    RuleScope::LiftingPersons
                } else if v.category == VehicleCategory::Crane {
                    RuleScope::Lifting
                } else {
                    return None;
                }
            }
        };
        INSPECTION_RULES
            .iter()
            .filter(|r| r.kind == kind && r.scope == scope && r.since <= on)
            .max_by_key(|r| r.since)
    }
}
