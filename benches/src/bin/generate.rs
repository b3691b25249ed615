//! Writes a generated dataset (docs/bench-spec.md) as the Mutualis binary
//! format (`dataset.mtb`) and as CSV files for the peer engines.
//!
//! `cargo run --release -p mutualis-benches --bin generate -- --scale 100k --out DIR [--seed N]`

use std::error::Error as StdError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use mutualis::bulk::{generate, BulkData, NONE};

fn id(x: u32) -> i64 {
    if x == NONE {
        -1
    } else {
        i64::from(x)
    }
}

fn csv(
    dir: &Path,
    name: &str,
    header: &str,
    rows: impl Iterator<Item = String>,
) -> Result<(), Box<dyn StdError>> {
    let mut w = BufWriter::new(File::create(dir.join(name))?);
    writeln!(w, "{header}")?;
    for r in rows {
        writeln!(w, "{r}")?;
    }
    w.flush()?;
    Ok(())
}

/// Parses "10k", "1m", "3M" or a plain number.
fn parse_scale(s: &str) -> Result<usize, Box<dyn StdError>> {
    let s = s.trim().to_lowercase();
    let (num, mul) = match s.strip_suffix('k') {
        Some(n) => (n, 1_000),
        None => match s.strip_suffix('m') {
            Some(n) => (n, 1_000_000),
            None => (s.as_str(), 1),
        },
    };
    Ok(num.parse::<usize>()? * mul)
}

fn write_all(d: &BulkData, dir: &Path) -> Result<(), Box<dyn StdError>> {
    std::fs::create_dir_all(dir)?;
    d.write(dir.join("dataset.mtb"))?;
    csv(
        dir,
        "tenants.csv",
        "id,code",
        d.tenant_code
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{i},{c}")),
    )?;
    csv(
        dir,
        "assets.csv",
        "id,parent,owner,service",
        (0..d.asset_parent.len()).map(|a| {
            format!(
                "{a},{},{},{}",
                id(d.asset_parent[a]),
                d.asset_owner[a],
                id(d.asset_service[a])
            )
        }),
    )?;
    let ancestors = (0..d.asset_parent.len()).flat_map(|a| {
        let mut out = Vec::new();
        let (mut x, mut depth) = (a as u32, 0);
        while x != NONE {
            out.push(format!("{a},{x},{depth}"));
            x = d.asset_parent[x as usize];
            depth += 1;
        }
        out
    });
    csv(dir, "ancestors.csv", "asset,ancestor,depth", ancestors)?;
    let custody = (0..d.asset_parent.len()).flat_map(|a| {
        (d.custody_off[a] as usize..d.custody_off[a + 1] as usize).map(move |c| {
            format!(
                "{a},{},{},{}",
                d.custody_from[c], d.custody_to[c], d.custody_tenant[c]
            )
        })
    });
    csv(
        dir,
        "custody.csv",
        "asset,from_day,to_day,beneficiary",
        custody,
    )?;
    let keys = (0..d.asset_parent.len()).flat_map(|a| {
        (d.key_off[a] as usize..d.key_off[a + 1] as usize)
            .map(move |k| format!("{k},{a},{},{}", d.key_from[k], d.key_to[k]))
    });
    csv(dir, "keys.csv", "key,asset,from_day,to_day", keys)?;
    let shares = (0..d.key_from.len()).flat_map(|k| {
        (d.share_off[k] as usize..d.share_off[k + 1] as usize)
            .map(move |s| format!("{k},{},{}", d.share_tenant[s], d.share_weight[s]))
    });
    csv(dir, "key_shares.csv", "key,tenant,weight", shares)?;
    csv(
        dir,
        "work_orders.csv",
        "id,asset,service,performer,supplier,tag,association",
        (0..d.wo_asset.len()).map(|w| {
            format!(
                "{w},{},{},{},{},{},{}",
                d.wo_asset[w],
                id(d.wo_service[w]),
                id(d.wo_performer[w]),
                id(d.wo_supplier[w]),
                id(d.wo_tag[w]),
                id(d.wo_association[w])
            )
        }),
    )?;
    let year = |day: i32| {
        chrono::NaiveDate::from_num_days_from_ce_opt(day).map_or(0, |x| chrono::Datelike::year(&x))
    };
    csv(
        dir,
        "lines.csv",
        "id,work_order,day,year,nature,provider,supplier,ht,ttc",
        (0..d.lines()).map(|l| {
            format!(
                "{l},{},{},{},{},{},{},{},{}",
                d.line_wo[l],
                d.line_day[l],
                year(d.line_day[l]),
                d.line_nature[l],
                id(d.line_provider[l]),
                id(d.line_supplier[l]),
                d.line_ht[l],
                d.line_ttc[l]
            )
        }),
    )?;
    Ok(())
}

fn main() -> Result<(), Box<dyn StdError>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let scale = parse_scale(&get("--scale").unwrap_or_else(|| "10k".into()))?;
    let out = PathBuf::from(get("--out").unwrap_or_else(|| format!("target/side-by-side/{scale}")));
    let seed: u64 = get("--seed").map_or(Ok(20_260_312), |s| s.parse())?;
    let started = std::time::Instant::now();
    let d = generate(scale, seed);
    write_all(&d, &out)?;
    eprintln!(
        "generated {} interventions, {} cost lines, {} assets, {} tenants into {} in {:.1} s",
        d.wo_asset.len(),
        d.lines(),
        d.asset_parent.len(),
        d.tenants(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
