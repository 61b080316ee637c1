"""The survey's themes, their figures, and the links from codebook themes and codes to them.

A report on the study is organised by the themes of its questionnaire. They are listed in
``codebooks/survey_themes.yaml`` (id such as ``4.3``, Dutch title, the questionnaire items it
covers, an optional ``order``); optional figures per theme are in ``codebooks/survey_figures.csv``
(``survey_theme_id,statement,n,base``). Both files are validated on loading, and every problem
names the file and line. A codebook theme or code is linked to one or more survey themes in the
table ``survey_links``; linking and unlinking go through :func:`workbench.store.changes.record`,
so they are in the history and can be undone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.files import read_text_file
from workbench.project import Project
from workbench.store.changes import record

THEMES_FILE = "survey_themes.yaml"
FIGURES_FILE = "survey_figures.csv"
FIGURE_COLUMNS = ("survey_theme_id", "statement", "n", "base")

#: Shown when the themes file is missing: the format in three lines.
FORMAT_EXAMPLE = (
    "survey_themes:\n"
    "  - id: \"4.1\"                 # the report section, in quotes\n"
    "    title: Vermoedens van criminele uitbuiting"
)

#: What ``workbench survey init`` writes (a file that loads, with the format explained).
TEMPLATE = """\
# The survey themes a report is organised by, in the report's order.
# Written by 'workbench survey init'; edit it, then link codebook themes or codes to it:
#   workbench survey link "Werving en dwang" 4.4
#
# Each survey theme:
#   id:    the report section number, in quotes ("4.10" is not 4.1)         (required)
#   title: the section title as the report prints it                          (required)
#   items: the questionnaire items it covers, e.g. [V11, V12]                 (optional)
#   order: a number that places it elsewhere than its place in this file      (optional)
#
# Figures per survey theme go in survey_figures.csv next to this file (optional), e.g.
#   survey_theme_id,statement,n,base
#   4.1,Heeft in het afgelopen jaar een vermoeden van criminele uitbuiting gehad,434,821
# A figure prints as 53% (n=434 van 821).
#
# Replace the two examples below with your own survey themes.
survey_themes:
  - id: "1.1"
    title: Eerste thema (vervang door de titel van de paragraaf)
    items: [V1, V2]
  - id: "1.2"
    title: Tweede thema
