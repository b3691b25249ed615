package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrowsExactly
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The engine from Kotlin: lines already recorded follow a move in the tree
 * (the ledger re-allocates them), and a saved registry always reloads —
 * decommissioning an asset before its recorded costs is refused.
 */
class EngineTest {

    private val m = field()

    @AfterEach
    fun close() = m.close()

    private fun charged() = m.workOrderCharges("BT-GYM-1").map { it.tenant to it.amounts.ttc }

    @Test
    fun `recorded lines follow the asset when it moves`() {
        m.startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7, 30))
        m.recordLabour("BT-GYM-1", d(2026, 3, 12), BigDecimal("6.5"))
        assertEquals(listOf("AGGLO" to BigDecimal("250.25")), charged())
        // out of the gymnasium (held by AGGLO), the room is its owner's again
        m.setParent("GYM-COUBERTIN-SALLE", null)
        assertEquals(listOf("ROANNE" to BigDecimal("250.25")), charged())
        m.setParent("GYM-COUBERTIN-SALLE", "GYM-COUBERTIN")
        assertEquals(listOf("AGGLO" to BigDecimal("250.25")), charged())
    }

    @Test
    fun `decommissioning before recorded costs is refused and changes nothing`() {
        m.startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7, 30))
        m.recordLabour("BT-GYM-1", d(2026, 3, 12), BigDecimal("6.5"))
        val before = m.toJson()
        val e = assertThrowsExactly(MutualisException.OutsideAssetLife::class.java) {
            m.decommission("GYM-COUBERTIN-SALLE", d(2026, 3, 11))
        }
        assertTrue(e.message!!.contains("2026-03-12"), e.message)
        assertEquals(before, m.toJson())
        m.decommission("GYM-COUBERTIN-SALLE", d(2026, 3, 12))
        Mutualis.fromJson(m.toJson()).use { back -> assertEquals(m.toJson(), back.toJson()) }
    }
}
