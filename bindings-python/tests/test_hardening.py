"""Hardening: extreme or wrong inputs raise a named ``MutualisError``
subclass that names the argument, never a ``PanicException`` or a bare
``OverflowError``; each case was seen by running the library as a new user
would (issue 11)."""

import datetime
import json
import os
import random
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Type

import pytest

import mutualis
from mutualis import (
    ArgumentOutOfRangeError,
    CorruptStoreError,
    DuplicateSiretError,
    InvalidFieldError,
    InvalidJsonError,
    MutualisError,
    Mutualis,
    Store,
    UnknownKindError,
    YearNotNextError,
    YearOutOfRangeError,
)

from conftest import d
from test_planning import k, seed, vote_gym


class Case(NamedTuple):
    cls: Type[MutualisError]
    base: type
    call: Callable[[Mutualis], Any]
    match: str = ""


def small() -> Mutualis:
    """ROANNE and AGGLO, a gymnasium, a van, a régie team with a 2026 rate,
    a store and an item, a work order in progress."""
    m = Mutualis()
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_tenant("ROANNE", "Roanne", "commune", "214218703", "42187")
    m.join("ROANNE", "AGGLO")
    m.add_asset("GYM", "Gymnase", "building", "ROANNE", d(1975, 9, 1))
    m.add_asset("VAN", "Fourgon", "vehicle", "ROANNE", d(2015, 1, 1))
    m.add_team("T", "ROANNE", "Régie")
    m.set_labour_rate("ROANNE", 2026, Decimal("38.50"))
    m.add_store("S", "ROANNE", "Magasin")
    m.add_item("I", "Peinture", "l")
    m.create_work_order("W", "Peinture", "GYM", team="T")
    m.set_work_order_status("W", "in_progress", datetime.datetime(2026, 1, 1, 8, tzinfo=datetime.timezone.utc))
    return m


# --- the defects seen, one test each ------------------------------------------------


def test_ap_situation_with_the_largest_i32_is_a_typed_error() -> None:
    m = seed()
    vote_gym(m)
    with pytest.raises(YearOutOfRangeError, match=r"year 2147483647 is outside 1900..=2200") as info:
        m.ap_situation("ROANNE", 2**31 - 1)
    assert (info.value.field, info.value.year) == ("year", 2**31 - 1)
    with pytest.raises(YearOutOfRangeError):
        mutualis.schedule([], {}, 2**31 - 2, 2**31 - 1)
    with pytest.raises(YearOutOfRangeError) as info:
        mutualis.schedule([mutualis.Candidate("OP", "ROANNE", 1, k(1), 2**31 - 1, [1])], {}, 2026, 2030)
    assert info.value.field == "earliest_year"
    with pytest.raises(YearOutOfRangeError):
        mutualis.schedule([], {("ROANNE", 2**40): k(1)}, 2026, 2030)
    with pytest.raises(YearOutOfRangeError):
        mutualis.schedule([], {}, 2026, 2030, index={-(2**70): Decimal(1)})


def test_historic_assets_are_accepted_but_not_absurd_years() -> None:
    m = small()
    m.add_asset("EGLISE", "Église Saint-Étienne", "building", "ROANNE", d(1850, 5, 1))
    with pytest.raises(YearOutOfRangeError, match="commissioned: year 999 is outside 1000..=2200"):
        m.add_asset("RUINE", "Ruine", "building", "ROANNE", d(999, 1, 1))
    with pytest.raises(YearOutOfRangeError, match="date: year 1850 is outside 1900..=2200"):
        m.record_labour("W", d(1850, 5, 1), 1)


