"""``python -m aitask_lint`` runs the CLI."""

from aitask_lint.cli import main

if __name__ == "__main__":
    main()
