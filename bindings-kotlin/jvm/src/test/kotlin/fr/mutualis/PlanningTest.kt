package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Multi-year investment plans (DOMAIN §6): AP/CP votes, payments, year
 * closes with carry-over or cancellation, revisions, the PPI per building,
 * and refusals that change nothing.
 */
class PlanningTest {

    /** Equal amounts whatever their scale (the core gives 0 for an empty year). */
    private fun assertAmount(expected: String, actual: BigDecimal?, what: String = "") =
        assertTrue(actual != null && eur(expected).compareTo(actual) == 0, "$what: expected $expected, got $actual")

    private val gymCp = mapOf(2025 to eur("200000.00"), 2026 to eur("600000.00"), 2027 to eur("400000.00"))

    /** [roannais] with Roanne's RBF (carry-over) and the gymnasium's energy renovation operation. */
    private fun gymPlan(): Mutualis = roannais().also { m ->
        m.setRbfRules("ROANNE", carryOver = true, reference = "RBF du 12 décembre 2024, art. 8")
        m.addOperation(
            NewOperation(
                "OP-GYM-ENERGIE", "ROANNE", "Rénovation énergétique du gymnase", "renovation-energetique",
                eur("1200000.00"), 2025, listOf(1uL, 3uL, 2uL), assets = listOf("GYM-COUBERTIN"),
            )
        )
        m.voteAp(
            NewAp(
                "AP-GYM", "ROANNE", "Rénovation énergétique, gymnase", 2025, eur("1200000.00"), gymCp,
                operations = listOf("OP-GYM-ENERGIE"),
            )
        )
    }

    /** Σ paid in closed years + Σ CP of open years. */
    private fun invariantSum(ap: Ap): BigDecimal =
        ap.paid.filterKeys { y -> ap.closedThrough != null && y <= ap.closedThrough!! }.values.fold(BigDecimal.ZERO, BigDecimal::add) +
            ap.schedule.values.fold(BigDecimal.ZERO, BigDecimal::add)

