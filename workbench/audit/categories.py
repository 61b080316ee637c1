"""Readable Dutch names of the anonymity audit's flag categories, for the CLI and the TUI.

The stored category keys (``social_handle``, ``licence_plate`` …, see
:data:`workbench.audit.detectors.CATEGORIES`) stay as they are in the database and in JSON;
screens and tables show :func:`label` instead: ``label("social_handle") == "social-media-naam"``.
"""

from __future__ import annotations

__all__ = ["LABELS", "label"]

#: category key -> how a user reads it (Dutch, like the placeholders and the exports).
LABELS: dict[str, str] = {
    "bsn": "BSN",
    "email": "e-mailadres",
    "phone": "telefoonnummer",
    "url": "website",
    "licence_plate": "kenteken",
    "social_handle": "social-media-naam",
    "identifier": "nummer",
    "address": "adres",
    "school": "school",
    "date": "datum",
    "age": "leeftijd",
    "institution": "instelling",
    "person": "naam",
    "place": "plaats",
    "entity": "naam (model)",
}


def label(category: str | None) -> str:
    """The readable name of a flag category; an unknown key is shown with spaces for
    underscores (never an empty string)."""
    key = (category or "").strip()
    if not key:
        return "onbekend"
    return LABELS.get(key, LABELS.get(key.lower(), key.replace("_", " ")))
