//! The words of routes (`chemins`) and of what to learn next (`apprendre`),
//! written once for the CLI, the pages and the parcours document.

use passerelle_core::engine::{
    LONG_STEP_COST, Learn, LearnItem, Opened, Route, RouteJob, RouteStep,
};
use passerelle_core::text::{fr_decimal, fr_int, pct};

/// The rule of the steps and of a route's cost, in counsellors' words.
pub fn route_rule() -> [String; 2] {
    [
        "Une étape est une passerelle courte ou possible, ou une reconversion longue (diplôme à obtenir) ; jamais une passerelle exigeante.".to_string(),
        format!(
            "Coût d'un itinéraire : somme, pour chaque étape, de 1 − score, plus {} pour une reconversion longue ; le moins coûteux d'abord.",
            fr_decimal(LONG_STEP_COST, 0)
        ),
    ]
}

/// "Itinéraire 2 — 2 étapes, coût 2,15 — par J1506 Infirmier …".
pub fn route_heading(n: usize, route: &Route) -> String {
    let through: Vec<String> = route.intermediates().map(job_name).collect();
    let steps = route.steps.len();
    format!(
        "Itinéraire {n} — {steps} étape{}, coût {}{}",
        if steps > 1 { "s" } else { "" },
        fr_decimal(route.cost, 2),
        if through.is_empty() {
            " — sans métier intermédiaire".to_string()
        } else {
            format!(" — par {}", through.join(", puis "))
        }
    )
}

/// "M1609 Secrétaire médical…" as a route names a job; a poste by its
/// title alone (its identifier is not a word for people).
pub fn job_name(j: &RouteJob) -> String {
    if is_poste(j) {
        j.title.clone()
    } else {
        format!("{} {}", j.id, j.title)
    }
}

/// The short name of a step's starting job: its ROME code, a poste's title.
fn job_code(j: &RouteJob) -> &str {
    if is_poste(j) { &j.title } else { &j.id }
}

fn is_poste(j: &RouteJob) -> bool {
    j.id.starts_with("poste:")
}

/// The move of a step and its label: "→ J1506 Infirmier : reconversion
/// longue (40 %), diplôme exigé : …".
pub fn step_move(s: &RouteStep) -> String {
    let mut what = vec![format!("{} ({})", s.tier_label, pct(Some(s.score)))];
    if let Some(r) = &s.requirement {
        what.push(r.clone());
    }
    format!(
        "{} → {} : {}",
        job_code(&s.from),
        job_name(&s.to),
        what.join(", ")
    )
}

/// The figures of a step: levels, coverage, items to acquire.
pub fn step_figures(s: &RouteStep) -> String {
    let level = |j: &RouteJob| {
        j.level
            .map(|l| l.to_string())
            .unwrap_or_else(|| "n. d.".into())
    };
    format!(
        "niveau {} → {}{} ; savoirs {}, savoir-faire {} ; à acquérir : {} savoir{}, {} savoir-faire",
        level(&s.from),
        level(&s.to),
        s.level_move.map(|m| format!(" ({m})")).unwrap_or_default(),
        pct(s.savoirs),
        pct(s.savoir_faire),
        fr_int(u64::from(s.to_acquire.savoirs)),
        if s.to_acquire.savoirs > 1 { "s" } else { "" },
        fr_int(u64::from(s.to_acquire.savoir_faire)),
    )
}

/// A destination of the second circle: "J1103 Dentiste — coût 1,48 — par
/// J1312 Assistant dentaire".
pub fn destination_heading(n: usize, route: &Route) -> String {
    let through: Vec<String> = route.intermediates().map(job_name).collect();
    format!(
        "{n}. {} — coût {} — par {}",
        job_name(route.destination()),
        fr_decimal(route.cost, 2),
        through.join(", puis ")
    )
}

/// How the items to learn were chosen.
pub fn learn_intro(l: &Learn) -> String {
    format!(
        "Chaque savoir ou savoir-faire est ajouté seul au métier, qui est comparé de nouveau aux {} métiers cibles à portée (passerelle exigeante à {} points au plus du seuil « possible ») ; il « ouvre » une cible qui le demande et devient passerelle courte ou possible. Les items présents dans plus de {} % des fiches ne sont pas proposés ; {} items essayés.",
        fr_int(l.targets_within_reach as u64),
        fr_decimal(l.reach * 100.0, 0),
        fr_decimal(l.generic_item_share * 100.0, 0),
        fr_int(l.items_tried as u64),
    )
}

/// "Savoir-faire « … » — ouvre 3 passerelles (item de 4 fiches)".
pub fn learn_heading(item: &LearnItem) -> String {
    let n = item.opens.len();
    format!(
        "{} « {} » — ouvre {n} passerelle{} (item de {} fiche{})",
        if item.kind == "savoir" {
            "Savoir"
        } else {
            "Savoir-faire"
        },
        item.item.label,
        if n > 1 { "s" } else { "" },
        fr_int(u64::from(item.fiches)),
        if item.fiches > 1 { "s" } else { "" },
    )
}

/// "J1301 Agent de service hospitalier : 8 % → 15 %, passerelle possible".
pub fn opened_line(o: &Opened) -> String {
    let name = if o.id.starts_with("poste:") {
        o.title.clone()
    } else {
        format!("{} {}", o.id, o.title)
    };
    format!(
        "{name} : {} → {}, {}",
        pct(Some(o.score_before)),
        pct(Some(o.score_after)),
        o.tier_label
    )
}

/// When nothing is found.
pub const NO_ROUTE: &str = "Aucun itinéraire de trois étapes au plus : aucune suite de passerelles directes ou de reconversions longues ne relie ces deux métiers.";
pub const NO_DESTINATION: &str = "Aucune destination à deux étapes.";
pub const NOTHING_TO_LEARN: &str =
    "Aucun savoir ni savoir-faire n'ouvre à lui seul une nouvelle passerelle.";
