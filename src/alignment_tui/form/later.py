"""A part of a step built when the room first comes to it, not when the step opens.

A step's form is taller than the screen: the funnel's hand-over agreements,
the story's retired messages and sign-off, each step's actions sit a page or
more below what the step opens on. Their text fields are the costly widgets
to build, and a step opened on a large session would build all of them before
showing anything. :class:`Later` stands in for such a part: it shows the
part's title (the landmark the eye looks for, where the part's own title will
be) and builds the part in its place, from the session as it is then, the
first time

- the part comes into the view as the pane scrolls or changes
  (:meth:`StepPane.reveal_later <alignment_tui.steps.base.StepPane.reveal_later>`),
- the focus reaches it (Tab walks into it as into the part it stands for, and the
  letters typed while it builds go to its first field),
- a record list asks for the editor it stands for (Enter on a goal: :func:`later_holding`), or
- a key needs the whole step (Ctrl+↓/↑ between sections, End: :func:`build_all`).

It builds once; after that the part is an ordinary part of the pane.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.compose import compose
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static


class Later(Static):
    """The title of a part of a step that is built when it is first needed."""

    can_focus = True

    DEFAULT_CSS = """
    Later { height: auto; margin-top: 1; text-style: bold; color: $secondary; }
    Later:focus { background: $primary 25%; }
    """

    def __init__(
        self,
        title: str,
        compose: Callable[[], ComposeResult],
        *,
        holds: Widget | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(Content(title), id=id, classes="later")
        self.title = title
        self._make = compose
        #: The one widget the part is, when it is one made beforehand (an editor the
        #: pane talks to): :func:`later_holding` finds its stand-in.
        self.holds = holds
        self._built: AwaitComplete | None = None
        #: Keys typed while the part was being built with the focus here: its first field's.
        self._typed: list[events.Key] = []

    @property
    def building(self) -> bool:
        """Whether the part has been asked for (it may still be mounting)."""
        return self._built is not None

    def build(self, *, focus: bool = False) -> AwaitComplete:
        """Build the part in this title's place (once); with *focus*, focus its first field.

        Returns something to await for the part to be mounted.
        """
        if self._built is not None:
            return self._built
        parent = self.parent
        assert isinstance(parent, Widget), "a Later is built inside its pane"
        widgets = compose(parent, self._make())
        mounted = parent.mount_all(widgets, after=self)

        async def finish() -> None:
            await mounted
            # (not if the focus went on meanwhile: Tab again, a click elsewhere)
            if focus and self.has_focus:
                target = next(
                    (
                        w
                        for top in widgets
                        for w in (top, *top.query("*"))
                        if w.focusable and not w.disabled
                    ),
                    None,
                )
                if target is None:
                    # Nothing in it takes the focus (a read-only copy): the pane holding it
                    # does, so the keys that scroll it still work.
                    target = next(
                        (a for a in self.ancestors if isinstance(a, Widget) and a.focusable), None
                    )
                if target is not None:
                    self.screen.set_focus(target)
                    for key in self._typed:
                        target.post_message(events.Key(key.key, key.character))
            await self.remove()

        # Awaited by the parent, which outlives this title.
        self._built = AwaitComplete(finish()).call_next(parent)
        return self._built

    def on_focus(self, event: events.Focus) -> None:
        # Tab walked into the part: build it and go on into its first field.
        self.build(focus=True)

    def on_key(self, event: events.Key) -> None:
        # Typed in the moment the part takes to build: not lost, given to its first field.
        if event.is_printable:
            self._typed.append(event)
            event.stop()
            event.prevent_default()


def later_parts(root: Widget) -> list[Later]:
    """The parts under *root* not built yet, top to bottom."""
    return [w for w in root.query(Later) if not w.building]


def later_holding(root: Widget, widget: Widget) -> Later | None:
    """The stand-in under *root* for *widget*, while *widget* is not built."""
    return next((w for w in root.query(Later) if w.holds is widget), None)


def build_all(root: Widget) -> AwaitComplete:
    """Build every part under *root* not built yet; await it to have them mounted."""
    pending = [w.build() for w in root.query(Later)]

    async def wait() -> None:
        for each in pending:
            await each

    return AwaitComplete(wait()).call_next(root)
