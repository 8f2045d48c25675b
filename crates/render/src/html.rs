//! Self-contained HTML rendering of the documents: CSS in one `<style>`
//! element (its SHA-256 hash is given for a Content-Security-Policy), the
//! radar inline as SVG, no script and nothing loaded from the network.
//! Links to official pages are plain `<a href>`.

use std::fmt::Write;

use passerelle_core::engine::Gap;

use crate::build::pct;
use crate::document::*;
use crate::sha256;

/// The stylesheet (screen and print).
pub const CSS: &str = r#"
:root{--ink:#1d2630;--muted:#5b6770;--accent:#1f5f8b;--line:#d5dbe1;--bar:#1f5f8b;--bg2:#f3f6f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:var(--ink);max-width:60rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45;font-size:15px}
h1{font-size:1.8rem;color:var(--accent);margin:.2rem 0}
h2{font-size:1.3rem;color:var(--accent);border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.notice{background:#fff6e0;border-left:4px solid #d89b00;padding:.5rem .8rem;font-size:.9rem}
.cover{border:1px solid var(--line);padding:1rem;border-radius:6px;background:var(--bg2)}
.muted{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}
td.num{text-align:right;white-space:nowrap}
.bar{display:inline-block;width:4rem;height:.6rem;background:#e4e9ee;vertical-align:middle;margin-right:.3rem}
.bar>span{display:block;height:100%;background:var(--bar)}
.stars{color:#c98a00;letter-spacing:1px;white-space:nowrap}
.radar svg{max-width:100%;height:auto}
.tier-courte{color:#1b7a3a;font-weight:bold}.tier-possible{color:#8a6d00;font-weight:bold}.tier-exigeante{color:#a33;font-weight:bold}
.entretiens{border:1px dashed var(--accent);padding:.5rem 1rem;border-radius:6px}
.tag{display:inline-block;background:var(--accent);color:#fff;font-size:.75rem;padding:0 .4rem;border-radius:3px}
@media print{body{max-width:none;font-size:10.5pt;padding:0}h2{break-after:avoid}tr,.radar{break-inside:avoid}a{color:inherit;text-decoration:none}.notice{border-left-color:#000}}
"#;

/// `sha256-…` source for a `style-src` CSP directive allowing [`CSS`].
pub fn css_csp_hash() -> String {
    format!("'sha256-{}'", base64_std(&sha256::digest(CSS.as_bytes())))
}

fn base64_std(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// HTML-escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
}

fn bar(v: Option<f64>) -> String {
    match v {
        Some(x) => format!(
            "<span class=\"bar\" aria-hidden=\"true\"><span style=\"width:{}%\"></span></span>{}",
            (x * 100.0).round().clamp(0.0, 100.0),
            pct(v)
        ),
        None => NON_DISPONIBLE.into(),
    }
}

fn stars(n: u8) -> String {
    format!(
        "<span class=\"stars\" aria-label=\"{n} étoiles sur 5\">{}{}</span>",
        "★".repeat(n as usize),
        "☆".repeat(5usize.saturating_sub(n as usize))
    )
}

fn list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
        return;
    }
    out.push_str("<ul>\n");
    for i in items {
        let _ = writeln!(out, "<li>{}</li>", esc(i));
    }
    out.push_str("</ul>\n");
}

fn paras(out: &mut String, ps: &[String]) {
    if ps.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
    }
    for p in ps {
        let _ = writeln!(out, "<p>{}</p>", esc(p));
    }
}

fn tier_class(label: &str) -> &'static str {
    if label.contains("courte") {
        "tier-courte"
    } else if label.contains("possible") {
        "tier-possible"
    } else {
        "tier-exigeante"
    }
}

fn notice(out: &mut String) {
    let _ = writeln!(out, "<p class=\"notice\" role=\"note\">{}</p>", esc(NOTICE));
}

fn formations(out: &mut String, f: &Formations) {
    if f.items.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(f.note.as_deref().unwrap_or(NON_DISPONIBLE)));
    } else {
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Formation</th><th scope=\"col\">Organisme</th><th scope=\"col\">Lieu</th><th scope=\"col\">Durée</th><th scope=\"col\">Modalités</th></tr></thead>\n<tbody>\n");
        for o in &f.items {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&o.intitule),
                esc(&o.organisme),
                esc(&o.ville),
                o.duree_heures.map(|h| format!("{} h", passerelle_core::text::fr_int(u64::from(h)))).unwrap_or_else(|| NON_DISPONIBLE.into()),
                esc(&o.modalites.join(", "))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(s) = &f.source {
        let _ = writeln!(out, "<p class=\"muted\">Source : {}</p>", esc(s));
    }
}

fn links(out: &mut String, ls: &[Link]) {
    out.push_str("<ul>\n");
    for l in ls {
        let _ = writeln!(out, "<li><a href=\"{}\">{}</a> <span class=\"muted\">({})</span></li>", esc(&l.url), esc(&l.label), esc(&l.url));
    }
    out.push_str("</ul>\n");
}

fn gap_section(out: &mut String, g: &Gap) {
    let _ = writeln!(
        out,
        "<h3>{} ({}) → {}</h3>\n<p>Score combiné : <strong>{}</strong> — <span class=\"{}\">{}</span></p>",
        esc(&g.source.title),
        esc(g.source.code.as_str()),
        esc(&g.target.title),
        pct(g.scores.score),
        tier_class(g.tier_label),
        esc(g.tier_label)
    );
    for s in &g.narrative {
        let _ = writeln!(out, "<p>{}</p>", esc(s));
    }
    out.push_str("<table>\n<thead><tr><th scope=\"col\">Axe</th><th scope=\"col\">Couverture</th><th scope=\"col\">Déjà acquis</th><th scope=\"col\">À acquérir</th></tr></thead>\n<tbody>\n");
    if let Some(t) = &g.transversal {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">Compétences transversales</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            bar(Some(t.score)),
            esc(&t.adaptees.join(" ; ")),
            esc(&t.a_faire_evoluer.join(" ; "))
        );
    } else {
        let _ = writeln!(out, "<tr><th scope=\"row\">Compétences transversales</th><td colspan=\"3\">{NON_DISPONIBLE}</td></tr>");
    }
    for (name, it) in [("Savoirs", &g.savoirs), ("Savoir-faire", &g.savoir_faire)] {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{name}</th><td>{} <span class=\"muted\">({} sur {})</span></td><td>{}</td><td>{}</td></tr>",
            bar(it.score),
            it.numerator,
            it.denominator,
            esc(&it.acquis.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" ; ")),
            esc(&it.a_acquerir.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" ; "))
        );
    }
    let c = &g.contextes;
    let groups = |gs: &[passerelle_core::engine::ContextGroup]| {
        gs.iter()
            .map(|g| format!("{} : {}", g.type_label, g.items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" / ")))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">Contextes de travail</th><td>{} <span class=\"muted\">({} sur {})</span></td><td>{}</td><td>{}</td></tr>",
        bar(c.score),
        c.numerator,
        c.denominator,
        esc(&groups(&c.similaires)),
        esc(&groups(&c.nouveaux))
    );
    out.push_str("</tbody>\n</table>\n");
}

