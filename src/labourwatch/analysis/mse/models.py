"""Hierarchical log-linear models: interaction terms, their closure, names and design matrices."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np

from labourwatch.analysis.mse.data import all_cells

Term = frozenset[int]  # an interaction: the indices of two or more lists
Model = frozenset[Term]  # the interactions present; main effects and intercept always are


def closure(terms: Iterable[Iterable[int]]) -> Model:
    """Every interaction a hierarchical model with these generating terms contains."""
    out: set[Term] = set()
    for term in terms:
        members = sorted(set(term))
        for k in range(2, len(members) + 1):
            out.update(frozenset(c) for c in itertools.combinations(members, k))
    return frozenset(out)


def generators(model: Model) -> list[Term]:
    """The maximal terms: what a model is written as ("A*E", "LA*NG*PFNCA")."""
    return sorted((t for t in model if not any(t < u for u in model)), key=lambda t: (len(t), sorted(t)))


def model_name(model: Model, lists: tuple[str, ...]) -> list[str]:
    return ["*".join(lists[i] for i in sorted(term)) for term in generators(model)]


def parse_model(spec: str | Iterable[str], lists: tuple[str, ...]) -> Model:
    """ "A*E, B*C" or ["A*B*C"]: generating terms by list name; main effects are implied."""
    parts = re.split(r"[,\s]+", spec) if isinstance(spec, str) else list(spec)
    index = {name: i for i, name in enumerate(lists)}
    terms = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        names = re.split(r"[*:·.]", part)
        unknown = [n for n in names if n not in index]
        if unknown:
            raise ValueError(
                f"model term {part!r}: unknown list(s) {', '.join(unknown)}; lists are {', '.join(lists)}"
            )
        if len(names) > 1:
            terms.append([index[n] for n in names])
    return closure(terms)


def design(t: int, model: Model, rows: np.ndarray | None = None) -> tuple[np.ndarray, list[Term]]:
    """Columns: intercept, one main effect per list, one per interaction (sorted); the cells
    are those of ``all_cells(t)``, or the ``rows`` selected from them."""
    ordered = sorted(model, key=lambda term: (len(term), sorted(term)))
    base = _main_design(t)
    X = np.hstack([base, np.column_stack([term_mask(t, term) for term in ordered])]) if ordered else base
    return (X if rows is None else X[rows]), ordered


@lru_cache(maxsize=16)
def _main_design(t: int) -> np.ndarray:
    cells = all_cells(t)
    return np.hstack([np.ones((len(cells), 1)), cells.astype(float)])


@lru_cache(maxsize=100_000)
def term_mask(t: int, term: Term) -> np.ndarray:
    """The cells on every list of ``term`` (read-only, shared)."""
    mask: np.ndarray = np.asarray(all_cells(t)[:, sorted(term)].all(axis=1))
    mask.setflags(write=False)
    return mask


def candidate_terms(t: int, max_order: int) -> list[Term]:
    return [frozenset(c) for k in range(2, max_order + 1) for c in itertools.combinations(range(t), k)]


def hierarchical_models(t: int, max_order: int) -> Iterator[Model]:
    """Every hierarchical model whose terms have at most ``max_order`` lists (6,893 for 5 lists
    and order 4): a term may join only when all its sub-terms of one list fewer are present."""
    terms = candidate_terms(t, max_order)

    def extend(i: int, chosen: frozenset[Term]) -> Iterator[Model]:
        if i == len(terms):
            yield chosen
            return
        yield from extend(i + 1, chosen)
        term = terms[i]
        if len(term) == 2 or all(term - {m} in chosen for m in term):
            yield from extend(i + 1, chosen | {term})

    yield from extend(0, frozenset())
