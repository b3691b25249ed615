"""The analyst flow: load the Roannais dataset written by Rust, record a
month of interventions in bulk from columns (as from ``df.to_dict("list")``),
and read costs per work order, asset subtree, event tag, association,
supplier, and the breakdown as columns. Bulk recording is all or nothing."""

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import pytest

import mutualis
from mutualis import Mutualis

from conftest import at, d

DATA = Path(__file__).resolve().parent / "data"
NAN = float("nan")
APRIL = (d(2026, 4, 1), d(2026, 4, 30))

COLUMNS = ("work_order", "nature", "date", "hours", "agents", "team", "grade", "store", "item", "quantity",
           "vehicle", "unit", "supplier", "description", "ht", "vat_rate")


def frame(rows: List[Dict[str, Any]]) -> Dict[str, List[Any]]:
    """Rows to columns, missing values as None: what df.to_dict("list") gives."""
    return {c: [r.get(c) for r in rows] for c in COLUMNS}


@pytest.fixture
def loaded() -> Mutualis:
    m = Mutualis.load(DATA / "roannais.json")
    m.set_actor("analyste")
    m.set_now(at(2026, 4, 1, 7))
    m.create_work_order("BT-A1", "Marquage des terrains", "GYM-COUBERTIN-SALLE", team="ROANNE-SPORTS",
                        tags=["forum-2026"], association="CLUB-BASKET")
    m.create_work_order("BT-A2", "Parking du forum", "VOIE-ZA-MABLY", team="AGGLO-VOIRIE", tags=["forum-2026"])
    m.create_work_order("BT-A3", "Signalétique du forum", "EV-PARC-MABLY", supplier="SIGNA-LOIRE",
                        tags=["forum-2026"])
    m.create_work_order("BT-A4", "Balayage quotidien", "VOIE-R-JAURES", team="ROANNE-VOIRIE")
    for code in ("BT-A1", "BT-A2", "BT-A3", "BT-A4"):
        m.set_work_order_status(code, "in_progress", at(2026, 4, 1, 8))
    return m


def april_rows() -> List[Dict[str, Any]]:
    rows: List[Dict[str, Any]] = [
        # 2 agents × 2 h × 38.50 = 154.00
        {"work_order": "BT-A1", "nature": "labour", "date": d(2026, 4, 2), "hours": 2, "agents": 2.0},
        # 3 pots × 14.2370 = 42.711 → 42.71
        {"work_order": "BT-A1", "nature": "material", "date": d(2026, 4, 2), "store": "MAG-ROANNE",
         "item": "PEINTURE-15L", "quantity": 3, "agents": NAN},
        # 7.5 h × 41.20 = 309.00 (agents missing → 1)
        {"work_order": "BT-A2", "nature": "labour", "date": d(2026, 4, 3), "hours": Decimal("7.5"), "agents": NAN},
        # 2.5 h × 58.00 = 145.00
        {"work_order": "BT-A2", "nature": "vehicle", "date": d(2026, 4, 3), "vehicle": "VH-AGGLO-BENNE",
         "unit": "hour", "quantity": Decimal("2.5")},
        # 20 sacs × 11.40 = 228.00
        {"work_order": "BT-A2", "nature": "material", "date": d(2026, 4, 3), "store": "MAG-AGGLO",
         "item": "ENROBE-FROID", "quantity": 20},
        # 250.00 HT at 20 % → 300.00 TTC
        {"work_order": "BT-A3", "nature": "external", "date": d(2026, 4, 4), "description": "Panneaux",
         "ht": Decimal("250.00"), "vat_rate": 20},
    ]
    # 2 000 quarter-hours of sweeping: 0.25 × 38.50 = 9.625 → 9.63 each, 19 260.00 in all.
    rows += [{"work_order": "BT-A4", "nature": "labour", "date": d(2026, 4, 1 + i % 30), "hours": Decimal("0.25"),
              "agents": 1.0} for i in range(2000)]
    return rows


def by(columns: Mapping[str, List[Any]], key: str, value: str = "ttc") -> Dict[Any, Decimal]:
    out: Dict[Any, Decimal] = defaultdict(Decimal)
    for k, v in zip(columns[key], columns[value]):
        out[k] += v
    return dict(out)


