"""Figures, money-flow model and HTML report (planned: issue 4)."""
