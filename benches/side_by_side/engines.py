"""The four questions of docs/bench-spec.md, answered by DuckDB, polars and pandas
(plus a plain-Python reference to validate them on small data).

Each ``*_answers`` function returns ``(answers, timings)``:

* ``answers``: ``{"q1": [...], "q2": [...], "q3": [...], "q4": [...]}``, lists of
  tuples of ints, normalised by :func:`normalise` (sorted; rows whose summed
  cents are 0 dropped from q1, q2 and q4 — see ``normalise``);
* ``timings``: ``{"load_s": ..., "query_s": ...}`` measured with
  ``time.perf_counter``. Load = Parquet files into the engine's memory; query =
  the four questions, up to results materialised in the engine's own form
  (DuckDB numpy arrays, polars/pandas DataFrames); the conversion to Python
  tuples is not timed.

DuckDB, polars and pandas read the Parquet files that :func:`ensure_parquet`
makes once from the CSVs with DuckDB's ``COPY`` (in ``DATA/parquet/``).

Command line (one engine configuration per process, so that
``POLARS_MAX_THREADS`` is set before polars is imported):

    python engines.py --engine duckdb|polars|pandas|reference --threads N \
        --data DIR --out result.json [--repeat R]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

# The user's tables the peers read (docs/ingest.md), the same Parquet files
# Mutualis ingests, plus ancestors (asset, ancestor, depth), which the
# generator writes for the peers (the ingestion ignores it). cost_lines also
# carries `year` (the year of `date`), a column the ingestion ignores: the
# hand-made fixture groups by years that are not its days' calendar years.
USER_TABLES = ["tenants", "assets", "ancestors", "custody", "sharing_keys", "key_shares",
               "teams", "stores", "work_orders", "cost_lines"]
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


EXTERNAL = "external"  # cost_lines.nature of an external (supplier) line
OPEN_DAY = "9999-12-31"  # the `to` of an open-ended period, for comparisons
INT64_MAX = 2**63 - 1
QUESTIONS = ("q1", "q2", "q3", "q4")


# --------------------------------------------------------------------------
# Normalisation and helpers
# --------------------------------------------------------------------------

def normalise(answers: dict) -> dict:
    """Sorted lists of tuples (codes as str, years and cents as int). Rows whose cents sum to 0 are dropped from
    q1, q2 and q4: whether a group whose parts are all 0 (e.g. the payer who
    gets 0 of a 1-cent line split 50/50) is a row is not fixed by the spec, so
    every engine, Mutualis included, is compared without such rows. q3 rows
    always count at least one work order and are all kept."""
    out = {}
    for q in QUESTIONS:
        rows = [tuple(v if isinstance(v, str) else int(v) for v in row) for row in answers[q]]
        if q != "q3":
            rows = [r for r in rows if r[-1] != 0]
        out[q] = sorted(rows)
    return out


def check_no_overflow(max_ttc: int, max_weight: int) -> None:
    """a·w must fit in int64 (polars and numpy wrap silently on overflow)."""
    if max_ttc is not None and max_weight is not None and max_ttc * max_weight > INT64_MAX:
        raise OverflowError(f"ttc·weight may overflow int64: {max_ttc} × {max_weight}")


def parquet_dir(data_dir) -> Path:
    return Path(data_dir) / "parquet"


def ensure_parquet(data_dir) -> Path:
    """DATA/parquet/<table>.parquet, written by the Rust generator (or by
    fixture.py), complete once DATA/parquet/_done exists."""
    out = parquet_dir(data_dir)
    if not (out / "_done").exists():
        raise FileNotFoundError(f"no finished Parquet tables in {out}")
    return out


# --------------------------------------------------------------------------
# Reference: plain Python over the CSVs
# --------------------------------------------------------------------------

def split(amount: int, weights: list[tuple[int, int]]) -> dict[int, int]:
    """Largest-remainder split of ``amount`` cents between (tenant, weight)
    pairs: floor parts, then the leftover cents one each to the largest
    remainders, ties to the smaller tenant id."""
    total = sum(w for _, w in weights)
    parts, rems = {}, []
    for tenant, w in weights:
        q, r = divmod(amount * w, total)
        parts[tenant] = parts.get(tenant, 0) + q
        rems.append((-r, tenant))
    leftover = amount - sum(parts.values())
    for _, tenant in sorted(rems)[:leftover]:
        parts[tenant] += 1
    return parts


def _cents(x) -> int:
    return int(x * 100)


def _rows(pq: Path, table: str) -> list:
    import pyarrow.parquet as papq

    return papq.read_table(pq / f"{table}.parquet").to_pylist()


def reference_answers(data_dir):
    import datetime

    pq = ensure_parquet(data_dir)
    t0 = time.perf_counter()
    open_day = datetime.date.fromisoformat(OPEN_DAY)
    assets = _rows(pq, "assets")
    owner = {a["code"]: a["owner"] for a in assets}
    ancestors: dict = {}
    for r in _rows(pq, "ancestors"):
        ancestors.setdefault(r["asset"], []).append((r["depth"], r["ancestor"]))
    for lst in ancestors.values():
        lst.sort()
    keys: dict = {}
    for r in _rows(pq, "sharing_keys"):
        keys.setdefault(r["asset"], []).append((r["from"], r["to"] or open_day, r["key"]))
    custody: dict = {}
    for r in _rows(pq, "custody"):
        custody.setdefault(r["asset"], []).append((r["from"], r["to"] or open_day, r["beneficiary"]))
    shares: dict = {}
    for r in _rows(pq, "key_shares"):
        shares.setdefault(r["key"], []).append((r["tenant"], r["weight"]))
    team = {t["code"]: t["tenant"] for t in _rows(pq, "teams")}
    store = {t["code"]: t["tenant"] for t in _rows(pq, "stores")}
    work_orders = {}
    for w in _rows(pq, "work_orders"):
        service = f"{w['service_tenant']}/{w['service']}" if w["service"] else ""
        work_orders[w["code"]] = {"asset": w["asset"], "service": service, "tag": w["tags"]}
    lines = []
    for ln in _rows(pq, "cost_lines"):
        provider = team.get(ln["team"]) or store.get(ln["store"]) or owner.get(ln["vehicle"])
        lines.append({"work_order": ln["work_order"], "day": ln["date"], "year": ln["year"],
                      "nature": ln["nature"], "provider": provider, "supplier": ln["supplier"],
                      "ht": _cents(ln["ht"]), "ttc": _cents(ln["ttc"])})
    t1 = time.perf_counter()

    def valid(periods, day):
        for lo, hi, value in periods:
            if lo <= day <= hi:
                return value
        return None

    def payers(asset, day):
        chain = ancestors.get(asset, [(0, asset)])
        for _, anc in chain:
            key = valid(keys.get(anc, ()), day)
            if key is not None:
                return shares[key]
        for _, anc in chain:
            ben = valid(custody.get(anc, ()), day)
            if ben is not None:
                return [(ben, 1)]
        return [(owner[asset], 1)]

    q1: dict = {}
    q2: dict = {}
    q3: dict = {}
    q4: dict = {}
    for ln in lines:
        wo = work_orders[ln["work_order"]]
        year, ttc = ln["year"], ln["ttc"]
        parts = split(ttc, payers(wo["asset"], ln["day"]))
        for payer, part in parts.items():
            k1 = (year, payer, wo["service"], ln["nature"])
            q1[k1] = q1.get(k1, 0) + part
            if ln["provider"] is not None and payer != ln["provider"]:
                k2 = (year, ln["provider"], payer)
                q2[k2] = q2.get(k2, 0) + part
        if ln["nature"] == EXTERNAL:
            entry = q3.setdefault((year, ln["supplier"]), [set(), 0])
            entry[0].add(ln["work_order"])
            entry[1] += ln["ht"]
        if wo["tag"] is not None:
            q4[wo["tag"]] = q4.get(wo["tag"], 0) + ttc
    answers = {
        "q1": [(*k, v) for k, v in q1.items()],
        "q2": [(*k, v) for k, v in q2.items()],
        "q3": [(*k, len(v[0]), v[1]) for k, v in q3.items()],
        "q4": list(q4.items()),
    }
    t2 = time.perf_counter()
    return normalise(answers), {"load_s": t1 - t0, "query_s": t2 - t1}


# --------------------------------------------------------------------------
# DuckDB
# --------------------------------------------------------------------------

# The user's tables in the shape the questions read: codes as keys, open
# periods closed on OPEN_DAY, amounts in integer cents, the provider of
# each régie line (its team's, store's or vehicle's tenant).
DUCKDB_LOAD = f"""
CREATE TABLE assets AS SELECT code AS id, owner FROM u_assets;
CREATE TABLE ancestors AS SELECT asset, ancestor, depth FROM u_ancestors;
CREATE TABLE custody AS SELECT asset, "from" AS from_day,
    coalesce("to", DATE '{OPEN_DAY}') AS to_day, beneficiary FROM u_custody;
