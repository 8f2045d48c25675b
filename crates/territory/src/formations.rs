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

use crate::error::{Result, TerritoryError};
use crate::table::Table;
use crate::xml::{MAX_XML_DEPTH, line_col, push_ref, squash, too_deep};

/// A parsed XML element (offers are small: one `<formation>` at a time).
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn path(&self, names: &[&str]) -> Option<&Node> {
        names.iter().try_fold(self, |n, name| n.child(name))
    }
    fn text_at(&self, names: &[&str]) -> Option<String> {
        self.path(names)
            .map(|n| squash(&n.text))
            .filter(|s| !s.is_empty())
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Every descendant with this name, depth first.
    fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants(name, out);
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Parses an LHEO document (`lheo/offres/formation/action/session`).
pub fn parse_lheo(path: &Path, text: &str) -> Result<Vec<TrainingOffer>> {
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
    let mut stack: Vec<Node> = Vec::new();
    let mut offers = Vec::new();
    let mut root_seen = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_err(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(s) => {
                let qname = s.name();
                let name = local(qname.as_ref()).to_string();
                if stack.len() >= MAX_XML_DEPTH {
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
                let mut attrs = Vec::new();
                for a in s.attributes() {
                    let a = a.map_err(|e| xml_err(reader.buffer_position(), e.to_string()))?;
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .map_err(|e| xml_err(reader.buffer_position(), e.to_string()))?;
                    attrs.push((local(a.key.as_ref()).to_string(), value));
                }
                stack.push(Node {
                    name,
                    attrs,
                    ..Node::default()
                });
            }
            Event::Text(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t);
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(n) = stack.last_mut() {
                    push_ref(&mut n.text, &r).map_err(|m| xml_err(reader.buffer_position(), m))?;
                }
            }
            Event::End(_) => {
                let node = stack.pop().expect("balanced by check_end_names");
                if node.name == "formation" {
                    let line = line_col(text.as_bytes(), reader.buffer_position()).0;
                    offers.extend(offers_of(&node).map_err(|m| TerritoryError::Line {
                        path: path.to_path_buf(),
                        line,
                        message: format!("<formation> se terminant ici : {m}"),
                    })?);
                } else if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(xml_err(
                        text.len() as u64,
                        format!("fin de fichier avant la fermeture de <{}>", open.name),
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
    Ok(offers)
}

fn offers_of(f: &Node) -> std::result::Result<Vec<TrainingOffer>, String> {
    let intitule = f
        .text_at(&["intitule-formation"])
        .ok_or("intitule-formation absent")?;
    let rncp = f.text_at(&["certification", "code-RNCP"]).map(|c| {
        let c = c.trim_start_matches("RNCP");
        format!("RNCP{c}")
    });
    let formacodes: Vec<String> = f
        .all("domaine-formation")
        .flat_map(|d| d.all("code-FORMACODE"))
        .map(|n| squash(&n.text))
        .collect();
    let mut codes_rome = Vec::new();
    for d in f.all("domaine-formation") {
        for n in d.all("code-ROME") {
            codes_rome.push(RomeCode::parse(&squash(&n.text)).map_err(|e| e.to_string())?);
        }
    }
    let responsable = f
        .path(&["organisme-formation-responsable", "nom-organisme"])
        .or_else(|| f.path(&["organisme-formation-responsable", "raison-sociale"]))
        .map(|n| squash(&n.text));
    let mut out = Vec::new();
    for (i, a) in f.all("action").enumerate() {
        let organisme = a
            .text_at(&["organisme-formateur", "raison-sociale-formateur"])
            .or_else(|| responsable.clone())
            .ok_or("organisme absent (organisme-formation-responsable/nom-organisme)")?;
        let adresse = a
            .path(&["lieu-de-formation", "coordonnees", "adresse"])
            .ok_or("lieu-de-formation/coordonnees/adresse absent")?;
        let ville = adresse
            .text_at(&["ville"])
            .ok_or("ville du lieu de formation absente")?;
        let code_postal = adresse.text_at(&["codepostal"]);
        let departement = match adresse.text_at(&["departement"]) {
            Some(d) => Some(DeptCode::parse(&d).map_err(|e| e.to_string())?),
            None => code_postal.as_deref().and_then(dept_of_postcode),
        };
        let duree_heures = hours(a)?;
        let extras = |info: &str| -> Vec<String> {
            let mut v = Vec::new();
            a.descendants("extra", &mut v);
            v.into_iter()
                .filter(|e| e.attr("info") == Some(info))
                .map(|e| squash(&e.text))
                .collect()
        };
        let mut modalites = extras("voie-acces");
        if a.text_at(&["modalites-alternance"]).is_some()
            && !modalites.iter().any(|m| m == "alternance")
        {
            modalites.insert(0, "alternance".into());
        }
        let sessions = a
            .all("session")
            .map(|s| Session {
                debut: s.text_at(&["periode", "debut"]).map(date),
                fin: s.text_at(&["periode", "fin"]).map(date),
            })
            .collect();
        out.push(TrainingOffer {
            id: a
                .attr("numero")
                .map(str::to_string)
                .or_else(|| f.attr("numero").map(|n| format!("{n}-{}", i + 1)))
                .unwrap_or_default(),
            intitule: intitule.clone(),
            organisme,
            ville,
            code_postal,
            departement,
            duree_heures,
            modalites,
            rythme: a.text_at(&["rythme-formation"]),
            public: extras("public").into_iter().next(),
            prerequis: a
                .all("conditions-specifiques")
                .map(|n| squash(&n.text))
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
fn hours(a: &Node) -> std::result::Result<Option<u32>, String> {
    let num = |names: &[&str]| -> std::result::Result<Option<u32>, String> {
        match a.text_at(names) {
            None => Ok(None),
            Some(t) => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| format!("{} invalide « {t} »", names.join("/"))),
        }
    };
    if let Some(h) = num(&["nombre-heures-total"])? {
        return Ok(Some(h));
    }
    match (
        num(&["nombre-heures-centre"])?,
        num(&["nombre-heures-entreprise"])?,
    ) {
        (Some(c), e) => Ok(Some(c + e.unwrap_or(0))),
        _ => num(&["duree-indicative"]),
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
    let offers = if first == Some(b'<') {
        let text = std::str::from_utf8(body)
            .map_err(|e| TerritoryError::file(path, format!("XML non UTF-8 : {e}")))?;
        parse_lheo(path, text)?
    } else {
        parse_csv(path, bytes)?
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
    Ok(offers)
}