/// The fiche passerelle as a standalone HTML page.
pub fn fiche(d: &FichePasserelle) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let c = &d.cover;
    head(&mut o, &format!("Fiche passerelle – {}", c.title));
    o.push_str("<header class=\"cover\">\n<p class=\"muted\">Fiche passerelle</p>\n");
    let _ = writeln!(o, "<h1>{}</h1>", esc(&c.title));
    let _ = writeln!(o, "<p>Fiche ROME {} – {}<br><span class=\"muted\">{}</span></p>", esc(&c.code_rome), esc(&c.fiche_title), esc(&c.resolution));
    let dept = match (&c.departement, &c.departement_nom) {
        (Some(code), Some(nom)) => format!("{nom} ({code})"),
        (Some(code), None) => code.clone(),
        _ => NON_DISPONIBLE.into(),
    };
    let _ = writeln!(o, "<p>Département : <strong>{}</strong><br>Édition du {} — {}</p>", esc(&dept), esc(&c.generated_on), esc(&c.rome_version));
    o.push_str("</header>\n");
    notice(&mut o);
    o.push_str("<main>\n");

    o.push_str("<section>\n<h2>Compétences transversales : la méthode</h2>\n");
    paras(&mut o, &d.methode_transversale.paragraphs);
    o.push_str("<table>\n<thead><tr>");
    for cat in &d.methode_transversale.categories {
        let _ = write!(o, "<th scope=\"col\">{}</th>", esc(&cat.label));
    }
    o.push_str("</tr></thead>\n<tbody><tr>");
    for cat in &d.methode_transversale.categories {
        let _ = write!(o, "<td>{}</td>", cat.competencies.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>"));
    }
    o.push_str("</tr></tbody>\n</table>\n</section>\n");

    o.push_str("<section>\n<h2>Contexte territorial</h2>\n");
    if let Some(n) = &d.territoire.note {
        let _ = writeln!(o, "<p class=\"muted\">{}</p>", esc(n));
    }
    if !d.territoire.figures.is_empty() {
        o.push_str("<table>\n<thead><tr><th scope=\"col\">Indicateur</th><th scope=\"col\">Valeur</th><th scope=\"col\">Source</th></tr></thead>\n<tbody>\n");
        for f in &d.territoire.figures {
            let notes = if f.notes.is_empty() { String::new() } else { format!("<br><span class=\"muted\">{}</span>", esc(&f.notes.join(" "))) };
            let _ = writeln!(
                o,
                "<tr><th scope=\"row\">{}</th><td>{}{notes}</td><td class=\"muted\">{}</td></tr>",
                esc(&f.label),
                esc(&f.text),
                esc(f.source.as_deref().unwrap_or(NON_DISPONIBLE))
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Définition et missions</h2>\n<h3>Définition de l'emploi</h3>\n");
    paras(&mut o, &d.definition.definition);
    o.push_str("<h3>Accès au métier</h3>\n");
    paras(&mut o, &d.definition.acces);
    o.push_str("<h3>Missions</h3>\n");
    if d.definition.missions.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
    }
    for g in &d.definition.missions {
        let _ = writeln!(o, "<h4>{}</h4>", esc(&g.title));
        list(&mut o, &g.items);
    }
    o.push_str("<p class=\"muted\">Source : textes de la fiche ROME.</p>\n</section>\n");

    o.push_str("<section>\n<h2>Profil de compétences transversales</h2>\n");
    match &d.profil_transversal {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
        }
        Some(p) => {
            let _ = writeln!(o, "<p><span class=\"tag\">{}</span> {}</p>", esc(p.provenance.kind_fr()), esc(&p.provenance_label));
            let _ = writeln!(o, "<figure class=\"radar\">{}<figcaption class=\"muted\">Niveau d'expertise (0 à 4) de chaque compétence.</figcaption></figure>", p.svg);
            o.push_str("<table>\n<thead><tr><th scope=\"col\">Compétence</th><th scope=\"col\">Catégorie</th><th scope=\"col\">Importance</th><th scope=\"col\">Niveau</th><th scope=\"col\">En situation de travail</th></tr></thead>\n<tbody>\n");
            for r in &p.rows {
                let _ = writeln!(
                    o,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"num\">{}/4</td><td>{}</td></tr>",
                    esc(&r.competency),
                    esc(&r.category),
                    stars(r.stars),
                    r.level,
                    esc(&r.situation)
                );
            }
            o.push_str("</tbody>\n</table>\n");
        }
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Descriptif métier</h2>\n<h3>Certifications et blocs de compétences</h3>\n");
    if d.descriptif.certifications.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
    }
    for cert in &d.descriptif.certifications {
        let mut meta = Vec::new();
        if let Some(r) = &cert.rncp {
            meta.push(r.clone());
        }
        if let Some(n) = cert.niveau {
            meta.push(format!("niveau {n}"));
        }
        let _ = writeln!(o, "<h4>{} <span class=\"muted\">{}</span></h4>", esc(&cert.intitule), esc(&meta.join(", ")));
        list(&mut o, &cert.blocs);
        if !cert.source.is_empty() {
            let _ = writeln!(o, "<p class=\"muted\">Source : {}</p>", esc(&cert.source));
        }
    }
    o.push_str("<h3>Savoir-être professionnels</h3>\n");
    list(&mut o, &d.descriptif.savoir_etre);
    o.push_str("<h3>Descriptif métier selon les entretiens employeurs</h3>\n");
    match &d.descriptif.entretiens {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">Aucun entretien employeur saisi pour ce métier dans ce département ({NON_DISPONIBLE}).</p>");
        }
        Some(e) => {
            o.push_str("<div class=\"entretiens\">\n<p><span class=\"tag\">entretiens employeurs</span> Contenu rédigé, non calculé.</p>\n");
            for g in &e.sections {
                let _ = writeln!(o, "<h4>{}</h4>", esc(&g.title));
                list(&mut o, &g.items);
            }
            let _ = writeln!(o, "<p class=\"muted\">Source : {}</p>\n</div>", esc(&e.source));
        }
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Profil RIASEC</h2>\n");
    match &d.riasec {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
        }
        Some(r) => {
            let _ = writeln!(o, "<p>Profil RIASEC de la fiche : <strong>{}</strong></p>\n<ul>", esc(&r.code));
            for l in &r.letters {
                let _ = writeln!(o, "<li><strong>{} – {}</strong> : {}</li>", esc(&l.letter), esc(&l.label), esc(&l.description));
            }
            let _ = writeln!(o, "</ul>\n<p class=\"muted\">{}</p>", esc(&r.explanation));
        }
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Métiers sources</h2>\n");
    paras(&mut o, &d.sources.explanation);
    o.push_str("<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Métier source</th><th scope=\"col\">Code</th><th scope=\"col\">Transversales</th><th scope=\"col\">Savoirs</th><th scope=\"col\">Savoir-faire</th><th scope=\"col\">Contextes</th><th scope=\"col\">Score</th><th scope=\"col\">Viabilité</th></tr></thead>\n<tbody>\n");
    for r in &d.sources.rows {
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
            r.rank,
            esc(&r.title),
            esc(&r.code),
            bar(r.transversal),
            bar(r.savoirs),
            bar(r.savoir_faire),
            bar(r.contextes),
            pct(r.score),
            tier_class(r.tier_label),
            esc(r.tier_label)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");

    o.push_str("<section>\n<h2>Analyse des écarts</h2>\n");
    if d.ecarts.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
    }
    for g in &d.ecarts {
        gap_section(&mut o, g);
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Offre de formation</h2>\n");
    formations(&mut o, &d.formations);
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Autres appellations des métiers sources</h2>\n");
    for s in &d.autres_appellations {
        let _ = writeln!(o, "<h3>{} ({})</h3>", esc(&s.title), esc(&s.code));
        list(&mut o, &s.appellations);
    }
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Pour aller plus loin</h2>\n");
    links(&mut o, &d.liens);
    o.push_str("</section>\n");

    o.push_str("<section>\n<h2>Annexe : méthodes et sources</h2>\n<h3>Méthodes</h3>\n");
    list(&mut o, &d.annexe.methodes);
    o.push_str("<h3>Sources et licences</h3>\n");
    list(&mut o, &d.annexe.attributions);
    o.push_str("</section>\n</main>\n<footer>\n");
    notice(&mut o);
    o.push_str("</footer>\n</body>\n</html>\n");
    o
}

/// The parcours de mobilité as a standalone HTML page.
pub fn parcours(d: &Parcours) -> String {
    let mut o = String::with_capacity(32 * 1024);
    head(&mut o, &format!("Parcours de mobilité – {} vers {}", d.source.title, d.target.title));
    o.push_str("<header class=\"cover\">\n<p class=\"muted\">Parcours de mobilité</p>\n");
    let _ = writeln!(o, "<h1>{}</h1>\n<p><strong>{}</strong></p>", esc(&d.je_suis), esc(&d.je_souhaite));
    let _ = writeln!(
        o,
        "<p class=\"muted\">{} ({}) → {} ({}) — édition du {}</p>\n</header>",
        esc(&d.source.title),
        esc(&d.source.code),
        esc(&d.target.title),
        esc(&d.target.code),
        esc(&d.generated_on)
    );
    notice(&mut o);
    o.push_str("<main>\n<section>\n<h2>En bref</h2>\n");
    let _ = writeln!(o, "<p>Score combiné : <strong>{}</strong> — <span class=\"{}\">{}</span></p>", pct(d.score), tier_class(&d.tier_label), esc(&d.tier_label));
    paras(&mut o, &d.synthese);
    o.push_str("</section>\n<section>\n<h2>Le métier visé</h2>\n");
    paras(&mut o, &d.definition);
    o.push_str("<h3>Accès au métier</h3>\n");
    paras(&mut o, &d.acces);
    o.push_str("</section>\n<section>\n<h2>Compétences transférables</h2>\n");
    let _ = writeln!(o, "<p class=\"muted\">{}</p>", esc(&d.transferabilite_methode));
    let _ = writeln!(
        o,
        "<table>\n<thead><tr><th scope=\"col\">Activités de {}</th><th scope=\"col\">Degré de transférabilité</th><th scope=\"col\">Explication</th></tr></thead>\n<tbody>",
        esc(&d.source.title)
    );
    for a in &d.activites {
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}</th><td>{} {}</td><td>{}</td></tr>",
            esc(&a.title),
            bar(Some(a.part)),
            a.degre,
            esc(&a.explication)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n<section>\n<h2>Compétences à acquérir</h2>\n");
    if d.a_acquerir.is_empty() {
        o.push_str("<p>Aucun écart relevé par le référentiel.</p>\n");
    }
    for g in &d.a_acquerir {
        let _ = writeln!(o, "<h3>{}</h3>", esc(&g.title));
        list(&mut o, &g.items);
    }
    o.push_str("</section>\n<section>\n<h2>Certification</h2>\n");
    match &d.certification {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">{NON_DISPONIBLE}</p>");
        }
        Some(c) => {
            let _ = writeln!(o, "<h3>{}</h3>\n<p>{}</p>", esc(&c.intitule), esc(&c.explication));
            o.push_str("<table>\n<thead><tr><th scope=\"col\">Bloc</th><th scope=\"col\">Durée</th><th scope=\"col\">Pour ce profil</th></tr></thead>\n<tbody>\n");
            for b in &c.blocs {
                let status = match &c.acces {
                    Some(a) if a.blocs_dispenses.iter().any(|x| x.numero == b.numero) => "dispensé",
                    Some(a) if a.blocs_alleges.iter().any(|x| x.numero == b.numero) => "allègement possible",
                    _ => "à suivre",
                };
                let _ = writeln!(o, "<tr><th scope=\"row\">{} – {}</th><td class=\"num\">{} h</td><td>{status}</td></tr>", b.numero, esc(&b.intitule), b.heures);
            }
            o.push_str("</tbody>\n</table>\n");
        }
    }
    o.push_str("</section>\n<section>\n<h2>Formations à proximité</h2>\n");
    formations(&mut o, &d.formations);
    o.push_str("</section>\n<section>\n<h2>Pour aller plus loin</h2>\n");
    links(&mut o, &d.liens);
    o.push_str("<h3>Sources</h3>\n");
    list(&mut o, &d.attributions);
    o.push_str("</section>\n</main>\n<footer>\n");
    notice(&mut o);
    o.push_str("</footer>\n</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_csp_hash() {
        assert_eq!(esc("<a href=\"x\">l'&</a>"), "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;");
        let h = css_csp_hash();
        assert!(h.starts_with("'sha256-") && h.ends_with("='"), "{h}");
        assert_eq!(base64_std(b"abc"), "YWJj");
        assert_eq!(base64_std(b"ab"), "YWI=");
        assert!(!CSS.contains("url("), "aucune ressource externe dans la feuille de style");
    }
}
