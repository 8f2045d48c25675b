//! Helpers shared by the XML readers (RNCP/RS, LHEO): text accumulation
//! across entity references, and byte offset → line/column for errors.

use quick_xml::events::BytesRef;

/// Deepest nesting of elements accepted, checked on the event stream before
/// anything is deserialised. LHEO and the RNCP export nest about ten levels;
/// the bound refuses a crafted file of 200,000 nested elements with its line
/// instead of letting it through (skipped unread) or exhausting a stack.
pub const MAX_XML_DEPTH: usize = 64;

/// The French message for an element nested deeper than [`MAX_XML_DEPTH`].
pub(crate) fn too_deep(name: &str) -> String {
    format!("élément <{name}> imbriqué à plus de {MAX_XML_DEPTH} niveaux : fichier refusé")
}

/// Appends a general reference (`&amp;`, `&#233;`) to `text`.
pub(crate) fn push_ref(text: &mut String, r: &BytesRef<'_>) -> Result<(), String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        text.push(c);
        return Ok(());
    }
    let name: &str = r;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        other => return Err(format!("entité inconnue « &{other}; »")),
    };
    text.push(c);
    Ok(())
}

/// 1-based line and column (in characters) of `offset` in `bytes`.
pub fn line_col(bytes: &[u8], offset: u64) -> (u64, u64) {
    let end = (offset as usize).min(bytes.len());
    let before = &bytes[..end];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    (line, column)
}

/// Line and column of `offset` in the file at `path`, reading only up to it.
pub fn line_col_in_file(path: &std::path::Path, offset: u64) -> (u64, u64) {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(offset).read_to_end(&mut buf);
    }
    line_col(&buf, offset)
}

/// Collapses runs of whitespace (the exports indent and wrap long texts).
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
