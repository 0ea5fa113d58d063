"""Operations on the office and its catalogues: the office's details and settings, officers,
procedures, targets, the district averages (typed in or imported from the roll-up's file), the
wording of forms and notices."""
from __future__ import annotations

import datetime as dt

from core.domain.cases import nfc
from core.ops import CATALOGUES, SETTINGS, TARGETS, OpChanges, OpRefused, changed


def set_settings(store, values: dict[str, str]) -> OpChanges:
    with store.db.atomic():
        store.set_settings(values)
    return changed(SETTINGS, text="Sửa thông tin đơn vị")


def remember(store, key: str, value: str) -> OpChanges:
    """A preference of the window (the last officer chosen)."""
    store.remember(key, value)
    return changed()



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



def set_wording(store, key: str, value: str | None) -> OpChanges:
    """The office's own text of a form or a notice (None: back to the shipped one)."""
    with store.db.atomic():
        store.set_wording(key, value)
    return changed(SETTINGS, text="Sửa lời văn mẫu phiếu, tin nhắn")


def import_averages(store, data: bytes) -> OpChanges:
    """The roll-up office's file of pooled averages written into the unit's district averages;
    a file that is not one is refused before anything is written."""
    from core.queries import rollup

    try:
        month, averages = rollup.read_averages(data)
    except rollup.RollupError as exc:
        raise OpRefused(str(exc)) from None
    with store.db.atomic():
        for key, value in averages.items():
            store.set_district_average(key, month, value)
    y, m = month.split("-")
    return changed(TARGETS, text=f"Nhập mức bình quân chung tháng {int(m)}/{y}")
