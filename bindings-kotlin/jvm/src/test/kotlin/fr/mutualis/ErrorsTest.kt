package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import kotlin.reflect.KClass
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

/**
 * Error policy (docs/errors.md): every failure is exactly one
 * `MutualisException` subclass named after the core's error variant, its
 * message is the core's text naming the offending values, and a refused
 * command leaves the registry unchanged (compared through `toJson()`).
 */
class ErrorsTest {

    /** A refusal: the call, the exact subclass expected, and fragments (or the whole) of the message. */
    private class Case(
        val expected: KClass<out MutualisException>,
        val message: String? = null,
        val fragments: List<String> = emptyList(),
        val call: (Mutualis) -> Unit,
    )

    private val cases: List<Case> = listOf(
        Case(MutualisException.InvalidSiren::class, "invalid SIREN \"200035732\": the Luhn check digit does not match") {
            it.addTenant("SYE", "Syndicat d'énergie", TenantKind.SYNDICAT, "200035732", null)
        },
        Case(MutualisException.InvalidSiret::class, fragments = listOf("73282932000075", "Luhn")) { parseSiret("73282932000075") },
        Case(MutualisException.InvalidInsee::class, "invalid INSEE code \"\": a commune needs its INSEE code") {
            it.addTenant("RIORGES", "Riorges", TenantKind.COMMUNE, "214218703", null)
        },
        Case(MutualisException.InvalidCode::class, fragments = listOf("tenant code", "\"LE COTEAU\"")) {
            it.addTenant("LE COTEAU", "Le Coteau", TenantKind.COMMUNE, "214212706", "42071")
        },
        Case(MutualisException.InvalidField::class, "invalid service name: cannot be blank") {
            it.addService("ROANNE", "VOIRIE", "   ")
        },
        Case(MutualisException.UnknownTenant::class, "unknown tenant \"NOPE\"") { it.join("ROANNE", "NOPE") },
        Case(MutualisException.UnknownService::class, "unknown service \"VOIRIE\" of tenant \"MABLY\"") {
            it.addAsset(NewAsset("VOIE", "Voie", AssetKind.ROAD_SECTION, "MABLY", d(1990, 1, 1), serviceTenant = "MABLY", service = "VOIRIE"))
        },
        Case(MutualisException.UnknownAsset::class, "unknown asset \"NOPE\"") { it.holder("NOPE", d(2026, 1, 1)) },
        Case(MutualisException.DuplicateTenant::class, "tenant \"ROANNE\" already exists") {
            it.addTenant("ROANNE", "Roanne bis", TenantKind.COMMUNE, "214218703", "42187")
        },
        Case(MutualisException.DuplicateSiren::class, "SIREN 214218703 is already used by tenant \"ROANNE\"") {
            it.addTenant("ROANNE2", "Roanne bis", TenantKind.COMMUNE, "214 218 703", "42187")
        },
        Case(MutualisException.DuplicateService::class, "service \"SPORTS\" of tenant \"AGGLO\" already exists") {
            it.addService("AGGLO", "SPORTS", "Sports")
        },
        Case(MutualisException.DuplicateAsset::class, "asset \"GYM-COUBERTIN\" already exists") {
            it.addAsset(NewAsset("GYM-COUBERTIN", "Autre", AssetKind.BUILDING, "MABLY", d(2000, 1, 1)))
        },
        Case(MutualisException.InvalidMembership::class, fragments = listOf("\"AGGLO\"", "\"ROANNE\"", "only an EPCI or a syndicat has members")) {
            it.join("AGGLO", "ROANNE")
        },
        Case(MutualisException.AssetCycle::class, "asset \"GYM-COUBERTIN\" cannot be placed under \"GYM-COUBERTIN-SALLE\": that would make a cycle") {
            it.setParent("GYM-COUBERTIN", "GYM-COUBERTIN-SALLE")
        },
        Case(MutualisException.DatesOutOfOrder::class, "dates out of order: 2026-02-01 is after 2026-01-31") {
            it.grantCustody("MAISON-SERVICES", "AGGLO", d(2026, 2, 1), d(2026, 1, 31))
        },
        Case(MutualisException.OutsideAssetLife::class, "1975-08-31 is outside the life of asset \"GYM-COUBERTIN\" (in service from 1975-09-01)") {
            it.payers("GYM-COUBERTIN", d(1975, 8, 31))
        },
        Case(
            MutualisException.CustodyOverlap::class,
            "custody of \"GYM-COUBERTIN\" to \"MABLY\" over from 2026-01-01 overlaps the existing custody to \"AGGLO\" over from 2019-01-01",
        ) { it.grantCustody("GYM-COUBERTIN", "MABLY", d(2026, 1, 1), null) },
        Case(MutualisException.CustodyToOwner::class, "asset \"GYM-COUBERTIN\" cannot be put at the disposal of its own owner \"ROANNE\"") {
            it.grantCustody("GYM-COUBERTIN", "ROANNE", d(2026, 1, 1), null)
        },
        Case(MutualisException.KeyOverlap::class, "sharing key of \"MAISON-SERVICES\" over from 2025-01-01 overlaps the existing key over from 2020-01-01") {
            it.setSharingKey("MAISON-SERVICES", KeyBasis.AGREED, d(2025, 1, 1), null, mapOf("AGGLO" to 1uL))
        },
        Case(MutualisException.NothingToEnd::class, "asset \"MAISON-SERVICES\" has no open-ended custody to end") {
            it.endCustody("MAISON-SERVICES", d(2026, 1, 1))
        },
        Case(MutualisException.WeightsSumToZero::class, "weights must have a positive sum (got 2 weight(s) summing to zero)") {
            it.setSharingKey("MAISON-SERVICES-R2", KeyBasis.USAGE, d(2026, 1, 1), null, mapOf("AGGLO" to 0uL, "ROANNE" to 0uL))
        },
        Case(MutualisException.SubCentAmount::class, "amount 421.095 is not a whole number of cents") {
            it.splitCost("GYM-COUBERTIN", d(2026, 3, 12), BigDecimal("421.095"))
        },
        Case(MutualisException.AmountOutOfRange::class, "amount 1000000000000000000000000000 is out of the supported range") {
            it.splitCost("GYM-COUBERTIN", d(2026, 3, 12), BigDecimal("1E+27"))
        },
        Case(MutualisException.UnknownVatRate::class, "unknown VAT rate 19.6 %; rates in force are 20, 10, 5.5 and 2.1") {
            vatRateFromPercent(BigDecimal("19.6"))
        },
        Case(MutualisException.InvalidJson::class, fragments = listOf("invalid dataset JSON at line 1")) { Mutualis.fromJson("{") },
        Case(MutualisException.UnsupportedFormat::class, "unsupported dataset format \"mutualis\" version 2 (this library reads format \"mutualis\" version 1)") {
            Mutualis.fromJson("""{"format":"mutualis","version":2}""")
        },
        Case(MutualisException.Io::class, fragments = listOf("cannot read", "/nonexistent/mutualis.json")) {
            Mutualis.load("/nonexistent/mutualis.json")
        },
        Case(MutualisException.Io::class, fragments = listOf("cannot write", "/nonexistent/dir/out.json")) {
            it.save("/nonexistent/dir/out.json")
        },
        // Conversions refused by the binding itself, with the same exceptions.
        Case(MutualisException.InvalidField::class, fragments = listOf("invalid service: give both serviceTenant and service, or neither (got only service \"TECH\")")) {
            it.addAsset(NewAsset("VOIE", "Voie", AssetKind.ROAD_SECTION, "MABLY", d(1990, 1, 1), service = "TECH"))
        },
        Case(MutualisException.InvalidField::class, "invalid floor area: -1 m² is negative") {
            it.addAsset(NewAsset("SALLE", "Salle", AssetKind.ROOM, "MABLY", d(1990, 1, 1), floorArea = BigDecimal("-1")))
        },
        Case(MutualisException.InvalidField::class, fragments = listOf("invalid date", "outside the supported range")) {
            it.holder("GYM-COUBERTIN", LocalDate.of(300_000, 1, 1))
        },
        Case(MutualisException.AmountOutOfRange::class, fragments = listOf("cannot be handled exactly")) {
            split(BigDecimal("1E+30"), listOf(1uL))
        },
        Case(MutualisException.AmountOutOfRange::class, fragments = listOf("cannot be handled exactly")) {
            it.splitCost("GYM-COUBERTIN", d(2026, 3, 12), BigDecimal("0.00000000000000000000000000001"))
        },
        Case(MutualisException.AmountOutOfRange::class) { vatLine(BigDecimal("79228162514264337593543950335"), VatRate.STANDARD) },
    )

