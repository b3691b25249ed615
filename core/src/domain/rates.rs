//! Régie teams and the rate tables that cost their work: hourly labour rates
//! per tenant and year (optionally per team and/or grade), and vehicle or
//! equipment rates per hour, day or km (per vehicle, or per category).
//!
//! # Rate lookup
//! - Labour on date d by team T of tenant P, grade g: the rate of (P, year of d)
//!   for (T, g), else (T, any grade), else (any team, g), else (any team, any
//!   grade); none is [`Error::NoRate`].
//! - Vehicle V (owner O) on date d in unit u: the rate of V for (year, u), else
//!   the rate of O's category `V.attributes["category"]` for (year, u).
//!
//! Rates are history: setting one twice for the same key is refused
//! ([`Error::RateAlreadySet`]).
//!
//! ```
//! use mutualis::{Mutualis, NewTenant};
//! use rust_decimal::Decimal;
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! m.add_team("ROANNE-SPORTS", "ROANNE", "Régie sports", None).unwrap();
//! m.set_labour_rate("ROANNE", 2026, None, None, "38.50".parse().unwrap()).unwrap();
//! let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
//! assert_eq!(m.labour_rate("ROANNE-SPORTS", None, d).unwrap().to_string(), "38.50");
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{AssetId, ServiceId, TeamId, TenantId};
use crate::kinds::named_enum;
use crate::Mutualis;

pub mod events;
pub use events::RateEvent;

named_enum! {
    /// The unit a vehicle or equipment is charged by.
    pub enum UsageUnit as "usage unit" {
        /// Per hour of use.
        Hour = "hour",
        /// Per day of use.
        Day = "day",
        /// Per kilometre.
        Km = "km",
    }
}

/// A régie team: agents of a tenant, costed at its internal rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Dense id.
    pub id: TeamId,
    /// Human code, unique across tenants ("ROANNE-SPORTS").
    pub code: String,
    /// The tenant whose agents these are.
    pub tenant: TenantId,
    /// Name.
    pub name: String,
    /// The tenant's service the team belongs to, if any.
    pub service: Option<ServiceId>,
}

/// A labour rate, as listed by [`Mutualis::labour_rates`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourRate {
    /// Tenant code.
    pub tenant: String,
    /// Year.
    pub year: i32,
    /// Team code, for a team-specific rate.
    pub team: Option<String>,
    /// Grade, for a grade-specific rate.
    pub grade: Option<String>,
    /// Euros per hour.
    pub rate: Decimal,
}

/// A vehicle rate, as listed by [`Mutualis::vehicle_rates`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleRate {
    /// Tenant code (the vehicle's owner, or the category table's tenant).
    pub tenant: String,
    /// Vehicle asset code, or category name.
    pub subject: String,
    /// True when `subject` is a category.
    pub category: bool,
    /// Year.
    pub year: i32,
    /// Unit charged.
    pub unit: UsageUnit,
    /// Euros per unit.
    pub rate: Decimal,
}

/// Key of a labour rate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct LabourKey {
    pub tenant: TenantId,
    pub year: i32,
    pub team: Option<TeamId>,
    pub grade: Option<String>,
}

/// What a vehicle rate applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RateSubject {
    Asset(AssetId),
    Category(TenantId, String),
}

/// Key of a vehicle rate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct VehicleKey {
    pub subject: RateSubject,
    pub year: i32,
    pub unit: UsageUnit,
}

fn check_rate(rate: Decimal) -> Result<()> {
    if rate <= Decimal::ZERO {
        return Err(Error::InvalidQuantity {
            what: "rate",
            value: rate,
        });
    }
    Ok(())
}

/// The rates domain's state: régie teams (with their code index) and the
/// labour and vehicle rate tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Rates {
    teams: Vec<Team>,
    by_code: HashMap<String, TeamId>,
    labour: BTreeMap<LabourKey, Decimal>,
    vehicle: BTreeMap<VehicleKey, Decimal>,
}

