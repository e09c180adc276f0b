"""``import-counts``: funnel counts from a CRM report's CSV export (issue 13).

Golden tests on small CSV files written here (what the command prints, what the
session holds afterwards), and every file it must refuse: exit 2, one line on
stderr, and the session file byte-identical.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile_files import HOSTILE_SESSIONS

from alignment_tui import cli
from alignment_tui.sessions.counts_csv import (
    MAX_CSV_BYTES,
    CountsFileError,
    apply_import,
    parse_counts_csv,
    plan_import,
)
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import Session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import SessionStore, read_session

SRC = str(Path(__file__).resolve().parents[2] / "src")
STAGES = ("Reach", "Enquiry", "Marketing-qualified", "Sales-accepted", "Opportunity", "Proposal")

# The demo's funnel (its 2026 Q4 counts, then the CSV's):
#   Reach 52,500 · Enquiry 1,180 · Marketing-qualified 365 · Sales-accepted 248
#   Opportunity 118 · Proposal 52 · Won 16

Q1_COMMA = (
    "Stage,Count\n"
    "Reach,61000\n"
    "Enquiry,1450\n"
    "Marketing-qualified,520\n"
    "Sales-accepted,260\n"
    "Opportunity,130\n"
    "Proposal,70\n"
    "Won,21\n"
)

Q1_DRY_RUN = """\
Dry run: nothing is written.
2027 Q1 (new period) from q1.csv: stages from "Stage", counts from "Count", comma-separated
  Reach                — → 61,000
  Enquiry              — →  1,450
  Marketing-qualified  — →    520
  Sales-accepted       — →    260
  Opportunity          — →    130
  Proposal             — →     70
  Won                  — →     21
"""


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("demo") / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path.read_bytes()


@pytest.fixture
def demo_file(tmp_path: Path, demo_bytes: bytes) -> Path:
    path = tmp_path / "demo.alignment.db"
    path.write_bytes(demo_bytes)
    return path


@pytest.fixture(autouse=True)
def _no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("import-counts never starts the app")

    monkeypatch.setattr(cli, "run_app", refuse)


def _csv(folder: Path, content: str | bytes, name: str = "counts.csv") -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli.cli, ["import-counts", *map(str, args)])


def _ok(result: Any) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert result.stderr == ""
    return str(result.stdout)


def _refused(result: Any, *expected: str) -> str:
    """Exit 2, one line on stderr (holding each of *expected*), nothing on stdout."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    for text in expected:
        assert text in lines[0], lines[0]
    return str(lines[0])


def _counts(session: Session, label: str) -> dict[str, tuple[int | None, int | None]]:
    period = next(p for p in session.funnel_periods if p.label == label)
    found: dict[str, tuple[int | None, int | None]] = {}
    for stage in session.sorted_stages():
        c = session.count_for(stage.id, period.id)
        if c is not None:
            found[stage.name] = (c.count, c.target)
    return found


# -- golden: what is read, what is printed, what is saved ---------------------------------


def test_dry_run_prints_each_stage_old_to_new_and_writes_nothing(
    demo_file: Path, demo_bytes: bytes, tmp_path: Path
) -> None:
    csv_file = _csv(tmp_path, Q1_COMMA, "q1.csv")
    out = _ok(_run(demo_file, csv_file, "--period", "2027 Q1", "--dry-run"))
    assert out == Q1_DRY_RUN
    assert demo_file.read_bytes() == demo_bytes


def test_comma_file_into_a_new_period(demo_file: Path, tmp_path: Path) -> None:
    csv_file = _csv(tmp_path, Q1_COMMA, "q1.csv")
    out = _ok(_run(demo_file, csv_file, "--period", "2027 Q1"))
    assert out == (
        Q1_DRY_RUN.removeprefix("Dry run: nothing is written.\n")
        + "Counts for a new period 2027 Q1: 7 new; saved in demo.alignment.db\n"
    )
    session = read_session(demo_file)
    assert [p.label for p in session.sorted_periods()] == ["2026 Q3", "2026 Q4", "2027 Q1"]
    assert _counts(session, "2027 Q1") == {
        "Reach": (61000, None),
        "Enquiry": (1450, None),
        "Marketing-qualified": (520, None),
        "Sales-accepted": (260, None),
        "Opportunity": (130, None),
        "Proposal": (70, None),
        "Won": (21, None),
    }
    # The earlier periods are as they were.
    assert _counts(session, "2026 Q4") == _counts(demo_session(), "2026 Q4")
    # The same file again changes nothing, and says so (the period matched ignoring case).
    before = demo_file.read_bytes()
    out = _ok(_run(demo_file, csv_file, "--period", " 2027  q1 "))
    assert out == "Nothing to change: 2027 Q1 already has these counts.\n"
    assert demo_file.read_bytes() == before


