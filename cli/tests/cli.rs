//! Runs the `mutualis` binary on a store of the Roannais scenario.

use std::path::PathBuf;
use std::process::Command;

use mutualis::store::Store;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mutualis"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn store(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("roannais.db");
    let mut s = Store::open(&path, "test").unwrap();
    let mut built = mutualis_examples::roannais_full().unwrap();
    mutualis_examples::roannais_14_juillet(&mut built).unwrap();
    s.execute(|m| {
        *m = built.clone();
        Ok(())
    })
    .unwrap();
    path
}

#[test]
fn writes_html_and_csv() {
    let dir = scratch("cli-report");
    let db = store(&dir);
    let out = dir.join("spending.html");
    let o = bin()
        .args([
            "report", "spending", "--tenant", "AGGLO", "--year", "2026", "--store",
        ])
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .arg("--csv")
        .arg(dir.join("csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<h1>Dépenses par service et nature</h1>"));
    assert!(html.contains("3\u{202f}692,73\u{a0}€"));
    let csv = std::fs::read_to_string(dir.join("csv/by_service.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains(";3692,73;\r\n"));
    let plain = std::fs::read_to_string(dir.join("csv/by_service.plain.csv")).unwrap();
    assert!(plain.starts_with("service,service_name,"));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.lines().any(|l| l.ends_with("spending.html")));

    // English on standard output, another tag
    let o = bin()
        .args([
            "report",
            "event",
            "--tenant",
            "VILLEREST",
            "--year",
            "2026",
            "--lang",
            "en",
        ])
        .args(["--tag", "14-juillet-2026", "--store"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("€5,128.00"));
}

#[test]
fn clear_errors() {
    let dir = scratch("cli-errors");
    let db = store(&dir);
    let run = |args: &[&str]| {
        let o = bin().args(args).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["report", "nope", "--tenant", "AGGLO"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown report kind \"nope\"") && err.contains("spending"),
        "{err}"
    );
    let (code, err) = run(&["report", "spending", "--tenant", "AGGLO", "--store", "x.db"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--year is required"), "{err}");
    let (code, err) = run(&[
        "report",
        "spending",
        "--tenant",
        "AGGLO",
        "--year",
        "2026",
        "--store",
        "/nonexistent/x.db",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no store at /nonexistent/x.db"), "{err}");
    let db = db.to_str().unwrap();
    let (code, err) = run(&[
        "report", "budget", "--tenant", "NOPE", "--year", "2026", "--store", db,
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("NOPE"), "{err}");
    let (code, err) = run(&[
        "report", "budget", "--tenant", "AGGLO", "--year", "2026", "--store", db, "--lang", "de",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("locale"), "{err}");
}

#[test]
fn fleet_and_rent_reports() {
    let dir = scratch("cli-fleet-rent");
    let path = dir.join("roannais.db");
    let mut s = Store::open(&path, "test").unwrap();
    let mut built = mutualis_examples::roannais_full().unwrap();
    mutualis_examples::roannais_fleet(&mut built, 12).unwrap();
    mutualis_examples::roannais_leases(&mut built).unwrap();
    s.execute(|m| {
        *m = built.clone();
        Ok(())
    })
    .unwrap();
    drop(s);
    let db = path.to_str().unwrap();
    let report = |args: &[&str]| {
        let o = bin().args(args).args(["--store", db]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    // the fleet report, on a stated reference date
    let html = report(&[
        "report",
        "fleet",
        "--tenant",
        "AGGLO",
        "--year",
        "2026",
        "--on",
        "2026-03-12",
    ]);
    assert!(html.contains("<h1>Parc auto : contrôles réglementaires et coûts 2026</h1>"));
    assert!(html.contains("Date de référence : 12/03/2026"));
    let r = built.report_fleet("AGGLO", 2026, None).unwrap();
    let html = report(&["report", "fleet", "--tenant", "AGGLO", "--year", "2026"]);
    assert_eq!(html, r.to_html(mutualis::report::Locale::Fr));
    // the rent roll, its tables as CSV
    let csv = dir.join("csv");
    let out = report(&[
        "report",
        "rent",
        "--tenant",
        "ROANNE",
        "--year",
        "2026",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(out.lines().any(|l| l.ends_with("rent_roll.csv")));
    let excel = std::fs::read_to_string(csv.join("rent_roll.csv")).unwrap();
    assert!(excel.starts_with("\u{feff}Contrat;Locaux;Occupant;Type;Loyer dû;"));
    let due = built
        .report(mutualis::report::ReportKind::Rent, "ROANNE", 2026)
        .unwrap()
        .table("rent_roll")
        .unwrap()
        .total_of("due")
        .unwrap();
    let last = excel.trim_end().lines().last().unwrap().to_owned();
    assert!(
        last.starts_with("Total;")
            && last.contains(&format!(";{}", due.to_string().replace('.', ","))),
        "{last}"
    );
    // a bad date is a usage error
    let o = bin()
        .args([
            "report",
            "fleet",
            "--tenant",
            "AGGLO",
            "--year",
            "2026",
            "--on",
            "12/03/2026",
        ])
        .args(["--store", db])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--on \"12/03/2026\" is not a date"));
}

#[test]
fn energy_and_tertiaire_kinds() {
    let dir = scratch("cli-energy");
    let path = dir.join("roannais.db");
    let mut s = Store::open(&path, "test").unwrap();
    let mut built = mutualis_examples::roannais_full().unwrap();
    mutualis_examples::roannais_energy(&mut built).unwrap();
    s.execute(|m| {
        *m = built.clone();
        Ok(())
    })
    .unwrap();
    drop(s);
    let year = mutualis_examples::ENERGY_YEAR.to_string();
    for (kind, h1, figure) in [
        (
            "energy",
            format!("<h1>Énergie par service {year}</h1>"),
            "210\u{202f}446,40\u{a0}€",
        ),
        (
            "tertiaire",
            format!("<h1>Décret tertiaire : trajectoire {year}</h1>"),
            "84\u{202f}650,1",
        ),
    ] {
        let o = bin()
            .args([
                "report", kind, "--tenant", "AGGLO", "--year", &year, "--store",
            ])
            .arg(&path)
            .arg("--csv")
            .arg(dir.join(kind))
            .arg("--out")
            .arg(dir.join(format!("{kind}.html")))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let html = std::fs::read_to_string(dir.join(format!("{kind}.html"))).unwrap();
        assert!(html.contains(&h1) && html.contains(figure), "{kind}");
    }
    let csv = std::fs::read_to_string(dir.join("tertiaire/sites.plain.csv")).unwrap();
    assert!(
        csv.starts_with("building,activity,floor_area,reference_year,"),
        "{csv}"
    );
    assert!(csv.contains("\nSIEGE-AGGLO,bureaux,3200"), "{csv}");
}
