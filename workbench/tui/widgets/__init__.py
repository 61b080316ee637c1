"""Widgets of the workbench: the transcript reader and the codebook panel."""
