"""workbench: a keyboard-first terminal workbench for qualitative interview research.

The package is split into a core that knows nothing of the terminal UI (``db``, ``importers``,
``nlp``, ``services``, ``agreement``, ``audit``, ``exports``) and the thin layers that call it:
the click CLI (``workbench.cli``) and the Textual app (``workbench.tui``). Importing this package
imports nothing heavy.
"""

__version__ = "0.1.0"
