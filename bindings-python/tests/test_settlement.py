"""Agreements, pooled services, vehicle loans and settlement through Python:
the worked examples of DOMAIN.md §4 with exact figures (statements, true-up,
settlement matrix), records and their column forms, and a refusal for each
new error class with the registry unchanged."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, NamedTuple

import pytest

import mutualis
from mutualis import ConflictError, Mutualis, NotFoundError

from conftest import at, build_settlement_seed, d, open_work_order, record_gym

DATA = Path(__file__).resolve().parent / "data"

DEBT_COLUMNS = ["line", "work_order", "date", "nature", "provider", "payer", "part", "units", "amount",
                "settled_by", "settled_under"]


def assert_columns(table: Mapping[str, List[Any]], keys: List[str], rows: int) -> None:
    assert list(table) == keys
    assert all(isinstance(c, list) and len(c) == rows for c in table.values())


def sports_agreement(m: Mutualis) -> None:
    m.add_agreement("CONV-SPORTS", "ROANNE", "AGGLO", "actual_cost", d(2019, 1, 1),
                    services=["SPORTS"], provider_account="70846", beneficiary_account="6217",
                    legal_basis="CGCT L5211-4-1")


# --- actual cost: the gymnasium ---------------------------------------------------------------


def test_gymnasium_statement_agglo_owes_roanne_421_09(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    sports_agreement(m)
    record_gym(m)
    s = m.statement("CONV-SPORTS", 2026)
    assert (s.agreement, s.year, s.creditor, s.debtor, s.mode) == ("CONV-SPORTS", 2026, "ROANNE", "AGGLO",
                                                                   "actual_cost")
    # each party's statements, as the core lists them
    assert m.statements_for("ROANNE", 2026) == [s] and m.statements_for("AGGLO", 2026) == [s]
    assert m.statements_for("MABLY", 2026) == []
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.statements_for("ROANNE", 2**40)
    detail = [(x.work_order, x.nature, x.units, x.amount) for x in s.lines]
    assert detail == [("BT-GYM", "labour", Decimal("6.5"), Decimal("250.25")),
                      ("BT-GYM", "material", Decimal("12"), Decimal("170.84"))]
    assert all(x.settled_by == "agreement" and x.settled_under == "CONV-SPORTS" for x in s.lines)
    assert all((x.provider, x.payer, x.date) == ("ROANNE", "AGGLO", d(2026, 3, 12)) for x in s.lines)
    assert [x.part for x in s.lines] == [Decimal("250.25"), Decimal("170.84")]
    assert (s.total_ht, s.vat_rate, s.vat, s.total) == (Decimal("421.09"), None, Decimal("0.00"), Decimal("421.09"))
    assert str(s.total) == "421.09" and str(s.vat) == "0.00"
    assert (s.creditor_account, s.debtor_account, s.legal_basis) == ("70846", "6217", "CGCT L5211-4-1")
    assert m.settlement_matrix(2026) == [m.settlement_matrix(2026)[0]]
    debt = m.settlement_matrix(2026)[0]
    assert (debt.creditor, debt.debtor, debt.amount) == ("ROANNE", "AGGLO", Decimal("421.09"))
    assert m.unsettled(2026) == []
    assert m.debt_lines(2026) == s.lines
    # nothing in another year
    assert m.statement("CONV-SPORTS", 2025).lines == []
    assert m.statement("CONV-SPORTS", 2025).total == Decimal("0.00")
    # records are frozen values
    assert s == m.statement("CONV-SPORTS", 2026) and hash(s) == hash(m.statement("CONV-SPORTS", 2026))
    with pytest.raises(AttributeError):
        s.total = Decimal(0)  # type: ignore[misc]
    assert repr(debt) == "Debt(creditor='ROANNE', debtor='AGGLO', amount=Decimal('421.09'))"
    # the same as columns
    table = m.statement_table("CONV-SPORTS", 2026)
    assert_columns(table, DEBT_COLUMNS, 2)
    assert table["amount"] == [Decimal("250.25"), Decimal("170.84")]
    assert table["nature"] == ["labour", "material"]
    assert table["settled_under"] == ["CONV-SPORTS", "CONV-SPORTS"]
    assert table == m.debt_lines_table(2026)
    assert m.settlement_matrix_table(2026) == {"creditor": ["ROANNE"], "debtor": ["AGGLO"],
                                               "amount": [Decimal("421.09")]}
    assert_columns(m.unsettled_table(2026), DEBT_COLUMNS, 0)


def test_settlement_report_explains_the_matrix_line_by_line(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    sports_agreement(m)
    record_gym(m)
    r = m.settlement_report("AGGLO", "ROANNE", 2026)
    assert (r.year, r.first, r.second, r.reconciles) == (2026, "AGGLO", "ROANNE", True)
    [item] = r.items
    assert (item.kind, item.source, item.debtor, item.creditor, item.amount) == (
        "agreement", "CONV-SPORTS", "AGGLO", "ROANNE", Decimal("421.09"))
    assert [x.amount for x in item.lines] == [Decimal("250.25"), Decimal("170.84")]
    assert [(d.debtor, d.creditor, d.amount) for d in r.matrix] == [("AGGLO", "ROANNE", Decimal("421.09"))]
    text = m.settlement_report_text("AGGLO", "ROANNE", 2026)
    assert text.startswith("Règlement 2026 entre AGGLO et ROANNE\n")
    assert "Solde : AGGLO doit 421,09\u00a0€ à ROANNE (conforme à la matrice des règlements)" in text
    assert m.settlement_report("ROANNE", "MABLY", 2026).items == []
    with pytest.raises(mutualis.UnknownTenantError):
        m.settlement_report("AGGLO", "NOPE", 2026)
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.settlement_report_text("AGGLO", "ROANNE", 1800)


def test_agreement_record(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    sports_agreement(m)
    m.add_agreement("CONV-UC", "ROANNE", "MABLY", "unit_cost", d(2026, 1, 1), d(2026, 12, 31),
                    unit_cost=Decimal("42.00"), assets=["MAIRIE-ROANNE"], vat_rate=Decimal("5.5"))
    a, b = m.agreements()
    assert (a.code, a.provider, a.beneficiary, a.mode, a.start, a.end) == (
        "CONV-SPORTS", "ROANNE", "AGGLO", "actual_cost", d(2019, 1, 1), None)
    assert (a.unit_cost, a.services, a.assets, a.vat_rate) == (None, ["SPORTS"], [], None)
    assert (b.mode, b.end, b.unit_cost, b.services, b.assets, b.vat_rate) == (
        "unit_cost", d(2026, 12, 31), Decimal("42.00"), [], ["MAIRIE-ROANNE"], Decimal("5.5"))
    assert (b.provider_account, b.beneficiary_account, b.legal_basis) == (None, None, None)
    assert repr(a).startswith("Agreement(code='CONV-SPORTS', provider='ROANNE'")
    assert mutualis.AGREEMENT_MODES == ("actual_cost", "unit_cost")


def test_without_agreement_the_line_is_flagged_not_lost(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    record_gym(m)
    flagged = m.unsettled(2026)
    assert len(flagged) == 2
    assert all(f.settled_by == "no_agreement" and f.settled_under is None and f.payer == "AGGLO" for f in flagged)
    assert sum(f.part for f in flagged) == Decimal("421.09")
    # costed as the part (nothing is reimbursed yet)
    assert [f.amount for f in flagged] == [Decimal("250.25"), Decimal("170.84")]
    assert m.settlement_matrix(2026) == []
    assert m.settlement_matrix_table(2026) == {"creditor": [], "debtor": [], "amount": []}
    table = m.unsettled_table(2026)
    assert_columns(table, DEBT_COLUMNS, 2)
    assert table["settled_by"] == ["no_agreement", "no_agreement"]
    assert table["settled_under"] == [None, None]


def test_unit_cost_agreement_reimburses_hours_at_the_unit_cost(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    m.add_agreement("CONV-UC", "ROANNE", "AGGLO", "unit_cost", d(2026, 1, 1), unit_cost=Decimal("42.00"))
    record_gym(m)
    s = m.statement("CONV-UC", 2026)
    # 6.5 h × 42.00 = 273.00; the paint is part of the unit cost
    assert [(x.nature, x.units, x.amount) for x in s.lines] == [
        ("labour", Decimal("6.5"), Decimal("273.00")), ("material", Decimal("0"), Decimal("0.00"))]
    assert [x.part for x in s.lines] == [Decimal("250.25"), Decimal("170.84")]
    assert (s.mode, s.total) == ("unit_cost", Decimal("273.00"))
    assert m.settlement_matrix(2026)[0].amount == Decimal("273.00")


def test_agreement_vat_is_a_setting(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    m.add_agreement("CONV-TVA", "ROANNE", "AGGLO", "actual_cost", d(2026, 1, 1), vat_rate=20)
    record_gym(m)
    s = m.statement("CONV-TVA", 2026)
    # 421.09 × 20 % = 84.218 → 84.22
    assert (s.total_ht, s.vat_rate, s.vat, s.total) == (
        Decimal("421.09"), Decimal("20"), Decimal("84.22"), Decimal("505.31"))
    assert m.settlement_matrix(2026)[0].amount == Decimal("505.31")


def test_custody_ending_mid_year_splits_the_year(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    m.add_agreement("CONV-SPORTS", "ROANNE", "AGGLO", "actual_cost", d(2019, 1, 1))
    m.end_custody("GYM", d(2026, 6, 30))
    open_work_order(m, "BT", "GYM", "ROANNE-SPORTS")
    m.record_labour("BT", d(2026, 6, 30), 2)  # 77.00: AGGLO still holds it on its last day
    m.record_labour("BT", d(2026, 7, 1), 3)  # 115.50: back to ROANNE, no debt
    s = m.statement("CONV-SPORTS", 2026)
    assert [(x.date, x.amount) for x in s.lines] == [(d(2026, 6, 30), Decimal("77.00"))]
    assert s.total == Decimal("77.00")
    assert m.ledger_group([], payer="AGGLO")["ttc"] == [Decimal("77.00")]
    assert m.ledger_group([], payer="ROANNE")["ttc"] == [Decimal("115.50")]
    # a late custody change re-settles the past lines
    m.grant_custody("GYM", "MABLY", d(2026, 7, 1), d(2026, 12, 31))
    assert m.ledger_group(["payer"])["payer"] == ["AGGLO", "MABLY"]
    assert [(x.payer, x.settled_by) for x in m.unsettled(2026)] == [("MABLY", "no_agreement")]


# --- vehicle loan ------------------------------------------------------------------------------


def test_vehicle_loan_is_charged_at_the_lenders_rate(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    m.lend_vehicle("PRET-1", "VH-ROANNE-1", "VILLEREST", "day", d(2026, 4, 1), d(2026, 4, 30))
    first = m.record_loan_use("PRET-1", d(2026, 4, 3), 2)
    assert (first.date, first.quantity, first.rate, first.amount) == (
        d(2026, 4, 3), Decimal(2), Decimal("45.00"), Decimal("90.00"))
    m.record_loan_use("PRET-1", d(2026, 4, 30), Decimal("0.5"))  # last day inclusive: 22.50
    before = m.to_json()
    with pytest.raises(mutualis.InvalidFieldError, match="outside loan"):
        m.record_loan_use("PRET-1", d(2026, 5, 1), 1)
    with pytest.raises(mutualis.InvalidQuantityError):
        m.record_loan_use("PRET-1", d(2026, 4, 20), 0)
    with pytest.raises(mutualis.ArgumentTypeError):
        m.record_loan_use("PRET-1", d(2026, 4, 20), 0.5)  # type: ignore[arg-type]
    assert m.to_json() == before
    s = m.loan_statement("PRET-1", 2026)
    assert (s.loan, s.year, s.lender, s.borrower) == ("PRET-1", 2026, "ROANNE", "VILLEREST")
    assert ([u.amount for u in s.uses], s.total) == ([Decimal("90.00"), Decimal("22.50")], Decimal("112.50"))
    assert m.loan_statement("PRET-1", 2025).total == Decimal("0.00")
    table = m.loan_statement_table("PRET-1", 2026)
    assert_columns(table, ["date", "quantity", "rate", "amount"], 2)
    assert table["quantity"] == [Decimal(2), Decimal("0.5")]
    assert [(x.creditor, x.debtor, x.amount) for x in m.settlement_matrix(2026)] == [
        ("ROANNE", "VILLEREST", Decimal("112.50"))]
    (loan,) = m.loans()
    assert (loan.code, loan.vehicle, loan.lender, loan.borrower, loan.unit) == (
        "PRET-1", "VH-ROANNE-1", "ROANNE", "VILLEREST", "day")
    assert (loan.start, loan.end, loan.uses) == (d(2026, 4, 1), d(2026, 4, 30), s.uses)


# --- pooled service true-up --------------------------------------------------------------------


def pooled(m: Mutualis) -> None:
    m.add_pooled_service("SC-BAT", "AGGLO", ["BAT"], {"AGGLO": 5000, "ROANNE": 3000, "MABLY": 2000},
                         d(2026, 1, 1), legal_basis="CGCT L5211-4-2")
    open_work_order(m, "BT-ECOLE", "ECOLE-MABLY", "AGGLO-BAT")
    open_work_order(m, "BT-MAIRIE", "MAIRIE-ROANNE", "AGGLO-BAT")
    open_work_order(m, "BT-SIEGE", "SIEGE-AGGLO", "AGGLO-BAT")
    m.record_labour("BT-ECOLE", d(2026, 2, 3), 10)  # 400.00
    m.record_labour("BT-MAIRIE", d(2026, 5, 6), Decimal("12.5"))  # 500.00
    m.record_labour("BT-SIEGE", d(2026, 9, 9), Decimal("2.5"))  # 100.00
    m.record_advance("SC-BAT", 2026, "ROANNE", Decimal("250.00"))
    m.record_advance("SC-BAT", 2026, "MABLY", Decimal("250.00"))


def test_pooled_service_true_up(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    pooled(m)
    before = m.to_json()
    with pytest.raises(mutualis.InvalidFieldError, match="not a member"):
        m.record_advance("SC-BAT", 2026, "VILLEREST", 1)
    with pytest.raises(mutualis.ArgumentTypeError, match="got str"):
        m.add_pooled_service("SC-2", "AGGLO", "SPORTS", {"MABLY": 1}, d(2026, 1, 1))
    assert m.to_json() == before
    s = m.pooled_statement("SC-BAT", 2026)
    # cost 1 000.00 split 5000/3000/2000 → 500/300/200; advances 250/250
    assert (s.pooled, s.year, s.provider, s.total_cost) == ("SC-BAT", 2026, "AGGLO", Decimal("1000.00"))
    assert [(x.tenant, x.weight, x.share, x.advances, x.balance) for x in s.shares] == [
        ("AGGLO", 5000, Decimal("500.00"), Decimal("0.00"), Decimal("500.00")),
        ("MABLY", 2000, Decimal("200.00"), Decimal("250.00"), Decimal("-50.00")),
        ("ROANNE", 3000, Decimal("300.00"), Decimal("250.00"), Decimal("50.00")),
    ]
    table = m.pooled_statement_table("SC-BAT", 2026)
    assert_columns(table, ["tenant", "weight", "share", "advances", "balance"], 3)
    assert table["balance"] == [Decimal("500.00"), Decimal("-50.00"), Decimal("50.00")]
    # the members' line parts are settled by the pool, once each
    debts = m.debt_lines(2026)
    assert [(x.work_order, x.payer, x.settled_by, x.settled_under) for x in debts] == [
        ("BT-ECOLE", "MABLY", "pooled_service", "SC-BAT"), ("BT-MAIRIE", "ROANNE", "pooled_service", "SC-BAT")]
    assert [(x.creditor, x.debtor, x.amount) for x in m.settlement_matrix(2026)] == [
        ("AGGLO", "ROANNE", Decimal("50.00")), ("MABLY", "AGGLO", Decimal("50.00"))]
    assert m.settlement_matrix_table(2026) == {
        "creditor": ["AGGLO", "MABLY"], "debtor": ["ROANNE", "AGGLO"], "amount": [Decimal("50.00")] * 2}
    (p,) = m.pooled_services()
    assert (p.code, p.provider, p.services, p.start, p.end, p.legal_basis) == (
        "SC-BAT", "AGGLO", ["BAT"], d(2026, 1, 1), None, "CGCT L5211-4-2")
    assert list(p.key.items()) == [("AGGLO", 5000), ("MABLY", 2000), ("ROANNE", 3000)]
    assert sorted(p.advances) == [(2026, "MABLY", Decimal("250.00")), (2026, "ROANNE", Decimal("250.00"))]
    p.key["AGGLO"] = 0  # a copy
    assert m.pooled_services()[0].key["AGGLO"] == 5000


# --- persistence ---------------------------------------------------------------------------------


def test_journal_and_json_round_trip(settlement_seed: Mutualis) -> None:
    m = settlement_seed
    sports_agreement(m)
    pooled(m)
    m.lend_vehicle("PRET-1", "VH-ROANNE-1", "VILLEREST", "day", d(2026, 4, 1))
    m.record_loan_use("PRET-1", d(2026, 4, 3), 2)
    record_gym(m)
    again = Mutualis.replay(m.journal_json())
    assert again.to_json() == m.to_json()
    assert again.settlement_matrix(2026) == m.settlement_matrix(2026)
    assert Mutualis.from_json(m.to_json()).statement("CONV-SPORTS", 2026) == m.statement("CONV-SPORTS", 2026)
    types = [json.loads(e.data)["type"] for e in m.journal()]
    assert {"agreement_added", "pooled_service_added", "advance_recorded", "vehicle_lent",
            "loan_used"} <= set(types)
    with pytest.raises(mutualis.InvalidJsonError):
        Mutualis.replay("[{")


def test_roannais_dataset_file_matrix_2026() -> None:
    m = Mutualis.load(DATA / "roannais.json")
    matrix = [(x.creditor, x.debtor, x.amount) for x in m.settlement_matrix(2026)]
    assert matrix == [("AGGLO", "VILLEREST", Decimal("950.00")), ("ROANNE", "AGGLO", Decimal("600.55"))]
    s = m.statement("CONV-2019-SPORTS", 2026)
    gym = [x.amount for x in s.lines if x.work_order == "BT-2026-0412"]
    assert gym == [Decimal("250.25"), Decimal("170.84")] and sum(gym) == Decimal("421.09")
    # + the boiler: 3 h × 45.10 (technicien) = 135.30
    assert s.total == Decimal("556.39")
    # green spaces at unit cost: 2 h × 60 % (AGGLO's key share) × 36.80 = 44.16
    ev = m.statement("CONV-2024-EV", 2026)
    assert (ev.lines[0].units, ev.lines[0].amount) == (Decimal("1.2"), Decimal("44.16"))
    # the truck: 2.5 days × 380.00
    assert m.loan_statement("PRET-2026-BENNE", 2026).total == Decimal("950.00")
    debts, flagged = m.debt_lines(2026), m.unsettled(2026)
    assert len(debts) == len(s.lines) + len(ev.lines) + len(flagged)
    assert_columns(m.debt_lines_table(2026), DEBT_COLUMNS, len(debts))
    agglo = m.budget_status("AGGLO", 2026)
    assert (agglo[0].code, agglo[0].credits, agglo[0].spent) == ("011-SPORTS", Decimal("50000.00"),
                                                                  Decimal("556.39"))


# --- refusals: each new class, the registry unchanged ----------------------------------------------


class Case(NamedTuple):
    cls: type
    base: type
    call: Callable[[Mutualis], object]
    match: str = ""


SETTLEMENT_CASES = [
    Case(mutualis.UnknownAgreementError, NotFoundError, lambda m: m.statement("NOPE", 2026),
         'unknown agreement "NOPE"'),
    Case(mutualis.UnknownAgreementError, NotFoundError, lambda m: m.pooled_statement("CONV-SPORTS", 2026)),
    Case(mutualis.UnknownAgreementError, NotFoundError, lambda m: m.record_loan_use("NOPE", d(2026, 4, 3), 1)),
    Case(mutualis.UnknownAgreementError, NotFoundError, lambda m: m.record_advance("NOPE", 2026, "MABLY", 1)),
    Case(mutualis.UnknownBudgetError, NotFoundError, lambda m: m.budget_status("MABLY", 2026),
         'no budget of "MABLY" for 2026'),
    Case(mutualis.UnknownBudgetError, NotFoundError,
         lambda m: m.amend_budget_line("AGGLO", 2026, "NOPE", 1, "DM"), 'line "NOPE"'),
    Case(mutualis.UnknownBudgetError, NotFoundError, lambda m: m.assign_budget_line("BT-GYM", "AGGLO", "NOPE")),
    Case(mutualis.DuplicateAgreementError, ConflictError,
         lambda m: m.add_agreement("CONV-SPORTS", "ROANNE", "MABLY", "actual_cost", d(2026, 1, 1)),
         'agreement "CONV-SPORTS" already exists'),
    Case(mutualis.DuplicateAgreementError, ConflictError,
         lambda m: m.lend_vehicle("PRET-1", "VH-ROANNE-1", "MABLY", "day", d(2026, 1, 1))),
    Case(mutualis.DuplicateAgreementError, ConflictError,
         lambda m: m.add_pooled_service("SC-BAT", "AGGLO", ["SPORTS"], {"AGGLO": 1}, d(2026, 1, 1))),
    Case(mutualis.DuplicateBudgetError, ConflictError, lambda m: m.add_budget("AGGLO", 2026),
         'budget of "AGGLO" for 2026 already exists'),
    Case(mutualis.DuplicateBudgetError, ConflictError,
         lambda m: m.add_budget_line("AGGLO", 2026, "011-SPORTS", "615221", 1)),
    Case(mutualis.AgreementOverlapError, ConflictError,
         lambda m: m.add_agreement("C2", "ROANNE", "AGGLO", "actual_cost", d(2026, 6, 1), services=["SPORTS"]),
         'agreement "C2" overlaps agreement "CONV-SPORTS"'),
    Case(mutualis.AgreementOverlapError, ConflictError,
         lambda m: m.add_pooled_service("SC-2", "AGGLO", ["BAT"], {"MABLY": 1}, d(2026, 12, 31))),
    Case(mutualis.BudgetExceededError, ConflictError,
         lambda m: m.record_labour("BT-GYM", d(2026, 3, 13), 1),
         'work order "BT-GYM" would charge 38.50 to budget line "011-SPORTS" of "AGGLO" 2026, which has 28.91 left'),
    # and the ordinary classes, on the new commands
    Case(mutualis.InvalidFieldError, mutualis.ValidationError,
         lambda m: m.add_agreement("C3", "ROANNE", "MABLY", "unit_cost", d(2026, 1, 1)), "unit cost"),
    Case(mutualis.InvalidFieldError, mutualis.ValidationError,
         lambda m: m.add_agreement("C3", "ROANNE", "ROANNE", "actual_cost", d(2026, 1, 1)), "itself"),
    Case(mutualis.UnknownKindError, mutualis.ValidationError,
         lambda m: m.add_agreement("C3", "ROANNE", "MABLY", "flat_fee", d(2026, 1, 1))),  # type: ignore[arg-type]
    Case(mutualis.UnknownVatRateError, mutualis.ValidationError,
         lambda m: m.add_agreement("C3", "ROANNE", "MABLY", "actual_cost", d(2026, 1, 1), vat_rate=19)),
    Case(mutualis.UnknownServiceError, NotFoundError,
         lambda m: m.add_agreement("C3", "ROANNE", "MABLY", "actual_cost", d(2026, 1, 1), services=["NOPE"])),
    Case(mutualis.DatesOutOfOrderError, mutualis.ValidationError,
         lambda m: m.lend_vehicle("PRET-2", "VH-ROANNE-1", "MABLY", "day", d(2026, 2, 1), d(2026, 1, 31))),
    Case(mutualis.DuplicateKeyTenantError, mutualis.ValidationError,
         lambda m: m.add_pooled_service("SC-3", "AGGLO", ["SPORTS"], [("MABLY", 1), ("MABLY", 2)], d(2026, 1, 1))),
    Case(mutualis.WeightsSumToZeroError, mutualis.ValidationError,
         lambda m: m.add_pooled_service("SC-3", "AGGLO", ["SPORTS"], {"MABLY": 0}, d(2026, 1, 1))),
    Case(mutualis.SubCentAmountError, mutualis.ValidationError,
         lambda m: m.record_advance("SC-BAT", 2026, "MABLY", Decimal("0.001"))),
]


@pytest.fixture
def site() -> Mutualis:
    """An agreement, a pooled service, a loan and a refusing TTC budget
    with 28.91 left after the gymnasium's 421.09."""
    m = build_settlement_seed()
    sports_agreement(m)
    m.add_pooled_service("SC-BAT", "AGGLO", ["BAT"], {"AGGLO": 1, "MABLY": 1}, d(2026, 1, 1))
    m.lend_vehicle("PRET-1", "VH-ROANNE-1", "VILLEREST", "day", d(2026, 4, 1))
    m.add_budget("AGGLO", 2026, "ttc", "refuse")
    m.add_budget_line("AGGLO", 2026, "011-SPORTS", "615221", Decimal("500.00"), service="SPORTS")
    m.amend_budget_line("AGGLO", 2026, "011-SPORTS", Decimal("-50.00"), "DM1")
    record_gym(m)
    return m


@pytest.mark.parametrize("case", SETTLEMENT_CASES,
                         ids=[f"{c.cls.__name__}-{i}" for i, c in enumerate(SETTLEMENT_CASES)])
def test_refusal_raises_its_class_and_changes_nothing(site: Mutualis, case: Case) -> None:
    before, journal, lines = site.to_json(), len(site.journal()), len(site.ledger_columns()["line"])
    with pytest.raises(case.cls) as info:
        case.call(site)
    err = info.value
    assert type(err) is case.cls
    assert isinstance(err, case.base) and isinstance(err, mutualis.MutualisError)
    assert case.match in str(err)
    assert site.to_json() == before
    assert len(site.journal()) == journal
    assert len(site.ledger_columns()["line"]) == lines
