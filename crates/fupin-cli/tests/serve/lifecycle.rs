//! Starting by flags and environment; logs; stopping on SIGTERM.

use std::io::Write;
use std::time::{Duration, Instant};

use super::http::Server;

#[test]
fn flags_come_from_the_environment_and_logs_carry_the_request_id() {
    let server = Server::start_with_env(
        &[],
        &[("FUPIN_BODY_LIMIT", "1KiB"), ("FUPIN_LOG_FORMAT", "json")],
    );
    let r = server.post("/v1/report", &format!("{{}}{}", " ".repeat(2000)));
    r.problem(413);
    let id = r.header("x-request-id").unwrap().to_owned();
    let ok = server.call("GET", "/healthz", None, b"");
    assert!(ok.header("x-request-id").is_some());
    // A client's own request id is kept.
    let mine = server.raw(
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nx-request-id: client-42\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(mine.header("x-request-id"), Some("client-42"));

    let mut seen = false;
    while let Ok(line) = server.log.recv_timeout(Duration::from_secs(5)) {
        let v: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("a log line is not JSON ({e}): {line}"));
        if v["span"]["request_id"] == id.as_str() {
            assert_eq!(v["status"], 413, "{line}");
            seen = true;
            break;
        }
    }
    assert!(seen, "no log line with request id {id}");
}

#[test]
fn sigterm_lets_open_requests_finish_within_the_grace_period() {
    let mut server = Server::start(&["--shutdown-grace", "2s", "--timeout", "60s"]);
    // A request still sending its body when the signal comes.
    let mut open = server.connect();
    open.write_all(
        b"POST /v1/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 10\r\n\r\n{",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the service did not stop after the grace period"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let mut said_deadline = false;
    while let Ok(line) = server.log.recv_timeout(Duration::from_secs(1)) {
        said_deadline |= line.contains("shutdown deadline passed");
    }
    assert!(
        said_deadline,
        "the log says the deadline closed the open request"
    );
    assert!(std::net::TcpStream::connect(server.addr).is_err());
}
