"""The thematic map as data, built from the current database on every call.

Themes hold sub-themes (one level) and codes; each node carries the number of interviews it
occurs in (distinct transcripts with a coding of the code; for a theme, of any of its codes or
its sub-themes' codes), exactly the ``transcripts`` figure of
:func:`workbench.services.codebook.codes.list_codebook`. Survey themes come from the project's survey
themes file and ``survey_links``; co-occurrence links (on request) join codes whose codings
overlap in at least ``min_count`` interviews (see :mod:`workbench.services.visual.cooccurrence`).
Codes in no theme are gathered under an ``unthemed`` group so that nothing is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.services.visual.survey_source import survey_sort_key

UNTHEMED_ID = "(no theme)"


@dataclass
class MapNode:
    """A theme, sub-theme, code, or the group of codes in no theme."""

    id: str
    kind: str  # "theme", "subtheme", "code" or "unthemed"
    name: str
    interviews: int
    codings: int
    respondents: int = 0
    definition: str = ""
    colour: str = ""
    survey: list[str] = field(default_factory=list)
    children: list[MapNode] = field(default_factory=list)

    def walk(self) -> Iterator[MapNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def codes(self) -> list[MapNode]:
        return [n for n in self.walk() if n.kind == "code"]


@dataclass
class SurveyTheme:
    id: str
    title: str
    linked: bool = False
    known: bool = True  # listed in the survey themes file


@dataclass
class CoLink:
    """Two codes whose codings overlap (same coder and transcript) in ``interviews``
    interviews; ``extracts`` counts the overlapping pairs of codings."""

    a: str
    b: str
    interviews: int
    extracts: int


@dataclass
class ThematicMap:
    groups: list[MapNode]  # top-level themes in codebook order, then the unthemed group
    survey: list[SurveyTheme]  # every survey theme (file order, then unknown linked ids)
    survey_links: list[tuple[str, str]]  # (theme or code id, survey theme id)
    cooccurrence: list[CoLink]
    min_cooccurrence: int | None
    built_at: str
    total_interviews: int

    def nodes(self) -> Iterator[MapNode]:
        for g in self.groups:
            yield from g.walk()

    def node(self, node_id: str) -> MapNode:
        for n in self.nodes():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def codes(self) -> list[MapNode]:
        return [n for n in self.nodes() if n.kind == "code"]

    @property
    def themes(self) -> list[MapNode]:
        return [g for g in self.groups if g.kind == "theme"]

    @property
    def linked_survey(self) -> list[SurveyTheme]:
        return [s for s in self.survey if s.linked]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _node(row: dict[str, Any], kind: str, links: dict[str, list[str]]) -> MapNode:
    return MapNode(
        id=row["id"], kind=kind, name=row["name"], interviews=row["transcripts"],
        codings=row["codings"], respondents=row["respondents"],
        definition=row.get("definition") or "", colour=row.get("colour") or "",
        survey=links.get(row["id"], []),
    )


def build_map(
    db: sqlite_utils.Database,
    *,
    survey_themes: list[dict[str, Any]] | None = None,
    cooccurrence: bool = False,
    min_count: int = 2,
) -> ThematicMap:
    """The map of the codebook as it is in ``db`` now.

    ``survey_themes`` is the list of ``{id, title}`` from the survey themes file (see
    :func:`workbench.services.visual.survey_source.load_survey_themes`); linked ids missing from it are
    still shown, by id. With ``cooccurrence``, code pairs overlapping in at least ``min_count``
    interviews are linked.
    """
    from workbench.services.codebook.codes import list_codebook

    rows = list_codebook(db)
    links: dict[str, list[str]] = defaultdict(list)
    pairs = [(r[0], str(r[1])) for r in db.execute(
        "select code_id, survey_theme_id from survey_links order by code_id")]
    for code_id, sid in pairs:
        links[code_id].append(sid)
    for ids in links.values():
        ids.sort(key=survey_sort_key)

    by_id: dict[str, MapNode] = {}
    groups: list[MapNode] = []
    unthemed: list[MapNode] = []
    for r in rows:  # list_codebook walks parents before children
        parent = by_id.get(r["parent_id"]) if r["parent_id"] else None
        if r["kind"] == "theme":
            node = _node(r, "subtheme" if parent else "theme", links)
            (parent.children if parent else groups).append(node)
        else:
            node = _node(r, "code", links)
            (parent.children if parent else unthemed).append(node)
        by_id[r["id"]] = node
    if unthemed:
        ids = [n.id for n in unthemed]
        marks = ",".join("?" * len(ids))
        codings, interviews, respondents = db.execute(
            "select count(*), count(distinct x.transcript_id), count(distinct t.label) from "
            f"codings x join transcripts t on t.id = x.transcript_id where x.code_id in ({marks})",
            ids,
        ).fetchone()
        groups.append(MapNode(
            id=UNTHEMED_ID, kind="unthemed", name="Codes not yet in a theme",
            interviews=interviews, codings=codings, respondents=respondents, children=unthemed,
        ))

    survey: list[SurveyTheme] = []
    linked_ids = {sid for code_id, sid in pairs if code_id in by_id}
    seen: set[str] = set()
    for s in survey_themes or []:
        sid = str(s["id"])
        if sid in seen:
            continue
        seen.add(sid)
        survey.append(SurveyTheme(sid, s.get("title") or "", linked=sid in linked_ids))
    for sid in sorted(linked_ids - seen, key=survey_sort_key):
        survey.append(SurveyTheme(sid, "", linked=True, known=False))

    colinks: list[CoLink] = []
    if cooccurrence:
        colinks = code_cooccurrence(db, min_count=min_count)
    total = db.execute("select count(*) from transcripts").fetchone()[0]
    return ThematicMap(
        groups=groups, survey=survey,
        survey_links=[(c, s) for c, s in pairs if c in by_id],
        cooccurrence=colinks, min_cooccurrence=min_count if cooccurrence else None,
        built_at=now_iso(), total_interviews=total,
    )


def code_cooccurrence(
    db: sqlite_utils.Database, *, min_count: int = 1, coders: list[str] | None = None
) -> list[CoLink]:
    """Pairs of codes (ids in name order within a pair) whose codings overlap, with the
    number of interviews and of overlapping coding pairs; those below ``min_count``
    interviews are left out. Sorted by interviews (most first), then names."""
    from workbench.services.visual.cooccurrence import overlapping_pairs

    interviews: dict[tuple[str, str], set[str]] = defaultdict(set)
    extracts: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in overlapping_pairs(db, coders):
        key = tuple(sorted((a["code_id"], b["code_id"])))
        interviews[key].add(a["transcript_id"])
        extracts[key] += 1
    names = dict(db.execute("select id, name from codes").fetchall())
    out = [
        CoLink(a, b, len(tids), extracts[(a, b)])
        for (a, b), tids in interviews.items()
        if len(tids) >= max(1, min_count)
    ]
    out.sort(key=lambda link: (-link.interviews, -link.extracts,
                               names.get(link.a, "").lower(), names.get(link.b, "").lower()))
    return out
