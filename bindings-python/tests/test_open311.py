"""Issue 17 from Python: routing by competence, statistics, Open311 GeoReport v2."""

import datetime as dt
import pathlib
import json
from decimal import Decimal
from typing import Callable, List, Type

import pytest

import mutualis
from mutualis import Mutualis, RequestCatalogue

# the request portal's error classes, each raised below (test_registry.py
# checks every core error class is exercised somewhere)
OPEN311_ERRORS_EXERCISED: List[Type[mutualis.MutualisError]] = [
    mutualis.UnknownServiceCodeError,
    mutualis.AwaitingRoutingError,
    mutualis.UnknownTokenError,
    mutualis.MissingLocationError,
]

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
VILLEREST = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [[[4.00, 45.98], [4.06, 45.98], [4.06, 46.02], [4.00, 46.02], [4.00, 45.98]]],
    }
)


def seed() -> tuple[Mutualis, RequestCatalogue]:
    m = Mutualis()
    m.add_tenant("AGGLO", "Agglo", "communaute_d_agglomeration", "200035731")
    m.add_tenant("VILLEREST", "Villerest", "commune", "214203317", "42332")
    m.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
    m.add_asset("LAMP-1", "Candélabre", "building", "VILLEREST", dt.date(2000, 1, 1))
    m.grant_custody("LAMP-1", "AGGLO", dt.date(2026, 1, 1))
    c = m.request_catalogue()
    c.set_agglomeration("AGGLO")
    c.add_category("VILLEREST", "eclairage", "Éclairage public", target_days=5)
    c.add_category("AGGLO", "divers", "Divers")
    c.set_competence("eclairage", "communes")
    c.add_territory("VILLEREST", VILLEREST)
    return m, c


def test_routing_acceptance() -> None:
    m, c = seed()
    assert c.submit("R1", "citizen_portal", "eclairage", "Lampe", T0, lat=46.01, lon=4.05) == (
        "VILLEREST",
        "territory",
    )
    assert c.submit("R2", "citizen_portal", "eclairage", "Lampe", T0, lat=46.01, lon=4.05, asset="LAMP-1"
    ) == ("AGGLO", "asset_holder")
    assert c.submit("R3", "citizen_portal", "divers", "Autre", T0, lat=46.01, lon=4.05) == (
        None,
        "manual",
    )
    assert c.pending() == ["R3"]
    with pytest.raises(mutualis.UnknownTenantError):
        c.route_by_hand("R3", "NOPE")
    assert c.pending() == ["R3"]
    c.route_by_hand("R3", "MABLY")
    assert c.pending() == []
    with pytest.raises(mutualis.UnknownServiceCodeError):
        c.submit("R9", "citizen_portal", "nope", "x", T0)
    with pytest.raises(mutualis.InvalidFieldError):
        c.set_competence("eclairage", "everyone")  # type: ignore[arg-type]
    # the catalogue is the registry's: in its journal and its dataset
    assert Mutualis.replay(m.journal_json()).request_catalogue().to_json() == c.to_json()
    assert Mutualis.from_json(m.to_json()).request_catalogue().to_json() == c.to_json()
    other = Mutualis()
    other.add_tenant("AGGLO", "Agglo", "communaute_d_agglomeration", "200035731")
    other.add_tenant("VILLEREST", "Villerest", "commune", "214203317", "42332")
    RequestCatalogue(other).import_json(c.to_json())
    assert other.request_catalogue().categories() == ["eclairage", "divers"]


def test_statistics_hand_case() -> None:
    m, c = seed()
    m.add_service("VILLEREST", "VOIRIE", "Voirie")
    m.add_team("T-VIL", "VILLEREST", "Régie")
    m.add_supplier("SUP", "Fournisseur", "73282932000074")
    for i, days in enumerate([1, 2, 3, 4, 10]):
        code = f"S{i}"
        at = T0 + dt.timedelta(days=i)
        m.receive_request(code, "citizen_portal", "eclairage", "x", "VILLEREST", at, service="VOIRIE")
        if i < 3:
            m.create_work_order(f"W{i}", "t", "LAMP-1", team="T-VIL", requests=[code])
        else:
            m.create_work_order(f"W{i}", "t", "LAMP-1", supplier="SUP", requests=[code])
        m.set_request_status(code, "fixed", at + dt.timedelta(days=days))
    [v] = c.statistics("service")
    assert v.key == "VILLEREST/VOIRIE"
    assert (v.received, v.closed, v.open) == (5, 5, 0)
    assert v.closure_mean == Decimal(4)
    assert v.closure_median == Decimal(3)
    assert v.closure_p90 == Decimal(10)
    assert v.within_target == Decimal("0.8")
    by = {r.key: r for r in c.statistics("provider")}
    assert (by["T-VIL"].closure_mean, by["T-VIL"].closure_median) == (Decimal(2), Decimal(2))
    assert (by["SUP"].closure_mean, by["SUP"].closure_median) == (Decimal(7), Decimal(7))
    cols = c.statistics_columns("provider")
    assert cols["key"] == ["SUP", "T-VIL"]
    assert cols["closure_mean"] == [Decimal(7), Decimal(2)]
    m.receive_request("OPEN", "agent", "eclairage", "x", "VILLEREST", T0)
    [o] = c.overdue(T0 + dt.timedelta(days=7))
    assert (o.code, o.days_late) == ("OPEN", Decimal(2))
    with pytest.raises(mutualis.InvalidFieldError):
        c.statistics("colour")  # type: ignore[arg-type]


