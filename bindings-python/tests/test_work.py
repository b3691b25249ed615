"""Work orders, cost lines, stock at CMUP and costing through Python: the
worked examples of DOMAIN.md §4–5 with exact figures, and every refusal with
its class and the registry unchanged."""

import datetime
import json
from decimal import Decimal
from typing import Any, Callable, List, NamedTuple

import pytest

import mutualis
from mutualis import ConflictError, Mutualis, NotFoundError, ValidationError

from conftest import at, d


def seed() -> Mutualis:
    """AGGLO, ROANNE, VILLEREST; the gymnasium transferred to AGGLO; Roanne's
    sports régie and store; Villerest's agents and the 14 juillet suppliers
    (the seed of core/tests/costing.rs)."""
    m = Mutualis()
    m.set_now(at(2026, 1, 1, 8))
    m.set_actor("test")
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Roanne", "commune", "214218703", "42187")
    m.add_tenant("VILLEREST", "Villerest", "commune", "214233207", "42332")
    m.add_service("AGGLO", "SPORTS", "Sports")
    m.add_service("ROANNE", "SPORTS", "Régie sports")
    m.add_service("VILLEREST", "TECH", "Services techniques")
    m.add_asset("GYM", "Gymnase Coubertin", "building", "ROANNE", d(1975, 9, 1), service=("AGGLO", "SPORTS"))
    m.add_asset("GYM-SALLE", "Grande salle", "room", "ROANNE", d(1975, 9, 1), parent="GYM")
    m.grant_custody("GYM", "AGGLO", d(2019, 1, 1))
    m.add_asset("PLACE-VILLEREST", "Place du bourg", "green_space", "VILLEREST", d(1990, 1, 1))
    m.add_asset("VH-ROANNE-1", "Fourgon", "vehicle", "ROANNE", d(2020, 1, 1), attributes={"category": "VUL"})
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie équipements sportifs", "SPORTS")
    m.add_team("VILLEREST-AGENTS", "VILLEREST", "Agents polyvalents", "TECH")
    m.set_labour_rate("ROANNE", 2026, Decimal("38.50"))
    m.set_labour_rate("VILLEREST", 2026, Decimal("32.00"))
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central")
    m.add_item("PEINTURE", "Peinture acrylique 15 L", "pot")
    # 10 pots at 14.00 then 30 at 14.316 → CMUP (140 + 429.48) / 40 = 14.2370
    first = m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 1, 5), 10, Decimal("14.00"))
    assert (first.quantity, first.cmup) == (Decimal(10), Decimal("14.0000"))
    second = m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 2, 2), 30, Decimal("14.316"))
    assert second == m.stock_level("MAG-ROANNE", "PEINTURE")
    m.add_supplier("LOCABARRIERES", "Loca Barrières", "73282932000074", ["location"])
    m.add_supplier("ARTIFICES", "Loire Artifices", "35600000000056", ["pyrotechnie"])
    return m


def start(m: Mutualis, code: str) -> None:
    m.set_work_order_status(code, "in_progress", at(2026, 3, 12, 7))


# --- worked examples -------------------------------------------------------------------


