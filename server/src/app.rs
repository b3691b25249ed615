//! The state and the operations the handlers need: the ONE module of the
//! server that calls into the core (`mutualis`). The HTTP side
//! ([`crate::http`]) only parses requests into fields and sends back the
//! text these operations render.
//!
//! The request catalogue (categories, competences, territories, the requests
//! waiting for manual routing and what a POST gave beyond the request) is
//! part of the registry, in the store: a POST is one registry command
//! committed in one transaction. A catalogue file given at start-up is
//! imported into a store whose catalogue is empty, never written back.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use mutualis::assets::public::{public_facilities, render_geojson, render_json};
use mutualis::requests::georeport::{
    error_status, render_error, render_requests, render_service_definition, render_services,
    render_token, Format, RequestQuery,
};
use mutualis::requests::routing::RequestCatalogue;
use mutualis::store::Store;
use mutualis::{Error, Mutualis};

/// The device name of the server's store handle (the origin of its events).
pub const DEVICE: &str = "open311-server";
/// The actor of the requests the server records.
pub const ACTOR: &str = "open311";

/// A rendered answer or a refusal: an HTTP status and a text in the
/// requested format.
pub type Answer = (u16, String);

/// The server's state: the store (the registry, its catalogue included).
#[derive(Debug)]
pub struct App {
    store: Store,
    prefix: String,
}

/// A start-up failure, with what to fix.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

fn start_err(what: &str, e: impl std::fmt::Display) -> StartError {
    StartError(format!("{what}: {e}"))
}

impl App {
    /// Opens the store at `store`; when its request catalogue is empty, the
    /// catalogue file is imported into it (as the registry's commands, one
    /// transaction). Request ids are `prefix` followed by a number.
    ///
    /// Errors: the store does not open; its catalogue is empty and the file
    /// does not read or import.
    pub fn open(store: &Path, catalogue: &Path, prefix: &str) -> Result<App, StartError> {
        let mut s = Store::open(store, DEVICE)
            .map_err(|e| start_err(&format!("store {}", store.display()), e))?;
        s.set_actor(ACTOR);
        if s.registry().request_catalogue().is_empty() {
            let text = std::fs::read_to_string(catalogue)
                .map_err(|e| start_err(&format!("catalogue {}", catalogue.display()), e))?;
            s.execute(|m| m.import_request_catalogue(&text))
                .map_err(|e| start_err(&format!("catalogue {}", catalogue.display()), e))?;
        }
        Ok(App {
            store: s,
            prefix: prefix.to_owned(),
        })
    }

    /// Seeds a demo (`--init-demo`): when the store is empty, the Roannais
    /// scenario with a few public facilities and the demo catalogue (see
    /// [`seed_demo_catalogue`]); when the catalogue file does not exist, the
    /// demo catalogue written there too.
    ///
    /// Errors: the scenario or the files cannot be written.
    pub fn init_demo(store: &Path, catalogue: &Path) -> Result<(), StartError> {
        let mut s = Store::open(store, DEVICE)
            .map_err(|e| start_err(&format!("store {}", store.display()), e))?;
        if s.head() == 0 {
            let mut m =
                mutualis_examples::roannais().map_err(|e| start_err("the Roannais scenario", e))?;
            demo_public_facilities(&mut m).map_err(|e| start_err("the public facilities", e))?;
            seed_demo_catalogue(&mut m).map_err(|e| start_err("the demo catalogue", e))?;
            s.adopt(m).map_err(|e| start_err("the store", e))?;
        }
        if !catalogue.exists() {
            let stored = s.registry().request_catalogue();
            let c = if stored.is_empty() {
                demo_catalogue(s.registry()).map_err(|e| start_err("the demo catalogue", e))?
            } else {
                stored.clone()
            };
            write_atomically(catalogue, &c.to_json())
                .map_err(|e| start_err(&format!("catalogue {}", catalogue.display()), e))?;
        }
        Ok(())
    }

