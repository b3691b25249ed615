package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The Roannais situation through the registry: who holds and who pays (DOMAIN §4). */
class RegistryTest {

    private val m = roannais()

    @AfterEach
    fun close() = m.close()

    private fun codes(assets: List<Asset>) = assets.map { it.code }

    @Test
    fun `tenants, memberships and services`() {
        assertEquals(listOf("AGGLO", "ROANNE", "MABLY", "VILLEREST"), m.tenants().map { it.code })
        assertEquals(
            Tenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187", listOf("AGGLO")),
            m.tenant("ROANNE"),
        )
        val agglo = m.tenant("AGGLO")
        assertEquals(TenantKind.COMMUNAUTE_D_AGGLOMERATION, agglo.kind)
        assertNull(agglo.insee)
        assertEquals(emptyList<String>(), agglo.memberOf)
        assertEquals(listOf("ROANNE", "MABLY", "VILLEREST"), m.members("AGGLO").map { it.code })
        assertEquals(
            listOf(Service("ROANNE", "SPORTS", "Régie des équipements sportifs"), Service("ROANNE", "BATIMENTS", "Bâtiments")),
            m.services("ROANNE"),
        )
        assertEquals(6, m.services(null).size)
    }

    @Test
    fun `assets keep every field`() {
        val gym = m.asset("GYM-COUBERTIN")
        assertEquals(AssetKind.BUILDING, gym.kind)
        assertEquals("ROANNE", gym.owner)
        assertEquals(d(1975, 9, 1), gym.commissioned)
        assertEquals("AGGLO", gym.serviceTenant)
        assertEquals("SPORTS", gym.service)
        assertEquals(BigDecimal("2150"), gym.floorArea)
        assertEquals("Rue de Charlieu, 42300 Roanne", gym.address)
        assertNull(gym.parent)
        assertNull(gym.decommissioned)
        val boiler = m.asset("GYM-COUBERTIN-CHAUFFERIE")
        assertEquals("GYM-COUBERTIN", boiler.parent)
        assertEquals(mapOf("puissance_kw" to "350"), boiler.attributes)
        assertEquals(7, m.assets().size)
    }

    @Test
    fun `the patrimoine tree`() {
        assertEquals(listOf("GYM-COUBERTIN-SALLE", "GYM-COUBERTIN-CHAUFFERIE"), codes(m.children("GYM-COUBERTIN")))
        assertEquals(
            listOf("GYM-COUBERTIN", "GYM-COUBERTIN-SALLE", "GYM-COUBERTIN-CHAUFFERIE"),
            codes(m.subtree("GYM-COUBERTIN")),
        )
        // The boiler moves under the room: depth-first order follows.
        m.setParent("GYM-COUBERTIN-CHAUFFERIE", "GYM-COUBERTIN-SALLE")
        assertEquals(
            listOf("GYM-COUBERTIN", "GYM-COUBERTIN-SALLE", "GYM-COUBERTIN-CHAUFFERIE"),
            codes(m.subtree("GYM-COUBERTIN")),
        )
        assertEquals(listOf("GYM-COUBERTIN-SALLE"), codes(m.children("GYM-COUBERTIN")))
        m.setParent("GYM-COUBERTIN-CHAUFFERIE", null)
        assertNull(m.asset("GYM-COUBERTIN-CHAUFFERIE").parent)
        assertEquals(listOf("GYM-COUBERTIN-CHAUFFERIE"), codes(m.subtree("GYM-COUBERTIN-CHAUFFERIE")))
    }

    @Test
    fun `attributes and decommissioning`() {
        m.setAttribute("GYM-COUBERTIN-CHAUFFERIE", "marque", "Viessmann")
        m.setAttribute("GYM-COUBERTIN-CHAUFFERIE", "puissance_kw", null)
        assertEquals(mapOf("marque" to "Viessmann"), m.asset("GYM-COUBERTIN-CHAUFFERIE").attributes)
        m.decommission("GYM-COUBERTIN-CHAUFFERIE", d(2026, 6, 30))
        assertEquals(d(2026, 6, 30), m.asset("GYM-COUBERTIN-CHAUFFERIE").decommissioned)
        assertEquals("ROANNE", m.holder("GYM-COUBERTIN-CHAUFFERIE", d(2018, 1, 1)).tenant)
        assertThrowsExactly<MutualisException.OutsideAssetLife> { m.holder("GYM-COUBERTIN-CHAUFFERIE", d(2026, 7, 1)) }
    }

