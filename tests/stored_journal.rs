//! Stored journals keep reading: a journal written by this version of the
//! library (the whole Roannais scenario, every kind of event it records) is
//! checked in as `tests/data/roannais-journal.json`. It must replay to the
//! same registry the scenario builds, and serialise back byte for byte — so a
//! renamed field of a command's builder cannot silently break the journals
//! users have stored. Regenerate it only with a deliberate format change:
//! `MUTUALIS_BLESS=1 cargo test -p mutualis-integration-tests --test stored_journal`.

use mutualis::{JournalEntry, Mutualis};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/roannais-journal.json");

#[test]
fn the_stored_journal_replays_to_the_scenario() {
    // (registries compare by data, so the entries' times do not matter)
    let m = mutualis_examples::roannais_full().expect("the scenario builds");
    let written = serde_json::to_string_pretty(m.journal()).expect("the journal serialises");
    if std::env::var_os("MUTUALIS_BLESS").is_some() {
        std::fs::write(PATH, &written).expect("the fixture is writable");
    }
    let stored = std::fs::read_to_string(PATH).expect("the fixture is checked in");
    let entries: Vec<JournalEntry> =
        serde_json::from_str(&stored).expect("the stored journal parses");
    let replayed = Mutualis::replay(&entries).expect("the stored journal replays");
    assert_eq!(
        replayed, m,
        "the stored journal no longer rebuilds the scenario"
    );
    assert_eq!(
        serde_json::to_string_pretty(&entries).expect("serialises"),
        stored,
        "the stored journal no longer serialises as it was written"
    );
    // every kind of event the scenario records is in the fixture
    let kinds: std::collections::BTreeSet<String> = entries
        .iter()
        .map(|e| serde_json::to_value(&e.event).expect("serialises")["type"].to_string())
        .collect();
    assert!(
        kinds.len() >= 20,
        "only {} kinds of events: {kinds:?}",
        kinds.len()
    );
}
