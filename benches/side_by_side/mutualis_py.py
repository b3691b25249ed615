"""Mutualis through its Python binding, for the side-by-side benchmark.

    python mutualis_py.py DATA_DIR OUT_JSON

Ingests DATA_DIR/parquet/<table>.parquet (the same files the peers read)
with ``Mutualis.ingest_parquet`` (every domain check), then asks the four
questions of docs/bench-spec.md through ``ledger_group`` (the resident memory
after loading is reported) (the conversion of
its columns to rows is not timed), writing the same JSON shape as the other
engines.
"""

import json
import sys
import time

import mutualis


def resident_bytes():
    """This process's resident memory (VmRSS), None where /proc is absent."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def cents(x) -> int:
    return int(x * 100)


def main() -> None:
    data, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    m = mutualis.Mutualis()
    m.ingest_parquet(f"{data}/parquet")
    load_s = time.perf_counter() - t0
    rss = resident_bytes()
    t1 = time.perf_counter()
    g1 = m.ledger_group(["year", "payer", "service", "nature"])
    g2 = m.ledger_group(["year", "performer", "payer"])
    g3 = m.ledger_group(["year", "supplier"], nature="external")
    g4 = m.ledger_group(["tag"])
    query_s = time.perf_counter() - t1
    answers = {
        "q1": [[y, p, s or "", n, cents(t)] for y, p, s, n, t in
               zip(g1["year"], g1["payer"], g1["service"], g1["nature"], g1["ttc"])],
        "q2": [[y, c, d, cents(t)] for y, c, d, t in
               zip(g2["year"], g2["performer"], g2["payer"], g2["ttc"]) if c and c != d],
        "q3": [[y, s, w, cents(h)] for y, s, w, h in
               zip(g3["year"], g3["supplier"], g3["work_orders"], g3["ht"])],
        "q4": [[t, cents(c)] for t, c in zip(g4["tag"], g4["ttc"]) if t],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"engine": "mutualis-python", "threads": 1, "load_s": load_s,
                   "query_s": query_s, "rss_after_load_bytes": rss, "answers": answers}, f)


if __name__ == "__main__":
    main()
