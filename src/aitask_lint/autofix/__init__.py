"""Fixes: applying the edits rules attach to findings (``check --fix``, ``--diff``).

Above ``lint`` (it reads findings' fixes), below ``reports``, ``session``
and ``cli``: ``engine`` applies edits in memory, pass by pass, and writes
atomically; the lint passes are a callback, so that the ``check --fix`` flow
(:mod:`aitask_lint.fixrun`, above the session) supplies them.
"""
