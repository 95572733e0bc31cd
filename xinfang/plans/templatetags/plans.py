from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from xinfang.cases import rules as case_rules
from xinfang.cases.choices import CaseState
from xinfang.core.scoping import scope
from xinfang.org.models import Person

from .. import rules, selectors
from ..choices import FIVE_HAVES, JUDGEMENT_HINTS, Judgement
from ..services import MILESTONES_AT_ONCE, TASK_FORCE_MAX, can_edit, task_force_version
from ..views import form_key

register = template.Library()
BLANK_ROWS = 3
MILESTONE_BLANK_ROWS = 3


def _rows(members, form_data) -> tuple[list[dict], str]:
    """The task-force form's rows: what was typed when it was refused, else the members, then blanks."""
    if form_data.get("form") == "task_force":
        rows = [{"person": r["person"], "role": r["role"]} for r in form_data.get("rows", [])]
        typed = form_data.get("rows", [])
        leader = next((str(i) for i, r in enumerate(typed) if r["index"] == form_data.get("leader")), "")
    else:
        rows = [{"person": str(m.person_id), "role": m.role} for m in members]
        leader = next((str(i) for i, m in enumerate(members) if m.is_leader), "")
    rows += [{"person": "", "role": ""}] * BLANK_ROWS
    return [{"index": str(i), **r} for i, r in enumerate(rows[:TASK_FORCE_MAX])], leader


def _with_options(rows: list[dict], user) -> list[dict]:
    """Each task-force row's <option>s, written once here: a hundred people in eight rows rendered by
    the template loop cost about 30 ms of the case page; joined strings cost well under one."""
    people = scope(Person.objects.all(), user).order_by("-is_leader", "village", "id")
    options = [
        (
            str(p.pk),
            format_html(
                '<option value="{}">{}{}</option>', p.pk, p.name, f"（{p.title}）" if p.title else ""
            ),
        )
        for p in people
    ]
    for row in rows:
        chosen = row["person"]
        row["options"] = mark_safe(  # noqa: S308 - every part was escaped by format_html above
            "".join(html.replace('">', '" selected>', 1) if pk == chosen else html for pk, html in options)
        )
    return rows


def _milestone_rows(form_data) -> list[dict]:
    """The add-milestones form's rows: what was typed when it was refused, else blank ones."""
    typed = form_data.get("rows", []) if form_data.get("form") == "milestone" else []
    rows = [{"title": r.get("title", ""), "due_on": r.get("due_on", "")} for r in typed]
    rows += [{"title": "", "due_on": ""}] * max(0, MILESTONE_BLANK_ROWS - len(rows))
    return rows[:MILESTONES_AT_ONCE]


@register.inclusion_tag("plans/_case_plan.html", takes_context=True)
def case_plan(context, case):
    """The case page's 一案一策 card: the five haves, the task force, the plan (三到位一处理), the
    dated milestones with their progress, and for those who may write, the forms."""
    request = context["request"]
    return plan_context(request, case, request.session.pop(form_key(case.pk), {}))


def plan_context(request, case, form_data: dict) -> dict:
    """What the card and its parts (the milestones, redrawn in place by htmx) show."""
    user = request.user
    today = timezone.localdate()
    members = list(selectors.task_force_list(user=user, case_id=case.pk))
    plan = selectors.plan_get(user=user, case_id=case.pk)
    have = rules.five_haves(case)
    assigned = bool(case.assigned_on or case.lead_leader_id)
    five = []
    for key, name, anchor in FIVE_HAVES:
        if anchor == "ownership" and not assigned:
            anchor = "actions"
        five.append({"key": key, "name": name, "ok": have[key], "anchor": anchor})
    editable = can_edit(user, case) and case.state != CaseState.NOT_ACCEPTED
    rows, leader = _rows(members, form_data) if editable else ([], "")
    milestones = selectors.milestone_list(user=user, case_id=case.pk, today=today)
    for m in milestones:
        m.typed_progress = form_data if form_data.get("form") == f"progress-{m.pk}" else None
        m.typed_done = form_data if form_data.get("form") == f"done-{m.pk}" else None
    return {
        "case": case,
        "today": today,
        "five": five,
        "missing": [f["name"] for f in five if not f["ok"]],
        "prominent": rules.is_prominent(case, today),
        "open": case_rules.in_hand(case, today),
        "members": members,
        "task_force_version": task_force_version(members),
        "plan": plan,
        "plan_version": plan.version if plan else 0,
        "chosen_hints": [JUDGEMENT_HINTS[j] for j in plan.judgements if j in JUDGEMENT_HINTS] if plan else [],
        # The boxes ticked: what the user typed when the form came back refused, else the stored plan.
        "ticked": form_data.get("judgements", [])
        if form_data.get("form") == "plan"
        else (plan.judgements if plan else []),
        "hints": [(value, label, JUDGEMENT_HINTS[value]) for value, label in Judgement.choices],
        "milestones": milestones,
        "can_edit": editable,
        "rows": _with_options(rows, user) if editable else rows,
        "leader": leader,
        "milestone_rows": _milestone_rows(form_data) if editable else [],
        "milestones_max": MILESTONES_AT_ONCE,
        # The plan written at assignment is the plan's measures until a plan is saved; what it still
        # lacks for the five haves is the finding of 三到位一处理.
        "assigned_plan": case.plan if plan is None else "",
        "d": form_data,
        # The plan form starts from the plan written at assignment when there is none yet.
        "measures": form_data.get("measures")
        if form_data.get("form") == "plan"
        else (plan.measures if plan else case.plan),
    }
