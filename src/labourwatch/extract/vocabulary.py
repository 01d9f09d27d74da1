"""Vocabularies are data: YAML files in ``vocab/``, extended by user files (``--vocab``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from labourwatch.errors import VocabularyError

VOCAB_FILES = ("numbers", "currencies", "units", "qualifiers", "variables", "attribution",
               "sectors", "indicators", "places", "names")
ENV_VOCAB = "LABOURWATCH_VOCAB"




def merge(base: Any, extra: Any) -> Any:
    """Deep merge: mappings merge key by key, lists extend (no duplicates), scalars replace."""
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


@lru_cache(maxsize=1)
def _builtin() -> dict[str, Any]:
    folder = resources.files("labourwatch.extract").joinpath("vocab")
    return {
        name: yaml.safe_load(folder.joinpath(f"{name}.yaml").read_text("utf-8")) or {}
        for name in VOCAB_FILES
    }


def user_vocab_paths(explicit: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """``--vocab`` files, then those listed in ``$LABOURWATCH_VOCAB`` (path-separated)."""
    paths = [Path(p) for p in explicit]
    env = os.environ.get(ENV_VOCAB)
    if env:
        paths += [Path(p) for p in env.split(os.pathsep) if p]
    return paths


def load_vocabulary(extra_files: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Any]:
    """The built-in vocabularies, extended by each user file in order.

    A user file has the same top-level keys as the built-in files (``sectors:``,
    ``indicators:``, ``places:`` …), each holding what that file holds.
    """
    vocab: dict[str, Any] = dict(_builtin())
    for path in user_vocab_paths(extra_files):
        try:
            data = yaml.safe_load(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise VocabularyError(f"{path}: cannot read vocabulary: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise VocabularyError(f"{path}: malformed YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise VocabularyError(f"{path}: a vocabulary file must be a mapping of sections")
        unknown = sorted(set(data) - set(VOCAB_FILES))
        if unknown:
            raise VocabularyError(
                f"{path}: unknown vocabulary section(s) {', '.join(unknown)}; "
                f"known: {', '.join(VOCAB_FILES)}"
            )
        vocab = merge(vocab, data)
    return vocab
