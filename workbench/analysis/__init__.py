"""Pure computations over texts and codings: they take data, never a database, and never print."""
