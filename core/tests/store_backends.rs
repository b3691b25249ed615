//! The store's test suite on both backends: every case below runs once on
//! the embedded SQLite store (`on_sqlite::…`) and once on a PostgreSQL
//! server (`on_postgres::…`, feature `postgres`): reopening, all-or-nothing
//! commands, two writers, a stale unit of work, undo, sync twice, the kill
//! -9 crash test, a newer schema, a database that is not a store, a damaged
//! snapshot, a tampered event, 50 concurrent writers, readers during a
//! write, catching up, and copying a store into the other backend.
//!
//! The PostgreSQL cases need a server: `MUTUALIS_PG_URL`
//! (`scripts/pg-test-server.sh start` exports it; `scripts/test-all.sh`
//! starts one). Each case creates its own database and drops it, so they
//! run in parallel. Without the variable they are skipped with a message,
//! except when `CI` is set: then they fail.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::store::{self, Store, SCHEMA_VERSION};
use mutualis::{
    AssetKind, CostInput, Error, Mutualis, NewAsset, NewRequest, NewTenant, NewWorkOrder,
    RequestOrigin, WorkOrderStatus,
};
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Sqlite,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Postgres,
}

/// One test's own database: a temporary SQLite file, or a PostgreSQL
/// database created on the test server (dropped at the end).
struct Db {
    kind: Kind,
    url: String,
    /// PostgreSQL: the server's maintenance URL and this database's name.
    admin: Option<(String, String)>,
}

/// The test server's URL, or `None` (skipped) when it is not set outside CI.
fn server_url(test: &str) -> Option<String> {
    match std::env::var("MUTUALIS_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: MUTUALIS_PG_URL is not set in CI (scripts/test-all.sh starts the test server)"
            );
            eprintln!(
                "skipped {test} on PostgreSQL: MUTUALIS_PG_URL is not set (eval \"$(bash scripts/pg-test-server.sh start)\")"
            );
            None
        }
    }
}

/// `url` with its database replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

impl Db {
    fn new(kind: Kind, name: &str) -> Option<Db> {
        match kind {
            Kind::Sqlite => {
                let path = std::env::temp_dir().join(format!(
                    "mutualis-backends-{}-{name}.db",
                    std::process::id()
                ));
                let db = Db {
                    kind,
                    url: path.to_str().unwrap().to_owned(),
                    admin: None,
                };
                db.remove_files();
                Some(db)
            }
            Kind::Postgres => {
                let admin = server_url(name)?;
                let database = format!("mt_{}_{name}", std::process::id()).to_lowercase();
                let mut c = admin_client(&admin);
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                    .unwrap();
                c.batch_execute(&format!("CREATE DATABASE {database}"))
                    .unwrap();
                Some(Db {
                    kind,
                    url: with_database(&admin, &database),
                    admin: Some((admin, database)),
                })
            }
        }
    }

    fn remove_files(&self) {
        if self.kind == Kind::Sqlite {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.url));
            }
        }
    }

    fn open(&self, device: &str) -> Store {
        Store::open_url(&self.url, device).unwrap()
    }

    fn try_open(&self, device: &str) -> mutualis::Result<Store> {
        Store::open_url(&self.url, device)
    }

    /// Runs SQL on the database behind the store's back.
    fn sql(&self, sql: &str) {
        match self.kind {
            Kind::Sqlite => rusqlite::Connection::open(&self.url)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Kind::Postgres => admin_client(&self.url).batch_execute(sql).unwrap(),
        }
    }

    /// One integer a query returns.
    fn count(&self, sql: &str) -> i64 {
        match self.kind {
            Kind::Sqlite => rusqlite::Connection::open(&self.url)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Kind::Postgres => admin_client(&self.url).query_one(sql, &[]).unwrap().get(0),
        }
    }

    /// The text a query returns.
    fn text(&self, sql: &str) -> String {
        match self.kind {
            Kind::Sqlite => rusqlite::Connection::open(&self.url)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Kind::Postgres => admin_client(&self.url).query_one(sql, &[]).unwrap().get(0),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.remove_files();
        if let Some((admin, database)) = &self.admin {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ =
                    c.batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
            }
        }
    }
}

