//! The events of requests (demandes d'intervention).
//!
//! [`RequestV1`] is the stored form of a [`NewRequest`] (see [`crate::journal`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::requests::{GeoPoint, NewRequest, RequestOrigin, RequestStatus};
use crate::Mutualis;

/// An event of requests (wrapped by [`crate::Event::Requests`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
#[allow(clippy::enum_variant_names)] // the variants are named as their stored tags
pub enum RequestEvent {
    /// A request was received.
    RequestReceived {
        /// Its description.
        request: RequestV1,
    },
    /// A request's status changed.
    RequestStatusChanged {
        /// Request code.
        request: String,
        /// New status.
        status: RequestStatus,
        /// When.
        at: DateTime<Utc>,
        /// Comment, if any.
        note: Option<String>,
    },
    /// A request was routed to another tenant and service.
    RequestRouted {
        /// Request code.
        request: String,
        /// Tenant code.
        tenant: String,
        /// Service code, if any.
        service: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
}

/// The stored form of a [`NewRequest`] (version 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestV1 {
    /// Human code, unique.
    pub code: String,
    /// Origin.
    pub origin: RequestOrigin,
    /// Category.
    pub category: String,
    /// What is asked.
    pub description: String,
    /// The competent tenant.
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

impl From<NewRequest> for RequestV1 {
    fn from(r: NewRequest) -> RequestV1 {
        RequestV1 {
            code: r.code,
            origin: r.origin,
            category: r.category,
            description: r.description,
            tenant: r.tenant,
            service: r.service,
            asset: r.asset,
            address: r.address,
            location: r.location,
            received: r.received,
        }
    }
}

impl From<RequestV1> for NewRequest {
    fn from(r: RequestV1) -> NewRequest {
        NewRequest {
            code: r.code,
            origin: r.origin,
            category: r.category,
            description: r.description,
            tenant: r.tenant,
            service: r.service,
            asset: r.asset,
            address: r.address,
            location: r.location,
            received: r.received,
        }
    }
}

impl RequestEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "request_received",
        "request_status_changed",
        "request_routed",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            RequestEvent::RequestReceived { .. }
            | RequestEvent::RequestStatusChanged { .. }
            | RequestEvent::RequestRouted { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            RequestEvent::RequestReceived { request } => vec![("request", &request.code)],
            RequestEvent::RequestStatusChanged { request, .. }
            | RequestEvent::RequestRouted { request, .. } => vec![("request", request)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            RequestEvent::RequestReceived { request } => {
                m.receive_request(request.into()).map(drop)
            }
            RequestEvent::RequestStatusChanged {
                request,
                status,
                at,
                note,
            } => m.set_request_status(&request, status, at, note.as_deref()),
            RequestEvent::RequestRouted {
                request,
                tenant,
                service,
                at,
            } => m.route_request(&request, &tenant, service.as_deref(), at),
        }
    }
}
