"""Data files shipped with the program: the procedure catalogue, fonts, icons."""
from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path


def path(name: str) -> Path:
    return Path(str(resources.files(__name__).joinpath(name)))


def procedure_catalogue() -> list[dict]:
    """The common commune procedures: name, field, legal time limit (working days), fee."""
    with path("procedures.csv").open(encoding="utf-8", newline="") as fh:
        return [
            {"name": r["name"], "field": r["field"], "processing_days": int(r["processing_days"]),
             "has_fee": int(r["has_fee"])}
            for r in csv.DictReader(fh)
        ]


def evaluation_template() -> dict:
    """The default quarterly evaluation template: title, classification thresholds, criteria."""
    import json

    return json.loads(path("evaluation_template.json").read_text(encoding="utf-8"))


def font(name: str) -> Path:
    return path(f"fonts/{name}")


def form_wording() -> dict:
    """The shipped wording of the case forms (issue 14); the office's own text is stored over it."""
    import json

    return json.loads(path("forms.json").read_text(encoding="utf-8"))


def notice_wording() -> dict:
    """The shipped short notices to copy into Zalo or an SMS, by event."""
    import json

    return json.loads(path("notices.json").read_text(encoding="utf-8"))


def service_index_model() -> dict:
    """Today's weights and curves of the service-index estimate (Quyết định 766/QĐ-TTg)."""
    import json

    return json.loads(path("service_index.json").read_text(encoding="utf-8"))
