"""The pages of 排查 and 研判. Thin: reads through the selectors, writes through the services; a refused
write comes back to its page with the service's Chinese message and what was typed."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.cases.models import Case
from xinfang.core.access import roles_required
from xinfang.core.errors import EditConflict
from xinfang.core.masking import mask_id_number
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Department, Town, Village
from xinfang.stability import rules as stability_rules
from xinfang.stability.models import KeyPerson

from . import rules, selectors, services
from .choices import AssessmentLevel, AssessmentStatus, ItemKind, Outcome, RoundKind, UnitKind
from .models import Assessment

READ = tuple(WORK_ROLES)
# Who sees a screened person's full ID number: the office, which converts items (and registers).
FULL_ID_ROLES = frozenset({Role.OFFICE})


def _problems(request, exc, prefix: str) -> dict:
    if isinstance(exc, EditConflict):
        exc = ValidationError({"version": str(exc)})
    errors = {field: problems[0] for field, problems in exc.message_dict.items()}
    for problem in errors.values():
        messages.error(request, f"{prefix}{problem}")
    return errors


def _forbidden(request, exc: PermissionDenied):
    return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)


def _masked(user, items) -> None:
    """The ID number as the role may see it, and the risk level by its name (高、中、低)."""
    names: dict = {}
    for i in items:
        i.person_id_shown = (
            i.person_id_number if user.role in FULL_ID_ROLES else mask_id_number(i.person_id_number)
        )
        i.risk_label = _risk_name(names, i.town, i.risk_level)


def _risk_name(names: dict, town, code: str) -> str:
    if town.pk not in names:
        names[town.pk] = {lv["code"]: lv["name"] for lv in stability_rules.levels(town)}
    return names[town.pk].get(code, code)


def _risk_labels(rows) -> None:
    names: dict = {}
    for a in rows:
        a.risk_label = _risk_name(names, a.town, a.risk_level) if a.risk_level else ""


# --- rounds ------------------------------------------------------------------------------------


@roles_required(*READ)
def round_list(request):
    user = request.user
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        try:
            rnd = services.round_create(
                acting_user=user,
                kind=data.get("kind", ""),
                name=data.get("name", ""),
                start=data.get("start", ""),
                end=data.get("end", ""),
                due=data.get("due", ""),
                note=data.get("note", ""),
                unit_kinds=data.getlist("units") or None,
            )
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except (ValidationError, EditConflict) as exc:
            errors = _problems(request, exc, "未发起：")
        else:
            messages.success(request, f"已发起“{rnd.name}”，须报送单位 {rnd.reports.count()} 个。")
            return redirect("screening:round", pk=rnd.pk)
    today = timezone.localdate()
    found = list(selectors.rounds(user=user).order_by("-start", "-id")[:100])
    counts = selectors.round_counts(user=user, rounds=found, today=today)
    for r in found:
        r.counts = counts.get(r.pk, {})
        r.is_open = today <= r.due
    return render(
        request,
        "screening/round_list.html",
        {
            "rounds": found,
            "can_create": user.role in services.ORGANISERS,
            "can_report": user.role in services.REPORTERS,
            "data": data,
            "errors": errors,
            "kinds": RoundKind.choices,
            "unit_kinds": UnitKind.choices,
            "chosen_units": data.getlist("units") if data else [k for k, _ in UnitKind.choices],
        },
    )


@roles_required(*READ)
def round_detail(request, pk: int):
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    board = selectors.round_board(user=user, rnd=rnd)
    _masked(user, board["items"])
    mine = list(selectors.my_reports(user=user, rnd=rnd))
    return render(
        request,
        "screening/round_detail.html",
        {**board, "mine": mine[0] if mine else None, "can_convert": user.role in services.ORGANISERS},
    )


def _item_in(post) -> services.ItemIn:
    return services.ItemIn(
        kind=post.get("kind", ""),
        title=post.get("title", ""),
        description=post.get("description", ""),
        risk_level=post.get("risk_level", ""),
        village_id=post.get("village") or None,
        department_id=post.get("department") or None,
        category_id=post.get("category") or None,
        person_name=post.get("person_name", ""),
        person_id_number=post.get("person_id_number", ""),
        persons_count=post.get("persons_count") or 1,
    )


@roles_required(*READ)
def report_form(request, pk: int):
    """The unit's own report, on a phone: one tap for a zero report, or one item at a time."""
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    if user.role not in services.REPORTERS:
        return _forbidden(request, PermissionDenied("排查报告由各村（居）、网格员和部门报送本单位的情况。"))
    report = selectors.my_reports(user=user, rnd=rnd).first()
    if report is None:
        return _forbidden(request, PermissionDenied("本单位不在本轮排查的报送范围内。"))
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        zero = data.get("action") == "zero"
        try:
            services.report_submit(
                acting_user=user,
                report_id=report.pk,
                zero=zero,
                statement=data.get("statement", "") if zero else "",
                items=[] if zero else [_item_in(data)],
                version=data.get("version") or None,
            )
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except (ValidationError, EditConflict) as exc:
            errors = {k.removeprefix("items.0."): v for k, v in _problems(request, exc, "未报送：").items()}
        else:
            messages.success(request, "已报送零报告。" if zero else "已报送 1 条排查事项，可继续添加。")
            return redirect("screening:report", pk=rnd.pk)
        report.refresh_from_db()
    items = list(report.items.select_related("village").order_by("id"))
    _masked(user, items)
    town = rnd.town
    return render(
        request,
        "screening/report_form.html",
        {
            "round": rnd,
            "report": report,
            "items": items,
            "data": data,
            "errors": errors,
            "kinds": ItemKind.choices,
            "levels": stability_rules.levels(town),
            "zero_statement": rules.config(town)["zero_statement"],
            "villages": Village.objects.filter(town=town).order_by("order", "id")
            if report.unit_kind == UnitKind.DEPARTMENT
            else [],
            "departments": Department.objects.filter(town=town).order_by("order", "id"),
            "categories": Category.objects.filter(town=town).order_by("order", "id"),
            "late": timezone.localdate() > rnd.due,
        },
    )


