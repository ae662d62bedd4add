//! # fupin-server — the rules of 朝财农〔2020〕67号 over HTTP
//!
//! `fupin serve` starts this service: JSON in, the command's JSON out — byte for byte, because
//! both build their documents with [`fupin_ops`] — for every area of the plan, plus an
//! Arrow IPC endpoint for large batches of scores, `/openapi.json`, a docs page and `/healthz`.
//!
//! At `/` it serves the web page finance officers use (static files compiled in, nothing from
//! elsewhere): the report, bulletin and score endpoints also read the officer's files uploaded as
//! `multipart/form-data` — workbooks by `fupin-xlsx`, CSV in UTF-8 or GBK — and answer with the
//! page's [`view`] (`?view=zh|en`) or a workbook (`Accept:` the xlsx media type).
//!
//! The service is stateless: policies are read at start (the embedded 2020 plan, and the files
//! of `--policy-dir` by name) and every request carries all it needs, so any number of replicas
//! behind any load balancer give the same answers.
//!
//! Operability: a body limit and a timeout per request, a header-read timeout against slow
//! clients, graceful shutdown on SIGTERM or Ctrl-C with a deadline, a request id on every
//! response and log line, structured logs (text or JSON), and errors as RFC 9457 problem
//! details from one place ([`problems`]), panics included.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod chart;
mod docs;
mod forms;
pub mod openapi;
mod problems;
mod routes;
mod state;
mod table;
pub mod view;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

pub use state::{AppState, load_policy_dir};

/// Default request body limit: 64 MiB (a 100,000-unit Arrow batch of card A is about 20 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Default time a request may take, from its first byte to its response: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a client has to send a request's headers: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time open requests have to finish after SIGTERM: 10 s.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body accepted, in bytes (larger: 413).
    pub body_limit: usize,
    /// Longest a request may take (longer: 408).
    pub timeout: Duration,
    /// Longest a client may take to send a request's headers (longer: the connection closes).
    pub header_timeout: Duration,
    /// How long open requests may run on after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// The whole service as a router: every route and every layer.
pub fn app(state: Arc<AppState>, config: &Config) -> Router {
    routes::router(state, config)
}

/// Serve `app` on `listener` until `shutdown` completes, then let open requests finish for at
/// most `config.shutdown_grace`.
///
/// HTTP/1.1 with keep-alive; headers must arrive within `config.header_timeout`.
///
/// # Errors
/// None in practice: a failed accept is logged and retried.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    config: &Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service =
            TowerToHyperService::new(app.clone().map_request(
                |r: hyper::Request<hyper::body::Incoming>| r.map(axum::body::Body::new),
            ));
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout)
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!(
        grace_secs = config.shutdown_grace.as_secs_f64(),
        "shutting down: no new connections; open requests may finish"
    );
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(config.shutdown_grace) => {
            tracing::warn!("shutdown deadline passed: closing the connections still open");
        }
    }
    Ok(())
}

/// Bind `addr`, log the address actually bound (`listening on http://127.0.0.1:PORT`, also for
/// port 0), and serve until `shutdown`.
///
/// # Errors
/// The address cannot be bound.
pub async fn run(
    addr: SocketAddr,
    state: AppState,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let listener = bind(addr).await?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    tracing::info!(
        policies = state.named().len(),
        body_limit = config.body_limit,
        timeout_ms = u64::try_from(config.timeout.as_millis()).unwrap_or(u64::MAX),
        "listening on http://{local}"
    );
    let app = app(Arc::new(state), &config);
    serve(listener, app, &config, shutdown)
        .await
        .map_err(|e| format!("the service stopped: {e}"))
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
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
        () = ctrl_c => tracing::info!("Ctrl-C received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}

/// Log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line (for log collectors).
    Json,
}

/// Install the global logger: `filter` is an `EnvFilter` directive (`info`, `fupin_server=debug`).
///
/// # Errors
/// A bad filter directive, or a logger already installed.
pub fn init_logging(format: LogFormat, filter: &str) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .map_err(|e| format!("bad log filter `{filter}`: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    let done = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    done.map_err(|e| format!("cannot install the logger: {e}"))
}

/// Bind `addr`, naming it in the error.
///
/// # Errors
/// The address is taken or not allowed.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}
