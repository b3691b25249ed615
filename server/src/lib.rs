//! The Open311 GeoReport v2 HTTP server of Mutualis (Opus Services) and the
//! public view of the patrimoine (Opus Patrimoine), on axum and tokio, over
//! the embedded store. The core (`mutualis`) has no HTTP: it renders the
//! specification's JSON and XML; this crate routes, parses and checks.
//!
//! Endpoints (under an optional base path), see `docs/open311.md`:
//! `GET /services.json|xml`, `GET /services/{code}.json|xml`,
//! `GET|POST /requests.json|xml`, `GET /requests/{id}.json|xml`,
//! `GET /tokens/{token}.json|xml`, `GET /patrimoine.json|geojson`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let config = mutualis_server::Config::parse(
//!     ["--store", "roannais.db", "--catalogue", "cat.json", "--api-key", "K"]
//!         .map(String::from),
//! )?;
//! let (listener, shared) = mutualis_server::start(&config).await?;
//! mutualis_server::serve(listener, shared, &config, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

pub mod app;
pub mod http;

pub use app::App;
pub use http::Shared;

/// The default largest POST body: 64 KiB (a request with a long description
/// and a few attributes takes a few KiB; media are given by URL).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;

/// The server's settings, from the command line. Its `Debug` form shows how
/// many API keys there are, never the keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// `--store PATH`: the embedded store (SQLite file).
    pub store: PathBuf,
    /// `--catalogue PATH`: a request catalogue file (JSON), imported into the
    /// store at start-up when the store's catalogue is empty (never written
    /// back: the catalogue lives in the store).
    pub catalogue: PathBuf,
    /// `--api-key KEY` (repeatable), `--api-key-file PATH` (one key a line)
    /// and the `MUTUALIS_API_KEYS` environment variable (comma-separated):
    /// the keys accepted for POST.
    pub api_keys: Vec<String>,
    /// `--listen ADDR` (default `127.0.0.1:8311`; port 0 picks a free one).
    pub listen: String,
    /// `--base PATH`: the base path of every endpoint (default: the root).
    pub base: String,
    /// `--max-body BYTES`: the largest POST body (default 64 KiB).
    pub max_body: usize,
    /// `--id-prefix P`: request ids are P followed by a number (default `DI-`).
    pub prefix: String,
    /// `--init-demo`: seed the Roannais scenario into an empty store and
    /// write a demo catalogue when the file does not exist.
    pub init_demo: bool,
    /// `--quiet`: no request log on stderr.
    pub quiet: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("store", &self.store)
            .field("catalogue", &self.catalogue)
            .field(
                "api_keys",
                &format_args!("[{} hidden]", self.api_keys.len()),
            )
            .field("listen", &self.listen)
            .field("base", &self.base)
            .field("max_body", &self.max_body)
            .field("prefix", &self.prefix)
            .field("init_demo", &self.init_demo)
            .field("quiet", &self.quiet)
            .finish()
    }
}

/// The usage text.
pub const USAGE: &str = "\
usage: mutualis-server --store PATH --catalogue PATH (--api-key KEY | --api-key-file PATH)
                       [--listen 127.0.0.1:8311] [--base /open311/v2] [--max-body BYTES]
                       [--id-prefix DI-] [--init-demo] [--quiet]
  API keys may also come from MUTUALIS_API_KEYS (comma-separated).";