def test_gymnasium_worked_example() -> None:
    m = seed()
    level = m.stock_level("MAG-ROANNE", "PEINTURE")
    assert (level.quantity, level.cmup, level.value) == (Decimal(40), Decimal("14.2370"), Decimal("569.48"))
    assert str(level.cmup) == "14.2370"  # 4 decimals kept
    m.create_work_order("BT-GYM-1", "Peinture de la grande salle", "GYM-SALLE", team="ROANNE-SPORTS")
    start(m, "BT-GYM-1")
    labour = m.record_labour("BT-GYM-1", d(2026, 3, 12), Decimal("6.5"))
    paint = m.record_material("BT-GYM-1", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", 12)
    assert (labour.quantity, labour.unit_cost, labour.ht) == (Decimal("6.5"), Decimal("38.50"), Decimal("250.25"))
    assert (paint.quantity, paint.unit_cost, paint.ht) == (Decimal(12), Decimal("14.2370"), Decimal("170.84"))
    assert (labour.nature, labour.provider, labour.provider_tenant) == ("labour", "ROANNE-SPORTS", "ROANNE")
    assert (paint.nature, paint.provider, paint.item, paint.provider_tenant) == (
        "material", "MAG-ROANNE", "PEINTURE", "ROANNE")
    assert (labour.vat_rate, labour.vat, labour.ttc) == (None, Decimal("0.00"), Decimal("250.25"))
    cost = m.work_order_cost("BT-GYM-1")
    assert cost.labour.ttc == Decimal("250.25") and cost.material.ttc == Decimal("170.84")
    assert (cost.total.ht, cost.total.vat, cost.total.ttc) == (Decimal("421.09"), Decimal("0.00"), Decimal("421.09"))
    assert cost.lines == 2
    # The holder on that date pays: AGGLO, although ROANNE's régie did the work.
    charges = m.work_order_charges("BT-GYM-1")
    assert [(c.tenant, c.ht, c.vat, c.ttc) for c in charges] == [
        ("AGGLO", Decimal("421.09"), Decimal("0.00"), Decimal("421.09"))]
    assert m.stock_level("MAG-ROANNE", "PEINTURE").quantity == Decimal(28)
    wo = m.work_order("BT-GYM-1")
    assert (wo.team, wo.supplier, wo.status, wo.line_count) == ("ROANNE-SPORTS", None, "in_progress", 2)
    assert [(c.status, c.at) for c in wo.history] == [("in_progress", at(2026, 3, 12, 7))]


def test_quatorze_juillet_event_cost() -> None:
    m = seed()
    day, tag = d(2026, 7, 14), "14-juillet-2026"
    m.create_work_order("BT-14J-SCENE", "Montage scène", "PLACE-VILLEREST", team="VILLEREST-AGENTS", tags=[tag])
    m.create_work_order("BT-14J-BARRIERES", "Location barrières", "PLACE-VILLEREST", supplier="LOCABARRIERES",
                        tags=[tag])
    m.create_work_order("BT-14J-FEU", "Feu d'artifice", "PLACE-VILLEREST", supplier="ARTIFICES", tags=(tag,))
    m.create_work_order("BT-14J-NETTOYAGE", "Nettoyage", "PLACE-VILLEREST", team="VILLEREST-AGENTS", tags=[tag],
                        service=("VILLEREST", "TECH"), planned_on=d(2026, 7, 15))
    for wo in ("BT-14J-SCENE", "BT-14J-BARRIERES", "BT-14J-FEU", "BT-14J-NETTOYAGE"):
        start(m, wo)
    stage = m.record_labour("BT-14J-SCENE", day, 4, 2)
    assert (stage.quantity, stage.unit_cost, stage.ht) == (Decimal(8), Decimal("32.00"), Decimal("256.00"))
    barriers = m.record_external("BT-14J-BARRIERES", day, "Location 40 barrières", Decimal("480.00"), 20)
    assert (barriers.ht, barriers.vat_rate, barriers.vat, barriers.ttc) == (
        Decimal("480.00"), Decimal(20), Decimal("96.00"), Decimal("576.00"))
    assert (barriers.provider, barriers.provider_tenant) == ("LOCABARRIERES", None)
    fireworks = m.record_external("BT-14J-FEU", day, "Feu d'artifice", Decimal("3500.00"), 20)
    assert fireworks.ttc == Decimal("4200.00")
    cleaning = m.record_labour("BT-14J-NETTOYAGE", d(2026, 7, 15), 3)
    assert cleaning.ht == Decimal("96.00")
    assert m.work_order_cost("BT-14J-SCENE").total.ht == Decimal("256.00")
    assert m.work_order_cost("BT-14J-BARRIERES").total.ttc == Decimal("576.00")
    assert m.work_order_cost("BT-14J-FEU").total.ttc == Decimal("4200.00")
    assert m.work_order_cost("BT-14J-NETTOYAGE").total.ttc == Decimal("96.00")
    event = m.cost_by_tag(tag)
    assert (event.total.ht, event.total.vat, event.total.ttc) == (
        Decimal("4332.00"), Decimal("796.00"), Decimal("5128.00"))
    assert event.labour.ht == Decimal("352.00") and event.external.ht == Decimal("3980.00")
    assert event.lines == 4 and m.cost_by_tag("autre").lines == 0
    artifices = m.supplier_activity("ARTIFICES")
    assert (artifices.interventions, artifices.cost.total.ttc) == (1, Decimal("4200.00"))
    # Everything is paid by Villerest, holder of its square.
    b = m.cost_breakdown()
    assert set(b["payer"]) == {"VILLEREST"}
    assert sum(b["ttc"], Decimal(0)) == Decimal("5128.00")
    assert sum(b["ht"], Decimal(0)) == Decimal("4332.00")
    nettoyage = m.work_order("BT-14J-NETTOYAGE")
    assert (nettoyage.service, nettoyage.planned_on, nettoyage.tags) == (("VILLEREST", "TECH"), d(2026, 7, 15), [tag])


def test_cmup_over_receipts_and_issues_and_over_issue_refused() -> None:
    m = seed()
    m.create_work_order("BT", "Travaux", "GYM", team="ROANNE-SPORTS")
    start(m, "BT")
    # 40 @ 14.2370; issue 15 → 213.555 → 213.56; 25 left
    assert m.record_material("BT", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", 15).ht == Decimal("213.56")
    # receive 5 @ 15.10: (25 × 14.2370 + 75.50) / 30 = 14.38083… → 14.3808
    level = m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 3, 13), 5, Decimal("15.10"))
    assert (level.quantity, level.cmup) == (Decimal(30), Decimal("14.3808"))
    # issue 7 → 100.6656 → 100.67
    line = m.record_material("BT", d(2026, 3, 14), "MAG-ROANNE", "PEINTURE", 7)
    assert (line.unit_cost, line.ht) == (Decimal("14.3808"), Decimal("100.67"))
    # receive 17 @ 13.90: (23 × 14.3808 + 236.30) / 40 = 14.17646… → 14.1765
    level = m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 3, 15), 17, Decimal("13.90"))
    assert (level.quantity, level.cmup) == (Decimal(40), Decimal("14.1765"))
    # issue 2.5 (fractional quantities are exact) → 35.44125 → 35.44
    assert m.record_material("BT", d(2026, 3, 16), "MAG-ROANNE", "PEINTURE", Decimal("2.5")).ht == Decimal("35.44")
    before, journal = m.to_json(), len(m.journal())
    with pytest.raises(mutualis.InsufficientStockError) as info:
        m.record_material("BT", d(2026, 3, 17), "MAG-ROANNE", "PEINTURE", Decimal("37.6"))
    assert str(info.value) == 'cannot issue 37.6 of "PEINTURE" from "MAG-ROANNE": only 37.5 on hand'
    assert isinstance(info.value, ConflictError)
    assert m.to_json() == before and len(m.journal()) == journal
    level = m.stock_level("MAG-ROANNE", "PEINTURE")
    assert (level.quantity, level.cmup, level.value) == (Decimal("37.5"), Decimal("14.1765"), Decimal("531.62"))
    # The whole stock can still be issued.
    assert m.record_material("BT", d(2026, 3, 17), "MAG-ROANNE", "PEINTURE", Decimal("37.5")).ht == Decimal("531.62")
    assert m.stock_level("MAG-ROANNE", "PEINTURE").value == Decimal("0.00")


