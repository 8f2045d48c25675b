//! LHEO and CSV training-offer readers on hand-written fixtures and on the
//! shipped demo file.

use std::path::{Path, PathBuf};

use passerelle_core::territory::records::Session;
use passerelle_territory::formations::{read_formations, read_formations_file};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn demo_file_declares_the_document_it_transcribes() {
    let (offers, source) =
        read_formations_file(&repo("data/territoire/formations_herault_demo.xml")).unwrap();
    assert_eq!(offers.len(), 2);
    let source = source.expect("extras/extra info=\"source\"");
    assert!(
        source.contains("Fiche passerelle Assistant médical, Hérault — AFPA pour l'Opco EP"),
        "{source}"
    );
    let (_, none) =
        read_formations_file(&repo("crates/territory/tests/fixtures/lheo_sessions.xml")).unwrap();
    assert_eq!(none, None, "no declared source: none invented");
}

#[test]
fn demo_file_holds_the_two_herault_offers_of_the_model_fiche() {
    let offers = read_formations(&repo("data/territoire/formations_herault_demo.xml")).unwrap();
    assert_eq!(offers.len(), 2);
    let (k, i) = (&offers[0], &offers[1]);
    assert_eq!(
        (k.organisme.as_str(), k.ville.as_str()),
        ("Keyce Academy", "Mauguio")
    );
    assert_eq!(
        (i.organisme.as_str(), i.ville.as_str()),
        ("Infrep", "Montpellier")
    );
    for o in &offers {
        assert_eq!(o.duree_heures, Some(279));
        assert_eq!(o.departement.unwrap().as_str(), "34");
        assert_eq!(o.rncp.as_deref(), Some("RNCP36358"));
        assert_eq!(o.modalites, ["alternance", "formation continue"]);
        assert_eq!(o.codes_rome[0].as_str(), "J1303");
        assert!(o.sessions.is_empty(), "no session date is invented");
    }
    assert_eq!(k.prerequis.len(), 3);
    assert!(i.prerequis.iter().any(|p| p.contains("bloc 2 à valider")));
    assert_eq!(
        i.rythme.as_deref(),
        Some("Alternance de 8 mois à raison de 2 jours/semaine")
    );
    assert_eq!(i.modalites_acces.len(), 4);
    assert_eq!(
        i.public.as_deref(),
        Some("Salariés / Demandeurs d'emploi / Jeunes en sortie de formation initiale")
    );
}

#[test]
fn lheo_fixture_with_prefix_sessions_and_hours() {
    let offers =
        read_formations(&repo("crates/territory/tests/fixtures/lheo_sessions.xml")).unwrap();
    assert_eq!(offers.len(), 2);
    let a = &offers[0];
    assert_eq!(a.id, "A1");
    assert_eq!(a.intitule, "Secrétaire médical & médico-social");
    assert_eq!(
        a.organisme, "Organisme test",
        "falls back to the responsible organisme"
    );
    assert_eq!(a.departement.unwrap().as_str(), "2A");
    assert_eq!(a.duree_heures, Some(540), "centre + entreprise");
    assert_eq!(a.prerequis, ["Niveau 3 – entretien"]);
    assert_eq!(a.rncp.as_deref(), Some("RNCP36520"));
    assert_eq!(
        a.sessions,
        [
            Session {
                debut: Some("2026-01-05".into()),
                fin: Some("2026-06-30".into())
            },
            Session {
                debut: Some("2026-09-07".into()),
                fin: Some("2027-02-26".into())
            }
        ]
    );
    let b = &offers[1];
    assert_eq!(
        (
            b.organisme.as_str(),
            b.departement.unwrap().as_str(),
            b.duree_heures
        ),
        ("Antenne Réunion", "974", Some(540))
    );
}

#[test]
fn malformed_lheo_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.xml");
    std::fs::write(
        &p,
        "<lheo>\n<offres>\n<formation>\n<intitule-formation>X</intitule>\n",
    )
    .unwrap();
    let e = read_formations(&p).unwrap_err().to_string();
    assert!(e.contains("bad.xml, ligne 4, colonne"), "{e}");
    std::fs::write(
        &p,
        "<lheo><offres><formation><action/></formation></offres></lheo>",
    )
    .unwrap();
    let e = read_formations(&p).unwrap_err().to_string();
    assert!(e.contains("intitule-formation absent"), "{e}");
    std::fs::write(&p, "<catalogue/>").unwrap();
    assert!(
        read_formations(&p)
            .unwrap_err()
            .to_string()
            .contains("attendu <lheo>")
    );
}

