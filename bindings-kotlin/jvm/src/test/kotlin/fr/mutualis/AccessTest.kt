package fr.mutualis

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/** Access rights (DOMAIN §8): policies as data, and a registry bound to a principal with `asPrincipal`. */
class AccessTest {

    @TempDir
    lateinit var dir: Path

    private val always = d(2020, 1, 1)
    private val day = d(2026, 3, 12)

    /**
     * [field] with the surveillance company `VEILLE`, its work orders `BT-17` and `BT-18` on the
     * gymnasium (in progress), a contractor assigned `BT-17` only, an agent of the agglomeration
     * (which holds the gymnasium Roanne owns) and an elected official of Roanne.
     */
    private fun seed(): Mutualis = field().also {
        it.addSupplier("VEILLE", "Veille Bâtiments", "44306184100047", listOf("surveillance"))
        for (code in listOf("BT-17", "BT-18")) {
            it.createWorkOrder(
                NewWorkOrder(code, "Ronde de surveillance", "GYM-COUBERTIN", supplier = "VEILLE", serviceTenant = "AGGLO", service = "SPORTS")
            )
            it.startWorkOrder(code, at(2026, 3, 12, 7))
        }
        it.addPrincipal("veille.dupont", "Jean Dupont (Veille)", PrincipalKind.CONTRACTOR, supplier = "VEILLE")
        it.addPrincipal("agglo.sports", "Agent sports", PrincipalKind.AGENT, tenant = "AGGLO")
        it.addPrincipal("roanne.elu", "Élu de Roanne", PrincipalKind.ELECTED, tenant = "ROANNE")
        it.addRole("INTERVENANT", "Intervenant", listOf("work:write"))
        it.addRole("AGENT", "Agent technique", listOf("assets:write", "work:write", "stock:write"))
        it.addRole("ELU", "Élu", listOf("assets:read", "work:read", "budgets:read", "settlements:read"))
        it.grant("veille.dupont", "INTERVENANT", Scope.WorkOrders(listOf("BT-17")), always)
        it.grant("agglo.sports", "AGENT", Scope.Tenant("AGGLO"), always)
        it.grant("roanne.elu", "ELU", Scope.Tenant("ROANNE"), always)
        it.setClock(at(2026, 3, 12, 9))
    }

    @Test
    fun `principals, roles and grants are records and survive the dataset`() {
        seed().use { m ->
            assertEquals(
                listOf(
                    Principal("veille.dupont", "Jean Dupont (Veille)", PrincipalKind.CONTRACTOR, null, "VEILLE"),
                    Principal("agglo.sports", "Agent sports", PrincipalKind.AGENT, "AGGLO", null),
                    Principal("roanne.elu", "Élu de Roanne", PrincipalKind.ELECTED, "ROANNE", null),
                ),
                m.principals(),
            )
            assertEquals(listOf("assets:write", "work:write", "stock:write"), m.roles().single { it.code == "AGENT" }.permissions)
            assertEquals(
                listOf(Grant("veille.dupont", "INTERVENANT", Scope.WorkOrders(listOf("BT-17")), always, null)),
                m.grantsOf("veille.dupont"),
            )
            m.addPrincipal("dsi", "DSI", PrincipalKind.ADMINISTRATOR)
            val scopes = listOf(
                Scope.Group, Scope.Service("ROANNE", "SPORTS"), Scope.Subtree("GYM-COUBERTIN"), Scope.Budget("AGGLO", 2026),
            )
            for (s in scopes) m.grant("dsi", "ELU", s, always, d(2030, 12, 31))
            assertEquals(scopes, m.grantsOf("dsi").map { it.scope })
            Mutualis.fromJson(m.toJson()).use { again ->
                assertEquals(m.grantsOf("dsi"), again.grantsOf("dsi"))
                assertEquals(m.principals(), again.principals())
            }
        }
    }

