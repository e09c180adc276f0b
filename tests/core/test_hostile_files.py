"""Every command that takes a file, fed files it cannot use.

Each must exit 2 with exactly one line on stderr, no traceback, and leave the
file's bytes as they were. ``open`` is checked before the app would start
(the app is replaced by a recorder that must never be called).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.jsonio import to_json
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import SCHEMA_VERSION

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture(autouse=True)
def _no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the app must not start for a file that cannot be used")

    monkeypatch.setattr(cli, "run_app", refuse)


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path.read_bytes()


def _empty(path: Path, good: bytes) -> None:
    path.write_bytes(b"")


def _random(path: Path, good: bytes) -> None:
    path.write_bytes(random.Random(7).randbytes(5000))


def _sqlite_header_then_noise(path: Path, good: bytes) -> None:
    path.write_bytes(good[:100] + random.Random(3).randbytes(4000))


def _truncated(offset: int) -> Callable[[Path, bytes], None]:
    def make(path: Path, good: bytes) -> None:
        path.write_bytes(good[: offset if offset > 0 else len(good) + offset])

    make.__name__ = f"truncated_at_{offset}"
    return make


def _other_program(path: Path, good: bytes) -> None:
    conn = sqlite3.connect(path)
    conn.execute("create table notes (id integer primary key, body text)")
    conn.execute("insert into notes (body) values ('hello')")
    conn.commit()
    conn.close()


def _newer(path: Path, good: bytes) -> None:
    path.write_bytes(good)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _invalid_rows(path: Path, good: bytes) -> None:
    path.write_bytes(good)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE actions SET due = 'soon' WHERE id = 1")
    conn.commit()
    conn.close()


def _folder(path: Path, good: bytes) -> None:
    path.mkdir()


HOSTILE_SESSIONS = [
    _empty,
    _random,
    _sqlite_header_then_noise,
    _truncated(10),
    _truncated(100),
    _truncated(4096),
    _truncated(20000),
    _truncated(-1),
    _other_program,
    _newer,
    _invalid_rows,
    _folder,
]


def _snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _one_line_exit_2(result: Any) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return str(lines[0])


@pytest.mark.parametrize("make", HOSTILE_SESSIONS, ids=lambda f: f.__name__.strip("_"))
def test_export_and_open_refuse_hostile_sessions(
    make: Callable[[Path, bytes], None], good_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.alignment.db"
    make(path, good_bytes)
    before = _snapshot(path)
    runner = CliRunner()
    for args in (
        ["export", str(path)],
        ["export", str(path), "-F", "json", "-o", str(tmp_path / "out.json")],
        ["open", str(path)],
        ["open", str(path), "--read-only"],
    ):
        line = _one_line_exit_2(runner.invoke(cli.cli, args))
        assert "hostile" in line
        assert _snapshot(path) == before
    assert not (tmp_path / "out.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.alignment.db"]


@pytest.mark.parametrize("make", HOSTILE_SESSIONS[:-1], ids=lambda f: f.__name__.strip("_"))
def test_list_names_hostile_sessions_with_their_reason(
    make: Callable[[Path, bytes], None], good_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.alignment.db"
    make(path, good_bytes)
    before = _snapshot(path)
    result = CliRunner().invoke(cli.cli, ["list", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hostile.alignment.db  cannot be used: ")
    assert _snapshot(path) == before


def test_import_refuses_hostile_session_targets_with_force(
    good_bytes: bytes, tmp_path: Path
) -> None:
    json_file = tmp_path / "demo.json"
    json_file.write_text(to_json(demo_session()), encoding="utf-8")
    # (A session of ours that holds invalid rows IS replaced with --force: that is the
    # way to restore it from an export. Anything that is not our session is not.)
    for make in [m for m in HOSTILE_SESSIONS if m is not _invalid_rows]:
        path = tmp_path / f"{make.__name__.strip('_')}.alignment.db"
        make(path, good_bytes)
        before = _snapshot(path)
        result = CliRunner().invoke(cli.cli, ["import", str(json_file), str(path), "--force"])
        _one_line_exit_2(result)
        assert _snapshot(path) == before, make.__name__


def test_read_only_session_exports_untouched(good_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "locked.alignment.db"
    path.write_bytes(good_bytes)
    path.chmod(0o444)
    folder_mode = tmp_path.stat().st_mode
    try:
        result = CliRunner().invoke(cli.cli, ["export", str(path), "-F", "csv"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("id,step,text,owner,due,status\n")
    finally:
        path.chmod(0o644)
        tmp_path.chmod(folder_mode)
    assert path.read_bytes() == good_bytes


def test_paths_in_missing_folders(good_bytes: bytes, tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.alignment.db"
    good.write_bytes(good_bytes)
    json_file = tmp_path / "demo.json"
    json_file.write_text(to_json(demo_session()), encoding="utf-8")
    missing = tmp_path / "missing" / "deeper"
    for args, expected in (
        (["export", str(missing / "s.alignment.db")], "no such file"),
        (["export", str(good), "-o", str(missing / "out.md")], "no such folder"),
        (["open", str(missing / "s.alignment.db")], "no such file"),
        (["import", str(missing / "x.json")], "no such file"),
        (["import", str(json_file), str(missing / "s.alignment.db")], "no such folder"),
        (["new", str(missing / "s.alignment.db"), "--no-open"], "no such folder"),
        (["demo", str(missing / "s.alignment.db"), "--no-open"], "no such folder"),
        (["list", "--dir", str(missing)], "no such folder"),
    ):
        assert expected in _one_line_exit_2(runner.invoke(cli.cli, args)), args
    assert not (tmp_path / "missing").exists()
    assert good.read_bytes() == good_bytes


def _doc() -> dict[str, Any]:
    return json.loads(to_json(demo_session()))


def _json_case(change: Callable[[dict[str, Any]], Any]) -> bytes:
    doc = _doc()
    change(doc)
    return json.dumps(doc).encode()


GOOD_JSON = to_json(demo_session()).encode()
HOSTILE_JSON = {
    "empty": b"",
    "random": random.Random(5).randbytes(3000),
    "truncated_10": GOOD_JSON[:10],
    "truncated_half": GOOD_JSON[: len(GOOD_JSON) // 2],
    "truncated_last": GOOD_JSON[:-3],
    "a_session_file": b"SQLite format 3\x00" + bytes(200),
    "another_json": b'{"name": "package.json", "version": "1.0.0"}',
    "newer": _json_case(lambda d: d.update(schema_version=SCHEMA_VERSION + 1)),
    "wrong_type": _json_case(lambda d: d["session"]["funnel_counts"][0].update(count=-5)),
    "wrong_type_list": _json_case(lambda d: d["session"].update(actions={"1": {}})),
    "missing_field": _json_case(lambda d: d["session"]["participants"][0].pop("name")),
    "missing_meta": _json_case(lambda d: d["session"].pop("meta")),
    "extra_field": _json_case(lambda d: d["session"]["goals"][1].update(owner="Dana")),
    "extra_header": _json_case(lambda d: d.update(exported_by="me")),
    "broken_reference": _json_case(lambda d: d["session"]["proof_points"][0].update(pillar_id=77)),
    "two_sales_leads": _json_case(lambda d: d["session"]["participants"][2].update(is_lead=True)),
    "deep": b"[" * 100_000,
}


@pytest.mark.parametrize("name", list(HOSTILE_JSON))
def test_import_refuses_hostile_json(name: str, tmp_path: Path) -> None:
    json_file = tmp_path / f"{name}.json"
    json_file.write_bytes(HOSTILE_JSON[name])
    result = CliRunner().invoke(cli.cli, ["import", str(json_file), str(tmp_path / "out")])
    line = _one_line_exit_2(result)
    assert f"{name}.json" in line
    assert json_file.read_bytes() == HOSTILE_JSON[name]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.json"]
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_import_messages_name_the_place(tmp_path: Path) -> None:
    runner = CliRunner()
    expected = {
        "wrong_type": "funnel_counts[0].count: Count must be 0 or more",
        "missing_field": "participants[0].name: Name is required",
        "extra_field": "goals[1].owner: Owner is not a known field",
        "broken_reference": "proof_points: pillar 77 does not exist",
        "newer": "newer alignment-tui",
    }
    for name, text in expected.items():
        json_file = tmp_path / f"{name}.json"
        json_file.write_bytes(HOSTILE_JSON[name])
        assert text in _one_line_exit_2(runner.invoke(cli.cli, ["import", str(json_file)]))


def test_escape_sequences_in_file_names_stay_on_one_line(tmp_path: Path) -> None:
    name = "evil\x1b[31m\nname.alignment.db"
    (tmp_path / name).write_bytes(b"")
    line = _one_line_exit_2(CliRunner().invoke(cli.cli, ["export", str(tmp_path / name)]))
    # Shown as the app shows it (one rule for control characters), the break as a space.
    assert "\x1b" not in line and "evil␛[31m name.alignment.db" in line


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n" + bytes(64)])
def test_real_process_has_no_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.alignment.db"
    path.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": SRC, "ALIGNMENT_TUI_DATA_DIR": str(tmp_path / "data")}
    for args in (["export", str(path)], ["import", str(path)], ["open", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-m", "alignment_tui", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert path.read_bytes() == content