/// Each case, once per backend.
macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[test]
                fn $case() {
                    if let Some(db) = super::Db::new(super::Kind::Sqlite, stringify!($case)) {
                        super::$case(&db);
                    }
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod on_postgres {
            $(
                #[test]
                fn $case() {
                    if let Some(db) = super::Db::new(super::Kind::Postgres, stringify!($case)) {
                        super::$case(&db);
                    }
                }
            )*
        }
    };
}

on_both!(
    a_second_run_reads_what_the_first_wrote,
    a_failing_command_writes_nothing,
    two_handles_never_lose_each_others_commits,
    a_stale_unit_of_work_is_refused_and_rolled_back,
    a_unit_of_work_is_committed_or_rolled_back,
    device_events_import_idempotently_twice,
    killed_writers_lose_nothing_that_was_acknowledged,
    a_newer_schema_is_refused_and_left_untouched,
    a_database_that_is_not_a_store_is_refused,
    a_damaged_snapshot_is_skipped_and_the_store_replays,
    a_tampered_event_is_found,
    fifty_concurrent_writers_lose_nothing_and_apply_nothing_twice,
    readers_are_not_blocked_by_a_writer,
    a_handle_catches_up_with_only_the_events_it_missed,
    a_store_copies_into_the_other_backend_and_back,
);

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

fn a_second_run_reads_what_the_first_wrote(db: &Db) {
    {
        let mut s = db.open("laptop");
        base(&mut s);
        s.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1)))
            .unwrap();
    }
    let s = db.open("laptop");
    assert_eq!(
        s.registry().work_order_cost("BT-1").unwrap().total.ttc,
        dec!(250.25)
    );
    assert_eq!(s.head(), 7);
    let journal = s.journal().unwrap();
    assert_eq!(journal.len(), 7);
    assert_eq!(&Mutualis::replay(&journal).unwrap(), s.registry());
    assert_eq!(s.verify().unwrap(), 7);
}

fn a_failing_command_writes_nothing(db: &Db) {
    let mut s = db.open("t");
    base(&mut s);
    let head = s.head();
    let before = s.registry().clone();
    let r = s.execute(|m| {
        m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(1), 1))?;
        m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(-1), 1))
    });
    assert!(matches!(r, Err(Error::InvalidQuantity { .. })));
    assert_eq!(s.head(), head);
    assert_eq!(s.registry(), &before);
    assert_eq!(s.events_since(0).unwrap().len() as i64, head);
    assert_eq!(db.count("SELECT COUNT(*) FROM events"), head);
}

fn two_handles_never_lose_each_others_commits(db: &Db) {
    let mut a = db.open("a");
    base(&mut a);
    let mut b = db.open("b");
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

fn a_stale_unit_of_work_is_refused_and_rolled_back(db: &Db) {
    let mut a = db.open("a");
    base(&mut a);
    let mut b = db.open("b");
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

fn a_unit_of_work_is_committed_or_rolled_back(db: &Db) {
    let mut s = db.open("tablet");
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
    {
        let mut work = s.begin().unwrap();
        work.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(3), 1))
            .unwrap();
    }
    assert_eq!((s.head(), s.pending()), (8, 0));
    assert_eq!(s.registry(), &before);
    // a rollback the core's checkpoint cannot cover reloads from the database
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
    // the bindings' style: change, then commit
    s.working()
        .set_attribute("GYM", "chauffage", Some("gaz"))
        .unwrap();
    assert!(matches!(
        s.refresh(),
        Err(Error::UncommittedChanges { pending: 1 })
    ));
    assert_eq!(s.commit().unwrap(), 1);
    let after = s.registry().clone();
    drop(s);
    let reopened = db.open("tablet");
    assert_eq!(reopened.registry(), &after);
    assert_eq!(reopened.head(), 9);
}

fn device_events_import_idempotently_twice(db: &Db) {
    let mut central = db.open("central");
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
    let all = central.import(&tablet.export_since(0).unwrap()).unwrap();
    assert_eq!((all.applied, all.duplicates), (0, 7));
    // and from another handle, after reopening
    drop(central);
    let mut again = db.open("central");
    assert_eq!(again.registry(), &once);
    assert_eq!(again.import(&upload).unwrap().duplicates, 1);
    assert_eq!(again.verify().unwrap(), again.head() as u64);
}

