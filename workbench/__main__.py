"""``python -m workbench`` runs the command-line interface."""

from workbench.cli.main import main

if __name__ == "__main__":
    main()
