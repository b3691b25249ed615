"""Énergies (issue 16) from Python: meters, readings, invoices prorated by
days, sub-meters, climate correction, the décret tertiaire, anomalies, the
dashboard; the hand-worked cases of the issue, every method and error."""

from decimal import Decimal
from typing import Any, Callable, List, Type

import pytest

import mutualis
from mutualis import (
    DuplicateMeterError,
    EnergyAnomaly,
    EnergyDashboardRow,
    EnergyShare,
    IndexBelowLastError,
    InvalidDeliveryPointError,
    InvoicePart,
    Meter,
    MeterYear,
    MissingDjuError,
    Mutualis,
    NegativeConsumptionError,
    ReferenceYearTooEarlyError,
    TertiaryStatus,
    UnitMismatchError,
    UnknownMeterError,
)

from conftest import d

ENERGY_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    UnknownMeterError,
    DuplicateMeterError,
    InvalidDeliveryPointError,
    IndexBelowLastError,
    UnitMismatchError,
    NegativeConsumptionError,
    ReferenceYearTooEarlyError,
    MissingDjuError,
]


def seed() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_asset("SIEGE", "Siège", "building", "AGGLO", d(1990, 1, 1), floor_area=2000)
    m.add_asset("SIEGE-RDC", "Rez-de-chaussée", "room", "AGGLO", d(1990, 1, 1), parent="SIEGE")
    m.add_asset("ECOLE", "École", "building", "ROANNE", d(1990, 1, 1), floor_area=1500)
    m.set_sharing_key("SIEGE", "agreed", {"ROANNE": 1, "MABLY": 2}, d(2025, 1, 1))
    m.add_meter("ELEC", "SIEGE", "electricity", "kwh", delivery_point="30001234567890")
    m.add_meter("ELEC-RDC", "SIEGE-RDC", "electricity", "kwh", parent="ELEC")
    m.add_meter("GAZ", "SIEGE", "gas", "m3", delivery_point="GI123456")
    m.set_conversion("GAZ", d(2025, 1, 1), Decimal("11.2"))
    m.record_energy_invoice(
        "ELEC", "F-0", d(2026, 2, 28), d(2025, 12, 1), d(2026, 2, 28), 9000, "kwh",
        Decimal("100.00"), Decimal("928.80"), Decimal("205.76"),
    )
    m.record_energy_invoice(
        "ELEC", "F-1", d(2026, 12, 31), d(2026, 3, 1), d(2026, 12, 31), 41100, "kwh",
        Decimal("300.00"), Decimal("5000.00"), Decimal("1060.00"),
    )
    m.record_reading("ELEC-RDC", d(2025, 12, 31), 1000)
    m.record_reading("ELEC-RDC", d(2026, 12, 31), 13000)
    m.add_meter("CHAUF", "ECOLE", "heating_network", "kwh", station="ROANNE-MTO")
    m.record_energy_invoice(
        "CHAUF", "C-2026", d(2026, 12, 31), d(2026, 1, 1), d(2026, 12, 31), 120000, "kwh",
        Decimal("1000.00"), Decimal("9000.00"), Decimal("550.00"),
    )
    m.set_dju("ROANNE-MTO", 2026, 2100)
    m.set_dju_reference("ROANNE-MTO", 2400)
    m.declare_tertiary_site("ECOLE", "enseignement", 1500, 2019, 200000)
    return m


def test_climate_correction_and_the_decret_tertiaire_gap() -> None:
    m = seed()
    assert m.climate_corrected("ROANNE-MTO", 2026, 120000) == Decimal("137142.86")
    s = m.tertiary_status("ECOLE", 2026)
    assert isinstance(s, TertiaryStatus)
    assert s.adjusted_kwh == Decimal("137142.86")
    assert (s.milestone, s.target_kwh, s.gap_kwh) == (2030, Decimal("120000"), Decimal("17142.86"))
    assert s.reduction == Decimal("0.3143")
    assert m.operat_csv(2026) == (
        "building;activity;floor_area;year;energy;kwh\n"
        "ECOLE;enseignement;1500;2026;heating_network;120000\n"
    )
    m.declare_tertiary_site("SIEGE", "bureaux", 2000, 2010, 100000, absolute_threshold=Decimal("50"))
    assert m.tertiary_status("SIEGE", 2026).target_kwh == Decimal("100000")