/// The child side of the crash test: writes commands until killed.
#[test]
fn crash_writer_any() {
    let Ok(url) = std::env::var("MUTUALIS_CRASH_URL") else {
        return;
    };
    let mut s = Store::open_url(&url, "writer").unwrap();
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
                d(2020, 1, 1),
            ))?;
            m.set_attribute(&code, "serial", Some(&format!("S{i}")))
        })
        .unwrap();
        println!("ok {i}");
        i += 1;
    }
}

fn killed_writers_lose_nothing_that_was_acknowledged(db: &Db) {
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged = 0usize;
    for round in 0..8 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_writer_any",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MUTUALIS_CRASH_URL", &db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let target = 3 + (round * 7) % 23;
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
        let s = db.open("check");
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
        for a in m.assets() {
            assert!(
                a.attributes.contains_key("serial"),
                "{} half-applied",
                a.code
            );
        }
        assert_eq!(s.verify().unwrap(), s.head() as u64);
    }
    assert!(acknowledged > 8);
}

fn a_newer_schema_is_refused_and_left_untouched(db: &Db) {
    {
        let mut s = db.open("t");
        base(&mut s);
    }
    db.sql(&format!(
        "UPDATE meta SET value = '{}' WHERE key = 'schema_version'",
        SCHEMA_VERSION + 1
    ));
    assert!(matches!(
        db.try_open("t"),
        Err(Error::SchemaTooNew { found, supported }) if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION
    ));
    assert_eq!(
        db.text("SELECT value FROM meta WHERE key = 'schema_version'"),
        (SCHEMA_VERSION + 1).to_string()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM events"), 6);
    // an unreadable version is a corrupt store
    db.sql("UPDATE meta SET value = 'soon' WHERE key = 'schema_version'");
    assert!(matches!(db.try_open("t"), Err(Error::CorruptStore { .. })));
}

fn a_database_that_is_not_a_store_is_refused(db: &Db) {
    db.sql("CREATE TABLE invoices (id INTEGER)");
    let r = db.try_open("t");
    assert!(
        matches!(&r, Err(Error::CorruptStore { message }) if message.contains("not a Mutualis store")),
        "{r:?}"
    );
    // nothing was created
    assert_eq!(
        db.count(match db.kind {
            Kind::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            Kind::Postgres => "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
        }),
        1
    );
}

fn a_damaged_snapshot_is_skipped_and_the_store_replays(db: &Db) {
    let mut s = db.open("t");
    base(&mut s);
    s.execute(|m| {
        for i in 0..50 {
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
    assert_eq!(db.count("SELECT COUNT(*) FROM snapshots"), 1);
    let s = db.open("t");
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.registry().journal().len(), 1, "the snapshot was used");
    drop(s);
    db.sql(match db.kind {
        Kind::Sqlite => "UPDATE snapshot_chunks SET data = CAST(X'00' || substr(data, 2) AS BLOB)",
        Kind::Postgres => {
            "UPDATE snapshot_chunks SET data = overlay(data placing '\\x00'::bytea from 1)"
        }
    });
    let s = db.open("t");
    assert_eq!(s.registry(), &expected);
    assert_eq!(s.registry().journal().len(), 57, "replayed from the first");
}

fn a_tampered_event_is_found(db: &Db) {
    let mut s = db.open("t");
    base(&mut s);
    s.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1)))
        .unwrap();
    assert_eq!(s.verify().unwrap(), 7);
    db.sql(match db.kind {
        Kind::Sqlite => "UPDATE events SET at = at + 1 WHERE seq = 3",
        Kind::Postgres => "UPDATE events SET at = at + 1 WHERE seq = 3",
    });
    assert!(matches!(s.verify(), Err(Error::TamperedJournal { seq: 3 })));
    assert!(matches!(
        db.try_open("t"),
        Err(Error::TamperedJournal { seq: 3 })
    ));
}

