"""The registry façade on the Roannais scenario (DOMAIN.md §1, §4): records,
holders and payers on boundary dates, cost splits, bulk columns, and every
error class raised by a real bad call with the registry left unchanged."""

import datetime
import re
import threading
from decimal import Decimal
from typing import Any, Callable, List, NamedTuple, Type

import pytest

import mutualis
from mutualis import (
    Allocation,
    Asset,
    ConflictError,
    CorruptStoreError,
    Custody,
    FormatError,
    Holder,
    Mutualis,
    MutualisError,
    NotFoundError,
    Payers,
    Service,
    Share,
    SharingKey,
    Tenant,
    ValidationError,
)

from conftest import d
from test_planning import PLANNING_CASES
from test_settlement import SETTLEMENT_CASES
from test_store import STORE_ERRORS_EXERCISED
from test_work import WORK_CASES
from test_hardening import HARDENING_CASES, HARDENING_ERRORS_EXERCISED
from test_access import ACCESS_ERRORS_EXERCISED
from test_fleet import FLEET_ERRORS_EXERCISED
from test_leases import LEASE_ERRORS_EXERCISED
from test_furniture import FURNITURE_ERRORS_EXERCISED
from test_reports import REPORT_ERRORS_EXERCISED
from test_energy import ENERGY_ERRORS_EXERCISED
from test_workwear import WORKWEAR_ERRORS_EXERCISED
from test_open311 import OPEN311_ERRORS_EXERCISED

GYM = "GYM-COUBERTIN"
MS = "MAISON-SERVICES"


def shares(p: Payers) -> List[tuple]:
    return [(s.tenant, s.weight) for s in p.shares]


def allocations(parts: List[Allocation]) -> List[tuple]:
    return [(a.tenant, a.amount) for a in parts]


# --- tenants and services ------------------------------------------------------------


def test_tenants(roannais: Mutualis) -> None:
    roanne = roannais.tenant("ROANNE")
    assert isinstance(roanne, Tenant)
    assert (roanne.code, roanne.name, roanne.kind, roanne.siren, roanne.insee) == (
        "ROANNE",
        "Ville de Roanne",
        "commune",
        "214218703",
        "42187",
    )
    assert roanne.member_of == ["AGGLO"]
    roanne.member_of.append("X")  # a copy: the record does not change
    assert roanne.member_of == ["AGGLO"]
    agglo = roannais.tenant("AGGLO")
    assert agglo.insee is None and agglo.member_of == []
    assert agglo.kind == "communaute_d_agglomeration"
    assert [t.code for t in roannais.tenants()] == ["AGGLO", "ROANNE", "MABLY", "VILLEREST"]
    assert [t.code for t in roannais.members("AGGLO")] == ["ROANNE", "MABLY", "VILLEREST"]
    assert roannais.members("ROANNE") == []
    assert roannais.tenant("ROANNE") == roanne and roanne != agglo
    assert hash(roannais.tenant("ROANNE")) == hash(roanne)
    assert repr(agglo) == (
        "Tenant(code='AGGLO', name='Roannais Agglomération', kind='communaute_d_agglomeration', "
        "siren='200035731', insee=None, member_of=[])"
    )
    with pytest.raises(AttributeError):
        roanne.code = "X"  # type: ignore[misc]


def test_siren_with_spaces_is_normalised() -> None:
    m = Mutualis()
    m.add_tenant("SYE", "Syndicat d'énergie", "syndicat", "200 035 715")
    assert m.tenant("SYE").siren == "200035715"
    assert mutualis.parse_siren(" 214 218 703") == "214218703"
    assert mutualis.parse_siret("732 829 320 00074") == "73282932000074"
    assert mutualis.parse_siret("35600000000056") == "35600000000056"  # La Poste
    assert mutualis.parse_insee("2A004") == "2A004"


def test_services(roannais: Mutualis) -> None:
    assert len(roannais.services()) == 11
    roanne = roannais.services("ROANNE")
    assert [s.code for s in roanne] == ["SPORTS", "BATIMENTS", "VOIRIE", "EV", "PARC"]
    assert isinstance(roanne[0], Service)
    assert roannais.services(tenant="VILLEREST") == roannais.services("VILLEREST")
    assert repr(roannais.services("MABLY")[0]) == (
        "Service(tenant='MABLY', code='TECH', name='Services techniques')"
    )


# --- assets -----------------------------------------------------------------------------


def test_asset_record(roannais: Mutualis) -> None:
    gym = roannais.asset(GYM)
    assert isinstance(gym, Asset)
    assert gym.kind == "building" and gym.owner == "ROANNE" and gym.parent is None
    assert gym.service == ("AGGLO", "SPORTS")
    assert gym.commissioned == d(1975, 9, 1) and type(gym.commissioned) is datetime.date
    assert gym.decommissioned is None
    assert gym.floor_area == Decimal("2150") and type(gym.floor_area) is Decimal
    assert gym.address == "Rue de Charlieu, 42300 Roanne"
    boiler = roannais.asset("GYM-COUBERTIN-CHAUFFERIE")
    assert boiler.parent == GYM and boiler.attributes == {"puissance_kw": "350"}
    boiler.attributes["x"] = "y"  # a copy
    assert roannais.asset("GYM-COUBERTIN-CHAUFFERIE").attributes == {"puissance_kw": "350"}
    assert boiler.floor_area is None and boiler.service is None
    assert roannais.asset("VH-VILLEREST-TRAFIC").decommissioned == d(2026, 5, 31)
    assert len(roannais.assets()) == 13
    assert repr(roannais.asset("GYM-COUBERTIN-SALLE")) == (
        "Asset(code='GYM-COUBERTIN-SALLE', name='Grande salle', kind='room', parent='GYM-COUBERTIN', "
        "owner='ROANNE', service=None, commissioned=datetime.date(1975, 9, 1), decommissioned=None, "
        "floor_area=Decimal('1200'), address=None, attributes={})"
    )


