"""Operations on users: add, passwords, unlock, (de)activate, one's own password."""
from __future__ import annotations

from core.domain.cases import nfc
from core.ops import USERS, OpChanges, OpRefused, changed


def add_user(store, username: str, password: str, role: str, full_name: str = "",
             officer_id: int | None = None) -> OpChanges:
    user_id = store.users.add(username, password, role, nfc(full_name), officer_id)
    return changed(USERS, ids=(user_id,), id=user_id, text=f"Thêm người dùng {username}")


def set_password(store, user_id: int, password: str) -> OpChanges:
    store.users.set_password(user_id, password)
    return changed(USERS, ids=(user_id,), id=user_id)


def unlock_user(store, user_id: int) -> OpChanges:
    store.users.unlock(user_id)
    return changed(USERS, ids=(user_id,), id=user_id)


def set_user_active(store, user_id: int, active: bool) -> OpChanges:
    if not active and user_id == store.actor.get("id"):
        raise OpRefused("Không tự ngừng tài khoản đang đăng nhập.")
    store.users.update(user_id, {"active": int(bool(active))})
    return changed(USERS, ids=(user_id,), id=user_id)



def change_own_password(store, current: str, new: str) -> OpChanges:
    """The signed-in user's own password: the current one first, then the new one (never undone)."""
    from db.users import AuthError

    actor = store.actor
    if not actor.get("id"):
        raise OpRefused("Chưa đăng nhập: không có mật khẩu để đổi.")
    try:
        store.users.authenticate(actor["username"], current)
    except AuthError:
        raise OpRefused("Mật khẩu hiện tại không đúng.") from None
    store.users.set_password(actor["id"], new)  # checks the new one; a weak one is refused with the reason
    return changed(USERS, id=actor["id"], text="Đổi mật khẩu")
