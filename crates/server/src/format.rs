//! French number formatting for the pages (percentages and counts: `passerelle_core::text`).

/// A weight as typed in a form ("0,5" shown as "0.5" for number inputs).
pub fn weight(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn french_numbers() {
        assert_eq!(super::weight(0.5), "0.5");
        assert_eq!(super::weight(1.0), "1");
    }
}
