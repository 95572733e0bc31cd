from django.contrib import admin

from xinfang.accounts.choices import Role
from xinfang.core.admin_site import RoleAdmin, RoleInline, manage_site

from .models import Cadence, Category, Department, Grid, Person, Target, TimeLimits, Town, Village

SYS = frozenset({Role.SYSADMIN})


class ConfigAdmin(RoleAdmin):
    roles = SYS


@admin.register(Town, site=manage_site)
class TownAdmin(ConfigAdmin):
    can_add = False
    can_delete = False
    list_display = ["name", "code", "county", "case_number_prefix", "collective_threshold", "loaded_at"]
    readonly_fields = ["code", "loaded_at"]


@admin.register(TimeLimits, site=manage_site)
class TimeLimitsAdmin(ConfigAdmin):
    can_add = False
    can_delete = False
    list_display = ["town", "route_days", "notify_days", "handling_days", "extension_max_days"]


@admin.register(Department, site=manage_site)
class DepartmentAdmin(ConfigAdmin):
    list_display = ["name", "code", "kind", "head", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Person, site=manage_site)
class PersonAdmin(ConfigAdmin):
    list_display = ["name", "title", "village", "is_leader"]
    list_filter = ["is_leader"]
    search_fields = ["name", "title"]
    filter_horizontal = ["lines"]


class GridInline(RoleInline):
    model = Grid


@admin.register(Village, site=manage_site)
class VillageAdmin(ConfigAdmin):
    list_display = ["name", "code", "kind", "contact_leader", "party_head", "cadre"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [GridInline]


@admin.register(Category, site=manage_site)
class CategoryAdmin(ConfigAdmin):
    list_display = ["name", "code", "lead", "within_village_powers"]
    filter_horizontal = ["supporting"]


@admin.register(Target, site=manage_site)
class TargetAdmin(ConfigAdmin):
    list_display = ["name", "group", "comparison", "threshold", "unit"]
    list_filter = ["group"]


@admin.register(Cadence, site=manage_site)
class CadenceAdmin(ConfigAdmin):
    list_display = ["name", "held_by", "period", "times"]
