#!/usr/bin/env bash
# Runs every test of Mutualis on a fresh machine: Rust (unit, property,
# integration and doc tests), Python (pytest + stubtest, in .venv), Kotlin
# (JUnit 5 through Maven), the reports in headless Chromium and the side-by-side agreement test at 10k. Installs what it needs on the way (a venv with
# maturin/pytest/mypy, Maven dependencies); the first run takes several
# minutes, later ones are incremental.
#
#   bash scripts/test-all.sh
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

# A throw-away PostgreSQL server for the store's PostgreSQL backend (its
# tests, and the bindings' store tests, read MUTUALIS_PG_URL; in CI they fail
# without it), stopped and removed at the end whatever happens.
step "PostgreSQL test server (scripts/pg-test-server.sh)"
eval "$(bash scripts/pg-test-server.sh start)"
trap 'bash scripts/pg-test-server.sh stop "$MUTUALIS_PG_DIR"' EXIT

step "Rust: cargo test (core, bindings' Rust tests, examples, integration tests, doctests)"
# (the bindings turn the core's `postgres` feature on: the store suite of
# core/tests/store_backends.rs runs on SQLite and on the server)
cargo test --locked

step "Python binding"
bash scripts/test-python.sh

step "Kotlin binding"
bash scripts/test-kotlin.sh

# The reports in a real browser: headless Chromium (installed when missing)
# renders each Roannais report; none blank, no console message.
step "Reports in headless Chromium"
bash scripts/test-reports-browser.sh

# The small-scale agreement test of the side-by-side benchmark: Mutualis,
# DuckDB, polars and pandas must give exactly the same answers (10k
# interventions; the big scales are for `bash benches/side_by_side/run.sh`).
step "Side-by-side agreement (10k): Mutualis vs DuckDB, polars, pandas"
BENCH_VENV="$(bash benches/side_by_side/setup.sh | tail -n 1)"
"$BENCH_VENV/bin/python" -m pytest -q benches/side_by_side

step "all tests passed"
