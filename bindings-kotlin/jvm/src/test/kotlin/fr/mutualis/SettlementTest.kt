package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Settlements between tenants (DOMAIN §4 step 3): annual statements of
 * agreements, vehicle loans and pooled services, and the settlement matrix,
 * all derived by the core from the cost lines; figures worked by hand.
 */
class SettlementTest {

    private val m = field()

    @AfterEach
    fun close() = m.close()

    @Test
    fun `the settlement report of a pair explains its matrix cells line by line`() {
        m.addSportsAgreement()
        m.paintTheGym()
        val r = m.settlementReport("AGGLO", "ROANNE", 2026)
        assertTrue(r.reconciles)
        assertEquals(1, r.items.size)
        val item = r.items[0]
        assertEquals(SettlementSourceKind.AGREEMENT, item.kind)
        assertEquals("CONV-SPORTS", item.source)
        assertEquals(eur("421.09"), item.amount)
        assertEquals(m.statement("CONV-SPORTS", 2026).lines, item.lines)
        assertEquals(listOf(Debt("ROANNE", "AGGLO", eur("421.09"))), r.matrix)
        val text = m.settlementReportText("AGGLO", "ROANNE", 2026)
        assertTrue(text.contains("Solde : AGGLO doit 421,09\u00a0€ à ROANNE (conforme à la matrice des règlements)"), text)
        assertEquals(emptyList<SettlementItem>(), m.settlementReport("ROANNE", "MABLY", 2026).items)
        org.junit.jupiter.api.assertThrows<MutualisException.UnknownTenant> { m.settlementReport("AGGLO", "NOPE", 2026) }
    }

    @Test
    fun `the gymnasium ends in a 2026 statement where AGGLO owes ROANNE 421_09`() {
        m.addSportsAgreement()
        m.paintTheGym()

        val statements = m.statementsFor("AGGLO", 2026)
        assertEquals(1, statements.size)
        val s = statements[0]
        assertEquals(m.statement("CONV-SPORTS", 2026), s)
        assertEquals(listOf(s), m.statementsFor("ROANNE", 2026), "the creditor sees the same statement")
        assertEquals(emptyList<Statement>(), m.statementsFor("MABLY", 2026))

        assertEquals("CONV-SPORTS", s.agreement)
        assertEquals(2026, s.year)
        assertEquals("ROANNE", s.creditor)
        assertEquals("AGGLO", s.debtor)
        assertEquals(AgreementMode.ACTUAL_COST, s.mode)
        assertEquals(
            listOf(
                DebtLine(
                    workOrder = "BT-GYM-1", date = d(2026, 3, 12), nature = CostNature.LABOUR, provider = "ROANNE",
                    payer = "AGGLO", part = eur("250.25"), units = BigDecimal("6.5"), amount = eur("250.25"),
                    settledBy = SettledBy.AGREEMENT, settledByCode = "CONV-SPORTS",
                ),
                DebtLine(
                    workOrder = "BT-GYM-1", date = d(2026, 3, 12), nature = CostNature.MATERIAL, provider = "ROANNE",
                    payer = "AGGLO", part = eur("170.84"), units = BigDecimal("12"), amount = eur("170.84"),
                    settledBy = SettledBy.AGREEMENT, settledByCode = "CONV-SPORTS",
                ),
            ),
            s.lines,
        )
        assertEquals(eur("421.09"), s.totalHt)
        assertNull(s.vatRate)
        assertEquals(eur("0.00"), s.vat)
        assertEquals(eur("421.09"), s.total)
        assertEquals(s.total, s.lines.fold(BigDecimal.ZERO) { acc, l -> acc + l.amount })
        assertEquals("70846", s.creditorAccount)
        assertEquals("6217", s.debtorAccount)
        assertEquals("CGCT L5211-4-1", s.legalBasis)

        assertEquals(listOf(Debt("ROANNE", "AGGLO", eur("421.09"))), m.settlementMatrix(2026))
        assertEquals(emptyList<DebtLine>(), m.unsettled(2026))
        // Statements never cover more than one year.
        assertEquals(emptyList<DebtLine>(), m.statement("CONV-SPORTS", 2025).lines)
        assertEquals(emptyList<Debt>(), m.settlementMatrix(2025))
    }

