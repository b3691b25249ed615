"""Requests (Open311 statuses, routing, delays), instants as aware datetimes,
and the journal: who did what when, histories, and replay to an equal registry."""

import datetime
import json
from decimal import Decimal

import pytest

import mutualis
from mutualis import Mutualis

from conftest import at, d

UTC = datetime.timezone.utc
PARIS_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


def test_request_statuses_routing_and_delays(march: Mutualis) -> None:
    m = march
    m.set_now(at(2026, 4, 1, 9))
    m.receive_request("DI-2026-0401", "phone", "eclairage", "Lampadaire éteint", "ROANNE", at(2026, 4, 1, 9),
                      service="VOIRIE", address="Rue Jean Jaurès, Roanne", lat=46.0369, lon=4.0683)
    r = m.request("DI-2026-0401")
    assert (r.status, r.open311_status, r.history) == ("open", "open", [])
    assert (r.tenant, r.service, r.address, r.lat, r.lon) == (
        "ROANNE", "VOIRIE", "Rue Jean Jaurès, Roanne", 46.0369, 4.0683)
    assert r.received == at(2026, 4, 1, 9) and r.received.tzinfo is UTC
    # An aware datetime in another zone is converted to UTC.
    m.set_request_status("DI-2026-0401", "investigating", datetime.datetime(2026, 4, 2, 11, tzinfo=PARIS_SUMMER),
                         "vu par l'agent")
    m.route_request("DI-2026-0401", "AGGLO", at(2026, 4, 2, 10), "VOIRIE")
    r = m.request("DI-2026-0401")
    assert (r.tenant, r.service, r.status) == ("AGGLO", "VOIRIE", "internal_referral")
    assert [(c.at, c.status, c.note) for c in r.history] == [
        (at(2026, 4, 2, 9), "investigating", "vu par l'agent"),
        (at(2026, 4, 2, 10), "internal_referral", "routed to AGGLO / VOIRIE"),
    ]
    m.set_request_status("DI-2026-0401", "fixed", at(2026, 4, 3, 15))
    assert m.request("DI-2026-0401").open311_status == "closed"
    delays = m.request_delays("DI-2026-0401")
    assert delays.to_first_response == datetime.timedelta(hours=24)
    assert delays.to_closure == datetime.timedelta(days=2, hours=6)
    # Closed: only reopening is allowed.
    with pytest.raises(mutualis.IllegalTransitionError, match="from fixed to in_progress"):
        m.set_request_status("DI-2026-0401", "in_progress", at(2026, 4, 4, 8))
    m.set_request_status("DI-2026-0401", "open", at(2026, 4, 4, 8), "pas réparé")
    assert m.request("DI-2026-0401").open311_status == "open"
    assert m.request_delays("DI-2026-0401").to_closure == datetime.timedelta(days=2, hours=6)
    # A request with no answer yet has no delays.
    m.receive_request("DI-2026-0402", "mail", "voirie", "Trottoir", "MABLY", at(2026, 4, 5, 8))
    none = m.request_delays("DI-2026-0402")
    assert (none.to_first_response, none.to_closure) == (None, None)
    assert [r.code for r in m.requests()][-2:] == ["DI-2026-0401", "DI-2026-0402"]
    assert m.request("DI-2026-0402").lat is None


def test_march_requests_were_all_fixed(march: Mutualis) -> None:
    requests = march.requests()
    assert len(requests) == 6
    assert {r.open311_status for r in requests} == {"closed"}
    gym = march.request("DI-2026-0301")
    assert [c.status for c in gym.history] == ["investigating", "in_progress", "fixed"]
    assert march.request_delays("DI-2026-0301").to_closure == at(2026, 3, 12, 18) - at(2026, 3, 2, 8)
    wo = march.work_order("BT-2026-0412")
    assert wo.requests == ["DI-2026-0301"] and wo.status == "done"
    assert [c.status for c in wo.history] == ["scheduled", "in_progress", "done"]


