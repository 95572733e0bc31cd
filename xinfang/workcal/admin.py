from django.contrib import admin
from django.db import transaction

from xinfang.accounts.choices import Role
from xinfang.core.admin_site import RoleAdmin, manage_site

from .models import CalendarDay
from .services import calendar_changed


@admin.register(CalendarDay, site=manage_site)
class CalendarDayAdmin(RoleAdmin):
    roles = frozenset({Role.SYSADMIN})
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]
    readonly_fields = ["source"]

    def save_model(self, request, obj, form, change):
        # Whatever the library said before, a day edited here is the town's own word from now on.
        obj.source = "manual"
        super().save_model(request, obj, form, change)
        transaction.on_commit(calendar_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(calendar_changed)