def test_an_invoice_straddling_two_years_is_prorated_by_days() -> None:
    m = seed()
    p = m.invoice_parts("ELEC", "F-0")
    assert all(isinstance(x, InvoicePart) for x in p)
    assert [(x.year, x.days, x.kwh, x.ttc, x.ht) for x in p] == [
        (2025, 31, Decimal("3100"), Decimal("425.24"), Decimal("354.36")),
        (2026, 59, Decimal("5900"), Decimal("809.32"), Decimal("674.44")),
    ]
    assert (p[0].start, p[1].end) == (d(2025, 12, 1), d(2026, 2, 28))


def test_a_sub_meter_is_deducted_and_a_replacement_counted() -> None:
    m = seed()
    y = m.meter_year("ELEC", 2026)
    assert isinstance(y, MeterYear)
    assert (y.gross_kwh, y.sub_meters_kwh, y.net_kwh, y.cost_ttc) == (
        Decimal("47000"), Decimal("12000"), Decimal("35000"), Decimal("7169.32"),
    )
    m.record_reading("ELEC-RDC", d(2027, 6, 30), 14000, new_index=0)
    m.record_reading("ELEC-RDC", d(2027, 12, 31), 500)
    assert m.meter_year("ELEC-RDC", 2027).gross_kwh == Decimal("1500")
    assert m.readings("ELEC-RDC")[2] == (d(2027, 6, 30), Decimal("14000"), Decimal("0"))
    meters = m.meters()
    assert all(isinstance(x, Meter) for x in meters)
    assert [(x.code, x.parent) for x in meters][:2] == [("ELEC", None), ("ELEC-RDC", "ELEC")]


def test_allocation_to_services_and_tenants_to_the_cent() -> None:
    m = seed()
    s = m.energy_allocation("SIEGE", 2026, {"VOIRIE": 300, "ESPACES-VERTS": 200, "DSI": 100})
    assert all(isinstance(x, EnergyShare) for x in s)
    assert [(x.key, x.kwh, x.cost_ttc) for x in s] == [
        ("VOIRIE", Decimal("23500.00"), Decimal("3584.66")),
        ("ESPACES-VERTS", Decimal("15666.67"), Decimal("2389.77")),
        ("DSI", Decimal("7833.33"), Decimal("1194.89")),
    ]
    t = m.energy_invoice_tenants("ELEC", "F-0")
    assert [(x.key, x.cost_ttc) for x in t] == [("MABLY", Decimal("823.04")), ("ROANNE", Decimal("411.52"))]


def test_anomalies_dashboard_and_columns() -> None:
    m = seed()
    m.add_meter("EAU", "ECOLE", "water", "m3")
    m.set_conversion("EAU", d(2000, 1, 1), 1)
    for y, q in ((2024, 31), (2025, 31), (2026, 93)):
        m.record_energy_invoice(
            "EAU", f"E-{y}", d(y, 2, 1), d(y, 1, 1), d(y, 1, 31), q, "m3", 0, Decimal("10.00"), Decimal("0.55"),
        )
    a = m.energy_anomalies("EAU", Decimal("0.5"))
    assert all(isinstance(x, EnergyAnomaly) for x in a)
    assert [(x.year, x.month, x.kwh, x.baseline, x.deviation) for x in a] == [
        (2026, 1, Decimal("93"), Decimal("31"), Decimal("2")),
    ]
    rows = m.energy_dashboard(2026)
    assert all(isinstance(x, EnergyDashboardRow) for x in rows)
    siege = [r for r in rows if r.asset == "SIEGE" and r.source == "electricity"][0]
    assert (siege.kwh, siege.kwh_per_m2, siege.tenant) == (Decimal("35000"), Decimal("17.50"), "AGGLO")
    cols = m.energy_dashboard_table(2026)
    assert list(cols) == [
        "asset", "tenant", "source", "year", "kwh", "adjusted_kwh", "cost_ttc", "kwh_per_m2", "cost_per_m2",
    ]
    assert cols["kwh"] == [r.kwh for r in rows]


