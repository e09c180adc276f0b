"""The funnel's stages: one record list (name and owner) beside one editor line.

The list shows the stages top to bottom, "⇄" where a lead changes hands into
a stage. Its keys are the form layer's (↑ ↓ choose, Enter edits, Insert adds,
Delete removes, Alt+↑ / Alt+↓ move) and → / ← give the highlighted stage the
next / previous owner. The editor line under it edits the highlighted stage:
its name (Enter saves and goes back to the list, Escape drops what was typed)
and its owner; the buttons beside it do the same verbs for a mouse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

from ...form.choice import Choice
from ...form.fields import SavingInput, read_only_session
from ...form.records import Column, RecordEditor, RecordList, RecordSource
from ...form.refusal import attempt
from ...form.section import Section
from ...sessions.models import FunnelStage, Owner
from ...sessions.service import SessionService
from ...sessions.text import one_line, snippet
from .chart import OWNER_LETTER, OWNER_STYLE

if TYPE_CHECKING:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions.workbook import FunnelPreset
    from ...widgets.workbook_offer import Question

OWNER_OPTIONS = [(f"{OWNER_LETTER[o]} {o.value}", o) for o in Owner]
#: The name a stage gets when added; typing over it names it.
NEW_STAGE = "New stage"

#: "⇄" in a column of its own, so that the names line up under their title.
COLUMNS = [Column("mark", "", width=1), Column("name", "Stage"), Column("owner", "Owner", width=12)]


def _name(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValueError("Stage name is required")
    return name


class StageList(RecordList[FunnelStage]):
    """The stages as one list; → / ← change the highlighted stage's owner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right,plus,equals_sign,space",
            "owner(1)",
            "Next owner",
            key_display="→",
            id="funnel.owner_next",
            tooltip="Give this stage to the next owner: Marketing, Shared, Sales",
        ),
        Binding(
            "left,minus",
            "owner(-1)",
            "Previous owner",
            key_display="←",
            id="funnel.owner_previous",
            tooltip="Give this stage to the owner before",
            show=False,
        ),
        Binding(
            "p",
            "preset",
            "Preset…",
            id="funnel.preset",
            tooltip="Fill the stages and owners from one of the workbook's funnels",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "owner":
            return (self.key is not None and not read_only_session(self)) or None
        if action == "preset":  # offered only while it can be used
            return self.query_ancestor(StagesSection).presets_offered()
        return True

    def action_preset(self) -> None:
        self.query_ancestor(StagesSection).action_preset()

    def action_owner(self, step: int) -> None:
        self.query_ancestor(StagesSection).owner.action_cycle(step)


class StageName(SavingInput):
    """The highlighted stage's name: Escape drops what was typed and goes back to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back to the list",
            id="funnel.stage_name_back",
            tooltip="Show the saved name again and go back to the stage list",
        ),
    ]

    def action_back(self) -> None:
        self.load(force=True)
        self.query_ancestor(StagesSection).stages.rows.focus()


class StagesSection(Section):
    """The stages, their owners and their order; one editor line for the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+up", "move(-1)", "Stage up", id="funnel.stage_up",
                tooltip="Move the highlighted stage one place up the funnel"),
        Binding("alt+down", "move(1)", "Stage down", id="funnel.stage_down",
                tooltip="Move the highlighted stage one place down the funnel"),
        Binding("alt+delete", "remove", "Remove stage", id="funnel.stage_remove",
                tooltip="Remove the highlighted stage and its counts (asks first)"),
    ]  # fmt: skip

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__("Stages", **kwargs)
        self.service = service
        source: RecordSource[FunnelStage] = RecordSource(
            records=service.session.sorted_stages,
            key=lambda s: s.id,
            cells=self._cells,
            add=self._add,
            remove=service.remove,
            move=service.move,
            describe=self._describe,
        )
        self.stages = StageList(
            source, COLUMNS, empty="No stages yet: Insert (or Add stage) adds the first one.",
            id="stage-list",
        )  # fmt: skip
        self.editor: RecordEditor[FunnelStage] = RecordEditor(
            self._stage, service.update, self.stages.key, id="stage-editor"
        )
        self.owner: Choice[Owner] = Choice(
            OWNER_OPTIONS,
            read=self.editor.get("owner", Owner.SHARED),
            save=self.editor.setter("owner"),
            id="stage-owner",
            classes="stage-owner",
            tooltip="Who owns the highlighted stage: Space or → for the next owner, ← back",
        )

    def _stage(self, sid: int) -> FunnelStage | None:
        return next((s for s in self.service.session.funnel_stages if s.id == sid), None)

    def compose(self) -> ComposeResult:
        yield Static(
            "Top to bottom; the owner says who works the lead at that stage "
            "(⇄: the lead changes hands).",
            classes="funnel-intro",
        )
        yield self.stages
        read_only = read_only_session(self)
        none = self.stages.key is None
        with Horizontal(classes="stage-bar", id="stage-bar") as bar:
            with self.editor:
                name = StageName(
                    read=self.editor.get("name"),
                    parse=_name,
                    save=self.editor.setter("name"),
                    id="stage-name",
                    classes="stage-name",
                    compact=True,
                    placeholder="Stage name",
                    tooltip="The highlighted stage's name: type to rename it "
                    "(Enter saves and goes back to the list, Esc undoes)",
                )
                name.reason_anchor = bar
                yield name
                yield self.owner
            for label, verb, tip in (
                ("↑", "up", "Move the highlighted stage up (alt+↑)"),
                ("↓", "down", "Move the highlighted stage down (alt+↓)"),
                ("✕", "remove", "Remove the highlighted stage, asks first (Delete)"),
            ):
                yield Button(
                    label,
                    id=f"stage-{verb}",
                    compact=True,
                    classes="mini" + (" -remove" if verb == "remove" else ""),
                    disabled=none or read_only,
                    tooltip=tip,
                )
            yield Button(
                "Add stage",
                id="add-stage",
                compact=True,
                disabled=read_only,
                tooltip="Add a stage at the bottom and name it (Insert on the list)",
            )
        preset = Button(
            "Start from a preset…",
            id="stage-preset",
            compact=True,
            tooltip="Fill the stages and owners from one of the workbook's funnels "
            "(while the funnel has no counts yet)",
        )
        preset.display = self.presets_offered()
        yield preset

    # -- the list's records -------------------------------------------------------------

    def _cells(self, stage: FunnelStage, n: int) -> dict[str, str | Content]:
        stages = self.service.session.sorted_stages()
        before = stages[n - 2] if n > 1 and n - 2 < len(stages) else None
        mark = "⇄" if before is not None and before.owner is not stage.owner else ""
        style = OWNER_STYLE[stage.owner]
        return {
            "mark": Content.assemble((mark, "$warning")),
            "name": one_line(stage.name),
            "owner": Content.assemble(
                (OWNER_LETTER[stage.owner], f"bold {style}"), " ", (stage.owner.value, style)
            ),
        }

    def _add(self) -> FunnelStage:
        stages = self.service.session.sorted_stages()
        names = {s.name for s in stages}
        name = next(
            n for n in (NEW_STAGE, *(f"{NEW_STAGE} {i}" for i in range(2, 1000))) if n not in names
        )
        owner = stages[-1].owner if stages else Owner.SHARED
        return self.service.add(FunnelStage, name=name, owner=owner)

    def _describe(self, stage: FunnelStage) -> tuple[str, str, bool]:
        s = self.service.session
        counted = any(
            c.stage_id == stage.id and (c.count is not None or c.target is not None)
            for c in s.funnel_counts
        )
        agreed = any(
            h.to_stage_id == stage.id and (h.qualifies or h.return_reasons or h.returned_handling)
            for h in s.handovers
        )
        named = not stage.name.startswith(NEW_STAGE)
        return (
            f"the stage “{snippet(stage.name)}”",
            "Its counts in every period and any hand-over agreement into it are removed with it.",
            named or counted or agreed,
        )

    # -- events -------------------------------------------------------------------------

    @on(RecordList.Highlighted, "#stage-list")
    def _highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()
        self.editor.show(event.key)
        self._enable()

    @on(RecordList.Chosen, "#stage-list")
    def _chosen(self, event: RecordList.Chosen) -> None:
        # To the name, with the list left in view: the editor is one line under it
        # (the editor's own focus_first would scroll the list away above it).
        event.stop()
        name = self.query_one(StageName)
        name.focus()
        if event.added:  # "New stage" is a stand-in: the room's typing replaces it
            name.select_all()

    @on(Input.Submitted, "#stage-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        # the field has saved it (its own handler ran first): back to the list
        event.stop()
        if not event.input.has_class("-invalid"):
            self.stages.rows.focus()

    @on(Button.Pressed, "#stage-bar Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        verb = (event.button.id or "").removeprefix("stage-")
        if verb == "add-stage":
            self.stages.add()
        elif verb == "remove":
            self.action_remove()
        else:
            self.action_move(-1 if verb == "up" else 1)

    def action_move(self, delta: int) -> None:
        self.stages.move(delta)

    def action_remove(self) -> None:
        self.stages.ask_remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "remove"):
            return (self.stages.key is not None and not read_only_session(self)) or None
        return True

    def _enable(self) -> None:
        off = self.stages.key is None or read_only_session(self)
        for verb in ("up", "down", "remove"):
            button = self.query_one(f"#stage-{verb}", Button)
            if button.disabled != off:
                button.disabled = off

    def sync(self) -> None:
        """The session changed: the list shows it (the editor's fields are loaded by the pane)."""
        self.stages.sync()
        self._enable()
        preset = self.query_one("#stage-preset", Button)
        offered = self.presets_offered()
        if preset.display != offered:
            preset.display = offered

    # -- presets --------------------------------------------------------------------------

    def presets_offered(self) -> bool:
        """A preset is offered while it can be used: nothing hangs off the stages yet."""
        return not read_only_session(self) and self.service.why_stages_are_kept() is None

    @on(Button.Pressed, "#stage-preset")
    def _preset_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_preset()

    def action_preset(self) -> None:
        """Choose a funnel from the workbook; its stages and owners replace these."""
        from ...widgets.workbook_offer import offer, read_workbook  # (its dialog: only when asked)

        def apply(preset: FunnelPreset) -> None:
            stages = [(st.name, st.owner) for st in preset.stages]
            if attempt(self, self.service.replace_stages, stages) is not None:
                self.stages.rows.focus()

        offer(
            self,
            {p.key: p for p in read_workbook(self).funnel_presets()},
            title="Start the funnel from a preset",
            note="Its stages and owners replace the ones here; rename or move them after.",
            nothing="The workbook has no funnel preset",
            choice=preset_choice,
            question=preset_question,
            apply=apply,
        )


def preset_question(preset: FunnelPreset, chosen: bool) -> Question | None:
    """Chosen in the list, a preset is used at once (nothing hangs off the stages yet);
    the only preset, offered without a list, is asked about first."""
    from ...widgets.workbook_offer import Question

    if chosen:
        return None
    return Question(
        "Start the funnel from this preset?",
        f"“{preset.title}” sets the stages and their owners; rename or move them after.",
        "Use it",
    )


def preset_choice(preset: FunnelPreset) -> WorkbookChoice:
    """A funnel preset as the chooser shows it: what it is for, then its stages."""
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice

    lines = [Content.from_markup("[b]$title[/b]", title=preset.title)]
    if preset.about:
        lines += [Content(""), Content(preset.about)]
    lines.append(Content(""))
    for n, stage in enumerate(preset.stages, 1):
        style = OWNER_STYLE[stage.owner]
        lines.append(
            Content.assemble(
                f"{n:>2}. ",
                (one_line(stage.name), "bold"),
                "  ",
                (OWNER_LETTER[stage.owner], f"bold {style}"),
                " ",
                (stage.owner.value, style),
            )
        )
    return WorkbookChoice(preset.key, preset.title, Content("\n").join(lines))


__all__ = ["StageList", "StageName", "StagesSection"]
