//! Server-rendered pages and server functions, through leptos_axum.

use axum::{
    Router,
    body::Body,
    extract::State,
    http::{HeaderValue, Request, header},
    middleware::map_response,
    response::Response,
};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use safejdz_app::{App, shell};

use super::AppState;

/// Routes for every page of the app and every server function (under `/_rpc`).
pub fn routes(state: &AppState) -> Router<AppState> {
    let assets = state.assets.clone();
    let store = state.store.clone();
    let site_mode = state.site_mode;
    let warnings = state.page_warnings();
    let push = state.push_backend();
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            move || {
                provide_context(store.clone());
                provide_context(site_mode);
                provide_context(warnings.clone());
                provide_context(push.clone());
            },
            move || shell((*assets).clone()),
        )
        .layer(map_response(personal_page_headers))
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
    let warnings = state.page_warnings();
    let push = state.push_backend();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(state.store.clone());
            provide_context(state.site_mode);
            provide_context(warnings.clone());
            provide_context(push.clone());
        },
        move || shell((*assets).clone()),
    );
    personal_page_headers(handler(request).await).await
}
