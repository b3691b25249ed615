//! Bulk ingestion of a user's tables (docs/ingest.md): the same registry as
//! the commands, from Arrow batches, CSV and Parquet; bad rows reported with
//! their exact row numbers; all-or-nothing; replay and JSON round trip.
#![cfg(feature = "parquet")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mutualis::ingest::{IngestMode, Tables};
use mutualis::ledger::{Dimension, LedgerFilter};
use mutualis::{
    AssetKind, Clock, CostInput, Error, Event, Mutualis, NewAsset, NewItem, NewSupplier, NewTenant,
    NewWorkOrder, Period, TenantKind, VatRate, WorkOrderStatus,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
}

/// A column of the fixture: its name, Arrow kind and values ("" = null).
#[derive(Clone, Copy)]
enum K {
    Text,
    Date,
    Dec,
    Int,
}

type Spec = (&'static str, Vec<(&'static str, K, Vec<&'static str>)>);

fn array(kind: K, values: &[&str]) -> ArrayRef {
    fn opt<'a>(v: &&'a str) -> Option<&'a str> {
        (!v.is_empty()).then_some(*v)
    }
    match kind {
        K::Text => Arc::new(values.iter().map(opt).collect::<StringArray>()),
        K::Date => Arc::new(
            values
                .iter()
                .map(|v| {
                    opt(v).map(|s| {
                        (NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap() - d(1970, 1, 1))
                            .num_days() as i32
                    })
                })
                .collect::<Date32Array>(),
        ),
        K::Dec => Arc::new(
            values
                .iter()
                .map(|v| {
                    opt(v).map(|s| {
                        let mut x: Decimal = s.parse().unwrap();
                        x.rescale(4);
                        x.mantissa()
                    })
                })
                .collect::<Decimal128Array>()
                .with_precision_and_scale(38, 4)
                .unwrap(),
        ),
        K::Int => Arc::new(
            values
                .iter()
                .map(|v| opt(v).map(|s| s.parse::<i64>().unwrap()))
                .collect::<Int64Array>(),
        ),
    }
}

fn batch(cols: &[(&'static str, K, Vec<&'static str>)]) -> RecordBatch {
    RecordBatch::try_from_iter(cols.iter().map(|(n, k, v)| (*n, array(*k, v)))).unwrap()
}

fn tables_of(specs: &[Spec]) -> Tables {
    let mut t = Tables::new();
    for (name, cols) in specs {
        t.insert(name, batch(cols)).unwrap();
    }
    t
}

fn csv_quote(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

fn write_csv(dir: &Path, specs: &[Spec]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, cols) in specs {
        let mut text = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(",");
        text.push('\n');
        for r in 0..cols[0].2.len() {
            let row: Vec<String> = cols.iter().map(|c| csv_quote(c.2[r])).collect();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
    }
}

fn write_parquet(dir: &Path, specs: &[Spec]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, cols) in specs {
        let b = batch(cols);
        let f = std::fs::File::create(dir.join(format!("{name}.parquet"))).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, b.schema(), None).unwrap();
        w.write(&b).unwrap();
        w.close().unwrap();
    }
}