#[test]
fn csv_alternative_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("offres.csv");
    let header = "id;intitule;organisme;ville;code_postal;departement;duree_heures;modalites;rythme;public;prerequis;modalites_acces;rncp;formacodes;codes_rome;debut;fin\n";
    std::fs::write(&p, format!("\u{feff}{header}F1;CQP;Infrep;Montpellier;34000;;279;alternance | formation continue;;;Bac | 3 ans;;36358;43401;J1303;2026-09-01;\n")).unwrap();
    let o = &read_formations(&p).unwrap()[0];
    assert_eq!(o.departement.unwrap().as_str(), "34");
    assert_eq!(o.prerequis, ["Bac", "3 ans"]);
    assert_eq!(o.rncp.as_deref(), Some("RNCP36358"));
    assert_eq!(o.sessions[0].debut.as_deref(), Some("2026-09-01"));
    std::fs::write(
        &p,
        format!("{header}F1;CQP;Infrep;Montpellier;34000;;deux cents;;;;;;;;;;\n"),
    )
    .unwrap();
    assert!(
        read_formations(&p)
            .unwrap_err()
            .to_string()
            .contains("ligne 2 : duree_heures invalide « deux cents »")
    );
    std::fs::write(
        &p,
        format!(
            "{header}F1;CQP;Infrep;Montpellier;;;;;;;;;;;;;\nF1;CQP;Infrep;Sète;;;;;;;;;;;;;\n"
        ),
    )
    .unwrap();
    assert!(
        read_formations(&p)
            .unwrap_err()
            .to_string()
            .contains("« F1 » en double")
    );
    std::fs::write(&p, "id;intitule\nF1;CQP\n").unwrap();
    assert!(
        read_formations(&p)
            .unwrap_err()
            .to_string()
            .contains("colonne « organisme » absente")
    );
}

/// Issue 14, row 7: 200,000 nested elements (a 1.4 MB file) are refused
/// with the line and column, instead of overflowing the stack.
#[test]
fn deeply_nested_lheo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profond.xml");
    let depth = 200_000;
    let mut xml = String::from("<lheo>\n<offres>\n");
    xml.push_str(&"<a>".repeat(depth));
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</offres></lheo>\n");
    std::fs::write(&path, xml).unwrap();
    let e = read_formations(&path).unwrap_err().to_string();
    assert!(
        e.contains("imbriqué à plus de 64 niveaux") && e.contains("ligne 3"),
        "{e}"
    );
}

/// Issue 14, row 10: a title longer than the documented bound is refused,
/// naming the offer and the field.
#[test]
fn overlong_fields_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let header = "id;intitule;organisme;ville;code_postal;departement;duree_heures;modalites;rythme;public;prerequis;modalites_acces;rncp;formacodes;codes_rome;debut;fin";
    std::fs::write(
        &path,
        format!(
            "{header}\nF1;{};Org;Montpellier;34000;;;;;;;;;;J1303;;\n",
            "t".repeat(2001)
        ),
    )
    .unwrap();
    let e = read_formations(&path).unwrap_err().to_string();
    assert!(
        e.contains("offre « F1 » : champ intitule : plus de 2000 caractères"),
        "{e}"
    );
}

/// The serde reading of a `<formation>` keeps the tolerance of a reader
/// walking the XML: a repeated element is read first-wins wherever the repeat
/// stands, markup inside a text field keeps the field's own text.
#[test]
fn lheo_repeats_and_markup_are_read_like_the_xml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repetes.xml");
    let adresse = "<lieu-de-formation><coordonnees><adresse><ville>Sète</ville><ville>Agde</ville></adresse></coordonnees></lieu-de-formation>";
    std::fs::write(
        &path,
        format!(
            "<lheo><offres><formation numero=\"R\">\
             <intitule-formation>Titre <b>gras</b> fin</intitule-formation>\
             <certification><code-RNCP>1</code-RNCP></certification>\
             <intitule-formation>Second</intitule-formation>\
             <certification><code-RNCP>2</code-RNCP></certification>\
             <organisme-formation-responsable><nom-organisme>Org</nom-organisme></organisme-formation-responsable>\
             <action><conditions-specifiques>a</conditions-specifiques><rythme-formation>r</rythme-formation>\
             <conditions-specifiques><p>HTML</p></conditions-specifiques><conditions-specifiques>b</conditions-specifiques>\
             {adresse}<nombre-heures-total>5</nombre-heures-total><nombre-heures-total>6</nombre-heures-total></action>\
             </formation></offres></lheo>"
        ),
    )
    .unwrap();
    let o = &read_formations(&path).unwrap()[0];
    assert_eq!(
        (o.id.as_str(), o.intitule.as_str(), o.ville.as_str()),
        ("R-1", "Titre fin", "Sète")
    );
    assert_eq!(
        (o.rncp.as_deref(), o.duree_heures),
        (Some("RNCP1"), Some(5))
    );
    assert_eq!(o.prerequis, ["a", "b"]);
}