    @Test
    fun `DOMAIN 6 worked example, every intermediate figure`() {
        gymPlan().use { m ->
            // Voted 2025: 1 200 000.00 with CP 200 000 / 600 000 / 400 000.
            var ap = m.ap("AP-GYM")
            assertEquals("ROANNE", ap.tenant)
            assertEquals(2025, ap.votedYear)
            assertEquals(eur("1200000.00"), ap.voted)
            assertEquals(eur("1200000.00"), ap.amount)
            assertEquals(gymCp, ap.schedule)
            assertEquals(emptyMap<Int, BigDecimal>(), ap.paid)
            assertNull(ap.closedThrough)
            assertEquals(false, ap.lapsed)
            assertEquals(emptyList<ApRevision>(), ap.revisions)
            assertEquals(listOf("OP-GYM-ENERGIE"), ap.operations)

            // 150 000.00 paid in 2025 (two mandats).
            m.payAp("AP-GYM", d(2025, 6, 30), eur("100000.00"))
            m.payAp("AP-GYM", d(2025, 11, 15), eur("50000.00"))
            ap = m.ap("AP-GYM")
            assertEquals(mapOf(2025 to eur("150000.00")), ap.paid)
            val s2025 = m.apSituation("ROANNE", 2025).single()
            assertEquals("AP-GYM", s2025.ap)
            assertAmount("1200000.00", s2025.voted, "voted")
            assertAmount("0", s2025.revisions, "revisions")
            assertAmount("0", s2025.paidBefore, "paid before 2025")
            assertAmount("200000.00", s2025.cpYear, "CP 2025")
            assertAmount("150000.00", s2025.paidYear, "paid 2025")
            assertAmount("1000000.00", s2025.later, "CP after 2025")

            // 2025 closes: the 50 000.00 unspent move to 2026 (RBF carry-over).
            m.closeYear("ROANNE", 2025)
            ap = m.ap("AP-GYM")
            assertEquals(2025, ap.closedThrough)
            assertEquals(mapOf(2026 to eur("650000.00"), 2027 to eur("400000.00")), ap.schedule)
            assertEquals(eur("1200000.00"), ap.amount)
            assertEquals(emptyList<ApRevision>(), ap.revisions)
            assertAmount("1200000.00", invariantSum(ap), "150 000 + 650 000 + 400 000")

            // Revision in 2026: AP 1 300 000.00, the +100 000.00 going to 2027 (500 000.00).
            assertEquals(mapOf(2026 to eur("650000.00"), 2027 to eur("500000.00")), m.respread("AP-GYM", 2026, eur("1300000.00"), Respread.LAST_YEAR))
            assertEquals(mapOf(2026 to eur("711904.76"), 2027 to eur("438095.24")), m.respread("AP-GYM", 2026, eur("1300000.00"), Respread.PROPORTIONAL))
            assertThrows(MutualisException.YearClosed::class.java) { m.respread("AP-GYM", 2025, eur("1300000.00"), Respread.LAST_YEAR) }
            val byRule = Mutualis.fromJson(m.toJson())
            byRule.respreadAp("AP-GYM", 2026, eur("1300000.00"), Respread.LAST_YEAR)
            m.reviseAp("AP-GYM", 2026, eur("1300000.00"), mapOf(2026 to eur("650000.00"), 2027 to eur("500000.00")))
            assertEquals(byRule.ap("AP-GYM"), m.ap("AP-GYM"))
            ap = m.ap("AP-GYM")
            assertEquals(eur("1200000.00"), ap.voted)
            assertEquals(eur("1300000.00"), ap.amount)
            assertEquals(mapOf(2026 to eur("650000.00"), 2027 to eur("500000.00")), ap.schedule)
            assertEquals(mapOf(2025 to eur("150000.00")), ap.paid)
            assertEquals(listOf(ApRevision(2026, eur("1200000.00"), eur("1300000.00"), "révision")), ap.revisions)
            // Check: 150 000 + 650 000 + 500 000 = 1 300 000.
            assertAmount("1300000.00", invariantSum(ap), "150 000 + 650 000 + 500 000")

            val s2026 = m.apSituation("ROANNE", 2026).single()
            assertAmount("1200000.00", s2026.voted, "voted")
            assertAmount("100000.00", s2026.revisions, "revisions")
            assertAmount("1300000.00", s2026.amount, "AP")
            assertAmount("150000.00", s2026.paidBefore, "paid before 2026")
            assertAmount("650000.00", s2026.cpYear, "CP 2026")
            assertAmount("0", s2026.paidYear, "paid 2026")
            assertAmount("500000.00", s2026.later, "CP after 2026")
            assertEquals(false, s2026.lapsed)

            // The PPI: 2025 closed at what was paid, then the open years.
            val rows = m.ppiRows("ROANNE")
            assertEquals(listOf(2025, 2026, 2027), rows.map { it.year })
            assertEquals(listOf(true, false, false), rows.map { it.closed })
            for ((row, expected) in rows.zip(listOf("150000.00", "650000.00", "500000.00"))) {
                assertAmount(expected, row.scheduled, "scheduled ${row.year}")
                assertAmount("1300000.00", row.amount, "AP")
                assertEquals(listOf("GYM-COUBERTIN"), row.assets)
                assertEquals(listOf("renovation-energetique"), row.workTypes)
            }
            assertAmount("150000.00", rows[0].paid, "paid 2025")
            assertAmount("1300000.00", rows.map { it.scheduled }.fold(BigDecimal.ZERO, BigDecimal::add), "Σ PPI")

            // The plan survives the dataset and the journal.
            val json = m.toJson()
            for (copy in listOf(Mutualis.fromJson(json), Mutualis.replay(m.journalJson()))) copy.use {
                assertEquals(json, it.toJson())
                assertEquals(ap, it.ap("AP-GYM"))
            }
        }
    }

    @Test
    fun `without carry-over the unspent CP are cancelled, visibly`() {
        roannais().use { m ->
            m.setRbfRules("AGGLO", carryOver = false)
            m.voteAp(NewAp("AP-PISCINE", "AGGLO", "Piscine", 2025, eur("300.00"), mapOf(2025 to eur("100.00"), 2026 to eur("200.00"))))
            m.payAp("AP-PISCINE", d(2025, 9, 1), eur("40.00"))
            m.closeYear("AGGLO", 2025)
            val ap = m.ap("AP-PISCINE")
            assertEquals(eur("240.00"), ap.amount)
            assertEquals(mapOf(2026 to eur("200.00")), ap.schedule)
            assertEquals(listOf(ApRevision(2025, eur("300.00"), eur("240.00"), "CP 2025 annulés")), ap.revisions)
        }
    }

