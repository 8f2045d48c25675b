//! Certif Info (Réseau des Carif-Oref): certifications and the ROME v3 codes
//! they lead to, with type, level, RNCP/RS code, certifier and accessibility.

use std::path::Path;

use passerelle_core::RomeCode;
use passerelle_core::territory::records::{Accessibility, Certification};

use crate::error::Result;
use crate::table::Table;

fn yes_no(s: &str) -> Option<bool> {
    match s.trim() {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub fn read_certif_info(path: &Path) -> Result<Vec<Certification>> {
    let table = Table::open(path, b';')?;
    let c = |n: &str| table.col(n);
    let (c_code, c_lib, c_type, c_niv, c_date) = (
        c("Code_Diplome")?,
        c("Libelle_Diplome")?,
        c("Libelle_Type_Diplome")?,
        c("Code_Niveau_Europeen")?,
        c("Date_MaJ")?,
    );
    let romes = [
        c("Code_Rome_1")?,
        c("Code_Rome_2")?,
        c("Code_Rome_3")?,
        c("Code_Rome_4")?,
        c("Code_Rome_5")?,
    ];
    let (c_rncp, c_rs, c_val, c_cert, c_etat) = (
        c("Code_RNCP")?,
        c("Code_RS")?,
        c("valideur")?,
        c("certificateur")?,
        c("Etat_Libelle")?,
    );
    let acc = [
        c("accessibilite_fi")?,
        c("accessibilite_ca")?,
        c("accessibilite_fc")?,
        c("accessibilite_cp")?,
        c("accessibilite_vae")?,
    ];
    let mut out = Vec::new();
    table.for_each(|r| {
        let mut codes = Vec::new();
        for &col in &romes {
            let v = r.get(col);
            if !v.is_empty() {
                codes.push(RomeCode::parse(v).map_err(|e| e.to_string())?);
            }
        }
        let niveau = match r.get(c_niv) {
            "" => None,
            v => Some(
                v.parse::<u8>()
                    .map_err(|_| format!("niveau européen invalide « {v} »"))?,
            ),
        };
        out.push(Certification {
            code: r.get(c_code).to_string(),
            libelle: r.get(c_lib).to_string(),
            type_libelle: r.get(c_type).to_string(),
            niveau,
            rncp: opt(r.get(c_rncp)).map(|s| format!("RNCP{s}")),
            rs: opt(r.get(c_rs)).map(|s| format!("RS{s}")),
            // Some cells start or end with a stray comma (",Ministère …").
            certificateur: opt(r
                .get(c_cert)
                .trim_matches(|c: char| c == ',' || c.is_whitespace()))
            .or_else(|| {
                opt(r
                    .get(c_val)
                    .trim_matches(|c: char| c == ',' || c.is_whitespace()))
            }),
            romes: codes,
            accessibility: Accessibility {
                formation_initiale: yes_no(r.get(acc[0])),
                apprentissage: yes_no(r.get(acc[1])),
                formation_continue: yes_no(r.get(acc[2])),
                contrat_pro: yes_no(r.get(acc[3])),
                vae: yes_no(r.get(acc[4])),
            },
            updated: opt(r.get(c_date)),
            etat: r.get(c_etat).to_string(),
        });
        Ok(())
    })?;
    Ok(out)
}