CREATE TABLE "keys" AS SELECT "key", asset, "from" AS from_day,
    coalesce("to", DATE '{OPEN_DAY}') AS to_day FROM u_sharing_keys;
CREATE TABLE key_shares AS SELECT "key", tenant, weight FROM u_key_shares;
CREATE TABLE work_orders AS SELECT code AS id, asset,
    coalesce(service_tenant || '/' || service, '') AS service, tags AS tag FROM u_work_orders;
CREATE TABLE lines AS
SELECT row_number() OVER () AS id, l.work_order, l."date" AS day, l.year, l.nature,
       coalesce(t.tenant, s.tenant, v.owner) AS provider, l.supplier,
       CAST(l.ht * 100 AS BIGINT) AS ht, CAST(l.ttc * 100 AS BIGINT) AS ttc
FROM u_cost_lines l
LEFT JOIN u_teams t ON t.code = l.team
LEFT JOIN u_stores s ON s.code = l.store
LEFT JOIN u_assets v ON v.code = l.vehicle;
"""

DUCKDB_PARTS = f"""
CREATE OR REPLACE TEMP TABLE lw AS
SELECT l.id, l.work_order, l.day, l.year, l.nature, l.provider, l.supplier,
       l.ht, l.ttc, w.asset, w.service, w.tag