    @Test
    fun `allowed follows custody, keys and scopes`() {
        seed().use { m ->
            assertTrue(m.allowed("agglo.sports", "assets:write", AccessTarget.Asset("GYM-COUBERTIN"), day))
            assertTrue(m.allowed("roanne.elu", "assets:read", AccessTarget.Asset("GYM-COUBERTIN"), day))
            assertFalse(m.allowed("roanne.elu", "assets:write", AccessTarget.Asset("GYM-COUBERTIN"), day))
            assertTrue(m.allowed("veille.dupont", "work:write", AccessTarget.WorkOrder("BT-17"), day))
            assertFalse(m.allowed("veille.dupont", "work:write", AccessTarget.WorkOrder("BT-18"), day))
            assertFalse(m.allowed("veille.dupont", "settlements:read", AccessTarget.Group, day))
            assertFalse(m.allowed("veille.dupont", "work:write", AccessTarget.WorkOrder("BT-17"), d(2019, 12, 31)))
            assertThrows(MutualisException.UnknownKind::class.java) {
                m.allowed("veille.dupont", "work:delete", AccessTarget.Group, day)
            }
            assertThrows(MutualisException.UnknownPrincipal::class.java) { m.asPrincipal("nobody") }
        }
    }

    @Test
    fun `a contractor assigned work order 17 only`() {
        seed().use { m ->
            val veille = m.asPrincipal("veille.dupont")
            assertEquals("veille.dupont", veille.principal())
            assertNull(m.principal())
            val before = m.toJson()
            val refused = assertThrows(MutualisException.Forbidden::class.java) {
                veille.recordExternal("BT-18", day, "Ronde", eur("120.00"), VatRate.STANDARD, supplier = "VEILLE")
            }
            assertTrue(refused.message!!.contains("veille.dupont"))
            assertTrue(refused.message!!.contains("work:write"))
            assertTrue(refused.message!!.contains("BT-18"))
            assertEquals(before, m.toJson())
            assertThrows(MutualisException.Forbidden::class.java) { veille.workOrderCost("BT-18") }
            assertThrows(MutualisException.Forbidden::class.java) { veille.asset("VH-ROANNE-1") }
            assertThrows(MutualisException.Forbidden::class.java) { veille.settlementMatrix(2026) }
            assertThrows(MutualisException.Forbidden::class.java) { veille.setActor("quelqu'un") }
            // hours on 17 are accepted and journalled with the contractor as actor
            veille.recordExternal("BT-17", day, "Ronde", eur("120.00"), VatRate.STANDARD, supplier = "VEILLE")
            assertEquals(eur("120.00"), m.workOrderCost("BT-17").total.ht)
            assertEquals("veille.dupont", m.journal().last().actor)
            assertEquals(eur("120.00"), veille.workOrderCost("BT-17").total.ht)
        }
    }

    @Test
    fun `the holder's agent writes an asset it does not own, the owner's elected official only reads`() {
        seed().use { m ->
            val agent = m.asPrincipal("agglo.sports")
            agent.setAttribute("GYM-COUBERTIN", "alarme", "oui")
            assertEquals("oui", m.asset("GYM-COUBERTIN").attributes["alarme"])
            assertThrows(MutualisException.Forbidden::class.java) { agent.setAttribute("PLACE-VILLEREST", "alarme", "oui") }
            assertThrows(MutualisException.Forbidden::class.java) {
                m.asPrincipal("roanne.elu").setAttribute("GYM-COUBERTIN", "alarme", "non")
            }
            assertEquals("oui", m.asset("GYM-COUBERTIN").attributes["alarme"])
        }
    }

