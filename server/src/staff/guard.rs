//! The staff guard: before any `/staff` page, staff file or staff server function runs, it finds
//! the session, checks that the route's [`Access`] lets it through, checks the CSRF token of
//! every post, marks the answer `no-store`, and hands the caller on ([`StaffCaller`]). Every
//! staff route is listed in [`ACCESS`]; a staff path that is not is refused, so a new route
//! that nobody thought about is closed, not open (and the role × route test names it).

use std::net::SocketAddr;

use axum::{
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use safejdz_app::{
    domain::{
        preferences::Preferences,
        staff::{Role, Stage},
    },
    i18n::translate,
    shell::{session_cookie_header, session_cookie_name},
    staff::{CSRF_FIELD, StaffCaller, StaffPerson},
};

use super::{Staff, sessions::LiveSession, totp::same_bytes};

/// Who may reach a staff route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the login form and its post, signing out.
    Anyone,
    /// A session at one of these stages of the sign-in.
    Stages(&'static [Stage]),
    /// Signed in, whatever the roles.
    SignedIn,
    /// Signed in with this role.
    Role(Role),
    /// Signed in with any of these roles.
    AnyRole(&'static [Role]),
}

/// After the password: the stages at which a person may choose a new one, or read what was
/// made for them to see once.
const SIGNED_IN_OR_NEW_PASSWORD: &[Stage] = &[Stage::NewPassword, Stage::SignedIn];

/// Every staff route, pages and server functions alike (`{id}` is a number).
pub const ACCESS: &[(&str, Access)] = &[
    ("/staff/login", Access::Anyone),
    ("/_rpc/staff/login", Access::Anyone),
    ("/_rpc/staff/logout", Access::Anyone),
    ("/staff/login/code", Access::Stages(&[Stage::SecondFactor])),
    ("/_rpc/staff/code", Access::Stages(&[Stage::SecondFactor])),
    ("/staff/enrol", Access::Stages(&[Stage::Enrol])),
    ("/_rpc/staff/enrolment", Access::Stages(&[Stage::Enrol])),
    ("/_rpc/staff/enrol", Access::Stages(&[Stage::Enrol])),
    ("/staff/recovery-codes", Access::Stages(SIGNED_IN_OR_NEW_PASSWORD)),
    ("/_rpc/staff/flash", Access::Stages(SIGNED_IN_OR_NEW_PASSWORD)),
    ("/staff/password", Access::Stages(SIGNED_IN_OR_NEW_PASSWORD)),
    ("/_rpc/staff/password", Access::Stages(SIGNED_IN_OR_NEW_PASSWORD)),
    ("/staff", Access::SignedIn),
    ("/staff/users", Access::Role(Role::Admin)),
    ("/staff/users/{id}", Access::Role(Role::Admin)),
    ("/_rpc/staff/users", Access::Role(Role::Admin)),
    ("/_rpc/staff/users/add", Access::Role(Role::Admin)),
    ("/_rpc/staff/users/update", Access::Role(Role::Admin)),
    ("/_rpc/staff/users/disable", Access::Role(Role::Admin)),
    ("/_rpc/staff/users/reset-password", Access::Role(Role::Admin)),
    ("/_rpc/staff/users/reset-second-factor", Access::Role(Role::Admin)),
    ("/staff/audit", Access::Role(Role::Admin)),
    ("/staff/audit.csv", Access::Role(Role::Admin)),
    ("/_rpc/staff/audit", Access::Role(Role::Admin)),
    ("/staff/warnings", Access::AnyRole(PUBLISHING)),
    ("/staff/warnings/new", Access::Role(Role::Publisher)),
    ("/staff/warnings/{id}", Access::AnyRole(PUBLISHING)),
    ("/_rpc/staff/warnings", Access::AnyRole(PUBLISHING)),
    ("/_rpc/staff/warnings/sheet", Access::AnyRole(PUBLISHING)),
    ("/_rpc/staff/warnings/compose", Access::AnyRole(PUBLISHING)),
    ("/_rpc/staff/warnings/save", Access::Role(Role::Publisher)),
    ("/_rpc/staff/warnings/submit", Access::Role(Role::Publisher)),
    ("/_rpc/staff/warnings/approve", Access::Role(Role::Approver)),
    ("/_rpc/staff/warnings/reject", Access::Role(Role::Approver)),
    ("/_rpc/staff/warnings/cancel", Access::AnyRole(PUBLISHING)),
    ("/staff/sources", Access::AnyRole(MONITORING)),
    ("/staff/sources/quarantine/{id}", Access::AnyRole(MONITORING)),
    ("/_rpc/staff/sources", Access::AnyRole(MONITORING)),
    ("/_rpc/staff/sources/quarantined", Access::AnyRole(MONITORING)),
    ("/_rpc/staff/sources/reingest", Access::AnyRole(MONITORING)),
    ("/staff/shelters", Access::AnyRole(super::shelter_console::REPORTING)),
    ("/_rpc/staff/shelters", Access::AnyRole(super::shelter_console::REPORTING)),
    ("/_rpc/staff/shelters/report", Access::AnyRole(super::shelter_console::REPORTING)),
    ("/_rpc/staff/shelters/assign", Access::Role(Role::Admin)),
    ("/staff/shelters/import", Access::Role(Role::Admin)),
    (safejdz_app::staff::SHELTER_IMPORT_PATH, Access::Role(Role::Admin)),
    ("/staff/drills", Access::AnyRole(TEACHING)),
    ("/staff/drills/{id}", Access::AnyRole(TEACHING)),
    ("/staff/drills/{id}/results", Access::AnyRole(TEACHING)),
    ("/staff/drills/{id}/results.csv", Access::AnyRole(TEACHING)),
    ("/staff/drills/{id}/stream", Access::AnyRole(TEACHING)),
    ("/staff/drills/record.csv", Access::Role(Role::Admin)),
    ("/_rpc/staff/drills", Access::AnyRole(TEACHING)),
    ("/_rpc/staff/drills/open", Access::AnyRole(TEACHING)),
    ("/_rpc/staff/drills/session", Access::AnyRole(TEACHING)),
    ("/_rpc/staff/drills/act", Access::AnyRole(TEACHING)),
];

/// Who runs class drill sessions (the same list as the drills feature's check).
const TEACHING: &[Role] = &[Role::Teacher, Role::Admin];

/// Who watches the warning sources.
const MONITORING: &[Role] = &[Role::Admin, Role::Publisher, Role::Approver];

/// Who writes and releases warnings.
const PUBLISHING: &[Role] = &[Role::Publisher, Role::Approver];

/// Whether `path` is the guard's to judge.
pub fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/") || path.starts_with("/_rpc/staff/")
}

/// The access rule of `path`, if [`ACCESS`] lists it.
pub fn access_of(path: &str) -> Option<Access> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    ACCESS.iter().find(|(pattern, _)| matches(pattern, path)).map(|(_, access)| *access)
}