def test_the_suppliers_csv_and_the_json_round_trip() -> None:
    m = seed()
    head = "meter;number;date;from;to;consumption;unit;subscription_ht;consumption_ht;vat\n"
    bad = head + "ELEC;F-2;2027-02-01;2027-01-01;2027-01-31;-1;kwh;30,00;500,00;106,00\n"
    before = m.to_json()
    with pytest.raises(mutualis.MutualisError):
        m.import_energy_invoices(bad)
    assert m.to_json() == before
    good = head + "ELEC;F-2;2027-02-01;2027-01-01;2027-01-31;4000;kwh;30,00;500,00;106,00\n"
    assert m.import_energy_invoices(good) == 1
    back = Mutualis.from_json(m.to_json())
    assert back.to_json() == m.to_json()
    assert back.tertiary_status("ECOLE", 2026) == m.tertiary_status("ECOLE", 2026)


CASES: List[Any] = [
    (UnknownMeterError, lambda m: m.record_reading("NOPE", d(2027, 1, 1), 1)),
    (UnknownMeterError, lambda m: m.meter_year("NOPE", 2026)),
    (DuplicateMeterError, lambda m: m.add_meter("ELEC", "SIEGE", "gas", "m3")),
    (InvalidDeliveryPointError, lambda m: m.add_meter("E2", "SIEGE", "electricity", "kwh", delivery_point="123")),
    (IndexBelowLastError, lambda m: m.record_reading("ELEC-RDC", d(2027, 1, 31), 12999)),
    (UnitMismatchError, lambda m: m.record_energy_invoice(
        "ELEC", "F-9", d(2027, 2, 1), d(2027, 1, 1), d(2027, 1, 31), 10, "m3", 0, 1, 0)),
    (NegativeConsumptionError, lambda m: m.record_energy_invoice(
        "ELEC", "F-9", d(2027, 2, 1), d(2027, 1, 1), d(2027, 1, 31), -5, "kwh", 0, 1, 0)),
    (ReferenceYearTooEarlyError, lambda m: m.declare_tertiary_site("SIEGE", "bureaux", 2000, 2009, 1)),
    (MissingDjuError, lambda m: m.tertiary_status("ECOLE", 2025)),
    (MissingDjuError, lambda m: m.climate_corrected("AILLEURS", 2026, 1)),
]


@pytest.mark.parametrize("cls,call", CASES)
def test_errors_are_typed_and_change_nothing(cls: Type[Exception], call: Callable[[Mutualis], Any]) -> None:
    m = seed()
    before = m.to_json()
    with pytest.raises(cls):
        call(m)
    assert m.to_json() == before


def test_every_energy_error_is_exercised() -> None:
    assert {c[0] for c in CASES} == set(ENERGY_ERRORS_EXERCISED)


def shared_hall() -> Mutualis:
    """The HALLE (AGGLO's, managed by AGGLO/BAT) shared AGGLO 60 : MABLY 40,
    one electricity invoice of 1 200.00 TTC; MABLY's town hall (MABLY/TECH)
    heated by gas read 12 000 kWh over 2026, DJU 2 100 for a normal of 2 400."""
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_service("AGGLO", "BAT", "Bâtiments")
    m.add_service("MABLY", "TECH", "Services techniques")
    m.add_asset("HALLE", "Halle", "building", "AGGLO", d(1990, 1, 1), service=("AGGLO", "BAT"), floor_area=1200)
    m.add_asset("MAIRIE-M", "Mairie", "building", "MABLY", d(1990, 1, 1), service=("MABLY", "TECH"))
    m.set_sharing_key("HALLE", "agreed", {"AGGLO": 60, "MABLY": 40}, d(2026, 1, 1))
    m.add_budget("AGGLO", 2026)
    m.add_budget_line("AGGLO", 2026, "BAT-FONCT", "60612", 10000, service="BAT")
    m.add_meter("H-ELEC", "HALLE", "electricity", "kwh")
    m.record_energy_invoice(
        "H-ELEC", "F-2026-03", d(2026, 3, 5), d(2026, 2, 1), d(2026, 2, 28), 5000, "kwh",
        Decimal("200.00"), Decimal("800.00"), Decimal("200.00"),
    )
    m.add_meter("M-GAZ", "MAIRIE-M", "gas", "kwh", station="ROANNE-MTO")
    m.record_reading("M-GAZ", d(2025, 12, 31), 0)
    m.record_reading("M-GAZ", d(2026, 12, 31), 12000)
    m.set_dju("ROANNE-MTO", 2026, 2100)
    m.set_dju_reference("ROANNE-MTO", 2400)
    return m