impl Rates {
    /// The number of teams (a checkpoint's length).
    pub(crate) fn team_count(&self) -> usize {
        self.teams.len()
    }

    /// Drops the teams created after the first `len`.
    pub(crate) fn truncate_teams(&mut self, len: usize) {
        for t in self.teams.drain(len.min(self.teams.len())..) {
            self.by_code.remove(&t.code);
        }
    }

    /// Puts a labour rate back as it was (`None`: absent).
    pub(crate) fn restore_labour(&mut self, key: LabourKey, old: Option<Decimal>) {
        match old {
            Some(v) => {
                self.labour.insert(key, v);
            }
            None => {
                self.labour.remove(&key);
            }
        }
    }

    /// Puts a vehicle rate back as it was (`None`: absent).
    pub(crate) fn restore_vehicle(&mut self, key: VehicleKey, old: Option<Decimal>) {
        match old {
            Some(v) => {
                self.vehicle.insert(key, v);
            }
            None => {
                self.vehicle.remove(&key);
            }
        }
    }
}

impl Mutualis {
    /// Adds a régie team of `tenant`, optionally attached to one of its services.
    ///
    /// Errors: [`Error::InvalidCode`], [`Error::InvalidField`], [`Error::UnknownTenant`],
    /// [`Error::UnknownService`], [`Error::DuplicateTeam`].
    pub fn add_team(
        &mut self,
        code: &str,
        tenant: &str,
        name: &str,
        service: Option<&str>,
    ) -> Result<TeamId> {
        check_code("team", code)?;
        check_name("team name", name)?;
        let t = self.tenant_id(tenant)?;
        let s = match service {
            Some(s) => Some(self.service_id(tenant, s)?),
            None => None,
        };
        if self.rates.by_code.contains_key(code) {
            return Err(Error::DuplicateTeam(code.to_owned()));
        }
        let id = TeamId(self.rates.teams.len() as u32);
        self.rates.by_code.insert(code.to_owned(), id);
        self.rates.teams.push(Team {
            id,
            code: code.to_owned(),
            tenant: t,
            name: name.to_owned(),
            service: s,
        });
        self.log(
            Some(tenant.to_owned()),
            RateEvent::TeamAdded {
                code: code.to_owned(),
                tenant: tenant.to_owned(),
                name: name.to_owned(),
                service: service.map(str::to_owned),
            },
        );
        Ok(id)
    }

