"""A throwaway PostgreSQL server for the tests and the benchmarks.

The server comes from the ``pgserver`` package (the ``[test]`` extra): its
own PostgreSQL binaries, started on a Unix socket in a folder of its own and
stopped when the process ends. Run as root it runs the server as a user of
its own (PostgreSQL refuses root). Each test gets a fresh office database
cloned from a template that was migrated once.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

TEMPLATE = "motcua_template"


class Server:
    def __init__(self, folder: Path, keep: bool = False):
        import pgserver
        import psycopg

        self._psycopg = psycopg
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        # the tests' server is deleted at the end; the benchmarks keep theirs (its million cases) for the next run
        self.server = pgserver.get_server(folder / "pgdata", cleanup_mode="stop" if keep else "delete")
        self.admin_url = self.server.get_uri()  # postgresql://postgres:@/postgres?host=SOCKET_DIR
        self._names = itertools.count(1)
        self._template_ready = False

    def url(self, name: str) -> str:
        head, _, query = self.admin_url.partition("?")
        return f"{head.rsplit('/', 1)[0]}/{name}?{query}"

    def admin(self, *statements: str) -> None:
        with self._psycopg.connect(self.admin_url, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def new_database(self, migrated: bool = True) -> str:
        """The URL of a new, empty office database (migrated to the current schema unless asked not)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        if migrated:
            self._template()
            self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        else:
            self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def exists(self, name: str) -> bool:
        with self._psycopg.connect(self.admin_url, autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def drop(self, url: str) -> None:
        name = url.split("?")[0].rsplit("/", 1)[1]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _template(self) -> None:
        if self._template_ready:
            return
        from db.store import Store

        self.admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}")
        Store.open(self.url(TEMPLATE)).close()
        self._template_ready = True

    def stop(self) -> None:
        self.server.cleanup()
