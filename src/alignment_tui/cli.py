"""The command line: ``alignment-tui [new|open|demo|list|export|import|import-counts|follow|serve]``.

Exit codes: 0 on success; 2 for bad usage or a file that cannot be used, with
exactly one line on stderr and no traceback. Only the commands that start the
terminal UI import Textual (lazily, in :func:`run_app`); ``export``,
``import``, ``list`` and ``--version`` never do, so they start fast.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__, gcpause
from .sessions.text import escape_bidi, snippet

if TYPE_CHECKING:
    from .app import AlignmentApp
    from .sessions.models import Session

#: Same as ``sessions.export.FORMATS`` (kept here so ``--help`` needs no import).
EXPORT_FORMATS = ("checklist", "report", "html", "ics", "csv", "json", "review")
EXIT_UNUSABLE = 2


def one_line(text: str, width: int | None = None) -> str:
    """Text safe for one line of a terminal, by the app's one rule (``sessions.text``).

    Breaks become spaces, control characters are shown as the app shows them
    (ESC as ``␛``), bidi overrides written out; longer than *width*, cut with "…".
    """
    return snippet(escape_bidi(str(text)), width)


class CliError(click.ClickException):
    """A file or request that cannot be used: one line on stderr, exit 2."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message) or "failed")

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def _message(exc: BaseException) -> str | None:
    """The one-line message for an error we expect from files and values, else None."""
    from pydantic import ValidationError

    from .sessions.errors import SessionFileError, describe_validation_error

    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    if isinstance(exc, SessionFileError | OSError | ValueError | sqlite3.Error):
        return str(exc) or type(exc).__name__
    return None


class AlignmentGroup(click.Group):
    """Turns expected errors from any command into one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # click quietens a closed pipe (``export … | head``)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            message = _message(exc)
            if message is None:
                raise
            raise CliError(message) from None


def make_app(path: Path | None, *, readonly: bool = False, review: bool = False) -> AlignmentApp:
    """The terminal UI, built with the garbage collector paused (see :mod:`.gcpause`).

    The app resumes the collector once its first screen has settled.
    """
    gcpause.pause()
    from .app import AlignmentApp

    return AlignmentApp(path, readonly=readonly, review=review)


def run_app(path: Path | None, *, readonly: bool = False, review: bool = False) -> None:
    """Start the terminal UI (the only place the CLI imports Textual)."""
    app = make_app(path, readonly=readonly, review=review)
    try:
        app.run()
    finally:
        gcpause.resume()


def interactive() -> bool:
    """True when a person can answer a question on stdin."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def _resolve_existing(raw: str) -> Path:
    """A session path as given; a bare name also finds ``NAME.alignment.db`` in the data folder."""
    from .sessions.paths import data_dir, normalise_path

    path = normalise_path(Path(raw))
    if not path.exists() and len(Path(raw).parts) == 1:
        candidate = data_dir(create=False) / path.name
        if candidate.exists():
            return candidate
    return path


def _new_path(raw: str | None, title: str) -> Path:
    from .sessions.paths import normalise_path, session_path_for

    if raw is None:
        return session_path_for(title)
    path = normalise_path(Path(raw))
    if path.exists():
        raise CliError(f"{path}: already exists; choose another name or open it")
    return path


def _create(path: Path, session: Session) -> Path:
    from .sessions.service import SessionService

    SessionService.create(path, session).close()
    return path


