//! Atom and RSS indexes of CAP messages (the OASIS "CAP feeds" practice): for each entry, the
//! links to its CAP message, or the CAP message embedded in it. Lenient about feed-format
//! details (a missing title or id), strict about safety (same XML limits as a CAP message).

use roxmltree::Node;

use super::{
    envelope::standalone_alert,
    parse::ParseOptions,
    xml_input::{XmlInputError, decode_xml, parse_document},
};

const NS_CAP_PREFIX: &str = "urn:oasis:names:tc:emergency:cap:";
const NS_CAP_1_0: &str = "http://www.incident.com/cap/1.0";

/// The syndication format of a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Atom,
    Rss,
}

/// One entry (Atom) or item (RSS).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedEntry {
    pub id: Option<String>,
    pub updated: Option<String>,
    /// Where its CAP message is, as written (relative URLs are resolved by the poller).
    pub cap_urls: Vec<String>,
    /// A CAP message carried inside the entry, as a standalone document.
    pub embedded_cap: Option<String>,
}

/// A parsed feed and what in it could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub kind: FeedKind,
    pub entries: Vec<FeedEntry>,
    /// E.g. "entry 2 (id x): no CAP link and no embedded CAP message".
    pub problems: Vec<String>,
}

/// Why a document is not a usable feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Xml(#[from] XmlInputError),
    #[error("not an Atom or RSS feed: the root element is <{0}>")]
    NotAFeed(String),
}

/// Reads an Atom or RSS document.
pub fn parse_feed(bytes: &[u8], options: &ParseOptions) -> Result<Feed, FeedError> {
    if bytes.len() > options.limits.max_bytes {
        return Err(XmlInputError::TooLarge { size: bytes.len(), limit: options.limits.max_bytes }.into());
    }
    let text = decode_xml(bytes)?;
    let document = parse_document(&text, options.limits)?;
    let root = document.root_element();
    let (kind, items): (FeedKind, Vec<Node<'_, '_>>) = match root.tag_name().name() {
        "feed" => (FeedKind::Atom, children(root, "entry").collect()),
        "rss" => (FeedKind::Rss, children(root, "channel").flat_map(|c| children(c, "item")).collect()),
        other => return Err(FeedError::NotAFeed(other.to_owned())),
    };
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let entry = match kind {
            FeedKind::Atom => atom_entry(&text, item),
            FeedKind::Rss => rss_item(&text, item),
        };
        if entry.cap_urls.is_empty() && entry.embedded_cap.is_none() {
            problems.push(format!(
                "entry {} ({}): no CAP link and no embedded CAP message",
                index + 1,
                entry.id.as_deref().unwrap_or("no id")
            ));
            continue;
        }
        entries.push(entry);
    }
    Ok(Feed { kind, entries, problems })
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn child_text(node: Node<'_, '_>, name: &'static str) -> Option<String> {
    children(node, name)
        .next()
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn embedded(text: &str, item: Node<'_, '_>) -> Option<String> {
    item.descendants()
        .find(|n| {
            n.is_element()
                && n.tag_name().name() == "alert"
                && n.tag_name()
                    .namespace()
                    .is_some_and(|ns| ns.starts_with(NS_CAP_PREFIX) || ns == NS_CAP_1_0)
        })
        .map(|alert| standalone_alert(text, alert))
}

fn atom_entry(text: &str, entry: Node<'_, '_>) -> FeedEntry {
    let links: Vec<_> = children(entry, "link").collect();
    let typed: Vec<String> = links
        .iter()
        .filter(|l| l.attribute("type").is_some_and(|t| t.contains("cap")))
        .filter_map(|l| l.attribute("href"))
        .map(str::to_owned)
        .collect();
    // Indexes such as the NWS one link their CAP without a type: take the alternate link.
    let cap_urls = if typed.is_empty() {
        links
            .iter()
            .filter(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
            .filter(|l| l.attribute("type").is_none_or(|t| t.contains("xml")))
            .filter_map(|l| l.attribute("href"))
            .map(str::to_owned)
            .collect()
    } else {
        typed
    };
    let embedded_cap = embedded(text, entry);
    FeedEntry {
        id: child_text(entry, "id"),
        updated: child_text(entry, "updated"),
        cap_urls: if embedded_cap.is_some() { Vec::new() } else { cap_urls },
        embedded_cap,
    }
}

fn rss_item(text: &str, item: Node<'_, '_>) -> FeedEntry {
    let mut cap_urls: Vec<String> = children(item, "enclosure")
        .filter(|e| e.attribute("type").is_none_or(|t| t.contains("xml")))
        .filter_map(|e| e.attribute("url"))
        .map(str::to_owned)
        .collect();
    if cap_urls.is_empty() {
        cap_urls.extend(child_text(item, "link"));
    }
    let embedded_cap = embedded(text, item);
    FeedEntry {
        id: child_text(item, "guid").or_else(|| child_text(item, "link")),
        updated: child_text(item, "pubDate"),
        cap_urls: if embedded_cap.is_some() { Vec::new() } else { cap_urls },
        embedded_cap,
    }
}