    @Test
    fun `without an agreement the lines are flagged, not lost, and an agreement recorded later settles them`() {
        m.paintTheGym()
        val flagged = m.unsettled(2026)
        assertEquals(listOf(CostNature.LABOUR, CostNature.MATERIAL), flagged.map { it.nature })
        for (f in flagged) {
            assertEquals(SettledBy.NO_AGREEMENT, f.settledBy)
            assertNull(f.settledByCode)
            assertEquals("ROANNE" to "AGGLO", f.provider to f.payer)
        }
        assertEquals(eur("421.09"), flagged.fold(BigDecimal.ZERO) { acc, l -> acc + l.part })
        assertEquals(emptyList<Debt>(), m.settlementMatrix(2026))
        assertEquals(emptyList<Statement>(), m.statementsFor("AGGLO", 2026))

        // Settlement is derived: the agreement covers the lines recorded before it.
        m.addSportsAgreement()
        assertEquals(emptyList<DebtLine>(), m.unsettled(2026))
        assertEquals(eur("421.09"), m.statementsFor("AGGLO", 2026).single().total)
    }

    @Test
    fun `a unit-cost agreement with VAT reimburses hours at the unit cost`() {
        m.addAgreement(
            NewAgreement(
                "CONV-UC", "ROANNE", "AGGLO", AgreementMode.UNIT_COST, d(2026, 1, 1), d(2026, 12, 31),
                unitCost = eur("42.00"), vatRate = VatRate.STANDARD,
            )
        )
        m.paintTheGym()
        val s = m.statement("CONV-UC", 2026)
        // 6.5 h × 42.00 = 273.00; the paint is part of the unit cost (0.00).
        assertEquals(listOf(BigDecimal("6.5") to eur("273.00"), BigDecimal("0") to eur("0.00")), s.lines.map { it.units to it.amount })
        // VAT 273.00 × 20 % = 54.60.
        assertEquals(listOf(eur("273.00"), eur("54.60"), eur("327.60")), listOf(s.totalHt, s.vat, s.total))
        assertEquals(VatRate.STANDARD, s.vatRate)
    }

    @Test
    fun `a vehicle loan of 2 + 0_5 days at 45_00 comes to 112_50`() {
        m.lendVehicle(NewLoan("PRET-1", "VH-ROANNE-1", "VILLEREST", d(2026, 4, 1), d(2026, 4, 30), UsageUnit.DAY))
        assertEquals(LoanUse(d(2026, 4, 3), BigDecimal("2"), eur("45.00"), eur("90.00")), m.recordLoanUse("PRET-1", d(2026, 4, 3), BigDecimal("2")))
        assertEquals(eur("22.50"), m.recordLoanUse("PRET-1", d(2026, 4, 17), BigDecimal("0.5")).amount)

        val before = m.toJson()
        val outside = assertThrowsExactly<MutualisException.InvalidField> { m.recordLoanUse("PRET-1", d(2026, 5, 2), BigDecimal("1")) }
        assertTrue(outside.message!!.contains("outside loan PRET-1"), outside.message)
        assertThrowsExactly<MutualisException.InvalidQuantity> { m.recordLoanUse("PRET-1", d(2026, 4, 20), BigDecimal("0")) }
        assertEquals(before, m.toJson())

        val s = m.loanStatement("PRET-1", 2026)
        assertEquals("ROANNE" to "VILLEREST", s.lender to s.borrower)
        assertEquals(listOf(d(2026, 4, 3), d(2026, 4, 17)), s.uses.map { it.date })
        assertEquals(eur("112.50"), s.total)
        assertEquals(listOf(Debt("ROANNE", "VILLEREST", eur("112.50"))), m.settlementMatrix(2026))
        assertEquals(emptyList<LoanUse>(), m.loanStatement("PRET-1", 2027).uses)
    }

