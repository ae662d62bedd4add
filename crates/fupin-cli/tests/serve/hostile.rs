//! Requests no well-behaved client sends: each gets a problem document, never a 5xx, a hang or
//! a crash, and the service goes on answering.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::time::{Duration, Instant};

use super::http::{Server, read_response};

fn still_healthy(server: &Server) {
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn bad_bodies_get_problems_and_the_service_goes_on() {
    let server = Server::start(&["--body-limit", "64KiB"]);

    // Truncated JSON, a complete body.
    let p = server
        .post("/v1/score", r#"{"card": "a", "input": {"unit": "x""#)
        .problem(400);
    assert_eq!(p["errors"][0]["code"], "syntax");

    // A body cut short by the client: fewer bytes than Content-Length, then end of stream.
    let mut s = server.connect();
    s.write_all(
        b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\nConnection: close\r\n\r\n{\"card\": \"a\"",
    )
    .unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    if !rest.is_empty() {
        let text = String::from_utf8_lossy(&rest);
        assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    }

    // Not JSON at all, and not UTF-8.
    server.post("/v1/report", "report please").problem(400);
    server
        .call(
            "POST",
            "/v1/report",
            Some("application/json"),
            &[0xff, 0xfe, b'{'],
        )
        .problem(400);
    server
        .call(
            "POST",
            "/v1/policy/validate",
            Some("application/json"),
            &[0xff, 0xfe],
        )
        .problem(400);

    // Wrong content types.
    let p = server
        .call("POST", "/v1/report", Some("text/plain"), b"{}")
        .problem(415);
    assert!(p["detail"].as_str().unwrap().contains("text/plain"));
    server.call("POST", "/v1/report", None, b"{}").problem(415);
    server
        .call("POST", "/v1/score", Some("application/xml"), b"<score/>")
        .problem(415);

    // Wrong members and types: every one named.
    let p = server
        .post("/v1/score", r#"{"card": "a", "inputs": []}"#)
        .problem(422);
    assert_eq!(p["errors"][0]["code"], "unknown_field");
    let p = server
        .post(
            "/v1/calendar",
            r#"{"from": "2020-02-30", "to": "2020-03-01"}"#,
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "from");
    server.post("/v1/report", "[]").problem(422);
    server.post("/v1/report", "null").problem(422);
    let p = server
        .post("/v1/score", r#"{"card": "z", "input": {"unit": "x"}}"#)
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "card");

    // A float where an exact decimal is expected: refused, with where it is.
    let p = server
        .post(
            "/v1/score",
            r#"{"card": "a", "input": {"unit": "x", "items": {"annual_targets": 72.5}}}"#,
        )
        .problem(422);
    assert!(p["detail"].as_str().unwrap().contains("input"), "{p}");

    // Deep nesting, in the request and inside a sub-document.
    let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    server.post("/v1/report", &deep).problem(422); // not an object
    let deep = format!(
        r#"{{"data": {}{}}}"#,
        "[".repeat(30_000),
        "]".repeat(30_000)
    );
    server.post("/v1/report", &deep).problem(422);
    let deep_in = format!(
        r#"{{"card": "a", "input": {}{}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let p = server.post("/v1/score", &deep_in);
    assert!(p.status == 400 || p.status == 422, "{}", p.text());
    let deep_obj = format!(
        r#"{{"input": {}1{}}}"#,
        r#"{"a":"#.repeat(5_000),
        "}".repeat(5_000)
    );
    let p = server.post("/v1/tasks/check", &deep_obj);
    assert!(p.status == 400 || p.status == 422, "{}", p.text());

    // Huge bodies: announced, and streamed without a length.
    let big = vec![b' '; 200 * 1024];
    server
        .call("POST", "/v1/report", Some("application/json"), &big)
        .problem(413);
    let mut s = server.connect();
    s.write_all(
        b"POST /v1/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, " ".repeat(16 * 1024));
    for _ in 0..8 {
        if s.write_all(chunk.as_bytes()).is_err() {
            break; // the service may close early
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let r = read_response(&mut s);
    assert_eq!(r.status, 413, "{}", r.text());

    // Unknown paths and methods.
    server.get("/v1/nothing").problem(404);
    let p = server.get("/v1/score").problem(405);
    assert!(p["detail"].as_str().unwrap().contains("GET"));
    server.call("DELETE", "/v1/policy", None, b"").problem(405);

    still_healthy(&server);
}

#[test]
fn slow_clients_are_cut_off_and_others_are_served_meanwhile() {
    let server = Server::start(&["--timeout", "1s", "--header-timeout", "1s"]);

    // A body that never finishes: 408 once the timeout passes.
    let mut slow = server.connect();
    slow.write_all(
        b"POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 1000\r\nConnection: close\r\n\r\n{\"card\":",
    )
    .unwrap();
    // Headers that never finish: the connection is closed.
    let mut slower = server.connect();
    slower
        .write_all(b"POST /v1/score HTTP/1.1\r\nHost: x\r\n")
        .unwrap();

    // Meanwhile the service answers others.
    still_healthy(&server);

    let started = Instant::now();
    let r = read_response(&mut slow);
    assert_eq!(r.status, 408, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(20));
    let mut rest = Vec::new();
    let closed = slower.read_to_end(&mut rest);
    assert!(
        closed.is_ok() || rest.is_empty(),
        "the slow-header connection is closed"
    );
    still_healthy(&server);
}
