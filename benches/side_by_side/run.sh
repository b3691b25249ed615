#!/usr/bin/env bash
# The side-by-side benchmark in one command on a fresh machine:
#   bash benches/side_by_side/run.sh --scales 10k,100k,1m [run.py options]
# Creates target/side-by-side/.venv (setup.sh) with the peer engines, installs
# the Mutualis Python binding built in release mode into it, then runs run.py
# with Mutualis from Rust (the `answer` binary) and from Python.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$(bash "$HERE/setup.sh" | tail -n 1)"
WHEELS="$ROOT/target/side-by-side/wheels"
"$VENV/bin/python" -m pip install -q "maturin==1.16.0"
rm -rf "$WHEELS"
(cd "$ROOT/bindings-python" && "$VENV/bin/maturin" build --release --quiet --interpreter "$VENV/bin/python" --out "$WHEELS")
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEELS"/mutualis-*.whl
exec "$VENV/bin/python" "$HERE/run.py" \
  --mutualis default \
  --mutualis "mutualis-python=$VENV/bin/python $HERE/mutualis_py.py {data} {out}" \
  "$@"
