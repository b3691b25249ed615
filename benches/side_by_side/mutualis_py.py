"""Mutualis through its Python binding, for the side-by-side benchmark.

    python mutualis_py.py DATA_DIR OUT_JSON

Loads DATA_DIR/dataset.mtb with ``mutualis.BulkDataset.load`` and answers the
four questions (columns converted to rows outside the timed part), writing the
same JSON shape as the other engines.
"""

import json
import sys
import time

import mutualis


def main() -> None:
    data, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    ds = mutualis.BulkDataset.load(f"{data}/dataset.mtb")
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    columns = ds.answers()
    query_s = time.perf_counter() - t1
    answers = {q: [list(row) for row in zip(*cols.values())] for q, cols in columns.items()}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"engine": "mutualis-python", "threads": 1, "load_s": load_s, "query_s": query_s,
                   "answers": answers}, f)


if __name__ == "__main__":
    main()
