"""The resource dependency graph, from a DOT file or derived from configuration.

:func:`dependency_graph` is the public entry point: it returns a networkx
``DiGraph`` whose nodes are Terraform's node names (``[root] coder_agent.main
(expand)``) with a ``label`` attribute on resource and provider nodes, and
whose edges point from a node to what it depends on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

    import networkx as nx

    from aitask_lint.tfjson.loader import JsonSource, TerraformDocument


def dependency_graph(
    source: JsonSource | TerraformDocument,
    dot: str | os.PathLike[str] | None = None,
) -> nx.DiGraph[str]:
    """The dependency graph of a plan or state, as networkx ``DiGraph``.

    With ``dot`` (the output of ``terraform graph -type=plan``) the graph is
    read from it; otherwise it is derived from the plan's ``configuration``
    section, or from a state's recorded ``depends_on``, and transitively
    reduced like Terraform's.
    """
    import os

    from aitask_lint.graph.derived import document_graph
    from aitask_lint.graph.dot import load_dot
    from aitask_lint.tfjson.loader import TerraformDocument, load_terraform_json

    if dot is not None:
        return load_dot(os.fspath(dot)).to_networkx()
    document = source if isinstance(source, TerraformDocument) else load_terraform_json(source)
    return document_graph(document).to_networkx()
