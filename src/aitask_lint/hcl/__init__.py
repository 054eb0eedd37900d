"""The HCL syntax layer: ``.tf`` and ``.tf.json`` files as a positioned syntax tree.

:mod:`.parser` walks python-hcl2's lark tree with one lean visitor, keeping
exact positions for every block, attribute and expression; :mod:`.expressions`
is the small expression AST analyses read references and literal values from.
"""
