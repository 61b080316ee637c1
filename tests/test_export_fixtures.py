"""A small report project for the quote, prevalence and export tests (no tests of its own).

Five interviews (three youth workers, a community police officer, a wijkcoach), a codebook with
themes, a sub-theme and a loose code, codings by two coders, survey themes and figures copied
from the repository, and survey links for four survey themes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.project import Project

REPO = Path(__file__).resolve().parent.parent

INTERVIEWS = {
    "T1": ("jongerenwerker", "2023-01-10", "Utrecht", "Jeugd, Zorg en Welzijn", [
        ("I", "Welke signalen zie je?"),
        ("R", "Dure kleding, nieuwe schoenen, een tweede telefoon. Dat is zo'n klassieker, die tweede telefoon. "
              "En eh, angst. Als een jongen schrikt van een auto, dan klopt er iets niet."),
        ("I", "Hoe worden ze benaderd?"),
        ("R", "Vaak via Snapchat, met een filmpje van geld en sneakers. Hij zei: \"even iets vasthouden\" en dat was het begin."),
    ]),
    "T2": ("jongerenwerker", "2023-01-12", "Arnhem", "Jeugd, Zorg en Welzijn", [
        ("I", "Welke signalen zie je?"),
        ("R", "Nieuwe kleding, een dure jas van een paar honderd euro. Ze hebben ineens geld."),
        ("I", "En de werving?"),
        ("R", "Op straat, bij het plein achter de snackbar. Ze spreken jongens gewoon aan."),
    ]),
    "T3": ("wijkagent", "2023-02-01", "Rotterdam", "Openbare Orde en Veiligheid", [
        ("I", "Hoe houden ze jongeren vast?"),
        ("R", "Met schulden. Ze krijgen iets op de pof en dan moeten ze het terugverdienen. Die schuld groeit elke week."),
        ("I", "Had corona invloed?"),
        ("R", "Tijdens de lockdown zagen we minder op straat, maar meer online."),
    ]),
    "T4": ("wijkcoach", "2023-02-03", "Alkmaar", "Wijk en Wonen", [
        ("I", "Welke signalen ziet u?"),
        ("R", "Mensen die ineens heel veel bezoek krijgen. En jongeren met een tweede telefoon."),
    ]),
    "T5": ("jongerenwerker", "2023-02-10", "Enschede", "Jeugd, Zorg en Welzijn", [
        ("I", "Hoe worden ze geronseld?"),
        ("R", "Via Instagram en Snapchat. Een bericht, een paar honderd euro, en ze zitten erin. Daarna dreigen ze met schulden."),
    ]),
}

CODEBOOK = [
    # (name, kind, parent, definition)
    ("Signalen", "theme", None, "Wat professionals zien voordat er een vermoeden is."),
    ("Statussymbolen", "code", "Signalen", "Dure kleding, telefoons, geld."),
    ("Angst", "code", "Signalen", "Angst bij de jongere."),
    ("Werving", "theme", None, "Hoe en waar jongeren worden geronseld."),
    ("Online werving", "theme", "Werving", "Werving via sociale media."),
    ("Snapchat", "code", "Online werving", ""),
    ("Straat", "code", "Werving", "Werving op straat."),
    ("Dwangmiddelen", "theme", None, "Hoe daders jongeren vasthouden."),
    ("Schulden", "code", "Dwangmiddelen", "Opgelegde schulden."),
    ("Corona", "code", None, "Invloed van de coronamaatregelen."),
]

CODINGS = [
    # (transcript, code, phrase, coder)
    ("T1", "Statussymbolen", "Dure kleding, nieuwe schoenen, een tweede telefoon. Dat is zo'n klassieker, die tweede telefoon.", "anna"),
    ("T1", "Angst", "angst. Als een jongen schrikt van een auto, dan klopt er iets niet.", "anna"),
    ("T1", "Snapchat", "Vaak via Snapchat, met een filmpje van geld en sneakers. Hij zei: \"even iets vasthouden\" en dat was het begin.", "anna"),
    ("T2", "Statussymbolen", "Nieuwe kleding, een dure jas van een paar honderd euro.", "anna"),
    ("T2", "Statussymbolen", "Ze hebben ineens geld.", "bob"),
    ("T2", "Straat", "Op straat, bij het plein achter de snackbar.", "anna"),
    ("T3", "Schulden", "Met schulden. Ze krijgen iets op de pof en dan moeten ze het terugverdienen. Die schuld groeit elke week.", "anna"),
    ("T3", "Corona", "Tijdens de lockdown zagen we minder op straat, maar meer online.", "bob"),
    ("T4", "Statussymbolen", "jongeren met een tweede telefoon.", "bob"),
    ("T5", "Snapchat", "Via Instagram en Snapchat.", "anna"),
    ("T5", "Schulden", "Daarna dreigen ze met schulden.", "bob"),
]

LINKS = [("Signalen", "4.1"), ("Werving", "4.3"), ("Dwangmiddelen", "4.4"), ("Corona", "4.8")]


def build_report_project(project: Project, add_transcript) -> dict[tuple[str, str, str], str]:
    """Fill ``project``; returns coding ids by (transcript, code, coder)."""
    from workbench.services.codebook import codes as codebook
    from workbench.services.coding import passages as coding
    from workbench.services.reporting import survey

    for name in ("survey_themes.yaml", "survey_figures.csv"):
        shutil.copy(REPO / "codebooks" / name, project.codebooks_dir / name)
    for tid, (role, date, municipality, domain, turns) in INTERVIEWS.items():
        add_transcript(tid, role=role, turns=turns, date=date, municipality=municipality, domain=domain)
    db = project.db
    for name, kind, parent, definition in CODEBOOK:
        codebook.add(db, "anna", name, kind=kind, parent=parent, definition=definition)
    ids = {}
    for tid, code, phrase, coder in CODINGS:
        text = db["transcripts"].get(tid)["text"]
        start = text.index(phrase)
        row = coding.apply_code(db, coder, tid, code, start, start + len(phrase))
        ids[(tid, code, coder)] = row["id"]
    themes = survey.load(project)
    for ref, sid in LINKS:
        survey.link(db, "anna", ref, sid, themes=themes)
    return ids
