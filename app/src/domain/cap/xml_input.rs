//! Turning untrusted bytes into an XML tree safely: size and depth limits, no DTD at all (so no
//! external entity, no entity expansion, no network or file access), and the encodings real
//! feeds use (UTF-8, UTF-16 with BOM, ISO-8859-1).

use std::borrow::Cow;

/// Why bytes could not become an XML document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlInputError {
    #[error("message is {size} bytes; the limit is {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("document is nested deeper than {limit} elements")]
    TooDeep { limit: usize },
    #[error("document declares a DTD (<!DOCTYPE>); DTDs and entities are refused for safety")]
    Dtd,
    #[error("unsupported encoding {0:?} (UTF-8, UTF-16 and ISO-8859-1 are accepted)")]
    UnsupportedEncoding(String),
    #[error("not valid {encoding}: {detail}")]
    BadEncoding { encoding: &'static str, detail: String },
    #[error("not well-formed XML: {0}")]
    Malformed(String),
}

/// Decodes an XML document's bytes to text by its BOM or XML declaration.
pub fn decode_xml(bytes: &[u8]) -> Result<Cow<'_, str>, XmlInputError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match declared_encoding(bytes).map(|e| e.to_ascii_lowercase()) {
        None => utf8(bytes),
        Some(e) if e == "utf-8" || e == "utf8" => utf8(bytes),
        Some(e)
            if ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"]
                .contains(&e.as_str()) =>
        {
            // ISO-8859-1 maps each byte to the code point of the same value.
            Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()))
        }
        Some(other) => Err(XmlInputError::UnsupportedEncoding(other)),
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, XmlInputError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| XmlInputError::BadEncoding {
        encoding: "UTF-8",
        detail: format!("invalid byte sequence at byte {}", e.valid_up_to()),
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Cow<'static, str>, XmlInputError> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map(Cow::Owned)
        .map_err(|e| XmlInputError::BadEncoding { encoding: "UTF-16", detail: e.to_string() })
}

/// The `encoding` of `<?xml … encoding="…"?>`, if the document starts with a declaration.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(256)];
    let head: String = head.iter().map(|&b| char::from(b)).collect();
    let declaration = head.trim_start().strip_prefix("<?xml")?.split("?>").next()?;
    let after = declaration.split("encoding").nth(1)?.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    Some(after[1..].split(quote).next()?.trim().to_owned())
}

/// Limits on untrusted documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: u32,
}

impl Default for DocumentLimits {
    /// 4 MiB, 32 levels, 200 000 nodes: well above the largest real CAP message seen
    /// (1.7 MB of NWS polygons) and far below what would hurt the server.
    fn default() -> Self {
        DocumentLimits { max_bytes: 4 << 20, max_depth: 32, max_nodes: 200_000 }
    }
}

/// Parses decoded text into a tree, refusing DTDs and documents over the limits.
pub fn parse_document<'t>(
    text: &'t str,
    limits: DocumentLimits,
) -> Result<roxmltree::Document<'t>, XmlInputError> {
    if text.len() > limits.max_bytes {
        return Err(XmlInputError::TooLarge { size: text.len(), limit: limits.max_bytes });
    }
    let options =
        roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: limits.max_nodes, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => XmlInputError::Dtd,
        other => XmlInputError::Malformed(other.to_string()),
    })?;
    let too_deep = document
        .descendants()
        .filter(|n| n.is_element())
        .any(|n| n.ancestors().count() > limits.max_depth + 1);
    if too_deep {
        return Err(XmlInputError::TooDeep { limit: limits.max_depth });
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_documents_decode_each_byte_as_a_code_point() {
        let bytes = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>Montr\xe9al</a>";
        assert_eq!(
            decode_xml(bytes).expect("decodes"),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>Montréal</a>"
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_the_byte_offset() {
        let error = decode_xml(b"<a>\xff</a>").expect_err("refused");
        assert_eq!(error.to_string(), "not valid UTF-8: invalid byte sequence at byte 3");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("<a>预警</a>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_xml(&bytes).expect("decodes"), "<a>预警</a>");
    }

    #[test]
    fn an_unknown_encoding_is_named() {
        let error = decode_xml(b"<?xml version=\"1.0\" encoding=\"GB2312\"?><a/>").expect_err("refused");
        assert_eq!(error, XmlInputError::UnsupportedEncoding("gb2312".into()));
    }

    #[test]
    fn a_doctype_is_refused_before_any_entity_is_read() {
        let text = r#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        assert_eq!(parse_document(text, DocumentLimits::default()).expect_err("refused"), XmlInputError::Dtd);
    }

    #[test]
    fn deep_nesting_and_size_are_limited() {
        let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
        assert_eq!(
            parse_document(&deep, DocumentLimits::default()).expect_err("refused"),
            XmlInputError::TooDeep { limit: 32 }
        );
        let small = DocumentLimits { max_bytes: 10, ..DocumentLimits::default() };
        assert!(matches!(parse_document("<a>long enough</a>", small), Err(XmlInputError::TooLarge { .. })));
    }
}
