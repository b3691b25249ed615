//! The décret tertiaire (CCH L174-1, R174-22 ff.): buildings with at least
//! 1 000 m² of tertiary floor area reduce their final-energy consumption
//! by 40 % in 2030, 50 % in 2040 and 60 % in 2050 from a reference year
//! (2010 or later), or reach an absolute threshold per activity (kWh/m²
//! per year, as data). Consumption is adjusted for the climate by degree
//! days (meters with a station) and compared with the next milestone's
//! target.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{
    round2, EnergySource, NewTertiarySite, TertiarySite, EARLIEST_REFERENCE_YEAR, MILESTONES,
    TERTIARY_MIN_AREA,
};
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::Mutualis;

/// The décret tertiaire status of a site in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TertiaryStatus {
    /// Building code.
    pub building: String,
    /// Activity.
    pub activity: String,
    /// Floor area (m²).
    pub floor_area: Decimal,
    /// Year.
    pub year: i32,
    /// Raw consumption (kWh).
    pub raw_kwh: Decimal,
    /// Climate-adjusted consumption (kWh).
    pub adjusted_kwh: Decimal,
    /// Reference year.
    pub reference_year: i32,
    /// Reference adjusted consumption (kWh).
    pub reference_kwh: Decimal,
    /// The next milestone (2030, 2040, 2050; 2050 after it).
    pub milestone: i32,
    /// Its target (kWh): reference × (1 − reduction), or threshold × area.
    pub target_kwh: Decimal,
    /// adjusted − target: above the target when positive.
    pub gap_kwh: Decimal,
    /// Reduction achieved from the reference: 1 − adjusted / reference, to 4 decimals.
    pub reduction: Decimal,
}

impl Mutualis {
    /// Declares a building (or group, through its parent asset) under the
    /// décret tertiaire.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`],
    /// [`Error::ReferenceYearTooEarly`], [`Error::YearOutOfRange`],
    /// [`Error::NegativeConsumption`], [`Error::InvalidField`] (floor area
    /// under 1 000 m², empty activity, threshold not > 0, site already
    /// declared).
    pub fn declare_tertiary_site(&mut self, spec: NewTertiarySite) -> Result<()> {
        let building = self.asset_id(&spec.building)?;
        if spec.reference_year < EARLIEST_REFERENCE_YEAR {
            return Err(Error::ReferenceYearTooEarly(spec.reference_year));
        }
        crate::period::check_year("reference_year", spec.reference_year)?;
        if spec.floor_area < TERTIARY_MIN_AREA {
            return Err(Error::InvalidField {
                field: "floor_area",
                reason: format!(
                    "{} m² is under the 1 000 m² of the décret tertiaire",
                    spec.floor_area
                ),
            });
        }
        if spec.activity.trim().is_empty() {
            return Err(Error::InvalidField {
                field: "activity",
                reason: "empty".into(),
            });
        }
        super::nonnegative("reference_kwh", spec.reference_kwh)?;
        if spec.absolute_threshold.is_some_and(|t| t <= Decimal::ZERO) {
            return Err(Error::InvalidField {
                field: "absolute_threshold",
                reason: "not > 0".into(),
            });
        }
        if self.energy.sites.iter().any(|s| s.building == building) {
            return Err(Error::InvalidField {
                field: "building",
                reason: format!("{} is already declared", spec.building),
            });
        }
        self.energy.sites.push(TertiarySite {
            building,
            activity: spec.activity.clone(),
            floor_area: spec.floor_area,
            reference_year: spec.reference_year,
            reference_kwh: spec.reference_kwh,
            absolute_threshold: spec.absolute_threshold,
        });
        self.energy_undo(super::EnergyUndo::Site);
        self.energy_log(
            Some(building),
            super::EnergyEvent::TertiarySiteDeclared { site: spec.into() },
        );
        Ok(())
    }

    /// The declared sites.
    #[must_use]
    pub fn tertiary_sites(&self) -> &[TertiarySite] {
        &self.energy.sites
    }

    /// Raw and adjusted kWh of a building in a year.
    fn adjusted_of(&self, root: AssetId, year: i32) -> Result<(Decimal, Decimal)> {
        let ms = self.meters_in_subtree(root);
        let (mut raw, mut adj) = (Decimal::ZERO, Decimal::ZERO);
        for &i in &ms {
            let mt = &self.energy.meters[i];
            if mt.source == EnergySource::Water {
                continue;
            }
            if mt.parent.is_some_and(|p| ms.contains(&p)) {
                continue;
            }
            let my = self.gross_of(i, year).0;
            raw += my;
            adj += match &mt.station {
                Some(s) => self.climate_corrected(s, year, my)?,
                None => my,
            };
        }
        Ok((raw, adj))
    }

    /// The décret tertiaire status of a site in a year (water meters do
    /// not count: final energy only).
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::InvalidField`] (not
    /// declared), [`Error::YearOutOfRange`], [`Error::MissingDju`].
    pub fn tertiary_status(&self, building: &str, year: i32) -> Result<TertiaryStatus> {
        let root = self.asset_id(building)?;
        crate::period::check_year("year", year)?;
        let site = self
            .energy
            .sites
            .iter()
            .find(|s| s.building == root)
            .ok_or_else(|| Error::InvalidField {
                field: "building",
                reason: format!("{building} is not declared under the décret tertiaire"),
            })?;
        let (raw, adjusted) = self.adjusted_of(root, year)?;
        let (milestone, cut) = MILESTONES
            .iter()
            .copied()
            .find(|(y, _)| *y >= year)
            .unwrap_or(MILESTONES[2]);
        let target = match site.absolute_threshold {
            Some(t) => round2(t * site.floor_area),
            None => round2(site.reference_kwh * (Decimal::ONE - cut)),
        };
        let reduction = if site.reference_kwh.is_zero() {
            Decimal::ZERO
        } else {
            (Decimal::ONE - adjusted / site.reference_kwh)
                .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        };
        Ok(TertiaryStatus {
            building: building.to_owned(),
            activity: site.activity.clone(),
            floor_area: site.floor_area,
            year,
            raw_kwh: raw,
            adjusted_kwh: adjusted,
            reference_year: site.reference_year,
            reference_kwh: site.reference_kwh,
            milestone,
            target_kwh: target,
            gap_kwh: adjusted - target,
            reduction,
        })
    }

    /// The annual declaration data of every declared site, as a CSV shaped
    /// like OPERAT's (docs/energy.md): `;`-separated, a header, one row per
    /// site and energy: `building;activity;floor_area;year;energy;kwh`.
    ///
    /// Errors: [`Error::YearOutOfRange`].
    pub fn operat_csv(&self, year: i32) -> Result<String> {
        crate::period::check_year("year", year)?;
        let mut out = String::from("building;activity;floor_area;year;energy;kwh\n");
        for site in &self.energy.sites {
            let ms = self.meters_in_subtree(site.building);
            for &source in EnergySource::ALL {
                if source == EnergySource::Water {
                    continue;
                }
                let mut kwh = Decimal::ZERO;
                let mut any = false;
                for &i in &ms {
                    let mt = &self.energy.meters[i];
                    if mt.source != source || mt.parent.is_some_and(|p| ms.contains(&p)) {
                        continue;
                    }
                    any = true;
                    kwh += self.gross_of(i, year).0;
                }
                if any {
                    let _ = writeln!(
                        out,
                        "{};{};{};{};{};{}",
                        self.asset_code(site.building),
                        site.activity,
                        site.floor_area,
                        year,
                        source,
                        kwh
                    );
                }
            }
        }
        Ok(out)
    }
}
