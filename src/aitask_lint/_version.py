"""The package version, in a module of its own.

Every layer needs it (the parse cache's entry header, SARIF's tool, the CLI's
``--version``), and the package ``__init__`` is the public API at the top of
the layering, so the version cannot live there without every importer
depending on the whole package.
"""

__version__ = "0.1.0"