@roles_required(*READ)
def cross_view(request, pk: int):
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    rows = selectors.cross_screening(user=user, rnd=rnd)
    for r in rows:
        for m in r["matters"]:
            _masked(user, m["own"] + m["others"])
    return render(request, "screening/cross.html", {"round": rnd, "rows": rows})


# --- items -------------------------------------------------------------------------------------


@roles_required(*READ)
def item_detail(request, pk: int, errors=None, data=None):
    user = request.user
    found = selectors.item_get(user=user, pk=pk)
    _masked(user, [found])
    history = list(selectors.assessments(user=user).filter(item=found).order_by("created_at", "id"))
    return render(
        request,
        "screening/item_detail.html",
        {
            "item": found,
            "assessments": history,
            "can_convert": user.role in services.ORGANISERS and found.outcome == Outcome.OPEN,
            "can_assess": user.role in services.ASSESSORS,
            "levels": stability_rules.levels(found.town),
            "categories": Category.objects.filter(town=found.town).order_by("order", "id"),
            "errors": errors or {},
            "data": data or {},
        },
        status=422 if errors else 200,
    )


@require_POST
@roles_required(*READ)
def item_outcome(request, pk: int):
    user = request.user
    post = request.POST
    action = post.get("action", "")
    version = post.get("version") or None
    try:
        if action == "case":
            case = services.item_to_case(
                acting_user=user, item_id=pk, category_id=post.get("category") or None, version=version
            )
            messages.success(request, f"已转为信访事项 {case.number}。")
        elif action == "key_person":
            kp = services.item_to_key_person(
                acting_user=user,
                item_id=pk,
                level=post.get("level", ""),
                reasons=post.get("reasons", ""),
                version=version,
            )
            messages.success(request, f"已将{kp.petitioner.name}列为重点人员。")
        elif action == "close":
            services.item_close(acting_user=user, item_id=pk, reason=post.get("reason", ""), version=version)
            messages.success(request, "已销号。")
        else:
            raise ValidationError({"action": "请选择处理方式：转为信访事项、列为重点人员或销号。"})
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except (ValidationError, EditConflict) as exc:
        errors = _problems(request, exc, "未处理：")
        return item_detail(request, pk, errors={"action": action, **errors}, data=post)
    return redirect("screening:item", pk=pk)


# --- assessments -------------------------------------------------------------------------------


@roles_required(*READ)
def assessment_list(request):
    user = request.user
    g = request.GET
    found = selectors.assessments(user=user)
    if g.get("level") in AssessmentLevel.values:
        found = found.filter(level=g["level"])
    if g.get("status") in AssessmentStatus.values:
        found = found.filter(status=g["status"])
    rows = list(found.order_by("status", "-held_on", "-id")[:200])
    _risk_labels(rows)
    for a in rows:
        a.mine = services.holds(user, a)
    return render(
        request,
        "screening/assessment_list.html",
        {
            "rows": rows,
            "levels": AssessmentLevel.choices,
            "statuses": AssessmentStatus.choices,
            "filters": g,
            "pending_mine": [a for a in rows if a.mine and a.status == AssessmentStatus.PENDING],
            "can_assess": user.role in services.ASSESSORS,
        },
    )


def _subject_choice(user, g) -> dict:
    """The subject named in the query (?item=, ?case=, ?key_person=), if the user may see it."""
    for field, model in (("item", None), ("case", Case), ("key_person", KeyPerson)):
        value = (g.get(field) or "").strip()
        if value.isdigit() and len(value) < 19:
            if field == "item":
                obj = selectors.items(user=user).filter(pk=value).first()
            else:
                obj = scope(model.objects.filter(pk=value), user).first()
            if obj is not None:
                return {"field": field, "obj": obj}
    return {}


