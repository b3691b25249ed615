//! The embedded store: persistence, concurrency, corruption, sync, CSV
//! imports and crash safety (kill -9 from a parent process).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::store::{Store, SCHEMA_VERSION};
use mutualis::{
    AssetKind, CostInput, Error, Mutualis, NewAsset, NewRequest, NewTenant, NewWorkOrder,
    RequestOrigin, WorkOrderStatus,
};
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

/// A database path in the temporary directory, unique to this process and
/// name; the file and its WAL/SHM companions are removed on drop, so the
/// suite leaves nothing behind.
struct TmpDb(std::path::PathBuf);

impl TmpDb {
    fn files(&self) -> [std::path::PathBuf; 3] {
        [
            self.0.clone(),
            self.0.with_extension("db-wal"),
            self.0.with_extension("db-shm"),
        ]
    }
}

impl Drop for TmpDb {
    fn drop(&mut self) {
        for f in self.files() {
            let _ = std::fs::remove_file(f);
        }
    }
}

impl std::ops::Deref for TmpDb {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TmpDb {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TmpDb {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

fn tmp(name: &str) -> TmpDb {
    let p = std::env::temp_dir().join(format!(
        "mutualis-store-tests-{}-{name}",
        std::process::id()
    ));
    let db = TmpDb(p);
    for f in db.files() {
        let _ = std::fs::remove_file(f);
    }
    db
}

fn base(store: &mut Store) {
    store
        .execute(|m| {
            m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
            m.add_team("ROANNE-SPORTS", "ROANNE", "Régie", None)?;
            m.set_labour_rate("ROANNE", 2026, None, None, dec!(38.50))?;
            m.add_asset(NewAsset::new(
                "GYM",
                "Gymnase",
                AssetKind::Building,
                "ROANNE",
                d(1975, 9, 1),
            ))?;
            m.create_work_order(NewWorkOrder::by_team(
                "BT-1",
                "Peinture",
                "GYM",
                "ROANNE-SPORTS",
            ))?;
            m.set_work_order_status(
                "BT-1",
                WorkOrderStatus::InProgress,
                Utc.with_ymd_and_hms(2026, 3, 12, 7, 0, 0).unwrap(),
            )
        })
        .unwrap();
}

#[test]
fn a_second_run_reads_what_the_first_wrote() {
    let path = tmp("runs.db");
    {
        let mut s = Store::open(&path, "laptop").unwrap();
        base(&mut s);
        s.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1)))
            .unwrap();
    }
    let s = Store::open(&path, "laptop").unwrap();
    assert_eq!(
        s.registry().work_order_cost("BT-1").unwrap().total.ttc,
        dec!(250.25)
    );
    assert_eq!(s.head(), 7);
    let journal = s.journal().unwrap();
    assert_eq!(journal.len(), 7);
    // the reloaded registry equals one built by replaying the stored journal
    assert_eq!(&Mutualis::replay(&journal).unwrap(), s.registry());
}

#[test]
fn a_failing_command_writes_nothing() {
    let mut s = Store::open_in_memory("t").unwrap();
    base(&mut s);
    let head = s.head();
    let before = s.registry().clone();
    // the first call succeeds, the second fails: the whole command is refused
    let r = s.execute(|m| {
        m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(1), 1))?;
        m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(-1), 1))
    });
    assert!(matches!(r, Err(Error::InvalidQuantity { .. })));
    assert_eq!(s.head(), head);
    assert_eq!(s.registry(), &before);
    assert_eq!(s.events_since(0).unwrap().len() as i64, head);
}

#[test]
fn two_handles_never_lose_each_others_commits() {
    let path = tmp("two.db");
    let mut a = Store::open(&path, "a").unwrap();
    base(&mut a);
    let mut b = Store::open(&path, "b").unwrap();
    a.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(1), 1)))
        .unwrap();
    let stale = b.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 13), dec!(2), 1)));
    assert!(matches!(
        stale,
        Err(Error::StaleState { seen: 6, stored: 7 })
    ));
    assert_eq!(b.refresh().unwrap(), 1);
    b.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 13), dec!(2), 1)))
        .unwrap();
    a.refresh().unwrap();
    assert_eq!(a.registry(), b.registry());
    assert_eq!(a.registry().work_order_cost("BT-1").unwrap().lines, 2);
}

