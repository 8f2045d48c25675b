//! docs/methode.md → HTML for the method page. Raw HTML in the Markdown is
//! shown as text, so the page keeps a strict Content-Security-Policy.

use pulldown_cmark::{Event, Options, Parser, html};

pub(crate) fn to_html(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES).map(|e| {
            match e {
                Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
                e => e,
            }
        });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_html_is_escaped() {
        let h = super::to_html("# Titre\n\n<script>alert(1)</script> et *ça*");
        assert!(h.contains("<h1>Titre</h1>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("<script>"), "{h}");
    }
}
