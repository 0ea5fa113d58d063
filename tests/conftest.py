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
ENGINES = [e for e in os.environ.get("MOTCUA_TEST_ENGINES", "sqlite,postgresql").split(",") if e]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server started for this test session and stopped after it (tests/pgtest.py).

    Its data lives in a folder of its own, not under pytest's temporary folders, which another
    pytest run on the same machine may remove while this one still uses them."""
    import shutil
    import tempfile

    from tests.pgtest import Server

    folder = tempfile.mkdtemp(prefix="motcua-pg-")
    server = Server(folder)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


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
    if engine == "postgresql":
        server = request.getfixturevalue("pg_server")
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
