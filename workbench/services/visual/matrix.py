"""Code matrices: codes (or themes) against respondents, policy domains, municipalities or
other codes, as counts of interviews or of coded extracts; and the extracts behind a cell.

- ``by="respondent" | "domain" | "municipality"``: a cell counts the interviews (distinct
  transcripts) of that column in which the row's code occurs, or the row's coded extracts
  (codings) in them. A theme row counts the codings of all its codes and its sub-themes' codes,
  so a theme's ``total`` equals the ``transcripts`` of :func:`list_codebook`.
- ``by="code"``: co-occurrence (same coder, overlapping spans, see
  :mod:`workbench.services.visual.cooccurrence`). Off the diagonal a cell counts the interviews with such
  an overlap, or the row's extracts that overlap an extract of the column (so the extracts
  matrix need not be symmetric); on the diagonal it is the row's own interviews or extracts.

Every coder's codings count unless ``coders`` names some (a name without codings is an error
that lists the coders who have codings). Outputs: CSV, Markdown, and a
heat-shaded SVG drawn with matplotlib (imported lazily).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.services.visual.cooccurrence import coder_filter
from workbench.textsafety import spreadsheet_cell

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

BY = ("respondent", "domain", "municipality", "code")
ROWS = ("codes", "themes")
COUNTS = ("interviews", "extracts")
NONE_LABEL = "(none)"


@dataclass
class Axis:
    id: str
    label: str
    group: str = ""  # for a code row: its theme; for a sub-theme row: its parent theme
    depth: int = 0


@dataclass
class Matrix:
    by: str
    rows_kind: str
    count: str
    rows: list[Axis]
    columns: list[Axis]
    cells: list[list[int]]
    totals: list[int] | None = None  # per row, over all columns (not for by=code)
    coders: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        rows = "Codes" if self.rows_kind == "codes" else "Themes"
        by = {"code": "codes (co-occurrence)" if self.rows_kind == "codes"
              else "themes (co-occurrence)"}.get(self.by, self.by)
        who = f", coders {', '.join(self.coders)}" if self.coders else ""
        return f"{rows} × {by}: {self.count}{who}"

    @property
    def max_value(self) -> int:
        return max((v for row in self.cells for v in row), default=0)

    def value(self, i: int, j: int) -> int:
        return self.cells[i][j]

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by, "rows_kind": self.rows_kind, "count": self.count,
            "coders": self.coders, "title": self.title,
            "rows": [r.__dict__ for r in self.rows],
            "columns": [c.__dict__ for c in self.columns],
            "cells": self.cells, "totals": self.totals,
        }


def _check(by: str, rows: str, count: str) -> None:
    for value, allowed, what in ((by, BY, "--by"), (rows, ROWS, "--rows"), (count, COUNTS, "--count")):
        if value not in allowed:
            raise WorkbenchError(f"{what} must be one of {', '.join(allowed)}, not '{value}'")


def _row_axes(db: sqlite_utils.Database, rows: str) -> tuple[list[Axis], list[set[str]]]:
    """Row axes in codebook order and, per row, the code ids it stands for."""
    from workbench.services.codebook.codes import list_codebook

    entries = list_codebook(db)
    names = {e["id"]: e["name"] for e in entries}
    parents = {e["id"]: e["parent_id"] for e in entries}
    axes: list[Axis] = []
    members: list[set[str]] = []
    if rows == "codes":
        themed = [e for e in entries if e["kind"] == "code" and e["parent_id"]]
        loose = [e for e in entries if e["kind"] == "code" and not e["parent_id"]]
        for e in themed + loose:
            group = names.get(e["parent_id"], "") if e["parent_id"] else ""
            axes.append(Axis(e["id"], e["name"], group, 0))
            members.append({e["id"]})
        return axes, members
    children: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e["parent_id"]:
            children[e["parent_id"]].append(e["id"])

    def codes_under(theme_id: str) -> set[str]:
        out: set[str] = set()
        stack = [theme_id]
        while stack:
            for c in children.get(stack.pop(), []):
                stack.append(c)
                out.add(c)
        return out

    kinds = {e["id"]: e["kind"] for e in entries}
    for e in entries:
        if e["kind"] != "theme":
            continue
        parent = parents.get(e["id"])
        axes.append(Axis(e["id"], e["name"], names.get(parent, "") if parent else "", e["depth"]))
        members.append({c for c in codes_under(e["id"]) if kinds.get(c) == "code"})
    return axes, members


def _transcript_columns(db: sqlite_utils.Database, by: str) -> tuple[list[Axis], dict[str, str]]:
    column = {"respondent": "label", "domain": "domain", "municipality": "municipality"}[by]
    key_of: dict[str, str] = {}
    for tid, value in db.execute(f"select id, [{column}] from transcripts order by id"):
        key_of[tid] = (value or "").strip() or NONE_LABEL
    keys = sorted(set(key_of.values()), key=lambda k: (k == NONE_LABEL, k.lower()))
    return [Axis(k, k) for k in keys], key_of


def check_coders(db: sqlite_utils.Database, coders: list[str] | None) -> None:
    """Refuse coder names that have no codings (a typo would give an empty matrix)."""
    names = [c for c in (coders or []) if c]
    if not names:
        return
    known = [r[0] for r in db.execute("select distinct coder from codings order by coder")]
    unknown = [c for c in dict.fromkeys(names) if c not in known]
    if unknown:
        which = ", ".join(f"'{c}'" for c in unknown)
        raise WorkbenchError(
            f"unknown coder {which}: no codings by {'them' if len(unknown) > 1 else 'this name'} "
            f"(coders with codings: {', '.join(known) or 'none yet'})"
        )


def build_matrix(
    db: sqlite_utils.Database,
    by: str = "respondent",
    rows: str = "codes",
    count: str = "interviews",
    coders: list[str] | None = None,
) -> Matrix:
    """The matrix as it stands in ``db`` now (see the module docstring for the counts)."""
    _check(by, rows, count)
    check_coders(db, coders)
    row_axes, members = _row_axes(db, rows)
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, codes in enumerate(members):
        for c in codes:
            rows_of[c].append(i)
    where, args = coder_filter(coders)
    codings = db.execute(
        f"select id, transcript_id, code_id from codings where {where}", args
    ).fetchall()
    row_tids: list[set[str]] = [set() for _ in row_axes]
    row_ext = [0] * len(row_axes)
    for _cid, tid, code in codings:
        for i in rows_of.get(code, []):
            row_tids[i].add(tid)
            row_ext[i] += 1
    row_total = [len(t) for t in row_tids] if count == "interviews" else row_ext

    if by == "code":
        columns = [Axis(a.id, a.label, a.group, a.depth) for a in row_axes]
        n = len(row_axes)
        tids: dict[tuple[int, int], set[str]] = defaultdict(set)
        exts: dict[tuple[int, int], set[str]] = defaultdict(set)
        from workbench.services.visual.cooccurrence import overlapping_pairs

        for a, b in overlapping_pairs(db, coders):
            for x, y in ((a, b), (b, a)):
                for i in rows_of.get(x["code_id"], []):
                    for j in rows_of.get(y["code_id"], []):
                        if i != j:
                            tids[(i, j)].add(x["transcript_id"])
                            exts[(i, j)].add(x["id"])
        source = tids if count == "interviews" else exts
        cells = [[row_total[i] if i == j else len(source.get((i, j), ())) for j in range(n)]
                 for i in range(n)]
        return Matrix(by, rows, count, row_axes, columns, cells, None, list(coders or []))

    columns, key_of = _transcript_columns(db, by)
    col_index = {c.id: j for j, c in enumerate(columns)}
    cell_tids: dict[tuple[int, int], set[str]] = defaultdict(set)
    cell_ext: dict[tuple[int, int], int] = defaultdict(int)
    for _cid, tid, code in codings:
        j = col_index[key_of[tid]]
        for i in rows_of.get(code, []):
            cell_tids[(i, j)].add(tid)
            cell_ext[(i, j)] += 1
    if count == "interviews":
        cells = [[len(cell_tids.get((i, j), ())) for j in range(len(columns))]
                 for i in range(len(row_axes))]
    else:
        cells = [[cell_ext.get((i, j), 0) for j in range(len(columns))]
                 for i in range(len(row_axes))]
    return Matrix(by, rows, count, row_axes, columns, cells, row_total, list(coders or []))


def cell_extracts(db: sqlite_utils.Database, m: Matrix, i: int, j: int) -> list[dict[str, Any]]:
    """The coded extracts behind cell ``(i, j)``: for ``by=code`` off the diagonal, the row's
    extracts that overlap an extract of the column (with ``overlaps``: the column's codes
    there); otherwise the row's extracts in the column's interviews. Each row has ``id``,
    ``transcript_id``, ``label``, ``code``, ``theme``, ``coder``, ``start``, ``end``,
    ``text``."""
    _row_axes_now, members = _row_axes(db, m.rows_kind)
    ids = {a.id: k for k, a in enumerate(_row_axes_now)}
    row_id, col_id = m.rows[i].id, m.columns[j].id
    if row_id not in ids:
        return []
    row_codes = members[ids[row_id]]
    where, args = coder_filter(m.coders, "x.coder")
    base = (
        "select x.id, x.transcript_id, t.label, x.code_id, c.name as code, p.name as theme, "
        "x.coder, x.start, x.end, substr(t.text, x.start + 1, x.end - x.start) as text "
        "from codings x join transcripts t on t.id = x.transcript_id "
        "join codes c on c.id = x.code_id left join codes p on p.id = c.parent_id "
    )
    if not row_codes:
        return []
    marks = ",".join("?" * len(row_codes))
    cond = f"x.code_id in ({marks}) and {where}"
    params: list[Any] = [*sorted(row_codes), *args]
    if m.by == "code":
        if row_id != col_id:
            if col_id not in ids:
                return []
            col_codes = members[ids[col_id]]
            from workbench.services.visual.cooccurrence import overlapping_pairs

            hits: dict[str, set[str]] = defaultdict(set)
            for a, b in overlapping_pairs(db, m.coders):
                for x, y in ((a, b), (b, a)):
                    if x["code_id"] in row_codes and y["code_id"] in col_codes:
                        hits[x["id"]].add(y["code_id"])
            if not hits:
                return []
            names = dict(db.execute("select id, name from codes").fetchall())
            hit_ids = sorted(hits)
            cond += f" and x.id in ({','.join('?' * len(hit_ids))})"
            params += hit_ids
            rows = list(db.query(base + f"where {cond} order by t.date, x.transcript_id, x.start", params))
            for r in rows:
                r["overlaps"] = sorted(names.get(c, c) for c in hits[r["id"]])
            return rows
    else:
        _cols, key_of = _transcript_columns(db, m.by)
        tids = sorted(t for t, k in key_of.items() if k == col_id)
        if not tids:
            return []
        cond += f" and x.transcript_id in ({','.join('?' * len(tids))})"
        params += tids
    return list(db.query(base + f"where {cond} order by t.date, x.transcript_id, x.start", params))


# -- output ---------------------------------------------------------------------------------

def _head(m: Matrix) -> list[str]:
    first = "code" if m.rows_kind == "codes" else "theme"
    second = "theme" if m.rows_kind == "codes" else "parent theme"
    return [first, second, *[c.label for c in m.columns], *(["total"] if m.totals else [])]


def _body(m: Matrix) -> list[list[Any]]:
    out = []
    for i, r in enumerate(m.rows):
        out.append([r.label, r.group, *m.cells[i], *([m.totals[i]] if m.totals else [])])
    return out


def to_csv(m: Matrix) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([spreadsheet_cell(c) for c in _head(m)])
    w.writerows([spreadsheet_cell(c) for c in row] for row in _body(m))
    return buf.getvalue()


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(m: Matrix) -> str:
    head = _head(m)
    lines = [f"**{m.title}**", "", "| " + " | ".join(_md_cell(h) for h in head) + " |",
             "|" + "|".join([" --- ", " --- "] + [" ---: "] * (len(head) - 2)) + "|"]
    for row in _body(m):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def to_svg(m: Matrix) -> str:
    """A heat-shaded table (darker = more) with the count in every cell."""
    return render_image(m, "svg").decode("utf-8")


def render_image(m: Matrix, fmt: str = "svg", *, dpi: int = 150) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure

    from workbench.services.visual.map_layout import wrap

    cell = 0.42
    n_rows, n_cols = len(m.rows), len(m.columns)
    col_labels = [c.label if len(c.label) <= 28 else c.label[:27] + "…" for c in m.columns]
    row_labels = [("   " * r.depth) + (r.label if len(r.label) <= 40 else r.label[:39] + "…")
                  for r in m.rows]
    groups = [(r.group or "(no theme)") if m.rows_kind == "codes" else "" for r in m.rows]
    char_w = 8 * 0.62 / 72
    label_w = max([len(s) for s in row_labels] + [4]) * char_w + 0.2
    group_w = (max([len(s) for s in groups if s] + [0]) * char_w + 0.3) if any(groups) else 0
    group_w = min(group_w, 2.6)
    head_h = max([len(s) for s in col_labels] + [4]) * char_w * 0.72 + 0.3
    total_w = cell * 1.3 if m.totals else 0
    title_h = 0.5
    # rotated column labels reach to the right of their column
    reach = max([len(s) for s in col_labels[-4:]] + [5]) * char_w * 0.6
    width = 0.25 + group_w + label_w + n_cols * cell + max(total_w + 0.35, reach + 0.3)
    height = title_h + head_h + max(n_rows, 1) * cell + 0.3
    width = max(width, len(m.title) * 10 * 0.62 / 72 + 0.6)

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    x0 = 0.25 + group_w + label_w
    y0 = title_h + head_h
    cmap = matplotlib.colormaps["Blues"]
    # shade against the largest off-diagonal value (the diagonal of a co-occurrence matrix is
    # each row's own total and would wash the rest out)
    top = max([m.cells[i][j] for i in range(n_rows) for j in range(n_cols)
               if not (m.by == "code" and i == j)] + [1])
    from matplotlib.patches import Rectangle

    ax.text(0.25, 0.2, m.title, fontsize=10, fontweight="bold", va="top", ha="left")
    for j, label in enumerate(col_labels):
        ax.text(x0 + (j + 0.5) * cell, y0 - 0.08, label, fontsize=8, rotation=55,
                rotation_mode="anchor", ha="left", va="center")
    if m.totals:
        ax.text(x0 + n_cols * cell + total_w / 2, y0 - 0.08, "total", fontsize=8,
                fontweight="bold", rotation=55, rotation_mode="anchor", ha="left", va="center")
    last_group = None
    for i in range(n_rows):
        y = y0 + i * cell
        if groups[i] != last_group:
            if i:
                ax.plot([0.2, x0 + n_cols * cell + total_w], [y, y], color="#999999", lw=0.6)
            if groups[i]:
                g_lines = wrap(groups[i], max(8, int((group_w - 0.2) / char_w)))[:2]
                ax.text(0.25, y + cell / 2, "\n".join(g_lines), fontsize=7.5, color="#555555",
                        fontweight="bold", va="center", ha="left", linespacing=1.0)
            last_group = groups[i]
        ax.text(x0 - 0.08, y + cell / 2, row_labels[i], fontsize=8, va="center", ha="right",
                fontweight="bold" if m.rows_kind == "themes" and m.rows[i].depth == 0 else "normal")
        for j in range(n_cols):
            v = m.cells[i][j]
            shade = 0.06 + 0.84 * (v / top) if v else 0.0
            colour = cmap(shade) if v else "#ffffff"
            diag = m.by == "code" and i == j
            ax.add_patch(Rectangle((x0 + j * cell, y), cell, cell, fc="#eeeeee" if diag else colour,
                                   ec="#d0d0d0", lw=0.5))
            ax.text(x0 + (j + 0.5) * cell, y + cell / 2, str(v) if v else "·", fontsize=7.5,
                    ha="center", va="center",
                    color="white" if v and v / top > 0.55 and not diag else "#222222")
        # the diagonal of a co-occurrence matrix is grey: the row's own count
        if m.totals:
            ax.text(x0 + n_cols * cell + total_w / 2, y + cell / 2, str(m.totals[i]), fontsize=8,
                    fontweight="bold", ha="center", va="center")
    buf = io.BytesIO()
    rc: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "workbench-matrix", "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else {},
                    facecolor="white")
    return buf.getvalue()
