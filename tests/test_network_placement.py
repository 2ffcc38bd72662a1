"""Facility location and capacitated assignment against brute force on small instances."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from govlab.errors import InputError
from govlab.network.placement import (
    assign_capacitated,
    distances,
    max_coverage,
    p_median,
    p_median_objective,
)


def instance(n=12, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2)) * 50
    return distances(xy, xy), rng.integers(1, 100, n).astype(float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_p_median_milp_is_optimal(seed):
    D, w = instance(seed=seed)
    p = 3
    best = min(p_median_objective(D, w, c) for c in itertools.combinations(range(len(w)), p))
    got = p_median(D, w, p, method="milp")
    assert len(got) == p
    assert p_median_objective(D, w, got) == pytest.approx(best)


def test_teitz_bart_heuristic_is_close_to_optimal():
    D, w = instance(n=60, seed=4)
    exact = p_median_objective(D, w, p_median(D, w, 6, method="milp"))
    heur = p_median_objective(D, w, p_median(D, w, 6, method="heuristic"))
    assert exact <= heur <= 1.03 * exact


@pytest.mark.parametrize("seed", [0, 3])
def test_max_coverage_milp_and_greedy(seed):
    D, w = instance(seed=seed)
    r = 15.0
    cover = D <= r

    def covered(sites):
        return w[cover[:, list(sites)].any(axis=1)].sum()

    best = max(covered(c) for c in itertools.combinations(range(len(w)), 2))
    assert covered(max_coverage(D, w, 2, radius=r, method="milp")) == pytest.approx(best)
    assert covered(max_coverage(D, w, 2, radius=r, method="greedy")) >= 0.5 * best


def test_assign_capacitated_is_optimal_and_respects_capacity():
    rng = np.random.default_rng(5)
    cost = rng.random((5, 3))
    cap = np.array([2, 2, 1])
    got = assign_capacitated(cost, cap)
    assert (np.bincount(got, minlength=3) <= cap).all() and (got >= 0).all()
    best = min(sum(cost[i, a[i]] for i in range(5)) for a in itertools.product(range(3), repeat=5)
               if (np.bincount(a, minlength=3) <= cap).all())
    assert sum(cost[i, got[i]] for i in range(5)) == pytest.approx(best)


def test_assign_capacitated_leaves_rows_unassigned_when_full():
    got = assign_capacitated(np.array([[1.0], [0.0], [2.0]]), [1])
    assert got.tolist() == [-1, 0, -1]


def test_placement_input_errors():
    D, w = instance()
    with pytest.raises(InputError, match="p must lie"):
        p_median(D, w, 0)
    with pytest.raises(InputError, match="weights"):
        p_median(D, -w, 2)
    with pytest.raises(InputError, match="unknown method"):
        p_median(D, w, 2, method="magic")
    with pytest.raises(InputError, match="capacities"):
        assign_capacitated(D, [1, 2])
