//! Server-rendered pages and server functions, through leptos_axum: the app with every
//! feature's backend provided as context (this module composes them, as `state` does).

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    extract::State,
    http::{HeaderValue, Request, StatusCode, header},
    middleware::{Next, map_response},
    response::{IntoResponse, Response},
};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use safejdz_app::{App, domain::preferences::Preferences, i18n::translate, shell};

use crate::state::AppState;

/// Routes for every page of the app and every server function (under `/_rpc`).
pub fn routes(state: &AppState) -> Router<AppState> {
    let assets = state.assets.clone();
    let store = state.store.clone();
    let site_mode = state.site_mode;
    let cookies = state.cookie_policy();
    let warnings = state.warnings.page_backend();
    let push = state.push_backend();
    let staff = crate::staff::console::StaffConsole::backend(state.staff.clone());
    let publishing = crate::staff::console::StaffConsole::publishing_backend(state.staff.clone());
    let monitor = crate::staff::console::StaffConsole::monitor_backend(state.staff.clone());
    let shelters =
        crate::shelters::pages::PageShelters::backend(state.store.clone(), state.shelters.stale_after);
    let drills = state.drills.library.clone();
    let learn = crate::learn::pages::LearnPages::backend(state.learn.clone());
    let reading = crate::learn::pages::LearnPages::reading_backend(state.learn.clone());
    let classes = crate::drills::class_console::ClassConsole::backend(
        state.drills.sessions.clone(),
        state.staff.clone(),
        state.config.public_url.clone(),
    );
    let shelter_reports = crate::staff::console::StaffConsole::shelter_reports_backend(state.staff.clone());
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            move || {
                provide_context(store.clone());
                provide_context(site_mode);
                provide_context(cookies);
                provide_context(warnings.clone());
                provide_context(push.clone());
                provide_context(staff.clone());
                provide_context(publishing.clone());
                provide_context(monitor.clone());
                provide_context(shelters.clone());
                provide_context(shelter_reports.clone());
                provide_context(drills.clone());
                provide_context(classes.clone());
                provide_context(learn.clone());
                provide_context(reading.clone());
            },
            move || shell((*assets).clone()),
        )
        .layer(map_response(personal_page_headers))
        .layer(axum::middleware::from_fn(form_post_errors))
        .layer(axum::middleware::from_fn_with_state(
            public_origin(&state.config.public_url),
            refuse_cross_site_posts,
        ))
        .layer(axum::middleware::from_fn_with_state(RENDER_DEADLINE, render_deadline))
}

/// How long a page may take to render. Pages read the database and render in milliseconds; one
/// still rendering after this is stuck, and the resident is better served by a quick 503 (the
/// browser retries, a cached copy may show) than by a connection that never answers.
pub const RENDER_DEADLINE: Duration = Duration::from_secs(20);

/// Answers 503 with `Retry-After` when the page behind it takes longer than `deadline`.
pub async fn render_deadline(
    State(deadline): State<Duration>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let lang = {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        Preferences::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE)).lang
    };
    match tokio::time::timeout(deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%path, seconds = deadline.as_secs_f64(), "page did not render in time; answered 503");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::RETRY_AFTER, "5"),
                    (header::CACHE_CONTROL, "no-store"),
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                ],
                translate(lang, "shell-page-timeout"),
            )
                .into_response()
        }
    }
}

/// `scheme://host[:port]` of the site's public address.
fn public_origin(public_url: &str) -> String {
    let Some((scheme, rest)) = public_url.split_once("://") else { return public_url.to_owned() };
    format!("{scheme}://{}", rest.split('/').next().unwrap_or_default())
}

/// Server functions change state (a resident's cookies, a push subscription; staff forms carry
/// a CSRF token on top): a post that a page of another site made is refused. Browsers say so
/// in `Sec-Fetch-Site`, and in `Origin`, which must then be this site (its public address, or
/// the host the request was sent to). Requests without either (not from a browser page) pass.
pub async fn refuse_cross_site_posts(
    State(public_origin): State<String>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() != axum::http::Method::POST || !request.uri().path().starts_with("/_rpc/") {
        return next.run(request).await;
    }
    let headers = request.headers();
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let cross_site = value("sec-fetch-site").is_some_and(|site| site == "cross-site");
    let foreign_origin = value("origin").is_some_and(|origin| {
        let host = value("host").unwrap_or_default();
        origin != public_origin && origin.split_once("://").map(|(_, h)| h) != Some(host.as_str())
    });
    if cross_site || foreign_origin {
        tracing::warn!(path = %request.uri().path(), "cross-site post to a server function refused");
        return (StatusCode::FORBIDDEN, [(header::CACHE_CONTROL, "no-store")], "cross-site request refused")
            .into_response();
    }
    next.run(request).await
}

