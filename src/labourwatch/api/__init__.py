"""The Python API: ``labourwatch.open(path)``.

>>> import labourwatch
>>> with labourwatch.open("labourwatch.db") as ev:
...     ev.figures(variable="workers_abroad")        # plain objects
...     ev.frame("claims")                          # a pandas DataFrame, if pandas is installed
...     print(ev.money_flow(state_share=0.8).summary())
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from labourwatch.analysis.figures import Group, Value, group_values, load_values, timeline
from labourwatch.analysis.moneyflow import MoneyFlowResult, money_flow
from labourwatch.store import Store, query_claims


@dataclass
class Evidence:
    """A store opened from Python: documents, claims, figures and the money-flow model."""

    store: Store

    @classmethod
    def open(cls, path: str | None = None) -> Evidence:
        return cls(Store.open(path, create=False))

    def documents(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.store.documents()]

    def claims(
        self,
        variable: str | None = None,
        place: str | None = None,
        source: str | None = None,
        document: str | None = None,
    ) -> list[dict[str, Any]]:
        return query_claims(self.store, variable=variable, place=place, source=source, document=document)

    def values(
        self,
        variable: str | None = None,
        place: str | None = None,
        years: tuple[int | None, int | None] = (None, None),
    ) -> list[Value]:
        return load_values(self.store, variable, place, years)

    def figures(
        self,
        variable: str | None = None,
        place: str | None = None,
        years: tuple[int | None, int | None] = (None, None),
        by_year: bool = True,
    ) -> list[Group]:
        return group_values(self.values(variable, place, years), by_year)

    def timeline(self, variable: str = "workers_abroad", place: str | None = None) -> list[Value]:
        return timeline(self.values(variable, place)).get(variable, [])

    def money_flow(self, **kwargs: Any) -> MoneyFlowResult:
        """See :func:`labourwatch.analysis.moneyflow.money_flow` for the arguments."""
        return money_flow(self.values(), **kwargs)

    def frame(self, what: str = "claims", **filters: Any) -> Any:
        """``documents``, ``claims``, ``figures`` or ``timeline`` as a pandas DataFrame."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("frame() needs pandas: pip install pandas") from exc
        if what == "documents":
            rows: list[dict[str, Any]] = self.documents()
        elif what == "claims":
            rows = self.claims(**filters)
        elif what == "figures":
            rows = [{k: v for k, v in g.to_dict().items() if k != "values"} for g in self.figures(**filters)]
        elif what == "timeline":
            rows = [asdict(v) for v in self.timeline(**filters)]
        else:
            raise ValueError(f"unknown frame {what!r}: documents, claims, figures or timeline")
        return pd.DataFrame(rows)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Evidence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
