"""Shared fixtures: the Roannais scenario (DOMAIN.md §1, §4), built through
the Python API exactly as ``examples/src/lib.rs`` builds it in Rust."""

import datetime
import sys
from decimal import Decimal
from typing import Any, List, Optional, Tuple

import pytest

from mutualis import Mutualis

# `match` statements (records' __match_args__) are Python >= 3.10 syntax.
collect_ignore = ["test_records_match.py"] if sys.version_info < (3, 10) else []


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


def at(y: int, m: int, j: int, hour: int) -> datetime.datetime:
    """An instant (UTC), as `examples::at` builds it."""
    return datetime.datetime(y, m, j, hour, tzinfo=datetime.timezone.utc)


def record_march_2026(m: Mutualis) -> None:
    """A month of requests and interventions on the Roannais scenario, through
    the Python API exactly as ``examples::roannais_march_2026`` records it in
    Rust — including the gymnasium worked example (6.5 h at 38.50 + 12 pots at
    CMUP 14.2370 = 421.09, paid by AGGLO)."""
    # Régie teams and their 2026 hourly rates.
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie des équipements sportifs", "SPORTS")
    m.add_team("ROANNE-VOIRIE", "ROANNE", "Régie voirie", "VOIRIE")
    m.add_team("ROANNE-EV", "ROANNE", "Régie espaces verts", "EV")
    m.add_team("AGGLO-VOIRIE", "AGGLO", "Équipe voirie communautaire", "VOIRIE")
    m.add_team("MABLY-TECH", "MABLY", "Services techniques", "TECH")
    m.add_team("VILLEREST-AGENTS", "VILLEREST", "Agents polyvalents", "TECH")
    for tenant, rate in [("ROANNE", "38.50"), ("AGGLO", "41.20"), ("MABLY", "34.00"), ("VILLEREST", "32.00")]:
        m.set_labour_rate(tenant, 2026, Decimal(rate))
    m.set_labour_rate("ROANNE", 2026, Decimal("45.10"), team="ROANNE-SPORTS", grade="technicien")

    # Vehicles.
    m.set_vehicle_rate("VH-AGGLO-BENNE", 2026, "hour", Decimal("58.00"))
    m.set_attribute("VH-ROANNE-KANGOO", "category", "VUL")
    m.set_category_rate("ROANNE", "VUL", 2026, "km", Decimal("0.62"))

    # Stores and stock at CMUP.
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central de Roanne")
    m.add_store("MAG-AGGLO", "AGGLO", "Dépôt communautaire")
    m.add_item("PEINTURE-15L", "Peinture acrylique 15 L", "pot")
    m.add_item("ENROBE-FROID", "Enrobé à froid 25 kg", "sac")
    m.add_item("LED-E27", "Ampoule LED E27", "pièce")
    m.add_item("TERREAU", "Terreau horticole", "m3")
    m.receive_stock("MAG-ROANNE", "PEINTURE-15L", d(2026, 1, 5), 10, Decimal("14.00"))
    m.receive_stock("MAG-ROANNE", "PEINTURE-15L", d(2026, 2, 2), 30, Decimal("14.316"))
    m.receive_stock("MAG-ROANNE", "ENROBE-FROID", d(2026, 2, 10), 120, Decimal("11.85"))
    m.receive_stock("MAG-ROANNE", "LED-E27", d(2026, 1, 20), 200, Decimal("3.275"))
    m.receive_stock("MAG-ROANNE", "TERREAU", d(2026, 2, 25), 18, Decimal("42.50"))
    m.receive_stock("MAG-AGGLO", "ENROBE-FROID", d(2026, 2, 12), 300, Decimal("11.40"))

    # Suppliers.
    m.add_supplier("SIGNA-LOIRE", "Signalisation Loire", "73282932000074", ["signalisation"])
    m.add_supplier("ELEC-ROANNAIS", "Électricité du Roannais", "35600000000056", ["électricité"])

    # Requests: (code, origin, category, text, tenant, service, asset, day).
    requests = [
        ("DI-2026-0301", "citizen_portal", "equipement-sportif", "Peinture écaillée dans la grande salle",
         "AGGLO", "SPORTS", "GYM-COUBERTIN-SALLE", 2),
        ("DI-2026-0302", "citizen_portal", "nid-de-poule", "Nids-de-poule rue Jean Jaurès",
         "ROANNE", "VOIRIE", "VOIE-R-JAURES", 3),
        ("DI-2026-0303", "neighbourhood_council", "eclairage", "Éclairage en panne, 2e étage",
         "ROANNE", "BATIMENTS", "MAISON-SERVICES-R2", 4),
        ("DI-2026-0304", "agent", "voirie", "Affaissement chaussée ZA de Mably",
         "AGGLO", "VOIRIE", "VOIE-ZA-MABLY", 5),
        ("DI-2026-0305", "elected_official", "espaces-verts", "Massifs du parc à replanter",
         "MABLY", "TECH", "EV-PARC-MABLY", 9),
        ("DI-2026-0306", "citizen_portal", "proprete", "Dépôt sauvage bords de Loire",
         "VILLEREST", "TECH", "EV-BORDS-LOIRE", 16),
    ]
    for code, origin, category, text, tenant, service, asset, day in requests:
        m.receive_request(code, origin, category, text, tenant, at(2026, 3, day, 8),  # type: ignore[arg-type]
                          service=service, asset=asset)
        m.set_request_status(code, "investigating", at(2026, 3, day, 14))

    # Work orders and their costs, as (method name, arguments) pairs.
    Cost = Tuple[str, Tuple[Any, ...]]

    def labour(day: int, hours: str, agents: int = 1) -> Cost:
        return ("labour", (d(2026, 3, day), Decimal(hours), agents))

    def material(day: int, store: str, item: str, quantity: Any) -> Cost:
        return ("material", (d(2026, 3, day), store, item, quantity))

    orders: List[Tuple[str, str, str, Optional[str], Optional[str], Optional[str], int, List[Cost]]] = [
        ("BT-2026-0412", "Peinture de la grande salle", "GYM-COUBERTIN-SALLE", "ROANNE-SPORTS", None,
         "DI-2026-0301", 12, [labour(12, "6.5"), material(12, "MAG-ROANNE", "PEINTURE-15L", 12)]),
        ("BT-2026-0413", "Entretien chaudière du gymnase", "GYM-COUBERTIN-CHAUFFERIE", "ROANNE-SPORTS", None,
         None, 18, [("technicien", (d(2026, 3, 18), Decimal("3")))]),
        ("BT-2026-0414", "Rebouchage nids-de-poule", "VOIE-R-JAURES", "ROANNE-VOIRIE", None,
         "DI-2026-0302", 6, [labour(6, "3.5", 2), material(6, "MAG-ROANNE", "ENROBE-FROID", 14),
                             ("vehicle", (d(2026, 3, 6), "VH-ROANNE-KANGOO", "km", 23))]),
        ("BT-2026-0415", "Remplacement éclairage 2e étage", "MAISON-SERVICES-R2", None, "ELEC-ROANNAIS",
         "DI-2026-0303", 10, [("external", (d(2026, 3, 10), "Remplacement de 12 luminaires",
                                            Decimal("1000.01"), 20))]),
        ("BT-2026-0416", "Ampoules France services", "MAISON-SERVICES-R1", "ROANNE-SPORTS", None,
         None, 11, [labour(11, "1.5"), material(11, "MAG-ROANNE", "LED-E27", 9)]),
        ("BT-2026-0417", "Reprise de chaussée ZA", "VOIE-ZA-MABLY", "AGGLO-VOIRIE", None,
         "DI-2026-0304", 19, [labour(19, "7", 3), material(19, "MAG-AGGLO", "ENROBE-FROID", 60),
                              ("vehicle", (d(2026, 3, 19), "VH-AGGLO-BENNE", "hour", Decimal("5.5")))]),
        ("BT-2026-0418", "Signalisation temporaire ZA", "VOIE-ZA-MABLY", None, "SIGNA-LOIRE",
         "DI-2026-0304", 18, [("external", (d(2026, 3, 18), "Location panneaux et balisage",
                                            Decimal("386.40"), 20))]),
        ("BT-2026-0419", "Replantation des massifs", "EV-PARC-MABLY", "MABLY-TECH", None,
         "DI-2026-0305", 24, [labour(24, "6", 2)]),
        ("BT-2026-0420", "Enlèvement dépôt sauvage", "EV-BORDS-LOIRE", "VILLEREST-AGENTS", None,
         "DI-2026-0306", 17, [labour(17, "2.5", 2)]),
        ("BT-2026-0421", "Tonte et taille", "EV-BORDS-LOIRE", "VILLEREST-AGENTS", None,
         None, 27, [labour(27, "4")]),
        ("BT-2026-0422", "Balayage et terreau des jardinières", "MAISON-SERVICES", "ROANNE-EV", None,
         None, 25, [labour(25, "2"), material(25, "MAG-ROANNE", "TERREAU", Decimal("1.5"))]),
    ]
    for code, title, asset, team, supplier, request, day, costs in orders:
        m.create_work_order(code, title, asset, team=team, supplier=supplier,
                            requests=[request] if request else [])
        m.set_work_order_status(code, "scheduled", at(2026, 3, day, 7))
        m.set_work_order_status(code, "in_progress", at(2026, 3, day, 8))
        if request is not None:
            r = m.request(request)
            if r.status != "in_progress" and r.open311_status == "open":
                m.set_request_status(request, "in_progress", at(2026, 3, day, 8))
        for kind, args in costs:
            if kind == "labour":
                m.record_labour(code, *args)
            elif kind == "technicien":
                m.record_labour(code, *args, grade="technicien")
            elif kind == "material":
                m.record_material(code, *args)
            elif kind == "vehicle":
                m.record_vehicle(code, *args)
            else:
                m.record_external(code, *args)
        m.set_work_order_status(code, "done", at(2026, 3, day, 17))
        if request is not None and m.request(request).open311_status == "open":
            m.set_request_status(request, "fixed", at(2026, 3, day, 18))


