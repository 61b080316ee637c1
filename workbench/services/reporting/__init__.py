"""Reporting, the use cases: exports for drafting the report: quotes (md, docx, csv, json) and chapters (md, docx).

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
    "preview_chapter": "workbench.services.reporting.chapter",
    "write_chapter": "workbench.services.reporting.chapter",
    "build_chapter": "workbench.services.reporting.chapter",
    "chapter_problems": "workbench.services.reporting.chapter",
    "write_quotes": "workbench.services.reporting.quotes_export",
    "write_quotes_report": "workbench.services.reporting.quotes_export",
    "write_chapter_report": "workbench.services.reporting.chapter",
    "chapter_markdown": "workbench.services.reporting.chapter",
    "Written": "workbench.services.reporting.flags",
    "FLAG_MARK": "workbench.services.reporting.flags",
    "export_rows": "workbench.services.reporting.quotes_export",
    "FlaggedQuotesError": "workbench.services.reporting.flags",
    "FlaggedQuote": "workbench.services.reporting.flags",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workbench.services.reporting' has no attribute {name!r}")