    @Test
    fun `the gymnasium is held by Roanne until 2018-12-31 and by the agglomeration from 2019-01-01`() {
        assertEquals(Holder("ROANNE", PayerSourceKind.OWNER, null), m.holder("GYM-COUBERTIN", d(2018, 12, 31)))
        assertEquals(Holder("AGGLO", PayerSourceKind.CUSTODY, "GYM-COUBERTIN"), m.holder("GYM-COUBERTIN", d(2019, 1, 1)))
        // The custody covers the descendants with the same owner.
        assertEquals(
            Holder("AGGLO", PayerSourceKind.CUSTODY, "GYM-COUBERTIN"),
            m.holder("GYM-COUBERTIN-SALLE", d(2019, 1, 1)),
        )
        assertEquals(
            Payers(PayerSourceKind.OWNER, null, listOf(Share("ROANNE", 1uL))),
            m.payers("GYM-COUBERTIN", d(2018, 12, 31)),
        )
        assertEquals(
            Payers(PayerSourceKind.CUSTODY, "GYM-COUBERTIN", listOf(Share("AGGLO", 1uL))),
            m.payers("GYM-COUBERTIN-CHAUFFERIE", d(2026, 3, 12)),
        )
        // The 2026-03-12 work order (421.09) is the agglomeration's.
        assertEquals(listOf(Allocation("AGGLO", eur("421.09"))), m.splitCost("GYM-COUBERTIN", d(2026, 3, 12), eur("421.09")))
    }

    @Test
    fun `a custody history is kept, never overwritten`() {
        assertEquals(
            listOf(Custody("EV-BORDS-LOIRE", "AGGLO", d(2022, 4, 1), d(2025, 10, 31))),
            m.custodyHistory("EV-BORDS-LOIRE"),
        )
        assertEquals("AGGLO", m.holder("EV-BORDS-LOIRE", d(2025, 10, 31)).tenant)
        assertEquals(Holder("VILLEREST", PayerSourceKind.OWNER, null), m.holder("EV-BORDS-LOIRE", d(2025, 11, 1)))
        // An earlier loan to Mably, then a new open-ended one to the agglomeration.
        m.grantCustody("EV-BORDS-LOIRE", "AGGLO", d(2027, 1, 1), null)
        m.grantCustody("EV-BORDS-LOIRE", "MABLY", d(2010, 5, 1), d(2010, 9, 30))
        m.endCustody("EV-BORDS-LOIRE", d(2030, 12, 31))
        assertEquals(
            listOf(
                Custody("EV-BORDS-LOIRE", "MABLY", d(2010, 5, 1), d(2010, 9, 30)),
                Custody("EV-BORDS-LOIRE", "AGGLO", d(2022, 4, 1), d(2025, 10, 31)),
                Custody("EV-BORDS-LOIRE", "AGGLO", d(2027, 1, 1), d(2030, 12, 31)),
            ),
            m.custodyHistory("EV-BORDS-LOIRE"),
        )
        assertEquals("MABLY", m.holder("EV-BORDS-LOIRE", d(2010, 9, 30)).tenant)
        assertEquals("VILLEREST", m.holder("EV-BORDS-LOIRE", d(2031, 1, 1)).tenant)
        assertEquals(emptyList<Custody>(), m.custodyHistory("MAISON-SERVICES"))
    }

    @Test
    fun `the shared building is paid by its key, sorted by tenant code`() {
        val key = Payers(PayerSourceKind.SHARING_KEY, "MAISON-SERVICES", listOf(Share("AGGLO", 1080uL), Share("ROANNE", 720uL)))
        assertEquals(key, m.payers("MAISON-SERVICES", d(2020, 1, 1)))
        // Before the key: the owner.
        assertEquals(Payers(PayerSourceKind.OWNER, null, listOf(Share("ROANNE", 1uL))), m.payers("MAISON-SERVICES", d(2019, 12, 31)))
        // 1 080 / 720 is 60/40: 1 000.01 € → 600.01 + 400.00.
        assertEquals(
            listOf(Allocation("AGGLO", eur("600.01")), Allocation("ROANNE", eur("400.00"))),
            m.splitCost("MAISON-SERVICES", d(2026, 3, 1), eur("1000.01")),
        )
        assertEquals(
            listOf(Allocation("AGGLO", eur("-600.01")), Allocation("ROANNE", eur("-400.00"))),
            m.splitCost("MAISON-SERVICES", d(2026, 3, 1), eur("-1000.01")),
        )
        // The key's holder is still the owner: a key decides payers, not custody.
        assertEquals(Holder("ROANNE", PayerSourceKind.OWNER, null), m.holder("MAISON-SERVICES", d(2026, 3, 1)))
    }

