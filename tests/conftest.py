import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402

from db.store import Store  # noqa: E402

D = dt.date


# The engines the store-level tests run on: both by default; MOTCUA_TEST_ENGINES=sqlite for one.
# The PostgreSQL versions (tests/pgtest.py): MOTCUA_PG_VERSIONS=16 by default, "15,18" for two others;
# every test on a server is named after its version ("[postgresql-15]") and marked ``postgresql``
# (``-m postgresql`` runs only them).
from tests.pgtest import wanted_versions  # noqa: E402

PG_VERSIONS = wanted_versions()
ENGINES = []
for _engine in (e for e in os.environ.get("MOTCUA_TEST_ENGINES", "sqlite,postgresql").split(",") if e):
    ENGINES += [f"postgresql-{v}" for v in PG_VERSIONS] if _engine == "postgresql" else [_engine]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql: runs on a PostgreSQL server (MOTCUA_PG_VERSIONS)")


def pytest_report_header(config):
    from tests.pgtest import installed

    found = installed()
    lines = []
    for v in PG_VERSIONS:
        if v in found:
            bin_dir, version, origin = found[v]
            lines.append(f"PostgreSQL {version} from {origin} ({bin_dir})")
        else:
            lines.append(f"PostgreSQL {v}: NOT INSTALLED")
    return "server tests on: " + "; ".join(lines)


def pytest_collection_modifyitems(config, items):
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_server" in getattr(item, "fixturenames", ()) or str(params.get("engine", "")).startswith("postgresql"):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session")
def pg_servers():
    """The PostgreSQL servers of this test session, one per major version, each started when first
    needed and stopped (its data deleted) after the session (tests/pgtest.py).

    Their data live in folders of their own, not under pytest's temporary folders, which another
    pytest run on the same machine may remove while this one still uses them."""
    import shutil
    import tempfile

    from tests.pgtest import Server

    started: dict[int, Server] = {}
    folders: list[str] = []

    class Servers(dict):
        def __missing__(self, major: int) -> Server:
            if major not in started:
                folder = tempfile.mkdtemp(prefix=f"motcua-pg{major}-")
                folders.append(folder)
                try:
                    started[major] = Server(folder, major=major)
                except RuntimeError as exc:
                    pytest.fail(str(exc))
            return started[major]

    yield Servers()
    for server in started.values():
        server.stop()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", params=PG_VERSIONS, ids=[f"postgresql-{v}" for v in PG_VERSIONS])
def pg_server(request, pg_servers):
    """A PostgreSQL server of each version of MOTCUA_PG_VERSIONS in turn."""
    return pg_servers[request.param]


@pytest.fixture(scope="session", autouse=True)
def translations_checked():
    """Every statement sent to a PostgreSQL server in this session checked as it goes (tests/sqlcheck.py)."""
    from tests.sqlcheck import checking

    with checking():
        yield


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture
def db_path(engine, tmp_path, request):
    """Where the test's office database is: a SQLite file, or the URL of a new PostgreSQL database."""
    if engine.startswith("postgresql"):
        server = request.getfixturevalue("pg_servers")[int(engine.rsplit("-", 1)[1])]
        url = server.new_database()
        yield url
        server.drop(url)
    else:
        yield tmp_path / "test.db"


@pytest.fixture
def sqlite_path(tmp_path):
    """A SQLite file, for the tests about files (locks, damage, disk full, backups of a file)."""
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()


def case(code, **kw):
    """A case for ``Store.insert_cases`` with plain defaults; dates as ``date``."""
    c = {
        "code": code, "procedure": "Chứng thực bản sao từ bản chính", "field": "Chứng thực",
        "applicant": "Nguyễn Văn A", "officer": "Trần Văn Hùng",
        "received_date": D(2023, 9, 5), "due_date": D(2023, 9, 5), "processing_days": 0,
        "channel": 1, "digitized": 1, "resolved_date": None, "result_digitized": 0,
        "has_fee": 0, "paid_online": 0, "e_certified": 0, "status": None,
    }
    c.update(kw)
    return c


class Said(list):
    """What the program told or asked the user, recorded instead of shown; ``text`` answers ask_text."""
    text = "Nhập trùng"


@pytest.fixture
def said(monkeypatch):
    from gui import messages

    log = Said()
    monkeypatch.setattr(messages, "info", lambda parent, text, title="": log.append(("info", text)))
    monkeypatch.setattr(messages, "error", lambda parent, text, title="": log.append(("error", text)))
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": log.append(("ask", text)) or True)
    monkeypatch.setattr(messages, "ask_text", lambda parent, label, title="": log.append(("ask_text", label)) or log.text)
    return log


@pytest.fixture
def sqlite_store(sqlite_path):
    """A store on a SQLite file, for the tests of SQLite's own machinery (its triggers, its file)."""
    s = Store.open(sqlite_path)
    yield s
    s.close()


class HeldLock:
    """Another desk in the middle of a write on the same database: the write lock held until ``rollback``."""

    def __init__(self, location):
        from db.dialect import is_url

        self.url = is_url(location)
        if self.url:
            import psycopg

            from db.pg import WRITE_LOCK

            self.conn = psycopg.connect(location, autocommit=True)
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        else:
            import sqlite3

            self.conn = sqlite3.connect(str(location), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        self.in_transaction = True

    def rollback(self):
        if self.in_transaction:
            self.conn.execute("ROLLBACK")
            self.in_transaction = False

    def close(self):
        self.rollback()
        self.conn.close()


def behind_the_back(location, sql: str) -> None:
    """Change the database with SQL of its own engine, not through the program (a hand edit)."""
    from db.dialect import is_url

    if is_url(location):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(sql)
    else:
        import sqlite3

        raw = sqlite3.connect(str(location))
        raw.execute(sql)
        raw.commit()
        raw.close()


def everything_stored(store) -> str:
    """Every value the database holds, as text (to prove something is not in it)."""
    if store.engine == "sqlite":
        return "\n".join(store.db.conn.iterdump())
    return "\n".join(repr(row) for table in store.db.table_names() for row in store.db.table(table).rows)


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """scrypt at a test-only cost: the real one (N = 2^17) takes about half a second a hash.
    ``tests/test_trust.py`` proves the default and the upgrade of older hashes."""
    from db import users

    monkeypatch.setitem(users.SCRYPT, "n", 2 ** 10)


@pytest.fixture(autouse=True)
def own_qsettings(tmp_path_factory):
    """The window's preferences on this computer (QSettings: the register's columns…) go to a folder
    of the test's own, never to the user's."""
    if "PySide6.QtCore" not in sys.modules:
        yield
        return
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield folder
