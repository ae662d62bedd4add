"""The hand-written stubs must describe exactly what the compiled module exposes (mypy.stubtest),
and the package must type-check against them (mypy --strict)."""

import subprocess
import sys
from pathlib import Path

import fupin
from fupin import _fupin, errors

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"


def public(names: object) -> set[str]:
    return {n for n in dir(names) if not n.startswith("_")}


def test_stubtest_finds_no_difference_between_stub_and_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "fupin._fupin", "--mypy-config-file", str(CONFIG)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_package_type_checks_strictly() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(CONFIG), "python/fupin"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_package_reexports_everything() -> None:
    exported = public(_fupin) | set(errors.__all__) - {"ErrorDetails"} | {"__version__"}
    assert set(fupin.__all__) == exported
