"""The fleet (parc auto, issue 13): the register, meters, fuel, inspections
and maintenance plans from Python; the hand-worked cases of the issue, every
method and error, and the analyst's flow (a register and a fuel-card CSV, what
is due in the next 60 days, cost per km per service as columns)."""

from decimal import Decimal
from typing import Any, Callable, List, Type

import pytest

import mutualis
from mutualis import (
    DueItem,
    InvalidRegistrationError,
    InvalidVinError,
    MeterRegressionError,
    Mutualis,
    NotInFleetError,
    Vehicle,
)

from conftest import d

FLEET_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    InvalidRegistrationError,
    InvalidVinError,
    NotInFleetError,
    MeterRegressionError,
]


def seed() -> Mutualis:
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_service("ROANNE", "VOIRIE", "Voirie")
    m.add_service("ROANNE", "EV", "Espaces verts")
    m.add_asset("VAN", "Kangoo", "vehicle", "ROANNE", d(2022, 3, 15))
    m.add_asset("TRUCK", "Benne", "vehicle", "ROANNE", d(2025, 5, 1))
    m.add_asset("NACELLE", "Nacelle", "equipment", "ROANNE", d(2024, 1, 1))
    m.add_asset("GYM", "Gymnase", "building", "ROANNE", d(1975, 9, 1))
    m.register_vehicle(
        "VAN", "van", "diesel", registration="ga-123-bc", first_registration=d(2022, 3, 15),
        vin="VF1FW0ZBC12345678", service_tenant="ROANNE", service="VOIRIE",
    )
    m.register_vehicle(
        "TRUCK", "truck_over_3_5t", "diesel", registration="1234 AB 42",
        first_registration=d(2025, 5, 1), service_tenant="ROANNE", service="VOIRIE",
    )
    m.register_vehicle("NACELLE", "aerial_work_platform", "electric", service_tenant="ROANNE", service="EV")
    m.add_team("GARAGE", "ROANNE", "Garage")
    return m


def due(m: Mutualis, vehicle: str, on: Any, what: str) -> DueItem:
    return next(x for x in m.vehicle_due(vehicle, on) if x.what == what)


def test_the_register() -> None:
    m = seed()
    v = m.vehicle("VAN")
    assert isinstance(v, Vehicle)
    assert (v.registration, v.category, v.weight, v.energy) == ("GA-123-BC", "van", "up_to_3_5t", "diesel")
    assert (v.service_tenant, v.service, v.status, v.lifts_persons) == ("ROANNE", "VOIRIE", "in_service", False)
    assert [x.asset for x in m.vehicles()] == ["VAN", "TRUCK", "NACELLE"]
    assert m.vehicle("NACELLE").lifts_persons
    assert m.vehicle("TRUCK").weight == "over_3_5t"
    m.set_vehicle_status("TRUCK", "immobilised", d(2026, 2, 1))
    assert (m.vehicle("TRUCK").status, m.vehicle("TRUCK").status_since) == ("immobilised", d(2026, 2, 1))
    assert "VAN" in repr(v)


def test_hand_worked_inspections() -> None:
    m = seed()
    assert due(m, "VAN", d(2026, 1, 1), "controle_technique").due == d(2026, 3, 15)
    m.record_inspection("VAN", "controle_technique", d(2026, 2, 10), "passed")
    row = due(m, "VAN", d(2026, 2, 10), "controle_technique")
    assert (row.due, row.overdue, row.owner) == (d(2028, 2, 10), False, "ROANNE")
    assert "R323-22" in row.basis
    assert due(m, "TRUCK", d(2026, 1, 1), "controle_technique").due == d(2026, 5, 1)
    m.record_inspection("NACELLE", "vgp", d(2026, 6, 1), "passed")
    assert due(m, "NACELLE", d(2026, 12, 1), "vgp").overdue is False
    row = due(m, "NACELLE", d(2026, 12, 2), "vgp")
    assert (row.due, row.overdue) == (d(2026, 12, 1), True)
    [i] = m.inspections("NACELLE")
    assert (i.kind, i.date, i.result, i.counter_visit_by) == ("vgp", d(2026, 6, 1), "passed", None)


def test_counter_visit_and_failure() -> None:
    m = seed()
    m.record_inspection("VAN", "controle_technique", d(2026, 2, 10), "counter_visit", counter_visit_by=d(2026, 4, 10))
    assert due(m, "VAN", d(2026, 3, 1), "controle_technique").due == d(2026, 4, 10)
    m.record_inspection("VAN", "controle_technique", d(2026, 4, 1), "failed")
    assert m.vehicle("VAN").status == "immobilised"


