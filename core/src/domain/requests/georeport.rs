//! The Open311 GeoReport v2 model (issue 17): the service list and service
//! definitions generated from a [`RequestCatalogue`]'s categories, creating a
//! request from a POST's fields, reading requests with the standard fields,
//! and rendering all of it as JSON and XML as the specification shows them,
//! with its error format (`code` + `description`). No HTTP here: a server
//! parses the HTTP request into fields and sends back the rendered text.
//!
//! - `service_request_id` is the request code; a request no rule routes is
//!   kept for manual routing and its POST answers with a `token` (the same
//!   code) instead; [`RequestCatalogue::token`] gives the id once routed.
//! - A POST is a registry command ([`Mutualis::create_request_from_fields`]):
//!   one `request_submitted` event, its extras (media, zipcode, contact,
//!   attributes) kept with the catalogue.
//! - Extensions: `extensions=true` adds `extended_status` (DOMAIN §7
//!   statuses); `updated_since` (ISO 8601) keeps requests changed since; `page`
//!   (from 1) and `page_size` (default and maximum 1000) paginate.
//! - Contact fields (email, names, phone) are kept but never rendered.
//!
//! ```
//! use mutualis::requests::georeport::{render_services, Format};
//! use mutualis::Mutualis;
//! let m = Mutualis::new();
//! assert_eq!(render_services(m.request_catalogue(), Format::Json), "[]");
//! ```

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::requests::routing::{Intake, RequestCatalogue, Routed};
use crate::requests::{GeoPoint, RequestOrigin};
use crate::Mutualis;

/// The two renderings of the specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.json`
    Json,
    /// `.xml`
    Xml,
}

impl Format {
    /// `"json"` or `"xml"` → the format. Errors: [`Error::InvalidField`] (`format`).
    pub fn parse(s: &str) -> Result<Format> {
        match s {
            "json" => Ok(Format::Json),
            "xml" => Ok(Format::Xml),
            _ => Err(Error::InvalidField {
                field: "format",
                reason: format!("{s:?} is neither json nor xml"),
            }),
        }
    }
}

/// What a POST gave beyond the request itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostExtras {
    /// `media_url`.
    #[serde(default)]
    pub media_url: Option<String>,
    /// `zipcode`.
    #[serde(default)]
    pub zipcode: Option<String>,
    /// `address_id`.
    #[serde(default)]
    pub address_id: Option<String>,
    /// `email` (never rendered).
    #[serde(default)]
    pub email: Option<String>,
    /// `first_name` (never rendered).
    #[serde(default)]
    pub first_name: Option<String>,
    /// `last_name` (never rendered).
    #[serde(default)]
    pub last_name: Option<String>,
    /// `phone` (never rendered).
    #[serde(default)]
    pub phone: Option<String>,
    /// `attribute[code]` answers, in the order given.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            _ => o.push(c),
        }
    }
    o
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// `<tag>value</tag>` (empty element for none).
fn el(out: &mut String, tag: &str, v: Option<&str>) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    if let Some(v) = v {
        out.push_str(&esc(v));
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn json(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// One entry of the service list (`GET services`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// `service_code`.
    pub service_code: String,
    /// `service_name`.
    pub service_name: String,
    /// `description`.
    pub description: String,
    /// `metadata`: true when the category has attributes.
    pub metadata: bool,
    /// `type`: always `realtime` (the token is used for manual routing).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `keywords`, comma-separated.
    pub keywords: String,
    /// `group`.
    pub group: String,
}

/// The service list of a catalogue.
#[must_use]
pub fn services(c: &RequestCatalogue) -> Vec<Service> {
    c.categories()
        .iter()
        .map(|k| Service {
            service_code: k.code.clone(),
            service_name: k.name.clone(),
            description: k.description.clone(),
            metadata: !k.attributes.is_empty(),
            kind: "realtime",
            keywords: k.keywords.join(", "),
            group: k.group.clone(),
        })
        .collect()
}

/// `GET services` rendered.
#[must_use]
pub fn render_services(c: &RequestCatalogue, f: Format) -> String {
    let list = services(c);
    match f {
        Format::Json => json(&list),
        Format::Xml => {
            let mut o = format!("{XML_HEAD}<services>");
            for s in &list {
                o.push_str("<service>");
                el(&mut o, "service_code", Some(&s.service_code));
                el(&mut o, "service_name", Some(&s.service_name));
                el(&mut o, "description", Some(&s.description));
                el(
                    &mut o,
                    "metadata",
                    Some(if s.metadata { "true" } else { "false" }),
                );
                el(&mut o, "type", Some(s.kind));
                el(&mut o, "keywords", Some(&s.keywords));
                el(&mut o, "group", Some(&s.group));
                o.push_str("</service>");
            }
            o.push_str("</services>");
            o
        }
    }
}

#[derive(Serialize)]
struct JsonValue<'a> {
    key: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonAttribute<'a> {
    variable: bool,
    code: &'a str,
    datatype: &'a str,
    required: bool,
    datatype_description: Option<&'a str>,
    order: u32,
    description: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    values: Vec<JsonValue<'a>>,
}

