"""Locatif (issue 14) from Python: parties, contracts, indexation, rent calls,
receipts, charges and in-kind aid; the hand-worked cases of the issue, every
method and error, the records and the columns."""

import datetime
from decimal import Decimal
from typing import Any, Callable, List, Type

import pytest

import mutualis
from mutualis import (
    AidLine,
    Arrears,
    BudgetLineMismatchError,
    ChargeShare,
    Deadline,
    DuplicateLeaseError,
    DuplicatePartyError,
    InKindAid,
    InvalidRnaError,
    Lease,
    LeaseOverlapError,
    MissingIndexValueError,
    Mutualis,
    NegativeAmountError,
    Occupancy,
    Party,
    RentCall,
    RentRevision,
    RentRollRow,
    RevenueLineStatus,
    RollTotal,
    UnknownLeaseError,
    UnknownPartyError,
)

from conftest import d

LEASE_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    InvalidRnaError,
    UnknownPartyError,
    DuplicatePartyError,
    UnknownLeaseError,
    DuplicateLeaseError,
    LeaseOverlapError,
    MissingIndexValueError,
    NegativeAmountError,
    BudgetLineMismatchError,
]


def seed() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_asset("HOTEL-ENT", "Hôtel d'entreprises", "building", "ROANNE", d(1990, 1, 1), floor_area=500)
    for r in ("R1", "R2", "R3"):
        m.add_asset(r, r, "room", "ROANNE", d(1990, 1, 1), parent="HOTEL-ENT")
    m.add_asset("SHOP", "Local commercial", "building", "ROANNE", d(1990, 1, 1))
    m.add_asset("CLUB", "Club house", "building", "ROANNE", d(1990, 1, 1))
    m.add_party("BOULANGERIE", "Boulangerie du centre", "company", identifier="73282932000074")
    m.add_party("FOOT", "Football club roannais", "association", identifier="w423001234")
    m.add_party("DUPONT", "Mme Dupont", "person")
    m.add_party("P-AGGLO", "Roannais Agglomération", "collectivite", identifier="AGGLO")
    m.set_index_value("ILC", "2024-Q3", Decimal("131.67"))
    m.set_index_value("ILC", "2025-Q3", Decimal("137.21"))
    m.set_index_value("ICC", "2024-Q2", Decimal("130.00"))
    m.set_index_value("ICC", "2025-Q2", Decimal("133.90"))
    m.add_team("REGIE", "ROANNE", "Régie bâtiments")
    m.set_labour_rate("ROANNE", 2026, Decimal("40"))
    return m


def commercial(m: Mutualis, **kw: Any) -> None:
    m.add_lease(
        "BC-SHOP", "SHOP", "ROANNE", "BOULANGERIE", "commercial", d(2025, 1, 1), Decimal("9876.54"),
        index="ILC", reference_quarter="2024-Q3", **kw,
    )


def test_parties() -> None:
    m = seed()
    assert [p.code for p in m.parties()] == ["BOULANGERIE", "FOOT", "DUPONT", "P-AGGLO"]
    foot = m.party("FOOT")
    assert isinstance(foot, Party)
    assert (foot.kind, foot.identifier) == ("association", "W423001234")
    assert m.party("DUPONT").identifier is None
    assert "FOOT" in repr(foot)


def test_ilc_revision_hand_case() -> None:
    m = seed()
    commercial(m)
    preview = m.rent_revision("BC-SHOP", d(2026, 1, 1), "2025-Q3")
    r = m.revise_rent("BC-SHOP", d(2026, 1, 1), "2025-Q3")
    assert isinstance(r, RentRevision) and r == preview
    assert r.new_rent == Decimal("10292.09")
    assert (r.old_rent, r.from_quarter, r.quarter) == (Decimal("9876.54"), "2024-Q3", "2025-Q3")
    assert (r.from_value, r.value, r.variation, r.warning) == (
        Decimal("131.67"), Decimal("137.21"), Decimal("0.0421"), False,
    )
    assert m.revisions("BC-SHOP") == [r]
    assert m.rent_on("BC-SHOP", d(2026, 6, 1)) == Decimal("10292.09")
    assert m.rent_on("BC-SHOP", d(2025, 6, 1)) == Decimal("9876.54")
    assert m.index_value("ILC", "2025-Q3") == Decimal("137.21")


