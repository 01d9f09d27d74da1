"""export warc | ftm | csv | geojson | parquet: the evidence in the formats other tools read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from labourwatch.cli.app import EXIT_SOME_FAILED, DbOption, app, fail, open_workspace, say
from labourwatch.errors import ExportError

export_app = typer.Typer(help="Export the evidence: WARC, FollowTheMoney, CSV, GeoJSON, Parquet.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

FolderArgument = Annotated[Path, typer.Argument(help="Folder to write into (created if missing).")]
FileArgument = Annotated[Path, typer.Argument(help="File to write.")]


@contextmanager
def _reported() -> Iterator[None]:
    """An export that cannot be written: one line naming the place and the reason."""
    try:
        yield
    except ExportError as exc:
        raise fail(str(exc), EXIT_SOME_FAILED) from None


@export_app.command("warc")
def export_warc(folder: FolderArgument, db: DbOption = None) -> None:
    """Captured web pages as a standard .warc.gz (replay with pywb or the Wayback Machine's tools)."""
    from labourwatch.export import write_warc

    with _reported(), open_workspace(db) as ws:
        path, count = write_warc(ws.store, folder)
    say(f"{count} capture{'s' if count != 1 else ''} → {path}")


@export_app.command("ftm")
def export_ftm(path: FileArgument, db: DbOption = None) -> None:
    """Documents, names, claims and indicators as FollowTheMoney entities (JSON lines; Aleph, ftm tools)."""
    from labourwatch.export import write_ftm

    with _reported(), open_workspace(db) as ws:
        count = write_ftm(ws, path)
    say(f"{count} entities → {path}")


@export_app.command("csv")
def export_csv(folder: FolderArgument, db: DbOption = None) -> None:
    """Every evidence table as CSV, with data-dictionary.csv describing each column."""
    from labourwatch.export import write_csv

    with _reported(), open_workspace(db) as ws:
        written = write_csv(ws.store, folder)
    say(f"{len(written)} files → {folder}")


@export_app.command("parquet")
def export_parquet(folder: FolderArgument, db: DbOption = None) -> None:
    """Every evidence table as Parquet (for pandas, DuckDB); needs pyarrow."""
    from labourwatch.export import write_parquet

    with _reported(), open_workspace(db) as ws:
        written = write_parquet(ws.store, folder)
    say(f"{len(written)} files → {folder}")


@export_app.command("geojson")
def export_geojson(path: FileArgument, db: DbOption = None) -> None:
    """Places with the claims about them, as GeoJSON points (for QGIS)."""
    from labourwatch.export import write_geojson

    with _reported(), open_workspace(db) as ws:
        count = write_geojson(ws, path)
    say(f"{count} places → {path}")