def test_semicolon_file_with_a_bom_dots_for_thousands_and_a_total_row(
    demo_file: Path, tmp_path: Path
) -> None:
    # Excel in a comma-decimal locale: semicolons, a byte-order mark, dots for thousands.
    content = (
        "\ufeffStage;Record Count\r\n"
        'Reach;"61.000"\r\n'
        "enquiry;1.450\r\n"
        "  MARKETING-QUALIFIED ;520\r\n"
        "Sales-accepted;260\r\n"
        "Total;62.230\r\n"
    )
    out = _ok(_run(demo_file, _csv(tmp_path, content), "--period", "2027 Q1", "--dry-run"))
    assert out == (
        "Dry run: nothing is written.\n"
        '2027 Q1 (new period) from counts.csv: stages from "Stage", counts from "Record Count", '
        "semicolon-separated\n"
        "  Reach                — → 61,000\n"
        "  Enquiry              — →  1,450\n"
        "  Marketing-qualified  — →    520\n"
        "  Sales-accepted       — →    260\n"
        "Not in the file, left as they are: Opportunity, Proposal, Won\n"
        "Skipped as the report's total: line 6 (Total)\n"
    )
    _ok(_run(demo_file, _csv(tmp_path, content), "--period", "2027 Q1"))
    assert _counts(read_session(demo_file), "2027 Q1") == {
        "Reach": (61000, None),
        "Enquiry": (1450, None),
        "Marketing-qualified": (520, None),
        "Sales-accepted": (260, None),
    }


def test_quoted_numbers_with_separators_in_a_comma_file(demo_file: Path, tmp_path: Path) -> None:
    content = (
        "Stage,Count\n"
        'Reach,"61,000"\n'
        'Enquiry,"1 450"\n'  # a space
        'Marketing-qualified,"1\u00a0520"\n'  # a no-break space, as French exports write
        "Opportunity,130\n"
        "Proposal,1'070\n"  # the Swiss apostrophe
    )
    _ok(_run(demo_file, _csv(tmp_path, content), "--period", "2027 Q1"))
    assert _counts(read_session(demo_file), "2027 Q1") == {
        "Reach": (61000, None),
        "Enquiry": (1450, None),
        "Marketing-qualified": (1520, None),
        "Opportunity": (130, None),
        "Proposal": (1070, None),
    }
    # A dot is a thousands separator when a count with two dot groups says so.
    dots = 'Stage,Count\nReach,"1.200.000"\nEnquiry,"1.450"\nWon,21\n'
    _ok(_run(demo_file, _csv(tmp_path, dots), "--period", "2027 Q2"))
    assert _counts(read_session(demo_file), "2027 Q2") == {
        "Reach": (1200000, None),
        "Enquiry": (1450, None),
        "Won": (21, None),
    }


def test_tab_file_with_a_crm_report_header(demo_file: Path, tmp_path: Path) -> None:
    content = "Deal Stage\tCount of Deals\nOpportunity\t130\nProposal\t70\nWon\t21\n"
    out = _ok(_run(demo_file, _csv(tmp_path, content), "-p", "2027 Q1", "--dry-run"))
    assert (
        'stages from "Deal Stage", counts from "Count of Deals", tab-separated'
        in out.splitlines()[1]
    )


def test_columns_given_by_name_or_number(demo_file: Path, tmp_path: Path) -> None:
    content = "Owner,Phase,Leads,Value\nAna,Reach,61000,0\nBo,Won,21,50000\n"
    path = _csv(tmp_path, content)
    _refused(_run(demo_file, path, "-p", "2027 Q1"), "which column holds the counts?", '"Leads"')
    by_name = _ok(
        _run(demo_file, path, "-p", "2027 Q1", "--stage-column", "phase", "--count-column", "LEADS")
    )
    assert 'stages from "Phase", counts from "Leads"' in by_name
    assert _counts(read_session(demo_file), "2027 Q1") == {
        "Reach": (61000, None),
        "Won": (21, None),
    }
    by_number = _ok(
        _run(demo_file, path, "-p", "2027 Q2", "--stage-column", "2", "--count-column", "3")
    )
    assert 'stages from "Phase", counts from "Leads"' in by_number
    assert _counts(read_session(demo_file), "2027 Q2") == {
        "Reach": (61000, None),
        "Won": (21, None),
    }


