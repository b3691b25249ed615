//! The events of requests (demandes d'intervention).
//!
//! [`RequestV1`] is the stored form of a [`NewRequest`]; [`CategoryV1`],
//! [`IntakeV1`] and [`PostExtrasV1`] those of the request catalogue's
//! [`NewCategory`], [`Intake`] and [`PostExtras`] (see [`crate::journal`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::requests::georeport::PostExtras;
use crate::requests::routing::{CategoryAttribute, Competence, Intake, NewCategory};
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
    /// A request category (an Open311 service) was added to the catalogue.
    RequestCategoryAdded {
        /// The category.
        category: CategoryV1,
    },
    /// Who is competent for a category was set.
    RequestCompetenceSet {
        /// Category code.
        category: String,
        /// The agglomeration or the communes.
        competence: Competence,
    },
    /// A commune's territory was added.
    RequestTerritoryAdded {
        /// The commune's tenant code.
        commune: String,
        /// Its boundary, as given (GeoJSON).
        geojson: String,
    },
    /// A neighbourhood council was added.
    RequestCouncilAdded {
        /// Code.
        code: String,
        /// Name.
        name: String,
        /// Its area, as given (GeoJSON).
        geojson: String,
    },
    /// The agglomeration the transferred competences go to was set.
    RequestAgglomerationSet {
        /// Tenant code.
        tenant: String,
    },
    /// A request was submitted for routing: recorded for the tenant a rule
    /// gives, or kept for manual routing (replaying routes it again, on the
    /// same state).
    RequestSubmitted {
        /// The request as submitted.
        intake: IntakeV1,
        /// What a GeoReport POST gave beyond it, if it came from one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extras: Option<PostExtrasV1>,
    },
    /// A request waiting for manual routing was recorded for a tenant.
    RequestRoutedByHand {
        /// Request code.
        request: String,
        /// Tenant code.
        tenant: String,
        /// Service code, if any.
        service: Option<String>,
    },
}

/// An attribute of a category's service definition (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeV1 {
    /// Code.
    pub code: String,
    /// Open311 datatype.
    pub datatype: String,
    /// Required.
    pub required: bool,
    /// The question asked.
    pub description: String,
    /// Display order.
    pub order: u32,
    /// Allowed values `(key, name)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<(String, String)>,
}

/// The stored form of a [`NewCategory`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryV1 {
    /// The tenant defining it.
    pub tenant: String,
    /// Code (`service_code`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Group.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Target delay to closure in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_days: Option<u32>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeV1>,
}

impl From<NewCategory> for CategoryV1 {
    fn from(c: NewCategory) -> CategoryV1 {
        CategoryV1 {
            tenant: c.tenant,
            code: c.code,
            name: c.name,
            description: c.description,
            keywords: c.keywords,
            group: c.group,
            target_days: c.target_days,
            attributes: c
                .attributes
                .into_iter()
                .map(|a| AttributeV1 {
                    code: a.code,
                    datatype: a.datatype,
                    required: a.required,
                    description: a.description,
                    order: a.order,
                    values: a.values,
                })
                .collect(),
        }
    }
}

impl From<CategoryV1> for NewCategory {
    fn from(c: CategoryV1) -> NewCategory {
        NewCategory {
            tenant: c.tenant,
            code: c.code,
            name: c.name,
            description: c.description,
            keywords: c.keywords,
            group: c.group,
            target_days: c.target_days,
            attributes: c
                .attributes
                .into_iter()
                .map(|a| CategoryAttribute {
                    code: a.code,
                    datatype: a.datatype,
                    required: a.required,
                    description: a.description,
                    order: a.order,
                    values: a.values,
                })
                .collect(),
        }
    }
}

/// The stored form of an [`Intake`] (version 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeV1 {
    /// Code.
    pub code: String,
    /// Origin.
    pub origin: RequestOrigin,
    /// Category code.
    pub category: String,
    /// What is asked.
    pub description: String,
    /// Asset concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// INSEE code of the address's commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee: Option<String>,
    /// Coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// When received.
    pub received: DateTime<Utc>,
}

