"""What differs between SQLite and PostgreSQL, in one place.

The program's SQL is written once, in the SQLite dialect the project began
with (``?`` and ``:name`` placeholders, ``julianday``, ``INDEXED BY``,
``x IS 'text'``, triggers with ``BEGIN … END`` bodies, ``PRAGMA``). On
PostgreSQL two things make that same SQL run:

- ``POSTGRES_PRELUDE``: a few functions, operators and an aggregate installed
  once in a new office database, so that PostgreSQL understands the SQLite
  idioms the program uses (``sum`` of a comparison, ``+(a = b)`` in a
  trigger, ``julianday``, diacritics folded for search);
- ``Postgres.translate``: a rewrite of each statement's syntax that functions
  cannot give (placeholders, identity columns, ``INDEXED BY``, triggers,
  ``PRAGMA``), cached per statement.

Everything else that differs (search, setting triggers aside for a bulk
insert, schema version, foreign keys, catalogue queries, the notification of
a change) is a method of the two dialect objects below. ``db/`` is the only
package that knows which engine it speaks to; it asks ``store.db.dialect``.
"""
from __future__ import annotations

import contextlib
import functools
import re
import unicodedata

URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(location) -> bool:
    """True for a PostgreSQL connection URL (``postgresql://USER@HOST/NAME``), False for a file path."""
    return isinstance(location, str) and location.lower().startswith(URL_SCHEMES)


# Vietnamese letters with their diacritics folded (đ → d), upper and lower case: the search key
_VIET = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
_VIET_UPPER = _VIET.upper()
_FOLDED = "".join(unicodedata.normalize("NFD", ch)[0] if ch != "đ" else "d" for ch in _VIET)


