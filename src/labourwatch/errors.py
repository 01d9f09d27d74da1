"""One exception tree: every error labourwatch raises on purpose is a ``LabourwatchError``.

Its ``str()`` is one line that names the input and the reason, fit to print as it is.
"""

from __future__ import annotations


class LabourwatchError(Exception):
    """Base of every error labourwatch raises for bad input or an unusable store."""


class InputError(LabourwatchError, ValueError):
    """An input (a file, a line of one, an option's value) that cannot be used."""


class IngestError(InputError):
    """A file (or a line of one) that cannot be ingested; ``str()`` is the one-line reason."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


class VocabularyError(InputError):
    """A vocabulary file that cannot be used; the message names the file, the key and the reason."""


class ModelNameError(InputError):
    """A spaCy model that cannot be loaded for names."""


class ScreenInputError(InputError):
    """A list or query file that cannot be used; the message names the file and the reason."""


class MSEInputError(InputError):
    """Capture data that cannot be used for an estimate; the message names the field."""


class AnalysisError(InputError):
    """An analysis that cannot run on the given evidence or parameters (the message says why)."""


class ParameterError(AnalysisError):
    """An analysis parameter out of its range (a share above 1, a negative count)."""


class ExportError(LabourwatchError):
    """An export that cannot be written: the place to write, or a missing library."""


class StoreError(LabourwatchError):
    """A store that cannot be opened or used (missing, newer schema, unknown backend)."""


class AlreadyExists(StoreError):
    """A record that must be unique (a user name) is there already."""


class StoreNotFound(StoreError, FileNotFoundError):
    """No store at the given place."""


class NotFound(LabourwatchError, KeyError):
    """No record with the given id (or an ambiguous id prefix)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ComponentError(LabourwatchError):
    """An extraction component failed on a document; the message names the component."""


__all__ = [
    "AlreadyExists",
    "AnalysisError",
    "ComponentError",
    "ExportError",
    "IngestError",
    "InputError",
    "LabourwatchError",
    "MSEInputError",
    "ModelNameError",
    "NotFound",
    "ParameterError",
    "ScreenInputError",
    "StoreError",
    "StoreNotFound",
    "VocabularyError",
]
