"""A client of `fupin serve` in Python, with httpx (`requests` reads the same).

Start the service (`fupin serve`), then: `python examples/http_client.py [http://127.0.0.1:8080]`.

Every answer is the `fupin/1` JSON document the command prints with `--format json`: decimals are
strings (read them with `decimal.Decimal`, never `float`), and an error is an RFC 9457 problem
(`application/problem+json`) that lists every field error with its path — raised here as
`FupinProblem`. The service keeps no state between requests, so any number of replicas behind a
load balancer answer alike.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import httpx

UNIT = {
    "unit": "科室甲",
    "items": {"annual_targets": "72", "daily_responsibility": "18"},
    "bonuses": {"over_completion": {"completion": "135%"}},
}


class FupinProblem(Exception):
    """An error answer of the service: its RFC 9457 problem, every field error included."""

    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(f"{problem['status']} {problem['title']}: {problem.get('detail', '')}")
        self.status: int = problem["status"]
        self.type: str = problem["type"]
        self.title: str = problem["title"]
        self.detail: str = problem.get("detail", "")
        #: Every field error: ``{"path": "data.meta", "code": "invalid_type", "message": …}``.
        self.errors: list[dict[str, Any]] = problem.get("errors", [])


class Fupin:
    """The service's endpoints as methods; each returns the JSON document or raises `FupinProblem`."""

    def __init__(self, base_url: str = "http://127.0.0.1:8080", timeout: float = 30) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)

    def __enter__(self) -> Fupin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.http.post(path, json=body)
        if r.headers.get("content-type", "").startswith("application/problem+json"):
            raise FupinProblem(r.json())
        r.raise_for_status()  # anything else that is not a success (a proxy's 502, say)
        doc: dict[str, Any] = r.json()
        assert doc["format"] == "fupin/1", doc.get("format")
        return doc

    def score(self, card: str, units: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
        """One unit (a dict) or many (a list) on a card: reports, the ranking, refused units."""
        return self.post("/v1/score", {"card": card, "input": units})

    def report(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """The funds and integration checks: the embedded 2020 plan figures, or `data`."""
        return self.post("/v1/report", {} if data is None else {"data": data})


def main(base_url: str = "http://127.0.0.1:8080") -> None:
    with Fupin(base_url) as fupin:
        # One unit: 72 + 18 + 3 points for 135 % completion.
        one = fupin.score("a", UNIT)["reports"][0]
        print(one["unit"], Decimal(one["total"]))

        # Many: the ranking, and each refused unit in `errors` while the rest are scored.
        many = fupin.score(
            "a",
            [UNIT, {"unit": "科室乙", "items": {"annual_targets": "95", "daily_responsibility": "18"}}],
        )
        for entry in many["ranking"]:
            print(entry["rank"], many["reports"][entry["index"]]["unit"], entry["total"])
        for refused in many["errors"]:  # 科室乙: 95 is above the item's maximum of 80
            print(refused["row"], refused["unit"], refused["problem"]["detail"])

        # The report on the embedded 2020 plan: every check with its clause.
        checks = fupin.report()["checks"]
        print(f"{sum(c['passed'] for c in checks)} of {len(checks)} checks pass")
        for c in checks:
            if not c["passed"]:
                print("  fails:", c["id"], c["clause"], c["label"]["en"])

        # Errors as data: every field error with its path, code and message.
        try:
            fupin.report({"meta": 1})
        except FupinProblem as e:
            print(e.status, e.title)
            for err in e.errors:
                print(" ", err["path"], err["code"], err["message"])


if __name__ == "__main__":
    main(*sys.argv[1:])