fn tmp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("mutualis-ingest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

/// The DOMAIN's seed as a user's tables: AGGLO, ROANNE, VILLEREST; the
/// gymnasium (its room listed before the building) in AGGLO's custody;
/// Roanne's sports régie; Villerest's agents and the 14 juillet suppliers;
/// the gymnasium's work order (labour and, with `material`, the paint) and
/// the 14 juillet's.
fn fixture(material: bool) -> Vec<Spec> {
    use K::*;
    let mut lines = vec![
        ("work_order", Text, vec!["BT-GYM-1", "BT-14J-1", "BT-14J-2"]),
        ("date", Date, vec!["2026-03-12", "2026-07-13", "2026-07-14"]),
        ("nature", Text, vec!["labour", "labour", "external"]),
        ("team", Text, vec!["ROANNE-SPORTS", "VILLEREST-AGENTS", ""]),
        ("store", Text, vec!["", "", ""]),
        ("item", Text, vec!["", "", ""]),
        ("supplier", Text, vec!["", "", "LOCABARRIERES"]),
        (
            "description",
            Text,
            vec![
                "main d'œuvre 6.5 h",
                "main d'œuvre 2 × 4 h",
                "Location de barrières",
            ],
        ),
        ("quantity", Dec, vec!["6.5", "8", "1"]),
        ("unit_cost", Dec, vec!["38.50", "32.00", "480.00"]),
        ("ht", Dec, vec!["250.25", "256.00", "480.00"]),
        ("vat_rate", Dec, vec!["", "", "20"]),
        ("vat", Dec, vec!["0", "0", "96.00"]),
        ("ttc", Dec, vec!["250.25", "256.00", "576.00"]),
    ];
    if material {
        let extra = [
            "BT-GYM-1",
            "2026-03-12",
            "material",
            "",
            "MAG-ROANNE",
            "PEINTURE",
            "",
            "Peinture acrylique 15 L",
            "12",
            "14.2370",
            "170.84",
            "",
            "0",
            "170.84",
        ];
        for (c, v) in lines.iter_mut().zip(extra) {
            c.2.insert(1, v);
        }
    }
    vec![
        (
            "tenants",
            vec![
                ("code", Text, vec!["AGGLO", "ROANNE", "VILLEREST"]),
                (
                    "name",
                    Text,
                    vec!["Roannais Agglomération", "Roanne", "Villerest"],
                ),
                (
                    "kind",
                    Text,
                    vec!["communaute_d_agglomeration", "commune", "commune"],
                ),
                ("siren", Text, vec!["200035731", "214218703", "214233207"]),
                ("insee", Text, vec!["", "42187", "42332"]),
            ],
        ),
        (
            "services",
            vec![
                ("tenant", Text, vec!["AGGLO", "ROANNE", "VILLEREST"]),
                ("code", Text, vec!["SPORTS", "SPORTS", "TECH"]),
                (
                    "name",
                    Text,
                    vec!["Sports", "Régie sports", "Services techniques"],
                ),
            ],
        ),
        (
            "assets",
            vec![
                ("code", Text, vec!["GYM-SALLE", "GYM", "PLACE-VILLEREST"]),
                (
                    "name",
                    Text,
                    vec!["Grande salle", "Gymnase Coubertin", "Place du bourg"],
                ),
                ("kind", Text, vec!["room", "building", "green_space"]),
                ("owner", Text, vec!["ROANNE", "ROANNE", "VILLEREST"]),
                ("parent", Text, vec!["GYM", "", ""]),
                ("service_tenant", Text, vec!["", "AGGLO", ""]),
                ("service", Text, vec!["", "SPORTS", ""]),
                (
                    "commissioned",
                    Date,
                    vec!["1975-09-01", "1975-09-01", "1990-01-01"],
                ),
                ("floor_area", Dec, vec!["", "1200.5", ""]),
            ],
        ),
        (
            "custody",
            vec![
                ("asset", Text, vec!["GYM"]),
                ("beneficiary", Text, vec!["AGGLO"]),
                ("from", Date, vec!["2019-01-01"]),
                ("to", Date, vec![""]),
            ],
        ),
        (
            "suppliers",
            vec![
                ("code", Text, vec!["LOCABARRIERES", "ARTIFICES"]),
                ("name", Text, vec!["Loca Barrières", "Loire Artifices"]),
                ("siret", Text, vec!["73282932000074", "35600000000056"]),
                ("categories", Text, vec!["location", "pyrotechnie"]),
            ],
        ),
        (
            "teams",
            vec![
                ("code", Text, vec!["ROANNE-SPORTS", "VILLEREST-AGENTS"]),
                ("tenant", Text, vec!["ROANNE", "VILLEREST"]),
                (
                    "name",
                    Text,
                    vec!["Régie équipements sportifs", "Agents polyvalents"],
                ),
                ("service", Text, vec!["SPORTS", "TECH"]),
            ],
        ),
        (
            "labour_rates",
            vec![
                ("tenant", Text, vec!["ROANNE", "VILLEREST"]),
                ("year", Int, vec!["2026", "2026"]),
                ("rate", Dec, vec!["38.50", "32.00"]),
            ],
        ),
        (
            "stores",
            vec![
                ("code", Text, vec!["MAG-ROANNE"]),
                ("tenant", Text, vec!["ROANNE"]),
                ("name", Text, vec!["Magasin central"]),
            ],
        ),
        (
            "items",
            vec![
                ("code", Text, vec!["PEINTURE"]),
                ("name", Text, vec!["Peinture acrylique 15 L"]),
                ("unit", Text, vec!["pot"]),
            ],
        ),
        (
            "work_orders",
            vec![
                ("code", Text, vec!["BT-GYM-1", "BT-14J-1", "BT-14J-2"]),
                (
                    "title",
                    Text,
                    vec![
                        "Peinture de la grande salle",
                        "Montage de la scène",
                        "Barrières",
                    ],
                ),
                (
                    "asset",
                    Text,
                    vec!["GYM-SALLE", "PLACE-VILLEREST", "PLACE-VILLEREST"],
                ),
                ("team", Text, vec!["ROANNE-SPORTS", "VILLEREST-AGENTS", ""]),
                ("supplier", Text, vec!["", "", "LOCABARRIERES"]),
                ("tags", Text, vec!["", "14-juillet-2026", "14-juillet-2026"]),
                ("status", Text, vec!["done", "in_progress", "closed"]),
            ],
        ),
        ("cost_lines", lines),
    ]
}

/// The same registry built by the commands (without the paint, which the
/// commands issue from stock).
fn by_commands() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(at()));
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214233207",
        "42332",
    ))
    .unwrap();
    m.add_service("AGGLO", "SPORTS", "Sports").unwrap();
    m.add_service("ROANNE", "SPORTS", "Régie sports").unwrap();
    m.add_service("VILLEREST", "TECH", "Services techniques")
        .unwrap();
    m.add_asset(
        NewAsset::new(
            "GYM",
            "Gymnase Coubertin",
            AssetKind::Building,
            "ROANNE",
            d(1975, 9, 1),
        )
        .managed_by("AGGLO", "SPORTS")
        .with_floor_area(dec!(1200.5)),
    )
    .unwrap();
    m.add_asset(NewAsset::new(
        "PLACE-VILLEREST",
        "Place du bourg",
        AssetKind::GreenSpace,
        "VILLEREST",
        d(1990, 1, 1),
    ))
    .unwrap();
    // parents first, else in row order: the room comes after the place
    m.add_asset(
        NewAsset::new(
            "GYM-SALLE",
            "Grande salle",
            AssetKind::Room,
            "ROANNE",
            d(1975, 9, 1),
        )
        .under("GYM"),
    )
    .unwrap();
    m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)))
        .unwrap();
    m.add_supplier(
        NewSupplier::new("LOCABARRIERES", "Loca Barrières", "73282932000074")
            .in_category("location"),
    )
    .unwrap();
    m.add_supplier(
        NewSupplier::new("ARTIFICES", "Loire Artifices", "35600000000056")
            .in_category("pyrotechnie"),
    )
    .unwrap();
    m.add_team(
        "ROANNE-SPORTS",
        "ROANNE",
        "Régie équipements sportifs",
        Some("SPORTS"),
    )
    .unwrap();
    m.add_team(
        "VILLEREST-AGENTS",
        "VILLEREST",
        "Agents polyvalents",
        Some("TECH"),
    )
    .unwrap();
    m.set_labour_rate("ROANNE", 2026, None, None, dec!(38.50))
        .unwrap();
    m.set_labour_rate("VILLEREST", 2026, None, None, dec!(32.00))
        .unwrap();
    m.add_store("MAG-ROANNE", "ROANNE", "Magasin central")
        .unwrap();
    m.add_item(NewItem::new("PEINTURE", "Peinture acrylique 15 L", "pot"))
        .unwrap();
    use WorkOrderStatus::*;
    m.create_work_order(NewWorkOrder::by_team(
        "BT-GYM-1",
        "Peinture de la grande salle",
        "GYM-SALLE",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_team(
            "BT-14J-1",
            "Montage de la scène",
            "PLACE-VILLEREST",
            "VILLEREST-AGENTS",
        )
        .tagged("14-juillet-2026"),
    )
    .unwrap();
    m.create_work_order(
        NewWorkOrder::by_supplier("BT-14J-2", "Barrières", "PLACE-VILLEREST", "LOCABARRIERES")
            .tagged("14-juillet-2026"),
    )
    .unwrap();
    for (wo, path) in [
        ("BT-GYM-1", &[InProgress][..]),
        ("BT-14J-1", &[InProgress][..]),
        ("BT-14J-2", &[InProgress][..]),
    ] {
        for s in path {
            m.set_work_order_status(wo, *s, at()).unwrap();
        }
    }
    m.record_cost("BT-GYM-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1))
        .unwrap();
    m.record_cost("BT-14J-1", CostInput::labour(d(2026, 7, 13), dec!(4), 2))
        .unwrap();
    m.record_cost(
        "BT-14J-2",
        CostInput::external(
            d(2026, 7, 14),
            None,
            "Location de barrières",
            dec!(480.00),
            VatRate::Standard,
        ),
    )
    .unwrap();
    m.set_work_order_status("BT-GYM-1", Done, at()).unwrap();
    m.set_work_order_status("BT-14J-2", Done, at()).unwrap();
    m.set_work_order_status("BT-14J-2", Closed, at()).unwrap();
    m
}

fn fresh() -> Mutualis {
    let mut m = Mutualis::new();
    m.set_clock(Clock::Fixed(at()));
    m
}

fn ingested(tables: &Tables) -> Mutualis {
    let mut m = fresh();
    let report = m.ingest(tables, IngestMode::AllOrNothing, None).unwrap();
    assert!(report.errors.is_empty());
    m
}

#[test]
fn the_gymnasium_from_tables_charges_421_09_to_agglo() {
    let m = ingested(&tables_of(&fixture(true)));
    let charges = m.work_order_charges("BT-GYM-1").unwrap();
    assert_eq!(charges.len(), 1);
    assert_eq!(m.tenant_code(charges[0].tenant), "AGGLO");
    assert_eq!(charges[0].amounts.ttc, dec!(421.09));
    let cost = m.work_order_cost("BT-GYM-1").unwrap();
    assert_eq!(
        (cost.labour.ttc, cost.material.ttc),
        (dec!(250.25), dec!(170.84))
    );
    // the ledger says the same: AGGLO pays 421.09 for ROANNE's régie
    let rows = m
        .ledger_group(
            &[Dimension::Payer, Dimension::Performer],
            &LedgerFilter {
                asset: Some("GYM".into()),
                ..LedgerFilter::default()
            },
        )
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].keys, ["AGGLO", "ROANNE"]);
    assert_eq!(rows[0].ttc, dec!(421.09));
    // the event's cost: 256.00 + 576.00
    assert_eq!(m.cost_by_tag("14-juillet-2026").total.ttc, dec!(832.00));
    // the child was listed before its parent: placed under it all the same
    assert_eq!(
        m.asset("GYM-SALLE").unwrap().parent,
        Some(m.asset_id("GYM").unwrap())
    );
    assert_eq!(m.journal().len(), 1);
    assert!(matches!(m.journal()[0].event, Event::TablesIngested { .. }));
}

