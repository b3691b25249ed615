"""Columnar results are Arrow tables (the Arrow PyCapsule interface): pyarrow,
polars and DuckDB read them without a copy, with the values of the
dict-of-lists form; amounts are decimal128(p, 2), dates date32, codes
dictionary-encoded strings."""

import builtins
import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Callable, Dict, List

import pytest

import mutualis
from conftest import build_roannais_march_2026, d

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def march() -> mutualis.Mutualis:
    return build_roannais_march_2026()


def test_ledger_through_pyarrow_polars_duckdb_equals_pydict(march: mutualis.Mutualis) -> None:
    t = march.ledger_columns()
    expected = t.to_pydict()
    assert t.num_rows == len(expected["line"]) > 10
    # pyarrow: the stream, then every column back to Python values
    assert pa.table(t).to_pydict() == expected
    # polars: the same values (codes as strings, Decimal, datetime.date)
    assert pl.DataFrame(t).to_dict(as_series=False) == expected
    # DuckDB: a replacement scan of the Python variable
    rel = duckdb.sql("select * from t")  # DuckDB keeps the insertion order
    rows = rel.fetchall()
    assert [list(col) for col in zip(*rows)] == [expected[c] for c in rel.columns]
    # the same totals per payer as the registry's own grouping
    by_payer = dict(duckdb.sql("select payer, sum(ttc) from t group by payer").fetchall())
    group = march.ledger_group(["payer"])
    assert by_payer == dict(zip(group["payer"], group["ttc"]))


def test_ledger_schema_types(march: mutualis.Mutualis) -> None:
    schema = pa.table(march.ledger_columns()).schema
    for money in ("ht", "ttc"):
        assert schema.field(money).type == pa.decimal128(18, 2)
    assert schema.field("date").type == pa.date32()
    for code in ("payer", "performer", "supplier", "service", "nature", "asset", "work_order"):
        assert pa.types.is_dictionary(schema.field(code).type), code
        assert schema.field(code).type.value_type == pa.string()
    assert pa.types.is_integer(schema.field("line").type)
    # __arrow_c_schema__ alone gives the same schema
    assert pa.schema(march.ledger_columns()) == schema


def test_cost_lines_keep_exact_quantities_and_cmup(march: mutualis.Mutualis) -> None:
    t = march.cost_lines()
    schema = pa.table(t).schema
    assert schema.field("quantity").type.scale == 4 and schema.field("unit_cost").type.scale == 4
    assert schema.field("ht").type == pa.decimal128(18, 2)
    assert pa.types.is_string(schema.field("description").type)  # free text, not a dictionary
    assert pa.table(t).to_pydict() == t.to_pydict()
    assert Decimal("14.2370") in t["unit_cost"]
    # the line ids join with the ledger's
    assert schema.field("line").type == pa.table(march.ledger_columns()).schema.field("line").type


def test_empty_results_are_typed_tables() -> None:
    t = mutualis.Mutualis().ledger_columns()
    assert t.num_rows == 0 and pa.table(t).num_rows == 0
    assert pa.table(t).schema.field("ttc").type == pa.decimal128(18, 2)
    assert pl.DataFrame(t).height == 0
    assert duckdb.sql("select count(*) from t").fetchall() == [(0,)]


def test_a_table_streams_again_and_is_a_mapping(march: mutualis.Mutualis) -> None:
    t = march.settlement_matrix_table(2026)
    first, second = pa.table(t), pa.table(t)  # each call a new stream over the same buffers
    assert first.equals(second)
    # not registered as a Mapping: polars and pandas would then read it as a
    # dict of lists, cell by cell, instead of through the Arrow stream
    assert not isinstance(t, (Mapping, dict))
    assert list(t) == t.keys() == t.column_names == ["creditor", "debtor", "amount"]
    assert len(t) == 3 and "amount" in t and "nope" not in t
    assert t.get("nope") is None and t.get("amount") == t["amount"]
    assert dict(t.items()) == t.to_pydict() == t
    with pytest.raises(KeyError):
        t["nope"]
    assert repr(t).startswith("Table(")