def test_integers_beyond_their_type_name_the_argument() -> None:
    m = small()
    with pytest.raises(YearOutOfRangeError) as year:
        m.set_labour_rate("ROANNE", 2**31, Decimal(10))
    assert year.value.field == "year" and not isinstance(year.value, OverflowError)
    with pytest.raises(ArgumentOutOfRangeError, match="lapse_after_years") as lapse:
        m.set_rbf_rules("ROANNE", True, lapse_after_years=-1)
    assert (lapse.value.argument, lapse.value.value, lapse.value.range) == (
        "lapse_after_years", "-1", "0..=4294967295")
    with pytest.raises(InvalidFieldError, match="1 to 100 years"):
        m.set_rbf_rules("ROANNE", True, lapse_after_years=0)
    with pytest.raises(ArgumentOutOfRangeError) as priority:
        m.add_operation("OP", "ROANNE", "Toiture", "couverture", -5, k(1), 2026, [1])
    assert priority.value.argument == "priority"
    with pytest.raises(ArgumentOutOfRangeError, match="argument \"priority\": 1267650600228229401496703205376"):
        mutualis.Candidate("OP", "ROANNE", 2**100, k(1), 2026, [1])
    with pytest.raises(YearOutOfRangeError):
        m.vote_ap("AP", "ROANNE", "T", 2026, k(1), {2**40: k(1)})
    with pytest.raises(YearOutOfRangeError):
        m.settlement_matrix(10**30)
    with pytest.raises(mutualis.ArgumentTypeError, match="expected int for year, got str"):
        m.settlement_matrix("2026")  # type: ignore[arg-type]
    store = Store.in_memory("t")
    with pytest.raises(ArgumentOutOfRangeError) as seq:
        store.events_since(2**70)
    assert seq.value.argument == "seq"


def test_a_building_is_not_lent_as_a_vehicle() -> None:
    m = small()
    before = m.to_json()
    with pytest.raises(InvalidFieldError, match="is a building, not a vehicle"):
        m.lend_vehicle("PRET", "GYM", "AGGLO", "day", d(2026, 1, 1))
    assert m.to_json() == before
    m.lend_vehicle("PRET", "VAN", "AGGLO", "day", d(2026, 1, 1))


def test_material_is_not_issued_before_its_first_receipt() -> None:
    m = small()
    level = m.receive_stock("S", "I", d(2026, 3, 1), 10, Decimal("4.50"))
    assert level.first_receipt == d(2026, 3, 1)
    before = m.to_json()
    with pytest.raises(InvalidFieldError, match="before the first receipt of I in store S"):
        m.record_material("W", d(2026, 2, 27), "S", "I", 1)
    assert m.to_json() == before
    m.record_material("W", d(2026, 3, 2), "S", "I", 1)
    assert m.stock_level("S", "I").quantity == Decimal(9)


def test_two_suppliers_cannot_share_a_siret() -> None:
    m = small()
    m.add_supplier("A", "Artifices", "73282932000074")
    with pytest.raises(DuplicateSiretError, match='already used by supplier "A"'):
        m.add_supplier("B", "Autre", "732 829 320 00074")
    assert [s.code for s in m.suppliers()] == ["A"]


def test_history_of_an_unknown_kind_raises() -> None:
    m = small()
    with pytest.raises(UnknownKindError, match='unknown history kind "castle"'):
        m.history("castle", "GYM")
    assert [e.type for e in m.history("asset", "GYM")] == ["asset_added", "work_order_created"]


def test_close_year_names_the_year_to_close_first() -> None:
    m = seed()
    vote_gym(m)
    m.close_year("ROANNE", 2025)
    with pytest.raises(YearNotNextError, match="year 2030 cannot be closed .*: 2026 must be closed first"):
        m.close_year("ROANNE", 2030)


def test_csv_with_cr_only_line_endings_numbers_lines() -> None:
    m = small()
    report = m.import_assets_csv("code;name;kind;owner;commissioned\rA1;Salle;room;ROANNE;2000-01-01\r"
                                 "A2;x;castle;ROANNE;2000-01-01\r")
    assert report.imported == 1 and [line for line, _ in report.errors] == [3]


def test_csv_extra_fields_duplicate_columns_and_open_quotes_are_refused() -> None:
    m = small()
    report = m.import_assets_csv("code;name;kind;owner;commissioned\nB1;Salle;room;ROANNE;2000-01-01;surplus\n")
    assert report.imported == 0 and report.errors[0][0] == 2 and "6 fields" in str(report.errors[0][1])
    with pytest.raises(InvalidFieldError, match='column "name" appears twice'):
        m.import_assets_csv("code;name;kind;owner;commissioned;name\nC1;a;room;ROANNE;2000-01-01;b\n")
    with pytest.raises(InvalidFieldError, match="line 2: a quoted field is never closed"):
        m.import_assets_csv('code;name;kind;owner;commissioned\nD1;"Salle;room;ROANNE;2000-01-01\n')


