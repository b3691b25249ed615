//! The HTTP side: routes, parsing of forms and query strings, the API key,
//! the body limit, and the answers with their content types. Every call into
//! the core goes through [`crate::app`].

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use http_body_util::BodyExt;
use mutualis::requests::georeport::Format;

use crate::app::{self, Answer, App};

/// What the handlers share: the application behind a mutex (the store is
/// one SQLite handle; commands are short) and the server's settings.
#[derive(Debug)]
pub struct Shared {
    app: Mutex<App>,
    keys: Vec<String>,
    max_body: usize,
}

impl Shared {
    /// The state of a server: the application, the accepted API keys, the
    /// largest POST body accepted (bytes).
    #[must_use]
    pub fn new(app: App, keys: Vec<String>, max_body: usize) -> Shared {
        Shared {
            app: Mutex::new(app),
            keys,
            max_body,
        }
    }

    /// The application (a poisoned lock is taken over: every command leaves
    /// the registry consistent, validated before it changes anything).
    pub fn app(&self) -> MutexGuard<'_, App> {
        self.app
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// True when `key` is one of the accepted API keys (compared in constant
    /// time per key, so the answer's timing does not reveal a prefix).
    fn accepts(&self, key: &str) -> bool {
        self.keys.iter().fold(false, |ok, k| {
            ok | constant_time_eq(k.as_bytes(), key.as_bytes())
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn content_type(f: Format) -> &'static str {
    match f {
        Format::Json => "application/json; charset=utf-8",
        Format::Xml => "text/xml; charset=utf-8",
    }
}

fn respond(a: Answer, f: Format) -> Response {
    text(a.0, content_type(f), a.1)
}

fn text(status: u16, ctype: &'static str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

/// The router of the GeoReport v2 endpoints and Opus Patrimoine, under
/// `base` (`""` or `/`: at the root; else e.g. `/open311/v2`).
pub fn router(shared: Arc<Shared>, base: &str, log: bool) -> Router {
    let mut r = Router::new();
    for f in [Format::Json, Format::Xml] {
        let ext = match f {
            Format::Json => "json",
            Format::Xml => "xml",
        };
        r = r
            .route(
                &format!("/services.{ext}"),
                get(move |s: State<Arc<Shared>>| async move { respond(s.app().services(f), f) }),
            )
            .route(
                &format!("/requests.{ext}"),
                get(move |s: State<Arc<Shared>>, q: RawQuery| get_requests(s, q, f)).post(
                    move |s: State<Arc<Shared>>, h: HeaderMap, b: Body| post_request(s, h, b, f),
                ),
            );
    }
    r = r
        .route("/services/{file}", get(get_service))
        .route("/requests/{file}", get(get_request))
        .route("/tokens/{file}", get(get_token))
        .route(
            "/patrimoine.json",
            get(|s: State<Arc<Shared>>| async move { patrimoine(&s, false) }),
        )
        .route(
            "/patrimoine.geojson",
            get(|s: State<Arc<Shared>>| async move { patrimoine(&s, true) }),
        );
    let base = base.trim_end_matches('/');
    let r = if base.is_empty() {
        r
    } else {
        Router::new().nest(base, r)
    };
    let r = r.fallback(not_found).with_state(shared);
    if log {
        r.layer(middleware::from_fn(log_request))
    } else {
        r
    }
}

/// One line per request on stderr: method, path (never the query string nor
/// the body, which may hold the API key or a citizen's contact), status and
/// time.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let t = Instant::now();
    let res = next.run(req).await;
    eprintln!(
        "{method} {path} {} {:.1} ms",
        res.status().as_u16(),
        t.elapsed().as_secs_f64() * 1e3
    );
    res
}

async fn not_found(req: Request) -> Response {
    let f = if req.uri().path().ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    respond(app::error(404, "no such resource", f), f)
}

/// `name.json` / `name.xml` → (name, format).
fn split_ext(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    Some((name, app::format(ext)?))
}

fn bad_ext() -> Response {
    respond(
        app::error(404, "give the format as .json or .xml", Format::Json),
        Format::Json,
    )
}

async fn get_service(State(s): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    match split_ext(&file) {
        Some((code, f)) => respond(s.app().service_definition(code, f), f),
        None => bad_ext(),
    }
}

async fn get_request(State(s): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    match split_ext(&file) {
        Some((id, f)) => respond(s.app().request(id, f), f),
        None => bad_ext(),
    }
}

async fn get_token(State(s): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    match split_ext(&file) {
        Some((token, f)) => respond(s.app().token(token, f), f),
        None => bad_ext(),
    }
}

fn patrimoine(s: &Shared, geojson: bool) -> Response {
    let body = s.app().patrimoine(Utc::now().date_naive(), geojson);
    let ctype = if geojson {
        "application/geo+json; charset=utf-8"
    } else {
        "application/json; charset=utf-8"
    };
    text(200, ctype, body)
}

async fn get_requests(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery, f: Format) -> Response {
    let params = match parse_form(q.as_deref().unwrap_or("").as_bytes()) {
        Ok(p) => p,
        Err(e) => return respond(app::error(400, &format!("query string: {e}"), f), f),
    };
    respond(s.app().requests(&params, f), f)
}

async fn post_request(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
    f: Format,
) -> Response {
    let too_large = || {
        respond(
            app::error(
                413,
                &format!("the request body exceeds {} bytes", s.max_body),
                f,
            ),
            f,
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > s.max_body.saturating_add(DRAIN_BYTES) as u64) {
        return too_large();
    }
    let Some(bytes) = read_body(body, s.max_body).await else {
        return too_large();
    };
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded");
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let fields = match mime.as_str() {
        "application/x-www-form-urlencoded" => parse_form(&bytes),
        "application/json" => parse_json(&bytes),
        other => Err(format!(
            "{other:?} is not supported: send application/x-www-form-urlencoded"
        )),
    };
    let mut fields = match fields {
        Ok(v) => v,
        Err(e) => return respond(app::error(400, &format!("request body: {e}"), f), f),
    };
    let key = fields
        .iter()
        .position(|(k, _)| k == "api_key")
        .map(|i| fields.remove(i).1);
    match key {
        None => return respond(app::error(400, "api_key was not provided", f), f),
        Some(k) if !s.accepts(&k) => return respond(app::error(403, "invalid api_key", f), f),
        Some(_) => {}
    }
    // the store's commit (SQLite, fsync) blocks: off the async workers
    let now = Utc::now();
    let state = Arc::clone(&s);
    match tokio::task::spawn_blocking(move || state.app().create(&fields, f, now)).await {
        Ok(a) => respond(a, f),
        Err(_) => respond(app::error(500, "the request could not be recorded", f), f),
    }
}

/// How much of an oversized body is read and dropped before answering 413:
/// a client that sent it all then reads the answer (closing a connection
/// with unread data resets it, and the client may lose the answer).
const DRAIN_BYTES: usize = 1 << 20;

/// The body, or `None` when it exceeds `max` bytes (or breaks off).
async fn read_body(body: Body, max: usize) -> Option<Vec<u8>> {
    let mut body = body;
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return None };
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= max {
                out.extend_from_slice(&data);
            } else if seen > max.saturating_add(DRAIN_BYTES) {
                return None;
            }
        }
    }
    (seen <= max).then_some(out)
}

/// Parses `application/x-www-form-urlencoded` (also a query string)
/// strictly: `+` is a space, `%` must be followed by two hex digits, and the
/// decoded text must be UTF-8.
///
/// Errors: a description of what is malformed.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "not UTF-8".to_owned())?;
    let mut out = Vec::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = decode(k)?;
        if k.is_empty() {
            return Err("a field has no name".into());
        }
        out.push((k, decode(v)?));
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                let (Some(h), Some(l)) = (
                    b.get(i + 1).copied().and_then(hex),
                    b.get(i + 2).copied().and_then(hex),
                ) else {
                    return Err(format!("bad percent-encoding in {s:?}"));
                };
                out.push((h * 16 + l) as u8);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
}

