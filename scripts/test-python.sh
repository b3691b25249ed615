#!/usr/bin/env bash
# Build the Python binding (bindings-python, PyO3 + maturin) and run its tests.
#
#   bash scripts/test-python.sh [extra pytest args...]
#
# - creates <repo>/.venv if missing (with $PYTHON, default python3)
# - installs maturin, pytest and mypy into it
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
    "pytest==9.2.0; python_version >= '3.10'" \
    "pytest==8.4.2; python_version < '3.10'" \
    "mypy==2.4.1; python_version >= '3.10'" \
    "mypy==1.19.1; python_version < '3.10'"

WHEEL_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mutualis-wheel.XXXXXX")"
trap 'rm -rf -- "$WHEEL_DIR"' EXIT

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
