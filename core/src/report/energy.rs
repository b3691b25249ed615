//! Energy per service (the previous year beside the year) and the décret
//! tertiaire progress of a tenant's buildings, from the energy module's
//! public queries (docs/energy.md).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::model::{
    check_total, Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Report, Section, Series,
    Table, Unit,
};
use super::{frame, pct_cell, ratio, ReportKind};
use crate::energy::{EnergyBreakdownRow, EnergySource, MILESTONES, TERTIARY_MIN_AREA};
use crate::ledger::{Dimension, LedgerFilter};
use crate::{AssetKind, CostNature, Error, Mutualis, Period, Result};

/// The French and English name of an energy.
pub(crate) fn energy_label(s: EnergySource) -> Label {
    match s {
        EnergySource::Electricity => Label::new("Électricité", "Electricity"),
        EnergySource::Gas => Label::new("Gaz naturel", "Natural gas"),
        EnergySource::Water => Label::new("Eau", "Water"),
        EnergySource::HeatingNetwork => Label::new("Réseau de chaleur", "Heating network"),
        EnergySource::FuelOil => Label::new("Fioul", "Fuel oil"),
        EnergySource::Wood => Label::new("Bois", "Wood"),
    }
}

/// kWh and TTC of the previous year and of the year, the year's
/// climate-adjusted kWh (`adjusted_missing` when a row lacks it).
#[derive(Default, Clone, Copy)]
struct Pair {
    kwh0: Decimal,
    ttc0: Decimal,
    kwh: Decimal,
    ttc: Decimal,
    adjusted: Decimal,
    adjusted_missing: bool,
}

impl Pair {
    fn add(&mut self, r: &EnergyBreakdownRow, current: bool) {
        if current {
            self.kwh += r.kwh;
            self.ttc += r.cost_ttc;
            match r.adjusted_kwh {
                Some(a) => self.adjusted += a,
                None => self.adjusted_missing = true,
            }
        } else {
            self.kwh0 += r.kwh;
            self.ttc0 += r.cost_ttc;
        }
    }

    fn adjusted(&self) -> Option<Decimal> {
        (!self.adjusted_missing).then_some(self.adjusted)
    }
}

/// A quantity cell (kWh, m²), shown with one decimal.
fn qty(x: Decimal) -> Cell {
    Cell::Number(x)
}

/// Closes `t`: the amount totals checked against `amounts` (see
/// [`Table::close`]), then each quantity column of `quantities` totalled
/// and checked with [`check_total`] against the query's total (`None`: the
/// total is not known, the cell stays empty).
fn close(
    t: &mut Table,
    amounts: &[(&str, Decimal)],
    quantities: &[(&str, Option<Decimal>)],
) -> Result<()> {
    t.close("Total", amounts)?;
    for (key, want) in quantities {
        let Some(i) = t.column_index(key) else {
            return Err(Error::ReportTotalMismatch {
                table: t.key.clone(),
                column: (*key).to_owned(),
                rows: Decimal::ZERO,
                total: want.unwrap_or_default(),
            });
        };
        let Some(want) = want else { continue };
        let rows: Vec<Decimal> = t
            .rows
            .iter()
            .filter_map(|r| match r.get(i) {
                Some(Cell::Number(x)) => Some(*x),
                _ => None,
            })
            .collect();
        check_total(&t.key, key, &rows, *want)?;
        if let Some(total) = t.total.as_mut() {
            total[i] = qty(rows.iter().copied().sum());
        }
    }
    Ok(())
}

/// The totals of breakdown rows: kWh, TTC, adjusted kWh (if every row has it).
fn sums<'a>(
    rows: impl Iterator<Item = &'a EnergyBreakdownRow>,
) -> (Decimal, Decimal, Option<Decimal>) {
    let mut p = Pair::default();
    for r in rows {
        p.add(r, true);
    }
    (p.kwh, p.ttc, p.adjusted())
}

