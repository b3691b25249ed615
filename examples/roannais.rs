//! The Roannais scenario: Roannais Agglomération and three member communes
//! (Roanne, Mably, Villerest), their services and a realistic patrimoine,
//! with a transferred gymnasium, a building shared by the agglomeration and
//! Roanne, roads, green spaces and vehicles.
//!
//! It prints who owns, who holds and who pays for each asset on chosen dates,
//! then saves the dataset as JSON and checks that it loads back identically.
//!
//! Run: `cargo run --example roannais [-- path/to/dataset.json]`.

use std::error::Error as StdError;
use std::path::PathBuf;

use chrono::NaiveDate;
use mutualis::store::Store;
use mutualis::Period;
use mutualis::{Mutualis, PayerSource};
use mutualis_examples::{d, roannais_full};
use rust_decimal::Decimal;

fn describe_payers(m: &Mutualis, asset: &str, date: NaiveDate) -> String {
    if m.asset(asset).is_ok_and(|a| !a.in_service(date)) {
        return "— (not in service)".to_owned();
    }
    match m.payers(asset, date) {
        Ok(p) => {
            let total: u64 = p.shares.iter().map(|s| s.weight).sum();
            let who: Vec<String> = p
                .shares
                .iter()
                .map(|s| {
                    if p.shares.len() == 1 {
                        m.tenant_code(s.tenant).to_owned()
                    } else {
                        let pct =
                            Decimal::from(s.weight) * Decimal::ONE_HUNDRED / Decimal::from(total);
                        format!(
                            "{} {}%",
                            m.tenant_code(s.tenant),
                            pct.round_dp(1).normalize()
                        )
                    }
                })
                .collect();
            let why = match p.source {
                PayerSource::SharingKey { asset: a } => format!("key of {}", m.asset_code(a)),
                PayerSource::Custody { asset: a } => format!("custody of {}", m.asset_code(a)),
                PayerSource::Owner => "owner".to_owned(),
            };
            format!("{} ({why})", who.join(" + "))
        }
        Err(e) => format!("— ({e})"),
    }
}

/// Registers the scenario's vehicles in the fleet with a year of readings
/// and fuel, their inspections and a maintenance plan.
fn add_fleet(m: &mut Mutualis) -> mutualis::Result<()> {
    use mutualis::fleet::{
        Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine, NewInspection,
        NewMaintenancePlan, NewVehicle, VehicleCategory,
    };
    let day = |y, mo, j| NaiveDate::from_ymd_opt(y, mo, j).unwrap_or_default();
    m.register_vehicle(
        NewVehicle::new(
            "VH-AGGLO-BENNE",
            VehicleCategory::TruckOver3_5t,
            Energy::Diesel,
        )
        .registered("FK-482-QZ", day(2019, 2, 14))
        .assigned_to("AGGLO", "PARC"),
    )?;
    m.register_vehicle(
        NewVehicle::new("VH-ROANNE-KANGOO", VehicleCategory::Van, Energy::Electric)
            .registered("GA-103-RT", day(2021, 9, 3))
            .assigned_to("ROANNE", "PARC"),
    )?;
    m.register_vehicle(NewVehicle::new(
        "VH-VILLEREST-TRAFIC",
        VehicleCategory::Van,
        Energy::Diesel,
    ))?;
    let ct = |date, result| NewInspection {
        kind: InspectionKind::ControleTechnique,
        date,
        result,
        counter_visit_by: None,
    };
    m.record_inspection(
        "VH-AGGLO-BENNE",
        ct(day(2025, 2, 10), InspectionResult::Passed),
    )?;
    m.record_inspection(
        "VH-ROANNE-KANGOO",
        ct(day(2025, 8, 28), InspectionResult::Passed),
    )?;
    // a year of monthly odometer readings and fills
    let (mut benne, mut kangoo) = (182_400u64, 38_900u64);
    for month in 1..=12 {
        let date = day(2025, month, 28);
        benne += 1_450;
        kangoo += 820;
        m.record_meter_reading("VH-AGGLO-BENNE", Meter::Km, date, benne)?;
        m.record_meter_reading("VH-ROANNE-KANGOO", Meter::Km, date, kangoo)?;
        m.record_fuel(
            "VH-AGGLO-BENNE",
            NewFuelLine {
                date,
                quantity: Decimal::new(4_930, 1),
                unit: FuelUnit::Litres,
                ht: Decimal::new(73_950, 2),
                vat: mutualis::VatRate::Standard,
            },
        )?;
        m.record_fuel(
            "VH-ROANNE-KANGOO",
            NewFuelLine {
                date,
                quantity: Decimal::new(1_480, 1),
                unit: FuelUnit::Kwh,
                ht: Decimal::new(2_960, 2),
                vat: mutualis::VatRate::Standard,
            },
        )?;
    }
    m.add_maintenance_plan(NewMaintenancePlan {
        code: "PM-BENNE-VIDANGE".into(),
        vehicle: "VH-AGGLO-BENNE".into(),
        label: "Vidange, filtres".into(),
        every_km: Some(30_000),
        every_hours: None,
        every_months: Some(12),
        last_date: day(2025, 4, 2),
        last_km: Some(186_700),
        last_hours: None,
    })?;
    Ok(())
}

