"""The migrations: named in order, frozen (their own SQL, no live code), and a database made before
they were renamed counted as migrated, nothing run twice."""
import ast
import datetime as dt
import sys
from pathlib import Path

import pytest

from db import audit, migrations as m
from db.migrations import RENAMED, SCHEMA_VERSION, migrations
from db.store import Store

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_are_named_in_order():
    names = [x.name for x in migrations._migrations]
    assert names == [f"m{i:03d}_{n.split('_', 1)[1]}" for i, n in enumerate(names, 1)]
    assert set(RENAMED.values()) <= set(names)
    assert len(names) == SCHEMA_VERSION


@pytest.mark.parametrize("module", ["db/migrations.py", "db/migration_data.py"])
def test_the_migrations_import_no_live_code(module):
    """Only the standard library, sqlite-utils and their own frozen data: never db.audit, core, resources."""
    allowed = {"db.migration_data"}
    imported = set()
    for node in ast.walk(ast.parse((ROOT / module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names = [f"{node.module}.{a.name}" if node.module == "db" else node.module for a in node.names]
            imported.update(names)
    live = {name for name in imported - allowed
            if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "sqlite_utils"}
    assert live == set()


def test_frozen_copies_are_what_the_program_computes_today():
    """The copies were taken faithfully (they may part ways later: then the migrations keep theirs)."""
    from core.domain.cases import nfc
    from db.register import EDITABLE, EVENT_COLUMNS, EVENT_DEFAULTS

    assert (m._HASHED, m._EVENT_COLUMNS, m._EVENT_DEFAULTS) == (EDITABLE, EVENT_COLUMNS, EVENT_DEFAULTS)
    row = {"code": "A-1", "procedure_id": 1, "officer_id": 2, "received_date": "2024-01-02", "applicant": "An"}
    assert m._case_hash(row) == audit.case_hash(row)
    assert m._case_hash({**row, "paused_days": 3}) == audit.case_hash({**row, "paused_days": 3})
    args = ("0" * 64, "2024-01-01T00:00:00", "a", "b", "c", "1", None, '{"x": 1}')
    assert m._chain_hash(*args) == audit.chain_hash(*args)
    assert m.GENESIS == audit.GENESIS
    assert m._lane_sql("row_hash", 1) == audit.lane_sql("row_hash", 1)
    assert m._nfc(" Nguye\u0302\u0303n  An ") == nfc(" Nguye\u0302\u0303n  An ")


def test_the_search_index_is_the_expression_the_search_reads():
    from db.dialect import Postgres

    import inspect
    assert Postgres.SEARCH_VECTOR.replace("c.", "") in inspect.getsource(m.m018_search_index).replace('" "', "").replace(
        '"\n                   "', "")


def _as_before_the_rename(location):
    """The records a database made before the rename holds: the branch names."""
    from tests.conftest import behind_the_back

    for old, new in RENAMED.items():
        behind_the_back(location, f"UPDATE _sqlite_migrations SET name = '{old}' WHERE name = '{new}'")


def test_a_database_recorded_under_the_old_names_runs_nothing_again(db_path, tmp_path):
    from tests.conftest import case

    store = Store.open(db_path)
    store.insert_cases([case("A-1"), case("A-2", resolved_date=dt.date(2024, 1, 10))])
    entries = store.audit.entries()
    store.close()
    _as_before_the_rename(db_path)

    store = Store.open(db_path)
    assert migrations.pending(store.db) == []
    assert store.schema_version == SCHEMA_VERSION
    recorded = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert set(RENAMED) <= set(recorded)  # left as they were, not rewritten
    assert store.audit.entries() == entries  # no upgrade recorded
    assert not (tmp_path / "backups").exists()  # no migration: no copy taken before one
    assert store.case_count() == 2 and store.check() == []
    store.close()


def test_a_database_part_way_under_the_old_names_gets_only_what_it_lacks(sqlite_path):
    """Made by an older version that had i17, i14, i15 and i13 but not yet i12 (m016) and i18."""
    import sqlite_utils

    db = sqlite_utils.Database(sqlite_path)
    migrations.apply(db, stop_before="m016_trust")
    db.conn.close()
    _as_before_the_rename(sqlite_path)

    store = Store.open(sqlite_path)
    recorded = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert recorded[-7:] == ["m016_trust", "m017_case_version", "m018_search_index", "m019_unknown_flags",
                            "m020_ecert_unknown", "m021_procedure_fee_known", "m022_ended_index"]
    assert {"i17_rollup", "i14_case_events", "i15_nfc_names", "i13_register_order"} <= set(recorded)
    assert len(recorded) == SCHEMA_VERSION
    assert migrations.pending(store.db) == [] and store.schema_version == SCHEMA_VERSION
    assert store.database_id()
    store.close()
