//! The server's one typed configuration: defaults, overlaid by an optional TOML file
//! (`--config FILE`), overlaid by `SAFEJDZ_*` environment variables. Unknown keys are errors
//! that name the key, so a typo never silently runs the server with a default.
//!
//! Every key is documented in docs/CONFIG.md; a test keeps that page and this struct in step.

use std::{fmt, net::SocketAddr, path::PathBuf, sync::Arc};

use serde::{Deserialize, Deserializer};

pub use crate::platform::{
    secret::{DatabaseUrl, Secret},
    store::redact_url_password,
    telemetry::LogFormat,
};
use crate::warnings::signatures::{SignatureRules, SourceRule, TrustStore, signing::MessageSigner};

/// Prefix of the environment variables that configure the server.
pub const ENV_PREFIX: &str = "SAFEJDZ_";

/// Why a configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("environment: {message}")]
    Env { message: String },
    #[error("environment variable {name} is not valid UTF-8")]
    NotUnicode { name: String },
    #[error("sources and gateways: {0}")]
    Sources(String),
    #[error("web push: {0}")]
    WebPush(String),
    #[error("staff sessions: {0}")]
    Staff(String),
    #[error("shelters: {0}")]
    Shelters(String),
    #[error("campaigns: {0}")]
    Campaigns(String),
}

/// The effective configuration. See docs/CONFIG.md for every key. Secrets show as `***` in
/// `Debug` (`safejdz config`), and database URLs without their password.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// Directory for the embedded SQLite database and other state; created when missing.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL, `sqlite://…` for another SQLite file; empty: SQLite in `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    /// Directory of the built site (`pkg/` with hashed CSS/JS/WASM, and the public files).
    pub site_root: PathBuf,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// tracing filter directive, e.g. `info` or `safejdz=debug,tower_http=info`.
    pub log_filter: String,
    /// Seconds to let in-flight requests finish after SIGTERM/SIGINT.
    #[serde(deserialize_with = "number_from_string_or_number")]
    pub shutdown_grace_seconds: u64,
    /// Bearer token of the push source named `push` (`POST /api/v1/cap`); unset: no push.
    pub push_token: Option<Secret>,
    /// The address residents and other systems reach this server at (for absolute links in
    /// feeds and notifications).
    pub public_url: String,
    /// Hours a warning stays in force when its message gives no `expires`.
    #[serde(deserialize_with = "number_from_string_or_number")]
    pub default_alert_lifetime_hours: u64,
    /// The named sources of CAP messages (`[[sources]]` in the file; see docs/CONFIG.md).
    pub sources: Vec<crate::warnings::sources::SourceConfig>,
    /// Operator gateways (SMS, WeChat, broadcast) that receive every warning as signed JSON
    /// (`[[gateways]]` in the file; see docs/CONFIG.md).
    pub gateways: Vec<crate::notify::gateways::GatewayConfig>,
    /// Web Push: the server's VAPID private key (base64url, from `safejdz vapid-keys`); unset:
    /// no notifications with the app closed (the pages and the stream still work).
    pub vapid_private_key: Option<Secret>,
    /// Web Push: how push services reach the operator (`mailto:` or `https:`); required with
    /// `vapid_private_key`.
    pub vapid_subject: Option<String>,
    /// Web Push: origins of the push services browsers may subscribe through (`https://*.x`
    /// matches subdomains). The default lists Google's, Mozilla's, Apple's and Microsoft's.
    pub push_services: Vec<String>,
    /// Each source's signature policy with its trusted certificates, read from `sources` at load.
    #[serde(skip)]
    pub signature_rules: SignatureRules,
    /// CAP severity given to each colour level when a sender gives only the colour
    /// (`[colour_severity]` in the file).
    pub colour_severity: safejdz_app::domain::cap::ColourMapping,
    /// Minutes a staff session lives without a request.
    #[serde(deserialize_with = "number_from_string_or_number")]
    pub staff_idle_minutes: u64,
    /// Hours a staff session lives at most, however busy.
    #[serde(deserialize_with = "number_from_string_or_number")]
    pub staff_session_hours: u64,
    /// Hours after which a shelter's last reported state is shown as possibly out of date.
    #[serde(deserialize_with = "number_from_string_or_number")]
    pub shelter_stale_hours: u64,
    /// The library's campaigns beyond the national days it knows (`[[campaigns]]` in the file;
    /// see docs/CONFIG.md): dates, names in both languages, and the articles to show.
    pub campaigns: Vec<safejdz_app::domain::campaigns::Campaign>,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a reverse proxy
    /// that sets it); otherwise the connection's address.
    #[serde(deserialize_with = "bool_from_string_or_bool")]
    pub trust_forwarded_for: bool,
    /// GB/T 35965.1's 14-digit code of the unit that issues the console's warnings.
    pub warning_unit_code: String,
    /// CAP `sender` of the console's warnings.
    pub warning_sender: String,
    /// `senderName` of the console's warnings, in Chinese and in English.
    pub warning_sender_name: String,
    pub warning_sender_name_en: String,
    /// PEM private key (RSA, or ECDSA P-256; PKCS#8, PKCS#1 or SEC1) that signs the console's
    /// warnings; unset: they go unsigned.
    pub console_signing_key: Option<PathBuf>,
    /// PEM certificate of `console_signing_key`, carried in every signature.
    pub console_signing_certificate: Option<PathBuf>,
    /// The signer read from those two files at load.
    #[serde(skip)]
    pub console_signer: Option<Arc<MessageSigner>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            site_root: PathBuf::from("./target/site"),
            log_format: LogFormat::Text,
            log_filter: "info".into(),
            shutdown_grace_seconds: 10,
            push_token: None,
            public_url: "http://127.0.0.1:3000".into(),
            default_alert_lifetime_hours: 24,
            sources: Vec::new(),
            gateways: Vec::new(),
            signature_rules: SignatureRules::default(),
            vapid_private_key: None,
            vapid_subject: None,
            push_services: crate::notify::webpush::DEFAULT_PUSH_SERVICES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            colour_severity: safejdz_app::domain::cap::ColourMapping::default(),
            staff_idle_minutes: 30,
            staff_session_hours: 12,
            shelter_stale_hours: 6,
            campaigns: Vec::new(),
            trust_forwarded_for: false,
            warning_unit_code: "36020000000000".into(),
            warning_sender: "safejdz-console@jingdezhen.invalid".into(),
            warning_sender_name: "景德镇市应急管理局".into(),
            warning_sender_name_en: "Jingdezhen Emergency Management Bureau".into(),
            console_signing_key: None,
            console_signing_certificate: None,
            console_signer: None,
        }
    }
}

