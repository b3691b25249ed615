package fr.mutualis

import java.math.BigDecimal

/**
 * Roanne's sports-facilities régie keeps maintaining the gymnasium for the
 * agglomeration (DOMAIN §4 worked example): agreement `CONV-SPORTS`, actual
 * cost, from 2019-01-01, scoped to Roanne's SPORTS service, accounts
 * 70846 / 6217.
 */
internal fun Mutualis.addSportsAgreement() = addAgreement(
    NewAgreement(
        code = "CONV-SPORTS", provider = "ROANNE", beneficiary = "AGGLO", mode = AgreementMode.ACTUAL_COST,
        from = d(2019, 1, 1), services = listOf("SPORTS"),
        providerAccount = "70846", beneficiaryAccount = "6217", legalBasis = "CGCT L5211-4-1",
    )
)

/**
 * The work order of 2026-03-12 in the main hall: 6.5 h of labour at 38.50
 * (250.25) and 12 pots of paint at CMUP 14.2370 (170.844 → 170.84): 421.09,
 * paid by AGGLO, the holder of the gymnasium.
 */
internal fun Mutualis.paintTheGym() {
    startWorkOrder("BT-GYM-1", at(2026, 3, 12, 7))
    recordLabour("BT-GYM-1", d(2026, 3, 12), BigDecimal("6.5"))
    recordMaterial("BT-GYM-1", d(2026, 3, 12), "MAG-ROANNE", "PEINTURE", BigDecimal("12"))
}