    /// `GET services`.
    pub fn services(&self, f: Format) -> Answer {
        (
            200,
            render_services(self.store.registry().request_catalogue(), f),
        )
    }

    /// `GET services/{code}`.
    pub fn service_definition(&self, code: &str, f: Format) -> Answer {
        render_service_definition(self.store.registry().request_catalogue(), code, f)
            .map_or_else(|e| refusal(&e, f), |t| (200, t))
    }

    /// `POST requests`: creates a request from the form's fields (the API
    /// key already checked and removed): one registry command committed to
    /// the store in one transaction (the catalogue's pending requests and
    /// the POST's extra fields are in the store too). A refused POST changes
    /// nothing.
    pub fn create(&mut self, fields: &[(String, String)], f: Format, now: DateTime<Utc>) -> Answer {
        let App { store, prefix } = self;
        match store.execute(|m| m.create_request_from_fields(fields, prefix, now)) {
            Ok(created) => (201, created.render(f)),
            Err(e) => {
                if matches!(
                    e,
                    Error::Storage { .. } | Error::StaleState { .. } | Error::CorruptStore { .. }
                ) {
                    eprintln!("mutualis-server: the store refused a commit: {e}");
                    return (500, render_error(500, "the request could not be saved", f));
                }
                refusal(&e, f)
            }
        }
    }

    /// `GET requests` with its query parameters.
    pub fn requests(&self, params: &[(String, String)], f: Format) -> Answer {
        let m = self.store.registry();
        RequestQuery::from_params(params)
            .and_then(|q| m.request_catalogue().service_requests(m, &q))
            .map_or_else(|e| refusal(&e, f), |list| (200, render_requests(&list, f)))
    }

    /// `GET requests/{id}`: a list of one request; 404 when unknown.
    pub fn request(&self, id: &str, f: Format) -> Answer {
        let m = self.store.registry();
        let q = RequestQuery {
            service_request_id: Some(id.to_owned()),
            extensions: true,
            ..RequestQuery::default()
        };
        match m.request_catalogue().service_requests(m, &q) {
            Ok(list) if list.iter().any(|r| r.service_request_id == id) => {
                let one: Vec<_> = list
                    .into_iter()
                    .filter(|r| r.service_request_id == id)
                    .collect();
                (200, render_requests(&one, f))
            }
            Ok(_) => refusal(&Error::UnknownRequest(id.to_owned()), f),
            Err(e) => refusal(&e, f),
        }
    }

    /// `GET tokens/{token}`.
    pub fn token(&self, token: &str, f: Format) -> Answer {
        let m = self.store.registry();
        m.request_catalogue().token(m, token).map_or_else(
            |e| refusal(&e, f),
            |id| (200, render_token(token, id.as_deref(), f)),
        )
    }

    /// `GET patrimoine.json` (`geojson` false) or `.geojson` (true): the
    /// public facilities in service on `date`.
    pub fn patrimoine(&self, date: NaiveDate, geojson: bool) -> String {
        let list = public_facilities(self.store.registry(), date);
        if geojson {
            render_geojson(&list)
        } else {
            render_json(&list)
        }
    }

    /// How many requests the store holds (recorded for a tenant) and how
    /// many wait for manual routing.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        (
            self.store.registry().requests().len(),
            self.store.registry().request_catalogue().pending().len(),
        )
    }

    /// The sequence of the store's last event (unchanged by a refused POST).
    #[must_use]
    pub fn store_head(&self) -> i64 {
        self.store.head()
    }

    /// The registry (read-only), for tests and benchmarks.
    #[must_use]
    pub fn registry(&self) -> &Mutualis {
        self.store.registry()
    }
}

/// A core error in the specification's error format with its HTTP status.
fn refusal(e: &Error, f: Format) -> Answer {
    let status = error_status(e);
    (status, render_error(status, &e.to_string(), f))
}

/// An error in the specification's format (for the HTTP layer's own
/// refusals: API key, body, route).
#[must_use]
pub fn error(status: u16, description: &str, f: Format) -> Answer {
    (status, render_error(status, description, f))
}

