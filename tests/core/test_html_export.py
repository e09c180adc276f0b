"""The HTML report: self-contained, escaped, in step with the Markdown report."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.export import render_report
from alignment_tui.sessions.html import markdown_to_html, render_html
from alignment_tui.sessions.models import Session, new_session


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(session: Session) -> tuple[str, Tags]:
    html = render_html(session, render_report(session))
    parsed = Tags()
    parsed.feed(html)
    return html, parsed


def test_the_page_loads_nothing_from_anywhere() -> None:
    html, parsed = page(demo_session())
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed", "a"), tag
        assert not ({"src", "href", "srcset", "action"} & attrs.keys()), (tag, attrs)
    # url() only for the chart's own fill patterns, defined in the page (#…)
    assert re.findall(r"url\((?!#)", html) == [] and "@import" not in html
    assert "<svg" in html  # the funnel chart, inline
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_every_section_of_the_report_is_on_the_page() -> None:
    session = demo_session()
    report = render_report(session)
    _, parsed = page(session)
    headings = [line.lstrip("#").strip() for line in report.splitlines() if line.startswith("## ")]
    text = " ".join(parsed.text)
    assert headings and all(h.replace("\\", "") in text for h in headings)
    assert len(re.findall(r"<h2>", render_html(session, report))) == len(headings)


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="http://example.com/x.png">',
    "[click](http://example.com)",
    "![pic](http://example.com/p.png)",
    "http://example.com/auto",
    "\x1b[31mred\x1b[0m",
    "line one\nline two",
    "**bold** and `code` and <b>b</b>",
]


def test_hostile_text_stays_text() -> None:
    session = new_session(" ".join(HOSTILE[:2]).replace("\n", " "), organisation=HOSTILE[2])
    session.meta = session.meta.model_copy(update={"warmup_notes": "\n".join(HOSTILE)})
    session.story = session.story.model_copy(update={"core_message": " ".join(HOSTILE)})
    html, parsed = page(session)
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "img", "a", "b"), tag
        assert not ({"src", "href"} & attrs.keys())
    assert "\x1b" not in html
    assert "&lt;script&gt;" in html


def test_markdown_links_and_images_are_never_made() -> None:
    out = markdown_to_html("[x](http://example.com) ![y](http://example.com/y.png) <http://e.x>")
    assert "<a" not in out and "<img" not in out


def test_the_funnel_chart_reads_without_colour() -> None:
    """Owners by letter and pattern as well as colour; the log scale said in words."""
    html, _ = page(demo_session())
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "logarithmic scale" in chart
    for letter in ("Mk Marketing", "Sh Shared", "Sa Sales"):
        assert letter in chart
    assert 'id="own-shared"' in chart and 'id="own-sales"' in chart
    # the chart sits in the funnel's section
    funnel_heading = next(
        m for m in re.finditer(r"<h2>(.*?)</h2>", html) if "funnel" in m.group(1).lower()
    )
    assert funnel_heading.end() < html.index("<figure")
