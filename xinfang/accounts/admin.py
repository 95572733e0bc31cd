from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from xinfang.core.admin_site import RoleAdmin, manage_site

from .choices import Role
from .models import ApiToken, User

SEC = frozenset({Role.SECADMIN})


@admin.register(User, site=manage_site)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    roles = SEC
    list_display = ["username", "full_name", "role", "village", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("身份与单位", {"fields": ["full_name", "role", "village", "grid", "department", "person"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        ("身份与单位", {"fields": ["full_name", "role", "village", "grid", "department", "person"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def get_form(self, request, obj=None, **kwargs):
        # The town is the administrator's own; set before the model's clean() checks the units.
        form = super().get_form(request, obj, **kwargs)
        town = request.user.town

        class TownBound(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if not self.instance.town_id:
                    self.instance.town = town

        return TownBound


@admin.register(ApiToken, site=manage_site)
class ApiTokenAdmin(RoleAdmin):
    roles = SEC
    can_add = False
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
