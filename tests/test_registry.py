"""The indicator registry is the one declaration site (issue 23): keys, names as the letters word them,
short names, colours and targets live in core/domain/indicators.py and nowhere else."""
import dataclasses
import re
from pathlib import Path

import pytest

from core.domain import indicators
from core.domain.indicators import BY_KEY, REGISTRY, Figures

ROOT = Path(__file__).resolve().parent.parent
REGISTRY_FILE = ROOT / "core" / "domain" / "indicators.py"
KEYS = "|".join(i.key for i in REGISTRY)


def _sources():
    for folder in ("core", "gui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != REGISTRY_FILE:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_declaring_an_indicator_twice_raises_and_leaves_the_registry_as_it_was():
    with pytest.raises(indicators.DuplicateIndicator, match="on_time"):
        indicators.declare(dataclasses.replace(BY_KEY["on_time"], name="Một tên khác"))
    assert BY_KEY["on_time"].name == "Tỷ lệ hồ sơ giải quyết đúng hạn"
    assert [i.key for i in REGISTRY] == list(BY_KEY)


def test_every_indicator_carries_its_names_colour_and_target_and_figures_have_one_attribute_each():
    for i in REGISTRY:
        assert i.name and i.short and re.fullmatch(r"#[0-9a-f]{6}", i.color) and i.target == 100.0
        assert (i.narrative is not None) == (i.is_rate and i.monthly)  # the report's paragraph names these
    assert len({i.color for i in REGISTRY}) == len(REGISTRY)
    fields = [f.name for f in dataclasses.fields(Figures)]
    assert fields[:len(REGISTRY)] == [i.key for i in REGISTRY]
    assert indicators.RANKED_KEYS == ("digitized_on_receipt", "result_digitized", "online", "on_time", "paid_online")


def test_the_roll_up_letter_and_the_report_word_an_indicator_the_same_way():
    # seed 001: the heading and the request name it with "TTHC", as the report's paragraph does
    # (interfaces.md §4); the summary sentence "Kết quả … đạt 95,47%" drops "TTHC" (§6)
    d = BY_KEY["digitized_on_receipt"]
    assert d.narrative == "tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC khi tiếp nhận"
    assert d.result_name == "tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận"
    assert BY_KEY["result_digitized"].result_name == BY_KEY["result_digitized"].narrative
    # neither document restates a name: both read the registry
    for path, text in _sources():
        for i in REGISTRY:
            for wording in {i.narrative, i.result_wording} - {None}:
                assert wording not in text, f"{path} restates {wording!r}"


def test_no_module_but_the_registry_declares_indicator_names_colours_or_lists_of_keys():
    views = re.compile(r"^\s*(RATE_KEYS|SHORT_NAMES|LETTER_NAMES|NARRATIVE_NAMES|COLORS|INDICATORS)\s*[:=]", re.M)
    rates = "|".join(indicators.RATE_KEYS)  # "e_certified" is also a case's column and a scoring rule
    keyed = re.compile(rf'"({rates})"\s*:\s*"')  # {"on_time": "Đúng hạn", …}: a name or a colour per key
    listed = re.compile(rf'\(\s*"({KEYS})",\s*"({KEYS})"')  # ("digitized_on_receipt", "result_digitized", …)
    found = []
    for path, text in _sources():
        found += [f"{path}: {m.group(0)}" for m in views.finditer(text)]
        # where figures are computed and shown (elsewhere the same words are a case's columns)
        if path.startswith(("core/queries", "core/documents", "core/cli", "gui/dashboard", "gui/rollup",
                            "gui/evaluation", "gui/catalogues", "gui/letter")):
            found += [f"{path}: {m.group(0)}" for pattern in (keyed, listed) for m in pattern.finditer(text)]
    assert found == []


def _readers_of_the_json(text: str) -> set[int]:
    """The lines of the ``from_json`` methods: the one place a stored JSON shape is read back into objects."""
    import ast

    return {n for node in ast.walk(ast.parse(text)) if isinstance(node, ast.FunctionDef) and node.name == "from_json"
            for n in range(node.lineno, node.end_lineno + 1)}


def test_figures_are_read_by_attribute_not_through_the_json_shape():
    # the figures of section 3 and the roll-up's result of section 6 (its averages, its units' rates)
    lookup = re.compile(r'\[\s*"(indicators|indicators_year|average|average_year)"\s*\]')
    found = [f"{path}:{n}" for path, text in _sources() for n, line in enumerate(text.splitlines(), 1)
             if lookup.search(line) and n not in _readers_of_the_json(text)]
    assert found == []


def test_figures_round_trip_through_the_json_of_section_3():
    figures = Figures.from_counts({"received": 160, "online": 1, "resolved": 3, "resolved_early": 2, "e_certified": 4},
                                  {k: 100.0 for k in indicators.RATE_KEYS}, counts={"received": 160})
    data = figures.as_json()
    assert data["indicators"]["online"] == {"numerator": 1, "denominator": 160, "rate": 0.63, "target": 100.0,
                                             "unknown": 0}
    assert data["indicators"]["e_certified"] == {"count": 4}
    assert list(data["indicators"]) == [i.key for i in REGISTRY]
    assert Figures.from_json(data) == figures
    assert figures.on_time.rate == 66.67 and figures.on_time.met is False
    old = {"indicators": {k: v for k, v in data["indicators"].items() if k != "on_time_766"}, "counts": {}}
    assert Figures.from_json(old).on_time_766 is None  # a snapshot stored before the indicator existed
