"""The Open311 GeoReport v2 server (``mutualis-server``) spoken to from Python
with the standard library only (``urllib``): the built binary is started on a
free local port over a fresh demo store (``--init-demo``: the Roannais
scenario and its catalogue).

``scripts/test-python.sh`` builds the binary and exports its path as
``MUTUALIS_SERVER_BIN``. Without it the tests are skipped, except in CI
(``CI=true``), where a missing binary is a failure."""

import json
import os
import pathlib
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

KEY = "py-key-7c2e"
IN_VILLEREST = {"lat": "46.01", "long": "4.05"}
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
]


def server_binary() -> str:
    path = os.environ.get("MUTUALIS_SERVER_BIN", "")
    if path and pathlib.Path(path).is_file():
        return path
    message = (
        "the server binary is absent: MUTUALIS_SERVER_BIN=%r (scripts/test-python.sh builds it with "
        "`cargo build -p mutualis-server` and sets it)" % path
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


class Server:
    def __init__(self, workdir: pathlib.Path) -> None:
        self.proc = subprocess.Popen(
            [server_binary(), "--store", "demo.db", "--catalogue", "cat.json", "--api-key", KEY,
             "--listen", "127.0.0.1:0", "--init-demo", "--quiet"],
            cwd=str(workdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on http://"), (line, self.proc.stderr.read() if self.proc.stderr else "")
        self.base = line[len("listening on "):]

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        for f in (self.proc.stdout, self.proc.stderr):
            if f is not None:
                f.close()
        return code

    def call(self, method: str, path: str, body: Optional[bytes] = None,
             ctype: str = "application/x-www-form-urlencoded") -> Tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")

    def get(self, path: str) -> Tuple[int, Any]:
        status, ctype, text = self.call("GET", path)
        return status, (json.loads(text) if "json" in ctype else text)

    def post(self, fields: Dict[str, str], fmt: str = "json", key: Optional[str] = KEY) -> Tuple[int, Any]:
        form = dict(fields)
        if key is not None:
            form["api_key"] = key
        status, ctype, text = self.call("POST", "/requests." + fmt, urllib.parse.urlencode(form).encode())
        return status, (json.loads(text) if fmt == "json" else text)

    def request_count(self) -> int:
        status, body = self.get("/requests.json")
        assert status == 200
        return len(body)


@pytest.fixture
def server(tmp_path: pathlib.Path) -> Iterator[Server]:
    s = Server(tmp_path)
    yield s
    if s.proc.poll() is None:
        s.stop()


def test_services_follow_the_spec_in_json_and_xml(server: Server) -> None:
    status, services = server.get("/services.json")
    assert status == 200
    assert [s["service_code"] for s in services] == ["eclairage", "dechets", "divers"]
    for s in services:
        assert list(s) == SERVICE_FIELDS
        assert isinstance(s["metadata"], bool) and s["type"] == "realtime"
    status, _, xml = server.call("GET", "/services.xml")
    assert status == 200
    root = ET.fromstring(xml.encode())
    assert root.tag == "services"
    for el in root:
        assert el.tag == "service"
        assert [c.tag for c in el] == SERVICE_FIELDS
    assert root[1].findtext("metadata") == "true"


def test_posts_are_routed_and_read_back(server: Server) -> None:
    status, created = server.post({"service_code": "eclairage", "description": "Lampe éteinte",
                                   "email": "a@example.org", **IN_VILLEREST})
    assert status == 201, created
    assert list(created[0]) == ["service_request_id", "service_notice", "account_id"]
    rid = created[0]["service_request_id"]
    status, got = server.get("/requests/%s.json" % rid)
    assert status == 200
    assert [k for k in got[0] if k != "extended_status"] == REQUEST_FIELDS
    assert got[0]["agency_responsible"] == "Commune de Villerest"
    assert got[0]["description"] == "Lampe éteinte"
    assert "a@example.org" not in json.dumps(got)
    # the same category on an asset in custody of the agglomeration
    status, text = server.post({"service_code": "eclairage", "address_id": "VOIE-ZA-MABLY", **IN_VILLEREST}, "xml")
    assert status == 201
    rid2 = ET.fromstring(text.encode()).findtext("request/service_request_id")
    status, _, xml = server.call("GET", "/requests/%s.xml" % rid2)
    assert ET.fromstring(xml.encode()).findtext("request/agency_responsible") == "Roannais Agglomération"
    # no rule: a token, the request is kept
    status, created = server.post({"service_code": "divers", "address_string": "Place du marché"})
    assert status == 201 and "token" in created[0]
    status, tok = server.get("/tokens/%s.json" % created[0]["token"])
    assert status == 200 and tok[0]["service_request_id"] is None


def test_refusals_store_nothing(server: Server) -> None:
    before = server.request_count()
    cases: List[Tuple[int, Any]] = [
        (400, server.post({"service_code": "nope", **IN_VILLEREST})),
        (400, server.post({"service_code": "eclairage"})),  # no location
        (400, server.post({"service_code": "eclairage", **IN_VILLEREST}, key=None)),
        (403, server.post({"service_code": "eclairage", **IN_VILLEREST}, key="wrong")),
    ]
    status, _, text = server.call("POST", "/requests.json", b"api_key=" + KEY.encode() + b"&service_code=%ZZ")
    cases.append((400, (status, json.loads(text))))
    status, _, text = server.call("POST", "/requests.json", b'{"service_code":', "application/json")
    cases.append((400, (status, json.loads(text))))
    big = urllib.parse.urlencode({"api_key": KEY, "service_code": "eclairage", "description": "x" * 100_000,
                                  **IN_VILLEREST}).encode()
    status, _, text = server.call("POST", "/requests.json", big)
    cases.append((413, (status, json.loads(text))))
    for want, (status, body) in cases:
        assert status == want, body
        assert isinstance(body, list) and len(body) == 1
        assert set(body[0]) == {"code", "description"} and body[0]["code"] == want
    status, _, xml = server.call("POST", "/requests.xml", urllib.parse.urlencode({"service_code": "x"}).encode())
    assert status == 400
    err = ET.fromstring(xml.encode())
    assert err.tag == "errors" and err.findtext("error/code") == "400"
    assert server.request_count() == before


def test_a_restart_keeps_the_requests(tmp_path: pathlib.Path) -> None:
    s = Server(tmp_path)
    status, created = s.post({"service_code": "dechets", "address_string": "Rue Mulsant"})
    assert status == 201
    rid = created[0]["service_request_id"]
    assert s.stop() == 0  # SIGTERM: a clean stop
    s = Server(tmp_path)
    try:
        status, got = s.get("/requests/%s.json" % rid)
        assert status == 200 and got[0]["agency_responsible"] == "Roannais Agglomération"
    finally:
        assert s.stop() == 0


def test_opus_patrimoine_is_public_and_costless(server: Server) -> None:
    status, geo = server.get("/patrimoine.geojson")
    assert status == 200 and geo["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in geo["features"]]
    assert codes == ["GYM-COUBERTIN", "EV-PARC-MABLY"]
    assert geo["features"][0]["geometry"]["coordinates"] == [4.0679, 46.0443]
    status, facilities = server.get("/patrimoine.json")
    assert status == 200
    text = json.dumps(facilities).lower()
    for needle in ("cost", "ttc", "amount", "maison-services", "floor_area"):
        assert needle not in text
