"""What the scoring pages and the API read: the ranking of one kind of unit for one period, the
facts behind one item of one unit, the accountability records."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Department, Town, Village

from . import facts as facts_mod
from .choices import UnitKind
from .models import Accountability, ScoringRules
from .rules import ItemScore, Period, UnitScore, item_score, rank, rules_parse, total_of


@dataclass
class Ranking:
    town: Town
    period: Period
    kind: str
    base: float
    scores: list[UnitScore]
    # Configured items no fact function computes (shown, never scored as zero).
    not_computed: list[str]
    columns: list[tuple[str, str]]


def rules_for(town):
    stored = ScoringRules.objects.filter(town=town).values_list("rules", flat=True).first()
    return rules_parse(stored)


def town_for(user, code: str | None = None) -> Town:
    """The reader's town; the county picks one of its towns (?town=code), the first by default."""
    towns = scope(Town.objects.all(), user).order_by("code")
    if user.town_id:
        return towns.get(pk=user.town_id)
    town = towns.filter(code=code).first() if code else towns.first()
    if town is None:
        raise Http404("没有可查看的镇")
    return town


def units(town, kind: str) -> list[tuple[int, str]]:
    model = Village if kind == UnitKind.VILLAGE else Department
    return list(model.objects.filter(town=town).order_by("order", "id").values_list("pk", "name"))


def _item_facts(town, period: Period, today: dt.date):
    """Each configured item with its facts over the whole town, computed once for all units."""
    rules = rules_for(town)
    items, missing = [], []
    for cfg in rules.items:
        source = facts_mod.FACTS.get(cfg.key)
        if source is None:
            missing.append(facts_mod.NAMES.get(cfg.key, cfg.key))
            continue
        name, fn = source
        items.append((cfg, name, fn(town, period.start, period.end, today)))
    return rules, items, missing


def ranking(*, town, period: Period, kind: str, today: dt.date) -> Ranking:
    rules, items, missing = _item_facts(town, period, today)
    scores = []
    for unit_id, unit_name in units(town, kind):
        scored: list[ItemScore] = [
            item_score(cfg.key, name, cfg.points, cfg.cap, facts_mod.for_unit(found, kind, unit_id))
            for cfg, name, found in items
        ]
        scores.append(
            UnitScore(
                unit_kind=kind,
                unit_id=unit_id,
                unit_name=unit_name,
                items=scored,
                total=total_of(rules.base, scored),
                by_key={i.key: i for i in scored},
            )
        )
    return Ranking(
        town=town,
        period=period,
        kind=kind,
        base=rules.base,
        scores=rank(scores),
        not_computed=missing,
        columns=[(cfg.key, name) for cfg, name, _ in items],
    )


def unit_facts(*, town, period: Period, kind: str, unit_id: int, key: str, today: dt.date):
    """(unit name, the item's score, its facts) for one unit; 404 for a unit or item that is not there."""
    names = dict(units(town, kind))
    if unit_id not in names:
        raise Http404("单位不存在")
    rules = rules_for(town)
    cfg = next((c for c in rules.items if c.key == key), None)
    source = facts_mod.FACTS.get(key)
    if cfg is None or source is None:
        raise Http404("考核项目不存在")
    name, fn = source
    found = facts_mod.for_unit(fn(town, period.start, period.end, today), kind, unit_id)
    return names[unit_id], item_score(key, name, cfg.points, cfg.cap, found), found


def accountabilities(*, user) -> QuerySet:
    return (
        scope(Accountability.objects.all(), user)
        .select_related("village", "department", "recorded_by")
        .prefetch_related("cases", "notices")
        .order_by("-day", "-id")
    )


def accountability_get(*, user, pk: int) -> Accountability:
    return get_scoped_or_404(accountabilities(user=user), user, pk=pk)
