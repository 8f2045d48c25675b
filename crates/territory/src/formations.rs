//! Training offer: an importer for LHEO (the XML exchange format of the
//! Carif-Oref network) and for a documented CSV alternative.
//!
//! Only what a fiche passerelle shows is kept ([`TrainingOffer`]): title,
//! organisme, place, hours, modalities (alternance, formation continue…),
//! public, prerequisites, access steps, RNCP code, formacodes, ROME codes and
//! sessions. The mapping from LHEO elements is documented in docs/territoire.md.

use std::path::Path;

use passerelle_core::territory::records::{Session, TrainingOffer};
use passerelle_core::{DeptCode, RomeCode};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Deserialize;

use crate::error::{Result, TerritoryError};
use crate::table::Table;
use crate::xml::{MAX_XML_DEPTH, line_col, push_ref, squash, too_deep};

// The LHEO elements read, deserialised by `quick_xml::de` one `<formation>`
// at a time (names are matched without their namespace prefix). Every child
// element is a `Vec` whose first entry is used: LHEO repeats some elements
// (`certification`), and a repeated one must neither refuse the file nor
// change which value is shown; the `overlapped-lists` feature lets repeats
// come in any order.

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Formation {
    #[serde(rename = "@numero")]
    numero: Option<String>,
    intitule_formation: Vec<Text>,
    certification: Vec<Certification>,
    domaine_formation: Vec<DomaineFormation>,
    organisme_formation_responsable: Vec<OrganismeResponsable>,
    action: Vec<Action>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Certification {
    #[serde(rename = "code-RNCP")]
    code_rncp: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DomaineFormation {
    #[serde(rename = "code-FORMACODE")]
    formacodes: Vec<Text>,
    #[serde(rename = "code-ROME")]
    codes_rome: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct OrganismeResponsable {
    nom_organisme: Vec<Text>,
    raison_sociale: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Action {
    #[serde(rename = "@numero")]
    numero: Option<String>,
    rythme_formation: Vec<Text>,
    modalites_alternance: Vec<Text>,
    conditions_specifiques: Vec<Text>,
    lieu_de_formation: Vec<LieuDeFormation>,
    nombre_heures_total: Vec<Text>,
    nombre_heures_centre: Vec<Text>,
    nombre_heures_entreprise: Vec<Text>,
    duree_indicative: Vec<Text>,
    session: Vec<LheoSession>,
    organisme_formateur: Vec<OrganismeFormateur>,
    extras: Vec<Extras>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LieuDeFormation {
    coordonnees: Vec<Coordonnees>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Coordonnees {
    adresse: Vec<Adresse>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Adresse {
    ville: Vec<Text>,
    codepostal: Vec<Text>,
    departement: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct OrganismeFormateur {
    raison_sociale_formateur: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LheoSession {
    periode: Vec<Periode>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Periode {
    debut: Vec<Text>,
    fin: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Extras {
    extra: Vec<Extra>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Extra {
    #[serde(rename = "@info")]
    info: Option<String>,
    #[serde(rename = "$value")]
    pieces: Vec<Piece>,
}

/// The text of a leaf element. An element of text mixed with markup
/// (`Titre <b>gras</b> fin`) keeps its own text pieces, as LHEO exports
/// sometimes carry HTML in free-text fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Text {
    #[serde(rename = "$value")]
    pieces: Vec<Piece>,
}

#[derive(Debug, Deserialize)]
enum Piece {
    #[serde(rename = "$text")]
    Text(String),
    #[serde(other)]
    Markup,
}

impl Text {
    fn squashed(&self) -> String {
        own_text(&self.pieces)
    }
}

/// The element's own text pieces joined, whitespace collapsed.
fn own_text(pieces: &[Piece]) -> String {
    let mut own = String::new();
    for p in pieces {
        if let Piece::Text(t) = p {
            own.push_str(t);
        }
    }
    squash(&own)
}

/// Text of the first element, whitespace collapsed; `None` if absent or blank.
fn first(elements: &[Text]) -> Option<String> {
    elements
        .first()
        .map(Text::squashed)
        .filter(|t| !t.is_empty())
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Parses an LHEO document (`lheo/offres/formation/action/session`).
///
/// One pass of quick-xml events checks the whole document (syntax, root,
/// depth, attributes, entities) and finds each `<formation>`, whose bytes are
/// then deserialised alone: only one offer is held as serde structs at a time.
pub fn parse_lheo(path: &Path, text: &str) -> Result<Vec<TrainingOffer>> {
    parse_lheo_file(path, text).map(|(offers, _)| offers)
}

/// Whether the open elements are `<lheo><extras>` (the file-level extensions).
fn in_file_extras(open: &[String]) -> bool {
    open.len() == 2 && open[0] == "lheo" && open[1] == "extras"
}

/// [`parse_lheo`], with the file's declared source: the text of
/// `<lheo><extras><extra info="source">` (LHEO's extension element), which
/// names the document the offers come from.
pub fn parse_lheo_file(path: &Path, text: &str) -> Result<(Vec<TrainingOffer>, Option<String>)> {
    let xml_err = |offset: u64, message: String| {
        let (line, column) = line_col(text.as_bytes(), offset);
        TerritoryError::Xml {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().expand_empty_elements = true;
    // Names of the open elements, and where the open <formation> starts.
    let mut open: Vec<String> = Vec::new();
    let mut formation: Option<(u64, usize)> = None;
    let mut entity = String::new();
    let mut offers = Vec::new();
    let mut root_seen = false;
    // Depth of an open `<extra info="source">`, and its text.
    let mut source_at: Option<usize> = None;
    let mut source = String::new();
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_err(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(s) => {
                let qname = s.name();
                let name = local(qname.as_ref()).to_string();
                if open.len() >= MAX_XML_DEPTH {
                    return Err(xml_err(reader.buffer_position(), too_deep(&name)));
                }
                if !root_seen {
                    root_seen = true;
                    if name != "lheo" {
                        return Err(xml_err(
                            0,
                            format!("élément racine <{name}> : attendu <lheo>"),
                        ));
                    }
                }
                let declares_source = name == "extra" && in_file_extras(&open);
                for a in s.attributes() {
                    let a = a.map_err(|e| xml_err(reader.buffer_position(), e.to_string()))?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| xml_err(reader.buffer_position(), e.to_string()))?;
                    if declares_source && local(a.key.as_ref()) == "info" && v == "source" {
                        source_at = Some(open.len());
                    }
                }
                if name == "formation" && formation.is_none() {
                    formation = Some((before, open.len()));
                }
                open.push(name);
            }
            Event::Text(t) if source_at.is_some_and(|d| d + 1 == open.len()) => source.push_str(&t),
            Event::GeneralRef(r) if source_at.is_some_and(|d| d + 1 == open.len()) => {
                push_ref(&mut source, &r).map_err(|m| xml_err(reader.buffer_position(), m))?;
            }
            Event::GeneralRef(r) if !open.is_empty() => {
                entity.clear();
                push_ref(&mut entity, &r).map_err(|m| xml_err(reader.buffer_position(), m))?;
            }
            Event::End(_) => {
                open.pop().expect("balanced by check_end_names");
                if source_at == Some(open.len()) {
                    source_at = None;
                }
                let Some((start, _)) = formation.filter(|&(_, depth)| depth == open.len()) else {
                    continue;
                };
                formation = None;
                let end = reader.buffer_position();
                let f = deserialize_formation(&text[start as usize..end as usize])
                    .map_err(|(offset, m)| xml_err(start + offset, m))?;
                offers.extend(offers_of(&f).map_err(|m| TerritoryError::Line {
                    path: path.to_path_buf(),
                    line: line_col(text.as_bytes(), end).0,
                    message: format!("<formation> se terminant ici : {m}"),
                })?);
            }
            Event::Eof => {
                if let Some(name) = open.last() {
                    return Err(xml_err(
                        text.len() as u64,
                        format!("fin de fichier avant la fermeture de <{name}>"),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if !root_seen {
        return Err(xml_err(0, "aucun élément <lheo>".into()));
    }
    let source = squash(&source);
    Ok((offers, (!source.is_empty()).then_some(source)))
}

/// Deserialises one well-formed `<formation>` element (already checked by
/// the event pass); an error carries its offset in `xml`.
fn deserialize_formation(xml: &str) -> std::result::Result<Formation, (u64, String)> {
    let mut de = quick_xml::de::Deserializer::from_str(xml);
    Formation::deserialize(&mut de).map_err(|e| {
        let offset = de.get_ref().get_ref().error_position();
        (offset, format!("<formation> illisible : {e}"))
    })
}

fn offers_of(f: &Formation) -> std::result::Result<Vec<TrainingOffer>, String> {
    let intitule = first(&f.intitule_formation).ok_or("intitule-formation absent")?;
    let rncp = f
        .certification
        .first()
        .and_then(|c| first(&c.code_rncp))
        .map(|c| {
            let c = c.trim_start_matches("RNCP");
            format!("RNCP{c}")
        });
    let formacodes: Vec<String> = f
        .domaine_formation
        .iter()
        .flat_map(|d| &d.formacodes)
        .map(Text::squashed)
        .collect();
    let mut codes_rome = Vec::new();
    for code in f.domaine_formation.iter().flat_map(|d| &d.codes_rome) {
        codes_rome.push(RomeCode::parse(&code.squashed()).map_err(|e| e.to_string())?);
    }
    let responsable = f.organisme_formation_responsable.first().and_then(|o| {
        o.nom_organisme
            .first()
            .or_else(|| o.raison_sociale.first())
            .map(Text::squashed)
    });
    let mut out = Vec::new();
    for (i, a) in f.action.iter().enumerate() {
        let organisme = a
            .organisme_formateur
            .first()
            .and_then(|o| first(&o.raison_sociale_formateur))
            .or_else(|| responsable.clone())
            .ok_or("organisme absent (organisme-formation-responsable/nom-organisme)")?;
        let adresse = a
            .lieu_de_formation
            .first()
            .and_then(|l| l.coordonnees.first())
            .and_then(|c| c.adresse.first())
            .ok_or("lieu-de-formation/coordonnees/adresse absent")?;
        let ville = first(&adresse.ville).ok_or("ville du lieu de formation absente")?;
        let code_postal = first(&adresse.codepostal);
        let departement = match first(&adresse.departement) {
            Some(d) => Some(DeptCode::parse(&d).map_err(|e| e.to_string())?),
            None => code_postal.as_deref().and_then(dept_of_postcode),
        };
        let duree_heures = hours(a)?;
        let extras = |info: &str| -> Vec<String> {
            a.extras
                .iter()
                .flat_map(|e| &e.extra)
                .filter(|e| e.info.as_deref() == Some(info))
                .map(|e| own_text(&e.pieces))
                .collect()
        };
        let mut modalites = extras("voie-acces");
        if first(&a.modalites_alternance).is_some() && !modalites.iter().any(|m| m == "alternance")
        {
            modalites.insert(0, "alternance".into());
        }
        let sessions = a
            .session
            .iter()
            .map(|s| {
                let periode = s.periode.first();
                Session {
                    debut: periode.and_then(|p| first(&p.debut)).map(date),
                    fin: periode.and_then(|p| first(&p.fin)).map(date),
                }
            })
            .collect();
        out.push(TrainingOffer {
            id: a
                .numero
                .clone()
                .or_else(|| f.numero.as_ref().map(|n| format!("{n}-{}", i + 1)))
                .unwrap_or_default(),
            intitule: intitule.clone(),
            organisme,
            ville,
            code_postal,
            departement,
            duree_heures,
            modalites,
            rythme: first(&a.rythme_formation),
            public: extras("public").into_iter().next(),
            prerequis: a
                .conditions_specifiques
                .iter()
                .map(Text::squashed)
                .filter(|s| !s.is_empty())
                .collect(),
            modalites_acces: extras("modalite-acces"),
            rncp: rncp.clone(),
            formacodes: formacodes.clone(),
            codes_rome: codes_rome.clone(),
            sessions,
        });
    }
    if out.is_empty() {
        return Err("aucune <action>".into());
    }
    Ok(out)
}

/// `nombre-heures-total`, else centre + entreprise, else `duree-indicative` if numeric.
fn hours(a: &Action) -> std::result::Result<Option<u32>, String> {
    let num = |elements: &[Text], name: &str| -> std::result::Result<Option<u32>, String> {
        match first(elements) {
            None => Ok(None),
            Some(t) => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| format!("{name} invalide « {t} »")),
        }
    };
    if let Some(h) = num(&a.nombre_heures_total, "nombre-heures-total")? {
        return Ok(Some(h));
    }
    match (
        num(&a.nombre_heures_centre, "nombre-heures-centre")?,
        num(&a.nombre_heures_entreprise, "nombre-heures-entreprise")?,
    ) {
        (Some(c), e) => Ok(Some(c + e.unwrap_or(0))),
        _ => num(&a.duree_indicative, "duree-indicative"),
    }
}

/// LHEO dates are `YYYYMMDD`; shown as `YYYY-MM-DD`.
fn date(s: String) -> String {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..])
    } else {
        s
    }
}

/// The département of a French postcode (Corsica 20xxx → 2A/2B, overseas 97x).
pub fn dept_of_postcode(cp: &str) -> Option<DeptCode> {
    let cp = cp.trim();
    if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = match &cp[..2] {
        "97" => cp[..3].to_string(),
        "20" => {
            if cp < "20200" {
                "2A".into()
            } else {
                "2B".into()
            }
        }
        d => d.to_string(),
    };
    DeptCode::parse(&code).ok()
}

/// Columns of the CSV alternative (`;`, UTF-8, multi-values separated by ` | `).
pub const CSV_COLUMNS: [&str; 17] = [
    "id",
    "intitule",
    "organisme",
    "ville",
    "code_postal",
    "departement",
    "duree_heures",
    "modalites",
    "rythme",
    "public",
    "prerequis",
    "modalites_acces",
    "rncp",
    "formacodes",
    "codes_rome",
    "debut",
    "fin",
];

pub fn parse_csv(path: &Path, bytes: Vec<u8>) -> Result<Vec<TrainingOffer>> {
    let table = Table::from_bytes(path, bytes, b';')?;
    let mut idx = [0usize; 17];
    for (i, c) in CSV_COLUMNS.iter().enumerate() {
        idx[i] = table.col(c)?;
    }
    let mut out = Vec::new();
    table.for_each(|r| {
        let g = |k: usize| r.get(idx[k]).to_string();
        let opt = |k: usize| Some(g(k)).filter(|s| !s.is_empty());
        let multi = |k: usize| -> Vec<String> {
            g(k).split('|')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let need = |k: usize| opt(k).ok_or_else(|| format!("colonne {} vide", CSV_COLUMNS[k]));
        let code_postal = opt(4);
        let departement = match opt(5) {
            Some(d) => Some(DeptCode::parse(&d).map_err(|e| e.to_string())?),
            None => code_postal.as_deref().and_then(dept_of_postcode),
        };
        let duree_heures = match opt(6) {
            Some(h) => Some(
                h.parse::<u32>()
                    .map_err(|_| format!("duree_heures invalide « {h} »"))?,
            ),
            None => None,
        };
        let codes_rome = multi(14)
            .iter()
            .map(|c| RomeCode::parse(c).map_err(|e| e.to_string()))
            .collect::<std::result::Result<_, _>>()?;
        let sessions = if opt(15).is_some() || opt(16).is_some() {
            vec![Session {
                debut: opt(15),
                fin: opt(16),
            }]
        } else {
            vec![]
        };
        out.push(TrainingOffer {
            id: need(0)?,
            intitule: need(1)?,
            organisme: need(2)?,
            ville: need(3)?,
            code_postal,
            departement,
            duree_heures,
            modalites: multi(7),
            rythme: opt(8),
            public: opt(9),
            prerequis: multi(10),
            modalites_acces: multi(11),
            rncp: opt(12).map(|c| format!("RNCP{}", c.trim_start_matches("RNCP"))),
            formacodes: multi(13),
            codes_rome,
            sessions,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Largest training-offer file, in bytes (a regional LHEO export is a few
/// tens of megabytes); larger files are refused before being read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Longest text field of an offer (title, organisme, public, one
/// prerequisite…), in characters.
pub const MAX_FIELD_CHARS: usize = 2000;
/// Most list entries (modalities, prerequisites, sessions…) of one offer.
pub const MAX_LIST_LEN: usize = 500;

/// Checks the bounds of docs/territoire.md on one offer.
fn check_offer(o: &TrainingOffer) -> std::result::Result<(), String> {
    let texts = [
        ("id", Some(&o.id)),
        ("intitule", Some(&o.intitule)),
        ("organisme", Some(&o.organisme)),
        ("ville", Some(&o.ville)),
        ("rythme", o.rythme.as_ref()),
        ("public", o.public.as_ref()),
    ];
    let lists = [
        ("modalites", &o.modalites),
        ("prerequis", &o.prerequis),
        ("modalites_acces", &o.modalites_acces),
        ("formacodes", &o.formacodes),
    ];
    let long = |t: &str| t.chars().count() > MAX_FIELD_CHARS;
    for (name, value) in texts {
        if value.is_some_and(|v| long(v)) {
            return Err(format!(
                "champ {name} : plus de {MAX_FIELD_CHARS} caractères"
            ));
        }
    }
    for (name, list) in lists {
        if list.len() > MAX_LIST_LEN {
            return Err(format!("champ {name} : plus de {MAX_LIST_LEN} valeurs"));
        }
        if list.iter().any(|v| long(v)) {
            return Err(format!(
                "champ {name} : une valeur de plus de {MAX_FIELD_CHARS} caractères"
            ));
        }
    }
    if o.sessions.len() > MAX_LIST_LEN {
        return Err(format!("plus de {MAX_LIST_LEN} sessions"));
    }
    Ok(())
}

/// Reads a training-offer file: LHEO if it starts like XML, else the CSV.
pub fn read_formations(path: &Path) -> Result<Vec<TrainingOffer>> {
    read_formations_file(path).map(|(offers, _)| offers)
}

/// [`read_formations`], with the source the file declares (LHEO only:
/// `<extras><extra info="source">`), to cite instead of a file name.
pub fn read_formations_file(path: &Path) -> Result<(Vec<TrainingOffer>, Option<String>)> {
    let size = std::fs::metadata(path)
        .map_err(|e| TerritoryError::io(path, e))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(TerritoryError::file(
            path,
            format!("{size} octets, au-delà de la limite de {MAX_FILE_BYTES} octets"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| TerritoryError::io(path, e))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let (offers, source) = if first == Some(b'<') {
        let text = std::str::from_utf8(body)
            .map_err(|e| TerritoryError::file(path, format!("XML non UTF-8 : {e}")))?;
        parse_lheo_file(path, text)?
    } else {
        (parse_csv(path, bytes)?, None)
    };
    if offers.is_empty() {
        return Err(TerritoryError::file(path, "aucune offre de formation"));
    }
    let mut ids = std::collections::BTreeSet::new();
    for o in &offers {
        check_offer(o).map_err(|m| {
            let id: String = o.id.chars().take(40).collect();
            TerritoryError::file(path, format!("offre « {id} » : {m}"))
        })?;
        if !ids.insert(o.id.as_str()) {
            return Err(TerritoryError::file(
                path,
                format!("identifiant d'offre « {} » en double", o.id),
            ));
        }
    }
    Ok((offers, source))
}
