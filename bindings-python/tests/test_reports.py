"""Reports from Python (issue 18): the core builds them from its public
queries, so Python gets the report Rust and Kotlin get — same tables, same
totals, same HTML."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

import mutualis
from mutualis import Mutualis, ReportTotalMismatchError

from conftest import build_roannais_march_2026

# The report error class, raised by a test of this file.
REPORT_ERRORS_EXERCISED = [ReportTotalMismatchError]

KINDS = ["spending", "settlement", "budget", "ppi", "event", "suppliers"]


@pytest.fixture(scope="module")
def m() -> Mutualis:
    return build_roannais_march_2026()


def test_spending_reconciles_with_the_ledger(m: Mutualis) -> None:
    r = m.report("spending", tenant="AGGLO", year=2026)
    assert isinstance(r, mutualis.Report)
    assert (r.kind, r.tenant, r.tenant_name) == ("spending", "AGGLO", "Roannais Agglomération")
    assert (r.start.isoformat(), r.end.isoformat()) == ("2026-01-01", "2026-12-31")
    by_service = r.tables["by_service"]
    ledger = m.ledger_group(["service"], start=r.start, end=r.end, payer="AGGLO")
    assert by_service["service"] == ledger["service"]
    assert by_service["ttc"] == ledger["ttc"]
    assert r.totals["by_service"]["ttc"] == sum(ledger["ttc"]) == Decimal("3692.73")
    # dict-of-columns: every column the same length (pandas / polars ready)
    for table in r.tables.values():
        assert len({len(c) for c in table.values()}) == 1


def test_settlement_report_equals_the_matrix(m: Mutualis) -> None:
    matrix = m.settlement_matrix(2026)
    for tenant in ["AGGLO", "ROANNE", "VILLEREST"]:
        r = m.report("settlement", tenant=tenant, year=2026)
        mine = sum((d.amount for d in matrix if tenant in (d.creditor, d.debtor)), Decimal(0))
        assert r.totals["flows"]["amount"] == mine
        assert r.totals["matrix"]["amount"] == sum(d.amount for d in matrix) == Decimal("1550.55")
        r.check()


def test_html_and_files(m: Mutualis, tmp_path: Path) -> None:
    r = m.report("event", tenant="VILLEREST", year=2026, tag="no-such-tag")
    assert "<h1>Coût de l&#39;événement « no-such-tag »</h1>" in r.html()
    r = m.report("budget", tenant="ROANNE", year=2026)
    html = r.html()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert re.search(r"<tfoot><tr class=\"total\"><td class=\"text\">Total</td>", html)
    assert "290\u202f000,00\u00a0€" in html
    assert "€290,000.00" in r.html("en")
    path = tmp_path / "budget.html"
    r.to_html(path)
    assert path.read_text(encoding="utf-8") == html
    csv = r.csv("expense")
    assert csv.startswith("\ufeffLigne;Service;Compte;Voté;") and csv.endswith("\r\n")
    assert r.csv("expense", style="plain").startswith("line,service,account,voted,")
    with pytest.raises(KeyError):
        r.csv("nope")
    with pytest.raises(mutualis.UnknownKindError):
        r.csv("expense", style="xlsx")
    with pytest.raises(mutualis.UnknownKindError):
        r.html("de")


def test_every_kind_for_every_tenant(m: Mutualis) -> None:
    for kind in KINDS:
        for tenant in ["AGGLO", "ROANNE", "MABLY", "VILLEREST"]:
            r = m.report(kind, tenant=tenant, year=2026)
            r.check()
            assert r.html().count("<table") == len(r.tables)
            assert repr(r).startswith(f"Report(kind='{kind}', tenant='{tenant}'")


def test_errors(m: Mutualis) -> None:
    with pytest.raises(mutualis.UnknownKindError):
        m.report("nope", tenant="AGGLO", year=2026)
    with pytest.raises(mutualis.UnknownTenantError):
        m.report("spending", tenant="NOPE", year=2026)
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.report("spending", tenant="AGGLO", year=1800)
    mutualis.Report.check_total("t", "ttc", [Decimal("1.005"), Decimal("2")], Decimal("3.01"))
    with pytest.raises(ReportTotalMismatchError, match=r'report table "t", column "ttc": the rows add up to 3.00, the total is 3.01'):
        mutualis.Report.check_total("t", "ttc", [Decimal("1"), Decimal("2")], Decimal("3.01"))
    assert ReportTotalMismatchError.kind == "report_total_mismatch"


def test_a_principal_gets_no_report() -> None:
    # reports read the unchecked façade's queries: an object bound to a
    # principal is refused (its filtered reader has no reports yet)
    m = build_roannais_march_2026()
    m.add_principal("roanne.elu", "Élu de Roanne", "elected", tenant="ROANNE")
    m.add_role("ELU", "Élu", ["work:read", "budgets:read", "settlements:read"])
    m.grant("roanne.elu", "ELU", datetime.date(2020, 1, 1), tenant="ROANNE")
    with pytest.raises(mutualis.ForbiddenError):
        m.as_principal("roanne.elu").report("spending", tenant="ROANNE", year=2026)
