"""Draft a locality config from a report: every value a figure of that report, or a prior marked ASSUMPTION.

:func:`draft_locality` reads one report (a file, or a document id of the project's examples or of
the corpus in ``GOVLAB_CORPUS_DIR``), cleans it (:func:`govlab.corpus.clean_text`), extracts its
figures (:func:`govlab.coding.extract_figures`) and maps the figures it understands onto the keys
of a locality config:

=========================================  ====================================================
extracted figure (kind, counted thing)     config value
=========================================  ====================================================
count of 乡镇 / 镇(街道) / 乡镇(街道)        ``units.levels[township].count``
count of 村 / 村(社区) / 社区               ``units.levels[village].count``
count of 区 / 县 (city reports)             ``units.levels[county].count``
count of 人口 / 常住人口 / 居民 (万人 ...)    ``units.population``
count of 委员工作站 / 委员工作室 / 议事室     a platform rule with that ``count``
count of 委员 (名 / 人, 30 to 1,000)        ``members.committees.<level>.size``
quota 4+X and the next 社情民意信息 count    ``activity.quotas``
=========================================  ====================================================

Every drafted value is a figure mapping: ``{value, doc_id, fact}`` where the fact names the
extracted number, its unit, the counted thing and its character offsets in the cleaned text
(``chars 126-128``), or ``{value, assumption: true, note}`` for a prior (a masked number in the
report is a prior too, ``masked: true``, naming the offsets of the mask). No sentence of the report
is copied. The draft's ``targets`` check the structural values it took from the report, so
``govlab network check draft.yaml`` validates it and a baseline year runs on it
(:func:`govlab.scenarios.run_scenario` with ``locality: draft.yaml``).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govlab.errors import InputError

#: Priors per top level: (population, townships, villages, committee size); all ASSUMPTION.
PRIORS = {
    "county": {"population": 400_000, "township": 14, "village": 180, "committee": 180},
    "city": {"population": 5_000_000, "county": 8, "township": 90, "village": 1200, "committee": 350},
    "province": {"population": 30_000_000, "city": 12, "county": 90, "township": 1300, "village": 17000,
                 "committee": 600},
}
CITY_WORDS = ("市州", "市", "地级市", "省辖市", "市(州)")
TOWNSHIP_WORDS = ("乡镇", "镇(街道)", "乡镇(街道)", "镇", "乡镇街道", "街道")
VILLAGE_WORDS = ("村", "村(社区)", "社区", "行政村", "村组")
COUNTY_WORDS = ("区", "县", "县(市、区)", "县(区)", "县区")
POPULATION_WORDS = ("人口", "常住人口", "户籍人口")
PLATFORM_WORDS = {"workstation": ("委员工作站",), "studio": ("委员工作室",),
                  "consultation_room": ("协商议事室", "议事室")}


@dataclass(frozen=True)
class Draft:
    """A drafted config (``config``, YAML-ready) and the figures it drew on (``figures``)."""

    config: dict
    figures: pd.DataFrame
    used: pd.DataFrame
    source: str

    def to_yaml(self) -> str:
        import yaml

        head = (f"# Locality config drafted by `govlab network draft` from {self.source}.\n"
                "# Every value is a figure of that report (doc_id + fact: number, unit, counted thing and\n"
                "# character offsets in the cleaned text) or a prior marked assumption: true. Review before use.\n")
        return head + yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False, width=110)


def resolve_report(report: str | os.PathLike) -> tuple[Path, dict]:
    """A report's path and its manifest row (empty when none): a file path, or a document id of
    ``datasets/examples/manifest.csv`` or of ``$GOVLAB_CORPUS_DIR/manifest.csv``.

    Raises
    ------
    InputError
        When it is neither an existing file nor a known document id (naming where it looked).
    """
    from govlab.datasets import datasets_dir

    p = Path(report)
    places = [datasets_dir() / "examples"]
    if os.environ.get("GOVLAB_CORPUS_DIR"):
        places.append(Path(os.environ["GOVLAB_CORPUS_DIR"]))
    for folder in places:
        man = folder / "manifest.csv"
        if not man.exists():
            continue
        df = pd.read_csv(man, dtype=str).fillna("")
        hit = df[(df["doc_id"] == str(report)) | (df["file"] == p.name)]
        if len(hit) and (p.exists() is False or (folder / hit.iloc[0]["file"]).resolve() == p.resolve()):
            return folder / hit.iloc[0]["file"], hit.iloc[0].to_dict()
    if p.exists() and p.is_file():
        return p, {}
    looked = ", ".join(str(f / "manifest.csv") for f in places)
    raise InputError(f"no such file, and no document with this id in {looked}"
                     + ("" if os.environ.get("GOVLAB_CORPUS_DIR") else " (set GOVLAB_CORPUS_DIR for the corpus)"),
                     source=str(report))


def _fact(row, what: str) -> str:
    num = f"{row.value:g}" if pd.notna(row.value) else "masked"
    unit = "" if row.unit in ("", "quota") else f" {row.unit}"
    counted = f" {row.counted}" if row.counted else ""
    approx = " (approximate or a bound)" if bool(row.approx) else ""
    return f"extracted figure {num}{unit}{counted}{approx} at chars {int(row.start)}-{int(row.end)}: {what}"


def _pick(figs: pd.DataFrame, words, *, kind: str = "count", units=None, lo=None, hi=None):
    """The first unmasked figure of ``kind`` counting one of ``words`` (and the first masked one)."""
    sub = figs[(figs["kind"] == kind) & figs["counted"].isin(words)]
    if units is not None:
        sub = sub[sub["unit"].isin(units)]
    masked = sub[sub["masked"].astype(bool)]
    sub = sub[~sub["masked"].astype(bool)]
    if lo is not None:
        sub = sub[sub["value"] >= lo]
    if hi is not None:
        sub = sub[sub["value"] <= hi]
    return (sub.iloc[0] if len(sub) else None), (masked.iloc[0] if len(masked) else None)


def draft_from_text(text: str, doc_id: str, *, level: str = "county", name: str | None = None,
                    source: str = "<text>") -> Draft:
    """Draft a locality config from the cleaned text of one report.

    Parameters
    ----------
    text : str
        Cleaned text (offsets in the facts refer to it).
    doc_id : str
        Written as the config's ``doc_id`` and in every report figure.
    level : {"county", "city", "province"}
        The level of the report's locality (from its manifest when known).
    name : str, optional
        The locality's name (default ``doc_id``).

    Returns
    -------
    Draft

    Raises
    ------
    InputError
        The text has no Chinese or is empty (from the extractor), or none of its figures is one the
        draft can use (naming ``doc_id`` and what it looked for).

    Examples
    --------
    >>> t = "（虚构）全县14个乡镇建成委员工作站6个、委员工作室21个，覆盖186个村。"
    >>> d = draft_from_text(t, "demo")
    >>> d.config["units"]["levels"][0]["count"]["value"], d.config["platforms"][0]["count"]["value"]
    (14, 6)
    >>> d.config["platforms"][0]["count"]["fact"]
    'extracted figure 6 个 委员工作站 at chars 18-20: member workstations'
    """
    from govlab.coding import extract_figures

    if level not in PRIORS:
        raise InputError(f"unknown level {level!r}; expected one of {sorted(PRIORS)}", source=doc_id, key="level")
    figs = extract_figures(text, doc_id).reset_index(drop=True)
    prior = PRIORS[level]
    used = []

    def fig_value(row, what, value=None):
        used.append({**row.to_dict(), "used_for": what})
        v = row.value if value is None else value
        return {"value": int(v) if float(v).is_integer() else float(v), "doc_id": doc_id, "fact": _fact(row, what)}

    def prior_value(value, what, masked_row=None):
        out = {"value": value, "assumption": True,
               "note": f"prior for {what}: the report gives no usable figure (ASSUMPTION)"}
        if masked_row is not None:
            out["masked"] = True
            out["note"] = (f"prior for {what}: the report masks this number (chars {int(masked_row.start)}-"
                           f"{int(masked_row.end)}); ASSUMPTION")
        return out

    levels = []
    if level == "province":
        row, m = _pick(figs, CITY_WORDS, lo=1, hi=40)
        levels.append({"level": "city", "count": fig_value(row, "prefectures and cities") if row is not None
                       else prior_value(prior["city"], "prefectures and cities", m)})
        row, m = _pick(figs, COUNTY_WORDS, units=("个",), lo=20, hi=300)
        levels.append({"level": "county", "count": fig_value(row, "counties and districts") if row is not None
                       else prior_value(prior["county"], "counties and districts", m)})
    if level == "city":
        row, m = _pick(figs, COUNTY_WORDS, units=("个",), lo=1, hi=40)
        levels.append({"level": "county", "count": fig_value(row, "districts and counties") if row is not None
                       else prior_value(prior["county"], "districts and counties", m)})
    row, m = _pick(figs, TOWNSHIP_WORDS, lo=1, hi=2000)
    n_town = int(row.value) if row is not None else prior["township"]
    levels.append({"level": "township", "count": fig_value(row, "townships and streets") if row is not None
                   else prior_value(prior["township"], "townships and streets", m)})
    row, m = _pick(figs, VILLAGE_WORDS, lo=1, hi=50000)
    n_vill = int(row.value) if row is not None else prior["village"]
    vill = {"level": "village", "count": fig_value(row, "villages and communities") if row is not None
            else prior_value(prior["village"], "villages and communities", m), "scalable": True}
    levels.append(vill)
    pop_row, pop_m = _pick(figs, POPULATION_WORDS, lo=1000)
    population = fig_value(pop_row, "residents") if pop_row is not None else prior_value(
        prior["population"], "residents", pop_m)

    platforms, targets = [], []
    for ptype, words in PLATFORM_WORDS.items():
        row, m = _pick(figs, words, lo=1, hi=100000)
        if row is None:
            continue
        label = {"workstation": "member workstations", "studio": "member studios",
                 "consultation_room": "consultation rooms"}[ptype]
        home = "township" if ptype == "workstation" else "village"
        limit = n_town if home == "township" else n_vill
        count = fig_value(row, label)
        if count["value"] > limit:  # more platforms than units of their level: spread over both levels
            platforms.append({"name": label, "type": ptype, "levels": ["township", "village"], "count": count,
                              "select": "population", "head": "member", "sink": True})
        else:
            platforms.append({"name": label, "type": ptype, "level": home, "count": count,
                              "select": "population", "head": "member", "sink": True})
        targets.append({"id": f"{ptype}-count", "metric": "count_platforms", "args": {"type": ptype}, "op": "==",
                        "value": count["value"], "doc_id": doc_id, "fact": count["fact"]})
    for lv in levels:
        if "doc_id" in lv["count"]:
            targets.append({"id": f"{lv['level']}-count", "metric": "count_units", "args": {"level": lv["level"]},
                            "op": "==", "value": lv["count"]["value"], "doc_id": doc_id, "fact": lv["count"]["fact"]})
    if not used:
        found = ", ".join(sorted({f"{r.kind}:{r.counted or '-'}" for r in figs.itertuples()})) or "none"
        raise InputError("no figure the draft can use: it looks for counts of townships, villages, districts, "
                         "residents, member workstations, studios and consultation rooms; "
                         f"the report's figures count: {found}", source=doc_id)
    for lv_name, words in (("township", TOWNSHIP_WORDS), ("village", VILLAGE_WORDS)):
        row, _ = _pick(figs, words, kind="percent", lo=0, hi=100)
        if row is None or any(p.get("level") == lv_name and p["type"] == "consultation_room" for p in platforms):
            continue
        cov = fig_value(row, f"share of {lv_name}s with consultation rooms", value=round(float(row.value) / 100, 4))
        platforms.append({"name": f"consultation rooms ({lv_name}s)", "type": "consultation_room", "level": lv_name,
                          "coverage": cov, "select": "population", "head": "cadre", "sink": True})
        targets.append({"id": f"{lv_name}-room-coverage", "metric": "unit_coverage",
                        "args": {"level": lv_name, "type": "consultation_room"},
                        "op": ">=" if bool(row.approx) else "approx", "value": cov["value"],
                        **({} if bool(row.approx) else {"tol": 0.01}), "doc_id": doc_id, "fact": cov["fact"]})
    if not platforms:
        platforms.append({"name": "consultation rooms", "type": "consultation_room", "level": "township",
                          "coverage": prior_value(1.0, "share of townships with a consultation room"),
                          "select": "population", "head": "cadre", "sink": True})
    committee = level
    row, m = _pick(figs, ("委员",), units=("名", "人", "位"), lo=30, hi=1000)
    size = fig_value(row, f"members of the {committee} committee") if row is not None else prior_value(
        prior["committee"], f"members of the {committee} committee", m)
    config: dict = {
        "extends": "_common.yaml",
        "id": f"draft-{doc_id}",
        "doc_id": doc_id,
        "name": name or doc_id,
        "description": "",
        "scale": {"value": 1.0, "assumption": True, "note": "a drafted locality is built at full size"},
        "units": {"top": {"level": level, "name": name or doc_id, "subtype": level},
                  "population": population,
                  "levels": levels},
        "members": {"committees": {committee: {"size": size}}},
        "platforms": platforms,
        "sinking": {"share": prior_value(0.6, "share of members sunk to stations"), "levels": [committee]},
    }
    qrow, _ = _pick(figs, ("4+X",), kind="quota")
    if qrow is not None:
        quotas = {"consultations": fig_value(qrow, "yearly consultations per station (quota)")}
        after = figs[(figs["start"] > qrow.end) & (figs["start"] < qrow.end + 60) & (figs["counted"] == "社情民意信息")
                     & ~figs["masked"].astype(bool)]
        if len(after):
            quotas["opinion_info"] = fig_value(after.iloc[0], "yearly public-opinion items per station (quota)")
        config["activity"] = {"quotas": quotas}
    config["targets"] = targets
    config["description"] = (f"Drafted from {source} by govlab network draft: {len(used)} figures of the report, "
                             "the rest priors marked assumption")
    return Draft(config=config, figures=figs, used=pd.DataFrame(used), source=source)


def draft_locality(report: str | os.PathLike, *, level: str | None = None) -> Draft:
    """Draft a locality config from a report file or a document id (see :func:`resolve_report`).

    Examples
    --------
    >>> d = draft_locality("ex-qingxi-workstations")
    >>> d.config["doc_id"], [p["type"] for p in d.config["platforms"]]
    ('ex-qingxi-workstations', ['workstation', 'studio'])
    """
    from govlab.corpus.clean import clean_text
    from govlab.corpus.read import read_document

    path, meta = resolve_report(report)
    raw = read_document(path)
    script = meta.get("script") or None
    cleaned = clean_text(raw.text, script=script if script in ("traditional", "simplified") else None,
                         title=meta.get("title", ""))
    doc_id = meta.get("doc_id") or path.stem
    lv = level or (meta.get("locality_level") if meta.get("locality_level") in PRIORS else "county")
    name = (meta.get("locality") or doc_id).split(" (")[0].split(" and ")[0]
    return draft_from_text(cleaned.text, doc_id, level=lv, name=name, source=path.name)


def write_draft(draft: Draft, out: str | os.PathLike) -> Path:
    """Write the drafted config (YAML, atomically) next to a copy of ``_common.yaml`` when the
    folder has none, so that ``extends: _common.yaml`` resolves."""
    from govlab.io import write_text
    from govlab.network.config import localities_dir

    out = Path(out)
    common = out.parent / "_common.yaml"
    if not common.exists():
        write_text(common, (localities_dir() / "_common.yaml").read_text(encoding="utf-8"))
    write_text(out, draft.to_yaml())
    return out


def provenance_of(config: Mapping) -> list[tuple[str, str]]:
    """``(key path, status)`` of every value of a drafted config outside ``targets``: ``report``
    (doc_id and a fact with character offsets), ``assumption`` or ``missing``.

    Examples
    --------
    >>> provenance_of({"a": {"value": 1, "doc_id": "d", "fact": "extracted figure 1 at chars 0-1: x"},
    ...                "b": {"value": 2, "assumption": True, "note": "prior"}, "c": 3})
    [('a', 'report'), ('b', 'assumption'), ('c', 'missing')]
    """
    out = []

    def walk(node, path):
        if isinstance(node, Mapping):
            if "value" in node:
                if node.get("doc_id") and "at chars" in str(node.get("fact", "")):
                    out.append((path, "report"))
                elif node.get("assumption"):
                    out.append((path, "assumption"))
                else:
                    out.append((path, "missing"))
                return
            for k, v in node.items():
                if path == "" and k in ("extends", "id", "doc_id", "name", "description", "targets"):
                    continue
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(node, list) and node and isinstance(node[0], Mapping):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            out.append((path, "missing"))

    walk(dict(config), "")
    return out
