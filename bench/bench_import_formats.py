"""Benchmark transcript reading (decode, turns, roles, canonical text) per layout and size.

Generates fictional transcripts of 1.25, 2.5 and 5 MB in several layouts (prefix lines with
ordinary ``Kijk:`` lines, one very long turn, Otter-style speaker/time lines, Teams and Zoom
WebVTT) and prints the seconds for ``read_transcript`` + ``build`` and the turn count, so that
growth can be checked to be linear (the language pipeline is measured in bench_language.py).

    python bench/bench_import_formats.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.formats.importers import read_transcript  # noqa: E402
from workbench.services.transcripts.library import build  # noqa: E402

WORDS = (
    "jongeren werk signalen uitbuiting school straat geld telefoon kleding schulden ouders "
    "politie wijk buurt kijk bijvoorbeeld vertrouwen ronselen pakketjes"
).split()
SIZES = (1_250_000, 2_500_000, 5_000_000)


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 15))).capitalize() + "."


def prefix_lines(rng: random.Random, size: int, one_turn: bool = False) -> str:
    out, total, k = [], 0, 0
    while total < size:
        if one_turn and k > 1:
            line = sentence(rng)
        elif k % 7 == 6:
            line = f"Kijk: {sentence(rng)}"
        else:
            line = f"{'I' if k % 2 == 0 else 'R'}: {sentence(rng)}"
        out.append(line)
        total += len(line) + 1
        k += 1
    return "\n".join(out) + "\n"


def otter(rng: random.Random, size: int) -> str:
    out, total, k = [], 0, 0
    while total < size:
        who = "Speaker 1" if k % 2 == 0 else "Jan de Vries"
        block = f"{who}  {k // 3600}:{k // 60 % 60:02d}:{k % 60:02d}\n{sentence(rng)}\n{sentence(rng)}\n"
        out.append(block)
        total += len(block) + 1
        k += 1
    return "\n".join(out)


def vtt(rng: random.Random, size: int, voice: bool) -> str:
    out, total, k = ["WEBVTT\n"], 0, 0
    while total < size:
        name = "Sanne Verhoeven" if k // 3 % 2 == 0 else "Erik van Dijk"
        stamp = f"{k // 3600:02d}:{k // 60 % 60:02d}:{k % 60:02d}"
        body = f"<v {name}>{sentence(rng)}</v>" if voice else f"{name}: {sentence(rng)}"
        cue = f"\n{k}\n{stamp}.000 --> {stamp}.900\n{body}\n"
        out.append(cue)
        total += len(cue)
        k += 1
    return "".join(out)


def main() -> None:
    layouts = {
        "prefix lines (.txt)": (".txt", lambda r, n: prefix_lines(r, n)),
        "one long turn (.txt)": (".txt", lambda r, n: prefix_lines(r, n, one_turn=True)),
        "Otter (.txt)": (".txt", otter),
        "Teams (.vtt)": (".vtt", lambda r, n: vtt(r, n, True)),
        "Zoom (.vtt)": (".vtt", lambda r, n: vtt(r, n, False)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'layout':22} {'MB':>5} {'seconds':>8} {'turns':>7}")
        for name, (suffix, make) in layouts.items():
            for size in SIZES:
                path = Path(tmp) / f"t{size}{suffix}"
                path.write_text(make(random.Random(7), size), encoding="utf-8")
                start = time.perf_counter()
                built = build(read_transcript(path))
                took = time.perf_counter() - start
                print(f"{name:22} {path.stat().st_size / 1e6:5.2f} {took:8.2f} {len(built.turns):7d}")


if __name__ == "__main__":
    main()
