"""The cost ledger through Python: group-by answers to the seed's questions
(spending per service, per supplier, an event's cost, per association, what
a commune's régie did for the agglomeration) and the raw columns."""

from decimal import Decimal
from typing import Any, Dict, List, Mapping

import pytest

import mutualis
from mutualis import Mutualis

from conftest import at, build_roannais_march_2026, build_settlement_seed, d, record_gym

LEDGER_COLUMNS = ["line", "payer", "performer", "supplier", "service", "nature", "asset", "work_order", "date",
                  "ht", "ttc"]


def assert_columns(table: Mapping[str, List[Any]], keys: List[str], rows: int) -> None:
    assert list(table) == keys
    assert all(isinstance(c, list) and len(c) == rows for c in table.values())


@pytest.fixture
def site() -> Mutualis:
    """The gymnasium (421.09 paid by AGGLO, done by Roanne's régie) and the
    14 juillet fireworks (3 500.00 HT, a supplier, for the festival committee)."""
    m = build_settlement_seed()
    record_gym(m)
    m.add_supplier("ARTIFICES", "Artifices", "35600000000056")
    m.create_work_order("BT-FEU", "Feu", "MAIRIE-ROANNE", supplier="ARTIFICES", tags=["14-juillet-2026"],
                        association="COMITE-FETES")
    m.set_work_order_status("BT-FEU", "in_progress", at(2026, 1, 2, 8))
    m.record_external("BT-FEU", d(2026, 7, 14), "Feu", 3500, 20)
    return m


def test_group_by_answers_the_seed_questions(site: Mutualis) -> None:
    per_service = site.ledger_group(["payer", "service"])
    assert_columns(per_service, ["payer", "service", "ht", "ttc", "rows", "work_orders"], 2)
    assert per_service == {
        "payer": ["AGGLO", "ROANNE"],
        "service": ["AGGLO/SPORTS", None],
        "ht": [Decimal("421.09"), Decimal("3500.00")],
        "ttc": [Decimal("421.09"), Decimal("4200.00")],
        "rows": [2, 1],
        "work_orders": [1, 1],
    }
    event = site.ledger_group(["tag"], tag="14-juillet-2026")
    assert (event["tag"], event["ht"], event["ttc"]) == (["14-juillet-2026"], [Decimal("3500.00")],
                                                        [Decimal("4200.00")])
    per_supplier = site.ledger_group(["supplier"])
    assert per_supplier["supplier"] == [None, "ARTIFICES"]  # régie lines have no supplier
    assert per_supplier["work_orders"] == [1, 1]
    assoc = site.ledger_group(["association"])
    assert dict(zip(assoc["association"], assoc["ttc"])) == {None: Decimal("421.09"),
                                                             "COMITE-FETES": Decimal("4200.00")}
    # what each commune's régie did for the agglomeration
    regie = site.ledger_group(["performer", "nature"], payer="AGGLO")
    assert (regie["performer"], regie["nature"], regie["ttc"]) == (
        ["ROANNE", "ROANNE"], ["labour", "material"], [Decimal("250.25"), Decimal("170.84")])
    for_whom = site.ledger_group(["payer"], performer="ROANNE")
    assert (for_whom["payer"], for_whom["ttc"]) == (["AGGLO"], [Decimal("421.09")])
    months = site.ledger_group(["month"])
    assert months["month"] == ["2026-03", "2026-07"]
    years = site.ledger_group(["year"])
    assert (years["year"], years["ttc"]) == ([2026], [Decimal("4621.09")])
    # filters: period (inclusive), nature, asset subtree
    assert site.ledger_group([], start=d(2026, 7, 14), end=d(2026, 7, 14))["ttc"] == [Decimal("4200.00")]
    assert site.ledger_group([], end=d(2026, 7, 13))["ttc"] == [Decimal("421.09")]
    assert site.ledger_group(["work_order"], nature="material")["work_order"] == ["BT-GYM"]
    assert site.ledger_group(["asset"], asset="GYM")["asset"] == ["GYM"]
    # nothing kept: empty columns, still named
    assert site.ledger_group(["payer"], payer="MABLY") == {
        "payer": [], "ht": [], "ttc": [], "rows": [], "work_orders": []}


