//! The journal: every change is a domain event with who, when, what and for
//! which tenant (DOMAIN §8), appended in order.
//!
//! Events carry human codes, not dense ids, so a journal can be exchanged,
//! persisted and replayed on another device. [`Mutualis::replay`] rebuilds the
//! same registry from a journal by re-running each event's validated command
//! with the entry's own actor and timestamp.
//!
//! ```
//! use mutualis::{Clock, Mutualis, NewTenant};
//! use chrono::{TimeZone, Utc};
//! let mut m = Mutualis::new();
//! m.set_actor("agent.roanne");
//! m.set_clock(Clock::Fixed(Utc.with_ymd_and_hms(2026, 3, 12, 8, 0, 0).unwrap()));
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! assert_eq!(m.journal()[0].actor, "agent.roanne");
//! assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
//! ```

use chrono::{DateTime, Utc};
use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::access::AccessEvent;
use crate::agreements::AgreementEvent;
use crate::assets::AssetEvent;
use crate::budget::BudgetEvent;
use crate::custody::CustodyEvent;
use crate::energy::EnergyEvent;
use crate::error::{Error, Result};
use crate::fleet::FleetEvent;
use crate::furniture::FurnitureEvent;
use crate::io::ingest::IngestedTables;
use crate::leases::LeaseEvent;
use crate::ownership::OwnershipEvent;
use crate::planning::PlanningEvent;
use crate::rates::RateEvent;
use crate::requests::RequestEvent;
use crate::stock::StockEvent;
use crate::suppliers::SupplierEvent;
use crate::tenancy::TenancyEvent;
use crate::work::WorkEvent;
use crate::workwear::WorkwearEvent;
use crate::Mutualis;

/// Where event timestamps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock (UTC).
    #[default]
    System,
    /// A fixed instant (tests, imports, replays).
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant of this clock.
    #[must_use]
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// When it was recorded (UTC).
    pub at: DateTime<Utc>,
    /// Who recorded it (user or device id).
    pub actor: String,
    /// The tenant the change is for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// What changed.
    pub event: Event,
}

/// A domain event: a validated command, with human codes.
///
/// Each domain owns its events ([`TenancyEvent`], [`AssetEvent`]…, in the
/// domain's `events` module, with their stored payload types); this type
/// wraps them, plus the two events of the `io` layer (a dataset import, an
/// ingestion of tables). The stored form is flat and tagged by `type`:
/// `{"type": "tenant_added", "tenant": {…}}`, the same in JSON and in the
/// store's MessagePack; the tag of a domain event is its variant's name in
/// snake case.
///
/// ```
/// use mutualis::{tenancy::TenancyEvent, Event};
/// let e: Event = TenancyEvent::TenantJoined { member: "ROANNE".into(), group: "AGGLO".into() }.into();
/// let json = serde_json::to_string(&e).unwrap();
/// assert_eq!(json, r#"{"type":"tenant_joined","member":"ROANNE","group":"AGGLO"}"#);
/// assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Tenants, memberships and services.
    Tenancy(TenancyEvent),
    /// The patrimoine: assets, the tree, life, attributes.
    Assets(AssetEvent),
    /// Custody periods and sharing keys.
    Custody(CustodyEvent),
    /// Transfers of ownership.
    Ownership(OwnershipEvent),
    /// The suppliers' register.
    Suppliers(SupplierEvent),
    /// Régie teams and rates.
    Rates(RateEvent),
    /// Stores and stock.
    Stock(StockEvent),
    /// Requests (demandes d'intervention).
    Requests(RequestEvent),
    /// Work orders and cost lines.
    Work(WorkEvent),
    /// Service agreements, pooled services and vehicle loans.
    Agreements(AgreementEvent),
    /// Budgets.
    Budget(BudgetEvent),
    /// Multi-year planning.
    Planning(PlanningEvent),
    /// Principals, roles and grants.
    Access(AccessEvent),
    /// The fleet: register, meters, fuel, inspections, maintenance.
    Fleet(FleetEvent),
    /// Leases: parties, contracts, index values, revisions, receipts, charges.
    Leases(LeaseEvent),
    /// The furniture inventory: items, moves, loans, reforms, campaigns.
    Furniture(FurnitureEvent),
    /// Énergies: meters, readings, invoices, degree days, décret tertiaire.
    Energy(EnergyEvent),
    /// Workwear and PPE: agents, catalogue, allotments, issues, returns.
    Workwear(WorkwearEvent),
    /// A whole dataset was loaded from its JSON format (always the first entry).
    DatasetImported {
        /// The JSON document.
        dataset: String,
    },
    /// A user's tables were ingested in bulk (docs/ingest.md); replaying
    /// re-ingests the same tables in the same mode.
    TablesIngested {
        /// The tables, as compressed Arrow IPC streams.
        tables: IngestedTables,
    },
}

