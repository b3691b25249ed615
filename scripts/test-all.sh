#!/usr/bin/env bash
# Runs every test of Mutualis on a fresh machine: Rust (unit, property,
# integration and doc tests), Python (pytest + stubtest, in .venv) and Kotlin
# (JUnit 5 through Maven). Installs what it needs on the way (a venv with
# maturin/pytest/mypy, Maven dependencies); the first run takes several
# minutes, later ones are incremental.
#
#   bash scripts/test-all.sh
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "Rust: cargo test (core, bindings' Rust tests, examples, integration tests, doctests)"
cargo test --locked

step "Python binding"
bash scripts/test-python.sh

step "Kotlin binding"
bash scripts/test-kotlin.sh

step "all tests passed"
