"""Access rights (issue 12, DOMAIN §8): principals, roles and grants as
data; a registry bound to a principal with ``as_principal`` authorises every
command and answers only what the principal may read."""

import datetime
from decimal import Decimal
from typing import Any, Callable, List, Type

import pytest

import mutualis
from mutualis import (
    DuplicatePrincipalError,
    DuplicateRoleError,
    ForbiddenError,
    Grant,
    InvalidFieldError,
    Mutualis,
    Principal,
    Role,
    Scope,
    UnknownKindError,
    UnknownPrincipalError,
    UnknownRoleError,
    UnknownSupplierError,
    UnknownTenantError,
    UnknownWorkOrderError,
)

from conftest import at, d
from test_work import seed, start

ALWAYS = d(2020, 1, 1)


def contractor_seed() -> Mutualis:
    """The work seed, with work orders 17 and 18 ordered from the
    surveillance company, a contractor assigned 17 only, and agents of the
    agglomeration and Roanne."""
    m = seed()
    m.add_supplier("VEILLE", "Veille Bâtiments", "44306184100047", ["surveillance"])
    for code in ("BT-17", "BT-18"):
        m.create_work_order(code, "Ronde de surveillance", "GYM", supplier="VEILLE", service=("AGGLO", "SPORTS"))
        start(m, code)
    m.create_work_order("BT-ROANNE", "Travaux", "VH-ROANNE-1", team="ROANNE-SPORTS")
    start(m, "BT-ROANNE")
    m.add_principal("veille.dupont", "Jean Dupont (Veille)", "contractor", supplier="VEILLE")
    m.add_principal("agglo.sports", "Agent sports", "agent", tenant="AGGLO")
    m.add_principal("roanne.elu", "Élu de Roanne", "elected", tenant="ROANNE")
    m.add_role("INTERVENANT", "Intervenant", ["work:write"])
    m.add_role("AGENT", "Agent technique", ["assets:write", "work:write", "stock:write"])
    m.add_role("ELU", "Élu", ["assets:read", "work:read", "budgets:read", "settlements:read"])
    m.grant("veille.dupont", "INTERVENANT", ALWAYS, work_orders=["BT-17"])
    m.grant("agglo.sports", "AGENT", ALWAYS, tenant="AGGLO")
    m.grant("roanne.elu", "ELU", ALWAYS, tenant="ROANNE")
    m.set_now(at(2026, 3, 12, 9))
    return m


# --- policies as data ------------------------------------------------------------------


def test_principals_roles_and_grants_are_records() -> None:
    m = contractor_seed()
    assert [p.code for p in m.principals()] == ["veille.dupont", "agglo.sports", "roanne.elu"]
    veille = m.principals()[0]
    assert isinstance(veille, Principal)
    assert (veille.kind, veille.tenant, veille.supplier) == ("contractor", None, "VEILLE")
    assert m.principals()[1].tenant == "AGGLO"
    roles = {r.code: r for r in m.roles()}
    assert isinstance(roles["AGENT"], Role)
    assert roles["AGENT"].permissions == ["assets:write", "work:write", "stock:write"]
    assert roles["ELU"].permissions == ["assets:read", "work:read", "budgets:read", "settlements:read"]
    [g] = m.grants_of("veille.dupont")
    assert isinstance(g, Grant) and isinstance(g.scope, Scope)
    assert (g.principal, g.role, g.start, g.end) == ("veille.dupont", "INTERVENANT", ALWAYS, None)
    assert (g.scope.kind, g.scope.work_orders, g.scope.tenant) == ("work_orders", ["BT-17"], None)
    assert "work_orders" in repr(g) and "BT-17" in repr(g)