macro_rules! domain_events {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(
            impl From<$ty> for Event {
                fn from(e: $ty) -> Event {
                    Event::$variant(e)
                }
            }
        )*

        impl Event {
            /// True when a checkpoint can undo the command this event records.
            pub(crate) fn undoable(&self) -> bool {
                match self {
                    $(Event::$variant(e) => e.undoable(),)*
                    // ingestion runs covered commands only (under its own checkpoint)
                    Event::TablesIngested { .. } => true,
                    // loads a whole dataset into an empty registry, not by commands
                    Event::DatasetImported { .. } => false,
                }
            }

            /// The codes this event refers to, as `(kind, code)` pairs
            /// (`"request"`, `"work_order"`, `"asset"`…), for history queries.
            #[must_use]
            pub fn refs(&self) -> Vec<(&'static str, &str)> {
                match self {
                    $(Event::$variant(e) => e.refs(),)*
                    Event::DatasetImported { .. } | Event::TablesIngested { .. } => Vec::new(),
                }
            }

            /// Serialises a domain event as itself (flat, tagged by `type`).
            fn serialize_domain<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Event::$variant(e) => e.serialize(s),)*
                    Event::DatasetImported { dataset } => {
                        IoEventRef::DatasetImported { dataset }.serialize(s)
                    }
                    Event::TablesIngested { tables } => {
                        IoEventRef::TablesIngested { tables }.serialize(s)
                    }
                }
            }

            /// Reads the event tagged `tag` from `d` (the whole map, tag included).
            fn deserialize_tagged<'de, D: Deserializer<'de>>(
                tag: &str,
                d: D,
            ) -> std::result::Result<Event, D::Error> {
                $(
                    if <$ty>::TAGS.contains(&tag) {
                        return <$ty>::deserialize(d).map(Event::$variant);
                    }
                )*
                if tag == "dataset_imported" || tag == "tables_ingested" {
                    return Ok(match IoEvent::deserialize(d)? {
                        IoEvent::DatasetImported { dataset } => Event::DatasetImported { dataset },
                        IoEvent::TablesIngested { tables } => Event::TablesIngested { tables },
                    });
                }
                Err(de::Error::custom(format_args!("unknown event type `{tag}`")))
            }

            /// The static `type` tag equal to `tag`, if an event has it.
            fn static_tag(tag: &str) -> Option<&'static str> {
                $(
                    if let Some(t) = <$ty>::TAGS.iter().find(|t| **t == tag) {
                        return Some(t);
                    }
                )*
                ["dataset_imported", "tables_ingested"].into_iter().find(|t| *t == tag)
            }

            /// Every `type` tag, domain by domain.
            #[cfg(test)]
            pub(crate) fn all_tags() -> Vec<&'static str> {
                let mut v: Vec<&'static str> = Vec::new();
                $(v.extend_from_slice(<$ty>::TAGS);)*
                v.extend(["dataset_imported", "tables_ingested"]);
                v
            }

            /// Runs the command an event records (validated; nothing changes on error).
            fn apply_to(self, m: &mut Mutualis) -> Result<()> {
                match self {
                    $(Event::$variant(e) => e.apply(m),)*
                    Event::DatasetImported { dataset } => m.apply_dataset_import(dataset),
                    Event::TablesIngested { tables } => m.replay_ingestion(tables),
                }
            }
        }
    };
}

