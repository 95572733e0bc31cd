"""The demo accounts: one per role, so that anyone can try each role of the demo town."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.org.models import Department, Town, Village


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    note: str


DEMO_ACCOUNTS = [
    DemoAccount("office", Role.OFFICE, "联席办示例", "信访联席办：登记、交办、对账销号"),
    DemoAccount("leader1", Role.LEADER, "", "镇领导：联系 village1 所在村，分管若干条线"),
    DemoAccount("dept1", Role.DEPARTMENT, "部门示例", "部门（条线）"),
    DemoAccount("village1", Role.VILLAGE, "村干部示例一", "村（居）"),
    DemoAccount("village2", Role.VILLAGE, "村干部示例二", "另一个村（居）"),
    DemoAccount("grid1", Role.GRID, "", "网格员（village1 所在村）"),
    DemoAccount("supervisor", Role.SUPERVISOR, "督查专班示例", "督查专班"),
    DemoAccount("county", Role.COUNTY, "县信访局示例", "县信访局：跨镇查看"),
    DemoAccount("sysadmin", Role.SYSADMIN, "系统管理员", "系统管理员：配置"),
    DemoAccount("secadmin", Role.SECADMIN, "安全管理员", "安全管理员：账号与角色"),
    DemoAccount("auditadmin", Role.AUDITADMIN, "审计管理员", "审计管理员：只读审计日志"),
]


def _units(town: Town, role: str) -> dict:
    villages = list(
        Village.objects.filter(town=town).select_related("contact_leader").order_by("order", "id")[:2]
    )
    if len(villages) < 2:
        raise ValueError("演示镇至少需要两个村（居）")
    first, second = villages
    if role == Role.LEADER:
        leader = first.contact_leader
        return {"person": leader, "full_name": leader.name}
    if role == Role.DEPARTMENT:
        return {"department": Department.objects.filter(town=town).order_by("order", "id").first()}
    if role == Role.OFFICE:
        return {"department": Department.objects.filter(town=town, code="lianxiban").first()}
    if role == Role.SUPERVISOR:
        return {"department": Department.objects.filter(town=town, code="jiwei").first()}
    if role == Role.VILLAGE:
        return {}
    if role == Role.GRID:
        grid = first.grids.select_related("worker").order_by("order", "id").first()
        return {"village": first, "grid": grid, "person": grid.worker, "full_name": grid.worker.name}
    return {}


@transaction.atomic
def demo_accounts_ensure(*, town: Town, password: str | None = None) -> list[User]:
    """Creates the demo accounts, or brings them back to their demo state; never duplicates."""
    password = password or settings.XINFANG_DEMO_PASSWORD
    validate_password(password)
    villages = list(Village.objects.filter(town=town).order_by("order", "id")[:2])
    users = []
    for account in DEMO_ACCOUNTS:
        fields = {
            "role": account.role,
            "town": None if account.role == Role.COUNTY else town,
            "full_name": account.full_name,
            "village": None,
            "grid": None,
            "department": None,
            "person": None,
            "is_active": True,
        }
        if account.username == "village1":
            fields["village"] = villages[0]
        elif account.username == "village2":
            fields["village"] = villages[1]
        fields.update(_units(town, account.role))
        user = User.objects.filter(username=account.username).first() or User(username=account.username)
        for name, value in fields.items():
            setattr(user, name, value)
        if not user.password or not user.check_password(password):
            user.set_password(password)
        created = user.pk is None
        user.full_clean()
        user.save()
        if created:
            audit_record(
                event=AuditEventType.CREATE,
                username="manage.py setup_demo",
                town=user.town,
                target=user,
                detail="创建演示账号",
            )
        users.append(user)
    return users
