"""The Typer app, shared options and output helpers of every command."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from labourwatch.parallel import Mapper
    from labourwatch.workspace import Workspace

app = typer.Typer(
    name="labourwatch",
    help="Document and quantify state-sponsored forced labour, every figure traceable to its quote.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Piped output gets a wide console so that tables stay readable in files and logs.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="LABOURWATCH_DB",
        help="Evidence store: a SQLite file (default ./labourwatch.db) or a postgresql:// URL.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

ClusterOption = Annotated[
    str | None,
    typer.Option("--cluster", help="A Dask scheduler (tcp://host:8786) to run on, instead of this machine."),
]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def print_json(payload: Any) -> None:
    """JSON on standard output, unescaped Unicode (names in Hangul stay readable)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def print_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.write(buf.getvalue())


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one error line and return the Exit to raise."""
    report_error(None, message)
    return typer.Exit(code)


def report_error(location: str | None, reason: str) -> None:
    """One line on standard error. Stored strings are printed as plain text: a title or path
    with Rich markup in it (``[/b]``, ``[link=…]``) is shown as written, never interpreted."""
    err.print(Text("error: ", style="red") + Text(f"{location}: {reason}" if location else reason))


def plain_row(table: Table, *cells: object) -> None:
    """Add a row shown as written: stored titles, names and quotes may hold Rich markup."""
    table.add_row(*(c if isinstance(c, Text) else Text("" if c is None else str(c)) for c in cells))


def warn(message: str) -> None:
    err.print(Text("warning: ", style="yellow") + Text(message))


def say(message: str) -> None:
    """A line on standard output, as plain text."""
    out.print(Text(message))


def open_workspace(db: str | None, create: bool = False) -> Workspace:
    """The workspace over ``--db``; exit 2 with the reason if there is no store there."""
    from labourwatch.errors import StoreError
    from labourwatch.workspace import Workspace

    try:
        return Workspace.open(db, create=create)
    except StoreError as exc:
        hint = " (run `labourwatch ingest` first or pass --db)" if not create else ""
        raise fail(f"{exc}{hint}") from None


class Bar:
    """A running progress bar: ``advance(k)`` work items, or ``show(done, total)``."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task = progress, task

    def advance(self, k: int = 1) -> None:
        self.progress.advance(self.task, k)

    def show(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


@contextmanager
def progress_bar(label: str, total: int | None, enabled: bool = True) -> Iterator[Bar]:
    """A progress bar with the time left, on a terminal only."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, transient=True, disable=not (enabled and err.is_terminal))
    with progress:
        yield Bar(progress, progress.add_task(label, total=total))


@contextmanager
def cluster_client(address: str | None) -> Iterator[Any]:
    """The Dask client for ``--cluster`` (None without it); exit 2 if no scheduler answers."""
    if address is None:
        yield None
        return
    from labourwatch.cluster import connect
    from labourwatch.errors import InputError

    try:
        client = connect(address)
    except InputError as exc:
        raise fail(str(exc)) from None
    with client:
        yield client


@contextmanager
def cluster_mapper(address: str | None, batch: int) -> Iterator[Mapper | None]:
    """Dask's workers for ``--cluster``, ``batch`` items to a task; None (this machine's
    cores) without it."""
    with cluster_client(address) as client:
        if client is None:
            yield None
            return
        from labourwatch.cluster import DaskMapper

        yield DaskMapper(client, batch)