domain_events! {
    Tenancy(TenancyEvent),
    Assets(AssetEvent),
    Custody(CustodyEvent),
    Ownership(OwnershipEvent),
    Suppliers(SupplierEvent),
    Rates(RateEvent),
    Stock(StockEvent),
    Requests(RequestEvent),
    Work(WorkEvent),
    Agreements(AgreementEvent),
    Budget(BudgetEvent),
    Planning(PlanningEvent),
    Access(AccessEvent),
    Fleet(FleetEvent),
    Leases(LeaseEvent),
    Furniture(FurnitureEvent),
    Energy(EnergyEvent),
    Workwear(WorkwearEvent),
}

/// The stored form of the `io` layer's events (borrowed, to write them).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum IoEventRef<'a> {
    DatasetImported { dataset: &'a str },
    TablesIngested { tables: &'a IngestedTables },
}

/// The stored form of the `io` layer's events (owned, to read them).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum IoEvent {
    DatasetImported { dataset: String },
    TablesIngested { tables: IngestedTables },
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.serialize_domain(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Event, D::Error> {
        d.deserialize_map(EventVisitor)
    }
}

/// Reads an event: its `type` tag (the first key, as every writer puts it)
/// names the domain, whose enum then reads the whole map.
struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event: a map with a \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Event, A::Error> {
        let first = match map.next_key_seed(FirstKey)? {
            None => return Err(de::Error::missing_field("type")),
            Some(None) => {
                // the tag, read without allocating
                let tag = map.next_value_seed(Tag)?;
                let rest = TagFirst {
                    tag: Some(tag),
                    value_pending: false,
                    rest: map,
                };
                return Event::deserialize_tagged(tag, MapAccessDeserializer::new(rest));
            }
            Some(Some(first)) => first,
        };
        // a hand-written document with the tag elsewhere: read the whole map
        let mut fields = serde_json::Map::new();
        let value: serde_json::Value = map.next_value()?;
        fields.insert(first, value);
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            fields.insert(k, v);
        }
        let tag = match fields.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(_) => return Err(de::Error::custom("the event's \"type\" is not a string")),
            None => return Err(de::Error::missing_field("type")),
        };
        Event::deserialize_tagged(&tag, serde_json::Value::Object(fields))
            .map_err(de::Error::custom)
    }
}

/// The first key of an event: `None` for `type`, else the key.
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok((v != "type").then(|| v.to_owned()))
    }
}

/// The `type` of an event, as the static tag of its kind.
struct Tag;

impl<'de> DeserializeSeed<'de> for Tag {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Tag {
    type Value = &'static str;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event type")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Event::static_tag(v).ok_or_else(|| E::custom(format_args!("unknown event type `{v}`")))
    }
}

/// A map whose `type` entry was already read: gives it back first, then the
/// rest of the map.
struct TagFirst<A> {
    tag: Option<&'static str>,
    value_pending: bool,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TagFirst<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, A::Error> {
        if self.tag.is_some() && !self.value_pending {
            self.value_pending = true;
            return seed.deserialize(StrDeserializer::new("type")).map(Some);
        }
        self.rest.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, A::Error> {
        if self.value_pending {
            if let Some(tag) = self.tag.take() {
                self.value_pending = false;
                return seed.deserialize(StrDeserializer::new(tag));
            }
        }
        self.rest.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.rest
            .size_hint()
            .map(|n| n + usize::from(self.tag.is_some()))
    }
}

impl Mutualis {
    /// Sets who records the next changes (a user or device id).
    pub fn set_actor(&mut self, actor: &str) {
        actor.clone_into(&mut self.actor);
    }

