"""A zoo of bad configs, built here: every one is refused with a message naming the file and the key.

Covers the "Configs" cases of issue 12 (NaN/inf in integer fields, other encodings, deep nesting,
alias bombs, huge counts, huge sweep grids, values that used to pass in silence, internal table
names in messages) and the name typos of issue 11 ("did you mean").
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from govlab.errors import ConfigError
from govlab.network.config import _thaw, load_locality_config
from govlab.scenarios import load_scenario
from govlab.scenarios.sweep import load_sweep

LOCALITY = "shangyou-620"


def _locality_raw() -> dict:
    """The shipped config as written (figures with provenance, ``extends`` resolved)."""
    return _thaw(load_locality_config(LOCALITY).raw)


def _set(d: dict, path: str, value) -> dict:
    """Set ``value`` at a dotted key path with ``[i]`` list indices, replacing a figure's value."""
    d = copy.deepcopy(d)
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = d
    for p in parts[:-1]:
        node = node[int(p[1:-1])] if p.startswith("[") else node.setdefault(p, {})
    last = parts[-1]
    key = int(last[1:-1]) if last.startswith("[") else last
    old = node[key] if (isinstance(node, list) or key in node) else None
    if isinstance(old, dict) and "value" in old:
        node[key] = {**old, "value": value}
    else:
        node[key] = value
    return d


def _yaml(d) -> str:
    return yaml.safe_dump(d, allow_unicode=True, sort_keys=False)


def _village_level(raw) -> int:
    return [lv["level"] for lv in raw["units"]["levels"]].index("village")


# ---------------------------------------------------------------------------------- localities
# (case id, key path, value, words the message must hold)
LOCALITY_VALUES = [
    ("nan-integer", "members.committees.county.size", float("nan"), ["finite"]),
    ("inf-integer", "members.committees.county.special_committees", float("inf"), ["finite"]),
    ("minus-inf-year", "activity.year", float("-inf"), ["finite"]),
    ("nan-level-count", "units.levels[0].count", float("nan"), ["finite"]),
    ("1e7-villages", "units.levels[{village}].count", 10_000_000, ["<= 1,000,000", "villages"]),
    ("1e8-members", "members.committees.county.size", 100_000_000, ["<= 5,000"]),
    ("population-0", "units.population", 0, [">= 1"]),
    ("1e12-residents", "units.population", 1e12, ["<= 200,000,000"]),
    ("urban-share-nan", "units.urban_share", float("nan"), ["finite"]),
    ("share-above-1", "sinking.share", 1.5, ["<= 1.0"]),
    ("committee-size-0", "members.committees.county.size", 0, [">= 1"]),
    ("text-for-number", "units.population", "many", ["expected a whole number"]),
    ("bool-for-number", "sinking.share", True, ["expected a number"]),
    ("platform-count-1e9", "platforms[1].count", 10**9, ["<= 1,000,000"]),
    ("typo-key", "sinking.shaer", 0.5, ["unknown key", "did you mean 'share'"]),
    ("typo-choice", "platforms[1].type", "studdio", ["did you mean 'studio'"]),
    ("typo-committee-level", "members.committees.cuonty", {"size": 3}, ["did you mean 'county'"]),
    ("scale-0", "scale", 0, ["> 0"]),
]


