#!/usr/bin/env bash
# Creates target/side-by-side/.venv with the pinned engines of the side-by-side
# benchmark (DuckDB, polars, pandas, pyarrow, pytest). Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/target/side-by-side/.venv"
REQ="$ROOT/benches/side_by_side/requirements.txt"
STAMP="$VENV/.requirements.installed"
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || ! cmp -s "$REQ" "$STAMP"; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r "$REQ"
  cp "$REQ" "$STAMP"
fi
echo "$VENV"
