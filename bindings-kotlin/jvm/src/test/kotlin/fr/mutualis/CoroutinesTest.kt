package fr.mutualis

import java.math.BigDecimal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The suspend helpers of Coroutines.kt: off the caller's thread, concurrent callers serialised, cancellable batches. */
class CoroutinesTest {

    private val m = field().also { it.startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7)) }

    @AfterEach
    fun close() = m.close()

    @Test
    fun `background runs off the calling thread and returns the result`() = runBlocking {
        val caller = Thread.currentThread()
        val (thread, cost) = m.background { Thread.currentThread() to workOrderCost("BT-GYM-1") }
        assertNotEquals(caller, thread)
        assertEquals(0uL, cost.lines)
        // exceptions come back typed
        val e = assertThrows<MutualisException.UnknownTenant> { m.background { tenant("NOPE") } }
        assertEquals("NOPE", e.code)
    }

    @Test
    fun `concurrent coroutines on one registry are serialised, none lost`() = runBlocking {
        (0 until 64).map { i ->
            async(Dispatchers.Default) {
                m.background { recordLabour("BT-GYM-1", d(2026, 3, 12), BigDecimal("0.5")) }
            }
        }.awaitAll()
        val cost = m.workOrderCost("BT-GYM-1")
        assertEquals(64uL, cost.lines)
        assertEquals(eur("1232.00"), cost.total.ttc, "64 × 0.5 h × 38.50")
    }

    @Test
    fun `recordCostsSuspending reports progress and records the batch`() = runBlocking {
        val seen = mutableListOf<ULong>()
        val batch = (0 until 2100).map { CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("0.5")) }
        val lines = m.recordCostsSuspending(batch) { done, _ -> synchronized(seen) { seen += done } }
        assertEquals(2100, lines.size)
        assertEquals(listOf(1024uL, 2048uL, 2100uL), seen)
    }

    @Test
    fun `cancelling the coroutine stops the batch and records nothing`() {
        val before = m.toJson()
        val batch = (0 until 2100).map { CostEntry.Labour("BT-GYM-1", d(2026, 3, 12), BigDecimal("0.5")) }
        assertThrows<CancellationException> {
            runBlocking {
                val job = async(Dispatchers.Default) {
                    m.recordCostsSuspending(batch) { done, _ -> if (done >= 1024uL) cancel("user left the screen") }
                }
                job.await()
            }
        }
        assertEquals(before, m.toJson())
    }
}
