"""Shared fixtures: the Roannais scenario (DOMAIN.md §1, §4), built through
the Python API exactly as ``examples/src/lib.rs`` builds it in Rust."""

import datetime

import pytest

from mutualis import Mutualis


def d(y: int, m: int, j: int) -> datetime.date:
    return datetime.date(y, m, j)


def build_roannais() -> Mutualis:
    m = Mutualis()
    # Collectivités. SIRENs are Luhn-valid illustrations, INSEE codes are real.
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Commune de Mably", "commune", "214212706", "42127")
    m.add_tenant("VILLEREST", "Commune de Villerest", "commune", "214233207", insee="42332")
    for c in ("ROANNE", "MABLY", "VILLEREST"):
        m.join(c, "AGGLO")

    for t, code, name in [
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
    ]:
        m.add_service(t, code, name)

    # The gymnasium: owned by Roanne, at the agglomeration's disposal from 2019.
    m.add_asset(
        "GYM-COUBERTIN", "Gymnase Pierre de Coubertin", "building", "ROANNE", d(1975, 9, 1),
        service=("AGGLO", "SPORTS"), floor_area=2150, address="Rue de Charlieu, 42300 Roanne",
    )
    m.add_asset(
        "GYM-COUBERTIN-SALLE", "Grande salle", "room", "ROANNE", d(1975, 9, 1),
        parent="GYM-COUBERTIN", floor_area=1200,
    )
    m.add_asset(
        "GYM-COUBERTIN-CHAUFFERIE", "Chaudière gaz", "equipment", "ROANNE", d(2012, 10, 15),
        parent="GYM-COUBERTIN", attributes={"puissance_kw": "350"},
    )
    m.grant_custody("GYM-COUBERTIN", "AGGLO", d(2019, 1, 1))

    # A building shared by the agglomeration and Roanne, keyed by floor area.
    m.add_asset(
        "MAISON-SERVICES", "Maison des services publics", "building", "ROANNE", d(1998, 3, 1),
        service=("ROANNE", "BATIMENTS"), floor_area=1800,
        address="Place de l'Hôtel de Ville, 42300 Roanne",
    )
    m.add_asset(
        "MAISON-SERVICES-R1", "Étage 1 (France services)", "floor", "ROANNE", d(1998, 3, 1),
        parent="MAISON-SERVICES", floor_area=600,
    )
    m.add_asset(
        "MAISON-SERVICES-R2", "Étage 2 (bureaux)", "floor", "ROANNE", d(1998, 3, 1),
        parent="MAISON-SERVICES", floor_area=600,
    )
    m.set_sharing_key(
        "MAISON-SERVICES", "floor_area", {"AGGLO": 1080, "ROANNE": 720}, d(2020, 1, 1), d(2026, 6, 30)
    )
    m.set_sharing_key("MAISON-SERVICES", "floor_area", {"AGGLO": 1260, "ROANNE": 540}, d(2026, 7, 1))
    m.set_sharing_key(
        "MAISON-SERVICES-R1", "agreed", {"ROANNE": 6000, "MABLY": 2500, "VILLEREST": 1500}, d(2024, 1, 1)
    )

    # Roads.
    m.add_asset(
        "VOIE-R-JAURES", "Rue Jean Jaurès (tronçon 3)", "road_section", "ROANNE", d(1960, 1, 1),
        service=("ROANNE", "VOIRIE"), attributes={"longueur_m": "420"},
    )
    m.add_asset(
        "VOIE-ZA-MABLY", "Voie de la zone d'activités de Mably", "road_section", "MABLY", d(1992, 5, 1),
        service=("AGGLO", "VOIRIE"), attributes={"longueur_m": "1350"},
    )
    m.grant_custody("VOIE-ZA-MABLY", "AGGLO", d(2017, 1, 1))

    # Green spaces.
    m.add_asset(
        "EV-PARC-MABLY", "Parc de la mairie", "green_space", "MABLY", d(1985, 4, 1),
        service=("MABLY", "TECH"), floor_area=12500,
    )
    m.add_asset(
        "EV-BORDS-LOIRE", "Bords de Loire", "green_space", "VILLEREST", d(2001, 6, 1),
        service=("VILLEREST", "TECH"),
    )
    m.grant_custody("EV-BORDS-LOIRE", "AGGLO", d(2022, 4, 1), d(2025, 10, 31))

    # Vehicles.
    m.add_asset(
        "VH-AGGLO-BENNE", "Camion benne 19 t", "vehicle", "AGGLO", d(2019, 2, 14),
        service=("AGGLO", "PARC"), attributes={"immatriculation": "FK-482-QZ"},
    )
    m.add_asset(
        "VH-ROANNE-KANGOO", "Fourgonnette électrique", "vehicle", "ROANNE", d(2021, 9, 3),
        service=("ROANNE", "PARC"), attributes={"immatriculation": "GA-103-RT"},
    )
    m.add_asset(
        "VH-VILLEREST-TRAFIC", "Utilitaire", "vehicle", "VILLEREST", d(2016, 4, 20),
        service=("VILLEREST", "TECH"),
    )
    m.decommission("VH-VILLEREST-TRAFIC", d(2026, 5, 31))
    return m


@pytest.fixture
def roannais() -> Mutualis:
    return build_roannais()

