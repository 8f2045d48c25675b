//! The readers on the real open-data files of `$PASSERELLE_DATA/territory`
//! (the tests fail, never skip, when the data is missing).

use passerelle_core::territory::{Cell, SecretCount};
use passerelle_core::{DeptCode, RomeCode};
use passerelle_territory::import::{files, read_territory};
use passerelle_territory::{bmo, rncp};

use passerelle_test_support::territory_dir;

fn dept(s: &str) -> DeptCode {
    DeptCode::parse(s).unwrap()
}

#[test]
fn whole_territory_reads_with_the_model_fiche_figures() {
    let data = read_territory(&territory_dir()).unwrap();
    assert_eq!(data.departements.len(), 101);
    let herault = data
        .departements
        .iter()
        .find(|d| d.code == dept("34"))
        .unwrap();
    assert_eq!(
        (herault.nom.as_str(), herault.region_nom.as_str()),
        ("Hérault", "Occitanie")
    );
    assert_eq!(herault.population, Some(1_230_289));
    assert_eq!(herault.population_year, Some(2023));
    let mayotte = data
        .departements
        .iter()
        .find(|d| d.code == dept("976"))
        .unwrap();
    assert_eq!(mayotte.population_year, Some(2017));

    // Unemployment: 5 years × 100 départements, Mayotte absent; bare integers read.
    assert_eq!(data.unemployment.len(), 500);
    let rate = |d: &str, y: u16| {
        data.unemployment
            .iter()
            .find(|u| u.dept == dept(d) && u.year == y)
            .map(|u| u.rate)
    };
    assert_eq!(rate("34", 2023), Some(10.4));
    assert_eq!(rate("03", 2023), Some(8.0));
    assert_eq!(rate("976", 2023), None);
    assert_eq!(
        data.report.departements_without_unemployment,
        ["976 Mayotte"]
    );

    // BMO 2025, V3X70 in Hérault: 13 + 10 + 19 + 30 + 29 projects; secret cells kept as such.
    assert_eq!(data.bmo.year, 2025);
    assert_eq!(data.bmo.rows, 50_076);
    let v = data
        .bmo
        .by_dept
        .iter()
        .find(|b| b.dept == dept("34") && b.code == "V3X70")
        .unwrap();
    assert_eq!(
        v.projets,
        SecretCount {
            known: 101,
            secret_cells: 0
        }
    );
    assert_eq!(
        v.difficiles,
        SecretCount {
            known: 63,
            secret_cells: 1
        }
    );
    assert_eq!(
        v.saisonniers,
        SecretCount {
            known: 24,
            secret_cells: 3
        }
    );
    assert_eq!(v.bassins, 5);

    // Tension 2021: J1303 in Hérault comes from 2 bassins.
    let j1303 = RomeCode::parse("J1303").unwrap();
    let t = data
        .tension
        .iter()
        .find(|t| t.dept == dept("34") && t.rome == j1303)
        .unwrap();
    assert_eq!(t.bassins, 2);
    assert_eq!(t.offres.round(), 390.0);
    assert_eq!(data.bassins.per_dept[&dept("34")], 6);
    assert_eq!(data.report.bassins_multi_departements, 20);

    // La Bonne Boîte: J1303 → 8623Z and not 8621Z.
    let nafs: Vec<&str> = data
        .rome_naf
        .iter()
        .filter(|r| r.rome == j1303)
        .map(|r| r.naf.as_str())
        .collect();
    assert!(
        nafs.contains(&"8623Z") && !nafs.contains(&"8621Z"),
        "{nafs:?}"
    );

    // Certif Info: the CQP assistant médical leads to J1303, RNCP 36358.
    let cqp = data
        .certifications
        .iter()
        .find(|c| c.rncp.as_deref() == Some("RNCP36358"))
        .unwrap();
    assert_eq!(cqp.libelle, "CQP assistant médical");
    assert_eq!(cqp.romes, [j1303]);
    assert_eq!(cqp.niveau, Some(4));
    assert_eq!(cqp.accessibility.vae, Some(true));
    assert_eq!(cqp.accessibility.formation_initiale, Some(false));
    assert_eq!(data.certifications.len(), 10_067);
    assert!(
        data.report.rome_bmo_unknown_codes.is_empty(),
        "{:?}",
        data.report.rome_bmo_unknown_codes
    );

    // Both XML fixtures are read: 12 RNCP + 8 RS fiches, 53 blocs.
    assert_eq!(
        data.report.rncp_files,
        [
            "export_fiches_RNCP_fixture.xml",
            "export_fiches_RS_fixture.xml"
        ]
    );
    assert_eq!(data.rncp_fiches.len(), 20);
    assert_eq!(
        data.report.rncp_blocs,
        53 + data
            .rncp_fiches
            .iter()
            .filter(|f| f.numero.starts_with("RS"))
            .map(|f| f.blocs.len())
            .sum::<usize>()
    );
}

