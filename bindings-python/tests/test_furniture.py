"""Mobilier (issue 15): the furniture register, moves between rooms and
collectivités, reform, inventory campaigns and their report from Python;
the acceptance case, every method and every furniture error."""

import datetime
from decimal import Decimal
from typing import Callable, List, Type

import pytest

import mutualis
from mutualis import (
    CampaignClosedError,
    CampaignReport,
    CrossTenantMoveError,
    DuplicateCampaignError,
    DuplicateInventoryNumberError,
    FurnitureItem,
    ItemReformedError,
    Mutualis,
    NotALocationError,
    NotFurnitureError,
    OutsideCampaignError,
    ReformBeforePurchaseError,
    UnknownCampaignError,
    UnknownInventoryNumberError,
)

from conftest import d

FURNITURE_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    NotFurnitureError,
    UnknownInventoryNumberError,
    DuplicateInventoryNumberError,
    NotALocationError,
    CrossTenantMoveError,
    ItemReformedError,
    ReformBeforePurchaseError,
    UnknownCampaignError,
    DuplicateCampaignError,
    CampaignClosedError,
    OutsideCampaignError,
]


def number(i: int) -> str:
    return f"ROANNE-MOB-{i:04}"


def room_of(i: int) -> str:
    return "R1" if i <= 14 else "R2" if i <= 27 else "R3"


def seed() -> Mutualis:
    """ROANNE's town hall HDV (rooms R1-R3 on a floor, a boiler), a depot,
    AGGLO's seat SIEGE (room SIEGE-1); 41 items: 14 in R1, 13 in R2, 14 in R3."""
    m = Mutualis()
    m.set_now(datetime.datetime(2026, 4, 1, 8, tzinfo=datetime.timezone.utc))
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_service("ROANNE", "ADMIN", "Administration générale")
    old = d(1900, 1, 1)
    m.add_asset("HDV", "Hôtel de ville", "building", "ROANNE", old)
    m.add_asset("HDV-1", "1er étage", "floor", "ROANNE", old, parent="HDV")
    for r in ("R1", "R2", "R3"):
        m.add_asset(r, f"Bureau {r}", "room", "ROANNE", old, parent="HDV-1")
    m.add_asset("CHAUDIERE", "Chaudière", "equipment", "ROANNE", old, parent="HDV")
    m.add_asset("DEPOT", "Dépôt", "building", "ROANNE", old)
    m.add_asset("SIEGE", "Siège", "building", "AGGLO", old)
    m.add_asset("SIEGE-1", "Salle du conseil", "room", "AGGLO", old, parent="SIEGE")
    for i in range(1, 42):
        code = f"MOB-{i:04}"
        m.add_asset(code, "Mobilier", "furniture", "ROANNE", d(2020, 1, 6))
        m.register_furniture(
            code, number(i), ["chair", "desk", "cupboard"][i % 3], room_of(i),
            service_tenant="ROANNE", service="ADMIN",
            purchase_date=d(2020, 1, 6), purchase_value=Decimal("149.90"),
        )
    return m


def test_the_campaign_of_the_acceptance() -> None:
    """3 rooms, 40 expected items, 2 missing and 1 unexpected: the report
    lists exactly those; a reformed item is no longer expected."""
    m = seed()
    m.reform_furniture(number(41), d(2025, 11, 3), "destroyed")
    m.open_campaign("REC-HDV-2026", "HDV", d(2026, 3, 2))
    for i in range(1, 41):
        if i not in (5, 30):
            m.record_scan("REC-HDV-2026", number(i), room_of(i), d(2026, 3, 3))
    m.record_scan("REC-HDV-2026", "inconnu-0001", "R2", d(2026, 3, 4))
    r = m.campaign_report("REC-HDV-2026")
    assert isinstance(r, CampaignReport)
    assert (r.expected, r.found, r.missing, r.misplaced, r.unexpected) == (40, 38, 2, 0, 1)
    assert [x.number for x in r.lines if x.finding == "missing"] == [number(5), number(30)]
    assert [x.number for x in r.lines if x.finding == "unexpected"] == ["INCONNU-0001"]
    assert number(41) not in {x.number for x in r.lines}
    unexpected = next(x for x in r.lines if x.finding == "unexpected")
    assert (unexpected.asset, unexpected.found_room, unexpected.scanned) == (None, "R2", d(2026, 3, 4))
    assert [(c.room, c.expected, c.found, c.missing, c.unexpected) for c in r.rooms] == [
        ("R1", 14, 13, 1, 0),
        ("R2", 13, 13, 0, 1),
        ("R3", 13, 12, 1, 0),
    ]
    cols = m.campaign_report_table("REC-HDV-2026")
    assert len(cols["number"]) == 41
    assert cols["finding"].count("missing") == 2
    assert cols["asset"][cols["number"].index("INCONNU-0001")] is None
    assert set(cols) == {"number", "asset", "finding", "expected_room", "found_room", "scanned"}
    assert len(m.campaign_scans("REC-HDV-2026")) == 39
    m.close_campaign("REC-HDV-2026", d(2026, 3, 6))
    c = m.campaigns()[0]
    assert (c.code, c.scope, c.opened, c.closed, c.applied) == ("REC-HDV-2026", "HDV", d(2026, 3, 2), d(2026, 3, 6), False)
    assert "missing=2" in repr(r)