FROM lines l JOIN work_orders w ON w.id = l.work_order;

-- Step 1: the key valid on the line's day on the nearest ancestor (depth 0 = itself).
CREATE OR REPLACE TEMP TABLE line_key AS
SELECT lw.id AS line, arg_min(k."key", an.depth) AS "key"
FROM lw
JOIN ancestors an ON an.asset = lw.asset
JOIN "keys" k ON k.asset = an.ancestor AND lw.day BETWEEN k.from_day AND k.to_day
GROUP BY lw.id;

-- Step 2: else the custody period valid on the day on the nearest ancestor.
CREATE OR REPLACE TEMP TABLE line_custody AS
SELECT lw.id AS line, arg_min(c.beneficiary, an.depth) AS payer
FROM lw
JOIN ancestors an ON an.asset = lw.asset
JOIN custody c ON c.asset = an.ancestor AND lw.day BETWEEN c.from_day AND c.to_day
WHERE lw.id NOT IN (SELECT line FROM line_key)
GROUP BY lw.id;

CREATE OR REPLACE TEMP TABLE key_total AS
SELECT "key", sum(weight)::BIGINT AS total FROM key_shares GROUP BY "key";

-- The parts of every line: largest-remainder split of the key lines, the whole
-- TTC for custody and owner lines.
CREATE OR REPLACE TEMP TABLE parts AS
WITH ks AS (
    SELECT lw.id AS line, lw.year, lw.service, lw.nature, lw.provider, lw.ttc,
           s.tenant AS payer,
           (lw.ttc * s.weight) // kt.total AS fl,
           (lw.ttc * s.weight) % kt.total AS rem
    FROM lw
    JOIN line_key lk ON lk.line = lw.id
    JOIN key_shares s ON s.key = lk.key
    JOIN key_total kt ON kt.key = lk.key
), ranked AS (
    SELECT *,
           ttc - sum(fl) OVER (PARTITION BY line) AS leftover,
           row_number() OVER (PARTITION BY line ORDER BY rem DESC, payer ASC) AS rk
    FROM ks
)
SELECT year, service, nature, provider, payer,
       (fl + CASE WHEN rk <= leftover THEN 1 ELSE 0 END)::BIGINT AS part