impl Mutualis {
    /// The energy report: what `tenant` consumes and pays for energy per
    /// service and per energy in `year`, `year - 1` beside it, from
    /// [`Mutualis::energy_by_service`] (each meter's year, net of
    /// sub-meters, to the managing service of its building and to the
    /// tenants paying on 31 December). The per-service tables' totals are
    /// checked against [`Mutualis::energy_by_tenant`] and the per-energy
    /// table's against `energy_by_service`; a last table gives the energy
    /// invoices in the cost ledger (nature `energy`, at their invoice date),
    /// checked against [`Mutualis::ledger_group`].
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`]
    /// (for the year or the year before), [`crate::Error::ReportTotalMismatch`].
    pub fn report_energy(&self, tenant: &str, year: i32) -> Result<Report> {
        let mut r = frame(
            self,
            ReportKind::Energy,
            Label::new(
                format!("Énergie par service {year}"),
                format!("Energy per service {year}"),
            ),
            tenant,
            year,
        )?;
        let prev = year - 1;
        let (from, _) = super::year_bounds(prev)?;
        let (_, to) = super::year_bounds(year)?;
        let me = r.tenant.clone();
        let mine = |rows: Vec<EnergyBreakdownRow>| -> Vec<EnergyBreakdownRow> {
            rows.into_iter().filter(|x| x.tenant == me).collect()
        };
        let service0 = mine(self.energy_by_service(prev)?);
        let service1 = mine(self.energy_by_service(year)?);
        let tenant0 = mine(self.energy_by_tenant(prev)?);
        let tenant1 = mine(self.energy_by_tenant(year)?);

        let mut by_service: BTreeMap<String, Pair> = BTreeMap::new();
        let mut by_service_energy: BTreeMap<(String, EnergySource), Pair> = BTreeMap::new();
        for (rows, current) in [(&service0, false), (&service1, true)] {
            for x in rows {
                let s = x.service.clone().unwrap_or_default();
                by_service_energy
                    .entry((s.clone(), x.source))
                    .or_default()
                    .add(x, current);
                by_service.entry(s).or_default().add(x, current);
            }
        }
        let mut by_energy: BTreeMap<EnergySource, Pair> = BTreeMap::new();
        for (rows, current) in [(&tenant0, false), (&tenant1, true)] {
            for x in rows {
                by_energy.entry(x.source).or_default().add(x, current);
            }
        }
        // the totals each table is checked against
        let (tk0, tc0, _) = sums(tenant0.iter());
        let (tk1, tc1, ta1) = sums(tenant1.iter());
        let (sk0, sc0, _) = sums(service0.iter());
        let (sk1, sc1, sa1) = sums(service1.iter());

        let kwh_col = |key: &str, y: i32| {
            Column::new(key, &format!("kWh {y}"), &format!("kWh {y}"), K::Number)
        };
        let ttc_col = |key: &str, y: i32| {
            Column::new(
                key,
                &format!("TTC {y}"),
                &format!("Incl. VAT {y}"),
                K::Amount,
            )
        };
        let adjusted_col = Column::new(
            "adjusted_kwh",
            &format!("kWh corrigés du climat {year}"),
            &format!("Climate-adjusted kWh {year}"),
            K::Number,
        );
        let change_col = Column::new("change_kwh", "Évolution kWh", "Change in kWh", K::Percent);

        // per service
        let mut t = Table::new(
            "by_service",
            Label::new("Par service", "Per service"),
            vec![
                Column::new("service", "Service", "Service", K::Code),
                Column::new("service_name", "Libellé", "Name", K::Text),
                kwh_col("kwh_previous", prev),
                ttc_col("ttc_previous", prev),
                kwh_col("kwh", year),
                ttc_col("ttc", year),
                change_col.clone(),
            ],
        );
        let series = |fr0: String, en0: String, fr1: String, en1: String| {
            vec![
                Series {
                    label: Label::new(fr0, en0),
                    values: Vec::new(),
                },
                Series {
                    label: Label::new(fr1, en1),
                    values: Vec::new(),
                },
            ]
        };
        let mut kwh_chart = Chart {
            key: "by_service_kwh".into(),
            kind: ChartKind::Bars,
            title: Label::new(
                format!("Consommation par service (kWh), {prev} et {year}"),
                format!("Consumption per service (kWh), {prev} and {year}"),
            ),
            unit: Unit::Kwh,
            categories: Vec::new(),
            series: series(
                prev.to_string(),
                prev.to_string(),
                year.to_string(),
                year.to_string(),
            ),
        };
        let mut cost_chart = Chart {
            key: "by_service_ttc".into(),
            kind: ChartKind::Bars,
            title: Label::new(
                format!("Coût TTC par service, {prev} et {year}"),
                format!("Cost incl. VAT per service, {prev} and {year}"),
            ),
            unit: Unit::Euros,
            categories: Vec::new(),
            series: kwh_chart.series.clone(),
        };
        for (service, p) in &by_service {
            let (code, name) = self.service_display(service);
            t.push(vec![
                Cell::Code(code.clone()),
                Cell::Text(name),
                qty(p.kwh0),
                Cell::amount(p.ttc0),
                qty(p.kwh),
                Cell::amount(p.ttc),
                pct_cell(ratio(p.kwh - p.kwh0, p.kwh0)),
            ]);
            for (c, v0, v1) in [
                (&mut kwh_chart, p.kwh0, p.kwh),
                (&mut cost_chart, p.ttc0, p.ttc),
            ] {
                c.categories.push(code.clone());
                c.series[0].values.push(v0);
                c.series[1].values.push(v1);
            }
        }
        close(
            &mut t,
            &[("ttc_previous", tc0), ("ttc", tc1)],
            &[("kwh_previous", Some(tk0)), ("kwh", Some(tk1))],
        )?;
        if let Some(total) = t.total.as_mut() {
            total[6] = pct_cell(ratio(tk1 - tk0, tk0));
        }
        let mut s1 = Section::new(
            "Consommation et coût par service",
            "Consumption and cost per service",
        );
        if !by_service.is_empty() {
            s1.charts.push(kwh_chart);
            s1.charts.push(cost_chart);
        }
        s1.tables.push(t);

        // per service and energy
        let mut t = Table::new(
            "by_service_energy",
            Label::new("Par service et énergie", "Per service and energy"),
            vec![
                Column::new("service", "Service", "Service", K::Code),
                Column::new("energy", "Énergie", "Energy", K::Text),
                kwh_col("kwh_previous", prev),
                ttc_col("ttc_previous", prev),
                kwh_col("kwh", year),
                adjusted_col.clone(),
                ttc_col("ttc", year),
            ],
        );
        for ((service, source), p) in &by_service_energy {
            let (code, _) = self.service_display(service);
            t.push(vec![
                Cell::Code(code),
                Cell::Label(energy_label(*source)),
                qty(p.kwh0),
                Cell::amount(p.ttc0),
                qty(p.kwh),
                p.adjusted().map_or(Cell::Empty, qty),
                Cell::amount(p.ttc),
            ]);
        }
        close(
            &mut t,
            &[("ttc_previous", tc0), ("ttc", tc1)],
            &[
                ("kwh_previous", Some(tk0)),
                ("kwh", Some(tk1)),
                ("adjusted_kwh", ta1),
            ],
        )?;
        let mut s2 = Section::new("Détail par énergie", "Detail per energy");
        s2.tables.push(t);

        // per energy (energy_by_tenant), checked against energy_by_service
        let mut t = Table::new(
            "by_energy",
            Label::new("Par énergie", "Per energy"),
            vec![
                Column::new("energy", "Énergie", "Energy", K::Text),
                kwh_col("kwh_previous", prev),
                ttc_col("ttc_previous", prev),
                kwh_col("kwh", year),
                adjusted_col,
                ttc_col("ttc", year),
                change_col,
            ],
        );
        for (source, p) in &by_energy {
            t.push(vec![
                Cell::Label(energy_label(*source)),
                qty(p.kwh0),
                Cell::amount(p.ttc0),
                qty(p.kwh),
                p.adjusted().map_or(Cell::Empty, qty),
                Cell::amount(p.ttc),
                pct_cell(ratio(p.kwh - p.kwh0, p.kwh0)),
            ]);
        }
        close(
            &mut t,
            &[("ttc_previous", sc0), ("ttc", sc1)],
            &[
                ("kwh_previous", Some(sk0)),
                ("kwh", Some(sk1)),
                ("adjusted_kwh", sa1),
            ],
        )?;
        if let Some(total) = t.total.as_mut() {
            total[6] = pct_cell(ratio(sk1 - sk0, sk0));
        }
        s2.tables.push(t);

        // the energy invoices in the cost ledger, at their invoice date
        let filter = LedgerFilter {
            period: Some(Period::new(from, Some(to))?),
            payer: Some(me.clone()),
            nature: Some(CostNature::Energy),
            ..LedgerFilter::default()
        };
        let groups = self.ledger_group(&[Dimension::Service, Dimension::Year], &filter)?;
        let totals = self.ledger_group(&[Dimension::Year], &filter)?;
        let (y0, y1) = (prev.to_string(), year.to_string());
        let total_of = |y: &str| {
            totals
                .iter()
                .find(|g| g.keys[0] == y)
                .map_or((Decimal::ZERO, Decimal::ZERO), |g| (g.ht, g.ttc))
        };
        let (lh0, lt0) = total_of(&y0);
        let (lh1, lt1) = total_of(&y1);
        let mut ledger: BTreeMap<&str, [Decimal; 4]> = BTreeMap::new();
        for g in &groups {
            let e = ledger.entry(g.keys[0].as_str()).or_default();
            if g.keys[1] == y1 {
                e[2] += g.ht;
                e[3] += g.ttc;
            } else {
                e[0] += g.ht;
                e[1] += g.ttc;
            }
        }
        let mut t = Table::new(
            "ledger",
            Label::new(
                "Factures d'énergie au grand livre des coûts (à la date de facture)",
                "Energy invoices in the cost ledger (at their invoice date)",
            ),
            vec![
                Column::new("service", "Service", "Service", K::Code),
                Column::new("service_name", "Libellé", "Name", K::Text),
                Column::new(
                    "ht_previous",
                    &format!("HT {prev}"),
                    &format!("Excl. VAT {prev}"),
                    K::Amount,
                ),
                ttc_col("ttc_previous", prev),
                Column::new(
                    "ht",
                    &format!("HT {year}"),
                    &format!("Excl. VAT {year}"),
                    K::Amount,
                ),
                ttc_col("ttc", year),
            ],
        );
        for (service, a) in &ledger {
            let (code, name) = self.service_display(service);
            t.push(vec![
                Cell::Code(code),
                Cell::Text(name),
                Cell::amount(a[0]),
                Cell::amount(a[1]),
                Cell::amount(a[2]),
                Cell::amount(a[3]),
            ]);
        }
        t.close(
            "Total",
            &[
                ("ht_previous", lh0),
                ("ttc_previous", lt0),
                ("ht", lh1),
                ("ttc", lt1),
            ],
        )?;
        let mut s3 = Section::new("Au grand livre des coûts", "In the cost ledger");
        s3.tables.push(t);
        s3.notes.push(Label::new(
            "Le grand livre date chaque facture à sa date de facture et la répartit selon la clé en vigueur ce jour-là ; les tableaux de consommation ci-dessus répartissent chaque facture sur sa période, au prorata des jours, et l'année d'un compteur selon qui paie au 31 décembre : les deux vues sont exactes et peuvent différer (factures de décembre reçues en janvier, changement de clé en cours d'année, centimes d'arrondi).",
            "The ledger dates each invoice at its invoice date and splits it by the key in force that day; the consumption tables above spread each invoice over its period by days, and a meter's year by who pays on 31 December: both views are exact and may differ (December invoices received in January, a key changed during the year, rounding cents).",
        ));

        r.sections.extend([s1, s2, s3]);
        r.notes.push(Label::new(
            "Source : energy_by_service et energy_by_tenant (consommation en kWh d'énergie finale nette des sous-compteurs, coût TTC, par collectivité payeuse au 31 décembre : clé de répartition du bien en vigueur, sinon le détenteur), ledger_group (nature énergie). Service : le service gestionnaire du bâtiment du compteur ou de son ancêtre le plus proche qui en a un.",
            "Source: energy_by_service and energy_by_tenant (final-energy kWh net of sub-meters, cost incl. VAT, per paying tenant on 31 December: the asset's sharing key then in force, else the holder), ledger_group (nature energy). Service: the managing service of the meter's building or of its nearest ancestor with one.",
        ));
        r.notes.push(Label::new(
            "Factures au prorata des jours de leur période (les deux bornes comprises) ; correction climatique : C × DJU de référence / DJU de l'année pour les compteurs de chauffage rattachés à une station (vide quand les DJU de l'année manquent).",
            "Invoices prorated by the days of their period (both ends included); climate correction: C × reference DJU / DJU of the year for heating meters with a weather station (empty when the year's DJU are missing).",
        ));
        Ok(r)
    }

    /// The décret tertiaire report (CCH L174-1, R174-22 ff.): per building
    /// declared under it that `tenant` pays for on 31 December of `year`
    /// (the sharing key then in force or the holder; its owner when it is
    /// no longer in service) — from [`Mutualis::tertiary_status`]: the
    /// reference year and consumption, the year's climate-adjusted
    /// consumption, the reduction achieved, the next milestone's target
    /// (2030 until 2030) and the gap. A site whose weather station lacks
    /// the year's degree days says so in its row. A second table lists the
    /// tenant's buildings of 1 000 m² or more that are not declared: no
    /// reference, so no figure (none is invented).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`], and those of the queries read.
    pub fn report_tertiaire(&self, tenant: &str, year: i32) -> Result<Report> {
        let mut r = frame(
            self,
            ReportKind::Tertiaire,
            Label::new(
                format!("Décret tertiaire : trajectoire {year}"),
                format!("Décret tertiaire: progress {year}"),
            ),
            tenant,
            year,
        )?;
        let (_, last) = super::year_bounds(year)?;
        let me = self.tenant_id(&r.tenant)?;
        let (milestone, cut) = MILESTONES
            .iter()
            .copied()
            .find(|(y, _)| *y >= year)
            .unwrap_or(MILESTONES[MILESTONES.len() - 1]);
        let assets = self.assets();
        let pays = |a: crate::ids::AssetId| -> Result<bool> {
            let asset = &assets[a.index()];
            if asset.in_service(last) {
                Ok(self
                    .payers_of(a, last)?
                    .shares
                    .iter()
                    .any(|s| s.tenant == me))
            } else {
                Ok(asset.owner == me)
            }
        };
        let mut t = Table::new(
            "sites",
            Label::new(
                "Bâtiments déclarés (surface tertiaire ≥ 1 000 m²) — consommations en kWh d'énergie finale",
                "Declared buildings (tertiary floor area ≥ 1,000 m²) — final-energy kWh",
            ),
            vec![
                Column::new("building", "Bâtiment", "Building", K::Code),
                Column::new("activity", "Activité", "Activity", K::Text),
                Column::new("floor_area", "m²", "m²", K::Number),
                Column::new("reference_year", "Année réf.", "Ref. year", K::Code),
                Column::new("reference_kwh", "Référence", "Reference", K::Number),
                Column::new(
                    "adjusted_kwh",
                    &format!("Corrigé {year}"),
                    &format!("Adjusted {year}"),
                    K::Number,
                ),
                Column::new("reduction", "Réduction", "Reduction", K::Percent),
                Column::new(
                    "target_kwh",
                    &format!("Objectif {milestone}"),
                    &format!("{milestone} target"),
                    K::Number,
                ),
                Column::new("gap_kwh", "Écart", "Gap", K::Number),
                Column::new("status", "Situation", "Status", K::Text),
            ],
        );
        let mut chart = Chart {
            key: "sites".into(),
            kind: ChartKind::Bars,
            title: Label::new(
                format!("Référence, consommation corrigée {year} et objectif {milestone} (kWh)"),
                format!("Reference, adjusted consumption {year} and {milestone} target (kWh)"),
            ),
            unit: Unit::Kwh,
            categories: Vec::new(),
            series: vec![
                Series {
                    label: Label::new("Référence", "Reference"),
                    values: Vec::new(),
                },
                Series {
                    label: Label::new(format!("{year} corrigé"), format!("{year} adjusted")),
                    values: Vec::new(),
                },
                Series {
                    label: Label::new(
                        format!("Objectif {milestone}"),
                        format!("{milestone} target"),
                    ),
                    values: Vec::new(),
                },
            ],
        };
        // column sums: floor area and reference of every site shown; the
        // reference, adjusted, target and gap of the sites with figures
        let (mut area, mut reference) = (Decimal::ZERO, Decimal::ZERO);
        let mut sums = [Decimal::ZERO; 4];
        let mut declared = Vec::new();
        for site in self.tertiary_sites() {
            declared.push(site.building);
            if !pays(site.building)? {
                continue;
            }
            let asset = &assets[site.building.index()];
            area += site.floor_area;
            reference += site.reference_kwh;
            let mut row = vec![
                Cell::Code(asset.code.clone()),
                Cell::Text(site.activity.clone()),
                qty(site.floor_area),
                Cell::Code(site.reference_year.to_string()),
                qty(site.reference_kwh),
            ];
            match self.tertiary_status(&asset.code, year) {
                Ok(s) => {
                    let zero_reference = s.reference_kwh.is_zero();
                    let mut status = if zero_reference && site.absolute_threshold.is_none() {
                        Label::new("Référence nulle", "Zero reference")
                    } else if s.gap_kwh > Decimal::ZERO {
                        Label::new("Au-dessus de l'objectif", "Above the target")
                    } else {
                        Label::new("Objectif atteint", "Target met")
                    };
                    if let Some(th) = site.absolute_threshold {
                        status = Label::new(
                            format!(
                                "{} (seuil {} kWh/m²)",
                                status.fr,
                                super::format::number(th, 2, super::Locale::Fr)
                            ),
                            format!(
                                "{} (threshold {} kWh/m²)",
                                status.en,
                                super::format::number(th, 2, super::Locale::En)
                            ),
                        );
                    }
                    row.extend([
                        qty(s.adjusted_kwh),
                        if zero_reference {
                            Cell::Empty
                        } else {
                            Cell::Percent(s.reduction * Decimal::ONE_HUNDRED)
                        },
                        qty(s.target_kwh),
                        qty(s.gap_kwh),
                        Cell::Label(status),
                    ]);
                    for (acc, x) in sums.iter_mut().zip([
                        s.reference_kwh,
                        s.adjusted_kwh,
                        s.target_kwh,
                        s.gap_kwh,
                    ]) {
                        *acc += x;
                    }
                    chart.categories.push(asset.code.clone());
                    chart.series[0].values.push(s.reference_kwh);
                    chart.series[1].values.push(s.adjusted_kwh);
                    chart.series[2].values.push(s.target_kwh);
                }
                Err(Error::MissingDju { .. }) => {
                    row.extend([
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Label(Label::new(
                            format!("Degrés-jours {year} manquants"),
                            format!("Degree days of {year} missing"),
                        )),
                    ]);
                }
                Err(e) => return Err(e),
            }
            t.push(row);
        }
        close(
            &mut t,
            &[],
            &[
                ("floor_area", Some(area)),
                ("reference_kwh", Some(reference)),
                ("adjusted_kwh", Some(sums[1])),
                ("target_kwh", Some(sums[2])),
                ("gap_kwh", Some(sums[3])),
            ],
        )?;
        if let Some(total) = t.total.as_mut() {
            // the reduction of the sites with figures taken together
            total[6] = pct_cell(ratio(sums[0] - sums[1], sums[0]).map(|p| p.round_dp(2)));
        }
        let mut s = Section::new(
            "Trajectoire des bâtiments déclarés",
            "Progress of the declared buildings",
        );
        if !chart.categories.is_empty() {
            s.charts.push(chart);
        }
        s.tables.push(t);
        s.notes.push(Label::new(
            "Écart = consommation corrigée − objectif (positif : au-dessus de l'objectif) ; réduction = 1 − corrigée / référence. « Degrés-jours manquants » : la station météo d'un compteur de chauffage n'a pas de DJU pour l'année, la consommation corrigée n'est pas calculée. Le total porte sur les bâtiments chiffrés (surface et référence : tous les bâtiments déclarés).",
            "Gap = adjusted consumption − target (positive: above the target); reduction = 1 − adjusted / reference. \"Degree days missing\": a heating meter's weather station has no DJU for the year, no adjusted consumption is computed. The total covers the buildings with figures (floor area and reference: every declared building).",
        ));
        r.sections.push(s);

        // buildings of 1 000 m² or more not declared (nor within a declared group)
        let mut t = Table::new(
            "undeclared",
            Label::new(
                "Bâtiments de 1 000 m² ou plus non déclarés",
                "Buildings of 1,000 m² or more not declared",
            ),
            vec![
                Column::new("building", "Bâtiment", "Building", K::Code),
                Column::new("name", "Nom", "Name", K::Text),
                Column::new("floor_area", "Surface (m²)", "Floor area (m²)", K::Number),
                Column::new("status", "Situation", "Status", K::Text),
            ],
        );
        let mut undeclared_area = Decimal::ZERO;
        for a in assets {
            let Some(floor_area) = a.floor_area else {
                continue;
            };
            if a.kind != AssetKind::Building
                || floor_area < TERTIARY_MIN_AREA
                || !a.in_service(last)
            {
                continue;
            }
            let mut up = Some(a.id);
            let mut covered = false;
            while let Some(x) = up {
                if declared.contains(&x) {
                    covered = true;
                    break;
                }
                up = assets[x.index()].parent;
            }
            if covered || !pays(a.id)? {
                continue;
            }
            undeclared_area += floor_area;
            t.push(vec![
                Cell::Code(a.code.clone()),
                Cell::Text(a.name.clone()),
                qty(floor_area),
                Cell::Label(Label::new(
                    "Pas d'année de référence (non déclaré)",
                    "No reference year (not declared)",
                )),
            ]);
        }
        close(&mut t, &[], &[("floor_area", Some(undeclared_area))])?;
        let mut s = Section::new("Bâtiments non déclarés", "Buildings not declared");
        s.tables.push(t);
        s.notes.push(Label::new(
            "Bâtiments dont la surface enregistrée atteint 1 000 m² et qui ne sont pas déclarés (ni compris dans un ensemble déclaré) : assujettis si leur surface tertiaire atteint 1 000 m². Sans année de référence, aucun chiffre n'est donné.",
            "Buildings whose recorded floor area reaches 1,000 m² and that are not declared (nor part of a declared group): subject to the décret if their tertiary floor area reaches 1,000 m². Without a reference year, no figure is given.",
        ));
        r.sections.push(s);

        let cut_pct = cut * Decimal::ONE_HUNDRED;
        r.notes.push(Label::new(
            format!(
                "Source : tertiary_sites et tertiary_status (CCH L174-1, R174-22 et suivants). Objectifs : −40 % en 2030, −50 % en 2040, −60 % en 2050 par rapport à l'année de référence (2010 ou après), ou un seuil absolu par activité (kWh/m² × surface) ; jalon suivant {year} : {milestone} (−{} %). Consommation d'énergie finale (eau exclue), chauffage corrigé du climat par les degrés-jours (C × DJU de référence / DJU de l'année).",
                super::format::number(cut_pct, 0, super::Locale::Fr)
            ),
            format!(
                "Source: tertiary_sites and tertiary_status (CCH L174-1, R174-22 ff.). Targets: −40% in 2030, −50% in 2040, −60% in 2050 from the reference year (2010 or later), or an absolute threshold per activity (kWh/m² × floor area); next milestone from {year}: {milestone} (−{}%). Final-energy consumption (water excluded), heating adjusted by degree days (C × reference DJU / DJU of the year).",
                super::format::number(cut_pct, 0, super::Locale::En)
            ),
        ));
        r.notes.push(Label::new(
            "Bâtiments retenus : ceux que la collectivité paie au 31 décembre (clé de répartition en vigueur, sinon le détenteur ; le propriétaire d'un bâtiment qui n'est plus en service).",
            "Buildings shown: those the tenant pays for on 31 December (the sharing key then in force, else the holder; the owner of a building no longer in service).",
        ));
        Ok(r)
    }
}
