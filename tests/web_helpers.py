"""A demo store with users, built once per session and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

from labourwatch.accounts import Accounts
from labourwatch.cli.demo import sample_dir
from labourwatch.workspace import Workspace

PASSWORDS = {"ada": "ada-password-1", "eve": "eve-password-1", "vic": "vic-password-1"}
ROLES = {"ada": "admin", "eve": "editor", "vic": "viewer"}


def build_demo_store(path: Path) -> Path:
    with Workspace.open(path, create=True) as ws:
        list(ws.ingest([sample_dir()]))
        list(ws.extract())
        accounts = Accounts(ws.store)
        for name, role in ROLES.items():
            accounts.add(name, role, PASSWORDS[name])
    return path


def copy_store(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
