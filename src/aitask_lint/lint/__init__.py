"""Linting: the rule catalog, the context rules read, and the runner."""
