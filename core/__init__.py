"""Một Cửa's core: everything but the window, in floors (never Qt).

Each floor is a package and may import only the floors below it (checked by
import-linter, ``[tool.importlinter]`` in ``pyproject.toml``):

- ``core.cli``        the command line: parses arguments, runs operations and queries, prints.
- ``core.ops``        every write of the window and the command line: ``f(store, …) -> OpChanges``.
- ``core.documents``  one document model rendered to PDF and DOCX, and every document built on it.
- ``core.queries``    read models: take a ``Store``, return typed figures; never write.
- ``core.files``      a person's files in and the office's files out (case files, spreadsheets).
- ``core.domain``     the vocabulary and rules: cases, events, periods, working days, the indicator
                      registry. Pure; the only part of ``core`` that ``db`` may import.
"""
