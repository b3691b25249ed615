//! Loads a user's tables (`DIR/parquet/<table>.parquet`, docs/ingest.md)
//! into the registry through bulk ingestion (`Mutualis::ingest_parquet_dir`), with every domain check, then
//! asks the four questions of docs/bench-spec.md through the public query
//! API, printing the timings and writing the answers as JSON for the
//! side-by-side comparison.
//!
//! `cargo run --release -p mutualis-benches --bin answer -- --data DIR --out result.json`

use std::error::Error as StdError;
use std::path::PathBuf;
use std::time::Instant;

use mutualis::ingest::IngestMode;
use mutualis::Mutualis;

fn main() -> Result<(), Box<dyn StdError>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dir = PathBuf::from(get("--data").ok_or("--data DIR is required")?);
    let t0 = Instant::now();
    let mut m = Mutualis::new();
    // the files are read batch by batch while they are ingested
    m.ingest_parquet_dir(dir.join("parquet"), IngestMode::AllOrNothing, None)?;
    let load_s = t0.elapsed().as_secs_f64();
    // resident memory of the whole process once loaded (Arrow tables dropped)
    let rss = mutualis_benches::resident_bytes();
    let t1 = Instant::now();
    let answers = mutualis_benches::answers(&m)?;
    let query_s = t1.elapsed().as_secs_f64();
    let lines = m.cost_lines().len();
    let json = serde_json::json!({
        "engine": "mutualis-rust",
        "threads": 1,
        "lines": lines,
        "load_s": load_s,
        "query_s": query_s,
        "rss_after_load_bytes": rss,
        "answers": answers,
    });
    match get("--out") {
        Some(out) => std::fs::write(out, json.to_string())?,
        None => println!("{json}"),
    }
    eprintln!(
        "mutualis: {lines} lines, load {load_s:.3} s (Parquet read and ingestion), four questions {query_s:.3} s"
    );
    // the journal's copy of the ingested tables (what a store would persist)
    let journal_bytes: usize = m
        .journal()
        .iter()
        .map(|e| match &e.event {
            mutualis::Event::TablesIngested { tables } => {
                tables.tables.iter().map(|t| t.ipc.len()).sum()
            }
            _ => 0,
        })
        .sum();
    eprintln!(
        "mutualis: journal's copy of the ingested tables {:.1} MB, {:.1} bytes per cost line",
        journal_bytes as f64 / 1e6,
        journal_bytes as f64 / lines.max(1) as f64
    );
    if let Some(rss) = rss {
        eprintln!(
            "mutualis: resident after load {:.1} MB, {:.1} bytes per cost line",
            rss as f64 / 1e6,
            rss as f64 / lines.max(1) as f64
        );
    }
    Ok(())
}
