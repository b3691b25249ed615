package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * Stock valued at CMUP (DOMAIN §5): a receipt re-averages the unit cost (4
 * decimals), an issue is valued at the current CMUP and rounded to the cent,
 * an issue larger than the quantity on hand is refused and changes nothing.
 */
class StockTest {

    private val m = field().also {
        it.createWorkOrder(NewWorkOrder("BT-STOCK", "Travaux", "GYM-COUBERTIN", team = "ROANNE-SPORTS"))
        it.startWorkOrder("BT-STOCK", at(2026, 3, 12, 7))
    }

    @AfterEach
    fun close() = m.close()

    private fun issue(on: Int, quantity: String) =
        m.recordMaterial("BT-STOCK", d(2026, 3, on), "MAG-ROANNE", "PEINTURE", BigDecimal(quantity))

    @Test
    fun `receipts re-average the unit cost`() {
        m.addItem("GANTS", "Gants de manutention", "paire")
        assertEquals(StockLevel(eur("0"), eur("0"), eur("0.00"), null), m.stockLevel("MAG-ROANNE", "GANTS"), "never received")
        // 10 at 14.00 → 14.0000
        assertEquals(StockLevel(eur("10"), eur("14.0000"), eur("140.00"), d(2026, 1, 5)), m.receiveStock("MAG-ROANNE", "GANTS", d(2026, 1, 5), BigDecimal("10"), eur("14.00")))
        // + 30 at 14.316 → (140 + 429.48) / 40 = 14.2370
        assertEquals(StockLevel(eur("40"), eur("14.2370"), eur("569.48"), d(2026, 1, 5)), m.receiveStock("MAG-ROANNE", "GANTS", d(2026, 2, 2), BigDecimal("30"), eur("14.316")))
        // + 3 at 0 (free samples) → 569.48 / 43 = 13.24372… → 13.2437
        assertEquals(StockLevel(eur("43"), eur("13.2437"), eur("569.48"), d(2026, 1, 5)), m.receiveStock("MAG-ROANNE", "GANTS", d(2026, 2, 3), BigDecimal("3"), eur("0")))
    }

    @Test
    fun `the CMUP sequence of receipts and issues`() {
        // 40 @ 14.2370; issue 15 → 213.555 → 213.56; 25 left
        val first = issue(12, "15")
        assertEquals(eur("14.2370"), first.unitCost)
        assertEquals(eur("213.56"), first.ht)
        assertEquals(StockLevel(eur("25"), eur("14.2370"), eur("355.93"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
        // receive 5 @ 15.10: (25 × 14.2370 + 75.50) / 30 = 14.38083… → 14.3808
        val level = m.receiveStock("MAG-ROANNE", "PEINTURE", d(2026, 3, 13), BigDecimal("5"), eur("15.10"))
        assertEquals(StockLevel(eur("30"), eur("14.3808"), eur("431.42"), d(2026, 1, 5)), level)
        // issue 7 → 100.6656 → 100.67
        val second = issue(14, "7")
        assertEquals(eur("14.3808"), second.unitCost)
        assertEquals(eur("100.67"), second.ht)
        // 23 × 14.3808 = 330.7584 → 330.76
        assertEquals(StockLevel(eur("23"), eur("14.3808"), eur("330.76"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
        assertEquals(eur("314.23"), m.workOrderCost("BT-STOCK").material.ttc)
    }

    @Test
    fun `an over-issue is refused and the stock is unchanged`() {
        issue(12, "15")
        val before = m.toJson()
        val journal = m.journal().size
        val level = m.stockLevel("MAG-ROANNE", "PEINTURE")
        val e = assertThrowsExactly<MutualisException.InsufficientStock> { issue(15, "25.5") }
        assertEquals("cannot issue 25.5 of \"PEINTURE\" from \"MAG-ROANNE\": only 25 on hand", e.message)
        assertEquals(level, m.stockLevel("MAG-ROANNE", "PEINTURE"))
        assertEquals(before, m.toJson())
        assertEquals(journal, m.journal().size)
        assertEquals(1, m.workOrderLines("BT-STOCK").size)
        // Exactly what is on hand can be issued.
        assertEquals(eur("355.93"), issue(15, "25").ht)
        assertEquals(StockLevel(eur("0"), eur("14.2370"), eur("0.00"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
    }

    @Test
    fun `a zero or negative quantity is refused`() {
        val before = m.toJson()
        assertThrowsExactly<MutualisException.InvalidQuantity> { issue(12, "0") }
        assertThrowsExactly<MutualisException.InvalidQuantity> { issue(12, "-1") }
        assertThrowsExactly<MutualisException.InvalidQuantity> {
            m.receiveStock("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal("0"), eur("1.00"))
        }
        assertThrowsExactly<MutualisException.InvalidQuantity> {
            m.receiveStock("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal("1"), eur("-1.00"))
        }
        assertEquals(before, m.toJson())
    }
}
