"""Brokerage and bridging across parties and sectors.

* :func:`gould_fernandez` counts the five brokerage roles of Gould & Fernandez (1989) for every node
  over open two-paths ``a -> v -> b`` (``a`` and ``b`` not tied, ``a != b``), split by the groups of
  ``a``, ``v`` and ``b``: coordinator (all one group), itinerant or consultant (``a`` and ``b`` in one
  group, ``v`` in another), representative (``v`` in ``a``'s group, ``b`` outside), gatekeeper (``v`` in
  ``b``'s group, ``a`` outside) and liaison (three groups). As in R ``sna::brokerage``, an undirected
  graph counts each open pair in both directions. z-scores come from a seeded permutation null
  rather than sna's analytic moments. The default null is Gould and Fernandez's *conditional* one:
  the broker's own group is held fixed and the labels of the other nodes are shuffled (group sizes
  fixed), so a broker is compared with brokers of its own group; ``null="unconditional"`` shuffles
  every label, the broker's included (the null govlab used before; it mixes the effect of the
  broker's group with that of its position).
* :func:`ei_index` is Krackhardt & Stern's (1988) E-I index ``(E - I) / (E + I)`` from the group
  mixing of edges, raw and *density-rescaled*: E and I replaced by the density of external and
  internal ties, so that group sizes do not bias it (Everett & Borgatti 2012; the ``rescale=TRUE``
  variant of R ``egor::EI``). ``expected`` is the raw index when ties fall at random given group
  sizes (the baseline Krackhardt & Stern compare against).
* :func:`bipartite_centrality` gives degree, closeness and betweenness of the member-platform
  two-mode graph normalised by the size of the opposite mode (Borgatti & Everett 1997;
  Borgatti & Halgin 2011, as in ``networkx.algorithms.bipartite``), with closeness computed by
  batched ``scipy.sparse.csgraph`` searches and betweenness optionally sampled.
* :func:`sampled_betweenness` is Brandes' betweenness estimated from ``k`` seeded source samples
  (Brandes & Pich 2007) via networkx, or exact (Brandes 2001) through python-igraph when ``k`` is
  ``None`` (igraph's C implementation runs an affiliation graph of a province in seconds where
  networkx takes minutes); :func:`bipartite_centrality` uses igraph for exact betweenness too.
"""
from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from govlab.errors import InputError
from govlab.network.model import Locality, isin

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
NULLS = ("conditional", "unconditional")
MEMBER_NETWORK_VIA = ("platforms", "special_committee", "sector_group", "party_branch", "supervision_group", "department")


# ---------------------------------------------------------------- member network
def _member_pairs(locality: Locality, via: Sequence[str]):
    """Upper-triangle COO of the weighted member projection, and the member index."""
    m = locality.members
    idx = pd.Index(m["member_id"].to_numpy(dtype=object))
    rows, affs = [], []
    if "platforms" in via:
        a = locality.assignments.drop_duplicates(["member_id", "platform_id"])
        rows.append(idx.get_indexer(a["member_id"].to_numpy(dtype=object)))
        affs.append(a["platform_id"].to_numpy(dtype=object))
    kinds = [k for k in via if k != "platforms"]
    if kinds:
        orgs = locality.organisations
        keep = orgs.loc[isin(orgs["kind"], kinds), "org_id"]
        ms = locality.memberships[isin(locality.memberships["org_id"], keep)].drop_duplicates(["member_id", "org_id"])
        rows.append(idx.get_indexer(ms["member_id"].to_numpy(dtype=object)))
        affs.append(ms["org_id"].to_numpy(dtype=object))
        if "department" in kinds:
            t = locality.ties[locality.ties["kind"] == "matched"]
            rows.append(idx.get_indexer(t["source"].to_numpy(dtype=object)))
            affs.append(t["target"].to_numpy(dtype=object))
    if not rows:
        return sp.coo_array((len(idx), len(idx))), idx
    r = np.concatenate(rows)
    aff = np.concatenate(affs)
    ok = r >= 0
    codes, uniq = pd.factorize(aff[ok])
    M = sp.csr_array((np.ones(int(ok.sum())), (r[ok], codes)), shape=(len(idx), len(uniq)))
    return sp.triu(M @ M.T, k=1).tocoo(), idx


