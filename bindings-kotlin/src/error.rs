//! The one exception hierarchy seen from Kotlin.

use mutualis as mx;

/// Declares [`MutualisError`] from two lists of variants: those mirrored
/// one-to-one from `mutualis::Error` (same name, the core's `Display` as
/// message) and those the binding adds. Generates the enum, the mapping from
/// the core, and [`MutualisError::map_message`].
macro_rules! mutualis_error {
    (
        core { $( $(#[$cmeta:meta])* $core:ident, )+ }
        binding { $( $(#[$bmeta:meta])* $own:ident, )+ }
    ) => {
        /// Everything that can go wrong in Mutualis, seen from Kotlin as
        /// `sealed class MutualisException : kotlin.Exception` with one subclass per
        /// variant (`MutualisException.UnknownTenant`, …).
        ///
        /// There is one variant per variant of the core's `mutualis::Error`, plus
        /// [`MutualisError::Io`] (file access) and [`MutualisError::Internal`] (a bug
        /// or a core error this binding does not know yet). Each carries the core's
        /// message, which is the exception's `message`: it names the offending
        /// values and can be shown to a user as is.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum MutualisError {
            $( $(#[$cmeta])* #[error("{0}")] $core(String), )+
            $( $(#[$bmeta])* #[error("{0}")] $own(String), )+
        }

        impl From<mx::Error> for MutualisError {
            fn from(e: mx::Error) -> Self {
                let msg = e.to_string();
                match e {
                    $( mx::Error::$core { .. } => Self::$core(msg), )+
                    // `mutualis::Error` is #[non_exhaustive]: a variant added to the
                    // core later still reaches Kotlin, with its kind and message.
                    other => Self::Internal(format!("{} ({})", msg, other.kind())),
                }
            }
        }

        impl MutualisError {
            /// The same error (same Kotlin subclass) with its message rewritten.
            pub(crate) fn map_message(self, f: impl FnOnce(String) -> String) -> Self {
                match self {
                    $( Self::$core(m) => Self::$core(f(m)), )+
                    $( Self::$own(m) => Self::$own(f(m)), )+
                }
            }
        }
    };
}

mutualis_error! {
    core {
        /// A SIREN is not 9 digits with a valid Luhn key.
        InvalidSiren,
        /// A SIRET is not 14 digits with a valid key (La Poste: digit sum divisible by 5).
        InvalidSiret,
        /// An INSEE commune code is malformed, missing for a commune, or given for a non-commune.
        InvalidInsee,
        /// A human code (tenant, service, asset…) is empty, too long or has forbidden characters.
        InvalidCode,
        /// A name or field is unusable (blank name, negative area, date out of range…).
        InvalidField,
        /// An unknown kind name (tenant kind, asset kind, key basis).
        UnknownKind,
        /// No tenant has this code.
        UnknownTenant,
        /// The tenant has no service with this code.
        UnknownService,
        /// No asset has this code.
        UnknownAsset,
        /// A tenant with this code already exists.
        DuplicateTenant,
        /// Another tenant already has this SIREN.
        DuplicateSiren,
        /// The tenant already has a service with this code.
        DuplicateService,
        /// An asset with this code already exists.
        DuplicateAsset,
        /// A membership is not allowed (commune in a commune, second EPCI à fiscalité propre…).
        InvalidMembership,
        /// Moving an asset under itself or one of its descendants.
        AssetCycle,
        /// A period ends before it starts (first and last days inclusive).
        DatesOutOfOrder,
        /// A date before the asset's commissioning or after its decommissioning.
        OutsideAssetLife,
        /// A custody period (mise à disposition) overlaps an existing one.
        CustodyOverlap,
        /// Custody requested to the asset's own owner (CGCT L1321-1 does not provide for it).
        CustodyToOwner,
        /// A transfer of ownership to the owner of the day, or not dated after the asset's last transfer.
        TransferRefused,
        /// A registration number is neither SIV (`AB-123-CD`, no I, O, U) nor FNI (`123 ABC 45`).
        InvalidRegistration,
        /// A VIN is not 17 letters and digits without I, O, Q.
        InvalidVin,
        /// The asset is not in the fleet register (or cannot be), or no maintenance plan has this code.
        NotInFleet,
        /// A meter reading lower than (or dated before) the last one: record a meter replacement first.
        MeterRegression,
        /// An association's RNA number is not `W` followed by 9 digits.
        InvalidRna,
        /// No party (lessee or lessor facing a collectivité) has this code.
        UnknownParty,
        /// A party with this code already exists.
        DuplicateParty,
        /// No lease or occupation agreement has this code.
        UnknownLease,
        /// A lease with this code already exists.
        DuplicateLease,
        /// No energy meter has this code.
        UnknownMeter,
        /// An energy meter with this code already exists.
        DuplicateMeter,
        /// A PDL/PRM not 14 digits, or a PCE neither 14 digits nor GI + 6 digits.
        InvalidDeliveryPoint,
        /// An index reading below the index the meter counts from: record a replacement.
        IndexBelowLast,
        /// A quantity not in the meter's unit (or a sub-meter of another energy or unit).
        UnitMismatch,
        /// A negative consumption or index.
        NegativeConsumption,
        /// A décret tertiaire reference year before 2010.
        ReferenceYearTooEarly,
        /// No degree days for a station in a year, or no reference.
        MissingDju,
        /// An exclusive contract would overlap another contract of the same side on the asset.
        LeaseOverlap,
        /// An index series has no value for a quarter a revision needs.
        MissingIndexValue,
        /// A rent, provision, deposit, rental value, charges or receipt is negative.
        NegativeAmount,
        /// The asset is not in the furniture register (or cannot be: not of kind furniture, already registered).
        NotFurniture,
        /// No furniture item has this inventory number.
        UnknownInventoryNumber,
        /// An item of the group already has this inventory number.
        DuplicateInventoryNumber,
        /// Furniture moved, registered or scanned in an asset that is not a room, floor, building or site.
        NotALocation,
        /// A plain move to another collectivité's premises (choose a transfer or a loan), or the reverse.
        CrossTenantMove,
        /// The furniture item was reformed.
        ItemReformed,
        /// A reform dated before the item's purchase.
        ReformBeforePurchase,
        /// No inventory campaign has this code.
        UnknownCampaign,
        /// An inventory campaign with this code already exists.
        DuplicateCampaign,
        /// A scan or a closing in a closed campaign.
        CampaignClosed,
        /// A scan outside the campaign's building or site.
        OutsideCampaign,
        /// Two sharing keys of one asset overlap.
        KeyOverlap,
        /// No open-ended custody or sharing key to close.
        NothingToEnd,
        /// Split weights are empty or all zero.
        WeightsSumToZero,
        /// The same tenant twice in one sharing key.
        DuplicateKeyTenant,
        /// An amount has a fraction of a cent where whole cents are required.
        SubCentAmount,
        /// An amount too large (or too precise) to be handled exactly.
        AmountOutOfRange,
        /// A VAT rate not in force in France (20, 10, 5.5, 2.1 %).
        UnknownVatRate,
        /// A quantity, rate, number of agents or amount is zero or negative where it must be positive.
        InvalidQuantity,
        /// No supplier has this code.
        UnknownSupplier,
        /// A supplier with this code already exists.
        DuplicateSupplier,
        /// No régie team has this code.
        UnknownTeam,
        /// A régie team with this code already exists.
        DuplicateTeam,
        /// No store has this code.
        UnknownStore,
        /// A store with this code already exists.
        DuplicateStore,
        /// No catalogue item has this code.
        UnknownItem,
        /// A catalogue item with this code already exists.
        DuplicateItem,
        /// No request has this code.
        UnknownRequest,
        /// A request with this code already exists.
        DuplicateRequest,
        /// No request category has this code (the Open311 service_code).
        UnknownServiceCode,
        /// The request waits for manual routing: it has a token, not yet an id.
        AwaitingRouting,
        /// No request, routed or waiting for manual routing, has this token.
        UnknownToken,
        /// A request needs a location: lat and long, address_string or address_id.
        MissingLocation,
        /// No work order has this code.
        UnknownWorkOrder,
        /// A work order with this code already exists.
        DuplicateWorkOrder,
        /// A rate is already recorded for this key (rates are history, never overwritten).
        RateAlreadySet,
        /// No labour or vehicle rate applies to a cost line (tenant, year, unit…).
        NoRate,
        /// An issue asks for more than the store holds (DOMAIN §5); the stock is unchanged.
        InsufficientStock,
        /// No agent of this tenant has this matricule (workwear).
        UnknownAgent,
        /// An agent with this matricule already exists in the tenant.
        DuplicateAgent,
        /// No item of the workwear catalogue has this code.
        UnknownWorkwearItem,
        /// A workwear catalogue item with this code already exists.
        DuplicateWorkwearItem,
        /// The size is not one the workwear item offers (or none was given for an item with sizes).
        SizeNotOffered,
        /// An issue beyond the agent's allotment for its period, under the tenant's policy refuse.
        AllotmentExceeded,
        /// The agent is not assigned on the issue's date.
        AgentNotAssigned,
        /// A status change the lifecycle does not allow (request or work order).
        IllegalTransition,
        /// A timestamped change is earlier than the previous change of the same request or work order.
        TimeOutOfOrder,
        /// Cost lines are recorded only on a work order in progress or done.
        WorkOrderNotOpen,
        /// No agreement, pooled service or vehicle loan has this code.
        UnknownAgreement,
        /// An agreement, pooled service or vehicle loan with this code already exists.
        DuplicateAgreement,
        /// Two agreements of the same tenants would cover the same work on the same
        /// days (or two pooled services of one provider share a service and days).
        AgreementOverlap,
        /// No budget (or budget line) of this tenant for this year.
        UnknownBudget,
        /// The budget (or budget line) already exists.
        DuplicateBudget,
        /// A cost would take a budget line below zero and the budget refuses
        /// overruns; nothing is recorded.
        BudgetExceeded,
        /// A budget line used for what its direction or collectivité does not
        /// allow: a revenue line for a work order, an expense line for a
        /// contract's rent, a line of another collectivité than the contract's,
        /// a lessee's contract, a commitment on a revenue line.
        BudgetLineMismatch,
        /// A dataset or journal is not valid JSON or does not follow its format (line and column in the message).
        InvalidJson,
        /// A dataset of another format or of a newer version.
        UnsupportedFormat,
        /// No investment operation or AP has this code.
        UnknownOperation,
        /// An operation or AP with this code already exists.
        DuplicateOperation,
        /// A CP schedule does not fit its AP (sum, a year twice or before the
        /// vote, a payment beyond a year's CP, a lapsed AP).
        CpMismatch,
        /// A payment or change on a closed year; years close in order.
        YearClosed,
        /// A revision would set the AP below what was already paid.
        RevisionBelowPaid,
        /// Operations depend on each other in a cycle.
        CyclicDependency,
        /// The store file could not be opened, read or written (I/O, locking).
        Storage,
        /// The file is not a Mutualis store, or it is damaged; it was not modified.
        CorruptStore,
        /// The store was written by a newer version of the library; it was not modified.
        SchemaTooNew,
        /// Another handle committed since this one last read the store:
        /// refresh, check out again and retry.
        StaleState,
        /// A registry handed to `commit` (or used) is not a view of the
        /// store's current state (another store's, one whose changes were
        /// rolled back, or a registry of its own given to a store that is not
        /// empty): check out again and redo.
        StaleCopy,
        /// The store's registry holds changes not yet committed: commit or
        /// roll back first.
        UncommittedChanges,
        /// A CSV import found bad rows; nothing was imported.
        CsvRows,
        /// Bulk ingestion was given a table name that is not in the schema.
        UnknownTable,
        /// An ingested table lacks a required column.
        MissingColumn,
        /// An ingested column has an Arrow type its kind does not accept.
        ColumnType,
        /// A money, quantity or rate column is floating point: amounts must be exact.
        FloatColumn,
        /// An all-or-nothing ingestion stopped at a bad row (table, row, column and
        /// reason in the message); nothing was ingested.
        IngestRow,
        /// The tables could not be read (folder, Parquet or CSV).
        IngestRead,
        /// A year (or a date's year) is outside 1900..=2200.
        YearOutOfRange,
        /// An integer argument is outside the range its parameter accepts.
        ArgumentOutOfRange,
        /// Another supplier already has this SIRET.
        DuplicateSiret,
        /// Years close in order: the year asked is not the next one to close.
        YearNotNext,
        /// A VAT rate was not in force on the line's date.
        VatRateNotInForce,
        /// A stored event fails the hash chain: the file was altered after it was written.
        TamperedJournal,
        /// A progress listener stopped the batch (`onProgress` returned false); nothing was recorded.
        Cancelled,
        /// No principal (agent, elected official, contractor, citizen, administrator) has this code.
        UnknownPrincipal,
        /// A principal with this code already exists.
        DuplicatePrincipal,
        /// No role has this code.
        UnknownRole,
        /// A role with this code already exists.
        DuplicateRole,
        /// The principal's grants do not permit this action on this target; nothing
        /// changed. The message names the principal, the permission and command, and
        /// the target (`"veille.dupont" may not work:write (cost_recorded) on work order BT-18`).
        Forbidden,
    }
    binding {
        /// A file could not be read or written (`load`, `save`).
        Io,
        /// A bug, or an error of a newer core that this binding does not map yet.
        /// Never expected: report it.
        Internal,
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
        let name = debug.split('(').next().unwrap_or_default();
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
            mx::Error::UnknownServiceCode(s()),
            mx::Error::AwaitingRouting(s()),
            mx::Error::UnknownToken(s()),
            mx::Error::MissingLocation(s()),
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
        assert_eq!(all.len(), 128);
        for e in all {
            let core_kind = e.kind();
            let core_msg = e.to_string();
            let ours = MutualisError::from(e);
            assert_eq!(kind(&ours), core_kind);
            assert_eq!(ours.to_string(), core_msg);
        }
    }

    #[test]
    fn map_message_keeps_the_variant() {
        let e = MutualisError::from(mx::Error::UnknownStore("X".into()));
        let e = e.map_message(|m| format!("row 3: {m}"));
        assert_eq!(
            e,
            MutualisError::UnknownStore("row 3: unknown store \"X\"".into())
        );
    }
}