/// An amount in the French way: `10 292,09 €` (the library's report
/// format: U+202F between thousands, U+00A0 before the euro sign).
fn euros(x: Decimal) -> String {
    mutualis::report::format::amount(x, mutualis::report::Locale::Fr)
}

/// Kilowatt-hours the French way: `1 234 567,00 kWh`.
fn kwh(x: Decimal) -> String {
    euros(x).replace('€', "kWh")
}

/// The agglomeration's energy: its consumption per service (its parts of
/// every building it pays for, by the sharing keys), the décret tertiaire
/// status of its buildings ≥ 1 000 m², and its energy costs in the ledger.
fn print_energy(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    use mutualis::ledger::{Dimension, LedgerFilter};
    let year = mutualis_examples::ENERGY_YEAR;
    println!(
        "\nÉnergies {year} — consommation de Roannais Agglomération par service (brute nette des sous-compteurs, corrigée du climat, coût TTC) :"
    );
    let mut total = (Decimal::ZERO, Decimal::ZERO);
    for r in m
        .energy_by_service(year)?
        .iter()
        .filter(|r| r.tenant == "AGGLO")
    {
        println!(
            "  {:<16} {:<16} {:>17} {:>17} {:>14}",
            r.service.as_deref().unwrap_or("(sans service)"),
            r.source.as_str(),
            kwh(r.kwh),
            r.adjusted_kwh.map_or_else(|| "—".to_owned(), kwh),
            euros(r.cost_ttc)
        );
        total.0 += r.kwh;
        total.1 += r.cost_ttc;
    }
    println!(
        "  {:<33} {:>17} {:>32}",
        "total",
        kwh(total.0),
        euros(total.1)
    );
    println!("Décret tertiaire {year} — bâtiments ≥ 1 000 m² que l'agglomération détient :");
    for site in m.tertiary_sites() {
        let code = m.asset_code(site.building);
        if m.payers_of(site.building, d(year, 12, 31)?)?
            .shares
            .iter()
            .all(|s| m.tenant_code(s.tenant) != "AGGLO")
        {
            continue;
        }
        let s = m.tertiary_status(code, year)?;
        let verdict = if s.gap_kwh > Decimal::ZERO {
            format!("{} au-dessus de l'objectif", kwh(s.gap_kwh))
        } else {
            format!("objectif atteint ({} de marge)", kwh(-s.gap_kwh))
        };
        println!(
            "  {code:<14} {} m² ({}) : référence {} {} ; {year} corrigé {} (brut {}) ; objectif {} {} → {verdict}, réduction {} %",
            s.floor_area,
            s.activity,
            s.reference_year,
            kwh(s.reference_kwh),
            kwh(s.adjusted_kwh),
            kwh(s.raw_kwh),
            s.milestone,
            kwh(s.target_kwh),
            (s.reduction * Decimal::from(100)).round_dp(1)
        );
    }
    let filter = LedgerFilter {
        nature: Some(mutualis::CostNature::Energy),
        period: Some(Period::new(d(year, 1, 1)?, Some(d(year + 1, 12, 31)?))?),
        ..LedgerFilter::default()
    };
    let rows = m.ledger_group(&[Dimension::Payer], &filter)?;
    let paid: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.keys[0], euros(r.ttc)))
        .collect();
    println!(
        "Factures d'énergie au grand livre (nature energy, à la date de facture) : {}",
        paid.join(" ; ")
    );
    Ok(())
}