def record_agreements_2026(m: Mutualis) -> None:
    """Who pays whom, as ``examples::roannais_agreements_2026`` records it:
    the sports agreement (actual cost, since the 2019 transfer), green spaces
    at unit cost, the truck lent to Villerest and the 2026 budgets. Before
    the March recording, so budgets see the month's costs."""
    m.add_agreement(
        "CONV-2019-SPORTS", "ROANNE", "AGGLO", "actual_cost", d(2019, 1, 1),
        services=["SPORTS"], provider_account="70846", beneficiary_account="6217",
        legal_basis="CGCT L5211-4-1, convention de mise à disposition de services du 18/12/2018",
    )
    m.add_agreement(
        "CONV-2024-EV", "ROANNE", "AGGLO", "unit_cost", d(2024, 1, 1),
        unit_cost=Decimal("36.80"), services=["EV"], provider_account="70846",
        beneficiary_account="6217", legal_basis="CGCT D5211-16 (coût unitaire de fonctionnement)",
    )
    m.set_vehicle_rate("VH-AGGLO-BENNE", 2026, "day", Decimal("380.00"))
    m.lend_vehicle("PRET-2026-BENNE", "VH-AGGLO-BENNE", "VILLEREST", "day", d(2026, 3, 23), d(2026, 3, 27))
    budgets = [
        ("AGGLO", [("011-SPORTS", "SPORTS", "45000.00"), ("011-VOIRIE", "VOIRIE", "120000.00")]),
        ("ROANNE", [("011-BAT", "BATIMENTS", "80000.00"), ("011-VOIRIE", "VOIRIE", "150000.00"),
                    ("011-EV", "EV", "60000.00")]),
        ("MABLY", [("011-TECH", "TECH", "35000.00")]),
        ("VILLEREST", [("011-TECH", "TECH", "18000.00")]),
    ]
    for tenant, lines in budgets:
        m.add_budget(tenant, 2026, "ttc", "warn")
        for code, service, voted in lines:
            m.add_budget_line(tenant, 2026, code, "615221", Decimal(voted), service=service)
    m.amend_budget_line("AGGLO", 2026, "011-SPORTS", Decimal("5000.00"), "DM n°1 — gymnase")