    /// The code of a team id (unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn team_code(&self, id: TeamId) -> &str {
        self.rates
            .teams
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |t| t.code.as_str())
    }

    /// The dense id of a team code; [`Error::UnknownTeam`] if none.
    pub fn team_id(&self, code: &str) -> Result<TeamId> {
        self.rates
            .by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownTeam(code.to_owned()))
    }

    /// The team with this code.
    pub fn team(&self, code: &str) -> Result<&Team> {
        Ok(&self.rates.teams[self.team_id(code)?.index()])
    }

    /// All teams, in creation order.
    #[must_use]
    pub fn teams(&self) -> &[Team] {
        &self.rates.teams
    }

    /// Sets the hourly labour rate of `tenant` for `year`, optionally for one
    /// team (of that tenant) and/or one grade.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownTeam`],
    /// [`Error::InvalidQuantity`] (rate ≤ 0), [`Error::InvalidField`] (team of
    /// another tenant), [`Error::RateAlreadySet`].
    pub fn set_labour_rate(
        &mut self,
        tenant: &str,
        year: i32,
        team: Option<&str>,
        grade: Option<&str>,
        rate: Decimal,
    ) -> Result<()> {
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        let team_id = match team {
            Some(code) => {
                let id = self.team_id(code)?;
                if self.rates.teams[id.index()].tenant != t {
                    return Err(Error::InvalidField {
                        field: "team",
                        reason: format!("team {code:?} is not a team of {tenant:?}"),
                    });
                }
                Some(id)
            }
            None => None,
        };
        if let Some(g) = grade {
            check_name("grade", g)?;
        }
        check_rate(rate)?;
        let key = LabourKey {
            tenant: t,
            year,
            team: team_id,
            grade: grade.map(str::to_owned),
        };
        if self.rates.labour.contains_key(&key) {
            return Err(Error::RateAlreadySet {
                what: "labour",
                detail: format!(
                    "{tenant} {year}{}{}",
                    team.map(|x| format!(" team {x}")).unwrap_or_default(),
                    grade.map(|x| format!(" grade {x}")).unwrap_or_default()
                ),
            });
        }
        self.push_undo(crate::undo::Undo::LabourRate {
            key: key.clone(),
            old: None,
        });
        self.rates.labour.insert(key, rate);
        self.log(
            Some(tenant.to_owned()),
            RateEvent::LabourRateSet {
                tenant: tenant.to_owned(),
                year,
                team: team.map(str::to_owned),
                grade: grade.map(str::to_owned),
                rate,
            },
        );
        Ok(())
    }

    /// The hourly rate of `team` (and `grade`) on `date`; see the module lookup rule.
    pub fn labour_rate(&self, team: &str, grade: Option<&str>, date: NaiveDate) -> Result<Decimal> {
        self.labour_rate_of(self.team_id(team)?, grade, date)
    }

    pub(crate) fn labour_rate_of(
        &self,
        team: TeamId,
        grade: Option<&str>,
        date: NaiveDate,
    ) -> Result<Decimal> {
        let tenant = self.rates.teams[team.index()].tenant;
        let year = date.year();
        let g = grade.map(str::to_owned);
        let candidates = [
            (Some(team), g.clone()),
            (Some(team), None),
            (None, g),
            (None, None),
        ];
        for (team, grade) in candidates {
            let key = LabourKey {
                tenant,
                year,
                team,
                grade,
            };
            if let Some(r) = self.rates.labour.get(&key) {
                return Ok(*r);
            }
        }
        Err(Error::NoRate {
            what: "labour",
            detail: format!(
                "{} {year} (team {}{})",
                self.tenant_code(tenant),
                self.rates.teams[team.index()].code,
                grade.map(|x| format!(", grade {x}")).unwrap_or_default()
            ),
        })
    }

    /// Sets the rate of one vehicle or equipment asset for `year` and `unit`.
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::InvalidQuantity`], [`Error::RateAlreadySet`].
    pub fn set_vehicle_rate(
        &mut self,
        vehicle: &str,
        year: i32,
        unit: UsageUnit,
        rate: Decimal,
    ) -> Result<()> {
        crate::period::check_year("year", year)?;
        let a = self.asset_id(vehicle)?;
        let kind = self.assets()[a.index()].kind;
        if !matches!(
            kind,
            crate::AssetKind::Vehicle | crate::AssetKind::Equipment
        ) {
            return Err(Error::InvalidField {
                field: "vehicle",
                reason: format!("{vehicle:?} is a {kind}, not a vehicle or equipment"),
            });
        }
        check_rate(rate)?;
        let key = VehicleKey {
            subject: RateSubject::Asset(a),
            year,
            unit,
        };
        self.insert_vehicle_rate(key, rate, format!("{vehicle} {year} per {unit}"))?;
        let owner = self.latest_owner(a);
        self.log(
            Some(self.tenant_code(owner).to_owned()),
            RateEvent::VehicleRateSet {
                tenant: self.tenant_code(owner).to_owned(),
                subject: vehicle.to_owned(),
                category: false,
                year,
                unit,
                rate,
            },
        );
        Ok(())
    }

    /// Sets the rate of a vehicle category of `tenant` (vehicles whose
    /// `category` attribute is `category`) for `year` and `unit`.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::InvalidField`],
    /// [`Error::InvalidQuantity`], [`Error::RateAlreadySet`].
    pub fn set_category_rate(
        &mut self,
        tenant: &str,
        category: &str,
        year: i32,
        unit: UsageUnit,
        rate: Decimal,
    ) -> Result<()> {
        crate::period::check_year("year", year)?;
        let t = self.tenant_id(tenant)?;
        check_name("vehicle category", category)?;
        check_rate(rate)?;
        let key = VehicleKey {
            subject: RateSubject::Category(t, category.to_owned()),
            year,
            unit,
        };
        self.insert_vehicle_rate(
            key,
            rate,
            format!("{tenant} category {category} {year} per {unit}"),
        )?;
        self.log(
            Some(tenant.to_owned()),
            RateEvent::VehicleRateSet {
                tenant: tenant.to_owned(),
                subject: category.to_owned(),
                category: true,
                year,
                unit,
                rate,
            },
        );
        Ok(())
    }

    fn insert_vehicle_rate(
        &mut self,
        key: VehicleKey,
        rate: Decimal,
        detail: String,
    ) -> Result<()> {
        if self.rates.vehicle.contains_key(&key) {
            return Err(Error::RateAlreadySet {
                what: "vehicle",
                detail,
            });
        }
        self.push_undo(crate::undo::Undo::VehicleRate {
            key: key.clone(),
            old: None,
        });
        self.rates.vehicle.insert(key, rate);
        Ok(())
    }

    /// The rate of a vehicle on `date` in `unit`; see the module lookup rule.
    pub fn vehicle_rate(&self, vehicle: &str, unit: UsageUnit, date: NaiveDate) -> Result<Decimal> {
        self.vehicle_rate_of(self.asset_id(vehicle)?, unit, date)
    }

    pub(crate) fn vehicle_rate_of(
        &self,
        vehicle: AssetId,
        unit: UsageUnit,
        date: NaiveDate,
    ) -> Result<Decimal> {
        let year = date.year();
        let asset = &self.assets()[vehicle.index()];
        let own = VehicleKey {
            subject: RateSubject::Asset(vehicle),
            year,
            unit,
        };
        if let Some(r) = self.rates.vehicle.get(&own) {
            return Ok(*r);
        }
        if let Some(cat) = asset.attributes.get("category") {
            let key = VehicleKey {
                subject: RateSubject::Category(self.owner_at(vehicle, date), cat.clone()),
                year,
                unit,
            };
            if let Some(r) = self.rates.vehicle.get(&key) {
                return Ok(*r);
            }
        }
        Err(Error::NoRate {
            what: "vehicle",
            detail: format!("{} {year} per {unit}", asset.code),
        })
    }

    /// The labour rates, sorted by tenant, year, team and grade.
    #[must_use]
    pub fn labour_rates(&self) -> Vec<LabourRate> {
        self.rates
            .labour
            .iter()
            .map(|(k, r)| LabourRate {
                tenant: self.tenant_code(k.tenant).to_owned(),
                year: k.year,
                team: k.team.map(|t| self.rates.teams[t.index()].code.clone()),
                grade: k.grade.clone(),
                rate: *r,
            })
            .collect()
    }

    /// The vehicle and category rates, sorted.
    #[must_use]
    pub fn vehicle_rates(&self) -> Vec<VehicleRate> {
        self.rates
            .vehicle
            .iter()
            .map(|(k, r)| {
                let (tenant, subject, category) = match &k.subject {
                    RateSubject::Asset(a) => {
                        let asset = &self.assets()[a.index()];
                        (
                            self.tenant_code(self.latest_owner(*a)).to_owned(),
                            asset.code.clone(),
                            false,
                        )
                    }
                    RateSubject::Category(t, c) => {
                        (self.tenant_code(*t).to_owned(), c.clone(), true)
                    }
                };
                VehicleRate {
                    tenant,
                    subject,
                    category,
                    year: k.year,
                    unit: k.unit,
                    rate: *r,
                }
            })
            .collect()
    }
}