def test_every_scope_kind_round_trips() -> None:
    m = contractor_seed()
    m.add_principal("dsi", "DSI", "administrator")
    m.grant("dsi", "ELU", ALWAYS, d(2030, 12, 31))
    m.grant("dsi", "ELU", ALWAYS, tenant="ROANNE", service="SPORTS")
    m.grant("dsi", "ELU", ALWAYS, asset="GYM")
    m.grant("dsi", "ELU", ALWAYS, tenant="AGGLO", year=2026)
    scopes = [(g.scope.kind, g.scope.tenant, g.scope.service, g.scope.asset, g.scope.year, g.end)
              for g in m.grants_of("dsi")]
    assert scopes == [
        ("group", None, None, None, None, d(2030, 12, 31)),
        ("service", "ROANNE", "SPORTS", None, None, None),
        ("subtree", None, None, "GYM", None, None),
        ("budget", "AGGLO", None, None, 2026, None),
    ]
    # the grants are in the dataset and come back on reload
    again = Mutualis.from_json(m.to_json())
    assert again.grants_of("dsi") == m.grants_of("dsi")
    assert again.principals() == m.principals() and again.roles() == m.roles()


def test_allowed_follows_custody_and_scopes() -> None:
    m = contractor_seed()
    day = d(2026, 3, 12)
    # the agglomeration's agent writes the gymnasium it holds (Roanne owns it)
    assert m.allowed("agglo.sports", "assets:write", day, asset="GYM")
    assert m.allowed("agglo.sports", "work:write", day, work_order="BT-17")
    # Roanne's elected official reads it (owner) but may not write
    assert m.allowed("roanne.elu", "assets:read", day, asset="GYM")
    assert not m.allowed("roanne.elu", "assets:write", day, asset="GYM")
    # the contractor: its work order only
    assert m.allowed("veille.dupont", "work:write", day, work_order="BT-17")
    assert not m.allowed("veille.dupont", "work:write", day, work_order="BT-18")
    assert not m.allowed("veille.dupont", "assets:read", day, asset="GYM")
    assert not m.allowed("veille.dupont", "settlements:read", day)
    # before the grant's first day, nothing
    assert not m.allowed("veille.dupont", "work:write", d(2019, 12, 31), work_order="BT-17")
    # budgets of a tenant
    assert m.allowed("roanne.elu", "budgets:read", day, tenant="ROANNE", year=2026)
    assert not m.allowed("roanne.elu", "budgets:read", day, tenant="AGGLO", year=2026)


class Bad:
    def __init__(self, cls: Type[Exception], call: Callable[[Mutualis], Any], needle: str) -> None:
        self.cls, self.call, self.needle = cls, call, needle


BAD: List[Bad] = [
    Bad(DuplicatePrincipalError, lambda m: m.add_principal("veille.dupont", "X", "contractor", supplier="VEILLE"),
        "veille.dupont"),
    Bad(InvalidFieldError, lambda m: m.add_principal("x", "X", "agent"), "tenant"),
    Bad(InvalidFieldError, lambda m: m.add_principal("x", "X", "contractor", supplier="VEILLE", tenant="AGGLO"),
        "tenant"),
    Bad(UnknownTenantError, lambda m: m.add_principal("x", "X", "agent", tenant="NOPE"), "NOPE"),
    Bad(UnknownSupplierError, lambda m: m.add_principal("x", "X", "contractor", supplier="NOPE"), "NOPE"),
    Bad(UnknownKindError, lambda m: m.add_principal("x", "X", "mayor", tenant="AGGLO"), "mayor"),
    Bad(DuplicateRoleError, lambda m: m.add_role("ELU", "Élu", ["work:read"]), "ELU"),
    Bad(UnknownKindError, lambda m: m.add_role("R", "R", ["work:delete"]), "delete"),
    Bad(UnknownKindError, lambda m: m.add_role("R", "R", ["garden:read"]), "garden"),
    Bad(UnknownPrincipalError, lambda m: m.grant("nobody", "ELU", ALWAYS), "nobody"),
    Bad(UnknownRoleError, lambda m: m.grant("roanne.elu", "NOPE", ALWAYS), "NOPE"),
    Bad(UnknownWorkOrderError, lambda m: m.grant("roanne.elu", "ELU", ALWAYS, work_orders=["BT-99"]), "BT-99"),
    Bad(InvalidFieldError, lambda m: m.grant("roanne.elu", "ELU", ALWAYS, service="SPORTS"), "scope"),
    Bad(mutualis.DatesOutOfOrderError, lambda m: m.grant("roanne.elu", "ELU", ALWAYS, d(2019, 1, 1)), "2019-01-01"),
    Bad(UnknownPrincipalError, lambda m: m.grants_of("nobody"), "nobody"),
    Bad(UnknownPrincipalError, lambda m: m.allowed("nobody", "work:read", ALWAYS), "nobody"),
    Bad(UnknownKindError, lambda m: m.allowed("roanne.elu", "work", ALWAYS), "permission"),
    Bad(InvalidFieldError, lambda m: m.allowed("roanne.elu", "work:read", ALWAYS, asset="GYM", tenant="AGGLO"),
        "target"),
    Bad(UnknownPrincipalError, lambda m: m.as_principal("nobody"), "nobody"),
]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.cls.__name__)
def test_bad_access_commands_raise_named_errors_and_change_nothing(case: Bad) -> None:
    m = contractor_seed()
    before = m.to_json()
    with pytest.raises(case.cls, match=case.needle):
        case.call(m)
    assert m.to_json() == before


