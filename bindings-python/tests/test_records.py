"""The record protocol (issue 19): every record class the API returns has
``__match_args__`` (its fields in declaration order), ``to_dict()`` (field →
value as the getters give it, in that order) and pickles (``__reduce__``) to
an equal record, so ``copy``, ``copy.deepcopy`` and ``multiprocessing``
work. A census makes sure no record class is left out: a new class fails
here until it has the protocol and a producer below."""

import ast
import copy
import datetime
import functools
import pathlib
import pickle
from decimal import Decimal
from typing import Any, Callable, Dict, List, Tuple

import pytest

import mutualis
import mutualis._mutualis as native
from mutualis import Mutualis, Store, schedule

import test_energy
import test_fleet
import test_furniture
import test_budget
import test_ownership
import test_leases
import test_open311
import test_planning
import test_workwear
from conftest import at, build_roannais_march_2026, d
from test_access import contractor_seed

# Handles, not frozen data records: the registry, the store, a table, a
# report and the request catalogue (a view of a registry).
NOT_RECORDS = {"Mutualis", "Store", "Table", "Report", "RequestCatalogue"}


def record_classes() -> Dict[str, type]:
    return {
        name: cls
        for name, cls in vars(native).items()
        if isinstance(cls, type)
        and not issubclass(cls, BaseException)
        and name not in NOT_RECORDS
        and not name.startswith("_")
    }


# --- one real registry per module, built once --------------------------------------------------


@functools.lru_cache(maxsize=None)
def march() -> Mutualis:
    m = build_roannais_march_2026()
    m.add_pooled_service(
        "SC-SPORTS", "AGGLO", ["SPORTS"], {"AGGLO": 5000, "ROANNE": 3000, "MABLY": 2000}, d(2026, 1, 1)
    )
    return m


@functools.lru_cache(maxsize=None)
def energy() -> Mutualis:
    m = test_energy.seed()
    m.add_meter("EAU", "ECOLE", "water", "m3")
    m.set_conversion("EAU", d(2000, 1, 1), 1)
    for y, q in ((2024, 31), (2025, 31), (2026, 93)):
        m.record_energy_invoice(
            "EAU", f"E-{y}", d(y, 2, 1), d(y, 1, 1), d(y, 1, 31), q, "m3", 0, Decimal("10.00"), Decimal("0.55"),
        )
    return m


@functools.lru_cache(maxsize=None)
def fleet() -> Mutualis:
    m = test_fleet.dashboards_seed()
    m.add_maintenance_plan(
        "PM-VAN", "VAN", "Vidange + filtres", d(2026, 1, 10), every_km=15_000, every_months=12, last_km=42_000
    )
    return m


@functools.lru_cache(maxsize=None)
def furniture() -> Mutualis:
    m = test_furniture.seed()
    number = test_furniture.number
    m.move_furniture(number(1), "DEPOT", d(2025, 1, 15))
    m.lend_furniture(number(3), "SIEGE-1", d(2026, 3, 1), until=d(2026, 6, 30))
    m.open_campaign("REC", "HDV", d(2026, 3, 2))
    for i in range(1, 41):
        if i not in (5, 30):
            m.record_scan("REC", number(i), test_furniture.room_of(i), d(2026, 3, 3))
    return m


@functools.lru_cache(maxsize=None)
def leases() -> Mutualis:
    m = test_leases.full()
    m.add_lease(
        "H-2", "R3", "ROANNE", "DUPONT", "residential", d(2026, 3, 10), Decimal("620.00"),
        periodicity="monthly", term="advance", charges_provision=Decimal("31.00"),
    )
    m.record_rent_receipt("H-2", d(2026, 3, 12), Decimal("440.00"), reference="T-1")
    m.record_charges("HOTEL-ENT", 2026, "energy", Decimal("7000.00"))
    m.add_budget("ROANNE", 2026, "ttc", "refuse")
    m.add_revenue_line("ROANNE", 2026, "752-LOYERS", "752", Decimal("12000.00"))
    m.assign_lease_budget_line("H-2", "ROANNE", "752-LOYERS")
    return m


@functools.lru_cache(maxsize=None)
def workwear() -> Mutualis:
    m = test_workwear.seed()
    test_workwear.pant(m, d(2026, 1, 15), 2)
    m.return_workwear("ROANNE", "M001", "EPI-PANT", d(2026, 8, 1), 1, "worn", size="42")
    m.set_workwear_policy("ROANNE", "warn")
    test_workwear.pant(m, d(2026, 9, 1), 2)
    return m


