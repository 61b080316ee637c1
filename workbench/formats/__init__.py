"""File formats, pure: reading and writing files without the project's store or use cases.

- :mod:`~workbench.formats.safety`: reading untrusted archives and XML (size, entry and
  depth limits; defusedxml), for the Word importer and the REFI-QDA exchange alike.

The importers (``workbench.importers``), the YAML reader (``workbench.yamlfile``) and the
writers of the exports move here as issue 16 layers the code (see docs/architecture.md).
"""
