"""Terminal screens for seeing the analysis: the thematic map (:class:`MapScreen`), code
matrices with the extracts behind a cell (:class:`MatrixScreen`, :class:`ExtractsModal`) and
the phase dashboard (:class:`ProgressScreen`). Each is a self-contained Textual ``Screen``
taking ``(project, coder)``; the logic lives in :mod:`workbench.services.visual`.
"""

from __future__ import annotations

__all__ = ["MapScreen", "MatrixScreen", "ExtractsModal", "ProgressScreen"]


def __getattr__(name: str):
    if name == "MapScreen":
        from workbench.tui.visual.map_view import MapScreen

        return MapScreen
    if name in ("MatrixScreen", "ExtractsModal"):
        from workbench.tui.visual import matrix_view

        return getattr(matrix_view, name)
    if name == "ProgressScreen":
        from workbench.tui.visual.progress_view import ProgressScreen

        return ProgressScreen
    raise AttributeError(name)