#[test]
fn bad_files_are_refused_and_left_untouched() {
    // not a database
    let junk = tmp("junk.db");
    std::fs::write(&junk, b"this is a spreadsheet, not a store\n".repeat(200)).unwrap();
    let before = std::fs::read(&junk).unwrap();
    assert!(matches!(
        Store::open(&junk, "t"),
        Err(Error::CorruptStore { .. })
    ));
    assert_eq!(std::fs::read(&junk).unwrap(), before);
    // another application's SQLite file
    let other = tmp("other.db");
    {
        let c = rusqlite_free_other_db(&other);
        assert!(c);
    }
    let before = std::fs::read(&other).unwrap();
    assert!(
        matches!(Store::open(&other, "t"), Err(Error::CorruptStore { message }) if message.contains("not a Mutualis store"))
    );
    assert_eq!(std::fs::read(&other).unwrap(), before);
    // a file from a newer version
    let newer = tmp("newer.db");
    {
        let mut s = Store::open(&newer, "t").unwrap();
        base(&mut s);
    }
    set_schema_version(&newer, SCHEMA_VERSION + 1);
    let before = std::fs::read(&newer).unwrap();
    assert!(matches!(
        Store::open(&newer, "t"),
        Err(Error::SchemaTooNew { .. })
    ));
    assert_eq!(std::fs::read(&newer).unwrap(), before);
    // a truncated file
    let cut = tmp("cut.db");
    {
        let mut s = Store::open(&cut, "t").unwrap();
        base(&mut s);
        for i in 0..200 {
            s.execute(|m| m.set_attribute("GYM", &format!("k{i}"), Some(&"x".repeat(200))))
                .unwrap();
        }
    }
    checkpoint(&cut);
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let before = std::fs::read(&cut).unwrap();
    let r = Store::open(&cut, "t");
    assert!(
        matches!(r, Err(Error::CorruptStore { .. } | Error::Storage { .. })),
        "{r:?}"
    );
    assert_eq!(std::fs::read(&cut).unwrap(), before);
}

/// Makes "another application's" SQLite file: a store whose meta table is
/// replaced by an unrelated one.
fn rusqlite_free_other_db(path: &std::path::Path) -> bool {
    let s = Store::open(path, "t").unwrap();
    drop(s);
    exec_sql(path, "DROP TABLE meta; CREATE TABLE invoices(id INTEGER);");
    true
}

fn set_schema_version(path: &std::path::Path, v: i64) {
    exec_sql(
        path,
        &format!("UPDATE meta SET value = '{v}' WHERE key = 'schema_version';"),
    );
}

fn checkpoint(path: &std::path::Path) {
    exec_sql(path, "PRAGMA wal_checkpoint(TRUNCATE);");
}