FROM ranked
UNION ALL
SELECT lw.year, lw.service, lw.nature, lw.provider, lc.payer, lw.ttc
FROM lw JOIN line_custody lc ON lc.line = lw.id
UNION ALL
SELECT lw.year, lw.service, lw.nature, lw.provider, a.owner, lw.ttc
FROM lw JOIN assets a ON a.id = lw.asset
WHERE lw.id NOT IN (SELECT line FROM line_key)
  AND lw.id NOT IN (SELECT line FROM line_custody);
"""

DUCKDB_QUESTIONS = {
    "q1": """SELECT year, payer, service, nature, sum(part)::BIGINT AS cents
             FROM parts GROUP BY year, payer, service, nature""",
    "q2": """SELECT year, provider AS creditor, payer AS debtor, sum(part)::BIGINT AS cents
             FROM parts WHERE provider IS NOT NULL AND payer <> provider
             GROUP BY year, provider, payer""",
    "q3": f"""SELECT year, supplier, count(DISTINCT work_order) AS work_orders,
                     sum(ht)::BIGINT AS ht_cents
              FROM lw WHERE nature = '{EXTERNAL}' GROUP BY year, supplier""",
    "q4": """SELECT tag, sum(ttc)::BIGINT AS cents FROM lw WHERE tag IS NOT NULL GROUP BY tag""",
}


def _numpy_rows(columns: dict) -> list:
    arrays = list(columns.values())
    return list(zip(*(a.tolist() for a in arrays)))


def duckdb_answers(data_dir, threads: int = 1, repeat: int = 1):
    import duckdb

    pq = ensure_parquet(data_dir)
    con = duckdb.connect()  # in memory
    con.execute(f"SET threads = {int(threads)}")
    t0 = time.perf_counter()
    for table in USER_TABLES:
        con.execute(f'CREATE TABLE "u_{table}" AS SELECT * FROM read_parquet(?)',
                    [str(pq / f"{table}.parquet")])
    con.execute(DUCKDB_LOAD)
    load_s = time.perf_counter() - t0
    rss = resident_bytes()
    max_ttc = con.execute("SELECT max(ttc) FROM lines").fetchone()[0]
    max_w = con.execute("SELECT max(weight) FROM key_shares").fetchone()[0]
    check_no_overflow(max_ttc, max_w)  # DuckDB would raise anyway
    best, results = None, None
    for _ in range(max(1, repeat)):
        t1 = time.perf_counter()
        con.execute(DUCKDB_PARTS)
        results = {q: con.execute(sql).fetchnumpy() for q, sql in DUCKDB_QUESTIONS.items()}
        dt = time.perf_counter() - t1
        best = dt if best is None else min(best, dt)
    answers = {q: _numpy_rows(cols) for q, cols in results.items()}
    con.close()
    return normalise(answers), {"load_s": load_s, "query_s": best, "rss_after_load_bytes": rss}


# --------------------------------------------------------------------------
# polars
# --------------------------------------------------------------------------

def _polars_queries(pl, t: dict):
    lines, wos, anc = t["lines"], t["work_orders"], t["ancestors"]
    lw = lines.join(
        wos.select(pl.col("id").alias("work_order"), "asset", "service", "tag"),
        on="work_order",
    )
    la = lw.select(pl.col("id").alias("line"), "asset", "day").join(anc, on="asset")

    def nearest(periods, value: str, alias: str):
        return (
            la.join(periods.rename({"asset": "ancestor"}), on="ancestor")
            .filter((pl.col("from_day") <= pl.col("day")) & (pl.col("day") <= pl.col("to_day")))
            .group_by("line")
            .agg(pl.col(value).sort_by("depth").first().alias(alias))
        )

    line_key = nearest(t["keys"], "key", "key")
    line_custody = nearest(t["custody"], "beneficiary", "payer").join(
        line_key.select("line"), on="line", how="anti"
    )
    key_total = t["key_shares"].group_by("key").agg(pl.col("weight").sum().alias("total"))
    cols = ["year", "service", "nature", "provider", "payer", "part"]
    aw = pl.col("ttc") * pl.col("weight")
    keyed = (
        lw.join(line_key, left_on="id", right_on="line")
        .join(t["key_shares"], on="key")
        .join(key_total, on="key")
        .with_columns(
            (aw // pl.col("total")).alias("fl"),
            (aw % pl.col("total")).alias("rem"),
            pl.col("tenant").alias("payer"),
        )
        .with_columns((pl.col("ttc") - pl.col("fl").sum().over("id")).alias("leftover"))
        .sort(["id", "rem", "payer"], descending=[False, True, False])
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).over("id").alias("rk"))
        .with_columns(
            (pl.col("fl") + (pl.col("rk") < pl.col("leftover")).cast(pl.Int64)).alias("part")
        )
        .select(cols)
    )
    custodied = (
        lw.join(line_custody, left_on="id", right_on="line")
        .with_columns(pl.col("ttc").alias("part"))
        .select(cols)
    )
    owned = (
        lw.join(line_key.select("line"), left_on="id", right_on="line", how="anti")
        .join(line_custody.select("line"), left_on="id", right_on="line", how="anti")
        .join(t["assets"].select(pl.col("id").alias("asset"), pl.col("owner").alias("payer")),
              on="asset")
        .with_columns(pl.col("ttc").alias("part"))
        .select(cols)
    )
    parts = pl.concat([keyed, custodied, owned], how="vertical")
    q1 = parts.group_by("year", "payer", "service", "nature").agg(pl.col("part").sum())
    q2 = (
        parts.filter(pl.col("provider").is_not_null() & (pl.col("payer") != pl.col("provider")))
        .group_by("year", "provider", "payer")
        .agg(pl.col("part").sum())
    )
    q3 = (
        lw.filter(pl.col("nature") == EXTERNAL)
        .group_by("year", "supplier")
        .agg(pl.col("work_order").n_unique().cast(pl.Int64), pl.col("ht").sum())
    )
    q4 = lw.filter(pl.col("tag").is_not_null()).group_by("tag").agg(pl.col("ttc").sum())
    return [q1, q2, q3, q4]


def _polars_tables(pl, u: dict) -> dict:
    """The user's tables in the shape the questions read (see DUCKDB_LOAD)."""
    import datetime

    open_day = pl.lit(datetime.date.fromisoformat(OPEN_DAY))
    cents = lambda c: (pl.col(c) * 100).cast(pl.Int64)  # noqa: E731 - exact decimals
    owner_of = u["assets"].select(pl.col("code").alias("vehicle"), pl.col("owner").alias("v_t"))
    lines = (
        u["cost_lines"]
        .join(u["teams"].select(pl.col("code").alias("team"), pl.col("tenant").alias("t_t")),
              on="team", how="left")
        .join(u["stores"].select(pl.col("code").alias("store"), pl.col("tenant").alias("s_t")),
              on="store", how="left")
        .join(owner_of, on="vehicle", how="left")
        .select(pl.int_range(pl.len(), dtype=pl.Int64).alias("id"), "work_order",
                pl.col("date").alias("day"), "year", "nature",
                pl.coalesce("t_t", "s_t", "v_t").alias("provider"), "supplier",
                cents("ht").alias("ht"), cents("ttc").alias("ttc"))
    )
    periods = lambda t, *cols: t.select(  # noqa: E731
        *cols, pl.col("from").alias("from_day"), pl.col("to").fill_null(open_day).alias("to_day"))
    wo = u["work_orders"]
    return {
        "assets": u["assets"].select(pl.col("code").alias("id"), "owner"),
        "ancestors": u["ancestors"],
        "custody": periods(u["custody"], "asset", "beneficiary"),
        "keys": periods(u["sharing_keys"], "key", "asset"),
        "key_shares": u["key_shares"].select("key", "tenant", "weight"),
        "work_orders": wo.select(
            pl.col("code").alias("id"), "asset",
            pl.concat_str([pl.col("service_tenant"), pl.col("service")], separator="/")
            .fill_null("").alias("service"),
            pl.col("tags").alias("tag")),
        "lines": lines,
    }


