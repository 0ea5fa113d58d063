"""The layers are checked by a machine (import-linter, ``[tool.importlinter]`` in pyproject.toml).

Each test copies the program's packages to a temporary folder, commits a forbidden import
there, and runs ``lint-imports`` on the copy: the contracts must catch it. The tree as it
is must pass.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is installed by the dev extra (.ci/run)")


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("core", "db", "gui", "resources"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree)
    return tree


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=300)


def _add_import(tree: Path, module: str, line: str) -> None:
    path = tree / module
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + "from __future__ import annotations\n" + line + "\n" + rest if rest else line + "\n" + text,
                    encoding="utf-8")


def test_the_tree_keeps_every_contract(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module, line, broken", [
    ("core/domain/cases.py", "import PySide6.QtCore  # noqa", "Qt only in the window"),
    ("core/queries/dashboard.py", "from PySide6 import QtWidgets  # noqa", "Qt only in the window"),
    ("db/store.py", "import gui.messages  # noqa", "db sees only the domain floor of core"),
    ("db/register.py", "from core.queries import report  # noqa", "db sees only the domain floor of core"),
    ("core/domain/periods.py", "from core.ops import changed  # noqa", "core in floors"),
    ("core/queries/figures.py" if (ROOT / "core/queries/figures.py").exists() else "core/queries/dashboard.py",
     "from core.documents import charts  # noqa", "core in floors"),
    ("core/files/casefile.py", "from core.cli import commands  # noqa", "core in floors"),
    ("core/ops/daily.py", "import gui.refresh  # noqa", "the window over the core over the database"),
    ("core/domain/workdays.py", "import reportlab  # noqa", "the domain floor is pure"),
])
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, broken):
    tree = _copy(tmp_path)
    _add_import(tree, module, line)
    result = _lint(tree)
    assert result.returncode != 0, f"{line} in {module} passed the contracts"
    importer = module[:-3].replace("/", ".")
    broken_part = result.stdout.split(broken, 1)[-1]
    assert broken in result.stdout and f"{importer} ->" in broken_part, result.stdout
