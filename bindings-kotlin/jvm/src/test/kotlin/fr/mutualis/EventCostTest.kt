package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The cost of an event (DOMAIN §4, 14 juillet 2026 at VILLEREST), through
 * its tag: stage set-up 2 agents × 4 h × 32.00 = 256.00; barrier rental
 * 480.00 HT at 20 % → 576.00 TTC; fireworks 3 500.00 HT at 20 % → 4 200.00
 * TTC; cleaning 3 h × 32.00 = 96.00. Event: 4 332.00 HT, 5 128.00 TTC.
 */
class EventCostTest {

    private val m = field()
    private val tag = "14-juillet-2026"
    private val day = d(2026, 7, 14)

    @AfterEach
    fun close() = m.close()

    private fun event() {
        val place = "PLACE-VILLEREST"
        m.createWorkOrder(NewWorkOrder("BT-14J-SCENE", "Montage scène", place, team = "VILLEREST-AGENTS", tags = listOf(tag)))
        m.createWorkOrder(NewWorkOrder("BT-14J-BARRIERES", "Location barrières", place, supplier = "LOCABARRIERES", tags = listOf(tag)))
        m.createWorkOrder(NewWorkOrder("BT-14J-FEU", "Feu d'artifice", place, supplier = "ARTIFICES", tags = listOf(tag)))
        m.createWorkOrder(NewWorkOrder("BT-14J-NETTOYAGE", "Nettoyage", place, team = "VILLEREST-AGENTS", tags = listOf(tag)))
        for (wo in listOf("BT-14J-SCENE", "BT-14J-BARRIERES", "BT-14J-FEU", "BT-14J-NETTOYAGE")) {
            m.startWorkOrder(wo, at(2026, 7, 14, 6))
        }
        m.recordLabour("BT-14J-SCENE", day, BigDecimal("4"), agents = 2u)
        m.recordExternal("BT-14J-BARRIERES", day, "Location 40 barrières", eur("480.00"), VatRate.STANDARD)
        m.recordExternal("BT-14J-FEU", day, "Feu d'artifice", eur("3500.00"), VatRate.STANDARD)
        m.recordLabour("BT-14J-NETTOYAGE", d(2026, 7, 15), BigDecimal("3"))
    }

    @Test
    fun `each work order of the event`() {
        event()
        assertEquals(eur("256.00"), m.workOrderCost("BT-14J-SCENE").total.ht)
        val barriers = m.workOrderLines("BT-14J-BARRIERES").single()
        assertEquals(CostNature.EXTERNAL, barriers.nature)
        assertEquals("LOCABARRIERES", barriers.supplier)
        assertEquals(null, barriers.providerTenant)
        assertEquals(VatRate.STANDARD, barriers.vatRate)
        assertEquals(listOf(eur("480.00"), eur("96.00"), eur("576.00")), listOf(barriers.ht, barriers.vat, barriers.ttc))
        assertEquals(eur("4200.00"), m.workOrderCost("BT-14J-FEU").total.ttc)
        assertEquals(eur("96.00"), m.workOrderCost("BT-14J-NETTOYAGE").total.ttc)
    }

    @Test
    fun `the event cost by its tag`() {
        event()
        val cost = m.costByTag(tag)
        assertEquals(Amounts(eur("4332.00"), eur("796.00"), eur("5128.00")), cost.total)
        assertEquals(Amounts(eur("352.00"), eur("0.00"), eur("352.00")), cost.labour)
        assertEquals(Amounts(eur("3980.00"), eur("796.00"), eur("4776.00")), cost.external)
        assertEquals(4uL, cost.lines)
        // The parts add up to the total.
        val parts = listOf(cost.labour, cost.material, cost.vehicle, cost.external)
        assertEquals(cost.total.ttc, parts.fold(BigDecimal.ZERO) { acc, a -> acc + a.ttc })
        // Another tag has nothing.
        assertEquals(CostSummary(zero(), zero(), zero(), zero(), zero(), zero(), 0uL), m.costByTag("fete-de-la-musique-2026"))
    }

    @Test
    fun `Villerest, holder of its square, pays everything`() {
        event()
        for (wo in listOf("BT-14J-SCENE", "BT-14J-BARRIERES", "BT-14J-FEU", "BT-14J-NETTOYAGE")) {
            assertEquals(listOf("VILLEREST"), m.workOrderCharges(wo).map { it.tenant })
        }
        assertEquals(
            listOf(Charge("VILLEREST", Amounts(eur("3500.00"), eur("700.00"), eur("4200.00")))),
            m.workOrderCharges("BT-14J-FEU"),
        )
    }

    @Test
    fun `supplier activity, in all and per period`() {
        event()
        val fireworks = m.supplierActivity("ARTIFICES")
        assertEquals(1uL, fireworks.interventions)
        assertEquals(eur("4200.00"), fireworks.cost.total.ttc)
        assertEquals(eur("4200.00"), fireworks.cost.external.ttc)
        assertEquals(0uL, m.supplierActivity("ARTIFICES", from = d(2026, 7, 15)).interventions)
        assertEquals(1uL, m.supplierActivity("LOCABARRIERES", d(2026, 7, 1), d(2026, 7, 31)).interventions)
    }

    @Test
    fun `cost by association (aide en nature)`() {
        m.createWorkOrder(
            NewWorkOrder("BT-CLUB", "Réparation vestiaires du club", "GYM-COUBERTIN-SALLE", team = "ROANNE-SPORTS", association = "CLUB-BASKET")
        )
        m.startWorkOrder("BT-CLUB", at(2026, 3, 12, 7))
        m.recordLabour("BT-CLUB", d(2026, 3, 12), BigDecimal("2")) // 77.00
        assertEquals(eur("77.00"), m.costByAssociation("CLUB-BASKET").total.ttc)
        assertEquals(0uL, m.costByAssociation("AUTRE").lines)
    }

    @Test
    fun `a credit note reverses an invoice line`() {
        event()
        m.recordExternal("BT-14J-FEU", d(2026, 7, 20), "Avoir: bouquet final annulé", eur("-500.00"), VatRate.STANDARD)
        assertEquals(Amounts(eur("3000.00"), eur("600.00"), eur("3600.00")), m.workOrderCost("BT-14J-FEU").total)
    }

    private fun zero() = Amounts(eur("0.00"), eur("0.00"), eur("0.00"))
}
