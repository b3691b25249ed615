#!/usr/bin/env bash
# The main job: builds the Roannais scenario (an agglomeration, three member
# communes, their patrimoine, custody, sharing keys and a month of
# interventions), prints who holds and who pays and what everything cost, and
# saves the dataset as JSON (default: target/roannais.json).
#
#   bash scripts/run-main.sh [path/to/dataset.json]
#   bash scripts/run-main.sh --store postgres://user:password@host:port/database
#
# The store is the embedded SQLite file target/roannais.db unless `--store
# URL` (or the environment variable MUTUALIS_STORE_URL) points it at a
# PostgreSQL server (or another file); no server is needed by default.
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
exec cargo run --locked --quiet --example roannais -- "$@"
