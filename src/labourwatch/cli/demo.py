"""``labourwatch demo``: the whole path on the built-in sample corpus."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import typer

from labourwatch.cli.analysis import write_reports
from labourwatch.cli.app import DbOption, app, open_workspace, out, say
from labourwatch.cli.documents import run_ingest
from labourwatch.cli.extract import extract_store, make_pipeline, print_claims
from labourwatch.ingest.pipeline import DEFAULT_MAX_BYTES


def sample_dir() -> Path:
    return Path(str(resources.files("labourwatch").joinpath("samples")))


@app.command()
def demo(db: DbOption = None) -> None:
    """Ingest and extract the built-in sample corpus (a temporary store unless --db is given)."""
    with tempfile.TemporaryDirectory(prefix="labourwatch-demo-") as tmp:
        path = Path(db) if db else Path(tmp) / "demo.db"
        with open_workspace(str(path), create=True) as ws:
            out.print(f"[bold]labourwatch demo[/bold] — sample corpus in {sample_dir()}", markup=True)
            counts = run_ingest(ws, [sample_dir()], DEFAULT_MAX_BYTES, quiet=True)
            say(f"ingested: {ws.count('documents')} documents ({counts['stored']} new), "
                f"{ws.count('sources')} sources, {counts['failed']} failed")
            done, failed, n_claims = extract_store(ws, make_pipeline(None), force=False)
            say(f"extracted: {done} documents, {n_claims} new claims, {failed} failed; "
                f"{ws.count('indicators')} indicator findings, "
                f"{ws.count('mentions')} place/name/sector mentions")
            print_claims("Claims in the store", [dict(c) for c in ws.claims()])
            report_path = (path.parent if db else Path.cwd()) / "labourwatch-demo-report.html"
            write_reports(ws, report_path, None)
        say(f"store: {path}" if db else "(temporary store; pass --db FILE to keep it)")
        say(f"open {report_path} in a browser: figures, timeline, map, indicators, money-flow model")
    raise typer.Exit(1 if counts["failed"] or failed else 0)
