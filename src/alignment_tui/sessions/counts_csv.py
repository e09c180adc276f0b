"""Funnel counts from a CRM report's CSV export (``import-counts``, the Funnel step's import).

A CRM report of "how many records at each stage" exports as a small CSV: a
stage name in one column and a count in another, under a header. This module
reads such a file (:func:`read_counts_csv`), matches its stages with the
funnel's and works out what would change in one period (:func:`plan_import`),
then writes every change through the :class:`SessionService` in one
transaction (:func:`apply_import`).

Everything that can be wrong with the file is found before anything is
written, and refused with :class:`CountsFileError`, whose message is one line.

* Separator: comma, semicolon or tab, chosen from the header line.
* Encoding: UTF-8, with or without a byte-order mark; anything else is refused.
* Columns: found by their header (``Stage``/``Name``…, ``Count``/``Total``/
  ``Number``…), or named by the caller, by header or 1-based number.
* Numbers: whole and not negative; thousands separators welcome (``1,200``,
  ``1 200``, and ``1.200`` where the dot cannot be a decimal point: more
  than one group, another such number in the column, or a semicolon file).
* Stages: matched ignoring case and spaces around and between words.

Imports neither textual nor rich.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SessionFileError
from .models import FunnelCount, FunnelPeriod, FunnelStage, Record, Session

if TYPE_CHECKING:
    from .service import SessionService

#: A counts report is a few lines; anything bigger is not one (and is not read whole).
MAX_CSV_BYTES = 1024 * 1024
#: The most rows a counts file may hold (a funnel has tens of stages at most).
MAX_ROWS = 1000
#: The largest count a session holds (as ``models.Count``).
MAX_COUNT = 10**15
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}

#: Header names taken as the stage column, best first (compared casefolded, spaces collapsed).
STAGE_HEADERS = (
    "stage",
    "stage name",
    "funnel stage",
    "deal stage",
    "lifecycle stage",
    "lead stage",
    "opportunity stage",
    "pipeline stage",
    "name",
    "step",
    "phase",
    "status",
)
#: Header names taken as the count column, best first.
COUNT_HEADERS = (
    "count",
    "total",
    "number",
    "record count",
    "count of records",
    "# of records",
    "records",
    "no.",
    "qty",
    "quantity",
    "n",
)
#: Words that mark a header as the stage or count column when no name above matches.
STAGE_WORDS = ("stage",)
COUNT_WORDS = ("count", "total", "number")
#: A last row with one of these in the stage column is the report's total, not a stage
#: (skipped unless the funnel has a stage of that name).
TOTAL_ROWS = ("total", "grand total", "sum", "totals")


class CountsFileError(SessionFileError):
    """A counts file (or a request with it) that cannot be used; one line for the user."""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _quoted(name: str) -> str:
    """A name from the file in a message: quoted, and cut when long."""
    return f'"{_cut(name, 40)}"'


def normalise(name: str) -> str:
    """A stage or header name as compared: casefolded, spaces collapsed, ends trimmed."""
    return " ".join(name.split()).casefold()


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """One stage's line of the file: its name as written, its count, its line number."""

    stage: str
    count: int
    line: int


@dataclass(frozen=True)
class CountsTable:
    """What a counts file says, checked: each stage once, each with a whole count."""

    source: str
    separator: str
    stage_column: str
    count_column: str
    rows: tuple[CountRow, ...]
    #: False when the file starts with its first stage (columns are then named by number).
    header: bool = True

    @property
    def columns_text(self) -> str:
        """How the file was read: 'stages from "Stage", counts from "Count", comma-separated'."""
        quote = '"' if self.header else ""
        return (
            f"stages from {quote}{self.stage_column}{quote}, "
            f"counts from {quote}{self.count_column}{quote}, "
            f"{SEPARATORS.get(self.separator, self.separator)}-separated"
        )


