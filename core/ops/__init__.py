"""Every change the window or the command line makes, as one Qt-free function.

An operation takes the ``Store`` and plain values, checks them against the
one rule set (``core.domain.cases``), makes its change in one write transaction
(``Store.db.atomic()`` takes the write lock at its start), and returns an
``OpChanges`` saying what changed. For a change that can be undone the value
also carries ``undo``: the operation that puts things back, itself returning
the operation that does them again. The window's runner (``gui.operations``)
records the undo entry only after an operation succeeded, and tells every
page what changed through one signal.

A refusal is an ``OpRefused`` (a ``ValueError``) whose text is the Vietnamese
message to show; database trouble arrives as the named errors of ``db.errors``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from core.domain.cases import action_problem, cross_problems, nfc
from db.errors import Conflict

CASES, CATALOGUES, SETTINGS, TARGETS, EVALUATIONS, USERS = (
    "cases", "catalogues", "settings", "targets", "evaluations", "users")
KINDS = (CASES, CATALOGUES, SETTINGS, TARGETS, EVALUATIONS, USERS)


class OpRefused(ValueError):
    """The values break a rule: nothing was written; the text says what to fix."""


Operation = Callable[["object"], "OpChanges"]  # takes the Store


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed: kinds of thing (``CASES``…), the ids touched, and how to undo it."""
    kinds: frozenset = frozenset()
    ids: tuple = ()
    id: int | None = None  # the one record created or changed, when there is one
    undo: Operation | None = field(default=None, compare=False)
    text: str = ""  # what was done, for the undo menu and the status bar

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds & set(kinds))

    @property
    def cases(self) -> bool:
        return CASES in self.kinds

    @property
    def catalogues(self) -> bool:
        return CATALOGUES in self.kinds

    def __or__(self, other: "OpChanges") -> "OpChanges":
        return OpChanges(self.kinds | other.kinds, self.ids + other.ids, other.id or self.id)


def changed(*kinds: str, ids=(), id: int | None = None, undo: Operation | None = None,
            text: str = "") -> OpChanges:
    return OpChanges(frozenset(kinds), tuple(ids), id, undo, text)


NOTHING = OpChanges()
EVERYTHING = OpChanges(frozenset(KINDS))  # another process wrote: anything may have changed


# ---- cases ----------------------------------------------------------------------------------

