//! Python bindings for Mutualis (`mutualis._mutualis`).
//!
//! A thin wrapper: every domain rule lives in the `mutualis` core crate; this
//! module only converts Python values to core values and back, and maps the
//! core's one [`mutualis::Error`] to an exception class per variant
//! ([`to_py_err`]).
//!
//! Conversion rules (shared by every function and method):
//!
//! * **Money** ([`Money`]): accepts `decimal.Decimal` (finite, at most 28
//!   fractional digits, within rust_decimal's 96-bit range) and `int` (not
//!   `bool`). Refuses `float`, `str`, `bool` and everything else with
//!   `ArgumentTypeError` (a subclass of both `ValidationError` and the
//!   builtin `TypeError`). A NaN/Infinity/out-of-range `Decimal` raises
//!   `InvalidAmountError`. pyo3's own `rust_decimal` extractor is *not* used
//!   for input because it takes anything whose `str()` parses (so `0.1` the
//!   float, `"1.5"` the string and `True` would all slip through), and it
//!   silently rounds digits beyond 28 decimals.
//!   Output is always a `decimal.Decimal` whose scale is preserved
//!   (`Decimal("600.01")`, `Decimal("0.00")`).
//! * **Dates** ([`Day`]): accepts `datetime.date` (and subclasses other than
//!   `datetime.datetime`). A `datetime.datetime` is refused with
//!   `ArgumentTypeError` instead of silently dropping its time and tzinfo
//!   (pyo3's chrono extractor would accept it, as `datetime` subclasses
//!   `date`). Output is a plain `datetime.date`.
//! * **Weights** ([`Weight`], [`KeyWeights`]): `int` only (not `bool`);
//!   a negative or too large weight raises `InvalidFieldError`.
//! * **Kinds** (tenant kind, asset kind, key basis, usage unit, request
//!   origin and status, work order status, cost nature) are the snake_case
//!   names of the JSON format, parsed by the core (`UnknownKindError`
//!   otherwise).
//! * **Quantities** (hours, stock quantities, rates) are exact like money
//!   ([`Money`]); a number of agents is an `int` (`bulk::Agents`).
//! * **Instants** (`time::Instant`): status changes and journal times are
//!   timezone-aware `datetime.datetime`, converted to UTC; a naive datetime
//!   raises `ArgumentTypeError`. Output is UTC-aware; durations are
//!   `datetime.timedelta`.
//! * **Sequences of codes** ([`Codes`]): any iterable of `str`, but not a
//!   bare `str`.
//! * **Columns**: bulk input is a mapping of column name to sequence
//!   (`bulk`); bulk output is a `Table` (`table`): an Arrow table through
//!   the Arrow PyCapsule interface, read by polars, pyarrow and DuckDB
//!   without a copy, and a read-only mapping of column name to list.
//!
//! Modules: `records` (record classes of the operations), `bulk`
//! (`record_costs` columns), `columns` (column results), `table` (the Arrow
//! `Table` they are built as), `time`
//! (instants), `settlement` (agreements, statements, budgets, ledger),
//! `planning` (operations, AP/CP, the scheduler's `Candidate`/`Plan` and the
//! module function `schedule`), `store` (the SQLite `Store` handle and the
//! import reports).
//!
//! Names: the persistence handle is `mutualis.Store`; the stock store record
//! (a magasin, returned by `Mutualis.stores()`) is `mutualis.StockStore`.
//! Error classes of the store: `StaleStateError` and `StaleCopyError` (ConflictError),
//! `CorruptStoreError` and `SchemaTooNewError` (FormatError), `StorageError`
//! (directly under `MutualisError`: I/O, locking, a closed handle). The façade's methods all live in the one `#[pymethods]`
//! block below (pyo3 without `multiple-pymethods`).
//!
//! No `unwrap`/`expect` on any path reachable from Python: every failure is a
//! `PyErr` of the hierarchy below.

// Enforced: no unwrap/expect/panic outside unit tests (checked by clippy).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::NaiveDate;
use mutualis::identity::{InseeCode, Siren, Siret};
use mutualis::money::{self, VatRate};
use mutualis::{
    AgreementMode, Asset, AssetKind, ChargeBasis, Clock, CostInput, CostLine, CostNature,
    Dimension, Error, GeoPoint, KeyBasis, LedgerFilter, NewAgreement, NewAsset, NewItem, NewLoan,
    NewPooledService, NewRequest, NewSupplier, NewTenant, NewWorkOrder, OverrunPolicy, PayerSource,
    Performer, Period, RequestOrigin, RequestStatus, ServiceRef, Tenant, TenantId, TenantKind,
    UsageUnit, WorkOrderStatus,
};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyInt, PyMapping, PyString, PyTuple, PyType,
};
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;

/// Dotted path of this extension module, used for `__module__` of classes.
const MODULE: &str = "mutualis._mutualis";

// ---------------------------------------------------------------------------
// Exception hierarchy
// ---------------------------------------------------------------------------
//
// `create_exception!(module, Name, Base, doc)` builds a heap type named
// `"<stringify!(module)>.Name"` lazily (on first use) with `Base` as its only
// base. `Base` may be one of our own exceptions because the macro implements
// `PyTypeInfo` for the new type. Every class carries a `kind` class attribute
// (set when the module is initialised): the core's `Error::kind()` for the
// leaves, a category name for the intermediate classes.

create_exception!(
    mutualis._mutualis,
    MutualisError,
    PyException,
    "Base class of every error raised by mutualis."
);
create_exception!(
    mutualis._mutualis,
    ValidationError,
    MutualisError,
    "An input value was rejected (bad type, bad format, out of range, inconsistent)."
);
create_exception!(
    mutualis._mutualis,
    NotFoundError,
    MutualisError,
    "A referenced code (tenant, service, asset) does not exist."
);
create_exception!(
    mutualis._mutualis,
    ConflictError,
    MutualisError,
    "The input clashes with recorded state (duplicate, overlap, cycle...)."
);
create_exception!(
    mutualis._mutualis,
    FormatError,
    MutualisError,
    "A dataset could not be read (syntax, unknown field, unsupported version)."
);
create_exception!(
    mutualis._mutualis,
    InvalidAmountError,
    ValidationError,
    "A Decimal amount is NaN/infinite, has more than 28 decimals or is out of range."
);

/// Declares one exception class per core error variant, and the function
/// that registers them in the module with their `kind` class attribute.
macro_rules! core_errors {
    ($( $name:ident($base:ident) = $kind:literal, $doc:literal; )+) => {
        $( create_exception!(mutualis._mutualis, $name, $base, $doc); )+

        /// Adds every core error class to the module, with its `kind`.
        fn add_core_errors(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            $(
                let cls = py.get_type::<$name>();
                cls.setattr("kind", $kind)?;
                m.add(stringify!($name), cls)?;
            )+
            Ok(())
        }

        /// Names of the core error classes (for the Rust unit test).
        #[cfg(test)]
        const CORE_ERROR_KINDS: &[&str] = &[$($kind),+];
    };
}

core_errors! {
    InvalidSirenError(ValidationError) = "invalid_siren",
        "A SIREN is not 9 digits or fails its Luhn check.";
    InvalidSiretError(ValidationError) = "invalid_siret",
        "A SIRET is not 14 digits or fails its key (Luhn; digit sum for La Poste).";
    InvalidInseeError(ValidationError) = "invalid_insee",
        "An INSEE commune code is malformed, missing for a commune, or given for a non-commune.";
    InvalidCodeError(ValidationError) = "invalid_code",
        "A human code is empty, longer than 64 characters or has characters outside A-Z a-z 0-9 - _ . /.";
    InvalidFieldError(ValidationError) = "invalid_field",
        "A field value is unusable (blank name, negative area, negative weight...).";
    UnknownKindError(ValidationError) = "unknown_kind",
        "Unknown tenant kind, asset kind or key basis name.";
    DatesOutOfOrderError(ValidationError) = "dates_out_of_order",
        "A period ends before it starts (both days are inclusive).";
    WeightsSumToZeroError(ValidationError) = "weights_sum_to_zero",
        "Split weights are empty or all zero.";
    DuplicateKeyTenantError(ValidationError) = "duplicate_key_tenant",
        "A tenant appears twice in one sharing key.";
    SubCentAmountError(ValidationError) = "sub_cent_amount",
        "An amount to split has a fraction of a cent.";
    AmountOutOfRangeError(ValidationError) = "amount_out_of_range",
        "An amount is too large to be handled exactly.";
    UnknownVatRateError(ValidationError) = "unknown_vat_rate",
        "A VAT rate not in force in France (20, 10, 5.5, 2.1 %).";
    UnknownTenantError(NotFoundError) = "unknown_tenant",
        "No tenant (collectivite) has this code.";
    UnknownServiceError(NotFoundError) = "unknown_service",
        "The tenant has no service with this code.";
    UnknownAssetError(NotFoundError) = "unknown_asset",
        "No asset has this code.";
    DuplicateTenantError(ConflictError) = "duplicate_tenant",
        "A tenant with this code already exists.";
    DuplicateSirenError(ConflictError) = "duplicate_siren",
        "Another tenant already has this SIREN.";
    DuplicateServiceError(ConflictError) = "duplicate_service",
        "The tenant already has a service with this code.";
    DuplicateAssetError(ConflictError) = "duplicate_asset",
        "An asset with this code already exists.";
    InvalidMembershipError(ConflictError) = "invalid_membership",
        "The membership is not allowed (commune joining a commune, two EPCI a fiscalite propre, itself...).";
    AssetCycleError(ConflictError) = "asset_cycle",
        "Moving an asset under itself or one of its descendants.";
    OutsideAssetLifeError(ConflictError) = "outside_asset_life",
        "A date before the asset's commissioning or after its decommissioning.";
    CustodyOverlapError(ConflictError) = "custody_overlap",
        "A custody period overlaps one already recorded for the asset.";
    CustodyToOwnerError(ConflictError) = "custody_to_owner",
        "Custody requested to the asset's own owner.";
    TransferRefusedError(ConflictError) = "transfer_refused",
        "A transfer of ownership to the owner of the day, or not dated after the asset's last transfer.";
    InvalidRegistrationError(ValidationError) = "invalid_registration",
        "A registration number is neither SIV (AB-123-CD, no I, O, U) nor FNI (123 ABC 45).";
    InvalidVinError(ValidationError) = "invalid_vin",
        "A VIN is not 17 letters and digits without I, O, Q.";
    NotInFleetError(NotFoundError) = "not_in_fleet",
        "The asset is not in the fleet register (or cannot be: not a vehicle or equipment, already registered), or no maintenance plan has this code.";
    MeterRegressionError(ConflictError) = "meter_regression",
        "A meter reading lower than (or dated before) the last one; record a meter replacement first.";
    InvalidRnaError(ValidationError) = "invalid_rna",
        "An association's RNA number is not W followed by 9 digits.";
    UnknownPartyError(NotFoundError) = "unknown_party",
        "No party (lessee or lessor facing a collectivite) has this code.";
    DuplicatePartyError(ConflictError) = "duplicate_party",
        "A party with this code already exists.";
    UnknownLeaseError(NotFoundError) = "unknown_lease",
        "No lease or occupation agreement has this code.";
    DuplicateLeaseError(ConflictError) = "duplicate_lease",
        "A lease with this code already exists.";
    UnknownMeterError(NotFoundError) = "unknown_meter",
        "No energy meter has this code.";
    DuplicateMeterError(ConflictError) = "duplicate_meter",
        "An energy meter with this code already exists.";
    InvalidDeliveryPointError(ValidationError) = "invalid_delivery_point",
        "A PDL/PRM not 14 digits, or a PCE neither 14 digits nor GI and 6 digits.";
    IndexBelowLastError(ConflictError) = "index_below_last",
        "An index reading below the index the meter counts from: record a replacement.";
    UnitMismatchError(ValidationError) = "unit_mismatch",
        "A quantity not in the meter's unit, or a sub-meter of another energy or unit than its parent.";
    NegativeConsumptionError(ValidationError) = "negative_consumption",
        "A negative consumption or index.";
    ReferenceYearTooEarlyError(ValidationError) = "reference_year_too_early",
        "A decret tertiaire reference year before 2010.";
    MissingDjuError(NotFoundError) = "missing_dju",
        "No degree days for a weather station in a year, or no reference.";
    LeaseOverlapError(ConflictError) = "lease_overlap",
        "An exclusive contract would overlap another contract of the same side on the asset.";
    MissingIndexValueError(NotFoundError) = "missing_index_value",
        "An index series (ILC, ILAT, IRL, ICC...) has no value for a quarter a revision needs.";
    NotFurnitureError(NotFoundError) = "not_furniture",
        "The asset is not in the furniture register (or cannot be: not of kind furniture, already registered).";
    UnknownInventoryNumberError(NotFoundError) = "unknown_inventory_number",
        "No furniture item has this inventory number.";
    DuplicateInventoryNumberError(ConflictError) = "duplicate_inventory_number",
        "An item of the group already has this inventory number.";
    NotALocationError(ValidationError) = "not_a_location",
        "Furniture moved, registered or scanned in an asset that is not a room, floor, building or site (or a campaign on one that is not a building or site).";
    CrossTenantMoveError(ConflictError) = "cross_tenant_move",
        "A plain move to another collectivite's premises (choose a transfer or a loan), or a transfer, loan or return to the wrong premises.";
    ItemReformedError(ConflictError) = "item_reformed",
        "The furniture item was reformed: no move, loan, change or second reform.";
    ReformBeforePurchaseError(ConflictError) = "reform_before_purchase",
        "A reform dated before the item's purchase.";
    UnknownCampaignError(NotFoundError) = "unknown_campaign",
        "No inventory campaign has this code.";
    DuplicateCampaignError(ConflictError) = "duplicate_campaign",
        "An inventory campaign with this code already exists.";
    CampaignClosedError(ConflictError) = "campaign_closed",
        "A scan or a closing in an inventory campaign already closed.";
    OutsideCampaignError(ConflictError) = "outside_campaign",
        "A scan in a location outside the campaign's building or site.";
    NegativeAmountError(ValidationError) = "negative_amount",
        "A rent, provision, deposit, rental value, charges or receipt is negative.";
    KeyOverlapError(ConflictError) = "key_overlap",
        "A sharing key overlaps another key of the same asset.";
    NothingToEndError(ConflictError) = "nothing_to_end",
        "No open-ended custody or sharing key to close.";
    InvalidQuantityError(ValidationError) = "invalid_quantity",
        "A quantity, hours, agents, rate or amount is zero or negative where it must be positive.";
    UnknownSupplierError(NotFoundError) = "unknown_supplier",
        "No supplier has this code.";
    UnknownTeamError(NotFoundError) = "unknown_team",
        "No regie team has this code.";
    UnknownStoreError(NotFoundError) = "unknown_store",
        "No store has this code.";
    UnknownItemError(NotFoundError) = "unknown_item",
        "No catalogue item has this code.";
    UnknownRequestError(NotFoundError) = "unknown_request",
        "No request has this code.";
    UnknownWorkOrderError(NotFoundError) = "unknown_work_order",
        "No work order has this code.";
    DuplicateSupplierError(ConflictError) = "duplicate_supplier",
        "A supplier with this code already exists.";
    DuplicateTeamError(ConflictError) = "duplicate_team",
        "A team with this code already exists.";
    DuplicateStoreError(ConflictError) = "duplicate_store",
        "A store with this code already exists.";
    DuplicateItemError(ConflictError) = "duplicate_item",
        "An item with this code already exists.";
    DuplicateRequestError(ConflictError) = "duplicate_request",
        "A request with this code already exists.";
    UnknownServiceCodeError(NotFoundError) = "unknown_service_code",
        "No request category has this code (the Open311 service_code).";
    AwaitingRoutingError(ConflictError) = "awaiting_routing",
        "The request waits for manual routing: it has a token, not yet an id.";
    UnknownTokenError(NotFoundError) = "unknown_token",
        "No request, routed or waiting for manual routing, has this token.";
    MissingLocationError(ValidationError) = "missing_location",
        "A request needs a location: lat and long, address_string or address_id.";
    DuplicateWorkOrderError(ConflictError) = "duplicate_work_order",
        "A work order with this code already exists.";
    RateAlreadySetError(ConflictError) = "rate_already_set",
        "A labour or vehicle rate is already recorded for this key (rates are history, never overwritten).";
    NoRateError(ConflictError) = "no_rate",
        "No labour or vehicle rate applies to a cost line.";
    InsufficientStockError(ConflictError) = "insufficient_stock",
        "An issue asks for more than the store holds.";
    UnknownAgentError(NotFoundError) = "unknown_agent",
        "No agent of this tenant has this matricule (workwear).";
    DuplicateAgentError(ConflictError) = "duplicate_agent",
        "An agent with this matricule already exists in the tenant.";
    UnknownWorkwearItemError(NotFoundError) = "unknown_workwear_item",
        "No item of the workwear catalogue has this code.";
    DuplicateWorkwearItemError(ConflictError) = "duplicate_workwear_item",
        "A workwear catalogue item with this code already exists.";
    SizeNotOfferedError(ValidationError) = "size_not_offered",
        "The size given is not one the workwear item offers (or none was given for an item with sizes).";
    AllotmentExceededError(ConflictError) = "allotment_exceeded",
        "An issue beyond the agent's allotment for its period, and the tenant's policy refuses it.";
    AgentNotAssignedError(ConflictError) = "agent_not_assigned",
        "The agent is not assigned on the issue's date.";
    IllegalTransitionError(ConflictError) = "illegal_transition",
        "A status change the request or work-order lifecycle does not allow.";
    TimeOutOfOrderError(ConflictError) = "time_out_of_order",
        "A status change earlier than the previous change.";
    WorkOrderNotOpenError(ConflictError) = "work_order_not_open",
        "Cost lines are recorded only on a work order in progress or done.";
    UnknownAgreementError(NotFoundError) = "unknown_agreement",
        "No service agreement, pooled service or vehicle loan has this code.";
    UnknownBudgetError(NotFoundError) = "unknown_budget",
        "No budget (or budget line) for this tenant and year.";
    DuplicateAgreementError(ConflictError) = "duplicate_agreement",
        "An agreement, pooled service or vehicle loan with this code already exists.";
    DuplicateBudgetError(ConflictError) = "duplicate_budget",
        "The budget (or budget line) already exists.";
    AgreementOverlapError(ConflictError) = "agreement_overlap",
        "Two agreements of the same tenants would cover the same work on the same days.";
    BudgetExceededError(ConflictError) = "budget_exceeded",
        "A cost would take a budget line below zero and the budget refuses overruns.";
    BudgetLineMismatchError(ConflictError) = "budget_line_mismatch",
        "A budget line used for what its direction or collectivité does not allow: a revenue line for a work order, an expense line for a contract's rent, a line of another collectivité than the contract's, a lessee's contract, a commitment on a revenue line.";
    InvalidJsonError(FormatError) = "invalid_json",
        "Dataset JSON syntax error, missing or unknown field.";
    UnsupportedFormatError(FormatError) = "unsupported_format",
        "Dataset of another format or of a newer version.";
    ReportTotalMismatchError(MutualisError) = "report_total_mismatch",
        "A report table's rows do not add up to the total the queries give (never shown silently).";
    UnknownOperationError(NotFoundError) = "unknown_operation",
        "No investment operation or AP has this code.";
    DuplicateOperationError(ConflictError) = "duplicate_operation",
        "An operation or AP with this code already exists.";
    CpMismatchError(ValidationError) = "cp_mismatch",
        "A CP schedule does not fit its AP (sum, a year twice or before the vote, a payment beyond a year's CP).";
    YearClosedError(ConflictError) = "year_closed",
        "Payment or change on a closed year; years close in order.";
    RevisionBelowPaidError(ConflictError) = "revision_below_paid",
        "An AP revision below what is already paid.";
    CyclicDependencyError(ValidationError) = "cyclic_dependency",
        "Operations depending on each other in a cycle.";
    StorageError(MutualisError) = "storage",
        "The store could not be read or written (I/O, locking, a closed handle).";
    CorruptStoreError(FormatError) = "corrupt_store",
        "The file is not a Mutualis store, or it is damaged; it was not modified.";
    SchemaTooNewError(FormatError) = "schema_too_new",
        "The store was written by a newer version of the library; it was not modified.";
    StaleStateError(ConflictError) = "stale_state",
        "Another handle committed since this one last read the store: refresh and retry.";
    StaleCopyError(ConflictError) = "stale_copy",
        "A working registry given to Store.commit (or used) is not a view of the store's current state (another store's, or its changes were rolled back): check out again and redo.";
    UncommittedChangesError(ConflictError) = "uncommitted_changes",
        "The store's registry holds changes not yet committed: commit or roll back first.";
    CsvRowsError(ValidationError) = "csv_rows",
        "A CSV import in all-or-nothing mode found bad rows (`errors`: (line, message) pairs); nothing was imported.";
    UnknownTableError(FormatError) = "unknown_table",
        "Bulk ingestion was given a table name that is not in the schema.";
    MissingColumnError(FormatError) = "missing_column",
        "An ingested table lacks a required column.";
    ColumnTypeError(FormatError) = "column_type",
        "An ingested column has an Arrow type its kind does not accept.";
    FloatColumnError(FormatError) = "float_column",
        "A money, quantity or rate column is floating point: amounts must be exact.";
    IngestRowError(ValidationError) = "ingest_row",
        "An all-or-nothing ingestion stopped at a bad row (`table`, `row`, `column`, `row_kind`); nothing was ingested.";
    IngestReadError(FormatError) = "ingest_read",
        "The tables could not be read (folder, Parquet, CSV or Arrow stream).";
    YearOutOfRangeError(ValidationError) = "year_out_of_range",
        "A year (or a date's year) outside 1900..=2200 (`field`, `year`).";
    ArgumentOutOfRangeError(ValidationError) = "argument_out_of_range",
        "An integer argument outside the range its parameter accepts (`argument`, `value`, `range`).";
    DuplicateSiretError(ConflictError) = "duplicate_siret",
        "Another supplier already has this SIRET.";
    YearNotNextError(ConflictError) = "year_not_next",
        "Years close in order: the year asked is not the next one to close (`next` names it).";
    VatRateNotInForceError(ValidationError) = "vat_rate_not_in_force",
        "A VAT rate not in force on the line's date (the message lists the rates then in force).";
    CancelledError(MutualisError) = "cancelled",
        "A long operation was stopped by its progress callback (it returned False); nothing was recorded.";
    UnknownPrincipalError(NotFoundError) = "unknown_principal",
        "No principal (agent, elected official, contractor, citizen, administrator) has this code.";
    DuplicatePrincipalError(ConflictError) = "duplicate_principal",
        "A principal with this code already exists.";
    UnknownRoleError(NotFoundError) = "unknown_role",
        "No role has this code.";
    DuplicateRoleError(ConflictError) = "duplicate_role",
        "A role with this code already exists.";
    ForbiddenError(MutualisError) = "forbidden",
        "The principal's grants do not permit this action on this target (`principal`, `action`, `target`); nothing changed.";
    TamperedJournalError(CorruptStoreError) = "tampered_journal",
        "A stored event fails the hash chain: the file was altered after it was written (`seq`: the first bad event).";
}

/// Maps a core error to its exception class; the message is the core's
/// `Display` text. A variant added to the core later (the enum is
/// `#[non_exhaustive]`) becomes a plain `MutualisError` whose instance
/// `kind` attribute is the core's kind.
pub fn to_py_err(e: Error) -> PyErr {
    let message = e.to_string();
    error_with_message(&e, message)
}

