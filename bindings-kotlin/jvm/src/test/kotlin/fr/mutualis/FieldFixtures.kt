package fr.mutualis

import java.math.BigDecimal
import java.time.Instant

/** An instant in UTC, to the minute. */
internal fun at(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0): Instant =
    Instant.parse("%04d-%02d-%02dT%02d:%02d:00Z".format(year, month, day, hour, minute))

/** When the fixture is set up (every setup entry of the journal carries it). */
internal val SETUP_TIME: Instant = at(2026, 1, 1, 8)

/**
 * The Roannais situation of [roannais] plus what the field flow needs
 * (DOMAIN §4–5 worked examples):
 * - Roanne's sports-facilities régie `ROANNE-SPORTS` (38.50 €/h in 2026) and
 *   Villerest's agents `VILLEREST-AGENTS` (32.00 €/h);
 * - Roanne's van `VH-ROANNE-1` (category VUL: 0.62 €/km in 2026; 45.00 €/day of its own);
 * - Roanne's store `MAG-ROANNE` holding 40 pots of paint at CMUP 14.2370
 *   (10 at 14.00 then 30 at 14.316);
 * - suppliers `LOCABARRIERES` (barrier rental) and `ARTIFICES` (fireworks);
 * - Villerest's square `PLACE-VILLEREST`;
 * - two planned work orders of `ROANNE-SPORTS` at the gymnasium: `BT-GYM-1`
 *   (paint the main hall) and `BT-GYM-2` (court lines).
 *
 * The journal clock is fixed at [SETUP_TIME] and the actor is "setup".
 */
internal fun field(): Mutualis {
    val m = roannais()
    m.setClock(SETUP_TIME)
    m.setActor("setup")
    m.addAsset(
        NewAsset(
            code = "PLACE-VILLEREST", name = "Place du bourg", kind = AssetKind.GREEN_SPACE,
            owner = "VILLEREST", commissioned = d(1990, 1, 1), serviceTenant = "VILLEREST", service = "TECH",
        )
    )
    m.addAsset(
        NewAsset(
            code = "VH-ROANNE-1", name = "Fourgon Trafic", kind = AssetKind.VEHICLE,
            owner = "ROANNE", commissioned = d(2020, 1, 1), attributes = mapOf("category" to "VUL"),
        )
    )
    m.addTeam("ROANNE-SPORTS", "ROANNE", "Régie équipements sportifs", service = "SPORTS")
    m.addTeam("VILLEREST-AGENTS", "VILLEREST", "Agents polyvalents", service = "TECH")
    m.setLabourRate("ROANNE", 2026, eur("38.50"))
    m.setLabourRate("VILLEREST", 2026, eur("32.00"))
    m.setCategoryRate("ROANNE", "VUL", 2026, UsageUnit.KM, eur("0.62"))
    m.setVehicleRate("VH-ROANNE-1", 2026, UsageUnit.DAY, eur("45.00"))
    m.addStore("MAG-ROANNE", "ROANNE", "Magasin central")
    m.addItem("PEINTURE", "Peinture acrylique 15 L", "pot")
    m.receiveStock("MAG-ROANNE", "PEINTURE", d(2026, 1, 5), BigDecimal("10"), eur("14.00"))
    m.receiveStock("MAG-ROANNE", "PEINTURE", d(2026, 2, 2), BigDecimal("30"), eur("14.316"))
    m.addSupplier("LOCABARRIERES", "Loca Barrières", "73282932000074", listOf("location"))
    m.addSupplier("ARTIFICES", "Loire Artifices", "35600000000056", listOf("pyrotechnie"))
    m.createWorkOrder(NewWorkOrder("BT-GYM-1", "Peinture de la grande salle", "GYM-COUBERTIN-SALLE", team = "ROANNE-SPORTS"))
    m.createWorkOrder(NewWorkOrder("BT-GYM-2", "Tracé des lignes du terrain", "GYM-COUBERTIN", team = "ROANNE-SPORTS"))
    return m
}
