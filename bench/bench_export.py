"""Time the report exports on a big project: the chapter draft (Markdown and Word) and the
quote export, against a baseline of reading every transcript and every coded extract once.

    python bench/bench_export.py --size smoke    # 20 interviews, 5,000 codings
    python bench/bench_export.py --size full     # 200 interviews, 50,000 codings

The project comes from bench/make_big_project.py; every codebook theme is linked to a survey
theme, and 5 codings per code are starred as quotes (the rest of a theme's codes get candidates).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SIZES = {"smoke": (20, 5_000), "full": (200, 50_000)}


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def prepare(root: Path, interviews: int, codings: int):
    from make_big_project import generate

    from workbench.clock import now_iso
    from workbench.errors import WorkbenchError
    from workbench.services.reporting import quotes, survey

    project = generate(root, interviews=interviews, codings=codings, quiet=True)
    for name in ("survey_themes.yaml", "survey_figures.csv"):
        shutil.copy(HERE.parent / "codebooks" / name, project.codebooks_dir / name)
    db = project.db
    survey_ids = [t.id for t in survey.load(project)]
    themes = [r[0] for r in db.execute("select id from codes where kind = 'theme' order by position")]
    now = now_iso()
    with db.atomic():
        db["survey_links"].insert_all(
            {"code_id": tid, "survey_theme_id": survey_ids[i % len(survey_ids)], "created_by": "anna",
             "created_at": now} for i, tid in enumerate(themes))
        rows = []
        for code_id, in db.execute("select id from codes where kind = 'code'").fetchall():
            for n, coding in enumerate(db.query("select * from codings where code_id = ? limit 5", [code_id])):
                try:
                    text = quotes.source_for(db, [coding]).default_text()
                except WorkbenchError:  # a coding of interviewer words only
                    continue
                rows.append({"id": f"q-b{code_id[-4:]}{n}", "coding_id": coding["id"], "text": text,
                             "position": len(rows), "created_by": "anna", "created_at": now,
                             "extra_codings": "[]"})
        db["quotes"].insert_all(rows)
    return project, len(survey_ids), len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    args = parser.parse_args()
    interviews, codings = SIZES[args.size]
    from workbench.services.reporting.chapter import preview_chapter, write_chapter
    from workbench.services.reporting.quotes_export import write_quotes

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        project, n_survey, n_quotes = prepare(Path(tmp) / "big", interviews, codings)
        db = project.db
        words = db.execute("select sum(word_count) from transcripts").fetchone()[0]
        print(f"project: {interviews} interviews, {words:,} words, {codings:,} codings, "
              f"{n_quotes} quotes, {n_survey} survey themes (built in {time.perf_counter() - t0:.1f} s)")

        def baseline():
            texts = dict(db.execute("select id, text from transcripts").fetchall())
            return sum(len(texts[t][s:e]) for t, s, e in db.execute(
                "select transcript_id, start, end from codings"))

        base, _ = timed(baseline)
        print(f"baseline: read every transcript and coded extract once: {base * 1000:.0f} ms")
        results = {}
        md_time, md = timed(lambda: preview_chapter(project))
        results["chapter, Markdown (build + render)"] = md_time
        results["chapter, Word file written"] = timed(lambda: write_chapter(project, fmt="docx", force=True))[0]
        results["quotes export, CSV written"] = timed(lambda: write_quotes(project, fmt="csv", force=True))[0]
        results["quotes export, JSON written"] = timed(lambda: write_quotes(project, fmt="json", force=True))[0]
        for name, secs in results.items():
            print(f"{name}: {secs * 1000:.0f} ms ({secs / base:.1f}× baseline)")
        print(f"chapter draft: {md.count(chr(10) + '> ')} quotes, {len(md):,} characters")
        print("RESULT " + json.dumps({k: round(v, 4) for k, v in {**results, "baseline": base}.items()}))
        project.close()


if __name__ == "__main__":
    main()