/// The rental portfolio: the rent roll, the revisions due, arrears, the
/// charges of the shared building and the in-kind aid per association, in French.
fn print_leases(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    use mutualis::leases::{DeadlineKind, LeaseSide, RollBy};
    let on = d(2026, 7, 1)?;
    let roll = m.rent_roll(on);
    let let_out = roll.iter().filter(|r| r.side == LeaseSide::Lessor).count();
    println!(
        "\nLocatif — état locatif au {on} : {} contrats ({} en vigueur, dont {} où le groupe est bailleur).",
        m.leases().len(),
        roll.len(),
        let_out
    );
    println!("  Loyers annuels par collectivité (bailleur) :");
    for t in m.rent_roll_by(on, RollBy::Tenant, LeaseSide::Lessor) {
        println!(
            "    {:<10} {:>4} contrats  {:>16}  {:>8} m²",
            t.key,
            t.leases,
            euros(t.annual_rent),
            t.surface.round_dp(0)
        );
    }
    println!("  Par type de contrat :");
    for t in m.rent_roll_by(on, RollBy::Kind, LeaseSide::Lessor) {
        println!(
            "    {:<22} {:>4} contrats  {:>16}",
            t.key,
            t.leases,
            euros(t.annual_rent)
        );
    }
    println!("  Les cinq premiers locataires :");
    let mut by_party = m.rent_roll_by(on, RollBy::Party, LeaseSide::Lessor);
    by_party.sort_by(|a, b| b.annual_rent.cmp(&a.annual_rent).then(a.key.cmp(&b.key)));
    for t in by_party.iter().take(5) {
        let name = m.party(&t.key).map(|p| p.name.clone()).unwrap_or_default();
        println!(
            "    {:<12} {:<32} {:>16}",
            t.key,
            name,
            euros(t.annual_rent)
        );
    }
    for t in m.rent_roll_by(on, RollBy::Kind, LeaseSide::Lessee) {
        println!(
            "  Preneur : {} contrat(s) {} pour {} par an (dépense).",
            t.leases,
            t.key,
            euros(t.annual_rent)
        );
    }
    println!("  Occupation des bâtiments partagés :");
    for o in m
        .occupancy(on)
        .iter()
        .filter(|o| o.building == "MAISON-SERVICES" || o.building == "IMM-ROANNE-00")
    {
        println!(
            "    {:<16} {} m² loués sur {} m² (vacant {} m², taux {} %)",
            o.building,
            o.occupied,
            o.floor_area.unwrap_or_default(),
            o.vacant.unwrap_or_default(),
            (o.rate.unwrap_or_default() * Decimal::ONE_HUNDRED)
                .round_dp(1)
                .to_string()
                .replace('.', ",")
        );
    }
    let deadlines = m.lease_deadlines(on, 12)?;
    let revisions: Vec<_> = deadlines
        .iter()
        .filter(|x| x.kind == DeadlineKind::Revision)
        .collect();
    println!(
        "\nRévisions de loyer dues d'ici au {} : {} (dont les dix premières)",
        on.checked_add_months(chrono::Months::new(12)).unwrap_or(on),
        revisions.len()
    );
    for r in revisions.iter().take(10) {
        let l = m.lease(&r.lease)?;
        let q = r.quarter.map(|q| q.to_string()).unwrap_or_default();
        let projected = match r.quarter {
            Some(q) => match m.rent_revision(&r.lease, r.date, q) {
                Ok(rev) => format!("→ {}", euros(rev.new_rent)),
                Err(_) => format!(
                    "(indice {} de {q} non encore publié)",
                    l.index.as_deref().unwrap_or("?")
                ),
            },
            None => String::new(),
        };
        println!(
            "    {} {:<10} {:<5} trimestre {q}  loyer {} {projected}",
            r.date,
            r.lease,
            l.index.as_deref().unwrap_or(""),
            euros(m.rent_on(&r.lease, r.date)?)
        );
    }
    let ends = deadlines
        .iter()
        .filter(|x| x.kind == DeadlineKind::End)
        .count();
    let renewals = deadlines
        .iter()
        .filter(|x| x.kind == DeadlineKind::Renewal)
        .count();
    println!("  Échéances des douze prochains mois : {ends} fin(s) de contrat, {renewals} reconduction(s) tacite(s).");
    let arrears = m.lease_arrears(d(2026, 6, 30)?);
    let total: Decimal = arrears.iter().map(|a| a.balance).sum();
    println!(
        "\nImpayés au 30 juin 2026 : {} contrats, {} au total.",
        arrears.len(),
        euros(total)
    );
    println!("\nCharges 2026 de la Maison des services (partagée agglomération / Roanne), au prorata des surfaces :");
    for s in m.charges_regularisation("MAISON-SERVICES", 2026)? {
        println!(
            "    {:<12} {:<12} quote-part {:>14}  provisions {:>14}  solde {:>14}",
            s.lease.as_deref().unwrap_or("(vacant)"),
            s.party.as_deref().unwrap_or("ROANNE"),
            euros(s.share),
            euros(s.provisions),
            euros(s.balance)
        );
    }
    println!("\nRecettes 2026 des loyers au budget (appels de l'année, encaissements enregistrés au 30 juin) :");
    for b in m.budgets().iter().filter(|b| b.year == 2026) {
        let tenant = m.tenant_code(b.tenant);
        for r in m
            .revenue_status(tenant, 2026)?
            .iter()
            .filter(|r| !r.code.is_empty())
        {
            println!(
                "    {:<10} {:<11} {:>3} contrats  prévu {:>14}  appelé {:>14}  encaissé {:>14}  reste dû {:>13}  reste à encaisser {:>14}",
                tenant,
                r.code,
                r.leases.len(),
                euros(r.budgeted),
                euros(r.called),
                euros(r.collected),
                euros(r.outstanding),
                euros(r.to_collect)
            );
        }
    }
    let aid = m.in_kind_aid(2026)?;
    println!("\nAides en nature 2026 par association (loyer non perçu + interventions TTC dans les locaux prêtés) :");
    for a in aid.iter().filter(|a| !a.total.is_zero()) {
        println!(
            "    {:<9} {:<8} {:<30} loyer {:>12}  interventions {:>12}  total {:>12}{}",
            a.tenant,
            a.association,
            a.name,
            euros(a.waived_rent),
            euros(a.interventions),
            euros(a.total),
            if a.convention_required {
                "  convention requise (> 23 000 €)"
            } else {
                ""
            }
        );
    }
    let flagged = aid.iter().filter(|a| a.convention_required).count();
    println!(
        "  {} association(s) au-delà de 23 000 € : convention obligatoire (loi 2000-321, art. 10).",
        flagged
    );
    Ok(())
}

