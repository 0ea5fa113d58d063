import datetime as dt
import sqlite3

import sqlite_utils

from core.files import demo
from db.migrations import SCHEMA_VERSION, migrations
from db.store import Store


def test_a_new_database_has_the_current_schema_and_the_catalogue(store):
    assert store.schema_version == SCHEMA_VERSION
    procs = {p["name"]: p for p in store.procedures()}
    assert procs["Chứng thực bản sao từ bản chính"]["field"] == "Chứng thực"
    assert procs["Đăng ký kết hôn"]["processing_days"] == 0
    assert len(procs) >= 20
    assert store.check() == []


def test_an_older_file_is_copied_then_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_indexes")
    db.table("officers").insert({"name": "Trần Văn Hùng"})
    db.conn.close()

    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert [o["name"] for o in store.officers()] == ["Trần Văn Hùng"]
    assert "cases_open" in {i.name for i in store.db.table("cases").indexes}
    store.close()
    copies = list((tmp_path / "backups").glob("old-before-migration-v0-*.db"))
    assert len(copies) == 1
    old = sqlite3.connect(copies[0])
    assert old.execute("SELECT name FROM _sqlite_migrations").fetchall() == [("m001_tables",)]


def test_reopening_a_current_file_takes_no_copy(tmp_path):
    Store.open(tmp_path / "a.db").close()
    Store.open(tmp_path / "a.db").close()
    assert not (tmp_path / "backups").exists()


def test_the_database_refuses_impossible_cases(store):
    import pytest
    from tests.conftest import case

    with pytest.raises(sqlite3.IntegrityError):
        store.insert_cases([case("X", has_fee=0, paid_online=1)])
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_cases([case("Y", resolved_date=dt.date(2023, 9, 1))])
    assert store.case_count() == 0


def test_pragmas_wal_and_foreign_keys(sqlite_store):
    store = sqlite_store
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_demo_data_is_realistic(store):
    today = dt.date(2026, 11, 20)
    n = demo.generate(store, cases=3000, seed=5, today=today)
    assert n == store.case_count() == 3000
    officers = store.officers()
    assert 5 <= len(officers) <= 8
    assert any("ư" in o["name"] or "ạ" in o["name"] or "ị" in o["name"] for o in officers)
    from core.domain import indicators
    from core.queries import figures
    from core.domain import periods

    year = figures.compute(store, periods.parse("2025"), today=today)
    assert year.counts["resolved_late"] > 0
    rates = {o["name"]: figures.compute(store, periods.parse("2025"), indicators.Filters(o["name"]),
                                           today=today).digitized_on_receipt.rate
             for o in officers}
    assert len(set(rates.values())) > 3  # officers differ
    assert min(rates.values()) < 100
    months = {figures.compute(store, periods.parse(f"2025-{m:02d}"), today=today)
              .on_time.rate for m in range(1, 13)}
    assert len(months) > 3  # months differ
    now = figures.compute(store, periods.parse("2026-11"), today=today).counts
    assert now["open"] > 0
    rows = list(store.export_rows())
    assert min(r["received_date"] for r in rows) >= "2023-11-01"
    assert max(r["received_date"] for r in rows) <= "2026-11-20"


def test_demo_refuses_a_database_that_has_cases(store):
    import pytest

    demo.generate(store, cases=10, seed=1)
    with pytest.raises(demo.DemoError):
        demo.generate(store, cases=10, seed=1)
