//! French number formatting for the pages.

/// "25 %" (rounded to the unit, narrow no-break space), "n. d." when unavailable.
pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{}\u{202f}%", (v * 100.0).round() as i64),
        None => "n. d.".into(),
    }
}

/// "1 230 289" with narrow no-break spaces.
pub fn int(n: u64) -> String {
    passerelle_core::text::group_thousands(n, '\u{202f}')
}

/// A weight as typed in a form ("0,5" shown as "0.5" for number inputs).
pub fn weight(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn french_numbers() {
        assert_eq!(super::pct(Some(0.254)), "25\u{202f}%");
        assert_eq!(super::pct(None), "n. d.");
        assert_eq!(super::int(1_230_289), "1\u{202f}230\u{202f}289");
        assert_eq!(super::weight(0.5), "0.5");
        assert_eq!(super::weight(1.0), "1");
    }
}