def test_icc_revision_hand_case() -> None:
    m = seed()
    m.add_lease(
        "BP-R1", "R1", "ROANNE", "DUPONT", "professional", d(2025, 7, 1), Decimal("12000.00"),
        index="ICC", reference_quarter="2024-Q2",
    )
    assert m.revise_rent("BP-R1", d(2026, 7, 1), "2025-Q2").new_rent == Decimal("12360.00")


def test_a_pro_rata_first_call() -> None:
    m = seed()
    m.add_lease(
        "H-2", "R3", "ROANNE", "DUPONT", "residential", d(2026, 3, 10), Decimal("620.00"),
        periodicity="monthly", term="advance", charges_provision=Decimal("31.00"),
    )
    calls = m.rent_calls("H-2", d(2026, 3, 1), d(2026, 4, 30))
    assert all(isinstance(c, RentCall) for c in calls)
    first = calls[0]
    # 22 days of March's 31: 620 × 22 / 31 = 440.00; provision 31 × 22 / 31 = 22.00
    assert (first.start, first.end, first.due) == (d(2026, 3, 10), d(2026, 3, 31), d(2026, 3, 10))
    assert (first.days, first.period_days) == (22, 31)
    assert (first.rent, first.provision, first.total) == (Decimal("440.00"), Decimal("22.00"), Decimal("462.00"))
    assert first.side == "lessor" and first.rent_per_period == Decimal("620.00")
    assert calls[1].rent == Decimal("620.00")
    t = m.rent_calls_table("H-2", d(2026, 3, 1), d(2026, 4, 30))
    assert t["rent"] == [Decimal("440.00"), Decimal("620.00")]
    assert t["due"] == [d(2026, 3, 10), d(2026, 4, 1)]
    assert set(t) == {
        "lease", "start", "end", "due", "days", "period_days", "rent_per_period", "rent",
        "provision", "total", "side",
    }


def test_receipts_and_arrears() -> None:
    m = seed()
    m.add_lease(
        "H-2", "R3", "ROANNE", "DUPONT", "residential", d(2026, 3, 10), Decimal("620.00"),
        periodicity="monthly",
    )
    m.record_rent_receipt("H-2", d(2026, 3, 12), Decimal("440.00"), reference="T-1")
    m.record_rent_receipt("H-2", d(2026, 4, 5), 300)
    assert m.rent_receipts("H-2") == [
        (d(2026, 3, 12), Decimal("440.00"), "T-1"),
        (d(2026, 4, 5), Decimal("300"), None),
    ]
    a = m.arrears_of("H-2", d(2026, 5, 15))
    assert isinstance(a, Arrears)
    assert (a.called, a.received, a.balance, a.oldest_due) == (
        Decimal("1680.00"), Decimal("740.00"), Decimal("940.00"), d(2026, 4, 1),
    )
    assert m.lease_arrears(d(2026, 5, 15)) == [a]
    assert m.arrears_of("H-2", d(2026, 3, 31)) is None