def test_georeport_calls() -> None:
    m, c = seed()
    services = json.loads(c.services())
    assert [s["service_code"] for s in services] == ["eclairage", "divers"]
    assert list(services[0]) == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]
    assert c.services("xml").startswith('<?xml version="1.0" encoding="utf-8"?><services>')
    created = json.loads(
        c.create_request([("service_code", "eclairage"), ("lat", "46.01"), ("long", "4.05")], T0)
    )
    rid = created[0]["service_request_id"]
    [r] = json.loads(c.requests([("service_request_id", rid)]))
    assert r["status"] == "open"
    assert r["agency_responsible"] == "Villerest"
    assert "<status>open</status>" in c.requests(format="xml")
    token = json.loads(c.create_request([("service_code", "divers"), ("address_string", "Mairie")], T0))
    assert token[0]["token"] == "WEB-2"
    assert json.loads(c.token("WEB-2")) == [{"service_request_id": None, "token": "WEB-2"}]
    n = len(json.loads(c.requests()))
    with pytest.raises(mutualis.UnknownServiceCodeError):
        c.create_request([("service_code", "nope"), ("lat", "46"), ("long", "4")], T0)
    with pytest.raises(mutualis.MissingLocationError):
        c.create_request([("service_code", "eclairage")], T0)
    with pytest.raises(mutualis.UnknownTokenError):
        c.token("NOPE")
    with pytest.raises(mutualis.AwaitingRoutingError):
        m.set_request_status("WEB-2", "fixed", T0)
    assert len(json.loads(c.requests())) == n
    with pytest.raises(mutualis.InvalidFieldError):
        c.services("yaml")  # type: ignore[arg-type]


def test_catalogue_survives_save_load_and_undo(tmp_path: pathlib.Path) -> None:
    m, c = seed()
    c.add_council("CQ", "Conseil", VILLEREST)
    c.create_request([("service_code", "eclairage"), ("lat", "46.01"), ("long", "4.05")], T0)
    c.create_request([("service_code", "divers"), ("address_string", "Mairie")], T0)
    # the dataset (JSON) and the journal
    back = Mutualis.from_json(m.to_json())
    assert back.to_json() == m.to_json()
    assert back.request_catalogue().pending() == ["WEB-2"]
    assert json.loads(back.request_catalogue().token("WEB-2"))[0]["service_request_id"] is None
    assert Mutualis.replay(m.journal_json()).to_json() == m.to_json()
    # the embedded store: the same commands through a store's registry
    path = str(tmp_path / "portal.db")
    with mutualis.Store(path, "t") as s:
        w = s.checkout()
        w.add_tenant("AGGLO", "Agglo", "communaute_d_agglomeration", "200035731")
        w.add_tenant("VILLEREST", "Villerest", "commune", "214203317", "42332")
        w.add_tenant("MABLY", "Mably", "commune", "214212706", "42127")
        cat = w.request_catalogue()
        cat.import_json(c.to_json())
        s.commit(w)
        expected = s.registry().request_catalogue().to_json()
        # each command is discarded by a rollback, the catalogue as it was
        commands: List[Callable[[RequestCatalogue], object]] = [
            lambda k: k.set_agglomeration("MABLY"),
            lambda k: k.add_category("MABLY", "voirie", "Voirie"),
            lambda k: k.set_competence("divers", "communes"),
            lambda k: k.add_territory("MABLY", VILLEREST),
            lambda k: k.add_council("CQ2", "Autre", VILLEREST),
            lambda k: k.submit("U1", "agent", "divers", "x", T0),
            lambda k: k.route_by_hand("WEB-2", "MABLY"),
            lambda k: k.create_request([("service_code", "divers"), ("address_id", "A1")], T0),
        ]
        for command in commands:
            w = s.checkout()
            command(w.request_catalogue())
            assert w.request_catalogue().to_json() != expected
            assert s.rollback() == 1
            assert s.registry().request_catalogue().to_json() == expected
    with mutualis.Store(path, "t") as s:
        r = s.registry()
        assert r.request_catalogue().to_json() == expected
        assert r.request_catalogue().pending() == ["WEB-2"]
        r.request_catalogue().route_by_hand("WEB-2", "MABLY")
        assert r.request_catalogue().pending() == []