def test_rates_by_vehicle_then_category_and_team_grade() -> None:
    m = seed()
    m.set_category_rate("ROANNE", "VUL", 2026, "km", Decimal("0.62"))
    m.set_labour_rate("ROANNE", 2026, Decimal("45.10"), team="ROANNE-SPORTS", grade="technicien")
    assert m.vehicle_rate("VH-ROANNE-1", "km", d(2026, 3, 12)) == Decimal("0.62")
    assert m.labour_rate("ROANNE-SPORTS", d(2026, 3, 12), "technicien") == Decimal("45.10")
    assert m.labour_rate("ROANNE-SPORTS", d(2026, 3, 12), grade="agent") == Decimal("38.50")
    assert m.labour_rate("ROANNE-SPORTS", d(2026, 3, 12)) == Decimal("38.50")
    m.create_work_order("BT", "Travaux", "GYM", team="ROANNE-SPORTS")
    start(m, "BT")
    km = m.record_vehicle("BT", d(2026, 3, 12), "VH-ROANNE-1", "km", 37)
    assert (km.ht, km.unit, km.provider, km.provider_tenant) == (Decimal("22.94"), "km", "VH-ROANNE-1", "ROANNE")
    m.set_vehicle_rate("VH-ROANNE-1", 2026, "km", Decimal("0.55"))
    assert m.record_vehicle("BT", d(2026, 3, 12), "VH-ROANNE-1", "km", 37).ht == Decimal("20.35")
    assert m.record_labour("BT", d(2026, 3, 12), 2, grade="technicien").unit_cost == Decimal("45.10")
    assert m.record_labour("BT", d(2026, 3, 12), 2, grade="agent").unit_cost == Decimal("38.50")
    cost = m.work_order_cost("BT")
    assert cost.vehicle.ht == Decimal("43.29") and cost.total.ht == cost.labour.ht + cost.vehicle.ht
    rates = m.labour_rates()
    assert [(r.tenant, r.year, r.team, r.grade, r.rate) for r in rates] == [
        ("ROANNE", 2026, None, None, Decimal("38.50")),
        ("ROANNE", 2026, "ROANNE-SPORTS", "technicien", Decimal("45.10")),
        ("VILLEREST", 2026, None, None, Decimal("32.00")),
    ]
    assert [(r.tenant, r.subject, r.category, r.year, r.unit, r.rate) for r in m.vehicle_rates()] == [
        ("ROANNE", "VH-ROANNE-1", False, 2026, "km", Decimal("0.55")),
        ("ROANNE", "VUL", True, 2026, "km", Decimal("0.62")),
    ]


