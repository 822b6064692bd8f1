//! The error that crosses the server-function wire: it carries a fluent message id, never
//! English text, so the browser shows it in the resident's language.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A UI-facing failure, named by the fluent key of its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message_id}")]
pub struct AppError {
    /// Key in `locales/<lang>/*.ftl`.
    pub message_id: String,
}

impl AppError {
    pub fn new(message_id: &str) -> Self {
        AppError { message_id: message_id.to_owned() }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // Transport and codec failures are all the same to a resident: try again.
        leptos::logging::warn!("server function failed: {value}");
        AppError::new("error-request-failed")
    }
}
