package fr.mutualis

import java.math.BigDecimal
import java.time.LocalDate

/** Shorthands shared by the tests. */
internal fun d(year: Int, month: Int, day: Int): LocalDate = LocalDate.of(year, month, day)

internal fun eur(amount: String): BigDecimal = BigDecimal(amount)

/**
 * The Roannais situation (DOMAIN §1 and §4): Roannais Agglomération and three
 * member communes, their services, the gymnasium owned by Roanne and put at
 * the agglomeration's disposal from 2019-01-01, and a building shared by the
 * agglomeration and Roanne through a floor-area key, with two floors (the
 * first one carrying a key of its own from 2024).
 */
internal fun roannais(): Mutualis {
    val m = Mutualis()
    m.addTenant("AGGLO", "Roannais Agglomération", TenantKind.COMMUNAUTE_D_AGGLOMERATION, "200035731", null)
    m.addTenant("ROANNE", "Ville de Roanne", TenantKind.COMMUNE, "214218703", "42187")
    m.addTenant("MABLY", "Commune de Mably", TenantKind.COMMUNE, "214212706", "42127")
    m.addTenant("VILLEREST", "Commune de Villerest", TenantKind.COMMUNE, "214233207", "42332")
    for (commune in listOf("ROANNE", "MABLY", "VILLEREST")) m.join(commune, "AGGLO")

    m.addService("AGGLO", "SPORTS", "Équipements sportifs communautaires")
    m.addService("AGGLO", "BATIMENTS", "Bâtiments")
    m.addService("ROANNE", "SPORTS", "Régie des équipements sportifs")
    m.addService("ROANNE", "BATIMENTS", "Bâtiments")
    m.addService("MABLY", "TECH", "Services techniques")
    m.addService("VILLEREST", "TECH", "Services techniques (agents polyvalents)")

    // The gymnasium: owned by Roanne, sports competence transferred to the
    // agglomeration on 2019-01-01 (mise à disposition, CGCT L1321-1).
    m.addAsset(
        NewAsset(
            code = "GYM-COUBERTIN", name = "Gymnase Pierre de Coubertin", kind = AssetKind.BUILDING,
            owner = "ROANNE", commissioned = d(1975, 9, 1),
            serviceTenant = "AGGLO", service = "SPORTS",
            floorArea = BigDecimal("2150"), address = "Rue de Charlieu, 42300 Roanne",
        )
    )
    m.addAsset(
        NewAsset(
            code = "GYM-COUBERTIN-SALLE", name = "Grande salle", kind = AssetKind.ROOM,
            owner = "ROANNE", commissioned = d(1975, 9, 1), parent = "GYM-COUBERTIN",
            floorArea = BigDecimal("1200"),
        )
    )
    m.addAsset(
        NewAsset(
            code = "GYM-COUBERTIN-CHAUFFERIE", name = "Chaudière gaz", kind = AssetKind.EQUIPMENT,
            owner = "ROANNE", commissioned = d(2012, 10, 15), parent = "GYM-COUBERTIN",
            attributes = mapOf("puissance_kw" to "350"),
        )
    )
    m.grantCustody("GYM-COUBERTIN", "AGGLO", d(2019, 1, 1), null)

    // A building shared by the agglomeration and Roanne, keyed by floor area
    // (1 080 m² / 720 m²) from 2020; floor 1 hosts France services, run by the
    // three communes by agreement from 2024.
    m.addAsset(
        NewAsset(
            code = "MAISON-SERVICES", name = "Maison des services publics", kind = AssetKind.BUILDING,
            owner = "ROANNE", commissioned = d(1998, 3, 1),
            serviceTenant = "ROANNE", service = "BATIMENTS", floorArea = BigDecimal("1800"),
        )
    )
    m.addAsset(
        NewAsset(
            code = "MAISON-SERVICES-R1", name = "Étage 1 (France services)", kind = AssetKind.FLOOR,
            owner = "ROANNE", commissioned = d(1998, 3, 1), parent = "MAISON-SERVICES",
        )
    )
    m.addAsset(
        NewAsset(
            code = "MAISON-SERVICES-R2", name = "Étage 2 (bureaux)", kind = AssetKind.FLOOR,
            owner = "ROANNE", commissioned = d(1998, 3, 1), parent = "MAISON-SERVICES",
        )
    )
    m.setSharingKey(
        "MAISON-SERVICES", KeyBasis.FLOOR_AREA, d(2020, 1, 1), null,
        mapOf("ROANNE" to 720uL, "AGGLO" to 1080uL),
    )
    m.setSharingKey(
        "MAISON-SERVICES-R1", KeyBasis.AGREED, d(2024, 1, 1), null,
        mapOf("VILLEREST" to 1500uL, "ROANNE" to 6000uL, "MABLY" to 2500uL),
    )

    // Villerest's riverside, lent to the agglomeration 2022-04-01 to 2025-10-31.
    m.addAsset(
        NewAsset(
            code = "EV-BORDS-LOIRE", name = "Bords de Loire", kind = AssetKind.GREEN_SPACE,
            owner = "VILLEREST", commissioned = d(2001, 6, 1),
            serviceTenant = "VILLEREST", service = "TECH",
        )
    )
    m.grantCustody("EV-BORDS-LOIRE", "AGGLO", d(2022, 4, 1), d(2025, 10, 31))
    return m
}