/// The exception class of `e` with a custom message (e.g. prefixed by a row).
fn error_with_message(e: &Error, message: String) -> PyErr {
    match e {
        Error::InvalidSiren { .. } => InvalidSirenError::new_err(message),
        Error::InvalidSiret { .. } => InvalidSiretError::new_err(message),
        Error::InvalidInsee { .. } => InvalidInseeError::new_err(message),
        Error::InvalidCode { .. } => InvalidCodeError::new_err(message),
        Error::InvalidField { .. } => InvalidFieldError::new_err(message),
        Error::UnknownKind { .. } => UnknownKindError::new_err(message),
        Error::DatesOutOfOrder { .. } => DatesOutOfOrderError::new_err(message),
        Error::WeightsSumToZero { .. } => WeightsSumToZeroError::new_err(message),
        Error::DuplicateKeyTenant(_) => DuplicateKeyTenantError::new_err(message),
        Error::SubCentAmount(_) => SubCentAmountError::new_err(message),
        Error::AmountOutOfRange(_) => AmountOutOfRangeError::new_err(message),
        Error::UnknownVatRate(_) => UnknownVatRateError::new_err(message),
        Error::UnknownTenant(_) => UnknownTenantError::new_err(message),
        Error::UnknownService { .. } => UnknownServiceError::new_err(message),
        Error::UnknownAsset(_) => UnknownAssetError::new_err(message),
        Error::DuplicateTenant(_) => DuplicateTenantError::new_err(message),
        Error::DuplicateSiren { .. } => DuplicateSirenError::new_err(message),
        Error::DuplicateService { .. } => DuplicateServiceError::new_err(message),
        Error::DuplicateAsset(_) => DuplicateAssetError::new_err(message),
        Error::InvalidMembership { .. } => InvalidMembershipError::new_err(message),
        Error::AssetCycle { .. } => AssetCycleError::new_err(message),
        Error::OutsideAssetLife { .. } => OutsideAssetLifeError::new_err(message),
        Error::CustodyOverlap { .. } => CustodyOverlapError::new_err(message),
        Error::CustodyToOwner { .. } => CustodyToOwnerError::new_err(message),
        Error::TransferRefused { .. } => TransferRefusedError::new_err(message),
        Error::InvalidRegistration { .. } => InvalidRegistrationError::new_err(message),
        Error::InvalidVin { .. } => InvalidVinError::new_err(message),
        Error::NotInFleet { .. } => NotInFleetError::new_err(message),
        Error::MeterRegression { .. } => MeterRegressionError::new_err(message),
        Error::InvalidRna { .. } => InvalidRnaError::new_err(message),
        Error::UnknownParty(_) => UnknownPartyError::new_err(message),
        Error::DuplicateParty(_) => DuplicatePartyError::new_err(message),
        Error::UnknownLease(_) => UnknownLeaseError::new_err(message),
        Error::DuplicateLease(_) => DuplicateLeaseError::new_err(message),
        Error::UnknownMeter(_) => UnknownMeterError::new_err(message),
        Error::DuplicateMeter(_) => DuplicateMeterError::new_err(message),
        Error::InvalidDeliveryPoint { .. } => InvalidDeliveryPointError::new_err(message),
        Error::IndexBelowLast { .. } => IndexBelowLastError::new_err(message),
        Error::UnitMismatch { .. } => UnitMismatchError::new_err(message),
        Error::NegativeConsumption { .. } => NegativeConsumptionError::new_err(message),
        Error::ReferenceYearTooEarly(_) => ReferenceYearTooEarlyError::new_err(message),
        Error::MissingDju { .. } => MissingDjuError::new_err(message),
        Error::LeaseOverlap { .. } => LeaseOverlapError::new_err(message),
        Error::MissingIndexValue { .. } => MissingIndexValueError::new_err(message),
        Error::NotFurniture { .. } => NotFurnitureError::new_err(message),
        Error::UnknownInventoryNumber(_) => UnknownInventoryNumberError::new_err(message),
        Error::DuplicateInventoryNumber { .. } => DuplicateInventoryNumberError::new_err(message),
        Error::NotALocation { .. } => NotALocationError::new_err(message),
        Error::CrossTenantMove { .. } => CrossTenantMoveError::new_err(message),
        Error::ItemReformed { .. } => ItemReformedError::new_err(message),
        Error::ReformBeforePurchase { .. } => ReformBeforePurchaseError::new_err(message),
        Error::UnknownCampaign(_) => UnknownCampaignError::new_err(message),
        Error::DuplicateCampaign(_) => DuplicateCampaignError::new_err(message),
        Error::CampaignClosed { .. } => CampaignClosedError::new_err(message),
        Error::OutsideCampaign { .. } => OutsideCampaignError::new_err(message),
        Error::NegativeAmount { .. } => NegativeAmountError::new_err(message),
        Error::KeyOverlap { .. } => KeyOverlapError::new_err(message),
        Error::NothingToEnd { .. } => NothingToEndError::new_err(message),
        Error::InvalidQuantity { .. } => InvalidQuantityError::new_err(message),
        Error::UnknownSupplier(_) => UnknownSupplierError::new_err(message),
        Error::UnknownTeam(_) => UnknownTeamError::new_err(message),
        Error::UnknownStore(_) => UnknownStoreError::new_err(message),
        Error::UnknownItem(_) => UnknownItemError::new_err(message),
        Error::UnknownRequest(_) => UnknownRequestError::new_err(message),
        Error::UnknownWorkOrder(_) => UnknownWorkOrderError::new_err(message),
        Error::DuplicateSupplier(_) => DuplicateSupplierError::new_err(message),
        Error::DuplicateTeam(_) => DuplicateTeamError::new_err(message),
        Error::DuplicateStore(_) => DuplicateStoreError::new_err(message),
        Error::DuplicateItem(_) => DuplicateItemError::new_err(message),
        Error::DuplicateRequest(_) => DuplicateRequestError::new_err(message),
        Error::UnknownServiceCode(_) => UnknownServiceCodeError::new_err(message),
        Error::AwaitingRouting(_) => AwaitingRoutingError::new_err(message),
        Error::UnknownToken(_) => UnknownTokenError::new_err(message),
        Error::MissingLocation(_) => MissingLocationError::new_err(message),
        Error::DuplicateWorkOrder(_) => DuplicateWorkOrderError::new_err(message),
        Error::RateAlreadySet { .. } => RateAlreadySetError::new_err(message),
        Error::NoRate { .. } => NoRateError::new_err(message),
        Error::InsufficientStock { .. } => InsufficientStockError::new_err(message),
        Error::UnknownAgent { .. } => UnknownAgentError::new_err(message),
        Error::DuplicateAgent { .. } => DuplicateAgentError::new_err(message),
        Error::UnknownWorkwearItem(_) => UnknownWorkwearItemError::new_err(message),
        Error::DuplicateWorkwearItem(_) => DuplicateWorkwearItemError::new_err(message),
        Error::SizeNotOffered { .. } => SizeNotOfferedError::new_err(message),
        Error::AllotmentExceeded { .. } => AllotmentExceededError::new_err(message),
        Error::AgentNotAssigned { .. } => AgentNotAssignedError::new_err(message),
        Error::IllegalTransition { .. } => IllegalTransitionError::new_err(message),
        Error::TimeOutOfOrder { .. } => TimeOutOfOrderError::new_err(message),
        Error::WorkOrderNotOpen { .. } => WorkOrderNotOpenError::new_err(message),
        Error::UnknownAgreement(_) => UnknownAgreementError::new_err(message),
        Error::UnknownBudget { .. } => UnknownBudgetError::new_err(message),
        Error::DuplicateAgreement(_) => DuplicateAgreementError::new_err(message),
        Error::DuplicateBudget { .. } => DuplicateBudgetError::new_err(message),
        Error::AgreementOverlap { .. } => AgreementOverlapError::new_err(message),
        Error::BudgetExceeded { .. } => BudgetExceededError::new_err(message),
        Error::BudgetLineMismatch { .. } => BudgetLineMismatchError::new_err(message),
        Error::InvalidJson { .. } => InvalidJsonError::new_err(message),
        Error::UnsupportedFormat { .. } => UnsupportedFormatError::new_err(message),
        Error::ReportTotalMismatch { .. } => ReportTotalMismatchError::new_err(message),
        Error::UnknownOperation(_) => UnknownOperationError::new_err(message),
        Error::DuplicateOperation(_) => DuplicateOperationError::new_err(message),
        Error::CpMismatch { .. } => CpMismatchError::new_err(message),
        Error::YearClosed { .. } => YearClosedError::new_err(message),
        Error::YearNotNext { .. } => YearNotNextError::new_err(message),
        Error::Cancelled { .. } => CancelledError::new_err(message),
        Error::DuplicateSiret { .. } => DuplicateSiretError::new_err(message),
        Error::VatRateNotInForce { .. } => VatRateNotInForceError::new_err(message),
        Error::YearOutOfRange { field, year, .. } => Python::attach(|py| {
            let err = YearOutOfRangeError::new_err(message);
            let v = err.value(py);
            let _ = v.setattr("field", *field);
            let _ = v.setattr("year", *year);
            err
        }),
        Error::ArgumentOutOfRange {
            argument,
            value,
            range,
        } => Python::attach(|py| {
            let err = ArgumentOutOfRangeError::new_err(message);
            let v = err.value(py);
            let _ = v.setattr("argument", *argument);
            let _ = v.setattr("value", value.as_str());
            let _ = v.setattr("range", range.as_str());
            err
        }),
        Error::TamperedJournal { seq } => Python::attach(|py| {
            let err = TamperedJournalError::new_err(message);
            let _ = err.value(py).setattr("seq", *seq);
            err
        }),
        Error::UnknownPrincipal(_) => UnknownPrincipalError::new_err(message),
        Error::DuplicatePrincipal(_) => DuplicatePrincipalError::new_err(message),
        Error::UnknownRole(_) => UnknownRoleError::new_err(message),
        Error::DuplicateRole(_) => DuplicateRoleError::new_err(message),
        Error::Forbidden {
            principal,
            action,
            target,
        } => Python::attach(|py| {
            let err = ForbiddenError::new_err(message);
            let v = err.value(py);
            let _ = v.setattr("principal", principal.as_str());
            let _ = v.setattr("action", action.as_str());
            let _ = v.setattr("target", target.as_str());
            err
        }),
        Error::RevisionBelowPaid { .. } => RevisionBelowPaidError::new_err(message),
        Error::CyclicDependency(_) => CyclicDependencyError::new_err(message),
        Error::Storage { .. } => StorageError::new_err(message),
        Error::CorruptStore { .. } => CorruptStoreError::new_err(message),
        Error::SchemaTooNew { .. } => SchemaTooNewError::new_err(message),
        Error::StaleState { .. } => StaleStateError::new_err(message),
        Error::StaleCopy { .. } => StaleCopyError::new_err(message),
        Error::UncommittedChanges { .. } => UncommittedChangesError::new_err(message),
        Error::CsvRows { errors } => Python::attach(|py| {
            let err = CsvRowsError::new_err(message);
            // `errors`: the (line, message) of every bad row.
            let _ = err.value(py).setattr("errors", errors.clone());
            err
        }),
        Error::UnknownTable(_) => UnknownTableError::new_err(message),
        Error::MissingColumn { .. } => MissingColumnError::new_err(message),
        Error::ColumnType { .. } => ColumnTypeError::new_err(message),
        Error::FloatColumn { .. } => FloatColumnError::new_err(message),
        Error::IngestRead { .. } => IngestReadError::new_err(message),
        Error::IngestRow {
            table,
            row,
            column,
            error,
        } => Python::attach(|py| {
            let err = IngestRowError::new_err(message);
            let v = err.value(py);
            let _ = v.setattr("table", *table);
            let _ = v.setattr("row", *row);
            let _ = v.setattr("column", *column);
            let _ = v.setattr("row_kind", error.kind());
            err
        }),
        other => {
            let kind = other.kind();
            Python::attach(|py| {
                let err = MutualisError::new_err(message);
                // Best effort: the class attribute is the fallback.
                let _ = err.value(py).setattr("kind", kind);
                err
            })
        }
    }
}

/// Shorthand: core result to Python result.
fn core<T>(result: mutualis::Result<T>) -> PyResult<T> {
    result.map_err(to_py_err)
}

/// Builds (once) an exception class with two bases, which
/// `create_exception!` cannot do, by calling `type(name, bases, namespace)`.
fn two_base_type<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    bases: [Bound<'py, PyType>; 2],
    doc: &str,
    kind: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let bases = PyTuple::new(py, bases)?;
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", MODULE)?;
        namespace.set_item("__doc__", doc)?;
        namespace.set_item("kind", kind)?;
        let cls = py.get_type::<PyType>().call1((name, bases, namespace))?;
        Ok(cls.cast_into::<PyType>()?.unbind())
    })
    .map(|cls| cls.bind(py))
}

/// `ArgumentTypeError(ValidationError, TypeError)`: an argument of the wrong
/// Python type (e.g. a `float` where money is expected). It derives from both
/// so that `except mutualis.ValidationError` and `except TypeError` both catch
/// it.
static ARGUMENT_TYPE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn argument_type_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    two_base_type(
        py,
        &ARGUMENT_TYPE_ERROR,
        "ArgumentTypeError",
        [
            py.get_type::<ValidationError>(),
            py.get_type::<PyTypeError>(),
        ],
        "An argument has the wrong Python type (e.g. a float where money is expected).",
        "argument_type",
    )
}

/// Build an `ArgumentTypeError` (falls back to the creation error, which
/// cannot happen in practice).
fn argument_type_error(py: Python<'_>, message: String) -> PyErr {
    match argument_type_error_type(py) {
        Ok(cls) => PyErr::from_type(cls.clone(), message),
        Err(err) => err,
    }
}

/// `DatasetFileError(MutualisError, OSError)`: a dataset file could not be
/// read or written (`Mutualis.save` / `Mutualis.load`). Being an `OSError`,
/// it carries `errno`, `strerror` and `filename`.
static DATASET_FILE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn dataset_file_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    two_base_type(
        py,
        &DATASET_FILE_ERROR,
        "DatasetFileError",
        [py.get_type::<MutualisError>(), py.get_type::<PyOSError>()],
        "A dataset file could not be read or written (an OSError with errno, strerror, filename).",
        "dataset_file",
    )
}

/// A `DatasetFileError` for an IO failure on `path` while doing `action`.
fn dataset_file_error(
    py: Python<'_>,
    action: &str,
    path: &std::path::Path,
    e: &std::io::Error,
) -> PyErr {
    let cls = match dataset_file_error_type(py) {
        Ok(cls) => cls.clone(),
        Err(err) => return err,
    };
    let filename = path.display().to_string();
    match e.raw_os_error() {
        Some(errno) => {
            let text = e.to_string();
            let suffix = format!(" (os error {errno})");
            let reason = text.strip_suffix(&suffix).unwrap_or(&text);
            PyErr::from_type(
                cls,
                (
                    errno,
                    format!("cannot {action} dataset file: {reason}"),
                    filename,
                ),
            )
        }
        None => PyErr::from_type(
            cls,
            format!("cannot {action} dataset file {filename:?}: {e}"),
        ),
    }
}

/// Python name of an object's type, for error messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// Re-raises `err` with the same class, its message prefixed by the row
/// index, and the original as `__cause__`.
fn with_row(py: Python<'_>, row: usize, err: PyErr) -> PyErr {
    let message = format!("row {row}: {}", err.value(py));
    let new = PyErr::from_type(err.get_type(py), message);
    new.set_cause(py, Some(err));
    new
}

// ---------------------------------------------------------------------------
// Money: strict Decimal extraction
// ---------------------------------------------------------------------------

static DECIMAL_CLS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Largest number of fractional digits rust_decimal can hold.
const MAX_SCALE: i64 = 28;
/// Largest `Decimal.adjusted()` (exponent of the leading digit) that can fit:
/// rust_decimal's maximum is 79228162514264337593543950335 (about 7.9e28).
const MAX_ADJUSTED: i64 = 28;

/// A money amount extracted strictly from Python (see module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub Decimal);

impl<'py> FromPyObject<'_, 'py> for Money {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let obj: &Bound<'py, PyAny> = &obj;
        if obj.is_instance_of::<PyBool>() {
            return Err(argument_type_error(
                py,
                "expected decimal.Decimal or int for an amount, got bool".to_owned(),
            ));
        }
        if obj.is_instance_of::<PyInt>() {
            let text = obj.str()?;
            return parse_exact(&text.to_cow()?).map(Money);
        }
        let decimal_cls = DECIMAL_CLS.import(py, "decimal", "Decimal")?;
        if obj.is_instance(decimal_cls)? {
            if !obj.call_method0("is_finite")?.is_truthy()? {
                return Err(InvalidAmountError::new_err(format!(
                    "amount must be finite, got {}",
                    obj.str()?.to_cow()?
                )));
            }
            // Guard before formatting: Decimal("1E+999999") would otherwise
            // expand to a million digits.
            let adjusted: i64 = obj.call_method0("adjusted")?.extract()?;
            let exponent: i64 = obj
                .call_method0("as_tuple")?
                .getattr("exponent")?
                .extract()?;
            if adjusted > MAX_ADJUSTED || exponent < -MAX_SCALE {
                return Err(InvalidAmountError::new_err(format!(
                    "amount {} is out of range (at most 28 integer digits and 28 decimals)",
                    obj.str()?.to_cow()?
                )));
            }
            // format(d, "f") never uses scientific notation and keeps the scale.
            let text = obj.call_method1("__format__", ("f",))?;
            let text = text.cast::<PyString>()?;
            return parse_exact(&text.to_cow()?).map(Money);
        }
        let hint = if obj.is_instance_of::<pyo3::types::PyFloat>() {
            " (floats are inexact: use decimal.Decimal(\"0.1\"), not 0.1)"
        } else if obj.is_instance_of::<PyString>() {
            " (parse strings explicitly with decimal.Decimal(text))"
        } else {
            ""
        };
        Err(argument_type_error(
            py,
            format!(
                "expected decimal.Decimal or int for an amount, got {}{hint}",
                type_name(obj)
            ),
        ))
    }
}

/// Parse a plain decimal string without any rounding.
fn parse_exact(text: &str) -> PyResult<Decimal> {
    Decimal::from_str_exact(text).map_err(|e| {
        InvalidAmountError::new_err(format!("amount {text} is not representable: {e}"))
    })
}

// ---------------------------------------------------------------------------
// Day: strict date extraction
// ---------------------------------------------------------------------------

/// A calendar date extracted strictly from `datetime.date` (not `datetime.datetime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl<'py> FromPyObject<'_, 'py> for Day {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let obj: &Bound<'py, PyAny> = &obj;
        if obj.is_instance_of::<PyDateTime>() {
            return Err(argument_type_error(
                py,
                "expected datetime.date, got datetime.datetime (call .date() explicitly)"
                    .to_owned(),
            ));
        }
        if !obj.is_instance_of::<PyDate>() {
            return Err(argument_type_error(
                py,
                format!("expected datetime.date, got {}", type_name(obj)),
            ));
        }
        obj.extract::<NaiveDate>().map(Day)
    }
}

/// A period from Python `start` / `end` (inclusive; `None` = open-ended),
/// validated by the core (`DatesOutOfOrderError`).
fn period(start: Day, end: Option<Day>) -> PyResult<Period> {
    core(Period::new(start.0, end.map(|d| d.0)))
}

/// An optional period from Python `start` / `end` (inclusive, each may be
/// `None`): `None` when both are missing (all dates).
fn optional_period(start: Option<Day>, end: Option<Day>) -> PyResult<Option<Period>> {
    match (start, end) {
        (None, None) => Ok(None),
        (start, end) => {
            let from = start.map_or(NaiveDate::MIN, |d| d.0);
            core(Period::new(from, end.map(|d| d.0))).map(Some)
        }
    }
}

// ---------------------------------------------------------------------------
// Weights: strict non-negative int extraction
// ---------------------------------------------------------------------------

/// A split or key weight: a Python `int` (not `bool`) in `0..2**64`.
/// Other types raise `ArgumentTypeError`; a negative or too large int raises
/// `InvalidFieldError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weight(pub u64);

impl<'py> FromPyObject<'_, 'py> for Weight {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let obj: &Bound<'py, PyAny> = &obj;
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(argument_type_error(
                py,
                format!("expected int for a weight, got {}", type_name(obj)),
            ));
        }
        if let Ok(w) = obj.extract::<u64>() {
            return Ok(Weight(w));
        }
        let reason = if obj.lt(0)? {
            format!(
                "{} is negative (weights are non-negative integers)",
                obj.str()?
            )
        } else {
            format!("{} is too large (at most 2**64 - 1)", obj.str()?)
        };
        Err(to_py_err(Error::InvalidField {
            field: "weight",
            reason,
        }))
    }
}

/// The weights of a sharing key: a mapping `{tenant code: weight}` or an
/// iterable of `(tenant code, weight)` pairs (which may name a tenant twice:
/// the core then raises `DuplicateKeyTenantError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyWeights(pub Vec<(String, u64)>);

impl<'py> FromPyObject<'_, 'py> for KeyWeights {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let obj: &Bound<'py, PyAny> = &obj;
        let expected = "expected a mapping of tenant code to int weight, or (tenant, weight) pairs";
        if obj.is_instance_of::<PyString>() {
            return Err(argument_type_error(py, format!("{expected}, got str")));
        }
        let pairs = match obj.cast::<PyMapping>() {
            Ok(mapping) => mapping.items()?.into_any(),
            Err(_) => obj.clone(),
        };
        let iter = pairs
            .try_iter()
            .map_err(|_| argument_type_error(py, format!("{expected}, got {}", type_name(obj))))?;
        let mut out = Vec::new();
        for item in iter {
            let item = item?;
            let pair = item
                .cast::<PyTuple>()
                .ok()
                .filter(|t| t.len() == 2)
                .ok_or_else(|| {
                    argument_type_error(py, format!("{expected}, got an item {}", type_name(&item)))
                })?;
            let tenant = pair.get_item(0)?;
            let tenant = tenant.cast::<PyString>().map_err(|_| {
                argument_type_error(
                    py,
                    format!("expected str for a tenant code, got {}", type_name(&tenant)),
                )
            })?;
            let weight: Weight = pair.get_item(1)?.extract()?;
            out.push((tenant.to_cow()?.into_owned(), weight.0));
        }
        Ok(KeyWeights(out))
    }
}

/// Refuses a bare `str` where a sequence of values is expected (iterating it
/// would silently give characters).
fn iterate<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
    let py = obj.py();
    if obj.is_instance_of::<PyString>() {
        return Err(argument_type_error(
            py,
            format!("expected a sequence for {what}, got str"),
        ));
    }
    obj.try_iter().map_err(|_| {
        argument_type_error(
            py,
            format!("expected a sequence for {what}, got {}", type_name(obj)),
        )
    })
}

/// Extracts every item of a column, an error naming its row.
fn column<'py, T>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<T>>
where
    T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    let py = obj.py();
    let mut out = Vec::new();
    for (row, item) in iterate(obj, what)?.enumerate() {
        let value = item
            .and_then(|x| x.extract::<T>())
            .map_err(|e| with_row(py, row, e))?;
        out.push(value);
    }
    Ok(out)
}

/// A `str` column item (asset code).
struct Code(String);

impl<'py> FromPyObject<'_, 'py> for Code {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let obj: &Bound<'py, PyAny> = &obj;
        match obj.cast::<PyString>() {
            Ok(s) => Ok(Code(s.to_cow()?.into_owned())),
            Err(_) => Err(argument_type_error(
                obj.py(),
                format!("expected str for an asset code, got {}", type_name(obj)),
            )),
        }
    }
}

/// A sequence of `str` (codes, tags, categories). A bare `str` is refused
/// with `ArgumentTypeError` (iterating it would give characters), as is an
/// item that is not a `str`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Codes(pub Vec<String>);

impl<'py> FromPyObject<'_, 'py> for Codes {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let obj: &Bound<'py, PyAny> = &obj;
        let mut out = Vec::new();
        for item in iterate(obj, "a list of str")? {
            let item = item?;
            match item.cast::<PyString>() {
                Ok(s) => out.push(s.to_cow()?.into_owned()),
                Err(_) => {
                    return Err(argument_type_error(
                        obj.py(),
                        format!("expected str items, got {}", type_name(&item)),
                    ))
                }
            }
        }
        Ok(Codes(out))
    }
}

// ---------------------------------------------------------------------------
// Record classes (immutable snapshots; list/dict getters return copies)
// ---------------------------------------------------------------------------

/// `Name(field=repr, ...)` using Python's repr of each value.
macro_rules! record_repr {
    ($py:expr, $name:literal, $( $field:ident = $value:expr ),+ $(,)?) => {{
        let parts: Vec<String> = vec![$(
            format!("{}={}", stringify!($field), ($value).into_bound_py_any($py)?.repr()?)
        ),+];
        Ok(format!("{}({})", $name, parts.join(", ")))
    }};
}

#[macro_use]
mod protocol;

mod access;
mod args;
mod bulk;
mod columns;
mod energy;
mod fleet;
mod furniture;
mod ingest;
mod leases;
mod open311;
mod planning;
mod records;
mod report;
mod settlement;
mod store;
mod table;
mod time;
mod workwear;

use bulk::Agents;
use planning::{
    PyAp, PyApRevision, PyApSituation, PyCandidate, PyOperation, PyPlaced, PyPlan, PyPpiRow,
    Schedule,
};
use records::{
    PyAmounts, PyCharge, PyCostLine, PyCostSummary, PyItem, PyJournalEntry, PyLabourRate,
    PyRequest, PyRequestDelays, PyStatusChange, PyStockIssue, PyStockLevel, PyStore, PySupplier,
    PySupplierActivity, PyTeam, PyVehicleRate, PyWorkOrder,
};
use settlement::{
    PyAgreement, PyBudget, PyBudgetLine, PyBudgetLineStatus, PyBudgetWarning, PyDebt, PyDebtLine,
    PyFctvaEstimate, PyLoan, PyLoanStatement, PyLoanUse, PyPooledService, PyPooledShare,
    PyPooledStatement, PySettlementItem, PySettlementReport, PyStatement,
};
use store::{PyCsvReport, PyImportReport, PyStoreHandle, PyStoredEvent};
use time::Instant;

/// A VAT line (supplier invoice line): HT, rate in percent, VAT and TTC.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "VatLine",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyVatLine {
    /// Amount before tax, to the cent.
    ht: Decimal,
    /// Rate in percent (20, 10, 5.5, 2.1).
    rate: Decimal,
    /// round(HT x rate).
    vat: Decimal,
    /// HT + VAT.
    ttc: Decimal,
}

record_class! {
    PyVatLine { ht, rate, vat, ttc }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "VatLine",
            ht = self.ht,
            rate = self.rate,
            vat = self.vat,
            ttc = self.ttc
        )
    }
}

/// A collectivité.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Tenant",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyTenant {
    /// Human code.
    code: String,
    /// Official name.
    name: String,
    /// Kind (snake_case).
    kind: crate::protocol::Label,
    /// SIREN (9 digits).
    siren: String,
    /// INSEE code (communes only).
    insee: Option<String>,
    /// Codes of the groupings it belongs to, in joining order.
    member_of: Vec<String>,
}

impl PyTenant {
    fn new(m: &mutualis::Mutualis, t: &Tenant) -> PyTenant {
        PyTenant {
            code: t.code.clone(),
            name: t.name.clone(),
            kind: t.kind.as_str().into(),
            siren: t.siren.to_string(),
            insee: t.insee.as_ref().map(ToString::to_string),
            member_of: t
                .member_of
                .iter()
                .map(|g| m.tenant_code(*g).to_owned())
                .collect(),
        }
    }
}

record_class! {
    PyTenant { code, name, kind, siren, insee, member_of }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Tenant",
            code = &self.code,
            name = &self.name,
            kind = &self.kind,
            siren = &self.siren,
            insee = &self.insee,
            member_of = &self.member_of
        )
    }
}

/// A service (cost centre) of a tenant.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Service",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyService {
    /// Tenant code.
    tenant: String,
    /// Service code.
    code: String,
    /// Name.
    name: String,
}

record_class! {
    PyService { tenant, code, name }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Service",
            tenant = &self.tenant,
            code = &self.code,
            name = &self.name
        )
    }
}