@functools.lru_cache(maxsize=None)
def open311() -> Tuple[Mutualis, mutualis.RequestCatalogue]:
    m, c = test_open311.seed()
    c.submit("R1", "citizen_portal", "eclairage", "Lampe", test_open311.T0, lat=46.01, lon=4.05)
    return m, c


def ingest_report() -> mutualis.IngestReport:
    pa = pytest.importorskip("pyarrow")  # the tables given are pyarrow tables
    import test_ingest

    tables = test_ingest.gymnasium()
    wo = tables["cost_lines"].column("work_order").to_pylist()
    wo[1] = "BT-NOPE"
    tables["cost_lines"] = tables["cost_lines"].set_column(0, "work_order", pa.array(wo))
    return Mutualis().ingest(tables, mode="report")


def stock_issue() -> mutualis.StockIssue:
    m = build_roannais_march_2026()
    return m.issue_stock("MAG-ROANNE", "PEINTURE-15L", d(2026, 3, 31), 1, "agent", agent="J. Martin")


@functools.lru_cache(maxsize=None)
def ownership() -> Mutualis:
    m = test_ownership.seed()
    m.transfer_ownership("ZAE", "AGGLO", d(2026, 7, 1))
    return m


@functools.lru_cache(maxsize=None)
def budget_warned() -> Mutualis:
    m = test_budget.agglo_sports_budget("warn")
    m.record_labour("BT-GYM", d(2026, 3, 13), 1)
    return m


def stored_event() -> mutualis.StoredEvent:
    s = Store.in_memory("server")
    work = s.checkout()
    work.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    s.commit(work)
    event = s.events_since(0)[0]
    s.close()
    return event


def import_report() -> mutualis.ImportReport:
    """A replica refusing the administrator's events: conflicts carry
    ``ForbiddenError`` instances with their typed fields."""
    central = Store.in_memory("central")
    central.commit(contractor_seed())
    strict = Store.in_memory("tablette-1")
    report = strict.import_events(central.export_since(0))
    central.close()
    strict.close()
    return report


def first(rows: List[Any]) -> Any:
    assert rows, "the producer gave no row"
    return rows[0]