/// A plain form post whose server function refused goes back to the page it came from with
/// `?error=<message id>`, so that the page says why in the resident's language
/// (`shell::FormErrorNotice`). leptos_axum sends every form post back to its Referer, the
/// error's JSON unread; only the path of the Referer is kept, so a post never leads off-site.
async fn form_post_errors(request: Request<Body>, next: Next) -> Response {
    let is_form_post = request.method() == axum::http::Method::POST
        && request.uri().path().starts_with("/_rpc/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| referer.parse::<axum::http::Uri>().ok());
    let response = next.run(request).await;
    let refused = response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    let (true, true, Some(back)) = (is_form_post, refused, back) else { return response };
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024).await.unwrap_or_default();
    let message_id = serde_json::from_slice::<safejdz_app::error::AppError>(&body)
        .map(|error| error.message_id)
        .ok()
        .filter(|id| id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        .unwrap_or_else(|| "error-request-failed".to_owned());
    let location = with_error(&back, &message_id);
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/"))]).into_response()
        }
    }
}

/// `back`'s path and query with `error=<message_id>` in place of any earlier one.
fn with_error(back: &axum::http::Uri, message_id: &str) -> String {
    let mut query: Vec<&str> = back
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| {
            !pair.is_empty() && pair.split('=').next() != Some(safejdz_app::shell::ERROR_PARAMETER)
        })
        .collect();
    let error = format!("{}={message_id}", safejdz_app::shell::ERROR_PARAMETER);
    query.push(&error);
    format!("{}?{}", back.path(), query.join("&"))
}

/// Pages depend on the preferences cookie and Accept-Language, and on live data: shared caches
/// must key on both and revalidate every time.
async fn personal_page_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    response
}

/// Renders the app for a path no route knows: the app's 404 page, with status 404.
pub async fn render_not_found(State(state): State<AppState>, request: Request<Body>) -> Response {
    let assets = state.assets.clone();
    let warnings = state.warnings.page_backend();
    let push = state.push_backend();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(state.store.clone());
            provide_context(state.site_mode);
            provide_context(state.cookie_policy());
            provide_context(warnings.clone());
            provide_context(push.clone());
        },
        move || shell((*assets).clone()),
    );
    personal_page_headers(handler(request).await).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_post_goes_back_with_the_error_and_without_an_earlier_one() {
        let back: axum::http::Uri = "http://example.org/?code=360222&error=old".parse().expect("uri");
        assert_eq!(
            super::with_error(&back, "places-error-too-many"),
            "/?code=360222&error=places-error-too-many"
        );
        let plain: axum::http::Uri = "/settings".parse().expect("uri");
        assert_eq!(
            super::with_error(&plain, "notify-error-no-levels"),
            "/settings?error=notify-error-no-levels"
        );
    }

    use axum::{Router, body::Body, http::Request, routing::get};
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_page_that_does_not_render_in_time_answers_503_and_others_pass() {
        let router = Router::new()
            .route("/stuck", get(std::future::pending::<&'static str>))
            .route("/quick", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(Duration::from_millis(50), render_deadline));
        let stuck =
            router.clone().oneshot(Request::get("/stuck").body(Body::empty()).expect("request")).await;
        let stuck = stuck.expect("answers");
        assert_eq!(stuck.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(stuck.headers()[header::RETRY_AFTER], "5");
        let body = axum::body::to_bytes(stuck.into_body(), 1 << 16).await.expect("body");
        assert_eq!(String::from_utf8_lossy(&body), "页面暂时无法显示，请稍后重试。");
        let quick = router.oneshot(Request::get("/quick").body(Body::empty()).expect("request")).await;
        assert_eq!(quick.expect("answers").status(), StatusCode::OK);
    }
}