def record_loan_uses(m: Mutualis) -> None:
    """The truck loan's uses (``examples::roannais_loan_uses``): 2.5 days."""
    m.record_loan_use("PRET-2026-BENNE", d(2026, 3, 23), 2)
    m.record_loan_use("PRET-2026-BENNE", d(2026, 3, 27), Decimal("0.5"))


def record_ppi(m: Mutualis) -> None:
    """The agglomeration's investment plan (``examples::roannais_ppi``): RBF
    with carry-over and a 3-year lapse, three operations, two AP, payments,
    the 2025 closing and the gymnasium's revision (DOMAIN §6 worked example)."""
    m.set_rbf_rules("AGGLO", True, lapse_after_years=3, reference="RBF de Roannais Agglomération, art. 7")
    m.add_operation("OP-GYM-ENERGIE", "AGGLO", "Rénovation énergétique du gymnase", "renovation-energetique",
                    1, Decimal("1200000.00"), 2025, [1, 3, 2], assets=["GYM-COUBERTIN"])
    m.add_operation("OP-GYM-TOITURE", "AGGLO", "Réfection de la toiture du gymnase", "toiture",
                    2, Decimal("380000.00"), 2027, [1], assets=["GYM-COUBERTIN"], depends_on=["OP-GYM-ENERGIE"])
    m.add_operation("OP-ZA-VOIRIE", "AGGLO", "Requalification de la voie de la ZA", "voirie",
                    1, Decimal("450000.00"), 2026, [5, 4], assets=["VOIE-ZA-MABLY"])
    m.vote_ap("AP-2025-01", "AGGLO", "Rénovation énergétique, gymnase Coubertin", 2025, Decimal("1200000.00"),
              {2025: Decimal("200000.00"), 2026: Decimal("600000.00"), 2027: Decimal("400000.00")},
              operations=["OP-GYM-ENERGIE"])
    m.vote_ap("AP-2026-02", "AGGLO", "Voie de la ZA de Mably", 2026, Decimal("450000.00"),
              {2026: Decimal("250000.00"), 2027: Decimal("200000.00")}, operations=["OP-ZA-VOIRIE"])
    m.pay_ap("AP-2025-01", d(2025, 7, 10), Decimal("100000.00"))
    m.pay_ap("AP-2025-01", d(2025, 11, 20), Decimal("50000.00"))
    m.close_year("AGGLO", 2025)
    m.revise_ap("AP-2025-01", 2026, Decimal("1300000.00"),
                {2026: Decimal("650000.00"), 2027: Decimal("500000.00")})
    m.pay_ap("AP-2025-01", d(2026, 3, 31), Decimal("210000.00"))
    m.pay_ap("AP-2026-02", d(2026, 4, 15), Decimal("80000.00"))


