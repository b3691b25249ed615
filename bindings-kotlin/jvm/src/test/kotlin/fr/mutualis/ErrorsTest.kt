package fr.mutualis

import java.math.BigDecimal
import java.time.Instant
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

    private companion object {
        /** The day of the cost lines of the field cases. */
        val DAY: LocalDate = d(2026, 3, 12)

        /**
         * [field] plus `BT-OPEN` (gymnasium, in progress since 2026-03-12 07:00), request `DI-1`,
         * the agreement `CONV-SPORTS` (Roanne's sports régie for the agglomeration, from 2019),
         * the pooled service `SC-BAT` (AGGLO/BATIMENTS, AGGLO and ROANNE 1:1) and AGGLO's 2026
         * budget (TTC, refusing overruns) with line `011-SPORTS` (AGGLO/SPORTS, 100.00 voted),
         * and Roanne's AP `AP-GYM` (DOMAIN §6: voted 2025, carry-over, 150 000.00 paid, 2025 closed).
         */
        fun fixture(): Mutualis = field().also {
            it.createWorkOrder(NewWorkOrder("BT-OPEN", "Travaux", "GYM-COUBERTIN", team = "ROANNE-SPORTS"))
            it.startWorkOrder("BT-OPEN", at(2026, 3, 12, 7))
            it.receiveRequest(NewRequest("DI-1", RequestOrigin.AGENT, "peinture", "Repeindre", "AGGLO", at(2026, 3, 2, 9)))
            it.addAgreement(NewAgreement("CONV-SPORTS", "ROANNE", "AGGLO", AgreementMode.ACTUAL_COST, d(2019, 1, 1), services = listOf("SPORTS")))
            it.addPooledService(NewPooledService("SC-BAT", "AGGLO", listOf("BATIMENTS"), d(2026, 1, 1), key = mapOf("AGGLO" to 1uL, "ROANNE" to 1uL)))
            it.addBudget("AGGLO", 2026, ChargeBasis.TTC, OverrunPolicy.REFUSE)
            it.addBudgetLine("AGGLO", 2026, "011-SPORTS", "SPORTS", "615221", eur("100.00"))
            it.setRbfRules("ROANNE", carryOver = true)
            it.voteAp(NewAp("AP-GYM", "ROANNE", "Rénovation énergétique du gymnase", 2025, eur("1200000.00"), GYM_CP))
            it.payAp("AP-GYM", d(2025, 11, 15), eur("150000.00"))
            it.closeYear("ROANNE", 2025)
            it.addPrincipal("artifices.feu", "Artificier", PrincipalKind.CONTRACTOR, supplier = "ARTIFICES")
            it.addRole("INTERVENANT", "Intervenant", listOf("work:write"))
            it.registerVehicle(NewVehicle("VH-ROANNE-1", VehicleCategory.VAN, Energy.DIESEL, registration = "AB-123-CD", firstRegistration = d(2020, 1, 1)))
            it.recordMeterReading("VH-ROANNE-1", Meter.KM, d(2026, 3, 1), 50_000uL)
            it.addParty("FOOT", "Football club roannais", PartyKind.ASSOCIATION, "W423001234")
            it.addLease(NewLease(code = "BAIL-FOOT", asset = "GYM-COUBERTIN-SALLE", tenant = "ROANNE", party = "FOOT", kind = LeaseKind.FREE_OCCUPATION, start = d(2020, 1, 1), rent = eur("0"), rentalValue = eur("6000.00")))
            it.addWorkwearItem(WorkwearItem("EPI-TENUE", "Tenue de travail", "PEINTURE", sizes = listOf("M", "L")))
            it.addAgent(Agent("ROANNE", "M001", "J. Martin", "SPORTS", "agent", emptyMap(), start = d(2020, 1, 1), end = d(2026, 12, 31)))
            it.setAllotment(Allotment("ROANNE", "EPI-TENUE", 1u, 12u, job = "agent"))
            // furniture: INV-1 in the gymnasium's hall, INV-2 reformed, MOB-3 not registered; a campaign open, one closed
            it.addAsset(NewAsset(code = "MAIRIE-MABLY", name = "Mairie de Mably", kind = AssetKind.BUILDING, owner = "MABLY", commissioned = d(1980, 1, 1)))
            for (c in listOf("MOB-1", "MOB-2", "MOB-3")) {
                it.addAsset(NewAsset(code = c, name = "Chaise", kind = AssetKind.FURNITURE, owner = "ROANNE", commissioned = d(2020, 1, 6)))
            }
            it.registerFurniture(NewFurniture(asset = "MOB-1", number = "INV-1", category = "chair", location = "GYM-COUBERTIN-SALLE", purchaseDate = d(2020, 1, 6)))
            it.registerFurniture(NewFurniture(asset = "MOB-2", number = "INV-2", category = "chair", location = "GYM-COUBERTIN-SALLE"))
            it.reformFurniture("INV-2", d(2025, 1, 1), ReformOutcome.DESTROYED)
            it.openCampaign("REC", "GYM-COUBERTIN", d(2026, 3, 2))
            it.openCampaign("OLD", "GYM-COUBERTIN", d(2025, 3, 2))
            it.closeCampaign("OLD", d(2025, 3, 9))
            // energy: a meter on the gymnasium read on 2026-03-01
            it.addMeter("ELEC-GYM", "GYM-COUBERTIN", EnergySource.ELECTRICITY, EnergyUnit.KWH)
            it.recordReading("ELEC-GYM", d(2026, 3, 1), eur("1000"))
            // the request portal: a category no rule routes, one request waiting for manual routing
            RequestCatalogue(it).addCategory("AGGLO", "divers", "Divers")
            RequestCatalogue(it).submit("WEB-9", "divers", "Autre", at(2026, 3, 2, 9))
        }

        /** The CP of the DOMAIN §6 worked example. */
        val GYM_CP = mapOf(2025 to eur("200000.00"), 2026 to eur("600000.00"), 2027 to eur("400000.00"))

        /** A file path in a fresh temporary directory. */
        fun tempFile(name: String): java.nio.file.Path =
            java.nio.file.Files.createTempDirectory("mutualis-errors").resolve(name)
    }

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
        Case(
            MutualisException.TransferRefused::class,
            "cannot transfer \"GYM-COUBERTIN\" to \"ROANNE\" from 2026-01-01: ROANNE already owns it on 2026-01-01",
        ) { it.transferOwnership("GYM-COUBERTIN", "ROANNE", d(2026, 1, 1)) },
        Case(MutualisException.InvalidRegistration::class, "invalid registration number \"GI-123-BC\": SIV numbers never use the letters I, O and U") {
            it.registerVehicle(NewVehicle("GYM-COUBERTIN-CHAUFFERIE", VehicleCategory.OTHER, Energy.OTHER, registration = "GI-123-BC", firstRegistration = d(2020, 1, 1)))
        },
        Case(MutualisException.InvalidVin::class, "invalid VIN \"VF1FW0ZBC1234567I\": a VIN never uses I, O or Q") {
            it.registerVehicle(NewVehicle("GYM-COUBERTIN-CHAUFFERIE", VehicleCategory.OTHER, Energy.OTHER, vin = "VF1FW0ZBC1234567I"))
        },
        Case(MutualisException.NotInFleet::class, "\"GYM-COUBERTIN\" is not in the fleet register") {
            it.recordMeterReading("GYM-COUBERTIN", Meter.KM, DAY, 1uL)
        },
        Case(MutualisException.MeterRegression::class, "km reading 49999 of \"VH-ROANNE-1\" on 2026-03-12 is below the last reading 50000 on 2026-03-01") {
            it.recordMeterReading("VH-ROANNE-1", Meter.KM, DAY, 49_999uL)
        },
        Case(MutualisException.InvalidRna::class, "invalid RNA number \"W12\": an RNA number is W followed by 9 digits") {
            it.addParty("ASSO-2", "Club", PartyKind.ASSOCIATION, "W12")
        },
        Case(MutualisException.UnknownParty::class, "unknown party \"NOBODY\"") {
            it.addLease(NewLease(code = "BAIL-X", asset = "GYM-COUBERTIN-SALLE", tenant = "ROANNE", party = "NOBODY", kind = LeaseKind.RESIDENTIAL, start = DAY, rent = eur("100")))
        },
        Case(MutualisException.DuplicateParty::class, "party \"FOOT\" already exists") {
            it.addParty("FOOT", "Autre club", PartyKind.ASSOCIATION, "W423001235")
        },
        Case(MutualisException.UnknownLease::class, "unknown lease \"NOPE\"") { it.endLease("NOPE", DAY) },
        Case(MutualisException.UnknownMeter::class, "unknown meter \"NOPE\"") { it.recordReading("NOPE", DAY, eur("1")) },
        Case(MutualisException.DuplicateMeter::class, "meter \"ELEC-GYM\" already exists") {
            it.addMeter("ELEC-GYM", "GYM-COUBERTIN", EnergySource.GAS, EnergyUnit.M3)
        },
        Case(MutualisException.InvalidDeliveryPoint::class, "invalid delivery point \"123\": a PDL/PRM is 14 digits") {
            it.addMeter("ELEC-2", "GYM-COUBERTIN", EnergySource.ELECTRICITY, EnergyUnit.KWH, deliveryPoint = "123")
        },
        Case(MutualisException.IndexBelowLast::class, "index 999 of meter \"ELEC-GYM\" on 2026-03-12 is below the last index 1000 on 2026-03-01") {
            it.recordReading("ELEC-GYM", DAY, eur("999"))
        },
        Case(MutualisException.UnitMismatch::class, "meter \"ELEC-GYM\" counts in kwh, not m3") {
            it.recordEnergyInvoice("ELEC-GYM", "F-9", DAY, d(2026, 3, 1), DAY, eur("10"), EnergyUnit.M3, eur("0"), eur("1"), eur("0"))
        },
        Case(MutualisException.NegativeConsumption::class, "consumption -5 is negative") {
            it.recordEnergyInvoice("ELEC-GYM", "F-9", DAY, d(2026, 3, 1), DAY, eur("-5"), EnergyUnit.KWH, eur("0"), eur("1"), eur("0"))
        },
        Case(MutualisException.ReferenceYearTooEarly::class, "reference year 2009 is before 2010") {
            it.declareTertiarySite("GYM-COUBERTIN", "sport", eur("2000"), 2009, eur("1"))
        },
        Case(MutualisException.MissingDju::class, "no degree days for station \"NOPE\" in 2026") {
            it.climateCorrected("NOPE", 2026, eur("1"))
        },
        Case(MutualisException.DuplicateLease::class, "lease \"BAIL-FOOT\" already exists") {
            it.addLease(NewLease(code = "BAIL-FOOT", asset = "GYM-COUBERTIN-SALLE", tenant = "ROANNE", party = "FOOT", kind = LeaseKind.RESIDENTIAL, start = DAY, rent = eur("100")))
        },
        Case(MutualisException.LeaseOverlap::class, "lease \"BAIL-X\" on \"GYM-COUBERTIN-SALLE\" overlaps \"BAIL-FOOT\", and one of them is exclusive") {
            it.addLease(NewLease(code = "BAIL-X", asset = "GYM-COUBERTIN-SALLE", tenant = "ROANNE", party = "FOOT", kind = LeaseKind.RESIDENTIAL, start = DAY, rent = eur("100")))
        },
        Case(MutualisException.NotFurniture::class, "\"GYM-COUBERTIN-CHAUFFERIE\" is of kind equipment, not furniture") {
            it.registerFurniture(NewFurniture(asset = "GYM-COUBERTIN-CHAUFFERIE", number = "INV-9", category = "chair", location = "GYM-COUBERTIN-SALLE"))
        },
        Case(MutualisException.UnknownInventoryNumber::class, "unknown inventory number \"INV-9\"") {
            it.moveFurniture("INV-9", "GYM-COUBERTIN", DAY)
        },
        Case(MutualisException.DuplicateInventoryNumber::class, "inventory number \"INV-1\" is already that of \"MOB-1\"") {
            it.registerFurniture(NewFurniture(asset = "MOB-3", number = "inv-1", category = "chair", location = "GYM-COUBERTIN-SALLE"))
        },
        Case(MutualisException.NotALocation::class, "\"GYM-COUBERTIN-CHAUFFERIE\" is of kind equipment, not a room, floor, building or site") {
            it.moveFurniture("INV-1", "GYM-COUBERTIN-CHAUFFERIE", DAY)
        },
        Case(MutualisException.CrossTenantMove::class, fragments = listOf("\"INV-1\"", "transfer of ownership or a loan")) {
            it.moveFurniture("INV-1", "MAIRIE-MABLY", DAY)
        },
        Case(MutualisException.ItemReformed::class, "furniture item \"INV-2\" was reformed on 2025-01-01") {
            it.moveFurniture("INV-2", "GYM-COUBERTIN", DAY)
        },
        Case(MutualisException.ReformBeforePurchase::class, "furniture item \"INV-1\" cannot be reformed on 2019-12-31, before its purchase on 2020-01-06") {
            it.reformFurniture("INV-1", d(2019, 12, 31), ReformOutcome.DESTROYED)
        },
        Case(MutualisException.UnknownCampaign::class, "unknown inventory campaign \"NOPE\"") {
            it.recordScan("NOPE", "INV-1", "GYM-COUBERTIN-SALLE", DAY)
        },
        Case(MutualisException.DuplicateCampaign::class, "inventory campaign \"REC\" already exists") {
            it.openCampaign("REC", "GYM-COUBERTIN", DAY)
        },
        Case(MutualisException.CampaignClosed::class, "inventory campaign \"OLD\" was closed on 2025-03-09") {
            it.recordScan("OLD", "INV-1", "GYM-COUBERTIN-SALLE", d(2025, 3, 10))
        },
        Case(MutualisException.OutsideCampaign::class, "\"MAIRIE-MABLY\" is outside the perimeter of inventory campaign \"REC\"") {
            it.recordScan("REC", "INV-1", "MAIRIE-MABLY", d(2026, 3, 3))
        },
        Case(MutualisException.MissingIndexValue::class, "index \"ILC\" has no value for 2019-Q1") { it.indexValue("ILC", "2019-Q1") },
        Case(MutualisException.NegativeAmount::class, fragments = listOf("amount cannot be negative", "-5")) {
            it.recordRentReceipt("BAIL-FOOT", DAY, eur("-5"))
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
        Case(MutualisException.UnknownVatRate::class, "unknown VAT rate 19 %; rates in force are 20, 10, 5.5 and 2.1 (before 2014 also 19.6, 7, 20.6 and 18.6)") {
            vatRateFromPercent(BigDecimal("19"))
        },
        Case(MutualisException.InvalidJson::class, fragments = listOf("invalid dataset JSON at line 1")) { Mutualis.fromJson("{") },
        Case(MutualisException.UnsupportedFormat::class, "unsupported dataset format \"mutualis\" version 5 (this library reads format \"mutualis\" versions 1 to 4)") {
            Mutualis.fromJson("""{"format":"mutualis","version":5}""")
        },
        // Reports: a table whose rows do not add up to its total.
        Case(MutualisException.ReportTotalMismatch::class, "report table \"t\", column \"ttc\": the rows add up to 3.00, the total is 3.01") {
            reportCheckTotal("t", "ttc", listOf(eur("1"), eur("2")), eur("3.01"))
        },
        // Investment plans (AP/CP).
        Case(MutualisException.UnknownOperation::class, "unknown operation or AP \"AP-NOPE\"") {
            it.payAp("AP-NOPE", d(2026, 1, 5), eur("1.00"))
        },
        Case(MutualisException.UnknownOperation::class, "unknown operation or AP \"OP-NOPE\"") {
            it.addOperation(NewOperation("OP-1", "ROANNE", "Toiture", "toiture", eur("1000.00"), 2026, listOf(1uL), dependsOn = listOf("OP-NOPE")))
        },
        Case(MutualisException.DuplicateOperation::class, "operation or AP \"AP-GYM\" already exists") {
            it.voteAp(NewAp("AP-GYM", "ROANNE", "Autre", 2026, eur("10.00"), mapOf(2026 to eur("10.00"))))
        },
        Case(MutualisException.CpMismatch::class, "CP of AP \"AP-X\" do not fit: the CP sum to 90.00, not 100.00") {
            it.voteAp(NewAp("AP-X", "ROANNE", "Écoles", 2026, eur("100.00"), mapOf(2026 to eur("60.00"), 2027 to eur("30.00"))))
        },
        Case(MutualisException.CpMismatch::class, "CP of AP \"AP-GYM\" do not fit: 650000.01 exceeds the 650000.00 of CP left in 2026") {
            it.payAp("AP-GYM", d(2026, 6, 1), eur("650000.01"))
        },
        Case(MutualisException.YearClosed::class, "year 2025 is closed for AP \"AP-GYM\"") {
            it.payAp("AP-GYM", d(2025, 12, 1), eur("1.00"))
        },
        Case(MutualisException.YearClosed::class, "year 2025 is closed for AP \"AP-GYM\"") { it.closeYear("ROANNE", 2025) },
        Case(MutualisException.YearNotNext::class, "year 2030 cannot be closed for AP \"AP-GYM\": 2026 must be closed first") {
            it.closeYear("ROANNE", 2030)
        },
        Case(MutualisException.YearOutOfRange::class, "year: year 2147483647 is outside 1900..=2200") {
            it.apSituation("ROANNE", Int.MAX_VALUE)
        },
        Case(MutualisException.DuplicateSiret::class, "SIRET 73282932000074 is already used by supplier \"LOCABARRIERES\"") {
            it.addSupplier("AUTRE", "Autre", "73282932000074", emptyList())
        },
        Case(MutualisException.VatRateNotInForce::class, "VAT rate 19.6 % was not in force on 2026-03-12; rates then: 20, 10, 5.5, 2.1") {
            it.recordExternal("BT-OPEN", DAY, "Location", eur("10.00"), VatRate.STANDARD196, supplier = "ARTIFICES")
        },
        Case(MutualisException.UnknownPrincipal::class, "unknown principal \"NOPE\"") { it.grantsOf("NOPE") },
        Case(MutualisException.DuplicatePrincipal::class, "principal \"artifices.feu\" already exists") {
            it.addPrincipal("artifices.feu", "Autre", PrincipalKind.CONTRACTOR, supplier = "ARTIFICES")
        },
        Case(MutualisException.UnknownRole::class, "unknown role \"NOPE\"") {
            it.grant("artifices.feu", "NOPE", Scope.Group, DAY)
        },
        Case(MutualisException.DuplicateRole::class, "role \"INTERVENANT\" already exists") {
            it.addRole("INTERVENANT", "Autre", listOf("work:read"))
        },
        Case(MutualisException.Forbidden::class, fragments = listOf("artifices.feu", "work:write", "BT-OPEN")) {
            it.asPrincipal("artifices.feu").recordExternal("BT-OPEN", DAY, "Feu", eur("10.00"), VatRate.STANDARD, supplier = "ARTIFICES")
        },
        Case(MutualisException.RevisionBelowPaid::class, "AP \"AP-GYM\" cannot be revised to 100000.00: 150000.00 is already paid") {
            it.reviseAp("AP-GYM", 2026, eur("100000.00"), mapOf(2026 to eur("100000.00")))
        },

        // The store (these calls leave the registry alone: it is compared all the same).
        Case(MutualisException.Storage::class, fragments = listOf("store error")) {
            Store(tempFile("missing/dir/m.db").toString(), "t").close()
        },
        Case(MutualisException.CorruptStore::class, fragments = listOf("not a usable Mutualis store")) {
            val junk = tempFile("junk.db")
            java.nio.file.Files.writeString(junk, "a spreadsheet, not a store\n".repeat(200))
            Store(junk.toString(), "t").close()
        },
        Case(
            MutualisException.StaleState::class,
            "the store has moved on (this handle saw event 0, the store has 1): refresh and retry",
        ) {
            val path = tempFile("shared.db").toString()
            Store(path, "a").use { a ->
                Store(path, "b").use { b ->
                    a.checkout().use { w -> w.addTenant("CCAS", "CCAS de Roanne", TenantKind.OTHER, "264200338", null); a.commit(w) }
                    b.checkout().use { w -> w.addTenant("CCAS", "CCAS de Roanne", TenantKind.OTHER, "264200338", null); b.commit(w) }
                }
            }
        },
        Case(MutualisException.StaleCopy::class, fragments = listOf("check out again and redo")) {
            Store.inMemory("t").use { s ->
                s.checkout().use { w ->
                    w.addTenant("CCAS", "CCAS de Roanne", TenantKind.OTHER, "264200338", null)
                    s.rollback() // the view's changes are discarded: it is stale
                    s.commit(w)
                }
            }
        },
        Case(MutualisException.UncommittedChanges::class, fragments = listOf("uncommitted change", "commit or roll back")) {
            Store.inMemory("t").use { s ->
                s.checkout().use { w ->
                    w.addTenant("CCAS", "CCAS de Roanne", TenantKind.OTHER, "264200338", null)
                    s.refresh()
                }
            }
        },
        Case(MutualisException.InvalidJson::class, fragments = listOf("invalid dataset JSON")) {
            Store.inMemory("t").use { s -> s.importEvents("{}") }
        },
        Case(MutualisException.CsvRows::class, fragments = listOf("bad row(s) in the CSV", "line 2")) {
            it.importAssetsCsv("code,name,kind,owner,commissioned\nX,Château,castle,ROANNE,2001-01-01\n", true)
        },
        Case(MutualisException.IngestRead::class, fragments = listOf("cannot read tables")) {
            it.ingestParquet("/nonexistent/mutualis", IngestMode.REPORT)
        },
        Case(MutualisException.MissingColumn::class, "table \"tenants\" has no column \"siren\"") {
            val dir = java.nio.file.Files.createTempDirectory("mutualis-errors")
            java.nio.file.Files.writeString(dir.resolve("tenants.csv"), "code,name,kind\nX,X,syndicat\n")
            it.ingestCsv(dir.toString(), IngestMode.REPORT)
        },
        Case(MutualisException.IngestRow::class, fragments = listOf("table \"services\", row 1", "unknown tenant")) {
            val dir = java.nio.file.Files.createTempDirectory("mutualis-errors")
            java.nio.file.Files.writeString(dir.resolve("services.csv"), "tenant,code,name\nNOPE,S,S\n")
            it.ingestCsv(dir.toString(), IngestMode.ALL_OR_NOTHING)
        },
        Case(MutualisException.CyclicDependency::class, fragments = listOf("depends on itself")) {
            val c = { code: String, dep: String -> Candidate(code, "T", 1u, BigDecimal.ONE, 2026, listOf(1uL), listOf(dep)) }
            schedulePlan(listOf(c("X", "Y"), c("Y", "X")), emptyList(), 2026, 2027, emptyMap())
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

        // -- The field flow (fixture: `field()` plus BT-OPEN in progress and request DI-1) --
        Case(MutualisException.InvalidQuantity::class, "hours must be positive (got 0)") {
            it.recordLabour("BT-OPEN", DAY, BigDecimal("0"))
        },
        Case(MutualisException.InvalidQuantity::class, "hours must be positive (got -2)") {
            it.recordLabour("BT-OPEN", DAY, BigDecimal("-2"))
        },
        Case(MutualisException.InvalidQuantity::class, "agents must be positive (got 0)") {
            it.recordLabour("BT-OPEN", DAY, BigDecimal("2"), agents = 0u)
        },
        Case(MutualisException.InvalidQuantity::class, "quantity issued must be positive (got -1)") {
            it.recordMaterial("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE", BigDecimal("-1"))
        },
        Case(MutualisException.InvalidQuantity::class, "vehicle use must be positive (got 0)") {
            it.recordVehicle("BT-OPEN", DAY, "VH-ROANNE-1", UsageUnit.KM, BigDecimal("0"))
        },
        Case(MutualisException.InvalidQuantity::class, "amount HT must be positive (got 0.00)") {
            it.recordExternal("BT-OPEN", DAY, "Rien", eur("0.00"), VatRate.STANDARD, supplier = "ARTIFICES")
        },
        Case(MutualisException.InvalidQuantity::class, "rate must be positive (got -38.50)") {
            it.setLabourRate("ROANNE", 2027, eur("-38.50"))
        },
        Case(MutualisException.SubCentAmount::class, "amount 10.001 is not a whole number of cents") {
            it.recordExternal("BT-OPEN", DAY, "Fumigènes", eur("10.001"), VatRate.STANDARD, supplier = "ARTIFICES")
        },
        Case(MutualisException.OutsideAssetLife::class, "1975-08-31 is outside the life of asset \"GYM-COUBERTIN\" (in service from 1975-09-01)") {
            it.recordLabour("BT-OPEN", d(1975, 8, 31), BigDecimal("1"))
        },
        Case(MutualisException.UnknownSupplier::class, "unknown supplier \"NOPE\"") {
            it.recordExternal("BT-OPEN", DAY, "Fumigènes", eur("10.00"), VatRate.STANDARD, supplier = "NOPE")
        },
        Case(MutualisException.UnknownSupplier::class, "unknown supplier \"NOPE\"") { it.supplierActivity("NOPE") },
        Case(MutualisException.DuplicateSupplier::class, "supplier \"ARTIFICES\" already exists") {
            it.addSupplier("ARTIFICES", "Autres artifices", "73282932000074")
        },
        Case(MutualisException.InvalidSiret::class, fragments = listOf("73282932000075")) {
            it.addSupplier("BAD", "Mauvais SIRET", "73282932000075")
        },
        Case(MutualisException.UnknownTeam::class, "unknown team \"NOPE\"") { it.workOrdersOfTeam("NOPE") },
        Case(MutualisException.UnknownTeam::class, "unknown team \"NOPE\"") {
            it.recordLabour("BT-OPEN", DAY, BigDecimal("1"), team = "NOPE")
        },
        Case(MutualisException.DuplicateTeam::class, "team \"ROANNE-SPORTS\" already exists") {
            it.addTeam("ROANNE-SPORTS", "ROANNE", "Autre régie")
        },
        Case(MutualisException.UnknownStore::class, "unknown store \"NOPE\"") {
            it.recordMaterial("BT-OPEN", DAY, "NOPE", "PEINTURE", BigDecimal("1"))
        },
        Case(MutualisException.DuplicateStore::class, "store \"MAG-ROANNE\" already exists") {
            it.addStore("MAG-ROANNE", "ROANNE", "Autre magasin")
        },
        Case(MutualisException.UnknownItem::class, "unknown item \"NOPE\"") { it.stockLevel("MAG-ROANNE", "NOPE") },
        Case(MutualisException.DuplicateItem::class, "item \"PEINTURE\" already exists") {
            it.addItem("PEINTURE", "Peinture", "pot")
        },
        Case(MutualisException.UnknownRequest::class, "unknown request \"NOPE\"") {
            it.createWorkOrder(NewWorkOrder("BT-NEW", "Travaux", "GYM-COUBERTIN", team = "ROANNE-SPORTS", requests = listOf("NOPE")))
        },
        Case(MutualisException.DuplicateRequest::class, "request \"DI-1\" already exists") {
            it.receiveRequest(NewRequest("DI-1", RequestOrigin.AGENT, "peinture", "Encore", "AGGLO", at(2026, 3, 2, 9)))
        },
        Case(MutualisException.UnknownServiceCode::class, "unknown service_code \"NOPE\": no request category has this code") {
            RequestCatalogue(it).setCompetence("NOPE", Competence.COMMUNES)
        },
        Case(MutualisException.AwaitingRouting::class, "request \"WEB-9\" is waiting for manual routing") {
            it.setRequestStatus("WEB-9", RequestStatus.FIXED, at(2026, 3, 12, 7))
        },
        Case(MutualisException.UnknownToken::class, "unknown token \"NOPE\"") { RequestCatalogue(it).token("NOPE", GeoFormat.JSON) },
        Case(MutualisException.MissingLocation::class, "missing location: lat/long, address_string or address_id is required") {
            RequestCatalogue(it).createRequest(mapOf("service_code" to "divers"), at(2026, 3, 12, 7), GeoFormat.JSON)
        },
        Case(MutualisException.UnknownWorkOrder::class, "unknown work order \"NOPE\"") { it.startWorkOrder("NOPE", at(2026, 3, 12, 7)) },
        Case(MutualisException.DuplicateWorkOrder::class, "work order \"BT-GYM-1\" already exists") {
            it.createWorkOrder(NewWorkOrder("BT-GYM-1", "Autre", "GYM-COUBERTIN", team = "ROANNE-SPORTS"))
        },
        Case(MutualisException.RateAlreadySet::class, "labour rate already set for ROANNE 2026") {
            it.setLabourRate("ROANNE", 2026, eur("40.00"))
        },
        Case(MutualisException.RateAlreadySet::class, "vehicle rate already set for VH-ROANNE-1 2026 per day") {
            it.setVehicleRate("VH-ROANNE-1", 2026, UsageUnit.DAY, eur("50.00"))
        },
        Case(MutualisException.NoRate::class, "no labour rate for ROANNE 2025 (team ROANNE-SPORTS)") {
            it.recordLabour("BT-OPEN", d(2025, 6, 1), BigDecimal("1"))
        },
        Case(MutualisException.NoRate::class, fragments = listOf("no vehicle rate", "VH-ROANNE-1")) {
            it.recordVehicle("BT-OPEN", DAY, "VH-ROANNE-1", UsageUnit.HOUR, BigDecimal("2"))
        },
        Case(MutualisException.UnknownAgent::class, "unknown agent \"M404\" of \"ROANNE\"") {
            it.issueWorkwear(NewWorkwearIssue("ROANNE", "M404", "EPI-TENUE", "MAG-ROANNE", DAY, BigDecimal.ONE, size = "M"))
        },
        Case(MutualisException.DuplicateAgent::class, "agent \"M001\" of \"ROANNE\" already exists") {
            it.addAgent(Agent("ROANNE", "M001", "Autre", "SPORTS", "agent", emptyMap(), start = d(2020, 1, 1)))
        },
        Case(MutualisException.UnknownWorkwearItem::class, "unknown workwear item \"EPI-X\"") {
            it.issueWorkwear(NewWorkwearIssue("ROANNE", "M001", "EPI-X", "MAG-ROANNE", DAY, BigDecimal.ONE))
        },
        Case(MutualisException.DuplicateWorkwearItem::class, "workwear item \"EPI-TENUE\" already exists") {
            it.addWorkwearItem(WorkwearItem("EPI-TENUE", "Bis", "PEINTURE"))
        },
        Case(MutualisException.SizeNotOffered::class, "workwear item \"EPI-TENUE\" is not offered in size \"XXL\"") {
            it.issueWorkwear(NewWorkwearIssue("ROANNE", "M001", "EPI-TENUE", "MAG-ROANNE", DAY, BigDecimal.ONE, size = "XXL"))
        },
        Case(MutualisException.AllotmentExceeded::class, "issuing 2 of \"EPI-TENUE\" to agent \"M001\" of \"ROANNE\" exceeds the allotment of 1 per period (0 already issued in it)") {
            it.issueWorkwear(NewWorkwearIssue("ROANNE", "M001", "EPI-TENUE", "MAG-ROANNE", DAY, BigDecimal("2"), size = "M"))
        },
        Case(MutualisException.AgentNotAssigned::class, "agent \"M001\" of \"ROANNE\" is not assigned on 2027-01-04") {
            it.issueWorkwear(NewWorkwearIssue("ROANNE", "M001", "EPI-TENUE", "MAG-ROANNE", d(2027, 1, 4), BigDecimal.ONE, size = "M"))
        },
        Case(MutualisException.InsufficientStock::class, "cannot issue 1000 of \"PEINTURE\" from \"MAG-ROANNE\": only 40 on hand") {
            it.recordMaterial("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE", BigDecimal("1000"))
        },
        Case(MutualisException.IllegalTransition::class, "work order \"BT-GYM-1\" cannot go from planned to closed") {
            it.setWorkOrderStatus("BT-GYM-1", WorkOrderStatus.CLOSED, at(2026, 3, 12, 8))
        },
        Case(MutualisException.IllegalTransition::class, "work order \"BT-GYM-1\" cannot go from planned to closed") {
            it.closeWorkOrder("BT-GYM-1", at(2026, 3, 12, 8))
        },
        Case(MutualisException.IllegalTransition::class, "work order \"BT-OPEN\" cannot go from in_progress to in_progress") {
            it.startWorkOrder("BT-OPEN", at(2026, 3, 12, 8))
        },
        Case(MutualisException.IllegalTransition::class, "request \"DI-1\" cannot go from open to open") {
            it.setRequestStatus("DI-1", RequestStatus.OPEN, at(2026, 3, 3, 9))
        },
        Case(
            MutualisException.TimeOutOfOrder::class,
            "change of \"BT-OPEN\" at 2026-03-12 06:00:00 UTC is earlier than its previous change at 2026-03-12 07:00:00 UTC",
        ) { it.setWorkOrderStatus("BT-OPEN", WorkOrderStatus.DONE, at(2026, 3, 12, 6)) },
        Case(MutualisException.TimeOutOfOrder::class, fragments = listOf("\"BT-OPEN\"", "earlier")) {
            it.closeWorkOrder("BT-OPEN", at(2026, 3, 12, 6))
        },
        Case(MutualisException.TimeOutOfOrder::class, fragments = listOf("\"DI-1\"", "2026-03-01 09:00:00 UTC")) {
            it.setRequestStatus("DI-1", RequestStatus.INVESTIGATING, at(2026, 3, 1, 9))
        },
        Case(MutualisException.WorkOrderNotOpen::class, "work order \"BT-GYM-1\" is planned: cost lines are recorded only in progress or done") {
            it.recordLabour("BT-GYM-1", DAY, BigDecimal("1"))
        },
        // -- Settlements and budgets (fixture: CONV-SPORTS, SC-BAT, AGGLO's 2026 budget) --
        Case(MutualisException.UnknownAgreement::class, "unknown agreement \"NOPE\"") { it.statement("NOPE", 2026) },
        Case(MutualisException.UnknownAgreement::class, "unknown agreement \"NOPE\"") {
            it.recordAdvance("NOPE", 2026, "ROANNE", eur("100.00"))
        },
        Case(MutualisException.UnknownAgreement::class, "unknown agreement \"NOPE\"") {
            it.recordLoanUse("NOPE", DAY, BigDecimal("1"))
        },
        Case(MutualisException.DuplicateAgreement::class, "agreement \"CONV-SPORTS\" already exists") {
            it.addAgreement(NewAgreement("CONV-SPORTS", "ROANNE", "MABLY", AgreementMode.ACTUAL_COST, d(2026, 1, 1)))
        },
        Case(MutualisException.DuplicateAgreement::class, "agreement \"CONV-SPORTS\" already exists") {
            it.addPooledService(NewPooledService("CONV-SPORTS", "AGGLO", listOf("SPORTS"), d(2026, 1, 1), key = mapOf("MABLY" to 1uL)))
        },
        Case(MutualisException.AgreementOverlap::class, "agreement \"CONV-2026\" overlaps agreement \"CONV-SPORTS\" (same tenants, scope and dates)") {
            it.addAgreement(NewAgreement("CONV-2026", "ROANNE", "AGGLO", AgreementMode.UNIT_COST, d(2026, 1, 1), unitCost = eur("42.00")))
        },
        Case(MutualisException.AgreementOverlap::class, "agreement \"SC-BAT-2\" overlaps agreement \"SC-BAT\" (same tenants, scope and dates)") {
            it.addPooledService(NewPooledService("SC-BAT-2", "AGGLO", listOf("BATIMENTS"), d(2026, 6, 1), key = mapOf("MABLY" to 1uL)))
        },
        Case(MutualisException.UnknownBudget::class, "no budget of \"MABLY\" for 2026") { it.budgetStatus("MABLY", 2026) },
        Case(MutualisException.UnknownBudget::class, "no budget of \"AGGLO\" for 2027") {
            it.addBudgetLine("AGGLO", 2027, "011-SPORTS", "SPORTS", "615221", eur("100.00"))
        },
        Case(MutualisException.UnknownBudget::class, "no budget line \"NOPE\" of \"AGGLO\" for 2026") {
            it.amendBudgetLine("AGGLO", 2026, "NOPE", eur("10.00"), "DM1")
        },
        Case(MutualisException.UnknownBudget::class, "no budget line \"NOPE\" of \"AGGLO\" for 2026") {
            it.commitBudget("AGGLO", 2026, "NOPE", "EJ-1", eur("10.00"))
        },
        Case(MutualisException.DuplicateBudget::class, "budget of \"AGGLO\" for 2026 already exists") {
            it.addBudget("AGGLO", 2026, ChargeBasis.HT, OverrunPolicy.WARN)
        },
        Case(MutualisException.DuplicateBudget::class, "budget line \"011-SPORTS\" of \"AGGLO\" for 2026 already exists") {
            it.addBudgetLine("AGGLO", 2026, "011-SPORTS", null, "6232", eur("1.00"))
        },
        Case(
            MutualisException.BudgetExceeded::class,
            "work order \"BT-OPEN\" would charge 250.25 to budget line \"011-SPORTS\" of \"AGGLO\" 2026, which has 100.00 left",
        ) { it.recordLabour("BT-OPEN", DAY, BigDecimal("6.5")) },
        Case(MutualisException.BudgetExceeded::class, fragments = listOf("row 0: ", "\"011-SPORTS\"")) {
            it.recordCosts(listOf(CostEntry.Labour("BT-OPEN", DAY, BigDecimal("6.5"))))
        },
        Case(
            MutualisException.BudgetLineMismatch::class,
            "budget line \"011-SPORTS\" of \"AGGLO\" cannot be used here: contract BAIL-FOOT is signed by ROANNE, not AGGLO",
        ) { it.assignLeaseBudgetLine("BAIL-FOOT", "AGGLO", "011-SPORTS") },
        Case(MutualisException.InvalidField::class, "invalid member: MABLY is not a member of pooled service SC-BAT") {
            it.recordAdvance("SC-BAT", 2026, "MABLY", eur("100.00"))
        },
        Case(MutualisException.InvalidField::class, "invalid unit cost: required in unit_cost mode") {
            it.addAgreement(NewAgreement("CONV-UC", "ROANNE", "MABLY", AgreementMode.UNIT_COST, d(2026, 1, 1)))
        },
        Case(MutualisException.InvalidField::class, "invalid borrower: ROANNE already owns VH-ROANNE-1") {
            it.lendVehicle(NewLoan("PRET-1", "VH-ROANNE-1", "ROANNE", d(2026, 1, 1), unit = UsageUnit.DAY))
        },
        Case(MutualisException.DatesOutOfOrder::class, "dates out of order: 2026-05-01 is after 2026-04-30") {
            it.lendVehicle(NewLoan("PRET-1", "VH-ROANNE-1", "MABLY", d(2026, 5, 1), d(2026, 4, 30), UsageUnit.DAY))
        },
        Case(MutualisException.SubCentAmount::class, "amount 100.001 is not a whole number of cents") {
            it.recordAdvance("SC-BAT", 2026, "ROANNE", eur("100.001"))
        },
        Case(MutualisException.UnknownTenant::class, "unknown tenant \"NOPE\"") { it.statementsFor("NOPE", 2026) },

        // Conversions of the field records refused by the binding itself.
        Case(MutualisException.InvalidField::class, "invalid performer: give exactly one of team and supplier") {
            it.createWorkOrder(NewWorkOrder("BT-NEW", "Travaux", "GYM-COUBERTIN", team = "ROANNE-SPORTS", supplier = "ARTIFICES"))
        },
        Case(MutualisException.InvalidField::class, "invalid performer: give exactly one of team and supplier") {
            it.createWorkOrder(NewWorkOrder("BT-NEW", "Travaux", "GYM-COUBERTIN"))
        },
        Case(MutualisException.InvalidField::class, "invalid location: give both lat and lon, or neither") {
            it.receiveRequest(NewRequest("DI-9", RequestOrigin.AGENT, "voirie", "Trou", "AGGLO", at(2026, 3, 2, 9), lat = 46.0))
        },
        Case(MutualisException.InvalidField::class, fragments = listOf("invalid instant", "+10000-01-01T00:00:00Z")) {
            it.setRequestStatus("DI-1", RequestStatus.INVESTIGATING, Instant.parse("+10000-01-01T00:00:00Z"))
        },
        Case(MutualisException.InvalidField::class, fragments = listOf("invalid supplier", "régie team")) {
            it.recordExternal("BT-OPEN", DAY, "Fumigènes", eur("10.00"), VatRate.STANDARD)
        },
    )

    /**
     * Variants that no Kotlin call can produce: kinds are Kotlin enums (no
     * name to mistype), sharing-key weights are a Map (no tenant twice),
     * `Internal` only reports a bug or a newer core; the rest as noted.
     */
    private val unreachable = setOf(
        "UnknownKind", "DuplicateKeyTenant", "Internal",
        // Needs a store file written by a newer library (covered by core/tests/store.rs).
        "SchemaTooNew",
        // CSV columns are text and other files are ignored; typed Parquet
        // columns and table names are covered by core/tests/ingest.rs.
        "UnknownTable", "ColumnType", "FloatColumn",
        // Kotlin integers have the width of the core's: no argument can be out of its type's range.
        "ArgumentOutOfRange",
        // Needs bytes altered inside the file: HardeningTest alters one and expects it.
        "TamperedJournal",
        // Needs a progress listener that stops a batch: BulkTest has one.
        "Cancelled",
    )

    @TestFactory
    fun `every refusal throws exactly its subclass, with the core's message, and changes nothing`() = cases.map { case ->
        DynamicTest.dynamicTest("${case.expected.simpleName}: ${case.message ?: case.fragments}") {
            fixture().use { m ->
                val before = m.toJson()
                val journal = m.journal()
                val e = org.junit.jupiter.api.Assertions.assertThrowsExactly(case.expected.java) { case.call(m) }
                val msg = e.message ?: ""
                if (case.message != null) assertEquals(case.message, msg)
                for (f in case.fragments) assertTrue(msg.contains(f), "message \"$msg\" lacks \"$f\"")
                assertTrue(msg.isNotBlank())
                assertEquals(before, m.toJson(), "a refused call changed the registry")
                assertEquals(journal, m.journal(), "a refused call was journaled")
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
            "OutsideAssetLife", "CustodyOverlap", "CustodyToOwner", "TransferRefused", "KeyOverlap", "NothingToEnd",
            "InvalidRegistration", "InvalidVin", "NotInFleet", "MeterRegression",
            "InvalidRna", "UnknownParty", "DuplicateParty", "UnknownLease", "DuplicateLease", "LeaseOverlap",
            "MissingIndexValue", "NegativeAmount",
            "UnknownMeter", "DuplicateMeter", "InvalidDeliveryPoint", "IndexBelowLast", "UnitMismatch",
            "NegativeConsumption", "ReferenceYearTooEarly", "MissingDju",
            "NotFurniture", "UnknownInventoryNumber", "DuplicateInventoryNumber", "NotALocation", "CrossTenantMove",
            "ItemReformed", "ReformBeforePurchase", "UnknownCampaign", "DuplicateCampaign", "CampaignClosed", "OutsideCampaign",
            "WeightsSumToZero", "DuplicateKeyTenant", "SubCentAmount", "AmountOutOfRange", "UnknownVatRate",
            "InvalidQuantity", "UnknownSupplier", "DuplicateSupplier", "UnknownTeam", "DuplicateTeam",
            "UnknownStore", "DuplicateStore", "UnknownItem", "DuplicateItem", "UnknownRequest", "DuplicateRequest",
            "UnknownServiceCode", "AwaitingRouting", "UnknownToken", "MissingLocation",
            "UnknownWorkOrder", "DuplicateWorkOrder", "RateAlreadySet", "NoRate", "InsufficientStock",
            "UnknownAgent", "DuplicateAgent", "UnknownWorkwearItem", "DuplicateWorkwearItem", "SizeNotOffered",
            "AllotmentExceeded", "AgentNotAssigned",
            "IllegalTransition", "TimeOutOfOrder", "WorkOrderNotOpen",
            "UnknownAgreement", "DuplicateAgreement", "AgreementOverlap", "UnknownBudget", "DuplicateBudget", "BudgetExceeded", "BudgetLineMismatch",
            "InvalidJson", "UnsupportedFormat", "ReportTotalMismatch",
            "UnknownOperation", "DuplicateOperation", "CpMismatch", "YearClosed", "RevisionBelowPaid",
            "CyclicDependency", "Storage", "CorruptStore", "SchemaTooNew", "StaleState", "StaleCopy", "UncommittedChanges", "CsvRows",
            "UnknownTable", "MissingColumn", "ColumnType", "FloatColumn", "IngestRow", "IngestRead",
            "YearOutOfRange", "ArgumentOutOfRange", "DuplicateSiret", "YearNotNext", "VatRateNotInForce", "TamperedJournal",
            "Cancelled", "UnknownPrincipal", "DuplicatePrincipal", "UnknownRole", "DuplicateRole", "Forbidden",
            "Io", "Internal",
        )
        assertEquals(expected, names)
        for (c in subclasses) assertTrue(Exception::class.java.isAssignableFrom(c))
        // Every reachable subclass is exercised above.
        assertEquals(expected - unreachable, cases.map { it.expected.simpleName }.toSet())
    }

    /** Runs [call] on a fresh fixture, expecting exactly [T]; returns the exception. */
    private inline fun <reified T : MutualisException> refused(crossinline call: (Mutualis) -> Unit): T =
        fixture().use { m -> org.junit.jupiter.api.Assertions.assertThrowsExactly(T::class.java) { call(m) } }

    @Test
    fun `exceptions carry the core's fields, typed, besides the message`() {
        refused<MutualisException.InvalidSiren> {
            it.addTenant("SYE", "Syndicat d'énergie", TenantKind.SYNDICAT, "200035732")
        }.let { e ->
            assertEquals("200035732", e.value)
            assertEquals("the Luhn check digit does not match", e.reason)
            assertEquals("invalid SIREN \"200035732\": the Luhn check digit does not match", e.message)
            assertEquals(e.message, e.text)
        }
        refused<MutualisException.UnknownTenant> { it.join("ROANNE", "NOPE") }.let { e ->
            assertEquals("NOPE", e.code)
            assertEquals("unknown tenant \"NOPE\"", e.message)
        }
        refused<MutualisException.DatesOutOfOrder> {
            it.grantCustody("MAISON-SERVICES", "AGGLO", d(2026, 2, 1), d(2026, 1, 31))
        }.let { e ->
            assertEquals(d(2026, 2, 1), e.from)
            assertEquals(d(2026, 1, 31), e.to)
        }
        refused<MutualisException.InsufficientStock> {
            it.recordMaterial("BT-OPEN", DAY, "MAG-ROANNE", "PEINTURE", BigDecimal("1000"))
        }.let { e ->
            assertEquals("MAG-ROANNE", e.store)
            assertEquals("PEINTURE", e.item)
            assertEquals(0, BigDecimal("1000").compareTo(e.requested))
            assertEquals(0, BigDecimal("40").compareTo(e.onHand))
        }
        refused<MutualisException.BudgetExceeded> { it.recordLabour("BT-OPEN", DAY, BigDecimal("6.5")) }.let { e ->
            assertEquals("AGGLO", e.tenant)
            assertEquals(2026, e.year)
            assertEquals("011-SPORTS", e.line)
            assertEquals("BT-OPEN", e.workOrder)
            assertEquals(BigDecimal("250.25"), e.amount)
            assertEquals(BigDecimal("100.00"), e.remaining)
        }
        // bulk: the "row N: " prefix is on the message, the fields are the core's
        refused<MutualisException.BudgetExceeded> {
            it.recordCosts(listOf(CostEntry.Labour("BT-OPEN", DAY, BigDecimal("6.5"))))
        }.let { e ->
            assertTrue(e.message!!.startsWith("row 0: "), e.message)
            assertEquals(BigDecimal("250.25"), e.amount)
        }
        refused<MutualisException.SubCentAmount> {
            it.splitCost("GYM-COUBERTIN", d(2026, 3, 12), BigDecimal("421.095"))
        }.let { e -> assertEquals(BigDecimal("421.095"), e.amount) }
        // an amount Kotlin holds but Rust cannot: the same class, no amount
        refused<MutualisException.AmountOutOfRange> { split(BigDecimal("1E+30"), listOf(1uL)) }.let { e ->
            assertEquals(null, e.amount)
        }
        refused<MutualisException.MeterRegression> {
            it.recordMeterReading("VH-ROANNE-1", Meter.KM, DAY, 49_999uL)
        }.let { e ->
            assertEquals("VH-ROANNE-1", e.vehicle)
            assertEquals(49_999uL, e.value)
            assertEquals(50_000uL, e.last)
            assertEquals(d(2026, 3, 1), e.lastDate)
        }
        refused<MutualisException.InvalidJson> { Mutualis.fromJson("{\n  \"format\": ") }.let { e ->
            assertEquals(2uL, e.line)
            assertTrue(e.column > 0uL)
            assertTrue(e.reason.isNotBlank())
        }
        refused<MutualisException.YearOutOfRange> { it.apSituation("ROANNE", Int.MAX_VALUE) }.let { e ->
            assertEquals("year", e.field)
            assertEquals(Int.MAX_VALUE.toLong(), e.year)
            assertEquals(1900, e.min)
            assertEquals(2200, e.max)
        }
        refused<MutualisException.VatRateNotInForce> {
            it.recordExternal("BT-OPEN", DAY, "Location", eur("10.00"), VatRate.STANDARD196, supplier = "ARTIFICES")
        }.let { e ->
            assertEquals(BigDecimal("19.6"), e.rate)
            assertEquals(DAY, e.date)
        }
        refused<MutualisException.CsvRows> {
            it.importAssetsCsv("code,name,kind,owner,commissioned\nX,Château,castle,ROANNE,2001-01-01\n", true)
        }.let { e ->
            assertEquals(listOf(2uL), e.errors.map { it.line })
            assertTrue(e.errors.single().message.contains("castle"), e.errors.single().message)
        }
        refused<MutualisException.IngestRow> {
            val dir = java.nio.file.Files.createTempDirectory("mutualis-errors")
            java.nio.file.Files.writeString(dir.resolve("services.csv"), "tenant,code,name\nNOPE,S,S\n")
            it.ingestCsv(dir.toString(), IngestMode.ALL_OR_NOTHING)
        }.let { e ->
            assertEquals("services", e.table)
            assertEquals(1uL, e.row)
            assertEquals("unknown_tenant", e.errorKind)
            assertEquals("unknown tenant \"NOPE\"", e.error)
        }
        refused<MutualisException.Forbidden> {
            it.asPrincipal("artifices.feu").recordExternal("BT-OPEN", DAY, "Feu", eur("10.00"), VatRate.STANDARD, supplier = "ARTIFICES")
        }.let { e ->
            assertEquals("artifices.feu", e.principal)
            assertTrue(e.action.contains("work:write"), e.action)
            assertTrue(e.target.contains("BT-OPEN"), e.target)
        }
        // a date Rust cannot hold: InvalidField naming the field
        refused<MutualisException.InvalidField> { it.payers("GYM-COUBERTIN", LocalDate.of(999_999, 1, 1)) }.let { e ->
            assertEquals("date", e.field)
        }
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