def test_misplaced_items_are_moved_when_the_findings_are_applied() -> None:
    m = seed()
    m.open_campaign("REC", "HDV", d(2026, 3, 2))
    m.record_scan("REC", number(1), "R2", d(2026, 3, 3))
    line = next(x for x in m.campaign_report("REC").lines if x.number == number(1))
    assert (line.finding, line.expected_room, line.found_room) == ("misplaced", "R1", "R2")
    m.close_campaign("REC", d(2026, 3, 6), apply=True)
    assert m.furniture_item(number(1)).location == "R2"
    mv = m.furniture_moves(number(1))
    assert [(x.date, x.origin, x.destination, x.kind) for x in mv] == [(d(2026, 3, 6), "R1", "R2", "inventory")]
    assert m.furniture_location_on(number(1), d(2026, 3, 5)) == "R1"
    assert m.furniture_location_on(number(1), d(2019, 1, 1)) is None
    assert m.campaigns()[0].applied
    with pytest.raises(CampaignClosedError):
        m.record_scan("REC", number(2), "R1", d(2026, 3, 7))


def test_register_moves_transfers_loans_and_reform() -> None:
    m = seed()
    item = m.furniture_item("roanne-mob-0001")
    assert isinstance(item, FurnitureItem)
    assert (item.asset, item.category, item.owner, item.location, item.first_location) == (
        "MOB-0001", "desk", "ROANNE", "R1", "R1",
    )
    assert (item.service_tenant, item.service, item.purchase_value) == ("ROANNE", "ADMIN", Decimal("149.90"))
    assert (item.condition, item.status, item.status_since, item.lent_to) == ("good", "in_use", None, None)
    m.move_furniture(number(1), "DEPOT", d(2025, 1, 15))
    m.set_furniture_status(number(1), "in_store", d(2025, 1, 15))
    m.set_furniture_condition(number(1), "worn", d(2025, 2, 1))
    item = m.furniture_item(number(1))
    assert (item.location, item.status, item.status_since, item.condition) == ("DEPOT", "in_store", d(2025, 1, 15), "worn")
    assert len(m.furniture_in("HDV", d(2025, 6, 1))) == 40
    # to AGGLO: a transfer of ownership, or a loan
    with pytest.raises(CrossTenantMoveError):
        m.move_furniture(number(2), "SIEGE-1", d(2026, 2, 1))
    m.transfer_furniture(number(2), "SIEGE-1", d(2026, 2, 1))
    assert m.owner_on("MOB-0002", d(2026, 1, 31)) == "ROANNE"
    assert m.owner_on("MOB-0002", d(2026, 2, 1)) == "AGGLO"
    assert m.furniture_item(number(2)).owner == "AGGLO"
    m.lend_furniture(number(3), "SIEGE-1", d(2026, 3, 1), until=d(2026, 6, 30))
    assert m.furniture_item(number(3)).lent_to == "AGGLO"
    assert m.owner_on("MOB-0003", d(2026, 4, 1)) == "ROANNE"
    m.return_furniture(number(3), "R1", d(2026, 6, 30))
    loans = m.furniture_loans()
    assert [(x.asset, x.borrower, x.start, x.until, x.returned) for x in loans] == [
        ("MOB-0003", "AGGLO", d(2026, 3, 1), d(2026, 6, 30), d(2026, 6, 30)),
    ]
    assert [x.kind for x in m.furniture_moves(number(3))] == ["loan", "return"]
    m.reform_furniture(number(4), d(2026, 5, 1), "sold", price=Decimal("20.00"))
    m.reform_furniture(number(5), d(2026, 5, 1), "given", recipient="Emmaüs Roanne")
    i4, i5 = m.furniture_item(number(4)), m.furniture_item(number(5))
    assert (i4.status, i4.reform_outcome, i4.reform_price) == ("reformed", "sold", Decimal("20.00"))
    assert (i5.reform_outcome, i5.reform_recipient) == ("given", "Emmaüs Roanne")
    cols = m.furniture_table()
    assert len(cols["number"]) == 41 and cols["location"][0] == "DEPOT"
    assert cols["purchase_value"][0] == Decimal("149.90")
    # the dataset and the journal round trip
    again = Mutualis.from_json(m.to_json())
    assert again.to_json() == m.to_json()
    assert Mutualis.replay(m.journal_json()).to_json() == m.to_json()


