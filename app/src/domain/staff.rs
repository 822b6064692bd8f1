//! Staff of the bureau and its partners: their roles, which of them must prove a second factor,
//! where a sign-in stands, and the rules a new password and a login name must meet. Residents
//! never sign in; everything here is about staff.

use serde::{Deserialize, Serialize};

/// What a member of staff may do. A person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Adds, disables and resets staff; reads the audit log; watches the warning sources.
    Admin,
    /// Writes warnings (an Actual one is released only by an approver).
    Publisher,
    /// Releases the warnings publishers wrote: never their own.
    Approver,
    /// Runs class drill sessions.
    Teacher,
    /// Keeps the state of the shelters assigned to them current.
    Volunteer,
}

impl Role {
    /// Every role, in the order forms and lists show them.
    pub const ALL: [Role; 5] = [Role::Admin, Role::Publisher, Role::Approver, Role::Teacher, Role::Volunteer];

    /// The stored and posted name (`admin`, `publisher`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Publisher => "publisher",
            Role::Approver => "approver",
            Role::Teacher => "teacher",
            Role::Volunteer => "volunteer",
        }
    }

    /// Reads a name as written by [`Role::as_str`] (case-insensitive).
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// Roles that can release, cancel or reshape what residents see, or who may act on other
    /// staff: a stolen password alone must not be enough for them.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Publisher | Role::Approver)
    }
}

/// A set of roles, stored as `admin,publisher`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles(Vec<Role>);

impl Roles {
    /// The roles given, each once, in [`Role::ALL`] order.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Roles {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        Roles(roles)
    }

    /// Reads the stored form; `None` when a name is not a role.
    pub fn parse(stored: &str) -> Option<Roles> {
        stored
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(Role::from_name)
            .collect::<Option<Vec<_>>>()
            .map(Roles::new)
    }

    /// The stored form.
    pub fn to_stored(&self) -> String {
        self.0.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(",")
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// Whoever holds any role that needs it must prove a second factor.
    pub fn need_second_factor(&self) -> bool {
        self.iter().any(Role::needs_second_factor)
    }
}

/// Where a staff session stands. A session exists before sign-in (it carries the login form's
/// CSRF token) and is replaced by a new one, under a new token, once the password is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Nobody has signed in.
    Anonymous,
    /// The password was right; the one-time code is still to come.
    SecondFactor,
    /// The password was right and the account's roles need a second factor it has not set up.
    Enrol,
    /// Signed in with a password that must be replaced first (a new or reset account).
    NewPassword,
    /// Signed in.
    SignedIn,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Anonymous => "anonymous",
            Stage::SecondFactor => "second_factor",
            Stage::Enrol => "enrol",
            Stage::NewPassword => "new_password",
            Stage::SignedIn => "signed_in",
        }
    }

    pub fn from_name(name: &str) -> Option<Stage> {
        [Stage::Anonymous, Stage::SecondFactor, Stage::Enrol, Stage::NewPassword, Stage::SignedIn]
            .into_iter()
            .find(|stage| stage.as_str() == name)
    }

    /// Where a session at this stage goes next.
    pub fn page(self) -> &'static str {
        match self {
            Stage::Anonymous => "/staff/login",
            Stage::SecondFactor => "/staff/login/code",
            Stage::Enrol => "/staff/enrol",
            Stage::NewPassword => "/staff/password",
            Stage::SignedIn => "/staff",
        }
    }

    /// The stage after the password was right, for an account in this state.
    pub fn after_password(roles: &Roles, has_second_factor: bool, must_change_password: bool) -> Stage {
        if has_second_factor {
            Stage::SecondFactor
        } else if roles.need_second_factor() {
            Stage::Enrol
        } else {
            Stage::after_second_factor(must_change_password)
        }
    }

    /// The stage after the second factor was proved (or set up).
    pub fn after_second_factor(must_change_password: bool) -> Stage {
        if must_change_password { Stage::NewPassword } else { Stage::SignedIn }
    }
}

/// The shortest password accepted. Staff passwords guard warnings sent to a city: NIST SP
/// 800-63B asks for at least 8 characters and recommends allowing long passphrases; twelve
/// leaves room for a memorable phrase while making guessing slow.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest (argon2 hashes any length; this bounds the work of one request).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a new password was refused; each is a message in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    SameAsName,
    Mismatch,
}

impl PasswordProblem {
    pub fn message_id(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "staff-error-password-short",
            PasswordProblem::TooLong => "staff-error-password-long",
            PasswordProblem::SameAsName => "staff-error-password-name",
            PasswordProblem::Mismatch => "staff-error-password-mismatch",
        }
    }
}