def fold(text: str) -> str:
    """Lower case, NFC, Vietnamese diacritics removed: the same key the database computes."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return text.translate(str.maketrans(_VIET, _FOLDED))


class SQLite:
    name = "sqlite"

    def search_match(self, params: dict, text: str) -> str:
        """An SQL condition on ``c`` (cases) true for a case whose code or applicant holds the words
        of ``text`` with diacritics folded ("nguyen" finds "Nguyễn"): the FTS5 index."""
        terms = [f'"{w.replace(chr(34), "")}"*' for w in text.split() if w.replace('"', "")]
        if not terms:
            return ""
        params["match"] = " ".join(terms)
        return "c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH :match)"

    @contextlib.contextmanager
    def triggers_set_aside(self, db, names: tuple[str, ...]):
        """Inside a write transaction: the named row triggers do not fire in the block."""
        set_aside = db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({','.join('?' * len(names))})",
            list(names)).fetchall()
        for name, _ in set_aside:
            db.execute(f"DROP TRIGGER {name}")
        yield
        for _, sql in set_aside:
            db.execute(sql)

    def bulk_insert(self, db, table: str, columns, rows, batch_size: int = 2000) -> None:
        """Insert many rows (tuples in ``columns`` order) inside the current transaction: one
        prepared statement (sqlite-utils' insert_all spends most of its time on each value)."""
        import itertools

        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cursor = db.conn.cursor()
        rows = iter(rows)
        while batch := list(itertools.islice(rows, batch_size)):
            cursor.executemany(sql, batch)

    def rebuild_search(self, db, after_id: int = 0) -> None:
        """Index the cases with an id above ``after_id`` for search (after triggers were set aside)."""
        if after_id:
            db.execute("INSERT INTO cases_fts (rowid, code, applicant) "
                       "SELECT id, code, applicant FROM cases WHERE id > ?", [after_id])
        else:
            db.execute("INSERT INTO cases_fts (cases_fts) VALUES ('rebuild')")

    def table_sql(self, db, table: str) -> str:
        """A table's definition as text (its columns and checks)."""
        row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
        return row[0] if row else ""

    def triggers(self, db) -> dict[str, str]:
        """Every trigger of the database: its name and its definition."""
        return {r[0]: r[1] for r in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}

    def foreign_keys(self, db, table: str) -> list[str]:
        """The tables ``table`` refers to."""
        return [r[2] for r in db.execute(f"PRAGMA foreign_key_list({table})")]

    def data_tables(self, db) -> list[str]:
        """Every table holding the office's data (not the search index's own tables)."""
        return [t for t in db.table_names() if not t.startswith(("sqlite_", "cases_fts"))]

    def reset_ids(self, db, tables) -> None:
        pass  # SQLite's INTEGER PRIMARY KEY follows the largest id by itself

    def notify(self, db) -> None:
        pass  # other processes see a change in PRAGMA data_version

    def after_bulk(self, db) -> None:
        pass  # the queries name their indexes (INDEXED BY): no statistics to refresh


SQLITE = SQLite()


# ---- PostgreSQL -------------------------------------------------------------------------------

# core.domain.vnsort.key as a bytea that sorts as the key's tuples do: each letter a 4-byte integer
# (class << 21 | value), then a zero, then the tones, a zero, then the cases
VIKEY = r"""CREATE OR REPLACE FUNCTION motcua_vikey(t text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
  alphabet text := 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
  s text := normalize(coalesce(t, ''), NFD);
  letters int[] := '{}'; tones int[] := '{}'; cases int[] := '{}';
  ch text; lo text; r int; n int; base text; merged text; out bytea := ''::bytea; v int;
BEGIN
  FOR i IN 1 .. length(s) LOOP
    ch := substr(s, i, 1);
    n := coalesce(array_length(letters, 1), 0);
    IF ch IN (U&'\0300', U&'\0309', U&'\0303', U&'\0301', U&'\0323') THEN
      IF n > 0 THEN
        tones[n] := CASE ch WHEN U&'\0300' THEN 1 WHEN U&'\0309' THEN 2 WHEN U&'\0303' THEN 3
                            WHEN U&'\0301' THEN 4 ELSE 5 END;
      END IF;
      CONTINUE;
    END IF;
    IF ch IN (U&'\0306', U&'\0302', U&'\031b') THEN
      IF n > 0 AND letters[n] >> 21 = 2 THEN
        base := substr(alphabet, (letters[n] & 2097151) + 1, 1);
        merged := CASE base || ch WHEN 'a' || U&'\0306' THEN 'ă' WHEN 'a' || U&'\0302' THEN 'â'
          WHEN 'e' || U&'\0302' THEN 'ê' WHEN 'o' || U&'\0302' THEN 'ô' WHEN 'o' || U&'\031b' THEN 'ơ'
          WHEN 'u' || U&'\031b' THEN 'ư' END;
        IF merged IS NOT NULL THEN
          letters[n] := (2 << 21) | (strpos(alphabet, merged) - 1);
        END IF;
      END IF;
      CONTINUE;
    END IF;
    lo := CASE WHEN ch = 'Đ' THEN 'đ' WHEN ch ~ '^[A-Z]$' THEN lower(ch) ELSE lower(ch) END;
    r := strpos(alphabet, lo);
    IF r > 0 THEN
      v := (2 << 21) | (r - 1);
    ELSIF ch ~ '^\s$' THEN
      v := 1 << 21;
    ELSIF ch ~ '^[0-9]$' THEN
      v := (1 << 21) | (1 + ch::int);
    ELSE
      v := (3 << 21) | ascii(lo);
    END IF;
    letters := letters || v;
    tones := tones || 0;
    cases := cases || CASE WHEN ch = lo THEN 0 ELSE 1 END;
  END LOOP;
  FOREACH v IN ARRAY letters LOOP out := out || int4send(v); END LOOP;
  out := out || int4send(0);
  FOREACH v IN ARRAY tones LOOP out := out || int4send(v); END LOOP;
  out := out || int4send(0);
  FOREACH v IN ARRAY cases LOOP out := out || int4send(v); END LOOP;
  RETURN out;
END $f$"""

POSTGRES_PRELUDE = (
    # the schema version (SQLite keeps it in PRAGMA user_version)
    "CREATE TABLE IF NOT EXISTS motcua_schema (version INTEGER NOT NULL)",
    "INSERT INTO motcua_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM motcua_schema)",
    # a comparison counts as 0 or 1, as in SQLite: sum(channel = 1), +(NEW.channel = 1)
    "CREATE OR REPLACE FUNCTION motcua_int(boolean) RETURNS integer LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT $1::integer $$",
    "CREATE OR REPLACE FUNCTION motcua_neg(boolean) RETURNS integer LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT -($1::integer) $$",
    "CREATE OPERATOR + (RIGHTARG = boolean, FUNCTION = motcua_int)",
    "CREATE OPERATOR - (RIGHTARG = boolean, FUNCTION = motcua_neg)",
    "CREATE OR REPLACE FUNCTION motcua_sum_bool(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 ELSE coalesce($1, 0) + $2::integer END $$",
    "CREATE AGGREGATE sum(boolean) (SFUNC = motcua_sum_bool, STYPE = bigint)",
    # day numbers of ISO dates (the date columns are ISO text on both engines)
    "CREATE OR REPLACE FUNCTION julianday(text) RETURNS double precision LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT ($1::date - DATE '2000-01-01') + 2451544.5 $$",
    # instr(text, part): a digit's place in a hash lane (db.audit.lane_sql), as a bigint to shift by 28
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT strpos($1, $2)::bigint $$",
    # max(a, b, c) of values where the rewrite to greatest() cannot see the arguments (subqueries)
    "CREATE OR REPLACE FUNCTION max(bigint, bigint, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT greatest($1, $2, $3) $$",
    "CREATE OR REPLACE FUNCTION max(bigint, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT greatest($1, $2) $$",
    # ORDER BY name COLLATE vi: a key in the order of core.domain.vnsort.key (servers are not all built with ICU)
    VIKEY,
    # search without diacritics: the same folding as dialect.fold
    "CREATE OR REPLACE FUNCTION motcua_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
    f"AS $$ SELECT translate(lower($1), '{_VIET}{_VIET_UPPER}', '{_FOLDED}{_FOLDED}') $$",
)

# SQLite's catalogue as PostgreSQL sees it: what a migration reads to rebuild a table (its indexes
# and triggers, with the SQL that makes them again); kept up to date with CREATE OR REPLACE
POSTGRES_VIEWS = (
    "CREATE OR REPLACE VIEW sqlite_master (type, name, tbl_name, sql) AS "
    "SELECT 'table'::text, c.relname::text, c.relname::text, NULL::text FROM pg_class c "
    "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace "
    "UNION ALL SELECT 'index', i.relname::text, t.relname::text, pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "WHERE t.relnamespace = current_schema()::regnamespace "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
    "UNION ALL SELECT 'trigger', g.tgname::text, t.relname::text, pg_get_triggerdef(g.oid) FROM pg_trigger g "
    "JOIN pg_class t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal "
    "AND t.relnamespace = current_schema()::regnamespace",
)

_TRIGGER = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\w+)\s+(?P<timing>BEFORE|AFTER)\s+"
    r"(?P<event>INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)\s+ON\s+(?P<table>\w+)\s*"
    r"(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(?P<when>.*?)\s+)?BEGIN\s+(?P<body>.*)\s+END\s*;?\s*$",
    re.S | re.I)
