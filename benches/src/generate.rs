//! The deterministic generator of the side-by-side benchmark: a realistic
//! group of collectivités written as a user's own tables in the ingestion
//! schema (docs/ingest.md), as Parquet (`DIR/parquet/<table>.parquet`) and
//! CSV (`DIR/csv/<table>.csv`), plus `ancestors` (asset, ancestor, depth),
//! which the peer engines of the benchmark use and the ingestion ignores.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array, Decimal128Array, Int64Array, RecordBatch, StringArray};
use chrono::NaiveDate;

/// Marks an absent id.
const NONE: u32 = u32::MAX;
/// `to` of an open-ended period.
const OPEN: i32 = i32::MAX;
/// Days from 0001-01-01 to 1970-01-01 (chrono's `num_days_from_ce` of the epoch).
const EPOCH_CE: i32 = 719_163;

/// A column of a generated table.
pub enum Col {
    /// Text (None: null).
    Text(Vec<Option<String>>),
    /// Days from 0001-01-01 (None: null).
    Date(Vec<Option<i32>>),
    /// Exact decimal: integer mantissa and scale (cents: scale 2).
    Dec(Vec<Option<i64>>, u32),
    /// Integer.
    Int(Vec<i64>),
}

/// A generated table.
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Named columns.
    pub cols: Vec<(&'static str, Col)>,
}

impl Table {
    fn rows(&self) -> usize {
        match &self.cols[0].1 {
            Col::Text(v) => v.len(),
            Col::Date(v) => v.len(),
            Col::Dec(v, _) => v.len(),
            Col::Int(v) => v.len(),
        }
    }

    /// The table as one Arrow record batch.
    pub fn batch(&self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let cols = self.cols.iter().map(|(name, c)| {
            let a: ArrayRef = match c {
                Col::Text(v) => Arc::new(v.iter().map(Option::as_deref).collect::<StringArray>()),
                Col::Date(v) => Arc::new(
                    v.iter()
                        .map(|d| d.map(|d| d - EPOCH_CE))
                        .collect::<Date32Array>(),
                ),
                Col::Dec(v, s) => Arc::new(
                    v.iter()
                        .map(|x| x.map(i128::from))
                        .collect::<Decimal128Array>()
                        .with_precision_and_scale(18, *s as i8)
                        .unwrap_or_else(|_| Decimal128Array::from(Vec::<i128>::new())),
                ),
                Col::Int(v) => Arc::new(Int64Array::from(v.clone())),
            };
            (*name, a)
        });
        RecordBatch::try_from_iter(cols)
    }

    fn cell(&self, c: usize, r: usize) -> String {
        match &self.cols[c].1 {
            Col::Text(v) => v[r].as_deref().map_or(String::new(), |s| {
                if s.contains([',', '"', '\n']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_owned()
                }
            }),
            Col::Date(v) => v[r]
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .map_or(String::new(), |d| d.to_string()),
            Col::Dec(v, s) => v[r].map_or(String::new(), |x| {
                let p = 10i64.pow(*s);
                let sign = if x < 0 { "-" } else { "" };
                if *s == 0 {
                    format!("{x}")
                } else {
                    format!("{sign}{}.{:0w$}", x.abs() / p, x.abs() % p, w = *s as usize)
                }
            }),
            Col::Int(v) => v[r].to_string(),
        }
    }

    /// Writes the table as CSV with a header.
    pub fn write_csv(&self, path: &Path) -> std::io::Result<()> {
        let mut w = BufWriter::new(File::create(path)?);
        let header: Vec<&str> = self.cols.iter().map(|c| c.0).collect();
        writeln!(w, "{}", header.join(","))?;
        let mut line = String::new();
        for r in 0..self.rows() {
            line.clear();
            for c in 0..self.cols.len() {
                if c > 0 {
                    line.push(',');
                }
                line.push_str(&self.cell(c, r));
            }
            writeln!(w, "{line}")?;
        }
        w.flush()
    }

