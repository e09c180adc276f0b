"""A compositor that repaints only what a change can show.

Asked to repaint part of the screen (a keystroke dirties only the input's
three lines), Textual's compositor renders every widget whose *clip* (its
container's visible area) overlaps that part, each one whole, and cuts every
rendered line of every one of them at every widget edge on that line, front to
back, before throwing away all but the front piece of each cut: on the
workshop screen that is ~25 widgets a key (the header, the footer, the step
list, the guidance panel, every sibling of every container around the input)
against ~5 in a minimal app.

:class:`LeanCompositor` fills the same pieces the same way, front to back,
but only the pieces that can be written out (on a changed line, overlapping the
changed columns), and renders a widget only where one of those pieces is still
unfilled, and then only those lines. For a keystroke that is the input itself:
the containers behind it are covered and not rendered at all. A full repaint
(after a layout, a screenshot) likewise skips what is covered: the screen's and
the containers' backgrounds under their children. What reaches the terminal is
the same pieces of the same lines (tests/test_compositor.py compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import cast

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


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