def polars_answers(data_dir, threads: int | None = None, repeat: int = 1):
    """POLARS_MAX_THREADS must be set before polars is first imported: the
    command line does it; in-process callers get whatever pool polars has."""
    if threads is not None and "polars" not in sys.modules:
        os.environ["POLARS_MAX_THREADS"] = str(threads)
    import polars as pl

    pq = ensure_parquet(data_dir)
    t0 = time.perf_counter()
    tables = _polars_tables(pl, {name: pl.read_parquet(pq / f"{name}.parquet")
                                 for name in USER_TABLES})
    load_s = time.perf_counter() - t0
    rss = resident_bytes()
    check_no_overflow(tables["lines"]["ttc"].max(), tables["key_shares"]["weight"].max())
    lazy = {k: v.lazy() for k, v in tables.items()}
    best, results = None, None
    for _ in range(max(1, repeat)):
        t1 = time.perf_counter()
        results = pl.collect_all(_polars_queries(pl, lazy))
        dt = time.perf_counter() - t1
        best = dt if best is None else min(best, dt)
    answers = {q: df.rows() for q, df in zip(QUESTIONS, results)}
    return normalise(answers), {"load_s": load_s, "query_s": best,
                                "threads": pl.thread_pool_size(), "rss_after_load_bytes": rss}


