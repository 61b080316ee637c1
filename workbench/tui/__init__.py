"""The terminal workbench (Textual). Nothing outside this package imports it at start-up."""
