"""One module per rule; each defines ``RULE``. See :mod:`aitask_lint.lint.rule`."""
