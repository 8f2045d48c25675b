//! Assembles the [`ReferentialData`] from the parsed files, file by file, in
//! an order where everything a row refers to is already known. Each handler
//! accounts for every row: `imported += 1` or one [`FileReport::issue`].

use std::collections::{HashMap, HashSet};

use passerelle_core::text::fold;
use passerelle_core::{
    Appellation, CategoryLink, Classification, CoeurMetier, Competence, CompetenceBranch,
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte, Domaine, Fiche,
    FicheTags, GrandDomaine, ItemKind, ItemLink, OgrCode, ReferentialData, Riasec, RiasecLetter,
    RomeCode, Savoir, SavoirCategory,
};

use super::Progress;
use super::error::RomeImportError;
use super::files::{self, FILES, FileSpec};
use super::report::{FileReport, FileStatus, ImportReport, IssueKind};
use super::rows::*;
use super::source::Source;
use super::table::{self, Table};

/// Which referential an item OGR code belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemFamily {
    Competence(usize),
    Savoir,
    Contexte,
}

pub(crate) struct Builder<'a> {
    source: Source,
    progress: &'a mut dyn FnMut(Progress),
    step: usize,
    pub data: ReferentialData,
    pub report: ImportReport,
    fiche_idx: HashMap<RomeCode, usize>,
    fiche_by_ogr: HashMap<OgrCode, usize>,
    appellation_idx: HashMap<OgrCode, usize>,
    items: HashMap<OgrCode, ItemFamily>,
    /// (fiche index, item position in `fiche.items`) of each fiche → item link.
    links: HashMap<(usize, OgrCode), usize>,
}

fn bool_tag(s: &str) -> Option<bool> {
    match s.trim() {
        "O" | "o" | "oui" | "Oui" | "OUI" => Some(true),
        "N" | "n" | "non" | "Non" | "NON" => Some(false),
        _ => None,
    }
}