def test_charges_regularisation_over_three_occupants() -> None:
    m = seed()
    for code, room, party, m2, provision in [
        ("L-A", "R1", "DUPONT", 100, "50.00"),
        ("L-B", "R2", "BOULANGERIE", 150, "80.00"),
        ("L-C", "R3", "FOOT", 250, "100.00"),
    ]:
        m.add_lease(
            code, room, "ROANNE", party, "professional", d(2025, 1, 1), Decimal("300.00"),
            periodicity="monthly", surface=m2, charges_provision=Decimal(provision),
        )
    m.record_charges("HOTEL-ENT", 2026, "energy", Decimal("7000.00"))
    m.record_charges("HOTEL-ENT", 2026, "cleaning", Decimal("3000.01"))
    rows = m.charges_regularisation("HOTEL-ENT", 2026)
    assert all(isinstance(r, ChargeShare) for r in rows)
    assert [r.share for r in rows] == [Decimal("2000.00"), Decimal("3000.00"), Decimal("5000.01")]
    assert sum(r.share for r in rows) == Decimal("10000.01")
    assert [r.provisions for r in rows] == [Decimal("600.00"), Decimal("960.00"), Decimal("1200.00")]
    assert [r.balance for r in rows] == [Decimal("1400.00"), Decimal("2040.00"), Decimal("3800.01")]
    assert [r.party for r in rows] == ["DUPONT", "BOULANGERIE", "FOOT"]
    # by a key: 0.10 split 3334/6666 → 0.03 + 0.07
    k = seed()
    for code, room in [("K-A", "R1"), ("K-B", "R2")]:
        k.add_lease(code, room, "ROANNE", "DUPONT", "professional", d(2025, 1, 1), 0, surface=10)
    k.record_charges("HOTEL-ENT", 2026, "maintenance", Decimal("0.10"), key={"K-A": 3334, "K-B": 6666})
    assert [r.share for r in k.charges_regularisation("HOTEL-ENT", 2026)] == [Decimal("0.03"), Decimal("0.07")]


@pytest.mark.parametrize(
    "hours,total,flagged",
    [(450, Decimal("24000.00"), True), (400, Decimal("22000.00"), False)],
)
def test_in_kind_aid_hand_case(hours: int, total: Decimal, flagged: bool) -> None:
    m = seed()
    m.add_lease(
        "MAD-CLUB", "CLUB", "ROANNE", "FOOT", "free_occupation", d(2020, 1, 1), 0,
        rental_value=Decimal("6000.00"),
    )
    m.create_work_order("BT-CLUB", "Toiture", "CLUB", team="REGIE")
    m.set_work_order_status(
        "BT-CLUB", "in_progress", datetime.datetime(2026, 2, 1, 8, tzinfo=datetime.timezone.utc)
    )
    m.record_labour("BT-CLUB", d(2026, 4, 1), hours)  # × 40.00 €/h: 18 000 or 16 000 TTC
    aid = m.in_kind_aid(2026)
    assert len(aid) == 1 and isinstance(aid[0], InKindAid)
    a = aid[0]
    assert (a.tenant, a.association, a.rna, a.year) == ("ROANNE", "FOOT", "W423001234", 2026)
    assert a.waived_rent == Decimal("6000.00")
    assert a.total == total
    assert a.convention_required is flagged
    assert [type(x) for x in a.lines] == [AidLine, AidLine]
    assert [x.source for x in a.lines] == ["waived_rent", "intervention"]
    assert a.lines[1].work_order == "BT-CLUB"
    assert m.in_kind_aid(2026, association="FOOT") == aid
    t = m.in_kind_aid_table(2026)
    assert t["total"] == [total] and t["convention_required"] == [flagged]


def full() -> Mutualis:
    m = seed()
    commercial(m, end=d(2033, 12, 31))
    m.revise_rent("BC-SHOP", d(2026, 1, 1), "2025-Q3")
    m.add_lease(
        "AGGLO-R1", "R1", "ROANNE", "P-AGGLO", "between_collectivites", d(2024, 1, 1), 1500,
        periodicity="quarterly", term="arrears", surface=Decimal("120.50"), end=d(2026, 12, 31),
        tacit_renewal=True, charges_provision=150, deposit=3000,
    )
    m.add_lease(
        "MAD-CLUB", "CLUB", "ROANNE", "FOOT", "free_occupation", d(2020, 1, 1), 0,
        rental_value=Decimal("6000.00"),
    )
    m.add_lease(
        "PRENEUR", "R2", "AGGLO", "DUPONT", "residential", d(2025, 1, 1), 700,
        periodicity="monthly", side="lessee",
    )
    m.end_lease("PRENEUR", d(2026, 8, 31))
    return m