fn exec_sql(path: &std::path::Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn device_events_import_idempotently_and_conflicts_one_by_one() {
    let mut central = Store::open_in_memory("central").unwrap();
    base(&mut central);
    let mut tablet = Store::open_in_memory("tablet-07").unwrap();
    assert_eq!(
        tablet
            .import(&central.export_since(0).unwrap())
            .unwrap()
            .applied,
        6
    );
    let synced = tablet.head();
    // offline on the tablet: a request and two cost lines
    tablet
        .execute(|m| {
            m.receive_request(NewRequest::new(
                "DI-1",
                RequestOrigin::Agent,
                "peinture",
                "Retouches",
                "ROANNE",
                Utc.with_ymd_and_hms(2026, 3, 12, 9, 0, 0).unwrap(),
            ))
            .map(drop)
        })
        .unwrap();
    tablet
        .execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(2), 1)))
        .unwrap();
    // meanwhile, the central office closes the work order
    central
        .execute(|m| {
            m.set_work_order_status(
                "BT-1",
                WorkOrderStatus::Done,
                Utc.with_ymd_and_hms(2026, 3, 12, 17, 0, 0).unwrap(),
            )?;
            m.set_work_order_status(
                "BT-1",
                WorkOrderStatus::Closed,
                Utc.with_ymd_and_hms(2026, 3, 12, 18, 0, 0).unwrap(),
            )
        })
        .unwrap();
    let upload = tablet.export_since(synced).unwrap();
    let first = central.import(&upload).unwrap();
    assert_eq!(first.applied, 1);
    assert_eq!(first.conflicts.len(), 1);
    assert!(matches!(
        first.conflicts[0].1,
        Error::WorkOrderNotOpen { .. }
    ));
    let once = central.registry().clone();
    let second = central.import(&upload).unwrap();
    assert_eq!(
        (second.applied, second.duplicates, second.conflicts.len()),
        (0, 1, 1)
    );
    assert_eq!(central.registry(), &once);
    assert!(central.registry().request("DI-1").is_ok());
    // the whole tablet journal, including what came from central, is recognised
    let all = central.import(&tablet.export_since(0).unwrap()).unwrap();
    assert_eq!(all.applied, 0);
    assert_eq!(all.duplicates, 7);
}

#[test]
fn csv_asset_register_of_10000_rows_with_3_bad_ones() {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
    let mut csv =
        String::from("code;name;kind;owner;commissioned;parent;service;floor_area;longueur_m\n");
    for i in 0..10_000 {
        let line = match i {
            1234 => format!("A{i};Tronçon {i};castle;ROANNE;2001-01-01;;VOIRIE;;120\n"),
            5003 => format!("A{i};Tronçon {i};road_section;NOPE;2001-01-01;;VOIRIE;;120\n"),
            9998 => format!("A{i};Tronçon {i};road_section;ROANNE;31/02/2001;;VOIRIE;;120\n"),
            _ => format!(
                "A{i};Tronçon {i};road_section;ROANNE;2001-01-01;{};VOIRIE;1 200,5;120\n",
                if i % 10 == 0 {
                    String::new()
                } else {
                    format!("A{}", i - i % 10)
                }
            ),
        };
        csv.push_str(&line);
    }
    let mut all_or_nothing = m.clone();
    let r = all_or_nothing.import_assets_csv(&csv, true);
    assert!(
        matches!(&r, Err(Error::CsvRows { errors }) if errors.iter().map(|e| e.0).collect::<Vec<_>>() == [1236, 5005, 10000])
    );
    assert_eq!(all_or_nothing, m);
    let report = m.import_assets_csv(&csv, false).unwrap();
    let lines: Vec<usize> = report.errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [1236, 5005, 10000]);
    assert!(matches!(report.errors[0].1, Error::UnknownKind { .. }));
    assert!(matches!(report.errors[1].1, Error::UnknownTenant(_)));
    assert!(matches!(
        report.errors[2].1,
        Error::InvalidField {
            field: "commissioned",
            ..
        }
    ));
    assert_eq!(report.imported, 9_997);
    let a = m.asset("A11").unwrap();
    assert_eq!(
        (a.floor_area, a.attributes["longueur_m"].as_str()),
        (Some(dec!(1200.5)), "120")
    );
    assert_eq!(a.parent, Some(m.asset_id("A10").unwrap()));
    // a child declared before its parent, a child of a bad row, and a cycle
    let mut m2 = m.clone();
    let csv2 = "code,name,kind,owner,commissioned,parent\nC1,Salle,room,ROANNE,2001-01-01,P1\nP1,Bât,building,ROANNE,2001-01-01,\nX1,Bad,castle,ROANNE,2001-01-01,\nX2,Child,room,ROANNE,2001-01-01,X1\nY1,a,room,ROANNE,2001-01-01,Y2\nY2,b,room,ROANNE,2001-01-01,Y1\n";
    let r2 = m2.import_assets_csv(csv2, false).unwrap();
    assert_eq!(r2.imported, 2);
    assert_eq!(
        r2.errors.iter().map(|e| e.0).collect::<Vec<_>>(),
        [4, 5, 6, 7]
    );
    assert!(matches!(r2.errors[1].1, Error::UnknownAsset(_)));
    assert!(matches!(r2.errors[2].1, Error::AssetCycle { .. }));
    assert_eq!(
        m2.asset("C1").unwrap().parent,
        Some(m2.asset_id("P1").unwrap())
    );
}

