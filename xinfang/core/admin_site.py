"""The management site (系统管理): configuration for the system administrator, accounts for the
security administrator. Each model admin names the roles that may use it; its rows are scoped to the
administrator's town, and every save or delete writes an audit row in the same transaction."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record, diff, snapshot
from xinfang.core.scoping import scope


class ManageSite(admin.AdminSite):
    site_header = "信访工作平台 · 系统管理"
    site_title = "系统管理"
    index_title = "系统管理"
    login_template = None

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.role in (Role.SYSADMIN, Role.SECADMIN)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return render(request, "web/forbidden.html", status=403)
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)

    def login(self, request, extra_context=None):
        # One sign-in page for the whole system; a signed-in user without an admin role gets a 403.
        if request.user.is_authenticated:
            return render(request, "web/forbidden.html", status=403)
        return redirect_to_login(request.get_full_path())


manage_site = ManageSite(name="admin")


def _scoped_choices(db_field, request, kwargs: dict) -> dict:
    """Drop-downs offer only what the administrator may see (no other town's people)."""
    related = db_field.related_model
    if hasattr(related, "scope"):
        kwargs["queryset"] = scope(related._default_manager.all(), request.user)
    return kwargs


class RoleAdmin(admin.ModelAdmin):
    roles: frozenset = frozenset()
    can_add = True
    can_delete = True

    def _allowed(self, request) -> bool:
        return request.user.is_authenticated and request.user.role in self.roles

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self.can_add and self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self.can_delete and self._allowed(request)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope is "does not exist", and answers 404 like everywhere else.
        raise Http404("对象不存在或无权查看")

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def _town_field(self):
        return "town" if any(f.name == "town" for f in self.model._meta.fields) else None

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self._town_field():
            exclude.append("town")
        return exclude

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **_scoped_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **_scoped_choices(db_field, request, kwargs)
        )

    def save_model(self, request, obj, form, change):
        if self._town_field() and not getattr(obj, "town_id", None):
            obj.town = request.user.town
        request._audit_old = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        old, new = diff(getattr(request, "_audit_old", None), snapshot(obj))
        if change and not new:
            return
        audit_record(
            event=AuditEventType.UPDATE if change else AuditEventType.CREATE,
            user=request.user,
            target=obj,
            old=old,
            new=new,
            detail="系统管理页面",
        )

    def delete_model(self, request, obj):
        audit_record(
            event=AuditEventType.DELETE,
            user=request.user,
            target=obj,
            old=snapshot(obj),
            detail="系统管理页面",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class RoleInline(admin.TabularInline):
    """An inline follows the roles of the admin it sits in."""

    extra = 0

    def _allowed(self, request, obj=None) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        return parent is not None and parent._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **_scoped_choices(db_field, request, kwargs)
        )
