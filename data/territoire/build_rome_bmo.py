#!/usr/bin/env python3
"""Builds data/territoire/rome_bmo.csv, the ROME 4.0 fiche -> BMO métier
(FAP 2021, `Code métier BMO`) correspondence used by `passerelle territoire`.

No official ROME 4.0 <-> FAP 2021 crosswalk is open (see
$PASSERELLE_DATA/territory/README.md, "Not found"), so this one is built, in
three reviewable layers, most specific first:

1. OVERRIDES: one fiche -> one BMO métier, with a written justification
   (e.g. J1303 -> V3X70, the family the model fiche quotes for the
   assistant médical; M1609 -> L0X60, whose FAP 341 sub-family L0X60d is
   "Secrétaires médicaux et assistants médicaux ou médico-sociaux").
2. RULES: a keyword of the fiche title (accents and case folded), optionally
   limited to some domaines professionnels -> BMO métier.
3. DOMAINES: the domaine professionnel (first 3 characters of the code) ->
   the BMO métier that covers most of its fiches. Domaines that BMO does not
   survey (State functions: army, police, public control) map to nothing.

4. LEVEL CHECK, over the three layers: a match across qualification levels
   is corrected or marked. The ROME fiche's `emploi_cadre` tag (O = cadre,
   N = non cadre) is compared with the level read from the BMO métier's FAP
   2021 label (LEVEL_CADRE / LEVEL_NON_CADRE below: "Cadres", "Ingénieurs",
   "Médecins"… vs "Techniciens", "Agents de maîtrise", "Employés",
   "Ouvriers"…; a label naming both, e.g. "Cadres et techniciens de la
   documentation", is "mixte" and fits both).
   - A cadre fiche (O) matched by a title keyword or by its domaine to a
     non-cadre métier is moved to a cadre métier of the same FAP family
     (first 3 characters of the code), else of the same FAP domain (first
     letter), the one whose label shares most words with the fiche title,
     when one shares at least one word (H1523 Responsable QSE: H0X90 Techniciens du contrôle qualité -> H1X91
     Ingénieurs et cadres techniques HSE). The justification says so.
   - Otherwise (no cadre métier in the domain, a reviewed override, or a
     non-cadre fiche N matched to a cadre-only métier: N does not say whether
     the job is technicien or employé, and the public-sector grades behind
     many N fiches, e.g. professeur de collège, are cadres in the FAP), the
     match is kept and its justification starts with APPROCHEE, which
     Passerelle prints as « correspondance approchée » wherever the BMO
     figure is shown.

Usage (reads the official ROME CSV, writes only codes, no official labels):
    python3 data/territoire/build_rome_bmo.py [PASSERELLE_DATA]
The BMO codes are checked against the BMO 2025 csv export of the same data dir.
"""
import csv, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "PASSERELLE_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))