# One real instance of every record class, made through the API.
PRODUCERS: Dict[str, Callable[[], Any]] = {
    # registry
    "VatLine": lambda: mutualis.vat_line(Decimal("100.00"), Decimal("20")),
    "Tenant": lambda: march().tenant("ROANNE"),
    "Service": lambda: first(march().services()),
    "Asset": lambda: march().asset("GYM-COUBERTIN"),
    "Custody": lambda: first(march().custody_history("GYM-COUBERTIN")),
    "Transfer": lambda: first(ownership().ownership_history("ZAE-HALLE")),
    "SharingKey": lambda: first(march().sharing_keys("MAISON-SERVICES")),
    "Holder": lambda: march().holder("GYM-COUBERTIN", d(2026, 3, 12)),
    "Payers": lambda: march().payers("MAISON-SERVICES", d(2026, 3, 12)),
    "Share": lambda: first(march().payers("MAISON-SERVICES", d(2026, 3, 12)).shares),
    "Allocation": lambda: first(march().split_cost("MAISON-SERVICES", d(2026, 3, 12), Decimal("100.00"))),
    # operations
    "Supplier": lambda: first(march().suppliers()),
    "Team": lambda: first(march().teams()),
    "LabourRate": lambda: first(march().labour_rates()),
    "VehicleRate": lambda: first(march().vehicle_rates()),
    "StockStore": lambda: first(march().stores()),
    "Item": lambda: first(march().items()),
    "StockLevel": lambda: march().stock_level("MAG-ROANNE", "PEINTURE-15L"),
    "StockIssue": lambda: stock_issue(),
    "Request": lambda: first(march().requests()),
    "StatusChange": lambda: first(first(march().requests()).history),
    "RequestDelays": lambda: march().request_delays(first(march().requests()).code),
    "WorkOrder": lambda: first(march().work_orders()),
    "CostLine": lambda: cost_line(),
    "Amounts": lambda: march().work_order_cost(first(march().work_orders()).code).labour,
    "CostSummary": lambda: march().work_order_cost(first(march().work_orders()).code),
    "Charge": lambda: first(march().work_order_charges(first(march().work_orders()).code)),
    "SupplierActivity": lambda: march().supplier_activity("SIGNA-LOIRE"),
    "JournalEntry": lambda: first(march().journal()),
    # settlement and budgets
    "Agreement": lambda: first(march().agreements()),
    "PooledService": lambda: first(march().pooled_services()),
    "Loan": lambda: first(march().loans()),
    "LoanUse": lambda: first(first(march().loans()).uses),
    "DebtLine": lambda: first(march().debt_lines(2026)),
    "Statement": lambda: march().statement(first(march().agreements()).code, 2026),
    "PooledStatement": lambda: march().pooled_statement("SC-SPORTS", 2026),
    "PooledShare": lambda: first(march().pooled_statement("SC-SPORTS", 2026).shares),
    "LoanStatement": lambda: march().loan_statement(first(march().loans()).code, 2026),
    "SettlementReport": lambda: march().settlement_report("AGGLO", "ROANNE", 2026),
    "SettlementItem": lambda: first(march().settlement_report("AGGLO", "ROANNE", 2026).items),
    "Debt": lambda: first(march().settlement_matrix(2026)),
    "Budget": lambda: first(march().budgets()),
    "BudgetLine": lambda: first(first(march().budgets()).lines),
    "BudgetLineStatus": lambda: first(march().budget_status("AGGLO", 2026)),
    "BudgetWarning": lambda: first(budget_warned().budget_warnings()),
    "FctvaEstimate": lambda: march().fctva_estimate("AGGLO", 2026),
    # planning
    "Operation": lambda: first(march().operations()),
    "Ap": lambda: march().ap("AP-2025-01"),
    "ApRevision": lambda: first(march().ap("AP-2025-01").revisions),
    "ApSituation": lambda: first(march().ap_situation("AGGLO", 2026)),
    "PpiRow": lambda: first(march().ppi_rows("AGGLO")),
    "Candidate": lambda: first(march().plan_candidates("AGGLO")),
    "Plan": lambda: schedule(test_planning.CANDIDATES, test_planning.caps(500), 2026, 2028),
    "Placed": lambda: first(schedule(test_planning.CANDIDATES, test_planning.caps(500), 2026, 2028).placed),
    # access
    "Principal": lambda: first(contractor_seed().principals()),
    "Role": lambda: first(contractor_seed().roles()),
    "Grant": lambda: first(contractor_seed().grants_of("veille.dupont")),
    "Scope": lambda: first(contractor_seed().grants_of("veille.dupont")).scope,
    # fleet
    "Vehicle": lambda: first(fleet().vehicles()),
    "Inspection": lambda: first(fleet().inspections("TRUCK")),
    "MaintenancePlan": lambda: first(fleet().maintenance_plans()),
    "DueItem": lambda: first(fleet().vehicle_due("VAN", d(2026, 6, 1))),
    "VehicleUse": lambda: fleet().vehicle_use("VAN", d(2026, 1, 1), d(2026, 12, 31)),
    "FleetDashboard": lambda: fleet().vehicle_dashboard("VAN", 2026),
    # furniture
    "FurnitureItem": lambda: first(furniture().furniture()),
    "FurnitureMove": lambda: first(furniture().furniture_moves(test_furniture.number(1))),
    "FurnitureLoan": lambda: first(furniture().furniture_loans()),
    "Campaign": lambda: first(furniture().campaigns()),
    "Scan": lambda: first(furniture().campaign_scans("REC")),
    "CampaignReport": lambda: furniture().campaign_report("REC"),
    "CampaignLine": lambda: first(furniture().campaign_report("REC").lines),
    "RoomCount": lambda: first(furniture().campaign_report("REC").rooms),
    # energy
    "Meter": lambda: first(energy().meters()),
    "MeterYear": lambda: energy().meter_year("ELEC", 2026),
    "InvoicePart": lambda: first(energy().invoice_parts("ELEC", "F-0")),
    "EnergyShare": lambda: first(energy().energy_invoice_tenants("ELEC", "F-0")),
    "TertiaryStatus": lambda: energy().tertiary_status("ECOLE", 2026),
    "EnergyAnomaly": lambda: first(energy().energy_anomalies("EAU", Decimal("0.5"))),
    "EnergyDashboardRow": lambda: first(energy().energy_dashboard(2026)),
    "EnergyBreakdownRow": lambda: first(energy().energy_by_service(2026)),
    # leases
    "Party": lambda: first(leases().parties()),
    "Lease": lambda: first(leases().leases()),
    "RentRevision": lambda: first(leases().revisions("BC-SHOP")),
    "RentCall": lambda: first(leases().rent_calls("H-2", d(2026, 3, 1), d(2026, 4, 30))),
    "Arrears": lambda: first(leases().lease_arrears(d(2026, 5, 15))),
    "ChargeShare": lambda: first(leases().charges_regularisation("HOTEL-ENT", 2026)),
    "InKindAid": lambda: first(leases().in_kind_aid(2026)),
    "AidLine": lambda: first(first(leases().in_kind_aid(2026)).lines),
    "AidAnnex": lambda: leases().in_kind_aid_annex("ROANNE", 2026, 35_544),
    "RentRollRow": lambda: first(leases().rent_roll(d(2026, 6, 1))),
    "RollTotal": lambda: first(leases().rent_roll_by(d(2026, 6, 1), "building")),
    "Occupancy": lambda: first(leases().occupancy(d(2026, 6, 1))),
    "Deadline": lambda: first(leases().lease_deadlines(d(2026, 6, 1), 12)),
    "RevenueLineStatus": lambda: first(leases().revenue_status("ROANNE", 2026)),
    # workwear
    "Agent": lambda: first(workwear().agents("ROANNE")),
    "WorkwearItem": lambda: first(workwear().workwear_items()),
    "Allotment": lambda: first(workwear().allotments("ROANNE")),
    "WorkwearIssue": lambda: first(workwear().workwear_issues("ROANNE")),
    "WorkwearReturn": lambda: first(workwear().workwear_returns("ROANNE")),
    "WorkwearHolding": lambda: first(workwear().agent_holdings("ROANNE", "M001")),
    "RenewalDue": lambda: first(workwear().renewals_due("ROANNE", d(2027, 12, 31))),
    "AllotmentWarning": lambda: first(workwear().allotment_warnings("ROANNE")),
    "WorkwearSpending": lambda: first(workwear().workwear_spending("ROANNE", 2026)),
    "RenewalForecast": lambda: first(workwear().renewal_forecast("ROANNE", 2027)),
    # requests portal
    "RequestStats": lambda: first(open311()[1].statistics("service")),
    "OverdueRequest": lambda: first(open311()[1].overdue(test_open311.T0 + datetime.timedelta(days=30))),
    # store, imports and ingestion (the reports without __eq__: they hold exceptions)
    "StoredEvent": stored_event,
    "CsvReport": lambda: march().import_assets_csv(
        "code;name;kind;owner;commissioned\nA1;Salle;room;ROANNE;2000-01-01\nA2;x;castle;ROANNE;2000-01-01\n"
    ),
    "ImportReport": import_report,
    "IngestReport": ingest_report,
    "IngestRowReport": lambda: first(ingest_report().errors),
}


