//! French text shared by search, name matching, imports and every output:
//! folding for comparison, and numbers as users see them.

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

/// The space French typography puts between groups of digits and before
/// `%`: the narrow no-break space (U+202F), as in CLDR's French locale
/// (docs/decisions.md, « Nombres »). Every number shown to users uses it.
pub const FR_SPACE: char = '\u{202f}';

/// What a table cell shows for an absent score ("non disponible" in short).
pub const NOT_AVAILABLE_SHORT: &str = "n. d.";

/// A score in `[0, 1]` as users see it: a percentage rounded to the unit
/// (`0.254` → "25 %", [`FR_SPACE`]); [`NOT_AVAILABLE_SHORT`] when absent.
pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{}{FR_SPACE}%", (v * 100.0).round() as i64),
        None => NOT_AVAILABLE_SHORT.to_string(),
    }
}

/// A count as users see it: `1230289` → "1 230 289" ([`FR_SPACE`]).
pub fn fr_int(n: u64) -> String {
    group_thousands(n, FR_SPACE)
}

/// A decimal number with a decimal comma and `places` decimals, as users see
/// it: `10.4` → "10,4". The integer part is not grouped (rates, seconds,
/// megabytes: never beyond a few hundred).
pub fn fr_decimal(v: f64, places: usize) -> String {
    format!("{v:.places$}").replace('.', ",")
}

/// Groups the digits of `n` by three with `sep` (French style: `1 230 289`).
pub fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len_utf8());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn french_numbers_use_the_narrow_no_break_space() {
        assert_eq!(super::pct(Some(0.254)), "25\u{202f}%");
        assert_eq!(super::pct(Some(1.0)), "100\u{202f}%");
        assert_eq!(super::pct(None), "n. d.");
        assert_eq!(super::fr_int(0), "0");
        assert_eq!(super::fr_int(999), "999");
        assert_eq!(super::fr_int(1_584), "1\u{202f}584");
        assert_eq!(super::fr_int(1_230_289), "1\u{202f}230\u{202f}289");
        assert_eq!(super::fr_decimal(10.4, 1), "10,4");
        assert_eq!(super::fr_decimal(1.256, 2), "1,26");
        assert_eq!(super::fr_decimal(200.0, 0), "200");
    }

    #[test]
    fn thousands() {
        assert_eq!(super::group_thousands(1_230_289, ' '), "1 230 289");
        assert_eq!(super::group_thousands(584, ' '), "584");
    }

    #[test]
    fn fold_removes_accents_ligatures_and_case() {
        assert_eq!(fold("Évaluer ses actions"), "evaluer ses actions");
        assert_eq!(fold("Mettre en œuvre"), fold("mettre en oeuvre"));
        assert_eq!(fold("  Infirmière   de bloc "), "infirmiere de bloc");
    }
}
