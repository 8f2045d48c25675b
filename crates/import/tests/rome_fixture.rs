//! Bad input, on copies of the hand-made set `tests/fixtures/rome_min` (two
//! fiches, every required file, a few optional ones, the NAF tree in Latin-9
//! as in the official set). Each case alters one file of a copy and checks
//! the exact French message, or the report line, it produces.

use std::io::Write;
use std::path::{Path, PathBuf};

use passerelle_core::{CoeurMetier, ItemKind, Referential, RomeCode};
use passerelle_import::rome::{self, FileStatus, IssueKind, RomeImport, RomeImportError};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rome_min")
}

/// A private copy of the fixture, to alter.
fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixture()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn file(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("unix_{stem}_v460_utf8.csv"))
}

fn edit(dir: &Path, stem: &str, f: impl FnOnce(String) -> String) {
    let p = file(dir, stem);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

fn read(dir: &Path) -> Result<RomeImport, RomeImportError> {
    rome::read(dir, &mut |_| {})
}

fn error(dir: &Path) -> String {
    match read(dir) {
        Ok(_) => panic!("l'import aurait dû échouer"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_fixture_imports_completely() {
    let mut steps = Vec::new();
    let import = rome::read(&fixture(), &mut |p| steps.push(p.step)).unwrap();
    assert_eq!(steps.len(), rome::FILES.len());
    let r = Referential::new(import.data);
    assert_eq!(
        (
            r.fiches.len(),
            r.appellations.len(),
            r.competences.len(),
            r.savoirs.len(),
            r.contextes.len()
        ),
        (2, 3, 5, 3, 2)
    );
    let j = r.fiche(RomeCode::parse("J1303").unwrap()).unwrap();
    assert_eq!(
        j.appellations[0].get(),
        11309,
        "the principal appellation comes first"
    );
    assert_eq!(
        j.definition,
        [
            "Assiste le praticien lors des consultations.",
            "Prépare le matériel et en assure l'entretien."
        ]
    );
    assert_eq!(
        j.acces,
        ["Cet emploi est accessible avec un diplôme d'État."]
    );
    assert_eq!(j.items.len(), 6);
    assert_eq!(j.items[0].coeur, CoeurMetier::Principale);
    assert_eq!(j.items_of(ItemKind::SavoirEtre).count(), 1);
    assert_eq!(j.riasec.unwrap().to_string(), "IS");
    assert_eq!(j.centres_interet[0].code, "7");
    assert!(j.centres_interet[0].principal);
    let m = r.fiche(RomeCode::parse("M1609").unwrap()).unwrap();
    assert_eq!(
        m.definition,
        ["Accueille les patients d'un \"cabinet\" médical,\net gère les rendez-vous."]
    );
    assert_eq!(m.parent.as_str(), "M1607");
    assert_eq!(
        m.items
            .iter()
            .filter(|l| l.coeur == CoeurMetier::Emergente)
            .count(),
        1
    );
    assert_eq!(r.secteurs_naf[0].label, "Activités pour la santé humaine");
    assert_eq!(import.report.rows_not_imported(), 0);
    assert_eq!(
        import.report.file("themes").unwrap().status,
        FileStatus::Absent
    );
    assert_eq!(import.report.version.label.as_deref(), Some("25M09"));
}

#[test]
fn latin9_naf_tree_is_decoded_with_a_warning() {
    let import = read(&fixture()).unwrap();
    let w: Vec<_> = import
        .report
        .warnings
        .iter()
        .filter(|w| w.contains("ISO-8859-15"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", import.report.warnings);
    assert!(
        w[0].starts_with("unix_arborescence_secteur_naf_v460_utf8.csv : "),
        "{}",
        w[0]
    );
    assert_eq!(
        import
            .report
            .file("arborescence_secteur_naf")
            .unwrap()
            .imported,
        2
    );
    // The fiche titles repeated in the file decode to the same text as elsewhere.
    assert!(
        !import
            .report
            .warnings
            .iter()
            .any(|w| w.contains("intitulé")),
        "{:?}",
        import.report.warnings
    );
}

fn zip_of(dir: &Path, folder: &str, extra: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("RefRomeCsv.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        zip.start_file(
            format!("{folder}{}", p.file_name().unwrap().to_string_lossy()),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    for (name, bytes) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    (out, path)
}

#[test]
fn a_zip_reads_like_the_directory_even_in_a_sub_folder() {
    let from_dir = read(&fixture()).unwrap();
    for folder in ["", "RefRomeCsv/"] {
        let (_keep, zip) = zip_of(&fixture(), folder, &[]);
        let from_zip = read(&zip).unwrap();
        assert_eq!(from_zip.data, from_dir.data, "folder « {folder} »");
        assert!(from_zip.report.source.ends_with(&format!(
            "RefRomeCsv.zip{}",
            if folder.is_empty() {
                ""
            } else {
                ":RefRomeCsv/"
            }
        )));
    }
}

#[test]
fn zip_with_unexpected_content_is_refused_or_reported() {
    let empty = tempfile::tempdir().unwrap();
    let (_keep, zip) = zip_of(
        empty.path(),
        "",
        &[("lisez-moi.txt", b"rien"), ("fiches.pdf", b"%PDF")],
    );
    let err = error(&zip);
    assert!(err.ends_with("RefRomeCsv.zip ne contient aucun fichier du ROME (unix_*_vNNN_utf8.csv) ; contenu trouvé : lisez-moi.txt, fiches.pdf"), "{err}");

    let (_keep, zip) = zip_of(&fixture(), "", &[("notes/lisez-moi.txt", b"rien")]);
    let import = read(&zip).unwrap();
    assert!(
        import
            .report
            .warnings
            .iter()
            .any(|w| w == "notes/lisez-moi.txt : fichier inattendu, ignoré"),
        "{:?}",
        import.report.warnings
    );

    let (_keep, zip) = zip_of(&fixture(), "a/", &[("b/unix_item_v460_utf8.csv", b"x")]);
    assert!(
        error(&zip).contains("plusieurs dossiers (a, b)"),
        "{}",
        error(&zip)
    );

    let not_zip = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(not_zip.path(), "pas une archive").unwrap();
    assert!(error(not_zip.path()).ends_with("n'est ni un répertoire ni une archive zip"));
}

#[test]
fn missing_required_file_names_it_and_the_directory() {
    let dir = copy();
    std::fs::remove_file(file(dir.path(), "coherence_item")).unwrap();
    assert_eq!(
        error(dir.path()),
        format!(
            "fichier obligatoire unix_coherence_item_v460_utf8.csv absent de {} (indicateur « cœur de métier » de chaque lien fiche → item)",
            dir.path().display()
        )
    );
}

#[test]
fn missing_optional_file_is_reported_absent() {
    let dir = copy();
    std::fs::remove_file(file(dir.path(), "centre_interet")).unwrap();
    let import = read(dir.path()).unwrap();
    assert_eq!(
        import.report.file("centre_interet").unwrap().status,
        FileStatus::Absent
    );
    assert!(import.data.centres_interet.is_empty());
}

#[test]
fn renamed_column_is_named() {
    let dir = copy();
    edit(dir.path(), "referentiel_savoir", |t| {
        t.replacen("\"categorie_savoir\"", "\"categorie\"", 1)
    });
    assert_eq!(
        error(dir.path()),
        "unix_referentiel_savoir_v460_utf8.csv : en-tête inattendu (colonne(s) manquante(s) : categorie_savoir ; colonne(s) inconnue(s) : categorie) : attendu « code_ogr_savoir,libelle_savoir,categorie_savoir,sous_categorie_savoir,transition_eco,transition_num », trouvé « code_ogr_savoir,libelle_savoir,categorie,sous_categorie_savoir,transition_eco,transition_num »"
    );
}

#[test]
fn reordered_columns_are_refused() {
    let dir = copy();
    edit(dir.path(), "coherence_item", |t| {
        t.replacen(
            "\"code_rome\",\"code_ogr\"",
            "\"code_ogr\",\"code_rome\"",
            1,
        )
    });
    assert_eq!(
        error(dir.path()),
        "unix_coherence_item_v460_utf8.csv : en-tête inattendu (colonnes dans un autre ordre) : attendu « code_rome,code_ogr,coeur_metier », trouvé « code_ogr,code_rome,coeur_metier »"
    );
}

#[test]
fn a_required_file_mostly_made_of_duplicates_is_refused() {
    let dir = copy();
    // The first row of the item list, repeated: one item, thousands of doublons.
    edit(dir.path(), "item", |t| {
        let mut lines = t.lines();
        let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
        format!("{header}\n{}", format!("{row}\n").repeat(5000))
    });
    let e = error(dir.path());
    assert!(
        e.starts_with("unix_item_v460_utf8.csv : 4999 lignes sur 5000 ne sont pas importables (4999 doublons : ")
            && e.contains("fichier obligatoire refusé, car plus de la moitié de ses lignes sont rejetées (exemple : ligne 3"),
        "{e}"
    );
}

#[test]
fn unbalanced_quote_names_file_and_line() {
    let dir = copy();
    edit(dir.path(), "referentiel_code_rome", |t| {
        t.replacen("\"512\",", "\"512,", 1)
    });
    assert_eq!(
        error(dir.path()),
        "unix_referentiel_code_rome_v460_utf8.csv, ligne 3 : guillemet non fermé ou mal placé (9 colonnes lues au lieu de 10)"
    );
}

#[test]
fn wrong_column_count_names_file_and_line() {
    let dir = copy();
    edit(dir.path(), "referentiel_contexte_travail", |t| {
        t.replacen("\"Travail le samedi\",", "\"Travail le samedi\",\"x\",", 1)
    });
    assert_eq!(
        error(dir.path()),
        "unix_referentiel_contexte_travail_v460_utf8.csv, ligne 2 : nombre de colonnes incorrect : 5 au lieu de 4"
    );
}

#[test]
fn non_utf8_file_is_detected() {
    let dir = copy();
    let p = file(dir.path(), "referentiel_appellation");
    let bytes = std::fs::read(&p).unwrap();
    let (latin9, _, _) = encoding_rs::ISO_8859_15.encode(std::str::from_utf8(&bytes).unwrap());
    std::fs::write(&p, latin9).unwrap();
    assert_eq!(
        error(dir.path()),
        "unix_referentiel_appellation_v460_utf8.csv, ligne 2 : fichier non encodé en UTF-8 (octet 0xE9 invalide)"
    );
}

#[test]
fn empty_files_are_refused_when_required_and_reported_when_optional() {
    let dir = copy();
    std::fs::write(file(dir.path(), "texte"), "").unwrap();
    assert_eq!(
        error(dir.path()),
        "unix_texte_v460_utf8.csv est vide (0 octet) alors que ce fichier est obligatoire (définition et accès au métier des fiches)"
    );
    let dir = copy();
    edit(dir.path(), "grand_domaine", |t| {
        t.lines().next().unwrap().to_string() + "\n"
    });
    assert_eq!(
        error(dir.path()),
        "unix_grand_domaine_v460_utf8.csv ne contient aucune ligne de données alors que ce fichier est obligatoire (grands domaines)"
    );
    let dir = copy();
    std::fs::write(file(dir.path(), "centre_interet"), "").unwrap();
    let import = read(dir.path()).unwrap();
    assert_eq!(
        import.report.file("centre_interet").unwrap().status,
        FileStatus::Empty
    );
    assert!(
        import
            .report
            .warnings
            .iter()
            .any(|w| w == "unix_centre_interet_v460_utf8.csv : fichier vide (0 octet), ignoré")
    );
}

#[test]
fn link_to_unknown_item_is_reported_and_counted() {
    let dir = copy();
    edit(dir.path(), "liens_rome_referentiels", |t| {
        t + "\"M1609\",\"5\",\"1\",\"999999\"\n"
    });
    let import = read(dir.path()).unwrap();
    let f = import.report.file("liens_rome_referentiels").unwrap();
    assert_eq!((f.rows_read, f.imported), (18, 17));
    let issue = &f.issues[0];
    assert_eq!(
        (issue.kind, issue.count, issue.reason.as_str()),
        (IssueKind::Orphan, 1, "item inconnu des référentiels")
    );
    assert_eq!(
        issue.examples,
        ["ligne 19 : M1609 → 999999 (bloc 5, rubrique 1)"]
    );
    assert_eq!(import.report.count_of(IssueKind::Orphan), 1);
    let m = import
        .data
        .fiches
        .iter()
        .find(|f| f.code.as_str() == "M1609")
        .unwrap();
    assert!(!m.has_item(passerelle_core::OgrCode::new(999_999)));
}

#[test]
fn duplicate_key_is_reported_and_the_first_row_kept() {
    let dir = copy();
    edit(dir.path(), "referentiel_savoir", |t| {
        t + "\"100200\",\"Autre libellé\",\"Domaines d'expertise\",\"Santé\",\"\",\"N\"\n"
    });
    let import = read(dir.path()).unwrap();
    let f = import.report.file("referentiel_savoir").unwrap();
    assert_eq!((f.rows_read, f.imported, f.not_imported()), (4, 3, 1));
    assert_eq!(f.issues[0].kind, IssueKind::Duplicate);
    assert_eq!(f.issues[0].examples, ["ligne 5 : 100200"]);
    assert_eq!(
        import
            .data
            .savoirs
            .iter()
            .find(|s| s.ogr.get() == 100_200)
            .unwrap()
            .label,
        "Terminologie médicale"
    );
}

#[test]
fn mixed_versions_are_refused() {
    let dir = copy();
    std::fs::copy(
        file(dir.path(), "item"),
        dir.path().join("unix_item_v461_utf8.csv"),
    )
    .unwrap();
    assert!(error(dir.path()).ends_with(
        "mélange plusieurs versions du ROME (v460, v461) : gardez un seul jeu de fichiers"
    ));
}

#[test]
fn missing_path_is_named() {
    assert_eq!(
        error(Path::new("/nulle/part")),
        "chemin introuvable : /nulle/part"
    );
}

#[test]
fn competence_arborescence_is_read_when_present() {
    let dir = copy();
    std::fs::write(
        file(dir.path(), "arborescence_competences"),
        "\"code_domaine_competence\",\"domaine_competence\",\"code_enjeu\",\"enjeu\",\"code_objectif\",\"objectif\",\"code_macro_competence\",\"code_ogr_macro_competence\",\"libelle_macro_competence\",\"code_ogr_competence\",\"libelle_competence\"\n\
         \"4\",\"Relation client\",\"4A\",\"Accueil\",\"4A0\",\"Accueillir\",\"4A001\",\"300001\",\"Accueillir, orienter, renseigner un public\",\"123905\",\"Accueillir, orienter et renseigner un patient\"\n\
         \"4\",\"Relation client\",\"4A\",\"Accueil\",\"4A0\",\"Accueillir\",\"4A009\",\"399999\",\"Inconnue\",\"123905\",\"x\"\n\
         \"4\",\"Relation client\",\"4A\",\"Accueil\",\"4A0\",\"Accueillir\",\"4A001\",\"300001\",\"Accueillir, orienter, renseigner un public\",\"555555\",\"y\"\n",
    )
    .unwrap();
    let import = read(dir.path()).unwrap();
    let b = &import.data.arborescence_competences;
    assert_eq!(b.len(), 1);
    assert_eq!(
        (
            b[0].macro_ogr.get(),
            b[0].domaine.as_str(),
            b[0].enjeu.as_str(),
            b[0].objectif.as_str()
        ),
        (300_001, "Relation client", "Accueil", "Accueillir")
    );
    let f = import.report.file("arborescence_competences").unwrap();
    assert_eq!(
        (f.status, f.rows_read, f.imported),
        (FileStatus::Read, 3, 1)
    );
    let reasons: Vec<_> = f
        .issues
        .iter()
        .map(|i| (i.reason.as_str(), i.count))
        .collect();
    assert_eq!(
        reasons,
        [("macro-compétence inconnue", 1), ("compétence inconnue", 1)]
    );
}