impl Config {
    /// Reads the arguments (without the program name).
    ///
    /// Errors: an unknown option, a missing value or a missing required
    /// option, with the usage.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Config, app::StartError> {
        let bad = |m: String| app::StartError(format!("{m}\n{USAGE}"));
        let mut c = Config {
            store: PathBuf::new(),
            catalogue: PathBuf::new(),
            api_keys: Vec::new(),
            listen: "127.0.0.1:8311".into(),
            base: String::new(),
            max_body: DEFAULT_MAX_BODY,
            prefix: "DI-".into(),
            init_demo: false,
            quiet: false,
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
                _ => (a.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next())
                    .ok_or_else(|| bad(format!("{name} needs a value")))
            };
            match name.as_str() {
                "--store" => c.store = value()?.into(),
                "--catalogue" => c.catalogue = value()?.into(),
                "--api-key" => c.api_keys.push(value()?),
                "--api-key-file" => {
                    let path = value()?;
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| bad(format!("--api-key-file {path}: {e}")))?;
                    c.api_keys.extend(
                        text.lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty() && !l.starts_with('#'))
                            .map(str::to_owned),
                    );
                }
                "--listen" => c.listen = value()?,
                "--base" => c.base = value()?,
                "--max-body" => {
                    let v = value()?;
                    c.max_body =
                        v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                            bad(format!("--max-body {v:?} is not a positive number"))
                        })?;
                }
                "--id-prefix" => c.prefix = value()?,
                "--init-demo" => c.init_demo = true,
                "--quiet" => c.quiet = true,
                "-h" | "--help" => return Err(app::StartError(USAGE.into())),
                other => return Err(bad(format!("unknown option {other:?}"))),
            }
        }
        if let Ok(env) = std::env::var("MUTUALIS_API_KEYS") {
            c.api_keys.extend(
                env.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned),
            );
        }
        if c.store.as_os_str().is_empty() {
            return Err(bad("--store is required".into()));
        }
        if c.catalogue.as_os_str().is_empty() {
            return Err(bad("--catalogue is required".into()));
        }
        if c.api_keys.is_empty() {
            return Err(bad(
                "no API key: give --api-key, --api-key-file or MUTUALIS_API_KEYS".into(),
            ));
        }
        if c.api_keys
            .iter()
            .any(|k| k.chars().any(char::is_whitespace))
        {
            return Err(bad("an API key cannot hold spaces".into()));
        }
        if !c.base.is_empty() && !c.base.starts_with('/') {
            c.base.insert(0, '/');
        }
        Ok(c)
    }
}

/// Opens the store and the catalogue (seeding the demo first with
/// `--init-demo`) and binds the listening socket.
///
/// Errors: as [`App::open`], or the address cannot be bound.
pub async fn start(
    c: &Config,
) -> Result<(tokio::net::TcpListener, Arc<Shared>), Box<dyn std::error::Error + Send + Sync>> {
    if c.init_demo {
        App::init_demo(&c.store, &c.catalogue)?;
    }
    let app = App::open(&c.store, &c.catalogue, &c.prefix)?;
    let listener = tokio::net::TcpListener::bind(&c.listen)
        .await
        .map_err(|e| app::StartError(format!("--listen {}: {e}", c.listen)))?;
    Ok((
        listener,
        Arc::new(Shared::new(app, c.api_keys.clone(), c.max_body)),
    ))
}

/// Serves until `shutdown` completes, then finishes the requests in flight
/// and returns (every POST was committed when it was answered).
///
/// Errors: the listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    c: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = http::router(shared, &c.base, !c.quiet);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_command_line_reads_and_hides_the_keys() {
        let c = Config::parse(args(&[
            "--store",
            "s.db",
            "--catalogue=c.json",
            "--api-key",
            "sekret-1",
            "--api-key",
            "sekret-2",
            "--base",
            "open311",
            "--max-body",
            "1000",
        ]))
        .unwrap();
        assert_eq!(c.api_keys, ["sekret-1", "sekret-2"]);
        assert_eq!(c.catalogue, PathBuf::from("c.json"));
        assert_eq!(c.base, "/open311");
        assert_eq!(c.max_body, 1000);
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("sekret") && dbg.contains("2 hidden"), "{dbg}");
        for bad in [
            &["--store", "s.db", "--catalogue", "c.json"][..],
            &["--catalogue", "c.json", "--api-key", "k"],
            &["--store", "s.db", "--catalogue", "c.json", "--api-key"],
            &[
                "--store",
                "s.db",
                "--catalogue",
                "c.json",
                "--api-key",
                "k",
                "--max-body",
                "0",
            ],
            &[
                "--store",
                "s.db",
                "--catalogue",
                "c.json",
                "--api-key",
                "a b",
            ],
            &[
                "--store",
                "s.db",
                "--catalogue",
                "c.json",
                "--api-key",
                "k",
                "--what",
            ],
        ] {
            let e = Config::parse(args(bad)).unwrap_err();
            assert!(e.0.contains("usage:"), "{bad:?}: {e}");
            assert!(!e.0.contains("sekret"));
        }
    }
}
