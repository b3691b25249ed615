//! The fleet (parc auto): the regulatory inspections due in the year, those
//! performed, and the year's costs per vehicle.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, year_bounds, year_period, ReportKind};
use crate::fleet::{DueWhat, InspectionKind, InspectionResult, VehicleDashboard};
use crate::ledger::{Dimension, LedgerFilter};
use crate::{Mutualis, Result};

/// A due date this close to the reference date (or closer) is "within 30 days".
const SOON_DAYS: i64 = 30;

/// The costs chart shows at most this many vehicles (the costliest).
const CHART_VEHICLES: usize = 20;

/// The French and English label of an inspection.
fn inspection_label(k: InspectionKind) -> Label {
    match k {
        InspectionKind::Vgp => Label::new(
            "Vérification générale périodique (VGP)",
            "Periodic inspection of lifting equipment (VGP)",
        ),
        _ => Label::new("Contrôle technique", "Roadworthiness test"),
    }
}

/// The French and English label of an inspection's result.
fn result_label(r: InspectionResult) -> Label {
    match r {
        InspectionResult::Passed => Label::new("Favorable", "Passed"),
        InspectionResult::CounterVisit => Label::new("Contre-visite", "Counter-visit"),
        _ => Label::new("Défavorable, immobilisé", "Failed, immobilised"),
    }
}

