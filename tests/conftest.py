from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from labourwatch.cli.main import app

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def cli():
    """Run the CLI in-process; returns (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "originals", "sources", "claims", "indicators", "mentions")
        }
    finally:
        conn.close()


def make_pdf(path: Path, text: str | None) -> Path:
    """A one-page PDF; ``text=None`` draws only a rectangle (no text layer)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 100, 60, style="F")
    else:
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples ingested and extracted, with an admin, an editor and a viewer (built once)."""
    from web_helpers import build_demo_store

    return build_demo_store(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo_store(demo_store_template: Path, tmp_path: Path) -> Path:
    from web_helpers import copy_store

    return copy_store(demo_store_template, tmp_path / "demo.db")


# -- the store backends: every store test runs on SQLite and on a real PostgreSQL server --------
@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL server on 127.0.0.1 for the session (skipped, with the reason, where none
    can start here)."""
    import pg_helpers

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    try:
        # Under /tmp itself: pytest's folders are closed to the unprivileged user it runs as.
        server = pg_helpers.start(Path(tempfile.mkdtemp(prefix="labourwatch-pg-")))
    except pg_helpers.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server
    server.stop()


_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture
def postgres_db(postgres_server) -> str:
    """A new, empty database on the test server: its URL."""
    return postgres_server.create_database(f"test_{next(_DATABASES)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's location on each backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres_db")


def raw_execute(location: str, sql: str) -> None:
    """SQL run past labourwatch, as someone with the database's own tools would."""
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(sql)
    else:
        conn = sqlite3.connect(location, isolation_level=None)
        try:
            conn.execute(sql)
        finally:
            conn.close()
