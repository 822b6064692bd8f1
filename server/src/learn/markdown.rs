//! Article Markdown into safe HTML (pulldown-cmark, CommonMark with tables). Nothing the file
//! holds becomes markup unless it is Markdown: raw HTML is shown as text, a link goes only to a
//! web address or a path of this site, images are refused (their words stay). Every heading
//! gets an anchor: the one the file gives (`## Before {#before}`) or one made from its words.
//! What was refused is reported with its line, so the content check can name it.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
// XML escaping is HTML escaping too (`&apos;` included, in HTML5).
use safejdz_app::domain::cap::escape_xml as escape;

/// A heading of the body, for the table of contents and the section checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 2 for `##`, 3 for `###`, …
    pub level: u8,
    pub anchor: String,
    pub text: String,
}

/// The body, rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The words alone, a block a line: for search, lengths and reading aloud.
    pub text: String,
    /// Lines (1-based, in the Markdown) and what was shown as text or dropped instead.
    pub refused: Vec<(usize, String)>,
}

/// Renders `markdown`; `first_line` is the line of the file the body starts on.
pub fn render(markdown: &str, first_line: usize) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let line_of = |offset: usize| first_line + markdown[..offset.min(markdown.len())].matches('\n').count();
    let mut rendered = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut open_heading: Option<(u8, String, usize)> = None;
    let mut heading_text = String::new();
    let mut open_links: Vec<bool> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                rendered.refused.push((line_of(range.start), "raw HTML is shown as text".into()));
                rendered.text.push_str(&raw);
                events.push(Event::Text(raw));
            }
            // A block of raw HTML becomes a paragraph of its text.
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = heading_level(level);
                open_heading = Some((level, id.map(|id| id.to_string()).unwrap_or_default(), events.len()));
                heading_text.clear();
                // A placeholder, replaced at the heading's end when its anchor is known.
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((level_number, given, at)) = open_heading.take() {
                    let anchor = unique_anchor(
                        if given.is_empty() { anchor_from(&heading_text) } else { given },
                        &rendered.headings,
                    );
                    events[at] = Event::Html(format!("<h{level_number} id=\"{}\">", escape(&anchor)).into());
                    events.push(Event::Html(format!("</h{level_number}>").into()));
                    rendered.headings.push(Heading {
                        level: level_number,
                        anchor,
                        text: heading_text.trim().to_owned(),
                    });
                    rendered.text.push('\n');
                } else {
                    events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let allowed = is_allowed_link(&dest_url);
                if allowed {
                    let external = dest_url.starts_with("http");
                    let rel = if external { " rel=\"noopener noreferrer external\"" } else { "" };
                    events.push(Event::Html(format!("<a href=\"{}\"{rel}>", escape(&dest_url)).into()));
                } else {
                    rendered.refused.push((
                        line_of(range.start),
                        format!("the link {dest_url:?} goes nowhere this site allows"),
                    ));
                }
                open_links.push(allowed);
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop().unwrap_or(false) {
                    events.push(Event::Html("</a>".into()));
                }
            }
            // Images are refused: the words inside stay as text.
            Event::Start(Tag::Image { dest_url, .. }) => {
                rendered.refused.push((line_of(range.start), format!("the image {dest_url:?} is not shown")));
            }
            Event::End(TagEnd::Image) => {}
            Event::Text(text) | Event::Code(text) => {
                if open_heading.is_some() {
                    heading_text.push_str(&text);
                }
                rendered.text.push_str(&text);
                events.push(Event::Text(text));
            }
            Event::SoftBreak | Event::HardBreak => {
                rendered.text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                rendered.text.push('\n');
                events.push(event);
            }
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    rendered
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A web address, or a path of this site (and an anchor of the page).
fn is_allowed_link(url: &str) -> bool {
    let site_path = url.starts_with('/') && !url.starts_with("//");
    url.starts_with("https://") || url.starts_with("http://") || site_path || url.starts_with('#')
}

/// An anchor from a heading's words: letters and digits of any script kept (Chinese anchors
/// work in addresses), lower case, the rest joined by '-'.
fn anchor_from(text: &str) -> String {
    let mut anchor = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            anchor.extend(c.to_lowercase());
        } else if !anchor.ends_with('-') && !anchor.is_empty() {
            anchor.push('-');
        }
    }
    let anchor = anchor.trim_end_matches('-').to_owned();
    if anchor.is_empty() { "section".into() } else { anchor }
}

/// The anchor, with `-2`, `-3`, … when an earlier heading has it.
fn unique_anchor(anchor: String, earlier: &[Heading]) -> String {
    let taken = |candidate: &str| earlier.iter().any(|h| h.anchor == candidate);
    if !taken(&anchor) {
        return anchor;
    }
    (2..).map(|n| format!("{anchor}-{n}")).find(|candidate| !taken(candidate)).unwrap_or(anchor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_the_given_anchor_or_one_from_their_words() {
        let rendered = render("## 最要紧的事 {#urgent}\n\n### 在家里\n\n### 在家里\n\n## Before you go\n", 1);
        assert_eq!(
            rendered.headings.iter().map(|h| (h.level, h.anchor.as_str())).collect::<Vec<_>>(),
            [(2, "urgent"), (3, "在家里"), (3, "在家里-2"), (2, "before-you-go")]
        );
        assert!(rendered.html.contains("<h2 id=\"urgent\">最要紧的事</h2>"), "{}", rendered.html);
        assert!(rendered.html.contains("<h3 id=\"在家里-2\">在家里</h3>"));
    }

    #[test]
    fn raw_html_and_script_are_shown_as_text_never_as_markup() {
        let markdown = "Stay <b>calm</b>.\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n";
        let rendered = render(markdown, 10);
        assert!(!rendered.html.contains("<script"), "{}", rendered.html);
        assert!(!rendered.html.contains("<b>"));
        assert!(!rendered.html.contains("<img"));
        assert!(rendered.html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "{}", rendered.html);
        assert!(rendered.html.contains("Stay &lt;b&gt;calm&lt;/b&gt;."));
        assert_eq!(rendered.refused.iter().map(|(line, _)| *line).collect::<Vec<_>>(), [10, 10, 12, 14]);
    }

    #[test]
    fn links_go_to_web_addresses_and_site_paths_only() {
        let rendered = render(
            "[ok](https://www.mem.gov.cn/) [shelters](/shelters) [bad](javascript:alert(1)) [odd](//evil.example/)\n\n![kit](/k.png)",
            1,
        );
        assert!(
            rendered
                .html
                .contains("<a href=\"https://www.mem.gov.cn/\" rel=\"noopener noreferrer external\">ok</a>")
        );
        assert!(rendered.html.contains("<a href=\"/shelters\">shelters</a>"));
        assert!(!rendered.html.contains("javascript:"), "{}", rendered.html);
        assert!(!rendered.html.contains("evil.example"));
        assert!(rendered.html.contains(" bad "), "the refused link's words stay: {}", rendered.html);
        assert!(!rendered.html.contains("<img"));
        assert_eq!(rendered.refused.len(), 3);
    }

    #[test]
    fn the_text_holds_the_words_for_search_and_length() {
        let rendered =
            render("## 雷电 {#signs}\n\n- 远离**大树**\n- 拨打 119\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", 1);
        assert!(rendered.text.contains("远离大树"));
        assert!(rendered.text.contains("拨打 119"));
        assert!(rendered.html.contains("<table>"));
    }
}