/// Parses a JSON object of fields (an extension: the specification posts
/// forms): strings, numbers and booleans as their text; `attribute` may be an
/// object of answers.
fn parse_json(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("a JSON object is expected")?;
    let scalar = |k: &str, v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!("{k:?} must be a string, a number or a boolean")),
    };
    let mut out = Vec::with_capacity(obj.len());
    for (k, v) in obj {
        if v.is_null() {
            continue;
        }
        if let (true, Some(attrs)) = (k == "attribute", v.as_object()) {
            for (a, av) in attrs {
                out.push((format!("attribute[{a}]"), scalar(a, av)?));
            }
        } else {
            out.push((k.clone(), scalar(k, v)?));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_strictly() {
        assert_eq!(
            parse_form(b"a=1&b=x+y%C3%A9&&c").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x yé".into()),
                ("c".into(), String::new())
            ]
        );
        assert!(parse_form(b"a=%zz").is_err());
        assert!(parse_form(b"a=%C3").is_err());
        assert!(parse_form(b"a=%4").is_err());
        assert!(parse_form(&[b'a', b'=', 0xff]).is_err());
        assert!(parse_form(b"=1").is_err());
    }

    #[test]
    fn json_bodies_give_fields() {
        let f = parse_json(br#"{"service_code":"x","lat":46.1,"attribute":{"A":"b"},"n":null}"#)
            .unwrap();
        assert!(f.contains(&("lat".into(), "46.1".into())));
        assert!(f.contains(&("attribute[A]".into(), "b".into())));
        assert_eq!(f.len(), 3);
        assert!(parse_json(b"{").is_err());
        assert!(parse_json(b"[1]").is_err());
        assert!(parse_json(br#"{"a":[1]}"#).is_err());
    }

    #[test]
    fn keys_compare_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
