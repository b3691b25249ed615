//! Scenarios shared by the examples and the integration tests.
//!
//! [`roannais`] builds the seed's situation: Roannais Agglomération and three
//! member communes (Roanne, Mably, Villerest), their services and a realistic
//! patrimoine with a transferred gymnasium, a building shared by the
//! agglomeration and Roanne, roads, green spaces and vehicles.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::error::Error as StdError;

use chrono::NaiveDate;
use mutualis::{AssetKind, KeyBasis, Mutualis, NewAsset, NewTenant, Period, TenantKind};
use rust_decimal::Decimal;

/// A date from year, month and day; an error (not a panic) if it does not exist.
pub fn d(y: i32, m: u32, j: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, j).ok_or_else(|| format!("bad date {y}-{m}-{j}"))
}

/// Builds the Roannais scenario.
pub fn roannais() -> Result<Mutualis, Box<dyn StdError>> {
    let mut m = Mutualis::new();
    // Collectivités. SIRENs are Luhn-valid illustrations, INSEE codes are real.
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Ville de Roanne", "214218703", "42187"))?;
    m.add_tenant(NewTenant::commune("MABLY", "Commune de Mably", "214212706", "42127"))?;
    m.add_tenant(NewTenant::commune("VILLEREST", "Commune de Villerest", "214233207", "42332"))?;
    for c in ["ROANNE", "MABLY", "VILLEREST"] {
        m.join(c, "AGGLO")?;
    }

    // Services (cost centres).
    for (t, code, name) in [
        ("AGGLO", "SPORTS", "Équipements sportifs communautaires"),
        ("AGGLO", "VOIRIE", "Voirie d'intérêt communautaire"),
        ("AGGLO", "BATIMENTS", "Bâtiments"),
        ("AGGLO", "PARC", "Parc auto"),
        ("ROANNE", "SPORTS", "Régie des équipements sportifs"),
        ("ROANNE", "BATIMENTS", "Bâtiments"),
        ("ROANNE", "VOIRIE", "Voirie"),
        ("ROANNE", "EV", "Espaces verts"),
        ("ROANNE", "PARC", "Garage municipal"),
        ("MABLY", "TECH", "Services techniques"),
        ("VILLEREST", "TECH", "Services techniques (agents polyvalents)"),
    ] {
        m.add_service(t, code, name)?;
    }

    // The gymnasium: owned by Roanne, transferred to the agglomeration
    // (sports competence) from 2019-01-01, still maintained by Roanne's régie.
    m.add_asset(
        NewAsset::new("GYM-COUBERTIN", "Gymnase Pierre de Coubertin", AssetKind::Building, "ROANNE", d(1975, 9, 1)?)
            .managed_by("AGGLO", "SPORTS")
            .with_floor_area(Decimal::from(2150))
            .at("Rue de Charlieu, 42300 Roanne"),
    )?;
    m.add_asset(
        NewAsset::new("GYM-COUBERTIN-SALLE", "Grande salle", AssetKind::Room, "ROANNE", d(1975, 9, 1)?)
            .under("GYM-COUBERTIN")
            .with_floor_area(Decimal::from(1200)),
    )?;
    m.add_asset(
        NewAsset::new("GYM-COUBERTIN-CHAUFFERIE", "Chaudière gaz", AssetKind::Equipment, "ROANNE", d(2012, 10, 15)?)
            .under("GYM-COUBERTIN")
            .with_attribute("puissance_kw", "350"),
    )?;
    m.grant_custody("GYM-COUBERTIN", "AGGLO", Period::starting(d(2019, 1, 1)?))?;

    // A building shared by the agglomeration and Roanne, keyed by floor area.
    m.add_asset(
        NewAsset::new("MAISON-SERVICES", "Maison des services publics", AssetKind::Building, "ROANNE", d(1998, 3, 1)?)
            .managed_by("ROANNE", "BATIMENTS")
            .with_floor_area(Decimal::from(1800))
            .at("Place de l'Hôtel de Ville, 42300 Roanne"),
    )?;
    m.add_asset(
        NewAsset::new("MAISON-SERVICES-R1", "Étage 1 (France services)", AssetKind::Floor, "ROANNE", d(1998, 3, 1)?)
            .under("MAISON-SERVICES")
            .with_floor_area(Decimal::from(600)),
    )?;
    m.add_asset(
        NewAsset::new("MAISON-SERVICES-R2", "Étage 2 (bureaux)", AssetKind::Floor, "ROANNE", d(1998, 3, 1)?)
            .under("MAISON-SERVICES")
            .with_floor_area(Decimal::from(600)),
    )?;
    // 1 080 m² used by the agglomeration, 720 m² by Roanne until mid-2026;
    // from 2026-07-01 the agglomeration takes 1 260 m².
    m.set_sharing_key(
        "MAISON-SERVICES",
        KeyBasis::FloorArea,
        Period::new(d(2020, 1, 1)?, Some(d(2026, 6, 30)?))?,
        &[("AGGLO", 1080), ("ROANNE", 720)],
    )?;
    m.set_sharing_key(
        "MAISON-SERVICES",
        KeyBasis::FloorArea,
        Period::starting(d(2026, 7, 1)?),
        &[("AGGLO", 1260), ("ROANNE", 540)],
    )?;
    // Floor 1 hosts France services, run by the three communes by agreement.
    m.set_sharing_key(
        "MAISON-SERVICES-R1",
        KeyBasis::Agreed,
        Period::starting(d(2024, 1, 1)?),
        &[("ROANNE", 6000), ("MABLY", 2500), ("VILLEREST", 1500)],
    )?;

    // Roads: a communal street and a road of community interest.
    m.add_asset(
        NewAsset::new("VOIE-R-JAURES", "Rue Jean Jaurès (tronçon 3)", AssetKind::RoadSection, "ROANNE", d(1960, 1, 1)?)
            .managed_by("ROANNE", "VOIRIE")
            .with_attribute("longueur_m", "420"),
    )?;
    m.add_asset(
        NewAsset::new("VOIE-ZA-MABLY", "Voie de la zone d'activités de Mably", AssetKind::RoadSection, "MABLY", d(1992, 5, 1)?)
            .managed_by("AGGLO", "VOIRIE")
            .with_attribute("longueur_m", "1350"),
    )?;
    // Economic-development competence: the ZA road is at AGGLO's disposal.
    m.grant_custody("VOIE-ZA-MABLY", "AGGLO", Period::starting(d(2017, 1, 1)?))?;

    // Green spaces.
    m.add_asset(
        NewAsset::new("EV-PARC-MABLY", "Parc de la mairie", AssetKind::GreenSpace, "MABLY", d(1985, 4, 1)?)
            .managed_by("MABLY", "TECH")
            .with_floor_area(Decimal::from(12500)),
    )?;
    m.add_asset(
        NewAsset::new("EV-BORDS-LOIRE", "Bords de Loire", AssetKind::GreenSpace, "VILLEREST", d(2001, 6, 1)?)
            .managed_by("VILLEREST", "TECH"),
    )?;
    // Villerest lent its riverside to the agglomeration for a tourism project,
    // 2022 to 2025 only.
    m.grant_custody(
        "EV-BORDS-LOIRE",
        "AGGLO",
        Period::new(d(2022, 4, 1)?, Some(d(2025, 10, 31)?))?,
    )?;

    // Vehicles.
    m.add_asset(
        NewAsset::new("VH-AGGLO-BENNE", "Camion benne 19 t", AssetKind::Vehicle, "AGGLO", d(2019, 2, 14)?)
            .managed_by("AGGLO", "PARC")
            .with_attribute("immatriculation", "FK-482-QZ"),
    )?;
    m.add_asset(
        NewAsset::new("VH-ROANNE-KANGOO", "Fourgonnette électrique", AssetKind::Vehicle, "ROANNE", d(2021, 9, 3)?)
            .managed_by("ROANNE", "PARC")
            .with_attribute("immatriculation", "GA-103-RT"),
    )?;
    m.add_asset(
        NewAsset::new("VH-VILLEREST-TRAFIC", "Utilitaire", AssetKind::Vehicle, "VILLEREST", d(2016, 4, 20)?)
            .managed_by("VILLEREST", "TECH"),
    )?;
    m.decommission("VH-VILLEREST-TRAFIC", d(2026, 5, 31)?)?;
    Ok(m)
}

