"""Command palette (Ctrl+P): every key binding of the current screen by name, plus commands
that need an argument (open a transcript, review a code, set the phase, compare with a coder).

Commands are built from the live bindings, so a new key binding is in the palette without
further work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.tui.screens.help import key_text

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class WorkbenchCommands(Provider):
    """Actions of the current screen and the workbench's argument commands."""

    async def startup(self) -> None:
        self._data: list[tuple[str, str, Callable[[], object]]] = []
        self._general: list[tuple[str, str, Callable[[], object]]] = []
        app = cast("WorkbenchApp", self.app)  # the provider of the workbench's own app
        db = app.project.db
        from workbench.services.team import PHASES, coders
        from workbench.services.transcripts.library import list_transcripts

        for row in list_transcripts(db):
            self._data.append((f"Open transcript {row['label']} ({row['id']})",
                               f"{row['municipality']} · {row['domain']}",
                               partial(app.open_transcript, row["id"])))
        for row in db.query("select id, kind, name from codes order by kind desc, name"):
            self._data.append((f"Review {row['kind']} {row['name']}",
                               "every coded extract, grouped by transcript",
                               partial(app.open_review, row["id"])))
        for area, (name, what) in app.AREAS.items():
            key = next((b.key for b in app.BINDINGS
                        if isinstance(b, Binding) and b.id == f"app.area.{area}"), "")
            self._general.append((name, f"{what} · key: {key_text(key)}",
                                  partial(app.action_area, area)))
        self._general.append(("Import transcripts…", "files or folders (.txt, .docx, .vtt, .srt); "
                           "progress and a result per file",
                           app.action_import_transcripts))
        self._general.append(("Import codebook file…", "codebook.yaml or a .qdc: see the changes "
                           "and conflicts first, then choose",
                           app.action_import_codebook))
        self._data.extend(self._general)  # the general ones show on an empty palette too
        for n, name in PHASES.items():
            self._data.append((f"Set phase {n}: {name}", "Braun & Clarke phase shown in the header",
                               partial(app.set_phase, n)))
        from workbench.services.team import whose

        for who in [*coders(db), None]:
            self._data.append((f"Counts: show {whose(who)}",
                               "the codebook counts and theme review (the header says whose)",
                               partial(app.set_view_coder, who)))
        screen = self.screen
        if hasattr(screen, "set_other"):
            me = app.coder
            for name in coders(db):
                if name != me:
                    self._data.append((f"Compare with coder {name}",
                                       "show their codings beside yours (read-only)",
                                       partial(screen.set_other, name)))

    def _binding_commands(self, with_owner: bool = False) -> Iterator[tuple]:
        """``(description, help, run)`` for every active binding of the screen; with
        ``with_owner`` also whether the binding is the workbench's own (has an id)."""
        seen: set[tuple[int, str]] = set()
        keys: dict[tuple[int, str], list[str]] = {}
        bindings = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            ident = (id(active.node), binding.action)
            keys.setdefault(ident, []).append(key)
            if ident in seen or not binding.description or not active.enabled:
                continue
            if (binding.id or "").startswith("app.area."):
                continue  # offered by their full names (see startup)
            seen.add(ident)
            bindings.append((ident, active))
        for ident, active in bindings:
            action = active.binding.action
            node = active.node
            shown = key_text(",".join(keys[ident]))

            def run(action: str = action, node=node) -> None:
                self.app.call_later(self.app.run_action, action, node)

            if with_owner:
                yield active.binding.description, f"key: {shown}", run, bool(active.binding.id)
            else:
                yield active.binding.description, f"key: {shown}", run

    def _all(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        yield from self._binding_commands()
        yield from self._data

    async def discover(self) -> Hits:
        """On an empty palette: the workbench's own keys of this screen (not a widget's
        Up/Down), then the areas and imports."""
        for text, help_text, callback, own in self._binding_commands(with_owner=True):
            if own:
                yield DiscoveryHit(text, callback, help=help_text)
        for text, help_text, callback in self._general:
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._all():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
