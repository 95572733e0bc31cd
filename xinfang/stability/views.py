"""The pages of 稳控. Views are thin: they read through the selectors and write through the services;
a refused write comes back to the page with the service's Chinese message."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.cases.models import Case, Petitioner
from xinfang.core.access import roles_required
from xinfang.core.scoping import scope
from xinfang.org.models import Person

from . import rules, selectors, services
from .choices import KeyPersonStatus
from .forms import ContactForm, FollowUpForm, IncidentForm, PeriodForm

READ = tuple(WORK_ROLES)


def _problems(request, exc: ValidationError, prefix: str) -> dict:
    errors = {field: problems[0] for field, problems in exc.message_dict.items()}
    for problem in errors.values():
        messages.error(request, f"{prefix}{problem}")
    return errors


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


# --- key persons -------------------------------------------------------------------------------


@roles_required(*READ)
def key_person_list(request):
    user = request.user
    g = request.GET
    found = selectors.key_person_filter(
        selectors.key_persons(user=user),
        q=g.get("q", "").strip(),
        level=g.get("level", ""),
        status=g.get("status", "kept"),
        village=g.get("village") or None,
        group=g.get("group", ""),
        unkept=g.get("unkept") == "1",
    ).order_by("village__order", "id")
    standings = {s.key_person.pk: s for s in selectors.standings(list(found))}
    rows = [(kp, standings.get(kp.pk)) for kp in found]
    if g.get("short") == "1":
        rows = [(kp, s) for kp, s in rows if s and s.short]
    page = Paginator(rows, 50).get_page(g.get("page"))
    town = user.town
    return render(
        request,
        "stability/key_person_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "count": len(rows),
            "short_count": sum(1 for s in standings.values() if s.short),
            "levels": rules.levels(town) if town else [],
            "statuses": KeyPersonStatus.choices,
            "villages": _villages(user),
            "filters": g,
            "status": g.get("status", "kept"),
            "can_manage": user.role in services.MANAGERS,
        },
    )


def _villages(user):
    from xinfang.org.models import Village

    return scope(Village.objects.all(), user).order_by("order", "id")


@roles_required(*READ)
def key_person_detail(request, pk: int):
    user = request.user
    kp = selectors.key_person_get(user=user, pk=pk)
    standing = next(iter(selectors.standings([kp])), None)
    contacts = list(selectors.contacts_of(user=user, key_person=kp)[:30])
    alarms = list(selectors.alarms_of(user=user, key_person=kp))
    incidents = list(selectors.incidents(user=user).filter(key_persons=kp))
    periods = list(selectors.periods(user=user).filter(key_persons=kp, end__gte=timezone.localdate()))
    can_contact = user.role in services.CONTACT_ROLES or services._is_keeper(user, kp)
    return render(
        request,
        "stability/key_person_detail.html",
        {
            "kp": kp,
            "standing": standing,
            "contacts": contacts,
            "alarms": alarms,
            "incidents": incidents,
            "periods": periods,
            "can_contact": can_contact and kp.status != KeyPersonStatus.REVOKED,
            "can_manage": user.role in services.MANAGERS,
            "group_members": list(
                selectors.key_persons(user=user).filter(group=kp.group).exclude(pk=kp.pk)[:20]
            )
            if kp.group
            else [],
        },
    )


@roles_required(Role.OFFICE)
def key_person_new(request):
    user = request.user
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        petitioner = _petitioner_from(user, data.get("petitioner", "").strip())
        case_id = _case_from(user, data.get("case", "").strip())
        try:
            if petitioner is None:
                raise ValidationError({"petitioner": "请填写已登记信访人的完整身份证号或信访人编号。"})
            if case_id is False:
                raise ValidationError({"case": "找不到该事项编号，请核对（如 分信〔2026〕0001号）。"})
            kp = services.key_person_create(
                acting_user=user,
                petitioner_id=petitioner.pk,
                level=data.get("level", ""),
                reasons=data.get("reasons", ""),
                keepers=[int(k) for k in data.getlist("keepers") if k.isdigit()],
                case_id=case_id or None,
                group=data.get("group", ""),
                measures=data.get("measures", ""),
            )
        except ValidationError as exc:
            errors = _problems(request, exc, "未能列管：")
        else:
            messages.success(request, f"已将{kp.petitioner.name}列为重点人员。")
            return redirect("stability:key-person", pk=kp.pk)
    people = (
        scope(Person.objects.filter(town=user.town), user)
        .select_related("village")
        .order_by("-is_leader", "village__order", "id")
    )
    return render(
        request,
        "stability/key_person_new.html",
        {"data": data, "errors": errors, "levels": rules.levels(user.town), "people": people},
    )


def _petitioner_from(user, value: str):
    if not value:
        return None
    found = scope(Petitioner.objects.all(), user)
    if len(value) == 18:
        return found.filter(id_number=value.upper()).first()
    return found.filter(pk=value).first() if value.isdigit() else None


def _case_from(user, value: str):
    if not value:
        return None
    found = scope(Case.objects.all(), user)
    case = found.filter(pk=value).first() if value.isdigit() else found.filter(number=value).first()
    return case.pk if case else False


@roles_required(*READ)
def contact_new(request, pk: int):
    """The phone's contact form: two taps and a save. Back to where the user came from."""
    user = request.user
    kp = selectors.key_person_get(user=user, pk=pk)
    try:
        services.contact_check(user, kp)
    except PermissionDenied:
        return render(request, "web/forbidden.html", status=403)
    form = ContactForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contact = services.contact_log(
                key_person_id=kp.pk,
                acting_user=user,
                way=d["way"],
                found=d["found"],
                place=d["place"],
                note=d["note"],
                photo=d.get("photo"),
            )
        except ValidationError as exc:
            for field, problem in _problems(request, exc, "").items():
                if field in form.fields:
                    form.add_error(field, problem)
        else:
            when = timezone.localtime(contact.at)
            text = (
                f"已记录：{when:%H:%M} {contact.get_way_display()}见面{kp.petitioner.name}，"
                f"{contact.get_found_display()}。"
            )
            if hasattr(contact, "alarm"):
                text += "已立即告知包保领导、联席办和民警。"
            messages.success(request, text)
            return _back(request, reverse("stability:key-person", kwargs={"pk": kp.pk}))
    standing = next(iter(selectors.standings([kp])), None)
    return render(
        request,
        "stability/contact_form.html",
        {"kp": kp, "form": form, "standing": standing, "next": request.GET.get("next", "")},
    )


