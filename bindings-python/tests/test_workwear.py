"""Habillement / EPI (issue 15) from Python: agents, catalogue, allotments,
issues at CMUP, returns, holdings, renewals, expiry, spending and the
forecast; the hand-worked cases of the issue, every method and error, the
records and the columns.

By hand: PANTALON received 3 at 30.00 then 4 at 32.15 -> CMUP 218.60 / 7 =
31.228571... -> 31.2286; 2 issued -> 62.4572 -> 62.46; 1 more -> 31.23.
A harness issued 2021-02-10 with a 60-month lifetime expires 2026-02-10."""

import datetime
from decimal import Decimal
from typing import Any, Callable, List, Tuple, Type

import pytest

import mutualis
from mutualis import (
    Agent,
    AgentNotAssignedError,
    Allotment,
    AllotmentExceededError,
    AllotmentWarning,
    DuplicateAgentError,
    DuplicateWorkwearItemError,
    ForbiddenError,
    InsufficientStockError,
    InvalidQuantityError,
    Mutualis,
    RenewalDue,
    RenewalForecast,
    SizeNotOfferedError,
    UnknownAgentError,
    UnknownWorkwearItemError,
    WorkwearHolding,
    WorkwearIssue,
    WorkwearItem,
    WorkwearReturn,
    WorkwearSpending,
)

from conftest import d

WORKWEAR_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    UnknownAgentError,
    DuplicateAgentError,
    UnknownWorkwearItemError,
    DuplicateWorkwearItemError,
    SizeNotOfferedError,
    AllotmentExceededError,
    AgentNotAssignedError,
]


def seed() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_service("ROANNE", "VOIRIE", "Voirie")
    m.add_service("ROANNE", "EV", "Espaces verts")
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central")
    m.add_item("PANTALON", "Pantalon de travail", "pièce")
    m.add_item("HARNAIS", "Harnais antichute", "pièce")
    m.receive_stock("MAG-ROANNE", "PANTALON", d(2026, 1, 2), 3, Decimal("30.00"))
    m.receive_stock("MAG-ROANNE", "PANTALON", d(2026, 1, 5), 4, Decimal("32.15"))
    m.receive_stock("MAG-ROANNE", "HARNAIS", d(2021, 1, 5), 2, Decimal("189.00"))
    m.add_workwear_item(
        "EPI-PANT", "Pantalon multipoches", "PANTALON", sizes=["38", "40", "42", "44"], standards=["EN ISO 13688"]
    )
    m.add_workwear_item("EPI-HARNAIS", "Harnais antichute", "HARNAIS", standards=["EN 361"], lifetime_months=60)
    m.add_agent("ROANNE", "M001", "J. Martin", "VOIRIE", "cantonnier", d(2020, 1, 1), sizes={"tour de taille": "42"})
    m.add_agent("ROANNE", "M002", "A. Dubois", "EV", "élagueur", d(2019, 5, 1))
    m.set_allotment("ROANNE", "EPI-PANT", 2, 12, job="cantonnier")
    m.set_allotment("ROANNE", "EPI-HARNAIS", 1, 60, job="élagueur", initial=True)
    return m


def pant(m: Mutualis, on: datetime.date, q: int = 1, replaces: Any = None) -> WorkwearIssue:
    return m.issue_workwear("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", on, q, size="42", replaces=replaces)


def test_two_trousers_every_twelve_months() -> None:
    m = seed()
    issue = pant(m, d(2026, 1, 15), 2)
    assert isinstance(issue, WorkwearIssue)
    assert (issue.cmup, issue.value, issue.service) == (Decimal("31.2286"), Decimal("62.46"), "VOIRIE")
    assert (issue.number, issue.size, issue.warning, issue.expires) == (1, "42", False, None)
    assert m.stock_level("MAG-ROANNE", "PANTALON").quantity == 5
    due = [r for r in m.renewals_due("ROANNE", d(2027, 12, 31)) if r.item == "EPI-PANT"]
    assert len(due) == 1 and isinstance(due[0], RenewalDue)
    assert (due[0].due, due[0].quantity, due[0].last_issue) == (d(2027, 1, 15), 2, d(2026, 1, 15))
    assert all(r.item != "EPI-PANT" for r in m.renewals_due("ROANNE", d(2027, 1, 14)))
    first = m.renewals_due("ROANNE", d(2027, 12, 31), start=d(2027, 1, 1))
    assert [r.item for r in first] == ["EPI-PANT"]
    table = m.renewals_due_table("ROANNE", d(2027, 12, 31))
    assert table["due"] == [d(2019, 5, 1), d(2027, 1, 15)]
    assert table["agent"] == ["M002", "M001"]
    assert table["initial"] == [True, False]
    # on the due day the allotment is whole again (policy refuse)
    m.receive_stock("MAG-ROANNE", "PANTALON", d(2027, 1, 2), 2, Decimal("31.2286"))
    pant(m, d(2027, 1, 15), 2)