def test_excels_sep_line_names_the_separator(demo_file: Path, tmp_path: Path) -> None:
    content = "sep=,\r\nStage,Count\r\nReach,61000\r\nWon,21\r\n"
    out = _ok(_run(demo_file, _csv(tmp_path, content), "-p", "2027 Q1"))
    assert 'stages from "Stage", counts from "Count", comma-separated' in out
    assert _counts(read_session(demo_file), "2027 Q1") == {
        "Reach": (61000, None),
        "Won": (21, None),
    }
    # The lines named in a message are the file's own (the sep= line counts).
    line = _refused(
        _run(demo_file, _csv(tmp_path, "sep=;\nStage;Count\nReach;-1\n"), "-p", "2027 Q2")
    )
    assert 'line 3 ("Reach")' in line


def test_a_file_without_a_header(demo_file: Path, tmp_path: Path) -> None:
    out = _ok(_run(demo_file, _csv(tmp_path, "Reach;61000\nWon;21\n"), "-p", "2027 Q1"))
    assert "stages from column 1, counts from column 2, semicolon-separated" in out
    assert _counts(read_session(demo_file), "2027 Q1") == {
        "Reach": (61000, None),
        "Won": (21, None),
    }


def test_existing_counts_are_replaced_only_with_replace(
    demo_file: Path, demo_bytes: bytes, tmp_path: Path
) -> None:
    # 2026 Q4 has counts (and targets); Won's count is the same in the file.
    path = _csv(tmp_path, "Stage,Count\nReach,53000\nEnquiry,1200\nWon,16\n")
    line = _refused(_run(demo_file, path, "--period", "2026 Q4"))
    assert line == (
        "Error: 2026 Q4 already has counts that would change: Reach (52,500 → 53,000), "
        "Enquiry (1,180 → 1,200); use --replace to overwrite them (nothing was written)"
    )
    assert demo_file.read_bytes() == demo_bytes
    out = _ok(_run(demo_file, path, "--period", "2026 Q4", "--dry-run"))
    assert out == (
        "Dry run: nothing is written.\n"
        '2026 Q4 (existing period) from counts.csv: stages from "Stage", counts from "Count", '
        "comma-separated\n"
        "  Reach    52,500 → 53,000  (replaced)\n"
        "  Enquiry   1,180 →  1,200  (replaced)\n"
        "  Won          16 →     16  (unchanged)\n"
        "Not in the file, left as they are: Marketing-qualified, Sales-accepted, Opportunity, "
        "Proposal\n"
        "Counts would be overwritten: the import needs --replace.\n"
    )
    assert demo_file.read_bytes() == demo_bytes
    out = _ok(_run(demo_file, path, "--period", "2026 Q4", "--replace"))
    assert out.endswith(
        "Counts for the period 2026 Q4: 2 replaced, 1 unchanged; saved in demo.alignment.db\n"
    )
    after = _counts(read_session(demo_file), "2026 Q4")
    assert after["Reach"] == (53000, 55000)  # the target stays
    assert after["Enquiry"] == (1200, 1200)
    assert after["Won"] == (16, 18)
    assert after["Proposal"] == (52, 55)  # not in the file: untouched


def test_a_period_without_counts_yet_needs_no_replace(demo_file: Path, tmp_path: Path) -> None:
    # A target alone is not a count: filling the count beside it replaces nothing.
    service = SessionService.open(demo_file)
    period = service.add(type(service.session.funnel_periods[0]), label="2027 Q1")
    service.set_count(1, period.id, target=60000)
    service.close()
    out = _ok(_run(demo_file, _csv(tmp_path, "Stage,Count\nReach,61000\n"), "-p", "2027 Q1"))
    assert "Reach  — → 61,000" in out
    assert _counts(read_session(demo_file), "2027 Q1") == {"Reach": (61000, 60000)}


