//! Writes a generated group of collectivités (docs/bench-spec.md) as a
//! user's own tables in the ingestion schema (docs/ingest.md): Parquet in
//! `DIR/parquet/`, CSV in `DIR/csv/`.
//!
//! `cargo run --release -p mutualis-benches --bin generate -- --scale 100k --out DIR [--seed N]`

use std::error::Error as StdError;
use std::path::PathBuf;

use mutualis_benches::generate::{generate, write_all};

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
    let (tables, n) = generate(scale, seed);
    write_all(&tables, &out)?;
    eprintln!(
        "generated {} interventions, {} cost lines, {} assets, {} tenants into {} in {:.1} s",
        n.work_orders,
        n.cost_lines,
        n.assets,
        n.tenants,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
