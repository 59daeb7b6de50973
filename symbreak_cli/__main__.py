"""``python -m symbreak_cli`` runs the CLI."""

from symbreak_cli.cli.app import main

if __name__ == "__main__":
    main()
