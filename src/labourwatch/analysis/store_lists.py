"""Lists for population estimation drawn from the evidence store: the people (or organisations)
that each group of documents names, as records to link across the groups.

A group is a list in the capture–recapture sense: the documents of one publisher (a JSON Lines
feed's ``source``, say), or those ingested from one folder (``defectors/``, ``union/``,
``court/``: how an NGO keeps the material of each of its sources). Names a reviewer rejected
are left out, and corrected names are used as corrected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from urllib.parse import urlsplit

from labourwatch.analysis.linkage import Record
from labourwatch.errors import MSEInputError
from labourwatch.store import Store

KINDS = ("person", "organisation")
_LINE_SUFFIX = re.compile(r":\d+$")  # a JSON Lines source: path:line


def folder_of(location: str) -> str:
    """The group a source location belongs to: a URL's host, a file's (or feed's) folder."""
    if "://" in location:
        return urlsplit(location).hostname or location
    parent = PurePath(_LINE_SUFFIX.sub("", location)).parent
    return parent.name or str(parent)


def _publisher(store: Store) -> Callable[[str], str | None]:
    return lambda doc_id: store.document(doc_id).publisher


def _folder(store: Store) -> Callable[[str], str | None]:
    def group(doc_id: str) -> str | None:
        sources = store.sources(doc_id)
        return folder_of(sources[0].location) if sources else None
    return group


LISTS_BY: dict[str, Callable[[Store], Callable[[str], str | None]]] = {
    "folder": _folder,
    "publisher": _publisher,
}


def records_from_store(store: Store, kind: str = "person", lists_by: str = "folder") -> list[Record]:
    """One record per name mentioned in each document (of ``kind``), its list the document's
    group; a name repeated within one document is one record."""
    if kind not in KINDS:
        raise MSEInputError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    if lists_by not in LISTS_BY:
        raise MSEInputError(f"unknown grouping {lists_by!r}; known: {', '.join(LISTS_BY)}")
    group_of = LISTS_BY[lists_by](store)
    groups: dict[str, str | None] = {}
    records: list[Record] = []
    seen: set[tuple[str, str]] = set()
    for name in store.names():
        if name.kind != kind or name.review.state == "rejected":
            continue
        text = name.reviewed_name.strip()
        if not text or (name.document_id, text.casefold()) in seen:
            continue
        seen.add((name.document_id, text.casefold()))
        if name.document_id not in groups:
            groups[name.document_id] = group_of(name.document_id)
        group = groups[name.document_id]
        if group:
            records.append(Record(f"{name.document_id[:12]}-{name.id}", group, text))
    lists = {r.list for r in records}
    if len(lists) < 2:
        raise MSEInputError(
            f"{len(records)} {kind} name(s) in the store fall in {len(lists)} list(s) by {lists_by}; "
            "estimation needs at least 2 (ingest each source's documents from its own folder, "
            "or give them a publisher)")
    return records
