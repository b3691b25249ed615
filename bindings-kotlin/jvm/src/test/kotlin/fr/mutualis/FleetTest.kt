package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * The fleet (parc auto, issue 13) from Kotlin: the field flow of a driver or
 * mechanic on one shared registry, one test per step (a meter reading, a fuel
 * fill, a defect becoming a work order, an inspection result), then the
 * hand-worked cases of the issue on fresh registries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class FleetTest {

    private fun d(y: Int, m: Int, j: Int): LocalDate = LocalDate.of(y, m, j)

    /** ROANNE with a van (first registered 2022-03-15), a truck over 3.5 t and an aerial platform. */
    private fun seed(): Mutualis {
        val m = Mutualis()
        m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        m.addService("ROANNE", "VOIRIE", "Voirie")
        m.addAsset(NewAsset(code = "VAN", name = "Kangoo", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2022, 3, 15)))
        m.addAsset(NewAsset(code = "TRUCK", name = "Benne", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2025, 5, 1)))
        m.addAsset(NewAsset(code = "NACELLE", name = "Nacelle", kind = AssetKind.EQUIPMENT, owner = "ROANNE", commissioned = d(2024, 1, 1)))
        m.registerVehicle(
            NewVehicle(
                "VAN", VehicleCategory.VAN, Energy.DIESEL, registration = "ga-123-bc", firstRegistration = d(2022, 3, 15),
                vin = "VF1FW0ZBC12345678", serviceTenant = "ROANNE", service = "VOIRIE",
            )
        )
        m.registerVehicle(NewVehicle("TRUCK", VehicleCategory.TRUCK_OVER3_5T, Energy.DIESEL, registration = "1234 AB 42", firstRegistration = d(2025, 5, 1)))
        m.registerVehicle(NewVehicle("NACELLE", VehicleCategory.AERIAL_WORK_PLATFORM, Energy.ELECTRIC))
        m.addTeam("GARAGE", "ROANNE", "Garage municipal", service = "VOIRIE")
        m.setLabourRate("ROANNE", 2026, BigDecimal("40.00"))
        return m
    }

    private val m = seed()

    @AfterAll
    fun close() = m.close()

    // -- the field flow ---------------------------------------------------------

    @Test
    @Order(1)
    fun `a driver records the odometer, and a lower reading is refused`() {
        m.recordMeterReading("VAN", Meter.KM, d(2026, 3, 2), 41_000uL)
        m.recordMeterReading("VAN", Meter.KM, d(2026, 3, 31), 42_000uL)
        val before = m.toJson()
        assertThrows(MutualisException.MeterRegression::class.java) {
            m.recordMeterReading("VAN", Meter.KM, d(2026, 4, 1), 41_999uL)
        }
        assertEquals(before, m.toJson())
        assertEquals(listOf(Reading(d(2026, 3, 2), 41_000uL, false), Reading(d(2026, 3, 31), 42_000uL, false)), m.meterReadings("VAN", Meter.KM))
    }

    @Test
    @Order(2)
    fun `a driver records a fuel fill`() {
        m.recordFuel("VAN", d(2026, 3, 20), BigDecimal("70"), FuelUnit.LITRES, BigDecimal("106.00"), VatRate.STANDARD)
        val use = m.vehicleUse("VAN", d(2026, 3, 1), d(2026, 3, 31))
        assertEquals(1_000uL, use.km)
        assertEquals(0, BigDecimal("7").compareTo(use.litresPer100km))
        assertEquals(0, BigDecimal("0.106").compareTo(use.costPerKm))
    }

    @Test
    @Order(3)
    fun `a mechanic turns a defect into a work order and costs it`() {
        m.receiveRequest(NewRequest("DI-VAN-1", RequestOrigin.AGENT, "parc-auto", "Bruit de freinage", "ROANNE", at(2026, 4, 2, 7)))
        m.createWorkOrder(NewWorkOrder("OT-VAN-1", "Plaquettes de frein", "VAN", team = "GARAGE", requests = listOf("DI-VAN-1")))
        m.startWorkOrder("OT-VAN-1", at(2026, 4, 2, 8))
        m.recordLabour("OT-VAN-1", d(2026, 4, 2), BigDecimal("1.5"))
        assertEquals(0, BigDecimal("60.00").compareTo(m.workOrderLines("OT-VAN-1").single().ht))
    }

    @Test
    @Order(4)
    fun `a controller records an inspection result`() {
        m.recordInspection("VAN", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 2, 10), InspectionResult.PASSED)
        val due = m.vehicleDue("VAN", d(2026, 2, 10)).first { it.inspection == InspectionKind.CONTROLE_TECHNIQUE }
        assertEquals(d(2028, 2, 10), due.due)
        assertFalse(due.overdue)
        assertTrue(due.basis.contains("R323-22"))
        m.recordInspection("TRUCK", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 4, 20), InspectionResult.FAILED)
        assertEquals(VehicleStatus.IMMOBILISED, m.vehicle("TRUCK").status)
        assertEquals(listOf(Inspection("TRUCK", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 4, 20), InspectionResult.FAILED, null)), m.inspections("TRUCK"))
    }

    // -- the hand-worked cases ------------------------------------------------

    @Test
    fun `a van is due by its fourth anniversary, then two years after an inspection`() {
        seed().use { m ->
            val ct = { on: LocalDate -> m.vehicleDue("VAN", on).first { it.inspection == InspectionKind.CONTROLE_TECHNIQUE } }
            assertEquals(d(2026, 3, 15), ct(d(2026, 1, 1)).due)
            m.recordInspection("VAN", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 2, 10), InspectionResult.PASSED)
            assertEquals(d(2028, 2, 10), ct(d(2026, 2, 10)).due)
            val v = m.vehicle("VAN")
            assertEquals("GA-123-BC", v.registration)
            assertEquals(WeightClass.UP_TO3_5T, v.weight)
        }
    }

    @Test
    fun `a truck over 3_5 t is due within a year`() {
        seed().use { m ->
            val due = m.vehicleDue("TRUCK", d(2026, 1, 1)).single()
            assertEquals(d(2026, 5, 1), due.due)
            assertEquals("ROANNE", due.owner)
        }
    }

    @Test
    fun `an aerial platform's VGP is due six months later and overdue the day after`() {
        seed().use { m ->
            m.recordInspection("NACELLE", InspectionKind.VGP, d(2026, 6, 1), InspectionResult.PASSED)
            val on1 = m.vehicleDue("NACELLE", d(2026, 12, 1)).single()
            assertEquals(d(2026, 12, 1), on1.due)
            assertFalse(on1.overdue)
            assertTrue(m.vehicleDue("NACELLE", d(2026, 12, 2)).single().overdue)
            assertTrue(m.fleetDue(d(2026, 11, 1), 60u).any { it.vehicle == "NACELLE" })
        }
    }

    @Test
    fun `a maintenance plan is due at 57 000 km or a year later, whichever first`() {
        seed().use { m ->
            m.addMaintenancePlan("PM-VAN", "VAN", "Vidange + filtres", d(2026, 1, 10), everyKm = 15_000uL, everyMonths = 12u, lastKm = 42_000uL)
            val pm = m.vehicleDue("VAN", d(2026, 1, 10)).first { it.plan == "PM-VAN" }
            assertEquals(57_000uL, pm.dueKm)
            assertEquals(d(2027, 1, 10), pm.due)
            assertNull(pm.inspection)
            m.maintenanceWorkOrder("PM-VAN", "OT-PM-1", "GARAGE")
            assertEquals("VAN", m.workOrder("OT-PM-1").asset)
            m.recordMaintenance("PM-VAN", d(2026, 6, 1), km = 48_000uL)
            assertEquals(63_000uL, m.vehicleDue("VAN", d(2026, 6, 1)).first { it.plan == "PM-VAN" }.dueKm)
        }
    }

    @Test
    fun `a meter replacement lets the reading start again, and the register round-trips`() {
        seed().use { m ->
            m.recordMeterReading("NACELLE", Meter.HOURS, d(2026, 1, 5), 1_200uL)
            m.replaceMeter("NACELLE", Meter.HOURS, d(2026, 2, 1), 3uL)
            m.setVehicleStatus("VAN", VehicleStatus.SOLD, d(2026, 9, 1))
            assertEquals(listOf("VAN", "TRUCK", "NACELLE"), m.vehicles().map { it.asset })
            assertTrue(m.meterReadings("NACELLE", Meter.HOURS).last().replaced)
            val json = m.toJson()
            Mutualis.fromJson(json).use { back -> assertEquals(json, back.toJson()) }
            assertThrows(MutualisException.NotInFleet::class.java) { m.recordMaintenance("NOPE-PLAN", d(2026, 2, 1)) }
            assertThrows(MutualisException.UnknownAsset::class.java) { m.vehicle("NOPE") }
        }
    }

    @Test
    fun `a principal's fleet queries go through the core's reader`() {
        seed().use { m ->
            m.recordFuel("VAN", d(2026, 3, 20), BigDecimal("70"), FuelUnit.LITRES, BigDecimal("106.00"), VatRate.STANDARD)
            m.addSupplier("GARAGE-SA", "Garage SA", "73282932000074", listOf())
            m.addRole("PARC", "Parc (lecture)", listOf("fleet:read"))
            m.addRole("TRAVAUX", "Travaux", listOf("work:write", "assets:read"))
            m.addPrincipal("voirie", "Agent voirie", PrincipalKind.AGENT, tenant = "ROANNE")
            m.addPrincipal("presta", "Prestataire", PrincipalKind.CONTRACTOR, supplier = "GARAGE-SA")
            m.grant("voirie", "PARC", Scope.Service("ROANNE", "VOIRIE"), d(2020, 1, 1))
            m.grant("presta", "TRAVAUX", Scope.Tenant("ROANNE"), d(2020, 1, 1))
            m.asPrincipal("voirie").use { voirie ->
                assertEquals(listOf("VAN"), voirie.vehicles().map { it.asset })
                assertEquals(m.meterReadings("VAN", Meter.KM), voirie.meterReadings("VAN", Meter.KM))
                assertThrows(MutualisException.Forbidden::class.java) { voirie.vehicle("TRUCK") }
                assertThrows(MutualisException.Forbidden::class.java) { voirie.inspections("NACELLE") }
                assertEquals(setOf("VAN"), voirie.fleetDue(d(2026, 6, 1), 365u).map { it.vehicle }.toSet())
                assertEquals(0, BigDecimal("106.00").compareTo(voirie.vehicleUse("VAN", d(2026, 1, 1), d(2026, 12, 31)).energyHt))
            }
            m.asPrincipal("presta").use { presta ->
                assertTrue(presta.vehicles().isEmpty())
                assertTrue(presta.fleetDue(d(2026, 6, 1), 365u).isEmpty())
                val refused = assertThrows(MutualisException.Forbidden::class.java) { presta.vehicleDue("VAN", d(2026, 6, 1)) }
                assertTrue(refused.message!!.contains("fleet:read"))
            }
        }
    }

    @Test
    fun `the yearly dashboards, worked by hand`() {
        seed().use { m ->
            m.setVehiclePurchase("VAN", BigDecimal("30000.00"), d(2022, 3, 15), 7u)
            m.setVehicleStatus("VAN", VehicleStatus.IMMOBILISED, d(2026, 3, 1))
            m.setVehicleStatus("VAN", VehicleStatus.IN_SERVICE, d(2026, 3, 11))
            m.recordMeterReading("VAN", Meter.KM, d(2026, 1, 1), 40_000uL)
            m.recordMeterReading("VAN", Meter.KM, d(2026, 12, 31), 52_000uL)
            m.recordFuel("VAN", d(2026, 2, 2), BigDecimal("50"), FuelUnit.LITRES, BigDecimal("80.00"), VatRate.STANDARD)
            m.recordVehicleCost("VAN", d(2026, 1, 5), VehicleCostKind.INSURANCE, "Assurance flotte 2026", BigDecimal("612.40"))
            m.recordInspection("TRUCK", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 4, 20), InspectionResult.FAILED)
            m.recordInspection("TRUCK", InspectionKind.CONTROLE_TECHNIQUE, d(2026, 5, 4), InspectionResult.PASSED)
            val van = m.vehicleDashboard("VAN", 2026)
            // immobilised 2026-03-01 to 2026-03-10 inclusive
            assertEquals(10u, van.daysImmobilised)
            assertEquals(355u, van.daysAvailable)
            assertEquals(1u, van.daysUsed)
            assertEquals(0, BigDecimal("0.0028").compareTo(van.utilisation))
            assertEquals(0, BigDecimal("4285.71").compareTo(van.amortisation))
            assertEquals(0, BigDecimal("96.00").compareTo(van.energyTtc))
            assertEquals(0, BigDecimal("4994.11").compareTo(van.tco)) // 4 285.71 + 96.00 + 612.40
            assertEquals(0, BigDecimal("4285.74").compareTo(m.vehicleDashboard("VAN", 2028).amortisation))
            // failed on 2026-04-20, passed on 2026-05-04
            assertEquals(14u, m.vehicleDashboard("TRUCK", 2026).daysImmobilised)
            assertEquals(listOf("VAN", "TRUCK", "NACELLE"), m.fleetDashboard(2026).map { it.vehicle })
            val voirie = m.fleetDashboardByService(2026).single { it.service == "VOIRIE" }
            assertEquals(1u, voirie.vehicles)
            assertNull(voirie.vehicle)
            assertEquals(0, van.tco.compareTo(voirie.tco))
            val before = m.toJson()
            assertThrows(MutualisException.InvalidField::class.java) { m.setVehiclePurchase("VAN", BigDecimal("1000"), d(2026, 1, 1), 0u) }
            assertThrows(MutualisException.InvalidQuantity::class.java) {
                m.recordVehicleCost("VAN", d(2026, 1, 1), VehicleCostKind.TAX, "Carte grise", BigDecimal("-1"))
            }
            assertEquals(before, m.toJson())
        }
    }

    @Test
    fun `an FNI number names a real departement, and a bus is first due six months after registration`() {
        seed().use { m ->
            m.addAsset(NewAsset(code = "OLD", name = "Ancien", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2005, 1, 1)))
            for (plate in listOf("1234 AB 00", "1234 AB 96", "1234 AB 977")) {
                assertThrows(MutualisException.InvalidRegistration::class.java) {
                    m.registerVehicle(NewVehicle("OLD", VehicleCategory.CAR, Energy.PETROL, registration = plate, firstRegistration = d(2005, 1, 1)))
                }
            }
            m.registerVehicle(NewVehicle("OLD", VehicleCategory.CAR, Energy.PETROL, registration = "45 ab 2a", firstRegistration = d(2005, 1, 1)))
            assertEquals("45 AB 2A", m.vehicle("OLD").registration)
            m.addAsset(NewAsset(code = "BUS", name = "Navette", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2026, 1, 15)))
            m.registerVehicle(NewVehicle("BUS", VehicleCategory.BUS, Energy.ELECTRIC, registration = "GB-456-CD", firstRegistration = d(2026, 1, 15)))
            val ct = m.vehicleDue("BUS", d(2026, 7, 15)).first { it.inspection == InspectionKind.CONTROLE_TECHNIQUE }
            assertEquals(d(2026, 7, 15), ct.due)
            assertTrue(ct.basis.contains("R323-23"))
            assertTrue(m.vehicleDue("BUS", d(2026, 7, 16)).first { it.inspection == InspectionKind.CONTROLE_TECHNIQUE }.overdue)
        }
    }
}
