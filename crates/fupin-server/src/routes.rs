//! The endpoints, one per area of the plan, and the layers around them.
//!
//! Each handler reads its request ([`fupin_ops::legacy`]), resolves the policy, calls the
//! rules and answers with the document the command prints for the same input
//! ([`fupin_ops::to_json`]). Requests with large bodies run on the blocking pool so that
//! small requests keep their latency.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fupin::Policy;
use fupin::assessment::{ScoreInput, Scorecard};
use fupin::data::PlanData;
use fupin::spending::{AllocationPolicy, Ledger, Schedule, ledger::unit_names};
use fupin_ops::legacy::{
    self as request, AllocationRequest, ApprovalsRequest, BulletinRequest, CalendarRequest,
    PolicyRef, ReportRequest, ScoreRequest, TasksRequest, sub,
};
use fupin_ops::{CalendarDue, CalendarStatus, PolicyValidation, Problem, ProblemKind, to_json};
use serde::Serialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::body::JsonBody;
use crate::problems::{self, ApiError};
use crate::state::{AppState, not_found};
use crate::web::{self, OutputQuery, Payload, Want};
use crate::{Config, docs, forms, view};

type Shared = Arc<AppState>;
type Reply = Result<Response, ApiError>;

/// Bodies larger than this are handled on the blocking pool.
const BLOCKING_ABOVE: usize = 256 * 1024;

/// The router with every route and layer.
pub fn router(state: Shared, config: &Config) -> Router {
    let api = Router::new()
        .route("/healthz", get(healthz))
        .route("/", get(web::index))
        .route("/app.js", get(web::app_js))
        .route("/app.css", get(web::app_css))
        .route("/examples/{name}", get(web::example))
        .route("/docs", get(docs::page))
        .route("/openapi.json", get(openapi))
        .route("/v1/report", post(report))
        .route("/v1/score", post(score))
        .route("/v1/score/table", post(crate::table::handler))
        .route("/v1/tasks/check", post(tasks))
        .route("/v1/spending/bulletin", post(bulletin))
        .route("/v1/spending/allocation", post(allocation))
        .route("/v1/calendar", post(calendar))
        .route("/v1/policy", get(policy_embedded))
        .route("/v1/policies", get(policy_list))
        .route("/v1/policies/{name}", get(policy_named))
        .route("/v1/policy/validate", post(policy_validate))
        .route("/v1/policy/compare", post(policy_compare))
        .route("/v1/approvals/verify", post(approvals_verify))
        .route("/v1/approvals/replay", post(approvals_replay))
        .with_state(state);
    // Outermost first: the request id is set before anything logs, and copied onto the
    // response after the problem middleware has written it.
    api.layer(DefaultBodyLimit::max(config.body_limit))
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(problems::layer))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        request_id = id,
                        method = %req.method(),
                        path = req.uri().path(),
                    )
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                )
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::x_request_id(RequestIds::default()))
}

/// Request ids: a per-process random prefix and a counter (`3f2a9c1e-17`), unique across
/// replicas for practical purposes; a client's own `x-request-id` is kept.
#[derive(Debug, Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let prefix = format!("{:08x}", h.finish() & 0xffff_ffff);
        Self {
            prefix: prefix.into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

fn json(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        text,
    )
        .into_response()
}

/// Run `f` on the body: inline for a small body, on the blocking pool for a large one.
async fn run(
    state: Shared,
    body: Bytes,
    f: fn(&AppState, &[u8]) -> Result<String, Problem>,
) -> Reply {
    let text = if body.len() > BLOCKING_ABOVE {
        tokio::task::spawn_blocking(move || f(&state, &body))
            .await
            .map_err(|e| ApiError(Problem::internal(&format!("the computation failed: {e}"))))?
    } else {
        f(&state, &body)
    }?;
    Ok(json(text))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn healthz() -> Response {
    json(to_json(&Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    }))
}

async fn openapi() -> Response {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    json(TEXT.get_or_init(crate::openapi::text).clone())
}

fn policy_of<'a>(
    s: &'a AppState,
    raw: Option<&serde_json::value::RawValue>,
) -> Result<Cow<'a, Policy>, Problem> {
    s.policy(PolicyRef::read(raw, "policy")?, "policy")
}