fn opt(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

fn riasec(major: &str, minor: &str) -> Option<Option<Riasec>> {
    if major.is_empty() && minor.is_empty() {
        return Some(None);
    }
    let major = RiasecLetter::parse(major)?;
    let minor = if minor.is_empty() {
        None
    } else {
        Some(RiasecLetter::parse(minor)?)
    };
    Some(Some(Riasec { major, minor }))
}

/// `unix_texte` carries SQL-escaped apostrophes (`l''entretien`).
fn unescape_text(s: &str) -> String {
    s.replace("''", "'")
}

impl<'a> Builder<'a> {
    pub fn new(source: Source, progress: &'a mut dyn FnMut(Progress)) -> Self {
        let report = ImportReport {
            source: source.location.clone(),
            ..Default::default()
        };
        Builder {
            source,
            progress,
            step: 0,
            data: ReferentialData::default(),
            report,
            fiche_idx: HashMap::new(),
            fiche_by_ogr: HashMap::new(),
            appellation_idx: HashMap::new(),
            items: HashMap::new(),
            links: HashMap::new(),
        }
    }

    /// Reads every known file, then checks the set for files nobody knows.
    pub fn run(mut self) -> Result<(ReferentialData, ImportReport), RomeImportError> {
        self.version()?;
        self.grands_domaines()?;
        self.domaines()?;
        self.fiches()?;
        self.appellations()?;
        self.competences()?;
        self.savoirs()?;
        self.contextes()?;
        self.macro_riasec()?;
        self.fiche_riasec()?;
        self.item_list()?;
        self.liens()?;
        self.coherence()?;
        self.textes()?;
        self.cr_gd_dp()?;
        self.cr_gd_dp_appellations()?;
        self.simple_classification(&files::CENTRE_INTERET, |d| &mut d.centres_interet)?;
        self.fiche_links(&files::ARBORESCENCE_CENTRE_INTERET, |f| {
            &mut f.centres_interet
        })?;
        self.simple_classification(&files::SECTEUR_ACTIVITE, |d| &mut d.secteurs)?;
        self.sous_secteurs()?;
        self.fiche_links(&files::ARBORESCENCE_SECTEUR_ACTIVITE, |f| &mut f.secteurs)?;
        self.secteurs_naf()?;
        self.fiche_links(&files::ARBORESCENCE_SECTEUR_NAF, |f| &mut f.secteurs_naf)?;
        self.simple_classification(&files::THEMES, |d| &mut d.themes)?;
        self.fiche_links(&files::ARBORESCENCE_THEMATIQUE, |f| &mut f.themes)?;
        self.arborescence_competences()?;
        self.control_only(&files::COMPOSITION_BLOC)?;
        self.control_only(&files::DESCRIPTIF_RUBRIQUE)?;
        self.control_only(&files::TYPE_REFERENTIEL)?;
        let known: HashSet<&str> = FILES.iter().map(|f| f.stem).collect();
        let mut warnings: Vec<String> = self
            .source
            .stems()
            .filter(|(stem, _)| !known.contains(stem))
            .map(|(_, name)| format!("{name} : fichier inconnu de Passerelle, ignoré"))
            .collect();
        warnings.extend(
            self.source
                .unexpected
                .iter()
                .map(|n| format!("{n} : fichier inattendu, ignoré")),
        );
        self.report.warnings.extend(warnings);
        self.report.version = self.data.version.clone();
        Ok((self.data, self.report))
    }

    fn tick(&mut self, spec: &FileSpec) {
        self.step += 1;
        (self.progress)(Progress {
            step: self.step,
            total: FILES.len(),
            file: spec.stem,
        });
    }

    /// Reads one file: `None` when an optional file is absent or empty.
    /// Every row is then read by column name, one at a time ([`Table::next`], [`super::rows`]).
    fn load(&mut self, spec: &FileSpec) -> Result<Option<(FileReport, Table)>, RomeImportError> {
        self.tick(spec);
        let expected = spec.file_name(self.source.file_version);
        let Some((name, stream)) = self.source.stream(spec.stem)? else {
            if spec.required {
                return Err(RomeImportError::MissingFile {
                    file: expected,
                    dir: self.source.location.clone(),
                    role: spec.role,
                });
            }
            self.report.files.push(FileReport::new(
                spec.stem,
                expected,
                false,
                FileStatus::Absent,
            ));
            return Ok(None);
        };
        let (encoding, stream) = if files::KNOWN_LATIN9.contains(&spec.stem) {
            let encoding = self.encoding(&name, stream)?;
            // Read again, from the start, the way just decided.
            (
                encoding,
                self.source.stream(spec.stem)?.expect("found above").1,
            )
        } else {
            (table::Encoding::Utf8, stream)
        };
        let table = table::Table::open(&name, spec, stream, encoding, &mut self.report.warnings)?;
        let Some(mut table) = table else {
            if spec.required {
                return Err(RomeImportError::EmptyFile {
                    file: name,
                    role: spec.role,
                });
            }
            self.report
                .warnings
                .push(format!("{name} : fichier vide (0 octet), ignoré"));
            self.report
                .files
                .push(FileReport::new(spec.stem, name, false, FileStatus::Empty));
            return Ok(None);
        };
        if spec.required && !table.has_rows()? {
            return Err(RomeImportError::NoRows {
                file: name,
                role: spec.role,
            });
        }
        let report = FileReport::new(spec.stem, name, spec.required, FileStatus::Read);
        Ok(Some((report, table)))
    }

    /// How a file known to be published in ISO-8859-15 is read: as UTF-8
    /// when all its bytes are (read once to decide), else as ISO-8859-15,
    /// with a warning; the whole file is read one way, as it was written.
    fn encoding(
        &mut self,
        name: &str,
        stream: super::source::Stream,
    ) -> Result<table::Encoding, RomeImportError> {
        let utf8 = table::is_utf8(stream)
            .map_err(|e| super::source::StreamError::import_error(name, e))?;
        if utf8 {
            return Ok(table::Encoding::Utf8);
        }
        self.report.warnings.push(format!(
            "{name} : fichier encodé en ISO-8859-15 (Latin-9) malgré « utf8 » dans son nom ; décodé en ISO-8859-15"
        ));
        Ok(table::Encoding::Latin9)
    }

    /// Records a file read to its end. A required file most of whose rows
    /// are rejected (doublons, orphelines, invalides) is not an official
    /// export: it is refused rather than imported as a near-empty
    /// referential (the official set has no rejected row).
    fn done(&mut self, mut report: FileReport, table: Table) -> Result<(), RomeImportError> {
        report.rows_read = table.rows_read();
        debug_assert_eq!(
            report.imported + report.not_imported(),
            report.rows_read,
            "{}",
            report.file
        );
        let rejected = report.not_imported();
        if report.required && rejected * 2 > report.rows_read {
            let detail = report
                .issues
                .iter()
                .map(|i| format!("{} {} : {}", i.count, i.kind.label_fr(), i.reason))
                .collect::<Vec<_>>()
                .join(", ");
            let example = report
                .issues
                .iter()
                .find_map(|i| i.examples.first().cloned())
                .unwrap_or_default();
            return Err(RomeImportError::MostlyRejected {
                file: report.file,
                read: report.rows_read,
                rejected,
                detail,
                example,
            });
        }
        self.report.files.push(report);
        Ok(())
    }

    fn version(&mut self) -> Result<(), RomeImportError> {
        let file_version = self.source.file_version;
        let from_names = if file_version >= 400 {
            file_version - 400
        } else {
            file_version
        };
        let mut version = passerelle_core::RomeVersion {
            number: from_names,
            ..Default::default()
        };
        match self.source.version_txt()? {
            None => self.report.warnings.push(format!(
                "version.txt absent de {} : version {from_names} déduite des noms de fichiers",
                self.source.location
            )),
            Some(bytes) => {
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => encoding_rs::ISO_8859_15
                        .decode_without_bom_handling(e.as_bytes())
                        .0
                        .into_owned(),
                };
                for line in text.lines() {
                    let Some((key, value)) = line.split_once(':') else {
                        continue;
                    };
                    let (key, value) = (fold(key), value.trim());
                    match key.as_str() {
                        "numero de version" => match value.parse::<u32>() {
                            Ok(n) if n == from_names => {}
                            Ok(n) => {
                                self.report.warnings.push(format!(
                                    "version.txt annonce la version {n} mais les fichiers sont nommés v{file_version} : version {n} retenue"
                                ));
                                version.number = n;
                            }
                            Err(_) => {
                                return Err(RomeImportError::Version {
                                    file: "version.txt".into(),
                                    message: format!("numéro de version illisible « {value} »"),
                                });
                            }
                        },
                        "date de publication" => version.published = opt(value),
                        "date de validation" => version.validated = opt(value),
                        "titre/commentaire" => {
                            version.label = value
                                .rsplit_once(" - ")
                                .map(|(_, l)| l.trim().to_string())
                                .filter(|l| !l.is_empty());
                        }
                        _ => {}
                    }
                }
            }
        }
        self.data.version = version;
        Ok(())
    }

    fn grands_domaines(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::GRAND_DOMAINE)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<GrandDomaineRow<'_>>() {
            let Line { line, row: r } = next?;
            let code = r.code;
            let mut chars = code.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                rep.issue(IssueKind::Invalid, "code de grand domaine invalide", || {
                    format!("ligne {} : « {code} »", line)
                });
                continue;
            };
            if !seen.insert(c) {
                rep.issue(IssueKind::Duplicate, "grand domaine en double", || {
                    format!("ligne {} : {code}", line)
                });
                continue;
            }
            self.data.grands_domaines.push(GrandDomaine {
                code: c,
                label: r.label.into(),
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn domaines(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::DOMAINE_PROFESSIONNEL)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<DomaineRow<'_>>() {
            let Line { line, row: r } = next?;
            let code = r.code;
            let gd = code.chars().next();
            if code.len() != 3 || !code.is_ascii() {
                rep.issue(IssueKind::Invalid, "code de domaine invalide", || {
                    format!("ligne {} : « {code} »", line)
                });
            } else if !self.data.grands_domaines.iter().any(|g| Some(g.code) == gd) {
                rep.issue(IssueKind::Orphan, "grand domaine inconnu", || {
                    format!("ligne {} : {code}", line)
                });
            } else if !seen.insert(code.to_string()) {
                rep.issue(IssueKind::Duplicate, "domaine en double", || {
                    format!("ligne {} : {code}", line)
                });
            } else {
                self.data.domaines.push(Domaine {
                    code: code.into(),
                    label: r.label.into(),
                });
                rep.imported += 1;
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn fiches(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::REFERENTIEL_CODE_ROME)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<FicheRow<'_>>() {
            let Line { line, row: r } = next?;
            let (Ok(code), Ok(ogr)) = (RomeCode::parse(r.code_rome), OgrCode::parse(r.code_ogr))
            else {
                rep.issue(IssueKind::Invalid, "code ROME ou code OGR invalide", || {
                    format!("ligne {} : « {} », « {} »", line, r.code_rome, r.code_ogr)
                });
                continue;
            };
            if self.fiche_idx.contains_key(&code) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code ROME en double (première ligne gardée)",
                    || format!("ligne {} : {code}", line),
                );
                continue;
            }
            let parent = RomeCode::parse(r.code_rome_parent).unwrap_or(code);
            if !self.data.domaines.iter().any(|d| d.code == code.domaine()) {
                self.report.warnings.push(format!(
                    "{}, ligne {} : {code} appartient au domaine {} absent de unix_domaine_professionnel",
                    rep.file,
                    line,
                    code.domaine()
                ));
            }
            let idx = self.data.fiches.len();
            self.fiche_idx.insert(code, idx);
            self.fiche_by_ogr.insert(ogr, idx);
            self.data.fiches.push(Fiche {
                code,
                ogr,
                code_fiche_metier: r.code_fiche_metier.parse().ok(),
                title: r.libelle_rome.into(),
                parent,
                domaine: code.domaine().into(),
                tags: tags(r.tags()),
                riasec: None,
                definition: Vec::new(),
                acces: Vec::new(),
                appellations: Vec::new(),
                items: Vec::new(),
                centres_interet: Vec::new(),
                secteurs: Vec::new(),
                themes: Vec::new(),
                secteurs_naf: Vec::new(),
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn appellations(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::REFERENTIEL_APPELLATION)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<AppellationRow<'_>>() {
            let Line { line, row: r } = next?;
            let (Ok(ogr), Ok(rome)) = (OgrCode::parse(r.code_ogr), RomeCode::parse(r.code_rome))
            else {
                rep.issue(IssueKind::Invalid, "code OGR ou code ROME invalide", || {
                    format!("ligne {} : « {} », « {} »", line, r.code_ogr, r.code_rome)
                });
                continue;
            };
            let Some(&fiche) = self.fiche_idx.get(&rome) else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", || {
                    format!("ligne {} : {ogr} → {rome}", line)
                });
                continue;
            };
            if self.appellation_idx.contains_key(&ogr) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code OGR d'appellation en double (première ligne gardée)",
                    || format!("ligne {} : {ogr}", line),
                );
                continue;
            }
            let classification = opt(r.classification);
            let principal = classification
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("PRINCIPALE"));
            let apps = &mut self.data.fiches[fiche].appellations;
            if principal {
                apps.insert(0, ogr)
            } else {
                apps.push(ogr)
            }
            self.appellation_idx
                .insert(ogr, self.data.appellations.len());
            self.data.appellations.push(Appellation {
                ogr,
                long_label: r.libelle_appellation_long.into(),
                short_label: r.libelle_appellation_court.into(),
                rome,
                tags: tags(r.tags()),
                classification,
                origine: opt(r.origine),
                parent: RomeCode::parse(r.code_rome_parent).ok(),
                rare: bool_tag(r.peu_usite) == Some(true),
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn competences(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::REFERENTIEL_COMPETENCE)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<CompetenceRow<'_>>() {
            let Line { line, row: r } = next?;
            let Ok(ogr) = OgrCode::parse(r.code_ogr) else {
                rep.issue(IssueKind::Invalid, "code OGR invalide", || {
                    format!("ligne {} : « {} »", line, r.code_ogr)
                });
                continue;
            };
            let nature = match fold(r.nature).as_str() {
                "competence" => CompetenceNature::Competence,
                "macro-competence" => CompetenceNature::MacroCompetence,
                _ => {
                    rep.issue(IssueKind::Invalid, "nature inconnue", || {
                        format!("ligne {} : {ogr} « {} »", line, r.nature)
                    });
                    continue;
                }
            };
            let category = match fold(r.cat_comp).as_str() {
                "savoir-faire" => CompetenceCategory::SavoirFaire,
                "savoir-etre professionnel" | "savoir-etre professionnels" | "savoir-etre" => {
                    CompetenceCategory::SavoirEtre
                }
                _ => {
                    rep.issue(IssueKind::Invalid, "catégorie inconnue", || {
                        format!("ligne {} : {ogr} « {} »", line, r.cat_comp)
                    });
                    continue;
                }
            };
            let subcategory = match fold(r.sous_cat_comp).as_str() {
                "technique" => CompetenceSubcategory::Technique,
                "technique expert" => CompetenceSubcategory::TechniqueExpert,
                "transverse" => CompetenceSubcategory::Transverse,
                _ => {
                    rep.issue(IssueKind::Invalid, "sous-catégorie inconnue", || {
                        format!("ligne {} : {ogr} « {} »", line, r.sous_cat_comp)
                    });
                    continue;
                }
            };
            if self.items.contains_key(&ogr) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code OGR en double (première ligne gardée)",
                    || format!("ligne {} : {ogr}", line),
                );
                continue;
            }
            self.items
                .insert(ogr, ItemFamily::Competence(self.data.competences.len()));
            self.data.competences.push(Competence {
                ogr,
                label: r.libelle_competence.into(),
                definition: opt(r.definition),
                nature,
                category,
                subcategory,
                macro_ogr: OgrCode::parse(r.code_ogr_macro_comp).ok(),
                code_macro: opt(r.code_macro_comp),
                transition_eco: bool_tag(r.transition_eco),
                transition_num: bool_tag(r.transition_num),
                riasec: None,
                heterogeneite: opt(r.libelle_heterogeneite),
                origine: opt(r.libelle_origine),
            });
            rep.imported += 1;
        }
        // A compétence whose macro-compétence is unknown keeps its row; the link is dropped and said.
        let macros: HashSet<OgrCode> = self
            .data
            .competences
            .iter()
            .filter(|c| c.nature == CompetenceNature::MacroCompetence)
            .map(|c| c.ogr)
            .collect();
        let mut dropped = Vec::new();
        for c in &mut self.data.competences {
            if let Some(m) = c.macro_ogr.filter(|m| !macros.contains(m)) {
                dropped.push(format!("{} → {m}", c.ogr));
                c.macro_ogr = None;
            }
        }
        if !dropped.is_empty() {
            self.report.warnings.push(format!(
                "{} : {} compétence(s) rattachée(s) à une macro-compétence inconnue (rattachement retiré), ex. {}",
                rep.file,
                dropped.len(),
                dropped.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn savoirs(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::REFERENTIEL_SAVOIR)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<SavoirRow<'_>>() {
            let Line { line, row: r } = next?;
            let Ok(ogr) = OgrCode::parse(r.code_ogr_savoir) else {
                rep.issue(IssueKind::Invalid, "code OGR invalide", || {
                    format!("ligne {} : « {} »", line, r.code_ogr_savoir)
                });
                continue;
            };
            if self.items.contains_key(&ogr) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code OGR en double (première ligne gardée)",
                    || format!("ligne {} : {ogr}", line),
                );
                continue;
            }
            let category = SavoirCategory::parse(r.categorie_savoir);
            if let SavoirCategory::Other(c) = &category {
                self.report.warnings.push(format!(
                    "{}, ligne {} : catégorie de savoir nouvelle « {c} » gardée telle quelle",
                    rep.file, line
                ));
            }
            self.items.insert(ogr, ItemFamily::Savoir);
            self.data.savoirs.push(Savoir {
                ogr,
                label: r.libelle_savoir.into(),
                category,
                subcategory: r.sous_categorie_savoir.into(),
                transition_eco: bool_tag(r.transition_eco),
                transition_num: bool_tag(r.transition_num),
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn contextes(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::REFERENTIEL_CONTEXTE)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<ContexteRow<'_>>() {
            let Line { line, row: r } = next?;
            let (Ok(ogr), Ok(type_code)) = (
                OgrCode::parse(r.code_ogr),
                r.code_type_cont_trav.parse::<u32>(),
            ) else {
                rep.issue(
                    IssueKind::Invalid,
                    "code OGR ou code de type invalide",
                    || {
                        format!(
                            "ligne {} : « {} », « {} »",
                            line, r.code_ogr, r.code_type_cont_trav
                        )
                    },
                );
                continue;
            };
            if self.items.contains_key(&ogr) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code OGR en double (première ligne gardée)",
                    || format!("ligne {} : {ogr}", line),
                );
                continue;
            }
            self.items.insert(ogr, ItemFamily::Contexte);
            self.data.contextes.push(Contexte {
                ogr,
                label: r.libelle_cont_travail.into(),
                type_code,
                type_label: r.libelle_type_cont_trav.into(),
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn macro_riasec(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::MACRO_COMPETENCE_RIASEC)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<RiasecRow<'_>>() {
            let Line { line, row: r } = next?;
            let Ok(ogr) = OgrCode::parse(r.code) else {
                rep.issue(IssueKind::Invalid, "code OGR invalide", || {
                    format!("ligne {} : « {} »", line, r.code)
                });
                continue;
            };
            let Some(value) = riasec(r.riasec_majeur, r.riasec_mineur) else {
                rep.issue(IssueKind::Invalid, "lettre RIASEC invalide", || {
                    format!(
                        "ligne {} : {ogr} « {} » « {} »",
                        line, r.riasec_majeur, r.riasec_mineur
                    )
                });
                continue;
            };
            let idx = match self.items.get(&ogr) {
                Some(ItemFamily::Competence(i))
                    if self.data.competences[*i].nature == CompetenceNature::MacroCompetence =>
                {
                    *i
                }
                _ => {
                    rep.issue(IssueKind::Orphan, "macro-compétence inconnue", || {
                        format!("ligne {} : {ogr}", line)
                    });
                    continue;
                }
            };
            if !seen.insert(ogr) {
                rep.issue(
                    IssueKind::Duplicate,
                    "macro-compétence en double (première ligne gardée)",
                    || format!("ligne {} : {ogr}", line),
                );
                continue;
            }
            self.data.competences[idx].riasec = value;
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn fiche_riasec(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::CODE_ROME_RIASEC)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<RiasecRow<'_>>() {
            let Line { line, row: r } = next?;
            let Some(&fiche) = RomeCode::parse(r.code)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", || {
                    format!("ligne {} : « {} »", line, r.code)
                });
                continue;
            };
            let Some(value) = riasec(r.riasec_majeur, r.riasec_mineur) else {
                rep.issue(IssueKind::Invalid, "lettre RIASEC invalide", || {
                    format!(
                        "ligne {} : {} « {} » « {} »",
                        line, r.code, r.riasec_majeur, r.riasec_mineur
                    )
                });
                continue;
            };
            if !seen.insert(fiche) {
                rep.issue(
                    IssueKind::Duplicate,
                    "fiche en double (première ligne gardée)",
                    || format!("ligne {} : {}", line, r.code),
                );
                continue;
            }
            self.data.fiches[fiche].riasec = value;
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn item_list(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::ITEM)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<ItemRow<'_>>() {
            let Line { line, row: r } = next?;
            let Ok(ogr) = OgrCode::parse(r.code_ogr) else {
                rep.issue(IssueKind::Invalid, "code OGR invalide", || {
                    format!("ligne {} : « {} »", line, r.code_ogr)
                });
                continue;
            };
            if !self.items.contains_key(&ogr) {
                rep.issue(
                    IssueKind::Orphan,
                    "item absent des référentiels de compétences, savoirs et contextes",
                    || format!("ligne {} : {ogr} « {} »", line, r.libelle),
                );
            } else if !seen.insert(ogr) {
                rep.issue(IssueKind::Duplicate, "item en double", || {
                    format!("ligne {} : {ogr}", line)
                });
            } else {
                rep.imported += 1;
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn liens(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::LIENS_ROME_REFERENTIELS)? else {
            return Ok(());
        };
        let mut seen_apps = HashSet::new();
        while let Some(next) = table.next::<LienRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : {} → {} (bloc {}, rubrique {})",
                    line, r.code_rome, r.code_ogr, r.code_compo_bloc, r.code_rubrique
                )
            };
            let Some(&fiche) = RomeCode::parse(r.code_rome)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", example);
                continue;
            };
            let Ok(ogr) = OgrCode::parse(r.code_ogr) else {
                rep.issue(IssueKind::Invalid, "code OGR invalide", example);
                continue;
            };
            let kind = match (r.code_compo_bloc, r.code_rubrique) {
                ("1", _) => {
                    if self.data.fiches[fiche].ogr == ogr {
                        rep.imported += 1;
                    } else {
                        rep.issue(
                            IssueKind::Invalid,
                            "code OGR différent de celui de la fiche",
                            example,
                        );
                    }
                    continue;
                }
                ("2", _) => {
                    let ok = self.appellation_idx.get(&ogr).is_some_and(|&a| {
                        self.data.appellations[a].rome == self.data.fiches[fiche].code
                    });
                    if !ok {
                        rep.issue(
                            IssueKind::Orphan,
                            "appellation inconnue ou d'une autre fiche",
                            example,
                        );
                    } else if !seen_apps.insert(ogr) {
                        rep.issue(IssueKind::Duplicate, "lien en double", example);
                    } else {
                        rep.imported += 1;
                    }
                    continue;
                }
                ("5", "1") => ItemKind::SavoirFaire,
                ("5", "2") => ItemKind::SavoirEtre,
                ("5", "3") => ItemKind::Savoir,
                ("6", _) => ItemKind::Contexte,
                _ => {
                    rep.issue(IssueKind::Invalid, "bloc ou rubrique inconnu", example);
                    continue;
                }
            };
            let Some(&family) = self.items.get(&ogr) else {
                rep.issue(IssueKind::Orphan, "item inconnu des référentiels", example);
                continue;
            };
            let fits = match (kind, family) {
                (ItemKind::SavoirFaire, ItemFamily::Competence(i)) => {
                    self.data.competences[i].category == CompetenceCategory::SavoirFaire
                }
                (ItemKind::SavoirEtre, ItemFamily::Competence(i)) => {
                    self.data.competences[i].category == CompetenceCategory::SavoirEtre
                }
                (ItemKind::Savoir, ItemFamily::Savoir)
                | (ItemKind::Contexte, ItemFamily::Contexte) => true,
                _ => false,
            };
            if !fits {
                rep.issue(
                    IssueKind::Invalid,
                    "item d'une autre famille que celle de la rubrique",
                    example,
                );
                continue;
            }
            if self.links.contains_key(&(fiche, ogr)) {
                rep.issue(IssueKind::Duplicate, "lien fiche → item en double", example);
                continue;
            }
            let items = &mut self.data.fiches[fiche].items;
            self.links.insert((fiche, ogr), items.len());
            items.push(ItemLink {
                ogr,
                kind,
                coeur: CoeurMetier::Non,
            });
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn coherence(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::COHERENCE_ITEM)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<CoherenceRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : {} → {} « {} »",
                    line, r.code_rome, r.code_ogr, r.coeur_metier
                )
            };
            let Some(&fiche) = RomeCode::parse(r.code_rome)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", example);
                continue;
            };
            let Some(&pos) = OgrCode::parse(r.code_ogr)
                .ok()
                .and_then(|o| self.links.get(&(fiche, o)))
            else {
                rep.issue(
                    IssueKind::Orphan,
                    "lien fiche → item absent de unix_liens_rome_referentiels",
                    example,
                );
                continue;
            };
            let Some(coeur) = CoeurMetier::parse(r.coeur_metier) else {
                rep.issue(
                    IssueKind::Invalid,
                    "valeur de coeur_metier inconnue",
                    example,
                );
                continue;
            };
            if !seen.insert((fiche, pos)) {
                rep.issue(
                    IssueKind::Duplicate,
                    "lien en double (première ligne gardée)",
                    example,
                );
                continue;
            }
            self.data.fiches[fiche].items[pos].coeur = coeur;
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn textes(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::TEXTE)? else {
            return Ok(());
        };
        // (fiche, is_acces) → [(position, sentence)]
        let mut texts: HashMap<(usize, bool), Vec<(u32, String)>> = HashMap::new();
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<TexteRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : {} {} {}",
                    line, r.code_rome, r.libelle_type_texte, r.position_phrase
                )
            };
            let Some(&fiche) = RomeCode::parse(r.code_rome)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", example);
                continue;
            };
            let acces = match r.libelle_type_texte {
                "definition" => false,
                "acces_metier" => true,
                _ => {
                    rep.issue(IssueKind::Invalid, "type de texte inconnu", example);
                    continue;
                }
            };
            let Ok(position) = r.position_phrase.parse::<u32>() else {
                rep.issue(IssueKind::Invalid, "position de phrase invalide", example);
                continue;
            };
            if !seen.insert((fiche, acces, position)) {
                rep.issue(
                    IssueKind::Duplicate,
                    "phrase en double (première ligne gardée)",
                    example,
                );
                continue;
            }
            texts
                .entry((fiche, acces))
                .or_default()
                .push((position, unescape_text(r.libelle_texte)));
            rep.imported += 1;
        }
        for ((fiche, acces), mut sentences) in texts {
            sentences.sort_by_key(|s| s.0);
            let sentences = sentences.into_iter().map(|s| s.1).collect();
            let f = &mut self.data.fiches[fiche];
            if acces {
                f.acces = sentences
            } else {
                f.definition = sentences
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn cr_gd_dp(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::CR_GD_DP)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<CrGdDpRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : {} {} {}",
                    line, r.code_rome, r.code_grand_domaine, r.code_domaine_professionel
                )
            };
            let Some(&fiche) = RomeCode::parse(r.code_rome)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", example);
                continue;
            };
            let f = &self.data.fiches[fiche];
            if f.domaine == r.code_domaine_professionel
                && f.code.grand_domaine().to_string() == r.code_grand_domaine
            {
                rep.imported += 1;
            } else {
                rep.issue(
                    IssueKind::Invalid,
                    "domaine ou grand domaine différent de celui du code ROME",
                    example,
                );
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn cr_gd_dp_appellations(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::CR_GD_DP_APPELLATIONS)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<CrGdDpAppellationRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : type {} « {} »",
                    line, r.type_provenance, r.intitule
                )
            };
            let ok = match r.type_provenance {
                "1" => self
                    .data
                    .grands_domaines
                    .iter()
                    .any(|g| g.code.to_string() == r.code_grand_domaine),
                "2" => {
                    let code = format!("{}{}", r.code_grand_domaine, r.code_domaine_professionnel);
                    self.data.domaines.iter().any(|d| d.code == code)
                }
                "3" => OgrCode::parse(r.ogr_rome)
                    .ok()
                    .is_some_and(|o| self.fiche_by_ogr.contains_key(&o)),
                "4" => match (
                    OgrCode::parse(r.ogr_appellation),
                    OgrCode::parse(r.ogr_rome),
                ) {
                    (Ok(app), Ok(fiche_ogr)) => {
                        let fiche = self.fiche_by_ogr.get(&fiche_ogr);
                        let app = self
                            .appellation_idx
                            .get(&app)
                            .map(|&i| &self.data.appellations[i]);
                        matches!((fiche, app), (Some(&f), Some(a)) if self.data.fiches[f].code == a.rome)
                    }
                    _ => false,
                },
                _ => false,
            };
            if ok {
                rep.imported += 1;
            } else {
                rep.issue(
                    IssueKind::Orphan,
                    "élément inconnu ou rattaché ailleurs dans les autres fichiers",
                    example,
                );
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    /// A file `code, label, definition` → one list of [`Classification`].
    fn simple_classification(
        &mut self,
        spec: &FileSpec,
        list: fn(&mut ReferentialData) -> &mut Vec<Classification>,
    ) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(spec)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<ClassificationRow<'_>>() {
            let Line { line, row: r } = next?;
            let code = r.code;
            if code.is_empty() {
                rep.issue(IssueKind::Invalid, "code vide", || {
                    format!("ligne {}", line)
                });
            } else if !seen.insert(code.to_string()) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code en double (première ligne gardée)",
                    || format!("ligne {} : {code}", line),
                );
            } else {
                list(&mut self.data).push(Classification {
                    code: code.into(),
                    label: r.label.into(),
                    definition: opt(r.definition),
                    parent: None,
                });
                rep.imported += 1;
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn sous_secteurs(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::SOUS_SECTEUR_ACTIVITE)? else {
            return Ok(());
        };
        let mut seen: HashSet<String> = self.data.secteurs.iter().map(|s| s.code.clone()).collect();
        let secteurs: HashSet<String> = seen.clone();
        while let Some(next) = table.next::<SousSecteurRow<'_>>() {
            let Line { line, row: r } = next?;
            let (code, parent) = (r.code_ss_sect_activite, r.code_sect_activite);
            if code.is_empty() {
                rep.issue(IssueKind::Invalid, "code vide", || {
                    format!("ligne {}", line)
                });
            } else if !secteurs.is_empty() && !secteurs.contains(parent) {
                rep.issue(IssueKind::Orphan, "secteur d'activité inconnu", || {
                    format!("ligne {} : {code} → {parent}", line)
                });
            } else if !seen.insert(code.to_string()) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code en double (première ligne gardée)",
                    || format!("ligne {} : {code}", line),
                );
            } else {
                self.data.secteurs.push(Classification {
                    code: code.into(),
                    label: r.libelle_ss_sect_activite.into(),
                    definition: opt(r.definition_ss_sect_activite),
                    parent: opt(parent),
                });
                rep.imported += 1;
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn secteurs_naf(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::SECTEUR_NAF)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<SecteurNafRow<'_>>() {
            let Line { line, row: r } = next?;
            let code = r.code_secteur_naf;
            if code.is_empty() {
                rep.issue(IssueKind::Invalid, "code vide", || {
                    format!("ligne {}", line)
                });
            } else if !seen.insert(code.to_string()) {
                rep.issue(
                    IssueKind::Duplicate,
                    "code en double (première ligne gardée)",
                    || format!("ligne {} : {code}", line),
                );
            } else {
                self.data.secteurs_naf.push(Classification {
                    code: code.into(),
                    label: r.libelle_secteur_naf.into(),
                    definition: None,
                    parent: None,
                });
                rep.imported += 1;
            }
        }
        self.done(rep, table)?;
        Ok(())
    }

    /// An arborescence file linking fiches to a classification: the link goes
    /// to the sous-secteur when filled, else to the code ([`FicheLinkRow`]).
    fn fiche_links(
        &mut self,
        spec: &FileSpec,
        list: fn(&mut Fiche) -> &mut Vec<CategoryLink>,
    ) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(spec)? else {
            return Ok(());
        };
        let known: HashSet<String> = match spec.stem {
            "arborescence_centre_interet" => self
                .data
                .centres_interet
                .iter()
                .map(|c| c.code.clone())
                .collect(),
            "arborescence_secteur_activite" => {
                self.data.secteurs.iter().map(|c| c.code.clone()).collect()
            }
            "arborescence_secteur_naf" => self
                .data
                .secteurs_naf
                .iter()
                .map(|c| c.code.clone())
                .collect(),
            _ => self.data.themes.iter().map(|c| c.code.clone()).collect(),
        };
        let mut seen = HashSet::new();
        let mut other_titles = Vec::new();
        while let Some(next) = table.next::<FicheLinkRow<'_>>() {
            let Line { line, row: r } = next?;
            let code = Some(r.code_ss_sect_activite)
                .filter(|c| !c.is_empty())
                .unwrap_or(r.code)
                .to_string();
            let example = || format!("ligne {line} : {} → {code}", r.code_rome);
            let Some(&fiche) = RomeCode::parse(r.code_rome)
                .ok()
                .and_then(|c| self.fiche_idx.get(&c))
            else {
                rep.issue(IssueKind::Orphan, "fiche ROME inconnue", example);
                continue;
            };
            if !known.is_empty() && !known.contains(&code) {
                rep.issue(IssueKind::Orphan, "catégorie inconnue", example);
                continue;
            }
            if !seen.insert((fiche, code.clone())) {
                rep.issue(
                    IssueKind::Duplicate,
                    "lien en double (première ligne gardée)",
                    example,
                );
                continue;
            }
            // The fiche title repeated here (column after the code) must match:
            // a mismatch betrays a misdecoded file or a shifted column.
            if r.libelle_rome != self.data.fiches[fiche].title {
                other_titles.push(format!("ligne {line} : « {} »", r.libelle_rome));
            }
            let principal = r.principal.is_some_and(|p| bool_tag(p) == Some(true));
            list(&mut self.data.fiches[fiche]).push(CategoryLink { code, principal });
            rep.imported += 1;
        }
        if !other_titles.is_empty() {
            self.report.warnings.push(format!(
                "{} : {} intitulé(s) de fiche différent(s) de unix_referentiel_code_rome (lien gardé), ex. {}",
                rep.file,
                other_titles.len(),
                other_titles.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        self.done(rep, table)?;
        Ok(())
    }

    fn arborescence_competences(&mut self) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(&files::ARBORESCENCE_COMPETENCES)? else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        while let Some(next) = table.next::<BrancheRow<'_>>() {
            let Line { line, row: r } = next?;
            let example = || {
                format!(
                    "ligne {} : {} → {}",
                    line, r.code_ogr_macro_competence, r.code_ogr_competence
                )
            };
            let Ok(macro_ogr) = OgrCode::parse(r.code_ogr_macro_competence) else {
                rep.issue(
                    IssueKind::Invalid,
                    "code OGR de macro-compétence invalide",
                    example,
                );
                continue;
            };
            let is_macro =
                |i: &usize| self.data.competences[*i].nature == CompetenceNature::MacroCompetence;
            if !matches!(self.items.get(&macro_ogr), Some(ItemFamily::Competence(i)) if is_macro(i))
            {
                rep.issue(IssueKind::Orphan, "macro-compétence inconnue", example);
                continue;
            }
            // The compétence column may be empty (a macro-compétence without compétences).
            if !r.code_ogr_competence.is_empty() {
                let known = OgrCode::parse(r.code_ogr_competence)
                    .ok()
                    .and_then(|o| self.items.get(&o).copied());
                if !matches!(known, Some(ItemFamily::Competence(_))) {
                    rep.issue(IssueKind::Orphan, "compétence inconnue", example);
                    continue;
                }
            }
            // One row per compétence: the macro-compétence's branch is kept once.
            if seen.insert(macro_ogr) {
                self.data.arborescence_competences.push(CompetenceBranch {
                    macro_ogr,
                    domaine_code: r.code_domaine_competence.into(),
                    domaine: r.domaine_competence.into(),
                    enjeu_code: r.code_enjeu.into(),
                    enjeu: r.enjeu.into(),
                    objectif_code: r.code_objectif.into(),
                    objectif: r.objectif.into(),
                });
            }
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }

    /// Files read for control only (their content is fixed vocabulary).
    fn control_only(&mut self, spec: &FileSpec) -> Result<(), RomeImportError> {
        let Some((mut rep, mut table)) = self.load(spec)? else {
            return Ok(());
        };
        while let Some(next) = table.next::<ControlRow>() {
            next?;
            rep.imported += 1;
        }
        self.done(rep, table)?;
        Ok(())
    }
}

/// The five tag columns (transition_eco … emploi_cadre).
fn tags([eco, num, demo, reglemente, cadre]: [&str; 5]) -> FicheTags {
    FicheTags {
        transition_eco: opt(eco),
        transition_num: bool_tag(num),
        transition_demo: bool_tag(demo),
        emploi_reglemente: bool_tag(reglemente),
        emploi_cadre: bool_tag(cadre),
    }
}