def test_tree(roannais: Mutualis) -> None:
    assert [a.code for a in roannais.children(GYM)] == ["GYM-COUBERTIN-SALLE", "GYM-COUBERTIN-CHAUFFERIE"]
    assert [a.code for a in roannais.subtree(MS)] == [MS, "MAISON-SERVICES-R1", "MAISON-SERVICES-R2"]
    roannais.add_asset("MS-R1-101", "Bureau 101", "room", "ROANNE", d(1998, 3, 1), parent="MAISON-SERVICES-R1")
    assert [a.code for a in roannais.subtree(MS)] == [MS, "MAISON-SERVICES-R1", "MS-R1-101", "MAISON-SERVICES-R2"]
    roannais.set_parent("MS-R1-101", "MAISON-SERVICES-R2")
    assert [a.code for a in roannais.subtree(MS)] == [MS, "MAISON-SERVICES-R1", "MAISON-SERVICES-R2", "MS-R1-101"]
    roannais.set_parent("MS-R1-101", None)
    assert roannais.asset("MS-R1-101").parent is None
    assert roannais.children("VOIE-R-JAURES") == []


def test_attributes_and_decommission(roannais: Mutualis) -> None:
    roannais.set_attribute("VOIE-R-JAURES", "revetement", "enrobé")
    assert roannais.asset("VOIE-R-JAURES").attributes == {"longueur_m": "420", "revetement": "enrobé"}
    roannais.set_attribute("VOIE-R-JAURES", "longueur_m", None)
    assert roannais.asset("VOIE-R-JAURES").attributes == {"revetement": "enrobé"}
    roannais.decommission("VH-ROANNE-KANGOO", d(2030, 12, 31))
    assert roannais.asset("VH-ROANNE-KANGOO").decommissioned == d(2030, 12, 31)


# --- holder and payers ---------------------------------------------------------------------


def test_gymnasium_custody_boundary(roannais: Mutualis) -> None:
    before = roannais.holder(GYM, d(2018, 12, 31))
    assert (before.tenant, before.source, before.source_asset) == ("ROANNE", "owner", None)
    after = roannais.holder(GYM, d(2019, 1, 1))
    assert isinstance(after, Holder)
    assert (after.tenant, after.source, after.source_asset) == ("AGGLO", "custody", GYM)
    assert repr(after) == "Holder(tenant='AGGLO', source='custody', source_asset='GYM-COUBERTIN')"
    # The custody covers the descendants with the same owner.
    hall = roannais.holder("GYM-COUBERTIN-SALLE", d(2019, 1, 1))
    assert (hall.tenant, hall.source_asset) == ("AGGLO", GYM)
    assert roannais.holder("GYM-COUBERTIN-SALLE", d(2018, 12, 31)).tenant == "ROANNE"


def test_gymnasium_work_order_is_paid_by_agglo(roannais: Mutualis) -> None:
    # DOMAIN §4: labour 250.25 + materials 170.84 = 421.09, payer AGGLO.
    p = roannais.payers(GYM, d(2026, 3, 12))
    assert (p.source, p.source_asset, shares(p)) == ("custody", GYM, [("AGGLO", 1)])
    total = Decimal("6.5") * Decimal("38.50") + mutualis.round_cents(12 * Decimal("14.2370"))
    assert total == Decimal("421.09")
    assert allocations(roannais.split_cost(GYM, d(2026, 3, 12), total)) == [("AGGLO", Decimal("421.09"))]
    assert shares(roannais.payers(GYM, d(2018, 12, 31))) == [("ROANNE", 1)]
    assert roannais.payers(GYM, d(2018, 12, 31)).source == "owner"


def test_closed_custody_boundary(roannais: Mutualis) -> None:
    assert roannais.holder("EV-BORDS-LOIRE", d(2022, 3, 31)).tenant == "VILLEREST"
    assert roannais.holder("EV-BORDS-LOIRE", d(2022, 4, 1)).tenant == "AGGLO"
    assert roannais.holder("EV-BORDS-LOIRE", d(2025, 10, 31)).tenant == "AGGLO"
    assert roannais.holder("EV-BORDS-LOIRE", d(2025, 11, 1)).tenant == "VILLEREST"


def test_shared_building_key_change_mid_year(roannais: Mutualis) -> None:
    june = roannais.payers(MS, d(2026, 6, 30))
    assert (june.source, june.source_asset) == ("sharing_key", MS)
    assert shares(june) == [("AGGLO", 1080), ("ROANNE", 720)]
    july = roannais.payers(MS, d(2026, 7, 1))
    assert shares(july) == [("AGGLO", 1260), ("ROANNE", 540)]
    # 1080/1800 = 60 %: the DOMAIN §3 example.
    parts = roannais.split_cost(MS, d(2026, 3, 12), Decimal("1000.01"))
    assert allocations(parts) == [("AGGLO", Decimal("600.01")), ("ROANNE", Decimal("400.00"))]
    assert isinstance(parts[0], Allocation)
    assert repr(parts[1]) == "Allocation(tenant='ROANNE', amount=Decimal('400.00'))"
    # Before any key: the owner pays.
    before = roannais.payers(MS, d(2019, 12, 31))
    assert (before.source, shares(before)) == ("owner", [("ROANNE", 1)])