def every_table(m: mutualis.Mutualis) -> Dict[str, Callable[[], Any]]:
    """The registry's columnar results on the March 2026 scenario."""
    return {
        "ledger_columns": m.ledger_columns,
        "cost_lines": m.cost_lines,
        "cost_breakdown": m.cost_breakdown,
        "ledger_group": lambda: m.ledger_group(["payer", "year", "nature"]),
        "payers_table": lambda: m.payers_table(d(2026, 6, 1)),
        "split_costs": lambda: m.split_costs(["MAISON-SERVICES"], [d(2026, 3, 12)], [Decimal("1000.01")]),
        "debt_lines_table": lambda: m.debt_lines_table(2026),
        "settlement_matrix_table": lambda: m.settlement_matrix_table(2026),
        "unsettled_table": lambda: m.unsettled_table(2026),
        "budget_warnings_table": m.budget_warnings_table,
        "ppi_table": lambda: m.ppi_table("AGGLO"),
        "ap_situation_table": lambda: m.ap_situation_table("AGGLO", 2026),
        "fleet_due_table": lambda: m.fleet_due_table(d(2026, 4, 1), 60),
        "cost_per_km_table": lambda: m.cost_per_km_table(d(2026, 1, 1), d(2026, 12, 31)),
        "fleet_dashboard_table": lambda: m.fleet_dashboard_table(2026),
        "furniture_table": m.furniture_table,
        "energy_dashboard_table": lambda: m.energy_dashboard_table(2026),
        "in_kind_aid_table": lambda: m.in_kind_aid_table(2026),
        "rent_roll_table": lambda: m.rent_roll_table(d(2026, 6, 1)),
    }


def test_every_columnar_result_is_an_arrow_table(march: mutualis.Mutualis) -> None:
    nonempty = 0
    for name, call in every_table(march).items():
        t = call()
        assert isinstance(t, mutualis.Table), name
        expected = t.to_pydict()
        assert pa.table(t).to_pydict() == expected, name
        assert pl.DataFrame(t).to_dict(as_series=False) == expected, name
        for field in pa.table(t).schema:
            if pa.types.is_decimal(field.type):
                assert field.type.scale >= 2, (name, field)
            assert not pa.types.is_timestamp(field.type), (name, field)
        nonempty += t.num_rows > 0
    assert nonempty >= 8


def test_dates_are_date32_everywhere(march: mutualis.Mutualis) -> None:
    schema = pa.table(march.debt_lines_table(2026)).schema
    assert schema.field("date").type == pa.date32()
    assert all(isinstance(x, datetime.date) for x in march.debt_lines_table(2026)["date"])


def test_to_helpers(march: mutualis.Mutualis) -> None:
    t = march.cost_breakdown()
    assert t.to_arrow().to_pydict() == t.to_pydict()
    assert t.to_polars().to_dict(as_series=False) == t.to_pydict()
    pd = pytest.importorskip("pandas")
    frame = t.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == t.column_names and len(frame) == t.num_rows
    assert sum(frame["ttc"], Decimal(0)) == sum(t["ttc"], Decimal(0))


def test_missing_optional_dependency_names_it(march: mutualis.Mutualis, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_polars(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "polars" or name.startswith("polars."):
            raise ImportError("no polars here")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "polars", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_polars)
    with pytest.raises(ImportError, match="polars"):
        march.cost_breakdown().to_polars()


def test_dict_form_unchanged(march: mutualis.Mutualis) -> None:
    """The mapping form still holds plain Python values."""
    t = march.ledger_columns()
    cols: List[Any] = t["ttc"]
    assert all(type(x) is Decimal for x in cols)
    assert all(type(x) is str for x in t["payer"])
    assert t == t.to_pydict() and t.to_pydict() == t


def test_parquet_export_read_by_duckdb_gives_the_registry_totals(
    march: mutualis.Mutualis, tmp_path: Any
) -> None:
    files = dict(march.write_parquet(tmp_path))
    assert files["cost_lines"] == march.cost_lines().num_rows
    assert files["ledger"] == march.ledger_columns().num_rows
    assert (tmp_path / "tenants.parquet").exists()
    con = duckdb.connect()
    by_payer = dict(
        con.sql(f"select payer, sum(ttc) from '{tmp_path / 'ledger.parquet'}' group by payer").fetchall()
    )
    group = march.ledger_group(["payer"])
    assert by_payer == dict(zip(group["payer"], group["ttc"]))
    [(ht, ttc)] = con.sql(f"select sum(ht), sum(ttc) from '{tmp_path / 'cost_lines.parquet'}'").fetchall()
    lines = march.cost_lines()
    assert (ht, ttc) == (sum(lines["ht"], Decimal(0)), sum(lines["ttc"], Decimal(0)))
    [(n,)] = con.sql(f"select count(*) from '{tmp_path / 'assets.parquet'}'").fetchall()
    assert n == len(march.assets())


def test_parquet_export_ingests_back_with_the_same_ledger(tmp_path: Any) -> None:
    from conftest import build_settlement_seed, record_gym

    m = build_settlement_seed()
    record_gym(m)
    m.write_parquet(tmp_path)
    copy = mutualis.Mutualis()
    copy.ingest_parquet(tmp_path)
    assert copy.cost_lines() == m.cost_lines()
    assert copy.ledger_columns() == m.ledger_columns()
    assert copy.ledger_group(["payer", "performer"]) == m.ledger_group(["payer", "performer"])
