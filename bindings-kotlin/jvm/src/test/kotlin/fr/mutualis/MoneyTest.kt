package fr.mutualis

import java.math.BigDecimal
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Money (DOMAIN §3): the split rule, cent rounding and VAT lines, with the
 * guide's examples to the cent. Amounts come back with 2 decimals, and
 * `BigDecimal.equals` compares the scale too, so expectations are written
 * "400.00", never "400".
 */
class MoneyTest {

    private fun amounts(vararg s: String) = s.map(::BigDecimal)

    @Test
    fun `1 000,01 euros split 60-40 gives 600,01 and 400,00`() {
        assertEquals(amounts("600.01", "400.00"), split(eur("1000.01"), listOf(6000uL, 4000uL)))
    }

    @Test
    fun `0,10 euro split 3334-3333-3333 gives the leftover cent to the largest remainder`() {
        assertEquals(amounts("0.04", "0.03", "0.03"), split(eur("0.10"), listOf(3334uL, 3333uL, 3333uL)))
    }

    @Test
    fun `1 cent split 50-50 goes to the first receiver (AGGLO before ROANNE)`() {
        assertEquals(amounts("0.01", "0.00"), split(eur("0.01"), listOf(5000uL, 5000uL)))
    }

    @Test
    fun `a credit note is split as its absolute value and negated`() {
        val invoice = split(eur("0.10"), listOf(3334uL, 3333uL, 3333uL))
        val credit = split(eur("-0.10"), listOf(3334uL, 3333uL, 3333uL))
        assertEquals(invoice.map { it.negate() }, credit)
        assertEquals(amounts("-600.01", "-400.00"), split(eur("-1000.01"), listOf(6000uL, 4000uL)))
    }

    @Test
    fun `parts always sum to the amount and zero weights get nothing`() {
        val amount = eur("12345.67")
        val parts = split(amount, listOf(7uL, 0uL, 13uL, 1uL))
        assertEquals(amount, parts.fold(BigDecimal("0.00"), BigDecimal::add))
        assertEquals(eur("0.00"), parts[1])
    }

    @Test
    fun `rounding is to the cent, half away from zero, always 2 decimals`() {
        assertEquals(eur("0.01"), roundCents(eur("0.005")))
        assertEquals(eur("-0.01"), roundCents(eur("-0.005")))
        assertEquals(eur("170.84"), roundCents(eur("170.844")))
        assertEquals("2.00", roundCents(eur("2")).toPlainString())
    }

    @Test
    fun `the gymnasium work order costs 421,09`() {
        // DOMAIN §4: 6.5 h at 38.50 + 12 pots of paint at CMUP 14.2370, each line to the cent.
        val labour = roundCents(eur("6.5") * eur("38.50"))
        val materials = roundCents(BigDecimal(12) * eur("14.2370"))
        assertEquals(eur("250.25"), labour)
        assertEquals(eur("170.84"), materials)
        assertEquals(eur("421.09"), labour + materials)
    }

    @Test
    fun `480 HT at 20 percent is 96,00 VAT and 576,00 TTC`() {
        val line = vatLine(eur("480"), VatRate.STANDARD)
        assertEquals(VatLine(eur("480.00"), VatRate.STANDARD, eur("20"), eur("96.00"), eur("576.00")), line)
    }

    @Test
    fun `the 14 juillet event costs 4 332,00 HT and 5 128,00 TTC`() {
        val labour = listOf(eur("256.00"), eur("96.00")) // régie, no VAT
        val barriers = vatLine(eur("480.00"), VatRate.STANDARD)
        val fireworks = vatLine(eur("3500.00"), VatRate.STANDARD)
        assertEquals(eur("4200.00"), fireworks.ttc)
        val ht = labour.fold(barriers.ht + fireworks.ht, BigDecimal::add)
        val ttc = labour.fold(barriers.ttc + fireworks.ttc, BigDecimal::add)
        assertEquals(eur("4332.00"), ht)
        assertEquals(eur("5128.00"), ttc)
    }

    @Test
    fun `reduced rates round each line`() {
        // 10.01 × 5.5 % = 0.55055 → 0.55; 12.50 × 2.1 % = 0.2625 → 0.26
        assertEquals(eur("0.55"), vatLine(eur("10.01"), VatRate.REDUCED).vat)
        assertEquals(eur("0.26"), vatLine(eur("12.50"), VatRate.SUPER_REDUCED).vat)
        assertEquals(eur("5.5"), vatLine(eur("1"), VatRate.REDUCED).ratePercent)
    }

    @Test
    fun `VAT rates are found by percent`() {
        assertEquals(VatRate.STANDARD, vatRateFromPercent(eur("20")))
        assertEquals(VatRate.STANDARD, vatRateFromPercent(eur("20.0")))
        assertEquals(VatRate.INTERMEDIATE, vatRateFromPercent(eur("10")))
        assertEquals(VatRate.REDUCED, vatRateFromPercent(eur("5.5")))
        assertEquals(VatRate.SUPER_REDUCED, vatRateFromPercent(eur("2.1")))
    }

    @Test
    fun `19,6 percent is a former rate, 19 percent never was one`() {
        assertEquals(VatRate.STANDARD196, vatRateFromPercent(eur("19.6")))
        val e = assertThrows(MutualisException.UnknownVatRate::class.java) { vatRateFromPercent(eur("19")) }
        assertEquals("unknown VAT rate 19 %; rates in force are 20, 10, 5.5 and 2.1 (before 2014 also 19.6, 7, 20.6 and 18.6)", e.message)
    }

    @Test
    fun `an amount with a fraction of a cent cannot be split`() {
        val e = assertThrows(MutualisException.SubCentAmount::class.java) { split(eur("1.001"), listOf(1uL, 1uL)) }
        assertEquals("amount 1.001 is not a whole number of cents", e.message)
    }

    @Test
    fun `weights must have a positive sum`() {
        val zero = assertThrows(MutualisException.WeightsSumToZero::class.java) { split(eur("1.00"), listOf(0uL, 0uL)) }
        assertEquals("weights must have a positive sum (got 2 weight(s) summing to zero)", zero.message)
        assertThrows(MutualisException.WeightsSumToZero::class.java) { split(eur("1.00"), emptyList()) }
    }

    @Test
    fun `weights up to ULong max are exact`() {
        val max = ULong.MAX_VALUE
        assertEquals(amounts("0.01", "0.00"), split(eur("0.01"), listOf(max, max)))
    }

    @Test
    fun `identifiers are validated and normalised`() {
        assertEquals("214218703", parseSiren("214 218 703"))
        assertEquals("73282932000074", parseSiret("732 829 320 00074"))
        assertEquals("35600000000056", parseSiret("35600000000056")) // La Poste: digit sum 25
        assertEquals("42187", parseInsee("42187"))
        assertEquals("2A004", parseInsee("2A004"))
        val e = assertThrows(MutualisException.InvalidSiren::class.java) { parseSiren("214218704") }
        assertTrue(e.message!!.contains("Luhn"), e.message)
    }
}