/// Roanne's workwear (issue 15): spending per service against the workwear
/// budget lines, the renewals due next quarter and next year's forecast, in French.
fn print_workwear(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    use mutualis::workwear::SpendingBy;
    let agents = m.agents("ROANNE")?;
    let issues = m.workwear_issues("ROANNE")?;
    let in_2026 = issues
        .iter()
        .filter(|i| i.date.format("%Y").to_string() == "2026")
        .count();
    println!(
        "\nHabillement / EPI de Roanne : {} agents, {} articles au catalogue, {} remises (dont {} en 2026), {} retours.",
        agents.len(),
        m.workwear_items().len(),
        issues.len(),
        in_2026,
        m.workwear_returns("ROANNE")?.len()
    );
    println!(
        "Dépenses d'habillement 2026 par service (valeur au CMUP), face à la ligne budgétaire :"
    );
    println!(
        "  {:<10} {:>12} {:>12} {:>14} {:>12} {:>12}",
        "service", "2026", "2025", "ligne", "crédits", "reste"
    );
    for r in m.workwear_spending("ROANNE", 2026, SpendingBy::Service)? {
        println!(
            "  {:<10} {:>12} {:>12} {:>14} {:>12} {:>12}",
            r.key,
            euros(r.spent),
            euros(r.previous),
            r.budget_line.as_deref().unwrap_or("—"),
            r.credits.map_or("—".into(), euros),
            r.remaining.map_or("—".into(), euros)
        );
    }
    let total = m.workwear_spending("ROANNE", 2026, SpendingBy::Tenant)?;
    if let Some(t) = total.first() {
        println!(
            "  {:<10} {:>12} {:>12}   (évolution {})",
            "total",
            euros(t.spent),
            euros(t.previous),
            euros(t.change)
        );
    }
    let (from, to) = (d(2027, 1, 1)?, d(2027, 3, 31)?);
    let due = m.renewals_due("ROANNE", Some(from), to)?;
    println!(
        "Renouvellements dus au prochain trimestre ({from} – {to}) : {} lignes pour {} agents.",
        due.len(),
        due.iter()
            .map(|r| r.agent.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let mut per_item: std::collections::BTreeMap<&str, (u32, usize)> = Default::default();
    for r in &due {
        let e = per_item.entry(r.item.as_str()).or_default();
        e.0 += r.quantity;
        e.1 += 1;
    }
    for (item, (n, agents)) in per_item {
        println!("  {item:<13} {n:>5} pièces pour {agents:>3} agents");
    }
    for r in due.iter().take(3) {
        println!(
            "  ex. {} {} ({}) : {} × {} le {} (dernière remise {})",
            r.agent,
            r.name,
            r.service,
            r.quantity,
            r.item,
            r.due,
            r.last_issue.map_or("—".into(), |d| d.to_string())
        );
    }
    let forecast = m.renewal_forecast("ROANNE", 2027)?;
    let sum: Decimal = forecast.iter().map(|f| f.value).sum();
    println!(
        "Prévision des renouvellements 2027 au CMUP actuel : {}",
        euros(sum)
    );
    println!(
        "Remises au-delà de la dotation acceptées (politique « avertir ») : {}.",
        m.allotment_warnings("ROANNE")?.len()
    );
    Ok(())
}

/// The town hall's furniture inventory and its campaign's report, in French.
fn print_furniture(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    use mutualis::furniture::{Finding, FurnitureStatus};
    let hall = mutualis_examples::TOWN_HALL;
    let r = m.campaign_report(mutualis_examples::TOWN_HALL_CAMPAIGN)?;
    let offices = m
        .subtree(hall)?
        .iter()
        .filter(|a| a.kind == mutualis::AssetKind::Room)
        .count();
    let items = m
        .furniture()
        .iter()
        .filter(|i| {
            m.ancestors_and_self(i.first_location)
                .any(|a| m.asset_code(a) == hall)
        })
        .collect::<Vec<_>>();
    let reformed = items
        .iter()
        .filter(|i| i.status == FurnitureStatus::Reformed)
        .count();
    println!(
        "\nMobilier — {} ({} locaux) : {} articles inventoriés, dont {} réformés.",
        m.asset(hall)?.name,
        offices,
        items.len(),
        reformed
    );
    println!(
        "Récolement {} (ouvert le {}, clos le {}{}) :",
        r.campaign,
        r.opened,
        r.closed.map_or("—".to_owned(), |d| d.to_string()),
        if m.campaign(&r.campaign)?.applied {
            ", écarts appliqués"
        } else {
            ""
        }
    );
    println!(
        "  attendus {} · trouvés en place {} · manquants {} · mal placés {} · inattendus {}",
        r.expected, r.found, r.missing, r.misplaced, r.unexpected
    );
    println!(
        "  {:<24} {:>8} {:>8} {:>10} {:>11} {:>11}",
        "local", "attendus", "trouvés", "manquants", "mal placés", "inattendus"
    );
    for c in r
        .rooms
        .iter()
        .filter(|c| c.missing + c.misplaced + c.unexpected > 0)
    {
        println!(
            "  {:<24} {:>8} {:>8} {:>10} {:>11} {:>11}",
            m.asset_code(c.room),
            c.expected,
            c.found,
            c.missing,
            c.misplaced,
            c.unexpected
        );
    }
    let list = |f: Finding| {
        r.lines
            .iter()
            .filter(|l| l.finding == f)
            .map(|l| l.number.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  manquants : {}", list(Finding::Missing));
    println!("  inattendus : {}", list(Finding::Unexpected));
    Ok(())
}

/// The fleet's due list and its cost per km by service, in French.
fn print_fleet(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    use mutualis::fleet::DueWhat;
    let on = d(2026, 3, 12)?;
    println!(
        "\nParc auto — contrôles et entretiens dus au {on} (sous 90 jours, retards compris) :"
    );
    let rows = m.fleet_due(on, 90);
    if rows.is_empty() {
        println!("  rien n'est dû");
    }
    for r in &rows {
        let quoi = match r.what {
            DueWhat::Inspection(k) => match k.as_str() {
                "controle_technique" => "contrôle technique".to_owned(),
                _ => "VGP".to_owned(),
            },
            DueWhat::Maintenance(i) => m.maintenance_plans().get(i).map_or_else(
                || "entretien".to_owned(),
                |p| format!("entretien {}", p.label),
            ),
            _ => "autre".to_owned(),
        };
        let service = r.service.map(|s| {
            let (t, c) = m.service_codes(s);
            format!("{t}/{c}")
        });
        println!(
            "  {:<22} {:<28} avant le {}{}  {:<14} ({})",
            m.asset_code(r.vehicle),
            quoi,
            r.due,
            if r.overdue { " EN RETARD" } else { "" },
            service.unwrap_or_else(|| "—".to_owned()),
            r.basis
        );
    }
    let year = Period::new(d(2025, 1, 1)?, Some(d(2025, 12, 31)?))?;
    println!("\nCoût énergie au km par service (HT, 2025) :");
    for g in m.cost_per_km_by_service(&year) {
        let service = g.service.map_or_else(
            || "sans service".to_owned(),
            |s| {
                let (t, c) = m.service_codes(s);
                format!("{t}/{c}")
            },
        );
        println!(
            "  {:<10} {:<16} {} véhicule(s) {:>7} km {:>10} € {}",
            m.tenant_code(g.tenant),
            service,
            g.vehicles,
            g.km,
            g.energy_ht,
            g.cost_per_km
                .map_or_else(|| "—".to_owned(), |c| format!("{} €/km", c.round_dp(3)))
        );
    }
    Ok(())
}

/// The seed's 918 vehicles and machines with ten years of history,
/// generated on a copy of the registry (the store keeps the scenario), and
/// their 2025 dashboards by service, in French.
fn print_fleet_at_scale(m: &Mutualis) -> Result<(), Box<dyn StdError>> {
    let started = std::time::Instant::now();
    let mut big = m.clone();
    let more = 918usize.saturating_sub(big.vehicles().len());
    mutualis_examples::roannais_fleet(&mut big, more)?;
    let generated = started.elapsed();
    let on = d(2026, 3, 12)?;
    let started = std::time::Instant::now();
    let due = big.fleet_due(on, 60);
    let rows = big.fleet_dashboard_by_service(2025)?;
    let answered = started.elapsed();
    println!(
        "\nParc auto à l'échelle du territoire : {} véhicules et engins, 10 ans d'historique (générés en {:.1} s) ;",
        big.vehicles().len(),
        generated.as_secs_f64()
    );
    println!(
        "  au {on} : {} contrôles ou entretiens dus sous 60 jours, dont {} en retard (liste et tableaux de bord calculés en {} ms).",
        due.len(),
        due.iter().filter(|r| r.overdue).count(),
        answered.as_millis()
    );
    // the fleet report (issue 18) at this scale: the agglomeration's 2025
    let started = std::time::Instant::now();
    let report = big.report(mutualis::report::ReportKind::Fleet, "AGGLO", 2025)?;
    let html = report.to_html(mutualis::report::Locale::Fr);
    println!(
        "  rapport « parc auto » 2025 de l'agglomération ({} véhicules, {} contrôles dus) construit et mis en HTML ({} Kio) en {} ms.",
        report.table("costs").map_or(0, |t| t.rows.len()),
        report.table("due").map_or(0, |t| t.rows.len()),
        html.len() / 1024,
        started.elapsed().as_millis()
    );
    println!("\nTableau de bord 2025 par service (jours d'immobilisation, taux d'utilisation, coût au km avec entretien HT, coût complet TTC) :");
    println!(
        "  {:<10} {:<8} {:>9} {:>12} {:>12} {:>12} {:>15} {:>15}",
        "collect.",
        "service",
        "véhicules",
        "immobilisés",
        "utilisation",
        "€/km",
        "amortissement",
        "coût complet"
    );
    for g in rows {
        let service = g
            .service
            .map_or_else(|| "—".to_owned(), |s| m.service_codes(s).1.to_owned());
        println!(
            "  {:<10} {:<8} {:>9} {:>10} j {:>10} % {:>12} {:>13} € {:>13} €",
            big.tenant_code(g.tenant),
            service,
            g.vehicles,
            g.days_immobilised,
            g.utilisation.map_or_else(
                || "—".to_owned(),
                |u| (u * Decimal::ONE_HUNDRED).round_dp(1).to_string()
            ),
            g.cost_per_km
                .map_or_else(|| "—".to_owned(), |c| c.round_dp(3).to_string()),
            g.amortisation,
            g.tco
        );
    }
    Ok(())
}

/// Writes the Roannais reports (issue 18) as self-contained HTML files in
/// `reports/` beside the store, and prints their paths.
fn write_reports(m: &Mutualis, store_path: &std::path::Path) -> Result<(), Box<dyn StdError>> {
    use mutualis::report::{Locale, ReportKind};
    let dir = store_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .join("reports");
    std::fs::create_dir_all(&dir)?;
    println!("\nRapports (HTML autonomes, à ouvrir dans un navigateur ou à imprimer en A4) :");
    let reports = [
        (ReportKind::Spending, "AGGLO"),
        (ReportKind::Spending, "ROANNE"),
        (ReportKind::Settlement, "AGGLO"),
        (ReportKind::Budget, "AGGLO"),
        (ReportKind::Budget, "ROANNE"),
        (ReportKind::Ppi, "AGGLO"),
        (ReportKind::Event, "VILLEREST"),
        (ReportKind::Suppliers, "AGGLO"),
        (ReportKind::Suppliers, "VILLEREST"),
        (ReportKind::Fleet, "AGGLO"),
        (ReportKind::Rent, "ROANNE"),
    ];
    for (kind, tenant) in reports {
        let r = m.report(kind, tenant, 2026)?;
        let path = dir.join(format!("{kind}-{}-2026.html", tenant.to_lowercase()));
        std::fs::write(&path, r.to_html(Locale::Fr))?;
        println!("  {:<48} {}", r.title.fr, path.display());
    }
    // energy and décret tertiaire: the year of the energy data
    let year = mutualis_examples::ENERGY_YEAR;
    for (kind, tenant) in [
        (ReportKind::Energy, "AGGLO"),
        (ReportKind::Energy, "ROANNE"),
        (ReportKind::Tertiaire, "AGGLO"),
    ] {
        let r = m.report(kind, tenant, year)?;
        let path = dir.join(format!("{kind}-{}-{year}.html", tenant.to_lowercase()));
        std::fs::write(&path, r.to_html(Locale::Fr))?;
        println!("  {:<48} {}", r.title.fr, path.display());
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn StdError>> {
    // Paths: `roannais [STORE.db]` (the JSON export goes beside it), or
    // `roannais DATASET.json` (the store stays at its default place).
    // `--store URL` (or MUTUALIS_STORE_URL) puts the store elsewhere: a
    // PostgreSQL server (`postgres://user:password@host:port/database`) or
    // another file; the embedded SQLite file is the default.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut store_url = std::env::var("MUTUALIS_STORE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if let Some(i) = args.iter().position(|a| a == "--store") {
        if i + 1 >= args.len() {
            return Err(
                "--store needs a URL (postgres://user:password@host:port/database) or a file path"
                    .into(),
            );
        }
        store_url = Some(args.remove(i + 1));
        args.remove(i);
    }
    let arg = args.into_iter().next();
    let (store_path, json_path) = match arg {
        Some(p) if p.ends_with(".json") => (PathBuf::from("target/roannais.db"), PathBuf::from(p)),
        Some(p) => (PathBuf::from(&p), PathBuf::from(p).with_extension("json")),
        None => (
            PathBuf::from("target/roannais.db"),
            PathBuf::from("target/roannais.json"),
        ),
    };
    for p in [&store_path, &json_path] {
        if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    println!("Mutualis — the Roannais scenario");
    println!("================================\n");
    let location = store_url.unwrap_or_else(|| store_path.to_string_lossy().into_owned());
    // what is printed of it: never a password
    let shown = mutualis::store::redact_url(&location);
    let mut store = Store::open_url(&location, "roannais-example")?;
    if store.head() == 0 {
        let built = roannais_full()?;
        store.execute(|m| {
            *m = built.clone();
            Ok(())
        })?;
        println!(
            "First run: built the scenario and stored its {} events in {}.\n",
            store.head(),
            shown
        );
    } else {
        let first = store
            .events_since(0)?
            .first()
            .map(|e| e.entry.at.to_rfc3339());
        println!(
            "Opened {}: replayed the {} events an earlier run stored (the first recorded at {}); nothing was rebuilt.\n",
            shown,
            store.head(),
            first.unwrap_or_default()
        );
    }
    if store.registry().vehicles().is_empty() {
        // the fleet (parc auto), on top of the scenario (whose journal is pinned)
        store.execute(add_fleet)?;
    }
    if store.registry().leases().is_empty() {
        // the rental portfolio (locatif), generated on top of the scenario
        store.execute(mutualis_examples::roannais_leases)?;
    }
    if store.registry().agents("ROANNE")?.is_empty() {
        // Roanne's workwear (habillement / EPI), generated on top of the scenario
        store.execute(mutualis_examples::roannais_workwear)?;
    }
    if store.registry().furniture().is_empty() {
        // the furniture inventory of the town hall (mobilier), generated
        store.execute(mutualis_examples::roannais_furniture)?;
    }
    if store.registry().work_order("BT-14J-SCENE").is_err() {
        // the 14 juillet at Villerest (the event report), on top of the scenario
        store.execute(mutualis_examples::roannais_14_juillet)?;
    }
    if store.registry().meters().is_empty() {
        // the agglomeration's meters, a year of invoices and readings, the
        // degree days and the décret tertiaire sites (énergies)
        store.execute(mutualis_examples::roannais_energy)?;
    }
    let no_revenue_line = store.registry().budgets().iter().all(|b| {
        b.lines
            .iter()
            .all(|l| l.direction != mutualis::LineDirection::Revenue)
    });
    if no_revenue_line {
        // the rents credited to the 2026 budgets (recettes)
        store.execute(mutualis_examples::roannais_rent_budget)?;
    }
    let m = store.registry().clone();
    println!("Collectivités:");
    for t in m.tenants() {
        let groups: Vec<&str> = t.member_of.iter().map(|g| m.tenant_code(*g)).collect();
        println!(
            "  {:<10} {:<28} {:<27} SIREN {}{}{}",
            t.code,
            t.name,
            t.kind.as_str(),
            t.siren,
            t.insee
                .as_ref()
                .map(|i| format!("  INSEE {i}"))
                .unwrap_or_default(),
            if groups.is_empty() {
                String::new()
            } else {
                format!("  member of {}", groups.join(", "))
            }
        );
    }

    for date in [
        d(2018, 12, 31)?,
        d(2024, 6, 1)?,
        d(2026, 3, 12)?,
        d(2026, 7, 14)?,
    ] {
        println!("\nOn {date}:");
        println!(
            "  {:<27} {:<12} {:<10} {:<10} who pays",
            "asset", "kind", "owner", "holder"
        );
        println!("  {}", "-".repeat(110));
        for a in m.assets() {
            let indent = m.ancestors_and_self(a.id).count() - 1;
            let code = format!("{}{}", "  ".repeat(indent), a.code);
            let holder = m
                .holder(&a.code, date)
                .map(|h| m.tenant_code(h.tenant).to_owned())
                .unwrap_or_else(|_| "—".into());
            println!(
                "  {:<27} {:<12} {:<10} {:<10} {}",
                code,
                a.kind.as_str(),
                m.tenant_code(a.owner),
                holder,
                describe_payers(&m, &a.code, date)
            );
        }
    }

    // A maintenance bill of 1 000.01 € on floor 2 of the shared building.
    let date = d(2026, 3, 12)?;
    let amount: Decimal = "1000.01".parse()?;
    println!("\nA {amount} € repair on MAISON-SERVICES-R2 on {date} is split:");
    for (t, part) in m.split_cost("MAISON-SERVICES-R2", date, amount)? {
        println!("  {:<10} {part:>10} €", m.tenant_code(t));
    }

    // Agreements, a vehicle loan and budgets, then a month of requests and
    // interventions, are in the stored scenario (see mutualis_examples).
    let march = Period::new(d(2026, 3, 1)?, Some(d(2026, 3, 31)?))?;
    println!(
        "\nMarch 2026: {} requests, {} work orders, {} cost lines.",
        m.requests().len(),
        m.work_orders().len(),
        m.cost_lines().len()
    );
    println!("\nThe gymnasium case (BT-2026-0412):");
    for line in m.work_order_lines("BT-2026-0412")? {
        println!(
            "  {:<9} {:<34} {:>6} × {:>8} = {:>8} €",
            line.nature.as_str(),
            line.description,
            line.quantity,
            line.unit_cost,
            line.ht
        );
    }
    for c in m.work_order_charges("BT-2026-0412")? {
        println!(
            "  charged to {} (holder on the day): {}",
            m.tenant_code(c.tenant),
            euros(c.amounts.ttc)
        );
    }
    println!("\nCost per paying tenant, service and nature (TTC, March 2026):");
    println!(
        "  {:<10} {:<22} {:<9} {:>12} {:>12}",
        "payer", "service", "nature", "HT", "TTC"
    );
    let mut totals: std::collections::BTreeMap<&str, Decimal> = std::collections::BTreeMap::new();
    for row in m.cost_breakdown(Some(march))? {
        let service = row.service.map_or_else(
            || "—".to_owned(),
            |s| {
                let s = &m.services()[s.index()];
                format!("{}/{}", m.tenant_code(s.tenant), s.code)
            },
        );
        println!(
            "  {:<10} {:<22} {:<9} {:>12} {:>12}",
            m.tenant_code(row.payer),
            service,
            row.nature.as_str(),
            euros(row.amounts.ht),
            euros(row.amounts.ttc)
        );
        *totals.entry(m.tenant_code(row.payer)).or_default() += row.amounts.ttc;
    }
    println!("  {}", "-".repeat(69));
    for (tenant, total) in &totals {
        println!(
            "  {tenant:<10} {:<22} {:<9} {:>12} {:>12}",
            "total",
            "",
            "",
            euros(*total)
        );
    }
    let (mut n, mut sum_hours) = (0i64, 0i64);
    for r in m.requests() {
        if let Some(delay) = m.request_delays(&r.code)?.to_closure {
            n += 1;
            sum_hours += delay.num_hours();
        }
    }
    if n > 0 {
        println!(
            "\n{n} requests closed, on average {} h after reception.",
            sum_hours / n
        );
    }

    println!("\nSettlement matrix 2026 (who owes whom):");
    for debt in m.settlement_matrix(2026)? {
        println!(
            "  {:<10} owes {:<10} {:>12}",
            m.tenant_code(debt.debtor),
            m.tenant_code(debt.creditor),
            euros(debt.amount)
        );
    }
    // each debt of the matrix, explained line by line (French, for the finance departments)
    for debt in m.settlement_matrix(2026)? {
        let report = m.settlement_report_text(
            m.tenant_code(debt.debtor),
            m.tenant_code(debt.creditor),
            2026,
        )?;
        print!("\n{report}");
    }
    let s = m.statement("CONV-2019-SPORTS", 2026)?;
    println!(
        "\nÉtat récapitulatif 2026 of {} ({} → {}, accounts {} / {}):",
        s.agreement,
        m.tenant_code(s.debtor),
        m.tenant_code(s.creditor),
        s.debtor_account.as_deref().unwrap_or("-"),
        s.creditor_account.as_deref().unwrap_or("-")
    );
    for l in &s.lines {
        println!(
            "  {} {:<14} {:<9} {:>12}",
            l.date,
            l.work_order,
            l.nature.as_str(),
            euros(l.amount)
        );
    }
    println!("  total due: {}", euros(s.total));
    let flagged = m.unsettled(2026)?;
    if !flagged.is_empty() {
        println!("\nRégie work for another tenant without an agreement (costed, flagged):");
        for f in flagged {
            println!(
                "  {} {:<14} {} for {}: {}",
                f.date,
                f.work_order,
                m.tenant_code(f.provider),
                m.tenant_code(f.payer),
                euros(f.part)
            );
        }
    }
    println!("\nBudget consumption 2026 (TTC):");
    println!(
        "  {:<10} {:<11} {:>14} {:>12} {:>14}",
        "tenant", "line", "credits", "spent", "remaining"
    );
    for t in m.tenants() {
        for row in m.budget_status(&t.code, 2026)? {
            if row.code.is_empty() && row.spent.is_zero() {
                continue;
            }
            let code = if row.code.is_empty() {
                "(no line)"
            } else {
                row.code.as_str()
            };
            println!(
                "  {:<10} {:<11} {:>14} {:>12} {:>14}",
                t.code,
                code,
                euros(row.credits),
                euros(row.spent),
                euros(row.remaining)
            );
        }
    }

    // The agglomeration's PPI, per building and year.
    println!("\nPPI of Roannais Agglomération per building and year (CP; paid so far):");
    let rows = m.ppi_rows("AGGLO")?;
    let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    print!("  {:<16} {:<11}", "building", "AP");
    for y in &years {
        print!(" {y:>22}");
    }
    println!(" {:>16}", "AP amount");
    let mut aps: Vec<(&str, &str, rust_decimal::Decimal)> = rows
        .iter()
        .map(|r| {
            (
                r.assets.first().map_or("", String::as_str),
                r.ap.as_str(),
                r.amount,
            )
        })
        .collect();
    aps.dedup();
    for (asset, ap, amount) in aps {
        print!("  {asset:<16} {ap:<11}");
        for y in &years {
            let cell =
                rows.iter()
                    .find(|r| r.ap == ap && r.year == *y)
                    .map_or(String::new(), |r| {
                        if r.closed {
                            format!("{} (paid)", euros(r.paid))
                        } else {
                            euros(r.scheduled)
                        }
                    });
            print!(" {cell:>22}");
        }
        println!(" {:>16}", euros(amount));
    }
    for s in m.ap_situation("AGGLO", 2026)? {
        println!(
            "  situation 2026 {}: voted {} + revisions {} = {}; paid before 2026 {}; CP 2026 {} (paid {}); later {}",
            s.ap,
            euros(s.voted),
            euros(s.revisions),
            euros(s.amount),
            euros(s.paid_before),
            euros(s.cp_year),
            euros(s.paid_year),
            euros(s.later)
        );
    }

    print_fleet(&m)?;
    print_leases(&m)?;
    print_workwear(&m)?;
    print_furniture(&m)?;
    print_energy(&m)?;
    print_fleet_at_scale(&m)?;

    // Access rights (issue 12): the seed's roles on a copy of the registry
    // (the stored scenario and the saved dataset stay as they were).
    let mut access = m.clone();
    access.set_clock(mutualis::Clock::Fixed(mutualis_examples::at(
        2026, 3, 31, 18,
    )?));
    println!("\nDroits d'accès — pour chaque rôle, une action refusée et une action acceptée :");
    for case in mutualis_examples::roannais_access(&mut access)? {
        println!("  {} ({}) :", case.role, case.principal);
        let (what, err) = &case.refused;
        let why = match err {
            mutualis::Error::Forbidden { action, target, .. } => {
                format!("il manque {action} sur {target}")
            }
            other => other.to_string(),
        };
        println!("    refusé  : {what} — {why}");
        let (what, result) = &case.accepted;
        println!("    accepté : {what} — {result}");
    }
    let actors: std::collections::BTreeSet<&str> = access.journal()[m.journal().len()..]
        .iter()
        .map(|e| e.actor.as_str())
        .filter(|a| access.principals().iter().any(|p| p.code == *a))
        .collect();
    println!(
        "  Le journal nomme chaque principal qui a agi : {}.",
        actors.into_iter().collect::<Vec<_>>().join(", ")
    );

    write_reports(&m, &store_path)?;

    let path = json_path;
    let json = m.to_json();
    std::fs::write(&path, &json)?;
    let back = Mutualis::from_json(&std::fs::read_to_string(&path)?)?;
    if back != m || back.to_json() != json {
        return Err("the dataset did not load back identically".into());
    }
    println!(
        "\nSaved the dataset ({} tenants, {} assets, {} work orders, {} cost lines, {} journal events) to {} and loaded it back identically.",
        m.tenants().len(),
        m.assets().len(),
        m.work_orders().len(),
        m.cost_lines().len(),
        m.journal().len(),
        path.display()
    );
    Ok(())
}
