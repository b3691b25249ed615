"""Benchmark: a ledger result of N rows (default 3 000 000) into a polars
DataFrame, through the Arrow PyCapsule interface (``polars.DataFrame(t)``,
no copy of the buffers, no Python object per cell) versus through the
dict-of-lists form (``polars.DataFrame(t.to_pydict())``, one Python object
per cell: ``Decimal``, ``date``, ``str``).

    python bindings-python/bench/ledger_to_polars.py [N]

Needs the ``mutualis`` package (a release build: ``maturin build --release``),
pyarrow and polars. The registry is built by bulk ingestion of generated
tables: 2 collectivités, 100 buildings owned by ROANNE in AGGLO's custody,
N/3 work orders of Roanne's régie with 3 labour lines each. Times are
printed, not asserted (they depend on the machine).
"""

import datetime
import sys
import time
from decimal import Decimal

import polars as pl
import pyarrow as pa

import mutualis


def registry(n_lines: int) -> mutualis.Mutualis:
    orders = max(1, n_lines // 3)
    assets = 100
    first = datetime.date(2026, 1, 1)
    wo_codes = pa.array([f"BT-{i:07d}" for i in range(orders)])
    line_orders = pa.array([f"BT-{i // 3:07d}" for i in range(orders * 3)])
    days = pa.array([first + datetime.timedelta(days=i % 365) for i in range(orders * 3)], pa.date32())
    n = orders * 3

    def const(value: object, count: int, typ: pa.DataType = pa.string()) -> pa.Array:
        return pa.repeat(pa.scalar(value, typ), count)

    money = pa.decimal128(18, 2)
    tables = {
        "tenants": pa.table({
            "code": ["AGGLO", "ROANNE"], "name": ["Roannais Agglomération", "Ville de Roanne"],
            "kind": ["communaute_d_agglomeration", "commune"], "siren": ["200035731", "214218703"],
            "insee": [None, "42187"],
        }),
        "assets": pa.table({
            "code": [f"GYM-{i}" for i in range(assets)], "name": [f"Gymnase {i}" for i in range(assets)],
            "kind": ["building"] * assets, "owner": ["ROANNE"] * assets,
            "commissioned": pa.array([datetime.date(1975, 9, 1)] * assets, pa.date32()),
        }),
        "custody": pa.table({
            "asset": [f"GYM-{i}" for i in range(assets)], "beneficiary": ["AGGLO"] * assets,
            "from": pa.array([datetime.date(2019, 1, 1)] * assets, pa.date32()),
        }),
        "teams": pa.table({"code": ["ROANNE-SPORTS"], "tenant": ["ROANNE"], "name": ["Régie sports"]}),
        "work_orders": pa.table({
            "code": wo_codes, "title": const("Entretien", orders),
            "asset": pa.array([f"GYM-{i % assets}" for i in range(orders)]),
            "team": const("ROANNE-SPORTS", orders), "status": const("in_progress", orders),
        }),
        "cost_lines": pa.table({
            "work_order": line_orders, "date": days, "nature": const("labour", n),
            "team": const("ROANNE-SPORTS", n),
            "quantity": const(Decimal("1.50"), n, money), "unit_cost": const(Decimal("38.50"), n, money),
            "ht": const(Decimal("57.75"), n, money), "ttc": const(Decimal("57.75"), n, money),
        }),
    }
    m = mutualis.Mutualis()
    m.ingest(tables)
    return m


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
    t0 = time.perf_counter()
    m = registry(n)
    print(f"registry of {len(m.cost_lines()['line'])} cost lines built in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    table = m.ledger_columns()
    t_table = time.perf_counter() - t0
    t0 = time.perf_counter()
    df = pl.DataFrame(table)
    t_capsule = time.perf_counter() - t0
    t0 = time.perf_counter()
    df2 = pl.DataFrame(table.to_pydict())
    t_pydict = time.perf_counter() - t0
    assert df.height == df2.height == table.num_rows
    assert df["ttc"].sum() == df2["ttc"].sum()
    print(f"ledger_columns(): {table.num_rows} rows as an Arrow table in {t_table:.3f} s")
    print(f"polars.DataFrame(table)             (PyCapsule): {t_capsule:.3f} s")
    print(f"polars.DataFrame(table.to_pydict()) (lists)    : {t_pydict:.3f} s")
    print(f"ratio: {t_pydict / max(t_capsule, 1e-9):.0f}x")


if __name__ == "__main__":
    main()
