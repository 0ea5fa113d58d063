"""The command-line commands of interfaces.md section 1 (no Qt here)."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
from pathlib import Path

from core.domain import indicators
from core.domain import periods
from core.domain import vnformat
from core.queries import figures
from db import errors
from db.audit import PermissionDenied
from db.store import Store, StoreError

OK, BAD_INPUT, USAGE = 0, 1, 2
CLI_WAIT = 120.0  # seconds a command waits for another writer (a desk, another import) before "đang bận"


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def run(args, db_path: Path) -> int:
    if args.command == "restore":
        return cmd_restore(db_path, args.file)
    try:
        store = Store.open(db_path)
    except StoreError as exc:
        _tell_store_error(exc)
        return BAD_INPUT
    if store.read_only_reason:
        _err(store.read_only_reason)
    if not os.environ.get("MOTCUA_BUSY_TIMEOUT"):
        store.db.set_busy_timeout(CLI_WAIT)  # a command may wait longer than a desk for its turn
    try:
        return COMMANDS[args.command](store, args)
    except (StoreError, sqlite3.DatabaseError) as exc:  # named by cause: a message, never a traceback
        _tell_store_error(errors.classify(exc, db_path), db_path)
        return BAD_INPUT
    finally:
        store.close()


def _mapping(store: Store, args):
    """The mapping the command line gives: ``--map`` text or a saved name, and ``--fill``."""
    from core.files import casefile
    from core.files import headers

    mapping = headers.Mapping()
    text = getattr(args, "map", None)
    if text:
        if "=" in text:
            mapping = headers.parse_map(text, casefile.KEYS)
        else:
            saved = store.settings().get(headers.named_key(text))
            if saved is None:
                raise headers.MappingError(f"chưa có cách ghép cột nào tên {text!r}")
            mapping = headers.Mapping.from_json(saved)
    mapping.fills.update(headers.parse_fill(getattr(args, "fill", None), casefile.KEYS))
    for key, said in headers.parse_values(getattr(args, "value", None), casefile.KEYS, casefile.MEANINGS).items():
        mapping.values.setdefault(key, {}).update(said)
    return mapping


def _tell_store_error(exc: BaseException, db_path: Path | None = None) -> None:
    """One wording for every database error; only a really damaged file is sent to its backups."""
    _err(errors.explain(exc, db_path))
    if getattr(exc, "offer_backup", False):
        _err("Dùng `check` để kiểm tra, `restore TỆP` để khôi phục từ một bản sao lưu.")


def cmd_import(store: Store, args) -> int:
    from core import ops
    from core.files import casefile
    from core.files import headers
    from db.imports import StoreDateError

    path = Path(args.file)
    if not path.is_file():
        _err(f"Không tìm thấy tệp {path}")
        return BAD_INPUT
    try:
        mapping = _mapping(store, args)
    except headers.MappingError as exc:
        _err(f"Lỗi --map/--fill: {exc}")
        return USAGE
    update = getattr(args, "update", False)
    # the named mapping is remembered with the cases it brought in, in the import's one transaction
    remember = (headers.named_key(args.save_map), mapping.to_json()) if getattr(args, "save_map", None) else None
    try:
        result = ops.import_file(store, path, skip_invalid=args.skip_invalid, update=update, mapping=mapping,
                                 remember=remember)
    except casefile.CaseFileError as exc:
        if exc.source:
            _err(f"Đọc tệp: {exc.source}")
        _err(*(p.cli for p in exc.problems), "Không nhập hồ sơ nào.")
        return BAD_INPUT
    except StoreDateError as exc:
        _err(f"Lỗi: {exc}", "Không nhập hồ sơ nào.")
        return BAD_INPUT
    checked = result.checked
    n = vnformat.number
    _err(f"Đọc tệp: {checked.source}")
    if checked.layout and len(checked.layout.header_rows) > 1 or checked.layout and checked.layout.header_rows[0] > 1:
        _err("Dòng tiêu đề: " + ", ".join(map(str, checked.layout.header_rows)))
    if checked.ignored_columns:
        _err("Bỏ qua các cột không dùng: " + ", ".join(checked.ignored_columns))
    if checked.notes:
        _err(casefile.notes_text(checked.notes))
    for problem in checked.problems:
        _err(problem.cli)
    for warning in checked.warnings:
        _err("Chú ý: " + warning.cli)
    for key, found in checked.unknown_values.items():  # §2.1: each value not known, with its count
        shown = "; ".join(f"{text!r}: {n(count)} dòng (dòng {', '.join(map(str, rows))}{', …' if count > len(rows) else ''})"
                          for text, (count, rows) in sorted(found.items(), key=lambda t: -t[1][0]))
        _err(f"Giá trị chưa rõ nghĩa ở cột «{casefile.title(key, checked.layout)}»: {shown}. Nói nghĩa bằng "
             f"--value '{key}:GIÁ TRỊ={'|'.join(m for m in casefile.MEANINGS[key] if m)}'")
    if any(p.column == "code" and "đã có trong cơ sở dữ liệu" in p.reason for p in checked.problems):
        _err("Các mã đã có trong cơ sở dữ liệu: dùng --update để cập nhật các hồ sơ đó theo tệp.")
    for key in checked.missing_flags:
        _err(f"Tệp không có cột «{casefile.title(key)}»: giá trị này chưa rõ ở mọi hồ sơ của tệp "
             f"(ghi giá trị chung bằng --fill {key}=0|1).")
    if checked.fee_from_catalogue:
        _err(f"Có phí, lệ phí lấy theo danh mục thủ tục cho {n(checked.fee_from_catalogue)} hồ sơ.")
    if checked.problems and not args.skip_invalid:
        _err(f"Không nhập hồ sơ nào: {n(len(checked.bad_rows))}/{n(checked.total_rows)} dòng có lỗi. "
             "Sửa tệp rồi nhập lại, hoặc dùng --skip-invalid để chỉ nhập các dòng hợp lệ.")
        return BAD_INPUT
    skipped = f" Bỏ qua {n(len(checked.bad_rows))} dòng có lỗi." if checked.problems else ""
    if update:
        for u in checked.updates:
            print(f"  {u['code']} (dòng {u['row']}): " + "; ".join(
                f"{k}: {casefile.shown(k, was)} → {casefile.shown(k, now)}" for k, (was, now) in u["changes"].items()))
        print(f"Mới: {n(result.imported)} hồ sơ; cập nhật: {n(result.updated)}; không đổi: "
              f"{n(checked.unchanged)}.{skipped}")
    else:
        print(f"Đã nhập {n(result.imported)} hồ sơ.{skipped}")
    return OK


def cmd_export(store: Store, args) -> int:
    from core.files import casefile

    try:
        count = casefile.export_file(store, args.file, mask=args.mask_applicants)
    except casefile.CaseFileError as exc:
        _err(*map(str, exc.problems))
        return BAD_INPUT
    except (OSError, StoreError) as exc:
        _err(f"Không ghi được {args.file}: {exc}")
        return BAD_INPUT
    print(f"Đã xuất {vnformat.number(count)} hồ sơ ra {args.file}.")
    return OK


def cmd_indicators(store: Store, args) -> int:
    try:
        period = periods.parse(args.period)
        result = figures.compute(store, period, indicators.Filters(args.officer, args.field))
    except (periods.PeriodError, indicators.UnknownName) as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(indicators.as_table(result, f"Chỉ số {period.label} "
                                          f"({vnformat.date_short(period.start)} – {vnformat.date_short(period.end)})"))
    return OK


def cmd_report(store: Store, args) -> int:
    from core.queries import report
    from core.documents import report as report_doc

    try:
        period = periods.parse(args.period)
    except periods.PeriodError as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    out = Path(args.out) if args.out else None
    kind = out.suffix.lower() if out else ""
    if out and kind not in (".pdf", ".docx", ".xlsx"):
        _err(f"Lỗi: {out.name}: báo cáo ghi ra .pdf, .docx hoặc .xlsx")
        return BAD_INPUT
    compare = getattr(args, "compare", None) or "previous"
    from core.queries import issued

    day = None
    if getattr(args, "as_reported", False):  # reprint what was issued, with what changed since
        found = issued.as_reported(store, period)
        if found is None:
            _err(f"Báo cáo {period.label} chưa được phát hành chính thức (dùng --issue).")
            return BAD_INPUT
        stored, r = found
        day = dt.datetime.fromisoformat(stored["issued_at"]).date()
        _err(issued.differences_text(stored, issued.differences(r, report.build(store, period, compare=compare))))
    elif getattr(args, "issue", False):
        from core import ops

        try:
            number = ops.issue_report(store, period, compare=compare).id
        except PermissionDenied as exc:
            _err(str(exc))
            return BAD_INPUT
        _, r = issued.as_reported(store, period)  # the report as issued, printed from what was kept
        _err(f"Đã phát hành báo cáo {period.label} (số {number}): số liệu được giữ nguyên như đã báo cáo.")
    else:
        r = report.build(store, period, compare=compare)
    if args.text:
        print(report.narrative(r))
    if out:
        if kind == ".xlsx":
            content = lambda tmp: report_doc.to_xlsx(r, tmp)  # noqa: E731 - written at the temporary path
        else:
            code = store.audit.check_code()
            content = (report_doc.render_docx(r, day, check_code=code) if kind == ".docx"
                       else report_doc.render_pdf(r, day, check_code=code))
        if not _save(out, content):
            return BAD_INPUT
        print(f"Đã ghi báo cáo {period.label} vào {args.out}.", file=sys.stderr if args.text else sys.stdout)
    return OK


def cmd_evaluation(store: Store, args) -> int:
    from core.queries import evaluation
    from core.documents import evaluation_forms

    try:
        period = periods.parse(args.period)
        sheets = evaluation.build(store, period, args.officer)
    except (periods.PeriodError, evaluation.EvaluationError, indicators.UnknownName) as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    if not sheets:
        _err("Chưa có cán bộ nào đang làm việc: thêm cán bộ trước.")
        return BAD_INPUT
    if Path(args.out).suffix.lower() == ".docx":  # the same forms, editable in Word
        data = evaluation_forms.docx(sheets, store.settings(), check_code=store.audit.check_code())
    else:
        data = evaluation_forms.pdf(sheets, store.settings(), check_code=store.audit.check_code())
    if not _save(Path(args.out), data):
        return BAD_INPUT
    print(f"Đã ghi {vnformat.number(len(sheets))} phiếu đánh giá {period.label} vào {args.out}.")
    return OK


def cmd_approve(store: Store, args) -> int:
    """Approve a quarter's evaluation (the forms as they are now are stored), or withdraw an
    approval with a reason; written to the audit log under the machine's user."""
    from core import ops
    from core.queries import evaluation
    from db.evaluations import EvaluationLocked

    try:
        period = periods.parse(args.period)
        evaluation.quarter_code(period)
        if args.command == "unapprove":
            ops.unapprove_quarter(store, period.code, args.reason)
            print(f"Đã huỷ duyệt đánh giá {period.label}. Lý do: {' '.join(args.reason.split())}")
            return OK
        for warning in evaluation.approval_warnings(evaluation.compute(store, period), dt.date.today()):
            _err(f"Lưu ý: {warning}")
        done = ops.approve_quarter(store, period, store.settings().get("chairman") or store.actor["username"])
    except (periods.PeriodError, evaluation.EvaluationError, EvaluationLocked, LookupError, ValueError,
            PermissionDenied) as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    print(f"Đã duyệt đánh giá {period.label}: {vnformat.number(len(done.ids))} phiếu được lưu như lúc duyệt.")
    return OK


