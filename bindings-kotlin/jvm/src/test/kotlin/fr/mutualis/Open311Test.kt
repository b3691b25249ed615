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
        val c = RequestCatalogue(m)
        c.setAgglomeration("AGGLO")
        c.addCategory("VILLEREST", "eclairage", "Éclairage public", 5u)
        c.addCategory("AGGLO", "divers", "Divers")
        c.setCompetence("eclairage", Competence.COMMUNES)
        c.addTerritory("VILLEREST", villerest)
        return c
    }

    @Test
    fun `VILLEREST by territory, AGGLO by custody, no rule is manual`() = Mutualis().use { m ->
        val c = seed(m)
        assertEquals(RoutingOutcome("VILLEREST", "territory"), c.submit("R1", "eclairage", "Lampe", t0, lat = 46.01, lon = 4.05))
        assertEquals(RoutingOutcome("AGGLO", "asset_holder"), c.submit("R2", "eclairage", "Lampe", t0, asset = "LAMP-1", lat = 46.01, lon = 4.05))
        assertEquals(RoutingOutcome(null, "manual"), c.submit("R3", "divers", "Autre", t0, lat = 46.01, lon = 4.05))
        assertEquals(listOf("R3"), c.pending())
        assertThrows(MutualisException.UnknownTenant::class.java) { c.routeByHand("R3", "NOPE") }
        c.routeByHand("R3", "MABLY")
        assertEquals(emptyList<String>(), c.pending())
        assertThrows(MutualisException.UnknownServiceCode::class.java) { c.submit("R9", "nope", "x", t0) }
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
        val s = c.statistics(StatsBy.SERVICE).single()
        assertEquals("VILLEREST/VOIRIE", s.key)
        assertEquals(5uL, s.received)
        same("4", s.closureMean)
        same("3", s.closureMedian)
        same("10", s.closureP90)
        same("0.8", s.withinTarget)
        val p = c.statistics(StatsBy.PROVIDER).associateBy { it.key }
        same("2", p.getValue("T-VIL").closureMean)
        same("2", p.getValue("T-VIL").closureMedian)
        same("7", p.getValue("SUP").closureMean)
        same("7", p.getValue("SUP").closureMedian)
        m.receiveRequest(NewRequest("OPEN", RequestOrigin.AGENT, "eclairage", "x", "VILLEREST", t0))
        val o = c.overdue(t0.plus(Duration.ofDays(7))).single()
        assertEquals("OPEN", o.code)
        same("2", o.daysLate)
    }

    @Test
    fun `GeoReport service list, POST and read`() = Mutualis().use { m ->
        val c = seed(m)
        assertTrue(c.services(GeoFormat.JSON).startsWith("""[{"service_code":"eclairage","service_name":"Éclairage public","""))
        assertTrue(c.services(GeoFormat.XML).startsWith("""<?xml version="1.0" encoding="utf-8"?><services><service><service_code>eclairage</service_code>"""))
        val created = c.createRequest(mapOf("service_code" to "eclairage", "lat" to "46.01", "long" to "4.05"), t0, GeoFormat.JSON)
        assertTrue(created.startsWith("""[{"service_request_id":"WEB-1","""), created)
        val read = c.requests(mapOf("service_request_id" to "WEB-1"), GeoFormat.XML)
        assertTrue(read.contains("<status>open</status>"), read)
        assertTrue(read.contains("<agency_responsible>Villerest</agency_responsible>"), read)
        assertThrows(MutualisException.UnknownServiceCode::class.java) {
            c.createRequest(mapOf("service_code" to "nope", "lat" to "46", "long" to "4"), t0, GeoFormat.JSON)
        }
        assertThrows(MutualisException.MissingLocation::class.java) {
            c.createRequest(mapOf("service_code" to "eclairage"), t0, GeoFormat.JSON)
        }
        assertEquals(1, Regex("<request>").findAll(c.requests(emptyMap(), GeoFormat.XML)).count())
    }

    @Test
    fun `category attributes, all statistics columns, and the catalogue saved with the registry`() = Mutualis().use { m ->
        val c = seed(m)
        c.addCategory(
            "VILLEREST", "tags", "Tags", 3u, group = "Propreté", description = "Tags sur un mur", keywords = listOf("tag"),
            attributes = listOf(CategoryAttribute("SURFACE", "singlevaluelist", true, "Quelle surface ?", 1u, listOf(AttributeValue("mur", "Mur")))),
        )
        c.setCompetence("tags", Competence.COMMUNES)
        val def = c.serviceDefinition("tags", GeoFormat.JSON)
        assertTrue(def.contains(""""values":[{"key":"mur","name":"Mur"}]"""), def)
        assertThrows(MutualisException.MissingLocation::class.java) {
            c.createRequest(mapOf("service_code" to "tags", "attribute[SURFACE]" to "mur"), t0, GeoFormat.JSON)
        }
        c.createRequest(mapOf("service_code" to "tags", "lat" to "46.01", "long" to "4.05", "attribute[SURFACE]" to "mur"), t0, GeoFormat.JSON)
        c.createRequest(mapOf("service_code" to "divers", "address_string" to "Mairie"), t0, GeoFormat.JSON)
        assertEquals(listOf("WEB-2"), c.pending())
        assertThrows(MutualisException.AwaitingRouting::class.java) { m.setRequestStatus("WEB-2", RequestStatus.FIXED, t0) }
        assertThrows(MutualisException.UnknownToken::class.java) { c.token("NOPE", GeoFormat.JSON) }
        m.setRequestStatus("WEB-1", RequestStatus.FIXED, t0.plus(Duration.ofDays(1)))
        val s = c.statistics(StatsBy.ALL).single()
        assertEquals(1uL, s.firstResponseCount)
        assertEquals(1uL, s.withTarget)
        same("1", s.withinTarget)
        // the catalogue is the registry's: its dataset and its journal carry it
        val json = c.toJson()
        Mutualis.fromJson(m.toJson()).use { back ->
            assertEquals(json, RequestCatalogue(back).toJson())
            assertEquals(listOf("WEB-2"), RequestCatalogue(back).pending())
        }
        // a catalogue file imports as commands into another registry
        Mutualis().use { other ->
            other.addTenant("AGGLO", "Agglo", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
            other.addTenant("VILLEREST", "Villerest", TenantKind.COMMUNE, "214203317", "42332")
            RequestCatalogue(other).importJson(json)
            assertEquals(listOf("eclairage", "divers", "tags"), RequestCatalogue(other).categories())
        }
    }
}
