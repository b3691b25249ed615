//! The one error type of the crate.
//!
//! Every fallible operation returns [`Error`]; a command that fails changes
//! nothing. Each variant names what was wrong and with which value, so the
//! message can be shown to a user as is. The bindings map each variant to an
//! exception class of its own (Python) or a sealed-class case (Kotlin).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in Mutualis.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A SIREN (company identifier of a collectivité) is not 9 digits with a valid Luhn key.
    #[error("invalid SIREN {value:?}: {reason}")]
    InvalidSiren {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A SIRET (establishment identifier of a supplier) is not 14 digits with a valid key.
    #[error("invalid SIRET {value:?}: {reason}")]
    InvalidSiret {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// An INSEE commune code is malformed, missing for a commune, or given for a non-commune.
    #[error("invalid INSEE code {value:?}: {reason}")]
    InvalidInsee {
        /// The value given (empty when it was missing).
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A human code (tenant, service, asset) is empty, too long or has characters outside `A-Z a-z 0-9 - _ . /`.
    #[error("invalid {what} code {value:?}: {reason}")]
    InvalidCode {
        /// What the code was for ("tenant", "asset"…).
        what: &'static str,
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A name or free-text field is empty or otherwise unusable.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// A kind name (tenant kind, asset kind, key basis…) is not one the library knows.
    #[error("unknown {what} kind {value:?}; expected one of: {expected}")]
    UnknownKind {
        /// Which enumeration.
        what: &'static str,
        /// The value given.
        value: String,
        /// The accepted names, comma-separated.
        expected: &'static str,
    },
    /// A year (or a date's year) is outside the years Mutualis accepts:
    /// [`crate::YEARS`] (1900..=2200), or [`crate::ASSET_YEARS`] for the
    /// commissioning of an asset (historic buildings).
    #[error("{field}: year {year} is outside {min}..={max}")]
    YearOutOfRange {
        /// Which argument or field.
        field: &'static str,
        /// The year given.
        year: i64,
        /// First year accepted.
        min: i32,
        /// Last year accepted.
        max: i32,
    },
    /// An integer argument does not fit the range its parameter accepts
    /// (raised by the bindings' argument conversion, which names the argument).
    #[error("argument {argument:?}: {value} is outside {range}")]
    ArgumentOutOfRange {
        /// The argument's name.
        argument: &'static str,
        /// The value given, as written.
        value: String,
        /// The accepted range, e.g. `"0..=4294967295"`.
        range: String,
    },
    /// No tenant (collectivité) has this code.
    #[error("unknown tenant {0:?}")]
    UnknownTenant(String),
    /// The tenant has no service with this code.
    #[error("unknown service {service:?} of tenant {tenant:?}")]
    UnknownService {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
    },
    /// No asset has this code.
    #[error("unknown asset {0:?}")]
    UnknownAsset(String),
    /// A tenant with this code already exists.
    #[error("tenant {0:?} already exists")]
    DuplicateTenant(String),
    /// Another tenant already has this SIREN.
    #[error("SIREN {siren} is already used by tenant {tenant:?}")]
    DuplicateSiren {
        /// The SIREN.
        siren: String,
        /// The tenant that has it.
        tenant: String,
    },
    /// Another supplier already has this SIRET.
    #[error("SIRET {siret} is already used by supplier {supplier:?}")]
    DuplicateSiret {
        /// The SIRET.
        siret: String,
        /// The supplier that has it.
        supplier: String,
    },
    /// The tenant already has a service with this code.
    #[error("service {service:?} of tenant {tenant:?} already exists")]
    DuplicateService {
        /// Tenant code.
        tenant: String,
        /// Service code.
        service: String,
    },
    /// An asset with this code already exists.
    #[error("asset {0:?} already exists")]
    DuplicateAsset(String),
    /// A membership is not allowed (a commune joining a commune, two EPCI à fiscalité propre, itself…).
    #[error("tenant {member:?} cannot be a member of {group:?}: {reason}")]
    InvalidMembership {
        /// The member tenant code.
        member: String,
        /// The group tenant code.
        group: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Setting this parent would make the asset its own ancestor.
    #[error("asset {asset:?} cannot be placed under {parent:?}: that would make a cycle")]
    AssetCycle {
        /// The asset being moved.
        asset: String,
        /// The requested parent.
        parent: String,
    },
    /// A period ends before it starts (first and last days are inclusive).
    #[error("dates out of order: {from} is after {to}")]
    DatesOutOfOrder {
        /// The first day given.
        from: NaiveDate,
        /// The last day given.
        to: NaiveDate,
    },
    /// A date falls outside the asset's life (before commissioning or after decommissioning).
    #[error("{date} is outside the life of asset {asset:?} ({life})")]
    OutsideAssetLife {
        /// Asset code.
        asset: String,
        /// The date given.
        date: NaiveDate,
        /// The asset's life, e.g. "in service from 1975-09-01".
        life: String,
    },
    /// A custody period (mise à disposition) overlaps one already recorded for the asset.
    #[error("custody of {asset:?} to {beneficiary:?} over {period} overlaps the existing custody to {existing_beneficiary:?} over {existing}")]
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
    },
    /// Custody was requested to the asset's own owner, which CGCT L1321-1 does not provide for.
    #[error("asset {asset:?} cannot be put at the disposal of its own owner {owner:?}")]
    CustodyToOwner {
        /// Asset code.
        asset: String,
        /// Owner code.
        owner: String,
    },
    /// A transfer of ownership (transfert de propriété) is refused: the new
    /// owner already owns the asset on that date, or the date is not after the
    /// asset's last transfer (history is appended, never rewritten).
    #[error("cannot transfer {asset:?} to {owner:?} from {from}: {reason}")]
    TransferRefused {
        /// Asset code.
        asset: String,
        /// The new owner's code.
        owner: String,
        /// First day of the new ownership.
        from: NaiveDate,
        /// Why it was refused.
        reason: String,
    },
    /// A registration number (immatriculation) is neither SIV `AB-123-CD`
    /// (no I, O, U; not `SS`, `WW`…) nor old FNI `123 ABC 45`, or one is given
    /// for a machine that has none.
    #[error("invalid registration number {value:?}: {reason}")]
    InvalidRegistration {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A VIN is not 17 characters of `A-Z 0-9` without I, O, Q.
    #[error("invalid VIN {value:?}: {reason}")]
    InvalidVin {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The asset is not in the fleet register (or cannot be: not a vehicle
    /// or equipment, already registered), or a fleet record refers to an
    /// unknown plan.
    #[error("{asset:?} {reason}")]
    NotInFleet {
        /// Asset (or plan) code.
        asset: String,
        /// Why it was refused.
        reason: String,
    },
    /// A meter reading is lower than the last one, or dated before it (a
    /// meter replacement must be recorded first).
    #[error("{meter} reading {value} of {vehicle:?} on {date} is below the last reading {last} on {last_date}")]
    MeterRegression {
        /// Vehicle code.
        vehicle: String,
        /// The meter (`km`, `hours`).
        meter: &'static str,
        /// The reading refused.
        value: u64,
        /// Its date.
        date: NaiveDate,
        /// The last reading kept.
        last: u64,
        /// Its date.
        last_date: NaiveDate,
    },
    /// An association's RNA number is not `W` followed by 9 digits.
    #[error("invalid RNA number {value:?}: {reason}")]
    InvalidRna {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// No party (lessee or lessor of a contract) has this code.
    #[error("unknown party {0:?}")]
    UnknownParty(String),
    /// A party with this code already exists.
    #[error("party {0:?} already exists")]
    DuplicateParty(String),
    /// No lease or occupation agreement has this code.
    #[error("unknown lease {0:?}")]
    UnknownLease(String),
    /// A lease with this code already exists.
    #[error("lease {0:?} already exists")]
    DuplicateLease(String),
    /// No energy meter has this code.
    #[error("unknown meter {0:?}")]
    UnknownMeter(String),
    /// An energy meter with this code already exists.
    #[error("meter {0:?} already exists")]
    DuplicateMeter(String),
    /// A delivery point number is malformed (PDL/PRM: 14 digits; PCE: 14 digits or GI + 6 digits).
    #[error("invalid delivery point {value:?}: {reason}")]
    InvalidDeliveryPoint {
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// An index reading is below the index the meter counts from (record a
    /// replacement with its final and new index instead).
    #[error(
        "index {index} of meter {meter:?} on {date} is below the last index {last} on {last_date}"
    )]
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
    },
    /// A quantity is not in the meter's unit (or a sub-meter's energy/unit is not its parent's).
    #[error("meter {meter:?} counts in {expected}, not {given}")]
    UnitMismatch {
        /// Meter code.
        meter: String,
        /// Its unit (and energy, for a sub-meter).
        expected: String,
        /// The unit given.
        given: String,
    },
    /// A consumption or an index is negative.
    #[error("{field} {value} is negative")]
    NegativeConsumption {
        /// Which field.
        field: &'static str,
        /// The value given.
        value: Decimal,
    },
    /// A décret tertiaire reference year is before 2010 (CCH R174-23).
    #[error("reference year {0} is before 2010")]
    ReferenceYearTooEarly(i32),
    /// Degree days are missing for a station: a year's (`year`) or its reference (none).
    #[error("no degree days for station {station:?}{}", year.map_or(" reference".to_owned(), |y| format!(" in {y}")))]
    MissingDju {
        /// Weather station.
        station: String,
        /// The year (none: the reference).
        year: Option<i32>,
    },
    /// An exclusive contract would overlap another contract of the same side on the asset (or the reverse).
    #[error("lease {lease:?} on {asset:?} overlaps {existing:?}, and one of them is exclusive")]
    LeaseOverlap {
        /// Asset code.
        asset: String,
        /// The contract refused.
        lease: String,
        /// The contract it overlaps.
        existing: String,
    },
    /// An index series has no value for a quarter a revision needs.
    #[error("index {series:?} has no value for {quarter}")]
    MissingIndexValue {
        /// Series name ("ILC"…).
        series: String,
        /// The quarter (`2025-Q3`).
        quarter: String,
    },
    /// The asset is not in the furniture register (or cannot be: not of kind furniture, already registered).
    #[error("{asset:?} {reason}")]
    NotFurniture {
        /// Asset code.
        asset: String,
        /// Why it was refused.
        reason: String,
    },
    /// No furniture item has this inventory number.
    #[error("unknown inventory number {0:?}")]
    UnknownInventoryNumber(String),
    /// A furniture item with this inventory number already exists (numbers are unique in the group).
    #[error("inventory number {number:?} is already that of {asset:?}")]
    DuplicateInventoryNumber {
        /// The inventory number.
        number: String,
        /// The asset that has it.
        asset: String,
    },
    /// Furniture is located (or a scan found, or a campaign opened) in an asset of a kind that cannot be one (a move to a non-room asset).
    #[error("{asset:?} is of kind {kind}, not {expected}")]
    NotALocation {
        /// Asset code.
        asset: String,
        /// Its kind.
        kind: &'static str,
        /// The kinds accepted.
        expected: &'static str,
    },
    /// A plain move to premises of another collectivité: record a transfer of ownership or a loan instead (or the reverse).
    #[error("{number:?} to {location:?}: {reason}")]
    CrossTenantMove {
        /// The item's inventory number.
        number: String,
        /// The location asked.
        location: String,
        /// Why it was refused.
        reason: String,
    },
    /// A reformed furniture item cannot be moved, lent, changed or reformed again.
    #[error("furniture item {number:?} was reformed on {date}")]
    ItemReformed {
        /// The item's inventory number.
        number: String,
        /// Its reform's date.
        date: NaiveDate,
    },
    /// A reform is dated before the item's purchase.
    #[error(
        "furniture item {number:?} cannot be reformed on {date}, before its purchase on {purchase}"
    )]
    ReformBeforePurchase {
        /// The item's inventory number.
        number: String,
        /// The reform's date.
        date: NaiveDate,
        /// The purchase's date.
        purchase: NaiveDate,
    },
    /// No inventory campaign has this code.
    #[error("unknown inventory campaign {0:?}")]
    UnknownCampaign(String),
    /// An inventory campaign with this code already exists.
    #[error("inventory campaign {0:?} already exists")]
    DuplicateCampaign(String),
    /// A scan or a closing in a campaign already closed.
    #[error("inventory campaign {campaign:?} was closed on {closed}")]
    CampaignClosed {
        /// Campaign code.
        campaign: String,
        /// Its closing date.
        closed: NaiveDate,
    },
    /// A scan in a location outside the campaign's building or site.
    #[error("{asset:?} is outside the perimeter of inventory campaign {campaign:?}")]
    OutsideCampaign {
        /// Campaign code.
        campaign: String,
        /// The location given.
        asset: String,
    },
    /// An amount that cannot be negative (a rent, a provision, a deposit, charges, a receipt) is.
    #[error("{field} cannot be negative: {amount}")]
    NegativeAmount {
        /// Which amount.
        field: &'static str,
        /// The value given.
        amount: Decimal,
    },
    /// A sharing key's validity overlaps another key of the same asset.
    #[error("sharing key of {asset:?} over {period} overlaps the existing key over {existing}")]
    KeyOverlap {
        /// Asset code.
        asset: String,
        /// Requested period.
        period: String,
        /// Existing period.
        existing: String,
    },
    /// No open-ended period exists to close (custody or sharing key).
    #[error("asset {asset:?} has no open-ended {what} to end")]
    NothingToEnd {
        /// Asset code.
        asset: String,
        /// "custody" or "sharing key".
        what: &'static str,
    },
    /// Split weights are empty or sum to zero.
    #[error("weights must have a positive sum (got {count} weight(s) summing to zero)")]
    WeightsSumToZero {
        /// How many weights were given.
        count: usize,
    },
    /// The same tenant appears twice in one sharing key.
    #[error("tenant {0:?} appears twice in the sharing key")]
    DuplicateKeyTenant(String),
    /// An amount was expected in whole cents but has a finer fraction.
    #[error("amount {0} is not a whole number of cents")]
    SubCentAmount(Decimal),
    /// An amount is too large to be handled exactly.
    #[error("amount {0} is out of the supported range")]
    AmountOutOfRange(Decimal),
    /// A VAT rate that France never applied in the dated table (CGI art. 278 ff.).
    #[error("unknown VAT rate {0} %; rates in force are 20, 10, 5.5 and 2.1 (before 2014 also 19.6, 7, 20.6 and 18.6)")]
    UnknownVatRate(Decimal),
    /// A VAT rate was not in force on the line's date (CGI art. 278 ff., dated table).
    #[error("VAT rate {rate} % was not in force on {date}; rates then: {in_force}")]
    VatRateNotInForce {
        /// The rate given (percent).
        rate: Decimal,
        /// The line's date.
        date: NaiveDate,
        /// The rates in force on that date, comma-separated.
        in_force: String,
    },
    /// A quantity, rate or amount is zero or negative where it must be positive.
    #[error("{what} must be positive (got {value})")]
    InvalidQuantity {
        /// What was measured ("hours", "quantity issued", "rate"…).
        what: &'static str,
        /// The value given.
        value: Decimal,
    },
    /// No principal (user, contractor, citizen) has this code.
    #[error("unknown principal {0:?}")]
    UnknownPrincipal(String),
    /// A principal's grants do not permit this action on this target (the
    /// call changed nothing).
    #[error("{principal:?} may not {action} on {target}")]
    Forbidden {
        /// The principal's code.
        principal: String,
        /// The permission missing, as a role names it (`"work:write"`),
        /// with the command or query refused (`"work:write (cost_recorded)"`).
        action: String,
        /// What the call touched that no grant covers (`"work order BT-18"`,
        /// `"tenant ROANNE"`, `"the group"`).
        target: String,
    },
    /// A principal with this code already exists.
    #[error("principal {0:?} already exists")]
    DuplicatePrincipal(String),
    /// No role has this code.
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    /// A role with this code already exists.
    #[error("role {0:?} already exists")]
    DuplicateRole(String),
    /// No supplier has this code.
    #[error("unknown supplier {0:?}")]
    UnknownSupplier(String),
    /// A supplier with this code already exists.
    #[error("supplier {0:?} already exists")]
    DuplicateSupplier(String),
    /// No régie team has this code.
    #[error("unknown team {0:?}")]
    UnknownTeam(String),
    /// A team with this code already exists.
    #[error("team {0:?} already exists")]
    DuplicateTeam(String),
    /// No store has this code.
    #[error("unknown store {0:?}")]
    UnknownStore(String),
    /// A store with this code already exists.
    #[error("store {0:?} already exists")]
    DuplicateStore(String),
    /// No catalogue item has this code.
    #[error("unknown item {0:?}")]
    UnknownItem(String),
    /// An item with this code already exists.
    #[error("item {0:?} already exists")]
    DuplicateItem(String),
    /// No request has this code.
    #[error("unknown request {0:?}")]
    UnknownRequest(String),
    /// A request with this code already exists.
    #[error("request {0:?} already exists")]
    DuplicateRequest(String),
    /// No request category has this code (the Open311 `service_code`).
    #[error("unknown service_code {0:?}: no request category has this code")]
    UnknownServiceCode(String),
    /// The request waits for manual routing: it has a token, not yet an id
    /// (route it by hand first).
    #[error("request {0:?} is waiting for manual routing")]
    AwaitingRouting(String),
    /// No request, routed or waiting for manual routing, has this token.
    #[error("unknown token {0:?}")]
    UnknownToken(String),
    /// A request needs a location: `lat` and `long`, `address_string` or
    /// `address_id`.
    #[error("missing location: {0}")]
    MissingLocation(String),
    /// No work order has this code.
    #[error("unknown work order {0:?}")]
    UnknownWorkOrder(String),
    /// A work order with this code already exists.
    #[error("work order {0:?} already exists")]
    DuplicateWorkOrder(String),
    /// A rate is already recorded for this key (rates are history, not overwritten).
    #[error("{what} rate already set for {detail}")]
    RateAlreadySet {
        /// "labour" or "vehicle".
        what: &'static str,
        /// The key, e.g. "ROANNE 2026 team ROANNE-SPORTS".
        detail: String,
    },
    /// No rate applies to a cost line.
    #[error("no {what} rate for {detail}")]
    NoRate {
        /// "labour" or "vehicle".
        what: &'static str,
        /// What was looked up.
        detail: String,
    },
    /// No agent of this tenant has this matricule (workwear).
    #[error("unknown agent {matricule:?} of {tenant:?}")]
    UnknownAgent {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
    },
    /// An agent with this matricule already exists in the tenant.
    #[error("agent {matricule:?} of {tenant:?} already exists")]
    DuplicateAgent {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
    },
    /// No item of the workwear catalogue has this code.
    #[error("unknown workwear item {0:?}")]
    UnknownWorkwearItem(String),
    /// A workwear catalogue item with this code already exists.
    #[error("workwear item {0:?} already exists")]
    DuplicateWorkwearItem(String),
    /// The size asked is not one the workwear item offers (or none was given for an item with sizes).
    #[error("workwear item {item:?} is not offered in size {size:?}")]
    SizeNotOffered {
        /// Catalogue item code.
        item: String,
        /// The size given (empty when none was).
        size: String,
    },
    /// An issue would exceed the agent's allotment for its period, and the tenant's policy refuses it.
    #[error("issuing {requested} of {item:?} to agent {matricule:?} of {tenant:?} exceeds the allotment of {allowed} per period ({already} already issued in it)")]
    AllotmentExceeded {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// Catalogue item code.
        item: String,
        /// The allotment's quantity per period (0: none for this item).
        allowed: u32,
        /// Already issued in the period ending on the day.
        already: Decimal,
        /// Quantity asked.
        requested: Decimal,
    },
    /// The agent is not assigned on the date of the issue (before its start or after its end).
    #[error("agent {matricule:?} of {tenant:?} is not assigned on {date}")]
    AgentNotAssigned {
        /// Tenant code.
        tenant: String,
        /// Matricule.
        matricule: String,
        /// The date.
        date: NaiveDate,
    },
    /// An issue asks for more than the store holds (DOMAIN §5).
    #[error("cannot issue {requested} of {item:?} from {store:?}: only {on_hand} on hand")]
    InsufficientStock {
        /// Store code.
        store: String,
        /// Item code.
        item: String,
        /// Quantity asked.
        requested: Decimal,
        /// Quantity on hand.
        on_hand: Decimal,
    },
    /// A status change not allowed by the lifecycle.
    #[error("{what} {code:?} cannot go from {from} to {to}")]
    IllegalTransition {
        /// "request" or "work order".
        what: &'static str,
        /// Its code.
        code: String,
        /// Current status.
        from: &'static str,
        /// Requested status.
        to: &'static str,
    },
    /// A timestamped change is earlier than the previous one.
    #[error("change of {code:?} at {at} is earlier than its previous change at {last}")]
    TimeOutOfOrder {
        /// Code of the request or work order.
        code: String,
        /// Time given.
        at: DateTime<Utc>,
        /// Time of the previous change.
        last: DateTime<Utc>,
    },
    /// Cost lines are recorded only on a work order in progress or done.
    #[error("work order {code:?} is {status}: cost lines are recorded only in progress or done")]
    WorkOrderNotOpen {
        /// Work order code.
        code: String,
        /// Its status.
        status: &'static str,
    },
    /// No agreement, pooled service or loan has this code.
    #[error("unknown agreement {0:?}")]
    UnknownAgreement(String),
    /// An agreement, pooled service or loan with this code already exists.
    #[error("agreement {0:?} already exists")]
    DuplicateAgreement(String),
    /// Two agreements of the same tenants would cover the same work on the same days.
    #[error("agreement {code:?} overlaps agreement {existing:?} (same tenants, scope and dates)")]
    AgreementOverlap {
        /// The new agreement.
        code: String,
        /// The existing one.
        existing: String,
    },
    /// No budget (or budget line) for this tenant and year.
    #[error("no budget{} of {tenant:?} {}", line.as_ref().map(|l| format!(" line {l:?}")).unwrap_or_default(), if *year == 0 { "in any year".to_owned() } else { format!("for {year}") })]
    UnknownBudget {
        /// Tenant code.
        tenant: String,
        /// Fiscal year (0 when any year was looked at).
        year: i32,
        /// Line code, when a line was looked up.
        line: Option<String>,
    },
    /// The budget (or budget line) already exists.
    #[error("budget{} of {tenant:?} for {year} already exists", line.as_ref().map(|l| format!(" line {l:?}")).unwrap_or_default())]
    DuplicateBudget {
        /// Tenant code.
        tenant: String,
        /// Fiscal year.
        year: i32,
        /// Line code, for a duplicate line.
        line: Option<String>,
    },
    /// A cost would take a budget line below zero and the budget refuses overruns.
    #[error("work order {work_order:?} would charge {amount} to budget line {line:?} of {tenant:?} {year}, which has {remaining} left")]
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
    },
    /// A budget line assigned to what it cannot receive: a revenue line
    /// (recettes) to a work order, an expense line to a contract's rent, a
    /// line of another collectivité than the contract's, a lessee's contract,
    /// a commitment on a revenue line.
    #[error("budget line {line:?} of {tenant:?} cannot be used here: {reason}")]
    BudgetLineMismatch {
        /// Tenant code.
        tenant: String,
        /// Budget line code.
        line: String,
        /// Why.
        reason: String,
    },
    /// No investment operation (or AP) has this code.
    #[error("unknown operation or AP {0:?}")]
    UnknownOperation(String),
    /// An operation (or AP) with this code already exists.
    #[error("operation or AP {0:?} already exists")]
    DuplicateOperation(String),
    /// A CP schedule does not fit its AP (sum, duplicate year, year before the vote, beyond a year's CP).
    #[error("CP of AP {ap:?} do not fit: {reason}")]
    CpMismatch {
        /// AP code.
        ap: String,
        /// What does not fit.
        reason: String,
    },
    /// The year is closed for this AP (payments and changes go to open years; years close in order).
    #[error("year {year} is closed for AP {ap:?}")]
    YearClosed {
        /// AP code.
        ap: String,
        /// The closed year.
        year: i32,
    },
    /// Years close in order: this year is not the next one to close.
    #[error("year {year} cannot be closed for AP {ap:?}: {next} must be closed first")]
    YearNotNext {
        /// AP code.
        ap: String,
        /// The year asked.
        year: i32,
        /// The next year to close.
        next: i32,
    },
    /// A revision would set the AP below what was already paid.
    #[error("AP {ap:?} cannot be revised to {amount}: {paid} is already paid")]
    RevisionBelowPaid {
        /// AP code.
        ap: String,
        /// Requested amount.
        amount: Decimal,
        /// Already paid.
        paid: Decimal,
    },
    /// Operations depend on each other in a cycle.
    #[error("operation {0:?} depends on itself through its dependencies")]
    CyclicDependency(String),
    /// The embedded store could not be read or written (I/O, locking).
    #[error("store error: {message}")]
    Storage {
        /// What SQLite said.
        message: String,
    },
    /// The file is not a Mutualis store, or it is damaged; it was not modified.
    #[error("not a usable Mutualis store: {message}")]
    CorruptStore {
        /// What is wrong.
        message: String,
    },
    /// A long operation was stopped by its caller's progress callback; nothing was changed.
    #[error("stopped by the caller after {done} of {total}: nothing was recorded")]
    Cancelled {
        /// Items done when it stopped.
        done: usize,
        /// Items in all.
        total: usize,
    },
    /// A stored event does not match the hash chain: the file was altered after it was written.
    #[error("the journal was altered: event {seq} does not match its hash chain")]
    TamperedJournal {
        /// Sequence number of the first event that fails verification.
        seq: i64,
    },
    /// The store was written by a newer version of the library; it was not modified.
    #[error("store schema version {found} is newer than this library's ({supported})")]
    SchemaTooNew {
        /// Version found in the file.
        found: i64,
        /// Version this library supports.
        supported: i64,
    },
    /// Another handle committed since this one last read the store: refresh and retry.
    #[error("the store has moved on (this handle saw event {seen}, the store has {stored}): refresh and retry")]
    StaleState {
        /// Last event this handle had seen.
        seen: i64,
        /// Last event in the store.
        stored: i64,
    },
    /// A working copy handed to a store's commit was not checked out from its current state.
    #[error("this working copy was not checked out from the store's current state (event {head}): check out again and redo")]
    StaleCopy {
        /// The store handle's last event.
        head: i64,
    },
    /// The store's registry holds changes not yet committed (a unit of work
    /// in progress): commit or roll them back first.
    #[error("the store's registry has {pending} uncommitted change(s): commit or roll back first")]
    UncommittedChanges {
        /// Journal entries recorded since the last commit.
        pending: usize,
    },
    /// A CSV import found bad rows (all-or-nothing mode): nothing was imported.
    #[error("{} bad row(s) in the CSV, nothing imported; first: line {}: {}", errors.len(), errors.first().map_or(0, |e| e.0), errors.first().map_or(String::new(), |e| e.1.clone()))]
    CsvRows {
        /// (line number, message) of every bad row.
        errors: Vec<(usize, String)>,
    },
    /// Bulk ingestion was given a table name that is not in the schema (docs/ingest.md).
    #[error("unknown table {0:?}; see docs/ingest.md for the tables")]
    UnknownTable(String),
    /// A table given for bulk ingestion lacks a required column.
    #[error("table {table:?} has no column {column:?}")]
    MissingColumn {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
    },
    /// A column given for bulk ingestion has an Arrow type the schema does not accept.
    #[error("column {column:?} of table {table:?} is {found}, expected {expected}")]
    ColumnType {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
        /// The Arrow type found.
        found: String,
        /// The accepted Arrow types.
        expected: &'static str,
    },
    /// A money, quantity or rate column is floating point: floats are not exact (give Decimal128 or decimal strings).
    #[error("column {column:?} of table {table:?} is floating point; amounts must be exact (Decimal128 or decimal strings)")]
    FloatColumn {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
    },
    /// A row of an ingested table was refused (all-or-nothing mode: nothing was ingested).
    #[error("table {table:?}, row {row}{}: {error}", column.map(|c| format!(", column {c:?}")).unwrap_or_default())]
    IngestRow {
        /// Table name.
        table: &'static str,
        /// Row number, from 1 (the header of a CSV file is not counted).
        row: usize,
        /// The column at fault, when one is.
        column: Option<&'static str>,
        /// Why the row was refused.
        error: Box<Error>,
    },
    /// Tables for bulk ingestion could not be read (file, Parquet, CSV or Arrow IPC error).
    #[error("cannot read tables: {message}")]
    IngestRead {
        /// What the reader said.
        message: String,
    },
    /// A JSON document could not be parsed or does not follow the dataset format.
    #[error("invalid dataset JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        /// Line of the error (1-based, 0 if unknown).
        line: usize,
        /// Column of the error (1-based, 0 if unknown).
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A dataset declares a format or version this library cannot read.
    #[error(
        "unsupported dataset format {format:?} version {version} (this library reads {supported})"
    )]
    UnsupportedFormat {
        /// The `format` field found.
        format: String,
        /// The `version` field found.
        version: u32,
        /// What is supported.
        supported: &'static str,
    },
    /// A report's table does not add up: the sum of its rows in an amount
    /// column differs from the total the queries give (a report never shows
    /// a silent mismatch).
    #[error("report table {table:?}, column {column:?}: the rows add up to {rows}, the total is {total}")]
    ReportTotalMismatch {
        /// The table's key.
        table: String,
        /// The column's key.
        column: String,
        /// The sum of the rows.
        rows: Decimal,
        /// The total the queries give.
        total: Decimal,
    },
}

