"""Exports for drafting the report: quotes (md, docx, csv, json) and chapters (md, docx).

Everything is written to the project's ``exports/`` folder under a name that says what and when
(``quotes-4.3-20261123-181502.md``), never over an existing file without ``force``. Quotes whose
shown words overlap an open anonymity flag are refused unless ``allow_flagged``.

The public entry points (imported lazily so that this package stays cheap to import):

- :func:`preview_chapter` ``(project_or_db, survey_theme_ids=None, coder=None) -> str``
- :func:`write_chapter` ``(project, survey_theme_ids=None, *, coder, fmt, force, allow_flagged) -> Path``
- :func:`write_quotes` ``(project, *, theme, survey_theme, coder, fmt, force, allow_flagged) -> Path``
- :func:`chapter_problems` ``(project_or_db, survey_theme_ids=None, coder=None) -> list[FlaggedQuote]``
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "preview_chapter": "workbench.exports.chapter",
    "write_chapter": "workbench.exports.chapter",
    "build_chapter": "workbench.exports.chapter",
    "chapter_problems": "workbench.exports.chapter",
    "write_quotes": "workbench.exports.quotes_export",
    "write_quotes_report": "workbench.exports.quotes_export",
    "write_chapter_report": "workbench.exports.chapter",
    "chapter_markdown": "workbench.exports.chapter",
    "Written": "workbench.exports.flags",
    "FLAG_MARK": "workbench.exports.flags",
    "export_rows": "workbench.exports.quotes_export",
    "FlaggedQuotesError": "workbench.exports.flags",
    "FlaggedQuote": "workbench.exports.flags",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workbench.exports' has no attribute {name!r}")