def test_child_floor_inherits_the_building_key(roannais: Mutualis) -> None:
    r2 = roannais.payers("MAISON-SERVICES-R2", d(2026, 3, 12))
    assert (r2.source, r2.source_asset) == ("sharing_key", MS)
    assert shares(r2) == [("AGGLO", 1080), ("ROANNE", 720)]
    # Floor 1 has its own key from 2024-01-01, in tenant-code order.
    r1_before = roannais.payers("MAISON-SERVICES-R1", d(2023, 12, 31))
    assert r1_before.source_asset == MS
    r1 = roannais.payers("MAISON-SERVICES-R1", d(2024, 1, 1))
    assert (r1.source, r1.source_asset) == ("sharing_key", "MAISON-SERVICES-R1")
    assert shares(r1) == [("MABLY", 2500), ("ROANNE", 6000), ("VILLEREST", 1500)]
    assert all(isinstance(s, Share) for s in r1.shares)
    assert r1 == roannais.payers("MAISON-SERVICES-R1", d(2026, 1, 1))
    assert repr(r1).startswith("Payers(source='sharing_key', source_asset='MAISON-SERVICES-R1', shares=[Share(")
    parts = roannais.split_cost("MAISON-SERVICES-R1", d(2026, 3, 12), Decimal("0.10"))
    assert allocations(parts) == [
        ("MABLY", Decimal("0.03")),
        ("ROANNE", Decimal("0.06")),
        ("VILLEREST", Decimal("0.01")),
    ]
    credit = roannais.split_cost("MAISON-SERVICES-R1", d(2026, 3, 12), Decimal("-0.10"))
    assert [a.amount for a in credit] == [-a.amount for a in parts]


def test_end_key_then_new_key(roannais: Mutualis) -> None:
    roannais.end_sharing_key("MAISON-SERVICES-R1", d(2026, 12, 31))
    roannais.set_sharing_key(
        "MAISON-SERVICES-R1", "headcount", [("VILLEREST", 3), ("ROANNE", 0)], d(2027, 1, 1)
    )
    assert shares(roannais.payers("MAISON-SERVICES-R1", d(2026, 12, 31))) == [
        ("MABLY", 2500),
        ("ROANNE", 6000),
        ("VILLEREST", 1500),
    ]
    # Zero weights pay nothing.
    assert shares(roannais.payers("MAISON-SERVICES-R1", d(2027, 1, 1))) == [("VILLEREST", 3)]
    keys = roannais.sharing_keys("MAISON-SERVICES-R1")
    assert [(k.basis, k.start, k.end) for k in keys] == [
        ("agreed", d(2024, 1, 1), d(2026, 12, 31)),
        ("headcount", d(2027, 1, 1), None),
    ]
    assert isinstance(keys[0], SharingKey)
    assert keys[1].weights == {"ROANNE": 0, "VILLEREST": 3}
    assert list(keys[0].weights) == ["MABLY", "ROANNE", "VILLEREST"]  # tenant-code order
    assert repr(keys[1]) == (
        "SharingKey(asset='MAISON-SERVICES-R1', basis='headcount', start=datetime.date(2027, 1, 1), "
        "end=None, weights={'ROANNE': 0, 'VILLEREST': 3})"
    )
    assert roannais.sharing_keys("MAISON-SERVICES-R2") == []  # inherited keys are not listed


def test_custody_history(roannais: Mutualis) -> None:
    roannais.end_custody(GYM, d(2026, 12, 31))
    roannais.grant_custody(GYM, "MABLY", d(2027, 1, 1), end=d(2027, 6, 30))
    roannais.grant_custody(GYM, "AGGLO", start=d(2027, 7, 1))
    history = roannais.custody_history(GYM)
    assert [(c.beneficiary, c.start, c.end) for c in history] == [
        ("AGGLO", d(2019, 1, 1), d(2026, 12, 31)),
        ("MABLY", d(2027, 1, 1), d(2027, 6, 30)),
        ("AGGLO", d(2027, 7, 1), None),
    ]
    assert isinstance(history[0], Custody) and history[0].asset == GYM
    assert repr(history[2]) == (
        "Custody(asset='GYM-COUBERTIN', beneficiary='AGGLO', start=datetime.date(2027, 7, 1), end=None)"
    )
    assert roannais.holder(GYM, d(2027, 6, 30)).tenant == "MABLY"
    assert roannais.holder(GYM, d(2027, 7, 1)).tenant == "AGGLO"
    assert roannais.custody_history("VOIE-R-JAURES") == []


# --- bulk columns -------------------------------------------------------------------------


def test_split_costs_columns(roannais: Mutualis) -> None:
    result = roannais.split_costs(
        [GYM, MS, "MAISON-SERVICES-R1", "EV-BORDS-LOIRE"],
        [d(2026, 3, 12), d(2026, 3, 12), d(2026, 3, 12), d(2025, 11, 1)],
        [Decimal("421.09"), Decimal("1000.01"), 100, Decimal("-50.00")],
    )
    assert list(result) == ["row", "tenant", "amount"]
    assert result["row"] == [0, 1, 1, 2, 2, 2, 3]
    assert result["tenant"] == ["AGGLO", "AGGLO", "ROANNE", "MABLY", "ROANNE", "VILLEREST", "VILLEREST"]
    assert result["amount"] == [
        Decimal("421.09"),
        Decimal("600.01"),
        Decimal("400.00"),
        Decimal("25.00"),
        Decimal("60.00"),
        Decimal("15.00"),
        Decimal("-50.00"),
    ]
    assert all(type(a) is Decimal for a in result["amount"])
    # Same shape as a pandas.DataFrame(result) would need: equal-length lists.
    assert len({len(col) for col in result.values()}) == 1
    # Each row sums to its input amount; same figures as split_cost.
    assert sum(a for r, a in zip(result["row"], result["amount"]) if r == 1) == Decimal("1000.01")
    assert allocations(roannais.split_cost(MS, d(2026, 3, 12), Decimal("1000.01"))) == [
        (t, a) for r, t, a in zip(result["row"], result["tenant"], result["amount"]) if r == 1
    ]


