//! The staff console under `/staff`: signing in (password, then a one-time code), setting up
//! the second factor, changing the password, the admins' accounts and audit pages, and the
//! publisher console (compose, approve under the two-person rule, cancel). Plain
//! forms, server-rendered: it works without JavaScript like the rest of the site. One island,
//! drawing a warning's area on the map (`area_drawing`), in the `staff` bundle.
//! Residents never sign in; nothing here is linked from their pages.

mod accounts;
mod api;
mod area_drawing;
mod audit;
mod frame;
mod monitor;
mod publishing;
mod publishing_api;
mod shelter_import;
mod shelter_reports;
mod sign_in;

/// The bundle of the console's islands (`islands-staff`).
pub const STAFF_BUNDLE: &str = "staff";

pub use accounts::{StaffUserPage, StaffUsersPage};
pub use api::*;
pub use audit::{AUDIT_CSV_PATH, StaffAuditPage};
pub use frame::{CsrfField, StaffFrame, StaffHomePage};
pub use monitor::*;
pub use publishing::{StaffComposePage, StaffWarningPage, StaffWarningsPage};
pub use publishing_api::*;
pub use shelter_import::{
    ImportProblemLine, MAX_REGISTER_BYTES, ProblemPlace, SHELTER_IMPORT_PATH, StaffShelterImportPage,
};
#[cfg(feature = "ssr")]
pub use shelter_reports::ShelterReportsBackend;
pub use shelter_reports::{
    ReportLine, ShelterReports, StaffAssignShelter, StaffReportShelter, StaffShelters, StaffSheltersPage,
    VolunteerChoice, staff_assign_shelter, staff_report_shelter, staff_shelters,
};
pub use sign_in::{StaffCodePage, StaffEnrolPage, StaffLoginPage, StaffPasswordPage, StaffRecoveryCodesPage};