def test_rollup_association_period_and_team_filter() -> None:
    m = seed()
    m.create_work_order("BT-A", "Salle", "GYM-SALLE", team="ROANNE-SPORTS", association="CLUB-BASKET")
    m.create_work_order("BT-B", "Bâtiment", "GYM", team="ROANNE-SPORTS")
    m.create_work_order("BT-C", "Place", "PLACE-VILLEREST", team="VILLEREST-AGENTS")
    for wo in ("BT-A", "BT-B", "BT-C"):
        start(m, wo)
    m.record_labour("BT-A", d(2026, 3, 12), 2)  # 77.00
    m.record_labour("BT-B", d(2026, 4, 2), 1)  # 38.50
    assert m.rollup("GYM").total.ttc == Decimal("115.50")
    assert m.rollup("GYM-SALLE").total.ttc == Decimal("77.00")
    assert m.rollup("GYM", d(2026, 3, 1), d(2026, 3, 31)).total.ttc == Decimal("77.00")
    assert m.rollup("GYM", start=d(2026, 4, 1)).total.ttc == Decimal("38.50")
    assert m.rollup("GYM", end=d(2026, 3, 31)).total.ttc == Decimal("77.00")
    assert m.cost_by_association("CLUB-BASKET").total.ttc == Decimal("77.00")
    assert m.cost_by_association("AUTRE").lines == 0
    assert [w.code for w in m.work_orders(team="ROANNE-SPORTS")] == ["BT-A", "BT-B"]
    assert [w.code for w in m.work_orders()] == ["BT-A", "BT-B", "BT-C"]
    b = m.cost_breakdown()
    assert b == {
        "payer": ["AGGLO"],
        "service_tenant": ["AGGLO"],
        "service": ["SPORTS"],
        "nature": ["labour"],
        "ht": [Decimal("115.50")],
        "vat": [Decimal("0.00")],
        "ttc": [Decimal("115.50")],
    }
    with pytest.raises(mutualis.DatesOutOfOrderError):
        m.rollup("GYM", d(2026, 4, 1), d(2026, 3, 1))


