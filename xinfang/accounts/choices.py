from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "信访联席办"
    LEADER = "leader", "镇领导"
    DEPARTMENT = "department", "部门（条线）"
    VILLAGE = "village", "村（居）"
    GRID = "grid", "网格员"
    SUPERVISOR = "supervisor", "督查专班"
    COUNTY = "county", "县信访局"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


# Roles whose work is the petitions themselves (they see the town's organisation and, later, cases).
WORK_ROLES = frozenset(
    {Role.OFFICE, Role.LEADER, Role.DEPARTMENT, Role.VILLAGE, Role.GRID, Role.SUPERVISOR, Role.COUNTY}
)
# The three separate administrators (三员): none may do another's work, none handles cases.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
# Roles bound to one village: they see their village's objects and the town's shared reference data.
VILLAGE_ROLES = frozenset({Role.VILLAGE, Role.GRID})
# Roles that may see a cadre's or petitioner's full phone number (each full view is audited).
PERSONAL_DATA_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR})
