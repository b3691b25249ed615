#!/usr/bin/env bash
# The long fuzz runs of issue 11, outside CI: random calls of the public API
# with extreme years, integers, amounts and dates, from Python and from
# Kotlin; each call either succeeds or raises a MutualisError subclass
# (Python) / a MutualisException that is not Internal (Kotlin). Prints the
# count per outcome class. CI runs the same tests with a few thousand calls.
#
#   bash benches/fuzz/run.sh [CALLS]        # default 100000
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$ROOT"
export MUTUALIS_FUZZ_CALLS="${1:-100000}"
bash scripts/test-python.sh -q -s -k seeded_fuzz bindings-python/tests/test_hardening.py 2>&1 \
    | grep -E "Python fuzz run|passed|failed|Error"
bash scripts/test-kotlin.sh -Dtest=HardeningTest 2>&1 \
    | grep -E "Kotlin fuzz run|Tests run:|FAIL" | head -5
PROPTEST_CASES=20000 cargo test -q --release -p mutualis --test hardening extreme_calls 2>&1 | tail -2