@roles_required(*READ)
def assessment_new(request):
    user = request.user
    if user.role not in services.ASSESSORS:
        return _forbidden(
            request, PermissionDenied("研判由网格、村（居）、条线（部门）和镇信访联席办分级开展。")
        )
    data, errors = {}, {}
    subject = _subject_choice(user, request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        data = request.POST
        field = subject.get("field")
        try:
            a = services.assessment_record(
                acting_user=user,
                item_id=subject["obj"].pk if field == "item" else None,
                case_id=subject["obj"].pk if field == "case" else None,
                key_person_id=subject["obj"].pk if field == "key_person" else None,
                risk_level=data.get("risk_level", ""),
                conclusion=data.get("conclusion", ""),
                next_step=data.get("next_step", ""),
                participants=data.get("participants", ""),
                held_on=data.get("held_on") or None,
            )
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except (ValidationError, EditConflict) as exc:
            errors = _problems(request, exc, "未保存：")
        else:
            messages.success(request, f"已记录{a.get_level_display()}。")
            return redirect("screening:assessment", pk=a.pk)
    return render(
        request,
        "screening/assessment_form.html",
        {
            "subject": subject,
            "level": AssessmentLevel(services.ASSESSORS[user.role]).label,
            "levels": stability_rules.levels(user.town),
            "data": data,
            "errors": errors,
            "today": timezone.localdate(),
            "recent_items": list(selectors.items(user=user).filter(outcome=Outcome.OPEN).order_by("-id")[:30])
            if not subject
            else [],
        },
        status=422 if errors else 200,
    )


@roles_required(*READ)
def assessment_detail(request, pk: int):
    user = request.user
    a = selectors.assessment_get(user=user, pk=pk)
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        try:
            if data.get("action") == "complete":
                services.assessment_complete(
                    acting_user=user,
                    assessment_id=a.pk,
                    risk_level=data.get("risk_level", ""),
                    conclusion=data.get("conclusion", ""),
                    next_step=data.get("next_step", ""),
                    participants=data.get("participants", ""),
                    held_on=data.get("held_on") or None,
                    version=data.get("version") or None,
                )
                messages.success(request, f"已完成{a.get_level_display()}。")
            else:
                nxt = services.assessment_escalate(
                    acting_user=user,
                    assessment_id=a.pk,
                    reason=data.get("reason", ""),
                    department_id=data.get("department") or None,
                    version=data.get("version") or None,
                )
                messages.success(request, f"已提级至{nxt.get_level_display()}，待该级研判。")
            return redirect("screening:assessment", pk=a.pk)
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except (ValidationError, EditConflict) as exc:
            errors = _problems(request, exc, "未保存：")
            a = selectors.assessment_get(user=user, pk=pk)
    _risk_labels([a])
    holds = services.holds(user, a)
    escalated = Assessment.objects.filter(escalated_from=a).exists()
    nxt = rules.next_level(a.level)
    return render(
        request,
        "screening/assessment_detail.html",
        {
            "a": a,
            "chain": selectors.assessment_chain(user=user, a=a),
            "can_complete": holds and a.status == AssessmentStatus.PENDING,
            "can_escalate": holds and a.status == AssessmentStatus.DONE and nxt and not escalated,
            "next_label": AssessmentLevel(nxt).label if nxt else "",
            "needs_line": nxt == AssessmentLevel.LINE,
            "departments": Department.objects.filter(town_id=a.town_id).order_by("order", "id"),
            "levels": stability_rules.levels(a.town),
            "data": data,
            "errors": errors,
            "today": timezone.localdate(),
        },
        status=422 if errors else 200,
    )


def _day(value: str, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31) else default


@roles_required(*READ)
def missing_assessment_list(request):
    """Per unit per cadence window, the assessments not held; a unit's user sees its own rows."""
    user = request.user
    today = timezone.localdate()
    end = _day(request.GET.get("end", ""), today - dt.timedelta(days=1))
    start = _day(request.GET.get("start", ""), end - dt.timedelta(days=27))
    if (end - start).days > 366:
        start = end - dt.timedelta(days=366)
    towns = list(scope(Town.objects.all(), user).order_by("code")) if user.role == Role.COUNTY else []
    town = user.town
    if user.role == Role.COUNTY:
        town = next((t for t in towns if str(t.pk) == request.GET.get("town")), towns[0] if towns else None)
    rows = selectors.missing_assessments(town, start, end) if town else []
    rows = [r for r in rows if selectors.unit_visible(user, r)]
    return render(
        request,
        "screening/missing_assessments.html",
        {"rows": rows, "start": start, "end": end, "towns": towns, "town": town},
    )