    /// The current actor ("system" by default).
    #[must_use]
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Sets where event timestamps come from.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Where event timestamps come from (a principal's reads are judged on
    /// its date).
    #[must_use]
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The journal, oldest first.
    #[must_use]
    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Appends an event recorded by a successful command.
    pub(crate) fn log(&mut self, tenant: Option<String>, event: impl Into<Event>) {
        let event = event.into();
        // a cost line changes nothing an access decision reads; every other
        // event may (a custody, a grant, a work order, the tree…)
        if !matches!(event, Event::Work(crate::WorkEvent::CostRecorded { .. })) {
            self.access_generation = self.access_generation.wrapping_add(1);
        }
        if self.undo.is_some() && !event.undoable() {
            self.not_undoable();
        }
        if self.muted {
            return;
        }
        let (at, actor) = match &self.replaying {
            Some((at, actor)) => (*at, actor.clone()),
            None => (
                self.pinned_at.unwrap_or_else(|| self.clock.now()),
                self.actor.clone(),
            ),
        };
        let seq = self.journal.len() as u64 + 1;
        self.journal.push(JournalEntry {
            seq,
            at,
            actor,
            tenant,
            event,
        });
    }

    /// Runs `batch` with journaling muted: the commands it runs record no
    /// event (the batch records one for all of them afterwards).
    #[allow(dead_code)] // used by bulk ingestion (feature `arrow`)
    pub(crate) fn muted<T>(&mut self, batch: impl FnOnce(&mut Mutualis) -> T) -> T {
        let was = std::mem::replace(&mut self.muted, true);
        // a batch may change what access decisions read without an event
        self.access_generation = self.access_generation.wrapping_add(1);
        let out = batch(self);
        self.access_generation = self.access_generation.wrapping_add(1);
        self.muted = was;
        out
    }

    /// Applies one event as the command it records (validated; nothing changes on error).
    pub fn apply(&mut self, event: Event) -> Result<()> {
        event.apply_to(self)
    }

    /// The apply arm of [`Event::DatasetImported`]: loads the dataset in
    /// place of this (empty) registry.
    fn apply_dataset_import(&mut self, dataset: String) -> Result<()> {
        if !self.journal.is_empty() {
            return Err(Error::InvalidField {
                field: "journal",
                reason: "a dataset import can only be the first entry".into(),
            });
        }
        let mut loaded = Mutualis::from_json(&dataset)?;
        loaded.journal.clear();
        loaded.actor = std::mem::take(&mut self.actor);
        loaded.clock = self.clock;
        loaded.replaying = self.replaying.take();
        *self = loaded;
        self.log(None, Event::DatasetImported { dataset });
        Ok(())
    }

    /// Applies one recorded entry, keeping its actor and time (used when
    /// loading from a store or importing a device's events).
    pub fn apply_recorded(&mut self, entry: &JournalEntry) -> Result<()> {
        self.replaying = Some((entry.at, entry.actor.clone()));
        let r = self.apply(entry.event.clone());
        self.replaying = None;
        r
    }

    /// Rebuilds a registry by replaying a journal; entries keep their actor and time.
    ///
    /// Fails with the error of the first entry that does not apply.
    pub fn replay(entries: &[JournalEntry]) -> Result<Mutualis> {
        let mut m = Mutualis::new();
        for e in entries {
            m.replaying = Some((e.at, e.actor.clone()));
            let r = m.apply(e.event.clone());
            m.replaying = None;
            r?;
        }
        Ok(m)
    }

    /// The journal as a JSON array of entries (the exchange format of
    /// [`Mutualis::from_journal_json`], the same from every language).
    #[must_use]
    pub fn journal_json(&self) -> String {
        // entries hold only strings, numbers, dates and decimals: cannot fail
        serde_json::to_string(&self.journal).unwrap_or_default()
    }

    /// Rebuilds a registry from a journal in JSON ([`Mutualis::journal_json`]).
    ///
    /// Errors: [`Error::InvalidJson`], or the error of the first entry that
    /// does not apply.
    pub fn from_journal_json(json: &str) -> Result<Mutualis> {
        let entries: Vec<JournalEntry> =
            serde_json::from_str(json).map_err(|e| Error::InvalidJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        Mutualis::replay(&entries)
    }

    /// The journal entries about a request, its work orders and their cost
    /// lines, in order: the request → work order → cost history (DOMAIN §8).
    pub fn request_history(&self, request: &str) -> Result<Vec<&JournalEntry>> {
        self.request_id(request)?;
        let orders: Vec<&str> = (0..self.work_orders.len())
            .filter(|&w| {
                self.work_orders
                    .requests(w)
                    .iter()
                    .any(|&r| self.requests()[r as usize].code == request)
            })
            .map(|w| self.work_orders.code(w))
            .collect();
        Ok(self
            .journal
            .iter()
            .filter(|e| {
                e.event.refs().iter().any(|(kind, code)| {
                    (*kind == "request" && *code == request)
                        || (*kind == "work_order" && orders.contains(code))
                })
            })
            .collect())
    }

    /// The journal entries that refer to a code of a kind (one of
    /// [`HISTORY_KINDS`]: `"asset"`, `"work_order"`…).
    ///
    /// Errors: [`Error::UnknownKind`] for any other kind.
    pub fn history(&self, kind: &str, code: &str) -> Result<Vec<&JournalEntry>> {
        if !HISTORY_KINDS.contains(&kind) {
            return Err(Error::UnknownKind {
                what: "history",
                value: kind.to_owned(),
                expected: HISTORY_EXPECTED,
            });
        }
        Ok(self
            .journal
            .iter()
            .filter(|e| e.event.refs().iter().any(|(k, c)| *k == kind && *c == code))
            .collect())
    }
}

/// The kinds of code [`Mutualis::history`] follows through the journal.
pub const HISTORY_KINDS: &[&str] = &[
    "agent",
    "agreement",
    "ap",
    "asset",
    "budget",
    "campaign",
    "furniture",
    "item",
    "lease",
    "maintenance_plan",
    "meter",
    "operation",
    "party",
    "principal",
    "request",
    "store",
    "role",
    "supplier",
    "team",
    "tenant",
    "work_order",
    "workwear_item",
];

const HISTORY_EXPECTED: &str =
    "agent, agreement, ap, asset, budget, campaign, furniture, item, lease, maintenance_plan, meter, operation, party, principal, request, role, store, supplier, team, tenant, work_order, workwear_item";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_belongs_to_exactly_one_domain() {
        let tags = Event::all_tags();
        let unique: std::collections::BTreeSet<&str> = tags.iter().copied().collect();
        assert_eq!(unique.len(), tags.len(), "a tag is listed twice: {tags:?}");
        // the 100 kinds of event a journal may hold (tests/event_format.rs
        // pins their stored form)
        assert_eq!(tags.len(), 100);
    }

    #[test]
    fn the_tag_may_come_anywhere_in_a_hand_written_event() {
        let e: Event =
            serde_json::from_str(r#"{"member":"ROANNE","type":"tenant_joined","group":"AGGLO"}"#)
                .unwrap();
        assert_eq!(
            e,
            Event::Tenancy(TenancyEvent::TenantJoined {
                member: "ROANNE".into(),
                group: "AGGLO".into()
            })
        );
        let e: Event =
            serde_json::from_str(r#"{"dataset":"{}","type":"dataset_imported"}"#).unwrap();
        assert_eq!(
            e,
            Event::DatasetImported {
                dataset: "{}".into()
            }
        );
        // …and a tag first reads the io events too
        let e: Event =
            serde_json::from_str(r#"{"type":"dataset_imported","dataset":"{}"}"#).unwrap();
        assert!(matches!(e, Event::DatasetImported { .. }));
    }

    #[test]
    fn bad_events_are_refused_with_what_is_wrong() {
        let err = |json: &str| serde_json::from_str::<Event>(json).unwrap_err().to_string();
        assert!(err(r#"{"type":"tenant_left","member":"X"}"#)
            .contains("unknown event type `tenant_left`"));
        assert!(err(r#"{"member":"X"}"#).contains("missing field `type`"));
        assert!(err(r#"{}"#).contains("missing field `type`"));
        assert!(err(r#"{"type":"tenant_joined","member":"X"}"#).contains("missing field `group`"));
        assert!(err(r#"{"type":7}"#).contains("invalid type"));
        assert!(err(r#"[1]"#).contains("expected an event"));
        // a payload keeps refusing fields it does not know
        assert!(
            err(r#"{"type":"item_added","item":{"code":"I","name":"N","unit":"u","x":1}}"#)
                .contains("unknown field `x`")
        );
    }
}
