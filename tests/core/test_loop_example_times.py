"""The loop examples' meeting time: each built-in example says a weekday and a start time;
a house example may leave them out and still loads (it then fills no day or time). An
example's lines may point to a document, naming the line by its text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alignment_tui.sessions import workbook
from alignment_tui.sessions.models import Weekday

HOUSE_LOOP = """
[[loop]]
key = "our-loop"
title = "Our loop"
cadence = "weekly"
forum = "Monday huddle"
duration_minutes = 15
attendees = "Everyone"
sales_brings = ["Stories"]
marketing_brings = ["Plans"]
rules = ["Be kind"]
"""


def test_every_built_in_example_says_when_it_meets() -> None:
    examples = workbook.load(Path("/nonexistent")).loop_examples()
    assert len(examples) >= 4
    for example in examples:
        assert isinstance(example.weekday, Weekday), example.key
        assert isinstance(example.start_time, dt.time), example.key
        # a working-hours meeting, on a working day
        assert example.weekday not in (Weekday.SATURDAY, Weekday.SUNDAY)
        assert dt.time(8, 0) <= example.start_time <= dt.time(17, 0)


def test_a_house_example_without_a_time_loads(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(HOUSE_LOOP, encoding="utf-8")
    book = workbook.load(tmp_path)
    assert book.problems == []
    ours = next(e for e in book.loop_examples() if e.key == "our-loop")
    assert (ours.weekday, ours.start_time) == (None, None)


def test_a_house_example_with_a_time_it_cannot_read_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(
        HOUSE_LOOP.replace('cadence = "weekly"', 'cadence = "weekly"\nstart_time = "half past"'),
        encoding="utf-8",
    )
    book = workbook.load(tmp_path)
    assert len(book.problems) == 1 and "start_time" in book.problems[0]
    assert all(e.key != "our-loop" for e in book.loop_examples())


def test_an_example_points_only_lines_it_has_to_documents(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(
        HOUSE_LOOP + 'documents = { "Plans" = "campaign-brief" }\n', encoding="utf-8"
    )
    ours = next(e for e in workbook.load(tmp_path).loop_examples() if e.key == "our-loop")
    assert ours.documents == {"Plans": "campaign-brief"}
    (tmp_path / "ours.toml").write_text(
        HOUSE_LOOP + 'documents = { "Nothing like it" = "campaign-brief" }\n', encoding="utf-8"
    )
    book = workbook.load(tmp_path)
    assert len(book.problems) == 1 and "in no list" in book.problems[0]
    built_in = {e.key: e.documents for e in book.loop_examples()}
    assert built_in["brief-preview"] and built_in["customer-story-swap"]