    /**
     * Agglo's buildings service is a service commun (L5211-4-2) keyed
     * AGGLO 5000 / ROANNE 3000 / MABLY 2000. Its agents (40.00 €/h) work
     * 10 h at Mably's school (400.00), 12.5 h at Roanne's town hall (500.00)
     * and 2.5 h at Agglo's head office (100.00): cost 1 000.00, shares
     * 500.00 / 300.00 / 200.00. Roanne and Mably each advanced 250.00:
     * balances AGGLO +500.00 (its own), ROANNE +50.00, MABLY −50.00.
     */
    @Test
    fun `a pooled service is trued up at year end against the advances`() {
        m.addTeam("AGGLO-BAT", "AGGLO", "Service commun bâtiments", service = "BATIMENTS")
        m.setLabourRate("AGGLO", 2026, eur("40.00"))
        val sites = listOf("ECOLE-MABLY" to "MABLY", "MAIRIE-ROANNE" to "ROANNE", "SIEGE-AGGLO" to "AGGLO")
        for ((code, owner) in sites) m.addAsset(NewAsset(code, code, AssetKind.BUILDING, owner, d(1980, 1, 1)))
        m.addPooledService(
            NewPooledService(
                "SC-BAT", "AGGLO", listOf("BATIMENTS"), d(2026, 1, 1),
                key = mapOf("AGGLO" to 5000uL, "ROANNE" to 3000uL, "MABLY" to 2000uL), legalBasis = "CGCT L5211-4-2",
            )
        )
        class Job(val code: String, val site: String, val day: LocalDate, val hours: String)
        for (job in listOf(
            Job("BT-ECOLE", "ECOLE-MABLY", d(2026, 2, 3), "10"), // 400.00
            Job("BT-MAIRIE", "MAIRIE-ROANNE", d(2026, 5, 6), "12.5"), // 500.00
            Job("BT-SIEGE", "SIEGE-AGGLO", d(2026, 9, 9), "2.5"), // 100.00
        )) {
            m.createWorkOrder(NewWorkOrder(job.code, "Entretien", job.site, team = "AGGLO-BAT"))
            m.startWorkOrder(job.code, at(2026, 1, 2, 8))
            m.recordLabour(job.code, job.day, BigDecimal(job.hours))
        }
        m.recordAdvance("SC-BAT", 2026, "ROANNE", eur("250.00"))
        m.recordAdvance("SC-BAT", 2026, "MABLY", eur("100.00"))
        m.recordAdvance("SC-BAT", 2026, "MABLY", eur("150.00")) // advances add up

        val s = m.pooledStatement("SC-BAT", 2026)
        assertEquals("SC-BAT" to "AGGLO", s.pooled to s.provider)
        assertEquals(eur("1000.00"), s.totalCost)
        assertEquals(
            listOf(
                PooledShare("AGGLO", 5000uL, eur("500.00"), eur("0.00"), eur("500.00")),
                PooledShare("MABLY", 2000uL, eur("200.00"), eur("250.00"), eur("-50.00")),
                PooledShare("ROANNE", 3000uL, eur("300.00"), eur("250.00"), eur("50.00")),
            ),
            s.shares,
        )
        // ROANNE owes AGGLO its balance; AGGLO refunds MABLY's overpayment.
        assertEquals(listOf(Debt("AGGLO", "ROANNE", eur("50.00")), Debt("MABLY", "AGGLO", eur("50.00"))), m.settlementMatrix(2026))
        // The members' line parts are settled by the pool, so none is flagged.
        assertEquals(emptyList<DebtLine>(), m.unsettled(2026))
        assertEquals(eur("0.00"), m.pooledStatement("SC-BAT", 2025).totalCost)
    }
}
