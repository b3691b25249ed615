package fr.mutualis

import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** The dataset JSON format (docs/json-format.md), read and written by the core. */
class JsonTest {

    @TempDir
    lateinit var dir: Path

    @Test
    fun `export, import, export gives the same text`() {
        roannais().use { m ->
            val json = m.toJson()
            assertTrue(json.contains("\"format\": \"mutualis\""), json)
            assertTrue(json.contains("\"version\": 4"), json)
            assertTrue(json.contains("\"floor_area\": \"2150\""), "areas are JSON strings")
            Mutualis.fromJson(json).use { copy ->
                assertEquals(json, copy.toJson())
                assertEquals(m.tenants(), copy.tenants())
                assertEquals(m.assets(), copy.assets())
                assertEquals(m.payers("MAISON-SERVICES-R1", d(2026, 1, 1)), copy.payers("MAISON-SERVICES-R1", d(2026, 1, 1)))
            }
        }
    }

    @Test
    fun `an empty registry round-trips`() {
        Mutualis().use { m ->
            val json = m.toJson()
            Mutualis.fromJson(json).use { assertEquals(json, it.toJson()) }
        }
    }

    @Test
    fun `save then load through a file`() {
        val file = dir.resolve("mutualis.json")
        roannais().use { m ->
            m.save(file.toString())
            assertEquals(m.toJson(), Files.readString(file))
            assertFalse(Files.exists(dir.resolve("mutualis.json.tmp")), "no temporary file left behind")
            Mutualis.load(file.toString()).use { loaded ->
                assertEquals(m.toJson(), loaded.toJson())
                assertEquals(Holder("AGGLO", PayerSourceKind.CUSTODY, "GYM-COUBERTIN"), loaded.holder("GYM-COUBERTIN", d(2019, 1, 1)))
            }
            // Saving again replaces the file.
            m.addTenant("SYE", "Syndicat d'énergie", TenantKind.SYNDICAT, "200035715", null)
            m.save(file.toString())
            Mutualis.load(file.toString()).use { assertEquals("SYE", it.tenants().last().code) }
        }
    }

    @Test
    fun `the example of the format documentation loads`() {
        val json = """
            {
              "format": "mutualis",
              "version": 1,
              "tenants": [
                { "code": "AGGLO", "name": "Roannais Agglomération", "kind": "communaute_d_agglomeration", "siren": "200035731" },
                { "code": "ROANNE", "name": "Ville de Roanne", "kind": "commune", "siren": "214218703", "insee": "42187", "member_of": ["AGGLO"] }
              ],
              "services": [ { "tenant": "AGGLO", "code": "SPORTS", "name": "Équipements sportifs" } ],
              "assets": [
                { "code": "GYM-COUBERTIN", "name": "Gymnase Pierre de Coubertin", "kind": "building", "owner": "ROANNE",
                  "service": { "tenant": "AGGLO", "service": "SPORTS" }, "commissioned": "1975-09-01", "floor_area": "2150" }
              ],
              "custody": [ { "asset": "GYM-COUBERTIN", "beneficiary": "AGGLO", "from": "2019-01-01" } ],
              "sharing_keys": []
            }
        """.trimIndent()
        Mutualis.fromJson(json).use { m ->
            assertEquals("AGGLO", m.holder("GYM-COUBERTIN", d(2026, 3, 12)).tenant)
            assertEquals(listOf("AGGLO"), m.tenant("ROANNE").memberOf)
            assertEquals(eur("2150"), m.asset("GYM-COUBERTIN").floorArea)
        }
    }

    @Test
    fun `invalid JSON is refused with its position`() {
        val e = org.junit.jupiter.api.Assertions.assertThrowsExactly(MutualisException.InvalidJson::class.java) {
            Mutualis.fromJson("{\"format\":\"mutualis\",\n\"version\":1,")
        }
        assertTrue(e.message!!.startsWith("invalid dataset JSON at line 2"), e.message)
    }

    @Test
    fun `an unknown field is refused, never dropped`() {
        val e = org.junit.jupiter.api.Assertions.assertThrowsExactly(MutualisException.InvalidJson::class.java) {
            Mutualis.fromJson("""{"format":"mutualis","version":1,"tenant":[]}""")
        }
        assertTrue(e.message!!.contains("unknown field"), e.message)
    }

    @Test
    fun `a newer version or another format is refused`() {
        val e = assertThrowsExactly<MutualisException.UnsupportedFormat> { Mutualis.fromJson("""{"format":"mutualis","version":5,"tenants":[]}""") }
        assertTrue(e.message!!.contains("versions 1 to 4"), e.message)
        assertThrowsExactly<MutualisException.UnsupportedFormat> { Mutualis.fromJson("""{"format":"geojson","version":1}""") }
    }

    @Test
    fun `a bad record in a file gets the same error as through the API`() {
        val badSiren = """{"format":"mutualis","version":1,"tenants":[{"code":"X","name":"X","kind":"syndicat","siren":"123456789"}]}"""
        assertThrowsExactly<MutualisException.InvalidSiren> { Mutualis.fromJson(badSiren) }
    }

    @Test
    fun `loading a missing file or a broken one`() {
        val missing = dir.resolve("missing.json").toString()
        val e = assertThrowsExactly<MutualisException.Io> { Mutualis.load(missing) }
        assertTrue(e.message!!.contains(missing), e.message)
        val broken = dir.resolve("broken.json")
        Files.writeString(broken, "not json")
        assertThrowsExactly<MutualisException.InvalidJson> { Mutualis.load(broken.toString()) }
    }
}