fn matches(pattern: &str, path: &str) -> bool {
    let (mut pattern, mut path) = (pattern.split('/'), path.split('/'));
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some("{id}"), Some(segment))
                if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) => {}
            (Some(expected), Some(segment)) if expected == segment => {}
            _ => return false,
        }
    }
}

/// What the guard decided for a session and a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Not at the right stage of the sign-in: go where the session stands.
    GoTo(&'static str),
    /// Signed in without the role.
    Forbidden,
}

/// Judges a session at `stage` holding `roles` against `access`.
pub fn judge(access: Access, stage: Stage, roles: Option<&safejdz_app::domain::staff::Roles>) -> Verdict {
    match access {
        Access::Anyone => Verdict::Pass,
        Access::Stages(stages) if stages.contains(&stage) => Verdict::Pass,
        Access::Stages(_) => Verdict::GoTo(stage.page()),
        Access::SignedIn | Access::Role(_) | Access::AnyRole(_) if stage != Stage::SignedIn => {
            Verdict::GoTo(stage.page())
        }
        Access::SignedIn => Verdict::Pass,
        Access::Role(role) if roles.is_some_and(|roles| roles.contains(role)) => Verdict::Pass,
        Access::Role(_) => Verdict::Forbidden,
        Access::AnyRole(any) if any.iter().any(|role| roles.is_some_and(|roles| roles.contains(*role))) => {
            Verdict::Pass
        }
        Access::AnyRole(_) => Verdict::Forbidden,
    }
}