#[test]
fn csv_interventions_create_work_orders_and_report_lines() {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::commune(
        "VILLEREST",
        "Villerest",
        "214233207",
        "42332",
    ))
    .unwrap();
    m.add_asset(NewAsset::new(
        "PLACE",
        "Place",
        AssetKind::GreenSpace,
        "VILLEREST",
        d(1990, 1, 1),
    ))
    .unwrap();
    m.add_team("V-AGENTS", "VILLEREST", "Agents", None).unwrap();
    m.set_labour_rate("VILLEREST", 2026, None, None, dec!(32.00))
        .unwrap();
    m.add_supplier(mutualis::NewSupplier::new(
        "ARTIFICES",
        "Artifices",
        "35600000000056",
    ))
    .unwrap();
    let csv = "work_order,date,nature,asset,title,team,supplier,tag,hours,agents,description,ht,vat_rate\n\
BT-SCENE,2026-07-14,labour,PLACE,Scène,V-AGENTS,,14-juillet-2026,4,2,,,\n\
BT-FEU,14/07/2026,external,PLACE,Feu,,ARTIFICES,14-juillet-2026,,,Feu d'artifice,\"3 500,00\",20\n\
BT-FEU,2026-07-14,external,,,,,,,,Location,10,19.6\n\
BT-NETTOYAGE,2026-07-15,labour,PLACE,Nettoyage,V-AGENTS,,14-juillet-2026,3,,,,\n";
    let report = m.import_interventions_csv(csv, false).unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].0, 4);
    assert!(matches!(
        report.errors[0].1,
        Error::VatRateNotInForce { .. }
    ));
    let event = m.cost_by_tag("14-juillet-2026");
    assert_eq!(
        (event.total.ht, event.total.ttc),
        (dec!(3852.00), dec!(4552.00))
    );
}

/// The child side of the crash test: writes commands until killed.
#[test]
fn crash_writer() {
    let Ok(path) = std::env::var("MUTUALIS_CRASH_DB") else {
        return;
    };
    let mut s = Store::open(&path, "writer").unwrap();
    if s.registry().tenants().is_empty() {
        s.execute(|m| {
            m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
                .map(drop)
        })
        .unwrap();
    }
    let mut i = s.registry().assets().len();
    loop {
        let code = format!("A{i}");
        s.execute(|m| {
            m.add_asset(NewAsset::new(
                &code,
                "Équipement",
                AssetKind::Equipment,
                "ROANNE",
                NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            ))?;
            m.set_attribute(&code, "serial", Some(&format!("S{i}")))
        })
        .unwrap();
        println!("ok {i}");
        i += 1;
    }
}

