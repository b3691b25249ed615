"""Issue 17 from Python: routing by competence, statistics, Open311 GeoReport v2."""

import datetime as dt
import json
from decimal import Decimal

import pytest

import mutualis
from mutualis import Mutualis, RequestCatalogue

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
    c = RequestCatalogue()
    c.set_agglomeration(m, "AGGLO")
    c.add_category(m, "VILLEREST", "eclairage", "Éclairage public", target_days=5)
    c.add_category(m, "AGGLO", "divers", "Divers")
    c.set_competence("eclairage", "communes")
    c.add_territory(m, "VILLEREST", VILLEREST)
    return m, c


def test_routing_acceptance() -> None:
    m, c = seed()
    assert c.submit(m, "R1", "citizen_portal", "eclairage", "Lampe", T0, lat=46.01, lon=4.05) == (
        "VILLEREST",
        "territory",
    )
    assert c.submit(
        m, "R2", "citizen_portal", "eclairage", "Lampe", T0, lat=46.01, lon=4.05, asset="LAMP-1"
    ) == ("AGGLO", "asset_holder")
    assert c.submit(m, "R3", "citizen_portal", "divers", "Autre", T0, lat=46.01, lon=4.05) == (
        None,
        "manual",
    )
    assert c.pending() == ["R3"]
    with pytest.raises(mutualis.UnknownTenantError):
        c.route_by_hand(m, "R3", "NOPE")
    assert c.pending() == ["R3"]
    c.route_by_hand(m, "R3", "MABLY")
    assert c.pending() == []
    with pytest.raises(mutualis.InvalidFieldError):
        c.submit(m, "R9", "citizen_portal", "nope", "x", T0)
    with pytest.raises(mutualis.InvalidFieldError):
        c.set_competence("eclairage", "everyone")  # type: ignore[arg-type]
    assert RequestCatalogue.from_json(c.to_json()).to_json() == c.to_json()


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
    [v] = c.statistics(m, "service")
    assert v.key == "VILLEREST/VOIRIE"
    assert (v.received, v.closed, v.open) == (5, 5, 0)
    assert v.closure_mean == Decimal(4)
    assert v.closure_median == Decimal(3)
    assert v.closure_p90 == Decimal(10)
    assert v.within_target == Decimal("0.8")
    by = {r.key: r for r in c.statistics(m, "provider")}
    assert (by["T-VIL"].closure_mean, by["T-VIL"].closure_median) == (Decimal(2), Decimal(2))
    assert (by["SUP"].closure_mean, by["SUP"].closure_median) == (Decimal(7), Decimal(7))
    cols = c.statistics_columns(m, "provider")
    assert cols["key"] == ["SUP", "T-VIL"]
    assert cols["closure_mean"] == [Decimal(7), Decimal(2)]
    m.receive_request("OPEN", "agent", "eclairage", "x", "VILLEREST", T0)
    [o] = c.overdue(m, T0 + dt.timedelta(days=7))
    assert (o.code, o.days_late) == ("OPEN", Decimal(2))
    with pytest.raises(mutualis.InvalidFieldError):
        c.statistics(m, "colour")  # type: ignore[arg-type]


def test_georeport_calls() -> None:
    m, c = seed()
    services = json.loads(c.services())
    assert [s["service_code"] for s in services] == ["eclairage", "divers"]
    assert list(services[0]) == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]
    assert c.services("xml").startswith('<?xml version="1.0" encoding="utf-8"?><services>')
    created = json.loads(
        c.create_request(m, [("service_code", "eclairage"), ("lat", "46.01"), ("long", "4.05")], T0)
    )
    rid = created[0]["service_request_id"]
    [r] = json.loads(c.requests(m, [("service_request_id", rid)]))
    assert r["status"] == "open"
    assert r["agency_responsible"] == "Villerest"
    assert "<status>open</status>" in c.requests(m, format="xml")
    token = json.loads(c.create_request(m, [("service_code", "divers"), ("address_string", "Mairie")], T0))
    assert token[0]["token"] == "WEB-2"
    assert json.loads(c.token(m, "WEB-2")) == [{"service_request_id": None, "token": "WEB-2"}]
    n = len(json.loads(c.requests(m)))
    with pytest.raises(mutualis.InvalidFieldError):
        c.create_request(m, [("service_code", "nope"), ("lat", "46"), ("long", "4")], T0)
    with pytest.raises(mutualis.InvalidFieldError):
        c.create_request(m, [("service_code", "eclairage")], T0)
    assert len(json.loads(c.requests(m))) == n
    with pytest.raises(mutualis.InvalidFieldError):
        c.services("yaml")  # type: ignore[arg-type]
