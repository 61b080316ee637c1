"""Benchmark the anonymity audit: what it finds and how long it takes.

Prints, measured in this run on this machine:
- **recall on planted identifiers** (bench/planted.py): interviews generated from several seeds
  with identifiers of fifteen kinds in natural Dutch speech, per kind: planted, found (every
  letter and digit flagged), recall and how many in an honest category; and the share of decoys
  (words that look like names but are none) that were flagged. Goals: at least 97% overall, 90%
  of every kind, at most 10% of the decoys. Both the full audit (deduce + patterns) and the
  quick one (``--no-deduce``);
- **the audit of a generated project** (``make_big_project``: interviews of ~7,500 words): the
  load of deduce's tables, the first audit over the default number of processes (goal for 200
  interviews: under 10 s) and in one process, a second audit with nothing changed, and an
  audit after one transcript changed. The baseline is one
  pass of a regular expression over every transcript's text;
- **the same project in spoken Dutch** (the sample interviews' paragraphs, shuffled, with the
  same planted identifiers): the first audit over the default number of processes and in one.

    python bench/bench_audit.py --size smoke     # 6 interviews planted, 10 in the project (CI)
    python bench/bench_audit.py --size full      # 3 x 40 interviews planted, 200 in the project
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import make_big_project as big  # noqa: E402
from planted import KINDS, Result, generate, measure  # noqa: E402

#: size -> (seeds, interviews per seed, identifiers per kind per seed, project interviews)
SIZES = {"smoke": ((1,), 6, 6, 10), "full": ((1, 2, 3), 40, 30, 200)}


def combined(results: list[Result]) -> Result:
    total = Result()
    for r in results:
        for kind in KINDS:
            for name in ("planted", "covered", "honest"):
                mine = getattr(total, name)
                mine[kind] = mine.get(kind, 0) + getattr(r, name).get(kind, 0)
        total.missed.extend(r.missed)
        total.decoys += r.decoys
        total.decoys_flagged += r.decoys_flagged
        total.flagged_decoys.extend(r.flagged_decoys)
    return total


def load_deduce() -> float:
    from workbench.audit import deduce_engine

    t0 = time.perf_counter()
    last = [""]
    thread = deduce_engine.build_in_background(lambda message, _f: last.__setitem__(0, message))
    thread.join()
    if not deduce_engine.is_ready():
        raise SystemExit(f"deduce could not be loaded: {deduce_engine.engine_info()}")
    return time.perf_counter() - t0


def recall(seeds, interviews: int, per_kind: int) -> None:
    from workbench.audit.engine import audit_text
    from workbench.services.anonymity.audit import PUBLIC_BODIES

    for label, use_deduce in (("full audit (deduce + patterns)", True),
                              ("quick audit (--no-deduce)", False)):
        t0 = time.perf_counter()
        results = [measure(generate(interviews, per_kind, seed=seed),
                           lambda text, d=use_deduce: audit_text(text, allow=PUBLIC_BODIES,
                                                                 use_deduce=d))
                   for seed in seeds]
        total = combined(results)
        print(f"### planted identifiers, {label}: {len(seeds)} seed(s) x {interviews} "
              f"interviews ({time.perf_counter() - t0:.1f} s)\n")
        print(total.table())
        worst = min(KINDS, key=total.recall_of)
        print(f"\nrecall {total.recall:.1%} (goal ≥ 97%), lowest kind {worst} "
              f"{total.recall_of(worst):.0%} (goal ≥ 90%), decoys flagged {total.decoy_rate:.0%} "
              f"(goal ≤ 10%), right category {total.honesty:.0%}")
        for kind, value, context in total.missed[:8]:
            print(f"  missed {kind}: {value!r} in “{context[:140]}”")
        if total.flagged_decoys:
            print(f"  decoys flagged: {sorted(set(total.flagged_decoys))}")
        print()


def project_audit(n: int) -> None:
    from workbench.project import Project
    from workbench.services.anonymity.audit import run_audit

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big"
        t0 = time.perf_counter()
        big.generate(root, interviews=n, words=7500, codings=100)
        project = Project.open(root)
        db = project.db
        # Real talk with identifiers at the end of every interview (the generated text is a
        # word list): the audit reads only the text.
        planted = generate(n, 2, seed=7)
        with db.atomic():
            for (tid,), extra in zip(db.execute("select id from transcripts order by id").fetchall(),
                                     planted, strict=True):
                db.execute("update transcripts set text = text || ? where id = ?",
                           ["\n\n" + extra.text, tid])
        texts = [r[0] for r in db.execute("select text from transcripts")]
        words = sum(len(text.split()) for text in texts)
        print(f"### the audit of a project: {n} interviews, {words:,} words "
              f"(generated in {time.perf_counter() - t0:.1f} s)\n")
        t0 = time.perf_counter()
        pattern = re.compile(r"\b[A-Z]\w+")
        for text in texts:
            sum(1 for _ in pattern.finditer(text))
        base = time.perf_counter() - t0
        print(f"baseline: one regular expression over every transcript: {base * 1000:.0f} ms")
        from workbench.audit.pool import default_jobs

        jobs = default_jobs()
        t0 = time.perf_counter()
        first = run_audit(project)
        first_s = time.perf_counter() - t0
        print(f"first audit (tables loaded), {jobs} process(es): {first_s:.1f} s, {first.found} "
              f"flag(s), {words / first_s:,.0f} words/s ({first_s / base:.0f}× baseline; goal "
              f"for 200 interviews: < 10 s)")
        t0 = time.perf_counter()
        one = run_audit(project, recheck=True, jobs=1)
        one_s = time.perf_counter() - t0
        same = "same flags" if one.per_transcript == first.per_transcript else "OTHER FLAGS"
        print(f"first audit in one process: {one_s:.1f} s ({words / one_s:,.0f} words/s; {same})")
        t0 = time.perf_counter()
        again = run_audit(project)
        again_s = time.perf_counter() - t0
        print(f"audit again, nothing changed: {again_s:.2f} s ({again.unchanged} of {n} unchanged)")
        with db.atomic():  # one transcript edited (as a replacement or a re-import would)
            db.execute("update transcripts set text = text || ? where id = (select min(id) from "
                       "transcripts)", ["\n\nRespondent: Ik sprak Ilias gisteren nog."])
        t0 = time.perf_counter()
        after = run_audit(project)
        print(f"audit after one transcript changed: {time.perf_counter() - t0:.2f} s "
              f"({n - after.unchanged} audited again)")
        t0 = time.perf_counter()
        run_audit(project, recheck=True)
        print(f"audit --recheck (every transcript again): {time.perf_counter() - t0:.1f} s\n")
        spoken_audit(project, planted, jobs)


def _sample_paragraphs() -> list[str]:
    """The paragraphs of the sample project's interviews (front matter left out)."""
    paragraphs: list[str] = []
    for path in sorted((ROOT / "transcripts").glob("*")):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[2]
        paragraphs.extend(p.strip() for p in text.split("\n\n") if len(p.split()) > 5)
    return paragraphs


