"""DuckDB, polars and pandas give exactly the reference's answers.

Run: bash benches/side_by_side/setup.sh && \
     target/side-by-side/.venv/bin/python -m pytest -q benches/side_by_side

* the hand-made fixture (fixture.py) against its hand-worked answers;
* a random data set (fixture.write_random) against the plain-Python reference;
* the Rust generator's data (when its `generate` binary exists): the reference
  against the engines at 1k, and the engines between themselves at 10k.
Skipped when duckdb, polars or pandas cannot be imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

for _mod in ("duckdb", "polars", "pandas", "pyarrow"):
    pytest.importorskip(_mod)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import engines  # noqa: E402
import fixture  # noqa: E402

ENGINES = {
    "duckdb": lambda d: engines.duckdb_answers(d, threads=2),
    "polars": lambda d: engines.polars_answers(d, threads=2),
    "pandas": engines.pandas_answers,
}


def test_split_examples():
    assert engines.split(1, [(1, 5000), (0, 5000)]) == {0: 1, 1: 0}
    assert engines.split(100001, [(0, 6000), (1, 4000)]) == {0: 60001, 1: 40000}
    assert engines.split(100, [(2, 1), (1, 1), (0, 1)]) == {0: 34, 1: 33, 2: 33}
    assert engines.split(0, [(0, 3), (1, 7)]) == {0: 0, 1: 0}
    parts = engines.split(10**10 - 1, [(0, 1), (1, 999_999)])
    assert parts == {0: 10000, 1: 9_999_989_999} and sum(parts.values()) == 10**10 - 1


@pytest.fixture(scope="module")
def hand_dir(tmp_path_factory):
    return fixture.write_fixture(tmp_path_factory.mktemp("hand"))


def test_reference_on_hand_fixture(hand_dir):
    answers, _ = engines.reference_answers(hand_dir)
    assert answers == fixture.EXPECTED


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engine_on_hand_fixture(engine, hand_dir):
    answers, timings = ENGINES[engine](hand_dir)
    for q in engines.QUESTIONS:
        assert answers[q] == fixture.EXPECTED[q], q
    assert timings["load_s"] >= 0 and timings["query_s"] >= 0


@pytest.fixture(scope="module")
def random_dir(tmp_path_factory):
    return fixture.write_random(tmp_path_factory.mktemp("random"), 20_000, seed=11)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engine_on_random_data(engine, random_dir):
    expected, _ = engines.reference_answers(random_dir)
    answers, _ = ENGINES[engine](random_dir)
    assert all(expected[q] for q in engines.QUESTIONS)
    for q in engines.QUESTIONS:
        assert answers[q] == expected[q], q


def test_command_line_polars_threads(hand_dir, tmp_path):
    """engines.py in its own process: POLARS_MAX_THREADS takes effect, JSON shape."""
    out = tmp_path / "polars.json"
    subprocess.run([sys.executable, str(HERE / "engines.py"), "--engine", "polars",
                    "--threads", "1", "--data", str(hand_dir), "--out", str(out)], check=True)
    result = json.loads(out.read_text())
    assert result["threads"] == 1
    assert {"load_s", "query_s", "answers"} <= result.keys()
    got = {q: [tuple(r) for r in rows] for q, rows in result["answers"].items()}
    assert got == fixture.EXPECTED


# --- The Rust generator's data -------------------------------------------

HAS_GENERATOR = (ROOT / "benches" / "src" / "bin" / "generate.rs").exists() or \
    (ROOT / "benches" / "src" / "bin" / "generate" / "main.rs").exists()


def _generated(label: str, n: int) -> Path:
    import run

    return run.generate(label, n)


@pytest.mark.skipif(not HAS_GENERATOR, reason="the Rust generator (bin `generate`) is not there yet")
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engines_match_reference_on_generated_1k(engine):
    data = _generated("1k", 1000)
    expected, _ = engines.reference_answers(data)
    answers, _ = ENGINES[engine](data)
    for q in engines.QUESTIONS:
        assert answers[q] == expected[q], q


@pytest.mark.skipif(not HAS_GENERATOR, reason="the Rust generator (bin `generate`) is not there yet")
def test_engines_match_reference_on_generated_10k():
    # The reference takes about 0.5 s at 10k (≈30k lines), so it checks 10k too.
    data = _generated("10k", 10_000)
    expected, _ = engines.reference_answers(data)
    assert all(expected[q] for q in engines.QUESTIONS)
    for name, fn in ENGINES.items():
        answers, _ = fn(data)
        for q in engines.QUESTIONS:
            assert answers[q] == expected[q], (name, q)


def _answer_binary() -> Path:
    """The Rust `answer` binary (debug build: the agreement is what is tested)."""
    subprocess.run(["cargo", "build", "-q", "-p", "mutualis-benches", "--bin", "answer"],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "answer"


@pytest.mark.skipif(not HAS_GENERATOR, reason="the Rust generator (bin `generate`) is not there yet")
def test_mutualis_registry_matches_reference_on_generated_10k(tmp_path):
    """Mutualis ingests the same Parquet files through the registry (every
    domain check) and answers through ledger_group: the reference's answers."""
    data = _generated("10k", 10_000)
    expected, _ = engines.reference_answers(data)
    out = tmp_path / "mutualis.json"
    subprocess.run([str(_answer_binary()), "--data", str(data), "--out", str(out)], check=True)
    got = engines.normalise(json.loads(out.read_text())["answers"])
    for q in engines.QUESTIONS:
        assert got[q] == expected[q], q
