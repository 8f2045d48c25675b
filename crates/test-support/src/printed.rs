//! Reading back what the outputs print about a score: its decomposition
//! (`passerelle_render::scoring::decomposition`), the rule of the four
//! labels (`Tiers::rule_fr`) and the figures of a row — so that a test
//! re-derives a label, or adds a score up, from the printed text alone.

/// A French number at the start of `s` ("0,25", "31", "2,5"), with the
/// rest of the string.
fn number(s: &str) -> Option<(f64, &str)> {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ','))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let v = s[..end].replace(',', ".").parse().ok()?;
    Some((v, &s[end..]))
}

/// The number right after `pat` in `s`.
fn number_after(s: &str, pat: &str) -> Option<f64> {
    let i = s.find(pat)?;
    number(&s[i + pat.len()..]).map(|(v, _)| v)
}

/// A percentage "31 %" (any space), in points.
fn percent(s: &str) -> Option<f64> {
    let (v, rest) = number(s)?;
    rest.trim_start_matches([' ', '\u{202f}', '\u{a0}'])
        .starts_with('%')
        .then_some(v)
}

/// The last "N %" of `s`, in points.
fn last_percent(s: &str) -> Option<f64> {
    let i = s.rfind('%')?;
    let head = s[..i].trim_end_matches([' ', '\u{202f}', '\u{a0}']);
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ','))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    number(&head[start..]).map(|(v, _)| v)
}

/// Adds a printed decomposition up: `(sum of its terms, printed score)`,
/// both in points, e.g. from « 0,4 × (1 × savoirs 20 % + 1 × savoir-faire
/// 25 % + 0,25 × contextes 40 %) / 2,25 + 0,6 × libellés 31 % + domaine
/// 2,5 % − niveau 0 % = 31 % ».
pub fn add_up(text: &str) -> Result<(f64, f64), String> {
    let err = |what: &str| format!("{what} : « {text} »");
    let (body, result) = text.rsplit_once(" = ").ok_or_else(|| err("pas de « = »"))?;
    let printed = percent(result).ok_or_else(|| err("score imprimé illisible"))?;
    // φ × [ … ] when nothing is shared, ψ × [ … ] when nothing of the core.
    let (floor, body) = match body.split_once(" × [") {
        Some((phi, inner)) if !phi.contains('(') => (
            number(phi).ok_or_else(|| err("facteur φ"))?.0,
            inner.trim_end_matches(']'),
        ),
        _ => (1.0, body),
    };
    let open = body.find('(').ok_or_else(|| err("pas de parenthèse"))?;
    let close = body.find(')').ok_or_else(|| err("parenthèse non fermée"))?;
    let axes_share = number(&body[..open]).ok_or_else(|| err("part des axes"))?.0;
    let (mut num, mut den) = (0.0, 0.0);
    for term in body[open + 1..close].split(" + ") {
        let (w, _) = number(term).ok_or_else(|| err("poids"))?;
        let p = last_percent(term).ok_or_else(|| err("part d'un axe"))?;
        num += w * p;
        den += w;
    }
    let rest = &body[close + 1..];
    let printed_den = match rest.trim_start().strip_prefix('/') {
        Some(r) => number(r).ok_or_else(|| err("somme des poids"))?.0,
        None => 1.0,
    };
    if (printed_den - den).abs() > 1e-6 {
        return Err(err(&format!("somme des poids {den} ≠ {printed_den}")));
    }
    let plus: Vec<&str> = rest.split(" + ").skip(1).collect();
    let wording_term = plus.first().ok_or_else(|| err("terme des libellés"))?;
    let lambda = number(wording_term).ok_or_else(|| err("λ"))?.0;
    let wording = number_after(wording_term, "libellés ").ok_or_else(|| err("libellés"))?;
    let domain = number_after(rest, "domaine ").ok_or_else(|| err("domaine"))?;
    let level = number_after(rest, "− niveau ").ok_or_else(|| err("niveau"))?;
    let axes = if den > 0.0 { num / den } else { 0.0 };
    let sum = floor * (axes_share * axes + lambda * wording + domain - level);
    Ok((sum.clamp(0.0, 100.0), printed))
}

/// The rule of the four labels, as printed.
#[derive(Debug, Clone, Copy)]
pub struct PrintedRule {
    pub courte: f64,
    pub courte_savoir_faire: f64,
    pub possible: f64,
    pub long_levels: f64,
    pub regulated_levels: f64,
}

