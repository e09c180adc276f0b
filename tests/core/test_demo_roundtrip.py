"""The demo through the session file and JSON: nothing changes on the way."""

from __future__ import annotations

from pathlib import Path

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.jsonio import from_json, read_json_file, to_json
from alignment_tui.sessions.models import Session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import SessionStore, read_session

GOLDEN_JSON = Path(__file__).parent / "golden" / "demo.json"


def test_demo_survives_the_session_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.alignment.db"
    svc = SessionService.create(path, demo_session())
    assert svc.session == demo_session()
    svc.close()
    assert read_session(path) == demo_session()


def test_demo_json_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    first = tmp_path / "first.alignment.db"
    SessionService.create(first, demo_session()).close()
    exported = to_json(read_session(first))
    assert exported.encode() == GOLDEN_JSON.read_bytes()

    json_file = tmp_path / "demo.json"
    json_file.write_bytes(exported.encode("utf-8"))
    second = tmp_path / "second.alignment.db"
    SessionStore.create(second, read_json_file(json_file)).close()
    again = to_json(read_session(second))
    assert again == exported
    assert read_session(second) == read_session(first)


def test_golden_json_imports_to_the_demo() -> None:
    imported = from_json(GOLDEN_JSON.read_bytes())
    assert isinstance(imported, Session)
    assert imported == demo_session()
    assert to_json(imported).encode() == GOLDEN_JSON.read_bytes()


def test_opening_the_demo_for_work_keeps_it_intact(tmp_path: Path) -> None:
    """Opening writable (lock marker) and closing again leaves the content as it was."""
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    svc = SessionService.open(path)
    svc.close()
    assert to_json(read_session(path)).encode() == GOLDEN_JSON.read_bytes()
