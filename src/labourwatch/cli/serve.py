"""``labourwatch serve`` and ``labourwatch users``: the store as a web application for a team."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from labourwatch.cli.app import (
    EXIT_SOME_FAILED,
    DbOption,
    app,
    fail,
    open_workspace,
    out,
    plain_row,
    say,
    warn,
)

if TYPE_CHECKING:
    from labourwatch.accounts import Accounts

users_app = typer.Typer(help="Users of the web application: add, list, change roles, tokens.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    against: Annotated[
        list[str] | None, typer.Option("--against", help="Sanctions lists for screening (repeatable).")
    ] = None,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Send the session cookie over HTTPS only (behind TLS).")
    ] = False,
) -> None:
    """Serve the store as a web application: dashboard, review and the REST API (/api/v1)."""
    import uvicorn

    from labourwatch.accounts import Accounts
    from labourwatch.web import create_app

    with open_workspace(db, create=True) as ws:
        location = ws.location
        first = Accounts(ws.store).first_admin()
    if first is not None:
        user, password = first
        say(f"No users yet: created {user.name!r} (admin) with the one-time password  {password}")
        say("Sign in and change it with `labourwatch users passwd admin`; it is not shown again.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"listening on {host}: anyone who can reach it sees the sign-in page; put it behind TLS")
    say(f"labourwatch on http://{host}:{port}/ (store {location}); Ctrl+C stops it")
    uvicorn.run(create_app(location, tuple(against or ()), secure_cookies), host=host, port=port,
                log_level="warning", server_header=False)


def _password(prompt: bool) -> str:
    """A password from the terminal (asked twice) or the first line of standard input."""
    if prompt and sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer (read), editor (ingest, review) or admin.")] = "viewer",
    db: DbOption = None,
) -> None:
    """Add a user; the password is asked (or read from standard input)."""
    from labourwatch.accounts import Accounts
    from labourwatch.errors import InputError, StoreError

    with open_workspace(db, create=True) as ws:
        try:
            user = Accounts(ws.store).add(name, role, _password(True))
        except (InputError, StoreError) as exc:
            raise fail(str(exc), EXIT_SOME_FAILED) from None
    say(f"added {user.name} ({user.role})")


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the users with their roles."""
    from labourwatch.accounts import Accounts

    with open_workspace(db) as ws:
        found = Accounts(ws.store).list()
    table = Table("name", "role", "active", "since")
    for u in found:
        plain_row(table, u.name, u.role, "yes" if u.active else "no", u.created_at)
    out.print(table)


@users_app.command("role")
def users_role(name: str, role: str, db: DbOption = None) -> None:
    """Change a user's role."""
    _update(db, lambda accounts: accounts.set_role(name, role), f"{name} is now {role}")


@users_app.command("passwd")
def users_passwd(name: str, db: DbOption = None) -> None:
    """Set a user's password (ends their sessions and tokens)."""
    password = _password(True)
    _update(db, lambda accounts: accounts.set_password(name, password), f"password of {name} changed")


@users_app.command("disable")
def users_disable(name: str, db: DbOption = None) -> None:
    """Take a user's access away (their sessions and tokens end)."""
    _update(db, lambda accounts: accounts.disable(name), f"{name} disabled")


@users_app.command("token")
def users_token(
    name: str, label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API token for scripts (``Authorization: Bearer TOKEN``); shown once."""
    from labourwatch.accounts import Accounts
    from labourwatch.errors import NotFound

    with open_workspace(db) as ws:
        try:
            token = Accounts(ws.store).new_token(name, label)
        except NotFound as exc:
            raise fail(str(exc), EXIT_SOME_FAILED) from None
    sys.stdout.write(token + "\n")


def _update(db: str | None, change: Callable[[Accounts], object], done: str) -> None:
    from labourwatch.accounts import Accounts  # noqa: F811
    from labourwatch.errors import InputError, NotFound

    with open_workspace(db) as ws:
        try:
            change(Accounts(ws.store))
        except (InputError, NotFound) as exc:
            raise fail(str(exc), EXIT_SOME_FAILED) from None
    say(done)
