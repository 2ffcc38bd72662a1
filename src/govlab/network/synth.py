"""Build a calibrated synthetic :class:`~govlab.network.model.Locality` from a :class:`LocalityConfig`.

:func:`synthesize` runs eight stages, each drawing from its own child of
``numpy.random.SeedSequence(seed)`` (so changing one stage's settings does not shift the draws of
another): units (hierarchy, population, urban/rural, share away, coordinates), members (committees,
sectors, parties, professions, homes, hours) and organisations, platforms (as configured or placed
by p-median / maximal coverage), member sinking (capacity-limited assignment), ties (party
supervision, department matching, leader pairing, conveners, station guides), unit policies,
residents (strata per village) and one baseline year of activity (events and attendance).
The same config and seed give identical tables.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from govlab.errors import ConfigError
from govlab.network import placement
from govlab.network.model import DEMOCRATIC_PARTIES, MEMBER_LEVELS, PARTIES, UNIT_LEVELS, make_locality

STAGES = ("units", "members", "platforms", "sinking", "ties", "policies", "residents", "activity")
LETTER = {"province": "P", "city": "C", "county": "K", "township": "T", "village": "V"}
DEFAULT_RADIUS = {"province": 350.0, "city": 60.0, "county": 25.0, "township": 7.0, "village": 2.0}
URBAN_SUBTYPES = ("street", "park", "urban-area", "community", "district")
LEVEL_RANK = {lv: i for i, lv in enumerate(UNIT_LEVELS)}


def _largest_remainder(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method), each >= minimum."""
    w = np.asarray(weights, float)
    n = len(w)
    if n == 0:
        return np.zeros(0, np.int64)
    base = np.full(n, minimum, np.int64)
    rest = total - base.sum()
    if rest < 0:
        raise ConfigError(f"cannot give {minimum} each to {n} parents from a total of {total}")
    if w.sum() <= 0:
        w = np.ones(n)
    q = rest * w / w.sum()
    fl = np.floor(q).astype(np.int64)
    left = int(rest - fl.sum())
    order = np.lexsort((np.arange(n), -(q - fl)))
    fl[order[:left]] += 1
    return base + fl


def _lookup(series: pd.Series, table: Mapping, default: float = 1.0) -> np.ndarray:
    """Map a string column through a small dict (missing keys -> default), vectorised."""
    vals = series.to_numpy(dtype=object)
    uniq, inv = np.unique(vals, return_inverse=True)
    return np.array([float(table.get(u, default)) for u in uniq])[inv] if len(vals) else np.zeros(0)