def test_request_refusals_change_nothing(march: Mutualis) -> None:
    m = march
    before = m.to_json()
    t = at(2026, 4, 1, 8)
    with pytest.raises(mutualis.InvalidFieldError, match="both lat and lon"):
        m.receive_request("DI-X", "agent", "x", "x", "ROANNE", t, lat=46.0)
    with pytest.raises(mutualis.InvalidFieldError, match="WGS 84"):
        m.receive_request("DI-X", "agent", "x", "x", "ROANNE", t, lat=146.0, lon=4.0)
    with pytest.raises(mutualis.InvalidFieldError, match="WGS 84"):
        m.receive_request("DI-X", "agent", "x", "x", "ROANNE", t, lat=float("nan"), lon=4.0)
    with pytest.raises(mutualis.UnknownKindError, match="request origin"):
        m.receive_request("DI-X", "pigeon", "x", "x", "ROANNE", t)  # type: ignore[arg-type]
    with pytest.raises(mutualis.UnknownKindError, match="request status"):
        m.set_request_status("DI-2026-0301", "solved", t)  # type: ignore[arg-type]
    with pytest.raises(mutualis.UnknownServiceError):
        m.receive_request("DI-X", "agent", "x", "x", "MABLY", t, service="SPORTS")
    with pytest.raises(mutualis.UnknownAssetError):
        m.receive_request("DI-X", "agent", "x", "x", "MABLY", t, asset="NOPE")
    with pytest.raises(mutualis.UnknownTenantError):
        m.route_request("DI-2026-0301", "NOPE", t)
    with pytest.raises(mutualis.IllegalTransitionError):
        m.route_request("DI-2026-0301", "ROANNE", t)  # closed
    with pytest.raises(mutualis.InvalidFieldError, match="blank"):
        m.receive_request("DI-X", "agent", " ", "x", "ROANNE", t)
    # Naive datetimes and plain dates are refused, never guessed.
    with pytest.raises(mutualis.ArgumentTypeError, match="naive"):
        m.receive_request("DI-X", "agent", "x", "x", "ROANNE", datetime.datetime(2026, 4, 1, 8))
    with pytest.raises(TypeError):
        m.receive_request("DI-X", "agent", "x", "x", "ROANNE", d(2026, 4, 1))  # type: ignore[arg-type]
    assert m.to_json() == before


def test_journal_records_who_when_and_for_whom() -> None:
    m = Mutualis()
    assert m.actor == "system"
    m.set_actor("agent.roanne")
    m.set_now(datetime.datetime(2026, 3, 12, 10, tzinfo=PARIS_SUMMER))
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.set_now(None)  # back to the system clock
    m.set_actor("agent.2")
    m.add_service("ROANNE", "SPORTS", "Sports")
    first, second = m.journal()
    assert (first.seq, first.at, first.actor, first.tenant, first.type) == (
        1, at(2026, 3, 12, 8), "agent.roanne", "ROANNE", "tenant_added")
    assert json.loads(first.data)["tenant"]["code"] == "ROANNE"
    assert json.loads(first.data)["type"] == "tenant_added"
    assert (second.seq, second.actor, second.tenant, second.type) == (2, "agent.2", "ROANNE", "service_added")
    now = datetime.datetime.now(UTC)
    assert second.at.tzinfo is UTC and abs(now - second.at) < datetime.timedelta(minutes=5)
    assert m.actor == "agent.2"
    assert first == m.journal()[0] and hash(first) == hash(m.journal()[0])
    assert repr(first).startswith("JournalEntry(seq=1, at=datetime.datetime(2026, 3, 12, 8, 0, tzinfo=datetime.timezone.utc), "
                                  "actor='agent.roanne', tenant='ROANNE', type='tenant_added', data=<")
    assert [e.seq for e in m.history("tenant", "ROANNE")] == [1, 2]
    # A refused command records nothing.
    with pytest.raises(mutualis.DuplicateServiceError):
        m.add_service("ROANNE", "SPORTS", "Sports")
    assert len(m.journal()) == 2