# --- the authorised handle ---------------------------------------------------------------


def test_contractor_assigned_work_order_17_only() -> None:
    m = contractor_seed()
    veille = m.as_principal("veille.dupont")
    assert veille.principal == "veille.dupont" and m.principal is None
    assert repr(veille) == "Mutualis(principal='veille.dupont')"
    before = m.to_json()
    # recording on 18 is refused, names who, what and where, and changes nothing
    with pytest.raises(ForbiddenError) as refused:
        veille.record_external("BT-18", d(2026, 3, 12), "Ronde du 12 mars", Decimal("120.00"), Decimal("20"),
                               supplier="VEILLE")
    err = refused.value
    assert err.principal == "veille.dupont"
    assert err.action.startswith("work:write")
    assert "BT-18" in err.target
    assert m.to_json() == before
    # reading 18, another tenant's asset, the settlement matrix: refused
    with pytest.raises(ForbiddenError, match="BT-18"):
        veille.work_order_cost("BT-18")
    with pytest.raises(ForbiddenError, match="VH-ROANNE-1"):
        veille.asset("VH-ROANNE-1")
    with pytest.raises(ForbiddenError) as matrix:
        veille.settlement_matrix(2026)
    assert matrix.value.action.startswith("settlements:read")
    # recording on 17 is accepted, and journalled with the contractor as actor
    veille.record_external("BT-17", d(2026, 3, 12), "Ronde du 12 mars", Decimal("120.00"), Decimal("20"),
                           supplier="VEILLE")
    assert m.work_order_cost("BT-17").total.ht == Decimal("120.00")
    assert m.journal()[-1].actor == "veille.dupont"
    # its ledger shows its work order's lines only
    m.record_external("BT-18", d(2026, 3, 12), "Ronde", Decimal("80.00"), Decimal("20"), supplier="VEILLE")
    assert set(m.ledger_columns()["work_order"]) == {"BT-17", "BT-18"}
    assert set(veille.ledger_columns()["work_order"]) == {"BT-17"}


def test_a_bound_object_cannot_change_its_actor_or_copy_the_registry() -> None:
    m = contractor_seed()
    veille = m.as_principal("veille.dupont")
    for call in (lambda: veille.set_actor("someone"), lambda: veille.copy(), lambda: veille.to_json()):
        with pytest.raises(ForbiddenError):
            call()
    assert m.actor == "test"


