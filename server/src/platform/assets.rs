//! Static files of the built site. Files under `/pkg` carry a content hash in their name and
//! are cached for a year; everything is served precompressed (`.br`, `.gz`) when the browser
//! accepts it. A path that is no file falls through to the app's 404 page.

use std::path::Path;

use std::convert::Infallible;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::map_response,
    response::Response,
};
use safejdz_app::shell::SiteAssets;
use tower::Service;
use tower_http::services::ServeDir;

/// Name of the manifest the site build writes into the site root.
pub const MANIFEST_FILE: &str = "asset-manifest.json";

/// Reads the hashed asset names; without a built site the unhashed defaults stand (tests).
pub fn load_manifest(site_root: &Path) -> SiteAssets {
    let path = site_root.join(MANIFEST_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::error!(path = %path.display(), %error, "asset manifest is unreadable; pages will lack CSS and WASM");
            SiteAssets::default()
        }),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "no asset manifest: build the site first (make site)");
            SiteAssets::default()
        }
    }
}

/// `/pkg/*` (immutable, hashed) and the public files under `site_root`, falling back to
/// `not_found` (the app's 404 page).
pub fn static_files<F>(site_root: &Path, not_found: F) -> Router
where
    F: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    F::Future: Send + 'static,
{
    let hashed = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(not_found.clone());
    let public = ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .not_found_service(not_found);
    Router::new()
        .nest_service("/pkg", Router::new().fallback_service(hashed).layer(map_response(cache_for_a_year)))
        .fallback_service(Router::new().fallback_service(public).layer(map_response(cache_for_an_hour)))
}

/// Hashed files never change under their name. Only successes are cached: a 404 must not stick.
async fn cache_for_a_year(response: Response) -> Response {
    cache_if_found(response, "public, max-age=31536000, immutable")
}

/// Public files (favicon, robots.txt) keep their names across releases: cache them briefly.
async fn cache_for_an_hour(response: Response) -> Response {
    cache_if_found(response, "public, max-age=3600")
}

fn cache_if_found(mut response: Response, policy: &'static str) -> Response {
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