def test_analyst_flow(loaded: Mutualis) -> None:
    m = loaded
    calls: List[Tuple[int, int]] = []
    journal = len(m.journal())
    assert m.record_costs(frame(april_rows()), progress=lambda done, total: calls.append((done, total))) == 2006
    assert calls == [(1024, 2006), (2006, 2006)]
    assert len(m.journal()) == journal + 2006
    assert {e.actor for e in m.journal()[journal:]} == {"analyste"}

    # Per work order, and who is charged.
    a1 = m.work_order_cost("BT-A1")
    assert (a1.labour.ht, a1.material.ht, a1.total.ttc, a1.lines) == (
        Decimal("154.00"), Decimal("42.71"), Decimal("196.71"), 2)
    assert [(c.tenant, c.ttc) for c in m.work_order_charges("BT-A1")] == [("AGGLO", Decimal("196.71"))]
    a2 = m.work_order_cost("BT-A2")
    assert (a2.labour.ht, a2.vehicle.ht, a2.material.ht, a2.total.ttc) == (
        Decimal("309.00"), Decimal("145.00"), Decimal("228.00"), Decimal("682.00"))
    a3 = m.work_order_cost("BT-A3")
    assert (a3.external.ht, a3.external.vat, a3.external.ttc) == (Decimal("250.00"), Decimal("50.00"), Decimal("300.00"))
    assert [(c.tenant, c.ht, c.vat, c.ttc) for c in m.work_order_charges("BT-A3")] == [
        ("MABLY", Decimal("250.00"), Decimal("50.00"), Decimal("300.00"))]
    a4 = m.work_order_cost("BT-A4")
    assert (a4.total.ttc, a4.lines) == (Decimal("19260.00"), 2000)
    assert [c.tenant for c in m.work_order_charges("BT-A4")] == ["ROANNE"]

    # Stock went down.
    assert m.stock_level("MAG-ROANNE", "PEINTURE-15L").quantity == Decimal(25)
    assert m.stock_level("MAG-AGGLO", "ENROBE-FROID").quantity == Decimal(220)

    # The gymnasium's subtree: March (421.09 + 3 h × 45.10 = 135.30) and April.
    assert m.rollup("GYM-COUBERTIN").total.ttc == Decimal("753.10")
    assert m.rollup("GYM-COUBERTIN", d(2026, 3, 1), d(2026, 3, 31)).total.ttc == Decimal("556.39")
    assert m.rollup("GYM-COUBERTIN", *APRIL).total.ttc == Decimal("196.71")
    assert m.rollup("GYM-COUBERTIN-SALLE", end=d(2026, 3, 31)).total.ttc == Decimal("421.09")

    # The event, the association (aide en nature) and the supplier.
    forum = m.cost_by_tag("forum-2026")
    assert (forum.total.ht, forum.total.vat, forum.total.ttc, forum.lines) == (
        Decimal("1128.71"), Decimal("50.00"), Decimal("1178.71"), 6)
    assert m.cost_by_association("CLUB-BASKET").total.ttc == Decimal("196.71")
    signa = m.supplier_activity("SIGNA-LOIRE")
    assert (signa.interventions, signa.cost.total.ht, signa.cost.total.ttc) == (
        2, Decimal("636.40"), Decimal("763.68"))
    april = m.supplier_activity("SIGNA-LOIRE", *APRIL)
    assert (april.interventions, april.cost.external.ttc) == (1, Decimal("300.00"))

    # The breakdown, as columns fed to a dict of lists (what pandas would take).
    b = m.cost_breakdown(*APRIL)
    assert set(b) == {"payer", "service_tenant", "service", "nature", "ht", "vat", "ttc"}
    assert len({len(v) for v in b.values()}) == 1
    assert by(b, "payer") == {"AGGLO": Decimal("878.71"), "MABLY": Decimal("300.00"), "ROANNE": Decimal("19260.00")}
    assert by(b, "nature") == {"labour": Decimal("19723.00"), "material": Decimal("270.71"),
                               "vehicle": Decimal("145.00"), "external": Decimal("300.00")}
    rows = list(zip(b["payer"], b["service_tenant"], b["service"], b["nature"], b["ttc"]))
    assert ("AGGLO", "AGGLO", "SPORTS", "labour", Decimal("154.00")) in rows
    assert ("MABLY", "MABLY", "TECH", "external", Decimal("300.00")) in rows
    assert rows == sorted(rows, key=lambda r: r[0])  # sorted by payer
    total = m.cost_breakdown()
    assert sum(total["ttc"], Decimal(0)) == sum(m.cost_lines()["ttc"], Decimal(0))

    # Cost lines as columns, e.g. for a pivot by work order.
    lines = m.cost_lines()
    assert len(lines["line"]) == 18 + 2006
    per_wo = by(lines, "work_order")
    assert per_wo["BT-A2"] == Decimal("682.00") and per_wo["BT-2026-0412"] == Decimal("421.09")


