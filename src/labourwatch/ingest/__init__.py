"""Ingestion: files and folders in, documents with provenance out (see :mod:`labourwatch.workspace`
for putting them in a store)."""

from labourwatch.errors import IngestError
from labourwatch.ingest.capture import CapturePolicy, Fetcher, is_url
from labourwatch.ingest.pipeline import DEFAULT_MAX_BYTES, Skipped, iter_files, read_documents, read_upload
from labourwatch.records import IngestedDocument

__all__ = [
    "DEFAULT_MAX_BYTES", "CapturePolicy", "Fetcher", "IngestError", "IngestedDocument", "Skipped", "is_url",
    "iter_files", "read_documents", "read_upload",
]