OVERRIDES = {
    "J1303": ("V3X70", "assistant médico-technique : famille citée par la fiche passerelle modèle (BMO Techniciens médicaux et préparateurs, Hérault) ; la FAP 341 V0X60b « Assistants médico-techniques » (aides-soignants) est l'autre lecture possible"),
    "J1312": ("V3X70", "assistant dentaire : même code parent J1303 que l'assistant médico-technique"),
    "M1609": ("L0X60", "secrétaire médical : FAP 341 L0X60d « Secrétaires médicaux et assistants médicaux ou médico-sociaux »"),
    "M1617": ("V2X90", "médecin DIM : médecin (FAP V2X90), bien que rattaché au code parent M1609"),
    "J1501": ("V0X60", "aide-soignant : FAP V0X60"),
    "J1304": ("T2B60", "auxiliaire de puériculture : FAP T2B60 « Assistants maternels, auxiliaires de puériculture… »"),
    "J1506": ("V1X80", "infirmier : FAP V1X80"),
    "J1502": ("V1X80", "cadre de santé : cadres infirmiers, FAP V1X80"),
    "K1302": ("T2A60", "assistant de vie : FAP T2A60 « Aides à domicile et auxiliaires de vie »"),
    "K1304": ("T1X60", "employé familial : FAP T1X60 « Personnels de ménage chez des particuliers »"),
    "K1303": ("T2B60", "garde d'enfant : FAP T2B60 « … gardes à domicile »"),
    "K1305": ("V4X85", "TISF : travailleur social, FAP V4X85 « Professionnels de l'action sociale »"),
    "K2204": ("T4X60", "agent de nettoyage industriel : FAP T4X60 « Agents d'entretien de locaux »"),
    "J1301": ("T4X61", "agent de service hospitalier : FAP T4X61"),
    "M1601": ("L2X60", "chargé d'accueil : FAP L2X60 « Agents d'accueil et d'information »"),
    "M1602": ("L2X61", "opérations administratives : FAP L2X61 Agents administratifs"),
    "M1604": ("L3X80", "assistanat de direction : FAP L3X80"),
    "M1607": ("L0X60", "secrétaire : FAP L0X60"),
    "K2106": ("W0X80", "professeur des écoles : FAP W0X80 « Professeurs des écoles » (niveau profession intermédiaire de la FAP, alors que la fiche ROME est emploi cadre)"),
    "M1606": ("L0X60", "opérateur de saisie : FAP L0X60 « Secrétaires bureautiques et assimilés »"),
}