@require_POST
@roles_required(*READ)
def alarm_step_post(request, pk: int):
    try:
        alarm = services.alarm_step(
            alarm_id=pk,
            acting_user=request.user,
            text=request.POST.get("text", ""),
            close=request.POST.get("close") == "1",
        )
    except ValidationError as exc:
        _problems(request, exc, "未记录：")
        from .models import Alarm

        alarm = selectors.open_alarms(user=request.user).filter(pk=pk).first() or Alarm(pk=pk)
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.success(request, "已记录处置经过。" + ("该失联异常已处置完毕。" if alarm.closed_at else ""))
    return redirect(reverse("stability:key-person", kwargs={"pk": alarm.key_person_id}) + "#alarms")


# --- periods -----------------------------------------------------------------------------------


@roles_required(*READ)
def period_list(request):
    user = request.user
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if user.role not in services.MANAGERS:
            return render(request, "web/forbidden.html", status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                period = services.period_create(acting_user=user, **d)
            except ValidationError as exc:
                for field, problem in _problems(request, exc, "未设立：").items():
                    if field in form.fields:
                        form.add_error(field, problem)
            else:
                messages.success(
                    request, f"已设立保障期“{period.name}”，纳入重点人员 {period.key_persons.count()} 人。"
                )
                return redirect("stability:period", pk=period.pk)
    periods = selectors.periods(user=user)
    today = timezone.localdate()
    return render(
        request,
        "stability/period_list.html",
        {
            "periods": periods,
            "today": today,
            "form": form,
            "can_manage": user.role in services.MANAGERS,
            "default_contacts": rules.stability_config(user.town)["period_contacts_per_day"]
            if user.town
            else 3,
        },
    )


@roles_required(*READ)
def period_board(request, pk: int):
    user = request.user
    period = selectors.period_get(user=user, pk=pk)
    board = selectors.board(user=user, period=period)
    reported_today = None
    if user.role == Role.VILLAGE:
        reported_today = next((r for r in board.reports if r.village_id == user.village_id), None)
    return render(
        request,
        "stability/period_board.html",
        {
            "period": period,
            "board": board,
            "can_manage": user.role in services.MANAGERS,
            "can_confirm": user.role in services.CONTACT_ROLES,
            "can_report": user.role in services.REPORT_ROLES and board.in_force,
            "reported_today": reported_today,
        },
    )


@require_POST
@roles_required(*READ)
def stay_post(request, pk: int, kp: int):
    try:
        services.stay_confirm(
            period_id=pk,
            key_person_id=kp,
            acting_user=request.user,
            in_place=request.POST.get("in_place", "1") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _problems(request, exc, "未确认：")
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.success(request, "已确认零滞留。")
    return redirect(reverse("stability:period", kwargs={"pk": pk}) + "#board")


@require_POST
@roles_required(*READ)
def report_post(request, pk: int):
    try:
        services.daily_report(
            period_id=pk,
            acting_user=request.user,
            all_quiet=request.POST.get("all_quiet") == "1",
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        _problems(request, exc, "未上报：")
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.success(request, "今日报告已上报。")
    return redirect("stability:period", pk=pk)


@require_POST
@roles_required(*READ)
def registration_post(request, pk: int):
    kp = request.POST.get("key_person", "")
    try:
        services.registration_record(
            period_id=pk,
            key_person_id=int(kp) if kp.isdigit() else 0,
            acting_user=request.user,
            level=request.POST.get("level", ""),
            at=request.POST.get("at") or None,
            place=request.POST.get("place", ""),
        )
    except ValidationError as exc:
        _problems(request, exc, "未登记：")
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.warning(request, "已登记：零登记目标未实现，已记入五不事件并告知包保领导和联席办。")
    return redirect("stability:period", pk=pk)


# --- incidents and follow-ups ------------------------------------------------------------------


def parse_date_or_none(text: str):
    try:
        return dt.date.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


@roles_required(*READ)
def incident_list(request):
    user = request.user
    form = IncidentForm(request.POST or None)
    if request.method == "POST":
        if user.role not in services.MANAGERS:
            return render(request, "web/forbidden.html", status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                incident = services.incident_record(
                    acting_user=user,
                    key_person_ids=[int(k) for k in request.POST.getlist("key_persons") if k.isdigit()],
                    **d,
                )
            except ValidationError as exc:
                for field, problem in _problems(request, exc, "未登记：").items():
                    if field in form.fields:
                        form.add_error(field, problem)
            else:
                messages.success(request, f"已登记五不事件：{incident.get_kind_display()}。")
                return redirect("stability:incidents")
    found = selectors.incidents(user=user)
    if kind := request.GET.get("kind"):
        found = found.filter(kind=kind)
    # A period from the dashboard (?from=2026-05-01&to=2026-05-31): the incidents its number counts.
    for name, lookup in (("from", "occurred_at__date__gte"), ("to", "occurred_at__date__lte")):
        if day := parse_date_or_none(request.GET.get(name, "")):
            found = found.filter(**{lookup: day})
    for name in ("town", "village"):  # the dashboard's unit: the county's one town, a village
        if (value := request.GET.get(name, "")).isdigit() and len(value) < 12:
            found = found.filter(**{f"{name}_id": int(value)})
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    stable, total = selectors.stability_rate(user=user, start=today.replace(day=1), end=today)
    return render(
        request,
        "stability/incident_list.html",
        {
            "page": page,
            "form": form,
            "can_manage": user.role in services.MANAGERS,
            "kinds": form.fields["kind"].choices,
            "kind": request.GET.get("kind", ""),
            "stable": stable,
            "total": total,
            "key_persons": selectors.key_persons(user=user).exclude(status="revoked")[:300]
            if user.role in services.MANAGERS
            else [],
        },
    )


@roles_required(*READ)
def follow_up_list(request):
    user = request.user
    due_only = request.GET.get("due", "1") == "1"
    found = selectors.follow_ups(user=user, due=due_only)
    if not due_only:
        found = found.order_by("-due_on", "id")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    watches = selectors.watches(user=user)
    return render(
        request,
        "stability/follow_up_list.html",
        {
            "page": page,
            "due_only": due_only,
            "today": timezone.localdate(),
            "form": FollowUpForm(),
            "watching": watches.filter(status="active").count(),
            "rebounded": watches.filter(status="rebounded").count(),
            "can_record": user.role in services.FOLLOW_UP_ROLES or user.role == Role.LEADER,
        },
    )


@require_POST
@roles_required(*READ)
def follow_up_post(request, pk: int):
    try:
        follow_up = services.follow_up_record(
            follow_up_id=pk,
            acting_user=request.user,
            state=request.POST.get("state", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _problems(request, exc, "未记录：")
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.success(request, f"已记录{follow_up.watch.case.number}第 {follow_up.seq} 次回访。")
    return redirect("stability:follow-ups")