fn data_of<'a>(
    s: &'a AppState,
    raw: Option<&serde_json::value::RawValue>,
) -> Result<Cow<'a, PlanData>, Problem> {
    match raw {
        Some(raw) => PlanData::from_json(raw.get())
            .map(Cow::Owned)
            .map_err(|e| sub(e, "data")),
        None => Ok(Cow::Borrowed(s.embedded_data())),
    }
}

fn report_of(s: &AppState, body: &[u8]) -> Result<fupin::report::Report, Problem> {
    let req: ReportRequest = request::parse(body)?;
    let policy = policy_of(s, req.policy.as_deref())?;
    let data = data_of(s, req.data.as_deref())?;
    // Figures of one year judged by another year's thresholds would be misread (as the CLI).
    data.check_year(policy.meta.year)
        .map_err(|e| sub(e, "data"))?;
    fupin::report::report(&policy, &data).map_err(|e| sub(e, "data"))
}

/// `POST /v1/report`: JSON (or a form with a `counties` workbook); the document, the page's
/// view or a workbook (see [`Want`]).
async fn report(
    State(s): State<Shared>,
    Query(q): Query<OutputQuery>,
    headers: HeaderMap,
    payload: Payload,
) -> Reply {
    let want = Want::of(&headers, &q)?;
    web::compute(s, payload, move |s, payload| {
        let r = match payload {
            Payload::Json(body) => report_of(s, body)?,
            Payload::Form(parts) => forms::report_of(s, parts)?,
        };
        web::answer(
            want,
            to_json(&r),
            |lang| view::report(&r, lang),
            |lang| {
                let name = format!(
                    "{}-{}.xlsx",
                    fupin::render::tr(lang, "检查", "report"),
                    r.policy.year
                );
                Ok((fupin_xlsx::write::report(&r, lang)?, name))
            },
        )
    })
    .await
}

fn card_of(policy: &Policy, raw: &serde_json::value::RawValue) -> Result<Scorecard, Problem> {
    let text = raw.get();
    if text.starts_with('"') {
        let id: String =
            serde_json::from_str(text).map_err(|e| Problem::invalid(e.to_string(), vec![]))?;
        return policy.assessment.card(&id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = policy
                .assessment
                .cards
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            let message = format!(
                "`{id}` is not a card of the policy ({}); give a card id or a scorecard object",
                ids.join(", ")
            );
            Problem::invalid(
                message.clone(),
                vec![fupin_ops::problem::field(
                    "unknown_name",
                    "card".to_owned(),
                    Some(id),
                    message,
                )],
            )
        });
    }
    Scorecard::from_json(text).map_err(|e| sub(e, "card"))
}

fn scores_of<'a>(
    s: &'a AppState,
    body: &[u8],
) -> Result<(fupin_ops::output::ScoreOutput, Cow<'a, Policy>), Problem> {
    let req: ScoreRequest = request::parse(body)?;
    let policy = policy_of(s, req.policy.as_deref())?;
    let card = card_of(&policy, &req.card)?;
    let inputs = ScoreInput::many_from_json(req.input.get()).map_err(|e| sub(e, "input"))?;
    let out = fupin_ops::output::score_units(&card, &inputs, !req.fail_fast, "input")?;
    Ok((out, policy))
}

/// `POST /v1/score`: JSON (or a form with a `card` and an `input` workbook); the document, the
/// page's view or a workbook (see [`Want`]).
async fn score(
    State(s): State<Shared>,
    Query(q): Query<OutputQuery>,
    headers: HeaderMap,
    payload: Payload,
) -> Reply {
    let want = Want::of(&headers, &q)?;
    web::compute(s, payload, move |s, payload| {
        let (out, policy) = match payload {
            Payload::Json(body) => scores_of(s, body)?,
            Payload::Form(parts) => forms::scores_of(s, parts)?,
        };
        web::answer(
            want,
            to_json(&out),
            |lang| view::scores(&out, &policy, lang),
            |lang| {
                let refused: Vec<(String, String)> = out
                    .errors
                    .iter()
                    .map(|e| (e.unit.clone(), e.problem.detail.clone()))
                    .collect();
                let bytes = fupin_xlsx::write::scores(
                    &out.reports,
                    &out.ranking,
                    &refused,
                    &policy.meta.source,
                    policy.meta.year,
                    lang,
                )?;
                let name = format!(
                    "{}-{}.xlsx",
                    fupin::render::tr(lang, "考核", "scores"),
                    out.card
                );
                Ok((bytes, name))
            },
        )
    })
    .await
}