def spoken_audit(project, planted, jobs: int) -> None:
    """The same project with interviews in spoken Dutch: each the sample project's paragraphs
    in a shuffled order up to ~7,500 words, and the same planted identifiers. In generated word
    lists every sentence starts with a capitalised noun, so deduce reads nearly all of them; in
    speech most sentences start with "Ik", "Maar" or "Ja" and hold no capital deduce could use
    (``workbench.audit.deduce_focus``)."""
    import random

    from workbench.audit.deduce_focus import focus
    from workbench.services.anonymity.audit import run_audit

    paragraphs = _sample_paragraphs()
    db = project.db
    rng = random.Random(11)
    with db.atomic():
        ids = [r[0] for r in db.execute("select id from transcripts order by id").fetchall()]
        for tid, extra in zip(ids, planted, strict=True):
            chosen: list[str] = []
            while sum(len(p.split()) for p in chosen) < 7500:
                chosen.append(rng.choice(paragraphs))
            db.execute("update transcripts set text = ? where id = ?",
                       ["\n\n".join(chosen) + "\n\n" + extra.text, tid])
    texts = [r[0] for r in db.execute("select text from transcripts")]
    words = sum(len(text.split()) for text in texts)
    share = sum(focus(t).share * len(t) for t in texts) / sum(len(t) for t in texts)
    print(f"### the same project in spoken Dutch: {len(texts)} interviews, {words:,} words "
          f"(the sample interviews' paragraphs shuffled); deduce reads {share:.0%} of the text\n")
    t0 = time.perf_counter()
    first = run_audit(project, recheck=True)
    first_s = time.perf_counter() - t0
    print(f"first audit (tables loaded), {jobs} process(es): {first_s:.1f} s, {first.found} "
          f"flag(s), {words / first_s:,.0f} words/s (goal for 200 interviews: < 10 s)")
    t0 = time.perf_counter()
    run_audit(project, recheck=True, jobs=1)
    one_s = time.perf_counter() - t0
    print(f"first audit in one process: {one_s:.1f} s ({words / one_s:,.0f} words/s)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    args = parser.parse_args()
    seeds, interviews, per_kind, project_n = SIZES[args.size]
    seconds = load_deduce()
    print(f"deduce's lookup tables ready in {seconds:.1f} s (cached after the first build)\n")
    recall(seeds, interviews, per_kind)
    project_audit(project_n)


if __name__ == "__main__":
    main()