def test_split_costs_accepts_iterables_and_empty(roannais: Mutualis) -> None:
    gen = roannais.split_costs((a for a in [GYM] * 3), tuple([d(2026, 1, 1)] * 3), iter([1, 2, 3]))
    assert gen["row"] == [0, 1, 2] and gen["tenant"] == ["AGGLO"] * 3
    assert roannais.split_costs([], [], []) == {"row": [], "tenant": [], "amount": []}


def test_split_costs_bad_rows(roannais: Mutualis) -> None:
    before = roannais.to_json()
    days = [d(2026, 1, 1)] * 3
    with pytest.raises(mutualis.UnknownAssetError, match=r"^row 2: unknown asset \"NOPE\"$"):
        roannais.split_costs([GYM, MS, "NOPE"], days, [1, 2, 3])
    with pytest.raises(mutualis.SubCentAmountError, match="^row 1: "):
        roannais.split_costs([GYM, MS, GYM], days, [1, Decimal("0.001"), 3])
    with pytest.raises(mutualis.OutsideAssetLifeError, match="^row 0: "):
        roannais.split_costs(["VH-VILLEREST-TRAFIC"], [d(2026, 6, 1)], [1])
    with pytest.raises(mutualis.ArgumentTypeError, match="^row 1: .*floats are inexact") as info:
        roannais.split_costs([GYM, GYM], days[:2], [1, 2.5])  # type: ignore[list-item]
    assert isinstance(info.value.__cause__, mutualis.ArgumentTypeError)
    with pytest.raises(mutualis.ArgumentTypeError, match="^row 2: expected datetime.date"):
        roannais.split_costs([GYM] * 3, [d(2026, 1, 1), d(2026, 1, 2), datetime.datetime(2026, 1, 3)], [1, 2, 3])
    with pytest.raises(mutualis.ArgumentTypeError, match="^row 0: expected str"):
        roannais.split_costs([42], [d(2026, 1, 1)], [1])  # type: ignore[list-item]
    with pytest.raises(mutualis.ArgumentTypeError, match="got str"):
        roannais.split_costs(GYM, days, [1, 2, 3])
    with pytest.raises(mutualis.InvalidFieldError, match="same length"):
        roannais.split_costs([GYM, GYM], days, [1, 2])
    assert roannais.to_json() == before


def test_payers_table(roannais: Mutualis) -> None:
    table = roannais.payers_table(d(2026, 6, 1))
    assert list(table) == ["asset", "tenant", "weight", "source"]
    rows = list(zip(table["asset"], table["tenant"], table["weight"], table["source"]))
    assert ("GYM-COUBERTIN", "AGGLO", 1, "custody") in rows
    assert ("GYM-COUBERTIN-SALLE", "AGGLO", 1, "custody") in rows
    assert [r for r in rows if r[0] == MS] == [(MS, "AGGLO", 1080, "sharing_key"), (MS, "ROANNE", 720, "sharing_key")]
    assert [r[1] for r in rows if r[0] == "MAISON-SERVICES-R1"] == ["MABLY", "ROANNE", "VILLEREST"]
    assert ("VOIE-R-JAURES", "ROANNE", 1, "owner") in rows
    # Decommissioned on 2026-05-31: not in service, skipped.
    assert "VH-VILLEREST-TRAFIC" not in table["asset"]
    assert "VH-VILLEREST-TRAFIC" in roannais.payers_table(d(2026, 5, 31))["asset"]
    # Before the benne was bought: skipped too.
    assert "VH-AGGLO-BENNE" not in roannais.payers_table(d(2019, 2, 13))["asset"]
    assert len(set(table["asset"])) == 12
    assert Mutualis().payers_table(d(2026, 1, 1)) == {"asset": [], "tenant": [], "weight": [], "source": []}


# --- errors: every class, raised by a real call, registry unchanged ----------------------------


class Case(NamedTuple):
    cls: Type[MutualisError]
    base: type
    call: Callable[[Mutualis], Any]
    match: str = ""


