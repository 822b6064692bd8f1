//! Reading a CAP document into the [`Alert`] model, with errors that name the element.

use chrono::{DateTime, FixedOffset};
use roxmltree::Node;

use super::{
    Alert, CapVersion, Category, Certainty, ColourLevel, ColourMapping, Info, MsgType, NamedValue, Reference,
    Resource, ResponseType, Scope, Severity, Status, Urgency,
    xml_input::{DocumentLimits, XmlInputError, decode_xml, parse_document},
};

const NS_1_2: &str = "urn:oasis:names:tc:emergency:cap:1.2";
const NS_1_1: &str = "urn:oasis:names:tc:emergency:cap:1.1";
const NS_1_0: &str = "http://www.incident.com/cap/1.0";
const NS_XMLDSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Why a message is not an acceptable CAP alert. `path` is like `alert/info[1]/area[2]/polygon[1]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapError {
    #[error(transparent)]
    Xml(#[from] XmlInputError),
    #[error("not a CAP alert: the root element is <{0}>")]
    NotCap(String),
    #[error("{path}: required element is missing")]
    Missing { path: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

/// Settings of the reader.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub limits: DocumentLimits,
    pub colours: ColourMapping,
}

/// A parsed alert and what was tolerated on the way (for the operator, not the resident).
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAlert {
    pub alert: Alert,
    pub warnings: Vec<String>,
}

/// Parses one CAP message (a bare `<alert>`).
pub fn parse_alert(bytes: &[u8], options: &ParseOptions) -> Result<ParsedAlert, CapError> {
    if bytes.len() > options.limits.max_bytes {
        return Err(XmlInputError::TooLarge { size: bytes.len(), limit: options.limits.max_bytes }.into());
    }
    let text = decode_xml(bytes)?;
    let document = parse_document(&text, options.limits)?;
    let root = document.root_element();
    // An EDXL-DE envelope is cut into its alerts first (`split_envelope`).
    if root.tag_name().name() != "alert" {
        return Err(CapError::NotCap(root.tag_name().name().to_owned()));
    }
    let alert_node = root;
    let mut reader = Reader { warnings: Vec::new(), colours: options.colours };
    let alert = reader.alert(alert_node)?;
    Ok(ParsedAlert { alert, warnings: reader.warnings })
}

/// A CAP date-time as CAP writes it (`2026-07-04T10:35:16+08:00`, UTC as `-00:00`… or
/// `+00:00`; we write `+00:00`, which every reader accepts).
pub fn format_cap_time(time: &DateTime<FixedOffset>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn cap_version(node: &Node<'_, '_>) -> Option<CapVersion> {
    match node.tag_name().namespace() {
        Some(NS_1_2) => Some(CapVersion::V1_2),
        Some(NS_1_1) => Some(CapVersion::V1_1),
        Some(NS_1_0) => Some(CapVersion::V1_0),
        _ => None,
    }
}

pub(super) struct Reader {
    pub(super) warnings: Vec<String>,
    colours: ColourMapping,
}

/// The CAP children of one element, with the element's path for errors.
pub(super) struct Element<'a, 'input> {
    pub(super) node: Node<'a, 'input>,
    pub(super) path: String,
    namespace: Option<&'a str>,
}

impl<'a, 'input> Element<'a, 'input> {
    pub(super) fn children(
        &self,
        name: &'static str,
    ) -> impl Iterator<Item = (usize, Node<'a, 'input>)> + '_ {
        self.node
            .children()
            .filter(move |n| {
                n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == self.namespace
            })
            .enumerate()
            .map(|(i, n)| (i + 1, n))
    }

    pub(super) fn child(
        &self,
        name: &'static str,
        index: usize,
        node: Node<'a, 'input>,
    ) -> Element<'a, 'input> {
        Element { node, path: format!("{}/{name}[{index}]", self.path), namespace: self.namespace }
    }

    pub(super) fn path_of(&self, name: &str) -> String {
        format!("{}/{name}", self.path)
    }

    /// Trimmed text of the first child `name`; empty text counts as absent.
    pub(super) fn optional(&self, name: &'static str) -> Option<String> {
        self.children(name).next().map(|(_, n)| text_of(n)).filter(|t| !t.is_empty())
    }

    pub(super) fn required(&self, name: &'static str) -> Result<String, CapError> {
        match self.children(name).next() {
            None => Err(CapError::Missing { path: self.path_of(name) }),
            Some((_, n)) => {
                let text = text_of(n);
                if text.is_empty() {
                    Err(CapError::Invalid { path: self.path_of(name), reason: "must not be empty".into() })
                } else {
                    Ok(text)
                }
            }
        }
    }

    pub(super) fn all(&self, name: &'static str) -> Vec<String> {
        self.children(name).map(|(_, n)| text_of(n)).filter(|t| !t.is_empty()).collect()
    }

    pub(super) fn invalid(&self, name: &str, reason: impl Into<String>) -> CapError {
        CapError::Invalid { path: self.path_of(name), reason: reason.into() }
    }
}

pub(super) fn text_of(node: Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<String>().trim().to_owned()
}

impl Reader {
    fn alert(&mut self, node: Node<'_, '_>) -> Result<Alert, CapError> {
        let version = match cap_version(&node) {
            Some(version) => version,
            None if node.tag_name().namespace().is_none() => {
                self.warnings.push("alert has no CAP namespace; read as CAP 1.2".into());
                CapVersion::V1_2
            }
            None => {
                return Err(CapError::NotCap(format!(
                    "alert in namespace {:?}",
                    node.tag_name().namespace()
                )));
            }
        };
        let e = Element { node, path: "alert".into(), namespace: node.tag_name().namespace() };
        let identifier = e.required("identifier")?;
        let sender = e.required("sender")?;
        for (name, value) in [("identifier", &identifier), ("sender", &sender)] {
            if value.contains(|c: char| c.is_whitespace() || c == ',' || c == '<' || c == '&') {
                return Err(e.invalid(name, "must not contain spaces, commas, < or &"));
            }
        }
        let sent = time(&e, "sent", &e.required("sent")?)?;
        let status = enumerated(&e, "status", Status::from_cap)?;
        let msg_type = enumerated(&e, "msgType", MsgType::from_cap)?;
        let scope = enumerated(&e, "scope", Scope::from_cap)?;
        let restriction = e.optional("restriction");
        let addresses = e.optional("addresses");
        if scope == Scope::Restricted && restriction.is_none() {
            self.warnings.push("alert/restriction: expected with scope Restricted".into());
        }
        if scope == Scope::Private && addresses.is_none() {
            self.warnings.push("alert/addresses: expected with scope Private".into());
        }
        let references = match e.children("references").next() {
            None => Vec::new(),
            Some((_, n)) => references(&e, &text_of(n))?,
        };
        let mut infos = Vec::new();
        for (index, info_node) in e.children("info") {
            infos.push(self.info(&e.child("info", index, info_node))?);
        }
        let has_signature = node.children().any(|n| {
            n.is_element()
                && n.tag_name().name() == "Signature"
                && n.tag_name().namespace() == Some(NS_XMLDSIG)
        });
        Ok(Alert {
            version,
            identifier,
            sender,
            sent,
            status,
            msg_type,
            source: e.optional("source"),
            scope,
            restriction,
            addresses,
            codes: e.all("code"),
            note: e.optional("note"),
            references,
            incidents: e.optional("incidents"),
            infos,
            has_signature,
        })
    }

    fn info(&mut self, e: &Element<'_, '_>) -> Result<Info, CapError> {
        let categories =
            enumerated_list(e, "category", Category::from_cap, Category::ALL.iter().map(|c| c.as_str()))?;
        // Required by CAP 1.2 like certainty and severity; feeds that omit them (AlertSwiss)
        // are refused with this reason rather than guessed at.
        if categories.is_empty() {
            return Err(CapError::Missing { path: e.path_of("category") });
        }
        let response_types = enumerated_list(
            e,
            "responseType",
            ResponseType::from_cap,
            ResponseType::ALL.iter().map(|c| c.as_str()),
        )?;
        let event_codes = named_values(e, "eventCode")?;
        let parameters = named_values(e, "parameter")?;
        let headline = e.optional("headline");

        let severity_text = e.required("severity")?;
        let severity_colour = ColourLevel::from_value(&severity_text);
        let severity = match (Severity::from_cap(&severity_text), severity_colour) {
            (Some(severity), _) => severity,
            (None, Some(colour)) => self.colours.severity(colour),
            (None, None) => {
                return Err(
                    e.invalid("severity", unknown(&severity_text, Severity::ALL.iter().map(|s| s.as_str())))
                );
            }
        };
        let colour = colour_from_values(&parameters)
            .or_else(|| colour_from_values(&event_codes))
            .or(severity_colour)
            .or_else(|| headline.as_deref().and_then(ColourLevel::from_headline));

        let certainty_text = e.required("certainty")?;
        // CAP 1.0 had "Very Likely"; 1.1 folded it into "Likely".
        let certainty = if certainty_text == "Very Likely" {
            Certainty::Likely
        } else {
            Certainty::from_cap(&certainty_text).ok_or_else(|| {
                e.invalid("certainty", unknown(&certainty_text, Certainty::ALL.iter().map(|c| c.as_str())))
            })?
        };
        let optional_time = |name: &'static str| e.optional(name).map(|t| time(e, name, &t)).transpose();
        let mut resources = Vec::new();
        for (index, node) in e.children("resource") {
            resources.push(resource(&e.child("resource", index, node))?);
        }
        let mut areas = Vec::new();
        for (index, node) in e.children("area") {
            areas.push(self.area(&e.child("area", index, node))?);
        }
        Ok(Info {
            language: e.optional("language").unwrap_or_else(|| "en-US".into()),
            categories,
            event: e.required("event")?,
            response_types,
            urgency: enumerated(e, "urgency", Urgency::from_cap)?,
            severity,
            certainty,
            colour,
            audience: e.optional("audience"),
            event_codes,
            effective: optional_time("effective")?,
            onset: optional_time("onset")?,
            expires: optional_time("expires")?,
            sender_name: e.optional("senderName"),
            headline,
            description: e.optional("description"),
            instruction: e.optional("instruction"),
            web: e.optional("web"),
            contact: e.optional("contact"),
            parameters,
            resources,
            areas,
        })
    }
}

fn unknown<'v>(found: &str, allowed: impl Iterator<Item = &'v str>) -> String {
    format!("{found:?} is not one of {}", allowed.collect::<Vec<_>>().join(", "))
}

fn enumerated<T>(e: &Element<'_, '_>, name: &'static str, from: fn(&str) -> Option<T>) -> Result<T, CapError>
where
    T: 'static,
{
    let text = e.required(name)?;
    from(&text).ok_or_else(|| e.invalid(name, format!("{text:?} is not a valid {name}")))
}

/// Every child `name`, each one of the `allowed` values; errors name the child by index.
fn enumerated_list<'v, T>(
    e: &Element<'_, '_>,
    name: &'static str,
    from: fn(&str) -> Option<T>,
    allowed: impl Iterator<Item = &'v str> + Clone,
) -> Result<Vec<T>, CapError> {
    e.children(name)
        .map(|(i, n)| {
            let text = text_of(n);
            from(&text).ok_or_else(|| e.invalid(&format!("{name}[{i}]"), unknown(&text, allowed.clone())))
        })
        .collect()
}

fn time(e: &Element<'_, '_>, name: &str, text: &str) -> Result<DateTime<FixedOffset>, CapError> {
    // RFC 3339 covers CAP's form and the deviations seen in feeds: `Z`, fractional seconds.
    DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        e.invalid(name, format!("{text:?} is not a date-time with time zone like 2026-07-04T10:35:16+08:00"))
    })
}

fn references(e: &Element<'_, '_>, text: &str) -> Result<Vec<Reference>, CapError> {
    if text.is_empty() {
        return Err(e.invalid("references", "is empty; it must list sender,identifier,sent triples"));
    }
    text.split_whitespace()
        .map(|triple| match triple.split(',').collect::<Vec<_>>()[..] {
            [sender, identifier, sent]
                if !sender.is_empty() && !identifier.is_empty() && !sent.is_empty() =>
            {
                Ok(Reference { sender: sender.into(), identifier: identifier.into(), sent: sent.into() })
            }
            _ => Err(e.invalid("references", format!("{triple:?} is not a sender,identifier,sent triple"))),
        })
        .collect()
}

pub(super) fn named_values(e: &Element<'_, '_>, name: &'static str) -> Result<Vec<NamedValue>, CapError> {
    e.children(name)
        .map(|(index, node)| {
            let item = e.child(name, index, node);
            Ok(NamedValue {
                value_name: item.required("valueName")?,
                value: item.optional("value").unwrap_or_default(),
            })
        })
        .collect()
}

/// Colour in eventCode/parameter values: Chinese forms anywhere, English colour words only
/// where the name speaks of a level or colour (so that free text is not misread).
fn colour_from_values(values: &[NamedValue]) -> Option<ColourLevel> {
    values.iter().find_map(|v| {
        let name = v.value_name.to_ascii_lowercase();
        let about_level = ["level", "colo", "awareness", "级别", "颜色"].iter().any(|k| name.contains(k));
        let colour = ColourLevel::from_value(&v.value)?;
        let chinese = !v.value.is_ascii();
        (about_level || chinese).then_some(colour)
    })
}

fn resource(e: &Element<'_, '_>) -> Result<Resource, CapError> {
    let size = e
        .optional("size")
        .map(|s| s.parse::<u64>().map_err(|_| e.invalid("size", format!("{s:?} is not a byte count"))))
        .transpose()?;
    Ok(Resource {
        resource_desc: e.required("resourceDesc")?,
        mime_type: e.required("mimeType")?,
        size,
        uri: e.optional("uri"),
        deref_uri: e.optional("derefUri"),
        digest: e.optional("digest"),
    })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
