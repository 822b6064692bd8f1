//! The staff console under `/staff`: signing in (password, then a one-time code), setting up
//! the second factor, changing the password, the admins' accounts and audit pages, and the
//! publisher console (compose, approve under the two-person rule, cancel). Plain
//! forms, server-rendered, no island: it works without JavaScript like the rest of the site.
//! Residents never sign in; nothing here is linked from their pages.

mod accounts;
mod api;
mod audit;
mod frame;
mod monitor;
mod publishing;
mod publishing_api;
mod sign_in;

pub use accounts::{StaffUserPage, StaffUsersPage};
pub use api::*;
pub use audit::{AUDIT_CSV_PATH, StaffAuditPage};
pub use frame::StaffHomePage;
pub use monitor::*;
pub use publishing::{StaffComposePage, StaffWarningPage, StaffWarningsPage};
pub use publishing_api::*;
pub use sign_in::{StaffCodePage, StaffEnrolPage, StaffLoginPage, StaffPasswordPage, StaffRecoveryCodesPage};
