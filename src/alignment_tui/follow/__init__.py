"""The follow view: a live, read-only view of a session that another copy is editing.

``alignment-tui follow PATH`` shows what the room should look at (the current
step's agreement in presentation form, its timer and its open actions), never
the forms, and follows the facilitator's copy within a second.

- :mod:`.source` — the session file, read-only at the SQLite level, polled for
  changes with ``PRAGMA data_version`` (no Textual: tested headless).
- :mod:`.app`, :mod:`.screen` — the Textual app and its one screen.
- :mod:`.timer` — the step timer as the editing copy saves it.
- :mod:`.blocks`, :mod:`.house`, :mod:`.agreements` — the presentation of each step.
- :mod:`.serve` — ``alignment-tui serve``: the same view in browsers (textual-serve), one
  process per visitor (``python -m alignment_tui.follow PATH``), a token off localhost.

Sits above the steps, widgets and the core (it reuses the Funnel step's chart by
import); nothing below imports it.
"""
