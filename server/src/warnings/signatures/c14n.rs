//! Canonical XML (C14N 1.0, C14N 1.1 and Exclusive C14N, each with or without comments) of a
//! document subset given as "this subtree, minus these excluded subtrees": the only node-sets
//! enveloped CAP signatures use (`URI=""` minus the `Signature`, or a `SignedInfo` element).
//!
//! Why our own: no maintained pure-Rust XML-DSig crate exists; C14N of a subtree over the tree
//! roxmltree already built for the CAP reader (DTDs refused, limits applied) is small, and the
//! corpus signatures of four senders check it byte for byte.

use std::collections::BTreeMap;

use roxmltree::{Node, NodeType};

/// The canonicalization algorithms a CAP signature may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Canonicalization {
    /// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315` (and `#WithComments`).
    Inclusive10 { comments: bool },
    /// `http://www.w3.org/2006/12/xml-c14n11` (and `#WithComments`).
    Inclusive11 { comments: bool },
    /// `http://www.w3.org/2001/10/xml-exc-c14n#` (and `#WithComments`), with the
    /// `InclusiveNamespaces PrefixList` prefixes treated as inclusive.
    Exclusive { comments: bool, inclusive_prefixes: Vec<String> },
}

impl Canonicalization {
    /// The algorithm named by a `CanonicalizationMethod`/`Transform` URI, if it is one.
    pub fn from_uri(uri: &str) -> Option<Canonicalization> {
        Some(match uri {
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" => Self::Inclusive10 { comments: false },
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments" => {
                Self::Inclusive10 { comments: true }
            }
            "http://www.w3.org/2006/12/xml-c14n11" => Self::Inclusive11 { comments: false },
            "http://www.w3.org/2006/12/xml-c14n11#WithComments" => Self::Inclusive11 { comments: true },
            "http://www.w3.org/2001/10/xml-exc-c14n#" => {
                Self::Exclusive { comments: false, inclusive_prefixes: Vec::new() }
            }
            "http://www.w3.org/2001/10/xml-exc-c14n#WithComments" => {
                Self::Exclusive { comments: true, inclusive_prefixes: Vec::new() }
            }
            _ => return None,
        })
    }

    fn comments(&self) -> bool {
        match self {
            Self::Inclusive10 { comments } | Self::Inclusive11 { comments } => *comments,
            Self::Exclusive { comments, .. } => *comments,
        }
    }

    /// A node-set given by a URI reference never holds comments (XML-DSig 4.4.3.3).
    pub fn without_comments(self) -> Canonicalization {
        match self {
            Self::Inclusive10 { .. } => Self::Inclusive10 { comments: false },
            Self::Inclusive11 { .. } => Self::Inclusive11 { comments: false },
            Self::Exclusive { inclusive_prefixes, .. } => {
                Self::Exclusive { comments: false, inclusive_prefixes }
            }
        }
    }
}

/// Canonicalizes `apex` (an element, or the document root for the whole document) and all it
/// holds, leaving out each element in `excluded` with everything inside it.
pub fn canonicalize(apex: Node<'_, '_>, excluded: &[Node<'_, '_>], method: &Canonicalization) -> Vec<u8> {
    canonicalize_with(apex, excluded, method, Whitespace::Keep)
}

/// Whether whitespace-only text nodes are part of the node-set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whitespace {
    /// As the standard says.
    Keep,
    /// Dropped, as a document reads after a parser's "remove blank text" (lxml): how messages
    /// signed by signxml-based tools and pretty-printed afterwards were signed.
    DropBlankText,
}

/// [`canonicalize`], choosing how whitespace-only text is treated.
pub fn canonicalize_with(
    apex: Node<'_, '_>,
    excluded: &[Node<'_, '_>],
    method: &Canonicalization,
    whitespace: Whitespace,
) -> Vec<u8> {
    let mut writer = Writer { out: String::new(), method, excluded, whitespace };
    if apex.node_type() == NodeType::Root {
        writer.document(apex);
    } else {
        writer.element(apex, &BTreeMap::new(), true);
    }
    writer.out.into_bytes()
}

/// Namespace declarations already written by output ancestors: prefix ("" = default) → URI.
type Rendered<'a> = BTreeMap<&'a str, &'a str>;

struct Writer<'m, 'x, 'a, 'i> {
    out: String,
    method: &'m Canonicalization,
    excluded: &'x [Node<'a, 'i>],
    whitespace: Whitespace,
}