#[test]
fn killed_writers_lose_nothing_that_was_acknowledged() {
    let path = tmp("crash.db");
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged = 0usize;
    for round in 0..12 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_writer", "--nocapture", "--test-threads=1"])
            .env("MUTUALIS_CRASH_DB", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let target = 3 + (round * 7) % 23; // kill at a different point each round
        let mut seen = 0;
        while let Some(Ok(line)) = lines.next() {
            if let Some(n) = line.strip_prefix("ok ") {
                acknowledged = acknowledged.max(n.parse::<usize>().unwrap() + 1);
                seen += 1;
                if seen >= target {
                    break;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let s = Store::open(&path, "check").unwrap();
        let m = s.registry();
        for i in 0..acknowledged {
            let a = m
                .asset(&format!("A{i}"))
                .unwrap_or_else(|e| panic!("round {round}: acknowledged A{i} lost: {e}"));
            assert_eq!(
                a.attributes.get("serial").map(String::as_str),
                Some(format!("S{i}").as_str()),
                "half-applied command"
            );
        }
        // nothing half-applied either among unacknowledged commands
        for a in m.assets() {
            assert!(
                a.attributes.contains_key("serial"),
                "{} has no serial: half-applied",
                a.code
            );
        }
    }
    assert!(acknowledged > 12);
}

#[test]
fn a_unit_of_work_is_the_store_registry_committed_or_rolled_back() {
    let path = tmp("uow.db");
    let mut s = Store::open(&path, "tablet").unwrap();
    base(&mut s);
    let mut work = s.begin().unwrap();
    work.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(1), 1))
        .unwrap();
    work.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(2), 1))
        .unwrap();
    assert_eq!(work.pending(), 2);
    assert_eq!(work.commit().unwrap(), 2);
    assert_eq!((s.head(), s.pending()), (8, 0));
    // dropped without a commit: rolled back, nothing written
    let before = s.registry().clone();
    let generation = s.generation();
    {
        let mut work = s.begin().unwrap();
        work.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(3), 1))
            .unwrap();
    }
    assert_eq!((s.head(), s.pending()), (8, 0));
    assert_eq!(s.registry(), &before);
    assert!(s.generation() > generation);
    // explicit rollback, of commands the core's checkpoint cannot undo
    // (the registry is then reloaded from the file)
    let mut work = s.begin().unwrap();
    work.set_attribute("GYM", "k", Some("v")).unwrap();
    work.add_budget(
        "ROANNE",
        2026,
        mutualis::ChargeBasis::Ttc,
        mutualis::OverrunPolicy::Warn,
    )
    .unwrap();
    assert_eq!(work.rollback().unwrap(), 2);
    assert_eq!(s.registry(), &before);
    // a command after a rollback starts from the committed state
    s.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(3), 1)))
        .unwrap();
    let mut work = s.begin().unwrap();
    work.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(4), 1))
        .unwrap();
    drop(work);
    let after = s.registry().clone();
    let reopened = Store::open(&path, "tablet").unwrap();
    assert_eq!(reopened.registry(), &after);
    drop(reopened);
    s.execute(|m| {
        m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(-3), 1))
            .map(drop)
    })
    .unwrap_err();
    // the bindings' style: change the registry, then commit or roll back
    s.working()
        .set_attribute("GYM", "chauffage", Some("gaz"))
        .unwrap();
    assert_eq!(s.pending(), 1);
    assert!(matches!(
        s.refresh(),
        Err(Error::UncommittedChanges { pending: 1 })
    ));
    assert!(matches!(
        s.execute(|m| m.set_attribute("GYM", "x", None)),
        Err(Error::UncommittedChanges { .. })
    ));
    assert!(matches!(s.begin(), Err(Error::UncommittedChanges { .. })));
    assert!(matches!(
        s.snapshot(),
        Err(Error::UncommittedChanges { .. })
    ));
    assert_eq!(s.commit().unwrap(), 1);
    assert_eq!(s.commit().unwrap(), 0);
    // a registry built elsewhere only goes into an empty store
    assert!(matches!(
        s.adopt(Mutualis::new()),
        Err(Error::StaleCopy { head: 10 })
    ));
    let mut empty = Store::open_in_memory("t").unwrap();
    assert_eq!(empty.adopt(s.registry().clone()).unwrap(), 10);
    let reopened = Store::open(&path, "tablet").unwrap();
    assert_eq!(
        reopened
            .registry()
            .work_order_cost("BT-1")
            .unwrap()
            .total
            .ttc,
        dec!(231.00)
    );
    assert_eq!(reopened.registry(), s.registry());
}

