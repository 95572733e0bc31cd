"""The engine: runs the registered rules, stores what is new once, and sends each new warning to its
named people (the inbox) and on to the outside channels (SMS, the chat bot's webhook).

Set-based so that a scan over 100,000 cases takes seconds: each rule reads what it needs in a few
queries, the engine reads the rule's stored (subject, state) pairs once, writes the new warnings and
their inbox rows in bulk (`ignore_conflicts`: a second scan at the same moment writes nothing twice).
"""

import datetime as dt
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from xinfang.accounts.choices import VILLAGE_ROLES, Role
from xinfang.accounts.models import User
from xinfang.alerts.models import Alert
from xinfang.org.models import Town

from .choices import Level
from .models import Warning
from .registry import RULES, Finding, setting_for

log = logging.getLogger(__name__)

LEVELS = list(Level.values)  # lowest first
BATCH = 5000


def level_at_least(level: str, floor: str) -> bool:
    return floor in LEVELS and level in LEVELS and LEVELS.index(level) >= LEVELS.index(floor)


@dataclass
class ScanResult:
    found: int = 0
    new: int = 0
    seconds: float = 0.0
    per_rule: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    failed: list = field(default_factory=list)

    def summary(self) -> str:
        rules = "；".join(
            f"{RULES[k].name} 发现 {f} 条、新增 {n} 条"
            for k, (f, n) in sorted(self.per_rule.items())
            if f or n
        )
        return f"发现 {self.found} 条，新增 {self.new} 条，用时 {self.seconds:.2f} 秒" + (
            f"（{rules}）" if rules else ""
        )


class Directory:
    """The town's active accounts, read once per scan: who holds a role, in which unit."""

    def __init__(self, town):
        rows = User.objects.filter(town=town, is_active=True).values_list(
            "pk", "role", "village_id", "grid_id", "department_id", "person_id"
        )
        self.ids = set()
        self.by_role = defaultdict(list)
        self.by_unit = defaultdict(list)  # (role, "village"|"department", id) -> user ids
        self.by_person = defaultdict(list)
        for pk, role, village_id, _grid_id, department_id, person_id in rows:
            self.ids.add(pk)
            self.by_role[role].append(pk)
            if village_id:
                self.by_unit[(role, "village", village_id)].append(pk)
            if department_id:
                self.by_unit[(role, "department", department_id)].append(pk)
            if person_id:
                self.by_person[person_id].append(pk)

    def recipients(self, roles: Iterable[str], finding: Finding) -> list[int]:
        """The rule's roles (a role bound to a unit only for the finding's unit) and the named people."""
        users = []
        for role in roles:
            if role in VILLAGE_ROLES:
                if finding.village_id:
                    users += self.by_unit[(role, "village", finding.village_id)]
            elif role == Role.DEPARTMENT:
                if finding.department_id:
                    users += self.by_unit[(role, "department", finding.department_id)]
            else:
                users += self.by_role[role]
        for person_id in finding.person_ids:
            users += self.by_person.get(person_id, [])
        users += [u for u in finding.user_ids if u in self.ids]
        return list(dict.fromkeys(users))


def _default_url(f: Finding) -> str:
    if f.url:
        return f.url
    if f.key_person_id:
        return f"/stability/key-persons/{f.key_person_id}/"
    if f.case_id:
        return f"/cases/{f.case_id}/"
    return ""