def test_bulk_is_all_or_nothing(loaded: Mutualis) -> None:
    m = loaded
    before, journal = m.to_json(), len(m.journal())
    good = {"work_order": "BT-A1", "nature": "labour", "date": d(2026, 4, 2), "hours": 1}
    cases: List[Tuple[List[Dict[str, Any]], type, str]] = [
        ([good, {"work_order": "BT-A1", "nature": "material", "date": d(2026, 4, 2), "store": "MAG-ROANNE",
                 "item": "PEINTURE-15L", "quantity": 1000}],
         mutualis.InsufficientStockError, 'row 1: cannot issue 1000 of "PEINTURE-15L"'),
        ([good, good, {**good, "work_order": "NOPE"}], mutualis.UnknownWorkOrderError, 'row 2: unknown work order'),
        ([good, {**good, "hours": 0}], mutualis.InvalidQuantityError, "row 1: hours must be positive"),
        ([good, {**good, "date": d(1975, 8, 31)}], mutualis.OutsideAssetLifeError, "row 1: 1975-08-31"),
        ([good, {**good, "date": d(2025, 6, 1)}], mutualis.NoRateError, "row 1: no labour rate"),
        ([{**good, "work_order": "BT-2026-0412"}, {**good, "team": "NOPE"}], mutualis.UnknownTeamError, "row 1:"),
        ([{"work_order": "BT-A3", "nature": "external", "date": d(2026, 4, 4), "description": "x",
           "ht": Decimal("10"), "vat_rate": Decimal("19")}], mutualis.UnknownVatRateError, "row 0: unknown VAT"),
        ([{"work_order": "BT-A3", "nature": "external", "date": d(2026, 4, 4), "description": "x",
           "ht": Decimal("10"), "vat_rate": Decimal("19.6")}], mutualis.VatRateNotInForceError,
         "row 0: VAT rate 19.6 % was not in force on 2026-04-04; rates then: 20, 10, 5.5, 2.1"),
        # conversions, before anything is recorded
        ([good, {**good, "hours": 1.5}], mutualis.ArgumentTypeError, "row 1: expected decimal.Decimal or int"),
        ([good, {**good, "date": datetime.datetime(2026, 4, 2, 8)}], mutualis.ArgumentTypeError, "row 1:"),
        ([good, {**good, "hours": None}], mutualis.InvalidFieldError,
         "row 1: invalid hours: missing (a labour line needs it)"),
        ([good, {**good, "store": "MAG-ROANNE"}], mutualis.InvalidFieldError,
         "row 1: invalid store: not used by a labour line"),
        ([good, {**good, "nature": "catering"}], mutualis.UnknownKindError, "row 1: unknown cost nature"),
        ([good, {**good, "nature": None}], mutualis.InvalidFieldError, "row 1: invalid nature: missing"),
        ([good, {**good, "agents": 1.5}], mutualis.InvalidFieldError, "row 1: invalid agents"),
        ([good, {**good, "agents": -1}], mutualis.InvalidQuantityError, "row 1: agents must be positive"),
        ([good, {**good, "work_order": 42}], mutualis.ArgumentTypeError, "row 1: expected str for work_order"),
    ]
    for rows, cls, message in cases:
        with pytest.raises(cls) as info:
            m.record_costs(frame(rows))
        assert type(info.value) is cls
        assert str(info.value).startswith(message), str(info.value)
        assert m.to_json() == before and len(m.journal()) == journal
    # A raising progress callback undoes the whole batch.
    def boom(done: int, total: int) -> None:
        raise KeyError("stop")

    with pytest.raises(KeyError, match="stop"):
        m.record_costs(frame(april_rows()), progress=boom)
    assert m.to_json() == before and len(m.journal()) == journal
    # A callback that answers False stops the batch: nothing recorded, a typed error.
    seen: List[int] = []

    def stop_at_1024(done: int, total: int) -> bool:
        seen.append(done)
        return done < 1024

    with pytest.raises(mutualis.CancelledError, match="stopped by the caller after 1024 of 2006"):
        m.record_costs(frame(april_rows()), progress=stop_at_1024)
    assert seen == [1024] and m.to_json() == before and len(m.journal()) == journal
    # So does a callback that tries to use the registry being recorded (instead of a deadlock).
    with pytest.raises(RuntimeError, match="progress callback cannot use it"):
        m.record_costs(frame([good]), progress=lambda done, total: m.cost_lines())
    assert m.to_json() == before
    # The registry is usable again afterwards, and other registries always were.
    other = Mutualis()
    assert m.record_costs(frame([good]), progress=lambda done, total: other.tenants()) == 1
    assert len(m.journal()) == journal + 1