#[derive(Serialize)]
struct JsonDefinition<'a> {
    service_code: &'a str,
    attributes: Vec<JsonAttribute<'a>>,
}

/// `GET services/{code}` (the service definition) rendered.
///
/// Errors: [`Error::UnknownServiceCode`].
pub fn render_service_definition(c: &RequestCatalogue, code: &str, f: Format) -> Result<String> {
    let k = c.category_or_err(code)?;
    let mut attrs: Vec<_> = k.attributes.iter().collect();
    attrs.sort_by_key(|a| a.order);
    Ok(match f {
        Format::Json => json(&JsonDefinition {
            service_code: &k.code,
            attributes: attrs
                .iter()
                .map(|a| JsonAttribute {
                    variable: true,
                    code: &a.code,
                    datatype: &a.datatype,
                    required: a.required,
                    datatype_description: None,
                    order: a.order,
                    description: &a.description,
                    values: a
                        .values
                        .iter()
                        .map(|(key, name)| JsonValue { key, name })
                        .collect(),
                })
                .collect(),
        }),
        Format::Xml => {
            let mut o = format!("{XML_HEAD}<service_definition>");
            el(&mut o, "service_code", Some(&k.code));
            o.push_str("<attributes>");
            for a in attrs {
                o.push_str("<attribute>");
                el(&mut o, "variable", Some("true"));
                el(&mut o, "code", Some(&a.code));
                el(&mut o, "datatype", Some(&a.datatype));
                el(
                    &mut o,
                    "required",
                    Some(if a.required { "true" } else { "false" }),
                );
                el(&mut o, "datatype_description", None);
                el(&mut o, "order", Some(&a.order.to_string()));
                el(&mut o, "description", Some(&a.description));
                if !a.values.is_empty() {
                    o.push_str("<values>");
                    for (key, name) in &a.values {
                        o.push_str("<value>");
                        el(&mut o, "key", Some(key));
                        el(&mut o, "name", Some(name));
                        o.push_str("</value>");
                    }
                    o.push_str("</values>");
                }
                o.push_str("</attribute>");
            }
            o.push_str("</attributes></service_definition>");
            o
        }
    })
}

/// The answer to a POST: `service_request_id` (routed) or `token` (kept for
/// manual routing), with the `service_notice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Created {
    /// `service_request_id`, when routed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_request_id: Option<String>,
    /// `token`, when kept for manual routing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// `service_notice`.
    pub service_notice: Option<String>,
    /// `account_id` (not used: always null).
    pub account_id: Option<String>,
}

impl Created {
    /// Rendered as the specification's POST response.
    #[must_use]
    pub fn render(&self, f: Format) -> String {
        match f {
            Format::Json => json(&[self]),
            Format::Xml => {
                let mut o = format!("{XML_HEAD}<service_requests><request>");
                if let Some(id) = &self.service_request_id {
                    el(&mut o, "service_request_id", Some(id));
                }
                if let Some(t) = &self.token {
                    el(&mut o, "token", Some(t));
                }
                el(&mut o, "service_notice", self.service_notice.as_deref());
                el(&mut o, "account_id", None);
                o.push_str("</request></service_requests>");
                o
            }
        }
    }
}

