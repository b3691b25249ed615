//! Requests (demandes d'intervention) from a citizen portal, a neighbourhood
//! council, an agent or an elected official, routed to the competent tenant
//! and service, with statuses compatible with Open311 GeoReport v2.
//!
//! Open311 has two statuses, `open` and `closed`; its common extensions give
//! the detail this module tracks ([`RequestStatus`]). Every change is
//! timestamped (never earlier than the previous one), so delays to first
//! response and to closure can be computed. A closed request can only be
//! reopened (back to `open`).
//!
//! ```
//! use mutualis::{Mutualis, NewRequest, NewTenant, RequestOrigin, RequestStatus};
//! use chrono::{TimeZone, Utc};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127")).unwrap();
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! m.receive_request(NewRequest::new("DI-1", RequestOrigin::CitizenPortal, "nid-de-poule", "Trou rue Pasteur", "MABLY", t0)).unwrap();
//! m.set_request_status("DI-1", RequestStatus::Fixed, t0 + chrono::Duration::hours(50), None).unwrap();
//! assert_eq!(m.request_delays("DI-1").unwrap().to_closure, Some(chrono::Duration::hours(50)));
//! ```

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::{AssetId, RequestId, ServiceId, TenantId};
use crate::kinds::named_enum;
use crate::Mutualis;

pub mod events;
pub mod georeport;
pub mod routing;
pub mod stats;
pub use events::RequestEvent;

named_enum! {
    /// Where a request comes from.
    pub enum RequestOrigin as "request origin" {
        /// The citizen portal (web or app).
        CitizenPortal = "citizen_portal",
        /// A neighbourhood council (conseil de quartier).
        NeighbourhoodCouncil = "neighbourhood_council",
        /// An agent of a tenant.
        Agent = "agent",
        /// An elected official.
        ElectedOfficial = "elected_official",
        /// Telephone.
        Phone = "phone",
        /// E-mail or letter.
        Mail = "mail",
    }
}

named_enum! {
    /// Status of a request: Open311 `open`/`closed` with the common detail values.
    pub enum RequestStatus as "request status" {
        /// Received, not yet handled (Open311 open).
        Open = "open",
        /// Being looked at (open).
        Investigating = "investigating",
        /// Work in progress (open).
        InProgress = "in_progress",
        /// Work scheduled (open).
        ActionScheduled = "action_scheduled",
        /// Passed to another service or tenant (open).
        InternalReferral = "internal_referral",
        /// Fixed (closed).
        Fixed = "fixed",
        /// Duplicate of another request (closed).
        Duplicate = "duplicate",
        /// Not the responsibility of any tenant of the group (closed).
        NotCouncilsResponsibility = "not_councils_responsibility",
        /// Closed without action (closed).
        NoFurtherAction = "no_further_action",
        /// Closed, without detail (closed).
        Closed = "closed",
    }
}

impl RequestStatus {
    /// The Open311 GeoReport v2 `status`: `"open"` or `"closed"`.
    #[must_use]
    pub fn open311(self) -> &'static str {
        if self.is_closed() {
            "closed"
        } else {
            "open"
        }
    }

    /// True for the closed statuses.
    #[must_use]
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            RequestStatus::Fixed
                | RequestStatus::Duplicate
                | RequestStatus::NotCouncilsResponsibility
                | RequestStatus::NoFurtherAction
                | RequestStatus::Closed
        )
    }
}

/// A geographic point (WGS 84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

/// What is needed to record a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRequest {
    /// Human code, unique (e.g. the portal's id "DI-2026-00042").
    pub code: String,
    /// Origin.
    pub origin: RequestOrigin,
    /// Category (Open311 `service_code`: "eclairage", "nid-de-poule"…).
    pub category: String,
    /// What is asked.
    pub description: String,
    /// The competent tenant it is routed to.
    pub tenant: String,
    /// The competent service of that tenant, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The asset concerned, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// Postal address, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Coordinates, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// When it was received (UTC).
    pub received: DateTime<Utc>,
}

impl NewRequest {
    /// A request with its mandatory fields.
    #[must_use]
    pub fn new(
        code: &str,
        origin: RequestOrigin,
        category: &str,
        description: &str,
        tenant: &str,
        received: DateTime<Utc>,
    ) -> NewRequest {
        NewRequest {
            code: code.into(),
            origin,
            category: category.into(),
            description: description.into(),
            tenant: tenant.into(),
            service: None,
            asset: None,
            address: None,
            location: None,
            received,
        }
    }

    /// Sets the asset concerned.
    #[must_use]
    pub fn on_asset(mut self, asset: &str) -> NewRequest {
        self.asset = Some(asset.into());
        self
    }

    /// Sets the competent service.
    #[must_use]
    pub fn for_service(mut self, service: &str) -> NewRequest {
        self.service = Some(service.into());
        self
    }

    /// Sets the address and coordinates.
    #[must_use]
    pub fn located(mut self, address: Option<&str>, location: Option<GeoPoint>) -> NewRequest {
        self.address = address.map(Into::into);
        self.location = location;
        self
    }
}

