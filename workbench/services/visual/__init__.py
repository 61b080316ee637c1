"""Seeing the analysis: the thematic map, code matrices and the phase dashboard as data, and
their drawings (SVG, PNG, Mermaid, CSV, Markdown).

Modules: ``map_model`` (the map as data), ``map_layout`` (where each box goes), ``map_svg`` /
``map_png`` (drawing with matplotlib, imported lazily), ``map_mermaid`` (Mermaid text),
``matrix`` (code matrices and the extracts behind a cell), ``progress`` (the phase dashboard),
``survey_source`` (the survey themes list), ``output`` (writing files to ``exports/``).
Nothing here imports Textual; the terminal screens live in ``workbench.tui.visual``.
"""
