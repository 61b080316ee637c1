"""Anonymity-audit engine for interview transcripts.

This package is a pure library (no database, no UI). It finds text that may
identify a participant or a third party in an (already anonymised) Dutch
interview transcript, so a researcher can check and fix it.

Modules:

* :mod:`workbench.audit.detectors` - the :class:`~workbench.audit.detectors.Flag`
  dataclass, lightweight regex/pattern detectors (social-media handles, Dutch
  licence plates, school names, BSN numbers with the eleven-test, phone
  numbers, e-mail addresses, URLs) and :func:`~workbench.audit.detectors.merge_flags`.
* :mod:`workbench.audit.deduce_engine` - a lazy, thread-safe wrapper around the
  ``deduce`` de-identification library (its lookup tables are built once per
  machine and cached in a user cache folder).
* :mod:`workbench.audit.common_words` - drops one-word person/place flags that
  are ordinary Dutch words here (in lower case elsewhere in the transcript, or a
  common word at a sentence start).
* :mod:`workbench.audit.categories` - readable Dutch names of the categories
  (``label("social_handle") == "social-media-naam"``).
* :mod:`workbench.audit.engine` - :func:`~workbench.audit.engine.audit_text`,
  which combines deduce, the pattern detectors and optional spaCy entities.

Importing this package is cheap: ``deduce`` is only imported when it is first
needed.
"""