#[test]
fn arrow_csv_and_parquet_give_the_registry_of_the_commands() {
    let expected = by_commands();
    let specs = fixture(false);
    assert_eq!(ingested(&tables_of(&specs)), expected);
    let csv = tmp("csv");
    write_csv(&csv, &specs);
    assert_eq!(ingested(&Tables::from_csv_dir(&csv).unwrap()), expected);
    let pq = tmp("parquet");
    write_parquet(&pq, &specs);
    let mut progress = Vec::new();
    let mut m = fresh();
    let mut cb = |done: usize, total: usize| progress.push((done, total));
    m.ingest(
        &Tables::from_parquet_dir(&pq).unwrap(),
        IngestMode::Report,
        Some(&mut cb),
    )
    .unwrap();
    assert_eq!(m, expected);
    let total: usize = specs.iter().map(|s| s.1[0].2.len()).sum();
    assert_eq!(progress.last(), Some(&(total, total)));
    let _ = std::fs::remove_dir_all(csv);
    let _ = std::fs::remove_dir_all(pq);
}

#[test]
fn replay_with_the_system_clock_dates_statuses_like_the_entry() {
    let mut m = Mutualis::new(); // system clock
    m.ingest(&tables_of(&fixture(true)), IngestMode::AllOrNothing, None)
        .unwrap();
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
}