def test_third_pair_refused_then_warned() -> None:
    m = seed()
    pant(m, d(2026, 1, 15), 2)
    before = m.to_json()
    with pytest.raises(AllotmentExceededError) as e:
        pant(m, d(2026, 6, 1))
    assert e.value.kind == "allotment_exceeded"
    assert m.to_json() == before
    assert m.workwear_policy("ROANNE") == "refuse"
    m.set_workwear_policy("ROANNE", "warn")
    assert m.workwear_policy("ROANNE") == "warn"
    third = pant(m, d(2026, 6, 1))
    assert third.warning and third.value == Decimal("31.23")
    [w] = m.allotment_warnings("ROANNE")
    assert isinstance(w, AllotmentWarning)
    assert (w.issue, w.allowed, w.already, w.requested) == (2, 2, Decimal(2), Decimal(1))
    # a replacement is outside the allotment
    m.set_workwear_policy("ROANNE", "refuse")
    r = pant(m, d(2026, 7, 1), replaces="damaged")
    assert r.replaces == "damaged"
    [ret] = m.workwear_returns("ROANNE")
    assert isinstance(ret, WorkwearReturn)
    assert (ret.reason, ret.quantity, ret.size) == ("damaged", Decimal(1), None)
    held = m.agent_holdings("ROANNE", "M001")
    assert all(isinstance(h, WorkwearHolding) for h in held)
    assert sum(h.quantity for h in held) == 3
    assert (held[0].issued, held[0].quantity) == (d(2026, 1, 15), Decimal(1))


def test_harness_past_expiry() -> None:
    m = seed()
    i = m.issue_workwear("ROANNE", "M002", "EPI-HARNAIS", "MAG-ROANNE", d(2021, 2, 10), 1)
    assert (i.value, i.service, i.expires) == (Decimal("189.00"), "EV", d(2026, 2, 10))
    assert m.expired_workwear("ROANNE", d(2026, 2, 9)) == []
    [x] = m.expired_workwear("ROANNE", d(2026, 6, 1))
    assert (x.agent, x.item, x.expires) == ("M002", "EPI-HARNAIS", d(2026, 2, 10))
    assert m.expired_workwear_table("ROANNE", d(2026, 6, 1))["item"] == ["EPI-HARNAIS"]
    m.return_workwear("ROANNE", "M002", "EPI-HARNAIS", d(2026, 6, 2), 1, "worn")
    assert m.expired_workwear("ROANNE", d(2026, 6, 3)) == []
    assert m.agent_holdings("ROANNE", "M002") == []


def test_spending_against_budget_and_forecast() -> None:
    m = seed()
    m.add_budget("ROANNE", 2026, "ttc", "warn")
    m.add_budget_line("ROANNE", 2026, "60636-VOIRIE", "60636", Decimal("1000.00"), service="VOIRIE")
    m.set_workwear_budget_line("ROANNE", "VOIRIE", "60636-VOIRIE")
    assert m.workwear_budget_line("ROANNE", "VOIRIE") == "60636-VOIRIE"
    assert m.workwear_budget_line("ROANNE", "EV") is None
    issue = pant(m, d(2026, 1, 15), 2)
    assert issue.budget_line == "60636-VOIRIE"
    m.issue_workwear("ROANNE", "M002", "EPI-HARNAIS", "MAG-ROANNE", d(2025, 3, 1), 1)
    line = next(x for x in m.budget_status("ROANNE", 2026) if x.code == "60636-VOIRIE")
    assert (line.committed, line.remaining) == (Decimal("62.46"), Decimal("937.54"))
    rows = m.workwear_spending("ROANNE", 2026)
    assert all(isinstance(r, WorkwearSpending) for r in rows)
    assert [(r.key, r.spent, r.previous, r.change) for r in rows] == [
        ("EV", Decimal("0.00"), Decimal("189.00"), Decimal("-189.00")),
        ("VOIRIE", Decimal("62.46"), Decimal("0.00"), Decimal("62.46")),
    ]
    assert (rows[1].budget_line, rows[1].credits, rows[1].remaining) == (
        "60636-VOIRIE",
        Decimal("1000.00"),
        Decimal("937.54"),
    )
    [t] = m.workwear_spending("ROANNE", 2026, "tenant")
    assert (t.key, t.spent, t.previous) == ("ROANNE", Decimal("62.46"), Decimal("189.00"))
    assert [r.key for r in m.workwear_spending("ROANNE", 2026, "item")] == ["EPI-HARNAIS", "EPI-PANT"]
    assert [r.key for r in m.workwear_spending("ROANNE", 2026, by="agent")] == ["M001", "M002"]
    cols = m.workwear_spending_table("ROANNE", 2026)
    assert cols["key"] == ["EV", "VOIRIE"] and cols["remaining"] == [None, Decimal("937.54")]
    [f] = m.renewal_forecast("ROANNE", 2027)
    assert isinstance(f, RenewalForecast)
    assert (f.item, f.store, f.quantity, f.cmup, f.value) == (
        "EPI-PANT",
        "MAG-ROANNE",
        Decimal(2),
        Decimal("31.2286"),
        Decimal("62.46"),
    )
    assert m.renewal_forecast_table("ROANNE", 2027)["value"] == [Decimal("62.46")]
    issues = m.workwear_issues_table("ROANNE")
    assert issues["value"] == [Decimal("62.46"), Decimal("189.00")]
    assert issues["service"] == ["VOIRIE", "EV"]
    assert [i.number for i in m.workwear_issues("ROANNE")] == [1, 2]
    m.end_agent_assignment("ROANNE", "M001", d(2027, 1, 14))
    assert m.renewal_forecast("ROANNE", 2027) == []
    assert m.agent("ROANNE", "M001").end == d(2027, 1, 14)


