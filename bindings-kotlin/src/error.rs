//! The one exception hierarchy seen from Kotlin.
//!
//! [`MutualisError`] mirrors `mutualis::Error` variant for variant, with the
//! core's fields (codes, amounts, dates, line numbers…) as typed properties
//! of each Kotlin exception class, as bdk-ffi's errors do, plus `text`, the
//! core's message. The generated Kotlin `message` of a non-flat UniFFI error
//! lists the fields (`value=…, reason=…`); the workspace's `uniffi-bindgen`
//! (bindings-kotlin/uniffi-bindgen) rewrites it to return `text`, so
//! `e.message` stays the core's message, shown to a user as is.
//!
//! Adding a variant to the core: add it here with its fields and a `From`
//! arm (the compiler's exhaustiveness check on `text()` and the variant count
//! test below point at every place).

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::UtcDateTime;

/// One bad row of a refused CSV import (`MutualisException.CsvRows.errors`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BadRow {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    /// Why the row was refused.
    pub message: String,
}

/// Everything that can go wrong in Mutualis, seen from Kotlin as
/// `sealed class MutualisException : kotlin.Exception` with one subclass per
/// variant (`MutualisException.UnknownTenant`, …).
///
/// There is one variant per variant of the core's `mutualis::Error`, with the
/// same fields (typed: `String`, `BigDecimal`, `LocalDate`, `Instant`, `Long`…;
/// the core's `message` fields are named `reason` here, since `message` is the
/// exception's own), plus [`MutualisError::Io`] (file access) and
/// [`MutualisError::Internal`] (a bug or a core error this binding does not
/// know yet). Every variant ends with `text`, the core's message, which is the
/// exception's `message`: it names the offending values and can be shown to a
/// user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum MutualisError {
    /// A SIREN (company identifier of a collectivité) is not 9 digits with a valid Luhn key.
    #[error("{text}")]
    InvalidSiren {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A SIRET (establishment identifier of a supplier) is not 14 digits with a valid key.
    #[error("{text}")]
    InvalidSiret {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An INSEE commune code is malformed, missing for a commune, or given for a non-commune.
    #[error("{text}")]
    InvalidInsee {
        /// The value given (empty when it was missing).
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A human code (tenant, service, asset) is empty, too long or has characters outside `A-Z a-z 0-9 - _ . /`.
    #[error("{text}")]
    InvalidCode {
        /// What the code was for ("tenant", "asset"…).
        what: String,
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A name or free-text field is empty or otherwise unusable.
    #[error("{text}")]
    InvalidField {
        /// Which field.
        field: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A kind name (tenant kind, asset kind, key basis…) is not one the library knows.
    #[error("{text}")]
    UnknownKind {
        /// Which enumeration.
        what: String,
        /// The value given.
        value: String,
        /// The accepted names, comma-separated.
        expected: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A year (or a date's year) is outside the years Mutualis accepts:
    /// [`mutualis::YEARS`] (1900..=2200), or [`mutualis::ASSET_YEARS`] for the
    /// commissioning of an asset (historic buildings).
    #[error("{text}")]
    YearOutOfRange {
        /// Which argument or field.
        field: String,
        /// The year given.
        year: i64,
        /// First year accepted.
        min: i32,
        /// Last year accepted.
        max: i32,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An integer argument does not fit the range its parameter accepts
    /// (raised by the bindings' argument conversion, which names the argument).
    #[error("{text}")]
    ArgumentOutOfRange {
        /// The argument's name.
        argument: String,
        /// The value given, as written.
        value: String,
        /// The accepted range, e.g. `"0..=4294967295"`.
        range: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No tenant (collectivité) has this code.
    #[error("{text}")]
    UnknownTenant {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The tenant has no service with this code.
    #[error("{text}")]
    UnknownService {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No asset has this code.
    #[error("{text}")]
    UnknownAsset {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A tenant with this code already exists.
    #[error("{text}")]
    DuplicateTenant {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Another tenant already has this SIREN.
    #[error("{text}")]
    DuplicateSiren {
        /// The SIREN.
        siren: String,
        /// The tenant that has it.
        tenant: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Another supplier already has this SIRET.
    #[error("{text}")]
    DuplicateSiret {
        /// The SIRET.
        siret: String,
        /// The supplier that has it.
        supplier: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The tenant already has a service with this code.
    #[error("{text}")]
    DuplicateService {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An asset with this code already exists.
    #[error("{text}")]
    DuplicateAsset {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A membership is not allowed (a commune joining a commune, two EPCI à fiscalité propre, itself…).
    #[error("{text}")]
    InvalidMembership {
        /// The member tenant code.
        member: String,
        /// The group tenant code.
        group: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Setting this parent would make the asset its own ancestor.
    #[error("{text}")]
    AssetCycle {
        /// The asset being moved.
        asset: String,
        /// The requested parent.
        parent: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A period ends before it starts (first and last days are inclusive).
    #[error("{text}")]
    DatesOutOfOrder {
        /// The first day given.
        from: NaiveDate,
        /// The last day given.
        to: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A date falls outside the asset's life (before commissioning or after decommissioning).
    #[error("{text}")]
    OutsideAssetLife {
        /// Asset code.
        asset: String,
        /// The date given.
        date: NaiveDate,
        /// The asset's life, e.g. "in service from 1975-09-01".
        life: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A custody period (mise à disposition) overlaps one already recorded for the asset.
    #[error("{text}")]
    CustodyOverlap {
        /// Asset code.
        asset: String,
        /// Requested beneficiary.
        beneficiary: String,
        /// Requested period.
        period: String,
        /// Beneficiary of the existing period.
        existing_beneficiary: String,
        /// Existing period.
        existing: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Custody was requested to the asset's own owner, which CGCT L1321-1 does not provide for.
    #[error("{text}")]
    CustodyToOwner {
        /// Asset code.
        asset: String,
        /// Owner code.
        owner: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A transfer of ownership (transfert de propriété) is refused: the new
    /// owner already owns the asset on that date, or the date is not after the
    /// asset's last transfer (history is appended, never rewritten).
    #[error("{text}")]
    TransferRefused {
        /// Asset code.
        asset: String,
        /// The new owner's code.
        owner: String,
        /// First day of the new ownership.
        from: NaiveDate,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A registration number (immatriculation) is neither SIV `AB-123-CD`
    /// (no I, O, U; not `SS`, `WW`…) nor old FNI `123 ABC 45`, or one is given
    /// for a machine that has none.
    #[error("{text}")]
    InvalidRegistration {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A VIN is not 17 characters of `A-Z 0-9` without I, O, Q.
    #[error("{text}")]
    InvalidVin {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The asset is not in the fleet register (or cannot be: not a vehicle
    /// or equipment, already registered), or a fleet record refers to an
    /// unknown plan.
    #[error("{text}")]
    NotInFleet {
        /// Asset (or plan) code.
        asset: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A meter reading is lower than the last one, or dated before it (a
    /// meter replacement must be recorded first).
    #[error("{text}")]
    MeterRegression {
        /// Vehicle code.
        vehicle: String,
        /// The meter (`km`, `hours`).
        meter: String,
        /// The reading refused.
        value: u64,
        /// Its date.
        date: NaiveDate,
        /// The last reading kept.
        last: u64,
        /// Its date.
        last_date: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An association's RNA number is not `W` followed by 9 digits.
    #[error("{text}")]
    InvalidRna {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No party (lessee or lessor of a contract) has this code.
    #[error("{text}")]
    UnknownParty {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A party with this code already exists.
    #[error("{text}")]
    DuplicateParty {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No lease or occupation agreement has this code.
    #[error("{text}")]
    UnknownLease {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A lease with this code already exists.
    #[error("{text}")]
    DuplicateLease {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No energy meter has this code.
    #[error("{text}")]
    UnknownMeter {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An energy meter with this code already exists.
    #[error("{text}")]
    DuplicateMeter {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A delivery point number is malformed (PDL/PRM: 14 digits; PCE: 14 digits or GI + 6 digits).
    #[error("{text}")]
    InvalidDeliveryPoint {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An index reading is below the index the meter counts from (record a
    /// replacement with its final and new index instead).
    #[error("{text}")]
    IndexBelowLast {
        /// Meter code.
        meter: String,
        /// The index refused.
        index: Decimal,
        /// Its date.
        date: NaiveDate,
        /// The index counted from.
        last: Decimal,
        /// Its date.
        last_date: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A quantity is not in the meter's unit (or a sub-meter's energy/unit is not its parent's).
    #[error("{text}")]
    UnitMismatch {
        /// Meter code.
        meter: String,
        /// Its unit (and energy, for a sub-meter).
        expected: String,
        /// The unit given.
        given: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A consumption or an index is negative.
    #[error("{text}")]
    NegativeConsumption {
        /// Which field.
        field: String,
        /// The value given.
        value: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A décret tertiaire reference year is before 2010 (CCH R174-23).
    #[error("{text}")]
    ReferenceYearTooEarly {
        /// The year given.
        year: i32,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Degree days are missing for a station: a year's (`year`) or its reference (none).
    #[error("{text}")]
    MissingDju {
        /// Weather station.
        station: String,
        /// The year (none: the reference).
        year: Option<i32>,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An exclusive contract would overlap another contract of the same side on the asset (or the reverse).
    #[error("{text}")]
    LeaseOverlap {
        /// Asset code.
        asset: String,
        /// The contract refused.
        lease: String,
        /// The contract it overlaps.
        existing: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An index series has no value for a quarter a revision needs.
    #[error("{text}")]
    MissingIndexValue {
        /// Series name ("ILC"…).
        series: String,
        /// The quarter (`2025-Q3`).
        quarter: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The asset is not in the furniture register (or cannot be: not of kind furniture, already registered).
    #[error("{text}")]
    NotFurniture {
        /// Asset code.
        asset: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No furniture item has this inventory number.
    #[error("{text}")]
    UnknownInventoryNumber {
        /// The inventory number given.
        number: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A furniture item with this inventory number already exists (numbers are unique in the group).
    #[error("{text}")]
    DuplicateInventoryNumber {
        /// The inventory number.
        number: String,
        /// The asset that has it.
        asset: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Furniture is located (or a scan found, or a campaign opened) in an asset of a kind that cannot be one (a move to a non-room asset).
    #[error("{text}")]
    NotALocation {
        /// Asset code.
        asset: String,
        /// Its kind.
        kind: String,
        /// The kinds accepted.
        expected: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A plain move to premises of another collectivité: record a transfer of ownership or a loan instead (or the reverse).
    #[error("{text}")]
    CrossTenantMove {
        /// The item's inventory number.
        number: String,
        /// The location asked.
        location: String,
        /// Why it was refused.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A reformed furniture item cannot be moved, lent, changed or reformed again.
    #[error("{text}")]
    ItemReformed {
        /// The item's inventory number.
        number: String,
        /// Its reform's date.
        date: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A reform is dated before the item's purchase.
    #[error("{text}")]
    ReformBeforePurchase {
        /// The item's inventory number.
        number: String,
        /// The reform's date.
        date: NaiveDate,
        /// The purchase's date.
        purchase: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No inventory campaign has this code.
    #[error("{text}")]
    UnknownCampaign {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An inventory campaign with this code already exists.
    #[error("{text}")]
    DuplicateCampaign {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A scan or a closing in a campaign already closed.
    #[error("{text}")]
    CampaignClosed {
        /// Campaign code.
        campaign: String,
        /// Its closing date.
        closed: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A scan in a location outside the campaign's building or site.
    #[error("{text}")]
    OutsideCampaign {
        /// Campaign code.
        campaign: String,
        /// The location given.
        asset: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An amount that cannot be negative (a rent, a provision, a deposit, charges, a receipt) is.
    #[error("{text}")]
    NegativeAmount {
        /// Which amount.
        field: String,
        /// The value given.
        amount: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A sharing key's validity overlaps another key of the same asset.
    #[error("{text}")]
    KeyOverlap {
        /// Asset code.
        asset: String,
        /// Requested period.
        period: String,
        /// Existing period.
        existing: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No open-ended period exists to close (custody or sharing key).
    #[error("{text}")]
    NothingToEnd {
        /// Asset code.
        asset: String,
        /// "custody" or "sharing key".
        what: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Split weights are empty or sum to zero.
    #[error("{text}")]
    WeightsSumToZero {
        /// How many weights were given.
        count: u64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The same tenant appears twice in one sharing key.
    #[error("{text}")]
    DuplicateKeyTenant {
        /// The tenant code that appears twice.
        tenant: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An amount was expected in whole cents but has a finer fraction.
    #[error("{text}")]
    SubCentAmount {
        /// The amount given.
        amount: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An amount is too large to be handled exactly.
    #[error("{text}")]
    AmountOutOfRange {
        /// The amount given; null when it came from Kotlin and Rust could not hold it exactly.
        amount: Option<Decimal>,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A VAT rate that France never applied in the dated table (CGI art. 278 ff.).
    #[error("{text}")]
    UnknownVatRate {
        /// The rate given (percent).
        rate: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A VAT rate was not in force on the line's date (CGI art. 278 ff., dated table).
    #[error("{text}")]
    VatRateNotInForce {
        /// The rate given (percent).
        rate: Decimal,
        /// The line's date.
        date: NaiveDate,
        /// The rates in force on that date, comma-separated.
        in_force: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A quantity, rate or amount is zero or negative where it must be positive.
    #[error("{text}")]
    InvalidQuantity {
        /// What was measured ("hours", "quantity issued", "rate"…).
        what: String,
        /// The value given.
        value: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No principal (user, contractor, citizen) has this code.
    #[error("{text}")]
    UnknownPrincipal {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A principal's grants do not permit this action on this target (the
    /// call changed nothing).
    #[error("{text}")]
    Forbidden {
        /// The principal's code.
        principal: String,
        /// The permission missing, as a role names it (`"work:write"`),
        /// with the command or query refused (`"work:write (cost_recorded)"`).
        action: String,
        /// What the call touched that no grant covers (`"work order BT-18"`,
        /// `"tenant ROANNE"`, `"the group"`).
        target: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A principal with this code already exists.
    #[error("{text}")]
    DuplicatePrincipal {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No role has this code.
    #[error("{text}")]
    UnknownRole {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A role with this code already exists.
    #[error("{text}")]
    DuplicateRole {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No supplier has this code.
    #[error("{text}")]
    UnknownSupplier {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A supplier with this code already exists.
    #[error("{text}")]
    DuplicateSupplier {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No régie team has this code.
    #[error("{text}")]
    UnknownTeam {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A team with this code already exists.
    #[error("{text}")]
    DuplicateTeam {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No store has this code.
    #[error("{text}")]
    UnknownStore {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A store with this code already exists.
    #[error("{text}")]
    DuplicateStore {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No catalogue item has this code.
    #[error("{text}")]
    UnknownItem {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An item with this code already exists.
    #[error("{text}")]
    DuplicateItem {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No request has this code.
    #[error("{text}")]
    UnknownRequest {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A request with this code already exists.
    #[error("{text}")]
    DuplicateRequest {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No work order has this code.
    #[error("{text}")]
    UnknownWorkOrder {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A work order with this code already exists.
    #[error("{text}")]
    DuplicateWorkOrder {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A rate is already recorded for this key (rates are history, not overwritten).
    #[error("{text}")]
    RateAlreadySet {
        /// "labour" or "vehicle".
        what: String,
        /// The key, e.g. "ROANNE 2026 team ROANNE-SPORTS".
        detail: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No rate applies to a cost line.
    #[error("{text}")]
    NoRate {
        /// "labour" or "vehicle".
        what: String,
        /// What was looked up.
        detail: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No agent of this tenant has this matricule (workwear).
    #[error("{text}")]
    UnknownAgent {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An agent with this matricule already exists in the tenant.
    #[error("{text}")]
    DuplicateAgent {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No item of the workwear catalogue has this code.
    #[error("{text}")]
    UnknownWorkwearItem {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A workwear catalogue item with this code already exists.
    #[error("{text}")]
    DuplicateWorkwearItem {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The size asked is not one the workwear item offers (or none was given for an item with sizes).
    #[error("{text}")]
    SizeNotOffered {
        /// Catalogue item code.
        item: String,
        /// The size given (empty when none was).
        size: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An issue would exceed the agent's allotment for its period, and the tenant's policy refuses it.
    #[error("{text}")]
    AllotmentExceeded {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// Catalogue item code.
        item: String,
        /// The allotment's quantity per period (0: none for this item).
        allowed: u32,
        /// Already issued in the period ending on the issue's day.
        already: Decimal,
        /// Quantity asked.
        requested: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The agent is not assigned on the date of the issue (before its start or after its end).
    #[error("{text}")]
    AgentNotAssigned {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// The date.
        date: NaiveDate,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An issue asks for more than the store holds (DOMAIN §5).
    #[error("{text}")]
    InsufficientStock {
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Quantity asked.
        requested: Decimal,
        /// Quantity on hand.
        on_hand: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A status change not allowed by the lifecycle.
    #[error("{text}")]
    IllegalTransition {
        /// "request" or "work order".
        what: String,
        /// Its code.
        code: String,
        /// Current status.
        from: String,
        /// Requested status.
        to: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A timestamped change is earlier than the previous one.
    #[error("{text}")]
    TimeOutOfOrder {
        /// Code of the request or work order.
        code: String,
        /// Time given.
        at: UtcDateTime,
        /// Time of the previous change.
        last: UtcDateTime,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Cost lines are recorded only on a work order in progress or done.
    #[error("{text}")]
    WorkOrderNotOpen {
        /// Work order code.
        code: String,
        /// Its status.
        status: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No agreement, pooled service or loan has this code.
    #[error("{text}")]
    UnknownAgreement {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An agreement, pooled service or loan with this code already exists.
    #[error("{text}")]
    DuplicateAgreement {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Two agreements of the same tenants would cover the same work on the same days.
    #[error("{text}")]
    AgreementOverlap {
        /// The new agreement.
        code: String,
        /// The existing one.
        existing: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No budget (or budget line) for this tenant and year.
    #[error("{text}")]
    UnknownBudget {
        /// Tenant code.
        tenant: String,
        /// Fiscal year (0 when any year was looked at).
        year: i32,
        /// Line code, when a line was looked up.
        line: Option<String>,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The budget (or budget line) already exists.
    #[error("{text}")]
    DuplicateBudget {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code, for a duplicate line.
        line: Option<String>,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A cost would take a budget line below zero and the budget refuses overruns.
    #[error("{text}")]
    BudgetExceeded {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Budget line code.
        line: String,
        /// Work order code.
        work_order: String,
        /// Amount the cost line would charge.
        amount: Decimal,
        /// Remaining credit before it.
        remaining: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A budget line assigned to what it cannot receive: a revenue line
    /// (recettes) to a work order, an expense line to a contract's rent, a
    /// line of another collectivité than the contract's, a lessee's contract,
    /// a commitment on a revenue line.
    #[error("{text}")]
    BudgetLineMismatch {
        /// Tenant code.
        tenant: String,
        /// Budget line code.
        line: String,
        /// Why.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No investment operation (or AP) has this code.
    #[error("{text}")]
    UnknownOperation {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// An operation (or AP) with this code already exists.
    #[error("{text}")]
    DuplicateOperation {
        /// The code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A CP schedule does not fit its AP (sum, duplicate year, year before the vote, beyond a year's CP).
    #[error("{text}")]
    CpMismatch {
        /// AP code.
        ap: String,
        /// What does not fit.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The year is closed for this AP (payments and changes go to open years; years close in order).
    #[error("{text}")]
    YearClosed {
        /// AP code.
        ap: String,
        /// The closed year.
        year: i32,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Years close in order: this year is not the next one to close.
    #[error("{text}")]
    YearNotNext {
        /// AP code.
        ap: String,
        /// The year asked.
        year: i32,
        /// The next year to close.
        next: i32,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A revision would set the AP below what was already paid.
    #[error("{text}")]
    RevisionBelowPaid {
        /// AP code.
        ap: String,
        /// Requested amount.
        amount: Decimal,
        /// Already paid.
        paid: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Operations depend on each other in a cycle.
    #[error("{text}")]
    CyclicDependency {
        /// An operation of the cycle.
        operation: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The embedded store could not be read or written (I/O, locking).
    #[error("{text}")]
    Storage {
        /// What SQLite said.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The file is not a Mutualis store, or it is damaged; it was not modified.
    #[error("{text}")]
    CorruptStore {
        /// What is wrong.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A long operation was stopped by its caller's progress callback; nothing was changed.
    #[error("{text}")]
    Cancelled {
        /// Items done when it stopped.
        done: u64,
        /// Items in all.
        total: u64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A stored event does not match the hash chain: the file was altered after it was written.
    #[error("{text}")]
    TamperedJournal {
        /// Sequence number of the first event that fails verification.
        seq: i64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The store was written by a newer version of the library; it was not modified.
    #[error("{text}")]
    SchemaTooNew {
        /// Version found in the file.
        found: i64,
        /// Version this library supports.
        supported: i64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Another handle committed since this one last read the store: refresh and retry.
    #[error("{text}")]
    StaleState {
        /// Last event this handle had seen.
        seen: i64,
        /// Last event in the store.
        stored: i64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A working copy handed to a store's commit was not checked out from its current state.
    #[error("{text}")]
    StaleCopy {
        /// The store handle's last event.
        head: i64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The store's registry holds changes not yet committed (a unit of work
    /// in progress): commit or roll them back first.
    #[error("{text}")]
    UncommittedChanges {
        /// Journal entries recorded since the last commit.
        pending: u64,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A CSV import found bad rows (all-or-nothing mode): nothing was imported.
    #[error("{text}")]
    CsvRows {
        /// (line number, message) of every bad row.
        errors: Vec<BadRow>,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Bulk ingestion was given a table name that is not in the schema (docs/ingest.md).
    #[error("{text}")]
    UnknownTable {
        /// The table name given.
        table: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A table given for bulk ingestion lacks a required column.
    #[error("{text}")]
    MissingColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A column given for bulk ingestion has an Arrow type the schema does not accept.
    #[error("{text}")]
    ColumnType {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The Arrow type found.
        found: String,
        /// The accepted Arrow types.
        expected: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A money, quantity or rate column is floating point: floats are not exact (give Decimal128 or decimal strings).
    #[error("{text}")]
    FloatColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A row of an ingested table was refused (all-or-nothing mode: nothing was ingested).
    #[error("{text}")]
    IngestRow {
        /// Table name.
        table: String,
        /// Row number, from 1 (the header of a CSV file is not counted).
        row: u64,
        /// The column at fault, when one is.
        column: Option<String>,
        /// The kind of the inner error (snake_case, as in docs/errors.md).
        error_kind: String,
        /// The inner error's message.
        error: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// Tables for bulk ingestion could not be read (file, Parquet, CSV or Arrow IPC error).
    #[error("{text}")]
    IngestRead {
        /// What the reader said.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A JSON document could not be parsed or does not follow the dataset format.
    #[error("{text}")]
    InvalidJson {
        /// Line of the error (1-based, 0 if unknown).
        line: u64,
        /// Column of the error (1-based, 0 if unknown).
        column: u64,
        /// What the parser said.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A dataset declares a format or version this library cannot read.
    #[error("{text}")]
    UnsupportedFormat {
        /// The `format` field found.
        format: String,
        /// The `version` field found.
        version: u32,
        /// What is supported.
        supported: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A report table's rows do not add up to its total (a bug in a report's builder, never a silent mismatch).
    #[error("{text}")]
    ReportTotalMismatch {
        /// The table's key.
        table: String,
        /// The column's key.
        column: String,
        /// The sum of the rows.
        rows: Decimal,
        /// The total the queries give.
        total: Decimal,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No request category has this code (the Open311 `service_code`).
    #[error("{text}")]
    UnknownServiceCode {
        /// The service_code given.
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// The request waits for manual routing: it has a token, not yet an id.
    #[error("{text}")]
    AwaitingRouting {
        /// The request's code (its token).
        code: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// No request, routed or waiting for manual routing, has this token.
    #[error("{text}")]
    UnknownToken {
        /// The token given.
        token: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A request needs a location: `lat` and `long`, `address_string` or `address_id`.
    #[error("{text}")]
    MissingLocation {
        /// What was missing or unusable.
        reason: String,
        /// The core's message: what the Kotlin exception's `message` returns.
        text: String,
    },
    /// A file could not be read or written (`load`, `save`).
    #[error("{text}")]
    Io {
        /// The message: the file and what the system said.
        text: String,
    },
    /// A bug, or an error of a newer core that this binding does not map yet.
    /// Never expected: report it.
    #[error("{text}")]
    Internal {
        /// The message.
        text: String,
    },
}

/// A count or row number as the `Long` Kotlin sees (saturating: a `usize`
/// beyond `u64` cannot exist on the targets supported).
fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn bad_rows(rows: Vec<(usize, String)>) -> Vec<BadRow> {
    rows.into_iter()
        .map(|(line, message)| BadRow {
            line: wide(line),
            message,
        })
        .collect()
}

impl From<mx::Error> for MutualisError {
    fn from(e: mx::Error) -> Self {
        let text = e.to_string();
        match e {
            mx::Error::InvalidSiren { value, reason } => Self::InvalidSiren {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::InvalidSiret { value, reason } => Self::InvalidSiret {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::InvalidInsee { value, reason } => Self::InvalidInsee {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::InvalidCode {
                what,
                value,
                reason,
            } => Self::InvalidCode {
                what: what.to_owned(),
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::InvalidField { field, reason } => Self::InvalidField {
                field: field.to_owned(),
                reason,
                text,
            },
            mx::Error::UnknownKind {
                what,
                value,
                expected,
            } => Self::UnknownKind {
                what: what.to_owned(),
                value,
                expected: expected.to_owned(),
                text,
            },
            mx::Error::YearOutOfRange {
                field,
                year,
                min,
                max,
            } => Self::YearOutOfRange {
                field: field.to_owned(),
                year,
                min,
                max,
                text,
            },
            mx::Error::ArgumentOutOfRange {
                argument,
                value,
                range,
            } => Self::ArgumentOutOfRange {
                argument: argument.to_owned(),
                value,
                range,
                text,
            },
            mx::Error::UnknownTenant(x) => Self::UnknownTenant { code: x, text },
            mx::Error::UnknownService { tenant, service } => Self::UnknownService {
                tenant,
                service,
                text,
            },
            mx::Error::UnknownAsset(x) => Self::UnknownAsset { code: x, text },
            mx::Error::DuplicateTenant(x) => Self::DuplicateTenant { code: x, text },
            mx::Error::DuplicateSiren { siren, tenant } => Self::DuplicateSiren {
                siren,
                tenant,
                text,
            },
            mx::Error::DuplicateSiret { siret, supplier } => Self::DuplicateSiret {
                siret,
                supplier,
                text,
            },
            mx::Error::DuplicateService { tenant, service } => Self::DuplicateService {
                tenant,
                service,
                text,
            },
            mx::Error::DuplicateAsset(x) => Self::DuplicateAsset { code: x, text },
            mx::Error::InvalidMembership {
                member,
                group,
                reason,
            } => Self::InvalidMembership {
                member,
                group,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::AssetCycle { asset, parent } => Self::AssetCycle {
                asset,
                parent,
                text,
            },
            mx::Error::DatesOutOfOrder { from, to } => Self::DatesOutOfOrder { from, to, text },
            mx::Error::OutsideAssetLife { asset, date, life } => Self::OutsideAssetLife {
                asset,
                date,
                life,
                text,
            },
            mx::Error::CustodyOverlap {
                asset,
                beneficiary,
                period,
                existing_beneficiary,
                existing,
            } => Self::CustodyOverlap {
                asset,
                beneficiary,
                period,
                existing_beneficiary,
                existing,
                text,
            },
            mx::Error::CustodyToOwner { asset, owner } => {
                Self::CustodyToOwner { asset, owner, text }
            }
            mx::Error::TransferRefused {
                asset,
                owner,
                from,
                reason,
            } => Self::TransferRefused {
                asset,
                owner,
                from,
                reason,
                text,
            },
            mx::Error::InvalidRegistration { value, reason } => Self::InvalidRegistration {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::InvalidVin { value, reason } => Self::InvalidVin {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::NotInFleet { asset, reason } => Self::NotInFleet {
                asset,
                reason,
                text,
            },
            mx::Error::MeterRegression {
                vehicle,
                meter,
                value,
                date,
                last,
                last_date,
            } => Self::MeterRegression {
                vehicle,
                meter: meter.to_owned(),
                value,
                date,
                last,
                last_date,
                text,
            },
            mx::Error::InvalidRna { value, reason } => Self::InvalidRna {
                value,
                reason: reason.to_owned(),
                text,
            },
            mx::Error::UnknownParty(x) => Self::UnknownParty { code: x, text },
            mx::Error::DuplicateParty(x) => Self::DuplicateParty { code: x, text },
            mx::Error::UnknownLease(x) => Self::UnknownLease { code: x, text },
            mx::Error::DuplicateLease(x) => Self::DuplicateLease { code: x, text },
            mx::Error::UnknownMeter(x) => Self::UnknownMeter { code: x, text },
            mx::Error::DuplicateMeter(x) => Self::DuplicateMeter { code: x, text },
            mx::Error::InvalidDeliveryPoint { value, reason } => Self::InvalidDeliveryPoint {
                value,
                reason,
                text,
            },
            mx::Error::IndexBelowLast {
                meter,
                index,
                date,
                last,
                last_date,
            } => Self::IndexBelowLast {
                meter,
                index,
                date,
                last,
                last_date,
                text,
            },
            mx::Error::UnitMismatch {
                meter,
                expected,
                given,
            } => Self::UnitMismatch {
                meter,
                expected,
                given,
                text,
            },
            mx::Error::NegativeConsumption { field, value } => Self::NegativeConsumption {
                field: field.to_owned(),
                value,
                text,
            },
            mx::Error::ReferenceYearTooEarly(x) => Self::ReferenceYearTooEarly { year: x, text },
            mx::Error::MissingDju { station, year } => Self::MissingDju {
                station,
                year,
                text,
            },
            mx::Error::LeaseOverlap {
                asset,
                lease,
                existing,
            } => Self::LeaseOverlap {
                asset,
                lease,
                existing,
                text,
            },
            mx::Error::MissingIndexValue { series, quarter } => Self::MissingIndexValue {
                series,
                quarter,
                text,
            },
            mx::Error::NotFurniture { asset, reason } => Self::NotFurniture {
                asset,
                reason,
                text,
            },
            mx::Error::UnknownInventoryNumber(x) => {
                Self::UnknownInventoryNumber { number: x, text }
            }
            mx::Error::DuplicateInventoryNumber { number, asset } => {
                Self::DuplicateInventoryNumber {
                    number,
                    asset,
                    text,
                }
            }
            mx::Error::NotALocation {
                asset,
                kind,
                expected,
            } => Self::NotALocation {
                asset,
                kind: kind.to_owned(),
                expected: expected.to_owned(),
                text,
            },
            mx::Error::CrossTenantMove {
                number,
                location,
                reason,
            } => Self::CrossTenantMove {
                number,
                location,
                reason,
                text,
            },
            mx::Error::ItemReformed { number, date } => Self::ItemReformed { number, date, text },
            mx::Error::ReformBeforePurchase {
                number,
                date,
                purchase,
            } => Self::ReformBeforePurchase {
                number,
                date,
                purchase,
                text,
            },
            mx::Error::UnknownCampaign(x) => Self::UnknownCampaign { code: x, text },
            mx::Error::DuplicateCampaign(x) => Self::DuplicateCampaign { code: x, text },
            mx::Error::CampaignClosed { campaign, closed } => Self::CampaignClosed {
                campaign,
                closed,
                text,
            },
            mx::Error::OutsideCampaign { campaign, asset } => Self::OutsideCampaign {
                campaign,
                asset,
                text,
            },
            mx::Error::NegativeAmount { field, amount } => Self::NegativeAmount {
                field: field.to_owned(),
                amount,
                text,
            },
            mx::Error::KeyOverlap {
                asset,
                period,
                existing,
            } => Self::KeyOverlap {
                asset,
                period,
                existing,
                text,
            },
            mx::Error::NothingToEnd { asset, what } => Self::NothingToEnd {
                asset,
                what: what.to_owned(),
                text,
            },
            mx::Error::WeightsSumToZero { count } => Self::WeightsSumToZero {
                count: wide(count),
                text,
            },
            mx::Error::DuplicateKeyTenant(x) => Self::DuplicateKeyTenant { tenant: x, text },
            mx::Error::SubCentAmount(x) => Self::SubCentAmount { amount: x, text },
            mx::Error::AmountOutOfRange(x) => Self::AmountOutOfRange {
                amount: Some(x),
                text,
            },
            mx::Error::UnknownVatRate(x) => Self::UnknownVatRate { rate: x, text },
            mx::Error::VatRateNotInForce {
                rate,
                date,
                in_force,
            } => Self::VatRateNotInForce {
                rate,
                date,
                in_force,
                text,
            },
            mx::Error::InvalidQuantity { what, value } => Self::InvalidQuantity {
                what: what.to_owned(),
                value,
                text,
            },
            mx::Error::UnknownPrincipal(x) => Self::UnknownPrincipal { code: x, text },
            mx::Error::Forbidden {
                principal,
                action,
                target,
            } => Self::Forbidden {
                principal,
                action,
                target,
                text,
            },
            mx::Error::DuplicatePrincipal(x) => Self::DuplicatePrincipal { code: x, text },
            mx::Error::UnknownRole(x) => Self::UnknownRole { code: x, text },
            mx::Error::DuplicateRole(x) => Self::DuplicateRole { code: x, text },
            mx::Error::UnknownSupplier(x) => Self::UnknownSupplier { code: x, text },
            mx::Error::DuplicateSupplier(x) => Self::DuplicateSupplier { code: x, text },
            mx::Error::UnknownTeam(x) => Self::UnknownTeam { code: x, text },
            mx::Error::DuplicateTeam(x) => Self::DuplicateTeam { code: x, text },
            mx::Error::UnknownStore(x) => Self::UnknownStore { code: x, text },
            mx::Error::DuplicateStore(x) => Self::DuplicateStore { code: x, text },
            mx::Error::UnknownItem(x) => Self::UnknownItem { code: x, text },
            mx::Error::DuplicateItem(x) => Self::DuplicateItem { code: x, text },
            mx::Error::UnknownRequest(x) => Self::UnknownRequest { code: x, text },
            mx::Error::DuplicateRequest(x) => Self::DuplicateRequest { code: x, text },
            mx::Error::UnknownWorkOrder(x) => Self::UnknownWorkOrder { code: x, text },
            mx::Error::DuplicateWorkOrder(x) => Self::DuplicateWorkOrder { code: x, text },
            mx::Error::RateAlreadySet { what, detail } => Self::RateAlreadySet {
                what: what.to_owned(),
                detail,
                text,
            },
            mx::Error::NoRate { what, detail } => Self::NoRate {
                what: what.to_owned(),
                detail,
                text,
            },
            mx::Error::UnknownAgent { tenant, matricule } => Self::UnknownAgent {
                tenant,
                matricule,
                text,
            },
            mx::Error::DuplicateAgent { tenant, matricule } => Self::DuplicateAgent {
                tenant,
                matricule,
                text,
            },
            mx::Error::UnknownWorkwearItem(x) => Self::UnknownWorkwearItem { code: x, text },
            mx::Error::DuplicateWorkwearItem(x) => Self::DuplicateWorkwearItem { code: x, text },
            mx::Error::SizeNotOffered { item, size } => Self::SizeNotOffered { item, size, text },
            mx::Error::AllotmentExceeded {
                tenant,
                matricule,
                item,
                allowed,
                already,
                requested,
            } => Self::AllotmentExceeded {
                tenant,
                matricule,
                item,
                allowed,
                already,
                requested,
                text,
            },
            mx::Error::AgentNotAssigned {
                tenant,
                matricule,
                date,
            } => Self::AgentNotAssigned {
                tenant,
                matricule,
                date,
                text,
            },
            mx::Error::InsufficientStock {
                store,
                item,
                requested,
                on_hand,
            } => Self::InsufficientStock {
                store,
                item,
                requested,
                on_hand,
                text,
            },
            mx::Error::IllegalTransition {
                what,
                code,
                from,
                to,
            } => Self::IllegalTransition {
                what: what.to_owned(),
                code,
                from: from.to_owned(),
                to: to.to_owned(),
                text,
            },
            mx::Error::TimeOutOfOrder { code, at, last } => Self::TimeOutOfOrder {
                code,
                at,
                last,
                text,
            },
            mx::Error::WorkOrderNotOpen { code, status } => Self::WorkOrderNotOpen {
                code,
                status: status.to_owned(),
                text,
            },
            mx::Error::UnknownAgreement(x) => Self::UnknownAgreement { code: x, text },
            mx::Error::DuplicateAgreement(x) => Self::DuplicateAgreement { code: x, text },
            mx::Error::AgreementOverlap { code, existing } => Self::AgreementOverlap {
                code,
                existing,
                text,
            },
            mx::Error::UnknownBudget { tenant, year, line } => Self::UnknownBudget {
                tenant,
                year,
                line,
                text,
            },
            mx::Error::DuplicateBudget { tenant, year, line } => Self::DuplicateBudget {
                tenant,
                year,
                line,
                text,
            },
            mx::Error::BudgetExceeded {
                tenant,
                year,
                line,
                work_order,
                amount,
                remaining,
            } => Self::BudgetExceeded {
                tenant,
                year,
                line,
                work_order,
                amount,
                remaining,
                text,
            },
            mx::Error::BudgetLineMismatch {
                tenant,
                line,
                reason,
            } => Self::BudgetLineMismatch {
                tenant,
                line,
                reason,
                text,
            },
            mx::Error::UnknownOperation(x) => Self::UnknownOperation { code: x, text },
            mx::Error::DuplicateOperation(x) => Self::DuplicateOperation { code: x, text },
            mx::Error::CpMismatch { ap, reason } => Self::CpMismatch { ap, reason, text },
            mx::Error::YearClosed { ap, year } => Self::YearClosed { ap, year, text },
            mx::Error::YearNotNext { ap, year, next } => Self::YearNotNext {
                ap,
                year,
                next,
                text,
            },
            mx::Error::RevisionBelowPaid { ap, amount, paid } => Self::RevisionBelowPaid {
                ap,
                amount,
                paid,
                text,
            },
            mx::Error::CyclicDependency(x) => Self::CyclicDependency { operation: x, text },
            mx::Error::Storage { message } => Self::Storage {
                reason: message,
                text,
            },
            mx::Error::CorruptStore { message } => Self::CorruptStore {
                reason: message,
                text,
            },
            mx::Error::Cancelled { done, total } => Self::Cancelled {
                done: wide(done),
                total: wide(total),
                text,
            },
            mx::Error::TamperedJournal { seq } => Self::TamperedJournal { seq, text },
            mx::Error::SchemaTooNew { found, supported } => Self::SchemaTooNew {
                found,
                supported,
                text,
            },
            mx::Error::StaleState { seen, stored } => Self::StaleState { seen, stored, text },
            mx::Error::StaleCopy { head } => Self::StaleCopy { head, text },
            mx::Error::UncommittedChanges { pending } => Self::UncommittedChanges {
                pending: wide(pending),
                text,
            },
            mx::Error::CsvRows { errors } => Self::CsvRows {
                errors: bad_rows(errors),
                text,
            },
            mx::Error::UnknownTable(x) => Self::UnknownTable { table: x, text },
            mx::Error::MissingColumn { table, column } => Self::MissingColumn {
                table: table.to_owned(),
                column: column.to_owned(),
                text,
            },
            mx::Error::ColumnType {
                table,
                column,
                found,
                expected,
            } => Self::ColumnType {
                table: table.to_owned(),
                column: column.to_owned(),
                found,
                expected: expected.to_owned(),
                text,
            },
            mx::Error::FloatColumn { table, column } => Self::FloatColumn {
                table: table.to_owned(),
                column: column.to_owned(),
                text,
            },
            mx::Error::IngestRow {
                table,
                row,
                column,
                error,
            } => Self::IngestRow {
                table: table.to_owned(),
                row: wide(row),
                column: column.map(str::to_owned),
                error_kind: error.kind().to_owned(),
                error: error.to_string(),
                text,
            },
            mx::Error::IngestRead { message } => Self::IngestRead {
                reason: message,
                text,
            },
            mx::Error::InvalidJson {
                line,
                column,
                message,
            } => Self::InvalidJson {
                line: wide(line),
                column: wide(column),
                reason: message,
                text,
            },
            mx::Error::UnsupportedFormat {
                format,
                version,
                supported,
            } => Self::UnsupportedFormat {
                format,
                version,
                supported: supported.to_owned(),
                text,
            },
            mx::Error::ReportTotalMismatch {
                table,
                column,
                rows,
                total,
            } => Self::ReportTotalMismatch {
                table,
                column,
                rows,
                total,
                text,
            },
            mx::Error::UnknownServiceCode(code) => Self::UnknownServiceCode { code, text },
            mx::Error::AwaitingRouting(code) => Self::AwaitingRouting { code, text },
            mx::Error::UnknownToken(token) => Self::UnknownToken { token, text },
            mx::Error::MissingLocation(reason) => Self::MissingLocation { reason, text },
            // `mutualis::Error` is #[non_exhaustive]: a variant added to the
            // core later still reaches Kotlin, with its kind and message.
            other => Self::Internal {
                text: format!("{} ({})", text, other.kind()),
            },
        }
    }
}

impl MutualisError {
    /// [`MutualisError::Internal`] with this message.
    pub(crate) fn internal(text: impl Into<String>) -> Self {
        Self::Internal { text: text.into() }
    }

    /// [`MutualisError::Io`] with this message.
    pub(crate) fn io(text: impl Into<String>) -> Self {
        Self::Io { text: text.into() }
    }

    /// The message (the Kotlin exception's `message`).
    pub fn text(&self) -> &str {
        match self {
            Self::InvalidSiren { text, .. }
            | Self::InvalidSiret { text, .. }
            | Self::InvalidInsee { text, .. }
            | Self::InvalidCode { text, .. }
            | Self::InvalidField { text, .. }
            | Self::UnknownKind { text, .. }
            | Self::YearOutOfRange { text, .. }
            | Self::ArgumentOutOfRange { text, .. }
            | Self::UnknownTenant { text, .. }
            | Self::UnknownService { text, .. }
            | Self::UnknownAsset { text, .. }
            | Self::DuplicateTenant { text, .. }
            | Self::DuplicateSiren { text, .. }
            | Self::DuplicateSiret { text, .. }
            | Self::DuplicateService { text, .. }
            | Self::DuplicateAsset { text, .. }
            | Self::InvalidMembership { text, .. }
            | Self::AssetCycle { text, .. }
            | Self::DatesOutOfOrder { text, .. }
            | Self::OutsideAssetLife { text, .. }
            | Self::CustodyOverlap { text, .. }
            | Self::CustodyToOwner { text, .. }
            | Self::TransferRefused { text, .. }
            | Self::InvalidRegistration { text, .. }
            | Self::InvalidVin { text, .. }
            | Self::NotInFleet { text, .. }
            | Self::MeterRegression { text, .. }
            | Self::InvalidRna { text, .. }
            | Self::UnknownParty { text, .. }
            | Self::DuplicateParty { text, .. }
            | Self::UnknownLease { text, .. }
            | Self::DuplicateLease { text, .. }
            | Self::UnknownMeter { text, .. }
            | Self::DuplicateMeter { text, .. }
            | Self::InvalidDeliveryPoint { text, .. }
            | Self::IndexBelowLast { text, .. }
            | Self::UnitMismatch { text, .. }
            | Self::NegativeConsumption { text, .. }
            | Self::ReferenceYearTooEarly { text, .. }
            | Self::MissingDju { text, .. }
            | Self::LeaseOverlap { text, .. }
            | Self::MissingIndexValue { text, .. }
            | Self::NotFurniture { text, .. }
            | Self::UnknownInventoryNumber { text, .. }
            | Self::DuplicateInventoryNumber { text, .. }
            | Self::NotALocation { text, .. }
            | Self::CrossTenantMove { text, .. }
            | Self::ItemReformed { text, .. }
            | Self::ReformBeforePurchase { text, .. }
            | Self::UnknownCampaign { text, .. }
            | Self::DuplicateCampaign { text, .. }
            | Self::CampaignClosed { text, .. }
            | Self::OutsideCampaign { text, .. }
            | Self::NegativeAmount { text, .. }
            | Self::KeyOverlap { text, .. }
            | Self::NothingToEnd { text, .. }
            | Self::WeightsSumToZero { text, .. }
            | Self::DuplicateKeyTenant { text, .. }
            | Self::SubCentAmount { text, .. }
            | Self::AmountOutOfRange { text, .. }
            | Self::UnknownVatRate { text, .. }
            | Self::VatRateNotInForce { text, .. }
            | Self::InvalidQuantity { text, .. }
            | Self::UnknownPrincipal { text, .. }
            | Self::Forbidden { text, .. }
            | Self::DuplicatePrincipal { text, .. }
            | Self::UnknownRole { text, .. }
            | Self::DuplicateRole { text, .. }
            | Self::UnknownSupplier { text, .. }
            | Self::DuplicateSupplier { text, .. }
            | Self::UnknownTeam { text, .. }
            | Self::DuplicateTeam { text, .. }
            | Self::UnknownStore { text, .. }
            | Self::DuplicateStore { text, .. }
            | Self::UnknownItem { text, .. }
            | Self::DuplicateItem { text, .. }
            | Self::UnknownRequest { text, .. }
            | Self::DuplicateRequest { text, .. }
            | Self::UnknownWorkOrder { text, .. }
            | Self::DuplicateWorkOrder { text, .. }
            | Self::RateAlreadySet { text, .. }
            | Self::NoRate { text, .. }
            | Self::UnknownAgent { text, .. }
            | Self::DuplicateAgent { text, .. }
            | Self::UnknownWorkwearItem { text, .. }
            | Self::DuplicateWorkwearItem { text, .. }
            | Self::SizeNotOffered { text, .. }
            | Self::AllotmentExceeded { text, .. }
            | Self::AgentNotAssigned { text, .. }
            | Self::InsufficientStock { text, .. }
            | Self::IllegalTransition { text, .. }
            | Self::TimeOutOfOrder { text, .. }
            | Self::WorkOrderNotOpen { text, .. }
            | Self::UnknownAgreement { text, .. }
            | Self::DuplicateAgreement { text, .. }
            | Self::AgreementOverlap { text, .. }
            | Self::UnknownBudget { text, .. }
            | Self::DuplicateBudget { text, .. }
            | Self::BudgetExceeded { text, .. }
            | Self::BudgetLineMismatch { text, .. }
            | Self::UnknownOperation { text, .. }
            | Self::DuplicateOperation { text, .. }
            | Self::CpMismatch { text, .. }
            | Self::YearClosed { text, .. }
            | Self::YearNotNext { text, .. }
            | Self::RevisionBelowPaid { text, .. }
            | Self::CyclicDependency { text, .. }
            | Self::Storage { text, .. }
            | Self::CorruptStore { text, .. }
            | Self::Cancelled { text, .. }
            | Self::TamperedJournal { text, .. }
            | Self::SchemaTooNew { text, .. }
            | Self::StaleState { text, .. }
            | Self::StaleCopy { text, .. }
            | Self::UncommittedChanges { text, .. }
            | Self::CsvRows { text, .. }
            | Self::UnknownTable { text, .. }
            | Self::MissingColumn { text, .. }
            | Self::ColumnType { text, .. }
            | Self::FloatColumn { text, .. }
            | Self::IngestRow { text, .. }
            | Self::IngestRead { text, .. }
            | Self::InvalidJson { text, .. }
            | Self::UnsupportedFormat { text, .. }
            | Self::ReportTotalMismatch { text, .. }
            | Self::UnknownServiceCode { text, .. }
            | Self::AwaitingRouting { text, .. }
            | Self::UnknownToken { text, .. }
            | Self::MissingLocation { text, .. }
            | Self::Io { text, .. }
            | Self::Internal { text, .. } => text,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Self::InvalidSiren { text, .. }
            | Self::InvalidSiret { text, .. }
            | Self::InvalidInsee { text, .. }
            | Self::InvalidCode { text, .. }
            | Self::InvalidField { text, .. }
            | Self::UnknownKind { text, .. }
            | Self::YearOutOfRange { text, .. }
            | Self::ArgumentOutOfRange { text, .. }
            | Self::UnknownTenant { text, .. }
            | Self::UnknownService { text, .. }
            | Self::UnknownAsset { text, .. }
            | Self::DuplicateTenant { text, .. }
            | Self::DuplicateSiren { text, .. }
            | Self::DuplicateSiret { text, .. }
            | Self::DuplicateService { text, .. }
            | Self::DuplicateAsset { text, .. }
            | Self::InvalidMembership { text, .. }
            | Self::AssetCycle { text, .. }
            | Self::DatesOutOfOrder { text, .. }
            | Self::OutsideAssetLife { text, .. }
            | Self::CustodyOverlap { text, .. }
            | Self::CustodyToOwner { text, .. }
            | Self::TransferRefused { text, .. }
            | Self::InvalidRegistration { text, .. }
            | Self::InvalidVin { text, .. }
            | Self::NotInFleet { text, .. }
            | Self::MeterRegression { text, .. }
            | Self::InvalidRna { text, .. }
            | Self::UnknownParty { text, .. }
            | Self::DuplicateParty { text, .. }
            | Self::UnknownLease { text, .. }
            | Self::DuplicateLease { text, .. }
            | Self::UnknownMeter { text, .. }
            | Self::DuplicateMeter { text, .. }
            | Self::InvalidDeliveryPoint { text, .. }
            | Self::IndexBelowLast { text, .. }
            | Self::UnitMismatch { text, .. }
            | Self::NegativeConsumption { text, .. }
            | Self::ReferenceYearTooEarly { text, .. }
            | Self::MissingDju { text, .. }
            | Self::LeaseOverlap { text, .. }
            | Self::MissingIndexValue { text, .. }
            | Self::NotFurniture { text, .. }
            | Self::UnknownInventoryNumber { text, .. }
            | Self::DuplicateInventoryNumber { text, .. }
            | Self::NotALocation { text, .. }
            | Self::CrossTenantMove { text, .. }
            | Self::ItemReformed { text, .. }
            | Self::ReformBeforePurchase { text, .. }
            | Self::UnknownCampaign { text, .. }
            | Self::DuplicateCampaign { text, .. }
            | Self::CampaignClosed { text, .. }
            | Self::OutsideCampaign { text, .. }
            | Self::NegativeAmount { text, .. }
            | Self::KeyOverlap { text, .. }
            | Self::NothingToEnd { text, .. }
            | Self::WeightsSumToZero { text, .. }
            | Self::DuplicateKeyTenant { text, .. }
            | Self::SubCentAmount { text, .. }
            | Self::AmountOutOfRange { text, .. }
            | Self::UnknownVatRate { text, .. }
            | Self::VatRateNotInForce { text, .. }
            | Self::InvalidQuantity { text, .. }
            | Self::UnknownPrincipal { text, .. }
            | Self::Forbidden { text, .. }
            | Self::DuplicatePrincipal { text, .. }
            | Self::UnknownRole { text, .. }
            | Self::DuplicateRole { text, .. }
            | Self::UnknownSupplier { text, .. }
            | Self::DuplicateSupplier { text, .. }
            | Self::UnknownTeam { text, .. }
            | Self::DuplicateTeam { text, .. }
            | Self::UnknownStore { text, .. }
            | Self::DuplicateStore { text, .. }
            | Self::UnknownItem { text, .. }
            | Self::DuplicateItem { text, .. }
            | Self::UnknownRequest { text, .. }
            | Self::DuplicateRequest { text, .. }
            | Self::UnknownWorkOrder { text, .. }
            | Self::DuplicateWorkOrder { text, .. }
            | Self::RateAlreadySet { text, .. }
            | Self::NoRate { text, .. }
            | Self::UnknownAgent { text, .. }
            | Self::DuplicateAgent { text, .. }
            | Self::UnknownWorkwearItem { text, .. }
            | Self::DuplicateWorkwearItem { text, .. }
            | Self::SizeNotOffered { text, .. }
            | Self::AllotmentExceeded { text, .. }
            | Self::AgentNotAssigned { text, .. }
            | Self::InsufficientStock { text, .. }
            | Self::IllegalTransition { text, .. }
            | Self::TimeOutOfOrder { text, .. }
            | Self::WorkOrderNotOpen { text, .. }
            | Self::UnknownAgreement { text, .. }
            | Self::DuplicateAgreement { text, .. }
            | Self::AgreementOverlap { text, .. }
            | Self::UnknownBudget { text, .. }
            | Self::DuplicateBudget { text, .. }
            | Self::BudgetExceeded { text, .. }
            | Self::BudgetLineMismatch { text, .. }
            | Self::UnknownOperation { text, .. }
            | Self::DuplicateOperation { text, .. }
            | Self::CpMismatch { text, .. }
            | Self::YearClosed { text, .. }
            | Self::YearNotNext { text, .. }
            | Self::RevisionBelowPaid { text, .. }
            | Self::CyclicDependency { text, .. }
            | Self::Storage { text, .. }
            | Self::CorruptStore { text, .. }
            | Self::Cancelled { text, .. }
            | Self::TamperedJournal { text, .. }
            | Self::SchemaTooNew { text, .. }
            | Self::StaleState { text, .. }
            | Self::StaleCopy { text, .. }
            | Self::UncommittedChanges { text, .. }
            | Self::CsvRows { text, .. }
            | Self::UnknownTable { text, .. }
            | Self::MissingColumn { text, .. }
            | Self::ColumnType { text, .. }
            | Self::FloatColumn { text, .. }
            | Self::IngestRow { text, .. }
            | Self::IngestRead { text, .. }
            | Self::InvalidJson { text, .. }
            | Self::UnsupportedFormat { text, .. }
            | Self::ReportTotalMismatch { text, .. }
            | Self::UnknownServiceCode { text, .. }
            | Self::AwaitingRouting { text, .. }
            | Self::UnknownToken { text, .. }
            | Self::MissingLocation { text, .. }
            | Self::Io { text, .. }
            | Self::Internal { text, .. } => text,
        }
    }

    /// The same error (same Kotlin subclass, same fields) with its message
    /// rewritten.
    pub(crate) fn map_message(mut self, f: impl FnOnce(String) -> String) -> Self {
        let text = self.text_mut();
        *text = f(std::mem::take(text));
        self
    }
}

/// Builds the error returned by a failed custom-type lift (BigDecimal or
/// LocalDate that Rust cannot represent). UniFFI downcasts it back to
/// [`MutualisError`], so Kotlin gets a typed exception, not an internal one.
pub(crate) fn lift_error(e: MutualisError) -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::Error::new(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Must;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    /// snake_case name of a binding variant, to compare with `mutualis::Error::kind`.
    fn kind(e: &MutualisError) -> String {
        let debug = format!("{e:?}");
        let name = debug.split([' ', '(', '{']).next().unwrap_or_default();
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_core_variant_maps_to_its_namesake_with_the_core_message() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).must();
        let instant = chrono::DateTime::from_timestamp(1_773_302_400, 0).must();
        let s = || "X".to_owned();
        let all = vec![
            mx::Error::InvalidSiren {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidSiret {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidInsee {
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidCode {
                what: "asset",
                value: s(),
                reason: "r",
            },
            mx::Error::InvalidField {
                field: "f",
                reason: s(),
            },
            mx::Error::UnknownKind {
                what: "w",
                value: s(),
                expected: "e",
            },
            mx::Error::UnknownTenant(s()),
            mx::Error::UnknownService {
                tenant: s(),
                service: s(),
            },
            mx::Error::UnknownAsset(s()),
            mx::Error::DuplicateTenant(s()),
            mx::Error::DuplicateSiren {
                siren: s(),
                tenant: s(),
            },
            mx::Error::DuplicateService {
                tenant: s(),
                service: s(),
            },
            mx::Error::DuplicateAsset(s()),
            mx::Error::InvalidMembership {
                member: s(),
                group: s(),
                reason: "r",
            },
            mx::Error::AssetCycle {
                asset: s(),
                parent: s(),
            },
            mx::Error::DatesOutOfOrder { from: day, to: day },
            mx::Error::OutsideAssetLife {
                asset: s(),
                date: day,
                life: s(),
            },
            mx::Error::CustodyOverlap {
                asset: s(),
                beneficiary: s(),
                period: s(),
                existing_beneficiary: s(),
                existing: s(),
            },
            mx::Error::CustodyToOwner {
                asset: s(),
                owner: s(),
            },
            mx::Error::TransferRefused {
                asset: s(),
                owner: s(),
                from: day,
                reason: s(),
            },
            mx::Error::InvalidRegistration {
                value: s(),
                reason: "bad",
            },
            mx::Error::InvalidVin {
                value: s(),
                reason: "bad",
            },
            mx::Error::NotInFleet {
                asset: s(),
                reason: s(),
            },
            mx::Error::MeterRegression {
                vehicle: s(),
                meter: "km",
                value: 1,
                date: day,
                last: 2,
                last_date: day,
            },
            mx::Error::InvalidRna {
                value: s(),
                reason: "bad",
            },
            mx::Error::UnknownParty(s()),
            mx::Error::DuplicateParty(s()),
            mx::Error::UnknownLease(s()),
            mx::Error::DuplicateLease(s()),
            mx::Error::UnknownMeter(s()),
            mx::Error::DuplicateMeter(s()),
            mx::Error::InvalidDeliveryPoint {
                value: s(),
                reason: s(),
            },
            mx::Error::IndexBelowLast {
                meter: s(),
                index: Decimal::ONE,
                date: day,
                last: Decimal::TWO,
                last_date: day,
            },
            mx::Error::UnitMismatch {
                meter: s(),
                expected: s(),
                given: s(),
            },
            mx::Error::NegativeConsumption {
                field: "consumption",
                value: Decimal::NEGATIVE_ONE,
            },
            mx::Error::ReferenceYearTooEarly(2009),
            mx::Error::MissingDju {
                station: s(),
                year: Some(2026),
            },
            mx::Error::LeaseOverlap {
                asset: s(),
                lease: s(),
                existing: s(),
            },
            mx::Error::MissingIndexValue {
                series: s(),
                quarter: s(),
            },
            mx::Error::NegativeAmount {
                field: "rent",
                amount: Decimal::NEGATIVE_ONE,
            },
            mx::Error::NotFurniture {
                asset: s(),
                reason: s(),
            },
            mx::Error::UnknownInventoryNumber(s()),
            mx::Error::DuplicateInventoryNumber {
                number: s(),
                asset: s(),
            },
            mx::Error::NotALocation {
                asset: s(),
                kind: "equipment",
                expected: "a room",
            },
            mx::Error::CrossTenantMove {
                number: s(),
                location: s(),
                reason: s(),
            },
            mx::Error::ItemReformed {
                number: s(),
                date: day,
            },
            mx::Error::ReformBeforePurchase {
                number: s(),
                date: day,
                purchase: day,
            },
            mx::Error::UnknownCampaign(s()),
            mx::Error::DuplicateCampaign(s()),
            mx::Error::CampaignClosed {
                campaign: s(),
                closed: day,
            },
            mx::Error::OutsideCampaign {
                campaign: s(),
                asset: s(),
            },
            mx::Error::KeyOverlap {
                asset: s(),
                period: s(),
                existing: s(),
            },
            mx::Error::NothingToEnd {
                asset: s(),
                what: "custody",
            },
            mx::Error::WeightsSumToZero { count: 0 },
            mx::Error::DuplicateKeyTenant(s()),
            mx::Error::SubCentAmount(Decimal::ONE),
            mx::Error::AmountOutOfRange(Decimal::ONE),
            mx::Error::UnknownVatRate(Decimal::ONE),
            mx::Error::InvalidQuantity {
                what: "hours",
                value: Decimal::ZERO,
            },
            mx::Error::UnknownSupplier(s()),
            mx::Error::DuplicateSupplier(s()),
            mx::Error::UnknownTeam(s()),
            mx::Error::DuplicateTeam(s()),
            mx::Error::UnknownStore(s()),
            mx::Error::DuplicateStore(s()),
            mx::Error::UnknownItem(s()),
            mx::Error::DuplicateItem(s()),
            mx::Error::UnknownRequest(s()),
            mx::Error::DuplicateRequest(s()),
            mx::Error::UnknownWorkOrder(s()),
            mx::Error::DuplicateWorkOrder(s()),
            mx::Error::RateAlreadySet {
                what: "labour",
                detail: s(),
            },
            mx::Error::NoRate {
                what: "vehicle",
                detail: s(),
            },
            mx::Error::InsufficientStock {
                store: s(),
                item: s(),
                requested: Decimal::TWO,
                on_hand: Decimal::ONE,
            },
            mx::Error::UnknownAgent {
                tenant: s(),
                matricule: s(),
            },
            mx::Error::DuplicateAgent {
                tenant: s(),
                matricule: s(),
            },
            mx::Error::UnknownWorkwearItem(s()),
            mx::Error::DuplicateWorkwearItem(s()),
            mx::Error::SizeNotOffered {
                item: s(),
                size: s(),
            },
            mx::Error::AllotmentExceeded {
                tenant: s(),
                matricule: s(),
                item: s(),
                allowed: 2,
                already: Decimal::TWO,
                requested: Decimal::ONE,
            },
            mx::Error::AgentNotAssigned {
                tenant: s(),
                matricule: s(),
                date: day,
            },
            mx::Error::IllegalTransition {
                what: "work order",
                code: s(),
                from: "planned",
                to: "closed",
            },
            mx::Error::TimeOutOfOrder {
                code: s(),
                at: instant,
                last: instant,
            },
            mx::Error::WorkOrderNotOpen {
                code: s(),
                status: "planned",
            },
            mx::Error::UnknownAgreement(s()),
            mx::Error::DuplicateAgreement(s()),
            mx::Error::AgreementOverlap {
                code: s(),
                existing: s(),
            },
            mx::Error::UnknownBudget {
                tenant: s(),
                year: 2026,
                line: Some(s()),
            },
            mx::Error::DuplicateBudget {
                tenant: s(),
                year: 2026,
                line: None,
            },
            mx::Error::BudgetExceeded {
                tenant: s(),
                year: 2026,
                line: s(),
                work_order: s(),
                amount: Decimal::TWO,
                remaining: Decimal::ONE,
            },
            mx::Error::BudgetLineMismatch {
                tenant: s(),
                line: s(),
                reason: s(),
            },
            mx::Error::InvalidJson {
                line: 1,
                column: 2,
                message: s(),
            },
            mx::Error::UnsupportedFormat {
                format: s(),
                version: 2,
                supported: "v1",
            },
            mx::Error::UnknownOperation(s()),
            mx::Error::DuplicateOperation(s()),
            mx::Error::CpMismatch {
                ap: s(),
                reason: s(),
            },
            mx::Error::YearClosed {
                ap: s(),
                year: 2025,
            },
            mx::Error::RevisionBelowPaid {
                ap: s(),
                amount: Decimal::ONE,
                paid: Decimal::TWO,
            },
            mx::Error::CyclicDependency(s()),
            mx::Error::Storage { message: s() },
            mx::Error::CorruptStore { message: s() },
            mx::Error::SchemaTooNew {
                found: 2,
                supported: 1,
            },
            mx::Error::StaleState { seen: 6, stored: 7 },
            mx::Error::StaleCopy { head: 8 },
            mx::Error::UncommittedChanges { pending: 2 },
            mx::Error::CsvRows {
                errors: vec![(3, s())],
            },
            mx::Error::ReportTotalMismatch {
                table: s(),
                column: s(),
                rows: Decimal::ONE,
                total: Decimal::TWO,
            },
            mx::Error::UnknownServiceCode(s()),
            mx::Error::AwaitingRouting(s()),
            mx::Error::UnknownToken(s()),
            mx::Error::MissingLocation(s()),
            mx::Error::UnknownTable(s()),
            mx::Error::MissingColumn {
                table: "t",
                column: "c",
            },
            mx::Error::ColumnType {
                table: "t",
                column: "c",
                found: s(),
                expected: "e",
            },
            mx::Error::FloatColumn {
                table: "t",
                column: "c",
            },
            mx::Error::IngestRow {
                table: "t",
                row: 2,
                column: None,
                error: Box::new(mx::Error::UnknownTeam(s())),
            },
            mx::Error::IngestRead { message: s() },
            mx::Error::YearOutOfRange {
                field: "year",
                year: 20026,
                min: 1900,
                max: 2200,
            },
            mx::Error::ArgumentOutOfRange {
                argument: "priority",
                value: s(),
                range: s(),
            },
            mx::Error::DuplicateSiret {
                siret: s(),
                supplier: s(),
            },
            mx::Error::YearNotNext {
                ap: s(),
                year: 2030,
                next: 2026,
            },
            mx::Error::VatRateNotInForce {
                rate: Decimal::TWO,
                date: NaiveDate::from_ymd_opt(2013, 6, 1).must(),
                in_force: s(),
            },
            mx::Error::TamperedJournal { seq: 3 },
            mx::Error::UnknownPrincipal(s()),
            mx::Error::DuplicatePrincipal(s()),
            mx::Error::UnknownRole(s()),
            mx::Error::DuplicateRole(s()),
            mx::Error::Forbidden {
                principal: s(),
                action: s(),
                target: s(),
            },
            mx::Error::Cancelled {
                done: 1024,
                total: 2006,
            },
        ];
        // Every core variant is listed above (the count of `Error::kind` arms).
        assert_eq!(all.len(), 129);
        for e in all {
            let core_kind = e.kind();
            let core_msg = e.to_string();
            let ours = MutualisError::from(e);
            assert_eq!(kind(&ours), core_kind);
            assert_eq!(ours.to_string(), core_msg);
            assert_eq!(ours.text(), core_msg);
        }
    }

    #[test]
    fn map_message_keeps_the_variant() {
        let e = MutualisError::from(mx::Error::UnknownStore("X".into()));
        let e = e.map_message(|m| format!("row 3: {m}"));
        assert_eq!(
            e,
            MutualisError::UnknownStore {
                code: "X".into(),
                text: "row 3: unknown store \"X\"".into()
            }
        );
    }
}
