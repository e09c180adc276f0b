"""One rule for control characters (``sessions.text``), and ``list`` showing text by it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment_tui import cli
from alignment_tui.sessions.export import csv_cell, md_inline, visible_controls
from alignment_tui.sessions.models import new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.sessions.text import (
    BIDI,
    ONE_LINE,
    VISIBLE,
    escape_bidi,
    one_line,
    snippet,
    visible,
)

C0 = [chr(c) for c in range(0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
#: Every character a terminal obeys instead of showing.
CONTROLS = [*C0, "\x7f", *C1]


def _controls_left(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cc"]


# -- the rule ---------------------------------------------------------------------------


def test_the_table_shows_each_control_as_one_symbol() -> None:
    assert visible("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"
    assert visible("nul\x00 bel\x07 del\x7f csi\x9b cr\r") == "nul␀ bel␇ del␡ csi� cr␍"
    # Tab and line feed are the context's business in multi-line text.
    assert visible("a\tb\nc") == "a\tb\nc"
    assert set(VISIBLE) == {ord(c) for c in CONTROLS} - {9, 10}
    assert all(len(shown) == 1 for shown in [*VISIBLE.values(), *ONE_LINE.values()])


def test_one_line_shows_tabs_and_breaks_too() -> None:
    assert one_line("a\tb\nc\r\nd\u2028e") == "a␉b␊c␍␊d␤e"
    assert one_line("plain text, émoji 🎯, 漢字") == "plain text, émoji 🎯, 漢字"
    assert _controls_left(one_line("".join(CONTROLS))) == []


@given(st.text(max_size=80))
def test_any_text_keeps_its_length_and_loses_its_controls(text: str) -> None:
    """One character for one character: a cursor in an input stays where it was."""
    shown = visible(text)
    assert len(shown) == len(text)
    assert set(_controls_left(shown)) <= {"\t", "\n"}
    flat = one_line(text)
    assert len(flat) == len(text)
    assert _controls_left(flat) == []
    assert len(flat.splitlines()) <= 1


def test_snippet_is_one_line_cut_with_an_ellipsis() -> None:
    assert snippet("  Agree\n the   MQL\t") == "Agree the MQL"
    assert snippet("a\x1b[2Jb") == "a␛[2Jb"
    long = "word " * 30
    assert len(snippet(long)) == 60 and snippet(long).endswith("…")
    assert snippet("abcdef", 4) == "abc…"
    assert snippet("abcd", 4) == "abcd"
    assert snippet(long, None) == long.strip()


def test_bidi_controls_are_written_out_for_files() -> None:
    assert escape_bidi("\u202eevil\u202c") == "\\u202eevil\\u202c"
    assert all(escape_bidi(ch).startswith("\\u") for ch in BIDI)


def test_exports_follow_the_same_rule() -> None:
    """Markdown and CSV show a control character exactly as the app does."""
    for ch in CONTROLS:
        if ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85":
            continue  # line breaks and white space: the exporters' own layout
        assert visible_controls(f"a{ch}b") == f"a{visible(ch)}b"
        assert md_inline(f"a{ch}b") == f"a{visible(ch)}b"
        assert csv_cell(f"a{ch}b") == f"a{visible(ch)}b"
    assert md_inline("\u202eevil") == "\\u202eevil"


# -- alignment-tui list -----------------------------------------------------------------

EVIL_TITLE = "Q4\x1b[31m red\x1b]0;pwned\x07 \u202eoverride"
EVIL_ORG = "Acme\ttabbed\x9b31m\x00"


def _list(folder: Path) -> list[str]:
    result = CliRunner().invoke(cli.cli, ["list", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert _controls_left(result.output.replace("\n", "")) == []
    return result.output.splitlines()


def test_list_shows_an_escape_in_a_title_as_the_app_does(tmp_path: Path) -> None:
    path = tmp_path / "evil.alignment.db"
    SessionService.create(path, new_session(EVIL_TITLE, organisation=EVIL_ORG)).close()
    header, row = _list(tmp_path)
    assert row.startswith("evil.alignment.db")
    assert "Q4␛[31m red␛]0;pwned␇ \\u202eoverride" in row
    assert "Acme tabbed�31m␀" in row
    # The columns stay aligned: each header word sits over its value.
    progress = header.index("PROGRESS")
    assert row[progress].isdigit() and row[progress - 2 : progress] == "  "


def test_list_from_a_session_that_was_not_closed(tmp_path: Path) -> None:
    """Without a stored summary ``list`` reads the session itself: the same rule applies."""
    path = tmp_path / "open.alignment.db"
    service = SessionService.create(path, new_session("x"))
    service.update_meta(title="Line one\nline two\x1b[0m")
    service.store.conn.close()  # as a crash would leave it: no summary for this change
    (row,) = _list(tmp_path)[1:]
    assert "Line one line two␛[0m" in row
    assert read_session(path).meta.title == "Line one\nline two\x1b[0m"  # stored as typed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_any_title_is_one_cell_of_one_line(title: str) -> None:
    cell = cli._cell(title.strip())
    assert _controls_left(cell) == [] and len(cell.splitlines()) <= 1
    assert len(cell) <= 40