/// The largest staff form accepted (a warning with its texts in two languages fits many times).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The middleware. Not a staff path: passes untouched.
pub async fn guard(State(staff): State<Staff>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !is_staff_path(&path) {
        return next.run(request).await;
    }
    let lang = {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        Preferences::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE)).lang
    };
    let refuse =
        |status: StatusCode, message: &str| no_store((status, translate(lang, message)).into_response());
    let Some(access) = access_of(&path) else { return refuse(StatusCode::NOT_FOUND, "not-found-heading") };
    let now = Utc::now();
    let address = client_address(&request, staff.settings.trust_forwarded_for);
    let token = cookie(&request, session_cookie_name(staff.settings.cookies));
    let live = match token {
        Some(token) => staff.resolve(&token, now).await,
        None => Ok(None),
    };
    let mut live = match live {
        Ok(live) => live,
        Err(error) => {
            tracing::error!(%error, "reading the staff session failed");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "error-request-failed");
        }
    };
    let is_post = request.method() == Method::POST;
    let wants_page = accepts_html(&request);
    // The login form needs a session before sign-in, for its CSRF token.
    let mut new_cookie = None;
    if live.is_none() && access == Access::Anyone && !is_post {
        match staff.open_session(None, Stage::Anonymous, None, now).await {
            Ok((token, row)) => {
                new_cookie = Some(token);
                live = Some(LiveSession { row, user: None });
            }
            Err(error) => {
                tracing::error!(%error, "starting a staff session failed");
                return refuse(StatusCode::SERVICE_UNAVAILABLE, "error-request-failed");
            }
        }
    }
    let stage = live.as_ref().map_or(Stage::Anonymous, |live| live.row.stage);
    let roles = live.as_ref().and_then(|live| live.user.as_ref()).map(|user| &user.roles);
    match judge(access, stage, roles) {
        Verdict::Pass => {}
        Verdict::GoTo(page) if !is_post || wants_page => {
            let page =
                if live.is_none() && is_post { "/staff/login?error=staff-error-expired" } else { page };
            return no_store(see_other(page));
        }
        Verdict::GoTo(_) => return refuse(StatusCode::FORBIDDEN, "staff-error-signed-out"),
        Verdict::Forbidden => return refuse(StatusCode::FORBIDDEN, "staff-error-forbidden"),
    }
    let (mut parts, body) = request.into_parts();
    let body = if is_post {
        // A register file is larger than any form; only admins get this far with one.
        let limit = if path == safejdz_app::staff::SHELTER_IMPORT_PATH {
            safejdz_app::staff::MAX_REGISTER_BYTES + MAX_FORM_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, "error-request-failed");
        };
        let expected = live.as_ref().map(|live| live.row.csrf_token.as_str()).unwrap_or_default();
        let sent =
            parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned).or_else(
                || match multipart_boundary(&parts.headers) {
                    Some(boundary) => multipart_field(&bytes, &boundary, CSRF_FIELD),
                    None => form_field(&bytes, CSRF_FIELD),
                },
            );
        if live.is_none() && wants_page {
            return no_store(see_other("/staff/login?error=staff-error-expired"));
        }
        if expected.is_empty() || !sent.is_some_and(|sent| same_bytes(sent.as_bytes(), expected.as_bytes())) {
            tracing::warn!(%path, %address, "staff post without this session's CSRF token refused");
            return refuse(StatusCode::FORBIDDEN, "staff-error-csrf");
        }
        Body::from(bytes)
    } else {
        body
    };
    if let Some(live) = &live {
        if new_cookie.is_none()
            && let Err(error) = staff.store.touch_session(&live.row.token_hash, now).await
        {
            tracing::warn!(%error, "recording staff session activity failed");
        }
        parts.extensions.insert(caller_of(live, address));
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(token) = new_cookie
        && let Ok(value) = HeaderValue::from_str(&session_cookie_header(staff.settings.cookies, &token))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    no_store(response)
}

fn caller_of(live: &LiveSession, address: String) -> StaffCaller {
    StaffCaller {
        session_key: live.row.token_hash.clone(),
        address,
        stage: live.row.stage,
        csrf: live.row.csrf_token.clone(),
        person: live.user.as_ref().map(|user| StaffPerson {
            id: user.id,
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            roles: user.roles.clone(),
        }),
    }
}

/// Staff answers hold personal data and one-time secrets: never kept by any cache.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn see_other(location: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

fn accepts_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

fn cookie(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The client's address: the connection's, or behind a trusted proxy the last
/// `X-Forwarded-For` entry (the one the proxy itself added).
pub fn client_address(request: &Request, trust_forwarded_for: bool) -> String {
    client_address_of(request.headers(), request.extensions(), trust_forwarded_for)
}

/// [`client_address`] from a request's parts (a server function has only those).
pub fn client_address_of(
    headers: &http::HeaderMap,
    extensions: &http::Extensions,
    trust_forwarded_for: bool,
) -> String {
    let forwarded = trust_forwarded_for
        .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|list| list.rsplit(',').next())
        .map(|entry| entry.trim().to_owned())
        .filter(|entry| !entry.is_empty());
    forwarded
        .or_else(|| extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The value of `name` in a form-urlencoded body.
/// The boundary of a `multipart/form-data` body, when the request has one.
fn multipart_boundary(headers: &http::HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, parameters) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary").then(|| value.trim_matches('"').to_owned())
    })
}

