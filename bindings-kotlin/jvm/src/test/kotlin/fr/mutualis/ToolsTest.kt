package fr.mutualis

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal
import java.time.LocalDate

/** CSV imports and the PPI scheduler from Kotlin. */
class ToolsTest {
    private fun registry(): Mutualis {
        val m = Mutualis()
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        return m
    }

    @Test
    fun assetCsvReportsBadLinesAndImportsTheRest() {
        registry().use { m ->
            val csv = "code;name;kind;owner;commissioned;floor_area\n" +
                "GYM;Gymnase;building;ROANNE;01/09/1975;2 150,5\n" +
                "SALLE;Salle;room;ROANNE;1975-09-01;\n" +
                "BAD;Château;castle;ROANNE;1975-09-01;\n"
            val before = m.toJson()
            val e = assertThrows<MutualisException.CsvRows> { m.importAssetsCsv(csv, true) }
            assertTrue(e.message!!.contains("line 4"), e.message)
            assertEquals(before, m.toJson())
            val report = m.importAssetsCsv(csv, false)
            assertEquals(2uL, report.imported)
            assertEquals(listOf(4uL), report.errors.map { it.line })
            assertEquals("unknown_kind", report.errors[0].kind)
            assertEquals(0, BigDecimal("2150.5").compareTo(m.asset("GYM").floorArea))
        }
    }

    private fun cand(code: String, priority: UInt, cost: Int, profile: List<ULong>, deps: List<String> = emptyList()) =
        Candidate(code, "ROANNE", priority, BigDecimal(cost), 2026, profile, deps)

    @Test
    fun scheduleWorkedByHand() {
        // caps 500 per year 2026–2028: A 300+300 (2026–27); B 400 cannot fit
        // 2026 or 2027, goes to 2028; C (after A) finds no room; D 200 fills 2026.
        val caps = (2026..2028).map { YearCap("ROANNE", it, BigDecimal(500)) }
        val plan = schedulePlan(
            listOf(
                cand("A", 1u, 600, listOf(50uL, 50uL)),
                cand("B", 2u, 400, listOf(100uL)),
                cand("C", 3u, 300, listOf(100uL), listOf("A")),
                cand("D", 4u, 200, listOf(100uL)),
            ),
            caps, 2026, 2028, emptyMap(),
        )
        assertEquals(listOf("A" to 2026, "B" to 2028, "D" to 2026), plan.placed.map { it.code to it.start })
        assertEquals(listOf("C"), plan.notPlaced.map { it.code })
        val totals = plan.totals.associate { it.year to it.amount }
        assertEquals(0, BigDecimal(500).compareTo(totals[2026]))
        assertEquals(0, BigDecimal(300).compareTo(totals[2027]))
        assertEquals(0, BigDecimal(400).compareTo(totals[2028]))
        // revalued by an index: B costs 400 × 106 / 100 = 424.00 in 2028
        val indexed = schedulePlan(
            listOf(cand("B", 2u, 400, listOf(100uL))),
            caps, 2028, 2028, mapOf(2026 to BigDecimal(100), 2028 to BigDecimal(106)),
        )
        assertEquals(BigDecimal("424.00"), indexed.placed[0].cp[0].amount)
        assertThrows<MutualisException.CyclicDependency> {
            schedulePlan(listOf(cand("X", 1u, 1, listOf(1uL), listOf("Y")), cand("Y", 1u, 1, listOf(1uL), listOf("X"))), caps, 2026, 2028, emptyMap())
        }
    }

    @Test
    fun candidatesComeFromTheRegistry() {
        registry().use { m ->
            m.addAsset(NewAsset("GYM", "Gymnase", AssetKind.BUILDING, "ROANNE", LocalDate.of(1975, 9, 1)))
            m.addOperation(
                NewOperation(
                    code = "OP-TOIT", tenant = "ROANNE", title = "Toiture", workType = "toiture",
                    priority = 1u, estimatedCost = BigDecimal("380000.00"), earliestYear = 2027, profile = listOf(1uL),
                    assets = listOf("GYM"),
                ),
            )
            val c = m.planCandidates("ROANNE")
            assertEquals(listOf("OP-TOIT"), c.map { it.code })
            assertEquals("ROANNE", c[0].tenant)
            assertThrows<MutualisException.UnknownTenant> { m.planCandidates("NOPE") }
        }
    }
}
