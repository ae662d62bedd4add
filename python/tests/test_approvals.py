"""The approval chain from Python (M6, M8, task 8): the plan's path and every forbidden case."""

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import fupin

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "approvals_2020.jsonl"
REGISTRY = ROOT / "examples" / "registry_2020.toml"
UNSIGNED = ROOT / "crates" / "fupin" / "src" / "audit" / "testdata" / "unsigned_2020.jsonl"

PROJECT = {
    "id": "JP-2020-001",
    "name": "朱碌科镇设施农业大棚",
    "county": "建平县",
    "township": "朱碌科镇",
    "category": "facility_agriculture",
    "requested": Decimal("1200000"),
    "fund_source": "city_special",
    "implementing_unit": "朱碌科镇人民政府",
    "performance_targets": [{"indicator": "带动贫困户", "target": "≥ 50 户"}],
    "documents": ["项目申报书", "绩效目标表"],
}
LIBRARY = {"county": "建平县", "projects": [PROJECT]}


def township(id: str, name: str, county: str, town: str) -> dict:
    return {
        "id": id,
        "name": name,
        "role": "township",
        "jurisdiction": {"level": "township", "county": county, "township": town},
    }


def county(id: str, name: str, role: str, county: str) -> dict:
    return {"id": id, "name": name, "role": role, "jurisdiction": {"level": "county", "county": county}}


def city(id: str, name: str, role: str) -> dict:
    return {"id": id, "name": name, "role": role, "jurisdiction": {"level": "city"}}


ENTRY = county("jp-fpb-zhou", "周主任", "poverty_office", "建平县")
ZHANG = township("zlk-zhang", "张乡长", "建平县", "朱碌科镇")
SUN = township("blc-sun", "孙乡长", "朝阳县", "波罗赤镇")
LI = county("jp-czj-li", "李科长", "finance", "建平县")
WU = county("cy-czj-wu", "吴科长", "finance", "朝阳县")
WANG = city("cyc-nyk-wang", "王科长", "finance")
ZHAO = city("cyc-gk-zhao", "赵科长", "finance")
QIAN = city("cyc-fpb-qian", "钱主任", "leading_group")
CHEN = city("cyc-ldxz-chen", "陈秘书", "leading_group")

