"""Report-style quotes drawn from every sample interview land exactly on their passage.

For each interview, respondent passages of one to four whole sentences are turned into quotes the
way a report would print them (omissions, an author's word at the start, a changed first letter,
curly quotes with a label, a word left out) and looked up; the span found must be the passage's,
to the character. The sample is drawn with a fixed seed, so a failure is reproducible."""

from __future__ import annotations

import random
import re

import pytest

from workbench.analysis.passage import PassageError
from workbench.services.coding import passages as coding

MODES = ("plain", "elide", "elide2", "insert", "letter", "label", "dropword", "changeword")
FILLER_LEAD = re.compile(r"(?:(?:eh|ehm|euh|uh|uhm)\W+)+", re.I)
CLEAN = re.compile(r"^[^\"“”„'‘’()\[\]]+[.?!]$")  # whole sentences without quote marks or brackets


def passages(db, tid: str) -> list[list[dict]]:
    sents = list(db.query(
        "select s.start, s.end, s.turn_idx, substr(t.text, s.start + 1, s.end - s.start) as text "
        "from sentences s join turns u on u.transcript_id = s.transcript_id and u.idx = s.turn_idx "
        "join transcripts t on t.id = s.transcript_id "
        "where s.transcript_id = ? and u.role = 'respondent' order by s.idx", [tid]))
    out = []
    for i in range(len(sents)):
        for k in (1, 2, 3, 4):
            group = sents[i:i + k]
            if len(group) == k and len({s["turn_idx"] for s in group}) == 1 and all(
                    CLEAN.match(s["text"].strip()) for s in group):
                out.append(group)
    return out


def as_report_quote(mode: str, parts: list[str], rnd: random.Random) -> str | None:
    joined = " ".join(parts)
    words = joined.split()
    if mode == "plain":
        return joined
    if mode == "elide":
        return f"{parts[0]} […] {parts[-1]}" if len(parts) >= 3 else None
    if mode == "elide2":
        return f"{parts[0]} (…) {parts[2]} [...] {parts[-1]}" if len(parts) >= 4 else None
    if mode == "insert":
        return "[De jongeren] " + " ".join(words[1:]) if len(words) >= 5 else None
    if mode == "letter":
        return f"[{joined[0].swapcase()}]{joined[1:]}" if joined[0].isalpha() else None
    if mode == "label":
        return f"“{joined}” (Jongerenwerker A)"
    if len(words) < 12:
        return None
    j = rnd.randrange(2, len(words) - 2)
    if mode == "dropword":
        del words[j]
    else:
        words[j] = words[j] + "je"
    return " ".join(words)


def test_report_quotes_land_exactly_on_the_sample(sample_project):
    db = sample_project.db
    rnd = random.Random(14)
    tried = 0
    misses = []
    for (tid,) in db.execute("select id from transcripts order by id").fetchall():
        groups = passages(db, tid)
        for mode in MODES:
            for group in rnd.sample(groups, min(6, len(groups))):
                parts = [g["text"].strip() for g in group]
                quote = as_report_quote(mode, parts, rnd)
                if quote is None:
                    continue
                text = db["transcripts"].get(tid)["text"]
                expected = (group[0]["start"], group[-1]["start"] + len(text[group[-1]["start"]:group[-1]["end"]].rstrip()))
                if mode == "insert":  # the insertion stands for the first word, not a hesitation
                    lead = FILLER_LEAD.match(text, group[0]["start"])
                    expected = (lead.end() if lead else expected[0], expected[1])
                tried += 1
                try:
                    found = coding.find_quote(db, tid, quote)
                except PassageError as exc:
                    if exc.kind == "ambiguous" and len(quote.split()) < 8:
                        continue  # a short sentence said twice: refusing is right
                    misses.append((tid, mode, quote[:60], exc.message[:120]))
                    continue
                if (found.start, found.end) != expected:
                    misses.append((tid, mode, quote[:60], text[found.start:found.end][:60]))
    assert tried >= 150
    assert misses == [], "\n".join(map(str, misses))


@pytest.mark.parametrize("tid", ["INT01", "INT03", "INT05"])
def test_every_respondent_sentence_is_found_where_it_stands(sample_project, tid):
    db = sample_project.db
    for group in passages(db, tid):
        if len(group) != 1:
            continue
        s = group[0]
        sentence = s["text"].strip()
        try:
            found = coding.find_quote(db, tid, sentence)
        except PassageError as exc:
            assert exc.kind == "ambiguous", exc.message
            continue
        assert found.start == s["start"] and found.how == "exact"


def test_joining_two_answers_across_a_question_is_refused_everywhere(sample_project):
    db = sample_project.db
    refused = 0
    for (tid,) in db.execute("select id from transcripts order by id").fetchall():
        turns = list(db.query("select idx, role, start, end from turns where transcript_id = ? order by idx", [tid]))
        text = db["transcripts"].get(tid)["text"]
        for a, q, b in zip(turns, turns[1:], turns[2:], strict=False):
            if (a["role"], q["role"], b["role"]) != ("respondent", "interviewer", "respondent"):
                continue
            last = text[a["start"]:a["end"]].split()[-6:]
            first = text[b["start"]:b["end"]].split()[:6]
            quote = f"“{' '.join(last)} […] {' '.join(first)}”"
            with pytest.raises(PassageError) as err:
                coding.find_quote(db, tid, quote)
            assert err.value.kind in ("interviewer", "ambiguous"), (tid, quote, err.value.message)
            if err.value.kind == "interviewer":
                assert err.value.turns == [q["idx"]]
                found = coding.find_quote(db, tid, quote, include_interviewer=True)
                assert found.interviewer_turns == [q["idx"]]
                refused += 1
    assert refused >= 20
