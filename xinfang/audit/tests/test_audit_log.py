import io

import openpyxl
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from xinfang.audit.models import AuditEvent
from xinfang.audit.services import audit_record
from xinfang.org.models import Person, TimeLimits

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(cast):
    return audit_record(event="update", user=cast["office"], detail="测试记录")


def test_the_model_refuses_to_change_or_delete_a_row(row):
    row.detail = "改过"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=row.pk).update(detail="改过")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=row.pk).delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET detail = 'changed'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_raw_updates_and_deletes(row, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=row.pk).detail == "测试记录"


def test_seeing_a_full_phone_number_is_audited(client_as, cast):
    person = cast["village1"].village.party_head
    response = client_as("office").post(f"/org/people/{person.pk}/phone/")
    assert response.status_code == 200 and person.phone in response.content.decode()
    row = AuditEvent.objects.get(event="view_personal_data")
    assert row.username == "office" and row.target_id == str(person.pk) and row.target_type == "人员"


def test_lists_show_phones_masked_and_roles_without_the_need_cannot_unmask(client_as, cast):
    person = cast["village1"].village.party_head
    page = client_as("village1").get("/").content.decode()
    assert person.phone not in page and f"{person.phone[:3]}****{person.phone[-4:]}" in page
    assert client_as("village1").post(f"/org/people/{person.pk}/phone/").status_code == 403
    assert not AuditEvent.objects.filter(event="view_personal_data").exists()


def test_a_change_in_the_management_site_is_audited_with_old_and_new_values(client_as, fenjie):
    limits = TimeLimits.objects.get(town=fenjie)
    client = client_as("sysadmin")
    url = f"/manage/org/timelimits/{limits.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["handling_days"] = 50
    data["warning_percents"] = "[50, 75, 90]"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditEvent.objects.get(event="update", target_type="办理时限")
    assert row.old_values == {"handling_days": 60} and row.new_values == {"handling_days": 50}
    assert row.username == "sysadmin"


def test_the_audit_administrator_searches_and_exports(client_as, cast):
    Client().post("/login/", {"username": "village1", "password": "Wrong-pass-1"})
    Client().post("/login/", {"username": "h_village", "password": "Wrong-pass-1"})
    Client().post("/login/", {"username": "nobody-knows", "password": "Wrong-pass-1"})
    client = client_as("auditadmin")
    page = client.get("/audit/?username=village1&success=0").content.decode()
    assert "密码错误" in page and "h_village" not in page

    export = client.get("/audit/export/?event=login_failure")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(book.active.values)
    assert rows[0][:4] == ("时间", "用户名", "地址", "事件")
    # The other town's failure is not exported; an unknown username belongs to no town and is.
    assert sorted(r[1] for r in rows[1:]) == ["nobody-knows", "village1"]
    assert AuditEvent.objects.filter(event="export", username="auditadmin").exists()


def test_a_reversed_date_range_is_explained(client_as):
    page = client_as("auditadmin").get("/audit/?date_from=2026-05-02&date_to=2026-05-01").content.decode()
    assert "起始日期不能晚于截止日期" in page
    assert 'value="2026-05-02"' in page


def test_the_masked_list_writes_no_personal_data_row(client_as):
    client_as("office").get("/org/villages/")
    assert not AuditEvent.objects.filter(event="view_personal_data").exists()
    assert Person.objects.exists()
