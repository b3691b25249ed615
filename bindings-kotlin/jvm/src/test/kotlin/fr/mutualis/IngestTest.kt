package fr.mutualis

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal
import java.nio.file.Files
import java.nio.file.Path

/** Bulk ingestion of a user's tables (docs/ingest.md) from CSV and Parquet folders. */
class IngestTest {
    private fun write(dir: Path, name: String, text: String) = Files.writeString(dir.resolve("$name.csv"), text)

    /** The gymnasium: ROANNE's room in AGGLO's custody, painted by ROANNE's régie. */
    private fun gymnasium(badLine: Boolean = false): Path {
        val dir = Files.createTempDirectory("mutualis-ingest")
        write(dir, "tenants", "code,name,kind,siren,insee\n" +
            "AGGLO,Roannais Agglomération,communaute_d_agglomeration,200035731,\n" +
            "ROANNE,Roanne,commune,214218703,42187\n")
        write(dir, "assets", "code,name,kind,owner,parent,commissioned\n" +
            "GYM-SALLE,Grande salle,room,ROANNE,GYM,1975-09-01\n" +
            "GYM,Gymnase Coubertin,building,ROANNE,,1975-09-01\n")
        write(dir, "custody", "asset,beneficiary,from,to\nGYM,AGGLO,2019-01-01,\n")
        write(dir, "teams", "code,tenant,name\nROANNE-SPORTS,ROANNE,Régie sports\n")
        write(dir, "stores", "code,tenant,name\nMAG-ROANNE,ROANNE,Magasin\n")
        write(dir, "items", "code,name,unit\nPEINTURE,Peinture acrylique 15 L,pot\n")
        write(dir, "work_orders", "code,title,asset,team,status\nBT-GYM-1,Peinture,GYM-SALLE,ROANNE-SPORTS,done\n")
        val wo = if (badLine) "BT-NOPE" else "BT-GYM-1"
        write(dir, "cost_lines", "work_order,date,nature,team,store,item,quantity,unit_cost,ht,ttc\n" +
            "BT-GYM-1,2026-03-12,labour,ROANNE-SPORTS,,,6.5,38.50,250.25,250.25\n" +
            "$wo,2026-03-12,material,,MAG-ROANNE,PEINTURE,12,14.2370,170.84,170.84\n")
        return dir
    }

    @Test
    fun csvTablesChargeTheGymnasiumToAgglo() {
        Mutualis().use { m ->
            val report = m.ingestCsv(gymnasium().toString(), IngestMode.ALL_OR_NOTHING)
            assertTrue(report.errors.isEmpty())
            assertEquals(2uL, report.tables.first { it.table == "cost_lines" }.ingested)
            val charges = m.workOrderCharges("BT-GYM-1")
            assertEquals("AGGLO", charges.single().tenant)
            assertEquals(0, BigDecimal("421.09").compareTo(charges.single().amounts.ttc))
        }
    }

    @Test
    fun badRowsAreReportedOrRefuseEverything() {
        Mutualis().use { m ->
            val dir = gymnasium(badLine = true).toString()
            val before = m.toJson()
            val e = assertThrows<MutualisException.IngestRow> { m.ingestCsv(dir, IngestMode.ALL_OR_NOTHING) }
            assertTrue(e.message!!.contains("row 2"), e.message)
            assertEquals(before, m.toJson())
            val report = m.ingestCsv(dir, IngestMode.REPORT)
            val bad = report.errors.single()
            assertEquals(listOf("cost_lines", "work_order", "unknown_work_order"), listOf(bad.table, bad.column, bad.kind))
            assertEquals(2uL, bad.row)
        }
    }

    @Test
    fun unreadableFoldersAndColumnsAreTypedErrors() {
        Mutualis().use { m ->
            assertThrows<MutualisException.IngestRead> { m.ingestParquet("/nonexistent/mutualis", IngestMode.REPORT) }
            assertThrows<MutualisException.IngestRead> { m.ingestCsv("/nonexistent/mutualis", IngestMode.REPORT) }
            val dir = Files.createTempDirectory("mutualis-ingest")
            write(dir, "tenants", "code,name,kind\nROANNE,Roanne,commune\n")
            val e = assertThrows<MutualisException.MissingColumn> { m.ingestCsv(dir.toString(), IngestMode.REPORT) }
            assertTrue(e.message!!.contains("siren"), e.message)
        }
    }
}
