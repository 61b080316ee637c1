"""The command-line interface (click). ``main`` is the ``workbench`` entry point.

Each ``*_cmds`` module registers the commands of one area; they import services lazily so that
``workbench --help`` stays fast.
"""
