"""A person's files in, the office's files out: spreadsheets and CSV read as they come
(``tabular``, ``headers``), the case file of interfaces.md §2 (``casefile``), the demo data,
and the one guard every spreadsheet export uses (``spreadsheet``).

May import ``core.domain`` and ``db`` (for private file creation); never queries, documents or ops.
"""
