//! EDXL-DE envelopes: several CAP alerts in one document. Each is cut out as a standalone CAP
//! document (with the namespace declarations it inherited) and ingested on its own.

use super::{
    parse::{CapError, ParseOptions},
    xml_input::{decode_xml, parse_document},
};

/// The alerts of an EDXL-DE envelope as standalone documents; `None` when `bytes` is not an
/// envelope.
pub fn split_envelope(bytes: &[u8], options: &ParseOptions) -> Result<Option<Vec<String>>, CapError> {
    let text = decode_xml(bytes)?;
    let document = parse_document(&text, options.limits)?;
    if document.root_element().tag_name().name() != "EDXLDistribution" {
        return Ok(None);
    }
    let alerts: Vec<_> =
        document.descendants().filter(|n| n.is_element() && n.tag_name().name() == "alert").collect();
    if alerts.is_empty() {
        return Err(CapError::NotCap("EDXLDistribution without a CAP alert".into()));
    }
    let parts = alerts.into_iter().map(|alert| standalone_alert(&text, alert)).collect();
    Ok(Some(parts))
}

/// The text of `alert` (an element inside a larger document) as a standalone CAP document, with
/// the namespace declarations it inherited from its ancestors written onto it.
pub(super) fn standalone_alert(text: &str, alert: roxmltree::Node<'_, '_>) -> String {
    let source = &text[alert.range()];
    let tag_end = source.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(source.len());
    let start_tag = &source[..source.find('>').unwrap_or(source.len())];
    let mut declarations = String::new();
    for namespace in alert.namespaces() {
        let attribute = match namespace.name() {
            Some(prefix) => format!("xmlns:{prefix}"),
            None => "xmlns".to_owned(),
        };
        if prefix_is_xml(namespace.name()) || start_tag.contains(&format!("{attribute}=")) {
            continue;
        }
        declarations.push_str(&format!(" {attribute}=\"{}\"", escape_attribute(namespace.uri())));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}{declarations}{}",
        &source[..tag_end],
        &source[tag_end..]
    )
}

fn prefix_is_xml(prefix: Option<&str>) -> bool {
    prefix == Some("xml")
}

fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cap::parse_alert;

    const ENVELOPE: &str = r#"<?xml version="1.0"?>
<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
  <contentObject><xmlContent><embeddedXMLContent>
    <cap:alert><cap:identifier>A-1</cap:identifier><cap:sender>s@x</cap:sender><cap:sent>2026-07-04T10:00:00+08:00</cap:sent>
      <cap:status>Actual</cap:status><cap:msgType>Alert</cap:msgType><cap:scope>Public</cap:scope></cap:alert>
  </embeddedXMLContent></xmlContent></contentObject>
  <contentObject><xmlContent><embeddedXMLContent>
    <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>A-2</identifier><sender>s@x</sender>
      <sent>2026-07-04T11:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope></alert>
  </embeddedXMLContent></xmlContent></contentObject>
</EDXLDistribution>"#;

    #[test]
    fn every_alert_of_an_envelope_becomes_a_standalone_cap_document() {
        let parts = split_envelope(ENVELOPE.as_bytes(), &ParseOptions::default())
            .expect("valid")
            .expect("an envelope");
        let identifiers: Vec<_> = parts
            .iter()
            .map(|p| {
                parse_alert(p.as_bytes(), &ParseOptions::default()).expect("standalone CAP").alert.identifier
            })
            .collect();
        assert_eq!(identifiers, ["A-1", "A-2"]);
    }

    #[test]
    fn a_bare_alert_is_no_envelope() {
        let alert = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"/>";
        assert_eq!(split_envelope(alert.as_bytes(), &ParseOptions::default()), Ok(None));
    }
}
