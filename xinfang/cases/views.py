import re
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.access import roles_required
from xinfang.core.masking import mask_id_number, mask_phone
from xinfang.core.scoping import scope

from . import exports, rules, selectors
from .choices import Decision, DeliveryWay, Rating, RatingStatus
from .documents import DOCUMENTS, documents_available, petitioners_in_order
from .forms import LEDGER_VIEWS, ORIGIN_PATTERN, CaseFilterForm, ImportForm, PetitionForm
from .imports import MAX_BYTES, petitions_import, template_build
from .models import Case, Petitioner
from .ownership import accused_of, ownership_propose
from .services import (
    REGISTRARS,
    THREAT_REVIEWERS,
    PetitionerIn,
    PetitionIn,
    petition_register,
    threat_hit_dismiss,
)
from .transitions import (
    ACTIONS,
    EditConflict,
    TransitionForbidden,
    TransitionInvalid,
    TransitionRefused,
    actions_offered,
    case_act,
    resolution_evidence,
)

# Fields of the form whose errors the service reports under another name.
SERVICE_FIELDS = {
    "petitioner.name": "name",
    "petitioner.id_number": "id_number",
    "petitioner.phone": "phone",
    "petitioner.village": "village",
    "petitioner.update": "update_petitioner",
    "accused": "accused_persons",
}
# A file that is wrong throughout would list tens of thousands of problems: the page shows the first.
IMPORT_ERRORS_SHOWN = 500
# While an import runs, other clerks' writes wait (SQLite's busy timeout is 20 seconds): the page takes
# up to 10,000 rows (about 15 seconds), bigger files go through the import_petitions command.
IMPORT_MAX_ROWS = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Exports and notices carry names and case details: no browser or proxy cache may keep a copy.
NO_STORE = "private, no-store"


@roles_required(*WORK_ROLES)
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    today = timezone.localdate()
    cases = selectors.ledger(user=request.user, filters=filters, today=today)
    page = Paginator(cases.values_list("pk", flat=True), 30).get_page(request.GET.get("page"))
    page.object_list = selectors.rows_by_id(cases, list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    tabs = request.GET.copy()
    tabs.pop("page", None)
    tabs.pop("view", None)
    tabs.pop("state", None)  # each tab has its own states: 已化解 with 在办 would show nothing
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tab_query": tabs.urlencode(),
            "view": filters["view"],
            "views": LEDGER_VIEWS,
            "today": today,
        },
    )


@roles_required(*WORK_ROLES)
def case_export(request):
    """The ledger as an Excel file: exactly the rows the filters select, streamed as it is written."""
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    cases = selectors.ledger(user=request.user, filters=filters)
    title = dict(LEDGER_VIEWS)[filters["view"]]
    handle, count = exports.ledger_xlsx(
        cases, title=title, town=request.user.town, today=timezone.localdate()
    )
    audit_record(
        event=AuditEventType.EXPORT,
        user=request.user,
        detail=f"导出{title} {count} 件（条件：{request.GET.urlencode() or '无'}）",
    )
    filename = quote(f"{title}-{timezone.localdate():%Y%m%d}.xlsx")
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = NO_STORE
    return response


def _service_field(form: PetitionForm, field: str) -> str | None:
    """The form field a service error is about: `representatives.2.id_number` is the third filled
    row's ID number; errors about the whole list or unknown fields go above the form."""
    parts = field.split(".")
    if parts[0] == "representatives" and len(parts) == 3 and parts[1].isdigit():
        return form.representative_field(int(parts[1]), parts[2]) or None
    target = SERVICE_FIELDS.get(field, field)
    return target if target in form.fields else None


