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
