package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

/** Transfers of ownership: payers follow the owner on each line's date, history is kept. */
class OwnershipTest {

    private fun d(y: Int, m: Int, j: Int) = LocalDate.of(y, m, j)

    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        m.addTenant("MABLY", "Commune de Mably", TenantKind.COMMUNE, "214212706", "42127")
        m.addAsset(NewAsset(code = "ZAE", name = "Zone d'activité", kind = AssetKind.SITE, owner = "ROANNE", commissioned = d(1990, 1, 1)))
        m.addAsset(NewAsset(code = "ZAE-HALLE", name = "Halle", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1), parent = "ZAE"))
        m.addAsset(NewAsset(code = "ZAE-ECL", name = "Éclairage", kind = AssetKind.EQUIPMENT, owner = "MABLY", commissioned = d(2010, 1, 1), parent = "ZAE-HALLE"))
        return m
    }

    @Test
    fun `a transfer moves the asset and its same-owner descendants from its date`() {
        seed().use { m ->
            assertEquals(listOf("ZAE", "ZAE-HALLE"), m.transferOwnership("ZAE", "AGGLO", d(2026, 7, 1)))
            assertEquals("ROANNE", m.ownerOn("ZAE-HALLE", d(2026, 6, 30)))
            assertEquals("AGGLO", m.ownerOn("ZAE-HALLE", d(2026, 7, 1)))
            assertEquals("MABLY", m.ownerOn("ZAE-ECL", d(2027, 1, 1)))
            assertEquals(listOf(Transfer("ZAE-HALLE", "AGGLO", d(2026, 7, 1))), m.ownershipHistory("ZAE-HALLE"))
            assertEquals(emptyList<Transfer>(), m.ownershipHistory("ZAE-ECL"))
            // payers follow the owner of the day
            assertEquals("ROANNE", m.payers("ZAE-HALLE", d(2026, 6, 30)).shares.single().tenant)
            assertEquals("AGGLO", m.payers("ZAE-HALLE", d(2026, 7, 1)).shares.single().tenant)
            // custody to the owner of the day is refused
            assertThrows(MutualisException.CustodyToOwner::class.java) {
                m.grantCustody("ZAE", "AGGLO", d(2026, 6, 1), d(2026, 8, 31))
            }
            // the export reloads with the history
            val json = m.toJson()
            Mutualis.fromJson(json).use { back -> assertEquals(json, back.toJson()) }
        }
    }

    @Test
    fun `refused transfers change nothing`() {
        seed().use { m ->
            m.transferOwnership("ZAE", "MABLY", d(2025, 6, 1))
            val before = m.toJson()
            val journal = m.journal()
            assertThrows(MutualisException.TransferRefused::class.java) { m.transferOwnership("ZAE", "MABLY", d(2026, 1, 1)) }
            assertThrows(MutualisException.TransferRefused::class.java) { m.transferOwnership("ZAE", "AGGLO", d(2025, 1, 1)) }
            assertThrows(MutualisException.OutsideAssetLife::class.java) { m.transferOwnership("ZAE", "AGGLO", d(1980, 1, 1)) }
            assertThrows(MutualisException.YearOutOfRange::class.java) { m.transferOwnership("ZAE", "AGGLO", d(2201, 1, 1)) }
            assertThrows(MutualisException.UnknownAsset::class.java) { m.transferOwnership("NOPE", "AGGLO", d(2026, 1, 1)) }
            assertThrows(MutualisException.UnknownTenant::class.java) { m.transferOwnership("ZAE", "NOPE", d(2026, 1, 1)) }
            assertThrows(MutualisException.UnknownAsset::class.java) { m.ownerOn("NOPE", d(2026, 1, 1)) }
            assertThrows(MutualisException.UnknownAsset::class.java) { m.ownershipHistory("NOPE") }
            assertEquals(before, m.toJson())
            assertEquals(journal, m.journal())
        }
    }
}