def test_furniture_reads_through_a_principal() -> None:
    m = seed()
    m.transfer_furniture(number(2), "SIEGE-1", d(2026, 2, 1))
    m.open_campaign("REC", "HDV", d(2026, 3, 2))
    m.add_role("LECTEUR", "Lecture patrimoine", ["assets:read"])
    m.add_principal("agglo", "Agent AGGLO", "agent", tenant="AGGLO")
    m.grant("agglo", "LECTEUR", d(2020, 1, 1), tenant="AGGLO")
    agglo = m.as_principal("agglo")
    assert [i.number for i in agglo.furniture()] == [number(2)]
    with pytest.raises(mutualis.ForbiddenError):
        agglo.furniture_item(number(1))
    with pytest.raises(mutualis.ForbiddenError):
        agglo.campaign_report("REC")
    assert agglo.campaigns() == []


Case = Callable[[Mutualis], None]

CASES: List[tuple] = [
    (UnknownInventoryNumberError, lambda m: m.move_furniture("ROANNE-MOB-9999", "R2", d(2026, 1, 1))),
    (DuplicateInventoryNumberError, lambda m: m.register_furniture("MOB-X", number(1), "chair", "R1")),
    (NotFurnitureError, lambda m: m.register_furniture("CHAUDIERE", "X-1", "chair", "R1")),
    (NotALocationError, lambda m: m.move_furniture(number(1), "CHAUDIERE", d(2026, 1, 1))),
    (CrossTenantMoveError, lambda m: m.move_furniture(number(1), "SIEGE-1", d(2026, 1, 1))),
    (ItemReformedError, lambda m: m.move_furniture(number(41), "R2", d(2026, 1, 1))),
    (ReformBeforePurchaseError, lambda m: m.reform_furniture(number(1), d(2019, 12, 31), "destroyed")),
    (UnknownCampaignError, lambda m: m.record_scan("NONE", number(1), "R1", d(2026, 3, 3))),
    (DuplicateCampaignError, lambda m: m.open_campaign("REC", "HDV", d(2026, 3, 2))),
    (CampaignClosedError, lambda m: m.record_scan("OLD", number(1), "R1", d(2025, 3, 10))),
    (OutsideCampaignError, lambda m: m.record_scan("REC", number(1), "SIEGE-1", d(2026, 3, 3))),
    (mutualis.InvalidFieldError, lambda m: m.register_furniture("MOB-X", "X 1", "chair", "R1")),
    (mutualis.NegativeAmountError, lambda m: m.reform_furniture(number(1), d(2026, 1, 1), "sold", price=Decimal("-1"))),
    (mutualis.UnknownKindError, lambda m: m.set_furniture_condition(number(1), "broken", d(2026, 1, 1))),
]


@pytest.mark.parametrize("cls,case", CASES, ids=[c[0].__name__ for c in CASES])
def test_refusals_change_nothing(cls: Type[mutualis.MutualisError], case: Case) -> None:
    m = seed()
    m.reform_furniture(number(41), d(2025, 11, 3), "destroyed")
    m.open_campaign("REC", "HDV", d(2026, 3, 2))
    m.open_campaign("OLD", "HDV", d(2025, 3, 2))
    m.close_campaign("OLD", d(2025, 3, 9))
    m.add_asset("MOB-X", "Mobilier", "furniture", "ROANNE", d(2020, 1, 6))
    before = m.to_json()
    with pytest.raises(cls):
        case(m)
    assert m.to_json() == before


def test_every_furniture_error_is_exercised() -> None:
    assert {c[0] for c in CASES} >= set(FURNITURE_ERRORS_EXERCISED)
