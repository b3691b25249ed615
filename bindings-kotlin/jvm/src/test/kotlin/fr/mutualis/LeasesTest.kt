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
 * Locatif (issue 14) from Kotlin: the hand-worked cases of the issue
 * (indexation on the ILC and the ICC, a pro-rata first call, a charges
 * regularisation over three occupants summing to the cent, the in-kind aid
 * to an association with and without a convention), the dashboards and the
 * typed refusals, each on a fresh registry.
 */
class LeasesTest {

    private fun d(y: Int, m: Int, j: Int): LocalDate = LocalDate.of(y, m, j)

    private fun same(expected: String, actual: BigDecimal?) =
        assertEquals(0, BigDecimal(expected).compareTo(actual), "expected $expected, got $actual")

    /** ROANNE and AGGLO; a 500 m² building with three rooms, a shop, a club house; parties; ILC and ICC values. */
    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        m.addAsset(NewAsset(code = "HOTEL-ENT", name = "Hôtel d'entreprises", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1), floorArea = BigDecimal("500")))
        for (r in listOf("R1", "R2", "R3")) {
            m.addAsset(NewAsset(code = r, name = r, kind = AssetKind.ROOM, owner = "ROANNE", commissioned = d(1990, 1, 1), parent = "HOTEL-ENT"))
        }
        m.addAsset(NewAsset(code = "SHOP", name = "Local commercial", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1)))
        m.addAsset(NewAsset(code = "CLUB", name = "Club house", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1)))
        m.addParty("BOULANGERIE", "Boulangerie du centre", PartyKind.COMPANY, "73282932000074")
        m.addParty("FOOT", "Football club roannais", PartyKind.ASSOCIATION, "W423001234")
        m.addParty("DUPONT", "Mme Dupont", PartyKind.PERSON)
        m.addParty("P-AGGLO", "Roannais Agglomération", PartyKind.COLLECTIVITE, "AGGLO")
        m.setIndexValue("ILC", "2024-Q3", BigDecimal("131.67"))
        m.setIndexValue("ILC", "2025-Q3", BigDecimal("137.21"))
        m.setIndexValue("ICC", "2024-Q2", BigDecimal("130.00"))
        m.setIndexValue("ICC", "2025-Q2", BigDecimal("133.90"))
        m.addTeam("REGIE", "ROANNE", "Régie bâtiments", null)
        m.setLabourRate("ROANNE", 2026, BigDecimal("40.00"))
        return m
    }

    private fun commercial() = NewLease(
        code = "BC-SHOP", asset = "SHOP", tenant = "ROANNE", party = "BOULANGERIE", kind = LeaseKind.COMMERCIAL,
        start = d(2025, 1, 1), rent = BigDecimal("9876.54"), index = "ILC", referenceQuarter = "2024-Q3",
    )

    @Test
    fun `9 876,54 indexed from 131,67 to 137,21 is 10 292,09`() = seed().use { m ->
        m.addLease(commercial())
        val r = m.reviseRent("BC-SHOP", d(2026, 1, 1), "2025-Q3")
        same("10292.09", r.newRent)
        same("9876.54", r.oldRent)
        assertEquals("2024-Q3", r.fromQuarter)
        assertFalse(r.warning)
        assertEquals(listOf(r), m.revisions("BC-SHOP"))
        same("10292.09", m.rentOn("BC-SHOP", d(2026, 6, 1)))
        same("137.21", m.indexValue("ILC", "2025-Q3"))
    }

    @Test
    fun `12 000,00 indexed from 130,00 to 133,90 is 12 360,00`() = seed().use { m ->
        m.addLease(NewLease(code = "BP-R1", asset = "R1", tenant = "ROANNE", party = "DUPONT", kind = LeaseKind.PROFESSIONAL, start = d(2025, 7, 1), rent = BigDecimal("12000.00"), index = "ICC", referenceQuarter = "2024-Q2"))
        same("12360.00", m.reviseRent("BP-R1", d(2026, 7, 1), "2025-Q2").newRent)
    }

    @Test
    fun `a first monthly call is pro rata on actual days`() = seed().use { m ->
        m.addLease(NewLease(code = "H-2", asset = "R3", tenant = "ROANNE", party = "DUPONT", kind = LeaseKind.RESIDENTIAL, start = d(2026, 3, 10), rent = BigDecimal("620.00"), periodicity = RentPeriodicity.MONTHLY))
        val calls = m.rentCalls("H-2", d(2026, 3, 1), d(2026, 4, 30))
        assertEquals(2, calls.size)
        // 22 days of March's 31: 620 × 22 / 31 = 440.00
        assertEquals(22u, calls[0].days)
        assertEquals(31u, calls[0].periodDays)
        same("440.00", calls[0].rent)
        assertEquals(d(2026, 3, 10), calls[0].due)
        same("620.00", calls[1].rent)
        m.recordRentReceipt("H-2", d(2026, 3, 12), BigDecimal("440.00"), "T-1")
        assertEquals(listOf(RentReceipt(d(2026, 3, 12), BigDecimal("440.00"), "T-1")), m.rentReceipts("H-2"))
        val a = m.arrearsOf("H-2", d(2026, 4, 15))!!
        same("620.00", a.balance)
        assertEquals(d(2026, 4, 1), a.oldestDue)
        assertEquals(listOf(a), m.leaseArrears(d(2026, 4, 15)))
        assertNull(m.arrearsOf("H-2", d(2026, 3, 31)))
    }

    @Test
    fun `a charges regularisation over three occupants sums to the cent`() = seed().use { m ->
        for ((code, room, party, m2) in listOf(
            listOf("L-A", "R1", "DUPONT", "100"), listOf("L-B", "R2", "BOULANGERIE", "150"), listOf("L-C", "R3", "FOOT", "250"),
        )) {
            m.addLease(NewLease(code = code, asset = room, tenant = "ROANNE", party = party, kind = LeaseKind.PROFESSIONAL, start = d(2025, 1, 1), rent = BigDecimal("300.00"), periodicity = RentPeriodicity.MONTHLY, surface = BigDecimal(m2), chargesProvision = BigDecimal("50.00")))
        }
        m.recordCharges("HOTEL-ENT", 2026, ChargeCategory.ENERGY, BigDecimal("7000.00"))
        m.recordCharges("HOTEL-ENT", 2026, ChargeCategory.CLEANING, BigDecimal("3000.01"))
        val rows = m.chargesRegularisation("HOTEL-ENT", 2026)
        assertEquals(listOf("L-A", "L-B", "L-C"), rows.map { it.lease })
        same("2000.00", rows[0].share)
        same("3000.00", rows[1].share)
        same("5000.01", rows[2].share)
        same("10000.01", rows.fold(BigDecimal.ZERO) { s, r -> s + r.share })
        same("600.00", rows[0].provisions)
        same("1400.00", rows[0].balance)
        // by a key: 0.10 split 3334/6666 → 0.03 + 0.07
        m.recordCharges("HOTEL-ENT", 2027, ChargeCategory.MAINTENANCE, BigDecimal("0.10"), mapOf("L-A" to 3334uL, "L-B" to 6666uL))
        val keyed = m.chargesRegularisation("HOTEL-ENT", 2027)
        same("0.03", keyed[0].share)
        same("0.07", keyed[1].share)
    }

    private fun club(hours: String): Mutualis {
        val m = seed()
        m.addLease(NewLease(code = "MAD-CLUB", asset = "CLUB", tenant = "ROANNE", party = "FOOT", kind = LeaseKind.FREE_OCCUPATION, start = d(2020, 1, 1), rent = BigDecimal.ZERO, rentalValue = BigDecimal("6000.00")))
        m.createWorkOrder(NewWorkOrder("BT-CLUB", "Toiture", "CLUB", team = "REGIE"))
        m.startWorkOrder("BT-CLUB", at(2026, 2, 1, 8))
        m.recordLabour("BT-CLUB", d(2026, 4, 1), BigDecimal(hours), 1u, null, null)
        return m
    }

    @Test
    fun `6 000 waived and 18 000 of interventions is 24 000, a convention is required`() = club("450").use { m ->
        val aid = m.inKindAid(2026)
        assertEquals(1, aid.size)
        val a = aid[0]
        assertEquals("FOOT", a.association)
        assertEquals("W423001234", a.rna)
        same("6000.00", a.waivedRent)
        same("18000.00", a.interventions)
        same("24000.00", a.total)
        assertTrue(a.conventionRequired)
        assertEquals(listOf(AidSource.WAIVED_RENT, AidSource.INTERVENTION), a.lines.map { it.source })
        assertEquals("BT-CLUB", a.lines[1].workOrder)
        assertEquals(aid, m.inKindAid(2026, "FOOT"))
    }

    @Test
    fun `with 16 000 of interventions it is 22 000, no convention`() = club("400").use { m ->
        val a = m.inKindAid(2026).single()
        same("22000.00", a.total)
        assertFalse(a.conventionRequired)
    }

    @Test
    fun `dashboards`() = seed().use { m ->
        m.addLease(commercial().copy(end = d(2033, 12, 31)))
        m.reviseRent("BC-SHOP", d(2026, 1, 1), "2025-Q3")
        m.addLease(NewLease(code = "AGGLO-R1", asset = "R1", tenant = "ROANNE", party = "P-AGGLO", kind = LeaseKind.BETWEEN_COLLECTIVITES, start = d(2024, 1, 1), rent = BigDecimal("1500.00"), periodicity = RentPeriodicity.QUARTERLY, term = RentTerm.ARREARS, surface = BigDecimal("120.50"), end = d(2026, 12, 31), tacitRenewal = true))
        m.addLease(NewLease(code = "PRENEUR", asset = "R2", tenant = "AGGLO", party = "DUPONT", kind = LeaseKind.RESIDENTIAL, start = d(2025, 1, 1), rent = BigDecimal("700.00"), periodicity = RentPeriodicity.MONTHLY, side = LeaseSide.LESSEE))
        m.endLease("PRENEUR", d(2026, 8, 31))
        assertEquals(listOf("BC-SHOP", "AGGLO-R1", "PRENEUR"), m.leases().map { it.code })
        assertEquals(d(2026, 8, 31), m.lease("PRENEUR").terminated)
        assertNull(m.lease("AGGLO-R1").lastDay)
        assertEquals(4, m.parties().size)
        val on = d(2026, 6, 1)
        val roll = m.rentRoll(on)
        same("6000.00", roll.single { it.lease == "AGGLO-R1" }.annualRent)
        assertEquals("HOTEL-ENT", roll.single { it.lease == "AGGLO-R1" }.building)
        assertEquals(listOf("HOTEL-ENT", "SHOP"), m.rentRollBy(on, RollBy.BUILDING, LeaseSide.LESSOR).map { it.key })
        same("8400.00", m.rentRollBy(on, RollBy.KIND, LeaseSide.LESSEE).single().annualRent)
        val occ = m.occupancy(on).single { it.building == "HOTEL-ENT" }
        same("379.50", occ.vacant)
        same("0.241", occ.rate)
        val dl = m.leaseDeadlines(on, 12u)
        assertEquals(
            listOf("AGGLO-R1" to DeadlineKind.NOTICE, "PRENEUR" to DeadlineKind.END, "AGGLO-R1" to DeadlineKind.RENEWAL, "BC-SHOP" to DeadlineKind.REVISION),
            dl.map { it.lease to it.kind },
        )
        assertEquals("2026-Q3", dl[3].quarter)
        // the JSON dataset carries the leases
        assertEquals(m.toJson(), Mutualis.fromJson(m.toJson()).use { it.toJson() })
    }

    @Test
    fun `bad input is refused with typed errors, nothing changed`() = seed().use { m ->
        m.addLease(commercial().copy(end = d(2033, 12, 31)))
        val before = m.toJson()
        val n = m.journal().size
        val l = NewLease(code = "X", asset = "CLUB", tenant = "ROANNE", party = "DUPONT", kind = LeaseKind.RESIDENTIAL, start = d(2026, 1, 1), rent = BigDecimal("100"))
        assertThrows(MutualisException.DatesOutOfOrder::class.java) { m.addLease(l.copy(end = d(2025, 12, 31))) }
        assertThrows(MutualisException.MissingIndexValue::class.java) { m.reviseRent("BC-SHOP", d(2027, 1, 1), "2026-Q3") }
        assertThrows(MutualisException.NegativeAmount::class.java) { m.addLease(l.copy(rent = BigDecimal("-1.00"))) }
        assertThrows(MutualisException.LeaseOverlap::class.java) { m.addLease(l.copy(asset = "SHOP")) }
        assertThrows(MutualisException.UnknownParty::class.java) { m.addLease(l.copy(party = "NOBODY")) }
        assertThrows(MutualisException.UnknownLease::class.java) { m.lease("NOPE") }
        assertThrows(MutualisException.DuplicateLease::class.java) { m.addLease(commercial()) }
        assertThrows(MutualisException.DuplicateParty::class.java) { m.addParty("DUPONT", "Autre", PartyKind.PERSON) }
        assertThrows(MutualisException.InvalidRna::class.java) { m.addParty("A2", "Club", PartyKind.ASSOCIATION, "W12") }
        assertThrows(MutualisException.InvalidField::class.java) { m.setIndexValue("ILC", "2024-Q5", BigDecimal("1")) }
        assertEquals(before, m.toJson())
        assertEquals(n, m.journal().size)
    }

    /** The hand case: a revenue line of 12 000.00, a monthly rent of 1 000.00 called January to December, 11 receipts. */
    @Test
    fun `rent is credited to a revenue line of the budget`() = seed().use { m ->
        m.addLease(NewLease(code = "BP-R3", asset = "R3", tenant = "ROANNE", party = "DUPONT", kind = LeaseKind.PROFESSIONAL, start = d(2026, 1, 1), rent = BigDecimal("1000.00"), periodicity = RentPeriodicity.MONTHLY))
        m.addBudget("ROANNE", 2026, ChargeBasis.TTC, OverrunPolicy.REFUSE)
        m.addBudgetLine(tenant = "ROANNE", year = 2026, code = "011-BAT", account = "615221", voted = BigDecimal("5000"))
        m.addRevenueLine(tenant = "ROANNE", year = 2026, code = "752-LOYERS", account = "752", voted = BigDecimal("12000.00"))
        m.assignLeaseBudgetLine("BP-R3", "ROANNE", "752-LOYERS")
        assertEquals("752-LOYERS", m.leaseBudgetLine("BP-R3"))
        for (month in 1..11) m.recordRentReceipt("BP-R3", d(2026, month, 5), BigDecimal("1000.00"))
        val rows = m.revenueStatus("ROANNE", 2026)
        val r = rows.first()
        assertEquals(listOf("BP-R3"), r.leases)
        assertEquals("752", r.account)
        same("12000.00", r.budgeted)
        same("12000.00", r.called)
        same("11000.00", r.collected)
        same("1000.00", r.outstanding)
        assertEquals("1000.00", r.outstanding.toPlainString())
        assertEquals("", rows.last().code)
        val st = m.budgetStatus("ROANNE", 2026)
        assertEquals(listOf(LineDirection.EXPENSE, LineDirection.REVENUE, LineDirection.EXPENSE), st.map { it.direction })
        same("11000.00", st[1].spent)
        same("1000.00", st[1].remaining)
        assertEquals(rows, Mutualis.fromJson(m.toJson()).use { it.revenueStatus("ROANNE", 2026) })
    }

    @Test
    fun `a budget line goes only where its direction allows, nothing changed`() = seed().use { m ->
        m.addLease(commercial())
        m.addLease(NewLease(code = "PRENEUR", asset = "R2", tenant = "AGGLO", party = "DUPONT", kind = LeaseKind.RESIDENTIAL, start = d(2025, 1, 1), rent = BigDecimal("700.00"), periodicity = RentPeriodicity.MONTHLY, side = LeaseSide.LESSEE))
        m.addBudget("ROANNE", 2026, ChargeBasis.TTC, OverrunPolicy.WARN)
        m.addBudget("AGGLO", 2026, ChargeBasis.TTC, OverrunPolicy.WARN)
        m.addBudgetLine(tenant = "ROANNE", year = 2026, code = "011-BAT", account = "615221", voted = BigDecimal("5000"))
        m.addRevenueLine(tenant = "ROANNE", year = 2026, code = "752-LOYERS", account = "752", voted = BigDecimal("20000"))
        m.addRevenueLine(tenant = "AGGLO", year = 2026, code = "752-AGGLO", account = "752", voted = BigDecimal("100"))
        m.createWorkOrder(NewWorkOrder("BT-CLUB", "Toiture", "CLUB", team = "REGIE"))
        val before = m.toJson()
        assertThrows(MutualisException.BudgetLineMismatch::class.java) { m.assignBudgetLine("BT-CLUB", "ROANNE", "752-LOYERS") }
        assertThrows(MutualisException.BudgetLineMismatch::class.java) { m.assignLeaseBudgetLine("BC-SHOP", "ROANNE", "011-BAT") }
        assertThrows(MutualisException.BudgetLineMismatch::class.java) { m.assignLeaseBudgetLine("BC-SHOP", "AGGLO", "752-AGGLO") }
        assertThrows(MutualisException.BudgetLineMismatch::class.java) { m.assignLeaseBudgetLine("PRENEUR", "AGGLO", "752-AGGLO") }
        assertThrows(MutualisException.UnknownBudget::class.java) { m.assignLeaseBudgetLine("BC-SHOP", "ROANNE", "NOPE") }
        assertThrows(MutualisException.UnknownLease::class.java) { m.assignLeaseBudgetLine("NOPE", "ROANNE", "752-LOYERS") }
        assertEquals(before, m.toJson())
    }

    @Test
    fun `a principal's lease queries go through the core's reader`(): Unit = seed().use { m ->
        m.addLease(commercial())
        m.addLease(NewLease(code = "MAD-CLUB", asset = "CLUB", tenant = "ROANNE", party = "FOOT", kind = LeaseKind.FREE_OCCUPATION, start = d(2020, 1, 1), rent = BigDecimal.ZERO, rentalValue = BigDecimal("6000.00")))
        m.addLease(NewLease(code = "PRENEUR", asset = "R2", tenant = "AGGLO", party = "DUPONT", kind = LeaseKind.RESIDENTIAL, start = d(2025, 1, 1), rent = BigDecimal("700.00"), periodicity = RentPeriodicity.MONTHLY, side = LeaseSide.LESSEE))
        m.addRole("LOC", "Locatif (lecture)", listOf("leases:read"))
        m.addRole("TRAV", "Travaux", listOf("work:read"))
        m.addPrincipal("agglo", "Agent AGGLO", PrincipalKind.AGENT, tenant = "AGGLO")
        m.addPrincipal("roanne", "Agent Roanne", PrincipalKind.AGENT, tenant = "ROANNE")
        m.addPrincipal("trav", "Agent travaux", PrincipalKind.AGENT, tenant = "ROANNE")
        m.grant("agglo", "LOC", Scope.Tenant("AGGLO"), d(2020, 1, 1))
        m.grant("roanne", "LOC", Scope.Tenant("ROANNE"), d(2020, 1, 1))
        m.grant("trav", "TRAV", Scope.Tenant("ROANNE"), d(2020, 1, 1))
        val on = d(2026, 6, 1)
        m.asPrincipal("agglo").use { agglo ->
            assertEquals(listOf("PRENEUR"), agglo.leases().map { it.code })
            assertEquals(listOf("DUPONT"), agglo.parties().map { it.code })
            assertEquals(listOf("PRENEUR"), agglo.rentRoll(on).map { it.lease })
            assertTrue(agglo.inKindAid(2026).isEmpty())
            assertTrue(agglo.occupancy(on).isEmpty())
            assertThrows(MutualisException.Forbidden::class.java) { agglo.lease("BC-SHOP") }
            assertThrows(MutualisException.Forbidden::class.java) { agglo.rentCalls("BC-SHOP", d(2026, 1, 1), d(2026, 12, 31)) }
        }
        m.asPrincipal("roanne").use { roanne ->
            assertEquals(m.leases(), roanne.leases())
            assertEquals(m.inKindAid(2026), roanne.inKindAid(2026))
            assertEquals(m.rentRoll(on), roanne.rentRoll(on))
            val annex = roanne.inKindAidAnnex("ROANNE", 2026, 35_544u)
            assertTrue(annex.required)
            assertEquals(listOf("FOOT"), annex.rows.map { it.association })
            same("6000.00", annex.total)
            assertFalse(m.inKindAidAnnex("ROANNE", 2026, 3_499u).required)
        }
        m.asPrincipal("trav").use { trav ->
            val refused = assertThrows(MutualisException.Forbidden::class.java) { trav.leases() }
            assertTrue(refused.message!!.contains("leases:read"))
            assertThrows(MutualisException.Forbidden::class.java) { trav.rentRoll(on) }
            assertThrows(MutualisException.Forbidden::class.java) { trav.leaseArrears(on) }
        }
    }
}
