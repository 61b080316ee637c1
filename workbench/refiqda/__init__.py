"""REFI-QDA exchange: codebooks (``.qdc``) and whole projects (``.qdpx``) with other QDA tools.

- :mod:`~workbench.formats.safety`: reading untrusted archives and XML (limits, defusedxml).
- :mod:`~workbench.refiqda.model`: GUIDs, colours, code descriptions and the import report.
- :mod:`~workbench.refiqda.codes`: the REFI code tree to and from our themes and codes.
- :mod:`~workbench.refiqda.codebook`: ``read_qdc`` / ``write_qdc``.
- :mod:`~workbench.refiqda.textmap`: source text <-> transcript text, with exact offset maps.
- :mod:`~workbench.refiqda.project_export` / :mod:`~workbench.refiqda.project_import`: ``.qdpx``.

Nothing here imports Textual; lxml/xmlschema are only used by the tests.
"""