/// 50 handles, one thread each, record interventions for 50 tenants at
/// once (a command catches up under the lock, then runs on the latest
/// state): every commit is there exactly once, the chain holds.
fn fifty_concurrent_writers_lose_nothing_and_apply_nothing_twice(db: &Db) {
    const WRITERS: usize = 50;
    const COMMANDS: usize = 4;
    let siren = |i: usize| -> String {
        // a valid SIREN (Luhn) for tenant i
        let body = format!("{:08}", 21_000_000 + i);
        (0..10)
            .map(|c| format!("{body}{c}"))
            .find(|s| mutualis::identity::luhn_valid(s))
            .unwrap()
    };
    {
        let mut s = db.open("setup");
        s.execute(|m| {
            for i in 0..WRITERS {
                let code = format!("T{i:02}");
                m.add_tenant(NewTenant::new(
                    &code,
                    &format!("Tenant {i}"),
                    mutualis::TenantKind::Syndicat,
                    &siren(i),
                ))?;
                m.add_team(&format!("{code}-REGIE"), &code, "Régie", None)?;
                m.set_labour_rate(&code, 2026, None, None, dec!(30))?;
                m.add_asset(NewAsset::new(
                    &format!("{code}-SITE"),
                    "Site",
                    AssetKind::Site,
                    &code,
                    d(2000, 1, 1),
                ))?;
            }
            Ok(())
        })
        .unwrap();
    }
    let setup_events = WRITERS as i64 * 4;
    let barrier = Arc::new(Barrier::new(WRITERS));
    let threads: Vec<_> = (0..WRITERS)
        .map(|i| {
            let url = db.url.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut s = Store::open_url(&url, &format!("writer-{i}")).unwrap();
                barrier.wait();
                for k in 0..COMMANDS {
                    let code = format!("T{i:02}");
                    let order = format!("{code}-BT-{k}");
                    s.execute_latest(|m| {
                        m.create_work_order(NewWorkOrder::by_team(
                            &order,
                            "Intervention",
                            &format!("{code}-SITE"),
                            &format!("{code}-REGIE"),
                        ))?;
                        m.set_work_order_status(
                            &order,
                            WorkOrderStatus::InProgress,
                            Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap(),
                        )?;
                        m.record_cost(&order, CostInput::labour(d(2026, 3, 2), dec!(2), 1))
                    })
                    .unwrap();
                }
                s.head()
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let expected = setup_events + (WRITERS * COMMANDS * 3) as i64;
    assert_eq!(db.count("SELECT COUNT(*) FROM events"), expected);
    let s = db.open("check");
    assert_eq!(s.head(), expected);
    assert_eq!(s.verify().unwrap(), expected as u64);
    let m = s.registry();
    assert_eq!(m.work_orders().len(), WRITERS * COMMANDS);
    for i in 0..WRITERS {
        for k in 0..COMMANDS {
            let cost = m.work_order_cost(&format!("T{i:02}-BT-{k}")).unwrap();
            assert_eq!((cost.lines, cost.total.ttc), (1, dec!(60.00)));
        }
    }
    // every writer's events are stored once, under its own origin
    let origins = s.events_since(setup_events).unwrap();
    for i in 0..WRITERS {
        let device = format!("writer-{i}");
        let n = origins.iter().filter(|e| e.origin == device).count();
        assert_eq!(n, COMMANDS * 3, "{device}");
    }
}

fn readers_are_not_blocked_by_a_writer(db: &Db) {
    let mut writer = db.open("writer");
    base(&mut writer);
    let url = db.url.clone();
    // inside the write transaction (the lock is held), another handle opens,
    // reads the journal and refreshes
    let seen = writer
        .execute(|m| {
            m.set_attribute("GYM", "k", Some("v"))?;
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut reader = Store::open_url(&url, "reader").unwrap();
                let events = reader.events_since(0).unwrap().len();
                let refreshed = reader.refresh().unwrap();
                let _ = tx.send((reader.head(), events, refreshed));
            });
            // a deadlock guard, not a speed figure
            Ok(rx.recv_timeout(std::time::Duration::from_secs(60)))
        })
        .unwrap();
    assert_eq!(
        seen.ok(),
        Some((6, 6, 0)),
        "the reader saw the committed state"
    );
    assert_eq!(writer.head(), 7);
}