def read_counts_csv(
    path: Path, *, stage_column: str | None = None, count_column: str | None = None
) -> CountsTable:
    """Read and check the counts file at *path* (see :func:`parse_counts_csv`)."""
    path = Path(path)
    try:
        if path.is_dir():
            raise CountsFileError(f"{path}: is a folder, not a CSV file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise CountsFileError(
                f"{path.name}: is {size:,} bytes; a counts report is a few lines "
                f"(at most {_size_text(MAX_CSV_BYTES)})"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except FileNotFoundError:
        raise CountsFileError(f"{path}: no such file") from None
    except PermissionError:
        raise CountsFileError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise CountsFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_CSV_BYTES:  # it grew while we looked
        raise CountsFileError(
            f"{path.name}: is over {_size_text(MAX_CSV_BYTES)}; a counts report is a few lines"
        )
    return parse_counts_csv(
        data, source=path.name, stage_column=stage_column, count_column=count_column
    )


def _size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CountsFileError(f"{source}: is UTF-16 text; export the report as CSV in UTF-8")
    if b"\x00" in data:
        raise CountsFileError(f"{source}: is not a CSV file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CountsFileError(
            f"{source}: is not UTF-8 text (line {line} has byte 0x{data[exc.start]:02x}); "
            "export the report as CSV in UTF-8"
        ) from None


def _split(text: str, separator: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    return [row for row in reader]


def _sniff(text: str) -> str:
    """The separator: the one that splits the header line into two or more columns
    and the most lines below it into as many; tab, then semicolon, then comma on a tie."""
    lines = [line for line in text.splitlines() if line.strip()][:50]
    best: tuple[int, int, int] | None = None
    chosen = ""
    problem: csv.Error | None = None
    for rank, separator in enumerate(("\t", ";", ",")):
        try:
            rows = _split("\n".join(lines), separator)
        except csv.Error as exc:
            problem = exc
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agreeing = sum(1 for row in rows if len(row) == width)
        score = (agreeing, -rank, width)
        if best is None or score > best:
            best, chosen = score, separator
    if not chosen and problem is not None:
        raise problem
    return chosen


def _find_column(
    header: Sequence[str], wanted: str | None, names: Sequence[str], words: Sequence[str], what: str
) -> tuple[int | None, bool]:
    """The *what* column: the one *wanted* names, else the best guess by header, else None.

    The flag says whether the column was found by its header's name (so the first
    line is a header) rather than by number.
    """
    keys = [normalise(h) for h in header]
    if wanted is not None:
        key = normalise(wanted)
        if not key:
            raise CountsFileError(f"the {what} column's name is empty")
        if key in keys:
            if keys.count(key) > 1:
                raise CountsFileError(f'two columns are called "{wanted.strip()}"')
            return keys.index(key), True
        if re.fullmatch(r"[0-9]+", key):
            number = int(key)
            if 1 <= number <= len(header):
                return number - 1, False
            raise CountsFileError(
                f"there is no column {number}: the file has {len(header)} columns"
            )
        listed = ", ".join(f'"{h.strip()}"' for h in header)
        raise CountsFileError(f'no column is called "{wanted.strip()}" (the columns: {listed})')
    for name in names:
        found = [i for i, k in enumerate(keys) if k == name]
        if len(found) == 1:
            return found[0], True
    by_word = [i for i, k in enumerate(keys) if any(w in k.split() for w in words)]
    if len(by_word) == 1:
        return by_word[0], True
    return None, False


_SEP_LINE = re.compile(r'"?sep=([,;\t])"?')
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
#: Spaces (plain, no-break, thin, narrow) and the Swiss apostrophe as thousands separators.
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u2009\u202f'\u2019][0-9]{3})+", re.ASCII)
_COMMA_GROUPS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+", re.ASCII)
_DOTS_CLEAR = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}", re.ASCII)
_DECIMAL = re.compile(r"[0-9]*[.,][0-9]+", re.ASCII)


def _count(raw: str, *, dots_are_thousands: bool, stage: str, line: int) -> int:
    """The whole number in one count cell, or the reason it is not one."""
    text = raw.strip()
    where = f"line {line} ({_quoted(stage)})"
    if not text:
        raise ValueError(f"{where} has no count")
    shown = _cut(text, 24)
    if text[0] in "-\u2212" and _DIGITS.search(text):
        raise ValueError(f"{where}: the count is negative ({shown})")
    if _DIGITS.fullmatch(text) or _SPACE_GROUPS.fullmatch(text):
        value = int(re.sub(r"[^0-9]", "", text))
    elif _COMMA_GROUPS.fullmatch(text):
        if dots_are_thousands:
            raise ValueError(
                f"{where}: {shown} uses a comma where the column's other counts use a dot "
                "for thousands; write it without separators"
            )
        value = int(text.replace(",", ""))
    elif _DOT_GROUPS.fullmatch(text):
        if not dots_are_thousands:
            # Only one group can be ambiguous (two groups cannot be a decimal).
            decimal = text.rstrip("0").rstrip(".")
            whole = text.replace(".", "")
            raise ValueError(
                f"{where}: {shown} could mean {decimal} or {whole}; write {whole} if it is {whole}"
            )
        value = int(text.replace(".", ""))
    elif _DECIMAL.fullmatch(text):
        raise ValueError(f"{where}: the count must be a whole number, not {shown}")
    else:
        raise ValueError(f"{where}: the count is not a number ({shown})")
    if value > MAX_COUNT:
        raise ValueError(f"{where}: the count is too large ({shown})")
    return value


def parse_counts_csv(
    data: bytes,
    *,
    source: str = "the file",
    stage_column: str | None = None,
    count_column: str | None = None,
) -> CountsTable:
    """Read a counts report's bytes; refuse with one line (naming *source*) when unusable."""
    if len(data) > MAX_CSV_BYTES:
        raise CountsFileError(f"{source}: is over {_size_text(MAX_CSV_BYTES)}; not a counts report")
    text = _decode(data, source)
    if not text.strip():
        raise CountsFileError(f"{source}: is empty")
    try:
        return _parse(text, source, stage_column, count_column)
    except csv.Error as exc:
        why = "a quote is never closed" if "end of data" in str(exc) else str(exc)
        raise CountsFileError(f"{source}: is not a readable CSV file ({why})") from None
    except ValueError as exc:
        raise CountsFileError(f"{source}: {exc}") from None


def _parse(
    text: str, source: str, stage_column: str | None, count_column: str | None
) -> CountsTable:
    first = 1
    said = _SEP_LINE.fullmatch(text.split("\n", 1)[0].strip())
    if said is not None:
        # Excel's "sep=;" first line names the separator.
        separator = said.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first = 2
    else:
        separator = _sniff(text)
    if not separator:
        raise CountsFileError(
            f"{source}: is not a CSV file with a stage column and a count column "
            "(separated by commas, semicolons or tabs)"
        )
    numbered = [
        (n, row)
        for n, row in enumerate(_split(text, separator), first)
        if any(c.strip() for c in row)
    ]
    if not numbered:
        raise CountsFileError(f"{source}: is empty")
    if len(numbered) > MAX_ROWS + 1:
        raise CountsFileError(
            f"{source}: has {len(numbered)} lines; a counts report has one per stage "
            f"(at most {MAX_ROWS})"
        )
    header = numbered[0][1]
    stage_at, stage_named = _find_column(header, stage_column, STAGE_HEADERS, STAGE_WORDS, "stage")
    count_at, count_named = _find_column(header, count_column, COUNT_HEADERS, COUNT_WORDS, "count")
    if len(header) == 2:  # one column found: the other one is the other
        if stage_at is not None and count_at is None and count_column is None:
            count_at = 1 - stage_at
        elif count_at is not None and stage_at is None and stage_column is None:
            stage_at = 1 - count_at
        elif stage_at is None and count_at is None and stage_column is count_column is None:
            stage_at, count_at = 0, 1
    # A first line is a header when a column was found by its name, or when its count
    # cell is not a number; "Reach,1200" from the first line on has no header.
    has_header = (
        stage_named
        or count_named
        or count_at is None
        or count_at >= len(header)
        or not _looks_like_count(header[count_at])
    )
    listed = ", ".join(f'"{h.strip()}"' for h in header)
    if stage_at is None:
        raise CountsFileError(
            f"{source}: which column holds the stages? (the columns: {listed}); "
            "name it with --stage-column"
        )
    if count_at is None:
        raise CountsFileError(
            f"{source}: which column holds the counts? (the columns: {listed}); "
            "name it with --count-column"
        )
    if stage_at == count_at:
        raise CountsFileError(f"{source}: the stage and count columns are the same column")
    body = numbered[1:] if has_header else numbered
    cells: list[tuple[int, str, str]] = []
    for line, row in body:
        if any(c.strip() for c in row[len(header) :]):
            # "Reach,1,200" unquoted: the count would be read as 1.
            hint = ' (a count with a comma in it must be in quotes: "1,200")' * (separator == ",")
            raise ValueError(
                f"line {line} has {len(row)} cells, more than the {len(header)} columns "
                f"of the first line{hint}"
            )
        stage = row[stage_at].strip() if stage_at < len(row) else ""
        raw = row[count_at] if count_at < len(row) else ""
        cells.append((line, stage, raw))
    if not cells:
        raise CountsFileError(f"{source}: has a header but no stages under it")
    dots = separator == ";" or any(_DOTS_CLEAR.fullmatch(raw.strip()) for _l, _s, raw in cells)
    rows: list[CountRow] = []
    seen: dict[str, int] = {}
    for line, stage, raw in cells:
        if not stage:
            if raw.strip():
                raise ValueError(
                    f"line {line} has a count ({_cut(raw.strip(), 24)}) but no stage name"
                )
            continue
        key = normalise(stage)
        if key in seen:
            raise ValueError(f"{_quoted(stage)} is there twice (lines {seen[key]} and {line})")
        seen[key] = line
        rows.append(
            CountRow(stage, _count(raw, dots_are_thousands=dots, stage=stage, line=line), line)
        )
    if not rows:
        raise CountsFileError(f"{source}: has no stage names in its stage column")
    head = header if has_header else [f"column {stage_at + 1}", f"column {count_at + 1}"]
    return CountsTable(
        source=source,
        separator=separator,
        stage_column=(head[stage_at] if has_header else head[0]).strip(),
        count_column=(head[count_at] if has_header else head[1]).strip(),
        rows=tuple(rows),
        header=has_header,
    )


def _looks_like_count(cell: str) -> bool:
    text = cell.strip()
    return bool(
        _DIGITS.fullmatch(text)
        or _SPACE_GROUPS.fullmatch(text)
        or _COMMA_GROUPS.fullmatch(text)
        or _DOT_GROUPS.fullmatch(text)
    )


# ---------------------------------------------------------------------------
# What would change in the session
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CountChange:
    """One stage's count in the period: what it is now (None: none yet) and what the file says."""

    stage: FunnelStage
    old: int | None
    new: int

    @property
    def kind(self) -> str:
        """ "new", "replaced" or "unchanged"."""
        if self.old is None:
            return "new"
        return "unchanged" if self.old == self.new else "replaced"


@dataclass(frozen=True)
class CountsPlan:
    """What importing a counts table into one period would do (nothing written yet)."""

    table: CountsTable
    period_label: str
    #: The period the counts go into; None when it is created by the import.
    period: FunnelPeriod | None
    #: Every stage the file names, in the funnel's order.
    changes: tuple[CountChange, ...]
    #: The funnel's stages the file does not name (their counts are left as they are).
    missing: tuple[FunnelStage, ...] = field(default=())
    #: The file's last line when it is the report's total, as "line 9 (Total)".
    skipped: tuple[str, ...] = field(default=())

    @property
    def new_period(self) -> bool:
        return self.period is None

    @property
    def replaced(self) -> list[CountChange]:
        return [c for c in self.changes if c.kind == "replaced"]

    @property
    def writes(self) -> list[CountChange]:
        return [c for c in self.changes if c.kind != "unchanged"]

    @property
    def nothing_to_do(self) -> bool:
        return not self.new_period and not self.writes

    def summary_lines(self) -> list[str]:
        """The dry run: the period, then one line a stage (old → new), then what is left alone."""
        from .funnel import fmt_count

        what = "new period" if self.new_period else "existing period"
        lines = [
            f"{self.period_label} ({what}) from {self.table.source}: {self.table.columns_text}"
        ]
        width = max(len(c.stage.name) for c in self.changes)
        olds = [fmt_count(c.old) for c in self.changes]
        news = [fmt_count(c.new) for c in self.changes]
        old_w = max(len(o) for o in olds)
        new_w = max(len(n) for n in news)
        for change, old, new in zip(self.changes, olds, news, strict=True):
            note = {"new": "", "replaced": "  (replaced)", "unchanged": "  (unchanged)"}[
                change.kind
            ]
            name = change.stage.name.ljust(width)
            lines.append(f"  {name}  {old.rjust(old_w)} → {new.rjust(new_w)}{note}")
        if self.missing:
            names = ", ".join(s.name for s in self.missing)
            lines.append(f"Not in the file, left as they are: {names}")
        if self.skipped:
            lines.append(f"Skipped as the report's total: {', '.join(self.skipped)}")
        return lines

    def result_line(self) -> str:
        """One line after a successful import."""
        counts = {k: sum(1 for c in self.changes if c.kind == k) for k in ("new", "replaced")}
        parts = [f"{n} {k}" for k, n in counts.items() if n]
        unchanged = sum(1 for c in self.changes if c.kind == "unchanged")
        if unchanged:
            parts.append(f"{unchanged} unchanged")
        where = "a new period" if self.new_period else "the period"
        return f"Counts for {where} {self.period_label}: {', '.join(parts) or 'none'}"


def find_period(session: Session, label: str) -> FunnelPeriod | None:
    """The period called *label*, ignoring case and spaces (None: there is none)."""
    key = normalise(label)
    for period in session.sorted_periods():
        if normalise(period.label) == key:
            return period
    return None


def plan_import(session: Session, table: CountsTable, period_label: str) -> CountsPlan:
    """Match *table*'s stages with the funnel's and say what would change in *period_label*.

    Refused (one line) when the period label is empty or too long, when a stage in the
    file is not in the funnel, or when two of the funnel's stages share the file's name.
    """
    label = " ".join(period_label.split())
    if not label:
        raise CountsFileError('the period must not be empty (e.g. --period "2027 Q1")')
    if len(label) > 200:
        raise CountsFileError("the period's name is too long (at most 200 characters)")
    stages = session.sorted_stages()
    if not stages:
        raise CountsFileError("the funnel has no stages yet; add them in the Funnel step first")
    by_key: dict[str, list[FunnelStage]] = {}
    for stage in stages:
        by_key.setdefault(normalise(stage.name), []).append(stage)
    rows = list(table.rows)
    skipped: list[str] = []
    last = rows[-1]
    if (
        len(rows) > 1
        and normalise(last.stage) in TOTAL_ROWS
        and normalise(last.stage) not in by_key
    ):
        skipped.append(f"line {last.line} ({last.stage})")
        rows.pop()
    unknown = [row for row in rows if normalise(row.stage) not in by_key]
    if unknown:
        names = ", ".join(_quoted(row.stage) for row in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        known = ", ".join(s.name for s in stages)
        noun = "stage is" if len(unknown) == 1 else "stages are"
        raise CountsFileError(
            f"{table.source}: {len(unknown)} {noun} not in the funnel: {names}{more} "
            f"(the funnel's stages: {known}); nothing was written"
        )
    for row in rows:
        matches = by_key[normalise(row.stage)]
        if len(matches) > 1:
            raise CountsFileError(
                f"{table.source}: {_quoted(row.stage)} matches {len(matches)} of the "
                "funnel's stages; rename one of them first"
            )
    period = find_period(session, label)
    new_counts = {by_key[normalise(row.stage)][0].id: row.count for row in rows}
    changes: list[CountChange] = []
    missing: list[FunnelStage] = []
    for stage in stages:
        if stage.id not in new_counts:
            missing.append(stage)
            continue
        existing = session.count_for(stage.id, period.id) if period is not None else None
        old = existing.count if existing is not None else None
        changes.append(CountChange(stage, old, new_counts[stage.id]))
    return CountsPlan(
        table=table,
        period_label=period.label if period is not None else label,
        period=period,
        changes=tuple(changes),
        missing=tuple(missing),
        skipped=tuple(skipped),
    )


def why_refused(plan: CountsPlan, *, replace: bool) -> str | None:
    """Why the import may not go ahead without ``--replace`` (None: it may)."""
    if replace or not plan.replaced:
        return None
    from .funnel import fmt_count

    listed = [f"{c.stage.name} ({fmt_count(c.old)} → {fmt_count(c.new)})" for c in plan.replaced]
    shown = ", ".join(listed[:4]) + (f" and {len(listed) - 4} more" if len(listed) > 4 else "")
    return (
        f"{plan.period_label} already has counts that would change: {shown}; "
        "use --replace to overwrite them (nothing was written)"
    )


def records_for(session: Session, plan: CountsPlan) -> list[Record]:
    """The records to save for *plan*: the new period (if any) and each changed count."""
    records: list[Record] = []
    period = plan.period
    if period is None:
        period = FunnelPeriod(
            id=session.next_id("funnel_periods"),
            position=max((p.position for p in session.funnel_periods), default=0) + 1,
            label=plan.period_label,
        )
        records.append(period)
    next_count = session.next_id("funnel_counts")
    for change in plan.writes:
        existing = session.count_for(change.stage.id, period.id)
        if existing is not None:
            records.append(existing.model_copy(update={"count": change.new}))
            continue
        records.append(
            FunnelCount(
                id=next_count, stage_id=change.stage.id, period_id=period.id, count=change.new
            )
        )
        next_count += 1
    return records


def apply_import(
    service: SessionService, table: CountsTable, period_label: str, *, replace: bool = False
) -> CountsPlan:
    """Import *table* into *period_label* of the open session, in one transaction.

    The plan is worked out again from the service's session (what is in the file
    now), refused as :func:`plan_import` and :func:`why_refused` refuse; nothing is
    written when nothing would change. Returns the plan that was carried out.
    """
    plan = plan_import(service.session, table, period_label)
    reason = why_refused(plan, replace=replace)
    if reason is not None:
        raise CountsFileError(reason)
    if plan.nothing_to_do:
        return plan
    service.save_together(records_for(service.session, plan))
    return plan