async fn tasks(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |s, body| {
        let req: TasksRequest = request::parse(body)?;
        let policy = policy_of(s, req.policy.as_deref())?;
        let input =
            fupin::tasks::TasksInput::from_json(req.input.get()).map_err(|e| sub(e, "input"))?;
        let report = fupin::tasks::check_tasks(&*policy, &input).map_err(|e| sub(e, "input"))?;
        Ok(to_json(&report))
    })
    .await
}

fn ledger_of(
    policy: &Policy,
    data: &PlanData,
    raw: &serde_json::value::RawValue,
) -> Result<Ledger, Problem> {
    let units = unit_names(data);
    let text = raw.get();
    if text.starts_with('"') {
        // The ledger's CSV file as a string, read exactly as the command reads the file.
        let csv: String = serde_json::from_str(text)
            .map_err(|e| Problem::invalid(format!("ledger: {e}"), vec![]))?;
        return Ledger::from_csv(&csv, policy.meta.year, &units).map_err(|e| sub(e, "ledger"));
    }
    Ledger::from_json(text, policy.meta.year, &units).map_err(|e| sub(e, "ledger"))
}

fn schedule_of(
    policy: &Policy,
    raw: Option<&serde_json::value::RawValue>,
) -> Result<Option<Schedule>, Problem> {
    match raw {
        Some(raw) => Schedule::from_json(raw.get())
            .map(Some)
            .map_err(|e| sub(e, "schedule")),
        None => Ok(policy.spending.schedule.clone()),
    }
}

fn bulletin_of<'a>(
    s: &'a AppState,
    body: &[u8],
) -> Result<(fupin::spending::Bulletin, Cow<'a, Policy>), Problem> {
    let req: BulletinRequest = request::parse(body)?;
    let policy = policy_of(s, req.policy.as_deref())?;
    let data = data_of(s, req.data.as_deref())?;
    let ledger = ledger_of(&policy, &data, &req.ledger)?;
    let schedule = schedule_of(&policy, req.schedule.as_deref())?;
    let b = fupin::spending::bulletin::bulletin(&ledger, req.month, schedule.as_ref())
        .map_err(|e| sub(e, "month"))?;
    Ok((b, policy))
}

/// `POST /v1/spending/bulletin`: JSON (or a form with a `ledger` workbook or CSV, a `month` and
/// a `schedule`); the document, the page's view or a workbook (see [`Want`]).
async fn bulletin(
    State(s): State<Shared>,
    Query(q): Query<OutputQuery>,
    headers: HeaderMap,
    payload: Payload,
) -> Reply {
    let want = Want::of(&headers, &q)?;
    web::compute(s, payload, move |s, payload| {
        let (b, policy) = match payload {
            Payload::Json(body) => bulletin_of(s, body)?,
            Payload::Form(parts) => forms::bulletin_of(s, parts)?,
        };
        web::answer(
            want,
            to_json(&b),
            |lang| view::bulletin(&b, &policy, lang),
            |lang| {
                let name = format!(
                    "{}-{}.xlsx",
                    fupin::render::tr(lang, "通报", "bulletin"),
                    b.month
                );
                Ok((fupin_xlsx::write::bulletin(&b, &policy, lang)?, name))
            },
        )
    })
    .await
}

async fn allocation(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |s, body| {
        let req: AllocationRequest = request::parse(body)?;
        let policy = policy_of(s, req.policy.as_deref())?;
        let data = data_of(s, req.data.as_deref())?;
        let ledger = ledger_of(&policy, &data, &req.ledger)?;
        let schedule = schedule_of(&policy, req.schedule.as_deref())?;
        let b = fupin::spending::bulletin::bulletin(&ledger, req.month, schedule.as_ref())
            .map_err(|e| sub(e, "month"))?;
        let params = match &req.params {
            Some(raw) => {
                Some(AllocationPolicy::from_json(raw.get()).map_err(|e| sub(e, "params"))?)
            }
            None => policy.spending.allocation.clone(),
        };
        let base: Vec<_> = req.base.into_iter().map(|w| (w.county, w.base)).collect();
        let plan = fupin::spending::adjust_allocation(&b, &base, req.total, params.as_ref())
            .map_err(|e| sub(e, "base"))?;
        Ok(to_json(&plan))
    })
    .await
}

