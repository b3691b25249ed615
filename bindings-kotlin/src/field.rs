//! The field flow of the `Mutualis` façade: the registry setup an app needs
//! (suppliers, teams, rates, stores), requests, work orders and their cost
//! lines, costing queries, bulk recording and the journal.
//!
//! As in `registry.rs`, every rule is the core's; this file converts
//! arguments and results (dense ids → human codes) and maps errors.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::field_types::{
    stock_issue_rec, Charge, CostEntry, CostLine, CostSummary, JournalEntry, NewRequest,
    NewStockIssue, NewWorkOrder, ProgressListener, Request, RequestDelays, RequestStatus,
    StatusChange, StockIssue, StockLevel, SupplierActivity, UsageUnit, WorkOrder, WorkOrderStatus,
    WorkOrderStatusChange,
};
use crate::registry::Mutualis;
use crate::types::VatRate;
use crate::UtcDateTime;

#[uniffi::export]
impl Mutualis {
    // -- Journal identity ------------------------------------------------------

    /// Sets who records the next changes: the agent or device id written in
    /// every journal entry ("system" until set).
    pub fn set_actor(&self, actor: String) -> Result<(), MutualisError> {
        self.unbound("setActor")?.set_actor(&actor);
        Ok(())
    }

    /// The current actor ("system" by default).
    pub fn actor(&self) -> Result<String, MutualisError> {
        self.peek(|m| m.actor().to_owned())
    }

    /// Stamps the next journal entries with the fixed instant `at`, or with
    /// the system clock (UTC) when `at` is null (the default). Meant for
    /// tests and imports; field apps keep the system clock.
    #[uniffi::method(default(at = None))]
    pub fn set_clock(&self, at: Option<UtcDateTime>) -> Result<(), MutualisError> {
        self.unbound("setClock")?
            .set_clock(at.map_or(mx::Clock::System, mx::Clock::Fixed));
        Ok(())
    }

    // -- Registry setup: suppliers, teams, rates, stores ---------------------------

    /// Adds a supplier (prestataire) identified by its SIRET, with its
    /// purchase categories ("location", "pyrotechnie"…).
    ///
    /// Throws `InvalidCode`, `InvalidField`, `InvalidSiret`, `DuplicateSupplier`.
    #[uniffi::method(default(categories))]
    pub fn add_supplier(
        &self,
        code: String,
        name: String,
        siret: String,
        categories: Vec<String>,
    ) -> Result<(), MutualisError> {
        let spec = mx::NewSupplier {
            code,
            name,
            siret,
            categories,
        };
        self.write(|m| m.add_supplier(spec)).map(drop)
    }