def test_bulk_column_shapes(loaded: Mutualis) -> None:
    m = loaded
    before = m.to_json()
    good = frame([{"work_order": "BT-A1", "nature": "labour", "date": d(2026, 4, 2), "hours": 1}])
    # Only the needed columns: optional ones may be left out entirely.
    minimal: Dict[str, List[Any]] = {"work_order": ["BT-A1"], "nature": ["labour"], "date": [d(2026, 4, 2)],
                                     "hours": [Decimal("0.5")]}
    bad: List[Tuple[Any, type, str]] = [
        ({**good, "hour": [1]}, mutualis.InvalidFieldError, 'unknown column "hour"'),
        ({k: v for k, v in good.items() if k != "date"}, mutualis.InvalidFieldError, 'missing column "date"'),
        ({**good, "hours": [1, 2]}, mutualis.InvalidFieldError, "same length"),
        ({**good, "work_order": "BT-A1"}, mutualis.ArgumentTypeError, "got str"),
        ([("work_order", ["BT-A1"])], mutualis.ArgumentTypeError, "expected a mapping"),
        ({**good, 1: [None]}, mutualis.ArgumentTypeError, "expected str for a column name"),
    ]
    for columns, cls, message in bad:
        with pytest.raises(cls, match=message):
            m.record_costs(columns)
        assert m.to_json() == before
    assert m.record_costs({c: [] for c in ("work_order", "nature", "date")}) == 0
    calls: List[Tuple[int, int]] = []
    assert m.record_costs({c: [] for c in ("work_order", "nature", "date")},
                          progress=lambda done, total: calls.append((done, total))) == 0
    assert calls == [(0, 0)]
    assert m.record_costs(minimal) == 1
    assert m.work_order_cost("BT-A1").labour.ht == Decimal("19.25")
    # Tuples work as columns as well as lists.
    assert m.record_costs({k: tuple(v) for k, v in minimal.items()}) == 1


def test_bulk_external_and_vehicle_optional_columns(loaded: Mutualis) -> None:
    m = loaded
    rows: List[Dict[str, Optional[Any]]] = [
        # a supplier other than the order's own, and a credit note
        {"work_order": "BT-A3", "nature": "external", "date": d(2026, 4, 5), "supplier": "ELEC-ROANNAIS",
         "description": "Branchement", "ht": Decimal("80.00"), "vat_rate": Decimal("5.5")},
        {"work_order": "BT-A3", "nature": "external", "date": d(2026, 4, 6), "description": "Avoir",
         "ht": Decimal("-80.00"), "vat_rate": Decimal("5.5"), "supplier": "ELEC-ROANNAIS"},
        # a category rate (Roanne's VUL vans by the km) and a grade rate
        {"work_order": "BT-A1", "nature": "vehicle", "date": d(2026, 4, 5), "vehicle": "VH-ROANNE-KANGOO",
         "unit": "km", "quantity": 12},
        {"work_order": "BT-A1", "nature": "labour", "date": d(2026, 4, 5), "hours": 1, "grade": "technicien"},
    ]
    assert m.record_costs(frame(rows)) == 4
    lines = m.cost_lines("BT-A3")
    assert lines["provider"] == ["ELEC-ROANNAIS", "ELEC-ROANNAIS"]
    assert lines["ttc"] == [Decimal("84.40"), Decimal("-84.40")]
    assert m.supplier_activity("ELEC-ROANNAIS", *APRIL).cost.total.ttc == Decimal("0.00")
    a1 = m.cost_lines("BT-A1")
    assert a1["unit_cost"] == [Decimal("0.62"), Decimal("45.10")]
    assert a1["ht"] == [Decimal("7.44"), Decimal("45.10")]
    assert a1["unit"] == ["km", None]
