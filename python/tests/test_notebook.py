"""examples/analyst.ipynb runs from top to bottom without an error (so it cannot go stale)."""

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOK = EXAMPLES / "analyst.ipynb"
KERNEL = "fupin-test-python"


@pytest.fixture
def kernel_of_this_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec that runs the notebook with this very interpreter (the venv's), whatever
    kernels the machine or the user has registered: JUPYTER_PATH is searched first."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "fupin tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    # jupyter_core warns (DeprecationWarning) until it is told to use the platform's directories.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    return KERNEL


def test_the_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_the_analyst_notebook_runs_from_top_to_bottom(kernel_of_this_python: str) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel_of_this_python,
        timeout=120,
        resources={"metadata": {"path": str(EXAMPLES)}},  # the notebook reads examples/*.csv, *.toml
    )
    client.execute()  # raises CellExecutionError naming the cell on the first error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "247.77%" in html  # the report's M1 city growth
    assert "落后序时进度" in html or "behind" in html  # June bulletin
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # county input, spending progress, score breakdown: once each