fn a_handle_catches_up_with_only_the_events_it_missed(db: &Db) {
    let mut a = db.open("a");
    base(&mut a);
    let mut b = db.open("b");
    let replayed = b.registry().journal().len();
    for day in 12..15 {
        a.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, day), dec!(1), 1)))
            .unwrap();
    }
    assert_eq!(b.refresh().unwrap(), 3);
    assert_eq!(b.registry().journal().len(), replayed + 3);
    assert_eq!(b.refresh().unwrap(), 0);
    assert_eq!(b.registry(), a.registry());
    // a command that catches up under the lock
    a.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 16), dec!(1), 1)))
        .unwrap();
    b.execute_latest(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 17), dec!(1), 1)))
        .unwrap();
    assert_eq!(b.head(), 11);
    a.refresh().unwrap();
    assert_eq!(a.registry(), b.registry());
    assert_eq!(a.registry().work_order_cost("BT-1").unwrap().lines, 5);
}

/// The other backend's database for a copy (PostgreSQL when this one is
/// SQLite and a server is there, else SQLite).
fn other_backend(db: &Db) -> Option<Db> {
    match db.kind {
        Kind::Sqlite
            if cfg!(feature = "postgres") && std::env::var_os("MUTUALIS_PG_URL").is_some() =>
        {
            Db::new(Kind::Postgres, "copy_target")
        }
        _ => Db::new(Kind::Sqlite, &format!("copy_target_{:?}", db.kind)),
    }
}

fn a_store_copies_into_the_other_backend_and_back(db: &Db) {
    let mut s = db.open("central");
    base(&mut s);
    s.execute(|m| m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12), dec!(6.5), 1)))
        .unwrap();
    s.snapshot().unwrap();
    s.execute(|m| m.set_attribute("GYM", "chauffage", Some("gaz")))
        .unwrap();
    let tablet = s.export_since(0).unwrap();
    let mut t = Store::open_in_memory("t2").unwrap();
    t.import(&tablet).unwrap();
    let mut u = Store::open_in_memory("t3").unwrap();
    // the tablet's own events (another origin) go in too
    t.execute(|m| m.set_attribute("GYM", "from", Some("tablet")))
        .unwrap();
    s.import(&t.export_since(8).unwrap()).unwrap();
    let export = s.export_since(0).unwrap();
    let Some(other) = other_backend(db) else {
        return;
    };
    let mut copy = other.open("central");
    assert_eq!(store::copy(&s, &mut copy).unwrap(), s.head() as u64);
    assert_eq!(copy.export_since(0).unwrap(), export, "byte-identical");
    assert_eq!(copy.registry(), s.registry());
    assert_eq!(copy.verify().unwrap(), s.head() as u64);
    // into a store that is not empty: refused
    assert!(matches!(
        store::copy(&s, &mut copy),
        Err(Error::StaleCopy { .. })
    ));
    // and back into a fresh store of the first backend
    let back_db = Db::new(db.kind, "copy_back")
        .or_else(|| Db::new(Kind::Sqlite, "copy_back"))
        .unwrap();
    let mut back = back_db.open("central");
    store::copy(&copy, &mut back).unwrap();
    assert_eq!(back.export_since(0).unwrap(), export);
    drop(back);
    let reopened = back_db.open("central");
    assert_eq!(reopened.registry(), s.registry());
    assert_eq!(u.import(&export).unwrap().applied, 9);
}

#[cfg(feature = "postgres")]
#[test]
fn a_bad_password_is_not_in_the_error() {
    let Some(url) = server_url("a_bad_password_is_not_in_the_error") else {
        return;
    };
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let secret = "Wr0ng-s3cret-pw";
    let bad = format!("{scheme}://mutualis:{secret}@{host}");
    let err = Store::open_url(&bad, "t").unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("password authentication failed"), "{shown}");
    }
    // nor in a handle's Debug
    let s = Store::open_url(&url, "t").unwrap();
    let password = url
        .split_once("://")
        .and_then(|(_, r)| r.split_once('@'))
        .and_then(|(u, _)| u.split_once(':'))
        .map(|(_, p)| p)
        .unwrap();
    assert!(!format!("{s:?}").contains(password));
}

#[test]
fn a_url_with_an_unknown_scheme_is_refused() {
    assert!(matches!(
        Store::open_url("mysql://root@localhost/x", "t"),
        Err(Error::InvalidField { field: "url", .. })
    ));
    let db = Db::new(Kind::Sqlite, "scheme").unwrap();
    let mut s = Store::open_url(&format!("sqlite:{}", db.url), "t").unwrap();
    base(&mut s);
    drop(s);
    assert_eq!(db.open("t").head(), 6);
}
