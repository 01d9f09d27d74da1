"""A document's text cut into runs, so that a template can mark claims and names in it
without building HTML by hand (every run is escaped by the template)."""

from __future__ import annotations

from dataclasses import dataclass

from labourwatch.records import StoredClaim, StoredName


@dataclass(frozen=True)
class Run:
    text: str
    kind: str | None = None  # claim | name | None for plain text
    id: int | None = None
    state: str = "unreviewed"


def segments(text: str, claims: list[StoredClaim], names: list[StoredName]) -> list[Run]:
    """Plain and marked runs in text order; where marks overlap, the earlier one wins."""
    marks = sorted(
        [(c["start"], c["end"], "claim", c["id"], c.get("review_state", "unreviewed")) for c in claims]
        + [(n.start, n.end, "name", n.id, n.review.state) for n in names],
        key=lambda m: (m[0], -m[1]),
    )
    runs: list[Run] = []
    at = 0
    for start, end, kind, item_id, state in marks:
        if start < at or not 0 <= start < end <= len(text):
            continue
        if start > at:
            runs.append(Run(text[at:start]))
        runs.append(Run(text[start:end], kind, item_id, state))
        at = end
    if at < len(text):
        runs.append(Run(text[at:]))
    return runs