def test_an_energy_invoice_is_in_the_ledger_with_its_own_nature() -> None:
    m = shared_hall()
    g = m.ledger_group(["payer", "nature", "service"])
    assert g["payer"] == ["AGGLO", "MABLY"]
    assert g["nature"] == ["energy", "energy"]
    assert g["service"] == ["AGGLO/BAT", "AGGLO/BAT"]
    assert g["ttc"] == [Decimal("720.00"), Decimal("480.00")]
    assert g["ht"] == [Decimal("600.00"), Decimal("400.00")]
    assert m.ledger_group(["payer"], nature="energy", payer="MABLY")["ttc"] == [Decimal("480.00")]
    cols = m.ledger_columns()
    assert cols["line"] == [None, None] and cols["work_order"] == [None, None]
    assert cols["nature"] == ["energy", "energy"]
    status = m.budget_status("AGGLO", 2026)
    assert (status[0].code, status[0].spent, status[0].remaining) == ("BAT-FONCT", Decimal("720.00"), Decimal("9280.00"))
    assert m.rollup("HALLE").energy.ttc == Decimal("1200.00")
    shares = m.energy_invoice_tenants("H-ELEC", "F-2026-03")
    assert [(s.key, s.cost_ttc, s.kwh) for s in shares] == [
        ("AGGLO", Decimal("720.00"), Decimal("3000")),
        ("MABLY", Decimal("480.00"), Decimal("2000")),
    ]


def test_consumption_and_cost_per_service_and_tenant() -> None:
    m = shared_hall()
    rows = m.energy_by_service(2026)
    assert all(isinstance(r, mutualis.EnergyBreakdownRow) for r in rows)
    assert [(r.tenant, r.service, r.source, r.kwh, r.adjusted_kwh, r.cost_ttc) for r in rows] == [
        ("AGGLO", "AGGLO/BAT", "electricity", Decimal("3000"), Decimal("3000"), Decimal("720.00")),
        ("MABLY", "AGGLO/BAT", "electricity", Decimal("2000"), Decimal("2000"), Decimal("480.00")),
        ("MABLY", "MABLY/TECH", "gas", Decimal("12000"), Decimal("13714.29"), Decimal("0")),
    ]
    by_tenant = m.energy_by_tenant(2026)
    assert [(r.tenant, r.service, r.source, r.kwh) for r in by_tenant] == [
        ("AGGLO", None, "electricity", Decimal("3000")),
        ("MABLY", None, "electricity", Decimal("2000")),
        ("MABLY", None, "gas", Decimal("12000")),
    ]
    table = m.energy_by_service_table(2026)
    assert table["service"] == ["AGGLO/BAT", "AGGLO/BAT", "MABLY/TECH"]
    assert table["adjusted_kwh"][2] == Decimal("13714.29")


def test_a_principal_reads_the_energy_of_what_it_sees() -> None:
    m = shared_hall()
    m.add_role("ENERGIE", "Lecture énergie", ["energy:read"])
    m.add_principal("agent.agglo", "Agent AGGLO", "agent", tenant="AGGLO")
    m.grant("agent.agglo", "ENERGIE", d(2000, 1, 1), tenant="AGGLO")
    r = m.as_principal("agent.agglo")
    assert [x.code for x in r.meters()] == ["H-ELEC"]
    assert [(x.tenant, x.kwh) for x in r.energy_by_service(2026)] == [
        ("AGGLO", Decimal("3000")),
        ("MABLY", Decimal("2000")),
    ]
    assert [x.asset for x in r.energy_dashboard(2026)] == ["HALLE"]
    assert len(r.energy_invoice_tenants("H-ELEC", "F-2026-03")) == 2
    with pytest.raises(mutualis.ForbiddenError):
        r.meter_year("M-GAZ", 2026)
