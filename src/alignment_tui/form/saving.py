"""How a bound field saves: when typing is saved, what a refusal does, when the session's value comes back.

Every bound field (:mod:`.fields`) mixes in :class:`BoundField`, given how to
*read* its value from the session, how to *parse* what was typed and how to
*save* it.

* **Saving.** Typing is saved when it pauses (:data:`SAVE_DELAY`), and at
  least every :data:`MAX_WAIT` seconds while it goes on, so a facilitator who
  types steadily never has more than that much typing unsaved; leaving the
  field, pressing Enter and closing the screen save at once.
* **Refusal.** When parsing or saving raises (a ``ValueError`` from parsing or
  a model, a :class:`SessionFileError` from the file), the field keeps what
  was typed, is marked ``-invalid`` and one reason line appears under it, in
  view (:func:`~.refusal.show_reason`); nothing already saved is touched.
* **Loading.** :meth:`BoundField.load` shows the session's value again (after a
  change made elsewhere, an undo, another record chosen). It never overwrites
  a field the user is in, or one that holds a refused value being corrected,
  unless forced (another record is now in the editor).
* **Read-only.** In a session opened read-only every bound field is disabled:
  it shows its value and cannot change, so nothing typed is ever refused.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any, ClassVar

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from .refusal import REFUSALS, show_reason

#: Seconds of quiet after a key before typing is saved.
SAVE_DELAY = 0.4
#: Seconds at most between the first unsaved key and its save, however fast the typing.
MAX_WAIT = 1.0

Saver = Callable[[Any], Any]
Reader = Callable[[], Any]
Parser = Callable[[Any], Any]


class FieldSaved(Message):
    """Posted after a field saved a value (the step can refresh derived views)."""

    def __init__(self, field: Widget) -> None:
        super().__init__()
        self.field = field


def read_only_session(widget: Widget) -> bool:
    """Whether the session shown by *widget*'s app was opened read-only."""
    return bool(getattr(widget.app, "read_only", False))


def run_saver(widget: Widget, save: Saver, value: Any, *, anchor: Widget | None = None) -> bool:
    """Save *value* through *save*; show or clear the reason under *widget*. True when saved."""
    try:
        save(value)
    except REFUSALS as exc:
        show_reason(widget, str(exc), anchor=anchor)
        return False
    if widget.has_class("-invalid"):
        show_reason(widget, None, anchor=anchor)
    widget.post_message(FieldSaved(widget))
    return True


class SaveTimer:
    """Mixin: save when typing pauses, at least every MAX_WAIT while it goes on, and on flush.

    The class using it implements ``_do_save`` and is a Widget (for ``set_timer``).
    """

    _timer: Timer | None = None
    _pending: bool = False
    _due: float = 0.0
    _latest: float = 0.0
    #: Whether steady typing is saved every MAX_WAIT, or only when it pauses.
    SAVE_WHILE_TYPING: ClassVar[bool] = True

    def _schedule(self) -> None:
        # One timer per pause in typing, not one per key: a key only moves the
        # deadline; the timer, when it fires early, waits for the rest.
        now = monotonic()
        if not self._pending:
            self._latest = now + MAX_WAIT if self.SAVE_WHILE_TYPING else float("inf")
        self._pending = True
        self._due = now + SAVE_DELAY
        if self._timer is None:
            wait = min(SAVE_DELAY, self._latest - now)
            self._timer = self.set_timer(wait, self._deadline)  # type: ignore[attr-defined]

    def _deadline(self) -> None:
        self._timer = None
        left = min(self._due, self._latest) - monotonic()
        if left > 0.01:
            self._timer = self.set_timer(left, self._deadline)  # type: ignore[attr-defined]
        else:
            self.flush()

    @property
    def pending(self) -> bool:
        """Whether typing is waiting to be saved."""
        return self._pending

    def cancel(self) -> None:
        """Forget the typing waiting to be saved (an edit that was undone)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = False

    def mark_pending(self) -> None:
        """Something is waiting to be saved, to go with the next :meth:`flush`."""
        self._pending = True

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending:
            self._pending = False
            self._do_save()

    def _do_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class BoundField(SaveTimer):
    """Mixin of every bound field: *read* from the session, *parse*, *save*, reason under it.

    Subclasses implement :meth:`shown` (the text or value shown now) and
    :meth:`show` (put a value in without saving it back).
    """

    _read: Reader | None = None
    _parse: Parser | None = None
    _save: Saver
    #: The widget the reason line goes under (None: the field itself).
    reason_anchor: Widget | None = None
    #: A field that chooses what is shown (not what is saved) stays live in a read-only copy.
    VIEW_ONLY: ClassVar[bool] = False
    #: A field changed by one key (a tick, a choice) holds no typing to protect: it
    #: shows a change made elsewhere even while it has the focus.
    INSTANT: ClassVar[bool] = False

    def _bind(self, read: Reader | None, save: Saver, parse: Parser | None) -> None:
        self._read = read
        self._save = save
        self._parse = parse

    @property
    def refused(self) -> bool:
        """Whether the field holds a value that was refused (being corrected)."""
        return self.has_class("-invalid")  # type: ignore[attr-defined,no-any-return]

    def _commit(self, raw: Any) -> bool:
        parse = self._parse
        save = self._save

        def parse_and_save(value: Any) -> None:
            save(parse(value) if parse is not None else value)

        return run_saver(self, parse_and_save, raw, anchor=self.reason_anchor)  # type: ignore[arg-type]

    def load(self, *, force: bool = False) -> None:
        """Show the session's value, unless the user is in this field or correcting it.

        *force* (another record is in the editor) also drops a refused value and its reason.
        """
        if self._read is None:
            return
        busy = self._pending or (self.has_focus and not self.INSTANT)  # type: ignore[attr-defined]
        if not force and (self.refused or busy):
            return
        if force:
            self.cancel()
            if self.refused:
                show_reason(self, None, anchor=self.reason_anchor)  # type: ignore[arg-type]
        self.show(self._read())

    def show(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def on_mount(self) -> None:
        if not self.VIEW_ONLY and read_only_session(self):  # type: ignore[arg-type]
            self.disabled = True


def load_fields(root: Widget, *, force: bool = False) -> None:
    """Show the session's values in every bound field under *root*, in one loop."""
    for widget in root.query("*"):
        if isinstance(widget, BoundField):
            widget.load(force=force)


def flush_fields(root: Widget | Screen[Any]) -> None:
    """Save whatever typing is waiting in *root* (a dialog keeping a draft) and under it."""
    for widget in [root, *root.query("*")]:
        if isinstance(widget, SaveTimer):
            widget.flush()
