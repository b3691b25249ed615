package fr.mutualis

import java.time.Instant
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/**
 * Trailing optional parameters have Kotlin defaults: the calls below pass no
 * trailing `null`s and mean exactly what the explicit-null calls mean.
 */
class DefaultsTest {

    @Test
    fun `a tour without trailing nulls`() {
        Mutualis().use { m ->
            m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731")
            m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
            assertNull(m.tenant("AGGLO").insee)
            m.addService("ROANNE", "SPORTS", "Sports")
            m.addService("AGGLO", "VOIRIE", "Voirie")
            // services(): every tenant's, as services(null)
            assertEquals(m.services(null), m.services())
            assertEquals(listOf("SPORTS", "VOIRIE"), m.services().map { it.code }.sorted())
            m.addAsset(NewAsset(code = "GYM", name = "Gymnase", kind = AssetKind.BUILDING, owner = "ROANNE",
                                commissioned = LocalDate.of(1975, 9, 1)))
            m.grantCustody("GYM", "AGGLO", LocalDate.of(2019, 1, 1))   // open-ended
            assertNull(m.custodyHistory("GYM").single().to)
            assertEquals("AGGLO", m.payers("GYM", LocalDate.of(2040, 1, 1)).shares.single().tenant)

            m.setClock(Instant.parse("2026-03-12T07:00:00Z"))
            m.setClock()                                               // back to the system clock
            m.addTeam("ROANNE-SPORTS", "ROANNE", "Régie sports")       // no service
            m.setLabourRate("ROANNE", 2026, eur("38.50"))              // tenant-wide rate
            m.createWorkOrder(NewWorkOrder(code = "BT-1", title = "Peinture", asset = "GYM", team = "ROANNE-SPORTS"))
            m.setWorkOrderStatus("BT-1", WorkOrderStatus.IN_PROGRESS, Instant.parse("2026-03-12T08:00:00Z"))
            m.recordLabour("BT-1", LocalDate.of(2026, 3, 12), eur("6.5"))  // one agent, the order's team
            assertEquals(eur("250.25"), m.workOrderCost("BT-1").total.ttc)
            // rollup without a period: every line, as rollup(asset, null, null)
            assertEquals(m.rollup("GYM", null, null), m.rollup("GYM"))
        }
    }
}