#[test]
fn replay_and_json_round_trip_after_an_ingestion() {
    let mut m = ingested(&tables_of(&fixture(true)));
    // commands after the ingestion journal as usual
    m.create_work_order(NewWorkOrder::by_team(
        "BT-GYM-2",
        "Vitres",
        "GYM",
        "ROANNE-SPORTS",
    ))
    .unwrap();
    assert_eq!(m.journal().len(), 2);
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    assert_eq!(Mutualis::from_journal_json(&m.journal_json()).unwrap(), m);
    assert_eq!(Mutualis::from_json(&m.to_json()).unwrap(), m);
    // a report-mode ingestion with bad rows replays to the same registry
    let mut specs = fixture(false);
    specs[0].1[3].2[2] = "214233208"; // VILLEREST's SIREN: bad key
    let mut r = fresh();
    let report = r
        .ingest(&tables_of(&specs), IngestMode::Report, None)
        .unwrap();
    assert!(!report.errors.is_empty());
    assert_eq!(Mutualis::replay(r.journal()).unwrap(), r);
    assert_eq!(Mutualis::from_journal_json(&r.journal_json()).unwrap(), r);
}

fn set(specs: &mut [Spec], table: &str, column: &str, row: usize, value: &'static str) {
    let t = specs.iter_mut().find(|s| s.0 == table).unwrap();
    let c = t.1.iter_mut().find(|c| c.0 == column).unwrap();
    c.2[row] = value;
}