def test_records_and_lists() -> None:
    m = seed()
    a = m.agent("ROANNE", "M001")
    assert isinstance(a, Agent)
    assert (a.tenant, a.service, a.job, a.sizes, a.start, a.end) == (
        "ROANNE",
        "VOIRIE",
        "cantonnier",
        {"tour de taille": "42"},
        d(2020, 1, 1),
        None,
    )
    assert [x.matricule for x in m.agents("ROANNE")] == ["M001", "M002"]
    assert m.agents("AGGLO") == []
    items = m.workwear_items()
    assert all(isinstance(i, WorkwearItem) for i in items)
    assert (items[1].code, items[1].stock_item, items[1].standards, items[1].lifetime_months) == (
        "EPI-HARNAIS",
        "HARNAIS",
        ["EN 361"],
        60,
    )
    assert items[0].sizes == ["38", "40", "42", "44"]
    m.set_allotment("ROANNE", "EPI-PANT", 3, 12, agent="M001")
    allots = m.allotments("ROANNE")
    assert all(isinstance(x, Allotment) for x in allots)
    assert [(x.job, x.agent, x.item, x.quantity) for x in allots] == [
        ("cantonnier", None, "EPI-PANT", 2),
        ("élagueur", None, "EPI-HARNAIS", 1),
        (None, "M001", "EPI-PANT", 3),
    ]
    assert "M001" in repr(a)


