import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402

from db.store import Store  # noqa: E402

D = dt.date


@pytest.fixture
def db_path(tmp_path):
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


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """scrypt at a test-only cost: the real one (N = 2^17) takes about half a second a hash.
    ``tests/test_trust.py`` proves the default and the upgrade of older hashes."""
    from db import users

    monkeypatch.setitem(users.SCRYPT, "n", 2 ** 10)
