"""The one place where alignment-tui relies on a private name of Textual or Rich.

A private name can change in any release, and when it does nothing fails
loudly: the override just stops working (a wrong repaint, an escape sequence
reaching the terminal). So an override lives here only when a user would notice
its absence, and each one:

- is applied only when the installed Textual and Rich are exactly the versions
  it was checked against (:data:`VERIFIED_TEXTUAL`, :data:`VERIFIED_RICH`, the
  pins in pyproject.toml); with any other version the stock behaviour stays
  and nothing is said to the user;
- has a test (tests/app/test_internals.py) that fails when a pin moves, so
  whoever moves it checks the override against the new release, then sets the
  version here.

Everything else uses Textual's and Rich's public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from .sessions.text import VISIBLE

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.strip import Strip

#: The Textual release every override below was checked against.
VERIFIED_TEXTUAL = "8.2.8"
#: The Rich release every override below was checked against.
VERIFIED_RICH = "15.0.0"

_applied: set[str] = set()


def is_installed(package: ModuleType, distribution: str, version: str) -> bool:
    """Is *package* (already imported) from *version* of *distribution*?

    An installer records the version in a ``<name>-<version>.dist-info`` folder
    beside the package, and this looks there: ``importlib.metadata`` would find
    the same folder but costs an import and a scan of every installed
    distribution on every start. A layout without that folder (a source
    checkout, a zip) counts as "not verified", which keeps the stock behaviour.
    """
    location = getattr(package, "__file__", None)
    if not location:
        return False
    folder = Path(location).parent.parent / f"{distribution}-{version}.dist-info"
    return folder.is_dir()


@cache
def verified() -> bool:
    """Are the installed Textual and Rich the releases the overrides were checked against?"""
    import rich
    import textual

    return is_installed(textual, "textual", VERIFIED_TEXTUAL) and is_installed(
        rich, "rich", VERIFIED_RICH
    )


def apply() -> frozenset[str]:
    """Apply the process-wide overrides, once, if the versions are the verified ones.

    Returns the names of the overrides in force (empty with other versions).
    """
    if not _applied and verified():
        show_control_characters()
    return frozenset(_applied)


def show_control_characters() -> None:
    """Show ESC and the other control characters of user text instead of sending them.

    What a user would notice without it: text typed, pasted or imported may
    hold escape sequences (``ESC [31m``, ``ESC ] 0 ; title BEL``). Rich's
    ``Text`` and Textual's ``Content`` strip only BEL, BS, VT, FF and CR and pass
    ESC through to the terminal, so a session title could recolour the screen
    or retitle the terminal window.

    Every widget that shows text (Input, TextArea, Static, DataTable, Header,
    Select, notifications) builds a ``Text`` or a ``Content``, and each of those
    sanitises through one private translate table
    (``rich.control._CONTROL_STRIP_TRANSLATE``,
    ``textual.content._CONTROL_STRIP_TRANSLATE``). Extending the two tables with
    the core's one rule (:data:`alignment_tui.sessions.text.VISIBLE`: ESC → ␛
    and so on, one character for one, as ``list`` and the exports show them)
    covers every widget, including the next one someone adds. Display only: the
    text saved is never changed, and cursor positions stay right.
    """
    if "control characters" in _applied:
        return
    import rich.control
    import textual.content

    for table in (
        rich.control._CONTROL_STRIP_TRANSLATE,
        textual.content._CONTROL_STRIP_TRANSLATE,
    ):
        table.update(VISIBLE)  # type: ignore[arg-type]
    _applied.add("control characters")


def lean_repaints(screen: Screen[Any]) -> None:
    """Give *screen* a compositor that repaints only what a change can show.

    Call it from the screen's ``__init__``; with other versions than the
    verified ones it does nothing.

    Why it stays: without it a keystroke on the workshop screen costs well over
    the 1.2x target of a minimal app's (benchmarks/RESULTS.md, "Typing"); with
    it, less than the minimal app's. Asked to repaint part of the screen (a
    keystroke dirties an input's lines), Textual's compositor (the private
    ``textual._compositor.Compositor``, the screen's private ``_compositor``)
    renders every widget whose clip overlaps that part, each one whole, and cuts
    every rendered line of every one of them at every widget edge on that line,
    front to back, before keeping only the front piece of each cut: the header,
    the step list, the guidance panel and every container around the input.

    The lean compositor fills the same pieces the same way, front to back, but
    only the pieces that can be written out (on a changed line, overlapping the
    changed columns), and renders a widget only where one of those pieces is
    still unfilled, and then only those lines. For a keystroke that is the input
    itself. What reaches the terminal is the same pieces of the same lines
    (tests/app/test_internals.py compares the two, widget by widget).
    """
    if verified():
        screen._compositor = _lean_compositor_class()()


@cache
def _lean_compositor_class() -> type[Any]:
    """The class, built on first use: only the verified Textual is asked for its
    private compositor, so another release cannot break the import of this module."""
    from textual._compositor import Compositor
    from textual.geometry import Region

    class LeanCompositor(Compositor):
        """Repaints render only the widgets, and lines, that they can show."""

        def _render_chops(
            self,
            crop: Region,
            is_rendered_line: Callable[[int], bool],
        ) -> Sequence[Mapping[int, Strip]]:
            cuts = self.cuts
            chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
            left, right = crop.x, crop.right
            # Per line to write out: the pieces (start cut -> end cut) that overlap the crop.
            todo: dict[int, dict[int, int]] = {}
            for y in crop.line_range:
                if is_rendered_line(y):
                    line = cuts[y]
                    wanted = {c: end for c, end in pairwise(line) if c < right and end > left}
                    if wanted:
                        todo[y] = wanted
            if not todo:
                return cast("Sequence[Mapping[int, Strip]]", chops)
            top = min(todo)
            band = Region(0, top, self.size.width, max(todo) + 1 - top)
            intersection = Region.intersection
            # Front to back: the first widget to cover a piece paints it.
            for widget, (region, clip) in self.visible_widgets.items():
                # A widget's visible edges are cuts on each of its lines, so a
                # piece starting inside it ends inside it too.
                x, y, width, height = intersection(intersection(region, clip), band)
                if not (width and height):
                    continue
                x2 = x + width
                rows = [
                    row
                    for row in range(y, y + height)
                    if row in todo and any(x <= c < x2 for c in todo[row])
                ]
                if not rows:
                    continue
                first = rows[0]
                strips = widget.render_lines(
                    Region(x - region.x, first - region.y, width, rows[-1] + 1 - first)
                )
                for row in rows:
                    if row - first >= len(strips):  # as zip(): no piece without a line
                        break
                    strip = strips[row - first]
                    wanted = todo[row]
                    chops_line = chops[row]
                    for c in [c for c in wanted if x <= c < x2]:
                        end = wanted[c]
                        if end - x <= strip.cell_length:  # as Strip.divide: no piece past the end
                            chops_line[c] = strip.crop(c - x, end - x)
                            del wanted[c]
                    if not wanted:
                        del todo[row]
                if not todo:
                    break
            return cast("Sequence[Mapping[int, Strip]]", chops)

    return LeanCompositor


class QuietInputWidth:
    """Mixin for a one-line Input of fixed size: a key does not lay the whole screen out.

    Textual's ``Input._watch_value`` sets the input's virtual size to the width
    of its text, a reactive that asks for a layout, and a layout reflows every
    widget on the screen: one reflow of the whole workshop per key typed, which
    made a keystroke cost about four times a plain input's CPU (see
    benchmarks/RESULTS.md). An input whose size does not depend on its text has
    no scrollbars for that size to move, so the new width is set quietly first;
    the watcher then finds it unchanged. With other Textual versions the stock
    watcher runs alone.
    """

    def _watch_value(self, value: str) -> None:
        from textual.geometry import Size
        from textual.widgets import Input

        me = cast("Input", self)
        if verified() and not me.styles.auto_dimensions:
            me.set_reactive(Input.virtual_size, Size(me.content_width, 1))
        super()._watch_value(value)  # type: ignore[misc]


def skip_first_restyle(event: Any) -> None:
    """Let a screen that was styled widget by widget as it mounted skip its first full restyle.

    ``ScreenResume.refresh_styles`` is read by Textual's own (private) resume
    handler; whether skipping it is safe depends on that handler, so it is
    done only on the verified release.
    """
    if verified():
        event.refresh_styles = False