def test_hand_worked_maintenance_plan_and_its_work_order() -> None:
    m = seed()
    m.add_maintenance_plan(
        "PM-VAN", "VAN", "Vidange + filtres", d(2026, 1, 10), every_km=15_000, every_months=12, last_km=42_000
    )
    row = due(m, "VAN", d(2026, 1, 10), "maintenance")
    assert (row.plan, row.due_km, row.due) == ("PM-VAN", 57_000, d(2027, 1, 10))
    [p] = m.maintenance_plans()
    assert (p.code, p.every_km, p.every_months, p.last_km) == ("PM-VAN", 15_000, 12, 42_000)
    assert m.maintenance_work_order("PM-VAN", "OT-PM-1", "GARAGE") == "OT-PM-1"
    assert m.work_order("OT-PM-1").asset == "VAN"
    m.record_meter_reading("VAN", "km", d(2026, 5, 2), 47_000)
    m.record_maintenance("PM-VAN", d(2026, 5, 2))
    assert m.maintenance_plans()[0].last_km == 47_000
    m.record_maintenance("PM-VAN", d(2026, 6, 1), km=48_000, hours=None)
    assert m.maintenance_plans()[0].last_date == d(2026, 6, 1)


def test_meters_fuel_and_use() -> None:
    m = seed()
    m.record_meter_reading("VAN", "km", d(2026, 1, 1), 40_000)
    m.record_meter_reading("VAN", "km", d(2026, 1, 31), 41_000)
    m.record_fuel("VAN", d(2026, 1, 5), Decimal("35"), Decimal("52.50"), 20)
    m.record_fuel("VAN", d(2026, 1, 20), Decimal("35"), Decimal("53.50"), Decimal("20"), unit="litres")
    m.record_fuel("NACELLE", d(2026, 1, 20), Decimal("30.5"), Decimal("6.10"), 20, unit="kwh")
    u = m.vehicle_use("VAN", d(2026, 1, 1), d(2026, 1, 31))
    assert (u.km, u.litres, u.litres_per_100km, u.cost_per_km) == (1_000, Decimal("70"), Decimal("7"), Decimal("0.106"))
    assert u.kwh_per_100km is None
    assert m.vehicle_use("NACELLE", d(2026, 1, 1), d(2026, 1, 31)).kwh == Decimal("30.5")
    m.replace_meter("VAN", "km", d(2026, 2, 1), 10)
    assert m.meter_readings("VAN", "km")[-1] == (d(2026, 2, 1), 10, True)
    m.record_meter_reading("NACELLE", "hours", d(2026, 2, 1), 300)
    assert m.meter_readings("NACELLE", "hours") == [(d(2026, 2, 1), 300, False)]


Case = Callable[[Mutualis], Any]

CASES: List[Any] = [
    (MeterRegressionError, lambda m: m.record_meter_reading("VAN", "km", d(2026, 3, 2), 49_999)),
    (MeterRegressionError, lambda m: m.record_meter_reading("VAN", "km", d(2026, 2, 1), 60_000)),
    (InvalidRegistrationError, lambda m: m.register_vehicle("CAR", "car", "petrol", registration="GI-123-BC", first_registration=d(2020, 1, 1))),
    (InvalidVinError, lambda m: m.register_vehicle("CAR", "car", "petrol", vin="VF1FW0ZBC1234567I")),
    (NotInFleetError, lambda m: m.register_vehicle("GYM", "car", "petrol")),
    (NotInFleetError, lambda m: m.register_vehicle("VAN", "van", "diesel")),
    (NotInFleetError, lambda m: m.record_meter_reading("GYM", "km", d(2026, 3, 2), 1)),
    (NotInFleetError, lambda m: m.record_maintenance("NOPE", d(2026, 3, 2))),
    (NotInFleetError, lambda m: m.vehicle("GYM")),
    (mutualis.UnknownKindError, lambda m: m.register_vehicle("CAR", "spaceship", "petrol")),
    (mutualis.UnknownKindError, lambda m: m.record_meter_reading("VAN", "miles", d(2026, 3, 2), 1)),
    (mutualis.UnknownAssetError, lambda m: m.record_meter_reading("NOPE", "km", d(2026, 3, 2), 1)),
    (mutualis.InvalidQuantityError, lambda m: m.record_fuel("VAN", d(2026, 3, 2), 0, 1, 20)),
    (mutualis.SubCentAmountError, lambda m: m.record_fuel("VAN", d(2026, 3, 2), 1, Decimal("1.001"), 20)),
    (mutualis.UnknownVatRateError, lambda m: m.record_fuel("VAN", d(2026, 3, 2), 1, 1, 19)),
    (mutualis.InvalidFieldError, lambda m: m.add_maintenance_plan("PM", "VAN", "x", d(2026, 1, 1))),
    (mutualis.InvalidFieldError, lambda m: m.register_vehicle("CAR", "car", "petrol", service="VOIRIE")),
    (mutualis.DatesOutOfOrderError, lambda m: m.record_inspection("VAN", "controle_technique", d(2026, 3, 2), "counter_visit", counter_visit_by=d(2026, 3, 1))),
]


