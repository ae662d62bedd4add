"""Every ```python block of the README, the manual (docs/*.md) and the crates' READMEs runs as
written, from the project root (the blocks read examples/)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "crates").glob("*/README.md")),
]
BLOCKS = [
    pytest.param(page, code, id=f"{page.relative_to(ROOT)}#{i}")
    for page in PAGES
    for i, code in enumerate(
        re.findall(r"^```python\n(.*?)^```", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    )
]


def test_the_docs_have_python_examples() -> None:
    pages = {page for page, _ in (p.values for p in BLOCKS)}
    assert ROOT / "README.md" in pages and ROOT / "docs" / "python.md" in pages
    assert len(BLOCKS) >= 7


@pytest.mark.parametrize(("page", "code"), BLOCKS)
def test_docs_python_block_runs(page: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(code, str(page), "exec"), {})