/// An asset of the patrimoine.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Asset",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyAsset {
    /// Human code.
    code: String,
    /// Name.
    name: String,
    /// Kind (snake_case).
    kind: crate::protocol::Label,
    /// Parent asset code.
    parent: Option<String>,
    /// Owner tenant code.
    owner: String,
    /// Managing service as (tenant code, service code).
    service: Option<(String, String)>,
    /// Commissioning date.
    commissioned: NaiveDate,
    /// Last day in service.
    decommissioned: Option<NaiveDate>,
    /// Floor area in m².
    floor_area: Option<Decimal>,
    /// Postal address.
    address: Option<String>,
    /// Free attributes, sorted by name.
    attributes: std::collections::BTreeMap<String, String>,
}

impl PyAsset {
    fn new(m: &mutualis::Mutualis, a: &Asset) -> PyAsset {
        let service = a
            .service
            .and_then(|id| m.services().get(id.index()))
            .map(|s| (m.tenant_code(s.tenant).to_owned(), s.code.clone()));
        PyAsset {
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().into(),
            parent: a.parent.map(|p| m.asset_code(p).to_owned()),
            owner: m.tenant_code(a.owner).to_owned(),
            service,
            commissioned: a.commissioned,
            decommissioned: a.decommissioned,
            floor_area: a.floor_area,
            address: a.address.clone(),
            attributes: a.attributes.clone(),
        }
    }
}

record_class! {
    PyAsset { code, name, kind, parent, owner, service, commissioned, decommissioned, floor_area, address, attributes }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Asset",
            code = &self.code,
            name = &self.name,
            kind = &self.kind,
            parent = &self.parent,
            owner = &self.owner,
            service = self.service.clone(),
            commissioned = self.commissioned,
            decommissioned = self.decommissioned,
            floor_area = self.floor_area,
            address = &self.address,
            attributes = self.attributes.clone()
        )
    }
}

/// A custody period (mise à disposition), first and last days inclusive.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Custody",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyCustody {
    /// Asset code.
    asset: String,
    /// Beneficiary tenant code.
    beneficiary: String,
    /// First day.
    start: NaiveDate,
    /// Last day, `None` when open-ended.
    end: Option<NaiveDate>,
}

record_class! {
    PyCustody { asset, beneficiary, start, end }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Custody",
            asset = &self.asset,
            beneficiary = &self.beneficiary,
            start = self.start,
            end = self.end
        )
    }
}

/// A transfer of ownership (transfert de propriété): `owner` holds title
/// from `start` (inclusive).
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Transfer",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyTransfer {
    /// Asset code.
    asset: String,
    /// The new owner's code.
    owner: String,
    /// First day of the new ownership.
    start: NaiveDate,
}

record_class! {
    PyTransfer { asset, owner, start }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Transfer",
            asset = &self.asset,
            owner = &self.owner,
            start = self.start
        )
    }
}

/// A sharing key of an asset over a period, weights in tenant-code order.
#[pyclass(frozen, eq, hash, name = "SharingKey", module = "mutualis._mutualis")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PySharingKey {
    asset: String,
    basis: crate::protocol::Label,
    start: NaiveDate,
    end: Option<NaiveDate>,
    weights: Vec<(String, u64)>,
}

record_class! {
    PySharingKey { asset, basis, start, end, weights }

    /// Asset code.
    #[getter]
    fn asset(&self) -> &str {
        &self.asset
    }

    /// What the weights measure (snake_case).
    #[getter]
    fn basis(&self) -> &str {
        &self.basis
    }

    /// First day.
    #[getter]
    fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day, `None` when open-ended.
    #[getter]
    fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// Weights per tenant code, in tenant-code order (a fresh dict each time).
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (tenant, weight) in &self.weights {
            dict.set_item(tenant, weight)?;
        }
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "SharingKey",
            asset = &self.asset,
            basis = &self.basis,
            start = self.start,
            end = self.end,
            weights = self.weights(py)?
        )
    }
}

/// Splits a payer source into its Python name and the asset code it names.
fn source_parts(m: &mutualis::Mutualis, source: PayerSource) -> (&'static str, Option<String>) {
    match source {
        PayerSource::SharingKey { asset } => ("sharing_key", Some(m.asset_code(asset).to_owned())),
        PayerSource::Custody { asset } => ("custody", Some(m.asset_code(asset).to_owned())),
        PayerSource::Owner => ("owner", None),
    }
}

/// The holder of an asset on a date and why.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Holder",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyHolder {
    /// Holder tenant code.
    tenant: String,
    /// "custody" or "owner".
    source: crate::protocol::Label,
    /// The asset carrying the custody (itself or an ancestor), if any.
    source_asset: Option<String>,
}

record_class! {
    PyHolder { tenant, source, source_asset }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Holder",
            tenant = &self.tenant,
            source = &self.source,
            source_asset = &self.source_asset
        )
    }
}

/// One payer and its integer weight.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Share",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyShare {
    /// Tenant code.
    tenant: String,
    /// Weight.
    weight: u64,
}

record_class! {
    PyShare { tenant, weight }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(py, "Share", tenant = &self.tenant, weight = self.weight)
    }
}

/// Who pays for a cost on an asset on a date.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Payers",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyPayers {
    /// "sharing_key", "custody" or "owner".
    source: crate::protocol::Label,
    /// The asset carrying the key or custody, if any.
    source_asset: Option<String>,
    /// Payers with positive weights, in tenant-code order.
    shares: Vec<PyShare>,
}

record_class! {
    PyPayers { source, source_asset, shares }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Payers",
            source = &self.source,
            source_asset = &self.source_asset,
            shares = self.shares.clone()
        )
    }
}

/// One tenant's part of a split cost.
#[pyclass(
    frozen,
    eq,
    hash,
    get_all,
    name = "Allocation",
    module = "mutualis._mutualis"
)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PyAllocation {
    /// Tenant code.
    tenant: String,
    /// Amount, to the cent.
    amount: Decimal,
}

record_class! {
    PyAllocation { tenant, amount }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        record_repr!(
            py,
            "Allocation",
            tenant = &self.tenant,
            amount = self.amount
        )
    }
}

// ---------------------------------------------------------------------------
// Module functions
// ---------------------------------------------------------------------------

/// Splits `amount` (whole cents) by integer `weights`: floor parts, leftover
/// cents to the largest remainders, ties to the earliest weight; a negative
/// amount is split as its absolute value and negated.
#[pyfunction]
fn split(amount: Money, weights: Vec<Weight>) -> PyResult<Vec<Decimal>> {
    let weights: Vec<u64> = weights.into_iter().map(|w| w.0).collect();
    core(money::split(amount.0, &weights))
}

/// Rounds to the cent, half away from zero (always 2 decimal places).
#[pyfunction]
fn round_cents(amount: Money) -> Decimal {
    money::round_cents(amount.0)
}

/// A VAT line from an HT amount and a rate in percent (20, 10, 5.5, 2.1).
#[pyfunction]
fn vat_line(ht: Money, rate: Money) -> PyResult<PyVatLine> {
    let rate = core(VatRate::from_percent(rate.0))?;
    let line = core(money::VatLine::from_ht(ht.0, rate))?;
    Ok(PyVatLine {
        ht: line.ht,
        rate: line.rate.percent(),
        vat: line.vat,
        ttc: line.ttc,
    })
}

/// The VAT rates in force on `on` (percent, highest first): the dated table
/// of the CGI (19.6 % and 7 % until 2013-12-31, then 20 % and 10 %).
#[pyfunction]
fn vat_rates_on(on: Day) -> Vec<Decimal> {
    money::vat_rates_on(on.0)
        .iter()
        .map(|r| r.percent())
        .collect()
}

/// The FCTVA rate (percent) for spending of `year` (dated table: 15.482 %
/// from 2003, 15.761 % in 2014, 16.404 % from 2015).
#[pyfunction]
fn fctva_rate(#[pyo3(from_py_with = crate::args::year)] year: i32) -> PyResult<Decimal> {
    core(mutualis::fctva::fctva_rate(year))
}

/// Validates a SIREN (spaces ignored) and returns its 9 digits.
#[pyfunction]
fn parse_siren(value: &str) -> PyResult<String> {
    core(Siren::parse(value)).map(|s| s.to_string())
}

/// Validates a SIRET (spaces ignored) and returns its 14 digits.
#[pyfunction]
fn parse_siret(value: &str) -> PyResult<String> {
    core(Siret::parse(value)).map(|s| s.to_string())
}

/// Validates an INSEE commune code and returns it.
#[pyfunction]
fn parse_insee(value: &str) -> PyResult<String> {
    core(InseeCode::parse(value)).map(|s| s.to_string())
}

// ---------------------------------------------------------------------------
// The façade
// ---------------------------------------------------------------------------

/// The registry of a group of collectivités: tenants, services, assets,
/// custody periods and sharing keys (the core's `mutualis::Mutualis`).
///
/// The class is `frozen` (methods take `&self`, no "Already borrowed"
/// errors) and the registry sits behind a `std::sync::Mutex`, so one object
/// can be shared between threads. Every command validates everything first
/// and changes nothing when it raises.
///
/// A `Mutualis` returned by `Store.checkout()` or `Store.registry()` is a
/// view of the store's own registry (no copy): see `store.rs`.
#[pyclass(frozen, name = "Mutualis", module = "mutualis._mutualis")]
pub struct PyMutualis {
    state: store::Registry,
    /// The principal this object acts for (`as_principal`); `None` for the
    /// unchecked façade.
    principal: Option<String>,
}

thread_local! {
    /// Registries (by address) whose lock this thread holds while a Python
    /// progress callback of `record_costs` runs.
    static BUSY: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// True while this thread runs a progress callback holding the lock of the
/// registry (or store) at `address`.
pub(crate) fn is_busy(address: usize) -> bool {
    BUSY.with(|busy| busy.borrow().contains(&address))
}

/// Marks a registry busy on this thread for as long as it lives.
struct BusyGuard(usize);

impl BusyGuard {
    fn enter(address: usize) -> BusyGuard {
        BUSY.with(|busy| busy.borrow_mut().push(address));
        BusyGuard(address)
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        BUSY.with(|busy| {
            let mut busy = busy.borrow_mut();
            if let Some(i) = busy.iter().rposition(|a| *a == self.0) {
                busy.remove(i);
            }
        });
    }
}

impl PyMutualis {
    /// Runs an ingestion with the registry locked; `progress` is called
    /// while the lock is held (a callback using this registry gets a
    /// RuntimeError, not a deadlock).
    fn ingest_tables(
        &self,
        py: Python<'_>,
        tables: &mutualis::ingest::Tables,
        mode: mutualis::ingest::IngestMode,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<ingest::PyIngestReport> {
        let address = self.address();
        let report = self.write(py, |m| match progress {
            None => m.ingest(tables, mode, None),
            Some(p) => {
                let mut call = |done: usize, total: usize| {
                    let _ = p.call1((done, total));
                };
                let _busy = BusyGuard::enter(address);
                m.ingest(tables, mode, Some(&mut call))
            }
        })?;
        Ok(report.into())
    }

    fn wrap(m: mutualis::Mutualis) -> PyMutualis {
        PyMutualis {
            state: store::Registry::Own(std::sync::Arc::new(Mutex::new(m))),
            principal: None,
        }
    }

    /// Records one cost line and returns it as a record.
    fn record(&self, py: Python<'_>, work_order: &str, cost: CostInput) -> PyResult<PyCostLine> {
        self.write(py, |m| {
            let id = m.record_cost(work_order, cost)?;
            let line = m.cost_lines().get(id).ok_or_else(|| {
                Error::UnknownWorkOrder(format!("{work_order} (line {} not found)", id.index()))
            })?;
            Ok(PyCostLine::new(m, &line))
        })
    }

    /// Lock the registry without deadlocking against the GIL
    /// (`lock_py_attached` detaches while waiting). A poisoned lock cannot
    /// happen (no panics while locked) but is recovered rather than unwrapped.
    ///
    /// While `record_costs` calls its progress callback, this thread holds
    /// the lock: a callback using the same registry gets a `RuntimeError`
    /// instead of a deadlock.
    ///
    /// A view of a store's registry locks the store; it raises
    /// `StorageError` once the store is closed and `StaleCopyError` once the
    /// store discarded the changes it was checked out for.
    fn locked<'a>(&'a self, py: Python<'_>) -> PyResult<store::RegistryGuard<'a>> {
        if is_busy(self.address()) {
            return Err(PyRuntimeError::new_err(
                "this Mutualis is recording costs: its progress callback cannot use it",
            ));
        }
        self.state.lock(py)
    }

    /// The locked registry, read-only, for the queries principals may not
    /// run: an object bound to a principal (`as_principal`) gets
    /// `ForbiddenError` (queries open to principals go through the core's
    /// filtering reader instead).
    fn state<'a>(&'a self, py: Python<'_>) -> PyResult<ReadGuard<'a>> {
        self.facade_only()?;
        Ok(ReadGuard(self.locked(py)?))
    }

    /// `ForbiddenError` for an object bound to a principal: what follows
    /// is for the unchecked façade only.
    fn facade_only(&self) -> PyResult<()> {
        match &self.principal {
            None => Ok(()),
            Some(p) => Err(to_py_err(Error::Forbidden {
                principal: p.clone(),
                action: "read (this query is for the unchecked façade only)".into(),
                target: "the group".into(),
            })),
        }
    }

    /// The reader of `m` for this object: unchecked for the façade, the
    /// core's filtering reader for an object bound to a principal.
    fn reader<'g>(&self, m: &'g mutualis::Mutualis) -> PyResult<mutualis::access::Reader<'g>> {
        match &self.principal {
            None => Ok(m.unchecked_reader()),
            Some(p) => core(m.as_principal(p)),
        }
    }

    /// The locked registry to change outside any command (the actor, the
    /// clock): refused to an object bound to a principal, whose actor is
    /// the principal.
    fn unbound<'a>(&'a self, py: Python<'_>, what: &str) -> PyResult<store::RegistryGuard<'a>> {
        if let Some(p) = &self.principal {
            return Err(to_py_err(Error::Forbidden {
                principal: p.clone(),
                action: format!("access:write ({what})"),
                target: "the group".into(),
            }));
        }
        self.locked(py)
    }

    /// Runs a command: as is on the unchecked façade, authorised event by
    /// event through the core's session for an object bound to a principal
    /// (a refused command changes nothing and raises `ForbiddenError`).
    fn write<T>(
        &self,
        py: Python<'_>,
        command: impl FnOnce(&mut mutualis::Mutualis) -> mutualis::Result<T>,
    ) -> PyResult<T> {
        let mut m = self.locked(py)?;
        match &self.principal {
            None => core(command(&mut m)),
            Some(p) => core(m.as_principal_mut(p).and_then(|mut s| s.execute(command))),
        }
    }

    /// Identity of this registry for the [`BUSY`] set (the store's, for a
    /// view of a store's registry).
    fn address(&self) -> usize {
        self.state
            .address()
            .unwrap_or(std::ptr::from_ref(self) as usize)
    }
}

/// A locked registry that only reads.
pub(crate) struct ReadGuard<'a>(store::RegistryGuard<'a>);

impl std::ops::Deref for ReadGuard<'_> {
    type Target = mutualis::Mutualis;
    fn deref(&self) -> &mutualis::Mutualis {
        &self.0
    }
}

/// Row-wise result of the bulk split: (input row, payer, amount).
type BulkRows = (Vec<usize>, Vec<TenantId>, Vec<Decimal>);

/// The bulk split (no Python objects; runs with the GIL released).
fn bulk_split(
    m: &mutualis::Mutualis,
    assets: &[Code],
    dates: &[Day],
    amounts: &[Money],
) -> Result<BulkRows, Box<(usize, Error)>> {
    let mut rows = Vec::with_capacity(assets.len());
    let mut tenants = Vec::with_capacity(assets.len());
    let mut parts = Vec::with_capacity(assets.len());
    for (row, ((asset, day), amount)) in assets.iter().zip(dates).zip(amounts).enumerate() {
        let split = m
            .asset_id(&asset.0)
            .and_then(|a| m.payers_of(a, day.0))
            .and_then(|p| p.split(amount.0))
            .map_err(|e| Box::new((row, e)))?;
        for (tenant, part) in split {
            rows.push(row);
            tenants.push(tenant);
            parts.push(part);
        }
    }
    Ok((rows, tenants, parts))
}

#[pymethods]
impl PyMutualis {
    /// An empty registry.
    #[new]
    fn new() -> Self {
        Self::wrap(mutualis::Mutualis::new())
    }

    /// The request catalogue of this registry (a view: its calls are this
    /// registry's commands and queries).
    fn request_catalogue(slf: Py<Self>) -> open311::PyRequestCatalogue {
        open311::PyRequestCatalogue::of(slf)
    }

