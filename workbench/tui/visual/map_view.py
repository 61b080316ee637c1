"""The thematic map in the terminal: a navigable tree of survey themes, themes, sub-themes and
codes with their interview counts, rebuilt from the current codebook whenever it changes.

Keys: arrows move, Space folds, ``c`` shows or hides co-occurring codes under each code, ``+`` and
``-`` change the co-occurrence threshold, ``r`` rebuilds now, Enter opens theme review on the
highlighted theme or code (when the workbench app offers it), Escape goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Tree
from textual.widgets.tree import TreeNode

from workbench.services.visual.map_model import MapNode, ThematicMap
from workbench.tui.visual.live import LiveScreen
from workbench.tui.widgets.plain import Static


def _plural(n: int, word: str = "interview") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class MapScreen(LiveScreen):
    """``MapScreen(project, coder)``: the thematic map as a tree, always current."""

    DEFAULT_CSS = """
    MapScreen #map-body { height: 1fr; }
    MapScreen #map-tree { width: 3fr; }
    MapScreen #map-details { width: 2fr; min-width: 30; padding: 0 1; border-left: tall $panel; }
    MapScreen .status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    BINDINGS = [
        Binding("c", "toggle_cooccurrence", "Co-occurrence", id="map.cooccurrence"),
        Binding("plus,equals_sign", "threshold(1)", "Min +1", show=False, id="map.min_up"),
        Binding("minus", "threshold(-1)", "Min −1", show=False, id="map.min_down"),
        Binding("r", "rebuild", "Rebuild", show=False, id="map.rebuild"),
        Binding("escape", "back", "Back", id="map.back"),
    ]

    def __init__(self, project, coder: str | None = None) -> None:
        super().__init__(project, coder)
        self.map: ThematicMap | None = None
        self.show_cooccurrence = False
        self.min_count = 2
        self.builds = 0  # how many times the tree was rebuilt (for tests and the status line)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="map-body"):
            yield Tree("Thematic map", id="map-tree")
            yield Static("", id="map-details")
        yield Static("", id="map-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.auto_expand = False  # Space folds; Enter opens theme review
        tree.focus()

    # -- building ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.refresh_map()

    def refresh_map(self) -> None:
        """Rebuild the map from the database now (keeps folds and the cursor)."""
        self._build(self.show_cooccurrence, self.min_count)

    @work(thread=True, exclusive=True, group="map", exit_on_error=False)
    def _build(self, cooccurrence: bool, min_count: int) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services.visual.map_model import build_map
        from workbench.services.visual.survey_source import load_survey_themes

        db = self.project.db
        try:
            survey = load_survey_themes(self.project)
        except WorkbenchError as exc:
            survey = []
            self.app.call_from_thread(self.notify, str(exc), title="Survey themes",
                                      severity="warning")
        m = build_map(db, survey_themes=survey, cooccurrence=cooccurrence, min_count=min_count)
        self.app.call_from_thread(self._fill, m)

    def _fill(self, m: ThematicMap) -> None:
        tree = self.query_one(Tree)
        expanded = {n.data["id"] for n in self._walk_tree(tree.root) if n.data and n.is_expanded}
        cursor = tree.cursor_node.data["id"] if tree.cursor_node and tree.cursor_node.data else None
        first = self.map is None
        self.map = m
        tree.clear()
        tree.root.set_label(Text.assemble(
            ("Thematic map", "bold"),
            f" · {len(m.themes)} themes · {len(m.codes)} codes · {m.total_interviews} interviews"))
        tree.root.data = {"id": "(root)", "kind": "root"}
        names = {n.id: n.name for n in m.nodes()}
        co: dict[str, list[tuple[str, int]]] = {}
        for link in m.cooccurrence:
            co.setdefault(link.a, []).append((link.b, link.interviews))
            co.setdefault(link.b, []).append((link.a, link.interviews))
        for group in m.groups:
            self._add(tree.root, group, names, co)
        if m.linked_survey:
            branch = tree.root.add(Text("Survey themes", style="bold #b07d1a"),
                                   data={"id": "(survey)", "kind": "survey-root"})
            for s in m.linked_survey:
                node = branch.add(Text.assemble((s.id, "bold"), f" {s.title}"),
                                  data={"id": f"survey:{s.id}", "kind": "survey"})
                for code_id, sid in m.survey_links:
                    if sid == s.id:
                        node.add_leaf(f"→ {names.get(code_id, code_id)}",
                                      data={"id": f"survey:{s.id}:{code_id}", "kind": "link",
                                            "target": code_id})
        tree.root.expand()
        for node in self._walk_tree(tree.root):
            if node.data and (node.data["id"] in expanded
                              or (first and node.data["kind"] in ("theme", "unthemed"))):
                node.expand()
        if cursor:
            for node in self._walk_tree(tree.root):
                if node.data and node.data["id"] == cursor:
                    tree.move_cursor(node)
                    break
        self.builds += 1
        extra = (f" · co-occurrence ≥{self.min_count} interviews (+/−)" if self.show_cooccurrence
                 else " · c: co-occurrence")
        self.query_one("#map-status", Static).update(
            f"numbers are interviews (of {m.total_interviews}){extra} · r rebuild")
        self._details(tree.cursor_node)

    def _add(self, parent: TreeNode, n: MapNode, names: dict, co: dict) -> None:
        if n.kind == "code":
            label = Text()
            label.append("■ ", style=n.colour or "grey50")
            label.append(n.name)
            label.append(f"  {n.interviews}", style="bold cyan")
            if n.survey:
                label.append(f"  [{' '.join(n.survey)}]", style="#b07d1a")
            pairs = co.get(n.id, []) if self.show_cooccurrence else []
            if not pairs:
                parent.add_leaf(label, data={"id": n.id, "kind": "code"})
                return
            node = parent.add(label, data={"id": n.id, "kind": "code"})
            for other, count in pairs:
                node.add_leaf(Text(f"↔ {names.get(other, other)} · {_plural(count)}",
                                   style="magenta"),
                              data={"id": f"{n.id}↔{other}", "kind": "cooccurrence",
                                    "target": other})
            return
        style = {"theme": "bold", "subtheme": "bold italic", "unthemed": "bold dim"}[n.kind]
        label = Text.assemble((n.name, style), (f"  {_plural(n.interviews)}", "cyan"))
        if n.survey:
            label.append(f"  [{' '.join(n.survey)}]", style="#b07d1a")
        node = parent.add(label, data={"id": n.id, "kind": n.kind})
        for child in n.children:
            self._add(node, child, names, co)

    @staticmethod
    def _walk_tree(root: TreeNode):
        stack = [root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    # -- details ----------------------------------------------------------------------------
    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._details(event.node)

    def _details(self, node: TreeNode | None) -> None:
        panel = self.query_one("#map-details", Static)
        if self.map is None or node is None or not node.data:
            panel.update("")
            return
        node_id = node.data.get("target") or node.data["id"]
        try:
            n = self.map.node(node_id)
        except KeyError:
            panel.update(Text(node.label.plain if hasattr(node.label, "plain") else str(node.label)))
            return
        kind = {"theme": "Theme", "subtheme": "Sub-theme", "code": "Code",
                "unthemed": "Codes not in a theme"}[n.kind]
        out = Text()
        out.append(f"{kind}\n", style="dim")
        out.append(f"{n.name}\n\n", style="bold")
        out.append(f"{_plural(n.interviews)} of {self.map.total_interviews} · "
                   f"{_plural(n.respondents, 'respondent')} · {_plural(n.codings, 'extract')}\n")
        if n.kind != "code" and n.children:
            out.append(f"{len(n.codes)} codes\n")
        if n.survey:
            titles = {s.id: s.title for s in self.map.survey}
            out.append("\nSurvey themes\n", style="bold #b07d1a")
            for sid in n.survey:
                out.append(f"  {sid} {titles.get(sid, '')}\n")
        if n.kind in ("theme", "subtheme"):
            out.append("\nDefinition\n", style="bold")
            out.append((n.definition or "— none yet (phase 5) —") + "\n",
                       style="" if n.definition else "dim italic")
        panel.update(out)

    # -- actions ----------------------------------------------------------------------------
    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data or {}
        target = data.get("target") or data.get("id")
        reviewable = data.get("kind") in ("theme", "subtheme", "code", "link", "cooccurrence")
        if reviewable and hasattr(self.app, "open_review"):
            self.wb.open_review(target)
        else:
            event.node.toggle()

    def action_toggle_cooccurrence(self) -> None:
        self.show_cooccurrence = not self.show_cooccurrence
        self.refresh_map()

    def action_threshold(self, delta: int) -> None:
        self.min_count = max(1, self.min_count + delta)
        if self.show_cooccurrence:
            self.refresh_map()
        self.notify(f"co-occurrence: pairs in at least {_plural(self.min_count)}")

    def action_rebuild(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
