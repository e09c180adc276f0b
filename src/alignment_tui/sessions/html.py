"""The report as one self-contained HTML file, for a browser and for print.

It is rendered from the same Markdown document as the Markdown report, so the
two never disagree. Nothing in it is fetched: no scripts, no fonts, no images,
no links (Markdown links and images are switched off, so nothing a user typed
can become one). Every character a user typed is escaped: the Markdown report
already shows control characters visibly and escapes Markdown, and raw HTML in
Markdown is treated as text.

Print: A4 and Letter alike (the page size is the printer's), each step's
section on a new page, tables and list items never split across a page edge.

This module imports neither textual nor rich.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from .models import Session

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  color: #1d232b; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem;
}
h1 { font-size: 1.7rem; margin: 0 0 .4rem; color: #0f3d66; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid #0f3d66; color: #0f3d66; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
p, ul, ol { margin: .4rem 0 .8rem; }
li { margin: .15rem 0; }
table { border-collapse: collapse; margin: .6rem 0 1rem; width: 100%; font-size: .95em; }
th, td { border: 1px solid #c9d1da; padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #eef2f6; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; }
code { font: .92em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: #f2f4f7; padding: 0 .2em; border-radius: 3px; }
pre { background: #f2f4f7; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; }
blockquote { margin: .6rem 0; padding: .1rem .9rem; border-left: 4px solid #c9d1da;
  color: #3c4653; }
del { color: #6b7580; }
hr { border: 0; border-top: 1px solid #c9d1da; margin: 1.5rem 0; }
footer { margin-top: 3rem; color: #6b7580; font-size: .85em; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  @page { margin: 16mm 15mm; }
  h2 { break-before: page; }
  h1 + p + h2, h1 + h2 { break-before: auto; }
  h2, h3 { break-after: avoid; }
  table, tr, li, blockquote, pre { break-inside: avoid; }
  thead { display: table-header-group; }
  footer { display: none; }
}
"""


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Nothing a user typed may become a request or a way out of the page.
    md.disable(["link", "image", "autolink"])
    return md


def markdown_to_html(text: str) -> str:
    """The body HTML of a Markdown document (no links, no images, no raw HTML)."""
    return str(_markdown().render(text))


def render_html(session: Session, markdown_report: str) -> str:
    """A whole HTML page holding *markdown_report* (the session's Markdown report)."""
    title = escape(" ".join(session.meta.title.split()), quote=True)
    body = markdown_to_html(markdown_report)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n{body}</main>\n"
        "<footer>Written by alignment-tui.</footer>\n"
        "</body>\n</html>\n"
    )
