"""Text folding for matching Dutch words as SQLite FTS5 does, for the language layer.

The functions live in :mod:`workbench.textfold` (below the store, which folds lemmas with
them too: :mod:`workbench.store.lemma_edits`); this module names them for the layers above.
"""

from __future__ import annotations

from workbench.textfold import WORD_RE, fold, fold_words, words

__all__ = ["WORD_RE", "fold", "fold_words", "words"]
