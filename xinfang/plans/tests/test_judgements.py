"""三到位一处理 with more than one finding: an unreasonable claim from someone in hardship is both
教育到位 and 帮扶到位."""

import json

import pytest
from django.core.exceptions import ValidationError

from xinfang.cases.models import Case, CaseEvent
from xinfang.plans import rules
from xinfang.plans.models import CasePlan
from xinfang.plans.services import plan_save

pytestmark = pytest.mark.django_db

BOTH = ["unreasonable", "hardship"]


def test_a_plan_holds_both_education_and_relief(cast, prominent_case):
    plan = plan_save(
        case_id=prominent_case.pk,
        acting_user=cast["village1"],
        judgements=["hardship", "unreasonable", "hardship"],  # any order, repeats once
        measures="释法明理；申请临时救助",
    )
    plan.refresh_from_db()
    assert plan.judgements == BOTH  # in the order of 三到位一处理
    assert plan.judgement_text == "诉求无理→教育到位；生活困难→帮扶到位"
    event = CaseEvent.objects.get(case=prominent_case, kind="plan_saved")
    assert event.summary() == "三到位一处理：诉求无理→教育到位、生活困难→帮扶到位；防反弹措施待填写"


def test_a_plan_needs_at_least_one_known_finding(cast, prominent_case):
    for judgements, message in (
        ([], "请选择三到位一处理的研判结论（可多选）：诉求合理、诉求无理、生活困难或违法行为。"),
        (
            ["hardship", "poor"],
            "不认识的研判结论“poor”，只能从诉求合理、诉求无理、生活困难、违法行为中选择。",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            plan_save(
                case_id=prominent_case.pk, acting_user=cast["office"], judgements=judgements, measures="调解"
            )
        assert refused.value.message_dict == {"judgements": [message]}
    assert not CasePlan.objects.exists()


def test_the_five_haves_count_a_plan_with_several_findings_and_not_one_without(cast, prominent_case):
    plan_save(case_id=prominent_case.pk, acting_user=cast["office"], judgements=BOTH, measures="调解")
    case = Case.objects.get(pk=prominent_case.pk)
    assert rules.five_haves(case)["plan"]
    annotated = rules.with_five_haves(Case.objects.filter(pk=case.pk)).get()
    assert annotated.fh_plan
    CasePlan.objects.filter(case=case).update(judgements=[])
    assert not rules.five_haves(Case.objects.get(pk=case.pk))["plan"]
    assert not rules.with_five_haves(Case.objects.filter(pk=case.pk)).get().fh_plan


def test_the_api_takes_and_gives_the_list_and_still_takes_a_single_finding(client_as, prominent_case):
    client = client_as("office")
    url = f"/api/v1/cases/{prominent_case.pk}/plan"
    body = {"judgements": BOTH, "measures": "释法明理；申请临时救助", "rebound_measures": "按季度回访"}
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["judgements"] == BOTH
    assert saved.json()["judgement_label"] == "诉求无理→教育到位；生活困难→帮扶到位"
    one = client.put(url, {"judgement": "unlawful", "measures": "依法处理"}, content_type="application/json")
    assert one.status_code == 200 and one.json()["judgements"] == ["unlawful"]
    wrong = client.put(url, {"judgements": ["maybe"], "measures": "x"}, content_type="application/json")
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [
        {
            "field": "judgements",
            "message": "不认识的研判结论“maybe”，只能从诉求合理、诉求无理、生活困难、违法行为中选择。",
        }
    ]


def test_the_page_offers_check_boxes_and_shows_every_finding(client_as, prominent_case):
    client = client_as("village1")
    page = client.get(f"/cases/{prominent_case.pk}/").content.decode()
    assert page.count('type="checkbox" name="judgements"') == 4 and "可多选" in page
    client.post(
        f"/cases/{prominent_case.pk}/plan/",
        {"judgements": BOTH, "measures": "释法明理；申请临时救助", "rebound_measures": "按季度回访"},
    )
    assert CasePlan.objects.get(case=prominent_case).judgements == BOTH
    page = client.get(f"/cases/{prominent_case.pk}/").content.decode()
    assert "诉求无理→教育到位" in page and "生活困难→帮扶到位" in page
    assert "做好政策解释和思想疏导" in page and "落实专项救助、社会救济等措施" in page  # both hints
    for value in BOTH:
        assert f'value="{value}" id="judgement-{value}" checked' in page
    assert 'value="reasonable" id="judgement-reasonable">' in page


def test_a_refused_form_keeps_the_ticked_findings(client_as, prominent_case):
    client = client_as("village1")
    response = client.post(
        f"/cases/{prominent_case.pk}/plan/", {"judgements": BOTH, "measures": ""}, follow=True
    )
    html = response.content.decode()
    assert "化稳方案未保存：请填写化解稳控措施" in html
    for value in BOTH:
        assert f'value="{value}" id="judgement-{value}" checked' in html
    assert not CasePlan.objects.exists()


def test_the_migration_keeps_every_stored_finding(tmp_path):
    """On a fresh SQLite demo town: back to the single column and forward again, each plan keeps its
    finding (a plan with none gets an empty list)."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["XINFANG_DATA_DIR"] = str(tmp_path)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]

    def run(*command):
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True)

    run("migrate", "-v0")
    run("setup_demo")
    db = sqlite3.connect(tmp_path / "xinfang.sqlite3", isolation_level=None)
    generated = dict(db.execute("select id, judgements from plans_caseplan"))
    assert len(generated) > 10
    assert json.dumps(BOTH) in generated.values()  # the demo town has such plans too
    run("migrate", "plans", "0002", "-v0")
    single = dict(db.execute("select id, judgement from plans_caseplan"))
    assert single == {pk: json.loads(value)[0] for pk, value in generated.items()}
    emptied = min(single)
    db.execute("update plans_caseplan set judgement = '' where id = ?", (emptied,))  # an old unjudged plan
    run("migrate", "plans", "-v0")
    migrated = {
        pk: json.loads(value) for pk, value in db.execute("select id, judgements from plans_caseplan")
    }
    assert migrated == {pk: ([value] if pk != emptied else []) for pk, value in single.items()}
