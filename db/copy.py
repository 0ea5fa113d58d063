"""Copy a whole office database to another one, whatever the engines (SQLite file ↔ PostgreSQL).

The target is created with the current schema (``Store.open``), then every
table is copied row by row in one write transaction on the target, with the
ids as they are: the audit chain and the row hashes stay valid, and ``check``
passes on both sides. The monthly totals are copied as they are, with the
triggers that keep them set aside; the search index is rebuilt. A backup of a
PostgreSQL office is such a copy into a SQLite file.

All or nothing: ``check`` and the comparison of both sides' figures run inside
the target's transaction, before it commits; any failure rolls it back (and a
file the copy created is removed), so a copy that failed leaves the target as
it was and can simply be run again.
"""
from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from db import errors
from db.dialect import is_url
from db.store import Store

SKIP = {"_sqlite_migrations"}  # written by the target's own migrations, identical by name


def table_order(store: Store, schema: Store | None = None) -> list[str]:
    """The data tables, every table after those it refers to (the references read in ``schema``, the
    same schema as ``store``'s: PostgreSQL's information_schema shows a role that does not own the
    tables, a read-only one, none of their foreign keys)."""
    tables = [t for t in store.db.dialect.data_tables(store.db) if t not in SKIP]
    schema = schema or store
    refs = {t: set(schema.db.dialect.foreign_keys(schema.db, t)) & set(tables) - {t} for t in tables}
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


class CopyError(errors.StoreError):
    """A copy that did not happen, worded for people: which side, what is where now."""


class Refused(CopyError):
    """The copy was refused before anything was written (a target not empty, another schema)."""


@contextlib.contextmanager
def reading(store: Store, side: str) -> contextlib.AbstractContextManager[None]:
    """Errors of the database in the block are said as errors of ``side`` (nguồn, đích), named by cause."""
    try:
        yield
    except CopyError:
        raise
    except (errors.StoreError, sqlite3.Error) as exc:
        raise CopyError(f"{side} ({store.where}): {errors.explain(exc, store.path)}") from None


def copy_into(source: Store, target: Store, batch: int = 5000, replace: bool = False,
              before_commit: Callable[[], None] | None = None) -> int:
    """Copy every row of ``source`` into the freshly created ``target``; returns the rows copied.
    With ``replace`` (a restore) whatever ``target`` holds is replaced, its audit log too.
    ``before_commit`` runs inside the target's transaction after the rows are in: anything it
    raises rolls the whole copy back."""
    if not replace and (target.case_count() or target.db.execute(
            "SELECT count(*) FROM audit_log WHERE action <> 'upgrade'").fetchone()[0]):  # its own creation only
        raise Refused(f"Cơ sở dữ liệu đích {target.where} đã có hồ sơ hoặc nhật ký: chỉ chép vào một cơ sở dữ "
                        "liệu mới, trống. Không ghi gì vào đó.")
    if source.schema_version != target.schema_version:
        raise Refused(f"Hai bên khác phiên bản lược đồ (nguồn {source.schema_version}, đích "
                        f"{target.schema_version}). Không ghi gì vào đích.")
    tables = table_order(source, schema=target)  # the target was made by this program: its owner reads it
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
                with reading(source, "Nguồn"):
                    cur = source.db.execute(f"SELECT {names} FROM {table}")
                writer = target.db.conn.cursor()
                while True:
                    with reading(source, "Nguồn"):
                        rows = cur.fetchmany(batch)
                    if not rows:
                        break
                    writer.executemany(sql, [tuple(r) for r in rows])
                    copied += len(rows)
            target.db.dialect.rebuild_search(target.db)
            target.db.dialect.reset_ids(target.db, tables)
        if before_commit is not None:
            before_commit()
    with contextlib.suppress(errors.StoreError, sqlite3.Error):  # statistics only: the copy is in
        target.db.dialect.after_bulk(target.db)
    return copied


