//! French text normalisation shared by search, name matching and imports.

/// Folds a French label for comparison: lower case, accents removed, ligatures
/// expanded (`œ` → `oe`), typographic apostrophes and dashes made plain, runs
/// of white space collapsed. "Évaluer ses actions" and "evaluer  ses actions"
/// fold to the same string.
pub fn fold(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn fold_removes_accents_ligatures_and_case() {
        assert_eq!(fold("Évaluer ses actions"), "evaluer ses actions");
        assert_eq!(fold("Mettre en œuvre"), fold("mettre en oeuvre"));
        assert_eq!(fold("  Infirmière   de bloc "), "infirmiere de bloc");
    }
}
