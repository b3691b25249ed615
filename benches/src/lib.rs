//! Benchmarks package (the criterion benches live beside this crate): the
//! data generator of the side-by-side benchmark ([`generate`]) and the four
//! questions of docs/bench-spec.md asked of the registry through its public
//! query API ([`answers`]).

pub mod generate;

use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::{CostNature, Mutualis, Result};
use serde_json::{json, Value};

/// Cents of a two-decimal amount (a sum of cent-rounded parts).
fn cents(x: rust_decimal::Decimal) -> i64 {
    let mut x = x;
    x.rescale(2);
    i64::try_from(x.mantissa()).unwrap_or(i64::MAX)
}

fn year(s: &str) -> i64 {
    s.parse().unwrap_or(0)
}

/// The four questions of docs/bench-spec.md through `ledger_group`:
/// 1. TTC parts by (year, payer, service, nature);
/// 2. TTC parts of régie lines paid by another tenant than the provider, by
///    (year, creditor = provider, debtor = payer);
/// 3. external lines by (year, supplier): distinct work orders and HT;
/// 4. TTC by event tag.
///
/// Rows are JSON arrays (years and cents as integers, codes as strings).
pub fn answers(m: &Mutualis) -> Result<Value> {
    let all = LedgerFilter::default();
    let q1: Vec<Value> = m
        .ledger_group(
            &[
                Dimension::Year,
                Dimension::Payer,
                Dimension::Service,
                Dimension::Nature,
            ],
            &all,
        )?
        .into_iter()
        .map(|r| {
            json!([
                year(&r.keys[0]),
                r.keys[1],
                r.keys[2],
                r.keys[3],
                cents(r.ttc)
            ])
        })
        .collect();
    let q2: Vec<Value> = m
        .ledger_group(
            &[Dimension::Year, Dimension::Performer, Dimension::Payer],
            &all,
        )?
        .into_iter()
        .filter(|r| !r.keys[1].is_empty() && r.keys[1] != r.keys[2])
        .map(|r| json!([year(&r.keys[0]), r.keys[1], r.keys[2], cents(r.ttc)]))
        .collect();
    let external = LedgerFilter {
        nature: Some(CostNature::External),
        ..LedgerFilter::default()
    };
    let q3: Vec<Value> = m
        .ledger_group(&[Dimension::Year, Dimension::Supplier], &external)?
        .into_iter()
        .map(|r| json!([year(&r.keys[0]), r.keys[1], r.work_orders, cents(r.ht)]))
        .collect();
    let q4: Vec<Value> = m
        .ledger_group(&[Dimension::Tag], &all)?
        .into_iter()
        .filter(|r| !r.keys[0].is_empty())
        .map(|r| json!([r.keys[0], cents(r.ttc)]))
        .collect();
    Ok(json!({ "q1": q1, "q2": q2, "q3": q3, "q4": q4 }))
}

/// The resident memory of this process in bytes (`VmRSS` of
/// `/proc/self/status`), `None` where there is no such file.
#[must_use]
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
