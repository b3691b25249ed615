package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * What a field agent's Android app does on site, one test per step, on one
 * shared registry (the steps run in order): the gymnasium worked example of
 * DOMAIN §4 — 6.5 h × 38.50 = 250.25, 12 pots at CMUP 14.2370 = 170.84, total
 * 421.09 charged to AGGLO, holder of the gymnasium — then vehicle use on a
 * second work order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class FieldFlowTest {

    private val m = field()
    private val day = d(2026, 3, 12)

    @AfterAll
    fun close() = m.close()

    @Test
    @Order(1)
    fun `the tablet identifies itself`() {
        m.setActor("tablette-roanne-07")
        m.setClock(null) // back to the system clock, as on a device
        assertEquals("tablette-roanne-07", m.actor())
    }

    @Test
    @Order(2)
    fun `list the work orders assigned to ROANNE-SPORTS`() {
        val orders = m.workOrdersOfTeam("ROANNE-SPORTS")
        assertEquals(listOf("BT-GYM-1", "BT-GYM-2"), orders.map { it.code })
        val paint = orders[0]
        assertEquals(
            WorkOrder(
                code = "BT-GYM-1", title = "Peinture de la grande salle", asset = "GYM-COUBERTIN-SALLE",
                team = "ROANNE-SPORTS", supplier = null, serviceTenant = null, service = null,
                requests = emptyList(), tags = emptyList(), association = null, plannedOn = null,
                status = WorkOrderStatus.PLANNED, history = emptyList(), lineCount = 0uL,
            ),
            paint,
        )
        assertEquals(listOf(WorkOrderStatus.SCHEDULED, WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.CANCELLED), paint.status.next())
        assertFalse(paint.status.acceptsCosts())
        assertEquals(emptyList<WorkOrder>(), m.workOrdersOfTeam("VILLEREST-AGENTS"))
    }

    @Test
    @Order(3)
    fun `start the intervention`() {
        m.startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7, 30))
        val wo = m.workOrder("BT-GYM-1")
        assertEquals(WorkOrderStatus.IN_PROGRESS, wo.status)
        assertEquals(listOf(WorkOrderStatusChange(at(2026, 3, 12, 7, 30), WorkOrderStatus.IN_PROGRESS)), wo.history)
        assertTrue(wo.status.acceptsCosts())
    }

    @Test
    @Order(4)
    fun `record the hours worked`() {
        val line = m.recordLabour("BT-GYM-1", day, BigDecimal("6.5"))
        assertEquals(CostNature.LABOUR, line.nature)
        assertEquals("BT-GYM-1", line.workOrder)
        assertEquals(day, line.date)
        assertEquals("ROANNE-SPORTS", line.team)
        assertEquals("ROANNE", line.providerTenant, "Roanne's régie provides the labour")
        assertEquals(eur("6.5"), line.quantity)
        assertEquals(eur("38.50"), line.unitCost)
        assertEquals(eur("250.25"), line.ht)
        assertEquals(eur("0.00"), line.vat)
        assertEquals(eur("250.25"), line.ttc)
        assertNull(line.vatRate)
        assertNull(line.supplier)
    }

    @Test
    @Order(5)
    fun `record the materials issued from the store`() {
        assertEquals(StockLevel(eur("40"), eur("14.2370"), eur("569.48"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
        val line = m.recordMaterial("BT-GYM-1", day, "MAG-ROANNE", "PEINTURE", BigDecimal("12"))
        assertEquals(CostNature.MATERIAL, line.nature)
        assertEquals("MAG-ROANNE", line.store)
        assertEquals("PEINTURE", line.item)
        assertEquals("Peinture acrylique 15 L", line.description)
        assertEquals(eur("12"), line.quantity)
        assertEquals(eur("14.2370"), line.unitCost)
        assertEquals(eur("170.84"), line.ht, "12 × 14.2370 = 170.844 → 170.84")
        assertEquals(eur("170.84"), line.ttc)
        // The stock went down by 12 pots; the CMUP is unchanged by an issue.
        assertEquals(StockLevel(eur("28"), eur("14.2370"), eur("398.64"), d(2026, 1, 5)), m.stockLevel("MAG-ROANNE", "PEINTURE"))
        assertEquals(2uL, m.workOrder("BT-GYM-1").lineCount)
    }

    @Test
    @Order(6)
    fun `close the intervention`() {
        m.closeWorkOrder("BT-GYM-1", at(2026, 3, 12, 17))
        val wo = m.workOrder("BT-GYM-1")
        assertEquals(WorkOrderStatus.CLOSED, wo.status)
        assertEquals(
            listOf(WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.DONE, WorkOrderStatus.CLOSED),
            wo.history.map { it.status },
        )
        assertEquals(emptyList<WorkOrderStatus>(), wo.status.next())
        assertThrowsExactly<MutualisException.WorkOrderNotOpen> { m.recordLabour("BT-GYM-1", day, BigDecimal.ONE) }
    }

    @Test
    @Order(7)
    fun `its cost, charged to the holder AGGLO`() {
        val cost = m.workOrderCost("BT-GYM-1")
        assertEquals(Amounts(eur("250.25"), eur("0.00"), eur("250.25")), cost.labour)
        assertEquals(Amounts(eur("170.84"), eur("0.00"), eur("170.84")), cost.material)
        assertEquals(Amounts(eur("0.00"), eur("0.00"), eur("0.00")), cost.vehicle)
        assertEquals(Amounts(eur("0.00"), eur("0.00"), eur("0.00")), cost.external)
        assertEquals(Amounts(eur("421.09"), eur("0.00"), eur("421.09")), cost.total)
        assertEquals(2uL, cost.lines)
        // ROANNE's régie did the work; AGGLO, holder of the gymnasium since
        // 2019 (mise à disposition), pays: DOMAIN §4.
        assertEquals(listOf(Charge("AGGLO", Amounts(eur("421.09"), eur("0.00"), eur("421.09")))), m.workOrderCharges("BT-GYM-1"))
        assertEquals(listOf(eur("250.25"), eur("170.84")), m.workOrderLines("BT-GYM-1").map { it.ttc })
    }

    @Test
    @Order(8)
    fun `vehicle use and a two-agent crew on another work order`() {
        m.startWorkOrder("BT-GYM-2", at(2026, 3, 13, 7))
        // 42.3 km at the VUL category rate 0.62 €/km = 26.226 → 26.23
        val km = m.recordVehicle("BT-GYM-2", d(2026, 3, 13), "VH-ROANNE-1", UsageUnit.KM, BigDecimal("42.3"))
        assertEquals(CostNature.VEHICLE, km.nature)
        assertEquals("VH-ROANNE-1", km.vehicle)
        assertEquals(UsageUnit.KM, km.unit)
        assertEquals("ROANNE", km.providerTenant)
        assertEquals(eur("0.62"), km.unitCost)
        assertEquals(eur("26.23"), km.ht)
        // 1 day at the van's own day rate 45.00
        val dayUse = m.recordVehicle("BT-GYM-2", d(2026, 3, 13), "VH-ROANNE-1", UsageUnit.DAY, BigDecimal("1"))
        assertEquals(eur("45.00"), dayUse.ttc)
        // 2 agents × 1.75 h × 38.50 = 134.75
        val crew = m.recordLabour("BT-GYM-2", d(2026, 3, 13), BigDecimal("1.75"), agents = 2u)
        assertEquals(eur("3.50"), crew.quantity)
        assertEquals(eur("134.75"), crew.ht)
        val cost = m.workOrderCost("BT-GYM-2")
        assertEquals(Amounts(eur("71.23"), eur("0.00"), eur("71.23")), cost.vehicle)
        assertEquals(Amounts(eur("205.98"), eur("0.00"), eur("205.98")), cost.total, "26.23 + 45.00 + 134.75")
        assertEquals(listOf(Charge("AGGLO", Amounts(eur("205.98"), eur("0.00"), eur("205.98")))), m.workOrderCharges("BT-GYM-2"))
    }

    @Test
    @Order(9)
    fun `roll-up of the gymnasium, in all and per period`() {
        assertEquals(eur("627.07"), m.rollup("GYM-COUBERTIN").total.ttc, "421.09 + 205.98")
        assertEquals(eur("421.09"), m.rollup("GYM-COUBERTIN-SALLE").total.ttc)
        assertEquals(eur("421.09"), m.rollup("GYM-COUBERTIN", to = d(2026, 3, 12)).total.ttc)
        assertEquals(eur("205.98"), m.rollup("GYM-COUBERTIN", from = d(2026, 3, 13)).total.ttc)
        assertEquals(0uL, m.rollup("GYM-COUBERTIN", d(2026, 4, 1), d(2026, 4, 30)).lines)
        assertThrowsExactly<MutualisException.DatesOutOfOrder> { m.rollup("GYM-COUBERTIN", d(2026, 4, 30), d(2026, 4, 1)) }
    }

    @Test
    @Order(10)
    fun `every step is in the journal, by the tablet`() {
        val field = m.journal().filter { it.actor == "tablette-roanne-07" }
        assertEquals(
            listOf(
                "work_order_status_changed", "cost_recorded", "cost_recorded",
                "work_order_status_changed", "work_order_status_changed",
                "work_order_status_changed", "cost_recorded", "cost_recorded", "cost_recorded",
            ),
            field.map { it.type },
        )
        assertTrue(field.all { it.tenant == "ROANNE" }, "the performing team's tenant")
        // Entries after setClock(null) carry the system clock.
        assertTrue(field.all { it.at.isAfter(SETUP_TIME) })
        assertEquals((1uL..m.journal().size.toULong()).toList(), m.journal().map { it.seq })
    }
}
