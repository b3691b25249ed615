package fr.mutualis

import java.math.BigDecimal
import java.nio.file.Files
import java.nio.file.Path
import kotlin.random.Random
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/**
 * Hardening (issue 11): extreme or wrong inputs from Kotlin get a typed
 * `MutualisException` that names what was wrong, never an
 * `InternalException` (a panic) or a silently wrong figure.
 */
class HardeningTest {

    @TempDir
    lateinit var dir: Path

    /** [field] plus the work order `BT-OPEN` in progress and Roanne's AP `AP-GYM` (voted 2025). */
    private fun fixture(): Mutualis = field().also {
        it.createWorkOrder(NewWorkOrder("BT-OPEN", "Travaux", "GYM-COUBERTIN", team = "ROANNE-SPORTS"))
        it.startWorkOrder("BT-OPEN", at(2026, 1, 2, 7))
        it.voteAp(NewAp("AP-GYM", "ROANNE", "Rénovation", 2025, eur("1000.00"), mapOf(2025 to eur("1000.00"))))
    }

    @Test
    fun `years outside 1900 to 2200 are refused by every year argument`() {
        fixture().use { m ->
            val before = m.toJson()
            for (year in listOf(Int.MIN_VALUE, -1, 0, 1899, 2201, 20026, Int.MAX_VALUE)) {
                val calls = listOf<() -> Unit>(
                    { m.apSituation("ROANNE", year) },
                    { m.closeYear("ROANNE", year) },
                    { m.settlementMatrix(year) },
                    { m.budgetStatus("ROANNE", year) },
                    { m.setLabourRate("ROANNE", year, eur("10.00"), null, null) },
                    { m.voteAp(NewAp("AP-X", "ROANNE", "X", year, eur("1.00"), mapOf(year to eur("1.00")))) },
                    { m.reviseAp("AP-GYM", year, eur("1000.00"), mapOf(2025 to eur("1000.00"))) },
                    { schedulePlan(emptyList(), emptyList(), year, 2030, emptyMap()) },
                )
                for (call in calls) {
                    val e = assertThrows<MutualisException.YearOutOfRange> { call() }
                    assertTrue(e.message!!.contains("year $year is outside 1900..=2200"), e.message)
                }
            }
            assertEquals(before, m.toJson())
            // dates too
            assertThrows<MutualisException.YearOutOfRange> {
                m.recordLabour("BT-OPEN", d(2301, 1, 5), eur("2"), 1u, null, null)
            }
            assertThrows<MutualisException.YearOutOfRange> { m.payAp("AP-GYM", d(1899, 12, 31), eur("1.00")) }
            assertEquals(before, m.toJson())
        }
    }

    @Test
    fun `lapse delays and profiles are bounded`() {
        fixture().use { m ->
            for (lapse in listOf(0u, 101u, UInt.MAX_VALUE)) {
                val e = assertThrows<MutualisException.InvalidField> { m.setRbfRules("ROANNE", true, lapse, null) }
                assertTrue(e.message!!.contains("lapse_after_years"), e.message)
            }
            val long = Candidate("OP", "ROANNE", 1u, BigDecimal.ONE, 2026, List(51) { 1uL }, emptyList())
            assertThrows<MutualisException.InvalidField> { schedulePlan(listOf(long), emptyList(), 2026, 2030, emptyMap()) }
        }
    }

    @Test
    fun `a building is not lent as a vehicle`() {
        fixture().use { m ->
            val e = assertThrows<MutualisException.InvalidField> {
                m.lendVehicle(NewLoan("PRET", "GYM-COUBERTIN", "MABLY", d(2026, 1, 1), unit = UsageUnit.DAY))
            }
            assertTrue(e.message!!.contains("is a building, not a vehicle"), e.message)
            m.lendVehicle(NewLoan("PRET", "VH-ROANNE-1", "MABLY", d(2026, 1, 1), unit = UsageUnit.DAY))
        }
    }