CASES = [
    Case(mutualis.InvalidSirenError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "Riorges", "commune", "214218704", "42184"), "Luhn"),
    Case(mutualis.InvalidSirenError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "Riorges", "commune", "21421870", "42184"), "9 digits"),
    Case(mutualis.InvalidSiretError, ValidationError, lambda m: mutualis.parse_siret("73282932000075")),
    Case(mutualis.InvalidSiretError, ValidationError, lambda m: mutualis.parse_siret("35600000000071"), "La Poste"),
    Case(mutualis.InvalidInseeError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "Riorges", "commune", "214201873"), "needs its INSEE"),
    Case(mutualis.InvalidInseeError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "Riorges", "commune", "214201873", "4218")),
    Case(mutualis.InvalidInseeError, ValidationError,
         lambda m: m.add_tenant("SYE", "Syndicat", "syndicat", "200035715", "42187"), "only communes"),
    Case(mutualis.InvalidInseeError, ValidationError, lambda m: mutualis.parse_insee("2C033")),
    Case(mutualis.InvalidCodeError, ValidationError,
         lambda m: m.add_tenant("RIO RGES", "Riorges", "commune", "214201873", "42184")),
    Case(mutualis.InvalidCodeError, ValidationError,
         lambda m: m.add_asset("", "Sans code", "site", "ROANNE", d(2020, 1, 1))),
    Case(mutualis.InvalidCodeError, ValidationError, lambda m: m.add_service("ROANNE", "X" * 65, "Trop long")),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "  ", "commune", "214201873", "42184"), "blank"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.add_asset("X", "X", "room", "ROANNE", d(2020, 1, 1), floor_area=Decimal("-1")), "negative"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "agreed", {"ROANNE": -1}, d(2020, 1, 1)), "negative"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.set_attribute("VOIE-R-JAURES", " ", "x"), "attribute name"),
    Case(mutualis.UnknownKindError, ValidationError,
         lambda m: m.add_tenant("RIORGES", "Riorges", "village", "214201873"), "expected one of"),  # type: ignore[arg-type]
    Case(mutualis.UnknownKindError, ValidationError,
         lambda m: m.add_asset("X", "X", "castle", "ROANNE", d(2020, 1, 1))),  # type: ignore[arg-type]
    Case(mutualis.UnknownKindError, ValidationError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "random", {"ROANNE": 1}, d(2020, 1, 1))),  # type: ignore[arg-type]
    Case(mutualis.DatesOutOfOrderError, ValidationError,
         lambda m: m.grant_custody("VOIE-R-JAURES", "AGGLO", d(2026, 2, 1), d(2026, 1, 31)),
         "2026-02-01 is after 2026-01-31"),
    Case(mutualis.DatesOutOfOrderError, ValidationError, lambda m: m.decommission(GYM, d(1975, 8, 31))),
    Case(mutualis.DatesOutOfOrderError, ValidationError, lambda m: m.end_custody(GYM, d(2018, 12, 31))),
    Case(mutualis.DatesOutOfOrderError, ValidationError,
         lambda m: m.add_asset("X", "X", "room", "ROANNE", d(2020, 1, 1), decommissioned=d(2019, 1, 1))),
    Case(mutualis.WeightsSumToZeroError, ValidationError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "agreed", {"AGGLO": 0, "ROANNE": 0}, d(2020, 1, 1))),
    Case(mutualis.WeightsSumToZeroError, ValidationError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "agreed", {}, d(2020, 1, 1))),
    Case(mutualis.DuplicateKeyTenantError, ValidationError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "agreed", [("ROANNE", 1), ("ROANNE", 2)], d(2020, 1, 1))),
    Case(mutualis.SubCentAmountError, ValidationError,
         lambda m: m.split_cost(GYM, d(2026, 1, 1), Decimal("10.001"))),
    Case(mutualis.AmountOutOfRangeError, ValidationError,
         lambda m: m.split_cost(GYM, d(2026, 1, 1), Decimal("1E+26"))),
    Case(mutualis.UnknownVatRateError, ValidationError, lambda m: mutualis.vat_line(100, 19)),
    Case(mutualis.UnknownTenantError, NotFoundError, lambda m: m.join("ROANNE", "NOPE"), 'unknown tenant "NOPE"'),
    Case(mutualis.UnknownTenantError, NotFoundError, lambda m: m.tenant("NOPE")),
    Case(mutualis.UnknownTenantError, NotFoundError,
         lambda m: m.add_asset("X", "X", "site", "NOPE", d(2020, 1, 1))),
    Case(mutualis.UnknownTenantError, NotFoundError, lambda m: m.grant_custody(GYM, "NOPE", d(2030, 1, 1))),
    Case(mutualis.UnknownTenantError, NotFoundError,
         lambda m: m.set_sharing_key("VOIE-R-JAURES", "usage", {"NOPE": 1}, d(2020, 1, 1))),
    Case(mutualis.UnknownTenantError, NotFoundError, lambda m: m.services("NOPE")),
    Case(mutualis.UnknownServiceError, NotFoundError,
         lambda m: m.add_asset("X", "X", "site", "ROANNE", d(2020, 1, 1), service=("MABLY", "SPORTS")),
         'unknown service "SPORTS" of tenant "MABLY"'),
    Case(mutualis.UnknownAssetError, NotFoundError, lambda m: m.holder("NOPE", d(2026, 1, 1))),
    Case(mutualis.UnknownAssetError, NotFoundError, lambda m: m.set_parent(GYM, "NOPE")),
    Case(mutualis.UnknownAssetError, NotFoundError,
         lambda m: m.add_asset("X", "X", "room", "ROANNE", d(2020, 1, 1), parent="NOPE")),
    Case(mutualis.UnknownAssetError, NotFoundError, lambda m: m.custody_history("NOPE")),
    Case(mutualis.DuplicateTenantError, ConflictError,
         lambda m: m.add_tenant("ROANNE", "Roanne bis", "commune", "214201873", "42184")),
    Case(mutualis.DuplicateSirenError, ConflictError,
         lambda m: m.add_tenant("ROANNE2", "Roanne bis", "commune", "214 218 703", "42187"),
         'already used by tenant "ROANNE"'),
    Case(mutualis.DuplicateServiceError, ConflictError, lambda m: m.add_service("ROANNE", "SPORTS", "Sports")),
    Case(mutualis.DuplicateAssetError, ConflictError,
         lambda m: m.add_asset(GYM, "Autre gymnase", "building", "ROANNE", d(2020, 1, 1))),
    Case(mutualis.InvalidMembershipError, ConflictError, lambda m: m.join("AGGLO", "ROANNE"), "EPCI or a syndicat"),
    Case(mutualis.InvalidMembershipError, ConflictError, lambda m: m.join("ROANNE", "AGGLO"), "already"),
    Case(mutualis.InvalidMembershipError, ConflictError, lambda m: m.join("AGGLO", "AGGLO")),
    Case(mutualis.AssetCycleError, ConflictError, lambda m: m.set_parent(GYM, "GYM-COUBERTIN-SALLE"), "cycle"),
    Case(mutualis.AssetCycleError, ConflictError, lambda m: m.set_parent(GYM, GYM)),
    Case(mutualis.OutsideAssetLifeError, ConflictError, lambda m: m.holder(GYM, d(1975, 8, 31)),
         "in service from 1975-09-01"),
    Case(mutualis.OutsideAssetLifeError, ConflictError,
         lambda m: m.payers("VH-VILLEREST-TRAFIC", d(2026, 6, 1)), "2016-04-20 to 2026-05-31"),
    Case(mutualis.OutsideAssetLifeError, ConflictError,
         lambda m: m.split_cost("VH-AGGLO-BENNE", d(2019, 2, 13), 100)),
    Case(mutualis.CustodyOverlapError, ConflictError, lambda m: m.grant_custody(GYM, "MABLY", d(2026, 1, 1)),
         'overlaps the existing custody to "AGGLO" over from 2019-01-01'),
    Case(mutualis.CustodyOverlapError, ConflictError,
         lambda m: m.grant_custody("EV-BORDS-LOIRE", "MABLY", d(2020, 1, 1), d(2022, 4, 1))),
    Case(mutualis.CustodyToOwnerError, ConflictError, lambda m: m.grant_custody(GYM, "ROANNE", d(2030, 1, 1))),
    Case(mutualis.CustodyToOwnerError, ConflictError,
         lambda m: m.transfer_ownership(GYM, "AGGLO", d(2026, 1, 1)), "GYM-COUBERTIN"),
    Case(mutualis.TransferRefusedError, ConflictError,
         lambda m: m.transfer_ownership(GYM, "ROANNE", d(2026, 1, 1)), "ROANNE already owns it on 2026-01-01"),
    Case(mutualis.KeyOverlapError, ConflictError,
         lambda m: m.set_sharing_key(MS, "headcount", {"AGGLO": 1}, d(2025, 1, 1), d(2025, 12, 31))),
    Case(mutualis.NothingToEndError, ConflictError, lambda m: m.end_custody("EV-BORDS-LOIRE", d(2026, 1, 1)),
         "no open-ended custody"),
    Case(mutualis.NothingToEndError, ConflictError, lambda m: m.end_sharing_key("VOIE-R-JAURES", d(2026, 1, 1)),
         "no open-ended sharing key"),
    Case(mutualis.InvalidJsonError, FormatError, lambda m: Mutualis.from_json('{"format": "mutualis",\n"version": 1,'),
         "line 2"),
    Case(mutualis.InvalidJsonError, FormatError,
         lambda m: Mutualis.from_json('{"format": "mutualis", "version": 1, "tenant": []}'), "unknown field"),
    Case(mutualis.UnsupportedFormatError, FormatError,
         lambda m: Mutualis.from_json('{"format": "mutualis", "version": 5}'), "version 5"),
    Case(mutualis.UnsupportedFormatError, FormatError, lambda m: Mutualis.from_json('{"format": "geojson", "version": 1}')),
]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.cls.__name__}-{i}" for i, c in enumerate(CASES)])
def test_error_raised_and_nothing_changes(roannais: Mutualis, case: Case) -> None:
    before = roannais.to_json()
    with pytest.raises(case.cls) as info:
        case.call(roannais)
    err = info.value
    assert type(err) is case.cls
    assert isinstance(err, case.base) and isinstance(err, MutualisError)
    assert err.kind == snake(case.cls.__name__)
    assert case.match in str(err)
    assert roannais.to_json() == before