def test_leases_and_dashboards() -> None:
    m = full()
    assert [x.code for x in m.leases()] == ["BC-SHOP", "AGGLO-R1", "MAD-CLUB", "PRENEUR"]
    l = m.lease("AGGLO-R1")
    assert isinstance(l, Lease)
    assert (l.side, l.kind, l.periodicity, l.term, l.tacit_renewal, l.last_day) == (
        "lessor", "between_collectivites", "quarterly", "arrears", True, None,
    )
    assert (l.surface, l.deposit, l.charges_provision) == (Decimal("120.50"), Decimal("3000"), Decimal("150"))
    assert m.lease("PRENEUR").terminated == d(2026, 8, 31)
    assert m.lease("BC-SHOP").reference_quarter == "2024-Q3"
    on = d(2026, 6, 1)
    roll = m.rent_roll(on)
    assert all(isinstance(r, RentRollRow) for r in roll) and len(roll) == 4
    assert next(r for r in roll if r.lease == "AGGLO-R1").annual_rent == Decimal("6000.00")
    t = m.rent_roll_table(on)
    assert t["lease"] == [r.lease for r in roll]
    assert t["surface"][1] == Decimal("120.50")
    by = m.rent_roll_by(on, "building")
    assert all(isinstance(x, RollTotal) for x in by)
    assert [x.key for x in by] == ["CLUB", "HOTEL-ENT", "SHOP"]
    assert m.rent_roll_by(on, "kind", side="lessee")[0].annual_rent == Decimal("8400.00")
    assert len(m.rent_roll_by(on, "tenant")) == 1 and len(m.rent_roll_by(on, "party")) == 3
    occ = next(o for o in m.occupancy(on) if o.building == "HOTEL-ENT")
    assert isinstance(occ, Occupancy)
    assert (occ.occupied, occ.vacant, occ.rate, occ.leases) == (
        Decimal("120.50"), Decimal("379.50"), Decimal("0.241"), 1,
    )
    dl = m.lease_deadlines(on, 12)
    assert all(isinstance(x, Deadline) for x in dl)
    assert [(x.lease, x.kind) for x in dl] == [
        ("AGGLO-R1", "notice"), ("PRENEUR", "end"), ("AGGLO-R1", "renewal"), ("BC-SHOP", "revision"),
    ]
    assert dl[3].quarter == "2026-Q3" and dl[3].date == d(2027, 1, 1)
    assert m.lease_deadlines(on) == dl


def test_json_and_journal_round_trip() -> None:
    m = full()
    m.record_rent_receipt("BC-SHOP", d(2026, 1, 5), Decimal("10292.09"), reference="T-2026-1")
    m.record_charges("HOTEL-ENT", 2026, "energy", Decimal("4321.09"))
    back = Mutualis.from_json(m.to_json())
    assert back.to_json() == m.to_json()
    assert back.charges_regularisation("HOTEL-ENT", 2026) == m.charges_regularisation("HOTEL-ENT", 2026)
    journal = m.journal_json()
    for kind in ("party_added", "lease_added", "lease_ended", "index_value_set", "rent_revised",
                 "rent_received", "charges_recorded"):
        assert f'"type":"{kind}"' in journal.replace(" ", ""), kind
    assert Mutualis.replay(journal).to_json() == m.to_json()