def compare(source: Store, target: Store) -> tuple[dict, dict]:
    """``check`` of the target and both sides' figures; ``CopyError`` naming every difference."""
    with reading(target, "Đích"):
        problems = [f"đích: {p}" for p in target.check()]
    with reading(source, "Nguồn"):
        a = figures(source)
    with reading(target, "Đích"):
        b = figures(target)
    problems += [f"{k}: nguồn {a.get(k)}, đích {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    if problems:
        raise CopyError("Bản chép không khớp với nguồn:\n" + "\n".join(problems))
    return a, b


def copy_database(source: Store, target_location) -> tuple[Store, dict, dict]:
    """Copy ``source`` into a new database at ``target_location`` (a file or a PostgreSQL URL): the
    source checked first, then the rows copied, ``check`` run on the target and both sides' figures
    compared inside the target's transaction, committed only when all agree. Returns the open target
    and both sides' figures. On any failure nothing stays written in the target (a file the copy
    created is removed) and ``CopyError`` says so, naming the side at fault."""
    with reading(source, "Nguồn"):
        problems = source.check()
    if problems:
        raise CopyError("Nguồn có lỗi toàn vẹn, không chép:\n" + "\n".join(problems))
    refuse_unless_empty_or_ours(target_location)  # before anything is written to it
    new_file = None if is_url(target_location) else Path(target_location)
    if new_file is not None and new_file.exists():
        new_file = None  # not ours to remove: Store.open and copy_into refuse what it holds
    try:
        target = Store.open(target_location)
    except (errors.StoreError, sqlite3.Error) as exc:
        _remove(new_file)
        raise CopyError(f"Đích: {errors.explain(exc, target_location)}") from None
    found: dict = {}

    def verify() -> None:
        found["a"], found["b"] = compare(source, target)

    try:
        target.sign_in_as(source.actor)
        with reading(target, "Đích"):
            copy_into(source, target, before_commit=verify)
    except BaseException as exc:
        target.close()
        _remove(new_file)
        if isinstance(exc, CopyError) and not isinstance(exc, Refused):
            after = (f"Đích: tệp {new_file} chưa có trước khi chép và đã được xoá." if new_file is not None else
                     f"Đích {target.where}: mọi thay đổi của lần chép đã được huỷ, không có hồ sơ hay mục nhật ký "
                     "nào được ghi vào đó.")
            raise CopyError(f"{exc}\n{after} Sửa chỗ lỗi rồi chạy lại lệnh chép.") from None
        raise
    return target, found["a"], found["b"]


NOT_OURS = ("Đích {where} là cơ sở dữ liệu của một chương trình khác, không phải của Một Cửa: chỉ chép vào một "
            "cơ sở dữ liệu mới, trống. Không ghi gì vào đó.")
NOT_EMPTY = ("Cơ sở dữ liệu đích {where} đã có hồ sơ hoặc nhật ký: chỉ chép vào một cơ sở dữ liệu mới, trống. "
             "Không ghi gì vào đó.")


def refuse_unless_empty_or_ours(location) -> None:
    """``Refused`` unless the target of a copy is nothing yet, empty, or an empty office database,
    read without writing a byte to it (no journal mode, no migration, no table): another program's
    file or database, even one with a ``cases`` table, stays exactly as it was."""
    if is_url(location):
        return _refuse_server_unless_empty_or_ours(location)
    path = Path(location)
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
    except OSError:
        return  # Store.open names the trouble
    from db.migrations import APPLICATION_ID

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            used = _used(conn, tables) if app_id == APPLICATION_ID else False
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise Refused(f"Đích {path}: {errors.explain(errors.classify(exc, path), path)} Không ghi gì vào đó.") from None
    if tables and app_id != APPLICATION_ID:
        raise Refused(NOT_OURS.format(where=path))
    if used:
        raise Refused(NOT_EMPTY.format(where=path))


def _used(conn, tables: set[str]) -> bool:
    """An office database holding cases, deleted cases or audit entries beyond its own creation."""
    for table in ("cases", "deleted_cases"):
        if table in tables and conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            return True
    return "audit_log" in tables and bool(conn.execute(
        "SELECT 1 FROM audit_log WHERE action <> 'upgrade' LIMIT 1").fetchone())


def _refuse_server_unless_empty_or_ours(url: str) -> None:
    import psycopg

    from db.pg import scrubbed, where_of

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("SET default_transaction_read_only = on")
            tables = {r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
            ours = "motcua_schema" in tables
            used = ours and _used(conn, tables)
    except psycopg.Error as exc:
        raise Refused(f"Đích {where_of(url)}: {errors.explain(scrubbed(exc, url), None)} Không ghi gì vào đó.") \
            from None
    if tables and not ours:
        raise Refused(NOT_OURS.format(where=where_of(url)))
    if used:
        raise Refused(NOT_EMPTY.format(where=where_of(url)))


def _remove(path: Path | None) -> None:
    if path is None:
        return
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def backup_to_file(source: Store, dest: Path) -> Path:
    """A backup of a server's office database: a SQLite file holding the same rows (``restore``
    and ``copy --to`` read it back)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    for stale in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        stale.unlink(missing_ok=True)
    try:
        target = Store.open(tmp)
        try:
            target.sign_in_as(source.actor)
            copy_into(source, target)
            target.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            target.db.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        tmp.replace(dest)
    except BaseException:  # no half backup left beside the good ones
        from db.store import remove_quietly

        remove_quietly(tmp)
        raise
    return dest


