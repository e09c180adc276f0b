"""Step 1, the baseline story: a message house built by keyboard, signed off, then edited."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import LeadRole, Pillar, ProofPoint, SignOffSubject, StepId
from alignment_tui.sessions.service import SessionService


def open_on(path: Path, step: StepId) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(step)
    svc.close()
    return AlignmentApp(path)


def text(app: AlignmentApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def press_button(pilot: Pilot[None], selector: str) -> None:
    """Move the focus to a button (scrolling it into view) and press it with enter."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, value: str) -> None:
    """Focus a field, type at its end, and leave it (which saves)."""
    widget: Widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", *value, "tab")
    await pilot.pause()


async def test_story_house_signed_off_then_changed(session_file: Path) -> None:
    # two pillars are already up; the room adds the rest of the house by keyboard
    svc = SessionService.open(session_file)
    for title, proof in (("Fast", "6 wk"), ("Safe", "ISO")):
        pillar = svc.add(Pillar, title=title)
        svc.add(ProofPoint, pillar_id=pillar.id, text=proof)
    svc.close()
    app = open_on(session_file, StepId.STORY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#story-audience", "CFOs")
        await type_into(pilot, "#story-core", "We cut close")
        assert text(app, "#story-core-words").startswith("3 words")
        assert text(app, "#story-pillar-count").startswith("⚠ 2 pillars")
        await press_button(pilot, "#add-pillar")
        assert app.screen.focused is app.screen.query_one("#pillar-title-3")
        await pilot.press(*"Fair", "tab")
        await pilot.pause()
        assert text(app, "#pillar-flag-3") == "⚠ no proof yet"
        await press_button(pilot, "#pillar-add-proof-3")
        await pilot.press(*"NPS", "tab")
        await pilot.pause()
        assert text(app, "#pillar-flag-3") == "✔ 1 proof point"
        assert text(app, "#story-pillar-count").startswith("✔ 3 pillars")
        await press_button(pilot, "#add-retired")
        await pilot.press(*"Cheap", "tab", *"Off-story", "tab")
        await pilot.pause()
        assert "Still needed: the Sales lead's sign-off" in text(app, "#status-story")
        await press_button(pilot, "#sign-story-sales")
        await press_button(pilot, "#sign-story-marketing")
        assert "✔ signed by Sam Sales at" in text(app, "#signoff-story-sales")
        assert "✔ Complete" in text(app, "#status-story")

        # any later edit: "changed since sign-off", and the step is no longer complete
        core = app.screen.query_one("#story-core", TextArea)
        core.focus()
        await pilot.pause()
        await pilot.press("end", *" now", "tab")
        await pilot.pause()
        await pilot.pause()
        assert "changed since sign-off" in text(app, "#signoff-story-sales")
        assert "sign again" in text(app, "#signoff-story-marketing")
        assert str(app.screen.query_one("#sign-story-sales").label) == "Sign again"  # type: ignore[attr-defined]
        status = text(app, "#status-story")
        assert "Complete" not in status
        assert "the Sales lead's sign-off again (changed since)" in status

    svc = SessionService.open(session_file)
    try:
        s = svc.session
        assert s.story.audience == "CFOs"
        assert s.story.core_message == "We cut close now"
        assert [p.title for p in sorted(s.pillars, key=lambda p: p.position)] == [
            "Fast",
            "Safe",
            "Fair",
        ]
        assert [p.text for p in s.proof_points] == ["6 wk", "ISO", "NPS"]
        [retired] = s.retired_messages
        assert (retired.text, retired.reason) == ("Cheap", "Off-story")
        for role in LeadRole:
            assert svc.signoff_state(SignOffSubject.STORY, role) == "changed"
    finally:
        svc.close()


async def test_warnings_pillar_without_proof_count_and_long_roof(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for title in ("One", "Two"):
        svc.add(Pillar, title=title)
    svc.add(ProofPoint, pillar_id=1, text="proved")
    svc.update(svc.session.story, core_message=" ".join(["w"] * 24))
    svc.set_step(StepId.STORY)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert text(app, "#pillar-flag-1") == "✔ 1 proof point"
        assert text(app, "#pillar-flag-2") == "⚠ no proof yet"
        assert "proof for pillar 'Two'" in text(app, "#status-story")
        assert text(app, "#story-pillar-count").startswith("⚠ 2 pillars")
        # the roof word count is live, before anything is saved
        core = app.screen.query_one("#story-core", TextArea)
        core.focus()
        await pilot.pause()
        await pilot.press("end", *" w w")
        assert "⚠ 26 words: getting detailed, keep the roof short" in text(app, "#story-core-words")
        await pilot.press("backspace", "backspace")
        assert text(app, "#story-core-words").startswith("25 words")
        assert "getting detailed" not in text(app, "#story-core-words")
        # a long pillar headline is flagged while typing
        await type_into(pilot, "#pillar-title-2", " a b c d e f g h i j k l")
        assert "a pillar is a headline" in text(app, "#pillar-words-2")
        # removing a proof point asks first when it has text
        await press_button(pilot, "#proof-remove-1")
        await pilot.press("y")
        await pilot.pause()
        assert text(app, "#pillar-flag-1") == "⚠ no proof yet"
        assert not app.screen.query("#proof-1")

    svc = SessionService.open(session_file)
    try:
        assert svc.session.proof_points == []
        assert svc.session.story.core_message == " ".join(["w"] * 25)
        assert svc.session.pillars[1].title == "Two a b c d e f g h i j k l"
    finally:
        svc.close()


async def test_story_text_is_literal(session_file: Path) -> None:
    tricky = "[b]markup[/b] \x1b[31m 🚀 $x"
    svc = SessionService.open(session_file)
    svc.update(svc.session.story, audience=tricky, core_message=tricky)
    svc.add(Pillar, title=tricky)
    svc.add(ProofPoint, pillar_id=1, text=tricky)
    svc.set_step(StepId.STORY)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#story-audience", Input).value == tricky
        assert app.screen.query_one("#story-core", TextArea).text == tricky
        assert app.screen.query_one("#pillar-title-1", Input).value == tricky
        assert app.screen.query_one("#proof-text-1", Input).value == tricky
        assert "proof for pillar" not in text(app, "#status-story")
        await type_into(pilot, "#story-audience", " [/]")

    svc = SessionService.open(session_file)
    try:
        assert svc.session.story.audience == tricky + " [/]"
        assert svc.session.story.core_message == tricky
        assert svc.session.pillars[0].title == tricky
        assert svc.session.proof_points[0].text == tricky
    finally:
        svc.close()