# (pattern on the folded title, BMO code, domaines where it applies or None)
RULES = [
    (r"ambulanc", "J3X40", None),
    (r"brancardier", "T4X61", None),
    (r"controleur", "J5X60", ["N41", "N43"]),
    (r"tramway", "J3X44", None),
    (r"\bbus\b|autocar|\bcar tourisme|transport en commun", "J3X41", None),
    (r"transport de particuliers|navette|corbillard", "J3X40", ["N41"]),
    (r"accompagnant educatif et social|aide medico-psychologique", "V4X84", None),
    (r"assistant maternel|assistant familial|garde d'enfant|au pair|petite enfance|aupres d'enfants|ecoles maternelles", "T2B60", ["K13"]),
    (r"educateur technique specialise|moniteur d'atelier", "V4X83", ["K12"]),
    (r"standardiste", "L2X60", ["M16"]),
    (r"secretaire", "L0X60", ["M16"]),
    (r"facteur|distributeur de prospectus|liaison courrier|distributeurs d'imprimes", "J2X40", ["M16"]),
    (r"pressing|laverie|repasseur|linger|nettoyeur en cuir", "K0X32", ["D12"]),
    (r"cordonnier|retoucheur|posticheur", "K0X30", ["D12"]),
    (r"masseur|spa praticien|hydrotherapie|perceur|image personnelle|developpement personnel|sophrolog|art therapeute|medecine non conventionnelle", "T6X61", ["D12", "K11"]),
    (r"receptionniste|concierge d'hotel|night auditor", "S2X60", ["G17"]),
    (r"aide[- ]soignant", "V0X60", None),
    (r"infirmier", "V1X80", ["J15", "J11"]),
    (r"sage[- ]femme|maieuti", "V1X80", None),
    (r"chirurgien[- ]dentiste|dentiste", "V2X91", ["J11"]),
    (r"veterinaire", "V2X92", None),
    (r"pharmacien", "V2X93", ["J11", "J12"]),
    (r"preparateur.*pharmac|manipulateur|technicien.*laboratoire.*(medical|analyses)|imagerie", "V3X70", ["J13", "J12"]),
    (r"opticien|audioprothes|prothesiste|orthopedi|podo-orthes|epithes", "V3X71", ["J14", "J13"]),
    (r"psycholog|psychotherap", "V3X90", None),
    (r"kinesitherap|orthophon|orthoptist|ergotherap|psychomotric|dieteti|pedicure|podolog|osteopath|chiropra", "V3X80", ["J14", "J11", "J15"]),
    (r"educateur specialise|moniteur[- ]educateur|educateur de jeunes enfants", "V4X83", ["K12"]),
    (r"animateur.*socio|animation socio", "V5X81", None),
    (r"conseiller.*insertion|conseiller.*emploi|orientation", "V4X80", ["K18", "K12"]),
    (r"professeure? des ecoles", "W0X80", None),
    (r"universite", "W0X92", ["K21"]),
    (r"professeur|enseignant", "W0X90", ["K21"]),
    (r"formateur|formatrice", "W1X80", None),
    (r"cuisinier|commis de cuisine", "S1X40", ["G16", "G14", "G18", "D11"]),
    (r"chef de cuisine|chef cuisinier", "S1X80", None),
    (r"plongeur|aide de cuisine|employe polyvalent de restauration", "S1X20", None),
    (r"serveur|serveuse|barman|barmaid|sommelier", "S2X61", ["G18", "G14", "G16", "G17"]),
    (r"boucher", "S0X40", None),
    (r"charcutier|traiteur", "S0X41", None),
    (r"boulanger|patissier", "S0X42", None),
    (r"caissier", "R0X61", ["D11", "D12", "D13", "D15"]),
    (r"coiff|esthetic|manucur|prothesiste ongulaire", "T0X60", None),
    (r"agent de securite|surveillan|vigile|agent cynophile", "T3X61", ["K25"]),
    (r"gardien d'immeuble|concierge", "T3X60", ["K22", "K23", "K25", "K26", "K13", "C15"]),
    (r"directeur|directrice|responsable|expert|auditeur|controleur", "L5X90", ["M12"]),
    (r"comptab", "L1X60", ["M12"]),
    (r"greffier|clerc", "P3X90", ["K19"]),
    (r"juriste|avocat|notaire|huissier|commissaire de justice", "L5X91", ["K19"]),
    (r"chef de projet|directeur des systemes|dsi", "M2X91", ["M18"]),
    (r"architecte|consultant|expert", "M2X93", ["M18"]),
    (r"ingenieur", "M2X90", ["M18"]),
    (r"developpeur|programmeur|integrateur web|concepteur", "M1X80", ["M18"]),
    (r"technicien|technicienne|support|helpdesk|exploitation", "M1X81", ["M18"]),
    (r"conducteur de bus|conducteur d'autocar|conducteur de transport en commun", "J3X41", None),
    (r"conducteur.*poids lourd|conducteur routier|conducteur de transport de marchandises|conducteur de camion", "J3X43", None),
    (r"livreur|coursier", "J3X42", None),
    (r"taxi|vtc|chauffeur", "J3X40", ["N41"]),
    (r"cariste|chariot", "J0X32", None),
    (r"preparateur de commandes|magasinier", "J0X34", ["N11"]),
    (r"demenageur|manutentionnaire", "J0X31", ["N11"]),
    (r"macon", "B1X31", None),
    (r"couvreur", "B1X34", None),
    (r"charpentier", "B1X33", None),
    (r"plombier|chauffagiste", "B2X33", None),
    (r"electricien", "B2X32", ["F16"]),
    (r"peintre", "B2X36", ["F16"]),
    (r"menuisier|agenceur|poseur de", "B2X38", ["F16"]),
    (r"carreleur|solier|moquettiste|platrier|plaquiste", "B2X30", ["F16"]),
    (r"architecte", "B7X90", ["F11"]),
    (r"geometre|topograph", "B6X70", ["F11"]),
    (r"dessinateur|projeteur", "B6X72", ["F11"]),
    (r"ingenieur", "B7X92", ["F11", "F12"]),
    (r"jardinier|paysagiste|espaces verts", "A1X41", None),
    (r"maraich|horticult|pepinier", "A1X40", None),
    (r"viticult|arboricult|vigneron", "A1X42", None),
    (r"eleveur|berger|palefrenier", "A0X41", ["A14", "A15"]),
    (r"bucheron|sylvicult|forestier|elagueur", "A0X42", None),
    (r"marin|matelot|pecheur", "A3X41", ["N31", "A14"]),
    (r"soudeur", "D1X33", None),
    (r"chaudronnier|tolier", "D1X30", None),
    (r"tuyauteur", "D1X32", None),
    (r"regleur", "D0X33", None),
    (r"carrossier", "G0B40", None),
    (r"mecanicien.*(automobile|vehicule|poids lourd|moto)|mecanicien d'entretien automobile", "G0B41", None),
    (r"vendeur|vendeuse|conseiller de vente", "R1X62", ["D12"]),
    (r"teleconseiller|teleprospect|televendeur", "R1X67", None),
    (r"technico[- ]commercial", "R4X91", None),
    (r"attache commercial|commercial", "R2X80", ["D14"]),
    (r"agent immobilier|negociateur immobilier|syndic|gestionnaire de biens", "R3X84", ["C15"]),
    (r"photograph", "U1X81", ["E12", "L15"]),
    (r"graphiste|infographiste|designer|illustrat|styliste|decorateur", "U1X82", None),
    (r"journaliste|redacteur|editeur", "U0X92", ["E11"]),
    (r"musicien|chanteur|danseur|comedien|\bacteur|artiste", "U1X91", ["L12", "L11"]),
    (r"interprete|traducteur", "U0X81", ["E11"]),
    (r"ecrivain|\bauteur", "U1X92", ["E11"]),
    (r"sportif|entraineur|educateur sportif|moniteur", "V5X82", ["G12", "L14"]),
    (r"agent de service hospitalier", "T4X61", None),
    (r"agent d'entretien|agent de proprete|nettoy", "T4X60", ["K22", "K23"]),
    (r"dechets|assainissement|eboueur|ripeur", "T4X62", ["K23"]),
    (r"employe d'etage|valet|femme de chambre|gouvernant", "S2X60", ["G15"]),
]

