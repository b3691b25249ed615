package fr.mutualis

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

/** The bulk path: a generated columnar dataset and the four questions. */
class AnalyticsTest {
    @Test
    fun answersConserveCentsAndSurviveTheBinaryFormat(@TempDir dir: Path) {
        BulkDataset.generate(2_000uL, 7uL).use { data ->
            assertEquals(2_000uL, data.interventions())
            assertTrue(data.lines() > 4_000uL)
            val a = data.answers()
            assertTrue(a.allocation.isNotEmpty() && a.settlement.isNotEmpty() && a.suppliers.isNotEmpty())
            assertTrue(a.settlement.all { it.creditor != it.debtor })
            val path = dir.resolve("dataset.mtb").toString()
            data.write(path)
            BulkDataset.load(path).use { back -> assertEquals(a, back.answers()) }
            BulkDataset.generate(2_000uL, 7uL).use { same -> assertEquals(a, same.answers()) }
            BulkDataset.generate(2_000uL, 8uL).use { other -> assertNotEquals(a, other.answers()) }
        }
    }

    @Test
    fun badFilesThrowTypedExceptions(@TempDir dir: Path) {
        val junk = dir.resolve("junk.mtb")
        Files.writeString(junk, "not a dataset")
        assertThrows<MutualisException.InvalidField> { BulkDataset.load(junk.toString()) }
        assertThrows<MutualisException.Storage> { BulkDataset.load(dir.resolve("missing.mtb").toString()) }
    }
}
