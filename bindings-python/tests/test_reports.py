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


# --- the fleet and rent-roll reports (built here from Python, checked against
# the fleet and leases queries as Python sees them)


def fleet_and_leases() -> Mutualis:
    d = datetime.date
    m = Mutualis()
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_service("ROANNE", "VOIRIE", "Voirie")
    m.add_asset("VAN", "Kangoo", "vehicle", "ROANNE", d(2022, 3, 15))
    m.add_asset("TRUCK", "Benne", "vehicle", "ROANNE", d(2025, 5, 1))
    m.register_vehicle(
        "VAN", "van", "diesel", registration="ga-123-bc", first_registration=d(2022, 3, 15),
        service_tenant="ROANNE", service="VOIRIE",
    )
    m.register_vehicle(
        "TRUCK", "truck_over_3_5t", "diesel", registration="1234 AB 42",
        first_registration=d(2025, 5, 1), service_tenant="ROANNE", service="VOIRIE",
    )
    m.set_vehicle_purchase("TRUCK", Decimal("120000.00"), d(2025, 5, 1), 10)
    m.record_vehicle_cost("TRUCK", d(2026, 1, 5), "insurance", "Assurance flotte 2026", Decimal("1800.00"))
    m.add_team("GARAGE", "ROANNE", "Garage")
    m.set_labour_rate("ROANNE", 2026, Decimal("40"))
    m.create_work_order("OT-TRUCK", "Vidange", "TRUCK", team="GARAGE")
    m.set_work_order_status("OT-TRUCK", "in_progress", datetime.datetime(2026, 2, 2, 8, tzinfo=datetime.timezone.utc))
    m.record_labour("OT-TRUCK", d(2026, 2, 3), Decimal("3.5"))
    # the leases: a shop let monthly with charges, an office rented yearly
    m.add_asset("SHOP", "Local commercial", "building", "ROANNE", d(1990, 1, 1))
    m.add_asset("OFFICE", "Bureaux", "building", "ROANNE", d(1990, 1, 1))
    m.add_party("BOULANGERIE", "Boulangerie du centre", "company", identifier="73282932000074")
    m.add_party("SCI", "SCI des Halles", "company")
    m.add_lease(
        "BC-SHOP", "SHOP", "ROANNE", "BOULANGERIE", "commercial", d(2026, 3, 10), Decimal("620.00"),
        periodicity="monthly", charges_provision=Decimal("31.00"), surface=Decimal("85"),
    )
    m.record_rent_receipt("BC-SHOP", d(2026, 3, 12), Decimal("462.00"))
    m.record_rent_receipt("BC-SHOP", d(2026, 4, 5), Decimal("651.00"))
    m.add_lease(
        "B-OFFICE", "OFFICE", "ROANNE", "SCI", "professional", d(2024, 1, 1), Decimal("12000.00"),
        side="lessee",
    )
    return m


def test_fleet_report_is_the_due_list_and_the_dashboard() -> None:
    m = fleet_and_leases()
    r = m.report("fleet", tenant="ROANNE", year=2026)
    r.check()
    assert (r.kind, r.tenant) == ("fleet", "ROANNE")
    # on 31/12/2026: the van's first CT (15/03/2026) is late, the truck's (01/05/2026) too
    due = [x for x in m.fleet_due(datetime.date(2026, 12, 31)) if x.owner == "ROANNE" and x.what == "controle_technique"]
    assert r.tables["due"]["vehicle"] == [x.vehicle for x in due] == ["VAN", "TRUCK"]
    assert r.tables["due"]["due"] == [x.due for x in due]
    assert r.tables["due"]["days_late"] == [291, 244]
    assert r.tables["due"]["status"] == ["En retard", "En retard"]
    # the costs: the dashboard's, the maintenance being the ledger's
    dash = {x.vehicle: x for x in m.fleet_dashboard(2026)}
    costs = r.tables["costs"]
    assert costs["vehicle"] == ["VAN", "TRUCK"]
    assert costs["tco"] == [dash["VAN"].tco, dash["TRUCK"].tco]
    ledger = m.ledger_group(["asset"], start=r.start, end=r.end)
    assert r.totals["costs"]["maintenance_ttc"] == sum(ledger["ttc"]) == Decimal("140.00")
    assert r.totals["costs"]["other_costs"] == Decimal("1800.00")
    assert r.totals["costs"]["amortisation"] == Decimal("12000.00")
    assert r.totals["costs"]["tco"] == sum(x.tco for x in dash.values()) == Decimal("13940.00")
    html = r.html()
    assert "<h1>Parc auto : contrôles réglementaires et coûts 2026</h1>" in html
    assert 'data-chart="due_by_month"' in html and 'data-chart="costs"' in html
    assert "13\u202f940,00\u00a0€" in html
    assert "Roadworthiness test" in r.html("en")


