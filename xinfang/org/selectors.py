"""Reads of the organisation, always through the scoping function."""

from django.db.models import Count, Prefetch

from xinfang.core.scoping import get_scoped_or_404, scope

from .models import Cadence, Category, Department, Grid, Person, Target, TimeLimits, Town, Village


def town_list(*, user):
    return scope(Town.objects.all(), user).annotate(
        village_count=Count("villages", distinct=True),
        department_count=Count("departments", distinct=True),
        category_count=Count("categories", distinct=True),
    )


def village_list(*, user):
    grids = Grid.objects.select_related("worker").order_by("order", "id")
    return (
        scope(Village.objects.all(), user)
        .select_related("town", "contact_leader", "party_head", "cadre")
        .prefetch_related(Prefetch("grids", queryset=grids))
    )


def village_get(*, user, pk: int) -> Village:
    return get_scoped_or_404(village_list(user=user), user, pk=pk)


def department_list(*, user):
    return (
        scope(Department.objects.all(), user)
        .select_related("town", "head")
        .prefetch_related("heading_leaders", "led_categories", "supported_categories")
    )


def department_get(*, user, pk: int) -> Department:
    return get_scoped_or_404(department_list(user=user), user, pk=pk)


def category_list(*, user):
    return (
        scope(Category.objects.all(), user)
        .select_related("town", "lead", "lead__head")
        .prefetch_related(Prefetch("supporting", queryset=Department.objects.order_by("order")))
    )


def leader_list(*, user):
    # The villages a leader contacts are themselves scoped: a village clerk sees the town's leaders
    # but not which other villages they look after.
    return (
        scope(Person.objects.filter(is_leader=True), user)
        .select_related("town")
        .prefetch_related(
            Prefetch("lines", queryset=Department.objects.order_by("order")),
            Prefetch("contact_villages", queryset=scope(Village.objects.order_by("order"), user)),
        )
    )


def person_get(*, user, pk: int) -> Person:
    return get_scoped_or_404(Person.objects.all(), user, pk=pk)


def target_list(*, user):
    return scope(Target.objects.all(), user).select_related("town")


def cadence_list(*, user):
    return scope(Cadence.objects.all(), user).select_related("town")


def time_limits_list(*, user):
    return scope(TimeLimits.objects.all(), user).select_related("town")
