"""A demo project the size of the sample (7 interviews, 6 themes, 20 codes, two coders) for
the map, matrix and progress tests, built through the services only; plus checks that the
builder made what the other tests rely on."""

from __future__ import annotations

import random

from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding

THEMES = {
    "Signalen en vermoedens": ["Dure spullen en geld", "Spijbelen en schooluitval",
                               "Verandering in gedrag", "Onderbuikgevoel bij professionals"],
    "Werving en ronselen": None,  # sub-themes below
    "Dwangmiddelen": ["Geweld en bedreiging", "Schulden als drukmiddel",
                      "Chantage met naaktbeelden"],
    "Vormen van gedwongen criminaliteit": ["Drugsrunnen", "Geldezel en katvanger"],
    "Samenwerking en aanpak": ["Korte lijnen met de wijkagent", "Privacy als belemmering",
                               "Handelingsperspectief ontbreekt"],
    "Kennis en bewustwording": ["Training en scholing", "Slachtoffer of dader?"],
}
SUBTHEMES = {
    "Online werving": ["Snapchat en Telegram", "Influencers en status"],
    "Werving op straat en school": ["Schoolplein en hangplekken", "Oudere jongeren als ronselaar"],
}
UNTHEMED = ["Invloed van corona", "Overlap met seksuele uitbuiting"]
ROLES = [
    ("INT01", "jongerenwerker", "Utrecht", "Jeugd, Zorg en Welzijn"),
    ("INT02", "wijkcoach", "Alkmaar", "Wijk en Wonen"),
    ("INT03", "jongerenwerker", "Arnhem", "Jeugd, Zorg en Welzijn"),
    ("INT04", "medewerker halt", "Eindhoven", "Openbare Orde en Veiligheid"),
    ("INT05", "jongerenwerker", "Enschede", "Jeugd, Zorg en Welzijn"),
    ("INT06", "wijkagent", "Rotterdam", "Openbare Orde en Veiligheid"),
    ("INT07", "zorgcoördinator mbo", "Tilburg", "Onderwijs"),
]
SENTENCES = [
    "Ik werk al jaren met jongeren in de wijk.", "Soms zie je ineens dure kleding en nieuwe telefoons.",
    "Ze worden benaderd via Snapchat door oudere jongens.", "Dan moeten ze pakketjes wegbrengen.",
    "Er ontstaat een schuld die ze nooit kunnen afbetalen.", "Sommigen worden bedreigd met geweld.",
    "We bellen dan meteen de wijkagent.", "Door privacyregels mogen we weinig delen.",
]


def all_codes() -> list[str]:
    names = [c for cs in THEMES.values() if cs for c in cs]
    names += [c for cs in SUBTHEMES.values() for c in cs]
    return names + UNTHEMED


def build_demo(project, add_transcript, *, seed: int = 7) -> dict:
    """Fill ``project``; returns {'transcripts': [...], 'codes': {name: id}, 'themes': {...}}."""
    db = project.db
    tids = []
    for tid, role, municipality, domain in ROLES:
        turns = [("I", f"Kunt u iets vertellen over uw werk? ({tid})"),
                 ("R", " ".join(SENTENCES[:4])), ("I", "Wat doet u dan?"),
                 ("R", " ".join(SENTENCES[4:]))]
        tids.append(add_transcript(tid, role=role, municipality=municipality, domain=domain,
                                   turns=turns, date=f"2023-02-{int(tid[-2:]):02d}"))
    themes, codes = {}, {}
    for name, members in THEMES.items():
        definition = "" if name == "Kennis en bewustwording" else f"Alles over {name.lower()}."
        themes[name] = codebook.add(db, "anna", name, kind="theme", definition=definition)["id"]
        for c in members or []:
            codes[c] = codebook.add(db, "anna", c, parent=themes[name])["id"]
    for name, members in SUBTHEMES.items():
        themes[name] = codebook.add(db, "anna", name, kind="theme",
                                    parent=themes["Werving en ronselen"])["id"]
        for c in members:
            codes[c] = codebook.add(db, "anna", c, parent=themes[name])["id"]
    for c in UNTHEMED:
        codes[c] = codebook.add(db, "anna", c)["id"]
    codebook.set_survey_themes(db, "anna", themes["Signalen en vermoedens"], ["4.1"])
    codebook.set_survey_themes(db, "anna", themes["Werving en ronselen"], ["4.3", "4.4"])
    codebook.set_survey_themes(db, "anna", themes["Dwangmiddelen"], ["4.4"])
    codebook.set_survey_themes(db, "anna", themes["Vormen van gedwongen criminaliteit"], ["4.2"])
    codebook.set_survey_themes(db, "anna", themes["Samenwerking en aanpak"], ["4.10", "4.11"])
    codebook.set_survey_themes(db, "anna", codes["Invloed van corona"], ["4.8"])

    rng = random.Random(seed)
    names = all_codes()
    for tid in tids:
        spoken = [r[0] for r in db.execute(
            "select s.idx from sentences s join turns u on u.transcript_id = s.transcript_id "
            "and u.idx = s.turn_idx where s.transcript_id = ? and u.role = 'respondent' "
            "order by s.idx", [tid])]
        for coder, share in (("anna", 1.0), ("bob", 0.5)):
            if coder == "bob" and tid in ("INT06", "INT07"):
                continue
            for idx in spoken:
                if rng.random() > 0.75 * share:
                    continue
                start, end = coding.sentence_span(db, tid, idx)
                for name in rng.sample(names, rng.choice([1, 1, 2])):
                    coding.apply_code(db, coder, tid, name, start, end)
    # a code and a theme with no codings at all, to test zeros
    codes["Nog niet gebruikt"] = codebook.add(db, "anna", "Nog niet gebruikt",
                                              parent=themes["Kennis en bewustwording"])["id"]
    themes["Leeg thema"] = codebook.add(db, "anna", "Leeg thema", kind="theme")["id"]
    return {"transcripts": tids, "codes": codes, "themes": themes}


def test_demo_has_sample_size(project, add_transcript):
    demo = build_demo(project, add_transcript)
    db = project.db
    assert len(demo["transcripts"]) == 7
    assert db.execute("select count(*) from codes where kind = 'code'").fetchone()[0] == 21
    assert db.execute("select count(*) from codes where kind = 'theme' and parent_id is null").fetchone()[0] == 7
    coders = {r[0] for r in db.execute("select distinct coder from codings")}
    assert coders == {"anna", "bob"}
    # overlapping codings of different codes by one coder exist (co-occurrence has data)
    assert db.execute(
        "select count(*) from codings a join codings b on a.transcript_id = b.transcript_id "
        "and a.coder = b.coder and a.code_id < b.code_id and a.start < b.end and b.start < a.end"
    ).fetchone()[0] > 0
