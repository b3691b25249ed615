"""Positional ``match`` patterns on records (``__match_args__``). Python
>= 3.10 syntax: conftest.py leaves this file out on 3.9."""

from decimal import Decimal

import pytest

from mutualis import CostSummary, Payers, Share, Tenant, WorkOrder

from conftest import build_roannais_march_2026, d


def test_match_destructures_records_positionally() -> None:
    m = build_roannais_march_2026()
    match m.tenant("ROANNE"):
        case Tenant(code, name, "commune", siren, insee, [grouping]):
            assert (code, name, siren, insee, grouping) == (
                "ROANNE", "Ville de Roanne", "214218703", "42187", "AGGLO",
            )
        case _:
            pytest.fail("no case matched")
    # nested records: a key's payers and their shares
    match m.payers("MAISON-SERVICES", d(2026, 3, 12)):
        case Payers("sharing_key", asset, [Share("AGGLO", agglo), Share("ROANNE", roanne)]):
            assert (asset, agglo, roanne) == ("MAISON-SERVICES", 1080, 720)
        case _:
            pytest.fail("no case matched")
    # keyword and positional patterns together, a guard on a nested amount
    seen = []
    for w in m.work_orders():
        match m.work_order_cost(w.code):
            case CostSummary(labour, total=total) if total.ttc > Decimal("0"):
                seen.append((w.code, labour.ttc <= total.ttc))
    assert seen and all(ok for _, ok in seen)
    match m.work_orders()[0]:
        case WorkOrder(code, title, asset):
            assert isinstance(code, str) and isinstance(title, str) and isinstance(asset, str)
        case _:
            pytest.fail("no case matched")
