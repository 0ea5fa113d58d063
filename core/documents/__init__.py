"""Documents: one engine and every document built on it, plus the charts they and the window draw.

- ``official``: the engine. A ``Document`` as data (header blocks, title, paragraphs of runs, headings,
  tables, images, signatures) rendered by ``render_pdf`` and ``render_docx``; ``fonts`` registers its
  typeface. No other module here builds a PDF or a Word file itself.
- One module per document, each returning ``Document``s: ``report`` (the period's report),
  ``letter`` (the chairman's letter), ``rollup_letter`` (the roll-up's praise-and-reminder letter),
  ``slip`` (the receipt slip with its QR code), ``forms`` (the case-life forms and the register book),
  ``evaluation_forms`` (the quarter's evaluation forms and their ranking); ``notices`` words the short
  Zalo/SMS texts.
- ``charts``: pure functions returning a matplotlib ``Figure`` (the dashboard's, the report's, the roll-up's).

A new document: a module here that builds a ``Document``; the engine renders it both ways.

May import ``core.queries``, ``core.files`` and ``core.domain``; never ``core.ops``.
"""
