"""The workbook documents the loop's items point to, in the report: each printed once, as
an appendix of headings with what to write; the item says it follows it; the HTML from the
same document; a key the workbook no longer has named bare, never looked up."""

from __future__ import annotations

import pytest

from alignment_tui.sessions import workbook
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import FeedbackItem, FeedbackSide, Session, new_session

APPENDIX = "## Appendix: the loop's document templates"


def loop(*items: tuple[FeedbackSide, str, str]) -> Session:
    s = new_session("Docs")
    s.feedback_items = [
        FeedbackItem(id=n, side=side, position=n, text=text, document=doc)
        for n, (side, text, doc) in enumerate(items, 1)
    ]
    return s


def test_a_document_two_items_point_to_is_printed_once_with_every_heading() -> None:
    s = loop(
        (FeedbackSide.MARKETING, "Briefs six weeks ahead", "campaign-brief"),
        (FeedbackSide.RULE, "Every brief names its audience", "campaign-brief"),
        (FeedbackSide.SALES, "Objections heard", ""),
    )
    report = render(s, "report")
    brief = workbook.load().documents()["campaign-brief"]
    assert report.count(APPENDIX) == 1
    assert report.count("### Campaign brief") == 1
    for heading, prompt in brief.sections:
        assert report.count(f"- **{heading}:** {prompt}") == 1
    assert (
        "Used for: Briefs six weeks ahead (What Marketing brings); "
        "Every brief names its audience (Ground rules)." in report
    )
    assert "- Briefs six weeks ahead (follows the Campaign brief template: see the appendix)" in (
        report
    )
    assert "- Objections heard\n" in report  # an item with none says nothing
    assert "Customer story" not in report  # only what is pointed to
    page = render(s, "html")
    assert "<h2>Appendix: the loop's document templates</h2>" in page
    assert f"<strong>{brief.sections[0][0]}:</strong>" in page


def test_no_pointer_no_appendix() -> None:
    report = render(loop((FeedbackSide.SALES, "Lost deals", "")), "report")
    assert "Appendix" not in report and "follows" not in report


def test_an_item_without_words_adds_nothing() -> None:
    report = render(loop((FeedbackSide.SALES, "  ", "customer-story")), "report")
    assert "Appendix" not in report


def test_a_key_the_workbook_no_longer_has_is_named_bare() -> None:
    s = loop(
        (FeedbackSide.MARKETING, "Old briefs", "old-brief"),
        (FeedbackSide.SALES, "Stories", "customer-story"),
    )
    report = render(s, "report")
    assert "- Old briefs (follows old-brief, no longer in the workbook)" in report
    assert "### Customer story" in report and "old-brief\n" not in report
    only_gone = render(loop((FeedbackSide.MARKETING, "Old briefs", "old-brief")), "report")
    assert "Appendix" not in only_gone


def test_the_demo_points_to_both_documents() -> None:
    report = render(demo_session(), "report")
    assert report.index(APPENDIX) > report.index("**Next review:**")
    assert "### Customer story" in report and "### Campaign brief" in report


@pytest.mark.parametrize("key", ["Campaign Brief", "-none", "a b", "x" * 41, "[link](x)"])
def test_a_pointer_is_a_key_or_nothing(key: str) -> None:
    with pytest.raises(ValueError):
        FeedbackItem(id=1, side=FeedbackSide.SALES, document=key)
