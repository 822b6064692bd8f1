//! Configuration: defaults ← TOML file ← `SAFEJDZ_*` environment; unknown keys are named.

use std::{
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use safejdz_server::{
    config::{Config, LogFormat},
    warnings::signatures::SignaturePolicy,
};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn toml_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(text.as_bytes()).expect("write");
    file
}

#[test]
fn defaults_serve_on_localhost_3000_with_data_in_dot_data() {
    let config = Config::load(None, env(&[])).expect("defaults load");
    assert_eq!(config.bind, "127.0.0.1:3000".parse::<SocketAddr>().expect("addr"));
    assert_eq!(config.data_dir, PathBuf::from("./data"));
    assert_eq!(config.database_url, None);
    assert_eq!(config.log_format, LogFormat::Text);
}

#[test]
fn the_environment_overrides_the_file_which_overrides_defaults() {
    let file =
        toml_file("bind = \"0.0.0.0:8080\"\ndata_dir = \"/var/lib/safejdz\"\nshutdown_grace_seconds = 3\n");
    let config =
        Config::load(Some(file.path()), env(&[("SAFEJDZ_BIND", "127.0.0.1:9000"), ("OTHER_VAR", "ignored")]))
            .expect("loads");
    assert_eq!(config.bind.port(), 9000);
    assert_eq!(config.data_dir, PathBuf::from("/var/lib/safejdz"));
    assert_eq!(config.shutdown_grace_seconds, 3);
}

#[test]
fn numbers_and_enums_come_from_environment_strings() {
    let config =
        Config::load(None, env(&[("SAFEJDZ_SHUTDOWN_GRACE_SECONDS", "7"), ("SAFEJDZ_LOG_FORMAT", "json")]))
            .expect("loads");
    assert_eq!(config.shutdown_grace_seconds, 7);
    assert_eq!(config.log_format, LogFormat::Json);
}

