"""store: the evidence store itself (moving it between backends)."""

from __future__ import annotations

from typing import Annotated

import typer

from labourwatch.cli.app import EXIT_SOME_FAILED, app, fail, report_error, say

store_app = typer.Typer(help="The evidence store: copy it between SQLite and PostgreSQL.",
                        no_args_is_help=True)
app.add_typer(store_app, name="store")


@store_app.command("copy")
def copy(
    source: Annotated[str, typer.Argument(help="The store to copy: a SQLite file or postgresql:// URL.")],
    target: Annotated[str, typer.Argument(help="A new or empty store: a SQLite file or postgresql:// URL.")],
) -> None:
    """Copy a whole store (documents, originals, captures, claims, reviews, users, audit log) into
    a new or empty one, in one transaction, then re-hash every original in the copy."""
    from labourwatch.errors import StoreError
    from labourwatch.store.copy import copy_store

    try:
        result = copy_store(source, target)
    except StoreError as exc:
        raise fail(str(exc)) from None
    for mismatch in result.mismatches:
        report_error(mismatch.document_id, mismatch.reason)
    rows = ", ".join(f"{n} {table}" for table, n in result.rows.items() if n)
    say(f"copied {result.source} → {result.target}: {rows}; "
        f"{'every hash verified' if not result.mismatches else f'{len(result.mismatches)} mismatches'}")
    if result.mismatches:
        raise typer.Exit(EXIT_SOME_FAILED)