def cost_line() -> mutualis.CostLine:
    m = build_roannais_march_2026()
    m.create_work_order("BT-PICKLE", "Essai", "GYM-COUBERTIN", team="ROANNE-SPORTS")
    m.set_work_order_status("BT-PICKLE", "in_progress", at(2026, 3, 31, 8))
    return m.record_labour("BT-PICKLE", d(2026, 3, 31), Decimal("2.5"))


# --- the census -------------------------------------------------------------------------------


def test_every_record_class_has_the_protocol_and_a_producer() -> None:
    classes = record_classes()
    assert len(classes) >= 110
    lacking = sorted(
        name
        for name, cls in classes.items()
        if not all(hasattr(cls, a) for a in ("__match_args__", "to_dict", "__reduce__"))
    )
    assert lacking == [], f"record classes without __match_args__/to_dict/__reduce__: {lacking}"
    assert sorted(set(classes) - set(PRODUCERS)) == [], "record classes with no producer in PRODUCERS"
    assert sorted(set(PRODUCERS) - set(classes)) == []


def stub_properties() -> Dict[str, List[str]]:
    """Property names of each class of the installed stub, in order."""
    stub = pathlib.Path(native.__file__).with_name("_mutualis.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    out: Dict[str, List[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = [
                f.name
                for f in node.body
                if isinstance(f, ast.FunctionDef)
                and any(isinstance(x, ast.Name) and x.id == "property" for x in f.decorator_list)
            ]
    return out


