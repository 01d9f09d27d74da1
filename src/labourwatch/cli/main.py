"""Entry point: registers every command module on the Typer app."""

from __future__ import annotations

from labourwatch.cli import demo, documents, extract  # noqa: F401 - importing registers commands
from labourwatch.cli.app import app


def run() -> None:
    app()


if __name__ == "__main__":
    run()