_DROP_TRIGGER = re.compile(r"^\s*DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s*;?\s*$", re.I)
_RAISE = re.compile(r"SELECT\s+RAISE\s*\(\s*(?:ABORT|FAIL|ROLLBACK)\s*,\s*('(?:[^']|'')*')\s*\)", re.I)
_RAISE_WHERE = re.compile(
    r"SELECT\s+RAISE\s*\(\s*(?:ABORT|FAIL|ROLLBACK)\s*,\s*('(?:[^']|'')*')\s*\)\s+WHERE\s+(.*)", re.I | re.S)
_TABLE_INFO = re.compile(r"^\s*PRAGMA\s+table_info\s*\(\s*['\"]?(\w+)['\"]?\s*\)\s*;?\s*$", re.I)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)(?:\s*=\s*(\S+?))?\s*;?\s*$", re.I)
_REWRITES = (
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.I), "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    # SQLite's integers are 64-bit: sums of hash lanes (case_ledger) overflow PostgreSQL's integer
    (re.compile(r"\bINTEGER\b(?!\s+GENERATED)", re.I), "BIGINT"),
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.I), ")"),
    (re.compile(r"\s+AUTOINCREMENT\b", re.I), ""),
    # Vietnamese order: the key of core.domain.vnsort, computed by motcua_vikey (the prelude)
    (re.compile(r"([\w.]+)\s+COLLATE\s+vi\b", re.I), r"motcua_vikey(\1)"),
    # [name] quotes a name in SQLite; a table's rows in rowid order: by their first columns (the id first)
    (re.compile(r"\[(\w+)\]"), r'"\1"'),
    (re.compile(r"^SELECT \* FROM \"(\w+)\" ORDER BY rowid$"), r'SELECT * FROM "\1" ORDER BY 1, 2'),
    (re.compile(r"\browid\b"), "ctid"),
    (re.compile(r"(?<![\w.])\?\s+IS\s+(NOT\s+)?NULL\b", re.I), r"CAST(? AS text) IS \1NULL"),  # a NULL parameter's type  # a row's place (deleted_cases, where an id may come twice)
    # issued_reports' column "end", a reserved word on PostgreSQL (in a column list or its definition)
    (re.compile(r"(?<=, )end(?=,)|\bend(?= TEXT\b)"), '"end"'),
    # COLLATE NOCASE: servers are not all built with ICU; user names are compared by lower() instead
    (re.compile(r"\s+COLLATE\s+NOCASE\b", re.I), ""),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I), ""),
    (re.compile(r"\bIS\s+NOT\s+('(?:[^']|'')*')", re.I), r"IS DISTINCT FROM \1"),
    (re.compile(r"\bIS\s+('(?:[^']|'')*')", re.I), r"IS NOT DISTINCT FROM \1"),
    (re.compile(r"\bWHERE\s+0\s*$", re.I), "WHERE false"),
    (re.compile(r"\btemp\.(?=\w)", re.I), "pg_temp."),  # the connection's own temporary tables
    # max(a, b) and min(a, b) of two values (not the aggregates)
    (re.compile(r"\bmax\(([^()]*,[^()]*)\)", re.I), r"greatest(\1)"),
    (re.compile(r"\bmin\(([^()]*,[^()]*)\)", re.I), r"least(\1)"),
    (re.compile(r"\bWHERE\s+1(?=\s+(?:ON|GROUP|ORDER|LIMIT)\b|\s*$)", re.I), "WHERE true"),
)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.I)


