"""The command line contract: commands, exit codes, one-line errors, no Textual where not needed."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from alignment_tui import __version__, cli
from alignment_tui.sessions.demo import DEMO_TITLE, demo_session
from alignment_tui.sessions.export import FORMATS, render
from alignment_tui.sessions.jsonio import to_json
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import SessionStore, read_session
from conftest import PinnedClock

GOLDEN = Path(__file__).parent / "golden"
SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record instead of starting the terminal UI."""
    calls: list[dict[str, Any]] = []

    def fake_run_app(path: Path | None, *, readonly: bool = False, review: bool = False) -> None:
        calls.append({"path": path, "readonly": readonly, "review": review})

    monkeypatch.setattr(cli, "run_app", fake_run_app)
    return calls


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


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


def _fails(result: Any, *expected: str) -> str:
    """Exit 2 with one line on stderr (containing *expected*)."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0]
    return str(lines[0])


def _hold(path: Path) -> None:
    """Mark *path* as open by another live alignment-tui (our parent process)."""
    store = SessionStore.open(path)
    with store.conn:
        store.conn.execute(
            "UPDATE app_meta SET value=? WHERE key='open_by'",
            (json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": "09:00"}),),
        )
    store.conn.close()  # leave the marker behind, as a running copy would


# -- basics --------------------------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli.cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"alignment-tui {__version__}\n"


def test_no_command_starts_the_start_screen(runner: CliRunner, runs: list) -> None:
    result = runner.invoke(cli.cli, [])
    assert result.exit_code == 0
    assert runs == [{"path": None, "readonly": False, "review": False}]


def test_export_formats_match_the_exporter() -> None:
    assert cli.EXPORT_FORMATS == FORMATS


def test_bad_usage_exits_2(runner: CliRunner, runs: list) -> None:
    assert runner.invoke(cli.cli, ["frobnicate"]).exit_code == 2
    assert runner.invoke(cli.cli, ["export"]).exit_code == 2
    assert runner.invoke(cli.cli, ["export", "x", "--format", "pdf"]).exit_code == 2
    assert runs == []


# -- new and demo ----------------------------------------------------------------------


def test_new_default_path_is_in_the_data_folder(
    runner: CliRunner, runs: list, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli.cli, ["new", "--title", "Q1 kick-off", "--organisation", "Acme", "--no-open"]
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "q1-kick-off.alignment.db"
    assert result.output == f"Created {path}\n"
    session = read_session(path)
    assert (session.meta.title, session.meta.organisation) == ("Q1 kick-off", "Acme")
    assert runs == []
    # a second one gets a fresh name
    runner.invoke(cli.cli, ["new", "--title", "Q1 kick-off", "--no-open"])
    assert (tmp_path / "data" / "q1-kick-off-2.alignment.db").exists()


def test_new_bare_name_gets_the_suffix_and_opens(
    runner: CliRunner, runs: list, tmp_path: Path
) -> None:
    result = runner.invoke(cli.cli, ["new", "acme", "--date", "2026-12-01", "-f", "Fran"])
    assert result.exit_code == 0, result.output
    path = Path("acme.alignment.db")
    assert (tmp_path / path).exists()
    assert read_session(tmp_path / path).meta.workshop_date.isoformat() == "2026-12-01"
    assert runs == [{"path": path, "readonly": False, "review": False}]


def test_new_refuses_an_existing_file_and_a_bad_date(
    runner: CliRunner, runs: list, demo_file: Path
) -> None:
    before = demo_file.read_bytes()
    _fails(runner.invoke(cli.cli, ["new", str(demo_file), "--no-open"]), "already exists")
    assert demo_file.read_bytes() == before
    _fails(runner.invoke(cli.cli, ["new", "x", "--date", "2026-02-30"]), "not a real date")
    _fails(runner.invoke(cli.cli, ["new", "x", "--title", "  "]), "--title")
    _fails(runner.invoke(cli.cli, ["new", "missing/x.alignment.db"]), "no such folder")
    assert runs == []
    assert not Path("x.alignment.db").exists()


def test_demo_creates_the_demo(runner: CliRunner, runs: list, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["demo", "--no-open"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "revenue-team-alignment-2027.alignment.db"
    assert read_session(path) == demo_session()
    assert read_session(path).meta.title == DEMO_TITLE
    assert runs == []
    result = runner.invoke(cli.cli, ["demo", "show"])
    assert result.exit_code == 0
    assert runs == [{"path": Path("show.alignment.db"), "readonly": False, "review": False}]


# -- open ----------------------------------------------------------------------------


def test_open_passes_the_flags(runner: CliRunner, runs: list, demo_file: Path) -> None:
    assert runner.invoke(cli.cli, ["open", str(demo_file), "--review"]).exit_code == 0
    assert runner.invoke(cli.cli, ["open", str(demo_file), "--read-only"]).exit_code == 0
    assert runs == [
        {"path": demo_file, "readonly": False, "review": True},
        {"path": demo_file, "readonly": True, "review": False},
    ]


def test_open_finds_a_bare_name_in_the_data_folder(
    runner: CliRunner, runs: list, tmp_path: Path
) -> None:
    runner.invoke(cli.cli, ["demo", "--no-open"])
    assert runner.invoke(cli.cli, ["open", "revenue-team-alignment-2027"]).exit_code == 0
    assert runs[0]["path"] == tmp_path / "data" / "revenue-team-alignment-2027.alignment.db"


def test_open_missing_file(runner: CliRunner, runs: list) -> None:
    _fails(runner.invoke(cli.cli, ["open", "nope"]), "nope.alignment.db: no such file")
    assert runs == []


def test_open_in_use_without_a_terminal_exits_with_a_hint(
    runner: CliRunner, runs: list, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "interactive", lambda: False)
    _hold(demo_file)
    _fails(runner.invoke(cli.cli, ["open", str(demo_file)]), "already open", "--read-only")
    assert runs == []
    assert runner.invoke(cli.cli, ["open", str(demo_file), "--read-only"]).exit_code == 0
    assert runs == [{"path": demo_file, "readonly": True, "review": False}]


@pytest.mark.parametrize(("answer", "opened"), [("\n", True), ("y\n", True), ("n\n", False)])
def test_open_in_use_asks_on_a_terminal(
    runner: CliRunner,
    runs: list,
    demo_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    opened: bool,
) -> None:
    monkeypatch.setattr(cli, "interactive", lambda: True)
    _hold(demo_file)
    result = runner.invoke(cli.cli, ["open", str(demo_file)], input=answer)
    assert "Open read-only instead? [Y/n]" in result.stderr
    if opened:
        assert result.exit_code == 0
        assert runs == [{"path": demo_file, "readonly": True, "review": False}]
    else:
        assert result.exit_code == 2
        assert runs == []


def test_open_read_only_file_suggests_read_only(
    runner: CliRunner, runs: list, demo_file: Path
) -> None:
    demo_file.chmod(0o444)  # read-only for every user, root included
    try:
        _fails(runner.invoke(cli.cli, ["open", str(demo_file)]), "read-only", "--read-only")
        assert runner.invoke(cli.cli, ["open", str(demo_file), "--read-only"]).exit_code == 0
    finally:
        demo_file.chmod(0o644)
    assert runs == [{"path": demo_file, "readonly": True, "review": False}]


# -- list ------------------------------------------------------------------------------


def test_list_shows_a_table_and_damaged_files(
    runner: CliRunner, demo_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "broken.alignment.db").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not listed")
    result = runner.invoke(cli.cli, ["list", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "FILE",
        "TITLE",
        "ORGANISATION",
        "WORKSHOP",
        "NEXT",
        "REVIEW",
        "OPEN",
        "ACTIONS",
        "PROGRESS",
        "LAST",
        "EDITED",
    ]
    assert lines[1].startswith("demo.alignment.db")
    for value in (DEMO_TITLE, "Kestrel Metrics", "2026-11-26 15:10", "6/7", "2026-11-20"):
        assert value in lines[1]
    assert " 8 (" in lines[1] or lines[1].split()[-4] == "8"  # overdue counted on today
    assert lines[2].startswith("broken.alignment.db")
    assert "cannot be used: the file is empty" in lines[2]
    assert len(lines) == 3


def test_list_of_the_empty_data_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["list"])
    assert result.exit_code == 0
    assert "No sessions" in result.output
    assert not (tmp_path / "data").exists()  # listing never creates the folder


def test_list_of_a_missing_folder(runner: CliRunner, demo_file: Path) -> None:
    _fails(runner.invoke(cli.cli, ["list", "--dir", "nowhere"]), "nowhere: no such folder")
    _fails(runner.invoke(cli.cli, ["list", "--dir", str(demo_file)]), "not a folder")


# -- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_stdout_matches_golden(
    runner: CliRunner, demo_file: Path, fmt: str, clock: PinnedClock
) -> None:
    result = runner.invoke(cli.cli, ["export", str(demo_file), "--format", fmt])
    assert result.exit_code == 0, result.output
    names = {
        "checklist": "demo.checklist.md",
        "report": "demo.report.md",
        "html": "demo.report.html",
        "ics": "demo.ics",
        "csv": "demo.actions.csv",
        "json": "demo.json",
        "review": "demo.review.md",
    }
    assert result.stdout_bytes == (GOLDEN / names[fmt]).read_bytes()
    assert result.stderr == ""


def test_export_default_is_the_checklist(runner: CliRunner, demo_file: Path) -> None:
    result = runner.invoke(cli.cli, ["export", str(demo_file)])
    assert result.stdout == render(demo_session(), "checklist")


def test_export_to_a_file_never_overwrites_without_force(
    runner: CliRunner, demo_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "report", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == render(demo_session(), "report")
    out.write_text("edited by hand")
    _fails(
        runner.invoke(cli.cli, ["export", str(demo_file), "-o", str(out)]),
        "already exists",
        "--force",
    )
    assert out.read_text() == "edited by hand"
    result = runner.invoke(cli.cli, ["export", str(demo_file), "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == render(demo_session(), "checklist")


def test_export_csv_for_excel_starts_with_a_byte_order_mark(
    runner: CliRunner, demo_file: Path, tmp_path: Path, clock: PinnedClock
) -> None:
    golden = (GOLDEN / "demo.actions.csv").read_bytes()
    bom = b"\xef\xbb\xbf"
    result = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "csv", "--excel"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == bom + golden
    out = tmp_path / "actions.csv"
    result = runner.invoke(
        cli.cli, ["export", str(demo_file), "-F", "csv", "--excel", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == bom + golden
    # Accented names read back intact through the csv module.
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "id" and "Tomás Ruiz" in {row[3] for row in rows}
    # Without the flag, no mark.
    plain = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "csv"])
    assert plain.stdout_bytes == golden
    # The mark is for spreadsheets: asked with another format, one line and nothing written.
    other = tmp_path / "checklist.md"
    _fails(
        runner.invoke(cli.cli, ["export", str(demo_file), "--excel", "-o", str(other)]),
        "--excel",
        "csv",
    )
    assert not other.exists()


def test_export_for_the_facilitator(
    runner: CliRunner, demo_file: Path, tmp_path: Path, clock: PinnedClock
) -> None:
    golden = (GOLDEN / "demo.report.facilitator.md").read_bytes()
    result = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "report", "--facilitator"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == golden
    # Without the flag, the directors' report: no status lines, no timings.
    plain = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "report"])
    assert b"_Status:" not in plain.stdout_bytes and b"Agenda and time" not in plain.stdout_bytes
    out = tmp_path / "report.html"
    args = ["export", str(demo_file), "-F", "html", "--facilitator", "-o", str(out)]
    result = runner.invoke(cli.cli, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(demo_session(), "html", facilitator=True)
    assert "<h2>For the facilitator</h2>" in out.read_text(encoding="utf-8")
    # Asked with a format that has no facilitator material: one line and nothing written.
    other = tmp_path / "checklist.md"
    _fails(
        runner.invoke(cli.cli, ["export", str(demo_file), "--facilitator", "-o", str(other)]),
        "--facilitator",
        "report",
    )
    assert not other.exists()


def test_export_never_replaces_the_session(runner: CliRunner, demo_file: Path) -> None:
    before = demo_file.read_bytes()
    _fails(
        runner.invoke(cli.cli, ["export", str(demo_file), "-o", str(demo_file), "--force"]),
        "session",
    )
    assert demo_file.read_bytes() == before


def test_export_while_the_session_is_open_elsewhere(runner: CliRunner, demo_file: Path) -> None:
    _hold(demo_file)
    result = runner.invoke(cli.cli, ["export", str(demo_file), "-F", "json"])
    assert result.exit_code == 0
    assert result.stdout == to_json(demo_session())


# -- import ------------------------------------------------------------------------------


def test_import_round_trip_is_identical(runner: CliRunner, tmp_path: Path) -> None:
    json_file = tmp_path / "demo.json"
    json_file.write_bytes((GOLDEN / "demo.json").read_bytes())
    result = runner.invoke(cli.cli, ["import", str(json_file), "again"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "again.alignment.db"
    assert read_session(target) == demo_session()
    exported = runner.invoke(cli.cli, ["export", str(target), "-F", "json"])
    assert exported.stdout_bytes == json_file.read_bytes()


def test_import_default_path_and_no_silent_overwrite(
    runner: CliRunner, tmp_path: Path, session_file: Path
) -> None:
    json_file = tmp_path / "demo.json"
    json_file.write_bytes((GOLDEN / "demo.json").read_bytes())
    assert runner.invoke(cli.cli, ["import", str(json_file)]).exit_code == 0
    assert (tmp_path / "data" / "revenue-team-alignment-2027.alignment.db").exists()

    before = session_file.read_bytes()
    _fails(
        runner.invoke(cli.cli, ["import", str(json_file), str(session_file)]),
        "already exists",
        "--force",
    )
    assert session_file.read_bytes() == before
    result = runner.invoke(cli.cli, ["import", str(json_file), str(session_file), "--force"])
    assert result.exit_code == 0, result.output
    assert read_session(session_file) == demo_session()


def test_import_force_never_replaces_other_files_or_a_session_in_use(
    runner: CliRunner, tmp_path: Path, session_file: Path
) -> None:
    json_file = tmp_path / "demo.json"
    json_file.write_bytes((GOLDEN / "demo.json").read_bytes())
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    _fails(
        runner.invoke(cli.cli, ["import", str(json_file), str(notes), "--force"]),
        "only a session file",
    )
    assert notes.read_text() == "precious"
    _hold(session_file)
    before = session_file.read_bytes()
    _fails(
        runner.invoke(cli.cli, ["import", str(json_file), str(session_file), "--force"]),
        "open in another",
    )
    assert session_file.read_bytes() == before


# -- real processes ------------------------------------------------------------------------


def _python(code: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALIGNMENT_TUI_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        encoding="utf-8",
    )


def test_headless_commands_never_import_textual_or_rich(tmp_path: Path, demo_file: Path) -> None:
    code = f"""
