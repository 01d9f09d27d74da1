"""Reports: a self-contained HTML page or Markdown, built from the store."""

from labourwatch.report.data import ReportData, gather
from labourwatch.report.html import render_html
from labourwatch.report.markdown import render_markdown

__all__ = ["ReportData", "gather", "render_html", "render_markdown"]