def test_cost_lines_columns_and_records() -> None:
    m = seed()
    m.create_work_order("BT", "Travaux", "GYM-SALLE", team="ROANNE-SPORTS")
    m.create_work_order("BT-F", "Feu", "PLACE-VILLEREST", supplier="ARTIFICES")
    start(m, "BT")
    start(m, "BT-F")
    m.record_labour("BT", d(2026, 3, 12), Decimal("1.25"), 2)
    m.record_external("BT-F", d(2026, 3, 13), "Fumigènes", Decimal("99.99"), Decimal("5.5"))
    m.record_material("BT", d(2026, 3, 14), "MAG-ROANNE", "PEINTURE", 1)
    cols = m.cost_lines()
    assert cols["line"] == [0, 1, 2]
    assert cols["work_order"] == ["BT", "BT-F", "BT"]
    assert cols["date"] == [d(2026, 3, 12), d(2026, 3, 13), d(2026, 3, 14)]
    assert cols["nature"] == ["labour", "external", "material"]
    assert cols["provider"] == ["ROANNE-SPORTS", "ARTIFICES", "MAG-ROANNE"]
    assert cols["provider_tenant"] == ["ROANNE", None, "ROANNE"]
    assert cols["item"] == [None, None, "PEINTURE"]
    assert cols["quantity"] == [Decimal("2.50"), Decimal(1), Decimal(1)]
    assert cols["ht"] == [Decimal("96.25"), Decimal("99.99"), Decimal("14.24")]
    assert cols["vat_rate"] == [None, Decimal("5.5"), None]
    assert cols["vat"] == [Decimal("0.00"), Decimal("5.50"), Decimal("0.00")]
    assert cols["ttc"] == [Decimal("96.25"), Decimal("105.49"), Decimal("14.24")]
    assert len({len(v) for v in cols.values()}) == 1 and len(cols) == 15
    only = m.cost_lines("BT")
    assert only["line"] == [0, 2]
    line = m.record_labour("BT", d(2026, 3, 15), 1)
    assert line.id == 3 and line.description == "main d'œuvre 1 h"
    assert repr(line).startswith("CostLine(id=3, work_order='BT', date=datetime.date(2026, 3, 15), nature='labour'")
    again = m.cost_lines("BT")
    assert again["line"][-1] == line.id and again["ttc"][-1] == line.ttc
    # records are frozen values
    summary = m.work_order_cost("BT")
    assert summary == m.work_order_cost("BT") and hash(summary) == hash(m.work_order_cost("BT"))
    assert repr(summary.total) == "Amounts(ht=Decimal('148.99'), vat=Decimal('0.00'), ttc=Decimal('148.99'))"
    with pytest.raises(AttributeError):
        summary.lines = 0  # type: ignore[misc]


def test_suppliers_teams_stores_items() -> None:
    m = seed()
    s = m.supplier("ARTIFICES")
    assert (s.code, s.name, s.siret, s.categories) == ("ARTIFICES", "Loire Artifices", "35600000000056",
                                                        ["pyrotechnie"])
    assert [x.code for x in m.suppliers()] == ["LOCABARRIERES", "ARTIFICES"]
    assert repr(s) == ("Supplier(code='ARTIFICES', name='Loire Artifices', siret='35600000000056', "
                       "categories=['pyrotechnie'])")
    assert [(t.code, t.tenant, t.service) for t in m.teams()] == [
        ("ROANNE-SPORTS", "ROANNE", "SPORTS"), ("VILLEREST-AGENTS", "VILLEREST", "TECH")]
    assert [(x.code, x.tenant, x.name) for x in m.stores()] == [("MAG-ROANNE", "ROANNE", "Magasin central")]
    assert [(x.code, x.name, x.unit) for x in m.items()] == [("PEINTURE", "Peinture acrylique 15 L", "pot")]
    m.add_item("LED", "Ampoule LED", "pièce")
    empty = m.stock_level("MAG-ROANNE", "LED")
    assert (empty.quantity, empty.cmup, empty.value) == (Decimal(0), Decimal(0), Decimal("0.00"))
    m.add_team("VILLEREST-2", "VILLEREST", "Renfort")
    assert m.teams()[-1].service is None