impl From<Intake> for IntakeV1 {
    fn from(i: Intake) -> IntakeV1 {
        IntakeV1 {
            code: i.code,
            origin: i.origin,
            category: i.category,
            description: i.description,
            asset: i.asset,
            address: i.address,
            insee: i.insee,
            location: i.location,
            received: i.received,
        }
    }
}

impl From<IntakeV1> for Intake {
    fn from(i: IntakeV1) -> Intake {
        Intake {
            code: i.code,
            origin: i.origin,
            category: i.category,
            description: i.description,
            asset: i.asset,
            address: i.address,
            insee: i.insee,
            location: i.location,
            received: i.received,
        }
    }
}

/// The stored form of a POST's [`PostExtras`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostExtrasV1 {
    /// `media_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// `zipcode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zipcode: Option<String>,
    /// `address_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<String>,
    /// `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `first_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `last_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// `attribute[code]` answers, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
}

impl From<PostExtras> for PostExtrasV1 {
    fn from(x: PostExtras) -> PostExtrasV1 {
        PostExtrasV1 {
            media_url: x.media_url,
            zipcode: x.zipcode,
            address_id: x.address_id,
            email: x.email,
            first_name: x.first_name,
            last_name: x.last_name,
            phone: x.phone,
            attributes: x.attributes,
        }
    }
}

impl From<PostExtrasV1> for PostExtras {
    fn from(x: PostExtrasV1) -> PostExtras {
        PostExtras {
            media_url: x.media_url,
            zipcode: x.zipcode,
            address_id: x.address_id,
            email: x.email,
            first_name: x.first_name,
            last_name: x.last_name,
            phone: x.phone,
            attributes: x.attributes,
        }
    }
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
        "request_category_added",
        "request_competence_set",
        "request_territory_added",
        "request_council_added",
        "request_agglomeration_set",
        "request_submitted",
        "request_routed_by_hand",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            RequestEvent::RequestReceived { .. }
            | RequestEvent::RequestStatusChanged { .. }
            | RequestEvent::RequestRouted { .. }
            | RequestEvent::RequestCategoryAdded { .. }
            | RequestEvent::RequestCompetenceSet { .. }
            | RequestEvent::RequestTerritoryAdded { .. }
            | RequestEvent::RequestCouncilAdded { .. }
            | RequestEvent::RequestAgglomerationSet { .. }
            | RequestEvent::RequestSubmitted { .. }
            | RequestEvent::RequestRoutedByHand { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            RequestEvent::RequestReceived { request } => vec![("request", &request.code)],
            RequestEvent::RequestStatusChanged { request, .. }
            | RequestEvent::RequestRouted { request, .. }
            | RequestEvent::RequestRoutedByHand { request, .. } => vec![("request", request)],
            RequestEvent::RequestSubmitted { intake, .. } => vec![("request", &intake.code)],
            RequestEvent::RequestCategoryAdded { category } => vec![("tenant", &category.tenant)],
            RequestEvent::RequestTerritoryAdded { commune, .. } => vec![("tenant", commune)],
            RequestEvent::RequestAgglomerationSet { tenant } => vec![("tenant", tenant)],
            RequestEvent::RequestCompetenceSet { .. }
            | RequestEvent::RequestCouncilAdded { .. } => Vec::new(),
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
            RequestEvent::RequestCategoryAdded { category } => {
                m.add_request_category(category.into())
            }
            RequestEvent::RequestCompetenceSet {
                category,
                competence,
            } => m.set_request_competence(&category, competence),
            RequestEvent::RequestTerritoryAdded { commune, geojson } => {
                m.add_request_territory(&commune, &geojson)
            }
            RequestEvent::RequestCouncilAdded {
                code,
                name,
                geojson,
            } => m.add_request_council(&code, &name, &geojson),
            RequestEvent::RequestAgglomerationSet { tenant } => {
                m.set_request_agglomeration(&tenant)
            }
            RequestEvent::RequestSubmitted { intake, extras } => m
                .submit_with_extras(intake.into(), extras.map(Into::into))
                .map(drop),
            RequestEvent::RequestRoutedByHand {
                request,
                tenant,
                service,
            } => m
                .route_request_by_hand(&request, &tenant, service.as_deref())
                .map(drop),
        }
    }
}