    /**
     * Variants that no Kotlin call can produce: kinds are Kotlin enums (no
     * name to mistype), sharing-key weights are a Map (no tenant twice), and
     * `Internal` only reports a bug or a newer core.
     */
    private val unreachable = setOf("UnknownKind", "DuplicateKeyTenant", "Internal")

    @TestFactory
    fun `every refusal throws exactly its subclass, with the core's message, and changes nothing`() = cases.map { case ->
        DynamicTest.dynamicTest("${case.expected.simpleName}: ${case.message ?: case.fragments}") {
            roannais().use { m ->
                val before = m.toJson()
                val e = org.junit.jupiter.api.Assertions.assertThrowsExactly(case.expected.java) { case.call(m) }
                val msg = e.message ?: ""
                if (case.message != null) assertEquals(case.message, msg)
                for (f in case.fragments) assertTrue(msg.contains(f), "message \"$msg\" lacks \"$f\"")
                assertTrue(msg.isNotBlank())
                assertEquals(before, m.toJson(), "a refused call changed the registry")
            }
        }
    }

    @Test
    fun `there is one subclass per core error variant, plus Io and Internal, all MutualisException`() {
        val subclasses = MutualisException::class.java.declaredClasses
            .filter { MutualisException::class.java.isAssignableFrom(it) }
        val names = subclasses.map { it.simpleName }.toSet()
        val expected = setOf(
            "InvalidSiren", "InvalidSiret", "InvalidInsee", "InvalidCode", "InvalidField", "UnknownKind",
            "UnknownTenant", "UnknownService", "UnknownAsset", "DuplicateTenant", "DuplicateSiren",
            "DuplicateService", "DuplicateAsset", "InvalidMembership", "AssetCycle", "DatesOutOfOrder",
            "OutsideAssetLife", "CustodyOverlap", "CustodyToOwner", "KeyOverlap", "NothingToEnd",
            "WeightsSumToZero", "DuplicateKeyTenant", "SubCentAmount", "AmountOutOfRange", "UnknownVatRate",
            "InvalidJson", "UnsupportedFormat", "Io", "Internal",
        )
        assertEquals(expected, names)
        for (c in subclasses) assertTrue(Exception::class.java.isAssignableFrom(c))
        // Every reachable subclass is exercised above.
        assertEquals(expected - unreachable, cases.map { it.expected.simpleName }.toSet())
    }

    @Test
    fun `one catch clause handles them all`() {
        roannais().use { m ->
            val caught = mutableListOf<String>()
            for (call in listOf<() -> Unit>({ m.tenant("NOPE") }, { m.asset("NOPE") }, { split(BigDecimal.ONE, emptyList()) })) {
                try {
                    call()
                } catch (e: MutualisException) {
                    caught += when (e) {
                        is MutualisException.UnknownTenant, is MutualisException.UnknownAsset -> "not found"
                        else -> e.javaClass.simpleName
                    }
                }
            }
            assertEquals(listOf("not found", "not found", "WeightsSumToZero"), caught)
        }
    }
}
