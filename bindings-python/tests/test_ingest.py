"""Bulk ingestion of a user's tables (docs/ingest.md) from pyarrow tables
(any object with ``__arrow_c_stream__``), Parquet and CSV folders: success,
per-row reports, all-or-nothing, and every error path."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

import mutualis

pa = pytest.importorskip("pyarrow")
papq = pytest.importorskip("pyarrow.parquet")
pacsv = pytest.importorskip("pyarrow.csv")

D = datetime.date


def money(values: List[Any]) -> Any:
    return pa.array([None if v is None else Decimal(v) for v in values], pa.decimal128(12, 2))


def gymnasium() -> Dict[str, Any]:
    """The DOMAIN's gymnasium: ROANNE's room in AGGLO's custody, painted by
    ROANNE's régie (6.5 h at 38.50 and 12 pots at 14.2370)."""
    return {
        "tenants": pa.table({
            "code": ["AGGLO", "ROANNE"],
            "name": ["Roannais Agglomération", "Roanne"],
            "kind": ["communaute_d_agglomeration", "commune"],
            "siren": ["200035731", "214218703"],
            "insee": [None, "42187"],
        }),
        "services": pa.table({"tenant": ["AGGLO", "ROANNE"], "code": ["SPORTS", "SPORTS"],
                              "name": ["Sports", "Régie sports"]}),
        "assets": pa.table({
            "code": ["GYM-SALLE", "GYM"],
            "name": ["Grande salle", "Gymnase Coubertin"],
            "kind": ["room", "building"],
            "owner": ["ROANNE", "ROANNE"],
            "parent": ["GYM", None],
            "commissioned": [D(1975, 9, 1), D(1975, 9, 1)],
        }),
        "custody": pa.table({"asset": ["GYM"], "beneficiary": ["AGGLO"],
                             "from": [D(2019, 1, 1)], "to": pa.array([None], pa.date32())}),
        "teams": pa.table({"code": ["ROANNE-SPORTS"], "tenant": ["ROANNE"],
                           "name": ["Régie équipements sportifs"], "service": ["SPORTS"]}),
        "stores": pa.table({"code": ["MAG-ROANNE"], "tenant": ["ROANNE"], "name": ["Magasin"]}),
        "items": pa.table({"code": ["PEINTURE"], "name": ["Peinture acrylique 15 L"],
                           "unit": ["pot"]}),
        "work_orders": pa.table({"code": ["BT-GYM-1"], "title": ["Peinture"],
                                 "asset": ["GYM-SALLE"], "team": ["ROANNE-SPORTS"],
                                 "status": ["done"]}),
        "cost_lines": pa.table({
            "work_order": ["BT-GYM-1", "BT-GYM-1"],
            "date": [D(2026, 3, 12), D(2026, 3, 12)],
            "nature": ["labour", "material"],
            "team": ["ROANNE-SPORTS", None],
            "store": [None, "MAG-ROANNE"],
            "item": [None, "PEINTURE"],
            "quantity": pa.array([Decimal("6.5"), Decimal("12")], pa.decimal128(12, 4)),
            "unit_cost": pa.array([Decimal("38.50"), Decimal("14.2370")], pa.decimal128(12, 4)),
            "ht": money(["250.25", "170.84"]),
            "ttc": money(["250.25", "170.84"]),
        }),
    }


def agglo_pays(m: mutualis.Mutualis) -> Decimal:
    cols = m.ledger_group(["payer"])
    return Decimal(dict(zip(cols["payer"], cols["ttc"]))["AGGLO"])


def test_ingest_pyarrow_tables_charges_421_09_to_agglo() -> None:
    m = mutualis.Mutualis()
    seen: List[Any] = []
    report = m.ingest(gymnasium(), progress=lambda done, total: seen.append((done, total)))
    assert report.errors == []
    assert report.ingested("cost_lines") == 2 and report.ingested("assets") == 2
    assert ("cost_lines", 2, 2) in report.tables
    assert agglo_pays(m) == Decimal("421.09")
    assert seen[-1] == (13, 13)
    assert len(m.journal()) == 1
    # replay and JSON round trip
    assert mutualis.Mutualis.replay(m.journal_json()).to_json() == m.to_json()
    assert mutualis.Mutualis.from_json(m.to_json()).to_json() == m.to_json()
    assert "13 rows ingested" in repr(report)


