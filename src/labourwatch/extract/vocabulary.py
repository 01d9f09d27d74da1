"""Vocabularies are data: YAML files in ``vocab/``, extended by user files (``--vocab``).

A user file is checked at load against the shape of the built-in files: each key it extends
must hold what the built-in key holds (a list of strings, a number, a mapping), new keys are
allowed only in open mappings (sectors, place aliases, currency names …), and every cue
pattern must compile. A file that fails gets one error naming the file, the key and the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from labourwatch.errors import VocabularyError
from labourwatch.yamlfiles import YAMLError, load_yaml

# Mappings whose keys users may add to (each new value shaped like its siblings). Elsewhere
# keys are fixed: a new indicator code or variable would be something no other part knows.
OPEN_MAPPINGS = frozenset({
    "sectors", "places.country_aliases", "places.demonyms", "places.regions", "currencies.symbols",
    "currencies.names", "currencies.code_aliases", "numbers.units", "numbers.tens", "numbers.scales",
    "numbers.scale_abbreviations", "numbers.fractions", "numbers.fraction_denominators",
    "numbers.vague_multiples", "units.nouns",
})
# Sections whose strings are regular expressions (cues); the others hold literal words.
PATTERN_SECTIONS = frozenset({"variables", "indicators", "sectors", "qualifiers", "attribution", "units"})

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
        name: load_yaml(folder.joinpath(f"{name}.yaml").read_text("utf-8")) or {}
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
            data = load_yaml(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise VocabularyError(f"{path}: cannot read vocabulary: {exc.strerror or exc}") from exc
        except YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 1}" if where else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise VocabularyError(f"{path}: malformed YAML{line}: {problem}") from None
        if not isinstance(data, dict):
            raise VocabularyError(f"{path}: a vocabulary file must be a mapping of sections")
        unknown = sorted(set(data) - set(VOCAB_FILES))
        if unknown:
            raise VocabularyError(
                f"{path}: unknown vocabulary section(s) {', '.join(unknown)}; "
                f"known: {', '.join(VOCAB_FILES)}"
            )
        for section, value in data.items():
            _check_shape(value, vocab[section], section, path)
            if section in PATTERN_SECTIONS:
                _check_patterns(value, section, path)
        vocab = merge(vocab, data)
    return vocab


def _check_shape(value: Any, builtin: Any, key: str, path: str | os.PathLike[str]) -> None:
    """``value`` must be shaped like the built-in ``builtin`` at ``key``."""
    if isinstance(builtin, Mapping):
        if not isinstance(value, Mapping):
            raise VocabularyError(f"{path}: {key}: expected a mapping, got {_kind(value)}")
        for sub, item in value.items():
            if sub in builtin:
                _check_shape(item, builtin[sub], f"{key}.{sub}", path)
            elif key in OPEN_MAPPINGS and builtin:
                _check_shape(item, next(iter(builtin.values())), f"{key}.{sub}", path)
            else:
                known = ", ".join(str(k) for k in builtin)
                raise VocabularyError(f"{path}: {key}.{sub}: unknown key; known: {known}")
    elif isinstance(builtin, list):
        if not isinstance(value, list):
            raise VocabularyError(f"{path}: {key}: expected a list of strings, got {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise VocabularyError(f"{path}: {key}[{i}]: expected a non-empty string, got {_kind(item)}")
    elif isinstance(builtin, bool) or not isinstance(builtin, int | float):
        if not isinstance(value, type(builtin)):
            raise VocabularyError(f"{path}: {key}: expected {_kind(builtin)}, got {_kind(value)}")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise VocabularyError(f"{path}: {key}: expected a number, got {_kind(value)}")


def _check_patterns(value: Any, key: str, path: str | os.PathLike[str]) -> None:
    """Every string under ``key`` compiles as a regular expression."""
    if isinstance(value, Mapping):
        for sub, item in value.items():
            _check_patterns(item, f"{key}.{sub}", path)
    elif isinstance(value, list):
        for i, pattern in enumerate(value):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise VocabularyError(f"{path}: {key}[{i}]: bad pattern {pattern!r}: {exc}") from None


def _kind(value: Any) -> str:
    names = {str: "a string", list: "a list", dict: "a mapping", bool: "true/false", int: "a number",
             float: "a number", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)
