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

import math
import re
from html import escape

from markdown_it import MarkdownIt

from .funnel import fmt_count, fmt_rate, funnel_digits, funnel_periods, latest_period_funnel
from .models import Owner, Session
from .text import one_line, snippet

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
figure.funnel-chart { margin: .8rem 0 1.2rem; }
figure.funnel-chart svg { font-family: inherit; }
figcaption { color: #6b7580; font-size: .85em; margin-top: .3rem; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  @page { margin: 16mm 15mm; }
  h2 { break-before: page; }
  h1 + p + h2, h1 + h2 { break-before: auto; }
  h2, h3 { break-after: avoid; }
  table, tr, li, blockquote, pre, figure { break-inside: avoid; }
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


#: Owners told apart by a letter and a fill pattern as well as by colour (print, colour blindness).
OWNER_LOOK: dict[Owner, tuple[str, str, str]] = {
    Owner.MARKETING: ("Mk", "#c0621a", "url(#own-marketing)"),
    Owner.SHARED: ("Sh", "#7b3fa0", "url(#own-shared)"),
    Owner.SALES: ("Sa", "#1d5fa8", "url(#own-sales)"),
}
_PATTERNS = (
    '<pattern id="own-marketing" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#c0621a"/></pattern>'
    '<pattern id="own-shared" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e9dcf2"/>'
    '<rect width="3" height="6" fill="#7b3fa0"/></pattern>'
    '<pattern id="own-sales" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#d6e4f5"/><circle cx="3" cy="3" r="1.8" fill="#1d5fa8"/>'
    "</pattern>"
)


def funnel_svg(session: Session) -> str:
    """The latest period's funnel as an inline SVG chart ("" when nothing is counted).

    Counts in a funnel often span four orders of magnitude (52,500 reached, 16
    won): on a linear scale every stage after the first is a sliver. Bar
    lengths are on a logarithmic scale, and the chart says so; each bar also
    carries its count and its conversion from the stage above.
    """
    funnel = latest_period_funnel(session)
    if funnel is None or not funnel.has_counts:
        return ""
    digits = funnel_digits(funnel_periods(session))
    rows = funnel.rows
    top = max((r.count or 0) for r in rows)
    scale = math.log10(top + 1) or 1.0
    name_w, tag_w, bar_w, row_h, pad = 200, 34, 300, 26, 8
    width = name_w + tag_w + bar_w + 170
    height = pad * 2 + row_h * (len(rows) + 1)
    label = escape(" ".join(funnel.label.split()))
    caption = (
        f"Stage counts, {label}: bar length on a logarithmic scale; "
        "each bar gives its count and its conversion from the stage above"
    )
    parts = [
        f'<figure class="funnel-chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{caption}" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px"><title>{caption}</title><defs>{_PATTERNS}</defs>'
    ]
    for n, row in enumerate(rows):
        y = pad + n * row_h
        letter, colour, fill = OWNER_LOOK[row.owner]
        name = escape(snippet(one_line(row.name), 30))
        count = row.count
        length = 0.0 if not count else max(2.0, bar_w * math.log10(count + 1) / scale)
        rate = "" if row.conversion is None else f" · {fmt_rate(row.conversion, digits)}"
        value = "not counted" if count is None else f"{fmt_count(count)}{rate}"
        parts += [
            f'<text x="0" y="{y + 17}" font-size="13">{name}</text>',
            f'<text x="{name_w}" y="{y + 17}" font-size="12" font-weight="bold" '
            f'fill="{colour}">{letter}</text>',
            f'<rect x="{name_w + tag_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{fill}" stroke="{colour}" stroke-width="1"/>',
            f'<text x="{name_w + tag_w + length + 6:.1f}" y="{y + 17}" font-size="12">'
            f"{escape(value)}</text>",
        ]
    key_y = pad + len(rows) * row_h + 17
    key_x = 0
    for owner in Owner:
        letter, colour, fill = OWNER_LOOK[owner]
        parts += [
            f'<rect x="{key_x}" y="{key_y - 11}" width="14" height="14" fill="{fill}" '
            f'stroke="{colour}"/>',
            f'<text x="{key_x + 20}" y="{key_y}" font-size="12">{letter} {owner.value}</text>',
        ]
        key_x += 130
    parts.append("</svg>")
    parts.append(f"<figcaption>{caption}.</figcaption></figure>")
    return "".join(parts)


def _with_chart(body: str, chart: str) -> str:
    """*body* with *chart* placed under the funnel section's heading (or at the end)."""
    if not chart:
        return body
    for match in re.finditer(r"<h2>(.*?)</h2>\n", body):
        if "funnel" in match.group(1).lower():
            return body[: match.end()] + chart + "\n" + body[match.end() :]
    return body + "<h2>Funnel chart</h2>\n" + chart + "\n"


def render_html(session: Session, markdown_report: str, *, chart: bool = True) -> str:
    """A whole HTML page holding *markdown_report* (the session's Markdown report);
    *chart*: with the funnel chart under the funnel's section."""
    title = escape(" ".join(session.meta.title.split()), quote=True)
    body = markdown_to_html(markdown_report)
    if chart:
        body = _with_chart(body, funnel_svg(session))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n{body}</main>\n"
        "<footer>Written by alignment-tui.</footer>\n"
        "</body>\n</html>\n"
    )