def member_ei_index(locality: Locality, attribute: str = "party", *, via: Sequence[str] = MEMBER_NETWORK_VIA) -> pd.DataFrame:
    """:func:`ei_index` of the member network of :func:`member_network`, computed on sparse arrays
    (no networkx graph is built, so it scales to province-sized committees).

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> loc = synthesize("shangyou-620", seed=0)
    >>> a = member_ei_index(loc).set_index("group")["ei"]
    >>> b = ei_index(member_network(loc), "party").set_index("group")["ei"]
    >>> bool((a - b).abs().max() < 1e-12)
    True
    """
    P, idx = _member_pairs(locality, via)
    lab = locality.members[attribute].to_numpy(dtype=object)
    return _ei_table(lab, P.row, P.col)


def member_network(locality: Locality, *, via: Sequence[str] = MEMBER_NETWORK_VIA) -> nx.Graph:
    """Members tied by shared affiliations: platforms and working organisations (not whole committees).

    Parameters
    ----------
    via : sequence of str
        ``"platforms"`` (shared assignment, any role) and organisation kinds (shared membership;
        ``"department"`` uses the ``matched`` ties). Whole committees are left out by default:
        they make one clique per committee and hide brokerage.

    Returns
    -------
    networkx.Graph
        Nodes are member ids with ``party``, ``sector``, ``level`` attributes; edge ``weight`` =
        number of shared affiliations.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> G = member_network(synthesize("shangyou-620", seed=0))
    >>> G.number_of_nodes() == 180
    True
    """
    m = locality.members
    P, idx = _member_pairs(locality, via)
    G = nx.Graph()
    G.add_nodes_from(((i, {"party": pa, "sector": se, "level": lv})
                      for i, pa, se, lv in zip(*(m[c].to_numpy(dtype=object) for c in ("member_id", "party", "sector", "level")))))
    ids = idx.to_numpy(dtype=object)
    G.add_weighted_edges_from(zip(ids[P.row], ids[P.col], P.data.astype(int).tolist()))
    return G


AFFILIATION_ORGS = ("special_committee", "sector_group", "party_branch", "supervision_group", "department")


def affiliation_network(locality: Locality, *, attribute: str = "party",
                        org_kinds: Sequence[str] = AFFILIATION_ORGS) -> nx.Graph:
    """The two-mode network of members and their affiliations: platforms and working organisations.

    Members are tied to the platforms they are assigned to and the organisations they belong to
    (special committees, sector groups, party branches, supervision groups; departments through
    ``matched`` ties); whole committees are left out. Node attribute ``group`` is the member's
    ``attribute`` (party or sector); organisations that belong to one party (or sector) carry it,
    platforms carry ``"platform"`` and other organisations ``"organisation"``. Brokerage on this
    graph follows two-mode brokerage (Jasny & Lubell 2015): platforms and organisations broker
    between members, members between their affiliations.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> G = affiliation_network(synthesize("shangyou-620", seed=0))
    >>> sorted({d["kind"] for _, d in G.nodes(data=True)})
    ['member', 'organisation', 'platform']
    """
    m, p, o = locality.members, locality.platforms, locality.organisations
    G = nx.Graph()
    o_ = lambda df, c: df[c].to_numpy(dtype=object)  # noqa: E731
    G.add_nodes_from(((i, {"kind": "member", "group": g, "party": pa, "sector": se})
                      for i, g, pa, se in zip(o_(m, "member_id"), o_(m, attribute), o_(m, "party"), o_(m, "sector"))))
    G.add_nodes_from(((i, {"kind": "platform", "group": "platform", "type": t}) for i, t in zip(o_(p, "platform_id"), o_(p, "type"))))
    oo = o[isin(o["kind"], list(org_kinds))]
    col = "party" if attribute == "party" else ("sector" if attribute == "sector" else None)
    for i, k, pa, se in zip(o_(oo, "org_id"), o_(oo, "kind"), o_(oo, "party"), o_(oo, "sector")):
        own = {"party": pa, "sector": se}.get(col) if col else None
        grp = own if isinstance(own, str) and k in ("party_branch", "supervision_group", "sector_group") else "organisation"
        G.add_node(i, kind="organisation", group=grp, type=k)
    a = locality.assignments.drop_duplicates(["member_id", "platform_id"])
    G.add_edges_from(zip(o_(a, "member_id"), o_(a, "platform_id")))
    ms = locality.memberships[isin(locality.memberships["org_id"], oo["org_id"])]
    G.add_edges_from(zip(o_(ms, "member_id"), o_(ms, "org_id")))
    if "department" in org_kinds:
        t = locality.ties[locality.ties["kind"] == "matched"]
        G.add_edges_from(zip(o_(t, "source"), o_(t, "target")))
    return G