impl Error {
    /// A stable, machine-readable name for the variant (`"unknown_tenant"`…),
    /// used by the bindings to pick an exception class.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidSiren { .. } => "invalid_siren",
            Error::InvalidSiret { .. } => "invalid_siret",
            Error::InvalidInsee { .. } => "invalid_insee",
            Error::InvalidCode { .. } => "invalid_code",
            Error::InvalidField { .. } => "invalid_field",
            Error::UnknownKind { .. } => "unknown_kind",
            Error::YearOutOfRange { .. } => "year_out_of_range",
            Error::ArgumentOutOfRange { .. } => "argument_out_of_range",
            Error::UnknownTenant(_) => "unknown_tenant",
            Error::UnknownService { .. } => "unknown_service",
            Error::UnknownAsset(_) => "unknown_asset",
            Error::DuplicateTenant(_) => "duplicate_tenant",
            Error::DuplicateSiren { .. } => "duplicate_siren",
            Error::DuplicateSiret { .. } => "duplicate_siret",
            Error::DuplicateService { .. } => "duplicate_service",
            Error::DuplicateAsset(_) => "duplicate_asset",
            Error::InvalidMembership { .. } => "invalid_membership",
            Error::AssetCycle { .. } => "asset_cycle",
            Error::DatesOutOfOrder { .. } => "dates_out_of_order",
            Error::OutsideAssetLife { .. } => "outside_asset_life",
            Error::CustodyOverlap { .. } => "custody_overlap",
            Error::CustodyToOwner { .. } => "custody_to_owner",
            Error::TransferRefused { .. } => "transfer_refused",
            Error::InvalidRegistration { .. } => "invalid_registration",
            Error::InvalidVin { .. } => "invalid_vin",
            Error::NotInFleet { .. } => "not_in_fleet",
            Error::MeterRegression { .. } => "meter_regression",
            Error::InvalidRna { .. } => "invalid_rna",
            Error::UnknownParty(_) => "unknown_party",
            Error::DuplicateParty(_) => "duplicate_party",
            Error::UnknownLease(_) => "unknown_lease",
            Error::DuplicateLease(_) => "duplicate_lease",
            Error::UnknownMeter(_) => "unknown_meter",
            Error::DuplicateMeter(_) => "duplicate_meter",
            Error::InvalidDeliveryPoint { .. } => "invalid_delivery_point",
            Error::IndexBelowLast { .. } => "index_below_last",
            Error::UnitMismatch { .. } => "unit_mismatch",
            Error::NegativeConsumption { .. } => "negative_consumption",
            Error::ReferenceYearTooEarly(_) => "reference_year_too_early",
            Error::MissingDju { .. } => "missing_dju",
            Error::LeaseOverlap { .. } => "lease_overlap",
            Error::MissingIndexValue { .. } => "missing_index_value",
            Error::NotFurniture { .. } => "not_furniture",
            Error::UnknownInventoryNumber(_) => "unknown_inventory_number",
            Error::DuplicateInventoryNumber { .. } => "duplicate_inventory_number",
            Error::NotALocation { .. } => "not_a_location",
            Error::CrossTenantMove { .. } => "cross_tenant_move",
            Error::ItemReformed { .. } => "item_reformed",
            Error::ReformBeforePurchase { .. } => "reform_before_purchase",
            Error::UnknownCampaign(_) => "unknown_campaign",
            Error::DuplicateCampaign(_) => "duplicate_campaign",
            Error::CampaignClosed { .. } => "campaign_closed",
            Error::OutsideCampaign { .. } => "outside_campaign",
            Error::NegativeAmount { .. } => "negative_amount",
            Error::KeyOverlap { .. } => "key_overlap",
            Error::NothingToEnd { .. } => "nothing_to_end",
            Error::WeightsSumToZero { .. } => "weights_sum_to_zero",
            Error::DuplicateKeyTenant(_) => "duplicate_key_tenant",
            Error::SubCentAmount(_) => "sub_cent_amount",
            Error::AmountOutOfRange(_) => "amount_out_of_range",
            Error::UnknownVatRate(_) => "unknown_vat_rate",
            Error::VatRateNotInForce { .. } => "vat_rate_not_in_force",
            Error::InvalidQuantity { .. } => "invalid_quantity",
            Error::UnknownPrincipal(_) => "unknown_principal",
            Error::Forbidden { .. } => "forbidden",
            Error::DuplicatePrincipal(_) => "duplicate_principal",
            Error::UnknownRole(_) => "unknown_role",
            Error::DuplicateRole(_) => "duplicate_role",
            Error::UnknownSupplier(_) => "unknown_supplier",
            Error::DuplicateSupplier(_) => "duplicate_supplier",
            Error::UnknownTeam(_) => "unknown_team",
            Error::DuplicateTeam(_) => "duplicate_team",
            Error::UnknownStore(_) => "unknown_store",
            Error::DuplicateStore(_) => "duplicate_store",
            Error::UnknownItem(_) => "unknown_item",
            Error::DuplicateItem(_) => "duplicate_item",
            Error::UnknownRequest(_) => "unknown_request",
            Error::DuplicateRequest(_) => "duplicate_request",
            Error::UnknownServiceCode(_) => "unknown_service_code",
            Error::AwaitingRouting(_) => "awaiting_routing",
            Error::UnknownToken(_) => "unknown_token",
            Error::MissingLocation(_) => "missing_location",
            Error::UnknownWorkOrder(_) => "unknown_work_order",
            Error::DuplicateWorkOrder(_) => "duplicate_work_order",
            Error::RateAlreadySet { .. } => "rate_already_set",
            Error::NoRate { .. } => "no_rate",
            Error::InsufficientStock { .. } => "insufficient_stock",
            Error::UnknownAgent { .. } => "unknown_agent",
            Error::DuplicateAgent { .. } => "duplicate_agent",
            Error::UnknownWorkwearItem(_) => "unknown_workwear_item",
            Error::DuplicateWorkwearItem(_) => "duplicate_workwear_item",
            Error::SizeNotOffered { .. } => "size_not_offered",
            Error::AllotmentExceeded { .. } => "allotment_exceeded",
            Error::AgentNotAssigned { .. } => "agent_not_assigned",
            Error::IllegalTransition { .. } => "illegal_transition",
            Error::TimeOutOfOrder { .. } => "time_out_of_order",
            Error::WorkOrderNotOpen { .. } => "work_order_not_open",
            Error::UnknownAgreement(_) => "unknown_agreement",
            Error::DuplicateAgreement(_) => "duplicate_agreement",
            Error::AgreementOverlap { .. } => "agreement_overlap",
            Error::UnknownBudget { .. } => "unknown_budget",
            Error::DuplicateBudget { .. } => "duplicate_budget",
            Error::BudgetExceeded { .. } => "budget_exceeded",
            Error::BudgetLineMismatch { .. } => "budget_line_mismatch",
            Error::UnknownOperation(_) => "unknown_operation",
            Error::DuplicateOperation(_) => "duplicate_operation",
            Error::CpMismatch { .. } => "cp_mismatch",
            Error::YearClosed { .. } => "year_closed",
            Error::YearNotNext { .. } => "year_not_next",
            Error::RevisionBelowPaid { .. } => "revision_below_paid",
            Error::CyclicDependency(_) => "cyclic_dependency",
            Error::Storage { .. } => "storage",
            Error::CorruptStore { .. } => "corrupt_store",
            Error::TamperedJournal { .. } => "tampered_journal",
            Error::Cancelled { .. } => "cancelled",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::StaleState { .. } => "stale_state",
            Error::StaleCopy { .. } => "stale_copy",
            Error::UncommittedChanges { .. } => "uncommitted_changes",
            Error::CsvRows { .. } => "csv_rows",
            Error::UnknownTable(_) => "unknown_table",
            Error::MissingColumn { .. } => "missing_column",
            Error::ColumnType { .. } => "column_type",
            Error::FloatColumn { .. } => "float_column",
            Error::IngestRow { .. } => "ingest_row",
            Error::IngestRead { .. } => "ingest_read",
            Error::InvalidJson { .. } => "invalid_json",
            Error::UnsupportedFormat { .. } => "unsupported_format",
            Error::ReportTotalMismatch { .. } => "report_total_mismatch",
        }
    }
}
