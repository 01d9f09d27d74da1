"""``labourwatch serve``: the evidence store as a web application for a team.

A REST API under ``/api/v1`` and server-rendered pages over the same use cases as the CLI
(:mod:`labourwatch.workspace`); users with roles, sessions with CSRF protection, API tokens.
"""

from labourwatch.web.app import create_app

__all__ = ["create_app"]