def test_parquet_and_csv_folders(tmp_path: Path) -> None:
    tables = gymnasium()
    for name, t in tables.items():
        papq.write_table(t, tmp_path / f"{name}.parquet")
        pacsv.write_csv(t, tmp_path / f"{name}.csv")
    a, b = mutualis.Mutualis(), mutualis.Mutualis()
    a.ingest_parquet(tmp_path)
    b.ingest_csv(str(tmp_path), mode="report")
    assert agglo_pays(a) == agglo_pays(b) == Decimal("421.09")


def test_report_mode_lists_bad_rows() -> None:
    tables = gymnasium()
    tables["custody"] = pa.table({"asset": ["GYM", "GYM"], "beneficiary": ["AGGLO", "AGGLO"],
                                  "from": [D(2019, 1, 1), D(2020, 1, 1)],
                                  "to": pa.array([None, None], pa.date32())})
    wo = tables["cost_lines"].column("work_order").to_pylist()
    wo[1] = "BT-NOPE"
    tables["cost_lines"] = tables["cost_lines"].set_column(0, "work_order", pa.array(wo))
    m = mutualis.Mutualis()
    report = m.ingest(tables, mode="report")
    got = [(e.table, e.row, e.column, e.kind) for e in report.errors]
    assert got == [("custody", 2, "from", "custody_overlap"),
                   ("cost_lines", 2, "work_order", "unknown_work_order")]
    assert "BT-NOPE" in report.errors[1].message
    assert "custody" in repr(report.errors[0])
    assert report.ingested("cost_lines") == 1


def test_all_or_nothing_raises_at_the_row_and_changes_nothing() -> None:
    tables = gymnasium()
    tables["labour_rates"] = pa.table({"tenant": ["ROANNE", "NOPE"], "year": [2026, 2026],
                                       "rate": money(["38.50", "40.00"])})
    m = mutualis.Mutualis()
    before = m.to_json()
    with pytest.raises(mutualis.IngestRowError) as e:
        m.ingest(tables)
    assert (e.value.table, e.value.row, e.value.column, e.value.row_kind) == (
        "labour_rates", 2, "tenant", "unknown_tenant")
    assert isinstance(e.value, mutualis.ValidationError)
    assert m.to_json() == before and m.journal() == []


def test_schema_errors() -> None:
    m = mutualis.Mutualis()
    tables = gymnasium()
    floats = tables["cost_lines"].set_column(
        tables["cost_lines"].schema.get_field_index("ht"), "ht", pa.array([250.25, 170.84]))
    with pytest.raises(mutualis.FloatColumnError, match="ht"):
        m.ingest({**tables, "cost_lines": floats}, mode="report")
    with pytest.raises(mutualis.MissingColumnError, match="siren"):
        m.ingest({"tenants": tables["tenants"].drop_columns(["siren"])})
    with pytest.raises(mutualis.ColumnTypeError):
        m.ingest({"labour_rates": pa.table({"tenant": ["ROANNE"], "year": [D(2026, 1, 1)],
                                            "rate": ["38.50"]})})
    with pytest.raises(mutualis.UnknownTableError):
        m.ingest({"interventions": tables["tenants"]})
    with pytest.raises(mutualis.ArgumentTypeError):
        m.ingest({"tenants": [1, 2, 3]})
    with pytest.raises(mutualis.UnknownKindError):
        m.ingest(tables, mode="sometimes")
    with pytest.raises(mutualis.IngestReadError):
        m.ingest_parquet("/nonexistent/mutualis")
    with pytest.raises(mutualis.IngestReadError):
        m.ingest_csv("/nonexistent/mutualis")
    assert m.journal() == []
    assert issubclass(mutualis.IngestReadError, mutualis.FormatError)