CASES: List[Any] = [
    (mutualis.DatesOutOfOrderError, lambda m: m.add_lease(
        "X", "CLUB", "ROANNE", "DUPONT", "residential", d(2026, 1, 1), 100, end=d(2025, 12, 31))),
    (MissingIndexValueError, lambda m: m.revise_rent("BC-SHOP", d(2027, 1, 1), "2026-Q3")),
    (MissingIndexValueError, lambda m: m.index_value("ILC", "2019-Q1")),
    (NegativeAmountError, lambda m: m.add_lease(
        "X", "CLUB", "ROANNE", "DUPONT", "residential", d(2026, 1, 1), Decimal("-1.00"))),
    (NegativeAmountError, lambda m: m.record_rent_receipt("BC-SHOP", d(2026, 1, 2), -5)),
    (NegativeAmountError, lambda m: m.record_charges("HOTEL-ENT", 2026, "energy", -1)),
    (LeaseOverlapError, lambda m: m.add_lease(
        "X", "SHOP", "ROANNE", "DUPONT", "commercial", d(2026, 1, 1), 100)),
    (UnknownPartyError, lambda m: m.add_lease(
        "X", "CLUB", "ROANNE", "NOBODY", "residential", d(2026, 1, 1), 100)),
    (UnknownPartyError, lambda m: m.party("NOBODY")),
    (UnknownPartyError, lambda m: m.in_kind_aid(2026, association="NOBODY")),
    (DuplicatePartyError, lambda m: m.add_party("DUPONT", "Autre", "person")),
    (InvalidRnaError, lambda m: m.add_party("A2", "Club", "association", identifier="W12")),
    (mutualis.InvalidSiretError, lambda m: m.add_party("C2", "X", "company", identifier="73282932000075")),
    (mutualis.UnknownTenantError, lambda m: m.add_party("C3", "X", "collectivite", identifier="NOWHERE")),
    (mutualis.InvalidFieldError, lambda m: m.add_party("C4", "X", "person", identifier="123")),
    (mutualis.InvalidFieldError, lambda m: m.set_index_value("ILC", "2024-Q3", 132)),
    (mutualis.InvalidFieldError, lambda m: m.set_index_value("ILC", "2024-Q5", 132)),
    (mutualis.DatesOutOfOrderError, lambda m: m.end_lease("BC-SHOP", d(2024, 1, 1))),
    (UnknownLeaseError, lambda m: m.lease("NOPE")),
    (UnknownLeaseError, lambda m: m.end_lease("NOPE", d(2026, 1, 1))),
    (UnknownLeaseError, lambda m: m.record_rent_receipt("NOPE", d(2026, 1, 1), 1)),
    (UnknownLeaseError, lambda m: m.rent_calls("NOPE", d(2026, 1, 1), d(2026, 2, 1))),
    (UnknownLeaseError, lambda m: m.record_charges("HOTEL-ENT", 2026, "energy", 10, key={"NOPE": 1})),
    (DuplicateLeaseError, lambda m: commercial(m)),
    (mutualis.UnknownKindError, lambda m: m.add_lease(
        "X", "CLUB", "ROANNE", "DUPONT", "squat", d(2026, 1, 1), 100)),
    (mutualis.UnknownKindError, lambda m: m.rent_roll_by(d(2026, 1, 1), "colour")),
    (mutualis.WeightsSumToZeroError, lambda m: m.record_charges("SHOP", 2026, "energy", 10)),
    (mutualis.SubCentAmountError, lambda m: m.record_rent_receipt("BC-SHOP", d(2026, 1, 2), Decimal("5.001"))),
    (mutualis.YearOutOfRangeError, lambda m: m.charges_regularisation("HOTEL-ENT", 10_000)),
    (mutualis.ArgumentOutOfRangeError, lambda m: m.lease_deadlines(d(2026, 1, 1), -1)),
    (mutualis.ArgumentOutOfRangeError, lambda m: m.add_lease(
        "X", "CLUB", "ROANNE", "DUPONT", "residential", d(2026, 1, 1), 100, notice_months=2**40)),
]


@pytest.mark.parametrize("cls,call", CASES)
def test_refusals_change_nothing(cls: Type[Exception], call: Callable[[Mutualis], Any]) -> None:
    m = seed()
    commercial(m, end=d(2033, 12, 31))
    before = m.to_json()
    n = len(m.journal())
    with pytest.raises(cls):
        call(m)
    assert m.to_json() == before
    assert len(m.journal()) == n


def test_errors_are_in_the_hierarchy() -> None:
    assert issubclass(LeaseOverlapError, mutualis.ConflictError)
    assert issubclass(MissingIndexValueError, mutualis.NotFoundError)
    assert issubclass(NegativeAmountError, mutualis.ValidationError)
    assert issubclass(InvalidRnaError, mutualis.ValidationError)
    with pytest.raises(MissingIndexValueError) as e:
        seed().index_value("IRL", "2025-Q1")
    assert str(e.value) == 'index "IRL" has no value for 2025-Q1'


