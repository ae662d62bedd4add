"""examples/http_client.py against a real `fupin serve` on a free loopback port: one unit, many,
the report, and errors as problem+json — each answer equal to the Python binding's own."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import fupin

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "http_client.py"
# ./scripts/test builds it before pytest (cargo test); FUPIN_BIN points elsewhere.
FUPIN = Path(os.environ.get("FUPIN_BIN", ROOT / "target" / "debug" / "fupin"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    assert FUPIN.is_file(), f"{FUPIN} is missing: build it with `cargo build -p fupin-cli`"
    # --port 0: the system picks a free port, and the service says which.
    proc = subprocess.Popen(
        [str(FUPIN), "serve", "--bind", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    url = None
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if m:
            url = m.group(1)
    if url is None:
        proc.kill()
        proc.wait()
        proc.stderr.close()
        pytest.fail("fupin serve did not say where it listens")
    # Keep reading its log so that the pipe never fills.
    drain = threading.Thread(target=lambda: [None for _ in proc.stderr or []], daemon=True)
    drain.start()
    yield url
    proc.terminate()
    proc.wait(timeout=15)
    drain.join(timeout=5)
    proc.stderr.close()


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("http_client", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["http_client"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client(server: str, example: ModuleType) -> Iterator[object]:
    with example.Fupin(server) as c:
        yield c


def test_one_unit_is_scored_as_the_binding_scores_it(client, example: ModuleType) -> None:
    doc = client.score("a", example.UNIT)
    assert doc["format"] == "fupin/1" and doc["errors"] == []
    (report,) = doc["reports"]
    assert report["total"] == "93"  # 72 + 18 + 3 for 135 % completion
    assert report == json.loads(fupin.score("a", example.UNIT).to_json())


def test_many_units_are_ranked_and_a_refused_one_is_named_with_its_path(client, example: ModuleType) -> None:
    units = [
        example.UNIT,
        {"unit": "科室乙", "items": {"annual_targets": "95", "daily_responsibility": "18"}},
        {"unit": "科室丙", "items": {"annual_targets": "80", "daily_responsibility": "20"}},
    ]
    doc = client.score("a", units)
    assert [r["unit"] for r in doc["reports"]] == ["科室甲", "科室丙"]
    ranking = [(doc["reports"][e["index"]]["unit"], e["rank"], e["total"]) for e in doc["ranking"]]
    assert ranking == [("科室丙", 1, "100"), ("科室甲", 2, "93")]
    (refused,) = doc["errors"]
    assert (refused["row"], refused["unit"]) == (1, "科室乙")
    problem = refused["problem"]
    assert problem["status"] == 422
    assert [(e["path"], e["code"], e["value"]) for e in problem["errors"]] == [
        ("input[1].annual_targets", "out_of_range", "95")
    ]


def test_the_report_is_the_bindings_report(client) -> None:
    doc = client.report()
    assert doc.pop("format") == "fupin/1"
    assert doc == json.loads(fupin.report().to_json())
    assert len(doc["checks"]) == 21 and sum(c["passed"] for c in doc["checks"]) == 18


def test_errors_are_problem_details_with_every_field_error(client, example: ModuleType) -> None:
    with pytest.raises(example.FupinProblem) as bad_data:
        client.report({"meta": 1})
    e = bad_data.value
    assert (e.status, e.type) == (422, "urn:fupin:problem:invalid-input")
    assert [(x["path"], x["code"]) for x in e.errors] == [("data.meta", "invalid_type")]

    with pytest.raises(example.FupinProblem) as bad_card:
        client.score("z", example.UNIT)
    assert [(x["path"], x["code"], x["value"]) for x in bad_card.value.errors] == [
        ("card", "unknown_name", "z")
    ]


def test_the_example_runs_end_to_end(
    server: str, example: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    example.main(server)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "科室甲 93"
    assert "1 科室乙 input[1]: item `annual_targets`: 95 points is above its maximum of 80" in out
    assert "18 of 21 checks pass" in out
    assert (
        "  data.meta invalid_type invalid type: integer `1`, expected struct DataMeta at line 1 column 9"
        in out
    )


def test_the_docs_client_runs_against_the_service(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The ```py block of docs/http.md, "From Python" (not a ```python block: it needs a service).
    page = (ROOT / "docs" / "http.md").read_text(encoding="utf-8")
    section = page[page.index("## From Python") :]
    m = re.search(r"```py\n(.*?)```", section, flags=re.S)
    assert m is not None
    code = m.group(1)
    assert "http://127.0.0.1:8080" in code
    exec(compile(code.replace("http://127.0.0.1:8080", server), "docs/http.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "93",
        "1 科室甲 93",
        "1 input[1].annual_targets",
        "18 of 21 checks pass",
        "422 [('data.meta', 'invalid_type')]",
    ]