def test_rent_report_is_the_rent_roll() -> None:
    m = fleet_and_leases()
    d = datetime.date
    r = m.report("rent", tenant="ROANNE", year=2026)
    r.check()
    roll = r.tables["rent_roll"]
    assert roll["lease"] == ["BC-SHOP"] and roll["party"] == ["Boulangerie du centre"]
    calls = m.rent_calls("BC-SHOP", d(2026, 1, 1), d(2026, 12, 31))
    # March pro rata (440.00 + 22.00), then nine months of 620.00 + 31.00
    assert roll["due"] == [sum(c.total for c in calls)] == [Decimal("6321.00")]
    assert roll["received"] == [sum(a for (_, a, _) in m.rent_receipts("BC-SHOP"))] == [Decimal("1113.00")]
    assert r.totals["rent_roll"]["balance"] == Decimal("5208.00")
    by = m.rent_roll_by(d(2026, 12, 31), "tenant")
    assert r.totals["in_force"]["annual_rent"] == by[0].annual_rent == Decimal("7440.00")
    # the lessee side apart
    assert r.tables["rent_roll_lessee"]["lease"] == ["B-OFFICE"]
    assert r.totals["rent_roll_lessee"]["due"] == Decimal("12000.00")
    lessee = m.rent_roll_by(d(2026, 12, 31), "tenant", side="lessee")
    assert r.totals["in_force_lessee"]["annual_rent"] == lessee[0].annual_rent
    html = r.html()
    assert "<h1>État locatif 2026</h1>" in html and 'data-chart="by_month"' in html
    assert "6\u202f321,00\u00a0€" in html
    assert r.csv("rent_roll").startswith("\ufeffContrat;Locaux;Occupant;Type;Loyer dû;")


def test_fleet_and_rent_reports_of_an_empty_tenant() -> None:
    m = Mutualis()
    m.add_tenant("VILLEREST", "Villerest", "commune", "214203317", "42332")
    for kind in ["fleet", "rent"]:
        r = m.report(kind, tenant="VILLEREST", year=2026)
        r.check()
        assert all(v == Decimal(0) for t in r.totals.values() for v in t.values() if isinstance(v, Decimal))
    with pytest.raises(mutualis.UnknownTenantError):
        m.report("rent", tenant="NOPE", year=2026)
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.report("fleet", tenant="VILLEREST", year=1800)

# --- energy per service and décret tertiaire progress (issue 18 with 16) ---


def _energy_seed() -> Mutualis:
    """A head office shared ROANNE 1 : MABLY 2 (2 000 m², not declared) and
    a school heated on a network with degree days, declared under the
    décret tertiaire (the hand-worked case of docs/energy.md)."""
    d = datetime.date
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_service("AGGLO", "BAT", "Bâtiments")
    m.add_service("ROANNE", "ECOLES", "Écoles")
    m.add_asset("SIEGE", "Siège", "building", "AGGLO", d(1990, 1, 1), service=("AGGLO", "BAT"), floor_area=2000)
    m.add_asset("ECOLE", "École", "building", "ROANNE", d(1990, 1, 1), service=("ROANNE", "ECOLES"), floor_area=1500)
    m.set_sharing_key("SIEGE", "agreed", {"ROANNE": 1, "MABLY": 2}, d(2025, 1, 1))
    m.add_meter("ELEC", "SIEGE", "electricity", "kwh", delivery_point="30001234567890")
    m.record_energy_invoice(
        "ELEC", "F-0", d(2026, 2, 28), d(2025, 12, 1), d(2026, 2, 28), 9000, "kwh",
        Decimal("100.00"), Decimal("928.80"), Decimal("205.76"),
    )
    m.record_energy_invoice(
        "ELEC", "F-1", d(2026, 12, 31), d(2026, 3, 1), d(2026, 12, 31), 41100, "kwh",
        Decimal("300.00"), Decimal("5000.00"), Decimal("1060.00"),
    )
    m.add_meter("CHAUF", "ECOLE", "heating_network", "kwh", station="ROANNE-MTO")
    m.record_energy_invoice(
        "CHAUF", "C-2026", d(2026, 12, 31), d(2026, 1, 1), d(2026, 12, 31), 120000, "kwh",
        Decimal("1000.00"), Decimal("9000.00"), Decimal("550.00"),
    )
    m.set_dju("ROANNE-MTO", 2026, 2100)
    m.set_dju_reference("ROANNE-MTO", 2400)
    m.declare_tertiary_site("ECOLE", "enseignement", 1500, 2019, 200000)
    return m


