"""The figures of one period (interfaces.md section 3), read from the store: ``compute`` -> ``Figures``."""
from __future__ import annotations

import datetime as dt

from core.domain.indicators import COUNT_KEYS, REGISTRY, Figures, Filters, UnknownName
from core.domain.periods import Period


def compute(store, period: Period, filters: Filters = Filters(), today: dt.date | None = None) -> Figures:
    """The period's figures; ``.as_json()`` is the object ``indicators --json`` prints."""
    officer_id = field_id = None
    if filters.officer is not None:
        officer_id = store.officer_id(filters.officer)
        if officer_id is None:
            raise UnknownName(f"không có cán bộ tên {filters.officer!r}")
    if filters.field is not None:
        field_id = store.field_id(filters.field)
        if field_id is None:
            raise UnknownName(f"không có lĩnh vực tên {filters.field!r}")
    counts = store.indicator_counts(period.start, period.end, officer_id=officer_id,
                                    field_id=field_id, today=today)
    return Figures.from_counts(counts, targets(store, period.end), counts={k: counts[k] for k in COUNT_KEYS},
                               start=period.start, end=period.end, filters=filters)


def targets(store, on: dt.date) -> dict[str, float]:
    """The target in force on a date for every rate (the registry's default unless the user set another)."""
    out = {}
    for i in REGISTRY:
        if i.is_rate:
            t = store.target(i.key, on)
            out[i.key] = float(t if t is not None else i.target)
    return out
