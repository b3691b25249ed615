#!/usr/bin/env bash
# The side-by-side benchmark in one command on a fresh machine:
#   bash benches/side_by_side/run.sh --scales 10k,100k,1m [run.py options]
# Creates target/side-by-side/.venv (setup.sh), then runs run.py with it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$(bash "$HERE/setup.sh" | tail -n 1)"
exec "$VENV/bin/python" "$HERE/run.py" "$@"
