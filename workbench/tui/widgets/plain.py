"""Text widgets that never read their content as markup.

Everything the workbench shows in a status line, a title or a detail pane may hold a
researcher's or another program's words: a code named ``[/bold]`` or a role ``[link=…]``
must appear as written, not style the screen or crash it (Textual raises ``MarkupError`` on a
stray closing tag). The screens import ``Static`` and ``Label`` from here; styled text is
built as ``rich.text.Text`` with styles, never as markup strings.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Label as _Label
from textual.widgets import Static as _Static


class Static(_Static):
    """:class:`textual.widgets.Static` with ``markup=False`` unless asked otherwise."""

    def __init__(self, *args: Any, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, markup=markup, **kwargs)


class Label(_Label):
    """:class:`textual.widgets.Label` with ``markup=False`` unless asked otherwise."""

    def __init__(self, *args: Any, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, markup=markup, **kwargs)