@click.group(
    cls=AlignmentGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    __version__, "--version", prog_name="alignment-tui", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Run a sales and marketing alignment workshop from the terminal.

    Without a command, shows the start screen with recent sessions.
    """
    if ctx.invoked_subcommand is None:
        run_app(None)


@cli.command()
@click.argument("path", required=False)
@click.option("--title", "-t", default=None, help="Title of the workshop.")
@click.option("--organisation", "-O", default="", help="The company or team.")
@click.option(
    "--date", "date_text", default=None, help="Workshop date, YYYY-MM-DD (default today)."
)
@click.option("--facilitator", "-f", default=None, help="Who runs the workshop.")
@click.option(
    "--from",
    "previous_path",
    default=None,
    metavar="EARLIER",
    help="Start from an earlier session: people, agreements, stages, hand-overs and "
    "open actions carried over; counts and closed actions left behind. EARLIER is "
    "only read.",
)
@click.option("--no-open", is_flag=True, help="Create the file without starting the app.")
def new(
    path: str | None,
    title: str | None,
    organisation: str,
    date_text: str | None,
    facilitator: str | None,
    previous_path: str | None,
    no_open: bool,
) -> None:
    """Create a session (PATH, or a new file in the data folder) and open it."""
    from .sessions.models import new_session
    from .sessions.parse import parse_date

    if title is not None and not title.strip():
        raise CliError("--title must not be empty")
    workshop_date = parse_date(date_text, field="--date") if date_text else None
    if previous_path is not None:
        from .sessions.carry import next_workshop
        from .sessions.store import read_session

        previous = read_session(_resolve_existing(previous_path))
        session = next_workshop(
            previous, title=title, workshop_date=workshop_date, facilitator=facilitator
        )
        if organisation:
            session.meta = session.meta.model_copy(update={"organisation": organisation})
    else:
        session = new_session(
            (title if title is not None else "Alignment workshop").strip(),
            organisation=organisation,
            workshop_date=workshop_date,
            facilitator=facilitator or "",
        )
    target = _new_path(path, session.meta.title)
    _create(target, session)
    click.echo(f"Created {target}")
    if not no_open:
        run_app(target)


@cli.command("open")
@click.argument("path")
@click.option(
    "--review",
    is_flag=True,
    help="Open on the review screen: what changed since the last review, recording nothing "
    "until you start the review there (F5).",
)
@click.option("--read-only", "read_only", is_flag=True, help="Look without changing anything.")
def open_(path: str, review: bool, read_only: bool) -> None:
    """Resume the session in PATH."""
    from .sessions.errors import ReadOnlySession, SessionInUse
    from .sessions.service import SessionService
    from .sessions.store import read_session

    target = _resolve_existing(path)
    # Check the whole file read-only first: opening for writing marks it as open,
    # and a file that turns out to hold invalid data must be left byte-for-byte alone.
    read_session(target)
    try:
        SessionService.open(target, readonly=read_only).close()
    except SessionInUse as exc:
        if not interactive():
            raise CliError(f"{exc}; use --read-only to look at it without changes") from None
        click.echo(one_line(str(exc)), err=True)
        if not click.confirm("Open read-only instead?", default=True, err=True):
            raise CliError("not opened") from None
        read_only = True
        SessionService.open(target, readonly=True).close()
    except ReadOnlySession as exc:
        if read_only:
            raise
        raise CliError(f"{exc}; use --read-only to look at it") from None
    run_app(target, readonly=read_only, review=review)


@cli.command()
@click.argument("path", required=False)
@click.option("--no-open", is_flag=True, help="Create the file without starting the app.")
def demo(path: str | None, no_open: bool) -> None:
    """Create a filled-in example session and open it."""
    from .sessions.demo import DEMO_TITLE, demo_session

    target = _new_path(path, DEMO_TITLE)
    _create(target, demo_session())
    click.echo(f"Created {target}")
    if not no_open:
        run_app(target)


def _cell(text: str, width: int = 40) -> str:
    """A table cell: one line (no raw control character or break), at most *width* long."""
    return one_line(text, width)


def _whole(text: str) -> str:
    """A table's last cell, on one line but whole: a file's path is no use cut short."""
    return one_line(text)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@cli.command("list")
@click.option("--dir", "folder", default=None, help="Folder to list (default: the data folder).")
@click.option(
    "--due", is_flag=True, help="Only sessions whose review is overdue or due within 14 days."
)
def list_(folder: str | None, due: bool) -> None:
    """List the sessions in a folder: reviews due first (overdue ones on top), with the
    workshop date, the next review and the actions overdue."""
    from .sessions import clock
    from .sessions.listing import DUE_WITHIN_DAYS, by_review, list_sessions
    from .sessions.paths import data_dir

    if folder is None:
        where = data_dir(create=False)
        if not where.is_dir():
            click.echo(f"No sessions yet in {where}")
            return
    else:
        where = Path(folder).expanduser()
        if not where.exists():
            raise CliError(f"{where}: no such folder")
        if not where.is_dir():
            raise CliError(f"{where}: not a folder")
    today = clock.today()
    summaries = by_review(list_sessions(where), today)
    if not summaries:
        click.echo(f"No sessions in {where}")
        return
    if due:
        summaries = [s for s in summaries if s.error is None and s.review_due(today)]
        if not summaries:
            click.echo(f"No review due within {DUE_WITHIN_DAYS} days in {where}")
            return
    header = [
        "FILE",
        "TITLE",
        "ORGANISATION",
        "WORKSHOP",
        "NEXT REVIEW",
        "OPEN ACTIONS",
        "PROGRESS",
        "LAST EDITED",
    ]
    rows: list[list[str]] = []
    problems: list[tuple[str, str]] = []
    for s in summaries:
        name = _cell(s.path.name, 50)
        if s.error is not None:
            reason = s.error
            prefix = f"{s.path.name}: "
            if reason.startswith(prefix):
                reason = reason[len(prefix) :]
            problems.append((name, _cell(reason, 100)))
            continue
        edited = s.updated_at.strftime("%Y-%m-%d %H:%M") if s.updated_at else ""
        review = s.next_review.isoformat() if s.next_review else "—"
        if s.next_review is not None and s.review_due(today):
            days = (s.next_review - today).days
            review += (
                f", {_days(-days)} overdue"
                if days < 0
                else ", today"
                if days == 0
                else f", in {_days(days)}"
            )
        late = s.overdue_actions(today)
        rows.append(
            [
                name,
                _cell(s.title),
                _cell(s.organisation, 24),
                s.workshop_date.isoformat() if s.workshop_date else "",
                review,
                f"{s.open_actions} ({late} overdue)" if late else str(s.open_actions),
                s.progress_text,
                edited,
            ]
        )
    widths = [len(h) for h in header]
    widths[0] = max([widths[0], *(len(name) for name, _ in problems)])
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    if rows:
        for row in [header, *rows]:
            click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for name, reason in problems:
        click.echo(f"{name.ljust(widths[0])}  cannot be used: {reason}")


@cli.command()
def templates() -> None:
    """List the workbook: presets, examples and templates, and where each comes from.

    The app's own are built in; a consultancy's own versions are TOML files in
    the templates folder named below, and replace a built-in one of the same
    kind and key.
    """
    from .sessions import workbook

    book = workbook.load()
    folder = workbook.house_folder()
    header = ["KIND", "KEY", "TITLE", "FROM"]
    rows = [
        [workbook.KIND_LABELS[e.kind], e.entry.key, _cell(e.entry.title, 60), _whole(e.origin)]
        for kind in workbook.KINDS
        for e in book.of(kind)
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    for row in [header, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    click.echo("")
    click.echo(f"House templates folder: {folder}" + ("" if folder.is_dir() else " (none yet)"))
    for line in book.problems:
        click.echo(line, err=True)


def _render(session: Session, fmt: str, *, facilitator: bool = False) -> str:
    """Like ``sessions.export.render``; JSON without importing the other renderers."""
    if fmt == "json":
        from .sessions.jsonio import to_json

        return to_json(session)
    from .sessions.export import render

    return render(session, fmt, facilitator=facilitator)


@cli.command()
@click.argument("path")
@click.option(
    "--format",
    "-F",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="checklist",
    show_default=True,
    help="What to export (review: the 'since the last review' pack; a web page when -o "
    "ends in .html).",
)
@click.option("-o", "--output", default=None, help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--excel",
    is_flag=True,
    help="CSV only: start with a UTF-8 byte-order mark so Excel shows accents right.",
)
@click.option(
    "--facilitator",
    is_flag=True,
    help="Report and html only: add the facilitator's material (status, timings).",
)
def export(
    path: str, fmt: str, output: str | None, force: bool, excel: bool, facilitator: bool
) -> None:
    """Export the session in PATH (read-only; works while the app has it open)."""
    from .sessions.store import read_session

    if excel and fmt != "csv":
        raise CliError("--excel is for --format csv only")
    if facilitator and fmt not in ("report", "html"):
        raise CliError("--facilitator is for --format report or html only")
    source = _resolve_existing(path)
    session = read_session(source)
    if fmt == "review" and output and output.lower().endswith((".html", ".htm")):
        from .sessions.export import REVIEW_HTML

        fmt = REVIEW_HTML
    if output is None or output == "-":
        text = _render(session, fmt, facilitator=facilitator)
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8-sig" if excel else "utf-8"))
        sys.stdout.buffer.flush()
        return
    target = Path(output).expanduser()
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise CliError(f"{target}: is the session itself; choose another output file")
    from .sessions.export import write_export

    try:
        write_export(session, fmt, target, force=force, bom=excel, facilitator=facilitator)
    except FileExistsError as exc:
        hint = "" if force else "; use --force to replace it"
        raise CliError(f"{exc}{hint}") from None
    click.echo(f"Wrote {fmt.replace('-html', ' (web page)')} to {target}", err=True)


@cli.command("import")
@click.argument("json_file", metavar="FILE.json")
@click.argument("path", required=False)
@click.option("--force", is_flag=True, help="Replace an existing session file at PATH.")
def import_(json_file: str, path: str | None, force: bool) -> None:
    """Turn an exported JSON file back into a session file (PATH, or a new file in the data folder)."""
    from .sessions.errors import NotASession, SessionFileError, SessionInUse
    from .sessions.fileinfo import writable
    from .sessions.jsonio import read_json_file
    from .sessions.paths import normalise_path, session_path_for
    from .sessions.store import SessionStore, inspect_file

    session = read_json_file(Path(json_file).expanduser())
    if path is None:
        target = session_path_for(session.meta.title)
    else:
        target = normalise_path(Path(path))
    if target.exists():
        if target.is_dir():
            raise CliError(f"{target}: is a folder; give a file name")
        if not force:
            raise CliError(f"{target}: already exists; use --force to replace it")
        if not writable(target):
            raise CliError(f"{target}: is read-only; it is never replaced")
        try:
            inspect_file(target)
        except SessionInUse:
            raise
        except SessionFileError as exc:
            raise NotASession(f"{exc}; only a session file is ever replaced") from None
        store = SessionStore.open(target, readonly=True)
        try:
            holder = store.lock_holder()
        finally:
            store.close()
        if holder is not None:
            raise SessionInUse(f"{target.name}: open in another alignment-tui; close it first")
    SessionStore.create(target, session, overwrite=force).close(session)
    click.echo(f"Imported {json_file} into {target}")


def _shown(line: str) -> str:
    """A line of a table for stdout: user text's controls shown, its spacing kept."""
    from .sessions.text import one_line as controls_shown

    return controls_shown(escape_bidi(line))


@cli.command("import-counts")
@click.argument("path")
@click.argument("csv_file", metavar="FILE.csv")
@click.option(
    "--period", "-p", required=True, help='The period the counts are for, e.g. "2027 Q1".'
)
@click.option(
    "--stage-column",
    default=None,
    metavar="NAME|N",
    help="The column of stage names (header or 1-based number).",
)
@click.option(
    "--count-column",
    default=None,
    metavar="NAME|N",
    help="The column of counts (header or 1-based number).",
)
@click.option("--replace", is_flag=True, help="Overwrite counts the period already has.")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
def import_counts(
    path: str,
    csv_file: str,
    period: str,
    stage_column: str | None,
    count_column: str | None,
    replace: bool,
    dry_run: bool,
) -> None:
    """Funnel counts for one period from a CRM report's CSV export (stage names and counts).

    Every stage in the file must be in the funnel (case and spaces aside); the period is
    created if the session does not have it. Nothing is written when anything in the file
    is wrong, or when the period already has other counts and --replace is not given.
    """
    from .sessions.counts_csv import apply_import, plan_import, read_counts_csv, why_refused
    from .sessions.errors import SessionInUse
    from .sessions.service import SessionService
    from .sessions.store import SessionStore

    if not period.strip():
        raise CliError('--period must not be empty, e.g. --period "2027 Q1"')
    target = _resolve_existing(path)
    # The session is checked read-only first (as export does), so a damaged, foreign or
    # newer file, or one that is open in the app, is refused before anything is written.
    store = SessionStore.open(target, readonly=True)
    try:
        session = store.load()
        holder = None if dry_run else store.lock_holder()
    finally:
        store.close()
    if holder is not None:
        raise SessionInUse(
            f"{target.name}: open in another alignment-tui; close it first "
            "(--dry-run shows what would change)"
        )
    table = read_counts_csv(
        Path(csv_file).expanduser(), stage_column=stage_column, count_column=count_column
    )
    plan = plan_import(session, table, period)
    if dry_run:
        click.echo("Dry run: nothing is written.")
        for line in plan.summary_lines():
            click.echo(_shown(line))
        if plan.nothing_to_do:
            click.echo(f"Nothing would change: {one_line(plan.period_label)} has these counts.")
        elif why_refused(plan, replace=replace) is not None:
            click.echo("Counts would be overwritten: the import needs --replace.")
        return
    reason = why_refused(plan, replace=replace)
    if reason is not None:
        raise CliError(reason)
    if plan.nothing_to_do:
        click.echo(f"Nothing to change: {one_line(plan.period_label)} already has these counts.")
        return
    service = SessionService.open(target)
    try:
        done = apply_import(service, table, period, replace=replace)
    finally:
        service.close()
    for line in done.summary_lines():
        click.echo(_shown(line))
    click.echo(one_line(f"{done.result_line()}; saved in {target.name}"))


@cli.command()
@click.argument("path")
@click.option("--light", is_flag=True, help="Start in the light projector theme (F8 switches).")
@click.option(
    "--contribute",
    is_flag=True,
    help="Let the person at this view add notes and dot votes (under a name asked at the "
    "start), while the facilitator takes contributions.",
)
def follow(path: str, light: bool, contribute: bool) -> None:
    """A live, read-only view of the session in PATH for the projector.

    Shows the step the facilitator's copy is on, its agreement, timer and open
    actions, and follows every save within a second. Never writes to the session's
    records; with --contribute, notes and dot votes go to the contributions table only.
    Keys: F8 theme, + / - roomier or compact text, q leaves; with --contribute also
    n a note on this step, v / u a dot on or off the highlighted goal.
    """
    from .follow.source import FollowSource

    source = FollowSource(_resolve_existing(path))
    source.open()  # a file that cannot be used: one line, exit 2
    try:
        from .follow.app import FollowApp
        from .themes import PROJECTOR

        FollowApp(source, theme=PROJECTOR.name if light else None, contribute=contribute).run()
    finally:
        source.close()


@cli.command()
@click.argument("path")
@click.option(
    "--host",
    default=None,
    metavar="H",
    help="Address to listen on (default 127.0.0.1: this computer only). Any other address "
    "needs the random token printed with the link.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="P")
@click.option("--token", "require_token", is_flag=True, help="Require the token on 127.0.0.1 too.")
@click.option(
    "--contribute",
    is_flag=True,
    help="Let each visitor add notes and dot votes under a name they give, while the "
    "facilitator takes contributions.",
)
def serve(path: str, host: str | None, port: int, require_token: bool, contribute: bool) -> None:
    """The follow view of the session in PATH in browsers, one view per visitor.

    Each visitor sees only this session's follow view (read-only; with --contribute
    they may also add notes and dot votes); Ctrl+C stops the server and every
    visitor's view.
    """
    from .follow.source import FollowSource

    target = _resolve_existing(path).resolve()
    source = FollowSource(target)
    source.open()  # a file that cannot be used: one line, exit 2, before anything listens
    source.close()
    from .follow.serve import serve as run_server

    try:
        run_server(target, host, port, require_token=require_token, contribute=contribute)
    except OSError as exc:
        raise CliError(
            f"cannot listen on {host or '127.0.0.1'}:{port} ({exc.strerror or exc})"
        ) from None


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (the collector is paused while it starts; see gcpause)."""
    gcpause.pause()
    try:
        cli.main(args=argv, prog_name="alignment-tui")
    finally:
        gcpause.resume()