def test_rent_is_credited_to_a_revenue_line() -> None:
    """The issue's hand case: a revenue line of 12 000.00 for 2026, a monthly
    rent of 1 000.00 called January to December, 11 receipts."""
    m = seed()
    m.add_lease(
        "BP-R3", "R3", "ROANNE", "DUPONT", "professional", d(2026, 1, 1), Decimal("1000.00"),
        periodicity="monthly", term="advance",
    )
    m.add_budget("ROANNE", 2026, "ttc", "refuse")
    m.add_budget_line("ROANNE", 2026, "011-BAT", "615221", Decimal("5000"))
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", "752", Decimal("12000.00"))
    m.assign_lease_budget_line("BP-R3", "ROANNE", "752-LOYERS")
    assert m.lease_budget_line("BP-R3") == "752-LOYERS"
    for month in range(1, 12):
        m.record_rent_receipt("BP-R3", d(2026, month, 5), Decimal("1000.00"))
    rows = m.revenue_status("ROANNE", 2026)
    assert all(isinstance(r, RevenueLineStatus) for r in rows)
    r = rows[0]
    assert (r.code, r.account, r.leases) == ("752-LOYERS", "752", ["BP-R3"])
    assert (r.budgeted, r.called, r.collected, r.outstanding, r.to_collect) == (
        Decimal("12000.00"), Decimal("12000.00"), Decimal("11000.00"), Decimal("1000.00"), Decimal("1000.00"),
    )
    assert str(r.outstanding) == "1000.00"
    assert rows[-1].code == "" and rows[-1].leases == []
    assert "752-LOYERS" in repr(r)
    st = m.budget_status("ROANNE", 2026)
    assert [(x.code, x.direction) for x in st] == [
        ("011-BAT", "expense"), ("752-LOYERS", "revenue"), ("", "expense"),
    ]
    assert (st[1].spent, st[1].remaining) == (Decimal("11000.00"), Decimal("1000.00"))
    assert m.budget_status_table("ROANNE", 2026)["direction"] == ["expense", "revenue", "expense"]
    assert [l.direction for l in m.budgets()[0].lines] == ["expense", "revenue"]
    back = Mutualis.from_json(m.to_json())
    assert back.revenue_status("ROANNE", 2026) == rows


def test_budget_lines_go_where_their_direction_allows() -> None:
    m = full()
    m.add_budget("ROANNE", 2026)
    m.add_budget("AGGLO", 2026)
    m.add_budget_line("ROANNE", 2026, "011-BAT", "615221", Decimal("5000"))
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", "752", Decimal("20000"))
    m.add_revenue_line("AGGLO", 2026, "752-AGGLO", "752", Decimal("100"))
    m.create_work_order("BT-CLUB", "Toiture", "CLUB", team="REGIE")
    before = m.to_json()
    with pytest.raises(BudgetLineMismatchError, match="revenue line"):
        m.assign_budget_line("BT-CLUB", "ROANNE", "752-LOYERS")
    with pytest.raises(BudgetLineMismatchError, match="expense line"):
        m.assign_lease_budget_line("AGGLO-R1", "ROANNE", "011-BAT")
    with pytest.raises(BudgetLineMismatchError, match="not AGGLO"):
        m.assign_lease_budget_line("AGGLO-R1", "AGGLO", "752-AGGLO")
    with pytest.raises(BudgetLineMismatchError, match="lessee"):
        m.assign_lease_budget_line("PRENEUR", "AGGLO", "752-AGGLO")
    with pytest.raises(BudgetLineMismatchError):
        m.commit_budget("ROANNE", 2026, "752-LOYERS", "ENG-1", Decimal("10"))
    with pytest.raises(mutualis.UnknownBudgetError):
        m.assign_lease_budget_line("AGGLO-R1", "ROANNE", "NOPE")
    with pytest.raises(UnknownLeaseError):
        m.assign_lease_budget_line("NOPE", "ROANNE", "752-LOYERS")
    assert m.to_json() == before
    assert issubclass(BudgetLineMismatchError, mutualis.ConflictError)


