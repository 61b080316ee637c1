"""Services: the operations a user can do, shared by the CLI and the terminal UI.

Each module owns one area (transcripts, labels, codebook, coding, …). Services take a
:class:`workbench.project.Project` (or its database) and plain values, return plain data, and
raise :class:`workbench.errors.WorkbenchError` with a message a researcher can act on.
"""
