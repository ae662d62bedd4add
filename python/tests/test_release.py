"""What a pip user gets: the ``fupin`` command, ``python -m fupin``, the wheel CI workflow."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fupin.__main__ as entry

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "wheels.yml"

needs_binary = pytest.mark.skipif(
    entry.binary() is None, reason="the fupin binary is bundled by ./scripts/test and scripts/wheel"
)


@needs_binary
def test_python_dash_m_fupin_runs_the_bundled_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fupin", "report", "--lang", "en"], capture_output=True, text=True, check=True
    )
    assert "M1c" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "fupin", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no-such-command" in bad.stderr


@needs_binary
def test_the_console_script_is_installed_next_to_python() -> None:
    script = shutil.which("fupin", path=str(Path(sys.executable).parent))
    assert script is not None
    out = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("fupin ")


def test_without_the_binary_the_command_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(entry, "binary", lambda: None)
    assert entry.main(["report"]) == 2
    assert "cargo run -p fupin-cli" in capsys.readouterr().err


def test_the_wheel_workflow_is_a_valid_github_workflow() -> None:
    """The workflow cannot run here; its schema (vendored by check-jsonschema) keeps it valid."""
    schema = ["--builtin-schema", "vendor.github-workflows"]
    subprocess.run([sys.executable, "-m", "check_jsonschema", *schema, str(WORKFLOW)], check=True)