DOMAINES = {
    "A11": "A0X43", "A12": "A1X41", "A13": "A2X70", "A14": "A0X40", "A15": "A0X41",
    "B11": "K0X30", "B12": "K0X30", "B13": "K0X30", "B14": "K0X30", "B15": "K0X30",
    "B16": "K0X30", "B17": "K0X30", "B18": "F0X33",
    "C11": "QDX01", "C12": "QCX01", "C13": "QAX01", "C14": "QBX01", "C15": "R3X84",
    "D11": "R1X60", "D12": "R1X62", "D13": "R4X92", "D14": "R2X80", "D15": "R0X60",
    "E11": "U0X80", "E12": "U1X80", "E13": "F2X30", "E14": "U0X80",
    "F11": "B6X71", "F12": "B6X74", "F13": "B5X40", "F14": "B0X31", "F15": "B1X33",
    "F16": "B2X38", "F17": "B0X31",
    "G11": "J4X63", "G12": "V5X81", "G13": "J5X81", "G14": "S3X90", "G15": "S2X60",
    "G16": "S1X40", "G17": "S2X60", "G18": "S2X61",
    "H11": "H1X92", "H12": "N1X90", "H13": "H1X91", "H14": "H0X92", "H15": "H0X90",
    "H21": "E3X40", "H22": "F1X31", "H23": "E2X40", "H24": "F0X32", "H25": "H1X90",
    "H26": "C0X30", "H27": "E0X30", "H28": "E1X30", "H29": "D2X31", "H31": "E4X30",
    "H32": "E2X40", "H33": "E4X32", "H34": "D2X32",
    "I11": "G1X72", "I12": "G0A43", "I13": "G0A40", "I14": "G1X76", "I15": "B0X31",
    "I16": "G0B41",
    "J11": "V2X90", "J12": "V3X70", "J13": "V3X70", "J14": "V3X80", "J15": "V1X80",
    "K11": "V4X85", "K12": "V4X85", "K13": "T2A60", "K14": None, "K15": None,
    "K16": "U0X91", "K17": None, "K18": "V4X80", "K19": "L5X91", "K21": "W1X80",
    "K22": "T4X60", "K23": "T4X62", "K24": "N1X91", "K25": "T3X61", "K26": "T6X61",
    "L11": "U1X80", "L12": "U1X91", "L13": "U1X80", "L14": "V5X82", "L15": "U1X80",
    "M11": "R3X82", "M12": "L4X81", "M13": "L6X00", "M14": "L5X93", "M15": "L5X92",
    "M16": "L2X61", "M17": "R4X90", "M18": "M1X81",
    "N11": "J0X31", "N12": "J5X80", "N13": "J6X92", "N21": "J6X91", "N22": "J5X40",
    "N31": "A3X41", "N32": "J5X40", "N41": "J3X43", "N42": "J5X80", "N43": "J3X44",
    "N44": "J5X40",
}


