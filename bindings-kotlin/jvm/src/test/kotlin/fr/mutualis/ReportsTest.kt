package fr.mutualis

import java.math.BigDecimal
import java.nio.file.Files
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Reports (issue 18) from Kotlin: the core builds them from its public
 * queries, so the app gets the report Rust and Python get; here the
 * 14 juillet at Villerest (DOMAIN §4): 4 332.00 HT, 5 128.00 TTC.
 */
class ReportsTest {

    private val m = field()
    private val tag = "14-juillet-2026"

    @AfterEach
    fun close() = m.close()

    private fun event() {
        val place = "PLACE-VILLEREST"
        val day = d(2026, 7, 14)
        m.createWorkOrder(NewWorkOrder("BT-14J-SCENE", "Montage scène", place, team = "VILLEREST-AGENTS", tags = listOf(tag)))
        m.createWorkOrder(NewWorkOrder("BT-14J-FEU", "Feu d'artifice", place, supplier = "ARTIFICES", tags = listOf(tag)))
        for (wo in listOf("BT-14J-SCENE", "BT-14J-FEU")) m.startWorkOrder(wo, at(2026, 7, 14, 6))
        m.recordLabour("BT-14J-SCENE", day, BigDecimal("4"), agents = 2u)
        m.recordExternal("BT-14J-FEU", day, "Feu d'artifice", eur("3500.00"), VatRate.STANDARD)
    }

    private fun amount(c: ReportCell): BigDecimal = (c as ReportCell.Amount).value

    /** Equal amounts, whatever their scales (0 and 0.00). */
    private fun same(expected: BigDecimal, actual: BigDecimal, what: String = "") =
        assertEquals(0, expected.compareTo(actual), "$what: $expected != $actual")

    @Test
    fun `the event report adds up to the event's cost`() {
        event()
        val r = m.report("event", "VILLEREST", 2026, null)
        assertEquals("event", r.kind())
        assertEquals("VILLEREST", r.tenant())
        assertEquals(listOf(d(2026, 1, 1), d(2026, 12, 31)), r.period())
        val cost = m.costByTag(tag)
        val byNature = r.tables().first { it.key == "by_nature" }
        val ttc = byNature.columns.indexOfFirst { it.key == "ttc" }
        assertEquals("amount", byNature.columns[ttc].kind)
        assertEquals(cost.total.ttc, amount(byNature.total!![ttc]))
        assertEquals(eur("4456.00"), amount(byNature.total!![ttc]))
        same(byNature.rows.sumOf { amount(it[ttc]) }, amount(byNature.total!![ttc]))
        val html = r.toHtml("fr")
        assertTrue(html.startsWith("<!DOCTYPE html>"))
        assertTrue(html.contains("<h1>Coût de l&#39;événement « 14-juillet-2026 »</h1>"))
        assertTrue(html.contains("4\u202f456,00\u00a0€"))
        assertTrue(r.toHtml("en").contains("€4,456.00"))
        val csv = r.csv("by_nature", true, "fr")
        assertTrue(csv.startsWith("\uFEFFNature;Lignes;Montant HT;TVA;Montant TTC\r\n"))
        assertTrue(r.csv("by_nature", false, "en").startsWith("nature,lines,ht,vat,ttc\n"))
        val file = Files.createTempFile("event", ".html")
        r.writeHtml(file.toString(), "fr")
        assertEquals(html, Files.readString(file))
        Files.delete(file)
    }

    @Test
    fun `every kind renders and the settlement equals the matrix`() {
        event()
        for (kind in listOf("spending", "settlement", "budget", "ppi", "event", "suppliers")) {
            for (tenant in listOf("AGGLO", "ROANNE", "VILLEREST")) {
                val r = m.report(kind, tenant, 2026, null)
                for (t in r.tables()) {
                    val total = t.total ?: continue
                    t.columns.forEachIndexed { i, c ->
                        if (c.kind == "amount") same(t.rows.sumOf { amount(it[i]) }, amount(total[i]), "$kind $tenant ${t.key} ${c.key}")
                    }
                }
            }
        }
        val matrix = m.settlementMatrix(2026)
        val r = m.report("settlement", "AGGLO", 2026, null)
        val table = r.tables().first { it.key == "matrix" }
        same(matrix.sumOf { it.amount }, amount(table.total!![2]), "matrix")
    }

    @Test
    fun `refusals are typed`() {
        assertThrows(MutualisException.UnknownKind::class.java) { m.report("nope", "AGGLO", 2026, null) }
        assertThrows(MutualisException.UnknownTenant::class.java) { m.report("spending", "NOPE", 2026, null) }
        assertThrows(MutualisException.YearOutOfRange::class.java) { m.report("spending", "AGGLO", 1800, null) }
        val r = m.report("budget", "AGGLO", 2026, null)
        assertThrows(MutualisException.UnknownKind::class.java) { r.toHtml("de") }
        assertThrows(MutualisException.UnknownKind::class.java) { r.csv("nope", true, "fr") }
        reportCheckTotal("t", "ttc", listOf(eur("1.005"), eur("2")), eur("3.01"))
        val e = assertThrows(MutualisException.ReportTotalMismatch::class.java) {
            reportCheckTotal("t", "ttc", listOf(eur("1"), eur("2")), eur("3.01"))
        }
        assertEquals("report table \"t\", column \"ttc\": the rows add up to 3.00, the total is 3.01", e.message)
    }
}
