"""Entry point: registers every command module on the Typer app."""

from __future__ import annotations

from labourwatch.cli import analysis, demo, documents, estimate, extract  # noqa: F401 - registers commands
from labourwatch.cli.app import app


def run() -> None:
    app()


if __name__ == "__main__":
    run()
