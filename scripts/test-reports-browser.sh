#!/usr/bin/env bash
# The reports in a real browser (issue 18): renders each Roannais report
# written by the main job in headless Chromium (Debian's `chromium`,
# installed with apt-get when missing), and checks that each screenshot is
# not blank and that the page logged nothing to the console (the reports
# need no script and no network: any console message is an error).
#
#   bash scripts/test-reports-browser.sh [REPORT.html ...]
#
# Without arguments it runs the main job (scripts/run-main.sh), which
# writes the reports to target/reports/.
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

log() { printf '==> %s\n' "$*" >&2; }

find_chromium() {
    command -v chromium || command -v chromium-browser || true
}

BROWSER="${CHROMIUM:-$(find_chromium)}"
if [[ -z "$BROWSER" ]]; then
    log "installing Debian's chromium (apt-get)"
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then SUDO=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
    BROWSER="$(find_chromium)"
fi
[[ -n "$BROWSER" ]] || { log "no chromium"; exit 1; }

if [[ $# -gt 0 ]]; then
    REPORTS=("$@")
else
    log "running the main job (writes target/reports/*.html)"
    bash scripts/run-main.sh >/dev/null
    mapfile -t REPORTS < <(ls target/reports/*.html)
fi
[[ ${#REPORTS[@]} -gt 0 ]] || { log "no report to render"; exit 1; }

OUT="$ROOT/target/reports-browser"
rm -rf "$OUT"
mkdir -p "$OUT"
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT

status=0
for html in "${REPORTS[@]}"; do
    name="$(basename "$html" .html)"
    png="$OUT/$name.png"
    err="$OUT/$name.log"
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --user-data-dir="$PROFILE" \
        --enable-logging=stderr --v=0 --log-level=0 \
        --window-size=1000,1400 --screenshot="$png" \
        "file://$(cd "$(dirname "$html")" && pwd -P)/$(basename "$html")" 2>"$err" >/dev/null || true
    if ! python3 - "$png" "$err" <<'PY'
import struct
import sys
import zlib

png, log = sys.argv[1], sys.argv[2]

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"unexpected PNG depth {depth} colour {colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    prev, rows, i = bytearray(stride), [], 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return rows, width, height, bpp

rows, width, height, bpp = pixels(png)
total = width * height
ink = sum(1 for r in rows for x in range(0, len(r), bpp) if min(r[x], r[x + 1], r[x + 2]) < 200)
colour = sum(1 for r in rows for x in range(0, len(r), bpp)
             if max(r[x], r[x + 1], r[x + 2]) - min(r[x], r[x + 1], r[x + 2]) > 60)
console = [l for l in open(log, encoding="utf-8", errors="replace")
           if "CONSOLE" in l or "Uncaught" in l or "Failed to load resource" in l]
print(f"{png}: {width}x{height}, {100 * ink / total:.1f} % ink, {100 * colour / total:.1f} % colour, "
      f"{len(console)} console message(s)")
ok = True
if ink < total * 0.01:
    print("  blank: less than 1 % of the page is drawn"); ok = False
if ink > total * 0.9:
    print("  not a page: more than 90 % is dark"); ok = False
if colour < total * 0.001:
    print("  no colour: the title and charts are missing"); ok = False
for l in console:
    print("  console:", l.strip()); ok = False
sys.exit(0 if ok else 1)
PY
    then
        status=1
    fi
done
if [[ $status -eq 0 ]]; then
    log "${#REPORTS[@]} reports rendered in Chromium: none blank, no console message"
fi
exit $status
