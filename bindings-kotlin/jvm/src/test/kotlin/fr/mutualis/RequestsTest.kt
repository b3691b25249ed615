package fr.mutualis

import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Citizen requests (DOMAIN §7): Open311-compatible statuses, delays, the
 * request → work order → cost history of the journal (DOMAIN §8), and the
 * journal replayed on another copy.
 */
class RequestsTest {

    private val m = field()
    private val received = at(2026, 3, 2, 9)

    @AfterEach
    fun close() = m.close()

    private fun receive() = m.receiveRequest(
        NewRequest(
            code = "DI-1", origin = RequestOrigin.CITIZEN_PORTAL, category = "peinture",
            description = "Peinture écaillée dans la grande salle", tenant = "AGGLO", received = received,
            service = "SPORTS", asset = "GYM-COUBERTIN", address = "Rue de Charlieu, 42300 Roanne",
            lat = 46.0446, lon = 4.0722,
        )
    )

    /** The whole story of DOMAIN §8: request, work order, costs, closure. */
    private fun story() {
        receive()
        m.setActor("agent.sports")
        m.setRequestStatus("DI-1", RequestStatus.INVESTIGATING, at(2026, 3, 3, 9), note = "visite prévue")
        m.createWorkOrder(NewWorkOrder("BT-DI-1", "Reprise peinture", "GYM-COUBERTIN-SALLE", team = "ROANNE-SPORTS", requests = listOf("DI-1")))
        m.setRequestStatus("DI-1", RequestStatus.ACTION_SCHEDULED, at(2026, 3, 5, 9))
        m.startWorkOrder("BT-DI-1", at(2026, 3, 12, 7))
        m.recordLabour("BT-DI-1", d(2026, 3, 12), BigDecimal("6.5"))
        m.recordMaterial("BT-DI-1", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", BigDecimal("12"))
        m.setWorkOrderStatus("BT-DI-1", WorkOrderStatus.DONE, at(2026, 3, 12, 17))
        m.setRequestStatus("DI-1", RequestStatus.FIXED, at(2026, 3, 12, 18))
        m.setWorkOrderStatus("BT-DI-1", WorkOrderStatus.CLOSED, at(2026, 3, 13, 9))
    }

    @Test
    fun `a received request keeps every field and is open`() {
        receive()
        val r = m.request("DI-1")
        assertEquals(
            Request(
                code = "DI-1", origin = RequestOrigin.CITIZEN_PORTAL, category = "peinture",
                description = "Peinture écaillée dans la grande salle", tenant = "AGGLO", service = "SPORTS",
                asset = "GYM-COUBERTIN", address = "Rue de Charlieu, 42300 Roanne", lat = 46.0446, lon = 4.0722,
                received = received, status = RequestStatus.OPEN, history = emptyList(),
            ),
            r,
        )
        assertEquals("open", r.status.open311())
        assertEquals(listOf("DI-1"), m.requests().map { it.code })
        assertEquals(RequestDelays(null, null), m.requestDelays("DI-1"))
    }

    @Test
    fun `Open311 status of every detailed status`() {
        val closed = setOf(
            RequestStatus.FIXED, RequestStatus.DUPLICATE, RequestStatus.NOT_COUNCILS_RESPONSIBILITY,
            RequestStatus.NO_FURTHER_ACTION, RequestStatus.CLOSED,
        )
        for (s in RequestStatus.entries) {
            assertEquals(if (s in closed) "closed" else "open", s.open311(), s.name)
            assertEquals(s in closed, s.isClosed(), s.name)
        }
    }

    @Test
    fun `statuses, delays and the closed-request rule`() {
        story()
        val r = m.request("DI-1")
        assertEquals(RequestStatus.FIXED, r.status)
        assertEquals("closed", r.status.open311())
        assertEquals(
            listOf(
                StatusChange(at(2026, 3, 3, 9), RequestStatus.INVESTIGATING, "visite prévue"),
                StatusChange(at(2026, 3, 5, 9), RequestStatus.ACTION_SCHEDULED, null),
                StatusChange(at(2026, 3, 12, 18), RequestStatus.FIXED, null),
            ),
            r.history,
        )
        val delays = m.requestDelays("DI-1")
        assertEquals(Duration.ofHours(24), delays.toFirstResponse)
        assertEquals(Duration.ofDays(10).plusHours(9), delays.toClosure)
        // A closed request can only be reopened.
        val e = assertThrowsExactly<MutualisException.IllegalTransition> {
            m.setRequestStatus("DI-1", RequestStatus.IN_PROGRESS, at(2026, 3, 14, 9))
        }
        assertEquals("request \"DI-1\" cannot go from fixed to in_progress", e.message)
        m.setRequestStatus("DI-1", RequestStatus.OPEN, at(2026, 3, 14, 9), note = "la peinture s'écaille encore")
        assertEquals("open", m.request("DI-1").status.open311())
        // The delay to closure stays the first closure.
        assertEquals(Duration.ofDays(10).plusHours(9), m.requestDelays("DI-1").toClosure)
    }

    @Test
    fun `routing to another tenant is an internal referral`() {
        m.receiveRequest(
            NewRequest("DI-2", RequestOrigin.PHONE, "eclairage", "Lampadaire éteint place du bourg", "AGGLO", received)
        )
        m.routeRequest("DI-2", "VILLEREST", "TECH", at(2026, 3, 2, 10, 15))
        val r = m.request("DI-2")
        assertEquals("VILLEREST", r.tenant)
        assertEquals("TECH", r.service)
        assertEquals(RequestStatus.INTERNAL_REFERRAL, r.status)
        assertEquals("open", r.status.open311())
        assertEquals(listOf(StatusChange(at(2026, 3, 2, 10, 15), RequestStatus.INTERNAL_REFERRAL, "routed to VILLEREST / TECH")), r.history)
        assertEquals(Duration.ofMinutes(75), m.requestDelays("DI-2").toFirstResponse)
        assertNull(m.requestDelays("DI-2").toClosure)
    }

    @Test
    fun `the history goes request, work order, cost lines, in order`() {
        story()
        val h = m.requestHistory("DI-1")
        assertEquals(
            listOf(
                "request_received", "request_status_changed", "work_order_created", "request_status_changed",
                "work_order_status_changed", "cost_recorded", "cost_recorded", "work_order_status_changed",
                "request_status_changed", "work_order_status_changed",
            ),
            h.map { it.type },
        )
        assertTrue(h.zipWithNext().all { (a, b) -> a.seq < b.seq })
        assertEquals("setup", h.first().actor)
        assertTrue(h.drop(1).all { it.actor == "agent.sports" })
        assertTrue(h.all { it.at == SETUP_TIME }, "the fixture's fixed clock")
        assertEquals("AGGLO", h.first().tenant)
        val cost = h.first { it.type == "cost_recorded" }
        assertEquals("ROANNE", cost.tenant, "the performing régie's tenant")
        assertTrue(cost.json.contains("\"type\":\"cost_recorded\""), cost.json)
        assertTrue(cost.json.contains("\"work_order\":\"BT-DI-1\""), cost.json)
        assertTrue(cost.json.contains("\"hours\":\"6.5\""), "amounts stay exact strings: ${cost.json}")
        assertEquals(h, m.journal().filter { it.seq in h.map { e -> e.seq } })
        assertThrowsExactly<MutualisException.UnknownRequest> { m.requestHistory("NOPE") }
    }

    @Test
    fun `replaying the journal of a device gives the same registry`() {
        story()
        val json = m.journalJson()
        Mutualis.replay(json).use { copy ->
            assertEquals(m.toJson(), copy.toJson())
            assertEquals(m.journal(), copy.journal(), "same entries, actors and times")
            assertEquals(m.request("DI-1"), copy.request("DI-1"))
            assertEquals(m.workOrderCost("BT-DI-1"), copy.workOrderCost("BT-DI-1"))
            assertEquals(json, copy.journalJson())
            // The copy keeps working.
            copy.receiveRequest(NewRequest("DI-3", RequestOrigin.AGENT, "serrurerie", "Porte bloquée", "AGGLO", received))
        }
    }

    @Test
    fun `a registry loaded from a dataset still replays`() {
        story()
        Mutualis.fromJson(m.toJson()).use { loaded ->
            assertEquals(listOf("dataset_imported"), loaded.journal().map { it.type })
            loaded.setActor("tablette-roanne-07")
            loaded.receiveRequest(NewRequest("DI-3", RequestOrigin.AGENT, "serrurerie", "Porte bloquée", "AGGLO", received))
            Mutualis.replay(loaded.journalJson()).use { copy -> assertEquals(loaded.toJson(), copy.toJson()) }
        }
    }

    @Test
    fun `a broken journal is refused`() {
        assertThrowsExactly<MutualisException.InvalidJson> { Mutualis.replay("not a journal") }
        assertThrowsExactly<MutualisException.InvalidJson> { Mutualis.replay("""[{"seq":1}]""") }
        // An entry that does not apply names its seq.
        story()
        val tampered = m.journalJson().replace("\"code\":\"BT-GYM-2\"", "\"code\":\"BT-GYM-1\"")
        val e = assertThrowsExactly<MutualisException.DuplicateWorkOrder> { Mutualis.replay(tampered) }
        assertTrue(e.message!!.matches(Regex("journal entry \\d+: work order \"BT-GYM-1\" already exists")), e.message)
        assertEquals(Mutualis().use { it.toJson() }, Mutualis.replay("[]").use { it.toJson() })
    }

    @Test
    fun `instants cross exactly, to the nanosecond`() {
        val precise = Instant.parse("2026-03-02T09:00:00.123456789Z")
        m.receiveRequest(NewRequest("DI-4", RequestOrigin.MAIL, "voirie", "Trottoir", "AGGLO", precise))
        assertEquals(precise, m.request("DI-4").received)
        val millis = Instant.ofEpochMilli(1_773_306_000_123L)
        m.setClock(millis)
        m.setRequestStatus("DI-4", RequestStatus.INVESTIGATING, millis)
        assertEquals(millis, m.journal().last().at)
        assertEquals(Duration.ofMillis(1_773_306_000_123L).minus(Duration.between(Instant.EPOCH, precise)), m.requestDelays("DI-4").toFirstResponse)
        // Before the epoch too.
        val old = Instant.parse("1969-07-20T20:17:40.5Z")
        m.receiveRequest(NewRequest("DI-5", RequestOrigin.MAIL, "voirie", "Trottoir", "AGGLO", old))
        assertEquals(old, m.request("DI-5").received)
        assertFalse(m.request("DI-5").status.isClosed())
    }
}