def _save(path: Path, content) -> bool:
    """Write a document whole or not at all (``core.files.output``); a failure said by its cause."""
    from core.files.output import write_atomically

    try:
        write_atomically(path, content)
    except (OSError, StoreError) as exc:
        _err(f"Không ghi được {path}: {exc}")
        return False
    return True


def cmd_demo(store: Store, args) -> int:
    from core import ops

    def progress(done: int, total: int) -> None:
        print(f"\r{vnformat.number(done)}/{vnformat.number(total)} hồ sơ", end="", file=sys.stderr, flush=True)

    try:
        n = ops.add_demo_cases(store, cases=args.cases, seed=args.seed, years=args.years,
                               progress=progress if sys.stderr.isatty() else None, officers=args.officers).id
    except ops.OpRefused as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Đã tạo {vnformat.number(n)} hồ sơ mẫu.")
    return OK


def cmd_backup(store: Store, args) -> int:
    try:
        dest = store.backup(args.out)
    except (OSError, StoreError) as exc:
        _err(f"Không ghi được bản sao lưu {args.out}: {exc}")
        return BAD_INPUT
    print(f"Đã sao lưu vào {dest}. Mã kiểm tra nhật ký: {store.audit.check_code()}.")
    return OK


def cmd_restore(db_path: Path, source: str) -> int:
    from db.store import restore

    import getpass

    try:
        aside = restore(db_path, source, actor=f"hệ thống ({getpass.getuser()})")
    except StoreError as exc:
        _err(f"Không khôi phục: {exc}")
        return BAD_INPUT
    print(f"Đã khôi phục {_shown(db_path)} từ {source}. Bản trước khi khôi phục: {aside}.")
    return OK


