//! Conditional answers: an `ETag` from the body and `304 Not Modified` when it matches.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// A body that may be revalidated: an `ETag` from its content and `304 Not Modified` when the
/// client already has it (so polling clients on a bad signal download nothing new).
pub fn cacheable(request: &HeaderMap, body: Vec<u8>, cache_control: &'static str) -> Response {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>());
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == etag || candidate.trim() == "*"));
    let mut response =
        if matches { StatusCode::NOT_MODIFIED.into_response() } else { Response::new(Body::from(body)) };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}
