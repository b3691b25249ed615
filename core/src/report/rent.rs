//! The rent roll (état locatif): per contract the rent and charges due in
//! the year, received, the balance; the rents in force at the year's end.

use chrono::Datelike;
use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, year_bounds, ReportKind};
use crate::leases::{LeaseKind, LeaseSide, RentPeriodicity, RollBy};
use crate::{Mutualis, Result};

/// The French and English label of a type of contract.
fn kind_label(k: LeaseKind) -> Label {
    match k {
        LeaseKind::Commercial => Label::new("Bail commercial", "Commercial lease"),
        LeaseKind::Professional => Label::new("Bail professionnel", "Professional lease"),
        LeaseKind::Residential => Label::new("Bail d'habitation", "Residential lease"),
        LeaseKind::PublicDomain => {
            Label::new("Occupation du domaine public", "Public domain occupation")
        }
        LeaseKind::FreeOccupation => Label::new("Mise à disposition gratuite", "Free occupation"),
        _ => Label::new("Bail entre collectivités", "Lease between collectivités"),
    }
}

impl Mutualis {
    /// The rent roll (état locatif) of `tenant` for `year`, from the leases
    /// module's public queries, the contracts where it is lessor first, then
    /// (if any) those where it is lessee:
    ///
    /// - per contract meeting the year: premises, occupant (or lessor),
    ///   type, dates, the rent and charge provisions called for the year
    ///   ([`Mutualis::rent_calls`], each calendar period in the year),
    ///   their sum due, the receipts dated in the year
    ///   ([`Mutualis::rent_receipts`]) and the balance (due − received);
    ///   rent + charges = due and due − received = balance (checked); a
    ///   chart of the rent and charges due per month (their due dates),
    ///   adding up to the total due (checked);
    /// - the contracts in force on December 31st ([`Mutualis::rent_roll`]):
    ///   rent per period and yearly, surface; the yearly total equals
    ///   [`Mutualis::rent_roll_by`] for the tenant (checked).
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`].
    pub fn report_rent(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Rent,
            Label::new(format!("État locatif {year}"), format!("Rent roll {year}")),
            tenant,
            year,
        )?;
        let me = self.tenant_id(tenant)?;
        let (first, last) = year_bounds(year)?;
        for side in [LeaseSide::Lessor, LeaseSide::Lessee] {
            let lessor = side == LeaseSide::Lessor;
            let suffix = if lessor { "" } else { "_lessee" };
            let (other_fr, other_en) = if lessor {
                ("Occupant", "Occupant")
            } else {
                ("Bailleur", "Lessor")
            };
            let mut t = Table::new(
                &format!("rent_roll{suffix}"),
                Label::new(
                    format!("Loyers et charges {year} par contrat"),
                    format!("Rent and charges {year} per contract"),
                ),
                vec![
                    Column::new("lease", "Contrat", "Contract", K::Code),
                    Column::new("premises", "Locaux", "Premises", K::Code),
                    Column::new("party", other_fr, other_en, K::Text),
                    Column::new("kind", "Type", "Type", K::Text),
                    Column::new("rent", "Loyer dû", "Rent due", K::Amount),
                    Column::new("charges", "Provisions sur charges", "Charges", K::Amount),
                    Column::new("due", "Total dû", "Total due", K::Amount),
                    Column::new(
                        "received",
                        if lessor { "Encaissé" } else { "Payé" },
                        if lessor { "Received" } else { "Paid" },
                        K::Amount,
                    ),
                    Column::new("balance", "Solde", "Balance", K::Amount),
                ],
            );
            let categories: Vec<String> = (1..=12).map(|m| format!("{year}-{m:02}")).collect();
            let mut by_month = [[Decimal::ZERO; 12]; 2];
            let mut sums = [Decimal::ZERO; 5];
            for l in self
                .leases()
                .iter()
                .filter(|l| l.tenant == me && l.side == side)
            {
                let calls = self.rent_calls(&l.code, first, last)?;
                let received: Decimal = self
                    .rent_receipts(&l.code)?
                    .iter()
                    .filter(|x| x.date >= first && x.date <= last)
                    .map(|x| x.amount)
                    .sum();
                if calls.is_empty() && received.is_zero() {
                    continue;
                }
                let (mut rent, mut charges) = (Decimal::ZERO, Decimal::ZERO);
                for c in &calls {
                    rent += c.rent;
                    charges += c.provision;
                    let m = c.due.month0() as usize;
                    by_month[0][m] += c.rent;
                    by_month[1][m] += c.provision;
                }
                let due = rent + charges;
                let parts = [rent, charges, due, received, due - received];
                let party = self.parties().get(l.party);
                let asset = &self.assets()[l.asset.index()];
                t.push(vec![
                    Cell::Code(l.code.clone()),
                    Cell::Code(asset.code.clone()),
                    party.map_or(Cell::Empty, |p| Cell::Text(p.name.clone())),
                    Cell::Label(kind_label(l.kind)),
                    Cell::amount(parts[0]),
                    Cell::amount(parts[1]),
                    Cell::amount(parts[2]),
                    Cell::amount(parts[3]),
                    Cell::amount(parts[4]),
                ]);
                for (acc, x) in sums.iter_mut().zip(parts) {
                    *acc += crate::money::round_cents(x);
                }
            }
            let key = t.key.clone();
            t.close(
                "Total",
                &[
                    ("rent", sums[0]),
                    ("charges", sums[1]),
                    ("due", sums[2]),
                    ("received", sums[3]),
                    ("balance", sums[4]),
                ],
            )?;
            // rent + charges = due; due − received = balance; the months add up to the due
            super::check_total(&key, "due", &sums[..2], sums[2])?;
            super::check_total(&key, "balance", &[sums[2], -sums[3]], sums[4])?;
            let months: Vec<Decimal> = by_month.iter().flatten().copied().collect();
            super::check_total(&key, "due", &months, sums[2])?;

            let in_force = self.in_force_table(me, side, year, suffix)?;
            if !lessor && t.rows.is_empty() && in_force.rows.is_empty() {
                continue;
            }
            let mut s = if lessor {
                Section::new(
                    "Locaux loués par la collectivité (bailleur)",
                    "Premises let by the collectivité (lessor)",
                )
            } else {
                Section::new(
                    "Locaux pris à bail (preneur)",
                    "Premises rented by the collectivité (lessee)",
                )
            };
            if !t.rows.is_empty() {
                s.charts.push(Chart {
                    key: format!("by_month{suffix}"),
                    kind: ChartKind::Stacked,
                    title: Label::new(
                        "Loyers et charges dus par mois",
                        "Rent and charges due per month",
                    ),
                    unit: Unit::Euros,
                    categories,
                    series: vec![
                        Series {
                            label: Label::new("Loyers", "Rent"),
                            values: by_month[0].to_vec(),
                        },
                        Series {
                            label: Label::new("Charges", "Charges"),
                            values: by_month[1].to_vec(),
                        },
                    ],
                });
            }
            s.tables.push(t);
            s.tables.push(in_force);
            r.sections.push(s);
        }
        r.notes.push(Label::new(
            "Source : rent_calls (appels de loyer et de provisions des périodes civiles de l'année, au prorata des jours d'occupation), rent_receipts (encaissements datés de l'année), rent_roll et rent_roll_by au 31/12 (loyers en vigueur). Solde = dû − encaissé sur l'année ; les impayés des années antérieures relèvent de lease_arrears.",
            "Source: rent_calls (the rent and provision calls of the calendar periods of the year, pro rata of the days occupied), rent_receipts (receipts dated in the year), rent_roll and rent_roll_by on 31/12 (rents in force). Balance = due − received over the year; arrears of earlier years are lease_arrears'.",
        ));
        Ok(r)
    }

    /// The contracts of `me` on `side` in force on December 31st of `year`,
    /// their yearly total checked against [`Mutualis::rent_roll_by`].
    fn in_force_table(
        &self,
        me: crate::TenantId,
        side: LeaseSide,
        year: i32,
        suffix: &str,
    ) -> Result<Table> {
        let (_, last) = year_bounds(year)?;
        let code = self.tenant_code(me);
        let mut t = Table::new(
            &format!("in_force{suffix}"),
            Label::new(
                format!(
                    "Loyers en vigueur au {}",
                    super::format::date(last, super::Locale::Fr)
                ),
                format!(
                    "Rents in force on {}",
                    super::format::date(last, super::Locale::En)
                ),
            ),
            vec![
                Column::new("lease", "Contrat", "Contract", K::Code),
                Column::new("premises", "Locaux", "Premises", K::Code),
                Column::new("building", "Bâtiment", "Building", K::Code),
                Column::new("party", "Tiers", "Party", K::Code),
                Column::new("end", "Fin", "End", K::Date),
                Column::new("kind", "Type", "Type", K::Text),
                Column::new("surface", "Surface (m²)", "Surface (m²)", K::Number),
                Column::new("periodicity", "Échéances", "Periodicity", K::Text),
                Column::new("annual_rent", "Loyer annuel", "Yearly rent", K::Amount),
            ],
        );
        for row in self
            .rent_roll(last)
            .into_iter()
            .filter(|x| x.tenant == code && x.side == side)
        {
            let lease = self.lease(&row.lease)?;
            let periodicity = match lease.periodicity {
                RentPeriodicity::Monthly => Label::new("mensuelles", "monthly"),
                RentPeriodicity::Quarterly => Label::new("trimestrielles", "quarterly"),
                _ => Label::new("annuelles", "yearly"),
            };
            t.push(vec![
                Cell::Code(row.lease),
                Cell::Code(row.asset),
                Cell::Code(row.building),
                Cell::Code(row.party),
                lease.last_day().map_or(Cell::Empty, Cell::Date),
                Cell::Label(kind_label(row.kind)),
                row.surface.map_or(Cell::Empty, Cell::Number),
                Cell::Label(periodicity),
                Cell::amount(row.annual_rent),
            ]);
        }
        let expected: Decimal = self
            .rent_roll_by(last, RollBy::Tenant, side)
            .iter()
            .filter(|g| g.key == code)
            .map(|g| g.annual_rent)
            .sum();
        t.close("Total", &[("annual_rent", expected)])?;
        Ok(t)
    }
}
