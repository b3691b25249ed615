package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

/**
 * Énergies (issue 16) from Kotlin: the hand-worked cases of the issue
 * (climate correction, the décret tertiaire gap, a sub-meter deduction, an
 * invoice straddling two years prorated by days), the split between
 * services and tenants, and typed refusals that change nothing.
 */
class EnergyTest {

    private fun d(y: Int, m: Int, j: Int): LocalDate = LocalDate.of(y, m, j)

    private fun same(expected: String, actual: BigDecimal?) =
        assertEquals(0, BigDecimal(expected).compareTo(actual), "expected $expected, got $actual")

    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        m.addTenant("MABLY", "Mably", TenantKind.COMMUNE, "214212706", "42127")
        m.addAsset(NewAsset(code = "SIEGE", name = "Siège", kind = AssetKind.BUILDING, owner = "AGGLO", commissioned = d(1990, 1, 1), floorArea = BigDecimal("2000")))
        m.addAsset(NewAsset(code = "SIEGE-RDC", name = "RDC", kind = AssetKind.ROOM, owner = "AGGLO", commissioned = d(1990, 1, 1), parent = "SIEGE"))
        m.addAsset(NewAsset(code = "ECOLE", name = "École", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1), floorArea = BigDecimal("1500")))
        m.setSharingKey("SIEGE", KeyBasis.AGREED, d(2025, 1, 1), null, mapOf("ROANNE" to 1uL, "MABLY" to 2uL))
        m.addMeter("ELEC", "SIEGE", EnergySource.ELECTRICITY, EnergyUnit.KWH, deliveryPoint = "30001234567890")
        m.addMeter("ELEC-RDC", "SIEGE-RDC", EnergySource.ELECTRICITY, EnergyUnit.KWH, parent = "ELEC")
        m.recordEnergyInvoice("ELEC", "F-0", d(2026, 2, 28), d(2025, 12, 1), d(2026, 2, 28), BigDecimal("9000"), EnergyUnit.KWH, BigDecimal("100.00"), BigDecimal("928.80"), BigDecimal("205.76"))
        m.recordEnergyInvoice("ELEC", "F-1", d(2026, 12, 31), d(2026, 3, 1), d(2026, 12, 31), BigDecimal("41100"), EnergyUnit.KWH, BigDecimal("300.00"), BigDecimal("5000.00"), BigDecimal("1060.00"))
        m.recordReading("ELEC-RDC", d(2025, 12, 31), BigDecimal("1000"))
        m.recordReading("ELEC-RDC", d(2026, 12, 31), BigDecimal("13000"))
        m.addMeter("CHAUF", "ECOLE", EnergySource.HEATING_NETWORK, EnergyUnit.KWH, station = "ROANNE-MTO")
        m.recordEnergyInvoice("CHAUF", "C-2026", d(2026, 12, 31), d(2026, 1, 1), d(2026, 12, 31), BigDecimal("120000"), EnergyUnit.KWH, BigDecimal("1000.00"), BigDecimal("9000.00"), BigDecimal("550.00"))
        m.setDju("ROANNE-MTO", 2026, BigDecimal("2100"))
        m.setDjuReference("ROANNE-MTO", BigDecimal("2400"))
        m.declareTertiarySite("ECOLE", "enseignement", BigDecimal("1500"), 2019, BigDecimal("200000"))
        return m
    }

    @Test
    fun `climate correction and the decret tertiaire gap`() {
        seed().use { m ->
            same("137142.86", m.climateCorrected("ROANNE-MTO", 2026, BigDecimal("120000")))
            val s = m.tertiaryStatus("ECOLE", 2026)
            same("137142.86", s.adjustedKwh)
            assertEquals(2030, s.milestone)
            same("120000", s.targetKwh)
            same("17142.86", s.gapKwh)
            assertEquals("building;activity;floor_area;year;energy;kwh\nECOLE;enseignement;1500;2026;heating_network;120000\n", m.operatCsv(2026))
        }
    }

    @Test
    fun `an invoice straddling two years is prorated by days`() {
        seed().use { m ->
            val p = m.invoiceParts("ELEC", "F-0")
            assertEquals(listOf(2025 to 31u, 2026 to 59u), p.map { it.year to it.days })
            same("3100", p[0].kwh)
            same("5900", p[1].kwh)
            same("425.24", p[0].ttc)
            same("809.32", p[1].ttc)
        }
    }

    @Test
    fun `a sub-meter is deducted from its parent`() {
        seed().use { m ->
            val y = m.meterYear("ELEC", 2026)
            same("47000", y.grossKwh)
            same("12000", y.subMetersKwh)
            same("35000", y.netKwh)
            same("7169.32", y.costTtc)
        }
    }

    @Test
    fun `consumption and cost split between services and tenants to the cent`() {
        seed().use { m ->
            val s = m.energyAllocation("SIEGE", 2026, mapOf("VOIRIE" to 3uL, "DSI" to 1uL))
            assertEquals(listOf("DSI", "VOIRIE"), s.map { it.key })
            same("11750.00", s[0].kwh)
            same("35250.00", s[1].kwh)
            same("7169.32", s[0].costTtc + s[1].costTtc)
            val t = m.energyInvoiceTenants("ELEC", "F-0")
            assertEquals(listOf("MABLY", "ROANNE"), t.map { it.key })
            same("823.04", t[0].costTtc)
            same("411.52", t[1].costTtc)
        }
    }

    @Test
    fun `a lower index is refused and nothing changes`() {
        seed().use { m ->
            val before = m.toJson()
            assertThrows(MutualisException.IndexBelowLast::class.java) { m.recordReading("ELEC-RDC", d(2027, 1, 31), BigDecimal("12999")) }
            assertThrows(MutualisException.UnknownMeter::class.java) { m.meterYear("NOPE", 2026) }
            assertThrows(MutualisException.UnitMismatch::class.java) {
                m.recordEnergyInvoice("ELEC", "F-9", d(2027, 2, 1), d(2027, 1, 1), d(2027, 1, 31), BigDecimal("1"), EnergyUnit.M3, BigDecimal("0"), BigDecimal("1"), BigDecimal("0"))
            }
            assertThrows(MutualisException.NegativeConsumption::class.java) {
                m.recordEnergyInvoice("ELEC", "F-9", d(2027, 2, 1), d(2027, 1, 1), d(2027, 1, 31), BigDecimal("-1"), EnergyUnit.KWH, BigDecimal("0"), BigDecimal("1"), BigDecimal("0"))
            }
            assertEquals(before, m.toJson())
        }
    }

    /** The HALLE (AGGLO's, AGGLO/BAT) shared 60 : 40 with MABLY, one invoice of 1 200.00 TTC; MABLY's town hall heated by gas. */
    private fun sharedHall(): Mutualis {
        val m = Mutualis()
        m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        m.addTenant("MABLY", "Mably", TenantKind.COMMUNE, "214212706", "42127")
        m.addService("AGGLO", "BAT", "Bâtiments")
        m.addService("MABLY", "TECH", "Services techniques")
        m.addAsset(NewAsset(code = "HALLE", name = "Halle", kind = AssetKind.BUILDING, owner = "AGGLO", commissioned = d(1990, 1, 1), serviceTenant = "AGGLO", service = "BAT", floorArea = BigDecimal("1200")))
        m.addAsset(NewAsset(code = "MAIRIE-M", name = "Mairie", kind = AssetKind.BUILDING, owner = "MABLY", commissioned = d(1990, 1, 1), serviceTenant = "MABLY", service = "TECH"))
        m.setSharingKey("HALLE", KeyBasis.AGREED, d(2026, 1, 1), null, mapOf("AGGLO" to 60uL, "MABLY" to 40uL))
        m.addBudget("AGGLO", 2026, ChargeBasis.TTC, OverrunPolicy.WARN)
        m.addBudgetLine("AGGLO", 2026, "BAT-FONCT", "BAT", "60612", BigDecimal("10000"))
        m.addMeter("H-ELEC", "HALLE", EnergySource.ELECTRICITY, EnergyUnit.KWH)
        m.recordEnergyInvoice("H-ELEC", "F-2026-03", d(2026, 3, 5), d(2026, 2, 1), d(2026, 2, 28), BigDecimal("5000"), EnergyUnit.KWH, BigDecimal("200.00"), BigDecimal("800.00"), BigDecimal("200.00"))
        m.addMeter("M-GAZ", "MAIRIE-M", EnergySource.GAS, EnergyUnit.KWH, station = "ROANNE-MTO")
        m.recordReading("M-GAZ", d(2025, 12, 31), BigDecimal("0"))
        m.recordReading("M-GAZ", d(2026, 12, 31), BigDecimal("12000"))
        m.setDju("ROANNE-MTO", 2026, BigDecimal("2100"))
        m.setDjuReference("ROANNE-MTO", BigDecimal("2400"))
        return m
    }

    @Test
    fun `an energy invoice is a cost of nature energy split 60 40`() {
        sharedHall().use { m ->
            val t = m.energyInvoiceTenants("H-ELEC", "F-2026-03")
            assertEquals(listOf("AGGLO", "MABLY"), t.map { it.key })
            same("720.00", t[0].costTtc)
            same("480.00", t[1].costTtc)
            val line = m.budgetStatus("AGGLO", 2026).first()
            assertEquals("BAT-FONCT", line.code)
            same("720.00", line.spent)
            same("1200.00", m.rollup("HALLE", null, null).energy.ttc)
            assertEquals(CostNature.ENERGY, CostNature.valueOf("ENERGY"))
        }
    }

    @Test
    fun `consumption and cost per service and tenant`() {
        sharedHall().use { m ->
            val rows = m.energyByService(2026)
            assertEquals(listOf("AGGLO", "MABLY", "MABLY"), rows.map { it.tenant })
            assertEquals(listOf("AGGLO/BAT", "AGGLO/BAT", "MABLY/TECH"), rows.map { it.service })
            assertEquals(listOf(EnergySource.ELECTRICITY, EnergySource.ELECTRICITY, EnergySource.GAS), rows.map { it.source })
            same("3000", rows[0].kwh)
            same("720.00", rows[0].costTtc)
            same("2000", rows[1].kwh)
            same("480.00", rows[1].costTtc)
            same("13714.29", rows[2].adjustedKwh)
            val byTenant = m.energyByTenant(2026)
            assertEquals(listOf(null, null, null), byTenant.map { it.service })
            val hall = m.energyDashboard(2026).single { it.asset == "HALLE" }
            same("4.17", hall.kwhPerM2)
            same("1.00", hall.costPerM2)
        }
    }

    @Test
    fun `anomalies and what a principal reads`() {
        sharedHall().use { m ->
            m.addMeter("EAU", "MAIRIE-M", EnergySource.WATER, EnergyUnit.M3)
            m.setConversion("EAU", d(2000, 1, 1), BigDecimal("1"))
            for ((y, q) in listOf(2024 to "31", 2025 to "31", 2026 to "93")) {
                m.recordEnergyInvoice("EAU", "E-$y", d(y, 2, 1), d(y, 1, 1), d(y, 1, 31), BigDecimal(q), EnergyUnit.M3, BigDecimal("0"), BigDecimal("10.00"), BigDecimal("0.55"))
            }
            val a = m.energyAnomalies("EAU", BigDecimal("0.5")).single()
            assertEquals(2026, a.year)
            assertEquals(1u, a.month)
            same("31", a.baseline)
            same("2", a.deviation)
            m.addRole("ENERGIE", "Lecture énergie", listOf("energy:read"))
            m.addPrincipal("agent.agglo", "Agent", PrincipalKind.AGENT, "AGGLO", null)
            m.grant("agent.agglo", "ENERGIE", Scope.Tenant("AGGLO"), d(2000, 1, 1), null)
            m.asPrincipal("agent.agglo").use { r ->
                assertEquals(listOf("HALLE"), r.energyDashboard(2026).map { it.asset })
                assertEquals(2, r.energyByService(2026).size)
                assertThrows(MutualisException.Forbidden::class.java) { r.energyAnomalies("EAU", BigDecimal("0.5")) }
            }
        }
    }
}
