"""The Python API: ``labourwatch.open(path)``."""

from __future__ import annotations

from dataclasses import dataclass

from labourwatch.store import Store


@dataclass
class Evidence:
    """A store opened for reading from Python."""

    store: Store

    @classmethod
    def open(cls, path: str | None = None) -> Evidence:
        return cls(Store.open(path, create=False))

    def documents(self) -> list[dict]:
        return [dict(r) for r in self.store.documents()]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Evidence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
