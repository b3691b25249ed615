"""The engine seen from Python: the ledger follows custody and tree changes
incrementally, a saved registry always reloads (decommissioning before
recorded costs is refused), and failed batches change nothing."""

import datetime
from decimal import Decimal
from typing import Any, Dict, Sequence

import pytest

import mutualis
from mutualis import Mutualis


def d(y: int, m: int, j: int) -> datetime.date:
    return datetime.date(y, m, j)


AT = datetime.datetime(2026, 3, 12, 8, 0, tzinfo=datetime.timezone.utc)


def small() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_asset("SITE", "Site Coubertin", "site", "ROANNE", d(1975, 9, 1))
    m.add_asset("GYM", "Gymnase", "building", "ROANNE", d(1975, 9, 1), parent="SITE")
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie sports")
    m.set_labour_rate("ROANNE", 2026, Decimal("38.50"))
    m.create_work_order("BT-1", "Peinture", "GYM", team="ROANNE-SPORTS")
    m.set_work_order_status("BT-1", "in_progress", AT)
    return m


def payers_of_lines(m: Mutualis) -> list:
    cols = m.ledger_columns()
    return list(zip(cols["line"], cols["payer"], cols["ttc"]))


def test_custody_and_moves_reallocate_recorded_lines() -> None:
    m = small()
    m.record_labour("BT-1", d(2026, 3, 12), Decimal("6.5"))
    assert payers_of_lines(m) == [(0, "ROANNE", Decimal("250.25"))]
    # a custody on the parent reaches the line recorded before it
    m.grant_custody("SITE", "AGGLO", d(2019, 1, 1))
    assert payers_of_lines(m) == [(0, "AGGLO", Decimal("250.25"))]
    # moving the gymnasium out of the site gives it back to its owner
    m.set_parent("GYM", None)
    assert payers_of_lines(m) == [(0, "ROANNE", Decimal("250.25"))]
    m.set_parent("GYM", "SITE")
    assert payers_of_lines(m) == [(0, "AGGLO", Decimal("250.25"))]
    # the ledger agrees with the per-line charges
    assert [(c.tenant, c.ttc) for c in m.work_order_charges("BT-1")] == [
        ("AGGLO", Decimal("250.25"))
    ]


def test_decommissioning_before_recorded_costs_is_refused() -> None:
    m = small()
    m.record_labour("BT-1", d(2026, 3, 12), Decimal("6.5"))
    before = m.to_json()
    with pytest.raises(mutualis.OutsideAssetLifeError) as e:
        m.decommission("GYM", d(2026, 3, 11))
    assert "2026-03-12" in str(e.value)
    assert isinstance(e.value, mutualis.MutualisError)
    assert m.to_json() == before
    m.decommission("GYM", d(2026, 3, 12))
    assert Mutualis.from_json(m.to_json()).to_json() == m.to_json()


def test_a_failed_batch_changes_nothing() -> None:
    m = small()
    m.record_labour("BT-1", d(2026, 3, 12), Decimal("1"))
    before = m.to_json()
    journal = len(m.journal())
    columns: Dict[str, Sequence[Any]] = {
        "work_order": ["BT-1", "BT-1", "NOPE"],
        "nature": ["labour", "labour", "labour"],
        "date": [d(2026, 3, 13), d(2026, 3, 14), d(2026, 3, 15)],
        "hours": [Decimal("2"), Decimal("3"), Decimal("4")],
    }
    with pytest.raises(mutualis.UnknownWorkOrderError) as e:
        m.record_costs(columns)
    assert "row 2" in str(e.value)  # rows count from 0, like the columns
    assert m.to_json() == before
    assert len(m.journal()) == journal
    assert len(m.ledger_columns()["line"]) == 1
    # and the registry goes on after the rollback
    m.record_labour("BT-1", d(2026, 3, 16), Decimal("2"))
    assert len(m.ledger_columns()["line"]) == 2