def cmd_check(store: Store, args) -> int:
    problems = store.check(getattr(args, "against", None))
    if problems:
        _err("Cơ sở dữ liệu có lỗi:", *problems)
        return BAD_INPUT
    print(f"Cơ sở dữ liệu toàn vẹn: {vnformat.number(store.case_count())} hồ sơ, "
          f"lược đồ phiên bản {store.schema_version}. Mã kiểm tra nhật ký: {store.audit.check_code()}.")
    return OK


def cmd_rollup(store: Store, args) -> int:
    from core.cli import rollup as rollup_cmd

    return rollup_cmd.run(store, args)


def cmd_copy(store: Store, args) -> int:
    """``copy --to TARGET``: the whole office database into a new one (a SQLite file or a
    PostgreSQL URL), ``check`` run on both sides and their figures compared before the target's
    transaction commits: all or nothing."""
    from db.copy import CopyError, copy_database

    try:
        target, mine, theirs = copy_database(store, args.to)
    except CopyError as exc:
        _err(f"Không chép được từ {store.where} sang {_shown(args.to)}.", str(exc))
        return BAD_INPUT
    where = target.where
    target.close()
    n = vnformat.number
    print(f"Đã chép {n(mine.get('rows:cases', 0))} hồ sơ, {n(mine.get('rows:audit_log', 0))} mục nhật ký "
          f"từ {store.where} sang {where}. Kiểm tra toàn vẹn hai bên: không có lỗi; các số liệu của hai bên "
          f"khớp nhau ({n(len(mine))} số liệu so sánh).")
    return OK


