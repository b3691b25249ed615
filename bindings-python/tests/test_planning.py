"""Multi-year investment plans (DOMAIN §6) through Python: AP/CP votes,
payments, year closings with and without carry-over, revisions, lapse, the
situation des AP/CP and the PPI as records and columns, and the scheduler's
what-if plans."""

from decimal import Decimal
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import pytest

import mutualis
from mutualis import (
    Ap,
    ApRevision,
    Candidate,
    ConflictError,
    Mutualis,
    NotFoundError,
    Plan,
    ValidationError,
    schedule,
)

from conftest import build_roannais_march_2026, d

Z = Decimal(0)


def k(n: int) -> Decimal:
    """n thousand euros, to the cent."""
    return Decimal(n * 1000).quantize(Decimal("0.01"))


def seed(carry_over: bool = True, lapse: Optional[int] = None) -> Mutualis:
    m = Mutualis()
    m.add_tenant("ROANNE", "Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_asset("GYM", "Gymnase", "building", "ROANNE", d(1975, 9, 1))
    m.set_rbf_rules("ROANNE", carry_over, lapse_after_years=lapse, reference="RBF art. 7")
    m.add_operation("OP-GYM", "ROANNE", "Rénovation énergétique", "renovation-energetique", 1, k(1200), 2025,
                    [1, 3, 2], assets=["GYM"])
    return m


def vote_gym(m: Mutualis) -> None:
    m.vote_ap("AP-GYM", "ROANNE", "Rénovation énergétique, gymnase", 2025, k(1200),
              {2025: k(200), 2026: k(600), 2027: k(400)}, operations=["OP-GYM"])


# --- the worked example -------------------------------------------------------------


def test_domain_worked_example_every_figure() -> None:
    m = seed(carry_over=True)
    assert m.rbf_rules("ROANNE") == (True, None, "RBF art. 7")
    vote_gym(m)
    ap = m.ap("AP-GYM")
    assert (ap.voted, ap.amount, ap.voted_year, ap.tenant) == (k(1200), k(1200), 2025, "ROANNE")
    assert ap.schedule == {2025: k(200), 2026: k(600), 2027: k(400)}
    assert ap.paid == {} and ap.closed_through is None and not ap.lapsed
    assert ap.operations == ["OP-GYM"] and ap.invariant_holds and ap.remaining == k(1200)

    # 2025: 150 000.00 paid in two mandats
    m.pay_ap("AP-GYM", d(2025, 7, 10), k(100))
    m.pay_ap("AP-GYM", d(2025, 11, 20), k(50))
    ap = m.ap("AP-GYM")
    assert ap.paid == {2025: k(150)} and ap.remaining == k(1050) and ap.invariant_holds
    [s] = m.ap_situation("ROANNE", 2025)
    assert (s.ap, s.voted, s.revisions, s.amount) == ("AP-GYM", k(1200), Z, k(1200))
    assert (s.paid_before, s.cp_year, s.paid_year, s.later) == (Z, k(200), k(150), k(1000))

    # closing 2025: the 50 000.00 unspent move to 2026 → 650 000.00
    m.close_year("ROANNE", 2025)
    ap = m.ap("AP-GYM")
    assert ap.closed_through == 2025
    assert ap.schedule == {2026: k(650), 2027: k(400)}
    assert ap.amount == k(1200) and ap.revisions == []
    assert k(150) + k(650) + k(400) == ap.amount and ap.invariant_holds

    # the re-spread rules compute a revision's schedule: the worked example's, or by what is left
    assert m.respread("AP-GYM", 2026, k(1300)) == {2026: k(650), 2027: k(500)}
    assert m.respread("AP-GYM", 2026, k(1300), "proportional") == {
        2026: Decimal("711904.76"), 2027: Decimal("438095.24")}
    with pytest.raises(mutualis.UnknownKindError, match="re-spread rule"):
        m.respread("AP-GYM", 2026, k(1300), "evenly")  # type: ignore[arg-type]
    with pytest.raises(mutualis.YearClosedError):
        m.respread("AP-GYM", 2025, k(1300))
    by_rule = m.copy()
    by_rule.respread_ap("AP-GYM", 2026, k(1300), "last_year")

    # revision in 2026: AP 1 300 000.00, the +100 000.00 going to 2027 → 500 000.00
    m.revise_ap("AP-GYM", 2026, k(1300), {2026: k(650), 2027: k(500)})
    assert by_rule.ap("AP-GYM") == m.ap("AP-GYM")
    ap = m.ap("AP-GYM")
    assert ap.amount == k(1300) and ap.voted == k(1200)
    assert ap.schedule == {2026: k(650), 2027: k(500)}
    [r] = ap.revisions
    assert isinstance(r, ApRevision)
    assert (r.year, r.before, r.after, r.reason) == (2026, k(1200), k(1300), "révision")
    # check: 150 000 + 650 000 + 500 000 = 1 300 000
    assert ap.paid[2025] + ap.schedule[2026] + ap.schedule[2027] == Decimal("1300000.00") == ap.amount
    assert ap.invariant_holds

    [s] = m.ap_situation("ROANNE", 2026)
    assert (s.voted, s.revisions, s.amount, s.paid_before) == (k(1200), k(100), k(1300), k(150))
    assert (s.cp_year, s.paid_year, s.later, s.lapsed) == (k(650), Z, k(500), False)
    assert str(s.paid_before) == "150000.00" and str(s.later) == "500000.00"

    rows = m.ppi_rows("ROANNE")
    assert [(r.year, r.scheduled, r.paid, r.closed) for r in rows] == [
        (2025, k(150), k(150), True), (2026, k(650), 0, False), (2027, k(500), 0, False)]
    assert {r.ap for r in rows} == {"AP-GYM"} and rows[0].assets == ["GYM"]
    assert rows[0].work_types == ["renovation-energetique"] and rows[0].amount == k(1300)

    # the records are snapshots; the getters give copies
    ap.schedule[2099] = Decimal(1)
    assert 2099 not in m.ap("AP-GYM").schedule and m.ap("AP-GYM") == ap
    assert hash(m.ap("AP-GYM")) == hash(ap) and isinstance(ap, Ap)
    assert "AP-GYM" in repr(ap) and m.aps() == [ap]


def test_situation_and_ppi_tables() -> None:
    m = seed()
    vote_gym(m)
    m.vote_ap("AP-SMALL", "ROANNE", "Petits travaux", 2026, k(90), {2026: k(90)})
    m.pay_ap("AP-GYM", d(2025, 7, 10), k(150))
    m.close_year("ROANNE", 2025)
    t = m.ap_situation_table("ROANNE", 2026)
    assert list(t) == ["ap", "title", "voted", "revisions", "amount", "paid_before", "cp_year",
                       "paid_year", "later", "lapsed"]
    assert all(len(c) == 2 for c in t.values())
    assert t["ap"] == ["AP-GYM", "AP-SMALL"] and t["cp_year"] == [k(650), k(90)]
    assert t["paid_before"] == [k(150), 0] and t["lapsed"] == [False, False]
    assert [r.ap for r in m.ap_situation("ROANNE", 2026)] == t["ap"]
    p = m.ppi_table("ROANNE")
    assert list(p) == ["ap", "title", "assets", "work_types", "year", "amount", "scheduled", "paid", "closed"]
    assert p["ap"] == ["AP-GYM"] * 3 + ["AP-SMALL"] and p["year"] == [2025, 2026, 2027, 2026]
    assert p["assets"][0] == "GYM" and p["assets"][3] == "" and p["closed"] == [True, False, False, False]
    assert m.ap_situation("MABLY", 2026) == [] and m.ppi_table("MABLY")["ap"] == []
    # per building: AP-GYM under GYM, then the AP whose operations name no asset
    plans = m.plan_by_building("ROANNE")
    assert [(asset, [(r.ap, r.year) for r in rows]) for asset, rows in plans] == [
        ("GYM", [("AP-GYM", 2025), ("AP-GYM", 2026), ("AP-GYM", 2027)]),
        (None, [("AP-SMALL", 2026)]),
    ]
    assert m.plan_by_building("MABLY") == []
    with pytest.raises(mutualis.UnknownTenantError):
        m.plan_by_building("NOPE")


def test_without_carry_over_unspent_cp_are_cancelled() -> None:
    m = seed(carry_over=False)
    m.vote_ap("AP-X", "ROANNE", "Toiture", 2025, k(300), {2025: k(100), 2026: k(200)})
    m.pay_ap("AP-X", d(2025, 9, 1), k(60))
    m.close_year("ROANNE", 2025)
    ap = m.ap("AP-X")
    assert ap.amount == k(260) and ap.voted == k(300)
    assert ap.schedule == {2026: k(200)} and ap.paid == {2025: k(60)}
    [r] = ap.revisions
    assert (r.year, r.before, r.after, r.reason) == (2025, k(300), k(260), "CP 2025 annulés")
    assert ap.invariant_holds
    [s] = m.ap_situation("ROANNE", 2026)
    assert (s.voted, s.revisions, s.amount) == (k(300), k(-40), k(260))


def test_lapse_after_years_without_payment() -> None:
    m = seed(carry_over=True, lapse=2)
    m.vote_ap("AP-L", "ROANNE", "Jamais commencé", 2025, k(100), {2025: k(40), 2026: k(60)})
    m.close_year("ROANNE", 2025)
    ap = m.ap("AP-L")
    assert not ap.lapsed and ap.schedule == {2026: k(100)}
    m.close_year("ROANNE", 2026)
    ap = m.ap("AP-L")
    assert ap.lapsed and ap.schedule == {} and ap.amount == 0 and ap.invariant_holds
    assert ap.revisions[-1].reason == "caducité (2 ans sans paiement)"
    assert ap.revisions[-1].before == k(100) and ap.revisions[-1].after == 0
    assert m.ap_situation("ROANNE", 2027)[0].lapsed
    with pytest.raises(mutualis.CpMismatchError, match="lapsed"):
        m.pay_ap("AP-L", d(2027, 3, 1), k(1))


def test_operations_links_and_actuals(march: Mutualis) -> None:
    m = march
    ops = m.operations()
    assert [o.code for o in ops] == ["OP-GYM-ENERGIE", "OP-GYM-TOITURE", "OP-ZA-VOIRIE"]
    roof = ops[1]
    assert (roof.tenant, roof.priority, roof.estimated_cost, roof.earliest_year) == ("AGGLO", 2, k(380), 2027)
    assert roof.profile == [1] and roof.depends_on == ["OP-GYM-ENERGIE"] and roof.assets == ["GYM-COUBERTIN"]
    assert roof.work_orders == [] and m.operation_actuals("OP-GYM-ENERGIE") == {}
    m.link_work_order("OP-GYM-ENERGIE", "BT-2026-0413")
    m.link_work_order("OP-GYM-ENERGIE", "BT-2026-0413")  # idempotent
    assert m.operations()[0].work_orders == ["BT-2026-0413"]
    actuals = m.operation_actuals("OP-GYM-ENERGIE")
    assert list(actuals) == [2026] and actuals[2026] > 0
    ttc = sum(m.cost_lines()["ttc"][i] for i, w in enumerate(m.cost_lines()["work_order"]) if w == "BT-2026-0413")
    assert actuals[2026] == ttc
    # the scenario's AP/CP, as the Rust example records them
    gym = m.ap("AP-2025-01")
    assert (gym.amount, gym.paid) == (k(1300), {2025: k(150), 2026: k(210)})
    assert gym.schedule == {2026: k(650), 2027: k(500)} and gym.invariant_holds
    situation = {s.ap: s for s in m.ap_situation("AGGLO", 2026)}
    assert situation["AP-2026-02"].later == k(200) and situation["AP-2026-02"].paid_year == k(80)


# --- scheduling ----------------------------------------------------------------------


def cand(code: str, priority: int, cost: int, profile: Sequence[int], deps: Sequence[str] = ()) -> Candidate:
    return Candidate(code, "ROANNE", priority, cost, 2026, profile, deps)


CANDIDATES = [
    cand("A", 1, 600, [50, 50]),
    cand("B", 2, 400, [100]),
    cand("C", 3, 300, [100], ["A"]),
    cand("D", 4, 200, [100]),
]


def caps(per_year: int) -> Dict[Tuple[str, int], Decimal]:
    return {("ROANNE", y): Decimal(per_year) for y in range(2026, 2029)}


def test_scheduler_worked_by_hand() -> None:
    # caps 500 in 2026–2028: A 600 over two years → 300 + 300 in 2026–27;
    # B 400 fits neither 2026 nor 2027 → 2028; C after A: only 2028, full →
    # not placed; D 200 fits 2026 exactly.
    plan = schedule(CANDIDATES, caps(500), 2026, 2028)
    assert isinstance(plan, Plan)
    assert [(p.code, p.tenant, p.start) for p in plan.placed] == [("A", "ROANNE", 2026), ("B", "ROANNE", 2028),
                                                                   ("D", "ROANNE", 2026)]
    assert plan.placed[0].cp == [(2026, Decimal("300.00")), (2027, Decimal("300.00"))]
    [(code, reason)] = plan.not_placed
    assert code == "C" and "2028" in reason
    assert plan.totals == {("ROANNE", 2026): 500, ("ROANNE", 2027): 300, ("ROANNE", 2028): 400}
    # revalued by a BT01-like index: B starts in 2028 and costs 400 × 106 / 100
    indexed = schedule(CANDIDATES, caps(500), 2026, 2028, index={2026: 100, 2027: 103, 2028: 106})
    assert indexed.placed[1].code == "B" and indexed.placed[1].cp == [(2028, Decimal("424.00"))]
    assert str(indexed.placed[1].cp[0][1]) == "424.00"
    # deterministic: same input, same plan
    assert schedule(CANDIDATES, caps(500), 2026, 2028) == plan


def test_what_if_compare_and_tables() -> None:
    plan = schedule(CANDIDATES, caps(500), 2026, 2028)
    wider = schedule(CANDIDATES, caps(800), 2026, 2028)
    assert wider.not_placed == []
    # caps 800: A 300+300 (2026–27), B 400 (2026: 700), C 300 (2028), D 200 (2027: 500)
    assert plan.compare(wider) == [
        ("ROANNE", 2026, Decimal(500), Decimal(700)), ("ROANNE", 2027, Decimal(300), Decimal(500)),
        ("ROANNE", 2028, Decimal(400), Decimal(300))]
    ct = plan.compare_table(wider)
    assert ct["year"] == [2026, 2027, 2028] and ct["difference"] == [200, 200, -100]
    t = plan.table()
    assert list(t) == ["code", "tenant", "start", "year", "cp"]
    assert t["code"] == ["A", "A", "B", "D"] and t["year"] == [2026, 2027, 2028, 2026]
    assert sum(t["cp"]) == 1200 and all(len(c) == 4 for c in t.values())
    assert "placed=3" in repr(plan)


def test_plan_candidates_from_the_registry(march: Mutualis) -> None:
    cs = march.plan_candidates("AGGLO")
    assert [c.code for c in cs] == ["OP-GYM-ENERGIE", "OP-GYM-TOITURE", "OP-ZA-VOIRIE"]
    assert cs[1] == Candidate("OP-GYM-TOITURE", "AGGLO", 2, Decimal("380000.00"), 2027, [1], ["OP-GYM-ENERGIE"])
    plan = schedule(cs, {("AGGLO", y): k(800) for y in range(2025, 2031)}, 2025, 2030)
    starts = {p.code: p.start for p in plan.placed}
    # the roof waits for the energy renovation (2025–2027)
    assert starts["OP-GYM-ENERGIE"] == 2025 and starts["OP-GYM-TOITURE"] >= 2028
    assert march.plan_candidates("MABLY") == []


def test_candidate_conversions() -> None:
    c = Candidate("X", "ROANNE", 1, Decimal("10.50"), 2026, [1, 2])
    assert (c.cost, c.profile, c.depends_on) == (Decimal("10.50"), [1, 2], [])
    assert hash(c) == hash(Candidate("X", "ROANNE", 1, Decimal("10.50"), 2026, [1, 2]))
    assert "Candidate(code='X'" in repr(c)
    with pytest.raises(TypeError):
        Candidate("X", "ROANNE", 1, 10.5, 2026, [1])  # type: ignore[arg-type]
    with pytest.raises(mutualis.ArgumentTypeError):
        Candidate("X", "ROANNE", 1, 10, 2026, [1], "A")
    with pytest.raises(mutualis.InvalidFieldError):
        Candidate("X", "ROANNE", 1, 10, 2026, [-1])
    with pytest.raises(mutualis.WeightsSumToZeroError):
        schedule([Candidate("X", "ROANNE", 1, 10, 2026, [0])], caps(500), 2026, 2028)
    with pytest.raises(mutualis.UnknownOperationError, match="NOPE"):
        schedule([cand("X", 1, 1, [1], ["NOPE"])], caps(500), 2026, 2028)
    with pytest.raises(TypeError):
        schedule(CANDIDATES, {("ROANNE", 2026): 1.5}, 2026, 2028)  # type: ignore[dict-item]


# --- refusals --------------------------------------------------------------------------


class Case(NamedTuple):
    cls: type
    base: type
    call: Callable[[Mutualis], object]
    match: str = ""


BAD_ASSETS = "code;name;kind;owner;commissioned\nOK;Bien;building;ROANNE;2020-01-01\nBAD;x;castle;ROANNE;2020-01-01\n"

PLANNING_CASES: List[Case] = [
    Case(mutualis.CpMismatchError, ValidationError,
         lambda m: m.vote_ap("AP-2", "ROANNE", "T", 2026, k(100), {2026: k(60), 2027: k(30)}), "sum to"),
    Case(mutualis.CpMismatchError, ValidationError,
         lambda m: m.vote_ap("AP-2", "ROANNE", "T", 2026, k(100), {2025: k(100)}), "before 2026"),
    Case(mutualis.CpMismatchError, ValidationError,
         lambda m: m.pay_ap("AP-GYM", d(2026, 5, 1), k(651)), "exceeds"),
    Case(mutualis.CpMismatchError, ValidationError,
         lambda m: m.revise_ap("AP-GYM", 2026, k(1300), {2026: k(650), 2027: k(400)}), "sum to"),
    Case(mutualis.YearClosedError, ConflictError,
         lambda m: m.pay_ap("AP-GYM", d(2025, 12, 31), k(1)), "year 2025 is closed"),
    Case(mutualis.YearClosedError, ConflictError, lambda m: m.close_year("ROANNE", 2025)),
    Case(mutualis.YearNotNextError, ConflictError, lambda m: m.close_year("ROANNE", 2027),
         "2026 must be closed first"),
    Case(mutualis.RevisionBelowPaidError, ConflictError,
         lambda m: m.revise_ap("AP-GYM", 2026, k(100), {2026: k(100)}), "150000.00 is already paid"),
    Case(mutualis.UnknownOperationError, NotFoundError,
         lambda m: m.pay_ap("NOPE", d(2026, 1, 1), k(1)), 'unknown operation or AP "NOPE"'),
    Case(mutualis.UnknownOperationError, NotFoundError, lambda m: m.ap("NOPE")),
    Case(mutualis.UnknownOperationError, NotFoundError, lambda m: m.operation_actuals("NOPE")),
    Case(mutualis.UnknownOperationError, NotFoundError,
         lambda m: m.add_operation("OP-2", "ROANNE", "T", "toiture", 1, 1, 2026, [1], depends_on=["NOPE"])),
    Case(mutualis.UnknownOperationError, NotFoundError,
         lambda m: m.vote_ap("AP-2", "ROANNE", "T", 2026, 1, {2026: 1}, operations=["NOPE"])),
    Case(mutualis.DuplicateOperationError, ConflictError,
         lambda m: m.add_operation("OP-GYM", "ROANNE", "T", "toiture", 1, 1, 2026, [1]), "already exists"),
    Case(mutualis.DuplicateOperationError, ConflictError,
         lambda m: m.vote_ap("AP-GYM", "ROANNE", "T", 2026, 1, {2026: 1})),
    Case(mutualis.CyclicDependencyError, ValidationError,
         lambda m: schedule([cand("X", 1, 1, [1], ["Y"]), cand("Y", 1, 1, [1], ["X"])], caps(500), 2026, 2028),
         "depends on itself"),
    Case(mutualis.CsvRowsError, ValidationError,
         lambda m: m.import_assets_csv(BAD_ASSETS, all_or_nothing=True), "line 3"),
    Case(mutualis.WeightsSumToZeroError, ValidationError,
         lambda m: m.add_operation("OP-2", "ROANNE", "T", "toiture", 1, 1, 2026, [0, 0])),
    Case(mutualis.InvalidFieldError, ValidationError,
         lambda m: m.add_operation("OP-2", "ROANNE", "T", "toiture", 0, 1, 2026, [1]), "priority"),
    Case(mutualis.UnknownTenantError, NotFoundError, lambda m: m.close_year("NOPE", 2026)),
]

# Conversion refusals (binding classes, not core kinds).
CONVERSION_CASES: List[Case] = [
    Case(mutualis.ArgumentTypeError, ValidationError,
         lambda m: m.vote_ap("AP-2", "ROANNE", "T", 2026, 1, {2026: 0.5})),  # type: ignore[dict-item]
    Case(mutualis.ArgumentTypeError, ValidationError,
         lambda m: m.vote_ap("AP-2", "ROANNE", "T", 2026, 1, [(2026, 1)])),  # type: ignore[arg-type]
    Case(mutualis.ArgumentTypeError, ValidationError,
         lambda m: m.revise_ap("AP-GYM", 2026, 1, {"2026": 1})),  # type: ignore[dict-item]
    Case(mutualis.ArgumentTypeError, ValidationError,
         lambda m: m.add_operation("OP-2", "ROANNE", "T", "toiture", 1, 1, 2026, [1], assets="GYM")),
]


@pytest.fixture
def site() -> Mutualis:
    """The worked example after the 2025 closing (150 000 paid)."""
    m = seed()
    vote_gym(m)
    m.pay_ap("AP-GYM", d(2025, 7, 10), k(150))
    m.close_year("ROANNE", 2025)
    return m


ALL_CASES = PLANNING_CASES + CONVERSION_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{c.cls.__name__}-{i}" for i, c in enumerate(ALL_CASES)])
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


def test_csv_rows_error_lists_every_bad_row(site: Mutualis) -> None:
    with pytest.raises(mutualis.CsvRowsError) as info:
        site.import_assets_csv(BAD_ASSETS + "BAD2;y;building;NOPE;2020-01-01\n", all_or_nothing=True)
    assert [line for line, _ in info.value.errors] == [3, 4]
    assert 'unknown tenant "NOPE"' in info.value.errors[1][1]
    assert info.value.kind == "csv_rows"


def test_planning_survives_json_round_trip() -> None:
    m = build_roannais_march_2026()
    again = Mutualis.from_json(m.to_json())
    assert again.aps() == m.aps() and again.operations() == m.operations()
    assert again.ppi_rows("AGGLO") == m.ppi_rows("AGGLO")
    assert again.rbf_rules("AGGLO") == (True, 3, "RBF de Roannais Agglomération, art. 7")