def test_the_import_is_one_transaction_through_the_service(demo_file: Path, tmp_path: Path) -> None:
    table = parse_counts_csv(Q1_COMMA.encode(), source="q1.csv")
    service = SessionService.open(demo_file)
    heard: list[str] = []
    service.subscribe(heard.append)
    writes: list[int] = []
    apply = service.store.apply

    def counted(*args: Any, **kwargs: Any) -> None:
        writes.append(1)
        apply(*args, **kwargs)

    service.store.apply = counted  # type: ignore[method-assign]
    plan = apply_import(service, table, "2027 Q1")
    assert len(writes) == 1
    assert plan.new_period and len(plan.writes) == 7
    assert set(heard) >= {"funnel_periods", "funnel_counts"}
    service.close()
    assert _counts(read_session(demo_file), "2027 Q1")["Won"] == (21, None)


# -- files it refuses: one line, exit 2, the session byte-identical ------------------------

REFUSED_FILES: list[tuple[str, str | bytes, str]] = [
    ("empty", b"", "counts.csv: is empty"),
    ("blank lines only", "\n \n\t\n", "counts.csv: is empty"),
    ("a header only", "Stage,Count\n", "has a header but no stages under it"),
    ("prose, not CSV", "Dear all\nthe numbers are up\n", "is not a CSV file with a stage column"),
    ("binary (a PNG)", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "holds binary data"),
    ("an xlsx (a zip)", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "holds binary data"),
    ("UTF-16", "Stage\tCount\nReach\t5\n".encode("utf-16"), "is UTF-16 text"),
    ("Latin-1", "Stage,Count\nReach,5\nÉtape,3\n".encode("latin-1"), "is not UTF-8 text (line 3"),
    ("a negative count", "Stage,Count\nReach,-5\n", 'line 2 ("Reach"): the count is negative'),
    ("a minus sign", "Stage,Count\nReach,\u22125\n", "the count is negative"),
    ("a decimal", "Stage,Count\nReach,12.5\n", "must be a whole number, not 12.5"),
    ("a decimal comma", 'Stage,Count\nReach,"12,5"\n', "must be a whole number, not 12,5"),
    (
        "a dot that may be decimal",
        "Stage,Count\nReach,1.200\n",
        "1.200 could mean 1.2 or 1200; write 1200",
    ),
    ("not a number", "Stage,Count\nReach,lots\n", "the count is not a number (lots)"),
    ("a percentage", "Stage,Count\nReach,12%\n", "the count is not a number (12%)"),
    ("too large", "Stage,Count\nReach,9999999999999999\n", "the count is too large"),
    ("mixed separators", 'Stage;Count\nReach;"61,000"\nWon;1.200\n', "uses a comma where"),
    (
        "a duplicate stage",
        "Stage,Count\nReach,5\nWon,1\n REACH ,6\n",
        '"REACH" is there twice (lines 2 and 4)',
    ),
    ("a stage with no count", "Stage,Count\nReach,5\nWon,\n", 'line 3 ("Won") has no count'),
    ("a short row", "Stage,Count\nReach,5\nWon\n", 'line 3 ("Won") has no count'),
    ("a count with no stage", "Stage,Count\nReach,5\n,7\n", "line 3 has a count (7) but no stage"),
    (
        "a stage not in the funnel",
        "Stage,Count\nReach,5\nDemo booked,3\n",
        '1 stage is not in the funnel: "Demo booked"',
    ),
    (
        "an unquoted 1,200",
        "Stage,Count\nReach,1,200\n",
        "line 2 has 3 cells, more than the 2 columns of the first line (a count with a comma",
    ),
    ("only Excel's sep= line", "sep=;\n", "counts.csv: is empty"),
    ("an unclosed quote", 'Stage,Count\nReach,"5\nWon,3\n', "a quote is never closed"),
    ("no count column", "Stage,Leads,Contacts\nReach,5,6\n", "which column holds the counts?"),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    [pytest.param(c, e, id=name) for name, c, e in REFUSED_FILES],
)
def test_refused_files_leave_the_session_byte_identical(
    content: str | bytes, expected: str, demo_file: Path, demo_bytes: bytes, tmp_path: Path
) -> None:
    path = _csv(tmp_path, content)
    for extra in ([], ["--dry-run"], ["--replace"]):
        line = _refused(_run(demo_file, path, "--period", "2027 Q1", *extra), expected)
        assert "\x1b" not in line
    assert demo_file.read_bytes() == demo_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv", "demo.alignment.db"]