impl Config {
    /// Reads the configuration: defaults ← `file` (TOML) ← `env` (`SAFEJDZ_*` pairs).
    pub fn load(
        file: Option<&std::path::Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
                let table: toml::Table = toml::from_str(&text)
                    .map_err(|e| ConfigError::File { path: path.to_owned(), message: e.to_string() })?;
                // Validate the file alone first, so its errors name the file, not the environment.
                Config::deserialize(toml::Value::Table(table.clone()))
                    .map_err(|e| ConfigError::File { path: path.to_owned(), message: e.to_string() })?;
                table
            }
            None => toml::Table::new(),
        };
        for (name, value) in env {
            if let Some(key) = name.strip_prefix(ENV_PREFIX) {
                table.insert(key.to_ascii_lowercase(), toml::Value::String(value));
            }
        }
        let config = Config::deserialize(toml::Value::Table(table))
            .map_err(|e| ConfigError::Env { message: env_names_in(&e.to_string()) })?;
        let mut config = config;
        config.check_sources()?;
        config.check_gateways()?;
        config.check_web_push()?;
        config.check_staff()?;
        config.check_shelters()?;
        config.check_campaigns()?;
        config.signature_rules = config.read_signature_rules()?;
        config.console_signer = config.read_console_signer()?;
        Ok(config)
    }

    /// Staff sessions need room to work in: a zero timeout would sign everyone out at once.
    /// The console's identifiers need a 14-digit unit code.
    fn check_shelters(&self) -> Result<(), ConfigError> {
        if !(1..=168).contains(&self.shelter_stale_hours) {
            return Err(ConfigError::Shelters(format!(
                "shelter_stale_hours ({}) must be from 1 to 168 (a week)",
                self.shelter_stale_hours
            )));
        }
        Ok(())
    }

    /// A configured campaign names both languages, ends after it starts, and shows articles
    /// the library has.
    fn check_campaigns(&self) -> Result<(), ConfigError> {
        let slugs: std::collections::BTreeSet<&str> = crate::learn::articles::FILES
            .iter()
            .filter_map(|(name, _)| name.rsplit('/').next()?.strip_suffix(".md"))
            .collect();
        let problems: Vec<String> = self
            .campaigns
            .iter()
            .flat_map(|campaign| safejdz_app::domain::campaigns::campaign_problems(campaign, &slugs))
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(ConfigError::Campaigns(problems.join("; "))) }
    }

    fn check_staff(&self) -> Result<(), ConfigError> {
        if !safejdz_app::domain::compose::is_unit_code(&self.warning_unit_code) {
            return Err(ConfigError::Staff(format!(
                "warning_unit_code {:?} is not 14 digits (GB/T 35965.1: division, institution, unit, extension)",
                self.warning_unit_code
            )));
        }
        if self.warning_sender.trim().is_empty() || self.warning_sender.contains([' ', ',', '<', '&']) {
            return Err(ConfigError::Staff(format!(
                "warning_sender {:?} must be one word without , < &",
                self.warning_sender
            )));
        }
        if self.staff_idle_minutes == 0 || self.staff_session_hours == 0 {
            return Err(ConfigError::Staff(
                "staff_idle_minutes and staff_session_hours must be at least 1".into(),
            ));
        }
        if self.staff_idle_minutes > self.staff_session_hours * 60 {
            return Err(ConfigError::Staff(format!(
                "staff_idle_minutes ({}) is longer than staff_session_hours ({} h)",
                self.staff_idle_minutes, self.staff_session_hours
            )));
        }
        Ok(())
    }

    /// Every source's signature policy with its trusted certificates read (the files are read
    /// here, at start, so a missing or broken file stops the server with its name).
    fn read_signature_rules(&self) -> Result<SignatureRules, ConfigError> {
        let mut rules = SignatureRules::default();
        for source in &self.sources {
            let trust = TrustStore::from_pem_files(&source.trusted_certificates).map_err(|e| {
                ConfigError::Sources(format!("source {:?}: trusted_certificates: {e}", source.name))
            })?;
            rules
                .insert(&source.name, SourceRule { policy: source.signature_policy, trust: Arc::new(trust) });
        }
        Ok(rules)
    }

    /// The console's signing key and certificate, both or neither; read here, at start, so a
    /// missing, broken or mismatched file stops the server with its name.
    fn read_console_signer(&self) -> Result<Option<Arc<MessageSigner>>, ConfigError> {
        match (&self.console_signing_key, &self.console_signing_certificate) {
            (None, None) => Ok(None),
            (Some(key), Some(certificate)) => MessageSigner::from_pem_files(key, certificate)
                .map(|signer| Some(Arc::new(signer)))
                .map_err(|e| ConfigError::Staff(format!("console signing: {e}"))),
            _ => Err(ConfigError::Staff(
                "console_signing_key and console_signing_certificate go together".into(),
            )),
        }
    }

    /// What each source demands of signatures: the `[[sources]]`' rules, and with a console
    /// signer, the console's own messages must carry its valid signature (a message that lost
    /// it on the way into the ingest is quarantined, not published unsigned).
    pub fn signature_rules(&self) -> SignatureRules {
        let mut rules = self.signature_rules.clone();
        if let Some(signer) = &self.console_signer {
            rules.insert(
                crate::staff::publishing::CONSOLE_SOURCE,
                SourceRule {
                    policy: crate::warnings::signatures::SignaturePolicy::Require,
                    trust: Arc::new(TrustStore::from_certificates(vec![signer.certificate().clone()])),
                },
            );
        }
        rules
    }

    /// The VAPID key and subject are usable together, or both absent.
    fn check_web_push(&self) -> Result<(), ConfigError> {
        match (&self.vapid_private_key, &self.vapid_subject) {
            (None, _) => Ok(()),
            (Some(_), None) => {
                Err(ConfigError::WebPush("vapid_subject is required with vapid_private_key".into()))
            }
            (Some(key), Some(subject)) => crate::notify::webpush::vapid::Vapid::new(key.expose(), subject)
                .map(|_| ())
                .map_err(|e| ConfigError::WebPush(e.to_string())),
        }
    }

    /// The Web Push sender, when a VAPID key is configured.
    pub fn web_push_identity(&self) -> Option<crate::notify::webpush::vapid::Vapid> {
        crate::notify::webpush::vapid::Vapid::new(
            self.vapid_private_key.as_ref()?.expose(),
            self.vapid_subject.as_deref()?,
        )
        .ok()
    }

    /// Every gateway is complete and named once.
    fn check_gateways(&self) -> Result<(), ConfigError> {
        let mut names = std::collections::HashSet::new();
        for gateway in &self.gateways {
            if let Some(problem) = gateway.problem() {
                return Err(ConfigError::Sources(problem));
            }
            if !names.insert(gateway.name.clone()) {
                return Err(ConfigError::Sources(format!(
                    "the gateway name {:?} is used twice",
                    gateway.name
                )));
            }
        }
        Ok(())
    }

    /// Every source is complete and named once; `push_token` stands for a source named `push`.
    fn check_sources(&self) -> Result<(), ConfigError> {
        let mut names = std::collections::HashSet::new();
        if self.push_token.as_ref().is_some_and(|t| !t.is_empty()) {
            names.insert(crate::warnings::sources::PUSH_SOURCE.to_owned());
        }
        for source in &self.sources {
            if let Some(problem) = source.problem() {
                return Err(ConfigError::Sources(problem));
            }
            if source.name == crate::staff::publishing::CONSOLE_SOURCE {
                return Err(ConfigError::Sources(
                    "the source name \"console\" is the staff console's own".into(),
                ));
            }
            if !names.insert(source.name.clone()) {
                return Err(ConfigError::Sources(format!(
                    "the name {:?} is used twice (push_token already names a source \"push\")",
                    source.name
                )));
            }
        }
        Ok(())
    }

    /// Who may push CAP messages: `push_token` (source `push`) and every `[[sources]]` of kind
    /// push with its token.
    pub fn push_sources(&self) -> crate::warnings::state::PushSources {
        use crate::warnings::sources::{PUSH_SOURCE, SourceKind};
        let configured =
            self.push_token.iter().map(|token| (PUSH_SOURCE.to_owned(), token.expose().to_owned()));
        let sources = self
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Push)
            .filter_map(|s| Some((s.name.clone(), s.token.as_ref()?.expose().to_owned())));
        crate::warnings::state::PushSources::new(configured.chain(sources))
    }

    /// Every polled source by name with its interval in seconds.
    pub fn poll_intervals(&self) -> Vec<(String, u64)> {
        use crate::warnings::sources::{SourceConfig, SourceKind};
        self.sources
            .iter()
            .filter(|s| s.kind == SourceKind::Poll)
            .map(|s| (s.name.clone(), s.interval_seconds.unwrap_or(SourceConfig::DEFAULT_INTERVAL_SECONDS)))
            .collect()
    }

    /// Reads the configuration from `file` and this process's environment.
    pub fn from_process(file: Option<&std::path::Path>) -> Result<Config, ConfigError> {
        let mut env = Vec::new();
        for (name, value) in std::env::vars_os() {
            let name = name.to_string_lossy().into_owned();
            if name.starts_with(ENV_PREFIX) {
                let value =
                    value.into_string().map_err(|_| ConfigError::NotUnicode { name: name.clone() })?;
                env.push((name, value));
            }
        }
        Config::load(file, env)
    }

    /// Every key, in declaration order, as serde reads them: taken from the struct's own
    /// `Deserialize`, so a new field is a key (and must be documented) without a list to keep.
    pub fn keys() -> &'static [&'static str] {
        struct_fields::<Config>()
    }

    /// How CAP messages are read (colour mapping, size limits).
    pub fn parse_options(&self) -> safejdz_app::domain::cap::ParseOptions {
        safejdz_app::domain::cap::ParseOptions { colours: self.colour_severity, ..Default::default() }
    }

    /// How long a warning without `expires` stays in force.
    pub fn default_alert_lifetime(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::try_from(self.default_alert_lifetime_hours).unwrap_or(24))
    }
}

