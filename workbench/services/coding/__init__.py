"""Coding passages: codings, their memos and files, references by id, code suggestions."""