/// A status change of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange<S> {
    /// When.
    pub at: DateTime<Utc>,
    /// New status.
    pub status: S,
    /// Comment, if any.
    pub note: Option<String>,
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Dense id.
    pub id: RequestId,
    /// Human code.
    pub code: String,
    /// Origin.
    pub origin: RequestOrigin,
    /// Category.
    pub category: String,
    /// What is asked.
    pub description: String,
    /// Competent tenant (Open311 `agency_responsible` is the performer of its work orders).
    pub tenant: TenantId,
    /// Competent service.
    pub service: Option<ServiceId>,
    /// Asset concerned.
    pub asset: Option<AssetId>,
    /// Address.
    pub address: Option<String>,
    /// Coordinates.
    pub location: Option<GeoPoint>,
    /// When received.
    pub received: DateTime<Utc>,
    /// Current status.
    pub status: RequestStatus,
    /// Status changes after reception, oldest first.
    pub history: Vec<StatusChange<RequestStatus>>,
}

/// Delays of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestDelays {
    /// From reception to the first status change, if any.
    pub to_first_response: Option<Duration>,
    /// From reception to the first closing status, if any.
    pub to_closure: Option<Duration>,
}

/// The requests domain's state: the requests and their code index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Requests {
    list: Vec<Request>,
    by_code: HashMap<String, RequestId>,
}

/// Equality compares the records (the index follows from them).
impl PartialEq for Requests {
    fn eq(&self, o: &Requests) -> bool {
        self.list == o.list
    }
}

impl Requests {
    /// True when a request has this code.
    pub(crate) fn contains(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// The number of requests (a checkpoint's length).
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Drops the requests received after the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        for r in self.list.drain(len.min(self.list.len())..) {
            self.by_code.remove(&r.code);
        }
    }

    /// Puts a request back as it was (undo of a status change or routing).
    pub(crate) fn restore(&mut self, at: usize, old: Request) {
        if let Some(r) = self.list.get_mut(at) {
            *r = old;
        }
    }

    /// Restores a recorded status change as it was (dataset loading: no
    /// lifecycle check, the caller checks the time order).
    pub(crate) fn push_recorded_change(
        &mut self,
        id: RequestId,
        change: StatusChange<RequestStatus>,
    ) {
        if let Some(r) = self.list.get_mut(id.index()) {
            r.status = change.status;
            r.history.push(change);
        }
    }
}

/// [`Error::InvalidField`] (`location`) unless a WGS 84 latitude/longitude.
pub(crate) fn check_location(p: GeoPoint) -> Result<()> {
    if !(p.lat.is_finite()
        && p.lon.is_finite()
        && (-90.0..=90.0).contains(&p.lat)
        && (-180.0..=180.0).contains(&p.lon))
    {
        return Err(Error::InvalidField {
            field: "location",
            reason: format!("({}, {}) is not a WGS 84 latitude/longitude", p.lat, p.lon),
        });
    }
    Ok(())
}

impl Mutualis {
    /// Records a request. Errors: [`Error::InvalidCode`], [`Error::InvalidField`]
    /// (blank category or description, bad coordinates), [`Error::UnknownTenant`],
    /// [`Error::UnknownService`], [`Error::UnknownAsset`], [`Error::DuplicateRequest`]
    /// (also for a code waiting for manual routing).
    pub fn receive_request(&mut self, spec: NewRequest) -> Result<RequestId> {
        let id = self.insert_request(&spec)?;
        let t = Some(spec.tenant.clone());
        self.log(
            t,
            RequestEvent::RequestReceived {
                request: spec.into(),
            },
        );
        Ok(id)
    }

    /// Validates and records a request without journalling it (the caller
    /// journals its own event).
    pub(crate) fn insert_request(&mut self, spec: &NewRequest) -> Result<RequestId> {
        check_code("request", &spec.code)?;
        check_name("request category", &spec.category)?;
        check_name("request description", &spec.description)?;
        crate::period::check_time("received", spec.received)?;
        let tenant = self.tenant_id(&spec.tenant)?;
        let service = match &spec.service {
            Some(s) => Some(self.service_id(&spec.tenant, s)?),
            None => None,
        };
        let asset = match &spec.asset {
            Some(a) => Some(self.asset_id(a)?),
            None => None,
        };
        if let Some(p) = spec.location {
            check_location(p)?;
        }
        if self.requests.by_code.contains_key(&spec.code) || self.catalogue.is_pending(&spec.code) {
            return Err(Error::DuplicateRequest(spec.code.clone()));
        }
        let id = RequestId(self.requests.list.len() as u32);
        self.requests.by_code.insert(spec.code.clone(), id);
        self.requests.list.push(Request {
            id,
            code: spec.code.clone(),
            origin: spec.origin,
            category: spec.category.clone(),
            description: spec.description.clone(),
            tenant,
            service,
            asset,
            address: spec.address.clone(),
            location: spec.location,
            received: spec.received,
            status: RequestStatus::Open,
            history: Vec::new(),
        });
        Ok(id)
    }

