"""Operations on the quarterly staff evaluation: the scores and comments of a form, approving and
withdrawing a quarter, the template of the form (checked by ``template_problem``). Each runs in one
transaction; the window and the command line both call these."""
from __future__ import annotations

import datetime as dt

from core.domain import periods
from core.domain.periods import Period
from core.ops import EVALUATIONS, OpChanges, OpRefused, changed
from core.queries import evaluation


def save_evaluation(store, officer_id: int, quarter: str, manual: dict, comments: str,
                    self_scores: dict | None = None, discipline: str | None = None,
                    discipline_day: dt.date | None = None, today: dt.date | None = None) -> OpChanges:
    """The leader's scores (by criterion key) and comments of one form; the officer's own scores
    and a disciplinary measure when given: one of ``core.domain.discipline.MEASURES`` with the date
    of its decision ('' clears it; None leaves it). An approved quarter is refused by the Store."""
    period = periods.parse(quarter)
    if discipline:
        from core.domain import discipline as rules

        why = rules.problem(discipline, discipline_day, period.start, period.end, today or dt.date.today())
        if why:
            raise OpRefused(why)
        discipline = rules.text(discipline, discipline_day)
    template = store.evaluations.template(period.end)
    by_key = {c.get("key", c.get("id")): c for c in template["criteria"]}
    # the one rule set: refused here too, never cut down to the maximum nor dropped (the leader's
    # scores and the officer's own are checked each, neither hiding the other's)
    over = [*evaluation.scores_over_maximum(by_key, manual or {}),
            *evaluation.scores_over_maximum(by_key, self_scores or {})]
    if over:
        raise OpRefused("; ".join(text for _, text in over) + ".")
    with store.db.atomic():
        store.evaluations.save_entry(officer_id, quarter, manual, comments, self_scores=self_scores,
                                     discipline=discipline)
    return changed(EVALUATIONS, ids=(officer_id,), text=f"Chấm điểm {quarter}")


def approve_quarter(store, period: Period, by: str, today: dt.date | None = None) -> OpChanges:
    """Approve the quarter: the forms as they are now (computed under the write lock) are stored
    and printed from then on."""
    try:
        quarter = evaluation.quarter_code(period)
    except evaluation.EvaluationError as exc:
        raise OpRefused(str(exc)) from None
    with store.db.atomic():
        sheets = evaluation.compute(store, period, today=today)
        store.evaluations.approve(quarter, by, evaluation.snapshot_of(sheets))
    return changed(EVALUATIONS, ids=tuple(s.officer["id"] for s in sheets), text=f"Duyệt đánh giá {period.code}")


def unapprove_quarter(store, quarter: str, reason: str) -> OpChanges:
    """Withdraw an approval: the chairman only, with a reason, in the audit log."""
    with store.db.atomic():
        store.evaluations.unapprove(quarter, reason)
    return changed(EVALUATIONS, text=f"Huỷ duyệt đánh giá {quarter}")


def save_template(store, template: dict, valid_from: dt.date | None = None) -> OpChanges:
    """A new version of the evaluation form's template, checked against the one set of template
    rules (approved quarters keep the version they were approved with)."""
    problem = evaluation.template_problem(template)
    if problem:
        raise OpRefused(problem)
    with store.db.atomic():
        template_id = store.evaluations.save_template(template, valid_from)
    return changed(EVALUATIONS, ids=(template_id,), id=template_id, text="Lưu mẫu phiếu đánh giá")
