//! URL text: percent-encoding a query value or a path segment (RFC 3986's unreserved
//! characters pass, every other byte of the UTF-8 is `%XX`).

/// `text` with every byte but `A-Z a-z 0-9 - . _ ~` percent-encoded.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn unreserved_characters_pass_and_the_rest_is_encoded_by_byte() {
        assert_eq!(super::percent_encode("li.wei_2-~"), "li.wei_2-~");
        assert_eq!(super::percent_encode("a b&c=周"), "a%20b%26c%3D%E5%91%A8");
    }
}