# --------------------------------------------------------------------------
# pandas
# --------------------------------------------------------------------------

def _pandas_queries(pd, t: dict):
    lines, wos, anc = t["lines"], t["work_orders"], t["ancestors"]
    lw = lines.merge(
        wos[["id", "asset", "service", "tag"]].rename(columns={"id": "work_order"}),
        on="work_order",
    )
    la = lw[["id", "asset", "day"]].rename(columns={"id": "line"}).merge(anc, on="asset")

    def nearest(periods, value: str, alias: str):
        m = la.merge(periods.rename(columns={"asset": "ancestor"}), on="ancestor")
        m = m[(m["from_day"] <= m["day"]) & (m["day"] <= m["to_day"])]
        m = m.sort_values(["line", "depth"]).drop_duplicates("line", keep="first")
        return m[["line", value]].rename(columns={value: alias})

    line_key = nearest(t["keys"], "key", "key")
    line_custody = nearest(t["custody"], "beneficiary", "payer")
    line_custody = line_custody[~line_custody["line"].isin(line_key["line"])]
    key_total = t["key_shares"].groupby("key", as_index=False)["weight"].sum()
    key_total = key_total.rename(columns={"weight": "total"})
    cols = ["year", "service", "nature", "provider", "payer", "part"]

    k = (
        lw.merge(line_key, left_on="id", right_on="line")
        .merge(t["key_shares"], on="key")
        .merge(key_total, on="key")
        .rename(columns={"tenant": "payer"})
    )
    aw = k["ttc"] * k["weight"]  # int64; bounded by check_no_overflow
    k["fl"] = aw // k["total"]
    k["rem"] = aw % k["total"]
    k["leftover"] = k["ttc"] - k.groupby("id")["fl"].transform("sum")
    k = k.sort_values(["id", "rem", "payer"], ascending=[True, False, True], kind="stable")
    k["rk"] = k.groupby("id").cumcount()
    k["part"] = k["fl"] + (k["rk"] < k["leftover"]).astype("int64")
    keyed = k[cols]

    c = lw.merge(line_custody, left_on="id", right_on="line")
    c["part"] = c["ttc"]
    custodied = c[cols]

    rest = lw[~lw["id"].isin(line_key["line"]) & ~lw["id"].isin(line_custody["line"])]
    o = rest.merge(t["assets"][["id", "owner"]].rename(columns={"id": "asset", "owner": "payer"}),
                   on="asset")
    o["part"] = o["ttc"]
    owned = o[cols]

    parts = pd.concat([keyed, custodied, owned], ignore_index=True)
    q1 = parts.groupby(["year", "payer", "service", "nature"], as_index=False)["part"].sum()
    p2 = parts[parts["provider"].notna() & (parts["payer"] != parts["provider"])]
    q2 = p2.groupby(["year", "provider", "payer"], as_index=False)["part"].sum()
    ext = lw[lw["nature"] == EXTERNAL]
    q3 = ext.groupby(["year", "supplier"], as_index=False).agg(
        work_orders=("work_order", "nunique"), ht=("ht", "sum"))
    tagged = lw[lw["tag"].notna()]
    q4 = tagged.groupby("tag", as_index=False)["ttc"].sum()
    return [q1, q2, q3, q4]