#[test]
fn an_unknown_key_in_the_file_is_an_error_naming_the_key_and_the_file() {
    let file = toml_file("bind = \"127.0.0.1:3000\"\ndata_directory = \"/tmp\"\n");
    let message = Config::load(Some(file.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("data_directory"), "{message}");
    assert!(message.contains(&file.path().display().to_string()), "{message}");
}

#[test]
fn an_unknown_environment_variable_is_an_error_naming_the_variable() {
    let message =
        Config::load(None, env(&[("SAFEJDZ_BIN", "127.0.0.1:1")])).expect_err("refused").to_string();
    assert!(message.contains("SAFEJDZ_BIN"), "{message}");
    assert!(message.contains("SAFEJDZ_BIND"), "lists the known names: {message}");
}

#[test]
fn a_bad_value_is_an_error() {
    let message =
        Config::load(None, env(&[("SAFEJDZ_BIND", "not an address")])).expect_err("refused").to_string();
    assert!(message.contains("invalid socket address"), "{message}");
}

#[test]
fn debug_output_hides_the_database_password() {
    let config = Config::load(None, env(&[("SAFEJDZ_DATABASE_URL", "postgres://app:hunter2@db/safejdz")]))
        .expect("loads");
    let shown = format!("{config:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("postgres://app:***@db/safejdz"), "{shown}");
}

#[test]
fn the_keys_are_the_fields_of_the_configuration() {
    let keys = Config::keys();
    for key in ["bind", "data_dir", "vapid_private_key", "vapid_subject", "push_services", "colour_severity"]
    {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert!(!keys.contains(&"signature_rules"), "built from the sources, not a key");
}

#[test]
fn every_key_is_documented_with_its_variable() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/CONFIG.md"))
        .expect("docs/CONFIG.md");
    let signing = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing").join(name).display().to_string()
    };
    let (key_file, certificate_file) = (signing("console-ec-key.pem"), signing("console-ec-cert.pem"));
    let key_then_certificate = format!("{key_file:?}\nconsole_signing_certificate = {certificate_file:?}");
    let certificate_then_key = format!("{certificate_file:?}\nconsole_signing_key = {key_file:?}");
    for key in Config::keys() {
        assert!(doc.contains(&format!("`{key}`")), "docs/CONFIG.md lacks key {key}");
        let var = format!("SAFEJDZ_{}", key.to_ascii_uppercase());
        // Tables and lists (sources, gateways, the colour mapping, push services, campaigns)
        // are file only.
        if !["sources", "gateways", "colour_severity", "push_services", "campaigns"].contains(key) {
            assert!(doc.contains(&var), "docs/CONFIG.md lacks {var}");
        }
        // And each listed key really is one: a file setting it alone loads.
        let value = match *key {
            "bind" => "\"127.0.0.1:1\"",
            "shutdown_grace_seconds" => "1",
            "log_format" => "\"json\"",
            "sources" | "gateways" | "campaigns" => "[]",
            "colour_severity" => "{ red = \"Extreme\", orange = \"Extreme\" }",
            "default_alert_lifetime_hours"
            | "staff_idle_minutes"
            | "staff_session_hours"
            | "shelter_stale_hours" => "24",
            "trust_forwarded_for" => "true",
            "warning_unit_code" => "\"36020000000000\"",
            // A key needs its subject: the two are set together.
            "vapid_private_key" => {
                "\"KtRVmbuyHlomKD8YP22Vhc6Z_eABAEJxXwFhbvLfhuE\"\nvapid_subject = \"mailto:ops@example.org\""
            }
            "vapid_subject" => "\"mailto:ops@example.org\"",
            // A signing key needs its certificate: the two are set together.
            "console_signing_key" => &key_then_certificate,
            "console_signing_certificate" => &certificate_then_key,
            "push_services" => "[\"https://push.example.org\"]",
            _ => "\"x\"",
        };
        let file = toml_file(&format!("{key} = {value}\n"));
        Config::load(Some(file.path()), env(&[]))
            .unwrap_or_else(|e| panic!("key {key} is not accepted: {e}"));
    }
}

#[test]
fn staff_session_limits_are_read_from_the_environment_and_checked() {
    let config = Config::load(
        None,
        env(&[("SAFEJDZ_STAFF_IDLE_MINUTES", "15"), ("SAFEJDZ_TRUST_FORWARDED_FOR", "true")]),
    )
    .expect("loads");
    assert_eq!(
        (config.staff_idle_minutes, config.staff_session_hours, config.trust_forwarded_for),
        (15, 12, true)
    );
    let stale = Config::load(None, env(&[("SAFEJDZ_SHELTER_STALE_HOURS", "3")])).expect("loads");
    assert_eq!(stale.shelter_stale_hours, 3);
    let never = Config::load(None, env(&[("SAFEJDZ_SHELTER_STALE_HOURS", "0")])).expect_err("refused");
    assert!(never.to_string().contains("shelter_stale_hours (0) must be from 1 to 168"), "{never}");
    let zero = Config::load(None, env(&[("SAFEJDZ_STAFF_SESSION_HOURS", "0")])).expect_err("refused");
    assert!(zero.to_string().contains("at least 1"), "{zero}");
    let longer = Config::load(None, env(&[("SAFEJDZ_STAFF_IDLE_MINUTES", "800")])).expect_err("refused");
    assert!(longer.to_string().contains("longer than"), "{longer}");
    let neither = Config::load(None, env(&[("SAFEJDZ_TRUST_FORWARDED_FOR", "yes")])).expect_err("refused");
    assert!(neither.to_string().contains("trust_forwarded_for"), "{neither}");
}

#[test]
fn sources_come_from_the_file_and_are_checked() {
    let file = toml_file(
        "[[sources]]\nname = \"city\"\nkind = \"poll\"\nurl = \"https://example.invalid/feed.atom\"\ninterval_seconds = 30\n\n\
         [[sources]]\nname = \"province\"\nkind = \"push\"\ntoken = \"secret-1\"\n",
    );
    let config = Config::load(Some(file.path()), env(&[("SAFEJDZ_PUSH_TOKEN", "secret-0")])).expect("loads");
    assert_eq!(config.sources.len(), 2);
    assert_eq!(config.push_sources().source_for("secret-1").as_deref(), Some("province"));
    assert_eq!(config.push_sources().source_for("secret-0").as_deref(), Some("push"));
    assert_eq!(config.push_sources().source_for("secret-2"), None);
    assert!(!format!("{config:?}").contains("secret-1"), "tokens are redacted");

    let no_url = toml_file("[[sources]]\nname = \"city\"\nkind = \"poll\"\n");
    let message = Config::load(Some(no_url.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("\"city\"") && message.contains("url"), "{message}");
    let twice = toml_file("[[sources]]\nname = \"push\"\nkind = \"push\"\ntoken = \"x\"\n");
    let message = Config::load(Some(twice.path()), env(&[("SAFEJDZ_PUSH_TOKEN", "y")]))
        .expect_err("refused")
        .to_string();
    assert!(message.contains("used twice"), "{message}");
}

#[test]
fn signature_policies_and_trusted_certificates_are_read_at_load() {
    let pem = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cap-corpus/google-cap-library/naads_x509_cert.pem");
    let file = toml_file(&format!(
        "[[sources]]\nname = \"naads\"\nkind = \"push\"\ntoken = \"t\"\nsignature_policy = \"require\"\n\
         trusted_certificates = [{:?}]\n",
        pem.display().to_string()
    ));
    let config = Config::load(Some(file.path()), env(&[])).expect("loads");
    assert_eq!(config.signature_rules.for_source("naads").policy, SignaturePolicy::Require);
    assert!(!config.signature_rules.for_source("naads").trust.is_empty());
    assert_eq!(config.signature_rules.for_source("cli").policy, SignaturePolicy::VerifyIfPresent);

    let missing = toml_file(
        "[[sources]]\nname = \"naads\"\nkind = \"push\"\ntoken = \"t\"\ntrusted_certificates = [\"/nowhere/ca.pem\"]\n",
    );
    let message = Config::load(Some(missing.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("\"naads\"") && message.contains("/nowhere/ca.pem"), "{message}");

    let require_alone = toml_file(
        "[[sources]]\nname = \"naads\"\nkind = \"push\"\ntoken = \"t\"\nsignature_policy = \"require\"\n",
    );
    let message = Config::load(Some(require_alone.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("needs trusted_certificates"), "{message}");

    let unknown = toml_file(
        "[[sources]]\nname = \"x\"\nkind = \"push\"\ntoken = \"t\"\nsignature_policy = \"maybe\"\n",
    );
    let message = Config::load(Some(unknown.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("maybe"), "{message}");
}

#[test]
fn the_colour_mapping_is_configurable_and_checked() {
    let file = toml_file("[colour_severity]\norange = \"Extreme\"\n");
    let config = Config::load(Some(file.path()), env(&[])).expect("loads");
    let mapping = config.parse_options().colours;
    use safejdz_app::domain::cap::{ColourLevel, Severity};
    assert_eq!(mapping.severity(ColourLevel::Orange), Severity::Extreme);
    assert_eq!(
        mapping.severity(ColourLevel::Yellow),
        Severity::Moderate,
        "the rest keeps the national default"
    );
    let bad = toml_file("[colour_severity]\npurple = \"Minor\"\n");
    let message = Config::load(Some(bad.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("purple"), "{message}");
    let bad = toml_file("[colour_severity]\nred = \"Catastrophic\"\n");
    assert!(Config::load(Some(bad.path()), env(&[])).is_err());
}

#[test]
fn gateways_come_from_the_file_and_are_checked() {
    let file = toml_file(
        "[[gateways]]\nname = \"sms\"\nurl = \"https://gw.example.cn/hook\"\nsecret = \"0123456789abcdef0123\"\n",
    );
    let config = Config::load(Some(file.path()), env(&[])).expect("loads");
    assert_eq!(config.gateways.len(), 1);
    assert!(!format!("{config:?}").contains("0123456789abcdef0123"), "the secret is redacted");
    let twice = toml_file(
        "[[gateways]]\nname = \"sms\"\nurl = \"https://a.example.cn/\"\nsecret = \"0123456789abcdef\"\n\n\
         [[gateways]]\nname = \"sms\"\nurl = \"https://b.example.cn/\"\nsecret = \"0123456789abcdef\"\n",
    );
    let message = Config::load(Some(twice.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("used twice"), "{message}");
    let unknown = toml_file(
        "[[gateways]]\nname = \"sms\"\nurl = \"https://a.example.cn/\"\nsecret = \"0123456789abcdef\"\ntoken = \"x\"\n",
    );
    let message = Config::load(Some(unknown.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("token"), "{message}");
}

#[test]
fn a_console_signing_key_is_read_at_start_and_must_match_its_certificate() {
    let signing =
        |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing").join(name);
    let pair = |key: &str, certificate: &str| {
        toml_file(&format!(
            "console_signing_key = {:?}\nconsole_signing_certificate = {:?}\n",
            signing(key).display().to_string(),
            signing(certificate).display().to_string()
        ))
    };
    let file = pair("console-rsa-key.pem", "console-rsa-cert.pem");
    let config = Config::load(Some(file.path()), env(&[])).expect("a matching pair");
    assert!(config.console_signer.is_some());
    let file = pair("console-rsa-key.pem", "console-ec-cert.pem");
    let error = Config::load(Some(file.path()), env(&[])).expect_err("another key's certificate").to_string();
    assert!(error.contains("console-ec-cert.pem") && error.contains("not for the key"), "{error}");
    let error = Config::load(None, env(&[("SAFEJDZ_CONSOLE_SIGNING_KEY", "/nowhere/key.pem")]))
        .expect_err("a key alone")
        .to_string();
    assert!(error.contains("go together"), "{error}");
    let file = toml_file("[[sources]]\nname = \"console\"\nkind = \"push\"\ntoken = \"t\"\n");
    let error = Config::load(Some(file.path()), env(&[])).expect_err("the console's name").to_string();
    assert!(error.contains("console"), "{error}");
}

#[test]
fn a_campaign_loads_with_its_dates_and_articles_and_a_bad_one_is_named() {
    let campaign = |name_en: &str, to: &str, article: &str| {
        format!(
            "[[campaigns]]\nkey = \"flood-season-2027\"\nname_zh = \"主汛期\"\nname_en = \"{name_en}\"\nfrom = \"2027-06-01\"\nto = \"{to}\"\narticles = [\"{article}\"]\n"
        )
    };
    let file = toml_file(&campaign("Flood season", "2027-07-31", "floods-waterlogging"));
    let config = Config::load(Some(file.path()), env(&[])).expect("loads");
    assert_eq!(config.campaigns.len(), 1);
    assert_eq!(config.campaigns[0].to.to_string(), "2027-07-31");

    let file = toml_file(&campaign("", "2027-05-31", "tsunami"));
    let message = Config::load(Some(file.path()), env(&[])).expect_err("refused").to_string();
    assert!(message.contains("campaign \"flood-season-2027\": fields name_zh, name_en"), "{message}");
    assert!(message.contains("field to: ends before it starts"), "{message}");
    assert!(message.contains("field articles: \"tsunami\" is no article"), "{message}");
}
