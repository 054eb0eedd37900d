"""One configuration model for HCL sources and a plan's ``configuration`` section.

Loaders (``from_plan``, ``from_hcl``) build it; the graph, the AI-task
analysis and the lint rules read it, so every static rule runs unchanged on
``.tf`` files and on plan JSON.
"""
