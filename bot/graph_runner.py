"""Rasa server piece: the model's graph (language understanding, then the policy) run in order,
without dask.

Rasa runs its prediction graph twice per message at least (once to understand the message, once
per action predicted) through `dask.get`, which for a graph of a dozen nodes spends more on
scheduling than some of the nodes cost: building the dask graph, ordering it, a queue and
callbacks per node. In the cProfile of the running server (README "CPU per intake turn") that
was about 7% of the server's time. Rasa's graph is a plain dependency graph run on one thread
(`dask.get` is the synchronous scheduler), so computing each needed node once, after the nodes it
needs, gives the same results: the same nodes, called the same way (a node receives each input
as `(node name, output)`), and the same error for a failing node. Training keeps Rasa's runner.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner


class InOrderGraphRunner(DaskGraphRunner):
    """Runs the nodes the targets need, each once, depth first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas_by_targets: Dict[tuple, GraphSchema] = {}

    def _minimal_schema(self, targets: List[Text]) -> GraphSchema:
        key = tuple(targets)
        schema = self._schemas_by_targets.get(key)
        if schema is None:
            schema = self._schemas_by_targets[key] = self._graph_schema.minimal_graph_schema(targets)
        return schema

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        schema = self._minimal_schema(run_targets)
        given = inputs or {}
        results: Dict[Text, Any] = {}

        def result_of(name: Text) -> Any:
            if name in results:
                return results[name]
            if name in given:
                value: Any = (name, given[name])
            elif name in schema.nodes:
                needed = [result_of(provider) for provider in schema.nodes[name].needs.values()]
                value = self._instantiated_nodes[name](*needed)
            else:
                value = name  # as dask leaves a key nothing provides: the node reports it
            results[name] = value
            return value

        try:
            return dict(result_of(target) for target in run_targets)
        except RuntimeError as error:  # as Rasa's runner reports dask's
            raise GraphRunError("Error running runner.") from error


def install() -> None:
    """Before the Rasa server loads its model."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = InOrderGraphRunner
