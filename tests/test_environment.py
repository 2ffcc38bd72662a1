"""The conda environment file installs exactly the pinned set of the lock file."""
from pathlib import Path

from govlab.envfile import read_environment_pins, read_lock

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_pins_equal_lock_file():
    lock = read_lock(ROOT / "requirements.lock")
    env = read_environment_pins(ROOT / "environment.yml")
    assert lock, "requirements.lock pins nothing"
    assert env == lock


def test_environment_yml_uses_python_311():
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


def test_every_direct_requirement_is_locked():
    from govlab.envfile import normalise

    lock = read_lock(ROOT / "requirements.lock")
    for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        name = normalise(line.split("<")[0].split(">")[0].split("=")[0].split("[")[0])
        assert name in lock, f"{name} from requirements.in is not pinned in requirements.lock"
