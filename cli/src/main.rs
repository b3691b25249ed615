//! `mutualis`: the command line of the library.
//!
//! ```text
//! mutualis report <kind> --tenant CODE --year YYYY --store PATH
//!                 [--out FILE.html] [--csv DIR] [--lang fr|en] [--tag TAG]
//!                 [--on YYYY-MM-DD]
//! ```
//!
//! Opens the store (it must exist), builds the report from the public
//! queries and writes it as one self-contained HTML file (`--out`; standard
//! output when neither `--out` nor `--csv` is given) and/or one CSV file per
//! table in DIR (`<table>.csv`, what a French Excel opens, and
//! `<table>.plain.csv` for programs). `--tag`: the event report's tag;
//! `--on`: the fleet report's reference date (default: December 31st of the
//! year). Exit status: 0, 1 when the library
//! refuses (the message names what was wrong), 2 for a usage error.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use mutualis::report::{CsvStyle, Locale, ReportKind};
use mutualis::store::Store;

const USAGE: &str = "usage: mutualis report <kind> --tenant CODE --year YYYY --store PATH [--out FILE.html] [--csv DIR] [--lang fr|en] [--tag TAG] [--on YYYY-MM-DD]
kinds: ";

/// The parsed command line of `mutualis report`.
struct Args {
    kind: ReportKind,
    tenant: String,
    year: i32,
    store: PathBuf,
    out: Option<PathBuf>,
    csv: Option<PathBuf>,
    locale: Locale,
    tag: Option<String>,
    on: Option<chrono::NaiveDate>,
}

fn usage(msg: &str) -> String {
    format!(
        "mutualis: {msg}\n{USAGE}{}",
        ReportKind::NAMES.trim_end_matches(", ")
    )
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("report") => {}
        Some("-h" | "--help") | None => return Err(usage("a command is needed")),
        Some(other) => return Err(usage(&format!("unknown command {other:?}"))),
    }
    let kind = it
        .next()
        .ok_or_else(|| usage("which report?"))?
        .parse::<ReportKind>()
        .map_err(|e| usage(&e.to_string()))?;
    let (mut tenant, mut year, mut store, mut out, mut csv, mut locale, mut tag) =
        (None, None, None, None, None, Locale::Fr, None);
    let mut on = None;
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--tenant" => tenant = Some(value()?),
            "--year" => {
                let v = value()?;
                year = Some(
                    v.parse::<i32>()
                        .map_err(|_| usage(&format!("--year {v:?} is not a year")))?,
                );
            }
            "--store" => store = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--csv" => csv = Some(PathBuf::from(value()?)),
            "--lang" => locale = Locale::parse(&value()?).map_err(|e| usage(&e.to_string()))?,
            "--tag" => tag = Some(value()?),
            "--on" => {
                let v = value()?;
                on = Some(
                    v.parse::<chrono::NaiveDate>()
                        .map_err(|_| usage(&format!("--on {v:?} is not a date (YYYY-MM-DD)")))?,
                );
            }
            other => return Err(usage(&format!("unknown option {other:?}"))),
        }
    }
    Ok(Args {
        kind,
        tenant: tenant.ok_or_else(|| usage("--tenant is required"))?,
        year: year.ok_or_else(|| usage("--year is required"))?,
        store: store.ok_or_else(|| usage("--store is required"))?,
        out,
        csv,
        locale,
        tag,
        on,
    })
}

fn run(a: &Args) -> Result<(), String> {
    if !a.store.is_file() {
        return Err(format!("no store at {}", a.store.display()));
    }
    let store = Store::open(&a.store, "mutualis-cli")
        .map_err(|e| format!("cannot open {}: {e}", a.store.display()))?;
    let m = store.registry();
    let report = match (&a.tag, a.kind) {
        (Some(tag), ReportKind::Event) => m.report_event(&a.tenant, a.year, tag),
        (_, ReportKind::Fleet) => m.report_fleet(&a.tenant, a.year, a.on),
        _ => m.report(a.kind, &a.tenant, a.year),
    }
    .map_err(|e| e.to_string())?;
    let html = report.to_html(a.locale);
    if let Some(out) = &a.out {
        std::fs::write(out, &html).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        println!("{}", out.display());
    }
    if let Some(dir) = &a.csv {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for t in report.tables() {
            for (style, name) in [
                (CsvStyle::Excel, format!("{}.csv", t.key)),
                (CsvStyle::Plain, format!("{}.plain.csv", t.key)),
            ] {
                let path = dir.join(name);
                std::fs::write(&path, t.to_csv(a.locale, style))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                println!("{}", path.display());
            }
        }
    }
    if a.out.is_none() && a.csv.is_none() {
        print!("{html}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Ok(a) => match run(&a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("mutualis: {msg}");
                ExitCode::from(1)
            }
        },
    }
}
