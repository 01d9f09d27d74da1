"""``labourwatch demo``: the whole path on the built-in sample corpus."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import typer

from labourwatch.cli.app import DbOption, app, out
from labourwatch.cli.documents import run_ingest
from labourwatch.ingest import DEFAULT_MAX_BYTES
from labourwatch.store import Store


def sample_dir() -> Path:
    return Path(str(resources.files("labourwatch").joinpath("samples")))


@app.command()
def demo(db: DbOption = None) -> None:
    """Ingest the built-in sample corpus (into a temporary store unless --db is given)."""
    with tempfile.TemporaryDirectory(prefix="labourwatch-demo-") as tmp:
        path = Path(db) if db else Path(tmp) / "demo.db"
        with Store.open(path) as store:
            counts = run_ingest(store, [sample_dir()], DEFAULT_MAX_BYTES, quiet=True)
            out.print(f"[bold]labourwatch demo[/bold] — sample corpus in {sample_dir()}", markup=True)
            out.print(f"documents: {store.count('documents')} ({counts['stored']} new), "
                      f"sources: {store.count('sources')}, failed: {counts['failed']}")
            for row in store.documents():
                out.print(f"  {row['id'][:12]}  {row['media_type']:<18} {row['title'] or ''}")
        if not db:
            out.print("(temporary store; pass --db FILE to keep it)")
    raise typer.Exit(1 if counts["failed"] else 0)