def test_argument_types() -> None:
    m = seed()
    m.create_work_order("BT", "Travaux", "GYM", team="ROANNE-SPORTS")
    start(m, "BT")
    before = m.to_json()
    bad: List[Callable[[], Any]] = [
        lambda: m.record_labour("BT", d(2026, 3, 12), 1.5),  # type: ignore[arg-type]
        lambda: m.record_labour("BT", d(2026, 3, 12), 1, True),
        lambda: m.record_labour("BT", d(2026, 3, 12), 1, 1.0),  # type: ignore[arg-type]
        lambda: m.record_labour("BT", datetime.datetime(2026, 3, 12, 8), 1),
        lambda: m.record_material("BT", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", "1"),  # type: ignore[arg-type]
        lambda: m.receive_stock("MAG-ROANNE", "PEINTURE", d(2026, 3, 12), 1, 14.5),  # type: ignore[arg-type]
        lambda: m.record_external("BT", d(2026, 3, 12), "x", Decimal("1.00"), 20.0, supplier="ARTIFICES"),  # type: ignore[arg-type]
        lambda: m.set_labour_rate("ROANNE", 2027, 40.0),  # type: ignore[arg-type]
        lambda: m.create_work_order("BT2", "x", "GYM", team="ROANNE-SPORTS", tags="ete"),
        lambda: m.add_supplier("S", "S", "73282932000074", "location"),
        lambda: m.set_work_order_status("BT", "done", datetime.datetime(2026, 3, 13, 8)),
        lambda: m.set_work_order_status("BT", "done", d(2026, 3, 13)),  # type: ignore[arg-type]
        lambda: m.set_now(datetime.datetime(2026, 3, 13, 8)),
    ]
    for call in bad:
        with pytest.raises(mutualis.ArgumentTypeError):
            call()
    assert m.to_json() == before
    with pytest.raises(mutualis.InvalidQuantityError, match="agents must be positive"):
        m.record_labour("BT", d(2026, 3, 12), 1, -2)
    with pytest.raises(mutualis.UnknownKindError, match="usage unit"):
        m.record_vehicle("BT", d(2026, 3, 12), "VH-ROANNE-1", "mile", 1)  # type: ignore[arg-type]
    with pytest.raises(mutualis.UnknownKindError, match="work order status"):
        m.set_work_order_status("BT", "finished", at(2026, 3, 13, 8))  # type: ignore[arg-type]
    assert m.to_json() == before


# --- refusals: each with its class, the registry unchanged ------------------------------------


class Case(NamedTuple):
    cls: type
    base: type
    call: Callable[[Mutualis], object]
    match: str = ""


DAY = d(2026, 3, 12)

WORK_CASES = [
    Case(mutualis.IllegalTransitionError, ConflictError,
         lambda m: m.set_work_order_status("BT-PLANNED", "closed", at(2026, 3, 12, 8)),
         'work order "BT-PLANNED" cannot go from planned to closed'),
    Case(mutualis.IllegalTransitionError, ConflictError,
         lambda m: m.set_work_order_status("BT-PLANNED", "done", at(2026, 3, 12, 8))),
    Case(mutualis.IllegalTransitionError, ConflictError,
         lambda m: m.set_request_status("DI-2026-0301", "in_progress", at(2026, 4, 1, 8)), "from fixed"),
    Case(mutualis.InvalidQuantityError, ValidationError, lambda m: m.record_labour("BT-OPEN", DAY, 0),
         "hours must be positive (got 0)"),
    Case(mutualis.InvalidQuantityError, ValidationError, lambda m: m.record_labour("BT-OPEN", DAY, Decimal("-2"))),
    Case(mutualis.InvalidQuantityError, ValidationError, lambda m: m.record_labour("BT-OPEN", DAY, 2, 0), "agents"),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.record_material("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE-15L", 0)),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.record_material("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE-15L", -1)),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.record_vehicle("BT-OPEN", DAY, "VH-AGGLO-BENNE", "hour", 0)),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", 0, 20, supplier="SIGNA-LOIRE")),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.receive_stock("MAG-ROANNE", "PEINTURE-15L", DAY, 0, 14)),
    Case(mutualis.InvalidQuantityError, ValidationError,
         lambda m: m.set_labour_rate("ROANNE", 2027, 0), "rate must be positive"),
    Case(mutualis.UnknownVatRateError, ValidationError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", 100, Decimal("19.5"), supplier="SIGNA-LOIRE"),
         "unknown VAT rate 19.5"),
    Case(mutualis.VatRateNotInForceError, ValidationError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", 100, Decimal("19.6"), supplier="SIGNA-LOIRE"),
         "VAT rate 19.6 % was not in force on"),
    Case(mutualis.SubCentAmountError, ValidationError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", Decimal("10.001"), 20, supplier="SIGNA-LOIRE")),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", 10, 20), "name the supplier"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.create_work_order("BT-X", "x", "GYM-COUBERTIN", team="ROANNE-SPORTS", supplier="SIGNA-LOIRE"),
         "exactly one of team or supplier"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.create_work_order("BT-X", "x", "GYM-COUBERTIN"), "exactly one"),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.set_labour_rate("AGGLO", 2027, 40, team="ROANNE-SPORTS"), "not a team of"),
    Case(mutualis.OutsideAssetLifeError, ConflictError,
         lambda m: m.record_labour("BT-OPEN", d(1975, 8, 31), 1), "in service from 1975-09-01"),
    Case(mutualis.UnknownTeamError, NotFoundError,
         lambda m: m.record_labour("BT-OPEN", DAY, 1, team="NOPE"), 'unknown team "NOPE"'),
    Case(mutualis.UnknownTeamError, NotFoundError,
         lambda m: m.create_work_order("BT-X", "x", "GYM-COUBERTIN", team="NOPE")),
    Case(mutualis.UnknownTeamError, NotFoundError, lambda m: m.work_orders(team="NOPE")),
    Case(mutualis.UnknownTeamError, NotFoundError, lambda m: m.labour_rate("NOPE", DAY)),
    Case(mutualis.UnknownSupplierError, NotFoundError,
         lambda m: m.create_work_order("BT-X", "x", "GYM-COUBERTIN", supplier="NOPE"), 'unknown supplier "NOPE"'),
    Case(mutualis.UnknownSupplierError, NotFoundError,
         lambda m: m.record_external("BT-OPEN", DAY, "x", 10, 20, supplier="NOPE")),
    Case(mutualis.UnknownSupplierError, NotFoundError, lambda m: m.supplier_activity("NOPE")),
    Case(mutualis.UnknownStoreError, NotFoundError,
         lambda m: m.record_material("BT-OPEN", DAY, "NOPE", "PEINTURE-15L", 1), 'unknown store "NOPE"'),
    Case(mutualis.UnknownStoreError, NotFoundError, lambda m: m.receive_stock("NOPE", "PEINTURE-15L", DAY, 1, 1)),
    Case(mutualis.UnknownItemError, NotFoundError,
         lambda m: m.record_material("BT-OPEN", DAY, "MAG-ROANNE", "NOPE", 1), 'unknown item "NOPE"'),
    Case(mutualis.UnknownItemError, NotFoundError, lambda m: m.stock_level("MAG-ROANNE", "NOPE")),
    Case(mutualis.UnknownWorkOrderError, NotFoundError, lambda m: m.record_labour("NOPE", DAY, 1),
         'unknown work order "NOPE"'),
    Case(mutualis.UnknownWorkOrderError, NotFoundError, lambda m: m.work_order_cost("NOPE")),
    Case(mutualis.UnknownWorkOrderError, NotFoundError, lambda m: m.set_work_order_status("NOPE", "done", at(2026, 4, 1, 8))),
    Case(mutualis.UnknownRequestError, NotFoundError,
         lambda m: m.create_work_order("BT-X", "x", "GYM-COUBERTIN", team="ROANNE-SPORTS", requests=["NOPE"]),
         'unknown request "NOPE"'),
    Case(mutualis.UnknownRequestError, NotFoundError, lambda m: m.request("NOPE")),
    Case(mutualis.UnknownRequestError, NotFoundError, lambda m: m.request_history("NOPE")),
    Case(mutualis.UnknownAssetError, NotFoundError,
         lambda m: m.record_vehicle("BT-OPEN", DAY, "VH-NOPE", "km", 1)),
    Case(mutualis.NoRateError, ConflictError, lambda m: m.record_labour("BT-OPEN", d(2025, 6, 1), 1),
         "no labour rate for ROANNE 2025 (team ROANNE-SPORTS)"),
    Case(mutualis.NoRateError, ConflictError,
         lambda m: m.record_vehicle("BT-OPEN", DAY, "VH-ROANNE-KANGOO", "day", 1), "no vehicle rate"),
    Case(mutualis.NoRateError, ConflictError, lambda m: m.vehicle_rate("VH-AGGLO-BENNE", "km", DAY)),
    Case(mutualis.WorkOrderNotOpenError, ConflictError, lambda m: m.record_labour("BT-PLANNED", DAY, 1),
         "is planned: cost lines are recorded only in progress or done"),
    Case(mutualis.WorkOrderNotOpenError, ConflictError, lambda m: m.record_labour("BT-CLOSED", DAY, 1), "closed"),
    Case(mutualis.TimeOutOfOrderError, ConflictError,
         lambda m: m.set_request_status("DI-2026-0301", "closed", at(2026, 3, 12, 17)), "is earlier than"),
    Case(mutualis.TimeOutOfOrderError, ConflictError,
         lambda m: m.set_work_order_status("BT-OPEN", "done", at(2026, 3, 31, 7))),
    Case(mutualis.InsufficientStockError, ConflictError,
         lambda m: m.record_material("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE-15L", 29), "only 28 on hand"),
    Case(mutualis.RateAlreadySetError, ConflictError, lambda m: m.set_labour_rate("ROANNE", 2026, 40),
         "labour rate already set for ROANNE 2026"),
    Case(mutualis.RateAlreadySetError, ConflictError,
         lambda m: m.set_vehicle_rate("VH-AGGLO-BENNE", 2026, "hour", 60)),
    Case(mutualis.RateAlreadySetError, ConflictError,
         lambda m: m.set_category_rate("ROANNE", "VUL", 2026, "km", 1)),
    Case(mutualis.DuplicateSupplierError, ConflictError,
         lambda m: m.add_supplier("SIGNA-LOIRE", "Autre", "73282932000074"), 'supplier "SIGNA-LOIRE" already exists'),
    Case(mutualis.InvalidSiretError, ValidationError, lambda m: m.add_supplier("X", "X", "73282932000075")),
    Case(mutualis.DuplicateTeamError, ConflictError, lambda m: m.add_team("ROANNE-SPORTS", "ROANNE", "Bis")),
    Case(mutualis.DuplicateStoreError, ConflictError, lambda m: m.add_store("MAG-ROANNE", "ROANNE", "Bis")),
    Case(mutualis.DuplicateItemError, ConflictError, lambda m: m.add_item("LED-E27", "Bis", "pièce")),
    Case(mutualis.DuplicateRequestError, ConflictError,
         lambda m: m.receive_request("DI-2026-0301", "agent", "x", "x", "AGGLO", at(2026, 4, 1, 8))),
    Case(mutualis.DuplicateWorkOrderError, ConflictError,
         lambda m: m.create_work_order("BT-2026-0412", "x", "GYM-COUBERTIN", team="ROANNE-SPORTS")),
]


