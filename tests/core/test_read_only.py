"""A session file made read-only (no write bit) is read-only for everyone, root included.

``os.access`` tells the superuser that it may write to any file, so a
``chmod 444`` session used to open read-write when the app ran as root, and
was changed on quit (its "open by" marker and its summary). These tests run
the real command line and the service in a fresh process, as the user the
suite runs as (root in the container), and compare the file's bytes and
modification time before and after.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.fileinfo import writable
from alignment_tui.sessions.service import SessionService

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
    )


def _fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its modification time, and what lies beside it."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def session_path(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "sessions"
    folder.mkdir()
    path = folder / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


#: Opens the session the way the app does, read-write first, then read-only.
OPEN_AS_THE_APP_DOES = textwrap.dedent(
    """
    import sys
    from alignment_tui.sessions.errors import ReadOnlySession
    from alignment_tui.sessions.service import SessionService

    try:
        SessionService.open(sys.argv[1]).close()
    except ReadOnlySession as exc:
        print("refused:", exc)
    else:
        print("opened read-write")
    service = SessionService.open(sys.argv[1], readonly=True)
    print("read-only:", service.readonly, service.session.meta.title)
    service.close()
    """
)


@pytest.mark.parametrize("mode", [0o444, 0o440, 0o400], ids=oct)
def test_a_file_without_write_bits_opens_read_only_and_is_left_alone(
    session_path: Path, tmp_path: Path, mode: int
) -> None:
    session_path.chmod(mode)
    before = _fingerprint(session_path)
    assert not writable(session_path)

    proc = _run(tmp_path, "-c", OPEN_AS_THE_APP_DOES, str(session_path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "refused: demo.alignment.db: the file is read-only", lines
    assert lines[1].startswith("read-only: True ")
    assert _fingerprint(session_path) == before


def test_the_command_line_offers_read_only_and_changes_nothing(
    session_path: Path, tmp_path: Path
) -> None:
    session_path.chmod(0o444)
    before = _fingerprint(session_path)
    refused = _run(tmp_path, "-m", "alignment_tui", "open", str(session_path))
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "Error: demo.alignment.db: the file is read-only; use --read-only to look at it"
    )
    assert _fingerprint(session_path) == before
    # Other commands read it as before.
    exported = _run(tmp_path, "-m", "alignment_tui", "export", str(session_path), "-F", "csv")
    assert exported.returncode == 0 and exported.stdout.startswith("id,step,text")
    listed = _run(tmp_path, "-m", "alignment_tui", "list", "--dir", str(session_path.parent))
    assert listed.returncode == 0 and "demo.alignment.db" in listed.stdout
    assert _fingerprint(session_path) == before


def test_a_folder_without_write_bits_makes_its_sessions_read_only(
    session_path: Path, tmp_path: Path
) -> None:
    """SQLite writes its journal beside the file: a folder made read-only keeps it out too."""
    session_path.parent.chmod(0o555)
    before = _fingerprint(session_path)
    proc = _run(tmp_path, "-c", OPEN_AS_THE_APP_DOES, str(session_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == ("refused: demo.alignment.db: its folder is read-only"), (
        proc.stdout
    )
    assert _fingerprint(session_path) == before


def test_import_force_never_replaces_a_read_only_session(
    session_path: Path, tmp_path: Path
) -> None:
    json_file = tmp_path / "demo.json"
    exported = _run(tmp_path, "-m", "alignment_tui", "export", str(session_path), "-F", "json")
    json_file.write_text(exported.stdout, encoding="utf-8")
    session_path.chmod(0o444)
    before = _fingerprint(session_path)
    proc = _run(
        tmp_path, "-m", "alignment_tui", "import", str(json_file), str(session_path), "--force"
    )
    assert proc.returncode == 2
    assert "is read-only; it is never replaced" in proc.stderr
    assert _fingerprint(session_path) == before


def test_a_writable_file_still_opens_read_write(session_path: Path) -> None:
    assert stat.S_IMODE(session_path.stat().st_mode) & 0o200
    assert writable(session_path) and writable(session_path.parent)
    service = SessionService.open(session_path)
    try:
        assert not service.readonly
    finally:
        service.close()