def _placeholders(sql: str) -> str:
    """``?`` → ``%s``, ``:name`` → ``%(name)s``, ``%`` → ``%%``; string literals and ``::`` left alone."""
    out = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
        elif ch == "$" and sql.startswith("$$", i) or sql.startswith("$fn$", i):
            tag = "$$" if sql.startswith("$$", i) else "$fn$"
            j = sql.find(tag, i + len(tag))
            j = n if j < 0 else j + len(tag)
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and (i == 0 or sql[i - 1] != ":"):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(f"%({sql[i + 1:j]})s")
            i = j
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_CREATE_INDEX = re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+\w+\s*)\(",
                           re.I)


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += (ch == "(") - (ch == ")")
        current.append(ch)
    parts.append("".join(current))
    return parts


def _index_expressions(sql: str) -> str:
    """SQLite indexes an expression written bare; PostgreSQL wants it in parentheses."""
    m = _CREATE_INDEX.match(sql)
    if not m:
        return sql
    start = m.end()
    depth, i = 1, start
    while i < len(sql) and depth:
        depth += (sql[i] == "(") - (sql[i] == ")")
        i += 1
    columns = []
    for part in _split_top(sql[start:i - 1]):
        bare = re.fullmatch(r"\s*\w+(\s+(ASC|DESC))?\s*", part, re.I)
        columns.append(part.strip() if bare else f"({part.strip()})")
    return sql[:start] + ", ".join(columns) + ")" + sql[i:]


_UPSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+).*?\bDO\s+UPDATE\s+SET\b", re.I | re.S)


_NOT_COLUMNS = {"case", "when", "then", "else", "end", "and", "or", "not", "null", "is", "true", "false",
                "excluded", "where", "between", "in", "like", "distinct", "from"}


def _qualify_upsert(sql: str) -> str:
    """``DO UPDATE SET n = n + excluded.n``: PostgreSQL wants the table's own ``n`` named on the right."""
    m = _UPSERT.match(sql)
    if not m:
        return sql
    head, tail = sql[:m.end()], sql[m.end():]
    out = []
    for assignment in _split_top(tail):
        lhs, eq, rhs = assignment.partition("=")
        rhs = re.sub(r"(?<![.\w':])([A-Za-z_]\w*)\b(?!\s*[.(])",
                     lambda x: x[1] if x[1].lower() in _NOT_COLUMNS else f"{m[1]}.{x[1]}", rhs)
        out.append(lhs + eq + rhs)
    return head + ",".join(out)


_SUM = re.compile(r"\bsum\(", re.I)
_CONDITION = re.compile(r"[=<>]|\b(IS|AND|OR|NOT|LIKE|BETWEEN|IN)\b", re.I)


