"""The cast of users every scoping test runs with, over two different towns.

Fenjie's demo accounts (one per role) plus a few users of a second town, 荷塘镇, whose data none of
Fenjie's users may see.
"""

from pathlib import Path

from django.conf import settings

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.demo.accounts import demo_accounts_ensure
from xinfang.org.loader import town_load
from xinfang.org.models import Town, Village

FENJIE = Path(settings.BASE_DIR) / "configs" / "fenjie.yaml"
HETANG = Path(settings.BASE_DIR) / "xinfang" / "org" / "tests" / "data" / "hetang.yaml"
PASSWORD = "Cast@2026pw"


def cast_ensure() -> dict[str, User]:
    """Loads both towns and the users once; returns users by username."""
    if not Town.objects.filter(code="fenjie").exists():
        town_load(path=FENJIE)
    if not Town.objects.filter(code="hetang").exists():
        town_load(path=HETANG)
    fenjie = Town.objects.get(code="fenjie")
    hetang = Town.objects.get(code="hetang")
    demo_accounts_ensure(town=fenjie, password=PASSWORD)
    first = Village.objects.filter(town=hetang).order_by("order").first()
    extra = {
        "h_office": ("荷塘联席办测试员", {"role": Role.OFFICE}),
        "h_village": ("荷塘村干部测试员", {"role": Role.VILLAGE, "village": first}),
        "h_sysadmin": ("荷塘系统管理测试员", {"role": Role.SYSADMIN}),
        "h_secadmin": ("荷塘安全管理测试员", {"role": Role.SECADMIN}),
        "h_auditadmin": ("荷塘审计测试员", {"role": Role.AUDITADMIN}),
    }
    for username, (full_name, fields) in extra.items():
        if not User.objects.filter(username=username).exists():
            user = User(username=username, town=hetang, full_name=full_name, **fields)
            user.set_password(PASSWORD)
            user.full_clean()
            user.save()
    return {u.username: u for u in User.objects.select_related("town", "village", "department", "person")}
