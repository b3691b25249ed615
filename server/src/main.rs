//! `mutualis-server`: the Open311 GeoReport v2 server and Opus Patrimoine
//! over the embedded store. See `docs/open311.md`, or run with `--help`.
//!
//!     cargo run -p mutualis-server -- --store roannais.db --catalogue cat.json \
//!         --api-key K --listen 127.0.0.1:8311 --init-demo

#![forbid(unsafe_code)]

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match mutualis_server::Config::parse(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (listener, shared) = match mutualis_server::start(&config).await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("mutualis-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    // the bound address (port 0 picks one): scripts and tests read this line
    match listener.local_addr() {
        Ok(a) => println!("listening on http://{a}{}", config.base),
        Err(e) => {
            eprintln!("mutualis-server: {e}");
            return ExitCode::FAILURE;
        }
    }
    let served = mutualis_server::serve(
        listener,
        shared,
        &config,
        mutualis_server::shutdown_signal(),
    )
    .await;
    match served {
        Ok(()) => {
            eprintln!("mutualis-server: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mutualis-server: {e}");
            ExitCode::FAILURE
        }
    }
}
