"""Facility location and assignment with scipy only.

* :func:`p_median` chooses ``p`` sites minimising the demand-weighted distance to the nearest chosen
  site (Hakimi 1964; ReVelle & Swain 1970 formulation), exactly with ``scipy.optimize.milp`` for
  small instances, or by greedy addition followed by Teitz & Bart (1968) vertex substitution.
* :func:`max_coverage` chooses ``p`` sites maximising the demand within a radius of a chosen site
  (maximal covering location problem, Church & ReVelle 1974), with ``milp`` or greedy addition.
* :func:`assign_capacitated` assigns demands (members) to capacity-limited sites (stations) at
  minimum total cost with ``scipy.optimize.linear_sum_assignment`` on replicated columns.

The measurements behind the choice of solvers are in ``research/networks.md`` (section 4).
"""
from __future__ import annotations

import numpy as np
from scipy import optimize, sparse

from govlab.errors import InputError

MILP_MAX_VARIABLES = 45_000


def distances(a_xy: np.ndarray, b_xy: np.ndarray) -> np.ndarray:
    """Euclidean distances (km) between rows of ``a_xy`` (n x 2) and ``b_xy`` (m x 2).

    Examples
    --------
    >>> distances(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]])).tolist()
    [[5.0]]
    """
    a = np.asarray(a_xy, float)
    b = np.asarray(b_xy, float)
    d = a[:, None, :] - b[None, :, :]
    return np.sqrt((d ** 2).sum(-1))


def _check(cost, weights, p):
    cost = np.asarray(cost, float)
    if cost.ndim != 2:
        raise InputError("expected a 2-d cost matrix (demands x sites)", key="cost")
    n, m = cost.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    if w.shape != (n,) or (w < 0).any():
        raise InputError(f"expected {n} non-negative weights", key="weights")
    if not 1 <= p <= m:
        raise InputError(f"p must lie in 1..{m} (number of candidate sites), got {p}", key="p")
    return cost, w, n, m


def p_median_objective(cost: np.ndarray, weights: np.ndarray | None, sites) -> float:
    """Weighted sum of each demand's cost to its nearest chosen site."""
    cost = np.asarray(cost, float)
    w = np.ones(cost.shape[0]) if weights is None else np.asarray(weights, float)
    return float((w * cost[:, np.asarray(sites)].min(axis=1)).sum())


def p_median(cost, weights=None, p: int = 1, *, method: str = "auto", time_limit: float = 60.0) -> np.ndarray:
    """Choose ``p`` sites minimising the weighted cost of serving each demand from its nearest site.

    Parameters
    ----------
    cost : array (n_demands x n_sites)
        Cost (distance) of serving demand i from site j.
    weights : array (n_demands,), optional
        Demand weights (population); ones by default.
    p : int
        Number of sites to open.
    method : {"auto", "milp", "heuristic"}
        ``"milp"`` solves the ReVelle-Swain integer programme with HiGHS (``x_ij`` relaxed to
        [0, 1], ``y_j`` binary); ``"heuristic"`` runs greedy addition then Teitz-Bart swaps until
        no swap improves; ``"auto"`` uses milp when it has at most 45,000 variables.
    time_limit : float
        Seconds allowed to HiGHS.

    Returns
    -------
    numpy.ndarray
        Sorted indices of the chosen sites.

    Examples
    --------
    >>> cost = np.abs(np.subtract.outer(np.arange(6.0), np.arange(6.0)))  # six points on a line
    >>> p_median(cost, p=2).tolist()
    [1, 4]
    >>> p_median(cost, p=2, method="heuristic").tolist()
    [1, 4]
    """
    cost, w, n, m = _check(cost, weights, p)
    if method == "auto":
        method = "milp" if n * m + m <= MILP_MAX_VARIABLES else "heuristic"
    if method == "milp":
        return _p_median_milp(cost, w, p, time_limit)
    if method == "heuristic":
        return _p_median_heuristic(cost, w, p)
    raise InputError(f"unknown method {method!r}; expected auto, milp or heuristic", key="method")


def _p_median_milp(cost, w, p, time_limit):
    n, m = cost.shape
    nx_ = n * m
    c = np.concatenate([(w[:, None] * cost).ravel(), np.zeros(m)])
    rows_assign = sparse.kron(sparse.eye(n), np.ones((1, m)), format="csr")
    a1 = sparse.hstack([rows_assign, sparse.csr_matrix((n, m))])
    # x_ij - y_j <= 0
    a2 = sparse.hstack([sparse.eye(nx_), -sparse.kron(np.ones((n, 1)), sparse.eye(m))])
    a3 = sparse.hstack([sparse.csr_matrix((1, nx_)), sparse.csr_matrix(np.ones((1, m)))])
    A = sparse.vstack([a1, a2, a3]).tocsr()
    lb = np.concatenate([np.ones(n), np.full(nx_, -np.inf), [p]])
    ub = np.concatenate([np.ones(n), np.zeros(nx_), [p]])
    integrality = np.concatenate([np.zeros(nx_), np.ones(m)])
    res = optimize.milp(c, constraints=optimize.LinearConstraint(A, lb, ub), integrality=integrality,
                        bounds=optimize.Bounds(0, 1), options={"time_limit": time_limit})
    if res.x is None:
        raise InputError(f"milp found no solution: {res.message}", key="p_median")
    y = res.x[nx_:]
    return np.sort(np.argsort(-y, kind="stable")[:p])


