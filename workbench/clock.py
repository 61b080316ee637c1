"""Timestamps: one place that says what "now" is (UTC, ISO 8601, second precision)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stamp() -> str:
    """A timestamp for file names: 20261123-181500."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")