def test_bad_input_is_refused_and_changes_nothing() -> None:
    m = seed()
    pant(m, d(2026, 1, 15))
    before = m.to_json()
    n = len(m.journal())
    cases: List[Tuple[Type[BaseException], Callable[[], object]]] = [
        (UnknownAgentError, lambda: m.issue_workwear("ROANNE", "M999", "EPI-PANT", "MAG-ROANNE", d(2026, 2, 1), 1)),
        (UnknownWorkwearItemError, lambda: m.issue_workwear("ROANNE", "M001", "EPI-X", "MAG-ROANNE", d(2026, 2, 1), 1)),
        (SizeNotOfferedError, lambda: m.issue_workwear("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", d(2026, 2, 1), 1, size="56")),
        (SizeNotOfferedError, lambda: m.issue_workwear("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", d(2026, 2, 1), 1)),
        (InvalidQuantityError, lambda: pant(m, d(2026, 2, 1), -1)),
        (InvalidQuantityError, lambda: pant(m, d(2026, 2, 1), 0)),
        (AgentNotAssignedError, lambda: pant(m, d(2019, 12, 31))),
        (AllotmentExceededError, lambda: pant(m, d(2026, 2, 1), 2)),
        (InvalidQuantityError, lambda: pant(m, d(2026, 2, 1), 2, replaces="lost")),
        (mutualis.UnknownKindError, lambda: pant(m, d(2026, 2, 1), 1, replaces="stolen")),
        (mutualis.UnknownStoreError, lambda: m.issue_workwear("ROANNE", "M001", "EPI-PANT", "MAG-X", d(2026, 2, 1), 1, size="42")),
        (DuplicateAgentError, lambda: m.add_agent("ROANNE", "M001", "X", "VOIRIE", "cantonnier", d(2020, 1, 1))),
        (mutualis.UnknownServiceError, lambda: m.add_agent("ROANNE", "M003", "X", "SPORTS", "cantonnier", d(2020, 1, 1))),
        (DuplicateWorkwearItemError, lambda: m.add_workwear_item("EPI-PANT", "Bis", "PANTALON")),
        (mutualis.UnknownItemError, lambda: m.add_workwear_item("EPI-Y", "Y", "NOPE")),
        (InvalidQuantityError, lambda: m.set_allotment("ROANNE", "EPI-PANT", 0, 12, job="cantonnier")),
        (UnknownAgentError, lambda: m.set_allotment("ROANNE", "EPI-PANT", 1, 12, agent="M404")),
        (mutualis.InvalidFieldError, lambda: m.set_allotment("ROANNE", "EPI-PANT", 1, 12)),
        (mutualis.UnknownBudgetError, lambda: m.set_workwear_budget_line("ROANNE", "VOIRIE", "NOPE")),
        (mutualis.UnknownKindError, lambda: m.set_workwear_policy("ROANNE", "maybe")),  # type: ignore[arg-type]
        (UnknownAgentError, lambda: m.end_agent_assignment("ROANNE", "M404", d(2026, 1, 1))),
        (mutualis.DatesOutOfOrderError, lambda: m.end_agent_assignment("ROANNE", "M001", d(2019, 1, 1))),
        (InvalidQuantityError, lambda: m.return_workwear("ROANNE", "M001", "EPI-PANT", d(2026, 3, 1), 2, "worn")),
        (SizeNotOfferedError, lambda: m.return_workwear("ROANNE", "M001", "EPI-PANT", d(2026, 3, 1), 1, "worn", size="99")),
        (UnknownAgentError, lambda: m.agent_holdings("ROANNE", "M404")),
        (UnknownAgentError, lambda: m.agent("ROANNE", "M404")),
        (mutualis.UnknownTenantError, lambda: m.workwear_issues("NOPE")),
        (mutualis.UnknownKindError, lambda: m.workwear_spending("ROANNE", 2026, "colour")),  # type: ignore[arg-type]
    ]
    for cls, call in cases:
        with pytest.raises(cls):
            call()
        assert m.to_json() == before, cls
        assert len(m.journal()) == n, cls
    # beyond stock: 6 on hand
    m.set_allotment("ROANNE", "EPI-PANT", 50, 12, agent="M001")
    before = m.to_json()
    with pytest.raises(InsufficientStockError):
        pant(m, d(2026, 2, 1), 7)
    assert m.to_json() == before
    with pytest.raises(mutualis.ArgumentOutOfRangeError):
        m.set_allotment("ROANNE", "EPI-PANT", -1, 12, job="cantonnier")
    with pytest.raises(mutualis.ArgumentOutOfRangeError):
        m.add_workwear_item("EPI-Z", "Z", "PANTALON", lifetime_months=-5)
    with pytest.raises(TypeError):
        pant(m, d(2026, 2, 1), 1.5)  # type: ignore[arg-type]


def test_dataset_round_trip_and_principal() -> None:
    m = seed()
    m.set_workwear_policy("ROANNE", "warn")
    pant(m, d(2026, 1, 15), 2)
    pant(m, d(2026, 6, 1))
    m.return_workwear("ROANNE", "M001", "EPI-PANT", d(2026, 8, 1), 1, "worn", size="42")
    text = m.to_json()
    back = Mutualis.from_json(text)
    assert back.to_json() == text
    assert back.workwear_issues("ROANNE") == m.workwear_issues("ROANNE")
    assert back.agent_holdings("ROANNE", "M001") == m.agent_holdings("ROANNE", "M001")
    m.add_role("MAG", "Magasin", ["stock:read"])
    m.add_principal("lecteur", "lecteur", "agent", tenant="ROANNE")
    m.add_principal("agglo", "agglo", "agent", tenant="AGGLO")
    m.grant("lecteur", "MAG", d(2020, 1, 1), tenant="ROANNE")
    m.grant("agglo", "MAG", d(2020, 1, 1), tenant="AGGLO")
    r = m.as_principal("lecteur")
    assert len(r.workwear_issues("ROANNE")) == 2
    assert len(r.renewals_due("ROANNE", d(2027, 12, 31))) == 2
    a = m.as_principal("agglo")
    with pytest.raises(ForbiddenError):
        a.workwear_issues("ROANNE")
    with pytest.raises(ForbiddenError):
        a.issue_workwear("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", d(2026, 9, 1), 1, size="42")
    assert m.to_json() != text  # the grants were added
    assert len(m.workwear_issues("ROANNE")) == 2