def test_a_huge_file_is_refused_before_it_is_read(
    demo_file: Path, demo_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "counts.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Stage,Count\n")
        row = "Reach,1\n"
        out.write(row * (MAX_CSV_BYTES // len(row) + 1))
    _refused(
        _run(demo_file, path, "-p", "2027 Q1"),
        "counts.csv: is 1,048,",
        "bytes; a counts report is a few lines (at most 1 MB)",
    )
    # Many short lines under the size limit are refused as well.
    many = "Stage,Count\n" + "".join(f"Stage {n},1\n" for n in range(2000))
    _refused(_run(demo_file, _csv(tmp_path, many), "-p", "2027 Q1"), "has 2001 lines")
    assert demo_file.read_bytes() == demo_bytes


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--period", "  "], "--period must not be empty"),
        (["--period", "x" * 201], "too long"),
        (["-p", "2027 Q1", "--count-column", "Amount"], 'no column is called "Amount"'),
        (["-p", "2027 Q1", "--count-column", "5"], "there is no column 5: the file has 2 columns"),
        (["-p", "2027 Q1", "--stage-column", "2", "--count-column", "2"], "the same column"),
    ],
)
def test_bad_requests(
    args: list[str], expected: str, demo_file: Path, demo_bytes: bytes, tmp_path: Path
) -> None:
    _refused(_run(demo_file, _csv(tmp_path, Q1_COMMA), *args), expected)
    assert demo_file.read_bytes() == demo_bytes


def test_missing_csv_and_a_folder(demo_file: Path, demo_bytes: bytes, tmp_path: Path) -> None:
    _refused(_run(demo_file, tmp_path / "nope.csv", "-p", "2027 Q1"), "nope.csv: no such file")
    _refused(_run(demo_file, tmp_path, "-p", "2027 Q1"), "is a folder, not a CSV file")
    assert demo_file.read_bytes() == demo_bytes


def test_the_period_is_required(demo_file: Path, tmp_path: Path) -> None:
    result = _run(demo_file, _csv(tmp_path, Q1_COMMA))
    assert result.exit_code == 2
    assert "Missing option '--period'" in result.stderr


# -- sessions it refuses, as export and import do ------------------------------------------


