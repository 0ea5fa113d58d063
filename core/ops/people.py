"""Accounts and officers as one person (issue 29): an account linked (or relinked) to the officer
who sits at the desk, an officer created with her account, and the officer's own self-score.

Each is an operation like those of ``core.ops``: the Store and plain values in, ``OpChanges`` out,
a refusal as ``OpRefused`` with the Vietnamese text to show.
"""
from __future__ import annotations

from functools import partial

from core.domain.cases import nfc
from core.ops import CATALOGUES, EVALUATIONS, USERS, OpChanges, OpRefused, changed


def _user(store, user_id: int) -> dict:
    for u in store.users.all():
        if u["id"] == user_id:
            return u
    raise OpRefused("Không còn tài khoản này (có thể vừa bị xoá ở máy khác).")


def link_officer(store, user_id: int, officer_id: int | None) -> OpChanges:
    """The account ``user_id`` is the officer ``officer_id`` (None: no officer); undo puts back the
    officer it had. An officer is one person: an officer already linked to another open account is
    refused, with that account's name."""
    user = _user(store, user_id)
    if officer_id is not None:
        officers = {o["id"]: o["name"] for o in store.officers()}
        if officer_id not in officers:
            raise OpRefused("Không còn cán bộ này trong danh mục.")
        for other in store.users.all():
            if other["officer_id"] == officer_id and other["id"] != user_id and other["active"]:
                raise OpRefused(f"Cán bộ {officers[officer_id]} đã gắn với tài khoản {other['username']}"
                                f" ({other['full_name'] or other['username']}): bỏ gắn ở tài khoản đó trước.")
    before = user["officer_id"]
    store.users.update(user_id, {"officer_id": officer_id})
    text = (f"Gắn tài khoản {user['username']} với cán bộ {officer_name(store, officer_id)}"
            if officer_id is not None else f"Bỏ gắn cán bộ của tài khoản {user['username']}")
    return changed(USERS, ids=(user_id,), id=user_id, text=text,
                   undo=partial(link_officer, user_id=user_id, officer_id=before))


def officer_name(store, officer_id: int | None) -> str:
    for o in store.officers():
        if o["id"] == officer_id:
            return o["name"]
    return ""


def add_officer_account(store, username: str, password: str, full_name: str, position: str = "") -> OpChanges:
    """A new officer's account when she is not yet in the catalogue (a new office, before the first
    import): the officer is created under her full name, so an import naming her finds her, and
    the account is linked to her. All or nothing."""
    name = nfc(" ".join(full_name.split()))
    if not name:
        raise OpRefused("Nhập họ và tên để tạo cán bộ.")
    if store.officer_id(name) is not None:
        raise OpRefused(f"Đã có cán bộ {name} trong danh mục: chọn tên đó ở ô “Là cán bộ”.")
    with store.db.atomic():
        officer_id = store.add_officer(name, position)
        user_id = store.users.add(username, password, "officer", name, officer_id)
    return changed(USERS, CATALOGUES, ids=(user_id,), id=user_id,
                   text=f"Thêm người dùng {username.strip()} và cán bộ {name}")


def save_self_scores(store, officer_id: int, quarter: str, self_scores: dict) -> OpChanges:
    """The officer's own score of each hand-scored criterion (by herself, or a leader)."""
    store.evaluations.save_self_assessment(officer_id, quarter, self_scores)
    return changed(EVALUATIONS, ids=(officer_id,), text=f"Lưu điểm tự chấm {quarter}")