@roles_required(*REGISTRARS)
def petition_new(request):
    origin = request.GET.get("origin", "")[:40]
    origin = origin if re.fullmatch(ORIGIN_PATTERN, origin) else ""
    form = PetitionForm(request.POST or None, user=request.user, initial={"origin": origin})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            petition = petition_register(
                data=PetitionIn(
                    channel=d["channel"],
                    referral_level=d["referral_level"],
                    received_at=d["received_at"],
                    petitioner=PetitionerIn(
                        name=d["name"],
                        id_number=d["id_number"],
                        phone=d["phone"],
                        address=d["address"],
                        village=d["village"],
                    ),
                    persons_count=d["persons_count"],
                    kind=d["kind"],
                    category=d["category"],
                    matter=d["matter"],
                    title=d["title"],
                    content=d["content"],
                    case_id=(d["case"] or d["candidate"]).pk if (d["case"] or d["candidate"]) else None,
                    skip_level=d["skip_level"],
                    has_threat=d["has_threat"],
                    law_related=d["law_related"],
                    representatives=form.representatives(),
                    update_petitioner=d["update_petitioner"],
                    accused_persons=list(d["accused_persons"]),
                    accused_departments=list(d["accused_departments"]),
                    accused_villages=list(d["accused_villages"]),
                    origin=d["origin"],
                ),
                acting_user=request.user,
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(_service_field(form, field), problem)
        else:
            what = "重复信访，已并入" if petition.is_repeat else "已登记为新事项"
            receipt = reverse("cases:receipt", args=[petition.case_id]) + f"?petition={petition.pk}"
            messages.success(
                request,
                format_html(
                    '{} {}。<a class="alert-link" href="{}" target="_blank" rel="noopener">打印登记回执</a>',
                    what,
                    petition.case.number,
                    receipt,
                ),
            )
            for warning in petition.warnings:
                messages.warning(request, warning)
            if not scope(Case.objects.filter(pk=petition.case_id), request.user).exists():
                # An accusation against the clerk's own unit: registered, and out of their sight.
                messages.info(request, "该事项检举控告您所在的单位，按规定您不能查看，已交有关部门办理。")
                return redirect("cases:list")
            return redirect("cases:detail", pk=petition.case_id)
    return render(request, "cases/new.html", {"form": form})


@roles_required(Role.OFFICE)
def petition_import(request):
    """Petitions from an Excel file: 检查 runs everything and rolls back, 导入 stores all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("action") != "import"
        result = petitions_import(
            upload, request.user, dry_run=dry_run, filename=upload.name, max_rows=IMPORT_MAX_ROWS
        )
        if result.ok and not dry_run:
            messages.success(request, result.summary())
            return redirect("cases:import")
    return render(
        request,
        "cases/import.html",
        {
            "form": form,
            "result": result,
            "errors": result.errors[:IMPORT_ERRORS_SHOWN] if result else [],
            "errors_shown": IMPORT_ERRORS_SHOWN,
            "max_rows": IMPORT_MAX_ROWS,
            "max_mb": MAX_BYTES // 1024 // 1024,
        },
    )


@roles_required(Role.OFFICE)
def petition_import_template(request):
    """The template with the drop-downs of the user's own town."""
    response = HttpResponse(template_build(request.user), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('信访导入模板.xlsx')}"
    response["Cache-Control"] = NO_STORE
    return response


@roles_required(*WORK_ROLES)
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    today = timezone.localdate()
    offered = actions_offered(case, request.user)
    petitions = list(selectors.petition_list_for_case(user=request.user, case=case))
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "petitions": petitions,
            "threats": selectors.threat_findings(petitions),
            "threat_reviewer": request.user.role in THREAT_REVIEWERS,
            "events": case.events.select_related("user").order_by("at", "id"),
            "history": selectors.petitioner_history(user=request.user, case=case),
            "today": today,
            "offered": {name: ACTIONS[name].label for name in offered},
            "choices": selectors.assignment_choices(user=request.user) if "assign" in offered else None,
            "proposal": ownership_propose(case) if "assign" in offered else None,
            "reasons": rules.prominent_reasons(case, case.town, today),
            "on_ledger": rules.on_ledger(case, today),
            "concluded_unresolved": rules.on_ledger(case, today) and rules.concluded_unresolved(case),
            "awaiting_delivery": rules.awaiting_delivery(case),
            "delivery_ways": DeliveryWay.choices,
            "evidence": resolution_evidence(case) if "verify" in offered else [],
            "accused": accused_of(case).names,
            "rating_status": RatingStatus(rules.rating_status(case, today)).label,
            "documents": documents_available(case) if request.user.role == Role.OFFICE else [],
            "decisions": Decision.choices,
            "ratings": Rating.choices,
            "form_data": request.session.pop(f"case-{pk}-form", {}),
        },
    )


@require_POST
@roles_required(*WORK_ROLES)
def threat_dismiss(request, pk: int, petition_id: int, index: int):
    """标为误报 on the case page: the office marks one detected threat phrase a false positive."""
    if request.user.role not in THREAT_REVIEWERS:
        raise PermissionDenied("只有镇信访联席办可以把扬言识别结果标为误报。")
    case = selectors.case_get(user=request.user, pk=pk)
    if not scope(case.petitions.filter(pk=petition_id), request.user).exists():
        raise Http404("该事项没有这次信访")
    try:
        petition = threat_hit_dismiss(
            petition_id=petition_id,
            index=index,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        )
    except ValidationError as exc:
        problems = "；".join(m for ms in exc.message_dict.values() for m in ms)
        messages.error(request, f"标为误报未完成：{problems}")
    else:
        still = "事项仍为扬言事项。" if petition.case.has_threat else "事项已不再标记为扬言事项。"
        messages.success(request, f"已将“{petition.threat_hits[index]['phrase']}”标为误报，{still}")
    return redirect("cases:detail", pk=pk)


