"""Ingestion: files and folders in, documents with provenance out."""

from labourwatch.ingest.model import IngestedDocument, IngestError
from labourwatch.ingest.pipeline import (
    DEFAULT_MAX_BYTES,
    Outcome,
    ingest_into,
    iter_files,
    read_documents,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestError",
    "IngestedDocument",
    "Outcome",
    "ingest_into",
    "iter_files",
    "read_documents",
]