def test_lease_queries_through_a_principal() -> None:
    """A bound object's lease queries go through the core's reader: AGGLO's
    agent sees the contract AGGLO signed, not ROANNE's; an agent without any
    leases grant is refused."""
    m = full()
    m.add_budget("ROANNE", 2026)
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", "752", Decimal("20000"))
    m.assign_lease_budget_line("BC-SHOP", "ROANNE", "752-LOYERS")
    m.add_role("LOC", "Locatif (lecture)", ["leases:read"])
    m.add_role("TRAV", "Travaux", ["work:read"])
    m.add_principal("agglo", "Agent AGGLO", "agent", tenant="AGGLO")
    m.add_principal("roanne", "Agent Roanne", "agent", tenant="ROANNE")
    m.add_principal("trav", "Agent travaux", "agent", tenant="ROANNE")
    m.grant("agglo", "LOC", d(2020, 1, 1), tenant="AGGLO")
    m.grant("roanne", "LOC", d(2020, 1, 1), tenant="ROANNE")
    m.grant("trav", "TRAV", d(2020, 1, 1), tenant="ROANNE")
    on = d(2026, 6, 1)
    agglo = m.as_principal("agglo")
    assert [l.code for l in agglo.leases()] == ["PRENEUR"]
    assert [p.code for p in agglo.parties()] == ["DUPONT"]
    assert agglo.lease("PRENEUR").side == "lessee"
    with pytest.raises(mutualis.ForbiddenError, match="BC-SHOP|SHOP"):
        agglo.lease("BC-SHOP")
    for call in (
        lambda: agglo.rent_calls("BC-SHOP", d(2026, 1, 1), d(2026, 12, 31)),
        lambda: agglo.rent_receipts("BC-SHOP"),
        lambda: agglo.revisions("BC-SHOP"),
        lambda: agglo.arrears_of("BC-SHOP", on),
        lambda: agglo.lease_budget_line("BC-SHOP"),
        lambda: agglo.party("FOOT"),
    ):
        with pytest.raises(mutualis.ForbiddenError):
            call()
    assert [r.lease for r in agglo.rent_roll(on)] == ["PRENEUR"]
    assert agglo.rent_roll_table(on)["lease"] == ["PRENEUR"]
    assert agglo.rent_roll_by(on, "tenant") == []
    assert agglo.occupancy(on) == [] and agglo.in_kind_aid(2026) == []
    assert all(x.lease == "PRENEUR" for x in agglo.lease_deadlines(on, 12))
    assert agglo.index_value("ILC", "2025-Q3") == Decimal("137.21")
    assert agglo.revenue_status("ROANNE", 2026)[0].leases == []
    roanne = m.as_principal("roanne")
    assert [l.code for l in roanne.leases()] == [l.code for l in m.leases()]
    assert roanne.rent_roll(on) == m.rent_roll(on)
    assert roanne.in_kind_aid(2026) == m.in_kind_aid(2026)
    assert roanne.revenue_status("ROANNE", 2026)[0].leases == ["BC-SHOP"]
    assert roanne.lease_budget_line("BC-SHOP") == "752-LOYERS"
    trav = m.as_principal("trav")
    for q in (
        lambda: trav.leases(),
        lambda: trav.parties(),
        lambda: trav.rent_roll(on),
        lambda: trav.occupancy(on),
        lambda: trav.lease_arrears(on),
        lambda: trav.in_kind_aid_table(2026),
        lambda: trav.revenue_status("ROANNE", 2026),
    ):
        with pytest.raises(mutualis.ForbiddenError) as refused:
            q()
        assert refused.value.action.startswith("leases:read")


def test_the_annex_of_aids_in_kind() -> None:
    """CGCT L2313-1: a commune of 3 500 inhabitants or more annexes the aids
    in kind it gives to associations."""
    m = full()
    a = m.in_kind_aid_annex("ROANNE", 2026, 35_544)
    assert isinstance(a, mutualis.AidAnnex)
    assert (a.required, a.population, [r.association for r in a.rows]) == (True, 35_544, ["FOOT"])
    assert (a.waived_rent, a.interventions, a.total) == (Decimal("6000.00"), Decimal("0.00"), Decimal("6000.00"))
    assert a.rows == m.in_kind_aid(2026)
    assert not m.in_kind_aid_annex("ROANNE", 2026, 3_499).required
    assert not m.in_kind_aid_annex("AGGLO", 2026, 100_000).required
    with pytest.raises(mutualis.UnknownTenantError):
        m.in_kind_aid_annex("NOPE", 2026, 1)
