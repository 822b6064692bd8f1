//! The Common Alerting Protocol: CAP 1.2 messages (1.1 and 1.0 read and upgraded), with the
//! Chinese profile GB/T 35965.1-2018 (12-digit area codes, four colour levels, 解除 lifts).
//!
//! Reading is lenient where real feeds deviate (a `Z` time zone, stray whitespace, unclosed
//! polygons, ISO-8859-1) and strict where a resident could be misled (missing required
//! elements, unknown enumeration values, malformed areas). Errors name the element and why.

mod colour;
mod envelope;
mod feed;
mod model;
mod parse;
mod parse_area;
mod xml_input;
mod xml_text;

pub use colour::{ColourLevel, ColourMapping};
pub use envelope::split_envelope;
pub use feed::{Feed, FeedEntry, FeedError, FeedKind, parse_feed};
pub use model::*;
pub use parse::{CapError, ParseOptions, ParsedAlert, format_cap_time, parse_alert};
pub use xml_input::{DocumentLimits, XmlInputError, decode_xml, parse_document};
pub use xml_text::escape_xml;