fn notice(c: &RequestCatalogue, category: &str) -> Option<String> {
    c.category(category)
        .and_then(|k| k.target_days)
        .map(|d| format!("Délai cible : {d} jour{}", if d > 1 { "s" } else { "" }))
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn coordinate(v: &str, field: &'static str) -> Result<f64> {
    v.parse::<f64>().map_err(|_| Error::InvalidField {
        field,
        reason: format!("{v:?} is not a number"),
    })
}

impl Mutualis {
    /// Creates a request from a GeoReport POST's fields (`service_code`,
    /// `lat`/`long` or `address_string` or `address_id`, `email`,
    /// `first_name`, `last_name`, `phone`, `description`, `media_url`,
    /// `attribute[code]`), received at `now`, routed as
    /// [`Mutualis::submit_request`] does (one `request_submitted` event, with
    /// the POST's extras). An `address_id` that is an asset's code puts the
    /// request on that asset (routed to its holder on the day). The code is
    /// `prefix` followed by a number.
    ///
    /// Errors (nothing changes): [`Error::InvalidField`] naming the field
    /// (`service_code` missing, `lat`/`long` not numbers, `attribute`
    /// required and missing or not a listed value),
    /// [`Error::UnknownServiceCode`], [`Error::MissingLocation`], and as
    /// [`Mutualis::submit_request`].
    pub fn create_request_from_fields(
        &mut self,
        fields: &[(String, String)],
        prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<Created> {
        let code = field(fields, "service_code").ok_or(Error::InvalidField {
            field: "service_code",
            reason: "missing".into(),
        })?;
        let k = self.catalogue.category_or_err(code)?;
        let location = match (field(fields, "lat"), field(fields, "long")) {
            (Some(a), Some(o)) => Some(GeoPoint {
                lat: coordinate(a, "lat")?,
                lon: coordinate(o, "long")?,
            }),
            (None, None) => None,
            _ => return Err(Error::MissingLocation("lat and long go together".into())),
        };
        let address = field(fields, "address_string");
        let address_id = field(fields, "address_id");
        if location.is_none() && address.is_none() && address_id.is_none() {
            return Err(Error::MissingLocation(
                "lat/long, address_string or address_id is required".into(),
            ));
        }
        let mut attributes = Vec::new();
        for (key, v) in fields {
            if let Some(a) = key
                .strip_prefix("attribute[")
                .and_then(|x| x.strip_suffix(']'))
            {
                let def = k.attributes.iter().find(|d| d.code == a).ok_or_else(|| {
                    Error::InvalidField {
                        field: "attribute",
                        reason: format!("{a:?} is not an attribute of {}", k.code),
                    }
                })?;
                if !def.values.is_empty() && !def.values.iter().any(|(kk, _)| kk == v) {
                    return Err(Error::InvalidField {
                        field: "attribute",
                        reason: format!("{v:?} is not a value of {a}"),
                    });
                }
                attributes.push((a.to_owned(), v.clone()));
            }
        }
        if let Some(a) = k
            .attributes
            .iter()
            .find(|d| d.required && !attributes.iter().any(|(c, _)| *c == d.code))
        {
            return Err(Error::InvalidField {
                field: "attribute",
                reason: format!("{} is required", a.code),
            });
        }
        let description = field(fields, "description").unwrap_or(&k.name).to_owned();
        let mut n = self.requests().len() + self.catalogue.pending().len() + 1;
        let mut id = format!("{prefix}{n}");
        while self.requests.contains(&id) || self.catalogue.is_pending(&id) {
            n += 1;
            id = format!("{prefix}{n}");
        }
        let mut intake = Intake::new(&id, RequestOrigin::CitizenPortal, code, &description, now);
        intake.location = location;
        intake.address = address.map(Into::into);
        // an `address_id` naming an asset of the patrimoine puts the request
        // on that asset: it goes to the asset's holder on the day
        intake.asset = address_id
            .filter(|a| self.asset_id(a).is_ok())
            .map(Into::into);
        let own = |f: &str| field(fields, f).map(str::to_owned);
        let extras = PostExtras {
            media_url: own("media_url"),
            zipcode: own("zipcode"),
            address_id: address_id.map(Into::into),
            email: own("email"),
            first_name: own("first_name"),
            last_name: own("last_name"),
            phone: own("phone"),
            attributes,
        };
        let service_notice = notice(&self.catalogue, code);
        let routed = self.submit_with_extras(intake, Some(extras))?;
        Ok(match routed {
            Routed::To { .. } => Created {
                service_request_id: Some(id),
                token: None,
                service_notice,
                account_id: None,
            },
            Routed::Manual => Created {
                service_request_id: None,
                token: Some(id),
                service_notice,
                account_id: None,
            },
        })
    }
}

impl RequestCatalogue {
    /// `GET tokens/{token}`: the `service_request_id` once the request is
    /// routed (`None` while it waits for manual routing).
    ///
    /// Errors: [`Error::UnknownToken`].
    pub fn token(&self, m: &Mutualis, token: &str) -> Result<Option<String>> {
        if m.requests.contains(token) {
            Ok(Some(token.to_owned()))
        } else if self.is_pending(token) {
            Ok(None)
        } else {
            Err(Error::UnknownToken(token.to_owned()))
        }
    }

    /// `GET requests` (or one request with `service_request_id`): the
    /// requests matching the query, oldest first.
    ///
    /// Errors: [`Error::InvalidField`] naming the bad parameter.
    pub fn service_requests(&self, m: &Mutualis, q: &RequestQuery) -> Result<Vec<ServiceRequest>> {
        self.service_requests_of(m, q, |_| true)
    }

    /// [`RequestCatalogue::service_requests`] among the requests `keep`
    /// accepts (paginated after filtering).
    pub(crate) fn service_requests_of(
        &self,
        m: &Mutualis,
        q: &RequestQuery,
        keep: impl Fn(&crate::requests::Request) -> bool,
    ) -> Result<Vec<ServiceRequest>> {
        let page_size = q.page_size.unwrap_or(1000);
        if page_size == 0 || page_size > 1000 {
            return Err(Error::InvalidField {
                field: "page_size",
                reason: format!("{page_size} is not between 1 and 1000"),
            });
        }
        let page = q.page.unwrap_or(1);
        if page == 0 {
            return Err(Error::InvalidField {
                field: "page",
                reason: "pages start at 1".into(),
            });
        }
        let ids: Option<Vec<&str>> = q
            .service_request_id
            .as_deref()
            .map(|s| s.split(',').map(str::trim).collect());
        let codes: Option<Vec<&str>> = q
            .service_code
            .as_deref()
            .map(|s| s.split(',').map(str::trim).collect());
        let status = q.status.as_deref();
        if let Some(s) = status {
            if s != "open" && s != "closed" {
                return Err(Error::InvalidField {
                    field: "status",
                    reason: format!("{s:?} is neither open nor closed"),
                });
            }
        }
        let providers = self.providers(m);
        let start = q.start_date;
        let end = q.end_date;
        // received is non-decreasing in practice but not guaranteed: filter all
        let out = m
            .requests()
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                ids.as_ref().is_none_or(|v| v.contains(&r.code.as_str()))
                    && codes
                        .as_ref()
                        .is_none_or(|v| v.contains(&r.category.as_str()))
                    && start.is_none_or(|s| r.received >= s)
                    && end.is_none_or(|e| r.received <= e)
                    && status.is_none_or(|s| r.status.open311() == s)
                    && q.updated_since
                        .is_none_or(|u| r.history.last().map_or(r.received, |c| c.at) >= u)
                    && keep(r)
            })
            .skip((page - 1).saturating_mul(page_size))
            .take(page_size)
            .map(|(i, r)| {
                let updated = r.history.last().map_or(r.received, |c| c.at);
                let k = self.category(&r.category);
                let x = self.extras.get(&r.code);
                ServiceRequest {
                    service_request_id: r.code.clone(),
                    status: r.status.open311(),
                    extended_status: q.extensions.then(|| r.status.as_str()),
                    status_notes: r.history.iter().rev().find_map(|c| c.note.clone()),
                    service_name: k.map(|k| k.name.clone()),
                    service_code: r.category.clone(),
                    description: Some(r.description.clone()),
                    agency_responsible: Some(providers[i].map_or_else(
                        || {
                            m.tenant_by_id(r.tenant)
                                .map_or_else(|_| String::new(), |t| t.name.clone())
                        },
                        str::to_owned,
                    )),
                    service_notice: notice(self, &r.category),
                    requested_datetime: r.received,
                    updated_datetime: updated,
                    expected_datetime: k
                        .and_then(|k| k.target_days)
                        .map(|d| r.received + Duration::days(i64::from(d))),
                    address: r.address.clone(),
                    address_id: x.and_then(|x| x.address_id.clone()),
                    zipcode: x.and_then(|x| x.zipcode.clone()),
                    lat: r.location.map(|p| p.lat),
                    long: r.location.map(|p| p.lon),
                    media_url: x.and_then(|x| x.media_url.clone()),
                }
            })
            .collect();
        Ok(out)
    }
}

