"""The convenience entry point: from a path, bytes or dict to a converted state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aitask_lint.tfjson.loader import (
    JsonSource,
    PriorStateMode,
    TerraformDocument,
    check_prior_state,
    load_terraform_json,
)

if TYPE_CHECKING:
    import os

    from aitask_lint.convert.models import ConvertedState
    from aitask_lint.graph.model import ResourceGraph


def convert_state(
    source: JsonSource | TerraformDocument,
    graph: ResourceGraph | str | os.PathLike[str] | None = None,
    *,
    prior_state: PriorStateMode = "all",
    warn: Callable[[str], None] | None = None,
    new_app_id: Callable[[], str] | None = None,
) -> ConvertedState:
    """Run Coder's ``ConvertState`` on a plan or state document.

    ``source`` is a path, bytes, a parsed dict or a loaded
    :class:`TerraformDocument`. ``graph`` is a :class:`ResourceGraph`, a path
    to ``terraform graph`` DOT output, or None to derive the graph from the
    document. ``prior_state`` selects which prior-state resources a plan
    contributes: ``"all"`` as Coder's tests and goldens do, ``"data-only"``
    as Coder's provisioner does in production.
    """
    from aitask_lint.convert.convert import convert_state as _convert
    from aitask_lint.graph.dot import load_dot
    from aitask_lint.graph.model import ResourceGraph

    check_prior_state(prior_state)  # before any reading: a typo is the caller's error
    document = source if isinstance(source, TerraformDocument) else load_terraform_json(source)
    if graph is None:
        from aitask_lint.graph.derived import document_graph

        resolved = document_graph(document)
    elif isinstance(graph, ResourceGraph):
        resolved = graph
    else:
        import os

        resolved = load_dot(os.fspath(graph))
    return _convert(document.root_modules(prior_state), resolved, warn=warn, new_app_id=new_app_id)