@require_POST
@roles_required(*WORK_ROLES)
def case_action(request, pk: int, action: str):
    """The case page's action forms: the same services as the API, with the version the page showed.
    A refused step keeps what the user typed for the form to show again."""
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    version = request.POST.get("version", "")
    data = request.POST.dict()
    data["responsible_persons"] = request.POST.getlist("responsible_persons")
    if action == "assign":  # the form always shows the supporting departments: none ticked is a choice
        data["supporting_departments"] = request.POST.getlist("supporting_departments")
    try:
        case = case_act(
            action=action,
            case_id=pk,
            acting_user=request.user,
            data=data,
            expected_version=int(version) if version.isdigit() else None,
        )
    except TransitionForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except (TransitionRefused, EditConflict, TransitionInvalid) as exc:
        messages.error(request, f"{ACTIONS[action].label}未完成：{exc}")
        data.pop("csrfmiddlewaretoken", None)
        request.session[f"case-{pk}-form"] = {"action": action, **data}
    else:
        messages.success(
            request,
            f"{case.number}：{ACTIONS[action].label}已完成。办理状态“{case.get_state_display()}”，"
            f"化解状态“{case.get_resolution_display()}”。",
        )
    return redirect("cases:detail", pk=pk)


@roles_required(Role.OFFICE)
def case_document(request, pk: int, name: str):
    """A notice as a Word file. It names the petitioner, so only the office downloads it, and each
    download is audited."""
    case = selectors.case_get(user=request.user, pk=pk)
    if name not in DOCUMENTS:
        raise Http404("没有这种文书")
    build, has, label = DOCUMENTS[name]
    if not has(case):
        messages.error(request, f"该事项还没有可以生成{label}的办理记录。")
        return redirect("cases:detail", pk=pk)
    content = build(case, query_url=public_query_url(request)) if name == "acceptance" else build(case)
    audit_record(event=AuditEventType.EXPORT, user=request.user, target=case, detail=f"生成{label}")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = quote(f"{label}-{case.number}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = NO_STORE
    return response


def public_query_url(request) -> str:
    """The public progress page's address as petitioners reach it (XINFANG_PUBLIC_QUERY_URL, or
    this server's)."""
    return settings.XINFANG_PUBLIC_QUERY_URL or request.build_absolute_uri(reverse("public-query"))


@roles_required(Role.OFFICE)
def petition_receipt(request, pk: int):
    """登记回执: a printable page the office hands a visitor (or posts to a letter writer): the case
    number, the day, the channel, who petitioned (ID number and phone masked), the matter, the query
    code and how to use it, and how to reach the office. Printing one is audited like a notice."""
    case = selectors.case_get(user=request.user, pk=pk)
    petition_id = request.GET.get("petition", "")
    petition = selectors.petition_for_receipt(
        user=request.user,
        case=case,
        petition_id=int(petition_id) if petition_id.isdigit() and len(petition_id) < 19 else None,
    )
    audit_record(event=AuditEventType.EXPORT, user=request.user, target=case, detail="打印登记回执")
    query_url = public_query_url(request)
    response = render(
        request,
        "cases/receipt.html",
        {
            "case": case,
            "petition": petition,
            "petitioners": [
                {"name": p.name, "id_number": mask_id_number(p.id_number), "phone": mask_phone(p.phone)}
                for p in petitioners_in_order(petition)
            ],
            "query_url": query_url,
            "query_link": f"{query_url}?code={petition.query_code}" if petition.query_code else "",
            "town": case.town,
            "clerk": request.user,
            "printed_on": timezone.localdate(),
        },
    )
    response["Cache-Control"] = NO_STORE
    return response


@roles_required(*WORK_ROLES)
def petitioner_detail(request, pk: int):
    """One petitioner: every case and petition of theirs in the user's scope. Personal data masked."""
    person = selectors.petitioner_get(user=request.user, pk=pk)
    petitions = selectors.petitions_of(user=request.user, petitioner=person)
    cases = list(dict.fromkeys(p.case for p in petitions))
    return render(
        request,
        "cases/petitioner.html",
        {"person": person, "petitions": petitions, "cases": cases, "today": timezone.localdate()},
    )


@roles_required(Role.OFFICE)
def petition_candidates(request):
    """The cases a petition being registered may belong to, as the clerk fills in the form: the
    petitioner's own cases first, then the same village and category in recent weeks."""
    from stdnum.cn import ric

    from xinfang.org.models import Category, Village

    def pick(model, value):
        return scope(model.objects.all(), request.user).filter(pk=value).first() if value.isdigit() else None

    id_number = ric.compact(request.GET.get("id_number", "")) if request.GET.get("id_number") else ""
    village = pick(Village, request.GET.get("village", ""))
    category = pick(Category, request.GET.get("category", ""))
    candidates = []
    if id_number or (village and category):
        candidates = selectors.repeat_candidates(
            user=request.user, id_number=id_number, village=village, category=category
        )
    # The petitioner this ID number links to, as stored, so that the clerk sees what differs before
    # registering (and ticks 更新 if it has changed); only one the clerk may see.
    stored = None
    if id_number:
        stored = (
            scope(Petitioner.objects.filter(town=request.user.town, id_number=id_number), request.user)
            .exclude(id_number="")
            .select_related("village")
            .first()
        )
    return render(
        request,
        "cases/_candidates.html",
        # A list fetched again while the clerk types keeps the case they ticked.
        {
            "candidates": candidates,
            "stored": stored,
            "selected": request.GET.get("candidate") or request.GET.get("selected", ""),
        },
    )