T0 = datetime(2020, 4, 1, 9, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


# (action, actor, amount) of the plan's full path, with the M8 steps before the re-check.
PATH = [
    ("apply", ZHANG, None),
    ("review", LI, None),
    ("review_targets", LI, None),
    ("file_targets", CHEN, None),
    ("publish_targets", LI, None),
    ("recheck", WANG, Decimal("1000000")),
    ("arrange_funds", ZHAO, Decimal("1000000")),
    ("approve_implementation", QIAN, None),
]


def after(n: int, path: list = PATH) -> fupin.ApprovalState:
    s = fupin.enter(LIBRARY, "JP-2020-001", ENTRY, T0)
    for i, (action, actor, amount) in enumerate(path[:n]):
        s = fupin.transition(s, action, actor, at(i + 1), amount=amount)
    return s


def refused(state: fupin.ApprovalState, action: str, actor: dict, amount=None) -> fupin.ApprovalError:
    with pytest.raises(fupin.ApprovalError) as e:
        fupin.transition(state, action, actor, at(30), amount=amount)
    assert e.value.project == "JP-2020-001"
    return e.value


def test_the_plans_full_path_with_named_actors() -> None:
    stages = [after(0).stage]
    for n in range(1, len(PATH) + 1):
        s = after(n)
        if s.stage != stages[-1]:
            stages.append(s.stage)
    assert stages == ["in_library", "applied", "reviewed", "rechecked", "funds_arranged", "approved"]
    s = after(len(PATH))
    assert s.stage_label() == "批准实施"
    assert s.stage_label("en") == "approved for implementation"
    assert s.approved == Decimal("1000000") and s.arranged == Decimal("1000000")
    assert isinstance(s.approved, Decimal)
    assert s.requested == Decimal("1200000")
    assert s.targets_missing == []
    assert s.updated_at == at(8)
    assert s.to_dict()["stage"] == "approved"


def test_project_not_in_library() -> None:
    with pytest.raises(fupin.ApprovalError) as e:
        fupin.enter({"county": "建平县", "projects": []}, "JP-2020-001", ENTRY, T0)
    assert e.value.kind == "not_in_library"
    assert e.value.clause == "M6"
    assert "未进入建平县项目库" in e.value.message_zh
    assert isinstance(e.value, fupin.FupinError) and isinstance(e.value, ValueError)


def test_library_entry_requires_fields_and_documents() -> None:
    empty = {"county": "建平县", "projects": []}
    bare = {
        k: v for k, v in PROJECT.items() if k not in ("implementing_unit", "performance_targets", "documents")
    }
    with pytest.raises(fupin.ProjectError, match="JP-2020-001.*implementing_unit"):
        fupin.admit_project(empty, bare)
    complete = {**PROJECT, "documents": ["项目申报书"]}
    with pytest.raises(fupin.ProjectError, match="绩效目标表"):
        fupin.admit_project(empty, complete)
    complete["documents"].append("绩效目标表")
    library = fupin.admit_project(empty, complete)
    assert library["projects"][0]["requested"] == Decimal("1200000")
    assert fupin.enter(library, "JP-2020-001", ENTRY, T0).stage == "in_library"
    with pytest.raises(fupin.ProjectError, match="already in the library"):
        fupin.admit_project(library, complete)


def test_county_acting_as_applicant() -> None:
    e = refused(after(0), "apply", LI)
    assert e.kind == "wrong_level"
    assert e.clause == "T8"
    assert "李科长" in str(e) and "township application" in str(e)


def test_review_before_application() -> None:
    e = refused(after(0), "review", LI)
    assert e.kind == "out_of_order"
    assert "不能在「入库」阶段进行「县审核」" in e.message_zh


def test_recheck_before_review() -> None:
    assert refused(after(1), "recheck", WANG, Decimal("1000000")).kind == "out_of_order"


def test_wrong_jurisdiction() -> None:
    assert refused(after(0), "apply", SUN).kind == "wrong_jurisdiction"
    assert refused(after(1), "review", WU).kind == "wrong_jurisdiction"
    e = refused(after(5), "recheck", LI, Decimal("1"))
    assert e.kind == "wrong_level"  # only the city re-checks


def test_same_person_twice_in_a_row() -> None:
    e = refused(after(6), "arrange_funds", WANG, Decimal("1000000"))
    assert e.kind == "same_actor" and e.actor == "cyc-nyk-wang"
    assert "王科长" in str(e) and "separation of duties" in str(e)


def test_funds_above_the_approved_amount() -> None:
    e = refused(after(6), "arrange_funds", ZHAO, Decimal("1000000.01"))
    assert e.kind == "above_approved"
    assert refused(after(5), "recheck", WANG, "121万元").kind == "above_requested"
    with pytest.raises(fupin.DataError, match="float"):
        fupin.transition(after(6), "arrange_funds", ZHAO, at(30), amount=100.5)
    with pytest.raises(fupin.DataError, match="needs `amount`"):
        fupin.transition(after(6), "arrange_funds", ZHAO, at(30))


def test_m8_targets_are_an_order_not_a_gate_of_approval() -> None:
    no_targets = [step for step in PATH if not step[0].endswith("_targets")]
    s = after(len(no_targets) - 1, no_targets)
    assert s.targets_missing == ["review_targets", "file_targets", "publish_targets"]
    # The plan sets no gate: approval goes ahead, and the M8 check reports what is missing.
    approved = fupin.transition(s, "approve_implementation", QIAN, at(30))
    assert approved.stage == "approved"
    # A gate is a labelled parameter of the policy (library rule L8), off by default.
    toml = fupin.Policy.chaoyang_2020_toml().replace(
        'targets_before_approval = "none"', 'targets_before_approval = "reviewed_filed_published"'
    )
    gated = fupin.Policy.from_toml(toml)
    with pytest.raises(fupin.ApprovalError) as e:
        fupin.transition(s, "approve_implementation", QIAN, at(30), policy=gated)
    assert e.value.kind == "targets_incomplete"
    assert e.value.clause == "M8"
    # Filing before the financial review is refused: that order is the plan's.
    e2 = refused(after(2), "file_targets", CHEN)
    assert e2.kind == "targets_not_reviewed"
    [check] = fupin.check_performance_targets([s])
    assert not check.passed and check.clause == "M8" and check.subject == "JP-2020-001"
    [check] = fupin.check_performance_targets([after(len(PATH))])
    assert check.passed


def test_times_must_be_aware_and_may_be_in_any_zone() -> None:
    with pytest.raises(fupin.DataError, match="time zone"):
        fupin.enter(LIBRARY, "JP-2020-001", ENTRY, datetime(2020, 4, 1, 9))
    beijing = timezone(timedelta(hours=8))
    s = fupin.enter(LIBRARY, "JP-2020-001", ENTRY, datetime(2020, 4, 1, 17, tzinfo=beijing))
    assert s.updated_at == T0
    with pytest.raises(TypeError):
        fupin.enter(LIBRARY, "JP-2020-001", ENTRY, "2020-04-01")  # type: ignore[arg-type]


def test_bad_actor_names_the_problem() -> None:
    with pytest.raises(fupin.DataError, match="actor"):
        fupin.enter(LIBRARY, "JP-2020-001", {"id": "x"}, T0)


def test_audit_log_records_verifies_and_replays() -> None:
    log = fupin.AuditLog()
    log.enter(LIBRARY, "JP-2020-001", ENTRY, T0, comment="第 1 批")
    for i, (action, actor, amount) in enumerate(PATH):
        log.record("JP-2020-001", action, actor, at(i + 1), amount=amount)
    with pytest.raises(fupin.ApprovalError):
        log.record("JP-2020-001", "apply", ZHANG, at(20))
    text = log.to_jsonl()
    assert log.head["count"] == 9 == len(log.events)
    with pytest.warns(UserWarning, match="unsigned, hash chain only"):
        assert fupin.verify_log(text, head=log.head["hash"]) == log.head
    with pytest.warns(UserWarning, match="unsigned, hash chain only"):
        states = fupin.replay_log(text)
    assert states == log.states
    assert states["JP-2020-001"].stage == "approved"
    assert log.events[6]["action"] == {"kind": "recheck", "approved": Decimal("1000000")}


def joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def test_tampering_is_detected_naming_the_line() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head = fupin.verify_log(text, registry=REGISTRY)
    assert head["count"] == 18
    assert fupin.AuditLog.sample_2020().to_jsonl() == text
    lines = text.splitlines()
    edited = lines.copy()
    edited[13] = edited[13].replace('"1000000"', '"1200000"')
    with pytest.raises(fupin.AuditError) as e:
        fupin.verify_log(joined(edited), registry=REGISTRY)
    assert (e.value.kind, e.value.line, e.value.seq) == ("tampered", 14, 13)
    with pytest.raises(fupin.AuditError, match="truncated"):
        fupin.verify_log(joined(lines[:-1]), registry=REGISTRY, anchors=[(18, head["hash"])])
    with pytest.raises(fupin.AuditError) as e:
        fupin.verify_log(joined(lines[:2] + ["{oops"]), registry=REGISTRY)
    assert (e.value.kind, e.value.line) == ("malformed", 3)
    with pytest.raises(fupin.AuditError) as e:
        fupin.verify_log(text)
    assert e.value.kind == "needs_registry"
    with pytest.raises(fupin.AuditError) as e:
        fupin.verify_log("")
    assert e.value.kind == "empty"
    assert fupin.verify_log("", allow_empty=True)["count"] == 0


def test_replay_verifies_first_and_refuses_an_illegal_sequence() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    del lines[6]  # the county's review of JP-2020-001
    with pytest.raises(fupin.AuditError) as e:
        fupin.replay_log(joined(lines), registry=REGISTRY)
    assert (e.value.kind, e.value.line) == ("tampered", 7)
    with pytest.raises(fupin.AuditError) as e:
        fupin.replay_log(joined(lines), registry=REGISTRY, verify=False)
    assert e.value.kind in ("illegal", "inconsistent")
    assert e.value.line == 7
    log = fupin.AuditLog.from_jsonl(EXAMPLE.read_text(encoding="utf-8"), registry=str(REGISTRY))
    assert {k: v.stage for k, v in log.states.items()} == {
        "CY-2020-003": "reviewed",
        "JP-2020-001": "approved",
        "KZ-2020-002": "rejected",
    }


def test_approval_log_appends_signed_steps_on_both_stores(tmp_path: Path) -> None:
    """keys → append → head → verify(anchors) from Python, on SQLite and JSON Lines."""
    library = json.loads((ROOT / "examples" / "library_jianping_2020.json").read_text(encoding="utf-8"))
    zhou = fupin.new_key("jp-fpb-zhou", tmp_path / "zhou.key")
    zhang = fupin.new_key("zlk-zhang", tmp_path / "zhang.key")
    assert (tmp_path / "zhou.key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(fupin.FupinError, match="never overwritten"):
        fupin.new_key("jp-fpb-zhou", tmp_path / "zhou.key")
    registry = {
        "actors": [
            {
                "id": "jp-fpb-zhou",
                "name": "周主任",
                "role": "poverty_office",
                "level": "county",
                "county": "建平县",
                "public_key": zhou,
            },
            {
                "id": "zlk-zhang",
                "name": "张乡长",
                "role": "township",
                "level": "township",
                "county": "建平县",
                "township": "朱碌科镇",
                "public_key": zhang,
            },
        ]
    }
    for name in ("office.db", "office.jsonl"):
        log = fupin.ApprovalLog(tmp_path / name, registry=registry, library=library)
        with pytest.raises(fupin.AuditError) as e:
            log.verify()
        assert e.value.kind == "empty"
        entered = log.append(
            {"project": "JP-2020-001", "action": "enter", "actor": "jp-fpb-zhou", "at": T0},
            tmp_path / "zhou.key",
        )
        assert entered["seq"] == 0 and entered["actor"] == "jp-fpb-zhou" and len(entered["signature"]) == 128
        head = log.head()
        assert head[0] == 1
        # Another's key, then a step the rules refuse: nothing is written.
        with pytest.raises(fupin.FupinError, match="does not belong"):
            log.append(
                {"project": "JP-2020-001", "action": "apply", "actor": "zlk-zhang", "at": at(1)},
                tmp_path / "zhou.key",
            )
        with pytest.raises(fupin.ApprovalError) as e:
            log.append(
                {"project": "JP-2020-001", "action": "review", "actor": "zlk-zhang", "at": at(1)},
                tmp_path / "zhang.key",
            )
        assert e.value.kind == "out_of_order"
        log.append(
            {
                "project": "JP-2020-001",
                "action": "apply",
                "actor": "zlk-zhang",
                "at": at(1),
                "comment": "朱政发〔2020〕5号",
            },
            tmp_path / "zhang.key",
        )
        report = log.verify(anchors=[head])
        assert report["head"][0] == 2 and report["signed"] == 2 and report["unsigned"] == 0
        assert report["anchors"][0]["grew_by"] == 1
        assert log.replay()["JP-2020-001"].stage == "applied"
        assert log.projects_at("建平县", "applied") == ["JP-2020-001"]
        assert log.export_jsonl().count("\n") == 2
    assert (tmp_path / "office.db").read_bytes().startswith(b"SQLite format 3")
    # The two stores hold the same bytes.
    db = fupin.ApprovalLog(tmp_path / "office.db", registry=registry)
    assert db.export_jsonl() == (tmp_path / "office.jsonl").read_text(encoding="utf-8")


def test_approval_log_refuses_forgeries_naming_the_event(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    forged = lines[13].replace('"1000000"', '"1200000"')
    path = tmp_path / "forged.jsonl"
    path.write_text(joined(lines[:13] + [forged] + lines[14:]), encoding="utf-8")
    log = fupin.ApprovalLog(path, registry=REGISTRY)
    for call in (log.verify, log.replay):
        with pytest.raises(fupin.AuditError) as e:
            call()
        assert (e.value.line, e.value.seq) == (14, 13)
    unsigned = fupin.ApprovalLog(UNSIGNED)
    with pytest.warns(UserWarning, match="unsigned, hash chain only"):
        assert unsigned.verify()["unsigned"] == 18
