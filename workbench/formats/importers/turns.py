"""Recognising speaker turns in lines of text (plain text, Markdown, Word paragraphs and tables).

A line starts a turn when it has one of these shapes (``T`` is a time such as ``12:31``,
``00:12:31``, ``1:02:03`` or ``00:12:31.250``):

- ``[T] SPEAKER: text`` — the time is optional and may be written ``[T]``, ``(T)``, ``T`` or
  ``T -``; the speaker may carry Markdown emphasis (``**I:**``, ``**Interviewer**:``,
  ``__R:__``), square brackets (``[SPEAKER_00]:``) or its own time (``Jan (00:12:31):``); a
  time in brackets right after the colon (``I: [00:12:31] text``) is taken too;
- ``SPEAKER  T`` or ``SPEAKER [T]`` or ``SPEAKER (T)`` alone on a line, the text on the following
  lines (Otter.ai, Amberscript, Sonix, the Teams Word export);
- ``T --> T`` on a line, the speaker alone on the next line (older Teams Word exports).

A SPEAKER is one to five words, the first capitalised (``I``, ``R1``, ``Interviewer (I)``,
``Jan de Vries``, ``JAN``, ``Speaker 1``): lower-case words other than name particles (``de``,
``van``, ``ter`` …) never occur, so ``Het punt is: …`` and ``Wat ik zeg: …`` stay text, and the
colon must be followed by a space or the line end, so ``Om 12:30`` and ``https://…`` do too.

Because a single capitalised word followed by a colon (``Kijk: …``, ``Bijvoorbeeld: …``) reads
exactly like a first name (``Jan: …``), such *weak* prefixes are judged on the whole file: one is
kept as text when the same word also occurs in lower case in the transcript (so it is an
ordinary word), or when it starts only one line while at least two other speakers have two
turns or more each (a one-off). Known labels (see :mod:`workbench.formats.importers.speakers`), names of
two capitalised words or more, all-capital words, speakers with a number, underscore or
parenthesis, and prefixes after a leading time are always speakers (emphasis or brackets alone
do not make ``**Kijk:**`` a speaker).

*Loose* prefixes — a lower-case name (``jan:``, ``jan de vries:``) or a prefix with a number,
``#``, underscore or parenthesis outside the capitalised forms (``deelnemer 4:``) — are speakers
only where the turn-taking shows it (:func:`judge_prefixes`): when they start two turns or more
with another speaker in between, or (a lower-case name or label) one line that answers a speaker
who also speaks next. A lower-case name whose word the transcript also uses as an ordinary word
stays text. A prefix that reads as a sentence (``wat ik zeg:``, ``ja, dus:``) is never one.
Every prefix kept as text is listed in a warning, and so is every loose prefix read as a speaker.

Lines without a turn start continue the current turn. f4/f5transkript times at the end of a
paragraph (``#00:01:23-4#``) are taken as the turn's time (when it has none) and removed from
the text. A line that holds only a time gives its time to the next turn. Markdown headings
(``# Interview 3``), Word headings and separator lines (``---``, ``***``) are skipped and
reported; lines before the first turn are reported and not imported, and so is a tool's closing
line at the very end (``Transcribed by https://otter.ai``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.errors import ImportFileError
from workbench.formats.importers.model import ParsedTurn

_T = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIME = rf"(?:\[(?P<bt>{_T})\]|\((?P<pt>{_T})\)|(?P<t>{_T}))"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|v\.d\.|d'|op|in|la|le|du|el|al|bin|ben|di|da|dos)"
_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_NAME_WORD = rf"[{_UPPER}][\w'’.\-]*"
_PAREN = r"\((?![\d:.,\s]+\))[^()\n]{1,30}\)"
_NUMBER_TOKEN = r"(?:#|(?:nr|no)\.?\s?)?\d{1,3}"  # '2', '#2', 'nr. 2'
_SPEAKER = rf"(?P<speaker>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLE}|{_NUMBER_TOKEN}|{_PAREN})){{0,4}})"
_OPEN = r"(?:(?P<sq>\[)|(?P<mk>\*\*|__|\*|_))?"
_OWN_TIME = rf"(?:\s*[\[(](?P<at>{_T})[\])])?"
_CLOSE = r"(?(sq)\])\s*(?(mk)(?:(?P=mk)\s*:|:\s*(?P=mk))|:)"
_AFTER_TIME = rf"(?:[\[(](?P<ct>{_T})[\])]\s*)?"

TURN_RE = re.compile(
    rf"^\s*(?:{_TIME}\s*(?:[-–—|]\s*)?)?{_OPEN}{_SPEAKER}{_OWN_TIME}{_CLOSE}"
    rf"(?P<gap>\s+|$|(?=[^\W\d_])){_AFTER_TIME}(?P<text>.*)$"
)
HEADER_RE = re.compile(
    rf"^\s*(?P<sq>\[)?{_SPEAKER}(?(sq)\])\s*(?:\[(?P<hb>{_T})\]|\((?P<hp>{_T})\)|\s(?P<h>{_T}))\s*:?\s*$"
)
TIME_ONLY_RE = re.compile(rf"^\s*{_TIME}\s*$")
_LOOSE_T = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
RANGE_RE = re.compile(rf"^\s*(?P<start>{_LOOSE_T})\s*-->\s*{_LOOSE_T}\s*$")
SPEAKER_ONLY_RE = re.compile(rf"^\s*{_SPEAKER}\s*:?\s*$")
F4_TIME_RE = re.compile(r"\s*#(?P<f4>\d{1,2}:\d{2}:\d{2})(?:[-.,]\d{1,3})?#")
HEADING_RE = re.compile(r"^#{1,6}\s+\S")
TOOL_FOOTER_RE = re.compile(
    r"^(?:transcribed|transcript|getranscribeerd|transcriptie)\b.{0,40}\b(?:by|door|with|met)\b.{0,40}https?://\S+$",
    re.I,
)
SEPARATOR_RE = re.compile(r"^(?:[-*_=]\s*){3,}$")

# Without the whole file (``match_turn`` on one line), these common words are not speakers.
_NOT_SPEAKERS = {
    "dus", "nou", "maar", "en", "want", "ja", "nee", "kijk", "oftewel", "namelijk", "bijvoorbeeld",
    "let op", "note", "noot", "opmerking", "zie", "toelichting",
}


def format_time(raw: str) -> str:
    """``1:02:03.5`` -> ``01:02:03``; ``12:31`` -> ``00:12:31``."""
    main = re.split(r"[.,]", raw)[0]
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts[-3:]
    return f"{h:02d}:{m:02d}:{s:02d}"


def _first(m: re.Match[str], *groups: str) -> str | None:
    found = m.groupdict()
    return next((found[g] for g in groups if found.get(g)), None)


@dataclass
class Candidate:
    """A line that may start a turn: the speaker as written, its text and time."""

    speaker: str
    text: str
    time: str | None
    strong: bool  # a speaker whatever the rest of the file says
    loose: bool = False  # lower-case or unusual form: a speaker only where the file shows it


@lru_cache(maxsize=4096)
def is_strong_speaker(speaker: str) -> bool:
    """Whether a prefix is a speaker by its form alone (see the module docstring)."""
    from workbench.formats.importers.speakers import is_known_label

    if is_known_label(speaker) or re.search(r"[\d_()]", speaker):
        return True
    words = speaker.split()
    if len(words) == 1:
        return len(words[0].rstrip(".")) == 1 or words[0].isupper()
    return sum(1 for w in words if w[:1].isupper()) >= 2


def match_line(line: str, *, headers: bool = True) -> Candidate | None:
    """The turn a single line starts, judged on its form only (weak prefixes included);
    ``headers=False`` leaves out the speaker-and-time-only line (``Speaker 1  0:03``)."""
    m = TURN_RE.match(line)
    if m:
        speaker = m.group("speaker").strip()
        raw = _first(m, "bt", "pt", "t", "at", "ct")
        timed = bool(m.group("bt") or m.group("pt") or m.group("t"))
        strong = timed or is_strong_speaker(speaker)
        if strong or m.group("gap"):  # 'Kijk:dat' is no speaker; 'R:ja' is
            return Candidate(speaker, m.group("text").strip(), format_time(raw) if raw else None, strong)
    if not headers:
        return None
    h = HEADER_RE.match(line)
    if h:
        speaker = h.group("speaker").strip()
        raw = _first(h, "hb", "hp", "h")
        return Candidate(speaker, "", format_time(raw) if raw else None, is_strong_speaker(speaker))
    return None


def match_turn(line: str) -> tuple[str, str, str | None] | None:
    """(speaker, text, time) if ``line`` starts a turn, judged without the rest of the file."""
    found = match_line(line, headers=False)
    if found is None or (not found.strong and found.speaker.lower() in _NOT_SPEAKERS):
        return None
    return found.speaker, found.text, found.time


LOOSE_RE = re.compile(
    rf"^\s*(?:{_TIME}\s*(?:[-–—|]\s*)?)?(?P<mk>\*\*|__)?(?P<speaker>[^\W\d_][^:\n]{{0,39}}?)\s*"
    r"(?(mk)(?:(?P=mk)\s*:|:\s*(?P=mk))|:)(?P<gap>\s+|$)(?P<text>.*)$"
)
_LOOSE_WORD = re.compile(r"[^\W\d_][\w'’\-]*\.?")
_LOOSE_NUMBER = re.compile(r"(?:#|(?:nr|no)\.?)?\d{1,3}[a-z]?|#|nr\.?|no\.")
_PARTICLES = frozenset(_PARTICLE[3:-1].replace("\\", "").split("|"))
_NOT_A_PREFIX = re.compile(r"[?!;,\"“”„«»<>=+/\\|&@]|\.\.")


def loose_prefix_kind(speaker: str) -> str | None:
    """Whether a prefix outside the capitalised name forms still looks like a speaker:
    ``"name"`` for lower-case names (``jan``, ``jan de vries``: at most two words besides name
    particles), ``"marker"`` for prefixes with a number, ``#``, underscore or parenthesis
    (``deelnemer 4``, ``spreker #2``); None for everything that reads as a sentence
    (``Het punt is``, ``wat ik zeg``, ``ja, dus``)."""
    if _NOT_A_PREFIX.search(speaker):
        return None
    core = re.sub(r"\([^()]{1,30}\)", " ", speaker)
    if "(" in core or ")" in core:
        return None
    tokens = core.split()
    if not tokens or len(tokens) > 5:
        return None
    words = [t for t in tokens if not _LOOSE_NUMBER.fullmatch(t)]
    if not all(_LOOSE_WORD.fullmatch(t) for t in words):
        return None
    content = [w for w in words if w.lower() not in _PARTICLES]
    if core != speaker or len(words) < len(tokens) or "_" in speaker:
        return "marker" if len(content) <= 3 else None
    if speaker[:1].islower() and tokens[0] not in _PARTICLES and len(content) <= 2:
        return "name"
    return None


def match_loose(line: str) -> Candidate | None:
    """A line-start prefix that only the whole file can make a speaker (``jan:``,
    ``deelnemer nr. 4:``); a prefix after a leading time is a speaker at once."""
    m = LOOSE_RE.match(line)
    if not m or loose_prefix_kind(m.group("speaker").strip()) is None:
        return None
    raw = _first(m, "bt", "pt", "t")
    return Candidate(m.group("speaker").strip(), m.group("text").strip(),
                     format_time(raw) if raw else None, strong=bool(raw), loose=not raw)


@dataclass
class Line:
    """One line of a source (a text line, a Word paragraph or part of one, a table row)."""

    number: int  # 1-based line, paragraph or row number used in messages
    text: str
    speaker: str | None = None  # known from the document's structure (a table's speaker column)
    time: str | None = None
    continuation: bool = False  # can never start a turn (a later paragraph of a table cell)
    heading: bool = False  # a heading by its style (Word): skipped like a Markdown heading


@dataclass
class PrefixVerdict:
    """How the file decided its doubtful prefixes (keys: the speaker as written)."""

    kept: dict[str, str]  # weak or loose prefixes kept as text -> why
    accepted: dict[str, str]  # loose prefixes read as speakers -> why


_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")


def judge_prefixes(candidates: list[tuple[int, Candidate]], full_text: str) -> PrefixVerdict:
    """Decide the weak (one capitalised word) and loose (lower-case, unusual) prefixes of a
    file from the file itself; ``candidates`` are all its turn starts in order, strong ones
    included. See the module docstring for the rules."""
    doubtful = [c for _, c in candidates if not c.strong]
    if not doubtful:
        return PrefixVerdict({}, {})
    from workbench.formats.importers.speakers import is_known_label, speaker_identity

    # A word is ordinary when it occurs in the text outside the speaker prefixes themselves.
    in_prefixes = Counter(w for _, c in candidates for w in _WORD_RE.findall(c.speaker))
    wanted = {w.split()[0].lower() for w in (c.speaker for c in doubtful if not c.loose)}
    wanted |= {w for c in doubtful if c.loose for w in _WORD_RE.findall(c.speaker)}
    in_text: Counter[str] = Counter()
    if wanted:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)) + r")(?!\w)")
        in_text.update(pattern.findall(full_text))

    def ordinary(word: str) -> bool:
        return in_text[word] > in_prefixes[word]

    kept: dict[str, str] = {}
    accepted: dict[str, str] = {}
    for c in doubtful:
        if c.loose or c.speaker in kept:
            continue
        word = c.speaker.split()[0].lower()
        if ordinary(word):
            kept[c.speaker] = f"'{word}' also occurs as an ordinary word"
    for c in doubtful:
        if not c.loose or c.speaker in kept or is_known_label(c.speaker):
            continue
        if loose_prefix_kind(c.speaker) == "name":
            common = next((w for w in _WORD_RE.findall(c.speaker) if w.lower() not in _PARTICLES and ordinary(w)), None)
            if common:
                kept[c.speaker] = f"'{common}' also occurs as an ordinary word"

    counts = Counter(speaker_identity(c.speaker) for _, c in candidates)
    kept_ids = {speaker_identity(s) for s in kept}
    for c in doubtful:
        if c.loose or c.speaker in kept:
            continue
        ident = speaker_identity(c.speaker)
        if counts[ident] == 1:
            others = sum(1 for s, n in counts.items() if s != ident and n >= 2 and s not in kept_ids)
            if others >= 2:
                kept[c.speaker] = "used only once as a prefix"

    # Loose prefixes: the turn-taking decides.
    seq = [(speaker_identity(c.speaker), c.speaker) for _, c in candidates if c.speaker not in kept]
    for c in doubtful:
        if not c.loose or c.speaker in kept or c.speaker in accepted:
            continue
        ident = speaker_identity(c.speaker)
        where = [i for i, (s, _w) in enumerate(seq) if s == ident]
        spellings = {w for s, w in seq if s == ident}
        if len(where) >= 2:
            if any(s != ident for s, _w in seq[where[0] : where[-1]]):
                verdict, why = True, f"starts {len(where)} turns between other speakers' turns"
            else:
                verdict, why = False, f"its {len(where)} lines follow each other without another speaker"
        else:
            i = where[0]
            before = seq[i - 1] if i else None
            after = seq[i + 1] if i + 1 < len(seq) else None
            answers = before is not None and before[0] != ident and (after is None or after[0] == before[0])
            if before is not None and answers and (loose_prefix_kind(c.speaker) == "name"
                                                   or is_known_label(c.speaker)):
                verdict, why = True, f"answers '{before[1]}'"
            else:
                verdict, why = False, "used only once as a prefix"
        for spelling in spellings:
            (accepted if verdict else kept)[spelling] = why
    return PrefixVerdict(kept, accepted)


def weak_prefixes_to_keep_as_text(
    candidates: list[tuple[int, Candidate]], full_text: str
) -> dict[str, str]:
    """Weak and loose prefixes that are ordinary text here: speaker -> reason (see
    :func:`judge_prefixes`)."""
    return judge_prefixes(candidates, full_text).kept


def _text_warning(kept: list[tuple[int, Candidate]], reasons: dict[str, str], unit: str) -> str:
    shown = ", ".join(f"'{c.speaker}:' ({unit} {n}: {reasons[c.speaker]})" for n, c in kept[:5])
    more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
    return (
        f"{len(kept)} {unit}(s) starting with a word and a colon were kept as text, not read as a "
        f"speaker: {shown}{more}; to read one as a speaker, add its role in parentheses (e.g. '{kept[0][1].speaker} (R):') and import again with --replace"
    )


def accepted_warning(found: list[tuple[int, Candidate]], reasons: dict[str, str], unit: str) -> str | None:
    """The warning for loose prefixes read as speakers (one entry per spelling)."""
    first: dict[str, int] = {}
    for n, c in found:
        if c.speaker in reasons:
            first.setdefault(c.speaker, n)
    if not first:
        return None
    shown = ", ".join(f"'{s}:' (first {unit} {n}: {reasons[s]})" for s, n in list(first.items())[:5])
    more = f" and {len(first) - 5} more" if len(first) > 5 else ""
    return f"read as speaker(s) because of the turn-taking, though not written like a name or label: {shown}{more}"


def parse_turn_lines(
    lines: list[str], path: Path, *, first_line: int = 1, unit: str = "line"
) -> tuple[list[ParsedTurn], list[str]]:
    """Group text lines into turns. Returns (turns, warnings)."""
    return parse_lines([Line(first_line + i, text) for i, text in enumerate(lines)], path, unit=unit)


def parse_lines(lines: list[Line], path: Path, *, unit: str = "line") -> tuple[list[ParsedTurn], list[str]]:
    """Group lines into turns (see the module docstring). Returns (turns, warnings)."""
    kinds, candidates, skipped = _classify(lines)
    verdict = judge_prefixes(candidates, "\n".join(ln.text for ln in lines)) if candidates else PrefixVerdict({}, {})
    reasons = verdict.kept
    turns, orphans, kept_as_text, footer = _group(kinds, reasons)
    warnings: list[str] = []
    if footer is not None:
        warnings.append(f"the transcription tool's closing line {_snippet(footer)} was not imported")
    if kept_as_text:
        warnings.append(_text_warning(kept_as_text, reasons, unit))
    if verdict.accepted:
        note = accepted_warning(candidates, verdict.accepted, unit)
        if note:
            warnings.append(note)
    if skipped:
        first_n, first_text = skipped[0]
        warnings.append(
            f"{len(skipped)} heading or separator {unit}(s) skipped (first: {unit} {first_n}, "
            f"{_snippet(first_text)})"
        )
    if orphans and turns:
        first_n, first_text = orphans[0]
        span = f"{unit} {first_n}" + (f"–{orphans[-1][0]}" if len(orphans) > 1 else "")
        warnings.append(
            f"{len(orphans)} {unit}(s) before the first speaker turn were not imported "
            f"({span}, starting {_snippet(first_text)})"
        )
    if not turns:
        hint = ""
        if kept_as_text:
            hint = "; " + _text_warning(kept_as_text, reasons, unit)
        raise ImportFileError(
            "no speaker turns found: each turn must start with a speaker prefix such as 'I:', "
            "'R:', 'Interviewer:' or 'Name:'" + hint,
            path=path,
            line=orphans[0][0] if orphans else None,
        )
    for t in turns:
        if not t.text.strip():
            warnings.append(f"{unit} {t.line}: empty turn of {t.speaker!r} skipped")
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        raise ImportFileError("all speaker turns are empty", path=path)
    return turns, warnings


_Kind = tuple[str, Line, Candidate | None]


def _classify(lines: list[Line]) -> tuple[list[_Kind], list[tuple[int, Candidate]], list[tuple[int, str]]]:
    """Pass 1, what each line may be: a turn (with its speaker candidate), a time stamp or
    text; with the speaker candidates by line number and the skipped headings and separators."""
    kinds: list[_Kind] = []
    candidates: list[tuple[int, Candidate]] = []
    skipped: list[tuple[int, str]] = []
    expect_speaker = False
    for line in lines:
        text = line.text.strip()
        if line.speaker is not None:
            structural = Candidate(line.speaker, text, line.time, True)
            kinds.append(("turn", line, structural))
            candidates.append((line.number, structural))
            expect_speaker = False
            continue
        if not text:
            continue
        if line.continuation:
            kinds.append(("text", line, None))
            continue
        if line.heading or HEADING_RE.match(text) or SEPARATOR_RE.match(text):
            skipped.append((line.number, text))
            continue
        r = RANGE_RE.match(text)
        if r:
            kinds.append(("time", line, Candidate("", "", format_time(r.group("start")), True)))
            expect_speaker = True
            continue
        stamp = TIME_ONLY_RE.match(text) or (F4_TIME_RE.fullmatch(text) if text.startswith("#") else None)
        if stamp:
            raw = _first(stamp, "bt", "pt", "t", "f4")
            kinds.append(("time", line, Candidate("", "", format_time(raw) if raw else None, True)))
            continue
        found = match_line(text) or match_loose(text)
        if found is None and expect_speaker:
            s = SPEAKER_ONLY_RE.match(text)
            if s:
                found = Candidate(s.group("speaker").strip(), "", None, True)
        expect_speaker = False
        if found is not None:
            kinds.append(("turn", line, found))
            candidates.append((line.number, found))
        else:
            kinds.append(("text", line, None))
    return kinds, candidates, skipped


def _group(kinds: list[_Kind], reasons: dict[str, str],
           ) -> tuple[list[ParsedTurn], list[tuple[int, str]], list[tuple[int, Candidate]], str | None]:
    """Pass 2, the turns: each turn line opens one and the text lines after it join it. A weak
    prefix judged to be text (``reasons``) is text. Returns the turns (their text joined by
    line breaks), the text lines before the first turn, the prefixes kept as text, and the
    transcription tool's closing line if the last turn ended with one (left out)."""
    turns: list[ParsedTurn] = []
    parts: list[list[str]] = []
    orphans: list[tuple[int, str]] = []
    kept_as_text: list[tuple[int, Candidate]] = []
    pending_time: str | None = None
    for kind, line, found in kinds:
        if kind == "time":
            pending_time = found.time if found else None
            continue
        if kind == "turn" and found is not None and not found.strong and found.speaker in reasons:
            kept_as_text.append((line.number, found))
            kind = "text"
        if kind == "turn" and found is not None:
            body, f4 = _strip_f4(found.text)
            turns.append(ParsedTurn(found.speaker, "", line.number, found.time or line.time or pending_time or f4))
            parts.append([body] if body else [])
            pending_time = None
            continue
        body, f4 = _strip_f4(line.text.strip())
        if turns:
            if body:
                parts[-1].append(body)
            if f4 and turns[-1].time is None:
                turns[-1].time = f4
        elif body:
            orphans.append((line.number, body))
    footer = None
    if parts and parts[-1] and TOOL_FOOTER_RE.match(parts[-1][-1]):
        footer = parts[-1].pop()
    for turn, texts in zip(turns, parts, strict=True):
        turn.text = "\n".join(texts)
    return turns, orphans, kept_as_text, footer


def _strip_f4(text: str) -> tuple[str, str | None]:
    """Text without f4/f5transkript times (``#00:01:23-4#``), and the first such time."""
    if "#" not in text:
        return text, None
    found = F4_TIME_RE.search(text)
    if found is None:
        return text, None
    return F4_TIME_RE.sub("", text).strip(), format_time(found.group("f4"))


def _snippet(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