impl<'a, 'i: 'a> Writer<'_, '_, 'a, 'i> {
    fn is_excluded(&self, node: Node<'_, '_>) -> bool {
        self.excluded.iter().any(|e| e.id() == node.id())
    }

    /// The whole document: nodes outside the document element are separated by line feeds.
    fn document(&mut self, root: Node<'a, 'i>) {
        let mut before_element = true;
        for child in root.children() {
            match child.node_type() {
                NodeType::Element => {
                    if !self.is_excluded(child) {
                        self.element(child, &BTreeMap::new(), false);
                    }
                    before_element = false;
                }
                NodeType::PI | NodeType::Comment => {
                    if child.is_comment() && !self.method.comments() {
                        continue;
                    }
                    if !before_element {
                        self.out.push('\n');
                    }
                    self.leaf(child);
                    if before_element {
                        self.out.push('\n');
                    }
                }
                NodeType::Text | NodeType::Root => {}
            }
        }
    }

    fn element(&mut self, element: Node<'a, 'i>, rendered: &Rendered<'a>, is_apex: bool) {
        let qname = element_qname(element);
        self.out.push('<');
        self.out.push_str(qname);

        let declarations = self.namespace_declarations(element, qname, rendered);
        let mut now_rendered = rendered.clone();
        for (prefix, uri) in &declarations {
            if prefix.is_empty() {
                self.out.push_str(" xmlns=\"");
            } else {
                self.out.push_str(" xmlns:");
                self.out.push_str(prefix);
                self.out.push_str("=\"");
            }
            escape_attribute(&mut self.out, uri);
            self.out.push('"');
            now_rendered.insert(prefix, uri);
        }

        let mut attributes: Vec<(&str, &str, &str, &str)> = element
            .attributes()
            .map(|a| (a.namespace().unwrap_or(""), a.name(), attribute_qname(element, &a), a.value()))
            .collect();
        if is_apex && !matches!(self.method, Canonicalization::Exclusive { .. }) {
            // Inclusive C14N of a subset whose apex has ancestors: the apex inherits the
            // xml:lang and xml:space in effect there (xml:id and xml:base are not inherited
            // by C14N 1.1 and are never used by CAP signatures).
            for inherited in ["lang", "space"] {
                let present = attributes.iter().any(|(ns, name, ..)| *ns == XML_NS && *name == inherited);
                if present {
                    continue;
                }
                if let Some(value) =
                    element.ancestors().skip(1).find_map(|a| a.attribute((XML_NS, inherited)))
                {
                    let qname = if inherited == "lang" { "xml:lang" } else { "xml:space" };
                    attributes.push((XML_NS, inherited, qname, value));
                }
            }
        }
        attributes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, qname, value) in attributes {
            self.out.push(' ');
            self.out.push_str(qname);
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');

        for child in element.children() {
            match child.node_type() {
                NodeType::Element if !self.is_excluded(child) => self.element(child, &now_rendered, false),
                NodeType::Element | NodeType::Root => {}
                NodeType::Text => {
                    let text = child.text().unwrap_or("");
                    if self.whitespace == Whitespace::Keep || !text.trim_ascii().is_empty() {
                        escape_text(&mut self.out, text);
                    }
                }
                NodeType::Comment if !self.method.comments() => {}
                NodeType::Comment | NodeType::PI => self.leaf(child),
            }
        }
        self.out.push_str("</");
        self.out.push_str(qname);
        self.out.push('>');
    }

    /// The namespace declarations to write on `element`, sorted by prefix (default first).
    fn namespace_declarations(
        &self,
        element: Node<'a, 'i>,
        qname: &str,
        rendered: &Rendered<'a>,
    ) -> Vec<(&'a str, &'a str)> {
        let in_scope: BTreeMap<&'a str, &'a str> = element
            .namespaces()
            .filter(|ns| ns.name() != Some("xml"))
            .map(|ns| (ns.name().unwrap_or(""), ns.uri()))
            .collect();
        let wanted: Vec<&str> = match self.method {
            Canonicalization::Exclusive { inclusive_prefixes, .. } => {
                // Only the prefixes this element visibly uses (its own and its attributes'),
                // plus those named as inclusive.
                let mut used = vec![qname.split_once(':').map_or("", |(p, _)| p)];
                for attribute in element.attributes() {
                    if let Some((prefix, _)) = attribute_qname(element, &attribute).split_once(':')
                        && prefix != "xml"
                    {
                        used.push(prefix);
                    }
                }
                for prefix in inclusive_prefixes {
                    used.push(if prefix == "#default" { "" } else { prefix.as_str() });
                }
                used
            }
            _ => in_scope.keys().copied().chain(std::iter::once("")).collect(),
        };
        let mut declarations = BTreeMap::new();
        for prefix in wanted {
            // An undeclared default (`xmlns=""`) counts as no default namespace.
            match in_scope.get(prefix).filter(|uri| !uri.is_empty()) {
                Some(uri) if rendered.get(prefix) != Some(uri) => {
                    declarations.insert(prefix_key(prefix, &in_scope), *uri);
                }
                None if prefix.is_empty() && rendered.get("").is_some_and(|uri| !uri.is_empty()) => {
                    // The element is in no namespace but an output ancestor set a default one.
                    declarations.insert(prefix_key("", &in_scope), "");
                }
                _ => {}
            }
        }
        declarations.into_iter().collect()
    }

    /// A comment or processing instruction.
    fn leaf(&mut self, node: Node<'_, '_>) {
        if let Some(pi) = node.pi() {
            self.out.push_str("<?");
            self.out.push_str(pi.target);
            if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                self.out.push(' ');
                self.out.push_str(&value.replace('\r', "&#xD;"));
            }
            self.out.push_str("?>");
        } else if node.is_comment() {
            self.out.push_str("<!--");
            self.out.push_str(node.text().unwrap_or(""));
            self.out.push_str("-->");
        }
    }
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Keeps prefixes borrowed from the tree (the map's lifetime) rather than from the caller.
fn prefix_key<'a>(prefix: &str, in_scope: &BTreeMap<&'a str, &'a str>) -> &'a str {
    in_scope.get_key_value(prefix).map_or("", |(k, _)| k)
}

/// The element's name as written in the source (`ds:Signature`), which C14N keeps.
fn element_qname<'i>(element: Node<'_, 'i>) -> &'i str {
    let text = element.document().input_text();
    let start = element.range().start + 1;
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    &rest[..end]
}

/// The attribute's name as written in the source (`xml:lang`, `xsi:type`).
fn attribute_qname<'i>(element: Node<'_, 'i>, attribute: &roxmltree::Attribute<'_, 'i>) -> &'i str {
    &element.document().input_text()[attribute.range_qname()]
}

fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attribute(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
#[path = "c14n_tests.rs"]
mod tests;
