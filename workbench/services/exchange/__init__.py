"""REFI-QDA exchange, the use cases: codebooks (``.qdc``) and whole projects (``.qdpx``) with
other QDA tools.

- :mod:`~workbench.services.exchange.codebook`: ``read_qdc`` / ``write_qdc``.
- :mod:`~workbench.services.exchange.project_export` /
  :mod:`~workbench.services.exchange.project_import`: ``.qdpx``.
- :mod:`~workbench.services.exchange.journal`: an import's writes recorded as one change.

The formats themselves are pure and live in :mod:`workbench.formats.refiqda` (model, code tree,
text maps) and :mod:`workbench.formats.safety` (untrusted archives and XML). Nothing here
imports Textual; lxml/xmlschema are only used by the tests.
"""