/// The parameters of `GET requests`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    /// Comma-separated ids.
    pub service_request_id: Option<String>,
    /// Comma-separated service codes.
    pub service_code: Option<String>,
    /// Received at or after.
    pub start_date: Option<DateTime<Utc>>,
    /// Received at or before.
    pub end_date: Option<DateTime<Utc>>,
    /// `open` or `closed`.
    pub status: Option<String>,
    /// Extension: changed at or after.
    pub updated_since: Option<DateTime<Utc>>,
    /// Extension: add `extended_status`.
    pub extensions: bool,
    /// Extension: page, from 1.
    pub page: Option<usize>,
    /// Extension: page size, 1 to 1000 (default 1000).
    pub page_size: Option<usize>,
}

impl RequestQuery {
    /// Reads the query parameters (unknown ones are ignored, as the
    /// specification allows `jurisdiction_id`).
    ///
    /// Errors: [`Error::InvalidField`] naming a bad date or number.
    pub fn from_params(params: &[(String, String)]) -> Result<RequestQuery> {
        let mut q = RequestQuery::default();
        let date = |v: &str, field: &'static str| {
            DateTime::parse_from_rfc3339(v)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| Error::InvalidField {
                    field,
                    reason: format!("{v:?} is not an ISO 8601 date-time with time zone"),
                })
        };
        let num = |v: &str, field: &'static str| {
            v.parse::<usize>().map_err(|_| Error::InvalidField {
                field,
                reason: format!("{v:?} is not a whole number"),
            })
        };
        for (k, v) in params {
            match k.as_str() {
                "service_request_id" => q.service_request_id = Some(v.clone()),
                "service_code" => q.service_code = Some(v.clone()),
                "start_date" => q.start_date = Some(date(v, "start_date")?),
                "end_date" => q.end_date = Some(date(v, "end_date")?),
                "status" => q.status = Some(v.clone()),
                "updated_since" => q.updated_since = Some(date(v, "updated_since")?),
                "extensions" => q.extensions = v == "true",
                "page" => q.page = Some(num(v, "page")?),
                "page_size" => q.page_size = Some(num(v, "page_size")?),
                _ => {}
            }
        }
        Ok(q)
    }
}