fn push_row(specs: &mut [Spec], table: &str, values: &[&'static str]) {
    let t = specs.iter_mut().find(|s| s.0 == table).unwrap();
    assert_eq!(t.1.len(), values.len());
    for (c, v) in t.1.iter_mut().zip(values) {
        c.2.push(v);
    }
}

#[test]
fn bad_rows_are_reported_with_their_row_numbers() {
    let mut specs = fixture(true);
    // cost_lines row 3 (1-based): an unknown work order
    set(&mut specs, "cost_lines", "work_order", 2, "BT-NOPE");
    // custody row 2: overlaps row 1 on the gymnasium
    push_row(
        &mut specs,
        "custody",
        &["GYM", "VILLEREST", "2020-01-01", ""],
    );
    let mut m = fresh();
    let report = m
        .ingest(&tables_of(&specs), IngestMode::Report, None)
        .unwrap();
    let got: Vec<(&str, usize, Option<&str>, &str)> = report
        .errors
        .iter()
        .map(|e| (e.table, e.row, e.column, e.error.kind()))
        .collect();
    assert_eq!(
        got,
        [
            ("custody", 2, Some("from"), "custody_overlap"),
            ("cost_lines", 3, Some("work_order"), "unknown_work_order"),
        ]
    );
    assert_eq!(report.ingested("cost_lines"), 3);
    assert_eq!(report.ingested("custody"), 1);
    assert_eq!(m.cost_lines().len(), 3);
    // the same bad rows in all-or-nothing mode: the first one stops it
    let mut m = fresh();
    let err = m
        .ingest(&tables_of(&specs), IngestMode::AllOrNothing, None)
        .unwrap_err();
    assert!(
        matches!(&err, Error::IngestRow { table: "custody", row: 2, column: Some("from"), error } if error.kind() == "custody_overlap"),
        "{err:?}"
    );
    assert_eq!(m, fresh());
    assert!(m.journal().is_empty());
}

/// `ingest_parquet_dir` reads the work orders and cost lines batch by batch:
/// the same registry, report, errors and journal as the tables read whole.
#[test]
fn streamed_parquet_gives_what_the_tables_read_whole_give() {
    let mut specs = fixture(true);
    // work_orders row 2: an unknown asset; cost_lines row 3: an unknown order
    set(&mut specs, "work_orders", "asset", 1, "NOPE");
    set(&mut specs, "cost_lines", "work_order", 2, "BT-NOPE");
    let pq = tmp("parquet-stream");
    write_parquet(&pq, &specs);
    let whole = Tables::from_parquet_dir(&pq).unwrap();
    for mode in [IngestMode::Report, IngestMode::AllOrNothing] {
        let (mut a, mut b) = (fresh(), fresh());
        let ra = a.ingest(&whole, mode, None);
        let mut progress = Vec::new();
        let mut cb = |done: usize, total: usize| progress.push((done, total));
        let rb = b.ingest_parquet_dir(&pq, mode, Some(&mut cb));
        match (ra, rb) {
            (Ok(ra), Ok(rb)) => {
                assert_eq!(ra, rb);
                assert_eq!(
                    rb.errors
                        .iter()
                        .map(|e| (e.table, e.row, e.column, e.error.kind()))
                        .collect::<Vec<_>>(),
                    [
                        ("work_orders", 2, Some("asset"), "unknown_asset"),
                        ("cost_lines", 3, Some("work_order"), "unknown_work_order"),
                    ]
                );
                let total: usize = specs.iter().map(|s| s.1[0].2.len()).sum();
                assert_eq!(progress.last(), Some(&(total, total)));
            }
            (Err(ea), Err(eb)) => {
                assert_eq!(format!("{ea:?}"), format!("{eb:?}"));
                assert!(matches!(
                    eb,
                    Error::IngestRow {
                        table: "work_orders",
                        row: 2,
                        column: Some("asset"),
                        ..
                    }
                ));
                assert_eq!(b, fresh());
            }
            (ra, rb) => panic!("{ra:?} / {rb:?}"),
        }
        assert_eq!(a, b);
        assert_eq!(a.journal(), b.journal());
        assert_eq!(Mutualis::replay(b.journal()).unwrap(), b);
    }
    // on a populated registry, a refused streamed ingestion changes nothing
    let mut m = by_commands();
    let before = m.clone();
    assert!(m
        .ingest_parquet_dir(&pq, IngestMode::AllOrNothing, None)
        .is_err());
    assert_eq!(m, before);
    assert_eq!(m.journal(), before.journal());
    let _ = std::fs::remove_dir_all(pq);
}

/// A table read from a Parquet file is journalled as that file, byte for
/// byte (a part's kind byte `P` and its length, then the file): the rows
/// are not encoded again, and the journal replays (report mode skipping the
/// same rows) and round-trips through JSON. A table given batch by batch
/// (or one a batch was added to) is encoded as before.
#[test]
fn a_parquet_table_is_journalled_as_its_source_file() {
    let mut specs = fixture(true);
    set(&mut specs, "cost_lines", "work_order", 2, "BT-NOPE");
    let pq = tmp("parquet-source");
    write_parquet(&pq, &specs);
    let source = |table: &str| std::fs::read(pq.join(format!("{table}.parquet"))).unwrap();
    let part = |file: &[u8]| {
        let mut p = vec![b'P'];
        p.extend_from_slice(&(file.len() as u64).to_le_bytes());
        p.extend_from_slice(file);
        p
    };
    let payload = |m: &Mutualis| match &m.journal().last().unwrap().event {
        Event::TablesIngested { tables } => tables.clone(),
        e => panic!("unexpected event {e:?}"),
    };
    let mut streamed = fresh();
    let report = streamed
        .ingest_parquet_dir(&pq, IngestMode::Report, None)
        .unwrap();
    assert_eq!(report.errors.len(), 1);
    let p = payload(&streamed);
    assert_eq!(p.version, 2);
    assert_eq!(p.tables.len(), specs.len());
    for t in &p.tables {
        assert_eq!(t.ipc, part(&source(&t.name)), "table {}", t.name);
    }
    let back = Mutualis::replay(streamed.journal()).unwrap();
    assert_eq!(back, streamed);
    assert_eq!(Mutualis::from_json(&streamed.to_json()).unwrap(), streamed);
    // the tables read whole keep their files too, until a batch is added
    let mut whole = Tables::from_parquet_dir(&pq).unwrap();
    let mut m = fresh();
    m.ingest(&whole, IngestMode::Report, None).unwrap();
    assert_eq!(m.journal(), streamed.journal());
    let extra = whole.batches("tenants")[0].slice(0, 0);
    whole.insert("tenants", extra).unwrap();
    let mut m = fresh();
    m.ingest(&whole, IngestMode::Report, None).unwrap();
    let p = payload(&m);
    let tenants = p.tables.iter().find(|t| t.name == "tenants").unwrap();
    assert_ne!(tenants.ipc, part(&source("tenants")));
    let cost_lines = p.tables.iter().find(|t| t.name == "cost_lines").unwrap();
    assert_eq!(cost_lines.ipc, part(&source("cost_lines")));
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    assert_eq!(m, streamed);
    let _ = std::fs::remove_dir_all(pq);
}

#[test]
fn a_bad_date_in_a_csv_is_reported_at_its_row() {
    let mut specs = fixture(true);
    set(&mut specs, "cost_lines", "date", 3, "2026-13-01");
    let dir = tmp("bad-date");
    // CSV from the fixture's text: a typed Arrow date could not hold it
    write_csv(&dir, &specs);
    let tables = Tables::from_csv_dir(&dir).unwrap();
    let mut m = fresh();
    let report = m.ingest(&tables, IngestMode::Report, None).unwrap();
    assert_eq!(report.errors.len(), 1);
    let e = &report.errors[0];
    assert_eq!((e.table, e.row, e.column), ("cost_lines", 4, Some("date")));
    assert!(
        e.error
            .to_string()
            .contains("\"2026-13-01\" is not an ISO date"),
        "{}",
        e.error
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn schema_errors_change_nothing_in_either_mode() {
    let mut before = by_commands();
    let journal = before.journal().len();
    // a float money column
    let mut t = tables_of(&fixture(false));
    let lines = &t.batches("cost_lines")[0];
    let mut cols: Vec<(String, ArrayRef)> = lines
        .schema()
        .fields()
        .iter()
        .zip(lines.columns())
        .map(|(f, c)| (f.name().clone(), c.clone()))
        .collect();
    for (name, col) in &mut cols {
        if name == "ht" {
            *col = Arc::new(Float64Array::from(vec![250.25, 256.0, 480.0]));
        }
    }
    let floaty = RecordBatch::try_from_iter(cols).unwrap();
    let mut t2 = Tables::new();
    for name in mutualis::ingest::TABLE_NAMES {
        for b in t.batches(name) {
            if *name == "cost_lines" {
                t2.insert(name, floaty.clone()).unwrap();
            } else {
                t2.insert(name, b.clone()).unwrap();
            }
        }
    }
    for mode in [IngestMode::AllOrNothing, IngestMode::Report] {
        let err = before.ingest(&t2, mode, None).unwrap_err();
        assert_eq!(
            err,
            Error::FloatColumn {
                table: "cost_lines",
                column: "ht"
            }
        );
        assert_eq!(before, by_commands());
        assert_eq!(before.journal().len(), journal);
    }
    // a missing column
    let mut specs = fixture(false);
    specs[0].1.retain(|c| c.0 != "siren");
    t = tables_of(&specs);
    let err = before.ingest(&t, IngestMode::Report, None).unwrap_err();
    assert_eq!(
        err,
        Error::MissingColumn {
            table: "tenants",
            column: "siren"
        }
    );
    assert_eq!(before.journal().len(), journal);
    // a column of the wrong type
    let mut t3 = Tables::new();
    t3.insert(
        "labour_rates",
        RecordBatch::try_from_iter([
            (
                "tenant",
                Arc::new(StringArray::from(vec!["ROANNE"])) as ArrayRef,
            ),
            ("year", Arc::new(Date32Array::from(vec![0])) as ArrayRef),
            (
                "rate",
                Arc::new(StringArray::from(vec!["40.00"])) as ArrayRef,
            ),
        ])
        .unwrap(),
    )
    .unwrap();
    assert!(matches!(
        before.ingest(&t3, IngestMode::Report, None).unwrap_err(),
        Error::ColumnType {
            table: "labour_rates",
            column: "year",
            ..
        }
    ));
    // an unknown table
    assert_eq!(
        Tables::new().insert("interventions", floaty).unwrap_err(),
        Error::UnknownTable("interventions".into())
    );
    // not a directory
    assert!(matches!(
        Tables::from_parquet_dir("/nonexistent/mutualis").unwrap_err(),
        Error::IngestRead { .. }
    ));
    assert_eq!(before, by_commands());
}

#[test]
fn all_or_nothing_on_a_populated_registry_leaves_it_equal() {
    let mut m = by_commands();
    let before = m.clone();
    let journal = m.journal().len();
    // new rows for the same registry, the last one bad
    let t = tables_of(&[(
        "labour_rates",
        vec![
            ("tenant", K::Text, vec!["ROANNE", "VILLEREST", "AGGLO"]),
            ("year", K::Int, vec!["2027", "2027", "2027"]),
            ("rate", K::Dec, vec!["39.00", "33.00", "-1"]),
        ],
    )]);
    let err = m.ingest(&t, IngestMode::AllOrNothing, None).unwrap_err();
    assert!(matches!(
        &err,
        Error::IngestRow { table: "labour_rates", row: 3, column: Some("rate"), error }
            if matches!(**error, Error::InvalidQuantity { .. })
    ));
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), journal);
    // report mode: two rates in, one reported
    let report = m.ingest(&t, IngestMode::Report, None).unwrap();
    assert_eq!(report.ingested("labour_rates"), 2);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(m.journal().len(), journal + 1);
    assert_eq!(
        m.labour_rate("ROANNE-SPORTS", None, d(2027, 5, 1)).unwrap(),
        dec!(39.00)
    );
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
}

#[test]
fn sharing_keys_with_their_shares_and_inconsistent_amounts() {
    let mut specs = fixture(false);
    specs.insert(
        4,
        (
            "sharing_keys",
            vec![
                ("key", K::Text, vec!["K1", "K2"]),
                ("asset", K::Text, vec!["PLACE-VILLEREST", "PLACE-VILLEREST"]),
                ("basis", K::Text, vec!["floor_area", ""]),
                ("from", K::Date, vec!["2026-01-01", "2026-06-01"]),
                ("to", K::Date, vec!["2026-12-31", ""]),
            ],
        ),
    );
    specs.insert(
        5,
        (
            "key_shares",
            vec![
                ("key", K::Text, vec!["K1", "K1", "K2", "K3"]),
                (
                    "tenant",
                    K::Text,
                    vec!["VILLEREST", "AGGLO", "AGGLO", "AGGLO"],
                ),
                ("weight", K::Int, vec!["6000", "4000", "1", "1"]),
            ],
        ),
    );
    // a TTC that is not HT + VAT
    set(&mut specs, "cost_lines", "ttc", 2, "577.00");
    let mut m = fresh();
    let report = m
        .ingest(&tables_of(&specs), IngestMode::Report, None)
        .unwrap();
    let got: Vec<(&str, usize, Option<&str>, &str)> = report
        .errors
        .iter()
        .map(|e| (e.table, e.row, e.column, e.error.kind()))
        .collect();
    assert_eq!(
        got,
        [
            ("key_shares", 4, Some("key"), "invalid_field"),
            ("sharing_keys", 2, Some("from"), "key_overlap"),
            ("cost_lines", 3, Some("vat"), "invalid_field"),
        ]
    );
    let keys = m.sharing_keys("PLACE-VILLEREST").unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].shares.len(), 2);
    // the 14 juillet labour is split 60/40 between VILLEREST and AGGLO
    let rows = m
        .ledger_group(&[Dimension::Payer], &LedgerFilter::default())
        .unwrap();
    let of = |t: &str| rows.iter().find(|r| r.keys[0] == t).map(|r| r.ttc);
    assert_eq!(of("VILLEREST"), Some(dec!(153.60)));
    assert_eq!(of("AGGLO"), Some(dec!(250.25) + dec!(102.40)));
}