#[test]
fn a_stale_unit_of_work_is_refused_and_rolled_back() {
    let path = tmp("stale-uow.db");
    let mut a = Store::open(&path, "a").unwrap();
    base(&mut a);
    let mut b = Store::open(&path, "b").unwrap();
    let before = b.registry().clone();
    let mut work = b.begin().unwrap();
    work.record_cost("BT-1", CostInput::labour(d(2026, 3, 13), dec!(2), 1))
        .unwrap();
    a.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(1), 1)))
        .unwrap();
    assert!(matches!(
        work.commit(),
        Err(Error::StaleState { seen: 6, stored: 7 })
    ));
    assert_eq!((b.registry(), b.pending(), b.head()), (&before, 0, 6));
    assert!(matches!(b.begin(), Err(Error::StaleState { .. })));
    assert_eq!(b.refresh().unwrap(), 1);
    let mut work = b.begin().unwrap();
    work.record_cost("BT-1", CostInput::labour(d(2026, 3, 13), dec!(2), 1))
        .unwrap();
    assert_eq!(work.commit().unwrap(), 1);
    a.refresh().unwrap();
    assert_eq!(a.registry(), b.registry());
}

#[test]
fn snapshots_are_binary_chunks_and_reopen_to_the_same_registry() {
    let path = tmp("snap.db");
    let mut s = Store::open(&path, "t").unwrap();
    base(&mut s);
    s.execute(|m| {
        for i in 0..200 {
            m.record_cost(
                "BT-1",
                CostInput::labour(d(2026, 3, 12), dec!(1.5), 1 + i % 3),
            )?;
        }
        Ok(())
    })
    .unwrap();
    s.snapshot().unwrap();
    s.execute(|m| m.set_attribute("GYM", "chauffage", Some("gaz")))
        .unwrap();
    let expected = s.registry().clone();
    drop(s);
    let c = rusqlite::Connection::open(&path).unwrap();
    let (seq, chunks, raw, stored): (i64, i64, i64, i64) = c
        .query_row(
            "SELECT seq, chunks, raw_bytes, stored_bytes FROM snapshots",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((seq, chunks), (206, 1));
    assert!(stored < raw, "compressed: {stored} < {raw}");
    drop(c);
    let s = Store::open(&path, "t").unwrap();
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.head(), 207);
    // the reopened registry starts from the snapshot: only the tail replays
    assert_eq!(s.registry().journal().len(), 1);
    assert_eq!(&Mutualis::replay(&s.journal().unwrap()).unwrap(), &expected);
    drop(s);
    // a damaged snapshot is ignored: every event is kept, so the registry
    // is replayed from the first one
    exec_sql(
        &path,
        "UPDATE snapshot_chunks SET data = CAST(X'00' || substr(data, 2) AS BLOB);",
    );
    let s = Store::open(&path, "t").unwrap();
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.registry().journal().len(), 207);
}

#[test]
fn snapshots_are_written_automatically_once_the_tail_outweighs_them() {
    let path = tmp("auto.db");
    let mut s = Store::open(&path, "t").unwrap();
    base(&mut s);
    let count = |p: &std::path::Path| -> i64 {
        let c = rusqlite::Connection::open(p).unwrap();
        c.query_row("SELECT COUNT(*) FROM snapshots", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&path), 0);
    // about 1.3 MiB of events that do not compress, in one transaction
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    s.execute(|m| {
        for i in 0..3_000 {
            let value: String = (0..50)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    format!("{:08x}", x as u32)
                })
                .collect();
            m.set_attribute("GYM", &format!("k{i}"), Some(&value))?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(count(&path), 1);
    let expected = s.registry().clone();
    drop(s);
    let s = Store::open(&path, "t").unwrap();
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.registry().journal().len(), 0);
}

/// The version-1 schema, as the previous library wrote it.
const SCHEMA_V1: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    origin     TEXT    NOT NULL,
    origin_seq INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    tenant     TEXT,
    event      TEXT    NOT NULL,
    UNIQUE (origin, origin_seq)
);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, dataset TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('schema_version', '1'), ('format', 'mutualis-store');
";

