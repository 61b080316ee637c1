"""Codings to and from files: a YAML or CSV list of codings, e.g. the sample project's two
coders, or codings made elsewhere.

Each coding names its ``transcript`` (id or label), its ``code`` (id or name), its ``coder``,
and where it is: ``quote`` (the passage's text, found like ``workbench code --quote``) and/or
``start``/``end`` (string offsets; with both, the offsets are used when the text there is the
quote, else the quote is searched), optionally ``memo``. YAML::

    codings:
      - transcript: INT01
        code: Tweede telefoon
        coder: anna
        quote: "Dat is zo'n klassieker, die tweede telefoon."
        memo: klassiek signaal

CSV has the same columns as a header row. Loading checks every row first and writes nothing if
any row is bad (each problem names the file and line); codings already present are left alone,
so loading a file twice changes nothing. Each coder's codings are one recorded change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.files import read_text_file
from workbench.project import Project, validate_name
from workbench.textsafety import from_spreadsheet_cell, spreadsheet_cell

COLUMNS = ("transcript", "code", "coder", "quote", "start", "end", "memo")


@dataclass
class LoadReport:
    added: int = 0
    unchanged: int = 0
    by_coder: dict[str, int] = field(default_factory=dict)


def _read_yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    import yaml

    from workbench.yamlfile import Nodes, compose

    nodes = Nodes(path)
    items = nodes.listed_under(compose(text, path), "codings",
                               empty="the file is empty (expected a 'codings:' list)",
                               missing="expected a 'codings:' list",
                               not_a_list="'codings' must be a list")
    rows = []
    for node in items:
        if not isinstance(node, yaml.MappingNode):
            raise nodes.fail("each coding must be a mapping (transcript, code, …)", node)
        value = {key: nodes.text(v, f"'{key}'")
                 for key, v in nodes.mapping(node, "one coding", fold_case=True)}
        rows.append((nodes.line(node), value))
    return rows


def _read_csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    if not text.strip():
        raise WorkbenchError("the file is empty (expected a header row: transcript,code,…)", path=path)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num  # a quoted cell may span lines
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                twice = sorted({h for h in header if h and header.count(h) > 1})
                if twice:
                    raise WorkbenchError(f"the CSV header names {', '.join(twice)} twice", path=path, line=first)
                missing = {"transcript", "code"} - set(header)
                if missing:
                    raise WorkbenchError(f"the CSV header lacks {', '.join(sorted(missing))}", path=path, line=first)
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                raise WorkbenchError(f"{len(cells)} cells, but the header has {len(header)} columns "
                                     "(a separator inside a quote that is not in quotes?)", path=path, line=first)
            rows.append((first, {h: from_spreadsheet_cell(c)
                                 for h, c in zip(header, cells, strict=False) if h}))
    except csv.Error as exc:
        raise WorkbenchError(f"not valid CSV: {exc}", path=path, line=reader.line_num) from exc
    return rows


def read_rows(path: Path | str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a codings file with their line numbers (``.yaml``/``.yml`` or ``.csv``)."""
    from workbench.yamlfile import MAX_CHARS

    path = Path(path)
    if path.is_file() and path.stat().st_size > MAX_CHARS:
        raise WorkbenchError(f"the file is {path.stat().st_size:,} bytes; codings files of at "
                             f"most {MAX_CHARS:,} bytes are read", path=path)
    text = read_text_file(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml_rows(path, text)
    if suffix == ".csv":
        return _read_csv_rows(path, text)
    raise WorkbenchError("codings files are .yaml, .yml or .csv", path=path)


def _int(value: object, what: str) -> int:
    if value is None or not str(value).strip():
        raise WorkbenchError(f"{what} is missing: give both start and end (or only a quote)")
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise WorkbenchError(f"{what} must be a whole number, not {value!r}") from exc


def load_codings(project: Project, path: Path | str, coder: str | None = None) -> LoadReport:
    """Load codings from a file. ``coder`` is used for rows without one (default: the
    project's coder). Nothing is written when any row is bad."""
    from workbench.clock import now_iso
    from workbench.services.codebook import codes as codebook
    from workbench.services.coding.passages import check_span, new_coding_id, span_for_quote
    from workbench.services.transcripts.library import resolve_transcript
    from workbench.store.changes import record

    path = Path(path)
    db = project.db
    default_coder = project.coder(coder)
    planned: list[dict[str, Any]] = []
    problems: list[str] = []
    for line, raw in read_rows(path):
        row = {str(k).strip().lower(): v for k, v in raw.items()}
        unknown = set(row) - set(COLUMNS)
        try:
            if unknown:
                raise WorkbenchError(f"unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(COLUMNS)})")
            if not row.get("transcript") or not row.get("code"):
                raise WorkbenchError("each coding needs 'transcript' and 'code'")
            t = resolve_transcript(db, str(row["transcript"]))
            c = codebook.resolve(db, str(row["code"]))
            if c["kind"] != "code":
                raise WorkbenchError(f"'{c['name']}' is a theme; codings use codes")
            who = validate_name(str(row.get("coder") or default_coder), what="coder name")
            quote = str(row.get("quote") or "").strip()
            has_span = any(str(row.get(k) if row.get(k) is not None else "").strip() for k in ("start", "end"))
            span = None
            if has_span:
                span = check_span(t["text"], _int(row.get("start"), "start"), _int(row.get("end"), "end"))
            if quote and span and " ".join(t["text"][span[0]:span[1]].split()) != " ".join(quote.split()):
                span = None  # the text moved (e.g. a re-imported transcript): trust the quote
            if span:
                start, end = span
            elif quote:
                start, end = span_for_quote(db, t["id"], quote)
            else:
                raise WorkbenchError("each coding needs 'quote' or 'start' and 'end'")
            planned.append({"line": line, "transcript_id": t["id"], "code_id": c["id"], "code": c["name"],
                            "coder": who, "start": start, "end": end,
                            "memo": codebook.check_text(str(row.get("memo") or ""), "memo").strip()})
        except WorkbenchError as exc:
            problems.append(f"line {line}: {exc.message}")
    if problems:
        raise WorkbenchError(
            f"{len(problems)} coding(s) cannot be loaded; nothing was changed:\n  " + "\n  ".join(problems),
            path=path,
        )
    report = LoadReport()
    by_coder: dict[str, list[dict[str, Any]]] = {}
    for p in planned:
        by_coder.setdefault(p["coder"], []).append(p)
    with db.atomic():
        for who, items in by_coder.items():
            with record(db, who, "codings.load", f"load codings from {path.name}") as cs:
                for p in items:
                    exists = db.execute(
                        "select 1 from codings where transcript_id = ? and code_id = ? and coder = ? "
                        "and start = ? and end = ?",
                        [p["transcript_id"], p["code_id"], who, p["start"], p["end"]],
                    ).fetchone()
                    if exists:
                        report.unchanged += 1
                        continue
                    cs.insert("codings", {
                        "id": new_coding_id(), "transcript_id": p["transcript_id"],
                        "code_id": p["code_id"], "coder": who, "start": p["start"], "end": p["end"],
                        "memo": p["memo"], "flag": None, "created_at": now_iso(),
                    })
                    report.added += 1
                    report.by_coder[who] = report.by_coder.get(who, 0) + 1
                n = len(cs.rows)
                cs.summary = f"load {n} coding(s) from {path.name}"
    return report


def dump_codings(db: sqlite_utils.Database, path: Path | str, *, force: bool = False) -> int:
    """Write every coding (with its quote text and offsets) to ``.yaml``/``.yml`` or ``.csv``,
    in one piece; an existing file only with ``force``. Returns the number written."""
    import yaml

    from workbench.files import write_atomic, write_with
    from workbench.services.coding.passages import list_codings

    path = Path(path)
    rows = [
        {"transcript": r["transcript_id"], "code": r["code"], "coder": r["coder"],
         "quote": r["text"], "start": r["start"], "end": r["end"], "memo": r["memo"] or ""}
        for r in list_codings(db)
    ]
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        for r in rows:
            if not r["memo"]:
                del r["memo"]
        text = yaml.safe_dump({"codings": rows}, sort_keys=False, allow_unicode=True, width=100)
        write_atomic(path, text, force=force)
    elif suffix == ".csv":
        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
                writer.writeheader()
                writer.writerows({k: spreadsheet_cell(v) for k, v in r.items()} for r in rows)

        write_with(path, write, force=force)
    else:
        raise WorkbenchError("codings files are .yaml, .yml or .csv", path=path)
    return len(rows)
