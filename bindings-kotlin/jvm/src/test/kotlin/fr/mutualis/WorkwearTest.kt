package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Habillement / EPI (issue 15) from Kotlin: the hand-worked cases of the
 * issue, each on a fresh registry. By hand: PANTALON received 3 at 30.00
 * then 4 at 32.15 → CMUP 218.60 / 7 = 31.228571… → 31.2286; 2 issued →
 * 62.4572 → 62.46; one more → 31.23. A harness issued 2021-02-10 with a
 * 60-month lifetime expires 2026-02-10.
 */
class WorkwearTest {

    private fun d(y: Int, m: Int, j: Int): LocalDate = LocalDate.of(y, m, j)

    private fun same(expected: String, actual: BigDecimal?) =
        assertEquals(0, BigDecimal(expected).compareTo(actual), "expected $expected, got $actual")

    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        m.addService("ROANNE", "VOIRIE", "Voirie")
        m.addService("ROANNE", "EV", "Espaces verts")
        m.addStore("MAG-ROANNE", "ROANNE", "Magasin central")
        m.addItem("PANTALON", "Pantalon de travail", "pièce")
        m.addItem("HARNAIS", "Harnais antichute", "pièce")
        m.receiveStock("MAG-ROANNE", "PANTALON", d(2026, 1, 2), BigDecimal("3"), BigDecimal("30.00"))
        m.receiveStock("MAG-ROANNE", "PANTALON", d(2026, 1, 5), BigDecimal("4"), BigDecimal("32.15"))
        m.receiveStock("MAG-ROANNE", "HARNAIS", d(2021, 1, 5), BigDecimal("2"), BigDecimal("189.00"))
        m.addWorkwearItem(WorkwearItem("EPI-PANT", "Pantalon multipoches", "PANTALON", sizes = listOf("38", "40", "42", "44"), standards = listOf("EN ISO 13688")))
        m.addWorkwearItem(WorkwearItem("EPI-HARNAIS", "Harnais antichute", "HARNAIS", standards = listOf("EN 361"), lifetimeMonths = 60u))
        m.addAgent(Agent("ROANNE", "M001", "J. Martin", "VOIRIE", "cantonnier", mapOf("tour de taille" to "42"), d(2020, 1, 1)))
        m.addAgent(Agent("ROANNE", "M002", "A. Dubois", "EV", "élagueur", emptyMap(), start = d(2019, 5, 1)))
        m.setAllotment(Allotment("ROANNE", "EPI-PANT", 2u, 12u, job = "cantonnier"))
        m.setAllotment(Allotment("ROANNE", "EPI-HARNAIS", 1u, 60u, job = "élagueur", initial = true))
        return m
    }

    private fun pant(on: LocalDate, q: String = "1", replaces: ReturnReason? = null) =
        NewWorkwearIssue("ROANNE", "M001", "EPI-PANT", "MAG-ROANNE", on, BigDecimal(q), size = "42", replaces = replaces)

    @Test
    fun `2 trousers issued 2026-01-15 every 12 months are next due 2027-01-15, valued at CMUP, charged to the service`() = seed().use { m ->
        val i = m.issueWorkwear(pant(d(2026, 1, 15), "2"))
        same("31.2286", i.cmup)
        same("62.46", i.value)
        assertEquals("VOIRIE", i.service)
        assertEquals(1uL, i.number)
        assertFalse(i.warning)
        assertNull(i.expires)
        same("5", m.stockLevel("MAG-ROANNE", "PANTALON").quantity)
        val due = m.renewalsDue("ROANNE", d(2027, 12, 31)).filter { it.item == "EPI-PANT" }
        assertEquals(1, due.size)
        assertEquals(d(2027, 1, 15), due[0].due)
        assertEquals(2u, due[0].quantity)
        assertEquals(d(2026, 1, 15), due[0].lastIssue)
        assertTrue(m.renewalsDue("ROANNE", d(2027, 1, 14)).none { it.item == "EPI-PANT" })
        assertEquals(listOf("EPI-PANT"), m.renewalsDue("ROANNE", d(2027, 12, 31), from = d(2027, 1, 1)).map { it.item })
        val harness = m.renewalsDue("ROANNE", d(2027, 12, 31)).single { it.item == "EPI-HARNAIS" }
        assertEquals(d(2019, 5, 1), harness.due)
        assertTrue(harness.initial)
    }

    @Test
    fun `a third pair in 2026 is refused under refuse and recorded with a warning under warn`() = seed().use { m ->
        m.issueWorkwear(pant(d(2026, 1, 15), "2"))
        val before = m.toJson()
        val e = assertThrows(MutualisException.AllotmentExceeded::class.java) { m.issueWorkwear(pant(d(2026, 6, 1))) }
        assertTrue(e.message!!.contains("exceeds the allotment of 2 per period (2 already issued in it)"), e.message)
        assertEquals(before, m.toJson())
        assertEquals(OverrunPolicy.REFUSE, m.workwearPolicy("ROANNE"))
        m.setWorkwearPolicy("ROANNE", OverrunPolicy.WARN)
        val third = m.issueWorkwear(pant(d(2026, 6, 1)))
        assertTrue(third.warning)
        same("31.23", third.value)
        val w = m.allotmentWarnings("ROANNE").single()
        assertEquals(2uL, w.issue)
        assertEquals(2u, w.allowed)
        same("2", w.already)
        same("1", w.requested)
        // a replacement is outside the allotment, even under refuse
        m.setWorkwearPolicy("ROANNE", OverrunPolicy.REFUSE)
        val r = m.issueWorkwear(pant(d(2026, 7, 1), replaces = ReturnReason.DAMAGED))
        assertEquals(ReturnReason.DAMAGED, r.replaces)
        assertEquals(ReturnReason.DAMAGED, m.workwearReturns("ROANNE").single().reason)
        val held = m.agentHoldings("ROANNE", "M001")
        same("3", held.fold(BigDecimal.ZERO) { a, h -> a + h.quantity })
        assertEquals(d(2026, 1, 15), held[0].issued)
    }

    @Test
    fun `a harness past its expiry is listed`() = seed().use { m ->
        val i = m.issueWorkwear(NewWorkwearIssue("ROANNE", "M002", "EPI-HARNAIS", "MAG-ROANNE", d(2021, 2, 10), BigDecimal.ONE))
        same("189.00", i.value)
        assertEquals(d(2026, 2, 10), i.expires)
        assertTrue(m.expiredWorkwear("ROANNE", d(2026, 2, 9)).isEmpty())
        val x = m.expiredWorkwear("ROANNE", d(2026, 6, 1)).single()
        assertEquals(listOf("M002", "EPI-HARNAIS"), listOf(x.agent, x.item))
        assertEquals(d(2026, 2, 10), x.expires)
        m.returnWorkwear(WorkwearReturn("ROANNE", "M002", "EPI-HARNAIS", d(2026, 6, 2), BigDecimal.ONE, ReturnReason.WORN))
        assertTrue(m.expiredWorkwear("ROANNE", d(2026, 6, 3)).isEmpty())
        assertTrue(m.agentHoldings("ROANNE", "M002").isEmpty())
    }

    @Test
    fun `spending per service against the budget line, year on year, and the forecast at CMUP`() = seed().use { m ->
        m.addBudget("ROANNE", 2026, ChargeBasis.TTC, OverrunPolicy.WARN)
        m.addBudgetLine("ROANNE", 2026, "60636-VOIRIE", "VOIRIE", "60636", BigDecimal("1000.00"))
        m.setWorkwearBudgetLine("ROANNE", "VOIRIE", "60636-VOIRIE")
        assertEquals("60636-VOIRIE", m.issueWorkwear(pant(d(2026, 1, 15), "2")).budgetLine)
        m.issueWorkwear(NewWorkwearIssue("ROANNE", "M002", "EPI-HARNAIS", "MAG-ROANNE", d(2025, 3, 1), BigDecimal.ONE))
        val line = m.budgetStatus("ROANNE", 2026).single { it.code == "60636-VOIRIE" }
        same("62.46", line.committed)
        same("937.54", line.remaining)
        val rows = m.workwearSpending("ROANNE", 2026, SpendingBy.SERVICE)
        assertEquals(listOf("EV", "VOIRIE"), rows.map { it.key })
        same("189.00", rows[0].previous)
        same("-189.00", rows[0].change)
        same("62.46", rows[1].spent)
        assertEquals("60636-VOIRIE", rows[1].budgetLine)
        same("1000.00", rows[1].credits)
        same("937.54", rows[1].remaining)
        same("62.46", m.workwearSpending("ROANNE", 2026, SpendingBy.TENANT).single().spent)
        assertEquals(listOf("EPI-HARNAIS", "EPI-PANT"), m.workwearSpending("ROANNE", 2026, SpendingBy.ITEM).map { it.key })
        assertEquals(listOf("M001", "M002"), m.workwearSpending("ROANNE", 2026, SpendingBy.AGENT).map { it.key })
        val f = m.renewalForecast("ROANNE", 2027).single()
        assertEquals(listOf("EPI-PANT", "MAG-ROANNE"), listOf(f.item, f.store))
        same("2", f.quantity)
        same("31.2286", f.cmup)
        same("62.46", f.value)
        assertEquals(2, m.workwearIssues("ROANNE").size)
        assertEquals(listOf("M001", "M002"), m.agents("ROANNE").map { it.matricule })
        assertEquals(listOf("EPI-PANT", "EPI-HARNAIS"), m.workwearItems().map { it.code })
        assertEquals(2, m.allotments("ROANNE").size)
        m.endAgentAssignment("ROANNE", "M001", d(2027, 1, 14))
        assertTrue(m.renewalForecast("ROANNE", 2027).isEmpty())
    }

    @Test
    fun `bad input is refused with typed errors and changes nothing`() = seed().use { m ->
        m.issueWorkwear(pant(d(2026, 1, 15)))
        val before = m.toJson()
        val cases: List<Pair<Class<out MutualisException>, () -> Unit>> = listOf(
            MutualisException.UnknownAgent::class.java to { m.issueWorkwear(NewWorkwearIssue("ROANNE", "M999", "EPI-PANT", "MAG-ROANNE", d(2026, 2, 1), BigDecimal.ONE)) },
            MutualisException.UnknownWorkwearItem::class.java to { m.issueWorkwear(NewWorkwearIssue("ROANNE", "M001", "EPI-X", "MAG-ROANNE", d(2026, 2, 1), BigDecimal.ONE)) },
            MutualisException.SizeNotOffered::class.java to { m.issueWorkwear(pant(d(2026, 2, 1)).copy(size = "56")) },
            MutualisException.InvalidQuantity::class.java to { m.issueWorkwear(pant(d(2026, 2, 1), "-1")) },
            MutualisException.AgentNotAssigned::class.java to { m.issueWorkwear(pant(d(2019, 12, 31))) },
            MutualisException.AllotmentExceeded::class.java to { m.issueWorkwear(pant(d(2026, 2, 1), "2")) },
            MutualisException.DuplicateAgent::class.java to { m.addAgent(Agent("ROANNE", "M001", "X", "VOIRIE", "cantonnier", emptyMap(), start = d(2020, 1, 1))) },
            MutualisException.DuplicateWorkwearItem::class.java to { m.addWorkwearItem(WorkwearItem("EPI-PANT", "Bis", "PANTALON")) },
        )
        for ((cls, call) in cases) {
            assertThrows(cls) { call() }
            assertEquals(before, m.toJson(), cls.simpleName)
        }
        m.setAllotment(Allotment("ROANNE", "EPI-PANT", 50u, 12u, agent = "M001"))
        val more = m.toJson()
        assertThrows(MutualisException.InsufficientStock::class.java) { m.issueWorkwear(pant(d(2026, 2, 1), "7")) }
        assertEquals(more, m.toJson())
        // the dataset round trip
        assertEquals(more, Mutualis.fromJson(more).use { it.toJson() })
    }
}
