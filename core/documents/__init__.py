"""Documents: an official document as data (``official``), rendered to PDF and DOCX, and every
document built on it (report, letters, receipt slip, the case-life forms, evaluation forms),
plus the charts they and the window draw (pure functions returning a matplotlib ``Figure``).

May import ``core.queries``, ``core.files`` and ``core.domain``; never ``core.ops``.
"""
