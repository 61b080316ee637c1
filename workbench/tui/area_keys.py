"""The keys of the workbench's areas (one digit each), shared by the app and the first screen.

The app binds them everywhere but hides them in the footer (room); the transcripts screen, the
first one a user sees, shows them in its footer. Their full names are in ``?`` and Ctrl+P.
"""

from __future__ import annotations

from textual.binding import Binding

AREA_BINDINGS = [
    Binding("3", "area('map')", "Map", show=False, id="app.area.map"),
    Binding("4", "area('matrix')", "Matrix", show=False, id="app.area.matrix"),
    Binding("5", "area('agreement')", "Agreement", show=False, id="app.area.agreement"),
    Binding("6", "area('export')", "Export", show=False, id="app.area.export"),
    Binding("7", "area('audit')", "Audit", show=False, id="app.area.audit"),
    Binding("8", "area('progress')", "Dashboard", show=False, id="app.area.progress"),
]