def test_request_history_goes_to_work_orders_and_costs(march: Mutualis) -> None:
    types = [e.type for e in march.request_history("DI-2026-0301")]
    assert types == [
        "request_received",
        "request_status_changed",  # investigating
        "work_order_created",
        "work_order_status_changed",  # scheduled
        "work_order_status_changed",  # in_progress
        "request_status_changed",  # in_progress
        "cost_recorded",
        "cost_recorded",
        "work_order_status_changed",  # done
        "request_status_changed",  # fixed
    ]
    costs = [json.loads(e.data) for e in march.history("work_order", "BT-2026-0412") if e.type == "cost_recorded"]
    assert costs[0]["cost"] == {"nature": "labour", "date": "2026-03-12", "hours": "6.5", "agents": 1}
    assert costs[1]["cost"]["quantity"] == "12"
    assert [e.type for e in march.history("store", "MAG-AGGLO")] == ["store_added", "stock_received"]
    assert march.history("asset", "NOPE") == []
    with pytest.raises(mutualis.UnknownKindError, match='unknown history kind "nonsense"'):
        march.history("nonsense", "X")


def test_replay_rebuilds_an_equal_registry(march: Mutualis) -> None:
    text = march.journal_json()
    entries = json.loads(text)
    assert len(entries) == len(march.journal()) and entries[0]["seq"] == 1
    again = Mutualis.replay(text)
    assert again.to_json() == march.to_json()
    assert again.journal() == march.journal()
    assert again.journal_json() == text
    # The replayed registry keeps working, and stays replayable.
    again.set_now(at(2026, 4, 1, 8))
    again.create_work_order("BT-R", "Après rejeu", "GYM-COUBERTIN", team="ROANNE-SPORTS")
    again.set_work_order_status("BT-R", "in_progress", at(2026, 4, 1, 8))
    again.record_material("BT-R", d(2026, 4, 1), "MAG-ROANNE", "PEINTURE-15L", 1)
    assert Mutualis.replay(again.journal_json()).to_json() == again.to_json()


def test_replay_of_a_loaded_dataset(march: Mutualis) -> None:
    loaded = Mutualis.from_json(march.to_json())
    assert [e.type for e in loaded.journal()] == ["dataset_imported"]
    loaded.set_now(at(2026, 4, 2, 8))
    loaded.create_work_order("BT-L", "Après import", "VOIE-R-JAURES", team="ROANNE-VOIRIE")
    again = Mutualis.replay(loaded.journal_json())
    assert again.to_json() == loaded.to_json()
    assert [e.type for e in again.journal()] == ["dataset_imported", "work_order_created"]


def test_malformed_journals_are_refused() -> None:
    with pytest.raises(mutualis.InvalidJsonError, match="line 1"):
        Mutualis.replay("[{")
    with pytest.raises(mutualis.InvalidJsonError):
        Mutualis.replay('[{"seq": 1}]')
    with pytest.raises(mutualis.InvalidJsonError):
        Mutualis.replay('{"not": "a list"}')
    assert Mutualis.replay("[]").to_json() == Mutualis().to_json()
    # A well-formed journal whose command is refused raises that command's error.
    bad = [{"seq": 1, "at": "2026-03-12T08:00:00Z", "actor": "x",
            "event": {"type": "service_added", "tenant": "NOPE", "code": "S", "name": "S"}}]
    with pytest.raises(mutualis.UnknownTenantError):
        Mutualis.replay(json.dumps(bad))


def test_amounts_in_journal_are_strings(march: Mutualis) -> None:
    rate = next(e for e in march.journal() if e.type == "labour_rate_set")
    assert json.loads(rate.data)["rate"] == "38.50"
    roanne = [r.rate for r in march.labour_rates() if r.tenant == "ROANNE" and r.team is None]
    assert [Decimal(json.loads(rate.data)["rate"])] == roanne