#[test]
fn a_version_1_store_is_migrated_in_place_and_keeps_its_events() {
    // the registry whose journal the old store holds
    let mut m = Mutualis::new();
    m.set_actor("agent.v1");
    let mut memory = Store::open_in_memory("x").unwrap();
    base(&mut memory);
    memory
        .execute(|r| r.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1)))
        .unwrap();
    let journal = memory.journal().unwrap();
    let expected = memory.registry().clone();
    let path = tmp("v1.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.execute_batch(SCHEMA_V1).unwrap();
        for (i, e) in journal.iter().enumerate() {
            let origin = if i < 6 { "laptop" } else { "tablet" };
            c.execute(
                "INSERT INTO events (seq, origin, origin_seq, at, actor, tenant, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    e.seq as i64,
                    origin,
                    e.seq as i64 + 100,
                    e.at.to_rfc3339(),
                    e.actor,
                    e.tenant,
                    serde_json::to_string(&e.event).unwrap()
                ],
            )
            .unwrap();
        }
        // a JSON snapshot after the first five events
        let at5 = Mutualis::replay(&journal[..5]).unwrap();
        c.execute(
            "INSERT INTO snapshots (seq, dataset) VALUES (5, ?1)",
            [at5.to_json()],
        )
        .unwrap();
    }
    let s = Store::open(&path, "laptop").unwrap();
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.head(), 7);
    assert_eq!(s.journal().unwrap(), journal);
    let events = s.events_since(5).unwrap();
    assert_eq!(
        events
            .iter()
            .map(|e| (e.origin.as_str(), e.origin_seq))
            .collect::<Vec<_>>(),
        [("laptop", 106), ("tablet", 107)]
    );
    // the snapshot came along, in the binary form
    assert_eq!(s.registry().journal().len(), 2);
    drop(s);
    let c = rusqlite::Connection::open(&path).unwrap();
    let version: String = c
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION.to_string());
    let snapshot: i64 = c
        .query_row("SELECT seq FROM snapshots", [], |r| r.get(0))
        .unwrap();
    assert_eq!(snapshot, 5);
    drop(c);
    // and it goes on working; sync still recognises the old events
    let mut s = Store::open(&path, "laptop").unwrap();
    s.execute(|m| m.set_attribute("GYM", "migrated", Some("oui")))
        .unwrap();
    let mut other = Store::open_in_memory("central").unwrap();
    let export = s.export_since(0).unwrap();
    assert_eq!(other.import(&export).unwrap().applied, 8);
    assert_eq!(s.import(&export).unwrap().duplicates, 8);
}