CORE_ERRORS = {
    "invalid_siren": ValidationError,
    "invalid_siret": ValidationError,
    "invalid_insee": ValidationError,
    "invalid_code": ValidationError,
    "invalid_field": ValidationError,
    "unknown_kind": ValidationError,
    "dates_out_of_order": ValidationError,
    "weights_sum_to_zero": ValidationError,
    "duplicate_key_tenant": ValidationError,
    "sub_cent_amount": ValidationError,
    "amount_out_of_range": ValidationError,
    "unknown_vat_rate": ValidationError,
    "unknown_tenant": NotFoundError,
    "unknown_service": NotFoundError,
    "unknown_asset": NotFoundError,
    "duplicate_tenant": ConflictError,
    "duplicate_siren": ConflictError,
    "duplicate_service": ConflictError,
    "duplicate_asset": ConflictError,
    "invalid_membership": ConflictError,
    "asset_cycle": ConflictError,
    "outside_asset_life": ConflictError,
    "custody_overlap": ConflictError,
    "custody_to_owner": ConflictError,
    "transfer_refused": ConflictError,
    "key_overlap": ConflictError,
    "nothing_to_end": ConflictError,
    "invalid_quantity": ValidationError,
    "unknown_supplier": NotFoundError,
    "unknown_team": NotFoundError,
    "unknown_store": NotFoundError,
    "unknown_item": NotFoundError,
    "unknown_request": NotFoundError,
    "unknown_work_order": NotFoundError,
    "duplicate_supplier": ConflictError,
    "duplicate_team": ConflictError,
    "duplicate_store": ConflictError,
    "duplicate_item": ConflictError,
    "duplicate_request": ConflictError,
    "unknown_service_code": NotFoundError,
    "awaiting_routing": ConflictError,
    "unknown_token": NotFoundError,
    "missing_location": ValidationError,
    "duplicate_work_order": ConflictError,
    "rate_already_set": ConflictError,
    "no_rate": ConflictError,
    "insufficient_stock": ConflictError,
    "illegal_transition": ConflictError,
    "time_out_of_order": ConflictError,
    "work_order_not_open": ConflictError,
    "unknown_agreement": NotFoundError,
    "unknown_budget": NotFoundError,
    "duplicate_agreement": ConflictError,
    "duplicate_budget": ConflictError,
    "agreement_overlap": ConflictError,
    "budget_exceeded": ConflictError,
    "budget_line_mismatch": ConflictError,
    "invalid_json": FormatError,
    "unsupported_format": FormatError,
    "unknown_operation": NotFoundError,
    "duplicate_operation": ConflictError,
    "cp_mismatch": ValidationError,
    "year_closed": ConflictError,
    "revision_below_paid": ConflictError,
    "cyclic_dependency": ValidationError,
    "storage": MutualisError,
    "corrupt_store": FormatError,
    "schema_too_new": FormatError,
    "stale_state": ConflictError,
    "stale_copy": ConflictError,
    "uncommitted_changes": ConflictError,
    "csv_rows": ValidationError,
    "year_out_of_range": ValidationError,
    "argument_out_of_range": ValidationError,
    "duplicate_siret": ConflictError,
    "year_not_next": ConflictError,
    "vat_rate_not_in_force": ValidationError,
    "tampered_journal": CorruptStoreError,
    "cancelled": MutualisError,
    "unknown_principal": NotFoundError,
    "duplicate_principal": ConflictError,
    "unknown_role": NotFoundError,
    "duplicate_role": ConflictError,
    "forbidden": MutualisError,
    "invalid_registration": ValidationError,
    "invalid_vin": ValidationError,
    "not_in_fleet": NotFoundError,
    "meter_regression": ConflictError,
    "invalid_rna": ValidationError,
    "unknown_party": NotFoundError,
    "duplicate_party": ConflictError,
    "unknown_lease": NotFoundError,
    "duplicate_lease": ConflictError,
    "unknown_meter": NotFoundError,
    "duplicate_meter": ConflictError,
    "invalid_delivery_point": ValidationError,
    "index_below_last": ConflictError,
    "unit_mismatch": ValidationError,
    "negative_consumption": ValidationError,
    "reference_year_too_early": ValidationError,
    "missing_dju": NotFoundError,
    "lease_overlap": ConflictError,
    "missing_index_value": NotFoundError,
    "negative_amount": ValidationError,
    "not_furniture": NotFoundError,
    "unknown_inventory_number": NotFoundError,
    "duplicate_inventory_number": ConflictError,
    "not_a_location": ValidationError,
    "cross_tenant_move": ConflictError,
    "item_reformed": ConflictError,
    "reform_before_purchase": ConflictError,
    "unknown_campaign": NotFoundError,
    "duplicate_campaign": ConflictError,
    "campaign_closed": ConflictError,
    "outside_campaign": ConflictError,
    "unknown_agent": NotFoundError,
    "duplicate_agent": ConflictError,
    "unknown_workwear_item": NotFoundError,
    "duplicate_workwear_item": ConflictError,
    "size_not_offered": ValidationError,
    "allotment_exceeded": ConflictError,
    "agent_not_assigned": ConflictError,
    "report_total_mismatch": MutualisError,
}


