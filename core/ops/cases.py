"""Operations on cases: receive, edit, quick actions, withdraw, papers, delete and restore,
the events of a case's life, and a checked case file written (the import)."""
from __future__ import annotations

import datetime as dt
from functools import partial

from core.domain.cases import action_problem, cross_problems, entry_problems, nfc
from core.ops import CASES, CATALOGUES, SETTINGS, OpChanges, OpRefused, changed
from db.errors import Conflict


def _typed(values: dict) -> dict:
    """Column values (ISO dates) as the rule set reads them (``datetime.date``)."""
    out = dict(values)
    for key in ("received_date", "due_date", "resolved_date"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = dt.date.fromisoformat(out[key])
    return out


CHANGED_SINCE = ("Hồ sơ {code} đã được sửa ở máy khác, qua nhập tệp hoặc có sự kiện ghi sau thay đổi này: "
                 "không hoàn tác hay làm lại, để không mất việc của người khác. "
                 "Xem Lịch sử (Ctrl+H) rồi sửa tay nếu cần.")
GONE = "Hồ sơ này không còn trong sổ (có thể vừa bị xoá ở máy khác): không hoàn tác hay làm lại được."


def _state(store, case_id: int):
    """The case as an action left it, for its undo and redo: its row version, its stored columns
    and its events (kind, day, note, new date), read inside the action's transaction."""
    events = tuple((e["kind"], e["day"], e["note"], e["new_date"]) for e in store.events.of_case(case_id))
    return store.cases.version(case_id), tuple(sorted(store.cases.values(case_id).items())), events


def _refuse_if_changed(store, case_id: int, expect) -> None:
    """An undo or redo goes ahead only on the case as its action left it: the same row version,
    or (after an undo of a later action of this desk, or a change someone made and took back) the
    same columns and events. Anything else (another desk, an import, a later event) is refused."""
    if expect is None:
        return
    try:
        current = store.cases.values(case_id)
    except KeyError:
        raise OpRefused(GONE) from None
    version, values, events = expect
    if store.cases.version(case_id) == version:
        return
    if _state(store, case_id)[1:] != (values, events):
        raise OpRefused(CHANGED_SINCE.format(code=current["code"]))


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
    problems += entry_problems(values)
    problems += cross_problems(_typed(values), today)
    _refuse_if(problems, code)
    with store.db.atomic():
        if auto_code:
            code = values["code"] = store.cases.next_code(today or dt.date.today())
        if store.existing_codes([code]):
            raise OpRefused(f"Mã {code} đã có.")
        case_id = store.cases.add(values)
        if officer_name:
            store.remember("last_officer", officer_name)
        state = _state(store, case_id)
    return changed(CASES, ids=(case_id,), id=case_id, text=f"Tiếp nhận {code}",
                   undo=partial(delete_case, case_id=case_id, reason="Hoàn tác tiếp nhận", expect=state))


def update_case(store, case_id: int, changes: dict, today: dt.date | None = None, text: str = "",
                version: int | None = None, expect=None) -> OpChanges:
    """Change some columns of one case; a change that would break a rule is refused. Given the
    ``version`` the desk read, an edit of a case another desk changed meanwhile is refused with
    "Hồ sơ vừa được người khác sửa" and the case's current values, never saved over them.

    With ``expect`` (the case as the action an undo takes back left it, ``_state``) a case changed
    since, by another desk, an import or a later event, is left as it is and the undo refused."""
    changes = dict(changes)
    if "applicant" in changes:
        changes["applicant"] = nfc(changes["applicant"])
    with store.db.atomic():
        try:
            current = store.cases.values(case_id)
        except KeyError:
            raise OpRefused("Hồ sơ này không còn trong sổ (có thể vừa bị xoá ở máy khác).") from None
        code = current["code"]
        _refuse_if_changed(store, case_id, expect)
        if "code" in changes and changes["code"] != code and store.existing_codes([changes["code"]]):
            raise OpRefused(f"Mã {changes['code']} đã có.")
        old = set(cross_problems(_typed(current), today))
        new = [p for p in cross_problems(_typed({**current, **changes}), today) if p not in old]
        _refuse_if(new, code)  # an old case that already broke a rule may still be corrected
        before = {k: current[k] for k in changes}
        if before == changes:
            return changed(text=text)
        try:
            store.cases.update(case_id, changes, expected_version=version)
        except Conflict as exc:
            raise OpRefused(conflict_text(exc.current, changes)) from None
        state = _state(store, case_id)
    return changed(CASES, ids=(case_id,), id=case_id, text=text or f"Sửa {code}",
                   undo=partial(update_case, case_id=case_id, changes=before, today=today, text=text,
                                expect=state))


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


def delete_case(store, case_id: int, reason: str, expect=None) -> OpChanges:
    """A soft delete with its reason; undo brings the case back. As the undo of a receipt or the
    redo of a delete (``expect``), a case changed since is left in the register."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise OpRefused("Cần ghi lý do xoá hồ sơ.")
    with store.db.atomic():
        if expect is not None:
            _refuse_if_changed(store, case_id, expect)
        case = _current(store, case_id)
        version = store.cases.version(case_id)
        store.cases.delete(case_id, reason)
    return changed(CASES, ids=(case_id,), id=case_id, text=f"Xoá hồ sơ {case['code']}",
                   undo=partial(restore_case, case_id=case_id, reason=reason, version=version))


def restore_case(store, case_id: int, reason: str = "Hoàn tác xoá", version: int | None = None) -> OpChanges:
    """Bring a deleted case back. As an undo (``version``: the case's version when it was deleted),
    a case another desk restored, changed and deleted again meanwhile stays in the bin."""
    with store.db.atomic():
        if version is not None and store.cases.deleted_version(case_id) not in (None, version):
            raise OpRefused("Hồ sơ này đã được khôi phục, sửa rồi xoá lại ở máy khác sau thay đổi này: "
                            "không hoàn tác. Xem danh sách hồ sơ đã xoá nếu cần.")
        try:
            store.cases.restore(case_id)
        except KeyError:
            raise OpRefused("Hồ sơ này không còn trong danh sách đã xoá.") from None
        except Exception as exc:  # its code was given to a new case meanwhile
            if "UNIQUE" in str(exc):
                raise OpRefused("Không khôi phục được: mã hồ sơ đã được dùng cho một hồ sơ khác.") from None
            raise
        state = _state(store, case_id)
    return changed(CASES, ids=(case_id,), id=case_id, text="Khôi phục hồ sơ",
                   undo=partial(delete_case, case_id=case_id, reason=reason, expect=state))


def restore_cases(store, case_ids: list[int]) -> OpChanges:
    """Bring any number of deleted cases back in one transaction (the bin)."""
    try:
        restored = store.cases.restore_many(case_ids)
    except KeyError:
        raise OpRefused("Có hồ sơ không còn trong danh sách đã xoá: tải lại danh sách.") from None
    return changed(CASES, ids=tuple(restored), text=f"Khôi phục {len(restored)} hồ sơ")


def _refuse_action(case: dict, action: str) -> None:
    problem = action_problem(_typed(case), action)
    if problem:
        raise OpRefused(problem)


def _current(store, case_id: int) -> dict:
    try:
        return store.cases.values(case_id)
    except KeyError:
        raise OpRefused("Hồ sơ này không còn trong sổ (có thể vừa bị xoá ở máy khác).") from None


class ImportConflict(OpRefused):
    """The file's write found cases another desk changed since the preview read them: nothing was
    written. ``conflicts``: [{code, row, id, changes: {key: (theirs now, the file's)}}]; import again
    with ``resolve`` {code: "keep" | "take"} (keep theirs, or take the file's)."""

    def __init__(self, conflicts: list[dict]):
        self.conflicts = conflicts
        from core.files import casefile

        def one(c: dict) -> str:
            if not c["changes"]:
                return f"{c['code']} (đã bị xoá)"
            return c["code"] + ": " + "; ".join(
                f"{casefile.title(k)}: máy khác ghi {casefile.shown_value(k, theirs)}, tệp ghi "
                f"{casefile.shown_value(k, mine)}" for k, (theirs, mine) in c["changes"].items())
        shown = "\n".join(one(c) for c in conflicts[:10]) + ("\n…" if len(conflicts) > 10 else "")
        super().__init__(f"{len(conflicts)} hồ sơ đã được người khác sửa sau khi xem trước: chưa ghi gì. "
                         f"Chọn giữ giá trị của họ hay lấy giá trị trong tệp.\n{shown}")


def _recheck(store, cases: list[dict], previewed: list[dict], resolve: dict[str, str]) -> tuple[list, list]:
    """Inside the import's transaction: each case the preview read is read again (its version); one
    another desk changed since, or a code another desk stored since, is written only as ``resolve``
    says, else the whole import is refused with both values (``ImportConflict``)."""
    from core.files import casefile

    codes = [u["code"] for u in previewed] + [c["code"] for c in cases]
    now = store.imports.cases_by_code(codes)
    conflicts, keep_cases, updates = [], [], []

    def diff(file_case: dict, current: dict, keys) -> dict:
        out = {}
        for key in keys:
            if key in ("code",) or key.startswith("_"):
                continue
            mine = file_case.get(key)
            if mine is None and key in casefile.FLAG_KEYS:
                continue  # the file does not know
            if casefile.file_value(key, mine) != current.get(key) and (mine or current.get(key)):
                out[key] = (current.get(key), mine)
        return out

    def take(case_id: int, code: str, current: dict, changes: dict) -> None:
        values = {k: mine for k, (_, mine) in changes.items()}
        merged = _typed({**current, **{k: casefile.file_value(k, v) for k, v in values.items()}})
        _refuse_if(cross_problems(merged), code)
        updates.append((case_id, values))

    for u in previewed:
        current = now.get(u["code"])
        if current is not None and current.get("version") == u.get("version"):
            updates.append((u["id"], {k: (dt.date.fromisoformat(v) if k in casefile._DATES and v else v)
                                      for k, (_, v) in u["changes"].items()}))
            continue
        changes = diff(u["case"], current, u.get("keys") or u["changes"]) if current is not None else {}
        if current is not None and not changes:
            continue  # the other desk wrote what the file says
        choice = resolve.get(u["code"])
        if choice == "keep":
            continue
        if choice == "take" and current is not None:
            take(current["id"], u["code"], current, changes)
            continue
        conflicts.append({"code": u["code"], "row": u.get("row"), "id": u["id"], "changes": changes})
    for case in cases:
        current = now.get(case["code"])
        if current is None:
            keep_cases.append(case)
            continue
        changes = diff(case, current, [k for k in casefile.KEYS if k in case])
        choice = resolve.get(case["code"])
        if not changes or choice == "keep":
            continue
        if choice == "take":
            take(current["id"], case["code"], current, changes)
            continue
        conflicts.append({"code": case["code"], "row": None, "id": current["id"], "changes": changes})
    if conflicts:
        raise ImportConflict(conflicts)
    return keep_cases, updates


def import_cases(store, cases: list[dict], updates: list[tuple[int, dict]], remember: tuple[str, str] | None = None,
                 *, previewed: list[dict] | None = None, resolve: dict[str, str] | None = None,
                 links: dict[str, int] | None = None) -> OpChanges:
    """A checked case file written: new cases inserted, stored ones updated (each change audited with
    its value before), and the column mapping remembered for files of the same shape, in one transaction.

    With ``previewed`` (the ``Checked.updates`` the person saw) what was previewed is read again under
    the write lock first: a case another desk changed since is not overwritten (``ImportConflict``,
    unless ``resolve`` says, by code, "keep" theirs or "take" the file's). ``links``: officer name ->
    user id, the file's officers given to those users' accounts."""
    with store.db.atomic():
        if previewed is not None:
            cases, updates = _recheck(store, cases, previewed, resolve or {})
        n, u = store.imports.apply(cases, updates)
        for name, user_id in (links or {}).items():
            store.users.link_officer(user_id, name)
        if remember:
            store.remember(*remember)
    return changed(CASES, CATALOGUES, ids=(n, u), text=f"Nhập {n} hồ sơ mới, cập nhật {u} hồ sơ")


def record_event(store, case_id: int, kind: str, day: dt.date, note: str = "", new_date: dt.date | None = None,
                 rating: str | None = None, today: dt.date | None = None, expect=None) -> OpChanges:
    """A supplement request or return, an apology with a new date, a refusal, a stop, a rating or a
    complaint, recorded with what it changes on the case; undo takes it back. As a redo (``expect``)
    a case changed since is left as it is."""
    from core.domain.events import KINDS, EventError

    with store.db.atomic():
        _refuse_if_changed(store, case_id, expect)
        case = _current(store, case_id)
        try:
            event_id = store.events.record(case_id, kind, day, note=note, new_date=new_date, rating=rating,
                                           today=today)
        except EventError as exc:
            raise OpRefused(str(exc)) from None
        state = _state(store, case_id)
    text = f"{KINDS[kind][0]} {case['code']}"
    return changed(CASES, ids=(case_id,), id=event_id, text=text,
                   undo=partial(cancel_event, event_id=event_id, today=today, text=text, expect=state))


def cancel_event(store, event_id: int, today: dt.date | None = None, text: str = "", expect=None) -> OpChanges:
    """Take an event back: the case gets its columns as they were; redo records it again. As an
    undo (``expect``), a case changed since (another desk, an import, a later event) is left as it is."""
    with store.db.atomic():
        event = store.events.get(event_id)
        if event is None:
            raise OpRefused("Sự kiện này không còn (có thể vừa được hoàn tác ở máy khác).")
        if store.cases.version(event["case_id"]) is None:
            raise OpRefused(GONE)
        _refuse_if_changed(store, event["case_id"], expect)
        store.events.cancel(event_id)
        state = _state(store, event["case_id"])
    day = dt.date.fromisoformat(event["day"])
    new_date = dt.date.fromisoformat(event["new_date"]) if event["new_date"] else None
    rated = event["kind"] == "rated"
    return changed(CASES, ids=(event["case_id"],), id=event["case_id"], text=text,
                   undo=partial(record_event, case_id=event["case_id"], kind=event["kind"], day=day,
                                note="" if rated else event["note"], new_date=new_date,
                                rating=event["note"] if rated else None, today=today, expect=state))


def import_file(store, path, *, skip_invalid: bool = False, update: bool = False, mapping=None,
                progress=None, remember: tuple[str, str] | None = None):
    """A case file read and checked (``core.files.casefile.check_file``), then written by
    ``import_cases``, the operation the window's import runs. All or nothing by default; with
    ``skip_invalid`` the valid rows go in; with ``update`` a code already stored updates that case.
    Returns the ``casefile.ImportResult`` (what was checked, how many were written)."""
    from core.files import casefile

    checked = casefile.check_file(store, path, progress=progress, mapping=mapping, update=update)
    if checked.problems and not skip_invalid:
        return casefile.ImportResult(checked, 0, False)
    n, u = import_cases(store, checked.cases, casefile.updates_of(checked), remember,
                        previewed=checked.updates, links=checked.links).ids
    return casefile.ImportResult(checked, n, bool(n or u), u)


def add_demo_cases(store, cases: int = 4000, seed: int = 1, years: int | None = None, today: dt.date | None = None,
                   progress=None, officers: int | None = None) -> OpChanges:
    """Fill an empty office with demo data (``core.files.demo``): the office's details, officers
    and cases, in one transaction (a refusal or a failure leaves the file as it was)."""
    from core.files import demo

    more = {} if officers is None else {"officers": officers}
    try:
        with store.db.atomic():
            n = demo.generate(store, cases=cases, seed=seed, years=years, today=today, progress=progress, **more)
    except demo.DemoError as exc:
        raise OpRefused(str(exc)) from None
    return changed(CASES, CATALOGUES, SETTINGS, ids=(n,), id=n, text=f"Tạo {n} hồ sơ mẫu")
