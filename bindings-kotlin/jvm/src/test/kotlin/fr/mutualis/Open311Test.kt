package fr.mutualis

import java.math.BigDecimal
import java.time.Duration
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Issue 17 from Kotlin: routing by competence (VILLEREST by territory, AGGLO by custody, manual),
 * the statistics hand case (1, 2, 3, 4, 10 days → mean 4, median 3, per provider) and GeoReport calls.
 */
class Open311Test {

    private fun same(expected: String, actual: BigDecimal?) =
        assertEquals(0, BigDecimal(expected).compareTo(actual), "expected $expected, got $actual")

    private val villerest =
        """{"type":"Polygon","coordinates":[[[4.00,45.98],[4.06,45.98],[4.06,46.02],[4.00,46.02],[4.00,45.98]]]}"""
    private val t0 = at(2026, 3, 2, 9)

    private fun seed(m: Mutualis): RequestCatalogue {
        m.addTenant("AGGLO", "Agglo", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("VILLEREST", "Villerest", TenantKind.COMMUNE, "214203317", "42332")
        m.addTenant("MABLY", "Mably", TenantKind.COMMUNE, "214212706", "42127")
        m.addAsset(NewAsset(code = "LAMP-1", name = "Candélabre", kind = AssetKind.BUILDING, owner = "VILLEREST", commissioned = LocalDate.of(2000, 1, 1)))
        m.grantCustody("LAMP-1", "AGGLO", LocalDate.of(2026, 1, 1), null)
        val c = RequestCatalogue()
        c.setAgglomeration(m, "AGGLO")
        c.addCategory(m, "VILLEREST", "eclairage", "Éclairage public", 5u)
        c.addCategory(m, "AGGLO", "divers", "Divers")
        c.setCompetence("eclairage", Competence.COMMUNES)
        c.addTerritory(m, "VILLEREST", villerest)
        return c
    }

    @Test
    fun `VILLEREST by territory, AGGLO by custody, no rule is manual`() = Mutualis().use { m ->
        val c = seed(m)
        assertEquals(RoutingOutcome("VILLEREST", "territory"), c.submit(m, "R1", "eclairage", "Lampe", t0, lat = 46.01, lon = 4.05))
        assertEquals(RoutingOutcome("AGGLO", "asset_holder"), c.submit(m, "R2", "eclairage", "Lampe", t0, asset = "LAMP-1", lat = 46.01, lon = 4.05))
        assertEquals(RoutingOutcome(null, "manual"), c.submit(m, "R3", "divers", "Autre", t0, lat = 46.01, lon = 4.05))
        assertEquals(listOf("R3"), c.pending())
        assertThrows(MutualisException.UnknownTenant::class.java) { c.routeByHand(m, "R3", "NOPE") }
        c.routeByHand(m, "R3", "MABLY")
        assertEquals(emptyList<String>(), c.pending())
        assertThrows(MutualisException.InvalidField::class.java) { c.submit(m, "R9", "nope", "x", t0) }
        Unit
    }

    @Test
    fun `delays 1 2 3 4 10 days give mean 4 and median 3, per provider too`() = Mutualis().use { m ->
        val c = seed(m)
        m.addService("VILLEREST", "VOIRIE", "Voirie")
        m.addTeam("T-VIL", "VILLEREST", "Régie", null)
        m.addSupplier("SUP", "Fournisseur", "73282932000074", emptyList())
        listOf(1L, 2L, 3L, 4L, 10L).forEachIndexed { i, days ->
            val code = "S$i"
            val rec = t0.plus(Duration.ofDays(i.toLong()))
            m.receiveRequest(NewRequest(code, RequestOrigin.CITIZEN_PORTAL, "eclairage", "x", "VILLEREST", rec, service = "VOIRIE"))
            if (i < 3) {
                m.createWorkOrder(NewWorkOrder("W$i", "t", "LAMP-1", team = "T-VIL", requests = listOf(code)))
            } else {
                m.createWorkOrder(NewWorkOrder("W$i", "t", "LAMP-1", supplier = "SUP", requests = listOf(code)))
            }
            m.setRequestStatus(code, RequestStatus.FIXED, rec.plus(Duration.ofDays(days)))
        }
        val s = c.statistics(m, StatsBy.SERVICE).single()
        assertEquals("VILLEREST/VOIRIE", s.key)
        assertEquals(5uL, s.received)
        same("4", s.closureMean)
        same("3", s.closureMedian)
        same("10", s.closureP90)
        same("0.8", s.withinTarget)
        val p = c.statistics(m, StatsBy.PROVIDER).associateBy { it.key }
        same("2", p.getValue("T-VIL").closureMean)
        same("2", p.getValue("T-VIL").closureMedian)
        same("7", p.getValue("SUP").closureMean)
        same("7", p.getValue("SUP").closureMedian)
        m.receiveRequest(NewRequest("OPEN", RequestOrigin.AGENT, "eclairage", "x", "VILLEREST", t0))
        val o = c.overdue(m, t0.plus(Duration.ofDays(7))).single()
        assertEquals("OPEN", o.code)
        same("2", o.daysLate)
    }

    @Test
    fun `GeoReport service list, POST and read`() = Mutualis().use { m ->
        val c = seed(m)
        assertTrue(c.services(GeoFormat.JSON).startsWith("""[{"service_code":"eclairage","service_name":"Éclairage public","""))
        assertTrue(c.services(GeoFormat.XML).startsWith("""<?xml version="1.0" encoding="utf-8"?><services><service><service_code>eclairage</service_code>"""))
        val created = c.createRequest(m, mapOf("service_code" to "eclairage", "lat" to "46.01", "long" to "4.05"), t0, GeoFormat.JSON)
        assertTrue(created.startsWith("""[{"service_request_id":"WEB-1","""), created)
        val read = c.requests(m, mapOf("service_request_id" to "WEB-1"), GeoFormat.XML)
        assertTrue(read.contains("<status>open</status>"), read)
        assertTrue(read.contains("<agency_responsible>Villerest</agency_responsible>"), read)
        assertThrows(MutualisException.InvalidField::class.java) {
            c.createRequest(m, mapOf("service_code" to "nope", "lat" to "46", "long" to "4"), t0, GeoFormat.JSON)
        }
        assertThrows(MutualisException.InvalidField::class.java) {
            c.createRequest(m, mapOf("service_code" to "eclairage"), t0, GeoFormat.JSON)
        }
        assertEquals(1, Regex("<request>").findAll(c.requests(m, emptyMap(), GeoFormat.XML)).count())
    }
}
