"""A client of `fupin serve` (httpx; `requests` reads the same).

Start the service (`fupin serve`), then: `python examples/http_client.py [http://127.0.0.1:8080]`.
"""

import sys

import httpx


def main(base_url: str = "http://127.0.0.1:8080") -> None:
    with httpx.Client(base_url=base_url, timeout=30) as fupin:
        r = fupin.post(
            "/v1/score",
            json={
                "card": "a",
                "input": [
                    {
                        "unit": "科室甲",
                        "items": {"annual_targets": "72", "daily_responsibility": "18"},
                        "bonuses": {"over_completion": {"completion": "135%"}},
                    },
                    {"unit": "科室乙", "items": {"annual_targets": "95", "daily_responsibility": "18"}},
                ],
            },
        )
        doc = r.json()
        assert doc["format"] == "fupin/1"
        for report in doc["reports"]:
            print(report["unit"], report["total"])  # decimals are strings: "93"
        for refused in doc["errors"]:  # 科室乙: 95 is above the item's maximum of 80
            print(refused["row"], refused["problem"]["detail"])

        bad = fupin.post("/v1/report", json={"data": {"meta": 1}})
        if bad.status_code == 422:  # application/problem+json
            for e in bad.json()["errors"]:
                print(e["path"], e["code"], e["message"])


if __name__ == "__main__":
    main(*sys.argv[1:])