# ---------------------------------------------------------------- Gould-Fernandez
def _adjacency(G: nx.Graph):
    nodes = list(G.nodes)
    pos = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    if G.number_of_edges():
        e = np.array([(pos[a], pos[b]) for a, b in G.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    else:
        e = np.zeros((0, 2), np.int64)
    if not G.is_directed():
        e = np.concatenate([e, e[:, ::-1]])
    A = sp.csr_array((np.ones(len(e), np.int8), (e[:, 0], e[:, 1])), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1
    return nodes, A


def open_two_paths(A: sp.csr_array, *, chunk: int = 2_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All open two-paths ``a -> v -> b`` (``a != b``, no edge ``a -> b``) of a directed 0/1 CSR matrix.

    Returns
    -------
    (a, v, b) : arrays of int32

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]]))
    >>> [x.tolist() for x in open_two_paths(A)]
    [[0], [1], [2]]
    """
    n = A.shape[0]
    A = sp.csr_array(A)
    A.sort_indices()
    AT = sp.csr_array(A.T)
    AT.sort_indices()
    indeg = np.diff(AT.indptr)
    outdeg = np.diff(A.indptr)
    sizes = indeg.astype(np.int64) * outdeg
    keys = (np.repeat(np.arange(n, dtype=np.int64), outdeg) * n + A.indices.astype(np.int64))  # sorted edge keys
    out_a, out_v, out_b = [], [], []
    # process nodes in groups whose two-path count fits in a chunk
    start = 0
    csum = np.cumsum(sizes)
    while start < n:
        base = csum[start - 1] if start else 0
        stop = int(np.searchsorted(csum, base + chunk, side="right"))
        stop = max(stop, start + 1)
        vs = np.arange(start, min(stop, n))
        sz = sizes[vs]
        tot = int(sz.sum())
        if tot:
            v = np.repeat(vs, sz)
            off = np.arange(tot, dtype=np.int64) - np.repeat(np.cumsum(sz) - sz, sz)
            od = outdeg[v]
            a = AT.indices[AT.indptr[v] + off // od]
            b = A.indices[A.indptr[v] + off % od]
            keep = a != b
            a, b, v = a[keep], b[keep], v[keep]
            k = a.astype(np.int64) * n + b
            j = np.searchsorted(keys, k)
            j = np.minimum(j, len(keys) - 1) if len(keys) else j
            closed = (keys[j] == k) if len(keys) else np.zeros(len(k), bool)
            out_a.append(a[~closed].astype(np.int32))
            out_v.append(v[~closed].astype(np.int32))
            out_b.append(b[~closed].astype(np.int32))
        start = int(vs[-1]) + 1
    if not out_a:
        z = np.zeros(0, np.int32)
        return z, z, z
    return np.concatenate(out_a), np.concatenate(out_v), np.concatenate(out_b)


def _role_counts(a, v, b, labels, n, la=None, lb=None, lv=None):
    la = labels[a] if la is None else la
    lb = labels[b] if lb is None else lb
    lv = labels[v] if lv is None else lv
    role = np.full(len(a), 4, np.int64)  # liaison
    role[(la == lv) & (lv == lb)] = 0  # coordinator
    role[(la == lb) & (la != lv)] = 1  # itinerant
    role[(la == lv) & (lv != lb)] = 2  # representative
    role[(lv == lb) & (la != lv)] = 3  # gatekeeper
    return np.bincount(v.astype(np.int64) * 5 + role, minlength=n * 5).reshape(n, 5)


def _conditional_endpoint_labels(perm, codes, movable_mask, a, v, b, rng):
    """Labels of the ends of each two-path under the conditional null, from one permutation.

    ``perm`` is a uniform shuffle of the labels over the movable positions. For a broker ``v`` the
    null holds ``v``'s own label fixed: swapping ``v`` with a uniformly chosen movable position ``u_v``
    that received ``v``'s label gives a uniform arrangement of the others' labels given ``v``'s.
    Only ``u_v``'s label changes for ``v``'s paths (``a``, ``b`` are never ``v``): it becomes
    ``perm[v]``.
    """
    n = len(codes)
    u = np.full(n, -1, np.int64)
    for g in np.unique(codes[movable_mask]):
        pos = np.flatnonzero(movable_mask & (perm == g))
        brokers = np.flatnonzero(movable_mask & (codes == g))
        u[brokers] = pos[rng.integers(len(pos), size=len(brokers))]
    la, lb = perm[a], perm[b]
    uv = u[v]
    la = np.where(a == uv, perm[v], la)
    lb = np.where(b == uv, perm[v], lb)
    return la, lb


def gould_fernandez(G: nx.Graph, attribute: str, *, n_permutations: int = 100, seed: int = 0,
                    permute=None, null: str = "conditional") -> pd.DataFrame:
    """Gould & Fernandez (1989) brokerage roles of every node, with permutation z-scores.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Undirected graphs count each open pair in both directions (as R ``sna::brokerage`` does
        for a symmetric adjacency matrix).
    attribute : str
        Node attribute holding the group (party, sector ...). Nodes without it form group ``None``.
    n_permutations : int
        Label permutations for the null; 0 skips z-scores.
    seed : int
        Seed of the permutations.
    permute : iterable of nodes, optional
        Nodes whose labels are shuffled among themselves in the null (all nodes by default). In an
        affiliation network pass the members, so platforms and organisations keep their labels.
    null : {"conditional", "unconditional"}
        ``conditional`` (default, Gould & Fernandez 1989): each broker keeps its own group and the
        other nodes' labels are shuffled, so the expected counts are those of a broker of the same
        group in the same position. ``unconditional``: every label is shuffled, the broker's too.

    Returns
    -------
    pandas.DataFrame
        One row per node: ``node, group``, the five role counts, ``total``, and for each role
        ``{role}_expected``, ``{role}_sd`` and ``{role}_z`` (NaN where the null has no spread).

    Examples
    --------
    A directed chain across three groups makes node 1 a liaison:

    >>> G = nx.DiGraph([(0, 1), (1, 2)])
    >>> nx.set_node_attributes(G, {0: "A", 1: "B", 2: "C"}, "party")
    >>> gf = gould_fernandez(G, "party", n_permutations=0)
    >>> gf.loc[gf["node"] == 1, list(ROLES)].to_numpy().tolist()
    [[0, 0, 0, 0, 1]]
    """
    if null not in NULLS:
        raise InputError(f"unknown null {null!r}; expected one of {list(NULLS)}", key="null")
    nodes, A = _adjacency(G)
    n = len(nodes)
    groups = [G.nodes[v].get(attribute) for v in nodes]
    codes, uniq = pd.factorize(pd.Series(groups, dtype=object), use_na_sentinel=False)
    a, v, b = open_two_paths(A)
    obs = _role_counts(a, v, b, codes, n)
    out = pd.DataFrame(obs, columns=list(ROLES))
    out.insert(0, "group", groups)
    out.insert(0, "node", nodes)
    out["total"] = obs.sum(axis=1)
    if n_permutations > 0 and n > 1:
        rng = np.random.default_rng(seed)
        s1 = np.zeros((n, 5))
        s2 = np.zeros((n, 5))
        if permute is None:
            movable = np.arange(n)
        else:
            pset = set(permute)
            movable = np.array([i for i, x in enumerate(nodes) if x in pset], dtype=np.int64)
        movable_mask = np.zeros(n, bool)
        movable_mask[movable] = True
        own = codes[v]
        for _ in range(n_permutations):
            perm = codes.copy()
            perm[movable] = codes[movable][rng.permutation(len(movable))]
            if null == "conditional":
                la, lb = _conditional_endpoint_labels(perm, codes, movable_mask, a, v, b, rng)
                c = _role_counts(a, v, b, perm, n, la=la, lb=lb, lv=own)
            else:
                c = _role_counts(a, v, b, perm, n)
            s1 += c
            s2 += c.astype(float) ** 2
        mean = s1 / n_permutations
        sd = np.sqrt(np.maximum(s2 / n_permutations - mean ** 2, 0.0) * n_permutations / max(1, n_permutations - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0, (obs - mean) / sd, np.nan)
        for j, r in enumerate(ROLES):
            out[f"{r}_expected"] = mean[:, j]
            out[f"{r}_sd"] = sd[:, j]
            out[f"{r}_z"] = z[:, j]
    return out


def brokerage_by_group(gf: pd.DataFrame) -> pd.DataFrame:
    """Sum the role counts of :func:`gould_fernandez` by the broker's group.

    Returns
    -------
    pandas.DataFrame
        ``group, nodes`` and the five role counts and ``total``, sorted by group name.
    """
    g = gf.assign(group=gf["group"].astype("str")).groupby("group", sort=True)
    out = g[list(ROLES) + ["total"]].sum()
    out.insert(0, "nodes", g.size())
    return out.reset_index()


# ---------------------------------------------------------------- E-I index
def ei_index(G: nx.Graph, attribute: str) -> pd.DataFrame:
    """Krackhardt & Stern's (1988) E-I index, raw, expected and density-rescaled, per group and overall.

    For a group g: ``E`` = ties from g to other groups, ``I`` = ties inside g, ``E-I = (E - I)/(E + I)``.
    The rescaled index uses densities, ``(E/possible_E - I/possible_I) / (E/possible_E + I/possible_I)``
    with ``possible_E = n_g (N - n_g)`` and ``possible_I = n_g (n_g - 1) / 2`` (undirected), so that a
    small group is not pushed towards -1 or +1 by its size alone (Everett & Borgatti 2012; R
    ``egor::EI(rescale=TRUE)``). ``expected`` is the raw index when every possible dyad is equally
    likely to be tied. The ``"all"`` row uses all internal and external ties.

    Returns
    -------
    pandas.DataFrame
        ``group, nodes, internal, external, ei, expected, ei_rescaled``.

    Examples
    --------
    Two groups of two, one internal tie each and one tie between them:

    >>> G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B", 3: "B"}, "g")
    >>> ei = ei_index(G, "g").set_index("group")
    >>> float(ei.loc["all", "ei"]), float(ei.loc["all", "ei_rescaled"])
    (-0.3333333333333333, -0.6)
    """
    if G.is_directed():
        G = G.to_undirected()
    nodes = list(G.nodes)
    pos = {v: i for i, v in enumerate(nodes)}
    lab = np.array([G.nodes[v].get(attribute) for v in nodes], dtype=object)
    e = np.array([(pos[a], pos[b]) for a, b in G.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    return _ei_table(lab, e[:, 0], e[:, 1])


def _ei_table(labels: np.ndarray, src: np.ndarray, dst: np.ndarray) -> pd.DataFrame:
    codes, uniq = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=False)
    k = len(uniq)
    sizes = np.bincount(codes, minlength=k).astype(float)
    N = float(len(labels))
    keep = src != dst
    ca, cb = codes[src[keep]], codes[dst[keep]]
    same = ca == cb
    internal = np.bincount(ca[same], minlength=k)
    external = np.bincount(ca[~same], minlength=k) + np.bincount(cb[~same], minlength=k)
    tot_i, tot_e = int(same.sum()), int((~same).sum())

    def row(name, n_nodes, I, E, poss_i, poss_e):
        ei = (E - I) / (E + I) if E + I else float("nan")
        exp = (poss_e - poss_i) / (poss_e + poss_i) if poss_e + poss_i else float("nan")
        di = I / poss_i if poss_i else 0.0
        de = E / poss_e if poss_e else 0.0
        resc = (de - di) / (de + di) if de + di else float("nan")
        return dict(group=name, nodes=n_nodes, internal=int(I), external=int(E), ei=ei, expected=exp, ei_rescaled=resc)

    rows = []
    for j in sorted(range(k), key=lambda j: str(uniq[j])):
        n_g = sizes[j]
        rows.append(row(uniq[j], int(n_g), internal[j], external[j], n_g * (n_g - 1) / 2, n_g * (N - n_g)))
    poss_i = float((sizes * (sizes - 1) / 2).sum())
    poss_e = N * (N - 1) / 2 - poss_i
    rows.append(row("all", int(N), tot_i, tot_e, poss_i, poss_e))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- centralities
BACKENDS = ("auto", "igraph", "networkx")


def _igraph_available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def exact_betweenness(G: nx.Graph, *, backend: str = "auto") -> dict:
    """Exact (unnormalised) betweenness of every node, as ``networkx.betweenness_centrality(G,
    normalized=False)`` gives it (Brandes 2001): pairs counted once in an undirected graph.

    ``backend="auto"`` uses python-igraph's C implementation when installed (a provincial
    affiliation graph in seconds rather than minutes), else networkx.

    Examples
    --------
    >>> exact_betweenness(nx.path_graph(4))
    {0: 0.0, 1: 2.0, 2: 2.0, 3: 0.0}
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; expected one of {list(BACKENDS)}", key="backend")
    if backend == "networkx" or (backend == "auto" and not _igraph_available()):
        return nx.betweenness_centrality(G, normalized=False)
    import igraph as ig

    nodes = list(G.nodes)
    pos = {v: i for i, v in enumerate(nodes)}
    edges = [(pos[x], pos[y]) for x, y in G.edges() if x != y]
    h = ig.Graph(n=len(nodes), edges=edges, directed=G.is_directed())
    if not G.is_directed():
        h.simplify(multiple=True, loops=True)
    bet = h.betweenness(directed=G.is_directed())
    return {v: float(b) for v, b in zip(nodes, bet)}