# Prefix of the justification of a match kept across qualification levels;
# passerelle_core::territory::records::RomeBmo::approchee reads it.
APPROCHEE = "correspondance approchée"

# Level of a BMO métier, read from its FAP 2021 label (folded). "non cadre"
# and "(cadres)" in a label decide alone.
LEVEL_CADRE = (r"\bcadres?\b|ingenieur|dirigeant|patrons|managers|^experts\b|medecins|dentistes"
               r"|veterinaires|pharmaciens|psychologues|juristes|architectes|chercheurs"
               r"|professeurs du (secondaire|superieur)|directeurs|chefs de projet|journalistes"
               r"|professionnels du droit|^charges d'etudes|ecrivains|artistes|navigants"
               r"|technico-commerciaux")
LEVEL_NON_CADRE = (r"ouvrier|ouvier|employe|technicien|maitrise|agents?\b|aides?\b"
                   r"|professions intermediaires|vendeur|caissier|conducteur|controleur|secretaire"
                   r"|attache|infirmier|formateur|professeurs des ecoles|maitres d'equipage"
                   r"|independants|assistant|representant|interpret|photograph|graphiste|educateur"
                   r"|animat|surveillant|sportif|professionnels (de|des|du travail)|gestionnaires"
                   r"|concierge|coiff|personnels de menage|facteur|manutention|magasinier|marin"
                   r"|pecheur|macon|charpentier|couvreur|plombier|boucher|charcut|boulanger"
                   r"|cuisinier|serveur|geometre|dessinateur|mainteniciens|pilotes|regleur|soudeur"
                   r"|tuyauteur|carrossier|agriculteur|eleveur|bucheron|maraicher|jardinier"
                   r"|viticult|specialistes|responsable|artisans|telev|technico-commerciaux|para-medicaux")


def level(label):
    """"cadre", "non_cadre" or "mixte" (a label naming both levels)."""
    f = fold(label)
    if "non cadre" in f:
        return "non_cadre"
    if "(cadres)" in f:
        return "cadre"
    cadre, non = re.search(LEVEL_CADRE, f), re.search(LEVEL_NON_CADRE, f)
    assert cadre or non, "niveau inconnu : " + label
    return "mixte" if cadre and non else "cadre" if cadre else "non_cadre"


# Small words; "industrie", which every label of the FAP domain H says; and
# "profes", where "professeurs" and "professionnel" meet.
STOPWORDS = {"dans", "pour", "avec", "hors", "sauf", "plus", "moins", "autres", "indust",
             "profes"}


def words(s):
    """Words of 4 letters or more, cut to 6 letters (so that "directeur" and
    "directeurs" meet), without the usual small words."""
    return {w[:6] for w in re.findall(r"[a-z]{4,}", fold(s)) if w[:6] not in STOPWORDS}


