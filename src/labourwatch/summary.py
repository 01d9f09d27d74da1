"""Results that render themselves: one ``Summary`` as text, Markdown or HTML (as statsmodels').

An analysis builds its summary once — facts, tables and notes — and every view (the CLI, the
reports, a notebook, the web) renders that one object, so the figures never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Link:
    """A cell that links to a quote (in HTML); plain text elsewhere."""

    text: str
    href: str
    title: str = ""


Cell = str | Link


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    title: str | None = None


@dataclass
class Summary:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:  # Jupyter
        return self.as_html()

    def as_text(self) -> str:
        width = max((len(label) for label, _ in self.facts), default=0)
        lines = [self.title, "=" * max(60, len(self.title))]
        lines += [f"{label:<{width}}  {value}" for label, value in self.facts]
        for table in self.tables:
            lines += ["", *( [f"{table.title}:"] if table.title else [] ), *_text_table(table)]
        if self.notes:
            lines += ["", "notes:"] + [f"  - {n}" for n in self.notes]
        return "\n".join(lines)

    def as_markdown(self, level: int = 2) -> str:
        lines = [f"{'#' * level} {markdown_text(self.title)}", ""]
        lines += [f"- {markdown_text(label)}: {markdown_text(value)}" for label, value in self.facts]
        for table in self.tables:
            lines += ["", *([f"**{markdown_text(table.title)}**", ""] if table.title else [])]
            lines += ["| " + " | ".join(markdown_text(h) for h in table.header) + " |",
                      "|" + "---|" * len(table.header)]
            lines += ["| " + " | ".join(markdown_text(_text(c)) for c in row) + " |" for row in table.rows]
        if self.notes:
            lines += [""] + [f"> {markdown_text(n)}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def as_html(self, level: int = 2) -> str:
        facts = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in self.facts)
        parts = [f"<h{level}>{escape(self.title)}</h{level}>", f"<table class='facts'>{facts}</table>"]
        for table in self.tables:
            head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_html(c)}</td>" for c in row) + "</tr>" for row in table.rows
            )
            caption = f"<caption>{escape(table.title)}</caption>" if table.title else ""
            parts.append(f"<table>{caption}<tr>{head}</tr>{body}</table>")
        parts += [f"<p class='muted'>{escape(n)}</p>" for n in self.notes]
        return "".join(parts)


def _text(cell: Cell) -> str:
    return cell.text if isinstance(cell, Link) else cell


def _html(cell: Cell) -> str:
    if isinstance(cell, Link):
        return f"<a href='{escape(cell.href)}' title='{escape(cell.title)}'>{escape(cell.text)}</a>"
    return escape(cell)


def markdown_text(text: str) -> str:
    """Markdown-safe: no raw HTML, no table breaks."""
    return escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _text_table(table: Table) -> list[str]:
    cells = [table.header] + [[_text(c) for c in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.header))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
