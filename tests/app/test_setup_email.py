"""Set-up step: each person's e-mail, optional, used to invite them from the calendar file.

A malformed address is refused by the core: the form layer's one reason line
says why under the field, what was typed stays, and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.fields import TitledField
from alignment_tui.form.records import RecordEditor, RecordList
from alignment_tui.form.refusal import reason_of
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.setup.pane import SetupPane

SIZE = (120, 40)


def email_field(app: AlignmentApp) -> Input:
    return app.screen.query_one(SetupPane).query_one(RecordEditor).query_one("#person-email", Input)


async def test_an_email_is_saved_and_a_bad_one_refused_with_its_reason(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(SetupPane)
        # (the label is drawn on the field's top edge: a TitledField, not a Label)
        labels = [str(field.border_title) for field in pane.query(TitledField)]
        assert any("E-mail" in x and "calendar invitations" in x for x in labels)
        pane.query_one(RecordList).rows.focus()
        await pilot.press("home", "enter")  # Sam Sales, into the editor
        await pilot.pause()
        # name, team, role, lead, then the e-mail
        await pilot.press("tab", "tab", "tab", "tab")
        await pilot.pause()
        field = email_field(app)
        assert field.has_focus
        await pilot.press(*"sam@acme.example", "enter")
        await pilot.pause()
        assert not field.has_class("-invalid")
        assert read_session(session_file).participant(1).email == "sam@acme.example"  # type: ignore[union-attr]

        await pilot.press("ctrl+u", *"sam at acme", "enter")
        await pilot.pause()
        assert field.value == "sam at acme", "what was typed stays"
        assert field.has_class("-invalid")
        reason = reason_of(field)
        assert isinstance(reason, Static) and reason.display
        assert str(reason.content) == "E-mail must be an address, like sam@example.com"
        assert read_session(session_file).participant(1).email == "sam@acme.example"

        # corrected: saved, and the reason goes
        await pilot.press("ctrl+u", *"sam@acme.io", "enter")
        await pilot.pause()
        assert not field.has_class("-invalid") and not reason.display
    assert read_session(session_file).participant(1).email == "sam@acme.io"  # type: ignore[union-attr]


async def test_an_email_may_stay_empty(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = email_field(app)
        field.focus()
        await pilot.press(*"  ", "enter")
        await pilot.pause()
        assert not field.has_class("-invalid")
    assert [p.email for p in read_session(session_file).participants] == [""] * 4