@pytest.mark.parametrize("make", HOSTILE_SESSIONS, ids=lambda f: f.__name__.strip("_"))
def test_hostile_sessions_are_refused_untouched(
    make: Callable[[Path, bytes], None], demo_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.alignment.db"
    make(path, demo_bytes)
    before = path.read_bytes() if path.is_file() else None
    csv_file = _csv(tmp_path, Q1_COMMA)
    for extra in ([], ["--dry-run"], ["--replace"]):
        line = _refused(_run(path, csv_file, "-p", "2027 Q1", *extra))
        assert "hostile" in line
    assert (path.read_bytes() if path.is_file() else None) == before


def _hold(path: Path) -> None:
    """Mark *path* as open by another live alignment-tui (our parent process)."""
    store = SessionStore.open(path)
    with store.conn:
        store.conn.execute(
            "UPDATE app_meta SET value=? WHERE key='open_by'",
            (json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": "09:00"}),),
        )
    store.conn.close()


def test_a_session_open_in_the_app_is_refused_but_a_dry_run_may_look(
    demo_file: Path, tmp_path: Path
) -> None:
    _hold(demo_file)
    before = demo_file.read_bytes()
    csv_file = _csv(tmp_path, Q1_COMMA)
    _refused(
        _run(demo_file, csv_file, "-p", "2027 Q1"),
        "demo.alignment.db: open in another alignment-tui; close it first",
    )
    assert demo_file.read_bytes() == before
    assert _ok(_run(demo_file, csv_file, "-p", "2027 Q1", "--dry-run")).startswith("Dry run")
    assert demo_file.read_bytes() == before


def test_a_read_only_session_is_refused(demo_file: Path, demo_bytes: bytes, tmp_path: Path) -> None:
    demo_file.chmod(0o444)
    try:
        _refused(_run(demo_file, _csv(tmp_path, Q1_COMMA), "-p", "2027 Q1"), "read-only")
    finally:
        demo_file.chmod(0o644)
    assert demo_file.read_bytes() == demo_bytes


def test_user_text_is_shown_not_obeyed(demo_file: Path, tmp_path: Path) -> None:
    line = _refused(
        _run(demo_file, _csv(tmp_path, "Stage,Count\n\x1b[31mRed,5\n"), "-p", "2027 Q1"),
        '"␛[31mRed"',
    )
    assert "\x1b" not in line


# -- the core without the command line ---------------------------------------------------


def test_plan_names_the_funnels_stages_in_order_whatever_the_files_order() -> None:
    table = parse_counts_csv(b"Stage,Count\nWon,3\nReach,100\n", source="x.csv")
    plan = plan_import(demo_session(), table, "2027 Q1")
    assert [c.stage.name for c in plan.changes] == ["Reach", "Won"]
    assert [s.name for s in plan.missing] == list(STAGES[1:])


def test_a_stage_called_total_is_a_stage_when_the_funnel_has_one() -> None:
    session = demo_session()
    session.funnel_stages[-1] = session.funnel_stages[-1].model_copy(update={"name": "Total"})
    table = parse_counts_csv(b"Stage,Count\nReach,100\nTotal,3\n", source="x.csv")
    plan = plan_import(session, table, "2027 Q1")
    assert [c.stage.name for c in plan.changes] == ["Reach", "Total"]
    assert plan.skipped == ()


def test_two_funnel_stages_with_one_name_are_refused() -> None:
    session = demo_session()
    session.funnel_stages[-1] = session.funnel_stages[-1].model_copy(update={"name": "reach"})
    table = parse_counts_csv(b"Stage,Count\nReach,100\n", source="x.csv")
    with pytest.raises(CountsFileError, match="matches 2 of the funnel's stages"):
        plan_import(session, table, "2027 Q1")


def test_import_counts_never_imports_textual_or_rich(demo_file: Path, tmp_path: Path) -> None:
    csv_file = _csv(tmp_path, Q1_COMMA)
    code = f"""
import sys
from alignment_tui.cli import cli
for extra in (["--dry-run"], []):
    try:
        cli.main(args=["import-counts", {str(demo_file)!r}, {str(csv_file)!r}, "-p", "2027 Q1",
                       *extra], prog_name="alignment-tui")
    except SystemExit as exc:
        assert not exc.code, exc.code
print("LOADED:", sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")))
"""
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "LOADED: []" in proc.stdout
    assert "Counts for a new period 2027 Q1: 7 new" in proc.stdout


def test_an_older_session_is_migrated_only_when_counts_are_written(tmp_path: Path) -> None:
    old = tmp_path / "old.alignment.db"
    old.write_bytes((Path(__file__).parent / "data" / "schema_v1.session.sqlite").read_bytes())
    before = old.read_bytes()
    csv_file = _csv(tmp_path, Q1_COMMA)
    assert _ok(_run(old, csv_file, "-p", "2027 Q1", "--dry-run")).startswith("Dry run")
    assert old.read_bytes() == before
    _ok(_run(old, csv_file, "-p", "2027 Q1"))
    assert _counts(read_session(old), "2027 Q1")["Won"] == (21, None)


# -- any well-formed report reads back as written ------------------------------------------

_DEMO = demo_session()


def _formatted(count: int, how: str, separator: str) -> str:
    if how == "plain" or count < 1000:
        return str(count)
    if how == "comma" and separator != ";":
        return f'"{count:,}"'
    if how == "dot" and separator == ";":
        return f"{count:,}".replace(",", ".")
    return f'"{count:,}"'.replace(",", "\u00a0") if how == "nbsp" else str(count)


@settings(max_examples=150, deadline=None)
@given(
    picked=st.lists(st.sampled_from(range(7)), min_size=1, max_size=7, unique=True),
    counts=st.lists(st.integers(0, 10**9), min_size=7, max_size=7),
    separator=st.sampled_from([",", ";", "\t"]),
    how=st.sampled_from(["plain", "comma", "dot", "nbsp"]),
    bom=st.booleans(),
    crlf=st.booleans(),
    shout=st.booleans(),
)
def test_a_well_formed_report_reads_back_as_written(
    picked: list[int],
    counts: list[int],
    separator: str,
    how: str,
    bom: bool,
    crlf: bool,
    shout: bool,
) -> None:
    stages = _DEMO.sorted_stages()
    end = "\r\n" if crlf else "\n"
    lines = [f"Stage{separator}Count"]
    for i in picked:
        name = stages[i].name.upper() if shout else f" {stages[i].name} "
        lines.append(f"{name}{separator}{_formatted(counts[i], how, separator)}")
    data = (("\ufeff" if bom else "") + end.join(lines) + end).encode("utf-8")
    plan = plan_import(_DEMO, parse_counts_csv(data, source="r.csv"), "2027 Q1")
    assert {c.stage.name: c.new for c in plan.changes} == {
        stages[i].name: counts[i] for i in picked
    }
    assert plan.new_period and not plan.replaced
