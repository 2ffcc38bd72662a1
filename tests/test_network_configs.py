"""Each locality config reproduces its report's structural figures; builds are seeded and reproducible."""
from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import pytest

from govlab.network import synthesize, to_networkx
from govlab.network.config import load_locality_config
from govlab.network.model import TABLES
from govlab.network.targets import check_structure_targets

NAMES = ["gansu-extension", "nantong-youshi", "prov-x-survey", "shangyou-620", "xx-city-districts"]


@pytest.fixture(scope="module")
def built():
    return {n: synthesize(n, seed=11) for n in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_config_reproduces_report_figures(built, name):
    t = check_structure_targets(built[name])
    assert len(t) >= 8
    assert (t["doc_id"] == name).all()
    missed = t[~t["ok"]]
    assert missed.empty, missed[["id", "op", "target", "value"]].to_dict("records")


@pytest.mark.parametrize("seed", [0, 5])
def test_figures_hold_for_other_seeds(seed):
    for name in ("gansu-extension", "xx-city-districts", "shangyou-620"):
        assert check_structure_targets(synthesize(name, seed=seed))["ok"].all(), (name, seed)


def test_specific_report_figures(built):
    nt = built["nantong-youshi"]
    assert (nt.units["level"] == "township").sum() == 109
    assert (nt.units["level"] == "village").sum() == 1868
    assert (nt.platforms["type"] == "enterprise_room").sum() == 57
    sy = built["shangyou-620"]
    ws = sy.platforms[sy.platforms["type"] == "workstation"].merge(sy.units, on="unit_id")
    assert sorted(ws["name"]) == sorted(["东山镇", "营前镇", "社溪镇", "寺下镇", "城市社区", "工业园区"])
    # every township belongs to exactly one area workstation
    serves = sy.ties[sy.ties["kind"] == "serves"]
    assert serves["target"].is_unique and len(serves) == (sy.units["level"] == "township").sum()
    gs = built["gansu-extension"]
    assert (gs.units["level"] == "city").sum() == 14
    px = built["prov-x-survey"]
    county_policy = px.policies[px.policies["policy"] == "township_funds_budgeted"]
    assert round(100 * county_policy["value"].mean(), 2) == 94.27
    xx = built["xx-city-districts"]
    groups = xx.organisations[xx.organisations["kind"] == "supervision_group"]
    # every democratic party and the non-party members are in some supervision group
    ms = xx.memberships[xx.memberships["org_id"].isin(groups["org_id"])].merge(xx.members, on="member_id")
    assert set(ms["party"]) >= {"RCCK", "CDL", "CNDCA", "CAPD", "CPWDP", "CZGP", "Jiusan", "TDSGL", "non-party"}


def test_gansu_scale_parameter_grows_the_province():
    small = synthesize("gansu-extension", seed=1)
    bigger = synthesize("gansu-extension", seed=1, overrides={"scale": 0.1})
    lv = lambda loc, level: int((loc.units["level"] == level).sum())  # noqa: E731
    assert lv(bigger, "village") > 1.8 * lv(small, "village")
    assert lv(bigger, "city") == lv(small, "city") == 14
    assert bigger.residents["count"].sum() > 1.8 * small.residents["count"].sum()
    assert check_structure_targets(bigger)["ok"].all()


def test_same_seed_identical_tables_and_graphs():
    a = synthesize("xx-city-districts", seed=7)
    b = synthesize("xx-city-districts", seed=7)
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t), check_exact=True)
    ga, gb = to_networkx(a), to_networkx(b)
    assert nx.utils.graphs_equal(ga, gb)
    assert list(ga.nodes) == list(gb.nodes) and list(ga.edges) == list(gb.edges)


def test_different_seed_changes_tables():
    a = synthesize("shangyou-620", seed=1)
    b = synthesize("shangyou-620", seed=2)
    changed = [t for t in ("units", "members", "assignments", "residents", "events")
               if not getattr(a, t).equals(getattr(b, t))]
    assert set(changed) == {"units", "members", "assignments", "residents", "events"}
    # the structural figures do not change
    assert check_structure_targets(a)["ok"].all() and check_structure_targets(b)["ok"].all()


def test_stages_draw_from_independent_streams():
    base = synthesize("shangyou-620", seed=4)
    changed = synthesize("shangyou-620", seed=4, overrides={"activity.participants.mean": 30.0})
    pd.testing.assert_frame_equal(base.units, changed.units)
    pd.testing.assert_frame_equal(base.members, changed.members)
    assert not base.attendance.equals(changed.attendance)


def test_population_and_shares_are_consistent(built):
    for loc in built.values():
        u = loc.units
        top = u[u["parent_id"].isna()]
        assert len(top) == 1
        assert top["population"].iloc[0] == loc.residents["count"].sum()
        kids = u.groupby("parent_id")["population"].sum()
        assert (u.set_index("unit_id").loc[kids.index, "population"] == kids).all()
        assert u["share_away"].between(0, 1).all()
        assert not loc.residents.loc[loc.residents["migrant"], "age_group"].isin(["0-14", "60+"]).any()


def test_corpus_figures_appear_in_the_reports(corpus_dir):
    """The report facts the configs cite are in the raw texts (read at test time, never shipped)."""
    from govlab.network.config import config_provenance

    texts = {}
    manifest = pd.read_csv(corpus_dir / "manifest.csv")
    for row in manifest.itertuples():
        texts[row.doc_id] = re.sub(r"\s", "", (corpus_dir / row.file).read_text(encoding="utf-8"))
    expect = {"nantong-youshi": ["109", "1868", "123", "57"], "gansu-extension": ["14", "98%", "95%"],
              "shangyou-620": ["620", "4+X", "10"], "prov-x-survey": ["94.27%", "99.36%", "65%", "25%"],
              "xx-city-districts": ["12", "8"]}
    for doc, figures in expect.items():
        for f in figures:
            assert f in texts[doc], (doc, f)
    for name in NAMES:
        prov = config_provenance(load_locality_config(name))
        assert set(prov["doc_id"].dropna()) <= set(texts)


def test_config_and_locality_pickle_with_the_standard_library():
    """Sweeps ship a synthesised locality to worker processes with plain ``pickle``."""
    import pickle

    cfg = load_locality_config("nantong-youshi")
    back = pickle.loads(pickle.dumps(cfg))
    assert back.get("units.top.level") == "city" and back.id == cfg.id
    assert back.provenance.equals(cfg.provenance)
    with pytest.raises(TypeError):  # still read-only after the round trip
        back.data["units"] = {}
    loc = synthesize(cfg.with_overrides({"scale": 0.05}), seed=3)
    loc2 = pickle.loads(pickle.dumps(loc))
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(loc2, name), getattr(loc, name))