impl PrintedRule {
    /// Reads the four lines of `Tiers::rule_fr` (visible text).
    pub fn parse(text: &str) -> Result<PrintedRule, String> {
        let line = |label: &str| {
            text.find(&format!("{label} :"))
                .map(|i| &text[i..])
                .ok_or_else(|| format!("règle « {label} » absente : {text}"))
        };
        let (c, p, l) = (
            line("passerelle courte")?,
            line("passerelle possible")?,
            line("reconversion longue")?,
        );
        let need = |v: Option<f64>, what: &str| v.ok_or_else(|| format!("{what} : {text}"));
        Ok(PrintedRule {
            courte: need(number_after(c, "score d'au moins"), "seuil courte")?,
            courte_savoir_faire: need(number_after(c, "et au moins"), "part de savoir-faire")?,
            possible: need(number_after(p, "score d'au moins"), "seuil possible")?,
            long_levels: need(number_after(l, "au moins"), "niveaux")?,
            regulated_levels: need(number_after(l, "("), "niveaux, réglementé")?,
        })
    }

    /// The label the rule gives to printed figures.
    pub fn label(&self, f: &PrintedFigures) -> &'static str {
        let up = f.levels.map(|(s, t)| t - s);
        let long = f.after
            || up.is_some_and(|u| {
                u >= self.long_levels || (f.regulated && u >= self.regulated_levels)
            });
        if long {
            "reconversion longue"
        } else if !f.shared {
            "passerelle exigeante"
        } else if f.score >= self.courte && f.savoir_faire >= self.courte_savoir_faire {
            "passerelle courte"
        } else if f.score >= self.possible {
            "passerelle possible"
        } else {
            "passerelle exigeante"
        }
    }
}

/// The figures a row prints beside its label.
#[derive(Debug, Clone, Copy)]
pub struct PrintedFigures {
    pub score: f64,
    pub savoir_faire: f64,
    pub shared: bool,
    pub levels: Option<(f64, f64)>,
    pub regulated: bool,
    /// The target follows another diploma ("accessible après …").
    pub after: bool,
}

impl PrintedFigures {
    /// From the printed score ("31 %") and the figures' line
    /// (`rule_figures` joined by " ; ").
    pub fn parse(score: &str, figures: &str) -> Result<PrintedFigures, String> {
        let err = |what: &str| format!("{what} : « {score} » « {figures} »");
        let levels = figures.find("niveau ").and_then(|i| {
            let (s, rest) = number(&figures[i + "niveau ".len()..])?;
            let (t, _) = number(rest.trim_start().strip_prefix('→')?)?;
            Some((s, t))
        });
        Ok(PrintedFigures {
            score: percent(score.trim()).ok_or_else(|| err("score"))?,
            savoir_faire: number_after(figures, "pondérés :")
                .ok_or_else(|| err("part de savoir-faire"))?,
            shared: !figures.contains("aucun savoir ni savoir-faire en commun"),
            levels,
            regulated: figures.contains("réglementé"),
            after: figures.contains("accessible après")
                || figures.contains("accessible seulement après"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_decomposition_up() {
        let (sum, printed) = add_up("0,4 × (1 × savoirs 20\u{202f}% + 1 × savoir-faire 25\u{202f}% + 0,25 × contextes 40\u{202f}%) / 2,25 + 0,6 × libellés 31\u{202f}% + domaine 2,5\u{202f}% − niveau 0\u{202f}% = 31\u{202f}%").unwrap();
        assert!((sum - 30.88).abs() < 0.01, "{sum}");
        assert_eq!(printed, 31.0);
        let (sum, _) = add_up("0,5 × [0,4 × (1 × savoirs 20\u{202f}%) + 0,6 × libellés 30\u{202f}% + domaine 0\u{202f}% − niveau 0\u{202f}%] = 13\u{202f}% (aucun savoir ni savoir-faire en commun)").unwrap();
        assert!((sum - 13.0).abs() < 0.01, "{sum}");
    }

    #[test]
    fn derives_a_label() {
        let rule = PrintedRule::parse("passerelle courte : score d'au moins 20 % et au moins 25 % des savoir-faire ; passerelle possible : score d'au moins 13 % et … ; reconversion longue : métier cible au moins 3 niveaux de diplôme au-dessus (2 s'il est réglementé), ou …").unwrap();
        let f = |s: &str, fig: &str| rule.label(&PrintedFigures::parse(s, fig).unwrap());
        let fig = "savoir-faire maîtrisés, pondérés : 25 % ; au moins un savoir ou savoir-faire en commun";
        assert_eq!(f("20 %", fig), "passerelle courte");
        assert_eq!(f("19 %", fig), "passerelle possible");
        assert_eq!(
            f(
                "40 %",
                &format!("{fig} ; niveau 3 → 5 ; métier cible réglementé")
            ),
            "reconversion longue"
        );
        assert_eq!(
            f("40 %", &format!("{fig} ; niveau 3 → 5")),
            "passerelle courte"
        );
    }
}
