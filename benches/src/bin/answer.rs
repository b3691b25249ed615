//! Loads a dataset in the Mutualis binary format and answers the four
//! questions of docs/bench-spec.md, printing the timings and writing the
//! answers as JSON for the side-by-side comparison.
//!
//! `cargo run --release -p mutualis-benches --bin answer -- --data DIR --out result.json`

use std::error::Error as StdError;
use std::path::PathBuf;
use std::time::Instant;

use mutualis::bulk::BulkData;

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
    let d = BulkData::read(dir.join("dataset.mtb"))?;
    let load_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let a = d.answers()?;
    let query_s = t1.elapsed().as_secs_f64();
    let json = serde_json::json!({
        "engine": "mutualis-rust",
        "threads": 1,
        "lines": d.lines(),
        "load_s": load_s,
        "query_s": query_s,
        "answers": { "q1": a.q1, "q2": a.q2, "q3": a.q3, "q4": a.q4 },
    });
    match get("--out") {
        Some(out) => std::fs::write(out, json.to_string())?,
        None => println!("{json}"),
    }
    eprintln!(
        "mutualis: {} lines, load {load_s:.3} s, four questions {query_s:.3} s",
        d.lines()
    );
    Ok(())
}
