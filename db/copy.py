"""Copy a whole office database to another one, whatever the engines (SQLite file ↔ PostgreSQL).

The target is created with the current schema (``Store.open``), then every
table is copied row by row in one write transaction on the target, with the
ids as they are: the audit chain and the row hashes stay valid, and ``check``
passes on both sides. The monthly totals are copied as they are, with the
triggers that keep them set aside; the search index is rebuilt. A backup of a
PostgreSQL office is such a copy into a SQLite file.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from db.store import Store

SKIP = {"_sqlite_migrations"}  # written by the target's own migrations, identical by name


def table_order(store: Store) -> list[str]:
    """The data tables, every table after those it refers to."""
    tables = [t for t in store.db.dialect.data_tables(store.db) if t not in SKIP]
    refs = {t: set(store.db.dialect.foreign_keys(store.db, t)) & set(tables) - {t} for t in tables}
    ordered: list[str] = []
    while refs:
        ready = sorted(t for t, r in refs.items() if r <= set(ordered))
        if not ready:  # a cycle: keep the rest in name order
            ready = sorted(refs)
        for t in ready:
            ordered.append(t)
            del refs[t]
    # an approved quarter's evaluations may not be inserted after its approval (a lock trigger)
    if "evaluation_approvals" in ordered:
        ordered.remove("evaluation_approvals")
        ordered.append("evaluation_approvals")
    return ordered


def figures(store: Store) -> dict:
    """What must be equal on both sides of a copy: rows per table, a digest of the cases and the
    audit chain, and the indicators' counts over every case."""
    out: dict = {}
    for table in table_order(store):
        out[f"rows:{table}"] = store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    digest = hashlib.sha256()
    for (h,) in store.db.execute("SELECT row_hash FROM cases ORDER BY id"):
        digest.update((h or "").encode())
    out["cases_digest"] = digest.hexdigest()
    last = store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    out["audit_last_hash"] = last[0] if last else None
    span = store.db.execute("SELECT min(received_date), max(received_date) FROM cases").fetchone()
    if span[0]:
        import datetime as dt

        counts = store.indicator_counts(dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1]),
                                        today=dt.date.fromisoformat(span[1]))
        out.update({f"count:{k}": v for k, v in counts.items()})
    return out


class CopyError(Exception):
    pass


def copy_into(source: Store, target: Store, batch: int = 5000, replace: bool = False) -> int:
    """Copy every row of ``source`` into the freshly created ``target``; returns the rows copied.
    With ``replace`` (a restore) whatever ``target`` holds is replaced, its audit log too."""
    if not replace and (target.case_count() or target.db.execute(
            "SELECT count(*) FROM audit_log WHERE action <> 'upgrade'").fetchone()[0]):  # its own creation only
        raise CopyError("Cơ sở dữ liệu đích đã có hồ sơ hoặc nhật ký: chỉ chép vào một cơ sở dữ liệu mới, trống.")
    if source.schema_version != target.schema_version:
        raise CopyError(f"Hai bên khác phiên bản lược đồ ({source.schema_version} và {target.schema_version}).")
    tables = table_order(source)
    copied = 0
    with target.db.atomic():
        # every trigger: the rows come as they are (the ledger's too), fixed tables are replaced
        set_aside = tuple(target.db.dialect.triggers(target.db))
        with target.db.dialect.triggers_set_aside(target.db, set_aside):
            for table in reversed(tables):  # the defaults a new database starts with (catalogue, targets…)
                target.db.execute(f"DELETE FROM {table}")
            for table in tables:
                target_cols = set(target.db.table(table).columns_dict)
                cols = [c for c in source.db.table(table).columns_dict if c in target_cols]
                names = ", ".join(cols)
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
                cur = source.db.execute(f"SELECT {names} FROM {table}")
                writer = target.db.conn.cursor()
                while rows := cur.fetchmany(batch):
                    writer.executemany(sql, [tuple(r) for r in rows])
                    copied += len(rows)
            target.db.dialect.rebuild_search(target.db)
            target.db.dialect.reset_ids(target.db, tables)
    target.db.dialect.after_bulk(target.db)
    return copied


def copy_database(source: Store, target_location) -> tuple[Store, dict, dict]:
    """Copy ``source`` into a new database at ``target_location`` (a file or a PostgreSQL URL), run
    ``check`` on both, compare their figures. Returns the open target and both sides' figures;
    raises ``CopyError`` when a check fails or a figure differs."""
    target = Store.open(target_location)
    try:
        target.sign_in_as(source.actor)
        copy_into(source, target)
        problems = [f"nguồn: {p}" for p in source.check()] + [f"đích: {p}" for p in target.check()]
        a, b = figures(source), figures(target)
        problems += [f"{k}: nguồn {a.get(k)}, đích {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        if problems:
            raise CopyError("Bản chép không khớp với nguồn:\n" + "\n".join(problems))
    except BaseException:
        target.close()
        raise
    return target, a, b


def backup_to_file(source: Store, dest: Path) -> Path:
    """A backup of a server's office database: a SQLite file holding the same rows (``restore``
    and ``copy --to`` read it back)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    for stale in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        stale.unlink(missing_ok=True)
    target = Store.open(tmp)
    try:
        target.sign_in_as(source.actor)
        copy_into(source, target)
        target.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target.db.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    tmp.replace(dest)
    return dest