def class_of(kind: str) -> Any:
    return getattr(mutualis, "".join(p.capitalize() for p in kind.split("_")) + "Error")


def test_every_core_error_class_is_exercised() -> None:
    # All 66 kinds of `mutualis::Error::kind()`: the registry's here, the
    # operations' (work orders, stock, rates, requests) in test_work.py,
    # agreements' and budgets' in test_settlement.py, planning's and CSV's
    # in test_planning.py, the store's in test_store.py, the hardening ones
    # in test_hardening.py, access rights' in test_access.py, the fleet's in
    # test_fleet.py, the leases' in test_leases.py, the furniture's in
    # test_furniture.py, the workwear's in test_workwear.py, the request
    # portal's in test_open311.py.
    assert len(CORE_ERRORS) == 123
    exercised = {c.cls for c in CASES} | {c.cls for c in WORK_CASES} | {c.cls for c in SETTLEMENT_CASES}
    exercised |= {c.cls for c in PLANNING_CASES} | set(STORE_ERRORS_EXERCISED)
    exercised |= {c.cls for c in HARDENING_CASES} | set(HARDENING_ERRORS_EXERCISED)
    exercised |= set(ACCESS_ERRORS_EXERCISED) | set(FLEET_ERRORS_EXERCISED) | set(LEASE_ERRORS_EXERCISED)
    exercised |= set(FURNITURE_ERRORS_EXERCISED) | set(ENERGY_ERRORS_EXERCISED)
    exercised |= (
        set(WORKWEAR_ERRORS_EXERCISED)
        | set(REPORT_ERRORS_EXERCISED)
        | set(OPEN311_ERRORS_EXERCISED)
    )
    assert exercised == {class_of(k) for k in CORE_ERRORS}


@pytest.mark.parametrize("kind", sorted(CORE_ERRORS))
def test_error_class_hierarchy(kind: str) -> None:
    cls = class_of(kind)
    assert cls.__bases__ == (CORE_ERRORS[kind],)
    assert issubclass(cls, MutualisError)
    assert cls.kind == kind
    assert cls.__name__ in mutualis.__all__
    assert cls.__module__ == "mutualis._mutualis" and cls.__doc__


