package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Mobilier (issue 15) from Kotlin: the inventory campaign of the acceptance
 * (3 rooms, 40 expected items, 2 missing and 1 unexpected, a reformed item
 * no longer expected), the findings applied, moves between rooms and
 * collectivités, and typed refusals that change nothing.
 */
class FurnitureTest {

    private fun d(y: Int, m: Int, j: Int): LocalDate = LocalDate.of(y, m, j)

    private fun number(i: Int) = "ROANNE-MOB-%04d".format(i)

    private fun roomOf(i: Int) = if (i <= 14) "R1" else if (i <= 27) "R2" else "R3"

    /** ROANNE's town hall HDV (rooms R1-R3, a boiler), AGGLO's seat; 41 items: 14 in R1, 13 in R2, 14 in R3. */
    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        val old = d(1900, 1, 1)
        m.addAsset(NewAsset(code = "HDV", name = "Hôtel de ville", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = old))
        for (r in listOf("R1", "R2", "R3")) {
            m.addAsset(NewAsset(code = r, name = r, kind = AssetKind.ROOM, owner = "ROANNE", commissioned = old, parent = "HDV"))
        }
        m.addAsset(NewAsset(code = "CHAUDIERE", name = "Chaudière", kind = AssetKind.EQUIPMENT, owner = "ROANNE", commissioned = old, parent = "HDV"))
        m.addAsset(NewAsset(code = "SIEGE", name = "Siège", kind = AssetKind.BUILDING, owner = "AGGLO", commissioned = old))
        m.addAsset(NewAsset(code = "SIEGE-1", name = "Salle du conseil", kind = AssetKind.ROOM, owner = "AGGLO", commissioned = old, parent = "SIEGE"))
        for (i in 1..41) {
            val code = "MOB-%04d".format(i)
            m.addAsset(NewAsset(code = code, name = "Mobilier", kind = AssetKind.FURNITURE, owner = "ROANNE", commissioned = d(2020, 1, 6)))
            m.registerFurniture(
                NewFurniture(
                    asset = code, number = number(i), category = listOf("chair", "desk", "cupboard")[i % 3],
                    location = roomOf(i), purchaseDate = d(2020, 1, 6), purchaseValue = BigDecimal("149.90"),
                )
            )
        }
        return m
    }

    /** Runs `body` on a fresh [seed], closed afterwards (a JUnit test returns Unit). */
    private fun withSeed(body: (Mutualis) -> Unit) = seed().use(body)

    @Test
    fun `the campaign of the acceptance lists exactly the missing and the unexpected`() = withSeed { m ->
        m.reformFurniture(number(41), d(2025, 11, 3), ReformOutcome.DESTROYED)
        m.openCampaign("REC-HDV-2026", "HDV", d(2026, 3, 2))
        for (i in 1..40) {
            if (i != 5 && i != 30) m.recordScan("REC-HDV-2026", number(i), roomOf(i), d(2026, 3, 3))
        }
        m.recordScan("REC-HDV-2026", "inconnu-0001", "R2", d(2026, 3, 4))
        val r = m.campaignReport("REC-HDV-2026")
        assertEquals(listOf(40u, 38u, 2u, 0u, 1u), listOf(r.expected, r.found, r.missing, r.misplaced, r.unexpected))
        assertEquals(listOf(number(5), number(30)), r.lines.filter { it.finding == Finding.MISSING }.map { it.number })
        assertEquals(listOf("INCONNU-0001"), r.lines.filter { it.finding == Finding.UNEXPECTED }.map { it.number })
        assertTrue(r.lines.none { it.number == number(41) })
        val unexpected = r.lines.single { it.finding == Finding.UNEXPECTED }
        assertNull(unexpected.asset)
        assertEquals("R2", unexpected.foundRoom)
        assertEquals(
            listOf(Triple("R1", 14u, 1u), Triple("R2", 13u, 0u), Triple("R3", 13u, 1u)),
            r.rooms.map { Triple(it.room, it.expected, it.missing) },
        )
        m.closeCampaign("REC-HDV-2026", d(2026, 3, 6))
        assertEquals(d(2026, 3, 6), m.campaigns().single().closed)
    }

    @Test
    fun `misplaced items are moved when the findings are applied`() = withSeed { m ->
        m.openCampaign("REC", "HDV", d(2026, 3, 2))
        m.recordScan("REC", number(1), "R2", d(2026, 3, 3))
        val line = m.campaignReport("REC").lines.single { it.number == number(1) }
        assertEquals(Finding.MISPLACED, line.finding)
        assertEquals("R1", line.expectedRoom)
        m.closeCampaign("REC", d(2026, 3, 6), apply = true)
        assertEquals("R2", m.furnitureItem(number(1)).location)
        assertEquals(MoveKind.INVENTORY, m.furnitureMoves(number(1)).single().kind)
        assertThrows(MutualisException.CampaignClosed::class.java) {
            m.recordScan("REC", number(2), "R1", d(2026, 3, 7))
        }
    }

    @Test
    fun `moves, transfers, loans and reform`() = withSeed { m ->
        m.moveFurniture(number(1), "R2", d(2025, 1, 15))
        m.setFurnitureStatus(number(1), FurnitureStatus.IN_STORE, d(2025, 1, 15))
        m.setFurnitureCondition(number(1), FurnitureCondition.WORN, d(2025, 2, 1))
        val i1 = m.furnitureItem(number(1))
        assertEquals(listOf("R2", "R1"), listOf(i1.location, i1.firstLocation))
        assertEquals(FurnitureStatus.IN_STORE, i1.status)
        assertEquals(FurnitureCondition.WORN, i1.condition)
        assertEquals(14, m.furnitureIn("R2", d(2025, 6, 1)).size)
        assertThrows(MutualisException.CrossTenantMove::class.java) { m.moveFurniture(number(2), "SIEGE-1", d(2026, 2, 1)) }
        m.transferFurniture(number(2), "SIEGE-1", d(2026, 2, 1))
        assertEquals("AGGLO", m.ownerOn("MOB-0002", d(2026, 2, 1)))
        assertEquals("ROANNE", m.ownerOn("MOB-0002", d(2026, 1, 31)))
        m.lendFurniture(number(3), "SIEGE-1", d(2026, 3, 1), until = d(2026, 6, 30))
        assertEquals("AGGLO", m.furnitureItem(number(3)).lentTo)
        m.returnFurniture(number(3), "R1", d(2026, 6, 30))
        val loan = m.furnitureLoans().single()
        assertEquals(listOf("MOB-0003", "AGGLO"), listOf(loan.asset, loan.borrower))
        assertEquals(d(2026, 6, 30), loan.returned)
        assertEquals(listOf(MoveKind.LOAN, MoveKind.RETURN), m.furnitureMoves(number(3)).map { it.kind })
        m.reformFurniture(number(4), d(2026, 5, 1), ReformOutcome.SOLD, price = BigDecimal("20.00"))
        m.reformFurniture(number(5), d(2026, 5, 1), ReformOutcome.GIVEN, recipient = "Emmaüs Roanne")
        assertEquals(ReformOutcome.SOLD, m.furnitureItem(number(4)).reformOutcome)
        assertEquals("Emmaüs Roanne", m.furnitureItem(number(5)).reformRecipient)
        assertEquals(41, m.furniture().size)
    }

    @Test
    fun `refusals are typed and change nothing`() = withSeed { m ->
        m.reformFurniture(number(41), d(2025, 11, 3), ReformOutcome.DESTROYED)
        val before = m.toJson()
        assertThrows(MutualisException.NotALocation::class.java) { m.moveFurniture(number(1), "CHAUDIERE", d(2026, 1, 1)) }
        assertThrows(MutualisException.ItemReformed::class.java) { m.moveFurniture(number(41), "R1", d(2026, 1, 1)) }
        assertThrows(MutualisException.UnknownInventoryNumber::class.java) { m.moveFurniture("X-1", "R1", d(2026, 1, 1)) }
        assertThrows(MutualisException.ReformBeforePurchase::class.java) {
            m.reformFurniture(number(1), d(2019, 12, 31), ReformOutcome.DESTROYED)
        }
        assertEquals(before, m.toJson())
    }
}