/// Rewrites serde's "unknown field `foo`" into the variable the operator actually set.
fn env_names_in(message: &str) -> String {
    match message.split_once("unknown field `") {
        Some((_, rest)) => {
            let key = rest.split('`').next().unwrap_or_default();
            format!(
                "unknown variable {ENV_PREFIX}{} (known: {})",
                key.to_ascii_uppercase(),
                known_env_names()
            )
        }
        None => message.to_owned(),
    }
}

fn known_env_names() -> String {
    Config::keys()
        .iter()
        .map(|k| format!("{ENV_PREFIX}{}", k.to_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Environment values are strings; the file may hold a TOML number. Accept both.
fn number_from_string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrString {
        Number(u64),
        String(String),
    }
    match NumberOrString::deserialize(deserializer)? {
        NumberOrString::Number(n) => Ok(n),
        NumberOrString::String(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// Environment values are strings; the file may hold a TOML boolean. Accept both.
fn bool_from_string_or_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrString {
        Bool(bool),
        String(String),
    }
    match BoolOrString::deserialize(deserializer)? {
        BoolOrString::Bool(b) => Ok(b),
        BoolOrString::String(s) => match s.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(serde::de::Error::custom(format!("expected true or false, found {other:?}"))),
        },
    }
}

/// The field names a struct's derived `Deserialize` accepts (serde hands them to
/// `deserialize_struct`; this deserializer keeps them and stops there).
fn struct_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("only the field names were wanted")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }
    struct Fields<'a>(&'a std::cell::Cell<&'static [&'static str]>);
    impl<'de> de::Deserializer<'de> for Fields<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.set(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let fields = std::cell::Cell::new(&[][..]);
    let _ = T::deserialize(Fields(&fields));
    fields.get()
}