    @Test
    fun `queries through a handle answer only what the principal may read`() {
        seed().use { m ->
            m.recordExternal("BT-17", day, "Ronde", eur("120.00"), VatRate.STANDARD, supplier = "VEILLE")
            m.recordExternal("BT-18", day, "Ronde", eur("80.00"), VatRate.STANDARD, supplier = "VEILLE")
            val elu = m.asPrincipal("roanne.elu")
            assertEquals(m.assets().filter { it.owner == "ROANNE" }.map { it.code }.toSet(), elu.assets().map { it.code }.toSet())
            assertThrows(MutualisException.Forbidden::class.java) { elu.asset("PLACE-VILLEREST") }
            assertEquals(m.asset("GYM-COUBERTIN"), elu.asset("GYM-COUBERTIN"))
            assertEquals(m.payers("GYM-COUBERTIN", day), elu.payers("GYM-COUBERTIN", day))
            assertEquals(m.workOrderCost("BT-17"), elu.workOrderCost("BT-17"))
            assertEquals(m.workOrderLines("BT-17"), elu.workOrderLines("BT-17"))
            assertEquals(m.workOrderCharges("BT-17"), elu.workOrderCharges("BT-17"))
            assertEquals(m.holder("GYM-COUBERTIN", day), elu.holder("GYM-COUBERTIN", day))
            assertEquals("ROANNE", elu.ownerOn("GYM-COUBERTIN", day))
            assertEquals(m.children("GYM-COUBERTIN"), elu.children("GYM-COUBERTIN"))
            assertEquals(m.custodyHistory("GYM-COUBERTIN"), elu.custodyHistory("GYM-COUBERTIN"))
            assertThrows(MutualisException.Forbidden::class.java) { elu.holder("PLACE-VILLEREST", day) }
            val veille = m.asPrincipal("veille.dupont")
            assertEquals(1uL, veille.supplierActivity("VEILLE").interventions)
            assertEquals(2uL, m.supplierActivity("VEILLE").interventions)
            assertEquals(emptyList<Asset>(), veille.assets())
            assertEquals(emptyList<Request>(), veille.requests())
            assertThrows(MutualisException.Forbidden::class.java) { veille.rollup("GYM-COUBERTIN") }
            assertEquals(emptyList<WorkOrder>(), veille.workOrdersOfTeam("ROANNE-SPORTS"))
            // queries not open to principals are refused, never answered whole
            assertThrows(MutualisException.Forbidden::class.java) { veille.tenants() }
            assertThrows(MutualisException.Forbidden::class.java) { veille.journal() }
            assertThrows(MutualisException.Forbidden::class.java) { veille.toJson() }
        }
    }

    @Test
    fun `sync refuses a device's event whose principal lacked the grant, and applies the rest`() {
        Store(dir.resolve("central.db").toString(), "central").use { central ->
            Store(dir.resolve("tablet.db").toString(), "tablette-veille").use { tablet ->
                seed().use { central.commit(it) }
                seed().use { tablet.commit(it) }
                val n0 = tablet.head()
                tablet.setActor("veille.dupont")  // the app does not check grants itself
                tablet.checkout().use { t ->
                    t.recordExternal("BT-17", day, "Ronde", eur("120.00"), VatRate.STANDARD, supplier = "VEILLE")
                    t.recordExternal("BT-18", day, "Ronde", eur("80.00"), VatRate.STANDARD, supplier = "VEILLE")
                    tablet.commit(t)
                }
                val report = central.importEvents(tablet.exportSince(n0))
                assertEquals(1uL, report.applied)
                val conflict = report.conflicts.single()
                assertEquals(n0 + 2, conflict.originSeq)
                assertEquals("forbidden", conflict.kind)
                assertTrue(conflict.message.contains("BT-18"))
                central.registry().use { r ->
                    assertEquals(eur("120.00"), r.workOrderCost("BT-17").total.ht)
                    assertEquals(0uL, r.workOrderCost("BT-18").lines)
                }
            }
        }
    }

    @Test
    fun `a device replicates the central journal that an upload import would refuse`() {
        Store.inMemory("central").use { central ->
            seed().use { central.commit(it) }  // its administrator acts through the unchecked façade
            val export = central.exportSince(0)
            Store.inMemory("tablette-1").use { strict ->
                val refused = strict.importEvents(export)
                assertTrue(refused.conflicts.isNotEmpty())
                assertEquals("forbidden", refused.conflicts.first().kind)
            }
            Store.inMemory("tablette-2").use { tablet ->
                val pulled = tablet.replicate(export)
                assertEquals(central.head().toULong(), pulled.applied)
                assertEquals(emptyList<SyncConflict>(), pulled.conflicts)
                tablet.registry().use { t -> central.registry().use { c -> assertEquals(c.toJson(), t.toJson()) } }
                assertEquals(0uL, tablet.replicate(export).applied)
            }
        }
    }
}