def _per_service(m: Mutualis, tenant: str, year: int) -> "dict[str, tuple[Decimal, Decimal]]":
    out: "dict[str, tuple[Decimal, Decimal]]" = {}
    for x in m.energy_by_service(year):
        if x.tenant == tenant:
            k, c = out.get(x.service or "—", (Decimal(0), Decimal(0)))
            out[x.service or "—"] = (k + x.kwh, c + x.cost_ttc)
    return dict(sorted(out.items()))


def test_energy_report_is_the_energy_queries() -> None:
    m = _energy_seed()
    for tenant in ["AGGLO", "ROANNE", "MABLY"]:
        r = m.report("energy", tenant=tenant, year=2026)
        r.check()
        assert (r.kind, r.tenant) == ("energy", tenant)
        now, before = _per_service(m, tenant, 2026), _per_service(m, tenant, 2025)
        t = r.tables["by_service"]
        assert t["service"] == list(now)
        assert t["kwh"] == [v[0] for v in now.values()]
        assert t["ttc"] == [v[1] for v in now.values()]
        assert t["kwh_previous"] == [before.get(s, (Decimal(0), Decimal(0)))[0] for s in now]
        mine = [x for x in m.energy_by_tenant(2026) if x.tenant == tenant]
        for key in ["by_service", "by_service_energy", "by_energy"]:
            assert r.totals[key]["ttc"] == sum((x.cost_ttc for x in mine), Decimal("0.00"))
            assert sum(r.tables[key]["kwh"], Decimal(0)) == sum((x.kwh for x in mine), Decimal(0))
        assert r.tables["by_energy"]["adjusted_kwh"] == [x.adjusted_kwh for x in mine]
        ledger = m.ledger_group(["year"], start=r.start, end=r.end, payer=tenant, nature="energy")
        assert r.totals["ledger"]["ttc"] == sum(ledger["ttc"], Decimal("0.00"))
    # ROANNE: a third of the head office (AGGLO/BAT) and its school
    r = m.report("energy", tenant="ROANNE", year=2026)
    assert r.tables["by_service"]["service"] == ["AGGLO/BAT", "ROANNE/ECOLES"]
    assert r.tables["by_service"]["kwh"][1] == Decimal("120000")
    assert r.tables["by_service_energy"]["adjusted_kwh"][1] == Decimal("137142.86")
    html = r.html()
    assert "<h1>Énergie par service 2026</h1>" in html
    assert 'data-chart="by_service_kwh"' in html and 'data-value="120000' in html
    assert "Réseau de chaleur" in html and "Heating network" in r.html("en")
    # AGGLO pays for nothing on 31 December: a valid, empty report
    r = m.report("energy", tenant="AGGLO", year=2026)
    assert r.tables["by_service"]["service"] == [] and r.totals["by_service"]["ttc"] == Decimal("0.00")


def test_tertiaire_report_is_the_tertiary_status() -> None:
    m = _energy_seed()
    r = m.report("tertiaire", tenant="ROANNE", year=2026)
    r.check()
    s = m.tertiary_status("ECOLE", 2026)
    t = r.tables["sites"]
    assert t["building"] == ["ECOLE"]
    assert t["reference_year"] == [str(s.reference_year)]
    assert t["reference_kwh"] == [s.reference_kwh] == [Decimal("200000")]
    assert t["adjusted_kwh"] == [s.adjusted_kwh] == [Decimal("137142.86")]
    assert t["target_kwh"] == [s.target_kwh] == [Decimal("120000.00")]
    assert t["gap_kwh"] == [s.gap_kwh] == [Decimal("17142.86")]
    assert t["reduction"] == [s.reduction * 100] == [Decimal("31.43")]
    assert t["status"] == ["Au-dessus de l'objectif"]
    # the head office (2 000 m²) is not declared: said, with no figure
    u = r.tables["undeclared"]
    assert (u["building"], u["floor_area"]) == (["SIEGE"], [Decimal("2000")])
    assert u["status"] == ["Pas d'année de référence (non déclaré)"]
    html = r.html()
    assert "<h1>Décret tertiaire : trajectoire 2026</h1>" in html
    assert ">Objectif 2030</th>" in html
    assert 'data-value="137142.86"' in html and 'data-value="120000.00"' in html
    assert "17\u202f142,9" in html
    # a year without degree days: the row says so
    r = m.report("tertiaire", tenant="ROANNE", year=2027)
    assert r.tables["sites"]["adjusted_kwh"] == [None]
    assert r.tables["sites"]["status"] == ["Degrés-jours 2027 manquants"]
    # AGGLO pays for no building on 31 December
    r = m.report("tertiaire", tenant="AGGLO", year=2026)
    assert r.tables["sites"]["building"] == [] and r.tables["undeclared"]["building"] == []
    with pytest.raises(mutualis.UnknownTenantError):
        m.report("tertiaire", tenant="NOPE", year=2026)
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.report("energy", tenant="ROANNE", year=1800)