def cadre_match(code, title, labels, levels):
    """The cadre métier of code's FAP family, else of its FAP domain, that
    shares most words with the fiche title (ties: the first code); None when
    no cadre métier shares a word: a level alone does not make a match
    (a directeur de centre socioculturel is not a médecin, V2X90)."""
    for prefix in (code[:3], code[:1]):
        scored = [(len(words(labels[c]) & words(title)), c) for c in sorted(labels)
                  if c.startswith(prefix) and levels[c] != "non_cadre"]
        best = max(scored, key=lambda t: t[0], default=(0, None))
        if best[0] > 0:
            return best[1]
    return None


def fold(s):
    """Lower case, no accents, masculine form only ("conducteur / conductrice de bus"
    -> "conducteur de bus") so that rules can match multi-word phrases."""
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'")
    return re.sub(r" / \S+", "", s)


def main():
    bmo_csv = os.path.join(DATA, "territory", "france_travail", "bmo_2025",
                           "Base_open_data_BMO_2025.sheet_BMO_2025_open_data.csv")
    with open(bmo_csv, encoding="utf-8") as f:
        labels = {r["Code métier BMO"]: r["Nom métier BMO"] for r in csv.DictReader(f, delimiter=";")}
    bmo = set(labels)
    levels = {c: level(l) for c, l in labels.items()}
    for code, _ in OVERRIDES.values():
        assert code in bmo, code
    for _, code, _ in RULES:
        assert code in bmo, code
    for d, code in DOMAINES.items():
        assert code is None or code in bmo, (d, code)
    with open(os.path.join(DATA, "rome", "unix_referentiel_code_rome_v460_utf8.csv"), encoding="utf-8") as f:
        fiches = list(csv.DictReader(f))
    rows, methods, changed = [], Counter(), Counter()
    for fi in sorted(fiches, key=lambda r: r["code_rome"]):
        code, title, dom = fi["code_rome"], fold(fi["libelle_rome"]), fi["code_rome"][:3]
        if code in OVERRIDES:
            bmo_code, method, note = OVERRIDES[code][0], "manuel", OVERRIDES[code][1]
        else:
            hit = next(((c, p) for p, c, doms in RULES
                        if (doms is None or dom in doms) and re.search(p, title)), None)
            if hit:
                bmo_code, method, note = hit[0], "libelle", "mot-clé : " + hit[1]
            elif DOMAINES.get(dom):
                bmo_code, method, note = DOMAINES[dom], "domaine", "métier BMO par défaut du domaine " + dom
            else:
                bmo_code, method, note = "", "aucun", "domaine " + dom + " non couvert par l'enquête BMO"
        tag = fi["emploi_cadre"]
        if bmo_code and tag == "O" and levels[bmo_code] == "non_cadre":
            better = None if method == "manuel" else cadre_match(bmo_code, fi["libelle_rome"], labels, levels)
            if better:
                note = (f"{note} ; niveau corrigé : fiche ROME emploi cadre, {bmo_code} est un métier "
                        f"non cadre, remplacé par le métier cadre {better} du même domaine FAP")
                bmo_code = better
                changed[method, "corrigé"] += 1
            else:
                note = f"{APPROCHEE} : fiche ROME emploi cadre, métier BMO non cadre ; {note}"
                changed[method, "approchée"] += 1
        elif bmo_code and tag == "N" and levels[bmo_code] == "cadre":
            note = f"{APPROCHEE} : fiche ROME emploi non cadre, métier BMO de cadres ; {note}"
            changed[method, "approchée"] += 1
        methods[method] += 1
        rows.append((code, bmo_code, method, note))
    out = os.path.join(HERE, "rome_bmo.csv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code_rome", "code_bmo", "methode", "justification"])
        w.writerows(rows)
    print(out, len(rows), dict(methods), file=sys.stderr)
    print("niveaux :", dict(sorted(changed.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
