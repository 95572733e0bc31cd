import pytest
from django.test import Client

from xinfang.accounts.models import User
from xinfang.audit.models import AuditEvent
from xinfang.org.models import Village

pytestmark = pytest.mark.django_db


def _new_account(client: Client, **fields):
    data = {
        "username": "village3",
        "password1": "Qingsong#2026",
        "password2": "Qingsong#2026",
        "full_name": "新村干部",
        "role": "village",
        "village": "",
        "grid": "",
        "department": "",
        "person": "",
        **fields,
    }
    return client.post("/manage/accounts/user/add/", data)


def test_the_security_administrator_creates_a_village_account_in_their_town(client_as, fenjie):
    village = Village.objects.filter(town=fenjie).order_by("order")[2]
    response = _new_account(client_as("secadmin"), village=village.pk)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="village3")
    assert user.town == fenjie and user.village == village and user.password.startswith("argon2$")
    row = AuditEvent.objects.get(event="create", target_id=str(user.pk))
    assert row.username == "secadmin" and "password" not in row.new_values


def test_a_weak_password_or_a_missing_village_is_explained_and_nothing_is_saved(client_as):
    weak = _new_account(client_as("secadmin"), password1="abcdefgh", password2="abcdefgh")
    assert "至少 3 类" in weak.content.decode()
    no_village = _new_account(client_as("secadmin"))
    assert "村（居）和网格员账号必须选择所属村（居）" in no_village.content.decode()
    assert 'value="village3"' in no_village.content.decode()
    assert not User.objects.filter(username="village3").exists()


def test_another_towns_village_cannot_be_chosen(client_as, hetang):
    other = Village.objects.filter(town=hetang).first()
    response = _new_account(client_as("secadmin"), village=other.pk)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="village3").exists()


def test_the_system_administrator_cannot_manage_accounts(client_as):
    assert client_as("sysadmin").get("/manage/accounts/user/").status_code == 403
    assert _new_account(client_as("sysadmin")).status_code == 403