@pytest.mark.parametrize("case, key, value, words", LOCALITY_VALUES, ids=[c[0] for c in LOCALITY_VALUES])
def test_bad_locality_values_name_file_and_key(tmp_path, case, key, value, words):
    raw = _locality_raw()
    key = key.format(village=_village_level(raw))
    f = tmp_path / f"{case}.yaml"
    f.write_text(_yaml(_set(raw, key, value)), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_locality_config(f)
    msg = str(exc.value)
    expected_key = key if not case.startswith("typo-committee") else "members.committees.cuonty"
    assert msg.startswith(f"{f}: {expected_key}: "), msg
    for w in words:
        assert w in msg, msg
    assert "missing columns" not in msg and "Traceback" not in msg


def test_committee_size_zero_names_the_users_key_not_a_table(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text(f"extends: {load_locality_config(LOCALITY).source}\nmembers:\n  committees:\n    county:\n"
                 "      size: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"c\.yaml: members\.committees\.county\.size: expected a whole number >= 1"):
        load_locality_config(f)


@pytest.mark.parametrize("case, edit, key, words", [
    ("committee-size-missing", lambda r: r["members"]["committees"]["county"].pop("size"),
     "members.committees.county.size", ["required key is missing"]),
    ("no-committees", lambda r: r["members"].update(committees={}), "members.committees", ["at least 1 entry"]),
    ("no-levels", lambda r: r["units"].update(levels=[]), "units.levels", ["at least 1 item"]),
    ("no-population", lambda r: r["units"].pop("population"), "units.population", ["required key is missing"]),
], ids=lambda x: x if isinstance(x, str) and " " not in x and "." not in x else "")
def test_missing_parts_name_the_users_key(tmp_path, case, edit, key, words):
    raw = _locality_raw()
    edit(raw)
    f = tmp_path / f"{case}.yaml"
    f.write_text(_yaml(raw), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_locality_config(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}: {key}: ") and all(w in msg for w in words), msg


# ---------------------------------------------------------------------------------- YAML files
def _gbk_config(tmp_path) -> tuple[Path, Path]:
    text = _yaml(_locality_raw())
    assert any(ord(c) > 127 for c in text)  # Chinese names: the encoding matters
    utf8, gbk = tmp_path / "utf8.yaml", tmp_path / "gbk.yaml"
    utf8.write_bytes(text.encode("utf-8"))
    gbk.write_bytes(text.encode("gb18030"))
    return utf8, gbk


def test_gbk_encoded_config_is_read_as_reports_are(tmp_path):
    utf8, gbk = _gbk_config(tmp_path)
    assert load_locality_config(gbk).digest == load_locality_config(utf8).digest
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")):
        other = tmp_path / f"{codec}.yaml"
        other.write_bytes(bom + utf8.read_text(encoding="utf-8").encode(codec))
        assert load_locality_config(other).digest == load_locality_config(utf8).digest, codec


def test_extends_names_the_missing_or_circular_file(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("extends: nowhere.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"a\.yaml: extends: the file it extends does not exist"):
        load_locality_config(a)
    a.write_text("extends: b.yaml\n", encoding="utf-8")
    b.write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="extends: circular extends"):
        load_locality_config(a)
    a.write_text("extends: [b.yaml]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"a\.yaml: extends: expected a file name"):
        load_locality_config(a)


def test_oversized_and_special_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * 500_000)
    with pytest.raises(ConfigError, match=r"big\.yaml: larger than 4,000,000 bytes"):
        load_locality_config(big)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_scenario(tmp_path)  # a folder


YAML_FILES = [
    # (case id, file text or bytes, key the message names (None: the file as a whole), words)
    ("duplicate-key", "id: a\nunits:\n  population: 5\n  population: 6\n", "units.population", ["duplicate key", "line 4"]),
    ("duplicate-top-key", "id: a\nid: b\n", "id", ["duplicate key"]),
    ("alias-bomb", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                   + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
     "a", ["anchors", "not accepted"]),
    ("alias-only", "x: [1]\ny: *x\n", "y", ["aliases", "not accepted"]),
    ("deep-brackets", "a: " + "[" * 10_000 + "]" * 10_000 + "\n", "a[0]", ["nested more than 64 levels"]),
    ("deep-mappings", "a: " + "{b: " * 10_000 + "1" + "}" * 10_000 + "\n", "a.b", ["nested more than 64 levels"]),
    ("not-yaml", "a: [1, 2\n", None, ["not valid YAML", "line 1"]),
    ("top-level-list", "- 1\n- 2\n", None, ["expected a mapping"]),
    ("empty", "", None, ["the file is empty"]),
    ("only-comments", "# nothing here\n", None, ["holds no values"]),
    ("undecodable-bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, None, ["cannot decode"]),
]


@pytest.mark.parametrize("case, content, key, words", YAML_FILES, ids=[c[0] for c in YAML_FILES])
def test_bad_yaml_files_are_refused_naming_file_and_key(tmp_path, case, content, key, words):
    f = tmp_path / f"{case}.yaml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for load in (load_locality_config, load_scenario, load_sweep):
        with pytest.raises(ConfigError) as exc:
            load(f)
        msg = str(exc.value)
        assert msg.startswith(f"{f}: "), msg
        if key is not None:
            assert msg.startswith(f"{f}: {key}"), msg
        for w in words:
            assert w in msg, msg


# ---------------------------------------------------------------------------------- scenarios
SCENARIOS = [
    # (case id, scenario mapping, key, words)
    ("empty-mapping", {}, None, ["the scenario is empty"]),
    ("no-locality", {"years": 3}, "locality", ["required key is missing"]),
    ("unknown-calibration", {"locality": "toy", "calibration": "atlantis"}, "calibration",
     ["no calibration named 'atlantis'"]),
    ("calibration-typo", {"locality": "toy", "calibration": "gansu-extention"}, "calibration",
     ["did you mean 'gansu-extension'"]),
    ("locality-typo", {"locality": "shangyou-602"}, "locality", ["did you mean 'shangyou-620'"]),
    ("locality-file-missing", {"locality": "nowhere.yaml"}, "locality", ["not found"]),
    ("years-0", {"locality": "toy", "years": 0}, "years", [">= 1"]),
    ("years-1e6", {"locality": "toy", "years": 1_000_000}, "years", ["<= 100"]),
    ("replicates-1e12", {"locality": "toy", "replicates": 1e12}, "replicates", ["<= 10,000"]),
    ("replicates-nan", {"locality": "toy", "replicates": float("nan")}, "replicates", ["finite"]),
    ("seed-inf", {"locality": "toy", "seed": float("inf")}, "seed", ["finite"]),
    ("seed-negative", {"locality": "toy", "seed": -1}, "seed", [">= 0"]),
    ("start-year-nan", {"locality": "toy", "start_year": float("nan")}, "start_year", ["finite"]),
    ("count-param-nan", {"locality": "toy", "params": {"events": {"quota_events": float("nan")}}},
     "params.events.quota_events", ["whole number"]),
    ("count-param-inf", {"locality": "toy", "params": {"turnover": {"term_years": float("inf")}}},
     "params.turnover.term_years", ["whole number"]),
    ("year-param-nan", {"locality": "toy", "params": {"turnover": {"first_change": float("nan")}}},
     "params.turnover.first_change", ["year"]),
    ("rate-param-nan", {"locality": "toy", "params": {"loop": {"handle": float("nan")}}},
     "params.loop.handle", ["finite"]),
    ("key-typo", {"locality": "toy", "yeras": 3}, "yeras", ["did you mean 'years'"]),
    ("params-not-mapping", {"locality": "toy", "params": [1, 2]}, "params", ["expected a mapping"]),
]


@pytest.mark.parametrize("case, scenario, key, words", SCENARIOS, ids=[c[0] for c in SCENARIOS])
def test_bad_scenarios_name_file_and_key(tmp_path, case, scenario, key, words):
    f = tmp_path / f"{case}.yaml"
    f.write_text(_yaml(scenario) if scenario else "{}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_scenario(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}: {key}: " if key else f"{f}: "), msg
    for w in words:
        assert w in msg, msg


def test_scenario_name_typo_says_did_you_mean():
    with pytest.raises(ConfigError, match=r"gansu-lever: file not found \(did you mean 'gansu-levers'\?\)"):
        load_scenario("gansu-lever")


def test_locality_name_typo_says_did_you_mean():
    with pytest.raises(ConfigError, match=r"no such locality config \(did you mean 'gansu-extension'\?\)"):
        load_locality_config("gansu-extention")


def test_gbk_scenario_file_loads(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_bytes("name: 上犹连续性\nlocality: toy\nyears: 2\n".encode("gb18030"))
    assert load_scenario(f).name == "上犹连续性"


# ---------------------------------------------------------------------------------- sweeps
BASE_SWEEP = {"scenario": {"locality": "toy", "years": 2}, "parameters": {"params.loop.handle": [0.5, 0.7]},
              "replicates": 2}
SWEEPS = [
    ("tiny-step", {"parameters": {"params.loop.handle": {"start": 0.0, "step": 1e-9, "end": 0.3}}},
     "parameters.params.loop.handle", ["300,000,001 values", "at most 10,000"]),
    ("nan-step", {"parameters": {"params.loop.handle": {"start": 0.0, "step": float("nan"), "end": 0.3}}},
     "parameters.params.loop.handle", ["finite"]),
    ("inf-end", {"parameters": {"params.loop.handle": {"start": 0.0, "step": 0.1, "end": float("inf")}}},
     "parameters.params.loop.handle", ["finite"]),
    ("huge-grid", {"parameters": {f"params.loop.{k}": [round(0.01 * i, 2) for i in range(101)]
                                  for k in ("handle", "decide", "report", "feedback")}},
     "parameters.params.loop.report", ["more than 1,000,000 points"]),  # 101**3 > 1e6
    ("replicates-inf", {"replicates": float("inf")}, "replicates", ["finite"]),
    ("replicates-1e12", {"replicates": 10**12}, "replicates", ["<= 10,000"]),
    ("chunk-size-0", {"chunk_size": 0}, "chunk_size", [">= 1"]),
    ("seed-nan", {"seed": float("nan")}, "seed", ["finite"]),
    ("years-0", {"years": 0}, "years", [">= 1"]),
    ("empty-scenario", {"scenario": {}}, "scenario", ["the scenario is empty"]),
    ("scenario-calibration", {"scenario": {"locality": "toy", "calibration": "atlantis"}}, "scenario.calibration",
     ["no calibration named"]),
    ("key-typo", {"replicate": 3}, "replicate", ["did you mean 'replicates'"]),
]


@pytest.mark.parametrize("case, change, key, words", SWEEPS, ids=[c[0] for c in SWEEPS])
def test_bad_sweeps_name_file_and_key(tmp_path, case, change, key, words):
    f = tmp_path / f"{case}.yaml"
    f.write_text(_yaml({**BASE_SWEEP, **change}), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_sweep(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}: {key}: "), msg
    for w in words:
        assert w in msg, msg


# ---------------------------------------------------------------------------------- the CLI
def test_cli_prints_one_line_naming_file_and_key(tmp_path, capsys):
    from govlab.cli import main

    f = tmp_path / "bad.yaml"
    f.write_text(_yaml(_set(_locality_raw(), "units.population", float("nan"))), encoding="utf-8")
    assert main(["network", "check", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(f) in err[0] and "units.population" in err[0]
    assert main(["network", "check", LOCALITY, "--set", "sinking.share=.nan"]) == 2
    assert "sinking.share: expected a finite number, got nan" in capsys.readouterr().err


def test_shipped_configs_pass_the_schema_unchanged():
    """Every shipped config, scenario and sweep validates (the schema accepts every key they use)."""
    from govlab.datasets import datasets_dir
    from govlab.network import list_locality_configs

    for name in list_locality_configs():
        assert load_locality_config(name).id == name
    folder = datasets_dir() / "scenarios"
    for f in sorted(folder.glob("*.yaml")):
        if f.stem in ("calibration", "targets", "loops"):
            continue
        (load_sweep if f.stem.startswith("sweep-") else load_scenario)(f)


# ---------------------------------------------------------------------------------- fuzzing
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_TOKENS = list("ab01:-[]{},&*!?#|>'\" \n\t.e+") + ["!!int ", "!!float ", "2019-02-30", ".nan", "上犹", "\ud800"]
_YAMLISH = st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**13, 10**13), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=8))
_TREE = st.recursive(_LEAF, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                   st.dictionaries(st.sampled_from(
                                                       ["units", "members", "levels", "count", "size", "share",
                                                        "population", "top", "level", "name", "county", "x"]),
                                                       kids, max_size=3)), max_leaves=12)


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(_YAMLISH)
def test_any_text_gives_data_or_a_config_error(text):
    from govlab.schema import parse_yaml

    try:
        parse_yaml(text, "fuzz.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.yaml: ")


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(_TREE)
def test_any_structure_gives_a_config_or_a_config_error(tree):
    from govlab.network.config import config_from_dict

    base = {"id": "x", "doc_id": "x", "name": "x"}
    data = {**base, **tree} if isinstance(tree, dict) else tree
    try:
        config_from_dict(data if isinstance(data, dict) else {"units": data, **base}, source="fuzz.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.yaml: ")


_KEYS = st.sampled_from(["locality", "years", "replicates", "params", "levers", "variants", "loop", "calibration",
                         "seed", "locality_overrides", "handle", "compensation", "residents", "share", "deputies",
                         "scenario", "parameters", "params.loop.handle", "levers.compensation.residents", "start",
                         "step", "end", "metrics", "chunk_size"])
_SCENARIO_LEAF = st.one_of(_LEAF, st.sampled_from(["toy", "gansu-extension", "none"]))
_SCENARIO_TREE = st.recursive(_SCENARIO_LEAF, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                                     st.dictionaries(_KEYS, kids, max_size=4)),
                              max_leaves=10)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.dictionaries(_KEYS, _SCENARIO_TREE, max_size=5))
def test_any_scenario_or_sweep_mapping_gives_one_or_a_config_error(d):
    from govlab.scenarios.scenario import Scenario

    for build in (lambda: Scenario.from_dict({"locality": "toy", **d}, source="fuzz.yaml"),
                  lambda: load_sweep({"scenario": {"locality": "toy"}, **d})):
        try:
            build()
        except ConfigError:
            pass
