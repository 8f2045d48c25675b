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

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm). Dates are formatted without a date crate.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn thousands_and_dates() {
        assert_eq!(super::group_thousands(1_230_289, ' '), "1 230 289");
        assert_eq!(super::group_thousands(584, ' '), "584");
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_415), (2025, 11, 23));
    }

    #[test]
    fn fold_removes_accents_ligatures_and_case() {
        assert_eq!(fold("Évaluer ses actions"), "evaluer ses actions");
        assert_eq!(fold("Mettre en œuvre"), fold("mettre en oeuvre"));
        assert_eq!(fold("  Infirmière   de bloc "), "infirmiere de bloc");
    }
}