def _p_median_heuristic(cost, w, p):
    n, m = cost.shape
    wc = w[:, None] * cost
    # greedy addition
    chosen: list[int] = []
    best = np.full(n, np.inf)
    for _ in range(p):
        total = np.minimum(wc, best[:, None]).sum(axis=0)
        total[chosen] = np.inf
        j = int(np.argmin(total))
        chosen.append(j)
        best = np.minimum(best, wc[:, j])
    chosen_arr = np.array(chosen)
    # Teitz-Bart vertex substitution
    improved = True
    current = wc[:, chosen_arr].min(axis=1).sum()
    while improved:
        improved = False
        sub = wc[:, chosen_arr]
        order = np.argsort(sub, axis=1)
        first = sub[np.arange(n), order[:, 0]]
        second = sub[np.arange(n), order[:, 1]] if p > 1 else np.full(n, np.inf)
        best_gain, best_swap = 1e-9 * max(current, 1.0), None
        for k in range(p):
            alt = np.where(order[:, 0] == k, second, first)
            totals = np.minimum(wc, alt[:, None]).sum(axis=0)
            totals[chosen_arr] = np.inf
            j = int(np.argmin(totals))
            gain = current - totals[j]
            if gain > best_gain:
                best_gain, best_swap = gain, (k, j)
        if best_swap is not None:
            k, j = best_swap
            chosen_arr = chosen_arr.copy()
            chosen_arr[k] = j
            current = wc[:, chosen_arr].min(axis=1).sum()
            improved = True
    return np.sort(chosen_arr)


def max_coverage(cost, weights=None, p: int = 1, *, radius: float, method: str = "auto",
                 time_limit: float = 60.0) -> np.ndarray:
    """Choose ``p`` sites maximising the weight of demands within ``radius`` of a chosen site.

    Parameters
    ----------
    cost : array (n_demands x n_sites)
    weights : array (n_demands,), optional
    p : int
    radius : float
        A demand is covered by a site when ``cost <= radius``.
    method : {"auto", "milp", "greedy"}
        ``"milp"`` solves the Church-ReVelle programme with HiGHS; ``"greedy"`` adds the site
        covering the most uncovered weight, ties to the lowest index; ``"auto"`` uses milp up to
        45,000 variables.

    Returns
    -------
    numpy.ndarray
        Sorted indices of the chosen sites.

    Examples
    --------
    >>> cost = np.abs(np.subtract.outer(np.arange(6.0), np.arange(6.0)))
    >>> max_coverage(cost, np.array([1, 1, 1, 5, 5, 5.0]), p=1, radius=1).tolist()
    [4]
    """
    cost, w, n, m = _check(cost, weights, p)
    cover = cost <= radius
    if method == "auto":
        method = "milp" if n + m <= MILP_MAX_VARIABLES and cover.sum() <= 5_000_000 else "greedy"
    if method == "greedy":
        chosen: list[int] = []
        covered = np.zeros(n, bool)
        for _ in range(p):
            gain = (cover & ~covered[:, None]).T.astype(float) @ w
            gain[chosen] = -1
            j = int(np.argmax(gain))
            chosen.append(j)
            covered |= cover[:, j]
        return np.sort(np.array(chosen))
    if method != "milp":
        raise InputError(f"unknown method {method!r}; expected auto, milp or greedy", key="method")
    # variables: y_j (m, binary), z_i (n, [0,1]); maximise sum w z  ->  minimise -w z
    c = np.concatenate([np.zeros(m), -w])
    A1 = sparse.hstack([-sparse.csr_matrix(cover.astype(float)), sparse.eye(n)])  # z_i - sum_j a_ij y_j <= 0
    A2 = sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))])
    A = sparse.vstack([A1, A2]).tocsr()
    lb = np.concatenate([np.full(n, -np.inf), [p]])
    ub = np.concatenate([np.zeros(n), [p]])
    res = optimize.milp(c, constraints=optimize.LinearConstraint(A, lb, ub),
                        integrality=np.concatenate([np.ones(m), np.zeros(n)]), bounds=optimize.Bounds(0, 1),
                        options={"time_limit": time_limit})
    if res.x is None:
        raise InputError(f"milp found no solution: {res.message}", key="max_coverage")
    return np.sort(np.argsort(-res.x[:m], kind="stable")[:p])


def assign_capacitated(cost, capacity) -> np.ndarray:
    """Assign each demand (row) to one site (column) with capacities, minimising total cost.

    Columns are replicated ``capacity[j]`` times and the rectangular assignment problem is solved
    with ``scipy.optimize.linear_sum_assignment`` (Crouse 2016). When total capacity is smaller
    than the number of demands, the rows that would cost most stay unassigned (``-1``).

    Parameters
    ----------
    cost : array (n_demands x n_sites)
    capacity : array of int (n_sites,)

    Returns
    -------
    numpy.ndarray of int
        Site index per demand, or -1.

    Examples
    --------
    >>> cost = np.array([[0.0, 5.0], [1.0, 6.0], [2.0, 2.5]])
    >>> assign_capacitated(cost, [1, 2]).tolist()
    [0, 1, 1]
    """
    cost = np.asarray(cost, float)
    cap = np.asarray(capacity, dtype=np.int64)
    n, m = cost.shape
    if cap.shape != (m,) or (cap < 0).any():
        raise InputError(f"expected {m} non-negative capacities", key="capacity")
    out = np.full(n, -1, dtype=np.int64)
    if n == 0 or cap.sum() == 0:
        return out
    cols = np.repeat(np.arange(m), cap)
    rows, slot = optimize.linear_sum_assignment(cost[:, cols])
    out[rows] = cols[slot]
    return out
