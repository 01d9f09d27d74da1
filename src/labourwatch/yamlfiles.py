"""YAML as data: the vocabularies and other files the project ships or users give."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser where PyYAML has it: five times faster than the pure-Python one at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load_yaml(text: str) -> Any:
    """YAML as data only (a safe loader: no tags that build objects)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
