"""Users, roles and sign-in: scrypt password hashes, a lock-out after repeated failures."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


class AuthError(Exception):
    """Sign-in refused; the message says why without telling which part was wrong."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${key.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(key) // 2, maxmem=64 * 1024 * 1024)
    return hmac.compare_digest(candidate.hex(), key)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if password.isdigit() or password.isalpha():
        return "Mật khẩu cần có cả chữ và số."
    return None


class UsersMixin:
    def users(self) -> list[dict]:
        return list(self.db.query(
            "SELECT u.id, u.username, u.full_name, u.role, u.officer_id, o.name AS officer, u.failed_attempts, "
            "u.locked_until, u.active FROM users u LEFT JOIN officers o ON o.id = u.officer_id "
            "ORDER BY u.username"))

    def has_users(self) -> bool:
        return self.db.execute("SELECT count(*) FROM users").fetchone()[0] > 0

    def add_user(self, username: str, password: str, role: str, full_name: str = "",
                 officer_id: int | None = None) -> int:
        """Add a user; the very first one (the administrator) needs no signed-in user."""
        if self.has_users():
            self._require("users")
        username = username.strip()
        if not username or not username.replace(".", "").replace("_", "").isalnum():
            raise ValueError("Tên đăng nhập chỉ gồm chữ, số, dấu chấm hoặc gạch dưới.")
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        if role not in ("officer", "chairman", "admin"):
            raise ValueError(f"vai trò không hợp lệ: {role}")
        if self.db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise ValueError(f"Đã có người dùng {username}.")
        with self.db.atomic():
            user_id = self.db.table("users").insert({
                "username": username, "full_name": full_name, "role": role, "officer_id": officer_id,
                "password_hash": hash_password(password)}).last_pk
            self._audit("create", "user", user_id, None, {"username": username, "role": role,
                                                          "full_name": full_name, "officer_id": officer_id})
        return user_id

    def set_password(self, user_id: int, password: str) -> None:
        if user_id != self.actor.get("id"):
            self._require("users")
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        with self.db.atomic():
            self.db.table("users").update(user_id, {"password_hash": hash_password(password),
                                                    "failed_attempts": 0, "locked_until": None})
            self._audit("password", "user", user_id)

    def update_user(self, user_id: int, values: dict) -> None:
        self._require("users")
        allowed = {k: v for k, v in values.items() if k in ("full_name", "role", "officer_id", "active")}
        with self.db.atomic():
            self.db.table("users").update(user_id, allowed)
            self._audit("update", "user", user_id, None, allowed)

    def unlock_user(self, user_id: int) -> None:
        self._require("users")
        with self.db.atomic():
            self.db.table("users").update(user_id, {"failed_attempts": 0, "locked_until": None})
            self._audit("unlock", "user", user_id)

    def authenticate(self, username: str, password: str, now: dt.datetime | None = None) -> dict:
        """The user, when the password is right and the account open; ``AuthError`` otherwise."""
        now = now or dt.datetime.now()
        row = self.db.execute(
            "SELECT id, username, full_name, role, officer_id, password_hash, failed_attempts, locked_until, "
            "active FROM users WHERE username = ?", [username.strip()]).fetchone()
        refused = "Tên đăng nhập hoặc mật khẩu không đúng."
        if row is None:
            check_password(password, hash_password("không có ai"))  # the same time either way
            raise AuthError(refused)
        user_id, name, full_name, role, officer_id, stored, failures, locked_until, active = row
        if not active:
            raise AuthError("Tài khoản đã bị ngừng sử dụng.")
        if locked_until and dt.datetime.fromisoformat(locked_until) > now:
            until = dt.datetime.fromisoformat(locked_until)
            raise AuthError(f"Tài khoản tạm khoá đến {until:%H:%M} do nhập sai mật khẩu nhiều lần.")
        if not check_password(password, stored):
            failures += 1
            lock = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds") \
                if failures >= MAX_FAILURES else None
            if getattr(self.db, "refuse_writes", None) is None:  # a file opened read-only keeps no count
                with self.db.atomic():
                    self.db.table("users").update(user_id, {"failed_attempts": 0 if lock else failures,
                                                            "locked_until": lock})
                    self._audit("sign-in refused", "user", user_id, None, {"locked": bool(lock)})
            if lock:
                raise AuthError(f"Nhập sai {MAX_FAILURES} lần: tài khoản tạm khoá {LOCK_MINUTES} phút.")
            raise AuthError(refused)
        if failures or locked_until:  # nothing to write otherwise: a read-only file can be signed into
            with self.db.atomic():
                self.db.table("users").update(user_id, {"failed_attempts": 0, "locked_until": None})
        return {"id": user_id, "username": name, "full_name": full_name, "role": role, "officer_id": officer_id}
