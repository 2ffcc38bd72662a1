"""Participation networks: calibrated synthetic localities, their two-tier graphs and measures.

Public API
----------
Data contract (:mod:`govlab.network.model`)
    :class:`Locality`, :func:`validate`, :func:`make_locality`, :data:`SCHEMA`
Configuration (:mod:`govlab.network.config`)
    :class:`LocalityConfig`, :func:`load_locality_config`, :func:`list_locality_configs`
Synthesis (:mod:`govlab.network.synth`)
    :func:`synthesize`
Graph tiers (:mod:`govlab.network.graph`)
    :func:`to_networkx`, :func:`resident_matrix`, :func:`convert`, :func:`to_sparse`,
    :func:`from_sparse`, :func:`member_platform_graph`, :func:`member_projection`,
    :func:`multi_source_hops`
Measures (:mod:`govlab.network.measures`)
    coverage, reach, representativeness, brokerage, robustness (see that package)
"""
from __future__ import annotations

from govlab.network.graph import (
    ResidentMatrix,
    SparseGraph,
    convert,
    csr_from_edges,
    from_sparse,
    member_platform_graph,
    member_projection,
    multi_source_hops,
    resident_matrix,
    synthetic_resident_graph,
    to_networkx,
    to_sparse,
)
from govlab.network.model import (
    DEMOCRATIC_PARTIES,
    MEMBER_LEVELS,
    ORG_KINDS,
    PARTIES,
    PLATFORM_TYPES,
    ROLES,
    SCHEMA,
    TABLES,
    UNIT_LEVELS,
    Locality,
    conform,
    empty_table,
    make_locality,
    validate,
)

__all__ = [
    "Locality", "validate", "make_locality", "conform", "empty_table", "SCHEMA", "TABLES",
    "UNIT_LEVELS", "MEMBER_LEVELS", "PARTIES", "DEMOCRATIC_PARTIES", "PLATFORM_TYPES", "ROLES", "ORG_KINDS",
    "to_networkx", "resident_matrix", "convert", "to_sparse", "from_sparse", "member_platform_graph",
    "member_projection", "multi_source_hops", "csr_from_edges", "synthetic_resident_graph", "ResidentMatrix", "SparseGraph",
    "LocalityConfig", "load_locality_config", "list_locality_configs", "synthesize",
]


def __getattr__(name: str):
    # config and synth are imported lazily (they pull in yaml and scipy.optimize)
    if name in ("LocalityConfig", "load_locality_config", "list_locality_configs", "config_provenance"):
        from govlab.network import config

        return getattr(config, name)
    if name == "synthesize":
        from govlab.network.synth import synthesize

        return synthesize
    raise AttributeError(f"module 'govlab.network' has no attribute {name!r}")
