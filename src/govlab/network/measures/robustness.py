"""Robustness: what survives when station heads rotate out or platforms and members drop out.

* :func:`head_rotation` models the term change (换届) the Gansu report describes: station heads who
  are township Party deputy secretaries are rotated out, and their successors are neither members
  nor familiar with the work. A station keeps working when its head stays, or when a member deputy
  carries it on. The measure compares the locality as built with the counterfactual without deputies.
* :func:`fragmentation` removes a random share of platforms or members (seeded, several replicates)
  and reports the components of the member-platform-organisation graph and the residents still
  within reach of a member.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from govlab.errors import InputError
from govlab.network.graph import multi_source_hops, resident_matrix
from govlab.network.model import Locality, isin

SINK_ROLES = ("sunk", "head", "deputy")


def head_rotation(locality: Locality, *, p_rotate: float = 1.0, types: Sequence[str] | None = None,
                  n_reps: int = 1, seed: int = 0) -> pd.DataFrame:
    """Continuity of platforms after a term change, with and without member deputies.

    Each platform whose head is a cadre (``head_is_cadre``) loses its head with probability
    ``p_rotate`` (seeded). A platform *continues* when its head was not rotated out or it has a
    member deputy (``has_deputy``); the ``without_deputies`` scenario sets every ``has_deputy`` to
    False. ``residents_share`` weights continuing platforms by the population of their units.

    Parameters
    ----------
    locality : Locality
    p_rotate : float
        Probability that a cadre head leaves at the term change (1 = all, as the report describes).
    types : list of str, optional
        Platform types considered (all types with a head by default).
    n_reps : int
        Replicates (different draws of who rotates), averaged.
    seed : int

    Returns
    -------
    pandas.DataFrame
        ``scenario, platforms, cadre_headed, rotated, continuing, share_continuing, residents_share``.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> hr = head_rotation(synthesize("gansu-extension", seed=0), types=["workstation"]).set_index("scenario")
    >>> float(hr.loc["without_deputies", "share_continuing"])
    0.0
    >>> bool(hr.loc["with_deputies", "share_continuing"] > 0.9)
    True
    """
    if not 0.0 <= p_rotate <= 1.0:
        raise InputError(f"p_rotate must lie in [0, 1], got {p_rotate}", key="p_rotate")
    p = locality.platforms
    p = p[p["head_member_id"].notna()]
    if types is not None:
        p = p[isin(p["type"], list(types))]
    pop = p["unit_id"].map(dict(zip(locality.units["unit_id"], locality.units["population"]))).to_numpy(dtype=float)
    cadre = p["head_is_cadre"].to_numpy(dtype=bool)
    deputy = p["has_deputy"].to_numpy(dtype=bool)
    rows = []
    children = np.random.SeedSequence(seed).spawn(max(1, n_reps))
    for scen, dep in (("with_deputies", deputy), ("without_deputies", np.zeros_like(deputy))):
        acc = []
        for ch in children:
            rng = np.random.default_rng(ch)
            rotated = cadre & (rng.random(len(p)) < p_rotate)
            cont = ~rotated | dep
            acc.append((rotated.sum(), cont.sum(), float(pop[cont].sum() / pop.sum()) if pop.sum() else float("nan")))
        acc = np.array(acc, dtype=float)
        n = len(p)
        rows.append(dict(scenario=scen, platforms=n, cadre_headed=int(cadre.sum()), rotated=float(acc[:, 0].mean()),
                         continuing=float(acc[:, 1].mean()), share_continuing=float(acc[:, 1].mean() / n) if n else float("nan"),
                         residents_share=float(acc[:, 2].mean())))
    return pd.DataFrame(rows)


def _small_graph(locality: Locality):
    """Sparse member-platform-organisation graph (no units), positions by kind."""
    m, p, o = locality.members, locality.platforms, locality.organisations
    ids = pd.Index(pd.concat([m["member_id"], p["platform_id"], o["org_id"]], ignore_index=True).astype("str"))
    kind = np.concatenate([np.zeros(len(m), np.int8), np.ones(len(p), np.int8), np.full(len(o), 2, np.int8)])
    a = locality.assignments
    ms = locality.memberships
    t = locality.ties
    src = np.concatenate([ids.get_indexer(a["member_id"]), ids.get_indexer(ms["member_id"]), ids.get_indexer(t["source"])])
    dst = np.concatenate([ids.get_indexer(a["platform_id"]), ids.get_indexer(ms["org_id"]), ids.get_indexer(t["target"])])
    ok = (src >= 0) & (dst >= 0)
    src, dst = src[ok], dst[ok]
    n = len(ids)
    A = sp.csr_array((np.ones(2 * len(src)), (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n))
    return A, kind


def fragmentation(locality: Locality, *, remove: str = "platforms", fractions: Sequence[float] = (0.0, 0.1, 0.25, 0.5),
                  n_reps: int = 3, seed: int = 0, k: int = 4, include_committees: bool = False) -> pd.DataFrame:
    """Fragmentation of the network as platforms or members drop out at random.

    For each fraction and replicate (seeded by ``SeedSequence(seed)``), the chosen share of
    platforms (or members) is removed. Reported: the number of connected components of the
    member-platform-organisation graph and the share of its remaining members in the largest one
    (whole committees excluded unless ``include_committees``, since a committee ties all its members),
    and the share of residents with a member within ``k`` hops on the resident-tier graph.

    Parameters
    ----------
    locality : Locality
    remove : {"platforms", "members"}
    fractions : sequence of float in [0, 1]
    n_reps : int
    seed : int
    k : int
        Hop threshold for resident reach (4 = a member sunk to the resident's township platform).
    include_committees : bool

    Returns
    -------
    pandas.DataFrame
        ``remove, fraction, replicate, removed, components, giant_member_share, residents_within_k``.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> f = fragmentation(synthesize("shangyou-620", seed=0), fractions=(0.0, 0.5), n_reps=2)
    >>> bool(f.groupby("fraction")["residents_within_k"].mean().is_monotonic_decreasing)
    True
    """
    if remove not in ("platforms", "members"):
        raise InputError(f"remove must be 'platforms' or 'members', got {remove!r}", key="remove")
    for f in fractions:
        if not 0.0 <= f <= 1.0:
            raise InputError(f"fractions must lie in [0, 1], got {f}", key="fractions")
    loc = locality
    if not include_committees:
        comm = loc.organisations.loc[loc.organisations["kind"] == "committee", "org_id"]
        ms = loc.memberships[~isin(loc.memberships["org_id"], comm)]
        loc_small = loc.replace(memberships=ms, check=False)
    else:
        loc_small = loc
    A, kind = _small_graph(loc_small)
    sa = loc.assignments[isin(loc.assignments["role"], SINK_ROLES)]
    R_sink = resident_matrix(loc.replace(assignments=sa, check=False), members_home=False)
    n_s = len(loc.residents)
    w = loc.residents["count"].to_numpy(dtype=float)
    target_kind = 1 if remove == "platforms" else 0
    target_pos = np.flatnonzero(kind == target_kind)
    r_target = R_sink.positions("platform" if remove == "platforms" else "member")
    r_members = R_sink.positions("member")
    rows = []
    grid = [(f, r) for f in fractions for r in range(n_reps)]
    children = np.random.SeedSequence(seed).spawn(len(grid))
    for (f, rep), ch in zip(grid, children):
        rng = np.random.default_rng(ch)
        n_rm = int(round(f * len(target_pos)))
        pick = np.sort(rng.choice(len(target_pos), size=n_rm, replace=False)) if n_rm else np.zeros(0, np.int64)
        keep = np.ones(A.shape[0], bool)
        keep[target_pos[pick]] = False
        sub = A[keep][:, keep]
        ncomp, lab = csgraph.connected_components(sub, directed=False)
        mem_lab = lab[(kind[keep] == 0)]
        giant = float(np.bincount(mem_lab).max() / len(mem_lab)) if len(mem_lab) else float("nan")
        keep_r = np.ones(R_sink.adjacency.shape[0], bool)
        keep_r[r_target[pick]] = False
        Dr = sp.diags_array(keep_r.astype(float))
        Ar = sp.csr_array(Dr @ R_sink.adjacency @ Dr)
        src = r_members[keep_r[r_members]]
        h = multi_source_hops(Ar, src, limit=k)[:n_s]
        within = float(w[h <= k].sum() / w.sum()) if w.sum() else float("nan")
        rows.append(dict(remove=remove, fraction=float(f), replicate=rep, removed=n_rm, components=int(ncomp),
                         giant_member_share=giant, residents_within_k=within))
    return pd.DataFrame(rows)
