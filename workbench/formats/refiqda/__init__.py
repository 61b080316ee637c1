"""The REFI-QDA formats, pure: what a ``.qdc`` codebook and a ``.qdpx`` project hold, without
the project's store.

- :mod:`~workbench.formats.refiqda.model`: GUIDs, colours, code descriptions and the import
  report.
- :mod:`~workbench.formats.refiqda.codes`: the REFI code tree to and from our themes and codes.
- :mod:`~workbench.formats.refiqda.textmap`: source text <-> transcript text, with exact offset
  maps.

The use cases that read and write them (importing a codebook or a project, exporting one) are in
:mod:`workbench.services.exchange`; reading untrusted archives and XML is
:mod:`workbench.formats.safety`.
"""
