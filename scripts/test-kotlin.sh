#!/usr/bin/env bash
# Build the Kotlin bindings end to end and run their JUnit tests:
#   cargo build (cdylib) -> uniffi-bindgen (Kotlin sources) -> mvn test.
#
# Usage: scripts/test-kotlin.sh [extra mvn args...]   (from any directory)
# Env:   CARGO_TARGET_DIR  cargo target dir (default: <repo>/target)
#        CARGO             cargo binary (default: cargo)
#        MVN               maven binary (default: mvn)
# Needs: cargo, a JDK 17+ and Maven 3.8+; Maven downloads its plugins and
# dependencies from Maven Central on the first run.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CARGO="${CARGO:-cargo}"
MVN="${MVN:-mvn}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
export CARGO_TARGET_DIR="$TARGET_DIR"
NATIVE_DIR="$TARGET_DIR/debug"

case "$(uname -s)" in
  Darwin) LIB="$NATIVE_DIR/libmutualis_kotlin.dylib" ;;
  *)      LIB="$NATIVE_DIR/libmutualis_kotlin.so" ;;
esac
BINDGEN="$NATIVE_DIR/uniffi-bindgen"
JVM_DIR="$ROOT/bindings-kotlin/jvm"
GEN_DIR="$JVM_DIR/target/generated-sources/uniffi"

step() { printf '==> %s\n' "$*"; }

step "cargo build -p mutualis-kotlin"
"$CARGO" build -p mutualis-kotlin

# Built once, then cached by cargo (it is outside default-members).
step "cargo build -p uniffi-bindgen"
"$CARGO" build -p uniffi-bindgen

# Regenerate from scratch so removed items do not leave stale Kotlin files.
# Library mode reads bindings-kotlin/uniffi.toml via cargo metadata; do not
# pass it with --config (uniffi >= 0.32 ignores old-style files there).
step "uniffi-bindgen generate (kotlin) -> ${GEN_DIR#"$ROOT"/}"
rm -rf "$GEN_DIR"
"$BINDGEN" generate --library "$LIB" --language kotlin \
  --no-format --out-dir "$GEN_DIR"

# kotlin-maven-plugin compiles incrementally and never deletes the .class of
# a removed source file (a deleted test would still run, against bindings that
# no longer exist): start from empty output directories. Not `mvn clean`, which
# would also delete the sources just generated under target/.
rm -rf "$JVM_DIR/target/classes" "$JVM_DIR/target/test-classes"

step "mvn test"
"$MVN" -B --no-transfer-progress -Dstyle.color=never \
  -f "$JVM_DIR/pom.xml" test \
  -Dmutualis.native.dir="$NATIVE_DIR" "$@"
