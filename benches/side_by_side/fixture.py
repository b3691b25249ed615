"""A tiny hand-made data set, written as a user's tables (docs/ingest.md,
Parquet, as the Rust generator writes them), with its hand-worked answers
(EXPECTED). The data are spelt with dense ids below; :func:`write_user`
names them as codes (tenant 3 → ``T0003``, asset 5 → ``A5``, service 11 →
``T0000/S11``, supplier 4 → ``SUP4``, tag 7 → ``TAG7``, days → dates). It exercises: the nearest key on the ancestor
chain, a key at depth 1 beating a custody period at depth 0, custody on an
ancestor, the owner as last resort, inclusive boundary days (one-day key,
periods ending/starting on consecutive days), open-ended periods, ties in the
largest-remainder split (to the smaller tenant id), a 1-cent line split 50/50
(payer 1 gets 0 — a zero row), a 10^10-cent line with weights 999999/1, a
0-cent line, and distinct work orders per supplier."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

B = 738_000  # an arbitrary day offset (days since 0001-01-01): around 2021
OPEN = 99_999_999


def d(n: int) -> int:
    return B + n


TENANTS = [(i, f"T{i:04d}") for i in range(4)]

# id, parent, owner, service — tree 0-1-{2,3} owned by tenant 0, tree 4-5 by 3
ASSETS = [(0, -1, 0, 10), (1, 0, 0, 11), (2, 1, 0, -1), (3, 1, 0, 11), (4, -1, 3, 20), (5, 4, 3, 20)]
PARENT = {a: p for a, p, _, _ in ASSETS}


def _ancestors():
    rows = []
    for a, _, _, _ in ASSETS:
        depth, cur = 0, a
        while cur != -1:
            rows.append((a, cur, depth))
            cur, depth = PARENT[cur], depth + 1
    return rows


# asset, from_day, to_day, beneficiary
CUSTODY = [
    (3, d(50), d(99), 2),
    (3, d(100), d(120), 2),     # hidden by key 0 on asset 1 (keys come first)
    (0, d(10), d(20), 3),
    (5, d(300), d(400), 1),
    (5, d(500), d(500), 3),     # hidden by key 3 on asset 4 (depth 1)
    (4, d(350), OPEN, 2),
]
# key, asset, from_day, to_day
KEYS = [
    (0, 1, d(100), d(199)),
    (1, 1, d(200), OPEN),
    (2, 2, d(150), d(150)),     # a one-day key
    (3, 4, d(500), d(600)),
]
# key, tenant, weight — key 2 listed out of tenant order on purpose
KEY_SHARES = [
    (0, 0, 5000), (0, 1, 5000),
    (1, 0, 6000), (1, 1, 4000),
    (2, 2, 1), (2, 1, 1), (2, 0, 1),
    (3, 1, 999_999), (3, 0, 1),
]
# id, asset, service, performer, supplier, tag, association
WORK_ORDERS = [
    (0, 2, 11, 0, -1, 7, -1),
    (1, 3, 11, 1, -1, -1, -1),
    (2, 5, 20, -1, 4, 7, -1),
    (3, 5, 20, -1, 4, 8, -1),
    (4, 0, -1, 2, -1, -1, -1),
]
# id, work_order, day, year, nature, provider, supplier, ht, ttc
LINES = [
    (0, 0, d(150), 2024, 0, 0, -1, 90, 100),          # key 2: 100/3 → 34,33,33
    (1, 0, d(151), 2024, 1, 1, -1, 1, 1),             # key 0: 1 cent 50/50 → t0
    (2, 0, d(200), 2024, 2, 2, -1, 90000, 100001),    # key 1: → 60001 / 40000
    (3, 0, d(199), 2024, 0, 0, -1, 900, 999),         # key 0: → 500 / 499
    (4, 1, d(99), 2024, 0, 1, -1, 500, 555),          # custody on 3 → t2
    (5, 1, d(49), 2024, 0, 1, -1, 900, 1000),         # nothing → owner t0
    (6, 1, d(15), 2024, 0, 1, -1, 6, 7),              # custody on 0 (depth 2) → t3
    (7, 2, d(360), 2024, 3, -1, 4, 1000, 1200),       # custody on 5 beats 4 → t1
    (8, 2, d(401), 2025, 3, -1, 4, 500, 600),         # custody on 4 → t2
    (9, 3, d(299), 2025, 3, -1, 4, 10, 12),           # nothing → owner t3
    (10, 3, d(300), 2025, 3, -1, 5, 0, 0),            # custody on 5 → t1, 0 cents
    (11, 4, d(20), 2024, 0, 3, -1, 200, 250),         # custody on 0 → t3 (= provider)
    (12, 1, d(100), 2024, 0, 1, -1, 2, 3),            # key 0 (depth 1) over custody → 2 / 1
    (13, 2, d(402), 2025, 3, -1, 4, 5, 6),            # custody on 4 → t2
    (14, 3, d(500), 2026, 0, 2, -1, 9_000_000_000, 9_999_999_999),  # key 3 → 10000 / 9999989999
]

EXPECTED = {
    "q1": sorted([
        (2024, 0, 11, 0, 1536), (2024, 0, 11, 1, 1), (2024, 0, 11, 2, 60001),
        (2024, 1, 11, 0, 533), (2024, 1, 11, 2, 40000), (2024, 1, 20, 3, 1200),
        (2024, 2, 11, 0, 588), (2024, 3, 11, 0, 7), (2024, 3, -1, 0, 250),
        (2025, 2, 20, 3, 606), (2025, 3, 20, 3, 12),
        (2026, 0, 20, 0, 10000), (2026, 1, 20, 0, 9_999_989_999),
    ]),
    "q2": sorted([
        (2024, 0, 1, 532), (2024, 0, 2, 33), (2024, 1, 0, 1003), (2024, 1, 2, 555),
        (2024, 1, 3, 7), (2024, 2, 0, 60001), (2024, 2, 1, 40000),
        (2026, 2, 0, 10000), (2026, 2, 1, 9_999_989_999),
    ]),
    "q3": sorted([(2024, 4, 1, 1000), (2025, 4, 2, 515), (2025, 5, 1, 0)]),
    "q4": sorted([(7, 102907), (8, 10_000_000_011)]),
}


NATURES = ["labour", "material", "vehicle", "external"]


def tenant(i: int) -> str:
    return f"T{i:04d}"


def service(s: int) -> str:
    return "" if s == -1 else f"T0000/S{s}"


EXPECTED_IDS = EXPECTED
EXPECTED = {
    "q1": sorted((y, tenant(p), service(s), NATURES[n], c) for y, p, s, n, c in EXPECTED_IDS["q1"]),
    "q2": sorted((y, tenant(a), tenant(b), c) for y, a, b, c in EXPECTED_IDS["q2"]),
    "q3": sorted((y, f"SUP{s}", n, c) for y, s, n, c in EXPECTED_IDS["q3"]),
    "q4": sorted((f"TAG{t}", c) for t, c in EXPECTED_IDS["q4"]),
}


def write_user(out, tenants, assets, ancestors, custody, keys, shares, work_orders, lines) -> Path:
    """Writes data spelt with dense ids (the rows above) as a user's tables
    in OUT/parquet/. Each tenant gets a régie team ``R-T…``, a store
    ``M-T…`` and a vehicle ``V-T…``, the providers of its labour, material
    and vehicle lines."""
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as papq

    out = Path(out)
    pq = out / "parquet"
    pq.mkdir(parents=True, exist_ok=True)
    day = datetime.date.fromordinal
    to = lambda d: None if d == OPEN else day(d)  # noqa: E731
    money = lambda cents: pa.array([None if c is None else Decimal(c) / 100 for c in cents],  # noqa: E731
                                   pa.decimal128(20, 2))
    ts = [tenant(i) for i, _ in tenants]
    services = sorted({w[2] for w in work_orders if w[2] != -1})
    tables = {
        "tenants": {"code": ts, "name": ts, "kind": ["syndicat"] * len(ts),
                    "siren": ["200000000"] * len(ts)},
        "services": {"tenant": ["T0000"] * len(services),
                     "code": [f"S{s}" for s in services], "name": [f"S{s}" for s in services]},
        "assets": {
            "code": [f"A{a}" for a, *_ in assets] + [f"V-{t}" for t in ts],
            "name": [f"A{a}" for a, *_ in assets] + [f"V-{t}" for t in ts],
            "kind": ["building"] * len(assets) + ["vehicle"] * len(ts),
            "owner": [tenant(o) for _, _, o, _ in assets] + ts,
            "parent": [None if p == -1 else f"A{p}" for _, p, _, _ in assets] + [None] * len(ts),
            "commissioned": [datetime.date(2000, 1, 1)] * (len(assets) + len(ts)),
        },
        "ancestors": {"asset": [f"A{a}" for a, _, _ in ancestors],
                      "ancestor": [f"A{x}" for _, x, _ in ancestors],
                      "depth": [dep for _, _, dep in ancestors]},
        "custody": {"asset": [f"A{c[0]}" for c in custody],
                    "beneficiary": [tenant(c[3]) for c in custody],
                    "from": [day(c[1]) for c in custody], "to": [to(c[2]) for c in custody]},
        "sharing_keys": {"key": [f"K{k[0]}" for k in keys], "asset": [f"A{k[1]}" for k in keys],
                         "from": [day(k[2]) for k in keys], "to": [to(k[3]) for k in keys]},
        "key_shares": {"key": [f"K{k}" for k, _, _ in shares],
                       "tenant": [tenant(t) for _, t, _ in shares],
                       "weight": [w for _, _, w in shares]},
        "suppliers": {"code": sorted({f"SUP{w[4]}" for w in work_orders if w[4] != -1})},
        "teams": {"code": [f"R-{t}" for t in ts], "tenant": ts, "name": ts},
        "stores": {"code": [f"M-{t}" for t in ts], "tenant": ts, "name": ts},
        "work_orders": {
            "code": [f"W{w[0]}" for w in work_orders], "title": ["x"] * len(work_orders),
            "asset": [f"A{w[1]}" for w in work_orders],
            "team": [None if w[3] == -1 else f"R-{tenant(w[3])}" for w in work_orders],
            "supplier": [None if w[4] == -1 else f"SUP{w[4]}" for w in work_orders],
            "service_tenant": [None if w[2] == -1 else "T0000" for w in work_orders],
            "service": [None if w[2] == -1 else f"S{w[2]}" for w in work_orders],
            "tags": [None if w[5] == -1 else f"TAG{w[5]}" for w in work_orders],
            "status": ["done"] * len(work_orders),
        },
        "cost_lines": {
            "work_order": [f"W{ln[1]}" for ln in lines],
            "date": [day(ln[2]) for ln in lines],
            "year": [ln[3] for ln in lines],
            "nature": [NATURES[ln[4]] for ln in lines],
            "team": [f"R-{tenant(ln[5])}" if ln[4] == 0 else None for ln in lines],
            "store": [f"M-{tenant(ln[5])}" if ln[4] == 1 else None for ln in lines],
            "item": ["ITEM" if ln[4] == 1 else None for ln in lines],
            "vehicle": [f"V-{tenant(ln[5])}" if ln[4] == 2 else None for ln in lines],
            "unit": ["hour" if ln[4] == 2 else None for ln in lines],
            "supplier": [f"SUP{ln[6]}" if ln[4] == 3 else None for ln in lines],
            "ht": money([ln[7] for ln in lines]),
            "vat_rate": money([2000 if ln[4] == 3 else None for ln in lines]),
            "vat": money([ln[8] - ln[7] for ln in lines]),
            "ttc": money([ln[8] for ln in lines]),
        },
    }
    for name, cols in tables.items():
        papq.write_table(pa.table(cols), pq / f"{name}.parquet")
    (pq / "_done").write_text("ok\n")
    return out


def write_fixture(out) -> Path:
    return write_user(out, TENANTS, ASSETS, _ancestors(), CUSTODY, KEYS, KEY_SHARES,
                      WORK_ORDERS, LINES)


def write_random(out, n_lines: int, seed: int = 7) -> Path:
    """A random data set of about n_lines lines in the same format — a stand-in
    for the Rust generator, to cross-check the engines on more than the hand
    fixture (several key/custody periods per asset, multi-level trees, ties)."""
    import random

    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n_tenants = max(4, min(200, n_lines // 500))
    n_assets = max(10, n_lines // 20)
    first_day, n_days = B, 5 * 365
    tenants = [(i, f"T{i:04d}") for i in range(n_tenants)]
    assets, parent, owner = [], {}, {}
    for a in range(n_assets):
        if a == 0 or rng.random() < 0.1:
            p, o = -1, rng.randrange(n_tenants)
        else:
            p = rng.randrange(max(0, a - 50), a)
            o = owner[p]
        parent[a], owner[a] = p, o
        assets.append((a, p, o, rng.choice([-1, 1, 2, 3, 4])))
    ancestors = []
    for a in range(n_assets):
        depth, cur = 0, a
        while cur != -1:
            ancestors.append((a, cur, depth))
            cur, depth = parent[cur], depth + 1

    def periods(asset):
        """Non-overlapping inclusive periods, the last one sometimes open."""
        res, day = [], first_day + rng.randrange(-30, 200)
        while day < first_day + n_days and len(res) < 4:
            length = rng.randrange(1, 400)
            end = OPEN if rng.random() < 0.2 else day + length
            res.append((day, end))
            if end == OPEN:
                break
            day = end + 1 + rng.choice([0, 0, 1, 30])
        return res

    keys, shares, custody = [], [], []
    for a in range(n_assets):
        if rng.random() < 0.3:
            for lo, hi in periods(a):
                k = len(keys)
                keys.append((k, a, lo, hi))
                payers = rng.sample(range(n_tenants), rng.randint(1, min(4, n_tenants)))
                equal = rng.random() < 0.3
                for t in payers:
                    shares.append((k, t, 1 if equal else rng.randint(1, 1_000_000)))
        if rng.random() < 0.3:
            for lo, hi in periods(a):
                custody.append((a, lo, hi, rng.randrange(n_tenants)))
    n_wo = max(1, n_lines // 4)
    work_orders = []
    for w in range(n_wo):
        sup = rng.randrange(30) if rng.random() < 0.3 else -1
        work_orders.append((w, rng.randrange(n_assets), rng.choice([-1, 1, 2, 3, 4]),
                            -1 if sup != -1 else rng.randrange(n_tenants), sup,
                            rng.randrange(10) if rng.random() < 0.2 else -1, -1))
    lines = []
    for i in range(n_lines):
        w = work_orders[rng.randrange(n_wo)]
        day = first_day + rng.randrange(n_days)
        year = 2021 + (day - first_day) // 365
        nature = 3 if (w[4] != -1 and rng.random() < 0.7) else rng.randrange(3)
        provider = -1 if nature == 3 else rng.randrange(n_tenants)
        supplier = w[4] if nature == 3 else -1
        ht = rng.choice([0, 1, 3, rng.randrange(1, 10**6), rng.randrange(1, 10**10)])
        ttc = ht + ht // 5
        lines.append((i, w[0], day, year, nature, provider, supplier, ht, min(ttc, 10**10)))
    return write_user(out, tenants, assets, ancestors, custody, keys, shares, work_orders, lines)