def test_intermediate_and_binding_classes() -> None:
    assert issubclass(MutualisError, Exception)
    for cls in (ValidationError, NotFoundError, ConflictError, FormatError):
        assert cls.__bases__ == (MutualisError,)
    assert issubclass(mutualis.ArgumentTypeError, ValidationError)
    assert issubclass(mutualis.ArgumentTypeError, TypeError)
    assert issubclass(mutualis.InvalidAmountError, ValidationError)
    assert issubclass(mutualis.DatasetFileError, MutualisError)
    assert issubclass(mutualis.DatasetFileError, OSError)
    assert not issubclass(NotFoundError, ValidationError)
    assert not issubclass(ValidationError, TypeError)
    assert (MutualisError.kind, ValidationError.kind, mutualis.ArgumentTypeError.kind) == (
        "mutualis",
        "validation",
        "argument_type",
    )


def test_catch_by_base_class(roannais: Mutualis) -> None:
    try:
        roannais.holder("NOPE", d(2026, 1, 1))
    except NotFoundError as err:
        assert isinstance(err, mutualis.UnknownAssetError)
        assert str(err) == 'unknown asset "NOPE"'
    else:  # pragma: no cover
        pytest.fail("no exception")


def test_exceptions_pickle() -> None:
    import pickle

    err = mutualis.UnknownTenantError("x")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is mutualis.UnknownTenantError and again.args == ("x",)


# --- argument types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [datetime.datetime(2026, 1, 1, 12, 30), "2026-01-01", 20260101, None],
)
def test_non_date_is_refused(roannais: Mutualis, bad: object) -> None:
    with pytest.raises(mutualis.ArgumentTypeError, match="expected datetime.date"):
        roannais.holder(GYM, bad)  # type: ignore[arg-type]


def test_date_subclass_is_accepted(roannais: Mutualis) -> None:
    class MyDate(datetime.date):
        pass

    assert roannais.holder(GYM, MyDate(2019, 1, 1)).tenant == "AGGLO"


def test_argument_type_refusals(roannais: Mutualis) -> None:
    before = roannais.to_json()
    with pytest.raises(mutualis.ArgumentTypeError, match="floats are inexact"):
        roannais.split_cost(GYM, d(2026, 1, 1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError):
        roannais.add_asset("X", "X", "room", "ROANNE", d(2020, 1, 1), floor_area=12.5)  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError, match="weight"):
        roannais.set_sharing_key("VOIE-R-JAURES", "agreed", {"ROANNE": 1.0}, d(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError, match="weight"):
        roannais.set_sharing_key("VOIE-R-JAURES", "agreed", {"ROANNE": True}, d(2020, 1, 1))
    with pytest.raises(mutualis.ArgumentTypeError, match="tenant code"):
        roannais.set_sharing_key("VOIE-R-JAURES", "agreed", {1: 1}, d(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError, match="got str"):
        roannais.set_sharing_key("VOIE-R-JAURES", "agreed", "ROANNE", d(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError, match="pairs"):
        roannais.set_sharing_key("VOIE-R-JAURES", "agreed", [("ROANNE", 1, 2)], d(2020, 1, 1))  # type: ignore[list-item]
    with pytest.raises(TypeError):  # keyword-only options
        untyped: Any = roannais
        untyped.add_asset("X", "X", "room", "ROANNE", d(2020, 1, 1), GYM)
    assert roannais.to_json() == before


# --- the façade ----------------------------------------------------------------------------


def test_repr_and_copy(roannais: Mutualis) -> None:
    assert repr(roannais) == "Mutualis(tenants=4, services=11, assets=13)"
    assert repr(Mutualis()) == "Mutualis(tenants=0, services=0, assets=0)"
    what_if = roannais.copy()
    what_if.end_custody(GYM, d(2026, 12, 31))
    assert roannais.custody_history(GYM)[0].end is None
    assert what_if.custody_history(GYM)[0].end == d(2026, 12, 31)


def test_constants() -> None:
    assert mutualis.FORMAT_NAME == "mutualis" and mutualis.FORMAT_VERSION == 4
    assert "communaute_d_agglomeration" in mutualis.TENANT_KINDS
    assert mutualis.ASSET_KINDS[:2] == ("site", "building")
    assert mutualis.KEY_BASES == ("floor_area", "headcount", "usage", "agreed")


def test_every_kind_is_accepted() -> None:
    m = Mutualis()
    m.add_tenant("C", "Commune", "commune", "214218703", "42187")
    for i, kind in enumerate(mutualis.ASSET_KINDS):
        m.add_asset(f"A{i}", kind, kind, "C", d(2000, 1, 1))  # type: ignore[arg-type]
        assert m.asset(f"A{i}").kind == kind
    m.add_tenant("A", "Agglo", "communaute_d_agglomeration", "200035731")
    for i, basis in enumerate(mutualis.KEY_BASES):
        m.set_sharing_key("A0", basis, {"A": 1}, d(2000 + i, 1, 1), d(2000 + i, 12, 31))  # type: ignore[arg-type]
    assert [k.basis for k in m.sharing_keys("A0")] == list(mutualis.KEY_BASES)


def test_shared_between_threads(roannais: Mutualis) -> None:
    errors: List[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                roannais.add_asset(f"T{n}-{i}", "Banc", "furniture", "ROANNE", d(2020, 1, 1), parent=MS)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(50):
                roannais.split_costs([MS] * 20, [d(2026, 1, 1)] * 20, [Decimal("10.01")] * 20)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(roannais.subtree(MS)) == 3 + 200