/// `json` / `xml` → the format.
#[must_use]
pub fn format(ext: &str) -> Option<Format> {
    Format::parse(ext).ok()
}

/// Writes a file through a temporary file and a rename, so a crash leaves
/// the old or the new content, never half of one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// The demo catalogue over the Roannais scenario (see
/// [`seed_demo_catalogue`]), as a catalogue file's value.
///
/// Errors: as the catalogue's commands.
pub fn demo_catalogue(m: &Mutualis) -> mutualis::Result<RequestCatalogue> {
    let mut m = m.clone();
    seed_demo_catalogue(&mut m)?;
    Ok(m.request_catalogue().clone())
}

/// Seeds the demo catalogue into the registry: lighting kept by the
/// communes (routed by territory, VILLEREST's given as a polygon), waste and
/// roads of community interest transferred to the agglomeration, and a
/// category with no competence (manual routing).
///
/// Errors: as the catalogue's commands.
pub fn seed_demo_catalogue(m: &mut Mutualis) -> mutualis::Result<()> {
    use mutualis::requests::routing::{CategoryAttribute, Competence, NewCategory};
    m.set_request_agglomeration("AGGLO")?;
    let mut lights = NewCategory::new("VILLEREST", "eclairage", "Éclairage public", Some(5));
    lights.description = "Lampadaire éteint, clignotant ou endommagé".into();
    lights.keywords = vec!["lampadaire".into(), "éclairage".into()];
    lights.group = "Voirie".into();
    m.add_request_category(lights)?;
    let mut waste = NewCategory::new("AGGLO", "dechets", "Déchets et dépôts sauvages", Some(2));
    waste.group = "Propreté".into();
    waste.keywords = vec!["bac".into(), "dépôt".into()];
    waste.attributes = vec![CategoryAttribute {
        code: "VOLUME".into(),
        datatype: "singlevaluelist".into(),
        required: false,
        description: "Quel volume ?".into(),
        order: 1,
        values: vec![
            ("petit".into(), "Moins d'un m³".into()),
            ("grand".into(), "Plus d'un m³".into()),
        ],
    }];
    m.add_request_category(waste)?;
    let mut misc = NewCategory::new("AGGLO", "divers", "Autre demande", None);
    misc.group = "Divers".into();
    m.add_request_category(misc)?;
    m.set_request_competence("eclairage", Competence::Communes)?;
    m.set_request_competence("dechets", Competence::Agglomeration)?;
    m.add_request_territory("VILLEREST", VILLEREST_DEMO_POLYGON)
}

/// A rough VILLEREST territory for the demo (not the real boundary).
pub const VILLEREST_DEMO_POLYGON: &str = r#"{"type":"Polygon","coordinates":[[[4.00,45.98],[4.06,45.98],[4.06,46.02],[4.00,46.02],[4.00,45.98]]]}"#;

/// Publishes two facilities of the scenario (the gymnasium and Mably's
/// park) in Opus Patrimoine; everything else stays private.
///
/// Errors: as [`Mutualis::set_asset_public_info`].
pub fn demo_public_facilities(m: &mut Mutualis) -> mutualis::Result<()> {
    use mutualis::assets::public::{OpeningStatus, PublicInfo};
    use mutualis::GeoPoint;
    m.set_asset_public_info(
        "GYM-COUBERTIN",
        Some(
            &PublicInfo::new(OpeningStatus::Open)
                .with_hours("Mo-Sa 08:00-22:00")
                .with_accessibility("wheelchair", "yes")
                .with_accessibility("toilets_wheelchair", "yes")
                .at_point(GeoPoint {
                    lat: 46.0443,
                    lon: 4.0679,
                }),
        ),
    )?;
    m.set_asset_public_info(
        "EV-PARC-MABLY",
        Some(
            &PublicInfo::new(OpeningStatus::Seasonal)
                .with_hours("Apr-Oct 07:00-21:00")
                .with_accessibility("wheelchair", "limited"),
        ),
    )
}
