"""Transfers of ownership (transferts de propriété): payers follow the owner
at each line's date, history is kept, the registry's exports reload, and bad
transfers are refused with nothing changed."""

import datetime
from decimal import Decimal
from typing import Type

import pytest

import mutualis
from mutualis import ConflictError, Mutualis, Transfer

from conftest import at, d


def seed() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Commune de Mably", "commune", "214212706", "42127")
    m.add_asset("ZAE", "Zone d'activité", "site", "ROANNE", d(1990, 1, 1))
    m.add_asset("ZAE-HALLE", "Halle", "building", "ROANNE", d(1990, 1, 1), parent="ZAE")
    m.add_asset("ZAE-ECL", "Éclairage (Mably)", "equipment", "MABLY", d(2010, 1, 1), parent="ZAE-HALLE")
    m.add_team("T-ROANNE", "ROANNE", "Régie bâtiments")
    m.set_labour_rate("ROANNE", 2026, Decimal("40.00"))
    m.create_work_order("W", "Entretien", "ZAE-HALLE", team="T-ROANNE")
    m.set_work_order_status("W", "in_progress", at(2026, 1, 5, 8))
    return m


def paid(m: Mutualis, tenant: str) -> Decimal:
    return sum(
        (c.ttc for c in m.work_order_charges("W") if c.tenant == tenant),
        Decimal("0"),
    )


def test_a_transfer_splits_the_year_at_its_date() -> None:
    m = seed()
    m.record_labour("W", d(2026, 6, 30), Decimal("2"))
    m.record_labour("W", d(2026, 7, 1), Decimal("3"))
    assert paid(m, "ROANNE") == Decimal("200.00")
    moved = m.transfer_ownership("ZAE", "AGGLO", d(2026, 7, 1))
    assert moved == ["ZAE", "ZAE-HALLE"]  # Mably's equipment stays Mably's
    # lines already recorded are re-allocated: 30 June ROANNE, 1 July AGGLO
    assert paid(m, "ROANNE") == Decimal("80.00")
    assert paid(m, "AGGLO") == Decimal("120.00")
    assert m.owner_on("ZAE-HALLE", d(2026, 6, 30)) == "ROANNE"
    assert m.owner_on("ZAE-HALLE", d(2026, 7, 1)) == "AGGLO"
    assert m.owner_on("ZAE-ECL", d(2027, 1, 1)) == "MABLY"
    assert m.asset("ZAE").owner == "ROANNE"  # the owner when it was added
    (t,) = m.ownership_history("ZAE-HALLE")
    assert isinstance(t, Transfer)
    assert (t.asset, t.owner, t.start) == ("ZAE-HALLE", "AGGLO", d(2026, 7, 1))
    assert repr(t) == "Transfer(asset='ZAE-HALLE', owner='AGGLO', start=datetime.date(2026, 7, 1))"
    assert m.ownership_history("ZAE-ECL") == []
    # the registry's own exports reload
    dataset = m.to_json()
    assert '"ownership_transfers"' in dataset
    assert Mutualis.from_json(dataset).to_json() == dataset
    assert Mutualis.replay(m.journal_json()).to_json() == dataset
    assert [e.type for e in m.history("asset", "ZAE")][-1] == "ownership_transferred"


def test_custody_follows_the_owner_of_the_day() -> None:
    m = seed()
    m.transfer_ownership("ZAE", "AGGLO", d(2026, 7, 1))
    with pytest.raises(mutualis.CustodyToOwnerError):
        m.grant_custody("ZAE", "AGGLO", d(2026, 6, 1), d(2026, 8, 31))
    m.grant_custody("ZAE", "ROANNE", d(2026, 7, 1))
    assert m.holder("ZAE-HALLE", d(2026, 9, 1)).tenant == "ROANNE"


@pytest.mark.parametrize(
    "asset, owner, start, cls, match",
    [
        ("ZAE", "ROANNE", d(2026, 1, 1), mutualis.TransferRefusedError, "already owns"),
        ("ZAE", "MABLY", d(2025, 1, 1), mutualis.TransferRefusedError, "date order"),
        ("ZAE", "AGGLO", d(1980, 1, 1), mutualis.OutsideAssetLifeError, "ZAE"),
        ("ZAE", "AGGLO", d(2201, 1, 1), mutualis.YearOutOfRangeError, "2201"),
        ("NOPE", "AGGLO", d(2026, 1, 1), mutualis.UnknownAssetError, "NOPE"),
        ("ZAE", "NOPE", d(2026, 1, 1), mutualis.UnknownTenantError, "NOPE"),
    ],
)
def test_refused_transfers_change_nothing(
    asset: str, owner: str, start: datetime.date, cls: Type[mutualis.MutualisError], match: str
) -> None:
    m = seed()
    m.transfer_ownership("ZAE", "MABLY", d(2025, 6, 1))
    m.transfer_ownership("ZAE", "ROANNE", d(2025, 12, 1))
    before, n = m.to_json(), len(m.journal())
    with pytest.raises(cls, match=match) as e:
        m.transfer_ownership(asset, owner, start)
    assert isinstance(e.value, mutualis.MutualisError)
    if cls is mutualis.TransferRefusedError:
        assert isinstance(e.value, ConflictError)
    assert m.to_json() == before and len(m.journal()) == n


def test_bad_argument_types() -> None:
    m = seed()
    with pytest.raises(mutualis.ArgumentTypeError):
        m.transfer_ownership("ZAE", "AGGLO", "2026-07-01")  # type: ignore[arg-type]
    with pytest.raises(mutualis.UnknownAssetError):
        m.owner_on("NOPE", d(2026, 1, 1))
    with pytest.raises(mutualis.UnknownAssetError):
        m.ownership_history("NOPE")