def test_store_refuses_an_empty_path_and_tiny_files(tmp_path: Path) -> None:
    for bad in ("", ":memory:"):
        with pytest.raises(InvalidFieldError, match="loses every commit"):
            Store(bad, "t")
    for name, content in (("empty.db", b""), ("one.db", b"x")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CorruptStoreError, match="not a Mutualis store"):
            Store(path, "t")
        assert path.read_bytes() == content


@pytest.mark.parametrize("section,key", [("assets", "GYM"), ("suppliers", "A"), ("items", "I")])
def test_unknown_fields_in_dataset_sections_are_refused(section: str, key: str) -> None:
    m = small()
    m.add_supplier("A", "Artifices", "73282932000074")
    doc = json.loads(m.to_json())
    record = next(r for r in doc[section] if r["code"] == key)
    record["colour"] = "red"
    with pytest.raises(InvalidJsonError, match="unknown field `colour`"):
        Mutualis.from_json(json.dumps(doc))


# --- every new class in the registry's error table ---------------------------------


def same_siret_twice(m: Mutualis) -> None:
    m.add_supplier("A", "Artifices", "73282932000074")
    m.add_supplier("B", "Autre", "73282932000074")


def close_out_of_order(m: Mutualis) -> None:
    m.vote_ap("AP-X", "ROANNE", "T", 2025, k(1), {2025: k(1)})
    m.close_year("ROANNE", 2025)
    m.close_year("ROANNE", 2027)


HARDENING_CASES: List[Case] = [
    Case(YearOutOfRangeError, mutualis.ValidationError, lambda m: m.settlement_matrix(1899), "1899"),
    Case(ArgumentOutOfRangeError, mutualis.ValidationError,
         lambda m: m.set_rbf_rules("ROANNE", True, lapse_after_years=2**32), "4294967296"),
    Case(DuplicateSiretError, mutualis.ConflictError,
         lambda m: same_siret_twice(m), 'supplier "A"'),
    Case(YearNotNextError, mutualis.ConflictError, lambda m: close_out_of_order(m), "2026 must be closed first"),
]


@pytest.mark.parametrize("case", HARDENING_CASES, ids=[c.cls.__name__ for c in HARDENING_CASES])
def test_hardening_errors_change_nothing(roannais: Mutualis, case: Case) -> None:
    m = Mutualis.from_json(roannais.to_json())
    checkpoint = m.to_json()
    with pytest.raises(case.cls, match=case.match) as info:
        case.call(m)
    assert isinstance(info.value, case.base)
    if case.cls not in (YearNotNextError, DuplicateSiretError):  # set-up commands ran first
        assert m.to_json() == checkpoint


