//! The escapers of the askama templates (see `askama.toml`): every value
//! printed by a template goes through one of them unless marked `|safe`
//! (the static stylesheet, the links' addresses in Markdown: see
//! ARCHITECTURE.md) or escaped explicitly (`|e("svg")` in `radar.svg`).

use std::fmt::{self, Write};

/// HTML element content and attribute values: `& < > " '`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: Write>(&self, dest: W, s: &str) -> fmt::Result {
        write_entities(dest, s, |c| match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\'' => Some("&#39;"),
            _ => None,
        })
    }
}

/// SVG text and attribute values (the radar, `templates/radar.svg`):
/// `& < > "`, as the radar has always escaped them; it is also printed
/// inside HTML pages, where these four suffice in text and in
/// double-quoted attributes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Svg;

impl askama::filters::Escaper for Svg {
    fn write_escaped_str<W: Write>(&self, dest: W, s: &str) -> fmt::Result {
        write_entities(dest, s, |c| match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            _ => None,
        })
    }
}

/// Writes `s`, each character that `entity` names replaced by its entity.
fn write_entities<W: Write>(
    mut dest: W,
    s: &str,
    entity: impl Fn(char) -> Option<&'static str>,
) -> fmt::Result {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let Some(e) = entity(c) else { continue };
        dest.write_str(&s[last..i])?;
        dest.write_str(e)?;
        last = i + c.len_utf8();
    }
    dest.write_str(&s[last..])
}

/// Markdown text: a backslash before every character Markdown would
/// interpret at the start or inside a line (emphasis, code, links, HTML,
/// tables, headings).
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl askama::filters::Escaper for Markdown {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        for c in s.chars() {
            if matches!(
                c,
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#'
            ) {
                dest.write_char('\\')?;
            }
            dest.write_char(c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use askama::filters::Escaper;

    fn esc(e: impl Escaper, s: &str) -> String {
        let mut o = String::new();
        e.write_escaped_str(&mut o, s).unwrap();
        o
    }

    #[test]
    fn html_svg_and_markdown() {
        assert_eq!(
            esc(super::Svg, "<a href=\"x\">l'&</a>"),
            "&lt;a href=&quot;x&quot;&gt;l'&amp;&lt;/a&gt;"
        );
        assert_eq!(
            esc(super::Html, "<a href=\"x\">l'&</a>é"),
            "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;é"
        );
        assert_eq!(
            esc(super::Markdown, "a*b_c [d] | #1 `x` <y>"),
            "a\\*b\\_c \\[d\\] \\| \\#1 \\`x\\` \\<y\\>"
        );
    }
}
