package fr.mutualis

import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The README's Kotlin snippet runs as written: its body is this test's, checked line by line against README.md. */
class ReadmeTest {

    @Test
    fun `the README snippet runs`() {
        val printed = mutableListOf<String>()
        fun println(x: Any?) { printed += x.toString() }
        // README:begin
        Mutualis().use { m ->
            m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731")
            m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
            m.addAsset(NewAsset(code = "GYM", name = "Gymnase", kind = AssetKind.BUILDING, owner = "ROANNE",
                                commissioned = LocalDate.of(1975, 9, 1)))
            m.grantCustody("GYM", "AGGLO", LocalDate.of(2019, 1, 1))          // open-ended
            val payers = m.payers("GYM", LocalDate.of(2026, 3, 12))
            println(payers.shares.single().tenant)                     // AGGLO, the holder
            println(split(BigDecimal("1000.01"), listOf(6000uL, 4000uL)))  // [600.01, 400.00]
            try { m.join("ROANNE", "NOPE") } catch (e: MutualisException.UnknownTenant) { println("${e.code}: ${e.message}") }
        }
        // README:end
        assertEquals(listOf("AGGLO", "[600.01, 400.00]", "NOPE: unknown tenant \"NOPE\""), printed)
    }

    @Test
    fun `the README shows exactly the snippet this test runs`() {
        val readme = File("../../README.md").readText()
        val block = Regex("```kotlin\n(.*?)```", RegexOption.DOT_MATCHES_ALL).find(readme)!!.groupValues[1]
        val shown = block.lines().map { it.trim() }.filter { it.isNotEmpty() && !it.startsWith("import ") }
        val source = File("src/test/kotlin/fr/mutualis/ReadmeTest.kt").readText()
        val body = source.substringAfter("// README:begin\n").substringBefore("// README:end")
        val ran = body.lines().map { it.trim() }.filter { it.isNotEmpty() }
        assertEquals(ran, shown)
        // the imports a reader needs are shown too
        for (i in listOf("import fr.mutualis.*", "import java.math.BigDecimal", "import java.time.LocalDate")) {
            assertEquals(true, block.contains(i), i)
        }
    }
}
