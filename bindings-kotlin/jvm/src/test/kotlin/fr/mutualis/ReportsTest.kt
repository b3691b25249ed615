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

    // -- the fleet and rent-roll reports, on a registry built here ---------------

    /** ROANNE with a van and a truck (a purchase, an insurance line, a service), a shop let and an office rented. */
    private fun fleetAndLeases(): Mutualis {
        val f = Mutualis()
        f.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        f.addService("ROANNE", "VOIRIE", "Voirie")
        f.addAsset(NewAsset(code = "VAN", name = "Kangoo", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2022, 3, 15)))
        f.addAsset(NewAsset(code = "TRUCK", name = "Benne", kind = AssetKind.VEHICLE, owner = "ROANNE", commissioned = d(2025, 5, 1)))
        f.registerVehicle(NewVehicle("VAN", VehicleCategory.VAN, Energy.DIESEL, registration = "ga-123-bc", firstRegistration = d(2022, 3, 15), serviceTenant = "ROANNE", service = "VOIRIE"))
        f.registerVehicle(NewVehicle("TRUCK", VehicleCategory.TRUCK_OVER3_5T, Energy.DIESEL, registration = "1234 AB 42", firstRegistration = d(2025, 5, 1), serviceTenant = "ROANNE", service = "VOIRIE"))
        f.setVehiclePurchase("TRUCK", eur("120000.00"), d(2025, 5, 1), 10u)
        f.recordVehicleCost("TRUCK", d(2026, 1, 5), VehicleCostKind.INSURANCE, "Assurance flotte 2026", eur("1800.00"))
        f.addTeam("GARAGE", "ROANNE", "Garage", null)
        f.setLabourRate("ROANNE", 2026, eur("40.00"), null, null)
        f.createWorkOrder(NewWorkOrder("OT-TRUCK", "Vidange", "TRUCK", team = "GARAGE"))
        f.startWorkOrder("OT-TRUCK", at(2026, 2, 2, 8))
        f.recordLabour("OT-TRUCK", d(2026, 2, 3), eur("3.5"), 1u, null, null)
        f.addAsset(NewAsset(code = "SHOP", name = "Local commercial", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1)))
        f.addAsset(NewAsset(code = "OFFICE", name = "Bureaux", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1)))
        f.addParty("BOULANGERIE", "Boulangerie du centre", PartyKind.COMPANY, "73282932000074")
        f.addParty("SCI", "SCI des Halles", PartyKind.COMPANY, null)
        f.addLease(NewLease(code = "BC-SHOP", asset = "SHOP", tenant = "ROANNE", party = "BOULANGERIE", kind = LeaseKind.COMMERCIAL, start = d(2026, 3, 10), rent = eur("620.00"), periodicity = RentPeriodicity.MONTHLY, chargesProvision = eur("31.00"), surface = eur("85")))
        f.recordRentReceipt("BC-SHOP", d(2026, 3, 12), eur("462.00"), null)
        f.recordRentReceipt("BC-SHOP", d(2026, 4, 5), eur("651.00"), null)
        f.addLease(NewLease(code = "B-OFFICE", asset = "OFFICE", tenant = "ROANNE", party = "SCI", kind = LeaseKind.PROFESSIONAL, start = d(2024, 1, 1), rent = eur("12000.00"), side = LeaseSide.LESSEE))
        return f
    }

    private fun column(t: ReportTable, key: String): List<ReportCell> {
        val i = t.columns.indexOfFirst { it.key == key }
        return t.rows.map { it[i] }
    }

    private fun total(t: ReportTable, key: String): BigDecimal = amount(t.total!![t.columns.indexOfFirst { it.key == key }])

    @Test
    fun `the fleet report is the due list and the dashboards`() {
        fleetAndLeases().use { f ->
            val r = f.report("fleet", "ROANNE", 2026, null)
            val due = r.tables().first { it.key == "due" }
            val list = f.fleetDue(d(2026, 12, 31), 0u).filter { it.owner == "ROANNE" && it.inspection != null }
            assertEquals(list.map { ReportCell.Text(it.vehicle) }, column(due, "vehicle"))
            assertEquals(list.map { ReportCell.Date(it.due) }, column(due, "due"))
            // the van's first CT (15/03/2026) and the truck's (01/05/2026): late on 31/12
            assertEquals(listOf(ReportCell.Count(291uL), ReportCell.Count(244uL)), column(due, "days_late"))
            assertEquals(listOf(ReportCell.Text("En retard"), ReportCell.Text("En retard")), column(due, "status"))
            val costs = r.tables().first { it.key == "costs" }
            val dash = f.fleetDashboard(2026)
            same(dash.sumOf { it.tco }, total(costs, "tco"), "tco")
            same(dash.sumOf { it.maintenanceTtc }, total(costs, "maintenance_ttc"), "maintenance")
            same(eur("12000.00"), total(costs, "amortisation"), "amortisation")
            same(eur("1800.00"), total(costs, "other_costs"), "insurance")
            val html = r.toHtml("fr")
            assertTrue(html.contains("<h1>Parc auto : contrôles réglementaires et coûts 2026</h1>"))
            assertTrue(html.contains("data-chart=\"due_by_month\"") && html.contains("data-chart=\"costs\""))
        }
    }

    @Test
    fun `the rent report is the rent roll`() {
        fleetAndLeases().use { f ->
            val r = f.report("rent", "ROANNE", 2026, null)
            val roll = r.tables().first { it.key == "rent_roll" }
            assertEquals(listOf(ReportCell.Text("BC-SHOP")), column(roll, "lease"))
            val calls = f.rentCalls("BC-SHOP", d(2026, 1, 1), d(2026, 12, 31))
            same(calls.sumOf { it.total }, total(roll, "due"), "due")
            same(eur("6321.00"), total(roll, "due"), "due")
            same(f.rentReceipts("BC-SHOP").sumOf { it.amount }, total(roll, "received"), "received")
            same(eur("5208.00"), total(roll, "balance"), "balance")
            val inForce = r.tables().first { it.key == "in_force" }
            val by = f.rentRollBy(d(2026, 12, 31), RollBy.TENANT, LeaseSide.LESSOR)
            same(by.single().annualRent, total(inForce, "annual_rent"), "in force")
            val lessee = r.tables().first { it.key == "rent_roll_lessee" }
            same(eur("12000.00"), total(lessee, "due"), "lessee")
            assertTrue(r.toHtml("fr").contains("<h1>État locatif 2026</h1>"))
            assertTrue(r.csv("rent_roll", true, "fr").startsWith("\uFEFFContrat;Locaux;Occupant;Type;Loyer dû;"))
        }
    }

    @Test
    fun `an empty tenant gets zero totals`() {
        Mutualis().use { f ->
            f.addTenant("VILLEREST", "Villerest", TenantKind.COMMUNE, "214203317", "42332")
            for (kind in listOf("fleet", "rent")) {
                val r = f.report(kind, "VILLEREST", 2026, null)
                for (t in r.tables()) {
                    val tot = t.total ?: continue
                    t.columns.forEachIndexed { i, c -> if (c.kind == "amount") same(BigDecimal.ZERO, amount(tot[i]), "$kind ${t.key} ${c.key}") }
                }
            }
            assertThrows(MutualisException.UnknownTenant::class.java) { f.report("rent", "NOPE", 2026, null) }
            assertThrows(MutualisException.YearOutOfRange::class.java) { f.report("fleet", "VILLEREST", 1800, null) }
        }
    }

    // --- energy per service and décret tertiaire progress (issue 18 with 16) ---

    /** A head office (AGGLO/BAT, 2 000 m², not declared) shared ROANNE 1 : MABLY 2; a school heated on a network, declared. */
    private fun energySeed(): Mutualis {
        val e = Mutualis()
        e.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
        e.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
        e.addTenant("MABLY", "Mably", TenantKind.COMMUNE, "214212706", "42127")
        e.addService("AGGLO", "BAT", "Bâtiments")
        e.addService("ROANNE", "ECOLES", "Écoles")
        e.addAsset(NewAsset(code = "SIEGE", name = "Siège", kind = AssetKind.BUILDING, owner = "AGGLO", commissioned = d(1990, 1, 1), serviceTenant = "AGGLO", service = "BAT", floorArea = BigDecimal("2000")))
        e.addAsset(NewAsset(code = "ECOLE", name = "École", kind = AssetKind.BUILDING, owner = "ROANNE", commissioned = d(1990, 1, 1), serviceTenant = "ROANNE", service = "ECOLES", floorArea = BigDecimal("1500")))
        e.setSharingKey("SIEGE", KeyBasis.AGREED, d(2025, 1, 1), null, mapOf("ROANNE" to 1uL, "MABLY" to 2uL))
        e.addMeter("ELEC", "SIEGE", EnergySource.ELECTRICITY, EnergyUnit.KWH, deliveryPoint = "30001234567890")
        e.recordEnergyInvoice("ELEC", "F-0", d(2026, 2, 28), d(2025, 12, 1), d(2026, 2, 28), BigDecimal("9000"), EnergyUnit.KWH, BigDecimal("100.00"), BigDecimal("928.80"), BigDecimal("205.76"))
        e.recordEnergyInvoice("ELEC", "F-1", d(2026, 12, 31), d(2026, 3, 1), d(2026, 12, 31), BigDecimal("41100"), EnergyUnit.KWH, BigDecimal("300.00"), BigDecimal("5000.00"), BigDecimal("1060.00"))
        e.addMeter("CHAUF", "ECOLE", EnergySource.HEATING_NETWORK, EnergyUnit.KWH, station = "ROANNE-MTO")
        e.recordEnergyInvoice("CHAUF", "C-2026", d(2026, 12, 31), d(2026, 1, 1), d(2026, 12, 31), BigDecimal("120000"), EnergyUnit.KWH, BigDecimal("1000.00"), BigDecimal("9000.00"), BigDecimal("550.00"))
        e.setDju("ROANNE-MTO", 2026, BigDecimal("2100"))
        e.setDjuReference("ROANNE-MTO", BigDecimal("2400"))
        e.declareTertiarySite("ECOLE", "enseignement", BigDecimal("1500"), 2019, BigDecimal("200000"))
        return e
    }

    private fun number(c: ReportCell): BigDecimal = (c as ReportCell.Number).value

    private fun text(c: ReportCell): String = (c as ReportCell.Text).value

    @Test
    fun `the energy report is the energy queries`() {
        energySeed().use { e ->
            for (tenant in listOf("AGGLO", "ROANNE", "MABLY")) {
                val r = e.report("energy", tenant, 2026, null)
                assertEquals("energy", r.kind())
                val mine = e.energyByTenant(2026).filter { it.tenant == tenant }
                val perService = e.energyByService(2026).filter { it.tenant == tenant }.groupBy { it.service ?: "—" }.toSortedMap()
                val t = r.tables().first { it.key == "by_service" }
                val col = { key: String -> t.columns.indexOfFirst { it.key == key } }
                assertEquals("number", t.columns[col("kwh")].kind)
                assertEquals(perService.keys.toList(), t.rows.map { text(it[col("service")]) })
                t.rows.forEachIndexed { i, row ->
                    val rows = perService.values.toList()[i]
                    same(rows.sumOf { it.kwh }, number(row[col("kwh")]), "$tenant kwh")
                    same(rows.sumOf { it.costTtc }, amount(row[col("ttc")]), "$tenant ttc")
                }
                same(mine.sumOf { it.costTtc }, amount(t.total!![col("ttc")]), "$tenant total ttc")
                if (t.rows.isNotEmpty()) same(mine.sumOf { it.kwh }, number(t.total!![col("kwh")]), "$tenant total kwh")
            }
            val r = e.report("energy", "ROANNE", 2026, null)
            val t = r.tables().first { it.key == "by_service_energy" }
            val adjusted = t.columns.indexOfFirst { it.key == "adjusted_kwh" }
            same(BigDecimal("137142.86"), number(t.rows[1][adjusted]), "adjusted")
            val html = r.toHtml("fr")
            assertTrue(html.contains("<h1>Énergie par service 2026</h1>"))
            assertTrue(html.contains("data-chart=\"by_service_kwh\""))
            assertTrue(html.contains("Réseau de chaleur"))
        }
    }

    @Test
    fun `the tertiaire report is the tertiary status`() {
        energySeed().use { e ->
            val r = e.report("tertiaire", "ROANNE", 2026, null)
            val s = e.tertiaryStatus("ECOLE", 2026)
            val t = r.tables().first { it.key == "sites" }
            val col = { key: String -> t.columns.indexOfFirst { it.key == key } }
            val row = t.rows.single()
            assertEquals("ECOLE", text(row[col("building")]))
            assertEquals("Objectif 2030", t.columns[col("target_kwh")].label)
            same(BigDecimal("200000"), number(row[col("reference_kwh")]), "reference")
            same(s.adjustedKwh, number(row[col("adjusted_kwh")]), "adjusted")
            same(s.targetKwh, number(row[col("target_kwh")]), "target")
            same(s.gapKwh, number(row[col("gap_kwh")]), "gap")
            same(BigDecimal("17142.86"), number(row[col("gap_kwh")]), "gap")
            same(BigDecimal("31.43"), (row[col("reduction")] as ReportCell.Percent).value, "reduction")
            assertEquals("Au-dessus de l'objectif", text(row[col("status")]))
            val u = r.tables().first { it.key == "undeclared" }
            assertEquals(listOf("SIEGE"), u.rows.map { text(it[0]) })
            assertEquals("Pas d'année de référence (non déclaré)", text(u.rows[0][3]))
            val html = r.toHtml("fr")
            assertTrue(html.contains("<h1>Décret tertiaire : trajectoire 2026</h1>"))
            assertTrue(html.contains("data-value=\"137142.86\""))
            // a year without degree days: the row says so, no figure
            val missing = e.report("tertiaire", "ROANNE", 2027, null).tables().first { it.key == "sites" }.rows.single()
            assertEquals(ReportCell.Empty, missing[col("adjusted_kwh")])
            assertEquals("Degrés-jours 2027 manquants", text(missing[col("status")]))
            assertThrows(MutualisException.UnknownTenant::class.java) { e.report("tertiaire", "NOPE", 2026, null) }
            assertThrows(MutualisException.YearOutOfRange::class.java) { e.report("energy", "ROANNE", 1800, null) }
        }
    }
}
