"""One way to confirm a removal.

A record with nothing typed in it goes at once; one with content asks first,
in a :class:`~.confirm.ConfirmDialog` whose focus starts on "Keep" so a stray
Enter never throws work away. The removal itself runs through
the one refusal rule (:mod:`.refusal`), so a read-only session says why in one line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from .confirm import ConfirmDialog
from .refusal import REFUSALS, say_refused


def confirm_removal(
    widget: Widget,
    *,
    what: str,
    detail: str,
    has_content: bool,
    remove: Callable[[], object],
    then: Callable[[], object] | None = None,
) -> None:
    """Remove with *remove* (asking first when the record *has_content*), then call *then*.

    *what* names the record in the question ("Remove this goal?"); *detail*
    says what will be lost, in the room's words (built from user text with
    :func:`~..sessions.text.snippet`, never as markup).
    """

    def go() -> None:
        try:
            remove()
        except REFUSALS as exc:
            say_refused(widget, str(exc))
            return
        if then is not None:
            then()

    if not has_content:
        go()
        return

    def answered(ok: bool | None) -> None:
        if ok:
            go()

    widget.app.push_screen(
        ConfirmDialog(
            f"Remove {what}?",
            detail,
            confirm_label="Remove",
            cancel_label="Keep",
            destructive=True,
        ),
        answered,
    )
