"""The command palette's workshop commands (Ctrl+P): every step and every workshop verb.

Offered while the palette is opened from the workshop screen. Each command
calls the same method as its key, so the palette and the keys never drift
apart.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .sessions.models import STEP_ORDER, SignOffSubject, StepId

if TYPE_CHECKING:
    from .screens.workshop import WorkshopScreen

#: Which step holds each sign-off.
SIGNOFF_STEP: dict[SignOffSubject, StepId] = {
    SignOffSubject.GOALS: StepId.GOALS,
    SignOffSubject.STORY: StepId.STORY,
    SignOffSubject.FEEDBACK: StepId.FEEDBACK,
}

Command = tuple[str, Callable[[], Any], str]


def _step_title(step: StepId) -> str:
    return f"{step.number}. {step.label}" if step.number else step.label


def go_to_sign_off(screen: WorkshopScreen, subject: SignOffSubject) -> None:
    """Show the step of *subject* and put the focus on its first sign button."""
    screen.show_step(SIGNOFF_STEP[subject])

    def focus_button() -> None:
        found = screen.query(f"#sign-{subject.value}-sales")
        if found:
            found.first().focus()

    screen.call_after_refresh(focus_button)


def workshop_commands(screen: WorkshopScreen) -> list[Command]:
    """(name, callback, help) for every step and verb of *screen*."""
    app: Any = screen.app
    commands: list[Command] = []
    for step in STEP_ORDER:
        commands.append(
            (
                f"Go to step: {step.label}",
                partial(screen.show_step, step),
                f"Show {_step_title(step)} ({step.short})",
            )
        )
    verbs: list[tuple[str, str, str]] = [
        ("Add action", "action_add_action", "Add an action tagged with the current step"),
        ("Start or pause the timer", "action_toggle_timer", "The current step's countdown"),
        ("Add a minute to the timer", "action_add_minute", "Extend the current timebox by 1 min"),
        ("Reset the timer", "action_reset_timer", "Start the step's countdown again"),
        ("Open the agenda", "action_agenda", "Timeboxes per step and the time spent"),
        ("Show or hide guidance", "action_toggle_guidance", "The guidance beside the forms"),
        ("Review meeting", "action_review", "What changed since the last review; start one there"),
        (
            "Room notes",
            "action_room_notes",
            "Notes the room sent for this step: accept, edit, dismiss",
        ),
        (
            "Contributions: open or close",
            "action_toggle_contributions",
            "Let the room send notes and dot votes (serve --contribute), or stop it",
        ),
        ("Room's vote budget", "action_room_budget", "How many dots each visitor has (1 to 20)"),
        (
            "Copy the room's votes into the goals",
            "action_copy_room_votes",
            "The room's dots become each goal's votes (asks before replacing typed votes)",
        ),
        ("End the workshop", "request_quit", "Ask, save everything and quit"),
    ]
    service = getattr(screen, "service", None)
    if service is not None and service.readonly:
        verbs[-1] = ("Close this read-only copy", "request_quit", "Ask, then close it")
    check = getattr(screen, "check_action", None)
    for name, method, help_text in verbs:
        callback = getattr(screen, method, None)
        action = method.removeprefix("action_")
        if callable(check) and method.startswith("action_") and not check(action, ()):
            continue  # not offered where its key is greyed (a read-only copy)
        if callable(callback):
            commands.append((name, callback, help_text))
    if callable(getattr(app, "action_help", None)):
        commands.append(("Help", app.action_help, "Guidance for this step and every key"))
    if callable(getattr(app, "action_toggle_theme", None)):
        commands.append(
            (
                "Switch theme (dark / projector)",
                app.action_toggle_theme,
                "Toggle the branded dark theme and the light projector theme",
            )
        )
    notes = getattr(screen, "action_room_notes", None)
    if callable(notes):
        commands.append(
            ("Room notes: every step", partial(notes, True), "The new notes of every step")
        )
    for subject, step in SIGNOFF_STEP.items():
        commands.append(
            (
                f"Sign off: {step.label}",
                partial(go_to_sign_off, screen, subject),
                "Go to where both leads sign it off",
            )
        )
    export = getattr(screen, "action_export", None)
    if callable(export):
        for fmt, label in (
            ("checklist", "checklist of actions"),
            ("report", "full report"),
            ("csv", "actions as CSV"),
            ("json", "session as JSON"),
        ):
            commands.append((f"Export {label}", partial(export, fmt), f"Export the {label}"))
    return commands


class WorkshopCommands(Provider):
    """Steps and workshop verbs, when the palette is opened from the workshop."""

    def _commands(self) -> list[Command]:
        from .screens.workshop import WorkshopScreen

        screen = self.screen
        if not isinstance(screen, WorkshopScreen):
            return []
        return workshop_commands(screen)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