def bipartite_centrality(B: nx.Graph, top_nodes, *, betweenness_k: int | None = None, seed: int = 0,
                         batch: int = 512, backend: str = "auto") -> pd.DataFrame:
    """Degree, closeness and betweenness of a two-mode graph, normalised by the opposite mode.

    Follows Borgatti & Everett (1997) and the normalisations of ``networkx.algorithms.bipartite``
    (Borgatti & Halgin 2011): degree divided by the size of the other mode; closeness
    ``(m + 2 (n - 1)) / sum of distances`` for a node of a mode of size n against a mode of size m,
    times the share of the graph it reaches; betweenness divided by the two-mode maximum. Closeness
    uses batched ``scipy.sparse.csgraph.shortest_path`` searches (same values as networkx, much
    faster); betweenness is exact, or sampled from ``betweenness_k`` seeded sources.

    Parameters
    ----------
    B : networkx.Graph
        A bipartite graph.
    top_nodes : iterable
        The nodes of one mode (members, say).
    betweenness_k : int, optional
        Sample size for betweenness (exact when None or >= number of nodes).
    seed : int
    batch : int
        Sources per csgraph batch (memory: batch x nodes x 8 bytes).
    backend : {"auto", "igraph", "networkx"}
        Exact betweenness through :func:`exact_betweenness` (igraph when installed).

    Returns
    -------
    pandas.DataFrame
        ``node, mode (0 top / 1 bottom), degree, closeness, betweenness``.

    Examples
    --------
    >>> B = nx.complete_bipartite_graph(2, 3)
    >>> bc = bipartite_centrality(B, [0, 1])
    >>> bc["degree"].tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    nodes, A = _adjacency(B)
    top = set(top_nodes)
    is_top = np.array([v in top for v in nodes])
    n_top, n_bot = int(is_top.sum()), int((~is_top).sum())
    deg = np.diff(A.indptr).astype(float)
    degree = np.where(is_top, deg / max(n_bot, 1), deg / max(n_top, 1))
    N = len(nodes)
    totsp, reach = _closeness_sums(A, batch=batch)
    num = np.where(is_top, n_bot + 2 * (n_top - 1), n_top + 2 * (n_bot - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        clo = np.where((totsp > 0) & (N > 1), num / totsp * (reach - 1) / max(N - 1, 1), 0.0)
    k = None if betweenness_k is None or betweenness_k >= N else int(betweenness_k)
    if k is None:
        bet = exact_betweenness(B, backend=backend)
    else:
        bet = nx.betweenness_centrality(B, k=k, normalized=False, seed=seed)
    n, m = n_top, n_bot
    s_, t = divmod(n - 1, m) if m else (0, 0)
    bmax_top = ((m ** 2) * ((s_ + 1) ** 2) + m * (s_ + 1) * (2 * t - s_ - 1) - t * ((2 * s_) - t + 3)) / 2.0
    p, r = divmod(m - 1, n) if n else (0, 0)
    bmax_bot = ((n ** 2) * ((p + 1) ** 2) + n * (p + 1) * (2 * r - p - 1) - r * ((2 * p) - r + 3)) / 2.0
    b = np.array([bet[v] for v in nodes])
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(is_top, b / bmax_top if bmax_top else 0.0, b / bmax_bot if bmax_bot else 0.0)
    return pd.DataFrame({"node": nodes, "mode": np.where(is_top, 0, 1), "degree": degree, "closeness": clo, "betweenness": b})


def _closeness_sums(A: sp.csr_array, *, batch: int = 512, pack: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Sum of distances to reachable nodes and number of nodes reached (self included), per node.

    Searches run per connected component: small components are packed together into blocks of at
    most ``pack`` nodes, large ones searched in batches of ``batch`` sources on their own submatrix.
    """
    N = A.shape[0]
    totsp = np.zeros(N)
    reach = np.ones(N)
    if N == 0:
        return totsp, reach
    Af = sp.csr_array(A, dtype=np.float64)
    _, lab = csgraph.connected_components(Af, directed=False)
    sizes = np.bincount(lab)
    order = np.argsort(lab, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])

    def run(members):
        sub = Af[members][:, members]
        for s0 in range(0, len(members), batch):
            idx = np.arange(s0, min(len(members), s0 + batch))
            D = csgraph.shortest_path(sub, directed=False, unweighted=True, indices=idx)
            fin = np.isfinite(D)
            totsp[members[idx]] = np.where(fin, D, 0).sum(axis=1)
            reach[members[idx]] = fin.sum(axis=1)

    block: list[np.ndarray] = []
    size = 0
    for c in np.argsort(sizes, kind="stable"):
        if sizes[c] < 2:
            continue
        nodes_c = order[starts[c]:starts[c + 1]]
        if sizes[c] > pack:
            run(nodes_c)
            continue
        if size + sizes[c] > pack and block:
            run(np.concatenate(block))
            block, size = [], 0
        block.append(nodes_c)
        size += int(sizes[c])
    if block:
        run(np.concatenate(block))
    return totsp, reach


