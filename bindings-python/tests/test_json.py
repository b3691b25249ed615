"""The dataset JSON format (docs/json-format.md) through Python: round trips,
files, and a dataset written by the Rust example."""

import datetime
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

import mutualis
from mutualis import DatasetFileError, Mutualis

from conftest import build_roannais, build_roannais_march_2026, d

DATA = Path(__file__).resolve().parent / "data"


def test_round_trip_is_byte_identical(roannais: Mutualis) -> None:
    text = roannais.to_json()
    again = Mutualis.from_json(text)
    assert again.to_json() == text
    assert again.payers("MAISON-SERVICES", d(2026, 3, 12)) == roannais.payers("MAISON-SERVICES", d(2026, 3, 12))
    assert Mutualis().to_json() == Mutualis.from_json(Mutualis().to_json()).to_json()


def test_json_shape(roannais: Mutualis) -> None:
    doc = json.loads(roannais.to_json())
    assert (doc["format"], doc["version"]) == ("mutualis", mutualis.FORMAT_VERSION)
    gym = doc["assets"][0]
    assert gym["floor_area"] == "2150"  # a string, never a float
    assert gym["service"] == {"tenant": "AGGLO", "service": "SPORTS"}
    assert doc["custody"][0] == {"asset": "GYM-COUBERTIN", "beneficiary": "AGGLO", "from": "2019-01-01"}
    assert doc["sharing_keys"][0]["weights"] == {"AGGLO": 1080, "ROANNE": 720}
    assert doc["sharing_keys"][0]["to"] == "2026-06-30"


def test_save_and_load(roannais: Mutualis, tmp_path: Path) -> None:
    path = tmp_path / "roannais.json"
    roannais.save(path)
    assert path.read_text(encoding="utf-8") == roannais.to_json()
    loaded = Mutualis.load(path)
    assert loaded.to_json() == roannais.to_json()
    # str paths work too
    roannais.save(str(tmp_path / "again.json"))
    assert Mutualis.load(os.fspath(tmp_path / "again.json")).to_json() == roannais.to_json()


def test_file_written_by_the_rust_example() -> None:
    # data/roannais.json was written by `examples` (Rust) from the same
    # scenario, March 2026 interventions included: recording them through the
    # Python API gives the same dataset, byte for byte.
    path = DATA / "roannais.json"
    m = Mutualis.load(path)
    assert m.to_json() == path.read_text(encoding="utf-8")
    assert m.to_json() == build_roannais_march_2026().to_json()
    assert m.asset("EV-PARC-MABLY").floor_area == Decimal("12500")
    assert len(m.work_orders()) == 11 and len(m.cost_lines()["line"]) == 18


def test_decimal_floor_areas_stay_exact() -> None:
    doc = {
        "format": "mutualis",
        "version": 1,
        "tenants": [
            {"code": "ROANNE", "name": "Ville de Roanne", "kind": "commune", "siren": "214218703", "insee": "42187"}
        ],
        "assets": [
            {"code": "A", "name": "A", "kind": "room", "owner": "ROANNE", "commissioned": "2000-01-01",
             "floor_area": "1200.50"},
            {"code": "B", "name": "B", "kind": "room", "owner": "ROANNE", "commissioned": "2000-01-01",
             "floor_area": "0.1000000000000000055511151231"},
        ],
    }
    m = Mutualis.from_json(json.dumps(doc))
    a = m.asset("A").floor_area
    assert a is not None and a.as_tuple() == Decimal("1200.50").as_tuple()
    assert m.asset("B").floor_area == Decimal("0.1000000000000000055511151231")
    assert '"floor_area": "1200.50"' in m.to_json()
    # Set from Python, written as the exact string.
    m.add_asset("C", "C", "room", "ROANNE", datetime.date(2000, 1, 1), floor_area=Decimal("0.10"))
    assert '"floor_area": "0.10"' in m.to_json()


def test_the_documented_example_loads() -> None:
    text = """{
      "format": "mutualis",
      "version": 1,
      "tenants": [
        { "code": "AGGLO", "name": "Roannais Agglomération", "kind": "communaute_d_agglomeration", "siren": "200035731" },
        { "code": "ROANNE", "name": "Ville de Roanne", "kind": "commune", "siren": "214218703", "insee": "42187",
          "member_of": ["AGGLO"] }
      ],
      "services": [ { "tenant": "AGGLO", "code": "SPORTS", "name": "Équipements sportifs" } ],
      "assets": [
        { "code": "GYM-COUBERTIN", "name": "Gymnase Pierre de Coubertin", "kind": "building", "owner": "ROANNE",
          "service": { "tenant": "AGGLO", "service": "SPORTS" }, "commissioned": "1975-09-01", "floor_area": "2150" }
      ],
      "custody": [ { "asset": "GYM-COUBERTIN", "beneficiary": "AGGLO", "from": "2019-01-01" } ],
      "sharing_keys": []
    }"""
    m = Mutualis.from_json(text)
    assert m.holder("GYM-COUBERTIN", d(2019, 1, 1)).tenant == "AGGLO"
    assert m.tenant("ROANNE").member_of == ["AGGLO"]


def test_a_bad_record_in_a_file_gets_the_api_error() -> None:
    base = json.loads(build_roannais().to_json())
    base["tenants"][1]["siren"] = "214218704"
    with pytest.raises(mutualis.InvalidSirenError):
        Mutualis.from_json(json.dumps(base))
    base = json.loads(build_roannais().to_json())
    base["custody"].append({"asset": "GYM-COUBERTIN", "beneficiary": "MABLY", "from": "2026-01-01"})
    with pytest.raises(mutualis.CustodyOverlapError):
        Mutualis.from_json(json.dumps(base))
    base = json.loads(build_roannais().to_json())
    base["assets"][0]["parent"] = "GYM-COUBERTIN-SALLE"
    with pytest.raises(mutualis.AssetCycleError):
        Mutualis.from_json(json.dumps(base))


def test_load_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(DatasetFileError) as info:
        Mutualis.load(missing)
    err = info.value
    assert isinstance(err, OSError) and isinstance(err, mutualis.MutualisError)
    assert not isinstance(err, FileNotFoundError)
    assert err.errno is not None and err.filename == str(missing)
    assert "cannot read dataset file" in str(err)
    assert err.kind == "dataset_file"

    with pytest.raises(DatasetFileError):
        Mutualis.load(tmp_path)  # a directory

    with pytest.raises(DatasetFileError, match="cannot write"):
        Mutualis().save(tmp_path / "no" / "such" / "dir.json")

    not_utf8 = tmp_path / "latin1.json"
    not_utf8.write_bytes('{"format": "mutualis", "version": 1, "x": "é"}'.encode("latin-1"))
    with pytest.raises(mutualis.InvalidJsonError, match="not UTF-8"):
        Mutualis.load(not_utf8)

    newer = tmp_path / "v5.json"
    newer.write_text('{"format": "mutualis", "version": 5}', encoding="utf-8")
    with pytest.raises(mutualis.UnsupportedFormatError):
        Mutualis.load(newer)

    with pytest.raises(TypeError):
        Mutualis.load(42)  # type: ignore[arg-type]