def test_ledger_columns(site: Mutualis) -> None:
    table = site.ledger_columns()
    assert_columns(table, LEDGER_COLUMNS, 3)
    assert table["payer"] == ["AGGLO", "AGGLO", "ROANNE"]
    assert table["performer"] == ["ROANNE", "ROANNE", None]
    assert table["supplier"] == [None, None, "ARTIFICES"]
    assert table["service"] == ["AGGLO/SPORTS", "AGGLO/SPORTS", None]
    assert table["nature"] == ["labour", "material", "external"]
    assert table["asset"] == ["GYM", "GYM", "MAIRIE-ROANNE"]
    assert table["work_order"] == ["BT-GYM", "BT-GYM", "BT-FEU"]
    assert table["date"] == [d(2026, 3, 12), d(2026, 3, 12), d(2026, 7, 14)]
    assert table["ht"] == [Decimal("250.25"), Decimal("170.84"), Decimal("3500.00")]
    assert table["ttc"][2] == Decimal("4200.00") and str(table["ttc"][0]) == "250.25"
    assert table["line"] == [0, 1, 2]
    # Σ allocated = Σ cost lines, to the cent
    assert sum(table["ttc"]) == sum(site.cost_lines()["ttc"])
    assert_columns(Mutualis().ledger_columns(), LEDGER_COLUMNS, 0)


def test_roannais_march_ledger() -> None:
    m = build_roannais_march_2026()
    table = m.ledger_columns()
    assert sum(table["ttc"]) == sum(m.cost_lines()["ttc"])
    # a shared building's line appears once per payer, never twice for one payer
    pairs = list(zip(table["line"], table["payer"]))
    assert len(pairs) == len(set(pairs))
    # what Roanne's régie did for the agglomeration in March
    regie = m.ledger_group(["work_order"], payer="AGGLO", performer="ROANNE",
                           start=d(2026, 3, 1), end=d(2026, 3, 31))
    assert regie["work_order"][:2] == ["BT-2026-0412", "BT-2026-0413"]
    assert sum(regie["ttc"][:2]) == Decimal("556.39")
    # per payer: the same totals as the cost breakdown
    by_payer = m.ledger_group(["payer"])
    breakdown = m.cost_breakdown()
    for payer, ttc in zip(by_payer["payer"], by_payer["ttc"]):
        assert ttc == sum(t for p, t in zip(breakdown["payer"], breakdown["ttc"]) if p == payer)


def test_ledger_argument_refusals(site: Mutualis) -> None:
    with pytest.raises(mutualis.ArgumentTypeError, match="got str"):
        site.ledger_group("payer")  # type: ignore[arg-type]
    with pytest.raises(mutualis.UnknownKindError, match="dimension"):
        site.ledger_group(["colour"])  # type: ignore[list-item]
    with pytest.raises(mutualis.InvalidFieldError, match="twice"):
        site.ledger_group(["payer", "payer"])
    with pytest.raises(mutualis.UnknownTenantError):
        site.ledger_group(["payer"], payer="NOPE")
    with pytest.raises(mutualis.UnknownAssetError):
        site.ledger_group(["payer"], asset="NOPE")
    with pytest.raises(mutualis.UnknownKindError, match="cost nature"):
        site.ledger_group(["payer"], nature="paint")  # type: ignore[arg-type]
    with pytest.raises(mutualis.DatesOutOfOrderError):
        site.ledger_group(["payer"], start=d(2026, 2, 1), end=d(2026, 1, 1))
    with pytest.raises(TypeError):
        site.ledger_group(["payer"], d(2026, 1, 1))  # type: ignore[call-arg]
    assert mutualis.LEDGER_DIMENSIONS[:3] == ("payer", "performer", "supplier")