def _pick(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """k distinct sorted indices out of n."""
    k = max(0, min(k, n))
    return np.sort(rng.choice(n, size=k, replace=False)) if k else np.zeros(0, np.int64)


class _Builder:
    def __init__(self, config, seed: int):
        self.cfg = config
        self.seed = int(seed)
        children = np.random.SeedSequence(self.seed).spawn(len(STAGES))
        self.rng = {s: np.random.default_rng(c) for s, c in zip(STAGES, children)}
        self.scale = config.scale
        self.tables: dict[str, pd.DataFrame] = {}

    def g(self, key, default=None):
        return self.cfg.get(key, default)

    # ------------------------------------------------------------ units
    def build_units(self):
        rng = self.rng["units"]
        top = self.g("units.top")
        radius = dict(DEFAULT_RADIUS)
        radius.update(self.g("units.radius_km", {}) or {})
        rows: list[dict] = []
        top_id = LETTER[top["level"]]
        rows.append(dict(unit_id=top_id, name=top.get("name_zh", top["name"]), name_en=top["name"], level=top["level"],
                         parent_id=None, subtype=top.get("subtype", top["level"]), x=0.0, y=0.0, weight=1.0))
        parents = [rows[0]]
        levels = list(self.g("units.levels"))
        self.full_villages = None
        for spec in levels:
            lv = spec["level"]
            n_par = len(parents)
            scalable = bool(spec.get("scalable", False))
            minimum = int(spec.get("min_per_parent", 1))
            if "per_parent" in spec:
                per = np.asarray(spec["per_parent"], np.int64)
                if len(per) != n_par:
                    raise ConfigError(f"per_parent has {len(per)} items but there are {n_par} parent units",
                                      source=self.cfg.source, key=f"units.levels.{lv}.per_parent")
                if scalable and self.scale < 1:
                    per = np.maximum(np.where(per > 0, 1, 0), np.round(per * self.scale)).astype(np.int64)
            elif "under" in spec:
                names = [p["name"] for p in parents] + [p["name_en"] for p in parents]
                per = np.zeros(n_par, np.int64)
                owner = []
                for i, nm in enumerate(spec["under"]):
                    if nm not in names:
                        raise ConfigError(f"parent {nm!r} not found among {lv} parents",
                                          source=self.cfg.source, key=f"units.levels.{lv}.under[{i}]")
                    j = names.index(nm) % n_par
                    owner.append(j)
                    per[j] += 1
            else:
                total = int(spec["count"])
                if scalable:
                    total = max(n_par * minimum, int(round(total * self.scale)))
                w = np.array([p["weight"] for p in parents])
                per = _largest_remainder(total, w, minimum)
            if lv == "village":
                self.full_villages = int(spec["count"])
            n = int(per.sum())
            names = list(spec.get("names") or [])
            names_en = list(spec.get("names_en") or [])
            subtypes = list(spec.get("subtypes") or [])
            urban_flags = list(spec.get("urban") or [])
            pw = list(spec.get("population_weights") or [])
            if "under" in spec:
                order = np.argsort(np.asarray(owner), kind="stable")
                names = [names[i] for i in order] if names else []
                names_en = [names_en[i] for i in order] if names_en else []
                subtypes = [subtypes[i] for i in order] if subtypes else []
                urban_flags = [urban_flags[i] for i in order] if urban_flags else []
                pw = [pw[i] for i in order] if pw else []
            if not subtypes:
                subtypes = self._subtypes(rng, spec, lv, per, parents)
            weights = np.asarray(pw, float) if pw else rng.lognormal(0.0, 0.45 if lv != "village" else float(self.g("units.village_population_sigma", 0.6)), n)
            if not pw:
                weights = weights * np.array([3.0 if s in URBAN_SUBTYPES else 1.0 for s in subtypes])
            new: list[dict] = []
            k = 0
            for pi, par in enumerate(parents):
                cnt = int(per[pi])
                if cnt == 0:
                    continue
                width = max(2, len(str(cnt)))
                wsum = weights[k:k + cnt].sum()
                for c in range(cnt):
                    r = radius[lv] * math.sqrt(rng.random())
                    th = 2 * math.pi * rng.random()
                    idx = k + c
                    uid = f"{par['unit_id']}-{LETTER[lv]}{c + 1:0{width}d}"
                    sub = subtypes[idx]
                    nm = names[idx] if names else f"{self._zh_sub(sub)}{uid.rsplit('-', 1)[1]}"
                    new.append(dict(unit_id=uid, name=nm, name_en=names_en[idx] if names_en else nm, level=lv,
                                    auto_name=not names,
                                    parent_id=par["unit_id"], subtype=sub,
                                    x=par["x"] + r * math.cos(th), y=par["y"] + r * math.sin(th),
                                    weight=par["weight"] * weights[idx] / wsum,
                                    urban_flag=urban_flags[idx] if urban_flags else None))
                k += cnt
            for pname, kid_names in (spec.get("some_names") or {}).items():
                kids = [r for r in new if any(p["unit_id"] == r["parent_id"] and pname in (p["name"], p["name_en"]) for p in parents)]
                if not kids:
                    raise ConfigError(f"parent {pname!r} not found or has no {lv} units", source=self.cfg.source,
                                      key=f"units.levels.{lv}.some_names.{pname}")
                for r, nm in zip(kids, kid_names):
                    r["name"] = r["name_en"] = nm
                    r["auto_name"] = False
            rows.extend(new)
            parents = new
        units = pd.DataFrame(rows)
        self._populate(units, rng)
        self.tables["units"] = units[["unit_id", "name", "level", "parent_id", "population", "urban", "share_away",
                                      "x", "y", "subtype", "name_en"]].copy()
        self._index_units()

    def _zh_sub(self, sub):
        return {"village": "村", "community": "社区", "town": "镇", "township": "乡", "street": "街道", "park": "园区",
                "county": "县", "district": "区", "county-city": "市", "city": "市", "prefecture": "州"}.get(sub, sub)

    def _subtypes(self, rng, spec, lv, per, parents):
        n = int(per.sum())
        shares = spec.get("subtype_shares")
        if lv == "village":
            # villages under urban townships are communities; elsewhere villages (communities added later)
            out = []
            for pi, par in enumerate(parents):
                urb = par["subtype"] in URBAN_SUBTYPES
                out += ["community" if urb else "village"] * int(per[pi])
            return out
        if not shares:
            default = {"city": {"city": 1.0}, "county": {"county": 0.7, "district": 0.2, "county-city": 0.1},
                       "township": {"town": 0.6, "township": 0.28, "street": 0.12}}
            shares = default.get(lv, {lv: 1.0})
        keys = list(shares)
        counts = _largest_remainder(n, np.array([shares[k] for k in keys]))
        out = np.repeat(np.array(keys, dtype=object), counts)
        return list(out[rng.permutation(n)])

    def _populate(self, units: pd.DataFrame, rng):
        pop = int(self.g("units.population"))
        if self.full_villages and self.scale < 1:
            n_v = int((units["level"] == "village").sum())
            pop = int(round(pop * min(1.0, n_v / self.full_villages)))
        lv = units["level"].to_numpy()
        is_v = lv == "village"
        w = units["weight"].to_numpy()[is_v]
        vpop = _largest_remainder(pop, w, 0)
        # urban: streets and parks and their communities; top up with communities in towns to reach urban_share
        sub = units["subtype"].to_numpy().astype(object)
        parent = units["parent_id"].to_numpy().astype(object)
        urban = np.isin(sub, URBAN_SUBTYPES)
        flags = units["urban_flag"].to_numpy() if "urban_flag" in units else np.full(len(units), None)
        for i, f in enumerate(flags):
            if f is not None and not (isinstance(f, float) and np.isnan(f)):
                urban[i] = bool(f)
        # propagate urban to village children of urban townships
        uid = units["unit_id"].to_numpy().astype(object)
        urban_map = dict(zip(uid, urban))
        v_idx = np.flatnonzero(is_v)
        for i in v_idx:
            if urban_map.get(parent[i], False):
                urban[i] = True
                sub[i] = "community"
        target = self.g("units.urban_share")
        if target is not None:
            cur = vpop[urban[v_idx]].sum() / max(1, vpop.sum())
            if cur < target:
                # convert the most populous rural villages (the seats of towns) into communities
                cand = [j for j in np.argsort(-vpop, kind="stable") if not urban[v_idx[j]]]
                need = (target - cur) * vpop.sum()
                for j in cand:
                    if need <= 0:
                        break
                    urban[v_idx[j]] = True
                    sub[v_idx[j]] = "community"
                    need -= vpop[j]
        # share away for villages
        sa = self.g("units.share_away", {}) or {}
        rural_m, urban_m, sd = float(sa.get("rural", 0.25)), float(sa.get("urban", 0.05)), float(sa.get("sd", 0.08))
        uv = urban[v_idx]
        mean = np.where(uv, urban_m, rural_m)
        share = np.clip(mean + rng.normal(0.0, 1.0, len(v_idx)) * np.where(uv, sd / 2, sd), 0.0, 0.9)
        population = np.zeros(len(units), np.int64)
        population[v_idx] = vpop
        away = np.zeros(len(units))
        away[v_idx] = share * vpop
        # aggregate up: iterate levels bottom-up
        pos = {u: i for i, u in enumerate(uid)}
        par_pos = np.array([pos.get(p, -1) if isinstance(p, str) else -1 for p in parent])
        upop = np.zeros(len(units))
        order = np.argsort([-LEVEL_RANK[x] for x in lv], kind="stable")
        for i in order:
            j = par_pos[i]
            if j >= 0:
                population[j] += population[i]
                away[j] += away[i]
                upop[j] += population[i] if urban[i] and lv[i] == "village" else upop[i]
        share_all = np.where(population > 0, away / np.maximum(population, 1), rural_m)
        share_all[v_idx] = share
        # a unit above the village is urban when its subtype is urban or most of its people are
        urban_nonv = np.where(population > 0, upop / np.maximum(population, 1), 0.0) > 0.5
        urban = np.where(is_v, urban, urban | urban_nonv)
        auto = units["auto_name"].fillna(False).to_numpy(dtype=bool) if "auto_name" in units else np.zeros(len(units), bool)
        code = units["unit_id"].str.rsplit("-", n=1).str[-1].to_numpy().astype(object)
        names = units["name"].to_numpy().astype(object)
        names_en = units["name_en"].to_numpy().astype(object)
        for i in np.flatnonzero(auto):
            names[i] = f"{self._zh_sub(sub[i])}{code[i]}"
            names_en[i] = f"{sub[i]} {code[i]}"
        units["name"] = names
        units["name_en"] = names_en
        units["population"] = population
        units["urban"] = urban.astype(bool)
        units["share_away"] = np.round(share_all, 6)
        units["subtype"] = sub
        units["x"] = units["x"].round(4)
        units["y"] = units["y"].round(4)

    def _index_units(self):
        u = self.tables["units"]
        self.u_ids = u["unit_id"].to_numpy().astype(object)
        self.u_pos = {x: i for i, x in enumerate(self.u_ids)}
        self.u_level = u["level"].to_numpy().astype(object)
        self.u_names = u["name"].to_numpy().astype(object)
        self.u_xy = u[["x", "y"]].to_numpy()
        par = u["parent_id"].to_numpy().astype(object)
        self.u_parent = np.array([self.u_pos[p] if isinstance(p, str) else -1 for p in par])
        # ancestor at each level
        n = len(u)
        self.anc = {lv: np.full(n, -1) for lv in UNIT_LEVELS}
        for i in range(n):  # parents precede children
            lv = self.u_level[i]
            p = self.u_parent[i]
            for L in UNIT_LEVELS:
                self.anc[L][i] = self.anc[L][p] if p >= 0 else -1
            self.anc[lv][i] = i
        self.v_pos = np.flatnonzero(self.u_level == "village")
        # contiguous village range of each unit (villages are generated in parent order)
        vrank = np.full(n, -1)
        vrank[self.v_pos] = np.arange(len(self.v_pos))
        self.v_lo = np.full(n, len(self.v_pos))
        self.v_hi = np.zeros(n, np.int64)
        for L in UNIT_LEVELS:
            a = self.anc[L][self.v_pos]
            ok = a >= 0
            np.minimum.at(self.v_lo, a[ok], vrank[self.v_pos][ok])
            np.maximum.at(self.v_hi, a[ok], vrank[self.v_pos][ok] + 1)
        self.v_lo = np.minimum(self.v_lo, self.v_hi)

    def units_at(self, level: str, subtypes=None) -> np.ndarray:
        mask = self.u_level == level
        if subtypes:
            mask &= self.tables["units"]["subtype"].isin(list(subtypes)).to_numpy()
        return np.flatnonzero(mask)

    # ------------------------------------------------------------ members and organisations
    def build_members(self):
        rng = self.rng["members"]
        u = self.tables["units"]
        comm = self.g("members.committees", {}) or {}
        sectors = list(self.g("members.sectors", []) or [])
        if not sectors:
            sectors = [{"id": "general", "zh": "综合"}]
        parties = dict(self.g("members.parties", {}) or {"CPC": 0.4, "non-party": 0.6})
        hours = self.g("members.hours_per_year", {}) or {}
        h_mean, h_sd = float(hours.get("mean", 40.0)), float(hours.get("sd", 15.0))
        urban_w = float(self.g("members.home_urban_weight", 3.0))
        seat_share = float(self.g("members.home_in_seat_share", 0.5))
        vpop = u["population"].to_numpy()[self.v_pos].astype(float)
        vurb = u["urban"].to_numpy()[self.v_pos]
        home_w = vpop * np.where(vurb, urban_w, 1.0)
        members, orgs, ms = [], [], []
        self.committee_sectors: dict[str, list[str]] = {}
        self.leaders: dict[str, list[str]] = {}
        self.special: dict[str, list[str]] = {}
        mid = 0
        oid = 0

        def new_org(kind, unit, name, party=None, sector=None):
            nonlocal oid
            oid += 1
            orgs.append(dict(org_id=f"O{oid:05d}", kind=kind, unit_id=unit, name=name, party=party, sector=sector))
            return orgs[-1]["org_id"]

        for level in MEMBER_LEVELS:
            if level not in comm:
                continue
            spec = comm[level]
            size = int(spec.get("size", 0))
            n_sec = min(len(sectors), int(spec.get("sectors", len(sectors))))
            secs = sectors[:n_sec]
            n_spec = int(spec.get("special_committees", 0))
            n_lead = int(spec.get("leaders", 0))
            for cu in self.units_at(level):
                cid = self.u_ids[cu]
                uname = self.u_names[cu]
                c_org = new_org("committee", cid, f"{uname}政协")
                sc_orgs = [new_org("special_committee", cid, f"{uname}政协专委会{j + 1}") for j in range(n_spec)]
                self.special[cid] = sc_orgs
                if size == 0:
                    continue
                sw = np.array([float(s.get("weight", 1.0)) for s in secs])
                per_sec = _largest_remainder(size, sw, 1 if size >= n_sec else 0)
                self.committee_sectors[cid] = [s["id"] for s, c in zip(secs, per_sec) if c > 0]
                sec_of = np.repeat(np.arange(n_sec), per_sec)
                # parties: party sectors fixed; the rest drawn from the residual composition
                fixed = {p: 0.0 for p in PARTIES}
                for s, c in zip(secs, per_sec):
                    if s.get("party"):
                        fixed[s["party"]] += c / size
                resid = np.array([max(parties.get(p, 0.0) - fixed[p], 0.0) for p in PARTIES])
                resid = resid / resid.sum() if resid.sum() > 0 else np.full(len(PARTIES), 1 / len(PARTIES))
                drawn = rng.choice(len(PARTIES), size=size, p=resid)
                # home villages inside the committee's unit; a share in the seat (first child at each level)
                lo, hi = self.v_lo[cu], self.v_hi[cu]
                hw = home_w[lo:hi].copy()
                seat = self._seat_villages(cu)
                in_seat = rng.random(size) < seat_share
                homes = np.where(in_seat & (len(seat) > 0),
                                 rng.choice(seat if len(seat) else np.arange(lo, hi), size=size),
                                 lo + rng.choice(hi - lo, size=size, p=hw / hw.sum()) if hw.sum() > 0 else lo)
                hrs = np.round(np.clip(rng.normal(h_mean, h_sd, size), 5.0, None), 1)
                sg_orgs = {s["id"]: new_org("sector_group", cid, f"{uname}政协{s.get('zh', s['id'])}界别组", sector=s["id"])
                           for s, c in zip(secs, per_sec) if c > 0}
                branch: dict[str, str] = {}
                lead_ids = []
                for k in range(size):
                    s = secs[sec_of[k]]
                    party = s.get("party") or PARTIES[drawn[k]]
                    profs = s.get("professions") or ["other"]
                    prof = profs[int(rng.integers(len(profs)))]
                    mid += 1
                    m_id = f"M{mid:06d}"
                    members.append(dict(member_id=m_id, level=level, committee_unit_id=cid, sector=s["id"], party=party,
                                        profession=prof, home_unit_id=self.u_ids[self.v_pos[homes[k]]],
                                        hours_per_year=float(hrs[k])))
                    role = "leader" if k < n_lead else "member"
                    ms.append(dict(member_id=m_id, org_id=c_org, role=role))
                    ms.append(dict(member_id=m_id, org_id=sg_orgs[s["id"]], role="member"))
                    if n_spec and rng.random() < 0.7:
                        ms.append(dict(member_id=m_id, org_id=sc_orgs[int(rng.integers(n_spec))], role="member"))
                    if party in DEMOCRATIC_PARTIES:
                        if party not in branch:
                            branch[party] = new_org("party_branch", cid, f"{uname}{party}", party=party)
                        ms.append(dict(member_id=m_id, org_id=branch[party], role="member"))
                    if k < n_lead:
                        lead_ids.append(m_id)
                self.leaders[cid] = lead_ids
        # Party committees and governments at county and township level
        for level in ("county", "township"):
            for i in self.units_at(level):
                nm = self.u_names[i]
                new_org("party_committee", self.u_ids[i], f"{nm}党委")
                new_org("government", self.u_ids[i], f"{nm}政府")
        self.members = members
        self.orgs = orgs
        self.ms = ms
        self._next_org = oid

    def _seat_villages(self, cu: int) -> np.ndarray:
        """Village ranks of the committee unit's seat: its first child at each level down to villages."""
        i = cu
        while self.u_level[i] != "village":
            kids = np.flatnonzero(self.u_parent == i)
            if len(kids) == 0:
                return np.zeros(0, np.int64)
            urb = self.tables["units"]["urban"].to_numpy()[kids]
            i = kids[np.argmax(urb)] if urb.any() else kids[0]
            if self.u_level[i] == "township":
                return np.arange(self.v_lo[i], self.v_hi[i])
        return np.array([self.v_lo[i]])

    def add_member(self, **row) -> str:
        m_id = f"M{len(self.members) + 1:06d}"
        self.members.append(dict(member_id=m_id, **row))
        return m_id

    def add_org(self, kind, unit, name, party=None, sector=None) -> str:
        self._next_org += 1
        o = f"O{self._next_org:05d}"
        self.orgs.append(dict(org_id=o, kind=kind, unit_id=unit, name=name, party=party, sector=sector))
        return o

    # ------------------------------------------------------------ platforms
    def build_platforms(self):
        rng = self.rng["platforms"]
        u = self.tables["units"]
        pop = u["population"].to_numpy().astype(float)
        rows = []
        self.platform_rule = []
        for ri, rule in enumerate(self.g("platforms", []) or []):
            key = f"platforms[{ri}]"
            ptype = rule["type"]
            levels = list(rule.get("levels") or ([rule["level"]] if "level" in rule else []))
            sites: list[tuple[int, str | None]] = []
            if "per_sector" in rule:
                lvl = rule.get("committee_level")
                for cid, secs in self.committee_sectors.items():
                    cu = self.u_pos[cid]
                    if lvl and self.u_level[cu] != lvl:
                        continue
                    for s in secs:
                        sites.append((cu, s))
            else:
                cand = np.concatenate([self.units_at(lv, rule.get("subtypes")) for lv in levels]) if levels else np.zeros(0, int)
                cand = np.sort(cand)
                if rule.get("within"):
                    names_all = u["name"].to_numpy().astype(object)
                    hit = np.flatnonzero((names_all == rule["within"]) | (u["name_en"].to_numpy().astype(object) == rule["within"]))
                    if len(hit) == 0:
                        raise ConfigError(f"unit {rule['within']!r} not found", source=self.cfg.source, key=f"{key}.within")
                    w_pos = hit[0]
                    cand = cand[self.anc[self.u_level[w_pos]][cand] == w_pos]
                if "units" in rule:
                    names = u["name"].to_numpy().astype(object)
                    names_en = u["name_en"].to_numpy().astype(object)
                    for j, nm in enumerate(rule["units"]):
                        hit = [c for c in cand if names[c] == nm or names_en[c] == nm]
                        if not hit:
                            raise ConfigError(f"unit {nm!r} not found at level(s) {levels}", source=self.cfg.source,
                                              key=f"{key}.units[{j}]")
                        sites.append((hit[0], rule.get("sector")))
                else:
                    if "coverage" in rule:
                        k = int(round(float(rule["coverage"]) * len(cand)))
                    else:
                        k = int(rule["count"])
                        if rule.get("scalable") and self.scale < 1:
                            k = max(1, int(round(k * self.scale)))
                    chosen = self._select(rng, cand, k, rule, pop, key)
                    for c in chosen:
                        sites.append((int(c), rule.get("sector")))
            head_kind = rule.get("head", "none")
            full = float(rule.get("six_haves_full", 1.0))
            smin = int(rule.get("six_haves_min", 3))
            for cu, sector in sites:
                six = 6 if rng.random() < full else int(rng.integers(smin, 6))
                rows.append(dict(platform_id=f"PF{len(rows) + 1:05d}", type=ptype, unit_id=self.u_ids[cu],
                                 head_member_id=None, head_is_cadre=head_kind == "cadre", has_deputy=False,
                                 six_haves=six, online=bool(rule.get("online", ptype == "online_room")),
                                 sector=sector))
                self.platform_rule.append(ri)
        self.platforms = rows
        self.platform_rule = np.array(self.platform_rule, dtype=np.int64)

    def _select(self, rng, cand, k, rule, pop, key):
        n = len(cand)
        if k >= n:
            return cand
        if k <= 0:
            return cand[:0]
        method = rule.get("select", "random")
        if method == "all":
            raise ConfigError(f"select 'all' needs coverage 1 (would choose {k} of {n})", source=self.cfg.source, key=f"{key}.select")
        if method == "random":
            return cand[_pick(rng, n, k)]
        if method == "population":
            order = np.lexsort((cand, -pop[cand]))
            return np.sort(cand[order[:k]])
        xy = self.u_xy[cand]
        w = pop[cand]
        if n * n > 4_000_000:  # too large for one dense matrix: place within each county by share
            out = []
            groups = self.anc["county"][cand]
            for gval in np.unique(groups):
                sel = np.flatnonzero(groups == gval)
                kk = int(round(k * len(sel) / n))
                if kk:
                    out.append(cand[sel][self._place(xy[sel], w[sel], kk, rule, method)])
            return np.sort(np.concatenate(out)) if out else cand[:0]
        return np.sort(cand[self._place(xy, w, k, rule, method)])

    def _place(self, xy, w, k, rule, method):
        D = placement.distances(xy, xy)
        if method == "p_median":
            return placement.p_median(D, w, min(k, len(w)))
        return placement.max_coverage(D, w, min(k, len(w)), radius=float(rule.get("radius_km", 5.0)))

    # ------------------------------------------------------------ sinking
    def build_sinking(self):
        rng = self.rng["sinking"]
        spec = self.g("sinking", {}) or {}
        rules = list(self.g("platforms", []) or [])
        plat = self.platforms  # list of dicts, edited in place
        assigns: list[tuple[str, str, str]] = []
        if not plat:
            from govlab.network.model import empty_table
            self.assigns_df = empty_table("assignments")
            self.platforms_df = empty_table("platforms")
            return
        rule_of = self.platform_rule
        p_ids = [p["platform_id"] for p in plat]
        p_unit = np.array([self.u_pos[p["unit_id"]] for p in plat])
        committee_org = {o["unit_id"]: o["org_id"] for o in self.orgs if o["kind"] == "committee"}
        # cadre heads: a township Party deputy secretary co-opted as a member of the committee above
        for i, p in enumerate(plat):
            if rules[rule_of[i]].get("head") != "cadre":
                continue
            cu = self._committee_for(p_unit[i])
            if cu is None:
                continue
            vr = min(self.v_lo[p_unit[i]], len(self.v_pos) - 1)
            m_id = self.add_member(level=self.u_level[cu], committee_unit_id=self.u_ids[cu],
                                   sector=self._cpc_sector(self.u_ids[cu]), party="CPC", profession="township cadre",
                                   home_unit_id=self.u_ids[self.v_pos[vr]],
                                   hours_per_year=float(np.round(max(5.0, rng.normal(30, 8)), 1)))
            p["head_member_id"] = m_id
            assigns.append((m_id, p["platform_id"], "head"))
            c_org = committee_org.get(self.u_ids[cu])
            if c_org:
                self.ms.append(dict(member_id=m_id, org_id=c_org, role="member"))
        m_ids = np.array([m["member_id"] for m in self.members], dtype=object)
        m_level = np.array([m["level"] for m in self.members], dtype=object)
        m_comm = np.array([m["committee_unit_id"] for m in self.members], dtype=object)
        m_sector = np.array([m["sector"] for m in self.members], dtype=object)
        m_prof = np.array([m["profession"] for m in self.members], dtype=object)
        m_home = np.array([self.u_pos[m["home_unit_id"]] for m in self.members], dtype=np.int64)
        m_hours = np.array([m["hours_per_year"] for m in self.members], dtype=float)
        share = float(spec.get("share", 0.0))
        levels = list(spec.get("levels") or MEMBER_LEVELS)
        types = set(spec.get("types") or [])
        sink_ok = np.array([bool(rules[rule_of[i]].get("sink", rules[rule_of[i]]["type"] in types)) for i in range(len(plat))])
        per_member = int(spec.get("per_member", 1))
        method = spec.get("method", "nearest")
        penalty = float(spec.get("penalty_km", 20.0))
        within = bool(spec.get("within_jurisdiction", True))
        slack = float(spec.get("slack", 1.5))
        cadre = np.array([p["head_member_id"] is not None for p in plat])
        cadre_ids = {plat[i]["head_member_id"] for i in np.flatnonzero(cadre)}
        eligible = np.flatnonzero(np.isin(m_level, levels) & ~np.isin(m_ids, list(cadre_ids)))
        k = int(round(share * len(eligible)))
        chosen = eligible[_pick(rng, len(eligible), k)]
        sectors = {s["id"]: s for s in (self.g("members.sectors", []) or [])}
        p_sector = np.array([p["sector"] for p in plat], dtype=object)
        p_has_sector = np.array([isinstance(x, str) for x in p_sector])
        sink_idx = np.flatnonzero(sink_ok)
        cap_rule = np.array([int(rules[rule_of[i]].get("capacity", 0)) for i in range(len(plat))])
        p_vlo = self.v_lo[p_unit]
        comm_of_chosen = m_comm[chosen]
        for cid in sorted(set(comm_of_chosen)):
            cu = self.u_pos[cid]
            rows_g = chosen[comm_of_chosen == cid]
            if within:
                lo, hi = self.v_lo[cu], self.v_hi[cu]
                sel = ((p_vlo[sink_idx] >= lo) & (p_vlo[sink_idx] < hi)) | (p_unit[sink_idx] == cu)
                inside = sink_idx[sel]
            else:
                inside = sink_idx
            if len(inside) == 0:
                continue
            cost = placement.distances(self.u_xy[m_home[rows_g]], self.u_xy[p_unit[inside]])
            if method in ("sector", "expertise"):
                has = p_has_sector[inside]
                for a, r in enumerate(rows_g):
                    if method == "sector":
                        match = p_sector[inside] == m_sector[r]
                    else:
                        match = np.array([isinstance(x, str) and m_prof[r] in (sectors.get(x, {}).get("professions") or [])
                                          for x in p_sector[inside]], dtype=bool)
                    cost[a] += np.where(has & ~match, penalty, 0.0) + np.where(~has, penalty / 2, 0.0)
            cap = cap_rule[inside].copy()
            auto = cap == 0
            if auto.any():
                cap[auto] = math.ceil(len(rows_g) * per_member * slack / len(inside)) + 1
            used = np.zeros(cost.shape, dtype=bool)
            for _ in range(per_member):
                got = placement.assign_capacitated(np.where(used, 1e9, cost), cap)
                for a in np.flatnonzero(got >= 0):
                    j = got[a]
                    used[a, j] = True
                    cap[j] -= 1
                    assigns.append((m_ids[rows_g[a]], p_ids[inside[j]], "sunk"))
        # heads and deputies from the sunk members of each station (most hours first)
        pos_of = {pid: i for i, pid in enumerate(p_ids)}
        m_pos = {m: i for i, m in enumerate(m_ids)}
        by_plat: dict[int, list[int]] = {}
        for n, (m, pid, role) in enumerate(assigns):
            if role == "sunk":
                by_plat.setdefault(pos_of[pid], []).append(n)
        for i in range(len(plat)):
            rule = rules[rule_of[i]]
            idxs = by_plat.get(i)
            if not idxs:
                continue
            idxs = sorted(idxs, key=lambda n: (-m_hours[m_pos[assigns[n][0]]], assigns[n][0]))
            if rule.get("head") == "member":
                n = idxs.pop(0)
                plat[i]["head_member_id"] = assigns[n][0]
                assigns[n] = (assigns[n][0], assigns[n][1], "head")
            dep = rule.get("deputies", spec.get("deputies"))
            if dep:
                lo, hi = int(dep[0]), int(dep[-1])
                nd = min(len(idxs), int(rng.integers(lo, hi + 1)))
                for n in idxs[:nd]:
                    assigns[n] = (assigns[n][0], assigns[n][1], "deputy")
                plat[i]["has_deputy"] = nd > 0
        # sector rooms: every member of the committee's sector belongs to its room
        sec_rooms = [i for i in range(len(plat)) if "per_sector" in rules[rule_of[i]]]
        if sec_rooms:
            key = {(plat[i]["unit_id"], plat[i]["sector"]): p_ids[i] for i in sec_rooms}
            for m, c, sct in zip(m_ids, m_comm, m_sector):
                pid = key.get((c, sct))
                if pid is not None:
                    assigns.append((m, pid, "member"))
        self.assigns_df = pd.DataFrame(assigns, columns=["member_id", "platform_id", "role"])
        self.platforms_df = pd.DataFrame(plat)

    def _committee_for(self, unit_pos: int):
        for lv in ("county", "city", "province"):
            a = self.anc[lv][unit_pos]
            if a >= 0 and self.u_ids[a] in self.committee_sectors:
                return a
        return None

    def _cpc_sector(self, cid):
        secs = self.committee_sectors.get(cid, [])
        return "CPC" if "CPC" in secs else (secs[0] if secs else "CPC")

    # ------------------------------------------------------------ ties
    def build_ties(self):
        rng = self.rng["ties"]
        spec = self.g("ties", {}) or {}
        u = self.tables["units"]
        members = pd.DataFrame(self.members)
        ties: list[dict] = []
        plat = self.platforms_df

        def district(name):
            if name is None:
                return self.units_at("county")[0]
            hits = np.flatnonzero((u["name"] == name).to_numpy() | (u["name_en"] == name).to_numpy())
            if len(hits) == 0:
                raise ConfigError(f"district {name!r} not found", source=self.cfg.source, key="ties")
            return hits[0]

        sup = spec.get("supervision")
        if sup:
            d = district(sup.get("district"))
            did = self.u_ids[d]
            streets = [s for s in np.flatnonzero(self.u_parent == d)][: int(sup.get("streets", 8))]
            dm = members[members["committee_unit_id"] == did]
            for gi, (group, st) in enumerate(zip(sup["groups"], streets)):
                o = self.add_org("supervision_group", did, f"{self.u_names[d]}{'+'.join(group)}监督组", party=group[0])
                for party in group:
                    mm = dm[dm["party"] == party]["member_id"].tolist()
                    if not mm:  # every group needs at least one member of its party in the district committee
                        cand = dm[~dm["party"].isin(["CPC"]) & ~dm["member_id"].isin([x["member_id"] for x in self.ms if x["org_id"] == o])]
                        pick = cand["member_id"].iat[int(rng.integers(len(cand)))] if len(cand) else dm["member_id"].iat[0]
                        self._set_party(pick, party)
                        mm = [pick]
                        members = pd.DataFrame(self.members)
                        dm = members[members["committee_unit_id"] == did]
                    for m_id in mm:
                        self.ms.append(dict(member_id=m_id, org_id=o, role="member"))
                ties.append(dict(source=o, target=self.u_ids[st], kind="supervises"))
        dep = spec.get("departments")
        if dep:
            d = district(dep.get("district"))
            did = self.u_ids[d]
            fields = list(dep.get("fields") or [])
            n_dep = int(dep["count"])
            dm = members[members["committee_unit_id"] == did]
            sectors = {s["id"]: s for s in (self.g("members.sectors", []) or [])}
            per = int(dep.get("members_per_department", 3))
            used: set = set()
            for j in range(n_dep):
                field_ = fields[j] if j < len(fields) else f"field{j + 1}"
                o = self.add_org("department", did, f"{self.u_names[d]}区直单位{j + 1}({field_})", sector=field_)
                prof = set((sectors.get(field_) or {}).get("professions") or [])
                cand = dm[(dm["sector"] == field_) | dm["profession"].isin(prof)]
                cand = cand[~cand["member_id"].isin(used)]
                if len(cand) < per:
                    extra = dm[~dm["member_id"].isin(used) & ~dm["member_id"].isin(cand["member_id"])]
                    cand = pd.concat([cand, extra.iloc[_pick(rng, len(extra), per - len(cand))]])
                for m_id in cand["member_id"].iloc[:per]:
                    used.add(m_id)
                    ties.append(dict(source=m_id, target=o, kind="matched"))
        lp = spec.get("leader_pairing")
        if lp:
            for lv in lp.get("levels", []):
                for cu in self.units_at(lv):
                    leaders = self.leaders.get(self.u_ids[cu], [])
                    kids = np.flatnonzero(self.u_parent == cu)
                    for j, kid in enumerate(kids):
                        if leaders:
                            ties.append(dict(source=leaders[j % len(leaders)], target=self.u_ids[kid], kind="pairs"))
        cv = spec.get("conveners")
        if cv:
            mem = pd.DataFrame(self.members)
            home_pos = np.array([self.u_pos[h] for h in mem["home_unit_id"]])
            mem_ids = mem["member_id"].to_numpy().astype(object)
            mem_comm = mem["committee_unit_id"].to_numpy().astype(object)
            for lv in cv.get("levels", []):
                for cu in self.units_at(lv):
                    cid = self.u_ids[cu]
                    if cid in self.leaders and self.leaders[cid]:
                        ties.append(dict(source=self.leaders[cid][0], target=cid, kind="convener"))
                        continue
                    # township: a member of the committee above who lives there, else the nearest one
                    comm = self._committee_for(cu)
                    if comm is None:
                        continue
                    pool = np.flatnonzero(mem_comm == self.u_ids[comm])
                    if len(pool) == 0:
                        continue
                    live = pool[self.anc[lv][home_pos[pool]] == cu]
                    if len(live):
                        pick = live[int(rng.integers(len(live)))]
                    else:
                        dist = placement.distances(self.u_xy[home_pos[pool]], self.u_xy[[cu]])[:, 0]
                        pick = pool[int(np.argmin(dist))]
                    ties.append(dict(source=mem_ids[pick], target=cid, kind="convener"))
        sg = spec.get("station_guides")
        if sg:
            types = set(sg.get("types", []))
            for i, r in enumerate(self.platforms):
                if r["type"] not in types:
                    continue
                cu = self._committee_for(self.u_pos[r["unit_id"]])
                if cu is None:
                    continue
                cid = self.u_ids[cu]
                leaders = self.leaders.get(cid, [])
                if leaders:
                    ties.append(dict(source=leaders[i % len(leaders)], target=r["platform_id"], kind="guides"))
                scs = self.special.get(cid, [])
                if scs:
                    ties.append(dict(source=scs[i % len(scs)], target=r["platform_id"], kind="guides"))
        pg = spec.get("party_groups")
        if pg:
            d = district(pg.get("district"))
            did = self.u_ids[d]
            mem = pd.DataFrame(self.members)
            cpc = mem[(mem["committee_unit_id"] == did) & (mem["party"] == "CPC")]["member_id"].tolist()
            n = int(pg.get("count", 0))
            for j in range(n):
                o = self.add_org("party_branch", did, f"{self.u_names[d]}政协党小组{j + 1}", party="CPC")
                for m_id in cpc[j::n]:
                    self.ms.append(dict(member_id=m_id, org_id=o, role="member"))
        # area workstations serve the townships nearest to them
        rules = list(self.g("platforms", []) or [])
        area_idx = [i for i in range(len(plat)) if rules[self.platform_rule[i]].get("area")]
        if area_idx:
            a_units = np.array([self.u_pos[self.platforms[i]["unit_id"]] for i in area_idx])
            lv = self.u_level[a_units[0]]
            towns = self.units_at(lv)
            D = placement.distances(self.u_xy[towns], self.u_xy[a_units])
            for t, j in zip(towns, np.argmin(D, axis=1)):
                ties.append(dict(source=self.platforms[area_idx[j]]["platform_id"], target=self.u_ids[t], kind="serves"))
        self.ties = ties

    def _set_party(self, member_id, party):
        for m in self.members:
            if m["member_id"] == member_id:
                m["party"] = party
                return

    # ------------------------------------------------------------ policies
    def build_policies(self):
        rng = self.rng["policies"]
        rows = []
        names = self.tables["units"]["name"].to_numpy().astype(object)
        names_en = self.tables["units"]["name_en"].to_numpy().astype(object)
        for pi, spec in enumerate(self.g("policies", []) or []):
            pol = spec["policy"]
            val = float(spec.get("value", 1.0))
            done = {r["unit_id"] for r in rows if r["policy"] == pol}
            if "units" in spec:
                for nm, v in spec["units"].items():
                    hits = np.flatnonzero((names == nm) | (names_en == nm))
                    if len(hits) == 0:
                        raise ConfigError(f"unit {nm!r} not found", source=self.cfg.source, key=f"policies[{pi}].units.{nm}")
                    rows.append(dict(unit_id=self.u_ids[hits[0]], policy=pol, value=float(v)))
                continue
            level = spec.get("level")
            if level is None:
                continue
            cand = self.units_at(level)
            if "per_parent" in spec:
                under = spec.get("under_level", "city")
                for par in self.units_at(under):
                    kids = [c for c in cand if self.anc[under][c] == par and self.u_ids[c] not in done]
                    for j in _pick(rng, len(kids), int(spec["per_parent"])):
                        rows.append(dict(unit_id=self.u_ids[kids[j]], policy=pol, value=val))
                continue
            share = float(spec.get("share", 1.0))
            k = int(round(share * len(cand)))
            yes = set(_pick(rng, len(cand), k).tolist())
            for j, c in enumerate(cand):
                rows.append(dict(unit_id=self.u_ids[c], policy=pol, value=val if j in yes else 0.0))
        self.policies = rows

    # ------------------------------------------------------------ residents
    def build_residents(self):
        rng = self.rng["residents"]
        spec = self.g("residents", {}) or {}
        ages = dict(spec.get("age_groups") or {"0-14": 0.18, "15-34": 0.26, "35-59": 0.37, "60+": 0.19})
        gender = dict(spec.get("gender") or {"male": 0.51, "female": 0.49})
        elderly = set(spec.get("elderly_ages") or ["60+"])
        child = set(spec.get("child_ages") or ["0-14"])
        occ = spec.get("occupations") or {}
        occ_r = dict(occ.get("rural") or {"farmer": 0.5, "non_public_worker": 0.3, "public_sector": 0.05, "business": 0.05, "not_working": 0.1})
        occ_u = dict(occ.get("urban") or {"non_public_worker": 0.55, "public_sector": 0.15, "business": 0.1, "not_working": 0.2})
        old_r = dict(occ.get("elderly_rural") or {"farmer": 0.6, "retired": 0.4})
        old_u = dict(occ.get("elderly_urban") or {"retired": 1.0})
        u = self.tables["units"]
        vp = self.v_pos
        pop = u["population"].to_numpy()[vp]
        urban = u["urban"].to_numpy()[vp]
        away = u["share_away"].to_numpy()[vp]
        # templates: (age, gender, migrant, occupation, base share, uses_away)
        templ = []
        for a, pa in ages.items():
            for g_, pg in gender.items():
                if a in child:
                    templ.append((a, g_, False, "child", pa * pg, 0, None))
                elif a in elderly:
                    for o, po in old_r.items():
                        templ.append((a, g_, False, o, pa * pg * po, 0, "r"))
                    for o, po in old_u.items():
                        templ.append((a, g_, False, o, pa * pg * po, 0, "u"))
                else:
                    for o in sorted(set(occ_r) | set(occ_u)):
                        for mig in (False, True):
                            pr, pu = occ_r.get(o, 0.0), occ_u.get(o, 0.0)
                            templ.append((a, g_, mig, o, pa * pg * pr, 1 if mig else -1, "r"))
                            templ.append((a, g_, mig, o, pa * pg * pu, 1 if mig else -1, "u"))
        base = np.array([t[4] for t in templ])
        which = np.array([t[6] or "" for t in templ], dtype=object)
        mode = np.array([t[5] for t in templ])
        P = np.tile(base, (len(vp), 1))
        P[:, which == "r"] *= (~urban)[:, None]
        P[:, which == "u"] *= urban[:, None]
        P[:, mode == 1] *= away[:, None]
        P[:, mode == -1] *= (1 - away)[:, None]
        P /= P.sum(axis=1, keepdims=True)
        counts = rng.multinomial(pop, P)
        # collapse r/u duplicates: keep template keys without the r/u marker
        key = [(t[0], t[1], t[2], t[3]) for t in templ]
        uniq = list(dict.fromkeys(key))
        kpos = np.array([uniq.index(k) for k in key])
        C = np.zeros((len(vp), len(uniq)), np.int64)
        for j in range(len(templ)):
            C[:, kpos[j]] += counts[:, j]
        vi, ti = np.nonzero(C)
        vids = self.u_ids[vp][vi]
        res = pd.DataFrame({
            "stratum_id": [f"R{i + 1:07d}" for i in range(len(vi))],
            "unit_id": vids,
            "age_group": [uniq[t][0] for t in ti],
            "gender": [uniq[t][1] for t in ti],
            "migrant": np.array([uniq[t][2] for t in ti], dtype=bool),
            "occupation": [uniq[t][3] for t in ti],
            "count": C[vi, ti],
        })
        self.residents = res
        self.res_v = vi  # village rank of each stratum (sorted: strata are grouped by village)

    # ------------------------------------------------------------ activity
    def build_activity(self):
        rng = self.rng["activity"]
        spec = self.g("activity", {}) or {}
        year = int(spec.get("year", 2020))
        rates = {k: dict(spec.get(k) or {}) for k in ("consultation", "opinion_info", "other")}
        rates["consultation"] = dict(spec.get("consultations") or {})
        disp = float(spec.get("dispersion", 0.0))
        part = spec.get("participants") or {}
        p_mean, p_min = float(part.get("mean", 18.0)), int(part.get("min", 5))
        prop = spec.get("propensity") or {}
        ts = dict(spec.get("topic_sources") or {"party_government": 0.6, "residents": 0.25, "members": 0.15})
        ts_keys = np.array(list(ts), dtype=object)
        ts_p = np.array([ts[k] for k in ts_keys], float)
        ts_p = ts_p / ts_p.sum()
        res = self.residents
        w = res["count"].to_numpy().astype(float)
        w = w * _lookup(res["age_group"], prop.get("age") or {})
        w = w * _lookup(res["gender"], prop.get("gender") or {})
        w = w * np.where(res["migrant"].to_numpy(), float(prop.get("migrant", 0.1)), 1.0)
        w = w * _lookup(res["occupation"], prop.get("occupation") or {})
        cum_start = np.searchsorted(self.res_v, np.arange(len(self.v_pos) + 1))
        plat = self.platforms
        n_p = len(plat)
        p_ids = np.array([p["platform_id"] for p in plat], dtype=object)
        p_type = [p["type"] for p in plat]
        p_unit = np.array([self.u_pos[p["unit_id"]] for p in plat], dtype=np.int64)
        counts = {}
        for kind in ("consultation", "opinion_info", "other"):
            lam = np.array([float(rates[kind].get(t, 0.0)) for t in p_type])
            if disp > 0:
                lam = np.where(lam > 0, rng.gamma(1.0 / disp, np.maximum(lam, 1e-12) * disp), 0.0)
            counts[kind] = rng.poisson(lam) if n_p else np.zeros(0, np.int64)
        # events ordered by platform, then kind
        kinds = ("consultation", "opinion_info", "other")
        per = np.stack([counts[k] for k in kinds], axis=1) if n_p else np.zeros((0, 3), np.int64)
        ev_plat = np.repeat(np.repeat(np.arange(n_p), 3), per.ravel())
        ev_kind = np.repeat(np.tile(np.arange(3), n_p), per.ravel())
        n_ev = len(ev_plat)
        src = ts_keys[rng.choice(len(ts_keys), size=n_ev, p=ts_p)] if n_ev else np.zeros(0, dtype=object)
        npart = np.where(ev_kind == 0, np.maximum(p_min, rng.poisson(p_mean, n_ev)), 0)
        lo = cum_start[self.v_lo[p_unit]]
        hi = cum_start[self.v_hi[p_unit]]
        ev_lo, ev_hi = lo[ev_plat], hi[ev_plat]
        has_people = np.array([w[a:b].sum() > 0 for a, b in zip(lo, hi)], dtype=bool) if n_p else np.zeros(0, bool)
        npart = np.where(has_people[ev_plat] if n_ev else npart.astype(bool), npart, 0)
        event_ids = np.array([f"E{i + 1:07d}" for i in range(n_ev)], dtype=object)
        sids = res["stratum_id"].to_numpy().astype(object)
        att_e, att_s, att_c = [], [], []
        cons = np.flatnonzero((ev_kind == 0) & (npart > 0))
        # one multinomial call per platform for all its consultations
        if len(cons):
            bounds = np.flatnonzero(np.diff(ev_plat[cons])) + 1
            for grp in np.split(cons, bounds):
                a, b = ev_lo[grp[0]], ev_hi[grp[0]]
                ww = w[a:b]
                draws = rng.multinomial(npart[grp], ww / ww.sum())
                r, c = np.nonzero(draws)
                att_e.append(event_ids[grp[r]])
                att_s.append(sids[a + c])
                att_c.append(draws[r, c])
        self.events = pd.DataFrame({
            "event_id": event_ids, "platform_id": p_ids[ev_plat] if n_ev else np.zeros(0, dtype=object),
            "year": np.full(n_ev, year, np.int64), "kind": np.array(kinds, dtype=object)[ev_kind] if n_ev else np.zeros(0, dtype=object),
            "topic_source": src, "n_participants": npart.astype(np.int64)})
        self.attendance = pd.DataFrame({
            "event_id": np.concatenate(att_e) if att_e else np.zeros(0, dtype=object),
            "stratum_id": np.concatenate(att_s) if att_s else np.zeros(0, dtype=object),
            "count": np.concatenate(att_c).astype(np.int64) if att_c else np.zeros(0, np.int64)})

    # ------------------------------------------------------------ assemble
    def run(self):
        self.build_units()
        self.build_members()
        self.build_platforms()
        self.build_sinking()
        self.build_ties()
        self.build_policies()
        self.build_residents()
        self.build_activity()
        cols = lambda name: None  # noqa: E731
        tables = {
            "units": self.tables["units"],
            "members": pd.DataFrame(self.members),
            "platforms": self.platforms_df,
            "assignments": self.assigns_df,
            "organisations": pd.DataFrame(self.orgs),
            "residents": self.residents,
            "ties": pd.DataFrame(self.ties, columns=["source", "target", "kind"]),
            "memberships": pd.DataFrame(self.ms, columns=["member_id", "org_id", "role"]).drop_duplicates(["member_id", "org_id"]),
            "policies": pd.DataFrame(self.policies, columns=["unit_id", "policy", "value"]),
            "events": self.events,
            "attendance": self.attendance,
        }
        del cols
        return make_locality(self.cfg.id, tables, config=self.cfg, seed=self.seed)


def synthesize(config, seed: int = 0, *, overrides: Mapping[str, Any] | None = None):
    """Build a synthetic locality from a config and a seed.

    Parameters
    ----------
    config : LocalityConfig or str or path
        A loaded config, a shipped config name (``"gansu-extension"``) or a YAML path.
    seed : int
        Root seed; every draw comes from ``numpy.random.SeedSequence(seed)`` children, one per stage.
    overrides : mapping, optional
        Dotted-key overrides applied to the config first, e.g. ``{"scale": 1.0}``.

    Returns
    -------
    Locality
        Validated; ``locality.config`` and ``locality.seed`` record how it was built.

    Examples
    --------
    >>> loc = synthesize("nantong-youshi", seed=3)
    >>> int((loc.units["level"] == "township").sum())
    109
    """
    from govlab.network.config import LocalityConfig, load_locality_config

    if not isinstance(config, LocalityConfig):
        config = load_locality_config(config)
    if overrides:
        config = config.with_overrides(overrides)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}", key="seed")
    return _Builder(config, int(seed)).run()
