"""The transcript reader: a line-API ``ScrollView`` that draws only the rows on screen.

It shows each turn with its speaker and time (interviewer turns dim and italic), the text
wrapped to the widget's width (cached per width), coded passages tinted with their code colour,
and a gutter on the right naming the codes on each line. A second, read-only gutter shows
another coder's codings, which are also underlined in the text. Open anonymity flags are drawn
in red, underlined twice, with ⚑ in the gutter. A cursor moves by sentence or turn; a selection
grows by sentence or by word; a click puts the cursor on a sentence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.tui.widgets.layout import (
    BLANK,
    HEADER,
    Layout,
    build_layout,
    next_word_end,
    next_word_start,
    prev_word_start,
    word_end,
)

INDENT = 2
GUTTER = 22
OTHER_GUTTER = 16
# How text is drawn (offsets unchanged: one character for one): a tab as a space, and a
# zero-width joiner as a zero-width space. Terminals draw a joined emoji sequence (👨‍👩‍👧)
# in 2 cells where the width tables count 6, which shifted the rest of its line 4 cells; drawn
# unjoined, the sequence takes the cells that are counted.
_DISPLAY = str.maketrans({"\t": " ", "\u200d": "\u200b"})


@dataclass
class Span:
    """A coding as the reader draws it."""

    id: str
    code_id: str
    name: str
    colour: str
    coder: str
    start: int
    end: int
    memo: str = ""


class TranscriptView(ScrollView, can_focus=True):
    """A read-only transcript with a sentence cursor, a selection and code highlights."""

    COMPONENT_CLASSES = {
        "transcript--header",
        "transcript--interviewer",
        "transcript--cursor",
        "transcript--selection",
        "transcript--point",
        "transcript--gutter",
        "transcript--flag",
    }

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        overflow-x: hidden;
    }
    TranscriptView > .transcript--header { text-style: bold; color: $text-accent; }
    TranscriptView > .transcript--interviewer { text-style: italic; color: $text-muted; }
    TranscriptView > .transcript--cursor { background: $accent 30%; }
    TranscriptView > .transcript--point { text-style: reverse underline; }
    TranscriptView > .transcript--selection { background: $primary; color: $text; text-style: bold; }
    TranscriptView > .transcript--gutter { color: $text-muted; }
    TranscriptView > .transcript--flag { color: $text-error; text-style: bold uu; }
    """

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Next sentence", show=False, id="reader.next"),
        Binding("k,up", "cursor(-1)", "Previous sentence", show=False, id="reader.prev"),
        Binding("J,pagedown", "turn(1)", "Turn", key_display="J", id="reader.next_turn"),
        Binding("K,pageup", "turn(-1)", "Previous turn", show=False, id="reader.prev_turn"),
        Binding("shift+down", "extend_sentence(1)", "Select", key_display="⇧↓",
                id="reader.select_down"),
        Binding("shift+up", "extend_sentence(-1)", "Select back", show=False,
                id="reader.select_up"),
        Binding("right", "word(1)", "Next word", show=False, id="reader.next_word"),
        Binding("left", "word(-1)", "Previous word", show=False, id="reader.prev_word"),
        Binding("shift+right", "extend_word(1)", "Select word", show=False,
                id="reader.select_word"),
        Binding("shift+left", "extend_word(-1)", "Unselect word", show=False,
                id="reader.unselect_word"),
        Binding("escape", "clear_selection", "Clear selection", show=False,
                id="reader.clear"),
        Binding("g,home", "jump(0)", "First sentence", show=False, id="reader.top"),
        Binding("G,end", "jump(-1)", "Last sentence", show=False, id="reader.bottom"),
    ]

    show_other: reactive[bool] = reactive(False, init=False)

    class CursorMoved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = ""
        self.respondent_label = ""
        self.turns: list[dict] = []
        self.sentences: list[tuple[int, int, int]] = []  # (start, end, turn_idx)
        self.sentence_numbers: list[int] = []
        self._sent_starts: list[int] = []
        self._sent_ends: list[int] = []
        self._turn_first: dict[int, int] = {}
        self._roles: dict[int, str] = {}
        self.own: list[Span] = []
        self.other: list[Span] = []
        self.flags: list[tuple[int, int]] = []  # open anonymity flags [start, end)
        self._line_flags: dict[int, list[tuple[int, int]]] = {}
        self.cursor = 0
        self.mark: int | None = None
        self.head: int | None = None
        self.point: int | None = None  # the word cursor: the start of a word (None: sentences)
        self._layouts: dict[int, Layout] = {}
        self._layout: Layout | None = None
        self._line_spans: dict[int, list[Span]] = {}
        self._line_other: dict[int, list[Span]] = {}
        self._version = 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(2000)
        self._tints: dict[str, Style] = {}
        self.loaded = False

    # -- data -----------------------------------------------------------------------------
    def load(self, text: str, turns: list[dict], sentences: list[dict],
             own: list[Span], other: list[Span] | None = None, *,
             respondent_label: str = "") -> None:
        """Show a transcript (drops cached layouts)."""
        self.text = text
        self.respondent_label = respondent_label
        self.turns = turns
        self._roles = {t["idx"]: (t.get("role") or "") for t in turns}
        self.sentences = [(s["start"], s["end"], s["turn_idx"]) for s in sentences]
        #: The stored (0-based) number of each sentence: what the CLI takes (--sentence N, T:N).
        self.sentence_numbers = [s.get("idx", i) for i, s in enumerate(sentences)]
        self._sent_starts = [s[0] for s in self.sentences]
        self._sent_ends = [s[1] for s in self.sentences]
        self._turn_first = {}
        for i, (_s, _e, turn) in enumerate(self.sentences):
            self._turn_first.setdefault(turn, i)
        self.own = own
        self.other = other or []
        self.cursor = 0
        self.mark = self.head = None
        self._layouts.clear()
        self._layout = None
        self.loaded = True
        self._relayout()
        self._moved()

    def set_codings(self, own: list[Span], other: list[Span] | None = None) -> None:
        self.own = own
        if other is not None:
            self.other = other
        self._index_codings()
        self.refresh()

    def set_flags(self, flags: list[tuple[int, int]]) -> None:
        """Mark open anonymity flags (spans of the text)."""
        self.flags = sorted(flags)
        self._index_codings()
        self.refresh()

    def flags_at(self, start: int, end: int) -> list[tuple[int, int]]:
        return [f for f in self.flags if f[0] < end and f[1] > start]

    def add_span(self, span: Span) -> None:
        """Show one new coding of this coder without re-reading or re-indexing the others."""
        self.own.append(span)
        self._version += 1
        if self._layout is not None:
            first, last = self._layout.rows_of_span(span.start, span.end)
            for row in range(first, last + 1):
                self._line_spans.setdefault(row, []).append(span)
        self.refresh()

    # -- layout ---------------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        return GUTTER + (OTHER_GUTTER if self.show_other else 0)

    @property
    def text_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(20, width - self.gutter_width - INDENT - 2)

    def _relayout(self) -> None:
        if not self.loaded:
            return
        width = self.text_width
        layout = self._layouts.get(width)
        if layout is None:
            if len(self._layouts) > 4:
                self._layouts.clear()
            layout = self._layouts[width] = build_layout(self.text, self.turns, width)
        self._layout = layout
        self._index_codings()
        self.virtual_size = Size(width + INDENT + 2 + self.gutter_width, len(layout.lines))
        self.refresh()

    def _index_codings(self) -> None:
        self._version += 1
        self._line_spans = self._index(self.own)
        self._line_other = self._index(self.other)
        self._line_flags = {}
        if self._layout is not None:
            for a, b in self.flags:
                first, last = self._layout.rows_of_span(a, b)
                for row in range(first, last + 1):
                    self._line_flags.setdefault(row, []).append((a, b))

    def _index(self, spans: list[Span]) -> dict[int, list[Span]]:
        out: dict[int, list[Span]] = {}
        if self._layout is None:
            return out
        for span in spans:
            first, last = self._layout.rows_of_span(span.start, span.end)
            for row in range(first, last + 1):
                out.setdefault(row, []).append(span)
        return out

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self._ensure_cursor_visible()

    def watch_show_other(self, _value: bool) -> None:
        self._relayout()

    # -- cursor and selection ---------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``[start, end)``, or None."""
        if self.mark is None or self.head is None or self.mark == self.head:
            return None
        return min(self.mark, self.head), max(self.mark, self.head)

    @property
    def cursor_span(self) -> tuple[int, int] | None:
        if not self.sentences:
            return None
        s, e, _t = self.sentences[self.cursor]
        return s, e

    @property
    def target_span(self) -> tuple[int, int] | None:
        """What an action works on: the selection, else the sentence under the cursor."""
        return self.selection or self.cursor_span

    def sentence_at(self, offset: int) -> int:
        if not self.sentences:
            return 0
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        return min(max(i, 0), len(self.sentences) - 1)

    def codings_at(self, start: int, end: int, *, own: bool = True) -> list[Span]:
        spans = self.own if own else self.other
        return [s for s in spans if s.start < end and s.end > start]

    def move_to_offset(self, offset: int, *, select_to: int | None = None) -> None:
        """Put the cursor on the sentence at ``offset`` (optionally select up to an offset)."""
        self.cursor = self.sentence_at(offset)
        self.point = None
        if select_to is not None and select_to > offset:
            self.mark, self.head = offset, select_to
        else:
            self.mark = self.head = None
        self._moved(center=True)

    def action_scroll_left(self) -> None:
        """The text wraps to the width: → and ← never scroll it sideways (the turn numbers in
        the gutter stay in view)."""

    def action_scroll_right(self) -> None:
        """See :meth:`action_scroll_left`."""

    def scroll_to_cursor(self) -> None:
        """Bring the cursor into view (centred); call after a layout, e.g. a first load."""
        self._ensure_cursor_visible(center=True)

    def action_cursor(self, delta: int) -> None:
        if not self.sentences:
            return
        self.cursor = min(max(self.cursor + delta, 0), len(self.sentences) - 1)
        self.mark = self.head = self.point = None
        self._moved()

    def action_jump(self, where: int) -> None:
        if not self.sentences:
            return
        self.cursor = 0 if where == 0 else len(self.sentences) - 1
        self.mark = self.head = self.point = None
        self._moved()

    def action_turn(self, delta: int) -> None:
        if not self.sentences:
            return
        current = self.sentences[self.cursor][2]
        firsts = sorted(self._turn_first.items())
        turns = [t for t, _ in firsts]
        pos = bisect.bisect_left(turns, current)
        if delta > 0:
            pos = min(pos + 1, len(turns) - 1)
        elif self.cursor == self._turn_first[current]:
            pos = max(pos - 1, 0)
        self.cursor = firsts[pos][1]
        self.mark = self.head = self.point = None
        self._moved()

    def action_extend_sentence(self, delta: int) -> None:
        if not self.sentences:
            return
        s, e, _t = self.sentences[self.cursor]
        if self.selection is None or self.mark is None or self.head is None:
            mark, head = (s, e) if delta > 0 else (e, s)
        else:
            mark, head = self.mark, self.head
            if delta > 0:
                i = bisect.bisect_right(self._sent_ends, head)
                if i < len(self.sentences):
                    head = self._sent_ends[i]
            else:
                i = bisect.bisect_left(self._sent_starts, head) - 1
                if i >= 0:
                    head = self._sent_starts[i]
        self.mark, self.head = mark, head
        self.cursor = self.sentence_at(max(head - 1, 0) if head > mark else head)
        self._moved()

    def action_word(self, delta: int) -> None:
        """→ / ←: the word cursor to the next / previous word (into the next or previous
        sentence at its edges); a selection then starts there with ⇧→."""
        if not self.sentences:
            return
        s, e, _t = self.sentences[self.cursor]
        if self.point is None:
            point = s if delta > 0 else prev_word_start(self.text, e, s)
        elif delta > 0:
            found = next_word_start(self.text, self.point, len(self.text))
            if found is None:
                return
            point = found
        else:
            if self.point <= 0:
                return
            point = prev_word_start(self.text, self.point, 0)
        self.point = point
        self.mark = self.head = None
        self.cursor = self.sentence_at(point)
        self._moved()

    @property
    def point_span(self) -> tuple[int, int] | None:
        """The word under the word cursor, or None."""
        if self.point is None:
            return None
        return self.point, word_end(self.text, self.point, len(self.text))

    def action_extend_word(self, delta: int) -> None:
        """⇧→ / ⇧←: grow or shrink the selection by a word. Without a selection it starts at
        the word cursor (else at the sentence's first or last word)."""
        if not self.sentences:
            return
        s, e, _t = self.sentences[self.cursor]
        if self.selection is None or self.mark is None or self.head is None:
            if self.point is not None:
                mark = self.point if delta > 0 else word_end(self.text, self.point, len(self.text))
            else:
                mark = s if delta > 0 else e
            head = mark
        else:
            mark, head = self.mark, self.head
        if delta > 0:
            head = next_word_end(self.text, head, len(self.text))
        elif head > mark:  # shrink: end on the word before, not on its space
            head = prev_word_start(self.text, head, mark)
            while head > mark and self.text[head - 1].isspace():
                head -= 1
        else:
            head = prev_word_start(self.text, head, 0)
        self.mark, self.head = mark, head
        self.cursor = self.sentence_at(max(head - 1, 0) if head > mark else head)
        self._moved()

    def action_clear_selection(self) -> None:
        if self.selection is None and self.point is None:
            raise SkipAction()  # let the screen use escape (go back)
        if self.selection is None:
            self.point = None
        self.mark = self.head = None
        self._moved()

    def _moved(self, *, center: bool = False) -> None:
        self._ensure_cursor_visible(center=center)
        self.refresh()
        self.post_message(self.CursorMoved(self))

    def _ensure_cursor_visible(self, *, center: bool = False) -> None:
        if self._layout is None or not self.sentences:
            return
        span = self.head if self.head is not None and self.selection else None
        s, e, _t = self.sentences[self.cursor]
        first, last = self._layout.rows_of_span(s, e)
        if span is not None:
            row = self._layout.row_of_offset(max(span - 1, 0))
            first, last = min(first, row), max(last, row)
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if center and not (top <= first and last < top + height):
            self.scroll_to(y=max(0, first - height // 3), animate=False)
        elif first < top:
            self.scroll_to(y=max(0, first - 1), animate=False)
        elif last >= top + height:
            self.scroll_to(y=last - height + 2, animate=False)

    # -- mouse ----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if self._layout is None or not self.sentences:
            return
        row = round(self.scroll_y) + event.y
        if not 0 <= row < len(self._layout.lines):
            return
        line = self._layout.lines[row]
        if line.kind == HEADER:
            offset = self.sentences[self._turn_first.get(line.turn, self.cursor)][0]
        else:
            col = round(self.scroll_x) + event.x - INDENT
            offset = min(max(line.start + max(col, 0), line.start), max(line.end - 1, line.start))
        index = self.sentence_at(offset)
        if event.shift:
            s, e, _t = self.sentences[index]
            if self.selection is None:
                cs, ce, _ = self.sentences[self.cursor]
                self.mark = cs if s >= cs else ce
            self.head = e if s >= (self.mark or 0) else s
            self.cursor = index
        else:
            self.cursor = index
            self.mark = self.head = None
        self.focus()
        self._moved()

    # -- drawing --------------------------------------------------------------------------
    def _tint(self, colour: str) -> Style:
        style = self._tints.get(colour)
        if style is None:
            try:
                code = Color.parse(colour or "#808080")
            except Exception:  # noqa: BLE001 - a colour from a hand-edited codebook
                code = Color.parse("#808080")
            background = self.styles.background if self.styles.background.a else Color(30, 30, 30)
            style = Style(bgcolor=background.blend(code, 0.35).rich_color)
            self._tints[colour] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if self._layout is None or row >= len(self._layout.lines):
            return Strip.blank(width, base)
        line = self._layout.lines[row]
        sel = self.selection
        cur = self.cursor_span
        key = (
            row, self._layout.width, self._version, self.show_other,
            _clip(sel, line.start, line.end), _clip(cur, line.start, line.end),
            _clip(self.point_span, line.start, line.end),
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, line, sel, cur, base)
            self._strips[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_row(self, row: int, line, sel, cur, base: Style) -> Strip:
        assert self._layout is not None
        text_w = self._layout.width
        interviewer = self._roles.get(line.turn, "") == "interviewer"
        turn_style = base + self.get_component_rich_style("transcript--interviewer") \
            if interviewer else base
        segments: list[Segment] = []
        if line.kind == HEADER:
            turn = self.turns[line.turn] if line.turn < len(self.turns) else {}
            label = speaker_label(turn, self.respondent_label)
            if turn.get("time"):
                label += f" · {turn['time']}"
            label = f"#{line.turn} {label}"[: text_w + INDENT]
            header = base + self.get_component_rich_style("transcript--header")
            if interviewer:
                header += Style(italic=True, dim=True)
            segments.append(Segment(label, header))
            used = len(label)
        elif line.kind == BLANK:
            used = 0
        else:
            segments.append(Segment(" " * INDENT, base))
            segments.extend(self._text_segments(row, line, sel, cur, turn_style))
            used = INDENT + (line.end - line.start)
        pad = text_w + INDENT + 2 - used
        if pad > 0:
            segments.append(Segment(" " * pad, base))
        segments.extend(self._gutter(row, line, base))
        return Strip(segments).simplify()

    def _text_segments(self, row, line, sel, cur, turn_style: Style) -> list[Segment]:
        own = self._line_spans.get(row, [])
        other = self._line_other.get(row, []) if self.show_other else []
        flags = self._line_flags.get(row, [])
        cuts = {line.start, line.end}
        word = self.point_span if not sel else None
        for a, b in [*(x for x in (sel, cur, word) if x), *((s.start, s.end) for s in own),
                     *((s.start, s.end) for s in other), *flags]:
            if line.start < a < line.end:
                cuts.add(a)
            if line.start < b < line.end:
                cuts.add(b)
        points = sorted(cuts)
        cursor_style = self.get_component_rich_style("transcript--cursor")
        select_style = self.get_component_rich_style("transcript--selection")
        point_style = self.get_component_rich_style("transcript--point", partial=True)
        flag_style = self.get_component_rich_style("transcript--flag", partial=True)
        out: list[Segment] = []
        for a, b in zip(points, points[1:], strict=False):
            style = turn_style
            inside = [s for s in own if s.start <= a and s.end >= b]
            if inside:
                style += self._tint(inside[-1].colour)
            if any(s.start <= a and s.end >= b for s in other):
                style += Style(underline=True)
            if any(fa <= a and fb >= b for fa, fb in flags):
                style += flag_style
            if cur and cur[0] <= a and cur[1] >= b:
                style += cursor_style
            if sel and sel[0] <= a and sel[1] >= b:
                style += select_style
            if word and word[0] <= a and word[1] >= b:
                style += point_style
            out.append(Segment(self.text[a:b].translate(_DISPLAY), style))
        return out

    def _gutter(self, row: int, line, base: Style) -> list[Segment]:
        gutter = base + self.get_component_rich_style("transcript--gutter")
        out = self._gutter_column(self._line_spans.get(row, []), line, GUTTER, gutter, False)
        if line.kind == 1 and self._line_flags.get(row):
            # the flag marker takes the gutter's border cell
            border = out[0]
            out[0:1] = [Segment("⚑", gutter + Style(color="red", bold=True)),
                        *([Segment(border.text[1:], border.style)] if len(border.text) > 1 else [])]
        if self.show_other:
            out += self._gutter_column(self._line_other.get(row, []), line, OTHER_GUTTER,
                                       gutter, True)
        return out

    def _gutter_column(self, spans: list[Span], line, width: int, style: Style,
                       other: bool) -> list[Segment]:
        if line.kind != 1 or not spans:  # TEXT lines only
            return [Segment("│" + " " * (width - 1), style)]
        segs = [Segment("│", style)]
        used = 1
        for span in spans[:3]:
            bar = "┆" if other else "▌"
            segs.append(Segment(bar, Style(color=_safe(span.colour))))
            used += 1
        starting = [s.name for s in spans if line.start <= s.start < line.end or
                    (s.start < line.start and row_is_first(self._layout, line, s))]
        label = ", ".join(dict.fromkeys(starting))
        room = width - used - 1
        if label and room > 1:
            label = label if len(label) <= room else label[: room - 1] + "…"
            segs.append(Segment(" " + label, style + Style(italic=other)))
            used += 1 + len(label)
        if used < width:
            segs.append(Segment(" " * (width - used), style))
        return segs

    def visible_text(self) -> str:
        """The rows currently on screen as plain text (for tests and the bench)."""
        if self._layout is None:
            return ""
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height or self.size.height
        rows = []
        for row in range(top, min(top + height, len(self._layout.lines))):
            line = self._layout.lines[row]
            rows.append(self.text[line.start:line.end])
        return "\n".join(rows)


def speaker_label(turn: dict, respondent_label: str) -> str:
    """``Interviewer`` or the respondent's label (with the speaker's own name if it has one)."""
    speaker = (turn.get("speaker") or "").strip()
    if turn.get("role") == "interviewer":
        return speaker or "Interviewer"
    generic = {"", "r", "respondent", "resp", "geïnterviewde"}
    if not respondent_label:
        return speaker or "Respondent"
    if speaker.lower() in generic or speaker == respondent_label:
        return respondent_label
    return f"{respondent_label} ({speaker})"


def row_is_first(layout: Layout | None, line, span: Span) -> bool:
    """A coding that starts between two wrapped lines (on whitespace) is named on the next."""
    if layout is None:
        return False
    return layout.row_of_offset(span.start) != layout.row_of_offset(line.start) and \
        layout.row_of_offset(span.start) == layout.row_of_offset(line.start) - 1 and \
        span.start >= layout.lines[layout.row_of_offset(span.start)].end


def _clip(span: tuple[int, int] | None, start: int, end: int) -> tuple[int, int] | None:
    if span is None:
        return None
    a, b = max(span[0], start), min(span[1], end)
    return (a, b) if a < b else None


def _safe(colour: str) -> str | None:
    try:
        return Color.parse(colour).hex if colour else None
    except Exception:  # noqa: BLE001
        return None
