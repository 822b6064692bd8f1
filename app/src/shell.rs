//! The shell: what every page shares (header, navigation, language switch, demo banner, icons,
//! notices, the 404 page, the preferences of the request). Features use it; it uses no feature.

mod assets;
mod cookies;
mod demo_banner;
mod form_error;
mod header;
mod icons;
mod language_switch;
mod not_found;
mod preferences;
mod section_intro;
mod security;

pub use assets::{BundleAssets, HydrationScript, IslandsBundle, SiteAssets};
pub use cookies::{CookiePolicy, cookie_header, session_cookie_header, session_cookie_name};
#[cfg(feature = "ssr")]
pub use cookies::{set_cookie, set_session_cookie};
pub use demo_banner::{DemoBanner, SiteMode};
pub use form_error::{ERROR_PARAMETER, FormErrorNotice};
pub use header::SiteHeader;
pub use icons::{Icon, IconSvg};
pub use language_switch::{SetLanguage, set_language};
pub use not_found::NotFoundPage;
#[cfg(feature = "ssr")]
pub use preferences::remember_preferences;
pub use preferences::request_preferences;
pub use section_intro::SectionIntro;
pub use security::{PERMISSIONS_POLICY, PagePolicy, content_security_policy};
