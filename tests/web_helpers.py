"""A demo store with users, built once per session and copied for each test; Debian's
Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labourwatch.accounts import Accounts
from labourwatch.cli.demo import sample_dir
from labourwatch.workspace import Workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium that reaches nothing beyond the pages it is sent to."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        try:
            yield browser
        finally:
            browser.close()


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