@pytest.fixture
def site(march: Mutualis) -> Mutualis:
    """March 2026 plus a planned, an open and a closed work order on the gymnasium."""
    march.set_now(at(2026, 3, 31, 9))
    march.create_work_order("BT-PLANNED", "À planifier", "GYM-COUBERTIN", team="ROANNE-SPORTS")
    march.create_work_order("BT-OPEN", "En cours", "GYM-COUBERTIN", team="ROANNE-SPORTS")
    march.set_work_order_status("BT-OPEN", "in_progress", at(2026, 3, 31, 8))
    march.create_work_order("BT-CLOSED", "Soldé", "GYM-COUBERTIN", team="ROANNE-SPORTS")
    march.set_work_order_status("BT-CLOSED", "in_progress", at(2026, 3, 30, 8))
    march.set_work_order_status("BT-CLOSED", "done", at(2026, 3, 30, 17))
    march.set_work_order_status("BT-CLOSED", "closed", at(2026, 3, 31, 8))
    return march


@pytest.mark.parametrize("case", WORK_CASES, ids=[f"{c.cls.__name__}-{i}" for i, c in enumerate(WORK_CASES)])
def test_refusal_raises_its_class_and_changes_nothing(site: Mutualis, case: Case) -> None:
    before, journal = site.to_json(), len(site.journal())
    with pytest.raises(case.cls) as info:
        case.call(site)
    err = info.value
    assert type(err) is case.cls
    assert isinstance(err, case.base) and isinstance(err, mutualis.MutualisError)
    assert case.match in str(err)
    assert site.to_json() == before
    assert len(site.journal()) == journal


def test_refusal_messages_are_the_core_text(site: Mutualis) -> None:
    with pytest.raises(mutualis.WorkOrderNotOpenError) as info:
        site.record_material("BT-PLANNED", DAY, "MAG-ROANNE", "PEINTURE-15L", 1)
    assert str(info.value) == (
        'work order "BT-PLANNED" is planned: cost lines are recorded only in progress or done')
    assert info.value.kind == "work_order_not_open"
    # done orders still take late invoices; cancelled ones do not
    site.set_work_order_status("BT-OPEN", "done", at(2026, 4, 1, 8))
    assert site.record_labour("BT-OPEN", DAY, 1).ht == Decimal("38.50")
    site.set_work_order_status("BT-PLANNED", "cancelled", at(2026, 4, 1, 8))
    with pytest.raises(mutualis.WorkOrderNotOpenError, match="cancelled"):
        site.record_labour("BT-PLANNED", DAY, 1)
    assert json.loads(site.to_json())["version"] == mutualis.FORMAT_VERSION