@pytest.mark.parametrize("cls,call", CASES)
def test_refusals_change_nothing(cls: Type[Exception], call: Case) -> None:
    m = seed()
    m.add_asset("CAR", "Clio", "vehicle", "ROANNE", d(2020, 1, 1))
    m.record_meter_reading("VAN", "km", d(2026, 3, 1), 50_000)
    before = m.to_json()
    n = len(m.journal())
    with pytest.raises(cls):
        call(m)
    assert m.to_json() == before
    assert len(m.journal()) == n


def test_error_classes_are_in_the_hierarchy() -> None:
    assert issubclass(InvalidRegistrationError, mutualis.ValidationError)
    assert issubclass(InvalidVinError, mutualis.ValidationError)
    assert issubclass(NotInFleetError, mutualis.NotFoundError)
    assert issubclass(MeterRegressionError, mutualis.ConflictError)


def test_the_fleet_reloads_from_json() -> None:
    m = seed()
    m.record_meter_reading("VAN", "km", d(2026, 1, 10), 42_000)
    m.record_fuel("VAN", d(2026, 1, 11), 40, Decimal("60.00"), 20)
    m.record_inspection("TRUCK", "controle_technique", d(2026, 4, 20), "failed")
    m.add_maintenance_plan("PM", "VAN", "Vidange", d(2026, 1, 10), every_km=15_000, last_km=42_000)
    back = Mutualis.from_json(m.to_json())
    assert back.to_json() == m.to_json()
    assert back.vehicle("TRUCK").status == "immobilised"


REGISTER = """asset;name;owner;category;energy;registration;first_registration;service_tenant;service
VL-10;Berlingo;ROANNE;van;diesel;AB-456-CD;01/06/2023;ROANNE;VOIRIE
VL-11;Zoé;ROANNE;car;electric;AB-IOU-CD;2023-06-01;;
PL-12;Benne;ROANNE;truck_over_3_5t;diesel;AB-789-CD;2025-06-01;ROANNE;VOIRIE
"""

FUEL_CARD = """date;registration;km;quantity;ht;vat_rate
2026-01-05;AB-456-CD;10 000;40,5;60,75;20
2026-02-05;AB-456-CD;11 000;41;61,50;20
2026-03-05;AB-456-CD;10 500;;;
2026-01-05;AB-789-CD;5 000;80;120,00;20
2026-03-05;AB-789-CD;7 000;90;135,00;20
"""


def test_the_analyst_flow() -> None:
    m = seed()
    with pytest.raises(mutualis.CsvRowsError):
        m.import_vehicles_csv(REGISTER, all_or_nothing=True)
    report = m.import_vehicles_csv(REGISTER)
    assert report.imported == 2
    [(line, err)] = report.errors
    assert line == 3 and isinstance(err, InvalidRegistrationError)
    report = m.import_fleet_lines_csv(FUEL_CARD)
    assert report.imported == 4
    [(line, err)] = report.errors
    assert line == 4 and isinstance(err, MeterRegressionError)
    m.record_inspection("VAN", "controle_technique", d(2026, 2, 10), "passed")
    m.record_inspection("NACELLE", "vgp", d(2026, 3, 1), "passed")
    # what is due in the next 60 days from 2026-04-01: the truck's first CT (2026-05-01)
    due_list = m.fleet_due(d(2026, 4, 1), 60)
    assert [(x.vehicle, x.what, x.due) for x in due_list] == [("TRUCK", "controle_technique", d(2026, 5, 1))]
    table = m.fleet_due_table(d(2026, 4, 1), 60)
    assert table["vehicle"] == ["TRUCK"] and table["basis"][0].startswith("Code de la route")
    assert set(table) == {"vehicle", "owner", "service_tenant", "service", "what", "plan", "due", "due_km", "due_hours", "overdue", "basis"}
    # cost per km per service, as columns
    cols = m.cost_per_km_table(d(2026, 1, 1), d(2026, 3, 31))
    i = cols["service"].index("VOIRIE")
    assert (cols["tenant"][i], cols["vehicles"][i], cols["km"][i]) == ("ROANNE", 4, 3_000)
    assert cols["energy_ht"][i] == Decimal("377.25")
    assert cols["cost_per_km"][i] == Decimal("0.1258")
    assert len({len(v) for v in cols.values()}) == 1