def test_vat_rates_are_dated() -> None:
    assert mutualis.vat_rates_on(d(2013, 6, 1)) == [Decimal("19.6"), Decimal("7"), Decimal("5.5"), Decimal("2.1")]
    assert mutualis.vat_rates_on(d(2014, 1, 1)) == [Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")]
    assert mutualis.vat_rates_on(d(1980, 1, 1)) == []
    m = small()
    m.add_supplier("A", "Artifices", "73282932000074")
    with pytest.raises(mutualis.VatRateNotInForceError, match="rates then: 19.6, 7, 5.5, 2.1"):
        m.record_external("W", d(2012, 6, 1), "Facture", 100, 20, supplier="A")
    line = m.record_external("W", d(2013, 6, 1), "Facture", 100, Decimal("19.6"), supplier="A")
    assert (line.vat, line.ttc) == (Decimal("19.60"), Decimal("119.60"))


def test_fctva_is_estimated_from_dated_rates() -> None:
    assert mutualis.fctva_rate(2026) == Decimal("16.404") and mutualis.fctva_rate(2014) == Decimal("15.761")
    with pytest.raises(InvalidFieldError, match="no FCTVA rate is known for 2002"):
        mutualis.fctva_rate(2002)
    with pytest.raises(YearOutOfRangeError):
        mutualis.fctva_rate(2**40)
    m = small()
    m.add_supplier("A", "Artifices", "73282932000074")
    m.record_external("W", d(2026, 3, 1), "Facture", 1000, 20, supplier="A")
    e = m.fctva_estimate("ROANNE", 2026)
    assert (e.tenant, e.year, e.rate, e.maintenance_base, e.maintenance, e.total) == (
        "ROANNE", 2026, Decimal("16.404"), Decimal("1200.00"), Decimal("196.85"), Decimal("196.85"))
    assert m.fctva_estimate("AGGLO", 2026).total == Decimal("0.00")
    with pytest.raises(mutualis.UnknownTenantError):
        m.fctva_estimate("NOPE", 2026)


def test_stock_is_issued_outside_work_orders_at_cmup() -> None:
    m = small()
    m.add_service("ROANNE", "SPORTS", "Sports")
    m.receive_stock("S", "I", d(2026, 1, 5), 10, Decimal("14.00"))
    m.receive_stock("S", "I", d(2026, 2, 2), 30, Decimal("14.316"))
    given = m.issue_stock("S", "I", d(2026, 3, 1), 3, "agent", agent="J. Martin")
    assert (given.cmup, given.value, given.reason, given.agent) == (
        Decimal("14.2370"), Decimal("42.71"), "agent", "J. Martin")
    to_service = m.issue_stock("S", "I", d(2026, 3, 1), 2, "service", service=("ROANNE", "SPORTS"))
    assert to_service.service == ("ROANNE", "SPORTS")
    m.issue_stock("S", "I", d(2026, 3, 2), Decimal("1.5"), "inventory", note="inventaire mars")
    assert m.stock_level("S", "I").quantity == Decimal("33.5")
    before = m.to_json()
    with pytest.raises(InvalidFieldError, match="names the agent"):
        m.issue_stock("S", "I", d(2026, 3, 1), 1, "agent")
    with pytest.raises(InvalidFieldError, match="a loss names no recipient"):
        m.issue_stock("S", "I", d(2026, 3, 1), 1, "loss", agent="X")
    with pytest.raises(mutualis.InsufficientStockError):
        m.issue_stock("S", "I", d(2026, 3, 1), 100, "loss")
    with pytest.raises(UnknownKindError, match="stock issue reason"):
        m.issue_stock("S", "I", d(2026, 3, 1), 1, "theft")  # type: ignore[arg-type]
    assert m.to_json() == before
    assert [i.reason for i in m.stock_issues()] == ["agent", "service", "inventory"]
    assert Mutualis.from_json(m.to_json()).stock_issues() == m.stock_issues()
    assert [e.type for e in m.history("item", "I")][-3:] == ["stock_issued"] * 3


def test_an_altered_store_is_refused_and_verify_names_the_event(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = Store(path, "t")
    m = store.checkout()
    m.add_tenant("ROANNE", "Roanne", "commune", "214218703", "42187")
    m.add_service("ROANNE", "SPORTS", "Sports")
    store.commit(m)
    assert store.verify() == 2
    store.close()
    with sqlite3.connect(path) as c:
        (payload,) = c.execute("SELECT payload FROM events WHERE seq = 2").fetchone()
        altered = payload[:-1] + bytes([payload[-1] ^ 1])
        c.execute("UPDATE events SET payload = ? WHERE seq = 2", (altered,))
    with pytest.raises(mutualis.TamperedJournalError, match="event 2 does not match its hash chain") as info:
        Store(path, "t")
    assert info.value.seq == 2 and isinstance(info.value, CorruptStoreError)


# Classes exercised by the dedicated tests above (for test_registry's census).
HARDENING_ERRORS_EXERCISED = [YearOutOfRangeError, ArgumentOutOfRangeError, DuplicateSiretError, YearNotNextError,
                              mutualis.VatRateNotInForceError, mutualis.TamperedJournalError, mutualis.CancelledError]


# --- a short seeded fuzz run of the public API -------------------------------------

EXTREME_INTS = [0, -1, 1, 1899, 1900, 2026, 2200, 2201, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, -(2**64), 2**100]


def fuzz_calls(rng: random.Random) -> List[Callable[[Mutualis], Any]]:
    def i() -> int:
        return rng.choice(EXTREME_INTS) if rng.random() < 0.8 else rng.randint(-(2**70), 2**70)

    def money() -> Any:
        return rng.choice([Decimal("0.01"), Decimal("-1"), Decimal("1e20"), Decimal("79228162514264337593543950335"),
                           Decimal("0.001"), 3, -(2**80)])

    def day() -> Any:
        return rng.choice([d(2026, 3, 1), d(1, 1, 1), d(9999, 12, 31), d(1900, 1, 1), d(2200, 12, 31)])

    return [
        lambda m: m.ap_situation("ROANNE", i()),
        lambda m: m.close_year("ROANNE", i()),
        lambda m: m.settlement_matrix(i()),
        lambda m: m.budget_status("ROANNE", i()),
        lambda m: m.set_labour_rate("ROANNE", i(), money(), team="T"),
        lambda m: m.vote_ap(f"AP-{rng.randint(0, 9)}", "ROANNE", "T", i(), money(), {i(): money()}),
        lambda m: m.pay_ap("AP-0", day(), money()),
        lambda m: m.revise_ap("AP-0", i(), money(), {i(): money()}),
        lambda m: m.set_rbf_rules("ROANNE", bool(rng.getrandbits(1)), lapse_after_years=i()),
        lambda m: m.add_operation(f"OP-{rng.randint(0, 9)}", "ROANNE", "T", "w", i(), money(), i(),
                                  [abs(i()) % 2**64 for _ in range(rng.randint(0, 60))]),
        lambda m: mutualis.schedule(m.plan_candidates("ROANNE"), {("ROANNE", i()): money()}, i(), i(),
                                    index={i(): money()}),
        lambda m: m.record_labour("W", day(), money(), abs(i()) % 2**40 or 1),
        lambda m: m.receive_stock("S", "I", day(), money(), money()),
        lambda m: m.record_material("W", day(), "S", "I", money()),
        lambda m: m.add_supplier(f"S{rng.randint(0, 9)}", "F", rng.choice(["73282932000074", "35600000000056"])),
        lambda m: m.history(rng.choice(["asset", "castle", "", "ap"]), "GYM"),
        lambda m: m.lend_vehicle(f"L{rng.randint(0, 9)}", rng.choice(["GYM", "VAN"]), "AGGLO", "day", day()),
        lambda m: m.record_advance("NOPE", i(), "ROANNE", money()),
    ]


def fuzz(calls: int, seed_value: int) -> Dict[str, int]:
    """Runs `calls` random calls; returns the count per outcome class. Any
    exception that is not a MutualisError fails (PanicException derives from
    BaseException, so it is caught here too)."""
    rng = random.Random(seed_value)
    m = small()
    counts: Counter = Counter()
    table = fuzz_calls(rng)
    for _ in range(calls):
        call = rng.choice(table)
        try:
            call(m)
            counts["ok"] += 1
        except MutualisError as err:
            counts[type(err).__name__] += 1
        except BaseException as err:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{type(err).__module__}.{type(err).__name__}: {err}")
    # whatever happened, the registry still saves and reloads
    assert Mutualis.from_json(m.to_json()).to_json() == m.to_json()
    return dict(counts)


def test_seeded_fuzz_raises_only_mutualis_errors() -> None:
    # CI runs 3 000 seeded calls; `bash benches/fuzz/run.sh` sets
    # MUTUALIS_FUZZ_CALLS (100 000) and prints the count per outcome.
    calls = int(os.environ.get("MUTUALIS_FUZZ_CALLS", "3000"))
    counts = fuzz(calls, seed_value=11)
    print("\nPython fuzz run:", calls, "calls;", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    assert sum(counts.values()) == calls
    assert "YearOutOfRangeError" in counts and "ArgumentOutOfRangeError" in counts
