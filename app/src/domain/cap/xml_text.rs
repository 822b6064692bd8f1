//! Writing XML text: what every CAP message and feed this server writes goes through.

/// `text` escaped for XML content and attribute values; characters XML 1.0 cannot carry at all
/// (control characters other than tab, line feed, carriage return) are dropped, so a stray one
/// typed into a form can never make a written message unreadable.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped_and_characters_xml_cannot_carry_are_dropped() {
        assert_eq!(super::escape_xml("a<b & 'c' \"d\">"), "a&lt;b &amp; &apos;c&apos; &quot;d&quot;&gt;");
        assert_eq!(super::escape_xml("line\u{1}\u{8}\ttab\nnext"), "line\ttab\nnext");
    }
}