def test_agent_of_the_holder_writes_an_asset_it_does_not_own() -> None:
    m = contractor_seed()
    agent = m.as_principal("agglo.sports")
    agent.set_attribute("GYM", "alarme", "oui")  # held by AGGLO, owned by Roanne
    assert m.asset("GYM").attributes["alarme"] == "oui"
    with pytest.raises(ForbiddenError, match="PLACE-VILLEREST"):
        agent.set_attribute("PLACE-VILLEREST", "alarme", "oui")
    elu = m.as_principal("roanne.elu")
    with pytest.raises(ForbiddenError):
        elu.set_attribute("GYM", "alarme", "non")
    assert m.asset("GYM").attributes["alarme"] == "oui"


# Classes exercised here (for test_registry's census).
ACCESS_ERRORS_EXERCISED = [UnknownPrincipalError, DuplicatePrincipalError, UnknownRoleError, DuplicateRoleError,
                           ForbiddenError]


def test_reads_through_a_handle_are_the_unchecked_answers_filtered() -> None:
    m = contractor_seed()
    m.record_external("BT-17", d(2026, 3, 12), "Ronde", Decimal("120.00"), Decimal("20"), supplier="VEILLE")
    m.record_external("BT-18", d(2026, 3, 12), "Ronde", Decimal("80.00"), Decimal("20"), supplier="VEILLE")
    m.record_labour("BT-ROANNE", d(2026, 3, 12), Decimal("2"))
    elu = m.as_principal("roanne.elu")
    # Roanne's elected official: the assets Roanne owns, holds or pays for
    assert {a.code for a in elu.assets()} == {a.code for a in m.assets() if a.owner == "ROANNE"}
    assert "PLACE-VILLEREST" not in {a.code for a in elu.assets()}
    with pytest.raises(ForbiddenError, match="PLACE-VILLEREST"):
        elu.asset("PLACE-VILLEREST")
    assert elu.asset("GYM") == m.asset("GYM")
    assert elu.payers("GYM", d(2026, 3, 12)) == m.payers("GYM", d(2026, 3, 12))
    # the work orders on its assets and of its régie, with their costs
    assert {w.code for w in elu.work_orders()} == {"BT-17", "BT-18", "BT-ROANNE"}
    assert elu.work_order_cost("BT-ROANNE") == m.work_order_cost("BT-ROANNE")
    assert elu.work_order_charges("BT-17") == m.work_order_charges("BT-17")
    assert elu.cost_lines("BT-17") == m.cost_lines("BT-17")
    # the ledger: the parts Roanne pays, and those of the orders it acts on
    # (the agglomeration's spending on Roanne's gymnasium stays its own)
    full = m.ledger_columns()
    mine = elu.ledger_columns()
    rows = [i for i in range(len(full["line"])) if full["payer"][i] == "ROANNE" or full["work_order"][i] == "BT-ROANNE"]
    assert rows and len(rows) < len(full["line"])
    assert mine == {k: [v[i] for i in rows] for k, v in full.items()}
    # the contractor's ledger group: its own work order's line only
    veille = m.as_principal("veille.dupont")
    grouped = veille.ledger_group(["work_order"])
    assert grouped["work_order"] == ["BT-17"] and grouped["ht"] == [Decimal("120.00")]
    assert veille.supplier_activity("VEILLE").interventions == 1
    assert m.supplier_activity("VEILLE").interventions == 2
    assert veille.cost_by_tag("none").total.ht == Decimal("0.00")
    # queries not open to principals are refused, never answered whole
    assert veille.work_orders(team="ROANNE-SPORTS") == []
    assert [w.code for w in elu.work_orders(team="ROANNE-SPORTS")] == ["BT-ROANNE"]
    # the asset's other queries, for what it may read
    assert elu.holder("GYM", d(2026, 3, 12)) == m.holder("GYM", d(2026, 3, 12))
    assert elu.owner_on("GYM", d(2026, 3, 12)) == "ROANNE"
    assert elu.custody_history("GYM") == m.custody_history("GYM")
    assert elu.ownership_history("GYM") == m.ownership_history("GYM")
    assert elu.children("GYM") == m.children("GYM") and elu.subtree("GYM") == m.subtree("GYM")
    with pytest.raises(ForbiddenError):
        elu.holder("PLACE-VILLEREST", d(2026, 3, 12))
    with pytest.raises(ForbiddenError):
        veille.rollup("GYM")
    assert veille.stock_issues() == [] and veille.budget_warnings() == []
    for call in (lambda: veille.cost_lines(), lambda: veille.journal(), lambda: veille.tenants()):
        with pytest.raises(ForbiddenError):
            call()
    # lists a contractor may not read at all come back empty
    assert veille.assets() == [] and veille.budgets() == [] and veille.requests() == []