    /// Adds a régie team of `tenant` (its agents, costed at the tenant's
    /// internal rates), optionally attached to one of its services.
    ///
    /// Throws `InvalidCode`, `InvalidField`, `UnknownTenant`, `UnknownService`, `DuplicateTeam`.
    #[uniffi::method(default(service = None))]
    pub fn add_team(
        &self,
        code: String,
        tenant: String,
        name: String,
        service: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_team(&code, &tenant, &name, service.as_deref()))
            .map(drop)
    }

    /// Sets the hourly labour rate of `tenant` for `year`, optionally for one
    /// of its teams and/or one grade. A labour line uses the most specific
    /// rate: (team, grade), (team), (grade), then the tenant's.
    ///
    /// Throws `UnknownTenant`, `UnknownTeam`, `InvalidQuantity` (rate ≤ 0),
    /// `InvalidField` (team of another tenant, blank grade), `RateAlreadySet`
    /// (rates are history: never overwritten).
    #[uniffi::method(default(team = None, grade = None))]
    pub fn set_labour_rate(
        &self,
        tenant: String,
        year: i32,
        rate: Decimal,
        team: Option<String>,
        grade: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_labour_rate(&tenant, year, team.as_deref(), grade.as_deref(), rate))
    }

    /// Sets the rate of one vehicle or equipment asset for `year` and `unit`.
    ///
    /// Throws `UnknownAsset`, `InvalidQuantity`, `RateAlreadySet`.
    pub fn set_vehicle_rate(
        &self,
        vehicle: String,
        year: i32,
        unit: UsageUnit,
        rate: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_vehicle_rate(&vehicle, year, unit.into(), rate))
    }

    /// Sets the rate of a vehicle category of `tenant` for `year` and `unit`:
    /// it applies to the tenant's vehicles whose `category` attribute is
    /// `category` and that have no rate of their own.
    ///
    /// Throws `UnknownTenant`, `InvalidField`, `InvalidQuantity`, `RateAlreadySet`.
    pub fn set_category_rate(
        &self,
        tenant: String,
        category: String,
        year: i32,
        unit: UsageUnit,
        rate: Decimal,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_category_rate(&tenant, &category, year, unit.into(), rate))
    }

    /// Adds a store (magasin) of `tenant`.
    ///
    /// Throws `InvalidCode`, `InvalidField`, `UnknownTenant`, `DuplicateStore`.
    pub fn add_store(
        &self,
        code: String,
        tenant: String,
        name: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_store(&code, &tenant, &name)).map(drop)
    }

    /// Adds an item to the stock catalogue shared by all stores, counted in
    /// `unit` ("pot", "kg", "m").
    ///
    /// Throws `InvalidCode`, `InvalidField`, `DuplicateItem`.
    pub fn add_item(&self, code: String, name: String, unit: String) -> Result<(), MutualisError> {
        let spec = mx::NewItem { code, name, unit };
        self.write(|m| m.add_item(spec)).map(drop)
    }

    /// Receives `quantity` of `item` into `store` on day `on` at `unitPrice`
    /// and returns the new level: CMUP = (q × CMUP + q_in × price) / (q + q_in),
    /// kept at 4 decimals (DOMAIN §5).
    ///
    /// Throws `UnknownStore`, `UnknownItem`, `InvalidQuantity` (quantity ≤ 0
    /// or price < 0), `AmountOutOfRange`.
    pub fn receive_stock(
        &self,
        store: String,
        item: String,
        on: NaiveDate,
        quantity: Decimal,
        unit_price: Decimal,
    ) -> Result<StockLevel, MutualisError> {
        self.write(|m| m.receive_stock(&store, &item, on, quantity, unit_price))
            .map(StockLevel::from)
    }

    /// Issues stock outside a work order (to an agent, to a service, a loss
    /// or an inventory adjustment), valued at the current CMUP; returns the
    /// issue. Throws `UnknownStore`, `UnknownItem`, `InvalidQuantity`,
    /// `InsufficientStock`, `InvalidField` (a missing or extra recipient, a
    /// date before the first receipt), `UnknownService`, `YearOutOfRange`.
    pub fn issue_stock(&self, issue: NewStockIssue) -> Result<StockIssue, MutualisError> {
        let spec = mx::NewStockIssue::try_from(issue)?;
        self.write(|m| {
            let issue = m.issue_stock(spec)?;
            Ok(stock_issue_rec(m, &issue))
        })?
    }

    /// The issues outside work orders, in the order they were recorded.
    pub fn stock_issues(&self) -> Result<Vec<StockIssue>, MutualisError> {
        self.view(|m, r| {
            r.stock_issues()
                .iter()
                .map(|i| stock_issue_rec(m, i))
                .collect()
        })
    }

    /// The stock of `item` in `store` (all zero if never received).
    ///
    /// Throws `UnknownStore`, `UnknownItem`.
    pub fn stock_level(&self, store: String, item: String) -> Result<StockLevel, MutualisError> {
        self.view(|_, r| Ok(r.stock_level(&store, &item)?.into()))
    }

    // -- Requests ----------------------------------------------------------------

    /// Records a request (demande d'intervention), status `OPEN`.
    ///
    /// Throws `InvalidCode`, `InvalidField` (blank category or description,
    /// coordinates out of range or only one of `lat`/`lon`), `UnknownTenant`,
    /// `UnknownService`, `UnknownAsset`, `DuplicateRequest`.
    pub fn receive_request(&self, request: NewRequest) -> Result<(), MutualisError> {
        let spec = mx::NewRequest::try_from(request)?;
        self.write(|m| m.receive_request(spec)).map(drop)
    }

    /// Changes the status of a request at `at`, with an optional comment.
    ///
    /// Throws `UnknownRequest`, `TimeOutOfOrder` (earlier than its previous
    /// change or its reception), `IllegalTransition` (same status, or a
    /// closed request moved to anything but `OPEN`).
    #[uniffi::method(default(note = None))]
    pub fn set_request_status(
        &self,
        code: String,
        status: RequestStatus,
        at: UtcDateTime,
        note: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_request_status(&code, status.into(), at, note.as_deref()))
    }

    /// Routes a request to another competent tenant (and service) at `at`:
    /// an internal referral, status `INTERNAL_REFERRAL`.
    ///
    /// Throws `UnknownRequest`, `UnknownTenant`, `UnknownService`,
    /// `TimeOutOfOrder`, `IllegalTransition` (closed request).
    pub fn route_request(
        &self,
        code: String,
        tenant: String,
        service: Option<String>,
        at: UtcDateTime,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.route_request(&code, &tenant, service.as_deref(), at))
    }

    /// The request with this code, with its status history. Throws `UnknownRequest`.
    pub fn request(&self, code: String) -> Result<Request, MutualisError> {
        self.view(|m, r| request_rec(m, r.request(&code)?))
    }

    /// All requests, in reception order.
    pub fn requests(&self) -> Result<Vec<Request>, MutualisError> {
        self.view(|m, r| {
            r.requests()
                .into_iter()
                .map(|q| request_rec(m, q))
                .collect()
        })
    }

    /// Delays of a request from reception to first response and to closure
    /// (DOMAIN §7). Throws `UnknownRequest`.
    pub fn request_delays(&self, code: String) -> Result<RequestDelays, MutualisError> {
        self.view(|_, r| r.request_delays(&code)?.try_into())
    }

    // -- Work orders -------------------------------------------------------------

    /// Creates a work order (status `PLANNED`).
    ///
    /// Throws `InvalidCode`, `InvalidField` (blank title, not exactly one of
    /// team and supplier, only one of serviceTenant and service), `UnknownAsset`,
    /// `UnknownTeam`, `UnknownSupplier`, `UnknownService`, `UnknownRequest`,
    /// `DuplicateWorkOrder`.
    pub fn create_work_order(&self, work_order: NewWorkOrder) -> Result<(), MutualisError> {
        let spec = mx::NewWorkOrder::try_from(work_order)?;
        self.write(|m| m.create_work_order(spec)).map(drop)
    }

    /// The work order with this code. Throws `UnknownWorkOrder`.
    pub fn work_order(&self, code: String) -> Result<WorkOrder, MutualisError> {
        self.view(|m, r| work_order_rec(m, &r.work_order(&code)?))
    }

    /// The work orders assigned to a régie team, in creation order: what a
    /// field agent's app lists. Throws `UnknownTeam`.
    pub fn work_orders_of_team(&self, team: String) -> Result<Vec<WorkOrder>, MutualisError> {
        self.view(|m, r| {
            r.work_orders_of_team(&team)?
                .into_iter()
                .map(|w| work_order_rec(m, &w))
                .collect()
        })
    }

    /// Moves a work order to `status` at `at`. The lifecycle is `PLANNED →
    /// SCHEDULED → IN_PROGRESS → DONE → CLOSED`, `CANCELLED` before `DONE`,
    /// `DONE` back to `IN_PROGRESS` (see `WorkOrderStatus.next()`).
    ///
    /// Throws `UnknownWorkOrder`, `IllegalTransition`, `TimeOutOfOrder`.
    pub fn set_work_order_status(
        &self,
        code: String,
        status: WorkOrderStatus,
        at: UtcDateTime,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_work_order_status(&code, status.into(), at))
    }

    /// Starts a work order at `at` (status `IN_PROGRESS`, from `PLANNED` or
    /// `SCHEDULED`): cost lines can then be recorded.
    ///
    /// Throws `UnknownWorkOrder`, `IllegalTransition`, `TimeOutOfOrder`.
    pub fn start_work_order(&self, code: String, at: UtcDateTime) -> Result<(), MutualisError> {
        self.set_work_order_status(code, WorkOrderStatus::InProgress, at)
    }

    /// Closes a work order at `at`: `IN_PROGRESS → DONE → CLOSED` (two
    /// journal entries), or `DONE → CLOSED`. No cost line can be recorded
    /// afterwards. All or nothing.
    ///
    /// Throws `UnknownWorkOrder`, `IllegalTransition` (not in progress or
    /// done), `TimeOutOfOrder`.
    pub fn close_work_order(&self, code: String, at: UtcDateTime) -> Result<(), MutualisError> {
        self.write(|m| {
            if m.work_order(&code)?.status == mx::WorkOrderStatus::InProgress {
                // A refused DONE changes nothing; once DONE is recorded at
                // `at`, DONE → CLOSED at the same `at` is always allowed.
                m.set_work_order_status(&code, mx::WorkOrderStatus::Done, at)?;
            }
            m.set_work_order_status(&code, mx::WorkOrderStatus::Closed, at)
        })
    }

    // -- Cost lines ---------------------------------------------------------------

    /// Records régie labour on day `on`: `hours` per agent × `agents`, at the
    /// hourly rate of the team's tenant for that year (the work order's team
    /// unless `team` is given; `grade` picks a grade-specific rate).
    ///
    /// Throws `UnknownWorkOrder`, `WorkOrderNotOpen`, `OutsideAssetLife`,
    /// `InvalidQuantity` (hours ≤ 0, no agent), `UnknownTeam`, `NoRate`,
    /// `InvalidField` (no team on a supplier's work order).
    #[uniffi::method(default(agents = 1, team = None, grade = None))]
    pub fn record_labour(
        &self,
        work_order: String,
        on: NaiveDate,
        hours: Decimal,
        agents: u32,
        team: Option<String>,
        grade: Option<String>,
    ) -> Result<CostLine, MutualisError> {
        self.record(
            work_order,
            mx::CostInput::Labour {
                date: on,
                hours,
                agents,
                team,
                grade,
            },
        )
    }

    /// Records `quantity` of `item` issued from `store` on day `on`, valued at
    /// the current CMUP, the line rounded to the cent; the stock goes down.
    ///
    /// Throws `UnknownWorkOrder`, `WorkOrderNotOpen`, `OutsideAssetLife`,
    /// `UnknownStore`, `UnknownItem`, `InvalidQuantity`, `InsufficientStock`
    /// (more than on hand: nothing is issued).
    pub fn record_material(
        &self,
        work_order: String,
        on: NaiveDate,
        store: String,
        item: String,
        quantity: Decimal,
    ) -> Result<CostLine, MutualisError> {
        self.record(
            work_order,
            mx::CostInput::material(on, &store, &item, quantity),
        )
    }

    /// Records the use of a vehicle or equipment on day `on`: `quantity`
    /// hours, days or km × its rate (its own, else its category's).
    ///
    /// Throws `UnknownWorkOrder`, `WorkOrderNotOpen`, `OutsideAssetLife`,
    /// `UnknownAsset`, `InvalidQuantity`, `NoRate`.
    pub fn record_vehicle(
        &self,
        work_order: String,
        on: NaiveDate,
        vehicle: String,
        unit: UsageUnit,
        quantity: Decimal,
    ) -> Result<CostLine, MutualisError> {
        self.record(
            work_order,
            mx::CostInput::vehicle(on, &vehicle, unit.into(), quantity),
        )
    }

    /// Records a supplier invoice line: `ht` in whole cents (negative for a
    /// credit note, never zero) at `vatRate`; VAT = round(HT × rate). The
    /// supplier is the work order's unless `supplier` is given.
    ///
    /// Throws `UnknownWorkOrder`, `WorkOrderNotOpen`, `OutsideAssetLife`,
    /// `UnknownSupplier`, `InvalidField` (blank description, no supplier on a
    /// régie work order), `SubCentAmount`, `InvalidQuantity` (zero), `AmountOutOfRange`.
    #[uniffi::method(default(supplier = None))]
    pub fn record_external(
        &self,
        work_order: String,
        on: NaiveDate,
        description: String,
        ht: Decimal,
        vat_rate: VatRate,
        supplier: Option<String>,
    ) -> Result<CostLine, MutualisError> {
        self.record(
            work_order,
            mx::CostInput::External {
                date: on,
                supplier,
                description,
                ht,
                vat_rate: vat_rate.into(),
            },
        )
    }

    /// Records many cost lines, all or nothing (e.g. a day of offline
    /// interventions synced at once). On the first refused line the registry
    /// and its journal are left exactly as before and the exception — the
    /// subclass of that line's error — has a message starting with
    /// `"row N: "`, N its 0-based index in `lines`. `progress`, if given, is
    /// called every 1 024 lines and at the end; an exception it throws is
    /// contained (it is not called again and the batch goes on).
    ///
    /// Returns the recorded lines, in order.
    #[uniffi::method(default(progress = None))]
    pub fn record_costs(
        &self,
        lines: Vec<CostEntry>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<Vec<CostLine>, MutualisError> {
        let batch: Vec<(String, mx::CostInput)> = lines.into_iter().map(Into::into).collect();
        let mut listener = progress;
        let mut notify = |done: usize, total: usize| {
            let Some(l) = &listener else {
                return std::ops::ControlFlow::Continue(());
            };
            // A Kotlin exception in a callback becomes a Rust panic in
            // UniFFI's glue: contain it here, where the core's state is
            // consistent, rather than unwinding through it (the listener is
            // dropped and the batch goes on).
            match catch_unwind(AssertUnwindSafe(|| {
                l.on_progress(done as u64, total as u64)
            })) {
                Ok(false) => std::ops::ControlFlow::Break(()),
                Ok(true) => std::ops::ControlFlow::Continue(()),
                Err(_) => {
                    listener = None;
                    std::ops::ControlFlow::Continue(())
                }
            }
        };
        // the row of a refused line, kept aside: the session speaks `Error`
        let mut bad_row: Option<usize> = None;
        let result = self.write(|m| {
            let ids = m
                .record_costs(batch, Some(&mut notify))
                .map_err(|(row, e)| {
                    bad_row = Some(row);
                    e
                })?;
            Ok(ids
                .into_iter()
                .map(|id| line_by_id(m, id))
                .collect::<Vec<_>>())
        });
        match (result, bad_row) {
            (Err(e), Some(row)) => Err(e.map_message(|msg| format!("row {row}: {msg}"))),
            (Err(e), None) => Err(e),
            (Ok(lines), _) => lines.into_iter().collect(),
        }
    }

    /// The cost lines of a work order, in recording order. Throws `UnknownWorkOrder`.
    pub fn work_order_lines(&self, code: String) -> Result<Vec<CostLine>, MutualisError> {
        self.view(|m, r| {
            r.work_order_lines(&code)?
                .into_iter()
                .map(|l| cost_line_rec(m, &l))
                .collect()
        })
    }

    // -- Costing -------------------------------------------------------------------

    /// Totals of a work order by nature (sums of lines rounded to the cent).
    /// Throws `UnknownWorkOrder`.
    pub fn work_order_cost(&self, code: String) -> Result<CostSummary, MutualisError> {
        self.view(|_, r| Ok(r.work_order_cost(&code)?.into()))
    }

    /// What each tenant is charged for a work order, sorted by tenant code:
    /// each line goes to its payers on its date (sharing key, else the holder
    /// — the custody beneficiary — else the owner; DOMAIN §4), HT and TTC each
    /// split to the cent. Throws `UnknownWorkOrder`.
    pub fn work_order_charges(&self, code: String) -> Result<Vec<Charge>, MutualisError> {
        self.view(|m, r| {
            Ok(r.work_order_charges(&code)?
                .into_iter()
                .map(|c| Charge {
                    tenant: m.tenant_code(c.tenant).to_owned(),
                    amounts: c.amounts.into(),
                })
                .collect())
        })
    }

    /// Costs of all work orders on an asset and its descendants, for lines
    /// dated from `from` to `to` inclusive (either bound may be null: open).
    /// Throws `UnknownAsset`, `DatesOutOfOrder`.
    #[uniffi::method(default(from = None, to = None))]
    pub fn rollup(
        &self,
        asset: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<CostSummary, MutualisError> {
        let period = period(from, to)?;
        self.view(|_, r| Ok(r.rollup(&asset, period)?.into()))
    }

    /// Costs of the work orders tagged with an event tag ("14-juillet-2026");
    /// all zero when no work order has it.
    pub fn cost_by_tag(&self, tag: String) -> Result<CostSummary, MutualisError> {
        self.view(|_, r| Ok(r.cost_by_tag(&tag)?.into()))
    }

    /// Costs of the work orders done for an association (aide en nature, loi
    /// 2000-321); all zero when none.
    pub fn cost_by_association(&self, association: String) -> Result<CostSummary, MutualisError> {
        self.view(|_, r| Ok(r.cost_by_association(&association)?.into()))
    }

    /// Interventions and external spending of a supplier, for lines dated
    /// from `from` to `to` inclusive (either bound may be null: open).
    /// Throws `UnknownSupplier`, `DatesOutOfOrder`.
    #[uniffi::method(default(from = None, to = None))]
    pub fn supplier_activity(
        &self,
        supplier: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<SupplierActivity, MutualisError> {
        let period = period(from, to)?;
        self.view(|_, r| {
            let a = r.supplier_activity(&supplier, period)?;
            Ok(SupplierActivity {
                interventions: a.interventions as u64,
                cost: a.cost.into(),
            })
        })
    }

    // -- Journal ---------------------------------------------------------------------

    /// The journal, oldest first: every change with who, when, for which
    /// tenant and what (DOMAIN §8).
    pub fn journal(&self) -> Result<Vec<JournalEntry>, MutualisError> {
        self.read(|m| m.journal().iter().map(journal_entry_rec).collect())
    }

    /// The journal entries about a request, its work orders and their cost
    /// lines, in order: the request → work order → cost history.
    /// Throws `UnknownRequest`.
    pub fn request_history(&self, code: String) -> Result<Vec<JournalEntry>, MutualisError> {
        self.read(|m| {
            m.request_history(&code)?
                .into_iter()
                .map(journal_entry_rec)
                .collect()
        })
    }

    /// The journal entries that refer to `code` of a `kind` ("agreement",
    /// "ap", "asset", "budget", "item", "operation", "principal", "request", "role", "store",
    /// "supplier", "team", "tenant", "work_order"), oldest first.
    /// Throws `UnknownKind` for any other kind.
    pub fn history(&self, kind: String, code: String) -> Result<Vec<JournalEntry>, MutualisError> {
        self.read(|m| {
            m.history(&kind, &code)?
                .into_iter()
                .map(journal_entry_rec)
                .collect()
        })
    }

    /// The whole journal as JSON text (an array of entries `{seq, at, actor,
    /// tenant?, event: {type, …}}`, times in RFC 3339 UTC), produced by the
    /// core, so the same bytes as from Python or Rust: what an offline device
    /// sends to the central copy, which rebuilds the registry with
    /// `Mutualis.replay(json)`.
    pub fn journal_json(&self) -> Result<String, MutualisError> {
        self.read(|m| Ok(m.journal_json()))
    }

    /// Rebuilds a registry from a journal exported by `journalJson()` (here
    /// or in another language), re-running each entry's validated command
    /// with the entry's own actor and time, so the copy equals the original
    /// (same `toJson()`, same journal).
    ///
    /// Throws `InvalidJson` (not a journal; line and column in the message),
    /// or the error of the first entry that does not apply, its message
    /// starting with `"journal entry N: "` (N its `seq`).
    #[uniffi::constructor]
    pub fn replay(journal_json: String) -> Result<Arc<Self>, MutualisError> {
        match mx::Mutualis::from_journal_json(&journal_json) {
            Ok(m) => Ok(Self::wrap(m)),
            Err(e) => {
                // The core does not say which entry failed: find it (only
                // on this error path) by applying the entries again. A text
                // that is not a journal at all gets no prefix.
                let seq = serde_json::from_str::<Vec<mx::JournalEntry>>(&journal_json)
                    .ok()
                    .and_then(|entries| failing_seq(&entries));
                Err(MutualisError::from(e).map_message(|msg| match seq {
                    Some(seq) => format!("journal entry {seq}: {msg}"),
                    None => msg,
                }))
            }
        }
    }
}

impl Mutualis {
    /// Records one cost line and returns it.
    fn record(&self, work_order: String, cost: mx::CostInput) -> Result<CostLine, MutualisError> {
        self.write(|m| {
            let id = m.record_cost(&work_order, cost)?;
            Ok(line_by_id(m, id))
        })?
    }
}

/// The seq of the first journal entry that does not apply (replaying them in order).
fn failing_seq(entries: &[mx::JournalEntry]) -> Option<u64> {
    let mut m = mx::Mutualis::new();
    for e in entries {
        if m.apply(e.event.clone()).is_err() {
            return Some(e.seq);
        }
    }
    None
}

fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Option<mx::Period>, MutualisError> {
    Ok(match (from, to) {
        (None, None) => None,
        (from, to) => Some(mx::Period::new(from.unwrap_or(NaiveDate::MIN), to)?),
    })
}

fn missing(what: &str) -> MutualisError {
    MutualisError::internal(format!("the registry refers to a missing {what}"))
}

fn line_by_id(m: &mx::Mutualis, id: mx::CostLineId) -> Result<CostLine, MutualisError> {
    let line = m.cost_lines().get(id).ok_or_else(|| missing("cost line"))?;
    cost_line_rec(m, &line)
}

fn service_codes(
    m: &mx::Mutualis,
    id: Option<mx::ServiceId>,
) -> Result<(Option<String>, Option<String>), MutualisError> {
    Ok(match id {
        Some(id) => {
            let s = m.service_by_id(id)?;
            (
                Some(m.tenant_code(s.tenant).to_owned()),
                Some(s.code.clone()),
            )
        }
        None => (None, None),
    })
}

fn request_rec(m: &mx::Mutualis, r: &mx::Request) -> Result<Request, MutualisError> {
    let (_, service) = service_codes(m, r.service)?;
    Ok(Request {
        code: r.code.clone(),
        origin: r.origin.try_into()?,
        category: r.category.clone(),
        description: r.description.clone(),
        tenant: m.tenant_code(r.tenant).to_owned(),
        service,
        asset: r.asset.map(|a| m.asset_code(a).to_owned()),
        address: r.address.clone(),
        lat: r.location.map(|p| p.lat),
        lon: r.location.map(|p| p.lon),
        received: r.received,
        status: r.status.try_into()?,
        history: r
            .history
            .iter()
            .map(|c| {
                Ok(StatusChange {
                    at: c.at,
                    status: c.status.try_into()?,
                    note: c.note.clone(),
                })
            })
            .collect::<Result<_, MutualisError>>()?,
    })
}

fn work_order_rec(m: &mx::Mutualis, w: &mx::WorkOrder) -> Result<WorkOrder, MutualisError> {
    let (team, supplier) = match w.performer {
        mx::PerformerId::Team(t) => (
            Some(
                m.teams()
                    .get(t.index())
                    .ok_or_else(|| missing("team"))?
                    .code
                    .clone(),
            ),
            None,
        ),
        mx::PerformerId::Supplier(s) => (
            None,
            Some(
                m.suppliers()
                    .get(s.index())
                    .ok_or_else(|| missing("supplier"))?
                    .code
                    .clone(),
            ),
        ),
    };
    let (service_tenant, service) = service_codes(m, w.service)?;
    let requests = w
        .requests
        .iter()
        .map(|r| {
            m.requests()
                .get(r.index())
                .map(|r| r.code.clone())
                .ok_or_else(|| missing("request"))
        })
        .collect::<Result<_, _>>()?;
    Ok(WorkOrder {
        code: w.code.clone(),
        title: w.title.clone(),
        asset: m.asset_code(w.asset).to_owned(),
        team,
        supplier,
        service_tenant,
        service,
        requests,
        tags: w.tags.clone(),
        association: w.association.clone(),
        planned_on: w.planned_on,
        status: w.status.try_into()?,
        history: w
            .history
            .iter()
            .map(|c| {
                Ok(WorkOrderStatusChange {
                    at: c.at,
                    status: c.status.try_into()?,
                })
            })
            .collect::<Result<_, MutualisError>>()?,
        line_count: w.lines.len() as u64,
    })
}

fn cost_line_rec(m: &mx::Mutualis, l: &mx::CostLine) -> Result<CostLine, MutualisError> {
    let codes = m.provider_codes(&l.provider);
    let owned = |c: Option<&str>| c.map(str::to_owned);
    Ok(CostLine {
        work_order: m
            .work_order_code(l.work_order)
            .unwrap_or(mx::UNKNOWN_CODE)
            .to_owned(),
        date: l.date,
        nature: l.nature.try_into()?,
        provider_tenant: owned(codes.tenant),
        team: owned(codes.team),
        store: owned(codes.store),
        item: owned(codes.item),
        vehicle: owned(codes.vehicle),
        unit: codes.unit.map(UsageUnit::try_from).transpose()?,
        supplier: owned(codes.supplier),
        description: l.description.clone(),
        quantity: l.quantity,
        unit_cost: l.unit_cost,
        ht: l.ht,
        vat_rate: l.vat_rate.map(VatRate::try_from).transpose()?,
        vat: l.vat,
        ttc: l.ttc,
    })
}

pub(crate) fn journal_entry_rec(e: &mx::JournalEntry) -> Result<JournalEntry, MutualisError> {
    let value = serde_json::to_value(&e.event)
        .map_err(|err| MutualisError::internal(format!("cannot serialise journal entry: {err}")))?;
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_owned();
    Ok(JournalEntry {
        seq: e.seq,
        at: e.at,
        actor: e.actor.clone(),
        tenant: e.tenant.clone(),
        r#type: kind,
        json: value.to_string(),
    })
}
