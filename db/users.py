"""Users, roles and sign-in: scrypt password hashes, a lock-out after repeated failures."""
from __future__ import annotations


import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
from core.domain.cases import nfc

SCRYPT_N = 2 ** 17  # OWASP's minimum with r = 8, p = 1: 128 MiB, about 0,3–0,5 s a hash
SCRYPT = {"n": SCRYPT_N, "r": 8, "p": 1, "dklen": 32}
MAXMEM = 256 * 1024 * 1024
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


def _utc(moment: dt.datetime) -> dt.datetime:
    """A moment in UTC. Stored sign-in times are UTC with their offset; an older naive one was this desk's local time."""
    return (moment if moment.tzinfo else moment.astimezone()).astimezone(dt.timezone.utc)


def lock_time_text(stored: str) -> str:
    """A stored lock time as this desk's clock shows it ("14:05")."""
    return f"{_utc(dt.datetime.fromisoformat(stored)).astimezone():%H:%M}"


class AuthError(Exception):
    """Sign-in refused; the message says why without telling which part was wrong."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=MAXMEM, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${key.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(key) // 2, maxmem=MAXMEM)
    return hmac.compare_digest(candidate.hex(), key)


def needs_upgrade(stored: str) -> bool:
    """A hash made with a lower cost than today's: rehashed at the next sign-in."""
    try:
        kind, n, r, p, _, _ = stored.split("$")
        return kind != "scrypt" or (int(n), int(r), int(p)) < (SCRYPT["n"], SCRYPT["r"], SCRYPT["p"])
    except ValueError:
        return True


_DUMMY: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash at today's cost, made once: an unknown user costs one check, like a known one."""
    if SCRYPT["n"] not in _DUMMY:
        _DUMMY[SCRYPT["n"]] = hash_password(secrets.token_hex(16))
    return _DUMMY[SCRYPT["n"]]


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if password.isdigit() or password.isalpha():
        return "Mật khẩu cần có cả chữ và số."
    return None


