"""parse_count: what it takes, and a reason whose example fits the field."""

from __future__ import annotations

import pytest

from alignment_tui.sessions.parse import parse_count


@pytest.mark.parametrize(
    ("text", "value"),
    [("1200", 1200), ("1,200", 1200), ("1 200", 1200), (" 7 ", 7), ("0", 0), ("", None)],
)
def test_counts_with_and_without_separators(text: str, value: int | None) -> None:
    assert parse_count(text) == value


def test_a_count_reason_shows_the_separator() -> None:
    with pytest.raises(ValueError) as refused:
        parse_count("lots", field="Count")
    assert str(refused.value) == "Count must be a whole number, like 1200 or 1,200"


@pytest.mark.parametrize(
    ("field", "example", "reason"),
    [
        ("Dot votes", 5, "Dot votes must be a whole number, like 5"),
        ("Workshop length", 180, "Workshop length must be a whole number, like 180"),
        ("Target", 25_000, "Target must be a whole number, like 25000 or 25,000"),
    ],
)
def test_the_example_fits_the_field(field: str, example: int, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_count("two", field=field, example=example)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-3", "Dot votes cannot be negative"),
        ("2.5", "Dot votes must be a whole number"),
        ("1" + "0" * 16, "Dot votes is too large"),
    ],
)
def test_other_reasons_are_unchanged(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_count(text, field="Dot votes", example=5)
    assert str(refused.value) == reason


def test_a_blank_is_refused_only_when_required() -> None:
    assert parse_count(" ", field="Briefs, weeks ahead", example=4) is None
    with pytest.raises(ValueError) as refused:
        parse_count(" ", field="Briefs, weeks ahead", allow_blank=False, example=4)
    assert str(refused.value) == "Briefs, weeks ahead is required"
