"""Entry point: registers every command module on the Typer app."""

from __future__ import annotations

from labourwatch.cli import analysis, demo, documents, estimate, extract, screen  # noqa: F401
from labourwatch.cli.app import app


def run() -> None:
    app()


if __name__ == "__main__":
    run()
