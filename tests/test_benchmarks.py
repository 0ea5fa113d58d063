"""The benchmark suite finishes where no PostgreSQL server can be had (issue 30): it says why instead."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import engines  # noqa: E402


def test_no_server_without_psycopg_is_said_not_raised(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a checkout installed without the [test] extra
    server, why = engines.server_or_reason(tmp_path)
    assert server is None and "psycopg" in why


def test_no_server_installed_is_said_not_raised(monkeypatch, tmp_path):
    from tests import pgtest

    monkeypatch.setattr(pgtest, "installed", lambda: {})
    server, why = engines.server_or_reason(tmp_path)
    assert server is None and "no PostgreSQL found" in why
