//! Notify: telling devices and other systems of every change to the warnings, as the alert
//! hub (`warnings::hub`) announces it: Web Push to subscribed browsers, signed webhooks to
//! operator gateways. Uses `warnings`; `warnings` never uses it.

pub mod gateways;
pub mod outbox;
pub mod retry;
pub mod webpush;