def _shown(location) -> str:
    """A database as the messages name it: a file's path, a server's URL without its password."""
    from db.dialect import is_url

    if is_url(location):
        from db.pg import where_of

        return where_of(location)
    return str(location)


def cmd_index(store: Store, args) -> int:
    from core import ops
    from core.queries import service_index

    try:
        period = periods.parse(args.period)
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                raise service_index.IndexError_(f"--set {item!r}: viết THÀNH_PHẦN=ĐIỂM")
            value = value.strip().replace(",", ".")
            try:
                points = float(value) if value else None
            except ValueError:
                raise service_index.IndexError_(f"--set {item!r}: {value!r} không phải số") from None
            ops.set_index_points(store, period, key.strip(), points)
        if args.model:
            import datetime as dt

            if not args.model_from:
                raise service_index.IndexError_("--model cần --from YYYY-MM-DD (ngày bắt đầu áp dụng)")
            try:
                valid_from = dt.date.fromisoformat(args.model_from)
                model = json.loads(Path(args.model).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise service_index.IndexError_(f"không đọc được {args.model} hoặc ngày {args.model_from}: {exc}") \
                    from None
            ops.set_index_model(store, valid_from, model)
        result = service_index.compute(store, period)
        if args.model_out:
            _, model = store.index.model(period.end)
            if not _save(Path(args.model_out), json.dumps(model, ensure_ascii=False, indent=2).encode("utf-8")):
                return BAD_INPUT
    except (periods.PeriodError, service_index.IndexError_, ops.OpRefused) as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(service_index.as_table(result, period.label))
    return OK


COMMANDS = {
    "copy": cmd_copy,
    "import": cmd_import,
    "export": cmd_export,
    "indicators": cmd_indicators,
    "demo": cmd_demo,
    "evaluation": cmd_evaluation,
    "report": cmd_report,
    "backup": cmd_backup,
    "approve": cmd_approve,
    "unapprove": cmd_approve,
    "check": cmd_check,
    "rollup": cmd_rollup,
    "index": cmd_index,
}
