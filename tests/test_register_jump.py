"""The register's jump far down reads the same rows as a plain OFFSET, by keyset on an index."""
import datetime as dt

import pytest

from core.files import demo
from db import register
from db.register import RegisterFilter

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from db.store import Store

    store = Store.open(tmp_path_factory.mktemp("jump") / "jump.db")
    demo.generate(store, cases=2500, seed=3)  # about 3 cases a day: many ties on the date
    yield store
    store.close()


def reference(db, flt, sort, descending, offset, limit):
    """What the register must show: a plain ORDER BY … LIMIT … OFFSET over every row."""
    where, params = register._where(db, flt, TODAY)
    key = register.SORTS[sort]
    d = "DESC" if descending else "ASC"
    cur = db.execute(f"{register.SELECT}{where} ORDER BY {key} {d}, c.id {d} LIMIT :limit OFFSET :offset",
                     {**params, "limit": limit, "offset": offset})
    return [r[0] for r in cur.fetchall()]


@pytest.mark.parametrize("sort", ["received_date", "code", "applicant"])
@pytest.mark.parametrize("descending", [True, False])
def test_every_jump_shows_the_rows_an_offset_would(demo_store, sort, descending):
    db = demo_store.db
    officer = demo_store.officers()[0]["id"]
    for flt in (RegisterFilter(), RegisterFilter(officer_id=officer),
                RegisterFilter(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))):
        total = register.count(db, flt, TODAY)
        assert total > 300
        for offset in sorted({0, 150, 201, 777, total // 2, total // 2 + 1, total - 201, total - 200, total - 7}):
            got = [r["id"] for r in register.page(db, flt, TODAY, sort, descending, offset, 200, total)]
            assert got == reference(db, flt, sort, descending, offset, 200), (flt, offset)


def test_the_usual_order_counts_along_its_index(demo_store):
    plan = demo_store.db.execute(
        "EXPLAIN QUERY PLAN SELECT c.received_date, c.id FROM cases c ORDER BY c.received_date DESC, c.id DESC "
        "LIMIT 1 OFFSET 1000").fetchall()
    assert "COVERING INDEX cases_received_order" in str(plan) and "TEMP B-TREE" not in str(plan)