    /// Writes the table as Parquet (snappy).
    pub fn write_parquet(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        use parquet::arrow::ArrowWriter;
        use parquet::basic::Compression;
        use parquet::file::properties::WriterProperties;
        let batch = self.batch()?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut w = ArrowWriter::try_new(File::create(path)?, batch.schema(), Some(props))?;
        w.write(&batch)?;
        w.close()?;
        Ok(())
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A number with a valid Luhn key: `body` followed by its check digit.
fn luhn(body: &str) -> String {
    (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|s| mutualis::identity::luhn_valid(s))
        .unwrap_or_default()
}

fn tenant(i: u32) -> String {
    format!("T{i:04}")
}

fn text<T: Into<String>>(v: Vec<T>) -> Col {
    Col::Text(v.into_iter().map(|s| Some(s.into())).collect())
}

/// A sharing key: asset, first day, last day, (tenant, weight) shares.
type Key = (u32, i32, i32, Vec<(u32, u64)>);
/// A line: work order, day, nature, provider tenant, supplier, HT cents,
/// VAT rate in basis points, TTC cents.
type Line = (u32, i32, u8, u32, u32, i64, i64, i64);

/// Counts of what was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Tenants.
    pub tenants: usize,
    /// Assets (buildings and their parts; plus one vehicle per tenant).
    pub assets: usize,
    /// Work orders.
    pub work_orders: usize,
    /// Cost lines.
    pub cost_lines: usize,
}

/// Generates `interventions` work orders (about 3 cost lines each)
/// deterministically from `seed`: an agglomeration (T0000) and member
/// syndicats, asset trees (site > building > floor > equipment), transfers
/// to the agglomeration (some ending mid-period, some followed by another
/// beneficiary), shared buildings with keys changing mid-year, régie work
/// for other tenants, suppliers, event tags and associations, over
/// 2023–2026. Returns the tables (ingestion schema, plus `ancestors`).
#[must_use]
pub fn generate(interventions: usize, seed: u64) -> (Vec<Table>, Counts) {
    let mut rng = Rng(seed ^ 0x4D55_5455_414C_4953);
    let communes = (interventions / 25_000).clamp(6, 60);
    let nt = communes as u32 + 1;
    let services_per_tenant = 6u32;
    let n_suppliers = (interventions / 2_000).clamp(5, 400) as u32;
    let n_tags = 20u64;
    let day = |y: i32, m: u32, j: u32| {
        NaiveDate::from_ymd_opt(y, m, j).map_or(0, |x| chrono::Datelike::num_days_from_ce(&x))
    };
    let (first_day, last_day) = (day(2023, 1, 1), day(2026, 12, 31));
    let n_assets = (interventions / 20).max(40);
    let (mut parent, mut owner, mut service, mut depth) = (
        Vec::<u32>::new(),
        Vec::<u32>::new(),
        Vec::<u32>::new(),
        Vec::<u8>::new(),
    );
    let mut buildings = Vec::new();
    while parent.len() < n_assets {
        let o = rng.below(u64::from(nt)) as u32;
        let s = rng.below(u64::from(services_per_tenant)) as u32;
        let mut push = |p: u32, dep: u8| {
            parent.push(p);
            owner.push(o);
            service.push(s);
            depth.push(dep);
            parent.len() as u32 - 1
        };
        let site = push(NONE, 0);
        for _ in 0..1 + rng.below(3) {
            let b = push(site, 1);
            buildings.push(b);
            for _ in 0..rng.below(3) {
                let f = push(b, 2);
                for _ in 0..rng.below(3) {
                    push(f, 3);
                }
            }
        }
    }
    let n_assets = parent.len();
    // custody (asset, from, to, beneficiary) and keys (asset, from, to, shares)
    let mut custody: Vec<(u32, i32, i32, u32)> = Vec::new();
    let mut keys: Vec<Key> = Vec::new();
    for &b in &buildings {
        let o = owner[b as usize];
        if o != 0 && rng.chance(12) {
            let from = first_day + rng.below(900) as i32;
            let to = if rng.chance(30) {
                from + 100 + rng.below(400) as i32
            } else {
                OPEN
            };
            custody.push((b, from, to, 0));
            if to != OPEN && rng.chance(50) {
                let other = 1 + rng.below(communes as u64) as u32;
                if other != o {
                    custody.push((b, to + 1, OPEN, other));
                }
            }
        } else if rng.chance(6) {
            let change = day(2024 + rng.below(2) as i32, 1 + rng.below(12) as u32, 1);
            let a = o;
            let mut b2 = rng.below(u64::from(nt)) as u32;
            if b2 == a {
                b2 = (a + 1) % nt;
            }
            let mut shares1 = vec![(a, 1 + rng.below(5000)), (b2, 1 + rng.below(5000))];
            let mut shares2 = vec![
                (a, 1 + rng.below(5000)),
                (b2, 1 + rng.below(5000)),
                (0, 1 + rng.below(3000)),
            ];
            shares1.sort_unstable();
            shares2.sort_unstable();
            shares2.dedup_by_key(|s| s.0);
            keys.push((b, first_day, change - 1, shares1));
            keys.push((b, change, OPEN, shares2));
        }
    }
    // work orders and lines
    let span = (last_day - first_day + 1) as u64;
    let mut wo = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut ln: Vec<Line> = Vec::new();
    for w in 0..interventions as u32 {
        let asset = rng.below(n_assets as u64) as u32;
        let o = owner[asset as usize];
        let supplier_wo = rng.chance(20);
        let performer = if supplier_wo {
            NONE
        } else if rng.chance(15) {
            rng.below(u64::from(nt)) as u32
        } else {
            o
        };
        let supplier = if supplier_wo {
            rng.below(u64::from(n_suppliers)) as u32
        } else {
            NONE
        };
        let tag = rng.chance(2).then(|| rng.below(n_tags));
        let assoc = rng.chance(3).then(|| rng.below(200));
        wo.0.push(asset);
        wo.1.push(performer);
        wo.2.push(supplier);
        wo.3.push(tag);
        wo.4.push(assoc);
        wo.5.push(w);
        let day0 = first_day + rng.below(span) as i32;
        for k in 0..2 + rng.below(3) {
            let dd = (day0 + k as i32 * rng.below(3) as i32).min(last_day);
            if supplier_wo {
                let ht = 5_000 + rng.below(500_000) as i64;
                let vat = [2000i64, 1000, 550, 210][rng.below(4) as usize];
                let v = (ht * vat + 5_000) / 10_000;
                ln.push((w, dd, 3, NONE, supplier, ht, vat, ht + v));
            } else {
                let nature = [0u8, 0, 1, 2][rng.below(4) as usize];
                let c = 1_000 + rng.below(120_000) as i64;
                ln.push((w, dd, nature, performer, NONE, c, 0, c));
            }
        }
    }
    let counts = Counts {
        tenants: nt as usize,
        assets: n_assets + nt as usize,
        work_orders: interventions,
        cost_lines: ln.len(),
    };

    // ---- the user's tables
    let tenants = 0..nt;
    let mut tables = Vec::new();
    tables.push(Table {
        name: "tenants",
        cols: vec![
            ("code", text(tenants.clone().map(tenant).collect())),
            (
                "name",
                text(
                    tenants
                        .clone()
                        .map(|i| format!("Collectivité {i}"))
                        .collect(),
                ),
            ),
            (
                "kind",
                text(
                    tenants
                        .clone()
                        .map(|i| {
                            if i == 0 {
                                "communaute_d_agglomeration"
                            } else {
                                "syndicat"
                            }
                        })
                        .collect(),
                ),
            ),
            (
                "siren",
                text(tenants.clone().map(|i| luhn(&format!("2{i:07}"))).collect()),
            ),
        ],
    });
    let svc: Vec<(u32, u32)> = tenants
        .clone()
        .flat_map(|t| (0..services_per_tenant).map(move |s| (t, s)))
        .collect();
    tables.push(Table {
        name: "services",
        cols: vec![
            ("tenant", text(svc.iter().map(|s| tenant(s.0)).collect())),
            (
                "code",
                text(svc.iter().map(|s| format!("S{}", s.1)).collect()),
            ),
            (
                "name",
                text(svc.iter().map(|s| format!("Service {}", s.1)).collect()),
            ),
        ],
    });
    let kinds = ["site", "building", "floor", "equipment"];
    let asset_code = |a: u32| format!("A{a}");
    let vehicle_code = |t: u32| format!("V-{}", tenant(t));
    let all_assets = n_assets + nt as usize;
    let is_vehicle = |a: usize| a >= n_assets;
    tables.push(Table {
        name: "assets",
        cols: vec![
            (
                "code",
                text(
                    (0..all_assets)
                        .map(|a| {
                            if is_vehicle(a) {
                                vehicle_code((a - n_assets) as u32)
                            } else {
                                asset_code(a as u32)
                            }
                        })
                        .collect(),
                ),
            ),
            (
                "name",
                text((0..all_assets).map(|a| format!("Bien {a}")).collect()),
            ),
            (
                "kind",
                text(
                    (0..all_assets)
                        .map(|a| {
                            if is_vehicle(a) {
                                "vehicle"
                            } else {
                                kinds[depth[a] as usize]
                            }
                        })
                        .collect(),
                ),
            ),
            (
                "owner",
                text(
                    (0..all_assets)
                        .map(|a| {
                            tenant(if is_vehicle(a) {
                                (a - n_assets) as u32
                            } else {
                                owner[a]
                            })
                        })
                        .collect(),
                ),
            ),
            (
                "parent",
                Col::Text(
                    (0..all_assets)
                        .map(|a| {
                            (!is_vehicle(a) && parent[a] != NONE).then(|| asset_code(parent[a]))
                        })
                        .collect(),
                ),
            ),
            (
                "service_tenant",
                Col::Text(
                    (0..all_assets)
                        .map(|a| (!is_vehicle(a)).then(|| tenant(owner[a])))
                        .collect(),
                ),
            ),
            (
                "service",
                Col::Text(
                    (0..all_assets)
                        .map(|a| (!is_vehicle(a)).then(|| format!("S{}", service[a])))
                        .collect(),
                ),
            ),
            (
                "commissioned",
                Col::Date(vec![Some(day(2000, 1, 1)); all_assets]),
            ),
        ],
    });
    let mut anc = (Vec::new(), Vec::new(), Vec::new());
    for a in 0..n_assets as u32 {
        let (mut x, mut dep) = (a, 0);
        while x != NONE {
            anc.0.push(asset_code(a));
            anc.1.push(asset_code(x));
            anc.2.push(dep);
            x = parent[x as usize];
            dep += 1;
        }
    }
    tables.push(Table {
        name: "ancestors",
        cols: vec![
            ("asset", text(anc.0)),
            ("ancestor", text(anc.1)),
            ("depth", Col::Int(anc.2)),
        ],
    });
    let to = |t: i32| (t != OPEN).then_some(t);
    tables.push(Table {
        name: "custody",
        cols: vec![
            (
                "asset",
                text(custody.iter().map(|c| asset_code(c.0)).collect()),
            ),
            (
                "beneficiary",
                text(custody.iter().map(|c| tenant(c.3)).collect()),
            ),
            (
                "from",
                Col::Date(custody.iter().map(|c| Some(c.1)).collect()),
            ),
            ("to", Col::Date(custody.iter().map(|c| to(c.2)).collect())),
        ],
    });
    tables.push(Table {
        name: "sharing_keys",
        cols: vec![
            (
                "key",
                text((0..keys.len()).map(|k| format!("K{k}")).collect()),
            ),
            (
                "asset",
                text(keys.iter().map(|k| asset_code(k.0)).collect()),
            ),
            ("basis", text(vec!["agreed"; keys.len()])),
            ("from", Col::Date(keys.iter().map(|k| Some(k.1)).collect())),
            ("to", Col::Date(keys.iter().map(|k| to(k.2)).collect())),
        ],
    });
    let shares: Vec<(usize, u32, u64)> = keys
        .iter()
        .enumerate()
        .flat_map(|(k, key)| key.3.iter().map(move |&(t, w)| (k, t, w)))
        .collect();
    tables.push(Table {
        name: "key_shares",
        cols: vec![
            (
                "key",
                text(shares.iter().map(|s| format!("K{}", s.0)).collect()),
            ),
            ("tenant", text(shares.iter().map(|s| tenant(s.1)).collect())),
            (
                "weight",
                Col::Int(shares.iter().map(|s| s.2 as i64).collect()),
            ),
        ],
    });
    let sup = |s: u32| format!("SUP{s:04}");
    tables.push(Table {
        name: "suppliers",
        cols: vec![
            ("code", text((0..n_suppliers).map(sup).collect())),
            (
                "name",
                text(
                    (0..n_suppliers)
                        .map(|s| format!("Entreprise {s}"))
                        .collect(),
                ),
            ),
            (
                "siret",
                text(
                    (0..n_suppliers)
                        .map(|s| luhn(&format!("3{s:012}")))
                        .collect(),
                ),
            ),
        ],
    });
    let team = |t: u32| format!("R-{}", tenant(t));
    let store = |t: u32| format!("M-{}", tenant(t));
    tables.push(Table {
        name: "teams",
        cols: vec![
            ("code", text(tenants.clone().map(team).collect())),
            ("tenant", text(tenants.clone().map(tenant).collect())),
            (
                "name",
                text(tenants.clone().map(|t| format!("Régie {t}")).collect()),
            ),
        ],
    });
    tables.push(Table {
        name: "stores",
        cols: vec![
            ("code", text(tenants.clone().map(store).collect())),
            ("tenant", text(tenants.clone().map(tenant).collect())),
            (
                "name",
                text(tenants.clone().map(|t| format!("Magasin {t}")).collect()),
            ),
        ],
    });
    tables.push(Table {
        name: "items",
        cols: vec![
            ("code", text(vec!["FOURNITURES"])),
            ("name", text(vec!["Fournitures"])),
            ("unit", text(vec!["lot"])),
        ],
    });
    let n = interventions;
    let wcode = |w: u32| format!("W{w:07}");
    tables.push(Table {
        name: "work_orders",
        cols: vec![
            ("code", text(wo.5.iter().map(|&w| wcode(w)).collect())),
            ("title", text(vec!["Intervention"; n])),
            ("asset", text(wo.0.iter().map(|&a| asset_code(a)).collect())),
            (
                "team",
                Col::Text(wo.1.iter().map(|&p| (p != NONE).then(|| team(p))).collect()),
            ),
            (
                "supplier",
                Col::Text(wo.2.iter().map(|&s| (s != NONE).then(|| sup(s))).collect()),
            ),
            (
                "service_tenant",
                text(wo.0.iter().map(|&a| tenant(owner[a as usize])).collect()),
            ),
            (
                "service",
                text(
                    wo.0.iter()
                        .map(|&a| format!("S{}", service[a as usize]))
                        .collect(),
                ),
            ),
            (
                "tags",
                Col::Text(
                    wo.3.iter()
                        .map(|t| t.map(|t| format!("TAG{t:02}")))
                        .collect(),
                ),
            ),
            (
                "association",
                Col::Text(
                    wo.4.iter()
                        .map(|a| a.map(|a| format!("ASSO{a:03}")))
                        .collect(),
                ),
            ),
            ("status", text(vec!["done"; n])),
        ],
    });
    let natures = ["labour", "material", "vehicle", "external"];
    let pick = |nature: u8, f: &dyn Fn(&Line) -> String| {
        Col::Text(ln.iter().map(|l| (l.2 == nature).then(|| f(l))).collect())
    };
    tables.push(Table {
        name: "cost_lines",
        cols: vec![
            ("work_order", text(ln.iter().map(|l| wcode(l.0)).collect())),
            ("date", Col::Date(ln.iter().map(|l| Some(l.1)).collect())),
            // the year of `date`, for the peer engines (the ingestion ignores it)
            (
                "year",
                Col::Int(
                    ln.iter()
                        .map(|l| {
                            NaiveDate::from_num_days_from_ce_opt(l.1)
                                .map_or(0, |d| i64::from(chrono::Datelike::year(&d)))
                        })
                        .collect(),
                ),
            ),
            (
                "nature",
                text(ln.iter().map(|l| natures[l.2 as usize]).collect()),
            ),
            ("team", pick(0, &|l| team(l.3))),
            ("store", pick(1, &|l| store(l.3))),
            ("item", pick(1, &|_| "FOURNITURES".to_owned())),
            ("vehicle", pick(2, &|l| vehicle_code(l.3))),
            ("unit", pick(2, &|_| "hour".to_owned())),
            ("supplier", pick(3, &|l| sup(l.4))),
            ("quantity", Col::Dec(vec![Some(1); ln.len()], 0)),
            (
                "unit_cost",
                Col::Dec(ln.iter().map(|l| Some(l.5)).collect(), 2),
            ),
            ("ht", Col::Dec(ln.iter().map(|l| Some(l.5)).collect(), 2)),
            (
                "vat_rate",
                Col::Dec(ln.iter().map(|l| (l.2 == 3).then_some(l.6)).collect(), 2),
            ),
            (
                "vat",
                Col::Dec(ln.iter().map(|l| Some(l.7 - l.5)).collect(), 2),
            ),
            ("ttc", Col::Dec(ln.iter().map(|l| Some(l.7)).collect(), 2)),
        ],
    });
    (tables, counts)
}

/// Writes the tables as `dir/parquet/<table>.parquet` (then a `_done`
/// marker) and `dir/csv/<table>.csv`.
pub fn write_all(tables: &[Table], dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (pq, csv) = (dir.join("parquet"), dir.join("csv"));
    std::fs::create_dir_all(&pq)?;
    std::fs::create_dir_all(&csv)?;
    for t in tables {
        t.write_parquet(&pq.join(format!("{}.parquet", t.name)))?;
        t.write_csv(&csv.join(format!("{}.csv", t.name)))?;
    }
    std::fs::write(pq.join("_done"), "ok\n")?;
    Ok(())
}