async fn calendar(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |s, body| {
        let req: CalendarRequest = request::parse(body)?;
        let policy = policy_of(s, req.policy.as_deref())?;
        let cal = &policy.calendar;
        let Some(on) = req.on else {
            if req.done.is_some() {
                return Err(Problem::invalid(
                    "`done` needs `on`: the date to report each obligation's status on",
                    vec![fupin_ops::problem::field(
                        "missing_field",
                        "on".to_owned(),
                        None,
                        "`done` is given without `on`".to_owned(),
                    )],
                ));
            }
            let due =
                fupin::calendar::due_between(cal, req.from, req.to).map_err(|e| sub(e, "from"))?;
            return Ok(to_json(&CalendarDue {
                from: req.from,
                to: req.to,
                obligations: due,
            }));
        };
        let done = req.done.unwrap_or_default();
        let statuses = fupin::calendar::status_on(cal, req.from, req.to, on, &done)
            .map_err(|e| sub(e, "done"))?;
        Ok(to_json(&CalendarStatus::new(
            req.from, req.to, on, statuses,
        )))
    })
    .await
}

fn policy_json(p: &Policy) -> Response {
    let mut text = p.to_json();
    text.push('\n');
    json(text)
}

async fn policy_embedded(State(s): State<Shared>) -> Response {
    policy_json(s.embedded())
}

#[derive(Serialize)]
struct PolicyList<'a> {
    embedded: PolicyEntry<'a>,
    policies: Vec<PolicyEntry<'a>>,
}

#[derive(Serialize)]
struct PolicyEntry<'a> {
    name: &'a str,
    title: &'a str,
    year: i32,
}

async fn policy_list(State(s): State<Shared>) -> Response {
    fn entry<'a>(name: &'a str, p: &'a Policy) -> PolicyEntry<'a> {
        PolicyEntry {
            name,
            title: &p.meta.name,
            year: p.meta.year,
        }
    }
    json(to_json(&PolicyList {
        embedded: entry("", s.embedded()),
        policies: s.named().iter().map(|(n, p)| entry(n, p)).collect(),
    }))
}

async fn policy_named(State(s): State<Shared>, Path(name): Path<String>) -> Reply {
    s.named()
        .get(&name)
        .map(policy_json)
        .ok_or_else(|| ApiError(not_found(format!("no policy named `{name}`"))))
}

async fn policy_validate(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |_, body| {
        let text = std::str::from_utf8(body).map_err(|e| {
            Problem::new(
                ProblemKind::MalformedRequest,
                format!("the body is not UTF-8: {e}"),
            )
        })?;
        let policy = Policy::from_json(text).map_err(|e| Problem::from(fupin::Error::from(e)))?;
        Ok(to_json(&PolicyValidation::new(&policy)))
    })
    .await
}

async fn policy_compare(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |s, body| {
        let req: fupin_ops::legacy::CompareRequest = request::parse(body)?;
        let old = s.policy(PolicyRef::read(req.old.as_deref(), "old")?, "old")?;
        let new = s.policy(PolicyRef::read(req.new.as_deref(), "new")?, "new")?;
        Ok(to_json(&fupin_ops::output::compare_policies(&old, &new)))
    })
    .await
}

async fn approvals_verify(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |_, body| {
        let req: ApprovalsRequest = request::parse(body)?;
        let events = req.read_events()?;
        let registry = req.read_registry()?;
        let policy = Policy::chaoyang_2020();
        let opts = fupin::audit::CheckOptions::new(&policy).maybe_registry(registry.as_ref());
        let out = fupin_ops::output::verify(&events, &opts, req.head.as_deref(), req.lang.into());
        Ok(to_json(&out))
    })
    .await
}

async fn approvals_replay(State(s): State<Shared>, JsonBody(body): JsonBody) -> Reply {
    run(s, body, |_, body| {
        let req: ApprovalsRequest = request::parse(body)?;
        let events = req.read_events()?;
        let registry = req.read_registry()?;
        let policy = Policy::chaoyang_2020();
        let opts = fupin::audit::CheckOptions::new(&policy).maybe_registry(registry.as_ref());
        Ok(to_json(&fupin_ops::output::replay(
            &events,
            &opts,
            true,
            req.lang.into(),
        )))
    })
    .await
}