    /// Loads a dataset from the versioned JSON format (see docs/json-format.md).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let loaded = py.detach(|| mutualis::Mutualis::from_json(text));
        core(loaded).map(Self::wrap)
    }

    /// The whole dataset as JSON (deterministic: same dataset, same bytes).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.state(py)?.to_json())
    }

    /// Reads a dataset file (UTF-8 JSON). IO failures raise
    /// `DatasetFileError` (an `OSError`); content errors as `from_json`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = py
            .detach(|| std::fs::read(&path))
            .map_err(|e| dataset_file_error(py, "read", &path, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            to_py_err(Error::InvalidJson {
                line: 0,
                column: 0,
                message: format!(
                    "{} is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ),
            })
        })?;
        Self::from_json(py, &text)
    }

    /// Writes the dataset to a file as JSON (replacing it).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let json = self.to_json(py)?;
        py.detach(|| std::fs::write(&path, json))
            .map_err(|e| dataset_file_error(py, "write", &path, &e))
    }

    /// An independent copy (for what-if scenarios).
    fn copy(&self, py: Python<'_>) -> PyResult<Self> {
        Ok(Self::wrap(self.state(py)?.clone()))
    }

    // --- commands -----------------------------------------------------------

    /// Adds a collectivité; `insee` is required for a commune and refused otherwise.
    #[pyo3(signature = (code, name, kind, siren, insee=None))]
    fn add_tenant(
        &self,
        py: Python<'_>,
        code: &str,
        name: &str,
        kind: &str,
        siren: &str,
        insee: Option<&str>,
    ) -> PyResult<()> {
        let kind: TenantKind = core(kind.parse())?;
        let mut spec = NewTenant::new(code, name, kind, siren);
        spec.insee = insee.map(str::to_owned);
        self.write(py, |m| m.add_tenant(spec)).map(drop)
    }

    /// Records that `member` belongs to the grouping `group` (EPCI or syndicat).
    fn join(&self, py: Python<'_>, member: &str, group: &str) -> PyResult<()> {
        self.write(py, |m| m.join(member, group))
    }

    /// Adds a service (cost centre) to a tenant.
    fn add_service(&self, py: Python<'_>, tenant: &str, code: &str, name: &str) -> PyResult<()> {
        self.write(py, |m| m.add_service(tenant, code, name))
            .map(drop)
    }

    /// Adds an asset. `service` is a `(tenant, service)` pair of codes.
    #[pyo3(signature = (code, name, kind, owner, commissioned, *, parent=None, service=None,
                        decommissioned=None, floor_area=None, address=None, attributes=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_asset(
        &self,
        py: Python<'_>,
        code: &str,
        name: &str,
        kind: &str,
        owner: &str,
        commissioned: Day,
        parent: Option<String>,
        service: Option<(String, String)>,
        decommissioned: Option<Day>,
        floor_area: Option<Money>,
        address: Option<String>,
        attributes: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<()> {
        let kind: AssetKind = core(kind.parse())?;
        let mut spec = NewAsset::new(code, name, kind, owner, commissioned.0);
        spec.parent = parent;
        spec.service = service.map(|(tenant, service)| ServiceRef { tenant, service });
        spec.decommissioned = decommissioned.map(|d| d.0);
        spec.floor_area = floor_area.map(|a| a.0);
        spec.address = address;
        spec.attributes = attributes.unwrap_or_default();
        self.write(py, |m| m.add_asset(spec)).map(drop)
    }

    /// Moves an asset under `parent` (or to the top with `None`).
    fn set_parent(&self, py: Python<'_>, asset: &str, parent: Option<&str>) -> PyResult<()> {
        self.write(py, |m| m.set_parent(asset, parent))
    }

    /// Records the last day in service of an asset.
    fn decommission(&self, py: Python<'_>, asset: &str, last_day: Day) -> PyResult<()> {
        self.write(py, |m| m.decommission(asset, last_day.0))
    }

    /// Sets (or with `None`, removes) a free attribute of an asset.
    fn set_attribute(
        &self,
        py: Python<'_>,
        asset: &str,
        name: &str,
        value: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| m.set_attribute(asset, name, value))
    }

    /// Puts `asset` at the disposal of `beneficiary` from `start` to `end`
    /// (inclusive; `None` = open-ended).
    #[pyo3(signature = (asset, beneficiary, start, end=None))]
    fn grant_custody(
        &self,
        py: Python<'_>,
        asset: &str,
        beneficiary: &str,
        start: Day,
        end: Option<Day>,
    ) -> PyResult<()> {
        let p = period(start, end)?;
        self.write(py, |m| m.grant_custody(asset, beneficiary, p))
    }

    /// Transfers the ownership of `asset` to `owner` from `start`
    /// (inclusive), with its descendants that had the same owner on that
    /// date; returns the codes of the assets transferred, the asset first.
    fn transfer_ownership(
        &self,
        py: Python<'_>,
        asset: &str,
        owner: &str,
        start: Day,
    ) -> PyResult<Vec<String>> {
        self.write(py, |m| {
            let moved = m.transfer_ownership(asset, owner, start.0)?;
            Ok(moved.iter().map(|&a| m.asset_code(a).to_owned()).collect())
        })
    }

    /// The owner's code of `asset` on a date (after any transfer).
    fn owner_on(&self, py: Python<'_>, asset: &str, on: Day) -> PyResult<String> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let owner = core(r.owner_on(asset, on.0))?;
        Ok(m.tenant_code(owner).to_owned())
    }

    /// The transfers of ownership of an asset, oldest first.
    fn ownership_history(&self, py: Python<'_>, asset: &str) -> PyResult<Vec<PyTransfer>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let history = core(r.ownership_history(asset))?;
        Ok(history
            .iter()
            .map(|t| PyTransfer {
                asset: asset.to_owned(),
                owner: m.tenant_code(t.owner).to_owned(),
                start: t.from,
            })
            .collect())
    }

    /// Closes the open-ended custody of `asset` on `last_day` (inclusive).
    fn end_custody(&self, py: Python<'_>, asset: &str, last_day: Day) -> PyResult<()> {
        self.write(py, |m| m.end_custody(asset, last_day.0))
    }

    /// Records a sharing key on `asset` from `start` to `end` (inclusive).
    #[pyo3(signature = (asset, basis, weights, start, end=None))]
    fn set_sharing_key(
        &self,
        py: Python<'_>,
        asset: &str,
        basis: &str,
        weights: KeyWeights,
        start: Day,
        end: Option<Day>,
    ) -> PyResult<()> {
        let basis: KeyBasis = core(basis.parse())?;
        let p = period(start, end)?;
        let pairs: Vec<(&str, u64)> = weights.0.iter().map(|(t, w)| (t.as_str(), *w)).collect();
        self.write(py, |m| m.set_sharing_key(asset, basis, p, &pairs))
    }

    /// Closes the open-ended sharing key of `asset` on `last_day` (inclusive).
    fn end_sharing_key(&self, py: Python<'_>, asset: &str, last_day: Day) -> PyResult<()> {
        self.write(py, |m| m.end_sharing_key(asset, last_day.0))
    }

    // --- queries ------------------------------------------------------------

    /// The tenant with this code.
    fn tenant(&self, py: Python<'_>, code: &str) -> PyResult<PyTenant> {
        let m = self.state(py)?;
        Ok(PyTenant::new(&m, core(m.tenant(code))?))
    }

    /// All tenants, in creation order.
    fn tenants(&self, py: Python<'_>) -> PyResult<Vec<PyTenant>> {
        let m = self.state(py)?;
        Ok(m.tenants().iter().map(|t| PyTenant::new(&m, t)).collect())
    }

    /// Direct members of a grouping, in creation order.
    fn members(&self, py: Python<'_>, group: &str) -> PyResult<Vec<PyTenant>> {
        let m = self.state(py)?;
        let members = core(m.members(group))?;
        Ok(members.into_iter().map(|t| PyTenant::new(&m, t)).collect())
    }

    /// Services of one tenant, or all services, in creation order.
    #[pyo3(signature = (tenant=None))]
    fn services(&self, py: Python<'_>, tenant: Option<&str>) -> PyResult<Vec<PyService>> {
        let m = self.state(py)?;
        let services = match tenant {
            Some(t) => core(m.services_of(t))?,
            None => m.services().iter().collect(),
        };
        Ok(services
            .into_iter()
            .map(|s| PyService {
                tenant: m.tenant_code(s.tenant).to_owned(),
                code: s.code.clone(),
                name: s.name.clone(),
            })
            .collect())
    }

    /// The asset with this code.
    fn asset(&self, py: Python<'_>, code: &str) -> PyResult<PyAsset> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(PyAsset::new(&m, core(r.asset(code))?))
    }

    /// All assets, in creation order.
    fn assets(&self, py: Python<'_>) -> PyResult<Vec<PyAsset>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.assets()
            .into_iter()
            .map(|a| PyAsset::new(&m, a))
            .collect())
    }

    /// The direct children of an asset, in creation order.
    fn children(&self, py: Python<'_>, code: &str) -> PyResult<Vec<PyAsset>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let children = core(r.children(code))?;
        Ok(children.into_iter().map(|a| PyAsset::new(&m, a)).collect())
    }

    /// The asset and all its descendants, depth-first.
    fn subtree(&self, py: Python<'_>, code: &str) -> PyResult<Vec<PyAsset>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let all = core(r.subtree(code))?;
        Ok(all.into_iter().map(|a| PyAsset::new(&m, a)).collect())
    }

    /// The custody periods of an asset, oldest first.
    fn custody_history(&self, py: Python<'_>, asset: &str) -> PyResult<Vec<PyCustody>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let history = core(r.custody_history(asset))?;
        Ok(history
            .iter()
            .map(|c| PyCustody {
                asset: asset.to_owned(),
                beneficiary: m.tenant_code(c.beneficiary).to_owned(),
                start: c.period.from,
                end: c.period.to,
            })
            .collect())
    }

    /// The sharing keys recorded on an asset itself (not inherited), oldest first.
    fn sharing_keys(&self, py: Python<'_>, asset: &str) -> PyResult<Vec<PySharingKey>> {
        let m = self.state(py)?;
        let keys = core(m.sharing_keys(asset))?;
        Ok(keys
            .iter()
            .map(|k| PySharingKey {
                asset: asset.to_owned(),
                basis: k.basis.as_str().into(),
                start: k.period.from,
                end: k.period.to,
                weights: k
                    .shares
                    .iter()
                    .map(|s| (m.tenant_code(s.tenant).to_owned(), s.weight))
                    .collect(),
            })
            .collect())
    }

    /// The holder of an asset on a date: the custody beneficiary, else the owner.
    fn holder(&self, py: Python<'_>, asset: &str, on: Day) -> PyResult<PyHolder> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let h = core(r.holder(asset, on.0))?;
        let (source, source_asset) = source_parts(&m, h.source);
        Ok(PyHolder {
            tenant: m.tenant_code(h.tenant).to_owned(),
            source: source.into(),
            source_asset,
        })
    }

    /// Who pays for a cost on `asset` on a date (key, else custody, else owner).
    fn payers(&self, py: Python<'_>, asset: &str, on: Day) -> PyResult<PyPayers> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let p = core(r.payers(asset, on.0))?;
        let (source, source_asset) = source_parts(&m, p.source);
        Ok(PyPayers {
            source: source.into(),
            source_asset,
            shares: p
                .shares
                .iter()
                .map(|s| PyShare {
                    tenant: m.tenant_code(s.tenant).to_owned(),
                    weight: s.weight,
                })
                .collect(),
        })
    }

    /// Splits a cost (whole cents) on `asset` on a date between its payers.
    fn split_cost(
        &self,
        py: Python<'_>,
        asset: &str,
        on: Day,
        amount: Money,
    ) -> PyResult<Vec<PyAllocation>> {
        let m = self.state(py)?;
        let parts = core(m.split_cost(asset, on.0, amount.0))?;
        Ok(parts
            .into_iter()
            .map(|(t, a)| PyAllocation {
                tenant: m.tenant_code(t).to_owned(),
                amount: a,
            })
            .collect())
    }

    /// Bulk `split_cost`: three equal-length columns in, columns
    /// `{"row", "tenant", "amount"}` out (one row per payer part; `row` is
    /// the input index). Any bad row raises, naming the row; nothing is
    /// returned then.
    fn split_costs<'py>(
        &self,
        py: Python<'py>,
        assets: &Bound<'py, PyAny>,
        dates: &Bound<'py, PyAny>,
        amounts: &Bound<'py, PyAny>,
    ) -> PyResult<crate::table::PyTable> {
        let assets: Vec<Code> = column(assets, "assets")?;
        let dates: Vec<Day> = column(dates, "dates")?;
        let amounts: Vec<Money> = column(amounts, "amounts")?;
        if assets.len() != dates.len() || assets.len() != amounts.len() {
            return Err(to_py_err(Error::InvalidField {
                field: "split_costs columns",
                reason: format!(
                    "assets, dates and amounts must have the same length (got {}, {} and {})",
                    assets.len(),
                    dates.len(),
                    amounts.len()
                ),
            }));
        }
        let guard = self.state(py)?;
        let m: &mutualis::Mutualis = &guard;
        let (rows, tenants, parts) = py
            .detach(|| bulk_split(m, &assets, &dates, &amounts))
            .map_err(|failed| {
                let (row, e) = *failed;
                error_with_message(&e, format!("row {row}: {e}"))
            })?;
        let tenants = crate::table::tenant_codes(m, &tenants);
        drop(guard);
        let mut out = crate::table::Columns::new();
        out.set_item("row", rows)?;
        out.push("tenant", tenants);
        out.set_item("amount", parts)?;
        out.finish()
    }

    /// Payers of every asset in service on `on`, as columns
    /// `{"asset", "tenant", "weight", "source"}` (one row per payer).
    fn payers_table<'py>(&self, py: Python<'py>, on: Day) -> PyResult<crate::table::PyTable> {
        let m = self.state(py)?;
        let mut assets = Vec::new();
        let mut tenants = Vec::new();
        let mut weights = Vec::new();
        let mut sources = Vec::new();
        for a in m.assets().iter().filter(|a| a.in_service(on.0)) {
            let p = core(m.payers_of(a.id, on.0))?;
            let (source, _) = source_parts(&m, p.source);
            for s in &p.shares {
                assets.push(a.id);
                tenants.push(s.tenant);
                weights.push(s.weight);
                sources.push(source);
            }
        }
        let codes: Vec<&str> = m.assets().iter().map(|a| a.code.as_str()).collect();
        let assets: Vec<u32> = assets
            .iter()
            .map(|a| u32::try_from(a.index()).unwrap_or(u32::MAX))
            .collect();
        let mut out = crate::table::Columns::new();
        out.push("asset", crate::table::id_codes(&codes, &assets, None));
        out.push("tenant", crate::table::tenant_codes(&m, &tenants));
        out.set_item("weight", weights)?;
        out.set_item("source", sources)?;
        out.finish()
    }

    // --- fleet (parc auto) ---------------------------------------------------

    /// Registers an existing asset (kind "vehicle" or "equipment") in the
    /// fleet. `registration` goes with `first_registration`; `weight`
    /// defaults by category; `lifts_persons` defaults to True for an aerial
    /// work platform.
    #[pyo3(signature = (asset, category, energy, *, registration=None, first_registration=None, vin=None, weight=None, service_tenant=None, service=None, lifts_persons=None))]
    #[allow(clippy::too_many_arguments)]
    fn register_vehicle(
        &self,
        py: Python<'_>,
        asset: &str,
        category: &str,
        energy: &str,
        registration: Option<String>,
        first_registration: Option<Day>,
        vin: Option<String>,
        weight: Option<&str>,
        service_tenant: Option<&str>,
        service: Option<&str>,
        lifts_persons: Option<bool>,
    ) -> PyResult<()> {
        use mutualis::fleet::{Energy, NewVehicle, VehicleCategory, WeightClass};
        let mut spec = NewVehicle::new(
            asset,
            core(category.parse::<VehicleCategory>())?,
            core(energy.parse::<Energy>())?,
        );
        spec.registration = registration;
        spec.first_registration = first_registration.map(|d| d.0);
        spec.vin = vin;
        if let Some(w) = weight {
            spec.weight = core(w.parse::<WeightClass>())?;
        }
        if let Some(l) = lifts_persons {
            spec.lifts_persons = l;
        }
        match (service_tenant, service) {
            (Some(t), Some(s)) => spec = spec.assigned_to(t, s),
            (None, None) => {}
            _ => {
                return Err(to_py_err(Error::InvalidField {
                    field: "service",
                    reason: "service_tenant and service go together".into(),
                }))
            }
        }
        self.write(py, |m| m.register_vehicle(spec))
    }

    /// Sets a vehicle's status ("in_service", "immobilised", "reformed",
    /// "sold") from a date.
    fn set_vehicle_status(
        &self,
        py: Python<'_>,
        vehicle: &str,
        status: &str,
        since: Day,
    ) -> PyResult<()> {
        let status = core(status.parse::<mutualis::fleet::VehicleStatus>())?;
        self.write(py, |m| m.set_vehicle_status(vehicle, status, since.0))
    }

    /// Records a meter reading ("km" or "hours"); a lower reading than the
    /// last raises MeterRegressionError (record a replacement first).
    fn record_meter_reading(
        &self,
        py: Python<'_>,
        vehicle: &str,
        meter: &str,
        on: Day,
        value: u64,
    ) -> PyResult<()> {
        let meter = core(meter.parse::<mutualis::fleet::Meter>())?;
        self.write(py, |m| m.record_meter_reading(vehicle, meter, on.0, value))
    }

    /// Records a meter replacement: from `on` the meter reads `value`.
    fn replace_meter(
        &self,
        py: Python<'_>,
        vehicle: &str,
        meter: &str,
        on: Day,
        value: u64,
    ) -> PyResult<()> {
        let meter = core(meter.parse::<mutualis::fleet::Meter>())?;
        self.write(py, |m| m.replace_meter(vehicle, meter, on.0, value))
    }

    /// Records a fuel ("litres") or charging ("kwh") line: `quantity`, the
    /// amount `ht` and the `vat_rate` percent.
    #[pyo3(signature = (vehicle, on, quantity, ht, vat_rate, *, unit="litres"))]
    #[allow(clippy::too_many_arguments)]
    fn record_fuel(
        &self,
        py: Python<'_>,
        vehicle: &str,
        on: Day,
        quantity: Money,
        ht: Money,
        vat_rate: Money,
        unit: &str,
    ) -> PyResult<()> {
        let line = mutualis::fleet::NewFuelLine {
            date: on.0,
            quantity: quantity.0,
            unit: core(unit.parse::<mutualis::fleet::FuelUnit>())?,
            ht: ht.0,
            vat: core(VatRate::from_percent(vat_rate.0))?,
        };
        self.write(py, |m| m.record_fuel(vehicle, line))
    }

    /// Records an inspection ("controle_technique", "vgp") and its result
    /// ("passed", "counter_visit", "failed": the vehicle is immobilised).
    #[pyo3(signature = (vehicle, kind, on, result, *, counter_visit_by=None))]
    fn record_inspection(
        &self,
        py: Python<'_>,
        vehicle: &str,
        kind: &str,
        on: Day,
        result: &str,
        counter_visit_by: Option<Day>,
    ) -> PyResult<()> {
        let i = mutualis::fleet::NewInspection {
            kind: core(kind.parse())?,
            date: on.0,
            result: core(result.parse())?,
            counter_visit_by: counter_visit_by.map(|d| d.0),
        };
        self.write(py, |m| m.record_inspection(vehicle, i))
    }

    /// Adds a preventive maintenance plan: every `every_km`, `every_hours`
    /// or `every_months`, whichever first, from the last service.
    #[pyo3(signature = (code, vehicle, label, last_date, *, every_km=None, every_hours=None, every_months=None, last_km=None, last_hours=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_maintenance_plan(
        &self,
        py: Python<'_>,
        code: String,
        vehicle: String,
        label: String,
        last_date: Day,
        every_km: Option<u64>,
        every_hours: Option<u64>,
        every_months: Option<u32>,
        last_km: Option<u64>,
        last_hours: Option<u64>,
    ) -> PyResult<()> {
        let plan = mutualis::fleet::NewMaintenancePlan {
            code,
            vehicle,
            label,
            every_km,
            every_hours,
            every_months,
            last_date: last_date.0,
            last_km,
            last_hours,
        };
        self.write(py, |m| m.add_maintenance_plan(plan))
    }

    /// Records that a plan's service was done on `on` (km and hours: the
    /// meters' readings of the day when not given).
    #[pyo3(signature = (plan, on, *, km=None, hours=None))]
    fn record_maintenance(
        &self,
        py: Python<'_>,
        plan: &str,
        on: Day,
        km: Option<u64>,
        hours: Option<u64>,
    ) -> PyResult<()> {
        self.write(py, |m| m.record_maintenance(plan, on.0, km, hours))
    }

    /// Creates the work order `code` of a plan's next service by a régie
    /// `team`; returns its code.
    fn maintenance_work_order(
        &self,
        py: Python<'_>,
        plan: &str,
        code: &str,
        team: &str,
    ) -> PyResult<String> {
        self.write(py, |m| m.maintenance_work_order(plan, code, team))?;
        Ok(code.to_owned())
    }

    /// Imports a fleet register from CSV text (see the core's
    /// `import_vehicles_csv`); as `import_assets_csv`.
    #[pyo3(signature = (text, *, all_or_nothing=false))]
    fn import_vehicles_csv(
        &self,
        py: Python<'_>,
        text: &str,
        all_or_nothing: bool,
    ) -> PyResult<PyCsvReport> {
        let report = self.write(py, |m| {
            py.detach(|| m.import_vehicles_csv(text, all_or_nothing))
        })?;
        Ok(PyCsvReport::new(py, report))
    }

    /// Imports meter readings and fuel lines (a fuel-card or telematics
    /// export) from CSV text; as `import_assets_csv`.
    #[pyo3(signature = (text, *, all_or_nothing=false))]
    fn import_fleet_lines_csv(
        &self,
        py: Python<'_>,
        text: &str,
        all_or_nothing: bool,
    ) -> PyResult<PyCsvReport> {
        let report = self.write(py, |m| {
            py.detach(|| m.import_fleet_lines_csv(text, all_or_nothing))
        })?;
        Ok(PyCsvReport::new(py, report))
    }

    /// The fleet register, in registration order.
    fn vehicles(&self, py: Python<'_>) -> PyResult<Vec<fleet::PyVehicle>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.vehicles()
            .into_iter()
            .map(|v| fleet::PyVehicle::new(&m, v))
            .collect())
    }

    /// One vehicle of the register.
    fn vehicle(&self, py: Python<'_>, code: &str) -> PyResult<fleet::PyVehicle> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let v = core(r.vehicle(code))?;
        Ok(fleet::PyVehicle::new(&m, v))
    }

    /// A vehicle's readings of a meter as (date, value, replaced) tuples,
    /// oldest first.
    fn meter_readings(
        &self,
        py: Python<'_>,
        vehicle: &str,
        meter: &str,
    ) -> PyResult<Vec<(NaiveDate, u64, bool)>> {
        let meter = core(meter.parse::<mutualis::fleet::Meter>())?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let r = core(r.meter_readings(vehicle, meter))?;
        Ok(r.iter().map(|r| (r.date, r.value, r.replaced)).collect())
    }

    /// A vehicle's inspections, in recording order.
    fn inspections(&self, py: Python<'_>, vehicle: &str) -> PyResult<Vec<fleet::PyInspection>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let list = core(r.inspections(vehicle))?;
        Ok(list
            .iter()
            .map(|i| fleet::PyInspection::new(&m, i))
            .collect())
    }

    /// The maintenance plans, in the order added.
    fn maintenance_plans(&self, py: Python<'_>) -> PyResult<Vec<fleet::PyMaintenancePlan>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.maintenance_plans()
            .into_iter()
            .map(|p| fleet::PyMaintenancePlan::new(&m, p))
            .collect())
    }

    /// Everything due for one vehicle on `on` (inspections, then plans).
    fn vehicle_due(
        &self,
        py: Python<'_>,
        vehicle: &str,
        on: Day,
    ) -> PyResult<Vec<fleet::PyDueItem>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.vehicle_due(vehicle, on.0))?;
        Ok(rows.iter().map(|d| fleet::PyDueItem::new(&m, d)).collect())
    }

    /// The fleet's due list on `on`: what is due by `on + within_days`
    /// (overdue included), soonest first.
    #[pyo3(signature = (on, within_days=0))]
    fn fleet_due(
        &self,
        py: Python<'_>,
        on: Day,
        within_days: u32,
    ) -> PyResult<Vec<fleet::PyDueItem>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = r.fleet_due(on.0, within_days);
        Ok(rows.iter().map(|d| fleet::PyDueItem::new(&m, d)).collect())
    }

    /// `fleet_due` as columns: vehicle, owner, service_tenant, service,
    /// what, plan, due, due_km, due_hours, overdue, basis.
    #[pyo3(signature = (on, within_days=0))]
    fn fleet_due_table<'py>(
        &self,
        py: Python<'py>,
        on: Day,
        within_days: u32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = r.fleet_due(on.0, within_days);
        fleet::due_columns(&m, &rows)
    }

    /// A vehicle's km, hours, energy and cost per km from `start` to `end`
    /// (inclusive).
    fn vehicle_use(
        &self,
        py: Python<'_>,
        vehicle: &str,
        start: Day,
        end: Day,
    ) -> PyResult<fleet::PyVehicleUse> {
        let p = period(start, Some(end))?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let u = core(r.vehicle_use(vehicle, &p))?;
        Ok(fleet::PyVehicleUse::new(&m, &u))
    }

    /// Energy cost per km by owner and service from `start` to `end`, as
    /// columns tenant, service_tenant, service, vehicles, km, energy_ht,
    /// cost_per_km.
    fn cost_per_km_table<'py>(
        &self,
        py: Python<'py>,
        start: Day,
        end: Day,
    ) -> PyResult<crate::table::PyTable> {
        let p = period(start, Some(end))?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.cost_per_km_by_service(&p))?;
        fleet::cost_per_km_columns(&m, &rows)
    }

    /// Sets a vehicle's purchase: `amount` paid on `on`, amortised linearly
    /// over `years` (the purchase's year counts in full, the last year
    /// absorbs the rounding).
    fn set_vehicle_purchase(
        &self,
        py: Python<'_>,
        vehicle: &str,
        amount: Money,
        on: Day,
        years: u32,
    ) -> PyResult<()> {
        let p = mutualis::fleet::Purchase {
            amount: amount.0,
            date: on.0,
            years,
        };
        self.write(py, |m| m.set_vehicle_purchase(vehicle, p))
    }

    /// Records another dated cost of a vehicle: `kind` "insurance", "tax"
    /// or "other", counted in its total cost of ownership.
    fn record_vehicle_cost(
        &self,
        py: Python<'_>,
        vehicle: &str,
        on: Day,
        kind: &str,
        label: String,
        amount: Money,
    ) -> PyResult<()> {
        let cost = mutualis::fleet::NewVehicleCost {
            date: on.0,
            kind: core(kind.parse::<mutualis::fleet::VehicleCostKind>())?,
            label,
            amount: amount.0,
        };
        self.write(py, |m| m.record_vehicle_cost(vehicle, cost))
    }

    /// A vehicle's dashboard for a year (days in the fleet, immobilised,
    /// available, used; utilisation; cost per km with maintenance; TCO).
    fn vehicle_dashboard(
        &self,
        py: Python<'_>,
        vehicle: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<fleet::PyFleetDashboard> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let row = core(r.vehicle_dashboard(vehicle, year))?;
        Ok(fleet::PyFleetDashboard::of_vehicle(&m, &row))
    }

    /// Every vehicle's dashboard for a year (those the principal sees).
    fn fleet_dashboard(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<fleet::PyFleetDashboard>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.fleet_dashboard(year))?;
        Ok(rows
            .iter()
            .map(|x| fleet::PyFleetDashboard::of_vehicle(&m, x))
            .collect())
    }

    /// `fleet_dashboard` as columns (the fields of `FleetDashboard`).
    fn fleet_dashboard_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.fleet_dashboard(py, year)?;
        fleet::dashboard_columns(&rows)
    }

    /// The dashboards summed by owner and service for a year.
    fn fleet_dashboard_by_service(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<fleet::PyFleetDashboard>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.fleet_dashboard_by_service(year))?;
        Ok(rows
            .iter()
            .map(|x| fleet::PyFleetDashboard::of_service(&m, x))
            .collect())
    }

    /// `fleet_dashboard_by_service` as columns.
    fn fleet_dashboard_by_service_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.fleet_dashboard_by_service(py, year)?;
        fleet::dashboard_columns(&rows)
    }

    // --- mobilier (furniture) -----------------------------------------------

    /// Registers an existing asset of kind "furniture" in the inventory:
    /// its inventory number (label / QR code text), category (data),
    /// first location (a room, floor, building or site: the asset is placed
    /// under it), and optionally its service, purchase, condition ("new",
    /// "good", "worn", "damaged") and status ("in_use", "in_store").
    #[pyo3(signature = (asset, number, category, location, *, service_tenant=None, service=None, purchase_date=None, purchase_value=None, condition="good", status="in_use"))]
    #[allow(clippy::too_many_arguments)]
    fn register_furniture(
        &self,
        py: Python<'_>,
        asset: &str,
        number: &str,
        category: &str,
        location: &str,
        service_tenant: Option<&str>,
        service: Option<&str>,
        purchase_date: Option<Day>,
        purchase_value: Option<Money>,
        condition: &str,
        status: &str,
    ) -> PyResult<()> {
        use mutualis::furniture::NewFurniture;
        let mut spec = NewFurniture::new(asset, number, category, location)
            .in_condition(core(condition.parse())?)
            .with_status(core(status.parse())?);
        spec.purchase_date = purchase_date.map(|d| d.0);
        spec.purchase_value = purchase_value.map(|v| v.0);
        match (service_tenant, service) {
            (Some(t), Some(s)) => spec = spec.assigned_to(t, s),
            (None, None) => {}
            _ => {
                return Err(to_py_err(Error::InvalidField {
                    field: "service",
                    reason: "service_tenant and service go together".into(),
                }))
            }
        }
        self.write(py, |m| m.register_furniture(spec))
    }

    /// Moves an item within its owner's (or, while lent, its borrower's)
    /// premises from `on`.
    fn move_furniture(&self, py: Python<'_>, number: &str, to: &str, on: Day) -> PyResult<()> {
        self.write(py, |m| m.move_furniture(number, to, on.0))
    }

    /// Moves an item to another collectivité's premises, its ownership
    /// transferred to that collectivité from `on`.
    fn transfer_furniture(&self, py: Python<'_>, number: &str, to: &str, on: Day) -> PyResult<()> {
        self.write(py, |m| m.transfer_furniture(number, to, on.0))
    }

    /// Lends an item to the collectivité holding location `to` from
    /// `start` (owner unchanged), to be returned by `until` if agreed.
    #[pyo3(signature = (number, to, start, *, until=None))]
    fn lend_furniture(
        &self,
        py: Python<'_>,
        number: &str,
        to: &str,
        start: Day,
        until: Option<Day>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.lend_furniture(number, to, start.0, until.map(|d| d.0))
        })
    }

    /// Returns a lent item to its owner's premises on `on` (first day back).
    fn return_furniture(&self, py: Python<'_>, number: &str, to: &str, on: Day) -> PyResult<()> {
        self.write(py, |m| m.return_furniture(number, to, on.0))
    }

    /// Sets an item's status ("in_use", "in_store") from `since`.
    fn set_furniture_status(
        &self,
        py: Python<'_>,
        number: &str,
        status: &str,
        since: Day,
    ) -> PyResult<()> {
        let s = core(status.parse())?;
        self.write(py, |m| m.set_furniture_status(number, s, since.0))
    }

    /// Records an item's condition ("new", "good", "worn", "damaged") from `on`.
    fn set_furniture_condition(
        &self,
        py: Python<'_>,
        number: &str,
        condition: &str,
        on: Day,
    ) -> PyResult<()> {
        let c = core(condition.parse())?;
        self.write(py, |m| m.set_furniture_condition(number, c, on.0))
    }

    /// Reforms an item on `on`: "sold" (with `price`), "given" (with
    /// `recipient`) or "destroyed".
    #[pyo3(signature = (number, on, outcome, *, price=None, recipient=None))]
    fn reform_furniture(
        &self,
        py: Python<'_>,
        number: &str,
        on: Day,
        outcome: &str,
        price: Option<Money>,
        recipient: Option<String>,
    ) -> PyResult<()> {
        let reform = mutualis::furniture::Reform {
            date: on.0,
            outcome: core(outcome.parse())?,
            price: price.map(|p| p.0),
            recipient,
        };
        self.write(py, |m| m.reform_furniture(number, reform))
    }

    /// Opens an inventory campaign (récolement) on a building or site on `on`.
    fn open_campaign(&self, py: Python<'_>, code: &str, scope: &str, on: Day) -> PyResult<()> {
        self.write(py, |m| m.open_campaign(code, scope, on.0))
    }

    /// Records a scan: inventory number `number` (known or not) found in
    /// location `room` on `on`.
    fn record_scan(
        &self,
        py: Python<'_>,
        campaign: &str,
        number: &str,
        room: &str,
        on: Day,
    ) -> PyResult<()> {
        self.write(py, |m| m.record_scan(campaign, number, room, on.0))
    }

    /// Closes a campaign on `on`; with `apply`, the misplaced items are
    /// moved to where they were found.
    #[pyo3(signature = (campaign, on, *, apply=false))]
    fn close_campaign(&self, py: Python<'_>, campaign: &str, on: Day, apply: bool) -> PyResult<()> {
        self.write(py, |m| m.close_campaign(campaign, on.0, apply))
    }

    /// The furniture register, in registration order.
    fn furniture(&self, py: Python<'_>) -> PyResult<Vec<furniture::PyFurnitureItem>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.furniture()
            .into_iter()
            .map(|i| furniture::PyFurnitureItem::new(&m, i))
            .collect())
    }

    /// `furniture` as columns: number, asset, category, location, status,
    /// condition, purchase_date, purchase_value.
    fn furniture_table<'py>(&self, py: Python<'py>) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        furniture::furniture_columns(&m, &r.furniture())
    }

    /// One item, by inventory number (either case).
    fn furniture_item(&self, py: Python<'_>, number: &str) -> PyResult<furniture::PyFurnitureItem> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let i = core(r.furniture_item(number))?;
        Ok(furniture::PyFurnitureItem::new(&m, i))
    }

    /// An item's moves, oldest first.
    fn furniture_moves(
        &self,
        py: Python<'_>,
        number: &str,
    ) -> PyResult<Vec<furniture::PyFurnitureMove>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.furniture_moves(number))?
            .iter()
            .map(|x| furniture::PyFurnitureMove::new(&m, x))
            .collect())
    }

    /// Every loan of furniture, item by item.
    fn furniture_loans(&self, py: Python<'_>) -> PyResult<Vec<furniture::PyFurnitureLoan>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.furniture_loans()
            .into_iter()
            .map(|l| furniture::PyFurnitureLoan::new(&m, l))
            .collect())
    }

    /// The items in a location (or under it) on `on`, not reformed.
    fn furniture_in(
        &self,
        py: Python<'_>,
        location: &str,
        on: Day,
    ) -> PyResult<Vec<furniture::PyFurnitureItem>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.furniture_in(location, on.0))?
            .into_iter()
            .map(|i| furniture::PyFurnitureItem::new(&m, i))
            .collect())
    }

    /// Where an item was on `on` (None before its commissioning).
    fn furniture_location_on(
        &self,
        py: Python<'_>,
        number: &str,
        on: Day,
    ) -> PyResult<Option<String>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        core(r.furniture_item(number))?;
        Ok(core(m.furniture_location_on(number, on.0))?.map(|a| m.asset_code(a).to_owned()))
    }

    /// The inventory campaigns, in the order opened.
    fn campaigns(&self, py: Python<'_>) -> PyResult<Vec<furniture::PyCampaign>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.campaigns()
            .into_iter()
            .map(|c| furniture::PyCampaign::new(&m, c))
            .collect())
    }

    /// A campaign's scans, in the order recorded.
    fn campaign_scans(&self, py: Python<'_>, code: &str) -> PyResult<Vec<furniture::PyScan>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.campaign_scans(code))?
            .iter()
            .map(|s| furniture::PyScan::new(&m, s))
            .collect())
    }

    /// A campaign's report: every expected item found, missing or
    /// misplaced, every unexpected scan, the counts per location.
    fn campaign_report(&self, py: Python<'_>, code: &str) -> PyResult<furniture::PyCampaignReport> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let report = core(r.campaign_report(code))?;
        Ok(furniture::PyCampaignReport::new(&m, &report))
    }

    /// A campaign report's lines as columns: number, asset, finding,
    /// expected_room, found_room, scanned.
    fn campaign_report_table<'py>(
        &self,
        py: Python<'py>,
        code: &str,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let report = core(r.campaign_report(code))?;
        furniture::campaign_line_columns(&m, &report.lines)
    }

    // --- énergies (energy) ------------------------------------------------

    /// Adds a meter on an asset: `source` "electricity", "gas", "water",
    /// "heating_network", "fuel_oil", "wood"; `unit` "kwh", "m3", "litre";
    /// a delivery point (PDL/PRM, PCE), a parent meter (a sub-meter) and a
    /// weather station (heating corrected by degree days).
    #[pyo3(signature = (code, asset, source, unit, *, delivery_point=None, parent=None, station=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_meter(
        &self,
        py: Python<'_>,
        code: &str,
        asset: &str,
        source: &str,
        unit: &str,
        delivery_point: Option<String>,
        parent: Option<String>,
        station: Option<String>,
    ) -> PyResult<()> {
        let mut spec = mutualis::energy::NewMeter::new(
            code,
            asset,
            core(source.parse())?,
            core(unit.parse())?,
        );
        spec.delivery_point = delivery_point;
        spec.parent = parent;
        spec.station = station;
        self.write(py, |m| m.add_meter(spec))
    }

    /// The meters, in the order added.
    fn meters(&self, py: Python<'_>) -> PyResult<Vec<energy::PyMeter>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.meters()
            .into_iter()
            .map(|x| energy::PyMeter::new(&m, x))
            .collect())
    }

    /// Records an index reading; with `new_index`, the meter was replaced
    /// that day (`index` is the old meter's final index).
    #[pyo3(signature = (meter, on, index, *, new_index=None))]
    fn record_reading(
        &self,
        py: Python<'_>,
        meter: &str,
        on: Day,
        index: Money,
        new_index: Option<Money>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.record_reading(meter, on.0, index.0, new_index.map(|x| x.0))
        })
    }

    /// A meter's readings as (date, index, new_index) tuples.
    fn readings(
        &self,
        py: Python<'_>,
        meter: &str,
    ) -> PyResult<Vec<(NaiveDate, Decimal, Option<Decimal>)>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.readings(meter))?
            .iter()
            .map(|r| (r.date, r.index, r.new_index))
            .collect())
    }

    /// Sets a meter's coefficient to kWh from `start` (gas PCS).
    fn set_conversion(
        &self,
        py: Python<'_>,
        meter: &str,
        start: Day,
        factor: Money,
    ) -> PyResult<()> {
        self.write(py, |m| m.set_conversion(meter, start.0, factor.0))
    }

    /// Records a supplier invoice for `start`..=`end`: the consumption in
    /// `unit`, the subscription and consumption parts HT and the VAT; an
    /// own kWh coefficient `factor` (gas PCS).
    #[pyo3(signature = (meter, number, on, start, end, consumption, unit, subscription_ht, consumption_ht, vat, *, factor=None))]
    #[allow(clippy::too_many_arguments)]
    fn record_energy_invoice(
        &self,
        py: Python<'_>,
        meter: &str,
        number: &str,
        on: Day,
        start: Day,
        end: Day,
        consumption: Money,
        unit: &str,
        subscription_ht: Money,
        consumption_ht: Money,
        vat: Money,
        factor: Option<Money>,
    ) -> PyResult<()> {
        let mut spec = mutualis::energy::NewEnergyInvoice::new(
            meter,
            number,
            on.0,
            start.0,
            end.0,
            consumption.0,
            core(unit.parse())?,
            subscription_ht.0,
            consumption_ht.0,
            vat.0,
        );
        spec.factor = factor.map(|f| f.0);
        self.write(py, |m| m.record_energy_invoice(spec))
    }

    /// Imports a supplier's CSV export of invoices, all or nothing
    /// (docs/energy.md); the number recorded.
    fn import_energy_invoices(&self, py: Python<'_>, csv: &str) -> PyResult<usize> {
        self.write(py, |m| m.import_energy_invoices(csv))
    }

    /// Sets the degree days of a weather station for a year.
    fn set_dju(
        &self,
        py: Python<'_>,
        station: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        dju: Money,
    ) -> PyResult<()> {
        self.write(py, |m| m.set_dju(station, year, dju.0))
    }

    /// Sets the reference degree days of a weather station.
    fn set_dju_reference(&self, py: Python<'_>, station: &str, dju: Money) -> PyResult<()> {
        self.write(py, |m| m.set_dju_reference(station, dju.0))
    }

    /// kWh × DJU_ref / DJU_year, to the hundredth.
    fn climate_corrected(
        &self,
        py: Python<'_>,
        station: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        kwh: Money,
    ) -> PyResult<Decimal> {
        let m = self.state(py)?;
        core(m.climate_corrected(station, year, kwh.0))
    }

    /// Declares a building under the décret tertiaire (≥ 1 000 m², reference
    /// year ≥ 2010); an absolute threshold (kWh/m²/year) replaces the
    /// relative trajectory.
    #[pyo3(signature = (building, activity, floor_area, reference_year, reference_kwh, *, absolute_threshold=None))]
    #[allow(clippy::too_many_arguments)]
    fn declare_tertiary_site(
        &self,
        py: Python<'_>,
        building: &str,
        activity: &str,
        floor_area: Money,
        reference_year: i32,
        reference_kwh: Money,
        absolute_threshold: Option<Money>,
    ) -> PyResult<()> {
        let mut spec = mutualis::energy::NewTertiarySite::new(
            building,
            activity,
            floor_area.0,
            reference_year,
            reference_kwh.0,
        );
        spec.absolute_threshold = absolute_threshold.map(|x| x.0);
        self.write(py, |m| m.declare_tertiary_site(spec))
    }

    /// A meter's consumption and cost in a year, sub-meters deducted.
    fn meter_year(
        &self,
        py: Python<'_>,
        meter: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<energy::PyMeterYear> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(energy::PyMeterYear::new(&core(r.meter_year(meter, year))?))
    }

    /// An invoice split by calendar year, prorated by days.
    fn invoice_parts(
        &self,
        py: Python<'_>,
        meter: &str,
        number: &str,
    ) -> PyResult<Vec<energy::PyInvoicePart>> {
        let m = self.state(py)?;
        Ok(core(m.invoice_parts(meter, number))?
            .iter()
            .map(energy::PyInvoicePart::new)
            .collect())
    }

    /// A building's kWh and TTC of a year split between services by
    /// `key` ({service: weight}), to the hundredth of kWh and the cent.
    fn energy_allocation(
        &self,
        py: Python<'_>,
        building: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        key: KeyWeights,
    ) -> PyResult<Vec<energy::PyEnergyShare>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let k: Vec<(&str, u64)> = key.0.iter().map(|(a, w)| (a.as_str(), *w)).collect();
        Ok(core(r.energy_allocation(building, year, &k))?
            .iter()
            .map(energy::PyEnergyShare::new)
            .collect())
    }

    /// An invoice split between the tenants paying for the meter's asset
    /// on its date.
    fn energy_invoice_tenants(
        &self,
        py: Python<'_>,
        meter: &str,
        number: &str,
    ) -> PyResult<Vec<energy::PyEnergyShare>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.energy_invoice_tenants(meter, number))?
            .iter()
            .map(energy::PyEnergyShare::new)
            .collect())
    }

    /// The décret tertiaire status of a site in a year.
    fn tertiary_status(
        &self,
        py: Python<'_>,
        building: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<energy::PyTertiaryStatus> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(energy::PyTertiaryStatus::new(&core(
            r.tertiary_status(building, year),
        )?))
    }

    /// The OPERAT-shaped CSV of the declared sites for a year.
    fn operat_csv(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<String> {
        let m = self.state(py)?;
        core(m.operat_csv(year))
    }

    /// The months of a meter deviating from the same month of previous
    /// years by more than `threshold` (a fraction).
    fn energy_anomalies(
        &self,
        py: Python<'_>,
        meter: &str,
        threshold: Money,
    ) -> PyResult<Vec<energy::PyEnergyAnomaly>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.energy_anomalies(meter, threshold.0))?
            .iter()
            .map(energy::PyEnergyAnomaly::new)
            .collect())
    }

    /// The energy dashboard of a year, per asset and energy.
    fn energy_dashboard(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<energy::PyEnergyDashboardRow>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.energy_dashboard(year))?
            .iter()
            .map(energy::PyEnergyDashboardRow::new)
            .collect())
    }

    /// `energy_dashboard` as columns: asset, tenant, source, year, kwh,
    /// adjusted_kwh, cost_ttc, kwh_per_m2, cost_per_m2.
    fn energy_dashboard_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let rows = core(self.reader(&m)?.energy_dashboard(year))?;
        energy::dashboard_columns(&rows)
    }

    /// Consumption and cost of a year per paying tenant, service
    /// ("TENANT/SERVICE" managing the meter's asset, or None) and energy;
    /// each meter's year split by the sharing key in force on 31 December
    /// (a principal: the meters it reads).
    fn energy_by_service(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<energy::PyEnergyBreakdownRow>> {
        let m = self.locked(py)?;
        Ok(core(self.reader(&m)?.energy_by_service(year))?
            .iter()
            .map(energy::PyEnergyBreakdownRow::new)
            .collect())
    }

    /// Consumption and cost of a year per paying tenant and energy (service
    /// None), as `energy_by_service` (a principal: the meters it reads).
    fn energy_by_tenant(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<energy::PyEnergyBreakdownRow>> {
        let m = self.locked(py)?;
        Ok(core(self.reader(&m)?.energy_by_tenant(year))?
            .iter()
            .map(energy::PyEnergyBreakdownRow::new)
            .collect())
    }

    /// `energy_by_service` as columns: tenant, service, source, year, kwh,
    /// adjusted_kwh, cost_ttc.
    fn energy_by_service_table(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let rows = core(self.reader(&m)?.energy_by_service(year))?;
        energy::breakdown_columns(&rows)
    }

    // --- locatif (leases) ---------------------------------------------------

    /// Adds a party facing a collectivité: kind "company" (SIRET
    /// identifier, optional), "association" (RNA number, required),
    /// "person" (none) or "collectivite" (a tenant code of the group).
    #[pyo3(signature = (code, name, kind, *, identifier=None))]
    fn add_party(
        &self,
        py: Python<'_>,
        code: &str,
        name: &str,
        kind: &str,
        identifier: Option<String>,
    ) -> PyResult<()> {
        let mut p = mutualis::leases::NewParty::new(code, name, core(kind.parse())?);
        p.identifier = identifier;
        self.write(py, |m| m.add_party(p))
    }

    /// Sets the value of an index series ("ILC", "ILAT", "IRL", "ICC" or
    /// any name) for a quarter ("2025-Q3"); a published value is not
    /// overwritten.
    fn set_index_value(
        &self,
        py: Python<'_>,
        series: &str,
        quarter: &str,
        value: Money,
    ) -> PyResult<()> {
        let q = core(quarter.parse::<mutualis::leases::Quarter>())?;
        self.write(py, |m| m.set_index_value(series, q, value.0))
    }

    /// Adds a lease or occupation agreement on an asset: the collectivité
    /// `tenant` is the "lessor" or "lessee" facing `party`; `rent` is per
    /// period ("monthly", "quarterly", "yearly"), payable in "advance" or
    /// "arrears"; indexed when `index` and `reference_quarter` are given.
    #[pyo3(signature = (code, asset, tenant, party, kind, start, rent, *, side="lessor", end=None, notice_months=6, tacit_renewal=false, surface=None, deposit=None, exclusive=true, periodicity="yearly", term="advance", charges_provision=None, rental_value=None, index=None, reference_quarter=None, first_revision=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_lease(
        &self,
        py: Python<'_>,
        code: &str,
        asset: &str,
        tenant: &str,
        party: &str,
        kind: &str,
        start: Day,
        rent: Money,
        side: &str,
        end: Option<Day>,
        #[pyo3(from_py_with = crate::args::notice_months)] notice_months: u32,
        tacit_renewal: bool,
        surface: Option<Money>,
        deposit: Option<Money>,
        exclusive: bool,
        periodicity: &str,
        term: &str,
        charges_provision: Option<Money>,
        rental_value: Option<Money>,
        index: Option<String>,
        reference_quarter: Option<&str>,
        first_revision: Option<Day>,
    ) -> PyResult<()> {
        use mutualis::leases::NewLease;
        let mut l = NewLease::new(
            code,
            asset,
            tenant,
            party,
            core(kind.parse())?,
            start.0,
            rent.0,
        );
        l.side = core(side.parse())?;
        l.end = end.map(|d| d.0);
        l.notice_months = notice_months;
        l.tacit_renewal = tacit_renewal;
        l.surface = surface.map(|s| s.0);
        if let Some(d) = deposit {
            l.deposit = d.0;
        }
        l.exclusive = exclusive;
        l.periodicity = core(periodicity.parse())?;
        l.term = core(term.parse())?;
        if let Some(p) = charges_provision {
            l.charges_provision = p.0;
        }
        l.rental_value = rental_value.map(|v| v.0);
        l.index = index;
        l.reference_quarter = match reference_quarter {
            Some(q) => Some(core(q.parse())?),
            None => None,
        };
        l.first_revision = first_revision.map(|d| d.0);
        self.write(py, |m| m.add_lease(l))
    }

    /// Ends (résilie) a contract on `last_day`.
    fn end_lease(&self, py: Python<'_>, lease: &str, last_day: Day) -> PyResult<()> {
        self.write(py, |m| m.end_lease(lease, last_day.0))
    }

    /// Revises a contract's rent from `on` on the reference quarter
    /// `quarter`; returns the revision (new = current × I(new) / I(last),
    /// rounded to the cent; `warning` above 25 %).
    fn revise_rent(
        &self,
        py: Python<'_>,
        lease: &str,
        on: Day,
        quarter: &str,
    ) -> PyResult<leases::PyRentRevision> {
        let q = core(quarter.parse::<mutualis::leases::Quarter>())?;
        let r = self.write(py, |m| m.revise_rent(lease, on.0, q))?;
        Ok(leases::PyRentRevision::new(&r))
    }

    /// Records a receipt of rent on a contract.
    #[pyo3(signature = (lease, on, amount, *, reference=None))]
    fn record_rent_receipt(
        &self,
        py: Python<'_>,
        lease: &str,
        on: Day,
        amount: Money,
        reference: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.record_rent_receipt(lease, on.0, amount.0, reference)
        })
    }

    /// Records the recoverable charges of a building for a year ("energy",
    /// "cleaning", "maintenance", "taxes", "other"), split by surface × days
    /// occupied, or by `key` ({contract code: weight}).
    #[pyo3(signature = (building, year, category, amount, *, key=None))]
    fn record_charges(
        &self,
        py: Python<'_>,
        building: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        category: &str,
        amount: Money,
        key: Option<KeyWeights>,
    ) -> PyResult<()> {
        let c = mutualis::leases::NewCharges {
            building: building.to_owned(),
            year,
            category: core(category.parse())?,
            amount: amount.0,
            key: key.map(|k| k.0.into_iter().collect()),
        };
        self.write(py, |m| m.record_charges(c))
    }

    /// The parties, in creation order.
    fn parties(&self, py: Python<'_>) -> PyResult<Vec<leases::PyParty>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.parties())?
            .into_iter()
            .map(leases::PyParty::new)
            .collect())
    }

    /// One party.
    fn party(&self, py: Python<'_>, code: &str) -> PyResult<leases::PyParty> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(leases::PyParty::new(core(r.party(code))?))
    }

    /// The contracts, in creation order.
    fn leases(&self, py: Python<'_>) -> PyResult<Vec<leases::PyLease>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.leases())?
            .into_iter()
            .map(|l| leases::PyLease::new(&m, l))
            .collect())
    }

    /// One contract.
    fn lease(&self, py: Python<'_>, code: &str) -> PyResult<leases::PyLease> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(leases::PyLease::new(&m, core(r.lease(code))?))
    }

    /// The value of an index series for a quarter.
    fn index_value(&self, py: Python<'_>, series: &str, quarter: &str) -> PyResult<Decimal> {
        let q = core(quarter.parse::<mutualis::leases::Quarter>())?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        core(r.index_value(series, q))
    }

    /// The revision of a contract's rent from `on` on `quarter`, computed
    /// without recording it.
    fn rent_revision(
        &self,
        py: Python<'_>,
        lease: &str,
        on: Day,
        quarter: &str,
    ) -> PyResult<leases::PyRentRevision> {
        let q = core(quarter.parse::<mutualis::leases::Quarter>())?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(leases::PyRentRevision::new(&core(
            r.rent_revision(lease, on.0, q),
        )?))
    }

    /// A contract's revisions, in date order.
    fn revisions(&self, py: Python<'_>, lease: &str) -> PyResult<Vec<leases::PyRentRevision>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.revisions(lease))?
            .iter()
            .map(leases::PyRentRevision::new)
            .collect())
    }

    /// A contract's rent per period in force on `on`.
    fn rent_on(&self, py: Python<'_>, lease: &str, on: Day) -> PyResult<Decimal> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        core(r.rent_on(lease, on.0))
    }

    /// A contract's rent calls for the calendar periods meeting `start` to
    /// `end` (inclusive), pro rata on actual days for partial periods.
    fn rent_calls(
        &self,
        py: Python<'_>,
        lease: &str,
        start: Day,
        end: Day,
    ) -> PyResult<Vec<leases::PyRentCall>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.rent_calls(lease, start.0, end.0))?;
        Ok(rows.iter().map(leases::PyRentCall::new).collect())
    }

    /// `rent_calls` as columns: lease, start, end, due, days, period_days,
    /// rent_per_period, rent, provision, total, side.
    fn rent_calls_table<'py>(
        &self,
        py: Python<'py>,
        lease: &str,
        start: Day,
        end: Day,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.rent_calls(lease, start.0, end.0))?;
        leases::rent_call_columns(&rows)
    }

    /// A contract's receipts as (date, amount, reference) tuples, in the
    /// order recorded.
    fn rent_receipts(
        &self,
        py: Python<'_>,
        lease: &str,
    ) -> PyResult<Vec<(NaiveDate, Decimal, Option<String>)>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.rent_receipts(lease))?
            .iter()
            .map(|r| (r.date, r.amount, r.reference.clone()))
            .collect())
    }

    /// What a contract owes on `on` (None: nothing).
    fn arrears_of(
        &self,
        py: Python<'_>,
        lease: &str,
        on: Day,
    ) -> PyResult<Option<leases::PyArrears>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.arrears_of(lease, on.0))?
            .as_ref()
            .map(leases::PyArrears::new))
    }

    /// The contracts owing rent on `on`.
    fn lease_arrears(&self, py: Python<'_>, on: Day) -> PyResult<Vec<leases::PyArrears>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.lease_arrears(on.0))?
            .iter()
            .map(leases::PyArrears::new)
            .collect())
    }

    /// The regularisation of a building's charges for a year: each
    /// occupant's share (summing to the charges to the cent), provisions
    /// called and balance; the vacant part last.
    fn charges_regularisation(
        &self,
        py: Python<'_>,
        building: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<leases::PyChargeShare>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.charges_regularisation(building, year))?
            .iter()
            .map(leases::PyChargeShare::new)
            .collect())
    }

    /// The in-kind aid of a year per collectivité and association (one
    /// `association` only when given), with the line detail; flagged
    /// `convention_required` above 23 000 €.
    #[pyo3(signature = (year, *, association=None))]
    fn in_kind_aid(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        association: Option<&str>,
    ) -> PyResult<Vec<leases::PyInKindAid>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = match association {
            Some(a) => core(r.in_kind_aid_of(a, year))?,
            None => core(r.in_kind_aid(year))?,
        };
        Ok(rows.iter().map(leases::PyInKindAid::new).collect())
    }

    /// The annex of the aids in kind `tenant` gives to associations in
    /// `year` (CGCT L2313-1): one row per association, the totals, and
    /// `required` for a commune of 3 500 inhabitants or more (the
    /// population légale is given).
    fn in_kind_aid_annex(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        population: u32,
    ) -> PyResult<leases::PyAidAnnex> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(leases::PyAidAnnex::new(&core(
            r.in_kind_aid_annex(tenant, year, population),
        )?))
    }

    /// `in_kind_aid` as columns (the annex of aids in kind): tenant,
    /// association, name, rna, year, waived_rent, interventions, total,
    /// convention_required.
    fn in_kind_aid_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.in_kind_aid(year))?;
        leases::aid_columns(&rows)
    }

    /// The contracts in force on `on` with their rent in force and yearly rent.
    fn rent_roll(&self, py: Python<'_>, on: Day) -> PyResult<Vec<leases::PyRentRollRow>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.rent_roll(on.0))?
            .iter()
            .map(leases::PyRentRollRow::new)
            .collect())
    }

    /// `rent_roll` as columns: lease, tenant, party, asset, building, kind,
    /// side, rent, annual_rent, surface.
    fn rent_roll_table<'py>(&self, py: Python<'py>, on: Day) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.rent_roll(on.0))?;
        leases::rent_roll_columns(&rows)
    }

    /// The rent roll on `on` totalled `by` "party", "tenant", "building" or
    /// "kind", for the contracts of one `side`.
    #[pyo3(signature = (on, by, *, side="lessor"))]
    fn rent_roll_by(
        &self,
        py: Python<'_>,
        on: Day,
        by: &str,
        side: &str,
    ) -> PyResult<Vec<leases::PyRollTotal>> {
        let by = core(by.parse())?;
        let side = core(side.parse())?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.rent_roll_by(on.0, by, side))?
            .iter()
            .map(leases::PyRollTotal::new)
            .collect())
    }

    /// Occupancy and vacancy on `on` of each building with lettings.
    fn occupancy(&self, py: Python<'_>, on: Day) -> PyResult<Vec<leases::PyOccupancy>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.occupancy(on.0))?
            .iter()
            .map(leases::PyOccupancy::new)
            .collect())
    }

    /// Revisions, notices, renewals and ends within `months` months of `on`.
    #[pyo3(signature = (on, months=12))]
    fn lease_deadlines(
        &self,
        py: Python<'_>,
        on: Day,
        #[pyo3(from_py_with = crate::args::months)] months: u32,
    ) -> PyResult<Vec<leases::PyDeadline>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.lease_deadlines(on.0, months))?
            .iter()
            .map(leases::PyDeadline::new)
            .collect())
    }

    // --- habillement / EPI (workwear) ---------------------------------------

    /// Registers an agent of a tenant: matricule (unique in the tenant),
    /// name, service (the cost centre charged), job (as the allotments name
    /// it), first day of assignment; `end` its last day; `sizes`
    /// {size system: size}.
    #[pyo3(signature = (tenant, matricule, name, service, job, start, *, end=None, sizes=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_agent(
        &self,
        py: Python<'_>,
        tenant: &str,
        matricule: &str,
        name: &str,
        service: &str,
        job: &str,
        start: Day,
        end: Option<Day>,
        sizes: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<()> {
        let mut a =
            mutualis::workwear::NewAgent::new(tenant, matricule, name, service, job, start.0);
        a.end = end.map(|d| d.0);
        a.sizes = sizes.unwrap_or_default();
        self.write(py, |m| m.add_agent(a))
    }

    /// Ends an agent's assignment on `last_day`.
    fn end_agent_assignment(
        &self,
        py: Python<'_>,
        tenant: &str,
        matricule: &str,
        last_day: Day,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.end_agent_assignment(tenant, matricule, last_day.0)
        })
    }

    /// The agents of a tenant, in registration order.
    fn agents(&self, py: Python<'_>, tenant: &str) -> PyResult<Vec<workwear::PyAgent>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.agents(tenant))?
            .into_iter()
            .map(|a| workwear::PyAgent::new(&m, a))
            .collect())
    }

    /// One agent of a tenant.
    fn agent(&self, py: Python<'_>, tenant: &str, matricule: &str) -> PyResult<workwear::PyAgent> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let all = core(r.agents(tenant))?;
        match all.into_iter().find(|a| a.matricule == matricule) {
            Some(a) => Ok(workwear::PyAgent::new(&m, a)),
            None => Err(to_py_err(Error::UnknownAgent {
                tenant: tenant.to_owned(),
                matricule: matricule.to_owned(),
            })),
        }
    }

    /// Adds an item to the group's workwear catalogue, drawn from a stock
    /// item, with the sizes offered, the standards met ("EN ISO 20345") and
    /// a lifetime in months (harness, helmet).
    #[pyo3(signature = (code, label, stock_item, *, sizes=None, standards=None, lifetime_months=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_workwear_item(
        &self,
        py: Python<'_>,
        code: &str,
        label: &str,
        stock_item: &str,
        sizes: Option<Vec<String>>,
        standards: Option<Vec<String>>,
        #[pyo3(from_py_with = crate::args::lifetime_months)] lifetime_months: Option<u32>,
    ) -> PyResult<()> {
        let mut i = mutualis::workwear::NewWorkwearItem::new(code, label, stock_item);
        i.sizes = sizes.unwrap_or_default();
        i.standards = standards.unwrap_or_default();
        i.lifetime_months = lifetime_months;
        self.write(py, |m| m.add_workwear_item(i))
    }

    /// The workwear catalogue, in creation order.
    fn workwear_items(&self, py: Python<'_>) -> PyResult<Vec<workwear::PyWorkwearItem>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.workwear_items()
            .iter()
            .map(|i| workwear::PyWorkwearItem::new(&m, i))
            .collect())
    }

    /// Sets (or replaces) an allotment: `quantity` of `item` every
    /// `period_months`, for a `job` or for one `agent` (its own replaces its
    /// job's); `initial` when part of the initial kit.
    #[pyo3(signature = (tenant, item, quantity, period_months, *, job=None, agent=None, initial=false))]
    #[allow(clippy::too_many_arguments)]
    fn set_allotment(
        &self,
        py: Python<'_>,
        tenant: &str,
        item: &str,
        #[pyo3(from_py_with = crate::args::allotment_quantity)] quantity: u32,
        #[pyo3(from_py_with = crate::args::period_months)] period_months: u32,
        job: Option<String>,
        agent: Option<String>,
        initial: bool,
    ) -> PyResult<()> {
        let a = mutualis::workwear::NewAllotment {
            tenant: tenant.to_owned(),
            job,
            agent,
            item: item.to_owned(),
            quantity,
            period_months,
            initial,
        };
        self.write(py, |m| m.set_allotment(a))
    }

    /// A tenant's allotments.
    fn allotments(&self, py: Python<'_>, tenant: &str) -> PyResult<Vec<workwear::PyAllotment>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.allotments(tenant))?
            .iter()
            .map(workwear::PyAllotment::new)
            .collect())
    }

    /// Sets a tenant's policy for an issue beyond the allotment: "refuse"
    /// (the default: `AllotmentExceededError`) or "warn" (recorded, listed
    /// by `allotment_warnings`).
    fn set_workwear_policy(&self, py: Python<'_>, tenant: &str, policy: &str) -> PyResult<()> {
        let p: mutualis::OverrunPolicy = core(policy.parse())?;
        self.write(py, |m| m.set_workwear_policy(tenant, p))
    }

    /// A tenant's policy for an issue beyond the allotment.
    fn workwear_policy(&self, py: Python<'_>, tenant: &str) -> PyResult<String> {
        let m = self.state(py)?;
        Ok(core(m.workwear_policy(tenant))?.as_str().to_owned())
    }

    /// Charges the workwear of a service's agents to a budget line (by
    /// code): each issue is a commitment on the line of its year's budget.
    fn set_workwear_budget_line(
        &self,
        py: Python<'_>,
        tenant: &str,
        service: &str,
        line: &str,
    ) -> PyResult<()> {
        self.write(py, |m| m.set_workwear_budget_line(tenant, service, line))
    }

    /// The budget line a service's workwear is charged to (None: none set).
    fn workwear_budget_line(
        &self,
        py: Python<'_>,
        tenant: &str,
        service: &str,
    ) -> PyResult<Option<String>> {
        let m = self.state(py)?;
        Ok(core(m.workwear_budget_line(tenant, service))?.map(str::to_owned))
    }

    /// Issues workwear to an agent from a store of its tenant at the
    /// current CMUP, charged to the agent's service; `size` one of the
    /// item's; `replaces` a return reason ("worn", "lost", "damaged",
    /// "end_of_assignment") for a replacement outside the allotment.
    #[pyo3(signature = (tenant, agent, item, store, on, quantity, *, size=None, replaces=None))]
    #[allow(clippy::too_many_arguments)]
    fn issue_workwear(
        &self,
        py: Python<'_>,
        tenant: &str,
        agent: &str,
        item: &str,
        store: &str,
        on: Day,
        quantity: Money,
        size: Option<String>,
        replaces: Option<&str>,
    ) -> PyResult<workwear::PyWorkwearIssue> {
        let mut spec =
            mutualis::workwear::NewWorkwearIssue::new(tenant, agent, item, store, on.0, quantity.0);
        spec.size = size;
        spec.replaces = match replaces {
            Some(r) => Some(core(r.parse())?),
            None => None,
        };
        let issue = self.write(py, |m| m.issue_workwear(spec))?;
        Ok(workwear::PyWorkwearIssue::new(&issue))
    }

    /// Records workwear returned by an agent, for `reason` ("worn",
    /// "lost", "damaged", "end_of_assignment"); `size` None: any size held.
    #[pyo3(signature = (tenant, agent, item, on, quantity, reason, *, size=None))]
    #[allow(clippy::too_many_arguments)]
    fn return_workwear(
        &self,
        py: Python<'_>,
        tenant: &str,
        agent: &str,
        item: &str,
        on: Day,
        quantity: Money,
        reason: &str,
        size: Option<String>,
    ) -> PyResult<()> {
        let spec = mutualis::workwear::NewWorkwearReturn {
            tenant: tenant.to_owned(),
            agent: agent.to_owned(),
            item: item.to_owned(),
            size,
            date: on.0,
            quantity: quantity.0,
            reason: core(reason.parse())?,
        };
        self.write(py, |m| m.return_workwear(spec))
    }

    /// The issues to a tenant's agents, in the order recorded.
    fn workwear_issues(
        &self,
        py: Python<'_>,
        tenant: &str,
    ) -> PyResult<Vec<workwear::PyWorkwearIssue>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.workwear_issues(tenant))?
            .iter()
            .map(workwear::PyWorkwearIssue::new)
            .collect())
    }

    /// `workwear_issues` as columns.
    fn workwear_issues_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.workwear_issues(py, tenant)?;
        workwear::issue_columns(py, &rows)
    }

    /// The returns of a tenant's agents (replacements included).
    fn workwear_returns(
        &self,
        py: Python<'_>,
        tenant: &str,
    ) -> PyResult<Vec<workwear::PyWorkwearReturn>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.workwear_returns(tenant))?
            .iter()
            .map(workwear::PyWorkwearReturn::new)
            .collect())
    }

    /// The issues beyond the allotment recorded under the warn policy.
    fn allotment_warnings(
        &self,
        py: Python<'_>,
        tenant: &str,
    ) -> PyResult<Vec<workwear::PyAllotmentWarning>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.allotment_warnings(tenant))?
            .iter()
            .map(workwear::PyAllotmentWarning::new)
            .collect())
    }

    /// What an agent holds, per issue lot.
    fn agent_holdings(
        &self,
        py: Python<'_>,
        tenant: &str,
        matricule: &str,
    ) -> PyResult<Vec<workwear::PyWorkwearHolding>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.agent_holdings(tenant, matricule))?
            .iter()
            .map(workwear::PyWorkwearHolding::new)
            .collect())
    }

    /// The units a tenant's agents hold past their expiry on `on`.
    fn expired_workwear(
        &self,
        py: Python<'_>,
        tenant: &str,
        on: Day,
    ) -> PyResult<Vec<workwear::PyWorkwearHolding>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.expired_workwear(tenant, on.0))?
            .iter()
            .map(workwear::PyWorkwearHolding::new)
            .collect())
    }

    /// `expired_workwear` as columns.
    fn expired_workwear_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        on: Day,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.expired_workwear(py, tenant, on)?;
        workwear::holding_columns(py, &rows)
    }

    /// The renewals falling due up to `to` (from `start`, None: overdue
    /// included), both days included.
    #[pyo3(signature = (tenant, to, *, start=None))]
    fn renewals_due(
        &self,
        py: Python<'_>,
        tenant: &str,
        to: Day,
        start: Option<Day>,
    ) -> PyResult<Vec<workwear::PyRenewalDue>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.renewals_due(tenant, start.map(|d| d.0), to.0))?
            .iter()
            .map(workwear::PyRenewalDue::new)
            .collect())
    }

    /// `renewals_due` as columns.
    #[pyo3(signature = (tenant, to, *, start=None))]
    fn renewals_due_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        to: Day,
        start: Option<Day>,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.renewals_due(py, tenant, to, start)?;
        workwear::renewal_columns(py, &rows)
    }

    /// Workwear spending of a year and the previous one, `by` "tenant",
    /// "service" (with the workwear budget line), "item" or "agent".
    #[pyo3(signature = (tenant, year, by="service"))]
    fn workwear_spending(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        by: &str,
    ) -> PyResult<Vec<workwear::PyWorkwearSpending>> {
        let by: mutualis::workwear::SpendingBy = core(by.parse())?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.workwear_spending(tenant, year, by))?
            .iter()
            .map(workwear::PyWorkwearSpending::new)
            .collect())
    }

    /// `workwear_spending` as columns.
    #[pyo3(signature = (tenant, year, by="service"))]
    fn workwear_spending_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        by: &str,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.workwear_spending(py, tenant, year, by)?;
        workwear::spending_columns(py, &rows)
    }

    /// The renewals a tenant's allotments bring in `year`, per item and
    /// store, valued at current CMUP.
    fn renewal_forecast(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<workwear::PyRenewalForecast>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.renewal_forecast(tenant, year))?
            .iter()
            .map(workwear::PyRenewalForecast::new)
            .collect())
    }

    /// `renewal_forecast` as columns.
    fn renewal_forecast_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let rows = self.renewal_forecast(py, tenant, year)?;
        workwear::forecast_columns(py, &rows)
    }

    // --- access rights ------------------------------------------------------

    /// Adds a principal: an "agent" or "elected" official of a `tenant`, a
    /// "contractor" working for a `supplier`, a "citizen" or the group's
    /// "administrator". The host application authenticates; Mutualis
    /// authorises.
    #[pyo3(signature = (code, name, kind, *, tenant=None, supplier=None))]
    fn add_principal(
        &self,
        py: Python<'_>,
        code: String,
        name: String,
        kind: &str,
        tenant: Option<String>,
        supplier: Option<String>,
    ) -> PyResult<()> {
        let kind: mutualis::access::PrincipalKind = core(kind.parse())?;
        let spec = mutualis::access::NewPrincipal {
            code,
            name,
            kind,
            tenant,
            supplier,
        };
        self.write(py, |m| m.add_principal(spec))
    }

    /// Adds a role permitting `permissions` ("work:write", "budgets:read"…;
    /// writing implies reading).
    fn add_role(
        &self,
        py: Python<'_>,
        code: &str,
        name: &str,
        permissions: Vec<String>,
    ) -> PyResult<()> {
        self.write(py, |m| m.add_role(code, name, &permissions))
    }

    /// Gives `role` to `principal` from `start` to `end` (inclusive; `None`
    /// = open-ended) on a scope named by keywords: none (the whole group),
    /// `tenant`, `tenant` and `service`, `asset` (its subtree),
    /// `work_orders` (a contractor's assignments), or `tenant` and `year`
    /// (a budget).
    #[pyo3(signature = (principal, role, start, end=None, *, tenant=None, service=None, asset=None, work_orders=None, year=None))]
    #[allow(clippy::too_many_arguments)]
    fn grant(
        &self,
        py: Python<'_>,
        principal: &str,
        role: &str,
        start: Day,
        end: Option<Day>,
        tenant: Option<String>,
        service: Option<String>,
        asset: Option<String>,
        work_orders: Option<Vec<String>>,
        year: Option<i32>,
    ) -> PyResult<()> {
        let scope = access::scope_of(tenant, service, asset, work_orders, year)?;
        let p = period(start, end)?;
        self.write(py, |m| m.grant(principal, role, &scope, p))
    }

    /// The principals, in creation order.
    fn principals(&self, py: Python<'_>) -> PyResult<Vec<access::PyPrincipal>> {
        let m = self.state(py)?;
        Ok(m.principals()
            .iter()
            .map(|p| access::PyPrincipal::new(&m, p))
            .collect())
    }

    /// The roles, in creation order.
    fn roles(&self, py: Python<'_>) -> PyResult<Vec<access::PyRole>> {
        Ok(self.state(py)?.roles().iter().map(Into::into).collect())
    }

    /// The grants of a principal, in creation order.
    fn grants_of(&self, py: Python<'_>, principal: &str) -> PyResult<Vec<access::PyGrant>> {
        let m = self.state(py)?;
        let grants = core(m.grants_of(principal))?;
        Ok(grants
            .into_iter()
            .map(|g| access::PyGrant::new(&m, g))
            .collect())
    }

    /// True when `principal` may use `permission` ("work:write") on a
    /// target on `on`: none (the group), `tenant`, `asset`, `work_order`, or
    /// `tenant` and `year` (a budget).
    #[pyo3(signature = (principal, permission, on, *, tenant=None, asset=None, work_order=None, year=None))]
    #[allow(clippy::too_many_arguments)]
    fn allowed(
        &self,
        py: Python<'_>,
        principal: &str,
        permission: &str,
        on: Day,
        tenant: Option<&str>,
        asset: Option<&str>,
        work_order: Option<&str>,
        year: Option<i32>,
    ) -> PyResult<bool> {
        let (area, mode) = access::permission(permission)?;
        let m = self.state(py)?;
        let target = access::target_of(&m, tenant, asset, work_order, year)?;
        core(m.allowed(principal, area, mode, target, on.0))
    }

    /// The same registry seen and changed by `principal`: every command is
    /// authorised against its grants (a refused one changes nothing and
    /// raises `ForbiddenError`), queries answer only what it may read, and
    /// the journal records it as the actor. This object stays the
    /// unchecked façade.
    fn as_principal(&self, py: Python<'_>, principal: &str) -> PyResult<Self> {
        // an unknown principal is refused now rather than at its first call
        core(self.locked(py)?.grants_of(principal))?;
        Ok(PyMutualis {
            state: self.state.share(),
            principal: Some(principal.to_owned()),
        })
    }

    /// The principal this object acts for (`None` for the unchecked façade).
    #[getter]
    fn principal(&self) -> Option<String> {
        self.principal.clone()
    }

    // --- actor and clock ----------------------------------------------------

    /// Sets who records the next changes (a user or device id), kept in the journal.
    fn set_actor(&self, py: Python<'_>, actor: &str) -> PyResult<()> {
        self.unbound(py, "set_actor")?.set_actor(actor);
        Ok(())
    }

    /// Who records the changes ("system" by default).
    #[getter]
    fn actor(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.locked(py)?.actor().to_owned())
    }

    /// Fixes the time stamped on journal entries (an aware datetime), or
    /// with `None` goes back to the system clock.
    fn set_now(&self, py: Python<'_>, at: Option<Instant>) -> PyResult<()> {
        let clock = at.map_or(Clock::System, |t| Clock::Fixed(t.0));
        self.unbound(py, "set_now")?.set_clock(clock);
        Ok(())
    }

    // --- suppliers ----------------------------------------------------------

    /// Adds a supplier, identified by its SIRET.
    #[pyo3(signature = (code, name, siret, categories=Codes::default()))]
    #[pyo3(text_signature = "($self, code, name, siret, categories=())")]
    fn add_supplier(
        &self,
        py: Python<'_>,
        code: &str,
        name: &str,
        siret: &str,
        categories: Codes,
    ) -> PyResult<()> {
        let mut spec = NewSupplier::new(code, name, siret);
        spec.categories = categories.0;
        self.write(py, |m| m.add_supplier(spec)).map(drop)
    }

    /// The supplier with this code.
    fn supplier(&self, py: Python<'_>, code: &str) -> PyResult<PySupplier> {
        let m = self.state(py)?;
        Ok(PySupplier::new(core(m.supplier(code))?))
    }

    /// All suppliers, in creation order.
    fn suppliers(&self, py: Python<'_>) -> PyResult<Vec<PySupplier>> {
        let m = self.state(py)?;
        Ok(m.suppliers().iter().map(PySupplier::new).collect())
    }

    // --- teams and rates ----------------------------------------------------

    /// Adds a régie team of `tenant`, optionally in one of its services.
    #[pyo3(signature = (code, tenant, name, service=None))]
    fn add_team(
        &self,
        py: Python<'_>,
        code: &str,
        tenant: &str,
        name: &str,
        service: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| m.add_team(code, tenant, name, service))
            .map(drop)
    }

    /// All régie teams, in creation order.
    fn teams(&self, py: Python<'_>) -> PyResult<Vec<PyTeam>> {
        let m = self.state(py)?;
        Ok(m.teams().iter().map(|t| PyTeam::new(&m, t)).collect())
    }

    /// Sets the hourly labour rate of `tenant` for `year`, optionally for
    /// one of its teams and/or a grade. Rates are history: setting the same
    /// key twice raises `RateAlreadySetError`.
    #[pyo3(signature = (tenant, year, rate, *, team=None, grade=None))]
    fn set_labour_rate(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        rate: Money,
        team: Option<&str>,
        grade: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| m.set_labour_rate(tenant, year, team, grade, rate.0))
    }

    /// The hourly rate of `team` (and `grade`) on a day: team and grade,
    /// else team, else grade, else the tenant's rate for that year.
    #[pyo3(signature = (team, on, grade=None))]
    fn labour_rate(
        &self,
        py: Python<'_>,
        team: &str,
        on: Day,
        grade: Option<&str>,
    ) -> PyResult<Decimal> {
        core(self.state(py)?.labour_rate(team, grade, on.0))
    }

    /// Sets the rate of one vehicle or equipment asset for `year` per `unit`
    /// ("hour", "day", "km").
    fn set_vehicle_rate(
        &self,
        py: Python<'_>,
        vehicle: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        unit: &str,
        rate: Money,
    ) -> PyResult<()> {
        let unit: UsageUnit = core(unit.parse())?;
        self.write(py, |m| m.set_vehicle_rate(vehicle, year, unit, rate.0))
    }

    /// Sets the rate of a vehicle category of `tenant` (its vehicles whose
    /// `category` attribute is `category`) for `year` per `unit`.
    fn set_category_rate(
        &self,
        py: Python<'_>,
        tenant: &str,
        category: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        unit: &str,
        rate: Money,
    ) -> PyResult<()> {
        let unit: UsageUnit = core(unit.parse())?;
        self.write(py, |m| {
            m.set_category_rate(tenant, category, year, unit, rate.0)
        })
    }

    /// The rate of a vehicle per `unit` on a day: its own, else its
    /// owner's category rate.
    fn vehicle_rate(
        &self,
        py: Python<'_>,
        vehicle: &str,
        unit: &str,
        on: Day,
    ) -> PyResult<Decimal> {
        let unit: UsageUnit = core(unit.parse())?;
        core(self.state(py)?.vehicle_rate(vehicle, unit, on.0))
    }

    /// All labour rates, sorted by tenant, year, team and grade.
    fn labour_rates(&self, py: Python<'_>) -> PyResult<Vec<PyLabourRate>> {
        let m = self.state(py)?;
        Ok(m.labour_rates().into_iter().map(Into::into).collect())
    }

    /// All vehicle and category rates, sorted.
    fn vehicle_rates(&self, py: Python<'_>) -> PyResult<Vec<PyVehicleRate>> {
        let m = self.state(py)?;
        Ok(m.vehicle_rates().into_iter().map(Into::into).collect())
    }

    // --- stock ----------------------------------------------------------------

    /// Adds a store of `tenant`.
    fn add_store(&self, py: Python<'_>, code: &str, tenant: &str, name: &str) -> PyResult<()> {
        self.write(py, |m| m.add_store(code, tenant, name))
            .map(drop)
    }

    /// Adds an item to the stock catalogue (shared by all stores).
    fn add_item(&self, py: Python<'_>, code: &str, name: &str, unit: &str) -> PyResult<()> {
        self.write(py, |m| m.add_item(NewItem::new(code, name, unit)))
            .map(drop)
    }

    /// Receives `quantity` of `item` into `store` at `unit_price`; the CMUP
    /// becomes the weighted average (4 decimals). Returns the new level.
    fn receive_stock(
        &self,
        py: Python<'_>,
        store: &str,
        item: &str,
        on: Day,
        quantity: Money,
        unit_price: Money,
    ) -> PyResult<PyStockLevel> {
        self.write(py, |m| {
            m.receive_stock(store, item, on.0, quantity.0, unit_price.0)
        })
        .map(Into::into)
    }

    /// Issues stock outside a work order, valued at the current CMUP: to an
    /// agent (`agent=`), to a service (`service=(tenant, service)`), a
    /// "loss" or an "inventory" adjustment (no recipient).
    #[pyo3(signature = (store, item, on, quantity, reason, *, agent=None, service=None, note=None))]
    #[allow(clippy::too_many_arguments)]
    fn issue_stock(
        &self,
        py: Python<'_>,
        store: &str,
        item: &str,
        on: Day,
        quantity: Money,
        reason: &str,
        agent: Option<String>,
        service: Option<(String, String)>,
        note: Option<String>,
    ) -> PyResult<PyStockIssue> {
        let reason: mutualis::IssueReason = core(reason.parse())?;
        let spec = mutualis::NewStockIssue {
            agent,
            service: service.map(|(tenant, service)| ServiceRef { tenant, service }),
            note,
            ..mutualis::NewStockIssue::new(store, item, on.0, quantity.0, reason)
        };
        self.write(py, |m| {
            let issue = m.issue_stock(spec)?;
            Ok(PyStockIssue::new(m, &issue))
        })
    }

    /// The issues outside work orders, in the order they were recorded.
    fn stock_issues(&self, py: Python<'_>) -> PyResult<Vec<PyStockIssue>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.stock_issues()
            .into_iter()
            .map(|i| PyStockIssue::new(&m, i))
            .collect())
    }

    /// The stock of `item` in `store` (zero if never received).
    fn stock_level(&self, py: Python<'_>, store: &str, item: &str) -> PyResult<PyStockLevel> {
        core(self.reader(&*self.locked(py)?)?.stock_level(store, item)).map(Into::into)
    }

    /// All stores, in creation order.
    fn stores(&self, py: Python<'_>) -> PyResult<Vec<PyStore>> {
        let m = self.state(py)?;
        Ok(m.stores().iter().map(|s| PyStore::new(&m, s)).collect())
    }

    /// The stock catalogue, in creation order.
    fn items(&self, py: Python<'_>) -> PyResult<Vec<PyItem>> {
        let m = self.state(py)?;
        Ok(m.items().iter().map(PyItem::from).collect())
    }

    // --- requests -------------------------------------------------------------

    /// Records a request (status "open") received at `received` (an aware
    /// datetime). `lat` and `lon` (WGS 84 degrees) go together.
    #[pyo3(signature = (code, origin, category, description, tenant, received, *,
                        service=None, asset=None, address=None, lat=None, lon=None))]
    #[allow(clippy::too_many_arguments)]
    fn receive_request(
        &self,
        py: Python<'_>,
        code: &str,
        origin: &str,
        category: &str,
        description: &str,
        tenant: &str,
        received: Instant,
        service: Option<String>,
        asset: Option<String>,
        address: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    ) -> PyResult<()> {
        let origin: RequestOrigin = core(origin.parse())?;
        let location = match (lat, lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
            (None, None) => None,
            _ => {
                return Err(to_py_err(Error::InvalidField {
                    field: "location",
                    reason: "give both lat and lon, or neither".into(),
                }))
            }
        };
        let mut spec = NewRequest::new(code, origin, category, description, tenant, received.0);
        spec.service = service;
        spec.asset = asset;
        spec.address = address;
        spec.location = location;
        self.write(py, |m| m.receive_request(spec)).map(drop)
    }

    /// Changes the status of a request at `at` (never before its previous change).
    #[pyo3(signature = (code, status, at, note=None))]
    fn set_request_status(
        &self,
        py: Python<'_>,
        code: &str,
        status: &str,
        at: Instant,
        note: Option<&str>,
    ) -> PyResult<()> {
        let status: RequestStatus = core(status.parse())?;
        self.write(py, |m| m.set_request_status(code, status, at.0, note))
    }

    /// Routes a request to another competent tenant (and service); its
    /// status becomes "internal_referral".
    #[pyo3(signature = (code, tenant, at, service=None))]
    fn route_request(
        &self,
        py: Python<'_>,
        code: &str,
        tenant: &str,
        at: Instant,
        service: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| m.route_request(code, tenant, service, at.0))
    }

    /// The request with this code.
    fn request(&self, py: Python<'_>, code: &str) -> PyResult<PyRequest> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(PyRequest::new(&m, core(r.request(code))?))
    }

    /// All requests, in reception order.
    fn requests(&self, py: Python<'_>) -> PyResult<Vec<PyRequest>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.requests()
            .into_iter()
            .map(|q| PyRequest::new(&m, q))
            .collect())
    }

    /// Delays of a request to its first response and to its closure.
    fn request_delays(&self, py: Python<'_>, code: &str) -> PyResult<PyRequestDelays> {
        core(self.reader(&*self.locked(py)?)?.request_delays(code)).map(Into::into)
    }

    // --- work orders ----------------------------------------------------------

    /// Creates a work order (status "planned") on `asset`, done by exactly
    /// one of `team` or `supplier`. `service` is the ordering service as a
    /// `(tenant, service)` pair of codes.
    #[pyo3(signature = (code, title, asset, *, team=None, supplier=None, service=None,
                        requests=Codes::default(), tags=Codes::default(), association=None,
                        planned_on=None))]
    #[pyo3(
        text_signature = "($self, code, title, asset, *, team=None, supplier=None, \
                             service=None, requests=(), tags=(), association=None, planned_on=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_work_order(
        &self,
        py: Python<'_>,
        code: &str,
        title: &str,
        asset: &str,
        team: Option<String>,
        supplier: Option<String>,
        service: Option<(String, String)>,
        requests: Codes,
        tags: Codes,
        association: Option<String>,
        planned_on: Option<Day>,
    ) -> PyResult<()> {
        let performer = match (team, supplier) {
            (Some(t), None) => Performer::Team(t),
            (None, Some(s)) => Performer::Supplier(s),
            _ => {
                return Err(to_py_err(Error::InvalidField {
                    field: "performer",
                    reason: "give exactly one of team or supplier".into(),
                }))
            }
        };
        let spec = NewWorkOrder {
            code: code.to_owned(),
            title: title.to_owned(),
            asset: asset.to_owned(),
            performer,
            service: service.map(|(tenant, service)| ServiceRef { tenant, service }),
            requests: requests.0,
            tags: tags.0,
            association,
            planned_on: planned_on.map(|d| d.0),
        };
        self.write(py, |m| m.create_work_order(spec)).map(drop)
    }

    /// Moves a work order to `status` at `at` (planned → scheduled →
    /// in_progress → done → closed; cancelled before done; done → in_progress).
    fn set_work_order_status(
        &self,
        py: Python<'_>,
        code: &str,
        status: &str,
        at: Instant,
    ) -> PyResult<()> {
        let status: WorkOrderStatus = core(status.parse())?;
        self.write(py, |m| m.set_work_order_status(code, status, at.0))
    }

    /// The work order with this code.
    fn work_order(&self, py: Python<'_>, code: &str) -> PyResult<PyWorkOrder> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(PyWorkOrder::new(&m, &core(r.work_order(code))?))
    }

    /// All work orders, or those of one régie team, in creation order.
    #[pyo3(signature = (team=None))]
    fn work_orders(&self, py: Python<'_>, team: Option<&str>) -> PyResult<Vec<PyWorkOrder>> {
        let m = self.locked(py)?;
        let orders = match team {
            // a team's orders: the unchecked façade's only
            Some(t) => core(self.reader(&m)?.work_orders_of_team(t))?,
            None => self.reader(&m)?.work_orders(),
        };
        Ok(orders
            .into_iter()
            .map(|w| PyWorkOrder::new(&m, &w))
            .collect())
    }

    // --- cost lines -------------------------------------------------------------

    /// Records régie labour: `agents` agents for `hours` each, at the rate
    /// of the work order's team (or `team`) for `grade`.
    #[pyo3(signature = (work_order, on, hours, agents=Agents::ONE, *, team=None, grade=None))]
    #[pyo3(text_signature = "($self, work_order, on, hours, agents=1, *, team=None, grade=None)")]
    #[allow(clippy::too_many_arguments)]
    fn record_labour(
        &self,
        py: Python<'_>,
        work_order: &str,
        on: Day,
        hours: Money,
        agents: Agents,
        team: Option<String>,
        grade: Option<String>,
    ) -> PyResult<PyCostLine> {
        let cost = CostInput::Labour {
            date: on.0,
            hours: hours.0,
            agents: agents.0,
            team,
            grade,
        };
        self.record(py, work_order, cost)
    }

    /// Issues `quantity` of `item` from `store` at its CMUP.
    fn record_material(
        &self,
        py: Python<'_>,
        work_order: &str,
        on: Day,
        store: &str,
        item: &str,
        quantity: Money,
    ) -> PyResult<PyCostLine> {
        let cost = CostInput::material(on.0, store, item, quantity.0);
        self.record(py, work_order, cost)
    }

    /// Records the use of a vehicle: `quantity` hours, days or km (`unit`) at its rate.
    fn record_vehicle(
        &self,
        py: Python<'_>,
        work_order: &str,
        on: Day,
        vehicle: &str,
        unit: &str,
        quantity: Money,
    ) -> PyResult<PyCostLine> {
        let unit: UsageUnit = core(unit.parse())?;
        let cost = CostInput::vehicle(on.0, vehicle, unit, quantity.0);
        self.record(py, work_order, cost)
    }

    /// Records a supplier invoice line: `ht` (whole cents; negative for a
    /// credit note) at `vat_rate` percent (20, 10, 5.5, 2.1), from the work
    /// order's supplier or `supplier`.
    #[pyo3(signature = (work_order, on, description, ht, vat_rate, *, supplier=None))]
    #[allow(clippy::too_many_arguments)]
    fn record_external(
        &self,
        py: Python<'_>,
        work_order: &str,
        on: Day,
        description: &str,
        ht: Money,
        vat_rate: Money,
        supplier: Option<&str>,
    ) -> PyResult<PyCostLine> {
        let rate = core(VatRate::from_percent(vat_rate.0))?;
        let cost = CostInput::external(on.0, supplier, description, ht.0, rate);
        self.record(py, work_order, cost)
    }

    /// Ingests a user's tables (docs/ingest.md): a mapping of table names to
    /// objects exposing `__arrow_c_stream__` (pyarrow tables, polars data
    /// frames). `mode` is "all_or_nothing" or "report"; `progress(done,
    /// total)` is called every 1 024 rows and at the end (its exceptions
    /// are ignored: the ingestion is one command).
    #[pyo3(signature = (tables, mode="all_or_nothing", progress=None))]
    fn ingest(
        &self,
        py: Python<'_>,
        tables: &Bound<'_, PyAny>,
        mode: &str,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<ingest::PyIngestReport> {
        let mode = ingest::mode(mode)?;
        let tables = ingest::tables_from_mapping(tables)?;
        self.ingest_tables(py, &tables, mode, progress)
    }

    /// Ingests `DIR/<table>.parquet` files; as `ingest`.
    #[pyo3(signature = (dir, mode="all_or_nothing", progress=None))]
    fn ingest_parquet(
        &self,
        py: Python<'_>,
        dir: PathBuf,
        mode: &str,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<ingest::PyIngestReport> {
        let mode = ingest::mode(mode)?;
        // read batch by batch while ingested: the tables are never all in memory
        let address = self.address();
        let report = self.write(py, |m| match progress {
            None => m.ingest_parquet_dir(dir, mode, None),
            Some(p) => {
                let mut call = |done: usize, total: usize| {
                    let _ = p.call1((done, total));
                };
                let _busy = BusyGuard::enter(address);
                m.ingest_parquet_dir(dir, mode, Some(&mut call))
            }
        })?;
        Ok(report.into())
    }

    /// Writes the registry's tables as Parquet files in `dir` (created if
    /// missing): `<table>.parquet` in the schema `ingest_parquet` reads
    /// (docs/ingest.md) plus `ledger.parquet` (the columns of
    /// `ledger_columns`). Returns (table, rows) per file written. The
    /// unchecked façade only (`ForbiddenError` for a principal's object);
    /// a file that cannot be written raises `StorageError`.
    fn write_parquet(&self, py: Python<'_>, dir: PathBuf) -> PyResult<Vec<(String, usize)>> {
        let m = self.state(py)?;
        let m: &mutualis::Mutualis = &m;
        let files = py.detach(|| m.write_parquet_dir(&dir));
        Ok(core(files)?
            .into_iter()
            .map(|f| (f.table.to_owned(), f.rows))
            .collect())
    }

    /// Ingests `DIR/<table>.csv` files; as `ingest`.
    #[pyo3(signature = (dir, mode="all_or_nothing", progress=None))]
    fn ingest_csv(
        &self,
        py: Python<'_>,
        dir: PathBuf,
        mode: &str,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<ingest::PyIngestReport> {
        let mode = ingest::mode(mode)?;
        let tables = py.detach(|| ingest::tables_from_csv(dir))?;
        self.ingest_tables(py, &tables, mode, progress)
    }

    /// Records many cost lines from columns, all or nothing; returns how
    /// many were recorded. See the stub for the columns. `progress(done,
    /// total)` is called every 1 024 lines and at the end; if it returns
    /// `False` the batch stops and `CancelledError` is raised, if it raises
    /// its exception propagates: either way nothing is recorded (the core
    /// undoes the batch; no copy of the registry is made).
    #[pyo3(signature = (columns, *, progress=None))]
    fn record_costs(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyAny>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let batch = bulk::cost_inputs(columns)?;
        let count = batch.len();
        // The row of a refused line, kept aside: the session speaks `Error`.
        let mut bad_row: Option<(usize, Error)> = None;
        let mut failure: Option<PyErr> = None;
        let address = self.address();
        let result = self.write(py, |m| {
            let out = match &progress {
                None => m.record_costs(batch, None),
                Some(progress) => {
                    // The callback's answer goes back to the core, which
                    // undoes the batch itself when told to stop.
                    let mut call = |done: usize, total: usize| match progress.call1((done, total)) {
                        Err(e) => {
                            failure = Some(e);
                            std::ops::ControlFlow::Break(())
                        }
                        Ok(answer) if answer.is(pyo3::types::PyBool::new(answer.py(), false)) => {
                            std::ops::ControlFlow::Break(())
                        }
                        Ok(_) => std::ops::ControlFlow::Continue(()),
                    };
                    let _busy = BusyGuard::enter(address);
                    m.record_costs(batch, Some(&mut call))
                }
            };
            out.map_err(|(row, e)| {
                bad_row = Some((row, e.clone()));
                e
            })
        });
        match (result, failure) {
            (Err(_), Some(err)) => Err(err),
            (Err(err), None) => match bad_row {
                // a refused line: its exception class, with its row
                Some((row, e)) => Err(error_with_message(&e, format!("row {row}: {e}"))),
                // refused by the principal's grants, or the registry busy
                None => Err(err),
            },
            (Ok(_), _) => Ok(count),
        }
    }

    /// Cost lines (of one work order, or all) as columns for pandas/polars:
    /// line, work_order, date, nature, provider, provider_tenant, item,
    /// unit, description, quantity, unit_cost, ht, vat_rate, vat, ttc.
    #[pyo3(signature = (work_order=None))]
    fn cost_lines<'py>(
        &self,
        py: Python<'py>,
        work_order: Option<&str>,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let lines: Vec<CostLine> = match work_order {
            Some(w) => core(self.reader(&m)?.work_order_lines(w))?,
            // every line: the unchecked façade's only
            None => {
                self.facade_only()?;
                m.cost_lines().iter().collect()
            }
        };
        columns::cost_lines(&m, &lines)
    }

    // --- costing ------------------------------------------------------------------

    /// Totals of a work order by nature.
    fn work_order_cost(&self, py: Python<'_>, code: &str) -> PyResult<PyCostSummary> {
        let m = self.locked(py)?;
        core(self.reader(&m)?.work_order_cost(code)).map(Into::into)
    }

    /// What each tenant is charged for a work order, sorted by tenant code.
    fn work_order_charges(&self, py: Python<'_>, code: &str) -> PyResult<Vec<PyCharge>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let charges = core(r.work_order_charges(code))?;
        Ok(charges.iter().map(|c| PyCharge::new(&m, c)).collect())
    }

    /// Costs of the work orders on an asset and its descendants, for lines
    /// dated from `start` to `end` (inclusive; None = unbounded).
    #[pyo3(signature = (asset, start=None, end=None))]
    fn rollup(
        &self,
        py: Python<'_>,
        asset: &str,
        start: Option<Day>,
        end: Option<Day>,
    ) -> PyResult<PyCostSummary> {
        let p = optional_period(start, end)?;
        core(self.reader(&*self.locked(py)?)?.rollup(asset, p)).map(Into::into)
    }

    /// Costs of the work orders tagged `tag` (an event, e.g. "14-juillet-2026").
    fn cost_by_tag(&self, py: Python<'_>, tag: &str) -> PyResult<PyCostSummary> {
        let m = self.locked(py)?;
        core(self.reader(&m)?.cost_by_tag(tag)).map(Into::into)
    }

    /// Costs of the work orders done for an association (aide en nature).
    fn cost_by_association(&self, py: Python<'_>, association: &str) -> PyResult<PyCostSummary> {
        let m = self.locked(py)?;
        core(self.reader(&m)?.cost_by_association(association)).map(Into::into)
    }

    /// Interventions and external lines of a supplier, dated from `start` to `end`.
    #[pyo3(signature = (supplier, start=None, end=None))]
    fn supplier_activity(
        &self,
        py: Python<'_>,
        supplier: &str,
        start: Option<Day>,
        end: Option<Day>,
    ) -> PyResult<PySupplierActivity> {
        let p = optional_period(start, end)?;
        let m = self.locked(py)?;
        core(self.reader(&m)?.supplier_activity(supplier, p)).map(Into::into)
    }

    /// What each payer is charged per service and nature, for lines dated
    /// from `start` to `end`, as columns payer, service_tenant, service,
    /// nature, ht, vat, ttc (rows sorted by payer, service, nature).
    #[pyo3(signature = (start=None, end=None))]
    fn cost_breakdown<'py>(
        &self,
        py: Python<'py>,
        start: Option<Day>,
        end: Option<Day>,
    ) -> PyResult<crate::table::PyTable> {
        let p = optional_period(start, end)?;
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.cost_breakdown(p))?;
        columns::breakdown(&m, &rows)
    }

    // --- journal --------------------------------------------------------------------

    /// The journal, oldest first.
    fn journal(&self, py: Python<'_>) -> PyResult<Vec<PyJournalEntry>> {
        let m = self.state(py)?;
        m.journal().iter().map(PyJournalEntry::new).collect()
    }

    /// The entries about a request, its work orders and their cost lines, in order.
    fn request_history(&self, py: Python<'_>, code: &str) -> PyResult<Vec<PyJournalEntry>> {
        let m = self.state(py)?;
        let entries = core(m.request_history(code))?;
        entries.into_iter().map(PyJournalEntry::new).collect()
    }

    /// The entries referring to `code` of a `kind` ("agreement", "ap",
    /// "asset", "budget", "item", "operation", "principal", "request", "role", "store",
    /// "supplier", "team", "tenant", "work_order"); `UnknownKindError` for
    /// any other kind.
    fn history(&self, py: Python<'_>, kind: &str, code: &str) -> PyResult<Vec<PyJournalEntry>> {
        let m = self.state(py)?;
        core(m.history(kind, code))?
            .into_iter()
            .map(PyJournalEntry::new)
            .collect()
    }

    /// The journal as JSON (a list of entries), for `Mutualis.replay`; the
    /// core's own text, so any binding or the core can replay it.
    fn journal_json(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.state(py)?.journal_json())
    }

    /// Rebuilds a registry by replaying a journal written by `journal_json`
    /// (in any language); entries keep their actor and time.
    #[staticmethod]
    fn replay(py: Python<'_>, journal_json: &str) -> PyResult<Self> {
        let replayed = py.detach(|| mutualis::Mutualis::from_journal_json(journal_json));
        core(replayed).map(Self::wrap)
    }

    // --- agreements, pooled services, vehicle loans ---------------------------------

    /// Records a service agreement: `provider`'s régie works for
    /// `beneficiary` from `start` to `end` (inclusive), reimbursed at
    /// `mode` ("actual_cost" or "unit_cost", the latter with `unit_cost` per
    /// hour). `services` (provider service codes) and `assets` (subtrees)
    /// restrict the scope (empty: all). `vat_rate` is a percent (none by
    /// default).
    #[pyo3(signature = (code, provider, beneficiary, mode, start, end=None, *, unit_cost=None,
                        services=Codes::default(), assets=Codes::default(), vat_rate=None,
                        provider_account=None, beneficiary_account=None, legal_basis=None))]
    #[pyo3(
        text_signature = "($self, code, provider, beneficiary, mode, start, end=None, *, \
                             unit_cost=None, services=(), assets=(), vat_rate=None, \
                             provider_account=None, beneficiary_account=None, legal_basis=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn add_agreement(
        &self,
        py: Python<'_>,
        code: &str,
        provider: &str,
        beneficiary: &str,
        mode: &str,
        start: Day,
        end: Option<Day>,
        unit_cost: Option<Money>,
        services: Codes,
        assets: Codes,
        vat_rate: Option<Money>,
        provider_account: Option<String>,
        beneficiary_account: Option<String>,
        legal_basis: Option<String>,
    ) -> PyResult<()> {
        let mode: AgreementMode = core(mode.parse())?;
        let p = period(start, end)?;
        let vat_rate = vat_rate
            .map(|r| core(VatRate::from_percent(r.0)))
            .transpose()?;
        let mut spec = NewAgreement::actual_cost(code, provider, beneficiary, p);
        spec.mode = mode;
        spec.unit_cost = unit_cost.map(|c| c.0);
        spec.services = services.0;
        spec.assets = assets.0;
        spec.vat_rate = vat_rate;
        spec.provider_account = provider_account;
        spec.beneficiary_account = beneficiary_account;
        spec.legal_basis = legal_basis;
        self.write(py, |m| m.add_agreement(spec))
    }

    /// All service agreements, in creation order.
    fn agreements(&self, py: Python<'_>) -> PyResult<Vec<PyAgreement>> {
        let m = self.state(py)?;
        Ok(m.agreements()
            .iter()
            .map(|a| PyAgreement::new(&m, a))
            .collect())
    }

    /// Records a pooled service (service commun): `provider`'s `services`
    /// whose annual cost is split between members by `key`
    /// (`{tenant: weight}`), with a year-end true-up against advances.
    #[pyo3(signature = (code, provider, services, key, start, end=None, *, legal_basis=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_pooled_service(
        &self,
        py: Python<'_>,
        code: &str,
        provider: &str,
        services: Codes,
        key: KeyWeights,
        start: Day,
        end: Option<Day>,
        legal_basis: Option<String>,
    ) -> PyResult<()> {
        let p = period(start, end)?;
        let mut weights = std::collections::BTreeMap::new();
        for (tenant, w) in key.0 {
            if weights.insert(tenant.clone(), w).is_some() {
                return Err(to_py_err(Error::DuplicateKeyTenant(tenant)));
            }
        }
        let spec = NewPooledService {
            code: code.to_owned(),
            provider: provider.to_owned(),
            services: services.0,
            period: p,
            key: weights,
            legal_basis,
        };
        self.write(py, |m| m.add_pooled_service(spec))
    }

    /// Records an advance paid by a member of a pooled service for a year
    /// (added to its earlier advances of that year).
    fn record_advance(
        &self,
        py: Python<'_>,
        pooled: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        member: &str,
        amount: Money,
    ) -> PyResult<()> {
        self.write(py, |m| m.record_advance(pooled, year, member, amount.0))
    }

    /// All pooled services, in creation order.
    fn pooled_services(&self, py: Python<'_>) -> PyResult<Vec<PyPooledService>> {
        let m = self.state(py)?;
        Ok(m.pooled_services()
            .iter()
            .map(|p| PyPooledService::new(&m, p))
            .collect())
    }

    /// Lends `vehicle` (its owner is the lender) to `borrower` from `start`
    /// to `end` (inclusive), charged per `unit` ("hour", "day", "km") at the
    /// lender's rate.
    #[pyo3(signature = (code, vehicle, borrower, unit, start, end=None))]
    #[allow(clippy::too_many_arguments)]
    fn lend_vehicle(
        &self,
        py: Python<'_>,
        code: &str,
        vehicle: &str,
        borrower: &str,
        unit: &str,
        start: Day,
        end: Option<Day>,
    ) -> PyResult<()> {
        let unit: UsageUnit = core(unit.parse())?;
        let spec = NewLoan {
            code: code.to_owned(),
            vehicle: vehicle.to_owned(),
            borrower: borrower.to_owned(),
            period: period(start, end)?,
            unit,
        };
        self.write(py, |m| m.lend_vehicle(spec))
    }

    /// Records a use of a lent vehicle on a day, at the lender's rate of that day.
    fn record_loan_use(
        &self,
        py: Python<'_>,
        loan: &str,
        on: Day,
        quantity: Money,
    ) -> PyResult<PyLoanUse> {
        let u = self.write(py, |m| m.record_loan_use(loan, on.0, quantity.0))?;
        Ok((&u).into())
    }

    /// All vehicle loans, in creation order.
    fn loans(&self, py: Python<'_>) -> PyResult<Vec<PyLoan>> {
        let m = self.state(py)?;
        Ok(m.loans().iter().map(|l| PyLoan::new(&m, l)).collect())
    }

    // --- settlement ---------------------------------------------------------------

    /// The annual statement of a service agreement.
    fn statement(
        &self,
        py: Python<'_>,
        agreement: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<PyStatement> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let s = core(r.statement(agreement, year))?;
        Ok(PyStatement::new(&m, &s))
    }

    /// The annual statements of every agreement `tenant` is party to
    /// (provider or beneficiary), in the order the agreements were recorded.
    fn statements_for(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyStatement>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let all = core(r.statements_for(tenant, year))?;
        Ok(all.iter().map(|s| PyStatement::new(&m, s)).collect())
    }

    /// The lines of an agreement's annual statement as columns (see `debt_lines_table`).
    fn statement_table<'py>(
        &self,
        py: Python<'py>,
        agreement: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let s = core(r.statement(agreement, year))?;
        settlement::debt_lines(&m, &s.lines)
    }

    /// The annual statement of a pooled service, with its true-up.
    fn pooled_statement(
        &self,
        py: Python<'_>,
        code: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<PyPooledStatement> {
        let m = self.state(py)?;
        let s = core(m.pooled_statement(code, year))?;
        Ok(PyPooledStatement::new(&m, &s))
    }

    /// A pooled statement's shares as columns tenant, weight, share, advances, balance.
    fn pooled_statement_table<'py>(
        &self,
        py: Python<'py>,
        code: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.state(py)?;
        let s = core(m.pooled_statement(code, year))?;
        settlement::pooled_shares(&m, &s)
    }

    /// The annual statement of a vehicle loan.
    fn loan_statement(
        &self,
        py: Python<'_>,
        code: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<PyLoanStatement> {
        let m = self.state(py)?;
        let s = core(m.loan_statement(code, year))?;
        Ok(PyLoanStatement::new(&m, &s))
    }

    /// A loan's uses in a year as columns date, quantity, rate, amount.
    fn loan_statement_table<'py>(
        &self,
        py: Python<'py>,
        code: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.state(py)?;
        let s = core(m.loan_statement(code, year))?;
        settlement::loan_uses(&s.uses)
    }

    /// Who owes whom for `year` over every agreement, pooled service and
    /// loan, one row per (creditor, debtor), sorted by their codes.
    fn settlement_matrix(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyDebt>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.settlement_matrix(year))?;
        Ok(rows.iter().map(|d| PyDebt::new(&m, d)).collect())
    }

    /// The settlement of `first` and `second` for `year`: every agreement
    /// statement, pooled-service balance and vehicle loan between them,
    /// which add up to their matrix cells, and the work without an agreement.
    fn settlement_report(
        &self,
        py: Python<'_>,
        first: &str,
        second: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<PySettlementReport> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let r = core(r.settlement_report(first, second, year))?;
        Ok(PySettlementReport::new(&m, &r))
    }

    /// The FCTVA attributable to `tenant`'s spending of `year`: the dated
    /// rate times the eligible maintenance paid to suppliers (public
    /// buildings and roads from 2016, networks from 2020) and the year's AP
    /// payments.
    fn fctva_estimate(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<PyFctvaEstimate> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let e = core(r.fctva_estimate(tenant, year))?;
        Ok(PyFctvaEstimate::new(&m, &e))
    }

    /// Report `kind` ("spending", "settlement", "budget", "ppi", "event",
    /// "suppliers") for `tenant` and calendar `year`, built by the core from
    /// its public queries (the event report's tag: `tag`, else
    /// "14-juillet-YEAR"). For the unchecked façade (`ForbiddenError` for an
    /// object bound to a principal).
    #[pyo3(signature = (kind, *, tenant, year, tag=None))]
    fn report(
        &self,
        py: Python<'_>,
        kind: &str,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        tag: Option<&str>,
    ) -> PyResult<report::PyReport> {
        let kind: mutualis::report::ReportKind = core(kind.parse())?;
        let m = self.state(py)?;
        let inner = match (tag, kind) {
            (Some(tag), mutualis::report::ReportKind::Event) => m.report_event(tenant, year, tag),
            _ => m.report(kind, tenant, year),
        };
        Ok(report::PyReport {
            inner: core(inner)?,
        })
    }

    /// `settlement_report` as French text, line by line, ending with the
    /// balance and whether it matches the settlement matrix.
    fn settlement_report_text(
        &self,
        py: Python<'_>,
        first: &str,
        second: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<String> {
        core(
            self.reader(&*self.locked(py)?)?
                .settlement_report_text(first, second, year),
        )
    }

    /// The settlement matrix as columns creditor, debtor, amount.
    fn settlement_matrix_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.settlement_matrix(year))?;
        settlement::matrix(&m, &rows)
    }

    /// Every payer part of `year`'s régie lines done for a tenant other than
    /// the provider, with how it is settled, in line order.
    fn debt_lines(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyDebtLine>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.debt_lines(year))?;
        Ok(rows.iter().map(|d| PyDebtLine::new(&m, d)).collect())
    }

    /// Debt lines as columns line, work_order, date, nature, provider,
    /// payer, part, units, amount, settled_by, settled_under.
    fn debt_lines_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.debt_lines(year))?;
        settlement::debt_lines(&m, &rows)
    }

    /// The debt lines of `year` no agreement covers ("no_agreement").
    fn unsettled(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyDebtLine>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.unsettled(year))?;
        Ok(rows.iter().map(|d| PyDebtLine::new(&m, d)).collect())
    }

    /// `unsettled` as columns (those of `debt_lines_table`).
    fn unsettled_table<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.unsettled(year))?;
        settlement::debt_lines(&m, &rows)
    }

    // --- budgets --------------------------------------------------------------------

    /// Opens the budget of `tenant` for `year`, charged "ttc" (default) or
    /// "ht", refusing ("refuse") or accepting with a warning ("warn",
    /// default) a cost beyond a line.
    #[pyo3(signature = (tenant, year, basis="ttc", policy="warn"))]
    fn add_budget(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        basis: &str,
        policy: &str,
    ) -> PyResult<()> {
        let basis: ChargeBasis = core(basis.parse())?;
        let policy: OverrunPolicy = core(policy.parse())?;
        self.write(py, |m| m.add_budget(tenant, year, basis, policy))
    }

    /// Adds a line with its voted credits, optionally for a service of the tenant.
    #[pyo3(signature = (tenant, year, code, account, voted, *, service=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_budget_line(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        code: &str,
        account: &str,
        voted: Money,
        service: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.add_budget_line(tenant, year, code, service, account, voted.0)
        })
    }

    /// Records an amendment (décision modificative), positive or negative.
    fn amend_budget_line(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        line: &str,
        amount: Money,
        label: &str,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.amend_budget_line(tenant, year, line, amount.0, label)
        })
    }

    /// Records a commitment (engagement) on a budget line, optionally for a
    /// work order (it then covers that order's spending up to its amount).
    #[pyo3(signature = (tenant, year, line, code, amount, *, work_order=None))]
    #[allow(clippy::too_many_arguments)]
    fn commit_budget(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        line: &str,
        code: &str,
        amount: Money,
        work_order: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.commit_budget(tenant, year, line, code, amount.0, work_order)
        })
    }

    /// Assigns a work order's charges to `tenant` to one of its expense
    /// lines (`BudgetLineMismatchError` for a revenue line).
    fn assign_budget_line(
        &self,
        py: Python<'_>,
        work_order: &str,
        tenant: &str,
        line: &str,
    ) -> PyResult<()> {
        self.write(py, |m| m.assign_budget_line(work_order, tenant, line))
    }

    /// Adds a revenue line (recettes: rents, charge provisions) with its
    /// forecast, optionally for a service of the tenant.
    #[pyo3(signature = (tenant, year, code, account, voted, *, service=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_revenue_line(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        code: &str,
        account: &str,
        voted: Money,
        service: Option<&str>,
    ) -> PyResult<()> {
        self.write(py, |m| {
            m.add_revenue_line(tenant, year, code, service, account, voted.0)
        })
    }

    /// Assigns a contract where `tenant` is lessor to one of its revenue
    /// lines: its rent calls and receipts count on it (`revenue_status`).
    fn assign_lease_budget_line(
        &self,
        py: Python<'_>,
        lease: &str,
        tenant: &str,
        line: &str,
    ) -> PyResult<()> {
        self.write(py, |m| m.assign_lease_budget_line(lease, tenant, line))
    }

    /// The revenue line a contract is assigned to (None: none).
    fn lease_budget_line(&self, py: Python<'_>, lease: &str) -> PyResult<Option<String>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(core(r.lease_budget_line(lease))?.map(str::to_owned))
    }

    /// The execution of the revenue lines of a budget: budgeted, called
    /// (rent calls of the year), collected (receipts of the year) and
    /// outstanding, exact to the cent; a last row (code "") for the
    /// tenant's lettings assigned to no revenue line.
    fn revenue_status(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<leases::PyRevenueLineStatus>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.revenue_status(tenant, year))?;
        Ok(rows
            .iter()
            .map(|s| leases::PyRevenueLineStatus::new(&m, s))
            .collect())
    }

    /// Consumption of every line of a budget, then a last row (code "") for
    /// the tenant's spending of the year that matches no line.
    fn budget_status(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyBudgetLineStatus>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.budget_status(tenant, year))?;
        Ok(rows
            .iter()
            .map(|r| PyBudgetLineStatus::new(&m, r))
            .collect())
    }

    /// `budget_status` as columns code, service, account, voted,
    /// amendments, credits, committed, spent, remaining.
    fn budget_status_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        let rows = core(r.budget_status(tenant, year))?;
        settlement::budget_status(&m, &rows)
    }

    /// Warnings left by costs recorded beyond a budget line (warn policy).
    fn budget_warnings(&self, py: Python<'_>) -> PyResult<Vec<PyBudgetWarning>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.budget_warnings().into_iter().map(Into::into).collect())
    }

    /// `budget_warnings` as columns tenant, year, line, work_order, amount, remaining.
    fn budget_warnings_table<'py>(&self, py: Python<'py>) -> PyResult<crate::table::PyTable> {
        let m = self.state(py)?;
        settlement::budget_warnings(m.budget_warnings())
    }

    /// All budgets, in creation order.
    fn budgets(&self, py: Python<'_>) -> PyResult<Vec<PyBudget>> {
        let m = self.locked(py)?;
        let r = self.reader(&m)?;
        Ok(r.budgets()
            .into_iter()
            .map(|b| PyBudget::new(&m, b))
            .collect())
    }

    // --- ledger ---------------------------------------------------------------------

    /// Groups the cost ledger (one row per cost line and payer) by the
    /// dimensions `by` (see `LEDGER_DIMENSIONS`), keeping rows dated from
    /// `start` to `end` (inclusive) and matching every filter given. Columns:
    /// one per dimension, named after it (codes; `None` where the row has
    /// none; `year` as int; service as "TENANT/SERVICE"), then ht, ttc,
    /// rows, work_orders; sorted by the keys.
    #[pyo3(signature = (by, *, start=None, end=None, payer=None, performer=None, nature=None,
                        tag=None, asset=None))]
    #[allow(clippy::too_many_arguments)]
    fn ledger_group<'py>(
        &self,
        py: Python<'py>,
        by: Codes,
        start: Option<Day>,
        end: Option<Day>,
        payer: Option<String>,
        performer: Option<String>,
        nature: Option<&str>,
        tag: Option<String>,
        asset: Option<String>,
    ) -> PyResult<crate::table::PyTable> {
        let mut dims: Vec<Dimension> = Vec::with_capacity(by.0.len());
        for name in &by.0 {
            let dim: Dimension = core(name.parse())?;
            if dims.contains(&dim) {
                return Err(to_py_err(Error::InvalidField {
                    field: "by",
                    reason: format!("dimension {name:?} given twice"),
                }));
            }
            dims.push(dim);
        }
        let filter = LedgerFilter {
            period: optional_period(start, end)?,
            payer,
            performer,
            nature: nature.map(|n| core(n.parse())).transpose()?,
            tag,
            asset,
        };
        let m = self.locked(py)?;
        let rows = core(self.reader(&m)?.ledger_group(&dims, &filter))?;
        settlement::ledger_groups(&dims, &rows)
    }

    /// The cost ledger as columns: line, payer, performer (None for
    /// supplier lines), supplier (None for régie lines), service
    /// ("TENANT/SERVICE" or None), nature, asset, work_order, date, ht, ttc.
    fn ledger_columns<'py>(&self, py: Python<'py>) -> PyResult<crate::table::PyTable> {
        let m = self.locked(py)?;
        let l = core(self.reader(&m)?.ledger_columns())?;
        settlement::ledger(&m, &l)
    }

    // --- planning (PPI, AP/CP) ----------------------------------------------------

    /// Sets a tenant's budgetary rules (règlement budgétaire et financier):
    /// carry-over of unspent CP, lapse after N years without payment, and
    /// the reference of the rule (as data).
    #[pyo3(signature = (tenant, carry_over, *, lapse_after_years=None, reference=None))]
    fn set_rbf_rules(
        &self,
        py: Python<'_>,
        tenant: &str,
        carry_over: bool,
        #[pyo3(from_py_with = crate::args::lapse_after_years)] lapse_after_years: Option<u32>,
        reference: Option<String>,
    ) -> PyResult<()> {
        let rules = mutualis::planning::RbfRules {
            carry_over,
            lapse_after_years,
            reference,
        };
        self.write(py, |m| m.set_rbf_rules(tenant, rules))
    }

    /// A tenant's budgetary rules as (carry_over, lapse_after_years, reference).
    fn rbf_rules(
        &self,
        py: Python<'_>,
        tenant: &str,
    ) -> PyResult<(bool, Option<u32>, Option<String>)> {
        let r = core(self.state(py)?.rbf_rules(tenant))?;
        Ok((r.carry_over, r.lapse_after_years, r.reference))
    }

    /// Adds an investment operation; `profile` is the share of the cost per
    /// year of works (non-negative ints), `depends_on` operations that must
    /// end before it starts.
    #[pyo3(signature = (code, tenant, title, work_type, priority, estimated_cost, earliest_year, profile, *, assets=Codes::default(), depends_on=Codes::default()))]
    #[allow(clippy::too_many_arguments)]
    fn add_operation(
        &self,
        py: Python<'_>,
        code: &str,
        tenant: &str,
        title: &str,
        work_type: &str,
        #[pyo3(from_py_with = crate::args::priority)] priority: u32,
        estimated_cost: Money,
        #[pyo3(from_py_with = crate::args::earliest_year)] earliest_year: i32,
        profile: Vec<Weight>,
        assets: Codes,
        depends_on: Codes,
    ) -> PyResult<()> {
        let spec = mutualis::planning::NewOperation {
            code: code.to_owned(),
            tenant: tenant.to_owned(),
            title: title.to_owned(),
            work_type: work_type.to_owned(),
            assets: assets.0,
            priority,
            estimated_cost: estimated_cost.0,
            earliest_year,
            profile: profile.into_iter().map(|w| w.0).collect(),
            depends_on: depends_on.0,
        };
        self.write(py, |m| m.add_operation(spec))
    }

    /// Links a work order to an operation (its cost lines become the
    /// operation's actuals).
    fn link_work_order(&self, py: Python<'_>, operation: &str, work_order: &str) -> PyResult<()> {
        self.write(py, |m| m.link_work_order(operation, work_order))
    }

    /// The operations, in creation order.
    fn operations(&self, py: Python<'_>) -> PyResult<Vec<PyOperation>> {
        let m = self.state(py)?;
        Ok(m.operations()
            .iter()
            .map(|o| PyOperation::new(&m, o))
            .collect())
    }

    /// The operations of a tenant as scheduler candidates (for what-ifs).
    fn plan_candidates(&self, py: Python<'_>, tenant: &str) -> PyResult<Vec<PyCandidate>> {
        let m = self.state(py)?;
        let t = core(m.tenant_id(tenant))?;
        Ok(m.operations()
            .iter()
            .filter(|o| o.tenant == t)
            .map(|o| PyCandidate::from_operation(&m, o))
            .collect())
    }

    /// Votes an AP of `amount` in `year` with its CP `schedule`
    /// ({year: amount}, summing to the AP).
    #[pyo3(signature = (code, tenant, title, year, amount, schedule, *, operations=Codes::default()))]
    #[allow(clippy::too_many_arguments)]
    fn vote_ap(
        &self,
        py: Python<'_>,
        code: &str,
        tenant: &str,
        title: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        amount: Money,
        schedule: Schedule,
        operations: Codes,
    ) -> PyResult<()> {
        let spec = mutualis::planning::NewAp {
            code: code.to_owned(),
            tenant: tenant.to_owned(),
            title: title.to_owned(),
            year,
            amount: amount.0,
            schedule: schedule.0,
            operations: operations.0,
        };
        self.write(py, |m| m.vote_ap(spec))
    }

    /// Records a payment (mandat) on an AP, within the CP of `on`'s year.
    fn pay_ap(&self, py: Python<'_>, ap: &str, on: Day, amount: Money) -> PyResult<()> {
        self.write(py, |m| m.pay_ap(ap, on.0, amount.0))
    }

    /// Closes `year` for every AP of `tenant`: unspent CP move to the next
    /// year (carry-over) or are cancelled (the AP is reduced).
    fn close_year(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<()> {
        self.write(py, |m| m.close_year(tenant, year))
    }

    /// Revises an AP to `amount` with a new schedule of its open years.
    fn revise_ap(
        &self,
        py: Python<'_>,
        ap: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        amount: Money,
        schedule: Schedule,
    ) -> PyResult<()> {
        self.write(py, |m| m.revise_ap(ap, year, amount.0, &schedule.0))
    }

    /// The schedule `{year: CP}` of the open years a revision of `ap` to
    /// `amount` in `year` gets under `rule` ("last_year": the difference on
    /// the last open year; "proportional": shared by what each open year
    /// still has to pay), without changing anything.
    #[pyo3(signature = (ap, year, amount, rule="last_year"))]
    fn respread(
        &self,
        py: Python<'_>,
        ap: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        amount: Money,
        rule: &str,
    ) -> PyResult<std::collections::BTreeMap<i32, Decimal>> {
        let rule: mutualis::planning::Respread = core(rule.parse())?;
        let schedule = core(self.state(py)?.respread(ap, year, amount.0, rule))?;
        Ok(schedule.into_iter().collect())
    }

    /// Revises `ap` to `amount` in `year`, re-spreading the difference by
    /// `rule` (see `respread`); the journal records the resulting schedule.
    #[pyo3(signature = (ap, year, amount, rule="last_year"))]
    fn respread_ap(
        &self,
        py: Python<'_>,
        ap: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
        amount: Money,
        rule: &str,
    ) -> PyResult<()> {
        let rule: mutualis::planning::Respread = core(rule.parse())?;
        self.write(py, |m| m.respread_ap(ap, year, amount.0, rule))
    }

    /// The AP with this code.
    fn ap(&self, py: Python<'_>, code: &str) -> PyResult<PyAp> {
        let m = self.state(py)?;
        let a = core(m.ap(code))?;
        Ok(PyAp::new(&m, a))
    }

    /// All APs, in vote order.
    fn aps(&self, py: Python<'_>) -> PyResult<Vec<PyAp>> {
        let m = self.state(py)?;
        Ok(m.aps().iter().map(|a| PyAp::new(&m, a)).collect())
    }

    /// The situation des AP/CP of a tenant for `year`, one row per AP.
    fn ap_situation(
        &self,
        py: Python<'_>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<Vec<PyApSituation>> {
        let rows = core(self.reader(&*self.locked(py)?)?.ap_situation(tenant, year))?;
        Ok(rows.iter().map(PyApSituation::from).collect())
    }

    /// `ap_situation` as columns.
    fn ap_situation_table<'py>(
        &self,
        py: Python<'py>,
        tenant: &str,
        #[pyo3(from_py_with = crate::args::year)] year: i32,
    ) -> PyResult<crate::table::PyTable> {
        let rows = core(self.reader(&*self.locked(py)?)?.ap_situation(tenant, year))?;
        planning::ap_situation_columns(&rows)
    }

    /// The PPI of a tenant by AP and year (sorted by AP then year).
    fn ppi_rows(&self, py: Python<'_>, tenant: &str) -> PyResult<Vec<PyPpiRow>> {
        let rows = core(self.reader(&*self.locked(py)?)?.ppi_rows(tenant))?;
        Ok(rows.iter().map(PyPpiRow::from).collect())
    }

    /// The PPI per building: `(asset, rows)` pairs, each AP's rows under the
    /// first asset of its operations, buildings by code, then (asset `None`)
    /// the APs whose operations name no asset.
    fn plan_by_building(
        &self,
        py: Python<'_>,
        tenant: &str,
    ) -> PyResult<Vec<(Option<String>, Vec<PyPpiRow>)>> {
        let plans = core(self.reader(&*self.locked(py)?)?.plan_by_building(tenant))?;
        Ok(plans
            .into_iter()
            .map(|p| (p.asset, p.rows.iter().map(PyPpiRow::from).collect()))
            .collect())
    }

    /// `ppi_rows` as columns (assets and work types joined by ", ").
    fn ppi_table<'py>(&self, py: Python<'py>, tenant: &str) -> PyResult<crate::table::PyTable> {
        let rows = core(self.reader(&*self.locked(py)?)?.ppi_rows(tenant))?;
        planning::ppi_columns(&rows)
    }

    /// Plan vs actual: the TTC cost lines of the operation's work orders per year.
    fn operation_actuals<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let map = core(self.state(py)?.operation_actuals(operation))?;
        planning::year_map(py, &map)
    }

    // --- CSV imports --------------------------------------------------------------

    /// Imports an asset register from CSV text (`,` or `;`); bad rows are
    /// reported with their line number. With `all_or_nothing`, one bad row
    /// imports nothing and raises `CsvRowsError`.
    #[pyo3(signature = (text, *, all_or_nothing=false))]
    fn import_assets_csv(
        &self,
        py: Python<'_>,
        text: &str,
        all_or_nothing: bool,
    ) -> PyResult<PyCsvReport> {
        let report = self.write(py, |m| {
            py.detach(|| m.import_assets_csv(text, all_or_nothing))
        })?;
        Ok(PyCsvReport::new(py, report))
    }

    /// Imports interventions (cost lines, creating unknown work orders when
    /// the row says how) from CSV text; as `import_assets_csv`.
    #[pyo3(signature = (text, *, all_or_nothing=false))]
    fn import_interventions_csv(
        &self,
        py: Python<'_>,
        text: &str,
        all_or_nothing: bool,
    ) -> PyResult<PyCsvReport> {
        let report = self.write(py, |m| {
            py.detach(|| m.import_interventions_csv(text, all_or_nothing))
        })?;
        Ok(PyCsvReport::new(py, report))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        if let Some(p) = &self.principal {
            return Ok(format!("Mutualis(principal='{p}')"));
        }
        let m = self.state(py)?;
        Ok(format!(
            "Mutualis(tenants={}, services={}, assets={})",
            m.tenants().len(),
            m.services().len(),
            m.assets().len()
        ))
    }
}

