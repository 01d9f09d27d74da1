"""A real PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder,
listening on 127.0.0.1 only, run as an unprivileged user (PostgreSQL refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the tests that need one are skipped)."""


def _binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not versions:
        raise Unavailable("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)")
    return Path(versions[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user(command: list[str]) -> list[str]:
    """PostgreSQL will not run as root: as root, run it as the postgres (or nobody) user."""
    if os.geteuid() != 0:
        return command
    for user in ("postgres", "nobody"):
        try:
            import pwd

            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--", *command]
    raise Unavailable("running as root and no unprivileged user to run PostgreSQL as")


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://labourwatch@127.0.0.1:{self.port}/postgres"

    def dsn(self, database: str) -> str:
        return f"postgresql://labourwatch@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def stop(self) -> None:
        subprocess.run(_as_user([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                 "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(folder: Path) -> Server:
    """initdb and start a server in ``folder``; :class:`Unavailable` with the reason otherwise."""
    bin_dir = _binaries()
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        runner = _as_user(["true"])[2]
        subprocess.run(["chown", "-R", f"{runner}:", str(folder)], check=True)
        folder.chmod(0o700)
    data, port = folder / "data", _free_port()
    init = subprocess.run(
        _as_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "labourwatch", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8"]),
        capture_output=True, text=True, timeout=120,
    )
    if init.returncode:
        raise Unavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off"
    started = subprocess.run(
        _as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options,
                  "-w", "-t", "60", "start"]),
        capture_output=True, text=True, timeout=90,
    )
    if started.returncode:
        log = (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        raise Unavailable(f"PostgreSQL did not start: {started.stderr.strip()[-200:]} {log}")
    server = Server(folder, port, bin_dir)
    deadline = time.monotonic() + 30
    while True:
        try:
            import psycopg

            psycopg.connect(server.admin_dsn, connect_timeout=2).close()
            return server
        except Exception as exc:
            if time.monotonic() > deadline:
                server.stop()
                raise Unavailable(f"PostgreSQL does not answer: {exc}") from None
            time.sleep(0.2)