    @Test
    fun `material is not issued before its first receipt`() {
        fixture().use { m ->
            assertEquals(d(2026, 1, 5), m.stockLevel("MAG-ROANNE", "PEINTURE").firstReceipt)
            val e = assertThrows<MutualisException.InvalidField> {
                m.recordMaterial("BT-OPEN", d(2026, 1, 4), "MAG-ROANNE", "PEINTURE", BigDecimal.ONE)
            }
            assertTrue(e.message!!.contains("before the first receipt of PEINTURE in store MAG-ROANNE (2026-01-05)"), e.message)
            m.recordMaterial("BT-OPEN", d(2026, 1, 5), "MAG-ROANNE", "PEINTURE", BigDecimal.ONE)
        }
    }

    @Test
    fun `history of an unknown kind throws, a known one lists its entries`() {
        fixture().use { m ->
            assertThrows<MutualisException.UnknownKind> { m.history("castle", "GYM-COUBERTIN") }
            assertEquals("work_order_created", m.history("work_order", "BT-OPEN").first().type)
        }
    }

    @Test
    fun `VAT rates are dated`() {
        assertEquals(listOf(VatRate.STANDARD196, VatRate.INTERMEDIATE7, VatRate.REDUCED, VatRate.SUPER_REDUCED), vatRatesOn(d(2013, 6, 1)))
        assertEquals(listOf(VatRate.STANDARD, VatRate.INTERMEDIATE, VatRate.REDUCED, VatRate.SUPER_REDUCED), vatRatesOn(d(2014, 1, 1)))
        assertEquals(VatRate.STANDARD196, vatRateFromPercent(eur("19.6")))
        fixture().use { m ->
            val e = assertThrows<MutualisException.VatRateNotInForce> {
                m.recordExternal("BT-OPEN", d(2012, 6, 1), "Facture", eur("100"), VatRate.STANDARD, supplier = "ARTIFICES")
            }
            assertTrue(e.message!!.contains("rates then: 19.6, 7, 5.5, 2.1"), e.message)
            val line = m.recordExternal("BT-OPEN", d(2013, 6, 1), "Facture", eur("100"), VatRate.STANDARD196, supplier = "ARTIFICES")
            assertEquals(eur("119.60"), line.ttc)
        }
    }