def build_roannais_march_2026() -> Mutualis:
    """The scenario as the Rust example writes it (``examples::roannais_full``):
    agreements and budgets, March 2026, the loan's uses, then the PPI."""
    m = build_roannais()
    record_agreements_2026(m)
    record_march_2026(m)
    record_loan_uses(m)
    record_ppi(m)
    return m


@pytest.fixture
def march() -> Mutualis:
    """The Roannais scenario with March 2026 recorded."""
    return build_roannais_march_2026()


def build_settlement_seed() -> Mutualis:
    """Four collectivités, the gymnasium held by AGGLO since 2019 and
    maintained by Roanne's régie, a school, a town hall, the agglomeration's
    seat, a van; rates and a paint store at CMUP 14.2370 (the seed of
    core/tests/settlement.rs)."""
    m = Mutualis()
    m.set_now(at(2026, 1, 1, 8))
    m.add_tenant("AGGLO", "Agglo", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_tenant("VILLEREST", "Villerest", "commune", "214233207", "42332")
    m.add_service("AGGLO", "SPORTS", "Sports")
    m.add_service("AGGLO", "BAT", "Service commun bâtiments")
    m.add_service("ROANNE", "SPORTS", "Régie sports")
    m.add_service("MABLY", "TECH", "Services techniques")
    m.add_asset("GYM", "Gymnase", "building", "ROANNE", d(1975, 9, 1), service=("AGGLO", "SPORTS"))
    m.grant_custody("GYM", "AGGLO", d(2019, 1, 1))
    m.add_asset("ECOLE-MABLY", "École", "building", "MABLY", d(1980, 1, 1))
    m.add_asset("MAIRIE-ROANNE", "Hôtel de ville", "building", "ROANNE", d(1900, 1, 1))
    m.add_asset("SIEGE-AGGLO", "Siège", "building", "AGGLO", d(2005, 1, 1))
    m.add_asset("VH-ROANNE-1", "Fourgon", "vehicle", "ROANNE", d(2020, 1, 1))
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie sports", "SPORTS")
    m.add_team("AGGLO-BAT", "AGGLO", "Service commun bâtiments", "BAT")
    m.set_labour_rate("ROANNE", 2026, Decimal("38.50"))
    m.set_labour_rate("AGGLO", 2026, Decimal("40.00"))
    m.set_vehicle_rate("VH-ROANNE-1", 2026, "day", Decimal("45.00"))
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin")
    m.add_item("PEINTURE", "Peinture", "pot")
    m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 1, 5), 10, Decimal("14.00"))
    m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 2, 2), 30, Decimal("14.316"))
    return m


def open_work_order(m: Mutualis, code: str, asset: str, team: str) -> None:
    m.create_work_order(code, "Travaux", asset, team=team)
    m.set_work_order_status(code, "in_progress", at(2026, 1, 2, 8))


def record_gym(m: Mutualis) -> None:
    """The gymnasium worked example: 6.5 h at 38.50 + 12 pots at CMUP 14.2370."""
    open_work_order(m, "BT-GYM", "GYM", "ROANNE-SPORTS")
    m.record_labour("BT-GYM", d(2026, 3, 12), Decimal("6.5"))
    m.record_material("BT-GYM", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", 12)


@pytest.fixture
def settlement_seed() -> Mutualis:
    return build_settlement_seed()
