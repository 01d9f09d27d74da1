"""The Typer app, shared options and output helpers of every command."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer
from rich.console import Console

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
        help="Evidence store (SQLite file); default ./labourwatch.db.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

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
    err.print(f"[red]error:[/red] {message}", markup=True)
    return typer.Exit(code)


def report_error(location: str, reason: str) -> None:
    err.print(f"[red]error:[/red] {location}: {reason}", markup=True, highlight=False)