def _typed(values: dict) -> dict:
    """Column values (ISO dates) as the rule set reads them (``datetime.date``)."""
    out = dict(values)
    for key in ("received_date", "due_date", "resolved_date"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = dt.date.fromisoformat(out[key])
    return out


def _refuse_if(problems: list[tuple[str, str]], code: str = "") -> None:
    if problems:
        head = f"Hồ sơ {code}: " if code else ""
        raise OpRefused(head + "; ".join(reason for _, reason in problems) + ".")


def add_case(store, values: dict, today: dt.date | None = None, officer_name: str | None = None,
             auto_code: bool = False) -> OpChanges:
    """Receive a new case given by column values (ids, ISO dates); ``officer_name`` is remembered
    as the desk's last officer in the same transaction. With ``auto_code`` the code proposed to the
    desk is only a preview: the next free code of the day is allocated inside the save, under the
    write lock, so two desks saving at once never get the same code."""
    values = dict(values)
    if "applicant" in values:
        values["applicant"] = nfc(values["applicant"])
    code = (values.get("code") or "").strip()
    problems = []
    if not code:
        problems.append(("code", "chưa có mã hồ sơ"))
    if values.get("procedure_id") is None:
        problems.append(("procedure_id", "chưa chọn thủ tục"))
    if values.get("officer_id") is None:
        problems.append(("officer_id", "chưa chọn cán bộ"))
    problems += cross_problems(_typed(values), today)
    _refuse_if(problems, code)
    with store.db.atomic():
        if auto_code:
            code = values["code"] = store.next_code(today or dt.date.today())
        if store.existing_codes([code]):
            raise OpRefused(f"Mã {code} đã có.")
        case_id = store.add_case(values)
        if officer_name:
            store.remember("last_officer", officer_name)
    return changed(CASES, ids=(case_id,), id=case_id, text=f"Tiếp nhận {code}",
                   undo=partial(delete_case, case_id=case_id, reason="Hoàn tác tiếp nhận"))


def update_case(store, case_id: int, changes: dict, today: dt.date | None = None, text: str = "",
                version: int | None = None, expect: dict | None = None) -> OpChanges:
    """Change some columns of one case; a change that would break a rule is refused. Given the
    ``version`` the desk read, an edit of a case another desk changed meanwhile is refused with
    "Hồ sơ vừa được người khác sửa" and the case's current values, never saved over them.

    With ``expect`` (what an undo expects to find) a case changed since, by another desk, is
    left as it is and the undo refused."""
    changes = dict(changes)
    if "applicant" in changes:
        changes["applicant"] = nfc(changes["applicant"])
    with store.db.atomic():
        try:
            current = store.case_values(case_id)
        except KeyError:
            raise OpRefused("Hồ sơ này không còn trong sổ (có thể vừa bị xoá ở máy khác).") from None
        code = current["code"]
        if expect is not None and any(current.get(k) != v for k, v in expect.items()):
            raise OpRefused(f"Hồ sơ {code} đã được sửa ở máy khác sau thay đổi này: không hoàn tác, "
                            "để không mất việc của người khác. Xem Lịch sử (Ctrl+H) rồi sửa tay nếu cần.")
        if "code" in changes and changes["code"] != code and store.existing_codes([changes["code"]]):
            raise OpRefused(f"Mã {changes['code']} đã có.")
        old = set(cross_problems(_typed(current), today))
        new = [p for p in cross_problems(_typed({**current, **changes}), today) if p not in old]
        _refuse_if(new, code)  # an old case that already broke a rule may still be corrected
        before = {k: current[k] for k in changes}
        if before == changes:
            return changed(text=text)
        try:
            store.update_case(case_id, changes, expected_version=version)
        except Conflict as exc:
            raise OpRefused(conflict_text(exc.current, changes)) from None
    return changed(CASES, ids=(case_id,), id=case_id, text=text or f"Sửa {code}",
                   undo=partial(update_case, case_id=case_id, changes=before, today=today, text=text,
                                expect=changes))


CONFLICT_NAMES = {"code": "Mã hồ sơ", "applicant": "Người nộp", "received_date": "Ngày tiếp nhận",
                  "due_date": "Ngày hẹn trả", "resolved_date": "Ngày có kết quả", "processing_days": "Thời hạn",
                  "channel": "Hình thức nộp", "digitized": "Số hoá khi tiếp nhận",
                  "result_digitized": "Số hoá kết quả", "has_fee": "Có phí", "paid_online": "Thanh toán trực tuyến",
                  "e_certified": "Chứng thực điện tử", "status": "Trạng thái", "received_time": "Giờ tiếp nhận",
                  "papers": "Thành phần hồ sơ", "procedure_id": "Thủ tục", "officer_id": "Cán bộ",
                  "field_id": "Lĩnh vực"}


def conflict_text(current: dict, wanted: dict) -> str:
    """The refusal of a stale edit, with the values now in the database where they differ from the edit."""
    from core.domain import vnformat

    def shown(key, value):
        if value is None or value == "":
            return "(trống)"
        if key.endswith("_date") and isinstance(value, str):
            return vnformat.date_short(dt.date.fromisoformat(value))
        return str(value)

    differ = [f"{CONFLICT_NAMES.get(k, k)}: {shown(k, current.get(k))}" for k in wanted
              if k in current and current.get(k) != wanted[k]]
    return ("Hồ sơ vừa được người khác sửa: chưa ghi thay đổi của bạn. Giá trị hiện có trong sổ — "
            + ("; ".join(differ) if differ else "như bạn vừa nhập") + ". Mở lại hồ sơ để sửa tiếp.")


QUICK = ("result_digitized", "paid_online", "e_certified")
QUICK_NAMES = {"result_digitized": "số hoá kết quả", "paid_online": "thanh toán trực tuyến",
               "e_certified": "chứng thực điện tử"}


def toggle_flag(store, case_id: int, key: str, today: dt.date | None = None) -> OpChanges:
    """A quick action: turn one of the case's flags on or off, as it is in the file now."""
    if key not in QUICK:
        raise OpRefused(f"không có thao tác nhanh {key}")
    _refuse_action(_current(store, case_id), key)  # at once, without waiting for the write lock
    with store.db.atomic():
        case = _current(store, case_id)  # as it is now that the lock is ours
        _refuse_action(case, key)
        new = 0 if case[key] else 1
        text = f"{'Ghi' if new else 'Bỏ'} {QUICK_NAMES[key]} {case['code']}"
        return update_case(store, case_id, {key: new}, today, text)


def resolve_case(store, case_id: int, day: dt.date, digitized: bool, today: dt.date | None = None) -> OpChanges:
    _refuse_action(_current(store, case_id), "resolved_date")
    with store.db.atomic():
        case = _current(store, case_id)
        _refuse_action(case, "resolved_date")
        return update_case(store, case_id, {"resolved_date": day.isoformat(), "result_digitized": int(digitized)},
                           today, f"Đã giải quyết {case['code']}")


def set_withdrawn(store, case_id: int, withdrawn: bool, today: dt.date | None = None) -> OpChanges:
    with store.db.atomic():
        case = _current(store, case_id)
        problem = action_problem(_typed(case), "status")
        if problem:
            raise OpRefused(problem)
        return update_case(store, case_id, {"status": "withdrawn" if withdrawn else None}, today,
                           f"{'Rút' if withdrawn else 'Bỏ rút'} hồ sơ {case['code']}")


def set_papers(store, case_id: int, papers: str) -> OpChanges:
    with store.db.atomic():
        case = _current(store, case_id)
        return update_case(store, case_id, {"papers": papers}, text=f"Ghi thành phần hồ sơ {case['code']}")


def delete_case(store, case_id: int, reason: str) -> OpChanges:
    """A soft delete with its reason; undo brings the case back."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise OpRefused("Cần ghi lý do xoá hồ sơ.")
    with store.db.atomic():
        case = _current(store, case_id)
        store.soft_delete_case(case_id, reason)
    return changed(CASES, ids=(case_id,), id=case_id, text=f"Xoá hồ sơ {case['code']}",
                   undo=partial(restore_case, case_id=case_id, reason=reason))


def restore_case(store, case_id: int, reason: str = "Hoàn tác xoá") -> OpChanges:
    with store.db.atomic():
        try:
            store.restore_deleted_case(case_id)
        except KeyError:
            raise OpRefused("Hồ sơ này không còn trong danh sách đã xoá.") from None
        except Exception as exc:  # its code was given to a new case meanwhile
            if "UNIQUE" in str(exc):
                raise OpRefused("Không khôi phục được: mã hồ sơ đã được dùng cho một hồ sơ khác.") from None
            raise
    return changed(CASES, ids=(case_id,), id=case_id, text="Khôi phục hồ sơ",
                   undo=partial(delete_case, case_id=case_id, reason=reason))


def restore_cases(store, case_ids: list[int]) -> OpChanges:
    """Bring any number of deleted cases back in one transaction (the bin)."""
    try:
        restored = store.restore_deleted_cases(case_ids)
    except KeyError:
        raise OpRefused("Có hồ sơ không còn trong danh sách đã xoá: tải lại danh sách.") from None
    return changed(CASES, ids=tuple(restored), text=f"Khôi phục {len(restored)} hồ sơ")


def _refuse_action(case: dict, action: str) -> None:
    problem = action_problem(_typed(case), action)
    if problem:
        raise OpRefused(problem)


def _current(store, case_id: int) -> dict:
    try:
        return store.case_values(case_id)
    except KeyError:
        raise OpRefused("Hồ sơ này không còn trong sổ (có thể vừa bị xoá ở máy khác).") from None


def import_cases(store, cases: list[dict], updates: list[tuple[int, dict]], remember: tuple[str, str] | None = None
                 ) -> OpChanges:
    """A checked case file written: new cases inserted, stored ones updated (each change audited with
    its value before), and the column mapping remembered for files of the same shape, in one transaction."""
    with store.db.atomic():
        n, u = store.apply_import(cases, updates)
        if remember:
            store.remember(*remember)
    return changed(CASES, CATALOGUES, ids=(n, u), text=f"Nhập {n} hồ sơ mới, cập nhật {u} hồ sơ")


# ---- settings -------------------------------------------------------------------------------

def set_settings(store, values: dict[str, str]) -> OpChanges:
    with store.db.atomic():
        store.set_settings(values)
    return changed(SETTINGS, text="Sửa thông tin đơn vị")


def remember(store, key: str, value: str) -> OpChanges:
    """A preference of the window (the last officer chosen)."""
    store.remember(key, value)
    return changed()


def with_text(changes: OpChanges, text: str) -> OpChanges:
    return replace(changes, text=text)


# ---- the office and its catalogues ----------------------------------------------------------

def save_office(store, values: dict[str, str]) -> OpChanges:
    """The office's details (names on the forms, the unit code, how long applicants' names are kept)."""
    from core.domain.office import office_problems, office_values

    values = office_values(values)
    problems = office_problems(values)
    if problems:
        raise OpRefused(problems[0])
    return set_settings(store, values)


def add_officer(store, name: str, position: str = "", fields: str = "") -> OpChanges:
    name = nfc(name)
    if not name:
        raise OpRefused("Nhập họ và tên cán bộ.")
    with store.db.atomic():
        if store.officer_id(name) is not None:
            raise OpRefused(f"Đã có cán bộ {name}.")
        officer_id = store.add_officer(name, position, fields)
    return changed(CATALOGUES, ids=(officer_id,), id=officer_id, text=f"Thêm cán bộ {name}")


def update_officer(store, officer_id: int, key: str, value) -> OpChanges:
    if key not in ("name", "position", "fields", "active"):
        raise OpRefused(f"không sửa được cột {key} của cán bộ")
    if key == "name":
        value = nfc(value)
        if not value:
            raise OpRefused("Họ và tên không được để trống.")
    with store.db.atomic():
        if key == "name" and store.officer_id(value) not in (None, officer_id):
            raise OpRefused(f"Đã có cán bộ {value}.")
        store.update_officer(officer_id, {key: value})
    return changed(CATALOGUES, ids=(officer_id,), id=officer_id)


def add_procedure(store, name: str, field: str | None, processing_days: int | None, has_fee: int = 0) -> OpChanges:
    name = nfc(name)
    field = nfc(field) or None
    if not name:
        raise OpRefused("Nhập tên thủ tục.")
    if processing_days is not None and int(processing_days) < 0:
        raise OpRefused("Thời hạn giải quyết phải ≥ 0 ngày.")
    with store.db.atomic():
        if store.procedure_exists(name):
            raise OpRefused(f"Đã có thủ tục {name}.")
        procedure_id = store.add_procedure(name, field, processing_days, int(bool(has_fee)))
    return changed(CATALOGUES, ids=(procedure_id,), id=procedure_id, text=f"Thêm thủ tục {name}")


def update_procedure(store, procedure_id: int, key: str, value) -> OpChanges:
    if key not in ("name", "field", "processing_days", "has_fee"):
        raise OpRefused(f"không sửa được cột {key} của thủ tục")
    if key in ("name", "field"):
        value = nfc(value) or None
        if key == "name" and not value:
            raise OpRefused("Tên thủ tục không được để trống.")
    if key == "processing_days" and (value is None or int(value) < 0):
        raise OpRefused("Thời hạn giải quyết phải ≥ 0 ngày.")
    with store.db.atomic():
        store.update_procedure(procedure_id, {key: value})
    return changed(CATALOGUES, ids=(procedure_id,), id=procedure_id)


def set_target(store, indicator: str, valid_from: dt.date, value: float) -> OpChanges:
    if not 0 <= float(value) <= 100:
        raise OpRefused("Chỉ tiêu là một tỷ lệ từ 0 đến 100 %.")
    with store.db.atomic():
        store.set_target(indicator, valid_from, value)
    return changed(TARGETS, text="Đặt chỉ tiêu")


def delete_target(store, target_id: int) -> OpChanges:
    with store.db.atomic():
        store.delete_target(target_id)
    return changed(TARGETS, ids=(target_id,), text="Xoá chỉ tiêu")


def set_district_average(store, indicator: str, month: str, value: float | None) -> OpChanges:
    if value is not None and not 0 <= float(value) <= 100:
        raise OpRefused("Bình quân của huyện là một tỷ lệ từ 0 đến 100 %.")
    with store.db.atomic():
        store.set_district_average(indicator, month, value)
    return changed(TARGETS, text="Ghi bình quân của huyện")


# ---- evaluations ----------------------------------------------------------------------------

def save_evaluation(store, officer_id: int, quarter: str, manual: dict, comments: str) -> OpChanges:
    with store.db.atomic():
        store.save_evaluation_entry(officer_id, quarter, manual, comments.strip())
    return changed(EVALUATIONS, ids=(officer_id,), id=officer_id, text="Lưu điểm và nhận xét")


def approve_quarter(store, quarter: str, by: str) -> OpChanges:
    with store.db.atomic():
        store.approve_quarter(quarter, by)
    return changed(EVALUATIONS, text=f"Duyệt đánh giá {quarter}")


def save_template(store, template: dict, valid_from: dt.date | None = None) -> OpChanges:
    """A template of the evaluation form, checked against the one set of template rules."""
    from core.queries.evaluation import template_problem

    problem = template_problem(template)
    if problem:
        raise OpRefused(problem)
    with store.db.atomic():
        template_id = store.save_eval_template(template, valid_from)
    return changed(EVALUATIONS, ids=(template_id,), id=template_id, text="Lưu mẫu phiếu đánh giá")


# ---- users ----------------------------------------------------------------------------------

def add_user(store, username: str, password: str, role: str, full_name: str = "",
             officer_id: int | None = None) -> OpChanges:
    user_id = store.add_user(username, password, role, nfc(full_name), officer_id)
    return changed(USERS, ids=(user_id,), id=user_id, text=f"Thêm người dùng {username}")


def set_password(store, user_id: int, password: str) -> OpChanges:
    store.set_password(user_id, password)
    return changed(USERS, ids=(user_id,), id=user_id)


def unlock_user(store, user_id: int) -> OpChanges:
    store.unlock_user(user_id)
    return changed(USERS, ids=(user_id,), id=user_id)


def set_user_active(store, user_id: int, active: bool) -> OpChanges:
    if not active and user_id == store.actor.get("id"):
        raise OpRefused("Không tự ngừng tài khoản đang đăng nhập.")
    store.update_user(user_id, {"active": int(bool(active))})
    return changed(USERS, ids=(user_id,), id=user_id)


# ---- a case's life (issue 14): events, wording, typed-in index points -------------------------

def record_event(store, case_id: int, kind: str, day: dt.date, note: str = "", new_date: dt.date | None = None,
                 rating: str | None = None, today: dt.date | None = None) -> OpChanges:
    """A supplement request or return, an apology with a new date, a refusal, a stop, a rating or a
    complaint, recorded with what it changes on the case; undo takes it back."""
    from core.domain.events import KINDS, EventError

    with store.db.atomic():
        case = _current(store, case_id)
        try:
            event_id = store.record_event(case_id, kind, day, note=note, new_date=new_date, rating=rating,
                                          today=today)
        except EventError as exc:
            raise OpRefused(str(exc)) from None
    text = f"{KINDS[kind][0]} {case['code']}"
    return changed(CASES, ids=(case_id,), id=event_id, text=text,
                   undo=partial(cancel_event, event_id=event_id, today=today, text=text))


def cancel_event(store, event_id: int, today: dt.date | None = None, text: str = "") -> OpChanges:
    """Take an event back: the case gets its columns as they were; redo records it again."""
    with store.db.atomic():
        event = store.case_event(event_id)
        if event is None:
            raise OpRefused("Sự kiện này không còn (có thể vừa được hoàn tác ở máy khác).")
        store.cancel_event(event_id)
    day = dt.date.fromisoformat(event["day"])
    new_date = dt.date.fromisoformat(event["new_date"]) if event["new_date"] else None
    rated = event["kind"] == "rated"
    return changed(CASES, ids=(event["case_id"],), id=event["case_id"], text=text,
                   undo=partial(record_event, case_id=event["case_id"], kind=event["kind"], day=day,
                                note="" if rated else event["note"], new_date=new_date,
                                rating=event["note"] if rated else None, today=today))


def set_wording(store, key: str, value: str | None) -> OpChanges:
    """The office's own text of a form or a notice (None: back to the shipped one)."""
    with store.db.atomic():
        store.set_wording(key, value)
    return changed(SETTINGS, text="Sửa lời văn mẫu phiếu, tin nhắn")


def set_index_points(store, period, key: str, points: float | None) -> OpChanges:
    """Points of a service-index component typed in for a period from the national portal."""
    from core.queries import service_index

    with store.db.atomic():
        try:
            service_index.set_points(store, period, key, points)
        except service_index.IndexError_ as exc:
            raise OpRefused(str(exc)) from None
    return changed(TARGETS, text=f"Nhập điểm chỉ số phục vụ {period.label}")


# ---- users ----------------------------------------------------------------------------------

def change_own_password(store, current: str, new: str) -> OpChanges:
    """The signed-in user's own password: the current one first, then the new one (never undone)."""
    from db.users import AuthError

    actor = store.actor
    if not actor.get("id"):
        raise OpRefused("Chưa đăng nhập: không có mật khẩu để đổi.")
    try:
        store.authenticate(actor["username"], current)
    except AuthError:
        raise OpRefused("Mật khẩu hiện tại không đúng.") from None
    store.set_password(actor["id"], new)  # checks the new one; a weak one is refused with the reason
    return changed(USERS, id=actor["id"], text="Đổi mật khẩu")
