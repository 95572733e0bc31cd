"""The navigation: each role sees only what it may use. The menu is composed here, at the top; the
roles of an app's pages come from the app (web imports the apps, never the reverse)."""

from dataclasses import dataclass

from django.urls import reverse

from xinfang.accounts.choices import Role
from xinfang.org.views import ORG_ROLES

R = Role
SUPERVISION_ROLES = (R.OFFICE, R.LEADER, R.DEPARTMENT, R.VILLAGE, R.SUPERVISOR, R.COUNTY)
CASE_ROLES = (R.OFFICE, R.LEADER, R.DEPARTMENT, R.VILLAGE, R.GRID, R.SUPERVISOR, R.COUNTY)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple
    group: str = ""


# The menu in its sections (a heading shows only above items the user has).
ITEMS = [
    NavItem("首页", "home", tuple(Role.values), group="信访办理"),
    NavItem("信访登记", "cases:new", (R.OFFICE,), group="信访办理"),
    NavItem("信访台账", "cases:list", CASE_ROLES, group="信访办理"),
    NavItem("交办单", "notices:inbox", (R.OFFICE, R.DEPARTMENT, R.VILLAGE, R.SUPERVISOR), group="信访办理"),
    NavItem("集中交办", "cases:batch-assign", (R.OFFICE,), group="信访办理"),
    NavItem("专项救助", "relief:totals", (R.OFFICE, R.LEADER, R.SUPERVISOR, R.COUNTY), group="信访办理"),
    NavItem(
        "“五有”未齐全", "plans:incomplete", (R.OFFICE, R.LEADER, R.SUPERVISOR, R.COUNTY), group="信访办理"
    ),
    NavItem("预警与提醒", "alerts:inbox", CASE_ROLES, group="预警"),
    NavItem("预警看板", "warnings:board", CASE_ROLES, group="预警"),
    NavItem("重点人员", "stability:key-persons", CASE_ROLES, group="稳控"),
    NavItem("保障期", "stability:periods", CASE_ROLES, group="稳控"),
    NavItem("五不事件", "stability:incidents", CASE_ROLES, group="稳控"),
    NavItem("回访", "stability:follow-ups", CASE_ROLES, group="稳控"),
    NavItem("排查", "screening:rounds", CASE_ROLES, group="排查与会议"),
    NavItem("四级研判", "screening:assessments", CASE_ROLES, group="排查与会议"),
    NavItem("会议与接访", "meetings:list", CASE_ROLES, group="排查与会议"),
    NavItem("会议频次", "meetings:cadence", CASE_ROLES, group="排查与会议"),
    NavItem("督查督办", "supervision:notices", SUPERVISION_ROLES, group="排查与会议"),
    NavItem(
        "数据看板",
        "reports:dashboard",
        (R.OFFICE, R.LEADER, R.DEPARTMENT, R.VILLAGE, R.SUPERVISOR, R.COUNTY),
        group="统计与考核",
    ),
    NavItem("报表与报告", "reports:index", CASE_ROLES, group="统计与考核"),
    NavItem("考核排名", "scoring:ranking", (R.OFFICE, R.LEADER, R.SUPERVISOR, R.COUNTY), group="统计与考核"),
    NavItem("各镇概况", "org:towns", (R.COUNTY,), group="基础信息"),
    NavItem("村（居）与网格", "org:villages", ORG_ROLES, group="基础信息"),
    NavItem("部门（条线）", "org:departments", ORG_ROLES, group="基础信息"),
    NavItem("问题类别", "org:categories", ORG_ROLES, group="基础信息"),
    NavItem("镇领导", "org:leaders", ORG_ROLES, group="基础信息"),
    NavItem("目标与时限", "org:config", ORG_ROLES, group="基础信息"),
    NavItem("审计日志", "audit:list", (R.AUDITADMIN,), group="管理"),
    NavItem("系统管理", "admin:index", (R.SYSADMIN, R.SECADMIN), group="管理"),
]


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for item in ITEMS:
        if user.role in item.roles:
            items.append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "active": False,
                    "inbox": item.url_name == "alerts:inbox",
                    "group": item.group,
                }
            )
    # The longest link that the current page starts with is the one the user is in.
    matches = [
        i
        for i in items
        if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    # A section's heading goes above its first item the user has.
    previous = None
    for i in items:
        i["heading"] = i["group"] if i["group"] != previous else ""
        previous = i["group"]
    return items
