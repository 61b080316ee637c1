"""File formats, pure: reading and writing files without the project's store or use cases.

- :mod:`~workbench.formats.safety`: reading untrusted archives and XML (size, entry and
  depth limits; defusedxml), for the Word importer and the REFI-QDA exchange alike.
- :mod:`~workbench.formats.refiqda`: the REFI-QDA model, code tree and text maps.
- :mod:`~workbench.formats.docx_render`: the Word document the quote and chapter exports write.

The transcript importers (``workbench.formats.importers``) and the YAML reader (``workbench.yamlfile``)
are pure formats too.
"""