/// Checks a new password (typed twice) for the account `name`.
pub fn check_new_password(name: &str, password: &str, repeated: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if password != repeated {
        Err(PasswordProblem::Mismatch)
    } else if chars < MIN_PASSWORD_CHARS {
        Err(PasswordProblem::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(PasswordProblem::TooLong)
    } else if password.trim().eq_ignore_ascii_case(name.trim()) {
        Err(PasswordProblem::SameAsName)
    } else {
        Ok(())
    }
}

/// A login name in its stored form: trimmed, lower case, 3 to 32 of `a-z 0-9 . _ -`. `None`
/// when it cannot be one.
pub fn login_name(typed: &str) -> Option<String> {
    let name = typed.trim().to_ascii_lowercase();
    let valid = (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    valid.then_some(name)
}

/// China Standard Time (UTC+8, no daylight saving): how staff read times and dates.
fn china() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `at` as staff read it: `2026-12-01 08:30:05` in China time.
pub fn china_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A span of time, either end open.
pub type TimeSpan = (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>);

/// The span of the China-time days `from` to `to` (`YYYY-MM-DD`, each inclusive, either
/// open): the first instant and the last. `None` for a date that cannot be read.
pub fn china_days(from: Option<&str>, to: Option<&str>) -> Option<TimeSpan> {
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let start = |date: chrono::NaiveDate| {
        date.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(china()).single()).map(|t| t.to_utc())
    };
    let since = match from {
        Some(text) => Some(start(day(text)?)?),
        None => None,
    };
    let until = match to {
        Some(text) => Some(start(day(text)?.succ_opt()?)? - chrono::Duration::milliseconds(1)),
        None => None,
    };
    Some((since, until))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_in_a_fixed_order_and_refuse_unknown_names() {
        let roles = Roles::parse("approver, publisher,approver").expect("roles");
        assert_eq!(roles.to_stored(), "publisher,approver");
        assert!(Roles::parse("publisher,root").is_none());
        assert!(Roles::parse("").expect("empty").is_empty());
    }

    #[test]
    fn only_roles_that_touch_warnings_or_staff_need_a_second_factor() {
        assert!(Roles::new([Role::Teacher, Role::Approver]).need_second_factor());
        assert!(!Roles::new([Role::Teacher, Role::Volunteer]).need_second_factor());
    }

    #[test]
    fn a_sign_in_goes_through_the_second_factor_and_a_forced_new_password() {
        let publisher = Roles::new([Role::Publisher]);
        let teacher = Roles::new([Role::Teacher]);
        assert_eq!(Stage::after_password(&publisher, true, true), Stage::SecondFactor);
        assert_eq!(Stage::after_password(&publisher, false, false), Stage::Enrol);
        assert_eq!(Stage::after_password(&teacher, false, true), Stage::NewPassword);
        assert_eq!(Stage::after_password(&teacher, false, false), Stage::SignedIn);
        assert_eq!(Stage::after_second_factor(true), Stage::NewPassword);
        for stage in
            [Stage::Anonymous, Stage::SecondFactor, Stage::Enrol, Stage::NewPassword, Stage::SignedIn]
        {
            assert_eq!(Stage::from_name(stage.as_str()), Some(stage));
        }
    }

    #[test]
    fn new_passwords_must_be_long_repeated_and_not_the_name() {
        assert_eq!(check_new_password("li.wei", "short", "short"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_new_password("li.wei", "a long passphrase", "a long passphrasf"),
            Err(PasswordProblem::Mismatch)
        );
        assert_eq!(
            check_new_password("li.wei.2026a", "LI.WEI.2026A", "LI.WEI.2026A"),
            Err(PasswordProblem::SameAsName)
        );
        let long = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(check_new_password("li.wei", &long, &long), Err(PasswordProblem::TooLong));
        // Twelve characters, counted as characters, not bytes.
        assert_eq!(
            check_new_password("li.wei", "瓷都平安瓷都平安瓷都平安", "瓷都平安瓷都平安瓷都平安"),
            Ok(())
        );
    }

    #[test]
    fn audit_days_are_china_days() {
        let (since, until) = china_days(Some("2026-12-01"), Some("2026-12-01")).expect("dates");
        assert_eq!(since.expect("since").to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(until.expect("until").to_rfc3339(), "2026-12-01T15:59:59.999+00:00");
        assert_eq!(china_days(None, None), Some((None, None)));
        assert_eq!(china_days(Some("2026-13-01"), None), None);
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T16:00:05Z").expect("time").to_utc();
        assert_eq!(china_time(at), "2026-12-01 00:00:05");
    }

    #[test]
    fn login_names_are_folded_and_limited() {
        assert_eq!(login_name("  Li.Wei "), Some("li.wei".to_owned()));
        assert_eq!(login_name("ab"), None);
        assert_eq!(login_name("li wei"), None);
        assert_eq!(login_name("李伟"), None);
    }
}
