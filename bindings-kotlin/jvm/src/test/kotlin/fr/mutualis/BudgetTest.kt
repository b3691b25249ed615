package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Budgets per tenant and year (DOMAIN §3): voted credits, amendments,
 * commitments and spending drawn from the cost lines, on a TTC or HT basis,
 * with a refuse or warn overrun policy; figures worked by hand.
 */
class BudgetTest {

    private val m = field()

    @AfterEach
    fun close() = m.close()

    /** AGGLO's 2026 general budget (TTC, refusing overruns): 011-SPORTS voted 500.00, DM1 −50.00. */
    private fun aggloBudget() {
        m.addBudget("AGGLO", 2026, ChargeBasis.TTC, OverrunPolicy.REFUSE)
        m.addBudgetLine("AGGLO", 2026, "011-SPORTS", "SPORTS", "615221", eur("500.00"))
        m.addBudgetLine("AGGLO", 2026, "011-FETES", account = "6232", voted = eur("1000.00"))
        m.amendBudgetLine("AGGLO", 2026, "011-SPORTS", eur("-50.00"), "DM1")
    }

    /** The row of `code` in AGGLO's 2026 status. */
    private fun line(code: String) = m.budgetStatus("AGGLO", 2026).single { it.code == code }

    @Test
    fun `a TTC budget line with an amendment and commitments`() {
        aggloBudget()
        m.addSportsAgreement()
        m.paintTheGym() // 421.09 TTC charged to AGGLO, booked to AGGLO/SPORTS (the gymnasium's service)

        assertEquals(
            BudgetLineStatus(
                code = "011-SPORTS", service = "SPORTS", account = "615221", voted = eur("500.00"),
                amendments = eur("-50.00"), credits = eur("450.00"), committed = eur("0.00"),
                spent = eur("421.09"), remaining = eur("28.91"), // 450.00 − 421.09
                direction = LineDirection.EXPENSE,
            ),
            line("011-SPORTS"),
        )
        // A commitment for the work order covers its spending up to its amount:
        // 450.00 − 400.00 − (421.09 − 400.00) = 28.91.
        m.commitBudget("AGGLO", 2026, "011-SPORTS", "EJ-2026-001", eur("400.00"), workOrder = "BT-GYM-1")
        assertEquals(listOf(eur("400.00"), eur("28.91")), line("011-SPORTS").let { listOf(it.committed, it.remaining) })
        // A commitment for no work order is reserved on top: 450.00 − 420.00 − 21.09 = 8.91.
        m.commitBudget("AGGLO", 2026, "011-SPORTS", "EJ-2026-002", eur("20.00"))
        assertEquals(listOf(eur("420.00"), eur("8.91")), line("011-SPORTS").let { listOf(it.committed, it.remaining) })

        // The last row gathers spending that matches no line: none here.
        val unmatched = m.budgetStatus("AGGLO", 2026).last()
        assertEquals("" to eur("0.00"), unmatched.code to unmatched.spent)
    }

    @Test
    fun `an assigned work order is charged to its line instead of its service's`() {
        aggloBudget()
        m.assignBudgetLine("BT-GYM-2", "AGGLO", "011-FETES")
        m.startWorkOrder("BT-GYM-2", at(2026, 6, 1, 7))
        m.recordLabour("BT-GYM-2", d(2026, 6, 1), BigDecimal("2")) // 77.00
        assertEquals(listOf(eur("77.00"), eur("923.00")), line("011-FETES").let { listOf(it.spent, it.remaining) })
        assertEquals(eur("0.00"), line("011-SPORTS").spent)
    }

    @Test
    fun `the refuse policy throws BudgetExceeded and records nothing`() {
        aggloBudget()
        m.paintTheGym() // 28.91 left
        val before = m.toJson()
        val journal = m.journal()
        val e = assertThrowsExactly<MutualisException.BudgetExceeded> {
            m.recordLabour("BT-GYM-1", d(2026, 3, 13), BigDecimal("1")) // 38.50
        }
        assertEquals(
            "work order \"BT-GYM-1\" would charge 38.50 to budget line \"011-SPORTS\" of \"AGGLO\" 2026, which has 28.91 left",
            e.message,
        )
        assertEquals(before, m.toJson())
        assertEquals(journal, m.journal())
        assertEquals(2uL, m.workOrder("BT-GYM-1").lineCount)
        // An amendment makes room.
        m.amendBudgetLine("AGGLO", 2026, "011-SPORTS", eur("100.00"), "DM2")
        m.recordLabour("BT-GYM-1", d(2026, 3, 13), BigDecimal("1"))
        assertEquals(eur("90.41"), line("011-SPORTS").remaining) // 550.00 − 459.59
        assertEquals(emptyList<BudgetWarning>(), m.budgetWarnings())
    }