impl Mutualis {
    /// The fleet report of `tenant` for `year`, from the public queries:
    ///
    /// - the regulatory inspections due ([`Mutualis::fleet_due`] on the
    ///   reference date `on`, up to the year's end) for the vehicles the
    ///   tenant owns on that date: those due in the year and those overdue
    ///   from before it; per row the due date, the vehicle (code, name,
    ///   registration, service), the inspection, its legal basis, a status
    ///   (overdue — the due date is before the reference date —, within 30
    ///   days, upcoming) and the days left (due − reference) or late
    ///   (reference − due); a chart of the inspections due per month;
    /// - the inspections recorded in the year ([`Mutualis::inspections`]);
    /// - the year's costs per vehicle ([`Mutualis::fleet_dashboard`]: the
    ///   vehicles owned on January 1st): maintenance TTC, energy TTC, other
    ///   costs, amortisation and the total cost of ownership. The
    ///   maintenance total equals the ledger's costs on those vehicles
    ///   ([`Mutualis::ledger_group`] by asset over the year, checked), and
    ///   the parts add up to the total cost (checked).
    ///
    /// `on`: the reference date (none: the year's last day, December 31st).
    /// The due list is the one on that date: an inspection recorded since
    /// moves its next due date on, so a past year's report lists what was
    /// still not done at its end.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`]
    /// (the year, or `on`), [`crate::Error::ReportTotalMismatch`].
    pub fn report_fleet(
        &self,
        tenant: &str,
        year: i32,
        on: Option<NaiveDate>,
    ) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Fleet,
            Label::new(
                format!("Parc auto : contrôles réglementaires et coûts {year}"),
                format!("Fleet: regulatory inspections and costs {year}"),
            ),
            tenant,
            year,
        )?;
        let me = self.tenant_id(tenant)?;
        let (first, last) = year_bounds(year)?;
        let on = match on {
            Some(d) => {
                crate::period::check_date("on", d)?;
                d
            }
            None => last,
        };
        // the vehicles owned on January 1st, with their figures of the year
        let owned: Vec<VehicleDashboard> = self
            .fleet_dashboard(year)?
            .into_iter()
            .filter(|d| d.owner == me)
            .collect();
        r.sections
            .push(self.fleet_due_section(me, year, first, last, on)?);
        r.sections
            .push(self.fleet_done_section(&owned, year, first, last)?);
        r.sections.push(self.fleet_costs_section(&owned, year)?);
        r.notes.push(Label::new(
            format!(
                "Date de référence : {} ; « en retard » : l'échéance est antérieure à cette date. Source : fleet_due (contrôle technique, Code de la route R323-22 et suivants ; VGP, arrêté du 1er mars 2004), inspections, fleet_dashboard, ledger_group par bien.",
                super::format::date(on, super::Locale::Fr)
            ),
            format!(
                "Reference date: {}; \"overdue\": the due date is before it. Source: fleet_due (contrôle technique, Code de la route R323-22 ff.; VGP, arrêté du 1er mars 2004), inspections, fleet_dashboard, ledger_group per asset.",
                super::format::date(on, super::Locale::En)
            ),
        ));
        Ok(r)
    }

    /// The inspections due in the year (and overdue from before it) of the
    /// vehicles `me` owns on `on`, with their chart per month.
    fn fleet_due_section(
        &self,
        me: crate::TenantId,
        year: i32,
        first: NaiveDate,
        last: NaiveDate,
        on: NaiveDate,
    ) -> Result<Section> {
        let within = u32::try_from((last - on).num_days().max(0)).unwrap_or(u32::MAX);
        let due: Vec<_> = self
            .fleet_due(on, within)
            .into_iter()
            .filter(|d| d.owner == me && (d.due >= first || d.overdue) && d.due <= last)
            .filter_map(|d| match d.what {
                DueWhat::Inspection(k) => Some((d, k)),
                _ => None,
            })
            .collect();
        let mut t = Table::new(
            "due",
            Label::new("Contrôles à réaliser", "Inspections due"),
            vec![
                Column::new("due", "Échéance", "Due by", K::Date),
                Column::new("vehicle", "Véhicule", "Vehicle", K::Code),
                Column::new("name", "Désignation", "Name", K::Text),
                Column::new("registration", "Immatriculation", "Registration", K::Code),
                Column::new("service", "Service", "Service", K::Code),
                Column::new("inspection", "Contrôle", "Inspection", K::Text),
                Column::new("basis", "Base légale", "Legal basis", K::Text),
                Column::new("status", "État", "Status", K::Text),
                Column::new("days_left", "Jours restants", "Days left", K::Count),
                Column::new("days_late", "Jours de retard", "Days late", K::Count),
            ],
        );
        // categories: the months of the year, and "before" when overdue ones are carried over
        let carried = due.iter().any(|(d, _)| d.due < first);
        let mut categories: Vec<String> = Vec::with_capacity(13);
        if carried {
            categories.push(format!("< {year}"));
        }
        categories.extend((1..=12).map(|m| format!("{year}-{m:02}")));
        let offset = usize::from(carried);
        let mut late_n = vec![Decimal::ZERO; categories.len()];
        let mut soon_n = vec![Decimal::ZERO; categories.len()];
        let mut overdue = 0u64;
        for (d, kind) in &due {
            let asset = &self.assets()[d.vehicle.index()];
            let v = self.vehicle(&asset.code)?;
            let days = (d.due - on).num_days();
            let status = if d.overdue {
                overdue += 1;
                Label::new("En retard", "Overdue")
            } else if days <= SOON_DAYS {
                Label::new("Sous 30 jours", "Within 30 days")
            } else {
                Label::new("À venir", "Upcoming")
            };
            t.push(vec![
                Cell::Date(d.due),
                Cell::Code(asset.code.clone()),
                Cell::Text(asset.name.clone()),
                v.registration.clone().map_or(Cell::Empty, Cell::Code),
                d.service.map_or(Cell::Empty, |s| {
                    Cell::Code(self.service_codes(s).1.to_owned())
                }),
                Cell::Label(inspection_label(*kind)),
                Cell::Text(d.basis.to_owned()),
                Cell::Label(status),
                if days >= 0 {
                    Cell::Count(days.unsigned_abs())
                } else {
                    Cell::Empty
                },
                if days < 0 {
                    Cell::Count(days.unsigned_abs())
                } else {
                    Cell::Empty
                },
            ]);
            let i = if d.due < first {
                0
            } else {
                offset + d.due.month0() as usize
            };
            if d.overdue {
                late_n[i] += Decimal::ONE;
            } else {
                soon_n[i] += Decimal::ONE;
            }
        }
        let mut s = Section::new("Contrôles réglementaires dus", "Regulatory inspections due");
        if !due.is_empty() {
            s.charts.push(Chart {
                key: "due_by_month".into(),
                kind: ChartKind::Stacked,
                title: Label::new("Contrôles dus par mois", "Inspections due per month"),
                unit: Unit::Count,
                categories,
                series: vec![
                    Series {
                        label: Label::new("En retard", "Overdue"),
                        values: late_n,
                    },
                    Series {
                        label: Label::new("À faire", "To do"),
                        values: soon_n,
                    },
                ],
            });
        }
        s.tables.push(t);
        s.notes.push(Label::new(
            format!(
                "{} contrôle(s) dû(s), dont {overdue} en retard à la date de référence.",
                due.len()
            ),
            format!(
                "{} inspection(s) due, {overdue} of them overdue on the reference date.",
                due.len()
            ),
        ));
        Ok(s)
    }

    /// The inspections recorded in the year on the vehicles `owned`.
    fn fleet_done_section(
        &self,
        owned: &[VehicleDashboard],
        year: i32,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Section> {
        let mut t = Table::new(
            "done",
            Label::new(
                format!("Contrôles réalisés en {year}"),
                format!("Inspections performed in {year}"),
            ),
            vec![
                Column::new("date", "Date", "Date", K::Date),
                Column::new("vehicle", "Véhicule", "Vehicle", K::Code),
                Column::new("name", "Désignation", "Name", K::Text),
                Column::new("inspection", "Contrôle", "Inspection", K::Text),
                Column::new("result", "Résultat", "Result", K::Text),
                Column::new(
                    "counter_visit_by",
                    "Contre-visite avant le",
                    "Counter-visit by",
                    K::Date,
                ),
            ],
        );
        let mut rows = Vec::new();
        for v in owned {
            let asset = &self.assets()[v.vehicle.index()];
            for i in self.inspections(&asset.code)? {
                if i.date >= first && i.date <= last {
                    rows.push((i.date, asset, *i));
                }
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
        for (date, asset, i) in rows {
            t.push(vec![
                Cell::Date(date),
                Cell::Code(asset.code.clone()),
                Cell::Text(asset.name.clone()),
                Cell::Label(inspection_label(i.kind)),
                Cell::Label(result_label(i.result)),
                i.counter_visit_by.map_or(Cell::Empty, Cell::Date),
            ]);
        }
        let mut s = Section::new("Contrôles réalisés", "Inspections performed");
        s.tables.push(t);
        Ok(s)
    }

    /// The year's costs of the vehicles `owned`, the maintenance reconciled
    /// with the ledger.
    fn fleet_costs_section(&self, owned: &[VehicleDashboard], year: i32) -> Result<Section> {
        let mut t = Table::new(
            "costs",
            Label::new(
                format!("Coûts {year} par véhicule"),
                format!("Costs {year} per vehicle"),
            ),
            vec![
                Column::new("vehicle", "Véhicule", "Vehicle", K::Code),
                Column::new("service", "Service", "Service", K::Code),
                Column::new("km", "Km", "Km", K::Count),
                Column::new("maintenance_ttc", "Entretien TTC", "Maintenance", K::Amount),
                Column::new("energy_ttc", "Énergie TTC", "Energy", K::Amount),
                Column::new(
                    "other_costs",
                    "Assurances, taxes…",
                    "Insurance, taxes…",
                    K::Amount,
                ),
                Column::new("amortisation", "Amortissement", "Amortisation", K::Amount),
                Column::new("tco", "Coût complet", "Total cost", K::Amount),
            ],
        );
        let filter = LedgerFilter {
            period: Some(year_period(year)?),
            ..LedgerFilter::default()
        };
        let ledger: HashMap<String, Decimal> = self
            .ledger_group(&[Dimension::Asset], &filter)?
            .into_iter()
            .filter_map(|g| g.keys.into_iter().next().map(|k| (k, g.ttc)))
            .collect();
        let mut sums = [Decimal::ZERO; 5];
        let mut in_ledger = Decimal::ZERO;
        let mut top = Vec::with_capacity(owned.len());
        for d in owned {
            if d.days_in_fleet == 0 && d.tco.is_zero() {
                continue;
            }
            let asset = &self.assets()[d.vehicle.index()];
            in_ledger += ledger.get(&asset.code).copied().unwrap_or_default();
            let parts = [
                d.maintenance_ttc,
                d.energy_ttc,
                d.other_costs,
                d.amortisation,
                d.tco,
            ];
            t.push(vec![
                Cell::Code(asset.code.clone()),
                d.service.map_or(Cell::Empty, |s| {
                    Cell::Code(self.service_codes(s).1.to_owned())
                }),
                Cell::Count(d.km),
                Cell::amount(parts[0]),
                Cell::amount(parts[1]),
                Cell::amount(parts[2]),
                Cell::amount(parts[3]),
                Cell::amount(parts[4]),
            ]);
            for (acc, x) in sums.iter_mut().zip(parts) {
                *acc += crate::money::round_cents(x);
            }
            if !d.tco.is_zero() {
                top.push((d.tco, asset.code.as_str(), parts));
            }
        }
        // the maintenance is the ledger's costs on those vehicles
        t.close(
            "Total",
            &[
                ("maintenance_ttc", in_ledger),
                ("energy_ttc", sums[1]),
                ("other_costs", sums[2]),
                ("amortisation", sums[3]),
                ("tco", sums[4]),
            ],
        )?;
        // the parts add up to the total cost
        super::check_total("costs", "tco", &sums[..4], sums[4])?;
        // the chart: the costliest vehicles (a cost), at most CHART_VEHICLES
        top.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        top.truncate(CHART_VEHICLES);
        let series = [
            ("Entretien", "Maintenance"),
            ("Énergie", "Energy"),
            ("Autres", "Other"),
            ("Amortissement", "Amortisation"),
        ]
        .into_iter()
        .enumerate()
        .map(|(j, (fr, en))| Series {
            label: Label::new(fr, en),
            values: top.iter().map(|(_, _, p)| p[j]).collect(),
        })
        .collect();
        let mut s = Section::new("Coûts des véhicules", "Vehicle costs");
        if !top.is_empty() {
            s.charts.push(Chart {
                key: "costs".into(),
                kind: ChartKind::Stacked,
                title: Label::new(
                    format!("Coût complet par véhicule (les {CHART_VEHICLES} plus élevés)"),
                    format!("Total cost per vehicle (the {CHART_VEHICLES} highest)"),
                ),
                unit: Unit::Euros,
                categories: top.iter().map(|(_, c, _)| (*c).to_owned()).collect(),
                series,
            });
        }
        s.tables.push(t);
        s.notes.push(Label::new(
            "Entretien : les coûts imputés au véhicule (bons de travaux), égaux à ceux du grand livre sur ces biens dans l'année (vérifié) ; énergie TVA comprise par ligne ; amortissement linéaire, l'année d'achat comptant en entier ; coût complet = entretien + énergie + autres + amortissement (vérifié). Véhicules possédés au 1er janvier.",
            "Maintenance: the costs charged to the vehicle (work orders), equal to the ledger's on those assets in the year (checked); energy VAT included per line; linear amortisation, the year of purchase counting in full; total cost = maintenance + energy + other + amortisation (checked). Vehicles owned on January 1st.",
        ));
        Ok(s)
    }
}