fn iso(d: &DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn ser_iso<S: serde::Serializer>(d: &DateTime<Utc>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&iso(d))
}

fn ser_iso_opt<S: serde::Serializer>(
    d: &Option<DateTime<Utc>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&iso(d)),
        None => s.serialize_none(),
    }
}

/// A request with the GeoReport v2 fields, in the specification's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRequest {
    /// `service_request_id` (the request code).
    pub service_request_id: String,
    /// `status`: `open` or `closed`.
    pub status: &'static str,
    /// Extension: the detailed status (DOMAIN §7), with `extensions=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_status: Option<&'static str>,
    /// `status_notes`: the latest note.
    pub status_notes: Option<String>,
    /// `service_name`.
    pub service_name: Option<String>,
    /// `service_code`.
    pub service_code: String,
    /// `description`.
    pub description: Option<String>,
    /// `agency_responsible`: the team or supplier that answered, else the
    /// competent tenant's name.
    pub agency_responsible: Option<String>,
    /// `service_notice`: the target delay.
    pub service_notice: Option<String>,
    /// `requested_datetime`.
    #[serde(serialize_with = "ser_iso")]
    pub requested_datetime: DateTime<Utc>,
    /// `updated_datetime`.
    #[serde(serialize_with = "ser_iso")]
    pub updated_datetime: DateTime<Utc>,
    /// `expected_datetime`: reception plus the target delay.
    #[serde(serialize_with = "ser_iso_opt")]
    pub expected_datetime: Option<DateTime<Utc>>,
    /// `address`.
    pub address: Option<String>,
    /// `address_id`.
    pub address_id: Option<String>,
    /// `zipcode`.
    pub zipcode: Option<String>,
    /// `lat`.
    pub lat: Option<f64>,
    /// `long`.
    pub long: Option<f64>,
    /// `media_url`.
    pub media_url: Option<String>,
}