#[test]
fn bmo_secret_cell_is_not_zero() {
    assert_eq!(bmo::parse_cell("*"), Some(Cell::Secret));
    assert_eq!(bmo::parse_cell("0"), Some(Cell::Value(0)));
    assert!(bmo::parse_cell("x").is_none());
    let mut c = SecretCount::default();
    c.add(Cell::Value(10));
    c.add(Cell::Secret);
    assert_eq!(
        c,
        SecretCount {
            known: 10,
            secret_cells: 1
        }
    );
}

#[test]
fn rncp_fixture_streams_fiches_with_blocs_romes_and_certifiers() {
    let path = territory_dir()
        .join("certifications/rncp_xml_format_sample/export_fiches_RNCP_fixture.xml");
    let fiches = rncp::read_fiches(&path).unwrap();
    assert_eq!(fiches.len(), 12);
    let f = &fiches[0];
    assert_eq!(f.numero, "RNCP34762");
    assert_eq!(f.niveau.as_deref(), Some("NIV7"));
    assert_eq!(
        f.type_libelle.as_deref(),
        Some("Diplôme visé grade de master")
    );
    assert_eq!(f.certificateurs.len(), 2);
    assert_eq!(
        f.certificateurs[1].nom,
        "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE"
    );
    assert_eq!(f.certificateurs[0].siret.as_deref(), Some("81738914100018"));
    assert_eq!(f.romes[0].code, "M1202");
    assert!(f.blocs.len() >= 4, "{}", f.blocs.len());
    assert_eq!(f.blocs[0].code, "RNCP34762BC01");
    assert_eq!(
        f.blocs[0].libelle,
        "Stratégie, organisation, environnement socioéconomique et géopolitique"
    );
    // The entity reference inside the text is resolved.
    assert!(
        f.blocs[0].competences.contains("R&D"),
        "{}",
        &f.blocs[0].competences[..200]
    );
    let total_blocs: usize = fiches.iter().map(|f| f.blocs.len()).sum();
    assert_eq!(
        total_blocs, 53,
        "blocs under CORRESPONDANCES are not the fiche's own"
    );
    assert_eq!(fiches.iter().map(|f| f.romes.len()).sum::<usize>(), 33);
    assert_eq!(
        fiches.iter().map(|f| f.certificateurs.len()).sum::<usize>(),
        17
    );
    // No fiche lost its number or title.
    assert!(
        fiches
            .iter()
            .all(|f| f.numero.starts_with("RNCP") && !f.intitule.is_empty())
    );

    let rs = rncp::read_fiches(&path.with_file_name("export_fiches_RS_fixture.xml")).unwrap();
    assert_eq!(rs.len(), 8);
    assert!(rs.iter().all(|f| f.numero.starts_with("RS")));
    assert_eq!(rs[0].numero, "RS6232");
}

#[test]
fn rncp_truncated_fixture_reports_line_and_column() {
    let src = territory_dir()
        .join("certifications/rncp_xml_format_sample/export_fiches_RNCP_fixture.xml");
    let text = std::fs::read_to_string(&src).unwrap();
    // Cut the file in the middle of the third fiche and close an element wrongly.
    let cut = text.match_indices("<FICHE>").nth(2).unwrap().0 + 200;
    let broken = format!("{}</WRONG>", &text[..cut]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xml");
    std::fs::write(&path, &broken).unwrap();
    let mut seen = 0;
    let err = rncp::for_each_fiche(&path, |_| seen += 1)
        .unwrap_err()
        .to_string();
    assert_eq!(
        seen, 2,
        "the two complete fiches are streamed before the error"
    );
    let line = broken.lines().count();
    assert!(err.contains(&format!("ligne {line}, colonne")), "{err}");
    assert!(
        err.contains("broken.xml") && err.contains("XML invalide"),
        "{err}"
    );
}

#[test]
fn file_constants_exist() {
    let dir = territory_dir();
    for f in [
        files::CHOMAGE,
        files::BMO_XLSX,
        files::BASSINS,
        files::TENSION,
        files::ROME_NAF,
        files::CERTIF_INFO,
        files::GEO_DIR,
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
}

#[test]
fn rncp_other_flux_version_is_refused() {
    let src =
        territory_dir().join("certifications/rncp_xml_format_sample/export_fiches_RS_fixture.xml");
    let text = std::fs::read_to_string(&src).unwrap().replace(
        "<VERSION_FLUX>4.1</VERSION_FLUX>",
        "<VERSION_FLUX>3.0</VERSION_FLUX>",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.xml");
    std::fs::write(&path, text).unwrap();
    let err = rncp::read_fiches(&path).unwrap_err().to_string();
    assert!(
        err.contains("version de flux « 3.0 » non prise en charge (attendu 4.1)"),
        "{err}"
    );
}
