"""Entry point: registers every command module on the Typer app.

Command modules import the library inside their functions, so ``labourwatch --help`` loads
no spaCy, numpy or scipy.
"""

from __future__ import annotations

from labourwatch.cli import (  # noqa: F401
    analysis,
    demo,
    documents,
    estimate,
    export,
    extract,
    link,
    screen,
    serve,
    store,
)
from labourwatch.cli.app import EXIT_SOME_FAILED, app, report_error
from labourwatch.errors import LabourwatchError


def run() -> None:
    try:
        app()
    except LabourwatchError as exc:  # a library error the command did not expect: one line, no traceback
        report_error(None, str(exc))
        raise SystemExit(EXIT_SOME_FAILED) from None


if __name__ == "__main__":
    run()