"""


@dataclass(frozen=True)
class Figure:
    survey_theme_id: str
    statement: str
    n: int
    base: int
    line: int = 0

    @property
    def percent(self) -> int:
        """Rounded half up, as reports print it (434 of 821 -> 53)."""
        return (200 * self.n + self.base) // (2 * self.base)

    def formatted(self) -> str:
        """``53% (n=434 van 821)``"""
        return f"{self.percent}% (n={self.n} van {self.base})"


@dataclass
class SurveyTheme:
    id: str
    title: str
    items: list[str] = field(default_factory=list)
    order: float | None = None
    line: int = 0
    figures: list[Figure] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.id} {self.title}"


# -- loading ---------------------------------------------------------------------------------

def _control_chars(text: str) -> str:
    """The control, bidi and invisible characters in ``text`` as ``U+0007, …`` (tabs and line
    breaks allowed)."""
    from workbench.textsafety import UNSAFE_IN_TEXT

    return ", ".join(f"U+{ord(ch):04X}" for ch in sorted(set(UNSAFE_IN_TEXT.findall(text))))


def _clean(text: str, what: str, *, path: Path, line: int) -> str:
    """One line of text without control characters (whitespace runs become one space)."""
    from workbench.textsafety import check_name

    bad = _control_chars(text)
    if bad:
        raise WorkbenchError(f"the {what} contains control characters ({bad})", path=path, line=line)
    try:
        return check_name(" ".join(text.split()), what=what) if text.strip() else ""
    except WorkbenchError as exc:
        raise WorkbenchError(exc.message, path=path, line=line) from exc


def load_themes(path: Path | str) -> list[SurveyTheme]:
    """Read and validate a survey themes file; return the themes in report order."""
    import yaml

    path = Path(path)
    text = read_text_file(path, what="survey themes file", missing=NotFoundError(
        "no survey themes file. It lists the report's survey themes in order, e.g.\n"
        + "\n".join("    " + line for line in FORMAT_EXAMPLE.splitlines())
        + "\n'workbench survey init' writes a commented template to fill in", path=path))
    from workbench.yamlfile import Nodes, compose

    nodes = Nodes(path)
    entries = nodes.listed_under(
        compose(text, path), "survey_themes",
        empty="the file is empty; expected 'survey_themes:' with a list",
        missing="expected a key 'survey_themes:' with a list of themes",
        not_a_list="'survey_themes' must be a list of themes (- id: …, title: …)")
    loader = yaml.SafeLoader("")
    themes: list[tuple[SurveyTheme, int]] = []  # with the position in the file
    seen: dict[str, int] = {}
    for pos, node in enumerate(entries):
        line = nodes.line(node)
        if not isinstance(node, yaml.MappingNode):
            raise WorkbenchError("each survey theme must be a mapping with id and title", path=path, line=line)
        values: dict[str, Any] = {key: (v, nodes.line(v))
                                  for key, v in nodes.mapping(node, "this survey theme")}
        unknown = set(values) - {"id", "title", "items", "order", "note", "description"}
        if unknown:
            raise WorkbenchError(f"unknown key(s) {', '.join(sorted(unknown))}; expected id, title, "
                                 "items, order", path=path, line=line)
        if "id" not in values:
            raise WorkbenchError("survey theme without an id", path=path, line=line)
        id_node, id_line = values["id"]
        if not isinstance(id_node, yaml.ScalarNode) or not str(id_node.value).strip():
            raise WorkbenchError("the id must be a text such as \"4.3\"", path=path, line=id_line)
        # The id as written (4.10 stays "4.10", not the number 4.1).
        sid = _clean(str(id_node.value), "survey theme id", path=path, line=id_line)
        if sid in seen:
            raise WorkbenchError(f"duplicate survey theme id '{sid}' (first on line {seen[sid]})",
                                 path=path, line=id_line)
        seen[sid] = id_line
        title_node, title_line = values.get("title", (None, line))
        title = str(title_node.value) if isinstance(title_node, yaml.ScalarNode) and title_node.value else ""
        title = _clean(title, f"title of '{sid}'", path=path, line=title_line)
        if not title:
            raise WorkbenchError(f"survey theme '{sid}' has no title", path=path, line=title_line)
        items: list[str] = []
        if "items" in values:
            items_node, items_line = values["items"]
            raw = loader.construct_object(items_node, deep=True)
            if isinstance(raw, str | int | float):
                raw = [raw]
            if not isinstance(raw, list) or any(isinstance(x, dict | list) or x is None for x in raw):
                raise WorkbenchError(f"the items of '{sid}' must be a list of questionnaire items",
                                     path=path, line=items_line)
            items = [_clean(str(x), f"items of '{sid}'", path=path, line=items_line) for x in raw]
        order = None
        if "order" in values:
            order_node, order_line = values["order"]
            raw = loader.construct_object(order_node)
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise WorkbenchError(f"the order of '{sid}' must be a number, not {order_node.value!r}",
                                     path=path, line=order_line)
            order = float(raw)
        themes.append((SurveyTheme(sid, title, items, order, line), pos))
    # Report order: explicit order first where given, file order otherwise (stable).
    ordered = sorted(themes, key=lambda tp: (tp[0].order if tp[0].order is not None else float(tp[1]), tp[1]))
    return [theme for theme, _pos in ordered]


def load_figures(path: Path | str, themes: list[SurveyTheme] | None = None) -> list[Figure]:
    """Read and validate a survey figures CSV (rows starting with '#' are comments)."""
    path = Path(path)
    if not path.exists():
        return []
    text = read_text_file(path, what="survey figures file")
    known = {t.id for t in themes} if themes is not None else None
    sample = "\n".join(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    figures: list[Figure] = []
    for row in reader:
        line = reader.line_num
        if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            twice = sorted({c for c in header if c and header.count(c) > 1})
            if twice:
                raise WorkbenchError(f"the header names column(s) {', '.join(twice)} twice",
                                     path=path, line=line)
            missing = [c for c in FIGURE_COLUMNS if c not in header]
            if missing:
                raise WorkbenchError(f"missing column(s) {', '.join(missing)}; expected "
                                     f"{', '.join(FIGURE_COLUMNS)}", path=path, line=line)
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            raise WorkbenchError(f"the row has {len(row)} cells but the header has {len(header)} "
                                 f"columns ({', '.join(header)}); a separator too many, or a number "
                                 "with a comma that should be in quotes?", path=path, line=line)
        bad = _control_chars("".join(row))
        if bad:
            raise WorkbenchError(f"the row contains control characters ({bad})", path=path, line=line)
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        sid = cells.get("survey_theme_id", "")
        if not sid:
            raise WorkbenchError("no survey_theme_id", path=path, line=line)
        if known is not None and sid not in known:
            raise WorkbenchError(f"unknown survey theme '{sid}' (not in {THEMES_FILE})", path=path, line=line)
        statement = cells.get("statement", "")
        if not statement:
            raise WorkbenchError("no statement", path=path, line=line)
        numbers = {}
        for col in ("n", "base"):
            raw = cells.get(col, "").replace("\u202f", "").replace(" ", "")
            if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):  # 1.637 or 1,637
                raw = raw.replace(".", "").replace(",", "")
            if not raw.isdigit():
                raise WorkbenchError(f"{col} must be a whole number, not {cells.get(col, '')!r}", path=path, line=line)
            numbers[col] = int(raw)
        if numbers["base"] <= 0:
            raise WorkbenchError("base must be above 0", path=path, line=line)
        if numbers["n"] > numbers["base"]:
            raise WorkbenchError(f"n ({numbers['n']}) is larger than the base ({numbers['base']})", path=path, line=line)
        figures.append(Figure(sid, statement, numbers["n"], numbers["base"], line))
    return figures


def themes_path(root: Path | str) -> Path:
    return Path(root) / "codebooks" / THEMES_FILE


def load(project_or_root: Project | str | Path) -> list[SurveyTheme]:
    """The project's survey themes with their figures attached, in report order."""
    root = project_or_root if isinstance(project_or_root, str | Path) else project_or_root.root
    themes = load_themes(themes_path(root))
    figures = load_figures(Path(root) / "codebooks" / FIGURES_FILE, themes)
    by_id = {t.id: t for t in themes}
    for f in figures:
        by_id[f.survey_theme_id].figures.append(f)
    return themes


