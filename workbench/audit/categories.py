"""Readable Dutch names of the anonymity audit's flag categories, for the CLI and the TUI.

The stored category keys (``social_handle``, ``licence_plate`` …, see
:data:`workbench.audit.detectors.CATEGORIES`) stay as they are in the database and in JSON;
screens and tables show :func:`label` instead: ``label("social_handle") == "social-media-naam"``.
"""

from __future__ import annotations

__all__ = ["LABELS", "category_key", "label"]

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
    "listed": "eigen lijst",
    "entity": "naam (soort onbekend)",
}


def label(category: str | None) -> str:
    """The readable name of a flag category; an unknown key is shown with spaces for
    underscores (never an empty string)."""
    key = (category or "").strip()
    if not key:
        return "onbekend"
    return LABELS.get(key, LABELS.get(key.lower(), key.replace("_", " ")))


#: Other words a user may write for a category (in a deny-list file, on the command line).
_ALIASES: dict[str, str] = {
    "organisation": "institution", "organization": "institution", "organisatie": "institution",
    "werkgever": "institution", "employer": "institution", "bedrijf": "institution",
    "wijk": "place", "buurt": "place", "neighbourhood": "place", "dorp": "place",
    "stad": "place", "locatie": "place", "persoon": "person", "voornaam": "person",
    "name": "person", "straat": "address", "e-mail": "email", "telefoon": "phone",
    "handle": "social_handle", "account": "social_handle", "lokale naam": "listed",
}


def category_key(word: str) -> str | None:
    """The category key a user means by ``word`` (a key such as ``place``, its Dutch label such
    as ``plaats``, or a common synonym such as ``wijk`` or ``organisatie``); ``None`` if none."""
    folded = " ".join((word or "").split()).casefold()
    if not folded:
        return None
    if folded in LABELS:
        return folded
    for key, shown in LABELS.items():
        if shown.casefold() == folded:
            return key
    return _ALIASES.get(folded)
