"""The codebook panel: a tree of themes and codes with their counts.

It loads in a thread worker (counts over every coding can take a moment on a big project) and
keeps the cursor and the open themes across reloads. Each line fits the panel: the name in
full where there is room (else cut with "…") and the counts right-aligned in one column,
always visible. Posts :class:`CodebookPanel.Chosen` when
the user presses Enter on a node; the edit actions (rename, edit, move, merge, add) live on the
screen that owns the data flow, see :mod:`workbench.tui.screens.codebook_actions`.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.tui.base import workbench_of


def counts_text(row: dict) -> str:
    """``codings·interviews`` of a codebook row."""
    return f"{row['codings']}·{row['transcripts']}"


def _depth(node: TreeNode[dict]) -> int:
    """How deep a node sits below the (hidden) root: 0 for the top level."""
    depth = 0
    parent = node.parent
    while parent is not None and parent.parent is not None:
        depth += 1
        parent = parent.parent
    return depth


def fit_label(label: Text, counts: str, room: int, style: Style | str = "") -> Text:
    """``label`` (ending in two spaces and ``counts``) laid out in ``room`` cells: the counts
    right-aligned, the part before them cut with "…" only when it is too long."""
    plain = label.plain
    if not plain.endswith(counts):
        return label
    head = label[: len(plain) - len(counts) - 2]
    tail = label[len(plain) - len(counts):]
    width = room - len(counts) - 1  # at least one space between the name and the counts
    if head.cell_len > width:
        head.truncate(max(1, width - 1))
        head.append("…", style=style)
    head.append(" " * max(1, room - head.cell_len - tail.cell_len), style=style)
    head.append_text(tail)
    return head


class CodebookPanel(Tree[dict]):
    """Themes (expandable) and codes, each with codings · interviews."""

    DEFAULT_CSS = """
    CodebookPanel { width: 1fr; }
    """

    #: The longest line with its counts, in cells (set when the rows arrive).
    _natural_width = 0

    BINDINGS = [
        Binding("r,f2", "app.codebook('rename')", "Rename", id="codebook.rename"),
        Binding("e", "app.codebook('edit')", "Definition", id="codebook.edit"),
        Binding("n", "app.codebook('memo')", "Code memo", show=False, id="codebook.memo"),
        Binding("f", "app.codebook('similar')", "Find similar passages", show=False, id="codebook.similar"),
        Binding("m", "app.codebook('move')", "Move", id="codebook.move"),
        Binding("M", "app.codebook('merge')", "Merge", id="codebook.merge"),
        Binding("a", "app.codebook('add_code')", "Add code", id="codebook.add_code"),
        Binding("right", "open_node", "Open theme", show=False, id="codebook.open"),
        Binding("left", "close_node", "Close theme", show=False, id="codebook.close"),
        Binding("A", "app.codebook('add_theme')", "Add theme", show=False,
                id="codebook.add_theme"),
    ]

    class Chosen(Message):
        """Enter on a code or theme."""

        def __init__(self, panel: CodebookPanel, row: dict) -> None:
            super().__init__()
            self.panel = panel
            self.row = row

        @property
        def control(self) -> CodebookPanel:
            return self.panel

    class Loaded(Message):
        def __init__(self, panel: CodebookPanel) -> None:
            super().__init__()
            self.panel = panel

        @property
        def control(self) -> CodebookPanel:
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Codebook", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self.rows: list[dict] = []

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self.call_after_refresh(self.reload)  # after the first paint

    def reload_soon(self, delay: float = 0.3) -> None:
        """Reload after a short pause (a burst of codings reloads once, after the redraw)."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self.reload)

    @work(thread=True, exclusive=True, group="codebook-panel", exit_on_error=False)
    def reload(self) -> None:
        from workbench.services.codebook.codes import codebook_tree

        coder = getattr(self.app, "view_coder", None)
        rows = codebook_tree(workbench_of(self).project.db, coder)
        self.app.call_from_thread(self.populate, rows, coder)

    def populate(self, rows: list[dict], coder: str | None = None) -> None:
        """Show the rows (counts of ``coder``'s codings, as the header says)."""
        current = self.cursor_node.data["id"] if self.cursor_node and self.cursor_node.data else None
        shown = [n for n in self._all_nodes() if n.data]
        opened = {n.data["id"] for n in shown if n.data and n.is_expanded}
        known = {n.data["id"] for n in shown if n.data}
        first_load = not self.rows
        self.rows = rows
        self._natural_width = max(
            [r["depth"] * self.guide_depth + 2 + len(r["name"]) + 2 + len(counts_text(r))
             for r in rows] + [0])
        self.clear()
        nodes: dict[str | None, TreeNode[dict]] = {None: self.root}
        target = None
        for row in rows:
            parent = nodes.get(row["parent_id"], self.root)
            label = self._label(row)
            if row["kind"] == "theme":
                # Themes stay as they were; a theme new here (a move into it) opens.
                node = parent.add(label, data=row,
                                  expand=first_load or row["id"] in opened or row["id"] not in known)
            else:
                node = parent.add_leaf(label, data=row)
            nodes[row["id"]] = node
            if row["id"] == current:
                target = node
        if not rows:
            self.root.add_leaf(Text("(no codes yet: select text and press c)", style="dim"))
        if target is not None:
            up = target.parent
            while up is not None and up is not self.root:  # the highlighted row stays in view
                up.expand()
                up = up.parent
            self.call_after_refresh(self.move_cursor, target)
        self.post_message(self.Loaded(self))

    def on_focus(self) -> None:
        """Tab into the panel highlights a row at once, so its keys (m, r, e …) work."""
        if self.cursor_line < 0 and self.rows:
            self.cursor_line = 0

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def action_close_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def _all_nodes(self) -> list[TreeNode[dict]]:
        out: list[TreeNode[dict]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    @staticmethod
    def _label(row: dict) -> Text:
        """The natural label (name, then the counts); :meth:`render_label` fits it."""
        text = Text()
        if row["kind"] == "theme":
            text.append(row["name"], style="bold")
        else:
            text.append("■ ", style=row.get("colour") or "white")
            text.append(row["name"])
        text.append(f"  {counts_text(row)}", style="dim")
        return text

    def render_label(self, node: TreeNode[dict], base_style: Style, style: Style) -> Text:
        """Name and counts fitted to the panel: the counts right-aligned in one column (just
        right of the longest name, or at the panel's edge), the name cut with "…" only when
        it does not fit."""
        label = super().render_label(node, base_style, style)
        row = node.data
        width = self.size.width
        lines = self._tree_lines_cached  # set before the labels are measured (Tree._build)
        if lines is None or len(lines) > self.size.height:
            width -= self.styles.scrollbar_size_vertical  # the scrollbar takes its columns
        # The counts in one column: right of the longest line, or at the edge when it does not fit.
        room = min(width, self._natural_width) - _depth(node) * self.guide_depth
        if not row or room < 12:
            return label
        return fit_label(label, counts_text(row), room, style)

    @property
    def current(self) -> dict | None:
        node = self.cursor_node
        return node.data if node is not None and node.data else None

    def select_id(self, code_id: str) -> None:
        for node in self._all_nodes():
            if node.data and node.data["id"] == code_id:
                if node.parent is not None:
                    node.parent.expand()
                self.call_after_refresh(self.move_cursor, node)
                return

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data:
            self.post_message(self.Chosen(self, event.node.data))