// ---------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------

#[pymodule]
fn _mutualis(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("FORMAT_NAME", mutualis::dataset::FORMAT_NAME)?;
    m.add("FORMAT_VERSION", mutualis::dataset::FORMAT_VERSION)?;
    // the rates in force today (open-ended in the dated table)
    let rates: Vec<Decimal> = VatRate::ALL
        .iter()
        .filter(|r| r.validity().1.is_none())
        .map(|r| r.percent())
        .collect();
    m.add("VAT_RATES", PyTuple::new(py, rates)?)?;
    let names = |all: Vec<&'static str>| PyTuple::new(py, all);
    m.add(
        "TENANT_KINDS",
        names(TenantKind::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "ASSET_KINDS",
        names(AssetKind::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "KEY_BASES",
        names(KeyBasis::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "USAGE_UNITS",
        names(UsageUnit::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "REQUEST_ORIGINS",
        names(RequestOrigin::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "REQUEST_STATUSES",
        names(RequestStatus::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "WORK_ORDER_STATUSES",
        names(WorkOrderStatus::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "COST_NATURES",
        names(CostNature::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "AGREEMENT_MODES",
        names(AgreementMode::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "CHARGE_BASES",
        names(ChargeBasis::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "OVERRUN_POLICIES",
        names(OverrunPolicy::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;
    m.add(
        "LEDGER_DIMENSIONS",
        names(Dimension::ALL.iter().map(|k| k.as_str()).collect())?,
    )?;

    for (cls, kind) in [
        (py.get_type::<MutualisError>(), "mutualis"),
        (py.get_type::<ValidationError>(), "validation"),
        (py.get_type::<NotFoundError>(), "not_found"),
        (py.get_type::<ConflictError>(), "conflict"),
        (py.get_type::<FormatError>(), "format"),
        (py.get_type::<InvalidAmountError>(), "invalid_amount"),
    ] {
        cls.setattr("kind", kind)?;
        m.add(cls.name()?, cls)?;
    }
    add_core_errors(m)?;
    m.add("ArgumentTypeError", argument_type_error_type(py)?)?;
    m.add("DatasetFileError", dataset_file_error_type(py)?)?;

    m.add_class::<PyMutualis>()?;
    m.add_class::<table::PyTable>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<ingest::PyIngestReport>()?;
    m.add_class::<ingest::PyRowError>()?;
    m.add_class::<PyTenant>()?;
    m.add_class::<PyService>()?;
    m.add_class::<PyAsset>()?;
    m.add_class::<PyCustody>()?;
    m.add_class::<PyTransfer>()?;
    m.add_class::<fleet::PyVehicle>()?;
    m.add_class::<fleet::PyInspection>()?;
    m.add_class::<fleet::PyMaintenancePlan>()?;
    m.add_class::<fleet::PyDueItem>()?;
    m.add_class::<fleet::PyVehicleUse>()?;
    m.add_class::<energy::PyMeter>()?;
    m.add_class::<energy::PyMeterYear>()?;
    m.add_class::<energy::PyInvoicePart>()?;
    m.add_class::<energy::PyEnergyShare>()?;
    m.add_class::<energy::PyTertiaryStatus>()?;
    m.add_class::<energy::PyEnergyAnomaly>()?;
    m.add_class::<energy::PyEnergyDashboardRow>()?;
    m.add_class::<energy::PyEnergyBreakdownRow>()?;
    m.add_class::<open311::PyRequestCatalogue>()?;
    m.add_class::<open311::PyRequestStats>()?;
    m.add_class::<open311::PyOverdue>()?;
    m.add_class::<leases::PyParty>()?;
    m.add_class::<leases::PyLease>()?;
    m.add_class::<leases::PyRentRevision>()?;
    m.add_class::<leases::PyRentCall>()?;
    m.add_class::<leases::PyChargeShare>()?;
    m.add_class::<leases::PyAidLine>()?;
    m.add_class::<leases::PyInKindAid>()?;
    m.add_class::<leases::PyRentRollRow>()?;
    m.add_class::<leases::PyRevenueLineStatus>()?;
    m.add_class::<leases::PyAidAnnex>()?;
    m.add_class::<leases::PyRollTotal>()?;
    m.add_class::<leases::PyOccupancy>()?;
    m.add_class::<leases::PyArrears>()?;
    m.add_class::<leases::PyDeadline>()?;
    m.add_class::<workwear::PyAgent>()?;
    m.add_class::<workwear::PyWorkwearItem>()?;
    m.add_class::<workwear::PyAllotment>()?;
    m.add_class::<workwear::PyWorkwearIssue>()?;
    m.add_class::<workwear::PyWorkwearReturn>()?;
    m.add_class::<workwear::PyWorkwearHolding>()?;
    m.add_class::<workwear::PyRenewalDue>()?;
    m.add_class::<workwear::PyAllotmentWarning>()?;
    m.add_class::<workwear::PyWorkwearSpending>()?;
    m.add_class::<workwear::PyRenewalForecast>()?;
    m.add_class::<fleet::PyFleetDashboard>()?;
    m.add_class::<access::PyPrincipal>()?;
    m.add_class::<access::PyRole>()?;
    m.add_class::<access::PyScope>()?;
    m.add_class::<access::PyGrant>()?;
    m.add_class::<PySharingKey>()?;
    m.add_class::<PyHolder>()?;
    m.add_class::<PyPayers>()?;
    m.add_class::<PyShare>()?;
    m.add_class::<PyAllocation>()?;
    m.add_class::<PyVatLine>()?;
    m.add_class::<PySupplier>()?;
    m.add_class::<PyTeam>()?;
    m.add_class::<PyLabourRate>()?;
    m.add_class::<PyVehicleRate>()?;
    m.add_class::<PyStore>()?;
    m.add_class::<PyItem>()?;
    m.add_class::<PyStockLevel>()?;
    m.add_class::<PyStockIssue>()?;
    m.add_class::<PyRequest>()?;
    m.add_class::<PyStatusChange>()?;
    m.add_class::<PyRequestDelays>()?;
    m.add_class::<PyWorkOrder>()?;
    m.add_class::<PyCostLine>()?;
    m.add_class::<PyAmounts>()?;
    m.add_class::<PyCostSummary>()?;
    m.add_class::<PyCharge>()?;
    m.add_class::<PySupplierActivity>()?;
    m.add_class::<PyJournalEntry>()?;
    m.add_class::<PyAgreement>()?;
    m.add_class::<PyPooledService>()?;
    m.add_class::<PyLoan>()?;
    m.add_class::<PyLoanUse>()?;
    m.add_class::<PyDebtLine>()?;
    m.add_class::<PyStatement>()?;
    m.add_class::<PyPooledShare>()?;
    m.add_class::<PyPooledStatement>()?;
    m.add_class::<PyLoanStatement>()?;
    m.add_class::<PyDebt>()?;
    m.add_class::<PySettlementItem>()?;
    m.add_class::<PyFctvaEstimate>()?;
    m.add_class::<PySettlementReport>()?;
    m.add_class::<PyBudget>()?;
    m.add_class::<PyBudgetLine>()?;
    m.add_class::<PyBudgetLineStatus>()?;
    m.add_class::<PyBudgetWarning>()?;
    m.add_class::<PyOperation>()?;
    m.add_class::<PyAp>()?;
    m.add_class::<PyApRevision>()?;
    m.add_class::<PyApSituation>()?;
    m.add_class::<PyPpiRow>()?;
    m.add_class::<PyCandidate>()?;
    m.add_class::<PyPlaced>()?;
    m.add_class::<PyPlan>()?;
    m.add_class::<PyStoreHandle>()?;
    m.add_class::<PyStoredEvent>()?;
    m.add_class::<PyImportReport>()?;
    m.add_class::<PyCsvReport>()?;
    m.add_class::<furniture::PyFurnitureItem>()?;
    m.add_class::<furniture::PyFurnitureMove>()?;
    m.add_class::<furniture::PyFurnitureLoan>()?;
    m.add_class::<furniture::PyCampaign>()?;
    m.add_class::<furniture::PyScan>()?;
    m.add_class::<furniture::PyCampaignLine>()?;
    m.add_class::<furniture::PyRoomCount>()?;
    m.add_class::<furniture::PyCampaignReport>()?;

    // records' pickling target: an attribute, kept out of `__all__`
    m.as_any()
        .setattr("_rebuild", wrap_pyfunction!(protocol::_rebuild, m)?)?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add_function(wrap_pyfunction!(round_cents, m)?)?;
    m.add_function(wrap_pyfunction!(vat_line, m)?)?;
    m.add_function(wrap_pyfunction!(vat_rates_on, m)?)?;
    m.add_function(wrap_pyfunction!(fctva_rate, m)?)?;
    m.add_function(wrap_pyfunction!(parse_siren, m)?)?;
    m.add_function(wrap_pyfunction!(parse_siret, m)?)?;
    m.add_function(wrap_pyfunction!(parse_insee, m)?)?;
    m.add_function(wrap_pyfunction!(planning::schedule, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CORE_ERROR_KINDS;

    // Pure-Rust checks only: they never touch the interpreter, so they also
    // run under plain `cargo test` (which does not link libpython).
    #[test]
    fn every_documented_kind_has_a_class() {
        // `mutualis::Error::kind()` has 129 kinds (29 of the registry, 19 of
        // the operations modules, 7 of agreements and budgets, 6 of
        // planning, 7 of the store and CSV imports, 6 of bulk ingestion, 5
        // of access rights, 4 of the fleet, 8 of the leases, 11 of the
        // furniture, 7 of the workwear, 8 of the energy, 4 of the request
        // portal, 1 of the reports); each is declared exactly once.
        let mut kinds = CORE_ERROR_KINDS.to_vec();
        assert_eq!(kinds.len(), 129);
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), 129);
    }
}