    @Test
    fun `stock leaves a store outside work orders, valued at the CMUP`() {
        fixture().use { m ->
            // PEINTURE: 10 at 14.00 then 30 at 14.316 → CMUP 14.2370
            val given = m.issueStock(NewStockIssue("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal("3"), IssueReason.AGENT, agent = "J. Martin"))
            assertEquals(eur("14.2370"), given.cmup)
            assertEquals(eur("42.71"), given.value)
            val toService = m.issueStock(
                NewStockIssue("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal("2"), IssueReason.SERVICE, serviceTenant = "ROANNE", service = "SPORTS")
            )
            assertEquals("SPORTS", toService.service)
            val before = m.toJson()
            assertThrows<MutualisException.InvalidField> {
                m.issueStock(NewStockIssue("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal.ONE, IssueReason.SERVICE, service = "SPORTS"))
            }
            assertThrows<MutualisException.InsufficientStock> {
                m.issueStock(NewStockIssue("MAG-ROANNE", "PEINTURE", d(2026, 3, 1), BigDecimal("100"), IssueReason.LOSS))
            }
            assertEquals(before, m.toJson())
            assertEquals(listOf(IssueReason.AGENT, IssueReason.SERVICE), m.stockIssues().map { it.reason })
            assertEquals(eur("35"), m.stockLevel("MAG-ROANNE", "PEINTURE").quantity)
            Mutualis.fromJson(m.toJson()).use { back -> assertEquals(m.stockIssues(), back.stockIssues()) }
        }
    }

    @Test
    fun `FCTVA is estimated from dated rates and eligible spending`() {
        assertEquals(eur("16.404"), fctvaRate(2026))
        assertThrows<MutualisException.InvalidField> { fctvaRate(2002) }
        fixture().use { m ->
            m.recordExternal("BT-OPEN", d(2026, 3, 1), "Facture", eur("1000"), VatRate.STANDARD, supplier = "ARTIFICES")
            // the gymnasium is held by AGGLO: it pays the 1 200.00 TTC, 16.404 % → 196.85
            val e = m.fctvaEstimate("AGGLO", 2026)
            assertEquals(eur("1200.00"), e.maintenanceBase)
            assertEquals(eur("196.85"), e.total)
            assertThrows<MutualisException.UnknownTenant> { m.fctvaEstimate("NOPE", 2026) }
        }
    }

    @Test
    fun `CSV line numbers count CR-only line endings, extra fields are bad rows`() {
        fixture().use { m ->
            val cr = "code;name;kind;owner;commissioned\rA1;Salle;room;ROANNE;2000-01-01\rA2;x;castle;ROANNE;2000-01-01\r"
            val report = m.importAssetsCsv(cr, false)
            assertEquals(1uL, report.imported)
            assertEquals(listOf(3uL), report.errors.map { it.line })
            val extra = m.importAssetsCsv("code;name;kind;owner;commissioned\nB1;Salle;room;ROANNE;2000-01-01;surplus\n", false)
            assertEquals(listOf(2uL), extra.errors.map { it.line })
            assertThrows<MutualisException.InvalidField> {
                m.importAssetsCsv("code;name;kind;owner;commissioned;name\nC1;a;room;ROANNE;2000-01-01;b\n", false)
            }
            assertThrows<MutualisException.InvalidField> {
                m.importAssetsCsv("code;name;kind;owner;commissioned\nD1;\"Salle;room;ROANNE;2000-01-01\n", false)
            }
        }
    }

    @Test
    fun `a store needs a real path and refuses tiny files, and verifies its chain`() {
        for (bad in listOf("", ":memory:")) {
            assertThrows<MutualisException.InvalidField> { Store(bad, "t") }
        }
        for ((name, bytes) in listOf("empty.db" to ByteArray(0), "one.db" to byteArrayOf(1))) {
            val p = dir.resolve(name)
            Files.write(p, bytes)
            assertThrows<MutualisException.CorruptStore> { Store(p.toString(), "t") }
            assertArrayEquals(bytes, Files.readAllBytes(p))
        }
        val path = dir.resolve("s.db").toString()
        Store(path, "t").use { s ->
            val m = s.checkout()
            m.addTenant("ROANNE", "Roanne", TenantKind.COMMUNE, "214218703", "42187")
            m.addService("ROANNE", "SPORTS", "Sports")
            s.commit(m)
            assertEquals(2uL, s.verify())
        }
        Store(path, "t").use { s -> assertEquals(2uL, s.verify()) }
    }

    @Test
    fun `a store whose journal was altered is refused, naming the event`() {
        // the device name is stored once, as text, in the names table the chain covers
        val device = "tamper-device-0123456789"
        val path = dir.resolve("tampered.db")
        Store(path.toString(), device).use { s ->
            s.checkout().use { m ->
                m.addTenant("ROANNE", "Roanne", TenantKind.COMMUNE, "214218703", "42187")
                m.addService("ROANNE", "SPORTS", "Sports")
                s.commit(m)
            }
        }
        // closing the last handle checkpoints the WAL into the file
        assertTrue(Files.notExists(dir.resolve("tampered.db-wal")) || Files.size(dir.resolve("tampered.db-wal")) == 0L)
        val bytes = Files.readAllBytes(path)
        val needle = device.toByteArray()
        val at = (0..bytes.size - needle.size).firstOrNull { i -> needle.indices.all { bytes[i + it] == needle[it] } }
        assertTrue(at != null, "the device name is in the file")
        val forged = "tamper-device-9876543210".toByteArray()
        forged.copyInto(bytes, at!!)
        Files.write(path, bytes)
        val e = assertThrows<MutualisException.TamperedJournal> { Store(path.toString(), "t") }
        assertTrue(e.message!!.contains("event 1 does not match its hash chain"), e.message)
    }

    /**
     * A short seeded fuzz run: random calls with extreme years, amounts and
     * dates; each either succeeds or throws a `MutualisException` that is
     * not `Internal` (a panic would surface as `Internal`).
     */
    @Test
    fun `a seeded fuzz run raises only typed exceptions`() {
        // CI runs 2 000 seeded calls; `bash benches/fuzz/run.sh` sets MUTUALIS_FUZZ_CALLS (100 000).
        val total = System.getenv("MUTUALIS_FUZZ_CALLS")?.toIntOrNull() ?: 2000
        val rng = Random(11)
        val years = listOf(Int.MIN_VALUE, Int.MAX_VALUE, -1, 0, 1899, 1900, 2026, 2200, 2201)
        val amounts = listOf("0.01", "-1", "1e20", "79228162514264337593543950335", "0.001", "3").map { BigDecimal(it) }
        val days = listOf(d(1, 1, 1), d(1900, 1, 1), d(2026, 3, 1), d(2200, 12, 31), d(9999, 12, 31))
        fun y() = if (rng.nextInt(5) == 0) rng.nextInt() else years.random(rng)
        fun a() = amounts.random(rng)
        fun day() = days.random(rng)
        val counts = mutableMapOf<String, Int>()
        fixture().use { m ->
            val calls = listOf<() -> Unit>(
                { m.apSituation("ROANNE", y()) },
                { m.closeYear("ROANNE", y()) },
                { m.settlementMatrix(y()) },
                { m.setLabourRate("ROANNE", y(), a(), "ROANNE-SPORTS", null) },
                { val yy = y(); m.voteAp(NewAp("AP-${rng.nextInt(5)}", "ROANNE", "T", yy, a(), mapOf(y() to a()))) },
                { m.payAp("AP-GYM", day(), a()) },
                { m.setRbfRules("ROANNE", rng.nextBoolean(), rng.nextInt().toUInt(), null) },
                { schedulePlan(listOf(Candidate("OP", "ROANNE", rng.nextInt().toUInt(), a(), y(), List(rng.nextInt(60)) { rng.nextLong().toULong() }, emptyList())), emptyList(), y(), y(), mapOf(y() to a())) },
                { m.recordLabour("BT-OPEN", day(), a(), rng.nextInt().toUInt(), null, null) },
                { m.receiveStock("MAG-ROANNE", "PEINTURE", day(), a(), a()) },
                { m.recordMaterial("BT-OPEN", day(), "MAG-ROANNE", "PEINTURE", a()) },
                { m.addSupplier("S${rng.nextInt(5)}", "F", listOf("73282932000074", "35600000000056").random(rng), emptyList()) },
                { m.history(listOf("asset", "castle", "", "ap").random(rng), "GYM-COUBERTIN") },
            )
            repeat(total) {
                try {
                    calls.random(rng)()
                    counts.merge("ok", 1, Int::plus)
                } catch (e: MutualisException.Internal) {
                    throw AssertionError("a panic crossed the binding: ${e.message}", e)
                } catch (e: MutualisException) {
                    counts.merge(e.javaClass.simpleName, 1, Int::plus)
                }
            }
            // whatever happened, the registry saves and reloads
            Mutualis.fromJson(m.toJson()).use { back -> assertEquals(m.toJson(), back.toJson()) }
        }
        println("Kotlin fuzz run: $total calls; " + counts.toSortedMap().entries.joinToString(", ") { "${it.key} ${it.value}" })
        assertEquals(total, counts.values.sum())
        assertTrue(counts.containsKey("YearOutOfRange"), counts.toString())
    }
}