def sampled_betweenness(G: nx.Graph, *, k: int | None = 64, seed: int = 0, normalized: bool = True,
                        backend: str = "auto") -> pd.DataFrame:
    """Betweenness centrality estimated from ``k`` seeded source samples (Brandes & Pich 2007).

    Exact when ``k`` is ``None`` or at least the number of nodes: then through
    :func:`exact_betweenness` (python-igraph when installed, ``backend``), else
    ``networkx.betweenness_centrality`` with ``k`` sources. Normalised as networkx does.

    Returns
    -------
    pandas.DataFrame
        ``node, kind, betweenness`` sorted by decreasing betweenness, then node.

    Examples
    --------
    >>> sampled_betweenness(nx.path_graph(3), k=3)["betweenness"].tolist()
    [1.0, 0.0, 0.0]
    """
    if k is not None and k < 1:
        raise InputError(f"k must be at least 1, got {k}", key="k")
    n = G.number_of_nodes()
    kk = None if k is None or k >= n else k
    if kk is None:
        bet = exact_betweenness(G, backend=backend)
        if normalized and n > 2:
            f = 1.0 / ((n - 1) * (n - 2)) if G.is_directed() else 2.0 / ((n - 1) * (n - 2))
            bet = {v: b * f for v, b in bet.items()}
    else:
        bet = nx.betweenness_centrality(G, k=kk, seed=seed, normalized=normalized)
    df = pd.DataFrame({"node": list(bet), "kind": [G.nodes[v].get("kind") for v in bet], "betweenness": list(bet.values())})
    df["_key"] = df["node"].astype(str)
    return df.sort_values(["betweenness", "_key"], ascending=[False, True], kind="stable").drop(columns="_key").reset_index(drop=True)