def field_equal(a: Any, b: Any) -> bool:
    """Equal, record by record and field by field (not only through ``__eq__``)."""
    if type(a) is not type(b):
        return False
    if hasattr(a, "__match_args__"):
        return all(field_equal(getattr(a, f), getattr(b, f)) for f in a.__match_args__)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(field_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, BaseException):  # no __eq__: the class, the args, the typed fields
        return a.args == b.args and vars(a) == vars(b) and str(a) == str(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(field_equal(a[k], b[k]) for k in a)
    return bool(a == b)


@pytest.mark.parametrize("name", sorted(PRODUCERS))
def test_the_protocol_of(name: str) -> None:
    cls = getattr(native, name)
    r = PRODUCERS[name]()
    assert type(r) is cls
    fields = cls.__match_args__
    assert isinstance(fields, tuple) and fields and all(isinstance(f, str) for f in fields)
    # the attributes: every public data attribute, in the stub's order
    data = [a for a in dir(r) if not a.startswith("_") and not callable(getattr(r, a))]
    assert sorted(data) == sorted(fields)
    assert list(fields) == stub_properties()[name]
    # to_dict: same keys in the same order, values as the getters give them
    as_dict = r.to_dict()
    assert type(as_dict) is dict and list(as_dict) == list(fields)
    for f in fields:
        assert field_equal(as_dict[f], getattr(r, f)), f
    # pickling, all protocols, and the copies
    has_eq = "__eq__" in vars(cls)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(r, protocol=protocol))
        assert type(back) is cls and field_equal(back, r)
        assert back == r if has_eq else back is not r
        assert field_equal(back.to_dict(), as_dict)
    for twin in (copy.copy(r), copy.deepcopy(r)):
        assert field_equal(twin, r)
        if has_eq:
            assert twin == r
    assert repr(pickle.loads(pickle.dumps(r))) == repr(r)
    if has_eq and cls.__hash__ is not None:
        assert hash(pickle.loads(pickle.dumps(r))) == hash(r)


def test_the_pickle_names_the_module_function_and_the_class() -> None:
    t = march().tenant("ROANNE")
    rebuild, (cls, fields) = t.__reduce__()
    assert rebuild is native._rebuild and cls is mutualis.Tenant
    assert fields == t.to_dict()
    data = pickle.dumps(t)
    assert b"mutualis._mutualis" in data and b"_rebuild" in data and b"Tenant" in data


def test_a_bad_rebuild_is_refused_naming_the_field() -> None:
    t = march().tenant("ROANNE")
    good = t.to_dict()
    with pytest.raises(mutualis.ArgumentTypeError, match="missing fields"):
        native._rebuild(mutualis.Tenant, {k: v for k, v in good.items() if k != "siren"})
    with pytest.raises(mutualis.ArgumentTypeError, match="unknown field 'colour'"):
        native._rebuild(mutualis.Tenant, {**good, "colour": "blue"})
    with pytest.raises(mutualis.ArgumentTypeError, match='field "member_of"'):
        native._rebuild(mutualis.Tenant, {**good, "member_of": "AGGLO"})
    with pytest.raises(mutualis.ArgumentTypeError, match='field "year"'):
        native._rebuild(mutualis.LabourRate, {**march().labour_rates()[0].to_dict(), "year": "2026"})
    with pytest.raises(mutualis.ArgumentTypeError, match="^Mutualis is not a mutualis record class$"):
        native._rebuild(Mutualis, good)
    # a good mapping rebuilds the same record
    assert native._rebuild(mutualis.Tenant, good) == t


def test_reports_pickle_their_exceptions_with_the_typed_fields() -> None:
    report = import_report()
    back = pickle.loads(pickle.dumps(report))
    assert report.conflicts and len(back.conflicts) == len(report.conflicts)
    (seq, err), (seq_back, err_back) = report.conflicts[0], back.conflicts[0]
    assert seq_back == seq and type(err_back) is type(err) is mutualis.ForbiddenError
    assert (err_back.principal, err_back.action, err_back.target) == (err.principal, err.action, err.target)
    assert str(err_back) == str(err) and err_back.kind == "forbidden"
    csv = PRODUCERS["CsvReport"]()
    assert csv.errors and [line for line, _ in pickle.loads(pickle.dumps(csv)).errors] == [
        line for line, _ in csv.errors
    ]


def test_nested_records_stay_records_in_to_dict() -> None:
    p = march().payers("MAISON-SERVICES", d(2026, 3, 12))
    shares = p.to_dict()["shares"]
    assert isinstance(shares, list) and all(isinstance(s, mutualis.Share) for s in shares)
    s = march().work_order_cost(first(march().work_orders()).code).to_dict()
    assert isinstance(s["labour"], mutualis.Amounts) and isinstance(s["total"], mutualis.Amounts)
    entry = first(march().journal()).to_dict()
    assert list(entry)[:5] == ["seq", "at", "actor", "tenant", "type"]
    assert isinstance(entry["at"], datetime.datetime) and entry["at"].tzinfo is not None
