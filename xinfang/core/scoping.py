"""The one function that decides what a user may see.

Every list, detail, search, export and API goes through `scope(queryset, user)`. A model says how it
is placed in the organisation with a `Scope` (which path leads to its town, which to its village,
which roles may read it at all); `scope` turns the user's role and units into a filter. Objects out
of scope are simply absent, so a detail view answers 404 for them, never 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from xinfang.accounts.choices import VILLAGE_ROLES, Role


@dataclass(frozen=True)
class Scope:
    # Lookup path from the model to its Town ("" when the model is the Town, None when the model is
    # national and belongs to no town, like the working calendar).
    town: str | None
    # Lookup path to the Village the object belongs to, or None for town-wide reference data.
    village: str | None = None
    # True when objects with no village are town-wide and visible to village-bound roles too.
    village_optional: bool = False
    # True when objects with no town (e.g. a sign-in attempt with an unknown username) are visible to
    # the roles that may read the model in every town.
    town_optional: bool = False
    # Roles that may read this model at all; None means every role of the town.
    roles: frozenset[str] | None = None
    # Extra per-role filters: {role: callable(user) -> Q}.
    extra: dict = field(default_factory=dict)
    # Objects hidden from a user whatever the role: callable(user) -> Q or None. Accusation cases are
    # never shown to the persons or units they accuse (《信访工作条例》第三十条).
    hide: object = None


def _town_q(rule: Scope, user) -> Q:
    path = f"{rule.town}__" if rule.town else ""
    return Q(**{f"{path}pk": user.town_id}) if user.town_id else Q(pk__in=[])


def scope(queryset: QuerySet, user) -> QuerySet:
    model = queryset.model
    rule: Scope | None = getattr(model, "scope", None)
    if not isinstance(rule, Scope):
        raise ImproperlyConfigured(f"{model.__name__} has no Scope: it cannot be shown to anyone")
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if rule.roles is not None and user.role not in rule.roles:
        return queryset.none()
    if user.role == Role.COUNTY or rule.town is None:
        # The county bureau reads across all the towns of this installation; national data has no town.
        queryset = queryset.all()
    else:
        town_q = _town_q(rule, user)
        if rule.town_optional:
            town_q |= Q(**{f"{rule.town}__isnull": True})
        queryset = queryset.filter(town_q)
    if user.role in VILLAGE_ROLES and rule.village is not None:
        own = Q(**{rule.village: user.village_id})
        if rule.village_optional:
            own |= Q(**{f"{rule.village}__isnull": True})
        queryset = queryset.filter(own)
    if extra := rule.extra.get(user.role):
        queryset = queryset.filter(extra(user))
    if rule.hide is not None and (hidden := rule.hide(user)) is not None:
        queryset = queryset.exclude(hidden)
    return queryset


def get_scoped_or_404(model_or_qs, user, **lookup) -> Model:
    queryset = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        return scope(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("对象不存在或无权查看") from None
