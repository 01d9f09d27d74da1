"""Every evidence table as plain CSV (with a data dictionary) or Parquet, for spreadsheets,
pandas and DuckDB. Users, sessions and tokens are never exported."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from labourwatch.errors import ExportError, VocabularyError
from labourwatch.store import EXPORT_TABLES, Store
from labourwatch.yamlfiles import load_yaml

DICTIONARY_FILE = "data-dictionary.csv"


@dataclass(frozen=True)
class TableDoc:
    """What one exported table holds, column by column."""

    name: str
    about: str
    columns: dict[str, str]


@functools.cache
def data_dictionary() -> dict[str, TableDoc]:
    """The shipped dictionary, checked at load: every exported table, each with its columns."""
    raw = load_yaml(resources.files("labourwatch.export").joinpath("dictionary.yaml").read_text("utf-8"))
    if not isinstance(raw, dict) or set(raw) != set(EXPORT_TABLES):
        raise VocabularyError(f"dictionary.yaml: must describe exactly the tables {', '.join(EXPORT_TABLES)}")
    tables = {}
    for name, entry in raw.items():
        columns = entry.get("columns") if isinstance(entry, dict) else None
        if not isinstance(columns, dict) or not all(isinstance(v, str) and v for v in columns.values()):
            raise VocabularyError(f"dictionary.yaml: {name}: needs 'about' and a text for every column")
        tables[name] = TableDoc(name, str(entry.get("about", "")), {str(k): v for k, v in columns.items()})
    return tables


def _prepare(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot create the export folder: {exc.strerror or exc}") from None
    return folder


def write_csv(store: Store, folder: Path) -> list[Path]:
    """One CSV per table (UTF-8, a header row, RFC 4180 quoting) and the data dictionary."""
    _prepare(folder)
    written = []
    try:
        for table in EXPORT_TABLES:
            path = folder / f"{table}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(name for name, _ in store.columns(table))
                writer.writerows(store.rows(table))
            written.append(path)
        written.append(_write_dictionary(store, folder / DICTIONARY_FILE))
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write the export: {exc.strerror or exc}") from None
    return written


def _write_dictionary(store: Store, path: Path) -> Path:
    docs = data_dictionary()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "column", "type", "meaning"])
        for table in EXPORT_TABLES:
            writer.writerow([table, "", "", docs[table].about])
            for name, kind in store.columns(table):
                writer.writerow([table, name, kind, docs[table].columns.get(name, "")])
    return path


_ARROW_TYPES = {"text": "string", "integer": "int64", "real": "float64"}


def write_parquet(store: Store, folder: Path, batch_rows: int = 50_000) -> list[Path]:
    """One Parquet file per table, typed from the store's columns, written in row groups so
    that memory stays flat in the size of the store."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("Parquet export needs pyarrow: pip install 'labourwatch[parquet]'") from None
    _prepare(folder)
    written = []
    for table in EXPORT_TABLES:
        columns = store.columns(table)
        docs = data_dictionary()[table].columns
        schema = pa.schema([pa.field(name, getattr(pa, _ARROW_TYPES[kind])(),
                                     metadata={"meaning": docs.get(name, "")}) for name, kind in columns],
                           metadata={"about": data_dictionary()[table].about})
        path = folder / f"{table}.parquet"
        try:
            with pq.ParquetWriter(path, schema) as writer:
                names = [name for name, _ in columns]
                for batch in _batches(store, table, batch_rows):
                    rows = [dict(zip(names, row, strict=True)) for row in batch]
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
        written.append(path)
    return written


def _batches(store: Store, table: str, size: int) -> Any:
    batch: list[tuple[Any, ...]] = []
    for row in store.rows(table):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