    @Test
    fun `planByBuilding groups the PPI rows by their first asset`() {
        gymPlan().use { m ->
            m.addOperation(
                NewOperation(
                    "OP-MAISON-TOIT", "ROANNE", "Toiture de la maison des services", "toiture",
                    eur("90000.00"), 2026, listOf(1uL), assets = listOf("MAISON-SERVICES"), priority = 2u,
                )
            )
            m.voteAp(
                NewAp(
                    "AP-MAISON", "ROANNE", "Toiture, maison des services", 2026, eur("90000.00"),
                    mapOf(2026 to eur("90000.00")), operations = listOf("OP-MAISON-TOIT"),
                )
            )
            m.voteAp(NewAp("AP-DIVERS", "ROANNE", "Petits travaux", 2026, eur("10000.00"), mapOf(2026 to eur("10000.00"))))
            m.voteAp(NewAp("AP-AGGLO", "AGGLO", "Siège", 2026, eur("5000.00"), mapOf(2026 to eur("5000.00"))))

            val plan = m.planByBuilding("ROANNE")
            assertEquals(listOf("GYM-COUBERTIN", "MAISON-SERVICES", null), plan.map { it.asset })
            assertEquals(listOf(listOf("AP-GYM"), listOf("AP-MAISON"), listOf("AP-DIVERS")), plan.map { p -> p.rows.map { it.ap }.distinct() })
            assertEquals(listOf(2025, 2026, 2027), plan[0].rows.map { it.year })
            assertAmount("90000.00", plan[1].rows.single().scheduled, "toiture 2026")
            assertEquals(listOf("toiture"), plan[1].rows.single().workTypes)
            assertEquals(emptyList<String>(), plan[2].rows.single().assets)
            // every row of the tenant is in exactly one building
            assertEquals(m.ppiRows("ROANNE").toSet(), plan.flatMap { it.rows }.toSet())
            assertEquals(m.ppiRows("ROANNE").size, plan.sumOf { it.rows.size })
            assertEquals(listOf("AP-AGGLO"), m.planByBuilding("AGGLO").flatMap { p -> p.rows.map { it.ap } })
            assertEquals(emptyList<BuildingPlan>(), m.planByBuilding("MABLY"))
            assertThrowsExactly<MutualisException.UnknownTenant> { m.planByBuilding("NOPE") }
            assertEquals(listOf("AP-GYM", "AP-MAISON", "AP-DIVERS", "AP-AGGLO"), m.aps().map { it.code })
        }
    }

    @Test
    fun `refusals throw their subclass and change nothing`() {
        gymPlan().use { m ->
            m.payAp("AP-GYM", d(2025, 11, 15), eur("150000.00"))
            m.closeYear("ROANNE", 2025)
            val before = m.toJson()
            val journal = m.journal().size
            val refusals: List<Pair<Class<out MutualisException>, () -> Unit>> = listOf(
                MutualisException.CpMismatch::class.java to {
                    m.voteAp(NewAp("AP-X", "ROANNE", "Écoles", 2026, eur("100.00"), mapOf(2026 to eur("60.00"), 2027 to eur("30.00"))))
                },
                MutualisException.CpMismatch::class.java to {
                    m.reviseAp("AP-GYM", 2026, eur("1300000.00"), mapOf(2026 to eur("650000.00"), 2027 to eur("400000.00")))
                },
                MutualisException.CpMismatch::class.java to { m.payAp("AP-GYM", d(2026, 6, 1), eur("650000.01")) },
                MutualisException.YearClosed::class.java to { m.payAp("AP-GYM", d(2025, 12, 31), eur("1.00")) },
                MutualisException.YearNotNext::class.java to { m.closeYear("ROANNE", 2027) },
                MutualisException.RevisionBelowPaid::class.java to {
                    m.reviseAp("AP-GYM", 2026, eur("149999.99"), mapOf(2026 to eur("0.00")))
                },
                MutualisException.UnknownOperation::class.java to { m.ap("AP-NOPE") },
                MutualisException.UnknownOperation::class.java to { m.payAp("AP-NOPE", d(2026, 1, 5), eur("1.00")) },
                MutualisException.UnknownOperation::class.java to {
                    m.voteAp(NewAp("AP-Y", "ROANNE", "Y", 2026, eur("1.00"), mapOf(2026 to eur("1.00")), operations = listOf("OP-NOPE")))
                },
                MutualisException.DuplicateOperation::class.java to {
                    m.addOperation(NewOperation("OP-GYM-ENERGIE", "ROANNE", "Encore", "toiture", eur("1.00"), 2026, listOf(1uL)))
                },
                MutualisException.WeightsSumToZero::class.java to {
                    m.addOperation(NewOperation("OP-Z", "ROANNE", "Z", "toiture", eur("1.00"), 2026, listOf(0uL)))
                },
                MutualisException.InvalidField::class.java to {
                    m.addOperation(NewOperation("OP-P", "ROANNE", "P", "toiture", eur("1.00"), 2026, listOf(1uL), priority = 0u))
                },
            )
            for ((expected, call) in refusals) {
                val e = org.junit.jupiter.api.Assertions.assertThrowsExactly(expected) { call() }
                assertTrue(!e.message.isNullOrBlank())
                assertEquals(before, m.toJson(), "${expected.simpleName} changed the registry")
                assertEquals(journal, m.journal().size, "${expected.simpleName} was journaled")
            }
            val e = assertThrowsExactly<MutualisException.RevisionBelowPaid> {
                m.reviseAp("AP-GYM", 2026, eur("100000.00"), mapOf(2026 to eur("100000.00")))
            }
            assertEquals("AP \"AP-GYM\" cannot be revised to 100000.00: 150000.00 is already paid", e.message)
        }
    }
}