/// The text of the part named `name` in a multipart body (RFC 7578): its headers end at the
/// first blank line, its value at the next delimiter.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("\r\n--{boundary}");
    let wanted = format!("name=\"{name}\"");
    // The first delimiter has no CRLF before it: read the body as if it had one.
    let mut body_with_crlf = b"\r\n".to_vec();
    body_with_crlf.extend_from_slice(body);
    let find = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).position(|w| w == needle);
    let mut rest = &body_with_crlf[..];
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let headers_end = find(rest, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&rest[..headers_end]);
        let value = &rest[headers_end + 4..];
        let value_end = find(value, delimiter.as_bytes())?;
        let is_wanted = headers.lines().any(|line| {
            line.to_ascii_lowercase().starts_with("content-disposition:") && line.contains(&wanted)
        });
        if is_wanted {
            return String::from_utf8(value[..value_end].to_vec()).ok();
        }
    }
    None
}

fn form_field(body: &Bytes, name: &str) -> Option<String> {
    url_decoded_pairs(body).into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

fn url_decoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(text: &[u8]) -> String {
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            match text[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < text.len() => {
                    match std::str::from_utf8(&text[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                    {
                        Some(byte) => {
                            out.push(byte);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&b| b == b'=');
            (decode(halves.next().unwrap_or_default()), decode(halves.next().unwrap_or_default()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use safejdz_app::domain::staff::Roles;

    use super::*;

    #[test]
    fn routes_match_their_patterns_only() {
        assert_eq!(access_of("/staff/users/12"), Some(Access::Role(Role::Admin)));
        assert_eq!(access_of("/staff/users/x"), None);
        assert_eq!(access_of("/staff/"), Some(Access::SignedIn));
        assert_eq!(access_of("/staff/unknown"), None);
        assert!(
            is_staff_path("/staff") && is_staff_path("/_rpc/staff/login") && !is_staff_path("/staffroom")
        );
    }

    #[test]
    fn a_session_passes_only_at_its_stage_and_with_its_roles() {
        let admin = Roles::new([Role::Admin]);
        assert_eq!(judge(Access::Role(Role::Admin), Stage::SignedIn, Some(&admin)), Verdict::Pass);
        assert_eq!(judge(Access::Role(Role::Publisher), Stage::SignedIn, Some(&admin)), Verdict::Forbidden);
        assert_eq!(
            judge(Access::Role(Role::Admin), Stage::SecondFactor, Some(&admin)),
            Verdict::GoTo("/staff/login/code")
        );
        assert_eq!(judge(Access::SignedIn, Stage::Anonymous, None), Verdict::GoTo("/staff/login"));
        assert_eq!(
            judge(Access::Stages(&[Stage::Enrol]), Stage::SignedIn, Some(&admin)),
            Verdict::GoTo("/staff")
        );
    }

    #[test]
    fn form_fields_are_url_decoded() {
        let multipart = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\na+b=\r\n--XyZ\r\n\
            Content-Disposition: form-data; name=\"register\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nid,name\r\n--XyZ--\r\n";
        assert_eq!(multipart_field(multipart, "XyZ", "csrf").as_deref(), Some("a+b="));
        assert_eq!(multipart_field(multipart, "XyZ", "register").as_deref(), Some("id,name"));
        assert_eq!(multipart_field(multipart, "XyZ", "other"), None);
        assert_eq!(multipart_field(b"no parts", "XyZ", "csrf"), None);
        let mut headers = http::HeaderMap::new();
        headers
            .insert(header::CONTENT_TYPE, "multipart/form-data; boundary=\"XyZ\"".parse().expect("a header"));
        assert_eq!(multipart_boundary(&headers).as_deref(), Some("XyZ"));
        let body = Bytes::from_static(b"name=li.wei&csrf=a%2Bb%3D&x=%E7%93%B7+%zz&y");
        assert_eq!(form_field(&body, "csrf").as_deref(), Some("a+b="));
        assert_eq!(form_field(&body, "x").as_deref(), Some("瓷 %zz"));
        assert_eq!(form_field(&body, "y").as_deref(), Some(""));
        assert_eq!(form_field(&body, "missing"), None);
    }
}