/// `GET requests` rendered.
#[must_use]
pub fn render_requests(list: &[ServiceRequest], f: Format) -> String {
    match f {
        Format::Json => json(&list),
        Format::Xml => {
            let mut o = format!("{XML_HEAD}<service_requests>");
            for r in list {
                o.push_str("<request>");
                el(&mut o, "service_request_id", Some(&r.service_request_id));
                el(&mut o, "status", Some(r.status));
                if let Some(x) = r.extended_status {
                    el(&mut o, "extended_status", Some(x));
                }
                el(&mut o, "status_notes", r.status_notes.as_deref());
                el(&mut o, "service_name", r.service_name.as_deref());
                el(&mut o, "service_code", Some(&r.service_code));
                el(&mut o, "description", r.description.as_deref());
                el(
                    &mut o,
                    "agency_responsible",
                    r.agency_responsible.as_deref(),
                );
                el(&mut o, "service_notice", r.service_notice.as_deref());
                el(
                    &mut o,
                    "requested_datetime",
                    Some(&iso(&r.requested_datetime)),
                );
                el(&mut o, "updated_datetime", Some(&iso(&r.updated_datetime)));
                el(
                    &mut o,
                    "expected_datetime",
                    r.expected_datetime.as_ref().map(iso).as_deref(),
                );
                el(&mut o, "address", r.address.as_deref());
                el(&mut o, "address_id", r.address_id.as_deref());
                el(&mut o, "zipcode", r.zipcode.as_deref());
                el(&mut o, "lat", r.lat.map(|v| v.to_string()).as_deref());
                el(&mut o, "long", r.long.map(|v| v.to_string()).as_deref());
                el(&mut o, "media_url", r.media_url.as_deref());
                o.push_str("</request>");
            }
            o.push_str("</service_requests>");
            o
        }
    }
}

/// `GET tokens/{token}` rendered.
#[must_use]
pub fn render_token(token: &str, id: Option<&str>, f: Format) -> String {
    #[derive(Serialize)]
    struct T<'a> {
        service_request_id: Option<&'a str>,
        token: &'a str,
    }
    match f {
        Format::Json => json(&[T {
            service_request_id: id,
            token,
        }]),
        Format::Xml => {
            let mut o = format!("{XML_HEAD}<service_requests><request>");
            el(&mut o, "service_request_id", id);
            el(&mut o, "token", Some(token));
            o.push_str("</request></service_requests>");
            o
        }
    }
}

/// The HTTP status of an error: 404 for an unknown request or token (and a
/// request that only has a token yet), 400 otherwise (an unknown
/// `service_code`, a missing location, a bad field…).
#[must_use]
pub fn error_status(e: &Error) -> u16 {
    match e {
        Error::UnknownRequest(_) | Error::UnknownToken(_) | Error::AwaitingRouting(_) => 404,
        _ => 400,
    }
}

/// An error in the specification's format: `[{"code":400,"description":"…"}]`
/// or `<errors><error><code>400</code><description>…</description></error></errors>`.
#[must_use]
pub fn render_error(code: u16, description: &str, f: Format) -> String {
    #[derive(Serialize)]
    struct E<'a> {
        code: u16,
        description: &'a str,
    }
    match f {
        Format::Json => json(&[E { code, description }]),
        Format::Xml => {
            let mut o = format!("{XML_HEAD}<errors><error>");
            el(&mut o, "code", Some(&code.to_string()));
            el(&mut o, "description", Some(description));
            o.push_str("</error></errors>");
            o
        }
    }
}