    @Test
    fun `the warn policy on an HT budget records the cost and leaves a warning`() {
        m.addBudget("ROANNE", 2026, ChargeBasis.HT, OverrunPolicy.WARN)
        m.addBudgetLine("ROANNE", 2026, "011-BAT", "BATIMENTS", "615221", eur("100.00"))
        m.addAsset(NewAsset("MAIRIE-ROANNE", "Hôtel de ville", AssetKind.BUILDING, "ROANNE", d(1900, 1, 1)))
        m.createWorkOrder(
            NewWorkOrder("BT-BARRIERES", "Barrières", "MAIRIE-ROANNE", supplier = "LOCABARRIERES", serviceTenant = "ROANNE", service = "BATIMENTS")
        )
        m.startWorkOrder("BT-BARRIERES", at(2026, 3, 31, 8))
        val line = m.recordExternal("BT-BARRIERES", d(2026, 4, 1), "Location", eur("120.00"), VatRate.STANDARD)
        assertEquals(eur("144.00"), line.ttc)
        // Charged HT: 120.00 against 100.00.
        val status = m.budgetStatus("ROANNE", 2026).first()
        assertEquals(listOf(eur("120.00"), eur("-20.00")), listOf(status.spent, status.remaining))
        assertEquals(
            listOf(BudgetWarning("ROANNE", 2026, "011-BAT", "BT-BARRIERES", eur("120.00"), eur("100.00"))),
            m.budgetWarnings(),
        )
    }

    @Test
    fun `toJson and fromJson keep agreements, pooled services, loans and budgets`() {
        aggloBudget()
        m.addSportsAgreement()
        m.addPooledService(NewPooledService("SC-BAT", "AGGLO", listOf("BATIMENTS"), d(2026, 1, 1), key = mapOf("AGGLO" to 1uL, "MABLY" to 1uL)))
        m.recordAdvance("SC-BAT", 2026, "MABLY", eur("100.00"))
        m.lendVehicle(NewLoan("PRET-1", "VH-ROANNE-1", "MABLY", d(2026, 1, 1), unit = UsageUnit.DAY))
        m.recordLoanUse("PRET-1", d(2026, 2, 2), BigDecimal("1"))
        m.paintTheGym()
        m.commitBudget("AGGLO", 2026, "011-SPORTS", "EJ-1", eur("300.00"), workOrder = "BT-GYM-1")
        m.assignBudgetLine("BT-GYM-2", "AGGLO", "011-FETES")

        val json = m.toJson()
        assertTrue(json.contains("\"version\": 4"), "dataset version 4")
        for (copy in listOf(Mutualis.fromJson(json), Mutualis.replay(m.journalJson()))) copy.use {
            assertEquals(json, it.toJson())
            assertEquals(m.statementsFor("AGGLO", 2026), it.statementsFor("AGGLO", 2026))
            assertEquals(m.pooledStatement("SC-BAT", 2026), it.pooledStatement("SC-BAT", 2026))
            assertEquals(m.loanStatement("PRET-1", 2026), it.loanStatement("PRET-1", 2026))
            assertEquals(m.settlementMatrix(2026), it.settlementMatrix(2026))
            assertEquals(m.budgetStatus("AGGLO", 2026), it.budgetStatus("AGGLO", 2026))
        }
        // Worked figures survive: 421.09 owed for the gym, 45.00 for one day of the van,
        // MABLY refunded its 100.00 advance (no pooled cost yet).
        assertEquals(
            listOf(Debt("MABLY", "AGGLO", eur("100.00")), Debt("ROANNE", "AGGLO", eur("421.09")), Debt("ROANNE", "MABLY", eur("45.00"))),
            m.settlementMatrix(2026),
        )
    }
}
