//! `fupin serve`: the rules over HTTP (see the `fupin-server` crate).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use fupin_server::{AppState, Config, LogFormat};

use crate::common::{CliError, CliResult};

/// Serve every area of the plan over HTTP: JSON in, the command's JSON out (byte for byte),
/// Arrow IPC for large score tables, `/openapi.json`, a docs page at `/` and `/healthz`.
/// Every flag can also be set by its environment variable. Stops on SIGTERM or Ctrl-C, letting
/// open requests finish within --shutdown-grace.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (0.0.0.0 for every interface).
    #[arg(long, env = "FUPIN_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, env = "FUPIN_PORT", default_value_t = 8080)]
    port: u16,
    /// Directory of policies (NAME.toml or NAME.json) that requests may name with
    /// `"policy": "NAME"`; all are validated at start. Without it, requests use the embedded
    /// 2020 plan or a policy given inline.
    #[arg(long, env = "FUPIN_POLICY_DIR", value_name = "DIR")]
    policy_dir: Option<PathBuf>,
    /// Largest request body, e.g. 64MiB, 512KiB, 1000000 (bytes); larger: 413.
    #[arg(long, env = "FUPIN_BODY_LIMIT", default_value = "64MiB", value_parser = parse_size)]
    body_limit: usize,
    /// Longest a request may take, e.g. 30s, 500ms, 2m; longer: 408.
    #[arg(long, env = "FUPIN_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    timeout: Duration,
    /// Longest a client may take to send a request's headers; longer: the connection closes.
    #[arg(long, env = "FUPIN_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    header_timeout: Duration,
    /// How long open requests may run on after SIGTERM or Ctrl-C before the service exits.
    #[arg(long, env = "FUPIN_SHUTDOWN_GRACE", default_value = "10s", value_parser = parse_duration)]
    shutdown_grace: Duration,
    /// Log format: readable lines or one JSON object per line (to standard error).
    #[arg(long, env = "FUPIN_LOG_FORMAT", value_enum, default_value_t = LogFormatArg::Text)]
    log_format: LogFormatArg,
    /// Log filter: a level (error, warn, info, debug) or directives like `fupin_server=debug`.
    #[arg(long, env = "FUPIN_LOG", default_value = "info")]
    log: String,
    /// Worker threads (default: one per core).
    #[arg(long, env = "FUPIN_WORKERS")]
    workers: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormatArg {
    Text,
    Json,
}

/// `64MiB`, `512KiB`, `2MB`, `1000` (bytes).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size: write e.g. 64MiB, 512KiB or 1000000"))?;
    let factor: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" | "k" => 1024,
        "mb" => 1_000_000,
        "mib" | "m" => 1024 * 1024,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1024 * 1024 * 1024,
        other => {
            return Err(format!(
                "`{other}` is not a unit of size: B, KiB, MiB, GiB, KB, MB, GB"
            ));
        }
    };
    n.checked_mul(factor)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{s}`: the size must be above 0 and fit in memory"))
}

/// `30s`, `500ms`, `2m`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a duration: write e.g. 30s, 500ms or 2m"))?;
    let d = match unit.trim() {
        "ms" => Duration::from_millis(n),
        "s" | "" => Duration::from_secs(n),
        "m" | "min" => Duration::from_secs(n.saturating_mul(60)),
        other => return Err(format!("`{other}` is not a unit of time: ms, s or m")),
    };
    if d.is_zero() {
        return Err(format!("`{s}`: the duration must be above 0"));
    }
    Ok(d)
}

/// Run `fupin serve`.
pub fn run(args: &ServeArgs) -> CliResult {
    let format = match args.log_format {
        LogFormatArg::Text => LogFormat::Text,
        LogFormatArg::Json => LogFormat::Json,
    };
    fupin_server::init_logging(format, &args.log).map_err(CliError::input)?;
    let named = match &args.policy_dir {
        Some(dir) => fupin_server::load_policy_dir(dir).map_err(CliError::input)?,
        None => BTreeMap::new(),
    };
    let config = Config {
        body_limit: args.body_limit,
        timeout: args.timeout,
        header_timeout: args.header_timeout,
        shutdown_grace: args.shutdown_grace,
    };
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = args.workers {
        rt.worker_threads(n.max(1));
    }
    let rt = rt
        .enable_all()
        .build()
        .map_err(|e| CliError::input(format!("cannot start the runtime: {e}")))?;
    let addr = SocketAddr::new(args.bind, args.port);
    rt.block_on(fupin_server::run(
        addr,
        AppState::new(named),
        config,
        fupin_server::shutdown_signal(),
    ))
    .map_err(CliError::input)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_binary_and_decimal_units() {
        assert_eq!(parse_size("64MiB"), Ok(64 * 1024 * 1024));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5MiB").is_err());
        assert!(parse_size("12 parsecs").is_err());
    }

    #[test]
    fn durations_read_ms_s_and_minutes() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