import sys
from alignment_tui.cli import cli
runs = [
    ["--version"],
    ["list", "--dir", {str(tmp_path)!r}],
    ["export", {str(demo_file)!r}, "-F", "report"],
    ["export", {str(demo_file)!r}, "-F", "json", "-o", "d.json"],
    ["import", "d.json", "copy"],
    ["demo", "other", "--no-open"],
    ["new", "fresh", "--no-open"],
]
for args in runs:
    try:
        cli.main(args=args, prog_name="alignment-tui")
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print("LOADED:", loaded, file=sys.stderr)
"""
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED: []" in proc.stderr
    assert (tmp_path / "copy.alignment.db").exists()


def test_python_dash_m_exports_and_fails_cleanly(
    tmp_path: Path, demo_file: Path, clock: PinnedClock
) -> None:
    # The pinned clock reaches the child through the environment (the golden CSV marks
    # what is overdue on 2026-12-04).
    ok = _python("", tmp_path, "-m", "alignment_tui", "export", str(demo_file), "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == (GOLDEN / "demo.actions.csv").read_text(encoding="utf-8")
    bad = tmp_path / "bad.alignment.db"
    bad.write_bytes(b"\x00\x01garbage" * 100)
    fail = _python("", tmp_path, "-m", "alignment_tui", "export", str(bad))
    assert fail.returncode == 2
    assert fail.stdout == ""
    assert fail.stderr.count("\n") == 1 and "Traceback" not in fail.stderr
    assert "bad.alignment.db: not an alignment-tui session" in fail.stderr
    version = _python("", tmp_path, "-m", "alignment_tui", "--version")
    assert version.stdout.strip() == f"alignment-tui {__version__}"


def test_closed_pipe_is_quiet(tmp_path: Path, demo_file: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    cmd = f"{sys.executable} -m alignment_tui export {demo_file} -F report | head -c 10"
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True, env=env, timeout=60)
    assert proc.stdout == "# Revenue "
    assert "Traceback" not in proc.stderr