class Users:
    """Accounts: ``store.users.all()``, ``.add``, ``.update``, ``.authenticate``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def all(self) -> list[dict]:
        return list(self.store.db.query(
            "SELECT u.id, u.username, u.full_name, u.role, u.officer_id, o.name AS officer, u.failed_attempts, "
            "u.locked_until, u.active FROM users u LEFT JOIN officers o ON o.id = u.officer_id "
            "ORDER BY u.username"))

    def any(self) -> bool:
        return self.store.db.execute("SELECT count(*) FROM users").fetchone()[0] > 0

    def add(self, username: str, password: str, role: str, full_name: str = "",
            officer_id: int | None = None) -> int:
        """Add a user; the very first one (the administrator) needs no signed-in user."""
        if self.any():
            self.store._require("users")
        username = username.strip()
        if not username or not username.replace(".", "").replace("_", "").isalnum():
            raise ValueError("Tên đăng nhập chỉ gồm chữ, số, dấu chấm hoặc gạch dưới.")
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        if role not in ("officer", "chairman", "admin"):
            raise ValueError(f"vai trò không hợp lệ: {role}")
        if self.store.db.execute("SELECT 1 FROM users WHERE lower(username) = lower(?)", [username]).fetchone():
            raise ValueError(f"Đã có người dùng {username}.")
        with self.store.db.atomic():
            user_id = self.store.db.table("users").insert({
                "username": username, "full_name": full_name, "role": role, "officer_id": officer_id,
                "password_hash": hash_password(password)}).last_pk
            self.store.audit.record("create", "user", user_id, None, {"username": username, "role": role,
                                                                      "full_name": full_name, "officer_id": officer_id})
        return user_id

    def set_password(self, user_id: int, password: str) -> None:
        if user_id != self.store.actor.get("id"):
            self.store._require("users")
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        with self.store.db.atomic():
            self.store.db.table("users").update(user_id, {"password_hash": hash_password(password),
                                                          "failed_attempts": 0, "locked_until": None})
            self.store.audit.record("password", "user", user_id)

    def update(self, user_id: int, values: dict) -> None:
        self.store._require("users")
        allowed = {k: v for k, v in values.items() if k in ("full_name", "role", "officer_id", "active")}
        with self.store.db.atomic():
            current = self.store.db.table("users").get(user_id)
            self.store.db.table("users").update(user_id, allowed)
            self.store.audit.record("update", "user", user_id, {k: current[k] for k in allowed}, allowed)

    def link_officer(self, user_id: int, officer_name: str) -> bool:
        """An import's officer given to a user account that has none (its full name is the officer's):
        the account then opens on its own cases. Never moves an account already linked; audited."""
        self.store._require("cases")
        with self.store.db.atomic():
            row = self.store.db.execute("SELECT id FROM officers WHERE name = ?", [nfc(officer_name)]).fetchone()
            if row is None:
                return False
            user = self.store.db.execute("SELECT officer_id FROM users WHERE id = ?", [user_id]).fetchone()
            if user is None or user[0] is not None:
                return False
            self.store.db.execute("UPDATE users SET officer_id = ? WHERE id = ?", [row[0], user_id])
            self.store.audit.record("update", "user", user_id, {"officer_id": None}, {"officer_id": row[0]})
            return True

    def unlock(self, user_id: int) -> None:
        self.store._require("users")
        with self.store.db.atomic():
            current = self.store.db.table("users").get(user_id)
            self.store.db.table("users").update(user_id, {"failed_attempts": 0, "locked_until": None})
            self.store.audit.record("unlock", "user", user_id, {"failed_attempts": current["failed_attempts"],
                                                                "locked_until": current["locked_until"]},
                                    {"failed_attempts": 0, "locked_until": None})

    def authenticate(self, username: str, password: str, now: dt.datetime | None = None) -> dict:
        """The user, when the password is right and the account open; ``AuthError`` otherwise.

        An attempt is counted before the password is checked, in one write transaction:
        parallel attempts (other windows, other processes) see each other's count, so no
        more than ``MAX_FAILURES`` wrong passwords are ever checked before the lock. An
        unknown user costs one password check too, and gets the same answer.
        """
        now = _utc(now or dt.datetime.now(dt.timezone.utc))  # every desk compares in UTC, whatever its clock's zone
        refused = "Tên đăng nhập hoặc mật khẩu không đúng."
        name = username.strip()
        # a file opened read-only (a newer version's, a read-only folder) keeps no count but can be signed into
        writable = getattr(self.store.db, "refuse_writes", None) is None
        with (self.store.db.atomic() if writable else contextlib.nullcontext()):
            if writable:
                self.store.db.execute("UPDATE users SET failed_attempts = failed_attempts WHERE 0")  # take the write lock
            row = self.store.db.execute(
                "SELECT id, username, full_name, role, officer_id, password_hash, failed_attempts, locked_until, "
                "active FROM users WHERE lower(username) = lower(?)", [name]).fetchone()
            if row is not None:
                user_id, failures, locked_until, active = row[0], row[6], row[7], row[8]
                locked = bool(locked_until) and _utc(dt.datetime.fromisoformat(locked_until)) > now
                if writable and active and not locked and failures >= MAX_FAILURES:
                    # the attempts already counted used up the allowance: lock now, check nothing
                    locked_until = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds")
                    self.store.db.execute("UPDATE users SET locked_until = ?, failed_attempts = 0 WHERE id = ?",
                                          [locked_until, user_id])
                    locked = True
                if writable and active and not locked:
                    self.store.db.execute("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?", [user_id])
        if row is None:
            check_password(password, _dummy_hash())  # the same time either way
            raise AuthError(refused)
        user_id, name, full_name, role, officer_id, stored = row[:6]
        if not active:
            check_password(password, _dummy_hash())
            raise AuthError(refused)
        if locked:
            until = _utc(dt.datetime.fromisoformat(locked_until)).astimezone()  # shown in this desk's time
            raise AuthError(f"Tài khoản tạm khoá đến {until:%H:%M} do nhập sai mật khẩu nhiều lần.")
        if not check_password(password, stored):
            if not writable:
                raise AuthError(refused)
            with self.store.db.atomic():
                self.store.db.execute("UPDATE users SET failed_attempts = failed_attempts WHERE 0")  # the write lock first
                failures = self.store.db.execute("SELECT failed_attempts FROM users WHERE id = ?", [user_id]).fetchone()[0]
                lock = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds") \
                    if failures >= MAX_FAILURES else None
                if lock:
                    self.store.db.execute("UPDATE users SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                                          [lock, user_id])
                self.store.audit.record("sign-in refused", "user", user_id, None, {"locked": bool(lock)})
            if lock:
                raise AuthError(f"Nhập sai {MAX_FAILURES} lần: tài khoản tạm khoá {LOCK_MINUTES} phút.")
            raise AuthError(refused)
        user = {"id": user_id, "username": name, "full_name": full_name, "role": role, "officer_id": officer_id}
        if not writable:
            return user
        with self.store.db.atomic():
            self.store.db.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", [user_id])
            if needs_upgrade(stored):
                self.store.db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hash_password(password), user_id])
                actor, self.store.actor = self.store.actor, user
                try:
                    self.store.audit.record("password upgraded", "user", user_id, {"scrypt": stored.split("$")[1:4]},
                                            {"scrypt": [str(SCRYPT["n"]), str(SCRYPT["r"]), str(SCRYPT["p"])]})
                finally:
                    self.store.actor = actor
        return user
