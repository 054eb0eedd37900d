"""Fixes: applying the edits rules attach to findings (``check --fix``, ``--diff``).

Above ``lint`` (it runs check passes and reads findings' fixes), below
``reports`` and ``cli``. ``engine`` applies edits in memory and writes
atomically; ``session`` is the ``check --fix`` command's flow.
"""
