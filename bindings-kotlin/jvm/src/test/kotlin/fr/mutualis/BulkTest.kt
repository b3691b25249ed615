package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Bulk recording (`recordCosts`): a day of offline interventions synced at
 * once, all or nothing, with a progress listener implemented in Kotlin.
 */
class BulkTest {

    private val m = field().also {
        it.startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7))
        it.startWorkOrder("BT-GYM-2", at(2026, 3, 12, 7))
    }

    @AfterEach
    fun close() = m.close()

    /** Records every call it receives. */
    private class Recorder : ProgressListener {
        val calls = mutableListOf<Pair<ULong, ULong>>()
        override fun onProgress(done: ULong, total: ULong): Boolean {
            calls += done to total
            return true
        }
    }

    @Test
    fun `a mixed batch is recorded in order, with the same figures as one by one`() {
        val progress = Recorder()
        val lines = m.recordCosts(
            listOf(
                CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("6.5")),
                CostEntry.Material("BT-GYM-1", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", BigDecimal("12")),
                CostEntry.Vehicle("BT-GYM-2", d(2026, 3, 12), "VH-ROANNE-1", UsageUnit.KM, BigDecimal("42.3")),
                CostEntry.Labour("BT-GYM-2", d(2026, 3, 12), BigDecimal("1.75"), agents = 2u),
                CostEntry.External("BT-GYM-2", d(2026, 3, 12), "Peinture de sol", eur("99.99"), VatRate.REDUCED, supplier = "ARTIFICES"),
            ),
            progress,
        )
        assertEquals(listOf(eur("250.25"), eur("170.84"), eur("26.23"), eur("134.75"), eur("105.49")), lines.map { it.ttc })
        assertEquals(eur("5.50"), lines[4].vat, "99.99 × 5.5 % = 5.49945 → 5.50")
        assertEquals(eur("421.09"), m.workOrderCost("BT-GYM-1").total.ttc)
        assertEquals(lines.filter { it.workOrder == "BT-GYM-2" }, m.workOrderLines("BT-GYM-2"))
        assertEquals(listOf(5uL to 5uL), progress.calls, "called at the end (and every 1 024 lines)")
        assertEquals(5, m.journal().count { it.type == "cost_recorded" })
    }

    @Test
    fun `progress every 1 024 lines and at the end`() {
        val progress = Recorder()
        val batch = (0 until 3000).map { i ->
            CostEntry.Labour("BT-GYM-1", d(2026, 3, 1 + i % 28), BigDecimal("0.25"))
        }
        val lines = m.recordCosts(batch, progress)
        assertEquals(3000, lines.size)
        assertEquals(listOf(1024uL to 3000uL, 2048uL to 3000uL, 3000uL to 3000uL), progress.calls)
        // 0.25 h × 38.50 = 9.625 → 9.63 per line; the total is the sum of rounded lines.
        assertEquals(eur("28890.00"), m.workOrderCost("BT-GYM-1").total.ttc)
    }

    @Test
    fun `a refused row leaves everything unchanged and is named in the message`() {
        val before = m.toJson()
        val journal = m.journal()
        val progress = Recorder()
        val e = assertThrowsExactly<MutualisException.InsufficientStock> {
            m.recordCosts(
                listOf(
                    CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("6.5")),
                    CostEntry.Material("BT-GYM-1", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", BigDecimal("30")),
                    CostEntry.Material("BT-GYM-2", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", BigDecimal("30")),
                    CostEntry.Labour("BT-GYM-2", d(2026, 3, 12), BigDecimal("1")),
                ),
                progress,
            )
        }
        // Row 2 (0-based) asks for 30 pots when the batch left 10.
        assertEquals("row 2: cannot issue 30 of \"PEINTURE\" from \"MAG-ROANNE\": only 10 on hand", e.message)
        assertEquals(before, m.toJson())
        assertEquals(journal, m.journal())
        assertEquals(StockLevel(eur("40"), eur("14.2370"), eur("569.48"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
        assertEquals(emptyList<Pair<ULong, ULong>>(), progress.calls, "no end-of-batch call on failure")
    }

    @Test
    fun `each row keeps the exception class of its error`() {
        val before = m.toJson()
        val day = d(2026, 3, 12)
        val ok = CostEntry.Labour("BT-GYM-1", day, BigDecimal("1"))
        val unknownOrder = assertThrowsExactly<MutualisException.UnknownWorkOrder> {
            m.recordCosts(listOf(ok, CostEntry.Labour("NOPE", day, BigDecimal("1"))))
        }
        assertEquals("row 1: unknown work order \"NOPE\"", unknownOrder.message)
        val notOpen = assertThrowsExactly<MutualisException.NoRate> {
            m.recordCosts(listOf(CostEntry.Vehicle("BT-GYM-2", day, "VH-ROANNE-1", UsageUnit.HOUR, BigDecimal("2")), ok))
        }
        assertTrue(notOpen.message!!.startsWith("row 0: no vehicle rate"), notOpen.message)
        assertEquals(before, m.toJson())
        assertEquals(emptyList<CostLine>(), m.recordCosts(emptyList()))
    }

    @Test
    fun `a listener that throws does not break the batch`() {
        var calls = 0
        val failing = object : ProgressListener {
            override fun onProgress(done: ULong, total: ULong): Boolean {
                calls++
                throw IllegalStateException("progress bar gone")
            }
        }
        val batch = (0 until 2100).map { CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("0.5")) }
        assertEquals(2100, m.recordCosts(batch, failing).size)
        assertEquals(1, calls, "not called again after it failed")
        // The registry is still usable.
        assertEquals(2100uL, m.workOrderCost("BT-GYM-1").lines)
        assertEquals(eur("40425.00"), m.workOrderCost("BT-GYM-1").total.ttc, "2 100 × 19.25")
    }

    @Test
    fun `a listener that answers false stops the batch and nothing is recorded`() {
        val before = m.toJson()
        val stopping = object : ProgressListener {
            override fun onProgress(done: ULong, total: ULong): Boolean = done < 1024uL
        }
        val batch = (0 until 2100).map { CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("0.5")) }
        val e = org.junit.jupiter.api.assertThrows<MutualisException.Cancelled> { m.recordCosts(batch, stopping) }
        assertEquals("row 1024: stopped by the caller after 1024 of 2100: nothing was recorded", e.message)
        assertEquals(before, m.toJson())
    }
}