def test_fleet_queries_through_a_principal() -> None:
    """A bound object's fleet queries go through the core's reader: a service
    agent sees its service's vehicles, a contractor without fleet grant none."""
    m = seed()
    m.record_fuel("NACELLE", d(2026, 1, 20), Decimal("30.5"), Decimal("6.10"), 20, unit="kwh")
    m.add_supplier("GARAGE-SA", "Garage SA", "73282932000074")
    m.add_role("PARC", "Parc (lecture)", ["fleet:read"])
    m.add_role("TRAVAUX", "Travaux", ["work:write", "assets:read"])
    m.add_principal("ev", "Agent EV", "agent", tenant="ROANNE")
    m.add_principal("presta", "Prestataire", "contractor", supplier="GARAGE-SA")
    m.grant("ev", "PARC", d(2020, 1, 1), tenant="ROANNE", service="EV")
    m.grant("presta", "TRAVAUX", d(2020, 1, 1), tenant="ROANNE")
    ev = m.as_principal("ev")
    assert [v.asset for v in ev.vehicles()] == ["NACELLE"]
    assert ev.vehicle("NACELLE").category == "aerial_work_platform"
    with pytest.raises(mutualis.ForbiddenError, match="VAN"):
        ev.vehicle("VAN")
    with pytest.raises(mutualis.ForbiddenError):
        ev.meter_readings("VAN", "km")
    assert {x.vehicle for x in ev.fleet_due(d(2026, 6, 1), 365)} == {"NACELLE"}
    assert len(m.fleet_due(d(2026, 6, 1), 365)) > len(ev.fleet_due(d(2026, 6, 1), 365))
    cols = ev.cost_per_km_table(d(2026, 1, 1), d(2026, 12, 31))
    assert cols["service"] == ["EV"] and cols["energy_ht"] == [Decimal("6.10")]
    presta = m.as_principal("presta")
    assert presta.vehicles() == [] and presta.maintenance_plans() == []
    assert presta.fleet_due(d(2026, 6, 1), 365) == []
    with pytest.raises(mutualis.ForbiddenError):
        presta.vehicle_use("VAN", d(2026, 1, 1), d(2026, 12, 31))
    with pytest.raises(mutualis.ForbiddenError) as refused:
        presta.cost_per_km_table(d(2026, 1, 1), d(2026, 12, 31))
    assert refused.value.action.startswith("fleet:read")


def dashboards_seed() -> Mutualis:
    m = seed()
    m.add_asset("MOWER", "Tondeuse", "equipment", "ROANNE", d(2020, 4, 1))
    m.register_vehicle("MOWER", "mower", "petrol", service_tenant="ROANNE", service="EV")
    m.set_labour_rate("ROANNE", 2026, Decimal("40"))
    m.set_vehicle_purchase("VAN", Decimal("30000.00"), d(2022, 3, 15), 7)
    m.set_vehicle_status("VAN", "immobilised", d(2026, 3, 1))
    m.set_vehicle_status("VAN", "in_service", d(2026, 3, 11))
    m.record_meter_reading("VAN", "km", d(2026, 1, 1), 40_000)
    m.record_meter_reading("VAN", "km", d(2026, 12, 31), 52_000)
    m.record_fuel("VAN", d(2026, 2, 2), Decimal("50"), Decimal("80.00"), 20)
    m.record_fuel("VAN", d(2026, 7, 10), Decimal("50"), Decimal("86.00"), 20)
    m.record_vehicle_cost("VAN", d(2026, 1, 5), "insurance", "Assurance flotte 2026", Decimal("612.40"))
    m.record_vehicle_cost("VAN", d(2026, 1, 5), "tax", "Carte grise", Decimal("46.00"))
    m.record_inspection("TRUCK", "controle_technique", d(2026, 4, 20), "failed")
    m.record_inspection("TRUCK", "controle_technique", d(2026, 5, 4), "passed")
    m.set_vehicle_status("MOWER", "reformed", d(2026, 5, 1))
    return m


