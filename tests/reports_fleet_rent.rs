use mutualis::report::{Locale, ReportKind};
use mutualis_examples::{roannais_fleet, roannais_full, roannais_leases};

#[test]
fn explore() {
    let mut m = roannais_full().unwrap();
    roannais_fleet(&mut m, 60).unwrap();
    roannais_leases(&mut m).unwrap();
    for t in ["AGGLO", "ROANNE", "MABLY", "VILLEREST"] {
        for y in [2025, 2026] {
            let r = m.report(ReportKind::Fleet, t, y).unwrap();
            for tb in r.tables() {
                println!(
                    "{t} {y} fleet {} rows {} total {:?}",
                    tb.key,
                    tb.rows.len(),
                    tb.total
                        .as_ref()
                        .map(|x| x.iter().map(|c| c.display(Locale::Fr)).collect::<Vec<_>>())
                );
            }
            let r = m.report(ReportKind::Rent, t, y).unwrap();
            for tb in r.tables() {
                println!(
                    "{t} {y} rent {} rows {} total {:?}",
                    tb.key,
                    tb.rows.len(),
                    tb.total
                        .as_ref()
                        .map(|x| x.iter().map(|c| c.display(Locale::Fr)).collect::<Vec<_>>())
                );
            }
        }
    }
    let r = m.report(ReportKind::Fleet, "AGGLO", 2026).unwrap();
    std::fs::write("/tmp/fleet.html", r.to_html(Locale::Fr)).unwrap();
    let r = m.report(ReportKind::Rent, "ROANNE", 2026).unwrap();
    std::fs::write("/tmp/rent.html", r.to_html(Locale::Fr)).unwrap();
}