    fn last_request_time(&self, r: RequestId) -> DateTime<Utc> {
        let req = &self.requests.list[r.index()];
        req.history.last().map_or(req.received, |c| c.at)
    }

    /// Changes the status of a request at `at`.
    ///
    /// Errors: [`Error::UnknownRequest`], [`Error::TimeOutOfOrder`] (before the
    /// previous change), [`Error::IllegalTransition`] (same status, or a closed
    /// request moved to anything but `open`).
    pub fn set_request_status(
        &mut self,
        request: &str,
        status: RequestStatus,
        at: DateTime<Utc>,
        note: Option<&str>,
    ) -> Result<()> {
        let r = self.request_id(request)?;
        crate::period::check_time("at", at)?;
        let last = self.last_request_time(r);
        if at < last {
            return Err(Error::TimeOutOfOrder {
                code: request.to_owned(),
                at,
                last,
            });
        }
        let current = self.requests.list[r.index()].status;
        if current == status || (current.is_closed() && status != RequestStatus::Open) {
            return Err(Error::IllegalTransition {
                what: "request",
                code: request.to_owned(),
                from: current.as_str(),
                to: status.as_str(),
            });
        }
        self.save_request(r.index());
        let req = &mut self.requests.list[r.index()];
        req.status = status;
        req.history.push(StatusChange {
            at,
            status,
            note: note.map(str::to_owned),
        });
        let tenant_id = req.tenant;
        let tenant = Some(self.tenant_code(tenant_id).to_owned());
        self.log(
            tenant,
            RequestEvent::RequestStatusChanged {
                request: request.to_owned(),
                status,
                at,
                note: note.map(str::to_owned),
            },
        );
        Ok(())
    }

    /// Saves a request's record before an in-place change, while a
    /// checkpoint is open (the cost of one record).
    fn save_request(&mut self, r: usize) {
        if self.undo.is_some() {
            let old = Box::new(self.requests.list[r].clone());
            self.push_undo(crate::undo::Undo::Request { request: r, old });
        }
    }

    /// Routes a request to another competent tenant and service (an
    /// internal referral); the status becomes `internal_referral`.
    pub fn route_request(
        &mut self,
        request: &str,
        tenant: &str,
        service: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let r = self.request_id(request)?;
        crate::period::check_time("at", at)?;
        let t = self.tenant_id(tenant)?;
        let s = match service {
            Some(s) => Some(self.service_id(tenant, s)?),
            None => None,
        };
        let last = self.last_request_time(r);
        if at < last {
            return Err(Error::TimeOutOfOrder {
                code: request.to_owned(),
                at,
                last,
            });
        }
        let req = &mut self.requests.list[r.index()];
        if req.status.is_closed() {
            return Err(Error::IllegalTransition {
                what: "request",
                code: request.to_owned(),
                from: req.status.as_str(),
                to: RequestStatus::InternalReferral.as_str(),
            });
        }
        self.save_request(r.index());
        let req = &mut self.requests.list[r.index()];
        req.tenant = t;
        req.service = s;
        req.status = RequestStatus::InternalReferral;
        req.history.push(StatusChange {
            at,
            status: RequestStatus::InternalReferral,
            note: Some(format!(
                "routed to {tenant}{}",
                service.map(|x| format!(" / {x}")).unwrap_or_default()
            )),
        });
        self.log(
            Some(tenant.to_owned()),
            RequestEvent::RequestRouted {
                request: request.to_owned(),
                tenant: tenant.to_owned(),
                service: service.map(str::to_owned),
                at,
            },
        );
        Ok(())
    }

    /// The dense id of a request code; [`Error::AwaitingRouting`] for a
    /// request waiting for manual routing, else [`Error::UnknownRequest`] if
    /// none.
    pub fn request_id(&self, code: &str) -> Result<RequestId> {
        self.requests.by_code.get(code).copied().ok_or_else(|| {
            if self.catalogue.is_pending(code) {
                Error::AwaitingRouting(code.to_owned())
            } else {
                Error::UnknownRequest(code.to_owned())
            }
        })
    }

    /// The request with this code.
    pub fn request(&self, code: &str) -> Result<&Request> {
        Ok(&self.requests.list[self.request_id(code)?.index()])
    }

    /// All requests, in reception order.
    #[must_use]
    pub fn requests(&self) -> &[Request] {
        &self.requests.list
    }

    /// Delays of a request to first response and to closure.
    pub fn request_delays(&self, code: &str) -> Result<RequestDelays> {
        let r = self.request(code)?;
        Ok(RequestDelays {
            to_first_response: r.history.first().map(|c| c.at - r.received),
            to_closure: r
                .history
                .iter()
                .find(|c| c.status.is_closed())
                .map(|c| c.at - r.received),
        })
    }
}