def findings_store(town, key: str, findings: Iterable[Finding], *, now=None, directory=None) -> list[int]:
    """Stores the findings of rule `key` not stored before and sends each new one; returns the new
    warnings' ids. Safe to call twice, or from two processes at once: each finding is stored once."""
    rule = RULES[key]
    setting = setting_for(town, key)
    now = now or timezone.now()
    findings = list({(f.subject, f.state): f for f in findings}.values())
    if not findings:
        return []
    subjects = {f.subject for f in findings}
    if len(subjects) <= 500:
        stored = Warning.objects.filter(rule=key, subject__in=subjects)
    else:
        stored = Warning.objects.filter(town=town, rule=key)
    known = set(stored.values_list("subject", "state"))
    fresh = [f for f in findings if (f.subject, f.state) not in known]
    if not fresh:
        return []
    batch = uuid.uuid4().hex
    directory = directory or Directory(town)
    at = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        _insert(
            Warning,
            [
                "town_id",
                "rule",
                "level",
                "subject",
                "state",
                "text",
                "case_id",
                "key_person_id",
                "village_id",
                "department_id",
                "url",
                "created_at",
                "batch",
                "handled_note",
            ],
            [
                (
                    town.pk,
                    key,
                    f.level or setting.level,
                    f.subject[:120],
                    f.state[:60],
                    f.text[:500],
                    f.case_id,
                    f.key_person_id,
                    f.village_id,
                    f.department_id,
                    _default_url(f)[:200],
                    at,
                    batch,
                    "",
                )
                for f in fresh
            ],
        )
        # Only what this call stored: a finding another scan stored at the same moment is its to send.
        mine = {
            (subject, state): (pk, level)
            for pk, subject, state, level in Warning.objects.filter(batch=batch).values_list(
                "pk", "subject", "state", "level"
            )
        }
        alerts = []
        label = rule.name[:60]
        for f in fresh:
            stored_as = mine.get((f.subject[:120], f.state[:60]))
            if stored_as is None:
                continue
            pk, level = stored_as
            text = f.text[:300]
            url = f"/warnings/{pk}/"
            for user_id in directory.recipients(setting.roles, f):
                alerts.append((town.pk, user_id, f.case_id, key, level, label, url, pk, text, at))
        _insert(
            Alert,
            [
                "town_id",
                "recipient_id",
                "case_id",
                "kind",
                "level",
                "label",
                "url",
                "warning_id",
                "text",
                "created_at",
            ],
            alerts,
        )
        outgoing = {pk: level for pk, level in mine.values()}
        transaction.on_commit(lambda: _send_out(town, outgoing))
    return list(outgoing)


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs, many rows a statement, a row that breaks a unique constraint skipped (both
    SQLite and PostgreSQL read ON CONFLICT DO NOTHING): the ORM's bulk_create builds a model object
    and a statement of 70 rows at a time on SQLite, twenty times slower at 100,000 rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f.removesuffix("_id")).column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _send_out(town, warnings: dict[int, str]) -> None:
    """Hands the warnings at or above each channel's level to the job queue."""
    from . import channels

    config = getattr(town, "warnings", None) or {}
    for channel in channels.CHANNELS.values():
        if not channel.configured():
            continue
        floor = config.get(channel.floor_setting, channel.default_floor)
        ids = [pk for pk, level in warnings.items() if level_at_least(level, floor)]
        if ids:
            channels.enqueue(channel.key, ids)


def warnings_scan(
    now: dt.datetime | None = None, *, cadence: str | None = None, towns=None, rules=None
) -> ScanResult:
    """Runs every registered scanner (of one cadence, or all) for every town. A rule that fails is
    logged and the others still run."""
    now = now or timezone.now()
    started = time.perf_counter()
    result = ScanResult()
    for town in towns if towns is not None else Town.objects.all():
        directory = None
        for key, rule in RULES.items():
            if rule.scan is None or (rules is not None and key not in rules):
                continue
            if cadence is not None and rule.cadence != cadence:
                continue
            if not setting_for(town, key).enabled:
                continue
            try:
                # A savepoint each: a rule that fails (a database error too) leaves the others, and an
                # outer transaction, usable.
                with transaction.atomic():
                    findings = list(rule.scan(town, now))
                    directory = directory or Directory(town)
                    new = findings_store(town, key, findings, now=now, directory=directory)
            except Exception:
                log.exception("warning rule %s failed for town %s", key, town.pk)
                result.failed.append(key)
                continue
            result.found += len(findings)
            result.new += len(new)
            result.per_rule[key][0] += len(findings)
            result.per_rule[key][1] += len(new)
    result.seconds = time.perf_counter() - started
    return result
