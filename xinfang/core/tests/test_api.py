import typing

import pytest
from django.core.management import call_command
from django.test import Client
from pydantic import BaseModel

from config.api import api
from xinfang.accounts.models import ApiToken
from xinfang.org.models import Village

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/me", "/api/v1/config/categories", "/api/v1/config/villages"]:
        assert path in paths


def test_without_credentials_the_api_answers_401_in_chinese():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert "未登录或访问令牌无效" in response.json()["detail"]


def test_a_token_from_the_command_works_and_only_its_hash_is_stored(cast, capsys):
    call_command("issue_token", "office")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("xf_") and len(raw) > 30
    token = ApiToken.objects.get(user=cast["office"])
    assert raw not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "office" and me["role"] == "office" and me["role_label"] == "信访联席办"
    assert me["town"] == "分界镇"

    bad = Client().get("/api/v1/me", headers={"Authorization": "Bearer xf_not-a-token"})
    assert bad.status_code == 401


def test_me_lists_the_units_of_a_leader(client_as, cast):
    me = client_as("leader1").get("/api/v1/me").json()
    kinds = {u["kind"] for u in me["units"]}
    assert {"line", "contact_village"} <= kinds
    assert cast["village1"].village.name in [u["name"] for u in me["units"] if u["kind"] == "contact_village"]


def test_categories_carry_their_lead_and_supporting_departments(client_as):
    categories = client_as("office").get("/api/v1/config/categories").json()
    by_name = {c["name"]: c for c in categories}
    assert len(categories) == 6
    assert by_name["涉法涉诉类"]["lead_department"]["name"] == "镇政法和社会管理局"
    assert {d["name"] for d in by_name["涉法涉诉类"]["supporting_departments"]} == {
        "分界派出所",
        "分界司法所",
    }


def test_bad_query_input_answers_422_with_chinese_per_field_details(client_as):
    response = client_as("office").get("/api/v1/config/villages?kind=city")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "kind"
    assert "只能是以下之一" in body["errors"][0]["message"]
    assert body["detail"].startswith("输入有误")


def test_communities_can_be_listed_apart(client_as):
    found = client_as("office").get("/api/v1/config/villages?kind=community").json()
    assert found and all(v["kind"] == "community" for v in found)


def test_an_object_out_of_scope_answers_404_in_chinese(client_as, cast):
    other = Village.objects.exclude(pk=cast["village1"].village_id).filter(town__code="fenjie").first()
    response = client_as("village1").get(f"/api/v1/config/villages/{other.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "对象不存在或无权查看。"
    own = client_as("village1").get(f"/api/v1/config/villages/{cast['village1'].village_id}")
    assert own.status_code == 200


def test_healthz_reports_the_database_and_the_job_queue():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is True and "pending" in body["queue"]


def _schema_classes(annotation, found: set) -> None:
    """Every pydantic model an annotation names, through lists, unions and nested models."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _schema_classes(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _schema_classes(arg, found)


def test_no_two_schema_classes_share_an_openapi_component_name():
    """django-ninja names a component after its class: two classes of one name (relief's and
    stability's PeriodOut) are one component, and one app's answers are documented (and validated by
    clients) against the other's schema."""
    found: set = set()
    for _prefix, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _schema_classes(model, found)
    # What django-ninja generates per operation (query, path and response wrappers) lives in "abc"
    # and is inlined, never a component.
    by_name: dict[str, set] = {}
    for model in found:
        if model.__module__ != "abc":
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    repeated = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert repeated == {}
    components = api.get_openapi_schema()["components"]["schemas"]
    assert {"ProtectionPeriodOut", "PeriodOut", "ErrorOut"} <= set(components)
    assert set(components) <= set(by_name) | {"ErrorOut", "ServerErrorOut", "FieldError"}