def test_a_store_view_bound_to_a_principal_commits_its_accepted_work(tmp_path: Any) -> None:
    with mutualis.Store(str(tmp_path / "p.db"), "central") as store:
        store.commit(contractor_seed())
        work = store.checkout()
        veille = work.as_principal("veille.dupont")
        veille.record_external("BT-17", d(2026, 3, 12), "Ronde", Decimal("120.00"), Decimal("20"), supplier="VEILLE")
        with pytest.raises(ForbiddenError):
            veille.record_external("BT-18", d(2026, 3, 12), "Ronde", Decimal("1.00"), Decimal("20"), supplier="VEILLE")
        assert store.commit(work) == 1
        assert store.journal()[-1].actor == "veille.dupont"


def test_sync_refuses_a_device_event_whose_principal_lacked_the_grant(tmp_path: Any) -> None:
    central = mutualis.Store(str(tmp_path / "central.db"), "central")
    central.commit(contractor_seed())
    # the contractor's tablet holds the same registry; its app does not
    # check grants itself, and works offline
    tablet = mutualis.Store(str(tmp_path / "tablet.db"), "tablette-veille")
    tablet.commit(contractor_seed())
    n0 = tablet.head
    tablet.set_actor("veille.dupont")
    t = tablet.checkout()
    t.record_external("BT-17", d(2026, 3, 12), "Ronde", Decimal("120.00"), Decimal("20"), supplier="VEILLE")
    t.record_external("BT-18", d(2026, 3, 12), "Ronde", Decimal("80.00"), Decimal("20"), supplier="VEILLE")
    tablet.commit(t)
    report = central.import_events(tablet.export_since(n0))
    assert (report.applied, report.duplicates) == (1, 0)
    [(origin_seq, err)] = report.conflicts
    assert origin_seq == n0 + 2
    assert type(err) is ForbiddenError and err.principal == "veille.dupont" and "BT-18" in err.target
    assert central.registry().cost_lines()["work_order"] == ["BT-17"]
    assert central.journal()[-1].actor == "veille.dupont"
    central.close()
    tablet.close()


def test_a_device_replicates_the_central_journal_that_an_upload_import_would_refuse(tmp_path: Any) -> None:
    central = mutualis.Store(str(tmp_path / "central.db"), "central")
    central.commit(contractor_seed())  # its administrator acts through the unchecked façade ("test")
    export = central.export_since(0)
    strict = mutualis.Store.in_memory("tablette-1")
    refused = strict.import_events(export)
    # the administrator's events refused (and what depends on them)
    first = refused.conflicts[0][1]
    assert isinstance(first, ForbiddenError) and first.principal == "test"
    assert any(isinstance(e, mutualis.UnknownRoleError) for _, e in refused.conflicts)
    tablet = mutualis.Store.in_memory("tablette-2")
    pulled = tablet.replicate(export)
    assert (pulled.applied, pulled.conflicts) == (central.head, [])
    assert tablet.registry().to_json() == central.registry().to_json()
    again = tablet.replicate(export)  # idempotent
    assert (again.applied, again.duplicates) == (0, central.head)
    central.close()