def find(themes: list[SurveyTheme], survey_id: str) -> SurveyTheme:
    sid = str(survey_id).strip()
    for t in themes:
        if t.id == sid:
            return t
    for t in themes:
        if t.title.lower() == sid.lower():
            return t
    raise NotFoundError(f"no survey theme '{sid}' (see 'workbench survey list'; known: "
                        f"{', '.join(t.id for t in themes)})")


# -- links -----------------------------------------------------------------------------------

@dataclass
class LinkResult:
    """What :func:`link` or :func:`unlink` did: the codebook row and the survey theme ids
    changed (``done``) and those that needed nothing (``unchanged``: already linked)."""

    code: dict[str, Any]
    done: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``theme 'Werving en dwang' (c-5cbe76ab)``"""
        return f"{self.code['kind']} '{self.code['name']}' ({self.code['id']})"


def _is_linked(db: sqlite_utils.Database, code_id: str, sid: str) -> bool:
    return db.execute("select 1 from survey_links where code_id = ? and survey_theme_id = ?",
                      [code_id, sid]).fetchone() is not None


def link(db: sqlite_utils.Database, coder: str, ref: str, survey_ids: str | Sequence[str],
         *, themes: list[SurveyTheme] | None = None) -> LinkResult:
    """Link a codebook theme or code (id or name) to one or more survey themes, in one action.

    With ``themes`` given every survey id must be one of them (the CLI always passes them).
    Survey themes it is already linked to are left alone (``unchanged``), so linking twice is
    harmless; nothing is recorded when nothing changes.
    """
    from workbench.services.codebook import codes as codebook

    code = codebook.resolve(db, ref)
    wanted: list[str] = []
    for survey_id in [survey_ids] if isinstance(survey_ids, str) else survey_ids:
        sid = find(themes, survey_id).id if themes is not None else str(survey_id).strip()
        if not sid:
            raise WorkbenchError("the survey theme id is empty")
        if sid not in wanted:
            wanted.append(sid)
    if not wanted:
        raise WorkbenchError("name at least one survey theme")
    result = LinkResult(code)
    for sid in wanted:
        (result.unchanged if _is_linked(db, code["id"], sid) else result.done).append(sid)
    if result.done:
        summary = f"link {code['kind']} '{code['name']}' to survey theme(s) {', '.join(result.done)}"
        with record(db, coder, "survey.link", summary) as cs:
            for sid in result.done:
                cs.insert("survey_links", {"code_id": code["id"], "survey_theme_id": sid,
                                           "created_by": coder, "created_at": now_iso()})
    return result


def unlink(db: sqlite_utils.Database, coder: str, ref: str, survey_ids: str | Sequence[str]) -> LinkResult:
    """Remove the links of a codebook theme or code to survey themes, in one action.

    Refused (nothing changes) when it is not linked to one of them."""
    from workbench.services.codebook import codes as codebook

    code = codebook.resolve(db, ref)
    wanted = list(dict.fromkeys(str(s).strip() for s in ([survey_ids] if isinstance(survey_ids, str) else survey_ids)))
    if not wanted:
        raise WorkbenchError("name at least one survey theme")
    for sid in wanted:
        if not _is_linked(db, code["id"], sid):
            raise NotFoundError(f"{code['kind']} '{code['name']}' ({code['id']}) is not linked to "
                                f"survey theme {sid}")
    summary = f"unlink {code['kind']} '{code['name']}' from survey theme(s) {', '.join(wanted)}"
    with record(db, coder, "survey.unlink", summary) as cs:
        for sid in wanted:
            cs.delete("survey_links", [code["id"], sid])
    return LinkResult(code, done=wanted)


def init_template(root: Path | str) -> Path:
    """Write the commented template ``codebooks/survey_themes.yaml``; never over an existing file."""
    from workbench.files import write_atomic

    path = themes_path(root)
    if path.exists():
        raise ConflictError("exists already; edit it (nothing was written)", path=path)
    return write_atomic(path, TEMPLATE, create_parents=True)


def has_themes_file(project_or_root: Project | str | Path) -> bool:
    root = project_or_root if isinstance(project_or_root, str | Path) else project_or_root.root
    return themes_path(root).exists()


def codebook_sections(db: sqlite_utils.Database) -> list[tuple[SurveyTheme, str]]:
    """Without a survey themes file: one section per top-level codebook theme, in codebook
    order, as ``(a stand-in survey theme T1, T2 …, the codebook theme's id)``."""
    rows = db.execute("select id, name from codes where kind = 'theme' and parent_id is null "
                      "order by position, name").fetchall()
    return [(SurveyTheme(f"T{n}", name), cid) for n, (cid, name) in enumerate(rows, start=1)]


def init_from_codebook(project: Project, coder: str) -> tuple[Path, int]:
    """Write ``codebooks/survey_themes.yaml`` with one survey theme per top-level codebook theme
    (ids T1, T2 … in codebook order) and link each codebook theme to its survey theme; never
    over an existing file. Returns the path and the number of themes."""
    import yaml

    from workbench.files import write_atomic

    path = themes_path(project.root)
    if path.exists():
        raise ConflictError("exists already; edit it (nothing was written)", path=path)
    sections = codebook_sections(project.db)
    if not sections:
        raise WorkbenchError("the codebook has no themes yet: group codes into themes first "
                             "(workbench codebook add NAME --kind theme), or use the template "
                             "(workbench survey init)")
    body = yaml.safe_dump({"survey_themes": [{"id": t.id, "title": t.title} for t, _cid in sections]},
                          allow_unicode=True, sort_keys=False)
    text = ("# The report's survey themes, in report order: made from the codebook's themes.\n"
            "# Rename, reorder or replace them with the survey's own themes; keep the ids unique.\n"
            + body)
    written = write_atomic(path, text, create_parents=True)
    themes = load_themes(path)
    for theme, cid in sections:
        link(project.db, coder, cid, theme.id, themes=themes)
    return written, len(sections)


def links(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every link with the code's name and kind, in codebook order."""
    return [dict(r) for r in db.query(
        "select l.survey_theme_id, l.code_id, c.kind, c.name, l.created_by, l.created_at "
        "from survey_links l join codes c on c.id = l.code_id order by l.survey_theme_id, "
        "c.kind desc, c.position, c.name"
    )]


def linked_codes(db: sqlite_utils.Database, survey_id: str) -> list[dict[str, Any]]:
    """The codebook rows linked directly to one survey theme (themes before codes, codebook order)."""
    return [dict(r) for r in db.query(
        "select c.* from survey_links l join codes c on c.id = l.code_id where l.survey_theme_id = ? "
        "order by case c.kind when 'theme' then 0 else 1 end, c.position, c.name", [survey_id]
    )]


def survey_ids_by_code(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """For every code and theme, the survey themes it falls under: its own links and those of
    the themes above it."""
    own: dict[str, list[str]] = {}
    for r in db.query("select code_id, survey_theme_id from survey_links order by survey_theme_id"):
        own.setdefault(r["code_id"], []).append(r["survey_theme_id"])
    parents = {r["id"]: r["parent_id"] for r in db.query("select id, parent_id from codes")}
    out: dict[str, list[str]] = {}
    for cid in parents:
        ids: list[str] = []
        node, guard = cid, 0
        while node and guard < 10:
            for s in own.get(node, []):
                if s not in ids:
                    ids.append(s)
            node, guard = parents.get(node), guard + 1
        out[cid] = ids
    return out


def codes_under_survey_theme(db: sqlite_utils.Database, survey_id: str) -> set[str]:
    """Ids of every code and theme that falls under a survey theme (linked, or below a link)."""
    return {cid for cid, ids in survey_ids_by_code(db).items() if survey_id in ids}
