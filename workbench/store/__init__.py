"""The project store: one SQLite file per project, opened through sqlite-utils.

``connection`` opens it (WAL, busy timeout, foreign keys), ``schema`` owns the explicit schema and
its migrations, ``changes`` records every change with who and when so that it can be undone.
"""
