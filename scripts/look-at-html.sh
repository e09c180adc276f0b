#!/bin/sh
# Export the demo's report as HTML and take a screenshot of it in headless Chromium
# (Debian: apt-get install chromium). Not part of `make test`: it needs a browser.
# Usage: scripts/look-at-html.sh [OUT_DIR]   (default: /tmp/alignment-html)
set -eu
out="${1:-/tmp/alignment-html}"
mkdir -p "$out"
here="$(cd "$(dirname "$0")/.." && pwd)"
py="$here/.venv/bin/python"
"$py" - "$out/demo.report.html" <<'PY'
import sys
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.export import render
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    fh.write(render(demo_session(), "html"))
PY
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "No chromium found; the page is at $out/demo.report.html" >&2
    exit 1
fi
"$browser" --headless --no-sandbox --disable-gpu --window-size=1000,1400 \
    --screenshot="$out/demo.report.png" "file://$out/demo.report.html" 2>/dev/null
"$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/demo.report.pdf" "file://$out/demo.report.html" 2>/dev/null
echo "Wrote $out/demo.report.html, demo.report.png (screen) and demo.report.pdf (print)"