    @Test
    fun `a floor inherits the building's key unless it has its own`() {
        val building = Payers(PayerSourceKind.SHARING_KEY, "MAISON-SERVICES", listOf(Share("AGGLO", 1080uL), Share("ROANNE", 720uL)))
        assertEquals(building, m.payers("MAISON-SERVICES-R2", d(2026, 3, 1)))
        assertEquals(building, m.payers("MAISON-SERVICES-R1", d(2023, 12, 31)))
        assertEquals(
            Payers(
                PayerSourceKind.SHARING_KEY, "MAISON-SERVICES-R1",
                listOf(Share("MABLY", 2500uL), Share("ROANNE", 6000uL), Share("VILLEREST", 1500uL)),
            ),
            m.payers("MAISON-SERVICES-R1", d(2024, 1, 1)),
        )
        assertEquals(
            listOf(Allocation("MABLY", eur("25.00")), Allocation("ROANNE", eur("60.00")), Allocation("VILLEREST", eur("15.00"))),
            m.splitCost("MAISON-SERVICES-R1", d(2024, 1, 1), eur("100.00")),
        )
        assertEquals(
            listOf(SharingKey("MAISON-SERVICES-R1", KeyBasis.AGREED, d(2024, 1, 1), null,
                listOf(Share("MABLY", 2500uL), Share("ROANNE", 6000uL), Share("VILLEREST", 1500uL)))),
            m.sharingKeys("MAISON-SERVICES-R1"),
        )
        assertEquals(emptyList<SharingKey>(), m.sharingKeys("MAISON-SERVICES-R2")) // inherited keys are not listed
    }

    @Test
    fun `the key changes mid-year - 2026-06-30 old weights, 2026-07-01 new weights`() {
        m.endSharingKey("MAISON-SERVICES", d(2026, 6, 30))
        m.setSharingKey("MAISON-SERVICES", KeyBasis.FLOOR_AREA, d(2026, 7, 1), null, mapOf("AGGLO" to 1260uL, "ROANNE" to 540uL))
        assertEquals(
            listOf(Allocation("AGGLO", eur("600.00")), Allocation("ROANNE", eur("400.00"))),
            m.splitCost("MAISON-SERVICES-R2", d(2026, 6, 30), eur("1000.00")),
        )
        assertEquals(
            listOf(Allocation("AGGLO", eur("700.00")), Allocation("ROANNE", eur("300.00"))),
            m.splitCost("MAISON-SERVICES-R2", d(2026, 7, 1), eur("1000.00")),
        )
        val keys = m.sharingKeys("MAISON-SERVICES")
        assertEquals(listOf(d(2026, 6, 30), null), keys.map { it.to })
        assertEquals(listOf(KeyBasis.FLOOR_AREA, KeyBasis.FLOOR_AREA), keys.map { it.basis })
    }

    @Test
    fun `zero weights pay nothing and are left out of the payers`() {
        m.endSharingKey("MAISON-SERVICES", d(2026, 6, 30))
        m.setSharingKey("MAISON-SERVICES", KeyBasis.HEADCOUNT, d(2026, 7, 1), null, mapOf("AGGLO" to 0uL, "ROANNE" to 12uL))
        assertEquals(listOf(Share("ROANNE", 12uL)), m.payers("MAISON-SERVICES", d(2026, 7, 1)).shares)
        // The key itself keeps the zero weight.
        assertEquals(listOf(Share("AGGLO", 0uL), Share("ROANNE", 12uL)), m.sharingKeys("MAISON-SERVICES")[1].weights)
    }

    @Test
    fun `the registry is usable from several threads`() {
        val threads = (1..8).map { i ->
            Thread { repeat(50) { m.addService("MABLY", "S$i-$it", "Service $i-$it") } }
        }
        threads.forEach(Thread::start)
        threads.forEach(Thread::join)
        assertEquals(1 + 8 * 50, m.services("MABLY").size)
        assertTrue(m.toJson().contains("S8-49"))
    }
}

internal inline fun <reified T : Throwable> assertThrowsExactly(noinline call: () -> Unit): T =
    org.junit.jupiter.api.Assertions.assertThrowsExactly(T::class.java) { call() }
