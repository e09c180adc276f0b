"""The workbook document a line of the loop points to (a campaign brief, a customer story).

On a line, ctrl+f opens the workbook's chooser
(:class:`~alignment_tui.dialogs.workbook_dialog.WorkbookDialog`) with every
document template, each shown whole (its headings and what to write under
each), and "No document"; the one chosen is saved on the item. A line that
points to a document says so under it (:class:`DocumentNote`); the report
prints each pointed-to document once, in an appendix.

A house template with the same key replaces the built-in one; a key the
workbook no longer has (a house file removed) is shown as the bare key.
The documents are read from the workbook once per folder and read again each
time the chooser opens, so a step with many lines does not read files per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ...sessions.text import one_line

if TYPE_CHECKING:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions.workbook import DocumentTemplate

CHOOSER_TITLE = "Which document does this line follow?"
CHOOSER_NOTE = (
    "The report prints the chosen document's headings, with what to write under each, "
    "in an appendix."
)
#: The chooser's key for "no document" (no document's key can start with "-").
NONE_KEY = "-none"
NONE_TITLE = "No document"
NONE_PREVIEW = (
    "The line follows no document.\n\n"
    "Choose this to take back a document chosen before; the line's words stay as they are."
)

#: The documents read so far, by the house folder they were read with.
_read: dict[Path, dict[str, DocumentTemplate]] = {}


def documents() -> dict[str, DocumentTemplate]:
    """The workbook's documents by key, as last read for the current house folder."""
    from ...sessions import workbook

    folder = workbook.house_folder()
    if folder not in _read:
        _read[folder] = workbook.load(folder).documents()
    return _read[folder]


def document_name(key: str) -> str:
    """The document's title, or the bare key when the workbook no longer has it."""
    from ...sessions import workbook

    return one_line(workbook.document_name(key, documents()))


def note_text(key: str) -> str:
    """What a line pointing to *key* says under it."""
    if key in documents():
        return f"↳ follows the {document_name(key)} template"
    return f"↳ follows {one_line(key)} (no longer in the workbook)"


class DocumentNote(Static):
    """Under a line: the document it follows (mounted only for a line that has had one)."""

    def __init__(self, owner_id: str, key: str) -> None:
        super().__init__(Content(note_text(key)), id=f"{owner_id}-doc", classes="fb-doc")
        self.display = bool(key)

    def show_document(self, key: str) -> None:
        if key:
            text = note_text(key)
            if str(self.content) != text:
                self.update(Content(text))
        if self.display != bool(key):
            self.display = bool(key)


def document_choice(doc: DocumentTemplate) -> WorkbookChoice:
    """A document as the chooser shows it: what it is for, then each heading and its prompt."""
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice

    lines = [Content.assemble((doc.title, "bold"))]
    if doc.about:
        lines += [Content(""), Content(doc.about)]
    for heading, prompt in doc.sections:
        lines += [Content(""), Content.assemble((heading, "bold")), Content(prompt)]
    return WorkbookChoice(doc.key, doc.title, Content("\n").join(lines))


def read_afresh() -> list[str]:
    """Read the workbook's documents again (the chooser is opening); the files it skipped."""
    from ...sessions import workbook

    folder = workbook.house_folder()
    book = workbook.load(folder)
    _read[folder] = book.documents()
    return book.problems


def choices() -> list[WorkbookChoice]:
    """Every document of the workbook, then "No document"."""
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice

    return [
        *(document_choice(d) for d in documents().values()),
        WorkbookChoice(NONE_KEY, NONE_TITLE, Content(NONE_PREVIEW)),
    ]