def _top_level(text: str) -> str:
    """``text`` with every parenthesised part blanked out."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        out.append(ch if depth == 0 else " ")
        depth -= ch == ")"
    return "".join(out)


def _count_conditions(sql: str) -> str:
    """``sum(a = b)`` counts the rows where a condition holds: ``count(*) FILTER (WHERE a = b)``,
    which PostgreSQL runs natively (the ``sum(boolean)`` of the prelude stays for what this misses)."""
    out, i = [], 0
    for m in _SUM.finditer(sql):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(sql) and depth:
            depth += (sql[j] == "(") - (sql[j] == ")")
            j += 1
        inner = sql[m.end():j - 1]
        if _CONDITION.search(_top_level(inner)) and not inner.lstrip().upper().startswith("CASE"):
            out.append(sql[i:m.start()] + f"count(*) FILTER (WHERE {inner})")
            i = j
    return "".join(out) + sql[i:]


def _rewrite(sql: str) -> str:
    sql = _qualify_upsert(_index_expressions(sql))
    for pattern, repl in _REWRITES:
        sql = pattern.sub(repl, sql)
    sql = _count_conditions(sql)
    if _INSERT_OR_IGNORE.match(sql):
        sql = _INSERT_OR_IGNORE.sub("INSERT INTO", sql).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return sql


def _statements(body: str) -> list[str]:
    """The statements of a trigger body (split on ``;`` outside string literals)."""
    out, current, quoted = [], [], False
    for ch in body:
        if ch == "'":
            quoted = not quoted
        if ch == ";" and not quoted:
            if "".join(current).strip():
                out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


def _trigger(m: re.Match) -> list[str]:
    """A SQLite trigger as a PL/pgSQL function and a row trigger calling it.

    The WHEN condition moves into the function (PostgreSQL forbids subqueries there); a
    ``RAISE(ABORT, …)`` becomes ``RAISE EXCEPTION``; the trigger can be set aside for the
    current transaction by ``SET LOCAL motcua.skip_NAME = 'on'`` (a bulk insert's own pass).
    """
    name, timing, event, table = m["name"], m["timing"].upper(), " ".join(m["event"].split()), m["table"]
    steps = []
    for stmt in _statements(m["body"]):
        raised = _RAISE.fullmatch(stmt)
        raised_when = _RAISE_WHERE.fullmatch(stmt)
        if raised:
            steps.append(f"RAISE EXCEPTION {raised[1]};")
        elif raised_when:  # SELECT RAISE(ABORT, '…') WHERE condition
            steps.append(f"IF {_rewrite(raised_when[2])} THEN RAISE EXCEPTION {raised_when[1]}; END IF;")
        else:
            steps.append(_rewrite(stmt) + ";")
    body = "\n    ".join(steps)
    if m["when"]:
        body = f"IF {_rewrite(m['when'])} THEN\n    {body}\n  END IF;"
    kind = event.split()[0].upper()
    result = "NULL" if timing == "AFTER" else ("OLD" if kind == "DELETE" else "NEW")
    fn = (f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n"
          f"  IF current_setting('motcua.skip_{name}', true) = 'on' THEN RETURN {result}; END IF;\n"
          f"  {body}\n  RETURN {result};\nEND $fn$")
    return [fn, f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn()"]


class Postgres:
    name = "postgresql"
    prelude = POSTGRES_PRELUDE
    views = POSTGRES_VIEWS
    channel = "motcua_changes"  # LISTEN/NOTIFY channel: a desk's write wakes the others' windows

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def translate(sql: str) -> tuple[str, ...]:
        """The PostgreSQL statements (usually one) that do what a statement in the SQLite dialect does.

        No statement for what has no meaning there: the FTS5 index's own statements (search
        folds diacritics in the query instead), PRAGMAs about SQLite's files.
        """
        if "cases_fts" in sql:
            return ()
        m = _PRAGMA.match(sql)
        if m:
            name, value = m[1].lower(), m[2]
            if name == "user_version":
                return (f"UPDATE motcua_schema SET version = {int(value)}",) if value is not None else \
                    ("SELECT version FROM motcua_schema",)
            if name in ("integrity_check", "quick_check"):
                return ("SELECT 'ok'",)
            if name == "foreign_key_check":
                return ("SELECT NULL, NULL, NULL, NULL WHERE false",)
            if name == "data_version":
                return ("SELECT 0",)
            return ()
        m = _TABLE_INFO.match(sql)
        if m:  # cid, name, type, notnull, dflt_value, pk
            return ("SELECT c.ordinal_position - 1, c.column_name::text, c.data_type::text, "
                    "(c.is_nullable = 'NO')::int, c.column_default::text, "
                    "(EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN "
                    "information_schema.table_constraints t ON t.constraint_name = k.constraint_name "
                    "AND t.table_schema = k.table_schema WHERE t.constraint_type = 'PRIMARY KEY' "
                    "AND k.table_name = c.table_name AND k.column_name = c.column_name "
                    "AND k.table_schema = c.table_schema))::int "
                    "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
                    f"AND c.table_name = '{m[1]}' ORDER BY c.ordinal_position",)
        m = _TRIGGER.match(sql)
        if m:
            return tuple(_placeholders(s) for s in _trigger(m))
        m = _DROP_TRIGGER.match(sql)
        if m:  # the trigger only, wherever it is (SQLite names no table): its function stays for a CREATE again
            return (_placeholders(
                "DO $$ DECLARE t text; BEGIN SELECT c.relname INTO t FROM pg_trigger g JOIN pg_class c "
                f"ON c.oid = g.tgrelid WHERE g.tgname = '{m[1]}' AND NOT g.tgisinternal; IF t IS NOT NULL THEN "
                f"EXECUTE format('DROP TRIGGER %I ON %I', '{m[1]}', t); END IF; END $$"),)
        return (_placeholders(_rewrite(sql)),)

    # words of the code and the applicant, diacritics folded, in a GIN index (m018_search_index):
    # every word typed is the start of one of them, as SQLite's FTS5 prefix query finds it
    SEARCH_VECTOR = "to_tsvector('simple', motcua_fold(coalesce(c.code, '') || ' ' || coalesce(c.applicant, '')))"

    def search_match(self, params: dict, text: str) -> str:
        words = [w for w in re.split(r"\W+", fold(text)) if w]
        if not words:
            return ""
        params["tsquery"] = " & ".join(f"{w}:*" for w in words)
        return f"{self.SEARCH_VECTOR} @@ to_tsquery('simple', :tsquery)"

    @contextlib.contextmanager
    def triggers_set_aside(self, db, names: tuple[str, ...]):
        for name in names:  # SET LOCAL: until the end of this transaction, and only for it
            db.execute(f"SET LOCAL motcua.skip_{name} = 'on'")
        yield
        for name in names:
            db.execute(f"SET LOCAL motcua.skip_{name} = 'off'")

    def bulk_insert(self, db, table: str, columns, rows, batch_size: int = 2000) -> None:
        """COPY: many times faster than INSERTs, even in a pipeline. The rows are taken a batch
        at a time before each COPY: making them may ask the database (an officer's id)."""
        import itertools

        from db.pg import _param

        rows = iter(rows)
        while batch := list(itertools.islice(rows, max(batch_size, 20000))):
            db.alive()
            with db.named_errors(), db.raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row([_param(v) for v in row])

    def rebuild_search(self, db, after_id: int = 0) -> None:
        pass  # the search folds the columns as it reads them: nothing to index

    def table_sql(self, db, table: str) -> str:
        columns = [f"{r[0]} {r[1]}" for r in db.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", [table])]
        checks = [r[0] for r in db.execute(
            "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE t.relname = ? ORDER BY c.conname", [table])]
        return f"CREATE TABLE {table} ({', '.join(columns + checks)})"

    def triggers(self, db) -> dict[str, str]:
        return {r[0]: r[1] for r in db.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal")}

    def foreign_keys(self, db, table: str) -> list[str]:
        return [r[0] for r in db.execute(
            "SELECT ccu.table_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
            "AND ccu.table_schema = tc.table_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ? AND tc.table_schema = current_schema()",
            [table])]

    def data_tables(self, db) -> list[str]:
        return [t for t in db.table_names() if t != "motcua_schema"]

    def reset_ids(self, db, tables) -> None:
        """After rows were copied with their ids: the next id given follows the largest."""
        for table in (t for t in tables if db._has_id(t)):
            seq = db.execute("SELECT pg_get_serial_sequence(?, 'id')", [table]).fetchone()
            if seq and seq[0]:
                db.execute(f"SELECT setval('{seq[0]}', coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")

    def after_bulk(self, db) -> None:
        """After many rows came in at once: fresh statistics, so the planner picks the indexes, and
        (outside a transaction) the visibility map, so that the covering indexes are read alone."""
        db.execute("ANALYZE" if db.conn.in_transaction else "VACUUM (ANALYZE) cases")

    def notify(self, db) -> None:
        """Sent inside a write transaction, delivered to every listening desk when it commits; the
        payload is the writer's connection, so a desk can tell its own writes from the others'."""
        db.raw.execute(f"SELECT pg_notify('{self.channel}', pg_backend_pid()::text)")


POSTGRES = Postgres()
