"""The HCL syntax layer: ``.tf`` and ``.tf.json`` files as a positioned syntax tree.

:mod:`.files` is the entry point (which syntax a file is, the memo, the parse
cache, parallel parsing). :mod:`.parser` parses native syntax with
python-hcl2's lark grammar (:mod:`.grammar`), after a rewrite
(:mod:`.prepare`), through one lean visitor (:mod:`.visitor`) that keeps
exact positions for every block, attribute and expression; :mod:`.jsonsyntax`
reads Terraform's JSON syntax into the same tree. :mod:`.expressions` is the
small expression AST analyses read references and literal values from.
Nothing here imports a layer above the loaders (``tests/test_layering.py``).
"""
