#!/usr/bin/env bash
# Build the Python binding (bindings-python, PyO3 + maturin) and run its tests.
#
#   bash scripts/test-python.sh [extra pytest args...]
#
# - creates <repo>/.venv if missing (with $PYTHON, default python3)
# - installs maturin, pytest, mypy and the optional data libraries the Arrow
#   tests feed (pyarrow, polars, DuckDB, pandas; same pins as
#   benches/side_by_side/requirements.txt) into it
# - builds the release wheel and the sdist once, installs the wheel in a
#   clean venv and runs a smoke test there (skipped with MUTUALIS_SKIP_WHEEL=1)
# - builds a debug abi3 wheel with `maturin build` and force-reinstalls it
#   (the tests exercise the installed wheel, exactly what users get: .so,
#   __init__.py, _mutualis.pyi and py.typed)
# - builds the Open311 server binary (`cargo build -p mutualis-server`) and
#   exports its path as MUTUALIS_SERVER_BIN (unless already set) for
#   tests/test_open311_server.py
# - runs pytest on bindings-python/tests with the venv's python; exit code 5
#   (no tests collected) is a failure.
#
# Honours CARGO_TARGET_DIR (cargo and maturin both read it).
# MUTUALIS_VENV overrides the venv location, PYTHON the bootstrap interpreter.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
BINDINGS="$ROOT/bindings-python"
VENV="${MUTUALIS_VENV:-$ROOT/.venv}"
BOOT_PYTHON="${PYTHON:-python3}"

log() { printf '==> %s\n' "$*" >&2; }

if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating venv $VENV with $("$BOOT_PYTHON" --version 2>&1)"
    "$BOOT_PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
unset PYTHONHOME

log "installing build/test tools into $VENV"
# Exact pins: a new mypy release may add stubtest checks (as the recent
# @disjoint_base one) and turn CI red by itself; bump these on purpose.
# mypy 2.x and pytest 9.x need Python >= 3.10, hence the markers.
# Already-satisfied requirements are not re-downloaded, so reruns are quick.
"$PY" -m pip install -q --disable-pip-version-check \
    "maturin==1.16.0" \
    "pyarrow==26.0.1" \
    "polars==2.1.0; python_version >= '3.10'" \
    "duckdb==2.0.1; python_version >= '3.10'" \
    "pandas==3.1.1; python_version >= '3.11'" \
    "pytest==9.2.0; python_version >= '3.10'" \
    "pytest==8.4.2; python_version < '3.10'" \
    "mypy==2.4.1; python_version >= '3.10'" \
    "mypy==1.19.1; python_version < '3.10'"

WHEEL_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mutualis-wheel.XXXXXX")"
trap 'rm -rf -- "$WHEEL_DIR"' EXIT

if [[ "${MUTUALIS_SKIP_WHEEL:-0}" != "1" ]]; then
    # What users install: the release wheel, in a clean venv with nothing
    # else (its optional dependencies absent), imported from outside the
    # source tree; and the sdist builds. Set MUTUALIS_SKIP_WHEEL=1 to skip.
    log "building the release wheel and the sdist (MUTUALIS_SKIP_WHEEL=1 skips this)"
    (
        cd "$BINDINGS"
        "$VENV/bin/maturin" build --release --interpreter "$PY" --out "$WHEEL_DIR/release"
        "$VENV/bin/maturin" sdist --out "$WHEEL_DIR/sdist"
    )
    shopt -s nullglob
    release=("$WHEEL_DIR"/release/mutualis-*.whl)
    sdist=("$WHEEL_DIR"/sdist/mutualis-*.tar.gz)
    shopt -u nullglob
    if [[ ${#release[@]} -ne 1 || ${#sdist[@]} -ne 1 ]]; then
        log "expected one release wheel and one sdist, found ${#release[@]} and ${#sdist[@]}" >&2
        exit 1
    fi
    "$BOOT_PYTHON" -m venv "$WHEEL_DIR/clean"
    "$WHEEL_DIR/clean/bin/python" -m pip install -q --disable-pip-version-check "${release[0]}"
    log "smoke test of $(basename -- "${release[0]}") in a clean venv"
    (
        cd "$WHEEL_DIR"
        "$WHEEL_DIR/clean/bin/python" - <<'PY'
import datetime
from decimal import Decimal
import mutualis

m = mutualis.Mutualis()
m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", insee="42187")
m.add_asset("GYM", "Gymnase", "building", "ROANNE", datetime.date(1975, 9, 1))
m.grant_custody("GYM", "AGGLO", datetime.date(2019, 1, 1))
assert [s.tenant for s in m.payers("GYM", datetime.date(2026, 3, 12)).shares] == ["AGGLO"]
assert mutualis.split(Decimal("1000.01"), [6000, 4000]) == [Decimal("600.01"), Decimal("400.00")]
t = m.ledger_columns()
assert t.num_rows == 0 and hasattr(t, "__arrow_c_stream__")
try:
    t.to_polars()
except ImportError as e:
    assert "polars" in str(e)
else:
    raise AssertionError("polars is not installed in the clean venv")
print("mutualis", mutualis.__version__, "from", mutualis.__file__)
PY
    )
fi

log "building wheel (debug) with $("$VENV/bin/maturin" --version)${CARGO_TARGET_DIR:+, CARGO_TARGET_DIR=$CARGO_TARGET_DIR}"
(
    cd "$BINDINGS"
    "$VENV/bin/maturin" build --interpreter "$PY" --out "$WHEEL_DIR"
)

shopt -s nullglob
wheels=("$WHEEL_DIR"/mutualis-*.whl)
shopt -u nullglob
if [[ ${#wheels[@]} -ne 1 ]]; then
    log "expected exactly one wheel in $WHEEL_DIR, found ${#wheels[@]}" >&2
    exit 1
fi
log "installing $(basename -- "${wheels[0]}")"
"$PY" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall "${wheels[0]}"

# The Open311 server binary, started by tests/test_open311_server.py.
cd "$ROOT"
if [[ -z "${MUTUALIS_SERVER_BIN:-}" ]]; then
    log "building the Open311 server (cargo build -p mutualis-server)"
    cargo build --locked -q -p mutualis-server
    TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    [[ "$TARGET_DIR" = /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
    export MUTUALIS_SERVER_BIN="$TARGET_DIR/debug/mutualis-server"
fi

log "running pytest"
rc=0
"$PY" -m pytest "$BINDINGS/tests" -q "$@" || rc=$?
if [[ $rc -eq 5 ]]; then
    log "pytest collected no tests: failing" >&2
    exit 1
fi
exit "$rc"