def _pandas_tables(pd, u: dict) -> dict:
    """The user's tables in the shape the questions read (see DUCKDB_LOAD)."""
    import datetime

    open_day = datetime.date.fromisoformat(OPEN_DAY)
    cents = lambda s: (s * 100).map(int).astype("int64")  # noqa: E731 - exact decimals
    cl = u["cost_lines"]
    team = dict(zip(u["teams"]["code"], u["teams"]["tenant"]))
    store = dict(zip(u["stores"]["code"], u["stores"]["tenant"]))
    owner = dict(zip(u["assets"]["code"], u["assets"]["owner"]))
    provider = cl["team"].map(team).fillna(cl["store"].map(store)).fillna(cl["vehicle"].map(owner))
    lines = pd.DataFrame({
        "id": range(len(cl)), "work_order": cl["work_order"], "day": cl["date"],
        "year": cl["year"], "nature": cl["nature"], "provider": provider,
        "supplier": cl["supplier"], "ht": cents(cl["ht"]), "ttc": cents(cl["ttc"]),
    })

    def periods(t, *cols):
        out = t[list(cols)].copy()
        out["from_day"] = t["from"]
        out["to_day"] = t["to"].where(t["to"].notna(), open_day)
        return out

    wo = u["work_orders"]
    service = (wo["service_tenant"] + "/" + wo["service"]).fillna("")
    return {
        "assets": u["assets"].rename(columns={"code": "id"})[["id", "owner"]],
        "ancestors": u["ancestors"],
        "custody": periods(u["custody"], "asset", "beneficiary"),
        "keys": periods(u["sharing_keys"], "key", "asset"),
        "key_shares": u["key_shares"][["key", "tenant", "weight"]],
        "work_orders": pd.DataFrame({"id": wo["code"], "asset": wo["asset"],
                                     "service": service, "tag": wo["tags"]}),
        "lines": lines,
    }


def pandas_answers(data_dir, repeat: int = 1):
    import pandas as pd

    pq = ensure_parquet(data_dir)
    t0 = time.perf_counter()
    tables = _pandas_tables(pd, {name: pd.read_parquet(pq / f"{name}.parquet")
                                 for name in USER_TABLES})
    load_s = time.perf_counter() - t0
    check_no_overflow(int(tables["lines"]["ttc"].max()) if len(tables["lines"]) else None,
                      int(tables["key_shares"]["weight"].max()) if len(tables["key_shares"]) else None)
    best, results = None, None
    for _ in range(max(1, repeat)):
        t1 = time.perf_counter()
        results = _pandas_queries(pd, tables)
        dt = time.perf_counter() - t1
        best = dt if best is None else min(best, dt)
    answers = {q: list(df.itertuples(index=False, name=None)) for q, df in zip(QUESTIONS, results)}
    return normalise(answers), {"load_s": load_s, "query_s": best}


# --------------------------------------------------------------------------
# Command line: one engine configuration per process
# --------------------------------------------------------------------------

def versions() -> dict:
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for pkg in ("duckdb", "polars", "pandas", "pyarrow", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", required=True,
                    choices=["duckdb", "polars", "pandas", "reference", "prepare"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=False)
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the questions R times and keep the fastest")
    args = ap.parse_args(argv)
    if args.engine == "polars":
        # Before polars is imported anywhere in this process.
        os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    if args.engine == "prepare":
        ensure_parquet(args.data)
        return 0
    if args.engine == "duckdb":
        answers, timings = duckdb_answers(args.data, args.threads, args.repeat)
    elif args.engine == "polars":
        answers, timings = polars_answers(args.data, args.threads, args.repeat)
    elif args.engine == "pandas":
        answers, timings = pandas_answers(args.data, args.repeat)
    else:
        answers, timings = reference_answers(args.data)
    result = {
        "engine": args.engine,
        "threads": timings.pop("threads", args.threads),
        "load_s": timings["load_s"],
        "query_s": timings["query_s"],
        "rss_after_load_bytes": timings.get("rss_after_load_bytes"),
        "versions": versions(),
        "answers": {q: [list(r) for r in rows] for q, rows in answers.items()},
    }
    text = json.dumps(result, separators=(",", ":"))
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
