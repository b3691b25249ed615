"""Side-by-side benchmark: Mutualis vs DuckDB, polars and pandas (docs/bench-spec.md).

    python benches/side_by_side/run.py --scales 10k,100k [--threads 1,2]
        [--engines duckdb,polars,pandas] [--mutualis CMD ...] [--reference] [--repeat R]

For each scale: generates the data once with the Rust generator into
target/side-by-side/SCALE/ (a user's tables as Parquet and CSV; skipped when
already there), then runs every engine configuration in its own process
(`engines.py --engine E --threads N --data DIR --out result.json`), measuring
the child's peak RSS with os.wait4. Mutualis runs first — by default the
`answer` binary of mutualis-benches (skipped with a note when it does not
exist yet) — and every engine's answers must equal the first engine's
exactly. Prints one table and writes target/side-by-side/results.json.
Exits non-zero if any answers differ or any engine fails.

--mutualis CMD (repeatable) replaces the default Mutualis command; CMD may be
`LABEL=COMMAND`, and COMMAND has {data}, {out} and {threads} placeholders, e.g.
  --mutualis "mutualis-py=python my_answer.py --data {data} --out {out}"
--mutualis none skips Mutualis; --mutualis default is the Rust `answer` binary
  (so `--mutualis default --mutualis "mutualis-python=..."` runs both).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT_ROOT = ROOT / "target" / "side-by-side"
sys.path.insert(0, str(HERE))
from engines import QUESTIONS, normalise  # noqa: E402  (stdlib-only at import)

DEFAULT_MUTUALIS = "mutualis={bin} --data {data} --out {out}"


def parse_scale(text: str) -> tuple[str, int]:
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    n = int(float(t[:-1]) * mult) if t[-1:] in ("k", "m") else int(t)
    return t, n


def run_child(cmd: list[str], log: Path, env=None) -> dict:
    """Run cmd, wait with os.wait4: exit code, wall seconds, the child's own peak
    RSS (MB; Linux reports ru_maxrss in KiB, including its waited-for children)."""
    t0 = time.perf_counter()
    with open(log, "wb") as f:
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return {"rc": p.returncode, "wall_s": time.perf_counter() - t0,
            "peak_mb": usage.ru_maxrss / 1024.0}


def tail(path: Path, n: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def lines_of(data: Path) -> int | None:
    """The number of cost lines of a generated dataset (Parquet metadata
    read by hand would need pyarrow: the CSV's line count instead)."""
    try:
        with open(data / "csv" / "cost_lines.csv", "rb") as f:
            return max(0, sum(1 for _ in f) - 1)
    except OSError:
        return None


def generator_stamp(n: int) -> str:
    """The scale and a hash of the generator's source: data made by an older
    generator is made again."""
    h = hashlib.sha256()
    sources = sorted((ROOT / "benches" / "src" / "bin").glob("generate*"))
    sources.append(ROOT / "benches" / "src" / "generate.rs")
    for src in sources:
        for f in sorted([src] if src.is_file() else src.rglob("*.rs")):
            h.update(f.read_bytes())
    return f"scale {n} generator {h.hexdigest()[:16]}\n"


def generate(label: str, n: int) -> Path:
    out = OUT_ROOT / label
    done = out / ".complete"
    stamp = generator_stamp(n)
    if done.exists() and done.read_text() == stamp:
        print(f"[{label}] data already in {out.relative_to(ROOT)}", flush=True)
        return out
    if out.exists():
        shutil.rmtree(out)  # stale (older generator) or half-written
    out.mkdir(parents=True, exist_ok=True)
    cmd = ["cargo", "run", "--release", "-q", "-p", "mutualis-benches", "--bin", "generate",
           "--", "--scale", str(n), "--out", str(out)]
    print(f"[{label}] generating: {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    done.write_text(stamp)
    print(f"[{label}] generated in {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def build_mutualis() -> tuple[str | None, str]:
    """Build the `answer` binary; (path, note)."""
    cmd = ["cargo", "build", "--release", "-q", "-p", "mutualis-benches", "--bin", "answer"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        first = (r.stderr.strip().splitlines() or ["?"])[0]
        return None, f"Mutualis skipped: `{' '.join(cmd)}` failed ({first})"
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "release" / "answer"), ""


def mutualis_commands(specs: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    notes: list[str] = []
    if specs == ["none"]:
        return [], ["Mutualis skipped (--mutualis none)"]
    if not specs:
        specs = ["default"]
    if "default" in specs:
        binary, note = build_mutualis()
        if binary is None:
            notes.append(note)
            specs = [s for s in specs if s != "default"]
        else:
            specs = [DEFAULT_MUTUALIS.replace("{bin}", shlex.quote(binary)) if s == "default" else s for s in specs]
    out = []
    for i, spec in enumerate(specs):
        label, sep, cmd = spec.partition("=")
        if not sep or " " in label or not label:
            label, cmd = ("mutualis" if i == 0 else f"mutualis{i + 1}"), spec
        out.append((label, cmd))
    return out, notes


def diff(base: dict, other: dict) -> str:
    parts = []
    for q in QUESTIONS:
        a, b = set(base[q]), set(other[q])
        if a != b:
            missing, extra = sorted(a - b), sorted(b - a)
            parts.append(f"{q}: {len(missing)} missing, {len(extra)} extra "
                         f"(e.g. missing {missing[:3]}, extra {extra[:3]})")
    return "; ".join(parts)


def fmt(x, spec=".3f") -> str:
    return "-" if x is None else format(x, spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="10k", help="comma-separated, e.g. 10k,100k,1m")
    ap.add_argument("--engines", default="duckdb,polars,pandas")
    ap.add_argument("--threads", default=None,
                    help=f"thread counts for DuckDB and polars (default 1,{os.cpu_count()})")
    ap.add_argument("--mutualis", action="append", default=[], metavar="CMD")
    ap.add_argument("--reference", action="store_true",
                    help="also run the plain-Python reference (slow: small scales only)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="each engine runs the questions R times and keeps the fastest")
    args = ap.parse_args(argv)

    threads = sorted({int(t) for t in (args.threads or f"1,{os.cpu_count() or 1}").split(",")})
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    mutualis, notes = mutualis_commands(args.mutualis)
    for note in notes:
        print(f"NOTE: {note}", flush=True)

    rows, failures = [], []
    for scale_text in args.scales.split(","):
        label, n = parse_scale(scale_text)
        data = generate(label, n)
        res_dir = OUT_ROOT / label / "results"
        res_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        prep = run_child([sys.executable, str(HERE / "engines.py"), "--engine", "prepare",
                          "--data", str(data)], res_dir / "prepare.log")
        if prep["rc"] != 0:
            print(tail(res_dir / "prepare.log"))
            raise SystemExit(f"[{label}] Parquet conversion failed")
        print(f"[{label}] Parquet ready ({time.perf_counter() - t0:.1f} s)", flush=True)

        configs = []  # (engine label, threads, argv, out path)
        for mlabel, cmd in mutualis:
            out = res_dir / f"{mlabel}.json"
            argv_ = shlex.split(cmd.format(data=str(data), out=str(out), threads=threads[-1]))
            configs.append((mlabel, None, argv_, out))
        for e in engines:
            for t in ([1] if e == "pandas" else threads):
                out = res_dir / f"{e}-t{t}.json"
                configs.append((e, t, [sys.executable, str(HERE / "engines.py"), "--engine", e,
                                       "--threads", str(t), "--data", str(data), "--out",
                                       str(out), "--repeat", str(args.repeat)], out))
        if args.reference:
            out = res_dir / "reference.json"
            configs.append(("reference", 1, [sys.executable, str(HERE / "engines.py"), "--engine",
                                             "reference", "--data", str(data), "--out",
                                             str(out)], out))

        base, base_name, mut = None, None, None
        for name, t, argv_, out in configs:
            out.unlink(missing_ok=True)
            log = out.with_suffix(".log")
            env = dict(os.environ)
            if t is not None:
                env["POLARS_MAX_THREADS"] = str(t)
            print(f"[{label}] {name} threads={t if t is not None else '-'} ...", flush=True)
            child = run_child(argv_, log, env)
            row = {"engine": name, "threads": t, "scale": label, "n": n, "peak_mb": child["peak_mb"],
                   "wall_s": child["wall_s"], "load_s": None, "query_s": None, "check": ""}
            if child["rc"] != 0 or not out.exists():
                row["check"] = f"FAILED rc={child['rc']}"
                print(tail(log))
                failures.append(f"{label} {name} t={t}: exit {child['rc']} (log {log})")
                rows.append(row)
                continue
            result = json.loads(out.read_text())
            row["load_s"], row["query_s"] = result.get("load_s"), result.get("query_s")
            row["rss_mb"] = (result["rss_after_load_bytes"] / 1e6
                             if result.get("rss_after_load_bytes") else None)
            if t is None and result.get("threads") is not None:
                row["threads"] = result["threads"]
            row["versions"] = result.get("versions")
            answers = normalise(result["answers"])
            row["rows"] = {q: len(answers[q]) for q in QUESTIONS}
            lines = result.get("lines") or lines_of(data)
            row["rss_per_line"] = row["rss_mb"] * 1e6 / lines if row["rss_mb"] and lines else None
            if base is None:
                base, base_name = answers, f"{name}"
                row["check"] = "baseline"
            else:
                d = diff(base, answers)
                row["check"] = "same" if not d else "DIFFER"
                if d:
                    failures.append(f"{label} {name} t={t} differs from {base_name}: {d}")
            if name.startswith("mutualis") and mut is None:
                mut = row
            rows.append(row)
        for row in rows:
            if row["scale"] == label and mut is not None and row["load_s"] is not None:
                row["load_ratio"] = row["load_s"] / mut["load_s"] if mut["load_s"] else None
                row["query_ratio"] = row["query_s"] / mut["query_s"] if mut["query_s"] else None
        if base is not None:
            print(f"[{label}] answer rows: " +
                  ", ".join(f"{q}={len(base[q])}" for q in QUESTIONS), flush=True)

    header = ["engine", "threads", "scale", "load s", "query s", "peak MB",
              "RSS after load MB", "B/cost line", "load/mutualis", "query/mutualis", "answers"]
    table = [[r["engine"], "-" if r["threads"] is None else str(r["threads"]), r["scale"],
              fmt(r["load_s"]), fmt(r["query_s"]), fmt(r["peak_mb"], ".0f"),
              fmt(r.get("rss_mb"), ".0f"), fmt(r.get("rss_per_line"), ".0f"),
              fmt(r.get("load_ratio"), ".2f"), fmt(r.get("query_ratio"), ".2f"), r["check"]]
             for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in table)) for i, h in enumerate(header)]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in table:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
    versions = next((r["versions"] for r in rows if r.get("versions")), None)
    if versions:
        print("\n" + ", ".join(f"{k} {v}" for k, v in versions.items()))
    for note in notes:
        print(f"NOTE: {note}")
    OUT_ROOT.mkdir(parents=True, exist_ok=True)
    (OUT_ROOT / "results.json").write_text(json.dumps(
        {"rows": rows, "notes": notes, "failures": failures, "cpus": os.cpu_count()}, indent=1))
    if failures:
        print("\nFAILED:")
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
