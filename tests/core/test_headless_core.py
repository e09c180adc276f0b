"""The core (sessions/) never imports textual or rich, so the CLI's export starts fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "alignment_tui" / "sessions"


def test_core_modules_do_not_import_textual_or_rich() -> None:
    modules = sorted(
        f"alignment_tui.sessions.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__"
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"the core imported: {out}"
    assert len(modules) >= 8


def _run(code: str, **env: str) -> str:
    import os

    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"} | env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_pydantic_plugin_discovery_is_left_out() -> None:
    """_no_plugins: no importlib.metadata scan, and validation still works (pinned pydantic)."""
    out = _run(
        "import sys\n"
        "from alignment_tui.sessions.models import Goal\n"
        "from alignment_tui.sessions.jsonio import to_json\n"
        "from alignment_tui.sessions.demo import demo_session\n"
        "assert Goal.model_validate({'id': 2, 'statement': 'x'}).id == 2\n"
        "try:\n"
        "    Goal.model_validate({'id': 0})\n"
        "except Exception as exc:\n"
        "    assert type(exc).__name__ == 'ValidationError'\n"
        "else:\n"
        "    raise AssertionError('id 0 was accepted')\n"
        "assert to_json(demo_session())\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(list(get_plugins()), 'importlib.metadata' in sys.modules)"
    )
    assert out == "[] False"


def test_a_user_who_names_plugins_gets_pydantic_s_own_loader() -> None:
    out = _run(
        "import sys, alignment_tui.sessions.models\nprint('importlib.metadata' in sys.modules)",
        PYDANTIC_DISABLE_PLUGINS="some_plugin",
    )
    assert out == "True"