/// The store at scale, outside CI: `MUTUALIS_SCALE_LINES=3000000 cargo test
/// --release -p mutualis --test store -- --ignored --nocapture scale`.
/// Builds a registry of work orders with three labour lines each through the
/// public commands, saves it, reopens it, and times one more intervention
/// (work order + labour line) against the same on an empty store.
#[test]
#[ignore = "a benchmark: run it with --ignored (MUTUALIS_SCALE_LINES sets the size)"]
fn scale_store_reopen_and_commit_cost() {
    use std::time::Instant;
    let lines: usize = std::env::var("MUTUALIS_SCALE_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let orders = lines.div_ceil(3);
    let file_bytes = |p: &std::path::Path| -> u64 {
        ["", "-wal"]
            .iter()
            .map(|suffix| {
                let mut s = p.as_os_str().to_owned();
                s.push(suffix);
                std::fs::metadata(std::path::PathBuf::from(s)).map_or(0, |m| m.len())
            })
            .sum()
    };
    let setup = |s: &mut Store| {
        s.execute(|m| {
            m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
            m.add_team("ROANNE-SPORTS", "ROANNE", "Régie", None)?;
            m.set_labour_rate("ROANNE", 2026, None, None, dec!(38.50))?;
            for a in 0..100 {
                m.add_asset(NewAsset::new(
                    &format!("GYM-{a}"),
                    "Gymnase",
                    AssetKind::Building,
                    "ROANNE",
                    d(1975, 9, 1),
                ))?;
            }
            Ok(())
        })
        .unwrap();
    };
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 7, 0, 0).unwrap();
    let intervention = |m: &mut Mutualis, i: usize, n_lines: usize| -> mutualis::Result<()> {
        let code = format!("BT-{i}");
        m.create_work_order(NewWorkOrder::by_team(
            &code,
            "Entretien",
            &format!("GYM-{}", i % 100),
            "ROANNE-SPORTS",
        ))?;
        m.set_work_order_status(&code, WorkOrderStatus::InProgress, start)?;
        for l in 0..n_lines {
            let day = d(2026, 1 + (i % 12) as u32, 1 + (l % 28) as u32);
            m.record_cost(&code, CostInput::labour(day, dec!(1.5), 1))?;
        }
        Ok(())
    };
    let one_more = |s: &mut Store, i: usize| -> f64 {
        let mut times: Vec<f64> = (0..5)
            .map(|k| {
                let t = Instant::now();
                s.execute(|m| intervention(m, i + k, 1)).unwrap();
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[2]
    };

    // the empty store's figure
    let empty_path = tmp("scale-empty.db");
    let mut empty = Store::open(&empty_path, "bench").unwrap();
    setup(&mut empty);
    let empty_commit = one_more(&mut empty, 0);
    drop(empty);

    let path = tmp("scale.db");
    let t = Instant::now();
    let mut s = Store::open(&path, "bench").unwrap();
    setup(&mut s);
    let mut made = 0;
    while made < orders {
        let batch = (orders - made).min(20_000);
        s.execute(|m| {
            for i in made..made + batch {
                intervention(m, i, 3)?;
            }
            Ok(())
        })
        .unwrap();
        made += batch;
    }
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    s.snapshot().unwrap();
    let snapshot = t.elapsed().as_secs_f64();
    let expected_lines = s.registry().cost_lines().len();
    drop(s);
    let bytes = file_bytes(&path);
    let t = Instant::now();
    let mut s = Store::open(&path, "bench").unwrap();
    let reopen = t.elapsed().as_secs_f64();
    assert_eq!(s.registry().cost_lines().len(), expected_lines);
    // the audit: the whole hash chain, from the first event
    let t = Instant::now();
    let events = s.verify().unwrap();
    let verify = t.elapsed().as_secs_f64();
    let full_commit = one_more(&mut s, orders);
    // the same commands without the write (the core's own cost at this size)
    let t = Instant::now();
    intervention(s.working(), orders + 10, 1).unwrap();
    let commands = t.elapsed().as_secs_f64();
    assert_eq!(s.commit().unwrap(), 3);
    let t = Instant::now();
    let decoded = Mutualis::read_msgpack(&s.registry().to_msgpack()[..]).unwrap();
    let from_binary = t.elapsed().as_secs_f64();
    assert_eq!(decoded.cost_lines().len(), s.registry().cost_lines().len());
    println!(
        "scale: {expected_lines} cost lines, {orders} work orders; build {build:.2} s, snapshot {snapshot:.2} s"
    );
    println!(
        "file: {bytes} bytes, {:.1} bytes per cost line",
        bytes as f64 / expected_lines as f64
    );
    println!(
        "reopen: {reopen:.3} s (for comparison, the whole dataset from MessagePack records, in memory: {from_binary:.3} s)"
    );
    println!(
        "verify: the hash chain of {events} events in {verify:.2} s ({:.2} µs per event)",
        verify * 1e6 / events as f64
    );
    println!(
        "the same intervention's commands without the store: {:.3} ms",
        commands * 1e3
    );
    println!(
        "one intervention (work order + labour line) committed: {:.2} ms here, {:.2} ms on an empty store ({:.2}×)",
        full_commit * 1e3,
        empty_commit * 1e3,
        full_commit / empty_commit
    );
}
