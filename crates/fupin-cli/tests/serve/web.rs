//! The page and its uploads: the page's files served from the binary (nothing from elsewhere),
//! an uploaded workbook read exactly as the command reads the file — the same JSON, the same
//! workbook to the byte, the same table cells in the page's view — and a bad cell named.

use crate::http::{Server, example, fupin};

const BOUNDARY: &str = "fupin-test-boundary-7c1e";

/// A `multipart/form-data` body: `(name, file name if a file, bytes)`.
fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload(
    server: &Server,
    path: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> crate::http::Response {
    server.call(
        "POST",
        path,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        &form(parts),
    )
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(example(name)).unwrap()
}

fn june_form(ledger: &[u8]) -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    vec![
        ("ledger", Some("ledger_2020.xlsx"), ledger.to_vec()),
        ("month", None, b"2020-06".to_vec()),
        (
            "schedule",
            Some("schedule_example.toml"),
            read("schedule_example.toml"),
        ),
    ]
}

#[allow(clippy::type_complexity)]
fn parts<'a>(
    v: &'a [(&'static str, Option<&'static str>, Vec<u8>)],
) -> Vec<(&'static str, Option<&'static str>, &'a [u8])> {
    v.iter().map(|(n, f, b)| (*n, *f, b.as_slice())).collect()
}

#[test]
fn the_page_and_its_files_come_from_the_binary() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<script src=\"/app.js\"") && html.contains("/app.css"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from elsewhere"
    );
    for (path, ty) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let r = server.get(path);
        assert_eq!(r.status, 200);
        assert!(r.header("content-type").unwrap().starts_with(ty));
        assert!(
            !r.text().contains("https://"),
            "{path} fetches nothing from elsewhere"
        );
    }
    assert_eq!(
        server.get("/examples/ledger_2020.xlsx").body,
        read("ledger_2020.xlsx")
    );
    assert_eq!(server.get("/examples/none.xlsx").status, 404);
    assert_eq!(server.get("/docs").status, 200);
}

#[test]
fn an_uploaded_workbook_gives_the_commands_json_view_and_workbook() {
    let server = Server::start(&[]);
    let form = june_form(&read("ledger_2020.xlsx"));
    let cli_args = [
        "spending",
        "bulletin",
        "--ledger",
        &example("ledger_2020.xlsx"),
        "--month",
        "2020-06",
        "--schedule",
        &example("schedule_example.toml"),
    ];
    let json = upload(&server, "/v1/spending/bulletin", &parts(&form));
    assert_eq!(json.status, 200, "{}", json.text());
    let mut args = cli_args.to_vec();
    args.extend(["--format", "json"]);
    assert_eq!(json.text(), String::from_utf8(fupin(&args).stdout).unwrap());

    // The workbook: the same bytes as the command's.
    let xlsx = upload(
        &server,
        "/v1/spending/bulletin?format=xlsx&lang=en",
        &parts(&form),
    );
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(
        xlsx.header("content-disposition")
            .unwrap()
            .contains("bulletin-2020-06.xlsx")
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.xlsx");
    let mut args = cli_args.to_vec();
    args.extend([
        "--lang",
        "en",
        "--format",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(fupin(&args).status.code(), Some(0));
    assert!(
        xlsx.body == std::fs::read(&out).unwrap(),
        "the service's workbook is the command's"
    );

    // The page's view: the document, and the table's cells as the command prints them.
    let view = upload(&server, "/v1/spending/bulletin?view=zh", &parts(&form)).json();
    assert_eq!(view["document"], json.json());
    let text = String::from_utf8(fupin(&cli_args).stdout).unwrap();
    let table = &view["view"]["sections"][0]["tables"][0];
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for row in rows {
        let cells: Vec<&str> = row["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let line = text.lines().find(|l| l.contains(cells[1])).unwrap();
        for c in cells.iter().filter(|c| !c.is_empty()) {
            assert!(line.contains(c), "{c} not in {line}");
        }
    }
    let behind: Vec<&str> = rows
        .iter()
        .filter(|r| r["flag"] == "behind")
        .map(|r| r["cells"][1].as_str().unwrap())
        .collect();
    assert_eq!(behind, ["建平县", "北票市", "龙城区"]);
    assert!(view["view"]["chart"].as_str().unwrap().starts_with("<svg"));
}

#[test]
fn a_bad_upload_names_the_sheet_cell_and_value() {
    let server = Server::start(&[]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("六月").unwrap();
    for (col, h) in (0_u16..).zip(["月份", "县(市)区", "下达（万元）", "支出（万元）"])
    {
        ws.write_string(0, col, h).unwrap();
    }
    ws.write_string(1, 0, "2020-06").unwrap();
    ws.write_string(1, 1, "建平县").unwrap();
    ws.write_string(1, 2, "lots").unwrap();
    ws.write_number(1, 3, 1.0).unwrap();
    let form = june_form(&book.save_to_buffer().unwrap());
    let r = upload(&server, "/v1/spending/bulletin?view=zh", &parts(&form));
    let p = r.problem(422);
    assert_eq!(p["errors"][0]["path"], "ledger.六月!C2");
    assert_eq!(p["errors"][0]["value"], "lots");
    assert_eq!(p["errors"][0]["code"], "invalid_amount");
    // A form without its ledger says so.
    let r = upload(
        &server,
        "/v1/spending/bulletin",
        &[("month", None, b"2020-06")],
    );
    assert_eq!(r.problem(422)["errors"][0]["path"], "ledger");
}

#[test]
fn a_score_sheet_and_county_figures_upload() {
    let server = Server::start(&[]);
    let sheet = read("score_a.xlsx");
    let r = upload(
        &server,
        "/v1/score",
        &[
            ("card", None, b"a"),
            ("input", Some("score_a.xlsx"), &sheet),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let cli = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &example("score_a.xlsx"),
        "--format",
        "json",
    ]);
    assert_eq!(r.text(), String::from_utf8(cli.stdout).unwrap());
    let counties = read("counties_2020.xlsx");
    let v = upload(
        &server,
        "/v1/report?view=en",
        &[("counties", Some("c.xlsx"), &counties)],
    )
    .json();
    let rows = v["view"]["sections"][1]["tables"][0]["rows"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows.iter().filter(|r| r["flag"] == "failed").count(), 2);
}
