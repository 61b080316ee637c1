"""Generate a big synthetic project for benchmarks: by default 200 interviews of about 7,500
words each and 50,000 codings by two coders, with a codebook of themes and codes.

It uses the real schema (``Project.init``) and writes rows with sqlite-utils ``insert_all`` for
speed, bypassing the importer and the NLP pipeline: lemmas come from spaCy's Dutch lookup table
(read directly) and the word forms are stored as an import stores them; sentences go through
the FTS triggers like imported ones.

    python bench/make_big_project.py /tmp/big                      # the full size
    python bench/make_big_project.py /tmp/small --interviews 10 --codings 2000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.clock import now_iso  # noqa: E402
from workbench.nlp import lemma_table  # noqa: E402
from workbench.project import Project  # noqa: E402
from workbench.store import sentence_index  # noqa: E402
from workbench.store.lemma_edits import encode as encode_lemmas  # noqa: E402

WORDS = (
    "jongeren werk signalen uitbuiting school straat geld telefoon kleding schulden ouders "
    "politie wijk buurt vrienden snapchat drugs verslaving zorg hulpverlening gemeente "
    "samenwerking melding vermoeden dwang geweld bedreiging schaamte vertrouwen contact "
    "netwerk ronselen katvanger bankrekening pakketjes rijden opdracht beloning leeftijd "
    "kwetsbaar beperking thuis opvang jeugdzorg reclassering signaleren aanpak kennis "
    "bewustwording training collega's overleg casus dossier privacy veiligheid zicht "
    "ik we ze het de een en dat niet wel ook nog vaak soms heel echt gewoon eigenlijk "
    "zien merken horen weten denken zeggen doen maken krijgen komen gaan willen moeten"
).split()
ROLES = [
    ("jongerenwerker", "Jeugd, Zorg en Welzijn"), ("wijkagent", "Openbare Orde en Veiligheid"),
    ("wijkcoach", "Wijk en Wonen"), ("activeringscoach", "Werk, Financiën en Schulden"),
    ("zorgcoördinator mbo", "Onderwijs"), ("medewerker Halt", "Openbare Orde en Veiligheid"),
    ("jeugdreclasseerder", "Jeugd, Zorg en Welzijn"), ("schuldhulpverlener", "Werk, Financiën en Schulden"),
]
MUNICIPALITIES = [
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Alkmaar", "Arnhem", "Eindhoven",
    "Enschede", "Haarlem", "Leeuwarden", "Maastricht", "Roermond", "Tilburg",
]
THEMES = [
    "Vermoedens", "Vormen van gedwongen criminaliteit", "Locaties van werven",
    "Modus operandi", "Kenmerken slachtoffers", "Daders", "Kennis en bewustwording",
    "Kansen in aanpak",
]


def sentence(rng: random.Random) -> str:
    n = rng.randint(8, 20)
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice(".....?!")


def make_transcript(rng: random.Random, words_target: int) -> tuple[str, list[dict], list[tuple]]:
    """Text, turns and sentences ``(turn_idx, start, end, text)`` of one interview."""
    parts: list[str] = []
    turns: list[dict] = []
    sentences: list[tuple] = []
    pos = words = 0
    idx = 0
    while words < words_target:
        interviewer = idx % 2 == 0
        count = rng.randint(1, 2) if interviewer else rng.randint(3, 9)
        if idx:
            parts.append("\n\n")
            pos += 2
        start = pos
        for k in range(count):
            s = sentence(rng)
            if k:
                parts.append(" ")
                pos += 1
            sentences.append((idx, pos, pos + len(s), s))
            parts.append(s)
            pos += len(s)
            words += len(s.split())
        minutes = idx // 2
        turns.append({"idx": idx, "speaker": "Interviewer" if interviewer else "Respondent",
                      "role": "interviewer" if interviewer else "respondent", "start": start,
                      "end": pos, "time": f"00:{minutes // 60:02d}:{minutes % 60:02d}"})
        idx += 1
    return "".join(parts), turns, sentences


def generate(root: Path, *, interviews: int = 200, words: int = 7500, codings: int = 50_000,
             coders: tuple[str, ...] = ("anna", "bram"), seed: int = 7, quiet: bool = False) -> Project:
    """Create the project in ``root`` (replacing what is there)."""
    if root.exists():
        shutil.rmtree(root)
    project = Project.init(root, default_coder=coders[0])
    db = project.db
    rng = random.Random(seed)
    now = now_iso()
    spans: list[tuple[str, int, int]] = []  # sentence spans to code: (tid, start, end)
    forms = sorted({f for w in WORDS for f in (w, w.capitalize())})
    lemma_of = lemma_table.lemmas(forms)  # real lemmas, as the rule-based pipeline stores them
    t0 = time.perf_counter()
    with db.atomic():
        for name in coders:
            db["coders"].insert({"name": name, "created_at": now}, replace=True)
        for n in range(interviews):
            tid = f"INT{n + 1:03d}"
            role, domain = ROLES[n % len(ROLES)]
            text, turns, sents = make_transcript(rng, words)
            db["transcripts"].insert({
                "id": tid, "text": text, "content_hash": f"bench-{seed}-{tid}",
                "source_path": f"{tid}.txt", "source_format": "txt", "role": role,
                "municipality": MUNICIPALITIES[n % len(MUNICIPALITIES)], "domain": domain,
                "date": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}", "label": "", "label_manual": 0,
                "word_count": len(text.split()), "turn_count": len(turns),
                "sentence_count": len(sents), "metadata": "{}", "imported_at": now,
                "imported_by": coders[0],
            })
            db["turns"].insert_all(({"transcript_id": tid, **t} for t in turns), batch_size=1000)
            sentence_index.add_sentences(db, tid, text, [
                (tid, i, turn, s, e, *encode_lemmas(txt, " ".join(lemma_of[w] for w in txt[:-1].split())))
                for i, (turn, s, e, txt) in enumerate(sents)])
            spans.extend((tid, s, e) for turn, s, e, _txt in sents if turn % 2 == 1)
            if not quiet and (n + 1) % 20 == 0:
                print(f"  {n + 1}/{interviews} interviews ({time.perf_counter() - t0:.1f}s)",
                      file=sys.stderr)
        from workbench.services import word_forms
        from workbench.services.transcripts.labels import relabel

        word_forms.record(db, lemma_of.items())

        relabel(db)
        code_ids = add_codebook(db, coders[0], now)
        add_codings(db, rng, spans, code_ids, coders, codings, now)
    return project


def add_codebook(db, coder: str, now: str) -> list[str]:
    from workbench.services.codebook.codes import PALETTE
    from workbench.store.changes import with_derived

    code_ids = []
    for t, theme in enumerate(THEMES):
        tid = f"t-bench{t:02d}"
        db["codes"].insert(with_derived("codes", {"id": tid, "kind": "theme", "name": theme, "position": t,
                            "created_at": now, "created_by": coder, "updated_at": now,
                            "updated_by": coder}))
        for c in range(10):
            cid = f"c-bench{t:02d}{c:02d}"
            db["codes"].insert(with_derived("codes", {"id": cid, "kind": "code", "name": f"{theme.split()[0]} {c + 1}",
                                "parent_id": tid, "position": c,
                                "colour": PALETTE[(t * 10 + c) % len(PALETTE)],
                                "definition": f"Passages over {theme.lower()}.",
                                "created_at": now, "created_by": coder, "updated_at": now,
                                "updated_by": coder}))
            code_ids.append(cid)
    return code_ids


def add_codings(db, rng: random.Random, spans: list[tuple[str, int, int]], code_ids: list[str],
                coders: tuple[str, ...], count: int, now: str, *, prefix: str = "b") -> None:
    """``count`` codings of one to three sentences, split between the coders."""
    def rows():
        for i in range(count):
            k = rng.randrange(len(spans) - 3)
            tid, start, _end = spans[k]
            last = k + rng.randint(0, 2)
            end = spans[last][2] if spans[last][0] == tid else spans[k][2]
            yield {"id": f"{prefix}{i:07d}", "transcript_id": tid, "code_id": rng.choice(code_ids),
                   "coder": coders[i % len(coders)], "start": start, "end": end, "memo": "",
                   "flag": None, "created_at": now}

    db["codings"].insert_all(rows(), batch_size=2000, ignore=True)  # a random repeat of a span is one coding
    db.execute("ANALYZE")  # as imports do: the planner then uses the covering label index


def top_up_codings(project: Project, total: int, *, seed: int = 11) -> int:
    """Add synthetic codings until the project holds ``total``; returns how many were added."""
    db = project.db
    have = db.execute("select count(*) from codings").fetchone()[0]
    if have >= total:
        return 0
    rng = random.Random(seed)
    spans = [tuple(r) for r in db.execute(
        "select s.transcript_id, s.start, s.end from sentences s join turns t on "
        "t.transcript_id = s.transcript_id and t.idx = s.turn_idx where t.role = 'respondent' "
        "order by s.transcript_id, s.idx")]
    code_ids = [r[0] for r in db.execute("select id from codes where kind = 'code'")]
    coders = tuple(r[0] for r in db.execute("select name from coders order by name")) or ("anna",)
    with db.atomic():
        add_codings(db, rng, spans, code_ids, coders, total - have, now_iso(), prefix="t")
    return total - have


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--words", type=int, default=7500, help="words per interview")
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    generate(args.directory, interviews=args.interviews, words=args.words, codings=args.codings,
             seed=args.seed)
    print(f"{args.directory}: {args.interviews} interviews, {args.codings} codings "
          f"({time.perf_counter() - t0:.1f}s)")


if __name__ == "__main__":
    main()