def test_the_yearly_dashboards_by_hand() -> None:
    m = dashboards_seed()
    van = m.vehicle_dashboard("VAN", 2026)
    # immobilised 2026-03-01 to 2026-03-10 inclusive: 10 days
    assert (van.days_in_fleet, van.days_immobilised, van.days_available, van.days_used) == (365, 10, 355, 2)
    assert van.utilisation == Decimal("0.0056")  # 2 fuel days / 355
    assert (van.km, van.energy_ht, van.energy_ttc) == (12_000, Decimal("166.00"), Decimal("199.20"))
    assert van.cost_per_km == Decimal("0.0138")  # 166.00 / 12 000
    # 30 000.00 over 7 years: 4 285.71 a year, the 7th 4 285.74
    assert van.amortisation == Decimal("4285.71")
    assert m.vehicle_dashboard("VAN", 2028).amortisation == Decimal("4285.74")
    assert sum(m.vehicle_dashboard("VAN", y).amortisation for y in range(2022, 2029)) == Decimal("30000.00")
    assert van.other_costs == Decimal("658.40")
    assert van.tco == Decimal("4285.71") + Decimal("199.20") + Decimal("658.40")
    # failed 2026-04-20, passed 2026-05-04: 14 days
    assert m.vehicle_dashboard("TRUCK", 2026).days_immobilised == 14
    assert m.vehicle_dashboard("MOWER", 2026).days_in_fleet == 120
    rows = m.fleet_dashboard(2026)
    assert [r.vehicle for r in rows] == ["VAN", "TRUCK", "NACELLE", "MOWER"]
    by_service = {r.service: r for r in m.fleet_dashboard_by_service(2026)}
    assert by_service["VOIRIE"].vehicles == 2 and by_service["VOIRIE"].vehicle is None
    assert by_service["VOIRIE"].days_immobilised == 24
    assert by_service["EV"].days_in_fleet == 365 + 120
    cols = m.fleet_dashboard_by_service_table(2026)
    i = cols["service"].index("VOIRIE")
    assert (cols["tenant"][i], cols["tco"][i]) == ("ROANNE", van.tco)
    assert len({len(v) for v in cols.values()}) == 1
    table = m.fleet_dashboard_table(2026)
    assert table["vehicle"] == ["VAN", "TRUCK", "NACELLE", "MOWER"]
    assert table["days_immobilised"] == [10, 14, 0, 0]
    # refusals change nothing
    before = m.to_json()
    with pytest.raises(mutualis.InvalidFieldError):
        m.set_vehicle_purchase("VAN", Decimal("1000"), d(2026, 1, 1), 0)
    with pytest.raises(mutualis.InvalidQuantityError):
        m.record_vehicle_cost("VAN", d(2026, 1, 1), "insurance", "x", Decimal("-1"))
    with pytest.raises(mutualis.UnknownKindError):
        m.record_vehicle_cost("VAN", d(2026, 1, 1), "parking-ticket", "x", Decimal("1"))  # type: ignore[arg-type]
    with pytest.raises(mutualis.YearOutOfRangeError):
        m.fleet_dashboard(1200)
    assert m.to_json() == before
    # and they reload
    back = Mutualis.from_json(before)
    assert back.vehicle_dashboard("VAN", 2026) == van


def test_fni_departements_and_a_bus_first_inspection() -> None:
    m = seed()
    for i, plate in enumerate(["1234 AB 00", "1234 AB 96", "1234 AB 977", "1234 AB 2C"]):
        m.add_asset(f"OLD-{i}", "Ancien", "vehicle", "ROANNE", d(2005, 1, 1))
        with pytest.raises(InvalidRegistrationError):
            m.register_vehicle(f"OLD-{i}", "car", "petrol", registration=plate, first_registration=d(2005, 1, 1))
    m.register_vehicle("OLD-0", "car", "petrol", registration="45 AB 974", first_registration=d(2005, 1, 1))
    assert m.vehicle("OLD-0").registration == "45 AB 974"
    # a bus: first periodic contrôle technique six months after its first registration (R323-23)
    m.add_asset("BUS", "Navette", "vehicle", "ROANNE", d(2026, 1, 15))
    m.register_vehicle("BUS", "bus", "electric", registration="GB-456-CD", first_registration=d(2026, 1, 15))
    ct = due(m, "BUS", d(2026, 7, 15), "controle_technique")
    assert (ct.due, ct.overdue) == (d(2026, 7, 15), False)
    assert "R323-23" in ct.basis
    assert due(m, "BUS", d(2026, 7, 16), "controle_technique").overdue
