#!/usr/bin/env bash
# Builds the Kotlin binding's native library for the three Android ABIs
# (docs/android.md) with the size-optimised `release-android` profile, and
# lays the results out as an app's jniLibs/ directory expects:
#   <out>/arm64-v8a/libmutualis_kotlin.so     (aarch64-linux-android)
#   <out>/armeabi-v7a/libmutualis_kotlin.so   (armv7-linux-androideabi)
#   <out>/x86_64/libmutualis_kotlin.so        (x86_64-linux-android)
# then generates the Android flavour of the Kotlin sources from one of them.
#
# Without an NDK (ANDROID_NDK_HOME unset or not a directory) it builds
# nothing, says so and exits 0: the check is skipped, not failed.
#
# Usage: scripts/check-android.sh [extra cargo build args...]
# Env:   ANDROID_NDK_HOME  the NDK (r26 or later)               (required to build)
#        ANDROID_API       API level of the NDK compilers        (default: 26, the minSdk)
#        FEATURES          "lean" (default: --no-default-features, no Parquet/Arrow
#                          ingestion) or "full" (the default features)
#        OUT               the jniLibs directory                 (default: target/android/jniLibs)
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CARGO="${CARGO:-cargo}"
API="${ANDROID_API:-26}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="${OUT:-$TARGET_DIR/android/jniLibs}"
PROFILE=release-android
case "${FEATURES:-lean}" in
  lean) FEATURE_ARGS=(--no-default-features) ;;
  full) FEATURE_ARGS=() ;;
  *) echo "FEATURES must be lean or full, not ${FEATURES}" >&2; exit 2 ;;
esac

# Rust target | Android ABI | NDK clang prefix (the API level is appended)
TARGETS=(
  "aarch64-linux-android|arm64-v8a|aarch64-linux-android"
  "armv7-linux-androideabi|armeabi-v7a|armv7a-linux-androideabi"
  "x86_64-linux-android|x86_64|x86_64-linux-android"
)

step() { printf '==> %s\n' "$*"; }

if [ -z "${ANDROID_NDK_HOME:-}" ] || [ ! -d "${ANDROID_NDK_HOME}" ]; then
  echo "SKIPPED: no Android NDK (set ANDROID_NDK_HOME to an NDK r26+ directory to build"
  echo "         libmutualis_kotlin.so for arm64-v8a, armeabi-v7a and x86_64; see docs/android.md)."
  exit 0
fi

case "$(uname -s)" in
  Darwin) HOST_TAG=darwin-x86_64 ;;
  *)      HOST_TAG=linux-x86_64 ;;
esac
TOOLCHAIN="$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/$HOST_TAG/bin"
if [ ! -d "$TOOLCHAIN" ]; then
  echo "ANDROID_NDK_HOME=$ANDROID_NDK_HOME has no LLVM toolchain at $TOOLCHAIN (NDK r19 or later needed)" >&2
  exit 1
fi

installed="$(rustup target list --installed 2>/dev/null || true)"
for entry in "${TARGETS[@]}"; do
  IFS='|' read -r target abi clang <<<"$entry"
  if ! grep -qx "$target" <<<"$installed"; then
    step "rustup target add $target"
    rustup target add "$target"
  fi
done

for entry in "${TARGETS[@]}"; do
  IFS='|' read -r target abi clang <<<"$entry"
  cc="$TOOLCHAIN/${clang}${API}-clang"
  if [ ! -x "$cc" ]; then
    echo "no compiler $cc in the NDK (is API level $API supported by this NDK?)" >&2
    exit 1
  fi
  env_target="${target//-/_}"
  upper="$(tr '[:lower:]' '[:upper:]' <<<"$env_target")"
  step "cargo build -p mutualis-kotlin --target $target --profile $PROFILE ${FEATURE_ARGS[*]:-}"
  env "CC_${env_target}=$cc" "AR_${env_target}=$TOOLCHAIN/llvm-ar" \
      "CARGO_TARGET_${upper}_LINKER=$cc" \
      "$CARGO" build -p mutualis-kotlin --target "$target" --profile "$PROFILE" \
      ${FEATURE_ARGS[@]+"${FEATURE_ARGS[@]}"} "$@"
  lib="$TARGET_DIR/$target/$PROFILE/libmutualis_kotlin.so"
  mkdir -p "$OUT/$abi"
  cp "$lib" "$OUT/$abi/libmutualis_kotlin.so"
  printf '    %-12s %8d bytes\n' "$abi" "$(wc -c <"$lib")"
done

step "uniffi-bindgen generate (kotlin, android) -> $OUT/../kotlin"
"$CARGO" build -p uniffi-bindgen
rm -rf "$OUT/../kotlin"
"$TARGET_DIR/debug/uniffi-bindgen" generate \
  --library "$TARGET_DIR/aarch64-linux-android/$PROFILE/libmutualis_kotlin.so" \
  --language kotlin --no-format \
  --config "$ROOT/bindings-kotlin/uniffi-android.toml" \
  --out-dir "$OUT/../kotlin"
grep -q "SystemCleaner" "$OUT/../kotlin/fr/mutualis/mutualis_kotlin.kt" || {
  echo "the generated sources lack Android's cleaner: uniffi-android.toml was not applied" >&2
  exit 1
}
cp "$ROOT/bindings-kotlin/jvm/src/main/kotlin/fr/mutualis/Coroutines.kt" "$OUT/../kotlin/fr/mutualis/"
step "done: $OUT (jniLibs) and $OUT/../kotlin (sources)"