/// The registry's Parquet export (`write_parquet_dir`) is the ingestion's
/// schema: ingested into an empty registry it gives the same registry (the
/// seed with material lines, a shared asset keyed twice), the same cost
/// lines and the same ledger; the ledger file holds the ledger.
#[test]
fn a_parquet_export_ingests_back_into_the_same_registry_and_ledger() {
    let mut specs = fixture(true);
    specs.insert(
        4,
        (
            "sharing_keys",
            vec![
                ("key", K::Text, vec!["K1", "K2"]),
                ("asset", K::Text, vec!["PLACE-VILLEREST", "PLACE-VILLEREST"]),
                ("basis", K::Text, vec!["floor_area", ""]),
                ("from", K::Date, vec!["2026-01-01", "2027-01-01"]),
                ("to", K::Date, vec!["2026-12-31", ""]),
            ],
        ),
    );
    specs.insert(
        5,
        (
            "key_shares",
            vec![
                ("key", K::Text, vec!["K1", "K1", "K2"]),
                ("tenant", K::Text, vec!["VILLEREST", "AGGLO", "AGGLO"]),
                ("weight", K::Int, vec!["6000", "4000", "1"]),
            ],
        ),
    );
    let m = ingested(&tables_of(&specs));
    assert!(m.cost_lines().len() >= 4);
    let dir = tmp("export");
    let files = m.write_parquet_dir(&dir).unwrap();
    let rows = |t: &str| files.iter().find(|f| f.table == t).unwrap().rows;
    assert_eq!(rows("cost_lines"), m.cost_lines().len());
    assert_eq!(rows("sharing_keys"), 2);
    assert_eq!(rows("ledger"), m.ledger_columns().line.len());

    let mut copy = fresh();
    let report = copy
        .ingest_parquet_dir(&dir, IngestMode::AllOrNothing, None)
        .unwrap();
    assert!(report.errors.is_empty());
    assert_eq!(copy, m);
    assert_eq!(
        copy.cost_lines().iter().collect::<Vec<_>>(),
        m.cost_lines().iter().collect::<Vec<_>>()
    );
    assert_eq!(copy.ledger_columns(), m.ledger_columns());
    let totals = |r: &Mutualis| {
        r.ledger_group(
            &[Dimension::Payer, Dimension::Nature],
            &LedgerFilter::default(),
        )
        .unwrap()
        .into_iter()
        .map(|g| (g.keys, g.ht, g.ttc, g.rows))
        .collect::<Vec<_>>()
    };
    assert_eq!(totals(&copy), totals(&m));
    assert!(totals(&m)
        .iter()
        .any(|t| t.0[0] == "AGGLO" && t.2 > Decimal::ZERO));

    // the ledger file: one row per payer's part, amounts to the cent
    let file = std::fs::File::open(dir.join("ledger.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut ttc = 0i128;
    for batch in reader {
        let batch = batch.unwrap();
        let col = batch.column_by_name("ttc").unwrap();
        let col = col.as_any().downcast_ref::<Decimal128Array>().unwrap();
        ttc += col.iter().flatten().sum::<i128>();
    }
    let total: Decimal = m
        .ledger_columns()
        .ttc
        .iter()
        .map(|&c| Decimal::new(c, 2))
        .sum();
    assert_eq!(Decimal::from_i128_with_scale(ttc, 2), total);
    let _ = std::fs::remove_dir_all(dir);
}

/// `specs`' text columns given as dictionaries (`Dictionary(Int32, Utf8)`,
/// as a Parquet reader gives columns of few values).
fn dictionary_tables_of(specs: &[Spec]) -> Tables {
    use arrow_array::types::Int32Type;
    use arrow_array::{Array, DictionaryArray};
    let mut t = Tables::new();
    for (name, cols) in specs {
        let plain = batch(cols);
        let columns =
            plain
                .columns()
                .iter()
                .map(|c| match c.as_any().downcast_ref::<StringArray>() {
                    Some(s) => {
                        Arc::new(s.iter().collect::<DictionaryArray<Int32Type>>()) as ArrayRef
                    }
                    None => c.clone(),
                });
        let names = cols.iter().map(|c| c.0);
        t.insert(
            name,
            RecordBatch::try_from_iter(names.zip(columns)).unwrap(),
        )
        .unwrap();
    }
    t
}

/// Text columns given as dictionaries ingest as the same columns given as
/// plain text: the ingestion resolves a combination of values once per
/// batch, yet gives the same registry, journal replay and report, a bad
/// value reported at each row that holds it.
#[test]
fn dictionary_columns_ingest_as_plain_text_columns() {
    let mut specs = fixture(true);
    let line = |team: &'static str, nature: &'static str| -> [&'static str; 14] {
        [
            "BT-GYM-1",
            "2026-03-13",
            nature,
            team,
            "",
            "",
            "",
            "reprise",
            "6.5",
            "38.50",
            "250.25",
            "",
            "0",
            "250.25",
        ]
    };
    // rows 5-6: the gymnasium's team again (its combination resolved at
    // row 1); rows 7-8: an unknown team twice; row 9: an unknown nature
    for row in [
        line("ROANNE-SPORTS", "labour"),
        line("ROANNE-SPORTS", "labour"),
        line("NOPE-TEAM", "labour"),
        line("NOPE-TEAM", "labour"),
        line("ROANNE-SPORTS", "labor"),
    ] {
        push_row(&mut specs, "cost_lines", &row);
    }
    let (plain, dict) = (tables_of(&specs), dictionary_tables_of(&specs));
    let (mut a, mut b) = (fresh(), fresh());
    let ra = a.ingest(&plain, IngestMode::Report, None).unwrap();
    let rb = b.ingest(&dict, IngestMode::Report, None).unwrap();
    assert_eq!(ra, rb);
    let rows: Vec<(&str, usize, Option<&str>)> = rb
        .errors
        .iter()
        .map(|e| (e.table, e.row, e.column))
        .collect();
    assert_eq!(
        rows,
        [
            ("cost_lines", 7, Some("team")),
            ("cost_lines", 8, Some("team")),
            ("cost_lines", 9, Some("nature")),
        ]
    );
    assert_eq!(rb.ingested("cost_lines"), 6);
    assert_eq!(a, b);
    assert_eq!(Mutualis::replay(b.journal()).unwrap(), b);
    // the lines of the gymnasium's team are charged as its first line is
    let gym = b.work_order_lines("BT-GYM-1").unwrap();
    assert_eq!(gym.len(), 4);
    assert!(gym
        .iter()
        .filter(|l| l.ht == dec!(250.25))
        .all(|l| l.provider == gym[0].provider));
    // all or nothing: the same first error, nothing changed
    let (mut a, mut b) = (fresh(), fresh());
    let ea = a
        .ingest(&plain, IngestMode::AllOrNothing, None)
        .unwrap_err();
    let eb = b.ingest(&dict, IngestMode::AllOrNothing, None).unwrap_err();
    assert_eq!(format!("{ea:?}"), format!("{eb:?}"));
    assert!(
        matches!(
            eb,
            Error::IngestRow {
                table: "cost_lines",
                row: 7,
                ..
            }
        ),
        "{eb:?}"
    );
    assert_eq!(b, fresh());
}
