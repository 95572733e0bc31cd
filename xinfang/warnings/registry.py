"""The warning rules, each a scanner that says what it finds; the engine (scan.py) stores what is
new, sends it to the named people and never sends the same finding twice.

A domain app above this one (screening, meetings, supervision) registers its own rules in its
AppConfig.ready(), so the engine never imports the apps it watches over:

    from xinfang.warnings.registry import Finding, rule

    @rule("screening_missing_report", "排查未报送", level=Level.YELLOW, roles=(Role.OFFICE,))
    def missing_reports(town, now):
        for ... in ...:
            yield Finding(subject=f"round:{r.pk}:village:{v.pk}", state="missing", text="…",
                          village_id=v.pk)
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .choices import Level


@dataclass(frozen=True)
class Finding:
    # The watched object, stable across scans ("case:12:handling", "key_person:5").
    subject: str
    # The object's state the warning tells of: the same rule, subject and state fire once; a new
    # state (a later percentage, overdue, a new round) fires again.
    state: str
    # What the recipient reads, in Chinese.
    text: str
    # Overrides the rule's level (50% blue, 75% yellow, 90% orange, overdue red).
    level: str | None = None
    case_id: int | None = None
    key_person_id: int | None = None
    village_id: int | None = None
    department_id: int | None = None
    # Named people beyond the rule's roles: the case's owner, a key person's keepers.
    user_ids: tuple[int, ...] = ()
    # Where the recipient acts.
    url: str = ""
    # Named persons (org.Person: a case's 包案领导 and 责任人, a key person's keepers) whose accounts
    # are told, beside user_ids.
    person_ids: tuple[int, ...] = ()


Scanner = Callable[[object, dt.datetime], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    level: str
    # Roles told of every finding (limited to the finding's village or department where the role
    # is bound to one); the town configuration may override them.
    roles: tuple[str, ...] = ()
    # None for a rule raised at an event (threat language at registration), not by a scan.
    scan: Scanner | None = None
    description: str = ""
    params: dict = field(default_factory=dict)
    # When the periodic scan runs it (tasks.py): "often" every ten minutes, "daily" in the morning,
    # "evening" at the end of the day (a key person short of today's contacts is known only then).
    cadence: str = "often"


RULES: dict[str, Rule] = {}


CADENCES = ("often", "daily", "evening")


def rule(
    key: str,
    name: str,
    *,
    level: str = Level.YELLOW,
    roles=(),
    description: str = "",
    cadence: str = "often",
    **params,
):
    """Registers a scanner under `key` (a decorator); registering the same key twice is a mistake.
    `params` are the rule's defaults; the town configuration (warnings.rules.<key>.params) overrides
    them, and the scanner reads the result with `params_for(town, key)`."""
    if cadence not in CADENCES:
        raise ValueError(f"warning rule {key!r}: cadence must be one of {CADENCES}")

    def register(scan: Scanner | None) -> Scanner | None:
        if key in RULES:
            raise ValueError(f"warning rule {key!r} is registered twice")
        RULES[key] = Rule(key, name, str(level), tuple(roles), scan, description, params, cadence)
        return scan

    return register


def event_rule(key: str, name: str, *, level: str = Level.RED, roles=(), description: str = "") -> None:
    """A rule raised where something happens (no scanner)."""
    rule(key, name, level=level, roles=roles, description=description)(None)


@dataclass(frozen=True)
class Setting:
    """A rule as one town configured it (configs/<town>.yaml, warnings.rules.<key>)."""

    enabled: bool
    level: str
    roles: tuple[str, ...]
    params: dict


def setting_for(town, key: str) -> Setting:
    """The rule's defaults, overridden by what the town's file says about it."""
    r = RULES[key]
    own = ((getattr(town, "warnings", None) or {}).get("rules") or {}).get(key) or {}
    roles = own.get("roles")
    return Setting(
        enabled=own.get("enabled", True),
        level=own.get("level") or r.level,
        roles=tuple(r.roles if roles is None else roles),
        params={**r.params, **(own.get("params") or {})},
    )


def params_for(town, key: str) -> dict:
    return setting_for(town, key).params
